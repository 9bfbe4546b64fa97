"""Others' works from files: a spreadsheet (.xlsx/.xls/.csv) or a GeoJSON FeatureCollection,
uploaded on the workbench for one organisation, in a coordinate system declared on the form.

The spreadsheet has one sheet, 工程, one row per work (the template's 填写说明 explains it):

============ ==== ==========================================================================
列            必填  内容
============ ==== ==========================================================================
工程编号        是   the owner's own id, text; the same id again updates that work
类别           是   供水 排水 电力 燃气 通信 供热 道路 城市更新 其他 (or the stored values)
名称           是   up to 200 characters
计划开工        是   a date cell or YYYY-MM-DD (also 2026/3/1, 2026年3月1日)
计划完工        是   the same; not before 计划开工
状态           否   计划 在建 完工 取消; blank keeps the stored status (计划 for a new work)
几何(WKT)      否   POINT, LINESTRING, POLYGON or MULTI*, longitude first:
                   "LINESTRING (114.2901 30.5902, 114.2921 30.5911)"
起点经度/纬度   否   instead of WKT: a point, or with 终点经度/纬度 a straight line
终点经度/纬度   否
半径(米)       否   the reach of a point work (a shaft, a substation), ≥ 0
涉及小区        否   compound codes separated by "," "，" "、" ";" or spaces
============ ==== ==========================================================================

A row gives a location by WKT, or by coordinates, or only by 涉及小区 (never WKT and
coordinates together). A GeoJSON file gives one Feature per work, with properties `id` (or
the Feature's own id), `kind`, `name`, `start`, `end` (YYYY-MM-DD) and optionally `status`,
`compounds` (a list of codes, or one text) and `radius` (metres); a Feature without geometry
must name compounds. A file whose `crs` member declares another system than the form is
refused rather than guessed.

Every row or feature passes `works.check_work`, the rules of the API, and is written by
`works.write_work` in the import core's one `transaction.atomic(durable=True)`: all or
nothing. Problems name the sheet, row and column (spreadsheets, with an annotated copy) or
the feature id, its number in the file and the property (GeoJSON). Importing the same file
twice changes nothing and records nothing the second time except the `works.imported` event.

Cost: two queries before writing (the compounds named, the district outlines), then a few
per new or changed work inside the one transaction.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.access.models import Organisation
from anju.core import excel
from anju.core.errors import Conflict, DomainError, NotFound
from anju.core.importing import (
    CellError,
    Column,
    Importer,
    ImportParams,
    ImportRejected,
    ImportReport,
    Row,
    SheetData,
    SheetSpec,
    choice,
    choice_labels,
    day,
    identifier,
    import_upload,
    narrow,
    number,
    report_every,
    reporter_inside_transaction,
    sheet_rows,
    stage_upload,
    text,
    uploader,
    write_instructions,
)
from anju.core.progress import Progress, SilentProgress
from anju.core.scope import Scope
from anju.core.tasks import start_job
from anju.engine import conflicts as engine_conflicts
from anju.engine import geo
from anju.territory.paths import common_path

from . import events, works
from .models import WorkKind, WorkStatus

SHEET = "工程"
MAX_ROWS = 5000
SEPARATORS = re.compile(r"[,，、;；\s]+")
SPREADSHEET_SUFFIXES = {".xlsx", ".xls", ".csv"}
GEOJSON_SUFFIXES = {".geojson", ".json"}
CRS_LABELS = {
    geo.CRS.WGS84: "WGS84",
    geo.CRS.CGCS2000: "CGCS2000",
    geo.CRS.GCJ02: "GCJ-02",
    geo.CRS.BD09: "BD-09",
}

IMPORT_JOB = "anju.coordination.importers.import_works_job"

COUNT_LABELS = {
    "works_created": gettext_lazy("新增工程"),
    "works_updated": gettext_lazy("更新工程"),
    "works_unchanged": gettext_lazy("未变化"),
}

# check_work's field → the spreadsheet column and the GeoJSON property that carry it.
SHEET_KEYS = {
    "external_id": "external_id",
    "kind": "kind",
    "name": "name",
    "status": "status",
    "starts_on": "starts_on",
    "ends_on": "ends_on",
    "radius_m": "radius",
    "compounds": "compounds",
}
PROPERTIES = {
    "external_id": "id",
    "kind": "kind",
    "name": "name",
    "status": "status",
    "starts_on": "start",
    "ends_on": "end",
    "geometry": "geometry",
    "radius_m": "radius",
    "compounds": "compounds",
    "crs": "crs",
}


# --- parsers ---------------------------------------------------------------------------------


def wkt():
    """A WKT geometry → a GeoJSON geometry dict (types and validity are checked later)."""

    def parse(value: Any) -> dict:
        try:
            geometry = shapely.from_wkt(str(value))
        except shapely.errors.ShapelyError as error:
            raise CellError(
                _("无法读取 WKT：%(detail)s。请按“LINESTRING (经度 纬度, 经度 纬度)”的格式填写。")
                % {"detail": str(error).strip()[:120]}
            ) from None
        if geometry is None:
            raise CellError(_("无法读取 WKT。"))
        return json.loads(shapely.to_geojson(geometry))

    return parse


def codes():
    def parse(value: Any) -> list[str]:
        return [token for token in SEPARATORS.split(narrow(str(value))) if token]

    return parse


# --- the sheet -------------------------------------------------------------------------------

WORKS_SHEET = SheetSpec(
    name=SHEET,
    required=True,
    help=gettext_lazy("每行一项工程。"),
    columns=(
        Column(
            "工程编号",
            "external_id",
            identifier(64),
            required=True,
            is_text=True,
            width=16,
            example="GS-2026-001",
            help=gettext_lazy("贵单位自己的工程编号，文本格式；再次上传同一编号即更新该工程。"),
        ),
        Column(
            "类别",
            "kind",
            choice(WorkKind),
            required=True,
            width=10,
            choices=tuple(choice_labels(WorkKind)),
            example="供水",
            help=gettext_lazy(
                "从下拉列表选择：供水、排水、电力、燃气、通信、供热、道路、城市更新、其他。"
            ),
        ),
        Column(
            "名称",
            "name",
            text(works.NAME_LIMIT),
            required=True,
            width=28,
            example="胜利街供水管网更新",
            help=gettext_lazy("工程名称，不超过200字。"),
        ),
        Column(
            "计划开工",
            "starts_on",
            day(),
            required=True,
            width=12,
            example="2026-03-01",
            help=gettext_lazy("日期，如 2026-03-01。"),
        ),
        Column(
            "计划完工",
            "ends_on",
            day(),
            required=True,
            width=12,
            example="2026-06-30",
            help=gettext_lazy("日期，不能早于计划开工。"),
        ),
        Column(
            "状态",
            "status",
            choice(WorkStatus),
            width=8,
            choices=tuple(choice_labels(WorkStatus)),
            example="计划",
            help=gettext_lazy("计划、在建、完工或取消；留空时新工程为“计划”，已有工程保持原状态。"),
        ),
        Column(
            "几何(WKT)",
            "wkt",
            wkt(),
            width=40,
            aliases=("几何", "WKT"),
            example="LINESTRING (114.2901 30.5902, 114.2921 30.5911)",
            help=gettext_lazy(
                "工程的位置，WKT 格式，经度在前：POINT、LINESTRING、POLYGON 或 MULTI*。"
                "与起点、终点坐标二选一。"
            ),
        ),
        Column(
            "起点经度",
            "start_lon",
            number(),
            width=11,
            help=gettext_lazy("不填 WKT 时：点状工程只填起点；线状工程再填终点，视为直线。"),
        ),
        Column("起点纬度", "start_lat", number(), width=11, help=gettext_lazy("同上。")),
        Column("终点经度", "end_lon", number(), width=11, help=gettext_lazy("线状工程的终点。")),
        Column("终点纬度", "end_lat", number(), width=11, help=gettext_lazy("同上。")),
        Column(
            "半径(米)",
            "radius",
            number(min_value=0),
            width=9,
            aliases=("半径",),
            help=gettext_lazy("点状工程（检查井、变电箱等）的影响半径，米；可留空。"),
        ),
        Column(
            "涉及小区",
            "compounds",
            codes(),
            width=24,
            is_text=True,
            help=gettext_lazy("涉及的小区编码，多个用逗号、顿号或空格分隔；没有坐标时必须填写。"),
        ),
    ),
)

COORDINATE_KEYS = ("start_lon", "start_lat", "end_lon", "end_lat")


@dataclass
class WorksPlan:
    works: list[works.CheckedWork] = field(default_factory=list)


class WorksImporter(Importer):
    """The 工程 sheet into one organisation's works; see the module docstring."""

    sheets = (WORKS_SHEET,)
    csv_sheet = SHEET
    audit_verb = "works.imported"
    # Rows a sheet may reach before a cell is read: MAX_ROWS data rows plus title, header and
    # blank rows; a longer sheet is refused before calamine reads it (see Importer).
    max_sheet_rows = MAX_ROWS + 1_000
    file_format = "spreadsheet"

    def __init__(self, organisation: Organisation, crs: geo.CRS | str = geo.CRS.WGS84):
        self.organisation = organisation
        self.crs = geo.CRS.parse(crs) if isinstance(crs, str) else crs

    def authorise(self, params: ImportParams) -> None:
        works.require_writer(params.scope, self.organisation)

    # --- spreadsheet rows ---

    def validate(
        self,
        tables: dict[str, SheetData],
        params: ImportParams,
        report: ImportReport,
        progress: Progress,
    ) -> WorksPlan:
        plan = WorksPlan()
        rows = sheet_rows(tables, SHEET, report)
        if not rows:
            return plan
        progress.report(_("核对系统中的数据"), 35)
        lookup = works.lookup_compounds(
            (code for row in rows for code in row.get("compounds", [])), scope=params.scope
        )
        locator = works.DistrictLocator()
        seen: dict[str, int] = {}
        for row in rows:
            external_id = row.get("external_id")
            if external_id is not None:
                if external_id in seen:
                    report.reject(
                        row,
                        "external_id",
                        _("工程编号“%(id)s”与第%(row)d行重复。")
                        % {"id": external_id, "row": seen[external_id]},
                    )
                    continue
                seen[external_id] = row.number
            geometry, geometry_key = self.geometry_of(row, report)
            values = {
                "kind": row.get("kind"),
                "name": row.get("name"),
                "status": row.get("status"),
                "starts_on": row.get("starts_on"),
                "ends_on": row.get("ends_on"),
                "radius_m": row.get("radius"),
                "compounds": row.get("compounds", []),
                "geometry": geometry,
                "crs": self.crs,
            }
            try:
                checked = works.check_work(
                    organisation=self.organisation,
                    external_id=external_id,
                    values=values,
                    locator=locator,
                    compounds_by_code=lookup,
                )
            except DomainError as error:
                keys = {**SHEET_KEYS, "geometry": geometry_key}
                for name, messages in error.fields.items():
                    key = keys.get(name)
                    if key is not None and key in row.failed:
                        continue  # that cell's own problem is already reported
                    for message in messages:
                        report.reject(row, key, message)
                row.ok = False
                continue
            if row.ok:
                plan.works.append(checked)
        return plan

    def geometry_of(self, row: Row, report: ImportReport) -> tuple[dict | None, str]:
        """The row's GeoJSON geometry (from WKT or coordinates) and the column to blame."""
        filled = [key for key in COORDINATE_KEYS if row.has(key)]
        failed = [key for key in COORDINATE_KEYS if key in row.failed]
        if row.has("wkt") or "wkt" in row.failed:
            if filled or failed:
                report.reject(
                    row, (filled or failed)[0], _("请只填写“几何(WKT)”或起点/终点坐标中的一种。")
                )
            return row.get("wkt"), "wkt"
        if failed:
            return None, failed[0]
        if not filled:
            return None, "compounds"
        for first, second in (("start_lon", "start_lat"), ("end_lon", "end_lat")):
            if row.has(first) != row.has(second):
                missing = second if row.has(first) else first
                report.reject(row, missing, _("经度和纬度须成对填写。"))
                return None, missing
        if not row.has("start_lon"):
            report.reject(row, "start_lon", _("只有终点时请填写起点；点状工程只填起点。"))
            return None, "start_lon"
        start = [row.get("start_lon"), row.get("start_lat")]
        if not row.has("end_lon"):
            return {"type": "Point", "coordinates": start}, "start_lon"
        end = [row.get("end_lon"), row.get("end_lat")]
        return {"type": "LineString", "coordinates": [start, end]}, "start_lon"

    # --- writing ---

    def write(self, plan: WorksPlan, params: ImportParams, report: ImportReport, progress) -> None:
        for name in COUNT_LABELS:
            report.counts.setdefault(name, 0)
        report.territory_path = common_path(c.path for c in plan.works if c.path)
        tick = report_every(progress, _("写入数据"), 60, 99, len(plan.works))
        for checked in plan.works:
            _work, outcome = works.write_work(actor=params.actor, checked=checked)
            report.count(f"works_{outcome}")
            tick()

    def record(self, params: ImportParams, report: ImportReport) -> None:
        events.works_imported(
            actor=params.actor,
            organisation=self.organisation,
            filename=params.filename,
            counts={**report.counts, "crs": self.crs.value},
            territory_path=report.territory_path,
        )


