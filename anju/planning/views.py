"""Workbench pages of planning, mounted at /workbench/plans/.

Plans and rounds are city-wide: a district officer reads them with their own district's rows
only, and reports their district's budget; the city office writes plans, models, rounds and
scenarios, adopts, overrides and approves. Each page: parse, one scoped accessor
(`selectors.get_*`, 404 outside the territory), one service, render. A service's refusal on a
button (publish, adopt, advance) comes back as a message on the page it was pressed on.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.excel import XLSX_CONTENT_TYPE
from anju.core.forms import errors_on
from anju.core.params import id_list, optional_id
from anju.core.selectors import get_task_progress
from anju.territory import selectors as territory
from anju.territory.models import Node

from . import rounds, scenarios, selectors, services
from .exports import round_table_xlsx
from .forms import (
    AddIndicatorForm,
    AhpForm,
    AnnualPlanForm,
    BudgetForm,
    FiveYearPlanForm,
    ManualIndicatorForm,
    ManualValueForm,
    OverrideForm,
    RoundForm,
    ScenarioForm,
    TargetForm,
    WeightsForm,
)
from .models import AnnualPlanStatus
from .services import NEXT_STATUS

PAGE_SIZE = 50
SELECTED_SHOWN = 300
COMPARED_MAX = 4


def language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def city_office(request) -> bool:
    return request.scope.has_role("city_office")


def require_city_office(request) -> None:
    if not city_office(request):
        raise PermissionDenied(_("只有市改造办可以进行此操作。"))


def districts_in(scope, within: Node):
    """Districts of `within` that the viewer may act for."""
    return selectors.districts_under(within.path, scope)


def act(request, service, success: str, **kwargs) -> bool:
    """Run a button's service; a refusal becomes a message on the same page."""
    try:
        service(actor=request.user, scope=request.scope, **kwargs)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


# --- Plans ---------------------------------------------------------------------------------


