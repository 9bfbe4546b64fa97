"""Satisfaction sampling: the size formula, the allocation across buildings, and a draw that
anyone can repeat from the published seed."""

import hashlib
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anju.engine.sampling import (
    TABULATED_Z,
    Draw,
    SamplingInputError,
    allocate,
    draw,
    new_seed,
    rank,
    rank_key,
    sample_size,
    verify,
)

SEED = "9f86d081884c7d659a2feaa0c55ad015"


def compound(buildings: dict[str, int]) -> dict[str, list[str]]:
    """Household labels "building-room" for buildings of the given sizes."""
    return {
        name: [f"{name}-{room:03d}" for room in range(1, size + 1)]
        for name, size in buildings.items()
    }


# --- sample size ------------------------------------------------------------------------------


def test_95_percent_plus_minus_5_percent_is_384_16_for_an_unbounded_population():
    # 1.96² × 0.5 × 0.5 / 0.05² = 3.8416 × 0.25 / 0.0025 = 384.16 (DOMAIN.md)
    size = sample_size(10**9)
    assert size.z == 1.96
    assert size.z_is_tabulated
    assert size.n0 == pytest.approx(384.16, abs=1e-9)
    assert size.n == 385


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        # 384.16 / (1 + 383.16 / 1000) = 384160 / 1383.16 = 277.74 → 278
        (1000, 278),
        # 384.16 / (1 + 383.16 / 100) = 38416 / 483.16 = 79.51 → 80
        (100, 80),
        # 384.16 / (1 + 383.16 / 1) = 384.16 / 384.16 = 1
        (1, 1),
        (0, 0),
    ],
)
def test_finite_population_correction_rounds_up(population, expected):
    assert sample_size(population).n == expected


def test_99_percent_plus_minus_3_percent_of_1000_households_is_649():
    # 2.576² = 6.635776; × 0.25 = 1.658944; / 0.03² = 1843.2711…
    # 1843.2711 × 1000 / (1000 + 1842.2711) = 648.52 → 649
    size = sample_size(1000, confidence=0.99, margin=0.03)
    assert size.z == 2.576
    assert size.n0 == pytest.approx(1843.27111, abs=1e-5)
    assert size.n_corrected == pytest.approx(648.5205, abs=1e-4)
    assert size.n == 649


def test_90_percent_plus_minus_10_percent_of_500_households_is_60():
    # 1.645² = 2.706025; × 0.25 / 0.01 = 67.650625
    # 67.650625 × 500 / (500 + 66.650625) = 33825.3125 / 566.650625 = 59.69 → 60
    size = sample_size(500, confidence=0.90, margin=0.10)
    assert size.z == 1.645
    assert size.n0 == pytest.approx(67.650625, abs=1e-9)
    assert size.n == 60


def test_a_known_proportion_shrinks_the_sample():
    # p = 0.3: 3.8416 × 0.3 × 0.7 / 0.0025 = 322.6944 < 384.16
    size = sample_size(10**9, p=0.3)
    assert size.n0 == pytest.approx(322.6944, abs=1e-9)
    assert size.n == 323


def test_other_confidence_levels_use_the_exact_normal_quantile():
    # 80%: z = Φ⁻¹(0.9) = 1.2815515…; 1.2815515² × 0.25 / 0.0025 = 164.237…
    size = sample_size(1000, confidence=0.80)
    assert not size.z_is_tabulated
    assert size.z == pytest.approx(1.2815516, abs=1e-7)
    assert size.n0 == pytest.approx(164.2374, abs=1e-4)
    assert size.n == math.ceil(size.n0 * 1000 / (1000 + size.n0 - 1))


def test_tabulated_levels_are_found_however_the_level_is_written():
    assert sample_size(1000, confidence=Decimal("0.950")).z_is_tabulated
    assert sample_size(1000, confidence=0.9).z == 1.645
    assert set(TABULATED_Z) == {"0.9", "0.95", "0.99"}


