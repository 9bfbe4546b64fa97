"""Template filters of engagement's pages: exact shares shown as percentages."""

from fractions import Fraction

from django import template

from anju.engine.consent import round_half_up

from ..models import Channel

register = template.Library()
CHANNEL_LABELS = dict(Channel.choices)


@register.filter
def percent(value, places: int = 1) -> str:
    """Fraction(1, 3) → "33.3": a share as a percentage, rounded half-up."""
    if value in (None, ""):
        return "—"
    return str(round_half_up(Fraction(value) * 100, int(places)))


@register.filter
def get(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def channel_label(value) -> str:
    return str(CHANNEL_LABELS.get(value, value))
