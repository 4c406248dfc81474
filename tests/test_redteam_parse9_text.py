"""Red-team round 7, space-aligned text (``txt/layout`` and the same text printed on a fixed
grid, ``pdf/textgrid``): the misses ``explore -n 150 pdf/textgrid`` left (147/150 → 150/150).

* An undivided （六）其他处理 row with every figure blank prints its label alone, then
  （七）总计: the row was not seen, so a 2021 report's checks took the three sub-rows
  (``tables._undivided_other``).
* Table 四's group heads as wide as a leaf head (``行政诉讼``, four characters like
  ``结果维持``), set across two leaf heads of the line below (总计 | 结果维持): the two were
  merged into one head and a blank column was lost (``text_columns._blank_columns``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse9_text.py
"""

from __future__ import annotations

import pytest

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks

CASES = [dict(seed=327718051, fmt="2021", variant="single_other", blanks="zeros", scale="large"),
         dict(seed=360925946, fmt="2021", variant="mixed", inconsistency="bad_row_total", blanks="zeros",
              scale="medium"),
         dict(seed=94526838, fmt="2021", variant="single_other", inconsistency="bad_results_total",
              blanks="zeros", scale="large")]


@pytest.mark.parametrize("args", CASES)
def test_space_aligned_text(args: dict) -> None:
    fig = make_figures(**args)
    expected = expected_json(fig, "txt", "layout")
    got = parse_document(render(fig, "txt", "layout"), None, "report.txt")
    assert compare_cells(expected, got) + compare_checks(expected, got) == []


def test_text_printed_on_a_grid() -> None:
    fig = make_figures(**CASES[2])
    expected = expected_json(fig, "pdf", "textgrid")
    got = parse_document(render(fig, "pdf", "textgrid"), None, "report.pdf")
    assert compare_cells(expected, got) + compare_checks(expected, got) == []


def test_group_heads_and_wrapped_heads() -> None:
    """A group head no wider than a leaf head, across two of them (行政诉讼 over 总计 |
    结果维持), names a group: every blank column stays. The lines of one wrapped head
    (法律 / 服务 / 机构) are no group: the blank 其他 column beside them is kept."""
    from parsers.readers.text_columns import aligned_rows

    review = ["          行政复议                        行政诉讼",
              "结果维持  结果纠正  总计",
              "                              结果纠正  总计    结果维持  总计",
              "             5       5           3                         3"]
    assert aligned_rows(review)[3] == ["", "5", "5", "3", "", "", "3"]
    lines = ["              自然人   法律   其他   总计",
             "                       服务",
             "                       机构",
             "本年新收          12     3              15",
             "上年结转           1     1               2"]
    assert aligned_rows(lines)[3] == ["本年新收", "12", "3", "", "15"]
