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

from parsers.catalogue import catalogue
from parsers.cells import Cell, split_pieces
from parsers.document import Block, Table
from parsers.labels import norm, split_prefix, squeeze, strip_note
from parsers.metadata import looks_like_agency_line, match_title, parse_date
from parsers.sections import heading_kind
from parsers.values import value_kind


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


# A figure broken over two lines inside its cell (``1<br>234``, two paragraphs, a spreadsheet
# cell's Alt+Enter): two runs of digits, the first not a lone 0, nothing else.
_BROKEN_FIGURE = re.compile(r"^([1-9１-９][0-9０-９]{0,5})\s+([0-9０-９]{1,6})$")
# Readers whose table cells are the document's own cells (a PDF's or a text layout's cells are
# found from positions, where two columns' figures may share a cell: joining would invent one).
CELL_KINDS = frozenset({"html", "docx", "doc", "wps", "rtf", "odt", "xls", "xlsx"})


def join_broken_figures(blocks: list[Block], kind: str) -> list[Block]:
    """Join figures broken over two lines in their own cells: ``['规章', '1 234', '5']`` reads
    1234 and 5, not 1, 234 and 5 — every later figure of the row a column off. A row whose
    cells hold other runs of figures (``0 0``, ``1 2 3``) or whose label cell holds two items is
    rows printed in one (stacked sub-items), and a row that split has as many figures as the
    table's other rows of as many cells (their heads, else any row) is right split — two
    columns' figures typed in one merged cell: both are left as they are.

    >>> join_broken_figures([Table([["规章", "1 234", "5", "12 3"]])], "html")[0].rows
    [['规章', '1234', '5', '123']]
    >>> join_broken_figures([Table([["规章", "1 2", "0 0"]])], "html")[0].rows
    [['规章', '1 2', '0 0']]
    >>> join_broken_figures([Table([["规章", "1", "2", "3"], ["文件", "4 5", "6"]])], "html")[0].rows
    [['规章', '1', '2', '3'], ['文件', '4 5', '6']]
    >>> join_broken_figures([Table([["内容", "新制", "新公开"], ["规章", "4 5", "6"]])], "html")[0].rows
    [['内容', '新制', '新公开'], ['规章', '45', '6']]
    """
    if kind not in CELL_KINDS:
        return blocks
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, Table) or not any(
                _BROKEN_FIGURE.match(c.strip()) for row in block.rows for c in row if c):
            out.append(block)
            continue
        pieces = [[split_pieces(c or "", True) for c in row] for row in block.rows]
        figures = [[sum(k != "text" for _, k in p) for p in row] for row in pieces]
        # value pieces a row of each cell count holds, from rows with no cell of several
        # (a row of heads alone stands for its columns: one label, the rest figures)
        widths: dict[int, list[int]] = {}
        for row, counts in zip(block.rows, figures):
            if all(n <= 1 for n in counts) and sum(counts):
                widths.setdefault(len(row), []).append(sum(counts))
        for row, counts in zip(block.rows, figures):
            if len(row) >= 2 and not sum(counts) and len(row) not in widths:
                widths[len(row)] = [len(row) - 1]
        rows = []
        for row, cells, counts in zip(block.rows, pieces, figures):
            several = [n for n, c in enumerate(counts) if c > 1]
            if len(row) >= 2 and several \
                    and all(_BROKEN_FIGURE.match(row[n].strip()) for n in several) \
                    and not any(sum(k == "text" for _, k in p) > 1 for p in cells):
                shape = widths.get(len(row)) or [w for ws in widths.values() for w in ws]
                width = max(set(shape), key=shape.count) if shape else None
                if width is None or sum(counts) != width or sum(counts) - len(several) == width:
                    row = ["".join(_BROKEN_FIGURE.match(c.strip()).groups()) if n in several else c
                           for n, c in enumerate(row)]
            rows.append(row)
        out.append(Table(rows, block.page))
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


# A line between the two halves of a table cut by columns: 续表, 表三（续）, (续上表)
_CONTINUED = re.compile(r"^[（(]?(续表|续上表|表[一二三四五六1-6]?[（(]续[)）]|续)[)）]?[:：]?$")


