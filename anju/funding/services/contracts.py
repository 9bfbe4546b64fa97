"""Investment contracts (投改管一体, EPC+O, PPP, added facilities), their revenue rights and
yearly flows, and loans: the only place they change.

Decisions (issue 12, "Investment-renovation-management and loans"):
- A contract is the district's: it covers one or more projects of ONE district (another
  district's project answers 400 `projects_span_districts`; a project outside the viewer's
  territory is not found before it reaches here). Its district and territory path are its
  projects' district. The district task force of that district or the city office records
  and changes it (`rules.may_manage_contracts`).
- The entrusted enterprise (or PPP company) is any organisation outside government that is
  registered with its unified social credit code (`enterprise_not_eligible` otherwise): the
  contract binds a legal person.
- The committed investment is positive; yearly flows (investment or revenue, one of each a
  year, positive) lie within the term (`flow_outside_term`); recording a year's flow again
  replaces its amount (audited with the old one). A contract's signing date or term cannot
  change so that recorded flows fall outside it.
- A loan sits in one district; the projects it finances must be that district's
  (`project_outside_district`). A change keeps its district (like a contract's) and is
  audited with the old values of what changed.
Every write runs in one durable transaction with its audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anju.access.models import Organisation
from anju.core.errors import DomainError, PermissionDenied
from anju.core.scope import Scope
from anju.planning.models import Project

from .. import events, rules
from ..models import ContractFlow, InvestmentContract, Loan, RevenueRight
from ..selectors.contracts import GOVERNMENT_KINDS

CENT = Decimal("0.01")


# --- checks ---------------------------------------------------------------------------------


def _check_manager(scope: Scope, path: str) -> None:
    if not rules.may_manage_contracts(scope, path):
        raise PermissionDenied(_("只有所在区工作专班或市改造办可以管理投资运营合同和贷款。"))


def _clean(instance, *, exclude=None) -> None:
    """full_clean, its refusal as a 400 naming the fields."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise DomainError(
            _("输入有误。"), code="invalid", fields=getattr(error, "message_dict", {})
        ) from error


def _money(value, field: str, *, allow_zero: bool = False) -> Decimal:
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except ArithmeticError as error:
            raise DomainError(
                _("金额格式有误。"), code="invalid", fields={field: [_("应为数字")]}
            ) from error
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        raise DomainError(
            _("金额必须大于零。") if not allow_zero else _("金额不能为负数。"),
            code="amount_not_positive",
            fields={field: [_("必须大于零") if not allow_zero else _("不能为负数")]},
        )
    if value != value.quantize(CENT):
        raise DomainError(
            _("金额最多精确到分。"), code="amount_precision", fields={field: [_("最多两位小数")]}
        )
    return value


def check_enterprise(enterprise: Organisation) -> None:
    if enterprise.kind in GOVERNMENT_KINDS or not enterprise.credit_code:
        raise DomainError(
            _("实施主体须为登记了统一社会信用代码的企业（政府部门不能作为实施主体）。"),
            code="enterprise_not_eligible",
            fields={"enterprise": [_("须为有统一社会信用代码的企业")]},
        )


def district_of_projects(projects: list[Project]):
    """The one district the projects share; 400 when they span two or none are given."""
    if not projects:
        raise DomainError(
            _("合同至少覆盖一个项目。"),
            code="no_projects",
            fields={"projects": [_("请选择项目")]},
        )
    districts = {project.district_id for project in projects}
    if len(districts) > 1:
        raise DomainError(
            _("一份合同只能覆盖同一个区的项目；请按区分别签订。"),
            code="projects_span_districts",
            fields={"projects": [_("项目须属于同一个区")]},
        )
    return projects[0].district


def _check_flows_within(contract: InvestmentContract) -> None:
    first, last = contract.signed_on.year, contract.signed_on.year + contract.term_years - 1
    outside = contract.flows.exclude(year__gte=first, year__lte=last)
    if contract.pk and outside.exists():
        raise DomainError(
            _("已记录的年度投资或收益落在合作期限（%(first)s—%(last)s年）之外，请先删除它们。")
            % {"first": first, "last": last},
            code="flow_outside_term",
            fields={"term_years": [_("与已记录的年度数据不符")]},
        )


