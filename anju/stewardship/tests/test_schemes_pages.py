"""Scheme pages: the keepers edit the scheme and budget lines from the hub (a refusal comes
back on the form with 400 and writes nothing); the district view and its .xlsx export hold the
viewer's territory only."""

import io
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from anju.access.scope import scope_for
from anju.stewardship import services
from anju.stewardship.models import BudgetLine, ManagementScheme

pytestmark = pytest.mark.django_db

BASE = "/workbench/stewardship"


def scheme(officer, compound, **kwargs):
    return services.save_management_scheme(
        actor=officer,
        scope=scope_for(officer),
        compound=compound,
        management_model=kwargs.pop("management_model", "self_management"),
        yearly_upkeep_budget=Decimal("12000"),
        **kwargs,
    )


def test_a_keeper_fills_the_scheme_from_the_hub(city, jiangan_officer, property_company, client_as):
    client = client_as(jiangan_officer)
    code = city.jiangan_compound.code
    form = client.get(f"{BASE}/compounds/{code}/scheme/")
    assert form.status_code == 200 and property_company.name in form.content.decode()
    answer = client.post(
        f"{BASE}/compounds/{code}/scheme/",
        {
            "management_model": "red_property",
            "property_company": property_company.pk,
            "upkeep_sources": ["property_fees", "public_income"],
            "yearly_upkeep_budget": "48000",
            "starts_on": "2027-01-01",
        },
    )
    assert answer.status_code == 302 and answer["Location"].endswith(f"/compounds/{code}/")
    saved = ManagementScheme.objects.get()
    assert saved.property_company == property_company
    assert saved.upkeep_sources == ["property_fees", "public_income"]


def test_a_bundle_without_its_name_comes_back_on_the_form(city, jiangan_officer, client_as):
    answer = client_as(jiangan_officer).post(
        f"{BASE}/compounds/{city.jiangan_compound.code}/scheme/",
        {"management_model": "bundled", "yearly_upkeep_budget": "1000"},
    )
    assert answer.status_code == 400
    assert "片区打包物业需要填写片区名称" in answer.content.decode()
    assert not ManagementScheme.objects.exists()


def test_budget_lines_are_added_changed_and_removed_from_the_hub(city, jiangan_officer, client_as):
    scheme(jiangan_officer, city.jiangan_compound)
    client = client_as(jiangan_officer)
    code = city.jiangan_compound.code
    body = {"year": "2027", "amount": "12000", "reference": "江岸财预〔2027〕1号"}
    assert client.post(f"{BASE}/compounds/{code}/budget-lines/", body).status_code == 302
    twice = client.post(f"{BASE}/compounds/{code}/budget-lines/", body)
    assert twice.status_code == 400 and "该年度已有预算安排" in twice.content.decode()
    line = BudgetLine.objects.get()
    edited = client.post(
        f"{BASE}/compounds/{code}/budget-lines/{line.pk}/", {**body, "amount": "10000"}
    )
    assert edited.status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("10000")
    hub = client.get(f"{BASE}/compounds/{code}/").content.decode()
    assert "江岸财预〔2027〕1号" in hub
    assert client.post(f"{BASE}/compounds/{code}/budget-lines/{line.pk}/delete/").status_code == 302
    assert not BudgetLine.objects.exists()


def test_a_community_page_refuses_a_property_company(city, property_staff, client_as):
    answer = client_as(property_staff).get(f"{BASE}/compounds/{city.jiangan_compound.code}/scheme/")
    assert answer.status_code == 403


def test_the_district_view_and_export_hold_the_viewers_territory_only(
    city, jiangan_officer, wuchang_officer, client_as
):
    scheme(jiangan_officer, city.jiangan_compound)
    scheme(wuchang_officer, city.wuchang_compound)
    client = client_as(jiangan_officer)
    page = client.get(f"{BASE}/upkeep/?year=2027").content.decode()
    assert city.jiangan_compound.name in page and city.wuchang_compound.name not in page
    export = client.get(f"{BASE}/upkeep/export/?year=2027")
    assert export.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
    cells = [
        str(cell)
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for cell in row
    ]
    assert city.jiangan_compound.code in cells
    assert city.wuchang_compound.code not in cells
    assert city.wuchang_compound.name not in cells


def test_a_bad_year_answers_400(city, jiangan_officer, client_as):
    assert client_as(jiangan_officer).get(f"{BASE}/upkeep/?year=abcd").status_code == 400
