"""`{% project_review_panel project scope as panel %}`: the joint review's part of the project
page, computed by the reviews chapter so the project page only includes the partial."""

from django import template

from anju.design.views.reviews import review_panel

register = template.Library()


@register.simple_tag
def project_review_panel(project, scope):
    return review_panel(scope, project)
