"""Who may do what in design: the role predicates, declared once and checked in the services.

Each chapter of design (projects, surveys, plans, notices, reviews) keeps its predicates in
its own section below. They take the viewer's `Scope` (and the project the act is about): the
selectors already answer not-found outside the viewer's territory, so a predicate only decides
whether a viewer who may *see* the project may also *act* on it.
"""

from __future__ import annotations

from anju.core.scope import Scope
from anju.planning.models import Project

# --- projects -------------------------------------------------------------------------------

CITY_OFFICE = "city_office"
DISTRICT_TASK_FORCE = "district_task_force"
DESIGNER = "designer"


def is_city_office(scope: Scope) -> bool:
    """The city office (市改造办) acts city-wide."""
    return scope.is_staff and scope.has_role(CITY_OFFICE)


def is_district_officer_for(scope: Scope, project: Project) -> bool:
    """A district task force (区工作专班) member whose territory holds the project's district."""
    return (
        scope.is_staff
        and scope.has_role(DISTRICT_TASK_FORCE)
        and scope.covers_path(project.path or project.district.path)
    )


def may_manage_project(scope: Scope, project: Project) -> bool:
    """Assigns designers and planners, and drives the project: the city office or the
    project's district task force (the district organises 项目实施, 汉政规〔2021〕1号)."""
    return is_city_office(scope) or is_district_officer_for(scope, project)


def is_assigned_designer(scope: Scope, project: Project) -> bool:
    """Staff of an organisation the district assigned to this project (designer or planner)."""
    if not scope.is_staff or scope.organisation_id is None:
        return False
    from .models import ProjectAssignment  # models import planning; keep rules importable early

    return ProjectAssignment.objects.filter(
        project=project, organisation_id=scope.organisation_id
    ).exists()


def may_design(scope: Scope, project: Project) -> bool:
    """Writes the project's survey and plan: its assigned designer or planner organisation, or
    the project's district (which may draw the plan itself in a small programme)."""
    return is_assigned_designer(scope, project) or is_district_officer_for(scope, project)


# --- end of projects ------------------------------------------------------------------------
