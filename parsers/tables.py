"""Find tables 二 (active), 三 (requests) and 四 (review_litigation) in a cell stream.

The tables are located by section headings or anchor cells (docs/format.md §2, §6), then read
as a *stream*: a row is a label (matched by number prefix within its parent group plus a fuzzy
text score, see :mod:`parsers.labels`) followed by its values — 7 per row in table 三, the row's
columns in table 二, 15 positional values in table 四. Grid positions are never trusted.

Too few values: kept in order, aligned right, warning. Too many: padding blanks dropped — the
padding every complete row of the same shape carries first, then trailing before leading blanks
(or the other way round when the table's rows show their padding at the start); if still too
many, a warning and the first ones kept. A number is never moved between labels or invented.

    >>> from parsers.cells import build_stream
    >>> from parsers.document import Table
    >>> cells = build_stream([Table([["一、本年新收政府信息公开申请数量", "", "3", "0", "0", "0", "0", "0", "3"]])], {})
    >>> read_requests(cells, Regions({"requests": (0, len(cells))})).rows["new_received"][:3]
    ['3', '0', '0']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from parsers.catalogue import REVIEW_HEADER_WORDS, REVIEW_SECOND_ANCHOR, TABLE_ANCHORS, catalogue
from parsers.cells import Cell
from parsers.labels import best_match, bigrams, split_prefix, strip_note
from parsers.sections import heading_kind
from parsers.values import parse_value

REQUEST_WIDTH = 7
REVIEW_WIDTH = 15
_REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
_REVIEW_COLS = ("upheld", "corrected", "other", "pending", "total")
# Section kinds that end a table region.
_TABLE_SECTIONS = {"active": "active", "requests": "requests", "review": "review_litigation"}


@dataclass
class Regions:
    """``{table: (lo, hi)}``: the slice of the stream each table is read from."""

    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class TableRead:
    """What was read from one table: raw texts per row, in column order."""

    rows: dict[str, list[str | None]] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)      # row keys in printed order
    labels: list[str] = field(default_factory=list)     # normalised text cells of the region
    warnings: list[str] = field(default_factory=list)
    unprinted: list[str] = field(default_factory=list)  # official columns the table leaves out

    @property
    def numbers(self) -> int:
        """How many printed (non-blank) values were assigned to rows."""
        return sum(1 for vals in self.rows.values() for v in vals if v not in (None, ""))


def find_regions(cells: list[Cell]) -> Regions:
    """Locate each table's span from section headings and anchor cells."""
    regions = Regions()
    markers: list[tuple[int, str]] = []
    for i, c in enumerate(cells):
        kind = c.section if c.kind == "heading" else _cell_heading(c)
        if kind:
            markers.append((i, _TABLE_SECTIONS.get(kind, kind)))
    for table, anchors in TABLE_ANCHORS.items():
        anchor = _find_anchor(cells, table, anchors)
        if anchor is None:
            continue
        heading = next((i for i, k in markers if k == table), None)
        if heading is not None and anchor > heading and not _holds_figures(cells, heading, markers):
            # The heading's section holds no figures: the tables are printed apart from the
            # text (a workbook's sheet per table, an appendix after 六): the table is at its
            # anchor, and the heading opens no region.
            markers.remove((heading, table))
            heading = None
        # An anchor counts where its heading is missing or out of place (table 四's anchor may
        # follow another heading when the report misplaces it).
        if heading is None or anchor < heading or (
                table == "review_litigation" and _heading_between(cells, heading, anchor)):
            markers.append((anchor, table))
    markers.sort()
    for n, (start, kind) in enumerate(markers):
        if kind not in ("active", "requests", "review_litigation") or kind in regions.spans:
            continue
        end = len(cells)
        for later, other in markers[n + 1:]:
            if other != kind:
                end = later
                break
        regions.spans[kind] = (start, end)
    return regions


def _cell_heading(cell: Cell) -> str | None:
    """A section heading printed inside a table cell (merged with its table's header)."""
    if cell.kind != "text" or split_prefix(cell.norm)[0] != 1:
        return None
    hit = heading_kind(cell.raw, None)
    return hit[0] if hit and hit[0] in (*_TABLE_SECTIONS, "problems", "other") else None


