"""Dig once: a project and a work pair when they lie within D metres and M calendar months, and
the pair says whether to build together ("overlap"), or which comes first ("after", "before")."""

import calendar
from datetime import date, timedelta

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString, MultiLineString, Point, Polygon, box

from anju.engine import conflicts
from anju.engine.conflicts import (
    ConflictInputError,
    Features,
    Project,
    Work,
    add_months,
    explain,
    features_from_geojson,
    find_conflicts,
)
from anju.engine.geo import project as to_metres
from anju.engine.geo import wgs84_to_gcj02_arrays

COMPOUND = box(0, 0, 100, 100)  # a 100 m square compound, in metres
RENOVATION = (date(2025, 3, 1), date(2025, 6, 30))


def a_project(id="P1", geometry=COMPOUND, start=RENOVATION[0], end=RENOVATION[1], radius=0.0):
    return Project(id=id, geometry=geometry, start=start, end=end, radius_m=radius)


def a_work(id="W1", geometry=None, start=RENOVATION[0], end=RENOVATION[1], kind="燃气"):
    geometry = LineString([(130, -50), (130, 150)]) if geometry is None else geometry
    return Work(id=id, kind=kind, geometry=geometry, start=start, end=end)


def found(projects, works, **options) -> list[tuple[str, str, str, float]]:
    result = find_conflicts(projects, works, **options)
    return [
        (pair["project"], pair["work"], pair["relation"], pair["distance_m"])
        for pair in result.records(places=3)
    ]


def relation_of(work: Work, **options) -> str | None:
    pairs = found([a_project()], [work], **options)
    return pairs[0][2] if pairs else None


# --- space -----------------------------------------------------------------------------------


def test_a_work_30_metres_from_the_boundary_pairs_with_its_distance():
    assert found([a_project()], [a_work()]) == [("P1", "W1", "overlap", 30.0)]


@pytest.mark.parametrize(("x", "pairs"), [(149.9, True), (150.0, True), (150.1, False)])
def test_exactly_50_metres_is_within_and_a_hair_more_is_not(x, pairs):
    work = a_work(geometry=LineString([(x, 0), (x, 100)]))
    assert bool(found([a_project()], [work])) is pairs


def test_a_work_crossing_the_compound_is_at_distance_zero():
    work = a_work(geometry=LineString([(-20, 50), (120, 50)]))
    assert found([a_project()], [work]) == [("P1", "W1", "overlap", 0.0)]


def test_the_distance_is_the_shortest_between_the_geometries_not_their_centres():
    diagonal = a_work(geometry=LineString([(130, 140), (200, 200)]))  # nearest the corner
    assert found([a_project()], [diagonal])[0][3] == pytest.approx(50.0, abs=1e-3)


def test_a_point_project_is_the_disc_of_its_radius():
    point = a_project(geometry=Point(50, 50), radius=80.0)
    assert found([point], [a_work()]) == [("P1", "W1", "overlap", 0.0)]  # 80 m from 130
    far = a_work(geometry=LineString([(180, 0), (180, 100)]))  # 130 m from the point
    assert found([point], [far]) == [("P1", "W1", "overlap", 50.0)]
    farther = a_work(geometry=LineString([(181, 0), (181, 100)]))
    assert found([point], [farther]) == []


def test_a_work_with_a_radius_reaches_that_much_further():
    shaft = Work("W1", "变电站", Point(170, 50), RENOVATION[0], RENOVATION[1], radius_m=25.0)
    assert found([a_project()], [shaft]) == [("P1", "W1", "overlap", 45.0)]


def test_the_distance_threshold_is_a_parameter():
    assert found([a_project()], [a_work()], distance_m=29.0) == []
    assert found([a_project()], [a_work()], distance_m=30.0) != []


def test_multi_part_geometries_use_their_nearest_part():
    two_blocks = shapely.MultiPolygon([box(0, 0, 100, 100), box(400, 0, 500, 100)])
    work = a_work(geometry=MultiLineString([[(700, 0), (700, 100)], [(520, 0), (520, 100)]]))
    assert found([a_project(geometry=two_blocks)], [work]) == [("P1", "W1", "overlap", 20.0)]


# --- time: the three relations ---------------------------------------------------------------


def test_overlapping_windows_mean_building_together():
    work = a_work(start=date(2025, 5, 1), end=date(2025, 9, 30))
    assert relation_of(work) == "overlap"


def test_a_work_after_the_renovation_would_dig_up_the_renewed_compound():
    work = a_work(start=date(2025, 10, 1), end=date(2025, 12, 31))
    assert relation_of(work) == "after"


def test_a_work_before_the_renovation_is_sequenced_first():
    work = a_work(start=date(2024, 9, 1), end=date(2024, 12, 31))
    assert relation_of(work) == "before"


