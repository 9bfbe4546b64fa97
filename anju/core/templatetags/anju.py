from django import template

from anju.core.audit import describe_changes, verb_label
from anju.core.money import format_area, format_yuan

register = template.Library()


@register.filter
def event_label(event) -> str:
    return verb_label(event.verb)


@register.filter
def event_changes(event) -> list:
    """The event's before/after with field names and choice labels (`audit.describe_changes`)."""
    return describe_changes(event)


@register.filter
def yuan(value) -> str:
    return format_yuan(value) if value not in (None, "") else "—"


@register.filter
def area(value) -> str:
    return format_area(value) if value not in (None, "") else "—"


@register.filter
def grouped(value) -> str:
    """327600 → "327,600": digit grouping whatever the locale's number format says."""
    if value in (None, ""):
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{round(number):,}"
