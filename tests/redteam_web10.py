"""Red-team webs, round 10: discovery as real CMSs write it — lists built by script, columns in
frames behind redirects, attachments with no useful URL, a 年报 column split by year with
departments' sub-sites, and the lookalikes real columns carry beside the reports.

Built on round 2's loopback proxy (``tests/redteam_web2.Net``) and round 5's ``merged``; every
report is rendered by ``tests.fixturegen`` (figures known, ``net.expected``). Each builder returns
``(net, seed hosts)``; ``tests/test_redteam_crawl10.py`` crawls them together.

- :func:`scripts_web`: a 年报 list whose rows are drawn by script from ``var data = [{title: …,
  url: …}]`` (unquoted keys, a loop writing ``innerHTML``; an 一图读懂 among them), a
  ``document.write('<li><a href=…')`` row, a ``<li onclick="window.open('…')">`` row, a
  ``<tr data-href>`` row opened by a delegated handler, and ``<a href="javascript:void(0)"
  onclick="openUrl('…')">`` through a function calling ``window.open``.
- :func:`frames_web`: a ``<frameset>`` home page; its main frame links 信息公开, which is a
  ``<meta refresh>`` to a page holding the column in an ``<iframe>``; the column's own URL is a
  script redirect (``window.location.href = "list.html"``) to a list under ``<base href>`` whose
  links climb with ``../``; a menu script loading the column into an iframe; an iframe whose
  source the page's script sets as it loads.
- :func:`files_web`: report pages whose only body is "附件：" + a link to ``download.jsp?fileId=…``
  or ``/attach/get?id=…`` or a storage path saying nothing (``/uploadfiles/2024/0120/8f3a…``, the
  link "附件1"): named only in ``Content-Disposition`` (raw GBK bytes, RFC 5987
  ``filename*=UTF-8''…``, both), served as ``application/octet-stream`` or even ``text/html``.
- :func:`years_web`: a 年报 column split by year (``2024年`` / ``2023年`` sub-columns), the
  departments' reports partly on their own sub-sites (``jyj.`` / ``sfj.`` + the county's domain:
  followed), a neighbouring county's report linked from the column (its own site, not this
  one's: never fetched), a report of 2023 listed under the 2024 heading (stored under 2023), and
  the lookalikes: 一图读懂/图解, 政府信息公开工作年度报告的说明, the compile notice, 法治政府建设
  年度报告 (a page full of figures), 政务公开工作要点, 政府信息公开指南, 企业年度报告公示, 统计年报.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from tests.redteam_web2 import Net
from tests.redteam_web3 import frame
from tests.test_redteam_crawl2 import DEPTS, fig


def _report_page(title: str, body: str, site: str) -> bytes:
    return frame(title, f"<h1>{title}</h1><p>发布日期：2025-01-20 来源：{site}</p>{body}", site)


# ---- web 1: rows a script draws ---------------------------------------------------------------------
DATA_JS = """var data = [{title: "{t0}", url: "{u0}", time: "2025-01-20"},
  {title: "一图读懂{county}2024年政府信息公开工作年度报告", url: "/xxgk/nb/202501/t20250121_99.html", time: "2025-01-21"},
  {title: "{t1}", url: "{u1}", time: "2024-01-18"}];
