"""Contiguous-renovation packages for a 5,000-compound city: anju's engine against a naive
O(n²) neighbour search.

The city is generated from a seed (`make_city`) in EPSG:4547 metres: 5,000 compounds in a
30 km × 30 km core around x 528 km, y 3,381 km (central Wuhan), rotated rectangles with sides
of 100–300 m, 5% known only as a point with a radius of 50–150 m, each in the street (街道)
of its 2 km × 2 km grid cell (225 streets); households log-normal around 400 (50–2,000), cost
2.5–4万元 a household. Packages: neighbours within 100 m in one street, at most 3,000
households and 1亿元 (100,000,000 yuan) a package.

The anchor is the straightforward neighbour search, O(n²): `shapely.distance` from each
compound to every later one (one vectorised call a row, n(n−1)/2 distances), keeping the
pairs of one street within 100 m after the radii, then the same components and cap splitting
as anju (`packages_from_pairs`), so the rows differ only in how the neighbours are found.
The two package lists must be identical; the note says whether they are. Times are the best
of three; peak MB is this process's ru_maxrss. Run standalone with
`python -m bench.packaging`, or through `python -m bench`.
"""

from __future__ import annotations

import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

COMPOUNDS = 5_000
SEED = 2026
SIDE_M = 30_000.0
CELL_M = 2_000.0
CENTRE = (528_000.0, 3_381_000.0)
DISTANCE_M = 100.0
MAX_HOUSEHOLDS = 3_000
MAX_COST = Decimal(100_000_000)
ROOT = Path(__file__).resolve().parent.parent


def make_city(count: int = COMPOUNDS, seed: int = SEED):
    """The compounds of one city, the same for the same arguments."""
    import shapely

    from anju.engine.packaging import Compound

    rng = np.random.default_rng(seed)
    x = CENTRE[0] - SIDE_M / 2 + rng.uniform(0, SIDE_M, count)
    y = CENTRE[1] - SIDE_M / 2 + rng.uniform(0, SIDE_M, count)
    half_width = rng.uniform(50, 150, count)
    half_height = rng.uniform(50, 150, count)
    angle = rng.uniform(0, np.pi, count)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]], dtype=np.float64)
    dx = corners[None, :, 0] * half_width[:, None]
    dy = corners[None, :, 1] * half_height[:, None]
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    rings = np.stack([x[:, None] + dx * cos - dy * sin, y[:, None] + dx * sin + dy * cos], -1)
    polygons = shapely.polygons(rings)
    is_point = rng.random(count) < 0.05
    radius = np.where(is_point, rng.uniform(50, 150, count), 0.0)
    columns = int(SIDE_M // CELL_M) + 1
    cell = ((x - x.min()) // CELL_M).astype(int) + columns * ((y - y.min()) // CELL_M).astype(int)
    households = np.clip(rng.lognormal(np.log(400), 0.6, count), 50, 2000).astype(int)
    per_household = rng.uniform(25_000, 40_000, count).round(-2)
    return [
        Compound(
            id=f"C{index:05d}",
            geometry=shapely.Point(x[index], y[index]) if is_point[index] else polygons[index],
            group=f"S{cell[index]:03d}",
            households=int(households[index]),
            cost=Decimal(int(households[index] * per_household[index])),
            radius_m=float(radius[index]),
        )
        for index in range(count)
    ]


def naive_pairs(rows, distance_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Every pair within `distance_m` in one group, by measuring all n(n−1)/2 distances."""
    import shapely

    geometries = np.array([row.geometry for row in rows], dtype=object)
    radii = np.array([row.radius_m for row in rows])
    groups = np.array([row.group for row in rows], dtype=object)
    first, second = [], []
    for index in range(len(rows) - 1):
        gap = shapely.distance(geometries[index], geometries[index + 1 :])
        gap -= radii[index] + radii[index + 1 :]
        near = np.flatnonzero((gap <= distance_m) & (groups[index + 1 :] == groups[index]))
        first.append(np.full(len(near), index))
        second.append(near + index + 1)
    return np.concatenate(first).astype(np.int64), np.concatenate(second).astype(np.int64)


def naive_packages(rows):
    from anju.engine.packaging import ordered, packages_from_pairs

    rows = ordered(rows)
    first, second = naive_pairs(rows, DISTANCE_M)
    return packages_from_pairs(
        rows, first, second, max_households=MAX_HOUSEHOLDS, max_cost=MAX_COST
    )


def best_of(work, runs: int = 3):
    best, answer = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        answer = work()
        best = min(best, time.perf_counter() - start)
    return best, answer


def run() -> list[dict]:
    from anju.engine.packaging import propose_packages

    rows = make_city()
    anju, packages = best_of(
        lambda: propose_packages(
            rows, distance_m=DISTANCE_M, max_households=MAX_HOUSEHOLDS, max_cost=MAX_COST
        )
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    anchor, expected = best_of(lambda: naive_packages(rows), runs=1)
    same = [(p.id, p.members, p.level) for p in packages] == [
        (p.id, p.members, p.level) for p in expected
    ]
    levels = {name: sum(p.level == name for p in packages) for name in ("single", "street", "area")}
    uncapped = len(propose_packages(rows, distance_m=DISTANCE_M))
    note = (
        f"{len(packages):,} packages ({levels['single']:,} single, {levels['street']:,} street, "
        f"{levels['area']:,} area; largest {max(len(p.members) for p in packages)} compounds; "
        f"{uncapped:,} before the caps split them, {sum(p.is_over_cap for p in packages)} "
        f"over a cap alone); {'identical to' if same else 'DIFFERENT from'} the anchor's"
    )
    streets = len({row.group for row in rows})
    return [
        {
            "workload": "packaging city",
            "size": f"{len(rows):,} compounds, {streets} streets",
            "anju": round(anju, 3),
            "anchor": round(anchor, 3),
            "anchor_name": (
                "naive O(n²) neighbour search (shapely.distance to every later compound) "
                "+ the same components and split"
            ),
            "ratio": round(anju / anchor, 4),
            "peak_mb": round(peak, 1),
            "note": note,
        }
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for line in run():
        print(line)
