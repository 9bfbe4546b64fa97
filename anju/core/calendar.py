"""Working days in Asia/Shanghai, from the editable holiday table.

The State Council publishes each year's holidays and make-up working weekends. The table
(`core.Holiday`) is seeded from `chinese-calendar` (which stops at 2026) and edited by the
city office for later years. A date not in the table is a working day on Monday–Friday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


class WorkingCalendar:
    """A calendar built from (date, is_working_day) overrides; pure, so tests need no database."""

    def __init__(self, overrides: Iterable[tuple[dt.date, bool]] = ()):
        self.overrides = dict(overrides)

    @classmethod
    def from_database(cls) -> WorkingCalendar:
        from .models import Holiday

        return cls(Holiday.objects.values_list("date", "is_working_day"))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (start itself not counted)."""
        step = 1 if days >= 0 else -1
        remaining = abs(days)
        day = start
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end], the way a notice period is counted."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def chinese_calendar_overrides(years: Iterable[int]) -> list[tuple[dt.date, bool, str]]:
    """Holidays and make-up working days that `chinese-calendar` knows for the given years."""
    import chinese_calendar

    rows = []
    for year in years:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        try:
            holidays = chinese_calendar.get_holidays(start, end, include_weekends=False)
            workdays = chinese_calendar.get_workdays(start, end, include_weekends=True)
        except NotImplementedError:
            continue
        for day in holidays:
            _, name = chinese_calendar.get_holiday_detail(day)
            rows.append((day, False, name or ""))
        for day in workdays:
            if day.weekday() >= 5:
                rows.append((day, True, "调休"))
    return rows