def _holds_figures(cells: list[Cell], heading: int, markers: list[tuple[int, str]]) -> bool:
    """Whether the section a table's heading opens (to the next marker) holds any figure."""
    end = min((i for i, _ in markers if i > heading), default=len(cells))
    return any(c.kind == "number" for c in cells[heading + 1:end])


def _heading_between(cells: list[Cell], lo: int, hi: int) -> bool:
    return any(c.kind == "heading" for c in cells[lo + 1:hi])


def _find_anchor(cells: list[Cell], table: str, anchors: tuple[str, ...]) -> int | None:
    for i, c in enumerate(cells):
        if c.kind not in ("text", "prose"):
            continue
        if table == "review_litigation":
            if c.norm.startswith(anchors[0]) and len(c.norm) <= 8 and any(
                    REVIEW_SECOND_ANCHOR in d.norm and len(d.norm) <= 12 for d in cells[i + 1:i + 40]):
                return i
        elif any(c.norm.startswith(a) for a in anchors):
            return i
    return None


class _Resolver(Protocol):
    """Turns label cells into a row key (``commit=False``: a trial that keeps no context)."""

    judge: Callable[[list[str]], bool] | None

    def resolve(self, label: list[Cell], commit: bool = True) -> str | None: ...
    def width(self, key: str) -> int: ...


def _collect(cells: list[Cell], lo: int, hi: int, resolver: _Resolver, read: TableRead,
             table: str) -> None:
    """Walk the stream: label cells accumulate until values follow; then one row is read."""
    buffer: list[Cell] = []
    # Rows read (key, values, label cells), fitted once the whole table is known.
    pending: list[tuple[str, list[Cell], int]] = []
    zones: list[tuple[int, int, bool]] = []  # per pending row: see _grid_position
    lone: list[str] = []  # rows printed with no figure at all (see _undivided_other)
    i = lo
    while i < hi:
        c = cells[i]
        if c.kind in ("prose", "heading"):
            buffer = []
            i += 1
            continue
        if c.kind == "text":
            read.labels.append(c.norm)
            buffer.append(c)
            i += 1
            continue
        j = i
        while j < hi and cells[j].is_value:
            j += 1
        k = j
        # Blank cells that open the next label's printed row are its indent, not our values.
        while k > i and cells[k - 1].kind == "blank" and j < hi and cells[k - 1].row == cells[j].row:
            k -= 1
        values = cells[i:k]
        start = i
        i = j
        if not buffer:
            continue
        all_blank = all(v.kind == "blank" for v in values)
        lone.extend(_undivided_other(resolver, buffer))
        key = resolver.resolve(buffer) if not all_blank else _resolve_blank(resolver, buffer, values)
        if all_blank and key is None:
            continue  # blank padding after a header or a parent label: keep reading the label
        label = " ".join(b.raw for b in buffer if b.raw)
        buffer_cells = buffer
        buffer = []
        if key is None:
            if any(v.kind == "number" for v in values):
                read.warnings.append(f"{table}: row {label!r} not recognised; its values ignored")
            continue
        if key in read.rows:
            read.warnings.append(f"{table}.{key}: printed twice; second row {label!r} ignored")
            continue
        pending.append((key, values, len(buffer_cells)))
        zones.append(_grid_position(cells, start, values))
        read.found.append(key)
        read.rows[key] = []
    for key in lone:
        if key not in read.rows:  # printed, every figure blank: the row is there, all null
            read.found.append(key)
            read.rows[key] = [None] * resolver.width(key)
    lead_first = pads_at_start([(v, resolver.width(k)) for k, v, _ in pending])
    padding = trailing_padding([(v, resolver.width(k), n) for k, v, n in pending])
    value_col = _uniform_value_column(zones)
    for (key, values, n_labels), (lead, col, _) in zip(pending, zones):
        values = list(values)
        if value_col is not None and lead and col == value_col and values[-1].kind == "blank" \
                and len(values) - lead == resolver.width(key) and not lead_first:
            # A plain grid (every figure starts in one column): the blanks before this row's
            # first figure stand in label columns (一、本年新收… | blank | blank | 120 …), so
            # its trailing blank is a printed cell (a total left blank), not padding.
            values = values[lead:]
        # Drop the padding this kind of row always carries, so that a missing figure shows
        # as a short row (aligned right) rather than as a blank last column.
        for _ in range(padding.get(n_labels, 0)):
            if len(values) > 1 and values[-1].kind == "blank":
                values.pop()
        read.rows[key] = fit(values, resolver.width(key), f"{table}.{key}", read.warnings,
                             lead_first, resolver.judge)


