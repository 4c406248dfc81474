"""Plain-text renderings: the three layouts that PDF/Word text extraction produces (seeds 000–004).

- ``tabs``: one line per table row, cells separated by tabs; cells merged from above come out
  empty (seeds 000–002).
- ``pipe``: a stream where every cell is a line ending in `` |``, and each row ends with one line
  of ``|`` for the grid positions that row does not start (seed 004).
- ``lines``: one cell per line, tab-indented, rows separated by a blank line (seed 003).
- ``layout``: ``pdftotext -layout`` output of a Word table: cells set at their columns' character
  positions (a CJK character two wide), labels wrapped in their column, figures right-aligned or
  centred, blank cells only spaces — so only positions tell where a figure belongs.

    >>> from tests.fixturegen.figures import make_figures
    >>> text = render_text(make_figures(2, "2021"), "pipe").decode("utf-8")
    >>> "申请人情况 |" in text
    True
"""

from __future__ import annotations

import random
import unicodedata

from tests.fixturegen.figures import Figures
from tests.fixturegen.layout import Block, Grid, document_blocks
from tests.fixturegen.noise import space_label

STYLES = ("tabs", "pipe", "lines", "layout", "layout_centred", "expanded")


def render_text(fig: Figures, style: str = "tabs", encoding: str = "utf-8") -> bytes:
    """The report as a .txt file in one of :data:`STYLES`."""
    if style not in STYLES:
        raise ValueError(f"unknown text style {style!r}; choose from {STYLES}")
    if style == "expanded":
        # The tabs or lines export with its tabs expanded to spaces by a tool counting
        # characters (``expand``): a CJK label pushes the next cell out of line on screen.
        pick = fig.rng("text:expanded")
        base, stop = pick.choice(["tabs", "tabs", "lines"]), pick.choice([8, 8, 4])
        text = render_text(fig, base, "utf-8").decode("utf-8")
        text = "\n".join(line.expandtabs(stop) for line in text.split("\n"))
        return (text if encoding == "utf-8" else text.replace("\u2212", "\uff0d")).encode(encoding)
    rng = fig.rng(f"text:{style}")
    lines: list[str] = []
    gap = rng.choice(["", None])  # blank line between paragraphs, or not
    pad = rng.random() < 0.5      # tabs: pad horizontal spans with empty cells (Word text export)
    # A flipbook/PDF text layer sometimes prints table 四's header one character per line,
    # column by column (某区审计局 2020); only positions then tell the columns apart.
    stacked = style == "tabs" and fig.rng("stacked_header").random() < 0.25
    for block in document_blocks(fig):
        if block.kind == "table" and block.grid is not None:
            if stacked and block.grid.section == "review_litigation":
                lines.extend(_stacked_review_lines(block.grid))
                continue
            if style in ("layout", "layout_centred"):
                lines.extend(_layout_lines(block.grid, rng, style == "layout_centred"))
            else:
                lines.extend(_table_lines(block.grid, style, rng, pad))
        else:
            lines.append(_text_of(block))
        if gap is not None:
            lines.append(gap)
    text = "\n".join(lines) + "\n"
    if encoding != "utf-8":
        text = text.replace("\u2212", "\uff0d")  # U+2212 minus is not in GBK: the typist's －
    return text.encode(encoding)


def _stacked_review_lines(grid: Grid) -> list[str]:
    """Table 四 with the 15 column headers stacked vertically: line i holds character i of
    each header, tab-separated; then the data row as usual."""
    headers = [c.text for c in grid.rows[1][:5]] + [c.text for c in grid.rows[2]]
    depth = max(len(h) for h in headers)
    lines = ["行政复议\t行政诉讼", "\t\t\t\t\t未经复议直接起诉\t复议后起诉"]
    lines += ["\t".join(h[i] if i < len(h) else "" for h in headers).rstrip("\t")
              for i in range(depth)]
    lines.append("\t".join(c.text for c in grid.rows[3] if not c.lost))
    return lines


def _text_of(block: Block) -> str:
    return block.text


def _table_lines(grid: Grid, style: str, rng: random.Random, pad: bool) -> list[str]:
    noisy = rng.random() < 0.5

    def text(cell, origin: bool) -> str:
        if not origin:
            return ""
        t = cell.text
        if cell.role in ("label", "header") and noisy and rng.random() < 0.25:
            t = space_label(t, rng, breaks=rng.choice([1, 2]))
        if style == "pipe" and cell.role == "value" and t == "":
            t = "-"  # a bare "|" would be indistinguishable from span padding
        return t

    out: list[str] = []
    for placed in grid.placed():
        row = [(col, cell, origin) for col, cell, origin in placed if not cell.lost]
        if style == "tabs":
            fields: list[str] = []
            for _, cell, origin in row:
                fields.append(text(cell, origin))
                if pad:
                    fields.extend([""] * (cell.colspan - 1))
            out.append("\t".join(fields))
        elif style == "pipe":
            origins = [(c, o) for _, c, o in row if o]
            out.extend(f"{text(c, True)} |" for c, _ in origins)
            extra = grid.width - sum(1 for _, _, o in placed if o)  # a lost cell leaves no trace
            if extra > 0:
                out.append("|" * extra)
        else:  # lines
            out.extend("\t" + text(c, o) for _, c, o in row)
            out.append("")
    return out


def _width(text: str) -> int:
    """Display width: a CJK (wide or full-width) character takes two positions."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if line and _width(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines or [""]


def _layout_lines(grid: Grid, rng: random.Random, middle: bool = False) -> list[str]:
    """The table as ``pdftotext -layout`` prints a Word table: every cell's lines at its column's
    position, figures right-aligned or centred, blank cells left as spaces; ``middle``: cells
    centred vertically in their row (WPS, Excel and many Word templates), else at its top."""
    label_cap = rng.choice([12, 16, 20, 28])
    head_cap = rng.choice([4, 8])
    gap = rng.choice([2, 3, 4])
    align = rng.choice(["right", "centre"])
    widths = [1] * grid.width
    for placed in grid.placed():
        for col, cell, origin in placed:
            if not origin or cell.colspan != 1 or cell.lost:
                continue
            w = _width(cell.text)
            cap = label_cap if cell.role == "label" else head_cap if cell.role == "header" else 12
            widths[col] = max(widths[col], min(w, cap))
    starts = [0]
    for w in widths[:-1]:
        starts.append(starts[-1] + w + gap)
    out: list[str] = []
    for placed in grid.placed():
        boxes: list[tuple[int, int, list[str], str]] = []
        for col, cell, origin in placed:
            if not origin or cell.lost or not cell.text:
                continue
            span = sum(widths[col:col + cell.colspan]) + gap * (cell.colspan - 1)
            kind = "left" if cell.role in ("label", "heading") else \
                align if cell.role in ("value", "extra") else "centre"
            # Figures never wrap here (a PDF's narrow cell may wrap them: not this family).
            lines = [cell.text] if cell.role in ("value", "extra") else _wrap(cell.text, span)
            boxes.append((starts[col], span, lines, kind))
        height = max((len(lines) for _, _, lines, _ in boxes), default=1)
        for n in range(height):
            line = ""
            for start, span, lines, kind in boxes:
                k = n - ((height - len(lines)) // 2 if middle else 0)
                if not 0 <= k < len(lines):
                    continue
                text = lines[k]
                pos = start + (span - _width(text) if kind == "right" else
                               (span - _width(text)) // 2 if kind == "centre" else 0)
                line += " " * max(pos - _width(line), 2 if line else 0) + text
            out.append(line.rstrip())
    return out
