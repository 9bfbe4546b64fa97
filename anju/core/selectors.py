"""Reads of audit events and task progress, limited to the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from .errors import NotFound
from .models import AuditEvent, TaskProgress
from .scope import Scope


@dataclass(frozen=True)
class EventFilters:
    verb: str = ""
    territory: str = ""
    actor: str = ""
    since: date | None = None
    until: date | None = None


def event_list(*, scope: Scope, filters: EventFilters | None = None) -> QuerySet[AuditEvent]:
    """Events under the viewer's territory. The audit log is for territorial staff only."""
    filters = filters or EventFilters()
    if not scope.node_paths:
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.filter(scope.path_q("territory_path")).select_related("actor")
    if filters.verb:
        qs = qs.filter(verb__startswith=filters.verb)
    if filters.territory:
        qs = qs.filter(territory_path__contains=f"{filters.territory}/")
    if filters.actor:
        qs = qs.filter(actor_label__icontains=filters.actor)
    if filters.since:
        qs = qs.filter(occurred_at__date__gte=filters.since)
    if filters.until:
        qs = qs.filter(occurred_at__date__lte=filters.until)
    return qs


def get_task_progress(scope: Scope, user, pk) -> TaskProgress:
    """A job is visible to whoever started it, and to staff whose territory covers it."""
    progress = TaskProgress.objects.filter(pk=pk).first()
    if progress is None:
        raise NotFound()
    started_it = progress.created_by_id is not None and progress.created_by_id == user.pk
    in_territory = bool(progress.territory_path) and scope.covers_path(progress.territory_path)
    if not (started_it or in_territory):
        raise NotFound()
    return progress
