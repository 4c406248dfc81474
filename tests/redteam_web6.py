"""Red-team webs, round 6: https sites and their aliases, deep and out-of-host 公开 platforms,
year sub-columns, year pickers, a whole portal that is one single-page app.

Built on round 2's loopback proxy (``tests/redteam_web2.Net``) and round 5's ``merged``; the proxy
here also tunnels ``CONNECT`` (``https_proxy``) to a TLS server with a throw-away self-signed
certificate made at start-up, so a site can live on https and redirect its http URLs there.
Each builder returns ``(net, seed hosts)``; ``tests/test_redteam_crawl7.py`` crawls them.

- :func:`https_web`: a county on https only (http answers 301 to https, robots.txt too) whose pages
  link themselves with http://, https:// and protocol-relative URLs; its 年报 column four clicks deep
  (首页 → 政府信息公开 → 法定主动公开内容 → 政府信息公开年报), under a ``<base href>``, with an
  attachment path climbing above the root (``../../../../upload/…``), one report linked under both
  schemes, one page whose tables are only images (the figures in its PDF attachment); a county whose
  公开 platform is another host (``xxgk.…gov.cn``) with a sub-column per year (links saying only
  ``2024年`` to ``col_3021.html``, no year in the URL); a 年报 table whose rows link only ``PDF版`` /
  ``Word版`` (the title in another cell) and a list cutting titles with ``...``;
- :func:`widgets_web`: a home page listing reports as links saying only ``2023年`` under a heading
  政府信息公开年报; a 年报 column whose years come from a ``<select>`` year picker calling
  ``loadYear(this.value)`` → ``$.getJSON("/api/nb/list?year=" + y)``; a list API whose page number
  comes before the rest of the concatenated URL (``"…?pageNo=" + p + "&channelId=" + cid``); year
  tabs ``<li data-year="2023">`` whose delegated click handler calls ``showYear($(this).data("year"))``;
- :func:`portal_app_web`: the whole portal is one Vue app (the seed's home page is the shell, its
  routes and list API only in the bundle, called through an ``axios.create({baseURL: "/prod-api"})``
  instance, RuoYi style: ``{"code": 200, "total": 7, "rows": […]}``); a portal app in history mode
  whose columns come from a menu API (``/column/31``, answered with the shell) and whose list API
  takes the column from the route (``columnId: this.$route.params.id``).
"""

from __future__ import annotations

import datetime
import json
import ssl
import tempfile
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs

from tests.loopback_proxy import LoopbackProxy
from tests.redteam_web2 import Answer, Net, Request
from tests.redteam_web3 import frame
from tests.redteam_web5 import merged as merged5
from tests.test_redteam_crawl2 import DEPTS, fig


def jsonr(obj) -> Answer:
    return Answer(body=json.dumps(obj, ensure_ascii=False).encode("utf-8"), ctype="application/json;charset=UTF-8")


