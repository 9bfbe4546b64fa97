"""The residents' side of cost sharing (/portal/funding/): the signed-in household's own
amount per item and how it was computed — the method, its weight against the total weight of
the benefiting households, the exact share before rounding and whether it received one of the
leftover fens. Everything is found through the household: another household's line answers the
same 404 as a missing one, and no other household's data is shown."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from anju.access.views.portal import resident_required
from anju.territory import selectors as territory

from ..selectors import sharing as selectors


def _household(request):
    return territory.get_household(request.scope, request.scope.household_id)


@never_cache
@resident_required
@require_GET
def my_share(request):
    household = _household(request)
    lines = list(selectors.contributions_of_household(household))
    return render(
        request,
        "funding/portal_share.html",
        {
            "household": household,
            "lines": lines,
            "total": sum((line.amount for line in lines), Decimal("0.00")),
        },
    )


@never_cache
@resident_required
@require_GET
def my_contribution(request, pk):
    household = _household(request)
    line = selectors.get_own_contribution(household, pk)
    return render(
        request,
        "funding/portal_share_detail.html",
        {"household": household, "line": line, "how": selectors.explain(line)},
    )
