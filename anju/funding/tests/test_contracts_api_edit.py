"""Changing a contract or a loan through the API (PATCH /funding/contracts/{id}/ and
/funding/loans/{id}/): what is sent changes and the rest stays, through the workbench's
services, so the change is audited and only the district task force or the city office may
make it; bad input answers 400 and changes nothing; another district answers 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from anju.access.models import Role
from anju.conftest import make_user
from anju.core.models import AuditEvent

from .. import events
from ..models import InvestmentContract, Loan
from .contracting import contract_over, loan_for

pytestmark = pytest.mark.django_db

UNKNOWN_PROJECT = 987654321


@pytest.fixture
def contract(city, jiangan_funded_project):
    """Signed 2024-03-01 for 5 years (2024–2028), 1,000,000.00 committed, 2025's revenue."""
    return contract_over(city, [jiangan_funded_project], flows=[(2025, "revenue", "1000.00")])


@pytest.fixture
def loan(city, jiangan_funded_project):
    """10,000,000.00 at 3.200 % for 60 months from 2024-01-15."""
    return loan_for(city, city.jiangan, [jiangan_funded_project])


@pytest.fixture
def officer_client(client_as, jiangan_officer):
    """The 江岸区 task force, who may change the district's contracts and loans."""
    return client_as(jiangan_officer)


@pytest.fixture
def jiangan_reviewer(city):
    """A department reviewer of 江岸区: sees the district's contracts, may not change them."""
    return make_user("jiangan-reviewer", Role.DEPARTMENT_REVIEWER, node=city.jiangan)


def patch(client, name, pk, body):
    return client.patch(reverse(name, args=[pk]), body, content_type="application/json")


def contract_as_stored(contract) -> dict:
    return events.contract_snapshot(InvestmentContract.objects.get(pk=contract.pk))


def loan_as_stored(loan) -> dict:
    return events.loan_snapshot(Loan.objects.get(pk=loan.pk))


# --- an authorised change -------------------------------------------------------------------


def test_a_district_officer_changes_a_contracts_term_and_investment(
    client_as, jiangan_officer, contract, jiangan_funded_project
):
    client = client_as(jiangan_officer)
    response = patch(
        client,
        "api-funding-contract",
        contract.pk,
        {"term_years": 10, "investment_committed": "1500000.00"},
    )
    assert response.status_code == 200, response.json()
    shown = client.get(reverse("api-funding-contract", args=[contract.pk])).json()
    assert shown["term_years"] == 10 and shown["investment_committed"] == "1500000.00"
    assert [p["id"] for p in shown["projects"]] == [jiangan_funded_project.pk]  # left as it was
    assert shown["name"] == contract.name and [f["year"] for f in shown["flows"]] == [2025]
    payback = client.get(reverse("api-funding-contract-payback", args=[contract.pk])).json()
    assert len(payback["rows"]) == 10  # the payback view runs over the new term


def test_the_contracts_change_is_audited_with_the_old_values(
    client_as, jiangan_officer, contract, city
):
    patch(
        client_as(jiangan_officer),
        "api-funding-contract",
        contract.pk,
        {"term_years": 10, "investment_committed": "1500000.00"},
    )
    event = AuditEvent.objects.get(verb="contract.changed")
    assert event.actor == jiangan_officer and event.territory_path == city.jiangan.path
    assert event.before == {"investment_committed": "1000000.00", "term_years": 5}
    assert event.after == {"investment_committed": "1500000.00", "term_years": 10}


def test_a_district_officer_changes_a_loans_rate_and_its_interest_follows(
    client_as, jiangan_officer, loan, jiangan_funded_project
):
    client = client_as(jiangan_officer)
    response = patch(client, "api-funding-loan", loan.pk, {"annual_rate": "3.5"})
    assert response.status_code == 200, response.json()
    shown = client.get(reverse("api-funding-loan", args=[loan.pk])).json()
    assert shown["annual_rate"] == "3.500"
    assert shown["schedule"]["total_interest"] == "1750000.00"  # 10 M × 3.5 % × 5 years
    assert shown["amount"] == "10000000.00" and shown["term_months"] == 60
    assert [p["id"] for p in shown["projects"]] == [jiangan_funded_project.pk]


def test_the_loans_change_is_audited_with_the_old_rate(client_as, jiangan_officer, loan, city):
    patch(client_as(jiangan_officer), "api-funding-loan", loan.pk, {"annual_rate": "3.5"})
    event = AuditEvent.objects.get(verb="loan.changed")
    assert event.actor == jiangan_officer and event.territory_path == city.jiangan.path
    assert event.before == {"annual_rate": "3.200"} and event.after == {"annual_rate": "3.500"}


