"""Contiguous renovation (连片改造): which neighbouring compounds should be renovated as one
package (one Project)?

The rule (DOMAIN.md "Process": adjacent compounds packaged, the community or area as the unit;
model project (point) – beautiful street (line) – area (surface))
    * Two compounds are neighbours when they touch or lie within D metres of each other
      (default 100: anju's own default, no published figure was found) and share the same
      grouping key, the street (街道) or community (社区) chosen by the caller: a package never
      crosses that boundary. Distances are between footprints in metres of a projected CRS
      (EPSG:4547 for Wuhan); a compound without a surveyed boundary is the disc of its
      `radius_m` around its point: max(0, d − r_a − r_b) ≤ D.
    * A package is a connected set of neighbours: every member is linked to every other by a
      chain of neighbours, so the works can move from one compound to the next.
    * Caps: a package holds at most `max_households` households and costs at most
      `max_cost` yuan (either may be None: no cap). A compound that alone exceeds a cap
      cannot be split: it is a package of its own, flagged `is_over_cap`.
    * Level: "single" for one compound; for more, "area" (a surface) when there are at least
      three members and their hull, the convex hull of the members' footprints, is no more
      than three times as long as it is wide (short side ÷ long side of its minimum rotated
      rectangle ≥ 1/3); otherwise "street" (two compounds, or a chain along a line).

How packages are formed
    1. Neighbours: one STRtree over the footprints, queried with every footprint at once
       (`STRtree.query(..., predicate="dwithin")`, distance D + its radius + the largest
       radius), then `shapely.distance` keeps the pairs within D after the radii and in the
       same group. O(n log n + k) for k candidate pairs.
    2. Connected components of that graph by breadth-first search (O(n + e)).
    3. A component within both caps is one package. A larger one is split into contiguous
       pieces by greedy growth: the piece starts from the first compound not yet packaged
       (by group, then id) and grows breadth-first along the neighbour graph, neighbours in
       id order, taking each compound that still fits both caps and skipping one that does
       not (it waits for a later piece); when nothing more fits, the next piece starts. Each
       piece is connected because a compound joins only through a neighbour already in it.
       O(p · (n_c + e_c)) for a component of n_c compounds, e_c links and p pieces.
    Greedy growth is not an optimal partition (fewest packages); it is simple to explain and
    never breaks a cap or contiguity. A 5,000-compound city takes well under a second
    (`bench/packaging.py`).

The answer does not depend on the input order: compounds are ordered by (group, id) first,
packages come sorted by (group, first member id), members by id, and a package's id is
"PKG-" and its first member's id (each compound is in exactly one package). Money is Decimal.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import shapely

DEFAULT_DISTANCE_M = 100.0
AREA_MIN_MEMBERS = 3
AREA_MIN_ASPECT = 1 / 3  # short side ÷ long side of the hull's minimum rotated rectangle
SLACK_M = 1e-6
POINT_TYPES = (0, 4)  # shapely type ids of Point and MultiPoint
SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class Compound:
    """A compound's footprint in metres (its boundary, or a point with `radius_m`), the
    grouping key packages must not cross (street or community), households and cost."""

    id: str
    geometry: Any
    group: str
    households: int
    cost: Decimal
    radius_m: float = 0.0


@dataclass(frozen=True)
class Package:
    id: str
    group: str
    members: tuple[str, ...]
    households: int
    cost: Decimal
    level: str
    hull: Any
    is_over_cap: bool = False


# --- problems --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


class PackagingInputError(ValueError):
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
        "bad_distance": "距离应为非负数，不能是“{value}”。",
        "bad_max_households": "每包户数上限应为正整数，不能是“{value}”。",
        "bad_max_cost": "每包投资上限应为正数，不能是“{value}”。",
        "missing_id": "第{index}个小区没有编号。",
        "duplicate_id": "小区编号“{id}”重复（共{count}次）。",
        "missing_group": "小区“{id}”没有所属街道或社区。",
        "bad_households": "小区“{id}”的户数应为非负整数，不能是“{value}”。",
        "bad_cost": "小区“{id}”的投资额应为非负数，不能是“{value}”。",
        "geometry_missing": "小区“{id}”没有几何图形。",
        "geometry_empty": "小区“{id}”的几何图形为空。",
        "geometry_invalid": "小区“{id}”的几何图形无效：{reason}。",
        "point_needs_radius": "小区“{id}”只有点位、没有边界，须给出大于0的半径（米）。",
        "bad_radius": "小区“{id}”的半径应为非负数，不能是“{value}”。",
    },
    "en": {
        "bad_distance": "The distance must be a non-negative number, not {value}.",
        "bad_max_households": "The household cap must be a positive integer, not {value}.",
        "bad_max_cost": "The cost cap must be a positive number, not {value}.",
        "missing_id": "Compound {index} has no id.",
        "duplicate_id": "The compound id {id} appears {count} times.",
        "missing_group": "The compound {id} has no street or community.",
        "bad_households": "The households of {id} must be a non-negative integer, not {value}.",
        "bad_cost": "The cost of {id} must be a non-negative number, not {value}.",
        "geometry_missing": "The compound {id} has no geometry.",
        "geometry_empty": "The geometry of the compound {id} is empty.",
        "geometry_invalid": "The geometry of the compound {id} is invalid: {reason}.",
        "point_needs_radius": (
            "The compound {id} is a point without a boundary: give it a radius above 0 metres."
        ),
        "bad_radius": "The radius of the compound {id} must be non-negative, not {value}.",
    },
}


def render(problem: Problem, language: str = "zh") -> str:
    """One problem as a sentence in Chinese ("zh") or English ("en")."""
    templates = TEMPLATES["en" if language.lower().startswith("en") else "zh"]
    return templates[problem.code].format(**problem.params)


def explain(error: PackagingInputError, language: str = "zh") -> list[str]:
    return [render(problem, language) for problem in error.problems]


def as_decimal(value: Any) -> Decimal | None:
    """A non-negative finite Decimal, or None."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() and number >= 0 else None


