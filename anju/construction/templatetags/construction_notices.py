"""`{% notice_panel project scope as panel %}`: what the hub's construction-notice panel shows."""

from __future__ import annotations

from django import template

from anju.stewardship.models import OPEN_STATUSES

from .. import rules
from ..selectors import notices as selectors

register = template.Library()
COMPLAINTS_SHOWN = 10


@register.simple_tag
def notice_panel(project, scope) -> dict:
    """The project's notice, whether the viewer may (re)publish it, and its latest complaints
    (the hub page already checked that the viewer sees the project)."""
    complaints = selectors.complaints_of(project)
    return {
        "notice": selectors.notice_of(project),
        "may_publish": rules.may_publish_notice(scope, project),
        "complaints": list(complaints[:COMPLAINTS_SHOWN]),
        "complaint_count": complaints.count(),
        "open_count": complaints.filter(status__in=OPEN_STATUSES).count(),
    }
