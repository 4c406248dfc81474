"""Red-team webs, round 3: neighbours of real government sites the earlier rounds did not draw.

Built on round 2's loopback proxy (``tests/redteam_web2.Net``: virtual hosts, computed answers,
``net.expected``); each builder returns ``(net, seed hosts)`` for ``tests/test_redteam_crawl4.py``.

- :func:`split_web`: report articles split over several pages (``t…_1.html``, ``content_2.html``,
  ``index_1.html`` inside an article, ``?page=2``), table 三 on page 2, 上一篇/下一篇 between reports;
- :func:`aspnet_web`: ASP.NET lists with a session cookie the server requires, a search form with a
  view state of its own before the list's form, entity-encoded hidden fields, pager targets named in
  pinyin (``rptFenye$ctl03$lbtn``, ``xyy``), submit-button pagers (``btnXyy`` = 下一页) and a
  page-jump DropDownList posting back on change;
- :func:`families_web`: year tabs (``?year=2021`` and ``/2021/`` links that say only ``2021``), a
  信息公开目录 whose tree and node lists come from JSON APIs (the list page reads ``nodeId`` from its
  own URL), ``onclick="openFile('../../upload/…')"`` attachments, a column reached only through the
  网站地图 page or ``sitemap.xml``, GBK pages without charset under a relative ``<base href>``,
  attachments on another ``.gov.cn`` host, year tabs reloading the list through an API, and a
  目录 tree kept as an inline zTree array.

    net, seeds = split_web()
    with net:
        ...   # crawl through net.proxy_url
"""

from __future__ import annotations

import json
import re
import secrets
from urllib.parse import parse_qs

from tests.fixturegen import render
from tests.redteam_web2 import Answer, Net, Request
from tests.test_redteam_crawl2 import DEPTS, fig, lookalike_page

FRAME = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
         '<div class="top"><a href="/">首页</a> <a href="/xwzx/">新闻中心</a> <a href="/hdjl/">互动交流</a></div>'
         '{body}<div class="foot"><a href="/wzdt/">网站地图</a> 主办单位：{site} 版权所有</div></body></html>')


def frame(title: str, body: str, site: str = "人民政府") -> bytes:
    return FRAME.format(title=title, body=body, site=site).encode("utf-8")


def report_parts(fig_, style: str, cuts: tuple[str, ...]) -> list[str]:
    """The body of fixturegen's HTML report cut before the paragraph of each section heading in ``cuts``."""
    html = render(fig_, "html", style).decode("utf-8")
    body = re.search(r"<body[^>]*>(.*)</body>", html, re.DOTALL | re.IGNORECASE).group(1)
    parts, rest = [], body
    for cut in cuts:
        i = rest.rfind("<p", 0, rest.find(cut))     # the paragraph holding the section's heading
        assert i > 0, cut
        parts.append(rest[:i])
        rest = rest[i:]
    return [*parts, rest]


# ---- web 1: articles split over pages ------------------------------------------------------------
def shown(f, scheme: str) -> str:
    """The title a page and its list show: the content.html article's without its year (as some
    sites title every year's report alike; the year is only in the report's own text)."""
    return re.sub(r"\d{4}\s*年度?", "", f.title) if scheme == "content" else f.title


