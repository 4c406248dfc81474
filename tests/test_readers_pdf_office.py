"""The PDF reader on tables drawn the way Word/WPS "save as PDF" draws them: header cells merged
over rows and columns, figures right-aligned, labels wrapped inside their cell, and ruling lines
that are only partly there (no inner vertical borders in the body, no inner horizontal borders,
random missing segments), tables running onto the next page without their header, prose and
tables interleaved on a page. Every figure must land in its own column.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from parsers.document import Table
from parsers.readers.pdf import read_pdf
from tests.reader_inputs.pdfs import FONT, HEIGHT, draw_lines, new_canvas

LEAVES = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
# Body rows with blank cells left empty (no 0, no dash): only x positions tell the columns.
BODY = [
    ["一、本年新收政府信息公开申请数量", "75", "32", "", "2", "", "", "109"],
    ["二、上年结转政府信息公开申请数量", "", "3", "", "", "", "", "3"],
    ["（一）予以公开", "25", "", "12", "", "", "", "37"],
    ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "12", "", "", "17", "", "29"],
    ["（三）不予公开", "", "", "", "", "", "", ""],
    ["1.属于国家秘密", "1", "", "", "", "", "", "1"],
    ["2.其他法律行政法规禁止公开", "", "", "", "", "", "4", "4"],
    ["（七）总计", "1,234", "47", "12", "2", "17", "4", "1,316"],
]
WIDTHS = [150] + [50] * 7
Border = Callable[[str, int, int], bool]  # (kind "h"/"v", row, column boundary) → drawn?


def draw_word_table(c: rl_canvas.Canvas, top: float, rows: list[list[str | None]],
                    spans: dict[tuple[int, int], tuple[int, int]], widths: list[float], *,
                    header_rows: int, border: Border = lambda kind, r, k: True,
                    x0: float = 50, size: float = 8, pad: float = 3,
                    figures: str = "right") -> float:
    """Draw a table as Word does: every cell's text wrapped to its width (labels left, headers
    centred, figures right-aligned), header cells centred vertically in their (merged) cell,
    body text at the top; ``spans[(r, c)] = (rowspan, colspan)``; ``border`` decides which
    segments of the ruling are drawn; ``figures`` aligns the body's figures ("right",
    "centre" or "left"). Returns the y below the table."""
    line_h = size + 2
    heights = []
    for r, row in enumerate(rows):
        tallest = 1
        for k, text in enumerate(row):
            if text and spans.get((r, k), (1, 1))[0] == 1:
                width = sum(widths[k:k + spans.get((r, k), (1, 1))[1]]) - 2 * pad
                tallest = max(tallest, len(_wrap(text, width, size)))
        heights.append(tallest * line_h + 2 * pad)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    covered: dict[tuple[int, int], tuple[int, int]] = {}  # cell → its origin
    for (r, k), (rs, cs) in spans.items():
        for i in range(r, r + rs):
            for j in range(k, k + cs):
                covered[(i, j)] = (r, k)
    c.setFont(FONT, size)
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            if not text or covered.get((r, k), (r, k)) != (r, k):
                continue
            rs, cs = spans.get((r, k), (1, 1))
            left, right = xs[k], xs[k + cs]
            lines = _wrap(text, right - left - 2 * pad, size)
            if r < header_rows:  # centred both ways
                y = (ys[r] + ys[r + rs]) / 2 + (len(lines) * line_h) / 2 - line_h + 2
            else:
                y = ys[r] - pad - size
            for n, line in enumerate(lines):
                if r < header_rows:
                    c.drawCentredString((left + right) / 2, y - n * line_h, line)
                elif k > 0 and figures == "right":
                    c.drawRightString(right - pad, y - n * line_h, line)
                elif k > 0 and figures == "centre":
                    c.drawCentredString((left + right) / 2, y - n * line_h, line)
                else:
                    c.drawString(left + pad, y - n * line_h, line)
    c.setLineWidth(0.5)
    for r in range(len(rows) + 1):  # horizontal segments, one per column
        for k in range(len(widths)):
            inside = r < len(rows) and covered.get((r, k)) not in (None, (r, k)) and \
                covered.get((r - 1, k)) == covered.get((r, k))
            if not inside and border("h", r, k):
                c.line(xs[k], ys[r], xs[k + 1], ys[r])
    for k in range(len(widths) + 1):  # vertical segments, one per row
        for r in range(len(rows)):
            inside = k < len(widths) and covered.get((r, k)) not in (None, (r, k)) and \
                covered.get((r, k - 1)) == covered.get((r, k))
            if not inside and border("v", r, k):
                c.line(xs[k], ys[r], xs[k], ys[r + 1])
    return ys[-1]


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, FONT, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines


def requests_table(body: list[list[str]] = BODY) -> tuple[list[list[str | None]], dict]:
    """Table 三's head as Word prints it: 信息内容 merged over two rows, 申请人情况 over seven
    columns, then the leaf titles; then ``body``."""
    head: list[list[str | None]] = [["信息内容", "申请人情况"] + [None] * 6, [None] + LEAVES]
    return head + [list(row) for row in body], {(0, 0): (2, 1), (0, 1): (1, 7)}


def requests_table_three_rows(body: list[list[str]] = BODY) -> tuple[list[list[str | None]], dict]:
    """Table 三's head as the 2021 template draws it: 信息内容 over three rows, 申请人情况 over
    seven columns, 自然人 and 总计 over two rows, 法人或其他组织 over five columns."""
    head: list[list[str | None]] = [
        ["信息内容", "申请人情况"] + [None] * 6,
        [None, "自然人", "法人或其他组织", None, None, None, None, "总计"],
        [None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", None],
    ]
    spans = {(0, 0): (3, 1), (0, 1): (1, 7), (1, 1): (2, 1), (1, 2): (1, 5), (1, 7): (2, 1)}
    return head + [list(row) for row in body], spans


HEADS = {"two-row-head": requests_table, "three-row-head": requests_table_three_rows}


def one_page(draw: Callable[[rl_canvas.Canvas], None]) -> bytes:
    buf = io.BytesIO()
    c = new_canvas(buf)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def assert_body_rows(table: Table, body: list[list[str]]) -> None:
    """Every body row comes out as one row, cell for cell, in order."""
    found = [row for row in table.rows if row and row[0] in {b[0] for b in body}]
    assert found == body


def test_fully_ruled_word_table_with_merged_header_cells():
    rows, spans = requests_table()
    doc = read_pdf(one_page(lambda c: draw_word_table(c, HEIGHT - 80, rows, spans, WIDTHS,
                                                      header_rows=2)))
    [table] = tables(doc)
    assert table.rows[0] == ["信息内容", "申请人情况"]  # merged cells appear once
    assert table.rows[1] == LEAVES
    assert table.rows[2:] == BODY


def _no_inner_verticals_in_body(kind: str, r: int, k: int) -> bool:
    """Word's "no inside vertical borders" on the body rows; the head keeps its grid."""
    return not (kind == "v" and r >= 2 and 0 < k < len(WIDTHS))


