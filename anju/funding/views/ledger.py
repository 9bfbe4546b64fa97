"""Funding's workbench writes and overviews: the plan's lines and its confirmation, postings
and reversals on a project (each one service call; a refusal comes back on the project page
with the form, 400), the city's and districts' totals with the projects short of funding, the
.xlsx exports, and the sources."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.excel import Formats, TableColumn, workbook_bytes, write_table
from anju.core.forms import errors_on
from anju.core.money import format_yuan

from .. import documents, rules
from ..forms import LedgerReverseForm
from ..models import SourceGroup
from ..selectors import ledger as selectors
from ..selectors import projects as project_selectors
from ..services import ledger as services
from .projects import line_form, posting_form, project_context

PAGE = "funding:project"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _again(request, project, **forms):
    return render(
        request, "funding/project.html", project_context(request, project, **forms), status=400
    )


def _line_inputs(plan) -> list[services.PlanLineInput]:
    return [
        services.PlanLineInput(
            source=line.source, amount=line.amount, payer=line.payer, note=line.note
        )
        for line in selectors.plan_lines(plan)
    ]


@staff_required
@require_POST
def plan_line_add(request, pk):
    """Add a line to the plan, or replace the line of the same source and payer."""
    project = project_selectors.get_project(request.scope, pk)
    form = line_form(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        new = services.PlanLineInput(
            source=data["source"], amount=data["amount"], payer=data["payer"], note=data["note"]
        )
        lines = [
            line
            for line in _line_inputs(selectors.plan_of(project))
            if (line.source.pk, line.payer and line.payer.pk)
            != (new.source.pk, new.payer and new.payer.pk)
        ]
        with errors_on(form) as attempt:
            services.save_funding_plan(
                actor=request.user, scope=request.scope, project=project, lines=[*lines, new]
            )
        if attempt.succeeded:
            messages.success(request, _("已保存筹资明细。"))
            return redirect(PAGE, pk=project.pk)
    return _again(request, project, line_form=form)


@staff_required
@require_POST
def plan_line_remove(request, pk, line_id):
    project = project_selectors.get_project(request.scope, pk)
    plan = selectors.plan_of(project)
    kept = [line for line in selectors.plan_lines(plan) if line.pk != line_id]
    if plan is None or len(kept) == len(selectors.plan_lines(plan)):
        raise NotFound()
    try:
        services.save_funding_plan(
            actor=request.user,
            scope=request.scope,
            project=project,
            lines=[
                services.PlanLineInput(line.source, line.amount, line.payer, line.note)
                for line in kept
            ],
        )
    except DomainError as error:
        if isinstance(error, NotFound | PermissionDenied):
            raise
        return _again(request, project, plan_error=str(error.message))
    messages.success(request, _("已删除筹资明细。"))
    return redirect(PAGE, pk=project.pk)


@staff_required
@require_POST
def plan_confirm(request, pk):
    project = project_selectors.get_project(request.scope, pk)
    try:
        services.confirm_funding_plan(actor=request.user, scope=request.scope, project=project)
    except DomainError as error:
        if isinstance(error, NotFound | PermissionDenied):
            raise
        return _again(request, project, plan_error=str(error.message))
    messages.success(request, _("资金筹措方案已确认。"))
    return redirect(PAGE, pk=project.pk)


@staff_required
@require_POST
def post_entry(request, pk):
    project = project_selectors.get_project(request.scope, pk)
    form = posting_form(project, request.POST, request.FILES)
    if form.is_valid():
        with errors_on(form) as attempt:
            entry = services.post_entry(
                actor=request.user, scope=request.scope, project=project, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(
                request,
                _("已记账：%(kind)s %(amount)s（凭证号 %(number)s）。")
                % {
                    "kind": entry.get_kind_display(),
                    "amount": format_yuan(entry.amount),
                    "number": entry.number,
                },
            )
            return redirect(PAGE, pk=project.pk)
    return _again(request, project, posting_form=form)


@staff_required
@require_POST
def reverse_entry(request, pk, entry_id):
    entry = selectors.get_entry(request.scope, pk, entry_id)
    form = LedgerReverseForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            reversal = services.reverse_entry(
                actor=request.user,
                scope=request.scope,
                entry=entry,
                reason=form.cleaned_data["reason"],
            )
        if attempt.succeeded:
            messages.success(
                request, _("已冲正，冲正凭证号 %(number)s。") % {"number": reversal.number}
            )
            return redirect(PAGE, pk=pk)
    return _again(request, entry.project, reverse_form=form)


@staff_required
@require_GET
def document_file(request, pk, document_id):
    """A posting's file, only to staff who see the project (never a public media URL)."""
    return documents.file_response(selectors.get_document(request.scope, pk, document_id))


