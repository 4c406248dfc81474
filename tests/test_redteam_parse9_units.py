"""Red-team round 7: table 二's amounts in 元 with the unit printed outside the column head.

The template's head says ``本年收费金额（单位：万元）``; an office that keeps its books in 元
drops the unit from the head and prints ``单位：元`` over the table, or ``（金额单位：元）``
after heading 二. Amounts are in the key's unit (万元, docs/contract.md): the figure was taken
as 万元, 10,000 times too large (10 of 10 generated pages with a non-zero amount wrong before,
right after; a unit in the 金额 head or in a row of the table was already read).

    .venv/bin/python -m pytest -q tests/test_redteam_parse9_units.py
"""

from __future__ import annotations

import re

import pytest

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells


def _in_yuan(fig, where: str) -> tuple[bytes, dict]:
    page = render(fig, "html", "official").decode()
    expected = expected_json(fig, "html", "official")
    row, col = next((r, c) for r, cols in expected["active"].items() for c in cols if "amount" in c)
    raw, value = fig.text("active", row, col), expected["active"][row][col]
    assert value and f">{raw}<" in page  # an amount of 0 is 0 in any unit
    page = page.replace(f">{raw}<", f">{round(value * 10000)}<")
    head = (re.findall(r">([^<>]*（单位：万元）[^<>]*)<", page) + re.findall(r">(采购总金额[^<>]*)<", page))[0]
    page = page.replace(f">{head}<", f">{head.replace('（单位：万元）', '')}<")
    if where == "over_table":
        at = page.find("<table", page.find("二、主动公开"))
        page = page[:at] + '<p style="text-align:right">单位：元</p>' + page[at:]
    else:  # after heading 二
        at = page.find("<", page.find("二、主动公开"))
        page = page[:at] + "（金额单位：元）" + page[at:]
    return page.encode(), expected


@pytest.mark.parametrize("where", ["over_table", "heading"])
@pytest.mark.parametrize("seed,fmt", [(2, "2021"), (3, "2019")])
def test_amounts_in_yuan_by_a_unit_note(where: str, seed: int, fmt: str) -> None:
    data, expected = _in_yuan(make_figures(seed, fmt, blanks="none"), where)
    got = parse_document(data, None, "report.html")
    assert compare_cells(expected, got) == []


@pytest.mark.parametrize("sign", ["↓", "下降"])
def test_decreases_printed_with_an_arrow_or_a_word(sign: str) -> None:
    """本年增/减 (2019 format) printed ``↓3`` or ``下降3`` for a decrease (``↑3``, ``上升3``
    for an increase): the cell was read as text, the row's figures moved (every such row
    wrong before)."""
    for seed in range(20):
        fig = make_figures(seed, "2019", blanks="none")
        expected = expected_json(fig, "html", "official")
        changes = [(row, cols["change"]) for row, cols in expected["active"].items()
                   if cols.get("change")]
        if len(changes) >= 2 and any(v < 0 for _, v in changes) and any(v > 0 for _, v in changes):
            break
    page = render(fig, "html", "official").decode()
    for row, value in changes:
        raw = fig.text("active", row, "change")
        up = "↑" if sign == "↓" else "上升"
        page = page.replace(f">{raw}<", f">{sign if value < 0 else up}{abs(value)}<", 1)
    got = parse_document(page.encode(), None, "report.html")
    assert compare_cells(expected, got) == []
