"""The holiday table: seeded at migrate time, edited and imported by the city office, audited,
and a warning when the current or next year has no entries."""

import datetime as dt
import io

import pytest
import xlsxwriter
from django.urls import reverse

from anju.core.calendar import WorkingCalendar
from anju.core.models import AuditEvent, Holiday

pytestmark = pytest.mark.django_db


def test_a_fresh_database_already_has_the_official_holidays_and_make_up_days():
    """`anju migrate` alone (no demo) seeds what chinese-calendar knows."""
    calendar = WorkingCalendar.from_database()

    assert not calendar.is_working_day(dt.date(2025, 10, 1))  # National Day, a Wednesday
    assert calendar.is_working_day(dt.date(2025, 9, 28))  # make-up Sunday
    assert Holiday.objects.get(date=dt.date(2026, 1, 1)).name == "元旦"
    assert Holiday.objects.filter(date__year=2004).exists()
    assert not Holiday.objects.filter(date__year=2027).exists()
