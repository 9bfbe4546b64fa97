"""/api/v1/projects/: the viewer's projects, a project's detail, and assigning its firms.

Rules: scoped like the pages (a designer sees only their projects, another district's project
404 like a missing one, anonymous 401); the list is paginated like the other lists; only the
project's district or the city office assigns (a designer 403); bad input 400 with fields,
nothing written.
"""

import pytest
from rest_framework.test import APIClient

from anju.access.models import Organisation
from anju.core.models import AuditEvent
from anju.design.models import PlanVersion, ProjectAssignment
from anju.design.tests.conftest import make_project

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_list_is_paginated_and_scoped(city, jiangan_officer, approved_plan, wuchang_project):
    for n in range(1, 4):
        make_project(approved_plan, city.jiangan, city.jiangan_compound, f"2027-420102-00{n}")

    body = api(jiangan_officer).get("/api/v1/projects/?page_size=2").json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]
    first = body["results"][0]
    assert first["district"] == "420102"
    assert first["stage"] == "planned"
    assert first["compounds"] == [city.jiangan_compound.code]
    assert first["year"] == 2027
    codes = {row["code"] for row in api(jiangan_officer).get("/api/v1/projects/").json()["results"]}
    assert wuchang_project.code not in codes


def test_the_list_filters_by_stage_and_district(city_officer, jiangan_project, wuchang_project):
    client = api(city_officer)
    rows = client.get("/api/v1/projects/?district=420106").json()["results"]
    assert [row["code"] for row in rows] == [wuchang_project.code]
    assert client.get("/api/v1/projects/?stage=approved").json()["count"] == 0


def test_the_detail_has_compounds_stage_assignments_cost_and_plan_versions(
    jiangan_officer, jiangan_project, city
):
    from anju.catalogue.models import PriceList

    firm = Organisation.objects.create(name="长江设计院", kind=Organisation.Kind.DESIGNER)
    api(jiangan_officer).post(
        f"/api/v1/projects/{jiangan_project.pk}/assignments/",
        {"organisation": firm.pk, "role": "designer"},
        format="json",
    )
    price_list = PriceList.objects.create(year=2099, version=1)
    version = PlanVersion.objects.create(project=jiangan_project, number=1, price_list=price_list)

    body = api(jiangan_officer).get(f"/api/v1/projects/{jiangan_project.pk}/").json()

    assert body["code"] == jiangan_project.code
    assert body["stage"] == "planned"
    assert body["estimated_cost"] == "1000000.00"
    assert body["compounds"] == [
        {"code": city.jiangan_compound.code, "name": "铭新街小区", "stage": "registered"}
    ]
    assert [(a["organisation_name"], a["role"]) for a in body["assignments"]] == [
        ("长江设计院", "designer")
    ]
    assert body["plan_versions"] == [{"id": version.pk, "number": 1, "status": "draft"}]


def test_another_districts_project_is_not_found(wuchang_officer, jiangan_project):
    response = api(wuchang_officer).get(f"/api/v1/projects/{jiangan_project.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    response = api(wuchang_officer).post(
        f"/api/v1/projects/{jiangan_project.pk}/assignments/",
        {"organisation": 1, "role": "designer"},
        format="json",
    )
    assert response.status_code == 404


def test_a_designer_sees_only_their_projects(designer, jiangan_project, wuchang_project):
    client = api(designer)
    codes = [row["code"] for row in client.get("/api/v1/projects/").json()["results"]]
    assert codes == [jiangan_project.code]
    assert client.get(f"/api/v1/projects/{wuchang_project.pk}/").status_code == 404


def test_anonymous_callers_get_401(jiangan_project):
    assert api().get("/api/v1/projects/").status_code == 401
    assert api().get(f"/api/v1/projects/{jiangan_project.pk}/").status_code == 401


def test_the_district_assigns_through_the_api(jiangan_officer, jiangan_project):
    firm = Organisation.objects.create(name="长江设计院", kind=Organisation.Kind.DESIGNER)
    response = api(jiangan_officer).post(
        f"/api/v1/projects/{jiangan_project.pk}/assignments/",
        {"organisation": firm.pk, "role": "planner"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["role"] == "planner"
    assert AuditEvent.objects.filter(verb="project.assigned").count() == 1

    assignment = ProjectAssignment.objects.get()
    response = api(jiangan_officer).delete(
        f"/api/v1/projects/{jiangan_project.pk}/assignments/{assignment.pk}/"
    )
    assert response.status_code == 204
    assert not ProjectAssignment.objects.exists()
    assert AuditEvent.objects.filter(verb="project.unassigned").count() == 1


def test_a_designer_may_not_assign_through_the_api(designer, jiangan_project):
    firm = Organisation.objects.create(name="长江设计院", kind=Organisation.Kind.DESIGNER)
    for organisation in (firm.pk, 999999):
        response = api(designer).post(
            f"/api/v1/projects/{jiangan_project.pk}/assignments/",
            {"organisation": organisation, "role": "designer"},
            format="json",
        )
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert not ProjectAssignment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"organisation": 999999, "role": "designer"}, "organisation"),
        ({"role": "designer"}, "organisation"),
        ({"organisation": "x", "role": "designer"}, "organisation"),
        ({"organisation": 1, "role": "builder"}, "role"),
    ],
)
def test_bad_assignments_are_refused_with_the_field(jiangan_officer, jiangan_project, body, field):
    response = api(jiangan_officer).post(
        f"/api/v1/projects/{jiangan_project.pk}/assignments/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not ProjectAssignment.objects.exists()
    assert not AuditEvent.objects.exists()
