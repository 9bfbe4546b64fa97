"""Others' works (水电气网等专营设施年度计划、城市更新年度计划): who may load them, how each is
checked and stored, and who sees them. The upload page, the API and the demo all write here.

Writes
    `upsert_work` is idempotent by (organisation, the owner's own id): the same body twice
    leaves one row, one `work.created` event and no second event; a body that changes
    something writes one `work.changed` event naming only the fields that changed. Everything
    is replaced by what is given, except a status left out, which keeps the stored one
    (planned for a new work), so an annual plan re-sent without statuses does not undo
    "under way". `cancel_work` marks a work cancelled (conflicts refer to it: never deleted).
    A utility company's or department's user writes only its own organisation's works (another
    organisation's answer 404, as if absent); the city office writes for any organisation
    that owns works (utilities, departments, government). Other roles are refused (403).

Checks (`check_work`, shared by the importers so that a file row and an API body obey the
same rules): a known kind and status; both dates, the end not before the start; a location,
that is a GeoJSON geometry (Point, LineString, Polygon or their Multi* forms, valid, not
empty), or the codes of the compounds concerned, or both; a radius ≥ 0. Coordinates are in a
declared system (wgs84/cgcs2000, gcj02, bd09; DOMAIN.md "Coordinates"), converted to WGS84
with `anju.engine.geo.geometries_to_wgs84` (prcoords' exact inverse, over numpy arrays), made
2D and rounded to 1e-7° (about 1 cm), and must lie in the city's extent
(`settings.ANJU_CITY_EXTENT`; swapped longitude and latitude are named as such).

Where a work lies (`path`, for scoping)
    The district whose outline (territory `Node.outline`, WGS84) contains the geometry's
    representative point (a point on it, for lines); when there is no geometry, the deepest
    territory common to the compounds' districts. '' when it lies in no district (outside the
    city): only the city office and the owner see such a work.

Reads (`work_list`)
    The city office sees every work. Territorial staff see the works whose district lies in
    their territory; since a work is placed in a district, a street office or community
    worker sees the works of its own district, and everyone sees the works that name a
    compound in their territory, or that conflict with one (dig once: the conflict page links
    to its work). An organisation's users see their own organisation's works.
    Accessors answer the same 404 for "absent" and "not yours" (STYLE.md rule 8).

Cost: `check_work` is O(vertices) plus one query for the compounds named (none when the
importer passes its prefetched lookup); `DistrictLocator` loads the district outlines once
(one query) and answers each point in O(districts) prepared-polygon tests.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import shapely
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from anju.access.models import Organisation
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.params import is_id
from anju.core.scope import Scope
from anju.engine import geo
from anju.territory.models import Compound, Node
from anju.territory.paths import common_path, district_path

from . import events
from .models import Conflict, Work, WorkKind, WorkStatus

CITY_OFFICE = "city_office"
# Roles whose users load their own organisation's works.
OWNER_ROLES = ("utility_company", "department_reviewer")
# Organisations that own works: utilities (水电气网), departments and government (道路、城市更新).
OWNER_KINDS = (
    Organisation.Kind.UTILITY,
    Organisation.Kind.DEPARTMENT,
    Organisation.Kind.GOVERNMENT,
)
EXTERNAL_ID = re.compile(r"[^/\\?#%\s]{1,64}")
NAME_LIMIT = 200
COORDINATE_PLACES = 7
DISTRICT_KINDS = (Node.Kind.DISTRICT,)
STATE_FIELDS = (
    "kind",
    "name",
    "status",
    "starts_on",
    "ends_on",
    "geometry",
    "radius_m",
    "compounds",
    "path",
)


# --- reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkFilters:
    kind: str = ""
    status: str = ""
    organisation_id: int | None = None
    district: str = ""  # a district's code


def visible_q(scope: Scope) -> Q:
    """Works the viewer may see (see the module docstring); the city office sees them all."""
    if scope.has_role(CITY_OFFICE):
        return Q()
    visible = Q(pk__in=[])
    if scope.organisation_id is not None:
        visible |= Q(organisation_id=scope.organisation_id)
    if scope.node_paths:
        compounds_q = Q(pk__in=[])
        for prefix in scope.node_paths:
            visible |= Q(path__startswith=prefix)
            district = district_path(prefix)
            if district and district != prefix:
                visible |= Q(path=district)
            compounds_q |= Q(compound__path__startswith=prefix)
        concerned = Work.compounds.through.objects.filter(compounds_q, work_id=OuterRef("pk"))
        visible |= Exists(concerned)
        conflicting = Conflict.objects.filter(
            Q.create([("path__startswith", prefix) for prefix in scope.node_paths], Q.OR),
            work_id=OuterRef("pk"),
        )
        visible |= Exists(conflicting)
    return visible


class SubqueryCount(Subquery):
    """The number of rows of a (correlated) subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def concerned_q(work_ref) -> Q:
    """Compounds a work concerns (涉及小区): those its owner named and those of the plan it
    conflicts with (a work drawn as a line names none, yet runs past a compound)."""
    return Q(works=work_ref) | Q(conflicts__work=work_ref)


