"""Reads of audit events and task progress, limited to the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from . import audit
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
    object_type: str = ""  # "app_label.model", as `audit.object_type_key` writes it


def visible_events(*, scope: Scope) -> QuerySet[AuditEvent]:
    """Events the viewer may read (`audit.visible_events_q`). The audit log is for
    territorial staff only."""
    if not scope.node_paths:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(audit.visible_events_q(scope))


def event_list(*, scope: Scope, filters: EventFilters | None = None) -> QuerySet[AuditEvent]:
    """Visible events, filtered: an event kind is a registered verb (chosen by its label) or a
    prefix of verbs; an object type is the target's model."""
    filters = filters or EventFilters()
    qs = visible_events(scope=scope).select_related("actor")
    if filters.verb in audit.VERB_LABELS:
        qs = qs.filter(verb=filters.verb)
    elif filters.verb:
        qs = qs.filter(verb__startswith=filters.verb)
    if filters.object_type:
        app_label, _dot, model = filters.object_type.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
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
