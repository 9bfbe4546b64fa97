import datetime as dt
from decimal import Decimal

import pytest

from anju.core.calendar import WorkingCalendar, chinese_calendar_overrides
from anju.core.money import format_area, format_yuan


def test_weekdays_are_working_days_unless_the_table_says_otherwise():
    national_day = dt.date(2025, 10, 1)
    make_up_saturday = dt.date(2025, 9, 28)
    calendar = WorkingCalendar([(national_day, False), (make_up_saturday, True)])
    assert not calendar.is_working_day(national_day)
    assert calendar.is_working_day(make_up_saturday)
    assert calendar.is_working_day(dt.date(2025, 10, 9))
    assert not calendar.is_working_day(dt.date(2025, 10, 11))


def test_seven_working_day_notice_skips_the_holiday():
    overrides = [(dt.date(2025, 10, d), False) for d in range(1, 9)]
    overrides += [(dt.date(2025, 9, 28), True), (dt.date(2025, 10, 11), True)]
    calendar = WorkingCalendar(overrides)
    end = calendar.add_working_days(dt.date(2025, 9, 29), 7)
    # 9-30, (10-1..10-8 off), 10-9, 10-10, 10-11 (make-up Saturday), 10-13, 10-14, 10-15
    assert end == dt.date(2025, 10, 15)
    assert calendar.working_days_between(dt.date(2025, 9, 29), end) == 7


def test_holiday_table_is_seeded_from_chinese_calendar():
    rows = chinese_calendar_overrides([2025])
    days = {day: working for day, working, _ in rows}
    assert days[dt.date(2025, 10, 1)] is False
    assert days[dt.date(2025, 9, 28)] is True


def test_years_the_package_does_not_know_are_left_to_the_table():
    assert chinese_calendar_overrides([2031]) == []


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1274000000"), "12.74亿元"),
        (Decimal("16750000"), "1,675.00万元"),
        (Decimal("980"), "980.00元"),
        (77_000_000, "7,700.00万元"),
    ],
)
def test_money_is_shown_in_the_unit_people_expect(amount, shown):
    assert format_yuan(amount) == shown


def test_area_in_wan_square_metres():
    assert format_area(24_800_000) == "2,480.00万m²"
    assert format_area(Decimal("320.5")) == "321 m²"


def test_english_readers_count_in_millions_and_billions():
    from django.utils import translation

    with translation.override("en"):
        assert format_yuan(Decimal("1274000000")) == "¥1.27 billion"
        assert format_yuan(Decimal("16750000")) == "¥16.75 million"
        assert format_area(24_800_000) == "24,800,000 m²"
