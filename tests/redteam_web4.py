"""Red-team webs, round 4: what rounds 1–3 left uncovered, and script-built CMS lists.

Built on round 2's loopback proxy (``tests/redteam_web2.Net``); each builder returns
``(net, seed hosts)`` for ``tests/test_redteam_crawl5.py``.

- :func:`aspnet4_web`: ASP.NET lists inside an UpdatePanel — one server answers a full postback
  with the whole page, another answers every POST with ScriptManager's partial-postback delta
  (``1|#||4|…|updatePanel|…|hiddenField|__VIEWSTATE|…``), a third only the asynchronous postback
  the browser sends — and AspNetPager's "go to page" box (a
  text input + a GO button, no page links), also as a plain ``txtPage`` + ``btnGo`` pair;
- :func:`sitemap_web`: a column found only through a robots.txt sitemap index whose sub-sitemaps
  are ``.xml.gz`` files, one only through a ``/sitemap.xml`` nothing names (the site yields nothing
  else), one through a sitemap robots.txt names by a relative path, and a site whose reports are
  linked normally (its ``/sitemap.xml`` must not be asked for);
- :func:`gateway_web`: sites behind an anti-bot gateway answering 521 (or 200) with a script that
  sets a clearance cookie and reloads, until the cookie comes back;
- :func:`cut_table`: a report body cut by an editor's page break inside a table (its rows on two
  pages, as the CMS closes and reopens the table);
- :func:`script_web`: list entries written by ``document.write`` from an inline array, a JSONP list
  named only by a ``<script src=…&callback=…>``, a 政府信息公开 page whose 公开年报 tab is loaded by
  ``$(…).load("…_inc.html")``, reports behind ``download.jsp?fileid=`` whose link says only
  ``附件1`` and whose file name is only in ``Content-Disposition`` (GBK bytes, RFC 5987), TRS
  ``createPageHTML`` fed by variables, a JSON API under a context path kept in a variable
  (``ctx + "/api/article/list?channelId=5&pageNo=" + p``), a JSON POST whose page sits in a nested
  object (``{condition: {channelId: 7}, page: {current: n, size: 2}}``), TRS WCM's pager written
  by the list's own script from ``countPage`` / ``currentPage``, and single-page details: an
  empty ``detail.html?id=N`` shell whose script fetches the article (its HTML ``content``) from a
  JSON API; a 年报 page listing each year's file as a link saying only ``2023年度``; year links
  whose list is an HTML fragment ``$.get("/zwgk/ndnb/" + y + ".html", …)`` shows.
"""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import parse_qs, quote

from tests.fixturegen import render
from tests.redteam_web2 import Answer, Net, Request
from tests.redteam_web3 import frame
from tests.test_redteam_crawl2 import DEPTS, fig, lookalike_page


def form_fields(req: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(req.body.decode("utf-8", "replace"), keep_blank_values=True).items()}


# ---- web 1: ASP.NET UpdatePanel and page-box pagers ---------------------------------------------
PER_PAGE = 2


def delta(parts: list[tuple[str, str, str]]) -> bytes:
    """ScriptManager's async reply: ``length|type|id|content|`` per part (length in characters)."""
    return "".join(f"{len(content)}|{kind}|{ident}|{content}|" for kind, ident, content in parts).encode("utf-8")


