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

# --- construction board ---

BOARD_CSS = """
@page { size: A3 portrait; margin: 14mm 14mm 14mm; }
"""


def board_pdf(*, project, notice, portal_url: str) -> bytes:
    """The on-site construction board (施工公示牌) on A3 portrait, in type readable from a few
    metres: the project, the parties with their responsible persons and phones, the scope of
    works, the dates and milestones, working hours, the safety note, the complaint phone and a
    QR code to the public notice page (`portal_url`, absolute), where residents complain and
    follow their complaint."""
    from anju.design.pdf import qr_data_uri

    from .selectors.notices import complaint_handler, notice_content

    html = render_to_string(
        "construction/board.html",
        {
            "content": notice_content(project, notice),
            "project": project,
            "notice": notice,
            "handler": complaint_handler(project),
            "portal_url": portal_url,
            "qr": qr_data_uri(portal_url),
        },
    )
    return html_to_pdf(html, stylesheets=[BOARD_CSS])


# --- end of construction board ---
