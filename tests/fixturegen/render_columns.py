"""A report printed in two columns, as a government gazette (政府公报) reprints it: the title
across the page, the prose in two columns read left then right, each table across the page
between column runs (the columns before it balanced), no ruling lines (reportlab).

    >>> from tests.fixturegen.figures import make_figures
    >>> two_column_pdf(make_figures(4, "2021"))[:5]
    b'%PDF-'
"""

from __future__ import annotations

from tests.fixturegen import render_pdf
from tests.fixturegen.figures import Figures

_GUTTER = 24.0
_SIZE = 10.0
_LEAD = _SIZE * 1.6


def _lines(text: str, width: float, font: str) -> list[str]:
    return render_pdf._wrap(text, font, _SIZE, width) or [""]


def two_column_pdf(fig: Figures) -> bytes:
    """The report in two columns of prose with full-width tables (see the module doc)."""
    w = render_pdf._Writer(fig.title, fig.agency)
    column = (w.width - 2 * render_pdf._MARGIN - _GUTTER) / 2
    pending: list[str] = []  # prose lines waiting to be set in two columns

    def flush() -> None:
        nonlocal pending
        while pending:
            rows = int((w.y - render_pdf._MARGIN) // _LEAD)
            if rows < 2:
                w.c.showPage()
                w.y = w.height - render_pdf._MARGIN
                continue
            take = min(len(pending), 2 * rows)
            left, right = pending[:(take + 1) // 2], pending[(take + 1) // 2:take]
            w.c.setFont(w.font, _SIZE)
            for n, line in enumerate(left):
                w.c.drawString(render_pdf._MARGIN, w.y - n * _LEAD, line)
            for n, line in enumerate(right):
                w.c.drawString(render_pdf._MARGIN + column + _GUTTER, w.y - n * _LEAD, line)
            w.y -= len(left) * _LEAD
            pending = pending[take:]
            if pending:
                w.c.showPage()
                w.y = w.height - render_pdf._MARGIN
        w.y -= 4

    for block in render_pdf.document_blocks(fig):
        if block.kind == "table" and block.grid is not None:
            flush()
            render_pdf._draw_grid(w, block.grid)
        elif block.kind == "title":
            w.text(block.text, size=15, centre=True)
        else:
            lines = _lines(block.text, column, w.font)
            if block.kind in ("signature", "date"):
                # right-aligned in the right column, as a gazette sets the closing
                width = render_pdf.pdfmetrics.stringWidth(block.text, w.font, _SIZE)
                pad = max(0, int((column - width) / render_pdf.pdfmetrics.stringWidth(
                    "\u3000", w.font, _SIZE)))
                lines = ["\u3000" * pad + block.text]
            pending += lines
    flush()
    return w.finish()
