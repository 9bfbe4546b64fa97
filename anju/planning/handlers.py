"""Planning's answers to other apps' signals."""

from django.db.models import Exists, OuterRef

from anju.territory.models import Node
from anju.territory.paths import district_path, rewrite_path_prefix

from .models import (
    AnnualPlan,
    AreaPackage,
    AreaPackageMember,
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


# Planning's copies of a territory path: the round's node, or the compound's (values, round
# lines, selections), or the district's (projects, packages).
PATH_COPIES = (ScoringRound, ManualValue, RoundEntry, PlanSelection, Project, AreaPackage)


def follow_territory_move(sender, *, old_prefix, new_prefix, **kwargs):
    """A node moved (`territory.services.move_node`, in its transaction): planning's records
    under it follow, so the new district's staff see them and the old district's do not.

    Paths under the old prefix get the new one (one UPDATE per table). When a street or
    community changes district, what is reckoned by district follows as well: the round
    lines and selections of its compounds count for the new district, and a project or
    package goes to the new district when all its compounds are now there (one that keeps a
    compound in the old district stays, with its path). Budgets and targets are the
    districts' own promises and stay. Plain updates, no history rows: these are copies of the
    placement, and the move is recorded once, where it happened (NodeChange, node.moved)."""
    for model in PATH_COPIES:
        rewrite_path_prefix(model.objects.all(), "path", old_prefix, new_prefix)
    old_district, new_district = district_path(old_prefix), district_path(new_prefix)
    if old_district in ("", old_prefix) or old_district == new_district:
        return
    district = Node.objects.filter(path=new_district, kind__in=("district", "zone")).first()
    if district is None:
        return
    for model in (RoundEntry, PlanSelection):
        model.objects.filter(path__startswith=new_prefix).exclude(district=district).update(
            district=district
        )
    for model, members, owner in (
        (Project, Project.compounds.through, "project"),
        (AreaPackage, AreaPackageMember, "package"),
    ):
        moving = members.objects.filter(
            **{owner: OuterRef("pk")}, compound__path__startswith=new_prefix
        )
        elsewhere = members.objects.filter(**{owner: OuterRef("pk")}).exclude(
            compound__path__startswith=new_district
        )
        model.objects.filter(Exists(moving), ~Exists(elsewhere), path=old_district).update(
            district=district, path=district.path
        )