class GeoJSONWorksImporter(WorksImporter):
    """A GeoJSON FeatureCollection into one organisation's works; problems by feature id."""

    file_format = "geojson"

    def run(self, source, params: ImportParams, progress: Progress | None = None) -> ImportReport:
        progress = progress or SilentProgress()
        self.authorise(params)
        progress.report(_("读取文件"), 2, params.filename)
        report = ImportReport(filename=params.filename, dry_run=params.dry_run)
        plan = self.validate_collection(read_json(source, report), params, report, progress)
        if report.problems:
            progress.report(
                _("检查完毕"), 100, _("发现 %(count)d 处问题") % {"count": len(report.problems)}
            )
            raise ImportRejected(report)
        if params.dry_run:
            progress.report(_("检查完毕"), 100, _("未发现问题"))
            return report
        progress.report(_("写入数据"), 60)
        try:
            with transaction.atomic(durable=True):
                self.write(plan, params, report, reporter_inside_transaction(progress))
                self.record(params, report)
        except IntegrityError as exc:
            raise Conflict(_("导入期间数据被他人修改，没有导入任何数据，请重新上传。")) from exc
        progress.report(_("完成"), 100)
        return report

    def file_problem(self, report: ImportReport, message) -> WorksPlan:
        report.add("GeoJSON", None, message)
        return WorksPlan()

    def validate_collection(
        self, collection: Any, params: ImportParams, report: ImportReport, progress: Progress
    ) -> WorksPlan:
        if report.problems:
            return WorksPlan()
        if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
            return self.file_problem(report, _("文件不是 GeoJSON FeatureCollection。"))
        features = collection.get("features")
        if not isinstance(features, list) or not features:
            return self.file_problem(report, _("文件中没有要素（features）。"))
        if len(features) > MAX_ROWS:
            raise DomainError(
                _("文件有 %(rows)d 个要素，超过上限 %(limit)d 个，请分批导入。")
                % {"rows": len(features), "limit": MAX_ROWS},
                code="too_many_rows",
            )
        declared = engine_conflicts.declared_crs(collection)
        if declared is not None:
            try:
                crs = engine_conflicts.parse_crs_name(declared)
            except ValueError:
                return self.file_problem(
                    report, _("文件声明的坐标系“%(crs)s”无法识别。") % {"crs": declared}
                )
            if engine_conflicts.geo_family(crs) != engine_conflicts.geo_family(self.crs):
                return self.file_problem(
                    report,
                    _("文件声明的坐标系是 %(declared)s，与上传时选择的 %(given)s 不一致。")
                    % {"declared": CRS_LABELS[crs], "given": CRS_LABELS[self.crs]},
                )
        report.rows["GeoJSON"] = len(features)
        progress.report(_("核对系统中的数据"), 35)
        lookup = works.lookup_compounds(
            (code for feature in features for code in feature_codes(feature)), scope=params.scope
        )
        locator = works.DistrictLocator()
        plan = WorksPlan()
        seen: dict[str, int] = {}
        tick = report_every(progress, _("检查数据"), 35, 58, len(features))
        for ordinal, feature in enumerate(features, start=1):
            tick()
            checked = self.check_feature(
                ordinal, feature, lookup=lookup, locator=locator, seen=seen, report=report
            )
            if checked is not None:
                plan.works.append(checked)
        return plan

    def check_feature(self, ordinal, feature, *, lookup, locator, seen, report):
        """One feature checked like an API body; None (with problems added) when wrong."""
        label = _("第%(number)d个要素") % {"number": ordinal}

        def problem(prop: str, message) -> None:
            report.add(label, ordinal, message, header=prop)

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problem("type", _("不是 GeoJSON Feature。"))
            return None
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        external_id = engine_conflicts.feature_id(feature, properties)
        if external_id is None:
            problem("id", _("没有工程编号（properties.id，应为文字或整数）。"))
            return None
        label = external_id
        if external_id in seen:
            problem("id", _("工程编号与第%(number)d个要素重复。") % {"number": seen[external_id]})
            return None
        seen[external_id] = ordinal
        values = {
            "name": properties.get("name"),
            "starts_on": properties.get("start"),
            "ends_on": properties.get("end"),
            "radius_m": properties.get("radius"),
            "compounds": feature_codes(feature),
            "geometry": feature.get("geometry"),
            "crs": self.crs,
        }
        failed = False
        for key, choices in (("kind", WorkKind), ("status", WorkStatus)):
            value = properties.get(key)
            if value in (None, ""):
                values[key] = None
                continue
            try:
                values[key] = choice(choices)(value)
            except CellError as error:
                problem(key, error.message)
                failed = True
        try:
            checked = works.check_work(
                organisation=self.organisation,
                external_id=external_id,
                values=values,
                locator=locator,
                compounds_by_code=lookup,
            )
        except DomainError as error:
            for name, messages in error.fields.items():
                if failed and name in ("kind", "status"):
                    continue
                for message in messages:
                    problem(PROPERTIES.get(name, name), message)
            return None
        return None if failed else checked


