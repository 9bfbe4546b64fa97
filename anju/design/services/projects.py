"""A project's stage, changed only here, and who works on it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anju.access import administration
from anju.access import rules as access_rules
from anju.access.models import CompoundAssignment, Organisation
from anju.core.errors import DomainError, PermissionDenied
from anju.core.scope import Scope
from anju.planning.models import Project
from anju.territory import services as territory_services
from anju.territory.models import Stage

from .. import events, rules
from ..models import ProjectAssignment, StageChange


def move_project_stage(*, actor, project: Project, to_stage: str, reason: str = "") -> Project:
    """Move a project (and its compounds, which show the project's stage) to `to_stage`.

    A step of the public services of design (a plan noticed, reviewed, returned): it runs
    inside the caller's transaction and assumes the caller checked the precondition. The
    project row is locked, so two callers cannot both move it from the same stage."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("move_project_stage runs inside the caller's transaction")
    locked = Project.objects.select_for_update().get(pk=project.pk)
    old = locked.stage
    if old == to_stage:
        return locked
    if to_stage not in Stage.values:
        raise DomainError(_("未知的阶段。"), code="unknown_stage")
    locked.stage = to_stage
    locked.save(update_fields=["stage"])
    StageChange.objects.create(
        project=locked,
        from_stage=old,
        to_stage=to_stage,
        reason=reason,
        changed_by=actor if getattr(actor, "pk", None) else None,
    )
    compound_ids = list(locked.compounds.values_list("pk", flat=True))
    _move_compounds(
        actor=actor, compound_ids=compound_ids, old_stage=old, to_stage=to_stage, reason=reason
    )
    events.stage_changed(actor=actor, project=locked, old_stage=old, new_stage=to_stage)
    project.stage = to_stage
    return locked


def _move_compounds(*, actor, compound_ids, old_stage: str, to_stage: str, reason: str) -> None:
    """The compounds follow through territory's audited services: forwards as a rule, and
    backwards in the one case design has (the joint review returns a plan to design)."""
    order = territory_services.STAGE_ORDER
    if order.index(to_stage) > order.index(old_stage):
        territory_services.move_compounds(
            actor=actor,
            compound_ids=compound_ids,
            from_stages=order[: order.index(to_stage)],
            to_stage=to_stage,
            reason=reason,
        )
    else:
        territory_services.return_compounds(
            actor=actor,
            compound_ids=compound_ids,
            from_stages=order[order.index(to_stage) + 1 :],
            to_stage=to_stage,
            reason=reason,
        )


# --- assignments -----------------------------------------------------------------------------

# Designers and planners are both design firms (设计单位); a planner is the firm's role on the
# project (社区规划师), not another kind of organisation.
ASSIGNABLE_KINDS = frozenset({Organisation.Kind.DESIGNER})


def check_assignment(*, scope: Scope, project: Project, organisation, role: str) -> None:
    """Refuse an assignment before anything is written: who may assign, to whom, as what."""
    if not rules.may_manage_project(scope, project):
        raise PermissionDenied(_("只有项目所在区的工作专班或市改造办可以委托设计单位和规划师。"))
    if role not in ProjectAssignment.Role.values:
        raise DomainError(_("请选择委托的角色。"), fields={"role": [_("未知的角色")]})
    if organisation is None:
        raise DomainError(_("找不到该机构。"), fields={"organisation": [_("找不到该机构")]})
    if organisation.kind not in ASSIGNABLE_KINDS:
        raise DomainError(
            _("只能委托设计单位，“%(organisation)s”是%(kind)s。")
            % {"organisation": organisation.name, "kind": organisation.get_kind_display()},
            fields={"organisation": [_("机构类型不符")]},
        )
    if ProjectAssignment.objects.filter(
        project=project, organisation=organisation, role=role
    ).exists():
        raise DomainError(
            _("“%(organisation)s”已受托担任本项目的%(role)s。")
            % {
                "organisation": organisation.name,
                "role": ProjectAssignment.Role(role).label,
            },
            code="already_assigned",
        )


def assign_project(
    *, actor, scope: Scope, project: Project, organisation: Organisation, role: str
) -> ProjectAssignment:
    """The district (or the city office) assigns a designer or planner to a project.

    The organisation also gets each of the project's compounds (access's audited compound
    assignment, in the same transaction), so its staff see the project, its compounds and
    their residents' needs; a compound it already holds stays as it is."""
    check_assignment(scope=scope, project=project, organisation=organisation, role=role)
    authority = access_rules.authority_of(actor)
    with transaction.atomic(durable=True):
        assignment = ProjectAssignment(
            project=project,
            organisation=organisation,
            role=role,
            assigned_by=actor if getattr(actor, "pk", None) else None,
        )
        try:
            assignment.full_clean()
        except ValidationError as error:
            raise DomainError(_("委托无效。"), fields=error.message_dict) from error
        assignment.save()
        held = set(
            CompoundAssignment.objects.filter(organisation=organisation).values_list(
                "compound_id", flat=True
            )
        )
        for compound in project.compounds.order_by("code"):
            if compound.pk not in held:
                administration._assign_organisation(
                    actor=actor, authority=authority, organisation=organisation, compound=compound
                )
        events.project_assigned(actor=actor, assignment=assignment)
    return assignment


def unassign_project(*, actor, scope: Scope, assignment: ProjectAssignment) -> None:
    """Withdraw an assignment; the organisation loses the project's compounds unless another
    of its project assignments still covers them."""
    project = assignment.project
    if not rules.may_manage_project(scope, project):
        raise PermissionDenied(_("只有项目所在区的工作专班或市改造办可以取消委托。"))
    authority = access_rules.authority_of(actor)
    with transaction.atomic(durable=True):
        events.project_unassigned(actor=actor, assignment=assignment)
        organisation = assignment.organisation
        assignment.delete()
        still_needed = set(
            ProjectAssignment.objects.filter(organisation=organisation).values_list(
                "project__compounds", flat=True
            )
        )
        released = CompoundAssignment.objects.filter(
            organisation=organisation, compound__in=project.compounds.all()
        ).exclude(compound_id__in=still_needed)
        for compound_assignment in released.select_related("compound", "organisation"):
            administration._unassign_organisation(
                actor=actor, authority=authority, assignment=compound_assignment
            )
