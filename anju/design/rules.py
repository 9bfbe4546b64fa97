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


def may_see_projects(scope: Scope) -> bool:
    """Offered the 项目 menu: staff with a territory or assigned compounds (they see the
    projects of those compounds; the list itself is the authority). No query: the menu is
    on every page."""
    return scope.is_staff and not scope.is_empty


# --- end of projects ------------------------------------------------------------------------

# --- reviews: joint review and permits ------------------------------------------------------

DEPARTMENT_REVIEWER = "department_reviewer"


def may_organise_review(scope: Scope, project: Project) -> bool:
    """Submits a noticed plan to joint review, assigns the departments' reviewers and records
    the permit steps: the project's district task force, or the city office acting for it
    (the district organises 联合审查 and 审批, 汉政规〔2021〕1号)."""
    return may_manage_project(scope, project)


def is_department_reviewer(scope: Scope) -> bool:
    """A department reviewer (部门审查人) bound to a territory. Deciding also needs the
    project's ReviewerAssignment for that department, which the service checks."""
    return scope.is_staff and scope.has_role(DEPARTMENT_REVIEWER)


# --- end of reviews -------------------------------------------------------------------------

# --- notices: publication and objections ----------------------------------------------------

STREET_OFFICE = "street_office"
COMMUNITY_WORKER = "community_worker"
OBJECTION_ANSWERERS = frozenset({DISTRICT_TASK_FORCE, STREET_OFFICE, COMMUNITY_WORKER})


def may_publish_notice(scope: Scope, project: Project) -> bool:
    """Publishes a plan version for public notice (方案公示): the project's district task
    force. The district organises the notice (汉政规〔2021〕1号); the designer draws the plan
    but does not speak for the government to the residents."""
    return is_district_officer_for(scope, project)


def may_answer_objections(scope: Scope, project: Project) -> bool:
    """Answers residents' objections publicly: district, street or community staff whose
    territory holds the project's district or one of its compounds (the community meets the
    residents; the district answers for the plan)."""
    if not (scope.is_staff and scope.has_role(*OBJECTION_ANSWERERS)):
        return False
    if scope.covers_path(project.path or project.district.path):
        return True
    return any(scope.covers_path(path) for path in project.compounds.values_list("path", flat=True))


# --- end of notices -------------------------------------------------------------------------

# --- surveys: 摸底调查 ------------------------------------------------------------------------

SURVEY_STAFF_ROLES = frozenset({DISTRICT_TASK_FORCE, "street_office", "community_worker"})


def is_compound_staff(scope: Scope, compound) -> bool:
    """District, street or community staff whose territory holds the compound: they know its
    buildings and residents and walk the survey with the designer."""
    return (
        scope.is_staff and scope.has_role(*SURVEY_STAFF_ROLES) and scope.covers_path(compound.path)
    )


def may_survey(scope: Scope, project: Project, compound) -> bool:
    """Records, corrects and deletes the survey's findings in one of the project's compounds:
    the project's assigned designer or planner (摸底调查 is part of the design commission), or
    the district, street or community staff of that compound. The city office reads the
    survey but does not make it."""
    return is_compound_staff(scope, compound) or is_assigned_designer(scope, project)


# --- end of surveys -------------------------------------------------------------------------

# --- plans: plan versions, items, need answers, workshops -----------------------------------


def may_draw_plan(scope: Scope, project: Project) -> bool:
    """Creates and edits the project's plan versions, answers the residents' needs, records the
    co-design workshops and marks the plan ready: the assigned designer (or planner), or the
    project's district task force (`may_design`)."""
    return may_design(scope, project)


# --- end of plans ---------------------------------------------------------------------------
