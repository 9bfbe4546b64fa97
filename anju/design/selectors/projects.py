"""Projects as the viewer may see them.

A project is visible when any of its compounds is: inside the viewer's territory (city,
district, street or community staff, department reviewers) or assigned to the viewer's
organisation (designers, planners and other companies, through access.CompoundAssignment).
Everything else answers the same not-found as an absent project, so existence never leaks.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from anju.access.models import Organisation
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.planning.models import Project, RoundEntry
from anju.territory.models import Compound

from ..models import ProjectAssignment, StageChange


def visible_compounds(scope: Scope) -> QuerySet:
    return Compound.objects.filter(scope.path_q("path", id_field="pk"))


def projects_in_scope(scope: Scope) -> QuerySet:
    if scope.is_empty or scope.is_resident:
        return Project.objects.none()
    return (
        Project.objects.filter(compounds__in=visible_compounds(scope))
        .distinct()
        .select_related("district", "annual_plan")
        .order_by("-annual_plan__year", "code")
    )


def get_project(scope: Scope, pk) -> Project:
    project = projects_in_scope(scope).filter(pk=pk).first()
    if project is None:
        raise NotFound()
    return project


# --- the project list and page ---------------------------------------------------------------


def project_list(scope: Scope, *, year=None, district: str = "", stage: str = "") -> QuerySet:
    """The viewer's projects, filtered; each with its compounds (one prefetch, for the list)."""
    projects = projects_in_scope(scope)
    if year:
        projects = projects.filter(annual_plan__year=year)
    if district:
        projects = projects.filter(district__code=district)
    if stage:
        projects = projects.filter(stage=stage)
    return projects.prefetch_related(
        Prefetch("compounds", queryset=Compound.objects.only("pk", "code", "name").order_by("code"))
    )


def project_filter_choices(scope: Scope) -> dict:
    """Years and districts the viewer's projects span, for the list's filters."""
    visible = Project.objects.filter(pk__in=projects_in_scope(scope).values("pk"))
    years = sorted(set(visible.values_list("annual_plan__year", flat=True)), reverse=True)
    districts = sorted(set(visible.values_list("district__code", "district__name")))
    return {"years": years, "districts": districts}


def assignments_of(project: Project) -> QuerySet:
    return ProjectAssignment.objects.filter(project=project).select_related(
        "organisation", "assigned_by"
    )


def get_assignment(scope: Scope, project_pk, pk) -> ProjectAssignment:
    """An assignment of a project the viewer sees; anything else is not found."""
    project = get_project(scope, project_pk)
    assignment = assignments_of(project).filter(pk=pk).first()
    if assignment is None:
        raise NotFound()
    assignment.project = project
    return assignment


def assignable_organisations() -> QuerySet:
    """Design firms (designers and planners alike), city-wide: the registry is the city's."""
    return Organisation.objects.filter(kind=Organisation.Kind.DESIGNER).order_by("name")


def stage_history(project: Project) -> QuerySet:
    return StageChange.objects.filter(project=project).select_related("changed_by")


def project_compounds(scope: Scope, project: Project) -> QuerySet:
    """The project's compounds the viewer sees (a company sees those assigned to it)."""
    return (
        visible_compounds(scope)
        .filter(projects=project)
        .select_related("community")
        .order_by("code")
    )


def plan_versions_of(project: Project) -> QuerySet:
    from ..models import PlanVersion

    return PlanVersion.objects.filter(project=project).order_by("-number")


# --- links from a compound's page ------------------------------------------------------------

LINKS_SHOWN = 10


@dataclass(frozen=True)
class CompoundLinks:
    """What a compound's page links to outside the registry, each only if the viewer may open
    it (found through the same scoped selectors the linked pages use)."""

    projects: list
    round_entries: list
    campaigns: list
    votes: list
    conflicts: list
    conflict_plans: list


def compound_links(scope: Scope, compound: Compound) -> CompoundLinks:
    from anju.coordination import conflicts as coordination
    from anju.engagement import selectors as engagement
    from anju.planning import selectors as planning

    entries = (
        RoundEntry.objects.filter(compound=compound, round__in=planning.rounds(scope=scope))
        .select_related("round")
        .order_by("-round__created_at")
    )
    current = (
        coordination.conflict_list(scope=scope)
        .filter(compound=compound, is_current=True)
        .order_by("status", "distance_m")
    )
    return CompoundLinks(
        projects=list(projects_in_scope(scope).filter(compounds=compound)[:LINKS_SHOWN]),
        round_entries=list(entries[:LINKS_SHOWN]),
        campaigns=list(
            engagement.campaign_list(scope=scope)
            .filter(compounds=compound)
            .order_by("-starts_on")[:LINKS_SHOWN]
        ),
        votes=list(
            engagement.vote_list(scope=scope)
            .filter(compound=compound)
            .order_by("-opens_at")[:LINKS_SHOWN]
        ),
        conflicts=list(current[:LINKS_SHOWN]),
        conflict_plans=sorted(
            {(c.annual_plan_id, c.annual_plan.year) for c in current[:100]},
            key=lambda pair: -pair[1],
        ),
    )
