"""Red-team round 6: table 三 with a subtotal column of its own — 小计 under 法人或其他组织,
after its five organisations, before 总计 — eight figures a row for seven columns. The eighth
was dropped and the subtotal read as 总计 (0/10). The heads above the first figure place the
小计 column among the printed ones (``tables._subtotal_column``, laid out as the applicant
order is); its figures are dropped.

    .venv/bin/python -m pytest -q tests/test_redteam_parse8_subtotal.py
"""

from __future__ import annotations

import html
import re

import pytest

from parsers import parse_document
from parsers.values import parse_value
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta
from tests.fixturegen.layout import document_blocks


def _with_subtotal(fig, grouped: bool, head: str = "小计") -> bytes:
    """The official page with table 三 rebuilt: a 小计 column (the five organisations' sum)
    between 其他 and 总计; heads in the official two rows, or all eight in one."""
    grid = next(b.grid for b in document_blocks(fig) if b.grid is not None and b.grid.section == "requests")
    labels = grid.width - 7
    texts: dict[tuple[int, int], str] = {}
    for r, row in enumerate(grid.placed()):
        for col, cell, origin in row:
            texts[(r, col)] = cell.text if origin else ""
    rows = []
    for r in range(3, len(grid.rows)):
        cells = [texts.get((r, c), "") for c in range(grid.width)]
        orgs = [parse_value(v, "count")[0] or 0 for v in cells[labels + 1:labels + 6]]
        rows.append(cells[:labels + 6] + [str(sum(orgs))] + cells[labels + 6:])
    corner = html.escape(texts[(0, 0)])
    if grouped:
        heads = [f'<tr><td colspan="{labels}" rowspan="2">{corner}</td><td rowspan="2">自然人</td>'
                 '<td colspan="6">法人或其他组织</td><td rowspan="2">总计</td></tr>',
                 "<tr>" + "".join(f"<td>{h}</td>" for h in
                                  ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", head]) + "</tr>"]
    else:
        heads = [f'<tr><td colspan="{labels}">{corner}</td>' + "".join(
            f"<td>{h}</td>" for h in ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
                                      head, "总计"]) + "</tr>"]
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    page = render(fig, "html", "official").decode("utf-8")
    table = re.findall(r"<table.*?</table>", page, flags=re.S)[1]
    return page.replace(table, '<table border="1">' + "".join(heads) + body + "</table>").encode("utf-8")


@pytest.mark.parametrize("grouped", [True, False], ids=["grouped", "one_row"])
@pytest.mark.parametrize("seed,fmt,blanks", [(81, "2021", "some"), (82, "2019", "none"), (83, "2021", "zeros")])
def test_subtotal_column_is_dropped(seed: int, fmt: str, blanks: str, grouped: bool) -> None:
    fig = make_figures(seed, fmt, blanks=blanks)
    expected = expected_json(fig, "html", "official")
    got = parse_document(_with_subtotal(fig, grouped), None, "report.html")
    assert compare_cells(expected, got) + compare_checks(expected, got) + compare_meta(expected, got) == []


@pytest.mark.parametrize("grouped", [True, False], ids=["grouped", "one_row"])
def test_subtotal_headed_heji_beside_zongji(grouped: bool) -> None:
    """合计 is 总计's variant alone; beside a 总计 it is the subtotal."""
    fig = make_figures(85, "2021", blanks="some")
    expected = expected_json(fig, "html", "official")
    got = parse_document(_with_subtotal(fig, grouped, "合计"), None, "report.html")
    assert compare_cells(expected, got) + compare_checks(expected, got) == []
