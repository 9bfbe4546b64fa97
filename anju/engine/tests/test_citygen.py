"""The demo city generator: deterministic, totals met by construction, points where they belong."""

import json
import runpy
import types
from collections import Counter
from decimal import Decimal
from itertools import islice
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely import Point
from shapely.geometry import shape

from anju.engine import citygen
from anju.engine.geo import WUHAN, project

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "build" / "data" / "wuhan.json"
EXTRACT = ROOT / "scripts" / "extract_city_data.py"
CENTRAL = {"420102", "420103", "420104", "420105", "420106", "420107", "420111"}


def load_wuhan() -> dict:
    """build/data/wuhan.json, extracted from node_modules first when it is missing."""
    if not DATA.exists():
        status = runpy.run_path(str(EXTRACT))["main"]([])
        if status or not DATA.exists():
            pytest.fail(
                f"{DATA} is missing and scripts/extract_city_data.py could not build it "
                "(is node_modules installed? run `npm ci`)"
            )
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wuhan() -> dict:
    return load_wuhan()


@pytest.fixture(scope="module")
def city(wuhan) -> list[citygen.CompoundSpec]:
    return list(citygen.generate(wuhan, seed=2019))


def households(compound):
    return [h for b in compound.buildings for u in b.units for h in u.households]


SMALL = citygen.Targets(compounds=60, households=18_000, floor_area=1_350_000.0)


def test_same_seed_gives_the_same_city(wuhan):
    first = list(citygen.generate(wuhan, seed=2019, targets=SMALL))
    again = list(citygen.generate(wuhan, seed=2019, targets=SMALL))
    assert first == again
    assert sum(c.household_count for c in first) == 18_000


def test_another_seed_gives_another_city(wuhan):
    first = list(citygen.generate(wuhan, seed=2019, targets=SMALL))
    other = list(citygen.generate(wuhan, seed=2020, targets=SMALL))
    assert [c.code for c in other] != [c.code for c in first]
    assert [c.longitude for c in other] != [c.longitude for c in first]
    assert [households(c)[0].owner_key for c in other] != [
        households(c)[0].owner_key for c in first
    ]


def test_the_full_city_is_reproducible(wuhan, city):
    assert list(islice(citygen.generate(wuhan, seed=2019), 5)) == city[:5]


def test_city_totals_match_the_published_figures_within_one_percent(city):
    assert len(city) == 1_103
    total_households = sum(c.household_count for c in city)
    total_area = sum(c.total_floor_area for c in city)
    assert abs(total_households - 327_600) <= 3_276
    assert abs(total_area - Decimal(24_800_000)) <= Decimal(248_000)


def test_compound_counts_equal_their_rows(city):
    for compound in city:
        rows = households(compound)
        assert compound.household_count == len(rows) >= citygen.MIN_HOUSEHOLDS
        assert compound.building_count == len(compound.buildings) >= 1
        exclusive_cents = sum(int(h.exclusive_area * 100) for h in rows)
        assert compound.total_floor_area == Decimal(
            round(exclusive_cents * citygen.COMMON_AREA_FACTOR)
        ).scaleb(-2)


def test_codes_are_unique_and_extend_their_community(wuhan, city):
    communities = {
        c["code"]: (d["code"], s["code"])
        for d in wuhan["districts"]
        for s in d["streets"]
        for c in s["communities"]
    }
    assert len({c.code for c in city}) == len(city)
    for compound in city:
        assert compound.code[:12] == compound.community_code
        assert len(compound.code) == 15 and compound.code[12:].isdigit()
        assert communities[compound.community_code] == (
            compound.district_code,
            compound.street_code,
        )
    assert [c.code for c in city] == sorted(c.code for c in city)


def test_points_lie_in_wuhan_and_in_their_district(wuhan, city):
    outlines = {d["code"]: shape(d["outline"]) for d in wuhan["districts"]}
    for compound in city:
        assert WUHAN.contains(compound.longitude, compound.latitude)
        assert (
            outlines[compound.district_code]
            .buffer(1e-9)
            .contains(Point(compound.longitude, compound.latitude))
        )


def test_old_central_districts_get_most_compounds(city):
    by_district = Counter(c.district_code for c in city)
    assert len(by_district) == 13
    assert sum(by_district[code] for code in CENTRAL) >= 0.8 * len(city)


def test_years_fall_in_1960_2000_mostly_in_the_1980s_and_1990s(city):
    years = [c.year_built for c in city]
    assert min(years) >= 1960 and max(years) <= 2000
    assert sum(1980 <= y <= 2000 for y in years) >= 0.6 * len(years)


def test_buildings_are_old_walk_ups(city):
    buildings = [b for c in city for b in c.buildings]
    assert all(2 <= b.floors <= 7 for b in buildings)
    assert all(1 <= len(b.units) <= 4 for b in buildings)
    with_elevator = sum(b.has_elevator for b in buildings) / len(buildings)
    assert 0.03 <= with_elevator <= 0.07
    for building in buildings:
        for unit in building.units:
            assert unit.has_elevator == building.has_elevator
            rooms = [h.room for h in unit.households]
            assert len(rooms) == len(set(rooms))
            assert all(1 <= h.floor <= building.floors for h in unit.households)
            assert all(h.room.startswith(str(h.floor)) for h in unit.households)


