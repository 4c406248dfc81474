"""Red-team round 8: inputs the explorer does not make, each read wrong before its fix.

- **figures typed with a spreadsheet's text apostrophe** (``'12``, ``'1,234``), written into the
  cells' values by a program that meant to keep them text: every such cell was text, a row's
  figures lost (177 of 212 cells of a workbook). A leading apostrophe before a figure is not
  printed (``values._prep``).
- **a text file printed to PDF on pages turned by /Rotate** (a landscape print of the
  ``pdf/textgrid`` kind): turned pages were refused as a grid, the page read as proportional
  text, figures of neighbouring columns run together (3 of 6 reports wrong). A page whose
  glyphs stand upright in its own frame is the file's text whatever /Rotate shows
  (``pdf_textgrid._upright``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse10_inputs.py
"""

from __future__ import annotations

import io

import openpyxl
import pypdfium2 as pdfium

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks


def _quoted(data: bytes, form: str) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                    cell.value = form.format(cell.value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _turned(data: bytes, angle: int) -> bytes:
    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        pdf[i].set_rotation(angle)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_apostrophe_figures_and_turned_text_pages() -> None:
    misses = []
    for seed, fmt, style, form in ((41, "2021", "official", "'{}"), (42, "2019", "sheets", "'{:,}")):
        fig = make_figures(seed, fmt, blanks="some", scale="large")
        got = parse_document(_quoted(render(fig, "xlsx", style), form), None, "report.xlsx")
        exp = expected_json(fig, "xlsx", style)
        misses += [f"xlsx {seed}: {d}" for d in compare_cells(exp, got) + compare_checks(exp, got)]
    for seed, fmt, angle in ((0, "2019", 90), (2, "2021", 270)):
        fig = make_figures(seed, fmt, blanks="some")
        got = parse_document(_turned(render(fig, "pdf", "textgrid"), angle), None, "report.pdf")
        exp = expected_json(fig, "pdf", "textgrid")
        misses += [f"pdf {seed}: {d}" for d in compare_cells(exp, got) + compare_checks(exp, got)]
    assert misses == []
