"""Red-team webs, round 8: list replies in other wrappings (JSONP by jQuery, XML, a BOM'd
text/plain JSON), a Hanweb column crawled for real, a 公开目录 column linked by its fragment from
the home page, reports of several years in one article, a ZIP attachment, an anti-bot
interstitial that cannot be passed.

Built on round 2's loopback proxy (``tests/redteam_web2.Net``) and round 5's ``merged``. Each
builder returns ``(net, seed hosts)``; ``tests/test_redteam_crawl9.py`` crawls them.

- :func:`lists_web`: a Hanweb column (``/col/col1234/index.html``) showing three records in its
  ``<datastore>``, the rest only by POST to ``dataproxy.jsp`` (no total announced: chunk after
  chunk until an empty reply), and a 下一页 to ``index.html?uid=3456&pageNum=2`` answering the
  same page; a home page linking ``/gkmlpt/index#2450`` (the column in the fragment, the page's
  script reading ``location.hash`` into ``/gkmlpt/api/all/`` + catId + ``?page=``); a jQuery JSONP
  list (``dataType: "jsonp", jsonp: "jsonpCallback"``) answered ``/**/cb({…});``; a
  ``$.getJSON(…&callback=?)`` list answered ``?({…})`` when the ``?`` comes back unreplaced; a
  list whose reply is XML (``<response><pageCount>…<item><title>…<url>``); a list whose reply is
  JSON with a byte-order mark, served as ``text/plain``; an old 年报 column that moved (a meta
  refresh, then ``window.location.href``) to a TRS list ``index.html``, ``index_1.html`` … whose
  pager also links ``?page=N`` (the same pages again); a 年报 column split into per-year
  sub-columns (``2024年度`` → ``col_3002.html``, no year in the URL) whose lists a script draws
  from an API.
- :func:`files_web`: one article linking six years' reports (2019–2024, a PDF each, some links
  saying only ``2021年度``): each stored under its year; a report page whose attachment is a ZIP
  holding the PDF, and one whose attachment is an extensionless ``/attach/0/8f3a…`` named only by
  an RFC 5987 ``Content-Disposition``, and one showing the report only as pictures of its pages
  (stored once, needs OCR); a county whose 公开 platform answers 412 and its 年报
  column 202 with an anti-bot script the crawler cannot run (the crawl records ``challenge`` and
  goes on); a list written by ``document.write('<li>…')`` statements (a compile notice among
  them); the same report under ``/nb/2023/`` and ``/nb/2023/index.html``; a link to a
  neighbouring county's platform naming it without its suffix (``云溪政府信息公开``): not crawled.
"""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import parse_qs, quote

from tests.fixturegen import render
from tests.redteam_web2 import Answer, Net, Request
from tests.redteam_web3 import frame
from tests.test_redteam_crawl2 import DEPTS, fig


def _q(req: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(req.query, keep_blank_values=True).items()}


def _page(rows: list, n: int, size: int) -> list:
    return rows[(n - 1) * size:n * size]


def refuse() -> Answer:
    return Answer(400, b'{"code":400,"msg":"\\u53c2\\u6570\\u9519\\u8bef"}', "application/json")


# ---- web 1: list replies in other wrappings, Hanweb, a fragment column ---------------------------------
HANWEB = """<div id="3456"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=7&path=/&columnid=1234&unitid=3456&webname=%E6%B1%89%E6%B5%A6%E5%8E%BF&permissiontype=0"></a>]]></nextgroup>
<recordset>{records}</recordset></datastore></script></div>
<div class="pager"><a href="/col/col1234/index.html?uid=3456&pageNum=2">下一页</a></div>
<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>
<script>$(document).ready(function () {{ $("#3456").jpage({{ dataStore: $("#3456 datastore"), perPage: 3,
  proxyUrl: "/module/web/jpage/dataproxy.jsp", groupSize: 1,
  ajaxParam: {{ col: 1, appid: 1, webid: 7, path: "/", columnid: 1234, unitid: 3456, webname: "汉浦县", permissiontype: 0 }} }}); }});</script>"""

