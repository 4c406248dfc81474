"""Undo layout habits before interpretation: prose and headings printed inside a table, and a
序号 column numbering the rows of a table.

Spreadsheets and some HTML pages put the whole report in one grid, each paragraph a one-cell
row. Those rows are paragraphs: they carry the title, the section headings, the prose and the
closing signature, which the other stages look for among paragraph blocks.

    >>> from parsers.document import Table
    >>> blocks = unwrap([Table([["一、总体情况"], ["规章", "0", "0", "0"], ["2025年1月9日", ""]])])
    >>> [type(b).__name__ for b in blocks]
    ['str', 'Table', 'str']
    >>> drop_row_numbers([Table([["序号", "信息内容", "本年制发件数"], ["1", "规章", "0"]])])[0].rows
    [['信息内容', '本年制发件数'], ['规章', '0']]
"""

from __future__ import annotations

import re

from parsers.cells import split_pieces
from parsers.document import Block, Table
from parsers.metadata import looks_like_agency_line, match_title, parse_date
from parsers.sections import heading_kind


def _is_paragraph(text: str) -> bool:
    pieces = split_pieces(text, True)
    if len(pieces) == 1 and pieces[0][1] == "prose":
        return True
    return bool(heading_kind(text, None) or heading_kind(text, "problems") or match_title(text)
                or parse_date(text) or looks_like_agency_line(text))


def unwrap(blocks: list[Block]) -> list[Block]:
    """Split tables around one-cell rows that are paragraphs; other blocks pass unchanged."""
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, Table):
            out.append(block)
            continue
        rows: list[list[str]] = []
        for row in block.rows:
            filled = [c for c in row if c and c.strip()]
            if len(filled) == 1 and _is_paragraph(filled[0]):
                if rows:
                    out.append(Table(rows, block.page))
                    rows = []
                out.append(filled[0])
            else:
                rows.append(row)
        if rows:
            out.append(Table(rows, block.page) if len(rows) != len(block.rows) else block)
    return out


_ROW_NUMBER_HEAD = re.compile(r"^(序号|编号|序列)$")


def drop_row_numbers(blocks: list[Block]) -> list[Block]:
    """Drop a leading 序号 column: its 1, 2, 3 … would read as figures of the row above.

    A table whose header row starts with 序号 numbers its rows in the first cell; the cells
    that continue the count (1, 2, …, also into the next tables of a split table) or restart
    it at 1 go. Any other first cell stays, and a table that does not continue the count ends
    it.
    """
    out: list[Block] = []
    counter: int | None = None
    for block in blocks:
        if not isinstance(block, Table):
            out.append(block)
            continue
        head = next((n for n, row in enumerate(block.rows[:4])
                     if row and _ROW_NUMBER_HEAD.match(re.sub(r"\s+", "", row[0]))), None)
        if head is not None:
            counter = 0
        elif counter is not None and not any(_continues(row, counter) for row in block.rows[:2]):
            counter = None
        if counter is None:
            out.append(block)
            continue
        rows = []
        for n, row in enumerate(block.rows):
            if n == head:
                rows.append(row[1:])
            elif _continues(row, counter) or _continues(row, 0):  # or a count restarting at 1
                counter = int(row[0].strip())
                rows.append(row[1:])
            else:
                rows.append(row)
        out.append(Table(rows, block.page))
    return out


def _continues(row: list[str], counter: int) -> bool:
    return len(row) > 1 and row[0].strip() == str(counter + 1)
