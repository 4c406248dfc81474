"""Red-team round 5: a text file printed to PDF glyph by glyph on a fixed grid (one type size,
every glyph on a column of half an em, every line at one pitch, no ruling lines — a text
editor's print of the ``txt/layout`` export; ``explore pdf/textgrid``). Read as a PDF, the
one-space gaps between columns were narrower than the glyph-joining distance (``8`` ``0`` →
``80``, ``226`` ``62`` → ``22662``) and a decimal point's glyph left its digits
(``146.91`` → ``0.014691`` once the 万元 head was lost): 4/10 exact. The page's text is
rebuilt as the file was and read by the text reader. A PDF set any other way is never taken
for a grid.

    .venv/bin/python -m pytest -q tests/test_redteam_parse7_textgrid.py
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from parsers import parse_document
from parsers.readers import pdf_textgrid
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta

# explore -n 10 pdf/textgrid's failing cases before the fix, and more of its kind
CASES = [
    dict(seed=52563260, fmt="2019", inconsistency="bad_row_total", blanks="none", scale="large"),
    dict(seed=176796853, fmt="2019", inconsistency="bad_review_total", blanks="zeros", scale="large"),
    dict(seed=278936569, fmt="2021", inconsistency="bad_review_total", blanks="none", scale="medium"),
    dict(seed=36995144, fmt="2021", variant="mixed", blanks="none", scale="medium"),
    dict(seed=22761326, fmt="2019", blanks="zeros", scale="large"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c["seed"]))
def test_text_printed_on_a_grid_reads_every_cell(case: dict) -> None:
    fig = make_figures(**case)
    data = render(fig, "pdf", "textgrid")
    expected = expected_json(fig, "pdf", "textgrid")
    got = parse_document(data, None, "report.pdf")
    assert compare_cells(expected, got) + compare_meta(expected, got) + compare_checks(expected, got) == []


@pytest.mark.parametrize("style", ["nolines", "textgrid"])
def test_only_a_grid_is_taken_for_one(style: str) -> None:
    """Text placed at table columns and right-aligned (reportlab, no lines) is no grid."""
    pdf = pdfium.PdfDocument(render(make_figures(7, "2021"), "pdf", style))
    try:
        assert (pdf_textgrid.grid_text(pdf, len(pdf)) is not None) == (style == "textgrid")
    finally:
        pdf.close()


@pytest.mark.parametrize("style,case", [
    ("pipe", dict(seed=529695395, fmt="2019", inconsistency="bad_results_total", blanks="zeros", scale="medium")),
    ("pipe", dict(seed=436410998, fmt="2019", inconsistency="bad_review_total", blanks="zeros", scale="medium")),
    ("lines", dict(seed=100153982, fmt="2019", inconsistency="bad_balance", blanks="none", scale="medium")),
], ids=["pipe1", "pipe2", "lines"])
def test_other_text_layouts_printed_on_a_grid(style: str, case: dict) -> None:
    """Tables ruled with pipes, or a cell per line: read as the text reader reads them."""
    from tests.fixturegen.render_pdf import render_pdf_textgrid

    fig = make_figures(**case)
    expected = expected_json(fig, "pdf", "textgrid")
    got = parse_document(render_pdf_textgrid(fig, style), None, "report.pdf")
    assert compare_cells(expected, got) + compare_meta(expected, got) + compare_checks(expected, got) == []
