"""Writing and reading audit events. Each app's events.py builds on `record_event`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .models import AuditEvent


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of a model instance's concrete fields, for before/after."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: json_safe(getattr(instance, name)) for name in names}


def json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    return value


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def actor_label_for(actor) -> str:
    if actor is None:
        return "system"
    if getattr(actor, "is_anonymous", False):
        return "anonymous"
    return getattr(actor, "audit_label", None) or getattr(actor, "username", str(actor))


def record_event(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    summary: str = "",
    territory_path: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Write one audit event. Must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the change's transaction")
    user = actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=actor_label_for(actor)[:120],
        verb=verb,
        summary=str(summary)[:300],
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        territory_path=territory_path,
        before=json_safe(before or {}),
        after=json_safe(after or {}),
    )


def events_for(target: models.Model):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor")


def events_in_scope(scope):
    """Events whose territory lies in the viewer's scope (the city office sees all)."""
    return AuditEvent.objects.filter(scope.path_q("territory_path")).select_related("actor")


VERB_LABELS: dict[str, str] = {}


def register_verbs(labels: dict) -> None:
    """Each app's events.py registers translated labels for its verbs, for display."""
    VERB_LABELS.update(labels)


def verb_label(verb: str) -> str:
    return str(VERB_LABELS.get(verb, verb))
