"""Plain text (TXT exports of reports) → :class:`Document`, recognising three table layouts.

    >>> doc = read_text("二、主动公开\\n规章\\t0\\t0\\t0\\n行政规范性文件\\t0\\t1\\t2\\n".encode("gbk"))
    >>> doc.blocks[0], doc.blocks[1].rows
    ('二、主动公开', [['规章', '0', '0', '0'], ['行政规范性文件', '0', '1', '2']])

Layouts (docs/format.md §6, seeds 000–004):

* **tab-separated**: a line with tabs is a table row; consecutive such lines are one table, and
  a blank line does not end the table when the next line continues it (seed 000 breaks the row
  label ``(五) 不予`` / ``处理`` across a blank line).
* **one cell per line**: each cell on its own tab-indented line, a blank line between rows; a
  line without the indent between two cell lines continues the previous cell (seed 003:
  ``（本`` + ``列数据…``).
* **pipe**: each cell a line ending in ``|``; a line of pipes only is that many empty cells
  (seed 004). The rows carry no row boundaries, so each line is one row of the Table; the
  interpreter reads tables as cell streams.
* **ruled** (text tables drawn with ``+----+`` or box-drawing characters ``│ ├──┼──┤``, as
  database and text-conversion tools print them): verticals are pipes, rule lines separate
  rows, and a row whose cells wrapped over several lines between two rules is one row.
* **space-aligned** (``pdftotext -layout`` style): two or more consecutive lines of three or
  more fields apart by runs of spaces, with figures; blank cells (only spaces) are placed by
  the columns the figures and heads stand in (:mod:`parsers.readers.text_columns`).

Every other non-blank line is one paragraph block.
"""

from __future__ import annotations

import re

from parsers.document import Block, Document, ParseError, Table
from parsers.encoding import charset_from_content_type, decode_bytes
from parsers.readers.common import clean_text, refuse_binary, strip_debris
from parsers.readers.text_columns import aligned_rows

# Archives and executables that reach the text reader (a misnamed file): their bytes decode to
# plausible-looking CJK under UTF-16, so refuse them by signature before decoding.
_BINARY_MAGIC = ((b"Rar!\x1a\x07", "RAR archive"), (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
                 (b"\x1f\x8b", "gzip data"), (b"BZh", "bzip2 data"), (b"\xfd7zXZ\x00", "xz data"),
                 (b"\x7fELF", "executable"), (b"MZ\x90\x00", "executable"),
                 (b"\xca\xfe\xba\xbe", "executable"), (b"SQLite format 3\x00", "SQLite database"))
_PIPES_ONLY = re.compile(r"^\|+$")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_SINGLE_CELL = re.compile(r"^\t[^\t]*$")  # seed 003: one tab of indent, then one cell
_MIN_PIPE_LINES = 3
_SPACED = re.compile(r"(?: {2,}|\u3000+)")
_FIGURE = re.compile(r"^[-+−－＋]?[\d０-９][\d０-９,，.．]*$|^[—\-－/／]{1,2}$")
# A report's section heading ("三、收到和处理…") ends a table; it never continues a cell.
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")


def read_text(data: bytes, content_type: str | None = None) -> Document:
    """Decode ``data`` and split it into paragraphs and tables.

    :param data: the file's bytes (UTF-8, GB18030/GBK, UTF-16 with or without BOM)
    :param content_type: an HTTP Content-Type whose ``charset`` is a hint, or None
    :raises ParseError: when the bytes are binary data rather than text
    """
    for magic, name in _BINARY_MAGIC:
        if data.startswith(magic):
            raise ParseError(f"unsupported file type: {name}")
    text, _codec = decode_bytes(data, charset_from_content_type(content_type))
    refuse_binary(text, "text file")
    return text_to_document(text, kind="txt")


def text_to_document(text: str, kind: str = "txt") -> Document:
    """Split already decoded text into blocks (also used for antiword's plain-text output)."""
    # Only spaces are trimmed: trailing tabs are empty cells of the tab layouts. A page break
    # of a PDF's text (pdftotext's form feed) is a line break; a page number alone on its line
    # (- 2 -, 第2页 共5页) is the page's, not the report's: in a table its digits were a figure.
    # Tabs expanded to spaces are made tabs again first: trailing ones are empty cells.
    lines = [_ruled(strip_debris(line).rstrip(" \u3000")) for line in retabbed(text.replace(
        "\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"))]
    lines = ["" if _PAGE_NUMBER.match(line) else line for line in lines]
    return Document(kind=kind, blocks=split_blocks(lines))


_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?)\s*$")


_SPACE_RUN = re.compile(r" +")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
_FIGURE_START = re.compile(r"[\d０-９—\-－−/／]")
_TAB_STOPS = (8, 4)


