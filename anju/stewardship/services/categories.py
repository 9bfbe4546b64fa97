"""Writes of the problem-report categories (data, seeded by `seed.py`): the city office adds
one, renames it, changes its deadline or switches it off (`rules.may_manage_report_categories`).

Rules, in the order they are checked (nothing is written when one refuses):
- Only the city office (`PermissionDenied`, 403).
- A new category's code is lowercase letters and underscores, at most 30 (`invalid_code`), and
  unique: the unique constraint refuses a code taken, also by a concurrent add
  (`duplicate_code`, 400). The code never changes afterwards (reports and rules name it).
- The Chinese name is required; the deadline is 1–60 working days (the model's validators).
- A new deadline applies to reports filed (or reopened) afterwards: a report's `due_on` is
  fixed when it is filed, so nothing already filed moves.
- Switching a category off takes it off the phone and staff forms (`selectors.categories`);
  reports and routing rules keep it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from anju.core.audit import snapshot
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope

from .. import events, rules
from ..models import ReportCategory

CODE_PATTERN = re.compile(r"[a-z_]{1,30}")
CATEGORY_FIELDS = ["code", "name", "name_en", "deadline_days", "position", "is_active"]


def add_report_category(
    *,
    actor,
    scope: Scope,
    code: str,
    name: str,
    name_en: str = "",
    deadline_days: int,
) -> ReportCategory:
    """A new active category, listed after the others."""
    _check_may_manage(scope)
    code = (code or "").strip()
    if not CODE_PATTERN.fullmatch(code):
        message = _("编码只能使用小写字母和下划线，最多 30 个字符。")
        raise DomainError(message, code="invalid_code", fields={"code": [message]})
    try:
        with transaction.atomic(durable=True):
            last = ReportCategory.objects.aggregate(last=Max("position"))["last"]
            category = ReportCategory(
                code=code,
                name=(name or "").strip(),
                name_en=(name_en or "").strip(),
                deadline_days=deadline_days,
                position=0 if last is None else last + 1,
                is_active=True,
            )
            _full_clean(category)
            category.save()
            events.report_category_added(
                actor=actor, category=category, after=snapshot(category, CATEGORY_FIELDS)
            )
    except IntegrityError as error:
        message = _("编码“%(code)s”已被使用。") % {"code": code}
        raise DomainError(message, code="duplicate_code", fields={"code": [message]}) from error
    return category


def change_report_category(
    *,
    actor,
    scope: Scope,
    category: ReportCategory,
    name: str,
    name_en: str = "",
    deadline_days: int,
    is_active: bool,
) -> ReportCategory:
    """Rename, re-time or switch the category on or off; reports already filed keep their due
    dates."""
    _check_may_manage(scope)
    with transaction.atomic(durable=True):
        locked = ReportCategory.objects.select_for_update().filter(pk=category.pk).first()
        if locked is None:
            raise NotFound()
        before = snapshot(locked, CATEGORY_FIELDS)
        locked.name = (name or "").strip()
        locked.name_en = (name_en or "").strip()
        locked.deadline_days = deadline_days
        locked.is_active = is_active
        _full_clean(locked)
        locked.save()
        after = snapshot(locked, CATEGORY_FIELDS)
        if after != before:
            events.report_category_changed(actor=actor, category=locked, before=before, after=after)
    return locked


def _check_may_manage(scope: Scope) -> None:
    if not rules.may_manage_report_categories(scope):
        raise PermissionDenied(_("问题类别和办理时限由市改造办维护。"))


def _full_clean(category: ReportCategory) -> None:
    try:
        category.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        fields = error.message_dict
        if "deadline_days" in fields:
            fields["deadline_days"] = [_("办理时限应为 1 至 60 个工作日。")]
        first = next(iter(fields.values()))[0]
        raise DomainError(first, code="invalid", fields=fields) from error
