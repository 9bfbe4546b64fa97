"""Workbench pages of plan versions: a version's items, totals and answers to the residents'
needs; creating a version; the project's workshops and management schemes; marking the plan
ready. Everything is fetched through `selectors.plans` (404 outside the viewer's scope); the
services check who may draw the plan. A refused change comes back on its form with the
refusal's status: 400 for bad input, 409 for a version no longer editable.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anju.catalogue.models import CatalogueItem
from anju.core.decorators import staff_required
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.forms import add_domain_error
from anju.stewardship import services as stewardship
from anju.territory.models import Compound

from .. import rules
from ..forms import (
    ManagementSchemeForm,
    NeedAnswerForm,
    PlanItemChangeForm,
    PlanItemForm,
    PlanVersionForm,
    WorkshopForm,
)
from ..selectors import plans as selectors
from ..selectors.projects import get_project
from ..services import plans as services


class attempt:
    """`with attempt(form) as outcome:` a service call whose refusal lands on the form and
    whose status (400 or 409) the page answers with; 404 and 403 pass through."""

    def __init__(self, form):
        self.form = form
        self.status = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if isinstance(exc, DomainError) and not isinstance(exc, NotFound | PermissionDenied):
            add_domain_error(self.form, exc)
            self.status = exc.status
            return True
        return False

    @property
    def succeeded(self) -> bool:
        return self.status is None


def version_context(request, version, *, item_form=None, need_form=None) -> dict:
    project = version.project
    may_edit = version.is_editable and rules.may_draw_plan(request.scope, project)
    answers = selectors.need_answers(version)
    return {
        "project": project,
        "version": version,
        "items": selectors.plan_items(version),
        "totals": selectors.plan_totals(version),
        "needs": selectors.needs_by_compound(answers),
        "may_edit": may_edit,
        "item_form": item_form or PlanItemForm(compounds=project.compounds.order_by("code")),
        "need_form": need_form,
        "readiness": selectors.readiness_for_notice(version) if version.is_editable else [],
    }


@staff_required
@require_http_methods(["GET"])
def plan_version_detail(request, pk):
    version = selectors.get_plan_version(request.scope, pk)
    return render(request, "design/plan_version.html", version_context(request, version))


@staff_required
@require_POST
def plan_version_create(request, pk):
    project = get_project(request.scope, pk)
    form = PlanVersionForm(request.POST)
    outcome = attempt(form)
    if form.is_valid():
        with outcome:
            version = services.create_plan_version(
                actor=request.user, scope=request.scope, project=project, **form.cleaned_data
            )
        if outcome.succeeded:
            messages.success(request, _("已新建第%(number)d版方案。") % {"number": version.number})
            return redirect("design:plan-version-detail", pk=version.pk)
    context = {"project": project, "form": form, "title": _("新建方案版本")}
    return render(request, "design/plan_form.html", context, status=outcome.status or 400)


@staff_required
@require_POST
def plan_item_add(request, pk):
    version = selectors.get_plan_version(request.scope, pk)
    form = PlanItemForm(request.POST, compounds=version.project.compounds.order_by("code"))
    outcome = attempt(form)
    if form.is_valid():
        with outcome:
            services.add_plan_item(
                actor=request.user, scope=request.scope, version=version, **form.cleaned_data
            )
        if outcome.succeeded:
            return redirect("design:plan-version-detail", pk=version.pk)
    context = version_context(request, version, item_form=form)
    return render(request, "design/plan_version.html", context, status=outcome.status or 400)


@staff_required
@require_http_methods(["GET", "POST"])
def plan_item_edit(request, pk):
    line = selectors.get_plan_item(request.scope, pk)
    initial = {
        "quantity": line.quantity,
        "payer": line.payer,
        "unit_price": line.unit_price,
        "note": line.note,
    }
    form = PlanItemChangeForm(
        request.POST or None, initial=initial, compounds=Compound.objects.none()
    )
    outcome = attempt(form)
    if request.method == "POST" and form.is_valid():
        with outcome:
            services.change_plan_item(
                actor=request.user, scope=request.scope, plan_item=line, **form.cleaned_data
            )
        if outcome.succeeded:
            return redirect("design:plan-version-detail", pk=line.version_id)
    status = (outcome.status or 400) if request.method == "POST" else 200
    return render(
        request, "design/plan_item_form.html", {"line": line, "form": form}, status=status
    )


@staff_required
@require_POST
def plan_item_delete(request, pk):
    line = selectors.get_plan_item(request.scope, pk)
    services.remove_plan_item(actor=request.user, scope=request.scope, plan_item=line)
    return redirect("design:plan-version-detail", pk=line.version_id)


@staff_required
@require_POST
def plan_need_answer(request, pk):
    version = selectors.get_plan_version(request.scope, pk)
    form = NeedAnswerForm(request.POST)
    outcome = attempt(form)
    if form.is_valid():
        compound = version.project.compounds.filter(pk=form.cleaned_data["compound"]).first()
        item = CatalogueItem.objects.filter(pk=form.cleaned_data["item"]).first()
        if compound is None or item is None:
            form.add_error(None, _("不是该小区居民提出较多的需求。"))
        else:
            with outcome:
                services.answer_need(
                    actor=request.user,
                    scope=request.scope,
                    version=version,
                    compound=compound,
                    item=item,
                    reason=form.cleaned_data["reason"],
                )
            if outcome.succeeded:
                return redirect("design:plan-version-detail", pk=version.pk)
    context = version_context(request, version, need_form=form)
    return render(request, "design/plan_version.html", context, status=outcome.status or 400)


@staff_required
@require_POST
def plan_workshop_add(request, pk):
    project = get_project(request.scope, pk)
    form = WorkshopForm(request.POST)
    outcome = attempt(form)
    if form.is_valid():
        with outcome:
            services.record_workshop(
                actor=request.user, scope=request.scope, project=project, **form.cleaned_data
            )
        if outcome.succeeded:
            messages.success(request, _("已记录共商会。"))
            return redirect("design:project-detail", pk=project.pk)
    context = {"project": project, "form": form, "title": _("记录共商会")}
    return render(request, "design/plan_form.html", context, status=outcome.status or 400)


@staff_required
@require_POST
def plan_scheme_save(request, pk):
    project = get_project(request.scope, pk)
    form = ManagementSchemeForm(request.POST, compounds=project.compounds.order_by("code"))
    outcome = attempt(form)
    if form.is_valid():
        with outcome:
            stewardship.save_management_scheme(
                actor=request.user, scope=request.scope, **form.cleaned_data
            )
        if outcome.succeeded:
            messages.success(request, _("已保存长效管理方案。"))
            return redirect("design:project-detail", pk=project.pk)
    context = {"project": project, "form": form, "title": _("长效管理方案")}
    return render(request, "design/plan_form.html", context, status=outcome.status or 400)


@staff_required
@require_POST
def plan_mark_ready(request, pk):
    project = get_project(request.scope, pk)
    services.mark_plan_ready(actor=request.user, scope=request.scope, project=project)
    messages.success(request, _("方案编制完成，项目进入“一小区一方案”阶段。"))
    return redirect("design:project-detail", pk=project.pk)
