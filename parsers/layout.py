"""Undo one layout habit before interpretation: prose and headings printed inside a table.

Spreadsheets and some HTML pages put the whole report in one grid, each paragraph a one-cell
row. Those rows are paragraphs: they carry the title, the section headings, the prose and the
closing signature, which the other stages look for among paragraph blocks.

    >>> from parsers.document import Table
    >>> blocks = unwrap([Table([["一、总体情况"], ["规章", "0", "0", "0"], ["2025年1月9日", ""]])])
    >>> [type(b).__name__ for b in blocks]
    ['str', 'Table', 'str']
"""

from __future__ import annotations

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
