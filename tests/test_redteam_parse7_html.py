"""Red-team round 5: HTML tables built of ``<div>``s laid out by a stylesheet (no ``<table>``):
a box of row boxes, each with a box per column, a cell's text bare or in its own ``<p>``
(``explore html/divs``). Read as paragraphs, the empty boxes vanished and every figure after a
blank moved up a column (table 四's one row of fifteen figures most of all: 25/30, and 8/10
before any of it was read as a table). Such a grid becomes a table; text in boxes that is not
one (a page's sections, a pager) stays text.

    .venv/bin/python -m pytest -q tests/test_redteam_parse7_html.py
"""

from __future__ import annotations

import pytest

from parsers import parse_document
from parsers.document import Table
from parsers.readers.html import read_html
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta

# explore -n 30 html/divs's failing cases before the fix
CASES = [
    dict(seed=793751298, fmt="2019", inconsistency="bad_results_total", blanks="some", scale="small"),
    dict(seed=685117698, fmt="2021", inconsistency="bad_balance", blanks="some", scale="medium"),
    dict(seed=409424900, fmt="2021", inconsistency="bad_balance", blanks="some", scale="small"),
    dict(seed=995442151, fmt="2019", blanks="some", scale="small"),
    dict(seed=311047095, fmt="2019", inconsistency="bad_balance", blanks="some", scale="medium"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c["seed"]))
def test_div_tables_read_cell_by_cell(case: dict) -> None:
    fig = make_figures(**case)
    data = render(fig, "html", "divs")
    expected = expected_json(fig, "html", "divs")
    got = parse_document(data, None, "report.html")
    assert compare_cells(expected, got) + compare_meta(expected, got) + compare_checks(expected, got) == []


def test_boxes_of_text_are_no_table() -> None:
    page = ("<html><body><div class='main'>"
            "<div><p>一、总体情况</p><p>2023年，本机关主动公开信息12条。</p></div>"
            "<div><p>二、主动公开政府信息情况</p><p>详见下表。</p></div>"
            "<div><p>三、收到和处理政府信息公开申请情况</p><p>共收到申请3件。</p></div>"
            "</div><div class='pager'><span>1</span><span>2</span><span>3</span></div>"
            "</body></html>")
    doc = read_html(page.encode("utf-8"))
    assert not any(isinstance(b, Table) for b in doc.blocks)
    assert "一、总体情况" in doc.blocks


def test_a_list_of_titles_with_counts_is_no_table() -> None:
    items = "".join(f"<li><span>{y}年政府信息公开工作年度报告</span><span>{n}</span></li>"
                    for y, n in ((2021, 120), (2022, 87), (2023, 45)))
    page = f"<html><body><p>一、总体情况</p><ul class='list'>{items}</ul></body></html>"
    assert not any(isinstance(b, Table) for b in read_html(page.encode("utf-8")).blocks)