def test_a_loan_keeps_its_district_whatever_the_body_says(client_as, city_officer, loan, city):
    response = patch(
        client_as(city_officer),
        "api-funding-loan",
        loan.pk,
        {"district": city.wuchang.code, "term_months": 72},
    )
    assert response.status_code == 200
    assert response.json()["district"] == city.jiangan.code
    assert response.json()["term_months"] == 72


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"investment_committed": "-5.00"}, "amount_not_positive", "investment_committed"),
        ({"investment_committed": "0"}, "amount_not_positive", "investment_committed"),
        # No end date is stored: the term is what puts the end after the start.
        ({"term_years": 0}, "invalid", "term_years"),
        # Signed later, the contract would end before 2025's recorded revenue could start.
        ({"signed_on": "2026-01-01"}, "flow_outside_term", "term_years"),
        ({"term_years": 1}, "flow_outside_term", "term_years"),
        ({"projects": [UNKNOWN_PROJECT]}, "project_not_found", "projects"),
        ({"projects": []}, "invalid", "projects"),
        ({"signed_on": "2024-02-30"}, "invalid", "signed_on"),
    ],
)
def test_bad_contract_input_answers_400_and_changes_nothing(
    officer_client, contract, body, code, field
):
    before = contract_as_stored(contract)
    response = patch(officer_client, "api-funding-contract", contract.pk, body)
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == code and answer["message"] and field in answer["fields"]
    assert contract_as_stored(contract) == before
    assert not AuditEvent.objects.filter(verb="contract.changed").exists()


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"amount": "-1.00"}, "amount_not_positive", "amount"),
        ({"annual_rate": "-0.5"}, "invalid", "annual_rate"),
        ({"annual_rate": "31"}, "invalid", "annual_rate"),
        ({"term_months": 0}, "invalid", "term_months"),
        ({"kind": "pawnshop"}, "invalid", "kind"),
        ({"projects": [UNKNOWN_PROJECT]}, "project_not_found", "projects"),
    ],
)
def test_bad_loan_input_answers_400_and_changes_nothing(officer_client, loan, body, code, field):
    before = loan_as_stored(loan)
    response = patch(officer_client, "api-funding-loan", loan.pk, body)
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == code and answer["message"] and field in answer["fields"]
    assert loan_as_stored(loan) == before
    assert not AuditEvent.objects.filter(verb="loan.changed").exists()


def test_another_districts_project_answers_like_an_unknown_one(
    client_as, jiangan_officer, contract, loan, wuchang_funded_project
):
    client = client_as(jiangan_officer)
    contract_before, loan_before = contract_as_stored(contract), loan_as_stored(loan)
    for name, record in (("api-funding-contract", contract), ("api-funding-loan", loan)):
        response = patch(client, name, record.pk, {"projects": [wuchang_funded_project.pk]})
        assert response.status_code == 400 and response.json()["code"] == "project_not_found"
        assert str(wuchang_funded_project.pk) in response.json()["message"]
        assert wuchang_funded_project.code not in response.json()["message"]
    assert contract_as_stored(contract) == contract_before
    assert loan_as_stored(loan) == loan_before
    assert not AuditEvent.objects.filter(verb__in=["contract.changed", "loan.changed"]).exists()


def test_the_city_office_cannot_move_a_contract_or_loan_to_another_districts_project(
    client_as, city_officer, contract, loan, wuchang_funded_project
):
    client = client_as(city_officer)
    contract_before, loan_before = contract_as_stored(contract), loan_as_stored(loan)
    moved = patch(
        client, "api-funding-contract", contract.pk, {"projects": [wuchang_funded_project.pk]}
    )
    assert moved.status_code == 400 and moved.json()["code"] == "projects_span_districts"
    financed = patch(client, "api-funding-loan", loan.pk, {"projects": [wuchang_funded_project.pk]})
    assert financed.status_code == 400 and financed.json()["code"] == "project_outside_district"
    assert contract_as_stored(contract) == contract_before
    assert loan_as_stored(loan) == loan_before


# --- who may ------------------------------------------------------------------------------


def test_another_district_gets_404_and_changes_nothing(client_as, wuchang_officer, contract, loan):
    client = client_as(wuchang_officer)
    contract_before, loan_before = contract_as_stored(contract), loan_as_stored(loan)
    events_before = AuditEvent.objects.count()
    for name, record, body in (
        ("api-funding-contract", contract, {"term_years": 10}),
        ("api-funding-loan", loan, {"annual_rate": "3.5"}),
    ):
        response = patch(client, name, record.pk, body)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert contract_as_stored(contract) == contract_before
    assert loan_as_stored(loan) == loan_before
    assert AuditEvent.objects.count() == events_before


