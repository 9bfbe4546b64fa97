"""Reads of joint governance: a compound's meetings with their follow-up tasks, one meeting
or task fetched through the viewer's scope (404 outside it), and the overdue tasks (not done,
due before today) of one compound or of the viewer's whole territory."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from anju.core.calendar import today
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.territory.models import Compound

from ..models import FollowUpTask, GovernanceMeeting


def meetings_in_scope(scope: Scope) -> QuerySet[GovernanceMeeting]:
    return GovernanceMeeting.objects.filter(
        scope.path_q("compound__path", "compound_id")
    ).select_related("compound")


def meetings_of(compound: Compound) -> QuerySet[GovernanceMeeting]:
    """The compound's meetings, newest first, with their tasks."""
    return (
        GovernanceMeeting.objects.filter(compound=compound)
        .select_related("compound", "recorded_by")
        .prefetch_related(Prefetch("tasks", queryset=FollowUpTask.objects.order_by("due_on", "pk")))
        .order_by("-held_on", "-pk")
    )


def get_meeting(scope: Scope, pk: int) -> GovernanceMeeting:
    meeting = meetings_in_scope(scope).filter(pk=pk).first()
    if meeting is None:
        raise NotFound()
    return meeting


def tasks_in_scope(scope: Scope) -> QuerySet[FollowUpTask]:
    return FollowUpTask.objects.filter(
        scope.path_q("meeting__compound__path", "meeting__compound_id")
    ).select_related("meeting__compound")


def get_task(scope: Scope, pk: int) -> FollowUpTask:
    task = tasks_in_scope(scope).filter(pk=pk).first()
    if task is None:
        raise NotFound()
    return task


def overdue_tasks(scope: Scope, day: dt.date | None = None) -> QuerySet[FollowUpTask]:
    """Tasks not done and due before `day` (default today), the longest overdue first."""
    day = day or today()
    return (
        tasks_in_scope(scope)
        .filter(done_on__isnull=True, due_on__lt=day)
        .select_related("meeting__compound__community")
        .order_by("due_on", "pk")
    )


def overdue_tasks_of(compound: Compound, day: dt.date | None = None) -> QuerySet[FollowUpTask]:
    day = day or today()
    return (
        FollowUpTask.objects.filter(
            meeting__compound=compound, done_on__isnull=True, due_on__lt=day
        )
        .select_related("meeting")
        .order_by("due_on", "pk")
    )
