"""Printed documents of design.

The notice (方案公示) on A4, to post on the compound's board: the compound(s), the items and
their costs by category, the totals, the residents' share, the period, how to object, and a QR
code to the notice's portal page (where a household signs in with its code and objects).
Rendered by `core.pdf` with the CJK font embedded; the QR code is a data URI (segno), since the
PDF fetcher reads no files or hosts.
"""

from __future__ import annotations

import segno
from django.template.loader import render_to_string

from anju.core.pdf import html_to_pdf

from .models import Notice
from .selectors.notices import how_to_object, notice_content

NOTICE_CSS = """
@page { size: A4; margin: 14mm 14mm 16mm; }
"""


def qr_data_uri(url: str) -> str:
    """One pixel per module, scaled up without interpolation (see access.pdf.qr_data_uri),
    with the four-module quiet zone scanners need (the board's notice has one code)."""
    return segno.make_qr(url, error="m").png_data_uri(scale=1, border=4)


def notice_pdf(*, notice: Notice, portal_url: str) -> bytes:
    """`portal_url` is the absolute address of the notice's portal page (the QR code)."""
    version = notice.version
    html = render_to_string(
        "design/notice_pdf.html",
        {
            "notice": notice,
            "version": version,
            "project": version.project,
            "content": notice_content(version),
            "how_to_object": how_to_object(notice),
            "portal_url": portal_url,
            "qr": qr_data_uri(portal_url),
        },
    )
    return html_to_pdf(html, stylesheets=[NOTICE_CSS])
