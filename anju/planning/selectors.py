"""Reads of plans, rounds and scenarios, scoped.

Plans and rounds belong to a territory (the city, usually) and concern every district in it,
so staff see those drawn up for their own territory or for a territory containing it; a
district officer sees the city's plan and round, but only the rows of their own district.
Draft rounds and scenarios are the city office's working papers: other roles see published
rounds only. Anything else answers 404, exactly as if it did not exist.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

import numpy as np
from django.db.models import Count, Q, QuerySet, Sum

from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.engine.scoring import ScoringTable, explain, format_value, score
from anju.territory.models import Compound, Node

from .models import (
    AnnualPlan,
    AnnualPlanStatus,
    DistrictTarget,
    FiveYearPlan,
    ManualIndicator,
    ManualValue,
    Override,
    PlanSelection,
    Project,
    RoundEntry,
    RoundStatus,
    Scenario,
    ScoringModelVersion,
    ScoringRound,
)

ROUND_TABLES_KEPT = 4  # a national table is about 85 MB; a city's well under 1 MB


def ancestor_paths(path: str) -> list[str]:
    """'4201/420102/' → ['4201/', '4201/420102/']."""
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def related_territory_q(scope: Scope, field: str) -> Q:
    """Rows whose territory lies inside the scope or contains part of it."""
    q = scope.path_q(field)
    containing = {ancestor for path in scope.node_paths for ancestor in ancestor_paths(path)}
    if scope.compound_ids:
        for path in Compound.objects.filter(pk__in=scope.compound_ids).values_list(
            "path", flat=True
        ):
            containing.update(ancestor_paths(path))
    if containing:
        q |= Q(**{f"{field}__in": sorted(containing)})
    return q


def is_city_office(scope: Scope) -> bool:
    return scope.has_role("city_office")


# --- Plans ---------------------------------------------------------------------------------


def five_year_plans(*, scope: Scope) -> QuerySet[FiveYearPlan]:
    if not scope.is_staff:
        return FiveYearPlan.objects.none()
    return FiveYearPlan.objects.filter(related_territory_q(scope, "node__path")).select_related(
        "node"
    )


def get_five_year_plan(*, scope: Scope, pk) -> FiveYearPlan:
    plan = five_year_plans(scope=scope).filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


def annual_plans(*, scope: Scope) -> QuerySet[AnnualPlan]:
    if not scope.is_staff:
        return AnnualPlan.objects.none()
    return AnnualPlan.objects.filter(
        related_territory_q(scope, "five_year_plan__node__path")
    ).select_related("five_year_plan__node", "adopted_scenario")


def get_annual_plan(*, scope: Scope, pk) -> AnnualPlan:
    plan = annual_plans(scope=scope).filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


def district_budgets(annual_plan: AnnualPlan, scope: Scope):
    return (
        annual_plan.district_budgets.filter(scope.path_q("district__path"))
        .select_related("district")
        .order_by("district__path")
    )


def selections(annual_plan: AnnualPlan, scope: Scope) -> QuerySet[PlanSelection]:
    return annual_plan.selections.filter(scope.path_q("path", "compound_id")).select_related(
        "compound", "district"
    )


def selection_totals(annual_plan: AnnualPlan, scope: Scope) -> list[dict]:
    """Per district: selected compounds, cost, score, and the cap beside them."""
    caps = {budget.district_id: budget for budget in annual_plan.district_budgets.select_related()}
    rows = (
        selections(annual_plan, scope)
        .values("district_id", "district__name", "district__path")
        .annotate(count=Count("id"), cost=Sum("cost"), score=Sum("score"))
        .order_by("district__path")
    )
    return [
        {
            **row,
            "max_cost": caps[row["district_id"]].max_cost if row["district_id"] in caps else None,
            "min_count": caps[row["district_id"]].min_count if row["district_id"] in caps else None,
        }
        for row in rows
    ]


def approval_summary(annual_plan: AnnualPlan) -> dict:
    """What approving the plan will create (`scenarios.create_projects`): one Project per
    accepted package and one per other selected compound, the compounds and their cost."""
    rows = list(annual_plan.selections.values_list("package", "cost"))
    packages = {package for package, _cost in rows if package}
    return {
        "projects": len(packages) + sum(1 for package, _cost in rows if not package),
        "compounds": len(rows),
        "cost": sum((cost for _package, cost in rows), Decimal(0)),
    }


def overrides(annual_plan: AnnualPlan, scope: Scope) -> QuerySet[Override]:
    return annual_plan.overrides.filter(
        scope.path_q("compound__path", "compound_id")
    ).select_related("compound", "created_by")


def projects(annual_plan: AnnualPlan, scope: Scope) -> QuerySet[Project]:
    return (
        annual_plan.projects.filter(scope.path_q("path"))
        .select_related("district")
        .annotate(compound_count=Count("compounds"))
    )


def carry_overs(annual_plan: AnnualPlan, scope: Scope) -> QuerySet[Project]:
    from .scenarios import carry_overs as unfinished

    return unfinished(annual_plan).filter(scope.path_q("path"))


def five_year_progress(plan: FiveYearPlan, scope: Scope) -> dict:
    """Targets against what approved annual plans have put into projects, by district and
    year: compounds, households, floor area and investment (estimated cost)."""
    years = list(range(plan.start_year, plan.end_year + 1))
    done: dict[int, dict[int, dict]] = defaultdict(dict)
    compounds = (
        Project.compounds.through.objects.filter(
            project__annual_plan__five_year_plan=plan,
            project__annual_plan__status=AnnualPlanStatus.APPROVED,
        )
        .filter(scope.path_q("project__path"))
        .values("project__district_id", "project__annual_plan__year")
        .annotate(
            compounds=Count("compound_id"),
            households=Sum("compound__household_count"),
            floor_area=Sum("compound__total_floor_area"),
        )
        .order_by()
    )
    for row in compounds:
        done[row["project__district_id"]][row["project__annual_plan__year"]] = {
            "compounds": row["compounds"],
            "households": row["households"] or 0,
            "floor_area": row["floor_area"] or Decimal(0),
            "investment": Decimal(0),
        }
    investment = (
        Project.objects.filter(
            annual_plan__five_year_plan=plan, annual_plan__status=AnnualPlanStatus.APPROVED
        )
        .filter(scope.path_q("path"))
        .values("district_id", "annual_plan__year")
        .annotate(total=Sum("estimated_cost"))
        .order_by()
    )
    for row in investment:
        done[row["district_id"]][row["annual_plan__year"]]["investment"] = row["total"]
    measures = ("compounds", "households", "floor_area", "investment")
    rows = []
    for target in (
        DistrictTarget.objects.filter(plan=plan)
        .filter(scope.path_q("district__path"))
        .select_related("district")
        .order_by("district__path")
    ):
        by_year = [done[target.district_id].get(year) for year in years]
        totals = {
            measure: sum((cell[measure] for cell in by_year if cell), Decimal(0))
            for measure in measures
        }
        rows.append(
            {
                "district": target.district,
                "target": {measure: getattr(target, measure) for measure in measures},
                "by_year": by_year,
                "totals": totals,
                "share": {
                    measure: (totals[measure] / getattr(target, measure))
                    if getattr(target, measure)
                    else None
                    for measure in measures
                },
            }
        )
    return {"years": years, "rows": rows}


# --- Scoring -------------------------------------------------------------------------------


def model_versions() -> QuerySet[ScoringModelVersion]:
    return ScoringModelVersion.objects.select_related("created_by")


def get_model_version(pk) -> ScoringModelVersion:
    version = ScoringModelVersion.objects.filter(pk=pk).first()
    if version is None:
        raise NotFound()
    return version


def manual_indicators() -> QuerySet[ManualIndicator]:
    return ManualIndicator.objects.annotate(value_count=Count("values"))


def manual_indicators_outside(model) -> QuerySet[ManualIndicator]:
    """Manual indicators a model version does not use yet (to add one)."""
    return ManualIndicator.objects.exclude(key__in=list(model.keys))


def get_manual_indicator(pk) -> ManualIndicator:
    indicator = ManualIndicator.objects.filter(pk=pk).first()
    if indicator is None:
        raise NotFound()
    return indicator


def get_manual_value(*, scope: Scope, pk) -> ManualValue:
    value = (
        ManualValue.objects.filter(pk=pk)
        .filter(scope.path_q("path", "compound_id"))
        .select_related("indicator", "compound")
        .first()
    )
    if value is None or not scope.is_staff:
        raise NotFound()
    return value


def rounds(*, scope: Scope) -> QuerySet[ScoringRound]:
    if not scope.is_staff:
        return ScoringRound.objects.none()
    visible = ScoringRound.objects.filter(related_territory_q(scope, "path"))
    if not is_city_office(scope):
        visible = visible.filter(status=RoundStatus.PUBLISHED)
    return visible.select_related("annual_plan", "model", "node")


def get_round(*, scope: Scope, pk) -> ScoringRound:
    scoring_round = rounds(scope=scope).filter(pk=pk).first()
    if scoring_round is None:
        raise NotFound()
    return scoring_round


def round_entries(scoring_round: ScoringRound, scope: Scope) -> QuerySet[RoundEntry]:
    return scoring_round.entries.filter(scope.path_q("path", "compound_id")).select_related(
        "compound", "district"
    )


def get_round_entry(scoring_round: ScoringRound, scope: Scope, compound_id) -> RoundEntry:
    entry = round_entries(scoring_round, scope).filter(compound_id=compound_id).first()
    if entry is None:
        raise NotFound()
    return entry


def latest_published_entry(compound_id) -> RoundEntry | None:
    """A resident's line: their compound in the newest published round."""
    return (
        RoundEntry.objects.filter(compound_id=compound_id, round__status=RoundStatus.PUBLISHED)
        .select_related("round__model", "round__annual_plan", "compound")
        .order_by("-round__published_at")
        .first()
    )


