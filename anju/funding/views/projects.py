"""A project's funding page (资金): the funding plan against the approved plan total with the
shortfall or excess, the accounts by source, the ledger lines and the forms; then the cost
sharing and contracts chapters' panels. Fetched through the scoped selector (404 outside the
viewer's territory)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from anju.access.models import Organisation
from anju.core.audit import events_for
from anju.core.decorators import staff_required

from .. import rules
from ..forms import LedgerPlanLineForm, LedgerPostingForm, LedgerReverseForm
from ..models import FundingSource, LedgerEntry
from ..selectors import ledger as selectors
from ..selectors import projects as project_selectors


def payer_organisations():
    return Organisation.objects.exclude(
        kind__in=[Organisation.Kind.DESIGNER, Organisation.Kind.DEPARTMENT]
    ).order_by("name")


def line_form(data=None) -> LedgerPlanLineForm:
    return LedgerPlanLineForm(
        data,
        sources=FundingSource.objects.filter(is_active=True),
        payers=payer_organisations(),
        prefix="line",
    )


def posting_form(project, data=None, files=None) -> LedgerPostingForm:
    from anju.construction.selectors import schedule

    return LedgerPostingForm(
        data,
        files,
        kinds=LedgerEntry.Kind.choices,
        sources=FundingSource.objects.all(),
        payers=payer_organisations(),
        milestones=schedule.milestones_of(project),
        prefix="post",
    )


def project_context(request, project, **forms) -> dict:
    """The page's context; `forms` replaces a blank form with one that came back with errors."""
    scope = request.scope
    summary = selectors.plan_summary(project)
    may_keep = project_selectors.is_fundable(project) and rules.may_keep_books(
        scope, project.path or project.district.path
    )
    plan = summary.plan
    context = {
        "project": project,
        "scope": scope,
        "summary": summary,
        "is_fundable": project_selectors.is_fundable(project),
        "accounts": list(selectors.accounts_of(project)),
        "entries": list(selectors.entries_of(project)[:200]),
        "reversed_ids": selectors.reversed_ids(project),
        "disbursed": selectors.disbursed_total(project),
        "may_keep": may_keep,
        "may_override": rules.may_override_progress(scope),
        "events": events_for(project)[:20],
        "plan_error": forms.get("plan_error", ""),
    }
    if plan is not None and summary.is_confirmed:
        context["progress"], context["justified"] = _justified(project, plan)
    if may_keep:
        context["line_form"] = forms.get("line_form") or line_form()
        context["posting_form"] = forms.get("posting_form") or posting_form(project)
        context["reverse_form"] = forms.get("reverse_form") or LedgerReverseForm()
    return context


def _justified(project, plan):
    from ..services.ledger import justified_disbursement

    return justified_disbursement(project, plan)


@staff_required
@require_GET
def project_funding(request, pk):
    project = project_selectors.get_project(request.scope, pk)
    return render(request, "funding/project.html", project_context(request, project))
