"""Red-team round 8: TRS article pages printed to PDF by a browser (Chromium), as a reader's
打印 → 另存为 PDF makes them, with and without the browser's header and footer.

Three failures, each its own fix in ``parsers/readers/pdf.py``:

- the runs are set glyph by glyph and PDFium boxes each glyph's ink, so a narrow ``1`` stands
  off its neighbours by a quarter of its height: ``217`` read ``2 17`` (→ 2), ``11`` read
  ``1 1`` (every printed page of four of five reports wrong). Two digits join unless half a
  digit's height apart (``_join_words``);
- the header's print date and page title atop each page, and the ``_`` of that title set a
  little lower, were text above a table's row pushed alone onto the next page, and the
  footer's ``file:///…`` and ``5/6`` ran into table 四 when its first head row ended a page
  (a row or the whole table lost). A browser's header and footer lines and a mark alone in the
  margin are page furniture (``_BROWSER_FURNITURE``, ``_NO_WORD``);
- the 2019 form's 行政事业性收费 and 采购 rows span two columns a line drawn only in other rows
  parts: ``增3`` and ``２８６３１．４３万元`` centred across it were cut in two (round 7's
  leftover, seed 5). One figure's pieces across an undrawn line are one cell
  (``_merged_across``).

The eval documents ``tests/eval/pdf_browser_*`` (``python -m tests.eval.make_redteam_parse10``,
Chromium) are these pages; the tests here read one and the pieces the fixes decide on.

    .venv/bin/python -m pytest -q tests/test_redteam_parse10_pdf.py
"""

from __future__ import annotations

import json
from pathlib import Path

from parsers import parse_document
from parsers.readers.pdf import Line, Word, _is_page_furniture, _join_words, _merged_across
from tests.fixturegen.compare import compare_cells, compare_meta

EVAL = Path(__file__).resolve().parent / "eval"


def test_browser_printed_figures_header_and_merged_cells() -> None:
    # Digits of one figure set glyph by glyph (Chromium, DejaVu Sans at 10.5 pt): kept whole;
    # two figures a space apart are two.
    run = [Word("2", 325.0, 329.86, 609.34, 617.25), Word("17", 332.08, 343.39, 609.48, 617.25)]
    assert _join_words(run) == "217"
    assert _join_words([Word("2", 325.0, 329.9, 609.3, 617.3), Word("17", 334.3, 345.6, 609.3, 617.3)]) \
        == "2 17"
    # A browser's header and footer, wherever the page's figures are; a page's own text is not.
    height = 792.0

    def line(text: str, top: float) -> Line:
        return Line([Word(text, 30, 300, top, top + 8)])

    assert _is_page_furniture(line("12/7/26 , 7 : 00 PM 某县2024 年政府信息公开工作年度报告", 16), height)
    assert _is_page_furniture(line("_", 25), height)
    assert _is_page_furniture(line("fil e :///tm p/tm p7 re m rkm 6/pa g e . htm l 2/6", 768), height)
    assert _is_page_furniture(line("https://www.example.gov.cn/art/2025/1/9/art_1.html 3/6", 768), height)
    assert not _is_page_furniture(line("行政事业性收费 2922200元", 44), height)
    assert not _is_page_furniture(line("12/7/26 , 7 : 00 PM", 300), height)
    # ``增`` | ``3`` centred across a column line not drawn at their height: one cell.
    xs, drawn = [250.0, 324.0, 398.0, 471.0, 545.0], [250.0, 324.0, 398.0, 471.0, 545.0]
    verticals = [{"orientation": "v", "x0": x, "top": 630.0, "bottom": 700.0} for x in (250.0, 324.0, 398.0, 545.0)]
    words = [Word("8", 357, 363, 656, 664), Word("增", 462, 469, 655, 665), Word("3", 470, 476, 656, 664)]
    assert _merged_across(xs, drawn, verticals, words) == [0, 1, 2, 2]
    # …but a label beside a figure stays two cells
    label = [Word("合计", 440, 469, 655, 665), Word("3", 470, 476, 656, 664)]
    assert _merged_across(xs, drawn, verticals, label) == [0, 1, 2, 3]
    # The whole page: every cell and field.
    name = "pdf_browser_row_opens_page_2024"
    expected = json.loads((EVAL / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = parse_document((EVAL / f"{name}.pdf").read_bytes(), None, f"{name}.pdf")
    assert compare_cells(expected, got) + compare_meta(expected, got) == []