def _undivided_other(resolver: _Resolver, buffer: list[Cell]) -> list[str]:
    """``["other_handling"]`` when the labels before a row's figures hold an undivided
    ``（六）其他处理`` printed with no figure at all (a text layout prints its blanks as
    nothing): its label is followed by the next item's ((七)总计), not by items of its own.

    Which (六) a 2021 report prints — one row or three — decides its checks
    (``checks.other_rows_in_use``); a blank undivided row must not read as the three."""
    if not isinstance(resolver, RequestResolver) or len(buffer) < 2:
        return []
    marks = [(n, level) for n, c in enumerate(buffer)
             for level in [split_prefix(c.norm)[0]] if level is not None]
    for (_, upper), (n, level) in zip(marks, marks[1:]):
        if level <= upper and resolver.resolve(buffer[:n], commit=False) == "other_handling":
            return ["other_handling"]
    return []


def _grid_position(cells: list[Cell], start: int, values: list[Cell]) -> tuple[int, int, bool]:
    """(leading blanks, column of the first figure in its printed row, whether the first value
    is a figure) for one row whose values begin at ``cells[start]``; (0, -1, False) when the
    values do not share one printed row (pipe / one-cell-per-line layouts have no grid)."""
    if not values or any(v.row != values[0].row for v in values):
        return 0, -1, False
    lead = 0
    while lead < len(values) and values[lead].kind == "blank":
        lead += 1
    if lead == len(values):
        return 0, -1, False
    row, col = values[0].row, 0
    k = start - 1
    while k >= 0 and cells[k].row == row:
        col += 1
        k -= 1
    return lead, col + lead, lead == 0


def _uniform_value_column(zones: list[tuple[int, int, bool]]) -> int | None:
    """The column where every row's figures begin, when the table is a plain grid (an
    unmerged sheet or Word table): all rows whose first value is a figure agree, two at least."""
    cols = {col for _, col, first in zones if first and col >= 0}
    seen = sum(1 for _, col, first in zones if first and col >= 0)
    return next(iter(cols)) if len(cols) == 1 and seen >= 2 else None


def trailing_padding(rows: list[tuple[list[Cell], int, int]]) -> dict[int, int]:
    """Trailing blank cells every complete row with the same number of label cells carries.

    Grids padded to a fixed width (seed 004's pipe stream: one label cell → two empty cells, two
    label cells → one) tell it by their complete rows; ``{label cells: padding}``, only where all
    such rows (two at least) agree.
    """
    seen: dict[int, set[int]] = {}
    count: dict[int, int] = {}
    for values, width, n_labels in rows:
        if sum(v.kind != "blank" for v in values) != width or values[0].kind == "blank":
            continue
        trail = 0
        while trail < len(values) and values[-1 - trail].kind == "blank":
            trail += 1
        seen.setdefault(n_labels, set()).add(trail)
        count[n_labels] = count.get(n_labels, 0) + 1
    return {n: next(iter(t)) for n, t in seen.items() if len(t) == 1 and count[n] >= 2}


def _trim(vals: list[Cell], width: int, lead_first: bool) -> list[Cell]:
    out = list(vals)
    for side in ((0, -1) if lead_first else (-1, 0)):
        while len(out) > width and out[side].kind == "blank":
            out.pop(side)
    return out


def row_total_holds(raw: list[str]) -> bool:
    """Table 三's row rule on raw texts: the last figure is the sum of the six before it.

    Only a printed, non-zero total counts as evidence: zeros and blanks agree with any reading.
    """
    numbers = [parse_value(r, "count")[0] for r in raw]
    if len(numbers) != REQUEST_WIDTH or not numbers[-1]:
        return False
    return numbers[-1] == sum(n or 0 for n in numbers[:-1])


