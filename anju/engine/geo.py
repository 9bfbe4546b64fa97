"""Coordinates: declared input systems converted to WGS84, extents checked, metres projected.

Rules (DOMAIN.md "Coordinates"): government surveying uses CGCS2000, interchangeable with WGS84
here; AMap/Tencent give GCJ-02 and Baidu BD-09, obfuscated offsets of WGS84 of hundreds of
metres, converted with `prcoords` (exact iterative inverse). pyproj cannot do GCJ-02. Metric
work uses the city's projected CRS (EPSG:4547, CGCS2000 3-degree Gauss-Krüger CM 114°E).
Each conversion is O(1) per point.

Whole geometries (dig-once conflicts, package proposals) are converted in bulk: the
`*_arrays` functions are prcoords' formulas written over numpy arrays (GCJ-02's offset on the
Krasovsky ellipsoid; BD-09's rotation and shift; the inverses by the same fixed-point iteration
as prcoords' `*_bored`, run to 1e-12° instead of prcoords' 1e-5° stopping step, at most 10
rounds), checked against prcoords point by point in the tests. Unlike prcoords they never
pass points outside China through unchanged: GCJ-02 and BD-09 exist only for China, and a
point far outside it is an input error caught by the caller's extent check.
`geometries_to_metres` applies them and pyproj to every coordinate of an array of shapely
geometries at once (`shapely.transform`): O(total vertices), no Python loop per point.
GeoJSON geometries (Point, LineString, Polygon and their Multi* forms; no
GeometryCollection) are read by `geometry_from_geojson`, which names what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

import numpy as np
import prcoords
import shapely


class CRS(StrEnum):
    WGS84 = "wgs84"
    CGCS2000 = "cgcs2000"
    GCJ02 = "gcj02"
    BD09 = "bd09"

    @classmethod
    def parse(cls, text: str) -> CRS:
        key = str(text).strip().lower().replace("-", "").replace("_", "").replace(" ", "")
        aliases = {
            "wgs84": cls.WGS84,
            "epsg4326": cls.WGS84,
            "4326": cls.WGS84,
            "cgcs2000": cls.CGCS2000,
            "epsg4490": cls.CGCS2000,
            "4490": cls.CGCS2000,
            "gcj02": cls.GCJ02,
            "amap": cls.GCJ02,
            "高德": cls.GCJ02,
            "tencent": cls.GCJ02,
            "bd09": cls.BD09,
            "baidu": cls.BD09,
            "百度": cls.BD09,
        }
        if key not in aliases:
            raise ValueError(f"unknown coordinate system: {text!r}")
        return aliases[key]


@dataclass(frozen=True)
class Extent:
    """A longitude/latitude box, e.g. Wuhan 113.68–115.09°E, 29.96–31.37°N."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat

    def contains_swapped(self, lon: float, lat: float) -> bool:
        """True when the point would be inside if longitude and latitude were swapped."""
        return self.contains(lat, lon)


WUHAN = Extent(113.68, 29.96, 115.09, 31.37)


def to_wgs84(lon: float, lat: float, crs: CRS | str) -> tuple[float, float]:
    """Convert one point in the declared system to WGS84 (lon, lat)."""
    crs = CRS.parse(crs) if isinstance(crs, str) else crs
    if crs in (CRS.WGS84, CRS.CGCS2000):
        return float(lon), float(lat)
    if crs is CRS.GCJ02:
        point = prcoords.gcj_wgs_bored((lat, lon))
    else:
        point = prcoords.bd_wgs_bored((lat, lon))
    return point[1], point[0]


def from_wgs84(lon: float, lat: float, crs: CRS | str) -> tuple[float, float]:
    """WGS84 to the given system (for tests and for exporting to AMap/Baidu users)."""
    crs = CRS.parse(crs) if isinstance(crs, str) else crs
    if crs in (CRS.WGS84, CRS.CGCS2000):
        return float(lon), float(lat)
    point = prcoords.wgs_gcj((lat, lon)) if crs is CRS.GCJ02 else prcoords.wgs_bd((lat, lon))
    return point[1], point[0]


@lru_cache(maxsize=8)
def projector(epsg: str = "EPSG:4547"):
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", epsg, always_xy=True)


def project(lon, lat, epsg: str = "EPSG:4547"):
    """WGS84 lon/lat (scalars or arrays) to metres in the projected CRS."""
    return projector(epsg).transform(lon, lat)


def distance_m(a: tuple[float, float], b: tuple[float, float], epsg: str = "EPSG:4547") -> float:
    ax, ay = project(*a, epsg=epsg)
    bx, by = project(*b, epsg=epsg)
    return ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5


