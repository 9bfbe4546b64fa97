"""Re-running `make demo` (`anju demo`) leaves what exists as it was: the works keep their
place and window, the companies keep their compounds, the conflicts keep their pairs and what
the district decided, even when the visitor has changed the draft plan and the registry in
between. Only the three household codes are issued again (README, "Demo")."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.access.models import CompoundAssignment
from anju.access.tests.test_demo_command import run_demo, small_city
from anju.coordination import conflicts
from anju.coordination.models import Conflict, ConflictRelation, ConflictStatus, Work
from anju.core.actors import DEMO
from anju.core.scope import Scope
from anju.planning.models import AnnualPlan
from anju.planning.scenarios import override_selection
from anju.territory.models import Compound, Household, Node

pytestmark = pytest.mark.django_db


def small_city_on_the_map():
    small_city()
    for index, compound in enumerate(Compound.objects.order_by("code")):
        compound.longitude = 114.29 + index * 0.002
        compound.latitude = 30.59 + index * 0.001
        compound.save()


def snapshot() -> dict:
    return {
        "works": sorted(
            (w.organisation_id, w.external_id, str(w.geometry), w.starts_on, w.ends_on, w.name)
            for w in Work.objects.all()
        ),
        "assignments": sorted(
            CompoundAssignment.objects.values_list("organisation__name", "compound__code")
        ),
        "conflicts": sorted(
            Conflict.objects.values_list(
                "compound__code",
                "work__external_id",
                "relation",
                "distance_m",
                "project_starts_on",
                "project_ends_on",
                "is_current",
                "status",
                "joint_starts_on",
                "joint_ends_on",
            )
        ),
    }


def the_visitor_clicks_around():
    """Between the runs: the city drops a compound from the draft plan, the district agrees
    a joint window for one conflict, and the registry gains a household in the compound that
    had none (so the first 江岸区 compounds with households are no longer the same)."""
    city = Node.objects.get(code="4201")
    scope = Scope(roles=frozenset({"city_office"}), node_paths=(city.path,), label="visitor")
    plan = AnnualPlan.objects.get(year=2026)  # the planning demo's draft (design adds 2027)
    dropped = plan.selections.order_by("-score").first().compound
    override_selection(
        actor=DEMO,
        scope=scope,
        annual_plan=plan,
        compound=dropped,
        action="drop",
        reason="今年先做其他小区",
    )
    # a conflict whose two schedules overlap (a joint window must lie inside both)
    kept = (
        Conflict.objects.exclude(compound=dropped)
        .filter(relation=ConflictRelation.OVERLAP)
        .order_by("compound__code", "work__external_id")
        .first()
    )
    conflicts.resolve(
        actor=DEMO,
        scope=scope,
        conflict=kept,
        status=ConflictStatus.JOINT,
        joint_starts_on=max(kept.project_starts_on, kept.work.starts_on),
        joint_ends_on=min(kept.project_ends_on, kept.work.ends_on),
    )
    empty = Compound.objects.get(name="空楼院")
    unit = empty.buildings.create(number="1栋", floors=6).units.create(number="1单元")
    Household.objects.create(unit=unit, room="101", floor=1, exclusive_area=Decimal("50"))


def test_running_the_demo_again_leaves_works_assignments_and_conflicts_as_they_were():
    small_city_on_the_map()
    run_demo()
    assert Work.objects.exists() and Conflict.objects.exists()
    the_visitor_clicks_around()
    before = snapshot()

    output = run_demo()

    after = snapshot()
    assert after["works"] == before["works"]
    assert after["assignments"] == before["assignments"]
    assert after["conflicts"] == before["conflicts"]
    assert "住户码" in output


def test_a_second_run_adds_the_works_a_first_run_did_not_reach():
    """Resumable: works missing from an earlier (shorter) run are added; the others stay."""
    small_city_on_the_map()
    run_demo()
    Work.objects.filter(external_id__endswith="-100").delete()
    kept = snapshot()["works"]

    run_demo()

    works = snapshot()["works"]
    assert len(works) == len(kept) + 3
    assert set(kept) <= set(works)
    assert Work.objects.filter(starts_on__gte=dt.date(2025, 1, 1)).count() == len(works)