def test_a_size_of_exactly_280_is_not_rounded_to_281():
    # N = 1030: 384.16 × 1030 / (1030 + 383.16) = 395684.8 / 1413.16 = 280 exactly, which
    # floating point computes as 280.00000000000006 (and math.ceil would make 281).
    assert math.ceil(384.16 / (1 + (384.16 - 1) / 1030)) == 281
    assert sample_size(1030).n == 280


@given(st.integers(min_value=0, max_value=10**7))
def test_the_sample_is_never_more_than_the_population_and_at_least_one(population):
    size = sample_size(population)
    assert size.n <= population
    assert size.n >= min(population, 1)
    exact = Fraction(9604, 25) * population / (population + Fraction(9604, 25) - 1)
    assert size.n == (math.ceil(exact) if population else 0)


def test_the_formula_is_shown_with_its_figures():
    assert sample_size(1000).formula_lines() == (
        "n0 = 1.96² × 0.5 × (1 − 0.5) / 0.05² = 384.16",
        "n = 384.16 / (1 + (384.16 − 1) / 1000) = 277.74 → 278",
    )
    assert sample_size(0).formula_lines()[1] == "N = 0 → n = 0"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"population": -1}, "population must not be negative"),
        ({"population": 1.5}, "population must be an integer"),
        ({"population": True}, "population must be an integer"),
        ({"population": 10, "confidence": 1}, "confidence must lie strictly between 0 and 1"),
        ({"population": 10, "confidence": 0}, "confidence must lie strictly between 0 and 1"),
        ({"population": 10, "confidence": 95}, "confidence must lie strictly between 0 and 1"),
        ({"population": 10, "margin": 0}, "margin must lie strictly between 0 and 1"),
        ({"population": 10, "margin": 1.2}, "margin must lie strictly between 0 and 1"),
        ({"population": 10, "p": 0}, "p must lie strictly between 0 and 1"),
        ({"population": 10, "p": 1}, "p must lie strictly between 0 and 1"),
        ({"population": 10, "p": float("nan")}, "p must be a number"),
        ({"population": 10, "p": "half"}, "p must be a number"),
    ],
)
def test_impossible_size_inputs_are_refused(arguments, message):
    with pytest.raises(SamplingInputError, match=message):
        sample_size(**arguments)


def test_the_input_error_is_a_value_error():
    assert issubclass(SamplingInputError, ValueError)


# --- allocation -------------------------------------------------------------------------------


def test_allocation_is_proportional_by_largest_remainder():
    # quotas 9 × 8/15 = 4.8, 9 × 5/15 = 3, 9 × 2/15 = 1.2 → 4 + 3 + 1, the last seat to 0.8
    assert allocate({"A": 8, "B": 5, "C": 2}, 9) == {"A": 5, "B": 3, "C": 1}


def test_every_building_gets_one_when_the_sample_has_room():
    # quotas of the small buildings 10 × 1/1005 < 1: each gets 1, the big one the other 5
    strata = {"big": 1000, **{f"small-{i}": 1 for i in range(5)}}
    assert allocate(strata, 10) == {"big": 5, **{f"small-{i}": 1 for i in range(5)}}


def test_raising_one_building_to_one_recomputes_the_others_quotas():
    # 12 of 100+60+3: quota of C = 12 × 3/163 = 0.22 → 1; then 11 seats over 160:
    # A 11 × 100/160 = 6.875, B 11 × 60/160 = 4.125 → 6 + 4, the last seat to A (0.875)
    assert allocate({"A": 100, "B": 60, "C": 3}, 12) == {"A": 7, "B": 4, "C": 1}


def test_without_room_for_one_each_there_is_no_minimum():
    assert allocate({"A": 3, "B": 3, "C": 3}, 2) == {"A": 1, "B": 1, "C": 0}
    assert allocate({"A": 10, "B": 1, "C": 1}, 2) == {"A": 2, "B": 0, "C": 0}


