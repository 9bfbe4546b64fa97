"""Builders for the cost-sharing tests (and the scope coverage): a realistic compound of two
buildings × two units × six floors × two rooms (48 households of uneven areas, one unsold),
an approved project over it, and shares computed by its district."""

from __future__ import annotations

from decimal import Decimal

from anju.core.scope import Scope
from anju.territory.models import Building, Compound, Household, Unit

from .conftest import approved_project

ROOMS_PER_FLOOR = 2
FLOORS = 6


def area_of(building: int, unit: int, floor: int, room: int) -> Decimal:
    """Uneven areas with 2 decimals, so the shares have remainders to hand out."""
    return (
        Decimal("58.37")
        + Decimal(building * 7 + unit * 3 + floor)
        + Decimal(room) * Decimal("13.19")
    )


def realistic_compound(community, code: str, name: str) -> Compound:
    compound = Compound.objects.create(
        code=code,
        name=name,
        community=community,
        address=name + "1号",
        longitude=Decimal("114.29"),
        latitude=Decimal("30.59"),
        year_built=1992,
        building_count=2,
        household_count=48,
        total_floor_area=Decimal("3800.00"),
    )
    for b in (1, 2):
        building = Building.objects.create(compound=compound, number=f"{b}栋", floors=FLOORS)
        for u in (1, 2):
            unit = Unit.objects.create(building=building, number=f"{u}单元")
            for floor in range(1, FLOORS + 1):
                for room in range(1, ROOMS_PER_FLOOR + 1):
                    Household.objects.create(
                        unit=unit,
                        room=f"{floor}0{room}",
                        floor=floor,
                        exclusive_area=area_of(b, u, floor, room),
                        owner_key=f"{code}-{b}-{u}-{floor}-{room}",
                        owner_name=f"业主{b}{u}{floor}{room}",
                        is_developer_unsold=(b, u, floor, room) == (2, 2, 6, 2),
                    )
    return compound


# roofs (government) 150,000.00; power network (utility) 100,000.00; elevator (residents)
# 300,000.01 — one fen more than divides evenly.
ITEMS = (
    ("B14", "1000", "150.00"),
    ("B03", "400", "250.00"),
    ("I13", "1", "300000.01"),
)


def shared_project(district, community, code: str, compound_code: str):
    compound = Compound.objects.filter(code=compound_code).first() or realistic_compound(
        community, compound_code, "幸福里小区" + compound_code[-2:]
    )
    return approved_project(district, compound, code, items=ITEMS)


def district_scope(project) -> Scope:
    return Scope(roles=frozenset({"district_task_force"}), node_paths=(project.district.path,))


def computed(project):
    from anju.funding.services.sharing import compute_cost_shares

    compute_cost_shares(actor=None, scope=district_scope(project), project=project)
    return project