def updatepanel_site(net: Net, host_name: str, county: str, pages: int, seed: int, *, mode: str) -> None:
    """One county's ``/gk/nb/list.aspx`` paged by postbacks. ``mode``:

    - ``full``: pager links inside an UpdatePanel; a POST without ``__ASYNCPOST`` gets the whole page
      (as ASP.NET does), an async one the delta;
    - ``delta``: every POST is answered with the delta (a server that only ever sees the browser's
      async postbacks);
    - ``anp_go``: AspNetPager with only its go box (``…AspNetPager1_input`` + a GO submit button
      whose onclick posts back the pager with an empty argument);
    - ``txt_go``: a ``txtPage`` text box and a ``btnGo`` submit button (跳转), 共N页;
    - ``async_only``: pager links inside the UpdatePanel; only an asynchronous postback as the
      browser's ScriptManager sends it (``ctl00$ScriptManager1=ctl00$cph$upList|<target>``,
      ``__ASYNCPOST=true``, ``X-MicrosoftAjax: Delta=true``) is answered (with the delta); any
      other POST gets a 500 error page.
    """
    www = net.host(host_name)
    net.list_pages = {**getattr(net, "list_pages", {}), host_name: pages}     # type: ignore[attr-defined]
    www.html("/", f"{county}人民政府", '<a href="/gk/nb/list.aspx">政府信息公开工作年度报告</a>'
             ' <a href="/xwzx/">新闻中心</a>')
    items = []
    for i in range(pages * PER_PAGE):
        f = fig(seed + i, 2019 + i % 6, f"{county}{DEPTS[i]}")
        target = f"/gk/nb/show.aspx?id={seed + i}"
        www.report(target, f, "html", ("official", "word")[i % 2])
        items.append((target, f.title))
    states = {n: f"/wEPDwUK{seed}{n:03d}LTE2" for n in range(1, pages + 1)}
    pager_name = "ctl00$cph$AspNetPager1"

    def panel(n: int) -> str:
        rows = "".join(f'<li><a href="{u}" target="_blank">{t}</a><span>2024-0{1 + k % 9}-1{k % 9}</span></li>'
                       for k, (u, t) in enumerate(items[(n - 1) * PER_PAGE:n * PER_PAGE]))
        if mode in ("full", "delta", "async_only"):
            pager = " ".join(f"<span>{k}</span>" if k == n else
                             f"<a href=\"javascript:__doPostBack('{pager_name}','{k}')\">{k}</a>"
                             for k in range(1, pages + 1))
        elif mode == "anp_go":
            pager = (f'<div id="cph_AspNetPager1">第{n}页/共{pages}页 转到 <input type="text" value="{n}" '
                     f'name="{pager_name}_input" id="cph_AspNetPager1_input" style="width:30px;" /> 页 '
                     f'<input type="submit" value="GO" name="{pager_name}" id="cph_AspNetPager1_btn" '
                     f"onclick=\"if(ANP_checkInput('cph_AspNetPager1_input',{pages}))"
                     f"{{__doPostBack('{pager_name}','')}} else{{return false}}\" /></div>")
        else:
            pager = (f'共{len(items)}条 第{n}/{pages}页 共{pages}页 跳转到 <input name="ctl00$cph$txtPage" type="text" '
                     f'value="{n}" id="cph_txtPage" class="pageinput" /> <input type="submit" name="ctl00$cph$btnGo" '
                     'value="跳转" id="cph_btnGo" class="pagebtn" />')
        return f'<ul class="list">{rows}</ul><div class="pager">{pager}</div>'

    def page(n: int) -> bytes:
        body = ('<form method="post" action="./list.aspx" id="aspnetForm">'
                f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{states[n]}" />'
                '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
                '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />'
                "<script type=\"text/javascript\">Sys.WebForms.PageRequestManager._initialize('ctl00$ScriptManager1',"
                " 'aspnetForm', ['tctl00$cph$upList','cph_upList'], [], [], 90, 'ctl00');</script>"
                f'<h2>政府信息公开工作年度报告</h2><div id="cph_upList">{panel(n)}</div></form>')
        return frame("政府信息公开工作年度报告", body, county + "人民政府")

    def answer(req: Request) -> Answer:
        if req.method != "POST":
            return Answer(body=page(1))
        form = form_fields(req)
        state = form.get("__VIEWSTATE")
        if state not in states.values():
            return Answer(500, b"<h1>Validation of viewstate MAC failed.</h1>")
        current = next(k for k, v in states.items() if v == state)
        target, arg = form.get("__EVENTTARGET", ""), form.get("__EVENTARGUMENT", "")
        if mode == "async_only" and not (form.get("__ASYNCPOST") == "true" and req.headers.get("x-microsoftajax") == "Delta=true"
                                         and form.get("ctl00$ScriptManager1") == f"ctl00$cph$upList|{target}"):
            return Answer(500, "<h1>服务器错误</h1>".encode())
        if mode in ("full", "delta", "async_only") and target == pager_name and arg.isdigit():
            n = int(arg)
        elif mode == "anp_go" and (target == pager_name or pager_name in form) and not arg:
            n = int(form.get(pager_name + "_input") or current)
        elif mode == "txt_go" and "ctl00$cph$btnGo" in form:
            n = int(form.get("ctl00$cph$txtPage") or current)
        else:
            n = current
        n = min(max(n, 1), pages)
        if mode == "delta" or form.get("__ASYNCPOST") == "true":
            reply = delta([("updatePanel", "cph_upList", panel(n)), ("hiddenField", "__EVENTTARGET", ""),
                           ("hiddenField", "__EVENTARGUMENT", ""), ("hiddenField", "__VIEWSTATE", states[n]),
                           ("asyncPostBackControlIDs", "", ""), ("postBackControlIDs", "", ""),
                           ("updatePanelIDs", "", "tctl00$cph$upList,cph_upList"),
                           ("asyncPostBackTimeout", "", "90"), ("formAction", "", "./list.aspx"),
                           ("pageTitle", "", "政府信息公开工作年度报告")])
            return Answer(body=reply, ctype="text/plain; charset=utf-8")
        return Answer(body=page(n))

    www.route("/gk/nb/list.aspx", answer)