def test_ties_go_to_the_larger_building_then_the_name_in_code_point_order():
    # 1 seat, remainders 1×4 mod 7 = 4 and 1×3 mod 7 = 3: no tie, A wins
    assert allocate({"B": 3, "A": 4}, 1) == {"B": 0, "A": 1}
    # 3 of 2+4: remainders 3×2 mod 6 = 0, 3×4 mod 6 = 0: B gets 2, A gets 1 exactly
    assert allocate({"A": 2, "B": 4}, 3) == {"A": 1, "B": 2}
    # 2 of 1+1+4 (no room for one each): quotas 1/3, 1/3, 4/3 → floors 0, 0, 1; remainders
    # 2×1, 2×1, 2×4 mod 6 all 2: the last seat goes to the larger building C
    assert allocate({"A": 1, "B": 1, "C": 4}, 2) == {"A": 0, "B": 0, "C": 2}
    # 1 seat over 3+3+3 (no room for one each): equal remainders, equal sizes → name "A"
    assert allocate({"C": 3, "B": 3, "A": 3}, 1) == {"C": 0, "B": 0, "A": 1}
    # 2 seats over 5+5+2: remainders 10 mod 12 for the big ones and 4 for C → A and B
    assert allocate({"B": 5, "C": 2, "A": 5}, 2) == {"B": 1, "C": 0, "A": 1}
    # "10" sorts before "9" by code point
    assert allocate({"9": 3, "10": 3}, 1) == {"9": 0, "10": 1}


def test_a_sample_as_large_as_the_compound_asks_everyone():
    assert allocate({"A": 3, "B": 0, "C": 2}, 5) == {"A": 3, "B": 0, "C": 2}
    assert allocate({"A": 3, "B": 0, "C": 2}, 50) == {"A": 3, "B": 0, "C": 2}


def test_empty_buildings_get_nothing_and_an_empty_compound_nothing_at_all():
    assert allocate({"A": 0, "B": 4}, 2) == {"A": 0, "B": 2}
    assert allocate({}, 5) == {}
    assert allocate({"A": 4, "B": 4}, 0) == {"A": 0, "B": 0}


@pytest.mark.parametrize(
    ("strata", "n", "message"),
    [
        ({"A": -1}, 2, "size of stratum 'A' must not be negative"),
        ({"A": 2.0}, 2, "size of stratum 'A' must be an integer"),
        ({"A": 2}, -1, "n must not be negative"),
        ({1: 2}, 1, "stratum names must be strings"),
    ],
)
def test_impossible_allocation_inputs_are_refused(strata, n, message):
    with pytest.raises(SamplingInputError, match=message):
        allocate(strata, n)


strata_sizes = st.dictionaries(
    st.text(alphabet="ABCDEFGH0123456789栋", min_size=1, max_size=4),
    st.integers(min_value=0, max_value=300),
    max_size=12,
)


@settings(max_examples=400)
@given(strata_sizes, st.integers(min_value=0, max_value=4000))
def test_allocation_keeps_every_rule(strata, n):
    shares = allocate(strata, n)
    total = sum(strata.values())
    non_empty = [name for name, size in strata.items() if size > 0]

    assert list(shares) == list(strata)
    assert sum(shares.values()) == min(n, total)
    for name, size in strata.items():
        assert 0 <= shares[name] <= size
        if n < total:
            quota = Fraction(n * size, total)
            # a building loses seats only to small ones raised to one, never gains beyond ⌈q⌉
            assert shares[name] <= max(1, math.ceil(quota))
    if n >= len(non_empty):
        assert all(shares[name] >= 1 for name in non_empty)
    if n < total and all(n * strata[name] >= total for name in non_empty):
        # no building needed raising to one: plain Hamilton, within 1 of the quota
        for name in non_empty:
            quota = Fraction(n * strata[name], total)
            assert math.floor(quota) <= shares[name] <= math.ceil(quota)
    if n < len(non_empty):
        for name in non_empty:
            quota = Fraction(n * strata[name], total)
            assert math.floor(quota) <= shares[name] <= math.ceil(quota)


@given(strata_sizes, st.integers(min_value=0, max_value=4000), st.randoms())
def test_allocation_does_not_depend_on_the_order_of_the_buildings(strata, n, rng):
    names = list(strata)
    rng.shuffle(names)
    assert allocate({name: strata[name] for name in names}, n) == allocate(strata, n)


