"""Projects as funding sees them: design's scoped projects (404 outside the viewer's
territory), and the approved plan whose total the funding plan must match."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from anju.core.scope import Scope
from anju.design.models import PlanVersion
from anju.design.selectors import plans as design_plans
from anju.design.selectors import projects as design_projects
from anju.planning.models import Project
from anju.territory.models import Stage
from anju.territory.services import STAGE_ORDER

# A project has money to plan and post from its joint review (联合审查) on.
FUNDED_STAGES = tuple(STAGE_ORDER[STAGE_ORDER.index(Stage.APPROVED) :])


def projects_in_scope(scope: Scope) -> QuerySet:
    return design_projects.projects_in_scope(scope)


def funded_projects(scope: Scope) -> QuerySet:
    """The viewer's projects at approved or later: the ones with a funding page."""
    return projects_in_scope(scope).filter(stage__in=FUNDED_STAGES)


def get_project(scope: Scope, pk) -> Project:
    """Any project the viewer sees (an unapproved one too: its page says why nothing can be
    posted yet); NotFound elsewhere."""
    return design_projects.get_project(scope, pk)


def is_fundable(project: Project) -> bool:
    return project.stage in FUNDED_STAGES


def approved_version(project: Project) -> PlanVersion | None:
    return (
        PlanVersion.objects.filter(project=project, status=PlanVersion.Status.APPROVED)
        .order_by("-number")
        .first()
    )


def approved_total(project: Project) -> Decimal | None:
    """The approved plan version's grand total in yuan; None while no version is approved."""
    version = approved_version(project)
    return None if version is None else design_plans.plan_total(version)


def approved_totals(project_ids) -> dict[int, Decimal]:
    """project id → its approved version's total (one query), for lists and totals."""
    from django.db.models import Sum

    from anju.design.models import PlanItem

    rows = (
        PlanItem.objects.filter(
            version__project_id__in=project_ids, version__status=PlanVersion.Status.APPROVED
        )
        .values("version__project_id")
        .annotate(total=Sum("cost"))
    )
    return {row["version__project_id"]: row["total"] or Decimal("0.00") for row in rows}
