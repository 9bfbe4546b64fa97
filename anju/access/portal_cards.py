"""Cards on a resident's portal home that apps above access contribute.

The portal home (`views.portal.portal_home`) belongs to access, but what a household has to do
next is known higher up: construction knows the compound's construction notice, whether the
household is a residents' representative at a joint acceptance or was drawn for the
satisfaction check; funding knows what the household is asked to pay. Access cannot import
them, so each app registers a card source in its `AppConfig.ready()` (`register_card_source`),
and the home shows what the sources return for the signed-in household, in their positions.
A source reads through its app's selectors and returns plain cards (translated words and a
URL); it returns nothing when there is nothing for this household, so the home stays short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from anju.territory.models import Household


@dataclass(frozen=True)
class PortalCard:
    key: str  # the section's id on the page (tests and anchors find it by this)
    title: str
    text: str
    url: str
    action: str
    urgent: bool = False  # something to do now: a filled button instead of an outlined one


CardSource = Callable[[Household, dt.date], list[PortalCard]]

_SOURCES: dict[str, tuple[int, CardSource]] = {}


def register_card_source(name: str, source: CardSource, *, position: int = 100) -> None:
    _SOURCES[name] = (position, source)


def cards_for(household: Household, day: dt.date) -> list[PortalCard]:
    """Every registered source's cards for the household, by the sources' positions (the home
    shows the urgent ones at the top and the others below the household's own sections)."""
    ordered = sorted(_SOURCES.items(), key=lambda item: (item[1][0], item[0]))
    return [card for _name, (_position, source) in ordered for card in source(household, day)]
