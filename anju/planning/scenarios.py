"""Selection (竞争性生成): scenarios over a round, adopting one as the draft plan, overrides.

A scenario is one question put to `anju.engine.selection`: this round's candidates, this total
budget, these district caps and minimums (by default the ones the districts reported), and
optionally other weights (the round is re-scored from its stored raw values). Last year's
unfinished projects enter as mandatory carry-overs with their cost. Scenarios are solved in the
background (`run_scenario`), so a national round does not hold a web request.

Adopting a scenario makes its selection the annual plan's draft selection. An override adds or
drops one compound with a written reason; the selection is then solved again with every
override as a constraint (added compounds mandatory, dropped ones removed), so the plan stays
within its budgets, and the override records the optimum before and after: the score given up.
Only the city office adopts and overrides, and never on an approved plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anju.core.errors import Conflict, DomainError, NotFound
from anju.core.scope import Scope
from anju.core.tasks import start_job
from anju.engine import selection as engine
from anju.engine.scoring import ScoringError, score
from anju.territory.models import Compound, Node, Stage

from . import events
from .models import (
    AnnualPlan,
    AreaPackage,
    Override,
    OverrideAction,
    PlanSelection,
    Project,
    RoundEntry,
    Scenario,
    ScenarioStatus,
    ScoringRound,
)
from .packages import construction_window
from .rounds import engine_refusal, require_city_office

SCENARIO_JOB = "anju.planning.scenarios.run_scenario"
CARRY_PREFIX = "carry-"
MIN_REASON_LENGTH = 4
# A project is unfinished while its own stage (the project's from `planned` on) is before
# accepted: joint acceptance (construction) is what finishes it.
UNFINISHED_STAGES = tuple(Stage.values[: Stage.values.index(Stage.ACCEPTED)])


# --- Scenarios -----------------------------------------------------------------------------


def reported_caps(annual_plan: AnnualPlan) -> dict[str, dict]:
    """The districts' reported caps and minimums, keyed by district id (as text)."""
    return {
        str(budget.district_id): {
            "max_cost": None if budget.max_cost is None else str(budget.max_cost),
            "min_count": budget.min_count,
        }
        for budget in annual_plan.district_budgets.all()
    }


def check_caps(caps: dict, scoring_round: ScoringRound) -> None:
    """Caps name districts of the round's territory by id, with a non-negative cap and count."""
    districts = set(
        Node.objects.filter(
            path__startswith=scoring_round.path, kind__in=("district", "zone")
        ).values_list("pk", flat=True)
    )
    for key, cap in caps.items():
        max_cost, min_count = cap.get("max_cost"), cap.get("min_count")
        try:
            valid = (
                int(key) in districts
                and (max_cost in (None, "") or Decimal(str(max_cost)) >= 0)
                and (min_count in (None, "") or int(min_count) >= 0)
            )
        except (ValueError, ArithmeticError):
            valid = False
        if not valid:
            raise DomainError(
                _("区级上限有误：%(key)s") % {"key": key}, fields={"caps": [_("无效")]}
            )


