"""Plan pages: the project's plan section (versions, schemes, workshops, marking ready), a
version's page (items, totals, needs), each refusal on its form with its status, and another
district's records answering 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from anju.access.scope import scope_for
from anju.design.models import PlanItem, PlanVersion, Workshop
from anju.design.services import plans as services
from anju.stewardship.models import ManagementScheme
from anju.territory.models import Stage

from .planning_helpers import ask_needs, assign, item, publish_prices

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafter(designer, jiangan_project, city):
    publish_prices()
    return assign(designer, jiangan_project)


@pytest.fixture
def version(drafter, jiangan_project):
    return services.create_plan_version(
        actor=drafter, scope=scope_for(drafter), project=jiangan_project
    )


def add_item(client, version, **body):
    data = {
        "compound": version.project.compounds.get().pk,
        "item": item("B14").pk,
        "quantity": "10",
        **body,
    }
    return client.post(reverse("design:plan-item-add", args=[version.pk]), data)


def test_the_project_page_shows_the_plan_section(client_as, drafter, version):
    response = client_as(drafter).get(reverse("design:project-detail", args=[version.project.pk]))
    assert response.status_code == 200
    assert "改造方案" in response.text
    assert reverse("design:plan-version-detail", args=[version.pk]) in response.text


def test_the_designer_starts_the_plan_from_the_project_page(client_as, drafter, jiangan_project):
    response = client_as(drafter).post(
        reverse("design:plan-version-create", args=[jiangan_project.pk])
    )
    version = PlanVersion.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("design:plan-version-detail", args=[version.pk])


def test_adding_an_item_shows_it_with_the_totals(client_as, drafter, version):
    client = client_as(drafter)
    added = add_item(client, version)
    page = client.get(reverse("design:plan-version-detail", args=[version.pk]))

    assert added.status_code == 302
    assert page.status_code == 200
    assert "屋面修缮" in page.text and "1,500.00" in page.text


def test_a_negative_quantity_is_a_400_on_the_form_and_nothing_written(client_as, drafter, version):
    response = add_item(client_as(drafter), version, quantity="-3")
    assert response.status_code == 400
    assert "数量必须大于零。" in response.text
    assert not PlanItem.objects.exists()


def test_an_unpriced_item_is_a_400_on_the_form(client_as, drafter, version):
    response = add_item(client_as(drafter), version, item=item("B03").pk)
    assert response.status_code == 400
    assert "没有“供电设施”的单价" in response.text
    assert not PlanItem.objects.exists()


def test_editing_a_noticed_version_is_a_409(client_as, drafter, version):
    client = client_as(drafter)
    add_item(client, version)
    line = PlanItem.objects.get()
    PlanVersion.objects.filter(pk=version.pk).update(status=PlanVersion.Status.NOTICED)

    added = add_item(client, version, item=item("I13").pk, quantity="1")
    changed = client.post(reverse("design:plan-item-edit", args=[line.pk]), {"quantity": "99"})
    removed = client.post(reverse("design:plan-item-delete", args=[line.pk]))

    assert (added.status_code, changed.status_code, removed.status_code) == (409, 409, 409)
    assert list(PlanItem.objects.values_list("quantity", flat=True)) == [Decimal("10.00")]


def test_an_uncovered_need_is_answered_on_the_version_page(client_as, drafter, version, city):
    ask_needs(city.jiangan, city.jiangan_compound, [["I13"], ["I13"]])
    client = client_as(drafter)
    url = reverse("design:plan-need-answer", args=[version.pk])
    body = {"compound": city.jiangan_compound.pk, "item": item("I13").pk}

    empty = client.post(url, {**body, "reason": ""})
    answered = client.post(url, {**body, "reason": "不具备加装条件"})
    page = client.get(reverse("design:plan-version-detail", args=[version.pk]))

    assert empty.status_code == 400
    assert answered.status_code == 302
    assert "加装电梯" in page.text and "不具备加装条件" in page.text


def test_the_district_saves_a_scheme_and_the_designer_marks_the_plan_ready(
    client_as, drafter, version, jiangan_officer, city
):
    add_item(client_as(drafter), version)
    project = version.project
    scheme = client_as(jiangan_officer).post(
        reverse("design:plan-scheme-save", args=[project.pk]),
        {
            "compound": city.jiangan_compound.pk,
            "management_model": "red_property",
            "yearly_upkeep_budget": "36000",
        },
    )
    ready = client_as(drafter).post(reverse("design:plan-mark-ready", args=[project.pk]))

    assert scheme.status_code == 302 and ManagementScheme.objects.exists()
    assert ready.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.DESIGNED


def test_marking_ready_without_a_scheme_is_a_400_with_the_reason(client_as, drafter, version):
    add_item(client_as(drafter), version)
    response = client_as(drafter).post(reverse("design:plan-mark-ready", args=[version.project.pk]))
    assert response.status_code == 400
    assert "还没有长效管理方案" in response.text
    version.project.refresh_from_db()
    assert version.project.stage == Stage.PLANNED


def test_a_workshop_is_recorded_from_the_project_page(client_as, drafter, jiangan_project):
    response = client_as(drafter).post(
        reverse("design:plan-workshop-add", args=[jiangan_project.pk]),
        {"held_on": "2027-03-05", "attendees": "30", "suggestions": "增加休息座椅"},
    )
    assert response.status_code == 302
    assert Workshop.objects.get().suggestions == "增加休息座椅"


def test_another_districts_plan_pages_are_not_found(client_as, version, wuchang_officer):
    client = client_as(wuchang_officer)
    project = version.project
    answers = [
        client.get(reverse("design:plan-version-detail", args=[version.pk])).status_code,
        add_item(client, version).status_code,
        client.post(reverse("design:plan-version-create", args=[project.pk])).status_code,
        client.post(reverse("design:plan-workshop-add", args=[project.pk])).status_code,
        client.post(reverse("design:plan-scheme-save", args=[project.pk])).status_code,
        client.post(reverse("design:plan-mark-ready", args=[project.pk])).status_code,
    ]
    assert answers == [404] * 6
    assert not PlanItem.objects.exists() and PlanVersion.objects.count() == 1
