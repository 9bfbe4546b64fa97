"""Investment contracts (投改管一体, PPP) and loans as the viewer may see them, and the two
computations their pages show: the payback view of a contract and a loan's interest summary.

A contract or a loan belongs to one district (its `path`): the district's staff and the city
office read it; anywhere else it answers the same not-found as an absent record.

The payback view (`payback`, a pure function over Decimal) runs over the contract's term, one
row per year from the year of signing:
- investment: the actual yearly investment flows when any is recorded; otherwise the plan,
  the whole committed investment in year 1;
- revenue: the actual revenue flow of every year up to the last year with a recorded revenue
  flow (a year without a flow in that stretch earned nothing); for the later years the
  revenue rights' expected yearly revenue (from year 1 when nothing is recorded yet);
- the payback year is the first year whose cumulative revenue reaches the cumulative
  investment (and some investment has been made), else "not within the term".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet, Sum

from anju.access.models import Organisation
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.planning.models import Project

from ..models import ContractFlow, InvestmentContract, Loan, RevenueRight

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# Organisations that cannot be the entrusted enterprise: the government side of the contract.
GOVERNMENT_KINDS = (Organisation.Kind.GOVERNMENT, Organisation.Kind.DEPARTMENT)


# --- contracts ------------------------------------------------------------------------------


def contracts_in_scope(scope: Scope) -> QuerySet:
    if not scope.is_staff or not scope.node_paths:
        return InvestmentContract.objects.none()
    return InvestmentContract.objects.filter(scope.path_q("path")).select_related(
        "enterprise", "district"
    )


def contract_list(scope: Scope, *, district: str = "", kind: str = "") -> QuerySet:
    contracts = contracts_in_scope(scope)
    if district:
        contracts = contracts.filter(district__code=district)
    if kind:
        contracts = contracts.filter(kind=kind)
    return contracts.annotate(
        expected_yearly_revenue=Sum("revenue_rights__expected_yearly_revenue")
    ).order_by("-signed_on", "number")


def get_contract(scope: Scope, pk) -> InvestmentContract:
    contract = (
        contracts_in_scope(scope)
        .prefetch_related(
            Prefetch("projects", queryset=Project.objects.order_by("code")),
            "revenue_rights",
            "flows",
        )
        .filter(pk=pk)
        .first()
    )
    if contract is None:
        raise NotFound()
    return contract


def get_right(contract: InvestmentContract, pk) -> RevenueRight:
    right = RevenueRight.objects.filter(contract=contract, pk=pk).first()
    if right is None:
        raise NotFound()
    right.contract = contract
    return right


def get_flow(contract: InvestmentContract, pk) -> ContractFlow:
    flow = ContractFlow.objects.filter(contract=contract, pk=pk).first()
    if flow is None:
        raise NotFound()
    flow.contract = contract
    return flow


def contracts_of_project(scope: Scope, project: Project) -> QuerySet:
    return contracts_in_scope(scope).filter(projects=project)


def contract_districts(scope: Scope) -> list[tuple[str, str]]:
    """(code, name) of the districts the viewer's contracts and loans span, for filters."""
    rows = set(contracts_in_scope(scope).values_list("district__code", "district__name"))
    rows |= set(loans_in_scope(scope).values_list("district__code", "district__name"))
    return sorted(rows)


def enterprises() -> QuerySet:
    """Who may be entrusted (a company or a PPP company): any organisation outside government,
    registered with its unified social credit code (统一社会信用代码)."""
    return (
        Organisation.objects.exclude(kind__in=GOVERNMENT_KINDS)
        .exclude(credit_code="")
        .order_by("name")
    )


def borrowers() -> QuerySet:
    return Organisation.objects.order_by("name")


# --- payback --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaybackRow:
    index: int  # 1 = the year of signing
    year: int
    investment: Decimal
    revenue: Decimal
    cumulative_investment: Decimal
    cumulative_revenue: Decimal
    investment_is_actual: bool
    revenue_is_actual: bool


@dataclass(frozen=True)
class Payback:
    rows: tuple[PaybackRow, ...]
    payback_year: int | None  # calendar year, None when not within the term
    payback_index: int | None  # 1-based year of the contract
    investment_is_planned: bool  # no investment flow recorded: committed in year 1
    expected_yearly_revenue: Decimal

    @property
    def is_within_term(self) -> bool:
        return self.payback_year is not None

    def chart(self) -> dict:
        """The chart's data (strings of yuan, exact), embedded with json_script."""
        return {
            "years": [str(row.year) for row in self.rows],
            "investment": [str(row.cumulative_investment) for row in self.rows],
            "revenue": [str(row.cumulative_revenue) for row in self.rows],
            "payback_year": str(self.payback_year) if self.payback_year else None,
        }


