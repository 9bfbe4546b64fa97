"""What scoring reads from engagement: one selector, a constant number of queries."""

import datetime as dt
from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.selectors import engagement_facts
from anju.engagement.services import NeedChoice

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def consulted_compound(city, jiangan_officer):
    scope = Scope(roles=frozenset({"district_task_force"}), node_paths=(city.jiangan.path,))
    compound = city.jiangan_compound
    campaign = services.open_campaign(
        actor=jiangan_officer,
        scope=scope,
        node=city.jiangan,
        title="征集",
        compounds=[compound],
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=10),
    )
    households = list(compound.households.order_by("room"))
    services.submit_needs(
        actor=None,
        campaign=campaign,
        household=households[0],
        needs=[NeedChoice("B15", True), NeedChoice("I13")],
        willingness="some",
        on=TODAY,
    )
    services.submit_needs(
        actor=None,
        campaign=campaign,
        household=households[1],
        needs=[NeedChoice("I13")],
        willingness="none",
        on=TODAY,
    )
    now = timezone.now()
    vote = services.open_vote(
        actor=jiangan_officer,
        scope=scope,
        compound=compound,
        title="改造意愿",
        matter=7,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
    )
    for household in households[:3]:
        services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")
    services.tally_vote(actor=None, vote=vote, at=vote.closes_at)
    return compound


def test_facts_give_response_rate_needs_willingness_and_consent(consulted_compound, city):
    facts = engagement_facts([consulted_compound.pk, city.wuchang_compound.pk])
    mine = facts[consulted_compound.pk]
    assert mine.response_rate == Fraction(2, 4)
    assert mine.top_needs == [("B15", 1, 1), ("I13", 2, 0)]
    assert mine.willing_share == Fraction(1, 2)
    assert mine.consent_passed is True
    assert mine.participation_area == "3/4"
    other = facts[city.wuchang_compound.pk]
    assert other.responses == 0 and other.consent_passed is None


def test_facts_cost_the_same_queries_for_any_number_of_compounds(
    consulted_compound, city, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        engagement_facts([consulted_compound.pk, city.wuchang_compound.pk])