def parameter_problems(distance_m: Any, max_households: Any, max_cost: Any) -> list[Problem]:
    problems = []
    if isinstance(distance_m, bool) or not (
        isinstance(distance_m, int | float) and np.isfinite(distance_m) and distance_m >= 0
    ):
        problems.append(Problem("bad_distance", {"value": distance_m}))
    if max_households is not None and (
        isinstance(max_households, bool)
        or not isinstance(max_households, int)
        or max_households < 1
    ):
        problems.append(Problem("bad_max_households", {"value": max_households}))
    if max_cost is not None and not as_decimal(max_cost):
        problems.append(Problem("bad_max_cost", {"value": max_cost}))
    return problems


def compound_problems(rows: Sequence[Compound]) -> list[Problem]:
    """Ids, groups, households, costs, then geometries and radii (GEOS's reason)."""
    problems = []
    ids = [row.id for row in rows]
    for index, row in enumerate(rows):
        if not isinstance(row.id, str) or not row.id.strip():
            problems.append(Problem("missing_id", {"index": index + 1}))
    problems += [
        Problem("duplicate_id", {"id": identifier, "count": count})
        for identifier, count in sorted(Counter(ids).items(), key=lambda item: str(item[0]))
        if count > 1 and isinstance(identifier, str) and identifier.strip()
    ]
    for row in rows:
        if not isinstance(row.group, str) or not row.group.strip():
            problems.append(Problem("missing_group", {"id": row.id}))
        if (
            isinstance(row.households, bool)
            or not isinstance(row.households, int | np.integer)
            or (row.households < 0)
        ):
            problems.append(Problem("bad_households", {"id": row.id, "value": row.households}))
        if as_decimal(row.cost) is None:
            problems.append(Problem("bad_cost", {"id": row.id, "value": row.cost}))
    geometries = np.array([row.geometry for row in rows] or [], dtype=object)
    radii = np.array([row.radius_m for row in rows], dtype=np.float64)
    missing = shapely.is_missing(geometries)
    empty = ~missing & shapely.is_empty(geometries)
    invalid = ~missing & ~empty & ~shapely.is_valid(geometries)
    bad_radius = ~np.isfinite(radii) | (radii < 0)
    points = np.isin(shapely.get_type_id(geometries), POINT_TYPES) & ~bad_radius & (radii <= 0)
    for index, row in enumerate(rows):
        if missing[index]:
            problems.append(Problem("geometry_missing", {"id": row.id}))
        elif empty[index]:
            problems.append(Problem("geometry_empty", {"id": row.id}))
        elif invalid[index]:
            reason = shapely.is_valid_reason(row.geometry)
            problems.append(Problem("geometry_invalid", {"id": row.id, "reason": reason}))
        if bad_radius[index]:
            problems.append(Problem("bad_radius", {"id": row.id, "value": row.radius_m}))
        elif points[index] and not (missing[index] or empty[index]):
            problems.append(Problem("point_needs_radius", {"id": row.id}))
    return problems


