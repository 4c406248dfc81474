"""Columns of space-aligned text tables (``pdftotext -layout`` output) from character positions.

A blank cell of such a table is only spaces: splitting a row at runs of spaces loses it, and
every figure after it moves one column left. Here the columns are inferred from where the
figures and the column heads stand (a CJK character is two positions wide), so each figure
row comes out with one cell per column, ``""`` where nothing is printed.

    >>> lines = ["              自然人   商业企业   科研机构   总计",
    ...          "本年新收          12          3                15",
    ...          "上年结转           1                          1",
    ...          "予以公开           4          2                6"]
    >>> aligned_rows(lines)[2]
    ['上年结转', '1', '', '', '1']

Columns: every figure field of the table's figure rows, rows with more figures first, opens a
column where it overlaps none (a figure overlapping two is a merged cell and opens none). A head
field right of the label area that matches no figure column (its nearest column's nearest head
is another) is a column whose every cell is blank; a head spanning several heads or figure
columns (``法人或其他组织``) is no column. A row whose figures do not each fall in one column is
left as it was split.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from parsers.labels import clean, norm, split_prefix
from parsers.sections import heading_kind
from parsers.values import value_kind

_WORDS = re.compile(r"[^ \u3000]+")
# Lines that end a table region: section headings and prose.
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
_MIN_FIGURE_ROWS = 1

Field = tuple[int, int, str]  # start, end (display positions), text


def display_width(text: str) -> int:
    """Positions ``text`` takes in a monospaced layout: a wide character takes two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fields(line: str) -> list[Field]:
    """The fields of a line (words apart by two or more spaces) with their display spans."""
    out: list[list] = []
    done, width = 0, 0  # characters measured so far, and their width
    for m in _WORDS.finditer(line):
        start = width + display_width(line[done:m.start()])
        end = start + display_width(m.group())
        done, width = m.end(), end
        if out and line[out[-1][3]:m.start()] == " ":  # one space: the same field
            out[-1][1] = end
            out[-1][2] += " " + m.group()
            out[-1][3] = m.end()
        else:
            out.append([start, end, m.group(), m.end()])
    return [(s, e, t) for s, e, t, _ in out]


@lru_cache(maxsize=8192)
def _is_figure(text: str) -> bool:
    return value_kind(clean(text).strip()) in ("number", "null")


def _breaks_region(line: str, found: list[Field]) -> bool:
    """A section heading or a line of prose: not part of a table."""
    if len(found) != 1:
        return False
    text = found[0][2]
    # a section heading (三、收到和处理…), not a row label printed alone (二、上年结转…申请数量,
    # a row left blank)
    return "。" in text or display_width(text) > 60 or bool(
        _SECTION_HEADING.match(text) and not re.search(r"\d", text) and heading_kind(text))


def aligned_rows(lines: list[str]) -> dict[int, list[str]]:
    """``{line index: cells}`` for the figure rows of space-aligned tables among ``lines``,
    blank cells in place (see the module docstring). Other lines are not in the result."""
    out: dict[int, list[str]] = {}
    region: list[tuple[int, list[Field]]] = []
    for i, line in enumerate(lines + [""]):
        found = fields(line) if i < len(lines) and "\t" not in line and "|" not in line else []
        if i == len(lines) or "\t" in line or "|" in line or _breaks_region(line, found):
            out.update(_region_rows(region))
            region = []
            continue
        if found and _heads_again(region, found):
            # table 三's heads after figure rows: a second table (所属部门's after 本级's, or
            # the table again on a new page), set on columns of its own
            out.update(_region_rows(region))
            region = []
        if found:
            region.append((i, found))
    return out


_REQUEST_HEADS = ("申请人情况", "本列数据")


def _heads_again(region: list[tuple[int, list[Field]]], found: list[Field]) -> bool:
    """Whether a line opens table 三's heads again below rows of figures."""
    if not any(h in norm(f[2]) for f in found for h in _REQUEST_HEADS) or \
            any(_is_figure(f[2]) for f in found):
        return False
    return sum(1 for _, fs in region if sum(_is_figure(f[2]) for f in fs) >= 3) >= 3


