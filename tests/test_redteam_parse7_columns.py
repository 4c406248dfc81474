"""Red-team round 5: table 三's applicant columns printed in an order of their own — 总计 first,
法律服务机构 before 商业企业 — under one row of heads or under the official two (自然人 and 总计
merged down beside 法人或其他组织 over its five). Figures were read by position: every figure
of the table one column off (0/10). The heads above the first figure give the printed order,
and each row's figures are put back in the official one (``tables._applicant_order``); heads
that are not laid out in printed rows (a cell per line) leave the order as it is. A remarks
column (备注) right of 总计, its `无` read as the last figure, is dropped
(``layout.drop_note_column``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse7_columns.py
"""

from __future__ import annotations

import html
import re

import pytest

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta
from tests.fixturegen.layout import document_blocks

NAMES = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
ALIASES = ["自然人", "商业企业", "科研机构", "公益组织", "法律服务机构", "其他组织", "合计"]
TOTAL_FIRST = [6, 0, 1, 2, 3, 4, 5]
LEGAL_FIRST = [0, 4, 1, 2, 3, 5, 6]


def _page(fig, order: list[int], grouped: bool, names: list[str] = NAMES) -> bytes:
    """The official page with table 三 rebuilt: its applicant columns in ``order``."""
    page = render(fig, "html", "official").decode("utf-8")
    grid = next(b.grid for b in document_blocks(fig) if b.grid is not None and b.grid.section == "requests")
    labels = grid.width - 7
    text: dict[tuple[int, int], str] = {}
    for r, row in enumerate(grid.placed()):
        for col, cell, origin in row:
            text[(r, col)] = cell.text if origin else ""
    corner = html.escape(text[(0, 0)])
    if grouped:  # 自然人 and 总计 merged down beside the group, its five leaves below
        upper = "".join('<td colspan="5">法人或其他组织</td>' if n == 1 else f'<td rowspan="2">{names[n]}</td>'
                        for n in order if n in (0, 1, 6))
        lower = "".join(f"<td>{names[n]}</td>" for n in order if n not in (0, 6))
        heads = [f'<tr><td colspan="{labels}" rowspan="2">{corner}</td>{upper}</tr>', f"<tr>{lower}</tr>"]
    else:
        heads = [f'<tr><td colspan="{labels}">{corner}</td>' +
                 "".join(f"<td>{names[n]}</td>" for n in order) + "</tr>"]
    body = ["<tr>" + "".join(f"<td>{html.escape(text.get((r, c), ''))}</td>"
                             for c in [*range(labels), *(labels + n for n in order)]) + "</tr>"
            for r in range(3, len(grid.rows))]
    tables = re.findall(r"<table.*?</table>", page, flags=re.S)
    return page.replace(tables[1], '<table border="1">' + "".join(heads + body) + "</table>").encode("utf-8")


@pytest.mark.parametrize("order", [TOTAL_FIRST, LEGAL_FIRST], ids=["total_first", "legal_first"])
@pytest.mark.parametrize("grouped", [False, True], ids=["one_row", "grouped"])
@pytest.mark.parametrize("seed,fmt", [(5, "2021"), (6, "2019")])
def test_applicant_columns_in_another_order(seed: int, fmt: str, grouped: bool, order: list[int]) -> None:
    if grouped and order == LEGAL_FIRST:
        order = [6, 0, 1, 3, 2, 4, 5]  # the group's leaves reordered inside it, 总计 first
    fig = make_figures(seed, fmt, blanks="none")
    expected = expected_json(fig, "html", "official")
    got = parse_document(_page(fig, order, grouped), None, "report.html")
    assert compare_cells(expected, got) + compare_meta(expected, got) + compare_checks(expected, got) == []


@pytest.mark.parametrize("grouped", [False, True], ids=["one_row", "grouped"])
def test_heads_in_their_variant_wordings(grouped: bool) -> None:
    """合计 for 总计, 其他组织 for 其他, 公益组织 for 社会公益组织."""
    fig = make_figures(5, "2021", blanks="none")
    expected = expected_json(fig, "html", "official")
    got = parse_document(_page(fig, TOTAL_FIRST, grouped, ALIASES), None, "report.html")
    assert compare_cells(expected, got) + compare_checks(expected, got) == []


def test_the_official_order_is_left_alone() -> None:
    fig = make_figures(7, "2021")
    expected = expected_json(fig, "html", "official")
    got = parse_document(_page(fig, list(range(7)), True), None, "report.html")
    assert compare_cells(expected, got) == []


def _with_notes(fig) -> bytes:
    """Table 三 with a 备注 column right of 总计 (merged down its three head rows), holding
    ``无``, a remark or nothing."""
    page = render(fig, "html", "official").decode("utf-8")
    table = re.findall(r"<table.*?</table>", page, flags=re.S)[1]
    rows = re.findall(r"<tr>.*?</tr>", table, flags=re.S)
    notes = ["无", "按时办结", ""]
    new = table
    for n, row in enumerate(rows):
        if n == 0:
            cell = '<th rowspan="3">备注</th>'
        elif n < 3:
            continue
        else:
            cell = f"<td>{notes[n % 3]}</td>"
        new = new.replace(row, row.replace("</tr>", cell + "</tr>"), 1)
    return page.replace(table, new).encode("utf-8")


@pytest.mark.parametrize("seed,fmt", [(794049188, "2021"), (600831802, "2021"), (8, "2019")])
def test_a_remarks_column_right_of_the_figures(seed: int, fmt: str) -> None:
    fig = make_figures(seed, fmt, blanks="some")
    expected = expected_json(fig, "html", "official")
    got = parse_document(_with_notes(fig), None, "report.html")
    assert compare_cells(expected, got) + compare_checks(expected, got) == []
