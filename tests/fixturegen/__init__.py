"""Generated annual-report fixtures: random figures, every file type, exact expected JSON.

The API other packages use (the crawler's simulated web builds its pages with it)::

    from tests.fixturegen import make_figures, render, expected_json

    fig = make_figures(seed=42, fmt="2021")           # figures, consistent by construction
    page = render(fig, "html", "trs", encoding="gbk")  # bytes of one document
    truth = expected_json(fig, "html", "trs")          # what `nianbao parse --json` must say

Kinds and styles (``KINDS``): ``html`` official/word/split/broken/flat/trs/images/divs (tables of ``<div>``s)/halves (table 三 in two halves cut by columns)/transposed (table 三 turned: applicants as rows); ``txt``
tabs/pipe/lines/layout/layout_centred/expanded (tabs expanded to spaces by character count); ``docx`` official/split/images/tabs (tables typed on tab stops); ``xlsx`` official/sheets (a sheet per table)/transposed; ``pdf`` office/office_split/
pagebreak/long (LibreOffice), nolines (reportlab), image (image-only), chromium (browser-printed
HTML), textgrid (the txt/layout export printed glyph by glyph on a fixed grid, reportlab); ``doc``/``wps``/``xls`` office
(LibreOffice). Lookalikes (not reports): :func:`render_lookalike`.

``python -m tests.fixturegen`` regenerates ``tests/fixtures/generated/`` (see docs/fixtures.md).
"""

from __future__ import annotations

from tests.fixturegen.expected import expected_json
from tests.fixturegen.figures import INCONSISTENCIES, VARIANTS, Figures, make_figures
from tests.fixturegen.lookalikes import render_lookalike

KINDS: dict[str, tuple[str, ...]] = {
    "html": ("official", "word", "split", "broken", "flat", "trs", "images", "divs", "halves",
             "transposed"),
    "txt": ("tabs", "pipe", "lines", "layout", "layout_centred", "expanded"),
    "docx": ("official", "split", "images", "tabs"),
    "xlsx": ("official", "sheets", "transposed"),
    "pdf": ("office", "office_split", "pagebreak", "long", "nolines", "image", "chromium", "textgrid"),
    "doc": ("office",),
    "wps": ("office",),
    "xls": ("office",),
}

# Kinds/styles that need LibreOffice (or poppler) to build: committed, not rebuilt in CI.
NEEDS_OFFICE = {("pdf", "office"), ("pdf", "office_split"), ("pdf", "pagebreak"), ("pdf", "long"),
                ("pdf", "image"), ("pdf", "chromium"),
                ("doc", "office"), ("wps", "office"), ("xls", "office")}


def render(fig: Figures, kind: str, style: str | None = None, *, encoding: str = "utf-8",
           declare_charset: bool = True) -> bytes:
    """Render ``fig`` as one document and return its bytes.

    :param kind: a key of :data:`KINDS` (also the file extension)
    :param style: one of ``KINDS[kind]``; default the first
    :param encoding: text encodings for ``html``/``txt``: ``utf-8``, ``gbk``, ``gb18030``
    :param declare_charset: ``html`` only: False omits the ``<meta charset>``
    :raises ValueError: unknown kind/style
    :raises tests.fixturegen.render_office.OfficeUnavailable: LibreOffice needed but missing
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; choose from {sorted(KINDS)}")
    style = style or KINDS[kind][0]
    if style not in KINDS[kind]:
        raise ValueError(f"unknown style {style!r} for {kind}; choose from {KINDS[kind]}")
    if kind == "html":
        from tests.fixturegen.render_html import render_html
        return render_html(fig, style, encoding=encoding, declare_charset=declare_charset)
    if kind == "txt":
        from tests.fixturegen.render_text import render_text
        return render_text(fig, style, encoding=encoding)
    if kind == "docx":
        from tests.fixturegen.render_docx import render_docx
        return render_docx(fig, style)
    if kind == "xlsx":
        from tests.fixturegen.render_xlsx import render_xlsx
        return render_xlsx(fig, style)
    from tests.fixturegen.render_docx import render_docx
    from tests.fixturegen.render_office import chromium_pdf, convert
    from tests.fixturegen.render_pdf import image_only_pdf, render_pdf_nolines
    if kind == "pdf":
        if style == "nolines":
            return render_pdf_nolines(fig)
        if style == "textgrid":
            from tests.fixturegen.render_pdf import render_pdf_textgrid
            return render_pdf_textgrid(fig)
        if style == "chromium":
            from tests.fixturegen.render_html import render_html
            return chromium_pdf(render_html(fig, "official"))
        if style == "image":
            return image_only_pdf(convert(render_docx(fig), "docx", "pdf"))
        docx = render_docx(fig, "split" if style == "office_split" else "official",
                           filler=85 if style == "long" else 0,  # 8 A4 pages
                           lead_in=8 if style == "pagebreak" else 0)  # table 三 over pages 2–3
        return convert(docx, "docx", "pdf")
    if kind in ("doc", "wps"):
        return convert(render_docx(fig), "docx", "doc")
    from tests.fixturegen.render_xlsx import render_xlsx
    return convert(render_xlsx(fig), "xlsx", "xls")


def render_html(fig: Figures, style: str = "official", **kwargs) -> bytes:
    """Shortcut for ``render(fig, "html", style, **kwargs)`` (the crawler's simulated web)."""
    return render(fig, "html", style, **kwargs)


def render_docx(fig: Figures, style: str = "official") -> bytes:
    """Shortcut for ``render(fig, "docx", style)``."""
    return render(fig, "docx", style)


__all__ = ["INCONSISTENCIES", "KINDS", "NEEDS_OFFICE", "VARIANTS", "Figures", "expected_json",
           "make_figures", "render", "render_docx", "render_html", "render_lookalike"]