def _region_rows(region: list[tuple[int, list[Field]]]) -> dict[int, list[str]]:
    figure_rows = [(i, found, [f for f in found if _is_figure(f[2])]) for i, found in region]
    # a line of one field (a page number, a lone figure) is no row; a region is a table only
    # with two lines of three fields or more (a lone line spaced out is prose)
    figure_rows = [(i, found, figs) for i, found, figs in figure_rows if figs and len(found) >= 2]
    if len(figure_rows) < _MIN_FIGURE_ROWS or sum(len(found) >= 3 for _, found in region) < 2:
        return {}
    columns: list[list[int]] = []  # start, end, figures in it, opened by a fullest row
    most = max(len(figs) for _, _, figs in figure_rows)
    for _, _, figs in sorted(figure_rows, key=lambda r: -len(r[2])):
        for start, end, _ in figs:
            hits = [c for c in columns if start < c[1] and c[0] < end]
            if not hits:
                columns.append([start, end, 1, len(figs) == most])
            elif len(hits) == 1:
                hits[0][2] += 1
                if len(figs) > 1:
                    hits[0][0], hits[0][1] = min(hits[0][0], start), max(hits[0][1], end)
    # The label area: where the labels of figure rows end (a table 四 row has none).
    zone = max((end for _, found, figs in figure_rows for start, end, text in found
                if (start, end, text) not in figs and start < figs[0][0]), default=0)
    # Figures of shorter rows standing apart from the fullest rows' columns: a merged cell
    # (本年增/减 over two columns: its head spans both) unless a head of its own stands over
    # them; with no heads at all, figures of two rows or more make a column.
    with_figures = {i for i, _, _ in figure_rows}
    heads = _heads(region, zone, with_figures)

    def over(head: tuple[int, int], c: list) -> bool:
        return head[0] < c[1] and c[0] < head[1]

    def own_head(c: list) -> bool:
        others = [o for o in columns if o is not c]
        return any(over(h, c) and not any(over(h, o) for o in others)
                   and not any(over(h, (g[0], g[1])) and any(over(g, o) for o in others)
                               for g in heads if g != h)
                   for h in heads)

    columns = sorted([c[0], c[1]] for c in columns
                     if c[3] or (own_head(c) if heads else c[2] > 1))
    columns += _blank_columns(region, columns, zone, with_figures)
    columns.sort()
    out: dict[int, list[str]] = {}
    rows = {i: (found, figs) for i, found, figs in figure_rows}
    above: list[list] | None = None  # label fields of the figure row last read, to continue
    pending: list[tuple[int, list[Field]]] = []  # label lines from an item number on: the next row's?
    for i, found in region:
        if i not in rows:
            if not pending:
                above = _continue_labels(above, found, zone, columns)
                if above is not None:
                    out[i] = []  # wrapped into the row above
                    continue
            # from the last line opening with an item number (those before it are rows of
            # their own, left blank)
            numbered = split_prefix(norm(found[0][2]))[0] is not None
            pending = ([(i, found)] if numbered else pending + [(i, found)] if pending else []) \
                if _label_only(found, zone) else []
            continue
        figs = rows[i][1]
        cells = [""] * len(columns)
        labels: list[list] = []
        above = None
        for start, end, text in found:
            hits = [n for n, c in enumerate(columns) if start < c[1] and c[0] < end] \
                or _nearest_alone(columns, (start + end) / 2)
            if (start, end, text) not in figs:
                if start < figs[0][0]:
                    labels.append([start, end, text])
                    continue
                break
            if len(hits) != 1 or cells[hits[0]]:
                break
            cells[hits[0]] = text
        else:
            if len(cells) > 1:
                above = labels
                for k, _ in _prepend_labels(pending, labels):
                    out[k] = []  # a label's first lines, above its row's figures
                out[i] = labels + cells  # type: ignore[assignment] - texts filled in below
        pending = []
    return {i: [c[2] if isinstance(c, list) else c for c in row] for i, row in out.items()}


def _label_only(found: list[Field], zone: int) -> bool:
    return bool(found) and all(end <= zone and not _is_figure(text) for _, end, text in found)


def _prepend_labels(lines: list[tuple[int, list[Field]]], labels: list[list]
                    ) -> list[tuple[int, list[Field]]]:
    """Label lines above a figure row, from one opening with an item number on, each piece over
    one of the row's labels that does not open with an item number itself: the first lines of
    labels centred on the row (``1.申请人无正当理由逾期不补正`` over ``、行政机关不再处理…``).
    Joined to the labels and returned; nothing when any piece fits nowhere (a blank row of its
    own: ``（二）部分公开`` over ``（三）不予公开``)."""
    if not lines or not labels:
        return []
    joins: list[tuple[list, str]] = []
    for _, found in lines:
        for start, _, text in found:
            label = next((lab for lab in labels if lab[0] - 1 <= start < lab[1]), None)
            if label is None or split_prefix(norm(label[2]))[0] is not None:
                return []
            joins.append((label, text))
    for label, text in reversed(joins):
        label[2] = text + label[2]
    return lines


