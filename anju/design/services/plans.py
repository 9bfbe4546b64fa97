"""Plan versions (一小区一方案): priced items from the catalogue, the residents' needs answered,
co-design workshops, and the step that marks a project designed.

Rules (issue 9, ARCHITECTURE.md "designed"):
- the assigned designer or the project's district draws the plan (`rules.may_draw_plan`);
- version 1 starts empty; version n+1 is a copy of the latest and says what changed and why;
  every version is priced with the plan year's latest published price list;
- a line names a compound of the project and an active catalogue item priced in the version's
  list; quantity > 0; unit and unit price come from the list (a different price only with a
  note); the payer defaults to the item's rule, the bundled department comes from it;
- versions are edited only while draft: once noticed, a change is a new version (409);
- the project becomes `designed` when its plan has priced items and every compound has a
  management scheme (`mark_plan_ready`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anju.catalogue.models import CatalogueItem, ItemRule, Payer, PriceList
from anju.catalogue.selectors import latest_published_price_list
from anju.core.audit import snapshot
from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope
from anju.planning.models import Project
from anju.territory.models import Compound, Stage

from .. import events
from ..models import NeedResponse, PlanItem, PlanVersion, Workshop
from ..rules import may_draw_plan
from ..selectors import plans as selectors
from .projects import move_project_stage

ITEM_FIELDS = ["quantity", "unit", "unit_price", "cost", "payer", "bundled_department", "note"]
# Stages in which the plan may still change: before review approves it.
DESIGN_STAGES = (Stage.PLANNED, Stage.DESIGNED, Stage.NOTICED)


def _require_designer(scope: Scope, project: Project) -> None:
    if not may_draw_plan(scope, project):
        raise PermissionDenied(_("只有受委托的设计单位或项目所在区可以编制改造方案。"))


def _validated(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise DomainError(_("输入有误。"), fields=exc.message_dict) from exc


def _lock_draft(version: PlanVersion) -> PlanVersion:
    """The version, locked; only a draft is edited (a noticed version never is)."""
    locked = PlanVersion.objects.select_for_update().select_related("project", "price_list")
    locked = locked.get(pk=version.pk)
    if not locked.is_editable:
        raise Conflict(
            _("该方案版本已%(status)s，不能再修改；如需修改，请新建版本。")
            % {"status": locked.get_status_display()},
            code="plan_version_frozen",
        )
    return locked


def _price_list_for(project: Project) -> PriceList:
    year = project.annual_plan.year
    price_list = latest_published_price_list(year)
    if price_list is None:
        raise DomainError(
            _("%(year)d年的价格清单尚未发布，不能编制方案。") % {"year": year},
            code="no_price_list",
        )
    return price_list


# --- versions --------------------------------------------------------------------------------


def create_plan_version(*, actor, scope: Scope, project: Project, changes: str = "") -> PlanVersion:
    """Version 1, or version n+1 copied from the latest with "what changed and why"."""
    _require_designer(scope, project)
    changes = (changes or "").strip()
    with transaction.atomic(durable=True):
        locked = (
            Project.objects.select_for_update().select_related("annual_plan").get(pk=project.pk)
        )
        if locked.stage not in DESIGN_STAGES:
            raise Conflict(_("项目已通过联合审查，方案不能再修改。"), code="plan_approved")
        latest = locked.plan_versions.order_by("-number").first()
        if latest is not None and latest.is_editable:
            raise Conflict(
                _("第%(number)d版还是草稿，请直接修改它。") % {"number": latest.number},
                code="draft_exists",
            )
        if latest is not None and not changes:
            raise DomainError(
                _("请写明本版与上一版相比改了什么、为什么。"),
                code="changes_required",
                fields={"changes": [_("此项必填。")]},
            )
        price_list = _price_list_for(locked)
        version = PlanVersion(
            project=locked,
            number=latest.number + 1 if latest else 1,
            price_list=price_list,
            changes=changes,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        _validated(version)
        version.save()
        if latest is not None:
            _copy_items(latest, version)
        events.plan_version_created(actor=actor, version=version, copied_from=latest)
    return version


def _copy_items(source: PlanVersion, version: PlanVersion) -> None:
    """Lines and need answers carry over. A line priced at its list's price takes the new
    list's price; a line whose price was overridden (with its note) keeps it."""
    old_prices = {e.item_id: e.unit_price for e in source.price_list.entries.all()}
    new_prices = {e.item_id: e for e in version.price_list.entries.all()}
    lines = []
    missing = []
    for line in source.items.select_related("item"):
        entry = new_prices.get(line.item_id)
        overridden = old_prices.get(line.item_id) != line.unit_price
        if entry is None and not overridden:
            missing.append(line.item.name)
            continue
        lines.append(
            PlanItem(
                version=version,
                compound_id=line.compound_id,
                item_id=line.item_id,
                quantity=line.quantity,
                unit=line.unit if overridden or entry is None else entry.unit,
                unit_price=line.unit_price if overridden else entry.unit_price,
                payer=line.payer,
                bundled_department=line.bundled_department,
                note=line.note,
            )
        )
    if missing:
        raise DomainError(
            _("新的价格清单没有这些改造内容的单价：%(items)s。") % {"items": "、".join(missing)},
            code="item_not_priced",
        )
    for line in lines:  # bulk_create skips save(), which computes the cost
        line.cost = (line.quantity * line.unit_price).quantize(Decimal("0.01"))
    PlanItem.objects.bulk_create(lines)
    NeedResponse.objects.bulk_create(
        NeedResponse(
            version=version,
            compound_id=r.compound_id,
            item_id=r.item_id,
            share=r.share,
            is_covered=r.is_covered,
            reason=r.reason,
        )
        for r in source.responses.all()
    )


