"""Contiguous renovation (连片改造): package proposals for part of the territory, and the
district's decisions on them (DOMAIN.md "Contiguous renovation": adjacent compounds packaged,
the community or area as the unit; model project – beautiful street – area).

Proposing (city office or district task force, for a node inside their territory). The
candidates are the node's compounds not yet planned (摸底入库, 问需于民, 竞争性生成) and in no
accepted package. A compound's footprint is its surveyed boundary (a GeoJSON polygon in
WGS84) or, without a usable one, its point with a radius of `POINT_RADIUS_M` (anju's own
default, no published figure); a compound with neither is left out and named in the result.
Households are the registry's household count; cost is floor area × a unit price (400 元/m²
by default, as scoring rounds estimate). `anju.engine.packaging` then groups neighbours
within `distance_m` metres of one street (or community) into contiguous packages under the
caps. A run replaces every open (proposed) proposal holding one of the node's compounds;
accepted and rejected ones stay. Keys read "PKG-<node code>-<row id>": row ids are never
reused, so neither is a key, even after the proposal it named was replaced.

Deciding (the district task force of the proposal's district, or the city office), each
decision audited:
    * accept hands the members to planning (`planning.packages.accept_package`: an
      AreaPackage whose key rounds then give every member, so selection takes them together
      or not at all and approval makes one Project);
    * reject records why;
    * split moves some members into a new proposal; both parts must be contiguous under the
      same neighbour rule and distance as the run that proposed them;
    * merge joins two open proposals of one street (or community) that are neighbours; the
      run's caps may then be exceeded, and the result is flagged `is_over_cap`.

Accepting takes two transactions, because planning's service is durable on its own: the
proposal is claimed first (proposed → accepted under a row lock, with its event), then
planning creates the package; if planning refuses, the claim is withdrawn (accepted →
proposed, with its own event) and the refusal passed on. The claim is what keeps a
concurrent reject, split, merge or re-run from touching the proposal meanwhile.

Cost: one query for the candidates (boundaries read as text, straight into shapely), one
pass of the engine (O(n log n)), the hulls converted back to WGS84 in one vectorised call,
one bulk insert of proposals and one executemany of their members. 5,000 compounds (about
3,100 proposals) take 1.2–1.9 s on SQLite, a third of it the engine.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter

import numpy as np
import shapely
from django.db import connection, transaction
from django.db.models import CharField, Count, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from anju.core.money import format_yuan
from anju.core.scope import Scope
from anju.engine import geo, packaging
from anju.planning.models import AnnualPlan, AnnualPlanStatus, AreaPackage, AreaPackageMember
from anju.planning.packages import accept_package
from anju.territory.models import Compound, Node, Stage

from . import events
from .models import PackageLevel, PackageProposal, ProposalStatus

POINT_RADIUS_M = 80.0  # anju's default footprint of a compound without a surveyed boundary
DEFAULT_DISTANCE_M = packaging.DEFAULT_DISTANCE_M
DEFAULT_COST_PER_M2 = Decimal("400")
GROUP_BY = ("street", "community")
PACKAGING_ROLES = ("city_office", "district_task_force")
OPEN_STAGES = (Stage.REGISTERED, Stage.CONSULTED, Stage.CANDIDATE)
METRIC_CRS = "EPSG:4547"
WGS84_PLACES = 7
POLYGON_TYPES = (3, 6)  # shapely type ids of Polygon and MultiPolygon
CENT = Decimal("0.01")
BATCH = 1_000
PICKER_KINDS = (Node.Kind.DISTRICT, Node.Kind.ZONE, Node.Kind.STREET)


# --- compounds as packaging sees them --------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """One compound, as one row of one query. `boundary` is the GeoJSON as stored (text), so
    that shapely reads it without a round trip through Python dicts."""

    pk: int
    code: str
    name: str
    boundary: str | None
    longitude: float | None
    latitude: float | None
    community_path: str
    street_path: str
    households: int
    floor_area: Decimal


SITE_COLUMNS = (
    "pk",
    "code",
    "name",
    "boundary_text",
    "longitude",
    "latitude",
    "community__path",
    "community__parent__path",
    "household_count",
    "total_floor_area",
)


def sites_of(compounds: QuerySet[Compound]) -> list[Site]:
    rows = (
        compounds.annotate(boundary_text=Cast("boundary", TextField()))
        .order_by("pk")
        .values_list(*SITE_COLUMNS)
    )
    return [Site(*row) for row in rows]


def footprints(sites: Sequence[Site]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(metre geometries, radii, placed): the boundary when it is a valid polygon in
    longitude/latitude (radius 0), else the point with `POINT_RADIUS_M`; a site with neither
    is not placed (its geometry is None). Every site at once, no loop over coordinates."""
    texts = np.array([site.boundary or None for site in sites], dtype=object)
    shapes = shapely.from_geojson(texts, on_invalid="ignore")
    usable = (
        np.isin(shapely.get_type_id(shapes), POLYGON_TYPES)
        & shapely.is_valid(shapes)
        & ~shapely.is_empty(shapes)
        & ~geo.outside_lonlat_range(shapes)
    )
    lon = np.array([np.nan if s.longitude is None else s.longitude for s in sites], dtype=float)
    lat = np.array([np.nan if s.latitude is None else s.latitude for s in sites], dtype=float)
    has_point = ~usable & np.isfinite(lon) & np.isfinite(lat)
    geometries = np.where(usable, shapes, None)
    geometries[has_point] = shapely.points(lon[has_point], lat[has_point])
    radii = np.where(has_point, POINT_RADIUS_M, 0.0)
    return geo.project_geometries(geometries, METRIC_CRS), radii, usable | has_point


