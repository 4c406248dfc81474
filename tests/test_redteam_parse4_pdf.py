"""Red-team round 3, PDF: Word tables printed without rules between their rows (borderless,
三线表) and narrow ruled tables, from the families that failed the layout sweep
(``python -m tests.eval.sweep_pdf_layouts``; docs/redteam-parse2.md, "Round 3: borderless
PDFs"): a label's wrapped line sharing its line with a number's wrapped tail, numbers wrapped
under table 四's unlabelled row, ``——`` wrapped in its cell, item numbers set as runs of their
own, label lines printed glyph by glyph, numbers wrapped at a thousands group in ruled cells,
rows broken across a page break.

The documents are in ``tests/eval/`` (``python -m tests.eval.make_redteam_parse4_pdf``,
LibreOffice needed); the unit tests below build the lines by hand, each failing on the reader
before this round.

    .venv/bin/python -m pytest -q tests/test_redteam_parse4_pdf.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_file
from parsers.document import Table
from parsers.readers.pdf import (
    Line,
    Word,
    _join_split_row,
    _join_wrapped_numbers,
    _segments,
    _split_row_tail,
    _tabular_runs,
    _unruled_rows,
    _wrapped_number,
)
from tests.fixturegen.compare import compare_cells, compare_meta

EVAL = ROOT / "tests" / "eval"
DOCUMENTS = ("pdf_threeline_label_tails_2021", "pdf_borderless_review_tails_2019",
             "pdf_ruled_narrow_wrapped_2019", "pdf_threeline_dash_wrapped_2021",
             "pdf_borderless_row_split_2019", "pdf_threeline_glyph_labels_2021",
             "pdf_threeline_landscape_row_split_2019")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_cell_of_a_borderless_word_pdf(name: str) -> None:
    expected = json.loads((EVAL / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = parse_file(EVAL / f"{name}.pdf")
    assert compare_cells(expected, got) + compare_meta(expected, got) == []


def _row(*words: tuple[str, float, float], top: float, size: float = 7.5) -> Line:
    return Line([Word(t, x0, x1, top, top + size) for t, x0, x1 in words])


def _texts(lines: list[Line]) -> list[list[str]]:
    return [[w.text for w in line.words] for line in lines]


def test_number_tail_beside_a_wrapped_label_joins_its_figure():
    # （四）无法 | 1.本机关不掌握相关政府信 … 1 / 提供 | 息 | ， 147: the total 1,147 wrapped at
    # its separator, on the line of the labels' last lines
    lines = [
        _row(("（四）", 138, 151), ("无", 157, 164.4), ("法", 165, 172), ("1.", 189, 195),
             ("本机关不掌握相关政府信", 196, 284), ("550", 307, 321), ("13", 490, 498),
             ("1", 530, 534), top=627),
        _row(("提供", 145, 160), ("息", 233, 240), ("，", 514, 516), ("147", 520, 534), top=638),
        _row(("2.", 189, 195), ("没有现成信息", 196, 250), ("0", 317, 321), top=659),
    ]
    joined = _join_wrapped_numbers(lines)
    assert _texts(joined) == [
        ["（四）无法", "1.", "本机关不掌握相关政府信", "550", "13", "1，147"],
        ["提供", "息"], ["2.", "没有现成信息", "0"]]


def test_item_number_under_a_row_is_not_a_label_fragment_with_tails():
    # a line opening with an item number is the next row, even with a figure right under one
    lines = [
        _row(("其他", 150, 170), ("5", 317, 321), ("9", 530, 534), top=100),
        _row(("3.补正后", 189, 230), ("4", 530, 534), top=108.5),
    ]
    assert _texts(_join_wrapped_numbers(lines)) == [["其他", "5", "9"], ["3.补正后", "4"]]


def test_few_tails_under_table_four_row_join_their_figures():
    # table 四's data row has no label: full-width ２ / ４ in a narrow cell is 24
    figures = [("０", 98.7, 103.1), ("0", 125.8, 129.9), ("21", 222.8, 231.6),
               ("２", 328.2, 332.5), ("10", 427.1, 435.9), ("30", 452.3, 461.4)]
    lines = [_row(*figures, top=607.9, size=6.1),
             _row(("４", 328.2, 332.7), top=618.6, size=6.1)]
    assert _texts(_join_wrapped_numbers(lines)) == [["０", "0", "21", "２４", "10", "30"]]
    # but a line with a figure under each of the row's is a row of its own
    second = _row(*[(str(n), x1 - 4, x1) for n, (_, _, x1) in enumerate(figures)], top=618.6,
                  size=6.1)
    assert len(_join_wrapped_numbers([lines[0], second])) == 2


def test_a_wrapped_double_dash_is_one_blank_marker():
    lines = [_row(("一、本年新收", 104, 271), ("57", 300, 312), ("—", 384.1, 393.6),
                  ("13", 462.8, 474.1), top=388.9, size=9.8),
             _row(("—", 384.1, 393.6), ("0", 469, 474.3), top=404.1, size=7.9)]
    assert _texts(_join_wrapped_numbers(lines)) == [["一、本年新收", "57", "——", "130"]]


def test_numbers_wrapped_in_narrow_ruled_cells_are_not_two_rows():
    def cell(*texts: tuple[str, float, float], top: float, size: float = 6.0) -> Line:
        return _row(*texts, top=top, size=size)

    # a thousands group cut short (1,4 / 26) in a 27 pt cell
    assert _wrapped_number(cell(("1,4", 299.7, 311.0), top=338.5),
                           cell(("26", 300.6, 309.7), top=347.8), 27)
    # full-width digits a glyph short of the cell's width (１８ / ６８: one em each)
    assert _wrapped_number(cell(("１８", 235.0, 247.1), top=615.5, size=6.1),
                           cell(("６８", 235.0, 247.2), top=624.8, size=6.1), 27)
    # a separator alone on its line is a piece of a number
    assert _wrapped_number(cell(("１", 256.3, 261.0), top=256.3, size=6.6),
                           cell(("，", 268.6, 270.4), top=268.6, size=3.1), 26)
    # two short figures stacked in a wide cell are two rows whose rule is missing
    assert not _wrapped_number(cell(("12", 300, 308.5), top=100),
                               cell(("5", 304, 308.5), top=109), 60)


def test_item_numbers_set_apart_stay_in_the_label_column():
    # 2. | 重复申请: the item number is a run of its own, left of the label
    lines = [
        _row(("1.", 190, 198.5), ("信访举报投诉类申请", 199.5, 270), ("3", 305, 312), ("0", 350, 357),
             ("3", 527, 534), top=100),
        _row(("2.", 215, 222), ("重复申请", 223, 258), ("469", 305, 321), ("0", 352, 357),
             ("758", 518, 534), top=122),
        _row(("3.", 192, 200), ("要求提供公开出版物", 201, 281), ("/", 319, 322), ("0", 352, 357),
             ("0", 529, 534), top=144),
    ]
    rows, _ = _unruled_rows(lines)
    assert [r[0] for r in rows] == ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物"]
    assert all(len(r) == 4 for r in rows)


def test_a_label_fragment_right_of_item_numbers_does_not_start_a_new_part():
    lines = [
        _row(("2.", 189, 195), ("其他法律行政法规禁止公", 197, 284), ("0", 317, 321),
             ("0", 494, 498), top=453),
        _row(("开", 233, 240), top=464.3),
        _row(("3.", 197, 203), ("危及“三安全一稳定”", 204, 276), ("0", 317, 321), ("0", 494, 498),
             top=485),
    ]
    assert len(_segments(lines)) == 1


def test_a_label_line_printed_glyph_by_glyph_stays_in_the_table():
    glyphs = [("全", 169.1, 178.8), ("一", 179.7, 189.3), ("稳", 190.0, 199.8), ("定", 200.6, 210.3),
              ("”", 211.6, 215.2)]
    lines = [
        _row(("1.属于国家秘密", 164, 230), ("0", 253, 258), ("0", 466, 471), top=370, size=9.8),
        _row(("3.危及“三安", 164, 220), ("0", 253, 258), ("0", 466, 471), top=393.7, size=9.8),
        _row(*glyphs, top=407.8, size=9.8),
        _row(("4.保护第三方", 161, 223), ("25", 246, 258), ("25", 459, 471), top=432.1, size=9.8),
    ]
    assert _tabular_runs(lines) == [(0, 4)]


def test_tails_of_a_row_broken_across_pages_join_it():
    previous = Table(rows=[["（七）总计", "12", "52", "0", "／", "87", "26"]], page=3)
    table = Table(rows=[["", "53", "3", "", "", "2", "48"],
                        ["四、结转下年度继续办理", "0", "0", "0", "-", "0", "0"]], page=4)
    assert _join_split_row(previous, table)
    assert previous.rows == [["（七）总计", "1253", "523", "0", "／", "872", "2648"]]
    assert table.rows == [["四、结转下年度继续办理", "0", "0", "0", "-", "0", "0"]]


def test_a_next_row_atop_the_page_is_not_a_tail():
    previous = Table(rows=[["行政处罚", "０"]], page=1)
    table = Table(rows=[["行政强制", "０"]], page=2)
    assert not _join_split_row(previous, table)
    # nor a piece under a title (a head row ended the page)
    previous = Table(rows=[["", "结果维持", "总计"]], page=1)
    assert not _join_split_row(previous, Table(rows=[["", "3", "5"]], page=2))


def test_tails_atop_a_page_are_read_only_in_the_carried_columns():
    columns = [(301.5, 313.5), (328.5, 340.5), (463.2, 475.4)]
    first = _row(("３", 306.3, 311.1), top=73.7, size=6.8)
    below = _row(("三、本", 91.7, 117.8), ("27", 302.5, 312.5), top=95.2)
    assert _split_row_tail(first, below, columns)
    # a page number centred on the page is no tail
    assert not _split_row_tail(_row(("3", 295, 300), top=40), below, columns)


def test_a_number_wrapped_over_four_lines_with_its_separator_alone():
    # 1 / ， / 26 / 1 is 1,261 (a separator alone on its line, the digits after it further
    # down); the separator under the next column's 1 is that number's, not joined to a 6
    # a column away
    lines = [
        _row(("新收", 104.7, 150), ("1", 307.8, 312.3), ("1", 334.8, 339.3), ("25", 381.5, 393.2),
             top=384.8, size=10.1),
        _row(("，", 307.0, 309.0), ("，", 333.9, 335.9), ("6", 388.1, 393.4), top=400.0, size=7.9),
        _row(("26", 300.7, 312.6), ("28", 327.7, 339.6), top=414.0, size=7.9),
        _row(("1", 307.8, 312.3), ("3", 334.3, 339.3), top=428.1, size=7.9),
    ]
    assert _texts(_join_wrapped_numbers(lines)) == [["新收", "1，261", "1，283", "256"]]


def test_wu_of_a_label_wrapped_in_a_narrow_cell_is_no_blank_marker():
    # （四）无 / 法提供: the label 无法提供 wrapped in its cell; 无 close after （四） is text,
    # so the label's next line does not open a new part with its own columns
    lines = [
        _row(("7.", 190, 198), ("属于行政执法案卷", 200, 283), ("85", 301, 312), ("0", 330, 340),
             ("85", 462, 474), top=290.7, size=9.8),
        _row(("（四）", 139, 156), ("无", 164, 173), ("1.", 191, 198), ("本机关不掌握相关", 200, 283),
             ("108", 301, 313), ("0", 330, 340), ("108", 463, 474), top=342.7, size=9.8),
        _row(("法提供", 137, 168), ("政府信息", 216, 257), top=356.8, size=9.8),
        _row(("2.", 190, 198), ("没有现成信息需要", 200, 283), ("519", 301, 313), ("0", 330, 340),
             ("794", 462, 474), top=381.1, size=9.8),
    ]
    rows, _ = _unruled_rows(lines)
    assert len(rows) == 3 and {len(r) for r in rows} == {4}
    assert rows[1][0].startswith("（四）无") and rows[1][0].endswith("政府信息")
    assert rows[1][1:] == ["108", "0", "108"]


def test_a_labelled_row_set_close_under_another_is_not_its_tail():
    # reportlab-style rows 14.7 pt apart at 8.4 pt type: 行政规范性文件 | １０ | ５ | ８２ under
    # 规章 | １１ | ５ | ５７ is a row of its own, not a label's next line with tails
    lines = [
        _row(("规章", 52.2, 69.6), ("１１", 242.8, 255.7), ("５", 365.4, 370.0), ("５７", 479.3, 492.8),
             top=332.5, size=8.4),
        _row(("行政规范性文件", 52.3, 114.7), ("１０", 242.8, 256.2), ("５", 365.4, 370.0),
             ("８２", 479.3, 492.9), top=347.2, size=8.4),
    ]
    assert _texts(_join_wrapped_numbers(lines)) == _texts(lines)


def test_every_figure_of_a_row_wrapped_beside_its_label():
    # 2.没有现成信息需要 | 51 | 27 | 79 / 另行制作 | 9 | 5 | 4: each tail narrower than its head
    lines = [
        _row(("2.", 190.2, 198.3), ("没有现成信息需要", 199.8, 282.8), ("51", 300.7, 312.3),
             ("27", 435.5, 447.2), ("79", 462.5, 474.2), top=381.1, size=9.8),
        _row(("另行制作", 215.9, 257.0), ("9", 307.3, 312.5), ("5", 442.1, 447.1), ("4", 468.8, 474.4),
             top=395.3, size=9.7),
    ]
    assert _texts(_join_wrapped_numbers(lines)) == [
        ["2.", "没有现成信息需要", "519", "275", "794"], ["另行制作"]]


def test_a_row_broken_across_pages_with_its_label_rest_joins():
    # 本年 | ０ | ７ atop the page: the rest of 三、 … （一）予以公开's label and two tails
    previous = Table(rows=[["三、（一）予以公开", "593", "0", "0", "0", "１７", "１９", "960"]], page=2)
    table = Table(rows=[["本年", "", "", "", "", "０", "７", ""],
                        ["（二）部分公开", "468", "0", "0", "0", "0", "0", "468"]], page=3)
    assert _join_split_row(previous, table)
    assert previous.rows == [["三、（一）予以公开本年", "593", "0", "0", "0", "１７０", "１９７", "960"]]
    # a labelled row under as many figures is a row of its own
    previous = Table(rows=[["行政处罚", "２０"]], page=1)
    assert not _join_split_row(previous, Table(rows=[["行政强制", "０"]], page=2))


def test_tails_under_table_four_digits_measured_on_their_type_size():
    # full-width digits alone stand about 0.75 em tall: ７ 4.8 pt under a 6 pt tall row
    figures = [("-", 102.4, 104.5), ("７", 124.3, 128.5), ("-", 153.4, 155.5), ("１", 302.9, 307.1),
               ("１", 328.4, 332.6), ("２", 430.2, 434.5), ("２", 455.7, 460.0)]
    lines = [_row(*figures, top=335.3, size=6.0),
             _row(("７", 302.8, 307.0), ("７", 328.3, 332.5), ("４", 430.2, 434.7), ("４", 455.7, 460.2),
                  top=346.1, size=5.9)]
    assert _texts(_join_wrapped_numbers(lines)) == [["-", "７", "-", "１７", "１７", "２４", "２４"]]


def test_tails_join_a_banded_row_with_label_sub_columns():
    # the page before read the row on its rules with three label cells; here one label column
    previous = Table(rows=[["", "（七）总计", "", "９５", "1701", "/", "０", "２０", "0", "2853"]],
                     page=3)
    table = Table(rows=[["", "１", "", "", "", "１", "", ""]], page=4)
    assert _join_split_row(previous, table) and table.rows == []
    assert previous.rows == [["", "（七）总计", "", "９５１", "1701", "/", "０", "２０１", "0", "2853"]]
