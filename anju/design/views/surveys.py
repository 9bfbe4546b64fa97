"""Workbench pages of the survey (摸底调查): a project's checklist with its findings and the
form to add one, correcting and deleting a finding, and a finding's photo.

Each page fetches through the scoped selectors (404 outside the viewer's territory or
assignments); the services check who may survey and whether the survey is still open, and a
refusal comes back on the page with 400 (or 403 for someone who may only read it).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.catalogue.models import ChecklistItem
from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.forms import errors_on
from anju.engagement.photos import MAX_PHOTOS

from .. import rules
from ..forms import FindingCorrectForm, FindingForm
from ..models import Severity
from ..selectors import projects as project_selectors
from ..selectors import surveys as selectors
from ..services import surveys as services


def finding_form(project, data=None, files=None) -> FindingForm:
    return FindingForm(
        data,
        files,
        compounds=project.compounds.order_by("code"),
        buildings=selectors.survey_buildings(project),
        items=ChecklistItem.objects.filter(is_active=True).order_by("position", "code"),
    )


def render_survey(request, project, *, form=None, status=200):
    scope = request.scope
    compounds = list(project.compounds.order_by("code"))
    may_survey = project.stage in services.EDITABLE_STAGES and any(
        rules.may_survey(scope, project, compound) for compound in compounds
    )
    context = {
        "project": project,
        "areas": selectors.survey_checklist(project),
        "counts": selectors.survey_counts(project),
        "form": form or (finding_form(project) if may_survey else None),
        "may_survey": may_survey,
        "buildings": list(selectors.survey_buildings(project)),
        "max_photos": MAX_PHOTOS,
        "severities": Severity.choices,
    }
    return render(request, "design/survey_detail.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def project_survey(request, pk):
    """The project's survey; POST records a finding (the surveyor is the viewer)."""
    project = project_selectors.get_project(request.scope, pk)
    if request.method == "GET":
        return render_survey(request, project)
    form = finding_form(project, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        with errors_on(form) as attempt:
            services.record_finding(
                actor=request.user,
                scope=request.scope,
                project=project,
                compound=data["compound"],
                building=data["building"],
                checklist_item=data["checklist_item"],
                severity=data["severity"],
                note=data["note"],
                photos=data["photos"],
            )
        if attempt.succeeded:
            messages.success(request, _("已记录调查发现。"))
            return redirect("design:survey", pk=project.pk)
    return render_survey(request, project, form=form, status=400)


@staff_required
@require_POST
def finding_correct(request, pk):
    finding = selectors.get_finding(request.scope, pk)
    form = FindingCorrectForm(request.POST, buildings=selectors.survey_buildings(finding.project))
    if not form.is_valid():
        messages.error(request, _("更正内容有误：%(errors)s") % {"errors": _errors(form)})
        return render_survey(request, finding.project, status=400)
    return _act(
        request,
        finding,
        lambda: services.correct_finding(
            actor=request.user,
            scope=request.scope,
            finding=finding,
            severity=form.cleaned_data["severity"],
            note=form.cleaned_data["note"],
            building=form.cleaned_data["building"],
        ),
        _("已更正调查发现。"),
    )


@staff_required
@require_POST
def finding_delete(request, pk):
    finding = selectors.get_finding(request.scope, pk)
    return _act(
        request,
        finding,
        lambda: services.delete_finding(actor=request.user, scope=request.scope, finding=finding),
        _("已删除调查发现。"),
    )


@staff_required
@require_GET
def finding_photo(request, pk):
    """A finding's photo, re-encoded without metadata and served only to staff who may see
    the project (never a public media URL)."""
    photo = selectors.get_finding_photo(request.scope, pk)
    response = FileResponse(default_storage.open(photo.image.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _act(request, finding, service, success: str):
    try:
        service()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return render_survey(request, finding.project, status=400)
    messages.success(request, success)
    return redirect("design:survey", pk=finding.project_id)


def _errors(form) -> str:
    return "；".join(str(message) for messages_ in form.errors.values() for message in messages_)
