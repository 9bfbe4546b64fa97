"""Workbench pages of projects: the viewer's projects, one project's page (compounds, parties,
the chapters' partials, stage history, audit), assigning designers and planners, and the
links panel a compound's registry page loads.

Every page fetches through `selectors.projects` (404 outside the viewer's territory or
assignments); the assignment services check `rules.may_manage_project` themselves, a refusal
comes back on the form (400) or as 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anju.core.audit import events_for
from anju.core.decorators import staff_required
from anju.core.forms import errors_on
from anju.territory import selectors as territory
from anju.territory.models import Stage

from .. import rules
from ..forms import ProjectAssignForm
from ..selectors import projects as selectors
from ..services import projects as services

PAGE_SIZE = 50


def _year(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) == 4 else None


@staff_required
@require_GET
def project_list(request):
    scope = request.scope
    filters = {
        "year": _year(request.GET.get("year", "")),
        "district": request.GET.get("district", "").strip()[:20],
        "stage": request.GET.get("stage", "") if request.GET.get("stage") in Stage.values else "",
    }
    projects = selectors.project_list(scope, **filters)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "stages": Stage.choices,
        "query": query.urlencode(),
        **selectors.project_filter_choices(scope),
    }
    return render(request, "design/project_list.html", context)


def detail_context(request, project, form=None) -> dict:
    scope = request.scope
    may_manage = rules.may_manage_project(scope, project)
    if may_manage and form is None:
        form = ProjectAssignForm(organisations=selectors.assignable_organisations())
    return {
        "project": project,
        "scope": scope,
        "compounds": selectors.project_compounds(scope, project),
        "assignments": selectors.assignments_of(project),
        "may_manage": may_manage,
        "assign_form": form if may_manage else None,
        "stage_history": selectors.stage_history(project),
        "events": events_for(project)[:50],
    }


@staff_required
@require_GET
def project_detail(request, pk):
    project = selectors.get_project(request.scope, pk)
    return render(request, "design/project_detail.html", detail_context(request, project))


@staff_required
@require_POST
def project_assign(request, pk):
    scope = request.scope
    project = selectors.get_project(scope, pk)
    form = ProjectAssignForm(request.POST, organisations=selectors.assignable_organisations())
    if form.is_valid():
        with errors_on(form) as attempt:
            assignment = services.assign_project(
                actor=request.user, scope=scope, project=project, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(
                request,
                _("已委托“%(organisation)s”担任%(role)s。")
                % {
                    "organisation": assignment.organisation.name,
                    "role": assignment.get_role_display(),
                },
            )
            return redirect("design:project-detail", pk=project.pk)
    context = detail_context(request, project, form)
    return render(request, "design/project_detail.html", context, status=400)


@staff_required
@require_POST
def project_unassign(request, pk, assignment_id):
    assignment = selectors.get_assignment(request.scope, pk, assignment_id)
    services.unassign_project(actor=request.user, scope=request.scope, assignment=assignment)
    messages.success(
        request,
        _("已取消“%(organisation)s”的委托。") % {"organisation": assignment.organisation.name},
    )
    return redirect("design:project-detail", pk=pk)


@staff_required
@require_GET
def compound_links(request, code: str):
    """The panel of a compound's page (loaded by htmx): its projects, scores, campaigns, votes
    and conflicts, only those the viewer may open. Territory cannot import these apps, so the
    compound page asks for this panel by URL name."""
    compound = territory.get_compound(request.scope, code)
    context = {
        "compound": compound,
        "links": selectors.compound_links(request.scope, compound),
    }
    return render(request, "design/_project_compound_links.html", context)
