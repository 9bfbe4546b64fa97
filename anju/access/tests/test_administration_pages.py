"""The administration pages under /workbench/admin/: administrators only, their own territory
only (another district's account or assignment answers 404), passwords shown once."""

from __future__ import annotations

import pytest

from anju.access.models import CompoundAssignment, Organisation, Role


def test_a_district_officer_creates_an_account_and_sees_the_password_once(
    client, town, jiangan_officer
):
    client.force_login(jiangan_officer)
    form = client.get("/workbench/admin/")
    assert form.status_code == 200
    assert f'value="{town.wuchang_community.code}"' not in form.content.decode()
    response = client.post(
        "/workbench/admin/",
        {"username": "w1", "full_name": "王", "role": Role.COMMUNITY_WORKER,
         "node": town.jiangan_community.code},
    )  # fmt: skip
    assert response.status_code == 200
    assert 'id="generated-password"' in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_grant_beyond_the_district_is_refused_on_the_form(client, town, jiangan_officer):
    client.force_login(jiangan_officer)
    response = client.post(
        "/workbench/admin/",
        {"username": "w2", "full_name": "王", "role": Role.DESIGNER},
    )
    assert response.status_code in (400, 403)


def test_another_districts_account_is_not_found(client, town, jiangan_officer, wuchang_officer):
    client.force_login(jiangan_officer)
    url = f"/workbench/admin/people/{wuchang_officer.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url + "active/", {"active": "0"}).status_code == 404
    assert client.post(url + "password/").status_code == 404
    wuchang_officer.refresh_from_db()
    assert wuchang_officer.is_active


def test_deactivating_from_the_page_keeps_the_roles(
    client, town, jiangan_officer, jiangan_community_worker
):
    client.force_login(jiangan_officer)
    url = f"/workbench/admin/people/{jiangan_community_worker.pk}/active/"
    assert client.post(url, {"active": "0"}).status_code == 302
    jiangan_community_worker.refresh_from_db()
    assert not jiangan_community_worker.is_active
    assert jiangan_community_worker.role_assignments.count() == 1


def test_another_districts_assignment_is_not_found(client, town, jiangan_officer):
    firm = Organisation.objects.create(name="物业", kind=Organisation.Kind.PROPERTY)
    other = CompoundAssignment.objects.create(organisation=firm, compound=town.wuchang_compound)
    client.force_login(jiangan_officer)
    assert client.post(f"/workbench/admin/assignments/{other.pk}/remove/").status_code == 404
    response = client.post(
        "/workbench/admin/assignments/",
        {"compound": town.wuchang_compound.code, "organisation": firm.pk},
    )
    assert response.status_code == 404
    assert CompoundAssignment.objects.count() == 1


def test_a_district_officer_reads_organisations_but_does_not_register_them(
    client, town, jiangan_officer
):
    client.force_login(jiangan_officer)
    assert client.get("/workbench/admin/organisations/").status_code == 200
    response = client.post(
        "/workbench/admin/organisations/", {"name": "甲", "kind": Organisation.Kind.DESIGNER}
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="甲").exists()


@pytest.mark.parametrize("persona", ["jiangan_community_worker", "designer"])
def test_others_do_not_find_the_administration(client, town, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in ("/workbench/admin/", "/workbench/admin/organisations/",
                "/workbench/admin/assignments/", "/workbench/admin/onboard/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
