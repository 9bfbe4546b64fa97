"""The administration API: the same rules as the pages; 404 outside the actor's territory."""

from __future__ import annotations

from anju.access.models import CompoundAssignment, Organisation, Role


def test_a_district_officer_creates_a_community_worker_and_gets_the_password_once(
    client, town, jiangan_officer
):
    client.force_login(jiangan_officer)
    body = {"username": "w1", "full_name": "王", "role": Role.COMMUNITY_WORKER,
            "node": town.jiangan_community.code}  # fmt: skip
    response = client.post("/api/v1/staff/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["generated_password"]
    listed = client.get("/api/v1/staff/").json()
    assert {row["username"] for row in listed} == {"jiangan", "w1"}
    assert "generated_password" not in listed[0]


def test_a_node_of_another_district_answers_404(client, town, jiangan_officer):
    client.force_login(jiangan_officer)
    body = {"username": "w2", "full_name": "王", "role": Role.COMMUNITY_WORKER,
            "node": town.wuchang_community.code}  # fmt: skip
    response = client.post("/api/v1/staff/", body, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_account_of_another_district_answers_404(client, town, jiangan_officer, wuchang_officer):
    client.force_login(jiangan_officer)
    assert client.get(f"/api/v1/staff/{wuchang_officer.pk}/").status_code == 404
    response = client.post(f"/api/v1/staff/{wuchang_officer.pk}/deactivate/")
    assert response.status_code == 404
    wuchang_officer.refresh_from_db()
    assert wuchang_officer.is_active


def test_only_the_city_office_registers_organisations(client, town, jiangan_officer, city_officer):
    body = {"name": "某设计院", "kind": Organisation.Kind.DESIGNER}
    client.force_login(jiangan_officer)
    assert client.post("/api/v1/organisations/", body).status_code == 403
    client.force_login(city_officer)
    assert client.post("/api/v1/organisations/", body).status_code == 201
    bad = {"name": "坏", "kind": Organisation.Kind.DESIGNER, "credit_code": "123"}
    response = client.post("/api/v1/organisations/", bad)
    assert response.status_code == 400 and "credit_code" in response.json()["fields"]


def test_assignments_are_scoped_to_the_district(client, town, jiangan_officer):
    firm = Organisation.objects.create(name="施工", kind=Organisation.Kind.CONSTRUCTION)
    client.force_login(jiangan_officer)
    ok = {"compound": town.jiangan_compound.code, "organisation": firm.pk}
    assert client.post("/api/v1/assignments/", ok).status_code == 201
    other = {"compound": town.wuchang_compound.code, "organisation": firm.pk}
    assert client.post("/api/v1/assignments/", other).status_code == 404
    assert CompoundAssignment.objects.count() == 1
    [row] = client.get("/api/v1/assignments/").json()
    assert client.delete(f"/api/v1/assignments/{row['id']}/").status_code == 204


def test_non_administrators_are_refused(client, town, jiangan_community_worker, designer):
    for persona in (jiangan_community_worker, designer):
        client.force_login(persona)
        assert client.get("/api/v1/staff/").status_code == 403
