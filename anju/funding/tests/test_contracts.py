"""Investment contracts: one district's projects, an enterprise as the other party, flows
within the term, the payback view computed by hand, and every write audited."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.models import Organisation
from anju.access.scope import scope_for
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent

from ..models import ContractFlow, InvestmentContract
from ..selectors import contracts as selectors
from ..services import contracts as services
from .contracting import actor, city_scope, contract_over, enterprise

pytestmark = pytest.mark.django_db

D = Decimal


def test_the_payback_year_is_the_first_year_revenue_covers_the_investment():
    # Signed 2024 for 5 years; invested 600,000 + 400,000; earned 100,000 then 250,000, and
    # 300,000 a year expected after: cumulative revenue 100k, 350k, 650k, 950k, 1,250k
    # against 600k, 1,000k, 1,000k, 1,000k, 1,000k → covered in 2028, the fifth year.
    view = selectors.payback(
        signed_year=2024,
        term_years=5,
        committed=D("1200000.00"),
        expected_yearly_revenue=D("300000.00"),
        investment_flows={2024: D("600000.00"), 2025: D("400000.00")},
        revenue_flows={2024: D("100000.00"), 2025: D("250000.00")},
    )
    assert [row.year for row in view.rows] == [2024, 2025, 2026, 2027, 2028]
    assert [row.cumulative_investment for row in view.rows] == [
        D("600000.00"),
        D("1000000.00"),
        D("1000000.00"),
        D("1000000.00"),
        D("1000000.00"),
    ]
    assert [row.cumulative_revenue for row in view.rows] == [
        D("100000.00"),
        D("350000.00"),
        D("650000.00"),
        D("950000.00"),
        D("1250000.00"),
    ]
    assert [row.revenue_is_actual for row in view.rows] == [True, True, False, False, False]
    assert (view.payback_year, view.payback_index) == (2028, 5)
    assert not view.investment_is_planned


def test_without_flows_the_committed_investment_counts_in_year_one_and_may_not_pay_back():
    view = selectors.payback(
        signed_year=2024,
        term_years=3,
        committed=D("1000000.00"),
        expected_yearly_revenue=D("250000.00"),
        investment_flows={},
        revenue_flows={},
    )
    assert view.investment_is_planned
    assert [row.investment for row in view.rows] == [D("1000000.00"), D("0.00"), D("0.00")]
    assert view.rows[-1].cumulative_revenue == D("750000.00")
    assert view.payback_year is None and not view.is_within_term


def test_a_year_without_revenue_before_the_last_recorded_one_earned_nothing():
    view = selectors.payback(
        signed_year=2024,
        term_years=4,
        committed=D("100.00"),
        expected_yearly_revenue=D("50.00"),
        investment_flows={},
        revenue_flows={2024: D("10.00"), 2026: D("30.00")},
    )
    assert [row.revenue for row in view.rows] == [D("10.00"), D("0.00"), D("30.00"), D("50.00")]
    assert view.payback_year is None
    assert view.rows[-1].cumulative_revenue == D("90.00")


def test_the_contracts_payback_reads_its_rights_and_flows(city, jiangan_funded_project):
    contract = contract_over(
        city,
        [jiangan_funded_project],
        rights=[("parking", "200000.00"), ("advertising", "50000.00")],
        flows=[(2024, "investment", "1000000.00")],
    )
    view = selectors.contract_payback(selectors.get_contract(city_scope(city), contract.pk))
    assert view.expected_yearly_revenue == D("250000.00")
    assert view.payback_year == 2027  # 250k × 4 = 1,000k in the fourth year
    assert view.chart()["revenue"][3] == "1000000.00"


def test_a_contract_cannot_span_two_districts(city, jiangan_funded_project, wuchang_funded_project):
    with pytest.raises(DomainError) as refusal:
        contract_over(city, [jiangan_funded_project, wuchang_funded_project])
    assert refusal.value.code == "projects_span_districts"
    assert not InvestmentContract.objects.exists()


def test_a_contract_takes_its_district_from_its_projects(city, jiangan_funded_project):
    contract = contract_over(city, [jiangan_funded_project])
    assert contract.district == city.jiangan and contract.path == city.jiangan.path
    event = AuditEvent.objects.get(verb="contract.recorded")
    assert event.territory_path == city.jiangan.path
    assert event.after["projects"] == [jiangan_funded_project.code]


def test_a_government_department_cannot_be_the_enterprise(city, jiangan_funded_project):
    office = Organisation.objects.create(
        name="江岸区住建局", kind=Organisation.Kind.GOVERNMENT, credit_code="91420102MA4K00020P"
    )
    with pytest.raises(DomainError) as refusal:
        services.record_contract(
            actor=actor(),
            scope=city_scope(city),
            number="X-1",
            name="x",
            kind="irm",
            enterprise=office,
            projects=[jiangan_funded_project],
            investment_committed=D("1.00"),
            signed_on=dt.date(2024, 1, 1),
            term_years=1,
            obligations="x",
        )
    assert refusal.value.code == "enterprise_not_eligible"


def test_an_enterprise_without_a_credit_code_is_refused(city, jiangan_funded_project):
    company = Organisation.objects.create(name="无照公司", kind=Organisation.Kind.CONSTRUCTION)
    with pytest.raises(DomainError) as refusal:
        services.check_enterprise(company)
    assert refusal.value.code == "enterprise_not_eligible"


def test_the_committed_investment_must_be_positive(city, jiangan_funded_project):
    with pytest.raises(DomainError) as refusal:
        services.record_contract(
            actor=actor(),
            scope=city_scope(city),
            number="X-2",
            name="x",
            kind="irm",
            enterprise=enterprise(),
            projects=[jiangan_funded_project],
            investment_committed=D("0"),
            signed_on=dt.date(2024, 1, 1),
            term_years=1,
            obligations="x",
        )
    assert "investment_committed" in refusal.value.fields
    assert not InvestmentContract.objects.exists()


def test_another_district_cannot_see_the_contract(
    city, jiangan_funded_project, wuchang_officer, jiangan_officer
):
    contract = contract_over(city, [jiangan_funded_project])
    with pytest.raises(NotFound):
        selectors.get_contract(scope_for(wuchang_officer), contract.pk)
    assert not selectors.contract_list(scope_for(wuchang_officer)).exists()
    assert selectors.get_contract(scope_for(jiangan_officer), contract.pk) == contract


def test_another_districts_officer_cannot_record_a_contract_over_its_projects(
    city, jiangan_funded_project, wuchang_officer
):
    with pytest.raises(PermissionDenied):
        services.record_contract(
            actor=wuchang_officer,
            scope=scope_for(wuchang_officer),
            number="X-3",
            name="x",
            kind="irm",
            enterprise=enterprise(),
            projects=[jiangan_funded_project],
            investment_committed=D("1.00"),
            signed_on=dt.date(2024, 1, 1),
            term_years=1,
            obligations="x",
        )


def test_a_flow_outside_the_term_is_refused(city, jiangan_funded_project):
    contract = contract_over(city, [jiangan_funded_project])
    with pytest.raises(DomainError) as refusal:
        services.record_flow(
            actor=actor(),
            scope=city_scope(city),
            contract=contract,
            year=2029,
            kind="revenue",
            amount=D("1.00"),
        )
    assert refusal.value.code == "flow_outside_term"
    assert not ContractFlow.objects.exists()


def test_recording_a_years_flow_again_replaces_it_and_the_audit_keeps_the_old_amount(
    city, jiangan_funded_project
):
    contract = contract_over(city, [jiangan_funded_project], flows=[(2025, "revenue", "10.00")])
    services.record_flow(
        actor=actor(),
        scope=city_scope(city),
        contract=contract,
        year=2025,
        kind="revenue",
        amount=D("12.50"),
    )
    assert list(contract.flows.values_list("year", "amount")) == [(2025, D("12.50"))]
    event = AuditEvent.objects.filter(verb="contract.flow_recorded").latest("pk")
    assert event.before == {"amount": "10.00"} and event.after["amount"] == "12.50"


def test_the_term_cannot_shrink_past_recorded_flows(city, jiangan_funded_project):
    contract = contract_over(city, [jiangan_funded_project], flows=[(2028, "revenue", "10.00")])
    with pytest.raises(DomainError) as refusal:
        services.change_contract(
            actor=actor(),
            scope=city_scope(city),
            contract=contract,
            projects=[jiangan_funded_project],
            term_years=2,
        )
    assert refusal.value.code == "flow_outside_term"
    contract.refresh_from_db()
    assert contract.term_years == 5


def test_a_change_cannot_move_the_contract_to_another_district(
    city, jiangan_funded_project, wuchang_funded_project
):
    contract = contract_over(city, [jiangan_funded_project])
    with pytest.raises(DomainError) as refusal:
        services.change_contract(
            actor=actor(),
            scope=city_scope(city),
            contract=contract,
            projects=[wuchang_funded_project],
        )
    assert refusal.value.code == "projects_span_districts"
    assert list(contract.projects.all()) == [jiangan_funded_project]


def test_rights_are_changed_and_removed_with_an_audit(city, jiangan_funded_project):
    contract = contract_over(city, [jiangan_funded_project], rights=[("charging", "100.00")])
    right = contract.revenue_rights.get()
    right.contract = contract
    services.change_right(
        actor=actor(), scope=city_scope(city), right=right, expected_yearly_revenue=D("150.00")
    )
    right.refresh_from_db()
    assert right.expected_yearly_revenue == D("150.00")
    right.contract = contract
    services.remove_right(actor=actor(), scope=city_scope(city), right=right)
    assert not contract.revenue_rights.exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"contract.right_added", "contract.right_changed", "contract.right_removed"} <= verbs


def test_the_demo_records_the_parking_building_and_its_loan_once(city, jiangan_funded_project):
    from io import StringIO

    from ..management.commands.demo_funding import Command
    from ..models import Loan

    for _run in range(2):
        Command(stdout=StringIO()).contracts()
    contract = InvestmentContract.objects.get()
    assert contract.investment_committed == D("77000000.00")
    assert contract.district == city.jiangan
    assert Loan.objects.get().kind == "policy_bank"
    view = selectors.contract_payback(selectors.get_contract(city_scope(city), contract.pk))
    assert view.payback_year is not None  # 3.3 M a year after 2025 pays 77 M back in the term
