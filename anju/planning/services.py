"""Writes of plans: five-year plans and targets, annual plans, budgets and their approval.

The city office writes plans and approves them; district task forces report their own
district's budget. An approved annual plan is frozen: every write checks it first, under a
row lock, so an approval and a late change cannot interleave.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.core.audit import snapshot
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.money import format_yuan
from anju.core.scope import Scope
from anju.territory.models import Node, Stage
from anju.territory.services import move_compounds

from . import events, selectors
from .models import (
    AnnualPlan,
    AnnualPlanStatus,
    DistrictBudget,
    DistrictTarget,
    FiveYearPlan,
    SurveyIndicators,
)
from .scenarios import create_projects

TARGET_FIELDS = ["compounds", "households", "floor_area", "investment"]
BUDGET_FIELDS = ["max_cost", "min_count"]
NEXT_STATUS = {
    AnnualPlanStatus.DRAFT: AnnualPlanStatus.SUBMITTED,
    AnnualPlanStatus.SUBMITTED: AnnualPlanStatus.CONSOLIDATED,
    AnnualPlanStatus.CONSOLIDATED: AnnualPlanStatus.APPROVED,
}


def require_city_office(scope: Scope, path: str) -> None:
    if not scope.has_role("city_office"):
        raise PermissionDenied(_("只有市改造办可以编制和批准计划。"))
    if not scope.covers_path(path):
        raise NotFound()


def require_district(scope: Scope, district: Node) -> None:
    if not scope.has_role("city_office", "district_task_force"):
        raise PermissionDenied(_("只有市改造办和区工作专班可以报送区级预算。"))
    if not scope.covers_path(district.path):
        raise NotFound()


def create_five_year_plan(
    *, actor, scope: Scope, node: Node, name: str, start_year: int, end_year: int
) -> FiveYearPlan:
    require_city_office(scope, node.path)
    with transaction.atomic(durable=True):
        plan = FiveYearPlan(node=node, name=name, start_year=start_year, end_year=end_year)
        plan.full_clean()
        plan.save()
        events.five_year_created(actor=actor, plan=plan)
    return plan


def set_district_target(
    *, actor, scope: Scope, plan: FiveYearPlan, district: Node, values: dict
) -> DistrictTarget:
    require_city_office(scope, plan.node.path)
    if not district.path.startswith(plan.node.path) or district.kind not in ("district", "zone"):
        raise DomainError(_("目标只能设定到本辖区内的区。"), fields={"district": [_("无效")]})
    with transaction.atomic(durable=True):
        target, _created = DistrictTarget.objects.select_for_update().get_or_create(
            plan=plan, district=district
        )
        before = snapshot(target, TARGET_FIELDS)
        for name in TARGET_FIELDS:
            if name in values:
                setattr(target, name, values[name])
        target.full_clean()
        target.save()
        events.target_set(
            actor=actor, target=target, before=before, after=snapshot(target, TARGET_FIELDS)
        )
    return target


def create_annual_plan(
    *, actor, scope: Scope, five_year_plan: FiveYearPlan, year: int, total_budget: Decimal
) -> AnnualPlan:
    require_city_office(scope, five_year_plan.node.path)
    if not five_year_plan.start_year <= year <= five_year_plan.end_year:
        raise DomainError(
            _("年度须在五年规划期内（%(start)s–%(end)s）。")
            % {"start": five_year_plan.start_year, "end": five_year_plan.end_year},
            fields={"year": [_("超出规划期")]},
        )
    with transaction.atomic(durable=True):
        annual = AnnualPlan(five_year_plan=five_year_plan, year=year, total_budget=total_budget)
        annual.full_clean()
        annual.save()
        events.annual_created(actor=actor, annual_plan=annual)
    return annual


def _lock_unfrozen(annual_plan: AnnualPlan) -> AnnualPlan:
    locked = AnnualPlan.objects.select_for_update().get(pk=annual_plan.pk)
    if locked.is_frozen:
        raise DomainError(_("年度计划已批准，不能再修改。"), code="plan_frozen")
    return locked


def set_district_budget(
    *,
    actor,
    scope: Scope,
    annual_plan: AnnualPlan,
    district: Node,
    max_cost: Decimal | None,
    min_count: int | None,
) -> DistrictBudget:
    """A district reports (or the city sets) the district's cap and minimum project count."""
    require_district(scope, district)
    if district.kind not in ("district", "zone") or not district.path.startswith(
        annual_plan.territory_path
    ):
        raise DomainError(_("预算只能报送到本计划辖区内的区。"), fields={"district": [_("无效")]})
    with transaction.atomic(durable=True):
        _lock_unfrozen(annual_plan)
        budget, _created = DistrictBudget.objects.select_for_update().get_or_create(
            annual_plan=annual_plan, district=district
        )
        before = snapshot(budget, BUDGET_FIELDS)
        budget.max_cost, budget.min_count = max_cost, min_count
        budget.full_clean()
        if not scope.has_role("city_office"):
            budget.submitted_at = timezone.now()
        budget.save()
        events.budget_set(
            actor=actor, budget=budget, before=before, after=snapshot(budget, BUDGET_FIELDS)
        )
    return budget


