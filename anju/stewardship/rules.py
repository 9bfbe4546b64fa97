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


# --- end of governance ----------------------------------------------------------------------

# --- reports --------------------------------------------------------------------------------
# (the report chapter's predicates: file for a caller, handle, reassign, manage routing rules)

# --- end of reports -------------------------------------------------------------------------
