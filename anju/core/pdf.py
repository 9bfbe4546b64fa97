"""HTML → PDF with WeasyPrint, with a Chinese font embedded.

Fonts are named by family, never by file: the Debian `fonts-noto-cjk` .ttc files hold several
faces and face 0 is Japanese, so a path would print Japanese glyph forms. Without a CJK font
every Chinese character is an empty box. WeasyPrint subsets the fonts it embeds (fast only
when `libharfbuzz-subset0` is installed: ~0.1 s instead of seconds per document).

Documents may only use `data:` URLs (inline images, SVG QR codes): the fetcher refuses
`file:` and `http(s):` so text from the registry can never make the server read a local file
or call another host while printing.
"""

from __future__ import annotations

from collections.abc import Iterable

CJK_SANS = "Noto Sans CJK SC"
CJK_SERIF = "Noto Serif CJK SC"
CJK_MONO = "Noto Sans Mono CJK SC"

BASE_CSS = """
@page { size: A4; margin: 15mm; }
html {
  font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif;
  font-size: 10.5pt;
  line-height: 1.5;
  color: #111;
}
h1, h2, h3 { font-weight: bold; line-height: 1.25; }
.serif { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; }
.mono { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; }
"""


def html_to_pdf(
    html: str, *, base_url: str | None = None, stylesheets: Iterable[str] = ()
) -> bytes:
    """Render an HTML document to PDF bytes. `stylesheets` are CSS strings applied after the
    base stylesheet (so they may override the page size and margins)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    font_config = FontConfiguration()
    sheets = [CSS(string=BASE_CSS, font_config=font_config)]
    sheets += [CSS(string=css, font_config=font_config) for css in stylesheets]
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        stylesheets=sheets, font_config=font_config
    )
