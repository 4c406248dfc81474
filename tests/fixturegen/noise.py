"""Layout damage that real conversions do to labels and tables (docs/format.md §6).

    >>> import random
    >>> broken = space_label("三、本年度办理结果", random.Random(2))
    >>> broken.replace(" ", "")
    '三、本年度办理结果'
"""

from __future__ import annotations

import random

from tests.fixturegen.layout import Cell, Grid


def space_label(text: str, rng: random.Random, breaks: int = 2, sep: str = " ") -> str:
    """Insert stray separators between CJK characters (``商业 企业``, ``三、本 年度办 理结果``)."""
    positions = [i for i in range(1, len(text))
                 if _cjk(text[i - 1]) and _cjk(text[i])]
    if not positions:
        return text
    chosen = sorted(rng.sample(positions, min(breaks, len(positions))), reverse=True)
    for i in chosen:
        text = text[:i] + sep + text[i:]
    return text


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def split_grid(grid: Grid, at_row: int) -> tuple[Grid, Grid]:
    """Split a table in two after ``at_row`` rows, as a page break in a converted document does.

    Spans crossing the cut are clipped in the first part; the second part loses the leading
    column of cells that were vertically merged from above (the indent cells), so its rows
    start with their own labels (seed 002; §6 "Table split in several tables").
    """
    import copy

    first_rows = [[copy.copy(c) for c in row] for row in grid.rows[:at_row]]
    for r, row in enumerate(first_rows):
        for cell in row:
            cell.rowspan = min(cell.rowspan, at_row - r)
    placed = grid.placed()[at_row:]
    second_rows: list[list[Cell]] = []
    for r, row in enumerate(placed):
        out: list[Cell] = []
        for col, cell, origin in row:
            if not origin:
                continue  # merged from above the cut: lost
            c = copy.copy(cell)
            c.rowspan = min(c.rowspan, len(placed) - r)
            if col == 0 and c.colspan > 1 and grid.section == "requests":
                c.colspan -= 1  # the lost indent column narrows the table
            out.append(c)
        second_rows.append(out)
    width2 = grid.width - 1 if grid.section == "requests" else grid.width
    return Grid(grid.width, first_rows, grid.section), Grid(width2, second_rows, grid.section)


def split_review_header(grid: Grid) -> Grid:
    """Table 四 with its five review header cells broken over two rows (结果/维持, 文登 2022)."""
    import copy

    rows = [[copy.copy(c) for c in row] for row in grid.rows]
    top, bottom = [], []
    for text in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"):
        top.append(Cell(text[:len(text) // 2], role="header"))
        bottom.append(Cell(text[len(text) // 2:], role="header"))
    rows[1] = top + rows[1][5:]
    rows[2] = bottom + rows[2]
    return Grid(grid.width, rows, grid.section)