@staff_required
@require_GET
def plan_index(request):
    scope = request.scope
    context = {
        "five_year_plans": selectors.five_year_plans(scope=scope).prefetch_related("annual_plans"),
        "rounds": selectors.rounds(scope=scope)[:20],
        "may_write": city_office(request),
    }
    return render(request, "planning/plan_index.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def five_year_create(request):
    require_city_office(request)
    form = FiveYearPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        node = territory.node_list(scope=request.scope).order_by("depth").first()
        with errors_on(form) as attempt:
            plan = services.create_five_year_plan(
                actor=request.user, scope=request.scope, node=node, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, _("已建立五年规划。"))
            return redirect("planning:five-year-detail", pk=plan.pk)
    status = 400 if form.errors else 200
    return render(
        request, "planning/form.html", {"form": form, "title": _("新建五年规划")}, status=status
    )


@staff_required
@require_http_methods(["GET", "POST"])
def five_year_detail(request, pk):
    scope = request.scope
    plan = selectors.get_five_year_plan(scope=scope, pk=pk)
    target_form = TargetForm(districts=districts_in(scope, plan.node))
    annual_form = AnnualPlanForm(initial={"year": plan.start_year})
    if request.method == "POST":
        require_city_office(request)
        if "year" in request.POST:
            annual_form = AnnualPlanForm(request.POST)
            if annual_form.is_valid():
                with errors_on(annual_form) as attempt:
                    annual = services.create_annual_plan(
                        actor=request.user,
                        scope=scope,
                        five_year_plan=plan,
                        **annual_form.cleaned_data,
                    )
                if attempt.succeeded:
                    messages.success(request, _("已建立年度计划。"))
                    return redirect("planning:annual-detail", pk=annual.pk)
        else:
            target_form = TargetForm(request.POST, districts=districts_in(scope, plan.node))
            if target_form.is_valid():
                data = dict(target_form.cleaned_data)
                district = data.pop("district")
                with errors_on(target_form) as attempt:
                    services.set_district_target(
                        actor=request.user, scope=scope, plan=plan, district=district, values=data
                    )
                if attempt.succeeded:
                    messages.success(request, _("已保存规划目标。"))
                    return redirect("planning:five-year-detail", pk=plan.pk)
    context = {
        "plan": plan,
        "progress": selectors.five_year_progress(plan, scope),
        "annual_plans": plan.annual_plans.all(),
        "target_form": target_form,
        "annual_form": annual_form,
        "may_write": city_office(request),
    }
    status = 400 if target_form.errors or annual_form.errors else 200
    return render(request, "planning/five_year_detail.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def annual_detail(request, pk):
    scope = request.scope
    plan = selectors.get_annual_plan(scope=scope, pk=pk)
    node = plan.five_year_plan.node
    budget_form = BudgetForm(districts=districts_in(scope, node))
    override_form = OverrideForm(
        initial={key: request.GET[key] for key in ("compound", "action") if key in request.GET}
    )
    if request.method == "POST":
        if "action" in request.POST:
            require_city_office(request)
            override_form = OverrideForm(request.POST)
            if override_form.is_valid():
                data = override_form.cleaned_data
                compound = (
                    territory.compound_list(scope=scope).filter(code=data["compound"]).first()
                )
                if compound is None:
                    override_form.add_error("compound", _("找不到该小区，或不在您的辖区内。"))
                else:
                    with errors_on(override_form) as attempt:
                        override = scenarios.override_selection(
                            actor=request.user,
                            scope=scope,
                            annual_plan=plan,
                            compound=compound,
                            action=data["action"],
                            reason=data["reason"],
                        )
                    if attempt.succeeded:
                        messages.success(
                            request,
                            _("已调整，放弃评分 %(points).2f 分。")
                            % {"points": override.score_given_up},
                        )
                        return redirect("planning:annual-detail", pk=plan.pk)
        else:
            budget_form = BudgetForm(request.POST, districts=districts_in(scope, node))
            if budget_form.is_valid():
                with errors_on(budget_form) as attempt:
                    services.set_district_budget(
                        actor=request.user,
                        scope=scope,
                        annual_plan=plan,
                        **budget_form.cleaned_data,
                    )
                if attempt.succeeded:
                    messages.success(request, _("已保存区级预算。"))
                    return redirect("planning:annual-detail", pk=plan.pk)
    chosen = selectors.selections(plan, scope)
    context = {
        "plan": plan,
        "statuses": AnnualPlanStatus,
        "next_status": NEXT_STATUS.get(plan.status),
        "budgets": selectors.district_budgets(plan, scope),
        "missing": services.missing_district_reports(plan),
        "totals": selectors.selection_totals(plan, scope),
        "selected": chosen[:SELECTED_SHOWN],
        "selected_count": chosen.count(),
        "overrides": selectors.overrides(plan, scope),
        "projects": selectors.projects(plan, scope),
        "carry_overs": selectors.carry_overs(plan, scope),
        "rounds": selectors.rounds(scope=scope).filter(annual_plan=plan),
        "budget_form": budget_form,
        "override_form": override_form,
        "override_prefilled": "compound" in request.GET,
        "may_write": city_office(request),
        "may_report": scope.has_role("city_office", "district_task_force"),
    }
    status = 400 if budget_form.errors or override_form.errors else 200
    return render(request, "planning/annual_detail.html", context, status=status)


def confirmed(request) -> bool:
    return request.POST.get("confirm") == "yes"


@staff_required
@require_http_methods(["GET", "POST"])
def annual_advance(request, pk):
    """POST advances the plan; GET is the confirmation page of the approval (which freezes
    the plan and creates its Projects), saying what will happen."""
    plan = selectors.get_annual_plan(scope=request.scope, pk=pk)
    if request.method == "GET":
        require_city_office(request)
        if NEXT_STATUS.get(plan.status) != AnnualPlanStatus.APPROVED:
            return redirect("planning:annual-detail", pk=plan.pk)
        context = {
            "title": _("批准%(year)s年度计划") % {"year": plan.year},
            "consequences": services.approval_consequences(plan),
            "action": reverse("planning:annual-advance", args=[plan.pk]),
            "hidden": {"to_status": AnnualPlanStatus.APPROVED},
            "button": _("确认批准并生成项目"),
            "back": reverse("planning:annual-detail", args=[plan.pk]),
        }
        return render(request, "planning/confirm.html", context)
    act(
        request,
        services.advance_annual_plan,
        _("年度计划状态已更新。"),
        annual_plan=plan,
        to_status=request.POST.get("to_status", ""),
        confirmed=confirmed(request),
    )
    return redirect("planning:annual-detail", pk=plan.pk)


# --- Rounds --------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def round_create(request, pk):
    require_city_office(request)
    plan = selectors.get_annual_plan(scope=request.scope, pk=pk)
    rounds.default_model_version()
    options = {
        "nodes": selectors.scoring_territories(plan),
        "models": selectors.model_versions(),
    }
    initial = {
        "name": _("%(year)s年度老旧小区改造竞争性生成") % {"year": plan.year},
        "node": plan.five_year_plan.node,
        "model": selectors.model_versions().first(),
    }
    form = RoundForm(request.POST or None, initial=initial, **options)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            scoring_round = rounds.create_round(
                actor=request.user, scope=request.scope, annual_plan=plan, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, _("已建立评分轮次，请点击“评分”。"))
            return redirect("planning:round-detail", pk=scoring_round.pk)
    title = _("新建评分轮次")
    status = 400 if form.errors else 200
    return render(request, "planning/form.html", {"form": form, "title": title}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def round_detail(request, pk):
    scope = request.scope
    scoring_round = selectors.get_round(scope=scope, pk=pk)
    model = scoring_round.model.engine_model()
    plan = scoring_round.annual_plan
    reported = scenarios.reported_caps(plan)
    district_nodes = selectors.districts_under(scoring_round.path)
    district_rows = [(district, reported.get(str(district.pk), {})) for district in district_nodes]
    form = ScenarioForm(
        request.POST or None,
        indicators=model.indicators,
        districts=district_rows,
        initial={
            "total_budget": plan.total_budget,
            "name": _("方案%(n)s") % {"n": scoring_round.scenarios.count() + 1},
        },
    )
    if request.method == "POST":
        require_city_office(request)
        if form.is_valid():
            with errors_on(form) as attempt:
                scenario = scenarios.create_scenario(
                    actor=request.user,
                    scope=scope,
                    scoring_round=scoring_round,
                    name=form.cleaned_data["name"],
                    total_budget=form.cleaned_data["total_budget"],
                    caps=form.caps(reported),
                    weights=form.weights(),
                    time_limit=form.cleaned_data["time_limit"] or 10,
                )
            if attempt.succeeded:
                messages.success(request, _("方案已提交后台求解。"))
                return redirect("planning:scenario-detail", pk=scenario.pk)
    entries = selectors.round_entries(scoring_round, scope)
    district = request.GET.get("district", "")
    district_id = optional_id(district, name="district")
    if district_id is not None:
        entries = entries.filter(district_id=district_id)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    reasons = selectors.selection_reasons(
        scoring_round, scope, compound_ids=[entry.compound_id for entry in page]
    )
    context = {
        "round": scoring_round,
        "model": model,
        "page": page,
        "rows": [(entry, reasons.get(entry.compound_id)) for entry in page],
        "districts": district_nodes.filter(scope.path_q("path")),
        "district": district,
        "scenarios": selectors.scenarios(scoring_round, scope),
        "form": form,
        "may_write": city_office(request),
    }
    return render(
        request, "planning/round_detail.html", context, status=400 if form.errors else 200
    )


@staff_required
@require_POST
def round_score(request, pk):
    scoring_round = selectors.get_round(scope=request.scope, pk=pk)
    act(request, rounds.score_round, _("评分完成。"), scoring_round=scoring_round)
    return redirect("planning:round-detail", pk=scoring_round.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def round_publish(request, pk):
    """POST publishes the round; GET is its confirmation page (publishing freezes it)."""
    scoring_round = selectors.get_round(scope=request.scope, pk=pk)
    if request.method == "GET":
        require_city_office(request)
        if scoring_round.is_published or not scoring_round.scored_at:
            return redirect("planning:round-detail", pk=scoring_round.pk)
        context = {
            "title": _("公布%(name)s") % {"name": scoring_round.name},
            "consequences": rounds.publishing_consequences(scoring_round),
            "action": reverse("planning:round-publish", args=[scoring_round.pk]),
            "hidden": {},
            "button": _("确认公布并冻结"),
            "back": reverse("planning:round-detail", args=[scoring_round.pk]),
        }
        return render(request, "planning/confirm.html", context)
    act(
        request,
        rounds.publish_round,
        _("评分结果已公布，本轮已冻结。"),
        scoring_round=scoring_round,
        confirmed=confirmed(request),
    )
    return redirect("planning:round-detail", pk=scoring_round.pk)


@staff_required
@require_GET
def round_export(request, pk):
    """The round's table (the viewer's rows) as .xlsx, for the public notice."""
    scoring_round = selectors.get_round(scope=request.scope, pk=pk)
    data = round_table_xlsx(scoring_round, request.scope, language())
    filename = _("评分表-%(name)s.xlsx") % {"name": scoring_round.name}
    return HttpResponse(
        data,
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@staff_required
@require_GET
def round_entry(request, pk, compound_id):
    scoring_round = selectors.get_round(scope=request.scope, pk=pk)
    entry = selectors.get_round_entry(scoring_round, request.scope, compound_id)
    plan = scoring_round.annual_plan
    reason = selectors.selection_reasons(
        scoring_round, request.scope, compound_ids=[entry.compound_id]
    )[entry.compound_id]
    context = {
        "round": scoring_round,
        "entry": entry,
        "may_override": city_office(request)
        and plan.adopted_scenario_id is not None
        and not plan.is_frozen,
        "selection": reason,
        "is_selected": reason.is_selected,
        **selectors.breakdown(entry, language()),
    }
    return render(request, "planning/round_entry.html", context)


@staff_required
@require_GET
def round_compare(request, pk):
    """Scenarios of one round side by side, and which compounds each one selects."""
    scoring_round = selectors.get_round(scope=request.scope, pk=pk)
    chosen_ids = id_list(request.GET.getlist("s"), name="s", limit=COMPARED_MAX)
    compared = [
        scenario
        for scenario in selectors.scenarios(scoring_round, request.scope).filter(pk__in=chosen_ids)
        if scenario.result and scenario.result.get("selected") is not None
    ]
    selected_sets = [set(scenario.selected_ids) for scenario in compared]
    in_any = set().union(*selected_sets) if selected_sets else set()
    differing = sorted(key for key in in_any if not all(key in chosen for chosen in selected_sets))
    names = {
        compound_id: {"name": name, "code": code, "district": district}
        for compound_id, name, code, district in selectors.round_entries(
            scoring_round, request.scope
        )
        .filter(compound_id__in=[int(key) for key in differing if key.isdigit()])
        .values_list("compound_id", "compound__name", "compound__code", "district__name")
    }
    rows = [
        {**names[int(key)], "marks": [key in chosen for chosen in selected_sets]}
        for key in differing
        if key.isdigit() and int(key) in names
    ]
    district_names = sorted(
        {
            row["name"]
            for scenario in compared
            for row in scenario.result.get("by_district", {}).values()
        }
    )
    by_district = [
        {
            "name": name,
            "cells": [
                next(
                    (row for row in scenario.result["by_district"].values() if row["name"] == name),
                    None,
                )
                for scenario in compared
            ],
        }
        for name in district_names
    ]
    context = {
        "round": scoring_round,
        "compared": compared,
        "rows": rows,
        "by_district": by_district,
        "scenarios": selectors.scenarios(scoring_round, request.scope),
    }
    return render(request, "planning/round_compare.html", context)


# --- Scenarios -----------------------------------------------------------------------------


@staff_required
@require_GET
def scenario_detail(request, pk):
    scenario = selectors.get_scenario(scope=request.scope, pk=pk)
    result = scenario.result or {}
    selected = [int(key) for key in result.get("selected", []) if key.isdigit()]
    entries = (
        selectors.round_entries(scenario.round, request.scope)
        .filter(compound_id__in=selected)
        .order_by("rank", "compound_id")
    )
    objective = result.get("objective") or 0
    baselines = [
        {
            "name": name,
            **row,
            "percent": 100 * row["objective"] / objective if objective else None,
        }
        for name, row in result.get("baselines", {}).items()
    ]
    context = {
        "scenario": scenario,
        "round": scenario.round,
        "result": result,
        "explanation": result.get("explanation_en" if language() == "en" else "explanation", []),
        "baselines": baselines,
        "entries": entries[:SELECTED_SHOWN],
        "selected_count": len(selected),
        "job": get_task_progress(request.scope, request.user, scenario.job_id)
        if scenario.job_id
        else None,
        "may_adopt": scenario.round.is_published and not scenario.round.annual_plan.is_frozen,
        "is_adopted": scenario.round.annual_plan.adopted_scenario_id == scenario.pk,
    }
    return render(request, "planning/scenario_detail.html", context)


@staff_required
@require_POST
def scenario_adopt(request, pk):
    scenario = selectors.get_scenario(scope=request.scope, pk=pk)
    if act(request, scenarios.adopt_scenario, _("已采用为年度计划草案。"), scenario=scenario):
        return redirect("planning:annual-detail", pk=scenario.round.annual_plan_id)
    return redirect("planning:scenario-detail", pk=scenario.pk)


# --- Scoring models and manual indicators --------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def model_list(request):
    rounds.default_model_version()
    form = ManualIndicatorForm(request.POST or None)
    if request.method == "POST":
        require_city_office(request)
        if form.is_valid():
            with errors_on(form) as attempt:
                indicator = rounds.create_manual_indicator(
                    actor=request.user, scope=request.scope, **form.cleaned_data
                )
            if attempt.succeeded:
                messages.success(request, _("已新增人工指标。"))
                return redirect("planning:manual-detail", pk=indicator.pk)
    context = {
        "versions": selectors.model_versions(),
        "manual": selectors.manual_indicators(),
        "form": form,
        "may_write": city_office(request),
    }
    return render(request, "planning/model_list.html", context, status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def model_detail(request, pk):
    version = selectors.get_model_version(pk)
    model = version.engine_model()
    weights_form = WeightsForm(indicators=model.indicators, prefix="w")
    ahp_form = AhpForm(prefix="ahp")
    add_form = AddIndicatorForm(prefix="add", indicators=selectors.manual_indicators_outside(model))
    if request.method == "POST":
        require_city_office(request)
        kind = request.POST.get("kind")
        form, call = None, None
        if kind == "weights":
            form = weights_form = WeightsForm(request.POST, indicators=model.indicators, prefix="w")
            call = lambda data: rounds.weigh_by_typed_weights(  # noqa: E731
                actor=request.user,
                scope=request.scope,
                base=version,
                weights=form.weights(),
                note=data["note"],
            )
        elif kind == "ahp":
            form = ahp_form = AhpForm(request.POST, prefix="ahp")
            call = lambda data: rounds.weigh_by_ahp(  # noqa: E731
                actor=request.user,
                scope=request.scope,
                base=version,
                matrix=data["matrix"],
                method=data["method"],
                note=data["note"],
            )
        elif kind == "add":
            form = add_form = AddIndicatorForm(
                request.POST,
                prefix="add",
                indicators=selectors.manual_indicators_outside(model),
            )
            call = lambda data: rounds.add_manual_indicator_to_model(  # noqa: E731
                actor=request.user, scope=request.scope, base=version, **data
            )
        if form is not None and form.is_valid():
            with errors_on(form) as attempt:
                new = call(form.cleaned_data)
            if attempt.succeeded:
                messages.success(request, _("已发布新版本 v%(v)s。") % {"v": new.version})
                return redirect("planning:model-detail", pk=new.pk)
    criteria = {criterion.key: criterion.name(language()) for criterion in model.criteria}
    points = model.weights * 100
    indicators = [
        {
            "indicator": indicator,
            "criterion": criteria.get(indicator.criterion, ""),
            "points": points[k],
        }
        for k, indicator in enumerate(model.indicators)
    ]
    failed = any(f.errors for f in (weights_form, ahp_form, add_form))
    context = {
        "version": version,
        "model": model,
        "indicators": indicators,
        "weights_form": weights_form,
        "ahp_form": ahp_form,
        "add_form": add_form,
        "newer": selectors.has_newer_version(version),
        "may_write": city_office(request),
    }
    return render(request, "planning/model_detail.html", context, status=400 if failed else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def manual_detail(request, pk):
    indicator = selectors.get_manual_indicator(pk)
    scope = request.scope
    form = ManualValueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        compound = territory.compound_list(scope=scope).filter(code=data["compound"]).first()
        if compound is None:
            form.add_error("compound", _("找不到该小区，或不在您的辖区内。"))
        else:
            with errors_on(form) as attempt:
                rounds.enter_manual_value(
                    actor=request.user,
                    scope=scope,
                    indicator=indicator,
                    compound=compound,
                    value=data["value"],
                    evidence=data["evidence"],
                    note=data["note"],
                )
            if attempt.succeeded:
                messages.success(request, _("已填报。"))
                return redirect("planning:manual-detail", pk=indicator.pk)
    values = (
        indicator.values.filter(scope.path_q("path", "compound_id"))
        .select_related("compound", "entered_by")
        .order_by("path")
    )
    page = Paginator(values, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "indicator": indicator,
        "page": page,
        "form": form,
        "may_enter": scope.has_role(*rounds.MANUAL_VALUE_ROLES),
        "action": reverse("planning:manual-detail", args=[indicator.pk]),
    }
    return render(
        request, "planning/manual_detail.html", context, status=400 if form.errors else 200
    )


@staff_required
@require_GET
def manual_evidence(request, pk):
    """The evidence behind one manual value, to staff whose territory holds the compound."""
    value = selectors.get_manual_value(scope=request.scope, pk=pk)
    name = value.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(value.evidence.open("rb"), as_attachment=True, filename=name)