def approved_project_of(compound_id) -> Project | None:
    """The compound's project in the newest approved annual plan (what residents may know)."""
    return (
        Project.objects.filter(
            compounds__id=compound_id, annual_plan__status=AnnualPlanStatus.APPROVED
        )
        .select_related("annual_plan")
        .order_by("-annual_plan__year")
        .first()
    )


def scenarios(scoring_round: ScoringRound, scope: Scope) -> QuerySet[Scenario]:
    if not is_city_office(scope):
        return Scenario.objects.none()
    return scoring_round.scenarios.select_related("job", "created_by")


def get_scenario(*, scope: Scope, pk) -> Scenario:
    scenario = (
        Scenario.objects.filter(pk=pk, round__in=rounds(scope=scope))
        .select_related("round__annual_plan", "round__model", "job")
        .first()
    )
    if scenario is None or not is_city_office(scope):
        raise NotFound()
    return scenario


def round_table(scoring_round: ScoringRound) -> ScoringTable:
    """The round's whole table, rebuilt from the stored raw values (min, max and ranks are
    over all candidates, which a single row's explanation needs). Kept per process for the
    round as last scored: every resident's page reads the same table, and a round changes
    only when scored again (which changes `scored_at`)."""
    return cached_round_table(scoring_round.pk, scoring_round.scored_at)


