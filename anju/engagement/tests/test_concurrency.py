"""Many people at the same moment: the database keeps one ballot and one answer per household.

These run on PostgreSQL only (the `make test-postgres` pass, or
`scripts/with-postgres.sh .venv/bin/pytest anju/engagement/tests/test_concurrency.py`):
SQLite takes one writer at a time, so it cannot show a race. Every test starts its threads
together on a `threading.Barrier`; each thread uses its own connection and closes it.

Connections: the throw-away server has max_connections=200, and the test itself holds one, so
200 threads cannot all hold a connection at once. The threads are all started and released
together, but the database work goes through a semaphore of 150: 150 requests really hit the
same row at the same moment, the rest queue behind them, as a connection pool would make them.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from anju.catalogue.models import CatalogueItem
from anju.core.actors import CLI
from anju.core.calendar import today as calendar_today
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.engagement import services
from anju.engagement.models import Ballot, Matter, NeedSelection, Submission, SupersededBallot
from anju.engagement.services import NeedChoice
from anju.territory.models import Building, Household, Unit

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need PostgreSQL (row locks, concurrent writers); SQLite has one writer",
    ),
    pytest.mark.django_db(transaction=True),
]


DB_GATE = 150
CHOICES = ("agree", "disagree", "abstain")


def at_the_same_moment(count: int, work) -> tuple[list, list[BaseException]]:
    """Run work(i) for i in range(count) in `count` threads released together; each thread
    closes its own database connection. Returns (results, errors)."""
    barrier = threading.Barrier(count)
    gate = threading.BoundedSemaphore(DB_GATE)
    results, errors = [], []
    lock = threading.Lock()

    def thread(index):
        try:
            barrier.wait(timeout=60)
            with gate:
                result = work(index)
            with lock:
                results.append(result)
        except BaseException as error:  # collected and reported by the test
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(count)]
    for each in threads:
        each.start()
    for each in threads:
        each.join(timeout=300)
    assert not any(each.is_alive() for each in threads), "threads still running after 5 min"
    return results, errors


def district_scope(node):
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(node.path,))


def open_vote(officer, city, **where):
    now = timezone.now()
    return services.open_vote(
        actor=officer,
        scope=district_scope(city.jiangan),
        compound=city.jiangan_compound,
        title="加装电梯",
        matter=Matter.REBUILD_OR_ALTER,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        **where,
    )


def test_200_simultaneous_ballots_of_one_household_leave_exactly_one(city, jiangan_officer):
    vote = open_vote(jiangan_officer, city)
    household = city.jiangan_compound.households.order_by("room").first()

    def cast(index):
        choice = CHOICES[index % 3]
        services.cast_ballot(actor=None, vote=vote, household=household, choice=choice)
        return choice

    submitted, errors = at_the_same_moment(200, cast)

    assert not errors, errors[:3]
    assert len(submitted) == 200
    ballots = list(Ballot.objects.filter(vote=vote))
    assert len(ballots) == 1
    assert ballots[0].household_id == household.pk
    assert ballots[0].choice in set(submitted)
    assert AuditEvent.objects.filter(verb="ballot.cast").count() == 200


def test_200_households_voting_at_once_are_all_counted(city, jiangan_officer):
    building = Building.objects.create(compound=city.jiangan_compound, number="9栋", floors=20)
    unit = Unit.objects.create(building=building, number="1单元")
    Household.objects.bulk_create(
        Household(
            unit=unit,
            compound=city.jiangan_compound,
            room=f"{index // 10 + 1}{index % 10:02d}",
            floor=index // 10 + 1,
            exclusive_area=Decimal("75.50"),
            owner_key=f"tower-owner-{index}",
        )
        for index in range(200)
    )
    households = list(Household.objects.filter(unit=unit).order_by("pk"))
    assert len(households) == 200
    vote = open_vote(jiangan_officer, city, building=building, unit=unit)

    def cast(index):
        choice = CHOICES[index % 3]
        services.cast_ballot(actor=None, vote=vote, household=households[index], choice=choice)
        return choice

    submitted, errors = at_the_same_moment(200, cast)

    assert not errors, errors[:3]
    assert Ballot.objects.filter(vote=vote).count() == 200
    vote.closes_at = timezone.now() - dt.timedelta(seconds=1)
    vote.save(update_fields=["closes_at"])
    result = services.tally_vote(actor=CLI, vote=vote, at=timezone.now())
    totals = result["totals"]
    assert totals["units"] == 200
    assert totals["heads"] == 200
    assert totals["participating_heads"] == 200
    assert totals["not_voted_units"] == 0
    assert totals["agreeing_heads"] == submitted.count("agree") == 67
    assert Decimal(totals["participating_area"]) == Decimal("75.50") * 200


def test_50_simultaneous_answers_of_one_household_leave_one_whole_answer(city, jiangan_officer):
    assert CatalogueItem.objects.active().exists(), "the seeded catalogue is restored"
    today = calendar_today()
    campaign = services.open_campaign(
        actor=jiangan_officer,
        scope=district_scope(city.jiangan),
        node=city.jiangan,
        title="同时提交",
        compounds=[city.jiangan_compound],
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=1),
    )
    household = city.jiangan_compound.households.order_by("room").first()
    codes = list(CatalogueItem.objects.active().values_list("code", flat=True)[:10])
    answers = {index: frozenset(codes[index % 10 : index % 10 + 3]) for index in range(50)}

    def submit(index):
        services.submit_needs(
            actor=None,
            campaign=campaign,
            household=household,
            needs=[NeedChoice(code, code == min(answers[index])) for code in answers[index]],
            comment=f"answer {index}",
        )
        return index

    submitted, errors = at_the_same_moment(50, submit)

    assert not errors, errors[:3]
    assert len(submitted) == 50
    submission = Submission.objects.get(campaign=campaign)
    assert Submission.objects.filter(campaign=campaign).count() == 1
    winner = int(submission.comment.removeprefix("answer "))
    stored = set(
        NeedSelection.objects.filter(submission=submission).values_list("item__code", flat=True)
    )
    assert stored == answers[winner], "the needs belong to the same answer as the comment"
    assert AuditEvent.objects.filter(verb="needs.submitted").count() == 50


def test_simultaneous_paper_ballots_of_one_household_never_replace_each_other_unconfirmed(
    city, jiangan_officer
):
    """Twenty staff entering different papers for one household at once: one is recorded,
    every other is told a ballot exists (409), none silently replaces it, nothing is lost."""
    vote = open_vote(jiangan_officer, city)
    household = city.jiangan_compound.households.order_by("room").first()

    def record(index):
        return services.cast_ballot(
            actor=jiangan_officer,
            vote=vote,
            household=household,
            choice=CHOICES[index % 3],
            channel="door_to_door",
            paper_reference=f"P-{index}",
        ).paper_reference

    recorded, errors = at_the_same_moment(20, record)

    assert len(recorded) == 1
    assert len(errors) == 19
    assert all(isinstance(e, services.BallotReplacementUnconfirmed) for e in errors), errors[:3]
    assert list(Ballot.objects.values_list("paper_reference", flat=True)) == recorded
    assert not SupersededBallot.objects.exists()


def test_one_paper_reference_entered_for_two_households_at_once_is_refused_once(
    city, jiangan_officer
):
    vote = open_vote(jiangan_officer, city)
    households = list(city.jiangan_compound.households.order_by("room"))

    def record(index):
        return services.cast_ballot(
            actor=jiangan_officer,
            vote=vote,
            household=households[index],
            choice="agree",
            channel="door_to_door",
            paper_reference="P-SAME",
        ).household_id

    recorded, errors = at_the_same_moment(len(households), record)

    assert len(recorded) == 1
    assert [e.code for e in errors] == ["paper_reference_taken"] * (len(households) - 1)
    assert Ballot.objects.get().household_id == recorded[0]