def join_column_halves(blocks: list[Block]) -> list[Block]:
    """Join a table printed in two halves one under the other, cut by columns (a table too
    wide for the page: the label columns and the first applicant columns, then the label
    columns again and the rest): the second half's rows follow the first's, row by row, when
    every row with figures opens with the same labels in both and their heads differ (the
    same table printed twice has the same heads). Other blocks pass unchanged. A half cut by
    page breaks is read as one table (empty rows dropped, a label's tail atop the next page
    joined to its row), and the halves' head rows pair from the bottom (a PDF may lose one).

    >>> a = Table([["", "自然人", "商业企业"], ["一、本年新收", "3", "1"], ["二、上年结转", "0", "2"],
    ...            ["四、结转下年度继续办理", "1", ""]])
    >>> b = Table([["", "其他", "总计"], ["一、本年新收", "", "4"], ["二、上年结转", "1", "3"],
    ...            ["四、结转下年度继续办理", "", "1"]])
    >>> join_column_halves([a, "续表", b])[0].rows[1:3]
    [['一、本年新收', '3', '1', '', '4'], ['二、上年结转', '0', '2', '1', '3']]
    >>> len(join_column_halves([a, a]))
    2

    A half cut by a page break (a table per page) is read across its pieces:

    >>> pieces = [Table(a.rows[:2]), Table(a.rows[2:]), "续表", b]
    >>> [type(x).__name__ for x in join_column_halves(pieces)]
    ['Table']
    """
    out: list[Block] = []
    n = 0
    while n < len(blocks):
        if not isinstance(blocks[n], Table):
            out.append(blocks[n])
            n += 1
            continue
        # a run of tables (a table cut by page breaks is one per page; 续表 lines between)
        end = n
        while end < len(blocks) and (isinstance(blocks[end], Table) or end + 1 < len(blocks) and
                                     isinstance(blocks[end + 1], Table) and
                                     _CONTINUED.match(squeeze(blocks[end]))):  # type: ignore[arg-type]
            end += 1
        out.extend(_join_run(blocks[n:end]))
        n = end
    return out


def _join_run(run: list[Block]) -> list[Block]:
    """The run with one table cut by columns joined: the first pieces of tables that, read
    together, are the first half of a table whose second half the next pieces are."""
    tables = [n for n, b in enumerate(run) if isinstance(b, Table)]
    for k in range(1, len(tables)):
        for i in range(k - 1, -1, -1):
            first = _rows_over_breaks([run[t].rows for t in tables[i:k]])  # type: ignore[union-attr]
            for j in range(k + 1, len(tables) + 1):
                second = _rows_over_breaks([run[t].rows for t in tables[k:j]])  # type: ignore[union-attr]
                if _body(second) > _body(first):
                    break
                rows = _halves_joined(first, second) if _body(second) == _body(first) else None
                if rows is not None:
                    lo, hi = tables[i], tables[j - 1] + 1
                    joined = Table(rows, page=run[lo].page)  # type: ignore[union-attr]
                    return run[:lo] + [joined] + _join_run(run[hi:])
    return run


def _rows_over_breaks(pieces: list[list[list[str]]]) -> list[list[str]]:
    """The rows of a table's pieces (one per page) as one table: empty rows dropped, and a
    row whose label a page break cut (``（二）部分公开（…不计`` / ``其他情形）`` atop the next
    page, a row of label text alone) joined again — so two halves broken at different rows
    pair up row by row."""
    rows: list[list[str]] = []
    for n, piece in enumerate(pieces):
        for m, row in enumerate(piece):
            if not any(squeeze(c) for c in row):
                continue
            if n and m == 0 and rows and _first_value(rows[-1]) is not None and _label_tail(row, rows[-1]):
                rows[-1] = [a + b if squeeze(b) and b not in a else a for a, b in zip(rows[-1], row)] \
                    + rows[-1][len(row):]
                continue
            rows.append(row)
    return rows


def _label_tail(row: list[str], above: list[str]) -> bool:
    """A row of label text only, no item number, under a row of figures: a label's tail."""
    filled = [(k, c) for k, c in enumerate(row) if squeeze(c)]
    first = _first_value(above)
    return bool(filled) and first is not None and all(
        k < first and value_kind(c) is None and split_prefix(norm(c))[0] is None for k, c in filled)


def _first_value(row: list[str]) -> int | None:
    return next((n for n, cell in enumerate(row) if value_kind(cell) in ("number", "null")), None)


def _heads(rows: list[list[str]]) -> int:
    """How many head rows (no figure) open ``rows``."""
    return next((n for n, row in enumerate(rows) if _first_value(row) is not None), len(rows))


def _body(rows: list[list[str]]) -> int:
    return len(rows) - _heads(rows)


