"""The contracts and loans panel of a project's funding page (`funding/_contracts_panel.html`):
the contracts and loans touching the project that the viewer may see."""

from django import template

from .. import rules
from ..selectors import contracts as selectors

register = template.Library()


@register.simple_tag
def contracts_panel(project, scope) -> dict:
    return {
        "contracts": list(selectors.contracts_of_project(scope, project)),
        "loans": list(selectors.loans_of_project(scope, project)),
        "may_manage": rules.may_manage_contracts(scope, project.path or project.district.path),
    }
