"""Coverage figures by district and street against a hand-computed fixture, their change over
time read from the registry's history, the uncovered list and the .xlsx export.

The fixture: 江岸区 has five compounds in two streets (武昌区 one, all uncovered).

| street | compound | management status | owners' committee | party organisation |
|---|---|---|---|---|
| 大智街道 | 铭新街小区 (conftest) | none | no | none |
| 大智街道 | 黎黄陂路小区 | professional | yes | branch |
| 大智街道 | 洞庭街小区 | red_property | no | joint |
| 一元街道 | 胜利街小区 | self_managed | yes | none |
| 一元街道 | 南京路小区 | street_managed | no | none |

大智街道: property 2/3 = 66.7 %, committee 1/3 = 33.3 %, party 2/3 = 66.7 %.
一元街道: property 0/2 = 0.0 %, committee 1/2 = 50.0 %, party 0/2 = 0.0 %.
江岸区: 2/5, 2/5, 2/5 = 40.0 % each; the city (six compounds): 2/6 = 33.3 % each.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from anju.access.scope import scope_for
from anju.conftest import make_compound, make_node
from anju.stewardship.selectors import coverage as selectors
from anju.territory.models import Compound, Node

pytestmark = pytest.mark.django_db


def set_fields(compound, **fields):
    for name, value in fields.items():
        setattr(compound, name, value)
    compound.save()


@pytest.fixture
def five_compounds(city):
    street = make_node(Node.Kind.STREET, "420102002", "一元街道", city.jiangan)
    community = make_node(Node.Kind.COMMUNITY, "420102002001", "一元社区", street)
    first = city.jiangan_community
    compounds = {
        "铭新街小区": city.jiangan_compound,
        "黎黄陂路小区": make_compound(
            first, "420102001001002", "黎黄陂路小区", lon=114.3, lat=30.6
        ),
        "洞庭街小区": make_compound(first, "420102001001003", "洞庭街小区", lon=114.3, lat=30.6),
        "胜利街小区": make_compound(
            community, "420102002001001", "胜利街小区", lon=114.3, lat=30.6
        ),
        "南京路小区": make_compound(
            community, "420102002001002", "南京路小区", lon=114.3, lat=30.6
        ),
    }
    set_fields(
        compounds["黎黄陂路小区"],
        management_status="professional",
        has_owners_committee=True,
        party_organisation="branch",
    )
    set_fields(
        compounds["洞庭街小区"], management_status="red_property", party_organisation="joint"
    )
    set_fields(compounds["胜利街小区"], management_status="self_managed", has_owners_committee=True)
    set_fields(compounds["南京路小区"], management_status="street_managed")
    return compounds


def shares(row):
    return (row.property_share, row.owners_committee_share, row.party_share)


def test_coverage_by_street_matches_the_hand_computed_fixture(five_compounds, jiangan_officer):
    report = selectors.coverage_report(scope_for(jiangan_officer), over_time=False)
    assert report.level == "street"
    by_name = {row.name: row for row in report.rows}
    assert list(by_name) == ["大智街道", "一元街道"]
    assert by_name["大智街道"].compounds == 3
    assert shares(by_name["大智街道"]) == (Decimal("66.7"), Decimal("33.3"), Decimal("66.7"))
    assert by_name["一元街道"].compounds == 2
    assert shares(by_name["一元街道"]) == (Decimal("0.0"), Decimal("50.0"), Decimal("0.0"))
    assert shares(report.total) == (Decimal("40.0"),) * 3


def test_coverage_by_district_matches_the_hand_computed_fixture(five_compounds, city_officer):
    report = selectors.coverage_report(scope_for(city_officer), over_time=False)
    assert report.level == "district"
    by_name = {row.name: row for row in report.rows}
    assert shares(by_name["江岸区"]) == (Decimal("40.0"),) * 3
    assert by_name["武昌区"].compounds == 1
    assert shares(by_name["武昌区"]) == (Decimal("0.0"),) * 3
    assert report.total.compounds == 6
    assert shares(report.total) == (Decimal("33.3"),) * 3


def test_a_district_officer_sees_only_their_districts_compounds(five_compounds, wuchang_officer):
    report = selectors.coverage_report(scope_for(wuchang_officer), over_time=False)
    assert [row.name for row in report.rows] == ["积玉桥街道"]
    assert report.total.compounds == 1


def test_the_uncovered_list_names_what_each_compound_lacks(five_compounds, jiangan_officer):
    rows = {
        row.name: row.lacks for row in selectors.uncovered_compounds(scope_for(jiangan_officer))
    }
    assert "黎黄陂路小区" not in rows  # covered on all three
    assert rows["洞庭街小区"] == ("owners_committee",)
    assert rows["胜利街小区"] == ("property", "party")
    assert rows["铭新街小区"] == ("property", "owners_committee", "party")
    only_party = selectors.uncovered_compounds(scope_for(jiangan_officer), lacking="party")
    assert {row.name for row in only_party} == {"铭新街小区", "胜利街小区", "南京路小区"}


# --- over time ----------------------------------------------------------------------------


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def dated(compound, day: dt.date) -> None:
    """The compound's latest history row happened on `day` (simple-history's history_date)."""
    latest = compound.history.order_by("-history_date", "-history_id").first()
    Compound.history.filter(history_id=latest.history_id).update(history_date=at(day))


def test_coverage_over_time_follows_the_dates_statuses_changed(city, jiangan_officer):
    """Two compounds registered in mid-2023; one gets property service on 10 Feb 2025, the
    other an owners' committee and a joint party branch on 5 Aug 2025."""
    first = city.jiangan_compound
    second = make_compound(city.jiangan_community, "420102001001009", "三德里", lon=114.3, lat=30.6)
    for compound in (first, second):
        Compound.history.filter(id=compound.pk).update(history_date=at(dt.date(2023, 6, 1)))
    set_fields(first, management_status="professional")
    dated(first, dt.date(2025, 2, 10))
    set_fields(second, has_owners_committee=True, party_organisation="joint")
    dated(second, dt.date(2025, 8, 5))

    report = selectors.coverage_report(scope_for(jiangan_officer), today=dt.date(2025, 11, 20))
    points = {point.day: point.total for point in report.over_time}
    assert list(points) == [
        dt.date(2023, 12, 31),
        dt.date(2024, 3, 31),
        dt.date(2024, 6, 30),
        dt.date(2024, 9, 30),
        dt.date(2024, 12, 31),
        dt.date(2025, 3, 31),
        dt.date(2025, 6, 30),
        dt.date(2025, 9, 30),
        dt.date(2025, 11, 20),
    ]
    assert shares(points[dt.date(2024, 12, 31)]) == (Decimal("0.0"),) * 3
    assert shares(points[dt.date(2025, 3, 31)]) == (Decimal("50.0"), Decimal("0.0"), Decimal("0.0"))
    assert shares(points[dt.date(2025, 9, 30)]) == (Decimal("50.0"),) * 3
    assert points[dt.date(2025, 9, 30)].compounds == 2