def _no_inner_horizontals(kind: str, r: int, k: int) -> bool:
    """Rows of the body not separated: only the frame, the head and the column lines."""
    return not (kind == "h" and 2 < r < len(BODY) + 2)


def _no_inner_verticals(kind: str, r: int, k: int) -> bool:
    """Only the frame and the row lines: no column line anywhere, not even in the head."""
    return kind == "h" or k in (0, len(WIDTHS))


def _three_lines(kind: str, r: int, k: int) -> bool:
    """A 三线表: a line above the table, one under its head, one at its foot; nothing else."""
    return kind == "h" and r in (0, 2, 3, len(BODY) + 2, len(BODY) + 3)


def _one_column_line_missing(kind: str, r: int, k: int) -> bool:
    """The line between 其他 and 总计 missing from top to bottom."""
    return not (kind == "v" and k == 7)


def _random_gaps(seed: int) -> Border:
    """A converter dropping a fifth of the inner hairlines at random."""
    dropped = random.Random(seed)
    decided: dict[tuple[str, int, int], bool] = {}

    def border(kind: str, r: int, k: int) -> bool:
        frame = (kind == "h" and r == 0) or (kind == "v" and k in (0, len(WIDTHS)))
        return decided.setdefault((kind, r, k), frame or dropped.random() > 0.2)

    return border