# --- ranking ----------------------------------------------------------------------------------


def test_rank_key_is_sha256_of_seed_then_label_as_the_shell_computes_it():
    # LC_ALL=C.UTF-8; printf '%s%s' 9f86d081884c7d659a2feaa0c55ad015 1-101 | sha256sum
    assert rank_key(SEED, "1-101") == (
        "a380ab02b79d8ad75513f63e30243e017a84d3560c4bf36ea39783343bbde60c"
    )
    # printf '%s%s' 9f86d081884c7d659a2feaa0c55ad015 3栋-501 | sha256sum  (UTF-8 bytes)
    assert rank_key(SEED, "3栋-501") == (
        "299f9c33807d6b9ebb2fc84e2cc8108e48043fed79cde5b36c48d7012f4e518f"
    )


def test_rank_orders_by_digest_ascending():
    labels = [f"1-{room}" for room in range(101, 121)]
    ranked = rank(SEED, labels)
    digests = [digest for _, digest in ranked]
    assert digests == sorted(digests)
    assert sorted(label for label, _ in ranked) == sorted(labels)


@pytest.mark.parametrize(
    ("seed", "label", "message"),
    [
        ("", "1-101", "seed must be a non-empty string"),
        (None, "1-101", "seed must be a non-empty string"),
        ("abc\n", "1-101", "seed must not contain control characters"),
        (SEED, "", "household label must be a non-empty string"),
        (SEED, "1-101\t", "household label must not contain control characters"),
    ],
)
def test_seeds_and_labels_must_be_printable_text(seed, label, message):
    with pytest.raises(SamplingInputError, match=message):
        rank_key(seed, label)


def test_new_seeds_are_128_bit_hex_and_differ():
    first, second = new_seed(), new_seed()
    assert len(first) == 32
    assert int(first, 16) >= 0
    assert first == first.lower()
    assert first != second


# --- the draw ---------------------------------------------------------------------------------


def referee_draw(strata, seed, shares):
    """The published recipe, written again from docs/sampling.md with hashlib alone."""
    chosen = {}
    for name, labels in strata.items():
        digests = sorted(
            (hashlib.sha256(seed.encode("utf-8") + label.encode("utf-8")).hexdigest(), label)
            for label in labels
        )
        chosen[name] = tuple(label for _, label in digests[: shares[name]])
    return chosen


def test_the_draw_follows_the_published_recipe():
    strata = compound({"1": 40, "2": 25, "3": 9})
    result = draw(strata, SEED, sample_size(74, margin=0.10).n)
    assert isinstance(result, Draw)
    assert result.seed == SEED
    # 96.04 × 74 / (74 + 95.04) = 42.04 → 43 of 74
    assert result.n == 43
    assert result.allocation == allocate({"1": 40, "2": 25, "3": 9}, 43)
    assert result.chosen == referee_draw(strata, SEED, result.allocation)
    assert {name: len(labels) for name, labels in result.chosen.items()} == result.allocation
    assert len(result.households) == 43


def test_the_same_seed_gives_the_same_draw():
    strata = compound({"1": 60, "2": 60, "3": 30})
    assert draw(strata, SEED, 30) == draw(strata, SEED, 30)


def test_another_seed_gives_another_draw():
    strata = compound({"1": 60, "2": 60, "3": 30})
    first = draw(strata, SEED, 30)
    second = draw(strata, SEED + "0", 30)
    assert first.allocation == second.allocation
    assert set(first.households) != set(second.households)


@given(st.randoms())
def test_the_order_in_which_households_are_listed_does_not_matter(rng):
    strata = compound({"1": 30, "2": 18, "3": 7})
    shuffled = {}
    names = list(strata)
    rng.shuffle(names)
    for name in names:
        labels = list(strata[name])
        rng.shuffle(labels)
        shuffled[name] = labels
    expected = draw(strata, SEED, 20)
    result = draw(shuffled, SEED, 20)
    assert result.allocation == expected.allocation
    for name in strata:
        assert result.chosen[name] == expected.chosen[name]