def pads_at_start(rows: list[tuple[list[Cell], int]]) -> bool:
    """Whether a table's padding blanks sit before its figures rather than after them.

    A row with more cells than columns tells when one end is a printed figure and the other a
    blank: the padding is at the blank end. Most grids pad at the end (seed 000), some at the
    start (a label spanning two columns leaves its blank before the figures).
    """
    start = end = 0
    for values, width in rows:
        if len(values) == width and values[0].kind == "number" and values[-1].kind == "blank" \
                and all(v.row == values[0].row for v in values):
            # A full grid row whose last cell (总计) is blank: in this table the last column
            # can be a printed blank, so extra blanks of other rows are leading label columns.
            start += 1
            continue
        if len(values) <= width:
            continue
        first_blank, last_blank = values[0].kind == "blank", values[-1].kind == "blank"
        start += first_blank and not last_blank
        end += last_blank and not first_blank
    return start > end


def _resolve_blank(resolver: _Resolver, buffer: list[Cell], values: list[Cell]) -> str | None:
    """An all-blank run is a row only for a recognised row with enough cells (a blank row)."""
    key = resolver.resolve(buffer, commit=False)
    if key is not None and len(values) >= resolver.width(key):
        return resolver.resolve(buffer)
    return None


def fit(values: list[Cell], width: int, where: str, warnings: list[str],
        lead_first: bool = False, judge: Callable[[list[str]], bool] | None = None
        ) -> list[str | None]:
    """Fit a row's printed values to its width (raw texts; None = not printed).

    :param lead_first: the table pads rows at the start, not the end (learnt from its
        unambiguous rows by :func:`pads_at_start`): drop leading blanks before trailing ones
    :param judge: whether a reading of the row (raw texts) is internally consistent; used
        only to choose between two blank-trimming readings
    """
    vals = list(values)
    trimmed = False
    if judge is not None and len(vals) > width and vals[0].kind == vals[-1].kind == "blank":
        # Either end may be the padding: the row-total rule may choose between the two
        # readings (format.md §5: checks only ever choose between readings of the layout).
        readings = [_trim(vals, width, first) for first in (lead_first, not lead_first)]
        passing = [r for r in readings if judge([v.raw for v in r])]
        if len(passing) == 1 and passing[0] is not readings[0]:
            lead_first = not lead_first
            warnings.append(f"{where}: padding side chosen by the row total")
    for side in ((0, -1) if lead_first else (-1, 0)):
        while len(vals) > width and vals[side].kind == "blank":
            vals.pop(side)
            trimmed = True
    if len(vals) > width and sum(v.kind != "blank" for v in vals) == width:
        # Blank gaps between the figures (columns drawn apart by a PDF without rulings): the
        # printed figures fill the row exactly, in order.
        warnings.append(f"{where}: blank gaps inside the row ignored")
        vals = [v for v in vals if v.kind != "blank"]
    if len(vals) > width:
        extra = [v.raw for v in vals[width:]]
        warnings.append(f"{where}: {len(vals)} values for {width} columns; extra {extra} ignored")
        vals = vals[:width]
    out: list[str | None] = [v.raw for v in vals]
    printed = sum(1 for v in vals if v.kind != "blank")
    if len(out) < width:
        warnings.append(f"{where}: {len(out)} values for {width} columns; aligned right, "
                        f"first {width - len(out)} left null")
        out = [None] * (width - len(out)) + out
    elif trimmed and not lead_first and printed < width and vals and vals[0].kind == "blank" \
            and width > 1:
        # Seed 000: a cell lost in extraction leaves a blank where the grid had padding.
        warnings.append(f"{where}: {printed} values for {width} columns; aligned right, "
                        "leading cell left null")
        # The blank there is layout padding, not a printed blank cell: no raw text for it.
        n = 0
        while n < len(vals) and vals[n].kind == "blank":
            out[n] = None
            n += 1
    return out


