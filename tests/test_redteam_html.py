"""Red-team: annual reports in page layouts real CMSs produce, which the fixture generator does not.

Each case builds one page from a known set of figures (:func:`truth`, consistent by construction
and independent of tests/fixturegen), parses it with the real parser and compares every table
cell and the metadata. Layouts come from real practice (docs/format.md §6/§7): Hanweb and TRS
article pages with a 索引号/发布机构/发布日期 table above the article, Word-exported HTML
(``<o:p>``, ``mso-`` styles), table 三 with one flat header row, table 四 printed transposed,
counts with units and notes, Chinese-numeral years and dates, region-wide 人民政府 reports.

Run one case by hand::

    .venv/bin/python -m pytest -q tests/test_redteam_html.py -k hanweb
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document

ORG = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
       "legal_service_org", "other_org")
COLS = ORG + ("total",)
WITHHELD = ("withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
            "withheld_third_party_rights", "withheld_internal_affairs",
            "withheld_process_information", "withheld_enforcement_files",
            "withheld_administrative_query")
UNAVAILABLE = ("unavailable_not_held", "unavailable_needs_creation",
               "unavailable_unclear_after_correction")
NOT_PROCESSED = ("not_processed_complaint", "not_processed_duplicate", "not_processed_publication",
                 "not_processed_excessive", "not_processed_confirmation")
OTHER_2021 = ("other_no_correction", "other_unpaid_fee", "other_other")
REVIEW_COLS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")

# Printed labels (official wording) of table 三's rows, as (group label, sub label).
LABELS_2021 = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "三、本年度办理结果|（一）予以公开"),
    ("partially_granted", "|（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", "|（三）不予公开|1.属于国家秘密"),
    ("withheld_prohibited_by_law", "||2.其他法律行政法规禁止公开"),
    ("withheld_security_stability", "||3.危及“三安全一稳定”"),
    ("withheld_third_party_rights", "||4.保护第三方合法权益"),
    ("withheld_internal_affairs", "||5.属于三类内部事务信息"),
    ("withheld_process_information", "||6.属于四类过程性信息"),
    ("withheld_enforcement_files", "||7.属于行政执法案卷"),
    ("withheld_administrative_query", "||8.属于行政查询事项"),
    ("unavailable_not_held", "|（四）无法提供|1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "||2.没有现成信息需要另行制作"),
    ("unavailable_unclear_after_correction", "||3.补正后申请内容仍不明确"),
    ("not_processed_complaint", "|（五）不予处理|1.信访举报投诉类申请"),
    ("not_processed_duplicate", "||2.重复申请"),
    ("not_processed_publication", "||3.要求提供公开出版物"),
    ("not_processed_excessive", "||4.无正当理由大量反复申请"),
    ("not_processed_confirmation", "||5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "|（六）其他处理|1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "||2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "||3.其他"),
    ("results_total", "|（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]


def result_rows(fmt: str) -> list[str]:
    other = list(OTHER_2021) if fmt == "2021" else ["other_handling"]
    return ["granted", "partially_granted", *WITHHELD, *UNAVAILABLE, *NOT_PROCESSED, *other]


def truth(fmt: str = "2021", seed: int = 1) -> dict:
    """Figures for one report, every rule of format.md §5 holding; distinct non-zero values."""
    requests: dict[str, dict] = {}
    for r, row in enumerate(result_rows(fmt)):
        vals = {c: (r * 7 + i * 3 + seed) % 11 + (1 if (r + i) % 3 else 0) for i, c in enumerate(ORG)}
        requests[row] = vals
    results_total = {c: sum(requests[row][c] for row in result_rows(fmt)) for c in ORG}
    carried_over = {c: (i + seed) % 4 + 1 for i, c in enumerate(ORG)}
    carried_forward = {c: (i * 2 + seed) % 5 + 1 for i, c in enumerate(ORG)}
    new_received = {c: results_total[c] + carried_forward[c] - carried_over[c] for c in ORG}
    requests.update(results_total=results_total, carried_over=carried_over,
                    carried_forward=carried_forward, new_received=new_received)
    for vals in requests.values():
        vals["total"] = sum(vals[c] for c in ORG)
    review = {}
    for r, row in enumerate(REVIEW_ROWS):
        vals = {c: r * 9 + i * 2 + seed % 3 for i, c in enumerate(REVIEW_COLS[:4])}
        vals["total"] = sum(vals.values())
        review[row] = vals
    if fmt == "2021":
        active = {"rules": {"issued": 2, "repealed": 1, "in_force": 17},
                  "normative_documents": {"issued": 23, "repealed": 4, "in_force": 156},
                  "administrative_licensing": {"decisions": 1289},
                  "administrative_penalty": {"decisions": 47},
                  "administrative_coercion": {"decisions": None},
                  "administrative_fees": {"amount_10k_yuan": 1.5}}
    else:
        active = {"rules": {"new_made": 3, "new_published": 3, "total_published": 41},
                  "normative_documents": {"new_made": 12, "new_published": 11, "total_published": 230},
                  "administrative_licensing": {"prev_year_items": 86, "change": -4, "decisions": 2310},
                  "other_external_services": {"prev_year_items": 15, "change": 2, "decisions": 77},
                  "administrative_penalty": {"prev_year_items": 120, "change": None, "decisions": 58},
                  "administrative_coercion": {"prev_year_items": 9, "change": 0, "decisions": 6},
                  "administrative_fees": {"prev_year_items": 2, "change": -1},
                  "centralized_procurement": {"items": 14, "amount_10k_yuan": 356.72}}
    return {"active": active, "requests": requests, "review_litigation": review}


# ---------------------------------------------------------------- rendering helpers

def esc(text: str) -> str:
    return html.escape(text, quote=False)


def td(text: str, *, colspan: int = 1, rowspan: int = 1, word: bool = False) -> str:
    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    if word:  # Word "Save as web page" debris
        body = (f'<p class=MsoNormal align=center style="text-align:center;mso-line-height-rule:exactly">'
                f'<span lang=EN-US style="font-size:10.5pt;font-family:宋体;mso-bidi-font-family:宋体">'
                f'{esc(text)}</span><span style="font-size:10.5pt"><o:p></o:p></span></p>')
    else:
        body = esc(text)
    return f"<td{attrs}>{body}</td>"


def num(v, fmt_count=str) -> str:
    return "—" if v is None else fmt_count(v)


def active_2021_html(t: dict, *, word: bool, block_style: str) -> str:
    """Table 二 (2021). block_style: how the 第二十条 block headings read."""
    a = t["active"]
    heads = {"paren": ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"],
             "plain": ["第二十条第一项", "第二十条第五项", "第二十条第六项", "第二十条第八项"]}[block_style]
    rows = [f"<tr>{td(heads[0], colspan=4, word=word)}</tr>",
            "<tr>" + "".join(td(x, word=word) for x in ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")) + "</tr>"]
    for key, label in (("rules", "规章"), ("normative_documents", "行政规范性文件")):
        v = a[key]
        rows.append("<tr>" + td(label, word=word) + "".join(
            td(num(v[c]), word=word) for c in ("issued", "repealed", "in_force")) + "</tr>")
    for head, key, label in ((heads[1], "administrative_licensing", "行政许可"),
                             (heads[2], "administrative_penalty", "行政处罚"),
                             (None, "administrative_coercion", "行政强制")):
        if head:
            rows.append(f"<tr>{td(head, colspan=4, word=word)}</tr>")
            rows.append("<tr>" + td("信息内容", word=word) + td("本年处理决定数量", colspan=3, word=word) + "</tr>")
        rows.append("<tr>" + td(label, word=word) + td(num(a[key]["decisions"]), colspan=3, word=word) + "</tr>")
    rows.append(f"<tr>{td(heads[3], colspan=4, word=word)}</tr>")
    rows.append("<tr>" + td("信息内容", word=word) + td("本年收费金额（单位：万元）", colspan=3, word=word) + "</tr>")
    rows.append("<tr>" + td("行政事业性收费", word=word) + td(str(a["administrative_fees"]["amount_10k_yuan"]), colspan=3, word=word) + "</tr>")
    return '<table border="1" class=MsoNormalTable>' + "".join(rows) + "</table>"


def requests_rows(t: dict, fmt: str) -> list[tuple[list[str], str]]:
    """(label path, row key) for table 三 in print order."""
    out = []
    for key, label in LABELS_2021:
        if fmt == "2019" and key in OTHER_2021:
            if key == "other_no_correction":
                out.append((["", "（六）其他处理"], "other_handling"))
            continue
        out.append((label.split("|"), key))
    return out


def requests_html_grouped(t: dict, fmt: str, *, word: bool, cell=str) -> str:
    """Table 三 with the official two-row header and rowspans for groups."""
    head1 = ("<tr>" + td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", colspan=3, rowspan=3, word=word)
             + td("申请人情况", colspan=7, word=word) + "</tr>")
    head2 = ("<tr>" + td("自然人", rowspan=2, word=word) + td("法人或其他组织", colspan=5, word=word)
             + td("总计", rowspan=2, word=word) + "</tr>")
    head3 = "<tr>" + "".join(td(x, word=word) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")) + "</tr>"
    rows = [head1, head2, head3]
    rows += _body_rows(t, fmt, word=word, cell=cell)
    return '<table border="1">' + "".join(rows) + "</table>"


def _body_rows(t: dict, fmt: str, *, word: bool, cell=str) -> list[str]:
    req = t["requests"]
    out = []
    for path, key in requests_rows(t, fmt):
        labels = [p for p in path if p]
        depth = len(path)
        if depth == 1:
            lab = td(labels[0], colspan=3, word=word)
        elif depth == 2:
            lab = (td(labels[0], word=word) if path[0] else "") + td(path[1], colspan=2, word=word)
            if not path[0]:
                lab = td("", word=word) + td(path[1], colspan=2, word=word)
        else:
            lab = td(path[0], word=word) + td(path[1], word=word) + td(path[2], word=word)
        out.append("<tr>" + lab + "".join(td(cell(req[key][c]), word=word) for c in COLS) + "</tr>")
    return out


def requests_html_flat(t: dict, fmt: str) -> str:
    """Table 三 whose header is ONE row: 申请人情况 spelt out as seven plain column heads."""
    head = ("<tr><td colspan=3>申请人情况</td><td>自然人</td><td>商业企业</td><td>科研机构</td>"
            "<td>社会公益组织</td><td>法律服务机构</td><td>其他</td><td>总计</td></tr>")
    return "<table border=1>" + head + "".join(_body_rows(t, fmt, word=False)) + "</table>"


def review_html(t: dict, *, word: bool) -> str:
    rv = t["review_litigation"]
    h1 = ("<tr>" + td("行政复议", colspan=5, word=word) + td("行政诉讼", colspan=10, word=word) + "</tr>")
    h2 = ("<tr>" + "".join(td(x, rowspan=2, word=word) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
          + td("未经复议直接起诉", colspan=5, word=word) + td("复议后起诉", colspan=5, word=word) + "</tr>")
    h3 = "<tr>" + "".join(td(x, word=word) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2) + "</tr>"
    data = "<tr>" + "".join(td(str(rv[r][c]), word=word) for r in REVIEW_ROWS for c in REVIEW_COLS) + "</tr>"
    return '<table border="1">' + h1 + h2 + h3 + data + "</table>"


def review_html_transposed(t: dict) -> str:
    """Table 四 with one row per proceeding and the five results as columns."""
    rv = t["review_litigation"]
    head = "<tr><td colspan=2></td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>"
    cells = {r: "".join(f"<td>{rv[r][c]}</td>" for c in REVIEW_COLS) for r in REVIEW_ROWS}
    body = [f"<tr><td colspan=2>行政复议</td>{cells['review']}</tr>",
            f"<tr><td rowspan=2>行政诉讼</td><td>未经复议直接起诉</td>{cells['litigation_direct']}</tr>",
            f"<tr><td>复议后起诉</td>{cells['litigation_after_review']}</tr>"]
    return "<table border=1>" + head + "".join(body) + "</table>"


def prose(agency: str, year: int) -> dict[str, str]:
    return {
        "overview": f"<p>{year}年，{esc(agency)}深入贯彻《中华人民共和国政府信息公开条例》，"
                    f"全面推进决策、执行、管理、服务、结果公开。</p><p>（一）主动公开</p><p>全年主动公开政府信息1200余条。</p>"
                    f"<p>（二）依申请公开</p><p>依法办理政府信息公开申请。</p>",
        "problems": "<p>主要问题是公开内容不够全面。下一步将加强培训。</p>",
        "other": "<p>本年度未收取信息处理费。</p>",
    }


def page_2021(agency: str, year: int, *, shell: str, word: bool = False, block_style: str = "paren",
              flat_header: bool = False, transposed: bool = False, cell=str, fmt: str = "2021",
              title_in_body: bool = True, closing: str | None = None, heading_prefix: str = "",
              title: str | None = None, meta_date: str = "2023-01-18",
              transforms: tuple = ()) -> tuple[bytes, dict]:
    t = truth(fmt, seed=year % 7)
    title = title or f"{agency}{year}年政府信息公开工作年度报告"
    pr = prose(agency, year)
    active = active_2021_html(t, word=word, block_style=block_style) if fmt == "2021" else active_2019_html(t)
    req = requests_html_flat(t, fmt) if flat_header else requests_html_grouped(t, fmt, word=word, cell=cell)
    rev = review_html_transposed(t) if transposed else review_html(t, word=word)
    p = (lambda s: f'<p class=MsoNormal style="text-indent:32.0pt;mso-char-indent-count:2.0"><span style="font-family:仿宋_GB2312">{s}</span><o:p></o:p></p>') if word else (lambda s: f"<p>{s}</p>")
    body = []
    if title_in_body:
        body.append(f'<p align="center"><strong>{esc(title)}</strong></p>')
    body.append(p(f"本报告依据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"))
    body.append("<p>&nbsp;</p>")
    body += [p(f"{heading_prefix}一、总体情况"), pr["overview"], p(f"{heading_prefix}二、主动公开政府信息情况"), active,
             p(f"{heading_prefix}三、收到和处理政府信息公开申请情况"), req,
             p(f"{heading_prefix}四、政府信息公开行政复议、行政诉讼情况"), rev,
             p(f"{heading_prefix}五、存在的主要问题及改进情况"), pr["problems"],
             p(f"{heading_prefix}六、其他需要报告的事项"), pr["other"]]
    if closing:
        body.append(closing)
    article = "".join(body)
    for transform in transforms:
        changed = transform(article)
        assert changed != article, f"{transform.__name__} changed nothing"  # the case tests what it says
        article = changed
    page = SHELLS[shell](title, agency, article, meta_date)
    expected = dict(t, is_annual_report=True, agency=agency, year=year, format=fmt, title=title)
    return page.encode("utf-8"), expected


def active_2019_html(t: dict) -> str:
    a = t["active"]
    r = ['<tr><td colspan=4>第二十条第（一）项</td></tr>',
         "<tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>"]
    for key, label in (("rules", "规章"), ("normative_documents", "规范性文件")):
        r.append(f"<tr><td>{label}</td>" + "".join(f"<td>{num(a[key][c])}</td>" for c in ("new_made", "new_published", "total_published")) + "</tr>")
    r.append('<tr><td colspan=4>第二十条第（五）项</td></tr>')
    r.append("<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>")
    for key, label in (("administrative_licensing", "行政许可"), ("other_external_services", "其他对外管理服务事项")):
        r.append(f"<tr><td>{label}</td>" + "".join(f"<td>{num(a[key][c])}</td>" for c in ("prev_year_items", "change", "decisions")) + "</tr>")
    r.append('<tr><td colspan=4>第二十条第（六）项</td></tr>')
    r.append("<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>")
    for key, label in (("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")):
        r.append(f"<tr><td>{label}</td>" + "".join(f"<td>{num(a[key][c])}</td>" for c in ("prev_year_items", "change", "decisions")) + "</tr>")
    r.append('<tr><td colspan=4>第二十条第（八）项</td></tr>')
    r.append("<tr><td>信息内容</td><td>上一年项目数量</td><td colspan=2>本年增/减</td></tr>")
    f = a["administrative_fees"]
    r.append(f"<tr><td>行政事业性收费</td><td>{f['prev_year_items']}</td><td colspan=2>{f['change']}</td></tr>")
    r.append('<tr><td colspan=4>第二十条第（九）项</td></tr>')
    r.append("<tr><td>信息内容</td><td>采购项目数量</td><td colspan=2>采购总金额</td></tr>")
    c = a["centralized_procurement"]
    r.append(f"<tr><td>政府集中采购</td><td>{c['items']}</td><td colspan=2>{c['amount_10k_yuan']}万元</td></tr>")
    return "<table border=1>" + "".join(r) + "</table>"


def _hanweb(title: str, agency: str, article: str, date: str) -> str:
    """Hanweb article page: metadata table above #zoom; <title> is the site's name only."""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{esc(title)}">'
            f'<meta name="PubDate" content="{date} 09:30"><title>{esc(agency)}门户网站</title></head><body>'
            '<div class="header"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul></div>'
            '<table class="xxgk_table"><tr><td>索引号：</td><td>11610100MB1234567X/2023-00012</td>'
            f'<td>发布机构：</td><td>{esc(agency)}</td></tr><tr><td>主题分类：</td><td>政务公开</td>'
            f'<td>成文日期：</td><td>{date}</td></tr><tr><td>名　　称：</td><td colspan=3>{esc(title)}</td></tr>'
            f'<tr><td>文　　号：</td><td></td><td>发布日期：</td><td>{date}</td></tr></table>'
            f'<div id="zoom">{article}</div>'
            '<div class="footer">主办单位：某市人民政府办公室 网站标识码 6101000001 ICP备05004614号</div></body></html>')


