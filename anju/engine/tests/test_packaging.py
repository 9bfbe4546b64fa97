"""Contiguous renovation: neighbouring compounds of one street become one package, split into
contiguous pieces when a package would exceed its household or cost cap."""

import random
from collections import deque
from decimal import Decimal

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import Point, Polygon, box

from anju.engine.packaging import (
    Compound,
    PackagingInputError,
    explain,
    propose_packages,
)

STREET = "420102001"  # a street of 江岸区
OTHER_STREET = "420102002"


def compound(id, x, y=0.0, *, size=100.0, group=STREET, households=100, cost="5000000"):
    """A square compound with its south-west corner at (x, y), in metres."""
    return Compound(id, box(x, y, x + size, y + size), group, households, Decimal(cost))


def members(packages) -> list[tuple[str, ...]]:
    return [package.members for package in packages]


# --- neighbours ------------------------------------------------------------------------------


def test_touching_compounds_of_one_street_make_one_package():
    packages = propose_packages([compound("A", 0), compound("B", 100)])
    assert members(packages) == [("A", "B")]
    assert packages[0].id == "PKG-A"
    assert packages[0].households == 200 and packages[0].cost == Decimal("10000000")


def test_compounds_100_metres_apart_are_neighbours_and_a_metre_more_are_not():
    assert members(propose_packages([compound("A", 0), compound("B", 200)])) == [("A", "B")]
    assert members(propose_packages([compound("A", 0), compound("B", 201)])) == [("A",), ("B",)]


def test_the_distance_is_a_parameter():
    pair = [compound("A", 0), compound("B", 150)]
    assert members(propose_packages(pair, distance_m=49)) == [("A",), ("B",)]
    assert members(propose_packages(pair, distance_m=50)) == [("A", "B")]


def test_a_package_never_crosses_the_street():
    packages = propose_packages([compound("A", 0), compound("B", 100, group=OTHER_STREET)])
    assert [(p.group, p.members) for p in packages] == [(STREET, ("A",)), (OTHER_STREET, ("B",))]


def test_neighbours_chain_into_one_package():
    chain = [compound(name, 150 * i) for i, name in enumerate("ABCDE")]
    assert members(propose_packages(chain)) == [("A", "B", "C", "D", "E")]


def test_a_compound_known_only_as_a_point_is_the_disc_of_its_radius():
    point = Compound("P", Point(260, 50), STREET, 80, Decimal(3000000), radius_m=60.0)
    assert members(propose_packages([compound("A", 0), point])) == [("A", "P")]  # 160 − 60
    far = Compound("P", Point(261, 50), STREET, 80, Decimal(3000000), radius_m=60.0)
    assert members(propose_packages([compound("A", 0), far])) == [("A",), ("P",)]


# --- levels ----------------------------------------------------------------------------------


