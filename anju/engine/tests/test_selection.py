"""Project selection keeps every rule, and on small instances nothing beats it."""

import functools
import itertools
import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anju.engine import selection as engine
from anju.engine.selection import (
    Candidate,
    CandidateTable,
    DistrictBudget,
    SelectionInputError,
    budget_bound,
    build_units,
    format_yuan,
    greedy,
    greedy_by_score,
    greedy_by_score_per_yuan,
    is_feasible,
    presolve,
    score_per_yuan_priority,
    score_priority,
    select,
    violations,
)

YI = 100_000_000
WAN = 10_000
DISTRICTS = ("江岸区", "武昌区", "硚口区")


# --- an independent referee: plain Python over every subset ---------------------------------


def units_of(candidates):
    """Candidates grouped into what is chosen together: a package, or one candidate."""
    groups: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        key = f"package:{candidate.package}" if candidate.package else f"id:{candidate.id}"
        groups.setdefault(key, []).append(candidate)
    return list(groups.values())


def obeys_rules(chosen, budgets, total):
    """`chosen` is a list of candidates: does it keep the budget, caps, minimums (a package
    is one project) and exclusive groups?"""
    if sum(c.cost for c in chosen) > total + 1e-6:
        return False
    for budget in budgets:
        here = [c for c in chosen if c.district == budget.district]
        if budget.max_cost is not None and sum(c.cost for c in here) > budget.max_cost + 1e-6:
            return False
        projects = {c.package or c.id for c in here}
        if budget.min_count is not None and len(projects) < budget.min_count:
            return False
    used = [c.exclusive for c in chosen if c.exclusive]
    return len(used) == len(set(used))


def brute_force(candidates, budgets, total):
    """The best score over every subset of packages/candidates, or None when none is
    feasible."""
    units = units_of(candidates)
    best = None
    for picks in itertools.product((False, True), repeat=len(units)):
        chosen = [c for unit, take in zip(units, picks, strict=True) if take for c in unit]
        if any(c.mandatory for unit, take in zip(units, picks, strict=True) if not take
               for c in unit):  # fmt: skip
            continue
        if obeys_rules(chosen, budgets, total):
            score = sum(c.score for c in chosen)
            best = score if best is None else max(best, score)
    return best


@st.composite
def instances(draw, max_candidates=10):
    count = draw(st.integers(1, max_candidates))
    package_district: dict[str, str] = {}
    candidates = []
    for index in range(count):
        package = draw(st.sampled_from([None, None, None, "P1", "P2"]))
        district = draw(st.sampled_from(DISTRICTS))
        if package:
            district = package_district.setdefault(package, district)
        candidates.append(
            Candidate(
                id=f"c{index}",
                district=district,
                cost=draw(st.integers(0, 60)) * WAN,
                score=draw(st.integers(0, 5000)) / 100,
                package=package,
                mandatory=draw(st.integers(0, 9)) == 0,
                exclusive=draw(st.sampled_from([None, None, None, "X1", "X2"])),
            )
        )
    budgets = [
        DistrictBudget(
            district,
            draw(st.one_of(st.none(), st.integers(0, 150).map(lambda v: v * WAN))),
            draw(st.one_of(st.none(), st.integers(0, 3))),
        )
        for district in DISTRICTS
        if draw(st.booleans())
    ]
    total = draw(st.integers(0, 250)) * WAN
    return candidates, budgets, total


def check_against_brute_force(candidates, budgets, total, **options):
    result = select(candidates, budgets, total, **options)
    best = brute_force(candidates, budgets, total)
    if best is None:
        assert result.status == "infeasible"
        assert result.selected == ()
        assert result.explanation[0] == "无可行方案：约束相互冲突。"
        assert len(result.explanation) >= 2
        return result
    assert result.status == "optimal", result.explanation
    assert is_feasible(candidates, budgets, total, result.selected)
    assert result.objective == pytest.approx(best, abs=1e-6)
    assert result.bound == pytest.approx(best, abs=1e-6)
    assert result.gap == 0.0
    chosen = set(result.selected)
    assert result.total_cost == pytest.approx(sum(c.cost for c in candidates if c.id in chosen))
    return result


