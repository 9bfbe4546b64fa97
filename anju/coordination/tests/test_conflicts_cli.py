"""`anju conflicts`: two GeoJSON files in, the dig-once pairs as JSON out, no database."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pyproj import Geod

from anju.engine.geo import wgs84_to_gcj02_arrays

ROOT = Path(__file__).resolve().parents[3]
GEOD = Geod(ellps="WGS84")
LON, LAT = 114.3027, 30.5446  # 黄鹤楼


def moved(lon, lat, east_m=0.0, north_m=0.0):
    """The point `east_m` metres east and `north_m` metres north of (lon, lat)."""
    if east_m:
        lon, lat, _ = GEOD.fwd(lon, lat, 90, east_m)
    if north_m:
        lon, lat, _ = GEOD.fwd(lon, lat, 0, north_m)
    return [lon, lat]


def compound(east_m=0.0):
    """A compound of about 100 m × 100 m, its south-west corner `east_m` metres east."""
    ring = [
        moved(LON, LAT, east_m),
        moved(LON, LAT, east_m + 100),
        moved(LON, LAT, east_m + 100, 100),
        moved(LON, LAT, east_m, 100),
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def pipe(east_m):
    """A north–south pipe `east_m` metres east of the corner, 200 m long."""
    return {
        "type": "LineString",
        "coordinates": [moved(LON, LAT, east_m, -50), moved(LON, LAT, east_m, 150)],
    }


def feature(geometry, **properties):
    return {"type": "Feature", "geometry": geometry, "properties": properties}


PROJECTS = [
    feature(compound(), id="JA-001", start="2025-03-01", end="2025-06-30"),
    feature(
        {"type": "Point", "coordinates": moved(LON, LAT, 2000)},
        id="JA-002", radius=60, start="2025-03-01", end="2025-06-30",
    ),
]  # fmt: skip
WORKS = [  # metres east of JA-001's west edge; its east edge is at 100
    feature(pipe(130), id="GAS-7", kind="燃气", start="2025-05-01", end="2025-05-31"),
    feature(pipe(140), id="POWER-1", kind="电力", start="2024-03-01", end="2024-12-31"),
    feature(pipe(145), id="WATER-3", kind="给水", start="2026-06-30", end="2026-08-01"),
    feature(pipe(120), id="LATE-2", kind="给水", start="2026-07-01", end="2026-08-01"),
    feature(pipe(155), id="FAR-1", kind="通信", start="2025-05-01", end="2025-05-31"),
    feature(pipe(2100), id="ROAD-9", kind="道路", start="2025-09-01", end="2025-10-31"),
]
EXPECTED = [
    {"project": "JA-001", "work": "GAS-7", "distance_m": 30.0, "relation": "overlap"},
    {"project": "JA-001", "work": "POWER-1", "distance_m": 40.0, "relation": "before"},
    {"project": "JA-001", "work": "WATER-3", "distance_m": 45.0, "relation": "after"},
    {"project": "JA-002", "work": "ROAD-9", "distance_m": 40.0, "relation": "after"},
]


def write(path: Path, features, crs=None) -> Path:
    data = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def files(tmp_path, projects=PROJECTS, works=WORKS, crs=None):
    return (
        write(tmp_path / "projects.geojson", projects, crs),
        write(tmp_path / "works.geojson", works, crs),
    )


def conflicts(projects: Path, works: Path, *extra: str) -> dict:
    stdout = StringIO()
    call_command("conflicts", "--projects", str(projects), "--works", str(works), *extra,
                 stdout=stdout)  # fmt: skip
    return json.loads(stdout.getvalue())


def rejection(projects: Path, works: Path, *extra: str) -> str:
    with pytest.raises(CommandError) as caught:
        conflicts(projects, works, *extra)
    return str(caught.value)


def test_the_pairs_within_50_metres_and_12_months_with_their_relation(tmp_path):
    """GAS-7 is dug while JA-001 is renovated: one trench. POWER-1 ends two months before
    it starts: sequence them. WATER-3 starts exactly 12 months after it ends: it would dig up
    the renewed compound. LATE-2 starts a day later, FAR-1 is 55 m away. JA-002 has no
    boundary: a point with a 60 m radius, 100 m from ROAD-9."""
    answer = conflicts(*files(tmp_path))
    assert answer["pairs"] == EXPECTED
    assert answer["seconds"] >= 0


def test_distance_and_months_are_options(tmp_path):
    projects, works = files(tmp_path)
    assert [p["work"] for p in conflicts(projects, works, "--distance", "35")["pairs"]] == ["GAS-7"]
    assert [p["work"] for p in conflicts(projects, works, "--months", "0")["pairs"]] == ["GAS-7"]
    wider = conflicts(projects, works, "--distance", "56", "--months", "13")["pairs"]
    assert {p["work"] for p in wider} == {"GAS-7", "POWER-1", "WATER-3", "LATE-2", "FAR-1",
                                          "ROAD-9"}  # fmt: skip


def test_out_writes_the_answer_to_a_file(tmp_path):
    projects, works = files(tmp_path)
    out = tmp_path / "result.json"
    stdout = StringIO()
    call_command("conflicts", "--projects", str(projects), "--works", str(works),
                 "--out", str(out), stdout=stdout)  # fmt: skip
    assert stdout.getvalue() == ""
    assert json.loads(out.read_text(encoding="utf-8"))["pairs"] == EXPECTED


def to_gcj02(features):
    """The same features with every coordinate shifted into GCJ-02 (as AMap shows them)."""

    def shift(coordinates):
        if isinstance(coordinates[0], float | int):
            lon, lat = wgs84_to_gcj02_arrays([coordinates[0]], [coordinates[1]])
            return [float(lon[0]), float(lat[0])]
        return [shift(part) for part in coordinates]

    return [
        {**f, "geometry": {**f["geometry"], "coordinates": shift(f["geometry"]["coordinates"])}}
        for f in features
    ]


def test_amap_coordinates_give_the_same_pairs_when_declared(tmp_path):
    projects, works = files(tmp_path, to_gcj02(PROJECTS), to_gcj02(WORKS))
    assert conflicts(projects, works, "--crs", "gcj02")["pairs"] == EXPECTED
    declared = files(tmp_path, to_gcj02(PROJECTS), to_gcj02(WORKS), crs="gcj02")
    assert conflicts(*declared)["pairs"] == EXPECTED
    undeclared = conflicts(projects, works)["pairs"]  # read as WGS84: shifted by ~590 m
    assert undeclared == EXPECTED  # the shift is the same everywhere, so relative distances hold
    assert "与 --crs 指定的bd09不一致" in rejection(*declared, "--crs", "bd09")


def test_every_problem_is_reported_with_the_feature_id(tmp_path):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[moved(LON, LAT), moved(LON, LAT, 100, 100), moved(LON, LAT, 100),
                         moved(LON, LAT, 0, 100), moved(LON, LAT)]],
    }  # fmt: skip
    projects = [
        *PROJECTS,
        feature(compound(), id="JA-001", start="2025-03-01", end="2025-06-30"),
        feature(bowtie, id="JA-003", start="2025-03-01", end="2025-06-30"),
        feature({"type": "Point", "coordinates": [LON, LAT]}, id="JA-004",
                start="2025-03-01", end="2025-06-30"),
    ]  # fmt: skip
    works = [
        feature(pipe(130), id="GAS-8", kind="燃气", start="2025-05-31", end="2025-05-01"),
        feature(pipe(130), id="GAS-9", start="2025-05-01", end="2025年6月"),
        feature({"type": "GeometryCollection", "geometries": []}, id="GAS-10", kind="燃气",
                start="2025-05-01", end="2025-05-31"),
    ]  # fmt: skip
    lines = rejection(*files(tmp_path, projects, works)).splitlines()
    assert lines[2].startswith("项目“JA-003”的几何图形无效：Self-intersection")
    assert lines[:2] + lines[3:] == [
        "输入文件有 7 处问题，未计算：",
        "项目编号“JA-001”重复（共2次）。",
        "项目“JA-004”只有点位、没有边界，须给出大于0的半径（radius，米）。",
        "工程“GAS-9”的结束日期“2025年6月”不是 YYYY-MM-DD 格式的日期。",
        "工程“GAS-10”的几何类型“GeometryCollection”不受支持（可用点、线、面及其多部件形式）。",
        "工程“GAS-8”的结束日期2025-05-01早于开始日期2025-05-31。",
        "工程“GAS-9”没有类别（kind）。",
    ]


def test_an_unknown_coordinate_system_is_refused(tmp_path):
    projects, works = files(tmp_path)
    assert rejection(projects, works, "--crs", "mercator") == (
        "未知的坐标系“mercator”（可用 wgs84、cgcs2000、gcj02、bd09）。"
    )
    declared = write(tmp_path / "declared.geojson", PROJECTS, crs="EPSG:3857")
    assert rejection(declared, works) == (
        "输入文件有 1 处问题，未计算：\n"
        "项目文件声明的坐标系“EPSG:3857”无法识别（可用 wgs84、cgcs2000、gcj02、bd09）。"
    )


def test_files_that_are_not_geojson_feature_collections(tmp_path):
    projects, works = files(tmp_path)
    assert rejection(tmp_path / "none.geojson", works).startswith("找不到文件：")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection",', encoding="utf-8")
    assert rejection(broken, works) == f"{broken} 不是有效的 JSON（第1行第30列）。"
    single = tmp_path / "single.geojson"
    single.write_text(json.dumps(PROJECTS[0]), encoding="utf-8")
    assert rejection(projects, single).endswith("工程文件不是 GeoJSON FeatureCollection。")


def test_a_negative_distance_or_month_count_is_refused(tmp_path):
    projects, works = files(tmp_path)
    assert rejection(projects, works, "--distance", "-1") == "距离应为非负数。"
    assert rejection(projects, works, "--months", "-1") == "月数应为非负整数。"


# --- no database -----------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anju.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    return subprocess.run(
        [sys.executable, "-m", "anju", "conflicts", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_needs_no_database_and_exits_1_on_bad_input(tmp_path):
    projects, works = files(tmp_path)
    done = run_cli("--projects", str(projects), "--works", str(works))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["pairs"] == EXPECTED

    reversed_window = write(
        tmp_path / "bad.geojson",
        [feature(pipe(130), id="GAS-8", kind="燃气", start="2025-05-31", end="2025-05-01")],
    )
    failed = run_cli("--projects", str(projects), "--works", str(reversed_window))
    assert failed.returncode == 1
    assert "工程“GAS-8”的结束日期2025-05-01早于开始日期2025-05-31。" in failed.stderr