# --- time: the edges of the window -----------------------------------------------------------


def test_a_work_ending_on_the_day_the_renovation_starts_shares_that_day():
    assert relation_of(a_work(start=date(2025, 1, 1), end=date(2025, 3, 1))) == "overlap"
    assert relation_of(a_work(start=date(2025, 1, 1), end=date(2025, 2, 28))) == "before"


def test_a_work_starting_on_the_day_the_renovation_ends_shares_that_day():
    assert relation_of(a_work(start=date(2025, 6, 30), end=date(2025, 8, 1))) == "overlap"
    assert relation_of(a_work(start=date(2025, 7, 1), end=date(2025, 8, 1))) == "after"


def test_exactly_twelve_months_after_the_end_is_within_and_a_day_more_is_not():
    assert relation_of(a_work(start=date(2026, 6, 30), end=date(2026, 8, 1))) == "after"
    assert relation_of(a_work(start=date(2026, 7, 1), end=date(2026, 8, 1))) is None


def test_exactly_twelve_months_before_the_start_is_within_and_a_day_more_is_not():
    assert relation_of(a_work(start=date(2024, 1, 1), end=date(2024, 3, 1))) == "before"
    assert relation_of(a_work(start=date(2024, 1, 1), end=date(2024, 2, 29))) is None


def test_calendar_months_clamp_to_the_last_day_of_a_shorter_month():
    project = a_project(start=date(2025, 1, 1), end=date(2025, 1, 31))
    within = a_work(start=date(2025, 2, 28), end=date(2025, 3, 31))
    beyond = a_work(id="W2", start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert found([project], [within, beyond], months=1) == [("P1", "W1", "after", 30.0)]


def test_with_zero_months_only_overlapping_windows_pair():
    touching = a_work(start=date(2025, 6, 30), end=date(2025, 7, 31))
    next_day = a_work(id="W2", start=date(2025, 7, 1), end=date(2025, 7, 31))
    assert found([a_project()], [touching, next_day], months=0) == [("P1", "W1", "overlap", 30.0)]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 6, 30), 12, date(2026, 6, 30)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 3, 15), 0, date(2025, 3, 15)),
    ],
)
def test_adding_calendar_months(day, months, expected):
    result = add_months(np.array([day], dtype="datetime64[D]"), months)
    assert result[0] == np.datetime64(expected)


# --- the answer ------------------------------------------------------------------------------


def test_pairs_are_sorted_by_project_then_work_whatever_the_input_order():
    projects = [a_project("P2"), a_project("P1", geometry=box(0, 300, 100, 400))]
    works = [
        a_work("W9"),
        a_work("W1", geometry=LineString([(-40, 350), (-40, 250)])),
        a_work("W5", geometry=LineString([(-10, -10), (-10, 500)])),
    ]
    ids = [(p, w) for p, w, _, _ in found(projects, works)]
    assert ids == [("P1", "W1"), ("P1", "W5"), ("P2", "W5"), ("P2", "W9")]


def test_no_projects_or_no_works_mean_no_pairs():
    assert found([], [a_work()]) == []
    assert found([a_project()], []) == []


def test_one_or_two_threads_give_the_same_pairs():
    projects, works = random_layers(np.random.default_rng(5), 300, 1500)
    one = find_conflicts(projects, works, workers=1)
    two = find_conflicts(projects, works, workers=2)
    assert len(one) > 100
    assert np.array_equal(one.project, two.project) and np.array_equal(one.work, two.work)
    assert np.array_equal(one.distance_m, two.distance_m)
    assert sum(one.counts().values()) == len(one)


def random_layers(rng, projects: int, works: int) -> tuple[Features, Features]:
    centres = rng.uniform(0, 3000, (projects, 2))
    polygons = shapely.box(*(centres - 60).T, *(centres + 60).T)
    starts = rng.uniform(0, 3000, (works, 2))
    ends = starts + rng.uniform(-300, 300, (works, 2))
    lines = shapely.linestrings(np.stack([starts, ends], axis=1))
    first = np.datetime64("2024-01-01")
    project_start = first + rng.integers(0, 900, projects).astype("timedelta64[D]")
    work_start = first + rng.integers(0, 900, works).astype("timedelta64[D]")
    return (
        Features.from_arrays(
            "project",
            ids=[f"P{i}" for i in range(projects)],
            geometries=polygons,
            starts=project_start,
            ends=project_start + rng.integers(30, 300, projects).astype("timedelta64[D]"),
        ),
        Features.from_arrays(
            "work",
            ids=[f"W{i}" for i in range(works)],
            geometries=lines,
            starts=work_start,
            ends=work_start + rng.integers(0, 120, works).astype("timedelta64[D]"),
            kinds=["排水"] * works,
        ),
    )