def test_a_compound_registered_later_is_not_counted_before(city, jiangan_officer):
    Compound.history.filter(id=city.jiangan_compound.pk).update(
        history_date=at(dt.date(2025, 5, 1))
    )
    report = selectors.coverage_report(scope_for(jiangan_officer), today=dt.date(2025, 7, 1))
    points = {point.day: point.total for point in report.over_time}
    assert points[dt.date(2025, 3, 31)].compounds == 0
    assert points[dt.date(2025, 3, 31)].property_share is None
    assert points[dt.date(2025, 6, 30)].compounds == 1


def test_the_report_reads_once_per_time_point(
    five_compounds, jiangan_officer, django_assert_num_queries
):
    scope = scope_for(jiangan_officer)
    # compounds, node names, then eight quarter ends and today
    with django_assert_num_queries(2 + 9):
        selectors.coverage_report(scope)


def test_quarter_ends_are_the_eight_before_today():
    ends = selectors.quarter_ends(dt.date(2026, 12, 2))
    assert ends[0] == dt.date(2024, 12, 31)
    assert ends[-1] == dt.date(2026, 9, 30)
    assert len(ends) == 8


# --- export -------------------------------------------------------------------------------


def test_the_export_has_the_figures_and_the_uncovered_list(
    five_compounds, jiangan_officer, client_as
):
    response = client_as(jiangan_officer).get(reverse("stewardship:coverage-export"))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    figures = book.get_sheet_by_name("覆盖率").to_python()
    by_name = {row[1]: row for row in figures[1:]}
    assert by_name["大智街道"][2:] == [3, 2, 66.7, 1, 33.3, 2, 66.7]
    assert by_name["合计"][2] == 5
    uncovered = book.get_sheet_by_name("未覆盖小区").to_python()
    names = {row[1] for row in uncovered[1:]}
    assert "铭新街小区" in names and "黎黄陂路小区" not in names
    assert "积玉桥宿舍" not in names


def test_the_export_leaves_out_other_districts(five_compounds, wuchang_officer, client_as):
    response = client_as(wuchang_officer).get(reverse("stewardship:coverage-export"))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    uncovered = book.get_sheet_by_name("未覆盖小区").to_python()
    assert {row[1] for row in uncovered[1:]} == {"积玉桥宿舍"}
    figures = book.get_sheet_by_name("覆盖率").to_python()
    assert [row[1] for row in figures[1:]] == ["积玉桥街道", "合计"]
