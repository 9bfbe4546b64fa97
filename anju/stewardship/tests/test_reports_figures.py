"""The compound's public list hides personal data; possible duplicates are suggested; the
handling figures (time to resolve in working days, reopen rate, mean rating) match a fixture."""

import datetime as dt

import pytest

from anju.access.scope import scope_for, scope_for_household
from anju.core.calendar import SHANGHAI, WorkingCalendar
from anju.stewardship.models import Channel, ProblemReport, ReportCategory, Status
from anju.stewardship.selectors.reports import public_reports, report_metrics, suggest_duplicates
from anju.stewardship.services import file_report
from anju.territory.models import Building

pytestmark = pytest.mark.django_db


def filed(household, code="clutter", **kwargs):
    return file_report(
        actor=None,
        scope=scope_for_household(household),
        compound=household.compound,
        category=ReportCategory.objects.get(code=code),
        description=kwargs.pop("description", "楼道堆放杂物"),
        channel=Channel.PORTAL,
        **kwargs,
    )


def test_the_public_list_shows_no_household_caller_or_phone(city, jiangan_community_worker):
    file_report(
        actor=jiangan_community_worker,
        scope=scope_for(jiangan_community_worker),
        compound=city.jiangan_compound,
        category=ReportCategory.objects.get(code="noise"),
        description="夜间噪声",
        channel=Channel.PHONE,
        caller_name="张三",
        caller_phone="13800001234",
    )
    [row] = public_reports(city.jiangan_compound)
    values = " ".join(str(value) for value in vars(row).values())
    assert row.description == "夜间噪声"
    assert "张三" not in values and "13800001234" not in values
    assert not hasattr(row, "household") and not hasattr(row, "caller_name")


def test_duplicates_are_suggested_in_the_same_building_or_within_fifty_metres(
    city, jiangan_household
):
    building = Building.objects.get(compound=city.jiangan_compound)
    in_building = filed(jiangan_household, building=building)
    near = filed(jiangan_household, longitude=114.2900, latitude=30.5900)
    far = filed(jiangan_household, longitude=114.2950, latitude=30.5900)  # about 480 m east
    filed(jiangan_household, code="noise", building=building)  # another category
    category = in_building.category
    by_building = suggest_duplicates(city.jiangan_compound, category, building=building)
    assert by_building == [in_building]
    by_point = suggest_duplicates(
        city.jiangan_compound, category, longitude=114.2903, latitude=30.5901
    )
    assert by_point == [near]
    assert set(suggest_duplicates(city.jiangan_compound, category)) == {in_building, near, far}


def test_a_long_resolved_report_is_no_longer_suggested(city, jiangan_household):
    old = filed(jiangan_household)
    ProblemReport.objects.filter(pk=old.pk).update(
        status=Status.CONFIRMED, resolved_at=dt.datetime(2025, 1, 1, tzinfo=SHANGHAI)
    )
    assert suggest_duplicates(city.jiangan_compound, old.category) == []


def moment(day, hour=10):
    return dt.datetime(2026, 11, day, hour, tzinfo=SHANGHAI)


def test_metrics_match_a_fixture(city, jiangan_household, jiangan_contract, jiangan_officer):
    """Four reports in 铭新街小区 (Mon 2 Nov 2026 … ), no holidays:
    A resolved Wed 4th (2 working days), rated 5; B resolved Mon 9th (5 working days), reopened
    once before, rated 3; C reopened and in progress; D open and overdue."""
    a, b, c, d = (filed(jiangan_household) for _ in range(4))
    rows = {
        a.pk: {"status": Status.CONFIRMED, "resolved_at": moment(4), "rating": 5},
        b.pk: {"status": Status.RESOLVED, "resolved_at": moment(9), "rating": 3, "reopen_count": 1},
        c.pk: {"status": Status.IN_PROGRESS, "reopen_count": 1, "due_on": dt.date(2099, 1, 1)},
        d.pk: {"status": Status.SUBMITTED, "due_on": dt.date(2026, 11, 3)},
    }
    for pk, values in rows.items():
        ProblemReport.objects.filter(pk=pk).update(submitted_at=moment(2), **values)
    [row] = report_metrics(
        scope_for(jiangan_officer),
        "compound",
        day=dt.date(2026, 11, 20),
        calendar=WorkingCalendar(),
    )
    assert (row.label, row.reports, row.open, row.overdue, row.resolved) == (
        "铭新街小区",
        4,
        2,
        1,
        2,
    )
    assert row.median_days_to_resolve == 3.5 and row.mean_days_to_resolve == 3.5
    assert row.reopen_rate == round(2 / 3, 3)  # B and C reopened, of A, B, C resolved once
    assert (row.mean_rating, row.ratings) == (4.0, 2)
    [company] = report_metrics(scope_for(jiangan_officer), "company", calendar=WorkingCalendar())
    assert (company.label, company.reports) == (jiangan_contract.company.name, 4)
    [district] = report_metrics(scope_for(jiangan_officer), "district", calendar=WorkingCalendar())
    assert (district.key, district.label) == ("420102", "江岸区")
