"""A text file printed to PDF → the text again, so the text reader reads its tables.

A text editor (or a line printer's driver) prints a plain-text report glyph by glyph on a
fixed grid: one type size, every glyph's origin on a column of half an em (a CJK glyph two
columns wide), every line at one pitch, no ruling lines. Its tables are the text file's
space-aligned columns; read as a PDF they are runs of single glyphs whose gaps (one space,
half an em) are narrower than the PDF reader's glyph-joining distance, so figures of
neighbouring columns ran together (``8`` ``0`` → ``80``) and a label's wrapped lines were
rows. On such a grid the page's text is rebuilt exactly as the file was (columns → spaces,
skipped line pitches → blank lines) and handed to the text reader, which reads its tables as
it reads a text file's: space-aligned by position (``readers/text_columns.py``), ruled with
pipes, or a cell per line.

The grid must hold nearly every glyph: a Word or browser PDF (proportional type, justified
lines, cell padding, paragraph spacing) is never taken for one.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter

_MIN_CHARS = 200
SAMPLE = 200  # characters of the first page looked at before the rest
_ON_GRID = 0.97  # share of glyphs that must sit on the grid
# a figure alone on its line or set apart by spaces or a rule: a text table's cell, in any
# of the layouts the text reader reads (space-aligned, pipes, a cell per line)
_FIGURE_APART = re.compile(r"(?:^|[ |│┃])[\d０-９][\d０-９,，.．]*(?=$|[ |│┃])", re.MULTILINE)


def grid_text(pdf, count: int) -> str | None:
    """The text of the first ``count`` pages of ``pdf`` (a pypdfium2 document) when every page
    is a fixed grid of one type size, else None. Pages are separated by form feeds."""
    pages = []
    for i in range(count):
        chars, turned = _page_chars(pdf, i)
        # (a turned page's glyphs are in its text's frame: not a sheet of two pages)
        pages += [chars] if turned else _two_up(pdf, chars, i)
    glyphs = [g for page in pages for g in page]
    if len(glyphs) < _MIN_CHARS:
        return None
    found = _grid(glyphs)
    if found is None:
        return None
    size, column, phase = found
    left = min(x for _, x, _, _ in glyphs if _off((x / column) - phase) < 0.1)
    pitch = _pitch(pages, size)
    if pitch is None:
        return None
    texts = [_page_text(page, left, column, pitch) for page in pages]
    text = "\f".join(texts)
    if len(_FIGURE_APART.findall(text)) < 3:
        return None  # no figures set apart (a text table): the PDF reader's reading is as good
    return text


def _grid(glyphs: list[tuple[str, float, float, float]]) -> tuple[float, float, float] | None:
    """(type size, column width, column phase) when nearly every glyph is of one size with
    its origin on a column of half its em."""
    sizes = Counter(round(size, 1) for _, _, _, size in glyphs)
    size, _ = sizes.most_common(1)[0]
    same = sorted(s for _, _, _, s in glyphs if abs(s - size) <= 0.05 * size)
    if size <= 0 or len(same) < _ON_GRID * len(glyphs):
        return None
    size = same[len(same) // 2]  # the exact size: the grid's column is half of it
    column = size / 2
    phase = _phase([x / column for _, x, _, _ in glyphs])
    return None if phase is None else (size, column, phase)


def may_be_grid(sample: list[tuple[str, float, float, float]]) -> bool:
    """A first look at the first page's first glyphs (:func:`glyphs`), so that a PDF set any
    other way costs nothing more: too few to tell, or on a grid."""
    return len(sample) < SAMPLE // 2 or _grid(sample) is not None


def glyphs(textpage, limit: int | None = None, direction: tuple[int, int] = (1, 0)
           ) -> list[tuple[str, float, float, float]]:
    """(glyph, origin x, baseline y, type size) of the printed glyphs of a PDFium text page
    (of its first ``limit`` characters), in the frame of text running along ``direction``
    (user space; see :func:`text_direction`): a text file printed turned reads as upright."""
    from pypdfium2 import raw

    ca, sa = direction
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    out = []
    total = textpage.count_chars()
    for i in range(total if limit is None else min(total, limit)):
        code = raw.FPDFText_GetUnicode(textpage, i)
        if code <= 32 or code in (0x3000, 0xFFFE, 0xFFFF) or raw.FPDFText_IsGenerated(textpage, i) == 1:
            continue
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        size = raw.FPDFText_GetFontSize(textpage, i)
        if raw.FPDFText_GetMatrix(textpage, i, ctypes.byref(matrix)):
            # the size set (Tf) scaled as shown: by the text matrix and the page's or a form's
            # (a page placed whole, scaled, by a stamping or N-up tool)
            size *= math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
        out.append((chr(code), x.value * ca + y.value * sa, y.value * ca - x.value * sa, size))
    return out


def text_direction(textpage) -> tuple[int, int] | None:
    """The direction the page's text runs in user space, (1, 0) for upright, (0, 1) turned to
    read upwards, (-1, 0), (0, -1); None when its glyphs do not agree (by their text
    matrices, sampled)."""
    from pypdfium2 import raw

    matrix = raw.FS_MATRIX()
    votes: Counter = Counter()
    total = textpage.count_chars()
    for i in range(0, total, max(1, total // 100)):
        if raw.FPDFText_GetUnicode(textpage, i) <= 32 or \
                not raw.FPDFText_GetMatrix(textpage, i, ctypes.byref(matrix)):
            continue
        a, b = matrix.a, matrix.b
        if abs(a) > 10 * abs(b):
            votes[(1 if a > 0 else -1, 0)] += 1
        elif abs(b) > 10 * abs(a):
            votes[(0, 1 if b > 0 else -1)] += 1
        else:
            votes[None] += 1
    if not votes:
        return (1, 0)
    best, count = votes.most_common(1)[0]
    return best if count >= 0.95 * sum(votes.values()) else None


def _page_chars(pdf, index: int) -> tuple[list[tuple[str, float, float, float]], bool]:
    """The page's glyphs in its text's frame (a text file printed turned, shown upright by
    /Rotate or not, reads as the file), and whether the text is turned; no glyphs when its
    text runs several ways."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            direction = text_direction(textpage)
            if direction is None:
                return [], False
            return glyphs(textpage, direction=direction), direction != (1, 0)
        finally:
            textpage.close()
    finally:
        page.close()