def compound_count() -> Coalesce:
    concerned = (
        Compound.objects.filter(concerned_q(OuterRef("pk"))).order_by().values("pk").distinct()
    )
    return Coalesce(SubqueryCount(concerned), 0)


def work_list(*, scope: Scope, filters: WorkFilters | None = None) -> QuerySet[Work]:
    """The works the viewer may see, with their owner and `compound_count`, in window order."""
    filters = filters or WorkFilters()
    if scope.is_resident or (scope.is_empty and not scope.acts_for_organisation_only):
        return Work.objects.none()
    qs = Work.objects.filter(visible_q(scope))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    if filters.district:
        code = filters.district
        qs = qs.filter(Q(path__startswith=f"{code}/") | Q(path__contains=f"/{code}/"))
    return qs.select_related("organisation").annotate(compound_count=compound_count())


def get_work(scope: Scope, pk: int) -> Work:
    work = work_list(scope=scope).filter(pk=pk).first()
    if work is None:
        raise NotFound()
    return work


def find_work(scope: Scope, external_id: str, organisation: Organisation | None = None) -> Work:
    """A work by its owner's id, among the works the viewer sees. Ids are unique per owner
    only: when several visible owners use the id, the caller must name the organisation."""
    works = work_list(scope=scope).filter(external_id=external_id)
    if organisation is not None:
        works = works.filter(organisation=organisation)
    found = list(works[:2])
    if not found:
        raise NotFound()
    if len(found) > 1:
        raise DomainError(
            _("多个建设单位使用了编号“%(id)s”，请用 organisation 参数指明建设单位。")
            % {"id": external_id},
            code="organisation_required",
            fields={"organisation": [_("请指明建设单位。")]},
        )
    return found[0]


def owner_organisations() -> QuerySet[Organisation]:
    """Organisations that may own works, for the city office's choices."""
    return Organisation.objects.filter(kind__in=OWNER_KINDS)


def organisation_choices(scope: Scope) -> QuerySet[Organisation]:
    """Organisations the viewer may write works for: any owner for the city office, their
    own for an owner's user, none for anyone else."""
    if scope.has_role(CITY_OFFICE):
        return owner_organisations()
    if scope.has_role(*OWNER_ROLES) and scope.organisation_id is not None:
        return Organisation.objects.filter(pk=scope.organisation_id)
    return Organisation.objects.none()


def find_organisation(reference: str) -> Organisation | None:
    """An organisation by id, unified social credit code or exact name."""
    reference = str(reference or "").strip()
    if not reference:
        return None
    organisations = Organisation.objects.all()
    if len(reference) < 18 and is_id(reference):
        return organisations.filter(pk=int(reference)).first()
    code = uscc.compact(reference) if len(reference) >= 18 else ""
    return (
        organisations.filter(credit_code=code).first() if code else None
    ) or organisations.filter(name=reference).first()


def acting_organisation(scope: Scope, reference: str | None) -> Organisation | None:
    """The organisation a caller names (`?organisation=`): for an organisation's user it is
    always their own (naming another answers 404); the others may name any, or none."""
    if scope.organisation_id is not None and not scope.has_role(CITY_OFFICE):
        organisation = Organisation.objects.filter(pk=scope.organisation_id).first()
        if reference and (organisation is None or find_organisation(reference) != organisation):
            raise NotFound()
        return organisation
    if not reference:
        return None
    organisation = find_organisation(reference)
    if organisation is None:
        raise NotFound()
    return organisation


def may_write(scope: Scope) -> bool:
    return scope.has_role(CITY_OFFICE) or (
        scope.has_role(*OWNER_ROLES) and scope.organisation_id is not None
    )


