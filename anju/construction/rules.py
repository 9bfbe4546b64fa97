"""Who may do what in construction: the role predicates, declared once and checked in the
services (pages, portal and API only ask them what to offer).

Each chapter (parties & schedule, notices, inspections, acceptance, sampling) keeps its
predicates in its own section. They take the viewer's `Scope` and the project: the selectors
already answer not-found outside the viewer's territory (a company sees the projects it is a
party to), so a predicate only decides whether a viewer who may *see* the project may *act*.
"""

from __future__ import annotations

from anju.core.scope import Scope
from anju.planning.models import Project

CITY_OFFICE = "city_office"
DISTRICT_TASK_FORCE = "district_task_force"
STREET_OFFICE = "street_office"
COMMUNITY_WORKER = "community_worker"
CONSTRUCTION_UNIT = "construction_unit"
SUPERVISION_UNIT = "supervision_unit"
DESIGNER = "designer"
DEPARTMENT_REVIEWER = "department_reviewer"


def is_city_office(scope: Scope) -> bool:
    return scope.is_staff and scope.has_role(CITY_OFFICE)


def is_district_officer_for(scope: Scope, project: Project) -> bool:
    return (
        scope.is_staff and scope.has_role(DISTRICT_TASK_FORCE) and scope.covers_path(project.path)
    )


def may_manage_construction(scope: Scope, project: Project) -> bool:
    """Names the parties, publishes the construction notice, organises acceptance and the
    satisfaction check: the project's district task force, or the city office."""
    return is_city_office(scope) or is_district_officer_for(scope, project)


def party_role_of(scope: Scope, project: Project) -> str | None:
    """The party role ("construction", "supervision", "design") the viewer's organisation
    holds on this project, if any."""
    if not scope.is_staff or scope.organisation_id is None:
        return None
    from .models import ProjectParty  # models import planning; keep rules importable early

    return (
        ProjectParty.objects.filter(project=project, organisation_id=scope.organisation_id)
        .values_list("role", flat=True)
        .first()
    )


def is_construction_unit_of(scope: Scope, project: Project) -> bool:
    return scope.has_role(CONSTRUCTION_UNIT) and party_role_of(scope, project) == "construction"


def is_supervision_unit_of(scope: Scope, project: Project) -> bool:
    return scope.has_role(SUPERVISION_UNIT) and party_role_of(scope, project) == "supervision"


def may_see_construction(scope: Scope) -> bool:
    """Offered the 施工 menu: territorial staff and the parties' staff (no query)."""
    return scope.is_staff and not scope.is_empty


# --- parties and schedule -------------------------------------------------------------------

# Parties are named (changed, removed) while the project is approved and not yet building; the
# schedule is kept up to date before and during building; progress is reported during it.
PARTY_STAGES = frozenset({"approved"})
SCHEDULE_STAGES = frozenset({"approved", "building"})
PROGRESS_STAGES = frozenset({"building"})


def may_name_parties(scope: Scope, project: Project) -> bool:
    return may_manage_construction(scope, project) and project.stage in PARTY_STAGES


def may_edit_schedule(scope: Scope, project: Project) -> bool:
    """The district (or the city office) or the project's construction unit, before and
    during building."""
    return project.stage in SCHEDULE_STAGES and (
        may_manage_construction(scope, project) or is_construction_unit_of(scope, project)
    )


def may_start_construction(scope: Scope, project: Project) -> bool:
    return may_manage_construction(scope, project) and project.stage == "approved"


def may_report_progress(scope: Scope, project: Project) -> bool:
    """Only the construction unit reports progress (not the supervisor, not the district)."""
    return project.stage in PROGRESS_STAGES and is_construction_unit_of(scope, project)


def may_review_progress(scope: Scope, project: Project) -> bool:
    """Only the supervision unit confirms or disputes a report."""
    return project.stage in PROGRESS_STAGES and is_supervision_unit_of(scope, project)


# --- end of parties and schedule ------------------------------------------------------------

# --- notices --------------------------------------------------------------------------------

# The notice is posted once the parties are named (approved) and kept up to date while building.
NOTICE_STAGES = frozenset({"approved", "building"})


def may_publish_notice(scope: Scope, project: Project) -> bool:
    """Publishes and republishes the construction notice (施工公示) and prints its board: the
    project's district task force or the city office, from approval until completion."""
    return may_manage_construction(scope, project) and project.stage in NOTICE_STAGES


# --- end of notices -------------------------------------------------------------------------

# --- inspections ----------------------------------------------------------------------------

