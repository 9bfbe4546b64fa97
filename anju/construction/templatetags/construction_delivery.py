"""Template helpers of the construction hub (parties and schedule)."""

from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def include_if_exists(context, name: str):
    """Render another chapter's panel with the hub's context, or nothing while that chapter's
    template does not exist yet (the hub does not break on a chapter still being built)."""
    try:
        panel = get_template(name)
    except TemplateDoesNotExist:
        return ""
    return panel.render(context.flatten(), context.get("request"))
