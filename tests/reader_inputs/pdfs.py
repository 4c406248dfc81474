"""Small PDFs built with reportlab for the PDF reader tests (Chinese text via the built-in
STSong-Light CID font, so nothing is embedded and nothing is downloaded).

    >>> data = ruled_table_pdf([["规章", "0"], ["行政规范性文件", "1"]])
    >>> data[:5]
    b'%PDF-'
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
WIDTH, HEIGHT = A4


def new_canvas(buf: io.BytesIO, **kwargs) -> canvas.Canvas:
    return canvas.Canvas(buf, pagesize=A4, **kwargs)


def draw_ruled(c: canvas.Canvas, top: float, rows: list[list[str]], widths: list[float],
               x0: float = 50, row_height: float = 26, size: float = 8,
               spans: dict[tuple[int, int], int] | None = None) -> float:
    """Draw a bordered table; ``spans[(r, c)] = n`` makes cell (r, c) span n columns (the
    covered cells of ``rows`` are skipped). Returns the y below the table."""
    spans = spans or {}
    c.setFont(FONT, size)
    y = top
    for r, row in enumerate(rows):
        x = x0
        k = 0
        while k < len(widths):
            span = spans.get((r, k), 1)
            w = sum(widths[k:k + span])
            c.rect(x, y - row_height, w, row_height)
            text = row[k] if k < len(row) else ""
            if text:
                per_line = max(1, int((w - 4) // size))
                parts = [text[i:i + per_line] for i in range(0, len(text), per_line)]
                for n, part in enumerate(parts[:3]):
                    c.drawString(x + 2, y - 10 - n * (size + 1), part)
            x += w
            k += span
        y -= row_height
    return y


def draw_unruled(c: canvas.Canvas, top: float, rows: list[list[str]], widths: list[float],
                 x0: float = 50, row_height: float = 22, size: float = 8,
                 wrap: int = 20) -> float:
    """Draw a borderless table: labels left-aligned (wrapped every ``wrap`` characters onto a
    second line), figures right-aligned in their column. Returns the y below it."""
    c.setFont(FONT, size)
    y = top
    for row in rows:
        x = x0
        for k, (w, text) in enumerate(zip(widths, row)):
            if text:
                if k == 0:
                    c.drawString(x, y, text[:wrap])
                    if len(text) > wrap:
                        c.drawString(x, y - size - 2, text[wrap:])
                else:
                    c.drawRightString(x + w - 4, y, text)
            x += w
        y -= row_height
    return y


def draw_lines(c: canvas.Canvas, top: float, lines: list[str], size: float = 11,
               x0: float = 72) -> float:
    c.setFont(FONT, size)
    y = top
    for line in lines:
        c.drawString(x0, y, line)
        y -= size * 1.6
    return y


def ruled_table_pdf(rows: list[list[str]], widths: list[float] | None = None, **kwargs) -> bytes:
    buf = io.BytesIO()
    c = new_canvas(buf)
    draw_lines(c, HEIGHT - 60, ["三、收到和处理政府信息公开申请情况"])
    draw_ruled(c, HEIGHT - 90, rows, widths or [160] + [50] * (len(rows[0]) - 1), **kwargs)
    c.showPage()
    c.save()
    return buf.getvalue()
