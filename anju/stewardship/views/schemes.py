"""Workbench pages of management schemes: editing a compound's scheme and its budget lines
(from the compound hub), and the district view of upkeep money with its .xlsx export.

Compounds are fetched through the territory's scope (404 outside it); the services decide who
may write (the compound's keepers) and refuse bad input, which comes back on the form (400,
or 409 for a change made meanwhile).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.excel import XLSX_CONTENT_TYPE, Formats, TableColumn, workbook_bytes, write_table
from anju.core.forms import add_domain_error
from anju.territory.selectors import get_compound

from .. import rules
from ..forms import BudgetLineForm, SchemeForm
from ..selectors import schemes as selectors
from ..services import schemes as services


class attempt:
    """`with attempt(form) as outcome:` a service call whose refusal lands on the form and
    whose status (400 or 409) the page answers with; 404 and 403 pass through."""

    def __init__(self, form):
        self.form = form
        self.status = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if isinstance(exc, DomainError) and not isinstance(exc, NotFound | PermissionDenied):
            add_domain_error(self.form, exc)
            self.status = exc.status
            return True
        return False

    @property
    def succeeded(self) -> bool:
        return self.status is None


def _scheme_initial(scheme) -> dict:
    if scheme is None:
        return {}
    return {
        "management_model": scheme.management_model,
        "property_company": scheme.property_company_id,
        "bundle_name": scheme.bundle_name,
        "upkeep_sources": scheme.upkeep_sources,
        "yearly_upkeep_budget": scheme.yearly_upkeep_budget,
        "starts_on": scheme.starts_on,
        "note": scheme.note,
    }


def _form_page(request, compound, form, title, status=200):
    context = {"compound": compound, "form": form, "title": title}
    return render(request, "stewardship/scheme_form.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, code):
    compound = get_compound(request.scope, code)
    scheme = selectors.scheme_of(compound)
    if request.method == "GET":
        services.check_scheme_keeper(scope=request.scope, compound=compound)
        form = SchemeForm(initial=_scheme_initial(scheme), companies=selectors.property_companies())
        return _form_page(request, compound, form, _("长效管理方案"))
    form = SchemeForm(request.POST, companies=selectors.property_companies())
    outcome = attempt(form)
    if form.is_valid():
        with outcome:
            services.save_management_scheme(
                actor=request.user, scope=request.scope, compound=compound, **form.cleaned_data
            )
        if outcome.succeeded:
            messages.success(request, _("已保存长效管理方案。"))
            return redirect("stewardship:compound", code=compound.code)
    return _form_page(request, compound, form, _("长效管理方案"), status=outcome.status or 400)


@staff_required
@require_POST
def budget_line_add(request, code):
    compound = get_compound(request.scope, code)
    scheme = selectors.scheme_of(compound)
    form = BudgetLineForm(request.POST)
    outcome = attempt(form)
    if form.is_valid():
        if scheme is None:
            services.check_scheme_keeper(scope=request.scope, compound=compound)
            form.add_error(None, _("请先填写长效管理方案。"))
            outcome.status = 400
        else:
            with outcome:
                services.add_budget_line(
                    actor=request.user, scope=request.scope, scheme=scheme, **form.cleaned_data
                )
            if outcome.succeeded:
                messages.success(request, _("已登记预算安排。"))
                return redirect("stewardship:compound", code=compound.code)
    return _form_page(request, compound, form, _("登记预算安排"), status=outcome.status or 400)


@staff_required
@require_http_methods(["GET", "POST"])
def budget_line_edit(request, code, pk):
    compound = get_compound(request.scope, code)
    line = selectors.get_budget_line(request.scope, compound, pk)
    if request.method == "GET":
        services.check_scheme_keeper(scope=request.scope, compound=compound)
        initial = {"year": line.year, "amount": line.amount, "reference": line.reference}
        return _form_page(request, compound, BudgetLineForm(initial=initial), _("修改预算安排"))
    form = BudgetLineForm(request.POST)
    outcome = attempt(form)
    if form.is_valid():
        with outcome:
            services.change_budget_line(
                actor=request.user, scope=request.scope, line=line, **form.cleaned_data
            )
        if outcome.succeeded:
            messages.success(request, _("已修改预算安排。"))
            return redirect("stewardship:compound", code=compound.code)
    return _form_page(request, compound, form, _("修改预算安排"), status=outcome.status or 400)


@staff_required
@require_POST
def budget_line_delete(request, code, pk):
    compound = get_compound(request.scope, code)
    line = selectors.get_budget_line(request.scope, compound, pk)
    services.remove_budget_line(actor=request.user, scope=request.scope, line=line)
    messages.success(request, _("已删除%(year)s年度的预算安排。") % {"year": line.year})
    return redirect("stewardship:compound", code=compound.code)


# --- the district view ------------------------------------------------------------------------


def _upkeep_view(request):
    if not rules.may_see_upkeep(request.scope):
        raise PermissionDenied()
    return selectors.upkeep_view(
        request.scope, selectors.missing_years_from(request.GET.getlist("year"))
    )


@staff_required
@require_GET
def upkeep(request):
    view = _upkeep_view(request)
    query = "&".join(f"year={year}" for year in view.missing_years)
    return render(request, "stewardship/scheme_upkeep.html", {"view": view, "query": query})


def upkeep_xlsx(view: selectors.UpkeepView) -> bytes:
    def build(book):
        formats = Formats(book)
        write_table(
            book,
            _("维护经费"),
            [
                TableColumn(_("年度"), 8),
                TableColumn(_("列入预算(元)"), 16),
                TableColumn(_("列入预算的小区"), 14),
                TableColumn(_("实施中方案的年度维护经费(元)"), 22),
                TableColumn(_("实施中方案"), 12),
                TableColumn(_("缺口(元)"), 16),
            ],
            (
                [
                    row.year,
                    float(row.budgeted),
                    row.budgeted_compounds,
                    float(row.promised),
                    row.schemes_in_force,
                    float(row.gap),
                ]
                for row in view.years
            ),
            formats=formats,
        )
        columns = [
            TableColumn(_("年度"), 8),
            TableColumn(_("小区编码"), 18, is_text=True),
            TableColumn(_("小区"), 22),
            TableColumn(_("社区"), 16),
            TableColumn(_("管理模式"), 14),
            TableColumn(_("年度维护经费(元)"), 16),
        ]
        write_table(
            book,
            _("缺预算安排"),
            columns,
            (
                [
                    year,
                    compound.code,
                    compound.name,
                    compound.community.name,
                    compound.management_scheme.get_management_model_display(),
                    float(compound.management_scheme.yearly_upkeep_budget),
                ]
                for year, compounds in view.missing.items()
                for compound in compounds
            ),
            formats=formats,
        )
        write_table(
            book,
            _("计划内无方案"),
            [
                TableColumn(_("小区编码"), 18, is_text=True),
                TableColumn(_("小区"), 22),
                TableColumn(_("社区"), 16),
            ],
            ([c.code, c.name, c.community.name] for c in view.unplanned),
            formats=formats,
        )

    return workbook_bytes(build)


@staff_required
@require_GET
def upkeep_export(request):
    view = _upkeep_view(request)
    return HttpResponse(
        upkeep_xlsx(view),
        content_type=XLSX_CONTENT_TYPE,
        headers={
            "Content-Disposition": content_disposition_header(True, _("长效管理维护经费.xlsx"))
        },
    )
