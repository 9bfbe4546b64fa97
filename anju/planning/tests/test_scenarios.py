"""Competitive generation: scenarios solved in the background, adoption, overrides with a
reason and the score they give up, approval into Projects, progress against five-year targets."""

from decimal import Decimal

import pytest

from anju.core.errors import Conflict, DomainError, NotFound
from anju.core.models import AuditEvent, TaskProgress
from anju.planning import rounds, scenarios, selectors, services
from anju.planning.models import Override, Project, ScenarioStatus
from anju.planning.tests.conftest import scope_of
from anju.territory.models import Stage

pytestmark = pytest.mark.django_db

ONE_COMPOUND = Decimal("128000")  # 320 m² × 400 元/m²


@pytest.fixture
def published_round(scored_round, city_officer, city_scope):
    return rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=scored_round, confirmed=True
    )


@pytest.fixture
def adopted(published_round, solve, city_officer, city_scope):
    scenario = solve(published_round, 4 * ONE_COMPOUND)
    return scenarios.adopt_scenario(actor=city_officer, scope=city_scope, scenario=scenario)


def by_score(scoring_round):
    return [entry.compound_id for entry in scoring_round.entries.order_by("-total", "compound_id")]


def test_a_scenario_is_solved_in_the_background_and_keeps_its_answer(published_round, solve):
    scenario = solve(published_round, 4 * ONE_COMPOUND)
    assert scenario.status == ScenarioStatus.DONE
    assert scenario.job.state == TaskProgress.State.SUCCEEDED
    result = scenario.result
    assert result["status"] == "optimal" and result["gap"] == 0
    assert sorted(map(int, result["selected"])) == sorted(by_score(published_round)[:4])
    assert set(result["baselines"]) == {"greedy_score", "greedy_score_per_yuan"}
    assert sum(row["count"] for row in result["by_district"].values()) == 4


def test_district_minimums_reported_by_the_districts_bind_the_scenario(
    published_round, solve, city, city_officer, city_scope
):
    for district, minimum in ((city.jiangan, 0), (city.wuchang, 3)):
        services.set_district_budget(
            actor=city_officer,
            scope=city_scope,
            annual_plan=published_round.annual_plan,
            district=district,
            max_cost=None,
            min_count=minimum,
        )
    scenario = solve(published_round, 3 * ONE_COMPOUND)
    chosen = {int(pk) for pk in scenario.result["selected"]}
    wuchang = set(
        published_round.entries.filter(district=city.wuchang).values_list("compound_id", flat=True)
    )
    assert chosen == wuchang


def test_an_infeasible_scenario_says_which_constraints_conflict(published_round, solve, city):
    caps = {str(city.wuchang.pk): {"max_cost": "100000", "min_count": 1}}
    scenario = solve(published_round, 10 * ONE_COMPOUND, caps=caps)
    assert scenario.result["status"] == "infeasible"
    assert any("武昌区" in line for line in scenario.result["explanation"])


def test_other_weights_rescore_the_round_for_the_scenario(published_round, solve):
    only_households = {key: 0 for key in published_round.model.engine_model().keys}
    only_households["households_benefited"] = 1
    scenario = solve(published_round, ONE_COMPOUND, weights=only_households)
    assert scenario.result["status"] == "optimal"
    assert scenario.weights == only_households


def test_only_a_published_round_can_be_adopted(scored_round, solve, city_officer, city_scope):
    scenario = solve(scored_round, ONE_COMPOUND)
    with pytest.raises(DomainError) as error:
        scenarios.adopt_scenario(actor=city_officer, scope=city_scope, scenario=scenario)
    assert error.value.code == "round_not_published"


def test_adopting_a_scenario_makes_it_the_draft_selection(adopted, published_round):
    chosen = set(adopted.selections.values_list("compound_id", flat=True))
    assert chosen == set(by_score(published_round)[:4])
    assert adopted.total_budget == 4 * ONE_COMPOUND
    assert AuditEvent.objects.filter(verb="plan.scenario_adopted").count() == 1