def create_scenario(
    *,
    actor,
    scope: Scope,
    scoring_round: ScoringRound,
    name: str,
    total_budget: Decimal,
    caps: dict | None = None,
    weights: dict | None = None,
    time_limit: float = 10.0,
) -> Scenario:
    """Record the scenario and queue its solve."""
    require_city_office(scope, scoring_round.path)
    if not scoring_round.scored_at:
        raise DomainError(_("请先评分再比选。"), code="round_not_scored")
    if total_budget is None or total_budget < 0:
        raise DomainError(_("总预算不能为负。"), fields={"total_budget": [_("无效")]})
    if caps is not None:
        check_caps(caps, scoring_round)
    if weights:
        try:
            scoring_round.model.engine_model().with_weights(weights)
        except ScoringError as error:
            raise engine_refusal(error) from error
    with transaction.atomic(durable=True):
        scenario = Scenario.objects.create(
            round=scoring_round,
            name=name,
            total_budget=total_budget,
            caps=reported_caps(scoring_round.annual_plan) if caps is None else caps,
            weights=weights or {},
            time_limit=min(max(float(time_limit), 1.0), 600.0),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        scenario.job = start_job(
            job=SCENARIO_JOB,
            label=_("比选方案：%(name)s") % {"name": name},
            arguments={"scenario_id": scenario.pk},
            actor=actor,
            territory_path=scoring_round.path,
            max_attempts=1,
        )
        scenario.save(update_fields=["job"])
        events.scenario_created(actor=actor, scenario=scenario)
    return scenario


def round_scores(scoring_round: ScoringRound, weights: dict) -> dict[int, float]:
    """Totals by compound: as published, or re-scored from the stored raw values."""
    if not weights:
        return dict(scoring_round.entries.values_list("compound_id", "total"))
    rows = list(scoring_round.entries.order_by("compound_id").values_list("compound_id", "raw"))
    model = scoring_round.model.engine_model().with_weights(weights)
    ids = [pk for pk, _raw in rows]
    raw = np.array([[np.nan if v is None else v for v in values] for _pk, values in rows], float)
    table = score(model, ids, raw.reshape(len(ids), len(model.keys)))
    return dict(zip(ids, table.totals.tolist(), strict=True))


def carry_overs(annual_plan: AnnualPlan):
    """Last year's projects (same five-year plan territory) not yet accepted: the project's
    own stage decides (a compound may sit in a later year's project too, so its stage does
    not say whether this project is finished)."""
    return (
        Project.objects.filter(
            annual_plan__year=annual_plan.year - 1,
            annual_plan__five_year_plan__node=annual_plan.five_year_plan.node,
            annual_plan__status="approved",
            stage__in=UNFINISHED_STAGES,
        )
        .select_related("district")
        .order_by("code")
    )


def district_labels() -> dict[int, str]:
    """How the engine names districts (its explanations quote them): the district's name, with
    its code where two districts share a name."""
    rows = list(
        Node.objects.filter(kind__in=("district", "zone")).values_list("pk", "name", "code")
    )
    shared = {name for _pk, name, _code in rows if sum(1 for row in rows if row[1] == name) > 1}
    return {pk: f"{name}（{code}）" if name in shared else name for pk, name, code in rows}


@dataclass(frozen=True)
class ScenarioInput:
    """What the engine is asked, with the round's entries (by candidate id) and the scores
    used, so that the answer can be written back without reading the round again."""

    candidates: list[engine.Candidate]
    budgets: list[engine.DistrictBudget]
    entries: dict[str, RoundEntry]
    scores: dict[int, float]


def candidates_of(scenario: Scenario, *, forced_in=(), forced_out=()) -> ScenarioInput:
    """The engine's input for a scenario, with overrides as constraints."""
    scoring_round = scenario.round
    scores = round_scores(scoring_round, scenario.weights)
    entries = {
        str(entry.compound_id): entry
        for entry in scoring_round.entries.only(
            "round_id", "compound_id", "district_id", "path", "cost", "package", "mandatory"
        )
    }
    forced_in, forced_out = set(map(str, forced_in)), set(map(str, forced_out))
    label = district_labels()
    candidates = [
        engine.Candidate(
            id=key,
            district=label[entry.district_id],
            cost=float(entry.cost),
            score=max(scores[entry.compound_id], 0.0),
            package=entry.package or None,
            mandatory=entry.mandatory or key in forced_in,
        )
        for key, entry in entries.items()
        if key not in forced_out
    ]
    candidates += [
        engine.Candidate(
            id=f"{CARRY_PREFIX}{project.pk}",
            district=label[project.district_id],
            cost=float(project.estimated_cost),
            score=0.0,
            mandatory=True,
        )
        for project in carry_overs(scoring_round.annual_plan)
    ]
    budgets = [
        engine.DistrictBudget(
            district=label[int(district)],
            max_cost=None if cap.get("max_cost") in (None, "") else float(cap["max_cost"]),
            min_count=cap.get("min_count") or None,
        )
        for district, cap in scenario.caps.items()
    ]
    return ScenarioInput(candidates, budgets, entries, scores)


def solve(scenario: Scenario, given: ScenarioInput) -> engine.Selection:
    try:
        return engine.select(
            given.candidates,
            given.budgets,
            float(scenario.total_budget),
            time_limit=scenario.time_limit,
        )
    except engine.SelectionInputError as error:
        raise DomainError(str(error), code="selection_input") from error


def by_district(selection: engine.Selection, candidates: list[engine.Candidate]) -> dict:
    """Selected count, cost and score per district id (carry-overs counted apart)."""
    chosen = set(selection.selected)
    pk_of = {label: pk for pk, label in district_labels().items()}
    totals: dict[str, dict] = {}
    for candidate in candidates:
        if candidate.id not in chosen:
            continue
        row = totals.setdefault(
            str(pk_of[candidate.district]),
            {"name": candidate.district, "count": 0, "cost": 0.0, "score": 0.0},
        )
        if candidate.id.startswith(CARRY_PREFIX):
            row["carry_over_cost"] = row.get("carry_over_cost", 0.0) + candidate.cost
            continue
        row["count"] += 1
        row["cost"] += candidate.cost
        row["score"] = round(row["score"] + candidate.score, 6)
    return dict(sorted(totals.items(), key=lambda item: item[1]["name"]))


def run_scenario(reporter, *, scenario_id: int) -> dict:
    """The background job: solve and keep the answer on the scenario."""
    scenario = Scenario.objects.select_related("round__model", "round__annual_plan").get(
        pk=scenario_id
    )
    reporter.report(_("读取候选小区"), 5)
    given = candidates_of(scenario)
    reporter.report(_("求解"), 20, _("%(n)s 个候选") % {"n": len(given.candidates)})
    try:
        answer = engine.select(
            given.candidates,
            given.budgets,
            float(scenario.total_budget),
            time_limit=scenario.time_limit,
        )
    except (engine.SelectionInputError, engine.NoSelectionFound) as error:
        messages = [str(error) or _("时限内未找到可行解。")]
        Scenario.objects.filter(pk=scenario.pk).update(
            status=ScenarioStatus.FAILED, result={"status": "failed", "explanation": messages}
        )
        raise DomainError(" ".join(messages)) from error
    result = engine.result_as_dict(answer, "zh")
    result["explanation_en"] = engine.explain(answer, "en")
    result["by_district"] = by_district(answer, given.candidates)
    cost = sum(row["cost"] for row in result["by_district"].values())
    result["score_per_10k_yuan"] = round((answer.objective or 0) / cost * 1e4, 6) if cost else None
    Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.DONE, result=result)
    summary = _("求解完成：%(status)s，入选 %(n)s 项，%(seconds)s 秒。") % {
        "status": result["status"],
        "n": len(result["selected"]),
        "seconds": result["seconds"],
    }
    return {"status": result["status"], "selected": len(result["selected"]), "summary": summary}


