"""Named constructors for planning's audit events."""

from django.utils.translation import gettext_lazy as _

from anju.core.audit import changed_fields, record_event, register_verbs

register_verbs(
    {
        "plan.five_year_created": _("编制五年规划"),
        "plan.target_set": _("设定规划目标"),
        "plan.annual_created": _("编制年度计划"),
        "plan.budget_set": _("设定区级预算"),
        "plan.status_changed": _("年度计划状态变更"),
    }
)


def five_year_created(*, actor, plan):
    return record_event(
        actor=actor,
        verb="plan.five_year_created",
        target=plan,
        territory_path=plan.node.path,
        summary=plan.name,
        after={"start_year": plan.start_year, "end_year": plan.end_year},
    )


def target_set(*, actor, target, before, after):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="plan.target_set",
        target=target,
        territory_path=target.district.path,
        before=before,
        after=after,
        summary=str(target),
    )


def annual_created(*, actor, annual_plan):
    return record_event(
        actor=actor,
        verb="plan.annual_created",
        target=annual_plan,
        territory_path=annual_plan.territory_path,
        summary=str(annual_plan.year),
        after={"total_budget": annual_plan.total_budget},
    )


def budget_set(*, actor, budget, before, after):
    before, after = changed_fields(before, after)
    return record_event(
        actor=actor,
        verb="plan.budget_set",
        target=budget,
        territory_path=budget.district.path,
        before=before,
        after=after,
        summary=str(budget),
    )


def status_changed(*, actor, annual_plan, old, new):
    return record_event(
        actor=actor,
        verb="plan.status_changed",
        target=annual_plan,
        territory_path=annual_plan.territory_path,
        before={"status": old},
        after={"status": new},
        summary=str(annual_plan.year),
    )
