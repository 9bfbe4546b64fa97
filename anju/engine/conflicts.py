"""Dig once (一次开挖): which renovation projects meet others' works (pipes, roads, cables) close
enough in space and time that they must be built together or put in order?

The rule
    A project (a compound's renovation, or a package of them) and a work are a pair when both
    * their footprints lie within D metres (default 50): the shortest planar distance between
      the project's boundary polygon and the work's geometry, in metres of a projected CRS
      (EPSG:4547 for Wuhan), is ≤ D. A project known only as a point (no surveyed boundary)
      is the disc of its `radius_m` around it, and must have one; a work may carry a radius
      too (a shaft, a substation site). With radii r_p and r_w the distance is
      max(0, d(geometries) − r_p − r_w). Touching or crossing footprints are at distance 0;
    * their date windows overlap or lie at most M calendar months apart (default 12).
    A window is the closed range of whole days [start, end]: a work that ends on the day the
    renovation starts shares that day. Each pair has exactly one relation:
    * "overlap": work.start ≤ project.end and project.start ≤ work.end (a shared day
      counts): build together, one trench;
    * "after": the work starts after the renovation ends, within M months: the renewed
      compound would be dug up again, so bring the work forward or hold the surface works;
    * "before": the work ends before the renovation starts, within M months: sequence them,
      the renovation follows the work.
    "Within M months" of an end date E means a start S ≤ E + M calendar months, where adding
    months keeps the day of the month and clamps it to the last day of a shorter month
    (dateutil's relativedelta and PostgreSQL's `date + interval 'M months'` do the same):
    a renovation ending 2025-06-30 pairs with a work starting 2026-06-30 (exactly 12 months)
    but not with one starting 2026-07-01; one ending 2025-01-31 is followed within one month
    by 2025-02-28, not by 2025-03-01. Overlap or not, both conditions together read
    work.start ≤ project.end + M and project.start ≤ work.end + M.

How it is computed
    1. Every input is validated first and all problems are reported at once, each naming
       its feature id (`ConflictInputError`): empty or duplicate ids, a missing, empty or
       invalid geometry (GEOS's reason), a point project without a positive radius, a
       missing date, an end before its start, a work without a kind. O(n) plus GEOS's
       validity check per geometry.
    2. An STRtree over the works' geometries (O(m log m)) is queried with every project's
       envelope widened by D + r_p + max r_w (one vectorised `STRtree.query` per worker
       thread): every true pair is among these candidates. The boxes are a micrometre wider
       still, so that rounding never drops a pair at exactly D; the distance decides.
       The tree is queried by envelope rather than with predicate="dwithin": GEOS's dwithin
       costs as much as the distance itself (≈ 2.8 against 2.6 µs a candidate, measured on
       synthetic national data), so each kept pair would be measured twice.
    3. The date window, in numpy, drops candidates before any distance is measured (a fifth
       of them on the benchmark). Filtering by the gap between the two envelopes as well was
       tried and dropped: it removed under 1% of the candidates for the cost of gathering
       both boxes.
    4. `shapely.distance` measures the remaining candidates, split over worker threads
       (shapely releases the GIL there); pairs with max(0, d − r_p − r_w) ≤ D are kept.
    Cost: O((n + m) log m + k) for n projects, m works and k candidates, each distance
    O(a · b) in the two geometries' vertex counts (GEOS compares every pair of segments).
    National scale (220,000 compounds × 1,000,000 works, 1.7 million pairs) takes about 5 s
    on 2 cores and 1.1 GB with the input, where PostGIS's indexed ST_DWithin query alone
    takes about 11 s (`bench/conflicts.py`).

Pairs come ordered by project, then work, in input order (`Conflicts.records` sorts by id).
Geometries must already be in metres: `anju.engine.geo.geometries_to_metres` converts
WGS84/CGCS2000/GCJ-02/BD-09 input, and `features_from_geojson` reads a GeoJSON
FeatureCollection, converting it, with the same kind of problems as data.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import shapely

from . import geo

DEFAULT_DISTANCE_M = 50.0
DEFAULT_MONTHS = 12
RELATIONS = ("overlap", "after", "before")
OVERLAP, AFTER, BEFORE = range(3)
POINT_TYPE_IDS = (0, 4)  # shapely type ids of Point and MultiPoint
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SLACK_M = 1e-6  # the query boxes' margin: float rounding never drops a pair at exactly D
CHUNK = 200_000  # candidate pairs measured per task; small enough to keep both cores busy
SHOWN_PROBLEMS = 10


# --- input -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """A renovation project's footprint in metres: its boundary, or a point with `radius_m`."""

    id: str
    geometry: Any
    start: date
    end: date
    radius_m: float = 0.0