def _check_year(contract: InvestmentContract, year: int) -> None:
    first, last = contract.signed_on.year, contract.signed_on.year + contract.term_years - 1
    if not first <= year <= last:
        raise DomainError(
            _("年度须在合作期限内（%(first)s—%(last)s年）。") % {"first": first, "last": last},
            code="flow_outside_term",
            fields={"year": [_("不在合作期限内")]},
        )


# --- contracts ------------------------------------------------------------------------------


def _apply(contract: InvestmentContract, values: dict) -> None:
    for name in (
        "number",
        "name",
        "kind",
        "enterprise",
        "investment_committed",
        "signed_on",
        "term_years",
        "obligations",
    ):
        if name in values:
            setattr(contract, name, values[name])
    contract.investment_committed = _money(contract.investment_committed, "investment_committed")


def record_contract(
    *,
    actor,
    scope: Scope,
    number: str,
    name: str,
    kind: str,
    enterprise: Organisation,
    projects: list[Project],
    investment_committed: Decimal,
    signed_on: dt.date,
    term_years: int,
    obligations: str,
) -> InvestmentContract:
    """Record a contract over `projects` (fetched through the viewer's scope)."""
    district = district_of_projects(projects)
    _check_manager(scope, district.path)
    check_enterprise(enterprise)
    contract = InvestmentContract(
        district=district,
        path=district.path,
        created_by=actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None,
    )
    _apply(
        contract,
        {
            "number": number,
            "name": name,
            "kind": kind,
            "enterprise": enterprise,
            "investment_committed": investment_committed,
            "signed_on": signed_on,
            "term_years": term_years,
            "obligations": obligations,
        },
    )
    _clean(contract)
    with transaction.atomic(durable=True):
        contract.save()
        contract.projects.set(projects)
        events.contract_recorded(actor=actor, contract=contract)
    return contract


def change_contract(
    *, actor, scope: Scope, contract: InvestmentContract, projects: list[Project], **values
) -> InvestmentContract:
    """Change a contract's terms and projects (still one district, its own)."""
    _check_manager(scope, contract.path)
    district = district_of_projects(projects)
    if district.pk != contract.district_id:
        raise DomainError(
            _("合同所属区不能改变：项目须属于%(district)s。")
            % {"district": contract.district.name},
            code="projects_span_districts",
            fields={"projects": [_("项目须属于同一个区")]},
        )
    if "enterprise" in values:
        check_enterprise(values["enterprise"])
    with transaction.atomic(durable=True):
        contract = InvestmentContract.objects.select_for_update().get(pk=contract.pk)
        before = events.contract_snapshot(contract)
        _apply(contract, values)
        _clean(contract)
        _check_flows_within(contract)
        contract.save()
        contract.projects.set(projects)
        contract.refresh_from_db()  # the audit compares stored values
        events.contract_changed(actor=actor, contract=contract, before=before)
    return contract


# --- revenue rights -------------------------------------------------------------------------


def add_right(
    *,
    actor,
    scope: Scope,
    contract: InvestmentContract,
    kind: str,
    expected_yearly_revenue: Decimal,
    note: str = "",
) -> RevenueRight:
    _check_manager(scope, contract.path)
    right = RevenueRight(
        contract=contract,
        kind=kind,
        expected_yearly_revenue=_money(
            expected_yearly_revenue, "expected_yearly_revenue", allow_zero=True
        ),
        note=note,
    )
    _clean(right)
    with transaction.atomic(durable=True):
        right.save()
        events.right_added(actor=actor, right=right)
    return right


def change_right(
    *, actor, scope: Scope, right: RevenueRight, expected_yearly_revenue: Decimal, note: str = ""
) -> RevenueRight:
    _check_manager(scope, right.contract.path)
    amount = _money(expected_yearly_revenue, "expected_yearly_revenue", allow_zero=True)
    with transaction.atomic(durable=True):
        locked = RevenueRight.objects.select_for_update().get(pk=right.pk)
        locked.contract = right.contract
        before = events.right_snapshot(locked)
        locked.expected_yearly_revenue = amount
        locked.note = note
        _clean(locked)
        locked.save()
        events.right_changed(actor=actor, right=locked, before=before)
    return locked


