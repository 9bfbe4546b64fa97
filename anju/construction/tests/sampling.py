"""Helpers for satisfaction-check tests (and other chapters' tests that need a drawn sample):
a compound grown to three buildings, a project put at `accepted` directly (the acceptance
chapter's services are not needed to test sampling), a draw through the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from anju.core.scope import Scope
from anju.stewardship.models import ManagementScheme
from anju.territory.models import Building, Household, Stage, Unit

from ..services import sampling as services


def add_building(compound, number: str, households: int, *, unsold: int = 0) -> Building:
    """A building of `households` rooms (101, 102, …) in one unit; the last `unsold` of them
    the developer never sold."""
    building = Building.objects.create(compound=compound, number=number, floors=6)
    unit = Unit.objects.create(building=building, number="1单元")
    for index in range(households):
        Household.objects.create(
            unit=unit,
            room=f"{101 + index}",
            floor=1 + index // 4,
            exclusive_area=Decimal("70.00"),
            owner_name=f"业主{number}{index}",
            phone=f"1390000{index:04d}",
            is_developer_unsold=index >= households - unsold,
        )
    return building


def grow_compound(compound) -> None:
    """The fixture compound's 4 households in 1栋, plus 2栋 (20) and 3栋 (10, 2 unsold):
    32 residents' households."""
    add_building(compound, "2栋", 20)
    add_building(compound, "3栋", 10, unsold=2)


def accept(project):
    project.stage = Stage.ACCEPTED
    project.save(update_fields=["stage"])
    return project


def district_scope(project) -> Scope:
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(project.district.path,))


def drawn_survey(project, actor, *, confidence="0.95", margin="0.2", now=None):
    """The project's sample drawn by its district (95%, ±20% by default: 14 of 32)."""
    return services.draw_sample(
        actor=actor,
        scope=district_scope(project),
        project=project,
        confidence=confidence,
        margin=margin,
        now=now,
    )


def give_scheme(compound) -> ManagementScheme:
    return ManagementScheme.objects.create(
        compound=compound,
        management_model="self_management",
        yearly_upkeep_budget=Decimal("12000"),
        starts_on=dt.date(2027, 12, 1),
    )