def sheet_gutter(spans: list[tuple[float, float]], left: float, width: float) -> float | None:
    """The middle of the widest empty gutter in the middle fifth of a sheet that no span
    (x0, x1) of text or line crosses: where two pages printed side by side part; None if none
    is at least 2 % of the width.

    >>> sheet_gutter([(10, 380), (420, 790)], 0, 800)
    400.0
    >>> sheet_gutter([(10, 790)], 0, 800) is None
    True
    """
    reach, gutter = left, None
    for start, end in sorted(spans):
        lo, hi = max(reach, left + 0.4 * width), min(start, left + 0.6 * width)
        if hi - lo >= 0.02 * width and (gutter is None or hi - lo > gutter[1] - gutter[0]):
            gutter = (lo, hi)
        reach = max(reach, end)
    return None if gutter is None else sum(gutter) / 2


def _two_up(pdf, page: list[tuple[str, float, float, float]], index: int
            ) -> list[list[tuple[str, float, float, float]]]:
    """A landscape sheet holding two printed pages side by side (每版打印 2 页): its glyphs
    left of an empty gutter in the middle fifth, then right of it; else the page whole."""
    left, bottom, right, top = pdf[index].get_mediabox()  # the glyphs' frame, not turned by /Rotate
    width, height = right - left, top - bottom
    if width < 1.15 * height or len(page) < 40:
        return [page]
    middle = sheet_gutter([(x, x + size * (1.0 if _wide(ch) else 0.6)) for ch, x, _, size in page],
                          left, width)
    if middle is None:
        return [page]
    halves = [[g for g in page if g[1] < middle], [g for g in page if g[1] >= middle]]
    if min(map(len, halves)) < 20:
        return [page]
    # each printed page from its own left margin: the two are set on grids of their own
    return [[(ch, x - min(g[1] for g in half), y, size) for ch, x, y, size in half] for half in halves]


def _off(value: float) -> float:
    """Distance of ``value`` from the nearest whole number."""
    return abs(value - round(value))


def _phase(positions: list[float]) -> float | None:
    """The common fractional part of ``positions`` (in columns) when nearly all share it."""
    bins = Counter(round((p - math.floor(p)) * 20) % 20 for p in positions)
    best, _ = bins.most_common(1)[0]
    phase = best / 20
    near = sum(1 for p in positions if _off(p - phase) < 0.1)
    return phase if near >= _ON_GRID * len(positions) else None


def _pitch(pages: list[list[tuple[str, float, float, float]]], size: float) -> float | None:
    """The line pitch when every gap between a page's baselines is a whole number of it."""
    gaps = []
    for page in pages:
        ys = sorted({round(y, 1) for _, _, y, _ in page}, reverse=True)
        gaps.extend(a - b for a, b in zip(ys, ys[1:]))
    if len(gaps) < 10:
        return None
    pitch = min(g for g in gaps if g > 0.5 * size)
    if not size <= pitch <= 3 * size:
        return None
    whole = sum(1 for g in gaps if _off(g / pitch) < 0.08)
    return pitch if whole >= 0.95 * len(gaps) else None


def _page_text(page: list[tuple[str, float, float, float]], left: float, column: float,
               pitch: float) -> str:
    lines: dict[float, list[tuple[int, str]]] = {}
    for ch, x, y, _ in page:
        lines.setdefault(round(y, 1), []).append((round((x - left) / column), ch))
    out: list[str] = []
    previous = None
    for y in sorted(lines, reverse=True):
        if previous is not None:
            out.extend([""] * max(round((previous - y) / pitch) - 1, 0))
        previous = y
        text, at = "", 0
        for col, ch in sorted(lines[y]):
            if col > at:
                text += " " * (col - at)
                at = col
            text += ch
            at += 2 if _wide(ch) else 1
        out.append(text)
    return "\n".join(out)


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in "WF"
