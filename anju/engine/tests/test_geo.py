"""Coordinates: GCJ-02 and BD-09 come back to WGS84 within a metre, whole geometries convert in
bulk, and EPSG:4547 measures metres."""

import numpy as np
import prcoords
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod

from anju.engine.geo import (
    CRS,
    GeometryError,
    bd09_to_wgs84_arrays,
    from_wgs84_arrays,
    gcj02_to_wgs84_arrays,
    geometries_to_metres,
    geometries_to_wgs84,
    geometry_from_geojson,
    outside_lonlat_range,
    project,
    project_geometries,
    to_wgs84,
    to_wgs84_arrays,
    wgs84_to_bd09_arrays,
    wgs84_to_gcj02_arrays,
)

GEOD = Geod(ellps="WGS84")
YELLOW_CRANE_TOWER = (114.3027, 30.5446)  # 黄鹤楼, WGS84 lon/lat
WUHAN_STATION = (114.4240, 30.6071)  # 武汉站
LANDMARKS = [YELLOW_CRANE_TOWER, WUHAN_STATION]


def metres_between(a, b) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


@pytest.mark.parametrize("landmark", LANDMARKS, ids=["黄鹤楼", "武汉站"])
@pytest.mark.parametrize(
    ("crs", "forward"),
    [(CRS.GCJ02, prcoords.wgs_gcj), (CRS.BD09, prcoords.wgs_bd)],
    ids=["gcj02", "bd09"],
)
def test_an_amap_or_baidu_point_comes_back_to_wgs84_within_a_metre(landmark, crs, forward):
    lon, lat = landmark
    shifted_lat, shifted_lon = forward((lat, lon))
    assert 300 < metres_between(landmark, (shifted_lon, shifted_lat)) < 2000  # a real offset
    back_lon, back_lat = to_wgs84_arrays([shifted_lon], [shifted_lat], crs)
    assert metres_between(landmark, (back_lon[0], back_lat[0])) < 1.0
    assert metres_between(to_wgs84(shifted_lon, shifted_lat, crs), landmark) < 1.0


def test_the_array_forms_follow_prcoords_point_by_point():
    rng = np.random.default_rng(7)
    lon = rng.uniform(113.68, 115.09, 200)
    lat = rng.uniform(29.96, 31.37, 200)
    gcj_lon, gcj_lat = wgs84_to_gcj02_arrays(lon, lat)
    bd_lon, bd_lat = wgs84_to_bd09_arrays(lon, lat)
    for i in range(len(lon)):
        assert (gcj_lat[i], gcj_lon[i]) == pytest.approx(
            prcoords.wgs_gcj((lat[i], lon[i])), abs=1e-9
        )
        assert (bd_lat[i], bd_lon[i]) == pytest.approx(prcoords.wgs_bd((lat[i], lon[i])), abs=1e-9)
        expected = prcoords.gcj_wgs_bored((gcj_lat[i], gcj_lon[i]))
        assert metres_between(expected[::-1], (lon[i], lat[i])) < 0.01
    back = gcj02_to_wgs84_arrays(gcj_lon, gcj_lat)
    assert np.abs(back[0] - lon).max() < 1e-9 and np.abs(back[1] - lat).max() < 1e-9
    back = bd09_to_wgs84_arrays(bd_lon, bd_lat)
    assert np.abs(back[0] - lon).max() < 1e-9 and np.abs(back[1] - lat).max() < 1e-9


@given(
    st.floats(113.68, 115.09),
    st.floats(29.96, 31.37),
    st.sampled_from([CRS.WGS84, CRS.CGCS2000, CRS.GCJ02, CRS.BD09]),
)
def test_from_wgs84_and_back_is_the_identity_within_a_centimetre(lon, lat, crs):
    there = from_wgs84_arrays([lon], [lat], crs)
    back_lon, back_lat = to_wgs84_arrays(*there, crs)
    assert metres_between((lon, lat), (back_lon[0], back_lat[0])) < 0.01


