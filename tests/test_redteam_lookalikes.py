"""Red-team: pages that look like annual reports but are not, and legacy prose reports.

Lookalikes (docs/format.md §7) must give ``is_annual_report: false``; legacy prose reports must
give ``format: "legacy"`` with the right agency and year and no table figures. The pages mimic
what government sites publish next to the reports: a 年报 column page, a news item announcing a
report, a 政府信息公开指南, 政务公开工作要点, a 决算 page with tables, a 统计公报 with numbers,
a notice on compiling the reports, a half-year statistics table.

    .venv/bin/python -m pytest -q tests/test_redteam_lookalikes.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document


def page(title: str, body: str, *, meta: str = "") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="nav">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>{meta}'
            f'<div id="zoom">{body}</div></body></html>').encode()


def paras(*lines: str) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


INDEX = page("政府信息公开年报_某市人民政府", "<ul>" + "".join(
    f"<li><a href='/t{y + 1}0120_{y}.html'>某市{d}{y}年政府信息公开工作年度报告</a><span>{y + 1}-01-2{y % 9}</span></li>"
    for y in range(2015, 2025) for d in ("人民政府", "教育局")) + "</ul><div class='page'>共20条 1/1页 首页 上一页 下一页 尾页</div>")

NEWS = page("我局发布2022年政府信息公开工作年度报告", paras(
    "我局发布2022年政府信息公开工作年度报告",
    "发布时间：2023-01-19 来源：某县市场监督管理局",
    "近日，某县市场监督管理局在政府门户网站发布《某县市场监督管理局2022年政府信息公开工作年度报告》。"
    "报告从总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
    "存在的主要问题及改进情况、其他需要报告的事项等六个方面，全面反映了我局2022年政府信息公开工作。"
    "2022年共收到政府信息公开申请12件，均按期答复。"))

GUIDE = page("某区司法局政府信息公开指南", paras(
    "某区司法局政府信息公开指南",
    "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。",
    "一、主动公开", "（一）公开范围", "本机关主动公开本机关职能、机构设置、规范性文件等政府信息。",
    "（二）公开方式", "通过政府网站、政务新媒体等方式公开。",
    "二、依申请公开", "（一）受理机构", "名称：某区司法局办公室，办公时间：工作日。",
    "（二）申请的提出", "申请人可通过当面、邮寄、网络等方式提出政府信息公开申请。",
    "三、收费", "行政机关依申请提供政府信息，不收取费用。",
    "四、监督和救济", "公民、法人或者其他组织认为行政机关侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。",
    "本指南每年更新，其他需要报告的事项见年度报告。"))

WORK_POINTS = page("某市2023年政务公开工作要点", paras(
    "某市人民政府办公室关于印发某市2023年政务公开工作要点的通知",
    "某政办发〔2023〕12号",
    "一、总体要求", "坚持以人民为中心，全面推进政务公开标准化规范化。",
    "二、主动公开政府信息", "加大主动公开力度。",
    "三、依申请公开", "规范政府信息公开申请办理，提升答复质量。",
    "四、复议诉讼", "减少政府信息公开行政复议、行政诉讼案件。",
    "五、存在问题和改进", "各单位要按时发布2022年政府信息公开工作年度报告。",
    "六、其他需要报告的事项", "无。"))

ROWS = "".join(f"<tr><td>{name}</td><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for name, a, b, c in (
    ("一般公共预算财政拨款收入", "1,234.56", "1,100.00", "112.2%"), ("政府性基金预算财政拨款收入", "0.00", "0.00", "0"),
    ("事业收入", "35.10", "30.00", "117%"), ("本年收入合计", "1,269.66", "1,130.00", "112.4%")))
FINAL_ACCOUNTS = page("某区城市管理局2022年度部门决算", paras(
    "某区城市管理局2022年度部门决算", "第一部分 部门概况", "一、部门职责", "负责城市管理工作。",
    "第二部分 2022年度部门决算表", "收入支出决算总表") + f"<table border=1><tr><td>项目</td><td>决算数</td><td>预算数</td><td>完成率</td></tr>{ROWS}</table>"
    + paras("第三部分 2022年度部门决算情况说明", "一、收入支出决算总体情况说明", "二、其他重要事项的情况说明"))

STATS = page("某县2022年国民经济和社会发展统计公报", paras(
    "某县2022年国民经济和社会发展统计公报", "某县统计局 2023年3月20日",
    "一、综合", "初步核算，全年地区生产总值312.5亿元，比上年增长4.2%。",
    "二、农业", "全年粮食总产量18.6万吨。", "三、工业和建筑业", "全县规模以上工业增加值增长6.1%。",
    "四、固定资产投资", "五、国内贸易", "六、对外经济", "七、交通、邮电和旅游", "八、财政和金融",
    "九、教育和科学技术", "十、文化、卫生和体育", "十一、人口、人民生活和社会保障"))

NOTICE = page("关于做好2022年政府信息公开工作年度报告编制发布工作的通知", paras(
    "关于做好2022年政府信息公开工作年度报告编制发布工作的通知",
    "各乡镇人民政府，县政府各部门：",
    "根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，现就做好2022年政府信息公开工作年度报告编制发布工作通知如下：",
    "一、报告内容", "年度报告应包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。",
    "二、发布时间", "各单位应于2023年1月31日前发布。", "三、工作要求", "数据统计期限为2022年1月1日至2022年12月31日。",
    "某县人民政府办公室", "2023年1月5日"))

HALF_YEAR = page("某区2022年上半年政府信息公开数据统计", paras("某区2022年上半年政府信息公开数据统计",
    "统计期限为2022年1月1日至2022年6月30日。") + "<table border=1><tr><td>指标</td><td>数量</td></tr>"
    "<tr><td>本年新收政府信息公开申请数量</td><td>35</td></tr><tr><td>予以公开</td><td>20</td></tr>"
    "<tr><td>行政复议</td><td>1</td></tr><tr><td>行政诉讼</td><td>0</td></tr></table>")

EXPLANATION = page("关于2022年度政府信息公开工作年度报告的更正说明", paras(
    "关于2022年度政府信息公开工作年度报告的更正说明",
    "我局于2023年1月20日发布的《某市交通运输局2022年政府信息公开工作年度报告》中，“三、收到和处理政府信息公开申请情况”表格数据有误，现更正如下：本年新收申请数量由12件更正为13件。",
    "特此说明。", "某市交通运输局", "2023年2月3日"))

LOOKALIKES = {"index": INDEX, "news": NEWS, "guide": GUIDE, "work_points": WORK_POINTS,
              "final_accounts": FINAL_ACCOUNTS, "statistics_bulletin": STATS, "notice": NOTICE,
              "half_year": HALF_YEAR, "correction_note": EXPLANATION}


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_is_not_a_report(name: str) -> None:
    got = parse_document(LOOKALIKES[name], "text/html; charset=utf-8", f"http://x.gov.cn/{name}.html")
    assert got["is_annual_report"] is False, (name, got.get("title"), got.get("format"))


LEGACY = {
    # name: (page, agency, year)
    "numbered_2012": (page("某市国土资源局2012年政府信息公开工作年度报告", paras(
        "某市国土资源局2012年政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》要求编制。报告中所列数据统计期限自2012年1月1日起至2012年12月31日止。",
        "一、概述", "2012年，我局认真贯彻落实《条例》。",
        "二、主动公开政府信息情况", "全年主动公开政府信息356条，其中规范性文件4件。",
        "三、依申请公开政府信息情况", "全年共受理政府信息公开申请8件，同意公开6件，信息不存在2件。",
        "四、政府信息公开的收费及减免情况", "未收取任何费用。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况", "未发生因政府信息公开申请提起行政复议、行政诉讼的情况。",
        "六、存在的主要问题和改进措施", "公开内容还不够全面。",
        "某市国土资源局", "二〇一三年三月二十六日")), "某市国土资源局", 2012),
    "short_2016": (page("泰安市岱岳区审计局2016年政务信息公开年度报告", paras(
        "泰安市岱岳区审计局2016年政务信息公开年度报告",
        "2016年，我局按照区委、区政府的统一部署，扎实做好政府信息公开工作，主动公开各类信息120余条，"
        "未收到政府信息公开申请，未发生行政复议和行政诉讼，未收取任何费用。",
        "下一步，我局将进一步加强政府信息公开工作。", "泰安市岱岳区审计局", "2017年3月15日")),
        "泰安市岱岳区审计局", 2016),
    "with_local_table_2010": (page("2010年某县政府信息公开工作年度报告", paras(
        "某县人民政府", "2010年某县政府信息公开工作年度报告",
        "一、概述", "二、主动公开政府信息的情况", "三、依申请公开政府信息的情况",
        "四、政府信息公开的收费及减免情况", "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        "六、存在的主要问题和改进措施", "附表：政府信息公开情况统计表")
        + "<table border=1><tr><td>指标名称</td><td>单位</td><td>数量</td></tr><tr><td>主动公开政府信息数</td><td>条</td><td>1520</td></tr>"
          "<tr><td>申请总数</td><td>件</td><td>31</td></tr><tr><td>行政复议数</td><td>件</td><td>1</td></tr></table>"),
        "某县人民政府", 2010),
    "dingxi_stats_table_2012": (page("定西市安定区人民政府2012年政府信息公开工作年度报告", paras(
        "定西市安定区人民政府2012年政府信息公开工作年度报告",
        "一、概述", "二、主动公开政府信息情况", "全年主动公开政府信息2310条。",
        "三、依申请公开政府信息情况", "共受理申请15件。", "四、政府信息公开的收费及减免情况", "未收费。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况", "发生行政复议1件，行政诉讼1件。",
        "六、存在的主要问题和改进措施", "公开内容不够全面。", "附表：政府信息公开情况统计报表")
        + "<table border=1><tr><td>统计指标</td><td>单位</td><td>统计数</td></tr>"
        + "".join(f"<tr><td>{a}</td><td>{u}</td><td>{n}</td></tr>" for a, u, n in (
            ("一、主动公开情况", "", ""), ("（一）主动公开政府信息数", "条", "2310"),
            ("二、依申请公开情况", "", ""), ("（一）收到申请数", "件", "15"), ("1.当面申请数", "件", "5"),
            ("2.传真申请数", "件", "0"), ("3.网上申请数", "件", "10"), ("（二）申请答复数", "件", "15"),
            ("1.按时答复数", "件", "15"), ("2.同意公开答复数", "件", "10"), ("3.同意部分公开答复数", "件", "2"),
            ("4.不予公开答复数", "件", "1"), ("5.信息不存在数", "件", "1"), ("6.非本机关掌握数", "件", "1"),
            ("三、行政复议数量", "件", "1"), ("四、行政诉讼数量", "件", "1"), ("五、行政申诉数量", "件", "0")))
        + "</table>"), "定西市安定区人民政府", 2012),
}


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_legacy_prose(name: str) -> None:
    data, agency, year = LEGACY[name]
    got = parse_document(data, "text/html; charset=utf-8", f"http://x.gov.cn/{name}.html")
    assert (got["is_annual_report"], got["format"], got["agency"], got["year"]) == (True, "legacy", agency, year)
    for table in ("active", "requests", "review_litigation"):
        cells = [v for row in (got.get(table) or {}).values() for v in row.values() if v is not None]
        assert not cells, (table, cells)
