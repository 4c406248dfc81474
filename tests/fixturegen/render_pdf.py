"""PDFs drawn directly: a no-ruling-lines report (reportlab) and an image-only scan.

- :func:`render_pdf_nolines`: text placed in columns with no table lines at all, as some
  report generators and "print to PDF" of plain layouts do; a table reader must find columns
  by position. Uses the built-in CID font STSong-Light (no font file needed).
- :func:`image_only_pdf`: a page of another PDF rasterised with ``pdftoppm`` and wrapped into a
  new PDF as a picture: there is no text layer (expected: ``needs_ocr``, every cell null).

Office-made PDFs (DOCX → LibreOffice) are in :mod:`tests.fixturegen.render_office`.

    >>> from tests.fixturegen.figures import make_figures
    >>> render_pdf_nolines(make_figures(4, "2021"))[:5]
    b'%PDF-'
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from tests.fixturegen.figures import Figures
from tests.fixturegen.layout import Grid, document_blocks
from tests.fixturegen.render_office import OfficeUnavailable

FONT = "STSong-Light"
_MARGIN = 50


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


class _Writer:
    """A cursor that flows lines down A4 pages."""

    def __init__(self, title: str, author: str) -> None:
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1)
        self.c.setTitle(title)
        self.c.setAuthor(author)
        self.width, self.height = A4
        self.y = self.height - _MARGIN
        self.font = _font()

    def need(self, h: float) -> None:
        if self.y - h < _MARGIN:
            self.c.showPage()
            self.y = self.height - _MARGIN

    def text(self, text: str, size: float = 11, x: float = _MARGIN, centre: bool = False,
             right: bool = False) -> None:
        per_line = int((self.width - 2 * _MARGIN) // size)
        chunks = [text[i:i + per_line] for i in range(0, len(text), per_line)] or [""]
        for chunk in chunks:
            self.need(size * 1.6)
            self.c.setFont(self.font, size)
            if centre:
                self.c.drawCentredString(self.width / 2, self.y, chunk)
            elif right:
                self.c.drawRightString(self.width - _MARGIN, self.y, chunk)
            else:
                self.c.drawString(x, self.y, chunk)
            self.y -= size * 1.6

    def finish(self) -> bytes:
        self.c.save()
        return self.buf.getvalue()


def render_pdf_nolines(fig: Figures) -> bytes:
    """The report as a PDF whose tables have no ruling lines, only positioned text."""
    w = _Writer(fig.title, fig.agency)
    draw_blocks(w, fig)
    return w.finish()


def draw_blocks(w: _Writer, fig: Figures,
                draw_table: Callable[[_Writer, Any], None] | None = None) -> None:
    """The report's blocks drawn by ``w``: tables as positioned text without ruling lines
    (or as ``draw_table(w, block)`` draws them)."""
    for block in document_blocks(fig):
        if block.kind == "table" and block.grid is not None:
            if draw_table is None:
                _draw_grid(w, block.grid)
            else:
                draw_table(w, block)
        elif block.kind == "title":
            w.text(block.text, size=15, centre=True)
        elif block.kind in ("signature", "date"):
            w.text(block.text, right=True)
        else:
            w.text(block.text, size=11 if block.kind == "heading" else 10.5)


def _col_x(grid: Grid, usable: float) -> list[float]:
    """Left x of each grid column: wide label columns, even number columns."""
    if grid.section == "requests":
        widths = [50, 70, 135] + [(usable - 255) / 7] * 7
    elif grid.section == "active":
        widths = [140] + [(usable - 140) / (grid.width - 1)] * (grid.width - 1)
    else:
        widths = [usable / grid.width] * grid.width
    xs, x = [], float(_MARGIN)
    for wdt in widths:
        xs.append(x)
        x += wdt
    xs.append(x)
    return xs


def _draw_grid(w: _Writer, grid: Grid) -> None:
    size = 7.0 if grid.width > 4 else 9.0
    xs = _col_x(grid, w.width - 2 * _MARGIN)
    for row in grid.placed():
        # Wrap each origin cell's text to its spanned width; the row is as tall as its tallest.
        wrapped = []
        for col, cell, origin in row:
            if not origin or not cell.text:
                continue
            span_w = xs[col + cell.colspan] - xs[col] - 4
            # Numbers are never broken; labels wrap at the (invisible) cell's width.
            lines = [cell.text] if cell.role in ("value", "extra") else \
                _wrap(cell.text, w.font, size, span_w)
            wrapped.append((col, cell, lines))
        height = max((len(lines) for _, _, lines in wrapped), default=1) * size * 1.3 + 3
        w.need(height)
        w.c.setFont(w.font, size)
        for col, cell, lines in wrapped:
            left, right = xs[col], xs[col + cell.colspan]
            for i, line in enumerate(lines):
                y = w.y - i * size * 1.3
                if cell.role in ("value", "extra", "header", "heading"):
                    # Numbers and column headers sit centred in their (invisible) cells.
                    w.c.drawCentredString((left + right) / 2, y, line)
                else:
                    w.c.drawString(left + 2, y, line)
        w.y -= height
    w.y -= 6


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points (by measured glyph widths)."""
    lines, line = [], ""
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines


def image_only_pdf(pdf: bytes, dpi: int = 40) -> bytes:
    """Rasterise every page of ``pdf`` (pdftoppm, greyscale JPEG) into a picture-only PDF."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise OfficeUnavailable("pdftoppm (poppler-utils) is needed to build the image-only PDF")
    with tempfile.TemporaryDirectory(prefix="fixturegen-img-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run([exe, "-r", str(dpi), "-gray", "-jpeg", str(src), str(Path(tmp) / "p")],
                       check=True, capture_output=True, timeout=120)
        pages = sorted(Path(tmp).glob("p-*.jpg"))
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A4, invariant=1)
        for page in pages:
            c.drawImage(str(page), 0, 0, width=A4[0], height=A4[1])
            c.showPage()
        c.save()
        return buf.getvalue()



def render_pdf_textgrid(fig: Figures, style: str = "layout") -> bytes:
    """The report's text export (``txt/<style>``) printed to PDF glyph by glyph on a fixed grid,
    as a text editor prints a text file: every glyph at its column (a CJK glyph two columns
    wide, tabs expanded to stops of 8), every line at one pitch, no ruling lines. The type is
    made small enough for the widest table line to fit the page; longer lines (paragraphs)
    wrap at that width."""
    import re

    from tests.fixturegen.render_text import _width, render_text

    lines = [line.expandtabs(8) for line in render_text(fig, style).decode("utf-8").splitlines()]
    tabular = [_width(line) for line in lines if re.search(r"\S(?: {2,})\S", line)]
    columns = max(tabular, default=80)
    width, height = A4
    size = min(10.5, 2 * (width - 60) / columns)
    pitch = size * 1.25
    printed: list[str] = []
    for line in lines:
        while _width(line) > columns:
            cut, used = 0, 0
            while used + _width(line[cut]) <= columns:
                used += _width(line[cut])
                cut += 1
            printed.append(line[:cut])
            line = line[cut:]
        printed.append(line)
    font = _font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(fig.title)
    y = height - 40
    for line in printed:
        if y < 40:
            c.showPage()
            y = height - 40
        c.setFont(font, size)
        column = 0
        for ch in line:
            if not ch.isspace():
                c.drawString(30 + column * size / 2, y, ch)
            column += _width(ch)
        y -= pitch
    c.showPage()
    c.save()
    return buf.getvalue()