def feature_codes(feature: Any) -> list[str]:
    """The compound codes a feature names: a list, or one text with separators."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    value = properties.get("compounds") if isinstance(properties, dict) else None
    if value is None:
        return []
    if isinstance(value, list):
        return [narrow(str(code)) for code in value if str(code).strip()]
    return codes()(value)


def read_json(source, report: ImportReport) -> Any:
    data = excel.read_bytes(source)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        report.add(
            "GeoJSON",
            None,
            _("无法读取 GeoJSON 文件（须为 UTF-8 编码的 JSON）：%(detail)s。")
            % {"detail": str(error)[:120]},
        )
        return None


def importer_for(file_format: str, organisation: Organisation, crs) -> WorksImporter:
    if file_format == "geojson":
        return GeoJSONWorksImporter(organisation, crs)
    return WorksImporter(organisation, crs)


def file_format_of(filename: str) -> str:
    return "geojson" if Path(filename).suffix.lower() in GEOJSON_SUFFIXES else "spreadsheet"


def labelled_counts(counts: dict) -> list[tuple[str, int]]:
    return [(str(label), counts.get(name, 0)) for name, label in COUNT_LABELS.items()]


# --- templates -------------------------------------------------------------------------------


def instructions() -> list[str]:
    return [
        _("每行填写一项工程，工作表“工程”的第一行是列名，请勿修改。"),
        _(
            "工程编号是贵单位自己的编号，同一单位内不能重复，须为文本格式。再次上传同一编号即"
            "更新该工程；同一文件可以反复上传，内容没有变化的工程不会重复记录。"
        ),
        _(
            "类别填写：供水、排水、电力、燃气、通信、供热、道路、城市更新、其他。状态可填写：计划、"
            "在建、完工、取消；留空时新工程为“计划”，已有工程保持原状态。"
        ),
        _("计划开工、计划完工填写日期（如 2026-03-01）；计划完工不能早于计划开工。"),
        _(
            "位置二选一：在“几何(WKT)”填写 WKT，经度在前，如 LINESTRING (114.2901 30.5902, "
            "114.2921 30.5911)；或填写起点经度、起点纬度（一个点），线状工程再填终点经度、终点"
            "纬度（视为直线）。没有坐标的工程可以只填“涉及小区”。"
        ),
        _(
            "坐标系在上传页面选择：WGS84 / CGCS2000（测绘成果）、GCJ-02（高德、腾讯地图）或 "
            "BD-09（百度地图）。系统统一换算为 WGS84 保存，坐标须在武汉市范围内。"
        ),
        _(
            "涉及小区填写小区编码，多个用逗号、顿号或空格分隔。半径（米）是点状工程（检查井、"
            "变电箱等）的影响范围，可留空。"
        ),
        _(
            "文件中只要有一处问题，整个文件都不会导入。系统会列出每个问题所在的行和列，"
            "并提供标注了问题单元格的文件供修改。"
        ),
        _(
            "也可以上传 GeoJSON（FeatureCollection）：每个要素的 properties 含 id、kind、name、"
            "start、end，可选 status、compounds、radius。"
        ),
    ]


def works_template() -> bytes:
    """The blank 工程 workbook: 填写说明 (rules, then every column with an example) and 工程
    (headers, one example row, text-formatted ids, drop-down lists for kind and status)."""

    def build(workbook):
        formats = excel.Formats(workbook)
        guide = write_instructions(
            workbook,
            formats,
            title=_("其他工程导入模板 · 填写说明"),
            paragraphs=instructions(),
            specs=(WORKS_SHEET,),
        )
        example = [column.example for column in WORKS_SHEET.columns]
        excel.write_table(
            workbook,
            SHEET,
            WORKS_SHEET.table_columns(),
            [example],
            formats=formats,
            choice_rows=MAX_ROWS,
        )
        guide.activate()

    return excel.workbook_bytes(build)


def geojson_example() -> bytes:
    """An example FeatureCollection: a line with a window, and a work named by compounds."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[114.2901, 30.5902], [114.2921, 30.5911]],
                },
                "properties": {
                    "id": "GS-2026-001",
                    "kind": "water_supply",
                    "name": "胜利街供水管网更新",
                    "start": "2026-03-01",
                    "end": "2026-06-30",
                    "status": "planned",
                },
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [114.2950, 30.5930]},
                "properties": {
                    "id": "GS-2026-002",
                    "kind": "drainage",
                    "name": "检查井改造",
                    "start": "2026-04-01",
                    "end": "2026-04-30",
                    "radius": 20,
                },
            },
        ],
    }
    return json.dumps(collection, ensure_ascii=False, indent=2).encode()


