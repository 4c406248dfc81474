"""Red-team crawls, round 2: portal conventions and hostile servers the first round did not use.

Each web (``tests/redteam_web2.py``: one loopback proxy, many virtual hosts) is crawled once by
the real ``nianbao crawl`` in a subprocess with ``http_proxy`` set; the stored reports are read
back with ``nianbao export --format jsonl``. Per web: recall ≥ 98% of the reachable reports
(one per agency and year, however many URLs it is posted at), no stored report that is not one
of them, no duplicate, no request robots.txt forbids, every cell equal to the fixture
generator's expected JSON, and every hostile URL recorded in ``errors`` while the crawl goes on.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_crawl2.py
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixturegen import make_figures, render_lookalike
from tests.redteam_web2 import Answer, Host, Net, gzip_bomb, huge_stream

ROOT = Path(__file__).resolve().parents[1]
FAST = {"NIANBAO_CRAWL_DELAY": "0", "NIANBAO_DOWNLOAD_TIMEOUT": "10", "NIANBAO_RETRY_BACKOFF": "0"}
TABLES = ("active", "requests", "review_litigation")

# Titles that sit on 年报 lists and must never be stored (brief; docs/format.md §7).
LOOKALIKES = ["2023年政务公开工作要点", "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知",
              "政府信息公开工作年度报告（2022年）解读", "图解：2023年政府信息公开工作年度报告",
              "2023年统计年报", "关于2022年政府信息公开工作年度报告的更正说明"]


def fig(seed: int, year: int, agency: str, **kw):
    """Figures of one report of ``agency`` for ``year`` (2019 format before 2021)."""
    return make_figures(seed, "2019" if year < 2021 else "2021", year=year, agency=agency, **kw)


def lookalike_page(host: Host, target: str, title: str, seed: int) -> None:
    """A lookalike: the compile notice as fixturegen draws it, else a page with a table of numbers."""
    if "通知" in title:
        host.static(target, render_lookalike("notice", seed))
    else:
        rows = "".join(f"<tr><td>指标{i}</td><td>{seed * 7 + i}</td><td>{i * 3}</td></tr>" for i in range(8))
        host.html(target, title, f"<h1>{title}</h1><table border=1>{rows}</table><p>（2023年度）</p>")


# ---- web 1: a 信息公开目录 of 32 departments, each with its own 年报 sub-column ----------------------
DEPTS = ["发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
         "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "水务局",
         "农业农村局", "商务局", "文化广电旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局",
         "市场监督管理局", "统计局", "医疗保障局", "林业局", "城市管理局", "信访局", "人民政府办公室",
         "行政审批局", "体育局", "档案局", "民族宗教事务局", "机关事务管理局", "粮食和物资储备局"]


def catalog_web() -> tuple[Net, list[str]]:
    net = Net()
    www = net.host("www.lzshi.gov.cn", robots="User-agent: *\nDisallow: /zfxxgk/search/\nDisallow: /*.jsp$\n")
    city = "临州市"
    www.html("/", f"{city}人民政府", '<a href="/zfxxgk/">政府信息公开</a> <a href="/xwzx/">新闻中心</a> '
             '<a href="/hdjl/">互动交流</a>')
    www.html("/zfxxgk/", "政府信息公开", '<a href="/zfxxgk/zn/">政府信息公开指南</a> <a href="/zfxxgk/zd/">'
             '政府信息公开制度</a> <a href="/zfxxgk/bm/">信息公开目录</a> <a href="/zfxxgk/search/">检索</a>')
    items, scripted = [], []
    seed = 1000
    for i, name in enumerate(DEPTS):
        code = f"d{i:02d}"
        agency = city + name
        if i % 2:
            scripted.append(f'<li class="dept" onclick="openDept(\'{code}\')">{name}</li>')
        else:
            items.append(f'<li><a href="/zfxxgk/bm/{code}/" target="_blank">{name}</a></li>')
        sub = ("政府信息公开年报", "年度报告", "政府信息公开工作年度报告", "信息公开年报")[i % 4]
        www.html(f"/zfxxgk/bm/{code}/" + ("index.html" if i % 2 else ""), agency if i % 3 else f"{agency}-信息公开",
                 f'<h2>{agency}</h2><ul class="sub"><li><a href="/zfxxgk/bm/{code}/jgzn/">机构职能</a></li>'
                 f'<li><a href="/zfxxgk/bm/{code}/zcwj/">政策文件</a></li><li><a href="/zfxxgk/bm/{code}/ghjh/">'
                 f'规划计划</a></li><li><a href="/zfxxgk/bm/{code}/nb/">{sub}</a></li></ul>')
        years = [2019, 2020, 2021, 2022, 2023, 2024] if i % 11 == 0 else [2019 + i % 6]
        entries = []
        for y in years:
            seed += 1
            f = fig(seed, y, agency)
            art = f"/zfxxgk/bm/{code}/nb/{y + 1}01/t{y + 1}0115_{seed}.html"
            kind = ("html", "html", "pdf", "docx")[seed % 4]
            if kind == "html":
                www.report(art, f, "html", ("official", "word", "trs")[seed % 3])
            else:
                att = f"/zfxxgk/bm/{code}/nb/{y + 1}01/P0{seed}.{kind}"
                www.html(art, f.title, f"<h1>{f.title}</h1><p>发布日期：{y + 1}-01-15</p>"
                         f'<p>附件：<a href="{att}">{f.title}.{kind}</a></p>')
                www.report(att, f, kind, "nolines" if kind == "pdf" else "official")
            entries.append(f'<li><a href="{art}" title="{f.title}">{f.title}</a><span>{y + 1}-01-15</span></li>')
        for j, t in enumerate(LOOKALIKES):
            if (i + j) % 5 == 0:
                target = f"/zfxxgk/bm/{code}/nb/x{j}.html"
                lookalike_page(www, target, t, seed + j)
                entries.insert(j % (len(entries) + 1), f'<li><a href="{target}">{t}</a><span>2024-02-01</span></li>')
        if i == 27:             # the city's own report on the portal and on the office's own site
            own = fig(1950, 2023, city + "人民政府")
            art = f"/zfxxgk/bm/{code}/nb/202401/t20240120_1950.html"
            www.report(art, own, "html", "official")
            net.host("bgs.lzshi.gov.cn").report("/xxgk/nb/1.html", own, "pdf", "nolines")
            www.html(f"/zfxxgk/bm/{code}/nb/more.html", "年度报告",
                     f'<a href="http://bgs.lzshi.gov.cn/xxgk/nb/1.html">{own.title}</a> <a href="{art}">{own.title}</a>')
        dept_list(www, f"/zfxxgk/bm/{code}/nb/", agency, entries, style=i % 4, per=1 if len(entries) <= 3 else 2)
    www.html("/zfxxgk/bm/", "信息公开目录", "<h3>市政府部门</h3><ul>" + "".join(items) + "</ul><ul>" + "".join(scripted)
             + '</ul><script>function openDept(code){ window.open("/zfxxgk/bm/" + code + "/index.html"); }</script>')
    return net, ["www.lzshi.gov.cn"]


def dept_list(host: Host, base: str, agency: str, entries: list[str], style: int, per: int = 2) -> None:
    """One department's 年报 list, paged four ways: index_N.html, ?pageIndex=N, javascript:goPage(n) with
    the pattern in a variable, onclick="toPage(n)" whose function branches and computes n - 1."""
    chunks = [entries[k:k + per] for k in range(0, len(entries), per)] or [[]]
    n = len(chunks)
    # the department index links to a "more" page that exists only for the city office (d27)
    more = '<a href="more.html">更多</a>' if base.endswith("/d27/nb/") else ""
    for p, chunk in enumerate(chunks):
        ul = "<ul class=\"list\">" + "".join(chunk) + "</ul>" + more
        if style == 0:          # index.html, index_1.html … (TRS numbering from 1 for page 2)
            nav = (f'<a href="index_{p + 1}.html">下一页</a>' if p + 1 < n else "") + f"<span>共{n}页</span>"
            target = base + ("index.html" if p == 0 else f"index_{p}.html")
        elif style == 1:        # ?pageIndex=N with numbered links
            nav = " ".join(f'<a href="?pageIndex={k + 1}">{k + 1}</a>' for k in range(n) if k != p)
            target = base + ("" if p == 0 else f"?pageIndex={p + 1}")
        elif style == 3:        # javascript:toPage(n) whose body branches: page 1 is index.html, n is index_{n-1}
            nav = ('<script>function toPage(n){ if (n == 1) { window.location.href = "index.html"; } else {'
                   ' window.location.href = "index_" + (n - 1) + ".html"; } }</script>'
                   + "".join(f'<a href="javascript:void(0)" onclick="toPage({k + 1})">{k + 1}</a> '
                             for k in range(n) if k != p)
                   + f"<span>第{p + 1}页 共{n}页</span>")
            target = base + ("index.html" if p == 0 else f"index_{p}.html")
        else:                   # javascript:goPage(n), the URL pattern in a JS variable
            nav = ('<script>var pageUrl = "' + base + 'list_{page}.html"; var pageCount = ' + str(n) + ';'
                   'function goPage(i){ window.location.href = pageUrl.replace("{page}", i); }</script>'
                   + "".join(f'<a href="javascript:goPage({k + 1})">{k + 1}</a> ' for k in range(n) if k != p)
                   + (f'<a href="javascript:goPage({p + 2})">下一页</a>' if p + 1 < n else ""))
            target = base + ("" if p == 0 else f"list_{p + 1}.html")
        host.html(target, f"{agency}年度报告", ul + f'<div class="page">{nav}</div>')
        if style == 2 and p == 0:   # goPage(1) from page 2 leads to list_1.html: page 1 again
            host.html(base + "list_1.html", f"{agency}年度报告", ul + f'<div class="page">{nav}</div>')
        if style in (0, 3) and p == 0:
            host.html(base, f"{agency}年度报告", ul + f'<div class="page">{nav}</div>')


# ---- web 2: list APIs POSTed with JSON bodies, rows in data.list / result.items ------------------
def api_web() -> tuple[Net, list[str]]:
    net = Net()
    www = net.host("www.jkshi.gov.cn", robots="User-agent: *\nDisallow: /admin/\n")
    www.html("/", "江口市人民政府", '<a href="/xxgk/">信息公开</a>')
    www.html("/xxgk/", "信息公开", '<a href="/xxgk/ndbg/">政府信息公开年度报告</a> <a href="/xxgk/bmnb/">部门年报</a>'
             ' <a href="/xxgk/xznb/">乡镇年报</a> <a href="/xxgk/zcwj/">政策文件</a>')
    # channel 123: fetch() with a JSON body; {"code":0,"data":{"list":[…],"pageCount":N}}
    www.html("/xxgk/ndbg/", "政府信息公开年度报告", '<div id="app"><ul id="list"></ul><div id="pager"></div></div>'
             "<script>var channelId = 123;\nfunction loadPage(page) {\n  fetch('/api/cms/content/list', {\n"
             "    method: 'POST', headers: {'Content-Type': 'application/json'},\n"
             "    body: JSON.stringify({channelId: 123, pageNo: page, pageSize: 8})\n"
             "  }).then(function (r) { return r.json(); }).then(function (d) { draw(d.data.list, d.data.pageCount); });\n"
             "}\nloadPage(1);</script>")
    rows123, seed = [], 2000
    agencies = ["江口市人民政府", "江口市江北区人民政府", "江口市高新区管委会", "江口市东湖区人民政府"]
    for agency in agencies:
        for y in range(2019, 2025):
            seed += 1
            f = fig(seed, y, agency)
            url = f"/xxgk/ndbg/{y + 1}/{seed}.html"
            www.report(url, f, "html", ("official", "trs", "word")[seed % 3])
            rows123.append({"title": f.title, "url": url, "publishTime": f"{y + 1}-01-20 09:00:00"})
    for j, t in enumerate(LOOKALIKES):
        lookalike_page(www, f"/xxgk/ndbg/x{j}.html", t, 60 + j)
        rows123.insert(5 * j + 1, {"title": t, "url": f"/xxgk/ndbg/x{j}.html", "publishTime": "2024-02-01 00:00:00"})

    busy: dict[str, int] = {}

    def channel123(req):
        try:
            q = json.loads(req.body or b"{}")
        except ValueError:
            return Answer(400, b'{"code":400,"msg":"JSON body expected"}', "application/json")
        if req.method != "POST" or q.get("channelId") != 123:
            return Answer(200, b'{"code":0,"data":{"list":[],"pageCount":0}}', "application/json")
        p, size = int(q.get("pageNo", 1)), int(q.get("pageSize", 8))
        if p == 2 and busy.setdefault("n", 0) < 1:       # the rate limiter answers in JSON, status 200
            busy["n"] += 1
            return Answer(200, '{"code":429,"msg":"访问过于频繁，请稍后再试"}'.encode(), "application/json")
        data = {"list": rows123[(p - 1) * size:p * size], "pageCount": -(-len(rows123) // size), "pageNo": p}
        return Answer(200, json.dumps({"code": 0, "data": data}, ensure_ascii=False).encode(), "application/json")

    # channel 124: axios.post with an object; {"result":{"items":[{"docTitle","id"}],"hasNext":bool}};
    # the detail URL is built by the page from the id; pages past the end repeat the last one.
    www.html("/xxgk/bmnb/", "部门政府信息公开年报", '<div id="app"></div><script>\nnew Vue({ el: "#app", data: '
             "{ items: [], pageNo: 1, hasNext: true },\n methods: { load: function () { var self = this;\n"
             "   axios.post('/api/cms/content/list', {channelId: 124, pageNo: this.pageNo, pageSize: 10})"
             ".then(function (res) {\n     self.items = res.data.result.items; self.hasNext = res.data.result.hasNext; });\n"
             "  },\n  open: function (item) { window.location.href = '/xxgk/detail.html?id=' + item.id; } },\n"
             " mounted: function () { this.load(); } });</script>")
    rows124 = []
    # 44 reports at detail.html?id=N: more than the crawler's 40 query variants per path
    depts = [f"江口市{d}" for d in DEPTS[:22]]
    for k, agency in enumerate(depts):
        for y in (2022, 2023):
            seed += 1
            f = fig(seed, y, agency)
            doc_id = 880000 + seed
            www.report(f"/xxgk/detail.html?id={doc_id}", f, "html", "official" if k % 2 else "word")
            rows124.append({"docTitle": f.title, "id": doc_id, "deptName": agency, "pubDate": f"{y + 1}-02-01"})
    for j, t in enumerate(LOOKALIKES[:3]):
        lookalike_page(www, f"/xxgk/detail.html?id={990 + j}", t, 70 + j)
        rows124.insert(4 * j, {"docTitle": t, "id": 990 + j, "pubDate": "2024-02-01"})

    def channel124(req):
        q = json.loads(req.body or b"{}")
        size = int(q.get("pageSize", 10))
        last = -(-len(rows124) // size)
        p = min(int(q.get("pageNo", 1)), last)       # clamps: asking past the end gives the last page
        result = {"items": rows124[(p - 1) * size:p * size], "hasNext": p < last, "pageNo": p}
        return Answer(200, json.dumps({"success": True, "result": result}, ensure_ascii=False).encode(),
                      "application/json;charset=UTF-8")

    def api(req):
        try:
            channel = json.loads(req.body or b"{}").get("channelId")
        except ValueError:
            return Answer(400, b'{"code":400}', "application/json")
        return channel124(req) if channel == 124 else channel123(req)

    www.route("/api/cms/content/list", api)
    # a Spring-style GET list counted from page 0: {"content": [{articleTitle, jumpUrl}], "totalPages", "last"}
    www.html("/xxgk/xznb/", "乡镇年报", '<ul id="list"></ul><script>\n$.get("/api/v2/articles?channel=xznb&page=0&size=5",'
             ' function (res) {\n  res.content.forEach(function (a) { $("#list").append(\'<li data-href="\' + a.jumpUrl'
             ' + \'">\' + a.articleTitle + "</li>"); });\n});</script>')
    towns = []
    for t, town in enumerate(["江口市江北区城关镇人民政府", "江口市江北区河西乡人民政府", "江口市东湖区湖滨街道办事处",
                              "江口市东湖区桃源镇人民政府", "江口市高新区新港街道办事处"]):
        for y in (2023, 2024):
            seed += 1
            f = fig(seed, y, town)
            www.report(f"/xxgk/xznb/content/{seed}", f, "html", "official")
            towns.append({"articleTitle": f.title, "jumpUrl": f"/xxgk/xznb/content/{seed}", "imgUrl": "/img/gh.png"})
    for j, t in enumerate(LOOKALIKES[3:5]):
        lookalike_page(www, f"/xxgk/xznb/content/x{j}", t, 90 + j)
        towns.insert(3 * j + 2, {"articleTitle": t, "jumpUrl": f"/xxgk/xznb/content/x{j}"})

    def spring(req):
        from urllib.parse import parse_qs
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("channel") != "xznb":
            return Answer(200, b'{"content":[],"totalPages":0,"last":true}', "application/json")
        p, size = int(q.get("page", 0)), int(q.get("size", 5))
        pages = -(-len(towns) // size)
        body = {"content": towns[p * size:(p + 1) * size], "totalPages": pages, "number": p, "last": p >= pages - 1}
        return Answer(200, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    www.route("/api/v2/articles", spring)
    return net, ["www.jkshi.gov.cn"]


# ---- web 3: the report inside viewers, embeds, octet-stream downloads, WPS and XLS attachments ---
def embed_web() -> tuple[Net, list[str]]:
    from urllib.parse import quote
    net = Net()
    www = net.host("www.qrxian.gov.cn")
    files = net.host("file.qrxian.gov.cn", robots="User-agent: *\nAllow: /\n")
    www.html("/", "青溪县人民政府", '<a href="/zwgk/">政务公开</a>')
    www.html("/zwgk/", "政务公开", '<a href="/zwgk/gknb/">政府信息公开年报</a> <a href="/zwgk/bmnb/list.do">部门年报</a>'
             ' <a href="/zwgk/tjxx/">统计信息</a>')
    entries, seed = [], 3000
    forms = ["viewer", "viewer_enc", "embed", "object", "download", "wps", "xls", "viewer_abs", "docx_dl",
             "viewer", "embed", "download"]
    agencies = ["青溪县人民政府", "青溪县教育局", "青溪县财政局"]
    n = 0
    for a, agency in enumerate(agencies):
        for y in range(2019, 2025) if a == 0 else (2022, 2023):
            seed += 1
            form = forms[n % len(forms)]
            n += 1
            f = fig(seed, y, agency)
            art = f"/zwgk/gknb/{y + 1}/c{seed}.html"
            pdf = f"/upload/{y + 1}/{seed}.pdf"
            if form in ("viewer", "viewer_enc", "viewer_abs"):
                src = {"viewer": pdf, "viewer_enc": quote(pdf, safe=""),
                       "viewer_abs": f"http://file.qrxian.gov.cn{pdf}"}[form]
                (files if form == "viewer_abs" else www).report(pdf, f, "pdf", "nolines")
                body = f'<iframe src="/pdfjs/web/viewer.html?file={src}" width="100%" height="800"></iframe>'
            elif form == "embed":
                www.report(pdf, f, "pdf", "nolines")
                body = f'<embed src="{pdf}" type="application/pdf" width="100%" height="800">'
            elif form == "object":
                www.report(pdf, f, "pdf", "nolines")
                body = f'<object data="{pdf}" type="application/pdf"><p>您的浏览器不支持预览</p></object>'
            elif form in ("download", "docx_dl"):
                dl = f"/attach/download?id={seed}"
                kind = "pdf" if form == "download" else "docx"
                www.report(dl, f, kind, "nolines" if kind == "pdf" else "official", ctype="application/octet-stream")
                body = f'<p>附件：<a href="{dl}">下载附件</a></p>'
            else:                       # .wps / .xls attachment named by the report
                att = f"/upload/{y + 1}/{seed}.{form}"
                www.report(att, f, form)
                body = f'<p>详见附件。</p><p><a href="{att}">{f.title}.{form}</a></p>'
            # the 财政局's items say only "青溪县财政局2023年度报告", on the list and on the page
            shown = f"{agency}{y}年度报告" if a == 2 else f.title
            www.html(art, shown, f'<div class="title">{shown}</div><div>发布时间：{y + 1}-01-28</div>{body}')
            entries.append(f'<li><a href="{art}">{shown}</a><i>{y + 1}-01-28</i></li>')
    for j, t in enumerate(LOOKALIKES):
        target = f"/zwgk/gknb/x{j}.html"
        lookalike_page(www, target, t, 80 + j)
        entries.insert(2 * j, f'<li><a href="{target}">{t}</a><i>2024-01-01</i></li>')
    www.html("/zwgk/gknb/", "政府信息公开年报", '<ul class="list">' + "".join(entries) + "</ul>")
    # departments' reports on a list paged by POSTing a form (toPage(n) sets pageNo and submits)
    rows = []
    for k, dept in enumerate(["青溪县公安局", "青溪县民政局", "青溪县司法局", "青溪县水利局", "青溪县审计局"]):
        seed += 1
        f = fig(seed, 2023 - k % 2, dept)
        www.report(f"/zwgk/bmnb/{seed}.html", f, "html", "official")
        rows.append(f'<li><a href="/zwgk/bmnb/{seed}.html">{f.title}</a></li>')
    rows.insert(1, f'<li><a href="/zwgk/gknb/x0.html">{LOOKALIKES[0]}</a></li>')
    per, pages = 2, -(-len(rows) // 2)

    def form_list(req):
        from urllib.parse import parse_qs
        fields = {k: v[0] for k, v in parse_qs(req.body.decode() if req.method == "POST" else req.query).items()}
        if fields.get("channelId", "77") != "77":
            return Answer(200, "<html><body>栏目不存在</body></html>".encode())
        p = max(1, min(int(fields.get("pageNo", 1)), pages))
        nav = " ".join(f'<a href="javascript:toPage({n})">{n}</a>' for n in range(1, pages + 1) if n != p)
        body = ('<html><head><title>部门政府信息公开年报</title></head><body><ul>' + "".join(rows[(p - 1) * per:p * per])
                + '</ul><form name="pageForm" id="pageForm" action="/zwgk/bmnb/list.do" method="post">'
                '<input type="hidden" name="channelId" value="77"><input type="hidden" name="pageNo" id="pageNo" value="'
                + str(p) + '"></form><div class="page">' + nav + f' <span>第{p}页/共{pages}页</span></div><script>'
                "function toPage(n){ document.getElementById('pageNo').value = n; document.pageForm.submit(); }"
                "</script></body></html>")
        return Answer(200, body.encode())

    www.route("/zwgk/bmnb/list.do", form_list)
    # the viewer itself: an HTML app that must not be mistaken for anything
    www.html("/pdfjs/web/viewer.html", "PDF.js viewer", '<div id="viewerContainer"></div><script src="viewer.js"></script>')
    return net, ["www.qrxian.gov.cn"]


# ---- web 4: hostile servers ----------------------------------------------------------------------
BUSY = "<html><head><title>提示</title></head><body><p>访问过于频繁，请稍后再试！</p></body></html>".encode()


def hostile_web() -> tuple[Net, list[str]]:
    net = Net()
    www = net.host("www.exxian.gov.cn", robots="User-agent: *\nDisallow: /private/\n")
    agency, seed = "鄂西县", 4000
    www.html("/", f"{agency}人民政府", '<a href="/zwgk/">政务公开</a>')
    www.html("/zwgk/", "政务公开", '<a href="/zwgk/nb/">政府信息公开年报</a> <a href="/private/nb.html">内部年报</a>')
    calendar = ('<table class="rili"><tr>' + "".join(f'<td><a href="2024-01-{d:02d}/">{d}</a></td>' for d in range(1, 32))
                + "</tr></table>")
    reports = []
    names = ["人民政府", "发展和改革局", "教育局", "公安局", "民政局", "财政局", "自然资源局", "生态环境分局",
             "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "卫生健康局", "审计局"]
    for i, name in enumerate(names):
        seed += 1
        reports.append(fig(seed, 2019 + i % 6, agency + name))
    items = []
    for i, f in enumerate(reports):
        art = f"/zwgk/nb/{f.year + 1}/t{seed}_{i}.html"
        if i == 0:              # 429 with Retry-After until two seconds have passed
            first: list[float] = []
            body = www.report(art, f, "html", "official")

            def limited(req, body=body, first=first):
                first.append(time.monotonic()) if not first else None
                if time.monotonic() - first[0] < 2.0:
                    return Answer(429, b"Too Many Requests", "text/plain", {"Retry-After": "2"})
                return Answer(200, body)
            www.route(art, limited)
        elif i == 1:            # a slow page (5 s)
            body = www.report(art, f, "html", "word")
            www.route(art, lambda req, body=body: Answer(200, body, delay=5.0))
        elif i == 2:            # "访问过于频繁" with status 200 the first two times
            body = www.report(art, f, "html", "trs")
            www.route(art, lambda req, body=body: Answer(200, BUSY if req.count <= 2 else body))
        elif i == 3:            # the report inline, plus a 60 MB attachment
            www.report(art, f, "html", "official")
            big = f"/zwgk/nb/{f.year + 1}/P0{seed}_big.pdf"
            html = www.routes[art](None).body.replace(
                b"</body>", f'<p><a href="{big}">附件：统计附表.pdf</a></p></body>'.encode())
            www.static(art, html)
            www.route(big, lambda req: Answer(200, ctype="application/pdf", stream=huge_stream(60 * 1024 * 1024),
                                              length=60 * 1024 * 1024))
            net.must_error.add(www.url(big))
        elif i == 4:            # GBK, no charset anywhere
            www.report(art, f, "html", "official", encoding="gbk", declare_charset=False)
        else:
            www.report(art, f, "html", ("official", "word")[i % 2])
        items.append(f'<li><a href="{art}">{f.title}</a></li>')
    # entries that must fail, be recorded with their URL, and not stop the crawl
    bad = {
        "/zwgk/nb/loop.html": lambda req: Answer(302, headers={"Location": "/zwgk/nb/loop2.html"}),
        "/zwgk/nb/loop2.html": lambda req: Answer(302, headers={"Location": "/zwgk/nb/loop.html"}),
        "/zwgk/nb/busy.html": lambda req: Answer(200, BUSY),
        "/zwgk/nb/reset.html": lambda req: Answer(reset=True),
        "/zwgk/nb/error.html": lambda req: Answer(500, "<h1>500 服务器内部错误</h1>".encode()),
        "/zwgk/nb/bomb.html": lambda req: Answer(200, BOMB, headers={"Content-Encoding": "gzip"}),
    }
    for k, (target, handler) in enumerate(bad.items()):
        www.route(target, handler)
        if target != "/zwgk/nb/loop2.html":
            items.insert(2 * k + 1, f'<li><a href="{target}">{agency}{2018 - k}年政府信息公开工作年度报告</a></li>')
            net.must_error.add(www.url(target))
    half = len(items) // 2
    page1 = '<ul class="list">' + "".join(items[:half]) + '</ul><a href="index_1.html">下一页</a>' + calendar
    page2 = '<ul class="list">' + "".join(items[half:]) + '</ul><a href="index.html">上一页</a>' + calendar
    www.html("/zwgk/nb/", "政府信息公开年报", page1)
    www.html("/zwgk/nb/index.html", "政府信息公开年报", page1)
    www.html("/zwgk/nb/index_1.html", "政府信息公开年报", page2, encoding="gbk", charset=False)
    page2_bytes = www.routes["/zwgk/nb/index_1.html"](None).body
    # the second list page is "busy" on its first request (a rate limiter answering 200)
    www.route("/zwgk/nb/index_1.html", lambda req: Answer(200, BUSY if req.count == 1 else page2_bytes, "text/html"))
    # the calendar: every day is the column template again, with relative day links (endless)
    storm = www.routes["/zwgk/nb/"](None).body

    def day(req):
        return Answer(200, storm)
    for d in range(1, 32):
        www.route(f"/zwgk/nb/2024-01-{d:02d}/", day, prefix=True)
    www.html("/private/nb.html", "内部年报", "<p>robots.txt forbids this page</p>")
    return net, ["www.exxian.gov.cn"]


BOMB = gzip_bomb(1024)

WEBS = {"catalog": catalog_web, "api": api_web, "embed": embed_web, "hostile": hostile_web}


# ---- crawling and checking -----------------------------------------------------------------------
def crawl(net: Net, seeds: list[str], tmp: Path, *args: str, scheme: str = "http",
          https_proxy: bool = False) -> tuple[list[dict], list[dict], subprocess.CompletedProcess]:
    """Crawl with the real CLI through the web's proxy (for https too with ``https_proxy``);
    (exported reports, errors rows, process)."""
    sites = tmp / "sites.csv"
    sites.write_text("name,url\n" + "".join(f"site{i},{scheme}://{h}/\n" for i, h in enumerate(seeds)), encoding="utf-8")
    db = tmp / "corpus.db"
    with net:
        env = dict(os.environ, **FAST, http_proxy=net.proxy_url)
        if https_proxy:
            env["https_proxy"] = net.proxy_url
        else:
            env.pop("https_proxy", None)
        proc = subprocess.run([sys.executable, "-m", "nianbao_cli", "crawl", "--sites", str(sites), "--db", str(db), *args],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=170, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = subprocess.run([sys.executable, "-m", "nianbao_cli", "export", "--db", str(db), "--format", "jsonl"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60, check=True).stdout
    reports = [json.loads(line) for line in out.splitlines() if line.strip()]
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    errors = [dict(r) for r in con.execute("SELECT url, kind, status, reason FROM errors")]
    con.close()
    return reports, errors, proc


def cells(report: dict) -> dict[str, object]:
    out = {}
    for table in TABLES:
        for row, cols in (report.get(table) or {}).items():
            for col, value in cols.items():
                out[f"{table}.{row}.{col}"] = value
    return out


def check(name: str, net: Net, reports: list[dict], errors: list[dict], proc) -> None:
    keys = [(r["agency"], r["year"]) for r in reports]
    expected = net.expected
    missed = sorted(set(expected) - set(keys))
    extra = [(r["agency"], r["year"], r.get("source_url")) for r in reports if (r["agency"], r["year"]) not in expected]
    recall = 1 - len(missed) / len(expected)
    print(f"{name}: {len(expected)} reachable reports, recall {recall:.3f}, {len(extra)} false positives; "
          f"{proc.stdout.strip()}")
    assert recall >= 0.98, f"{name}: missed {missed}\n{proc.stdout}"
    assert not extra, f"{name}: stored reports that are none of the reachable ones: {extra}"
    dups = sorted({k for k in keys if keys.count(k) > 1})
    assert not dups, f"{name}: duplicates {dups}"
    assert net.robots_violations() == [], f"{name}: robots.txt violations {net.robots_violations()}"
    assert all(h.host.endswith(".gov.cn") for h in net.hits), {h.host for h in net.hits}
    bad = []
    for rep in reports:
        exp = expected.get((rep["agency"], rep["year"]))
        if exp is None:
            continue
        want, got = cells({t: exp[t] for t in TABLES}), cells(rep)
        for key, value in want.items():
            g = got.get(key)
            if (value is None) != (g is None) or (value is not None and abs(float(g) - float(value)) > 1e-6):
                bad.append(f"{rep['agency']} {rep['year']} {key}: expected {value}, stored {g}")
    assert not bad, f"{name}: {len(bad)} cell mismatches, e.g. {bad[:5]}"
    recorded = {e["url"] for e in errors}
    unrecorded = sorted(net.must_error - recorded)
    assert not unrecorded, f"{name}: failures not recorded in errors: {unrecorded}\n{errors}"


def correction_web(with_correction: bool) -> tuple[Net, list[str]]:
    """A 年报 column holding a 2022 report; later the same report again as …年度报告（更正） with new figures."""
    net = Net()
    www = net.host("www.gzxian.gov.cn")
    agency = "港州县民政局"
    www.html("/", "港州县人民政府", '<a href="/xxgk/nb/">政府信息公开年度报告</a>')
    orig, fixed = fig(1901, 2022, agency), fig(1902, 2022, agency)
    fixed.title = fixed.title.replace("年度报告", "年度报告（更正）")
    entries = []
    for f, art, shown in ((orig, "/xxgk/nb/202301/t20230110_1901.html", True),
                          (fixed, "/xxgk/nb/202402/t20240210_1902.html", with_correction)):
        if shown:
            www.report(art, f, "html", "official")
            entries.insert(0, f'<li><a href="{art}">{f.title}</a></li>')
    other = fig(1903, 2023, agency)
    www.report("/xxgk/nb/202401/t20240115_1903.html", other, "html", "word")
    entries.append(f'<li><a href="/xxgk/nb/202401/t20240115_1903.html">{other.title}</a></li>')
    www.html("/xxgk/nb/", "政府信息公开年度报告", "<ul>" + "".join(entries) + "</ul>")
    return net, ["www.gzxian.gov.cn"]


def test_correction_posted_next_year_supersedes_the_report(tmp_path):
    """Night 1 stores a report; night 2 meets it again as …（更正） with new figures: one report, new figures."""
    net, seeds = correction_web(False)
    crawl(net, seeds, tmp_path)
    net, seeds = correction_web(True)
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("correction", net, reports, errors, proc)


@pytest.mark.parametrize("name", sorted(WEBS))
def test_redteam2_web(name, tmp_path):
    """One crawl per web; recall, precision, duplicates, robots, figures and error records."""
    net, seeds = WEBS[name]()
    # A portal of many departments spends many requests on reports: with a page budget of 200
    # the catalog web (55 reports, ~155 catalog and list pages, ~245 requests) must be crawled whole.
    reports, errors, proc = crawl(net, seeds, tmp_path, *(["--max-pages-per-site", "200"] if name == "catalog" else []))
    check(name, net, reports, errors, proc)
    if name == "hostile":
        host = "www.exxian.gov.cn"
        storm = sum(1 for h in net.hits if h.host == host and "/2024-01-" in h.target)
        assert storm <= 40, f"the calendar storm took {storm} requests"
        assert net.count(host, "/zwgk/nb/loop.html") <= 6
        assert proc.stderr.count("Traceback") == 0
        assert not [e for e in errors if "twisted" in e["reason"]], errors      # one plain line each
    if name == "api":
        past_end = [h for h in net.hits if h.target == "/api/cms/content/list"]
        assert len(past_end) <= 12, f"{len(past_end)} API calls for 9 pages"


# ---- the discovery rules these webs needed, on their own ----------------------------------------
def test_script_built_links_are_resolved():
    """goPage(n) through a page variable and .replace("{page}", n); ES6 templates; data-href rows."""
    from crawler.discovery.links import extract_links
    html = ('<script>var pageUrl = "/nb/list_{page}.html"; function goPage(i){ location.href = pageUrl.replace('
            '"{page}", i); }\nfunction openDoc(id){ window.open(`/xxgk/detail.html?id=${id}`); }\n'
            'function openDept(c){ window.open("/bm/" + c + "/index.html"); }</script>'
            '<a href="javascript:goPage(3)">3</a> <a href="javascript:openDoc(55)">某县2023年政府信息公开工作年度报告</a>'
            '<li onclick="openDept(\'d07\')">教育局</li><li data-href="/nb/9.html">某县2022年政府信息公开工作年度报告</li>'
            '<select><option value="index_2.html">第2页</option></select>')
    urls = [link.url for link in extract_links(html, "http://x.gov.cn/nb/")]
    assert "http://x.gov.cn/nb/list_3.html" in urls
    assert "http://x.gov.cn/xxgk/detail.html?id=55" in urls
    branching = ('<script>function toPage(n){ if (n == 1) { location.href = "index.html"; } else {'
                 ' location.href = "index_" + (n - 1) + ".html"; } }\n'
                 "function go(p){ window.location.href = p == 1 ? 'list.html' : 'list_' + (p-1) + '.html'; }</script>"
                 '<a onclick="toPage(3)">3</a> <a href="javascript:go(4)">4</a>')
    urls2 = [link.url for link in extract_links(branching, "http://x.gov.cn/nb/")]
    assert "http://x.gov.cn/nb/index_2.html" in urls2 and "http://x.gov.cn/nb/list_3.html" in urls2
    assert "http://x.gov.cn/bm/d07/index.html" in urls
    assert "http://x.gov.cn/nb/9.html" in urls and "http://x.gov.cn/nb/index_2.html" in urls
    # pieces of URLs built at run time are not pages
    assert not any("{page}" in u or "%7Bpage%7D" in u or u == "http://x.gov.cn/index.html" for u in urls)


def test_json_list_apis_called_by_fetch_and_axios():
    """fetch(url, {method: 'POST', body: JSON.stringify({...})}) and axios.post(url, {...}) send JSON bodies."""
    from crawler.discovery.lists import json_apis, json_has_next, json_links
    page = ("<script>fetch('/api/list', {method: 'POST', headers: {'Content-Type': 'application/json'}, "
            "body: JSON.stringify({channelId: 123, pageNo: page, pageSize: 15})});\n"
            "axios.post('/api/v2/list', {channelId: 124, pageNo: this.pageNo});\n"
            "function open(item) { location.href = '/xxgk/detail.html?id=' + item.id; }</script>")
    apis = json_apis(page, "http://x.gov.cn/xxgk/")
    assert [(a.url, a.method, a.json_body, a.page_param) for a in apis] == [
        ("http://x.gov.cn/api/list", "POST", True, "pageNo"), ("http://x.gov.cn/api/v2/list", "POST", True, "pageNo")]
    assert apis[0].form == {"channelId": "123", "pageNo": "1", "pageSize": "15"}
    reply = {"result": {"items": [{"docTitle": "某县2023年政府信息公开工作年度报告", "id": 77}], "hasNext": False}}
    assert [link.url for link in json_links(reply, "http://x.gov.cn/xxgk/", apis[0].detail)] == [
        "http://x.gov.cn/xxgk/detail.html?id=77"]
    assert json_has_next(reply) is False and json_has_next({"data": {"list": []}}) is None


def test_number_links_are_pages_only_in_the_list_shape():
    """A calendar's "15" → ./2024-01-15/ is no page of the list; list_3.html and ?pageIndex=3 are."""
    from crawler.discovery.scoring import is_trap_url, score_link
    page = "http://x.gov.cn/zwgk/nb/"
    assert score_link("15", "http://x.gov.cn/zwgk/nb/2024-01-15/", "", "column", page).tier != "pagination"
    assert score_link("3", "http://x.gov.cn/zwgk/nb/list_3.html", "", "column", page).tier == "pagination"
    assert score_link("3", "http://x.gov.cn/zwgk/nb/?pageIndex=3", "", "column", page).tier == "pagination"
    assert is_trap_url("http://x.gov.cn/zwgk/nb/2024-01-01/2024-01-02/")
    assert not is_trap_url("http://x.gov.cn/art/2024/1/10/art_1229_5.html")
    # department names that contain 人事 or 新闻 are departments, not navigation or news
    assert score_link("退役军人事务局", "http://x.gov.cn/bm/d18/", "", "platform").tier == "other"
    assert score_link("国务院新闻办公室2023年政府信息公开工作年度报告", "http://x.gov.cn/a.html").tier == "report"


def test_busy_pages_are_told_from_pages_that_mention_it():
    """A rate limiter's page (short, even with kilobytes of CSS; or JSON) is busy; an article is not."""
    from crawler.spiders.reports import is_busy_page
    assert is_busy_page(BUSY.decode())
    assert is_busy_page("<html><style>" + "p{margin:0}" * 2000 + "</style><p>系统繁忙，请稍后再试</p></html>")
    assert is_busy_page('{"code":429,"msg":"访问过于频繁，请稍后再试"}')
    assert not is_busy_page("<html><body><p>" + "本机关依申请公开工作" * 60 + "访问过于频繁的情况较少。</p></body></html>")
