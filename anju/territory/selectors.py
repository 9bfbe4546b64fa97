"""Every read of the territory and the registry, limited to the viewer's scope.

Accessors (`get_compound(scope, code)`) raise the same NotFound for "absent" and "outside your
territory", so pages and API answer 404 and never reveal what exists elsewhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Length
from django.utils import timezone

from anju.core.errors import NotFound
from anju.core.scope import Scope

from .models import Building, Compound, Household, Node, NodeChange, Unit
from .paths import ancestor_paths
from .services import mask_phone


@dataclass(frozen=True)
class CompoundFilters:
    search: str = ""
    district: str = ""
    street: str = ""
    community: str = ""
    stage: str = ""
    management_status: str = ""
    year_from: int | None = None
    year_to: int | None = None
    ordering: str = "path"


ORDERINGS = {
    "path": ("path",),
    "name": ("name", "path"),
    "year": ("year_built", "path"),
    "-year": ("-year_built", "path"),
    "households": ("-household_count", "path"),
    "area": ("-total_floor_area", "path"),
}


def compound_list(*, scope: Scope, filters: CompoundFilters | None = None) -> QuerySet[Compound]:
    filters = filters or CompoundFilters()
    qs = Compound.objects.filter(scope.path_q("path", "id")).select_related("community")
    for node_code in (filters.district, filters.street, filters.community):
        if node_code:
            qs = qs.filter(Q(path__startswith=f"{node_code}/") | Q(path__contains=f"/{node_code}/"))
    if filters.search:
        term = filters.search.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(address__icontains=term) | Q(code=term))
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.management_status:
        qs = qs.filter(management_status=filters.management_status)
    if filters.year_from:
        qs = qs.filter(year_built__gte=filters.year_from)
    if filters.year_to:
        qs = qs.filter(year_built__lte=filters.year_to)
    return qs.order_by(*ORDERINGS.get(filters.ordering, ORDERINGS["path"]))


def get_compound(scope: Scope, code: str) -> Compound:
    compound = compound_list(scope=scope).filter(code=code).first()
    if compound is None:
        raise NotFound()
    return compound


def get_compound_by_id(scope: Scope, pk: int) -> Compound:
    compound = compound_list(scope=scope).filter(pk=pk).first()
    if compound is None:
        raise NotFound()
    return compound


def buildings_of(compound: Compound) -> QuerySet[Building]:
    """Buildings with their units and households, for a compound already fetched in scope."""
    return compound.buildings.annotate(
        unit_total=Count("units", distinct=True),
        household_total=Count("units__households", distinct=True),
    ).order_by(Length("number"), "number")


def units_of(compound: Compound) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(building__compound=compound)
        .select_related("building")
        .order_by(Length("building__number"), "building__number", "number")
    )


def households_of(compound: Compound) -> QuerySet[Household]:
    return (
        Household.objects.filter(compound=compound)
        .select_related("unit__building")
        .order_by(
            Length("unit__building__number"), "unit__building__number", "unit__number", "room"
        )
    )


@dataclass(frozen=True)
class HouseholdRow:
    """A household as a viewer may see it: the phone masked, and the vulnerability flags
    (elderly living alone, disability: sensitive personal information, PIPL art. 28) left
    out, unless the viewer's role works with residents directly."""

    household: Household
    phone: str
    is_elderly_living_alone: bool | None
    has_disability: bool | None


def household_rows(scope: Scope, households) -> list[HouseholdRow]:
    personal = scope.may_see_personal_data
    return [
        HouseholdRow(
            household=h,
            phone=mask_phone(h.phone),
            is_elderly_living_alone=h.is_elderly_living_alone if personal else None,
            has_disability=h.has_disability if personal else None,
        )
        for h in households
    ]


def get_household(scope: Scope, pk: int) -> Household:
    household = (
        Household.objects.filter(scope.path_q("compound__path", "compound_id"))
        .select_related("compound", "unit__building")
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise NotFound()
    return household


def node_list(
    *,
    scope: Scope,
    kind: str | None = None,
    parent_code: str | None = None,
    on: dt.date | None = None,
    include_ended: bool = False,
):
    """Territory nodes the viewer may see: those under the scope and those above it (the tree
    down to their own nodes), but not their siblings' subtrees. Valid today unless `on`
    names another day (STYLE.md 12), or with the ended and future ones (`include_ended`)."""
    qs = Node.objects.all() if include_ended else Node.objects.valid_on(on)
    visible = Q(pk__in=[])
    for prefix in scope.node_paths:
        visible |= Q(path__startswith=prefix) | Q(path__in=ancestor_paths(prefix))
    qs = qs.filter(visible)
    if kind:
        qs = qs.filter(kind=kind)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    return qs.select_related("parent")


def get_node(scope: Scope, code: str, *, include_ended: bool = False) -> Node:
    node = node_list(scope=scope, include_ended=include_ended).filter(code=code).first()
    if node is None:
        raise NotFound()
    return node


def node_changes(node: Node) -> QuerySet[NodeChange]:
    """The node's adjustments (区划调整), latest first: where it sat and what it was called
    before, from which day, on whose decision."""
    return NodeChange.objects.filter(node=node).select_related(
        "old_parent", "new_parent", "recorded_by"
    )


def territory_tree(*, scope: Scope, depth_limit: int = 2) -> list[dict]:
    """Nodes under the scope with compound, household and area totals, in one grouped query.

    The rows are districts and streets (depth 1–2 below the city) for the workbench home.
    """
    compounds = compound_list(scope=scope)
    nodes = list(node_list(scope=scope).filter(depth__lte=depth_limit, depth__gte=1))
    totals = {}
    for node in nodes:
        totals[node.path] = {"node": node, "compounds": 0, "households": 0, "area": 0}
    rows = (
        compounds.values("community__path")
        .annotate(n=Count("id"), households=Sum("household_count"), area=Sum("total_floor_area"))
        .order_by()
    )
    for row in rows:
        for path in ancestor_paths(row["community__path"]):
            entry = totals.get(path)
            if entry is not None:
                entry["compounds"] += row["n"]
                entry["households"] += row["households"] or 0
                entry["area"] += row["area"] or 0
    return [totals[n.path] for n in nodes if totals[n.path]["compounds"] or n.depth == 1]


def registry_totals(*, scope: Scope, under: str = "") -> dict:
    compounds = compound_list(scope=scope)
    if under:
        compounds = compounds.filter(path__startswith=under)
    return compounds.aggregate(
        compounds=Count("id"),
        households=Sum("household_count"),
        area=Sum("total_floor_area"),
        buildings=Sum("building_count"),
    )


def map_data_for(compound: Compound) -> dict:
    """What the compound's small map draws: its point, its boundary and its district outline."""
    district_code = compound.district_code
    district = Node.objects.filter(code=district_code).only("name", "outline").first()
    return {
        "point": [compound.longitude, compound.latitude] if compound.longitude else None,
        "boundary": compound.boundary,
        "district": {"name": district.name, "outline": district.outline} if district else None,
        "name": compound.name,
    }


def compound_as_of(compound: Compound, day):
    """The compound's registry record as it stood at the end of `day` (Asia/Shanghai), or None
    when it was not registered yet (django-simple-history keeps a row per change)."""
    end_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    record = compound.history.filter(history_date__lte=end_of_day).order_by("-history_date")
    latest = record.first()
    return None if latest is None or latest.history_type == "-" else latest