def test_whole_geometries_convert_every_vertex_and_keep_their_shape():
    lon, lat = YELLOW_CRANE_TOWER
    polygon = shapely.Polygon([(lon, lat), (lon + 0.002, lat), (lon + 0.002, lat + 0.002)])
    line = shapely.MultiLineString([[(lon, lat), (lon + 0.01, lat)], [(lon, lat + 0.01)] * 2])
    point = shapely.MultiPoint([(lon, lat), (lon + 0.001, lat + 0.001)])
    originals = np.array([polygon, line, point], dtype=object)
    gcj = shapely.transform(originals, lambda xy: np.column_stack(wgs84_to_gcj02_arrays(*xy.T)))
    back = geometries_to_wgs84(gcj, "gcj02")
    assert [g.geom_type for g in back] == ["Polygon", "MultiLineString", "MultiPoint"]
    for original, converted in zip(originals, back, strict=True):
        for a, b in zip(
            shapely.get_coordinates(original), shapely.get_coordinates(converted), strict=True
        ):
            assert metres_between(a, b) < 1.0


def test_a_100_metre_segment_measures_100_metres_in_epsg_4547():
    lon, lat = YELLOW_CRANE_TOWER
    for azimuth in (0, 45, 90, 135):
        end_lon, end_lat, _ = GEOD.fwd(lon, lat, azimuth, 100.0)
        segment = shapely.LineString([(lon, lat), (end_lon, end_lat)])
        assert project_geometries(segment).length == pytest.approx(100.0, abs=0.5)


def test_geometries_to_metres_lands_where_project_puts_the_point():
    lon, lat = WUHAN_STATION
    gcj_lon, gcj_lat = wgs84_to_gcj02_arrays([lon], [lat])
    metres = geometries_to_metres(shapely.Point(gcj_lon[0], gcj_lat[0]), CRS.GCJ02)
    x, y = project(lon, lat)
    assert metres.distance(shapely.Point(x, y)) < 1.0
    assert 500_000 < x < 560_000 and 3_370_000 < y < 3_400_000  # EPSG:4547 near CM 114°E


def test_metres_or_swapped_axes_are_not_longitudes_and_latitudes():
    geometries = [
        shapely.Point(114.3, 30.5),
        shapely.Point(528_785, 3_381_123),
        shapely.LineString([(114.3, 30.5), (114.3, 95.0)]),
        shapely.Point(),
        None,
    ]
    assert outside_lonlat_range(geometries).tolist() == [False, True, True, False, False]


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        (None, "missing"),
        ("POINT (1 2)", "malformed"),
        ({"type": "GeometryCollection", "geometries": []}, "type"),
        ({"type": "Circle", "coordinates": [1, 2]}, "type"),
        ({"type": "Point"}, "malformed"),
        ({"type": "Point", "coordinates": ["a", "b"]}, "malformed"),
        ({"type": "LineString", "coordinates": [[114.3, 30.5]]}, "malformed"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}, "malformed"),
    ],
)
def test_geojson_that_cannot_be_read_says_why(geometry, code):
    with pytest.raises(GeometryError) as caught:
        geometry_from_geojson(geometry)
    assert caught.value.code == code


def test_every_geojson_type_anju_uses_is_read():
    ring = [[114.30, 30.54], [114.31, 30.54], [114.31, 30.55], [114.30, 30.54]]
    for geometry in (
        {"type": "Point", "coordinates": [114.3, 30.5]},
        {"type": "LineString", "coordinates": ring[:2]},
        {"type": "Polygon", "coordinates": [ring]},
        {"type": "MultiPoint", "coordinates": ring[:2]},
        {"type": "MultiLineString", "coordinates": [ring[:2], ring[1:3]]},
        {"type": "MultiPolygon", "coordinates": [[ring]]},
    ):
        assert geometry_from_geojson(geometry).geom_type == geometry["type"]
