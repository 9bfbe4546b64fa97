"""Printed contribution sheets (分户费用分摊表) of a project, for one unit or the whole
compound: a table per household (room, area, floor, coefficient, weight, its amount per item,
its total) and a footer naming each item's method. Rendered by `core.pdf` with the CJK font
embedded (A4, landscape when many items)."""

from __future__ import annotations

from django.template.loader import render_to_string

from anju.core.pdf import html_to_pdf

from .selectors.sharing import Sheet

SHEET_CSS = """
@page { size: A4; margin: 12mm 12mm 14mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
h1 { font-size: 15pt; margin: 0 0 2mm; }
.meta { font-size: 9pt; color: #333; margin-bottom: 4mm; }
.household { break-inside: avoid; margin-bottom: 4mm; }
.household h2 { font-size: 10.5pt; margin: 0 0 1mm; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
th, td { border: 0.5pt solid #777; padding: 1mm 1.5mm; }
th { background: #eee; font-weight: bold; }
td.num, th.num { text-align: right; }
tr.total td { font-weight: bold; }
.methods { font-size: 8.5pt; margin-top: 4mm; border-top: 0.5pt solid #777; padding-top: 2mm; }
"""


def contribution_sheet_pdf(sheet: Sheet) -> bytes:
    html = render_to_string("funding/contribution_sheet.html", {"sheet": sheet})
    return html_to_pdf(html, stylesheets=[SHEET_CSS])