def _trs(title: str, agency: str, article: str, date: str) -> str:
    """TRS page: template comments, TRS_Editor div, title only in a heading outside the article."""
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            f'<title>{esc(title)}_{esc(agency)}</title></head><body>'
            '<!--<$[标题名称]>begin--><!--<$[标题名称]>end-->'
            f'<div class="article"><h1>{esc(title)}</h1><div class="info">来源：{esc(agency)} 发布时间：{date}'
            ' 【字体：大 中 小】</div><div class="TRS_Editor"><style>.TRS_Editor P{margin-top:0}</style>'
            f'{article}</div></div><div class="share">分享到：</div></body></html>')


def _plain(title: str, agency: str, article: str, date: str) -> str:
    return (f'<html><head><meta charset="utf-8"><title>{esc(title)}</title></head><body>'
            f'<div class="content">{article}</div></body></html>')


def _gov_table(title: str, agency: str, article: str, date: str) -> str:
    """A 信息公开 page: the metadata table's labels without colons, values in the next cell."""
    y, m, d = date.split("-")
    return (f'<html><head><meta charset="utf-8"><title>{esc(title)}</title></head><body>'
            '<table class="xxgk"><tr><td>索引号</td><td>000014349/2023-00012</td><td>主题分类</td><td>综合政务</td></tr>'
            f'<tr><td>发文机关</td><td>{esc(agency)}</td><td>成文日期</td><td>{y}年{m}月{d}日</td></tr>'
            f'<tr><td>标题</td><td colspan=3>{esc(title)}</td></tr>'
            f'<tr><td>发文字号</td><td></td><td>发布日期</td><td>{y}年{m}月{d}日</td></tr></table>'
            f'<div class="pages_content">{article}</div></body></html>')


