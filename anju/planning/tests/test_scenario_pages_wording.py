"""Scenario pages speak the reader's language: the solver's status in words, compounds named
with their code and district in a comparison, and no link a district officer cannot open."""

from decimal import Decimal

import pytest
from django.urls import reverse

from anju.planning import rounds, scenarios

pytestmark = pytest.mark.django_db

ONE_COMPOUND = Decimal("128000")


@pytest.fixture
def published_round(scored_round, city_officer, city_scope):
    return rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=scored_round, confirmed=True
    )


def test_the_solver_status_is_shown_in_words(client_as, city_officer, published_round, solve):
    tight = solve(published_round, 2 * ONE_COMPOUND, name="两个")
    roomy = solve(published_round, 4 * ONE_COMPOUND, name="四个")
    assert tight.result["status"] == "optimal"
    client = client_as(city_officer)
    detail = client.get(reverse("planning:scenario-detail", args=[tight.pk])).content.decode()
    compare = client.get(
        reverse("planning:round-compare", args=[published_round.pk]), {"s": [tight.pk, roomy.pk]}
    ).content.decode()
    for page in (detail, compare):
        assert "已证明最优" in page and ">optimal<" not in page


def test_a_comparison_names_compounds_with_code_and_district(
    client_as, city_officer, published_round, solve, candidates
):
    tight = solve(published_round, 2 * ONE_COMPOUND, name="两个")
    roomy = solve(published_round, 4 * ONE_COMPOUND, name="四个")
    differing = set(roomy.selected_ids) - set(tight.selected_ids)
    compound = next(c for c in candidates.all if str(c.pk) in differing)
    page = (
        client_as(city_officer)
        .get(
            reverse("planning:round-compare", args=[published_round.pk]),
            {"s": [tight.pk, roomy.pk]},
        )
        .content.decode()
    )
    row = page.split(compound.name, 1)[1].split("</tr>", 1)[0]
    assert compound.code in row
    assert compound.community.parent.parent.name in row


@pytest.fixture
def adopted(city_officer, city_scope, published_round, solve):
    scenario = solve(published_round, 4 * ONE_COMPOUND, name="四个")
    return scenarios.adopt_scenario(actor=city_officer, scope=city_scope, scenario=scenario)


def test_a_district_officer_gets_no_link_to_the_adopted_scenario(
    client_as, city_officer, jiangan_officer, adopted
):
    plan, scenario = adopted, adopted.adopted_scenario
    link = reverse("planning:scenario-detail", args=[scenario.pk])
    client = client_as(jiangan_officer)
    assert client.get(link).status_code == 404
    page = client.get(reverse("planning:annual-detail", args=[plan.pk])).content.decode()
    assert link not in page and "四个" in page
    city_page = client_as(city_officer).get(reverse("planning:annual-detail", args=[plan.pk]))
    assert link in city_page.content.decode()