class RequestResolver:
    """Table 三 row labels → keys, keeping the parent group context (一…四 / (一)…(七))."""

    judge = staticmethod(row_total_holds)

    def __init__(self, width: int = REQUEST_WIDTH) -> None:
        self.cat = catalogue()
        self.l1: int | None = None
        self.l2: int | None = None
        self._width = width  # 8 when a subtotal column (小计) is printed beside the seven

    def width(self, key: str) -> int:
        return self._width

    def resolve(self, label: list[Cell], commit: bool = True) -> str | None:
        segments: list[list] = []  # [level, number, text, text of the cells after the numbered one]
        orphans: list[str] = []
        for c in label:
            level, number, rest = split_prefix(c.norm)
            if level is not None:
                segments.append([level, number, rest, ""])
            elif segments:
                segments[-1][2] += c.norm
                segments[-1][3] += c.norm
            else:
                orphans.append(c.norm)
        saved = (self.l1, self.l2)
        if not segments:
            key = self._match(None, None, strip_note("".join(orphans[-2:])))
            if key is None and orphans:
                key = self._match(None, None, strip_note(orphans[-1]))
        else:
            for level, number, _, _ in segments[:-1]:
                self._enter(level, number)
            level, number, text, after = segments[-1]
            # A numbered group cell, then an item whose number was lost (Word's automatic
            # numbering): ``(三)不予公开`` | ``属于国家秘密`` is item 1 of group 3.
            key = self._match_child(level, number, strip_note(after)) if after else None
            if key is None:
                key = self._match(level, number, strip_note(text))
            if key is None and level in (1, 2):
                self._enter(level, number)  # a parent printed with values of its own: context only
        if key is not None:
            row = self.cat.request_rows[key]
            if row.level == 1:
                self.l1, self.l2 = row.number, None
            elif row.level == 2:
                self.l1, self.l2 = 3, row.number
            else:
                self.l1, self.l2 = 3, row.parent
        if not commit:
            self.l1, self.l2 = saved
        return key

    def _enter(self, level: int, number: int) -> None:
        if level == 1:
            if number != self.l1:
                self.l1, self.l2 = number, None
        elif level == 2:
            self.l1, self.l2 = 3, number

    def _match_child(self, level: int, number: int, text: str) -> str | None:
        """An unnumbered item printed after its numbered group: a clear text match among that
        group's children only (level 2 under 三、, items under (三)…(六))."""
        if len(text) < 2:
            return None
        grams = bigrams(text)
        best, best_score = None, 0.8
        for row in self.cat.request_rows.values():
            child = (level == 1 and number == 3 and row.level == 2) or \
                    (level == 2 and row.level == 3 and row.parent == number)
            if child:
                score = best_match(text, row.texts, row.grams, grams)
                if score >= best_score:
                    best, best_score = row.key, score
        return best

    def _match(self, level: int | None, number: int | None, text: str) -> str | None:
        best, best_score = None, 0.0
        grams = bigrams(text)
        if level is not None:
            # Fast path: the rows with this number at this level, when the text agrees.
            for row in self.cat.request_rows.values():
                if row.level == level and row.number == number and \
                        (level != 3 or row.parent == self.l2) and \
                        best_match(text, row.texts, row.grams, grams) >= 0.75:
                    return row.key
        for row in self.cat.request_rows.values():
            if level is not None and row.level != level and len(text) < 4 and text not in row.texts:
                # Another level needs a clear text match; short texts give one only when exact
                # (``7.总计`` in reports numbering the (一)…(七) items 1.…7.).
                continue
            sim = best_match(text, row.texts, row.grams, grams) if text else 0.0
            if level is None:
                # Unnumbered label: only a clear text match, short words only in context.
                if len(text) < 4 and not (row.key == "results_total" and self.l1 == 3
                                          or row.key == "other_other" and self.l2 == 6):
                    continue
                score = sim if sim >= 0.8 else 0.0
            elif row.level != level:
                score = sim if sim >= 0.85 and (len(text) >= 4 or sim == 1.0) else 0.0
            else:
                same_number = row.number == number
                in_context = level != 3 or row.parent == self.l2
                score = sim + (0.35 if same_number else 0.0) + (0.15 if in_context else 0.0)
                if not (sim >= 0.6 or same_number and sim >= 0.25
                        or same_number and in_context and len(text) <= 1):
                    score = 0.0
            if score > best_score:
                best, best_score = row.key, score
        return best


class ActiveResolver:
    """Table 二 row labels (no number prefix in print) → keys; widths depend on the format."""

    judge = None

    def __init__(self, fmt: str) -> None:
        self.cat = catalogue()
        self.fmt = fmt

    def width(self, key: str) -> int:
        return len(self.cat.cols("active", key, self.fmt)) or 1

    def resolve(self, label: list[Cell], commit: bool = True) -> str | None:
        candidates = [label[-1].norm]
        if len(label) >= 2:
            candidates.append(label[-2].norm + label[-1].norm)
        for text in candidates:
            level, _, rest = split_prefix(text)
            text = strip_note(rest if level else text)
            best, best_score = None, 0.0
            grams = bigrams(text)
            for row in self.cat.active_rows.values():
                if self.fmt not in row.formats:
                    continue
                score = best_match(text, row.texts, row.grams, grams)
                if score > best_score:
                    best, best_score = row.key, score
            if best_score >= 0.7:
                return best
        return None


