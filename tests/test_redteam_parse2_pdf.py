"""Red-team round 2: PDFs printed from Word tables ruled with horizontal lines only.

Offices switch off a table's vertical borders (Word/WPS "inside horizontal" borders only) and
right-align the figures; pdfplumber's lines strategy then finds no cells, and reading by text
spacing breaks rows whose labels wrap over several lines or whose figures are all blank. The
documents are in ``tests/eval/`` (built by ``python -m tests.eval.make_redteam_parse2`` from
generated figures, LibreOffice needed): table 三 over a page break without its head repeated,
a lead-in paragraph between heading 三 and its table, table 三 on a landscape page with its
items numbered 1.…7. / （1）…（8）, table 四 printed with 总计 first, blanks printed as
right-aligned dashes beside digits, signs and full-width digits cut into runs of their own,
large numbers wrapped inside their cells.

    .venv/bin/python -m pytest -q tests/test_redteam_parse2_pdf.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_file
from parsers.document import Table
from parsers.readers import read_document
from tests.fixturegen.compare import compare_cells, compare_meta

EVAL = ROOT / "tests" / "eval"
DOCUMENTS = ("pdf_hrules_2022", "pdf_hrules_leadin_2019", "pdf_hrules_landscape_renumbered_2022",
             "pdf_hrules_dashes_2019", "pdf_hrules_fullwidth_2021", "pdf_hrules_wrapped_2019",
             "pdf_borderless_wrapped_heads_2019", "pdf_threeline_wrapped_2021")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_cell_of_a_horizontal_rules_pdf(name: str) -> None:
    expected = json.loads((EVAL / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = parse_file(EVAL / f"{name}.pdf")
    assert compare_cells(expected, got) + compare_meta(expected, got) == []


def test_the_rules_keep_wrapped_labels_and_blank_rows_whole() -> None:
    """Table 三 comes out one row per ruled band: a label wrapped over three lines is one
    cell, a row whose figures are all blank keeps its seven blank cells."""
    doc = read_document((EVAL / "pdf_hrules_2022.pdf").read_bytes(), None, "r.pdf")
    rows = [r for b in doc.blocks if isinstance(b, Table) for r in b.rows]
    secret = next(r for r in rows if any("属于国家秘密" in c for c in r))
    assert secret[-7:] == [""] * 7 and any(c == "1.属于国家秘密" for c in secret)
    partial = next(r for r in rows if any(c.startswith("（二）部分公开") for c in r))
    assert any(c.endswith("不计其他情形）") for c in partial)


def test_review_heads_cut_into_runs_are_one_column_each() -> None:
    """尚 | 未审结 (two runs of one head) must not make table 四 sixteen columns wide."""
    doc = read_document((EVAL / "pdf_hrules_2022.pdf").read_bytes(), None, "r.pdf")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    review = next(t for t in tables if any("未经复议直接起诉" in "".join(r) or "复议后" in "".join(r)
                                         for r in t.rows))
    assert max(len(r) for r in review.rows) == 15


def _turned_table_pdf(turn: int) -> bytes:
    """Table 三 drawn on an upright A4 page turned by ``turn`` degrees, without /Rotate
    (a landscape table printed by a driver that turns the content instead of the page)."""
    import io

    from reportlab.lib.pagesizes import A4

    from tests.reader_inputs.pdfs import new_canvas
    from tests.test_readers_pdf_office import WIDTHS, draw_word_table, requests_table_three_rows

    width, height = A4
    buf = io.BytesIO()
    c = new_canvas(buf)
    c.saveState()
    if turn == 270:  # text reads bottom to top
        c.translate(width, 0)
        c.rotate(90)
    else:  # text reads top to bottom
        c.translate(0, height)
        c.rotate(-90)
    rows, spans = requests_table_three_rows()
    draw_word_table(c, width - 60, rows, spans, WIDTHS, header_rows=3)
    c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("turn", [90, 270])
def test_table_drawn_turned_on_an_upright_page(turn: int) -> None:
    from tests.test_readers_pdf_office import BODY

    doc = read_document(_turned_table_pdf(turn), None, "turned.pdf")
    rows = [r for b in doc.blocks if isinstance(b, Table) for r in b.rows]
    assert [r for r in rows if r and r[0] in {b[0] for b in BODY}] == BODY
