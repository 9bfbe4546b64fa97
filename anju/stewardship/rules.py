"""Who may do what in stewardship: the role predicates, declared once and checked in the
services (pages, portal and API only ask them to decide what to offer).

Each chapter (schemes, coverage, governance, reports) keeps its predicates in its own section.
They take the viewer's `Scope` and the compound (or report) the act is about: the selectors
already answer not-found outside the viewer's territory, so a predicate only decides whether a
viewer who may *see* the compound may also *act* on it.
"""

from __future__ import annotations

from anju.core.scope import Scope
from anju.territory.models import Compound

CITY_OFFICE = "city_office"
DISTRICT_TASK_FORCE = "district_task_force"
STREET_OFFICE = "street_office"
COMMUNITY_WORKER = "community_worker"
PROPERTY_COMPANY = "property_company"
UTILITY_COMPANY = "utility_company"

# The compound's own territory staff: they arrange who looks after it once the works end.
KEEPERS = (DISTRICT_TASK_FORCE, STREET_OFFICE, COMMUNITY_WORKER)


def is_city_office(scope: Scope) -> bool:
    return scope.is_staff and scope.has_role(CITY_OFFICE)


def is_keeper_of(scope: Scope, compound: Compound) -> bool:
    """The district task force, street office or community worker whose territory holds the
    compound."""
    return scope.is_staff and scope.has_role(*KEEPERS) and scope.covers_path(compound.path)


def is_district_officer_for(scope: Scope, path: str) -> bool:
    return scope.is_staff and scope.has_role(DISTRICT_TASK_FORCE) and scope.covers_path(path)


def may_see_stewardship(scope: Scope) -> bool:
    """Offered the 长效管理 menu: territorial staff and property companies (no query)."""
    return scope.is_staff and (
        bool(scope.node_paths) or (scope.has_role(PROPERTY_COMPANY) and bool(scope.compound_ids))
    )


# --- schemes --------------------------------------------------------------------------------


def may_save_management_scheme(scope: Scope, compound: Compound) -> bool:
    """The compound's district, street or community (so also the project's district)."""
    return is_keeper_of(scope, compound)


def may_see_upkeep(scope: Scope) -> bool:
    """The upkeep budget by year and the compounds missing a budget line: the city office and
    territorial staff, each for their own territory."""
    return scope.is_staff and bool(scope.node_paths)


# --- end of schemes -------------------------------------------------------------------------

# --- coverage -------------------------------------------------------------------------------


def may_edit_coverage(scope: Scope, compound: Compound) -> bool:
    """Property contracts, committees, party organisation and party members: the compound's
    district, street or community."""
    return is_keeper_of(scope, compound)


def may_see_coverage_report(scope: Scope) -> bool:
    """Coverage by district and street: the city office and territorial staff."""
    return scope.is_staff and bool(scope.node_paths)


# --- end of coverage ------------------------------------------------------------------------

# --- governance -----------------------------------------------------------------------------


def may_record_meeting(scope: Scope, compound: Compound) -> bool:
    """Joint governance meetings are convened by the street and community (and the district)."""
    return is_keeper_of(scope, compound)


def may_follow_up_meeting(scope: Scope, compound: Compound) -> bool:
    """Adding a follow-up task and marking one done: the same keepers who convene."""
    return is_keeper_of(scope, compound)


# --- end of governance ----------------------------------------------------------------------

# --- reports --------------------------------------------------------------------------------
# Residents report in their own compound (the service checks the household); these decide what
# staff, companies and residents may do to a report they can already see.


def may_file_for_caller(scope: Scope, compound: Compound) -> bool:
    """Staff logging a phone call, a visit or a 12345 hotline case: the compound's district,
    street or community."""
    return is_keeper_of(scope, compound)


def is_handler_of(scope: Scope, report) -> bool:
    """The report's handler: the handling organisation's staff (property company, utility,
    named unit), the handling community's or street's staff, or the district task force or the
    city office acting for them."""
    if not scope.is_staff:
        return False
    if report.handler_organisation_id and scope.organisation_id == report.handler_organisation_id:
        return True
    if report.handler_node_id and scope.has_role(STREET_OFFICE, COMMUNITY_WORKER):
        if scope.covers_path(report.handler_node.path):
            return True
    return is_city_office(scope) or is_district_officer_for(scope, report.path)


def may_confirm_report(scope: Scope, report) -> bool:
    """The reporting household confirms; for a caller (no household) the staff who may file
    for callers confirm on their behalf."""
    if scope.is_resident:
        return report.household_id is not None and scope.household_id == report.household_id
    return report.household_id is None and is_keeper_of(scope, report.compound)


def may_reopen_report(scope: Scope, report) -> bool:
    """Anyone living in the compound, or its district, street or community staff."""
    if scope.is_resident:
        return report.compound_id in scope.compound_ids
    return is_keeper_of(scope, report.compound)


def may_reassign_report(scope: Scope, report) -> bool:
    """The compound's district, street or community, or the city office."""
    return is_city_office(scope) or is_keeper_of(scope, report.compound)


def may_mark_duplicate(scope: Scope, report) -> bool:
    return is_handler_of(scope, report) or is_keeper_of(scope, report.compound)


def may_manage_routing_rule(scope: Scope, node) -> bool:
    """City-wide rules: the city office; a rule for a node: the city office or the district
    task force whose district holds the node."""
    if is_city_office(scope):
        return True
    return node is not None and is_district_officer_for(scope, node.path)


def may_manage_report_categories(scope: Scope) -> bool:
    """The categories and their deadlines are city-wide reference data: the city office
    alone adds, renames, re-times and switches them off."""
    return is_city_office(scope)


def may_see_report_metrics(scope: Scope) -> bool:
    return scope.is_staff and (bool(scope.node_paths) or scope.has_role(PROPERTY_COMPANY))


def may_see_reports(scope: Scope) -> bool:
    """Offered 问题报告 in the menu (no query): territorial staff, and the property companies
    and utilities that handle reports."""
    return scope.is_staff and (
        bool(scope.node_paths) or scope.has_role(PROPERTY_COMPANY, UTILITY_COMPANY)
    )


# --- end of reports -------------------------------------------------------------------------