def _value_run(cells: list[Cell], start: int, hi: int) -> list[Cell]:
    """The value cells from ``start`` up to the next label, minus the next row's indent."""
    end = start
    while end < hi and cells[end].is_value:
        end += 1
    k = end
    while k > start and cells[k - 1].kind == "blank" and end < hi and cells[k - 1].row == cells[end].row:
        k -= 1
    return cells[start:k]


def read_requests(cells: list[Cell], regions: Regions) -> TableRead:
    """Table 三: every row found, 7 raw values each (see :func:`fit`)."""
    read = TableRead()
    lo, hi = regions.spans.get("requests", (0, len(cells)))
    if "requests" not in regions.spans:
        # No heading, no anchor: look between table 二 and table 四, whichever are known.
        lo = regions.spans.get("active", (0, 0))[1]
        review = regions.spans.get("review_litigation", (len(cells), 0))[0]
        hi = review if review > lo else len(cells)
    grouped = _organisations_as_one(cells, lo, hi)
    if grouped is not None:
        _collect(cells, lo, hi, RequestResolver(len(grouped)), read, "requests")
        cols = catalogue().applicant_heads().cols
        for key, values in read.rows.items():
            spread: list[str | None] = [None] * REQUEST_WIDTH
            for col, value in zip(grouped, values):
                if col is not None:
                    spread[cols.index(col)] = value
            read.rows[key] = spread
        read.unprinted = [c for c in cols if c not in grouped]
        read.warnings.append("requests: the organisations printed as one column (法人或其他组织); "
                             "their five columns left null")
        return read
    subtotal = _subtotal_column(cells, lo, hi)
    _collect(cells, lo, hi, RequestResolver(REQUEST_WIDTH + (subtotal is not None)), read, "requests")
    if subtotal is not None:
        for key, values in read.rows.items():
            del values[subtotal]
    order = _applicant_order(cells, lo, hi)
    if order is not None:
        for key, values in read.rows.items():
            if len(values) == len(order):
                read.rows[key] = [values[order.index(n)] for n in range(len(order))]
    return read


def _applicant_order(cells: list[Cell], lo: int, hi: int) -> list[int] | None:
    """The official position of each printed applicant column when the heads print them in
    another order (总计 first, 法律服务机构 before 商业企业), else None. Read from the heads
    above the first figure: the row holding 法人或其他组织 gives the heads left and right of
    the group, the next row the group's own; without the group, one row holds all seven."""
    applicants = catalogue().applicant_heads()
    printed = _printed_heads(cells, lo, hi)
    if printed is None:
        return None
    if len(printed) > REQUEST_WIDTH:  # a subtotal among them: 合计 beside 总计, or 小计
        printed = [c for c in printed if c.norm not in _SUBTOTAL_HEADS and c.norm != "合计"]
    order = [applicants.cols.index(applicants.by_head[c.norm]) for c in printed]
    return order if order != sorted(order) else None


def _organisations_as_one(cells: list[Cell], lo: int, hi: int) -> list[str | None] | None:
    """The printed applicant columns when table 三 gives the organisations one column of their
    own (自然人 | 法人或其他组织 | 总计, no 商业企业…其他 under it), as official columns in printed
    order (None for the organisations' column, which no official column holds); else None.

    Read from the heads above the first figure, and only when no row prints more than four
    values (a seven-column table whose organisation heads were lost is not this layout).
    """
    applicants = catalogue().applicant_heads()
    first = next((i for i in range(lo, hi) if cells[i].kind == "number"), hi)
    heads = [c for c in cells[lo:first] if c.kind == "text"]
    groups = applicants.group_heads
    named = [c for c in heads if c.norm in applicants.by_head or c.norm in groups]
    cols = [applicants.by_head.get(c.norm) if c.norm not in groups else None for c in named]
    if sorted(map(str, cols)) != sorted(map(str, (*applicants.ungrouped, None))):
        return None  # each of the three once, and none of the organisations' own heads
    run: list[Cell] = []
    for c in [*cells[first:hi], None]:
        if c is not None and c.is_value:
            run.append(c)
            continue
        printed = [n for n, v in enumerate(run) if v.kind != "blank"]
        if printed and printed[-1] - printed[0] >= len(cols) + 1:
            return None  # a row of more figures than three (blank label cells aside)
        run = []
    if len({c.row for c in named}) != 1:  # not laid out in one printed row: the official order
        return [applicants.cols[0], None, applicants.cols[-1]]
    return cols


