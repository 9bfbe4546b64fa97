"""The owners' consent tally reads like Civil Code art. 278 and the SPC interpretation."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anju.engine.consent import (
    ARTICLE_278_ITEMS,
    DEVELOPER,
    InconsistentOwnerVote,
    Matter,
    Ratio,
    Rules,
    UnitBallot,
    Vote,
    area_text,
    explain,
    matter_of_item,
    parse_published_csv,
    published_rows_csv,
    retally_from_published,
    tally,
)

A, D, S, X = Vote.AGREE, Vote.DISAGREE, Vote.ABSTAIN, Vote.ABSENT


def ballots(*specs) -> list[UnitBallot]:
    """(area, vote) or (area, vote, owner) per unit; units are numbered, owners default to one
    per unit."""
    result = []
    for index, spec in enumerate(specs, start=1):
        area, vote, *owner = spec
        result.append(UnitBallot(f"u{index}", owner[0] if owner else f"o{index}", area, vote))
    return result


def same_area(*votes: Vote) -> list[UnitBallot]:
    return ballots(*((Decimal("80"), vote) for vote in votes))


# --- participation: at least two-thirds of area and of heads ---------------------------------


def test_exactly_two_thirds_participation_passes():
    result = tally(same_area(A, A, X), Matter.ORDINARY)
    assert result.participation.area_ratio.fraction == Fraction(2, 3)
    assert result.participation.head_ratio.fraction == Fraction(2, 3)
    assert result.participation.met
    assert result.passed


def test_exactly_two_thirds_participation_passes_where_floats_would_fail():
    """0.7 + 0.6 + 0.2 of 2.25 m² is exactly 2/3, but float arithmetic computes
    0.6666666666666665 and would call it short of two-thirds."""
    units = ballots(
        (Decimal("0.7"), A), (Decimal("0.6"), A), (Decimal("0.2"), A), (Decimal("0.75"), X)
    )
    floats = 0.0
    for area in ("0.7", "0.6", "0.2"):
        floats += float(area)
    assert floats / (floats + 0.75) < 2 / 3  # what a float tally would conclude

    result = tally(units, Matter.ORDINARY)
    assert result.participation.area_ratio.as_string() == "2/3"
    assert result.participation.met
    assert result.passed


def test_just_under_two_thirds_area_fails():
    """2 of 3.00000000000000000001 m² is just under 2/3; floats round it to exactly 2/3."""
    units = ballots((Decimal("2"), A), (Decimal("1.00000000000000000001"), X), ("0", A))
    assert 2.0 / float(Decimal("3.00000000000000000001")) >= 2 / 3  # floats would pass it

    result = tally(units, Matter.ORDINARY)
    assert result.participation.area_ratio.fraction < Fraction(2, 3)
    assert result.participation.head_ratio.fraction == Fraction(2, 3)
    assert not result.participation.area_ratio.at_least(Fraction(2, 3))
    assert not result.participation.met
    assert not result.passed


def test_just_under_two_thirds_area_in_square_metres_fails():
    units = ballots((Decimal("66.66"), A), (Decimal("33.34"), X), (Decimal("0"), A))
    result = tally(units, Matter.ORDINARY)
    assert result.participation.area_ratio.as_string() == "3333/5000"
    assert not result.participation.met


def test_two_thirds_of_area_without_two_thirds_of_heads_fails():
    units = ballots((Decimal("300"), A), (Decimal("50"), X), (Decimal("50"), X))
    result = tally(units, Matter.ORDINARY)
    assert result.participation.area_met
    assert not result.participation.head_met
    assert not result.passed


# --- agreement: major at least three-quarters, ordinary more than half -----------------------


def test_exactly_three_quarters_agreement_passes_major():
    result = tally(same_area(A, A, A, D), Matter.MAJOR)
    assert result.approval.area_ratio.as_string() == "3/4"
    assert result.approval.head_ratio.as_string() == "3/4"
    assert result.approval.met
    assert result.passed


def test_exactly_three_quarters_agreement_passes_major_where_floats_would_fail():
    """0.2 + 0.3 + 0.1 of 0.8 m² is exactly 3/4; floats say 0.7499999999999999."""
    units = ballots((Decimal("0.2"), A), (Decimal("0.3"), A), (Decimal("0.1"), A), ("0.2", D))
    floats = 0.0
    for area in ("0.2", "0.3", "0.1"):
        floats += float(area)
    assert floats / (floats + 0.2) < 0.75

    result = tally(units, Matter.MAJOR)
    assert result.approval.area_ratio.fraction == Fraction(3, 4)
    assert result.passed


def test_just_under_three_quarters_fails_major():
    units = ballots((Decimal("74.99"), A), (Decimal("25.01"), D), ("0", A), ("0", A))
    result = tally(units, Matter.MAJOR)
    assert result.approval.head_met
    assert not result.approval.area_met
    assert not result.passed


def test_exactly_half_fails_ordinary():
    result = tally(same_area(A, D), Matter.ORDINARY)
    assert result.approval.area_ratio.as_string() == "1/2"
    assert not result.approval.met
    assert not result.passed
    assert "未超过半数" in "".join(result.explanation)


def test_just_over_half_passes_ordinary():
    units = ballots((Decimal("50.01"), A), (Decimal("49.99"), D), ("0", A))
    result = tally(units, Matter.ORDINARY)
    assert result.approval.met
    assert result.passed


def test_major_needs_more_than_ordinary():
    units = same_area(A, A, D)
    assert tally(units, Matter.ORDINARY).passed
    assert not tally(units, Matter.MAJOR).passed


# --- the nine matters -------------------------------------------------------------------------


def test_using_the_maintenance_fund_is_ordinary():
    assert matter_of_item(5) is Matter.ORDINARY
    assert ARTICLE_278_ITEMS[5].name_zh == "使用建筑物及其附属设施的维修资金"


def test_raising_the_maintenance_fund_is_major():
    assert matter_of_item(6) is Matter.MAJOR
    assert ARTICLE_278_ITEMS[6].name_en == "raising the maintenance fund"


def test_items_six_to_eight_are_major_and_the_rest_ordinary():
    major = {number for number, item in ARTICLE_278_ITEMS.items() if item.matter is Matter.MAJOR}
    assert major == {6, 7, 8}
    assert sorted(ARTICLE_278_ITEMS) == list(range(1, 10))
    with pytest.raises(ValueError):
        matter_of_item(10)


# --- heads -----------------------------------------------------------------------------------


def test_owner_of_several_units_is_one_head():
    units = ballots(
        (Decimal("80"), A, "zhang"),
        (Decimal("80"), A, "zhang"),
        (Decimal("80"), A, "zhang"),
        (Decimal("80"), D, "li"),
        (Decimal("80"), D, "wang"),
    )
    result = tally(units, Matter.ORDINARY)
    assert result.total_heads == 3
    assert result.agreeing_heads == 1
    assert result.approval.area_ratio.as_string() == "3/5"
    assert result.approval.head_ratio.as_string() == "1/3"
    assert not result.passed  # most of the area, but not most of the owners


def test_owner_participates_when_any_of_their_units_does():
    units = ballots((Decimal("80"), A, "zhang"), (Decimal("80"), X, "zhang"), (Decimal("80"), A))
    result = tally(units, Matter.ORDINARY)
    assert result.total_heads == 2
    assert result.participating_heads == 2
    assert result.participating_area == 160  # area stays per unit
    assert result.not_voted_units == 1


def test_owner_voting_two_ways_is_rejected():
    units = ballots((Decimal("80"), A, "zhang"), (Decimal("80"), D, "zhang"))
    with pytest.raises(InconsistentOwnerVote) as caught:
        tally(units, Matter.ORDINARY)
    assert caught.value.owner_id == "zhang"


def test_developer_units_are_one_head():
    units = ballots(
        (Decimal("80"), A, DEVELOPER),
        (Decimal("80"), A, DEVELOPER),
        (Decimal("80"), A, "开发商"),
        (Decimal("80"), X, "developer"),
        (Decimal("80"), D),
        (Decimal("80"), D),
    )
    result = tally(units, Matter.ORDINARY)
    assert result.total_units == 6
    assert result.total_heads == 3
    assert result.agreeing_heads == 1
    assert result.approval.head_ratio.as_string() == "1/3"
    assert result.approval.area_ratio.as_string() == "3/5"


def test_a_unit_counted_twice_is_rejected():
    with pytest.raises(ValueError, match="twice"):
        tally([UnitBallot("1-101", "a", "80", A), UnitBallot("1-101", "b", "80", A)], "major")


# --- abstentions and absences ----------------------------------------------------------------


def test_abstentions_count_in_participation_not_agreement():
    result = tally(same_area(A, A, A, S), Matter.MAJOR)
    assert result.participating_heads == 4
    assert result.participation.met
    assert result.approval.head_ratio.as_string() == "3/4"
    assert result.passed
    stricter = tally(same_area(A, A, S, S), Matter.ORDINARY)
    assert stricter.approval.area_ratio.as_string() == "1/2"
    assert not stricter.passed


def test_abstentions_can_be_read_as_absence():
    rules = Rules(abstain_counts_as_participation=False)
    result = tally(same_area(A, A, S, S), Matter.ORDINARY, rules)
    assert result.participation.area_ratio.as_string() == "1/2"
    assert not result.participation.met
    assert tally(same_area(A, A, A, S), Matter.ORDINARY, rules).approval.area_ratio.fraction == 1


def test_absent_units_do_not_participate():
    result = tally(same_area(A, A, X, X), Matter.ORDINARY)
    assert result.not_voted_units == 2
    assert result.participating_area == 160
    assert result.participation.area_ratio.as_string() == "1/2"
    assert not result.passed


# --- nothing to measure ----------------------------------------------------------------------


def test_zero_total_area_does_not_pass_and_says_why():
    result = tally(ballots(("0", A), ("0", A)), Matter.ORDINARY)
    assert not result.participation.area_ratio.is_defined
    assert result.participation.area_ratio.as_string() == "0/1"
    assert not result.passed
    assert "专有部分总面积为零，无法按面积计票。" in result.explanation
    assert "The total exclusive area is zero; area cannot be counted." in result.explanation_en


def test_no_ballots_do_not_pass_and_say_why():
    result = tally([], Matter.MAJOR)
    assert result.total_heads == 0
    assert not result.passed
    assert result.explanation[-2:] == ["没有任何表决记录，无法计票。", "表决未通过。"]


def test_nobody_participating_does_not_pass():
    result = tally(same_area(X, X), Matter.ORDINARY)
    assert not result.approval.area_ratio.is_defined
    assert not result.passed
    assert "No owner took part in the vote." in explain(result, "en")


# --- exactness and display -------------------------------------------------------------------


def test_areas_are_never_floats():
    with pytest.raises(TypeError):
        UnitBallot("1", "a", 80.5, A)
    with pytest.raises(ValueError):
        UnitBallot("1", "a", Decimal("-1"), A)
    with pytest.raises(ValueError):
        UnitBallot("1", "a", Decimal("NaN"), A)
    assert UnitBallot("1", "a", Decimal("0.1"), A).area == Fraction(1, 10)


def test_ratio_display():
    ratio = Ratio(Fraction(4), Fraction(6))
    assert ratio.as_string() == "2/3"
    assert ratio.decimal == 0.6667
    assert ratio.percent == 66.67
    assert Ratio(Fraction(1, 8), Fraction(1)).decimal == 0.125
    assert Ratio(Fraction(1, 20000), Fraction(1)).decimal == 0.0001  # 0.00005, half-up
    assert Ratio(Fraction(1), Fraction(1)).as_string() == "1/1"


def test_area_text_is_exact():
    assert area_text(Fraction(Decimal("66.66"))) == "66.66"
    assert area_text(Fraction(Decimal("1e20"))) == "100000000000000000000"
    assert area_text(Fraction(1, 3)) == "1/3"


def test_explanation_is_bilingual():
    result = tally(same_area(A, A, A, D), Matter.MAJOR)
    assert result.explanation[-1] == "表决通过。"
    assert result.explanation_en[-1] == "The vote passed."
    assert "3/4（75.00%），达到四分之三以上" in "".join(result.explanation)


# --- re-tally from published inputs ----------------------------------------------------------


def test_anyone_can_retally_from_published_rows():
    units = ballots(
        (Decimal("66.66"), A, "p1"), (Decimal("70.125"), D, DEVELOPER), (Decimal("59.9"), S)
    )
    text = published_rows_csv(units)
    assert text.splitlines()[0] == "unit_id,owner_id,area,vote"
    assert "u2,developer,70.125,disagree" in text
    assert parse_published_csv(text) == units
    again = retally_from_published(
        [line.split(",") for line in text.splitlines()[1:]], Matter.ORDINARY
    )
    assert again == tally(units, Matter.ORDINARY)
    as_dicts = [
        {"unit_id": b.unit_id, "owner_id": b.owner_id, "area": str(b.area), "vote": b.vote}
        for b in units
    ]
    assert retally_from_published(as_dicts, "ordinary") == again


def test_published_csv_names_the_bad_line():
    with pytest.raises(ValueError, match="line 3"):
        parse_published_csv("unit_id,owner_id,area,vote\n1,a,80,agree\n2,b,-3,agree\n")
    with pytest.raises(ValueError, match="line 1"):
        parse_published_csv("unit,owner,area,vote\n")


# --- invariants ------------------------------------------------------------------------------

areas = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def votes(draw) -> list[UnitBallot]:
    """Units of up to 8 owners (one of them possibly the developer); each owner has one way
    of voting and leaves some of their units absent. Biased toward agreement, so that enough
    examples pass for the monotonicity properties to say something."""
    owners = draw(st.lists(st.sampled_from(["o1", "o2", "o3", "o4", "o5", "o6", "o7", DEVELOPER])))
    owner_votes = {owner: draw(st.sampled_from([A, A, A, A, D, S, X])) for owner in owners}
    result = []
    for index, owner in enumerate(owners):
        vote = owner_votes[owner] if draw(st.integers(0, 5)) else Vote.ABSENT
        result.append(UnitBallot(f"u{index}", owner, draw(areas), vote))
    return result


rules_strategy = st.builds(Rules, abstain_counts_as_participation=st.booleans())
matters = st.sampled_from(list(Matter))


def outcome(units, matter, rules):
    result = tally(units, matter, rules)
    return result.participation.met, result.approval.met, result.passed


@given(votes(), matters, rules_strategy, st.data())
def test_turning_an_absent_unit_into_agree_never_breaks_a_pass(units, matter, rules, data):
    agreeable = [
        index
        for index, unit in enumerate(units)
        if unit.vote is X
        and all(other.vote in (A, X) for other in units if other.owner_id == unit.owner_id)
    ]
    if not agreeable or not tally(units, matter, rules).passed:
        return
    index = data.draw(st.sampled_from(agreeable))
    changed = list(units)
    changed[index] = UnitBallot(units[index].unit_id, units[index].owner_id, units[index].area, A)
    assert tally(changed, matter, rules).passed


@given(votes(), matters, rules_strategy, st.data())
def test_turning_disagree_into_agree_never_breaks_a_pass(units, matter, rules, data):
    disagreeing = sorted({unit.owner_id for unit in units if unit.vote is D})
    if not disagreeing or not tally(units, matter, rules).passed:
        return
    owner = data.draw(st.sampled_from(disagreeing))
    changed = [
        UnitBallot(unit.unit_id, unit.owner_id, unit.area, A)
        if unit.owner_id == owner and unit.vote is D
        else unit
        for unit in units
    ]
    assert tally(changed, matter, rules).passed


@given(votes(), matters, rules_strategy)
def test_ratios_are_between_zero_and_one(units, matter, rules):
    result = tally(units, matter, rules)
    for check in (result.participation, result.approval):
        for ratio in (check.area_ratio, check.head_ratio):
            assert 0 <= ratio.fraction <= 1
            assert 0 <= ratio.decimal <= 1
    assert result.agreeing_area <= result.participating_area <= result.total_area
    assert result.agreeing_heads <= result.participating_heads <= result.total_heads
    assert result.total_heads <= result.total_units


@given(votes(), matters, rules_strategy, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_ballot_order(units, matter, rules, shuffler: random.Random):
    shuffled = list(units)
    shuffler.shuffle(shuffled)
    assert tally(shuffled, matter, rules) == tally(units, matter, rules)


@given(votes(), matters)
def test_published_rows_retally_to_the_same_result(units, matter):
    assert tally(parse_published_csv(published_rows_csv(units)), matter) == tally(units, matter)
