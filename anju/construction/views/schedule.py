"""The hub's writes: naming, changing and removing parties, the schedule, starting building,
weekly progress and the supervisor's review. Each fetches through the scoped selectors (404
elsewhere), calls one service and redirects to the hub; a refusal comes back on the hub with
the form (400), a permission refusal answers 403. Changing a milestone or a task has its own
small page (the hub keeps only the forms that add), where a refusal comes back (400)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.forms import add_domain_error, errors_on

from .. import services
from ..forms import DisputeForm, MilestoneForm, PartyForm, ProgressForm, TaskForm
from ..selectors import projects as selectors
from ..selectors import schedule as schedule_selectors
from ..services.schedule import check_may_edit_schedule
from .projects import hub_context, party_change_form

HUB = "construction:project"


def _again(request, project, **forms):
    return render(
        request, "construction/project.html", hub_context(request, project, **forms), status=400
    )


@staff_required
@require_POST
def party_name(request, pk):
    project = selectors.get_project(request.scope, pk)
    form = PartyForm(request.POST, organisations=selectors.party_organisations())
    if form.is_valid():
        with errors_on(form) as attempt:
            party = services.name_party(
                actor=request.user, scope=request.scope, project=project, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(
                request,
                _("已确定%(role)s：%(organisation)s。")
                % {"role": party.get_role_display(), "organisation": party.organisation.name},
            )
            return redirect(HUB, pk=project.pk)
    return _again(request, project, party_form=form)


@staff_required
@require_POST
def party_change(request, pk, party_id):
    party = selectors.get_party(request.scope, pk, party_id)
    form = party_change_form(party, request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.change_party(
                actor=request.user, scope=request.scope, party=party, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, _("已变更%(role)s。") % {"role": party.get_role_display()})
            return redirect(HUB, pk=pk)
    return _again(request, party.project, change_form=form, change_party=party.pk)


@staff_required
@require_POST
def party_remove(request, pk, party_id):
    party = selectors.get_party(request.scope, pk, party_id)
    try:
        services.remove_party(actor=request.user, scope=request.scope, party=party)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(HUB, pk=pk)
    messages.success(request, _("已撤销%(role)s。") % {"role": party.get_role_display()})
    return redirect(HUB, pk=pk)


@staff_required
@require_POST
def milestone_add(request, pk):
    project = selectors.get_project(request.scope, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.save_milestone(
                actor=request.user, scope=request.scope, project=project, **form.cleaned_data
            )
        if attempt.succeeded:
            return redirect(HUB, pk=pk)
    return _again(request, project, milestone_form=form)


def _change_entry(request, pk, entry, form, save, *, done: str, title):
    """The change page of a milestone or task: GET shows the filled form to who may edit the
    schedule; POST saves through `save(cleaned_data)` (the entry keeps its place) and goes back
    to the hub, or shows the form again with the refusal (400)."""
    if request.method == "GET":
        check_may_edit_schedule(request.scope, entry.project)
    elif form.is_valid():
        with errors_on(form) as attempt:
            saved = save(form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, done % {"name": saved.name})
            return redirect(HUB, pk=pk)
    context = {"project": entry.project, "entry": entry, "form": form, "title": title}
    status = 400 if request.method == "POST" else 200
    return render(request, "construction/schedule_entry_edit.html", context, status=status)


def _posted(request):
    return request.POST if request.method == "POST" else None


@staff_required
@require_http_methods(["GET", "POST"])
def milestone_change(request, pk, milestone_id):
    """A milestone's name and dates — marking it reached — saved through `save_milestone` with
    the milestone itself, in its place in the schedule."""
    milestone = schedule_selectors.get_milestone(request.scope, pk, milestone_id)
    initial = {name: getattr(milestone, name) for name in ("name", "planned_on", "reached_on")}
    form = MilestoneForm(_posted(request), initial=initial)
    return _change_entry(
        request,
        pk,
        milestone,
        form,
        lambda data: services.save_milestone(
            actor=request.user,
            scope=request.scope,
            project=milestone.project,
            milestone=milestone,
            position=milestone.position,
            **data,
        ),
        done=_("已修改进度节点“%(name)s”。"),
        title=_("修改进度节点"),
    )


@staff_required
@require_POST
def milestone_remove(request, pk, milestone_id):
    milestone = schedule_selectors.get_milestone(request.scope, pk, milestone_id)
    try:
        services.remove_milestone(actor=request.user, scope=request.scope, milestone=milestone)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(HUB, pk=pk)


@staff_required
@require_POST
def task_add(request, pk):
    project = selectors.get_project(request.scope, pk)
    form = TaskForm(request.POST, milestones=schedule_selectors.milestones_of(project))
    if form.is_valid():
        with errors_on(form) as attempt:
            services.save_task(
                actor=request.user, scope=request.scope, project=project, **form.cleaned_data
            )
        if attempt.succeeded:
            return redirect(HUB, pk=pk)
    return _again(request, project, task_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
def task_change(request, pk, task_id):
    """A task's name, milestone, dates and weight, saved through `save_task` with the task
    itself, in its place in the schedule."""
    task = schedule_selectors.get_task(request.scope, pk, task_id)
    fields = ("name", "planned_start", "planned_end", "weight")
    initial = {name: getattr(task, name) for name in fields} | {"milestone": task.milestone_id}
    form = TaskForm(
        _posted(request), initial=initial, milestones=schedule_selectors.milestones_of(task.project)
    )
    return _change_entry(
        request,
        pk,
        task,
        form,
        lambda data: services.save_task(
            actor=request.user,
            scope=request.scope,
            project=task.project,
            task=task,
            position=task.position,
            **data,
        ),
        done=_("已修改施工任务“%(name)s”。"),
        title=_("修改施工任务"),
    )


@staff_required
@require_POST
def task_remove(request, pk, task_id):
    task = schedule_selectors.get_task(request.scope, pk, task_id)
    try:
        services.remove_task(actor=request.user, scope=request.scope, task=task)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(HUB, pk=pk)


@staff_required
@require_POST
def construction_start(request, pk):
    project = selectors.get_project(request.scope, pk)
    try:
        services.start_construction(actor=request.user, scope=request.scope, project=project)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
        return render(
            request, "construction/project.html", hub_context(request, project), status=400
        )
    messages.success(request, _("项目已开工。"))
    return redirect(HUB, pk=pk)


@staff_required
@require_POST
def progress_submit(request, pk):
    project = selectors.get_project(request.scope, pk)
    form = ProgressForm(
        request.POST, request.FILES, tasks=list(schedule_selectors.tasks_of(project))
    )
    if form.is_valid():
        with errors_on(form) as attempt:
            report = services.submit_progress(
                actor=request.user,
                scope=request.scope,
                project=project,
                percents=form.percents(),
                note=form.cleaned_data["note"],
                photos=form.cleaned_data["photos"],
                week_ending=form.cleaned_data["week_ending"],
            )
        if attempt.succeeded:
            messages.success(
                request,
                _("已提交截至 %(week)s 的进度周报，等待监理确认。")
                % {"week": report.week_ending.isoformat()},
            )
            return redirect(HUB, pk=pk)
    return _again(request, project, progress_form=form)


@staff_required
@require_POST
def progress_confirm(request, pk, report_id):
    report = schedule_selectors.get_report(request.scope, pk, report_id)
    try:
        services.confirm_progress(actor=request.user, scope=request.scope, report=report)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(HUB, pk=pk)
    messages.success(request, _("已确认该进度周报。"))
    return redirect(HUB, pk=pk)


@staff_required
@require_POST
def progress_dispute(request, pk, report_id):
    report = schedule_selectors.get_report(request.scope, pk, report_id)
    form = DisputeForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.dispute_progress(
                actor=request.user,
                scope=request.scope,
                report=report,
                reason=form.cleaned_data["reason"],
            )
        if attempt.succeeded:
            messages.success(request, _("已对该进度周报提出异议，施工单位将修改后重新提交。"))
            return redirect(HUB, pk=pk)
    else:
        add_domain_error(form, DomainError(_("请说明异议的理由。")))
    return _again(request, report.project, dispute_form=form)