# --- exports of a project -------------------------------------------------------------------


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    return HttpResponse(
        data,
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@staff_required
@require_GET
def ledger_export(request, pk):
    project = project_selectors.get_project(request.scope, pk)
    entries = list(selectors.entries_of(project).order_by("posted_at", "pk"))

    def build(book):
        write_table(
            book,
            _("资金台账"),
            [
                TableColumn(_("凭证号"), 24, is_text=True),
                TableColumn(_("业务日期"), 12),
                TableColumn(_("类型"), 10),
                TableColumn(_("资金来源"), 18),
                TableColumn(_("金额(元)"), 16),
                TableColumn(_("出资单位"), 20),
                TableColumn(_("收款单位"), 20),
                TableColumn(_("依据文件"), 24),
                TableColumn(_("摘要"), 30),
                TableColumn(_("冲正凭证"), 24, is_text=True),
                TableColumn(_("超进度拨付理由"), 30),
            ],
            (
                [
                    entry.number,
                    entry.entry_date,
                    entry.get_kind_display(),
                    entry.source.label,
                    entry.amount,
                    entry.payer.name if entry.payer_id else "",
                    entry.payee,
                    entry.document,
                    entry.note,
                    entry.reverses.number if entry.reverses_id else "",
                    entry.override_reason,
                ]
                for entry in entries
            ),
            formats=Formats(book),
        )

    return _xlsx(workbook_bytes(build), f"ledger-{project.code}.xlsx")


# --- the city's and districts' view ---------------------------------------------------------


def _totals_filters(request) -> dict:
    by = request.GET.get("by", "district")
    year = request.GET.get("year", "")
    return {
        "by": by if by in selectors.BY_CHOICES else "district",
        "year": int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None,
        "district": request.GET.get("district", "")[:12],
    }


BY_LABELS = {
    "district": gettext_lazy("区"),
    "group": gettext_lazy("资金类别"),
    "source": gettext_lazy("资金来源"),
    "year": gettext_lazy("年度"),
}


def by_choices():
    return [(value, str(label)) for value, label in BY_LABELS.items()]


@staff_required
@require_GET
def index(request):
    scope = request.scope
    filters = _totals_filters(request)
    totals = selectors.ledger_totals(scope, **filters)
    context = {
        "totals": totals,
        "filters": filters,
        "by_choices": by_choices(),
        "by_label": dict(by_choices())[filters["by"]],
        "short": selectors.short_of_funding(scope, district=filters["district"]),
        "projects": selectors.funding_overview(scope),
        "may_see": rules.may_see_funding(scope),
    }
    return render(request, "funding/index.html", context)


@staff_required
@require_GET
def totals_export(request):
    scope = request.scope
    filters = _totals_filters(request)
    short = selectors.short_of_funding(scope, district=filters["district"])
    sheets = {
        by: selectors.ledger_totals(scope, **{**filters, "by": by})
        for by in ("district", "group", "source", "year")
    }
    figure_columns = [
        TableColumn(_("已承诺(元)"), 16),
        TableColumn(_("已到位(元)"), 16),
        TableColumn(_("已拨付(元)"), 16),
        TableColumn(_("待拨付(元)"), 16),
    ]

    def figures(f):
        return [f.committed, f.received, f.disbursed, f.waiting]

    def build(book):
        formats = Formats(book)
        for by, totals in sheets.items():
            label = dict(by_choices())[by]
            rows = [[row.labels[0], row.labels[1], *figures(row.figures)] for row in totals.rows]
            rows.append(["", _("合计"), *figures(totals.total)])
            write_table(
                book,
                label,
                [TableColumn(_("编码"), 14, is_text=True), TableColumn(label, 20), *figure_columns],
                rows,
                formats=formats,
            )
        write_table(
            book,
            _("资金缺口项目"),
            [
                TableColumn(_("项目编号"), 20, is_text=True),
                TableColumn(_("项目"), 24),
                TableColumn(_("区"), 10),
                TableColumn(_("审定总额(元)"), 16),
                TableColumn(_("筹资方案(元)"), 16),
                TableColumn(_("已到位(元)"), 16),
                TableColumn(_("方案缺口(元)"), 16),
                TableColumn(_("到位缺口(元)"), 16),
            ],
            (
                [
                    row.project.code,
                    row.project.name,
                    row.project.district.name,
                    row.approved,
                    row.planned,
                    row.received,
                    row.plan_shortfall,
                    row.receipt_shortfall,
                ]
                for row in short
            ),
            formats=formats,
        )

    return _xlsx(workbook_bytes(build), "funding-totals.xlsx")


# --- sources --------------------------------------------------------------------------------


@staff_required
@require_GET
def source_list(request):
    return render(
        request,
        "funding/ledger_sources.html",
        {
            "groups": selectors.sources_grouped(),
            "group_labels": dict(SourceGroup.choices),
            "may_toggle": rules.may_toggle_sources(request.scope),
        },
    )


@staff_required
@require_POST
def source_toggle(request, pk):
    source = selectors.get_source(pk)
    services.set_source_active(
        actor=request.user,
        scope=request.scope,
        source=source,
        is_active=request.POST.get("is_active") == "1",
    )
    return redirect("funding:sources")
