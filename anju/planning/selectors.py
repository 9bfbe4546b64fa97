"""Reads of plans, rounds and scenarios, scoped.

Plans and rounds belong to a territory (the city, usually) and concern every district in it,
so staff see those drawn up for their own territory or for a territory containing it; a
district officer sees the city's plan and round, but only the rows of their own district.
Draft rounds and scenarios are the city office's working papers: other roles see published
rounds only. Anything else answers 404, exactly as if it did not exist.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from anju.core.errors import NotFound
from anju.core.money import format_yuan, grouped
from anju.core.scope import Scope
from anju.engine.scoring import ScoringTable, explain, format_value, score
from anju.territory.models import Compound, Node
from anju.territory.paths import ancestor_paths

from .models import (
    AnnualPlan,
    AnnualPlanStatus,
    AreaPackage,
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


# --- Why a compound is, or is not, in the plan ---------------------------------------------


@dataclass(frozen=True)
class SelectionReason:
    """Whether a ranked compound is in its annual plan's selection, and why (or why not).

    `sentence` is for staff and may quote the selection's numbers (a district's cap, the
    marginal cost per point); `plain` is for the compound's own residents and says nothing
    about any other compound."""

    code: str
    is_selected: bool
    label: str
    sentence: str
    plain: str


class RankedEntry(NamedTuple):
    compound_id: int
    district_id: int
    district_name: str
    path: str
    rank: int
    score: float
    cost: Decimal
    package: str
    mandatory: bool


@dataclass(frozen=True)
class PlanChoice:
    """What the plan of a round chose, as far as explaining a row needs it: the selected
    compounds, money spent by district (carry-overs included) and the caps it was spent
    against, the overrides with their reasons, and the marginal cost per point."""

    selected: frozenset[int]
    spent: dict[int, Decimal]
    carried: dict[int, Decimal]
    carry_compounds: frozenset[int]
    caps: dict[int, Decimal]
    total_budget: Decimal
    overrides: dict[int, tuple[str, str]]
    marginal: Decimal | None
    scores: dict[int, float]


def cost_per_point(cost: Decimal, score: float) -> Decimal | None:
    return cost / Decimal(repr(score)) if score > 0 else None


def per_point(value: Decimal) -> str:
    return _("%(amount)s元/分") % {"amount": grouped(value, 0)}


def plan_choice(scoring_round: ScoringRound, plan: AnnualPlan) -> PlanChoice | None:
    """The selection of the plan using the round: an approved plan's Projects, else the draft
    selection made from the adopted scenario (as re-solved after overrides); None before any
    scenario is adopted. Caps are the adopted scenario's (else the districts' reported ones).

    The marginal cost per point is the dearest point the selection bought freely: the highest
    cost ÷ score among selected compounds (a package counted as one) not forced in by an
    override. A left-out compound dearer than that lost to cheaper points, not to its rank.
    A constant number of queries, whatever the size of the round."""
    from .scenarios import carry_overs as unfinished
    from .scenarios import round_scores

    is_approved = plan.status == AnnualPlanStatus.APPROVED
    scenario = (
        Scenario.objects.filter(pk=plan.adopted_scenario_id)
        .values("round_id", "caps", "weights")
        .first()
        if plan.adopted_scenario_id
        else None
    )
    if scenario is None and not is_approved:
        return None
    rows = list(
        plan.selections.values_list(
            "compound_id", "district_id", "cost", "score", "package", "forced"
        )
    )
    spent: dict[int, Decimal] = defaultdict(Decimal)
    if is_approved:
        selected = set(
            Project.compounds.through.objects.filter(project__annual_plan=plan).values_list(
                "compound_id", flat=True
            )
        )
        rows = [row for row in rows if row[0] in selected]
        for district_id, cost in plan.projects.values_list("district_id", "estimated_cost"):
            spent[district_id] += cost
    else:
        selected = {row[0] for row in rows}
        for _compound, district_id, cost, *_rest in rows:
            spent[district_id] += cost
    carried: dict[int, Decimal] = defaultdict(Decimal)
    carry_compounds, counted = set(), set()
    for pk, district_id, cost, compound_id in unfinished(plan).values_list(
        "pk", "district_id", "estimated_cost", "compounds__id"
    ):
        carry_compounds.add(compound_id)
        if pk not in counted:
            counted.add(pk)
            carried[district_id] += cost
    for district_id, cost in carried.items():
        spent[district_id] += cost
    if scenario is not None:
        caps = {
            int(key): Decimal(str(cap["max_cost"]))
            for key, cap in scenario["caps"].items()
            if cap.get("max_cost") not in (None, "")
        }
    else:
        caps = dict(
            plan.district_budgets.exclude(max_cost=None).values_list("district_id", "max_cost")
        )
    units: dict = defaultdict(lambda: [Decimal(0), 0.0, True])
    for compound_id, _district, cost, points, package, forced in rows:
        unit = units[package or compound_id]
        unit[0] += cost
        unit[1] += points
        unit[2] = unit[2] and not forced
    prices = [cost_per_point(cost, points) for cost, points, free in units.values() if free]
    scores = {}
    if scenario and scenario["weights"] and scenario["round_id"] == scoring_round.pk:
        scores = round_scores(scoring_round, scenario["weights"])
    return PlanChoice(
        selected=frozenset(selected),
        spent=dict(spent),
        carried=dict(carried),
        carry_compounds=frozenset(carry_compounds),
        caps=caps,
        total_budget=plan.total_budget,
        overrides={
            pk: (action, reason)
            for pk, action, reason in plan.overrides.values_list("compound_id", "action", "reason")
        },
        marginal=max((price for price in prices if price is not None), default=None),
        scores=scores,
    )


def pending_reason() -> SelectionReason:
    return SelectionReason(
        "pending",
        False,
        _("待定"),
        _("尚未采用比选方案，年度计划的入选名单未定。"),
        _("年度改造计划尚在编制，入选名单经批准后公布。"),
    )


def left_out(code: str, sentence: str, plain: str) -> SelectionReason:
    return SelectionReason(code, False, _("未入选"), sentence, plain)


def why_left_out(cost: Decimal, points: float, district: RankedEntry, choice: PlanChoice):
    """Why a compound (or a package, with its summed cost and score) ranked above the
    selection's line was left out, in the order the constraints bind: no score; its
    district's cap (max_cost) spent; its points dearer than the marginal cost per point; the
    total budget left too small; else the optimiser found a better combination."""
    own = cost_per_point(cost, points)
    if own is None:
        return left_out(
            "no_score", _("得分为 0，不参与比选。"), _("本小区得分为 0，今年未能列入。")
        )
    spent = choice.spent.get(district.district_id, Decimal(0))
    cap = choice.caps.get(district.district_id)
    if cap is not None and cost > cap - spent:
        values = {
            "district": district.district_name,
            "cap": format_yuan(cap),
            "spent": format_yuan(spent),
            "carried": format_yuan(choice.carried.get(district.district_id, 0)),
            "left": format_yuan(max(cap - spent, Decimal(0))),
            "cost": format_yuan(cost),
        }
        sentence = (
            _(
                "%(district)s预算上限 %(cap)s，已用 %(spent)s（含上年结转 %(carried)s），"
                "剩余 %(left)s，不足估算投资 %(cost)s。"
            )
            if choice.carried.get(district.district_id)
            else _(
                "%(district)s预算上限 %(cap)s，已用 %(spent)s，"
                "剩余 %(left)s，不足估算投资 %(cost)s。"
            )
        )
        return left_out(
            "district_cap", sentence % values, _("本区今年的改造预算已用完，本小区未能列入。")
        )
    if choice.marginal is not None and own > choice.marginal:
        return left_out(
            "cost_per_point",
            _(
                "每分投资 %(own)s，高于本次入选的边际每分投资 %(marginal)s"
                "（自主入选项目中每分最贵者）：同样的预算用在其他小区得分更多。"
            )
            % {"own": per_point(own), "marginal": per_point(choice.marginal)},
            _("在今年的预算下，本小区每得 1 分所需的投资高于入选小区，未能列入。"),
        )
    spent_total = sum(choice.spent.values(), Decimal(0))
    if cost > choice.total_budget - spent_total:
        return left_out(
            "budget_exhausted",
            _(
                "总预算 %(total)s，已用 %(spent)s，剩余 %(left)s，"
                "不足估算投资 %(cost)s（每分投资 %(own)s）。"
            )
            % {
                "total": format_yuan(choice.total_budget),
                "spent": format_yuan(spent_total),
                "left": format_yuan(max(choice.total_budget - spent_total, Decimal(0))),
                "cost": format_yuan(cost),
                "own": per_point(own),
            },
            _("今年的改造总预算已不足以支付本小区的估算投资，未能列入。"),
        )
    return left_out(
        "optimiser",
        _(
            "每分投资 %(own)s；在总预算、各区上限和最少项目数的约束下，其他组合的总分更高，"
            "优化未选中。"
        )
        % {"own": per_point(own)},
        _("在今年的预算约束下，按总分最高的原则，本小区未能列入。"),
    )


def reason_for(
    entry: RankedEntry,
    choice: PlanChoice,
    lowest: dict[int, int],
    packages: dict[str, list[RankedEntry]],
    package_names: dict[str, str],
) -> SelectionReason:
    compound_id = entry.compound_id
    action, override_reason = choice.overrides.get(compound_id, ("", ""))
    package = package_names.get(entry.package, entry.package)
    members = packages.get(entry.package, [])
    if compound_id in choice.carry_compounds:
        return SelectionReason(
            "carry_over",
            True,
            _("上年结转"),
            _("上年结转项目，必须列入，其费用先计入预算。"),
            _("本小区为上年结转的改造项目，继续列入计划。"),
        )
    if compound_id in choice.selected:
        if action == "add":
            return SelectionReason(
                "selected_by_override",
                True,
                _("人工调入"),
                _("市改造办人工调入，理由：%(reason)s") % {"reason": override_reason},
                _("本小区经市改造办调整列入年度改造计划，理由：%(reason)s")
                % {"reason": override_reason},
            )
        if entry.mandatory:
            return SelectionReason(
                "mandatory",
                True,
                _("必选"),
                _("必选项目，不参与比选，直接列入。"),
                _("本小区为必选项目，直接列入年度改造计划。"),
            )
        if entry.package:
            return SelectionReason(
                "selected_package",
                True,
                _("连片入选"),
                _("与连片片区“%(package)s”的其他 %(n)s 个小区一同入选（片区须整体入选）。")
                % {"package": package, "n": len(members) - 1},
                _("本小区与相邻小区作为连片片区“%(package)s”一同列入年度改造计划。")
                % {"package": package},
            )
        return SelectionReason(
            "selected",
            True,
            _("入选"),
            _("在年度计划的入选名单中。"),
            _("本小区已列入年度改造计划。"),
        )
    if action == "drop":
        return SelectionReason(
            "dropped_by_override",
            False,
            _("人工调出"),
            _("市改造办人工调出，理由：%(reason)s") % {"reason": override_reason},
            _("本小区经市改造办调整未列入今年的计划，理由：%(reason)s")
            % {"reason": override_reason},
        )
    if entry.package:
        cost = sum((member.cost for member in members), Decimal(0))
        why = why_left_out(cost, sum(member.score for member in members), entry, choice)
        return SelectionReason(
            "package_dropped",
            False,
            _("连片未入选"),
            _(
                "属于连片片区“%(package)s”（%(n)s 个小区，合计估算投资 %(cost)s），"
                "片区须整体入选或整体不选：%(why)s"
            )
            % {
                "package": package,
                "n": len(members),
                "cost": format_yuan(cost),
                "why": why.sentence,
            },
            _("本小区属于连片片区“%(package)s”，片区须整体列入，今年未能列入。")
            % {"package": package},
        )
    line = lowest.get(entry.district_id)
    if line is not None and entry.rank > line:
        return left_out(
            "below_line",
            _("排名在本区最后一个入选小区（第 %(rank)s 名）之后。") % {"rank": line},
            _("本小区排名在本区入选小区之后，今年未能列入。"),
        )
    return why_left_out(entry.cost, entry.score, entry, choice)


def selection_reasons(
    scoring_round: ScoringRound, scope: Scope, *, compound_ids=None
) -> dict[int, SelectionReason]:
    """For each of the round's compounds the scope may see (or of `compound_ids` among
    them): whether it is in the plan's selection and why, or why not (`reason_for`).

    Read once for the round's table, a compound's page and the residents' page. A row's
    reason depends on its whole district (the lowest selected rank, a package's members, the
    cap spent), so the district's rows are read even where the scope sees fewer; only the
    scope's rows are returned. Residents learn the selection only once the plan is approved:
    a draft selection is the city office's working paper. Constant number of queries."""
    visible = scoring_round.entries.filter(scope.path_q("path", "compound_id"))
    wanted = None if compound_ids is None else {int(pk) for pk in compound_ids}
    if wanted is not None:
        visible = visible.filter(compound_id__in=sorted(wanted))
    rows = [
        RankedEntry(*row)
        for row in scoring_round.entries.filter(
            district_id__in=visible.values("district_id")
        ).values_list(
            "compound_id",
            "district_id",
            "district__name",
            "path",
            "rank",
            "total",
            "cost",
            "package",
            "mandatory",
        )
    ]
    shown = [
        row
        for row in rows
        if (scope.covers_path(row.path) or row.compound_id in scope.compound_ids)
        and (wanted is None or row.compound_id in wanted)
    ]
    plan = AnnualPlan.objects.select_related("five_year_plan__node").get(
        pk=scoring_round.annual_plan_id
    )
    may_know = scope.is_staff or plan.status == AnnualPlanStatus.APPROVED
    choice = plan_choice(scoring_round, plan) if shown and may_know else None
    if choice is None:
        return {row.compound_id: pending_reason() for row in shown}
    if choice.scores:
        rows = [row._replace(score=choice.scores.get(row.compound_id, row.score)) for row in rows]
    lowest: dict[int, int] = {}
    packages: dict[str, list[RankedEntry]] = defaultdict(list)
    for row in rows:
        if row.compound_id in choice.selected:
            lowest[row.district_id] = max(lowest.get(row.district_id, 0), row.rank)
        if row.package:
            packages[row.package].append(row)
    package_names = (
        dict(AreaPackage.objects.filter(key__in=list(packages)).values_list("key", "name"))
        if any(row.package for row in shown)
        else {}
    )
    by_id = {row.compound_id: row for row in rows}
    return {
        row.compound_id: reason_for(by_id[row.compound_id], choice, lowest, packages, package_names)
        for row in shown
    }
