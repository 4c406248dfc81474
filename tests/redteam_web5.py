"""Red-team webs, round 5: what round 4 left uncovered, and portal habits not drawn before.

Built on round 2's loopback proxy (``tests/redteam_web2.Net``); each builder returns
``(net, seed hosts)``; :func:`merged` puts several behind one proxy, as
``tests/test_redteam_crawl6.py`` crawls them.

- :func:`spa_web`: a single-page app whose 年报 column is a hash route (``/xxgk/index.html#/nb/list``):
  the shell page holds no list and no inline script; its bundled ``app.js`` (a ``<script src>``)
  names the list API (under a base kept in a variable, ``params: {…, t: Date.now()}``) and the
  detail API the ``#/detail/:id`` route reads; items carry only an id (``"#/detail/" + item.articleId``),
  some a file URL. Beside it a list whose JSON POST body carries values the page computes:
  a variable (``siteId: siteId``), a hidden input (``$("#columnId").val()``) and a timestamp
  (``new Date().getTime()``) — the server refuses a body without them;
- :func:`gate_web`: anti-bot gateways whose challenge script computes the cookie (arithmetic,
  concatenation, ``String.fromCharCode``, an array's ``join``), one in two stages (a literal cookie,
  then a computed one), one in front of robots.txt too;
- :func:`aspnet5_web`: UpdatePanel lists whose pager sits outside the panel and is listed as an
  asynchronous trigger (``asyncPostBackControlIDs``): numbered links, and a 下一页 link the delta
  replies do not carry (it stays on the page); the server answers only the browser's async postback;
- :func:`portal_web`: a home page that is only a meta refresh; a 年报 tab reached only through the
  政府信息公开指南 page; list links carrying a ``;jsessionid=`` that changes per request; lookalikes
  beside the reports (an enterprise's and a social organisation's 年度报告, 统计年报, 决算, a 解读, 工作要点);
  a site seeded without ``www.`` whose pages link both host names (one report, one record), its
  platform an ``<iframe>``, its column a ``location.replace`` script redirect, and a report page
  whose tables are only in an attached XLSX.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs

from tests.fixturegen import render
from tests.redteam_web2 import Answer, Net, Request
from tests.redteam_web3 import frame
from tests.redteam_web4 import delta, form_fields
from tests.test_redteam_crawl2 import DEPTS, fig


def jsonr(obj) -> Answer:
    return Answer(body=json.dumps(obj, ensure_ascii=False).encode("utf-8"), ctype="application/json;charset=UTF-8")


def body_of(f, style: str = "official") -> str:
    html = render(f, "html", style).decode("utf-8")
    return re.search(r"<body[^>]*>(.*)</body>", html, re.DOTALL).group(1)


# ---- web 1: a single-page app with hash routes; a JSON body of computed values --------------------
APP_JS = """/*! app.9f3c1e.js */
(function () {
  var BASE_API = "/gateway/cms";
  var CHANNEL = "nb";
  var ListView = {
    template: "#tpl-list",
    data: function () { return { page: 1, size: 2, items: [], total: 0 }; },
    created: function () { this.page = parseInt(this.$route.query.page || 1); this.load(); },
    methods: {
      load: function () {
        var self = this;
        axios.get(BASE_API + "/article/list", { params: { channel: CHANNEL, page: this.page, size: this.size, t: Date.now() } })
          .then(function (res) { self.items = res.data.data.list; self.total = res.data.data.total; });
      },
      open: function (item) {
        if (item.fileUrl) { window.open(item.fileUrl); return; }
        this.$router.push("/detail/" + item.articleId);
      },
      go: function (n) { this.$router.push({ path: "/nb/list", query: { page: n } }); }
    }
  };
  var DetailView = {
    template: "#tpl-detail",
    data: function () { return { article: {} }; },
    created: function () {
      var self = this;
      axios.get(BASE_API + "/article/detail", { params: { articleId: this.$route.params.id } })
        .then(function (res) { self.article = res.data.data; });
    }
  };
  var router = new VueRouter({ mode: "hash", routes: [
    { path: "/nb/list", component: ListView },
    { path: "/detail/:id", component: DetailView }
  ] });
  new Vue({ el: "#app", router: router });
})();
"""


def spa_web() -> tuple[Net, list[str]]:
    net = Net()
    # a. the hash-routed single-page app
    www = net.host("www.spxian.gov.cn")
    county = "舒平县"
    www.html("/", f"{county}人民政府", '<a href="/xxgk/index.html#/nb/list">政府信息公开年报</a> '
             '<a href="/xwzx/">新闻中心</a>')
    www.static("/xxgk/index.html", (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{county}政务公开</title>'
        '<link href="/xxgk/static/css/app.css" rel="stylesheet"></head><body>'
        '<noscript>请启用JavaScript以浏览本站。</noscript><div id="app"></div>'
        '<script src="/xxgk/static/js/chunk-vendors.2b7a.js"></script>'
        '<script src="/xxgk/static/js/app.9f3c1e.js"></script></body></html>').encode("utf-8"))
    www.static("/xxgk/static/js/chunk-vendors.2b7a.js", b"/* vue, vue-router, axios */ !function(){}();",
               "application/javascript")
    www.static("/xxgk/static/js/app.9f3c1e.js", APP_JS.encode("utf-8"), "application/javascript; charset=utf-8")
    items, details = [], {}
    for k, year in enumerate(range(2019, 2025)):
        f = fig(7100 + k, year, county + DEPTS[k])
        item = {"articleId": 5100 + k, "title": f.title, "publishDate": f"{year + 1}-01-2{k}"}
        if k % 3 == 2:          # an item that is only its file
            item["fileUrl"] = f"/upload/nb/{5100 + k}.docx"
            www.report(item["fileUrl"], f, "docx")
        else:
            details[str(5100 + k)] = {"articleId": 5100 + k, "title": f.title, "content": body_of(f, ("official", "word")[k % 2]),
                                      "source": county + "人民政府"}
            net.expect(f, "html", ("official", "word")[k % 2], www.url(f"/gateway/cms/article/detail?articleId={5100 + k}"))
        items.append(item)

    def list_api(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("channel") != "nb" or not q.get("page", "").isdigit():
            return jsonr({"code": 400, "msg": "参数错误"})
        n, size = int(q["page"]), int(q.get("size") or 2)
        return jsonr({"code": 0, "data": {"list": items[(n - 1) * size:n * size], "total": len(items), "size": size}})

    def detail_api(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        art = details.get(q.get("articleId", ""))
        return jsonr({"code": 0, "data": art}) if art else Answer(404, b'{"code": 404}', "application/json")

    www.route("/gateway/cms/article/list", list_api)
    www.route("/gateway/cms/article/detail", detail_api)

    # b. a JSON POST whose body carries a variable, a hidden input's value and a timestamp
    js = net.host("www.jsxian.gov.cn")
    county = "姜水县"
    js.html("/", f"{county}人民政府", '<a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a>')
    js.html("/zwgk/", "政务公开", '<a href="/zwgk/gknb/index.html">政府信息公开年报</a> <a href="/zwgk/zcwj/">政策文件</a>')
    rows = []
    for k, year in enumerate(range(2020, 2025)):
        f = fig(7200 + k, year, county + DEPTS[k + 6])
        target = f"/zwgk/gknb/{year + 1}02/t{year + 1}0215_{7200 + k}.html"
        js.report(target, f, "html", ("trs", "official")[k % 2])
        rows.append({"title": f.title, "url": target, "pubDate": f"{year + 1}-02-15"})

    def info_page(req: Request) -> Answer:
        try:
            body = json.loads(req.body or b"{}")
            stamp = float(body["timestamp"]) / 1000
            ok = (req.method == "POST" and body["siteId"] == "jsx01" and str(body["columnId"]) == "1207"
                  and abs(stamp - time.time()) < 86400 and isinstance(body["pageNo"], int))
        except (ValueError, KeyError, TypeError):
            ok = False
        if not ok:
            return jsonr({"code": 500, "msg": "非法请求"})
        n = body["pageNo"]
        return jsonr({"code": 200, "data": {"rows": rows[(n - 1) * 2:n * 2], "total": len(rows), "pageSize": 2}})

    js.route("/cms/api/info/page", info_page)
    js.html("/zwgk/gknb/index.html", "政府信息公开年报",
            '<input type="hidden" id="columnId" value="1207" /><ul id="list"></ul><div id="pager"></div>'
            '<script>var siteId = "jsx01";\nfunction loadData(pageNo) {\n  $.ajax({url: "/cms/api/info/page", type: "POST",'
            ' contentType: "application/json;charset=utf-8",\n    data: JSON.stringify({siteId: siteId, columnId: $("#columnId").val(),'
            ' pageNo: pageNo, pageSize: 2, timestamp: new Date().getTime()}),\n    success: function (res) { render(res.data); }});\n}\n'
            '$(function () { loadData(1); });</script>')

    # c. an app whose columns are routes (#/col/301, #/col/302): the list API takes the column from
    # the route's parameter (this.$route.params.channelId), the server refusing any other
    hx = net.host("www.hxxian.gov.cn")
    county = "华溪县"
    hx.html("/", f"{county}人民政府", '<a href="/zwgk/#/col/301">政府信息公开年报</a> '
            '<a href="/zwgk/#/col/302">部门政府信息公开年报</a> <a href="/zwgk/#/col/303">政策文件</a>')
    hx.static("/zwgk/", (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{county}政务公开</title></head><body>'
                         '<div id="app"></div><script src="/zwgk/js/main.41d2.js"></script></body></html>').encode("utf-8"))
    hx.static("/zwgk/js/main.41d2.js", APP2_JS.encode("utf-8"), "application/javascript")
    columns: dict[str, list[dict]] = {"301": [], "302": []}
    for k, year in enumerate(range(2021, 2025)):
        for col, dept in (("301", "人民政府办公室"), ("302", DEPTS[k + 28])):
            f = fig(7800 + k * 2 + int(col == "302"), year, county + dept)
            target = f"/zwgk/art/{col}/{7800 + k}.html"
            hx.report(target, f, "html", ("official", "word")[k % 2])
            columns[col].append({"id": 7800 + k, "title": f.title, "url": target})

    def col_api(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        rows = columns.get(q.get("channelId", ""))
        if rows is None or not q.get("pageNum", "").isdigit():
            return jsonr({"code": 400, "msg": "栏目不存在"})
        n = int(q["pageNum"])
        return jsonr({"code": 200, "rows": rows[(n - 1) * 2:n * 2], "total": len(rows)})

    hx.route("/portal/api/content/list", col_api)
    return net, ["www.spxian.gov.cn", "www.jsxian.gov.cn", "www.hxxian.gov.cn"]


APP2_JS = """/*! main.41d2.js */
var API = "/portal/api";
var ColumnList = {
  data: function () { return { rows: [], total: 0 }; },
  watch: { "$route": "load" },
  created: function () { this.load(); },
  methods: {
    load: function () {
      var vm = this;
      axios.get(API + "/content/list", { params: { channelId: this.$route.params.channelId,
        pageNum: this.$route.query.page || 1, pageSize: 2 } }).then(function (res) { vm.rows = res.data.rows; vm.total = res.data.total; });
    },
    page: function (n) { this.$router.push({ path: this.$route.path, query: { page: n } }); }
  }
};
var router = new VueRouter({ routes: [ { path: "/", redirect: "/col/301" }, { path: "/col/:channelId", component: ColumnList } ] });
new Vue({ el: "#app", router: router });
"""


# ---- web 2: gateway challenges that compute the cookie ------------------------------------------
CHALLENGE = "<html><body><script>{}</script></body></html>"


def gate_web() -> tuple[Net, list[str]]:
    net = Net()
    # a. one stage: arithmetic and concatenation through variables
    a = net.host("www.jlxian.gov.cn")
    want_a = f"{1700000000 + 25 * 60}.JLx9|7"
    script_a = ('var _a = 3 * 7 + 4, _b = "JL" + "x9";document.cookie = "__jsl_clearance_s=" + (1700000000 + _a * 60) + "."'
                ' + _b + "|" + (16 - 9) + ";max-age=3600;path=/";location.href = location.pathname + location.search;')
    # b. two stages: a literal cookie first, then one built by String.fromCharCode and an array's join
    b = net.host("www.hyxian.gov.cn")
    script_b1 = "document.cookie=('__jsluid_s')+('=')+('a1b2c3')+';path=/';location.href=location.pathname+location.search"
    script_b2 = ('var p=[104,121,56];var q=["q","w"];document.cookie="__jsl_clearance_s="+String.fromCharCode(p[0],p[1])'
                 '+(p[2]-48)+q.join("")+";max-age=3600;path=/";location.href=location.pathname+location.search')

    def gate(host, county: str, handler, dept_seed: int):
        host.html("/", f"{county}人民政府", '<a href="/xxgk/nb/">政府信息公开年度报告</a>')
        entries = []
        for k, year in enumerate((2022, 2023)):
            f = fig(dept_seed + k, year, county + DEPTS[k + 10])
            target = f"/xxgk/nb/{year + 1}/t{dept_seed + k}.html"
            host.report(target, f, "html", "official")
            entries.append(f'<li><a href="{target}">{f.title}</a></li>')
        host.html("/xxgk/nb/", "政府信息公开年度报告", f"<ul>{''.join(entries)}</ul>")
        inner = dict(host.routes)
        for target, route in inner.items():
            host.route(target, lambda req, r=route: handler(req) or r(req))

    def cookies(req: Request) -> dict[str, str]:
        return dict(p.strip().split("=", 1) for p in req.headers.get("cookie", "").split(";") if "=" in p)

    def handler_a(req: Request) -> Answer | None:
        if cookies(req).get("__jsl_clearance_s") != want_a:
            return Answer(521, CHALLENGE.format(script_a).encode())
        return None

    def handler_b(req: Request) -> Answer | None:
        c = cookies(req)
        if c.get("__jsluid_s") != "a1b2c3":
            return Answer(521, CHALLENGE.format(script_b1).encode())
        if c.get("__jsl_clearance_s") != "hy8qw":
            return Answer(521, CHALLENGE.format(script_b2).encode())
        return None

    gate(a, "京莱县", handler_a, 7300)
    gate(b, "洪阳县", handler_b, 7310)

    # c. a gateway in front of the whole host, robots.txt included (521 until the cookie comes back)
    c = net.host("www.zhxian.gov.cn", robots="User-agent: *\nDisallow: /admin/\n")
    want_c = "7f" + str(12 * 12) + "e"
    script_c = ('var k = ["7", "f"].join(""), n = 12;document.cookie = "__jsl_clearance_s=" + k + (n * n) + "e; path=/";'
                "location.href = location.pathname + location.search;")

    def handler_c(req: Request) -> Answer | None:
        if cookies(req).get("__jsl_clearance_s") != want_c:
            return Answer(521, CHALLENGE.format(script_c).encode())
        return None

    gate(c, "中和县", lambda req: None, 7320)
    served = net.answer

    def answer(req: Request) -> Answer:
        if req.host == "www.zhxian.gov.cn" and (challenge := handler_c(req)) is not None:
            return challenge
        return served(req)

    net.answer = answer          # type: ignore[method-assign]   (robots.txt behind the gateway too)
    return net, ["www.jlxian.gov.cn", "www.hyxian.gov.cn", "www.zhxian.gov.cn"]


# ---- web 3: UpdatePanels triggered from outside -------------------------------------------------
def outside_trigger_site(net: Net, host_name: str, county: str, pages: int, seed: int, *, next_link: bool) -> None:
    """``/gk/nb/list.aspx``: the list rows in an UpdatePanel; the pager outside it, registered as an
    asynchronous trigger (numbered AspNetPager links, or a lone 下一页 LinkButton). Only the browser's
    async postback (``ScriptManager1=ctl00$ScriptManager1|<trigger>`` as the browser sends it for a
    trigger outside the panels — or the panel's id —, ``__ASYNCPOST``, the header) is
    answered, with a delta that updates the panel and the hidden fields only."""
    www = net.host(host_name)
    net.list_pages = {**getattr(net, "list_pages", {}), host_name: pages}     # type: ignore[attr-defined]
    www.html("/", f"{county}人民政府", '<a href="/gk/nb/list.aspx">政府信息公开工作年度报告</a>')
    items = []
    for i in range(pages * 2):
        f = fig(seed + i, 2019 + i % 6, f"{county}{DEPTS[i + 3]}")
        target = f"/gk/nb/show.aspx?id={seed + i}"
        www.report(target, f, "html", ("official", "word")[i % 2])
        items.append((target, f.title))
    states = {n: f"/wEPDwUK{seed}{n:03d}LTE3" for n in range(1, pages + 1)}
    trigger = "ctl00$cph$lnkNext" if next_link else "ctl00$cph$AspNetPager1"

    def panel(n: int) -> str:
        return '<ul class="list">' + "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in items[(n - 1) * 2:n * 2]) + "</ul>"

    def page() -> bytes:
        if next_link:
            pager = f"<a id=\"cph_lnkNext\" href=\"javascript:__doPostBack('{trigger}','')\">下一页</a>"
        else:
            pager = " ".join("<span>1</span>" if k == 1 else f"<a href=\"javascript:__doPostBack('{trigger}','{k}')\">{k}</a>"
                             for k in range(1, pages + 1))
        body = ('<form method="post" action="./list.aspx" id="aspnetForm">'
                f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{states[1]}" />'
                '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
                '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />'
                "<script type=\"text/javascript\">Sys.WebForms.PageRequestManager._initialize('ctl00$ScriptManager1',"
                f" 'aspnetForm', ['tctl00$cph$upList','cph_upList'], ['{trigger}','{trigger.replace('$', '_')[6:]}'],"
                " [], 90, 'ctl00');</script>"
                f'<h2>政府信息公开工作年度报告</h2><div id="cph_upList">{panel(1)}</div>'
                f'<div class="pager" id="{"cph_pager" if next_link else "cph_AspNetPager1"}">{pager}</div></form>')
        return frame("政府信息公开工作年度报告", body, county + "人民政府")

    def answer(req: Request) -> Answer:
        if req.method != "POST":
            return Answer(body=page())
        form = form_fields(req)
        state = form.get("__VIEWSTATE")
        if state not in states.values():
            return Answer(500, b"<h1>Validation of viewstate MAC failed.</h1>")
        current = next(k for k, v in states.items() if v == state)
        target, arg = form.get("__EVENTTARGET", ""), form.get("__EVENTARGUMENT", "")
        if not (form.get("__ASYNCPOST") == "true" and req.headers.get("x-microsoftajax") == "Delta=true"
                and form.get("ctl00$ScriptManager1") in (f"ctl00$ScriptManager1|{target}", f"ctl00$cph$upList|{target}")
                and target == trigger):
            return Answer(500, "<h1>服务器错误</h1>".encode())
        n = current + 1 if next_link else int(arg)
        n = min(max(n, 1), pages)
        reply = delta([("updatePanel", "cph_upList", panel(n)), ("hiddenField", "__EVENTTARGET", ""),
                       ("hiddenField", "__EVENTARGUMENT", ""), ("hiddenField", "__VIEWSTATE", states[n]),
                       ("asyncPostBackControlIDs", "", trigger), ("postBackControlIDs", "", ""),
                       ("updatePanelIDs", "", "tctl00$cph$upList,cph_upList"), ("pageTitle", "", "政府信息公开工作年度报告")])
        return Answer(body=reply, ctype="text/plain; charset=utf-8")

    www.route("/gk/nb/list.aspx", answer)


def aspnet5_web() -> tuple[Net, list[str]]:
    net = Net()
    outside_trigger_site(net, "www.dtxian.gov.cn", "东滩县", 3, 7400, next_link=False)
    outside_trigger_site(net, "www.xtxian.gov.cn", "西滩县", 3, 7420, next_link=True)
    return net, ["www.dtxian.gov.cn", "www.xtxian.gov.cn"]


# ---- web 4: a 指南 tab, meta refresh, session ids, host aliases, lookalikes, an iframe platform -----
ENTERPRISE = ("<h1>{t}</h1><p>一、企业基本信息</p><table border=1><tr><td>统一社会信用代码</td><td>91510000MA6C1X2Y3Z</td></tr>"
              "<tr><td>从业人数</td><td>126</td></tr><tr><td>资产总额</td><td>5321.4</td></tr><tr><td>营业总收入</td>"
              "<td>8812.0</td></tr><tr><td>纳税总额</td><td>311.7</td></tr></table><p>二、对外投资信息</p><p>三、网站或网店信息</p>")
SOCIAL = ("<h1>{t}</h1><p>一、基本情况</p><p>本会2023年共收到捐赠款物合计312.5万元，开展救助项目14个，受益群众2100余人次。</p>"
          "<p>二、主要工作</p><p>三、存在的问题</p><p>四、2024年工作打算</p><p>统计期限为2023年1月1日至12月31日。</p>")
READING = ("<h1>{t}</h1><p>一图读懂：2023年，全县主动公开政府信息3211条，收到政府信息公开申请47件，"
           "上年结转3件，办结45件，结转下年度继续办理5件。行政复议2件，行政诉讼1件。</p>")


def portal_web() -> tuple[Net, list[str]]:
    net = Net()
    # a. meta refresh home → portal → only 政府信息公开指南 → its 公开年报 tab; lists with session ids
    www = net.host("www.zlxian.gov.cn")
    county = "纸岭县"
    www.static("/", b'<html><head><meta http-equiv="refresh" content="0; url=/portal/index.html"></head><body></body></html>')
    www.html("/portal/index.html", f"{county}人民政府门户网站",
             '<a href="/xwzx/">新闻中心</a> <a href="/zfxxgk/zn/">政府信息公开指南</a> <a href="/zcwj/">政策文件</a>'
             ' <a href="/hdjl/">互动交流</a> <a href="/bsfw/">办事服务</a>')
    www.html("/zfxxgk/zn/", "政府信息公开指南",
             '<div class="tabs"><a href="/zfxxgk/zn/" class="on">公开指南</a> <a href="/zfxxgk/zd/">公开制度</a>'
             ' <a href="/zfxxgk/nb/">公开年报</a></div><div class="article"><h1>纸岭县人民政府信息公开指南</h1>'
             '<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>'
             '<p>一、主动公开</p><p>二、依申请公开</p><p>三、监督和救济</p></div>')
    www.html("/zfxxgk/zd/", "政府信息公开制度", "<p>政府信息公开保密审查制度</p>")
    entries = []
    for k, year in enumerate(range(2020, 2025)):
        f = fig(7500 + k, year, county + DEPTS[k + 12])
        target = f"/zfxxgk/nb/{year + 1}/t{7500 + k}.html"
        www.report(target, f, "html", ("official", "trs", "word")[k % 3])
        entries.append((target, f.title))
    looks = [("/zfxxgk/nb/x1.html", "纸岭县鑫源建材有限公司2023年度报告", ENTERPRISE),
             ("/zfxxgk/nb/x2.html", "纸岭县慈善总会2023年度工作报告", SOCIAL),
             ("/zfxxgk/nb/x3.html", "《纸岭县2023年政府信息公开工作年度报告》解读", READING),
             ("/zfxxgk/nb/x4.html", "纸岭县2023年统计年报", ENTERPRISE),
             ("/zfxxgk/nb/x5.html", "纸岭县财政局2023年度部门决算", ENTERPRISE),
             ("/zfxxgk/nb/x6.html", "纸岭县2024年政务公开工作要点", SOCIAL)]
    for target, title, body in looks:
        www.html(target, title, body.format(t=title))
    entries[2:2] = [(t, title) for t, title, _ in looks]

    def nb_list(req: Request) -> Answer:
        sid = f"{req.count:04d}A7F3E9C1B2D4"       # a new session id on every visit, in every link
        rows = "".join(f'<li><a href="{u};jsessionid={sid}">{t}</a></li>' for u, t in entries)
        return Answer(body=frame("公开年报", f'<h2>公开年报</h2><ul class="list">{rows}</ul>', county + "人民政府"))

    www.route("/zfxxgk/nb/", nb_list)

    def session_path(req: Request) -> Answer:
        # a servlet container ignores the ;jsessionid= path parameter
        route = www.routes.get(req.path.split(";", 1)[0])
        return route(req) if route else Answer(404, "<html><body>您访问的页面不存在</body></html>".encode())

    www.route("/zfxxgk/nb/", session_path, prefix=True)

    # b. a site seeded without www.: pages link both names; the platform is an <iframe>; the column a
    # script redirect; a report whose tables are only in an attached XLSX; one report on both hosts
    bare = net.host("lqxian.gov.cn")
    w2 = net.host("www.lqxian.gov.cn")
    county = "临清县"
    for h in (bare, w2):
        h.html("/", f"{county}人民政府", '<a href="http://www.lqxian.gov.cn/xxgk/">信息公开</a> <a href="/xwzx/">新闻</a>')
    w2.html("/xxgk/", "信息公开", '<iframe src="http://lqxian.gov.cn/gkpt/index.html" width="100%" height="900" '
            'frameborder="0" scrolling="no"></iframe>')
    bare.html("/gkpt/index.html", "政府信息公开平台",
              '<ul class="nav"><li><a href="/gkpt/zn/">公开指南</a></li><li><a href="/gkpt/ml/">公开目录</a></li>'
              '<li><a href="/gkpt/nb/">公开年报</a></li><li><a href="/gkpt/ysq/">依申请公开</a></li></ul>')
    bare.static("/gkpt/nb/", b'<html><head><title></title><script>window.location.replace("/gkpt/nb/list.html");'
                b"</script></head><body></body></html>")
    lst = []
    for k, year in enumerate(range(2021, 2025)):
        f = fig(7600 + k, year, county + DEPTS[k + 20])
        target = f"/gkpt/nb/{year + 1}/t{7600 + k}.html"
        if k == 1:      # the page gives the prose; the figures are in the XLSX only
            xlsx = f"/gkpt/nb/{year + 1}/P{7600 + k}.xlsx"
            bare.html(target, f.title, f"<h1>{f.title}</h1><p>根据《中华人民共和国政府信息公开条例》，现公布{f.title}。"
                      f"统计数据详见附件。</p><p>附件：<a href=\"{xlsx}\">{f.title}统计表.xlsx</a></p>")
            bare.report(xlsx, f, "xlsx")
        else:
            bare.report(target, f, "html", "official")
            if k == 2:      # the same report linked under the www. name too
                w2.report(target, f, "html", "official")
        also = f' <a href="http://www.lqxian.gov.cn{target}">{f.title}</a>' if k == 2 else ""
        lst.append(f'<li><a href="{target}">{f.title}</a>{also}</li>')
    bare.html("/gkpt/nb/list.html", "公开年报", f"<ul>{''.join(lst)}</ul>")
    return net, ["www.zlxian.gov.cn", "lqxian.gov.cn"]


# ---- web 5: list widgets — delegated clicks on data-id rows, an offset-paged 加载更多, a jump page --
def widgets_web() -> tuple[Net, list[str]]:
    net = Net()
    # a. rows carrying only data-id / data-docid; a delegated click handler builds the URL
    kd = net.host("www.kdxian.gov.cn")
    county = "康定县"
    kd.html("/", f"{county}人民政府", '<a href="/zwgk/nb/">政府信息公开年度报告</a> <a href="/zwgk/bmnb/">部门年报</a>')
    rows, rows2 = [], []
    for k, year in enumerate(range(2021, 2025)):
        f = fig(7700 + k, year, county + DEPTS[k])
        kd.report(f"/zwgk/content.jsp?id={8801 + k}", f, "html", ("official", "word")[k % 2])
        rows.append(f'<li class="item" data-id="{8801 + k}"><a href="javascript:void(0)">{f.title}</a><span>{year + 1}-01-18</span></li>')
    for k, year in enumerate(range(2022, 2025)):
        f = fig(7710 + k, year, county + DEPTS[k + 8])
        kd.report(f"/zwgk/bmnb/doc_{9901 + k}.html", f, "html", "trs")
        rows2.append(f'<tr data-docid="{9901 + k}" class="row"><td>{k + 1}</td><td>{f.title}</td><td>{year + 1}-02-01</td></tr>')
    kd.html("/zwgk/nb/", "政府信息公开年度报告", f'<ul class="list">{"".join(rows)}</ul>'
            '<script>$(".list").on("click", ".item", function () {\n'
            '  window.open("/zwgk/content.jsp?id=" + $(this).data("id"));\n});</script>')
    kd.html("/zwgk/bmnb/", "部门年报", f'<table class="tab"><tbody>{"".join(rows2)}</tbody></table>'
            '<script>$(function () { $("tr.row").click(function () {\n'
            '  var docid = $(this).attr("data-docid");\n  location.href = "/zwgk/bmnb/doc_" + docid + ".html";\n}); });</script>')

    # b. an API paged by offset (start / limit), data given as $.getJSON's second argument, 加载更多
    of = net.host("www.ofxian.gov.cn")
    county = "鸥峰县"
    of.html("/", f"{county}人民政府", '<a href="/xxgk/">信息公开</a>')
    of.html("/xxgk/", "信息公开", '<a href="/xxgk/gknb.html">政府信息公开年报</a>')
    docs = []
    for k, year in enumerate(range(2018 + 1, 2025)):
        f = fig(7720 + k, year, county + DEPTS[k + 12])
        target = f"/xxgk/doc/{year + 1}/{7720 + k}.html"
        of.report(target, f, "html", ("official", "trs", "word")[k % 3])
        docs.append({"docTitle": f.title, "docUrl": target, "pubDate": f"{year + 1}-01-10"})

    def offset_api(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("channelId") != "21" or not q.get("start", "").isdigit():
            return jsonr({"success": False, "msg": "channelId required"})
        start, limit = int(q["start"]), int(q.get("limit") or 3)
        return jsonr({"success": True, "total": len(docs), "docs": docs[start:start + limit]})

    of.route("/api/doc/list", offset_api)
    of.html("/xxgk/gknb.html", "政府信息公开年报",
            '<ul id="docs"></ul><a href="javascript:;" id="more" onclick="loadMore()">加载更多</a>'
            '<script>var offset = 0;\nfunction loadMore() {\n  $.getJSON("/api/doc/list", {channelId: 21, start: offset, limit: 3},'
            ' function (res) {\n    offset += 3; render(res.docs); if (offset >= res.total) { $("#more").hide(); }\n  });\n}\n'
            'loadMore();</script>')

    # c. report links through the portal's "you are leaving" jump page to the departments' own hosts
    wl = net.host("www.wlxian.gov.cn")
    county = "乌兰县"
    wl.html("/", f"{county}人民政府", '<a href="/zfxxgk/bmnb/">部门政府信息公开年报</a>')
    links = []
    for k, year in enumerate(range(2022, 2025)):
        dept_host = net.host(f"www.bm{k}.wlxian.gov.cn")
        f = fig(7740 + k, year, county + DEPTS[k + 20])
        target = f"/xxgk/nb/t{7740 + k}.html"
        dept_host.report(target, f, "html", "official")
        from urllib.parse import quote as q
        links.append(f'<li><a href="/jump.html?url={q(dept_host.url(target), safe="")}" target="_blank">{f.title}</a></li>')
    wl.html("/zfxxgk/bmnb/", "部门政府信息公开年报", f"<ul>{''.join(links)}</ul>")
    wl.html("/jump.html", "提示", '<p>您即将离开本站，3秒后自动跳转……</p><script>function getQueryString(n) { var r = '
            'window.location.search.substr(1).match(new RegExp("(^|&)" + n + "=([^&]*)(&|$)")); return r ? '
            'decodeURIComponent(r[2]) : null; }\nsetTimeout(function () { location.href = getQueryString("url"); }, 3000);</script>')
    return net, ["www.kdxian.gov.cn", "www.ofxian.gov.cn", "www.wlxian.gov.cn"]


def merged(*webs: tuple[Net, list[str]]) -> tuple[Net, list[str]]:
    """Several webs behind one proxy, crawled at once (one crawl's start-up instead of one per web):
    each host answered by the web that built it, the expectations and per-host facts together."""
    net, seeds, owner = Net(), [], {}
    for sub, sub_seeds in webs:
        net.hosts.update(sub.hosts)
        net.expected.update(sub.expected)
        for key, urls in sub.report_urls.items():
            net.report_urls.setdefault(key, set()).update(urls)
        net.must_error |= sub.must_error
        net.list_pages = {**getattr(net, "list_pages", {}), **getattr(sub, "list_pages", {})}  # type: ignore[attr-defined]
        owner.update({name: sub for name in sub.hosts})
        seeds += sub_seeds
    net.answer = lambda req: owner[req.host].answer(req) if req.host in owner else Answer(reset=True)  # type: ignore[method-assign]
    return net, seeds
