"""`anju demo` draws up the demo city's plans; replacing the registry clears them."""

import pytest
from django.db import transaction

from anju.access.tests.test_demo_command import run_demo, small_city
from anju.planning.models import AnnualPlan, DistrictBudget, FiveYearPlan, ScoringRound
from anju.territory.management.commands.generate_city import Command as GenerateCity

pytestmark = pytest.mark.django_db


def test_demo_draws_up_the_citys_plans_with_a_published_round():
    small_city()
    run_demo()
    # the city's 2026 plan (the design demo adds 江岸区's own approved 2027 plan beside it)
    annual = AnnualPlan.objects.select_related("adopted_scenario").get(year=2026)
    assert annual.five_year_plan.targets.count() == 2
    assert DistrictBudget.objects.filter(annual_plan=annual, min_count=1).count() == 2
    scoring_round = ScoringRound.objects.get()
    assert scoring_round.is_published and scoring_round.entries.count() == 5
    assert scoring_round.scenarios.count() == 2
    assert annual.adopted_scenario.status == "done" and annual.selections.exists()
    run_demo()
    assert ScoringRound.objects.count() == 1


def test_replacing_the_registry_clears_the_plans_made_for_it():
    small_city()
    run_demo()
    with transaction.atomic():
        GenerateCity().delete_registry()
    assert not FiveYearPlan.objects.exists() and not ScoringRound.objects.exists()
