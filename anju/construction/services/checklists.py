"""Editing the inspection checklists (检查表): the work types and their items are city-wide
reference data (seed.py), kept by the city office.

Rules:
- Who: `rules.may_edit_checklists` — the city office only. Others 403.
- A work type's code is lowercase letters and underscores, at most 26 characters (its items'
  codes are the work type's code, "-" and a number, and must fit 30), unique (the database's
  unique constraint decides); its name is required.
- A new item goes at the end of its checklist (position after the last, active or not); its
  code is the work type's code and the next free number ("scaffolding-05"). The work type's
  row is locked, so two items added at once get different numbers.
- An item is never deleted: recorded inspections keep their results (`CheckResult` protects
  the item). Switching it off (`is_active`) takes it off new inspections only; rewording it
  changes how every inspection shows it, so the old text stays in the audit event.
- Every change is an audit event in the same transaction.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from anju.core.errors import DomainError, PermissionDenied
from anju.core.scope import Scope

from .. import events, rules
from ..models import InspectionItem, WorkType

WORK_TYPE_CODE = re.compile(r"[a-z_]+")
WORK_TYPE_CODE_MAX = 26


def add_work_type(*, actor, scope: Scope, code: str, name: str, name_en: str = "") -> WorkType:
    """A new work type with an empty checklist, listed after the others."""
    code = code.strip()
    if not WORK_TYPE_CODE.fullmatch(code) or len(code) > WORK_TYPE_CODE_MAX:
        message = _("编码只能由小写字母和下划线组成，最多 26 个字符。")
        raise DomainError(message, code="invalid_code", fields={"code": [message]})
    name = name.strip()
    if not name:
        message = _("请填写作业类型名称。")
        raise DomainError(message, code="name_required", fields={"name": [message]})
    with transaction.atomic(durable=True):
        _require_editor(scope)
        last = WorkType.objects.aggregate(last=Max("position"))["last"]
        work_type = WorkType(
            code=code,
            name=name,
            name_en=name_en.strip(),
            position=0 if last is None else last + 1,
        )
        _full_clean(work_type, validate_unique=False)
        try:
            with transaction.atomic():
                work_type.save()
        except IntegrityError as error:
            message = _("编码“%(code)s”已被其他作业类型使用。") % {"code": code}
            raise DomainError(message, code="duplicate_code", fields={"code": [message]}) from error
        events.work_type_added(actor=actor, work_type=work_type)
    return work_type


def add_inspection_item(
    *, actor, scope: Scope, work_type: WorkType, text: str, is_safety: bool = False
) -> InspectionItem:
    """A new item at the end of the work type's checklist; new inspections ask for it."""
    text = _required_text(text)
    with transaction.atomic(durable=True):
        _require_editor(scope)
        work_type = WorkType.objects.select_for_update().get(pk=work_type.pk)
        items = InspectionItem.objects.filter(work_type=work_type)
        last = items.aggregate(last=Max("position"))["last"]
        taken = set(items.values_list("code", flat=True))
        number = len(taken) + 1
        while f"{work_type.code}-{number:02d}" in taken:
            number += 1
        item = InspectionItem(
            work_type=work_type,
            code=f"{work_type.code}-{number:02d}",
            text=text,
            is_safety=is_safety,
            position=0 if last is None else last + 1,
        )
        _full_clean(item)
        item.save()
        events.inspection_item_added(actor=actor, item=item)
    return item


def change_inspection_item(
    *,
    actor,
    scope: Scope,
    item: InspectionItem,
    text: str | None = None,
    is_active: bool | None = None,
) -> InspectionItem:
    """Reword an item or switch it off (or on again); `None` leaves that part as it is."""
    if text is not None:
        text = _required_text(text)
    with transaction.atomic(durable=True):
        _require_editor(scope)
        item = (
            InspectionItem.objects.select_for_update().select_related("work_type").get(pk=item.pk)
        )
        before = events.inspection_item_snapshot(item)
        if text is not None:
            item.text = text
        if is_active is not None:
            item.is_active = is_active
        if events.inspection_item_snapshot(item) == before:
            return item
        _full_clean(item)
        item.save(update_fields=["text", "is_active"])
        events.inspection_item_changed(actor=actor, item=item, before=before)
    return item


def _require_editor(scope: Scope) -> None:
    if not rules.may_edit_checklists(scope):
        raise PermissionDenied(_("只有市改造办可以修改检查表。"))


def _required_text(text: str) -> str:
    text = text.strip()
    if not text:
        message = _("请填写检查内容。")
        raise DomainError(message, code="text_required", fields={"text": [message]})
    return text


def _full_clean(instance, *, validate_unique: bool = True) -> None:
    try:
        instance.full_clean(validate_unique=validate_unique)
    except ValidationError as error:
        raise DomainError(_("填写有误。"), code="invalid", fields=error.message_dict) from error
