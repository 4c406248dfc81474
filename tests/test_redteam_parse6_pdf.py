"""Red-team round 4: Word tables printed to PDF with a row over the page break
(``explore pdf/pagebreak`` 28/30 before round 4; the two seeds are the eval documents
tests/eval/pdf_pagebreak_*, which the eval gate scores).

- the last row of a ruled table pushed alone onto the next page (``政府集中采购`` | ``21`` |
  blank): a one-row table atop the page, read as a table row, not as prose (``政府集中采购 21``
  then fitted right: 21 as the amount);
- a row cut by the break whose tails sit atop the next page in a grid with one more label
  column (a row below spans three): the tails still join the figures above them.

    .venv/bin/python -m pytest -q tests/test_redteam_parse6_pdf.py
"""

from __future__ import annotations

import io

from parsers.document import Table
from parsers.readers.pdf import _join_split_row, read_pdf
from tests.reader_inputs.pdfs import HEIGHT, draw_lines, draw_ruled, new_canvas

WIDTHS = [120, 70, 70]


def _lone_row_pdf(furniture: bool) -> bytes:
    buf = io.BytesIO()
    c = new_canvas(buf)
    draw_lines(c, HEIGHT - 60, ["二、主动公开政府信息情况"])
    draw_ruled(c, HEIGHT - 100, [["信息内容", "采购项目数量", "采购总金额"],
                                 ["政府集中采购之前", "3", "12.5"]], WIDTHS)
    c.showPage()
    if furniture:
        draw_lines(c, HEIGHT - 20, ["2"], size=9)  # a page number in the top margin
    draw_ruled(c, HEIGHT - 80, [["政府集中采购", "21", ""]], WIDTHS)
    draw_lines(c, HEIGHT - 140, ["三、收到和处理政府信息公开申请情况"])
    c.showPage()
    c.save()
    return buf.getvalue()


def _tables(data: bytes) -> list[list[list[str]]]:
    return [b.rows for b in read_pdf(data).blocks if isinstance(b, Table)]


def test_last_row_pushed_alone_onto_the_next_page_is_a_table_row() -> None:
    for furniture in (False, True):
        assert ["政府集中采购", "21", ""] in _tables(_lone_row_pdf(furniture))[-1]


def test_a_boxed_line_opening_a_page_after_prose_is_no_row() -> None:
    """Only a page whose previous page ended in a table continues it."""
    buf = io.BytesIO()
    c = new_canvas(buf)
    draw_lines(c, HEIGHT - 60, ["一、总体情况", "本年度共主动公开信息21条。"])
    c.showPage()
    draw_ruled(c, HEIGHT - 80, [["联系电话", "21", ""]], WIDTHS)
    c.showPage()
    c.save()
    assert _tables(buf.getvalue()) == []


def test_split_row_tails_under_a_grid_with_one_more_label_column() -> None:
    previous = Table([["（六）其他处理", "０", "/", "-", "０"],
                      ["（七）总计", "１，２", "１", "０", "２，３"]])
    below = Table([["", "", "０３", "", "", "５８"],
                   ["四、结转下年度继续办理", "", "０", "——", "-", "０"]])
    assert _join_split_row(previous, below)
    assert previous.rows[-1] == ["（七）总计", "１，２０３", "１", "０", "２，３５８"]
    assert below.rows == [["四、结转下年度继续办理", "", "０", "——", "-", "０"]]