def retabbed(lines: list[str]) -> list[str]:
    """Tab-separated text whose tabs a tool expanded to spaces counting characters, not display
    columns (``expand``, ``str.expandtabs``): its cells start at tab stops by character count,
    so a wide CJK label pushes the next cell out of line on screen and columns cannot be read
    by position. When the runs of two or more spaces end at the stops of one width (8 or 4)
    by character count — 95 % of them, 12 at least — and not by display position, each run
    ending at a stop is tabs again (one per stop it crosses); a single space ends a cell only
    on a line with such runs or before a figure, and never between two ideographs (``尚 未审
    结``). A text indented only (cells one per line) is tabs again when lines of spaces alone
    (its empty cells) say so.

    >>> retabbed(["规章" + " " * 6 + "0" + " " * 7 + "3"] * 12)[0]
    '规章\\t0\\t3'
    """
    from parsers.readers.text_columns import display_width

    for stop in _TAB_STOPS:
        by_chars = by_display = runs = inner = blank_cells = figure_cells = 0
        for line in lines:
            if "\t" in line:
                continue
            for m in _SPACE_RUN.finditer(line):
                if m.end() - m.start() >= 2 and m.end() < len(line.rstrip(" ")):
                    runs += 1
                    by_chars += m.end() % stop == 0
                    if m.start() > 0:
                        inner += 1
                        by_display += display_width(line[:m.end()]) % stop == 0
                elif m.start() == 0 and m.end() == len(line) and m.end() % stop == 0:
                    blank_cells += 1  # a line of a tab alone: an empty cell (one per line)
                if m.start() == 0 and m.end() % stop == 0 and _FIGURE.match(line[m.end():]):
                    figure_cells += 1
        # Only indents (the one-cell-per-line layout): its empty cells (lines of spaces alone)
        # and figures alone on their lines tell it from a text whose paragraphs are indented.
        if by_chars >= 12 and by_chars >= 0.95 * runs and (
                by_display < 0.8 * inner or not inner and blank_cells >= 3 and figure_cells >= 10):
            return [_retab_line(line, stop) for line in lines]
    return lines


