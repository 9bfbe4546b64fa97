"""Builders for the construction-notice tests: a published notice on a project with its parties
named, and a complaint filed through it — through construction's services.

    from anju.construction.tests.noticing import complain, publish
"""

from __future__ import annotations

from anju.access.scope import scope_for_household
from anju.core.actors import CLI
from anju.stewardship.models import ReportCategory

from ..services import notices as services
from .delivering import district_scope

NOTICE_TEXT = {
    "scope_summary": "屋面修缮（420m²）\n外墙修缮（1200m²）",
    "working_hours": "每日 8:00–12:00、14:00–18:00",
    "complaint_phone": "027-82881234",
    "safety_note": "施工区域请绕行，注意高空坠物。",
}


def publish(project, *, actor=CLI, **changes):
    """Publish the project's notice as its district (NOTICE_TEXT with `changes`)."""
    return services.publish_notice(
        actor=actor, scope=district_scope(project), project=project, **(NOTICE_TEXT | changes)
    )


def complain(project, household, *, category="noise", description="夜里十点还在切割钢材"):
    """A household's complaint from the notice page; the ProblemReport."""
    return services.file_complaint(
        actor=None,
        scope=scope_for_household(household),
        project=project,
        category=ReportCategory.objects.get(code=category),
        description=description,
    )
