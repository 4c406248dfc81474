"""Red-team round 4: a workbook with the three tables side by side on one sheet.

Offices that keep the report's tables in Excel often set 表二, 表三 and 表四 next to each
other (an empty column between), each under its section heading, the prose above and below
in column A. Read row by row, every row mixes the three tables' cells. The reader reads such
column bands one after the other, each whole (parsers.readers.sheet._side_by_side); a spacer
column inside one table, or a note beside it, splits nothing.

    .venv/bin/python -m pytest -q tests/test_redteam_parse6_office.py
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from openpyxl.styles import Border, Side

from parsers import parse_document
from parsers.document import Table
from parsers.readers.sheet import read_sheet
from tests.fixturegen import expected_json, make_figures
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta
from tests.fixturegen.layout import document_blocks
from tests.fixturegen.render_docx import normalise_zip

_BOX = Border(*(Side(style="thin"),) * 4)
_TABLE_SECTIONS = ("active", "requests", "review_litigation")


def side_by_side(fig, gap: int = 1, bordered: bool = True) -> bytes:
    """The report on one sheet: prose in column A, the three tables side by side under their
    headings, ``gap`` empty columns between them, then 五 and 六 below."""
    wb = Workbook()
    ws = wb.active
    before: list[str] = []
    after: list[str] = []
    tables: list[tuple[str, object]] = []
    heading = ""
    for block in document_blocks(fig):
        if block.kind == "table" and block.grid is not None:
            tables.append((heading, block.grid))
        elif block.kind == "heading" and block.section in _TABLE_SECTIONS:
            heading = block.text
        else:
            (after if tables else before).append(block.text)
    for r, text in enumerate(before, start=1):
        ws.cell(row=r, column=1, value=text)
    top = len(before) + 1
    col, bottom = 1, top
    for heading, grid in tables:
        ws.cell(row=top, column=col, value=heading)
        r = top + 1
        for placed in grid.placed():
            for c, cell, origin in placed:
                if not origin:
                    continue
                value = int(cell.text) if cell.role == "value" and cell.text.isdigit() else cell.text or None
                ws.cell(row=r, column=col + c, value=value)
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if bordered:
                            ws.cell(row=r + dr, column=col + c + dc).border = _BOX
                if cell.rowspan > 1 or cell.colspan > 1:
                    ws.merge_cells(start_row=r, start_column=col + c, end_row=r + cell.rowspan - 1,
                                   end_column=col + c + cell.colspan - 1)
            r += 1
        bottom = max(bottom, r)
        col += grid.width + gap
    for r, text in enumerate(after, start=bottom + 1):
        ws.cell(row=r, column=1, value=text)
    fixed = dt.datetime(2024, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue())


@pytest.mark.parametrize("seed,fmt,gap,bordered", [(3, "2021", 1, True), (4, "2019", 1, True),
                                                    (8, "2021", 2, True), (9, "2019", 1, False)])
def test_tables_side_by_side_on_one_sheet(seed: int, fmt: str, gap: int, bordered: bool) -> None:
    fig = make_figures(seed, fmt)
    got = parse_document(side_by_side(fig, gap, bordered), None, "report.xlsx")
    expected = expected_json(fig, "xlsx", "official")
    assert compare_cells(expected, got) + compare_meta(expected, got) + \
        compare_checks(expected, got) == []


def _rows(cells: list[list[object]]) -> list[list[str]]:
    wb = Workbook()
    ws = wb.active
    for row in cells:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return [row for b in read_sheet(buf.getvalue(), "xlsx").blocks if isinstance(b, Table)
            for row in b.rows]


def test_spacer_column_of_figures_stays_in_its_table() -> None:
    rows = [["信息内容", "本年制发件数", None, "现行有效件数"],
            ["规章", 1, None, 3], ["行政规范性文件", 2, None, 4]]
    assert _rows(rows) == [["信息内容", "本年制发件数", "", "现行有效件数"],
                           ["规章", "1", "", "3"], ["行政规范性文件", "2", "", "4"]]


def test_a_note_beside_a_table_splits_nothing() -> None:
    rows = [["信息内容", "本年制发件数", "现行有效件数", None, "单位：件"],
            ["规章", 1, 3], ["行政规范性文件", 2, 4]]
    assert _rows(rows)[1:] == [["规章", "1", "3"], ["行政规范性文件", "2", "4"]]