# ---- https through the proxy -----------------------------------------------------------------------
def tls_context() -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for ``*.gov.cn`` (the crawler, as
    browsers' crawlers do, does not verify certificates)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "redteam6.gov.cn")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("*.gov.cn")]), critical=False)
            .sign(key, hashes.SHA256()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as tmp:
        pem = Path(tmp) / "cert.pem"
        pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        ctx.load_cert_chain(pem)
    return ctx


class TunnelProxy(LoopbackProxy):
    """The loopback proxy of ``tests/loopback_proxy.py`` plus ``CONNECT``: the tunnel is answered
    by a TLS server whose requests go to the same ``handle`` with the header ``X-Tls: 1``."""

    def __init__(self, handle):
        super().__init__(handle)
        self.context = tls_context()

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(super().handler_class()):
            tunnel = False

            def _serve(self) -> None:
                if self.tunnel:
                    self.headers["X-Tls"] = "1"
                proxy.handle(self)

            do_GET = do_POST = do_HEAD = _serve

            def do_CONNECT(self) -> None:
                self.send_response(200, "Connection established")
                self.end_headers()
                try:
                    conn = proxy.context.wrap_socket(self.connection, server_side=True)
                except (ssl.SSLError, OSError):
                    self.close_connection = True
                    return
                self.connection = conn
                self.rfile = conn.makefile("rb", -1)
                self.wfile = conn.makefile("wb", 0)
                self.tunnel = True
                self.close_connection = False

        return Handler


class TlsNet(Net):
    """A :class:`Net` whose proxy also tunnels https; hosts in ``https_only`` answer plain http
    with a 301 to the same URL on https (robots.txt included), as a site behind HSTS does."""

    https_only: set[str]
    tls_hits: list[tuple[str, str, bool]]

    def __enter__(self) -> Self:
        super().__enter__()
        plain = self._proxy
        assert plain is not None
        inner = plain.handle
        self.tls_hits = []

        def handle(h) -> None:
            self.tls_hits.append((h.headers.get("Host", "").split(":")[0].lower(), h.path, bool(h.headers.get("X-Tls"))))
            inner(h)

        self._proxy = TunnelProxy(handle).start()      # type: ignore[assignment]
        plain.stop()
        return self


def merged(*webs: tuple[Net, list[str]]) -> tuple[TlsNet, list[str]]:
    """Round 5's :func:`tests.redteam_web5.merged` on a :class:`TlsNet`: https-only hosts redirect."""
    net, seeds = merged5(*webs)
    net.__class__ = TlsNet
    net.https_only = set().union(*(getattr(sub, "https_only", set()) for sub, _ in webs))
    answer = net.answer

    def upgraded(req: Request) -> Answer:
        if req.host in net.https_only and not req.headers.get("x-tls"):
            target = req.path + (f"?{req.query}" if req.query else "")
            return Answer(301, b"", headers={"Location": f"https://{req.host}{target}"})
        return answer(req)

    net.answer = upgraded       # type: ignore[method-assign]
    return net, seeds           # type: ignore[return-value]


# ---- web 1: https, deep platforms, another host, year sub-columns -----------------------------------
def https_web() -> tuple[Net, list[str]]:
    net = Net()
    net.https_only = {"www.sjxian.gov.cn"}         # type: ignore[attr-defined]
    # a. https only; links in every scheme; the 年报 column four clicks deep
    sj = net.host("www.sjxian.gov.cn")
    county = "深涧县"
    sj.html("/", f"{county}人民政府", '<a href="//www.sjxian.gov.cn/zfxxgk/">政府信息公开</a> '
            '<a href="http://www.sjxian.gov.cn/xwzx/">新闻中心</a> <a href="/hdjl/">互动交流</a>')
    sj.html("/zfxxgk/", "政府信息公开", '<ul class="gknav"><li><a href="https://www.sjxian.gov.cn/zfxxgk/zn/">政府信息公开指南</a></li>'
            '<li><a href="http://www.sjxian.gov.cn/zfxxgk/zd/">政府信息公开制度</a></li>'
            '<li><a href="/zfxxgk/fdzdgknr/">法定主动公开内容</a></li><li><a href="/zfxxgk/ysqgk/">依申请公开</a></li></ul>')
    sj.html("/zfxxgk/fdzdgknr/", "法定主动公开内容",
            '<ul><li><a href="jgzn/">机构职能</a></li><li><a href="zcwj/">政策文件</a></li><li><a href="czzj/">财政资金</a></li>'
            '<li><a href="//www.sjxian.gov.cn/zfxxgk/fdzdgknr/gknb/">政府信息公开年报</a></li><li><a href="ghxx/">规划信息</a></li></ul>')
    rows = []
    for k, year in enumerate(range(2020, 2025)):
        f = fig(8100 + k, year, county + DEPTS[k + 3])
        if k == 1:
            # the tables are images on the page; the figures are in the attached PDF, linked by a
            # path climbing above the root (browsers clamp it there)
            page = f"/zfxxgk/fdzdgknr/gknb/{year + 1}/t{8100 + k}.html"
            pdf = f"/upload/nb/{8100 + k}.pdf"
            imgs = "".join(f'<p><img src="/upload/nb/{8100 + k}_{i}.png" alt="表{i}"></p>' for i in range(1, 4))
            sj.html(page, f.title, f"<h1>{f.title}</h1><p>根据《中华人民共和国政府信息公开条例》规定，现公布{f.title}。"
                    f"</p>{imgs}<p>附件：<a href=\"../../../../../upload/nb/{8100 + k}.pdf\">{f.title}.pdf</a></p>")
            sj.report(pdf, f, "pdf", "nolines")
            rows.append(f'<li><a href="{year + 1}/t{8100 + k}.html">{f.title}</a></li>')
            continue
        target = f"/zfxxgk/fdzdgknr/gknb/{year + 1}/t{8100 + k}.html"
        sj.report(target, f, "html", ("official", "trs", "word")[k % 3])
        if k == 2:        # linked under both schemes
            rows.append(f'<li><a href="http://www.sjxian.gov.cn{target}">{f.title}</a>'
                        f' <a href="https://www.sjxian.gov.cn{target}">[查看]</a></li>')
        elif k == 3:
            rows.append(f'<li><a href="//www.sjxian.gov.cn{target}">{f.title}</a></li>')
        else:
            rows.append(f'<li><a href="{year + 1}/t{8100 + k}.html">{f.title}</a></li>')
    sj.static("/zfxxgk/fdzdgknr/gknb/", frame(
        "政府信息公开年报", f'<h2>政府信息公开年报</h2><ul class="list">{"".join(rows)}</ul>', county + "人民政府")
        .replace(b"<head>", b'<head><base href="https://www.sjxian.gov.cn/zfxxgk/fdzdgknr/gknb/">', 1))

    # b. the 公开 platform on its own host, a sub-column per year (no year in their URLs)
    hk = net.host("www.hkxian.gov.cn")
    gk = net.host("xxgk.hkxian.gov.cn")
    county = "河口县"
    hk.html("/", f"{county}人民政府", '<a href="/xwzx/">要闻动态</a> <a href="http://xxgk.hkxian.gov.cn/">信息公开</a>'
            ' <a href="/bsfw/">办事服务</a>')
    gk.html("/", f"{county}政府信息公开平台", '<a href="/zn/">公开指南</a> <a href="/ml/">公开目录</a> '
            '<a href="/gknb/">公开年报</a> <a href="/ysq/">依申请公开</a>')
    years = []
    for k, year in enumerate(range(2022, 2025)):
        col = f"/gknb/col_{3021 + k}.html"
        years.append(f'<li><a href="{col}">{year}年</a></li>')
        entries = []
        for j in range(2):
            f = fig(8200 + 10 * k + j, year, county + DEPTS[10 + 2 * k + j])
            target = f"/gknb/art/{8200 + 10 * k + j}.html"
            gk.report(target, f, "html", ("official", "word")[j])
            entries.append(f'<li><a href="{target}">{f.title}</a></li>')
        gk.html(col, f"{year}年", f'<div class="crumb">公开年报 &gt; {year}年</div><ul>{"".join(entries)}</ul>')
    gk.html("/gknb/", "公开年报", f'<ul class="years">{"".join(years)}</ul>')

    # c. a 年报 table whose rows link only "PDF版" / "Word版" (the title in another cell), and a list
    # cutting long titles with "..."
    bz = net.host("www.bzxian.gov.cn")
    county = "坝州县"
    bz.html("/", f"{county}人民政府", '<a href="/zwgk/ndbg/">公开年报</a>')
    rows, cut = [], []
    for k, year in enumerate(range(2021, 2025)):
        f = fig(8700 + k, year, county + DEPTS[k + 16])
        if k < 2:
            kind, label = ("pdf", "PDF版") if k == 0 else ("docx", "Word版")
            target = f"/zwgk/ndbg/P0{8700 + k}.{kind}"
            bz.report(target, f, kind, "nolines" if kind == "pdf" else None)
            rows.append(f'<tr><td>{k + 1}</td><td>{f.title}</td><td>{year + 1}-01-2{k}</td>'
                        f'<td><a href="{target}">{label}</a></td></tr>')
        else:
            target = f"/zwgk/ndbg/{year + 1}/t{8700 + k}.html"
            bz.report(target, f, "html", ("official", "trs")[k % 2])
            cut.append(f'<li><a href="{target}">{f.title[:15]}...</a><span>{year + 1}-01-2{k}</span></li>')
    bz.html("/zwgk/ndbg/", "公开年报", '<table class="list"><tr><th>序号</th><th>标题</th><th>日期</th><th>下载</th>'
            f'</tr>{"".join(rows)}</table><ul class="list">{"".join(cut)}</ul>')
    return net, ["www.sjxian.gov.cn", "www.hkxian.gov.cn", "www.bzxian.gov.cn"]


# ---- web 2: list widgets — year-only links under a heading, a year picker, a page number first ----
def widgets_web() -> tuple[Net, list[str]]:
    net = Net()
    # a. the home page lists the reports as links saying only the year, under a 年报 heading
    nh = net.host("www.nhxian.gov.cn")
    county = "南湖县"
    items = []
    for k, year in enumerate(range(2021, 2025)):
        f = fig(8300 + k, year, county + "人民政府")
        target = f"/art/{year + 1}/1/{8300 + k}.html"
        nh.report(target, f, "html", ("official", "trs")[k % 2])
        items.append(f'<li><a href="{target}" target="_blank">{year}年</a></li>')
    nh.html("/", f"{county}人民政府", '<div class="nav"><a href="/xwzx/">新闻中心</a> <a href="/hdjl/">互动交流</a></div>'
            '<div class="box"><div class="box-hd"><h3>政府信息公开工作年度报告</h3></div>'
            f'<ul class="box-bd">{"".join(reversed(items))}</ul></div>'
            '<div class="box"><h3>通知公告</h3><ul><li><a href="/tzgg/1.html">2023年</a></li></ul></div>')

    # b. a year picker: <select onchange="loadYear(this.value)"> and an API per year
    xz = net.host("www.xzxian.gov.cn")
    county = "许庄县"
    xz.html("/", f"{county}人民政府", '<a href="/zwgk/">政务公开</a>')
    xz.html("/zwgk/", "政务公开", '<a href="/zwgk/nb/">政府信息公开年报</a> <a href="/zwgk/zcwj/">政策文件</a>')
    by_year: dict[str, list[dict]] = {}
    for k, year in enumerate(range(2021, 2025)):
        for j in range(1 + k % 2):
            f = fig(8400 + 10 * k + j, year, county + DEPTS[k + 2 * j])
            target = f"/zwgk/nb/c/{8400 + 10 * k + j}.html"
            xz.report(target, f, "html", ("official", "word")[j])
            by_year.setdefault(str(year), []).append({"title": f.title, "url": target, "date": f"{year + 1}-01-15"})

    def year_api(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("year") not in by_year:
            return Answer(400, json.dumps({"code": 1, "msg": "年份参数错误"}, ensure_ascii=False).encode(), "application/json")
        return jsonr({"code": 0, "list": by_year[q["year"]]})

    xz.route("/api/nb/list", year_api)
    options = "".join(f'<option value="{y}">{y}年</option>' for y in sorted(by_year, reverse=True))
    xz.html("/zwgk/nb/", "政府信息公开年报",
            f'<div class="sel">年度：<select id="nbYear" onchange="loadYear(this.value)">{options}</select></div>'
            '<ul id="list"></ul><script>function loadYear(y) {\n  $.getJSON("/api/nb/list?year=" + y, function (res) {'
            ' render(res.list); });\n}\nloadYear(' + max(by_year) + ');</script>')

    # c. a list API whose page number comes first in the concatenated URL
    cf = net.host("www.cfxian.gov.cn")
    county = "岑峰县"
    cf.html("/", f"{county}人民政府", '<a href="/xxgk/gknb/">政府信息公开年度报告</a>')
    docs = []
    for k, year in enumerate(range(2019, 2025)):
        f = fig(8500 + k, year, county + DEPTS[k + 14])
        target = f"/xxgk/gknb/{year + 1}/{8500 + k}.html"
        cf.report(target, f, "html", ("official", "trs", "word")[k % 3])
        docs.append({"docTitle": f.title, "docUrl": target})

    def paged(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("channelId") != "77" or q.get("pageSize") != "2" or not q.get("pageNo", "").isdigit():
            return Answer(400, json.dumps({"success": False, "msg": "参数错误"}, ensure_ascii=False).encode(), "application/json")
        n = int(q["pageNo"])
        return jsonr({"success": True, "pageCount": 3, "data": docs[(n - 1) * 2:n * 2]})

    cf.route("/xxgk/api/docs", paged)
    cf.html("/xxgk/gknb/", "政府信息公开年度报告",
            '<ul id="docs"></ul><div id="pager"></div><script>var cid = "77";\nfunction go(p) {\n'
            '  $.getJSON("/xxgk/api/docs?pageNo=" + p + "&channelId=" + cid + "&pageSize=2", function (res) {'
            ' render(res.data, res.pageCount); });\n}\ngo(1);</script>')

    # d. year tabs carrying data-year; a delegated click handler calls the year's list API
    dy = net.host("www.dyxian.gov.cn")
    county = "德阳县"
    dy.html("/", f"{county}人民政府", '<a href="/gk/nb/">政府信息公开年报</a>')
    tabs, rows_of = [], {}
    for k, year in enumerate(range(2022, 2025)):
        f = fig(8900 + k, year, county + DEPTS[k + 27])
        target = f"/gk/nb/a/{8900 + k}.html"
        dy.report(target, f, "html", ("official", "trs", "word")[k])
        rows_of[str(year)] = [{"title": f.title, "url": target}]
        tabs.append(f'<li data-year="{year}">{year}年</li>')

    def tab_api(req: Request) -> Answer:
        year = parse_qs(req.query).get("year", [""])[0]
        if year not in rows_of:
            return Answer(400, b'{"msg": "year required"}', "application/json")
        return jsonr({"rows": rows_of[year]})

    dy.route("/gk/api/nb", tab_api)
    dy.html("/gk/nb/", "政府信息公开年报", f'<ul class="years">{"".join(reversed(tabs))}</ul><ul id="list"></ul>'
            '<script>function showYear(y) {\n  $.getJSON("/gk/api/nb?year=" + y, function (res) { render(res.rows); });\n}\n'
            '$(".years").on("click", "li", function () { showYear($(this).data("year")); });</script>')
    return net, ["www.nhxian.gov.cn", "www.xzxian.gov.cn", "www.cfxian.gov.cn", "www.dyxian.gov.cn"]


# ---- web 3: a whole portal that is one single-page app ------------------------------------------------
PORTAL_JS = """/*! index.8a1b3c.js */
(function () {
  var service = axios.create({ baseURL: "/prod-api", timeout: 10000 });
  service.interceptors.response.use(function (res) { return res.data; });
  function listArticle(query) { return service({ url: "/portal/article/list", method: "get", params: query }); }
  var Home = { template: "#tpl-home" };
  var NbList = {
    template: "#tpl-list",
    data: function () { return { queryParams: { columnCode: "gknb", pageNum: 1, pageSize: 3 }, rows: [], total: 0 }; },
    created: function () { this.getList(); },
    methods: {
      getList: function () {
        var that = this;
        service({ url: "/portal/article/list", method: "get",
                  params: { columnCode: "gknb", pageNum: this.queryParams.pageNum, pageSize: 3 } })
          .then(function (res) { that.rows = res.rows; that.total = res.total; });
      }
    }
  };
  var router = new VueRouter({ mode: "history", routes: [
    { path: "/", component: Home, meta: { title: "首页" } },
    { path: "/xxgk/gknb", component: NbList, meta: { title: "政府信息公开年报" } }
  ] });
  new Vue({ el: "#app", router: router });
})();
"""


HISTORY_JS = """/*! app.51c0.js */
(function () {
  var Home = { created: function () { var that = this;
    axios.get("/api/portal/menu").then(function (res) { that.menu = res.data.data; }); } };
  var ColumnList = {
    data: function () { return { pageNo: 1, records: [] }; },
    created: function () { this.load(); },
    methods: { load: function () { var that = this;
      axios.get("/api/portal/article/list", { params: { columnId: this.$route.params.id, pageNo: this.pageNo, pageSize: 2 } })
        .then(function (res) { that.records = res.data.data.records; }); } }
  };
  var router = new VueRouter({ mode: "history", routes: [
    { path: "/", component: Home }, { path: "/column/:id", component: ColumnList }
  ] });
  new Vue({ el: "#app", router: router });
})();
"""


def portal_app_web() -> tuple[Net, list[str]]:
    net = Net()
    vp = net.host("www.vpxian.gov.cn")
    county = "葳坪县"
    shell = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{county}人民政府门户网站</title>'
             '<link href="/static/css/index.8a1b3c.css" rel="stylesheet"></head><body>'
             '<noscript><strong>本网站需要启用JavaScript。</strong></noscript><div id="app"></div>'
             '<script src="/static/js/chunk-vendors.77e1.js"></script>'
             '<script src="/static/js/index.8a1b3c.js"></script></body></html>').encode("utf-8")
    for path in ("/", "/xxgk/gknb"):      # history mode: the server answers every route with the shell
        vp.static(path, shell)
    vp.static("/static/js/chunk-vendors.77e1.js", b"/* vue, vue-router, axios */ !function(){}();", "application/javascript")
    vp.static("/static/js/index.8a1b3c.js", PORTAL_JS.encode("utf-8"), "application/javascript; charset=utf-8")
    rows = []
    for k, year in enumerate(range(2018, 2025)):
        f = fig(8600 + k, year, county + DEPTS[k + 4])
        target = f"/html/xxgk/gknb/{year + 1}/{8600 + k}.html"
        vp.report(target, f, "html", ("official", "trs", "word")[k % 3])
        rows.append({"articleId": 8600 + k, "title": f.title, "linkUrl": target, "createTime": f"{year + 1}-01-20 09:00:00"})

    def article_list(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("columnCode") != "gknb" or not q.get("pageNum", "").isdigit():
            return Answer(400, json.dumps({"code": 500, "msg": "栏目不存在"}, ensure_ascii=False).encode(), "application/json")
        n, size = int(q["pageNum"]), int(q.get("pageSize") or 3)
        return jsonr({"code": 200, "msg": "查询成功", "total": len(rows), "rows": rows[(n - 1) * size:n * size]})

    vp.route("/prod-api/portal/article/list", article_list)

    # b. an app in history mode whose columns come from a menu API (/column/31), the list API taking
    # the column from the route's parameter
    hm = net.host("www.hmxian.gov.cn")
    county = "衡门县"
    shell = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{county}人民政府</title></head><body>'
             '<div id="app"></div><script src="/js/app.51c0.js"></script></body></html>').encode("utf-8")
    hm.static("/", shell)
    hm.route("/column/", lambda _r: Answer(body=shell), prefix=True)
    hm.static("/js/app.51c0.js", HISTORY_JS.encode("utf-8"), "application/javascript")
    menu = [{"id": 31, "name": "政府信息公开年报", "path": "/column/31"}, {"id": 32, "name": "要闻动态", "path": "/column/32"},
            {"id": 33, "name": "政策文件", "path": "/column/33"}]
    hm.route("/api/portal/menu", lambda _r: jsonr({"code": 0, "data": menu}))
    arts = []
    for k, year in enumerate(range(2021, 2025)):
        f = fig(8800 + k, year, county + DEPTS[k + 24])
        target = f"/article/{8800 + k}.html"
        hm.report(target, f, "html", ("official", "word")[k % 2])
        arts.append({"title": f.title, "url": target, "publishTime": f"{year + 1}-01-12"})
    news = [{"title": f"{county}召开全县经济工作会议", "url": "/article/9901.html"}]

    def column_list(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("columnId") not in ("31", "32", "33") or not q.get("pageNo", "").isdigit():
            return Answer(400, b'{"code": 400, "msg": "columnId required"}', "application/json")
        rows = arts if q["columnId"] == "31" else news
        n = int(q["pageNo"])
        return jsonr({"code": 0, "data": {"records": rows[(n - 1) * 2:n * 2], "pages": -(-len(rows) // 2)}})

    hm.route("/api/portal/article/list", column_list)
    return net, ["www.vpxian.gov.cn", "www.hmxian.gov.cn"]
