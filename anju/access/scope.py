"""`scope_for(user)`: the territory a signed-in person may see.

Territorial roles (city office, district task force, street office, community worker,
department reviewer) see everything under the nodes their roles are bound to. Companies see
the compounds assigned to their organisation. A resident signed in by household code sees
their household's compound and nothing else. Anyone else sees nothing.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from anju.core.scope import Scope

from .models import CompoundAssignment, RoleAssignment

RESIDENT_SESSION_KEY = "anju_household_id"


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope.nothing()
    assignments = list(
        RoleAssignment.objects.filter(user=user).select_related("node", "organisation")
    )
    roles = frozenset(a.role for a in assignments)
    paths = sorted({a.node.path for a in assignments if a.node_id})
    node_paths = tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
    organisation_ids = {a.organisation_id for a in assignments if a.organisation_id}
    compound_ids = (
        frozenset(
            CompoundAssignment.objects.filter(organisation_id__in=organisation_ids).values_list(
                "compound_id", flat=True
            )
        )
        if organisation_ids
        else frozenset()
    )
    return Scope(
        roles=roles,
        node_paths=node_paths,
        compound_ids=compound_ids,
        organisation_id=min(organisation_ids) if organisation_ids else None,
        user_id=user.pk,
        label=user.get_username(),
    )


def scope_for_household(household) -> Scope:
    return Scope(
        roles=frozenset({"resident"}),
        compound_ids=frozenset({household.compound_id}),
        household_id=household.pk,
        label=f"household:{household.pk}",
    )


def scope_for_request(request) -> Scope:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return scope_for(user)
    household_id = request.session.get(RESIDENT_SESSION_KEY)
    if household_id:
        from anju.territory.models import Household

        household = Household.objects.filter(pk=household_id).first()
        if household is not None:
            return scope_for_household(household)
    return Scope.nothing()


class ScopeMiddleware:
    """Attach `request.scope`, computed on first use, for views and API alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_for_request(request))
        return self.get_response(request)
