"""Whether a ranked compound is in the annual plan's selection, and why a high-ranked one is
not (issue 13 defect 13): one selector (`selectors.selection_reasons`) read by the round's
table, the compound's breakdown page and the residents' score page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anju.access.codes import issue_household_codes
from anju.core.actors import CLI
from anju.core.money import grouped
from anju.planning import rounds, scenarios, selectors, services
from anju.planning.models import RoundEntry
from anju.planning.tests.conftest import scope_of

pytestmark = pytest.mark.django_db

ONE_COMPOUND = Decimal("128000")  # 320 m² × 400 元/m²


@pytest.fixture
def published_round(scored_round, city_officer, city_scope):
    return rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=scored_round, confirmed=True
    )


@pytest.fixture
def adopt(published_round, solve, city_officer, city_scope):
    def run(budget, **options):
        scenario = solve(published_round, budget, **options)
        return scenarios.adopt_scenario(actor=city_officer, scope=city_scope, scenario=scenario)

    return run


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


def best_entry(scoring_round) -> RoundEntry:
    return scoring_round.entries.order_by("rank", "compound_id").first()


def make_dear(entry: RoundEntry, times: int) -> None:
    """Make one compound cost `times` compounds (as a large one would)."""
    RoundEntry.objects.filter(pk=entry.pk).update(cost=times * ONE_COMPOUND)


def text(response) -> str:
    return response.content.decode()


def test_before_a_scenario_is_adopted_no_compound_is_called_selected(published_round, city_scope):
    reasons = selectors.selection_reasons(published_round, city_scope)
    assert len(reasons) == published_round.entries.count()
    assert {reason.code for reason in reasons.values()} == {"pending"}
    assert not any(reason.is_selected for reason in reasons.values())


def test_compound_in_adopted_selection_is_marked_selected(published_round, adopt, city_scope):
    plan = adopt(4 * ONE_COMPOUND)
    chosen = set(plan.selections.values_list("compound_id", flat=True))
    reasons = selectors.selection_reasons(published_round, city_scope)
    assert {pk for pk, reason in reasons.items() if reason.is_selected} == chosen
    assert all(reasons[pk].code == "selected" for pk in chosen)


def test_a_compound_ranked_below_every_selected_one_of_its_district_says_so(
    published_round, adopt, city_scope
):
    adopt(4 * ONE_COMPOUND)  # every compound costs the same: the four best are chosen
    reasons = selectors.selection_reasons(published_round, city_scope)
    left_out = [
        entry
        for entry in published_round.entries.all()
        if not reasons[entry.compound_id].is_selected
    ]
    assert len(left_out) == 2
    for entry in left_out:
        assert reasons[entry.compound_id].code == "below_line"
        assert "排名在本区最后一个入选小区" in reasons[entry.compound_id].sentence


def test_high_ranked_compound_left_out_says_cost_per_point(published_round, adopt, city_scope):
    best = best_entry(published_round)
    make_dear(best, 4)
    plan = adopt(4 * ONE_COMPOUND)
    assert not plan.selections.filter(compound_id=best.compound_id).exists()
    marginal = max(row.cost / Decimal(str(row.score)) for row in plan.selections.all())
    reason = selectors.selection_reasons(published_round, city_scope)[best.compound_id]
    assert reason.code == "cost_per_point" and not reason.is_selected
    own = 4 * ONE_COMPOUND / Decimal(str(best.total))
    assert f"{grouped(own, 0)}元/分" in reason.sentence
    assert f"{grouped(marginal, 0)}元/分" in reason.sentence


def test_override_drop_gives_its_reason(published_round, adopt, city_officer, city_scope):
    plan = adopt(4 * ONE_COMPOUND)
    best = best_entry(published_round)
    scenarios.override_selection(
        actor=city_officer,
        scope=city_scope,
        annual_plan=plan,
        compound=best.compound,
        action="drop",
        reason="该小区已纳入棚户区改造范围",
    )
    reason = selectors.selection_reasons(published_round, city_scope)[best.compound_id]
    assert reason.code == "dropped_by_override" and not reason.is_selected
    assert "该小区已纳入棚户区改造范围" in reason.sentence


def test_override_add_gives_its_reason(published_round, adopt, city_officer, city_scope):
    plan = adopt(4 * ONE_COMPOUND)
    last = published_round.entries.order_by("-rank").first()
    scenarios.override_selection(
        actor=city_officer,
        scope=city_scope,
        annual_plan=plan,
        compound=last.compound,
        action="add",
        reason="存在燃气管道安全隐患",
    )
    reason = selectors.selection_reasons(published_round, city_scope)[last.compound_id]
    assert reason.code == "selected_by_override" and reason.is_selected
    assert "存在燃气管道安全隐患" in reason.sentence


def test_a_district_whose_cap_is_spent_says_the_cap_left_it_out(
    published_round, adopt, city, city_scope
):
    adopt(4 * ONE_COMPOUND, caps={str(city.wuchang.pk): {"max_cost": "100000"}})
    reasons = selectors.selection_reasons(published_round, city_scope)
    wuchang = published_round.entries.filter(district=city.wuchang)
    assert {reasons[entry.compound_id].code for entry in wuchang} == {"district_cap"}
    sentence = reasons[wuchang.first().compound_id].sentence
    assert "武昌区预算上限" in sentence and "10.00万元" in sentence


def test_a_package_is_left_out_together(published_round, adopt, city, city_scope):
    published_round.entries.filter(district=city.jiangan).update(package="P-江岸-1")
    adopt(2 * ONE_COMPOUND)  # the package costs three compounds: it cannot fit
    reasons = selectors.selection_reasons(published_round, city_scope)
    for entry in published_round.entries.filter(district=city.jiangan):
        reason = reasons[entry.compound_id]
        assert reason.code == "package_dropped" and "P-江岸-1" in reason.sentence


def test_a_package_is_selected_together(published_round, adopt, city, city_scope):
    published_round.entries.filter(district=city.jiangan).update(package="P-江岸-1")
    adopt(10 * ONE_COMPOUND)
    reasons = selectors.selection_reasons(published_round, city_scope)
    for entry in published_round.entries.filter(district=city.jiangan):
        reason = reasons[entry.compound_id]
        assert reason.code == "selected_package" and reason.is_selected
        assert "P-江岸-1" in reason.sentence


def test_a_mandatory_compound_is_marked_mandatory(published_round, adopt, city_scope):
    last = published_round.entries.order_by("-rank").first()
    RoundEntry.objects.filter(pk=last.pk).update(mandatory=True)
    adopt(4 * ONE_COMPOUND)
    reason = selectors.selection_reasons(published_round, city_scope)[last.compound_id]
    assert reason.code == "mandatory" and reason.is_selected


def test_last_years_carry_overs_are_counted_in_the_cap_they_fill(
    adopt, city, city_officer, city_scope, solve
):
    last_year = approve(adopt(4 * ONE_COMPOUND), city, city_officer, city_scope)
    next_year = services.create_annual_plan(
        actor=city_officer,
        scope=city_scope,
        five_year_plan=last_year.five_year_plan,
        year=2028,
        total_budget=Decimal("0"),
    )
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
    rounds.publish_round(
        actor=city_officer, scope=city_scope, scoring_round=next_round, confirmed=True
    )
    carried_by_district = {}
    for project in scenarios.carry_overs(next_year):
        carried_by_district.setdefault(project.district_id, Decimal(0))
        carried_by_district[project.district_id] += project.estimated_cost
    new = next(e for e in next_round.entries.all() if e.district_id in carried_by_district)
    carried_cost = carried_by_district[new.district_id]
    caps = {str(new.district_id): {"max_cost": str(carried_cost)}}
    scenario = solve(next_round, 10 * ONE_COMPOUND, caps=caps)
    scenarios.adopt_scenario(actor=city_officer, scope=city_scope, scenario=scenario)
    reason = selectors.selection_reasons(next_round, city_scope)[new.compound_id]
    assert reason.code == "district_cap"
    assert f"含上年结转 {grouped(carried_cost / 10000, 2)}万元" in reason.sentence


def test_reasons_cover_the_viewers_rows_only(published_round, adopt, city):
    adopt(4 * ONE_COMPOUND)
    jiangan = scope_of("district_task_force", city.jiangan)
    reasons = selectors.selection_reasons(published_round, jiangan)
    assert set(reasons) == set(
        published_round.entries.filter(district=city.jiangan).values_list("compound_id", flat=True)
    )


def test_the_round_table_shows_each_rows_selection_and_why_in_a_pinned_number_of_queries(
    client_as, city_officer, city, published_round, adopt
):
    best = best_entry(published_round)
    make_dear(best, 4)
    adopt(4 * ONE_COMPOUND)
    client = client_as(city_officer)
    url = reverse("planning:round-detail", args=[published_round.pk])
    client.get(url)  # warm the session and the sign-in
    with CaptureQueriesContext(connection) as all_rows:
        page = text(client.get(url))
    assert "入选" in page and "未入选" in page and "元/分" in page
    assert len(all_rows.captured_queries) <= 17
    with CaptureQueriesContext(connection) as half_the_rows:
        client.get(url, {"district": city.jiangan.pk})
    assert len(half_the_rows) == len(all_rows)  # no query per row


def test_the_compound_page_says_why_it_was_left_out(
    client_as, city_officer, published_round, adopt
):
    best = best_entry(published_round)
    make_dear(best, 4)
    adopt(4 * ONE_COMPOUND)
    page = text(
        client_as(city_officer).get(
            reverse("planning:round-entry", args=[published_round.pk, best.compound_id])
        )
    )
    assert "未入选" in page and "元/分" in page and "高于本次入选的边际每分投资" in page
    assert "action=add#override" in page


def sign_in_resident(client, compound):
    household = compound.households.order_by("room").first()
    code = issue_household_codes(actor=CLI, compound=compound, households=[household])
    client.post("/portal/sign-in/", {"code": code[household.pk]})
    return client


def test_resident_sees_own_compound_status_only(client, city, adopt, city_officer):
    city_scope = scope_of("city_office", city.city)
    own = RoundEntry.objects.get(compound=city.jiangan_compound)
    published_round = own.round
    make_dear(own, 4)
    plan = adopt(4 * ONE_COMPOUND)
    client = sign_in_resident(client, city.jiangan_compound)
    url = reverse("planning-portal:score")
    page = text(client.get(url))
    assert "年度改造计划尚在编制" in page  # a draft selection is not announced
    approve(plan, city, city_officer, city_scope)
    staff_reason = selectors.selection_reasons(published_round, city_scope)[own.compound_id]
    assert not staff_reason.is_selected
    page = text(client.get(url))
    assert staff_reason.plain in page and "未能列入" in page
    assert staff_reason.sentence not in page and "元/分" not in page
    others = published_round.entries.exclude(compound=city.jiangan_compound)
    assert not any(entry.compound.name in page for entry in others)