def _retab_line(line: str, stop: int) -> str:
    if "\t" in line:
        return line
    runs = [m for m in _SPACE_RUN.finditer(line) if m.end() % stop == 0]
    # a row: a run of two spaces or more ending at a stop, or one space before a figure
    if not any(m.end() - m.start() >= 2 or m.end() < len(line) and _FIGURE_START.match(line[m.end()])
               for m in runs):
        return line
    out, done = [], 0
    for m in runs:
        a, b = m.start(), m.end()
        if b - a == 1 and a > 0 and b < len(line) and \
                _IDEOGRAPH.match(line[a - 1]) and _IDEOGRAPH.match(line[b]):
            continue
        out.append(line[done:a] + "\t" * (b // stop - a // stop))
        done = b
    return "".join(out) + line[done:]


_RULE_LINE = re.compile(r"^\s*[+|│┃║├┤┌┐└┘┬┴┼╋╔╗╚╝╠╣╦╩╬╞╡╪╟╢╫┣┫┏┓┗┛┳┻]"
                        r"[-─━═=+|│┃║├┤┌┐└┘┬┴┼╋╔╗╚╝╠╣╦╩╬╞╡╪╟╢╫┣┫┏┓┗┛┳┻:\s]*$")
_VERTICALS = re.compile(r"[│┃║]")
_RULE = "|--|"  # a markdown rule: carries no cells, keeps the pipe run going


def _ruled(line: str) -> str:
    """A ruled text table's lines in the pipe layout: rules as ``|--|``, verticals as ``|``."""
    stripped = line.strip()
    if not stripped:
        return line
    if len(stripped) >= 3 and _RULE_LINE.match(stripped) and re.search(r"[-─━═]{2}", stripped):
        return _RULE
    if _VERTICALS.match(stripped) and _VERTICALS.search(stripped[-1]):
        return _VERTICALS.sub("|", stripped)
    return line


def split_blocks(lines: list[str]) -> list[Block]:
    """Turn lines into paragraph and Table blocks, recognising the three table layouts."""
    blocks: list[Block] = []
    i = 0
    n = len(lines)
    # Space-aligned figure rows with their blank cells placed by position (text_columns).
    aligned = aligned_rows(lines) if any(_SPACED.search(line) for line in lines) else {}

    def spaced(k: int) -> list[str] | None:
        return aligned.get(k) or _spaced_fields(lines[k])

    def spaced_row(k: int) -> bool:
        return k in aligned or _is_spaced_row(lines[k])

    while i < n:
        line = lines[i]
        if "\t" in line and line.strip():
            end = _tab_run_end(lines, i)
            blocks.extend(_tab_run_blocks(lines[i:end]))
            i = end
        elif i in aligned or spaced(i) and _next_nonblank(lines, i + 1) < n \
                and spaced_row(_next_nonblank(lines, i + 1)):
            rows: list[list[str]] = []
            end = i
            while end < n:
                if aligned.get(end) == []:
                    end += 1  # a label's wrapped line, joined to the row above
                elif lines[end].strip():
                    fields = spaced(end)
                    if not fields:
                        break
                    rows.append([clean_text(c) for c in fields])
                    end += 1
                else:  # a blank line inside the table when the next line continues it
                    nxt = _next_nonblank(lines, end)
                    if nxt < n and spaced_row(nxt):
                        end = nxt
                    else:
                        break
            blocks.append(Table(rows=rows))
            i = end
        elif _is_pipe_line(line):
            end = i
            while end < n and (_is_pipe_line(lines[end])):
                end += 1
            if end - i >= _MIN_PIPE_LINES:
                rows = _pipe_rows(lines[i:end])
                if rows:
                    blocks.append(Table(rows=rows))
            else:
                blocks.extend(p for p in (clean_text(x) for x in lines[i:end] if x != _RULE) if p)
            i = end
        else:
            paragraph = clean_text(line)
            if paragraph:
                blocks.append(paragraph)
            i += 1
    return blocks


def _spaced_fields(line: str) -> list[str] | None:
    """The fields of a space-aligned table row (``pdftotext -layout`` style): three or more,
    apart by runs of two or more spaces; None for any other line."""
    if "\t" in line or "|" in line:
        return None
    fields = _SPACED.split(line.strip())
    return fields if len(fields) >= 3 else None


def _is_spaced_row(line: str) -> bool:
    """A space-aligned row carrying at least one figure."""
    fields = _spaced_fields(line)
    return bool(fields) and any(_FIGURE.match(f) for f in fields)


def _is_pipe_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and stripped.endswith("|")


def _pipe_row(line: str) -> list[str] | None:
    stripped = line.strip()
    if _PIPES_ONLY.match(stripped):
        return [""] * len(stripped)
    if _MD_SEPARATOR.match(stripped):
        return None  # a markdown |---|---| rule carries no cells
    stripped = stripped.removeprefix("|")
    return [clean_text(cell) for cell in stripped[:-1].split("|")]


def _pipe_rows(run: list[str]) -> list[list[str]]:
    """The rows of a run of pipe lines. When rules separate (nearly) every row, the lines
    between two rules are one row whose cells wrapped: they join cell by cell."""
    groups: list[list[list[str]]] = [[]]
    rules = 0
    for line in run:
        row = _pipe_row(line)
        if row is None:
            rules += 1
            groups.append([])
        else:
            groups[-1].append(row)
    groups = [g for g in groups if g]
    lines = sum(len(g) for g in groups)
    if rules < 3 or lines > 3 * len(groups):  # a markdown table: one rule under its head
        return [row for g in groups for row in g]
    rows: list[list[str]] = []
    for group in groups:
        if len(group) > 1 and len({len(r) for r in group}) == 1:
            rows.append(["".join(parts) for parts in zip(*group)])
        else:
            rows.extend(group)
    return rows


def _next_nonblank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _tab_run_end(lines: list[str], start: int) -> int:
    """Index after the last line of the table run that starts at ``start``.

    The run continues over blank lines when the next non-blank line has a tab, and, in the
    one-cell-per-line layout, over one untabbed line squeezed between two tabbed lines (a
    cell's text wrapped onto a new line), unless that line is a section heading.
    """
    i = start + 1
    n = len(lines)
    while i < n:
        line = lines[i]
        if "\t" in line:
            i += 1
        elif not line.strip():
            nxt = _next_nonblank(lines, i)
            if nxt < n and "\t" in lines[nxt]:
                i = nxt
            else:
                break
        elif _SINGLE_CELL.match(lines[i - 1]) and i + 1 < n and "\t" in lines[i + 1] \
                and not _SECTION_HEADING.match(line.strip()):
            i += 1  # one-cell-per-line layout: the cell above wrapped onto this line
        else:
            break
    return i


def _tab_run_blocks(run: list[str]) -> list[Block]:
    tabbed = [line for line in run if "\t" in line]
    single = sum(1 for line in tabbed if _SINGLE_CELL.match(line))
    if single * 2 > len(tabbed):
        return _cell_per_line_blocks(run)
    rows: list[list[str]] = []
    for line in run:
        if not line.strip():
            continue
        if "\t" not in line and rows:
            # wrapped text of the previous row's last non-empty cell
            last = rows[-1]
            j = max((k for k, c in enumerate(last) if c), default=len(last) - 1)
            last[j] = last[j] + clean_text(line)
            continue
        rows.append([clean_text(cell) for cell in line.split("\t")])
    if len(rows) == 1 and sum(1 for c in rows[0] if c) <= 1:
        return [p for p in rows[0] if p]  # one tab-indented line: a paragraph
    return [Table(rows=rows)]


def _cell_per_line_blocks(run: list[str]) -> list[Block]:
    rows: list[list[str]] = []
    current: list[str] = []
    for line in run:
        if not line.strip() and "\t" not in line:
            if current:
                rows.append(current)
                current = []
            continue
        if line.startswith("\t"):
            current.append(clean_text(line))
        elif current:
            current[-1] += clean_text(line)  # continuation of the previous cell
        else:
            current.append(clean_text(line))
    if current:
        rows.append(current)
    cells = [c for row in rows for c in row if c]
    short = sum(1 for c in cells if len(c) <= 30)
    if len(cells) >= 3 and short * 2 >= len(cells):
        return [Table(rows=rows)]
    # Tab-indented prose, not a table: every cell line is a paragraph.
    return [c for c in cells]