def test_households_are_plausible(city):
    rows = [h for c in city for h in households(c)]
    assert all(Decimal(45) <= h.exclusive_area <= Decimal(120) for h in rows)
    assert all(h.exclusive_area == h.exclusive_area.quantize(Decimal("0.01")) for h in rows)
    elderly = sum(h.is_elderly_living_alone for h in rows) / len(rows)
    disabled = sum(h.has_disability for h in rows) / len(rows)
    unsold = sum(h.is_developer_unsold for h in rows)
    assert 0.06 <= elderly <= 0.10
    assert 0.01 <= disabled <= 0.03
    assert 0 < unsold < 0.02 * len(rows)
    people = [h for h in rows if not h.is_developer_unsold]
    assert all(len(h.phone) == 11 and h.phone.isdigit() for h in people)


def test_some_owners_hold_two_households_in_one_compound(city):
    repeated = 0
    for compound in city:
        keys = Counter(h.owner_key for h in households(compound) if not h.is_developer_unsold)
        repeated += sum(n - 1 for n in keys.values())
    share = repeated / sum(c.household_count for c in city)
    assert 0.02 <= share <= 0.04


def test_mixes_of_rights_and_management_are_realistic(city):
    status = Counter(c.management_status for c in city)
    assert set(status) == {"professional", "red_property", "self_managed", "street_managed", "none"}
    assert status["none"] + status["street_managed"] > len(city) / 2
    assert status["red_property"] > 0.05 * len(city)
    for compound in city:
        if compound.property_rights in citygen.WITH_ORIGINAL_UNIT:
            assert compound.original_property_unit
        else:
            assert not compound.original_property_unit


def test_about_a_fifth_have_a_rectangular_boundary_of_60_to_250_m(city):
    with_boundary = [c for c in city if c.boundary]
    assert 0.15 <= len(with_boundary) / len(city) <= 0.25
    for compound in with_boundary:
        ring = compound.boundary["coordinates"][0]
        assert compound.boundary["type"] == "Polygon" and ring[0] == ring[-1]
        xs, ys = project([p[0] for p in ring], [p[1] for p in ring])
        sides = [((xs[i + 1] - xs[i]) ** 2 + (ys[i + 1] - ys[i]) ** 2) ** 0.5 for i in range(4)]
        assert all(59.5 <= side <= 250.5 for side in sides)
        assert shape(compound.boundary).contains(Point(compound.longitude, compound.latitude))


def test_national_scale_is_lazy_compound_level_and_exact(wuhan):
    targets = citygen.Targets(compounds=7_500, households=1_282_500, floor_area=97_000_000.0)
    stream = citygen.generate(wuhan, seed=7, scale="national", targets=targets, chunk_size=2_000)
    assert isinstance(stream, types.GeneratorType)
    compounds = list(stream)
    assert len(compounds) == 7_500
    assert len({c.code for c in compounds}) == 7_500
    assert sum(c.household_count for c in compounds) == 1_282_500
    assert abs(sum(c.total_floor_area for c in compounds) - Decimal(97_000_000)) < 970_000
    assert all(not c.buildings and c.building_count >= 1 for c in compounds)


def test_national_targets_follow_the_published_averages():
    assert citygen.NATIONAL.compounds == 220_000
    assert citygen.NATIONAL.households == round(220_000 * 48_000_000 / 280_000)


def test_largest_remainder_gives_leftover_seats_to_the_largest_remainders():
    assert citygen.largest_remainder(10, [1, 1, 1]).tolist() == [4, 3, 3]
    assert citygen.largest_remainder(7, [0.5, 0.25, 0.25]).tolist() == [3, 2, 2]


@given(st.integers(0, 10**6), st.lists(st.floats(0.01, 100), min_size=1, max_size=30))
def test_largest_remainder_sums_exactly_and_stays_within_one_of_the_quota(total, weights):
    counts = citygen.largest_remainder(total, weights)
    assert counts.sum() == total
    quotas = [total * w / sum(weights) for w in weights]
    assert all(abs(c - q) < 1 + 1e-6 for c, q in zip(counts, quotas, strict=True))


def test_unknown_scale_and_negative_seed_are_refused(wuhan):
    with pytest.raises(ValueError, match="unknown scale"):
        citygen.generate(wuhan, seed=1, scale="planet")
    with pytest.raises(ValueError, match="non-negative"):
        citygen.generate(wuhan, seed=-1)


def test_territory_lists_every_node_once_in_tree_order(wuhan):
    nodes = citygen.territory(wuhan)
    codes = [n.code for n in nodes]
    assert len(codes) == len(set(codes))
    assert nodes[0].kind == "city" and nodes[0].code == "4201"
    districts = [n for n in nodes if n.kind == "district"]
    assert [d.code for d in districts][:2] == ["420102", "420103"] and len(districts) == 13
    assert all(d.outline for d in districts)
    seen = set()
    for node in nodes:
        assert node.parent_code is None or node.parent_code in seen
        seen.add(node.code)
