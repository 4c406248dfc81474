"""Red-team round 9: PDFs the explorer does not make, each read wrong before its fix.

- **a scan with an invisible OCR text layer** (text render mode 3 over the page's picture, each
  run a point or two off, a figure's 0 read as ``O`` and its 1 as ``l``: ``lO``, ``2O3``, a
  lone ``l``, ``ll``): such words were labels to the PDF reader, not figures — rows parted at
  them, their figures in other rows and columns (seeds 0–7: 1/8 exact, 53 figures wrong and
  93 lost to null; after: 8/8). On a page with a large picture the text is OCR's: letters among digits
  are those digits, and a lone ``l``/``I`` (or ``ll``) as tall as the page's figures is a 1 —
  a ruling line OCR reads as a letter runs the cell's height (``pdf._ocr_words``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse11_pdf.py
"""

from __future__ import annotations

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures
from tests.fixturegen.compare import compare_cells, compare_checks
from tests.fixturegen.render_ocr import ocr_layer_pdf


def test_ocr_text_layer_over_a_scan() -> None:
    misses = []
    for seed in (1, 3, 6, 7):
        fig = make_figures(seed, "2021" if seed % 2 else "2019", blanks="some")
        got = parse_document(ocr_layer_pdf(fig, seed), None, "report.pdf")
        exp = expected_json(fig, "pdf", "nolines")
        misses += [f"{seed}: {d}" for d in compare_cells(exp, got) + compare_checks(exp, got)]
    assert misses == []
