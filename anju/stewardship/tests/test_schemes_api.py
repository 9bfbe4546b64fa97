"""Schemes API: a compound's scheme (get, put), its budget lines, the district's upkeep
figures. Bad input — a bundle without its name, a company of the wrong kind, a negative
budget, a year budgeted twice — answers 400 with the field and writes nothing."""

from decimal import Decimal

import pytest

from anju.access.models import Organisation
from anju.core.models import AuditEvent
from anju.stewardship.models import BudgetLine, ManagementScheme

pytestmark = pytest.mark.django_db


def scheme_url(compound):
    return f"/api/v1/stewardship/compounds/{compound.code}/scheme/"


def lines_url(compound):
    return f"/api/v1/stewardship/compounds/{compound.code}/budget-lines/"


def put(client, compound, **body):
    values = {"management_model": "red_property", "yearly_upkeep_budget": "36000.00"}
    values.update(body)
    return client.put(scheme_url(compound), values, content_type="application/json")


def test_no_scheme_reads_as_null(city, jiangan_officer, client_as):
    answer = client_as(jiangan_officer).get(scheme_url(city.jiangan_compound))
    assert answer.status_code == 200
    assert answer.json() == {
        "compound": city.jiangan_compound.code,
        "scheme": None,
        "budget_lines": [],
    }


def test_a_keeper_puts_the_scheme_and_its_budget_lines(
    city, jiangan_officer, property_company, client_as
):
    client = client_as(jiangan_officer)
    answer = put(
        client,
        city.jiangan_compound,
        property_company=property_company.pk,
        upkeep_sources=["property_fees", "district_budget"],
        starts_on="2027-01-01",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["scheme"]["property_company_name"] == property_company.name
    added = client.post(
        lines_url(city.jiangan_compound),
        {"year": 2027, "amount": "36000", "reference": "江岸财预〔2027〕1号"},
        content_type="application/json",
    )
    assert added.status_code == 201
    line_url = f"{lines_url(city.jiangan_compound)}{added.json()['id']}/"
    changed = client.put(
        line_url,
        {"year": 2027, "amount": "30000", "reference": "江岸财预〔2027〕2号"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["amount"] == "30000.00"
    assert client.get(scheme_url(city.jiangan_compound)).json()["budget_lines"][0]["year"] == 2027
    assert client.delete(line_url).status_code == 204
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"management_model": "bundled"}, "bundle_name"),
        ({"yearly_upkeep_budget": "-1"}, "yearly_upkeep_budget"),
        ({"management_model": "co_op"}, "management_model"),
        ({"upkeep_sources": ["lottery"]}, "upkeep_sources"),
        ({"property_company": 987654}, "property_company"),
        ({"yearly_upkeep_budget": "lots"}, "yearly_upkeep_budget"),
    ],
)
def test_bad_schemes_answer_400_with_the_field(city, jiangan_officer, client_as, body, field):
    answer = put(client_as(jiangan_officer), city.jiangan_compound, **body)
    assert answer.status_code == 400
    assert field in answer.json()["fields"]
    assert not ManagementScheme.objects.exists()


def test_a_company_of_the_wrong_kind_is_refused(city, jiangan_officer, client_as):
    firm = Organisation.objects.create(name="某施工单位", kind=Organisation.Kind.CONSTRUCTION)
    answer = put(client_as(jiangan_officer), city.jiangan_compound, property_company=firm.pk)
    assert answer.status_code == 400
    assert "property_company" in answer.json()["fields"]
    assert not ManagementScheme.objects.exists()


def test_a_duplicate_year_answers_400_and_keeps_the_first(city, jiangan_officer, client_as):
    client = client_as(jiangan_officer)
    put(client, city.jiangan_compound)
    body = {"year": 2027, "amount": "100", "reference": "x"}
    assert (
        client.post(
            lines_url(city.jiangan_compound), body, content_type="application/json"
        ).status_code
        == 201
    )
    events = AuditEvent.objects.count()
    again = client.post(
        lines_url(city.jiangan_compound), {**body, "amount": "200"}, content_type="application/json"
    )
    assert again.status_code == 400 and "year" in again.json()["fields"]
    assert BudgetLine.objects.get().amount == Decimal("100")
    assert AuditEvent.objects.count() == events


def test_a_line_before_any_scheme_answers_400(city, jiangan_officer, client_as):
    answer = client_as(jiangan_officer).post(
        lines_url(city.jiangan_compound),
        {"year": 2027, "amount": "100", "reference": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "no_scheme"


def test_a_property_company_reads_but_may_not_put(city, property_staff, client_as):
    client = client_as(property_staff)
    assert client.get(scheme_url(city.jiangan_compound)).status_code == 200
    assert put(client, city.jiangan_compound).status_code == 403
    assert not ManagementScheme.objects.exists()


def test_another_district_gets_404(city, wuchang_officer, client_as):
    assert put(client_as(wuchang_officer), city.jiangan_compound).status_code == 404


def test_upkeep_figures_and_bad_years(city, jiangan_officer, client_as):
    client = client_as(jiangan_officer)
    put(client, city.jiangan_compound, management_model="self_management", starts_on="2026-01-01")
    client.post(
        lines_url(city.jiangan_compound),
        {"year": 2026, "amount": "36000", "reference": "x"},
        content_type="application/json",
    )
    answer = client.get("/api/v1/stewardship/upkeep/?year=2026&year=2031")
    assert answer.status_code == 200
    body = answer.json()
    by_year = {row["year"]: row for row in body["years"]}
    assert by_year[2026]["budgeted"] == "36000.00" and by_year[2026]["promised"] == "36000.00"
    missing = {
        row["year"]: [c["code"] for c in row["compounds"]] for row in body["missing_budget_line"]
    }
    assert missing == {2026: [], 2031: [city.jiangan_compound.code]}
    bad = client.get("/api/v1/stewardship/upkeep/?year=26")
    assert bad.status_code == 400 and "year" in bad.json()["fields"]


def test_a_property_company_has_no_district_view(city, property_staff, client_as):
    assert client_as(property_staff).get("/api/v1/stewardship/upkeep/").status_code == 403
