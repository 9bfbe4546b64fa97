"""`{% sampling_panel project scope as panel %}`: what the hub's satisfaction panel shows."""

from __future__ import annotations

from django import template

from ..selectors import sampling as selectors

register = template.Library()


@register.simple_tag
def sampling_panel(project, scope) -> dict:
    """The project's survey and its satisfaction figures (the hub page already checked that
    the viewer sees the project)."""
    survey = selectors.survey_of(project)
    return {
        "survey": survey,
        "stats": selectors.project_satisfaction(survey) if survey is not None else None,
    }