def test_a_reviewer_who_sees_the_contract_may_not_change_it(
    client_as, jiangan_reviewer, contract, loan
):
    client = client_as(jiangan_reviewer)
    assert client.get(reverse("api-funding-contract", args=[contract.pk])).status_code == 200
    contract_before, loan_before = contract_as_stored(contract), loan_as_stored(loan)
    for name, record, body in (
        ("api-funding-contract", contract, {"term_years": 10}),
        ("api-funding-loan", loan, {"annual_rate": "3.5"}),
    ):
        response = patch(client, name, record.pk, body)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert contract_as_stored(contract) == contract_before
    assert loan_as_stored(loan) == loan_before
    assert not AuditEvent.objects.filter(verb__in=["contract.changed", "loan.changed"]).exists()


def test_the_loan_service_refuses_a_term_it_does_not_know(city, loan):
    from ..services import contracts as services
    from .contracting import actor, city_scope

    with pytest.raises(TypeError):
        services.change_loan(
            actor=actor(),
            scope=city_scope(city),
            loan=loan,
            projects=[],
            district=city.wuchang,
            starts_on=dt.date(2025, 1, 1),
        )
    assert Loan.objects.get().starts_on == dt.date(2024, 1, 15)
    assert Loan.objects.get().amount == Decimal("10000000.00")


# --- the loan's page ---------------------------------------------------------------------------


def loan_page_body(loan, **changes) -> dict:
    body = {
        "lender": loan.lender,
        "kind": loan.kind,
        "borrower": loan.borrower_id or "",
        "amount": str(loan.amount),
        "annual_rate": str(loan.annual_rate),
        "term_months": loan.term_months,
        "starts_on": loan.starts_on.isoformat(),
        "projects": [project.pk for project in loan.projects.all()],
    }
    body.update(changes)
    return body


def test_a_district_officer_corrects_a_loan_on_its_page(officer_client, loan):
    edit = reverse("funding:loan-edit", args=[loan.pk])
    assert (
        edit in officer_client.get(reverse("funding:loan-detail", args=[loan.pk])).content.decode()
    )
    form = officer_client.get(edit)
    assert form.status_code == 200 and 'value="3.200"' in form.content.decode()
    answer = officer_client.post(edit, loan_page_body(loan, annual_rate="2.95", district="420106"))
    assert answer.status_code == 302
    stored = Loan.objects.get(pk=loan.pk)
    assert stored.annual_rate == Decimal("2.950") and stored.district == loan.district
    event = AuditEvent.objects.get(verb="loan.changed")
    assert event.before == {"annual_rate": "3.200"} and event.after == {"annual_rate": "2.950"}


def test_a_bad_loan_on_the_page_answers_400_and_changes_nothing(officer_client, loan):
    before = loan_as_stored(loan)
    answer = officer_client.post(
        reverse("funding:loan-edit", args=[loan.pk]), loan_page_body(loan, term_months=0)
    )
    assert answer.status_code == 400 and "loan-form" in answer.content.decode()
    assert loan_as_stored(loan) == before
    assert not AuditEvent.objects.filter(verb="loan.changed").exists()


def test_a_reviewer_reads_the_loan_but_is_offered_no_edit(client_as, jiangan_reviewer, loan):
    client = client_as(jiangan_reviewer)
    edit = reverse("funding:loan-edit", args=[loan.pk])
    assert edit not in client.get(reverse("funding:loan-detail", args=[loan.pk])).content.decode()
    assert client.get(edit).status_code == 403


# --- revenue rights and yearly flows ----------------------------------------------------------


def test_a_revenue_right_is_changed_and_a_flow_removed_through_the_api(officer_client, contract):
    right = contract.revenue_rights.create(kind="parking", expected_yearly_revenue=Decimal("100"))
    flow = contract.flows.get()
    url = reverse("api-funding-contract-right", args=[contract.pk, right.pk])
    answer = officer_client.put(
        url, {"expected_yearly_revenue": "250000.00", "note": "120 个车位"}, "application/json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["expected_yearly_revenue"] == "250000.00"
    bad = officer_client.put(url, {"expected_yearly_revenue": "-1"}, "application/json")
    assert bad.status_code == 400
    right.refresh_from_db()
    assert right.expected_yearly_revenue == Decimal("250000.00")
    gone = officer_client.delete(reverse("api-funding-contract-flow", args=[contract.pk, flow.pk]))
    assert gone.status_code == 204 and not contract.flows.exists()
    assert AuditEvent.objects.filter(verb="contract.right_changed").count() == 1
    assert AuditEvent.objects.filter(verb="contract.flow_removed").count() == 1


def test_a_reviewer_may_not_change_rights_or_remove_flows(client_as, jiangan_reviewer, contract):
    client = client_as(jiangan_reviewer)
    flow = contract.flows.get()
    answer = client.delete(reverse("api-funding-contract-flow", args=[contract.pk, flow.pk]))
    assert answer.status_code == 403 and contract.flows.exists()
