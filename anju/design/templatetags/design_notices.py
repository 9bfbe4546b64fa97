"""The notice box of the project page (`design/_project_notice.html`)."""

from django import template

from .. import rules
from ..models import Objection, PlanVersion
from ..selectors import notices as selectors

register = template.Library()


@register.simple_tag
def project_notice_summary(project, scope) -> dict:
    """The project's current notice with its counts, and the newest draft the viewer may
    publish (the page links to the publishing form only for the district)."""
    notice = selectors.current_notice(project)
    summary = {
        "notice": notice,
        "draft": project.plan_versions.filter(status=PlanVersion.Status.DRAFT)
        .order_by("-number")
        .first(),
        "may_publish": scope is not None and rules.may_publish_notice(scope, project),
    }
    if notice is not None:
        summary["is_open"] = selectors.is_open(notice)
        summary["total"] = notice.objections.count()
        summary["unanswered"] = notice.objections.filter(
            kind=Objection.Kind.OBJECTION, answer=""
        ).count()
    return summary
