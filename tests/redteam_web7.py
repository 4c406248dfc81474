"""Red-team webs, round 7: list APIs whose request data a script names instead of writing out,
columns that come from an app's route table, and a province portal linking the sites of other
governments.

Built on round 2's loopback proxy (``tests/redteam_web2.Net``) and round 5's ``merged``. Each
builder returns ``(net, seed hosts)``; ``tests/test_redteam_crawl8.py`` crawls them.

- :func:`apps_web`: a Vue column whose list API is called as ``listArticle(this.queryParams)``,
  the fields only in the component's ``data()`` (``queryParams: {columnCode: "gknb", pageNum: 1,
  pageSize: 3}``) and the call going through ``request({url, method, params: query})`` of an
  ``axios.create`` instance; a hash-mode app whose list API takes its column from the route's
  ``meta`` (``{path: "/nb", meta: {channelId: 31}}``, ``channelId: this.$route.meta.channelId``);
  a whole portal that is one app whose menu is its route table (``meta: {title:
  "政府信息公开年报", columnId: 51}``: no link to the column anywhere but there); a jQuery list
  posting ``data: param`` with ``var param = {siteId: 5, catId: 12, pageIndex: 1, pageSize: 4}``;
  a ``fetch`` list posting ``body: JSON.stringify(query)`` of a variable; a list whose items carry
  no URL, the page building it from three fields (``'/xxgk/' + item.channelCode + '/' +
  item.publishDate.substring(0, 4) + '/' + item.id + '.html'``); a 公开目录 page whose tree links
  its own fragments (``#2450``) and whose script reads the column from ``location.hash`` into a
  query concatenated value after value (``"…?sid=" + SID + "&catId=" + catId + "&page=" + page``).
  Every server refuses a call without its column (400).
- :func:`portal_web`: a province portal (``www.qnsheng.gov.cn``) whose 政务公开 page lists the
  公开 platforms and 年报 columns of eight counties on their own sites (``www.cNNxian.gov.cn``,
  another government each, each with a report of its own) beside the province's own 年报 column:
  the province's reports only are the site's (one on ``xxgk.qnsheng.gov.cn``, one posted as
  正式版 and again as 修订版 with other figures — the 修订版 is the record, one behind
  ``javascript:downloadFile('/module/download/downfile.jsp?classid=0&filename=…')``, list dates
  of the year after the report's, a title cut in the link text and whole in ``title=""``); a city
  (``www.wcshi.gov.cn``) whose 公开 platform sits on the province's platform host
  (``xxgk.qnsheng.gov.cn/wcxxgk/``), linked as 政府信息公开: the city's own reports — and from
  there a 岚山县政府信息公开 section on the same host, the county's.
- :func:`pagers_web`: lists whose pager a widget draws from a script object, no page link in the
  HTML — kkpager with its ``getLink`` (TRS ``index_{n-1}.html``) and with its own default
  (``hrefFormer_n.html``), layui's ``laypage.render({count, limit, jump})`` to ``list.jsp?page=n``,
  jqPaginator's ``onPageChange`` — with a 工作要点 on a later page; and a county whose reports only
  its robots.txt-named ``sitemap.xml`` lists, as bare ``<loc>`` URLs under the column's directory
  (no index page there), beside a 图解.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from tests.redteam_web2 import Answer, Net, Request
from tests.redteam_web3 import frame
from tests.redteam_web6 import jsonr
from tests.test_redteam_crawl2 import DEPTS, fig


def refuse(msg: str = "参数错误") -> Answer:
    return Answer(400, json.dumps({"code": 400, "msg": msg}, ensure_ascii=False).encode("utf-8"), "application/json")


def shell(title: str, scripts: list[str]) -> bytes:
    tags = "".join(f'<script src="{s}"></script>' for s in scripts)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<noscript>本网站需要启用JavaScript。</noscript><div id="app"></div>{tags}</body></html>').encode("utf-8")


# ---- web 1: request data named, not written out; columns from the route table ------------------------
QUERY_PARAMS_JS = """/*! app.5e1d.js */
(function () {
  var request = axios.create({ baseURL: "/prod-api", timeout: 15000 });
  function listArticle(query) {
    return request({ url: "/portal/article/list", method: "get", params: query });
  }
  var NbList = {
    template: "#tpl-list",
    data: function () {
      return { loading: true, total: 0, list: [], queryParams: { columnCode: "gknb", pageNum: 1, pageSize: 3 } };
    },
    created: function () { this.getList(); },
    methods: {
      getList: function () {
        var that = this;
        listArticle(this.queryParams).then(function (res) { that.list = res.rows; that.total = res.total; });
      },
      handleCurrentChange: function (val) { this.queryParams.pageNum = val; this.getList(); },
      open: function (row) { window.open(row.linkUrl); }
    }
  };
  new Vue({ el: "#app", render: function (h) { return h(NbList); } });
})();
"""

ROUTE_META_JS = """/*! app.c81f.js */
(function () {
  var Home = { template: "<div class='home'></div>" };
  var List = {
    data: function () { return { pageNo: 1, items: [], total: 0 }; },
    created: function () { this.load(); },
    watch: { $route: function () { this.pageNo = 1; this.load(); } },
    methods: {
      load: function () {
        var that = this;
        axios.get("/api/cms/list", { params: { channelId: this.$route.meta.channelId, pageNo: this.pageNo, pageSize: 2 } })
          .then(function (res) { that.items = res.data.data.list; that.total = res.data.data.total; });
      }
    }
  };
  var router = new VueRouter({ routes: [
    { path: "/", component: Home },
    { path: "/nb", component: List, meta: { title: "政府信息公开年报", channelId: 31 } },
    { path: "/tzgg", component: List, meta: { title: "通知公告", channelId: 32 } }
  ] });
  new Vue({ el: "#app", router: router });
})();
"""

ROUTE_MENU_JS = """/*! index.77ab.js */
(function () {
  var Layout = { template: "#tpl-layout", computed: { menus: function () {
    return this.$router.options.routes.filter(function (r) { return r.meta && r.meta.title; }); } } };
  var Home = { template: "#tpl-home" };
  var ColumnList = {
    data: function () { return { pageNum: 1, rows: [] }; },
    created: function () { this.getList(); },
    methods: { getList: function () { var that = this;
      axios.get("/api/portal/list", { params: { columnId: this.$route.meta.columnId, pageNum: this.pageNum, pageSize: 2 } })
        .then(function (res) { that.rows = res.data.rows; that.total = res.data.total; }); } }
  };
  var routes = [
    { path: "/", component: Home },
    { path: "/news", component: ColumnList, meta: { title: "新闻动态", columnId: 52 } },
    { path: "/gknb", component: ColumnList, meta: { title: "政府信息公开年报", columnId: 51 } },
    { path: "/zcwj", component: ColumnList, meta: { title: "政策文件", columnId: 53 } }
  ];
  new Vue({ el: "#app", router: new VueRouter({ routes: routes }), render: function (h) { return h(Layout); } });
})();
"""

PARAM_VAR_JS = """var param = { siteId: 5, catId: 12, pageIndex: 1, pageSize: 4 };
function load(p) {
  param.pageIndex = p;
  $.ajax({ url: "/cms/api/list", type: "post", data: param, dataType: "json",
           success: function (res) { render(res.data, res.total); } });
}
$(function () { load(1); });
"""

FETCH_VAR_JS = """var query = { channelId: 12, pageNo: 1, pageSize: 2 };
function load(n) {
  query.pageNo = n;
  fetch("/api/nb/list", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(query) })
    .then(function (r) { return r.json(); }).then(function (res) { show(res.data.records, res.data.pages); });
}
load(1);
"""


ITEM_FIELDS_JS = """$.getJSON("/api/nb/list", function (res) {
  var html = "";
  $.each(res.data, function (i, item) {
    html += '<li><a href="/xxgk/' + item.channelCode + '/' + item.publishDate.substring(0, 4) + '/' + item.id + '.html">'
          + item.title + '</a><span>' + item.publishDate.substring(0, 10) + '</span></li>';
  });
  $("#nb").html(html);
});"""


HASH_COLUMN_JS = """var SID = "757003";
var catId = location.hash.substr(1) || "";
function load(page) {
  $.getJSON("/gkmlpt/api/all/list?sid=" + SID + "&catId=" + catId + "&page=" + page, function (res) {
    render(res.articles, res.totalPage);
  });
}
load(1);
window.onhashchange = function () { location.reload(); };"""


def _page(rows: list, n: int, size: int) -> list:
    return rows[(n - 1) * size:n * size]


def apps_web() -> tuple[Net, list[str]]:
    net = Net()

    # a. listArticle(this.queryParams): the fields only in the component's data()
    qp = net.host("www.qpxian.gov.cn")
    county = "期平县"
    qp.html("/", f"{county}人民政府", '<a href="/xwzx/">新闻中心</a> <a href="/xxgk/">政府信息公开</a>')
    qp.html("/xxgk/", "政府信息公开", '<a href="/xxgk/zn/">政府信息公开指南</a> <a href="/xxgk/gknb/index.html">政府信息公开年报</a>'
            ' <a href="/xxgk/zcwj/">政策文件</a>')
    qp.static("/xxgk/gknb/index.html", shell("政府信息公开年报", ["/static/js/chunk-vendors.1a2b.js", "/static/js/app.5e1d.js"]))
    qp.static("/static/js/chunk-vendors.1a2b.js", b"/* vue axios */ !function(){}();", "application/javascript")
    qp.static("/static/js/app.5e1d.js", QUERY_PARAMS_JS.encode("utf-8"), "application/javascript")
    rows = []
    for k, year in enumerate(range(2018, 2025)):
        f = fig(9100 + k, year, county + DEPTS[k])
        target = f"/xxgk/gknb/{year + 1}/{9100 + k}.html"
        qp.report(target, f, "html", ("official", "trs", "word")[k % 3])
        rows.append({"articleId": 9100 + k, "title": f.title, "linkUrl": target, "publishTime": f"{year + 1}-01-18"})

    def qp_list(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("columnCode") != "gknb" or q.get("pageSize") != "3" or not q.get("pageNum", "").isdigit():
            return refuse("栏目不存在")
        return jsonr({"code": 200, "msg": "查询成功", "total": len(rows), "rows": _page(rows, int(q["pageNum"]), 3)})

    qp.route("/prod-api/portal/article/list", qp_list)

    # b. a hash-mode app whose list API takes the column from the route's meta
    mt = net.host("www.mtxian.gov.cn")
    county = "孟田县"
    mt.html("/", f"{county}人民政府", '<ul class="nav"><li><a href="/zwgk/index.html#/nb">政府信息公开年报</a></li>'
            '<li><a href="/zwgk/index.html#/tzgg">通知公告</a></li><li><a href="/hdjl/">互动交流</a></li></ul>')
    mt.static("/zwgk/index.html", shell("政务公开", ["/zwgk/js/app.c81f.js"]))
    mt.static("/zwgk/js/app.c81f.js", ROUTE_META_JS.encode("utf-8"), "application/javascript")
    arts = []
    for k, year in enumerate(range(2020, 2025)):
        f = fig(9200 + k, year, county + DEPTS[k + 7])
        target = f"/zwgk/art/{year + 1}/{9200 + k}.html"
        mt.report(target, f, "html", ("official", "word")[k % 2])
        arts.append({"title": f.title, "url": target, "date": f"{year + 1}-01-10"})
    notices = [{"title": f"{county}关于开展2024年度政府信息公开工作年度报告编制工作的通知", "url": "/zwgk/art/tz1.html"}]

    def mt_list(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("channelId") not in ("31", "32") or not q.get("pageNo", "").isdigit():
            return refuse("channelId required")
        items = arts if q["channelId"] == "31" else notices
        return jsonr({"code": 0, "data": {"list": _page(items, int(q["pageNo"]), 2), "total": len(items)}})

    mt.route("/api/cms/list", mt_list)

    # c. a whole portal that is one app; its menu is its route table (meta titles), nothing else
    # links the 年报 column
    rt = net.host("www.rtxian.gov.cn")
    county = "荣塘县"
    rt.static("/", shell(f"{county}人民政府门户网站", ["/js/chunk-vendors.9e0f.js", "/js/index.77ab.js"]))
    rt.static("/js/chunk-vendors.9e0f.js", b"/* vendors */ !function(){}();", "application/javascript")
    rt.static("/js/index.77ab.js", ROUTE_MENU_JS.encode("utf-8"), "application/javascript")
    cols: dict[str, list] = {"51": [], "52": [{"title": f"{county}召开2024年度工作总结会", "linkUrl": "/art/n1.html"}],
                             "53": [{"title": f"{county}人民政府关于印发2024年政务公开工作要点的通知", "linkUrl": "/art/z1.html"}]}
    for k, year in enumerate(range(2021, 2025)):
        f = fig(9300 + k, year, county + DEPTS[k + 12])
        target = f"/art/{year + 1}/{9300 + k}.html"
        rt.report(target, f, "html", ("official", "trs")[k % 2])
        cols["51"].append({"title": f.title, "linkUrl": target})

    def rt_list(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("columnId") not in cols or not q.get("pageNum", "").isdigit():
            return refuse("columnId required")
        items = cols[q["columnId"]]
        return jsonr({"code": 0, "rows": _page(items, int(q["pageNum"]), 2), "total": len(items)})

    rt.route("/api/portal/list", rt_list)

    # d. $.ajax({data: param}) with the object in a variable; form fields
    pv = net.host("www.pvxian.gov.cn")
    county = "平湾县"
    pv.html("/", f"{county}人民政府", '<a href="/xxgk/gknb/">政府信息公开年报</a> <a href="/xwzx/">新闻中心</a>')
    pv.html("/xxgk/gknb/", "政府信息公开年报", f'<ul id="list"></ul><div id="pager"></div><script>{PARAM_VAR_JS}</script>')
    docs = []
    for k, year in enumerate(range(2019, 2025)):
        f = fig(9400 + k, year, county + DEPTS[k + 16])
        target = f"/xxgk/gknb/c/{9400 + k}.html"
        pv.report(target, f, "html", ("official", "trs", "word")[k % 3])
        docs.append({"title": f.title, "url": target, "time": f"{year + 1}-01-22"})

    def pv_list(req: Request) -> Answer:
        form = {k: v[0] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
        if req.method != "POST" or form.get("siteId") != "5" or form.get("catId") != "12" \
                or form.get("pageSize") != "4" or not form.get("pageIndex", "").isdigit():
            return refuse()
        return jsonr({"total": len(docs), "data": _page(docs, int(form["pageIndex"]), 4)})

    pv.route("/cms/api/list", pv_list)

    # e. fetch(…, {body: JSON.stringify(query)}) with the object in a variable; a JSON body
    fb = net.host("www.fbxian.gov.cn")
    county = "枫坝县"
    fb.html("/", f"{county}人民政府", '<a href="/zwgk/">政务公开</a>')
    fb.html("/zwgk/", "政务公开", '<a href="/zwgk/nb/">政府信息公开工作年度报告</a> <a href="/zwgk/zcjd/">政策解读</a>')
    fb.html("/zwgk/nb/", "政府信息公开工作年度报告", f'<ul id="nb"></ul><script>{FETCH_VAR_JS}</script>')
    recs = []
    for k, year in enumerate(range(2021, 2025)):
        f = fig(9500 + k, year, county + DEPTS[k + 22])
        target = f"/zwgk/nb/{year + 1}/{9500 + k}.html"
        fb.report(target, f, "html", ("official", "word")[k % 2])
        recs.append({"docTitle": f.title, "docUrl": target})

    def fb_list(req: Request) -> Answer:
        try:
            body = json.loads(req.body or b"{}")
        except ValueError:
            return refuse()
        if req.method != "POST" or body.get("channelId") != 12 or body.get("pageSize") != 2 \
                or not isinstance(body.get("pageNo"), int):
            return refuse()
        return jsonr({"code": 0, "data": {"records": _page(recs, body["pageNo"], 2), "pages": 2}})

    fb.route("/api/nb/list", fb_list)

    # f. items carrying no URL: the page builds it from three of their fields
    ct = net.host("www.ctxian.gov.cn")
    county = "川田县"
    ct.html("/", f"{county}人民政府", '<a href="/xxgk/nb/">政府信息公开年报</a>')
    ct.html("/xxgk/nb/", "政府信息公开年报", f'<ul id="nb"></ul><script>{ITEM_FIELDS_JS}</script>')
    items = []
    for k, year in enumerate(range(2021, 2025)):
        f = fig(9560 + k, year, county + DEPTS[k + 18])
        ct.report(f"/xxgk/gknb/{year + 1}/{9560 + k}.html", f, "html", ("official", "trs")[k % 2])
        items.append({"id": 9560 + k, "channelCode": "gknb", "title": f.title, "publishDate": f"{year + 1}-01-2{k} 09:30:00"})
    ct.route("/api/nb/list", lambda _r: jsonr({"code": 0, "data": items}))

    # g. a 公开目录 whose column is the page's own fragment (index#2450), read by its script
    gk = net.host("www.gkxian.gov.cn")
    county = "广康县"
    gk.html("/", f"{county}人民政府", '<a href="/gkmlpt/index">政府信息公开</a> <a href="/xwzx/">新闻中心</a>')
    gk.html("/gkmlpt/index", "政府信息公开", '<ul class="tree"><li><a href="#2451">机构职能</a></li>'
            '<li><a href="#2452">政策文件</a></li><li><a href="#2450">政府信息公开年报</a></li></ul>'
            f'<ul id="list"></ul><div id="pager"></div><script>{HASH_COLUMN_JS}</script>')
    cats: dict[str, list] = {"2450": [], "2451": [{"title": f"{county}人民政府机构职能", "url": "/gkmlpt/content/1.html"}],
                             "2452": [{"title": f"{county}2024年政务公开工作要点", "url": "/gkmlpt/content/2.html"}],
                             "": [{"title": f"{county}召开全县经济工作会议", "url": "/gkmlpt/content/3.html"}]}
    for k, year in enumerate(range(2020, 2025)):
        f = fig(9570 + k, year, county + DEPTS[k + 25])
        target = f"/gkmlpt/content/{year + 1}/{9570 + k}.html"
        gk.report(target, f, "html", ("official", "trs", "word")[k % 3])
        cats["2450"].append({"title": f.title, "url": target, "date": f"{year + 1}-01-2{k}"})

    def gk_list(req: Request) -> Answer:
        q = {k: v[0] for k, v in parse_qs(req.query).items()}
        if q.get("sid") != "757003" or q.get("catId", "") not in cats or not q.get("page", "").isdigit():
            return refuse()
        rows = cats[q.get("catId", "")]
        return jsonr({"articles": _page(rows, int(q["page"]), 2), "totalPage": -(-len(rows) // 2)})

    gk.route("/gkmlpt/api/all/list", gk_list)
    return net, ["www.qpxian.gov.cn", "www.mtxian.gov.cn", "www.rtxian.gov.cn", "www.pvxian.gov.cn", "www.fbxian.gov.cn",
                 "www.ctxian.gov.cn", "www.gkxian.gov.cn"]


# ---- web 2: a province portal linking the sites of other governments --------------------------------
COUNTIES = ["岚山县", "云溪县", "石门县", "白河县", "青石县", "东岭县", "松江县", "柳林县"]
PROVINCE_DEPTS = ["人民政府办公厅", "教育厅", "财政厅", "交通运输厅", "自然资源厅"]


def portal_web() -> tuple[Net, list[str]]:
    net = Net()
    prov = "青南省"
    www = net.host("www.qnsheng.gov.cn")
    gk = net.host("xxgk.qnsheng.gov.cn")
    county_links = "".join(f'<li><a href="http://www.c{i:02d}xian.gov.cn/" target="_blank">{name}人民政府</a></li>'
                           for i, name in enumerate(COUNTIES))
    www.html("/", f"{prov}人民政府", '<div class="nav"><a href="/zwgk/">政务公开</a> <a href="/xwzx/">新闻中心</a></div>'
             f'<div class="links"><h3>市县政府网站</h3><ul>{county_links}</ul></div>')
    platforms = "".join(f'<li><a href="http://www.c{i:02d}xian.gov.cn/xxgk/">{name}政府信息公开</a>'
                        f' <a href="http://www.c{i:02d}xian.gov.cn/xxgk/gknb/">{name}政府信息公开年报</a></li>'
                        for i, name in enumerate(COUNTIES))
    www.html("/zwgk/", "政务公开", '<ul class="gk"><li><a href="/zwgk/zcwj/">政策文件</a></li>'
             '<li><a href="/zwgk/gknb/">政府信息公开年报</a></li><li><a href="/zwgk/zn/">政府信息公开指南</a></li></ul>'
             f'<div class="box"><h3>市县政府信息公开</h3><ul>{platforms}</ul></div>')
    entries = []
    # the province's own reports: 2022–2024 of the 办公厅, the departments' 2024 ones
    for k, year in enumerate(range(2022, 2025)):
        f = fig(9600 + k, year, prov + PROVINCE_DEPTS[0])
        target = f"/zwgk/gknb/{year + 1}01/t{year + 1}0120_{9600 + k}.html"
        www.report(target, f, "html", ("official", "trs", "word")[k])
        entries.append(f'<li><a href="{target}">{f.title}</a><span>{year + 1}-01-20</span></li>')
    # 教育厅: on the 公开 platform's host; the link text cut, the title whole in title=""
    f = fig(9610, 2024, prov + PROVINCE_DEPTS[1])
    gk.report(f"/jyt/nb/{9610}.html", f, "html", "trs")
    entries.append(f'<li><a href="http://xxgk.qnsheng.gov.cn/jyt/nb/{9610}.html" title="{f.title}">{f.title[:12]}…</a>'
                   '<span>2025-01-15</span></li>')
    # 财政厅: posted as 正式版, then again as 修订版 with other figures — the 修订版 is the record
    first, fixed = fig(9620, 2023, prov + PROVINCE_DEPTS[2]), fig(9621, 2023, prov + PROVINCE_DEPTS[2])
    first.title = first.title + "（正式版）"
    fixed.title = fixed.title + "（修订版）"
    www.report("/zwgk/gknb/202401/t20240118_9620.html", first, "html", "official")
    www.report("/zwgk/gknb/202403/t20240305_9621.html", fixed, "html", "word")
    entries.insert(0, f'<li><a href="/zwgk/gknb/202403/t20240305_9621.html">{fixed.title}</a><span>2024-03-05</span></li>')
    entries.append(f'<li><a href="/zwgk/gknb/202401/t20240118_9620.html">{first.title}</a><span>2024-01-18</span></li>')
    # 交通运输厅: the page says little; the report is the attachment behind downloadFile('…')
    f = fig(9630, 2024, prov + PROVINCE_DEPTS[3])
    www.report("/module/download/downfile.jsp", f, "pdf", "nolines",
               headers={"Content-Disposition": "attachment; filename=2501161630.pdf"})
    www.html("/zwgk/gknb/202501/t20250116_9630.html", f.title,
             f"<h1>{f.title}</h1><p>发布日期：2025-01-16</p><p>附件：<a href=\"javascript:void(0)\" "
             "onclick=\"downloadFile('/module/download/downfile.jsp?classid=0&filename=2501161630.pdf')\">"
             f"{f.title}.pdf</a></p><script>function downloadFile(u) {{ window.open(u, '_blank'); }}</script>")
    entries.append(f'<li><a href="/zwgk/gknb/202501/t20250116_9630.html" target="_blank">{f.title}</a>'
                   '<span>2025-01-16</span></li>')
    www.static("/zwgk/gknb/", frame("政府信息公开年报", f'<h2>政府信息公开年报</h2><ul class="list">{"".join(entries)}</ul>',
                                    prov + "人民政府"))
    # eight counties on sites of their own, each with its 公开 platform, 年报 column and a report:
    # another government's, not the province's
    for i, name in enumerate(COUNTIES):
        c = net.host(f"www.c{i:02d}xian.gov.cn")
        c.html("/", f"{name}人民政府", '<a href="/xxgk/">政府信息公开</a>')
        c.html("/xxgk/", "政府信息公开", '<a href="/xxgk/gknb/">政府信息公开年报</a>')
        f = fig(9700 + i, 2024, name + "人民政府")
        c.report(f"/xxgk/gknb/t{9700 + i}.html", f, "html", "official", expect=False)
        c.html("/xxgk/gknb/", "政府信息公开年报", f'<ul><li><a href="/xxgk/gknb/t{9700 + i}.html">{f.title}</a></li></ul>')
    # a city whose 公开 platform is hosted on the province's platform host (xxgk.qnsheng.gov.cn/wcxxgk/),
    # linked from its home page as 政府信息公开 (no government named): the city's own
    wc = net.host("www.wcshi.gov.cn")
    city = "文川市"
    wc.html("/", f"{city}人民政府", '<a href="/xwzx/">新闻动态</a> <a href="http://xxgk.qnsheng.gov.cn/wcxxgk/">政府信息公开</a>'
            ' <a href="http://www.qnsheng.gov.cn/">青南省人民政府</a>')
    gk.html("/wcxxgk/", f"{city}政府信息公开", '<a href="/wcxxgk/zn/">政府信息公开指南</a> '
            f'<a href="/wcxxgk/gknb/">{city}政府信息公开年报</a> <a href="/wcxxgk/zcwj/">政策文件</a>'
            '<div class="box"><h3>其他市县</h3><a href="/lsxxgk/">岚山县政府信息公开</a></div>')
    # (the shared host's section of another government, linked from the city's: the county's)
    gk.html("/lsxxgk/", "岚山县政府信息公开", '<a href="/lsxxgk/gknb/">政府信息公开年报</a>')
    ls = fig(9660, 2024, "岚山县人民政府")
    gk.report("/lsxxgk/gknb/t9660.html", ls, "html", "official", expect=False)
    gk.html("/lsxxgk/gknb/", "政府信息公开年报", f'<ul><li><a href="/lsxxgk/gknb/t9660.html">{ls.title}</a></li></ul>')
    rows = []
    for k, year in enumerate(range(2022, 2025)):
        f = fig(9640 + k, year, city + ("人民政府", "教育局", "民政局")[k])
        target = f"/wcxxgk/gknb/{year + 1}/t{9640 + k}.html"
        gk.report(target, f, "html", ("official", "trs", "word")[k])
        rows.append(f'<li><a href="{target}">{f.title}</a></li>')
    gk.html("/wcxxgk/gknb/", f"{city}政府信息公开年报", f'<ul>{"".join(rows)}</ul>')
    return net, ["www.qnsheng.gov.cn", "www.wcshi.gov.cn"]


# ---- web 3: list pagers a widget draws from a script object -------------------------------------------
KKPAGER = """var totalPage = {pages}; var totalRecords = {records}; var pageNo = {n};
$(function () {{
  kkpager.generPageHtml({{ pno: pageNo, total: totalPage, totalRecords: totalRecords, mode: "link",
    hrefFormer: "index", hrefLatter: ".html",
    getLink: function (n) {{ if (n == 1) {{ return this.hrefFormer + this.hrefLatter; }}
                             return this.hrefFormer + "_" + (n - 1) + this.hrefLatter; }} }});
}});"""
KKPAGER_DEFAULT = """kkpager.generPageHtml({{ pno: {n}, total: {pages}, totalRecords: {records},
  hrefFormer: "/zwgk/gknb/list", hrefLatter: ".html" }});"""
LAYPAGE = """layui.use(["laypage"], function () {{
  var laypage = layui.laypage;
  laypage.render({{ elem: "pager", count: {records}, limit: 2, curr: {n}, theme: "#1E9FFF",
    jump: function (obj, first) {{ if (!first) {{ location.href = "list.jsp?channel=nb&page=" + obj.curr; }} }} }});
}});"""
JQPAGINATOR = """$("#pagination").jqPaginator({{ totalPages: {pages}, visiblePages: 5, currentPage: {n},
  onPageChange: function (num, type) {{ if (type === "change") {{ window.location.href = "list_" + num + ".shtml"; }} }} }});"""


def pagers_web() -> tuple[Net, list[str]]:
    net = Net()
    counties = [("www.kkxian.gov.cn", "凯康县", "/xxgk/gknb/", KKPAGER, 3, lambda n: "index.html" if n == 1 else f"index_{n - 1}.html"),
                ("www.kdxian.gov.cn", "康定县", "/zwgk/gknb/", KKPAGER_DEFAULT, 2, lambda n: "list.html" if n == 1 else f"list_{n}.html"),
                ("www.lyxian.gov.cn", "乐义县", "/gk/nb/", LAYPAGE, 2, lambda n: f"list.jsp?channel=nb&page={n}"),
                ("www.jqxian.gov.cn", "金泉县", "/xxgk/nb/", JQPAGINATOR, 3, lambda n: f"list_{n}.shtml")]
    seeds = []
    for c, (name, county, col, script, per, page_name) in enumerate(counties):
        host = net.host(name)
        seeds.append(name)
        host.html("/", f"{county}人民政府", f'<a href="/xwzx/">新闻中心</a> <a href="{col}{page_name(1)}">政府信息公开年报</a>')
        rows = []
        for k, year in enumerate(range(2019, 2025)):
            f = fig(9800 + 10 * c + k, year, county + DEPTS[(k + 5 * c) % len(DEPTS)])
            target = f"{col}{year + 1}01/t{year + 1}0116_{9800 + 10 * c + k}.html"
            host.report(target, f, "html", ("official", "trs", "word")[k % 3])
            rows.append(f'<li><a href="{target}">{f.title}</a><span>{year + 1}-01-16</span></li>')
            if k == 3:      # a lookalike on a later page
                rows.append(f'<li><a href="{col}tz/t{c}.html">{county}2024年政务公开工作要点</a><span>2024-03-01</span></li>')
                host.html(f"{col}tz/t{c}.html", f"{county}2024年政务公开工作要点", "<p>一、加强政策解读。</p>")
        pages = -(-len(rows) // per)
        for n in range(1, pages + 1):
            body = (f'<h2>政府信息公开年报</h2><ul class="list">{"".join(rows[(n - 1) * per:n * per])}</ul>'
                    f'<div id="kkpager"></div><div id="pager"></div><ul id="pagination"></ul>'
                    f'<script>{script.format(pages=pages, records=len(rows), n=n)}</script>')
            if "list.jsp" in page_name(n):
                host.route(f"{col}list.jsp", lambda req, rows=rows, script=script, pages=pages: Answer(body=frame(
                    "政府信息公开年报", '<h2>政府信息公开年报</h2><ul class="list">' + "".join(
                        rows[(int(parse_qs(req.query).get("page", ["1"])[0]) - 1) * 2:
                             int(parse_qs(req.query).get("page", ["1"])[0]) * 2]) + '</ul><div id="pager"></div><script>'
                    + script.format(pages=pages, records=len(rows), n=parse_qs(req.query).get("page", ["1"])[0])
                    + "</script>")))
                break
            host.static(f"{col}{page_name(n)}", frame("政府信息公开年报", body, county + "人民政府"))

    # a county whose reports only its robots.txt-named sitemap.xml lists, as bare <loc> URLs under
    # the column's directory; the column has no index page (404), a 图解 sits beside the reports
    name = "www.smxian.gov.cn"
    sm = net.host(name, robots=f"User-agent: *\nDisallow: /search/\nSitemap: http://{name}/sitemap.xml\n")
    seeds.append(name)
    county = "松茂县"
    sm.html("/", f"{county}人民政府", '<a href="/xwzx/">新闻中心</a> <a href="/search/">站内搜索</a>')
    locs = ["/", "/xwzx/", "/xwzx/202501/t20250105_1.html"]
    for k, year in enumerate(range(2022, 2025)):
        f = fig(9850 + k, year, county + DEPTS[k + 9])
        target = f"/zwgk/zfxxgkndbg/{year + 1}01/t{year + 1}0120_{9850 + k}.html"
        sm.report(target, f, "html", ("official", "trs", "word")[k])
        locs.append(target)
    sm.html("/zwgk/zfxxgkndbg/202501/t20250122_9859.html", f"图解：{county}2024年政府信息公开工作年度报告",
            f"<h1>图解：{county}2024年政府信息公开工作年度报告</h1><p><img src='/upload/tj.png'></p>")
    locs.append("/zwgk/zfxxgkndbg/202501/t20250122_9859.html")
    sm.html("/xwzx/", "新闻中心", '<a href="/xwzx/202501/t20250105_1.html">松茂县召开全县经济工作会议</a>')
    sm.html("/xwzx/202501/t20250105_1.html", "松茂县召开全县经济工作会议", "<p>会议指出……</p>")
    sm.static("/sitemap.xml", ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                               + "".join(f"<url><loc>http://{name}{loc}</loc><lastmod>2025-01-22</lastmod></url>" for loc in locs)
                               + "</urlset>").encode("utf-8"), "application/xml")
    return net, seeds
