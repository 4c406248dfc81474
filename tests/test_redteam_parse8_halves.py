"""Red-team round 6: table 三 in two halves (cut by columns, 续表 between) printed to PDF by
LibreOffice across page breaks (0/2 after round 5). Each half comes in a table per page and
the breaks fall at different rows: one half's row label is cut over the break (``（二）部分公开
（…不计`` / ``其他情形）`` atop the next page), and the first half's top head row (申请人情况
merged over the columns) is read as text, so the halves have different numbers of rows.
``layout.join_column_halves`` now reads each half's pieces as one table (empty rows dropped, a
label's tail joined to its row) and pairs the head rows from the bottom.

The PDFs are built by ``python -m tests.eval.make_redteam_parse8`` (LibreOffice) and committed.

    .venv/bin/python -m pytest -q tests/test_redteam_parse8_halves.py
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import parse_file
from parsers.document import Table
from parsers.layout import join_column_halves
from tests.eval.make_redteam_parse8 import DOCUMENTS
from tests.fixturegen import expected_json, make_figures
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta

EVAL = Path(__file__).resolve().parent / "eval"
HEAD = [["", "自然人", "商业企业"], ["", "自然人", "商业企业"]]
BODY = [["一、本年新收", "3", "1"], ["二、上年结转", "0", "2"], ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1", "0"],
        ["四、结转下年度继续办理", "1", ""]]
OTHER = [["", "其他", "总计"], ["一、本年新收", "", "4"], ["二、上年结转", "1", "3"],
         ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "1"], ["四、结转下年度继续办理", "", "1"]]


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in DOCUMENTS if n.startswith("pdf_halves")])
def test_halves_printed_over_page_breaks(name: str) -> None:
    options, _, ext = DOCUMENTS[name]
    fig = make_figures(**options)
    expected = expected_json(fig, "html", "halves")
    got = parse_file(EVAL / f"{name}.{ext}")
    assert compare_cells(expected, got) + compare_checks(expected, got) + compare_meta(expected, got) == []


def test_a_label_cut_by_the_break_joins_its_row() -> None:
    cut = [OTHER[:3] + [["（二）部分公开（区分处理的，只计这一情形，不计", "", "1"]], [["其他情形）", "", ""], OTHER[4]]]
    blocks = [Table([HEAD[1], *BODY[:1]], page=2), Table(BODY[1:], page=2), "续表",
              Table(cut[0], page=2), Table(cut[1], page=3)]
    [joined] = join_column_halves(blocks)
    assert joined.rows[3] == ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1", "0", "", "1"]
    assert len(joined.rows) == 5


def test_a_half_that_lost_its_top_head_row() -> None:
    first = [HEAD[1], *BODY]
    second = [["", "申请人情况", "申请人情况"], *OTHER]
    [joined] = join_column_halves([Table(first), "续表", Table(second)])
    assert joined.rows == [["", "自然人", "商业企业", "其他", "总计"]] + [
        x + y[1:] for x, y in zip(BODY, OTHER[1:])]