def aspnet4_web() -> tuple[Net, list[str]]:
    net = Net()
    updatepanel_site(net, "www.upxian.gov.cn", "上坪县", 3, 6100, mode="full")
    updatepanel_site(net, "www.dtxian.gov.cn", "德台县", 4, 6200, mode="delta")
    updatepanel_site(net, "www.gbxian.gov.cn", "格博县", 3, 6300, mode="anp_go")
    updatepanel_site(net, "www.tyxian.gov.cn", "桃源县", 3, 6400, mode="txt_go")
    updatepanel_site(net, "www.ayxian.gov.cn", "安远县", 3, 6450, mode="async_only")
    return net, ["www.upxian.gov.cn", "www.dtxian.gov.cn", "www.gbxian.gov.cn", "www.tyxian.gov.cn", "www.ayxian.gov.cn"]


# ---- web 2: sitemaps -----------------------------------------------------------------------------
def urlset(urls: list[str]) -> bytes:
    locs = "".join(f"<url><loc>{u}</loc><lastmod>2024-01-15</lastmod></url>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{locs}</urlset>").encode("utf-8")


def column_site(net: Net, www, county: str, column: str, seed: int, n: int = 3) -> None:
    """A 年报 column at ``column`` (an index page) with ``n`` inline reports, linked from nowhere."""
    rows = []
    for i in range(n):
        f = fig(seed + i, 2021 + i, f"{county}{DEPTS[i + 3]}")
        target = f"{column}{2022 + i}01/t{2022 + i}0115_{seed + i}.html"
        www.report(target, f, "html", "official")
        rows.append(f'<li><a href="./{target[len(column):]}">{f.title}</a></li>')
    www.html(column, "政府信息公开年报", f'<ul>{"".join(rows)}</ul>')


