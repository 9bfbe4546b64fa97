"""Scoring reads like its rules: AHP weights and Saaty's consistency ratio, the three
normalisations, missing values, competition ranks, and explanations a resident can follow."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anju.engine.scoring import (
    DEFAULT_MODEL,
    RANDOM_INDEX,
    AhpMethod,
    CompoundFacts,
    Criterion,
    Direction,
    InconsistentJudgements,
    Indicator,
    Normalisation,
    ScoringError,
    ScoringModel,
    ahp_weights,
    comparison_matrix,
    default_raw_values,
    explain,
    most_inconsistent,
    normalise,
    score,
    score_records,
)

RAISES = Direction.HIGHER_RAISES_PRIORITY
LOWERS = Direction.HIGHER_LOWERS_PRIORITY


def consistent(weights):
    return [[wi / wj for wj in weights] for wi in weights]


def model_of(*indicators, criteria=()):
    return ScoringModel("test", 1, "测试", "test", tuple(indicators), criteria=criteria)


def indicator(key, weight=1, **options):
    return Indicator(key, key, key, weight, **options)


def shares(ind, values):
    return normalise(ind, np.array(values, dtype=float)).tolist()


MIXED = model_of(
    indicator("age", 3, normalisation=Normalisation.BANDS, bands=((0, 0), (5, 40), (10, 100))),
    indicator("hazards", 2, normalisation=Normalisation.RANK),
    indicator("will", 2),
    indicator("cost", 1, direction=LOWERS),
    indicator("cost_rank", 1, direction=LOWERS, normalisation=Normalisation.RANK),
    indicator(
        "cost_bands",
        1,
        direction=LOWERS,
        normalisation=Normalisation.BANDS,
        bands=((0, 100), (8, 50), (15, 0)),
    ),
)

raw_value = st.one_of(st.none(), st.integers(0, 20).map(float))


@st.composite
def rounds(draw, min_size=1):
    n = draw(st.integers(min_size, 12))
    k = len(MIXED.indicators)
    raw = draw(st.lists(st.lists(raw_value, min_size=k, max_size=k), min_size=n, max_size=n))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    return ids, raw


# --- AHP ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", list(AhpMethod))
def test_a_consistent_matrix_gives_exact_weights_and_zero_consistency_ratio(method):
    result = ahp_weights(consistent([8, 4, 2, 1]), method=method)
    assert result.weights == pytest.approx([8 / 15, 4 / 15, 2 / 15, 1 / 15], abs=1e-12)
    assert result.lambda_max == pytest.approx(4, abs=1e-9)
    assert result.consistency_ratio == pytest.approx(0, abs=1e-9)
    assert result.is_consistent


def test_judgements_may_be_typed_as_fractions_or_text():
    matrix = [[1, "3", 9], ["1/3", 1, 3], [Fraction(1, 9), "1/3", 1]]
    assert ahp_weights(matrix).weights == pytest.approx([9 / 13, 3 / 13, 1 / 13])


def test_three_by_three_consistency_ratio_matches_the_closed_form():
    # For a12 = a, a13 = b, a23 = c: λmax = 1 + d^(1/3) + d^(-1/3) with d = a·c / b.
    a, b, c = 3, 1, 3
    d = a * c / b
    lambda_max = 1 + d ** (1 / 3) + d ** (-1 / 3)
    expected = (lambda_max - 3) / 2 / 0.58
    with pytest.raises(InconsistentJudgements) as refused:
        ahp_weights([[1, a, b], [1 / a, 1, c], [1 / b, 1 / c, 1]])
    assert refused.value.result.lambda_max == pytest.approx(lambda_max)
    assert refused.value.result.consistency_ratio == pytest.approx(expected)
    assert expected == pytest.approx(0.483, abs=1e-3)


def test_a_slightly_inconsistent_matrix_is_accepted_with_its_ratio():
    matrix = consistent([8, 4, 2, 1])
    matrix[0][1], matrix[1][0] = 3, 1 / 3
    result = ahp_weights(matrix)
    assert 0 < result.consistency_ratio <= 0.1
    assert result.random_index == 0.90


def test_a_reversed_judgement_is_refused_and_named_first():
    matrix = consistent([8, 4, 2, 1])
    matrix[0][3], matrix[3][0] = 1 / 8, 8  # D over A at 8, where A is eight times D
    with pytest.raises(InconsistentJudgements) as refused:
        ahp_weights(matrix, names=[("甲", "A"), ("乙", "B"), ("丙", "C"), ("丁", "D")])
    error = refused.value
    assert error.result.consistency_ratio > 0.1
    worst = error.judgements[0]
    assert (worst.more, worst.less, worst.given) == (3, 0, 8)
    assert len(error.judgements) == 3
    zh = error.messages("zh")
    assert zh[0].startswith("判断矩阵的一致性比率CR = ")
    assert zh[1].startswith("丁相对甲的判断（8）与其他判断不一致，按权重推算约为")
    assert error.messages("en")[1].startswith("The judgement of D over A (8) disagrees")


def test_the_named_pairs_account_for_all_the_inconsistency():
    matrix = [[1, 5, 3, 7], [1 / 5, 1, 1 / 3, 5], [1 / 3, 3, 1, 6], [1 / 7, 1 / 5, 1 / 6, 1]]
    a = np.array(matrix)
    values, vectors = np.linalg.eig(a)
    principal = np.argmax(values.real)
    w = np.abs(vectors[:, principal].real)
    w = w / w.sum()
    pairs = most_inconsistent(a, w, list("ABCD"), list("ABCD"))
    assert sum(p.inconsistency for p in pairs) == pytest.approx(values[principal].real - 4)


def test_geometric_mean_and_eigenvector_agree_on_three_items():
    matrix = [[1, 2, 5], [1 / 2, 1, 3], [1 / 5, 1 / 3, 1]]
    eigen = ahp_weights(matrix).weights
    geometric = ahp_weights(matrix, method=AhpMethod.GEOMETRIC_MEAN).weights
    assert eigen == pytest.approx(geometric)


def test_two_items_are_always_consistent():
    result = ahp_weights([[1, 9], [1 / 9, 1]])
    assert result.weights == pytest.approx([0.9, 0.1])
    assert result.consistency_ratio == 0


def test_a_matrix_that_is_not_reciprocal_is_refused_naming_the_cells():
    with pytest.raises(ScoringError) as refused:
        ahp_weights([[1, 3, 1], [3, 1, 1], [1, 1, 1]])
    assert refused.value.code == "not_reciprocal"
    assert refused.value.messages("zh") == ["第1行第2列（3）与第2行第1列（3）不互为倒数。"]


def test_a_reciprocal_typed_to_two_decimals_is_accepted_and_the_upper_triangle_rules():
    assert ahp_weights([[1, 3], [0.33, 1]]).weights == pytest.approx([0.75, 0.25])
    assert ahp_weights([[1, 7], [1 / 7, 1]]).weights == ahp_weights([[1, 7], [0.14, 1]]).weights
    with pytest.raises(ScoringError):
        ahp_weights([[1, 3], [0.5, 1]])


@pytest.mark.parametrize(
    ("matrix", "code"),
    [
        ([[1, 2], [0.5]], "not_square"),
        ([[1, 10], [0.1, 1]], "off_scale"),
        ([[1, -2], [-0.5, 1]], "not_positive"),
        ([[2, 1], [1, 1]], "diagonal"),
        ([[1, "much"], [1, 1]], "not_a_number"),
        (consistent(range(1, 17)), "too_many"),
    ],
)
def test_malformed_matrices_are_refused(matrix, code):
    with pytest.raises(ScoringError) as refused:
        ahp_weights(matrix)
    assert refused.value.code == code


def test_random_index_is_saatys_table():
    assert RANDOM_INDEX[2] == 0.58
    assert RANDOM_INDEX[11] == 1.48
    assert len(RANDOM_INDEX) == 15


def test_comparison_matrix_fills_reciprocals_and_equal_pairs():
    matrix = comparison_matrix(["a", "b", "c"], {("a", "b"): 3, ("c", "a"): "1/3"})
    assert matrix == [[1, 3, 3], [1 / 3, 1, 1], [1 / 3, 1, 1]]
    with pytest.raises(ScoringError):
        comparison_matrix(["a", "b"], {("a", "b"): 3, ("b", "a"): 3})


# --- Models ---------------------------------------------------------------------------------


def test_the_default_model_is_labelled_as_anjus_own_with_twelve_indicators():
    model = DEFAULT_MODEL
    assert model.name_en == "anju default (Wuhan's three criteria)"
    assert "not a published rule" in model.note_en
    assert "并非官方公布" in model.note_zh
    assert len(model.indicators) == 12
    assert model.weights.sum() == pytest.approx(1)
    by_criterion = {}
    for ind, weight in zip(model.indicators, model.weights, strict=True):
        by_criterion[ind.criterion] = by_criterion.get(ind.criterion, 0) + weight
    assert by_criterion == pytest.approx(
        {"problems": 0.45, "will": 0.30, "organisation": 0.15, "benefit": 0.10}
    )


def test_typed_weights_are_normalised_and_make_a_new_version():
    model = model_of(indicator("a"), indicator("b"))
    heavier = model.with_weights({"a": 3, "b": 1})
    assert heavier.version == 2
    assert heavier.weights.tolist() == [0.75, 0.25]
    with pytest.raises(ScoringError):
        model.with_weights({"c": 1})
    with pytest.raises(ScoringError):
        model.with_weights([0, 0])


def test_ahp_weights_a_model_and_refuses_an_inconsistent_one_by_indicator_name():
    model = model_of(
        Indicator("age", "楼龄", "building age", 1),
        Indicator("will", "意愿", "will", 1),
        Indicator("party", "党建", "party", 1),
    )
    weighted, result = model.with_ahp(consistent([4, 2, 1]))
    assert weighted.weights == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert result.consistency_ratio == pytest.approx(0, abs=1e-9)
    with pytest.raises(InconsistentJudgements) as refused:
        model.with_ahp([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert "楼龄" in " ".join(refused.value.messages("zh"))


def test_grouped_ahp_multiplies_criterion_and_local_weights():
    criteria = (Criterion("p", "问题", "problems"), Criterion("w", "意愿", "will"))
    model = model_of(
        indicator("age", criterion="p"),
        indicator("hazards", criterion="p"),
        indicator("will", criterion="w"),
        criteria=criteria,
    )
    weighted, results = model.with_grouped_ahp([[1, 3], [1 / 3, 1]], {"p": [[1, 2], [0.5, 1]]})
    assert weighted.weights == pytest.approx([0.75 * 2 / 3, 0.75 / 3, 0.25])
    assert set(results) == {"", "p"}


def test_a_model_survives_a_round_trip_through_json_data():
    assert ScoringModel.from_dict(DEFAULT_MODEL.as_dict()) == DEFAULT_MODEL


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"normalisation": "bands", "bands": ((5, 10), (5, 20))}, "bands_not_increasing"),
        ({"normalisation": "bands", "bands": ((0, 50), (5, 10))}, "bands_against_direction"),
        ({"normalisation": Normalisation.BANDS, "bands": ((0, 0),)}, "bands_points"),
        ({"normalisation": Normalisation.BANDS}, "bands_empty"),
        ({"bands": ((0, 1),)}, "bands_without_bands"),
        ({"weight": -1}, "bad_weight"),
    ],
)  # fmt: skip
def test_malformed_indicators_are_refused(options, code):
    weight = options.pop("weight", 1)
    with pytest.raises(ScoringError) as refused:
        Indicator("x", "x", "x", weight, **options)
    assert refused.value.code == code


def test_directions_read_their_mcda_synonyms():
    assert Direction.parse("benefit") is RAISES
    assert Direction.parse("higher_is_worse_off") is RAISES
    assert Direction.parse("cost") is LOWERS
    assert Direction.parse("higher_is_better") is LOWERS


# --- Normalisation ----------------------------------------------------------------------------


def test_min_max_spreads_values_over_zero_to_one():
    assert shares(indicator("a"), [10, 20, 15]) == [0, 1, 0.5]


def test_min_max_with_all_values_equal_gives_everyone_half_without_dividing_by_zero():
    with np.errstate(all="raise"):
        assert shares(indicator("a"), [7, 7, 7]) == [0.5, 0.5, 0.5]
        assert shares(indicator("a", normalisation=Normalisation.RANK), [7]) == [0.5]


def test_a_cost_criterion_reverses_min_max():
    assert shares(indicator("a", direction=LOWERS), [10, 20, 15]) == [1, 0, 0.5]


def test_rank_gives_tied_values_the_same_mid_rank_share():
    ranked = indicator("a", normalisation=Normalisation.RANK)
    assert shares(ranked, [1, 5, 5, 9, 1000]) == [0, 0.375, 0.375, 0.75, 1]
    reversed_rank = indicator("a", direction=LOWERS, normalisation=Normalisation.RANK)
    assert shares(reversed_rank, [1, 5, 5, 9, 1000]) == [1, 0.625, 0.625, 0.25, 0]


def test_bands_give_the_points_of_the_highest_bound_reached():
    banded = indicator(
        "age", normalisation=Normalisation.BANDS, bands=((10, 20), (20, 60), (30, 100))
    )
    assert shares(banded, [5, 10, 19.9, 20, 29, 30, 80]) == [0.2, 0.2, 0.2, 0.6, 0.6, 1, 1]


def test_missing_values_score_nothing_and_do_not_move_the_others():
    model = model_of(indicator("a"), indicator("b"))
    table = score(model, [1, 2, 3], [[10, 1], [None, 2], [20, math.nan]])
    assert table.shares[:, 0].tolist() == [0, 0, 1]
    assert table.contributions[1, 0] == 0
    assert table.candidate(2).missing == ("a",)
    assert table.candidate(3).missing == ("b",)
    assert table.candidate(2).indicators[0].raw is None


def test_a_column_with_no_values_scores_nothing():
    table = score(model_of(indicator("a"), indicator("b")), [1, 2], [[None, 1], [None, 2]])
    assert table.contributions[:, 0].tolist() == [0, 0]


# --- Scores and ranks -------------------------------------------------------------------------


def test_totals_out_of_100_and_competition_ranks_with_ties_ordered_by_id():
    model = model_of(indicator("a", 3), indicator("b", 1))
    table = score(model, [40, 10, 30, 20], [[0, 0], [10, 5], [10, 5], [5, 10]])
    assert table.totals.tolist() == [0, 87.5, 87.5, 62.5]
    assert table.ranks.tolist() == [4, 1, 1, 3]
    assert [row.id for row in table.rows()] == [10, 30, 20, 40]
    assert table.candidate(30).indicators[0].contribution == 75
    assert table.candidate(30).indicators[0].max_points == 75


def test_text_ids_work_and_duplicates_are_refused():
    model = model_of(indicator("a"))
    assert score(model, ["JA-2", "JA-1"], [[1], [2]]).candidate("JA-1").rank == 1
    with pytest.raises(ScoringError) as refused:
        score(model, ["JA-1", "JA-1"], [[1], [2]])
    assert refused.value.code == "duplicate_candidate"
    with pytest.raises(ScoringError):
        score(model, [1, 2], [[1, 2], [3, 4]])


def test_an_empty_round_has_an_empty_table():
    assert len(score(model_of(indicator("a")), [], [])) == 0


@given(rounds())
def test_totals_are_the_sum_of_contributions(data):
    ids, raw = data
    table = score(MIXED, ids, raw)
    assert np.allclose(table.totals, table.contributions.sum(axis=1), atol=1e-6)
    assert ((table.shares >= 0) & (table.shares <= 1)).all()
    assert (table.contributions[table.missing] == 0).all()


@given(rounds())
def test_ranks_are_a_valid_competition_ranking(data):
    ids, raw = data
    table = score(MIXED, ids, raw)
    for row in range(len(ids)):
        assert table.ranks[row] == 1 + (table.totals > table.totals[row]).sum()
    published = [(table.ranks[i], table.ids[i]) for i in table.order]
    assert published == sorted(published)


@given(rounds(), st.data())
def test_raising_a_value_never_moves_the_total_against_the_indicators_direction(data, draws):
    ids, raw = data
    row = draws.draw(st.integers(0, len(ids) - 1))
    k = draws.draw(st.integers(0, len(MIXED.indicators) - 1))
    raw[row][k] = draws.draw(st.integers(0, 20).map(float))
    before = score(MIXED, ids, raw).totals[row]
    raw[row][k] += draws.draw(st.integers(1, 30))
    after = score(MIXED, ids, raw).totals[row]
    if MIXED.indicators[k].direction is RAISES:
        assert after >= before
    else:
        assert after <= before


@given(rounds(), st.randoms(use_true_random=False))
def test_input_order_does_not_change_any_candidates_result(data, random):
    ids, raw = data
    table = score(MIXED, ids, raw)
    shuffled = list(range(len(ids)))
    random.shuffle(shuffled)
    again = score(MIXED, [ids[i] for i in shuffled], [raw[i] for i in shuffled])
    for candidate_id in ids:
        assert again.candidate(candidate_id) == table.candidate(candidate_id)
    assert again.ids[again.order].tolist() == table.ids[table.order].tolist()


@settings(max_examples=30)
@given(rounds(min_size=2))
def test_equal_raw_values_give_equal_totals_wherever_the_rows_sit(data):
    ids, raw = data
    raw[-1] = list(raw[0])
    table = score(MIXED, ids, raw)
    assert table.totals[0] == table.totals[-1]
    assert table.ranks[0] == table.ranks[-1]


def test_records_with_gaps_score_like_the_matrix():
    model = model_of(indicator("a"), indicator("b"))
    records = [{"id": 1, "a": 1, "b": None}, {"id": 2, "a": 3}, {"id": 3, "a": 2, "b": True}]
    table = score_records(model, records)
    assert table.candidate(2).missing == ("b",)
    assert (
        table.totals.tolist()
        == score(model, [1, 2, 3], [[1, None], [3, None], [2, 1]]).totals.tolist()
    )


# --- Default model inputs and explanations ----------------------------------------------------


def test_default_raw_values_come_from_registry_engagement_and_surveys():
    facts = CompoundFacts(
        compound_id=7,
        year_built=1988,
        households=200,
        vulnerable_households=30,
        safety_hazards={"critical": 1, "minor": 2},
        most_urgent_households=50,
        response_rate=Fraction(3, 4),
        consent_agreement_area="4/5",
        willing_share=Fraction(1, 2),
        party_organisation="joint",
        has_owners_committee=True,
        management_status="red_property",
    )
    values = default_raw_values(facts, year=2026)
    assert values == {
        "id": 7,
        "building_age": 38,
        "safety_hazards": 7,
        "facility_gaps": None,
        "urgent_need_share": 0.25,
        "vulnerable_share": 0.15,
        "response_rate": 0.75,
        "consent_agreement_area": 0.8,
        "willing_share": 0.5,
        "party_organisation": 1,
        "owners_committee": 1,
        "management_status": 2,
        "households_benefited": 200,
    }
    assert set(values) - {"id"} == set(DEFAULT_MODEL.keys)


def default_round():
    old = CompoundFacts(
        1, 1982, 300, vulnerable_households=60, safety_hazards={"critical": 2},
        facility_gaps={"major": 3}, most_urgent_households=90, response_rate=0.8,
        consent_agreement_area="9/10", willing_share=0.6, party_organisation="branch",
        has_owners_committee=True, management_status="red_property",
    )  # fmt: skip
    newer = CompoundFacts(2, 1999, 120, vulnerable_households=6, response_rate=0.3)
    middle = CompoundFacts(
        3, 1992, 180, vulnerable_households=20, safety_hazards={"minor": 4},
        facility_gaps={"minor": 1}, most_urgent_households=20, response_rate=0.5,
        consent_agreement_area="2/3", willing_share=0.4, party_organisation="joint",
    )  # fmt: skip
    records = [default_raw_values(f, year=2026) for f in (old, newer, middle)]
    return score_records(DEFAULT_MODEL, records)


def test_the_default_model_puts_the_old_willing_organised_compound_first():
    table = default_round()
    assert [row.id for row in table.rows()] == [1, 3, 2]
    assert table.candidate(2).missing == (
        "safety_hazards",
        "facility_gaps",
        "urgent_need_share",
        "consent_agreement_area",
        "willing_share",
    )


def test_explanation_says_the_rank_each_criterion_and_what_is_missing():
    table = default_round()
    zh = explain(table, 2, name="示例小区")
    assert zh[0].startswith("示例小区在本轮3个候选小区中排第3名，总分")
    assert "anju 默认模型（参照武汉三项标准）（第1版）" in zh[1]
    assert any(s.startswith("问题集中突出：得") for s in zh)
    assert any(s.startswith("楼龄为27年，落在“26年及以上”一档") for s in zh)
    assert any(s.startswith("安全隐患暂无数据，按规则计0分") for s in zh)
    assert zh[-1].startswith("标注“暂无数据”的指标")
    en = explain(table, 1, "en")
    assert en[0].startswith("1 ranks 1 of 3 candidate compounds")
    assert any(s.startswith("party organisation is own branch; scored by its level") for s in en)


def test_explanation_mentions_a_shared_rank():
    table = score(model_of(indicator("a")), [1, 2], [[5], [5]])
    assert "名次并列" in explain(table, 2)[1]
