"""The stewardship hub of a compound: its management scheme and budget lines, its joint
governance meetings and tasks, and the coverage and problem-report panels of the other
chapters; and the list of the viewer's compounds with their scheme status.

Fetched through the territory's scope: another district's compound answers 404; a property
company sees the compounds assigned to it (read-only, the keepers write).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.views.decorators.http import require_GET

from anju.core.calendar import today
from anju.core.decorators import staff_required
from anju.territory.selectors import get_compound

from .. import rules
from ..selectors import governance
from ..selectors import schemes as selectors

PAGE_SIZE = 50
# The other chapters' panels, each included once its template exists (stew-coverage and
# stew-report-pages write them; context: `compound`, `scope`).
PANELS = ("stewardship/_coverage_panel.html", "stewardship/_reports_panel.html")


def _panels() -> list[str]:
    present = []
    for name in PANELS:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        present.append(name)
    return present


@staff_required
@require_GET
def compound_list(request):
    search = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    status = status if status in selectors.SCHEME_STATUSES else ""
    compounds = selectors.hub_compounds(request.scope, search=search, status=status)
    page = Paginator(compounds, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "search": search,
        "status": status,
        "year": today().year,
        "query": query.urlencode(),
        "may_see_upkeep": rules.may_see_upkeep(request.scope),
    }
    return render(request, "stewardship/compound_list.html", context)


@staff_required
@require_GET
def compound(request, code):
    scope = request.scope
    compound = get_compound(scope, code)
    scheme = selectors.scheme_of(compound)
    context = {
        "compound": compound,
        "scope": scope,
        "scheme": scheme,
        "budget_lines": selectors.budget_lines_of(scheme),
        "may_keep": rules.may_save_management_scheme(scope, compound),
        "may_record_meeting": rules.may_record_meeting(scope, compound),
        "meetings": governance.meetings_of(compound)[:20],
        "overdue_tasks": governance.overdue_tasks_of(compound),
        "today": today(),
        "panels": _panels(),
    }
    return render(request, "stewardship/compound.html", context)
