"""Red-team round 9: PDFs the explorer does not make, each read wrong before its fix.

- **a scan with an invisible OCR text layer** (text render mode 3 over the page's picture, each
  run a point or two off, a figure's 0 read as ``O`` and its 1 as ``l``: ``lO``, ``2O3``, a
  lone ``l``, ``ll``): such words were labels to the PDF reader, not figures — rows parted at
  them, their figures in other rows and columns (seeds 0–7: 1/8 exact, 53 figures wrong and
  93 lost to null; after: 8/8). On a page with a large picture the text is OCR's: letters among digits
  are those digits, and a lone ``l``/``I`` (or ``ll``) as tall as the page's figures is a 1 —
  a ruling line OCR reads as a letter runs the cell's height (``pdf._ocr_words``).
- **OCR misreading other digits** (5 as ``S``, 8 as ``B``: ``1S``, ``B3``, a lone ``S``): no
  figure anyone can tell, but as words they were labels moving their rows (seeds 0–7: 43
  figures wrong). On a scan such a word of letters and digits (or of OCR's letters for
  digits alone: ``lS``), or a lone ``S``/``B``/``Z``/``G``, is a blank in its column and the
  report warns of it: figures exact or null, none wrong (``pdf._OCR_UNREAD``); the count
  survives a sheet parted in two pages or columns.
- **a browser's print placed whole in a form XObject** (round 8's leftover: a seal-stamping or
  N-up tool over a Chromium PDF, set glyph by glyph): PDFium boxes some glyphs without the
  form's matrix, where the unplaced page had them, though their text matrix places them right;
  lines mixed and tables broke (the 8 Chromium eval PDFs placed at 90 % or 70 %: 8/8 wrong).
  On a page with such glyphs (baseline not their matrix's, and the form's matrix makes it so)
  words are built glyph by glyph, one per text object's run as PDFium's rectangles are, the
  misplaced boxes put through their forms (``pdf._misplaced_glyphs``, ``_glyph_words``): 8/8
  exact at 90 % and 70 %; other PDFs keep PDFium's rectangles.
- **the same two pages to a sheet** (0.6, 每版打印 2 页 over the form): sheets of two table
  pages have no prose on each side, so only the first sheet was parted — the others read as
  one landscape table, rows of both pages joined (3 of 8 wrong once placed glyphs were read; 8
  of 8 before). A later sheet whose empty gutter stands where the sheet before parted is two
  pages too (``pdf._two_up``'s ``known``) (8/8).
- **a true two-column layout** (a gazette's reprint, ``tests/fixturegen/render_columns.py``: the
  title across the page, prose in two columns, tables across between them): each line read
  the two columns' lines as one — sections lost, the closing date unread, table heads cut —
  (0/6 exact). A gutter in the middle fifth crossed by no word of a band holding three lines of
  prose on each side, no line of it a row of heads or figures, makes that band its left column
  then its right (``pdf._two_columns``); the gutter carries to the next page for a short last
  band. A section heading as wide as the column is not joined to the line below it
  (``pdf._whole_heading``) (16/16).
- **a CJK font's codes read through the wrong map** (a font without its ToUnicode map, its
  Unicode codes taken as CIDs of Adobe-GB1: ``青㧧㨋䆿魧魌…``, digits as letters): not seen as
  garbled — no controls or private-use marks —, the report read as no report, ``needs_ocr``
  false (2/2). More than one ideograph in ten outside GBK (traditional characters are inside)
  is no report's text: the page needs OCR, its figures are not read (``pdf._mojibake``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse11_pdf.py
"""

from __future__ import annotations

import json
from pathlib import Path

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta, compare_sections
from tests.fixturegen.render_columns import two_column_pdf
from tests.fixturegen.render_ocr import ocr_layer_pdf
from tests.fixturegen.render_pdf import render_pdf_nolines
from tests.test_redteam_parse10_pages import placed

EVAL = Path(__file__).resolve().parent / "eval"


def test_ocr_text_layer_over_a_scan() -> None:
    misses = []
    for seed in (1, 3, 6, 7):
        fig = make_figures(seed, "2021" if seed % 2 else "2019", blanks="some")
        got = parse_document(ocr_layer_pdf(fig, seed), None, "report.pdf")
        exp = expected_json(fig, "pdf", "nolines")
        misses += [f"{seed}: {d}" for d in compare_cells(exp, got) + compare_checks(exp, got)]
    assert misses == []


def test_ocr_misreads_beyond_o_and_l_are_null_never_wrong() -> None:
    wrong, silent = [], []
    for seed in (2, 5, 7):
        fig = make_figures(seed, "2021" if seed % 2 else "2019", blanks="some")
        data = ocr_layer_pdf(fig, seed, misread={"0": "O", "1": "l", "5": "S", "8": "B"})
        got = parse_document(data, None, "report.pdf")
        diffs = compare_cells(expected_json(fig, "pdf", "nolines"), got)
        wrong += [f"{seed}: {d}" for d in diffs if "got None" not in d]
        if diffs and not any("OCR text layer" in w for w in got["warnings"]):
            silent.append(seed)  # a figure lost to null without a word of warning
    # scanned two pages to a sheet: the count kept when the sheet is parted
    got = parse_document(placed(data, 0.7, per_sheet=2), None, "report.pdf")
    if not any("OCR text layer" in w for w in got["warnings"]):
        silent.append("two to a sheet")
    assert wrong == [] and silent == []


def test_browser_prints_placed_in_a_form() -> None:
    misses = []
    for name, scale in (("pdf_browser_printed_trs_2021", 0.9), ("pdf_chromium_rowspan_2019", 0.7),
                        ("pdf_browser_digits_2024", 0.8)):
        expected = json.loads((EVAL / f"{name}.expected.json").read_text(encoding="utf-8"))
        got = parse_document(placed((EVAL / f"{name}.pdf").read_bytes(), scale), None, "report.pdf")
        misses += [f"{name}: {d}" for d in compare_cells(expected, got)]
    name = "pdf_browser_row_opens_page_2024"
    expected = json.loads((EVAL / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = parse_document(placed((EVAL / f"{name}.pdf").read_bytes(), 0.6, per_sheet=2), None, "report.pdf")
    misses += [f"{name} two to a sheet: {d}" for d in compare_cells(expected, got)]
    assert misses == []


def test_two_column_layout() -> None:
    misses = []
    for seed in range(4):
        fig = make_figures(seed, "2021" if seed % 2 else "2019", blanks="some")
        got = parse_document(two_column_pdf(fig), None, "report.pdf")
        exp = expected_json(fig, "pdf", "nolines")
        misses += [f"{seed}: {d}" for d in compare_cells(exp, got) + compare_checks(exp, got) +
                   compare_meta(exp, got) + compare_sections(exp, got)]
    assert misses == []


def test_ideographs_through_the_wrong_map_need_ocr() -> None:
    for seed in (1, 2):
        fig = make_figures(seed, "2021" if seed % 2 else "2019", blanks="some")
        data = render_pdf_nolines(fig)
        assert b"/UniGB-UCS2-H" in data
        got = parse_document(data.replace(b"/UniGB-UCS2-H", b"/Identity-H  "), None, "report.pdf")
        figures = [v for t in ("active", "requests", "review_litigation")
                   for row in (got.get(t) or {}).values() for v in row.values() if v is not None]
        assert got["needs_ocr"] is True and figures == []
