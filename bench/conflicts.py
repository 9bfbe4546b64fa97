"""Dig-once conflicts at national and city scale: anju's engine against PostGIS (`ST_DWithin`
over GiST indexes in EPSG:4547, plus the same date window in SQL).

Instances are generated from a seed (`make_instance`) in EPSG:4547 metres over Wuhan's box
(x 470–600 km, y 3,320–3,470 km, the projection of 113.68–115.09°E, 29.96–31.37°N):
compounds are rotated rectangles with sides of 100–300 m, 5% of them known only as a point
with a radius of 50–150 m; works are polylines of 2–5 vertices and 50–500 m; projects run
90–365 days and works 7–180 days, all inside 2024–2026. National is 220,000 compounds ×
1,000,000 works in that same box (far denser than any real city, so a hard case: about 1.6
million pairs), city 20,000 × 100,000. The rule is 50 m and 12 months.

anju runs in its own subprocess (`python -m bench.conflicts --worker`) from shapely geometry
arrays to the pair arrays, validation included, best of three runs; its peak MB is that
process's peak resident memory (VmHWM), the input geometries included.
PostGIS runs on a throw-away PostgreSQL 15 (initdb in a temporary folder, socket only, fsync
off, 2 parallel workers per gather, as scripts/with-postgres.sh starts one) with the
postgis extension from Debian's postgresql-15-postgis-3 (`scripts/system-deps.sh --bench`
installs it as root). Its two figures: the query alone (the join, its distances, every row
copied out to the client), and load + index + query (COPY of hex EWKB, two GiST indexes,
ANALYZE). The pair sets must be identical; the note says whether they are and the largest
difference between the two distances. Run standalone with `python -m bench.conflicts`, or
through `python -m bench`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

NATIONAL = {"compounds": 220_000, "works": 1_000_000, "seed": 2025}
CITY = {"compounds": 20_000, "works": 100_000, "seed": 2027}
DISTANCE_M = 50.0
MONTHS = 12
X_RANGE = (470_000.0, 600_000.0)
Y_RANGE = (3_320_000.0, 3_470_000.0)
FIRST_DAY = np.datetime64("2024-01-01")
SPAN_DAYS = 1096  # 2024-01-01 … 2026-12-31
POINT_SHARE = 0.05
RUNS = 3  # anju's figure is the best of three
SRID = 4547
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")
ROOT = Path(__file__).resolve().parent.parent


# --- the instance ----------------------------------------------------------------------------


def windows(rng: np.random.Generator, count: int, shortest: int, longest: int):
    duration = rng.integers(shortest, longest + 1, count)
    start = FIRST_DAY + rng.integers(0, SPAN_DAYS - duration).astype("timedelta64[D]")
    return start, start + duration.astype("timedelta64[D]")


def make_instance(compounds: int, works: int, seed: int) -> dict[str, np.ndarray]:
    """Coordinates, radii and dates of one instance, the same for the same arguments."""
    rng = np.random.default_rng(seed)
    centre_x = rng.uniform(*X_RANGE, compounds)
    centre_y = rng.uniform(*Y_RANGE, compounds)
    half_width = rng.uniform(50, 150, compounds)
    half_height = rng.uniform(50, 150, compounds)
    angle = rng.uniform(0, np.pi, compounds)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]], dtype=np.float64)
    dx = corners[None, :, 0] * half_width[:, None]
    dy = corners[None, :, 1] * half_height[:, None]
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    rings = np.stack([centre_x[:, None] + dx * cos - dy * sin,
                      centre_y[:, None] + dx * sin + dy * cos], axis=-1)  # fmt: skip
    is_point = rng.random(compounds) < POINT_SHARE
    radius = np.where(is_point, rng.uniform(50, 150, compounds), 0.0)

    vertices = rng.integers(2, 6, works)
    length = rng.uniform(50, 500, works)
    segments = vertices - 1
    starts = np.concatenate([[0], np.cumsum(vertices)[:-1]])
    owner = np.repeat(np.arange(works), vertices)
    position = np.arange(len(owner)) - starts[owner]
    heading = np.repeat(rng.uniform(0, 2 * np.pi, works), vertices)
    heading = heading + np.cumsum(rng.normal(0, 0.4, len(owner)))
    step = np.where(position > 0, (length / segments)[owner], 0.0)
    step_x = step * np.cos(heading)
    step_y = step * np.sin(heading)
    cumulative_x = np.cumsum(step_x)
    cumulative_y = np.cumsum(step_y)
    base = starts[owner]
    origin_x = np.repeat(rng.uniform(*X_RANGE, works), vertices)
    origin_y = np.repeat(rng.uniform(*Y_RANGE, works), vertices)
    line_x = origin_x + cumulative_x - cumulative_x[base]
    line_y = origin_y + cumulative_y - cumulative_y[base]

    project_start, project_end = windows(rng, compounds, 90, 365)
    work_start, work_end = windows(rng, works, 7, 180)
    return {
        "rings": rings,
        "is_point": is_point,
        "radius": radius,
        "line_x": line_x,
        "line_y": line_y,
        "line_owner": owner,
        "project_start": project_start,
        "project_end": project_end,
        "work_start": work_start,
        "work_end": work_end,
    }


def geometries(data: dict[str, np.ndarray]):
    """(project geometries, work geometries) as shapely arrays."""
    import shapely

    rings = data["rings"]
    polygons = shapely.polygons(rings)
    centres = shapely.points(rings[:, :4].mean(axis=1))
    projects = np.where(data["is_point"], centres, polygons)
    works = shapely.linestrings(
        np.column_stack([data["line_x"], data["line_y"]]), indices=data["line_owner"]
    )
    return projects, works


def features(data: dict[str, np.ndarray]):
    from anju.engine.conflicts import Features

    projects, works = geometries(data)
    count, lines = len(projects), len(works)
    return (
        Features.from_arrays(
            "project",
            ids=np.array([f"P{i:06d}" for i in range(count)], dtype=object),
            geometries=projects,
            starts=data["project_start"],
            ends=data["project_end"],
            radii=data["radius"],
        ),
        Features.from_arrays(
            "work",
            ids=np.array([f"W{i:07d}" for i in range(lines)], dtype=object),
            geometries=works,
            starts=data["work_start"],
            ends=data["work_end"],
            kinds=np.full(lines, "给水", dtype=object),
        ),
    )


# --- anju ------------------------------------------------------------------------------------


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    over from the parent through fork and exec, so a small worker started by a big parent
    would report the parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(path: str, out: str) -> dict:
    from anju.engine.conflicts import find_conflicts

    with np.load(path) as stored:
        data = {key: stored[key] for key in stored.files}
    projects, works = features(data)
    del data
    seconds = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        result = find_conflicts(projects, works, distance_m=DISTANCE_M, months=MONTHS)
        seconds = min(seconds, time.perf_counter() - start)
    np.savez(out, project=result.project, work=result.work, distance=result.distance_m)
    return {
        "seconds": seconds,
        "pairs": len(result),
        "candidates": result.candidates,
        "measured": result.measured,
        "counts": result.counts(),
        "peak_mb": peak_mb(),
    }


def measure_anju(path: Path, out: Path) -> dict:
    command = [sys.executable, "-m", "bench.conflicts", "--worker", str(path), str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("WORKER "):
            return json.loads(line[len("WORKER ") :])
    raise RuntimeError(f"anju failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


# --- PostGIS ---------------------------------------------------------------------------------


def postgis_missing() -> str | None:
    """Why PostGIS cannot run here, or None."""
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL 15 not found in {PG_BIN}"
    if not POSTGIS_CONTROL.exists():
        return (
            "PostGIS is not installed (Debian postgresql-15-postgis-3; "
            "`scripts/system-deps.sh --bench` installs it as root)"
        )
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def postgis_server() -> Iterator[dict]:
    """A throw-away PostgreSQL 15 with PostGIS: connection keywords, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="anju-postgis-"))
    as_postgres = []
    if os.geteuid() == 0:  # initdb refuses root
        shutil.chown(folder, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    port = free_port()
    settings = (
        f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=2GB "
        "-c work_mem=256MB -c maintenance_work_mem=1GB -c max_wal_size=8GB "
        "-c max_parallel_workers_per_gather=2 -c jit=off"
    )
    try:
        subprocess.run(
            [*as_postgres, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust",
             "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l",
             str(folder / "server.log"), "-w", "-o", settings, "start"],
            check=True, capture_output=True,
        )  # fmt: skip
        yield {"host": str(folder), "port": port, "user": "postgres", "dbname": "postgres"}
    finally:
        subprocess.run(
            [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def copy_text(columns: list[np.ndarray]) -> bytes:
    """Tab-separated COPY text of parallel columns (all already strings)."""
    return ("\n".join("\t".join(row) for row in zip(*columns, strict=True)) + "\n").encode()


def postgis_rows(data: dict[str, np.ndarray]) -> tuple[bytes, bytes]:
    """The COPY text of the projects and works tables: id, hex EWKB, (radius), dates."""
    import shapely

    projects, works = geometries(data)
    projects = shapely.set_srid(projects, SRID)
    works = shapely.set_srid(works, SRID)
    project_text = copy_text([
        np.arange(len(projects)).astype(str),
        shapely.to_wkb(projects, hex=True, include_srid=True).astype(str),
        data["radius"].astype(str),
        np.datetime_as_string(data["project_start"]),
        np.datetime_as_string(data["project_end"]),
    ])  # fmt: skip
    work_text = copy_text([
        np.arange(len(works)).astype(str),
        shapely.to_wkb(works, hex=True, include_srid=True).astype(str),
        np.datetime_as_string(data["work_start"]),
        np.datetime_as_string(data["work_end"]),
    ])  # fmt: skip
    return project_text, work_text


QUERY = f"""
SELECT p.id, w.id, GREATEST(ST_Distance(p.geom, w.geom) - p.radius, 0)
FROM projects p JOIN works w ON ST_DWithin(p.geom, w.geom, {DISTANCE_M} + p.radius)
WHERE w.start_date <= (p.end_date + interval '{MONTHS} months')::date
  AND p.start_date <= (w.end_date + interval '{MONTHS} months')::date
"""  # noqa: S608  (constants only)


def load(connection, project_text: bytes, work_text: bytes) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cursor.execute(
            f"CREATE TABLE projects (id integer PRIMARY KEY, geom geometry(Geometry, {SRID}), "
            "radius double precision, start_date date, end_date date)"
        )
        cursor.execute(
            f"CREATE TABLE works (id integer PRIMARY KEY, geom geometry(LineString, {SRID}), "
            "start_date date, end_date date)"
        )
        for table, text in (("projects", project_text), ("works", work_text)):
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for offset in range(0, len(text), 1 << 24):
                    copy.write(text[offset : offset + (1 << 24)])
        cursor.execute("CREATE INDEX ON projects USING gist (geom)")
        cursor.execute("CREATE INDEX ON works USING gist (geom)")
        cursor.execute("ANALYZE projects")
        cursor.execute("ANALYZE works")
    connection.commit()


def query(connection) -> bytes:
    buffer = io.BytesIO()
    with connection.cursor() as cursor, cursor.copy(f"COPY ({QUERY}) TO STDOUT") as copy:
        for block in copy:
            buffer.write(block)
    return buffer.getvalue()


def measure_postgis(data: dict[str, np.ndarray]) -> dict:
    import psycopg

    project_text, work_text = postgis_rows(data)
    with postgis_server() as keywords, psycopg.connect(**keywords) as connection:
        with connection.cursor() as cursor:
            version = " ".join(cursor.execute("SELECT version()").fetchone()[0].split()[:2])
        start = time.perf_counter()
        load(connection, project_text, work_text)
        loaded = time.perf_counter() - start
        with connection.cursor() as cursor:
            postgis = cursor.execute("SELECT postgis_lib_version()").fetchone()[0]
        start = time.perf_counter()
        text = query(connection)
        seconds = time.perf_counter() - start
    rows = np.loadtxt(io.BytesIO(text), dtype=np.float64, ndmin=2) if text else np.zeros((0, 3))
    return {
        "seconds": seconds,
        "load_seconds": loaded,
        "project": rows[:, 0].astype(np.int64),
        "work": rows[:, 1].astype(np.int64),
        "distance": rows[:, 2],
        "version": f"{version} + PostGIS {postgis}",
    }


# --- the rows --------------------------------------------------------------------------------


def compare(anju_pairs: dict[str, np.ndarray], postgis: dict, works: int) -> str:
    """Whether the two pair sets are identical, and the largest distance difference."""
    ours = anju_pairs["project"] * works + anju_pairs["work"]
    theirs = postgis["project"] * works + postgis["work"]
    ours_order, theirs_order = np.argsort(ours), np.argsort(theirs)
    if not np.array_equal(ours[ours_order], theirs[theirs_order]):
        missing = np.setdiff1d(theirs, ours).size
        extra = np.setdiff1d(ours, theirs).size
        return f"pair sets DIFFER: {missing} only in PostGIS, {extra} only in anju"
    difference = np.abs(anju_pairs["distance"][ours_order] - postgis["distance"][theirs_order]).max(
        initial=0.0
    )
    return f"pair sets identical, max |Δdistance| {difference:.1e} m"


def instance_rows(name: str, spec: dict, folder: Path, missing: str | None) -> dict:
    data = make_instance(**spec)
    path = folder / f"{name}.npz"
    out = folder / f"{name}-pairs.npz"
    np.savez(path, **data)
    anju = measure_anju(path, out)
    counts = ", ".join(f"{value:,} {key}" for key, value in anju["counts"].items())
    size = f"{spec['compounds']:,} compounds × {spec['works']:,} works"
    text = (
        f"{anju['pairs']:,} pairs ({counts}) within {DISTANCE_M:g} m and {MONTHS} months; "
        f"{anju['candidates']:,} envelope hits, {anju['measured']:,} measured after the window"
    )
    row = {
        "workload": f"conflicts {name}",
        "size": size,
        "anju": round(anju["seconds"], 3),
        "peak_mb": round(anju["peak_mb"], 1),
    }
    if missing:
        return {**row, "anchor": "not run", "anchor_name": "PostGIS", "ratio": "",
                "note": f"{text}; PostGIS not run: {missing}"}  # fmt: skip
    try:
        postgis = measure_postgis(data)
    except Exception as error:  # psycopg, initdb, pg_ctl …: the row reports what failed
        return {**row, "anchor": "failed", "anchor_name": "PostGIS", "ratio": "",
                "note": f"{text}; the PostGIS run failed: {error!r}"}  # fmt: skip
    with np.load(out) as stored:
        pairs = {key: stored[key] for key in stored.files}
    total = postgis["seconds"] + postgis["load_seconds"]
    return {
        **row,
        "anchor": round(postgis["seconds"], 3),
        "anchor_name": f"{postgis['version']}: ST_DWithin + GiST in EPSG:{SRID}, query alone",
        "ratio": round(anju["seconds"] / postgis["seconds"], 3),
        "note": (
            f"{text}; {compare(pairs, postgis, spec['works'])}; PostGIS with COPY load + GiST "
            f"+ ANALYZE {total:.1f} s (load {postgis['load_seconds']:.1f} s), "
            f"anju/that {anju['seconds'] / total:.3f}"
        ),
    }


def run() -> list[dict]:
    missing = postgis_missing()
    with tempfile.TemporaryDirectory(prefix="anju-bench-") as folder:
        return [
            instance_rows("national", NATIONAL, Path(folder), missing),
            instance_rows("city", CITY, Path(folder), missing),
        ]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print("WORKER " + json.dumps(worker(sys.argv[2], sys.argv[3])))
    else:
        for line in run():
            print(line)
