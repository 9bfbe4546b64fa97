"""`{% project_survey_panel project as survey %}`: the survey's part of the project page (the
findings counted by kind and severity), computed by the surveys chapter so the project page
only includes the partial. One query."""

from django import template

from anju.design.models import Severity
from anju.design.selectors.surveys import survey_counts

register = template.Library()


@register.simple_tag
def project_survey_panel(project):
    return {"counts": survey_counts(project), "severities": Severity.choices}