def require_writer_role(scope: Scope) -> None:
    if not may_write(scope):
        raise PermissionDenied(_("只有市改造办和工程的建设单位可以登记或修改其他工程。"))


def require_writer(scope: Scope, organisation: Organisation) -> None:
    """The city office writes for any owner; an owner's user for their own organisation
    only (another's answers 404, so it cannot be probed); nobody else writes (403)."""
    require_writer_role(scope)
    if scope.has_role(CITY_OFFICE):
        if organisation.kind not in OWNER_KINDS:
            raise DomainError(
                _("“%(name)s”不是专营单位或政府部门，不能登记其他工程。")
                % {"name": organisation.name},
                fields={"organisation": [_("请选择专营单位或政府部门。")]},
            )
        return
    if scope.organisation_id != organisation.pk:
        raise NotFound()


# --- where a work lies -----------------------------------------------------------------------


class DistrictLocator:
    """The district containing a point, from the districts' outlines (one query)."""

    def __init__(self, districts: Iterable[Node] | None = None):
        if districts is None:
            districts = (
                Node.objects.valid_on()
                .filter(kind__in=DISTRICT_KINDS, outline__isnull=False)
                .only("path", "outline")
                .order_by("path")
            )
        self.paths: list[str] = []
        self.outlines = []
        for node in districts:
            try:
                outline = shapely.make_valid(geo.geometry_from_geojson(node.outline))
            except geo.GeometryError:
                continue
            shapely.prepare(outline)
            self.paths.append(node.path)
            self.outlines.append(outline)

    def path_at(self, lon: float, lat: float) -> str:
        for path, outline in zip(self.paths, self.outlines, strict=True):
            if shapely.contains_xy(outline, lon, lat):
                return path
        return ""

    def path_of(self, geometry) -> str:
        point = geometry.representative_point()
        return self.path_at(point.x, point.y)


# --- checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedWork:
    """A work as it will be stored: every field checked, the geometry in WGS84."""

    organisation: Organisation
    external_id: str
    kind: str
    name: str
    status: str | None  # None: keep the stored status (planned for a new work)
    starts_on: date
    ends_on: date
    geometry: dict | None
    radius_m: float
    compounds: tuple[Compound, ...]
    path: str

    def state(self, stored_status: str | None = None) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "status": self.status or stored_status or WorkStatus.PLANNED.value,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "geometry": self.geometry,
            "radius_m": float(self.radius_m),
            "compounds": sorted(c.code for c in self.compounds),
            "path": self.path,
        }


def work_state(work: Work) -> dict[str, Any]:
    """What `upsert_work` compares: a stored work in the form of `CheckedWork.state`."""
    return {
        "kind": work.kind,
        "name": work.name,
        "status": work.status,
        "starts_on": work.starts_on.isoformat(),
        "ends_on": work.ends_on.isoformat(),
        "geometry": work.geometry,
        "radius_m": float(work.radius_m),
        "compounds": sorted(work.compounds.values_list("code", flat=True)),
        "path": work.path,
    }


def choice_labels(choices) -> str:
    return "、".join(f"{value}（{label}）" for value, label in choices.choices)


def parse_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return date.fromisoformat(text)


def city_extent() -> geo.Extent:
    return geo.Extent(*settings.ANJU_CITY_EXTENT)


def geometry_summary(geometry: dict | None) -> str:
    """A short, comparable label of a stored geometry for audit events (type, vertices and a
    digest), so that a long outline does not fill the audit log; history keeps the whole."""
    if not geometry:
        return ""
    text = json.dumps(geometry, sort_keys=True, separators=(",", ":"))
    vertices = shapely.count_coordinates(geo.geometry_from_geojson(geometry))
    digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{geometry.get('type')}·{vertices}·{digest}"


class Problems:
    """Field problems collected while checking, raised together as one DomainError."""

    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise DomainError(first, code="invalid_work", fields=self.fields)


