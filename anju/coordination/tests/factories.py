"""Records other test modules need: a 2027 plan with one conflict in each district."""

import datetime as dt
from decimal import Decimal

from anju.access.models import Organisation
from anju.coordination.models import Conflict, Work
from anju.planning.models import AnnualPlan, FiveYearPlan, PlanSelection


def conflicts_in_both_districts(city) -> tuple[Conflict, Conflict]:
    five = FiveYearPlan.objects.create(
        name="十五五", start_year=2026, end_year=2030, node=city.city
    )
    plan = AnnualPlan.objects.create(five_year_plan=five, year=2027, total_budget=Decimal(1))
    owner, _created = Organisation.objects.get_or_create(
        name="江城燃气（测试）", defaults={"kind": Organisation.Kind.UTILITY}
    )
    made = []
    for compound, district in (
        (city.jiangan_compound, city.jiangan),
        (city.wuchang_compound, city.wuchang),
    ):
        PlanSelection.objects.create(
            annual_plan=plan,
            compound=compound,
            district=district,
            path=compound.path,
            score=1,
            cost=1,
        )
        work = Work.objects.create(
            organisation=owner,
            external_id=f"gas-{compound.code}",
            kind="gas",
            name=f"{district.name}燃气管线",
            geometry={"type": "Point", "coordinates": [compound.longitude, compound.latitude]},
            starts_on=dt.date(2027, 5, 1),
            ends_on=dt.date(2027, 6, 30),
            path=district.path,
        )
        made.append(
            Conflict.objects.create(
                annual_plan=plan,
                compound=compound,
                work=work,
                path=compound.path,
                distance_m=0,
                relation="overlap",
                project_starts_on=dt.date(2027, 3, 1),
                project_ends_on=dt.date(2027, 11, 30),
                detected_at=dt.datetime(2027, 1, 4, tzinfo=dt.UTC),
            )
        )
    return made[0], made[1]