SHELLS = {"hanweb": _hanweb, "trs": _trs, "plain": _plain, "gov_table": _gov_table}


# ---------------------------------------------------------------- comparing

def diff(expected: dict, got: dict) -> list[str]:
    out = []
    for field in ("is_annual_report", "agency", "year", "format", "published_date"):
        if field in expected and got.get(field) != expected[field]:
            out.append(f"{field}: expected {expected[field]!r}, got {got.get(field)!r}")
    for table in ("active", "requests", "review_litigation"):
        for row, cols in (expected.get(table) or {}).items():
            for col, value in cols.items():
                actual = ((got.get(table) or {}).get(row) or {}).get(col, "<missing>")
                if actual != value:
                    out.append(f"{table}.{row}.{col}: expected {value!r}, got {actual!r}")
    return out


def br_lines(article: str) -> str:
    """Paragraphs become lines of one div separated by <br> (many CMS editors)."""
    out = re.sub(r"<p[^>]*>", "", article)
    return "<div>" + out.replace("</p>", "<br>\n") + "</div>"


def split_runs(article: str) -> str:
    """Word splits numbers over several runs: <td>123</td> → <td><span>1</span><span>23</span></td>."""
    return re.sub(r">(\d)(\d+)<", r"><span lang=EN-US>\1</span><span lang=EN-US>\2</span><", article)


