"""Red-team round 5: PDF ruled tables read on the ruling grid (lines missing somewhere, so
lattice's cells are not trusted) whose head cells span several columns — ``申请人情况`` over
the seven applicant columns, ``法人或其他组织`` over five, a label over the three label
columns — printed glyph by glyph as a browser prints them. Each cell merged across columns
comes out whole in the first column it spans (the others ``""``), not cut at the column lines
drawn under it (``申`` | ``请人情`` | ``况``; a two-line label read column by column,
``（二）部分不计其他情`` | ``公开（区分处理的，只计这一情形，形）``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse7_pdf.py
"""

from __future__ import annotations

import io

from parsers.document import Table
from parsers.readers.pdf import read_pdf
from tests.reader_inputs.pdfs import FONT, HEIGHT, new_canvas

SIZE, LINE, PAD, RULE = 8.0, 12.0, 4.0, 0.75
WIDTHS = [40, 50, 90, 30, 30, 30, 30, 30, 30, 30]

# (row, column) → (rowspan, colspan, lines of the cell)
CELLS: dict[tuple[int, int], tuple[int, int, list[str]]] = {
    (0, 0): (3, 3, ["（本列数据的勾稽关系为：第一项加", "第二项之和，等于第三项加第四项之和）"]),
    (0, 3): (1, 7, ["申请人情况"]),
    (1, 3): (2, 1, ["自然人"]), (1, 4): (1, 5, ["法人或其他组织"]), (1, 9): (2, 1, ["总计"]),
    (2, 4): (1, 1, ["商业", "企业"]), (2, 5): (1, 1, ["科研", "机构"]),
    (2, 6): (1, 1, ["社会", "公益", "组织"]), (2, 7): (1, 1, ["法律", "服务", "机构"]),
    (2, 8): (1, 1, ["其他"]),
    (3, 0): (1, 3, ["一、本年新收政府信息公开申请数量"]),
    (3, 3): (1, 1, ["12"]), (3, 4): (1, 1, ["3"]), (3, 9): (1, 1, ["15"]),
    (4, 0): (1, 3, ["二、上年结转政府信息公开申请数量"]),
    (4, 3): (1, 1, ["1"]), (4, 9): (1, 1, ["1"]),
    (5, 0): (3, 1, ["三、本", "年度办", "理结果"]),
    (5, 1): (1, 2, ["（一）予以公开"]), (5, 3): (1, 1, ["6"]), (5, 9): (1, 1, ["6"]),
    (6, 1): (1, 2, ["（二）部分公开（区分处理的，只计这", "一情形，不计其他情形）"]),
    (6, 4): (1, 1, ["2"]), (6, 9): (1, 1, ["2"]),
    (7, 1): (1, 1, ["（三）不", "予公开"]), (7, 2): (1, 1, ["1.属于国家秘密"]),
    (7, 3): (1, 1, ["1"]), (7, 9): (1, 1, ["1"]),
}
ROWS = 8

EXPECTED = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "",
     "申请人情况", "", "", "", "", "", ""],
    ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ["一、本年新收政府信息公开申请数量", "", "", "12", "3", "", "", "", "", "15"],
    ["二、上年结转政府信息公开申请数量", "", "", "1", "", "", "", "", "", "1"],
    ["三、本年度办理结果", "（一）予以公开", "", "6", "", "", "", "", "", "6"],
    ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "", "2", "", "", "", "", "2"],
    ["", "（三）不予公开", "1.属于国家秘密", "1", "", "", "", "", "", "1"],
]


def _glyphs(c, x: float, y: float, text: str) -> None:
    """Set ``text`` glyph by glyph, each at its own position (as Chromium's PDFs do)."""
    for ch in text:
        c.drawString(x, y, ch)
        x += c.stringWidth(ch, FONT, SIZE)


