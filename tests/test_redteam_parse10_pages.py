"""Red-team round 8: PDF pages placed whole — inside a form XObject, or two to a sheet.

- **a page's content inside a form XObject** (what a tool that stamps an electronic seal or a
  watermark, or places pages for printing, writes: the old page becomes one object, scaled and
  moved): PDFium gives a nested path's bounds in the form's own space, so every ruling line of
  a ruled table stood where the unscaled page had it, and the tables were read on lines that
  did not frame their text (20 of the 28 eval PDFs wrong so wrapped at 90 %). Nested objects'
  bounds and path points now go through their forms' matrices (``pdf._form_matrix``).
- **two pages on one landscape sheet** (打印 with 每版打印 2 页 to PDF; a booklet scanned open):
  one page's lines ran into the other's, table rows took the other page's figures (6 of 6
  reports wrong). A landscape sheet whose middle fifth holds an empty gutter parting every word
  and line, with prose on both sides, is read as its two pages, left then right
  (``pdf._two_up``); a landscape table (figures right of the middle, no prose there) is not.
  A text file printed on a grid so (3 of 6 wrong) is two grids of its own
  (``pdf_textgrid._two_up``), and a grid placed in a form scaled keeps its grid: the type size
  is taken as shown, through the text and form matrices (``pdf_textgrid.glyphs``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse10_pages.py
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2 as pdfium

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks

EVAL = Path(__file__).resolve().parent / "eval"


def placed(data: bytes, scale: float, per_sheet: int = 1) -> bytes:
    """``data``'s pages each placed as a form XObject scaled by ``scale``, ``per_sheet`` side
    by side on a sheet as wide as them (as pdfpages, N-up and stamping tools write)."""
    src = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    width, height = src[0].get_size()
    for first in range(0, len(src), per_sheet):
        sheet = out.new_page(per_sheet * width * scale, height * scale)
        for k in range(first, min(first + per_sheet, len(src))):
            page = src.page_as_xobject(k, out).as_pageobject()
            page.transform(pdfium.PdfMatrix().scale(scale, scale).translate((k - first) * width * scale, 0))
            sheet.insert_obj(page)
        sheet.gen_content()
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def test_pages_in_form_xobjects_and_two_to_a_sheet() -> None:
    misses = []
    for name in ("pdf_hrules_2022", "pdf_hrules_wrapped_2019",  # LibreOffice, ruled tables
                 "pdf_textgrid_2019"):  # a text file printed on a grid
        expected = json.loads((EVAL / f"{name}.expected.json").read_text(encoding="utf-8"))
        got = parse_document(placed((EVAL / f"{name}.pdf").read_bytes(), 0.9), None, "report.pdf")
        misses += [f"{name}: {d}" for d in compare_cells(expected, got)]
    for seed, fmt, style in ((0, "2021", "nolines"), (1, "2019", "nolines"), (0, "2019", "textgrid"),
                             (2, "2021", "textgrid")):
        fig = make_figures(seed, fmt, blanks="some")
        got = parse_document(placed(render(fig, "pdf", style), 0.7, per_sheet=2), None, "report.pdf")
        expected = expected_json(fig, "pdf", style)
        misses += [f"two-up {style} {seed}: {d}"
                   for d in compare_cells(expected, got) + compare_checks(expected, got)]
    assert misses == []
