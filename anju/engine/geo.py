"""Coordinates: declared input systems converted to WGS84, extents checked, metres projected.

Rules (DOMAIN.md "Coordinates"): government surveying uses CGCS2000, interchangeable with WGS84
here; AMap/Tencent give GCJ-02 and Baidu BD-09, obfuscated offsets of WGS84 of hundreds of
metres, converted with `prcoords` (exact iterative inverse). pyproj cannot do GCJ-02. Metric
work uses the city's projected CRS (EPSG:4547, CGCS2000 3-degree Gauss-Krüger CM 114°E).
Each conversion is O(1) per point.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import prcoords


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