# A subtotal of the organisations' columns printed as a column of its own (法人或其他组织 /
# 小计), beside 总计: not an official column, its figures are dropped.
_SUBTOTAL_HEADS = ("小计", "合计小计", "法人小计")


def _subtotal_column(cells: list[Cell], lo: int, hi: int) -> int | None:
    """Where a subtotal column (小计) stands among the eight printed figure columns, when the
    heads lay it out beside the seven official ones; else None."""
    printed = _printed_heads(cells, lo, hi)
    if printed is None:
        return None
    at = [n for n, c in enumerate(printed) if c.norm in _SUBTOTAL_HEADS or c.norm == "合计"]
    return at[0] if len(at) == 1 and len(printed) == REQUEST_WIDTH + 1 else None


def _printed_heads(cells: list[Cell], lo: int, hi: int) -> list[Cell] | None:
    """The applicant head cells in printed column order (a subtotal head among them), or None
    when the heads are not each printed once or not laid out in printed rows."""
    applicants = catalogue().applicant_heads()
    first = next((i for i in range(lo, hi) if cells[i].kind == "number"), hi)
    heads = [c for c in cells[lo:first] if c.kind == "text"]
    # 合计 beside a 总计 is the organisations' subtotal, not the total
    sub = set(_SUBTOTAL_HEADS) | ({"合计"} if any(c.norm == "总计" for c in heads) else set())
    names = [c for c in heads if c.norm in applicants.by_head and c.norm not in sub]
    if sorted(applicants.by_head[c.norm] for c in names) != sorted(applicants.cols):
        return None  # each head once, or no telling
    subtotals = [c for c in heads if c.norm in sub]
    group = [c for c in heads if c.norm == applicants.group]
    if len(group) == 1:
        upper = [c for c in names if c.row == group[0].row]
        lower = [c for c in names + subtotals if c.row != group[0].row]
        if {applicants.by_head[c.norm] for c in upper} != set(applicants.ungrouped) or \
                len({c.row for c in lower}) != 1:
            return None  # heads not laid out in printed rows (a cell per line): no telling
        at = heads.index(group[0])
        lower.sort(key=heads.index)
        return [c for c in upper if heads.index(c) < at] + lower + \
            [c for c in upper if heads.index(c) > at]
    if not group and len({c.row for c in names + subtotals}) == 1:
        return sorted(names + subtotals, key=heads.index)
    return None


def read_active(cells: list[Cell], regions: Regions, fmt: str) -> TableRead:
    """Table 二 in format ``fmt`` (the widths of its rows differ between formats)."""
    read = TableRead()
    if "active" in regions.spans:
        lo, hi = regions.spans["active"]
        _collect(cells, lo, hi, ActiveResolver(fmt), read, "active")
    return read


