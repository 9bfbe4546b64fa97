"""`anju conflicts --projects FILE --works FILE [--distance 50] [--months 12]
[--crs wgs84|cgcs2000|gcj02|bd09] [--out result.json]`.

Dig once (一次开挖): every renovation project and other work (pipes, roads, cables) within
--distance metres and --months calendar months of each other, with how they relate
(`anju.engine.conflicts`): "overlap" (build together), "after" (the work would dig up the
renewed compound), "before" (sequence them). It needs no database: it reads two files,
computes and writes; system and migration checks are off.

Both files are GeoJSON FeatureCollections in longitude/latitude. Each feature's properties
carry `id`, `start` and `end` (YYYY-MM-DD); works also `kind`; a project with no surveyed
boundary is a Point with `radius` (metres). Coordinates are in --crs, or in the file's own
`crs` declaration when --crs is not given (WGS84 when neither says); a file that declares a
different system than --crs is refused. Everything is measured in EPSG:4547 metres.

The answer is JSON {"pairs": [{"project", "work", "distance_m", "relation"}], "seconds"},
pairs sorted by project id then work id, distances rounded to 0.1 m, `seconds` the engine's
time. Every problem in the files (a missing or duplicate id, a bad or reversed date, a
missing, malformed, empty or invalid geometry, an unknown coordinate system …) is reported,
one a line naming the feature id, before exiting 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from anju.engine import conflicts, geo

LAYERS = {"project": gettext_noop("项目"), "work": gettext_noop("工程")}
FIELDS = {"start": gettext_noop("开始日期"), "end": gettext_noop("结束日期")}
MESSAGES = {
    "not_feature_collection": gettext_noop("%(layer)s文件不是 GeoJSON FeatureCollection。"),
    "unknown_crs": gettext_noop(
        "%(layer)s文件声明的坐标系“%(crs)s”无法识别（可用 wgs84、cgcs2000、gcj02、bd09）。"
    ),
    "crs_mismatch": gettext_noop(
        "%(layer)s文件声明的坐标系是%(declared)s，与 --crs 指定的%(given)s不一致。"
    ),
    "not_a_feature": gettext_noop("%(layer)s文件第%(index)d个要素不是 GeoJSON Feature。"),
    "missing_id": gettext_noop("%(layer)s文件第%(index)d个要素没有编号（id，应为文字或整数）。"),
    "duplicate_id": gettext_noop("%(layer)s编号“%(id)s”重复（共%(count)d次）。"),
    "missing_date": gettext_noop("%(layer)s“%(id)s”缺少%(field)s。"),
    "bad_date": gettext_noop("%(layer)s“%(id)s”的%(field)s“%(value)s”不是 YYYY-MM-DD 格式的日期。"),
    "end_before_start": gettext_noop("%(layer)s“%(id)s”的结束日期%(end)s早于开始日期%(start)s。"),
    "missing_kind": gettext_noop("工程“%(id)s”没有类别（kind）。"),
    "geometry_missing": gettext_noop("%(layer)s“%(id)s”没有几何图形。"),
    "geometry_type": gettext_noop(
        "%(layer)s“%(id)s”的几何类型“%(type)s”不受支持（可用点、线、面及其多部件形式）。"
    ),
    "geometry_malformed": gettext_noop("%(layer)s“%(id)s”的坐标格式有误：%(detail)s。"),
    "geometry_empty": gettext_noop("%(layer)s“%(id)s”的几何图形为空。"),
    "geometry_invalid": gettext_noop("%(layer)s“%(id)s”的几何图形无效：%(reason)s。"),
    "lonlat_out_of_range": gettext_noop(
        "%(layer)s“%(id)s”的坐标不是经纬度（经度应在±180、纬度应在±90以内）。"
    ),
    "point_needs_radius": gettext_noop(
        "项目“%(id)s”只有点位、没有边界，须给出大于0的半径（radius，米）。"
    ),
    "bad_radius": gettext_noop("%(layer)s“%(id)s”的半径应为非负数，不能是“%(value)s”。"),
}


def message(problem: conflicts.Problem) -> str:
    """One engine problem as a translated sentence."""
    params: dict[str, Any] = dict(problem.params)
    if problem.layer:
        params["layer"] = _(LAYERS[problem.layer])
    if "field" in params:
        params["field"] = _(FIELDS[params["field"]])
    return _(MESSAGES[problem.code]) % params


def read_json(path: Path) -> Any:
    if not path.is_file():
        raise CommandError(_("找不到文件：%(path)s") % {"path": path})
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise CommandError(_("%(path)s 不是 UTF-8 编码的文本文件。") % {"path": path}) from None
    except json.JSONDecodeError as exc:
        raise CommandError(
            _("%(path)s 不是有效的 JSON（第%(line)d行第%(column)d列）。")
            % {"path": path, "line": exc.lineno, "column": exc.colno}
        ) from None
    except OSError as exc:
        raise CommandError(
            _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc}
        ) from None


def parse_crs(text: str | None) -> geo.CRS | None:
    if text is None:
        return None
    try:
        return geo.CRS.parse(text)
    except ValueError:
        raise CommandError(
            _("未知的坐标系“%(crs)s”（可用 wgs84、cgcs2000、gcj02、bd09）。") % {"crs": text}
        ) from None


def read_layers(
    projects_path: Path, works_path: Path, crs: geo.CRS | None
) -> tuple[conflicts.Features, conflicts.Features]:
    """Both files read and checked; the problems of both are reported together."""
    problems: list[conflicts.Problem] = []
    layers = {}
    for layer, path in (("project", projects_path), ("work", works_path)):
        try:
            layers[layer] = conflicts.features_from_geojson(read_json(path), layer, crs)
        except conflicts.ConflictInputError as exc:
            problems += exc.problems
    if problems:
        lines = [
            _("输入文件有 %(count)d 处问题，未计算：") % {"count": len(problems)},
            *(message(problem) for problem in problems),
        ]
        raise CommandError("\n".join(lines))
    return layers["project"], layers["work"]


class Command(BaseCommand):
    requires_system_checks = []
    requires_migrations_checks = False

    @property
    def help(self) -> str:
        return _(
            "一次开挖：找出空间上相邻、时间上相近的改造项目与其他工程（管线、道路等），"
            "输出 JSON，不需要数据库。"
        )

    def add_arguments(self, parser):
        parser.description = _(
            "两个文件均为 GeoJSON FeatureCollection；每个要素的 properties 须有 id、start、end"
            "（YYYY-MM-DD），工程另有 kind，没有边界的项目用点加 radius（米）。relation："
            "overlap 同期施工，after 改造完成后又要开挖，before 先施工后改造。"
        )
        parser.add_argument(
            "--projects", required=True, metavar="FILE", help=_("改造项目的 GeoJSON 文件")
        )
        parser.add_argument(
            "--works",
            required=True,
            metavar="FILE",
            help=_("其他工程（管线、道路等）的 GeoJSON 文件"),
        )
        parser.add_argument(
            "--distance",
            type=float,
            default=conflicts.DEFAULT_DISTANCE_M,
            metavar="M",
            help=_("距离阈值（米），默认 50"),
        )
        parser.add_argument(
            "--months",
            type=int,
            default=conflicts.DEFAULT_MONTHS,
            metavar="N",
            help=_("前后相隔不超过的月数，默认 12"),
        )
        parser.add_argument(
            "--crs",
            metavar="CRS",
            help=_("输入坐标系：wgs84、cgcs2000、gcj02 或 bd09；默认按文件声明，未声明按 wgs84"),
        )
        parser.add_argument("--out", metavar="PATH", help=_("把 JSON 结果写到此文件"))

    def handle(self, *args, projects, works, distance, months, crs=None, out=None, **options):
        if not distance >= 0 or distance == float("inf"):
            raise CommandError(_("距离应为非负数。"))
        if months < 0:
            raise CommandError(_("月数应为非负整数。"))
        source = parse_crs(crs)
        project_layer, work_layer = read_layers(Path(projects), Path(works), source)
        try:
            result = conflicts.find_conflicts(
                project_layer, work_layer, distance_m=distance, months=months
            )
        except conflicts.ConflictInputError as exc:  # the readers already reject these
            raise CommandError("\n".join(message(p) for p in exc.problems)) from None
        answer = {"pairs": result.records(places=1), "seconds": round(result.seconds, 3)}
        text = json.dumps(answer, ensure_ascii=False, indent=2)
        if out:
            try:
                Path(out).write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(
                    _("无法写出结果文件 %(path)s：%(error)s") % {"path": out, "error": exc}
                ) from None
        else:
            self.stdout.write(text)
