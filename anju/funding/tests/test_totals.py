"""City and district totals match a hand-computed fixture: three projects in two districts
with known postings, one of them reversed.

By hand (yuan):
  江岸 F01: committed 100,000 city; received 80,000 city + 100,000 utility + 50,000 district
            (reversed: −50,000); disbursed 50,000 city.
  江岸 F02: received 300,000 residents (2028); disbursed 120,000 residents (2028).
  武昌 F01: committed 100,000 city; received 100,000 city; disbursed 99,999.99 city.
  江岸: committed 100,000.00, received 480,000.00, disbursed 170,000.00, waiting 310,000.00
  武昌: committed 100,000.00, received 100,000.00, disbursed 99,999.99, waiting 0.01
  city: committed 200,000.00, received 580,000.00, disbursed 269,999.99, waiting 310,000.01
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from anju.core.scope import Scope
from anju.funding.selectors import ledger as selectors
from anju.funding.services import ledger as services

from .conftest import approved_project
from .ledgering import confirm_progress, confirmed_plan, district_scope, post, source

pytestmark = pytest.mark.django_db

D = Decimal


def figures(f):
    return (f.committed, f.received, f.disbursed, f.waiting)


@pytest.fixture
def three_projects(city, power_company):
    a = approved_project(city.jiangan, city.jiangan_compound, "2027-420102-F01")
    b = approved_project(city.jiangan, city.jiangan_compound, "2027-420102-F02")
    c = approved_project(city.wuchang, city.wuchang_compound, "2027-420106-F01")
    for project in (a, b, c):
        confirmed_plan(project, power_company)
        confirm_progress(project, "100")
    day = dt.date
    post(a, "commitment", "city_special", "100000.00", entry_date=day(2027, 1, 10))
    post(a, "receipt", "city_special", "80000.00", entry_date=day(2027, 2, 1))
    post(a, "receipt", "utility", "100000.00", entry_date=day(2027, 2, 1), payer=power_company)
    wrong = post(a, "receipt", "district_fiscal", "50000.00", entry_date=day(2027, 2, 15))
    services.reverse_entry(actor=None, scope=district_scope(a), entry=wrong, reason="重复录入")
    post(a, "disbursement", "city_special", "50000.00", entry_date=day(2027, 3, 1))
    post(b, "receipt", "residents_direct", "300000.00", entry_date=day(2028, 1, 5))
    post(b, "disbursement", "residents_direct", "120000.00", entry_date=day(2028, 2, 1))
    post(c, "commitment", "city_special", "100000.00", entry_date=day(2027, 1, 10))
    post(c, "receipt", "city_special", "100000.00", entry_date=day(2027, 1, 20))
    post(c, "disbursement", "city_special", "99999.99", entry_date=day(2027, 5, 1))
    return a, b, c


def city_scope(city):
    return Scope(roles=frozenset({"city_office"}), node_paths=(city.city.path,))


def test_district_and_city_totals_match_the_hand_computed_figures(city, three_projects):
    totals = selectors.ledger_totals(city_scope(city), by="district")
    by_district = {row.key[0]: figures(row.figures) for row in totals.rows}
    assert by_district == {
        "420102": (D("100000.00"), D("480000.00"), D("170000.00"), D("310000.00")),
        "420106": (D("100000.00"), D("100000.00"), D("99999.99"), D("0.01")),
    }
    assert figures(totals.total) == (
        D("200000.00"),
        D("580000.00"),
        D("269999.99"),
        D("310000.01"),
    )


def test_a_district_sees_its_own_totals_only(city, three_projects):
    totals = selectors.ledger_totals(district_scope(three_projects[0]), by="district")
    assert [row.key[0] for row in totals.rows] == ["420102"]
    assert figures(totals.total) == (
        D("100000.00"),
        D("480000.00"),
        D("170000.00"),
        D("310000.00"),
    )


def test_totals_by_source_group_and_by_year(city, three_projects):
    groups = selectors.ledger_totals(city_scope(city), by="group")
    assert {row.key[0]: figures(row.figures) for row in groups.rows} == {
        "government": (D("200000.00"), D("180000.00"), D("149999.99"), D("30000.01")),
        "utility": (D("0.00"), D("100000.00"), D("0.00"), D("100000.00")),
        "residents": (D("0.00"), D("300000.00"), D("120000.00"), D("180000.00")),
    }
    in_2028 = selectors.ledger_totals(city_scope(city), by="source", year=2028)
    assert [(row.key[0], figures(row.figures)) for row in in_2028.rows] == [
        ("residents_direct", (D("0.00"), D("300000.00"), D("120000.00"), D("180000.00")))
    ]
    wuchang = selectors.ledger_totals(city_scope(city), by="district", district="420106")
    assert figures(wuchang.total)[2] == D("99999.99")


def test_projects_short_of_funding(city, power_company, three_projects):
    short = approved_project(city.wuchang, city.wuchang_compound, "2027-420106-F02")
    services.save_funding_plan(
        actor=None,
        scope=district_scope(short),
        project=short,
        lines=[services.PlanLineInput(source=source("city_special"), amount=D("100000.00"))],
    )
    found = {row.project.code: row for row in selectors.short_of_funding(city_scope(city))}
    assert found["2027-420106-F02"].plan_shortfall == D("450000.00")
    assert found["2027-420102-F01"].receipt_shortfall == D("370000.00")  # 550,000 − 180,000
    assert found["2027-420106-F01"].plan_shortfall == D("0.00")


def test_the_index_page_shows_the_totals_in_wan_and_exports_them(
    city, three_projects, city_officer, client
):
    client.force_login(city_officer)
    page = client.get(reverse("funding:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "58.00万元" in text and "31.00万元" in text
    export = client.get(reverse("funding:totals-export") + "?by=district")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from anju.core.excel import read_excel_bytes

    book = read_excel_bytes(export.content)
    sheet = book.sheets[book.names[0]]
    total_row = [row for row in sheet.rows if any(cell not in ("", None) for cell in row)][-1]
    assert [float(cell) for cell in total_row[2:6]] == [200000.0, 580000.0, 269999.99, 310000.01]
