"""Documents that look like annual reports but are not (expected ``is_annual_report: false``).

docs/format.md §7 lists them: the notice on compiling the reports, the blank template (labels,
no numbers), 政务公开工作要点, a 政府工作报告, a 预决算 page, an index page that only links to
reports, a half-year statistics table.

    >>> page = render_lookalike("notice", 3)
    >>> "编制发布工作的通知".encode() in page
    True
"""

from __future__ import annotations

import html
import random

from tests.fixturegen import prose
from tests.fixturegen.figures import make_figures

KINDS = {"notice": "html", "template": "docx", "work_points": "html", "gov_work_report": "txt",
         "budget": "html", "index": "html", "half_year_stats": "html"}


def render_lookalike(kind: str, seed: int) -> bytes:
    """One lookalike document; the file type is :data:`KINDS` ``[kind]``."""
    rng = random.Random(f"lookalike:{kind}:{seed}")
    agency = prose.make_agency(rng)
    year = rng.randint(2020, 2024)
    if kind == "template":
        return _blank_template(seed)
    if kind == "gov_work_report":
        return _gov_work_report(agency, year, rng).encode("utf-8")
    builders = {"notice": _notice, "work_points": _work_points, "budget": _budget,
                "index": _index, "half_year_stats": _half_year_stats}
    if kind not in builders:
        raise ValueError(f"unknown lookalike {kind!r}; choose from {sorted(KINDS)}")
    title, body = builders[kind](agency, year, rng)
    return _page(title, body).encode("utf-8")


def _page(title: str, body: str) -> str:
    return (f'<html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f'<body><div class="article"><h1>{html.escape(title)}</h1>\n{body}\n</div></body></html>\n')


def _p(*lines: str) -> str:
    return "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)


def _notice(agency: str, year: int, rng: random.Random) -> tuple[str, str]:
    title = f"关于做好{year}年政府信息公开工作年度报告编制发布工作的通知"
    return title, _p(
        "各县（市、区）人民政府办公室，市政府各部门：",
        f"根据《中华人民共和国政府信息公开条例》规定，为做好{year}年政府信息公开工作年度报告"
        "（以下简称年度报告）编制发布工作，现将有关事项通知如下：",
        "一、编制要求。各单位要严格按照《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国"
        "政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，内容包括总体情况、"
        "主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
        "存在的主要问题及改进情况、其他需要报告的事项六部分。",
        f"二、发布时限。市政府各部门应于{year + 1}年1月31日前，各县（市、区）人民政府应于"
        f"{year + 1}年3月31日前在本单位政府信息公开专栏发布年度报告。",
        "三、报送备案。年度报告发布后5个工作日内，将电子版报送市政务公开办。",
        f"联系人：王某某，联系电话：0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}",
        f"{agency}", prose.arabic_date(f"{year}-12-{rng.randint(10, 28)}"))


def _work_points(agency: str, year: int, rng: random.Random) -> tuple[str, str]:
    title = f"{agency}{year}年政务公开工作要点"
    return title, _p(
        f"为深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署，现制定{year}年政务公开工作要点。",
        "一、围绕稳经济促发展加强政策发布解读。二、围绕重点领域加大信息公开力度。",
        "三、做好政府信息公开工作年度报告编制发布工作，按时发布年度报告。",
        "四、加强政务公开平台建设。五、强化监督保障，做好依申请公开办理工作。")


def _budget(agency: str, year: int, rng: random.Random) -> tuple[str, str]:
    title = f"{agency}{year}年部门决算公开"
    rows = "".join(f"<tr><td>{name}</td><td>{rng.randint(10, 9000)}.{rng.randint(10, 99)}</td></tr>"
                   for name in ("一般公共服务支出", "教育支出", "社会保障和就业支出",
                                "卫生健康支出", "住房保障支出"))
    return title, (_p(f"{agency}{year}年部门决算说明", "一、部门基本情况", "二、收入支出决算总体情况")
                   + f"<table border=1><tr><td>项目</td><td>决算数（万元）</td></tr>{rows}</table>"
                   + _p("三、“三公”经费财政拨款支出决算情况说明", "四、政府采购支出情况"))


def _index(agency: str, year: int, rng: random.Random) -> tuple[str, str]:
    title = "政府信息公开年报"
    items = "".join(
        f'<li><a href="./{y + 1}01/t{y + 1}01{rng.randint(10, 28)}_{rng.randint(100000, 999999)}.html">'
        f"{agency}{y}年政府信息公开工作年度报告</a><span>{y + 1}-01-{rng.randint(10, 28)}</span></li>"
        for y in range(year, year - 6, -1))
    return title, (f'<div class="position">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>'
                   f'<ul class="list">{items}</ul><div class="page">共1页 首页 上一页 下一页 尾页</div>')


def _half_year_stats(agency: str, year: int, rng: random.Random) -> tuple[str, str]:
    title = f"{agency}{year}年上半年政府信息公开数据统计"
    rows = "".join(f"<tr><td>{n}</td><td>{rng.randint(0, 40)}</td></tr>"
                   for n in ("主动公开政府信息数", "收到政府信息公开申请数", "予以公开", "行政复议", "行政诉讼"))
    return title, (_p(f"现将{agency}{year}年1月至6月政府信息公开有关数据公布如下：") +
                   f"<table border=1><tr><td>统计指标</td><td>数量</td></tr>{rows}</table>")


def _gov_work_report(agency: str, year: int, rng: random.Random) -> str:
    place = agency.replace("人民政府办公室", "").replace("人民政府", "")
    return "\n".join([
        "政府工作报告",
        f"——{year}年1月{rng.randint(5, 20)}日在{place}第十届人民代表大会第三次会议上",
        "各位代表：",
        "现在，我代表人民政府向大会报告工作，请予审议，并请政协委员提出意见。",
        f"一、{year - 1}年工作回顾",
        (f"过去一年，全区地区生产总值增长{rng.randint(3, 8)}.{rng.randint(0, 9)}%，"
        "一般公共预算收入稳步增长。深入推进法治政府建设，全面推进政务公开，"
        "依法做好政府信息公开工作，按时发布政府信息公开工作年度报告。"),
        f"二、{year}年主要目标任务",
        "坚持稳中求进工作总基调，着力扩大内需，持续优化营商环境，切实保障和改善民生。",
        "三、加强政府自身建设", "各位代表！新征程上，我们要……", ""])


def _blank_template(seed: int) -> bytes:
    """The format notice with its tables: every label, no numbers (the 30号 attachment)."""
    from tests.fixturegen.render_docx import render_docx

    fig = make_figures(seed, "2021", blanks="none")
    fig.printed = {k: "" for k in fig.printed}
    fig.values = {k: None for k in fig.values}
    fig.title = "国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知"
    fig.agency = "国务院办公厅政府信息与政务公开办公室"
    fig.basis = ("国办公开办函〔2021〕30号　各省、自治区、直辖市人民政府办公厅，国务院各部委、各直属机构"
                 "办公厅（室）：为进一步规范政府信息公开工作年度报告的编制发布，现将修订后的"
                 "《中华人民共和国政府信息公开工作年度报告格式》印发给你们，请自2021年度起遵照执行。")
    fig.sections = {"overview": "（一）主动公开。（填写说明：此处简要说明本机关本年度主动公开政府信息情况）",
                    "problems": "（填写说明：说明本机关存在的主要问题及改进情况）",
                    "other": "（填写说明：说明本机关收取信息处理费等情况）"}
    fig.published_date = "2021-09-29"
    return render_docx(fig)
