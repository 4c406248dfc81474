"""Red-team crawls: the real `nianbao crawl` against webs in conventions crawler/simweb does not use.

Each web (tests/redteam_web.py, served through one loopback proxy) is crawled once as a subprocess;
the tests then check recall (≥ 98% of reachable reports), precision (100%: no lookalike stored), no
robots.txt violation, no off-scope fetch, no duplicate, and every stored figure against the
fixture generator's expected JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.fixturegen import make_figures, render_lookalike
from tests.redteam_web import RedWeb, flat

ROOT = Path(__file__).resolve().parents[1]
FAST = {"NIANBAO_CRAWL_DELAY": "0", "NIANBAO_DOWNLOAD_TIMEOUT": "10", "NIANBAO_RETRY_BACKOFF": "0"}
FOREIGN = ("www.weibo.com", "www.baidu.com", "beian.miit.gov.cn.example.com")


def figs(seeds, used: set) -> list:
    """Figures of distinct (agency, year) reports, one per usable seed."""
    out = []
    for s in seeds:
        f = make_figures(s, "2021" if s % 5 else "2019")
        if (f.agency, f.year) not in used:
            used.add((f.agency, f.year))
            out.append(f)
    return out


def page(title: str, body: str, *, meta_title: bool = False) -> str:
    meta = f'<meta name="ArticleTitle" content="{title}">' if meta_title else ""
    return (f"<html><head><meta charset=\"utf-8\"><title>{title}</title>{meta}</head><body>"
            f"<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"http://www.weibo.com/gov\">官方微博</a></div>"
            f"{body}<div class=\"foot\"><a href=\"http://www.baidu.com/\">百度</a></div></body></html>")


LOOKALIKE_TITLES = ["政府信息公开指南", "2024年政务公开工作要点", "2023年部门预决算公开", "2023年国民经济和社会发展统计公报",
                    "关于报送2023年政府信息公开工作年度报告的通知", "全市政务公开工作年度报告编制培训会召开",
                    "政府信息公开制度", "2023年政府工作报告", "关于做好2024年度政府信息公开工作年度报告编制发布工作的通知",
                    "图解：2023年政府信息公开工作年度报告", "2022年度政府信息公开工作年度报告模板"]


# ---- web 1: Hanweb JCMS ----------------------------------------------------------------------
def hanweb_web(used: set) -> RedWeb:
    web, host = RedWeb(), "www.hwshi.gov.cn"
    dept = "fgw.hwshi.gov.cn"
    web.robots(host, "User-agent: Baiduspider\nDisallow: /\n\nUser-agent: *\nDisallow: /search/\n")
    web.robots(dept, "User-agent: *\nDisallow:\n")
    web.page(host, "/", '<html><head><meta http-equiv="refresh" content="0;url=/index.html"></head></html>')
    web.page(host, "/index.html", page("某市人民政府", '<a href="/col/col1001/index.html">政务公开</a> '
             '<a href="/col/col2001/index.html">新闻动态</a> <a href="/huodong/rili.html?date=2024-01-01">活动日历</a>'))
    for d in range(1, 40):      # a calendar trap: each day links to the next
        web.page(host, f"/huodong/rili.html?date=2024-01-{d:02d}",
                 page("活动日历", f'<a href="/huodong/rili.html?date=2024-01-{d + 1:02d}">后一天</a>'))
    web.page(host, "/col/col1001/index.html", page("政务公开", "<ul class=\"left\">"
             '<li><a href="/col/col1002/index.html">政府信息公开指南</a></li>'
             '<li><a href="/col/col1003/index.html">政府信息公开制度</a></li>'
             '<li><a href="/col/col12345/index.html">政府信息公开年报</a></li>'
             '<li><a href="/col/col1005/index.html">法定主动公开内容</a></li></ul>'))
    reports = figs(range(100, 116), used)
    records = []
    for i, f in enumerate(reports):
        art = f"/art/{f.year + 1}/1/{10 + i}/art_12345_{600 + i}.html"
        h = dept if i % 4 == 3 else host
        if i % 3 == 0:       # the title only in meta and <title>; body link says 点击下载
            fname = f"a{i}b{f.year}.pdf"
            dl = f"/module/download/downfile.jsp?classid=0&filename={fname}"
            web.page(h, art, page(f.title, f'<p>附件：<a href="{dl}">点击下载</a></p>', meta_title=True))
            name = f"{f.title}.pdf"
            cd = (f'attachment; filename="{name.encode("gbk").decode("latin-1")}"' if i % 2
                  else f"attachment; filename*=UTF-8''{__import__('urllib.parse').parse.quote(name)}")
            web.report(h, dl, f, "pdf", "nolines", headers={"Content-Disposition": cd,
                                                              "Content-Type": "application/octet-stream"})
        elif i % 3 == 1:     # the report inline
            web.report(h, art, f, "html", "trs")
        else:                # page + 附件1 docx
            doc = f"/picture/0/{2400 + i}.docx"
            web.page(h, art, page(f.title, f'<p><a href="{doc}">附件1</a></p>'))
            web.report(h, doc, f, "docx", "official")
        url = art if h == host else f"http://{h}{art}"
        records.append(f'<li><a href="{url}" title="{f.title}" target="_blank">{f.title}</a>'
                       f'<span>{f.year + 1}-01-{10 + i}</span></li>')
    for j, t in enumerate(LOOKALIKE_TITLES):
        art = f"/art/2024/2/{j + 1}/art_12345_{900 + j}.html"
        web.page(host, art, render_lookalike("notice", j) if "通知" in t else page(t, f"<p>{t}的内容。</p>"))
        records.insert(2 * j + 1, f'<li><a href="{art}" title="{t}" target="_blank">{t}</a><span>2024-02-0{j % 9 + 1}</span></li>')
    total, per = len(records), 15

    def datastore(chunk: list[str]) -> str:
        return "<datastore>" + "".join(f"<record><![CDATA[{r}]]></record>" for r in chunk) + "</datastore>"

    first = ('<div id="4567"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
             'dataproxy.jsp?page=1&appid=1&webid=38&path=/&columnid=12345&unitid=4567&webname=%E6%9F%90%E5%B8%82'
             '&permissiontype=0"></a>]]></nextgroup><recordset>'
             + "".join(f"<record><![CDATA[{r}]]></record>" for r in records[:per]) + "</recordset></datastore>"
             "</script></div>"
             '<script language="javascript" src="/module/jslib/jquery/jpage/dataproxy.js"></script>'
             "<script>$(document).ready(function(){$('#4567').jpage({dataStore:dataStore,perPage:" + str(per)
             + ",totalRecord:" + str(total) + ",proxyUrl:'/module/web/jpage/dataproxy.jsp',groupSize:3,"
             "dataBefore:'<ul class=\"list\">',dataAfter:'</ul>',ajaxParam:{col:1,appid:1,webid:38,path:'/',"
             "columnid:12345,sourceContentType:1,unitid:4567,webname:'某市',permissiontype:0}});});</script>")
    web.page(host, "/col/col12345/index.html", page("政府信息公开年报", first))

    def dataproxy(method: str, query: str, body: bytes):
        from urllib.parse import parse_qs
        q = {k: v[0] for k, v in parse_qs(query).items()}
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if form.get("columnid") != "12345" and q.get("columnid") != "12345":
            return 200, {"Content-Type": "text/xml"}, b"<datastore><recordset></recordset></datastore>"
        s, e = int(q.get("startrecord", 1)), int(q.get("endrecord", per))
        xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>' + str(total)
               + "</totalrecord><recordset>" + "".join(f"<record><![CDATA[{r}]]></record>" for r in records[s - 1:e])
               + "</recordset></datastore>")
        return 200, {"Content-Type": "text/xml;charset=UTF-8"}, xml.encode("utf-8")

    web.handle(host, "/module/web/jpage/dataproxy.jsp", dataproxy)
    return web


# ---- web 2: TRS WCM, GBK without charset, script redirect home -----------------------------------
def trs_web(used: set) -> RedWeb:
    web, host = RedWeb(), "www.trsxian.gov.cn"      # robots.txt 404: everything allowed
    web.page(host, "/", '<html><head><script>window.location.href="/zw/index.html";</script></head><body></body></html>')
    gbk = {"ctype": "text/html", "encoding": "gbk"}
    bare = lambda t, b: (f"<html><head><title>{t}</title></head><body><a href=\"/zw/index.html\">首页</a>{b}"
                         "<a href=\"http://www.baidu.com/s?wd=1\">搜索</a></body></html>")
    web.page(host, "/zw/index.html", bare("某县人民政府", '<a href="/zwgk/">信息公开</a> <a href="/xwzx/">新闻中心</a>'), **gbk)
    web.page(host, "/zwgk/", bare("信息公开", '<a href="./zfxxgkzn/">政府信息公开指南</a> '
             '<a href="./gknb/index.html">政府信息公开年度报告</a> <a href="./czyjs/">财政预决算</a>'), **gbk)
    reports = figs(range(200, 214), used)
    items = []
    for i, f in enumerate(reports):
        d = f"{f.year + 1}01{10 + i:02d}"
        art = f"./{d[:6]}/t{d}_{123400 + i}.html"
        full = f"/zwgk/gknb{art[1:]}"
        sess = ";jsessionid=A1B2C3D4E5" if i % 5 == 0 else ""
        base = full.rsplit("/", 1)[0]
        if i % 3 == 0:
            att = f"./P0{d}{i:09d}.pdf"
            web.page(host, full, bare(f.title, f'<div class="TRS_Editor"><p>{f.title}</p></div>'
                     f'<p>附件：<a href="{att}" oldsrc="W0{d}.pdf">{f.title}.pdf</a></p>'), **gbk)
            web.report(host, f"{base}/{att[2:]}", f, "pdf", "nolines")
        elif i % 3 == 1:
            att = f"./P0{d}{i:09d}.xlsx"
            web.page(host, full, bare(f.title, f'<p class="fj"><a href="{att}"><img src="/images/xls.gif"></a>'
                     f'<span>{f.title}.xlsx</span></p>'), **gbk)
            web.report(host, f"{base}/{att[2:]}", f, "xlsx", "official")
        else:
            web.report(host, full, f, "html", "trs", encoding="gbk", declare_charset=False)
        items.append(f'<li><a href="{art}{sess}" '
                     f'target="_blank">{f.title}</a><span>{d[:4]}-{d[4:6]}-{d[6:]}</span></li>')
    for j, t in enumerate(LOOKALIKE_TITLES):
        art = f"./202402/t2024020{j % 9 + 1}_{555000 + j}.html"
        web.page(host, f"/zwgk/gknb{art[1:]}", bare(t, f"<p>{t}。</p>"), **gbk)
        items.insert(2 * j, f'<li><a href="{art}" target="_blank">{t}</a><span>2024-02-01</span></li>')
    per = 6
    pages = [items[k:k + per] for k in range(0, len(items), per)]
    for n, chunk in enumerate(pages):
        name = "index.html" if n == 0 else f"index_{n}.html"
        body = ("<ul class=\"list\">" + "".join(chunk) + "</ul><script>var countPage = " + str(len(pages))
                + "//共多少页\ncreatePageHTML(countPage, " + str(n) + ', "index", "html");</script>'
                + '<a href="?page=' + str(n + 2) + '">下一页</a>')
        web.page(host, f"/zwgk/gknb/{name}", bare("政府信息公开年度报告", body), **gbk)
    for p in range(2, 60):      # an endless ?page=N that always returns the first list
        web.routes[(host, f"/zwgk/gknb/index.html?page={p}")] = web.routes[(host, "/zwgk/gknb/index.html")]
        web.routes[(host, f"/zwgk/gknb/?page={p}")] = web.routes[(host, "/zwgk/gknb/index.html")]
    web.routes[(host, "/zwgk/gknb/")] = web.routes[(host, "/zwgk/gknb/index.html")]
    return web


# ---- web 3: a separate 信息公开 platform host with a JSON tree, frameset home, robots rules ------
def platform_web(used: set) -> RedWeb:
    web, www, xxgk = RedWeb(), "www.ptshi.gov.cn", "xxgk.ptshi.gov.cn"
    web.robots(www, "User-agent: *\nDisallow: /*?*\n")
    web.robots(xxgk, "User-agent: *\nDisallow: /module/\n")
    web.robots("sthj.ptshi.gov.cn", "", status=500)
    web.robots("jyj.ptshi.gov.cn", "", status=0)  # robots.txt unreachable: disallow all too
    web.page(www, "/", '<html><frameset rows="*"><frame src="/main.htm" name="main"></frameset></html>')
    web.page(www, "/main.htm", page("某市", f'<a href="http://{xxgk}/">政府信息公开</a> <a href="/news/?id=3">要闻</a>'))
    web.page(www, "/news/?id=3", page("要闻", '<a href="/gknb.html">2023年政府信息公开工作年度报告</a>'))
    web.page(xxgk, "/", page("政府信息公开平台", '<ul class="tree">'
             '<li><a href="javascript:void(0)" onclick="loadList(\'zfxxgkzn\')">政府信息公开指南</a></li>'
             '<li><a href="javascript:void(0)" onclick="loadList(\'gknb\')">政府信息公开年报</a></li>'
             '<li><a href="javascript:void(0)" onclick="loadList(\'yjs\')">财政预决算</a></li></ul>'
             '<div id="list"></div><script>function loadList(catalog, page) { page = page || 1;'
             ' $.getJSON("/api/list?catalog=" + catalog + "&page=" + page, function (d) { render(d); }); }</script>'))
    reports = figs(range(300, 316), used)
    rows = []
    for i, f in enumerate(reports):
        if i % 4 == 0:       # a report page with a /module/ download: robots forbids the file
            pg = f"/gknb/{f.year + 1}/{i}.html"
            dl = f"/module/download/downfile.jsp?filename=r{i}.docx"
            web.page(xxgk, pg, page(f.title, f'<a href="{dl}">附件下载</a>'))
            web.report(xxgk, dl, f, "docx", reachable=False)
            url = pg
        elif i % 4 == 1:     # direct PDF
            url = f"/upload/{f.year + 1}/{i}.pdf"
            web.report(xxgk, url, f, "pdf", "nolines")
        elif i == 6:         # on a department host whose robots.txt answers 500: not reachable
            url = f"http://sthj.ptshi.gov.cn/xxgk/{i}.html"
            web.report("sthj.ptshi.gov.cn", f"/xxgk/{i}.html", f, "html", "trs", reachable=False)
        elif i == 10:        # on one whose robots.txt connection drops: not reachable either
            url = f"http://jyj.ptshi.gov.cn/xxgk/{i}.html"
            web.report("jyj.ptshi.gov.cn", f"/xxgk/{i}.html", f, "html", "trs", reachable=False)
        else:
            url = f"/gknb/{f.year + 1}/{i}.html"
            web.report(xxgk, url, f, "html", "word")
        rows.append({"title": f.title, "url": url, "publishDate": f"{f.year + 1}-02-01"})
    for j, t in enumerate(LOOKALIKE_TITLES[:6]):
        web.page(xxgk, f"/gknb/x{j}.html", render_lookalike("notice", 40 + j) if "通知" in t else page(t, "<p>…</p>"))
        rows.insert(3 * j, {"title": t, "url": f"/gknb/x{j}.html", "publishDate": "2024-03-01"})

    def api(method: str, query: str, body: bytes):
        from urllib.parse import parse_qs
        q = {k: v[0] for k, v in parse_qs(query).items()}
        data = rows if q.get("catalog") == "gknb" else []
        p, size = int(q.get("page", 1)), 10
        return 200, {"Content-Type": "application/json;charset=UTF-8"}, json.dumps(
            {"total": len(data), "rows": data[(p - 1) * size:p * size]}, ensure_ascii=False).encode()

    web.handle(xxgk, "/api/list", api)
    return web


# ---- web 4: quoted meta refresh, <base href>, iframe lists, truncated titles, JS paging ---------
def misc_web(used: set) -> RedWeb:
    from urllib.parse import quote
    web, host = RedWeb(), "www.zaxian.gov.cn"
    web.robots(host, "User-agent: *\nAllow: /\n")
    web.page(host, "/", "<html><head><meta http-equiv=\"Refresh\" content=\"0; URL='/portal/index.html'\"></head></html>")
    web.page(host, "/portal/index.html", page("某县人民政府", '<base href="http://www.zaxian.gov.cn/portal/">'
             '<a href="xxgk/index.shtml">政府信息公开</a> <a href="bmxx/index.shtml">部门信息公开</a>'))
    web.page(host, "/portal/xxgk/index.shtml", page("政府信息公开", '<a href="nb.shtml">政府信息公开年报</a>'
             ' <a href="zn.shtml">政府信息公开指南</a>'))
    web.page(host, "/portal/xxgk/nb.shtml", page("政府信息公开年报", '<iframe src="/nbw/index.shtml" width="100%"></iframe>'))
    reports = figs(range(400, 418), used)
    rows = []
    for i, f in enumerate(reports):
        art = f"/nbw/c{1000 + i}/content.shtml"
        if i % 3 == 0:      # title only in <title> with the site's name; 附件1 is an extension-less download
            dl = f"/attach/download?id={9900 + i}"
            web.page(host, art, f"<html><head><title>{f.title}-某县人民政府</title></head><body>"
                     f'<div>发布时间：{f.year + 1}-01-05</div><p>附件：<a href="{dl}">附件1</a></p></body></html>')
            web.report(host, dl, f, "docx", headers={"Content-Type": "application/octet-stream",
                       "Content-Disposition": "attachment; filename*=UTF-8''" + quote(f.title + ".docx")})
        elif i % 3 == 1:    # an image link whose alt names the report, to a PDF page
            pdf = f"/nbw/files/{f.year}_{i}.pdf"
            web.report(host, pdf, f, "pdf", "nolines")
            web.page(host, art, page(f.title, f'<a href="{pdf}"><img src="/img/pdf.png" alt="{f.title}"></a>'))
        else:
            web.report(host, art, f, "html", "word")
        shown = f.title if len(f.title) <= 18 else f.title[:18] + "..."     # lists cut long titles
        rows.append(f'<tr><td><a href="{art}" target="_blank">{shown}</a></td><td>{f.year + 1}-01-05</td>'
                    '<td><a href="' + art + '">查看</a></td></tr>')
    for j, t in enumerate(LOOKALIKE_TITLES):
        art = f"/nbw/n{j}/content.shtml"
        web.page(host, art, render_lookalike("notice", 60 + j) if "通知" in t else page(t, f"<p>{t}</p>"))
        rows.insert(2 * j, f'<tr><td><a href="{art}">{t[:18]}</a></td><td>2024-01-01</td></tr>')
    per = 8
    chunks = [rows[k:k + per] for k in range(0, len(rows), per)]
    for n, chunk in enumerate(chunks):
        name = "index.shtml" if n == 0 else f"index_{n}.shtml"
        web.page(host, f"/nbw/{name}", page("年报列表", "<table>" + "".join(chunk) + "</table>"
                 "<script>function createPageHTML(a,b,c,d){}</script><div id=\"page\"><script>createPage("
                 + str(len(chunks)) + ", " + str(n) + ', "index", "shtml");</script></div>'))
    # department reports: a column paged by javascript:goPage(n)
    web.page(host, "/portal/bmxx/index.shtml", page("部门信息公开", '<a href="/bm/fgw/nb/list_1.html">发改委年度报告</a>'))
    dreps = figs(range(450, 458), used)
    items = []
    for i, f in enumerate(dreps):
        url = f"/bm/fgw/nb/{i}.html"
        web.report(host, url, f, "html", "official")
        items.append(f'<li><a href="{url}" title="{f.title}">{f.title}</a></li>')
    for n in range(1, 3):
        web.page(host, f"/bm/fgw/nb/list_{n}.html", page("发改委年度报告", "<ul>" + "".join(items[(n - 1) * 4:n * 4]) + "</ul>"
                 '<a href="javascript:goPage(1)">首页</a> <a href="javascript:goPage(' + str(n % 2 + 1) + ')">下一页</a>'
                 '<script>function goPage(n){ window.location.href = "list_" + n + ".html"; }</script>'))
    return web


# ---- web 5: Hanweb behind robots.txt: a group for us replaces the * group -----------------------
def robots_web(used: set) -> RedWeb:
    web, host = RedWeb(), "www.rbxian.gov.cn"
    web.robots(host, "User-agent: *\nDisallow: /\n\nUser-agent: nianbao\nDisallow: /module/\nDisallow: /*?*\n")
    web.page(host, "/", page("某县", '<a href="/col/col501/index.html">政府信息公开年度报告</a>'
             ' <a href="/list.jsp?cat=nb&page=1">年报查询</a>'))
    web.page(host, "/list.jsp?cat=nb&page=1", page("年报查询", "<a href='/x/hidden.html'>2023年政府信息公开工作年度报告</a>"))
    reports = figs(range(500, 512), used)
    records = []
    for i, f in enumerate(reports):
        art = f"/art/{f.year + 1}/2/{i + 1}/art_501_{i}.html"
        shown = i < 6                           # records beyond the first page come only from dataproxy.jsp
        if i % 2:                               # attachment under /module/: forbidden, unreachable
            dl = f"/module/download/downfile.jsp?classid=0&filename={i}.docx"
            web.page(host, art, page(f.title, f'<a href="{dl}">点击下载</a>', meta_title=True))
            web.report(host, dl, f, "docx", reachable=False)
        else:
            web.report(host, art, f, "html", "trs", reachable=shown)
        records.append(f'<li><a href="{art}" title="{f.title}">{f.title}</a></li>')
    body = ('<div id="9"><script type="text/xml"><datastore><recordset>'
            + "".join(f"<record><![CDATA[{r}]]></record>" for r in records[:6]) + "</recordset></datastore></script></div>"
            "<script>$('#9').jpage({perPage:6,totalRecord:" + str(len(records)) + ",proxyUrl:'/module/web/jpage/"
            "dataproxy.jsp',ajaxParam:{col:1,appid:1,webid:2,path:'/',columnid:501,sourceContentType:1,unitid:9,"
            "webname:'某县',permissiontype:0}});</script>")
    web.page(host, "/col/col501/index.html", page("政府信息公开年度报告", body))
    web.page(host, "/module/web/jpage/dataproxy.jsp", "<datastore><recordset>"
             + "".join(f"<record><![CDATA[{r}]]></record>" for r in records[6:]) + "</recordset></datastore>", ctype="text/xml")
    return web


# ---- web 6: a long list paged only by 下一页 links, deep below the home page ---------------------
def deep_web(used: set) -> RedWeb:
    web, host = RedWeb(), "www.shenxian.gov.cn"
    web.page(host, "/", page("某县", '<a href="/zwgk/index.html">政务公开</a>'))
    web.page(host, "/zwgk/index.html", page("政务公开", '<a href="/zwgk/fdzdgknr/index.html">法定主动公开内容</a>'))
    web.page(host, "/zwgk/fdzdgknr/index.html", page("法定主动公开内容", '<a href="/zwgk/nb/list_1.html">年度报告</a>'))
    reports = figs(range(600, 632), used)
    items = []
    for i, f in enumerate(reports):
        url = f"/zwgk/nb/content_{i}.html"
        web.report(host, url, f, "html", "official" if i % 2 else "word")
        items.append(f'<li><a href="{url}">{f.title}</a></li>')
    for j, t in enumerate(LOOKALIKE_TITLES):
        web.page(host, f"/zwgk/nb/x{j}.html", page(t, "<p>…</p>"))
        items.insert(3 * j, f'<li><a href="/zwgk/nb/x{j}.html">{t}</a></li>')
    per = 3
    chunks = [items[k:k + per] for k in range(0, len(items), per)]
    for n, chunk in enumerate(chunks, start=1):
        nav = (f'<a href="list_{n - 1}.html">上一页</a> ' if n > 1 else "") + \
              (f'<a href="list_{n + 1}.html">下一页</a>' if n < len(chunks) else "")
        web.page(host, f"/zwgk/nb/list_{n}.html", page("年度报告", "<ul>" + "".join(chunk) + "</ul>" + nav))
    return web


# ---- web 7: a list API that wants a JSON request body ---------------------------------------------
def jsonpost_web(used: set) -> RedWeb:
    web, host = RedWeb(), "www.jsxian.gov.cn"
    web.page(host, "/", page("某县", '<a href="/zfxxgk/nb/index.html">政府信息公开年报</a>'))
    web.page(host, "/zfxxgk/nb/index.html", page("政府信息公开年报", '<ul id="list"></ul><script>'
             'function load(p){ $.ajax({url: "/gateway/api/article/page", type: "POST", '
             'contentType: "application/json", data: JSON.stringify({channelCode: "gknb", pageNo: p, pageSize: 5}),'
             ' success: function (r) { show(r.data.records); } }); } load(1);</script>'))
    reports = figs(range(700, 712), used)
    recs = []
    for i, f in enumerate(reports):
        url = f"/zfxxgk/nb/{f.year + 1}/art{i}.html"
        web.report(host, url, f, "html", "official")
        recs.append({"docTitle": f.title, "docUrl": url, "pubDate": f"{f.year + 1}-01-20"})
    for j, t in enumerate(LOOKALIKE_TITLES[:5]):
        web.page(host, f"/zfxxgk/nb/x{j}.html", page(t, "<p>…</p>"))
        recs.insert(2 * j, {"docTitle": t, "docUrl": f"/zfxxgk/nb/x{j}.html", "pubDate": "2024-01-01"})

    def api(method: str, query: str, body: bytes):
        try:
            req = json.loads(body or b"{}")
        except ValueError:       # a form-encoded body is not what this gateway reads
            return 400, {"Content-Type": "application/json"}, b'{"code":400,"msg":"bad request"}'
        if method != "POST" or req.get("channelCode") != "gknb":
            return 200, {"Content-Type": "application/json"}, b'{"code":200,"data":{"records":[],"pages":0}}'
        p, size = int(req.get("pageNo", 1)), int(req.get("pageSize", 5))
        data = {"records": recs[(p - 1) * size:p * size], "pages": -(-len(recs) // size), "total": len(recs)}
        return 200, {"Content-Type": "application/json"}, json.dumps({"code": 200, "data": data}, ensure_ascii=False).encode()

    web.handle(host, "/gateway/api/article/page", api)
    return web


# ---- web 8: mobile/PC script redirect, card lists, raw Chinese file names, redirects to other hosts ---
def cards_web(used: set) -> RedWeb:
    from urllib.parse import quote
    web, host, files = RedWeb(), "www.kpshi.gov.cn", "files.kpshi.gov.cn"
    web.page(host, "/", '<html><head><script>if (/Android|iPhone/i.test(navigator.userAgent)) {'
             ' window.location.href = "/m/index.html"; } else { window.location.href = "/pc/index.html"; }'
             '</script></head><body></body></html>')
    web.page(host, "/pc/index.html", page("某市", '<div class="menu"><a href="/pc/zwgk/">政务公开</a></div>'))
    web.page(host, "/pc/zwgk/", page("政务公开", '<a href="/pc/zwgk/ndbg/">年度报告</a> <a href="/pc/zwgk/tjxx/">统计信息</a>'))
    reports = figs(range(800, 812), used)
    cards = []
    for i, f in enumerate(reports):
        if i % 3 == 0:      # a raw Chinese file name in the href, with a stray newline
            path = f"/uploadfiles/{f.year + 1}/{f.title}.pdf"
            web.report(host, quote(path), f, "pdf", "nolines")
            href = f" {path}\n"
        elif i % 3 == 1:    # a redirect script sending the reader to the file host
            target = f"http://{files}/doc/{i}.docx"
            web.report(files, f"/doc/{i}.docx", f, "docx")
            href = f"/go.jsp?id={i}"
            web.page(host, href, b"", status=302, headers={"Location": target})
            web.truth[f"http://{host}{href}"] = web.truth.pop(target)     # the crawler meets it by the list URL
        else:
            href = f"/pc/zwgk/ndbg/{i}.html"
            web.report(host, href, f, "html", "official")
        cards.append(f'<a class="card" href="{href}"><div class="t">{f.title}</div><div class="d">{f.year + 1}-02-02</div></a>')
    for j, t in enumerate(LOOKALIKE_TITLES[:6]):
        web.page(host, f"/pc/zwgk/ndbg/x{j}.html", page(t, "<p>…</p>"))
        cards.insert(2 * j, f'<a class="card" href="/pc/zwgk/ndbg/x{j}.html"><div class="t">{t}</div></a>')
    web.page(host, "/pc/zwgk/ndbg/", page("年度报告", "".join(cards)))
    return web


WEBS = {"hanweb": (hanweb_web, ["www.hwshi.gov.cn"]), "trs": (trs_web, ["www.trsxian.gov.cn"]),
        "platform": (platform_web, ["www.ptshi.gov.cn"]), "misc": (misc_web, ["www.zaxian.gov.cn"]),
        "robots": (robots_web, ["www.rbxian.gov.cn"]), "deep": (deep_web, ["www.shenxian.gov.cn"]),
        "jsonpost": (jsonpost_web, ["www.jsxian.gov.cn"]), "cards": (cards_web, ["www.kpshi.gov.cn"])}


def stored(db: Path) -> list[dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    out = []
    for r in con.execute("SELECT id, agency, year, source_url, page_url FROM reports"):
        urls = {unquote(u or "") for u in (r["source_url"], r["page_url"])}
        urls |= {unquote(u) for (u,) in con.execute("SELECT url FROM document_urls WHERE report_id = ?", [r["id"]])}
        cells = dict(con.execute("SELECT key, value FROM cells WHERE report_id = ?", [r["id"]]).fetchall())
        out.append({"agency": r["agency"], "year": r["year"], "urls": urls, "cells": cells})
    con.close()
    return out


def crawl(name: str, tmp: Path) -> tuple[str, RedWeb, list[dict], subprocess.CompletedProcess]:
    """Build web ``name``, crawl it through its proxy with the real CLI, read the stored reports."""
    build, seeds = WEBS[name]
    web = build(set())
    return name, web, *crawl_web(web, seeds, tmp)


def crawl_web(web: RedWeb, seeds: list[str], tmp: Path
              ) -> tuple[list[dict], subprocess.CompletedProcess]:
    """Crawl ``web`` from the seed hosts with the real CLI; the stored reports and the run."""
    sites = tmp / "sites.csv"
    sites.write_text("name,url\n" + "".join(f"site{i},http://{h}/\n" for i, h in enumerate(seeds)), encoding="utf-8")
    db = tmp / "corpus.db"
    with web:
        env = dict(os.environ, **FAST, http_proxy=web.proxy_url)
        proc = subprocess.run([sys.executable, "-m", "nianbao_cli", "crawl", "--sites", str(sites), "--db", str(db)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=170, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return stored(db), proc


def match(web: RedWeb, reports: list[dict]) -> tuple[dict, list]:
    """Expected URL -> stored reports matching it (by URL or agency+year); stored reports matching none."""
    hits: dict[str, list] = {u: [] for u in web.truth}
    extra = []
    for rep in reports:
        found = [u for u, e in web.truth.items() if u in rep["urls"] or (e["agency"], e["year"]) == (rep["agency"], rep["year"])]
        for u in found[:1]:
            hits[u].append(rep)
        if not found:
            extra.append(rep)
    return hits, extra


def check_recall(crawled):
    name, web, reports, proc = crawled
    hits, _ = match(web, reports)
    missed = [u for u, h in hits.items() if not h]
    assert len(web.truth) >= 3
    assert 1 - len(missed) / len(web.truth) >= 0.98, f"{name}: missed {missed}\n{proc.stdout}"


def check_precision_and_no_duplicates(crawled):
    name, web, reports, _ = crawled
    hits, extra = match(web, reports)
    assert not extra, f"{name}: stored lookalikes/unreachable {[(r['agency'], r['year'], sorted(r['urls'])) for r in extra]}"
    assert not [u for u, h in hits.items() if len(h) > 1], f"{name}: duplicates"


def check_robots_and_scope(crawled):
    name, web, _, _ = crawled
    assert web.robots_violations() == [], name
    assert not web.hosts_fetched() & set(FOREIGN), name
    assert all(h.endswith(".gov.cn") for h in web.hosts_fetched()), web.hosts_fetched()


def check_figures(crawled):
    name, web, reports, _ = crawled
    hits, _ = match(web, reports)
    bad = []
    for url, reps in hits.items():
        for rep in reps:
            exp = flat({k: web.truth[url][k] for k in ("active", "requests", "review_litigation")})
            for key, want in exp.items():
                got = rep["cells"].get(key)
                if (want is None) != (got is None) or (want is not None and abs(float(got) - float(want)) > 1e-6):
                    bad.append(f"{url} {key}: expected {want}, stored {got}")
    assert not bad, f"{name}: {len(bad)} mismatches, e.g. {bad[:5]}"


@pytest.mark.parametrize("name", sorted(WEBS))
def test_redteam_web(name, tmp_path):
    """One crawl per web (crawls are the slow part); every check on it."""
    crawled = crawl(name, tmp_path)
    check_recall(crawled)
    check_precision_and_no_duplicates(crawled)
    check_robots_and_scope(crawled)
    check_figures(crawled)


@pytest.mark.parametrize("script", [
    'function goPage(n){ window.location.href = "list_" + n + ".html"; }',
    'function goPage(page){ var url = "list_" + page + ".html"; location.href = url; }',
])
def test_js_function_pagination_links(script):
    """javascript:goPage(3) resolves through the page's own function, directly or via a local variable."""
    from crawler.discovery.links import extract_links
    html = f'<a href="javascript:goPage(3)">下一页</a><script>{script}</script>'
    urls = [link.url for link in extract_links(html, "http://x.gov.cn/nb/list_2.html")]
    assert "http://x.gov.cn/nb/list_3.html" in urls
    assert not any(u.endswith("/list_") for u in urls)


