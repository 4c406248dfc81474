"""The six sections (docs/format.md §2) and legacy headings (§8)."""

from __future__ import annotations

import pytest

from parsers.document import Table
from parsers.sections import find_headings, heading_kind, section_texts


@pytest.mark.parametrize("line,kind", [
    ("一、总体情况", "overview"), ("一．总体情况", "overview"), ("一 、总体情况", "overview"),
    ("**一、总体情况**", "overview"), ("[bookmark: _GoBack]一、总体情况", "overview"),
    ("二、主动公开政府信息情况", "active"), ("二、行政机关主动公开政府信息情况", "active"),
    ("三、收到和处理政府信息公开申请情况", "requests"),
    ("四、政府信息公开行政复议、行政诉讼情况", "review"),
    ("四、因政府信息公开工作被申请行政复议提起行政诉讼情况", "review"),
    ("五、存在的主要问题及改进情况", "problems"), ("五、存在主要问题及改进情况", "problems"),
    ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("5、 存在的主要问题及改进情况", "problems"), ("六、其他需要报告的事项", "other"),
    ("第一部分 总体情况", "overview"), ("一、基本工作情况", "overview"), ("第五部分、存在的主要问题及改进情况", "problems"),
    # legacy (§8)
    ("一、概述", "overview"), ("三、依申请公开情况", "requests"), ("四、政府信息公开的收费及减免情况", "fees"),
    ("五、因政府信息公开申请行政复议和提起行政诉讼的情况", "review"), ("六、存在的主要问题和改进措施", "problems"),
])
def test_heading_lines(line, kind):
    assert heading_kind(line)[0] == kind


@pytest.mark.parametrize("line", [
    ("本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
    "存在的主要问题及改进情况、其他需要报告的事项六部分组成。"),
    "（一）主动公开情况", "1、主动公开情况", "一、本年新收政府信息公开申请数量", "四、结转下年度继续办理",
    "总体情况",
])
def test_not_headings(line):
    assert heading_kind(line) is None


def test_sixth_section_inside_five_and_order():
    blocks = ["一、总体情况", "正文一", "（二）依申请公开情况", "二、主动公开政府信息情况", Table([["规章", "0"]]),
              "五、存在的主要问题及改进情况", "(一)存在的问题", "问题。", "(三)其他需要报告的事项", "无其他事项。"]
    heads = find_headings(blocks)
    assert [(h.block, h.kind) for h in heads] == [(0, "overview"), (3, "active"), (5, "problems"), (8, "other")]
    texts = section_texts(blocks, heads)
    assert texts == {"overview": "正文一\n（二）依申请公开情况", "problems": "(一)存在的问题\n问题。",
                     "other": "无其他事项。"}


def test_sub_item_other_only_inside_five():
    assert heading_kind("(三)其他需要报告的事项", None) is None
    assert heading_kind("(三)其他需要报告的事项", "problems")[0] == "other"


def test_arabic_number_must_be_the_sections_own():
    assert heading_kind("3.存在的主要问题") is None
    assert heading_kind("5.存在的主要问题及改进情况")[0] == "problems"


def test_closing_is_cut_from_other_and_absent_sections_are_none():
    blocks = ["一、总体情况", "正文", "六、其他需要报告的事项", "无。", "某某县财政局", "2024年1月9日"]
    texts = section_texts(blocks, find_headings(blocks), stop=4)
    assert texts == {"overview": "正文", "problems": None, "other": "无。"}


def test_heading_with_text_on_the_same_line():
    assert heading_kind("一、总体情况。2024年，我局主动公开信息。") == ("overview", "2024年,我局主动公开信息。")
