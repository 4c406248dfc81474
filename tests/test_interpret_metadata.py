"""Title, agency, year and published date (docs/format.md §7)."""

from __future__ import annotations

import pytest

from parsers.document import Document
from parsers.metadata import (
    first_year,
    is_full_agency,
    is_lookalike_title,
    match_title,
    parse_date,
    statistics_year,
)
from parsers.report import interpret


@pytest.mark.parametrize("title,agency,year", [
    ("攀枝花市东区科学技术局2024 年政府信息公开工作年度报告", "攀枝花市东区科学技术局", 2024),
    ("某某县财政局2022年度政府信息公开工作年度报告", "某某县财政局", 2022),
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
    ("重庆市大足区外事办公室政府信息公开工作2022年度报告", "重庆市大足区外事办公室", 2022),
    ("大同市2021年政府信息公开年度报告", "大同市", 2021),
    ("关于2022年度政府信息公开情况的报告", None, 2022),
    ("舒兰市市场监督管理局2016年政务信息公开年度报告", "舒兰市市场监督管理局", 2016),
    ("某某县审计局2023年政务公开工作年度报告", "某某县审计局", 2023),
    ("2020年报_审计局", None, 2020),
    ("政府信息公开年报", None, None),
    ("自然资源部2022年政府信息公开工作年度报告", "自然资源部", 2022),
    ("某某市教育局二〇二三年政府信息公开工作年度报告", "某某市教育局", 2023),
    ("某某市教育局2023年政府信息公开工作年度报告.pdf", "某某市教育局", 2023),
    ("附件1：某某县财政局2023年政府信息公开工作年度报告", "某某县财政局", 2023),
    ("《某某县财政局2023年政府信息公开工作年度报告》", "某某县财政局", 2023),
    ("某某县财政局政府信息公开工作年度报告（2023年度）", "某某县财政局", 2023),
    ("岭北省人力资源和社会保障厅政府信息公开工作2022年度报告_岭北省人力资源和社会保障厅门户网站",
     "岭北省人力资源和社会保障厅", 2022),
])
def test_title_patterns(title, agency, year):
    m = match_title(title)
    assert m is not None
    assert (m.agency, m.year) == (agency, year)


@pytest.mark.parametrize("title", [
    "关于做好2021年政府信息公开工作年度报告编制发布工作的通知",
    "关于认真做好2023年度政府信息公开工作年度报告编制发布工作的通知",
    "关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知",
    "某某市政府信息公开工作年度报告制度",
    "2022年上半年政府信息公开数据统计",
    "某某市2023年政务公开工作要点",
    "2023年某某市人民政府工作报告",
    "某某市2022年国民经济和社会发展统计公报",
    "某某公共资源交易中心2022年度部门决算",
    "当前位置：首页 > 政务公开 > 政府信息公开年报",
])
def test_lookalike_titles_do_not_match(title):
    assert match_title(title) is None


def test_lookalike_title_words():
    assert is_lookalike_title("关于做好2021年政府信息公开工作年度报告编制发布工作的通知")
    assert not is_lookalike_title("某某县财政局2022年政府信息公开工作年度报告")


@pytest.mark.parametrize("name,full", [
    ("红寺堡区科学技术局", True), ("攀枝花市东区科学技术局", True), ("上海市人民政府办公厅", True),
    ("国家统计局", True), ("自然资源部", True), ("我局", False), ("区科技局", False), ("市科技局", False),
    ("本机关", False), ("科技和工业信息化局", False), ("某某市2021博彩娱乐", False), ("", False),
])
def test_full_agency_names(name, full):
    assert is_full_agency(name) is full


@pytest.mark.parametrize("text,iso", [
    ("2025年1月9日", "2025-01-09"), ("二〇二五年一月九日", "2025-01-09"), ("二○二三年十二月三十一日", "2023-12-31"),
    ("二零二四年一月二十日", "2024-01-20"), ("2025-01-09", "2025-01-09"), ("2025年2月30日", None),
    ("根据2025年1月9日会议", None),
])
def test_dates(text, iso):
    assert parse_date(text) == iso


def test_years_never_from_document_numbers_budgets_or_cited_titles():
    assert first_year("依据国办公开办函〔2021〕30号要求，2023年我局") == 2023
    assert first_year("公开 2023 年部门决算以及 2024 年部门预算，2022年我局") == 2022
    assert first_year("按照《关于开展2024年政府信息公开年报编制工作的通知》，本年度") is None
    assert statistics_year("报告中数据统计时间为 2024 年 1 月 1 日至 12 月 31 日。") == 2024
    assert statistics_year("统计期限自2021年1月1日起至2021年12月31日止") == 2021