def split_web() -> tuple[Net, list[str]]:
    """A county whose 年报 articles come in 2–3 pages, four URL schemes; one report unsplit."""
    net = Net()
    www = net.host("www.fjxian.gov.cn", robots="User-agent: *\nDisallow: /admin/\n")
    county = "分界县"
    www.html("/", f"{county}人民政府", '<a href="/zwgk/">政务公开</a> <a href="/xwzx/">新闻中心</a>')
    www.html("/zwgk/", "政务公开", '<a href="/zwgk/nb/">政府信息公开年报</a> <a href="/zwgk/zcwj/">政策文件</a>')
    cut3 = ("三、收到和处理",)
    cut34 = ("三、收到和处理", "四、因政府信息公开")
    plans = [  # (scheme, department, year, style, cuts)
        ("trs", "教育局", 2023, "official", cut3),
        ("trs", "财政局", 2022, "trs", cut34),
        ("content", "民政局", 2023, "official", cut34),    # titled without its year
        ("query", "司法局", 2021, "word", cut3),
        ("index", "水务局", 2022, "official", cut3),
        ("query", "审计局", 2023, "official", cut34),
        ("whole", "商务局", 2023, "official", ()),
        ("script", "林业局", 2024, "official", cut34),    # TRS: createPageHTML(3, n, "t…", "html") only
        ("gbk", "档案局", 2022, "word", cut3),           # GBK pages, charset only in <meta>
    ]
    arts = []
    for k, (scheme, dept, year, style, cuts) in enumerate(plans):
        agency = county + dept
        f = fig(4100 + k, year, agency)
        parts = report_parts(f, style, cuts)
        if scheme in ("trs", "script", "gbk"):   # t20240115_4100.html, t20240115_4100_1.html, …_2.html
            base = f"/zwgk/nb/{year + 1}01/t{year + 1}0115_{4100 + k}"
            urls = [f"{base}.html"] + [f"{base}_{i}.html" for i in range(1, len(parts))]
        elif scheme == "content":  # …/content.html, content_2.html, content_3.html
            base = f"/zwgk/nb/{year}/mzj/"
            urls = [f"{base}content.html"] + [f"{base}content_{i + 1}.html" for i in range(1, len(parts))]
        elif scheme == "index":    # an article kept as a directory: index.html, index_1.html
            base = f"/zwgk/nb/{year}/swj{k}/"
            urls = [f"{base}index.html"] + [f"{base}index_{i}.html" for i in range(1, len(parts))]
        elif scheme == "query":    # detail.aspx?id=N&page=2
            urls = [f"/zwgk/nb/detail.aspx?id={7700 + k}"] + [
                f"/zwgk/nb/detail.aspx?id={7700 + k}&page={i + 1}" for i in range(1, len(parts))]
        else:
            urls = [f"/zwgk/nb/{year + 1}01/t{year + 1}0201_{4100 + k}.html"]
        arts.append((f, urls, parts, scheme))
        net.expect(f, "html", style, www.url(urls[0]))
    # a lookalike on the list, itself split over two pages (the compile notice): never stored
    notice = "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知"
    for k, (f, urls, parts, scheme) in enumerate(arts):
        prev_ = arts[k - 1] if k else None
        next_ = arts[k + 1] if k + 1 < len(arts) else None
        for i, (url, part) in enumerate(zip(urls, parts, strict=True)):
            n = len(urls)
            if n == 1:
                pager = ""
            elif scheme == "script":           # the pager is drawn by TRS's script from the page count
                stem = urls[0].rsplit("/", 1)[1].rsplit(".", 1)[0]
                pager = f'<script>createPageHTML({n}, {i}, "{stem}", "html");</script>'
            elif scheme in ("trs", "index", "gbk"):   # numbers and 下一页, relative
                rel = [u.rsplit("/", 1)[1] for u in urls]
                pager = " ".join(f'<a href="{rel[j]}">{j + 1}</a>' if j != i else f"<span>{j + 1}</span>"
                                 for j in range(n))
                pager += f' <a href="{rel[i + 1]}">下一页</a>' if i + 1 < n else ""
            elif scheme == "content":          # only 下一页 / 上一页 at the bottom of the body
                pager = (f'<a href="{urls[i - 1]}">上一页</a> ' if i else "") + (
                    f'<a href="{urls[i + 1]}">下一页</a>' if i + 1 < n else "")
            else:                              # 第1页 共3页 with ?page=N
                pager = f"第{i + 1}页 共{n}页 " + " ".join(
                    f'<a href="{urls[j]}">{"首页" if j == 0 else j + 1}</a>' for j in range(n) if j != i)
            nav = ""
            if prev_:
                nav += f'<p>上一篇：<a href="{prev_[1][0]}">{prev_[0].title}</a></p>'
            if next_:
                nav += f'<p>下一篇：<a href="{next_[1][0]}">{next_[0].title}</a></p>'
            body = (f'<h1 class="title">{shown(f, scheme)}</h1><div class="info">发布日期：{f.year + 1}-01-15</div>'
                    f'<div class="TRS_Editor">{part}</div><div class="page" align="center">{pager}</div>'
                    f'<div class="pn">{nav}</div>')
            if scheme == "gbk":
                page = frame(shown(f, scheme), body).decode("utf-8").replace('<meta charset="utf-8">',
                                                                    '<meta charset="gb2312">')
                www.static(url, page.encode("gbk", "xmlcharrefreplace"), "text/html")
            else:
                www.static(url, frame(shown(f, scheme), body))
    # an article whose ?page=N answers page 2 again for every N ≥ 2, each with 下一页 to N + 1
    f = fig(4190, 2024, county + "统计局")
    first, rest = report_parts(f, "official", cut3)
    net.expect(f, "html", "official", www.url("/zwgk/nb/detail.aspx?id=7790"))

    def endless(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("id") != "7790":
            return Answer(404, b"<h1>404</h1>")
        n = int(q["page"]) if q.get("page", "").isdigit() else 1
        part = first if n == 1 else rest
        body = (f'<h1>{f.title}</h1><div class="TRS_Editor">{part}</div><div class="page">第{min(n, 2)}页 共2页 '
                f'<a href="/zwgk/nb/detail.aspx?id=7790&amp;page={n + 1}">下一页</a></div>')
        return Answer(body=frame(f.title, body))

    www.route("/zwgk/nb/detail.aspx", endless)
    arts.append((f, ["/zwgk/nb/detail.aspx?id=7790"], [first], "endless"))
    www.static("/zwgk/nb/tz/1.html", frame(notice, f"<h1>{notice}</h1><p>各单位：请于1月31日前报送。</p>"
                                                   '<div class="page"><a href="/zwgk/nb/tz/1_1.html">下一页</a></div>'))
    www.static("/zwgk/nb/tz/1_1.html", frame(notice, "<p>附件：年度报告格式</p>"))
    rows = [f'<li><a href="{urls[0]}">{shown(f, s)}</a><span>{f.year + 1}-01-15</span></li>' for f, urls, _p, s in arts]
    rows.append(f'<li><a href="/zwgk/nb/tz/1.html">{notice}</a><span>2023-12-01</span></li>')
    # the list is drawn per request from ``net.listing``: add_split_article puts a new report on it
    net.listing = rows          # type: ignore[attr-defined]
    www.route("/zwgk/nb/", lambda _req: Answer(body=frame("政府信息公开年报", f'<ul class="list">{"".join(rows)}</ul>')))
    return net, ["www.fjxian.gov.cn"]


def add_split_article(net: Net, dept: str, year: int, seed: int) -> str:
    """Post a new two-page report (TRS ``t…_N.html`` + ``t…_N_1.html``) at the top of split_web's
    list, as the next night finds it; returns its first page's URL."""
    www = net.hosts["www.fjxian.gov.cn"]
    f = fig(seed, year, "分界县" + dept)
    first, rest = report_parts(f, "official", ("三、收到和处理",))
    base = f"/zwgk/nb/{year + 1}02/t{year + 1}0201_{seed}"
    for i, part in enumerate((first, rest)):
        pager = '<a href="t{0}0201_{1}_1.html">下一页</a>'.format(year + 1, seed) if i == 0 else ""
        www.static(f"{base}_1.html" if i else f"{base}.html", frame(f.title, f'<h1>{f.title}</h1><div class="TRS_Editor">'
                                                                    f'{part}</div><div class="page">{pager}</div>'))
    net.expect(f, "html", "official", www.url(f"{base}.html"))
    net.listing.insert(0, f'<li><a href="{base}.html">{f.title}</a><span>{year + 1}-02-01</span></li>')  # type: ignore[attr-defined]
    return www.url(f"{base}.html")


# ---- web 2: ASP.NET lists with the weak points of round 3 ----------------------------------------
PER_PAGE = 2


def aspnet_site(net: Net, host_name: str, county: str, pages: int, pager: str, seed: int) -> None:
    """One county: 年报 list at ``/gk/nb/list.aspx`` answering POSTs only with its session cookie."""
    www = net.host(host_name)
    www.html("/", f"{county}人民政府", '<a href="/gk/nb/list.aspx?cid=7">政府信息公开工作年度报告</a>'
             ' <a href="/xwzx/">新闻中心</a> <a href="/hdjl/">互动交流</a>')
    items = []
    for i in range(pages * PER_PAGE):
        agency, year = f"{county}{DEPTS[i]}", 2020 + i % 5
        f = fig(seed + i, year, agency)
        target = f"/gk/nb/show.aspx?id={seed + i}"
        www.report(target, f, "html", ("official", "word")[i % 2])
        items.append((target, f.title))
    sessions: set[str] = set()

    def page(n: int) -> bytes:
        rows = "".join(f'<tr><td><a href="{t}" target="_blank">{title}</a></td><td>2024-01-0{k + 1}</td></tr>'
                       for k, (t, title) in enumerate(items[(n - 1) * PER_PAGE:n * PER_PAGE]))
        if pager == "repeater":     # LinkButtons in a Repeater named in pinyin: 分页 and 下一页 (xyy)
            nav = " ".join(f"<a id=\"ctl00_cphMain_rptFenye_ctl0{k}_lbtn\" href=\"javascript:__doPostBack("
                           f"'ctl00$cphMain$rptFenye$ctl0{k}$lbtn','')\">{k}</a>" if k != n else f"<b>{k}</b>"
                           for k in range(1, pages + 1))
            nav += " <a href=\"javascript:__doPostBack('ctl00$cphMain$xyy','')\">下一页</a>"
        elif pager == "select":     # a page-jump DropDownList with AutoPostBack, nothing else
            chosen = ' selected="selected"'
            options = "".join(f'<option value="{k}"{chosen if k == n else ""}>{k}</option>' for k in range(1, pages + 1))
            nav = ("转到第<select name=\"ctl00$cphMain$ddlPage\" onchange=\"javascript:setTimeout(&#39;__doPostBack("
                   f"\\&#39;ctl00$cphMain$ddlPage\\&#39;,\\&#39;\\&#39;)&#39;, 0)\">{options}</select>页")
        else:                       # submit buttons: the button's name=value is the event
            nav = (f"<span>第{n}页</span> <input type=\"submit\" name=\"ctl00$cphMain$btnXyy\" value=\"下一页\" />"
                   "<input type=\"submit\" name=\"ctl00$cphMain$btnWy\" value=\"尾页\" />")
        state = f"&#47;wEPDwUK{n}MTY&#43;c2="       # /wEPDwUK{n}MTY+c2= as lxml reads it
        body = ('<form method="post" action="/search.aspx" id="frmSearch">'
                '<input type="hidden" name="__VIEWSTATE" value="/wEPsearchONLY=" />'
                '<input type="text" name="kw" value="" /><a href="javascript:__doPostBack(\'btnSo\',\'\')">搜索</a>'
                '</form>'
                '<form method="post" action="./list.aspx?cid=7" id="aspnetForm">'
                '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
                '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />'
                f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{state}" />'
                '<input type="hidden" name="__VIEWSTATEGENERATOR" value="C2EE9ABB" />'
                f'<input type="hidden" name="__EVENTVALIDATION" value="&#47;wEdAA{n}x&#43;Y=" />'
                '<input type="hidden" name="ctl00$cphMain$hidLm" value="&quot;年报&quot;&amp;&lt;7&gt;" />'
                '<input type="text" name="ctl00$cphMain$txtKey" value="" />'
                f'<h2>政府信息公开工作年度报告</h2><table class="list">{rows}</table>'
                f'<div class="pager">{nav}</div></form>'
                "<script>var theForm = document.forms['aspnetForm'];</script>")
        return (f"<html><head><title>政府信息公开工作年度报告-{county}</title></head><body>{body}</body></html>").encode()

    def answer(req: Request) -> Answer:
        if req.method == "GET":
            sid = secrets.token_hex(12)
            sessions.add(sid)
            return Answer(body=page(1), headers={"Set-Cookie": f"ASP.NET_SessionId={sid}; path=/; HttpOnly"})
        cookie = re.search(r"ASP\.NET_SessionId=(\w+)", req.headers.get("cookie", ""))
        if cookie is None or cookie.group(1) not in sessions:
            return Answer(302, b"", headers={"Location": "/error.aspx?aspxerrorpath=/gk/nb/list.aspx"})
        form = {k: v[0] for k, v in parse_qs(req.body.decode(), keep_blank_values=True).items()}
        state = form.get("__VIEWSTATE", "")
        m = re.fullmatch(r"/wEPDwUK(\d+)MTY\+c2=", state)
        if m is None or not form.get("__EVENTVALIDATION", "").startswith("/wEdAA") \
                or form.get("ctl00$cphMain$hidLm") != '"年报"&<7>':
            return Answer(500, b"<h1>Validation of viewstate MAC failed.</h1>")
        current, target = int(m.group(1)), form.get("__EVENTTARGET", "")
        rep = re.fullmatch(r"ctl00\$cphMain\$rptFenye\$ctl0(\d)\$lbtn", target)
        if rep:
            n = int(rep.group(1))
        elif target == "ctl00$cphMain$ddlPage" and form.get("__EVENTARGUMENT") == "":
            n = int(form.get("ctl00$cphMain$ddlPage", "1"))
        elif target == "ctl00$cphMain$xyy" or "ctl00$cphMain$btnXyy" in form:
            n = min(current + 1, pages)
        elif "ctl00$cphMain$btnWy" in form:
            n = pages
        else:
            return Answer(500, b"<h1>Invalid postback or callback argument.</h1>")
        return Answer(body=page(min(max(n, 1), pages)))

    www.route("/gk/nb/list.aspx", answer)
    www.html("/error.aspx", "出错了", "<p>会话已过期，请重新打开页面。</p>")


def aspnet_web() -> tuple[Net, list[str]]:
    net = Net()
    aspnet_site(net, "www.dzxian.gov.cn", "东州县", 5, "repeater", 5100)
    aspnet_site(net, "www.xzxian.gov.cn", "西州县", 4, "buttons", 5200)
    aspnet_site(net, "www.nzxian.gov.cn", "南州县", 4, "select", 5300)
    return net, ["www.dzxian.gov.cn", "www.xzxian.gov.cn", "www.nzxian.gov.cn"]


# ---- web 3: year tabs, a JSON 目录 tree, openFile attachments, site maps, GBK + base ---------------
def years_site(net: Net, seed: int) -> None:
    """年报 column whose years are tabs: ``?year=2021`` links saying ``2021`` (latest year by default),
    and a department column whose years are sub-directories ``/2022/`` saying ``2022``."""
    www = net.host("www.nxian.gov.cn")
    county = "年县"
    www.html("/", f"{county}人民政府", '<a href="/xxgk/">信息公开</a> <a href="/xwzx/">新闻中心</a>'
             ' <a href="/hdjl/">互动交流</a>')
    www.html("/xxgk/", "信息公开", '<a href="/xxgk/gknb/">政府信息公开年报</a> <a href="/xxgk/bmnb/">部门年报</a>'
             ' <a href="/xxgk/zcwj/">政策文件</a>')
    by_year: dict[int, list[str]] = {}
    for i, y in enumerate(range(2019, 2025)):
        for j, dept in enumerate(("人民政府办公室", "发展和改革局")[:1 + (y == 2024)]):
            agency = county + dept
            f = fig(seed + 10 * i + j, y, agency)
            target = f"/xxgk/gknb/{y}/{seed + 10 * i + j}.html"
            www.report(target, f, "html", "official")
            by_year.setdefault(y, []).append(f'<li><a href="{target}">{f.title}</a></li>')
    tabs = " ".join(f'<a href="/xxgk/gknb/?year={y}" class="tab">{y}</a>' for y in sorted(by_year))

    def column(req: Request) -> Answer:
        q = parse_qs(req.query)
        y = int(q.get("year", ["2024"])[0]) if q.get("year", [""])[0].isdigit() else 2024
        body = f'<div class="tabs">{tabs}</div><ul class="list">{"".join(by_year.get(y, []))}</ul>'
        return Answer(body=frame("政府信息公开年报", body))

    www.route("/xxgk/gknb/", column)
    # the department column: /xxgk/bmnb/2022/ … each year a sub-directory, the link says only the year
    years = (2021, 2022, 2023)
    tabs2 = " ".join(f'<li><a href="/xxgk/bmnb/{y}/">{y}</a></li>' for y in years)
    # a calendar beside the tabs: day numbers are no year tabs (and the days lead nowhere useful)
    calendar = '<div class="rili">' + " ".join(f'<a href="/xxgk/rl/?d={d}">{d}</a>' for d in range(1, 29)) + "</div>"
    www.html("/xxgk/bmnb/", "部门年报", f'<ul class="years">{tabs2}</ul><p>请选择年度</p>{calendar}')
    for y in years:
        rows = []
        for j, dept in enumerate(DEPTS[8:10]):
            agency = county + dept
            f = fig(seed + 500 + 10 * y + j, y, agency)
            target = f"/xxgk/bmnb/{y}/t{y + 1}0110_{j}.html"
            www.report(target, f, "html", "word")
            rows.append(f'<li><a href="{target}" title="{f.title}">{agency}{y}年度报告</a></li>')
        www.html(f"/xxgk/bmnb/{y}/", "部门年报", f'<ul class="years">{tabs2}</ul><ul class="list">{"".join(rows)}</ul>')
    www.route("/xxgk/rl/", lambda _req: Answer(body=frame("日历", calendar)))


def tree_site(net: Net, seed: int) -> None:
    """A 信息公开 platform whose 目录 tree and node lists come from JSON APIs."""
    www = net.host("www.sxian.gov.cn")
    gk = net.host("xxgk.sxian.gov.cn", robots="User-agent: *\nDisallow: /admin/\n")
    county = "树县"
    www.html("/", f"{county}人民政府", '<a href="http://xxgk.sxian.gov.cn/xxgkml/index.html">政府信息公开目录</a>'
             ' <a href="/xwzx/">新闻中心</a> <a href="/hdjl/">互动交流</a>')
    gk.html("/xxgkml/index.html", "政府信息公开目录", '<ul id="tree" class="ztree"></ul><div id="list"></div><script>\n'
            '$.getJSON("/api/xxgkml/tree?siteId=3", function (res) {\n'
            '  $.fn.zTree.init($("#tree"), {callback: {onClick: function (e, id, node) {\n'
            '    window.location.href = "/xxgkml/list.html?nodeId=" + node.id; }}}, res.data);\n});\n</script>')
    tree = {"code": 0, "data": [
        {"id": 101, "name": "机构职能", "pId": 0, "children": []},
        {"id": 102, "name": "政策文件", "pId": 0, "children": []},
        {"id": 105, "name": "法定主动公开内容", "pId": 0, "children": [
            {"id": 1051, "name": "政府信息公开年报", "pId": 105},
            {"id": 1052, "name": "财政预决算", "pId": 105}]},
    ]}
    gk.static("/api/xxgkml/tree?siteId=3", json.dumps(tree, ensure_ascii=False).encode(), "application/json")
    gk.html("/xxgkml/list.html", "政府信息公开目录", '<ul id="list"></ul><div id="page"></div><script>\n'
            'function getQueryString(name) { var reg = new RegExp("(^|&)" + name + "=([^&]*)(&|$)");\n'
            '  var r = window.location.search.substr(1).match(reg); return r ? unescape(r[2]) : null; }\n'
            'var nodeId = getQueryString("nodeId");\n'
            'function loadList(pageNo) {\n  $.ajax({url: "/api/xxgkml/list?nodeId=" + nodeId + "&pageNo=" + pageNo,'
            ' type: "get", dataType: "json", success: function (res) { render(res.data.list, res.data.totalPage); }});\n}\n'
            'loadList(1);\n</script>')
    rows = []
    for i, dept in enumerate(DEPTS[12:16]):
        agency = county + dept
        y = 2020 + i % 5
        f = fig(seed + i, y, agency)
        target = f"/xxgkml/detail.html?infoId={seed + i}"
        gk.report(target, f, "html", "trs")
        rows.append({"title": f.title, "url": target, "publishDate": f"{y + 1}-01-18"})
    lookalike_page(gk, "/xxgkml/detail.html?infoId=1", "图解：2023年政府信息公开工作年度报告", seed)
    rows.insert(3, {"title": "图解：2023年政府信息公开工作年度报告", "url": "/xxgkml/detail.html?infoId=1"})

    def node_list(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("nodeId") != "1051":
            return Answer(200, b'{"code":0,"data":{"list":[],"totalPage":0}}', "application/json")
        p = int(q.get("pageNo", "1") or 1)
        data = {"list": rows[(p - 1) * 4:p * 4], "totalPage": -(-len(rows) // 4)}
        return Answer(200, json.dumps({"code": 0, "data": data}, ensure_ascii=False).encode(), "application/json")

    gk.route("/api/xxgkml/list", node_list)


def openfile_site(net: Net, seed: int) -> None:
    """Report pages whose attachment links are ``onclick="openFile('../../upload/…')"`` (relative to
    the page) or a page function ``downFile('202401/x.docx')`` prefixing a path; the files are on
    ``file.kxian.gov.cn``; the list is GBK without any charset and sets a relative ``<base href>``."""
    www = net.host("www.kxian.gov.cn")
    files = net.host("file.kxian.gov.cn")
    county = "开县"
    www.html("/", f"{county}人民政府", '<a href="/zwgk/">政务公开</a> <a href="/xwzx/">新闻中心</a>'
             ' <a href="/hdjl/">互动交流</a>')
    www.html("/zwgk/", "政务公开", '<a href="/zwgk/ndbg/list/">政府信息公开工作年度报告</a>')
    rows = []
    for i, dept in enumerate(DEPTS[20:23]):
        agency = county + dept
        y = 2019 + i
        f = fig(seed + i, y, agency)
        kind = ("pdf", "docx")[i % 2]
        art = f"/zwgk/ndbg/{y + 1}/0120/{seed + i}.html"
        if i % 3 == 0:       # relative to the article /zwgk/ndbg/Y/0120/: ../../upload/ → /zwgk/ndbg/upload/
            link = f"<a href=\"javascript:void(0);\" onclick=\"openFile('../../upload/{y + 1}01/P0{seed + i}.{kind}')\">"
            www.report(f"/zwgk/ndbg/upload/{y + 1}01/P0{seed + i}.{kind}", f, kind,
                       "office" if kind == "pdf" else "official")
        elif i % 3 == 1:     # a page function puts the file host in front of the path
            link = f"<a href=\"javascript:downFile('{y + 1}01/P0{seed + i}.{kind}');\">"
            files.report(f"/upload/{y + 1}01/P0{seed + i}.{kind}", f, kind, "office" if kind == "pdf" else "official")
        else:                # a plain link to the file host
            link = f'<a href="http://file.kxian.gov.cn/upload/{y + 1}01/P0{seed + i}.{kind}">'
            files.report(f"/upload/{y + 1}01/P0{seed + i}.{kind}", f, kind, "office" if kind == "pdf" else "official")
        www.html(art, f.title, f"<h1>{f.title}</h1><p>{county}{dept}{y}年政府信息公开工作年度报告全文见附件。</p>"
                 f"<p>附件：{link}{f.title}.{kind}</a></p>"
                 "<script>var fileServer = 'http://file.kxian.gov.cn/upload/';\n"
                 "function downFile(path) { window.open(fileServer + path); }\n"
                 "function openFile(url) { window.open(url); }</script>")
        rows.append(f'<li><a href="{y + 1}/0120/{seed + i}.html">{f.title}</a></li>')
    # GBK, no charset anywhere; <base href="../"> makes the rows relative to /zwgk/ndbg/
    page = ('<html><head><base href="../"><title>政府信息公开工作年度报告</title></head><body>'
            f'<h2>政府信息公开工作年度报告</h2><ul>{"".join(rows)}</ul></body></html>')
    www.static("/zwgk/ndbg/list/", page.encode("gbk"), "text/html")


def sitemap_sites(net: Net, seed: int) -> None:
    """Two counties whose 年报 column no page links but the site map: an HTML 网站地图 page (linked
    from the footer), and a ``sitemap.xml`` named in robots.txt."""
    for k, (name, county, how) in enumerate((("www.txian.gov.cn", "图县", "html"),
                                             ("www.mxian.gov.cn", "模县", "xml"))):
        robots = "User-agent: *\nDisallow: /admin/\n" + (f"Sitemap: http://{name}/sitemap.xml\n" if how == "xml" else "")
        www = net.host(name, robots=robots)
        news = " ".join(f'<a href="/xwzx/{j}.html">{county}召开第{j}次常务会议</a>' for j in range(1, 6))
        foot = '<a href="/wzdt/">网站地图</a>' if how == "html" else '<a href="/lxwm/">联系我们</a>'
        www.static("/", frame(f"{county}人民政府", f'<div class="news">{news}</div>').replace(
            b'<a href="/wzdt/">\xe7\xbd\x91\xe7\xab\x99\xe5\x9c\xb0\xe5\x9b\xbe</a>', foot.encode()))
        for j in range(1, 6):
            www.html(f"/xwzx/{j}.html", f"{county}召开第{j}次常务会议", "<p>会议研究了有关事项。</p>")
        columns = [("新闻中心", "/xwzx/"), ("政策文件", "/zc/"), ("机构概况", "/jggk/"), ("政府信息公开年报", "/gk/ndbg/"),
                   ("政府工作报告", "/zfgzbg/"), ("互动交流", "/hdjl/")]
        if how == "html":
            www.html("/wzdt/", "网站地图", "<dl>" + "".join(f'<dd><a href="{u}">{t}</a></dd>' for t, u in columns)
                     + "</dl>")
        else:
            locs = "".join(f"<url><loc>http://{name}{u}</loc><lastmod>2024-01-20</lastmod></url>"
                           for _t, u in columns)
            www.static("/sitemap.xml", ('<?xml version="1.0" encoding="UTF-8"?><urlset '
                                        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>').encode(),
                       "application/xml")
        rows = []
        for i, y in enumerate((2022, 2023, 2024)):
            f = fig(seed + 10 * k + i, y, county + "人民政府")
            www.report(f"/gk/ndbg/{seed + 10 * k + i}.html", f, "html", "official")
            rows.append(f'<li><a href="/gk/ndbg/{seed + 10 * k + i}.html">{f.title}</a></li>')
        www.html("/gk/ndbg/", "政府信息公开年报", f"<ul>{''.join(rows)}</ul>")


def script_site(net: Net, seed: int) -> None:
    """Year tabs that reload the list through an API (``onclick="loadYear(2023)"`` →
    ``$.getJSON("/api/nb/list?year=" + year)``), and a 目录 tree kept in the page as an inline
    zTree array (``var zNodes = [{id: 31, pId: 3, name: "…"}]``) whose nodes open ``list.html?cid=``."""
    www = net.host("www.yxian.gov.cn")
    county = "禹县"
    www.html("/", f"{county}人民政府", '<a href="/gkml/">政府信息公开目录</a> <a href="/xwzx/">新闻中心</a>'
             ' <a href="/hdjl/">互动交流</a>')
    www.html("/gkml/", "政府信息公开目录", '<ul id="tree" class="ztree"></ul><script>\n'
             'var zNodes = [{id: 1, pId: 0, name: "机构职能"}, {id: 3, pId: 0, name: "法定主动公开内容", open: true},\n'
             '  {id: 31, pId: 3, name: "政府信息公开年报"}, {id: 32, pId: 3, name: "财政预决算"}];\n'
             'var setting = {data: {simpleData: {enable: true}}, callback: {onClick: function (e, id, node) {\n'
             '  window.location.href = "/gkml/list.html?cid=" + node.id; }}};\n'
             '$.fn.zTree.init($("#tree"), setting, zNodes);\n</script>')
    rows: dict[int, list[dict]] = {}
    for i, y in enumerate((2023, 2024)):
        for j, dept in enumerate(DEPTS[26:28]):
            f = fig(seed + 10 * i + j, y, county + dept)
            target = f"/gkml/art/{y}/{seed + 10 * i + j}.html"
            www.report(target, f, "html", "official")
            rows.setdefault(y, []).append({"title": f.title, "url": target})
    tabs = " ".join(f'<a href="javascript:;" onclick="loadYear({y})">{y}年</a>' for y in sorted(rows, reverse=True))
    www.html("/gkml/list.html", "政府信息公开年报", f'<div class="tabs">{tabs}</div><ul id="list"></ul><script>\n'
             'function loadYear(year) {\n  $.getJSON("/api/nb/list?cid=31&year=" + year, function (res) {\n'
             '    $("#list").html(res.rows.map(function (r) { return "<li><a href=\'" + r.url + "\'>" + r.title +'
             ' "</a></li>"; }).join("")); });\n}\nloadYear(2024);\n</script>')

    def api(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        y = int(q["year"]) if q.get("year", "").isdigit() else 0
        body = {"rows": rows.get(y, []) if q.get("cid") == "31" else [], "total": len(rows.get(y, []))}
        return Answer(200, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    www.route("/api/nb/list", api)


def families_web() -> tuple[Net, list[str]]:
    net = Net()
    years_site(net, 6000)
    tree_site(net, 6200)
    openfile_site(net, 6300)
    sitemap_sites(net, 6400)
    script_site(net, 6500)
    return net, ["www.nxian.gov.cn", "www.sxian.gov.cn", "www.kxian.gov.cn", "www.txian.gov.cn", "www.mxian.gov.cn",
                 "www.yxian.gov.cn"]


WEBS = {"split": split_web, "aspnet": aspnet_web, "families": families_web}