# --- invariants ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(instances())
def test_small_instances_are_optimal_against_brute_force(instance):
    check_against_brute_force(*instance)


@settings(max_examples=40, deadline=None)
@given(instances(max_candidates=12))
def test_the_core_method_with_a_tiny_core_is_optimal_too(instance):
    """One item in the first core: growing the core and the proof by enumeration must still
    find the brute-force optimum."""
    check_against_brute_force(*instance, method="core", core_size=1)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_the_bound_used_when_time_runs_out_before_the_lp_is_a_bound(instance):
    """When the deadline comes before the LP relaxation is solved, the gap reported rests on
    `budget_bound`; it must never be below the true optimum."""
    candidates, budgets, total = instance
    units = build_units(candidates, budgets, total)
    presolved = presolve(units)
    best = brute_force(candidates, budgets, total)
    if best is not None and not presolved.reasons:
        assert budget_bound(units, presolved) >= best - 1e-9


@settings(max_examples=40, deadline=None)
@given(instances())
def test_mandatory_packages_and_exclusive_groups_hold(instance):
    candidates, budgets, total = instance
    result = select(candidates, budgets, total)
    if result.status == "infeasible":
        return
    chosen = set(result.selected)
    assert {c.id for c in candidates if c.mandatory} <= chosen
    for unit in units_of(candidates):
        assert len({c.id in chosen for c in unit}) == 1  # a package all or nothing
    used = [c.exclusive for c in candidates if c.id in chosen and c.exclusive]
    assert len(used) == len(set(used))


