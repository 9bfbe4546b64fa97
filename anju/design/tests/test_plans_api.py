"""/api/v1/projects/<id>/plan-versions/, /api/v1/plan-versions/<id>/ and its items: scoped like
the pages (another district, or a designer not assigned, gets 404), bad input a 400 that
writes nothing, a noticed version a 409."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from anju.core.models import AuditEvent
from anju.design.models import PlanItem, PlanVersion
from anju.design.services import plans as services

from .planning_helpers import assign, publish_prices

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def drafter(designer, jiangan_project, city):
    publish_prices()
    return assign(designer, jiangan_project)


@pytest.fixture
def version(drafter, jiangan_project):
    from anju.access.scope import scope_for

    return services.create_plan_version(
        actor=drafter, scope=scope_for(drafter), project=jiangan_project
    )


def items_url(version):
    return f"/api/v1/plan-versions/{version.pk}/items/"


def post_item(user, version, **body):
    body = {"compound": "420102001001001", "item": "B14", "quantity": "10", **body}
    return api(user).post(items_url(version), body, format="json")


def test_the_designer_creates_and_lists_versions(drafter, jiangan_project):
    url = f"/api/v1/projects/{jiangan_project.pk}/plan-versions/"
    created = api(drafter).post(url, {}, format="json")
    listed = api(drafter).get(url)

    assert created.status_code == 201 and created.json()["number"] == 1
    assert listed.status_code == 200
    assert [v["number"] for v in listed.json()["results"]] == [1]


def test_the_second_version_without_changes_is_a_400(version, drafter, jiangan_project):
    PlanVersion.objects.filter(pk=version.pk).update(status=PlanVersion.Status.NOTICED)
    url = f"/api/v1/projects/{jiangan_project.pk}/plan-versions/"
    response = api(drafter).post(url, {"changes": ""}, format="json")
    assert response.status_code == 400 and "changes" in response.json()["fields"]
    assert PlanVersion.objects.count() == 1


def test_adding_an_item_and_reading_the_detail_with_totals(version, drafter):
    added = post_item(drafter, version)
    post_item(drafter, version, item="I13", quantity="1")
    detail = api(drafter).get(f"/api/v1/plan-versions/{version.pk}/")

    assert added.status_code == 201 and added.json()["cost"] == "1500.00"
    body = detail.json()
    assert [line["item"] for line in body["items"]] == ["B14", "I13"]
    assert body["totals"]["by_category"] == {
        "basic": "1500.00",
        "improvement": "300000.00",
        "enhancement": "0.00",
    }
    assert body["totals"]["by_payer"]["residents"] == "300000.00"
    assert body["totals"]["total"] == "301500.00"
    assert "小区“铭新街小区”还没有长效管理方案。" in body["readiness_for_notice"]


@pytest.mark.parametrize("quantity", ["-5", "0"])
def test_a_quantity_not_above_zero_is_a_clear_400_and_nothing_written(version, drafter, quantity):
    response = post_item(drafter, version, quantity=quantity)
    assert response.status_code == 400
    assert response.json()["code"] == "quantity_not_positive"
    assert response.json()["message"] == "数量必须大于零。"
    assert not PlanItem.objects.exists()
    assert not AuditEvent.objects.filter(verb="plan.item_added").exists()


def test_an_unknown_item_is_a_400(version, drafter):
    response = post_item(drafter, version, item="ZZ99")
    assert response.status_code == 400 and response.json()["code"] == "unknown_item"
    assert not PlanItem.objects.exists()


def test_an_item_without_a_price_is_a_400(version, drafter):
    response = post_item(drafter, version, item="B03")
    assert response.status_code == 400 and response.json()["code"] == "item_not_priced"
    assert not PlanItem.objects.exists()


def test_adding_to_a_noticed_version_is_a_409(version, drafter):
    PlanVersion.objects.filter(pk=version.pk).update(status=PlanVersion.Status.NOTICED)
    response = post_item(drafter, version)
    assert response.status_code == 409 and response.json()["code"] == "plan_version_frozen"
    assert not PlanItem.objects.exists()


def test_another_districts_version_is_not_found(version, wuchang_officer, jiangan_project):
    client = api(wuchang_officer)
    answers = [
        client.get(f"/api/v1/plan-versions/{version.pk}/").status_code,
        client.get(f"/api/v1/projects/{jiangan_project.pk}/plan-versions/").status_code,
        client.post(
            f"/api/v1/projects/{jiangan_project.pk}/plan-versions/", {}, format="json"
        ).status_code,
        post_item(wuchang_officer, version).status_code,
    ]
    assert answers == [404, 404, 404, 404]
    assert PlanVersion.objects.count() == 1 and not PlanItem.objects.exists()


def test_a_designer_assigned_elsewhere_gets_404(version, city):
    from anju.access.models import CompoundAssignment, Organisation, Role
    from anju.conftest import make_user

    firm = Organisation.objects.create(name="别家设计院", kind=Organisation.Kind.DESIGNER)
    CompoundAssignment.objects.create(organisation=firm, compound=city.wuchang_compound)
    stranger = make_user("other-designer", Role.DESIGNER, organisation=firm)
    assert api(stranger).get(f"/api/v1/plan-versions/{version.pk}/").status_code == 404
    assert post_item(stranger, version).status_code == 404


def test_a_designer_who_sees_the_compound_but_is_not_on_the_project_gets_403(
    city, jiangan_project, jiangan_officer
):
    """The designer fixture holds the compound (a CompoundAssignment) but no ProjectAssignment."""
    from anju.access.models import CompoundAssignment, Organisation, Role
    from anju.conftest import make_user

    publish_prices()
    firm = Organisation.objects.create(name="第三设计院", kind=Organisation.Kind.DESIGNER)
    CompoundAssignment.objects.create(organisation=firm, compound=city.jiangan_compound)
    onlooker = make_user("onlooker", Role.DESIGNER, organisation=firm)
    url = f"/api/v1/projects/{jiangan_project.pk}/plan-versions/"
    response = api(onlooker).post(url, {}, format="json")
    assert response.status_code == 403
    assert not PlanVersion.objects.exists()
    assert Decimal(0) == sum(PlanItem.objects.values_list("cost", flat=True))
