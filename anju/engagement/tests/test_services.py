"""Engagement services: one answer and one ballot per household, windows, channels, audit."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.models import Ballot, Channel, Submission
from anju.engagement.services import NeedChoice

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def district_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


@pytest.fixture
def campaign(city, jiangan_officer):
    return services.open_campaign(
        actor=jiangan_officer,
        scope=district_scope(city.jiangan),
        node=city.jiangan,
        title="铭新街小区改造需求征集",
        compounds=[city.jiangan_compound],
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=14),
    )


@pytest.fixture
def household(city):
    return city.jiangan_compound.households.order_by("room").first()


def test_opening_a_campaign_outside_the_district_is_not_found(city, jiangan_officer):
    with pytest.raises(NotFound):
        services.open_campaign(
            actor=jiangan_officer,
            scope=district_scope(city.jiangan),
            node=city.wuchang,
            title="x",
            compounds=[city.wuchang_compound],
            starts_on=TODAY,
            ends_on=TODAY,
        )


def test_a_household_answers_once_and_may_change_its_answer(campaign, household):
    services.submit_needs(
        actor=None,
        campaign=campaign,
        household=household,
        needs=[NeedChoice("B15", True)],
        on=TODAY,
    )
    services.submit_needs(
        actor=None,
        campaign=campaign,
        household=household,
        needs=[NeedChoice("I13"), NeedChoice("B01", True)],
        willingness="some",
        on=TODAY,
    )
    submission = Submission.objects.get()
    assert sorted(n.item.code for n in submission.needs.all()) == ["B01", "I13"]
    assert submission.willingness == "some"
    assert AuditEvent.objects.filter(verb="needs.submitted").count() == 2


def test_answers_are_read_only_after_the_window(campaign, household):
    with pytest.raises(DomainError) as error:
        services.submit_needs(
            actor=None,
            campaign=campaign,
            household=household,
            needs=[NeedChoice("B15")],
            on=TODAY + timedelta(days=15),
        )
    assert error.value.code == "campaign_closed"
    assert not Submission.objects.exists()


def test_unknown_item_is_refused_and_nothing_is_written(campaign, household):
    with pytest.raises(DomainError):
        services.submit_needs(
            actor=None, campaign=campaign, household=household, needs=[NeedChoice("ZZ9")], on=TODAY
        )
    assert not Submission.objects.exists()


def test_door_to_door_answers_are_recorded_on_behalf_with_the_paper(
    campaign, household, jiangan_officer
):
    with pytest.raises(DomainError):
        services.submit_needs(
            actor=jiangan_officer,
            campaign=campaign,
            household=household,
            needs=[NeedChoice("B15")],
            channel=Channel.DOOR_TO_DOOR,
            on=TODAY,
        )
    with pytest.raises(PermissionDenied):
        services.submit_needs(
            actor=None,
            campaign=campaign,
            household=household,
            needs=[NeedChoice("B15")],
            channel=Channel.DOOR_TO_DOOR,
            paper_reference="JA-001",
            on=TODAY,
        )
    submission = services.submit_needs(
        actor=jiangan_officer,
        campaign=campaign,
        household=household,
        needs=[NeedChoice("B15")],
        channel=Channel.DOOR_TO_DOOR,
        paper_reference="JA-001",
        on=TODAY,
    )
    assert submission.recorded_by == jiangan_officer
    assert submission.channel == Channel.DOOR_TO_DOOR


def test_a_household_of_another_compound_cannot_answer(campaign, city):
    other = city.wuchang_compound.households.first()
    with pytest.raises(NotFound):
        services.submit_needs(
            actor=None, campaign=campaign, household=other, needs=[NeedChoice("B15")], on=TODAY
        )


@pytest.fixture
def vote(city, jiangan_officer):
    now = timezone.now()
    return services.open_vote(
        actor=jiangan_officer,
        scope=district_scope(city.jiangan),
        compound=city.jiangan_compound,
        title="是否同意实施老旧小区改造",
        matter=7,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )


def test_a_household_may_change_its_ballot_but_never_has_two(vote, household):
    services.cast_ballot(actor=None, vote=vote, household=household, choice="disagree")
    services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["agree"]
    assert Ballot.history.count() == 2
    event = AuditEvent.objects.filter(verb="ballot.cast").first()
    assert event.before == {"choice": "disagree"} and event.after["choice"] == "agree"


def test_no_ballot_after_the_vote_closes(vote, household):
    with pytest.raises(DomainError) as error:
        services.cast_ballot(
            actor=None, vote=vote, household=household, choice="agree", at=vote.closes_at
        )
    assert error.value.code == "vote_closed"


def test_unit_vote_is_only_for_the_units_households(city, jiangan_officer):
    now = timezone.now()
    unit = city.jiangan_compound.households.first().unit
    vote = services.open_vote(
        actor=jiangan_officer,
        scope=district_scope(city.jiangan),
        compound=city.jiangan_compound,
        unit=unit,
        title="加装电梯",
        matter=7,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    assert vote.building == unit.building
    outsider = city.wuchang_compound.households.first()
    with pytest.raises(NotFound):
        services.cast_ballot(actor=None, vote=vote, household=outsider, choice="agree")


def test_tally_counts_every_unit_and_explains(vote, city):
    households = list(city.jiangan_compound.households.order_by("room"))
    for household in households[:3]:
        services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")
    with pytest.raises(DomainError):
        services.tally_vote(actor=None, vote=vote)
    result = services.tally_vote(actor=None, vote=vote, at=vote.closes_at)
    assert result["participation"]["area_ratio"]["fraction"] == "3/4"
    assert result["approval"]["head_ratio"]["fraction"] == "1/1"
    assert result["passed"] is True


def test_one_owner_of_two_units_keeps_one_voice(vote, city):
    first, second = list(city.jiangan_compound.households.order_by("room"))[:2]
    second.owner_key = first.owner_key
    second.save()
    services.cast_ballot(actor=None, vote=vote, household=first, choice="agree")
    services.cast_ballot(actor=None, vote=vote, household=second, choice="disagree")
    assert set(Ballot.objects.values_list("choice", flat=True)) == {"disagree"}
    result = services.tally_vote(actor=None, vote=vote, at=vote.closes_at)
    assert result["totals"]["heads"] == 3


def test_compound_is_consulted_once_a_campaign_closed_and_a_vote_is_tallied(
    campaign, vote, city, household
):
    services.cast_ballot(actor=None, vote=vote, household=household, choice="agree")
    services.tally_vote(actor=None, vote=vote, at=vote.closes_at)
    compound = city.jiangan_compound
    compound.refresh_from_db()
    assert compound.stage == "registered"  # the campaign is still open
    services.advance_to_consulted_when_ready(
        actor=None, compound=compound, on=campaign.ends_on + timedelta(days=1)
    )
    compound.refresh_from_db()
    assert compound.stage == "consulted"
    assert AuditEvent.objects.filter(verb="compound.stage_changed").count() == 1
