"""The printable household-code sheet: A4, ten slips (2 × 5) per page, to cut and hand out.

Each slip names the compound and the household, shows the code in two groups of five and a QR
code that opens the portal with the code filled in. The clear codes exist only in this
document; the database keeps their digests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import segno
from django.template.loader import render_to_string

from anju.core.pdf import html_to_pdf
from anju.territory.models import Compound

from .services import CodeSlip

SLIPS_PER_PAGE = 10

SHEET_CSS = """
@page { size: A4; margin: 8mm 10mm; }
"""


def qr_data_uri(url: str) -> str:
    """A QR code as a one-pixel-per-module PNG data URI.

    The sheet scales it up with `image-rendering: pixelated` (no interpolation), so it prints
    as sharp as a vector; WeasyPrint draws an SVG QR code (hundreds of path segments) about
    six times slower, which is most of the time of a 200-household sheet.
    """
    return segno.make_qr(url, error="m").png_data_uri(scale=1, border=0)


def code_sheet_pdf(
    *,
    compound: Compound,
    slips: Sequence[CodeSlip],
    code_url: Callable[[str], str],
    sign_in_url: str,
    issued_on: dt.date,
) -> bytes:
    """`code_url(code)` is the absolute portal address a slip's QR code points at."""
    rows = [{"slip": slip, "qr": qr_data_uri(code_url(slip.code))} for slip in slips]
    pages = [rows[i : i + SLIPS_PER_PAGE] for i in range(0, len(rows), SLIPS_PER_PAGE)]
    html = render_to_string(
        "access/code_sheet_pdf.html",
        {
            "compound": compound,
            "pages": pages,
            "sign_in_url": sign_in_url,
            "issued_on": issued_on,
        },
    )
    return html_to_pdf(html, stylesheets=[SHEET_CSS])
