"""Red-team round 7: workbooks written by a program, their totals formulas with no value.

A statistics system's export or a filled template saved by a library (not by a spreadsheet)
holds ``=SUM(D30:I30)`` in the 总计 cells and no cached value; a spreadsheet opening it shows
the sums, and so does the printed report. Decided by the lead (round 7): plain sums and
additions/subtractions of cells and ranges on the same sheet are evaluated; anything else
(other functions, other sheets, products) stays null. Figures come from
:mod:`tests.fixturegen` (known by construction); :func:`tests.fixturegen.formulas.with_formulas`
turns the totals into formulas only where a spreadsheet shows the printed figure.

    .venv/bin/python -m pytest -q tests/test_redteam_parse9_formulas.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks
from tests.fixturegen.formulas import STYLES, with_formulas


def _formulas(data: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return sum(1 for ws in book.worksheets for row in ws.iter_rows() for cell in row
               if isinstance(cell.value, str) and cell.value.startswith("="))


@pytest.mark.parametrize("style,fmt,layout,seed", [
    (style, fmt, layout, seed) for style, (fmt, layout, seed) in zip(
        STYLES, [("2021", "official", 1), ("2019", "sheets", 2), ("2021", "sheets", 3),
                 ("2019", "official", 4)])])
def test_uncached_plain_sums_show_their_values(style: str, fmt: str, layout: str, seed: int) -> None:
    fig = make_figures(seed=seed, fmt=fmt, blanks="some")
    data = with_formulas(render(fig, "xlsx", layout), style)
    assert _formulas(data) >= 5  # totals are formulas (with +, not those over a text marker)
    want = expected_json(fig, "xlsx", layout)
    got = parse_document(data, None, "report.xlsx")
    problems = compare_cells(want, got) + compare_checks(want, got)
    assert not problems, f"{len(problems)} wrong: " + "; ".join(problems[:8])


def _sheet(cells: dict[str, object]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "表三"
    for ref, value in cells.items():
        ws[ref] = value
    book.create_sheet("其他")["A1"] = 5
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_only_plain_sums_on_the_same_sheet_are_evaluated() -> None:
    """What is not a plain sum of this sheet's cells shows nothing (a blank printed cell)."""
    from parsers.readers.sheet import read_sheet

    formulas = {"A2": "=SUM(B1:D1)", "B2": "=B1+C1-D1", "C2": "=SUMIF(B1:D1,\">1\")",
                "D2": "=B1*2", "E2": "=其他!A1+B1", "F2": "=F3+1", "G2": "=G3", "G3": "=G2",
                "H2": "=B1+E1", "I2": "=SUM(B1,E1)", "J2": "='表三'!B1+C1"}
    rows = read_sheet(_sheet({"A1": "合计", "B1": 7, "C1": 3, "D1": 2, "E1": "无", **formulas}),
                      "xlsx").blocks[1].rows
    assert rows[1] == ["12", "8", "", "", "", "", "", "", "7", "10"]
