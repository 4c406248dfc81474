"""Is it an annual report, which format, and image-only reports (docs/format.md §1, §7)."""

from __future__ import annotations

import pytest

from parsers.classify import decide_format
from parsers.document import Document, Table
from parsers.report import interpret

HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
TEMPLATE_REQUESTS = Table([
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["自然人", "法人或其他组织", "总计"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ["一、本年新收政府信息公开申请数量", "", "", "", "", "", "", ""],
    ["二、上年结转政府信息公开申请数量", "", "", "", "", "", "", ""],
    ["三、本年度办理结果", "（一）予以公开", "", "", "", "", "", "", ""],
    ["（七）总计", "", "", "", "", "", "", ""], ["四、结转下年度继续办理", "", "", "", "", "", "", ""]])


@pytest.mark.parametrize("active,requests,year,fmt", [
    ({"本年制发件数", "现行有效件数"}, set(), 2019, "2021"),        # printed columns beat the year
    ({"本年新制作数量", "对外公开总数量"}, set(), 2022, "2019"),
    ({"上一年项目数量", "本年增/减"}, set(), None, "2019"),
    ({"本年收费金额(单位:万元)"}, set(), None, "2021"),
    (set(), {"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"}, 2020, "2021"),
    (set(), set(), 2022, "2021"),
    (set(), set(), 2020, "2019"),
])
def test_format_from_what_is_printed(active, requests, year, fmt):
    assert decide_format(active, requests, year, has_tables=True)[0] == fmt


def test_mixed_signals_are_warned():
    fmt, warnings = decide_format({"本年新制作数量"}, {"逾期不补正"}, 2021, has_tables=True)
    assert fmt == "2019" and warnings


def test_legacy_and_image_only_by_year():
    assert decide_format(set(), set(), 2015, has_tables=False)[0] == "legacy"
    assert decide_format(set(), set(), 2019, has_tables=False)[0] == "legacy"
    assert decide_format(set(), set(), 2022, has_tables=False, needs_ocr=True)[0] == "2021"


def test_legacy_report():
    doc = Document("html", ["某某县人民政府办公室2015年政府信息公开工作年度报告", "一、概述",
                            "2015年，我县主动公开政府信息1200条。", "二、主动公开政府信息情况", "主动公开1200条。",
                            "三、依申请公开情况", "共受理申请12件。", "六、存在的主要问题和改进措施", "问题。"])
    report = interpret(doc)
    assert report["is_annual_report"] is True and report["format"] == "legacy"
    assert report["checks"] == [] and "requests" not in report
    assert report["sections"]["overview"] == "2015年，我县主动公开政府信息1200条。"


LOOKALIKES = {
    "notice": ["关于做好2023年政府信息公开工作年度报告编制发布工作的通知", "各县（市、区）人民政府：",
               "一、高度重视年度报告编制工作", "二、按时发布年度报告", "请于2024年1月31日前完成。联系人：张三。"],
    "template": ["关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知", *HEADINGS, TEMPLATE_REQUESTS],
    "blank_template_untitled": ["中华人民共和国政府信息公开工作年度报告格式", *HEADINGS, TEMPLATE_REQUESTS],
    "work_points": ["某某市2023年政务公开工作要点", "一、总体要求", "二、强化政策发布解读", "三、深化重点领域信息公开"],
    "gov_work_report": ["2023年某某市人民政府工作报告", "一、2022年工作回顾", "过去一年，全市经济稳中向好。"],
    "statistics_bulletin": ["某某市2022年国民经济和社会发展统计公报", "一、综合", "全年地区生产总值1000亿元。"],
    "budget": ["某某公共资源交易中心2022年度部门决算", "一、部门基本情况", "二、收入支出决算总表"],
    "half_year": ["2022年上半年政府信息公开数据统计", Table([["主动公开", "120"], ["依申请公开", "3"]])],
    "rules": ["某某市政府信息公开工作年度报告制度", "第一条 为规范年度报告工作，制定本制度。"],
    "index": ["政府信息公开年报", "某某县财政局2023年政府信息公开工作年度报告 2024-01-20",
              "某某县财政局2022年政府信息公开工作年度报告 2023-01-18",
              "某某县财政局2021年政府信息公开工作年度报告 2022-01-25"],
}


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_are_not_reports(name):
    report = interpret(Document("html", LOOKALIKES[name]))
    assert report["is_annual_report"] is False, name
    assert report["checks"] == []


def test_image_only_report_needs_ocr():
    doc = Document("pdf", [], title="某某区国资局2022年政府信息公开工作年度报告", needs_ocr=True,
                   warnings=["image-only PDF"])
    report = interpret(doc)
    assert report["is_annual_report"] is True and report["needs_ocr"] is True
    assert report["format"] == "2021" and report["year"] == 2022
    assert report["requests"]["new_received"]["total"] is None
    assert report["checks"] and all(c["passed"] is None for c in report["checks"])
    assert "image-only PDF" in report["warnings"]


def test_headings_without_table_text_need_ocr():
    # 浑南区国资局 2022: headings 二、三、四 present, tables are pictures.
    doc = Document("html", ["沈阳市浑南区国有资产监督管理局", "2022年政府信息公开工作年度报告", "一、总体情况",
                            "2022年，我局主动公开信息。", *HEADINGS[1:]])
    report = interpret(doc)
    assert report["is_annual_report"] is True and report["needs_ocr"] is True
    assert report["format"] == "2021" and report["agency"] == "沈阳市浑南区国有资产监督管理局"
    assert all(c["passed"] is None for c in report["checks"])


def test_untitled_report_needs_two_body_signals():
    report = interpret(Document("txt", ["本报告统计期限为2023年1月1日至12月31日。", *HEADINGS]))
    assert report["is_annual_report"] is True
    report = interpret(Document("txt", ["本年度工作总结", "一、总体情况", "正文。"]))
    assert report["is_annual_report"] is False


def test_legacy_local_statistics_table_stays_legacy():
    doc = Document("html", ["某某县人民政府办公室2016年政府信息公开工作年度报告", "一、概述", "2016年，我县扎实推进公开。",
                            "二、主动公开政府信息情况", Table([["主动公开信息数", "1200"], ["其中：主动公开规范性文件数", "12"]]),
                            "三、依申请公开情况", Table([["申请总数", "8"], ["同意公开答复数", "6"]]),
                            "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
                            Table([["行政复议数", "0"], ["行政诉讼数", "0"], ["行政申诉数", "0"]]),
                            "六、存在的主要问题和改进措施", "问题。"])
    report = interpret(doc)
    assert report["is_annual_report"] is True
    assert report["format"] == "legacy" and report["checks"] == []
    assert "review_litigation" not in report and "active" not in report


def test_column_name_as_page_title_does_not_hide_a_report():
    doc = Document("html", ["本报告统计期限为2023年1月1日至12月31日。", *HEADINGS], title="通知公告")
    assert interpret(doc)["is_annual_report"] is True


def test_legacy_prose_sections_are_not_pictures():
    doc = Document("html", ["某某县人民政府办公室2015年政府信息公开工作年度报告", "一、概述", "概述正文。",
                            "二、主动公开政府信息情况", "2015年，我县主动公开政府信息1200条，其中规范性文件12件。" * 3,
                            "三、依申请公开情况", "全年共受理政府信息公开申请12件，均按期答复。" * 3,
                            "五、因政府信息公开申请行政复议、提起行政诉讼的情况", "未发生行政复议、行政诉讼案件。",
                            "六、存在的主要问题和改进措施", "问题。"])
    report = interpret(doc)
    assert report["format"] == "legacy" and report["needs_ocr"] is False
