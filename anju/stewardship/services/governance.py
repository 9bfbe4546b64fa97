"""Writes of joint governance (联席会议): recording a meeting of the residents' committee, the
owners' committee, the property company and the party branch, its follow-up tasks (each with
an owner and a due date), and marking a task done.

Only the compound's keepers — its district, street or community staff — record and follow up
(`rules.may_record_meeting`, `rules.may_follow_up_meeting`). A meeting is recorded after it is
held (its date not in the future); a task is due on or after the meeting; a task is done once,
on a day between the meeting and today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anju.core.calendar import today
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.territory.models import Compound

from .. import events
from ..models import FollowUpTask, GovernanceMeeting
from ..rules import may_follow_up_meeting, may_record_meeting


def _visible(scope: Scope, compound: Compound) -> None:
    if not scope.covers_path(compound.path) and compound.pk not in scope.compound_ids:
        raise NotFound()


def record_meeting(
    *,
    actor,
    scope: Scope,
    compound: Compound,
    held_on: dt.date,
    subject: str,
    bodies: list[str],
    attendees: str,
    decisions: str,
    tasks: Iterable[dict] = (),
) -> GovernanceMeeting:
    """Record a held meeting with its follow-up tasks (dicts of title, owner, owner_body,
    due_on), all or nothing."""
    _visible(scope, compound)
    if not may_record_meeting(scope, compound):
        raise PermissionDenied(_("只有小区所在的区、街道或社区可以记录联席会议。"))
    meeting = GovernanceMeeting(
        compound=compound,
        held_on=held_on,
        subject=subject,
        bodies=list(bodies),
        attendees=attendees,
        decisions=decisions,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    problems = _problems(meeting, exclude=["compound"])
    if held_on and held_on > today():
        problems.setdefault("held_on", []).append(_("会议尚未召开，请会后再记录。"))
    new_tasks = [FollowUpTask(meeting=meeting, **task) for task in tasks]
    for number, task in enumerate(new_tasks, start=1):
        for name, messages in _task_problems(task, meeting).items():
            for message in messages:
                problems.setdefault("tasks", []).append(
                    _("第%(number)s项任务（%(field)s）：%(message)s")
                    % {"number": number, "field": _field_label(name), "message": message}
                )
    if problems:
        raise DomainError(_("输入有误。"), fields=problems)
    with transaction.atomic(durable=True):
        meeting.save()
        for task in new_tasks:
            task.meeting = meeting
            task.save()
        events.meeting_recorded(actor=actor, meeting=meeting, tasks=new_tasks)
    return meeting


def add_follow_up_task(
    *,
    actor,
    scope: Scope,
    meeting: GovernanceMeeting,
    title: str,
    owner: str,
    owner_body: str,
    due_on: dt.date,
) -> FollowUpTask:
    _check_follow_up(scope, meeting.compound)
    task = FollowUpTask(
        meeting=meeting, title=title, owner=owner, owner_body=owner_body, due_on=due_on
    )
    problems = _task_problems(task, meeting)
    if problems:
        raise DomainError(_("输入有误。"), fields=problems)
    with transaction.atomic(durable=True):
        task.save()
        events.task_added(actor=actor, task=task)
    return task


def complete_follow_up_task(
    *, actor, scope: Scope, task: FollowUpTask, done_on: dt.date, note: str = ""
) -> FollowUpTask:
    """Mark a task done (once): the day it was done and what was done."""
    _check_follow_up(scope, task.meeting.compound)
    with transaction.atomic(durable=True):
        locked = FollowUpTask.objects.select_for_update().filter(pk=task.pk).first()
        if locked is None:
            raise NotFound()
        if locked.done_on is not None:
            raise Conflict(_("该任务已于%(day)s完成。") % {"day": locked.done_on.isoformat()})
        locked.meeting = task.meeting
        locked.done_on = done_on
        locked.done_note = note
        problems = _problems(locked, exclude=["meeting"])
        if done_on and done_on > today():
            problems.setdefault("done_on", []).append(_("完成日期不能晚于今天。"))
        elif done_on and done_on < task.meeting.held_on:
            problems.setdefault("done_on", []).append(_("完成日期不能早于会议日期。"))
        if problems:
            raise DomainError(_("输入有误。"), fields=problems)
        locked.save()
        events.task_done(actor=actor, task=locked)
    return locked


def _check_follow_up(scope: Scope, compound: Compound) -> None:
    _visible(scope, compound)
    if not may_follow_up_meeting(scope, compound):
        raise PermissionDenied(_("只有小区所在的区、街道或社区可以跟进会议任务。"))


def _problems(instance, *, exclude) -> dict[str, list]:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        return {name: list(messages) for name, messages in exc.message_dict.items()}
    return {}


def _task_problems(task: FollowUpTask, meeting: GovernanceMeeting) -> dict[str, list]:
    problems = _problems(task, exclude=["meeting"])
    if task.due_on and meeting.held_on and task.due_on < meeting.held_on:
        problems.setdefault("due_on", []).append(_("完成期限不能早于会议日期。"))
    return problems


def _field_label(name: str) -> str:
    try:
        return str(FollowUpTask._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a non-field key ("__all__")
        return name
