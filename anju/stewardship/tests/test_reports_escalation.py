"""Reminders and escalation of overdue reports, with a controlled clock and a fixed holiday
table: a reminder a working day before the due date, the district the day after it, the city
three working days after it (holidays not counted)."""

import datetime as dt

import pytest

from anju.access.scope import scope_for_household
from anju.core.calendar import SHANGHAI
from anju.core.duties import registered_duties
from anju.core.models import AuditEvent, Holiday
from anju.stewardship.models import Channel, Escalation, ProblemReport, ReportCategory, Status
from anju.stewardship.selectors.reports import overdue_reports
from anju.stewardship.services import escalate_overdue_reports, file_report

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 12, 4)  # a Friday


@pytest.fixture
def holidays(db):
    """Monday 7 December is a day off in this fixture; nothing else."""
    Holiday.objects.all().delete()
    Holiday.objects.create(date=dt.date(2026, 12, 7), is_working_day=False, name="测试假日")


def at(day, hour=9):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def report(city, jiangan_household, holidays):
    report = file_report(
        actor=None,
        scope=scope_for_household(jiangan_household),
        compound=city.jiangan_compound,
        category=ReportCategory.objects.get(code="clutter"),
        description="楼道堆放杂物",
        channel=Channel.PORTAL,
    )
    ProblemReport.objects.filter(pk=report.pk).update(
        submitted_at=at(dt.date(2026, 12, 1)), due_on=DUE
    )
    return report


def state(report):
    row = ProblemReport.objects.get(pk=report.pk)
    return row.reminded_on, row.escalation


def test_the_handler_is_reminded_a_working_day_before_the_due_date(report):
    assert escalate_overdue_reports(at(dt.date(2026, 12, 2)))["reminded"] == 0
    assert escalate_overdue_reports(at(dt.date(2026, 12, 3)))["reminded"] == 1
    assert state(report) == (dt.date(2026, 12, 3), Escalation.NONE)
    assert report.steps.filter(kind="reminder").count() == 1


def test_an_overdue_report_goes_to_the_district_then_the_city(report):
    assert escalate_overdue_reports(at(DUE, 17))["district"] == 0  # due today: not overdue
    assert escalate_overdue_reports(at(dt.date(2026, 12, 5)))["district"] == 1
    assert state(report)[1] == Escalation.DISTRICT
    # three working days after Friday's due date: Monday 7th is a holiday, so Thursday 10th
    assert escalate_overdue_reports(at(dt.date(2026, 12, 9)))["city"] == 0
    assert state(report)[1] == Escalation.DISTRICT
    assert escalate_overdue_reports(at(dt.date(2026, 12, 10)))["city"] == 1
    assert state(report)[1] == Escalation.CITY
    steps = list(report.steps.filter(kind="escalated").values_list("note", flat=True))
    assert len(steps) == 2 and "区级" in steps[0] and "市级" in steps[1]
    assert AuditEvent.objects.filter(verb="stewardship.report_escalated").count() == 2


def test_escalation_is_idempotent(report):
    first = escalate_overdue_reports(at(dt.date(2026, 12, 11)))
    assert first == {"reminded": 0, "district": 0, "city": 1}
    events = AuditEvent.objects.count()
    assert escalate_overdue_reports(at(dt.date(2026, 12, 11))) == {
        "reminded": 0,
        "district": 0,
        "city": 0,
    }
    assert AuditEvent.objects.count() == events


def test_a_resolved_or_duplicate_report_is_not_escalated(report):
    ProblemReport.objects.filter(pk=report.pk).update(status=Status.RESOLVED)
    assert escalate_overdue_reports(at(dt.date(2026, 12, 11))) == {
        "reminded": 0,
        "district": 0,
        "city": 0,
    }


def test_overdue_reports_lists_open_reports_past_their_due_date(report, jiangan_officer):
    from anju.access.scope import scope_for

    scope = scope_for(jiangan_officer)
    assert list(overdue_reports(scope, DUE)) == []
    assert list(overdue_reports(scope, DUE + dt.timedelta(days=1))) == [report]


def test_the_escalation_is_a_registered_duty():
    duty = {d.name: d for d in registered_duties()}["stewardship.escalate_overdue_reports"]
    assert duty.run is escalate_overdue_reports