def sitemap_web() -> tuple[Net, list[str]]:
    net = Net()
    # 1. robots.txt → a sitemap index → gzip sub-sitemaps; the column is nowhere else
    a = net.host("www.gzsm.gov.cn", robots="User-agent: *\nDisallow: /admin/\n\n"
                 "Sitemap: http://www.gzsm.gov.cn/sitemap_index.xml\n")
    a.html("/", "古洲市人民政府", '<a href="/xwzx/">新闻中心</a> <a href="/hdjl/">互动交流</a>'
           '<script src="/js/menu.js"></script>')
    a.html("/xwzx/", "新闻中心", "<p>暂无内容</p>")
    column_site(net, a, "古洲市", "/xxgk/zfxxgknb/", 6500)
    index = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             "<sitemap><loc>http://www.gzsm.gov.cn/sitemaps/news.xml.gz</loc></sitemap>"
             "<sitemap><loc>http://www.gzsm.gov.cn/sitemaps/xxgk.xml.gz</loc></sitemap></sitemapindex>")
    a.static("/sitemap_index.xml", index.encode("utf-8"), "application/xml")
    a.static("/sitemaps/news.xml.gz", gzip.compress(urlset([f"http://www.gzsm.gov.cn/xwzx/{k}.html" for k in range(5)])),
             "application/x-gzip")
    a.static("/sitemaps/xxgk.xml.gz", gzip.compress(urlset(["http://www.gzsm.gov.cn/xxgk/zfxxgknb/",
                                                            "http://www.gzsm.gov.cn/xxgk/zcwj/"])),
             "application/octet-stream")
    # 2. a /sitemap.xml no page and no robots.txt names; the home page leads nowhere
    b = net.host("www.wmsm.gov.cn")
    b.html("/", "万木市人民政府", '<div id="menu"></div><script src="/js/nav.js"></script>'
           '<a href="/xwzx/">新闻中心</a>')
    b.html("/xwzx/", "新闻中心", "<p>暂无内容</p>")
    column_site(net, b, "万木市", "/zwgk/ndbg/", 6600)
    b.static("/sitemap.xml", urlset(["http://www.wmsm.gov.cn/", "http://www.wmsm.gov.cn/zwgk/ndbg/",
                                     "http://www.wmsm.gov.cn/xwzx/"]), "text/xml")
    # 3. reports linked as usual: its /sitemap.xml (listing a lookalike column) is never needed
    c = net.host("www.qhsm.gov.cn")
    c.html("/", "青禾市人民政府", '<a href="/zwgk/nb/">政府信息公开年报</a>')
    column_site(net, c, "青禾市", "/zwgk/nb/", 6700, 2)
    lookalike_page(c, "/zwgk/tjnb/", "2023年统计年报", 6790)
    c.static("/sitemap.xml", urlset(["http://www.qhsm.gov.cn/zwgk/tjnb/"]), "text/xml")
    # 4. robots.txt names its sitemap by a relative path (against RFC 9309, as some sites do)
    d = net.host("www.xdsm.gov.cn", robots="User-agent: *\nAllow: /\nSitemap: /map/sitemap-gov.xml\n")
    d.html("/", "西渡市人民政府", '<a href="/xwzx/">新闻中心</a>')
    column_site(net, d, "西渡市", "/zfxxgk/nbzl/", 6750, 2)
    d.static("/map/sitemap-gov.xml", urlset(["http://www.xdsm.gov.cn/zfxxgk/nbzl/"]), "application/xml")
    return net, ["www.gzsm.gov.cn", "www.wmsm.gov.cn", "www.qhsm.gov.cn", "www.xdsm.gov.cn"]


# ---- web 4: an anti-bot gateway's cookie challenge -------------------------------------------------
CLEARANCE = "1733550000.417|0|Vh6kQ%2Fz3Yx1mW8eRsO1tJ4pL0aA%3D"


def gateway_web() -> tuple[Net, list[str]]:
    """A county behind a gateway (加速乐-like): every request without its cookie gets status 521 and
    a script that sets ``__jsl_clearance`` and reloads the page; with the cookie, the site. On the
    second host the challenge page comes with status 200. robots.txt passes."""
    net = Net()
    for host_name, county, seed, status in (("www.jlxian.gov.cn", "加禄县", 7100, 521), ("www.bmxian.gov.cn", "白马县", 7150, 200)):
        www = net.host(host_name)
        www.html("/", f"{county}人民政府", '<a href="/xxgk/">政府信息公开</a>')
        www.html("/xxgk/", "政府信息公开", '<a href="/xxgk/nb/">政府信息公开年报</a>')
        column_site(net, www, county, "/xxgk/nb/", seed, 2)
        challenge = ("<html><body><script>document.cookie=('__jsl_clearance')+('=" + CLEARANCE.split("|")[0] + "|0|')+('"
                     + CLEARANCE.split("|", 2)[2] + "')+';max-age=3600;path=/';"
                     "location.href=location.pathname+location.search</script></body></html>").encode()
        inner = dict(www.routes)
        prefixes = list(www.prefixes)

        def gate(req: Request, inner=inner, prefixes=prefixes, challenge=challenge, status=status) -> Answer:
            cookies = dict(c.strip().partition("=")[::2] for c in req.headers.get("cookie", "").split(";") if "=" in c)
            if cookies.get("__jsl_clearance") != CLEARANCE:
                return Answer(status, challenge)
            target = req.path + (f"?{req.query}" if req.query else "")
            for key in (target, req.path):
                if key in inner:
                    return inner[key](req)
            return Answer(404, b"<h1>404</h1>")

        www.routes = {}
        www.route("/", gate, prefix=True)
    return net, ["www.jlxian.gov.cn", "www.bmxian.gov.cn"]