@lru_cache(maxsize=ROUND_TABLES_KEPT)
def cached_round_table(round_id: int, scored_at) -> ScoringTable:
    scoring_round = ScoringRound.objects.select_related("model").get(pk=round_id)
    rows = list(scoring_round.entries.order_by("compound_id").values_list("compound_id", "raw"))
    model = scoring_round.model.engine_model()
    raw = np.array([[np.nan if v is None else v for v in values] for _pk, values in rows], float)
    return score(model, [pk for pk, _raw in rows], raw.reshape(len(rows), len(model.keys)))


def breakdown(entry: RoundEntry, language: str = "zh") -> dict:
    """One compound's line explained: a row per indicator and the engine's sentences."""
    table = round_table(entry.round)
    model = table.model
    candidate = table.candidate(entry.compound_id)
    criteria = {criterion.key: criterion.name(language) for criterion in model.criteria}
    lines = [
        {
            "key": indicator.key,
            "name": indicator.name(language),
            "criterion": criteria.get(indicator.criterion, ""),
            "value": None if line.raw is None else format_value(indicator, line.raw, language),
            "points": line.contribution,
            "max_points": line.max_points,
            "percent": 100 * line.contribution / line.max_points if line.max_points else 0,
        }
        for indicator, line in zip(model.indicators, candidate.indicators, strict=True)
    ]
    return {
        "lines": lines,
        "sentences": explain(table, entry.compound_id, language, name=entry.compound.name),
        "model": model,
    }


# --- territory for planning forms ----------------------------------------------------------


def districts_under(node_path: str, scope: Scope | None = None) -> QuerySet[Node]:
    """Districts (and functional zones) under a path, those of the scope only when given."""
    districts = Node.objects.filter(
        kind__in=("district", "zone"), path__startswith=node_path
    ).order_by("path")
    return districts.filter(scope.path_q("path")) if scope is not None else districts


def scoring_territories(annual_plan: AnnualPlan) -> QuerySet[Node]:
    """What a round of this plan may score: the plan's city or one of its districts."""
    return Node.objects.filter(
        path__startswith=annual_plan.territory_path, kind__in=("city", "district", "zone")
    ).order_by("path")


def has_newer_version(version: ScoringModelVersion) -> bool:
    return ScoringModelVersion.objects.filter(key=version.key, version__gt=version.version).exists()


def project_codes(scope: Scope, project_ids) -> dict[int, str]:
    return dict(
        Project.objects.filter(scope.path_q("path"), pk__in=list(project_ids)).values_list(
            "pk", "code"
        )
    )
