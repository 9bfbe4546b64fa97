"""The residents' side of planning: why their compound ranks where it does.

A household session sees its own compound's line of the newest published round, with each
indicator's value and points and the engine's sentences, and whether the compound is in the
approved annual plan or why not, in plain words about its own compound only
(`SelectionReason.plain`). Draft rounds and draft selections are never shown.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from anju.access.views.portal import resident_required
from anju.territory import selectors as territory

from . import selectors


@never_cache
@resident_required
@require_GET
def compound_score(request):
    household = territory.get_household(request.scope, request.scope.household_id)
    entry = selectors.latest_published_entry(household.compound_id)
    context = {
        "compound": household.compound,
        "entry": entry,
        "project": selectors.approved_project_of(household.compound_id),
    }
    if entry is not None:
        language = "en" if (get_language() or "").startswith("en") else "zh"
        context.update(selectors.breakdown(entry, language))
        context["round"] = entry.round
        context["selection"] = selectors.selection_reasons(
            entry.round, request.scope, compound_ids=[household.compound_id]
        ).get(household.compound_id)
    return render(request, "planning/portal/score.html", context)