# --- the background job ----------------------------------------------------------------------


def start_works_import(
    *,
    upload,
    user,
    scope: Scope,
    organisation: Organisation,
    crs: str,
    dry_run: bool = False,
):
    """Keep the upload in default storage and queue the import job for it."""
    arguments = {
        **stage_upload(upload, user, scope),
        "file_format": file_format_of(upload.name),
        "organisation_id": organisation.pk,
        "crs": str(geo.CRS.parse(crs).value),
        "dry_run": dry_run,
    }
    label = _("导入其他工程：%(file)s（%(organisation)s）") % {
        "file": arguments["filename"],
        "organisation": organisation.name,
    }
    return start_job(
        job=IMPORT_JOB,
        label=label,
        arguments=arguments,
        actor=user,
        territory_path=common_path(scope.node_paths),
        max_attempts=2,
    )


def import_works_job(
    progress,
    *,
    upload_path: str,
    filename: str,
    file_format: str,
    organisation_id: int,
    crs: str,
    dry_run: bool = False,
    **uploaded_by,
) -> dict:
    """Import the uploaded file as the user who uploaded it, for the organisation chosen.
    On rejection the ImportRejected propagates (the task ends failed) carrying `result`: the
    problems and, for spreadsheets, the annotated copy's name and address."""
    user, scope = uploader(**uploaded_by)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        default_storage.delete(upload_path)
        raise NotFound()
    params = ImportParams(
        actor=user, scope=scope, filename=filename, dry_run=dry_run, max_rows=MAX_ROWS
    )
    return import_upload(
        lambda: importer_for(file_format, organisation, crs),
        upload_path=upload_path,
        params=params,
        progress=progress,
        annotated_view="coordination:work-upload-annotated",
        labelled=labelled_counts,
        result={"format": file_format, "filename": filename, "organisation": organisation.name},
    )
