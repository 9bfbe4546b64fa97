"""Printed documents of construction, a section per document.

Rendered by `core.pdf` with the CJK font embedded (fonts by family, `data:` URLs only), the
way design's notice is (anju/design/pdf.py).
"""

from __future__ import annotations

from django.template.loader import render_to_string

from anju.core.pdf import html_to_pdf

# --- acceptance certificate ---

CERTIFICATE_CSS = """
@page { size: A4; margin: 16mm 16mm 18mm; }
"""


def certificate_pdf(*, session, scope) -> bytes:
    """The joint completion acceptance certificate (竣工验收证书) of a decided session: its
    number, the project and compounds, the parties, every participant with their opinion,
    the outcome and the conditions. Residents' representatives' names as the viewer may see
    them (`selectors.acceptance.shown_name`)."""
    from .selectors import acceptance as selectors

    project = session.project
    participants = [
        {
            "participant": participant,
            "name": selectors.shown_name(participant, scope),
            "address": selectors.household_address(participant.household),
        }
        for participant in selectors.participants_of(session)
    ]
    html = render_to_string(
        "construction/certificate.html",
        {
            "session": session,
            "project": project,
            "compounds": list(project.compounds.order_by("code")),
            "parties": list(project.parties.select_related("organisation").order_by("role")),
            "participants": participants,
            "defects": list(selectors.defects_of(session)),
            "checklist": selectors.checklist(project),
        },
    )
    return html_to_pdf(html, stylesheets=[CERTIFICATE_CSS])


# --- end of acceptance certificate ---