def group_of(site: Site, group_by: str) -> str:
    return site.street_path if group_by == "street" else site.community_path


def cost_of(site: Site, cost_per_m2: Decimal) -> Decimal:
    return (site.floor_area * cost_per_m2).quantize(CENT)


def engine_compounds(
    sites: Sequence[Site], *, groups: Sequence[str], cost_per_m2: Decimal
) -> tuple[list[packaging.Compound], list[Site]]:
    """The placed sites as the engine's compounds (id = compound code), and the others."""
    metres, radii, placed = footprints(sites)
    compounds = [
        packaging.Compound(
            id=site.code,
            geometry=metres[index],
            group=groups[index],
            households=int(site.households),
            cost=cost_of(site, cost_per_m2),
            radius_m=float(radii[index]),
        )
        for index, site in enumerate(sites)
        if placed[index]
    ]
    return compounds, [site for index, site in enumerate(sites) if not placed[index]]


@lru_cache(maxsize=1)
def unprojector():
    """Metres of the city's projected CRS back to WGS84 longitude/latitude."""
    from pyproj import Transformer

    return Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


def geometries_from_metres(geometries) -> np.ndarray:
    """Shapely geometries in EPSG:4547 metres → WGS84, rounded to 1e-7° (about 1 cm)."""
    transformer = unprojector()

    def convert(xy: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
        return np.round(np.column_stack([lon, lat]), WGS84_PLACES)

    return shapely.transform(np.asarray(geometries, dtype=object), convert)


def hulls_as_geojson(hulls: Sequence) -> list[dict]:
    """Metre hulls → GeoJSON dicts in WGS84. A convex hull is a polygon without holes, so
    its exterior ring is all there is: the coordinates of every hull come out of shapely in
    one array, split per hull (anything else goes through shapely's GeoJSON writer)."""
    if not hulls:
        return []
    wgs84 = geometries_from_metres(np.array(list(hulls), dtype=object))
    simple = (shapely.get_type_id(wgs84) == 3) & (shapely.get_num_interior_rings(wgs84) == 0)
    if not simple.all():
        return [json.loads(text) for text in shapely.to_geojson(wgs84)]
    coordinates, index = shapely.get_coordinates(
        shapely.get_exterior_ring(wgs84), return_index=True
    )
    rings = np.split(coordinates, np.searchsorted(index, np.arange(1, len(wgs84))))
    return [{"type": "Polygon", "coordinates": [ring.tolist()]} for ring in rings]


# --- parameters ------------------------------------------------------------------------------


def checked_parameters(
    *, node: Node, distance_m, group_by, max_households, max_cost, cost_per_m2
) -> dict:
    """The run's parameters as stored on every proposal (JSON), or the refusal naming each
    bad one."""
    fields = {}
    if isinstance(distance_m, bool) or not (
        isinstance(distance_m, int | float | Decimal) and np.isfinite(float(distance_m))
    ):
        fields["distance_m"] = [_("请填写邻近距离（米）。")]
    elif distance_m < 0:
        fields["distance_m"] = [_("邻近距离不能为负数。")]
    if group_by not in GROUP_BY:
        fields["group_by"] = [_("请选择按街道或按社区连片。")]
    if max_households is not None and (
        isinstance(max_households, bool) or not isinstance(max_households, int)
    ):
        fields["max_households"] = [_("户数上限须为正整数。")]
    elif max_households is not None and max_households < 1:
        fields["max_households"] = [_("户数上限须为正整数。")]
    if max_cost is not None and packaging.as_decimal(max_cost) in (None, Decimal(0)):
        fields["max_cost"] = [_("投资上限须为正数。")]
    if packaging.as_decimal(cost_per_m2) is None:
        fields["cost_per_m2"] = [_("估算单价须为非负数。")]
    if fields:
        raise DomainError(
            _("连片参数有误，请检查后重试。"), code="package_parameters", fields=fields
        )
    return {
        "node": node.code,
        "distance_m": float(distance_m),
        "group_by": group_by,
        "max_households": max_households,
        "max_cost": None if max_cost is None else str(packaging.as_decimal(max_cost)),
        "cost_per_m2": str(packaging.as_decimal(cost_per_m2)),
    }


def caps_of(parameters: dict) -> packaging.Caps:
    max_cost = parameters.get("max_cost")
    return packaging.Caps(
        parameters.get("max_households"), None if max_cost is None else Decimal(max_cost)
    )


# --- who may ---------------------------------------------------------------------------------


def require_role(scope: Scope) -> None:
    if not scope.has_role(*PACKAGING_ROLES):
        raise PermissionDenied(_("只有市改造办和区工作专班可以生成和决定连片改造建议。"))


def require_decider(scope: Scope, proposal: PackageProposal) -> None:
    """Another territory's proposal is not found; a viewer without the role is refused."""
    if not scope.covers_path(proposal.path):
        raise NotFound()
    require_role(scope)


# --- proposing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalRun:
    node: Node
    proposals: list[PackageProposal]
    replaced: int
    left_out: list[str]

    @property
    def grouped(self) -> int:
        return sum(1 for p in self.proposals if p.level != PackageLevel.SINGLE)


def candidate_compounds(node: Node) -> QuerySet[Compound]:
    """The node's compounds not yet planned and in no accepted package (planning's, or a
    proposal accepted a moment ago whose package planning is still writing)."""
    return Compound.objects.filter(
        path__startswith=node.path, stage__in=OPEN_STAGES, area_package_member__isnull=True
    ).exclude(package_proposals__status=ProposalStatus.ACCEPTED)


def common_path(sites: Iterable[Site]) -> str:
    """The proposal's territory: its community when all members share one, else their
    street (a package never crosses a street)."""
    sites = list(sites)
    communities = {site.community_path for site in sites}
    return communities.pop() if len(communities) == 1 else sites[0].street_path


def temporary_key() -> str:
    return f"new-{uuid.uuid4().hex}"


def give_keys(proposals: Sequence[PackageProposal], node_code: str, marker: str) -> None:
    """Rename the rows inserted under the temporary `marker` to "PKG-<node>-<id>", in one
    UPDATE, and the objects in memory alike."""
    PackageProposal.objects.filter(key__startswith=marker).update(
        key=Concat(Value(f"PKG-{node_code}-"), Cast("id", CharField()), output_field=CharField())
    )
    for proposal in proposals:
        proposal.key = f"PKG-{node_code}-{proposal.pk}"


def new_proposal(
    package: packaging.Package, members: Sequence[Site], hull: dict, parameters: dict, key: str
) -> PackageProposal:
    return PackageProposal(
        key=key,
        path=common_path(members),
        group_path=package.group,
        level=package.level,
        households=package.households,
        cost=package.cost,
        hull=hull,
        is_over_cap=package.is_over_cap,
        parameters=parameters,
    )


def propose_packages(
    *,
    actor,
    scope: Scope,
    node: Node,
    distance_m: float = DEFAULT_DISTANCE_M,
    group_by: str = "street",
    max_households: int | None = None,
    max_cost: Decimal | None = None,
    cost_per_m2: Decimal = DEFAULT_COST_PER_M2,
) -> ProposalRun:
    """Propose contiguous packages of the node's open compounds (see the module), replacing
    the open proposals that hold any of them."""
    if not scope.covers_path(node.path):
        raise NotFound()
    require_role(scope)
    parameters = checked_parameters(
        node=node,
        distance_m=distance_m,
        group_by=group_by,
        max_households=max_households,
        max_cost=max_cost,
        cost_per_m2=cost_per_m2,
    )
    sites = sites_of(candidate_compounds(node))
    unit_price = Decimal(parameters["cost_per_m2"])
    compounds, unplaced = engine_compounds(
        sites, groups=[group_of(site, group_by) for site in sites], cost_per_m2=unit_price
    )
    try:
        packages = packaging.propose_packages(
            compounds,
            distance_m=parameters["distance_m"],
            max_households=max_households,
            max_cost=parameters["max_cost"],
        )
    except packaging.PackagingInputError as error:
        language = "en" if (get_language() or "").startswith("en") else "zh"
        raise DomainError(" ".join(packaging.explain(error, language))) from None
    by_code = {site.code: site for site in sites}
    marker = f"new-{uuid.uuid4().hex[:16]}-"
    hulls = hulls_as_geojson([package.hull for package in packages])
    rows = [
        new_proposal(
            package, [by_code[c] for c in package.members], hull, parameters, f"{marker}{n}"
        )
        for n, (package, hull) in enumerate(zip(packages, hulls, strict=True))
    ]
    with transaction.atomic(durable=True):
        still_open = set(candidate_compounds(node).values_list("pk", flat=True))
        if any(site.pk not in still_open for site in sites):
            raise Conflict(_("刚有小区列入计划或被确定为连片改造片区，请重新生成建议。"))
        replaced = (
            open_proposals_holding(node).only("pk").delete()[1].get(PackageProposal._meta.label, 0)
        )
        created = PackageProposal.objects.bulk_create(rows, batch_size=BATCH)
        give_keys(created, node.code, marker)
        insert_members(
            (proposal.pk, by_code[code].pk)
            for proposal, package in zip(created, packages, strict=True)
            for code in package.members
        )
        events.proposed(
            actor=actor,
            node=node,
            parameters=parameters,
            created=len(created),
            replaced=replaced,
            left_out=[site.code for site in unplaced],
        )
    return ProposalRun(
        node=node,
        proposals=created,
        replaced=replaced,
        left_out=[site.name for site in unplaced],
    )


def insert_members(pairs: Iterable[tuple[int, int]]) -> None:
    """(proposal id, compound id) rows of the proposals' M2M table in one executemany: a
    run writes thousands, and model instances for two integers cost a third of a run."""
    through = PackageProposal.compounds.through
    quote = connection.ops.quote_name
    columns = (
        through._meta.get_field("packageproposal").column,
        through._meta.get_field("compound").column,
    )
    table = quote(through._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES (%s, %s)",  # noqa: S608 - model names only
            list(pairs),
        )


def open_proposals_holding(node: Node) -> QuerySet[PackageProposal]:
    through = PackageProposal.compounds.through
    holding = through.objects.filter(compound__path__startswith=node.path).values(
        "packageproposal_id"
    )
    return PackageProposal.objects.filter(status=ProposalStatus.PROPOSED, pk__in=holding)


# --- deciding --------------------------------------------------------------------------------


def locked_open(proposal: PackageProposal) -> PackageProposal:
    """Inside a transaction: the proposal's row, locked, still open."""
    locked = PackageProposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if locked is None:
        raise NotFound(_("该建议已不存在：可能已被重新生成、拆分或合并。"))
    if locked.status != ProposalStatus.PROPOSED:
        raise Conflict(
            _("该建议已经决定过了（%(status)s）。") % {"status": locked.get_status_display()}
        )
    return locked


def suggested_name(names: Sequence[str]) -> str:
    """A name to start from: the first member's name and the count ("…等3个小区"), or the
    single compound's own name."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s等%(count)s个小区") % {"first": names[0], "count": len(names)}


def acceptance_consequences(proposal: PackageProposal, members: int | None = None) -> str:
    """What accepting means, in the words the forms and the refusal use."""
    if members is None:
        members = proposal.compounds.count()
    return _(
        "采纳后不能撤销：这 %(n)s 个小区（%(households)s 户，估算投资 %(cost)s）成为一个片区，"
        "在评分和年度计划中整体入选或整体不入选，批准后成为一个项目。"
    ) % {"n": members, "households": proposal.households, "cost": format_yuan(proposal.cost)}


def plan_approvals() -> list[tuple[str, object]]:
    """(territory path, approved at) of every approved annual plan (a handful of rows)."""
    return list(
        AnnualPlan.objects.filter(status=AnnualPlanStatus.APPROVED).values_list(
            "five_year_plan__node__path", "approved_at"
        )
    )


def approved_since(proposal: PackageProposal, approvals=None):
    """When an annual plan covering the proposal was approved after it was proposed (the
    proposal is then stale: its candidates and caps were those before the approval), else
    None. Pass `approvals` (`plan_approvals()`) when checking many proposals."""
    approvals = plan_approvals() if approvals is None else approvals
    later = [
        when
        for path, when in approvals
        if when and proposal.path.startswith(path) and when > proposal.created_at
    ]
    return max(later) if later else None


def refuse_stale(proposal: PackageProposal) -> None:
    when = approved_since(proposal)
    if when is not None:
        raise DomainError(
            _(
                "该建议生成于年度计划批准（%(date)s）之前，已经过时，不能再采纳；"
                "请重新生成连片改造建议。"
            )
            % {"date": timezone.localtime(when).strftime("%Y-%m-%d")},
            code="proposal_stale",
        )


def accept_proposal(
    *,
    actor,
    scope: Scope,
    proposal: PackageProposal,
    name: str,
    is_model_project: bool = False,
    confirmed: bool = False,
) -> AreaPackage:
    """Accept the proposal: planning's AreaPackage of the same key, name and members.
    That cannot be undone, so it needs `confirmed` (the refusal says what it means); a
    proposal older than the approval of the plan covering it is refused (`refuse_stale`)."""
    require_decider(scope, proposal)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写片区名称。"), fields={"name": [_("必填")]})
    with transaction.atomic(durable=True):
        locked = locked_open(proposal)
        members = list(locked.compounds.select_related("community__parent__parent"))
        refuse_planned(members)
        refuse_stale(locked)
        if not confirmed:
            raise DomainError(
                acceptance_consequences(locked, len(members)) + _("请勾选确认后再采纳。"),
                code="confirmation_required",
                fields={"confirm": [_("请确认")]},
            )
        locked.status = ProposalStatus.ACCEPTED
        locked.is_model_project = is_model_project
        locked.decided_by = actor if getattr(actor, "pk", None) else None
        locked.decided_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["status", "is_model_project", "decided_by", "decided_at"])
        events.accepted(actor=actor, proposal=locked, name=name)
    try:
        package = accept_package(
            actor=actor,
            scope=scope,
            key=locked.key,
            name=name,
            level=locked.level,
            compounds=members,
            hull=locked.hull,
            is_model_project=is_model_project,
        )
    except Exception as error:
        message = str(error.message) if isinstance(error, DomainError) else type(error).__name__
        withdraw_acceptance(actor=actor, proposal=locked, message=message)
        raise
    return package


def refuse_planned(members: Sequence[Compound]) -> None:
    """A member already planned, or already in an accepted package, cannot join this one."""
    gone = [c.name for c in members if c.stage not in OPEN_STAGES]
    packaged = set(
        AreaPackageMember.objects.filter(compound__in=members).values_list(
            "compound__name", flat=True
        )
    )
    names = sorted(set(gone) | packaged)
    if names:
        raise DomainError(
            _("以下小区已列入计划或已属于其他片区，请重新生成建议：%(names)s")
            % {"names": "、".join(names)},
            code="package_members_taken",
        )


def withdraw_acceptance(*, actor, proposal: PackageProposal, message: str) -> None:
    """Planning refused the package: the proposal is open again, and the log says why."""
    with transaction.atomic(durable=True):
        reopened = PackageProposal.objects.filter(
            pk=proposal.pk, status=ProposalStatus.ACCEPTED
        ).update(
            status=ProposalStatus.PROPOSED,
            is_model_project=False,
            decided_by=None,
            decided_at=None,
        )
        if reopened:
            proposal.status = ProposalStatus.PROPOSED
            proposal.is_model_project = False
            proposal.decided_by = None
            proposal.decided_at = None
            events.acceptance_withdrawn(actor=actor, proposal=proposal, message=message)


def reject_proposal(
    *, actor, scope: Scope, proposal: PackageProposal, reason: str
) -> PackageProposal:
    """Reject the proposal and say why; its compounds are candidates of the next run."""
    require_decider(scope, proposal)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明不采纳的理由。"), fields={"reason": [_("必填")]})
    with transaction.atomic(durable=True):
        locked = locked_open(proposal)
        locked.status = ProposalStatus.REJECTED
        locked.decided_by = actor if getattr(actor, "pk", None) else None
        locked.decided_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        events.rejected(actor=actor, proposal=locked, reason=reason)
    return locked


@dataclass(frozen=True)
class Part:
    """A set of members checked against the neighbour rule: its package when contiguous,
    else its pieces (lists of names)."""

    package: packaging.Package | None
    pieces: list[list[str]]
    sites: list[Site]


def as_part(sites: Sequence[Site], group: str, parameters: dict) -> Part:
    """Run the engine over `sites` at the proposal's distance, without caps: one package
    exactly when they are contiguous. The caps decide only `is_over_cap`."""
    unit_price = Decimal(parameters.get("cost_per_m2", DEFAULT_COST_PER_M2))
    compounds, unplaced = engine_compounds(
        sites, groups=[group] * len(sites), cost_per_m2=unit_price
    )
    if unplaced:
        raise DomainError(
            _("以下小区没有边界也没有坐标，无法判断是否连片：%(names)s")
            % {"names": "、".join(site.name for site in unplaced)},
            code="package_unplaced",
        )
    found = packaging.propose_packages(
        compounds, distance_m=float(parameters.get("distance_m", DEFAULT_DISTANCE_M))
    )
    if len(found) > 1:
        names = {site.code: site.name for site in sites}
        return Part(None, [[names[c] for c in p.members] for p in found], list(sites))
    package = found[0]
    is_over_cap = not caps_of(parameters).fit(package.households, package.cost)
    return Part(
        packaging.Package(
            id=package.id,
            group=group,
            members=package.members,
            households=package.households,
            cost=package.cost,
            level=package.level,
            hull=package.hull,
            is_over_cap=is_over_cap,
        ),
        [],
        list(sites),
    )


def pieces_text(pieces: list[list[str]]) -> str:
    return "；".join("、".join(piece) for piece in pieces)


def refresh_from_part(proposal: PackageProposal, part: Part) -> None:
    package = part.package
    proposal.path = common_path(part.sites)
    proposal.level = package.level
    proposal.households = package.households
    proposal.cost = package.cost
    proposal.hull = hulls_as_geojson([package.hull])[0]
    proposal.is_over_cap = package.is_over_cap


def split_proposal(
    *, actor, scope: Scope, proposal: PackageProposal, member_ids: Iterable[int]
) -> PackageProposal:
    """Move the chosen members into a new proposal; the rest stay in this one. Both parts
    must be contiguous at the distance the proposal was made with."""
    require_decider(scope, proposal)
    chosen_ids = {int(pk) for pk in member_ids}
    with transaction.atomic(durable=True):
        locked = locked_open(proposal)
        members = sites_of(locked.compounds.all())
        if chosen_ids - {site.pk for site in members}:
            raise DomainError(_("所选小区不都属于这个建议。"), code="package_split_members")
        chosen = [site for site in members if site.pk in chosen_ids]
        rest = [site for site in members if site.pk not in chosen_ids]
        if not chosen or not rest:
            raise DomainError(
                _("拆分时请选出一部分小区，并至少留下一个。"), code="package_split_members"
            )
        distance = locked.parameters.get("distance_m", DEFAULT_DISTANCE_M)
        parts = []
        for sites, label in ((chosen, _("所选小区")), (rest, _("其余小区"))):
            part = as_part(sites, locked.group_path, locked.parameters)
            if part.package is None:
                raise DomainError(
                    _(
                        "%(part)s不连片：分成了%(count)s组互不相邻的小区（%(pieces)s），"
                        "组与组之间相距超过%(distance)s米。"
                    )
                    % {
                        "part": label,
                        "count": len(part.pieces),
                        "pieces": pieces_text(part.pieces),
                        "distance": f"{distance:g}",
                    },
                    code="package_not_contiguous",
                )
            parts.append(part)
        before_members = [site.code for site in members]
        chosen_part, rest_part = parts
        refresh_from_part(locked, rest_part)
        locked.full_clean()
        locked.save()
        through = PackageProposal.compounds.through
        through.objects.filter(packageproposal=locked, compound_id__in=chosen_ids).delete()
        part = new_proposal(
            chosen_part.package,
            chosen,
            hulls_as_geojson([chosen_part.package.hull])[0],
            locked.parameters,
            temporary_key(),
        )
        part.full_clean()
        part.save()
        give_keys([part], locked.parameters.get("node", ""), part.key)
        part.compounds.set([site.pk for site in chosen])
        events.split(actor=actor, proposal=locked, before_members=before_members, part=part)
    return part


def merge_proposals(
    *, actor, scope: Scope, first: PackageProposal, second: PackageProposal
) -> PackageProposal:
    """Join `second` into `first`: one street (or community), neighbours at the first's
    distance. Over the first's caps the result is flagged, not refused."""
    require_decider(scope, first)
    require_decider(scope, second)
    if first.pk == second.pk:
        raise DomainError(_("请选择另一个建议来合并。"), code="package_merge_same")
    with transaction.atomic(durable=True):
        in_order = sorted((first, second), key=attrgetter("pk"))  # one lock order, no deadlock
        locked = {p.pk: p for p in (locked_open(p) for p in in_order)}
        first, second = locked[first.pk], locked[second.pk]
        if first.group_path != second.group_path:
            names = dict(
                Node.objects.filter(path__in=[first.group_path, second.group_path]).values_list(
                    "path", "name"
                )
            )
            raise DomainError(
                _("两个建议分属“%(first)s”和“%(second)s”，连片改造不跨街道或社区。")
                % {
                    "first": names.get(first.group_path, first.group_path),
                    "second": names.get(second.group_path, second.group_path),
                },
                code="package_merge_groups",
            )
        absorbed = sites_of(second.compounds.all())
        part = as_part(
            sites_of(first.compounds.all()) + absorbed, first.group_path, first.parameters
        )
        if part.package is None:
            distance = first.parameters.get("distance_m", DEFAULT_DISTANCE_M)
            raise DomainError(
                _("两个建议相距超过%(distance)s米，合并后不连片。") % {"distance": f"{distance:g}"},
                code="package_not_contiguous",
            )
        absorbed_key = second.key
        second.delete()
        refresh_from_part(first, part)
        first.full_clean()
        first.save()
        first.compounds.add(*[site.pk for site in absorbed])
        events.merged(
            actor=actor,
            proposal=first,
            absorbed_key=absorbed_key,
            absorbed_members=[site.code for site in absorbed],
        )
    return first


# --- reading ---------------------------------------------------------------------------------


def proposal_list(
    *, scope: Scope, node: Node | None = None, status: str | None = None
) -> QuerySet[PackageProposal]:
    """Proposals in the viewer's territory (under `node` when given), by street or
    community, larger packages first."""
    proposals = PackageProposal.objects.filter(scope.path_q("path"))
    if node is not None:
        proposals = proposals.filter(path__startswith=node.path)
    if status:
        proposals = proposals.filter(status=status)
    return proposals.annotate(member_count=Count("compounds")).order_by(
        "group_path", "-member_count", "pk"
    )


def get_proposal(scope: Scope, key: str) -> PackageProposal:
    proposal = PackageProposal.objects.filter(scope.path_q("path"), key=key).first()
    if proposal is None:
        raise NotFound()
    return proposal


def proposal_members(proposal: PackageProposal) -> QuerySet[Compound]:
    return proposal.compounds.select_related("community").order_by("path")


def merge_partners(scope: Scope, proposal: PackageProposal) -> list[tuple[str, int]]:
    """(key, member count) of the open proposals the viewer may merge this one with."""
    same_group = proposal_list(scope=scope).filter(group_path=proposal.group_path)
    return merge_choices(same_group).get(proposal.key, [])


def picker_nodes(*, scope: Scope) -> QuerySet[Node]:
    """Districts, zones and streets inside the viewer's territory, for the node picker."""
    return (
        Node.objects.valid_on().filter(scope.path_q("path"), kind__in=PICKER_KINDS).order_by("path")
    )


def get_packaging_node(scope: Scope, code: str) -> Node:
    """A node inside the viewer's territory (not merely above it), or not found."""
    node = Node.objects.valid_on().filter(scope.path_q("path"), code=code).first()
    if node is None:
        raise NotFound()
    return node


def default_node(scope: Scope) -> Node | None:
    """The first district (or, for street and community staff, their own node)."""
    return (
        Node.objects.valid_on()
        .filter(scope.path_q("path"), depth__gte=1)
        .order_by("depth", "path")
        .first()
    )


def map_data(proposals: QuerySet[PackageProposal], *, include_singles: bool = False) -> dict:
    """What the packages map draws: the hulls of proposals of two or more compounds (a
    single compound's hull is only its own footprint, drawn on its own page) and every
    member as a point. Two queries."""
    drawn = proposals if include_singles else proposals.exclude(level=PackageLevel.SINGLE)
    hulls = [
        {"key": key, "level": level, "status": status, "hull": hull}
        for key, level, status, hull in drawn.order_by().values_list(
            "key", "level", "status", "hull"
        )
        if hull
    ]
    through = PackageProposal.compounds.through
    points = [
        {"key": key, "name": name, "point": [lon, lat], "level": level, "status": status}
        for key, level, status, name, lon, lat in through.objects.filter(
            packageproposal__in=proposals.order_by().values("pk"),
            compound__longitude__isnull=False,
        ).values_list(
            "packageproposal__key",
            "packageproposal__level",
            "packageproposal__status",
            "compound__name",
            "compound__longitude",
            "compound__latitude",
        )
    ]
    return {"hulls": hulls, "points": points}


def merge_choices(proposals: QuerySet[PackageProposal]) -> dict[str, list[tuple[str, int]]]:
    """For each open proposal (by key), the open proposals of its street or community whose
    hulls lie within its distance: (key, member count). A hull is never farther from another
    than its members are, so no proposal that could be merged is left out; the service
    decides on the members themselves. One query for a whole page."""
    rows = list(
        proposals.filter(status=ProposalStatus.PROPOSED)
        .exclude(hull=None)
        .order_by("pk")
        .values_list("group_path", "key", "member_count", "hull", "parameters")
    )
    groups = defaultdict(list)
    for row in rows:
        groups[row[0]].append(row)
    choices = {}
    for members in groups.values():
        texts = np.array([json.dumps(row[3]) for row in members], dtype=object)
        hulls = geo.project_geometries(shapely.from_geojson(texts, on_invalid="ignore"))
        gaps = shapely.distance(hulls[:, None], hulls[None, :])
        for i, (_group, key, _count, _hull, parameters) in enumerate(members):
            reach = float(parameters.get("distance_m", DEFAULT_DISTANCE_M)) + 1e-6
            choices[key] = [
                (other[1], other[2])
                for j, other in enumerate(members)
                if j != i and gaps[i, j] <= reach
            ]
    return choices


def node_names(paths: Iterable[str]) -> dict[str, str]:
    return dict(Node.objects.filter(path__in=set(paths)).values_list("path", "name"))
