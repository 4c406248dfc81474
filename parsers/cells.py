"""A document as one stream of cells, the form the table finder works on.

Readers deliver tables as grids, as several pieces, or flattened into lines of text. Rather than
trusting any grid, the interpreter reads every table cell and every short text line as a
sequence of :class:`Cell` s: labels (text), values (numbers, null markers, blanks), prose and
section headings. Row boundaries survive only as a hint (``Cell.row``).

    >>> from parsers.document import Document, Table
    >>> doc = Document("txt", ["一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1",
    ...                        Table([["规章", "0", ""]])])
    >>> [(c.kind, c.raw) for c in build_stream(doc.blocks, {})][:3]
    [('text', '一、本年新收政府信息公开申请数量'), ('number', '1'), ('number', '0')]
    >>> [c.kind for c in build_stream(doc.blocks, {})][-3:]
    ['text', 'number', 'blank']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.document import Block, Table
from parsers.labels import clean, norm, split_prefix, squeeze
from parsers.values import COUNT_UNITS, value_kind

VALUE_KINDS = frozenset({"number", "null", "blank"})
_SPLIT = re.compile(r"[\s|│┃]+")
_NOTE = re.compile(r"^\([^()]*\)$")
# A group label and its first item printed in one cell without a break (三、本年度办理结果
# （一）予以公开; （三）不予公开1.属于国家秘密): two labels. Not 第二十条第（一）项.
_INNER_ITEM = re.compile(r"(?<=[\u4e00-\u9fff）)])(?<!第)"
                         r"(?=[（(][一二三四五六七八九十][）)][\u4e00-\u9fff]|[1-9][.．、][\u4e00-\u9fff])")
# A figure followed by a footnote mark (13①, 12※, 12注2), which cleaning would garble.
_MARKED = re.compile(r"[\d０-９][件条项个次家起宗元万]?\s*[\u2460-\u24ff\u2776-\u2793*＊※△▲#＃¹²³\u2070-\u2079注\[]")
_UNIT_ONLY = frozenset(COUNT_UNITS) | {"元", "万元", "亿元"}
# A line longer than this without numbers, or any line with a full stop, is prose, not a label.
_PROSE_LEN = 70


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed cell (or one piece of a text line)."""

    raw: str    # the text as printed (trimmed)
    norm: str   # labels.norm(raw): the comparison form
    kind: str   # text | prose | heading | number | null | blank
    row: int    # serial number of the printed row / line (a hint only)
    block: int  # index of the Document block it came from
    section: str = ""  # for heading cells: the section kind it opens

    @property
    def is_value(self) -> bool:
        """A number, a null marker or a blank cell."""
        return self.kind in VALUE_KINDS


def _is_prose(text: str) -> bool:
    t = norm(text)
    return "。" in t and len(t) > 8


def split_pieces(text: str, in_table: bool) -> list[tuple[str, str]]:
    """Split one cell or line into (raw, kind) pieces: label text and the values after it.

    Units and parenthesised notes printed apart from their number stay with it; a lone null
    marker between two words (``(四) 无 法提供``) is part of the label, not a value.
    """
    if text.isascii() and text.strip().isdigit():
        return [(text.strip(), "number")]  # the common case, kept cheap
    t = clean(text).strip()
    if not t:
        return [("", "blank")] if in_table else []
    kind = value_kind(t)
    if kind is None and _MARKED.search(text):
        # The printed text too: a footnote mark after a figure (13①) is dropped there, while
        # cleaning turned ① into an item number (1.) glued to the figure.
        kind = value_kind(text.strip())
    if kind:
        return [(text.strip(), kind)]  # one value: keep the cell exactly as printed
    if _is_prose(t):
        return [(t, "prose")]
    raw_pieces = [p for p in _SPLIT.split(t) if p]
    kinds = [value_kind(p) for p in raw_pieces]
    pieces: list[list[str]] = []
    for n, (piece, k) in enumerate(zip(raw_pieces, kinds)):
        if k == "null":
            before = kinds[n - 1] if n else None
            after = kinds[n + 1] if n + 1 < len(kinds) else "end"
            if before is None and after is None:
                k = None  # a word inside a label
        if k in ("number", "null"):
            pieces.append([piece, k])
        elif pieces and pieces[-1][1] == "number" and (piece in _UNIT_ONLY or _NOTE.match(piece)):
            pieces[-1][0] += piece
        elif pieces and pieces[-1][1] == "text" and split_prefix(piece)[0] is None:
            pieces[-1][0] += " " + piece
        else:
            pieces.append([piece, "text"])
    if any(k == "text" and len(squeeze(p)) > _PROSE_LEN for p, k in pieces):
        return [(t, "prose")]
    if in_table:
        return [(part, k) for p, k in pieces
                for part in (_INNER_ITEM.split(p) if k == "text" else [p]) if part]
    return [(p, k) for p, k in pieces]


def build_stream(blocks: list[Block], heading_blocks: dict[int, str],
                 aside: frozenset[int] | set[int] = frozenset()) -> list[Cell]:
    """Every table cell and text line of the document, in reading order.

    :param heading_blocks: ``{block index: section kind}`` of recognised section headings; those
        lines become ``heading`` cells (boundaries between tables).
    :param aside: blocks that look like headings but belong to something else on the page (a
        table of contents, a 解读): ``prose`` cells, so they mark no table either.
    """
    cells: list[Cell] = []
    row = 0
    for b, block in enumerate(blocks):
        if isinstance(block, Table):
            for printed_row in block.rows:
                row += 1
                for text in printed_row:
                    _append(cells, split_pieces(text or "", True), row, b)
            continue
        if not block or not block.strip():
            continue
        row += 1
        if b in heading_blocks:
            cells.append(Cell(block.strip(), norm(block), "heading", row, b, heading_blocks[b]))
            continue
        if b in aside:
            cells.append(Cell(block.strip(), norm(block), "prose", row, b))
            continue
        _append(cells, split_pieces(block, False), row, b)
    return cells


def _append(cells: list[Cell], pieces: list[tuple[str, str]], row: int, block: int) -> None:
    for raw, kind in pieces:
        # A unit or note printed in a cell of its own belongs to the number before it.
        if (kind == "text" and cells and cells[-1].kind == "number" and cells[-1].row == row
                and (raw in _UNIT_ONLY or _NOTE.match(norm(raw)))):
            last = cells.pop()
            cells.append(Cell(last.raw + raw, last.norm + norm(raw), "number", row, block))
            continue
        cells.append(Cell(raw, raw if kind == "number" and raw.isascii() else norm(raw), kind,
                          row, block))