var html = "";
for (var i = 0; i < data.length; i++) {
  html += '<li><a href="' + data[i].url + '" target="_blank">' + data[i].title + '</a><span>' + data[i].time + '</span></li>';
}
document.getElementById("list").innerHTML = html;"""

OPEN_JS = """function openUrl(u) { window.open(u, "_blank"); }
$(function () { $("#tbl tr").click(function () { location.href = $(this).data("href"); }); });"""


def scripts_web() -> tuple[Net, list[str]]:
    net = Net()
    www = net.host("www.jbxian.gov.cn")
    county = "脚本县"
    www.html("/", f"{county}人民政府", '<a href="/xxgk/">政府信息公开</a> <a href="/xwzx/">新闻中心</a>')
    www.html("/xxgk/", "政府信息公开", '<a href="/xxgk/zn/">政府信息公开指南</a> <a href="/xxgk/nb/">政府信息公开年报</a>')
    figs = [fig(10_100 + k, year, county + DEPTS[k]) for k, year in enumerate(range(2024, 2018, -1))]
    urls = [f"/xxgk/nb/{f.year + 1}01/t{f.year + 1}0120_{10_100 + k}.html" for k, f in enumerate(figs)]
    for k, (f, u) in enumerate(zip(figs, urls, strict=True)):
        www.report(u, f, "html", ("official", "word", "trs")[k % 3])
    www.html("/xxgk/nb/202501/t20250121_99.html", f"一图读懂{county}2024年政府信息公开工作年度报告",
             '<p><img src="/upload/yt1.jpg" width="800"></p>')
    js = DATA_JS.replace("{county}", county)
    for i in (0, 1):
        js = js.replace(f"{{t{i}}}", figs[i].title).replace(f"{{u{i}}}", urls[i])
    body = (f'<ul id="list"></ul><script>{js}</script>'
            f"<ul><script>document.write('<li><a href=\"{urls[2]}\">{figs[2].title}</a></li>');</script>"
            f"<li onclick=\"window.open('{urls[3]}')\" style=\"cursor:pointer\">{figs[3].title}</li>"
            f'<li><a href="javascript:void(0)" onclick="openUrl(\'{urls[5]}\')">{figs[5].title}</a></li></ul>'
            f'<table id="tbl"><tr data-href="{urls[4]}"><td>{figs[4].title}</td><td>2020-01-18</td></tr></table>'
            f"<script>{OPEN_JS}</script>"
            # a row opened by a function of the site's common.js (not read): an id, no path to guess
            f'<ul><li><a href="javascript:openDetail(\'8a81e3\')">{county}2018年政府信息公开工作年度报告</a></li></ul>'
            '<script src="/js/common.js"></script>')
    www.html("/xxgk/nb/", "政府信息公开年报", body)
    # a second county: rows a backend wrote as JSON (\\u escapes), links that are "#" or "javascript:;"
    # with the target in onclick or data-href
    zb = net.host("www.zbxian.gov.cn")
    county = "值博县"
    zb.html("/", f"{county}人民政府", '<a href="/zwgk/">政务公开</a>')
    zb.html("/zwgk/", "政务公开", '<a href="/zwgk/gknb/">政府信息公开年报</a>')
    more = [fig(10_150 + k, year, county + DEPTS[k + 20]) for k, year in enumerate(range(2024, 2020, -1))]
    murls = [f"/zwgk/gknb/{f.year + 1}/c{10_150 + k}.html" for k, f in enumerate(more)]
    for k, (f, u) in enumerate(zip(more, murls, strict=True)):
        zb.report(u, f, "html", ("word", "official")[k % 2])
    rows = json.dumps([{"title": f.title, "url": u} for f, u in zip(more[:2], murls[:2], strict=True)])
    zb.html("/zwgk/gknb/", "政府信息公开年报",
            f'<ul id="nb"></ul><script>var list = {rows};\n'
            'var s = "";\nfor (var i = 0; i < list.length; i++) { s += "<li><a href=\'" + list[i].url + "\'>" + list[i].title + "</a></li>"; }\n'
            '$("#nb").html(s);</script>'
            f'<ul><li><a href="#" onclick="openUrl(\'{murls[2]}\');return false;">{more[2].title}</a></li>'
            f'<li><a href="javascript:;" data-href="{murls[3]}" class="item">{more[3].title}</a></li></ul>'
            '<script>function openUrl(u) { window.open(u); }\n'
            '$(".item").on("click", function () { window.open($(this).attr("data-href")); });</script>')
    return net, ["www.jbxian.gov.cn", "www.zbxian.gov.cn"]


# ---- web 2: frames, redirects, <base href> ------------------------------------------------------------
def frames_web() -> tuple[Net, list[str]]:
    net = Net()
    www = net.host("www.kjxian.gov.cn")
    county = "框架县"
    www.static("/", (f'<html><head><meta charset="utf-8"><title>{county}人民政府</title></head>'
                     '<frameset rows="120,*" border="0"><frame src="/top.html" name="top" scrolling="no">'
                     '<frame src="/main.html" name="main"></frameset></html>').encode())
    www.html("/top.html", "top", '<img src="/images/banner.jpg">')
    www.html("/main.html", f"{county}人民政府", '<a href="/xwzx/">新闻中心</a> <a href="/gk/">信息公开</a>')
    www.static("/gk/", b'<html><head><meta http-equiv="refresh" content="0;url=/gk/index.jsp"></head><body></body></html>')
    www.html("/gk/index.jsp", "政府信息公开", '<div class="left"><a href="/gk/zn.html" target="content">公开指南</a> '
             '<a href="/gk/nb/" target="content">公开年报</a></div>'
             '<div class="right"><iframe src="/gk/zn.html" name="content" frameborder="0" width="100%"></iframe></div>')
    www.html("/gk/zn.html", "政府信息公开指南", "<p>本指南……</p>")
    www.static("/gk/nb/", b'<html><head><meta charset="utf-8"></head><body>'
                          b'<script>window.location.href = "list.html";</script></body></html>')
    figs = [fig(10_200 + k, year, county + DEPTS[k + 6]) for k, year in enumerate(range(2024, 2020, -1))]
    items = []
    for k, f in enumerate(figs):
        target = f"/gk/nb/{f.year + 1}/t{f.year + 1}0118_{10_200 + k}.html"
        www.report(target, f, "html", ("official", "word")[k % 2])
        items.append(f'<li><a href="../{f.year + 1}/t{f.year + 1}0118_{10_200 + k}.html">{f.title}</a></li>')
    www.static("/gk/nb/list.html", (
        f'<html><head><meta charset="utf-8"><base href="http://www.kjxian.gov.cn/gk/nb/2025/">'
        f"<title>公开年报</title></head><body><ul>{''.join(items)}</ul></body></html>").encode())
    # a second county: the left menu loads the column into the iframe by script, and the column's
    # URL sends the browser on by a timed location.replace
    kb = net.host("www.kbxian.gov.cn")
    county = "框北县"
    kb.html("/", f"{county}人民政府", '<a href="/xxgk/index.html">政府信息公开</a>')
    kb.html("/xxgk/index.html", "政府信息公开",
            '<div class="left"><ul><li><a href="javascript:void(0)" onclick="loadPage(\'/xxgk/zn.html\')">公开指南</a></li>'
            '<li><a href="javascript:void(0)" onclick="loadPage(\'/xxgk/nb/index.html\')">公开年报</a></li></ul></div>'
            '<iframe id="content" src="about:blank" frameborder="0"></iframe>'
            "<script>function loadPage(u) { $(\"#content\").attr(\"src\", u); }</script>")
    kb.html("/xxgk/zn.html", "政府信息公开指南", "<p>本指南……</p>")
    kb.static("/xxgk/nb/index.html", b'<html><head><meta charset="utf-8"></head><body><script>'
                                     b'setTimeout(function () { window.location.replace("/xxgk/nb/list_1.html"); }, 100);'
                                     b"</script></body></html>")
    items = []
    for k, year in enumerate(range(2024, 2021, -1)):
        f = fig(10_250 + k, year, county + DEPTS[k + 2])
        target = f"/xxgk/{year + 1}/art_{10_250 + k}.html"
        kb.report(target, f, "html", ("official", "word")[k % 2])
        items.append(f'<li><a href="../{year + 1}/art_{10_250 + k}.html" target="_blank">{f.title}</a></li>')
    kb.static("/xxgk/nb/list_1.html", (f'<html><head><meta charset="utf-8"><title>列表</title></head>'
                                       f"<body><ul>{''.join(items)}</ul></body></html>").encode())
    # a third county: the 公开 page's iframe gets its source from the page's script as it loads
    kc = net.host("www.kcxian.gov.cn")
    county = "框川县"
    kc.html("/", f"{county}人民政府", '<a href="/xxgk/">政府信息公开</a>')
    kc.html("/xxgk/", "政府信息公开", '<iframe id="content" frameborder="0" width="100%"></iframe>'
            '<script>$(function () { $("#content").attr("src", "/xxgk/nb/list.html"); });</script>')
    items = []
    for k, year in enumerate((2024, 2023)):
        f = fig(10_270 + k, year, county + DEPTS[k + 24])
        target = f"/xxgk/nb/{year + 1}/art_{10_270 + k}.html"
        kc.report(target, f, "html", ("word", "official")[k])
        items.append(f'<li><a href="{target}">{f.title}</a></li>')
    kc.static("/xxgk/nb/list.html", f"<html><body><ul>{''.join(items)}</ul></body></html>".encode())
    return net, ["www.kjxian.gov.cn", "www.kbxian.gov.cn", "www.kcxian.gov.cn"]


# ---- web 3: attachments named only by Content-Disposition ---------------------------------------------
def files_web() -> tuple[Net, list[str]]:
    net = Net()
    www = net.host("www.fjxian.gov.cn")
    county = "富建县"
    www.html("/", f"{county}人民政府", '<a href="/zwgk/">政务公开</a>')
    www.html("/zwgk/", "政务公开", '<a href="/zwgk/ndbg/">政府信息公开工作年度报告</a>')
    # (kind, link path, link text, served as, how the file is named)
    plan = [("pdf", "/download.jsp?fileId=8a81", "附件1", "application/octet-stream", "gbk"),
            ("docx", "/attach/get?id=20231", "附件", "text/html", "rfc5987"),
            ("pdf", "/download.jsp?fileId=8a83", "下载", "text/html;charset=utf-8", "both"),
            ("docx", "/attach/get?id=20233", "{title}.docx", "application/octet-stream", "none"),
            # a storage path that says nothing (no extension, no download word): only "附件1" tells
            ("pdf", "/uploadfiles/2024/0120/8f3a9c2e41d0", "附件1", "application/octet-stream", "rfc5987")]
    items = []
    for k, (kind, link, text, ctype, naming) in enumerate(plan):
        f = fig(10_300 + k, 2024 - k, county + DEPTS[k + 10])
        name = f"{f.title}.{kind}"
        cd = {"gbk": f'attachment; filename="{name.encode("gbk").decode("latin-1")}"',
              "rfc5987": f"attachment; filename*=UTF-8''{quote(name)}",
              "both": f'attachment; filename="{name.encode("gbk").decode("latin-1")}"; filename*=UTF-8\'\'{quote(name)}',
              "none": None}[naming]
        www.report(link, f, kind, "nolines" if kind == "pdf" else "official", ctype=ctype,
                   headers={"Content-Disposition": cd} if cd else None)
        page = f"/zwgk/ndbg/{f.year + 1}01/t{f.year + 1}0110_{10_300 + k}.html"
        www.static(page, frame(f.title, f'<div class="content"><p>附件：<a href="{link}">{text.format(title=f.title)}</a></p></div>',
                               county + "人民政府"))
        items.append(f'<li><a href="{page}">{f.title}</a></li>')
    # the list linking two reports straight to their files: a DOCX served as text/html, a PDF as
    # octet-stream, both named only by Content-Disposition
    for k, (kind, link, ctype) in enumerate([("docx", "/attach/get?id=30001", "text/html"),
                                             ("pdf", "/download.jsp?fileId=8a90", "application/octet-stream")]):
        f = fig(10_310 + k, 2023 - k, county + DEPTS[k + 15])
        www.report(link, f, kind, "nolines" if kind == "pdf" else "official", ctype=ctype,
                   headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(f.title)}.{kind}"})
        items.append(f'<li><a href="{link}" target="_blank">{f.title}</a></li>')
    www.html("/zwgk/ndbg/", "政府信息公开工作年度报告", "<ul>" + "".join(items) + "</ul>")
    return net, ["www.fjxian.gov.cn"]


# ---- web 4: a column split by year, departments' sub-sites, lookalikes ---------------------------------
LOOKS = [("一图读懂{c}2024年政府信息公开工作年度报告", "yt"), ("图解{c}2023年政府信息公开工作年度报告", "tj"),
         ("关于{c}2023年政府信息公开工作年度报告的说明", "sm"),
         ("关于做好2024年政府信息公开工作年度报告编制和发布工作的通知", "tz"),
         ("{c}2024年法治政府建设年度报告", "fz"), ("{c}2024年政务公开工作要点", "yd"),
         ("{c}政府信息公开指南", "zn"), ("{c}2023年度企业年度报告公示", "qy"), ("{c}2023年统计年报", "tj2")]


def years_web() -> tuple[Net, list[str]]:
    net = Net()
    county, dom = "年丰县", "nfxian.gov.cn"
    www = net.host(f"www.{dom}")
    www.html("/", f"{county}人民政府", '<a href="/xxgk/">政府信息公开</a>')
    www.html("/xxgk/", "政府信息公开", '<a href="/xxgk/nb/">政府信息公开年度报告</a> <a href="/xxgk/bm/">部门信息公开</a>')
    subs = {2024: "/xxgk/nb/list_81.html", 2023: "/xxgk/nb/list_82.html", 2022: "/xxgk/nb/list_83.html"}
    www.html("/xxgk/nb/", "政府信息公开年度报告",
             "<ul>" + "".join(f'<li><a href="{u}">{y}{"年度报告" if y == 2022 else "年"}</a></li>'
                              for y, u in subs.items()) + '<li><a href="/xxgk/nb/list_84.html">2021年政府信息公开工作年度报告</a></li></ul>')
    rows: dict[int, list[str]] = {2024: [], 2023: [], 2022: []}
    seed = 10_400
    # the county's own reports and two departments' on www
    for k, (agency, year) in enumerate([(county + "人民政府", 2024), (county + "人民政府", 2023),
                                        (county + DEPTS[1], 2024), (county + DEPTS[7], 2023),
                                        (county + DEPTS[7], 2022)]):
        seed += 1
        f = fig(seed, year, agency)
        target = f"/xxgk/nb/{year + 1}01/t{year + 1}0115_{seed}.html"
        www.report(target, f, "html", ("official", "word")[k % 2])
        rows[year].append(f'<li><a href="{target}">{f.title}</a></li>')
    # departments' sub-sites on the county's own domain, linked from the year lists and from 部门
    depts = []
    for k, (code, name) in enumerate([("jyj", DEPTS[1]), ("sfj", DEPTS[6])]):
        host = net.host(f"{code}.{dom}")
        agency = county + name
        host.html("/", agency, '<a href="/zwgk/">政务公开</a>')
        host.html("/zwgk/", f"{agency}政务公开", '<a href="/zwgk/nb/">政府信息公开年报</a>')
        entries = []
        for year in (2023, 2022) if k == 0 else (2024, 2023):
            if (agency, year) == (county + DEPTS[1], 2024):
                continue
            seed += 1
            f = fig(seed, year, agency)
            target = f"/zwgk/nb/{year + 1}/{seed}.html"
            host.report(target, f, "html", "official")
            entries.append(f'<li><a href="{target}">{f.title}</a></li>')
            if year in rows and k == 1:
                rows[year].append(f'<li><a href="http://{code}.{dom}{target}">{f.title}</a></li>')
        host.html("/zwgk/nb/", "政府信息公开年报", "<ul>" + "".join(entries) + "</ul>")
        depts.append(f'<li><a href="http://{code}.{dom}/">{name}</a></li>')
    www.html("/xxgk/bm/", "部门信息公开", "<ul>" + "".join(depts) + "</ul>")
    # a report of 2023 listed under the 2024 heading
    seed += 1
    late = fig(seed, 2023, county + DEPTS[13])
    www.report("/xxgk/nb/202406/t20240601_late.html", late, "html", "word")
    rows[2024].append(f'<li><a href="/xxgk/nb/202406/t20240601_late.html">{late.title}</a></li>')
    # a neighbouring county's report linked from the column: its own site's, not fetched
    nb = net.host("www.lfxian.gov.cn")
    other = fig(seed + 1, 2024, "邻丰县人民政府")
    nb.report("/xxgk/nb/2025/1.html", other, "html", "official", expect=False)
    rows[2024].append('<li><a href="http://www.lfxian.gov.cn/xxgk/nb/2025/1.html">'
                      '2024年邻丰县人民政府政府信息公开工作年度报告</a></li>')     # (the year first)
    # the lookalikes, each a page of its own (figures in some), among the rows
    for j, (title, code) in enumerate(LOOKS):
        t = title.format(c=county)
        target = f"/xxgk/nb/x_{code}.html"
        figures = "".join(f"<tr><td>指标{i}</td><td>{37 * j + i}</td><td>{i * 5}</td></tr>" for i in range(10))
        www.html(target, t, f"<h1>{t}</h1><p>一、总体情况</p><table border=1>{figures}</table>")
        rows[2024 if j % 2 == 0 else 2023].insert(j % 3, f'<li><a href="{target}">{t}</a></li>')
    # the oldest year's list, linked as 2021年政府信息公开工作年度报告, names the departments only
    # (农业农村局 …): their pages say what they are
    subs[2021] = "/xxgk/nb/list_84.html"
    rows[2021] = []
    for k in range(3):
        f = fig(seed + 2 + k, 2021, county + DEPTS[14 + k])
        target = f"/xxgk/nb/2022/dept_{k}.html"
        www.report(target, f, "html", ("official", "word", "official")[k])
        rows[2021].append(f'<li><a href="{target}">{DEPTS[14 + k]}</a></li>')
    for year, url in subs.items():
        www.html(url, f"{year}年", f"<h2>{year}年</h2><ul>" + "".join(rows[year]) + "</ul>")
    return net, ["www.nfxian.gov.cn"]


def looks_hit(net: Net) -> list[str]:
    """The lookalike pages the crawl asked for (none of them should be)."""
    return [h.target for h in net.hits if "/x_" in h.target]