@dataclass(frozen=True)
class Work:
    """Another owner's work (pipe, road, cable …) in metres, with its kind (给水, 燃气 …)."""

    id: str
    kind: str
    geometry: Any
    start: date
    end: date
    radius_m: float = 0.0


@dataclass(frozen=True)
class Features:
    """One side (projects or works) as parallel arrays, the form the engine computes on.
    `layer` is "project" or "work"; `radii` are 0 where there is a boundary or a line;
    `kinds` is None for projects."""

    layer: str
    ids: np.ndarray
    geometries: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    radii: np.ndarray
    kinds: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_arrays(
        cls,
        layer: str,
        *,
        ids: Sequence[str] | np.ndarray,
        geometries: Sequence[Any] | np.ndarray,
        starts: Sequence[Any] | np.ndarray,
        ends: Sequence[Any] | np.ndarray,
        radii: Sequence[float] | np.ndarray | None = None,
        kinds: Sequence[str] | np.ndarray | None = None,
    ) -> Features:
        """Parallel sequences (dates as `date`, ISO text or datetime64) → Features."""
        count = len(ids)
        return cls(
            layer=layer,
            ids=np.asarray(ids, dtype=object),
            geometries=np.asarray(geometries, dtype=object),
            starts=as_days(starts),
            ends=as_days(ends),
            radii=np.zeros(count) if radii is None else np.asarray(radii, dtype=np.float64),
            kinds=None if kinds is None else np.asarray(kinds, dtype=object),
        )

    @classmethod
    def of_projects(cls, projects: Iterable[Project]) -> Features:
        rows = list(projects)
        return cls.from_arrays(
            "project",
            ids=[p.id for p in rows],
            geometries=[p.geometry for p in rows],
            starts=[p.start for p in rows],
            ends=[p.end for p in rows],
            radii=[p.radius_m for p in rows],
        )

    @classmethod
    def of_works(cls, works: Iterable[Work]) -> Features:
        rows = list(works)
        return cls.from_arrays(
            "work",
            ids=[w.id for w in rows],
            geometries=[w.geometry for w in rows],
            starts=[w.start for w in rows],
            ends=[w.end for w in rows],
            radii=[w.radius_m for w in rows],
            kinds=[w.kind for w in rows],
        )