GKMLPT_JS = """var SID = "758112";
var catId = location.hash.replace("#", "");
function load(page) {
  $.getJSON("/gkmlpt/api/all/" + catId + "?page=" + page + "&sid=" + SID, function (res) {
    render(res.articles, res.total);
  });
}
load(1);"""

JSONP_JS = """function load(p) {
  $.ajax({ url: "/api/nb/list", type: "get", dataType: "jsonp", jsonp: "jsonpCallback",
           data: { channelId: 8, pageNo: p, pageSize: 3 },
           success: function (res) { render(res.data.list, res.data.totalPage); } });
}
load(1);"""

JSONP_Q_JS = """function go(p) {
  $.getJSON("/xxgk/api/list?channelId=9&pageNo=" + p + "&callback=?", function (res) { show(res.rows, res.pages); });
}
go(1);"""

XML_JS = """function loadList(p) {
  $.ajax({ url: "/xxgk/nb/data.jsp?page=" + p, type: "get", dataType: "xml",
    success: function (xml) {
      var html = "";
      $(xml).find("item").each(function () {
        html += '<li><a href="' + $(this).find("url").text() + '">' + $(this).find("title").text() + '</a></li>';
      });
      $("#list").html(html);
    } });
}
loadList(1);"""

TEXT_JS = """function query(p) {
  $.get("/api/xxgk/nb?page=" + p, function (txt) { var res = JSON.parse(txt); draw(res.list, res.totalPages); });
}
query(1);"""