def payback(
    *,
    signed_year: int,
    term_years: int,
    committed: Decimal,
    expected_yearly_revenue: Decimal,
    investment_flows: dict[int, Decimal],
    revenue_flows: dict[int, Decimal],
) -> Payback:
    """The payback view over the term (see the module's docstring for the rules)."""
    years = range(signed_year, signed_year + term_years)
    planned = not investment_flows
    last_actual_revenue = max(revenue_flows) if revenue_flows else None
    rows = []
    cumulative_investment = cumulative_revenue = ZERO
    found = None
    for index, year in enumerate(years, start=1):
        if planned:
            investment = committed if index == 1 else ZERO
        else:
            investment = investment_flows.get(year, ZERO)
        revenue_is_actual = last_actual_revenue is not None and year <= last_actual_revenue
        if revenue_is_actual:
            revenue = revenue_flows.get(year, ZERO)
        else:
            revenue = expected_yearly_revenue
        cumulative_investment += investment
        cumulative_revenue += revenue
        row = PaybackRow(
            index=index,
            year=year,
            investment=investment,
            revenue=revenue,
            cumulative_investment=cumulative_investment,
            cumulative_revenue=cumulative_revenue,
            investment_is_actual=not planned,
            revenue_is_actual=revenue_is_actual,
        )
        rows.append(row)
        if (
            found is None
            and cumulative_investment > 0
            and cumulative_revenue >= cumulative_investment
        ):
            found = row
    return Payback(
        rows=tuple(rows),
        payback_year=found.year if found else None,
        payback_index=found.index if found else None,
        investment_is_planned=planned,
        expected_yearly_revenue=expected_yearly_revenue,
    )


def contract_payback(contract: InvestmentContract) -> Payback:
    flows = list(contract.flows.all())
    return payback(
        signed_year=contract.signed_on.year,
        term_years=contract.term_years,
        committed=contract.investment_committed,
        expected_yearly_revenue=sum(
            (right.expected_yearly_revenue for right in contract.revenue_rights.all()), ZERO
        ),
        investment_flows={
            f.year: f.amount for f in flows if f.kind == ContractFlow.Kind.INVESTMENT
        },
        revenue_flows={f.year: f.amount for f in flows if f.kind == ContractFlow.Kind.REVENUE},
    )


# --- loans ----------------------------------------------------------------------------------


def loans_in_scope(scope: Scope) -> QuerySet:
    if not scope.is_staff or not scope.node_paths:
        return Loan.objects.none()
    return Loan.objects.filter(scope.path_q("path")).select_related("borrower", "district")


def loan_list(scope: Scope, *, district: str = "", kind: str = "") -> QuerySet:
    loans = loans_in_scope(scope)
    if district:
        loans = loans.filter(district__code=district)
    if kind:
        loans = loans.filter(kind=kind)
    return loans


def get_loan(scope: Scope, pk) -> Loan:
    loan = (
        loans_in_scope(scope)
        .prefetch_related(Prefetch("projects", queryset=Project.objects.order_by("code")))
        .filter(pk=pk)
        .first()
    )
    if loan is None:
        raise NotFound()
    return loan


def loans_of_project(scope: Scope, project: Project) -> QuerySet:
    return loans_in_scope(scope).filter(projects=project)


@dataclass(frozen=True)
class LoanSchedule:
    """A bullet loan's summary: interest paid yearly on the whole principal, the principal
    repaid at maturity (the assumption is stated on the page; real schedules vary)."""

    annual_interest: Decimal
    total_interest: Decimal
    matures_on: dt.date
    total_repayment: Decimal


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def loan_schedule(*, amount: Decimal, annual_rate: Decimal, term_months: int, starts_on: dt.date):
    """annual interest = amount × rate; total = amount × rate × months / 12, each to the fen."""
    yearly = amount * annual_rate / Decimal(100)
    total = (yearly * term_months / Decimal(12)).quantize(CENT, rounding=ROUND_HALF_UP)
    return LoanSchedule(
        annual_interest=yearly.quantize(CENT, rounding=ROUND_HALF_UP),
        total_interest=total,
        matures_on=add_months(starts_on, term_months),
        total_repayment=amount + total,
    )


def schedule_of(loan: Loan) -> LoanSchedule:
    return loan_schedule(
        amount=loan.amount,
        annual_rate=loan.annual_rate,
        term_months=loan.term_months,
        starts_on=loan.starts_on,
    )


def districts_for_loans(scope: Scope) -> QuerySet:
    """Districts (and functional zones) inside the viewer's territory: where a loan may sit."""
    from anju.territory.models import Node

    if not scope.is_staff or not scope.node_paths:
        return Node.objects.none()
    return (
        Node.objects.valid_on()
        .filter(kind__in=(Node.Kind.DISTRICT, Node.Kind.ZONE))
        .filter(scope.path_q("path"))
        .order_by("code")
    )


def get_district(scope: Scope, code: str):
    district = districts_for_loans(scope).filter(code=code).first() if code else None
    if district is None:
        raise NotFound()
    return district