INSPECTION_STAFF_ROLES = frozenset({CITY_OFFICE, DISTRICT_TASK_FORCE, SUPERVISION_UNIT})


def may_inspect(scope: Scope, project: Project) -> bool:
    """Records quality and safety inspections, issues rectification orders and closes or
    reopens them after review: the project's supervision unit (监理), the project's district
    task force, or the city office (质量安全监督)."""
    return (
        is_city_office(scope)
        or is_district_officer_for(scope, project)
        or is_supervision_unit_of(scope, project)
    )


def is_responsible_for(scope: Scope, finding) -> bool:
    """Staff of the organisation the rectification order is addressed to (the finding's
    responsible party): they answer it with evidence."""
    return (
        scope.is_staff
        and scope.organisation_id is not None
        and scope.organisation_id == finding.responsible_party.organisation_id
    )


def may_review_answer(scope: Scope, finding) -> bool:
    """Closes or reopens an answered order: an inspector of the project who is not the party
    the order is addressed to (nobody signs off their own rectification)."""
    return may_inspect(scope, finding.project) and not is_responsible_for(scope, finding)


def may_see_overdue_findings(scope: Scope) -> bool:
    """Offered the overdue rectification list (超期督办): the district task force and the
    city office."""
    return scope.is_staff and scope.has_role(CITY_OFFICE, DISTRICT_TASK_FORCE)


def may_edit_checklists(scope: Scope) -> bool:
    """Adds work types and checklist items, rewords items and switches them off or on: the
    city office only (the checklists are city-wide reference data, seed.py)."""
    return is_city_office(scope)


# --- end of inspections ---------------------------------------------------------------------

# --- acceptance -----------------------------------------------------------------------------

ACCEPTANCE_STAGES = frozenset({"building"})


def may_organise_acceptance(scope: Scope, project: Project) -> bool:
    """Opens a joint acceptance session, invites its participants, records defects and the
    outcome: the project's district task force (or the city office), while it is building."""
    return may_manage_construction(scope, project) and project.stage in ACCEPTANCE_STAGES


def may_fill_checklist_for(scope: Scope, participant) -> bool:
    """Fills a participant's checklist in the workbench: the organisers (for anyone, e.g. a
    resident who signed on paper), or staff of the participant's own organisation (a party,
    a department) or the participant's own account."""
    project = participant.session.project
    if project.stage not in ACCEPTANCE_STAGES or not scope.is_staff:
        return False
    if may_manage_construction(scope, project):
        return True
    if participant.user_id is not None and participant.user_id == scope.user_id:
        return True
    organisation_id = participant.organisation_id or (
        participant.party.organisation_id if participant.party_id else None
    )
    return organisation_id is not None and organisation_id == scope.organisation_id


def may_clear_defect(scope: Scope, project: Project) -> bool:
    """Marks a defect put right: the organisers, or the supervision unit that verified it."""
    return project.stage in ACCEPTANCE_STAGES and (
        may_manage_construction(scope, project) or is_supervision_unit_of(scope, project)
    )


def may_see_representative_names(scope: Scope, project: Project) -> bool:
    """Residents' representatives' names: the organisers who invite them and the roles that
    work with residents' personal data (community, street); everyone else reads them masked."""
    return scope.may_see_personal_data or may_manage_construction(scope, project)


# --- end of acceptance ----------------------------------------------------------------------

# --- sampling -------------------------------------------------------------------------------

# Staff who call or visit sampled households and record their answers (channel logged).
SATISFACTION_CALLERS = (COMMUNITY_WORKER, STREET_OFFICE, DISTRICT_TASK_FORCE, CITY_OFFICE)


def may_draw_sample(scope: Scope, project: Project) -> bool:
    """Draws the satisfaction sample and closes the survey: the district task force or the
    city office (as for the rest of construction's management)."""
    return may_manage_construction(scope, project)


def may_record_satisfaction_answer(scope: Scope, project: Project) -> bool:
    """Records a sampled household's answer given by phone or on a visit: the community
    worker, street office or district task force over the project's compounds, or the city
    office. The parties (who built it) never record the residents' verdict on their work."""
    if not scope.is_staff or not scope.has_role(*SATISFACTION_CALLERS):
        return False
    if is_city_office(scope) or scope.covers_path(project.path):
        return True
    # A street or community node lies below the project's district: ask its compounds.
    paths = project.compounds.values_list("path", flat=True)
    return any(scope.covers_path(path) for path in paths)


# --- end of sampling ------------------------------------------------------------------------
