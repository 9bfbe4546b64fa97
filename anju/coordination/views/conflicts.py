"""Workbench pages of dig-once conflicts: per plan and district with a map, one conflict with
its decision, and the weekly list of what is still open in each district.

Conflicts belong to the compound's territory: another district's answers 404. Detection and
decisions are the services' (`conflicts.detect`, `conflicts.resolve`)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from anju.core.audit import events_for
from anju.core.decorators import staff_required
from anju.core.forms import errors_on

from .. import conflicts
from ..forms import DetectForm, ResolveForm
from ..models import ConflictRelation, ConflictStatus

PAGE_SIZE = 50
DETECTED = _lazy(
    "排查完成：%(compounds)s 个小区、%(works)s 项工程，发现 %(pairs)s 处冲突（新增 %(new)s）。"
)
MAP_LIMIT = 3000


def compound_feature(compound, count: int = 0) -> dict:
    return {
        "name": compound.name,
        "lon": compound.longitude,
        "lat": compound.latitude,
        "boundary": compound.boundary,
        "conflicts": count,
    }


def work_feature(work, relation: str) -> dict:
    return {
        "name": str(work),
        "kind": work.get_kind_display(),
        "geometry": work.geometry,
        "relation": relation,
    }


def map_data(rows) -> dict:
    """Compounds and works of the listed conflicts, the worst relation per work."""
    severity = {"after": 3, "overlap": 2, "before": 1}
    compounds: dict[int, dict] = {}
    works: dict[int, dict] = {}
    for conflict in rows[:MAP_LIMIT]:
        entry = compounds.setdefault(conflict.compound_id, compound_feature(conflict.compound))
        entry["conflicts"] += 1
        current = works.get(conflict.work_id)
        if current is None or severity[conflict.relation] > severity[current["relation"]]:
            works[conflict.work_id] = work_feature(conflict.work, conflict.relation)
    return {
        "outlines": conflicts.district_outlines(c.path for c in rows[:MAP_LIMIT]),
        "compounds": list(compounds.values()),
        "works": [w for w in works.values() if w["geometry"]],
    }


@staff_required
@require_http_methods(["GET", "POST"])
def conflict_list(request):
    scope = request.scope
    plans = list(conflicts.plans_with_work(scope=scope))
    chosen = request.GET.get("plan", "")
    plan = next((p for p in plans if str(p.pk) == chosen), plans[0] if plans else None)
    form = DetectForm(request.POST or None)
    if request.method == "POST" and plan is not None and form.is_valid():
        with errors_on(form) as attempt:
            summary = conflicts.detect(
                actor=request.user, scope=scope, annual_plan=plan, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, DETECTED % summary)
            return redirect(reverse("coordination:conflict-list") + f"?plan={plan.pk}")
    rows = conflicts.conflict_list(scope=scope).filter(annual_plan=plan) if plan else None
    filters = {
        "relation": request.GET.get("relation", ""),
        "status": request.GET.get("status", ""),
        "district": request.GET.get("district", ""),
    }
    districts = conflicts.districts_in(scope)
    if rows is not None:
        if filters["district"] in {d.code for d in districts}:
            rows = rows.filter(
                path__startswith=next(d.path for d in districts if d.code == filters["district"])
            )
        counts = conflicts.relation_counts(rows.filter(is_current=True))
        if filters["relation"] in ConflictRelation.values:
            rows = rows.filter(relation=filters["relation"])
        if filters["status"] in ConflictStatus.values:
            rows = rows.filter(status=filters["status"])
        rows = rows.order_by("status", "path", "distance_m")
    else:
        counts = {}
    page = Paginator(rows if rows is not None else [], PAGE_SIZE).get_page(request.GET.get("page"))
    projects = conflicts.project_codes(plan, [c.compound_id for c in page]) if plan else {}
    for conflict in page:
        conflict.project_code = projects.get(conflict.compound_id, "")
    context = {
        "plans": plans,
        "plan": plan,
        "page": page,
        "counts": counts,
        "filters": filters,
        "relations": ConflictRelation.choices,
        "districts": districts,
        "statuses": ConflictStatus.choices,
        "form": form,
        "may_detect": scope.has_role(*conflicts.DETECTING_ROLES),
        "map": json.dumps(map_data(rows) if rows is not None else {}, ensure_ascii=False),
    }
    status = 400 if form.errors else 200
    return render(request, "coordination/conflicts_list.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def conflict_detail(request, pk):
    conflict = conflicts.get_conflict(scope=request.scope, pk=pk)
    form = ResolveForm(
        request.POST or None,
        initial={
            "status": ConflictStatus.DECLINED
            if conflict.status == ConflictStatus.DECLINED
            else ConflictStatus.JOINT,
            "joint_starts_on": conflict.joint_starts_on,
            "joint_ends_on": conflict.joint_ends_on,
            "note": conflict.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            conflicts.resolve(
                actor=request.user, scope=request.scope, conflict=conflict, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, _("已记录协调结果。"))
            return redirect("coordination:conflict-detail", pk=conflict.pk)
    data = {
        "compounds": [compound_feature(conflict.compound, 1)],
        "works": [work_feature(conflict.work, conflict.relation)] if conflict.work.geometry else [],
    }
    context = {
        "conflict": conflict,
        "form": form,
        "may_resolve": request.scope.has_role(*conflicts.RESOLVING_ROLES),
        "events": events_for(conflict),
        "map": json.dumps(data, ensure_ascii=False),
    }
    return render(
        request, "coordination/conflicts_detail.html", context, status=400 if form.errors else 200
    )


@staff_required
@require_GET
def conflict_weekly(request):
    """What each district still has to settle: the list sent round every week."""
    scope = request.scope
    open_rows = (
        conflicts.conflict_list(scope=scope)
        .filter(status=ConflictStatus.OPEN, is_current=True)
        .order_by("detected_at", "path")
    )
    page = Paginator(open_rows, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    context = {"districts": conflicts.unresolved_by_district(scope=scope), "page": page}
    return render(request, "coordination/conflicts_weekly.html", context)


urlpatterns = [
    path("conflicts/", conflict_list, name="conflict-list"),
    path("conflicts/weekly/", conflict_weekly, name="conflict-weekly"),
    path("conflicts/<id:pk>/", conflict_detail, name="conflict-detail"),
]