# ---- a table cut by an article's page break ----------------------------------------------------
def cut_table(body: str, row_marker: str) -> tuple[str, str]:
    """The report body cut before the row whose HTML starts at ``row_marker`` (an editor's page break
    inside a table: the CMS closes the table on page 1 and opens a new one on page 2)."""
    i = body.index(row_marker)
    i = body.rfind("<tr", 0, i)
    j = body.rfind("<table", 0, i)
    table_tag = body[j:body.index(">", j) + 1]
    return body[:i] + "</tbody></table>", f"{table_tag}<tbody>" + body[i:]


def wcm_pager(current: int, count: int) -> str:
    """TRS WCM's older list pager: a script writing 共N页, 上一页 and 下一页 from ``countPage`` /
    ``currentPage`` (page 0 is ``index.html``, page i ``index_i.html``)."""
    return ('<script language="JavaScript">\nvar currentPage = ' + str(current) + ';//所在页从0开始\n'
            'var prevPage = currentPage-1//上一页\nvar nextPage = currentPage+1//下一页\n'
            'var countPage = ' + str(count) + '//共多少页\ndocument.write("共"+countPage+"页&nbsp;&nbsp;");\n'
            'if(countPage>1&&currentPage!=0&&currentPage!=1)\n'
            '\tdocument.write("<a href=\\"index"+"_" + prevPage + "."+"html\\">上一页</a>&nbsp;");\n'
            'else if(countPage>1&&currentPage!=0&&currentPage==1)\n'
            '\tdocument.write("<a href=\\"index.html\\">上一页</a>&nbsp;");\nelse\n\tdocument.write("上一页&nbsp;");\n'
            'if(countPage>1&&currentPage!=(countPage-1))\n'
            '\tdocument.write("<a href=\\"index"+"_" + nextPage + "."+"html\\" >下一页</a>&nbsp;");\n'
            'else\n\tdocument.write("下一页&nbsp;");\n</script>')