# --- Adoption and overrides ----------------------------------------------------------------


def _lock_open_plan(annual_plan: AnnualPlan) -> AnnualPlan:
    locked = AnnualPlan.objects.select_for_update().get(pk=annual_plan.pk)
    if locked.is_frozen:
        raise DomainError(_("年度计划已批准，不能再修改。"), code="plan_frozen")
    return locked


def _selections(annual_plan, chosen: list[str], given: ScenarioInput, forced=()) -> list:
    entries, scores = given.entries, given.scores
    return [
        PlanSelection(
            annual_plan=annual_plan,
            compound_id=int(key),
            district_id=entries[key].district_id,
            path=entries[key].path,
            score=scores[int(key)],
            cost=entries[key].cost,
            package=entries[key].package,
            forced=key in forced,
        )
        for key in chosen
        if not key.startswith(CARRY_PREFIX)
    ]


def adopt_scenario(*, actor, scope: Scope, scenario: Scenario) -> AnnualPlan:
    """The scenario's selection becomes the annual plan's draft selection (earlier overrides,
    made against another selection, are withdrawn; the audit keeps them)."""
    scoring_round = scenario.round
    require_city_office(scope, scoring_round.path)
    if not scoring_round.is_published:
        raise DomainError(_("评分结果公布后才能采用方案。"), code="round_not_published")
    if scenario.status != ScenarioStatus.DONE or scenario.result["status"] == "infeasible":
        raise DomainError(_("只能采用已求得可行解的方案。"), code="scenario_not_solved")
    given = candidates_of(scenario)
    chosen = scenario.selected_ids
    with transaction.atomic(durable=True):
        plan = _lock_open_plan(scoring_round.annual_plan)
        plan.selections.all().delete()
        plan.overrides.all().delete()
        PlanSelection.objects.bulk_create(_selections(plan, chosen, given))
        plan.adopted_scenario = scenario
        plan.total_budget = scenario.total_budget
        plan.save(update_fields=["adopted_scenario", "total_budget"])
        Scenario.objects.filter(pk=scenario.pk).update(adopted_at=timezone.now())
        events.scenario_adopted(
            actor=actor, annual_plan=plan, scenario=scenario, selected=len(chosen)
        )
    return plan


def selection_objective(annual_plan: AnnualPlan) -> float:
    return round(sum(annual_plan.selections.values_list("score", flat=True)), 6)


