"""Workbench pages of investment contracts (投改管一体, PPP) and loans: the district's list, a
contract with its revenue rights, yearly flows and payback chart, the contract form, and the
loans' list, page and form.

Every page fetches through the scoped selectors (another district's contract or loan answers
404); the services check who may write (the district task force or the city office) and
answer a refusal on the page with 400 (403 for the wrong role).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.core.audit import events_for
from anju.core.decorators import staff_required
from anju.core.errors import PermissionDenied
from anju.core.forms import errors_on
from anju.core.params import is_id

from .. import rules
from ..forms import ContractFlowForm, ContractForm, LoanForm, RevenueRightForm
from ..models import InvestmentContract, Loan
from ..selectors import contracts as selectors
from ..selectors.projects import projects_in_scope
from ..services import contracts as services

PAGE_SIZE = 50


def _may_manage_somewhere(scope) -> bool:
    return any(rules.may_manage_contracts(scope, path) for path in scope.node_paths)


def _contract_form(request, data=None, initial=None):
    return ContractForm(
        data,
        initial=initial,
        enterprises=selectors.enterprises(),
        projects=projects_in_scope(request.scope).select_related(None).order_by("code"),
    )


@staff_required
@require_GET
def contract_list(request):
    """The viewer's contracts, by district, and the loans' link."""
    district = request.GET.get("district", "")
    kind = request.GET.get("kind", "")
    contracts = selectors.contract_list(request.scope, district=district, kind=kind)
    page = Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "district": district,
        "kind": kind,
        "districts": selectors.contract_districts(request.scope),
        "kinds": InvestmentContract.Kind.choices,
        "may_manage": _may_manage_somewhere(request.scope),
    }
    return render(request, "funding/contract_list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def contract_create(request):
    if not _may_manage_somewhere(request.scope):
        raise PermissionDenied(_("只有所在区工作专班或市改造办可以管理投资运营合同和贷款。"))
    status = 200
    if request.method == "POST":
        form = _contract_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with errors_on(form) as attempt:
                contract = services.record_contract(
                    actor=request.user,
                    scope=request.scope,
                    number=data["number"],
                    name=data["name"],
                    kind=data["kind"],
                    enterprise=data["enterprise"],
                    projects=list(data["projects"]),
                    investment_committed=data["investment_committed"],
                    signed_on=data["signed_on"],
                    term_years=data["term_years"],
                    obligations=data["obligations"],
                )
            if attempt.succeeded:
                messages.success(request, _("已登记合同。"))
                return redirect("funding:contract-detail", pk=contract.pk)
        status = 400
    else:
        initial = {}
        if is_id(request.GET.get("project", "")):
            initial["projects"] = [int(request.GET["project"])]
        form = _contract_form(request, initial=initial)
    return render(
        request, "funding/contract_form.html", {"form": form, "contract": None}, status=status
    )


def render_contract(request, contract, *, right_form=None, flow_form=None, status=200):
    contract = selectors.get_contract(request.scope, contract.pk)
    context = {
        "contract": contract,
        "payback": selectors.contract_payback(contract),
        "may_manage": rules.may_manage_contracts(request.scope, contract.path),
        "right_form": right_form or RevenueRightForm(),
        "flow_form": flow_form or ContractFlowForm(initial={"year": contract.signed_on.year}),
        "events": events_for(contract)[:50],
    }
    return render(request, "funding/contract_detail.html", context, status=status)


@staff_required
@require_GET
def contract_detail(request, pk):
    return render_contract(request, selectors.get_contract(request.scope, pk))


@staff_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk):
    contract = selectors.get_contract(request.scope, pk)
    if not rules.may_manage_contracts(request.scope, contract.path):
        raise PermissionDenied(_("只有所在区工作专班或市改造办可以管理投资运营合同和贷款。"))
    status = 200
    if request.method == "POST":
        form = _contract_form(request, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            projects = list(data.pop("projects"))
            with errors_on(form) as attempt:
                services.change_contract(
                    actor=request.user,
                    scope=request.scope,
                    contract=contract,
                    projects=projects,
                    **data,
                )
            if attempt.succeeded:
                messages.success(request, _("已保存合同。"))
                return redirect("funding:contract-detail", pk=contract.pk)
        status = 400
    else:
        initial = {
            name: getattr(contract, name)
            for name in (
                "number",
                "name",
                "kind",
                "enterprise",
                "investment_committed",
                "signed_on",
                "term_years",
                "obligations",
            )
        }
        initial["projects"] = [p.pk for p in contract.projects.all()]
        form = _contract_form(request, initial=initial)
    return render(
        request,
        "funding/contract_form.html",
        {"form": form, "contract": contract},
        status=status,
    )


@staff_required
@require_POST
def right_add(request, pk):
    contract = selectors.get_contract(request.scope, pk)
    form = RevenueRightForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.add_right(
                actor=request.user, scope=request.scope, contract=contract, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, _("已增加收益权。"))
            return redirect("funding:contract-detail", pk=contract.pk)
    return render_contract(request, contract, right_form=form, status=400)


@staff_required
@require_POST
def right_edit(request, pk, right_id):
    contract = selectors.get_contract(request.scope, pk)
    right = selectors.get_right(contract, right_id)
    form = RevenueRightForm(request.POST, initial={"kind": right.kind})
    form.fields["kind"].required = False
    if form.is_valid():
        with errors_on(form) as attempt:
            services.change_right(
                actor=request.user,
                scope=request.scope,
                right=right,
                expected_yearly_revenue=form.cleaned_data["expected_yearly_revenue"],
                note=form.cleaned_data["note"],
            )
        if attempt.succeeded:
            messages.success(request, _("已修改收益权。"))
            return redirect("funding:contract-detail", pk=contract.pk)
    return render_contract(request, contract, right_form=form, status=400)


@staff_required
@require_POST
def right_remove(request, pk, right_id):
    contract = selectors.get_contract(request.scope, pk)
    right = selectors.get_right(contract, right_id)
    services.remove_right(actor=request.user, scope=request.scope, right=right)
    messages.success(request, _("已删除收益权。"))
    return redirect("funding:contract-detail", pk=contract.pk)


@staff_required
@require_POST
def flow_add(request, pk):
    contract = selectors.get_contract(request.scope, pk)
    form = ContractFlowForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.record_flow(
                actor=request.user, scope=request.scope, contract=contract, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, _("已记录年度数据。"))
            return redirect("funding:contract-detail", pk=contract.pk)
    return render_contract(request, contract, flow_form=form, status=400)


@staff_required
@require_POST
def flow_remove(request, pk, flow_id):
    contract = selectors.get_contract(request.scope, pk)
    flow = selectors.get_flow(contract, flow_id)
    services.remove_flow(actor=request.user, scope=request.scope, flow=flow)
    messages.success(request, _("已删除年度数据。"))
    return redirect("funding:contract-detail", pk=contract.pk)


# --- loans ----------------------------------------------------------------------------------


@staff_required
@require_GET
def loan_list(request):
    district = request.GET.get("district", "")
    kind = request.GET.get("kind", "")
    loans = selectors.loan_list(request.scope, district=district, kind=kind)
    page = Paginator(loans, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "district": district,
        "kind": kind,
        "districts": selectors.contract_districts(request.scope),
        "kinds": Loan.Kind.choices,
        "may_manage": _may_manage_somewhere(request.scope),
    }
    return render(request, "funding/loan_list.html", context)


@staff_required
@require_GET
def loan_detail(request, pk):
    loan = selectors.get_loan(request.scope, pk)
    context = {
        "loan": loan,
        "schedule": selectors.schedule_of(loan),
        "events": events_for(loan)[:50],
        "may_manage": rules.may_manage_contracts(request.scope, loan.path),
    }
    return render(request, "funding/loan_detail.html", context)


LOAN_FIELDS = ("lender", "kind", "borrower", "amount", "annual_rate", "term_months", "starts_on")


@staff_required
@require_http_methods(["GET", "POST"])
def loan_edit(request, pk):
    """Correct a loan's terms and the projects it finances; its district stays (shown, not
    editable), as `change_loan` keeps it."""
    loan = selectors.get_loan(request.scope, pk)
    if not rules.may_manage_contracts(request.scope, loan.path):
        raise PermissionDenied(_("只有所在区工作专班或市改造办可以管理投资运营合同和贷款。"))
    kwargs = {
        "borrowers": selectors.borrowers(),
        "districts": [loan.district],
        "projects": projects_in_scope(request.scope)
        .filter(district=loan.district)
        .select_related(None)
        .order_by("code"),
    }
    initial = {name: getattr(loan, name) for name in LOAN_FIELDS}
    initial["district"] = loan.district.code
    initial["projects"] = [project.pk for project in loan.projects.all()]
    form = LoanForm(request.POST if request.method == "POST" else None, initial=initial, **kwargs)
    form.fields["district"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in LOAN_FIELDS}
        with errors_on(form) as attempt:
            services.change_loan(
                actor=request.user,
                scope=request.scope,
                loan=loan,
                projects=list(form.cleaned_data["projects"]),
                **data,
            )
        if attempt.succeeded:
            messages.success(request, _("已保存贷款。"))
            return redirect("funding:loan-detail", pk=loan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "funding/loan_form.html", {"form": form, "loan": loan}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def loan_create(request):
    if not _may_manage_somewhere(request.scope):
        raise PermissionDenied(_("只有所在区工作专班或市改造办可以管理投资运营合同和贷款。"))
    districts = list(selectors.districts_for_loans(request.scope))
    kwargs = {
        "borrowers": selectors.borrowers(),
        "districts": districts,
        "projects": projects_in_scope(request.scope).select_related(None).order_by("code"),
    }
    status = 200
    if request.method == "POST":
        form = LoanForm(request.POST, **kwargs)
        if form.is_valid():
            data = dict(form.cleaned_data)
            district = selectors.get_district(request.scope, data.pop("district"))
            with errors_on(form) as attempt:
                loan = services.record_loan(
                    actor=request.user,
                    scope=request.scope,
                    district=district,
                    projects=list(data.pop("projects")),
                    **data,
                )
            if attempt.succeeded:
                messages.success(request, _("已登记贷款。"))
                return redirect("funding:loan-detail", pk=loan.pk)
        status = 400
    else:
        form = LoanForm(**kwargs)
    return render(request, "funding/loan_form.html", {"form": form}, status=status)