def check_geometry(value: Any, crs: geo.CRS, problems: Problems):
    """(stored GeoJSON in WGS84, shapely geometry) or (None, None) with problems added."""
    try:
        shape = geo.geometry_from_geojson(value)
    except geo.GeometryError as error:
        if error.code == "type":
            problems.add(
                "geometry",
                _(
                    "几何类型“%(type)s”不受支持，可用点、线、面及其多部件形式"
                    "（Point、LineString、Polygon、MultiPoint、MultiLineString、MultiPolygon）。"
                )
                % {"type": error.detail},
            )
        else:
            problems.add(
                "geometry",
                _("几何图形不是有效的 GeoJSON：%(detail)s。") % {"detail": error.detail or "—"},
            )
        return None, None
    if shape.is_empty:
        problems.add("geometry", _("几何图形为空。"))
        return None, None
    if swapped_into_city(shape.bounds):
        problems.add("geometry", swapped_message())
        return None, None
    if bool(geo.outside_lonlat_range([shape])[0]):
        problems.add("geometry", _("坐标不是经纬度（经度应在±180、纬度应在±90以内）。"))
        return None, None
    stored = rounded_geojson(geo.geometries_to_wgs84(shape, crs))
    converted = geo.geometry_from_geojson(stored)
    if not converted.is_valid:
        problems.add(
            "geometry",
            _("几何图形无效：%(reason)s。") % {"reason": shapely.is_valid_reason(converted)},
        )
        return None, None
    extent = city_extent()
    min_lon, min_lat, max_lon, max_lat = converted.bounds
    if not (extent.contains(min_lon, min_lat) and extent.contains(max_lon, max_lat)):
        problems.add(
            "geometry",
            _("坐标不在本市范围内（经度 %(min_lon)s–%(max_lon)s，纬度 %(min_lat)s–%(max_lat)s）。")
            % {
                "min_lon": extent.min_lon,
                "max_lon": extent.max_lon,
                "min_lat": extent.min_lat,
                "max_lat": extent.max_lat,
            },
        )
        return None, None
    return stored, converted


def rounded_geojson(geometry) -> dict:
    """A shapely geometry as a GeoJSON dict, 2D, coordinates rounded to 1e-7° (about 1 cm),
    so that the same input always stores the same value (idempotent upserts)."""

    def rounded(part):
        if isinstance(part, list):
            return [rounded(item) for item in part]
        return round(part, COORDINATE_PLACES) if isinstance(part, float) else part

    stored = json.loads(shapely.to_geojson(shapely.force_2d(geometry)))
    return {"type": stored["type"], "coordinates": rounded(stored["coordinates"])}


def swapped_into_city(bounds) -> bool:
    """True when the geometry would lie in the city with longitude and latitude exchanged."""
    extent = city_extent()
    min_x, min_y, max_x, max_y = bounds
    return extent.contains_swapped(min_x, min_y) and extent.contains_swapped(max_x, max_y)


def swapped_message() -> str:
    return _("坐标的经度和纬度似乎填反了（经度在前，纬度在后）。")


def lookup_compounds(codes: Iterable[str], *, scope: Scope) -> dict[str, Compound]:
    """The named compounds the caller may name, by code: those in their territory or assigned
    to their organisation. A code outside it is left out like an unknown one, so the answer
    never tells a utility which compounds exist elsewhere (STYLE.md rule 8)."""
    codes = sorted({str(code) for code in codes})
    if not codes:
        return {}
    compounds = Compound.objects.filter(scope.path_q("path", "id"), code__in=codes)
    return {c.code: c for c in compounds.only("id", "code", "path")}


