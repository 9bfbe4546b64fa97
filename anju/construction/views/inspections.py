"""Workbench pages of quality and safety supervision: the inspection form (the work type's
checklist), an inspection, a project's rectification orders, an order with its steps and the
actions the viewer may take (answer, close, reopen), the overdue orders (督办) and the
per-party records.

Each page fetches through the scoped selectors (404 outside the viewer's territory; a company
sees the projects it is a party to); the services check who may act and whether the step is
the next one, and a refusal comes back on the page with 400 (403 for the wrong actor).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.core.calendar import today
from anju.core.decorators import staff_required
from anju.core.errors import PermissionDenied
from anju.core.forms import errors_on

from .. import rules
from ..forms import FindingAnswerForm, FindingReviewForm, InspectionForm
from ..models import Finding, Severity, WorkType
from ..selectors import inspections as selectors
from ..selectors.projects import get_project
from ..services import inspections as services

PAGE_SIZE = 50


def _work_type(value: str) -> WorkType:
    work_type = WorkType.objects.filter(code=value).first() if value else None
    return work_type or WorkType.objects.order_by("position", "code").first()


@staff_required
@require_http_methods(["GET", "POST"])
def inspection_create(request, pk):
    """The inspection form for one work type (chosen with ?work_type=); POST records it."""
    project = get_project(request.scope, pk)
    if not rules.may_inspect(request.scope, project):
        raise PermissionDenied(
            _("只有本项目的监理单位、项目所在区工作专班和市改造办可以记录质量安全检查。")
        )
    work_type = _work_type(request.POST.get("work_type") or request.GET.get("work_type", ""))
    parties = selectors.project_parties(project)
    status = 200
    if request.method == "POST":
        form = InspectionForm(request.POST, request.FILES, work_type=work_type, parties=parties)
        if form.is_valid():
            with errors_on(form) as attempt:
                inspection = services.record_inspection(
                    actor=request.user,
                    scope=request.scope,
                    project=project,
                    work_type=work_type,
                    kind=form.cleaned_data["kind"],
                    inspected_on=form.cleaned_data["inspected_on"],
                    results=form.results(),
                    findings=form.drafts(),
                    note=form.cleaned_data["note"],
                )
            if attempt.succeeded:
                messages.success(request, _("已记录检查，并下发整改通知。"))
                return redirect("construction:inspection-detail", pk=inspection.pk)
        status = 400
    else:
        form = InspectionForm(
            initial={"inspected_on": today(), "kind": "safety"},
            work_type=work_type,
            parties=parties,
        )
    context = {
        "project": project,
        "form": form,
        "work_type": work_type,
        "work_types": WorkType.objects.order_by("position", "code"),
        "stage_ok": project.stage == "building",
    }
    return render(request, "construction/inspection_form.html", context, status=status)


@staff_required
@require_GET
def inspection_detail(request, pk):
    inspection = selectors.get_inspection(request.scope, pk)
    return render(
        request,
        "construction/inspection_detail.html",
        {"inspection": inspection, "project": inspection.project},
    )


@staff_required
@require_GET
def project_findings(request, pk):
    """The project's inspections and rectification orders, filtered."""
    project = get_project(request.scope, pk)
    filters = selectors.findings_for_filters(request.GET)
    findings = selectors.project_findings(project, **filters)
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "project": project,
        "page": page,
        "filters": filters,
        "statuses": Finding.Status.choices,
        "severities": Severity.choices,
        "parties": selectors.project_parties(project),
        "inspections": selectors.project_inspections(project)[:20],
        "may_inspect": rules.may_inspect(request.scope, project),
        "today": today(),
    }
    return render(request, "construction/finding_list.html", context)


def render_finding(request, finding, *, answer_form=None, review_form=None, status=200):
    actions = selectors.finding_actions(request.scope, finding)
    context = {
        "finding": finding,
        "project": finding.project,
        "actions": actions,
        "answer_form": answer_form or (FindingAnswerForm() if actions.answer else None),
        "review_form": review_form or (FindingReviewForm() if actions.close else None),
        "today": today(),
    }
    return render(request, "construction/finding_detail.html", context, status=status)


@staff_required
@require_GET
def finding_detail(request, pk):
    return render_finding(request, selectors.get_finding(request.scope, pk))


@staff_required
@require_http_methods(["GET", "POST"])
def finding_answer(request, pk):
    """The responsible party's answer with evidence photos."""
    finding = selectors.get_finding(request.scope, pk)
    if request.method == "GET":
        return render(
            request,
            "construction/finding_answer.html",
            {"finding": finding, "project": finding.project, "form": FindingAnswerForm()},
        )
    form = FindingAnswerForm(request.POST, request.FILES)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.answer_finding(
                actor=request.user,
                scope=request.scope,
                finding=finding,
                note=form.cleaned_data["note"],
                photos=form.cleaned_data["photos"] or [],
            )
        if attempt.succeeded:
            messages.success(request, _("已提交整改回复，等待复查。"))
            return redirect("construction:finding-detail", pk=finding.pk)
    return render(
        request,
        "construction/finding_answer.html",
        {"finding": finding, "project": finding.project, "form": form},
        status=400,
    )


@staff_required
@require_POST
def finding_close(request, pk):
    finding = selectors.get_finding(request.scope, pk)
    form = FindingReviewForm(request.POST)
    return _review(
        request,
        finding,
        form,
        lambda note: services.close_finding(
            actor=request.user, scope=request.scope, finding=finding, note=note
        ),
        _("已复查销项。"),
    )


@staff_required
@require_POST
def finding_reopen(request, pk):
    finding = selectors.get_finding(request.scope, pk)
    form = FindingReviewForm(request.POST)
    return _review(
        request,
        finding,
        form,
        lambda note: services.reopen_finding(
            actor=request.user, scope=request.scope, finding=finding, reason=note
        ),
        _("复查未通过，已退回责任单位重新整改。"),
    )


def _review(request, finding, form, service, success: str):
    if form.is_valid():
        with errors_on(form) as attempt:
            service(form.cleaned_data["note"])
        if attempt.succeeded:
            messages.success(request, success)
            return redirect("construction:finding-detail", pk=finding.pk)
    finding = selectors.get_finding(request.scope, finding.pk)
    return render_finding(request, finding, review_form=form, status=400)


@staff_required
@require_GET
def finding_photo(request, pk):
    return _jpeg(selectors.get_finding_photo(request.scope, pk))


@staff_required
@require_GET
def evidence_photo(request, pk):
    return _jpeg(selectors.get_evidence_photo(request.scope, pk))


def _jpeg(photo):
    """Re-encoded without metadata and served only to staff who may see the project."""
    response = FileResponse(default_storage.open(photo.image.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@staff_required
@require_GET
def overdue_list(request):
    """Orders escalated for supervision (督办) in the viewer's territory: the district's list,
    and the city's (?level=2)."""
    if not rules.may_see_overdue_findings(request.scope):
        raise PermissionDenied(_("超期督办清单供区工作专班和市改造办使用。"))
    level = request.GET.get("level", "")
    level = int(level) if level in ("1", "2") else None
    findings = selectors.overdue_findings(request.scope, level=level)
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "construction/finding_overdue.html",
        {"page": page, "level": level, "today": today()},
    )


@staff_required
@require_GET
def party_records(request):
    """Each party organisation's findings by severity and timeliness, over the viewer's
    projects."""
    return render(
        request,
        "construction/inspection_party_records.html",
        {"records": selectors.party_records(request.scope), "severities": Severity.choices},
    )