def test_a_census_takes_everyone_in_rank_order():
    strata = compound({"1": 3, "2": 2})
    result = draw(strata, SEED, 10)
    assert sorted(result.households) == sorted(strata["1"] + strata["2"])
    assert result.chosen["1"] == tuple(label for label, _ in rank(SEED, strata["1"]))


def test_a_household_listed_twice_is_refused_even_across_buildings():
    with pytest.raises(SamplingInputError, match="repeated: 1-001"):
        draw({"1": ["1-001", "1-001"]}, SEED, 1)
    with pytest.raises(SamplingInputError, match="repeated: 1-001"):
        draw({"1": ["1-001"], "2": ["1-001"]}, SEED, 1)


def test_a_draw_needs_a_seed():
    with pytest.raises(SamplingInputError, match="seed"):
        draw(compound({"1": 3}), "", 1)


# --- verify -----------------------------------------------------------------------------------


def test_verify_accepts_the_recorded_draw_in_any_order():
    strata = compound({"1": 40, "2": 25, "3": 9})
    recorded = {
        name: list(reversed(labels)) for name, labels in draw(strata, SEED, 20).chosen.items()
    }
    assert verify(strata, SEED, 20, recorded) == []


def test_verify_detects_a_swapped_household():
    strata = compound({"1": 40, "2": 25, "3": 9})
    chosen = draw(strata, SEED, 20).chosen
    replaced = chosen["2"][0]
    substitute = next(label for label in strata["2"] if label not in chosen["2"])
    recorded = {name: list(labels) for name, labels in chosen.items()}
    recorded["2"][0] = substitute
    assert verify(strata, SEED, 20, recorded) == [
        f"stratum '2': drawn but not recorded: {replaced}",
        f"stratum '2': recorded but not drawn: {substitute}",
    ]


def test_verify_detects_a_wrong_seed_and_unknown_or_doubled_entries():
    strata = compound({"1": 40, "2": 25})
    chosen = draw(strata, SEED, 10).chosen
    assert verify(strata, "another seed", 10, chosen) != []
    recorded = {"1": [*chosen["1"], chosen["1"][0]], "2": list(chosen["2"]), "9": ["9-001"]}
    assert verify(strata, SEED, 10, recorded) == [
        "stratum '9' is recorded but is not in the population",
        f"stratum '1': recorded more than once: {chosen['1'][0]}",
    ]


def test_verify_detects_a_building_left_out_of_the_record():
    strata = compound({"1": 40, "2": 25})
    chosen = draw(strata, SEED, 10).chosen
    problems = verify(strata, SEED, 10, {"1": chosen["1"]})
    assert problems == [f"stratum '2': drawn but not recorded: {', '.join(chosen['2'])}"]


# --- the worked example of docs/sampling.md ---------------------------------------------------


def test_the_worked_example_in_the_spec():
    seed = "97cbfaab9decc99971ba3215c9fa61d3"
    strata = {
        "1": ["1-101", "1-102", "1-201", "1-202", "1-301", "1-302", "1-401", "1-402"],
        "2": ["2-101", "2-102", "2-201", "2-202", "2-301"],
        "3": ["3-101", "3-201"],
    }
    size = sample_size(15, confidence=0.90, margin=0.25)
    assert size.formula_lines() == (
        "n0 = 1.645² × 0.5 × (1 − 0.5) / 0.25² = 10.82",
        "n = 10.82 / (1 + (10.82 − 1) / 15) = 6.54 → 7",
    )
    result = draw(strata, seed, size.n)
    assert result.allocation == {"1": 4, "2": 2, "3": 1}
    assert result.chosen == {
        "1": ("1-301", "1-201", "1-401", "1-102"),
        "2": ("2-102", "2-301"),
        "3": ("3-201",),
    }
    # digests as printed by the shell recipe in docs/sampling.md
    assert rank_key(seed, "1-301") == (
        "088eca862a8311c89f0e9b74c1e2baa7ce90deb40004be8ffb37b045830d43a0"
    )
    assert rank_key(seed, "3-101") == (
        "8271f6efd5dcaada98d1d4c1517fa6170b029f2c2ec51168530424f9bdbfaa91"
    )