def lists_web() -> tuple[Net, list[str]]:
    net = Net()

    # a. Hanweb: three records on the page, the rest by dataproxy POSTs; ?uid=&pageNum=2 is the same page
    hw = net.host("www.hpxian.gov.cn")
    county = "汉浦县"
    hw.html("/", f"{county}人民政府", '<a href="/col/col1200/index.html">新闻中心</a> <a href="/col/col1234/index.html">政府信息公开年报</a>')
    records = []
    for k, year in enumerate(range(2020, 2025)):
        f = fig(8100 + k, year, county + DEPTS[k])
        target = f"/art/{year + 1}/1/2{k}/art_1234_{8100 + k}.html"
        hw.report(target, f, "html", ("official", "word")[k % 2])
        records.append(f'<li><a href="{target}" title="{f.title}" target="_blank">{f.title}</a><span>{year + 1}-01-2{k}</span></li>')
    records.reverse()                                   # newest first
    page = frame("政府信息公开年报", HANWEB.format(records="".join(f"<record><![CDATA[{r}]]></record>" for r in records[:3])),
                 county + "人民政府")
    hw.route("/col/col1234/index.html", lambda _r: Answer(body=page))

    def dataproxy(req: Request) -> Answer:
        q, form = _q(req), {k: v[0] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
        if req.method != "POST" or form.get("columnid") != "1234" or form.get("unitid") != "3456":
            return refuse()
        start, end = int(q.get("startrecord", "1")), int(q.get("endrecord", "3"))
        recs = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[start - 1:end])
        return Answer(body=f'<?xml version="1.0" encoding="utf-8"?><datastore><recordset>{recs}</recordset></datastore>'
                      .encode("utf-8"), ctype="text/xml;charset=utf-8")

    hw.route("/module/web/jpage/dataproxy.jsp", dataproxy)

    # b. the home page links the 公开目录's column by its fragment: /gkmlpt/index#2450
    gd = net.host("www.gdxian.gov.cn")
    county = "高定县"
    gd.html("/", f"{county}人民政府", '<div class="nav"><a href="/gkmlpt/index">政府信息公开</a></div>'
            '<div class="box"><h3>信息公开</h3><ul><li><a href="/gkmlpt/index#2452">政策文件</a></li>'
            '<li><a href="/gkmlpt/index#2450">政府信息公开年报</a></li><li><a href="#top">返回顶部</a></li></ul></div>')
    gd.html("/gkmlpt/index", "政府信息公开目录", f'<div id="tree"></div><ul id="list"></ul><script>{GKMLPT_JS}</script>')
    cats: dict[str, list] = {"2450": [], "2452": [{"title": f"{county}2024年政务公开工作要点", "url": "/gkmlpt/content/2/2.html"}],
                             "": [{"title": f"{county}召开全县经济工作会议", "url": "/gkmlpt/content/3/3.html"}]}
    for k, year in enumerate(range(2022, 2025)):
        f = fig(8200 + k, year, county + DEPTS[k + 7])
        target = f"/gkmlpt/content/{year + 1}/{8200 + k}.html"
        gd.report(target, f, "html", ("official", "word")[k % 2])
        cats["2450"].append({"title": f.title, "url": f"http://www.gdxian.gov.cn{target}", "date": f"{year + 1}-01-2{k}"})

    def gkmlpt(req: Request) -> Answer:
        cat = req.path.rsplit("/", 1)[1]
        q = _q(req)
        if q.get("sid") != "758112" or cat not in cats or not q.get("page", "").isdigit():
            return refuse()
        rows = cats[cat]
        return Answer(body=json.dumps({"articles": _page(rows, int(q["page"]), 2), "total": len(rows)},
                                      ensure_ascii=False).encode("utf-8"), ctype="application/json")

    gd.route("/gkmlpt/api/all/", gkmlpt, prefix=True)
    gd.route("/gkmlpt/api/all", gkmlpt)

    # c. jQuery JSONP: the callback parameter named by `jsonp:`; the reply /**/cb({...});
    jp = net.host("www.jpxian.gov.cn")
    county = "嘉平县"
    jp.html("/", f"{county}人民政府", '<a href="/xxgk/">政府信息公开</a>')
    jp.html("/xxgk/", "政府信息公开", '<a href="/xxgk/gknb/">政府信息公开年报</a> <a href="/xxgk/zcwj/">政策文件</a>')
    jp.html("/xxgk/gknb/", "政府信息公开年报", f'<ul id="list"></ul><div id="page"></div><script>{JSONP_JS}</script>')
    rows = []
    for k, year in enumerate(range(2021, 2025)):
        f = fig(8300 + k, year, county + DEPTS[k + 12])
        target = f"/xxgk/gknb/{year + 1}01/t{year + 1}0115_{8300 + k}.html"
        jp.report(target, f, "html", ("official", "word")[k % 2])
        rows.append({"title": f.title, "link": target, "pubDate": f"{year + 1}-01-15"})

    def jp_list(req: Request) -> Answer:
        q = _q(req)
        if q.get("channelId") != "8" or not q.get("pageNo", "").isdigit():
            return refuse()
        cb = q.get("jsonpCallback")
        if not cb:                                 # (@RequestParam String jsonpCallback: required)
            return refuse()
        body = json.dumps({"code": 0, "data": {"list": _page(rows, int(q["pageNo"]), 3), "totalPage": 2}}, ensure_ascii=False)
        return Answer(body=f"/**/{cb}({body});".encode("utf-8"), ctype="application/javascript;charset=UTF-8")

    jp.route("/api/nb/list", jp_list)

    # d. $.getJSON("…&callback=?"): a server echoing the callback as sent
    jq = net.host("www.jqcxian.gov.cn")
    county = "景川县"
    jq.html("/", f"{county}人民政府", '<a href="/xxgk/nb/">政府信息公开工作年度报告</a>')
    jq.html("/xxgk/nb/", "政府信息公开工作年度报告", f'<ul id="nb"></ul><script>{JSONP_Q_JS}</script>')
    items = []
    for k, year in enumerate(range(2022, 2025)):
        f = fig(8400 + k, year, county + DEPTS[k + 18])
        target = f"/xxgk/nb/content_{8400 + k}.html"
        jq.report(target, f, "html", ("official", "word")[k % 2])
        items.append({"name": f.title, "href": target})

    def jq_list(req: Request) -> Answer:
        q = _q(req)
        if q.get("channelId") != "9" or not q.get("pageNo", "").isdigit():
            return refuse()
        body = json.dumps({"rows": _page(items, int(q["pageNo"]), 2), "pages": 2}, ensure_ascii=False)
        cb = q.get("callback", "")
        return Answer(body=(f"{cb}({body})" if cb else body).encode("utf-8"), ctype="text/javascript")

    jq.route("/xxgk/api/list", jq_list)

    # e. a list API answering XML
    xm = net.host("www.xmxian.gov.cn")
    county = "溪茂县"
    xm.html("/", f"{county}人民政府", '<a href="/xxgk/nb/">政府信息公开年报</a>')
    xm.html("/xxgk/nb/", "政府信息公开年报", f'<ul id="list"></ul><script>{XML_JS}</script>')
    xitems = []
    for k, year in enumerate(range(2021, 2025)):
        f = fig(8500 + k, year, county + DEPTS[k + 22])
        target = f"/xxgk/nb/{year + 1}/{8500 + k}.html"
        xm.report(target, f, "html", ("official", "word")[k % 2])
        xitems.append((f.title, target))
    xitems.insert(2, (f"{county}2024年政务公开工作要点", "/xxgk/nb/yd/1.html"))
    xm.html("/xxgk/nb/yd/1.html", f"{county}2024年政务公开工作要点", "<p>一、加强政策解读。</p>")

    def xm_list(req: Request) -> Answer:
        n = _q(req).get("page", "")
        if not n.isdigit():
            return refuse()
        body = "".join(f"<item><title>{t}</title><url>{u}</url><pubDate>2025-01-0{i}</pubDate></item>"
                       for i, (t, u) in enumerate(_page(xitems, int(n), 3)))
        return Answer(body=(f'<?xml version="1.0" encoding="UTF-8"?><response><code>0</code><pageCount>{-(-len(xitems) // 3)}'
                            f"</pageCount><list>{body}</list></response>").encode("utf-8"), ctype="text/xml;charset=UTF-8")

    xm.route("/xxgk/nb/data.jsp", xm_list)

    # f. JSON behind a byte-order mark, served as text/plain
    tp = net.host("www.tpxian.gov.cn")
    county = "桃坪县"
    tp.html("/", f"{county}人民政府", '<a href="/xxgk/">信息公开</a>')
    tp.html("/xxgk/", "信息公开", '<a href="/xxgk/nb.html">政府信息公开年度报告</a>')
    tp.html("/xxgk/nb.html", "政府信息公开年度报告", f'<ul id="nb"></ul><script>{TEXT_JS}</script>')
    titems = []
    for k, year in enumerate(range(2022, 2025)):
        f = fig(8600 + k, year, county + DEPTS[k + 2])
        target = f"/xxgk/nb/{8600 + k}.html"
        tp.report(target, f, "html", ("word", "official")[k % 2])
        titems.append({"title": f.title, "url": target})

    def tp_list(req: Request) -> Answer:
        n = _q(req).get("page", "")
        if not n.isdigit():
            return refuse()
        body = json.dumps({"list": _page(titems, int(n), 2), "totalPages": 2}, ensure_ascii=False)
        return Answer(body=b"\xef\xbb\xbf" + body.encode("utf-8"), ctype="text/plain;charset=UTF-8")

    tp.route("/api/xxgk/nb", tp_list)

    # g. an old column that moved: a meta refresh, then a script redirect, to a TRS list whose pages
    # are index.html, index_1.html … and whose pager also links ?page=N (the same pages again)
    mr = net.host("www.mrxian.gov.cn")
    county = "茂荣县"
    mr.html("/", f"{county}人民政府", '<a href="/xxgk/nb/">政府信息公开年报</a>')
    mr.static("/xxgk/nb/", b'<html><head><meta http-equiv="refresh" content="0; url=/xxgk/nb2/"></head><body></body></html>')
    mr.static("/xxgk/nb2/", '<html><head><title>跳转</title><script>window.location.href = "../../zwgk/gknb/index.html";'
              '</script></head><body>页面已迁移</body></html>'.encode("utf-8"))
    entries = []
    for k, year in enumerate(range(2020, 2025)):
        f = fig(8650 + k, year, county + DEPTS[k + 8])
        target = f"/zwgk/gknb/{year + 1}01/t{year + 1}0112_{8650 + k}.html"
        mr.report(target, f, "html", ("official", "word")[k % 2])
        entries.append(f'<li><a href="{target}">{f.title}</a><span>{year + 1}-01-12</span></li>')
    entries.reverse()

    def mr_page(n: int) -> bytes:       # n = 1, 2, 3
        pager = [f'<a href="?page={n - 1}">上一页</a>'] if n > 1 else []
        pager += [f'<a href="?page={n + 1}">下一页</a>'] if n < 3 else []
        pager += [f'<a href="{"index.html" if i == 1 else f"index_{i - 1}.html"}">{i}</a>' for i in range(1, 4)]
        return frame("政府信息公开年报", f'<ul class="list">{"".join(entries[(n - 1) * 2:n * 2])}</ul>'
                     f'<div class="page">共3页 {" ".join(pager)}</div>', county + "人民政府")

    def mr_list(req: Request) -> Answer:
        n = _q(req).get("page", "1")
        return Answer(body=mr_page(int(n))) if n in ("1", "2", "3") else Answer(404, b"")

    mr.route("/zwgk/gknb/index.html", mr_list)
    mr.route("/zwgk/gknb/", mr_list)
    mr.static("/zwgk/gknb/index_1.html", mr_page(2))
    mr.static("/zwgk/gknb/index_2.html", mr_page(3))

    # h. a 年报 column split into per-year sub-columns (2022年度 … 2024年度, no year in their URL),
    # each its own list drawn by script from an API
    yc = net.host("www.ycxian.gov.cn")
    county = "玉川县"
    yc.html("/", f"{county}人民政府", '<a href="/xxgk/gknb/">政府信息公开年报</a>')
    years = "".join(f'<li><a href="/xxgk/gknb/col_{3000 + k}.html">{year}年度</a></li>' for k, year in enumerate(range(2022, 2025)))
    yc.html("/xxgk/gknb/", "政府信息公开年报", f'<ul class="years">{years}</ul>')
    cols: dict[str, list] = {}
    for k, year in enumerate(range(2022, 2025)):
        cols[str(3000 + k)] = []
        for j in range(2):
            f = fig(8670 + 2 * k + j, year, county + DEPTS[2 * k + j + 1])
            target = f"/xxgk/gknb/art/{8670 + 2 * k + j}.html"
            yc.report(target, f, "html", ("official", "word")[j])
            cols[str(3000 + k)].append({"title": f.title, "url": target})
        yc.html(f"/xxgk/gknb/col_{3000 + k}.html", f"{year}年度", f'<ul id="list"></ul><script>var colId = "{3000 + k}";'
                '$.getJSON("/api/col/docs?colId=" + colId + "&pageNo=1", function (r) { draw(r.data); });</script>')
    yc.route("/api/col/docs", lambda req: Answer(body=json.dumps({"data": cols.get(_q(req).get("colId", ""), [])},
                                                                  ensure_ascii=False).encode("utf-8"),
                                                  ctype="application/json") if _q(req).get("colId") in cols else refuse())
    return net, ["www.hpxian.gov.cn", "www.gdxian.gov.cn", "www.jpxian.gov.cn", "www.jqcxian.gov.cn",
                 "www.xmxian.gov.cn", "www.tpxian.gov.cn", "www.mrxian.gov.cn", "www.ycxian.gov.cn"]


