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
        "plan.model_versioned": _("发布评分模型新版本"),
        "plan.manual_indicator_created": _("新增人工指标"),
        "plan.manual_value_entered": _("填报人工指标"),
        "plan.round_created": _("创建评分轮次"),
        "plan.round_scored": _("评分"),
        "plan.round_published": _("公布评分结果"),
        "plan.scenario_created": _("创建比选方案"),
        "plan.scenario_adopted": _("采用比选方案"),
        "plan.overridden": _("人工调整入选项目"),
        "plan.projects_created": _("生成项目"),
        "plan.package_accepted": _("确定连片改造片区"),
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


def model_versioned(*, actor, version, base):
    return record_event(
        actor=actor,
        verb="plan.model_versioned",
        target=version,
        summary=str(version),
        before={"version": base.version, "weights": indicator_weights(base.definition)},
        after={"version": version.version, "weights": indicator_weights(version.definition)},
    )


def indicator_weights(definition: dict) -> dict:
    return {row["key"]: row["weight"] for row in definition["indicators"]}


def manual_indicator_created(*, actor, indicator):
    return record_event(
        actor=actor,
        verb="plan.manual_indicator_created",
        target=indicator,
        summary=indicator.name_zh,
        after={"key": indicator.key},
    )


def manual_value_entered(*, actor, entry, before):
    return record_event(
        actor=actor,
        verb="plan.manual_value_entered",
        target=entry.compound,
        territory_path=entry.path,
        summary=entry.indicator.name_zh,
        before=before,
        after={"value": entry.value, "evidence": entry.evidence.name},
    )


def round_created(*, actor, scoring_round):
    return record_event(
        actor=actor,
        verb="plan.round_created",
        target=scoring_round,
        territory_path=scoring_round.path,
        summary=scoring_round.name,
        after={"model": str(scoring_round.model), "cost_per_m2": scoring_round.cost_per_m2},
    )


def round_scored(*, actor, scoring_round):
    return record_event(
        actor=actor,
        verb="plan.round_scored",
        target=scoring_round,
        territory_path=scoring_round.path,
        summary=scoring_round.name,
        after={"candidates": scoring_round.candidate_count},
    )


def round_published(*, actor, scoring_round):
    return record_event(
        actor=actor,
        verb="plan.round_published",
        target=scoring_round,
        territory_path=scoring_round.path,
        summary=scoring_round.name,
        after={"status": scoring_round.status},
    )


def scenario_created(*, actor, scenario):
    return record_event(
        actor=actor,
        verb="plan.scenario_created",
        target=scenario,
        territory_path=scenario.round.path,
        summary=scenario.name,
        after={
            "total_budget": scenario.total_budget,
            "caps": scenario.caps,
            "weights": scenario.weights,
        },
    )


def scenario_adopted(*, actor, annual_plan, scenario, selected):
    return record_event(
        actor=actor,
        verb="plan.scenario_adopted",
        target=annual_plan,
        territory_path=annual_plan.territory_path,
        summary=scenario.name,
        after={"scenario": scenario.pk, "selected": selected},
    )


def overridden(*, actor, override):
    return record_event(
        actor=actor,
        verb="plan.overridden",
        target=override.annual_plan,
        territory_path=override.compound.path,
        summary=f"{override.get_action_display()} {override.compound.name}",
        before={"objective": override.objective_before},
        after={
            "action": override.action,
            "compound": override.compound_id,
            "reason": override.reason,
            "objective": override.objective_after,
            "added": override.added,
            "dropped": override.dropped,
        },
    )


def projects_created(*, actor, annual_plan, codes):
    return record_event(
        actor=actor,
        verb="plan.projects_created",
        target=annual_plan,
        territory_path=annual_plan.territory_path,
        summary=str(annual_plan.year),
        after={"projects": codes},
    )


def package_accepted(*, actor, package, compounds):
    return record_event(
        actor=actor,
        verb="plan.package_accepted",
        target=package,
        territory_path=package.path,
        summary=package.name,
        after={"level": package.level, "compounds": [compound.code for compound in compounds]},
    )
