"""Cost sharing reads like the rule: who benefits pays, every fen accounted for."""

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anju.engine.cost_sharing import (
    ByArea,
    ByFloorCoefficients,
    CostSharingInputError,
    PerHousehold,
    SplitMethod,
    allocate_item,
    by_area,
    by_floor_coefficients,
    household_totals,
    per_household,
    split_largest_remainder,
)

D = Decimal
FEN = Fraction(1, 100)

# Guangzhou's published community example (DOMAIN.md), floors 1–6 of a six-storey building.
ELEVATOR_TABLE = {1: D(0), 2: D(0), 3: D("0.7"), 4: D("0.8"), 5: D("0.9"), 6: D("1.0")}


# --- hand-computed examples ------------------------------------------------------------------


def test_one_hundred_yuan_among_three_households_gives_the_first_the_leftover_fen():
    split = per_household(D("100.00"), ["101", "102", "103"])

    assert split.amounts == {"101": D("33.34"), "102": D("33.33"), "103": D("33.33")}
    first = split.share_of("101")
    assert first.fraction == Fraction(1, 3)
    assert first.exact_amount == Fraction(100, 3)
    assert first.floored_amount == D("33.33")
    assert first.is_rounded_up
    assert not split.share_of("103").is_rounded_up
    assert split.method is SplitMethod.PER_HOUSEHOLD
    assert split.weight_total == 3


def test_elevator_in_a_six_storey_building_by_floor_coefficient():
    # Two households a floor; floors 1–2 pay nothing. Σ = 2 × (0.7 + 0.8 + 0.9 + 1.0) = 6.8.
    # 200,000.00 ÷ 6.8 = 29,411.764705… yuan per unit of coefficient; in fen:
    #   floor 3: × 0.7 = 2,058,823.529… → 20,588.23 (remainder .529 fen)
    #   floor 4: × 0.8 = 2,352,941.176… → 23,529.41 (remainder .176)
    #   floor 5: × 0.9 = 2,647,058.823… → 26,470.58 (remainder .823)
    #   floor 6: × 1.0 = 2,941,176.470… → 29,411.76 (remainder .470)
    # Floored: 2 × 99,999.98 = 199,999.96; the four fens left go to the four largest
    # remainders, floor 5's two households (.823) and floor 3's (.529):
    #   20,588.24 / 23,529.41 / 26,470.59 / 29,411.76, and 2 × 100,000.00 = 200,000.00.
    floors = {f"{floor}0{door}": floor for floor in range(1, 7) for door in (1, 2)}

    split = by_floor_coefficients(D("200000.00"), floors, ELEVATOR_TABLE)

    expected = {1: D("0.00"), 2: D("0.00"), 3: D("20588.24"), 4: D("23529.41")}
    expected |= {5: D("26470.59"), 6: D("29411.76")}
    assert split.amounts == {code: expected[floor] for code, floor in floors.items()}
    assert sum(split.amounts.values()) == D("200000.00")
    assert split.weight_total == D("6.8")
    fifth = split.share_of("501")
    assert (fifth.floor, fifth.coefficient, fifth.area) == (5, D("0.9"), None)
    assert fifth.is_rounded_up
    assert not split.share_of("601").is_rounded_up


def test_floor_coefficient_times_area_as_in_the_guangzhou_example():
    # weights: 0 × 60 = 0, 0.7 × 80 = 56, 0.8 × 75 = 60; Σ 116.
    # 1,000 × 56/116 = 482.7586… → 482.75 (.86), 1,000 × 60/116 = 517.2413… → 517.24 (.14);
    # 999.99 floored, the last fen to the larger remainder: 482.76.
    floors = {"101": 1, "301": 3, "401": 4}
    areas = {"101": D("60"), "301": D("80"), "401": D("75")}

    split = by_floor_coefficients(D("1000.00"), floors, ELEVATOR_TABLE, areas=areas)

    assert split.amounts == {"101": D("0.00"), "301": D("482.76"), "401": D("517.24")}
    assert split.weights == {"101": D(0), "301": D("56.0"), "401": D("60.0")}
    assert split.share_of("301").area == D("80")


def test_by_area_splits_in_proportion_to_exclusive_area():
    split = by_area(D("900.00"), {"a": D("50.5"), "b": D("101.0"), "c": D("0")})

    # 900 × 50.5/151.5 = 300, 900 × 101/151.5 = 600 exactly; no area, nothing to pay.
    assert split.amounts == {"a": D("300.00"), "b": D("600.00"), "c": D("0.00")}
    assert split.method is SplitMethod.BY_AREA


