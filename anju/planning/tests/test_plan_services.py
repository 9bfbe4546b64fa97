"""Plans: the city writes and approves, districts report their budgets, approved is frozen."""

from decimal import Decimal

import pytest

from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.planning import services
from anju.planning.models import AnnualPlanStatus
from anju.planning.tests.conftest import scope_of

pytestmark = pytest.mark.django_db


def test_a_district_reports_only_its_own_budget(plan, city, jiangan_officer):
    jiangan = scope_of("district_task_force", city.jiangan)
    budget = services.set_district_budget(
        actor=jiangan_officer,
        scope=jiangan,
        annual_plan=plan,
        district=city.jiangan,
        max_cost=Decimal("120000000"),
        min_count=10,
    )
    assert budget.submitted_at is not None
    with pytest.raises(NotFound):
        services.set_district_budget(
            actor=jiangan_officer,
            scope=jiangan,
            annual_plan=plan,
            district=city.wuchang,
            max_cost=None,
            min_count=None,
        )


def test_the_plan_cannot_be_submitted_until_every_district_reported(
    plan, city, city_officer, jiangan_officer
):
    city_scope = scope_of("city_office", city.city)
    services.set_district_budget(
        actor=jiangan_officer,
        scope=scope_of("district_task_force", city.jiangan),
        annual_plan=plan,
        district=city.jiangan,
        max_cost=Decimal("1"),
        min_count=None,
    )
    with pytest.raises(DomainError) as error:
        services.advance_annual_plan(
            actor=city_officer,
            scope=city_scope,
            annual_plan=plan,
            to_status=AnnualPlanStatus.SUBMITTED,
        )
    assert "武昌区" in str(error.value.message)


def test_steps_cannot_be_skipped(plan, city, city_officer):
    with pytest.raises(DomainError) as error:
        services.advance_annual_plan(
            actor=city_officer,
            scope=scope_of("city_office", city.city),
            annual_plan=plan,
            to_status="approved",
        )
    assert error.value.code == "plan_out_of_order"


def test_only_the_city_office_writes_plans(city, jiangan_officer):
    with pytest.raises(PermissionDenied):
        services.create_five_year_plan(
            actor=jiangan_officer,
            scope=scope_of("district_task_force", city.jiangan),
            node=city.jiangan,
            name="x",
            start_year=2026,
            end_year=2030,
        )


def test_annual_plan_year_must_lie_in_the_five_year_plan(plan, city, city_officer):
    with pytest.raises(DomainError):
        services.create_annual_plan(
            actor=city_officer,
            scope=scope_of("city_office", city.city),
            five_year_plan=plan.five_year_plan,
            year=2031,
            total_budget=Decimal("1"),
        )


def test_a_budget_goes_to_a_district_of_the_plan_not_a_street(plan, city, city_officer):
    with pytest.raises(DomainError) as error:
        services.set_district_budget(
            actor=city_officer,
            scope=scope_of("city_office", city.city),
            annual_plan=plan,
            district=city.jiangan_street,
            max_cost=Decimal("1"),
            min_count=None,
        )
    assert "district" in error.value.fields