def _doc(*blocks, title=None, metadata=None) -> Document:
    return Document("html", list(blocks), title=title, metadata=metadata or {})


BODY = ["一、总体情况", "我局主动公开信息。", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "问题。",
        "六、其他需要报告的事项", "无。"]


def test_agency_line_above_title_and_closing_date():
    report = interpret(_doc("攀枝花市东区科学技术局", "2024 年政府信息公开工作年度报告", *BODY,
                            "攀枝花市东区科学技术局", "2025年1月9日"))
    assert report["title"] == "攀枝花市东区科学技术局2024年政府信息公开工作年度报告"
    assert report["agency"] == "攀枝花市东区科学技术局"
    assert (report["year"], report["published_date"]) == (2024, "2025-01-09")
    assert report["sections"]["other"] == "无。"


def test_chinese_numeral_closing_date():
    report = interpret(_doc("某某市教育局2022年政府信息公开工作年度报告", *BODY, "某某市教育局", "二〇二三年一月十八日"))
    assert report["published_date"] == "2023-01-18"


def test_intro_formula_and_statistics_period():
    report = interpret(_doc("政府信息公开工作年度报告",
                            "现公布广州市某某区人民政府2023年政府信息公开工作年度报告。统计期限为2023年1月1日至12月31日。",
                            *BODY))
    assert report["agency"] == "广州市某某区人民政府"
    assert report["year"] == 2023


def test_cited_issuer_is_not_the_agency_and_year_from_section_one():
    # Seed 003: no title, the only full name is the issuer of a cited notice.
    report = interpret(_doc("本报告依据《六安市金安区人民政府办公室关于开展2024年政府信息公开年报编制工作的通知》要求编制而成。",
                            "一、总体情况", "（一）主动公开情况。积极落实要求，2023年，区科技局公开信息366条。", *BODY[2:]))
    assert report["agency"] is None
    assert report["year"] == 2023
    assert report["title"] is None


def test_container_and_page_metadata_are_fallbacks():
    doc = _doc(*BODY, title="某某县财政局2022年政府信息公开工作年度报告",
               metadata={"publisher": "某某县财政局", "published_date": "2023-01-30 09:00"})
    report = interpret(doc)
    assert (report["agency"], report["year"], report["published_date"]) == ("某某县财政局", 2022, "2023-01-30")
    page = {"title": "某某县民政局2021年政府信息公开工作年度报告", "publisher": "某某县民政局",
            "published_date": "2022-01-15"}
    report = interpret(_doc(*BODY), page_metadata=page)
    assert (report["title"], report["agency"], report["year"], report["published_date"]) == (
        "某某县民政局2021年政府信息公开工作年度报告", "某某县民政局", 2021, "2022-01-15")


def test_short_form_signature_gives_no_agency():
    report = interpret(_doc("2023年政府信息公开工作年度报告", *BODY, "区科技局", "2024年1月9日"))
    assert report["agency"] is None
    assert report["published_date"] == "2024-01-09"


def test_year_from_publication_date_as_last_resort():
    report = interpret(_doc("政府信息公开工作年度报告", *BODY, "某某县财政局", "2024年1月9日"))
    assert report["year"] == 2023
    assert any("publication year" in w for w in report["warnings"])


def test_page_footer_is_not_part_of_the_report():
    report = interpret(_doc("某某县财政局2022年政府信息公开工作年度报告", *BODY, "某某县财政局", "2023年1月20日",
                            "【打印本页】【关闭窗口】", "主办单位：某某县人民政府办公室 网站标识码：1234"))
    assert report["published_date"] == "2023-01-20"
    assert report["sections"]["other"] == "无。"
    report = interpret(_doc("某某县财政局2022年政府信息公开工作年度报告", *BODY, "上一篇：关于某某的通知",
                            "版权所有：某某县人民政府"))
    assert report["sections"]["other"] == "无。"


def test_editor_titles_are_not_shown():
    report = interpret(_doc(*BODY, title="Microsoft Word - 文档1.docx"),
                       page_metadata={"title": "信息公开年报附件"})
    assert report["title"] == "信息公开年报附件"
