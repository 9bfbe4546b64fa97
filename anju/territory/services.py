"""Every write to the registry: keyword-only, audited, atomic."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anju.core.audit import snapshot
from anju.core.errors import DomainError, PermissionDenied
from anju.core.scope import Scope

from . import events
from .models import Compound, Household, Stage

EDITABLE_COMPOUND_FIELDS = [
    "name",
    "address",
    "longitude",
    "latitude",
    "year_built",
    "property_rights",
    "original_property_unit",
    "building_count",
    "household_count",
    "total_floor_area",
    "management_status",
    "has_owners_committee",
    "party_organisation",
]
REGISTRY_EDITORS = ("city_office", "district_task_force", "street_office", "community_worker")
STAGE_ORDER = list(Stage.values)


def update_compound(*, actor, scope: Scope, compound: Compound, changes: dict) -> Compound:
    """Change a compound's census data. Only territorial staff may; the stage is not here."""
    if not scope.has_role(*REGISTRY_EDITORS) or not scope.covers_path(compound.path):
        raise PermissionDenied()
    unknown = set(changes) - set(EDITABLE_COMPOUND_FIELDS)
    if unknown:
        raise DomainError(_("这些字段不能在此修改。"), fields={f: [_("不可修改")] for f in unknown})
    with transaction.atomic(durable=True):
        locked = Compound.objects.select_for_update().get(pk=compound.pk)
        before = snapshot(locked, EDITABLE_COMPOUND_FIELDS)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked._change_reason = "update_compound"
        locked.save()
        events.compound_updated(
            actor=actor,
            compound=locked,
            before=before,
            after=snapshot(locked, EDITABLE_COMPOUND_FIELDS),
        )
    return locked


def advance_stage(*, actor, compound: Compound, to_stage: str, reason: str = "") -> Compound:
    """Move a compound one step along the lifecycle. Called by the app that owns the step,
    after it has checked its own precondition; this checks the order and audits."""
    if to_stage not in STAGE_ORDER:
        raise DomainError(_("未知的阶段。"), code="unknown_stage")
    with transaction.atomic(durable=True):
        locked = Compound.objects.select_for_update().get(pk=compound.pk)
        if STAGE_ORDER.index(to_stage) != STAGE_ORDER.index(locked.stage) + 1:
            raise DomainError(_("阶段只能按顺序推进。"), code="stage_out_of_order")
        old = locked.stage
        Compound.objects.filter(pk=locked.pk, stage=old).update(stage=to_stage)
        locked.stage = to_stage
        events.compound_stage_changed(
            actor=actor, compound=locked, old_stage=old, new_stage=to_stage, reason=reason
        )
    return locked


def move_compounds(*, actor, compound_ids, from_stages, to_stage: str, reason: str = "") -> int:
    """Move the compounds that are at one of `from_stages` to `to_stage` at once, each change
    audited: planning publishes a round (consulted → candidate) and approves a plan (any
    earlier stage → planned; rounds score registered and consulted compounds alike). Runs
    inside the caller's transaction; returns how many moved."""
    if to_stage not in STAGE_ORDER or any(
        STAGE_ORDER.index(stage) >= STAGE_ORDER.index(to_stage) for stage in from_stages
    ):
        raise DomainError(_("阶段只能按顺序推进。"), code="stage_out_of_order")
    moving = list(
        Compound.objects.select_for_update().filter(
            pk__in=list(compound_ids), stage__in=list(from_stages)
        )
    )
    for compound in moving:
        old = compound.stage
        Compound.objects.filter(pk=compound.pk).update(stage=to_stage)
        compound.stage = to_stage
        events.compound_stage_changed(
            actor=actor, compound=compound, old_stage=old, new_stage=to_stage, reason=reason
        )
    return len(moving)


def mask_phone(phone: str) -> str:
    """138****5678: PIPL minimum exposure for roles that do not need the number."""
    if not phone:
        return ""
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:3] + "*" * max(len(phone) - 7, 1) + phone[-4:]


def reveal_phone(*, actor, scope: Scope, household: Household, reason: str) -> str:
    """Show a household's phone to a role allowed to see it, logging the reveal."""
    if not scope.may_see_personal_data or not scope.covers_path(household.compound.path):
        raise PermissionDenied(_("您的角色不能查看住户联系电话。"))
    if not reason.strip():
        raise DomainError(_("请说明查看原因。"), fields={"reason": [_("必填")]})
    with transaction.atomic(durable=True):
        events.personal_data_revealed(actor=actor, household=household, reason=reason.strip())
    return household.phone