# --- the neighbour graph ---------------------------------------------------------------------


def neighbour_pairs(
    geometries: np.ndarray, radii: np.ndarray, groups: np.ndarray, distance_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) with i < j for every two footprints within `distance_m` after their radii and
    in the same group."""
    if len(geometries) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    tree = shapely.STRtree(geometries)
    reach = distance_m + radii + radii.max() + SLACK_M
    first, second = tree.query(geometries, predicate="dwithin", distance=reach)
    keep = (first < second) & (groups[first] == groups[second])
    first, second = first[keep], second[keep]
    gap = shapely.distance(geometries[first], geometries[second]) - radii[first] - radii[second]
    keep = gap <= distance_m
    return first[keep].astype(np.int64), second[keep].astype(np.int64)


def adjacency(count: int, first: np.ndarray, second: np.ndarray) -> list[list[int]]:
    """Neighbour lists, each in ascending order."""
    source = np.concatenate([first, second])
    target = np.concatenate([second, first])
    order = np.lexsort((target, source))
    source, target = source[order], target[order]
    bounds = np.searchsorted(source, np.arange(count + 1))
    targets = target.tolist()
    return [targets[bounds[i] : bounds[i + 1]] for i in range(count)]


def components(neighbours: list[list[int]]) -> list[list[int]]:
    """Connected components, each sorted, in the order of their smallest member."""
    seen = [False] * len(neighbours)
    found = []
    for start in range(len(neighbours)):
        if seen[start]:
            continue
        seen[start] = True
        members, queue = [start], deque([start])
        while queue:
            for other in neighbours[queue.popleft()]:
                if not seen[other]:
                    seen[other] = True
                    members.append(other)
                    queue.append(other)
        found.append(sorted(members))
    return found


# --- caps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caps:
    households: int | None = None
    cost: Decimal | None = None

    def fit(self, households: int, cost: Decimal) -> bool:
        return (self.households is None or households <= self.households) and (
            self.cost is None or cost <= self.cost
        )


def grow_pieces(
    members: list[int],
    neighbours: list[list[int]],
    households: list[int],
    costs: list[Decimal],
    caps: Caps,
) -> list[list[int]]:
    """A component split into contiguous pieces within the caps by greedy breadth-first
    growth (see the module)."""
    if caps.fit(sum(households[m] for m in members), sum((costs[m] for m in members), Decimal())):
        return [members]
    remaining = set(members)
    pieces = []
    for seed in members:
        if seed not in remaining:
            continue
        piece, total_households, total_cost = [seed], households[seed], costs[seed]
        remaining.discard(seed)
        queued = {seed}
        queue = deque(n for n in neighbours[seed] if n in remaining)
        queued.update(queue)
        while queue:
            candidate = queue.popleft()
            if not caps.fit(
                total_households + households[candidate], total_cost + costs[candidate]
            ):
                continue
            piece.append(candidate)
            remaining.discard(candidate)
            total_households += households[candidate]
            total_cost += costs[candidate]
            for other in neighbours[candidate]:
                if other in remaining and other not in queued:
                    queued.add(other)
                    queue.append(other)
        pieces.append(sorted(piece))
    return pieces


# --- packages --------------------------------------------------------------------------------


def footprint(geometry: Any, radius: float):
    return shapely.buffer(geometry, radius) if radius > 0 else geometry


def level_of(count: int, hull: Any) -> str:
    if count == 1:
        return "single"
    if count < AREA_MIN_MEMBERS or hull.geom_type != "Polygon":
        return "street"
    corners = np.asarray(shapely.oriented_envelope(hull).exterior.coords)[:3]
    sides = np.hypot(*np.diff(corners, axis=0).T)
    short, long = sorted(sides.tolist())
    return "area" if long > 0 and short / long >= AREA_MIN_ASPECT else "street"


def packages_from_pairs(
    rows: Sequence[Compound],
    first: np.ndarray,
    second: np.ndarray,
    *,
    max_households: int | None = None,
    max_cost: Decimal | int | str | None = None,
) -> list[Package]:
    """Packages of `rows` (already in (group, id) order) given their neighbour pairs: steps
    2 and 3 of the module and the packages' totals, levels and hulls."""
    caps = Caps(max_households, None if max_cost is None else as_decimal(max_cost))
    households = [int(row.households) for row in rows]
    costs = [as_decimal(row.cost) or Decimal() for row in rows]
    neighbours = adjacency(len(rows), first, second)
    packages = []
    for component in components(neighbours):
        for piece in grow_pieces(component, neighbours, households, costs, caps):
            parts = [footprint(rows[m].geometry, rows[m].radius_m) for m in piece]
            hull = shapely.convex_hull(shapely.GeometryCollection(parts))
            total_households = sum(households[m] for m in piece)
            total_cost = sum((costs[m] for m in piece), Decimal())
            packages.append(
                Package(
                    id="PKG-" + rows[piece[0]].id,
                    group=rows[piece[0]].group,
                    members=tuple(rows[m].id for m in piece),
                    households=total_households,
                    cost=total_cost,
                    level=level_of(len(piece), hull),
                    hull=hull,
                    is_over_cap=not caps.fit(total_households, total_cost),
                )
            )
    packages.sort(key=lambda package: (package.group, package.members[0]))
    return packages


def ordered(compounds: Iterable[Compound]) -> list[Compound]:
    """The compounds in (group, id) order, the order every step works in."""
    return sorted(compounds, key=lambda row: (str(row.group), str(row.id)))


def propose_packages(
    compounds: Iterable[Compound],
    *,
    distance_m: float = DEFAULT_DISTANCE_M,
    max_households: int | None = None,
    max_cost: Decimal | int | str | None = None,
) -> list[Package]:
    """Contiguous packages of neighbouring compounds of one group within the caps (see the
    module). Raises `PackagingInputError` naming every bad compound."""
    rows = ordered(compounds)
    problems = parameter_problems(distance_m, max_households, max_cost)
    problems += compound_problems(rows)
    if problems:
        raise PackagingInputError(problems)
    geometries = np.array([row.geometry for row in rows] or [], dtype=object)
    radii = np.array([row.radius_m for row in rows], dtype=np.float64)
    groups = np.array([row.group for row in rows], dtype=object)
    first, second = neighbour_pairs(geometries, radii, groups, float(distance_m))
    return packages_from_pairs(
        rows, first, second, max_households=max_households, max_cost=max_cost
    )