BORDERS = {"no-inner-verticals-in-body": _no_inner_verticals_in_body,
           "no-inner-horizontals": _no_inner_horizontals,
           "no-inner-verticals": _no_inner_verticals,
           "three-lines": _three_lines,
           "one-column-line-missing": _one_column_line_missing,
           "no-lines": lambda kind, r, k: False,
           **{f"random-gaps-{seed}": _random_gaps(seed) for seed in range(6)}}


@pytest.mark.parametrize("head", HEADS)
@pytest.mark.parametrize("border", BORDERS)
def test_partly_ruled_tables_keep_every_figure_in_its_column(head, border):
    rows, spans = HEADS[head]()
    doc = read_pdf(one_page(lambda c: draw_word_table(c, HEIGHT - 80, rows, spans, WIDTHS,
                                                      header_rows=len(rows) - len(BODY),
                                                      border=BORDERS[border])))
    [table] = tables(doc)
    assert_body_rows(table, BODY)
    assert not [b for b in doc.blocks if isinstance(b, str)]  # nothing of the table as prose


def test_fully_ruled_three_row_head_is_read_as_printed():
    rows, spans = requests_table_three_rows()
    doc = read_pdf(one_page(lambda c: draw_word_table(c, HEIGHT - 80, rows, spans, WIDTHS,
                                                      header_rows=3)))
    [table] = tables(doc)
    assert table.rows[:3] == [["信息内容", "申请人情况"], ["自然人", "法人或其他组织", "总计"],
                              ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    assert table.rows[3:] == BODY


@pytest.mark.parametrize("ruled", [True, False])
def test_table_continuing_on_the_next_page_without_its_header(ruled):
    """Page 2 carries body rows only, some columns blank in all of them: the columns come from
    page 1's table."""
    rows, spans = requests_table(BODY[:3])
    rest = [["3.危及“三安全一稳定”", "", "", "", "", "", "", ""],
            ["4.保护第三方合法权益", "", "5", "", "", "", "", "5"],
            ["（七）总计", "", "", "", "", "7", "", "7"]]
    border = (lambda kind, r, k: True) if ruled else (lambda kind, r, k: False)
    buf = io.BytesIO()
    c = new_canvas(buf)
    draw_lines(c, HEIGHT - 60, ["三、收到和处理政府信息公开申请情况"])
    draw_word_table(c, HEIGHT - 90, rows, spans, WIDTHS, header_rows=2, border=border)
    c.showPage()
    y = draw_word_table(c, HEIGHT - 60, [list(r) for r in rest], {}, WIDTHS, header_rows=0,
                        border=border)
    draw_lines(c, y - 30, ["四、政府信息公开行政复议、行政诉讼情况"])
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue())
    first, second = tables(doc)
    assert (first.page, second.page) == (1, 2)
    assert_body_rows(first, BODY[:3])
    assert second.rows == rest
    assert doc.blocks[-1] == "四、政府信息公开行政复议、行政诉讼情况"


@pytest.mark.parametrize("ruled", [True, False])
def test_prose_and_tables_interleaved_on_one_page(ruled):
    border = (lambda kind, r, k: True) if ruled else (lambda kind, r, k: False)
    active = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
              ["规章", "", "", "13"], ["行政规范性文件", "4", "", "32"]]
    permits = [["信息内容", "本年处理决定数量"], ["行政许可", "57"]]

    def draw(c: rl_canvas.Canvas) -> None:
        y = draw_lines(c, HEIGHT - 60, ["二、主动公开政府信息情况", "第二十条第（一）项"])
        y = draw_word_table(c, y - 10, [list(r) for r in active], {}, [150, 110, 110, 110],
                            header_rows=1, border=border)
        y = draw_lines(c, y - 20, ["第二十条第（五）项"])
        y = draw_word_table(c, y - 10, [list(r) for r in permits], {}, [150, 330],
                            header_rows=1, border=border)
        draw_lines(c, y - 20, ["三、收到和处理政府信息公开申请情况"])

    doc = read_pdf(one_page(draw))
    first, second = tables(doc)
    assert first.rows[-2:] == active[1:]
    assert second.rows[-1] == permits[1]
    texts = [b for b in doc.blocks if isinstance(b, str)]
    assert texts == ["二、主动公开政府信息情况", "第二十条第（一）项", "第二十条第（五）项",
                     "三、收到和处理政府信息公开申请情况"]
    order = [b if isinstance(b, str) else "table" for b in doc.blocks]
    assert order == ["二、主动公开政府信息情况", "第二十条第（一）项", "table",
                     "第二十条第（五）项", "table", "三、收到和处理政府信息公开申请情况"]


