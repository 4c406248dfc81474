"""XLSX renderings with openpyxl: the report on one sheet, tables with merged cells.

Prose lines sit in column A merged across the table width; numbers that print as plain
numerals are stored as numeric cells (as a typist's spreadsheet would hold them), everything
else (``—``, ``251000元``, ``减3``, ``1,234``) as text.

    >>> from tests.fixturegen.figures import make_figures
    >>> render_xlsx(make_figures(4, "2021"))[:2]
    b'PK'
"""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from tests.fixturegen.figures import Figures
from tests.fixturegen.layout import document_blocks, turned
from tests.fixturegen.render_docx import normalise_zip

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_PLAIN_INT = re.compile(r"^(0|[1-9][0-9]*)$")
_PLAIN_DEC = re.compile(r"^(0|[1-9][0-9]*)\.[0-9]*[1-9]$")


_SHEET_NAMES = {"active": "主动公开", "requests": "依申请公开", "review_litigation": "复议诉讼"}


def render_xlsx(fig: Figures, style: str = "official") -> bytes:
    """The report as a .xlsx workbook: ``official`` on one sheet; ``sheets`` its text on a
    first sheet (the section headings with nothing under them) and each table on a sheet of its
    own, named after it, the sheets in an order of their own (表三's first when the seed is
    even); ``transposed`` as ``official`` with table 三 turned (the applicants as rows)."""
    if style not in ("official", "sheets", "transposed"):
        raise ValueError(f"unknown XLSX style {style!r}; 'official', 'sheets' or 'transposed'")
    wb = Workbook()
    ws = wb.active
    ws.title = f"{fig.year}年报"
    width = 15
    r = 1
    apart = []
    for block in document_blocks(fig):
        if block.kind == "table" and block.grid is not None and style == "sheets":
            apart.append(block.grid)
            continue
        if block.kind == "table" and block.grid is not None:
            grid = block.grid
            if style == "transposed" and (grid.section == "requests" or grid.section == "review_litigation"
                                          and fig.rng("xlsx:turn_review").random() < 0.5):
                grid = turned(grid, fig)  # 三: applicants as rows; 四: a row per figure
            for row in grid.placed():
                for col, cell, origin in row:
                    if not origin:
                        continue
                    target = ws.cell(row=r, column=col + 1, value=_typed(cell.text, cell.role))
                    target.alignment = Alignment(horizontal="center", vertical="center",
                                                 wrap_text=True)
                    for dr in range(cell.rowspan):
                        for dc in range(cell.colspan):
                            ws.cell(row=r + dr, column=col + 1 + dc).border = _BOX
                    if cell.rowspan > 1 or cell.colspan > 1:
                        ws.merge_cells(start_row=r, start_column=col + 1,
                                       end_row=r + cell.rowspan - 1,
                                       end_column=col + cell.colspan)
                r += 1
            r += 1
            continue
        ws.cell(row=r, column=1, value=block.text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        if block.kind in ("title", "heading"):
            ws.cell(row=r, column=1).font = Font(bold=True, size=14 if block.kind == "title" else 11)
        r += 1
    if fig.seed % 2 == 0:
        apart.sort(key=lambda grid: grid.section != "requests")
    for grid in apart:
        sheet = wb.create_sheet(_SHEET_NAMES.get(grid.section, grid.section))
        for r, row in enumerate(grid.placed(), start=1):
            for col, cell, origin in row:
                if not origin:
                    continue
                sheet.cell(row=r, column=col + 1, value=_typed(cell.text, cell.role))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        sheet.cell(row=r + dr, column=col + 1 + dc).border = _BOX
                if cell.rowspan > 1 or cell.colspan > 1:
                    sheet.merge_cells(start_row=r, start_column=col + 1,
                                      end_row=r + cell.rowspan - 1, end_column=col + cell.colspan)
    for letter in "ABC":
        ws.column_dimensions[letter].width = 22
    fixed = dt.datetime(2024, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = fig.agency
    wb.properties.title = fig.title
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue())


def _typed(text: str, role: str) -> str | int | float | None:
    """Numeric cell for a plain numeral value, text otherwise, None for an empty cell."""
    if text == "":
        return None
    if role in ("value", "extra") and _PLAIN_INT.match(text):
        return int(text)
    if role == "value" and _PLAIN_DEC.match(text):
        return float(text)
    return text
