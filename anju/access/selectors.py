"""Reads of administration, scoped by the actor's authority (`rules.Authority`): who the actor
administers, the organisations it may pick, the assignments, nodes and compounds it may grant.
Absent and out-of-authority records raise the same NotFound."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from anju.core.errors import NotFound
from anju.territory.models import Compound, Node

from . import rules
from .administration import require_administrator
from .models import CompoundAssignment, Organisation, RoleAssignment

User = get_user_model()


def staff_list(*, authority: rules.Authority, search: str = "") -> QuerySet:
    """Accounts the actor administers: the city office sees every account; a district task
    force the accounts with a role inside its district."""
    require_administrator(authority)
    users = User.objects.order_by("username").prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("node", "organisation"),
        )
    )
    if not authority.is_city_office:
        inside = Q(pk__in=[])
        for prefix in authority.paths:
            inside |= Q(role_assignments__node__path__startswith=prefix)
        users = users.filter(inside).distinct()
    if search:
        users = users.filter(Q(username__icontains=search) | Q(first_name__icontains=search))
    return users


def get_staff(authority: rules.Authority, pk) -> object:
    user = staff_list(authority=authority).filter(pk=pk).first()
    if user is None:
        raise NotFound()
    return user


def get_role_assignment(authority: rules.Authority, pk) -> RoleAssignment:
    require_administrator(authority)
    assignment = (
        RoleAssignment.objects.select_related("user", "node", "organisation").filter(pk=pk).first()
    )
    if (
        assignment is None
        or not staff_list(authority=authority).filter(pk=assignment.user_id).exists()
    ):
        raise NotFound()
    return assignment


def organisation_list(*, authority: rules.Authority, kind: str = "") -> QuerySet:
    """The city's registry of organisations; open to every administrator (a district office
    picks the companies it assigns)."""
    require_administrator(authority)
    organisations = Organisation.objects.order_by("kind", "name")
    return organisations.filter(kind=kind) if kind else organisations


def get_organisation(authority: rules.Authority, pk) -> Organisation:
    organisation = organisation_list(authority=authority).filter(pk=pk).first()
    if organisation is None:
        raise NotFound()
    return organisation


def assignment_list(*, authority: rules.Authority) -> QuerySet:
    require_administrator(authority)
    inside = Q(pk__in=[])
    for prefix in authority.paths:
        inside |= Q(compound__path__startswith=prefix)
    return (
        CompoundAssignment.objects.filter(inside)
        .select_related("organisation", "compound")
        .order_by("compound__path", "organisation__name")
    )


def get_assignment(authority: rules.Authority, pk) -> CompoundAssignment:
    assignment = assignment_list(authority=authority).filter(pk=pk).first()
    if assignment is None:
        raise NotFound()
    return assignment


def grantable_nodes(*, authority: rules.Authority) -> QuerySet:
    """Current nodes inside the actor's authority, down to communities."""
    require_administrator(authority)
    inside = Q(pk__in=[])
    for prefix in authority.paths:
        inside |= Q(path__startswith=prefix)
    return Node.objects.valid_on().filter(inside).order_by("path")


def get_grantable_node(authority: rules.Authority, code: str) -> Node:
    node = grantable_nodes(authority=authority).filter(code=code).first()
    if node is None:
        raise NotFound()
    return node


def get_assignable_compound(authority: rules.Authority, code: str) -> Compound:
    require_administrator(authority)
    compound = Compound.objects.filter(code=code).first()
    if compound is None or not rules.may_assign_compound(authority, compound):
        raise NotFound()
    return compound