@pytest.mark.parametrize("seed", range(100))
def test_random_tables_keep_every_figure_in_its_column(seed):
    """Seeded random tables: 3–8 columns, a head of one or two rows (a title over several
    columns), figures right-aligned, centred or left-aligned, blanks anywhere (a whole column
    blank at times), and any ruling style above; every body row must come out exact."""
    rng = random.Random(seed)
    ncols = rng.randint(3, 8)
    label_width = rng.choice([120, 150, 180])
    width = min(rng.choice([45, 55, 70]), (495 - label_width) // (ncols - 1))  # fits the page
    widths = [label_width] + [width] * (ncols - 1)
    leaves = rng.sample(["自然人", "商业企业", "科研机构", "其他", "总计", "本年制发件数",
                         "结果维持", "结果纠正", "尚未审结", "处理决定数量"], ncols - 1)
    blank_columns = {k for k in range(1, ncols) if rng.random() < 0.2}
    labels = rng.sample(["行政许可", "行政处罚", "行政强制", "规章", "行政规范性文件",
                         "（一）予以公开", "（二）部分公开", "1.属于国家秘密", "2.重复申请",
                         "（七）总计", "四、结转下年度继续办理", "一、本年新收政府信息公开申请数量"],
                        rng.randint(2, 7))
    body = [[label] + ["" if k in blank_columns or rng.random() < 0.3 else
                       str(rng.choice([rng.randint(0, 9), rng.randint(10, 999), rng.randint(1000, 9999)]))
                       for k in range(1, ncols)] for label in labels]
    if not any(c for row in body for c in row[1:]):  # a table without figures is not one
        body[0][ncols - 1] = "7"
    two_rows = ncols > 3 and rng.random() < 0.5
    if two_rows:
        head: list[list[str | None]] = [["信息内容", "申请人情况"] + [None] * (ncols - 2),
                                        [None] + leaves]
        spans = {(0, 0): (2, 1), (0, 1): (1, ncols - 1)}
    else:
        head, spans = [["信息内容"] + leaves], {}
    rows = head + [list(r) for r in body]
    n_head = len(head)
    style = rng.choice(["full", "no-inner-verticals-in-body", "no-inner-horizontals", "frame",
                        "three-lines", "none", "random"])
    drop = random.Random(seed + 1000)
    decided: dict[tuple[str, int, int], bool] = {}

    def border(kind: str, r: int, k: int) -> bool:
        inner_v = kind == "v" and 0 < k < ncols
        inner_h = kind == "h" and 0 < r < len(rows)
        if style == "no-inner-verticals-in-body":
            return not (inner_v and r >= n_head)
        if style == "no-inner-horizontals":
            return not (inner_h and r > n_head)
        if style == "frame":
            return kind == "h" or not inner_v
        if style == "three-lines":
            return kind == "h" and r in (0, n_head, len(rows))
        if style == "none":
            return False
        if style == "random":
            return decided.setdefault((kind, r, k), not (inner_v or inner_h) or drop.random() > 0.2)
        return True

    figures = rng.choice(["right", "right", "centre", "left"])
    doc = read_pdf(one_page(lambda c: draw_word_table(c, HEIGHT - 80, rows, spans, widths,
                                                      header_rows=n_head, border=border,
                                                      figures=figures)))
    found = [row for t in tables(doc) for row in t.rows if row and row[0] in set(labels)]
    assert found == body, (style, figures, two_rows)