def test_robots_crawl_delay_spaces_the_requests_to_its_host(tmp_path):
    """``Crawl-delay: 1`` for our agent: a second at least between two requests to the host."""
    web, host = RedWeb(), "www.mdxian.gov.cn"
    web.robots(host, "User-agent: nianbao\nCrawl-delay: 1\nDisallow: /private/\n")
    reports = figs(range(600, 603), set())
    links = []
    for i, f in enumerate(reports):
        web.report(host, f"/ndbg/{i}.html", f, "html", "official")
        links.append(f'<a href="/ndbg/{i}.html">{f.title}</a>')
    web.page(host, "/", page("某县人民政府", '<a href="/ndbg/">政府信息公开工作年度报告</a>'))
    web.page(host, "/ndbg/", page("年度报告", "".join(links)))
    found, _ = crawl_web(web, [host], tmp_path)
    assert len(found) == len(reports)
    times = sorted(t for h, pq, t in web.times if h == host and pq != "/robots.txt")
    assert len(times) >= 5
    gaps = [b - a for a, b in zip(times, times[1:])]
    # Arrival times at the server: one request served late under load shortens one gap and
    # lengthens the next, so the mean holds the second and the least gap only most of it
    # (without the delay the gaps are a few milliseconds).
    assert sum(gaps) / len(gaps) >= 0.95 and min(gaps) >= 0.6, gaps