# --- an independent referee: every pair, in plain Python --------------------------------------


def plus_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def referee(projects, works, distance_m, months):
    pairs = []
    for p in projects:
        for w in works:
            gap = max(0.0, p.geometry.distance(w.geometry) - p.radius_m - w.radius_m)
            if gap > distance_m:
                continue
            if w.start > plus_months(p.end, months) or p.start > plus_months(w.end, months):
                continue
            if w.start <= p.end and p.start <= w.end:
                relation = "overlap"
            else:
                relation = "after" if w.start > p.end else "before"
            pairs.append((p.id, w.id, relation, round(gap, 3)))
    return sorted(pairs)


days = st.dates(date(2024, 1, 1), date(2026, 12, 31))
spans = st.integers(0, 400).map(lambda n: timedelta(days=n))
corners = st.integers(0, 40).map(lambda n: n * 10.0)


@st.composite
def projects_strategy(draw, index):
    x, y = draw(corners), draw(corners)
    start, span = draw(days), draw(spans)
    if draw(st.booleans()):
        size = draw(st.integers(1, 10)) * 10.0
        return Project(f"P{index}", box(x, y, x + size, y + size), start, start + span)
    radius = draw(st.sampled_from([10.0, 50.0, 75.0]))
    return Project(f"P{index}", Point(x, y), start, start + span, radius)


@st.composite
def works_strategy(draw, index):
    a = (draw(corners), draw(corners))
    b = (draw(corners), draw(corners))
    start, span = draw(days), draw(spans)
    geometry = LineString([a, b]) if a != b else Point(a)
    return Work(f"W{index}", "电力", geometry, start, start + span)


@st.composite
def instances(draw):
    projects = [draw(projects_strategy(i)) for i in range(draw(st.integers(0, 6)))]
    works = [draw(works_strategy(i)) for i in range(draw(st.integers(0, 10)))]
    return projects, works


@settings(max_examples=80, deadline=None)
@given(instances(), st.sampled_from([0.0, 30.0, 50.0]), st.sampled_from([0, 1, 12, 13]))
def test_the_engine_agrees_with_checking_every_pair(instance, distance_m, months):
    projects, works = instance
    got = found(projects, works, distance_m=distance_m, months=months)
    assert got == referee(projects, works, distance_m, months)


# --- input that cannot be used ---------------------------------------------------------------


def problems_of(projects, works, **options) -> list[str]:
    with pytest.raises(ConflictInputError) as caught:
        find_conflicts(projects, works, **options)
    return explain(caught.value, "zh")


def test_a_duplicate_id_is_named():
    assert problems_of([a_project("P1"), a_project("P1")], [a_work()]) == [
        "项目编号“P1”重复（共2次）。"
    ]


def test_an_end_before_its_start_is_named():
    work = a_work("W7", start=date(2025, 5, 1), end=date(2025, 4, 30))
    assert problems_of([a_project()], [work]) == [
        "工程“W7”的结束日期2025-04-30早于开始日期2025-05-01。"
    ]


def test_empty_and_invalid_geometries_are_named_with_the_reason():
    bowtie = Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
    problems = problems_of(
        [a_project("P1", geometry=Polygon()), a_project("P2", geometry=bowtie)],
        [
            Work("W1", "燃气", None, *RENOVATION),
            a_work("W2", geometry=LineString([(0, 0), (0, 0)])),
        ],
    )
    assert problems[0] == "项目“P1”的几何图形为空。"
    assert problems[1].startswith("项目“P2”的几何图形无效：Self-intersection")
    assert problems[2] == "工程“W1”没有几何图形。"
    assert problems[3].startswith("工程“W2”的几何图形无效：Too few points")


def test_a_point_project_needs_a_radius():
    assert problems_of([a_project(geometry=Point(0, 0))], [a_work()]) == [
        "项目“P1”只有点位、没有边界，须给出大于0的半径（米）。"
    ]


def test_every_problem_is_reported_at_once_in_either_language():
    with pytest.raises(ConflictInputError) as caught:
        find_conflicts(
            [a_project("P1", radius=-1.0), a_project("P1")],
            [a_work("", kind=""), a_work("W2", kind=" ", start=None)],
            distance_m=-5,
            months=1.5,
        )
    codes = [problem.code for problem in caught.value.problems]
    assert codes == [
        "bad_distance", "bad_months", "duplicate_id", "bad_radius",
        "missing_id", "missing_date", "missing_kind", "missing_kind",
    ]  # fmt: skip
    english = explain(caught.value, "en")
    assert "The project id P1 appears 2 times." in english
    assert "The work W2 has no start date." in english
    assert str(caught.value).startswith("距离应为非负数，不能是“-5”。")


