"""The column grid of a table drawn without (or with too few) ruling lines.

A row of an unruled table whose blank cells leave no trace on the page (no ``0``, no ``—``)
holds fewer runs of text than the table has columns, so cells can never be mapped by counting
them. Instead the columns are x-intervals learnt from the whole table, and every run of text
goes to the interval it overlaps:

    >>> grid = column_grid(figures=[(100, 110), (150, 160), (102, 112)],
    ...                    headers=[[(95, 215)], [(95, 120), (140, 170), (190, 215)]])
    >>> grid
    [(95, 120), (140, 170), (190, 215)]
    >>> column_of((196, 204), grid), column_of((104, 108), grid)
    (2, 0)

``figures`` are the x-extents of every figure of the table, ``headers`` those of the header
texts: a header over no figure is a column of its own (a column every row left blank), a
header over one figure column widens it to its own width, a header over several spans them and
adds nothing.

    >>> column_grid(figures=[(10, 20)], headers=[[(30, 80)], [(8, 22), (30, 50), (60, 80)]])
    [(8, 22), (30, 50), (60, 80)]
    >>> column_grid(figures=[(10, 14), (35, 39)], headers=[[(15, 34)], [(6, 18), (30, 45)]])
    [(6, 18), (30, 45)]
    >>> column_grid(figures=[(10, 14), (35, 39)], headers=[[(17, 34)], [(6, 18)]])
    [(6, 18), (35, 39)]
    >>> column_grid(figures=[(30, 34), (60, 64)], headers=[[(12, 24), (45, 52), (75, 90)]])
    [(12, 34), (45, 64), (75, 90)]
"""

from __future__ import annotations

Span = tuple[float, float]  # x0, x1 in points


def merge_spans(spans: list[Span]) -> list[Span]:
    """Overlapping spans merged, left to right (the figures of one column overlap each other
    whether they are centred or right-aligned)."""
    merged: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def overlaps(span: Span, column: Span) -> bool:
    return min(span[1], column[1]) - max(span[0], column[0]) > 0


def column_grid(figures: list[Span], headers: list[list[Span]] = (),  # type: ignore[assignment]
                inherited: list[Span] = ()) -> list[Span]:  # type: ignore[assignment]
    """Figure columns: the merged extents of the figures, plus the columns of an earlier part of
    the same table (a continuation page has no header), plus header texts standing over no
    figure column; a header over exactly one untitled column (centred on it, or a third of it
    over it) is that column's title and widens it to its width, so the titles above it that span
    several columns overlap them (a header bridging two columns widens none).

    ``headers`` holds the header lines top to bottom; they are taken bottom line first (the
    titles of single columns sit lowest), narrowest first within a line: a title spanning
    blank columns overlaps the titles of those columns, already taken, and adds nothing. A
    header over no figure, beside a figure column that has no title of its own (nothing
    between them, nearer than three times its width; lowest line, then nearest pairs first), is that column's
    title (figures right- or left-aligned under a centred title); otherwise it is a column
    every row left blank."""
    columns = [[a, b, False] for a, b in merge_spans(list(figures))]  # x0, x1, titled
    for a, b in inherited:
        if not any(overlaps((a, b), (c[0], c[1])) for c in columns):
            columns.append([a, b, False])
    columns.sort()
    lonely: list[Span] = []  # bottom line first, narrowest first within a line
    level: dict[Span, int] = {}  # header line of each, counted from the bottom
    for n, line in enumerate(reversed(list(headers))):
        for header in sorted(line, key=lambda h: h[1] - h[0]):
            hit = [c for c in columns if overlaps(header, (c[0], c[1]))]
            if not hit or (len(hit) == 1 and not hit[0][2] and not _titles(header, hit[0], n)):
                lonely.append(header)  # over nothing, or barely touching an untitled column
                level.setdefault(header, n)
            elif len(hit) == 1 and not hit[0][2] and _titles(header, hit[0], n):
                hit[0][0], hit[0][1] = min(hit[0][0], header[0]), max(hit[0][1], header[1])
                hit[0][2] = True
    # Untitled figure columns take the nearest lonely header beside them, nothing between
    pairs = []
    for h in lonely:
        for c in columns:
            if c[2]:
                continue
            gap = max(0.0, c[0] - h[1] if c[0] >= h[1] else h[0] - c[1])
            lo, hi = (h[1], c[0]) if c[0] >= h[1] else (c[1], h[0])
            between = any(overlaps((lo, hi), (o[0], o[1])) for o in columns if o is not c) or \
                any(overlaps((lo, hi), o) for o in lonely if o is not h and level[o] == level[h])
            if 0 <= gap < 3 * (h[1] - h[0]) and not between:
                pairs.append((level[h], gap, h, c))
    taken: list[Span] = []
    # the lowest titles first (a title spanning columns sits above theirs), nearest first
    for _, _, h, c in sorted(pairs, key=lambda p: (p[0], p[1])):
        if c[2] or h in taken:
            continue
        c[0], c[1], c[2] = min(c[0], h[0]), max(c[1], h[1]), True
        taken.append(h)
    for h in lonely:
        if h not in taken and not any(overlaps(h, (c[0], c[1])) for c in columns):
            columns.append([h[0], h[1], True])
    return sorted((a, b) for a, b, _ in columns)


def _titles(header: Span, column: list, level: int = 0) -> bool:
    """Whether ``header``, overlapping only ``column``, is its title: centred on it, or, on the
    lowest header line, at least a third of it over it (a wider title above merely touching a
    column leaves it to the titles below, which may stand beside right-aligned figures)."""
    centre = (header[0] + header[1]) / 2
    over = min(header[1], column[1]) - max(header[0], column[0])
    return column[0] <= centre <= column[1] or (level == 0 and over >= (header[1] - header[0]) / 3)


def column_of(span: Span, columns: list[Span]) -> int:
    """The index of the column ``span`` overlaps; when it overlaps none or several (a header
    over several columns), the column whose centre is nearest its centre."""
    hit = [k for k, c in enumerate(columns) if overlaps(span, c)]
    if len(hit) == 1:
        return hit[0]
    centre = (span[0] + span[1]) / 2
    candidates = hit or range(len(columns))
    return min(candidates, key=lambda k: abs(centre - (columns[k][0] + columns[k][1]) / 2))
