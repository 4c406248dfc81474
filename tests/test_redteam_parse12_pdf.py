"""Red-team round 10: PDFs as offices' tools write them, each read wrong before its fix.

- **ASCII debris** (round 9's leftover, ``tests/fixturegen/render_debris.py``): simple one-byte
  fonts whose codes are printable ASCII, glyphs named ``/g21`` … in ``/Differences``, no
  ``/ToUnicode`` (old Chinese typesetting systems): the text layer reads ``!"#$%&'()*`` with
  digits among the debris. Nothing flagged it — no controls, no private use, no ideographs —
  so the report was "no report" with the debris as its title and ``needs_ocr`` false (2/2).
  PDFium knows each character whose code it could not map (``FPDFText_HasUnicodeMapError``):
  a page with more than three in ten so is garbled, its figures unread, OCR needed
  (``pdf._unmapped_codes``). No page of the eval set or fixtures has one such character.
- **a landscape document on turned pages** (a printer driver's: portrait media, the content
  drawn turned, ``/Rotate 90`` or ``270`` to show it upright): a short last page (signature
  and date, under 20 characters) was not seen as turned, its lines stood on end — agency and
  date joined in the wrong order, the published date lost (2 of 24 documents, seeds 0–11 at
  90 and 270). A short page
  whose characters all agree says its direction (``pdf._TURN_FEW``) (24/24).

- **an unruled table's head rows alone at a page's foot** (the page broke between the heads
  and the first row of figures; a landscape report's table 三, 1 of 40 landscape renderings):
  the next page's columns were learnt from its figures alone, so a column blank in every row
  was lost and the rest read a column off (38 cells; table 四: 7). Head lines (cells set apart,
  no figure) after a page's last other line go to the top of the next page when it opens
  with a row of figures, neither page ruled (``pdf._carry_orphan_heads``) (tables 二, 三, 四
  forced apart, seeds 0–7: 22/24 → 24/24; landscape 40/40).

- **a text file printed on a grid, its pages turned** (round 8's leftover: the text drawn
  turned on landscape media, ``/Rotate`` showing it upright — a line printer's landscape, or a
  tool turning every page): refused as a grid, read as proportional text, figures of
  neighbouring columns joined (``8`` ``0`` → ``80``: the eval ``pdf_textgrid_2019`` so turned,
  14 cells wrong). The glyphs are read in their text's frame, found from their text matrices
  (``pdf_textgrid.text_direction``), so the grid is the file's again (203/203 at 90 and 270).
  Ruled office PDFs so turned were already right (4/4).

Tried and already right: a PDF with incremental updates (a later revision replacing the
content streams with other figures: the last revision's read, 6/6); a PDF encrypted with an empty user password (an owner password
forbidding copying): read as any other (4/4).

    .venv/bin/python -m pytest -q tests/test_redteam_parse12_pdf.py
"""

from __future__ import annotations

import ctypes
import io

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta
from tests.fixturegen.layout import Grid
from tests.fixturegen.render_debris import render_debris_pdf
from tests.fixturegen.render_pdf import (
    _MARGIN,
    _draw_grid,
    _Writer,
    draw_blocks,
    render_pdf_textgrid,
)


@pytest.mark.parametrize("style", ["all", "digits"])
def test_ascii_debris_needs_ocr_and_reads_no_figure(style: str) -> None:
    fig = make_figures(1, "2021")
    got = parse_document(render_debris_pdf(fig, style), None, "report.pdf")
    assert got["needs_ocr"] is True
    assert any("unmappable" in w for w in got["warnings"])
    figures = [v for table in ("active", "requests", "review_litigation")
               for row in (got.get(table) or {}).values() for v in row.values() if v is not None]
    assert figures == []
    assert got["title"] is None or not any(c in got["title"] for c in "!\"#$%&'()*+")


class _TurnedWriter(_Writer):
    """The report on landscape pages drawn turned on portrait media, /Rotate showing them
    upright (a printer driver's landscape)."""

    def __init__(self, title: str, author: str, rotate: int) -> None:
        super().__init__(title, author)
        self.rotate = rotate
        self.width, self.height = A4[1], A4[0]
        self.y = self.height - _MARGIN
        self._turn()

    def _turn(self) -> None:
        self.c.setPageRotation(self.rotate)
        if self.rotate == 90:
            self.c.translate(A4[0], 0)
            self.c.rotate(90)
        else:
            self.c.translate(0, A4[1])
            self.c.rotate(-90)

    def need(self, h: float) -> None:
        if self.y - h < _MARGIN:
            self.c.showPage()
            self.y = self.height - _MARGIN
            self._turn()


@pytest.mark.parametrize("seed,fmt", [(1, "2019"), (4, "2019")])
def test_turned_landscape_pages_short_last_page(seed: int, fmt: str) -> None:
    fig = make_figures(seed, fmt)
    writer = _TurnedWriter(fig.title, fig.agency, 270)
    draw_blocks(writer, fig)
    expected = expected_json(fig, "pdf", "nolines")
    got = parse_document(writer.finish(), None, "report.pdf")
    assert compare_cells(expected, got) + compare_checks(expected, got) + \
        compare_meta(expected, got) == []


def heads_alone(fig, section: str) -> bytes:
    """The report as an unruled PDF with a page break between ``section``'s table heads and
    its first row of figures."""
    def draw_table(writer: _Writer, block) -> None:
        grid = block.grid
        if block.section != section:
            _draw_grid(writer, grid)
            return
        first = next(n for n, row in enumerate(grid.rows) if any(c.role == "value" for c in row))
        _draw_grid(writer, Grid(grid.width, grid.rows[:first], grid.section))
        writer.c.showPage()
        writer.y = writer.height - _MARGIN
        _draw_grid(writer, Grid(grid.width, grid.rows[first:], grid.section))

    writer = _Writer(fig.title, fig.agency)
    draw_blocks(writer, fig, draw_table)
    return writer.finish()


@pytest.mark.parametrize("section", ["requests", "review_litigation"])
def test_table_heads_alone_at_a_page_foot(section: str) -> None:
    fig = make_figures(3, "2021")
    expected = expected_json(fig, "pdf", "nolines")
    got = parse_document(heads_alone(fig, section), None, "report.pdf")
    assert compare_cells(expected, got) + compare_checks(expected, got) == []


def turned_pages(data: bytes, rotate: int) -> bytes:
    """Every page's content turned onto landscape media, ``/Rotate`` showing it upright."""
    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        page = pdf[i]
        width, height = page.get_size()
        matrix = pdfium.raw.FS_MATRIX(0, 1, -1, 0, height, 0) if rotate == 90 else \
            pdfium.raw.FS_MATRIX(0, -1, 1, 0, 0, width)
        pdfium.raw.FPDFPage_TransFormWithClip(page.raw, ctypes.byref(matrix), None)
        page.set_mediabox(0, 0, height, width)
        page.set_rotation(rotate)
        pdfium.raw.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("rotate", [90, 270])
def test_text_file_printed_on_turned_pages(rotate: int) -> None:
    fig = make_figures(4, "2019")
    expected = expected_json(fig, "pdf", "textgrid")
    got = parse_document(turned_pages(render_pdf_textgrid(fig), rotate), None, "report.pdf")
    assert compare_cells(expected, got) + compare_meta(expected, got) == []