# --- items -----------------------------------------------------------------------------------


def _check_quantity(quantity) -> Decimal:
    try:
        quantity = Decimal(quantity)
    except (TypeError, ArithmeticError, ValueError):
        quantity = None
    if quantity is None or not quantity.is_finite() or quantity <= 0:
        raise DomainError(
            _("数量必须大于零。"),
            code="quantity_not_positive",
            fields={"quantity": [_("数量必须大于零。")]},
        )
    return quantity


def _price_entry(version: PlanVersion, item: CatalogueItem):
    if not item.is_active:
        raise DomainError(
            _("“%(item)s”已停用，不能列入方案。") % {"item": item.name},
            code="item_inactive",
            fields={"item": [_("已停用")]},
        )
    entry = version.price_list.entries.filter(item=item).first()
    if entry is None:
        raise DomainError(
            _("价格清单（%(list)s）中没有“%(item)s”的单价，不能列入方案。")
            % {"list": version.price_list, "item": item.name},
            code="item_not_priced",
            fields={"item": [_("价格清单中没有单价")]},
        )
    return entry


def _check_price(entry, unit_price, note: str) -> Decimal:
    """The list's price, or an override with a note saying why."""
    if unit_price is None or unit_price == "":
        return entry.unit_price
    try:
        unit_price = Decimal(unit_price)
    except (TypeError, ArithmeticError, ValueError):
        unit_price = None
    if unit_price is None or not unit_price.is_finite() or unit_price < 0:
        raise DomainError(
            _("单价不能为负数。"), code="price_negative", fields={"unit_price": [_("不能为负数")]}
        )
    if unit_price != entry.unit_price and not (note or "").strip():
        raise DomainError(
            _("单价与价格清单不同（清单价 %(price)s 元），请在说明中写明原因。")
            % {"price": entry.unit_price},
            code="override_needs_note",
            fields={"note": [_("调整单价须写明原因")]},
        )
    return unit_price


def add_plan_item(
    *,
    actor,
    scope: Scope,
    version: PlanVersion,
    compound: Compound,
    item: CatalogueItem,
    quantity,
    payer: str | None = None,
    unit_price=None,
    note: str = "",
) -> PlanItem:
    """One priced line of a draft version (see the module docstring for the rules)."""
    _require_designer(scope, version.project)
    quantity = _check_quantity(quantity)
    try:
        with transaction.atomic(durable=True):
            version = _lock_draft(version)
            if not version.project.compounds.filter(pk=compound.pk).exists():
                raise DomainError(
                    _("“%(compound)s”不是本项目的小区。") % {"compound": compound.name},
                    code="compound_not_in_project",
                    fields={"compound": [_("不是本项目的小区")]},
                )
            entry = _price_entry(version, item)
            rule = ItemRule.objects.filter(item=item).first()
            if payer and payer not in Payer.values:
                raise DomainError(_("未知的出资方。"), fields={"payer": [_("未知的出资方")]})
            if version.items.filter(compound=compound, item=item).exists():
                raise DomainError(
                    _("该小区的方案已有“%(item)s”，请修改那一条。") % {"item": item.name},
                    code="item_already_in_plan",
                    fields={"item": [_("已在方案中")]},
                )
            line = PlanItem(
                version=version,
                compound=compound,
                item=item,
                quantity=quantity,
                unit=entry.unit,
                unit_price=_check_price(entry, unit_price, note),
                payer=payer or (rule.default_payer if rule else Payer.GOVERNMENT),
                bundled_department=rule.bundled_department if rule else "",
                note=(note or "").strip(),
            )
            line.cost = (line.quantity * line.unit_price).quantize(Decimal("0.01"))
            _validated(line)
            line.save()
            NeedResponse.objects.filter(version=version, compound=compound, item=item).update(
                is_covered=True
            )
            events.plan_item_added(actor=actor, item=line, after=snapshot(line, ITEM_FIELDS))
    except IntegrityError as exc:  # the same line added twice at once
        raise Conflict() from exc
    return line


