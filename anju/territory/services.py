"""Every write to the registry: keyword-only, audited, atomic."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from anju.core.audit import snapshot
from anju.core.calendar import today
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.scope import Scope

from . import events, paths
from .models import Compound, Household, Node, NodeChange, Stage
from .signals import territory_moved

BULK_BATCH = 500

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
    return _set_stage(actor, compound_ids, from_stages, to_stage, reason)


def return_compounds(*, actor, compound_ids, from_stages, to_stage: str, reason: str) -> int:
    """The one backward step: a project's plan returned by the joint review goes back to
    design, and its compounds with it. Runs inside the caller's transaction; each change is
    audited with the reason; returns how many moved."""
    if to_stage not in STAGE_ORDER or any(
        STAGE_ORDER.index(stage) <= STAGE_ORDER.index(to_stage) for stage in from_stages
    ):
        raise DomainError(_("阶段只能退回到更早的阶段。"), code="stage_out_of_order")
    if not reason.strip():
        raise DomainError(_("退回阶段须说明原因。"), fields={"reason": [_("必填")]})
    return _set_stage(actor, compound_ids, from_stages, to_stage, reason)


def _set_stage(actor, compound_ids, from_stages, to_stage: str, reason: str) -> int:
    """The rows locked, one UPDATE for all of them, and one audit event per compound."""
    moving = list(
        Compound.objects.select_for_update().filter(
            pk__in=list(compound_ids), stage__in=list(from_stages)
        )
    )
    Compound.objects.filter(pk__in=[compound.pk for compound in moving]).update(stage=to_stage)
    for compound in moving:
        old = compound.stage
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


# --- territory adjustments (区划调整) ----------------------------------------------------------

TERRITORY_EDITORS = ("city_office",)
# Which kind of node may sit under which (ARCHITECTURE.md: City → District or functional zone
# → Street → Community). A zone administers streets of statutory districts (DOMAIN.md).
ALLOWED_PARENTS = {
    Node.Kind.DISTRICT: (Node.Kind.CITY,),
    Node.Kind.ZONE: (Node.Kind.CITY,),
    Node.Kind.STREET: (Node.Kind.DISTRICT, Node.Kind.ZONE),
    Node.Kind.COMMUNITY: (Node.Kind.STREET,),
}
NODE_CODE = re.compile(r"[0-9A-Za-z-]{1,20}")


def may_change_territory(scope: Scope) -> bool:
    """Only the city office adjusts the territory tree: the city sets its 区划, districts
    work inside it."""
    return scope.is_staff and scope.has_role(*TERRITORY_EDITORS)


def _require_territory_editor(scope: Scope, *nodes: Node) -> None:
    if not may_change_territory(scope):
        raise PermissionDenied(_("只有市改造办可以调整区划。"))
    if not all(scope.covers_path(node.path) for node in nodes):
        raise NotFound()


def is_live_on(node: Node, day: dt.date) -> bool:
    return (node.valid_from is None or node.valid_from <= day) and (
        node.valid_to is None or node.valid_to >= day
    )


def _check_parent(kind: str, parent: Node | None, day: dt.date) -> None:
    allowed = ALLOWED_PARENTS.get(kind, ())
    if parent is None or parent.kind not in allowed:
        raise DomainError(
            _("%(kind)s只能设在%(parents)s之下。")
            % {
                "kind": Node.Kind(kind).label,
                "parents": "、".join(str(Node.Kind(k).label) for k in allowed) or "—",
            },
            code="parent_kind_not_allowed",
            fields={"parent": [_("上级层级不符")]},
        )
    if not is_live_on(parent, day):
        raise DomainError(
            _("上级区划在生效日期已撤销或尚未设立。"),
            code="parent_not_live",
            fields={"parent": [_("上级无效")]},
        )


def _check_effective_on(node: Node, day: dt.date) -> None:
    if node.valid_from and day < node.valid_from:
        raise DomainError(
            _("生效日期不能早于该区划的设立日期。"),
            code="before_node_start",
            fields={"effective_on": [_("早于设立日期")]},
        )
    if node.valid_to and day > node.valid_to:
        raise DomainError(_("该区划已撤销，不能再调整。"), code="node_ended")


def _validated(node: Node, exclude=None) -> None:
    try:
        node.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise DomainError(_("输入有误。"), fields=exc.message_dict) from exc


def _history_user(actor):
    return actor if getattr(actor, "pk", None) and hasattr(actor, "get_username") else None


def check_node_code(code: str) -> None:
    """A node code is letters, digits and hyphens, at most 20 (GB/T 2260 and the 12-digit
    statistical codes fit; so do a zone's own codes)."""
    if not NODE_CODE.fullmatch(code):
        raise DomainError(
            _("区划代码只能由字母、数字和连字符组成，不超过20位。"),
            fields={"code": [_("代码无效")]},
        )


def check_new_node(*, kind: str, parent: Node | None, valid_from: dt.date | None) -> None:
    """The placement rules for a new node, wherever it comes from (`add_node`, the territory
    import): a kind below the city, under a parent of an allowed kind (ALLOWED_PARENTS) that
    is live on the day the node starts (today when it has no start date). `parent` may be an
    unsaved Node standing for a row of the same import file."""
    if kind not in ALLOWED_PARENTS:
        raise DomainError(_("不能新设该层级的区划。"), fields={"kind": [_("层级无效")]})
    _check_parent(kind, parent, valid_from or today())


def add_node(
    *,
    actor,
    scope: Scope,
    kind: str,
    code: str,
    name: str,
    parent: Node,
    valid_from: dt.date,
    decision: str = "",
) -> Node:
    """Set up a district, zone, street or community under a live parent of the right kind."""
    _require_territory_editor(scope, parent)
    code, name = code.strip(), name.strip()
    check_node_code(code)
    check_new_node(kind=kind, parent=parent, valid_from=valid_from)
    with transaction.atomic(durable=True):
        node = Node(kind=kind, code=code, name=name, parent=parent, valid_from=valid_from)
        node.path = parent.path + code + "/"
        node.depth = node.path.count("/") - 1
        _validated(node)
        node._change_reason = "add_node"
        node.save()
        change = NodeChange.objects.create(
            node=node, kind=NodeChange.Kind.ADDED, effective_on=valid_from, new_name=name,
            new_parent=parent, new_path=node.path, decision=decision.strip(),
            recorded_by=_history_user(actor),
        )  # fmt: skip
        events.node_changed(actor=actor, change=change)
    return node


def rename_node(
    *, actor, scope: Scope, node: Node, name: str, effective_on: dt.date, decision: str = ""
) -> Node:
    """Give a node a new name from a day on; the old name stays in its change log."""
    _require_territory_editor(scope, node)
    name = name.strip()
    with transaction.atomic(durable=True):
        locked = Node.objects.select_for_update().get(pk=node.pk)
        if not name or name == locked.name:
            raise DomainError(_("请填写与现名称不同的新名称。"), fields={"name": [_("名称未变")]})
        _check_effective_on(locked, effective_on)
        old_name = locked.name
        locked.name = name
        _validated(locked)
        locked._change_reason = "rename_node"
        locked.save()
        change = NodeChange.objects.create(
            node=locked, kind=NodeChange.Kind.RENAMED, effective_on=effective_on,
            old_name=old_name, new_name=name, old_parent=locked.parent,
            new_parent=locked.parent, old_path=locked.path, new_path=locked.path,
            decision=decision.strip(), recorded_by=_history_user(actor),
        )  # fmt: skip
        events.node_changed(actor=actor, change=change)
    return locked


def move_node(
    *,
    actor,
    scope: Scope,
    node: Node,
    new_parent: Node,
    effective_on: dt.date,
    decision: str = "",
) -> Node:
    """Place a node (and everything under it) under another parent, e.g. a street handed from
    洪山区 to 东湖新技术开发区.

    The materialised paths of the node, every node below it and every compound below it are
    rewritten in one transaction (with a simple-history row each), so "everything under the
    zone" is again one prefix filter; the old placement stays in the node's change log.
    Placements take effect when recorded, so the day may be today or earlier, not later.
    """
    _require_territory_editor(scope, node, new_parent)
    with transaction.atomic(durable=True):
        locked = Node.objects.select_for_update().get(pk=node.pk)
        parent = Node.objects.select_for_update().get(pk=new_parent.pk)
        return _move_locked(actor, locked, parent, effective_on, decision)


def _move_locked(actor, locked: Node, parent: Node, effective_on, decision) -> Node:
    """The move's rules and writes, on rows already locked by `move_node`."""
    if locked.parent_id == parent.pk:
        raise DomainError(
            _("该区划已隶属于所选上级。"), code="same_parent", fields={"parent": [_("上级未变")]}
        )
    if parent.path.startswith(locked.path):
        raise DomainError(
            _("不能把区划调整到它自己或它的下级之下。"),
            code="move_under_itself",
            fields={"parent": [_("不能是自身或下级")]},
        )
    if effective_on > today():
        raise DomainError(
            _("调整隶属即时生效，生效日期不能晚于今天。"),
            code="effective_in_future",
            fields={"effective_on": [_("不能晚于今天")]},
        )
    _check_effective_on(locked, effective_on)
    _check_parent(locked.kind, parent, effective_on)
    old_parent, old_prefix = locked.parent, locked.path
    new_prefix = paths.child_path(parent.path, locked.code)
    subtree = list(Node.objects.select_for_update().filter(path__startswith=old_prefix))
    compounds = list(Compound.objects.select_for_update().filter(path__startswith=old_prefix))
    for row in (*subtree, *compounds):
        row.path = paths.moved_path(row.path, old_prefix, new_prefix)
        if len(row.path) > row._meta.get_field("path").max_length:
            raise DomainError(_("调整后的区划层级过深。"), code="path_too_long")
    for row in subtree:
        row.depth = paths.depth(row.path)
        if row.pk == locked.pk:
            row.parent = parent
    user = _history_user(actor)
    bulk_update_with_history(
        subtree, Node, ["parent", "path", "depth"],
        default_user=user, default_change_reason="move_node",
    )  # fmt: skip
    bulk_update_with_history(
        compounds, Compound, ["path"], batch_size=BULK_BATCH,
        default_user=user, default_change_reason="move_node",
    )  # fmt: skip
    locked.refresh_from_db()
    change = NodeChange.objects.create(
        node=locked, kind=NodeChange.Kind.MOVED, effective_on=effective_on,
        old_name=locked.name, new_name=locked.name, old_parent=old_parent,
        new_parent=parent, old_path=old_prefix, new_path=new_prefix,
        decision=decision.strip(), recorded_by=user,
    )  # fmt: skip
    events.node_changed(
        actor=actor,
        change=change,
        counts={"nodes": len(subtree), "compounds": len(compounds)},
    )
    territory_moved.send(sender=Node, old_prefix=old_prefix, new_prefix=new_prefix, actor=actor)
    return locked


def end_node(*, actor, scope: Scope, node: Node, valid_to: dt.date, decision: str = "") -> Node:
    """End a node (merged, abolished) on its last valid day. Its children and compounds must
    have been moved or ended first, so nothing live hangs under an ended node."""
    _require_territory_editor(scope, node)
    with transaction.atomic(durable=True):
        locked = Node.objects.select_for_update().get(pk=node.pk)
        if locked.kind == Node.Kind.CITY:
            raise DomainError(_("不能撤销市级区划。"), code="city_cannot_end")
        if locked.valid_to is not None:
            raise DomainError(_("该区划已撤销。"), code="node_ended")
        if locked.valid_from and valid_to < locked.valid_from:
            raise DomainError(
                _("撤销日期不能早于设立日期。"),
                code="ends_before_start",
                fields={"valid_to": [_("早于设立日期")]},
            )
        live_children = locked.children.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_to))
        if live_children.exists():
            raise DomainError(
                _("该区划下仍有未撤销的下级区划，请先调整或撤销它们。"),
                code="has_live_children",
            )
        if Compound.objects.filter(path__startswith=locked.path).exists():
            raise DomainError(
                _("该区划下仍有小区，请先把小区调整到其他社区。"), code="has_compounds"
            )
        locked.valid_to = valid_to
        _validated(locked)
        locked._change_reason = "end_node"
        locked.save()
        change = NodeChange.objects.create(
            node=locked, kind=NodeChange.Kind.ENDED, effective_on=valid_to,
            old_name=locked.name, new_name=locked.name, old_parent=locked.parent,
            new_parent=locked.parent, old_path=locked.path, new_path=locked.path,
            decision=decision.strip(), recorded_by=_history_user(actor),
        )  # fmt: skip
        events.node_changed(actor=actor, change=change)
    return locked