def _continue_labels(above: list[list] | None, found: list[Field], zone: int,
                     columns: list[list[int]]) -> list[list] | None:
    """A line of label pieces under a figure row, each under one of its labels (a label
    wrapped in its cell: ``（六）其他处`` / ``理``): joined to them; None when it is not one (a
    figure, text in the figure columns, a piece starting with an item number: a row of its
    own whose cells are all blank)."""
    if not above or not found:
        return None
    targets = []
    for start, end, text in found:
        if end > zone or _is_figure(text) or split_prefix(norm(text))[0] is not None:
            return None
        label = next((lab for lab in above if lab[0] - 1 <= start < lab[1]), None)
        if label is None:
            return None
        targets.append((label, text))
    for label, text in targets:
        label[2] += text
    return above


_MAX_HEAD_LINES = 40  # a table's heads fill a few lines; beyond, the region is no table's


def _heads(region: list[tuple[int, list[Field]]], zone: int, with_figures: set[int]
           ) -> list[tuple[int, int]]:
    """Spans of the fields right of the label area on lines without figures (column heads)."""
    return [span for line in _head_lines(region, zone, with_figures) for span in line]


def _head_lines(region: list[tuple[int, list[Field]]], zone: int, with_figures: set[int]
                ) -> list[list[tuple[int, int]]]:
    """:func:`_heads` line by line, top first."""
    lines = [[(s, e) for s, e, _ in found if s >= zone] for i, found in region
             if i not in with_figures and not any(_is_figure(f[2]) for f in found)]
    return [ln for ln in lines if ln][:_MAX_HEAD_LINES]


def _blank_columns(region: list[tuple[int, list[Field]]], columns: list[list[int]],
                   zone: int, with_figures: set[int]) -> list[list[int]]:
    """Columns no figure stands in, from the heads over them."""
    lines = _head_lines(region, zone, with_figures)
    heads = [[s, e] for line in lines for s, e in line]
    level = [n for n, line in enumerate(lines) for _ in line]  # each head's line, top first
    if not heads:
        return []

    def centre(span: list[int]) -> float:
        return (span[0] + span[1]) / 2

    def covers(a: int, b: int) -> bool:
        (a0, a1), (b0, b1) = heads[a], heads[b]
        wider = a1 - a0 > b1 - b0 or a1 - a0 == b1 - b0 and level[a] < level[b] and (a0, a1) != (b0, b1)
        return a != b and wider and a0 < b1 and b0 < a1

    # A head over several heads or figure columns (未经复议直接起诉) names a group — also
    # one no wider than the heads under it, set across two (行政诉讼 over 总计 | 结果维持);
    # not the lines of one wrapped head (法律 / 服务 / 机构, one under the other).
    heads = [h for n, h in enumerate(heads)
             if sum(covers(n, o) for o in range(len(heads)))
             + sum(h[0] <= centre(c) <= h[1] for c in columns) < 2
             and sum(h[0] < c[1] and c[0] < h[1] for c in columns) < 2]
    merged: list[list[int]] = []
    for h in sorted(heads):
        if merged and h[0] < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], h[1])
        else:
            merged.append(list(h))

    def nearest(span: list[int], others: list[list[int]]) -> list[int] | None:
        return min(others, key=lambda o: abs(centre(o) - centre(span)), default=None)

    new = []
    for head in merged:
        column = nearest(head, columns)
        if column is not None and nearest(column, merged) is head:
            continue
        if any(head[0] < c[1] and c[0] < head[1] for c in columns):
            continue
        new.append(head)
    return new


def _nearest_alone(columns: list[list[int]], at: float) -> list[int]:
    """The column nearest ``at`` when it is clearly the nearest (a figure right-aligned in a
    cell whose head is centred), else none."""
    dist = sorted((abs((c[0] + c[1]) / 2 - at), n) for n, c in enumerate(columns))
    if dist and (len(dist) == 1 or dist[0][0] < 0.5 * dist[1][0]):
        return [dist[0][1]]
    return []