def test_one_compound_is_a_single_a_row_is_a_street_and_a_block_is_an_area():
    row = [compound(name, 120 * i) for i, name in enumerate("ABCD")]
    block = [compound(name, 120 * (i % 2), 500 + 120 * (i // 2)) for i, name in enumerate("EFGH")]
    pair = [compound("I", 0, 1000), compound("J", 120, 1000)]
    alone = [compound("K", 0, 3000)]
    levels = {p.members: p.level for p in propose_packages(row + block + pair + alone)}
    assert levels == {
        ("A", "B", "C", "D"): "street",
        ("E", "F", "G", "H"): "area",
        ("I", "J"): "street",
        ("K",): "single",
    }


def test_the_hull_covers_every_member():
    packages = propose_packages([compound("A", 0), compound("B", 150, 80), compound("C", 300)])
    hull = packages[0].hull
    assert hull.geom_type == "Polygon"
    assert all(hull.covers(box(x, y, x + 100, y + 100)) for x, y in [(0, 0), (150, 80), (300, 0)])


# --- caps ------------------------------------------------------------------------------------


def test_a_household_cap_splits_a_chain_into_contiguous_pieces():
    chain = [compound(name, 150 * i, households=100) for i, name in enumerate("ABCDE")]
    packages = propose_packages(chain, max_households=200)
    assert members(packages) == [("A", "B"), ("C", "D"), ("E",)]
    assert all(p.households <= 200 and not p.is_over_cap for p in packages)


def test_a_cost_cap_in_yuan_splits_too():
    chain = [compound(name, 150 * i, cost="4000000.50") for i, name in enumerate("ABC")]
    packages = propose_packages(chain, max_cost=Decimal("8000001.00"))
    assert members(packages) == [("A", "B"), ("C",)]
    assert packages[0].cost == Decimal("8000001.00")


def test_growth_skips_a_compound_that_does_not_fit_and_takes_a_later_one():
    """A star: B (300 households) does not fit beside A, but C and D do; B is left for the
    next piece."""
    hub = compound("A", 0, 0, households=100)
    spokes = [
        compound("B", 150, 0, households=300),
        compound("C", -150, 0, households=100),
        compound("D", 0, 150, households=100),
    ]
    packages = propose_packages([hub, *spokes], max_households=300)
    assert members(packages) == [("A", "C", "D"), ("B",)]


def test_a_compound_over_the_cap_by_itself_is_its_own_flagged_package():
    big = compound("B", 150, households=900)  # A and C are 200 m apart: neighbours only of B
    packages = propose_packages([compound("A", 0), big, compound("C", 300)], max_households=500)
    assert [(p.members, p.is_over_cap) for p in packages] == [
        (("A",), False),
        (("B",), True),
        (("C",), False),
    ]


# --- determinism -----------------------------------------------------------------------------


def test_the_answer_does_not_depend_on_the_input_order():
    city = [
        compound(f"C{i:02d}", 130 * (i % 6), 130 * (i // 6), households=40 + 7 * i,
                 group=STREET if i % 5 else OTHER_STREET)
        for i in range(30)
    ]  # fmt: skip
    expected = propose_packages(city, max_households=400)
    shuffled = city[:]
    random.Random(4).shuffle(shuffled)
    again = propose_packages(shuffled, max_households=400)
    assert [(p.id, p.members, p.level, p.households) for p in again] == [
        (p.id, p.members, p.level, p.households) for p in expected
    ]
    assert all(a.hull.equals(b.hull) for a, b in zip(again, expected, strict=True))


# --- invariants ------------------------------------------------------------------------------


@st.composite
def cities(draw):
    count = draw(st.integers(1, 25))
    rows = []
    for index in range(count):
        x = draw(st.integers(0, 12)) * 60.0
        y = draw(st.integers(0, 12)) * 60.0
        group = draw(st.sampled_from([STREET, OTHER_STREET]))
        households = draw(st.integers(0, 400))
        cost = Decimal(draw(st.integers(0, 2000))) * 10_000
        if draw(st.booleans()):
            size = draw(st.sampled_from([40.0, 80.0, 120.0]))
            geometry = box(x, y, x + size, y + size)
            rows.append(Compound(f"C{index:02d}", geometry, group, households, cost))
        else:
            radius = draw(st.sampled_from([20.0, 50.0]))
            rows.append(
                Compound(f"C{index:02d}", Point(x, y), group, households, cost, radius_m=radius)
            )
    return rows


def near(a: Compound, b: Compound, distance_m: float) -> bool:
    gap = a.geometry.distance(b.geometry) - a.radius_m - b.radius_m
    return a.group == b.group and gap <= distance_m


def connected(rows: list[Compound], distance_m: float) -> bool:
    reached, queue = {0}, deque([0])
    while queue:
        current = queue.popleft()
        for other in range(len(rows)):
            if other not in reached and near(rows[current], rows[other], distance_m):
                reached.add(other)
                queue.append(other)
    return len(reached) == len(rows)


@settings(max_examples=60, deadline=None)
@given(
    cities(),
    st.sampled_from([0.0, 50.0, 100.0]),
    st.one_of(st.none(), st.integers(300, 900)),
    st.one_of(st.none(), st.sampled_from([Decimal(5_000_000), Decimal(12_000_000)])),
)
def test_every_package_is_connected_within_one_group_and_respects_the_caps(
    rows, distance_m, max_households, max_cost
):
    packages = propose_packages(
        rows, distance_m=distance_m, max_households=max_households, max_cost=max_cost
    )
    by_id = {row.id: row for row in rows}
    assert sorted(m for p in packages for m in p.members) == sorted(by_id)  # a partition
    for package in packages:
        chosen = [by_id[m] for m in package.members]
        assert {row.group for row in chosen} == {package.group}
        assert connected(chosen, distance_m)
        assert package.households == sum(row.households for row in chosen)
        assert package.cost == sum((row.cost for row in chosen), Decimal())
        within = (max_households is None or package.households <= max_households) and (
            max_cost is None or package.cost <= max_cost
        )
        assert within or (len(chosen) == 1 and package.is_over_cap)
        assert package.is_over_cap is not within


@settings(max_examples=40, deadline=None)
@given(cities(), st.sampled_from([0.0, 50.0, 100.0]))
def test_without_caps_no_two_packages_of_a_group_are_neighbours(rows, distance_m):
    packages = propose_packages(rows, distance_m=distance_m)
    by_id = {row.id: row for row in rows}
    for index, package in enumerate(packages):
        for other in packages[index + 1 :]:
            assert not any(
                near(by_id[a], by_id[b], distance_m) for a in package.members for b in other.members
            )


# --- input that cannot be used ---------------------------------------------------------------


def test_every_problem_is_named():
    bowtie = Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
    rows = [
        compound("A", 0),
        compound("A", 100),
        Compound("B", bowtie, STREET, 10, Decimal(1)),
        Compound("C", Point(0, 0), STREET, 10, Decimal(1)),
        Compound("D", None, "", -1, Decimal(-5)),
    ]
    with pytest.raises(PackagingInputError) as caught:
        propose_packages(rows, distance_m=-1, max_households=0, max_cost="0")
    lines = explain(caught.value)
    assert lines[:3] == [
        "距离应为非负数，不能是“-1”。",
        "每包户数上限应为正整数，不能是“0”。",
        "每包投资上限应为正数，不能是“0”。",
    ]
    assert "小区编号“A”重复（共2次）。" in lines
    assert any(line.startswith("小区“B”的几何图形无效：Self-intersection") for line in lines)
    assert "小区“C”只有点位、没有边界，须给出大于0的半径（米）。" in lines
    assert {"小区“D”没有所属街道或社区。", "小区“D”没有几何图形。"} <= set(lines)
    assert "The households of D must be a non-negative integer, not -1." in explain(
        caught.value, "en"
    )


def test_no_compounds_no_packages():
    assert propose_packages([]) == []


def test_geometries_are_footprints_in_metres():
    assert shapely.area(compound("A", 0).geometry) == 10_000
