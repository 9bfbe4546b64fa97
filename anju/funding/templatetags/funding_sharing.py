"""Cost sharing in templates: the sharing panel of a project's funding page
(`funding/_sharing_panel.html`) and household amounts to the fen (never rounded to 万元)."""

from django import template
from django.utils.translation import gettext as _

from anju.core.money import grouped, to_decimal

from .. import rules
from ..selectors import sharing as selectors

register = template.Library()


@register.filter
def fen_yuan(value) -> str:
    """12345.67 → "12,345.67元": a household's amount exactly, whatever its size."""
    if value in (None, ""):
        return "—"
    return _("%(amount)s元") % {"amount": grouped(to_decimal(value), 2)}


@register.simple_tag
def sharing_panel(project, scope) -> dict:
    path = project.path or project.district.path
    shares = list(selectors.shares_of(project)) if rules.may_see_cost_shares(scope, path) else []
    return {
        "visible": rules.may_see_cost_shares(scope, path),
        "shares": shares,
        "utility": sum((s.utility_part for s in shares), 0),
        "residents": sum((s.residents_part for s in shares), 0),
        "others": sum((s.others_part for s in shares), 0),
    }
