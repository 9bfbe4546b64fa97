"""The acceptance panel of the construction hub page (context: project, scope)."""

from django import template

from ..selectors import acceptance as selectors

register = template.Library()


@register.simple_tag
def acceptance_summary(project, scope) -> dict:
    """The project's latest session with its progress, and the open critical findings."""
    session = selectors.sessions_of(project).first()
    return {
        "session": session,
        "progress": selectors.session_progress(session) if session else None,
        "critical_findings": selectors.open_critical_findings(project).count(),
    }
