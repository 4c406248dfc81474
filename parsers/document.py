"""The document model every reader produces and the report interpreter consumes.

A reader (``parsers/readers/``) turns bytes of one file type into a :class:`Document`: the text
and tables in reading order. The interpreter (``parsers/report.py``) never looks at file types.

    >>> doc = Document(kind="txt", blocks=["一、总体情况", Table([["规章", "0", "0", "0"]])])
    >>> [b for b in doc.blocks if isinstance(b, Table)][0].rows[0][0]
    '规章'
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    """One table as printed: rows of cell texts in reading order.

    Cells covered by a rowspan/colspan are *not* repeated: a row holds only the cells that
    start in it, so a label spanning three columns is one cell. A blank cell is ``""``.
    ``page`` is the 1-based page for paginated formats, else ``None``.
    """

    rows: list[list[str]]
    page: int | None = None


Block = str | Table  # a paragraph / line of text, or a table


@dataclass
class Document:
    """What a reader found in one file.

    ``title`` and ``metadata`` come from the container (HTML ``<title>``/``<meta>``, the page's
    发布机构/发布日期 fields, PDF info), not from the body; the interpreter prefers the body.
    ``metadata`` keys in use: ``publisher``, ``published_date`` (ISO), ``page_title``.
    """

    kind: str  # html | pdf | docx | doc | wps | xls | xlsx | txt | image
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    needs_ocr: bool = False
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The whole document as plain text (tables as tab-separated lines)."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Table):
                lines.extend("\t".join(row) for row in block.rows)
            else:
                lines.append(block)
        return "\n".join(lines)


class ParseError(Exception):
    """A document that cannot be read (corrupt, encrypted, unsupported, over a bound).

    The message is one line meant for a command-line user.
    """