def test_equal_remainders_give_the_leftover_fen_to_the_larger_weight_whatever_the_order():
    # 2 fen by weights 1 : 3 → exact 0.5 and 1.5 fen, equal remainders; one fen left over.
    assert split_largest_remainder(D("0.02"), {"a": 1, "b": 3}) == {
        "a": D("0.00"),
        "b": D("0.02"),
    }
    assert split_largest_remainder(D("0.02"), {"b": 3, "a": 1}) == {
        "b": D("0.02"),
        "a": D("0.00"),
    }


def test_amounts_always_carry_two_places():
    assert split_largest_remainder(D("5"), {"a": 1, "b": 1}) == {"a": D("2.50"), "b": D("2.50")}
    assert str(split_largest_remainder(D("0"), {"a": 1})["a"]) == "0.00"


def test_a_floor_missing_from_the_table_takes_the_default_coefficient_when_given():
    floors = {"701": 7, "601": 6}

    with pytest.raises(CostSharingInputError) as error:
        by_floor_coefficients(D("100.00"), floors, ELEVATOR_TABLE)
    assert error.value.code == "floor_not_in_table"
    assert error.value.params == {"floor": 7, "household": "701"}

    split = by_floor_coefficients(D("100.00"), floors, ELEVATOR_TABLE, default=D("1.0"))
    assert split.amounts == {"701": D("50.00"), "601": D("50.00")}


def test_several_tables_may_coexist():
    floors = {"301": 3, "601": 6}
    steep = {3: D("0.5"), 6: D("1.5")}

    assert by_floor_coefficients(D("100.00"), floors, steep).amounts["601"] == D("75.00")
    assert by_floor_coefficients(D("100.00"), floors, ELEVATOR_TABLE).amounts["601"] == D("58.82")


# --- one plan item ---------------------------------------------------------------------------


def test_a_utility_owned_network_is_charged_wholly_to_the_utility():
    allocation = allocate_item(D("85000.00"), utility_owner="国网武汉供电公司")

    assert allocation.utility == D("85000.00")
    assert allocation.utility_owner == "国网武汉供电公司"
    assert allocation.residents == allocation.others == D("0.00")
    assert allocation.households is None


def test_a_utility_owned_network_takes_no_residents_share():
    with pytest.raises(CostSharingInputError) as error:
        allocate_item(D("100.00"), utility_owner="水务集团", residents_share=D("0.3"))
    assert error.value.code == "utility_item_with_residents_part"


def test_residents_pay_their_share_split_per_household_and_the_rest_stays_with_others():
    allocation = allocate_item(
        D("100000.00"),
        residents_share=D("0.3"),
        basis=PerHousehold([f"10{door}" for door in range(1, 8)]),
    )

    # 30,000 ÷ 7 = 4,285.714… → 4,285.71 × 7 = 29,999.97; three fens to the first three.
    assert (allocation.utility, allocation.residents, allocation.others) == (
        D("0.00"),
        D("30000.00"),
        D("70000.00"),
    )
    amounts = list(allocation.households.amounts.values())
    assert amounts == [D("4285.72")] * 3 + [D("4285.71")] * 4


def test_the_residents_share_is_rounded_half_up_to_the_fen():
    allocation = allocate_item(D("0.05"), residents_share=D("0.5"), basis=PerHousehold(["a"]))

    assert (allocation.residents, allocation.others) == (D("0.03"), D("0.02"))
    third = allocate_item(D("100.00"), residents_share=Fraction(1, 3), basis=PerHousehold(["a"]))
    assert (third.residents, third.others) == (D("33.33"), D("66.67"))


def test_a_fixed_residents_amount_is_split_by_area():
    allocation = allocate_item(
        D("500000.00"),
        residents_amount=D("120000.00"),
        basis=ByArea({"a": D("80"), "b": D("40")}),
    )

    assert allocation.others == D("380000.00")
    assert allocation.households.amounts == {"a": D("80000.00"), "b": D("40000.00")}


def test_an_item_the_residents_do_not_pay_for_goes_wholly_to_the_others():
    allocation = allocate_item(D("2500.00"))

    assert (allocation.residents, allocation.others, allocation.households) == (
        D("0.00"),
        D("2500.00"),
        None,
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"residents_share": D("1.01")}, "residents_share_out_of_range"),
        ({"residents_share": D("-0.1")}, "residents_share_out_of_range"),
        ({"residents_amount": D("100.01")}, "residents_amount_over_cost"),
        (
            {"residents_share": D("0.5"), "residents_amount": D("1.00")},
            "residents_share_and_amount",
        ),
        ({"residents_share": D("0.5")}, "no_households"),
        ({"utility_owner": " "}, "blank_utility_owner"),
        ({"residents_amount": D("1.001")}, "amount_not_in_fen"),
    ],
)
def test_an_item_rejects_a_contradictory_or_impossible_residents_part(kwargs, code):
    kwargs.setdefault("basis", None)
    with pytest.raises(CostSharingInputError) as error:
        allocate_item(D("100.00"), **kwargs)
    assert error.value.code == code


