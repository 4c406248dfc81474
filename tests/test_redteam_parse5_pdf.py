"""The PDF reader on tables as a browser prints them (docs/redteam-parse2.md "Round 3b:
browser-printed PDFs"): every cell's content centred vertically, borders drawn as thin filled
boxes cell by cell, labels merged down over several rows (``rowspan``) with no row line in
their column, numbers wrapped over lines of their cell, and a table cut by the page break
(no line under its last row). The committed Chromium PDFs of tests/eval/pdf_chromium_* are
scored by the eval gate; these are drawn here from known cells.
"""

from __future__ import annotations

import io

from parsers.document import Table
from parsers.readers.pdf import read_pdf
from tests.reader_inputs.pdfs import FONT, HEIGHT, new_canvas

SIZE, LINE, PAD, RULE = 8.0, 12.0, 4.0, 0.75  # type size, line pitch, padding, border width
WIDTHS = [70, 60, 110, 40, 40, 40]

# (row, column) → (rowspan, lines of the cell). Figures wrap as a narrow browser cell wraps
# them: 1,308 over three lines, its separator alone on the middle one.
CELLS: dict[tuple[int, int], tuple[int, list[str]]] = {
    (0, 0): (1, ["二、上年结转"]), (0, 3): (1, ["7"]), (0, 5): (1, ["7"]),
    (1, 0): (5, ["三、本年度", "办理结果"]),
    (1, 1): (1, ["（三）不予", "公开"]),
    (1, 2): (1, ["1.属于国家秘密"]),
    (1, 3): (1, ["3"]), (1, 5): (1, ["3"]),
    (2, 1): (3, ["（四）无法", "提供"]),
    (2, 2): (1, ["1.本机关不掌握相关", "政府信息"]),
    (2, 3): (1, ["1"]), (2, 4): (1, ["2"]), (2, 5): (1, ["3"]),
    (3, 2): (1, ["2.没有现成信息需要", "另行制", "作"]),
    (3, 4): (1, ["4"]), (3, 5): (1, ["4"]),
    (4, 2): (1, ["3.补正后申请内容仍", "不明确"]),
    (4, 3): (1, ["1", "，", "308"]), (4, 5): (1, ["1", "，", "308"]),
    (5, 1): (1, ["（五）其他", "处理"]),
    (5, 3): (1, ["5"]), (5, 5): (1, ["5"]),
}
ROWS = 6

EXPECTED = [
    ["二、上年结转", "", "", "7", "", "7"],
    ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "3", "", "3"],
    ["", "（四）无法提供", "1.本机关不掌握相关政府信息", "1", "2", "3"],
    ["", "", "2.没有现成信息需要另行制作", "", "4", "4"],
    ["", "", "3.补正后申请内容仍不明确", "1，308", "", "1，308"],
    ["", "（五）其他处理", "", "5", "", "5"],
]


def browser_table(top: float = HEIGHT - 80, x0: float = 40) -> bytes:
    """One page holding the table as a browser prints it, cut by the page break below its
    last row (its foot and the merged column's bottom line are on the next page)."""
    heights = []
    for r in range(ROWS):
        tallest = max(len(lines) for (i, _), (span, lines) in CELLS.items() if i == r and span == 1)
        heights.append(tallest * LINE + 2 * PAD)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    xs = [x0]
    for w in WIDTHS:
        xs.append(xs[-1] + w)
    covered = {(r + i, k): (r, k) for (r, k), (span, _) in CELLS.items() for i in range(span)}
    buf = io.BytesIO()
    c = new_canvas(buf)
    c.setFont(FONT, SIZE)
    for (r, k), (span, lines) in CELLS.items():
        middle = (ys[r] + ys[r + span]) / 2  # centred vertically, as browsers set td
        first = middle + (len(lines) * LINE) / 2 - LINE + (LINE - SIZE) / 2 + 1
        for n, text in enumerate(lines):
            y = first - n * LINE
            if k >= 3:
                c.drawRightString(xs[k + 1] - PAD, y, text)
            else:
                c.drawString(xs[k] + PAD, y, text)
    for r in range(ROWS):  # each cell's borders as filled boxes, as Skia draws them
        for k in range(len(WIDTHS)):
            origin = covered.get((r, k), (r, k))
            if origin != (r, k):
                continue
            span = CELLS.get((r, k), (1, []))[0]
            left, right, high, low = xs[k], xs[k + 1], ys[r], ys[r + span]
            c.rect(left, high - RULE / 2, right - left, RULE, stroke=0, fill=1)
            c.rect(left - RULE / 2, low, RULE, high - low, stroke=0, fill=1)
            c.rect(right - RULE / 2, low, RULE, high - low, stroke=0, fill=1)
            if r + span < ROWS:  # the last row's foot is on the next page
                c.rect(left, low - RULE / 2, right - left, RULE, stroke=0, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def _rows() -> list[list[str]]:
    doc = read_pdf(browser_table())
    [table] = [b for b in doc.blocks if isinstance(b, Table)]
    return table.rows


def test_cells_merged_down_come_out_once_in_their_top_row():
    rows = _rows()
    assert [row[:2] for row in rows] == [row[:2] for row in EXPECTED]


def test_labels_wrapped_round_centred_figures_stay_one_row():
    rows = _rows()
    assert [row[2:] for row in rows[1:4]] == [row[2:] for row in EXPECTED[1:4]]


def test_numbers_wrapped_over_three_lines_are_one_figure():
    assert _rows()[4] == EXPECTED[4]


def test_the_whole_table():
    assert _rows() == EXPECTED
