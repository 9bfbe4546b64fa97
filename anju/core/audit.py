"""Writing and reading audit events. Each app's events.py builds on `record_event`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Q
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

# The role that reads the whole log (access.Role.CITY_OFFICE; core sits below access).
CITY_OFFICE = "city_office"


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


def visible_events_q(scope) -> Q:
    """Events a viewer may read: those under their territory; the city office also reads the
    events that belong to no territory (catalogue, holidays, accounts, API tokens), which are
    the city's own reference data and access records."""
    q = scope.path_q("territory_path")
    if scope.has_role(CITY_OFFICE):
        q |= Q(territory_path="")
    return q


def events_in_scope(scope):
    """Events the viewer may read (`visible_events_q`)."""
    return AuditEvent.objects.filter(visible_events_q(scope)).select_related("actor")


VERB_LABELS: dict[str, str] = {}
# Keys events store that are no field of their target model (counts, parameters, links), in
# the reader's words; apps may add their own with `register_field_labels`.
FIELD_LABELS: dict[str, str] = {
    "reason": _("原因"),
    "file": _("文件"),
    "path": _("辖区路径"),
    "user": _("账号"),
    "role": _("角色"),
    "node": _("辖区"),
    "organisation": _("机构"),
    "compound": _("小区"),
    "compounds": _("小区数"),
    "households": _("住户数"),
    "for": _("范围"),
    "model": _("评分模型"),
    "candidates": _("参评小区数"),
    "scenario": _("比选方案"),
    "selected": _("入选小区数"),
    "caps": _("区级上限"),
    "weights": _("权重"),
    "works": _("工程数"),
    "pairs": _("冲突数"),
    "new": _("新发现"),
    "again": _("再次发现"),
    "removed": _("已消除"),
    "no_longer_found": _("不再出现"),
    "distance_m": _("间距（米）"),
    "months": _("间隔（月）"),
    "objective": _("目标值"),
    "parameters": _("参数"),
    "added": _("加入"),
    "dropped": _("移出"),
    "kept": _("保留"),
    "left_out": _("未入选"),
    "projects": _("项目数"),
    "total": _("合计"),
    "total_budget": _("总预算"),
    "members": _("成员"),
    "proposals": _("方案数"),
    "replaced": _("被替换"),
    "passed": _("是否通过"),
    "attendance": _("参与情况"),
    "message": _("说明"),
    "note": _("说明"),
    "decision": _("决定"),
    "effective_on": _("生效日期"),
    "personal_data": _("个人信息"),
    "evidence": _("佐证材料"),
    "format": _("格式"),
    "password": _("密码"),
    "project": _("项目"),
    "department": _("审查部门"),
    "departments": _("审查部门"),
    "reviewer": _("审查人"),
    "comments": _("审查意见"),
    "procedure": _("手续"),
    "document_number": _("文号"),
    "done_on": _("办结日期"),
    "permits": _("审批手续"),
    "estimated_cost": _("估算投资(元)"),
    "item": _("改造内容"),
    "severity": _("严重程度"),
    "building": _("楼栋"),
    "photos": _("照片"),
    "quantity": _("数量"),
    "unit_price": _("单价(元)"),
    "payer": _("出资方"),
    "version": _("版本"),
    "status": _("状态"),
}


def register_verbs(labels: dict) -> None:
    """Each app's events.py registers translated labels for its verbs, for display."""
    VERB_LABELS.update(labels)


def register_field_labels(labels: dict) -> None:
    """Labels for keys an event stores that are no field of its target model ("reason")."""
    FIELD_LABELS.update(labels)


# Verb prefix → the model an event's before/after describes when that is not its target (a
# ledger line or a cost share is recorded against its project, so the project's page lists it).
DESCRIBED_MODELS: dict[str, type[models.Model]] = {}


def register_described_model(verb_prefix: str, model: type[models.Model]) -> None:
    """Events whose verbs start with `verb_prefix` show their keys with `model`'s field labels
    and choice labels ("kind: disbursement" reads "类型：资金拨付")."""
    DESCRIBED_MODELS[verb_prefix] = model


