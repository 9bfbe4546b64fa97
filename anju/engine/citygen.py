"""The demo city: a deterministic, realistic registry of old compounds generated from a seed.

What it computes
    From Wuhan's territory (build/data/wuhan.json, see scripts/extract_city_data.py), a seed
    and a scale, a stream of `CompoundSpec`s. At city scale each carries its buildings, units
    and households; at national scale only compound-level counts and areas.

Totals are met by construction, not by luck (DOMAIN.md "Scale"):
    - compounds per district: largest remainder over `DISTRICT_WEIGHTS` (the old central
      districts get most); compounds per community: multinomial over gamma weights;
    - households per compound: `MIN_HOUSEHOLDS` each plus a largest-remainder share of the rest
      over log-normal weights, so the sum is exactly the target;
    - buildings: random walk-ups (2–7 floors, 1–4 units, usually 2 households a floor) added
      until the compound's households are housed, the last building trimmed to fit, so
      `household_count` equals the household rows and `building_count` the buildings;
    - exclusive areas (45–120 m²): gamma-distributed per household (older compounds smaller),
      then one affine stretch found by bisection so the city's exclusive total is
      target floor area ÷ `COMMON_AREA_FACTOR`; rounding is repaired cent by cent. A compound's
      `total_floor_area` is its exclusive area × `COMMON_AREA_FACTOR` (common parts: stairs,
      walls), so the city total lands within rounding of the target.

Scales
    city      1,103 compounds, 327,600 households, 24.8 M m² (Wuhan 2019–2022).
    national  220,000 compounds (the 14th Five-Year Plan's 21.9 万), households at the national
              average of 48 M / 280,000 ≈ 171 a compound, area at Wuhan's m² per household.
              No building or household rows. Compounds reuse Wuhan's communities: the district
              weights as at city scale, then evenly over each district's communities (at most
              about 250 a community, so serials stay below 1000); every code is a real
              community code + a unique 3-digit serial and no pseudo-districts are needed.
              Generated in chunks of `chunk_size` compounds, each with its own random stream
              (seed, chunk index) and its exact share of the totals, so memory is bounded by
              one chunk.

Determinism: every draw comes from `numpy.random.default_rng` seeded from `seed`, in a fixed
order; the same seed and data give the same stream, another seed a different one.

Complexity: O(C + H) time for C compounds and H households (point sampling is rejection
sampling against prepared district outlines, a constant number of tries a point); memory
O(H) at city scale (household draws are arrays), O(chunk_size) at national scale.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

import numpy as np
import shapely
from shapely.geometry import shape

# --- targets and tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    compounds: int
    households: int
    floor_area: float  # m², total building floor area


CITY = Targets(compounds=1_103, households=327_600, floor_area=24_800_000.0)
_NATIONAL_HOUSEHOLDS = round(220_000 * 48_000_000 / 280_000)
NATIONAL = Targets(
    compounds=220_000,
    households=_NATIONAL_HOUSEHOLDS,
    floor_area=_NATIONAL_HOUSEHOLDS * CITY.floor_area / CITY.households,
)
SCALES = {"city": CITY, "national": NATIONAL}

COMMON_AREA_FACTOR = 1.15
MIN_AREA, MAX_AREA = 45.0, 120.0
MIN_HOUSEHOLDS = 12
YEAR_FIRST, YEAR_LAST = 1960, 2000
BOUNDARY_SHARE = 0.20
BOUNDARY_SIDE_M = (60.0, 250.0)
METRIC_CRS = "EPSG:4547"

# Old central districts first (江岸 江汉 硚口 汉阳 武昌 青山 洪山 ≈ 85 %).
DISTRICT_WEIGHTS = {
    "420102": 0.14,
    "420103": 0.12,
    "420104": 0.12,
    "420105": 0.10,
    "420106": 0.16,
    "420107": 0.11,
    "420111": 0.10,
    "420112": 0.03,
    "420113": 0.01,
    "420114": 0.03,
    "420115": 0.04,
    "420116": 0.02,
    "420117": 0.02,
}

PROPERTY_RIGHTS = (
    ("reform", 0.45),
    ("unit", 0.15),
    ("commodity", 0.15),
    ("resettlement", 0.10),
    ("mixed", 0.15),
)
WITH_ORIGINAL_UNIT = {"reform", "unit"}
MANAGEMENT_STATUS = (
    ("none", 0.35),
    ("street_managed", 0.25),
    ("red_property", 0.15),
    ("self_managed", 0.10),
    ("professional", 0.15),
)
OWNERS_COMMITTEE_CHANCE = {
    "none": 0.05,
    "street_managed": 0.10,
    "red_property": 0.35,
    "self_managed": 0.50,
    "professional": 0.60,
}
PARTY_ORGANISATION = (("none", 0.25), ("joint", 0.50), ("branch", 0.25))

# (full name, short name used in compound names such as "武钢宿舍")
ORIGINAL_UNITS = (
    ("武汉钢铁（集团）公司", "武钢"),
    ("武汉市第一棉纺织厂", "一棉"),
    ("武汉市第二棉纺织厂", "二棉"),
    ("武汉重型机床厂", "武重"),
    ("武汉锅炉厂", "锅炉厂"),
    ("武汉铁路分局", "铁路"),
    ("长江航运管理局", "长航"),
    ("武汉市自来水公司", "水厂"),
    ("武汉肉类联合加工厂", "肉联厂"),
    ("湖北省邮电管理局", "邮电"),
    ("武汉市房地产管理局", "房管"),
)
WUGANG_DISTRICT = "420107"  # 青山区: most unit housing there is Wuhan Iron and Steel's

FLOORS = ((2, 0.03), (3, 0.07), (4, 0.12), (5, 0.20), (6, 0.35), (7, 0.23))
UNITS_PER_BUILDING = ((1, 0.20), (2, 0.35), (3, 0.30), (4, 0.15))
HOUSEHOLDS_PER_FLOOR = ((2, 0.85), (3, 0.10), (1, 0.05))
ELEVATOR_SHARE = 0.05  # of buildings; only buildings of 4+ floors get one
SECOND_HOME_SHARE = 0.03  # households whose owner already owns one in the compound
DEVELOPER_UNSOLD_SHARE = 0.02  # of households in commodity and mixed compounds
ELDERLY_ALONE_SHARE = 0.08
DISABILITY_SHARE = 0.02

WORDS = (
    "幸福 和平 建设 新华 友谊 民生 长春 永安 解放 红旗 光明 胜利 东方 青山 花园 朝阳 百步 "
    "紫阳 中南 三眼 车站 球场 劳动 二七 大智 一元 四唯 惠民 育才 工农 团结 先锋 前进 跃进 "
    "东风 向阳 钢花 红钢 青和 建一 工人 铁路 机床 纺织 粮食 邮电 交通 电力 水利 武珞 徐东 "
    "唐家 黄浦 沿江 中山 汉正 古田 宗关 易家 首义 粮道 珞珈 卓刀 积玉 南湖 鹦鹉 琴台 晴川 "
    "五里 双墩 六角 花桥 永清 新河 堤角 丹水 常青 复兴 振兴 长丰 汉兴 紫松 梅苑 桂园"
).split()
FIRST = (
    "幸和建新友民长永红光胜东江青花朝紫中三工育团先前跃向"
    "钢铁机纺粮邮交电水武黄沿古宗易首珞卓积南琴晴百"
)
SECOND = "福平设华谊生春安旗明利方汉山园阳苑兴荣康乐景秀林湖桥港岭坊里湾庄巷堤口门"
COMPOUND_SUFFIXES = ("小区", "小区", "小区", "院", "宿舍", "新村", "里")
UNIT_SUFFIXES = ("宿舍", "宿舍", "家属院", "院", "小区")
ROAD_SUFFIXES = ("路", "路", "街", "巷", "大道")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾"
)
GIVEN = "建国华明军平伟强红英兰芳秀玲桂珍凤霞丽敏勇志刚文德海波涛斌林峰春梅云霞桂香汉武"
PHONE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "158",
    "159",
    "180",
    "185",
    "186",
    "187",
    "188",
    "189",
)


# --- output ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeSpec:
    kind: str  # city | district | street | community
    code: str
    name: str
    parent_code: str | None
    outline: dict | None = None  # GeoJSON geometry, WGS84 (districts)


@dataclass(slots=True)
class HouseholdSpec:
    room: str
    floor: int
    exclusive_area: Decimal
    owner_key: str
    owner_name: str
    phone: str
    is_developer_unsold: bool
    is_elderly_living_alone: bool
    has_disability: bool


@dataclass(slots=True)
class UnitSpec:
    number: str
    has_elevator: bool
    households: list[HouseholdSpec]


@dataclass(slots=True)
class BuildingSpec:
    number: str
    floors: int
    has_elevator: bool
    units: list[UnitSpec]


@dataclass(slots=True)
class CompoundSpec:
    code: str
    name: str
    district_code: str
    street_code: str
    community_code: str
    address: str
    longitude: float
    latitude: float
    boundary: dict | None
    year_built: int
    property_rights: str
    original_property_unit: str
    management_status: str
    has_owners_committee: bool
    party_organisation: str
    building_count: int
    household_count: int
    total_floor_area: Decimal
    buildings: list[BuildingSpec] = field(default_factory=list)


# --- helpers --------------------------------------------------------------------------------


def largest_remainder(total: int, weights) -> np.ndarray:
    """Integers proportional to `weights` summing exactly to `total` (Hamilton's method)."""
    w = np.asarray(weights, dtype=float)
    quotas = total * w / w.sum()
    counts = np.floor(quotas).astype(np.int64)
    rest = int(total - counts.sum())
    order = np.argsort(-(quotas - counts), kind="stable")
    counts[order[:rest]] += 1
    return counts


def _pick(rng: np.random.Generator, table, size: int) -> np.ndarray:
    values = np.array([value for value, _ in table], dtype=object)
    p = np.array([weight for _, weight in table], dtype=float)
    return values[rng.choice(len(values), size=size, p=p / p.sum())]


def _cents(values: np.ndarray) -> np.ndarray:
    return np.rint(values * 100).astype(np.int64)


def _decimal(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def territory(city: dict) -> list[NodeSpec]:
    """The city's nodes in path order: city, then each district, its streets and communities."""
    code = city["city"]["code"]
    nodes = [NodeSpec("city", code, city["city"]["name"], None)]
    for district in city["districts"]:
        nodes.append(
            NodeSpec("district", district["code"], district["name"], code, district.get("outline"))
        )
        for street in district["streets"]:
            nodes.append(NodeSpec("street", street["code"], street["name"], district["code"]))
            nodes.extend(
                NodeSpec("community", c["code"], c["name"], street["code"])
                for c in street["communities"]
            )
    return nodes


@dataclass(frozen=True)
class _Community:
    code: str
    name: str
    street_code: str
    street_name: str
    district_index: int


@dataclass
class _District:
    code: str
    name: str
    outline: object  # shapely geometry, prepared
    center: tuple[float, float]


def _districts(city: dict) -> tuple[list[_District], list[_Community]]:
    districts, communities = [], []
    for index, district in enumerate(city["districts"]):
        outline = shapely.make_valid(shape(district["outline"]))
        shapely.prepare(outline)
        center = tuple(district.get("center") or outline.representative_point().coords[0])
        districts.append(_District(district["code"], district["name"], outline, center))
        for street in district["streets"]:
            communities.extend(
                _Community(c["code"], c["name"], street["code"], street["name"], index)
                for c in street["communities"]
            )
    return districts, communities


def _allocate_compounds(
    rng, districts, communities, total: int, *, even: bool = False
) -> np.ndarray:
    """Compounds per community (same order as `communities`), summing to `total`: districts by
    `DISTRICT_WEIGHTS` (largest remainder), then communities by a multinomial over gamma
    weights, or evenly (largest remainder) when `even` (national scale, to keep serials < 1000).
    """
    weights = [DISTRICT_WEIGHTS.get(d.code, 0.01) for d in districts]
    per_district = largest_remainder(total, weights)
    per_community = np.zeros(len(communities), dtype=np.int64)
    district_of = np.array([c.district_index for c in communities])
    for index, count in enumerate(per_district):
        members = np.flatnonzero(district_of == index)
        if count and not len(members):
            raise ValueError(f"district {districts[index].code} has no communities")
        if count and even:
            per_community[members] = largest_remainder(int(count), np.ones(len(members)))
        elif count:
            w = rng.gamma(2.0, 1.0, size=len(members))
            per_community[members] = rng.multinomial(int(count), w / w.sum())
    if per_community.max(initial=0) > 999:
        raise ValueError("more than 999 compounds in one community: serials would overflow")
    return per_community


def _sample_points(rng, district: _District, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n points inside the district outline: 60 % clustered round the district seat (where
    old compounds are), the rest uniform; rejection sampling against the prepared outline."""
    minx, miny, maxx, maxy = district.outline.bounds
    sigma = 0.25 * math.sqrt(district.outline.area)
    xs, ys = [], []
    found = 0
    while found < n:
        k = max(2 * (n - found), 32)
        near = rng.random(k) < 0.6
        x = np.where(near, rng.normal(district.center[0], sigma, k), rng.uniform(minx, maxx, k))
        y = np.where(near, rng.normal(district.center[1], sigma, k), rng.uniform(miny, maxy, k))
        inside = shapely.contains_xy(district.outline, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        found += int(inside.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


@lru_cache(maxsize=2)
def _transformers(epsg: str = METRIC_CRS):
    from pyproj import Transformer

    return (
        Transformer.from_crs("EPSG:4326", epsg, always_xy=True),
        Transformer.from_crs(epsg, "EPSG:4326", always_xy=True),
    )


def _boundaries(rng, lon: np.ndarray, lat: np.ndarray) -> list[dict]:
    """Rotated rectangles of 60–250 m sides round each point, built in metres (EPSG:4547) and
    returned as GeoJSON Polygons in WGS84 (exterior ring counter-clockwise)."""
    n = len(lon)
    if not n:
        return []
    forward, inverse = _transformers()
    x, y = forward.transform(lon, lat)
    half_w = rng.uniform(*BOUNDARY_SIDE_M, n) / 2
    half_h = rng.uniform(*BOUNDARY_SIDE_M, n) / 2
    theta = rng.uniform(0, math.pi, n)
    corners = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)], dtype=float)
    dx = corners[None, :, 0] * half_w[:, None]
    dy = corners[None, :, 1] * half_h[:, None]
    cos, sin = np.cos(theta)[:, None], np.sin(theta)[:, None]
    cx = np.asarray(x)[:, None] + dx * cos - dy * sin
    cy = np.asarray(y)[:, None] + dx * sin + dy * cos
    blon, blat = inverse.transform(cx.ravel(), cy.ravel())
    blon = np.round(np.asarray(blon).reshape(n, 5), 7)
    blat = np.round(np.asarray(blat).reshape(n, 5), 7)
    return [
        {
            "type": "Polygon",
            "coordinates": [[[float(a), float(b)] for a, b in zip(blon[i], blat[i], strict=True)]],
        }
        for i in range(n)
    ]


def _fit_areas(raw: np.ndarray, target_total: float) -> np.ndarray:
    """Stretch `raw` about MIN_AREA (clipped to the range) so it sums to `target_total`; the
    sum is monotone in the stretch, so bisection finds it. Returns cents summing exactly."""
    n = len(raw)
    if not MIN_AREA * n <= target_total <= MAX_AREA * n:
        raise ValueError("area target is outside what 45–120 m² households can reach")
    low, high = 0.0, 64.0
    for _ in range(60):
        mid = (low + high) / 2
        total = np.clip(MIN_AREA + (raw - MIN_AREA) * mid, MIN_AREA, MAX_AREA).sum()
        low, high = (mid, high) if total < target_total else (low, mid)
    cents = _cents(np.clip(MIN_AREA + (raw - MIN_AREA) * low, MIN_AREA, MAX_AREA))
    residue = round(target_total * 100) - int(cents.sum())
    step = 1 if residue > 0 else -1
    limit = round((MAX_AREA if step > 0 else MIN_AREA) * 100)
    while residue:
        movable = np.flatnonzero(cents != limit)
        chosen = movable[: abs(residue)]
        cents[chosen] += step
        residue -= step * len(chosen)
    return cents


@dataclass
class _CompoundLevel:
    """Compound-level draws for one chunk, as parallel arrays/lists."""

    codes: list[str]
    names: list[str]
    community: list[_Community]
    addresses: list[str]
    lon: np.ndarray
    lat: np.ndarray
    boundary: list[dict | None]
    year: np.ndarray
    rights: np.ndarray
    original_unit: list[str]
    status: np.ndarray
    committee: np.ndarray
    party: np.ndarray
    households: np.ndarray


def _syllable_name(rng) -> str:
    if rng.random() < 0.5:
        return WORDS[rng.integers(len(WORDS))]
    return FIRST[rng.integers(len(FIRST))] + SECOND[rng.integers(len(SECOND))]


def _compound_level(rng, slots, districts, household_total: int) -> _CompoundLevel:
    """Draw everything about the compounds in `slots` ((community, serial) pairs)."""
    n = len(slots)
    community = [c for c, _ in slots]
    codes = [f"{c.code}{serial:03d}" for c, serial in slots]
    year = YEAR_FIRST + np.rint((YEAR_LAST - YEAR_FIRST) * rng.beta(4.0, 2.0, n)).astype(int)
    rights = _pick(rng, PROPERTY_RIGHTS, n)
    status = _pick(rng, MANAGEMENT_STATUS, n)
    chance = np.array([OWNERS_COMMITTEE_CHANCE[s] for s in status])
    committee = rng.random(n) < chance
    party = _pick(rng, PARTY_ORGANISATION, n)

    original_unit, names, addresses = [], [], []
    for i in range(n):
        district = districts[community[i].district_index]
        unit_full = unit_short = ""
        if rights[i] in WITH_ORIGINAL_UNIT:
            if district.code == WUGANG_DISTRICT and rng.random() < 0.6:
                unit_full, unit_short = ORIGINAL_UNITS[0]
            else:
                unit_full, unit_short = ORIGINAL_UNITS[rng.integers(len(ORIGINAL_UNITS))]
        original_unit.append(unit_full)
        if unit_short and rng.random() < 0.6:
            names.append(unit_short + UNIT_SUFFIXES[rng.integers(len(UNIT_SUFFIXES))])
        else:
            names.append(
                _syllable_name(rng) + COMPOUND_SUFFIXES[rng.integers(len(COMPOUND_SUFFIXES))]
            )
        road = _syllable_name(rng) + ROAD_SUFFIXES[rng.integers(len(ROAD_SUFFIXES))]
        addresses.append(
            f"武汉市{district.name}{community[i].street_name}{road}{int(rng.integers(1, 400))}号"
        )

    lon = np.empty(n)
    lat = np.empty(n)
    district_of = np.array([c.district_index for c in community])
    for index in np.unique(district_of):
        members = np.flatnonzero(district_of == index)
        lon[members], lat[members] = _sample_points(rng, districts[index], len(members))
    lon, lat = np.round(lon, 7), np.round(lat, 7)
    has_boundary = rng.random(n) < BOUNDARY_SHARE
    boundary: list[dict | None] = [None] * n
    for i, polygon in zip(
        np.flatnonzero(has_boundary),
        _boundaries(rng, lon[has_boundary], lat[has_boundary]),
        strict=True,
    ):
        boundary[i] = polygon

    if household_total < MIN_HOUSEHOLDS * n:
        raise ValueError("too few households for the number of compounds")
    weights = rng.lognormal(0.0, 0.8, n)
    households = MIN_HOUSEHOLDS + largest_remainder(household_total - MIN_HOUSEHOLDS * n, weights)
    return _CompoundLevel(
        codes,
        names,
        community,
        addresses,
        lon,
        lat,
        boundary,
        year,
        rights,
        original_unit,
        status,
        committee,
        party,
        households,
    )


def _mean_area(year: np.ndarray) -> np.ndarray:
    """Older compounds have smaller flats: about 55 m² in 1960 to 75 m² in 2000."""
    return 55.0 + (year - YEAR_FIRST) * 0.5


def _spec(
    level: _CompoundLevel,
    i: int,
    districts,
    *,
    buildings,
    building_count: int,
    exclusive_cents: int,
) -> CompoundSpec:
    community = level.community[i]
    return CompoundSpec(
        code=level.codes[i],
        name=level.names[i],
        district_code=districts[community.district_index].code,
        street_code=community.street_code,
        community_code=community.code,
        address=level.addresses[i],
        longitude=float(level.lon[i]),
        latitude=float(level.lat[i]),
        boundary=level.boundary[i],
        year_built=int(level.year[i]),
        property_rights=str(level.rights[i]),
        original_property_unit=level.original_unit[i],
        management_status=str(level.status[i]),
        has_owners_committee=bool(level.committee[i]),
        party_organisation=str(level.party[i]),
        building_count=building_count,
        household_count=int(level.households[i]),
        total_floor_area=_decimal(round(exclusive_cents * COMMON_AREA_FACTOR)),
        buildings=buildings,
    )


# --- city scale: buildings, units, households ----------------------------------------------


class _Pool:
    """Pre-drawn values consumed one at a time (cheaper than one numpy call per building)."""

    def __init__(self, values: np.ndarray):
        self.values = values.tolist()
        self.position = 0

    def next(self):
        value = self.values[self.position]
        self.position += 1
        return value


@cache
def _rooms(floors: int, households: int) -> tuple[tuple[int, str], ...]:
    """(floor, room number) for a unit: households spread evenly, lower floors first ("301")."""
    base, extra = divmod(households, floors)
    return tuple(
        (floor, f"{floor}{k:02d}")
        for floor in range(1, floors + 1)
        for k in range(1, base + (1 if floor <= extra else 0) + 1)
    )


def _layout(n: int, floors: _Pool, units: _Pool, per_floor: _Pool, elevator: _Pool):
    """Buildings for n households: [(floors, has_elevator, [[(floor, room), …] per unit])].

    Buildings are added until everyone is housed; the last one keeps only the units it needs
    and its last unit only the rooms it needs (lowest floors first)."""
    layout = []
    remaining = n
    while remaining > 0:
        f, u, h = floors.next(), units.next(), per_floor.next()
        lift = f >= 4 and elevator.next()
        per_unit = f * h
        u = min(u, math.ceil(remaining / per_unit))
        unit_rooms = []
        for _ in range(u):
            take = min(per_unit, remaining)
            unit_rooms.append(_rooms(f, take))
            remaining -= take
        layout.append((f, lift, unit_rooms))
    return layout


def _city(rng, districts, communities, targets: Targets) -> Iterator[CompoundSpec]:
    per_community = _allocate_compounds(rng, districts, communities, targets.compounds)
    slots = [
        (c, serial)
        for c, count in zip(communities, per_community, strict=True)
        for serial in range(1, int(count) + 1)
    ]
    level = _compound_level(rng, slots, districts, targets.households)
    total = int(level.households.sum())

    starts = np.concatenate(([0], np.cumsum(level.households)[:-1]))
    compound_of = np.repeat(np.arange(len(slots)), level.households)
    mean = _mean_area(level.year)[compound_of]
    raw = MIN_AREA + rng.gamma(4.0, (mean - MIN_AREA) / 4.0)
    cents = _fit_areas(raw, targets.floor_area / COMMON_AREA_FACTOR)

    owner = np.arange(total)
    positions = np.arange(total) - starts[compound_of]
    second = np.flatnonzero((rng.random(total) < SECOND_HOME_SHARE) & (positions > 0))
    earlier = starts[compound_of[second]] + np.floor(
        rng.random(len(second)) * positions[second]
    ).astype(np.int64)
    for i, j in zip(second.tolist(), earlier.tolist(), strict=True):
        owner[i] = owner[j]
    developer_compound = np.isin(level.rights, ["commodity", "mixed"])[compound_of]
    unsold = developer_compound & (rng.random(total) < DEVELOPER_UNSOLD_SHARE)
    elderly = rng.random(total) < ELDERLY_ALONE_SHARE
    disabled = rng.random(total) < DISABILITY_SHARE
    keys = [f"{v:016x}" for v in rng.integers(0, 2**63, total, dtype=np.int64).tolist()]
    surname = rng.integers(len(SURNAMES), size=total).tolist()
    given1 = rng.integers(len(GIVEN), size=total).tolist()
    given2 = rng.integers(-len(GIVEN) // 2, len(GIVEN), size=total).tolist()
    prefix = rng.integers(len(PHONE_PREFIXES), size=total).tolist()
    digits = rng.integers(0, 10**8, size=total).tolist()
    names = [
        SURNAMES[a] + GIVEN[b] + (GIVEN[c] if c >= 0 else "")
        for a, b, c in zip(surname, given1, given2, strict=True)
    ]
    phones = [f"{PHONE_PREFIXES[a]}{b:08d}" for a, b in zip(prefix, digits, strict=True)]
    owner_list = owner.tolist()
    keys = [keys[o] for o in owner_list]
    names = [names[o] for o in owner_list]
    phones = [phones[o] for o in owner_list]

    pools = [
        _Pool(_pick(rng, FLOORS, total)),
        _Pool(_pick(rng, UNITS_PER_BUILDING, total)),
        _Pool(_pick(rng, HOUSEHOLDS_PER_FLOOR, total)),
        _Pool(rng.random(total) < ELEVATOR_SHARE / 0.9),
    ]
    low = round(MIN_AREA * 100)
    areas = [Decimal(c).scaleb(-2) for c in range(low, round(MAX_AREA * 100) + 1)]
    area_list = [areas[c - low] for c in cents.tolist()]
    unsold_list = unsold.tolist()
    elderly_list = (elderly & ~unsold).tolist()
    disabled_list = (disabled & ~unsold).tolist()

    for i in range(len(slots)):
        index = int(starts[i])
        developer = f"developer-{level.codes[i]}"
        buildings = []
        for b, (floors, lift, unit_rooms) in enumerate(
            _layout(int(level.households[i]), *pools), start=1
        ):
            units = []
            for u, rooms in enumerate(unit_rooms, start=1):
                households = []
                for floor, room in rooms:
                    if unsold_list[index]:
                        households.append(
                            HouseholdSpec(
                                room,
                                floor,
                                area_list[index],
                                developer,
                                "开发商",
                                "",
                                True,
                                False,
                                False,
                            )
                        )
                    else:
                        households.append(
                            HouseholdSpec(
                                room,
                                floor,
                                area_list[index],
                                keys[index],
                                names[index],
                                phones[index],
                                False,
                                elderly_list[index],
                                disabled_list[index],
                            )
                        )
                    index += 1
                units.append(UnitSpec(number=f"{u}单元", has_elevator=lift, households=households))
            buildings.append(
                BuildingSpec(number=f"{b}栋", floors=floors, has_elevator=lift, units=units)
            )
        start = int(starts[i])
        exclusive = int(cents[start:index].sum())
        yield _spec(
            level,
            i,
            districts,
            buildings=buildings,
            building_count=len(buildings),
            exclusive_cents=exclusive,
        )


# --- national scale: compound-level only, in chunks -----------------------------------------


def _national(
    rng, districts, communities, targets: Targets, *, seed: int, chunk_size: int
) -> Iterator[CompoundSpec]:
    per_community = _allocate_compounds(rng, districts, communities, targets.compounds, even=True)
    chunks = math.ceil(targets.compounds / chunk_size)
    sizes = np.full(chunks, chunk_size)
    sizes[-1] = targets.compounds - chunk_size * (chunks - 1)
    chunk_households = largest_remainder(targets.households, sizes)
    exclusive_total = targets.floor_area / COMMON_AREA_FACTOR
    chunk_area_cents = largest_remainder(round(exclusive_total * 100), chunk_households)

    def slot_stream():
        for community, count in zip(communities, per_community, strict=True):
            for serial in range(1, int(count) + 1):
                yield community, serial

    stream = slot_stream()
    for chunk in range(chunks):
        chunk_rng = np.random.default_rng([seed, chunk + 1])
        slots = [next(stream) for _ in range(int(sizes[chunk]))]
        level = _compound_level(chunk_rng, slots, districts, int(chunk_households[chunk]))
        n = len(slots)
        mean = np.clip(_mean_area(level.year) + chunk_rng.normal(0, 5, n), MIN_AREA, MAX_AREA)
        weights = level.households * mean
        exclusive = largest_remainder(int(chunk_area_cents[chunk]), weights)
        per_building = chunk_rng.uniform(18, 40, n)
        buildings = np.maximum(1, np.rint(level.households / per_building)).astype(int)
        for i in range(n):
            yield _spec(
                level,
                i,
                districts,
                buildings=[],
                building_count=int(buildings[i]),
                exclusive_cents=int(exclusive[i]),
            )


def generate(
    city: dict,
    *,
    seed: int,
    scale: str = "city",
    targets: Targets | None = None,
    chunk_size: int = 5_000,
) -> Iterator[CompoundSpec]:
    """The compounds of the demo city, in code order (community code, then serial).

    `city` is the dict in build/data/wuhan.json; `scale` is "city" (with buildings, units and
    households) or "national" (compound level only, lazily in chunks of `chunk_size`).
    `targets` overrides the scale's totals (tests and benchmarks use smaller ones).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; use one of {sorted(SCALES)}")
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")
    targets = targets or SCALES[scale]
    rng = np.random.default_rng(seed)
    districts, communities = _districts(city)
    if scale == "city":
        return _city(rng, districts, communities, targets)
    return _national(rng, districts, communities, targets, seed=seed, chunk_size=chunk_size)
