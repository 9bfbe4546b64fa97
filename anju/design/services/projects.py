"""A project's stage, changed only here, and who works on it."""

from django.db import transaction
from django.utils.translation import gettext as _

from anju.core.errors import DomainError
from anju.planning.models import Project
from anju.territory import services as territory_services
from anju.territory.models import Stage

from .. import events
from ..models import StageChange


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