def convert_geojson_coordinates(coordinates, crs: CRS | str):
    """Convert nested GeoJSON coordinate arrays to WGS84, keeping their shape."""
    if coordinates and isinstance(coordinates[0], (int, float)):
        lon, lat = to_wgs84(coordinates[0], coordinates[1], crs)
        return [round(lon, 7), round(lat, 7)]
    return [convert_geojson_coordinates(part, crs) for part in coordinates]


# --- whole geometries, in bulk ---------------------------------------------------------------

GCJ_A = 6378245.0  # Krasovsky 1940 semi-major axis, as GCJ-02 uses it
GCJ_EE = 0.00669342162296594323  # its first eccentricity squared
BD_DLON = 0.0065
BD_DLAT = 0.0060
INVERSE_TOLERANCE_DEG = 1e-12
INVERSE_ROUNDS = 10
GEOJSON_TYPES = frozenset(
    {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"}
)


def wgs84_to_gcj02_arrays(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 → GCJ-02 for arrays of longitudes and latitudes (prcoords.wgs_gcj)."""
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    x = lon - 105.0
    y = lat - 35.0
    waves_x = 2 * np.sin(x * 6 * np.pi) + 2 * np.sin(x * 2 * np.pi)
    d_lat_m = (
        -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
        + (waves_x + 2 * np.sin(y * np.pi) + 4 * np.sin(y / 3 * np.pi)
           + 16 * np.sin(y / 12 * np.pi) + 32 * np.sin(y / 30 * np.pi)) * 20 / 3
    )  # fmt: skip
    d_lon_m = (
        300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
        + (waves_x + 2 * np.sin(x * np.pi) + 4 * np.sin(x / 3 * np.pi)
           + 15 * np.sin(x / 12 * np.pi) + 30 * np.sin(x / 30 * np.pi)) * 20 / 3
    )  # fmt: skip
    rad_lat = np.radians(lat)
    magic = 1 - GCJ_EE * np.sin(rad_lat) ** 2
    lat_degree_m = np.radians(GCJ_A * (1 - GCJ_EE) / magic**1.5)
    lon_degree_m = np.radians(GCJ_A * np.cos(rad_lat) / np.sqrt(magic))
    return lon + d_lon_m / lon_degree_m, lat + d_lat_m / lat_degree_m


def gcj02_to_bd09_arrays(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 → BD-09 (prcoords.gcj_bd)."""
    x = np.asarray(lon, dtype=np.float64)
    y = np.asarray(lat, dtype=np.float64)
    r = np.hypot(x, y) + 0.00002 * np.sin(np.radians(y) * 3000)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(np.radians(x) * 3000)
    return r * np.cos(theta) + BD_DLON, r * np.sin(theta) + BD_DLAT


def bd09_to_gcj02_arrays(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 → GCJ-02, the closed-form approximation (prcoords.bd_gcj, ~1e-7°)."""
    x = np.asarray(lon, dtype=np.float64) - BD_DLON
    y = np.asarray(lat, dtype=np.float64) - BD_DLAT
    r = np.hypot(x, y) - 0.00002 * np.sin(np.radians(y) * 3000)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(np.radians(x) * 3000)
    return r * np.cos(theta), r * np.sin(theta)


def wgs84_to_bd09_arrays(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 → BD-09 (prcoords.wgs_bd)."""
    return gcj02_to_bd09_arrays(*wgs84_to_gcj02_arrays(lon, lat))


def invert_arrays(forward, lon, lat, start) -> tuple[np.ndarray, np.ndarray]:
    """The point p with forward(p) = (lon, lat), by fixed-point iteration from `start`
    (prcoords' "bored" method): p ← p − (forward(p) − target)."""
    target_lon = np.asarray(lon, dtype=np.float64)
    target_lat = np.asarray(lat, dtype=np.float64)
    guess_lon, guess_lat = start
    for _ in range(INVERSE_ROUNDS):
        forward_lon, forward_lat = forward(guess_lon, guess_lat)
        step_lon = forward_lon - target_lon
        step_lat = forward_lat - target_lat
        guess_lon = guess_lon - step_lon
        guess_lat = guess_lat - step_lat
        if step_lon.size == 0 or max(np.abs(step_lon).max(), np.abs(step_lat).max()) <= (
            INVERSE_TOLERANCE_DEG
        ):
            break
    return guess_lon, guess_lat


def gcj02_to_wgs84_arrays(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 → WGS84, the exact inverse (prcoords.gcj_wgs_bored)."""
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    offset_lon, offset_lat = wgs84_to_gcj02_arrays(lon, lat)
    start = (2 * lon - offset_lon, 2 * lat - offset_lat)
    return invert_arrays(wgs84_to_gcj02_arrays, lon, lat, start)


def bd09_to_wgs84_arrays(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 → WGS84, the exact inverse (prcoords.bd_wgs_bored)."""
    gcj_lon, gcj_lat = bd09_to_gcj02_arrays(lon, lat)
    offset_lon, offset_lat = wgs84_to_gcj02_arrays(gcj_lon, gcj_lat)
    start = (2 * gcj_lon - offset_lon, 2 * gcj_lat - offset_lat)
    return invert_arrays(wgs84_to_bd09_arrays, lon, lat, start)


def to_wgs84_arrays(lon, lat, crs: CRS | str) -> tuple[np.ndarray, np.ndarray]:
    """`to_wgs84` for arrays of longitudes and latitudes."""
    crs = CRS.parse(crs) if isinstance(crs, str) else crs
    if crs is CRS.GCJ02:
        return gcj02_to_wgs84_arrays(lon, lat)
    if crs is CRS.BD09:
        return bd09_to_wgs84_arrays(lon, lat)
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def from_wgs84_arrays(lon, lat, crs: CRS | str) -> tuple[np.ndarray, np.ndarray]:
    """`from_wgs84` for arrays (tests, exports to AMap/Baidu users)."""
    crs = CRS.parse(crs) if isinstance(crs, str) else crs
    if crs is CRS.GCJ02:
        return wgs84_to_gcj02_arrays(lon, lat)
    if crs is CRS.BD09:
        return wgs84_to_bd09_arrays(lon, lat)
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def geometries_to_wgs84(geometries, crs: CRS | str) -> np.ndarray:
    """Shapely geometries (one or an array) in `crs` longitude/latitude → WGS84, 2D."""
    crs = CRS.parse(crs) if isinstance(crs, str) else crs
    if crs in (CRS.WGS84, CRS.CGCS2000):
        return shapely.force_2d(geometries)

    def convert(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(to_wgs84_arrays(xy[:, 0], xy[:, 1], crs))

    return shapely.transform(geometries, convert)


def project_geometries(geometries, epsg: str = "EPSG:4547") -> np.ndarray:
    """Shapely geometries (one or an array) in WGS84 longitude/latitude → metres in `epsg`."""
    transformer = projector(epsg)

    def convert(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geometries, convert)


def geometries_to_metres(geometries, crs: CRS | str, epsg: str = "EPSG:4547") -> np.ndarray:
    """Declared system → WGS84 → metres in `epsg`, every coordinate of every geometry at once."""
    return project_geometries(geometries_to_wgs84(geometries, crs), epsg)


def outside_lonlat_range(geometries) -> np.ndarray:
    """True where a geometry has a coordinate that cannot be a longitude/latitude (|lon| > 180,
    |lat| > 90 or not finite): metres or swapped axes typed where degrees were expected."""
    geometries = np.asarray(geometries, dtype=object)
    bounds = shapely.bounds(geometries)
    with np.errstate(invalid="ignore"):
        inside = (
            (bounds[:, 0] >= -180) & (bounds[:, 2] <= 180)
            & (bounds[:, 1] >= -90) & (bounds[:, 3] <= 90)
        )  # fmt: skip
    present = ~shapely.is_missing(geometries) & ~shapely.is_empty(geometries)
    return ~inside & present


class GeometryError(ValueError):
    """A GeoJSON geometry that cannot be read: `code` says why ("missing", "type",
    "malformed"), `detail` is the offending type or parser message."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


def geometry_from_geojson(geometry: Any):
    """A GeoJSON geometry object (a dict) → a shapely geometry, refusing what anju cannot
    use: no geometry, another type (GeometryCollection included), coordinates of the wrong
    shape or not numbers. Emptiness and validity are the caller's rules."""
    if geometry is None:
        raise GeometryError("missing")
    if not isinstance(geometry, dict):
        raise GeometryError("malformed", type(geometry).__name__)
    kind = geometry.get("type")
    if kind not in GEOJSON_TYPES:
        raise GeometryError("type", str(kind))
    if "coordinates" not in geometry or not isinstance(geometry["coordinates"], list):
        raise GeometryError("malformed", "coordinates")
    try:
        return shapely.geometry.shape(geometry)
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.ShapelyError) as exc:
        raise GeometryError("malformed", str(exc).strip()) from None