def check_work(
    *,
    organisation: Organisation,
    external_id: Any,
    values: Mapping[str, Any],
    locator: DistrictLocator | None = None,
    compounds_by_code: Mapping[str, Compound] | None = None,
    scope: Scope | None = None,
) -> CheckedWork:
    """Check one work's values (see the module docstring) without writing anything.

    The compounds named must be ones the caller may name: pass their `scope`, or (an
    importer, for many rows) `compounds_by_code` from `lookup_compounds(..., scope=scope)`.

    `values` holds kind, name, starts_on, ends_on (dates or YYYY-MM-DD), and optionally
    status, geometry (a GeoJSON geometry dict), compounds (codes), radius_m and crs (default
    WGS84). Raises DomainError whose `fields` name every field that is wrong.
    """
    problems = Problems()
    external_id = str(external_id or "").strip()
    if not EXTERNAL_ID.fullmatch(external_id):
        problems.add(
            "external_id",
            _("工程编号须为1–64个字符，不能含空格、斜杠、反斜杠、问号、井号或百分号。"),
        )

    kind = str(values.get("kind") or "").strip()
    if not kind:
        problems.add(
            "kind", _("请填写类别，可选：%(choices)s。") % {"choices": choice_labels(WorkKind)}
        )
    elif kind not in WorkKind.values:
        problems.add(
            "kind",
            _("未知的类别“%(value)s”，可选：%(choices)s。")
            % {"value": kind, "choices": choice_labels(WorkKind)},
        )
    name = str(values.get("name") or "").strip()
    if not name:
        problems.add("name", _("请填写工程名称。"))
    elif len(name) > NAME_LIMIT:
        problems.add("name", _("名称不能超过%(limit)d个字符。") % {"limit": NAME_LIMIT})
    status = values.get("status") or None
    if status is not None and status not in WorkStatus.values:
        problems.add(
            "status",
            _("未知的状态“%(value)s”，可选：%(choices)s。")
            % {"value": status, "choices": choice_labels(WorkStatus)},
        )

    days = {}
    for field, label in (("starts_on", _("计划开工")), ("ends_on", _("计划完工"))):
        value = values.get(field)
        if value in (None, ""):
            problems.add(field, _("请填写%(field)s日期。") % {"field": label})
            continue
        try:
            days[field] = parse_day(value)
        except ValueError:
            problems.add(
                field,
                _("%(field)s“%(value)s”不是 YYYY-MM-DD 格式的日期。")
                % {"field": label, "value": value},
            )
    starts_on, ends_on = days.get("starts_on"), days.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        problems.add(
            "ends_on",
            _("计划完工日期 %(end)s 早于计划开工日期 %(start)s。")
            % {"end": ends_on.isoformat(), "start": starts_on.isoformat()},
        )

    radius = values.get("radius_m")
    radius = 0.0 if radius in (None, "") else radius
    try:
        if isinstance(radius, bool):
            raise ValueError(radius)
        radius = float(radius)
        if not math.isfinite(radius) or radius < 0:
            raise ValueError(radius)
    except (TypeError, ValueError):
        problems.add(
            "radius_m", _("半径应为不小于0的数（米），不能是“%(value)s”。") % {"value": radius}
        )
        radius = 0.0

    crs_value = values.get("crs") or geo.CRS.WGS84
    try:
        crs = crs_value if isinstance(crs_value, geo.CRS) else geo.CRS.parse(str(crs_value))
    except ValueError:
        problems.add(
            "crs",
            _("未知的坐标系“%(value)s”，可选：wgs84、cgcs2000、gcj02、bd09。")
            % {"value": crs_value},
        )
        crs = None

    geometry = shape = None
    if values.get("geometry") is not None and crs is not None:
        geometry, shape = check_geometry(values["geometry"], crs, problems)

    codes = [str(code).strip() for code in values.get("compounds") or [] if str(code).strip()]
    codes = list(dict.fromkeys(codes))
    if compounds_by_code is None:
        if scope is None:
            raise TypeError("check_work needs the caller's scope or compounds_by_code")
        compounds_by_code = lookup_compounds(codes, scope=scope)
    unknown = [code for code in codes if code not in compounds_by_code]
    if unknown:
        problems.add(
            "compounds",
            _("小区编码不存在或不在您的范围内：%(codes)s。") % {"codes": "、".join(unknown)},
        )
    compounds = tuple(compounds_by_code[code] for code in codes if code in compounds_by_code)
    if values.get("geometry") is None and not codes:
        problems.add("geometry", _("请给出几何图形，或涉及的小区编码。"))

    problems.raise_if_any()
    path = ""
    if shape is not None:
        path = (locator or DistrictLocator()).path_of(shape)
    if not path and compounds:
        path = common_path(district_path(c.path) for c in compounds)
    return CheckedWork(
        organisation=organisation,
        external_id=external_id,
        kind=kind,
        name=name,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        geometry=geometry,
        radius_m=radius,
        compounds=compounds,
        path=path,
    )


# --- writes ----------------------------------------------------------------------------------


def audit_state(state: dict[str, Any]) -> dict[str, Any]:
    return {**state, "geometry": geometry_summary(state["geometry"])}