@settings(max_examples=40, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_is_feasible_agrees_with_the_plain_rules(instance, random):
    candidates, budgets, total = instance
    chosen = [c for unit in units_of(candidates) if random.random() < 0.5 for c in unit]
    expected = obeys_rules(chosen, budgets, total) and all(
        c in chosen for c in candidates if c.mandatory
    )
    assert is_feasible(candidates, budgets, total, [c.id for c in chosen]) is expected


@settings(max_examples=30, deadline=None)
@given(instances())
def test_greedy_baselines_keep_every_rule_but_the_minimums(instance):
    candidates, budgets, total = instance
    result = select(candidates, budgets, total)
    for name in ("greedy_score", "greedy_score_per_yuan"):
        rule = result.baselines[name]
        problems = violations(candidates, budgets, total, rule.selected)
        if rule.is_feasible:
            assert not problems
            if result.status != "infeasible":
                assert rule.objective <= result.objective + 1e-6
        elif result.status != "infeasible":
            assert {p.code for p in problems} <= {"violates_min_count"}


def test_a_package_member_chosen_alone_is_not_feasible():
    candidates = [
        Candidate("a", "江岸区", 10, 5, package="P"),
        Candidate("b", "江岸区", 10, 5, package="P"),
    ]
    assert is_feasible(candidates, [], 100, ["a", "b"])
    assert not is_feasible(candidates, [], 100, ["a"])
    assert [p.code for p in violations(candidates, [], 100, ["a"])] == ["violates_package"]


# --- the greedy rules ------------------------------------------------------------------------


def test_greedy_by_score_skips_what_does_not_fit_and_goes_on():
    """Consul Democracy's rule: A fits, B no longer does and is skipped, C still fits."""
    candidates = [
        Candidate("A", "江岸区", 90 * WAN, 50),
        Candidate("B", "江岸区", 20 * WAN, 40),
        Candidate("C", "江岸区", 10 * WAN, 30),
    ]
    rule = greedy_by_score(candidates, [], 100 * WAN)
    assert rule.selected == ("A", "C")
    assert rule.objective == 80
    assert rule.total_cost == 100 * WAN
    assert rule.selected_count == 2
    assert rule.is_feasible
    assert select(candidates, [], 100 * WAN).selected == ("A", "C")


def test_greedy_by_score_loses_to_many_cheaper_projects():
    candidates = [
        Candidate("big", "江岸区", 100 * WAN, 50),
        Candidate("small-1", "江岸区", 50 * WAN, 30),
        Candidate("small-2", "江岸区", 50 * WAN, 30),
    ]
    result = select(candidates, [], 100 * WAN)
    assert set(result.selected) == {"small-1", "small-2"}
    assert result.baselines["greedy_score"].objective == 50
    assert result.baselines["greedy_score_per_yuan"].objective == 60
    assert any("比本方案少16.6667%" in sentence for sentence in result.explanation)


def test_greedy_per_yuan_loses_when_a_cheap_project_blocks_a_large_one():
    candidates = [Candidate("cheap", "江岸区", 10 * WAN, 11), Candidate("large", "江岸区", YI, 100)]
    rule = greedy_by_score_per_yuan(candidates, [], YI)
    assert rule.selected == ("cheap",)
    result = select(candidates, [], YI)
    assert result.selected == ("large",)
    assert result.baselines["greedy_score"].objective == 100


def test_greedy_that_misses_a_minimum_says_so():
    candidates = [
        Candidate("A", "江岸区", 80 * WAN, 90),
        Candidate("B", "武昌区", 40 * WAN, 10),
        Candidate("C", "武昌区", 40 * WAN, 10),
    ]
    budgets = [DistrictBudget("武昌区", min_count=2)]
    result = select(candidates, budgets, 100 * WAN)
    assert set(result.selected) == {"B", "C"}
    assert result.baselines["greedy_score"].is_feasible is False
    assert "该对照方案未满足某些区的最少项目数。" in result.explanation


# --- infeasibility in words ------------------------------------------------------------------


def test_mandatory_projects_over_a_district_cap_are_explained():
    candidates = [
        Candidate("q1", "硚口区", 0.7 * YI, 80, mandatory=True),
        Candidate("q2", "硚口区", 0.5 * YI, 70, mandatory=True),
        Candidate("w1", "武昌区", 0.2 * YI, 60),
    ]
    budgets = [DistrictBudget("硚口区", max_cost=1.0 * YI), DistrictBudget("武昌区")]
    result = select(candidates, budgets, 5 * YI)
    assert result.status == "infeasible"
    assert result.selected == ()
    assert result.objective is None and result.bound is None and result.gap is None
    assert result.explanation == [
        "无可行方案：约束相互冲突。",
        "硚口区的必选项目2个合计1.20亿元，超过该区上限1.00亿元。",
    ]
    assert result.explanation_en[1] == (
        "The 2 mandatory projects in 硚口区 cost ¥120.00 million, over its cap of ¥100.00 million."
    )


def test_a_mandatory_member_drags_its_whole_package_over_the_cap():
    candidates = [
        Candidate("a", "江汉区", 3000 * WAN, 50, package="P7", mandatory=True),
        Candidate("b", "江汉区", 2500 * WAN, 20, package="P7"),
    ]
    result = select(candidates, [DistrictBudget("江汉区", max_cost=5000 * WAN)], YI)
    assert result.status == "infeasible"
    assert result.explanation[1] == (
        "打包项目“P7”含必选项目（如“a”），须整包2个一并入选，合计5,500.00万元，"
        "超过江汉区上限5,000.00万元。"
    )


def test_mandatory_over_the_total_budget():
    candidates = [Candidate("a", "江岸区", 2 * YI, 50, mandatory=True)]
    result = select(candidates, [], YI)
    assert result.explanation[1] == "必选项目1个合计2.00亿元，超过总预算1.00亿元。"


def test_two_mandatory_alternatives_of_one_compound_conflict():
    candidates = [
        Candidate("scope-a", "青山区", 100 * WAN, 50, mandatory=True, exclusive="X"),
        Candidate("scope-b", "青山区", 200 * WAN, 60, mandatory=True, exclusive="X"),
    ]
    result = select(candidates, [], YI)
    assert result.explanation[1] == (
        "互斥组“X”中有多个必选项目（scope-a、scope-b），最多只能选一个。"
    )


def test_a_minimum_larger_than_the_candidates():
    candidates = [
        Candidate("a", "洪山区", 100 * WAN, 50, exclusive="X"),
        Candidate("b", "洪山区", 100 * WAN, 50, exclusive="X"),
        Candidate("c", "洪山区", 100 * WAN, 50),
    ]
    result = select(candidates, [DistrictBudget("洪山区", min_count=3)], YI)
    assert result.explanation[1] == ("洪山区至少需选3个项目，但可选项目（互斥组只计一个）只有2个。")


def test_a_minimum_that_the_cap_cannot_pay_for():
    candidates = [Candidate(f"h{i}", "汉阳区", (100 + i) * WAN, 50) for i in range(3)]
    result = select(candidates, [DistrictBudget("汉阳区", max_cost=250 * WAN, min_count=3)], YI)
    assert result.explanation[1] == (
        "汉阳区至少需选3个项目，连同必选项目最便宜的组合也要303.00万元，超过该区上限250.00万元。"
    )


def test_minimums_together_over_the_total_budget():
    candidates = [
        Candidate("a", "江岸区", 60 * WAN, 10),
        Candidate("b", "武昌区", 60 * WAN, 10),
    ]
    budgets = [DistrictBudget("江岸区", min_count=1), DistrictBudget("武昌区", min_count=1)]
    result = select(candidates, budgets, 100 * WAN)
    assert result.explanation[1] == (
        "各区满足最少项目数的最便宜组合（含必选项目）合计120.00万元，超过总预算100.00万元。"
    )


def test_a_conflict_only_the_solver_finds_is_still_explained():
    """Each rule alone can be met; together (a package too costly for the other district's
    minimum to be paid) they cannot."""
    candidates = [
        Candidate("a", "江岸区", 50 * WAN, 10, exclusive="X"),
        Candidate("b", "江岸区", 50 * WAN, 10, exclusive="X"),
        Candidate("c", "江岸区", 70 * WAN, 10),
    ]
    budgets = [DistrictBudget("江岸区", max_cost=110 * WAN, min_count=2)]
    result = select(candidates, budgets, YI)
    assert result.status == "infeasible"
    assert result.explanation[1].startswith("单看每条约束都能满足")


# --- input errors ----------------------------------------------------------------------------


def test_a_package_split_across_districts_is_an_input_error_not_infeasibility():
    candidates = [
        Candidate("a", "江岸区", 10, 5, package="P1"),
        Candidate("b", "江汉区", 10, 5, package="P1"),
    ]
    with pytest.raises(SelectionInputError) as caught:
        select(candidates, [], 100)
    assert str(caught.value) == (
        "打包项目“P1”跨区：已在江岸区，项目“b”却在江汉区；同一打包项目必须在同一个区。"
    )


@pytest.mark.parametrize(
    ("candidate", "message"),
    [
        (Candidate("a", "江岸区", -1, 5), "项目“a”的投资额应为非负数，不能是“-1”。"),
        (Candidate("a", "江岸区", math.nan, 5), "项目“a”的投资额应为非负数，不能是“nan”。"),
        (Candidate("a", "江岸区", 1, -5), "项目“a”的得分应为非负数，不能是“-5”。"),
    ],
)
def test_negative_or_missing_numbers_are_input_errors(candidate, message):
    with pytest.raises(SelectionInputError) as caught:
        select([candidate], [], 100)
    assert str(caught.value) == message


def test_duplicate_ids_are_input_errors():
    with pytest.raises(SelectionInputError, match="项目编号“a”重复"):
        select([Candidate("a", "江岸区", 1, 1), Candidate("a", "江岸区", 1, 1)], [], 100)


# --- answers ---------------------------------------------------------------------------------


def test_an_optimal_answer_explains_itself_in_both_languages():
    candidates = [
        Candidate("a", "江岸区", 5000 * WAN, 80, mandatory=True),
        Candidate("b", "江岸区", 3000 * WAN, 70),
        Candidate("c", "武昌区", 4000 * WAN, 60),
    ]
    result = select(candidates, [DistrictBudget("江岸区", max_cost=YI)], YI)
    assert result.selected == ("a", "b")
    assert result.explanation[:3] == [
        "共选中2个项目（2个候选），合计8,000.00万元（总预算1.00亿元），总得分150.00。",
        "已证明最优：得分上界150.00。",
        "其中必选（含结转）项目1个，合计5,000.00万元。",
    ]
    assert result.explanation_en[1] == "Proven optimal: the score's upper bound is 150.00."


def test_carry_overs_are_mandatory_at_their_remaining_cost():
    carried = Candidate("carried", "江岸区", 30 * WAN, 0, mandatory=True)
    other = Candidate("new", "江岸区", 80 * WAN, 90)
    result = select([carried, other], [], 100 * WAN)
    assert result.selected == ("carried",)


def test_a_larger_instance_is_solved_within_its_time_limit():
    rng = np.random.default_rng(7)
    n = 3000
    candidates = [
        Candidate(
            f"c{i}",
            DISTRICTS[(i // 4) % 3],
            float(rng.integers(200, 3000)) * WAN,
            float(rng.integers(0, 10000)) / 100,
            package=f"P{i // 4}" if i % 50 < 8 else None,
            mandatory=i % 100 == 1,
            exclusive=f"X{i // 2}" if 20 <= i % 50 < 24 else None,
        )
        for i in range(n)
    ]
    budgets = [DistrictBudget(d, max_cost=(30 + 10 * k) * YI, min_count=50) for k, d in
               enumerate(DISTRICTS)]  # fmt: skip
    result = select(candidates, budgets, 100 * YI, time_limit=3.0)
    assert result.seconds < 5.0
    assert result.status in ("optimal", "feasible")
    assert result.gap < 1e-3
    assert is_feasible(candidates, budgets, 100 * YI, result.selected)
    assert result.objective >= result.baselines["greedy_score_per_yuan"].objective


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (1.2 * YI, "1.20亿元", "¥120.00 million"),
        (16_750_000, "1,675.00万元", "¥16.75 million"),
        (9_999, "9,999.00元", "¥9,999.00"),
        (1.274e9, "12.74亿元", "¥1.27 billion"),
    ],
)
def test_money_reads_in_yi_and_wan(value, zh, en):
    assert format_yuan(value) == zh
    assert format_yuan(value, "en") == en


def near_greedy_instance(n: int, districts: int = 30, seed: int = 13):
    """Scores roughly proportional to cost: greedy by score per yuan is within ~1e-5 of the
    LP bound and nearly every candidate's reduced score is smaller than that gap, so the core
    the MILP would need is most of the instance (the shape of defect 10, issue 13)."""
    rng = np.random.default_rng(seed)
    cost = np.clip(rng.lognormal(np.log(800 * WAN), 0.6, n), 200 * WAN, 3000 * WAN).round(-3)
    score = np.clip(cost / (30 * WAN) * rng.lognormal(0.0, 0.3, n), 0, 100).round(2)
    names = [f"区{d:02d}" for d in range(districts)]
    district = rng.integers(0, districts, n)
    candidates = [
        Candidate(f"c{i}", names[d], c, s, mandatory=i % 100 == 7)
        for i, (d, c, s) in enumerate(zip(district.tolist(), cost.tolist(), score.tolist(),
                                          strict=True))
    ]  # fmt: skip
    spend = np.bincount(district, cost, minlength=districts)
    budgets = [
        DistrictBudget(name, max_cost=None if d % 10 == 0 else 0.3 * spend[d], min_count=5)
        for d, name in enumerate(names)
    ]
    return candidates, budgets, round(0.22 * float(cost.sum()), -4)


@pytest.mark.parametrize("core_size", [None, 30_000])
def test_the_time_limit_holds_when_the_core_would_be_most_of_the_instance(core_size):
    """Defect 10: with a large fractional core the solver ran minutes past its limit: the
    core grew to most of the instance, and a core MILP that big stalls inside HiGHS, which
    then ignores its own time limit (30,000 columns asked for here, as the growth did). The
    limit is a promise: the best selection found by then comes back, feasible, with the gap
    it proves. Loose on purpose (1.5× a 1 s limit); the 10% target is measured in make bench."""
    candidates, budgets, total = near_greedy_instance(40_000)
    started = time.perf_counter()
    result = select(candidates, budgets, total, time_limit=1.0, core_size=core_size)
    wall = time.perf_counter() - started
    assert wall <= 1.5
    assert result.status in ("optimal", "feasible")
    assert is_feasible(candidates, budgets, total, result.selected)
    assert result.gap is not None and 0 <= result.gap < 1e-3
    assert result.objective >= result.baselines["greedy_score_per_yuan"].objective


# --- columns and the clock (defect 10) -------------------------------------------------------


def plain_greedy(candidates, budgets, total, by):
    """The greedy rule in plain Python, as a referee: mandatory units first, then by `by`
    ("score" or "per_yuan"), highest first and ties in input order, each unit taken when it
    fits the budget, its district's cap and unused exclusive groups; a unit holding two
    alternatives of one group is never taken."""
    caps = {b.district: b.max_cost for b in budgets if b.max_cost is not None}
    units = units_of(candidates)

    def priority(unit):
        score = sum(c.score for c in unit)
        cost = sum(c.cost for c in unit)
        if by == "score":
            return score
        return score / cost if cost > 0 else (math.inf if score > 0 else 0.0)

    chosen = [unit for unit in units if any(c.mandatory for c in unit)]
    spent = sum(c.cost for unit in chosen for c in unit)
    spent_in = {d: sum(c.cost for u in chosen for c in u if c.district == d) for d in DISTRICTS}
    used = {c.exclusive for unit in chosen for c in unit if c.exclusive}
    free = [
        unit
        for unit in units
        if unit not in chosen
        and len([c.exclusive for c in unit if c.exclusive])
        == len({c.exclusive for c in unit if c.exclusive})
    ]
    for unit in sorted(free, key=priority, reverse=True):  # sorted() is stable
        cost = sum(c.cost for c in unit)
        district = unit[0].district
        groups = {c.exclusive for c in unit if c.exclusive}
        if spent + cost > total + 1e-6 or groups & used:
            continue
        if district in caps and spent_in[district] + cost > caps[district] + 1e-6:
            continue
        chosen.append(unit)
        spent += cost
        spent_in[district] += cost
        used |= groups
    return {c.id for unit in chosen for c in unit}


@settings(max_examples=60, deadline=None)
@given(instances(max_candidates=14), st.sampled_from([1, 2, 3, 1024]))
def test_the_greedy_rules_take_what_the_plain_rule_takes(instance, chunk):
    """The greedy rules run over the units in chunks, taking a chunk whole when all of it
    fits (defect 10: the unit-by-unit loop took a tenth of a 2 s limit); whatever the chunk,
    they take exactly what the plain rule takes."""
    candidates, budgets, total = instance
    units = build_units(candidates, budgets, total)
    for by, priority in (("score", score_priority), ("per_yuan", score_per_yuan_priority)):
        chosen = greedy(units, priority(units), chunk=chunk)
        taken = {units.candidate_ids[c] for c in np.flatnonzero(chosen[units.candidate_unit])}
        assert taken == plain_greedy(candidates, budgets, total, by)


def table_of(candidates):
    return CandidateTable.from_columns(
        ids=[c.id for c in candidates],
        district=[c.district for c in candidates],
        cost=[c.cost for c in candidates],
        score=[c.score for c in candidates],
        package=[c.package for c in candidates],
        mandatory=[c.mandatory for c in candidates],
        exclusive=[c.exclusive for c in candidates],
    )


@settings(max_examples=40, deadline=None)
@given(instances())
def test_a_table_of_columns_is_selected_as_its_candidates_are(instance):
    """The CLI hands the engine columns (a `CandidateTable`), not 220,000 `Candidate`
    objects; the answer is the same, and the table reads back as the candidates."""
    candidates, budgets, total = instance
    table = table_of(candidates)
    assert list(table) == candidates
    assert table[-1] == candidates[-1]
    expected = select(candidates, budgets, total)
    result = select(table, budgets, total)
    assert (result.status, result.selected, result.objective, result.bound) == (
        expected.status, expected.selected, expected.objective, expected.bound,
    )  # fmt: skip
    assert result.baselines == expected.baselines
    assert is_feasible(table, budgets, total, result.selected) == (result.status != "infeasible")


def test_a_table_reports_bad_cells_as_the_candidates_do():
    table = CandidateTable.from_columns(
        ids=["a", "b"], district=["江岸区", "江岸区"], cost=[1, -1], score=[1, math.nan]
    )
    with pytest.raises(SelectionInputError) as caught:
        select(table, [], 100)
    assert str(caught.value) == (
        "项目“b”的投资额应为非负数，不能是“-1.0”。 项目“b”的得分应为非负数，不能是“nan”。"
    )


@functools.cache
def national_table(n: int = 220_000, districts: int = 300):
    rng = np.random.default_rng(31)
    cost = np.clip(rng.lognormal(np.log(800 * WAN), 0.6, n), 200 * WAN, 3000 * WAN).round(-3)
    score = np.clip(cost / (30 * WAN) * rng.lognormal(0.0, 0.3, n), 0, 100).round(2)
    names = [f"区{d:03d}" for d in range(districts)]
    home = np.sort(rng.integers(0, districts, n // 4 + 1)).repeat(4)[:n]  # packages of 4
    table = CandidateTable.from_columns(
        ids=[f"C{i:06d}" for i in range(n)],
        district=[names[d] for d in home.tolist()],
        cost=cost.tolist(),
        score=score.tolist(),
        package=[f"P{i // 4}" if i % 40 < 8 else None for i in range(n)],
        mandatory=[i % 100 == 7 for i in range(n)],
        exclusive=[f"X{i // 2}" if i % 50 in (20, 21) else None for i in range(n)],
    )
    spend = np.bincount(home, cost, minlength=districts)
    budgets = [
        DistrictBudget(name, max_cost=None if d % 10 == 0 else 0.3 * spend[d], min_count=5)
        for d, name in enumerate(names)
    ]
    return table, budgets, round(0.22 * float(cost.sum()), -4)


def test_with_no_time_left_the_per_yuan_greedy_answer_comes_back_at_once():
    """Defect 10: at national scale checking the input, merging packages and the two greedy
    rules took 0.6 s of a 2 s limit whatever the clock said. The greedy rule by score per
    yuan is the answer of last resort and always runs; with the time already spent nothing
    else does (not the other rule, not the LP), and all of it takes a fraction of a second
    of CPU (0.2 s measured alone, 0.65–0.85 s before)."""
    table, budgets, total = national_table()
    started = time.process_time()
    result = select(table, budgets, total, time_limit=1.0, started=time.perf_counter() - 1.0)
    seconds = time.process_time() - started
    assert seconds < 0.45
    assert result.status == "feasible"
    assert list(result.baselines) == ["greedy_score_per_yuan"]
    assert result.selected == result.baselines["greedy_score_per_yuan"].selected
    assert 0 < result.gap < 1e-3  # the O(n log n) bound used when the LP has no time


def test_the_lp_is_not_started_when_it_cannot_finish_in_the_time_left(monkeypatch):
    """Defect 10: at national scale the LP relaxation takes over a second; started with the
    0.3 s a 2 s limit leaves, it used them up and gave nothing. With less than half of its
    expected time left it is not started: the greedy answer and its O(n log n) bound come
    back at once."""
    table, budgets, total = national_table()

    def no_lp(*args, **kwargs):
        raise AssertionError("the LP was started")

    monkeypatch.setattr(engine, "solve_relaxation", no_lp)
    result = select(table, budgets, total, time_limit=0.6)  # 0.65 s would be half the LP's
    assert result.status == "feasible"
    assert result.selected == result.baselines["greedy_score_per_yuan"].selected
