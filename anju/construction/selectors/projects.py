"""Projects as construction's viewers may see them (every construction page and API asks here).

Territorial staff see the projects of their territory, as in design. A construction or
supervision unit sees only the projects it is a party to: holding a compound (for another
project, or assigned directly) is not enough. Anything else answers the same not-found as an
absent project.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.design.selectors import projects as design_projects
from anju.planning.models import Project
from anju.territory.models import Stage

from .. import rules
from ..models import ProjectParty

# The stages in which a project is construction's business.
CONSTRUCTION_STAGES = (Stage.APPROVED, Stage.BUILDING, Stage.ACCEPTED, Stage.STEWARDED)

PARTY_ROLES = (rules.CONSTRUCTION_UNIT, rules.SUPERVISION_UNIT)


def is_party_scope(scope: Scope) -> bool:
    """A construction or supervision unit's staff, with no territory of their own."""
    return (
        scope.is_staff
        and not scope.node_paths
        and scope.organisation_id is not None
        and scope.has_role(*PARTY_ROLES)
    )


def projects_in_scope(scope: Scope) -> QuerySet:
    projects = design_projects.projects_in_scope(scope)
    if is_party_scope(scope):
        projects = projects.filter(
            pk__in=ProjectParty.objects.filter(organisation_id=scope.organisation_id).values(
                "project_id"
            )
        )
    return projects


def get_project(scope: Scope, pk) -> Project:
    project = projects_in_scope(scope).filter(pk=pk).first()
    if project is None:
        raise NotFound()
    return project


def construction_projects(scope: Scope, *, stage: str = "") -> QuerySet:
    """The viewer's projects from approval on, each with its parties (one prefetch)."""
    projects = projects_in_scope(scope).filter(stage__in=CONSTRUCTION_STAGES)
    if stage:
        projects = projects.filter(stage=stage)
    return projects.prefetch_related(
        Prefetch(
            "parties",
            queryset=ProjectParty.objects.select_related("organisation").order_by("role"),
        )
    )


def parties_of(project: Project) -> QuerySet:
    return ProjectParty.objects.filter(project=project).select_related("organisation", "named_by")


def get_party(scope: Scope, project_pk, pk) -> ProjectParty:
    """A party of a project the viewer sees; anything else is not found."""
    project = get_project(scope, project_pk)
    party = parties_of(project).filter(pk=pk).first()
    if party is None:
        raise NotFound()
    party.project = project
    return party


def party_candidates(role: str) -> QuerySet:
    """Organisations of the role's kind (the registry is the city's)."""
    from anju.access.models import Organisation

    from ..models import KIND_FOR_ROLE

    kind = KIND_FOR_ROLE.get(role)
    if kind is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=kind).order_by("name")


def party_organisations() -> QuerySet:
    """Organisations that may be named a party (construction, supervision, design units)."""
    from anju.access.models import Organisation

    from ..models import KIND_FOR_ROLE

    return Organisation.objects.filter(kind__in=list(KIND_FOR_ROLE.values())).order_by(
        "kind", "name"
    )
