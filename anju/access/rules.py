"""Who may administer whom: the predicates of staff and organisation administration.

Declared once here and checked inside the services (`anju.access.administration`), the
onboarding importer and the selectors of the administration pages and API.

The rule is that nobody grants more than their own scope:

* The city office (市改造办) administers the whole city: staff and roles on any node, the
  registry of organisations (统一社会信用代码 is city-wide), company staff, and assignments.
* A district task force (区工作专班) administers its district: accounts and territorial roles
  bound to nodes inside it (its own district node included, for colleagues), never a city-office
  role, and assignments of organisations to its district's compounds. It does not create
  company staff: a company's scope is its assigned compounds, which may lie in other districts.
* An account may be changed (deactivated, roles granted or revoked, password reset) only by
  someone who could have granted every role it holds; nobody changes their own account here.

Authority comes from the actor's *active* role bindings, not from the request's scope union:
a district officer who is also a community worker elsewhere administers only the district.
The CLI's system actor (`anju onboard`) acts for the whole city.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from anju.territory.models import Node

from .models import TERRITORIAL_ROLES, Organisation, Role, RoleAssignment

ADMINISTRATORS = (Role.CITY_OFFICE, Role.DISTRICT_TASK_FORCE)

# The level of node each territorial role is bound to.
ROLE_NODE_KINDS = {
    Role.CITY_OFFICE: {Node.Kind.CITY},
    Role.DISTRICT_TASK_FORCE: {Node.Kind.DISTRICT, Node.Kind.ZONE},
    Role.STREET_OFFICE: {Node.Kind.STREET},
    Role.COMMUNITY_WORKER: {Node.Kind.COMMUNITY},
    Role.DEPARTMENT_REVIEWER: {Node.Kind.CITY, Node.Kind.DISTRICT, Node.Kind.ZONE},
}

# A company role belongs to an organisation of this kind.
COMPANY_ROLE_KINDS = {
    Role.DESIGNER: Organisation.Kind.DESIGNER,
    Role.CONSTRUCTION_UNIT: Organisation.Kind.CONSTRUCTION,
    Role.SUPERVISION_UNIT: Organisation.Kind.SUPERVISION,
    Role.UTILITY_COMPANY: Organisation.Kind.UTILITY,
    Role.PROPERTY_COMPANY: Organisation.Kind.PROPERTY,
}

# Organisations that work on compounds (CompoundAssignment).
ASSIGNABLE_KINDS = frozenset(COMPANY_ROLE_KINDS.values())


@dataclass(frozen=True)
class Authority:
    """The territory an actor administers: node paths, and whether it is the city office."""

    paths: tuple[str, ...] = ()
    is_city_office: bool = False

    def covers(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.paths)

    @property
    def label(self) -> str:
        return ",".join(self.paths)


def city_path() -> str:
    return settings.ANJU_CITY_CODE + "/"


def authority_of(actor) -> Authority:
    """The actor's administrative authority (see the module docstring)."""
    if actor is None or getattr(actor, "is_anonymous", True) is True:
        return Authority()
    if getattr(actor, "pk", None) is None:  # a named system actor: the CLI
        return Authority(paths=(city_path(),), is_city_office=True)
    if not actor.is_active:
        return Authority()
    bindings = RoleAssignment.objects.filter(
        user=actor, role__in=ADMINISTRATORS, node__isnull=False
    ).values_list("role", "node__path")
    paths = sorted({path for _role, path in bindings})
    widest = tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
    return Authority(
        paths=widest, is_city_office=any(role == Role.CITY_OFFICE for role, _ in bindings)
    )


# --- the predicates ------------------------------------------------------------------------


def may_administer(authority: Authority) -> bool:
    """Sees the 管理 menu and the administration pages and API."""
    return bool(authority.paths)


def may_open_administration(scope) -> bool:
    """The 管理 menu, from the request's scope (no query): administrators only. The pages
    check `may_administer` on the actor's active bindings."""
    return scope.has_role(*ADMINISTRATORS) and bool(scope.node_paths)


def may_register_organisations(authority: Authority) -> bool:
    return authority.is_city_office


def may_grant(authority: Authority, role: str, node: Node | None) -> bool:
    """May bind `role` (on `node`, for territorial roles) to an account."""
    if role == Role.CITY_OFFICE or role not in TERRITORIAL_ROLES:
        return authority.is_city_office and (node is None or authority.covers(node.path))
    return node is not None and authority.covers(node.path)


def may_manage_account(authority: Authority, assignments) -> bool:
    """May change an account holding these role bindings: only if each could be granted."""
    assignments = list(assignments)
    if not assignments:
        return authority.is_city_office
    return all(may_grant(authority, a.role, a.node) for a in assignments)


def may_assign_compound(authority: Authority, compound) -> bool:
    return authority.covers(compound.path)