# --- reading GeoJSON -------------------------------------------------------------------------

LON, LAT = 114.3027, 30.5446  # 黄鹤楼


def square(lon, lat, side=0.001):
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def collection(*features, crs=None):
    data = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return data


def feature(geometry, **properties):
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def test_geojson_in_wgs84_is_read_into_epsg_4547_metres():
    data = collection(feature(square(LON, LAT), id="P1", start="2025-03-01", end="2025-06-30"))
    features = features_from_geojson(data, "project")
    x, y = to_metres(LON, LAT)
    assert features.ids.tolist() == ["P1"]
    assert features.geometries[0].exterior.coords[0] == pytest.approx((x, y), abs=1e-6)
    assert features.starts[0] == np.datetime64("2025-03-01")


@pytest.mark.parametrize("crs", ["gcj02", "GCJ-02", "高德"])
def test_a_gcj02_file_lands_within_a_metre_of_the_same_place_in_wgs84(crs):
    gcj_lon, gcj_lat = (float(v[0]) for v in wgs84_to_gcj02_arrays([LON], [LAT]))
    wgs = features_from_geojson(
        collection(feature({"type": "Point", "coordinates": [LON, LAT]}, id=1, radius=5,
                           start="2025-01-01", end="2025-01-02")),
        "project",
    )  # fmt: skip
    for converted in (
        features_from_geojson(
            collection(feature({"type": "Point", "coordinates": [gcj_lon, gcj_lat]}, id=1,
                               radius=5, start="2025-01-01", end="2025-01-02")),
            "project",
            crs=crs,
        ),
        features_from_geojson(
            collection(feature({"type": "Point", "coordinates": [gcj_lon, gcj_lat]}, id=1,
                               radius=5, start="2025-01-01", end="2025-01-02"), crs=crs),
            "project",
        ),
    ):  # fmt: skip
        assert converted.geometries[0].distance(wgs.geometries[0]) < 1.0
        assert converted.ids.tolist() == ["1"]


def test_a_declared_crs_must_be_known_and_agree_with_the_given_one():
    data = collection(crs="EPSG:3857")
    with pytest.raises(ConflictInputError) as caught:
        features_from_geojson(data, "work")
    assert explain(caught.value) == [
        "工程文件声明的坐标系“EPSG:3857”无法识别（可用 wgs84、cgcs2000、gcj02、bd09）。"
    ]
    with pytest.raises(ConflictInputError) as caught:
        features_from_geojson(collection(crs="urn:ogc:def:crs:OGC:1.3:CRS84"), "work", "bd09")
    assert explain(caught.value) == ["工程文件声明的坐标系是wgs84，与指定的bd09不一致。"]
    assert len(features_from_geojson(collection(crs="EPSG:4490"), "work", "wgs84")) == 0


def test_each_feature_problem_is_reported_once_with_its_id():
    data = collection(
        feature(None, id="W1", start="2025-01-01", end="2025-02-01", kind="通信"),
        feature({"type": "LineString", "coordinates": [[LON, LAT]]}, id="W2",
                start="2025/01/01", end="2025-02-01", kind="通信"),
        feature({"type": "LineString", "coordinates": [[LAT, LON], [LAT, LON + 0.01]]},
                id="W3", start="2025-01-01", end="2025-02-01"),
        feature({"type": "Point", "coordinates": [LON, LAT]}, start="2025-01-01"),
        {"type": "Feature"},
        "not a feature",
    )  # fmt: skip
    with pytest.raises(ConflictInputError) as caught:
        features_from_geojson(data, "work")
    assert explain(caught.value) == [
        "工程“W1”没有几何图形。",
        "工程“W2”的坐标格式有误：IllegalArgumentException: point array must contain 0 or >1 "
        "elements。",
        "工程“W2”的开始日期“2025/01/01”不是 YYYY-MM-DD 格式的日期。",
        "工程文件第4个要素没有编号（id，应为文字或整数）。",
        "工程文件第5个要素没有编号（id，应为文字或整数）。",
        "工程文件第6个要素不是 GeoJSON Feature。",
        "工程“W3”的坐标不是经纬度（经度应在±180、纬度应在±90以内）。",
        "工程“W3”没有类别（kind）。",
    ]


def test_a_file_that_is_not_a_feature_collection_is_refused():
    for data in ([], {"type": "Feature"}, {"type": "FeatureCollection", "features": 3}):
        with pytest.raises(ConflictInputError) as caught:
            features_from_geojson(data, "project")
        assert [p.code for p in caught.value.problems] == ["not_feature_collection"]


def test_the_module_names_its_relations():
    assert conflicts.RELATIONS == ("overlap", "after", "before")