def th_header(article: str) -> str:
    """Header cells as <th> (table 三's and 四's header rows)."""
    for word in ("申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                 "结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉"):
        article = re.sub(r"<td([^>]*)>" + word + "</td>", r"<th\1>" + word + "</th>", article)
    return article


def word_spacer_rows(article: str) -> str:
    """Word's trailing spacer row of empty zero-height cells after every table."""
    spacer = "<![if !supportMisalignedColumns]><tr height=0>" + "<td width=57 style='border:none'></td>" * 10 + "</tr><![endif]>"
    return article.replace("</table>", spacer + "</table>")


def strong_headings(article: str) -> str:
    """Section headings in <h3><strong> with a full-width space inside the number."""
    return re.sub(r"<p>([一二三四五六])、([^<]{2,20})</p>", r"<h3><strong>\1　、\2</strong></h3>", article)


def paragraphs_in_cells(article: str) -> str:
    """Every data cell carries a trailing empty paragraph (Word)."""
    return re.sub(r"<td([^>]*)>(\d+)</td>", r"<td\1><p>\2</p><p>&nbsp;</p></td>", article)


def group_rows(article: str) -> str:
    """Group labels of table 三 on rows of their own (no rowspan): （三）不予公开 then its items."""
    for group in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"):
        article = re.sub(r"<tr><td></td><td>" + group + r"</td>(<td>[^<]*</td>)",
                         r"<tr><td colspan=3>" + group + r"</td>" + "<td></td>" * 7 + r"</tr><tr><td></td><td></td>\1",
                         article)
    return article


def sidebar(article: str) -> str:
    """A related-articles box after the report listing other years' reports with dates."""
    return article + ("<div class='related'><h4>相关文章</h4><ul>"
                      "<li><a href='/a/1.html'>2021年政府信息公开工作年度报告</a><span>2022-01-28</span></li>"
                      "<li><a href='/a/2.html'>2020年政府信息公开工作年度报告</a><span>2021-01-29</span></li>"
                      "<li><a href='/a/3.html'>关于做好2019年政府信息公开工作年度报告编制工作的通知</a></li></ul></div>")


def split_active_blocks(article: str) -> str:
    """Table 二 as one small table per 第二十条 block (common on CMS pages)."""
    start = article.index("<table")
    end = article.index("</table>", start) + len("</table>")
    table = article[start:end]
    for head in ("第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第五项", "第二十条第六项",
                 "第二十条第八项"):
        table = re.sub(r"(<tr><td colspan=\"4\">" + head + ")", r"</table><p></p><table border=1>\1", table)
    return article[:start] + table + article[end:]


def numbered_cells(article: str) -> str:
    """Item numbers of table 三's sub-rows in a cell of their own: <td>1.</td><td>属于国家秘密</td>."""
    return re.sub(r"<td>(\d)\.([^<]{2,60})</td>", r"<td>\1.</td><td>\2</td>", article)


def change_words(article: str) -> str:
    """本年增/减 printed as 减4 / +2 (format.md §4)."""
    return article.replace("<td>-4</td>", "<td>减4</td>").replace("<td>2</td><td>77</td>", "<td>+2</td><td>77</td>")


LABEL_VARIANTS = (
    # wordings seen across agencies for the same official row or column
    ("一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数"),
    ("（三）不予公开", "（三）不予以公开"),
    ("3.危及“三安全一稳定”", "3.危及\"三安全一稳定\""),
    ("5.属于三类内部事务信息", "5.属于三类内部事务"),
    ("1.本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息的"),
    ("（五）不予处理", "（五）不予受理"),
    ("4.无正当理由大量反复申请", "4.无正当理由大量、反复申请"),
    ("四、结转下年度继续办理", "四、结转下年度继续办理的申请"),
    ("规章", "政府规章"),
    ("本年收费金额（单位：万元）", "本年收费金额（万元）"),
    ("结果维持", "维持"), ("结果纠正", "纠正"),
)


def label_variants(article: str) -> str:
    for official, variant in LABEL_VARIANTS:
        article = article.replace(f">{official}<", f">{variant}<")
    return article


def no_item_numbers(article: str) -> str:
    """Table 三's sub-row labels printed without their item numbers (1. 2. …)."""
    return re.sub(r"<td>\d\.([^<]{2,60})</td>", r"<td>\1</td>", article)


def no_group_numbers(article: str) -> str:
    """Group labels without （一）…（七） (予以公开, 部分公开, …, 总计)."""
    return re.sub(r"<td([^>]*)>（[一二三四五六七]）([^<]{2,40})</td>", r"<td\1>\2</td>", article)


def extra_active_rows(article: str) -> str:
    """Non-official rows in table 二 (行政确认, 其他对外管理服务事项 kept from the 2019 habit)."""
    return article.replace("<tr><td>行政处罚</td>", "<tr><td>行政确认</td><td colspan=\"3\">88</td></tr>"
                           "<tr><td>其他对外管理服务事项</td><td colspan=\"3\">99</td></tr><tr><td>行政处罚</td>", 1)


def empty_rows(article: str) -> str:
    """Word HTML's empty rows (a row of &nbsp; cells) inside tables, after every fourth row."""
    out, count = [], 0
    for piece in article.split("</tr>"):
        out.append(piece)
        count += 1
        if count % 4 == 0 and "<tr" in piece:
            out.append("</tr><tr>" + "<td>&nbsp;</td>" * 10)
    return "</tr>".join(out)


def br_in_cells(article: str) -> str:
    """Number cells with a stray <br> before or after the figure (PDF-to-HTML converters)."""
    n = 0

    def repl(m: re.Match) -> str:
        nonlocal n
        n += 1
        return f"<td{m.group(1)}>{m.group(2)}<br></td>" if n % 2 else f"<td{m.group(1)}><br>{m.group(2)}</td>"
    return re.sub(r"<td([^>]*)>(\d+)</td>", repl, article)


def headings_in_tables(article: str) -> str:
    """Headings 二、三、四 printed as the first, full-width row of their tables."""
    for head in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"):
        article = re.sub(r"<p>" + head + r"</p>(<table[^>]*>)", r"\1<tr><td colspan=\"15\">" + head + "</td></tr>", article)
    return article


def unit_count(v: int) -> str:
    return f"{v}件"


CASES = {
    # name: (kwargs for page_2021, published_date expected)
    "hanweb_word_title_in_table": (dict(agency="西安市碑林区市场监督管理局", year=2022, shell="hanweb", word=True,
                                        title_in_body=False, meta_date="2023-01-18"), "2023-01-18"),
    "hanweb_plain_blocks": (dict(agency="咸阳市秦都区教育局", year=2021, shell="hanweb", block_style="plain",
                                 meta_date="2022-01-25"), "2022-01-25"),
    "trs_flat_header_transposed": (dict(agency="宁波市鄞州区民政局", year=2023, shell="trs", flat_header=True,
                                        transposed=True, meta_date="2024-01-20"), "2024-01-20"),
    "plain_units_in_cells": (dict(agency="南昌市青山湖区卫生健康委员会", year=2022, shell="plain", cell=unit_count,
                                  closing="<p style='text-align:right'>南昌市青山湖区卫生健康委员会</p>"
                                          "<p style='text-align:right'>二〇二三年一月十八日</p>"), "2023-01-18"),
    "plain_2019_units": (dict(agency="福州市鼓楼区司法局", year=2020, shell="plain", fmt="2019", cell=unit_count,
                              closing="<p>福州市鼓楼区司法局</p><p>2021年1月29日</p>"), "2021-01-29"),
    "region_wide_chinese_year": (dict(agency="长沙市岳麓区人民政府", year=2022, shell="trs",
                                      title="长沙市岳麓区人民政府二〇二二年政府信息公开工作年度报告",
                                      meta_date="2023-03-28"), "2023-03-28"),
    "title_year_du": (dict(agency="成都市武侯区人民政府办公室", year=2023, shell="hanweb",
                           title="成都市武侯区人民政府办公室2023年度政府信息公开工作年度报告",
                           meta_date="2024-01-31"), "2024-01-31"),
    "br_lines_split_runs": (dict(agency="郑州市金水区住房保障和房地产管理局", year=2022, shell="hanweb",
                                 transforms=(br_lines, split_runs), meta_date="2023-01-16"), "2023-01-16"),
    "th_spacer_strong": (dict(agency="合肥市蜀山区财政局", year=2023, shell="plain",
                              transforms=(th_header, word_spacer_rows, strong_headings),
                              closing="<p>合肥市蜀山区财政局</p><p>2024年1月22日</p>"), "2024-01-22"),
    "paragraphs_in_cells_2019": (dict(agency="济南市历下区城市管理局", year=2019, shell="trs", fmt="2019",
                                      transforms=(paragraphs_in_cells,), meta_date="2020-02-14"), "2020-02-14"),
    "group_rows_sidebar": (dict(agency="杭州市西湖区农业农村局", year=2023, shell="trs",
                                transforms=(group_rows, sidebar), meta_date="2024-01-12"), "2024-01-12"),
    "gov_table_no_colons": (dict(agency="济宁市任城区交通运输局", year=2022, shell="gov_table", title_in_body=False,
                                 title="2022年政府信息公开工作年度报告", meta_date="2023-01-18"), "2023-01-18"),
    "publisher_only_agency": (dict(agency="苏州市吴中区水务局", year=2022, shell="hanweb",
                                   title="2022年政府信息公开工作年度报告", meta_date="2023-01-30"), "2023-01-30"),
    "year_first_title": (dict(agency="长沙市民政局", year=2022, shell="plain",
                              title="2022年度长沙市民政局政府信息公开工作年度报告",
                              closing="<p>长沙市民政局</p><p>二○二三年一月二十日</p>"), "2023-01-20"),
    "split_active_blocks": (dict(agency="中共宁波市委机构编制委员会办公室", year=2022, shell="trs",
                                 transforms=(split_active_blocks,), meta_date="2023-01-10"), "2023-01-10"),
    "numbered_cells": (dict(agency="天津市河西区退役军人事务局", year=2021, shell="plain",
                            transforms=(numbered_cells,),
                            closing="<p>天津市河西区退役军人事务局</p><p>2022年1月27日</p>"), "2022-01-27"),
    "change_words_2019": (dict(agency="石家庄市长安区发展和改革局", year=2019, shell="hanweb", fmt="2019",
                               transforms=(change_words,), meta_date="2020-03-05"), "2020-03-05"),
    "label_variants": (dict(agency="厦门市思明区交通运输局", year=2022, shell="plain", transforms=(label_variants,),
                            closing="<p>厦门市思明区交通运输局</p><p>2023年1月31日</p>"), "2023-01-31"),
    "no_item_numbers": (dict(agency="昆明市五华区林业和草原局", year=2023, shell="plain", transforms=(no_item_numbers,),
                             closing="<p>昆明市五华区林业和草原局</p><p>2024年1月26日</p>"), "2024-01-26"),
    "no_group_numbers": (dict(agency="贵阳市云岩区统计局", year=2022, shell="plain", transforms=(no_group_numbers,),
                              closing="<p>贵阳市云岩区统计局</p><p>2023年1月12日</p>"), "2023-01-12"),
    "no_numbers_at_all": (dict(agency="兰州市城关区审计局", year=2023, shell="plain",
                               transforms=(no_item_numbers, no_group_numbers),
                               closing="<p>兰州市城关区审计局</p><p>2024年1月18日</p>"), "2024-01-18"),
    "extra_active_rows": (dict(agency="银川市兴庆区应急管理局", year=2022, shell="plain", transforms=(extra_active_rows,),
                               closing="<p>银川市兴庆区应急管理局</p><p>2023年1月20日</p>"), "2023-01-20"),
    "empty_rows_br_cells": (dict(agency="呼和浩特市新城区住房和城乡建设局", year=2021, shell="plain",
                                 transforms=(empty_rows, br_in_cells),
                                 closing="<p>呼和浩特市新城区住房和城乡建设局</p><p>2022年1月25日</p>"), "2022-01-25"),
    "headings_in_tables": (dict(agency="海口市美兰区旅游和文化广电体育局", year=2022, shell="plain",
                                transforms=(headings_in_tables,),
                                closing="<p>海口市美兰区旅游和文化广电体育局</p><p>2023年1月17日</p>"), "2023-01-17"),
}


TITLES = {
    # A printed title → (agency, year) the parser must read from it (format.md §7).
    "XX市商务局2022年政府信息公开工作年度报告（更正版）": ("XX市商务局", 2022),
    "XX市商务局2022年政府信息公开工作年度报告(2023年1月修订)": ("XX市商务局", 2022),
    "【年度报告】XX市商务局2022年政府信息公开工作年度报告": ("XX市商务局", 2022),
    "XX市商务局政府信息公开工作年度报告（二〇二二年）": ("XX市商务局", 2022),
    "中共宁波市委机构编制委员会办公室2022年政府信息公开工作年度报告": ("中共宁波市委机构编制委员会办公室", 2022),
    "贵阳市云岩区统计局2022年政府信息公开年度工作报告": ("贵阳市云岩区统计局", 2022),
    "本溪市财政局2021年政府信息公开工作年度报告": ("本溪市财政局", 2021),
}


@pytest.mark.parametrize("title", sorted(TITLES))
def test_title_variants(title: str) -> None:
    from parsers.metadata import match_title
    m = match_title(title)
    assert m is not None and (m.agency, m.year) == TITLES[title]


def test_hanweb_url_date_is_the_last_resort() -> None:
    page, _ = page_2021(agency="温州市鹿城区应急管理局", year=2022, shell="plain")
    got = parse_document(page, "text/html", "http://www.lucheng.gov.cn/art/2023/1/9/art_1229_456.html")
    assert got["published_date"] == "2023-01-09"


@pytest.mark.parametrize("name", sorted(CASES))
def test_layout(name: str) -> None:
    kwargs, date = CASES[name]
    page, expected = page_2021(**kwargs)
    expected["published_date"] = date
    got = parse_document(page, "text/html; charset=utf-8", f"http://example.gov.cn/{name}.html")
    problems = diff(expected, got)
    assert not problems, f"{name}: {len(problems)} wrong: " + "; ".join(problems[:12])


CLOSING_DATES = {
    "二〇二三年元月十八日": "2023-01-18",
    "2023年元月18日": "2023-01-18",
    "2023年01月18日": "2023-01-18",
    "二O二三年一月十八日": "2023-01-18",
    "2023 年 1 月 18 日": "2023-01-18",
}


@pytest.mark.parametrize("printed", sorted(CLOSING_DATES))
def test_closing_date_forms(printed: str) -> None:
    agency = "大连市沙河口区司法局"
    page, _ = page_2021(agency=agency, year=2022, shell="plain",
                        closing=f"<p>{agency}</p><p>{printed}</p><p>（此件公开发布）</p>")
    got = parse_document(page, "text/html", "x.html")
    assert (got["published_date"], got["agency"]) == (CLOSING_DATES[printed], agency)


def test_place_titled_region_report_takes_the_signing_government() -> None:
    """长沙市岳麓区2022年… signed 长沙市岳麓区人民政府: the agency is the government, not the place."""
    page, _ = page_2021(agency="长沙市岳麓区人民政府", year=2022, shell="plain",
                        title="长沙市岳麓区2022年政府信息公开工作年度报告",
                        closing="<p>长沙市岳麓区人民政府</p><p>2023年3月28日</p>")
    got = parse_document(page, "text/html", "x.html")
    assert (got["agency"], got["year"], got["published_date"]) == ("长沙市岳麓区人民政府", 2022, "2023-03-28")


def unmerged_blank_totals(article: str) -> str:
    """Table 三 drawn as a plain grid (label cells not merged: empty cells fill the label
    columns) with every 总计 cell left blank, as 上海市政府办公厅 2019 left its totals."""
    start = article.index("（本列数据的勾稽关系")
    end = article.index("</table>", start)
    table = article[start:end]
    table = re.sub(r'<td colspan="3">([^<]*)</td>', r"<td>\1</td><td></td><td></td>", table)
    table = re.sub(r'<td colspan="2">([^<]*)</td>', r"<td>\1</td><td></td>", table)
    table = re.sub(r"<td>\d+</td></tr>", "<td></td></tr>", table)  # the last cell of a row: 总计
    return article[:start] + table + article[end:]


def test_plain_grid_with_blank_totals() -> None:
    page, expected = page_2021(agency="上海市黄浦区人民政府办公室", year=2019, shell="plain", fmt="2019",
                               transforms=(unmerged_blank_totals,),
                               closing="<p>上海市黄浦区人民政府办公室</p><p>2020年1月31日</p>")
    for row in expected["requests"].values():
        row["total"] = None
    expected["published_date"] = "2020-01-31"
    got = parse_document(page, "text/html", "x.html")
    problems = diff(expected, got)
    assert not problems, f"{len(problems)} wrong: " + "; ".join(problems[:12])


@pytest.mark.parametrize("source", ["中国长沙", "长沙市人民政府网"])
def test_site_names_in_source_line_are_not_agencies(source: str) -> None:
    """TRS pages print 来源：{site}; a city portal's name (中国长沙, …人民政府网) is no agency."""
    page, _ = page_2021(agency=source, year=2022, shell="trs", title="2022年政府信息公开工作年度报告",
                        meta_date="2023-01-20")
    got = parse_document(page, "text/html", "x.html")
    assert (got["is_annual_report"], got["agency"], got["year"]) == (True, None, 2022)


def test_statistics_period_in_chinese_numerals_gives_the_year() -> None:
    """A title without a year; the only year is the statistics period, printed in Chinese
    numerals as signed documents print dates."""
    def chinese_period(article: str) -> str:
        article = article.replace("2022年，", "本年度，")  # no Arabic year left in the body
        return re.sub(r"自\d{4}年1月1日起至\d{4}年12月31日止", "自二〇二二年一月一日起至二〇二二年十二月三十一日止", article)
    page, _ = page_2021(agency="佛山市南海区水利局", year=2022, shell="plain", title="佛山市南海区水利局政府信息公开工作年度报告",
                        transforms=(chinese_period,))
    got = parse_document(page, "text/html", "x.html")
    assert (got["is_annual_report"], got["year"], got["format"]) == (True, 2022, "2021")
