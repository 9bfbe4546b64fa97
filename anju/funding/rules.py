"""Who may do what with money: the role predicates, declared once and checked in the services.

Each chapter (ledger, sharing, contracts) keeps its predicates in its own section. They take
the viewer's `Scope` and the project (or contract): the selectors already answer not-found
outside the viewer's territory.
"""

from __future__ import annotations

from anju.core.scope import Scope

CITY_OFFICE = "city_office"
DISTRICT_TASK_FORCE = "district_task_force"


def is_city_office(scope: Scope) -> bool:
    return scope.is_staff and scope.has_role(CITY_OFFICE)


def is_district_officer_for(scope: Scope, path: str) -> bool:
    return scope.is_staff and scope.has_role(DISTRICT_TASK_FORCE) and scope.covers_path(path)


def may_keep_books(scope: Scope, path: str) -> bool:
    """Plans, commits, receives and disburses a project's money: its district task force or
    the city office (the district is the project's legal owner, 汉政规〔2021〕1号)."""
    return is_city_office(scope) or is_district_officer_for(scope, path)


def may_see_funding(scope: Scope) -> bool:
    """Offered the 资金 menu: territorial staff (no query)."""
    return scope.is_staff and bool(scope.node_paths)


# --- ledger ---------------------------------------------------------------------------------


def may_override_progress(scope: Scope) -> bool:
    """Disburses beyond what the confirmed progress justifies, with a reason: the city office
    only. The district task force keeps the books, so the override is a second pair of eyes
    (the district's head has no role of its own in anju)."""
    return is_city_office(scope)


def may_toggle_sources(scope: Scope) -> bool:
    """Switches a funding source on or off for new plan lines: the city office."""
    return is_city_office(scope)


# --- end of ledger --------------------------------------------------------------------------

# --- sharing --------------------------------------------------------------------------------


def may_share_costs(scope: Scope, path: str) -> bool:
    """Sets how a project's items are shared and (re)computes the households' amounts: the
    project's district task force or the city office, like the books."""
    return may_keep_books(scope, path)


def may_see_cost_shares(scope: Scope, path: str) -> bool:
    """Reads a project's shares, household lines and contribution sheets: territorial staff
    who see the project (the scoped selector found it through one of its compounds, so the
    community prints the sheets for its residents); not the companies working on it."""
    return scope.is_staff and bool(scope.node_paths)


def may_manage_coefficient_tables(scope: Scope) -> bool:
    """Creates and deactivates floor-coefficient tables (city-wide data): the city office."""
    return is_city_office(scope)


# --- end of sharing -------------------------------------------------------------------------

# --- contracts ------------------------------------------------------------------------------


def may_see_contracts(scope: Scope, path: str) -> bool:
    """Reads an investment contract or a loan: territorial staff whose territory holds its
    district (the district's staff and the city office); a contract is the district's
    commitment, so streets and communities read it on the project's page only if they also
    hold the district."""
    return scope.is_staff and scope.covers_path(path)


def may_manage_contracts(scope: Scope, path: str) -> bool:
    """Records and changes investment contracts (投改管一体, PPP), their revenue rights and
    yearly flows, and loans: the district task force of the contract's district or the city
    office, like the books (the district is the projects' legal owner)."""
    return may_keep_books(scope, path)


# --- end of contracts -----------------------------------------------------------------------