def _halves_joined(a: list[list[str]], b: list[list[str]]) -> list[list[str]] | None:
    # Head rows (above the first figure) are paired from the bottom: a half may have lost
    # its top head row (a PDF's merged 申请人情况 read as text); the first's extra ones stay.
    ha, hb = _heads(a), _heads(b)
    kept, a, b = a[:max(0, ha - hb)], a[max(0, ha - hb):], b[max(0, hb - ha):]
    if len(a) != len(b) or len(a) < 4:
        return None
    firsts = [n for n in map(_first_value, a + b) if n is not None]
    if len(firsts) < 6 or min(firsts) == 0:
        return None
    k = min(firsts)  # the label columns: no figure stands in them
    heads_differ = False
    joined = []
    for x, y in zip(a, b):
        nx, ny = [squeeze(c) for c in x], [squeeze(c) for c in y]
        if _first_value(x) is None and _first_value(y) is None and \
                (nx[:k] != ny[:k] or any(nx[k:]) and any(ny[k:])):
            # a head row: the second half's own heads after the ones both print
            same = 0
            while same < min(len(x), len(y)) and nx[same] == ny[same]:
                same += 1
            heads_differ = heads_differ or nx != ny
            joined.append(x + y[same:])
            continue
        if nx[:k] != ny[:k] or not any(nx[:k]):
            return None
        joined.append(x + y[k:])
    return kept + joined if heads_differ else None


_NOTE_HEAD = re.compile(r"^(备注|说明|备注说明)$")


def drop_note_column(blocks: list[Block]) -> list[Block]:
    """Drop a remarks column (备注) printed right of a table's figures: its ``无`` or ``/``
    read as the row's last figure, every figure before it one column off. Under a head whose
    last cell is 备注, each row of figures (or blanks) below drops its last cell unless that
    is a number (a 备注 merged down over rows leaves them without one); rows of heads keep
    theirs (a 备注 merged down beside them).

    >>> t = Table([["信息内容", "本年制发件数", "备注"], ["规章", "1", "无"], ["行政规范性文件", "2", ""]])
    >>> drop_note_column([t])[0].rows
    [['信息内容', '本年制发件数'], ['规章', '1'], ['行政规范性文件', '2']]
    """
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            head = next((n for n, row in enumerate(block.rows[:4])
                         if row and _NOTE_HEAD.match(squeeze(row[-1]))), None)
            if head is not None:
                rows = [row[:-1] if n == head or n > head and len(row) > 1 and
                        value_kind(row[-1]) != "number" and _holds_values(row) else row
                        for n, row in enumerate(block.rows)]
                block = Table(rows, page=block.page)
        out.append(block)
    return out


def _holds_values(row: list[str]) -> bool:
    return any(value_kind(cell) is not None for cell in row)


# A transposed table 三 carries a figure per outcome row in each applicant's row: 23 (2019)
# or 25 (2021); fewer than this is no transposed table 三.
_TURNED_MIN_FIGURES = 20


def turn_requests(blocks: list[Block]) -> list[Block]:
    """Turn table 三 printed transposed — the applicants as rows (自然人 … 总计), the outcomes
    as columns under their merged heads (一、… | 三、本年度办理结果 over (一)… over 1.…) — back
    into the official shape, one row per outcome with the seven applicant figures. A table is
    turned only when all seven applicants head rows holding as many figures each as the heads
    above them name outcome rows (taken in the official order); other blocks pass unchanged.

    (``tests/test_redteam_parse8_transposed.py`` turns generated tables both ways.)
    """
    return [_turned_requests(b) or b if isinstance(b, Table) else b for b in blocks]