# (verb prefix, key) → how a stored value reads (a source's code reads as its name, a plan's
# lines as one phrase each): for values whose words live in data, not in a field's choices.
VALUE_DISPLAYS: dict[tuple[str, str], Callable[[Any], str]] = {}


def register_value_display(verb_prefix: str, key: str, display: Callable[[Any], str]) -> None:
    """Events whose verbs start with `verb_prefix` show `key`'s values through `display`
    (called with a value that is neither None nor empty)."""
    VALUE_DISPLAYS[verb_prefix, key] = display


def _value_display(verb: str, key: str) -> Callable[[Any], str] | None:
    for (prefix, known), display in VALUE_DISPLAYS.items():
        if known == key and verb.startswith(prefix):
            return display
    return None


def verb_label(verb: str) -> str:
    return str(VERB_LABELS.get(verb, verb))


def verb_choices() -> list[tuple[str, str]]:
    """(verb, translated label) for every registered verb, for the log's filter. Every app's
    events module is imported first, so a verb is offered even before its app has run."""
    autodiscover_modules("events")
    return sorted(((verb, str(label)) for verb, label in VERB_LABELS.items()), key=itemgetter(0))


@dataclass(frozen=True)
class FieldChange:
    """One key of an event's before/after, in the reader's words."""

    key: str
    label: str
    after: str
    before: str | None = None  # None: the event did not record an earlier value


def target_model(event: AuditEvent) -> type[models.Model] | None:
    if not event.content_type_id:
        return None
    return ContentType.objects.get_for_id(event.content_type_id).model_class()


def describe_changes(event: AuditEvent) -> list[FieldChange]:
    """An event's before/after as (label, old, new): the target model's verbose_name and its
    choices' labels when the model is known, the stored key and value otherwise."""
    model = _described_model(event) or target_model(event)
    before = event.before or {}
    after = event.after or {}
    keys = list(after) + [key for key in before if key not in after]
    changes = []
    for key in keys:
        field = _model_field(model, key)
        label = field.verbose_name if field is not None else FIELD_LABELS.get(key, key)
        shown = _value_display(event.verb, key)

        def read(value, field=field, shown=shown):
            if shown is not None and value not in (None, "", []):
                return shown(value)
            return display_value(field, value)

        new = read(after.get(key))
        old = read(before[key]) if key in before else None
        if old == new and key in after:
            continue  # recorded on both sides and unchanged: nothing to read
        changes.append(FieldChange(key=key, label=str(label), after=new, before=old))
    return changes


def _described_model(event: AuditEvent) -> type[models.Model] | None:
    for prefix, model in DESCRIBED_MODELS.items():
        if event.verb.startswith(prefix):
            return model
    return None


def _model_field(model, key: str):
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
        # A reverse relation (e.g. a plan's "targets") has no verbose_name: label it by key.
        return None if field.auto_created and not field.concrete else field
    except FieldDoesNotExist:
        for field in model._meta.concrete_fields:
            if field.attname == key:
                return field
    return None


def display_value(field, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, list):
        return "、".join(display_value(None, item) for item in value) or "—"
    if isinstance(value, dict):  # e.g. a week's percent by task: "屋面防水：60.0、外墙保温：20.0"
        pairs = (f"{key}：{display_value(None, item)}" for key, item in value.items())
        return "、".join(pairs) or "—"
    return str(value)


def object_type_key(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def object_type_choices(events) -> list[tuple[str, str]]:
    """(app_label.model, the model's verbose name) of the targets among `events`."""
    ids = events.exclude(content_type=None).order_by().values_list("content_type", flat=True)
    choices = []
    for content_type_id in set(ids.distinct()):
        content_type = ContentType.objects.get_for_id(content_type_id)
        model = content_type.model_class()
        label = model._meta.verbose_name if model is not None else content_type.model
        choices.append((object_type_key(content_type), str(label)))
    return sorted(choices, key=itemgetter(1))