def test_dropping_a_compound_needs_a_reason_and_shows_the_score_given_up(
    adopted, published_round, city, city_officer, city_scope
):
    best = published_round.entries.order_by("-total").first()
    with pytest.raises(DomainError) as error:
        scenarios.override_selection(
            actor=city_officer,
            scope=city_scope,
            annual_plan=adopted,
            compound=best.compound,
            action="drop",
            reason=" ",
        )
    assert "reason" in error.value.fields
    override = scenarios.override_selection(
        actor=city_officer,
        scope=city_scope,
        annual_plan=adopted,
        compound=best.compound,
        action="drop",
        reason="该小区已纳入棚户区改造范围，不再列入老旧小区改造。",
    )
    chosen = set(adopted.selections.values_list("compound_id", flat=True))
    fifth = by_score(published_round)[4]
    assert best.compound_id not in chosen and fifth in chosen  # the budget goes to the next
    assert override.score_given_up == pytest.approx(
        best.total - published_round.entries.get(compound_id=fifth).total, abs=1e-6
    )
    assert override.dropped == [best.compound_id] and override.added == [fifth]
    event = AuditEvent.objects.get(verb="plan.overridden")
    assert event.after["reason"].startswith("该小区已纳入")


def test_adding_a_compound_keeps_the_plan_within_budget(
    adopted, published_round, city_officer, city_scope
):
    last = published_round.entries.order_by("total").first()
    override = scenarios.override_selection(
        actor=city_officer,
        scope=city_scope,
        annual_plan=adopted,
        compound=last.compound,
        action="add",
        reason="存在燃气管道安全隐患，须优先改造。",
    )
    chosen = list(adopted.selections.all())
    assert len(chosen) == 4 and last.compound_id in {row.compound_id for row in chosen}
    assert override.score_given_up > 0
    assert [row.forced for row in chosen if row.compound_id == last.compound_id] == [True]
    with pytest.raises(Conflict):
        scenarios.override_selection(
            actor=city_officer,
            scope=city_scope,
            annual_plan=adopted,
            compound=last.compound,
            action="drop",
            reason="改变主意",
        )


def test_an_override_that_breaks_a_district_cap_is_refused_in_words(
    published_round, solve, city, city_officer, city_scope
):
    caps = {str(city.wuchang.pk): {"max_cost": str(ONE_COMPOUND), "min_count": None}}
    scenario = solve(published_round, 4 * ONE_COMPOUND, caps=caps)
    plan = scenarios.adopt_scenario(actor=city_officer, scope=city_scope, scenario=scenario)
    chosen = set(plan.selections.values_list("compound_id", flat=True))
    left_out = [
        entry.compound
        for entry in published_round.entries.filter(district=city.wuchang)
        if entry.compound_id not in chosen
    ]
    assert len(left_out) == 2
    scenarios.override_selection(
        actor=city_officer,
        scope=city_scope,
        annual_plan=plan,
        compound=left_out[0],
        action="add",
        reason="群众呼声强烈",
    )
    with pytest.raises(DomainError) as error:
        scenarios.override_selection(
            actor=city_officer,
            scope=city_scope,
            annual_plan=plan,
            compound=left_out[1],
            action="add",
            reason="群众呼声强烈",
        )
    assert error.value.code == "override_infeasible" and "武昌区" in error.value.message
    assert Override.objects.filter(annual_plan=plan).count() == 1


def approve(plan, city, actor, scope):
    for district in (city.jiangan, city.wuchang):
        services.set_district_budget(
            actor=actor,
            scope=scope,
            annual_plan=plan,
            district=district,
            max_cost=None,
            min_count=None,
        )
    for status in ("submitted", "consolidated", "approved"):
        plan = services.advance_annual_plan(
            actor=actor, scope=scope, annual_plan=plan, to_status=status, confirmed=True
        )
    return plan


def test_an_empty_plan_cannot_be_approved(plan, city, city_officer, city_scope):
    with pytest.raises(DomainError) as error:
        approve(plan, city, city_officer, city_scope)
    assert error.value.code == "plan_empty"


def test_approval_freezes_the_plan_and_turns_the_selection_into_projects(
    adopted, city, city_officer, city_scope, published_round
):
    plan = approve(adopted, city, city_officer, city_scope)
    assert plan.is_frozen and plan.approved_by == city_officer
    projects = list(Project.objects.filter(annual_plan=plan))
    assert len(projects) == 4
    assert all(project.estimated_cost == ONE_COMPOUND for project in projects)
    assert projects[0].code.startswith("2027-420102-") or projects[0].code.startswith(
        "2027-420106-"
    )
    planned = {compound.stage for project in projects for compound in project.compounds.all()}
    assert planned == {Stage.PLANNED}
    best = published_round.entries.order_by("-total").first()
    with pytest.raises(DomainError) as error:
        scenarios.override_selection(
            actor=city_officer,
            scope=city_scope,
            annual_plan=plan,
            compound=best.compound,
            action="drop",
            reason="迟到的调整",
        )
    assert error.value.code == "plan_frozen"
    assert AuditEvent.objects.filter(verb="plan.status_changed").count() == 3
    assert AuditEvent.objects.filter(verb="compound.stage_changed").count() == 4


