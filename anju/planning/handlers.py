"""Planning's answers to other apps' signals."""

from .models import (
    AnnualPlan,
    DistrictBudget,
    DistrictTarget,
    FiveYearPlan,
    ManualValue,
    Override,
    PlanSelection,
    Project,
    RoundEntry,
    Scenario,
    ScoringRound,
)

# Children before parents, so that no PROTECT reference is left when its target goes.
PLAN_RECORDS = (
    Override,
    PlanSelection,
    Scenario,
    RoundEntry,
    ManualValue,
    Project,
    DistrictBudget,
    DistrictTarget,
)


def forget_plans(sender, **kwargs):
    """The registry is being replaced (demo and test cities only): plans, rounds and projects
    made for the old one go with it. Scoring models and manual indicators stay."""
    AnnualPlan.objects.update(adopted_scenario=None)
    for model in PLAN_RECORDS:
        model.objects.all().delete()
    ScoringRound.objects.all().delete()
    AnnualPlan.objects.all().delete()
    FiveYearPlan.objects.all().delete()