def advance_annual_plan(
    *, actor, scope: Scope, annual_plan: AnnualPlan, to_status: str, confirmed: bool = False
) -> AnnualPlan:
    """draft → submitted → consolidated → approved, one step at a time, by the city office.

    Submitting needs every district with a target in the five-year plan to have reported
    its budget; approving freezes the plan and creates its Projects, which cannot be undone,
    so it needs `confirmed` (the refusal says what would happen: `approval_consequences`)."""
    require_city_office(scope, annual_plan.territory_path)
    with transaction.atomic(durable=True):
        locked = _lock_unfrozen(annual_plan)
        if NEXT_STATUS.get(locked.status) != to_status:
            raise DomainError(
                _("年度计划只能按 草稿→报送→汇总→批准 的顺序推进。"), code="plan_out_of_order"
            )
        if to_status == AnnualPlanStatus.SUBMITTED:
            missing = missing_district_reports(locked)
            if missing:
                raise DomainError(
                    _("这些区尚未报送预算：%(names)s") % {"names": "、".join(missing)},
                    code="districts_missing",
                )
        old = locked.status
        locked.status = to_status
        if to_status == AnnualPlanStatus.APPROVED:
            approve(actor, locked, confirmed=confirmed)
        locked.save()
        events.status_changed(actor=actor, annual_plan=locked, old=old, new=to_status)
    return locked


def approval_consequences(annual_plan: AnnualPlan) -> str:
    """What approving will do, in the words the confirmation page and the refusal use."""
    summary = selectors.approval_summary(annual_plan)
    return _(
        "批准后年度计划冻结、不能再修改，并生成 %(projects)s 个项目"
        "（%(compounds)s 个小区，估算投资合计 %(cost)s）。"
    ) % {**summary, "cost": format_yuan(summary["cost"])}


def approve(actor, annual_plan: AnnualPlan, *, confirmed: bool) -> None:
    """Freeze the plan: its selection becomes Projects and its compounds enter the plan."""
    if not annual_plan.selections.exists():
        raise DomainError(_("计划中还没有入选项目，不能批准。"), code="plan_empty")
    if not confirmed:
        raise DomainError(
            approval_consequences(annual_plan) + _("请确认后再批准。"),
            code="confirmation_required",
        )
    annual_plan.approved_at = timezone.now()
    annual_plan.approved_by = actor if getattr(actor, "pk", None) else None
    projects = create_projects(actor=actor, annual_plan=annual_plan)
    move_compounds(
        actor=actor,
        compound_ids=annual_plan.selections.values_list("compound_id", flat=True),
        from_stages=(Stage.REGISTERED, Stage.CONSULTED, Stage.CANDIDATE),
        to_stage=Stage.PLANNED,
        reason=_("列入%(year)s年度计划（%(n)s个项目）")
        % {"year": annual_plan.year, "n": len(projects)},
    )


def missing_district_reports(annual_plan: AnnualPlan) -> list[str]:
    expected = DistrictTarget.objects.filter(plan=annual_plan.five_year_plan).values_list(
        "district_id", "district__name"
    )
    reported = set(annual_plan.district_budgets.values_list("district_id", flat=True))
    return [name for pk, name in expected if pk not in reported]


# --- survey indicators (written by design's survey) ------------------------------------------


def record_survey_indicators(
    *, compound, safety_hazards: Mapping[str, int], facility_gaps: Mapping[str, int]
) -> SurveyIndicators:
    """Keep what the survey found in `compound` for the next scoring round: the counts of its
    hazards and of its facility shortfalls by severity (see `SurveyIndicators`).

    A step of design's survey services, inside their transaction, after every finding recorded,
    corrected or deleted; it is not audited on its own, since the finding's event is the record
    of the change and this row is derived from the findings."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_survey_indicators runs inside the caller's transaction")
    values = {
        "safety_hazards": {key: n for key, n in safety_hazards.items() if n},
        "facility_gaps": {key: n for key, n in facility_gaps.items() if n},
        "surveyed_at": timezone.now(),
    }
    SurveyIndicators(compound=compound, **values).full_clean(exclude=["compound"])
    indicators, _created = SurveyIndicators.objects.update_or_create(
        compound=compound, defaults=values
    )
    return indicators
