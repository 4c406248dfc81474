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

    >>> column_grid(figures=[(10, 20)], headers=[[(30, 80)], [(30, 50), (60, 80)]])
    [(10, 20), (30, 50), (60, 80)]
    >>> column_grid(figures=[(10, 14), (35, 39)], headers=[[(15, 34)], [(6, 18), (30, 45)]])
    [(6, 18), (30, 45)]
    >>> column_grid(figures=[(10, 14), (35, 39)], headers=[[(17, 34)], [(6, 18)]])
    [(6, 18), (35, 39)]
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
    figure column; a header centred over exactly one column widens it to its width, so the titles
above it that span several columns overlap them (a header bridging two columns widens none).
    ``headers`` holds the header lines top to bottom; they are taken bottom line first (the
    titles of single columns sit lowest), narrowest first within a line: a title spanning
    blank columns overlaps the titles of those columns, already taken, and adds nothing."""
    columns = merge_spans(list(figures))
    for column in inherited:
        if not any(overlaps(column, c) for c in columns):
            columns.append(column)
    ranked = [(-n, h[1] - h[0], h) for n, line in enumerate(headers) for h in line]
    for *_, header in sorted(ranked):
        hit = [k for k, c in enumerate(columns) if overlaps(header, c)]
        if not hit:
            columns.append(header)
        elif len(hit) == 1 and columns[hit[0]][0] <= (header[0] + header[1]) / 2 <= columns[hit[0]][1]:
            k = hit[0]  # a column's own title, centred over it: the column is as wide as it
            columns[k] = (min(columns[k][0], header[0]), max(columns[k][1], header[1]))
    return sorted(columns)


def column_of(span: Span, columns: list[Span]) -> int:
    """The index of the column ``span`` overlaps; when it overlaps none or several (a header
    over several columns), the column whose centre is nearest its centre."""
    hit = [k for k, c in enumerate(columns) if overlaps(span, c)]
    if len(hit) == 1:
        return hit[0]
    centre = (span[0] + span[1]) / 2
    candidates = hit or range(len(columns))
    return min(candidates, key=lambda k: abs(centre - (columns[k][0] + columns[k][1]) / 2))
