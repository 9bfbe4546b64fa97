"""The residents' side of cost sharing (/portal/funding/): the signed-in household's own
amount per item and how it was computed — the method, its weight against the total weight of
the benefiting households, the exact share before rounding and whether it received one of the
leftover fens. Everything is found through the household: another household's line answers the
same 404 as a missing one, and no other household's data is shown."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from anju.access.portal_cards import PortalCard
from anju.access.views.portal import resident_required
from anju.territory import selectors as territory

from ..selectors import sharing as selectors
from ..templatetags.funding_sharing import fen_yuan


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


def home_cards(household, day) -> list[PortalCard]:
    """The portal home's card (`anju.access.portal_cards`): what the household is asked to pay
    under "who benefits pays", once an item has been shared among the households."""
    lines = list(selectors.contributions_of_household(household))
    if not lines:
        return []
    total = sum((line.amount for line in lines), Decimal("0.00"))
    text = ngettext(
        "按“谁受益、谁出资”，您家分摊 %(n)s 项改造费用，共 %(total)s，每一项怎么算的都能看到。",
        "按“谁受益、谁出资”，您家分摊 %(n)s 项改造费用，共 %(total)s，每一项怎么算的都能看到。",
        len(lines),
    ) % {"n": len(lines), "total": fen_yuan(total)}
    return [
        PortalCard(
            key="my-contribution",
            title=_("我家出资"),
            text=text,
            url=reverse("funding-portal:share"),
            action=_("查看我家出资"),
        )
    ]
