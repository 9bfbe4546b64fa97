"""Projects to design: an approved 2027 plan with one project in 江岸区 and one in 武昌区.

Shared by every design test module (personas come from anju/conftest.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from anju.planning.models import AnnualPlan, AnnualPlanStatus, FiveYearPlan, Project


def make_project(plan, district, compound, code):
    project = Project.objects.create(
        annual_plan=plan,
        code=code,
        name=compound.name,
        district=district,
        estimated_cost=Decimal("1000000"),
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 11, 30),
    )
    project.compounds.add(compound)
    return project


@pytest.fixture
def approved_plan(city):
    five = FiveYearPlan.objects.create(
        name="十五五", start_year=2026, end_year=2030, node=city.city
    )
    return AnnualPlan.objects.create(
        five_year_plan=five, year=2027, status=AnnualPlanStatus.APPROVED
    )


@pytest.fixture
def jiangan_project(city, approved_plan):
    return make_project(approved_plan, city.jiangan, city.jiangan_compound, "2027-420102-001")


@pytest.fixture
def wuchang_project(city, approved_plan):
    return make_project(approved_plan, city.wuchang, city.wuchang_compound, "2027-420106-001")
