"""What cannot be undone is confirmed first, having said what will happen: approving the annual
plan (it freezes and becomes N projects of M compounds costing the total) and publishing a
round's scores (the round freezes and every compound's score is public). The service refuses
an unconfirmed request, so the page, the API (`"confirm": true`) and the CLI alike must ask."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anju.core.errors import DomainError
from anju.planning import rounds, scenarios, selectors, services
from anju.planning.models import Project

pytestmark = pytest.mark.django_db

ONE_COMPOUND = Decimal("128000")  # 320 m² × 400 元/m²


@pytest.fixture
def published_round(scored_round, city_officer, city_scope):
    return rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=scored_round, confirmed=True
    )


@pytest.fixture
def consolidated(published_round, city, city_officer, city_scope, solve):
    """The 2027 plan with the four best of six compounds selected, ready for approval."""
    scenario = solve(published_round, 4 * ONE_COMPOUND)
    plan = scenarios.adopt_scenario(actor=city_officer, scope=city_scope, scenario=scenario)
    for district in (city.jiangan, city.wuchang):
        services.set_district_budget(
            actor=city_officer,
            scope=city_scope,
            annual_plan=plan,
            district=district,
            max_cost=None,
            min_count=None,
        )
    for status in ("submitted", "consolidated"):
        plan = services.advance_annual_plan(
            actor=city_officer, scope=city_scope, annual_plan=plan, to_status=status
        )
    return plan


def test_the_approval_summary_counts_projects_compounds_and_the_total(consolidated):
    summary = selectors.approval_summary(consolidated)
    assert summary == {"projects": 4, "compounds": 4, "cost": 4 * ONE_COMPOUND}


def test_approving_unconfirmed_is_refused_saying_what_would_happen(
    consolidated, city_officer, city_scope
):
    with pytest.raises(DomainError) as error:
        services.advance_annual_plan(
            actor=city_officer, scope=city_scope, annual_plan=consolidated, to_status="approved"
        )
    assert error.value.code == "confirmation_required"
    assert "4 个项目" in error.value.message and "4 个小区" in error.value.message
    assert "51.20万元" in error.value.message
    consolidated.refresh_from_db()
    assert consolidated.status == "consolidated" and not Project.objects.exists()

    services.advance_annual_plan(
        actor=city_officer,
        scope=city_scope,
        annual_plan=consolidated,
        to_status="approved",
        confirmed=True,
    )
    assert Project.objects.filter(annual_plan=consolidated).count() == 4


def test_the_api_approves_only_with_an_explicit_confirm(consolidated, city_officer):
    client = APIClient()
    client.force_authenticate(city_officer)
    url = f"/api/v1/annual-plans/{consolidated.pk}/advance/"

    refused = client.post(url, {"to_status": "approved"}, format="json")
    approved = client.post(url, {"to_status": "approved", "confirm": True}, format="json")

    assert refused.status_code == 400 and refused.json()["code"] == "confirmation_required"
    assert "4 个项目" in refused.json()["message"]
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_the_approve_button_opens_a_confirmation_page_first(client_as, consolidated, city_officer):
    client = client_as(city_officer)
    detail = client.get(reverse("planning:annual-detail", args=[consolidated.pk])).content
    advance = reverse("planning:annual-advance", args=[consolidated.pk])
    assert f'href="{advance}?to_status=approved"'.encode() in detail

    page = client.get(advance, {"to_status": "approved"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "4 个项目" in text and "4 个小区" in text and "51.20万元" in text
    assert 'name="confirm"' in text
    assert not Project.objects.exists()

    unconfirmed = client.post(advance, {"to_status": "approved"}, follow=True)
    assert "请确认" in unconfirmed.content.decode() and not Project.objects.exists()
    client.post(advance, {"to_status": "approved", "confirm": "yes"})
    consolidated.refresh_from_db()
    assert consolidated.is_frozen and Project.objects.count() == 4


def test_publishing_a_round_unconfirmed_is_refused_saying_it_freezes(
    scored_round, city_officer, city_scope
):
    with pytest.raises(DomainError) as error:
        rounds.publish_round(actor=city_officer, scope=city_scope, scoring_round=scored_round)
    assert error.value.code == "confirmation_required"
    assert "6 个小区" in error.value.message
    scored_round.refresh_from_db()
    assert not scored_round.is_published


def test_the_publish_button_and_the_api_ask_for_confirmation(client_as, scored_round, city_officer):
    client = client_as(city_officer)
    publish = reverse("planning:round-publish", args=[scored_round.pk])
    page = client.get(publish)
    assert page.status_code == 200 and "6 个小区" in page.content.decode()
    client.post(publish)
    scored_round.refresh_from_db()
    assert not scored_round.is_published

    api = APIClient()
    api.force_authenticate(city_officer)
    refused = api.post(f"/api/v1/rounds/{scored_round.pk}/publish/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "confirmation_required"
    client.post(publish, {"confirm": "yes"})
    scored_round.refresh_from_db()
    assert scored_round.is_published
