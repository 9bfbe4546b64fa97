"""The owners' committee's term, applied by a daily duty with a controlled clock: the day after
the term ends the compound no longer counts as having an owners' committee (and its coverage
share drops), the audit event says whose term ended, a second run changes nothing, a committee
still in office is left alone and one in office whose flag was switched off is counted again.

The profile is saved today with a term ending `TERM_ENDS` (in a month, so the committee is in
office when saved); the duty is then run on mornings around that day."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.scope import scope_for
from anju.conftest import make_compound
from anju.core.calendar import SHANGHAI, today
from anju.core.duties import registered_duties
from anju.core.models import AuditEvent
from anju.stewardship.selectors import coverage as selectors
from anju.stewardship.services import coverage as services
from anju.territory.models import Compound

pytestmark = pytest.mark.django_db

TERM_ENDS = today() + dt.timedelta(days=30)
DAY_AFTER = TERM_ENDS + dt.timedelta(days=1)
NOTHING = {"terms_ended": 0, "in_office": 0}


def morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(6), tzinfo=SHANGHAI)


def run_duty(day: dt.date) -> dict:
    """The registered duty, as `anju duties` and the worker run it."""
    duty = {d.name: d for d in registered_duties()}["stewardship.sync_owners_committee_terms"]
    return duty.run(morning(day))


def save_committee(officer, compound, *, term_ends_on):
    return services.save_governance_profile(
        actor=officer,
        scope=scope_for(officer),
        compound=compound,
        owners_committee_elected_on=today() - dt.timedelta(days=1000),
        owners_committee_term_ends_on=term_ends_on,
    )


def has_committee(compound) -> bool:
    return Compound.objects.get(pk=compound.pk).has_owners_committee


def committee_share(officer) -> Decimal | None:
    report = selectors.coverage_report(scope_for(officer), over_time=False)
    return report.total.owners_committee_share


@pytest.fixture
def ending(city, jiangan_officer):
    """铭新街小区's committee, in office until `TERM_ENDS`."""
    save_committee(jiangan_officer, city.jiangan_compound, term_ends_on=TERM_ENDS)
    assert has_committee(city.jiangan_compound)
    return city.jiangan_compound


@pytest.fixture
def current(city, jiangan_officer):
    """A second 江岸 compound whose committee serves a year beyond `TERM_ENDS`."""
    compound = make_compound(
        city.jiangan_community, "420102001001002", "黎黄陂路小区", lon=114.3, lat=30.6
    )
    save_committee(jiangan_officer, compound, term_ends_on=TERM_ENDS + dt.timedelta(days=365))
    return compound


def coverage_events(compound):
    return AuditEvent.objects.filter(
        verb="stewardship.coverage_changed", object_id=str(compound.pk)
    ).order_by("pk")


def test_the_term_check_is_a_registered_daily_duty():
    duty = {d.name: d for d in registered_duties()}["stewardship.sync_owners_committee_terms"]
    assert duty.every == dt.timedelta(days=1)


def test_a_committee_counts_on_the_last_day_of_its_term(ending):
    assert run_duty(TERM_ENDS) == NOTHING
    assert has_committee(ending)


def test_a_term_that_ended_yesterday_no_longer_counts_after_the_duty(
    ending, current, jiangan_officer
):
    assert committee_share(jiangan_officer) == Decimal("100.0")
    history = ending.history.count()

    assert run_duty(DAY_AFTER) == {"terms_ended": 1, "in_office": 0}

    assert has_committee(ending) is False
    assert committee_share(jiangan_officer) == Decimal("50.0")
    latest = ending.history.order_by("-history_date").first()
    assert ending.history.count() == history + 1
    assert latest.has_owners_committee is False
    assert latest.history_change_reason == "owners_committee_term"


def test_the_audit_event_names_the_term_that_ended(ending):
    run_duty(DAY_AFTER)
    event = coverage_events(ending).last()
    assert event.actor_label == "system:worker"
    assert event.before["has_owners_committee"] is True
    assert event.after["has_owners_committee"] is False
    assert TERM_ENDS.isoformat() in event.after["reason"]
    assert "届满" in event.after["reason"]


def test_a_second_run_changes_nothing_and_writes_no_events(ending):
    run_duty(DAY_AFTER)
    events = AuditEvent.objects.count()
    history = ending.history.count()
    assert run_duty(DAY_AFTER) == NOTHING
    assert run_duty(DAY_AFTER + dt.timedelta(days=1)) == NOTHING
    assert AuditEvent.objects.count() == events
    assert ending.history.count() == history


def test_a_committee_still_in_office_is_untouched(ending, current):
    events = coverage_events(current).count()
    history = current.history.count()
    run_duty(DAY_AFTER)
    assert has_committee(current) is True
    assert coverage_events(current).count() == events
    assert current.history.count() == history


def test_a_committee_in_office_counts_again_when_its_flag_was_switched_off(current):
    Compound.objects.filter(pk=current.pk).update(has_owners_committee=False)

    assert run_duty(DAY_AFTER) == {"terms_ended": 0, "in_office": 1}

    assert has_committee(current) is True
    event = coverage_events(current).last()
    assert event.after["has_owners_committee"] is True
    assert "仍在任期内" in event.after["reason"]
    assert run_duty(DAY_AFTER) == NOTHING


def test_a_compound_without_a_recorded_committee_keeps_the_registrys_flag(city):
    Compound.objects.filter(pk=city.wuchang_compound.pk).update(has_owners_committee=True)
    assert run_duty(DAY_AFTER) == NOTHING
    assert has_committee(city.wuchang_compound) is True