def test_a_contribution_sheet_adds_each_households_items():
    elevator = allocate_item(
        D("200000.00"),
        residents_share=D("1"),
        basis=ByFloorCoefficients({"301": 3, "601": 6}, ELEVATOR_TABLE),
    )
    roof = allocate_item(
        D("10000.00"), residents_amount=D("1000.00"), basis=PerHousehold(["101", "301", "601"])
    )
    pipes = allocate_item(D("30000.00"), utility_owner="水务集团")

    totals = household_totals([elevator, roof, pipes])

    # Elevator: 200,000 × 0.7/1.7 = 82,352.94, × 1.0/1.7 = 117,647.06; roof 333.34/333.33/333.33.
    assert totals == {
        "301": D("82352.94") + D("333.33"),
        "601": D("117647.06") + D("333.33"),
        "101": D("333.34"),
    }
    assert sum(totals.values()) == elevator.residents + roof.residents


# --- bad input -------------------------------------------------------------------------------


def test_floats_are_refused():
    with pytest.raises(TypeError):
        split_largest_remainder(100.0, {"a": 1})
    with pytest.raises(TypeError):
        split_largest_remainder(D("100.00"), {"a": 0.5})
    with pytest.raises(TypeError):
        allocate_item(D("100.00"), residents_share=0.3, basis=PerHousehold(["a"]))
    with pytest.raises(TypeError):
        split_largest_remainder(D("100.00"), {"a": True})


@pytest.mark.parametrize(
    ("total", "weights", "code"),
    [
        (D("1.00"), {}, "no_weight"),
        (D("1.00"), {"a": 0, "b": D("0.0")}, "no_weight"),
        (D("-1.00"), {"a": 1}, "negative_amount"),
        (D("1.00"), {"a": 1, "b": -1}, "negative_weight"),
        (D("0.001"), {"a": 1}, "amount_not_in_fen"),
        (D("NaN"), {"a": 1}, "not_finite"),
        (D("1.00"), {"a": D("Infinity")}, "not_finite"),
    ],
)
def test_impossible_splits_are_input_errors(total, weights, code):
    with pytest.raises(CostSharingInputError) as error:
        split_largest_remainder(total, weights)
    assert error.value.code == code


def test_nothing_to_share_among_nobody_is_fine():
    assert split_largest_remainder(D("0.00"), {}) == {}
    assert split_largest_remainder(D("0.00"), {"a": 0}) == {"a": D("0.00")}


def test_everyone_on_a_zero_coefficient_cannot_pay_for_an_elevator():
    with pytest.raises(CostSharingInputError) as error:
        by_floor_coefficients(D("100.00"), {"101": 1, "201": 2}, ELEVATOR_TABLE)
    assert error.value.code == "no_weight"


def test_a_household_listed_twice_is_an_input_error():
    with pytest.raises(CostSharingInputError) as error:
        per_household(D("10.00"), ["a", "b", "a"])
    assert error.value.code == "duplicate_household"


def test_areas_must_cover_exactly_the_households_with_floors():
    with pytest.raises(CostSharingInputError) as error:
        by_floor_coefficients(D("1.00"), {"301": 3, "401": 4}, ELEVATOR_TABLE, areas={"301": 1})
    assert error.value.code == "missing_area"
    with pytest.raises(CostSharingInputError) as error:
        by_floor_coefficients(D("1.00"), {"301": 3}, ELEVATOR_TABLE, areas={"301": 1, "9": 1})
    assert error.value.code == "missing_floor"


# --- invariants ------------------------------------------------------------------------------

totals = st.integers(min_value=0, max_value=10**10).map(lambda fen: D(fen).scaleb(-2))
weights = st.one_of(
    st.integers(min_value=1, max_value=10**6),
    st.decimals(min_value=D("0.01"), max_value=D("10000"), places=2),
)
weight_lists = st.lists(weights, min_size=1, max_size=500)


def exact(total: Decimal, weight: Decimal, weight_total: Decimal) -> Fraction:
    return Fraction(total) * Fraction(weight) / Fraction(weight_total)


