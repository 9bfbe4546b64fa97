"""The inspections panel of the construction hub page (context: project, scope)."""

from django import template

from .. import rules
from ..selectors import inspections as selectors

register = template.Library()


@register.simple_tag
def inspections_summary(project, scope) -> dict:
    """The project's inspections and open orders, and whether the viewer may inspect."""
    return {
        "summary": selectors.panel_summary(project),
        "may_inspect": project.stage == "building" and rules.may_inspect(scope, project),
    }
