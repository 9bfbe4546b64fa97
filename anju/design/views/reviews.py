"""Workbench pages of the joint review (联合审查): the review partial on the project page
(`review_context`), the forms it posts to (submit, assign a reviewer, record a permit step),
and a reviewer's own page of decisions waiting for them, with approve/return forms.

Every page fetches through the design accessors, so another district's project, version or
review answers 404; a refusal of the service comes back as a message on the page the button
was pressed on.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied

from ..forms import PermitStepForm, ReviewDecisionForm, ReviewerAssignForm
from ..models import PlanVersion
from ..rules import is_department_reviewer, may_organise_review
from ..selectors import reviews as selectors
from ..selectors.notices import notice_blockers
from ..selectors.plans import get_plan_version
from ..selectors.projects import get_project
from ..services import reviews as services


def review_panel(scope, project) -> dict:
    """What `design/_project_review.html` shows (through the `project_review_panel` tag): the
    current round's departments with their decision and reviewer, the permit checklist, and
    the forms the viewer may use."""
    review = selectors.latest_review(project)
    version = selectors.current_version(project)
    organiser = may_organise_review(scope, project)
    departments = list(selectors.review_departments_for(version)) if version else []
    steps = list(selectors.permit_steps(project))
    submittable = organiser and version is not None and version.status == PlanVersion.Status.NOTICED
    is_open = review is not None and review.status == review.Status.OPEN
    # once the plan is approved no one is left to review it: the form would only mislead
    is_approved = review is not None and review.status == review.Status.APPROVED
    return {
        "review": review,
        "decisions": selectors.decisions_with_reviewers(review) if review else [],
        "approval_blockers": services.approval_blockers(review) if is_open else [],
        "version": version,
        "departments": departments,
        "assignments": list(selectors.reviewer_assignments(project)),
        "permit_steps": steps,
        "may_organise": organiser,
        "may_submit": submittable,
        "submit_blockers": notice_blockers(version) if submittable else [],
        "assign_form": ReviewerAssignForm(
            departments=departments, reviewers=selectors.reviewer_candidates(project)
        )
        if organiser and departments and not is_approved
        else None,
        "permit_form": PermitStepForm() if organiser else None,
        "is_reviewer": is_department_reviewer(scope),
    }


def back(request, project) -> HttpResponseRedirect:
    """To the page the form was on (a safe `next`), else the project's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("design:project-detail", pk=project.pk)


def run(request, service, success: str, **arguments) -> bool:
    """Run a service; a refusal becomes a message (not-found and permission pass through)."""
    try:
        service(actor=request.user, scope=request.scope, **arguments)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@staff_required
@require_POST
def review_submit(request, pk: int):
    """Submit a noticed version for joint review (district staff, confirmed)."""
    version = get_plan_version(request.scope, pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("请勾选确认后再提交联合审查。"))
    else:
        run(
            request,
            services.submit_for_review,
            _("已提交联合审查，各部门审查人可以开始审查。"),
            version=version,
        )
    return back(request, version.project)


@staff_required
@require_POST
def review_assign(request, pk: int):
    """Name a department's reviewer for the project."""
    project = get_project(request.scope, pk)
    form = ReviewerAssignForm(request.POST)
    if form.is_valid():
        run(
            request,
            services.assign_reviewer,
            _("已指派审查人。"),
            project=project,
            department_code=form.cleaned_data["department"],
            reviewer_username=form.cleaned_data["reviewer"],
        )
    else:
        form_errors(request, form)
    return back(request, project)


@staff_required
@require_POST
def review_permit(request, pk: int, procedure: str):
    """Record a permit step done: its document number and date."""
    project = get_project(request.scope, pk)
    form = PermitStepForm(request.POST)
    if form.is_valid():
        run(
            request,
            services.record_permit_step,
            _("已登记审批手续。"),
            project=project,
            procedure=procedure,
            document_number=form.cleaned_data["document_number"],
            done_on=form.cleaned_data["done_on"],
        )
    else:
        form_errors(request, form)
    return back(request, project)


@staff_required
@require_POST
def review_decide(request, pk: int, department: str):
    """A reviewer approves or returns the plan for their department."""
    review = selectors.get_review(request.scope, pk)
    form = ReviewDecisionForm(request.POST)
    if form.is_valid():
        done = run(
            request,
            services.decide_review,
            _("已提交审查意见。"),
            review=review,
            department_code=department,
            decision=form.cleaned_data["decision"],
            comments=form.cleaned_data["comments"],
        )
        if done and form.cleaned_data["decision"] == "returned":
            messages.info(request, _("方案已退回设计，需修改后重新公示。"))
    else:
        form_errors(request, form)
    return back(request, review.version.project)


@staff_required
@require_GET
def review_mine(request):
    """The decisions waiting for the signed-in reviewer, each with its approve/return form."""
    pending = list(selectors.pending_decisions_for(request.scope, request.user))
    for decision in pending:
        decision.form = ReviewDecisionForm(auto_id=f"decision-{decision.pk}-%s")
    return render(
        request,
        "design/review_mine.html",
        {"pending": pending, "is_reviewer": is_department_reviewer(request.scope)},
    )