def as_days(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Dates as datetime64[D]; None becomes NaT (reported as a missing date)."""
    array = np.asarray(values)
    if array.dtype.kind == "M":
        return array.astype("datetime64[D]")
    return np.array(
        [np.datetime64("NaT") if value is None else np.datetime64(value, "D") for value in values],
        dtype="datetime64[D]",
    )


# --- problems --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: a code, the layer ("project"/"work", None for the
    parameters) and the parameters of its sentence (`id` names the feature)."""

    code: str
    layer: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


class ConflictInputError(ValueError):
    """The input cannot be used; `problems` are data, `str()` reads the first ten in
    Chinese."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        shown = [render(problem, "zh") for problem in self.problems[:SHOWN_PROBLEMS]]
        if len(self.problems) > SHOWN_PROBLEMS:
            shown.append(f"……共{len(self.problems)}处问题。")
        super().__init__(" ".join(shown))


TEMPLATES = {
    "zh": {
        "layer.project": "项目",
        "layer.work": "工程",
        "field.start": "开始日期",
        "field.end": "结束日期",
        "bad_distance": "距离应为非负数，不能是“{value}”。",
        "bad_months": "月数应为非负整数，不能是“{value}”。",
        "not_feature_collection": "{layer}文件不是 GeoJSON FeatureCollection。",
        "unknown_crs": (
            "{layer}文件声明的坐标系“{crs}”无法识别（可用 wgs84、cgcs2000、gcj02、bd09）。"
        ),
        "crs_mismatch": "{layer}文件声明的坐标系是{declared}，与指定的{given}不一致。",
        "not_a_feature": "{layer}文件第{index}个要素不是 GeoJSON Feature。",
        "missing_id": "{layer}文件第{index}个要素没有编号（id，应为文字或整数）。",
        "duplicate_id": "{layer}编号“{id}”重复（共{count}次）。",
        "missing_date": "{layer}“{id}”缺少{field}。",
        "bad_date": "{layer}“{id}”的{field}“{value}”不是 YYYY-MM-DD 格式的日期。",
        "end_before_start": "{layer}“{id}”的结束日期{end}早于开始日期{start}。",
        "missing_kind": "工程“{id}”没有类别（kind）。",
        "geometry_missing": "{layer}“{id}”没有几何图形。",
        "geometry_type": (
            "{layer}“{id}”的几何类型“{type}”不受支持（可用点、线、面及其多部件形式）。"
        ),
        "geometry_malformed": "{layer}“{id}”的坐标格式有误：{detail}。",
        "geometry_empty": "{layer}“{id}”的几何图形为空。",
        "geometry_invalid": "{layer}“{id}”的几何图形无效：{reason}。",
        "lonlat_out_of_range": "{layer}“{id}”的坐标不是经纬度（经度应在±180、纬度应在±90以内）。",
        "point_needs_radius": "项目“{id}”只有点位、没有边界，须给出大于0的半径（米）。",
        "bad_radius": "{layer}“{id}”的半径应为非负数，不能是“{value}”。",
    },
    "en": {
        "layer.project": "project",
        "layer.work": "work",
        "field.start": "start date",
        "field.end": "end date",
        "bad_distance": "The distance must be a non-negative number, not {value}.",
        "bad_months": "The months must be a non-negative integer, not {value}.",
        "not_feature_collection": "The {layer} file is not a GeoJSON FeatureCollection.",
        "unknown_crs": (
            "The {layer} file declares an unknown coordinate system {crs} (use wgs84, "
            "cgcs2000, gcj02 or bd09)."
        ),
        "crs_mismatch": (
            "The {layer} file declares {declared}, which differs from the given {given}."
        ),
        "not_a_feature": "Item {index} of the {layer} file is not a GeoJSON Feature.",
        "missing_id": "Feature {index} of the {layer} file has no id (text or an integer).",
        "duplicate_id": "The {layer} id {id} appears {count} times.",
        "missing_date": "The {layer} {id} has no {field}.",
        "bad_date": "The {field} of the {layer} {id} is {value}, not a YYYY-MM-DD date.",
        "end_before_start": "The {layer} {id} ends on {end}, before it starts on {start}.",
        "missing_kind": "The work {id} has no kind.",
        "geometry_missing": "The {layer} {id} has no geometry.",
        "geometry_type": (
            "The {layer} {id} has an unsupported geometry type {type} (use points, lines, "
            "polygons or their Multi* forms)."
        ),
        "geometry_malformed": "The coordinates of the {layer} {id} are malformed: {detail}.",
        "geometry_empty": "The geometry of the {layer} {id} is empty.",
        "geometry_invalid": "The geometry of the {layer} {id} is invalid: {reason}.",
        "lonlat_out_of_range": (
            "The coordinates of the {layer} {id} are not longitude/latitude (longitude "
            "within ±180, latitude within ±90)."
        ),
        "point_needs_radius": (
            "The project {id} is a point without a boundary: give it a radius above 0 metres."
        ),
        "bad_radius": "The radius of the {layer} {id} must be non-negative, not {value}.",
    },
}


def render(problem: Problem, language: str = "zh") -> str:
    """One problem as a sentence in Chinese ("zh") or English ("en")."""
    templates = TEMPLATES["en" if language.lower().startswith("en") else "zh"]
    params = dict(problem.params)
    if problem.layer:
        params["layer"] = templates["layer." + problem.layer]
    if "field" in params:
        params["field"] = templates["field." + params["field"]]
    return templates[problem.code].format(**params)


def explain(error: ConflictInputError, language: str = "zh") -> list[str]:
    return [render(problem, language) for problem in error.problems]


# --- validation ------------------------------------------------------------------------------


def blank_texts(values: list[Any]) -> list[int]:
    """Positions of values that are not non-blank text (a fast pass first: at national scale
    this runs over a million ids)."""
    if set(map(type, values)) <= {str} and (not values or min(map(len, map(str.strip, values)))):
        return []
    return [i for i, value in enumerate(values) if not isinstance(value, str) or not value.strip()]


def id_problems(features: Features) -> list[Problem]:
    ids = features.ids.tolist()
    problems = [
        Problem("missing_id", features.layer, {"index": index + 1}) for index in blank_texts(ids)
    ]
    if len(set(ids)) < len(ids):
        problems += [
            Problem("duplicate_id", features.layer, {"id": identifier, "count": count})
            for identifier, count in sorted(Counter(ids).items(), key=lambda item: str(item[0]))
            if count > 1 and isinstance(identifier, str) and identifier.strip()
        ]
    return problems


def geometry_problems(features: Features) -> list[Problem]:
    """Missing, empty or invalid geometries (GEOS's reason), and point projects without a
    positive radius; radii must be finite and non-negative."""
    geometries = features.geometries
    ids = features.ids
    layer = features.layer
    problems = []
    missing = shapely.is_missing(geometries)
    empty = ~missing & shapely.is_empty(geometries)
    invalid = ~missing & ~empty & ~shapely.is_valid(geometries)
    for index in np.flatnonzero(missing | empty | invalid).tolist():
        params = {"id": ids[index]}
        if missing[index]:
            problems.append(Problem("geometry_missing", layer, params))
        elif empty[index]:
            problems.append(Problem("geometry_empty", layer, params))
        else:
            reason = shapely.is_valid_reason(geometries[index])
            problems.append(Problem("geometry_invalid", layer, {**params, "reason": reason}))
    radii = features.radii
    bad_radius = ~np.isfinite(radii) | (radii < 0)
    for index in np.flatnonzero(bad_radius).tolist():
        problems.append(Problem("bad_radius", layer, {"id": ids[index], "value": radii[index]}))
    if layer == "project":
        usable = ~(missing | empty | bad_radius)
        points = np.isin(shapely.get_type_id(geometries), POINT_TYPE_IDS) & usable & (radii <= 0)
        problems += [
            Problem("point_needs_radius", layer, {"id": ids[index]})
            for index in np.flatnonzero(points).tolist()
        ]
    return problems


def date_problems(features: Features) -> list[Problem]:
    problems = []
    layer = features.layer
    for name, days in (("start", features.starts), ("end", features.ends)):
        problems += [
            Problem("missing_date", layer, {"id": features.ids[index], "field": name})
            for index in np.flatnonzero(np.isnat(days)).tolist()
        ]
    reversed_window = features.ends < features.starts  # NaT compares False
    problems += [
        Problem(
            "end_before_start",
            layer,
            {
                "id": features.ids[index],
                "start": str(features.starts[index]),
                "end": str(features.ends[index]),
            },
        )
        for index in np.flatnonzero(reversed_window).tolist()
    ]
    return problems


def kind_problems(features: Features) -> list[Problem]:
    kinds = [None] * len(features) if features.kinds is None else features.kinds.tolist()
    return [
        Problem("missing_kind", features.layer, {"id": features.ids[index]})
        for index in blank_texts(kinds)
    ]


def layer_problems(features: Features) -> list[Problem]:
    """Every problem of one side: ids, geometries, radii, dates, and the kinds of works."""
    problems = id_problems(features) + geometry_problems(features) + date_problems(features)
    if features.layer == "work":
        problems += kind_problems(features)
    return problems


def validate(projects: Features, works: Features, distance_m: float, months: int) -> list[Problem]:
    """Every problem of the input: the parameters, then the projects, then the works."""
    problems = []
    if isinstance(distance_m, bool) or not (
        isinstance(distance_m, int | float) and np.isfinite(distance_m) and distance_m >= 0
    ):
        problems.append(Problem("bad_distance", None, {"value": distance_m}))
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        problems.append(Problem("bad_months", None, {"value": months}))
    return problems + layer_problems(projects) + layer_problems(works)


# --- the rule --------------------------------------------------------------------------------


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """`days` (datetime64[D]) plus `months` calendar months: the same day of the month,
    clamped to the last day of a shorter month (2025-01-31 + 1 → 2025-02-28)."""
    month = days.astype("datetime64[M]")
    day_in_month = days - month.astype("datetime64[D]")
    target = month + np.timedelta64(months, "M")
    length = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype(
        "datetime64[D]"
    )
    return target.astype("datetime64[D]") + np.minimum(day_in_month, length - np.timedelta64(1))


def classify(
    project_start: np.ndarray,
    project_end: np.ndarray,
    work_start: np.ndarray,
    work_end: np.ndarray,
) -> np.ndarray:
    """Relation codes (OVERLAP, AFTER, BEFORE) of pairs already within the window."""
    relation = np.full(len(project_start), OVERLAP, dtype=np.int8)
    relation[work_start > project_end] = AFTER
    relation[work_end < project_start] = BEFORE
    return relation


def within_window(
    project_start: np.ndarray,
    project_end_plus: np.ndarray,
    work_start: np.ndarray,
    work_end_plus: np.ndarray,
) -> np.ndarray:
    """work.start ≤ project.end + M and project.start ≤ work.end + M (see the module)."""
    return (work_start <= project_end_plus) & (project_start <= work_end_plus)


def split(count: int, parts: int) -> list[slice]:
    edges = np.linspace(0, count, parts + 1).astype(np.int64).tolist()
    return [slice(a, b) for a, b in itertools.pairwise(edges) if b > a]


def candidate_pairs(
    tree: shapely.STRtree, boxes: np.ndarray, pool: ThreadPoolExecutor, workers: int
) -> tuple[np.ndarray, np.ndarray]:
    """(query index, tree index) of every envelope hit, the queries split over the workers."""
    parts = split(len(boxes), workers)
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    hits = list(pool.map(lambda part: tree.query(boxes[part]), parts))
    query = np.concatenate([found[0] + part.start for found, part in zip(hits, parts, strict=True)])
    tree_index = np.concatenate([found[1] for found in hits])
    return query.astype(np.int64), tree_index.astype(np.int64)


def measure(
    first: np.ndarray, second: np.ndarray, pool: ThreadPoolExecutor, workers: int
) -> np.ndarray:
    """shapely.distance of each pair, in chunks run on the pool."""
    if len(first) == 0:
        return np.zeros(0)
    chunks = split(len(first), max(workers, -(-len(first) // CHUNK)))
    return np.concatenate(
        list(pool.map(lambda part: shapely.distance(first[part], second[part]), chunks))
    )


@dataclass(frozen=True)
class Conflicts:
    """The pairs as parallel arrays: indices into the projects and works, the distance in
    metres between footprints and the relation code (index into RELATIONS); `candidates`
    counts the envelope hits, `measured` those left after the date window."""

    projects: Features
    works: Features
    project: np.ndarray
    work: np.ndarray
    distance_m: np.ndarray
    relation: np.ndarray
    seconds: float
    candidates: int = 0
    measured: int = 0

    def __len__(self) -> int:
        return len(self.project)

    def records(self, places: int = 1) -> list[dict[str, Any]]:
        """The pairs as dicts {project, work, distance_m, relation}, sorted by project id
        then work id; distances rounded to `places` decimals."""
        project_ids = self.projects.ids[self.project].tolist()
        work_ids = self.works.ids[self.work].tolist()
        distances = np.round(self.distance_m, places).tolist()
        relations = [RELATIONS[code] for code in self.relation.tolist()]
        order = sorted(range(len(project_ids)), key=lambda i: (project_ids[i], work_ids[i]))
        return [
            {
                "project": project_ids[i],
                "work": work_ids[i],
                "distance_m": distances[i],
                "relation": relations[i],
            }
            for i in order
        ]

    def counts(self) -> dict[str, int]:
        tally = np.bincount(self.relation, minlength=len(RELATIONS))
        return {name: int(tally[code]) for code, name in enumerate(RELATIONS)}


def find_conflicts(
    projects: Features | Iterable[Project],
    works: Features | Iterable[Work],
    *,
    distance_m: float = DEFAULT_DISTANCE_M,
    months: int = DEFAULT_MONTHS,
    workers: int | None = None,
) -> Conflicts:
    """Every (project, work) pair within `distance_m` metres and `months` calendar months,
    with its relation (see the module). Raises `ConflictInputError` naming every bad
    feature. `workers` threads share the tree queries and the distances (default: up to 2,
    the cores of anju's reference machine)."""
    started = time.perf_counter()
    if not isinstance(projects, Features):
        projects = Features.of_projects(projects)
    if not isinstance(works, Features):
        works = Features.of_works(works)
    problems = validate(projects, works, distance_m, months)
    if problems:
        raise ConflictInputError(problems)
    workers = max(1, workers or min(2, os.cpu_count() or 1))
    distance_m = float(distance_m)

    project_bounds = shapely.bounds(projects.geometries)
    widest_work = float(works.radii.max()) if len(works) else 0.0
    widen = distance_m + projects.radii + widest_work + SLACK_M
    boxes = shapely.box(
        project_bounds[:, 0] - widen,
        project_bounds[:, 1] - widen,
        project_bounds[:, 2] + widen,
        project_bounds[:, 3] + widen,
    )
    project_end_plus = add_months(projects.ends, months)
    work_end_plus = add_months(works.ends, months)
    with ThreadPoolExecutor(workers) as pool:
        tree = shapely.STRtree(works.geometries)
        p, w = candidate_pairs(tree, boxes, pool, workers)
        candidates = len(p)
        keep = within_window(
            projects.starts[p], project_end_plus[p], works.starts[w], work_end_plus[w]
        )
        p, w = p[keep], w[keep]
        measured = len(p)
        distance = measure(projects.geometries[p], works.geometries[w], pool, workers)
    distance = np.maximum(distance - projects.radii[p] - works.radii[w], 0.0)
    keep = distance <= distance_m
    p, w, distance = p[keep], w[keep], distance[keep]
    order = np.argsort(p * max(len(works), 1) + w)  # by project, then work
    p, w, distance = p[order], w[order], distance[order]
    relation = classify(projects.starts[p], projects.ends[p], works.starts[w], works.ends[w])
    return Conflicts(
        projects=projects,
        works=works,
        project=p,
        work=w,
        distance_m=distance,
        relation=relation,
        seconds=time.perf_counter() - started,
        candidates=candidates,
        measured=measured,
    )


# --- reading GeoJSON -------------------------------------------------------------------------


def declared_crs(collection: Mapping[str, Any]) -> str | None:
    """The name in a 2008-style `"crs": {"type": "name", "properties": {"name": …}}` member
    (RFC 7946 dropped it; files from older tools still carry it), or None."""
    member = collection.get("crs")
    if not isinstance(member, dict):
        return None
    properties = member.get("properties")
    name = properties.get("name") if isinstance(properties, dict) else None
    return str(name) if name is not None else None


def parse_crs_name(name: str) -> geo.CRS:
    """A CRS name as files write it: "EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:EPSG::4490", "gcj02" …; ValueError when unknown."""
    text = name.strip()
    lowered = text.lower()
    if lowered.startswith("urn:ogc:def:crs:"):
        tail = lowered.rsplit(":", 1)[-1]
        text = "wgs84" if tail == "crs84" else tail
    return geo.CRS.parse(text.replace(":", ""))


def feature_id(feature: Mapping[str, Any], properties: Mapping[str, Any]) -> str | None:
    value = properties.get("id", feature.get("id"))
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def read_date(value: Any, name: str, layer: str, identifier: str, problems: list[Problem]):
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(Problem("missing_date", layer, {"id": identifier, "field": name}))
        return None
    text = str(value).strip()
    try:
        if not ISO_DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem("bad_date", layer, {"id": identifier, "field": name, "value": text})
        )
        return None


def features_from_geojson(
    collection: Any, layer: str, crs: geo.CRS | str | None = None, epsg: str = "EPSG:4547"
) -> Features:
    """A GeoJSON FeatureCollection (parsed JSON) of projects or works → Features in metres.

    Each feature has properties `id` (or the feature's own id), `start` and `end`
    (YYYY-MM-DD); works also `kind`; a project without a boundary is a Point with a `radius`
    (metres). Coordinates are longitude/latitude in `crs`, or in the file's declared `crs`
    member when `crs` is None (default WGS84); a declaration that contradicts a given `crs`
    is refused rather than guessed. Problems are collected and raised together
    (`ConflictInputError`); the geometry rules of `find_conflicts` are checked there."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ConflictInputError([Problem("not_feature_collection", layer)])
    items = collection.get("features")
    if not isinstance(items, list):
        raise ConflictInputError([Problem("not_feature_collection", layer)])
    source = resolve_crs(collection, layer, crs)

    prebuilt = prebuild_geometries(items)
    problems: list[Problem] = []
    unreadable: set[tuple[str, str]] = set()  # (id, "geometry"/"start"/"end") reported here
    ids, geometries, starts, ends, radii, kinds = [], [], [], [], [], []
    for index, feature in enumerate(items):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem("not_a_feature", layer, {"index": index + 1}))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        identifier = feature_id(feature, properties)
        if identifier is None:
            problems.append(Problem("missing_id", layer, {"index": index + 1}))
            continue
        found = len(problems)
        ids.append(identifier)
        built = prebuilt[index]
        geometries.append(
            built
            if built is not None
            else read_geometry(feature.get("geometry"), layer, identifier, problems)
        )
        starts.append(read_date(properties.get("start"), "start", layer, identifier, problems))
        ends.append(read_date(properties.get("end"), "end", layer, identifier, problems))
        radii.append(read_radius(properties.get("radius"), layer, identifier, problems))
        kind = properties.get("kind")
        kinds.append(str(kind).strip() if kind is not None else "")
        unreadable.update((identifier, aspect(problem)) for problem in problems[found:])
    geometries_array = np.empty(len(geometries), dtype=object)
    geometries_array[:] = geometries
    outside = geo.outside_lonlat_range(geometries_array)
    problems += [
        Problem("lonlat_out_of_range", layer, {"id": ids[index]})
        for index in np.flatnonzero(outside).tolist()
    ]
    features = Features.from_arrays(
        layer,
        ids=ids,
        geometries=geometries_array,
        starts=starts,
        ends=ends,
        radii=radii,
        kinds=kinds if layer == "work" else None,
    )
    problems += [
        problem
        for problem in layer_problems(features)
        if (problem.params.get("id"), aspect(problem)) not in unreadable
    ]
    if problems:
        raise ConflictInputError(problems)
    geometries_array = geo.geometries_to_metres(geometries_array, source, epsg)
    return dataclasses.replace(features, geometries=np.asarray(geometries_array, dtype=object))


def aspect(problem: Problem) -> str:
    """What a problem is about, so one field is not reported twice."""
    if problem.code.startswith("geometry_"):
        return "geometry"
    return str(problem.params.get("field", problem.code))


def resolve_crs(collection: Mapping[str, Any], layer: str, crs: geo.CRS | str | None) -> geo.CRS:
    name = declared_crs(collection)
    declared = None
    if name is not None:
        try:
            declared = parse_crs_name(name)
        except ValueError:
            raise ConflictInputError([Problem("unknown_crs", layer, {"crs": name})]) from None
    given = geo.CRS.parse(crs) if isinstance(crs, str) else crs
    if given is not None and declared is not None and geo_family(given) != geo_family(declared):
        raise ConflictInputError(
            [Problem("crs_mismatch", layer, {"declared": declared.value, "given": given.value})]
        )
    return given or declared or geo.CRS.WGS84


def geo_family(crs: geo.CRS) -> geo.CRS:
    """WGS84 and CGCS2000 are interchangeable here (DOMAIN.md "Coordinates")."""
    return geo.CRS.WGS84 if crs is geo.CRS.CGCS2000 else crs


def prebuild_geometries(items: list[Any]) -> np.ndarray:
    """The features' Points and LineStrings with 2-D coordinates (nearly every work), built in
    bulk from one coordinate array (`shapely.points`, `shapely.linestrings` with indices):
    ten times faster than one `shapely.geometry.shape` per feature. None where a feature is
    of another type or its batch does not convert cleanly; `read_geometry` then reads it
    alone and names the exact problem."""
    values = [item.get("geometry") if isinstance(item, dict) else None for item in items]
    result = np.empty(len(values), dtype=object)
    for kind, build in (("Point", bulk_points), ("LineString", bulk_lines)):
        chosen = [
            i
            for i, value in enumerate(values)
            if isinstance(value, dict) and value.get("type") == kind
        ]
        if chosen:
            built = build([values[i].get("coordinates") for i in chosen])
            if built is not None:
                result[chosen] = built
    return result


def bulk_points(coordinates: list[Any]) -> np.ndarray | None:
    try:
        array = np.array(coordinates, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if array.ndim != 2 or array.shape[1] != 2:
        return None
    return shapely.points(array)


def bulk_lines(coordinates: list[Any]) -> np.ndarray | None:
    try:
        lengths = np.array([len(line) for line in coordinates])
        if (lengths < 2).any():
            return None
        flat = np.array(list(itertools.chain.from_iterable(coordinates)), dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if flat.ndim != 2 or flat.shape[1] != 2:
        return None
    return shapely.linestrings(flat, indices=np.repeat(np.arange(len(lengths)), lengths))


def read_geometry(value: Any, layer: str, identifier: str, problems: list[Problem]):
    try:
        return geo.geometry_from_geojson(value)
    except geo.GeometryError as error:
        params: dict[str, Any] = {"id": identifier}
        if error.code == "type":
            params["type"] = error.detail
        elif error.code == "malformed":
            params["detail"] = error.detail
        problems.append(Problem("geometry_" + error.code, layer, params))
        return None


def read_radius(value: Any, layer: str, identifier: str, problems: list[Problem]) -> float:
    if value is None or value == "":
        return 0.0
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        radius = float(value)
    except (TypeError, ValueError):
        problems.append(Problem("bad_radius", layer, {"id": identifier, "value": value}))
        return 0.0
    return radius