@settings(max_examples=200, deadline=None)
@given(totals, weight_lists)
def test_amounts_add_up_exactly_to_the_total_and_stay_within_a_fen_of_the_exact_share(
    total, weight_list
):
    households = {f"h{index}": weight for index, weight in enumerate(weight_list)}

    amounts = split_largest_remainder(total, households)

    assert list(amounts) == list(households)
    assert sum(amounts.values()) == total
    weight_total = sum(Fraction(weight) for weight in weight_list)
    for household, amount in amounts.items():
        assert amount == amount.quantize(D("0.01"))
        assert abs(Fraction(amount) - exact(total, households[household], weight_total)) < FEN


@settings(max_examples=200, deadline=None)
@given(totals, weight_lists)
def test_a_larger_weight_never_pays_less_and_equal_weights_differ_by_at_most_a_fen(
    total, weight_list
):
    households = {f"h{index}": weight for index, weight in enumerate(weight_list)}

    amounts = split_largest_remainder(total, households)

    by_weight: dict[Fraction, list[Decimal]] = {}
    for household, weight in households.items():
        by_weight.setdefault(Fraction(weight), []).append(amounts[household])
    groups = [by_weight[weight] for weight in sorted(by_weight)]
    for group in groups:
        assert max(group) - min(group) <= D("0.01")
    for lighter, heavier in itertools.pairwise(groups):
        assert min(heavier) >= max(lighter)


@settings(max_examples=100, deadline=None)
@given(totals, st.lists(weights, min_size=1, max_size=60, unique_by=Fraction), st.randoms())
def test_with_distinct_weights_the_order_of_the_input_does_not_matter(total, weight_list, random):
    households = [(f"h{index}", weight) for index, weight in enumerate(weight_list)]
    shuffled = list(households)
    random.shuffle(shuffled)

    assert split_largest_remainder(total, dict(households)) == split_largest_remainder(
        total, dict(shuffled)
    )


@settings(max_examples=100, deadline=None)
@given(totals, st.lists(weights, min_size=1, max_size=60), st.integers(min_value=2, max_value=97))
def test_scaling_every_weight_changes_nothing_and_the_answer_is_deterministic(
    total, weight_list, factor
):
    households = {f"h{index}": weight for index, weight in enumerate(weight_list)}
    scaled = {household: weight * factor for household, weight in households.items()}

    first = split_largest_remainder(total, households)
    assert split_largest_remainder(total, households) == first
    assert split_largest_remainder(total, scaled) == first


@settings(max_examples=100, deadline=None)
@given(totals, st.lists(st.one_of(st.just(0), weights), min_size=1, max_size=100))
def test_a_household_of_weight_zero_pays_nothing(total, weight_list):
    weight_list = [*weight_list, 1]  # at least one household can pay
    households = {f"h{index}": weight for index, weight in enumerate(weight_list)}

    amounts = split_largest_remainder(total, households)

    assert sum(amounts.values()) == total
    for household, weight in households.items():
        if weight == 0:
            assert amounts[household] == D("0.00")


@settings(max_examples=100, deadline=None)
@given(
    totals,
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=9),
            st.decimals(min_value=D("20"), max_value=D("200"), places=2),
        ),
        min_size=1,
        max_size=60,
    ),
)
def test_floor_coefficient_splits_add_up_and_follow_the_coefficient_times_area(total, units):
    units = [*units, (6, D("50"))]  # someone above the free floors
    floors = {f"u{index}": floor for index, (floor, _) in enumerate(units)}
    areas = {f"u{index}": area for index, (_, area) in enumerate(units)}
    table = {1: D(0), 2: D(0), 3: D("0.7"), 4: D("0.8"), 5: D("0.9"), 6: D("1.0")}

    split = by_floor_coefficients(total, floors, table, areas=areas, default=D("1.1"))

    assert sum(split.amounts.values()) == total
    for share in split.shares:
        coefficient = table.get(floors[share.household], D("1.1"))
        assert share.weight == coefficient * areas[share.household]
        assert share.amount == share.floored_amount + (D("0.01") if share.is_rounded_up else 0)
        assert abs(Fraction(share.amount) - share.exact_amount) < FEN


@settings(max_examples=100, deadline=None)
@given(
    totals,
    st.one_of(
        st.decimals(min_value=D(0), max_value=D(1), places=4),
        st.fractions(min_value=0, max_value=1, max_denominator=1000),
    ),
    st.integers(min_value=1, max_value=50),
)
def test_an_items_payers_add_up_exactly_to_its_cost(cost, share, households):
    allocation = allocate_item(
        cost, residents_share=share, basis=PerHousehold(list(range(households)))
    )

    assert allocation.utility + allocation.residents + allocation.others == cost
    assert abs(Fraction(allocation.residents) - Fraction(cost) * Fraction(share)) <= FEN / 2
    assert sum(allocation.households.amounts.values()) == allocation.residents