# ---- web 2: several years in one article, packed and unnamed attachments, an interstitial ---------
CHALLENGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Pragma" content="no-cache">'
             '<script type="text/javascript" r="m">$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=84191;'
             '$_ts.cd="qr6crAlrqGqcEa7rcq3Dx1";</script><script type="text/javascript" charset="utf-8" '
             'src="/4QbVtADbnLVIc/c.FxJzG50F.0a9c7b.js" r="m"></script></head><body></body></html>')


def zipped(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return buf.getvalue()


def page_picture(n: int) -> bytes:
    """A small PNG standing for a scanned page (its pixels vary with ``n``: distinct files)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (60, 80), (255, 255 - n, 255)).save(buf, "PNG")
    return buf.getvalue()


def files_web() -> tuple[Net, list[str]]:
    net = Net()

    # a. one article, six years' reports as its attachments
    my = net.host("www.myxian.gov.cn")
    county = "梅原县"
    agency = county + "人民政府"
    my.html("/", agency, '<a href="/zwgk/">政务公开</a>')
    my.html("/zwgk/", "政务公开", '<a href="/zwgk/ndbg/">政府信息公开年度报告</a> <a href="/zwgk/tzgg/">通知公告</a>')
    my.html("/zwgk/ndbg/", "政府信息公开年度报告", '<ul><li><a href="/zwgk/ndbg/202503/t20250310_1.html">'
            f"{agency}政府信息公开工作年度报告（2019—2024年）</a><span>2025-03-10</span></li></ul>")
    atts = []
    for k, year in enumerate(range(2019, 2025)):
        f = fig(8700 + k, year, agency)
        target = f"/zwgk/ndbg/202503/P0202503{10 + k}.pdf"
        my.report(target, f, "pdf", "nolines")
        text = f"{year}年度" if k % 2 else f"{agency}{year}年政府信息公开工作年度报告.pdf"
        atts.append(f'<p><a href="{target}">{text}</a></p>')
    my.static("/zwgk/ndbg/202503/t20250310_1.html", frame(
        f"{agency}政府信息公开工作年度报告（2019—2024年）",
        f"<h1>{agency}政府信息公开工作年度报告（2019—2024年）</h1><p>发布日期：2025-03-10</p>"
        f"<p>现将本县2019年至2024年政府信息公开工作年度报告集中公布如下：</p>{''.join(atts)}", agency))

    # b. a ZIP holding the PDF; an extensionless attachment named by filename*=
    zp = net.host("www.zpxian.gov.cn")
    county = "郑坪县"
    zp.html("/", f"{county}人民政府", '<a href="/xxgk/gknb/">政府信息公开年报</a>')
    f = fig(8800, 2023, county + "民政局")
    name = f"{f.title}.pdf"
    zp.static("/upload/2024/01/nb2023mzj.zip", zipped(name, render(f, "pdf", "nolines")), "application/zip")
    net.expect(f, "pdf", "nolines", "http://www.zpxian.gov.cn/upload/2024/01/nb2023mzj.zip")
    zp.html("/xxgk/gknb/2024/mzj.html", f.title, f"<h1>{f.title}</h1><p>发布日期：2024-01-19</p>"
            f'<p>附件：<a href="/upload/2024/01/nb2023mzj.zip">附件1.zip</a></p>')
    g = fig(8801, 2023, county + "教育局")
    data = render(g, "docx", "official")
    zp.static("/attach/0/8f3a9c2e41d04b7f", data, "application/octet-stream",
              headers={"Content-Disposition": "attachment; filename=\"download\"; filename*=UTF-8''"
                       + quote(f"{g.title}.docx")})
    net.expect(g, "docx", "official", "http://www.zpxian.gov.cn/attach/0/8f3a9c2e41d04b7f")
    zp.html("/xxgk/gknb/2024/jyj.html", g.title, f"<h1>{g.title}</h1><p>发布日期：2024-01-22</p>"
            '<p>附件：<a href="/attach/0/8f3a9c2e41d04b7f">点击下载</a></p>')
    # a report posted as pictures of its pages: stored once (needs OCR), its figures unknown
    h = fig(8802, 2023, county + "财政局")
    pics = "".join(f'<p style="text-align:center"><img src="/upload/2024/01/czj_p{i}.png" width="800"></p>' for i in range(1, 4))
    zp.html("/xxgk/gknb/2024/czj.html", h.title, f'<div class="logo"><img src="/images/logo.png"></div><h1>{h.title}</h1>'
            f"<p>发布日期：2024-01-25</p>{pics}")
    for i in range(1, 4):
        zp.static(f"/upload/2024/01/czj_p{i}.png", page_picture(i), "image/png")
    zp.static("/images/logo.png", page_picture(0), "image/png")
    net.expect(h, "html", "images", "http://www.zpxian.gov.cn/xxgk/gknb/2024/czj.html")
    zp.html("/xxgk/gknb/", "政府信息公开年报", f'<ul><li><a href="/xxgk/gknb/2024/mzj.html">{f.title}</a></li>'
            f'<li><a href="/xxgk/gknb/2024/jyj.html">{g.title}</a></li>'
            f'<li><a href="/xxgk/gknb/2024/czj.html">{h.title}</a></li></ul>')

    # c. an interstitial the crawler cannot pass: 412 on the platform, 202 on the column
    rs = net.host("www.rsxian.gov.cn")
    county = "瑞山县"
    rs.html("/", f"{county}人民政府", '<a href="/xxgk/">政府信息公开</a> <a href="/xxgk/gknb/">政府信息公开年报</a>')
    ch = CHALLENGE.encode("utf-8")
    rs.static("/xxgk/", ch, status=412, headers={"Set-Cookie": "FSSBBIl1UgzbN7N80S=8f2b1c; Path=/; HttpOnly"})
    rs.static("/xxgk/gknb/", ch, status=202, headers={"Set-Cookie": "FSSBBIl1UgzbN7N80T=3a9d0e; Path=/"})
    net.must_error |= {"http://www.rsxian.gov.cn/xxgk/", "http://www.rsxian.gov.cn/xxgk/gknb/"}

    # d. a list written by document.write statements; one report under two URLs
    dw = net.host("www.dwxian.gov.cn")
    county = "东旺县"
    dw.html("/", f"{county}人民政府", '<a href="/nb/">政府信息公开年报</a>'
            '<div class="links"><h3>周边县区</h3><a href="http://www.yxixian.gov.cn/xxgk/">云溪政府信息公开</a></div>')
    # (a neighbouring county named without its suffix: another government's site, its report its own)
    yx = net.host("www.yxixian.gov.cn")
    yx.html("/xxgk/", "云溪县政府信息公开", '<a href="/xxgk/gknb/">政府信息公开年报</a>')
    other = fig(8950, 2024, "云溪县人民政府")
    yx.report("/xxgk/gknb/t8950.html", other, "html", "official", expect=False)
    yx.html("/xxgk/gknb/", "政府信息公开年报", f'<ul><li><a href="/xxgk/gknb/t8950.html">{other.title}</a></li></ul>')
    writes = []
    for k, year in enumerate(range(2021, 2025)):
        f = fig(8900 + k, year, county + DEPTS[k + 26])
        target = f"/nb/{year}/index.html"
        data = dw.report(target, f, "html", ("official", "word")[k % 2])
        shown = target if k != 2 else f"/nb/{year}/"
        if k == 2:
            dw.static(shown, data)
        writes.append(f"document.write('<li><a href=\"{shown}\" target=\"_blank\">{f.title}</a><span>{year + 1}-01-20</span></li>');")
    writes.insert(1, "document.write('<li><a href=\"/nb/tz/1.html\">关于做好2024年度政府信息公开工作年度报告编制工作的通知</a></li>');")
    dw.html("/nb/tz/1.html", "关于做好2024年度政府信息公开工作年度报告编制工作的通知", "<p>各乡镇：……</p>")
    dw.html("/nb/", "政府信息公开年报", f'<ul class="list"><script>{"".join(writes)}</script></ul>'
            '<p><a href="/nb/2023/index.html">东旺县2023年政府信息公开工作年度报告</a></p>')
    return net, ["www.myxian.gov.cn", "www.zpxian.gov.cn", "www.rsxian.gov.cn", "www.dwxian.gov.cn"]