def write_work(*, actor, checked: CheckedWork) -> tuple[Work, str]:
    """Create or update the work `checked` describes; returns (work, "created" | "updated" |
    "unchanged"). Runs inside the caller's transaction (the service's or the import's)."""
    owner_work = Work.objects.select_for_update().filter(
        organisation=checked.organisation, external_id=checked.external_id
    )
    work = owner_work.first()
    if work is None:
        try:
            with transaction.atomic():
                work = create_work(actor=actor, checked=checked)
            return work, "created"
        except IntegrityError:  # created meanwhile by a concurrent request: update it
            work = owner_work.get()
    before = work_state(work)
    after = checked.state(stored_status=work.status)
    if after == before:
        return work, "unchanged"
    for field in ("kind", "name", "status", "geometry", "radius_m", "path"):
        setattr(work, field, after[field])
    work.starts_on, work.ends_on = checked.starts_on, checked.ends_on
    work.full_clean()
    work.save()
    if after["compounds"] != before["compounds"]:
        work.compounds.set(checked.compounds)
    events.work_changed(
        actor=actor, work=work, before=audit_state(before), after=audit_state(after)
    )
    return work, "updated"


def create_work(*, actor, checked: CheckedWork) -> Work:
    state = checked.state()
    work = Work(
        organisation=checked.organisation,
        external_id=checked.external_id,
        kind=checked.kind,
        name=checked.name,
        status=state["status"],
        geometry=checked.geometry,
        radius_m=checked.radius_m,
        starts_on=checked.starts_on,
        ends_on=checked.ends_on,
        path=checked.path,
    )
    work.full_clean()
    work.save()
    work.compounds.set(checked.compounds)
    events.work_created(actor=actor, work=work, after=audit_state(state))
    return work


def upsert_work(
    *,
    actor,
    scope: Scope,
    organisation: Organisation,
    external_id: str,
    values: Mapping[str, Any],
    locator: DistrictLocator | None = None,
) -> tuple[Work, bool]:
    """Create or update the organisation's work with this id; returns (work, created).

    Idempotent: the same values twice write nothing the second time (no event). A caller
    writing many works passes one `locator` (the district outlines, loaded once)."""
    require_writer(scope, organisation)
    checked = check_work(
        organisation=organisation,
        external_id=external_id,
        values=values,
        locator=locator,
        scope=scope,
    )
    with transaction.atomic(durable=True):
        work, outcome = write_work(actor=actor, checked=checked)
    return work, outcome == "created"


def cancel_work(*, actor, scope: Scope, work: Work) -> Work:
    """Mark the work cancelled (never deleted: conflicts refer to it). Cancelling a cancelled
    work changes nothing and records nothing."""
    require_writer(scope, work.organisation)
    with transaction.atomic(durable=True):
        work = Work.objects.select_for_update().select_related("organisation").get(pk=work.pk)
        if work.status == WorkStatus.CANCELLED:
            return work
        old_status = work.status
        work.status = WorkStatus.CANCELLED
        work.save(update_fields=["status", "updated_at"])
        events.work_cancelled(actor=actor, work=work, old_status=old_status)
    return work


# --- pages -----------------------------------------------------------------------------------


def district_choices() -> QuerySet[Node]:
    """The city's districts (names are public), for the list's filter."""
    return Node.objects.valid_on().filter(kind__in=DISTRICT_KINDS).only("code", "name", "path")


def filter_organisations(scope: Scope) -> QuerySet[Organisation]:
    """The owners a viewer may filter by: their own for an organisation's user, else all."""
    if scope.organisation_id is not None and not scope.has_role(CITY_OFFICE):
        return Organisation.objects.filter(pk=scope.organisation_id)
    return owner_organisations()


def compounds_of(work: Work) -> QuerySet[Compound]:
    """The compounds the work concerns (`concerned_q`)."""
    return (
        Compound.objects.filter(concerned_q(work.pk))
        .distinct()
        .select_related("community")
        .order_by("code")
    )


def map_data_for(work: Work, compounds: Iterable[Compound] = ()) -> dict[str, Any]:
    """What the work's small map draws: its geometry (and radius), the district it lies in
    and the compounds it names (their boundary or point)."""
    district = None
    if district_path(work.path):
        district = Node.objects.filter(path=district_path(work.path)).only("name", "outline")
        district = district.first()
    return {
        "name": work.name or work.external_id,
        "geometry": work.geometry,
        "radius": work.radius_m,
        "district": {"name": district.name, "outline": district.outline} if district else None,
        "compounds": [
            {
                "name": compound.name,
                "point": [compound.longitude, compound.latitude]
                if compound.longitude is not None
                else None,
                "boundary": compound.boundary,
            }
            for compound in compounds
        ],
    }