def remove_right(*, actor, scope: Scope, right: RevenueRight) -> None:
    _check_manager(scope, right.contract.path)
    with transaction.atomic(durable=True):
        snapshot = events.right_snapshot(right)
        if RevenueRight.objects.filter(pk=right.pk).delete()[0]:
            events.right_removed(actor=actor, contract=right.contract, snapshot=snapshot)


# --- yearly flows ---------------------------------------------------------------------------


def record_flow(
    *, actor, scope: Scope, contract: InvestmentContract, year: int, kind: str, amount: Decimal
) -> ContractFlow:
    """The year's actual investment or revenue; a second record of the same year and kind
    replaces the amount (the audit keeps the old one)."""
    _check_manager(scope, contract.path)
    amount = _money(amount, "amount")
    if kind not in ContractFlow.Kind.values:
        raise DomainError(_("类型有误。"), code="invalid", fields={"kind": [_("应为投资或收益")]})
    _check_year(contract, year)
    with transaction.atomic(durable=True):
        InvestmentContract.objects.select_for_update().filter(pk=contract.pk).first()
        flow = ContractFlow.objects.filter(contract=contract, year=year, kind=kind).first()
        before = str(flow.amount) if flow else None
        flow = flow or ContractFlow(contract=contract, year=year, kind=kind)
        flow.amount = amount
        _clean(flow, exclude=["contract"])
        flow.save()
        flow.contract = contract
        events.flow_recorded(actor=actor, flow=flow, before_amount=before)
    return flow


def remove_flow(*, actor, scope: Scope, flow: ContractFlow) -> None:
    _check_manager(scope, flow.contract.path)
    snapshot = {"year": flow.year, "kind": flow.kind, "amount": str(flow.amount)}
    with transaction.atomic(durable=True):
        if ContractFlow.objects.filter(pk=flow.pk).delete()[0]:
            events.flow_removed(actor=actor, contract=flow.contract, snapshot=snapshot)


# --- loans ----------------------------------------------------------------------------------

# What a change may set; the district stays (a loan is its district's, like a contract).
LOAN_TERMS = ("lender", "kind", "borrower", "amount", "annual_rate", "term_months", "starts_on")


def _check_loan_projects(district, projects: list[Project]) -> None:
    for project in projects:
        if project.district_id != district.pk:
            raise DomainError(
                _("贷款支持的项目须属于%(district)s；项目%(code)s不属于该区。")
                % {"district": district.name, "code": project.code},
                code="project_outside_district",
                fields={"projects": [_("项目须属于贷款所属区")]},
            )


def record_loan(
    *,
    actor,
    scope: Scope,
    lender: str,
    kind: str,
    district,
    amount: Decimal,
    annual_rate: Decimal,
    term_months: int,
    starts_on: dt.date,
    projects: list[Project],
    borrower: Organisation | None = None,
) -> Loan:
    """Record a loan of `district` financing `projects` of that district."""
    _check_manager(scope, district.path)
    _check_loan_projects(district, projects)
    loan = Loan(
        lender=lender,
        kind=kind,
        borrower=borrower,
        district=district,
        path=district.path,
        amount=_money(amount, "amount"),
        annual_rate=annual_rate,
        term_months=term_months,
        starts_on=starts_on,
    )
    _clean(loan)
    with transaction.atomic(durable=True):
        loan.save()
        loan.projects.set(projects)
        events.loan_recorded(actor=actor, loan=loan)
    return loan


def change_loan(*, actor, scope: Scope, loan: Loan, projects: list[Project], **values) -> Loan:
    """Change a loan's terms (`LOAN_TERMS`, only those given) and the projects it finances,
    still projects of its own district."""
    unknown = set(values) - set(LOAN_TERMS)
    if unknown:
        raise TypeError(f"change_loan() cannot change {sorted(unknown)}")
    _check_manager(scope, loan.path)
    _check_loan_projects(loan.district, projects)
    with transaction.atomic(durable=True):
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        before = events.loan_snapshot(loan)
        for name, value in values.items():
            setattr(loan, name, value)
        loan.amount = _money(loan.amount, "amount")
        _clean(loan)
        loan.save()
        loan.projects.set(projects)
        loan.refresh_from_db()  # the audit compares stored values ("3.2" is "3.200")
        events.loan_changed(actor=actor, loan=loan, before=before)
    return loan