def change_plan_item(
    *, actor, scope: Scope, plan_item: PlanItem, quantity, payer=None, unit_price=None, note=""
) -> PlanItem:
    """Change a draft line's quantity, payer, price (an override needs its note) or note."""
    _require_designer(scope, plan_item.version.project)
    quantity = _check_quantity(quantity)
    with transaction.atomic(durable=True):
        version = _lock_draft(plan_item.version)
        line = PlanItem.objects.select_for_update().select_related("item").get(pk=plan_item.pk)
        before = snapshot(line, ITEM_FIELDS)
        entry = _price_entry(version, line.item)
        if payer and payer not in Payer.values:
            raise DomainError(_("未知的出资方。"), fields={"payer": [_("未知的出资方")]})
        line.quantity = quantity
        line.unit_price = _check_price(entry, unit_price, note)
        line.payer = payer or line.payer
        line.note = (note or "").strip()
        line.cost = (line.quantity * line.unit_price).quantize(Decimal("0.01"))
        _validated(line)
        line.save()
        events.plan_item_changed(
            actor=actor, item=line, before=before, after=snapshot(line, ITEM_FIELDS)
        )
    return line


def remove_plan_item(*, actor, scope: Scope, plan_item: PlanItem) -> None:
    _require_designer(scope, plan_item.version.project)
    with transaction.atomic(durable=True):
        version = _lock_draft(plan_item.version)
        line = PlanItem.objects.filter(pk=plan_item.pk).select_related("item").first()
        if line is None:
            raise NotFound()
        before = snapshot(line, ITEM_FIELDS)
        code = line.item.code
        line.delete()
        answers = NeedResponse.objects.filter(
            version=version, compound_id=line.compound_id, item_id=line.item_id
        )
        answers.filter(reason="").delete()
        answers.update(is_covered=False)
        events.plan_item_removed(actor=actor, version=version, code=code, before=before)


# --- answering the residents -----------------------------------------------------------------


def answer_need(
    *, actor, scope: Scope, version: PlanVersion, compound: Compound, item: CatalogueItem, reason
) -> NeedResponse:
    """Say why one of a compound's top needs is not in the plan (the residents read it on the
    notice). A need the plan covers needs no reason."""
    _require_designer(scope, version.project)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("请写明未纳入方案的原因。"),
            code="reason_required",
            fields={"reason": [_("此项必填。")]},
        )
    with transaction.atomic(durable=True):
        version = _lock_draft(version)
        answers = {(a.compound.pk, a.item.pk): a for a in selectors.need_answers(version)}
        answer = answers.get((compound.pk, item.pk))
        if answer is None:
            raise DomainError(
                _("“%(item)s”不是该小区居民提出较多的需求。") % {"item": item.name},
                code="not_a_top_need",
            )
        if answer.is_covered:
            raise DomainError(
                _("“%(item)s”已纳入方案，无须说明原因。") % {"item": item.name},
                code="need_covered",
            )
        response = NeedResponse.objects.filter(
            version=version, compound=compound, item=item
        ).first()
        before = {"reason": response.reason} if response else {}
        response = response or NeedResponse(version=version, compound=compound, item=item)
        response.share = Decimal(answer.share.numerator) / Decimal(answer.share.denominator)
        response.share = response.share.quantize(Decimal("0.0001"))
        response.is_covered = False
        response.reason = reason
        _validated(response)
        response.save()
        events.need_answered(actor=actor, response=response, before=before)
    return response


# --- workshops -------------------------------------------------------------------------------


def record_workshop(
    *,
    actor,
    scope: Scope,
    project: Project,
    held_on: dt.date,
    attendees: int,
    suggestions: str,
    place: str = "",
    attendee_groups: str = "",
    outcome: str = "",
) -> Workshop:
    """A co-design workshop (共同缔造) with the residents: who came, what they suggested, what
    the plan changed because of it."""
    _require_designer(scope, project)
    with transaction.atomic(durable=True):
        workshop = Workshop(
            project=project,
            held_on=held_on,
            place=place,
            attendees=attendees,
            attendee_groups=attendee_groups,
            suggestions=suggestions,
            outcome=outcome,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        _validated(workshop)
        workshop.save()
        events.workshop_recorded(actor=actor, workshop=workshop)
    return workshop


# --- designed --------------------------------------------------------------------------------


def mark_plan_ready(*, actor, scope: Scope, project: Project) -> Project:
    """一小区一方案 done: the plan has priced items and every compound has a management scheme,
    so the project moves from planned to designed."""
    _require_designer(scope, project)
    with transaction.atomic(durable=True):
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.stage != Stage.PLANNED:
            raise Conflict(
                _("项目当前阶段为“%(stage)s”，不能再标记方案编制完成。")
                % {"stage": locked.get_stage_display()},
                code="not_planned",
            )
        reasons = selectors.readiness_for_design(locked)
        if reasons:
            raise DomainError(" ".join(reasons), code="plan_not_ready")
        version = selectors.latest_version(locked)
        total = selectors.plan_total(version)
        moved = move_project_stage(
            actor=actor, project=locked, to_stage=Stage.DESIGNED, reason=_("方案编制完成")
        )
        events.plan_marked_ready(actor=actor, version=version, total=total)
    project.stage = moved.stage
    return moved