def read_review(cells: list[Cell], regions: Regions) -> TableRead:
    """Table 四: the first run of values after the header, 15 cells mapped by position."""
    read = TableRead()
    if "review_litigation" not in regions.spans:
        return read
    lo, hi = regions.spans["review_litigation"]
    first = next((i for i in range(lo, hi) if cells[i].kind in ("number", "null")), None)
    for c in cells[lo:first if first is not None else hi]:
        if c.kind == "text":
            read.labels.append(c.norm)
    # Only the official header makes the figures positional (a legacy 统计表 under a 复议/诉讼
    # heading is not table 四).
    if first is None or not any(any(w in label for w in REVIEW_HEADER_WORDS)
                                for label in read.labels):
        return read
    start = first
    while start > lo and cells[start - 1].kind == "blank":
        start -= 1
    values = _value_run(cells, start, hi)
    # 行政复议 and 行政诉讼 printed as two tables (5 + 10 figures): later runs continue the row.
    nxt = start + len(values)
    while len(values) in (5, 10) and nxt < hi:
        more = next((i for i in range(nxt, hi) if cells[i].kind in ("number", "null", "prose",
                                                                     "heading")), None)
        if more is None or cells[more].kind in ("prose", "heading"):
            break
        while more > nxt and cells[more - 1].kind == "blank":
            more -= 1
        run = _value_run(cells, more, hi)
        if len(values) + len(run) > REVIEW_WIDTH:
            break
        values = values + run
        nxt = more + len(run)
    if len(values) < REVIEW_WIDTH:
        values = _whole_blocks(cells, lo, hi) or _review_list(cells, lo, hi) or values
    values = fit(values, REVIEW_WIDTH, "review_litigation", read.warnings)
    orders = _review_orders(read.labels)
    for n, key in enumerate(_REVIEW_ROWS):
        block = values[n * 5:(n + 1) * 5]
        order = orders[n]
        if order != _REVIEW_COLS:
            block = [block[order.index(col)] for col in _REVIEW_COLS]
            read.warnings.append(f"review_litigation.{key}: columns printed in the order "
                                 f"{', '.join(order)}; mapped by their heads")
        read.rows[key] = block
        read.found.append(key)
    return read


def _review_list(cells: list[Cell], lo: int, hi: int) -> list[Cell] | None:
    """Table 四 turned into a list — a row per figure under its block (行政复议 | 结果维持 | 3,
    … 未经复议直接起诉 | 结果维持 | 1 …): each figure is the cell of the block label and the
    column head printed before it. The 15 cells in the official order when every one is
    found once, else None."""
    cat = catalogue()
    row: int | None = None
    col: str | None = None
    found: dict[tuple[int, str], Cell] = {}
    for c in cells[lo:hi]:
        if c.kind == "text":
            if "直接起诉" in c.norm:
                row = 1
            elif "复议后起诉" in c.norm:
                row = 2
            elif c.norm.startswith("行政复议") and len(c.norm) <= 8:
                row = 0
            heads = cat.review_columns(c.raw)
            col = heads[-1] if heads else col
        elif c.is_value and row is not None and col is not None:
            if (row, col) in found:
                return None
            found[(row, col)] = c
            col = None
    if len(found) != REVIEW_WIDTH:
        return None
    return [found[(r, k)] for r in range(3) for k in _REVIEW_COLS]


def _whole_blocks(cells: list[Cell], start: int, hi: int) -> list[Cell] | None:
    """Table 四 printed as labelled rows or tables of five (行政复议 | 未经复议直接起诉 |
    复议后起诉), where a block may be all blank: the runs of exactly 5 or 10 values in the
    region, when they make the 15 cells. A block of blanks has no figure to find it by, so the
    usual reading (from the first figure) loses it."""
    runs: list[Cell] = []
    i = start
    while i < hi and len(runs) < REVIEW_WIDTH:
        if not cells[i].is_value:
            i += 1
            continue
        run = _value_run(cells, i, hi)
        if len(run) in (5, 10):
            runs += run
        i += max(len(run), 1)
        while i < hi and cells[i].is_value and cells[i].kind == "blank":
            i += 1  # the indent blanks _value_run left to the next row
    return runs if len(runs) == REVIEW_WIDTH else None


def _review_orders(labels: list[str]) -> list[tuple[str, ...]]:
    """The column order of each of table 四's three blocks, read from its header.

    The official order is 结果维持 … 总计, but some reports print 总计 first. Heads are trusted
    only in groups of five whole heads naming all five columns (a head split over two rows, or
    stacked one character per line, names none; such a block keeps the official order): the
    first five are 行政复议's, the last ten the two 行政诉讼 blocks' — or, with only five heads
    (table 四 transposed), every block's.
    """
    cat = catalogue()
    heads = [col for label in labels for col in cat.review_columns(label)]

    def order(group: list[str]) -> tuple[str, ...] | None:
        return tuple(group) if len(group) == 5 and len(set(group)) == 5 else None

    first = order(heads[:5])
    if len(heads) == 5:
        return [first or _REVIEW_COLS] * 3
    direct, after = order(heads[-10:-5]), order(heads[-5:])
    return [first if len(heads) >= 15 and first else _REVIEW_COLS,
            direct or _REVIEW_COLS, after or _REVIEW_COLS]