def browser_table(broken_foot: bool = True) -> bytes:
    """One page with the table, each cell's borders drawn as thin boxes, the last row cut by
    the page break (no line under it: lattice's reading is not trusted, the grid's is)."""
    heights = []
    for r in range(ROWS):
        tallest = max((len(lines) for (i, _), (rs, _, lines) in CELLS.items() if i == r and rs == 1),
                      default=1)
        heights.append(tallest * LINE + 2 * PAD)
    ys = [HEIGHT - 80]
    for h in heights:
        ys.append(ys[-1] - h)
    xs = [30.0]
    for w in WIDTHS:
        xs.append(xs[-1] + w)
    covered = {(r + i, k + j) for (r, k), (rs, cs, _) in CELLS.items()
               for i in range(rs) for j in range(cs)}
    spans = dict(CELLS)
    for r in range(ROWS):
        for k in range(len(WIDTHS)):
            if (r, k) not in covered:
                spans[(r, k)] = (1, 1, [])
    buf = io.BytesIO()
    c = new_canvas(buf)
    c.setFont(FONT, SIZE)
    for (r, k), (rs, cs, lines) in spans.items():
        left, right, high, low = xs[k], xs[k + cs], ys[r], ys[r + rs]
        middle = (high + low) / 2
        first = middle + (len(lines) * LINE) / 2 - LINE + (LINE - SIZE) / 2 + 1
        for n, text in enumerate(lines):
            width = c.stringWidth(text, FONT, SIZE)
            _glyphs(c, (left + right - width) / 2, first - n * LINE, text)  # centred
        c.rect(left, high - RULE / 2, right - left, RULE, stroke=0, fill=1)
        c.rect(left - RULE / 2, low, RULE, high - low, stroke=0, fill=1)
        c.rect(right - RULE / 2, low, RULE, high - low, stroke=0, fill=1)
        if r + rs < ROWS or not broken_foot:
            c.rect(left, low - RULE / 2, right - left, RULE, stroke=0, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def _rows() -> list[list[str]]:
    """The table's rows, spaces dropped (a full-width comma's narrow ink leaves a gap that
    reads as one; the interpreter drops them too)."""
    [table] = [b for b in read_pdf(browser_table()).blocks if isinstance(b, Table)]
    return [[cell.replace(" ", "") for cell in row] for row in table.rows]


def test_head_cells_spanning_columns_come_out_whole() -> None:
    rows = _rows()
    assert [row[3:] for row in rows[:3]] == [row[3:] for row in EXPECTED[:3]]


def test_labels_spanning_label_columns_are_not_read_column_by_column() -> None:
    rows = _rows()
    assert rows[0][:3] == EXPECTED[0][:3]
    assert [row[:3] for row in rows[3:]] == [row[:3] for row in EXPECTED[3:]]


def test_the_whole_table() -> None:
    assert _rows() == EXPECTED


def test_a_merged_head_over_a_figure_row_with_the_line_between_missing() -> None:
    """The head row's line is missing under a head merged over two columns, whose column line
    is drawn only beside the figures: the head joins its columns, the figures stay apart."""
    buf = io.BytesIO()
    c = new_canvas(buf)
    c.setFont(FONT, SIZE)
    xs, top = [40.0, 140.0, 180.0, 220.0], HEIGHT - 80
    ys = [top, top - 20, top - 40, top - 60, top - 80]  # head, figures ×3 (no line at ys[1])
    for y in (ys[0], ys[2], ys[3], ys[4]):
        c.rect(xs[0], y - RULE / 2, xs[-1] - xs[0], RULE, stroke=0, fill=1)
    for x in (xs[0], xs[1], xs[3]):
        c.rect(x - RULE / 2, ys[4], RULE, ys[0] - ys[4], stroke=0, fill=1)
    c.rect(xs[2] - RULE / 2, ys[4], RULE, ys[1] - ys[4], stroke=0, fill=1)  # not beside the head
    _glyphs(c, xs[1] + 12, ys[0] - 14, "本年处理数量")
    rows = [("行政许可", "12", "5"), ("行政处罚", "3", "4"), ("行政强制", "7", "1")]
    for n, (label, a, b) in enumerate(rows):
        y = (ys[n + 1] if n else ys[1] + 2) - 14
        c.drawString(xs[0] + 4, y, label)
        c.drawRightString(xs[2] - 4, y, a)
        c.drawRightString(xs[3] - 4, y, b)
    c.showPage()
    c.save()
    [table] = [b for b in read_pdf(buf.getvalue()).blocks if isinstance(b, Table)]
    assert [[cell.replace(" ", "") for cell in row] for row in table.rows] == [
        ["", "本年处理数量", ""], ["行政许可", "12", "5"], ["行政处罚", "3", "4"], ["行政强制", "7", "1"]]