def _turned_requests(table: Table) -> Table | None:
    from parsers.tables import RequestResolver  # tables reads the stream this stage feeds

    cat = catalogue()
    heads = cat.applicant_heads()
    figures: dict[str, list[str]] = {}
    first_row = None
    for n, row in enumerate(table.rows):
        # the applicant's head: the last text cell, all after it figures or blanks
        start = len(row)
        while start > 0 and (not squeeze(row[start - 1]) or value_kind(row[start - 1]) is not None):
            start -= 1
        col = heads.by_head.get(strip_note(norm(row[start - 1]))) if start else None
        if col is None:
            continue
        if col in figures:
            return None
        figures[col] = row[start:]
        first_row = n if first_row is None else first_row
    if max((len(v) for v in figures.values()), default=0) < _TURNED_MIN_FIGURES:
        return None
    if set(figures) != set(heads.cols):
        return None
    resolver = RequestResolver()
    found: set[str] = set()
    for row in table.rows[:first_row]:
        for text in row:
            if squeeze(text) and value_kind(text) is None:
                key = resolver.resolve([Cell(text, norm(text), "text", 0, 0)])
                if key is not None:
                    found.add(key)
    if found & set(cat.other_subrows()):
        found.discard("other_handling")  # (六)其他处理 over its three items: a group head
    keys = [key for key in cat.request_rows if key in found]
    # A sheet's reader drops a row's blank cells after its last figure: shorter rows are
    # padded with blanks, never longer ones cut.
    if len(keys) != max(len(v) for v in figures.values()):
        return None
    figures = {col: v + [""] * (len(keys) - len(v)) for col, v in figures.items()}
    printed = _printed_outcomes(table.rows[:first_row])
    if printed is not None and sorted(printed) == sorted(keys):
        keys = printed  # the outcome columns in the office's own order
    rows = [["申请人情况", *(heads_text(cat, col) for col in heads.cols)]]
    for n, key in enumerate(keys):
        rows.append([*_label_path(cat, key), *(figures[col][n] for col in heads.cols)])
    return Table(rows, table.page)


def _printed_outcomes(rows: list[list[str]]) -> list[str] | None:
    """The outcome keys of a transposed table 三 in the order its heads print them, or None
    when the heads do not spell it out.

    A merged head is printed once, in the row where it starts: the four blocks' heads
    (一、… 二、… 三、本年度办理结果 四、…) in one row, 三's seven items under it in the next,
    and the items of its groups (三)…(六) in the row below that, group after group, each
    group's run numbered from 1. The columns are read depth first: a block, or under 三 an
    item, or a group's run of items in its place.

        >>> _printed_outcomes([["二、上年结转政府信息公开申请数量", "三、本年度办理结果", "一、本年新收"],
        ...                    ["（七）总计", "（四）无法提供", "（一）予以公开"],
        ...                    ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作"]])
        ['carried_over', 'results_total', 'unavailable_not_held', 'unavailable_needs_creation', 'granted', 'new_received']
    """
    from parsers.tables import RequestResolver

    def key(*path: str) -> str | None:
        return RequestResolver().resolve([Cell(t, norm(t), "text", 0, 0) for t in path])

    texts = [[t for t in row if squeeze(t) and value_kind(t) is None] for row in rows]
    blocks = next((n for n, row in enumerate(texts)
                   if sum(1 for t in row if split_prefix(norm(t))[0] == 1) >= 2), None)
    if blocks is None:
        return None
    items = texts[blocks + 1] if blocks + 1 < len(texts) else []
    runs: list[list[str]] = []
    for text in texts[blocks + 2] if blocks + 2 < len(texts) else []:
        level, number, _ = split_prefix(norm(text))
        if level != 3:
            return None
        if number == 1 or not runs:
            runs.append([])
        runs[-1].append(text)
    out: list[str | None] = []
    for text in texts[blocks]:
        level, number, _ = split_prefix(norm(text))
        if level != 1:
            continue
        if number != 3:
            out.append(key(text))
            continue
        inside = [key(text, item) for item in items]
        groups = [n for n, k in enumerate(inside) if k is None]
        if len(runs) == len(groups) + 1:  # (六)其他处理 over its three items
            groups = sorted(groups + [n for n, k in enumerate(inside) if k == "other_handling"])
        if len(runs) != len(groups):
            return None
        own = dict(zip(groups, runs))
        for n, item in enumerate(items):
            if n in own:
                out.extend(key(item, sub) for sub in own[n])
            else:
                out.append(inside[n])
    if None in out or len(set(out)) != len(out):
        return None
    return out  # type: ignore[return-value]


def heads_text(cat, col: str) -> str:
    """The official head of an applicant column (``商业企业``, not its group)."""
    return (cat.col_label("requests", "2021", col) or col).split(" / ")[-1]


def _label_path(cat, key: str) -> list[str]:
    """A table 三 row's official label cells: ``三、本年度办理结果``, ``（三）不予公开``,
    ``1.属于国家秘密`` (fields.csv's label path, its notes dropped)."""
    label = next(f.row_label for f in cat.fields if f.table == "requests" and f.row == key)
    parts = [p.strip().split("（2019 format")[0] for p in label.split("/")]
    if parts[0] == "三":
        parts[0] = "三、本年度办理结果"
    return parts
