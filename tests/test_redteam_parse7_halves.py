"""Red-team round 5: table 三 too wide for the page, printed in two halves one under the other —
the label columns with 自然人 and the first three 法人 columns, then (after 续表) the label
columns again with the last two and 总计 (``explore html/halves``: 0/10 before). The second
half's rows are joined to the first's, row by row, when every row opens with the same labels
in both and their heads differ (``layout.join_column_halves``); a table printed twice (same
heads) is never joined to itself.

    .venv/bin/python -m pytest -q tests/test_redteam_parse7_halves.py
"""

from __future__ import annotations

import pytest

from parsers import parse_document
from parsers.document import Table
from parsers.layout import join_column_halves
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta


@pytest.mark.parametrize("seed,fmt,blanks", [(3, "2021", "some"), (4, "2019", "zeros"),
                                             (192623622, "2021", "none"), (9, "2021", "some")])
def test_table_three_in_two_halves(seed: int, fmt: str, blanks: str) -> None:
    fig = make_figures(seed, fmt, blanks=blanks)
    expected = expected_json(fig, "html", "halves")
    got = parse_document(render(fig, "html", "halves"), None, "report.html")
    assert compare_cells(expected, got) + compare_meta(expected, got) + compare_checks(expected, got) == []


def test_tables_of_other_labels_or_the_same_heads_stay_apart() -> None:
    a = Table([["", "自然人", "商业企业"], ["一、本年新收", "3", "1"], ["二、上年结转", "0", "2"],
               ["四、结转下年度继续办理", "1", ""]])
    other = Table([["信息内容", "本年制发件数", "本年废止件数"], ["规章", "1", "0"], ["行政规范性文件", "2", "0"],
                   ["其他", "0", "1"]])
    assert len(join_column_halves([a, other])) == 2
    assert len(join_column_halves([a, "续表", a])) == 3


def test_halves_cut_by_page_breaks_join_across_their_pieces() -> None:
    """A PDF emits a table per page: each half may come in pieces."""
    a = [["", "自然人", "商业企业"], ["一、本年新收", "3", "1"], ["二、上年结转", "0", "2"],
         ["三、本年度办理结果", "1", "0"], ["四、结转下年度继续办理", "1", ""]]
    b = [["", "其他", "总计"], ["一、本年新收", "", "4"], ["二、上年结转", "1", "3"],
         ["三、本年度办理结果", "", "1"], ["四、结转下年度继续办理", "", "1"]]
    blocks = [Table(a[:3], page=2), Table(a[3:], page=3), "续表", Table(b[:2], page=3), Table(b[2:], page=4)]
    [joined] = join_column_halves(blocks)
    assert joined.rows[1:] == [["一、本年新收", "3", "1", "", "4"], ["二、上年结转", "0", "2", "1", "3"],
                               ["三、本年度办理结果", "1", "0", "", "1"], ["四、结转下年度继续办理", "1", "", "", "1"]]