def override_selection(
    *, actor, scope: Scope, annual_plan: AnnualPlan, compound: Compound, action: str, reason: str
) -> Override:
    """Add or drop one compound with a written reason, then solve again under every override."""
    require_city_office(scope, annual_plan.territory_path)
    if not scope.covers_path(compound.path):
        raise NotFound()
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(_("请写明调整理由。"), fields={"reason": [_("必填")]})
    scenario = annual_plan.adopted_scenario
    if scenario is None:
        raise DomainError(_("请先采用一个比选方案。"), code="no_adopted_scenario")
    if annual_plan.is_frozen:
        raise DomainError(_("年度计划已批准，不能再修改。"), code="plan_frozen")
    if not RoundEntry.objects.filter(round=scenario.round, compound=compound).exists():
        raise DomainError(_("该小区不在本轮候选名单中。"), code="not_a_candidate")
    selected = set(annual_plan.selections.values_list("compound_id", flat=True))
    if (action == OverrideAction.ADD) == (compound.pk in selected):
        raise DomainError(
            _("该小区已入选。") if action == OverrideAction.ADD else _("该小区未入选。"),
            code="override_no_change",
        )
    earlier = list(annual_plan.overrides.values_list("compound_id", "action"))
    if any(pk == compound.pk for pk, _action in earlier):
        raise Conflict(_("该小区已有人工调整。"))
    constraints = [*earlier, (compound.pk, action)]
    forced_in = {str(pk) for pk, act in constraints if act == OverrideAction.ADD}
    forced_out = {str(pk) for pk, act in constraints if act == OverrideAction.DROP}
    given = candidates_of(scenario, forced_in=forced_in, forced_out=forced_out)
    answer = solve(scenario, given)
    if answer.status == "infeasible":
        language = "en" if (get_language() or "").startswith("en") else "zh"
        raise DomainError(
            _("这样调整后无法满足预算约束：%(reasons)s")
            % {
                "reasons": ("; " if language == "en" else "；").join(
                    engine.explain(answer, language)
                )
            },
            code="override_infeasible",
        )
    chosen = [key for key in answer.selected if not key.startswith(CARRY_PREFIX)]
    with transaction.atomic(durable=True):
        plan = _lock_open_plan(annual_plan)
        if plan.overrides.count() != len(earlier):
            raise Conflict(_("计划刚被他人调整，请刷新后重试。"))
        before = selection_objective(plan)
        plan.selections.all().delete()
        PlanSelection.objects.bulk_create(_selections(plan, chosen, given, forced_in))
        now = {int(key) for key in chosen}
        override = Override.objects.create(
            annual_plan=plan,
            compound=compound,
            action=action,
            reason=reason,
            objective_before=before,
            objective_after=selection_objective(plan),
            added=sorted(now - selected),
            dropped=sorted(selected - now),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        events.overridden(actor=actor, override=override)
    return override


# --- Approval: the plan's projects ---------------------------------------------------------


def project_name(members: list[PlanSelection]) -> str:
    first = members[0].compound.name
    if len(members) == 1:
        return first
    return _("%(name)s等%(n)s个小区连片改造") % {"name": first, "n": len(members)}


def create_projects(*, actor, annual_plan: AnnualPlan) -> list[Project]:
    """One Project per selected compound, or per package. Runs inside the approval."""
    groups: dict[str, list[PlanSelection]] = {}
    for chosen in annual_plan.selections.select_related("compound", "district"):
        key = f"package:{chosen.package}" if chosen.package else f"compound:{chosen.compound_id}"
        groups.setdefault(key, []).append(chosen)
    sequence: dict[int, int] = {}
    projects = []
    package_names = dict(
        AreaPackage.objects.filter(
            key__in=[rows[0].package for rows in groups.values() if rows[0].package]
        ).values_list("key", "name")
    )
    for members in sorted(
        groups.values(), key=lambda rows: (rows[0].district.path, -rows[0].score)
    ):
        district = members[0].district
        sequence[district.pk] = sequence.get(district.pk, 0) + 1
        name = package_names.get(members[0].package) or project_name(members)
        starts_on, ends_on = construction_window(annual_plan.year)
        project = Project.objects.create(
            annual_plan=annual_plan,
            starts_on=starts_on,
            ends_on=ends_on,
            code=f"{annual_plan.year}-{district.code}-{sequence[district.pk]:03d}",
            name=name[:160],
            district=district,
            estimated_cost=sum((row.cost for row in members), Decimal(0)),
        )
        project.compounds.set([row.compound_id for row in members])
        projects.append(project)
    events.projects_created(
        actor=actor, annual_plan=annual_plan, codes=[project.code for project in projects]
    )
    return projects
