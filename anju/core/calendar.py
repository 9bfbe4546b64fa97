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


def chinese_calendar_years() -> range:
    """The years `chinese-calendar` has the State Council's schedule for (2004–2026 in 1.11)."""
    from chinese_calendar.constants import holidays

    return range(min(holidays).year, max(holidays).year + 1)


def chinese_calendar_overrides(years: Iterable[int]) -> list[tuple[dt.date, bool, str]]:
    """Holidays (weekend days of a holiday period included, so the table names them) and
    make-up working days that `chinese-calendar` knows for the given years, with the
    holiday's Chinese name; years it does not know give nothing."""
    from chinese_calendar.constants import Holiday as Festival
    from chinese_calendar.constants import holidays, workdays

    wanted = set(years)
    rows = [
        (day, False, Festival(name).chinese) for day, name in holidays.items() if day.year in wanted
    ]
    rows += [
        (day, True, Festival(name).chinese + "调休")
        for day, name in workdays.items()
        if day.year in wanted
    ]
    return sorted(rows)


def seed_holidays(model, years: Iterable[int] | None = None) -> int:
    """Insert the package's schedule for `years` (default: all it knows), keeping rows the city
    office has already entered. A data migration calls this, so a fresh install counts the
    official holidays without the demo."""
    rows = chinese_calendar_overrides(chinese_calendar_years() if years is None else years)
    created = model.objects.bulk_create(
        [model(date=day, is_working_day=working, name=name) for day, working, name in rows],
        ignore_conflicts=True,
    )
    return len(created)
