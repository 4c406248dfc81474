"""Red-team round 4: space-aligned text tables (``pdftotext -layout`` output) with blank cells.

A blank cell is only spaces there: split at runs of spaces, a row loses it and every figure after
moves a column left. tests.fixturegen's ``txt/layout`` style prints Word tables the way
``pdftotext -layout`` does (cells at their columns' positions, a CJK character two wide,
labels wrapped in their column, figures right-aligned or centred); the reader infers the
columns from where figures and heads stand (parsers.readers.text_columns).

    .venv/bin/python -m pytest -q tests/test_redteam_parse6_text.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document
from parsers.document import Table
from parsers.readers.text import read_text
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta

REQUESTS = [
    "                                  自然人              法人或其他组织              总计",
    "                                            商业   科研   社会   法律   其他",
    "                                            企业   机构   公益   服务",
    "                                                          组织   机构",
    "一、本年新收政府信息公开申请数量    1       1                                       2",
    "二、上年结转政府信息公开申请数量    １                                              １",
    "三、本年度办理结果  （一）予以公开  ２      1                                       ３",
]


def _rows(lines: list[str]) -> list[list[str]]:
    return [row for b in read_text("\n".join(lines).encode()).blocks if isinstance(b, Table)
            for row in b.rows]


def test_whole_blank_columns_come_from_the_heads() -> None:
    """Four organisation columns blank in every row: their heads place them."""
    rows = _rows(REQUESTS)
    assert ["一、本年新收政府信息公开申请数量", "1", "1", "", "", "", "", "2"] in rows
    assert ["二、上年结转政府信息公开申请数量", "１", "", "", "", "", "", "１"] in rows
    assert ["三、本年度办理结果", "（一）予以公开", "２", "1", "", "", "", "", "３"] in rows


def test_review_row_with_a_blank_under_wrapped_heads() -> None:
    """Table 四: one row, no label, heads wrapped (结果/维持), group heads over five columns."""
    lines = ["            行政复议                                            行政诉讼",
             "结果   结果   其他   尚未   总计           未经复议直接起诉                      复议后起诉",
             "维持   纠正   结果   审结",
             "                                   结果   结果   其他   尚未   总计   结果   结果   其他   尚未   总计",
             "                                   维持   纠正   结果   审结          维持   纠正   结果   审结",
             "                10            10                                                     25            25"]
    assert _rows(lines)[-1] == ["", "", "10", "", "10", "", "", "", "", "", "", "", "25", "", "25"]


def test_merged_cell_figure_is_not_a_column() -> None:
    """本年增/减 merged over two columns: its lone figure, centred between them, opens no column."""
    lines = ["  信息内容      上一    本年    处理",
             "                年项    增/     决定",
             "行政许可          26       6       5",
             "行政强制                   0      15",
             "行政事业性收费    10          +3"]
    rows = _rows(lines)
    assert ["行政强制", "", "0", "15"] in rows
    assert ["行政事业性收费", "10", "+3"] in rows


def test_wrapped_label_joins_its_row_but_a_blank_row_does_not() -> None:
    lines = ["                          自然人   商业企业   总计",
             "（六）其他处   1.申请人无正      0          0      0",
             "理             当理由逾期不",
             "               补正",
             "               2.重复申请",
             "               3.其他            1                 1"]
    rows = _rows(lines)
    assert rows[1] == ["（六）其他处理", "1.申请人无正当理由逾期不补正", "0", "0", "0"]
    assert rows[-1] == ["3.其他", "1", "", "1"]


# Explorer cases the reader got wrong before round 4 (blank columns, wrapped group labels,
# table 四 under wrapped heads, merged 增/减 cells), and fresh ones.
CASES = [
    dict(seed=893425638, fmt="2019", blanks="zeros", scale="small", inconsistency="bad_balance"),
    dict(seed=687932911, fmt="2019", blanks="some", scale="medium"),
    dict(seed=483076116, fmt="2021", variant="single_other", inconsistency="bad_row_total",
         blanks="some", scale="large"),
    dict(seed=931829415, fmt="2021", inconsistency="bad_balance", blanks="none", scale="large"),
    dict(seed=233626498, fmt="2019", blanks="some", scale="small"),
    dict(seed=39014720, fmt="2019", inconsistency="bad_row_total", blanks="zeros", scale="medium"),
    *[dict(seed=seed, fmt=fmt, blanks="zeros") for seed in (101, 102, 103) for fmt in ("2019", "2021")],
]


# Cells centred vertically (``txt/layout_centred``): a wrapped label's first lines above its
# row's figures, blank rows' labels alone between rows, a merged 本年增/减 figure under its
# merged head, 二、上年结转… left blank (a row label, not a section heading).
CENTRED = [
    dict(seed=579394354, fmt="2021", blanks="none"),
    dict(seed=491277009, fmt="2021", inconsistency="blank_totals", blanks="zeros", scale="medium"),
    dict(seed=666265980, fmt="2019", inconsistency="bad_review_total", blanks="some", scale="medium"),
    dict(seed=412068258, fmt="2019", inconsistency="bad_results_total", blanks="some", scale="medium"),
]


@pytest.mark.parametrize("case,style", [(c, "layout") for c in CASES] + [(c, "layout_centred") for c in CENTRED],
                         ids=lambda c: f"{c['seed']}-{c['fmt']}" if isinstance(c, dict) else c)
def test_layout_text_report_is_exact(case: dict, style: str) -> None:
    fig = make_figures(**case)
    got = parse_document(render(fig, "txt", style), None, "report.txt")
    expected = expected_json(fig, "txt", style)
    assert compare_cells(expected, got) + compare_meta(expected, got) + \
        compare_checks(expected, got) == []


def test_a_lone_spaced_out_line_stays_a_paragraph() -> None:
    blocks = read_text("一、总体情况\n本年度  共收到申请  15件\n- 3 -\n二、主动公开政府信息情况\n".encode()).blocks
    assert blocks == ["一、总体情况", "本年度 共收到申请 15件", "二、主动公开政府信息情况"]  # no page number


def test_label_centred_on_its_row_joins_it_but_a_blank_row_stays_apart() -> None:
    lines = ["                          自然人   商业企业   总计",
             "               3.其他            1                 1",
             "               4.无正当理由",
             "               1.申请人无正",
             "（六）其他处   当理由逾期不      0          0      0",
             "理             补正"]
    rows = _rows(lines)
    assert ["（六）其他处理", "1.申请人无正当理由逾期不补正", "0", "0", "0"] in rows
    assert not any("4.无正当理由" in cell for row in rows for cell in row)


@pytest.mark.parametrize("case,style,after", [
    (dict(seed=678045815, fmt="2021", blanks="none", scale="large"), "layout", "（四）无法提供"),
    (dict(seed=766651030, fmt="2019", blanks="some", scale="medium"), "layout_centred", "2.重复申请"),
    (dict(seed=998438351, fmt="2021", blanks="zeros", scale="small"), "layout", "1.属于国家秘密"),
])
def test_page_break_inside_a_table(case: dict, style: str, after: str) -> None:
    """pdftotext's page break inside table 三: the page number centred on its own line
    (``- 2 -``), a form feed opening the next page's first row — the number is no figure."""
    fig = make_figures(**case)
    lines = render(fig, "txt", style).decode().split("\n")
    k = next(n for n, line in enumerate(lines) if after in line) + 1
    lines[k:k] = ["", "                                   - 2 -", ""]
    lines[k + 3] = "\f" + lines[k + 3]
    got = parse_document("\n".join(lines).encode(), None, "report.txt")
    expected = expected_json(fig, "txt", style)
    assert compare_cells(expected, got) + compare_meta(expected, got) == []
