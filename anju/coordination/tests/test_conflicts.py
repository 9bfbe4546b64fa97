"""Dig once: which works meet the plan's compounds in space and time, and what districts decide."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.models import Organisation
from anju.coordination import conflicts
from anju.coordination.models import Conflict, Work
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.planning import services as plans
from anju.planning.models import PlanSelection

pytestmark = pytest.mark.django_db

# 100 m east of the 江岸 compound's point (114.29, 30.59); its footprint is the point with an
# 80 m radius, so the line lies 20 m from it.
EAST_100_M = 100 / (111_320 * 0.8608)


def scope_of(role, node):
    return Scope(roles=frozenset({role}), node_paths=(node.path,))


@pytest.fixture
def plan(city, city_officer):
    city_scope = scope_of("city_office", city.city)
    five = plans.create_five_year_plan(
        actor=city_officer,
        scope=city_scope,
        node=city.city,
        name="十五五",
        start_year=2026,
        end_year=2030,
    )
    annual = plans.create_annual_plan(
        actor=city_officer,
        scope=city_scope,
        five_year_plan=five,
        year=2027,
        total_budget=Decimal(1),
    )
    for compound, district in (
        (city.jiangan_compound, city.jiangan),
        (city.wuchang_compound, city.wuchang),
    ):
        PlanSelection.objects.create(
            annual_plan=annual,
            compound=compound,
            district=district,
            path=compound.path,
            score=1,
            cost=1,
        )
    return annual


@pytest.fixture
def gas():
    return Organisation.objects.create(name="江城燃气（测试）", kind=Organisation.Kind.UTILITY)


def line_east_of_jiangan(offset=EAST_100_M):
    lon = 114.29 + offset
    return {"type": "LineString", "coordinates": [[lon, 30.589], [lon, 30.591]]}


def work(gas, external_id, start, end, geometry=None, **fields):
    return Work.objects.create(
        organisation=gas,
        external_id=external_id,
        kind="gas",
        name=f"燃气管线{external_id}",
        geometry=geometry if geometry is not None else line_east_of_jiangan(),
        starts_on=start,
        ends_on=end,
        **fields,
    )


def detect(actor, scope, plan, **options):
    return conflicts.detect(actor=actor, scope=scope, annual_plan=plan, **options)


def relations(plan):
    return dict(
        Conflict.objects.filter(annual_plan=plan).values_list("work__external_id", "relation")
    )


def test_the_three_relations_against_the_plan_years_window(plan, gas, city, city_officer):
    # The 2027 plan's window is 2027-03-01 … 2027-11-30.
    work(gas, "same-time", dt.date(2027, 5, 1), dt.date(2027, 6, 30))
    work(gas, "dug-again", dt.date(2028, 3, 1), dt.date(2028, 4, 30))
    work(gas, "dug-before", dt.date(2026, 3, 1), dt.date(2026, 12, 31))
    work(
        gas,
        "far-away",
        dt.date(2027, 5, 1),
        dt.date(2027, 6, 30),
        geometry=line_east_of_jiangan(0.01),
    )
    summary = detect(city_officer, scope_of("city_office", city.city), plan)
    assert relations(plan) == {"same-time": "overlap", "dug-again": "after", "dug-before": "before"}
    assert summary["pairs"] == 3 and summary["compounds"] == 2
    nearest = Conflict.objects.get(work__external_id="same-time")
    assert nearest.distance_m == pytest.approx(20, abs=1.5)
    assert (nearest.project_starts_on, nearest.project_ends_on) == (
        dt.date(2027, 3, 1),
        dt.date(2027, 11, 30),
    )


@pytest.mark.parametrize(
    "case",
    [
        (dt.date(2028, 11, 30), dt.date(2029, 1, 31), "after"),  # exactly 12 months after
        (dt.date(2028, 12, 1), dt.date(2029, 1, 31), None),  # a day more
        (dt.date(2025, 1, 1), dt.date(2026, 3, 1), "before"),  # ends 12 months before
        (dt.date(2025, 1, 1), dt.date(2026, 2, 28), None),
        (dt.date(2026, 1, 1), dt.date(2027, 3, 1), "overlap"),  # shares the first day
        (dt.date(2027, 11, 30), dt.date(2028, 1, 1), "overlap"),  # shares the last day
    ],
)
def test_window_edges(plan, gas, city, city_officer, case):
    start, end, expected = case
    work(gas, "edge", start, end)
    detect(city_officer, scope_of("city_office", city.city), plan)
    assert relations(plan).get("edge") == expected


def test_the_distance_limit_is_inclusive_and_configurable(plan, gas, city, city_officer):
    work(gas, "w", dt.date(2027, 5, 1), dt.date(2027, 6, 30))
    city_scope = scope_of("city_office", city.city)
    detect(city_officer, city_scope, plan, distance_m=10)
    assert relations(plan) == {}
    detect(city_officer, city_scope, plan, distance_m=25)
    assert relations(plan) == {"w": "overlap"}


def test_a_work_without_geometry_covers_the_compounds_it_names(plan, gas, city, city_officer):
    named = Work.objects.create(
        organisation=gas,
        external_id="by-code",
        kind="water_supply",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 2, 1),
        geometry=None,
    )
    named.compounds.add(city.wuchang_compound)
    detect(city_officer, scope_of("city_office", city.city), plan)
    found = Conflict.objects.get(work=named)
    assert found.compound == city.wuchang_compound and found.distance_m == 0
    assert found.relation == "before"


def test_finished_and_cancelled_works_dig_nothing(plan, gas, city, city_officer):
    work(gas, "done", dt.date(2027, 5, 1), dt.date(2027, 6, 30), status="done")
    work(gas, "cancelled", dt.date(2027, 5, 1), dt.date(2027, 6, 30), status="cancelled")
    detect(city_officer, scope_of("city_office", city.city), plan)
    assert relations(plan) == {}


def test_a_district_checks_and_sees_only_its_own_compounds(
    plan, gas, city, jiangan_officer, wuchang_officer
):
    work(gas, "w", dt.date(2027, 5, 1), dt.date(2027, 6, 30))
    near_wuchang = {"type": "Point", "coordinates": [114.31, 30.56]}
    work(gas, "v", dt.date(2027, 5, 1), dt.date(2027, 6, 30), geometry=near_wuchang)
    summary = detect(wuchang_officer, scope_of("district_task_force", city.wuchang), plan)
    assert summary["compounds"] == 1 and relations(plan) == {"v": "overlap"}
    jiangan = scope_of("district_task_force", city.jiangan)
    other = Conflict.objects.get()
    with pytest.raises(NotFound):
        conflicts.get_conflict(scope=jiangan, pk=other.pk)
    with pytest.raises(PermissionDenied):
        detect(None, scope_of("community_worker", city.jiangan_community), plan)


def test_a_joint_window_needs_its_dates_and_a_refusal_its_reason(
    plan, gas, city, city_officer, jiangan_officer
):
    work(gas, "w", dt.date(2027, 5, 1), dt.date(2027, 6, 30))
    detect(city_officer, scope_of("city_office", city.city), plan)
    conflict = Conflict.objects.get()
    jiangan = scope_of("district_task_force", city.jiangan)
    with pytest.raises(DomainError) as error:
        conflicts.resolve(actor=jiangan_officer, scope=jiangan, conflict=conflict, status="joint")
    assert "joint_starts_on" in error.value.fields
    with pytest.raises(DomainError) as error:
        conflicts.resolve(
            actor=jiangan_officer, scope=jiangan, conflict=conflict, status="declined", note=""
        )
    assert "note" in error.value.fields
    decided = conflicts.resolve(
        actor=jiangan_officer,
        scope=jiangan,
        conflict=conflict,
        status="joint",
        joint_starts_on=dt.date(2027, 5, 1),
        joint_ends_on=dt.date(2027, 6, 30),
        note="燃气管线改造与小区改造同步开挖",
    )
    assert decided.status == "joint" and decided.resolved_by == jiangan_officer
    event = AuditEvent.objects.get(verb="conflicts.resolved")
    assert event.before["status"] == "open" and event.after["status"] == "joint"


def test_detecting_again_keeps_decisions_and_drops_undecided_pairs_no_longer_found(
    plan, gas, city, city_officer
):
    city_scope = scope_of("city_office", city.city)
    decided_work = work(gas, "decided", dt.date(2027, 5, 1), dt.date(2027, 6, 30))
    undecided_work = work(gas, "undecided", dt.date(2027, 5, 1), dt.date(2027, 6, 30))
    detect(city_officer, city_scope, plan)
    conflicts.resolve(
        actor=city_officer,
        scope=city_scope,
        conflict=Conflict.objects.get(work=decided_work),
        status="declined",
        note="燃气公司工期已定，小区改造先行并预埋套管",
    )
    detect(city_officer, city_scope, plan)
    assert Conflict.objects.get(work=decided_work).status == "declined"
    Work.objects.filter(pk__in=[decided_work.pk, undecided_work.pk]).update(status="cancelled")
    summary = detect(city_officer, city_scope, plan)
    assert summary["removed"] == 1 and summary["no_longer_found"] == 1
    kept = Conflict.objects.get()
    assert kept.work == decided_work and not kept.is_current


def test_the_weekly_list_counts_open_conflicts_by_district(plan, gas, city, city_officer):
    work(gas, "a", dt.date(2027, 5, 1), dt.date(2027, 6, 30))
    work(gas, "b", dt.date(2028, 3, 1), dt.date(2028, 4, 30))
    detect(city_officer, scope_of("city_office", city.city), plan)
    rows = conflicts.unresolved_by_district(scope=scope_of("city_office", city.city))
    assert rows == [
        {
            "district": "江岸区",
            "total": 2,
            "overlap": 1,
            "after": 1,
            "before": 0,
            "oldest": rows[0]["oldest"],
        }
    ]
    assert (
        conflicts.unresolved_by_district(scope=scope_of("district_task_force", city.wuchang)) == []
    )


def test_approved_projects_use_their_own_window(plan, gas, city, city_officer):
    from anju.planning.models import AnnualPlanStatus, Project

    project = Project.objects.create(
        annual_plan=plan,
        code="2027-420102-001",
        name="铭新街小区",
        district=city.jiangan,
        estimated_cost=1,
        starts_on=dt.date(2027, 7, 1),
        ends_on=dt.date(2027, 8, 31),
    )
    project.compounds.add(city.jiangan_compound)
    type(plan).objects.filter(pk=plan.pk).update(status=AnnualPlanStatus.APPROVED)
    plan.refresh_from_db()
    work(gas, "w", dt.date(2027, 5, 1), dt.date(2027, 6, 30))
    detect(city_officer, scope_of("city_office", city.city), plan)
    assert relations(plan) == {"w": "before"}