# ---- web 3: lists and attachments built by scripts ------------------------------------------------
def script_web() -> tuple[Net, list[str]]:
    net = Net()
    www = net.host("www.jbxian.gov.cn")
    county = "景北县"
    www.html("/", f"{county}人民政府", '<a href="/zwgk/">政务公开</a> <a href="/xwzx/">新闻中心</a>')
    www.html("/zwgk/", "政务公开", '<a href="/zwgk/bmnb/">部门信息公开年报</a> <a href="/zwgk/xzjnb/">乡镇信息公开年报</a>'
             ' <a href="/zwgk/gkpt/">政府信息公开</a> <a href="/zwgk/nb/">政府信息公开年报</a>'
             ' <a href="/zwgk/bmgknb/">部门政府信息公开年报</a> <a href="/zwgk/jdnb/">街道信息公开年报</a>'
             ' <a href="/zwgk/wcmnb/">政务公开年报</a> <a href="/zwgk/spanb/">年度报告</a>'
             ' <a href="/zwgk/dwnb/">单位年报</a> <a href="/zwgk/ndnb/">年度报告专栏</a>'
             ' <a href="/zwgk/zcwj/">政策文件</a>')
    seed = 6900

    def report_at(target: str, dept: str, year: int, style: str = "official") -> str:
        nonlocal seed
        seed += 1
        f = fig(seed, year, county + dept)
        www.report(target, f, "html", style)
        return f.title

    # a. document.write from an inline array of [title, url, date]
    data = []
    for k, year in enumerate(range(2021, 2024)):
        target = f"/zwgk/bmnb/{year + 1}01/t{year + 1}0110_{100 + k}.html"
        data.append([report_at(target, DEPTS[k], year), target, f"{year + 1}-01-10"])
    data.append(["关于做好2023年度政府信息公开工作年度报告编制发布工作的通知", "/zwgk/bmnb/tz/1.html", "2023-12-01"])
    lookalike_page(www, "/zwgk/bmnb/tz/1.html", data[-1][0], 6990)
    script = ("<script>var newsList = " + json.dumps(data, ensure_ascii=False) + ";\n"
              "for (var i = 0; i < newsList.length; i++) {\n"
              "  document.write('<li><a href=\"' + newsList[i][1] + '\" target=\"_blank\" title=\"' + newsList[i][0]"
              " + '\">' + newsList[i][0] + '</a><span>' + newsList[i][2] + '</span></li>');\n}</script>")
    www.html("/zwgk/bmnb/", "部门信息公开年报", f'<ul class="list">{script}</ul>')

    # b. a JSONP list named only by a <script src>, two pages, items as {t, u}
    items = []
    for k, year in enumerate(range(2020, 2024)):
        target = f"/zwgk/xzjnb/{year + 1}02/t{year + 1}0201_{200 + k}.html"
        town = f"{'东西南北中新'[k]}关镇人民政府"
        items.append({"t": report_at(target, town, year, "word"), "u": target, "d": f"{year + 1}-02-01"})

    def jsonp(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        n = int(q.get("page", "1"))
        cb = q.get("callback", "callback")
        body = {"totalPage": 2, "page": n, "rows": items[(n - 1) * 2:n * 2]}
        return Answer(body=f"{cb}({json.dumps(body, ensure_ascii=False)});".encode("utf-8"),
                      ctype="application/javascript; charset=utf-8")

    www.route("/common/infolist.jsp", jsonp)
    www.html("/zwgk/xzjnb/", "乡镇信息公开年报",
             '<ul id="list"></ul><div id="pager"></div><script>function showList(res) { var h = "";'
             ' for (var i = 0; i < res.rows.length; i++) { h += "<li><a href=\'" + res.rows[i].u + "\'>" + res.rows[i].t'
             ' + "</a></li>"; } document.getElementById("list").innerHTML = h; }</script>'
             '<script src="/common/infolist.jsp?channelid=xzjnb&amp;page=1&amp;callback=showList"></script>')

    # c. 政府信息公开 with a 公开年报 tab loaded by $(…).load(); reports behind download.jsp?fileid=
    tab = []
    disp = [
        ("docx", lambda name: "attachment; filename=\"" + name + ".docx\""),              # GBK bytes, raw
        ("pdf", lambda name: "attachment; filename*=UTF-8''" + quote(name + ".pdf")),     # RFC 5987
        ("docx", lambda name: f"attachment; filename=\"{quote(name)}.docx\""),            # percent-encoded
    ]
    for k, (kind, cd) in enumerate(disp):
        year = 2021 + k
        seed += 1
        f = fig(seed, year, f"{county}人民政府")
        fileid = 88120 + k
        data_ = render(f, kind)
        name = f.title
        header = cd(name)
        raw = header.encode("gbk") if k == 0 else header.encode("ascii")
        www.route(f"/module/download/downfile.jsp?fileid={fileid}",
                  lambda _r, d=data_, h=raw: Answer(body=d, ctype="application/octet-stream",
                                                    headers={"Content-Disposition": h.decode("latin-1")}))
        net.expect(f, kind, None, www.url(f"/module/download/downfile.jsp?fileid={fileid}"))
        art = f"/zwgk/gkpt/nb/{year + 1}/art_{fileid}.html"
        www.html(art, f.title, f"<h1>{f.title}</h1><p>根据《中华人民共和国政府信息公开条例》规定，现公布{f.title}，详见附件。</p>"
                 f'<p>附件：<a href="/module/download/downfile.jsp?fileid={fileid}">附件1</a></p>')
        tab.append(f'<li><a href="{art}" title="{f.title}">{f.title}</a></li>')
    www.static("/zwgk/gkpt/nb_inc.html", f'<ul class="nb">{"".join(tab)}</ul>'.encode("utf-8"))
    www.static("/zwgk/gkpt/zn_inc.html", "<p>本指南所称政府信息……</p>".encode("utf-8"))
    www.html("/zwgk/gkpt/", "政府信息公开",
             '<div class="tabs"><span onclick="showTab(\'zn\')">公开指南</span><span onclick="showTab(\'nb\')">公开年报</span></div>'
             '<div id="tabBox"></div><script>function showTab(name) {'
             ' $("#tabBox").load("/zwgk/gkpt/" + name + "_inc.html"); }\n$(function () { showTab("zn"); });</script>')

    # e. a JSON list API under a context path the page keeps in a variable (var ctx = "/gov-cms"),
    # paged by concatenating the page number to the URL; an empty or missing pageNo is refused
    api_items = []
    for k, year in enumerate(range(2021, 2025)):
        target = f"/gov-cms/art/{year + 1}/{400 + k}.html"
        api_items.append({"title": report_at(target, DEPTS[k + 16], year), "url": target})

    def cms_api(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("channelId") != "5" or not q.get("pageNo", "").isdigit():
            return Answer(400, b'{"code": 400, "msg": "pageNo required"}', "application/json")
        n = int(q["pageNo"])
        return Answer(body=json.dumps({"code": 0, "data": {"list": api_items[(n - 1) * 2:n * 2], "totalPage": 2}},
                                      ensure_ascii=False).encode("utf-8"), ctype="application/json;charset=UTF-8")

    www.route("/gov-cms/api/article/list", cms_api)
    www.html("/zwgk/bmgknb/", "部门政府信息公开年报",
             '<ul id="list"></ul><script>var ctx = "/gov-cms";\nfunction load(p) {\n'
             '  $.getJSON(ctx + "/api/article/list?channelId=5&pageNo=" + p, function (res) { render(res.data); });\n'
             '}\nload(1);</script>')

    # f. a JSON POST whose body nests its page ({condition: {…}, page: {current: n, size: 2}}),
    # answered MyBatis-Plus style ({"records", "pages"}); a flat or non-JSON body is refused
    nested_items = []
    for k, year in enumerate(range(2021, 2025)):
        target = f"/zwgk/jdnb/{year + 1}/{500 + k}.html"
        nested_items.append({"title": report_at(target, f"{'东西南北'[k]}城街道办事处", year), "url": target})

    def page_api(req: Request) -> Answer:
        try:
            body = json.loads(req.body or b"{}")
            n = body["page"]["current"]
            ok = body["condition"]["channelId"] == 7 and isinstance(n, int) and body["page"]["size"] == 2
        except (ValueError, KeyError, TypeError):
            ok = False
        if req.method != "POST" or not ok:
            return Answer(400, b'{"code": 400, "msg": "bad request"}', "application/json")
        return Answer(body=json.dumps({"code": 200, "data": {"records": nested_items[(n - 1) * 2:n * 2], "total": 4,
                                                             "size": 2, "current": n, "pages": 2}},
                                      ensure_ascii=False).encode("utf-8"), ctype="application/json")

    www.route("/api/cms/article/page", page_api)
    www.html("/zwgk/jdnb/", "街道信息公开年报",
             '<div id="app"><ul><li v-for="r in records"><a :href="r.url">{{ r.title }}</a></li></ul></div>'
             '<script>function load(n) {\n  axios.post("/api/cms/article/page", {condition: {channelId: 7},'
             ' page: {current: n, size: 2}}).then(function (res) { app.records = res.data.data.records; });\n}\n'
             'load(1);</script>')

    # g. TRS WCM's older list template: the pager written by the page's own script from
    # countPage/currentPage (document.write("<a href=\"index"+"_" + nextPage + "."+"html\">下一页</a>"))
    wcm = []
    for k, year in enumerate(range(2022, 2025)):
        target = f"/zwgk/wcmnb/{year + 1}04/t{year + 1}0401_{600 + k}.html"
        wcm.append(f'<li><a href="./{target[len("/zwgk/wcmnb/"):]}">{report_at(target, DEPTS[k + 20], year)}</a></li>')
    for n, row in enumerate(wcm):
        pager = wcm_pager(n, len(wcm))
        for target in (["/zwgk/wcmnb/", "/zwgk/wcmnb/index.html"] if n == 0 else [f"/zwgk/wcmnb/index_{n}.html"]):
            www.html(target, "政务公开年报", f"<ul>{row}</ul>{pager}")

    # h. a single-page detail: detail.html?id=N is an empty shell whose script fetches the article
    # from /api/article/detail?id= (read from its own URL) and shows its "content" HTML; one
    # article's content only links its PDF (附件1)
    spa = []
    for k, year in enumerate(range(2022, 2025)):
        seed += 1
        f = fig(seed, year, f"{county}{DEPTS[k + 24]}")
        art_id = 700 + k
        if k == 2:
            www.report(f"/upload/spa/{art_id}.pdf", f, "pdf")
            content = f'<p>现将{f.title}予以公布，详见附件。</p><p><a href="/upload/spa/{art_id}.pdf">附件1</a></p>'
        else:
            html = render(f, "html", "official").decode("utf-8")
            content = re.search(r"<body[^>]*>(.*)</body>", html, re.DOTALL).group(1)
            net.expect(f, "html", "official", www.url(f"/zwgk/spanb/detail.html?id={art_id}"))
        detail = {"code": 0, "data": {"id": art_id, "title": f.title, "publishTime": f"{year + 1}-03-01",
                                      "content": content, "source": county + "人民政府"}}
        www.route(f"/api/article/detail?id={art_id}", lambda _r, d=detail: Answer(
            body=json.dumps(d, ensure_ascii=False).encode("utf-8"), ctype="application/json;charset=UTF-8"))
        spa.append(f'<li><a href="detail.html?id={art_id}" target="_blank">{f.title}</a></li>')
    www.html("/zwgk/spanb/", "政府信息公开年度报告", f'<ul>{"".join(spa)}</ul>')
    www.html("/zwgk/spanb/detail.html", "详情", '<div id="app"><h1 id="title"></h1><div id="content"></div></div>'
             '<script>function getQueryString(name) { var r = window.location.search.substr(1).match(new RegExp('
             '"(^|&)" + name + "=([^&]*)(&|$)")); return r ? decodeURIComponent(r[2]) : null; }\n'
             'var id = getQueryString("id");\n$.getJSON("/api/article/detail?id=" + id, function (res) {'
             ' $("#title").text(res.data.title); $("#content").html(res.data.content); });</script>')

    # i. a department's 年报 page listing each year's report as a file saying only the year
    files = []
    for k, (year, kind) in enumerate(((2022, "pdf"), (2023, "docx"))):
        seed += 1
        f = fig(seed, year, f"{county}{DEPTS[k + 28]}")
        target = f"/zwgk/dwnb/P0{year + 1}0120{k}.pdf" if kind == "pdf" else f"/zwgk/dwnb/download.jsp?id={9100 + k}"
        www.report(target, f, kind, ctype="application/octet-stream" if kind == "docx" else None)
        files.append(f'<li><a href="{target}" target="_blank">{year}年度</a></li>')
    www.html("/zwgk/dwnb/", "年度报告", f'<ul>{"".join(files)}</ul>')

    # j. year links whose list is an HTML fragment a function fetches with $.get and shows
    for year in (2022, 2023):
        target = f"/zwgk/ndnb/{year + 1}/t{year + 1}0301_{800 + year}.html"
        title = report_at(target, DEPTS[30 + year - 2022], year)
        www.static(f"/zwgk/ndnb/{year}.html", f'<ul><li><a href="{target}">{title}</a></li></ul>'.encode("utf-8"))
    www.html("/zwgk/ndnb/", "年度报告专栏",
             '<div class="years"><a href="javascript:;" onclick="showYear(2023)">2023年</a> '
             '<a href="javascript:;" onclick="showYear(2022)">2022年</a></div><div id="list"></div><script>'
             'function showYear(y) { $.get("/zwgk/ndnb/" + y + ".html", function (html) { $("#list").html(html); }); }'
             '\n$(function () { showYear(2023); });</script>')

    # d. TRS createPageHTML fed by variables, pages index_1.html, index_2.html
    rows = []
    for k, year in enumerate(range(2022, 2025)):
        target = f"/zwgk/nb/{year + 1}03/t{year + 1}0301_{300 + k}.html"
        rows.append(f'<li><a href="./{target[len("/zwgk/nb/"):]}">{report_at(target, DEPTS[k + 12], year)}</a></li>')
    pages = [rows[0:1], rows[1:2], rows[2:3]]
    for n, chunk in enumerate(pages):
        script = ('<script>var _nPageCount = 3;\nvar _nCurrIndex = ' + str(n) + ';\nvar _sPageName = "index";\n'
                  'var _sPageExt = "html";\ncreatePageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt);</script>')
        www.html("/zwgk/nb/" + ("" if n == 0 else f"index_{n}.html"), "政府信息公开年报",
                 f'<ul>{"".join(chunk)}</ul><div class="page">{script}</div>')
    return net, ["www.jbxian.gov.cn"]