def test_a_package_becomes_one_project(published_round, solve, city, city_officer, city_scope):
    published_round.entries.filter(district=city.jiangan).update(package="P-江岸-1")
    scenario = solve(published_round, 10 * ONE_COMPOUND)
    plan = scenarios.adopt_scenario(actor=city_officer, scope=city_scope, scenario=scenario)
    plan = approve(plan, city, city_officer, city_scope)
    package = Project.objects.get(annual_plan=plan, district=city.jiangan)
    assert package.compounds.count() == 3 and "3个小区" in package.name
    assert package.estimated_cost == 3 * ONE_COMPOUND


def test_progress_against_the_five_year_targets(
    adopted, city, city_officer, city_scope, published_round
):
    plan = approve(adopted, city, city_officer, city_scope)
    progress = selectors.five_year_progress(plan.five_year_plan, city_scope)
    assert progress["years"] == [2026, 2027, 2028, 2029, 2030]
    rows = {row["district"].name: row for row in progress["rows"]}
    done = sum(row["totals"]["compounds"] for row in rows.values())
    assert done == 4
    assert sum(row["totals"]["investment"] for row in rows.values()) == 4 * ONE_COMPOUND
    jiangan = rows["江岸区"]
    assert jiangan["share"]["compounds"] == jiangan["totals"]["compounds"] / 100
    assert jiangan["by_year"][0] is None  # nothing approved for 2026
    district_view = selectors.five_year_progress(
        plan.five_year_plan, scope_of("district_task_force", city.jiangan)
    )
    assert [row["district"].name for row in district_view["rows"]] == ["江岸区"]


def test_last_years_unfinished_projects_carry_over_as_mandatory_costs(
    adopted, city, city_officer, city_scope, solve
):
    approve(adopted, city, city_officer, city_scope)
    next_year = services.create_annual_plan(
        actor=city_officer,
        scope=city_scope,
        five_year_plan=adopted.five_year_plan,
        year=2028,
        total_budget=Decimal("0"),
    )
    carried = scenarios.carry_overs(next_year)
    assert carried.count() == 4
    next_round = rounds.score_round(
        actor=city_officer,
        scope=city_scope,
        scoring_round=rounds.create_round(
            actor=city_officer,
            scope=city_scope,
            annual_plan=next_year,
            node=city.city,
            model=rounds.default_model_version(),
            name="2028",
        ),
    )
    assert next_round.candidate_count == 2  # the four planned compounds are no longer candidates
    scenario = solve(next_round, 5 * ONE_COMPOUND)
    assert scenario.result["status"] == "optimal"
    assert len(scenario.result["selected"]) == 5  # 4 carry-overs + 1 new compound
    carried_cost = sum(
        row.get("carry_over_cost", 0) for row in scenario.result["by_district"].values()
    )
    assert carried_cost == 4 * ONE_COMPOUND


def test_scenarios_are_the_city_offices_working_papers(published_round, solve, city):
    scenario = solve(published_round, ONE_COMPOUND)
    with pytest.raises(NotFound):
        selectors.get_scenario(scope=scope_of("district_task_force", city.jiangan), pk=scenario.pk)
    assert selectors.get_scenario(scope=scope_of("city_office", city.city), pk=scenario.pk)


@pytest.mark.parametrize(
    "caps",
    [
        {"999999": {"max_cost": "1"}},
        {"{wuchang}": {"max_cost": "-1"}},
        {"{wuchang}": {"min_count": "x"}},
    ],
)
def test_caps_naming_unknown_districts_or_negative_limits_are_refused(
    published_round, city, city_officer, city_scope, caps
):
    caps = {key.format(wuchang=city.wuchang.pk): value for key, value in caps.items()}
    with pytest.raises(DomainError) as error:
        scenarios.create_scenario(
            actor=city_officer,
            scope=city_scope,
            scoring_round=published_round,
            name="x",
            total_budget=Decimal(1),
            caps=caps,
        )
    assert "caps" in error.value.fields
