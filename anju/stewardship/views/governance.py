"""Workbench pages of joint governance meetings: recording a meeting (from the compound hub),
one meeting with its follow-up tasks, adding a task, marking one done, and the overdue tasks of
the viewer's territory. Fetched through the viewer's scope (404 outside it); the services
decide who may write (the compound's keepers).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.core.calendar import today
from anju.core.decorators import staff_required
from anju.core.errors import PermissionDenied
from anju.territory.selectors import get_compound

from .. import rules
from ..forms import FollowUpTaskForm, MeetingForm, TaskDoneForm
from ..selectors import governance as selectors
from ..services import governance as services
from .schemes import attempt

PAGE_SIZE = 50


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, code):
    compound = get_compound(request.scope, code)
    if not rules.may_record_meeting(request.scope, compound):
        raise PermissionDenied(_("只有小区所在的区、街道或社区可以记录联席会议。"))
    form = MeetingForm(request.POST or None, initial={"held_on": today()})
    outcome = attempt(form)
    if request.method == "POST" and form.is_valid():
        with outcome:
            meeting = services.record_meeting(
                actor=request.user, scope=request.scope, compound=compound, **form.cleaned_data
            )
        if outcome.succeeded:
            messages.success(request, _("已记录联席会议，请布置会议任务。"))
            return redirect("stewardship:meeting-detail", pk=meeting.pk)
    status = 200 if request.method == "GET" else outcome.status or 400
    context = {"compound": compound, "form": form, "title": _("记录联席会议")}
    return render(request, "stewardship/governance_form.html", context, status=status)


def _meeting_page(request, meeting, *, task_form=None, done_form=None, status=200):
    may_follow_up = rules.may_follow_up_meeting(request.scope, meeting.compound)
    context = {
        "meeting": meeting,
        "compound": meeting.compound,
        "tasks": meeting.tasks.order_by("due_on", "pk"),
        "today": today(),
        "may_follow_up": may_follow_up,
        "task_form": task_form or (FollowUpTaskForm() if may_follow_up else None),
        "done_form": done_form or TaskDoneForm(initial={"done_on": today()}),
    }
    return render(request, "stewardship/governance_meeting.html", context, status=status)


@staff_required
@require_GET
def meeting_detail(request, pk):
    return _meeting_page(request, selectors.get_meeting(request.scope, pk))


@staff_required
@require_POST
def task_add(request, pk):
    meeting = selectors.get_meeting(request.scope, pk)
    form = FollowUpTaskForm(request.POST)
    outcome = attempt(form)
    if form.is_valid():
        with outcome:
            services.add_follow_up_task(
                actor=request.user, scope=request.scope, meeting=meeting, **form.cleaned_data
            )
        if outcome.succeeded:
            messages.success(request, _("已布置会议任务。"))
            return redirect("stewardship:meeting-detail", pk=meeting.pk)
    return _meeting_page(request, meeting, task_form=form, status=outcome.status or 400)


@staff_required
@require_POST
def task_done(request, pk):
    task = selectors.get_task(request.scope, pk)
    form = TaskDoneForm(request.POST)
    outcome = attempt(form)
    if form.is_valid():
        with outcome:
            services.complete_follow_up_task(
                actor=request.user,
                scope=request.scope,
                task=task,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
            )
        if outcome.succeeded:
            messages.success(request, _("已标记任务完成：%(title)s") % {"title": task.title})
            return redirect("stewardship:meeting-detail", pk=task.meeting_id)
    return _meeting_page(request, task.meeting, done_form=form, status=outcome.status or 400)


@staff_required
@require_GET
def overdue_task_list(request):
    tasks = selectors.overdue_tasks(request.scope)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "today": today(), "query": ""}
    return render(request, "stewardship/governance_overdue.html", context)
