"""Red-team crawls, round 5: single-page apps with hash routes, JSON bodies of computed values,
gateway challenges that compute their cookie, UpdatePanels triggered from outside, a 年报 tab
under the 政府信息公开指南, meta refresh, session ids, host aliases and lookalikes.

The webs of ``tests/redteam_web5.py`` are crawled, a few at once behind one proxy
(``redteam_web5.merged``: one start-up per crawl), by the real ``nianbao crawl`` in a
subprocess (``tests/test_redteam_crawl2.crawl``/``check``): recall ≥ 98%
of the reachable reports, no stored report that is not one of them, no duplicate, no robots.txt
violation, only ``.gov.cn`` hosts, every cell equal to fixturegen's expected JSON. The rules the
webs needed are tested on their own below.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_crawl6.py
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.redteam_web5 import aspnet5_web, gate_web, merged, portal_web, spa_web, widgets_web
from tests.test_redteam_crawl2 import check, crawl


@pytest.mark.slow
def test_apps_gateways_and_outside_triggers(tmp_path):
    """One crawl of three webs: a hash-routed app whose list and detail APIs are named only in its
    bundled app.js, a JSON POST whose body needs a variable, a hidden input's value and a
    timestamp; gateway challenges computing their cookie (one stage, two stages, robots.txt too);
    UpdatePanel pagers outside the panel registered as async triggers."""
    net, seeds = merged(spa_web(), gate_web(), aspnet5_web())
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("apps+gates+aspnet5", net, reports, errors, proc)
    # the vendor bundle is not asked for; no API call refused
    assert net.count("www.spxian.gov.cn", "/xxgk/static/js/chunk-vendors.2b7a.js") == 0
    assert not [h for h in net.hits if h.host == "www.jsxian.gov.cn" and h.target == "/cms/api/info/page"
                and h.status != 200]
    # each challenge stage answered once; robots.txt behind the gateway asked again with the cookie
    for host, rounds in (("www.jlxian.gov.cn", 2), ("www.hyxian.gov.cn", 3), ("www.zhxian.gov.cn", 1)):
        homes = [h.status for h in net.hits if h.host == host and h.target == "/"]
        assert len(homes) == rounds, (host, homes)
    assert [h.status for h in net.hits if h.host == "www.zhxian.gov.cn" and h.target == "/robots.txt"] == [521, 200]
    assert not [h for h in net.hits if h.host == "www.zhxian.gov.cn" and h.target != "/robots.txt" and h.status == 521]
    for host, pages in net.list_pages.items():
        posts = [h for h in net.hits if h.host == host and h.method == "POST"]
        assert len(posts) <= 2 * pages + 2, f"{host}: {len(posts)} POSTs for {pages} pages"
        assert not [h for h in posts if h.status != 200], f"{host}: a POST the server refused"


@pytest.mark.slow
def test_portal_habits_and_list_widgets(tmp_path):
    """One crawl of two webs: meta refresh, a 年报 tab under the 指南, ;jsessionid= in every link,
    lookalikes on the list, a site seeded without www. linking both names, an iframe platform, an
    XLSX-only report; rows carrying only data-id for a delegated click handler, an offset-paged
    加载更多 API whose fields are $.getJSON's second argument, links through a jump page."""
    net, seeds = merged(portal_web(), widgets_web())
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("portal+widgets", net, reports, errors, proc)
    # each report page asked once, whatever session id its link carried
    arts = [h.target for h in net.hits if h.host == "www.zlxian.gov.cn" and h.target.startswith("/zfxxgk/nb/20")]
    assert len(arts) == len(set(a.split(";")[0] for a in arts)), arts
    offsets = sorted(h.target for h in net.hits if h.host == "www.ofxian.gov.cn" and h.target.startswith("/api/"))
    assert [t.rsplit("start=", 1)[1] for t in offsets] == ["0", "3"], offsets    # 6 items, 3 a page: each once


# ---- the rules, on their own --------------------------------------------------------------------
def test_challenge_cookie_computed_by_the_script():
    from crawler.challenge import cookie_challenge
    from crawler.discovery.jseval import script_cookie
    page = ('<html><body><script>var _a = 3 * 7 + 4, _b = "JL" + "x9";document.cookie = "__jsl_clearance_s=" + '
            '(1700000000 + _a * 60) + "." + _b + "|" + (16 - 9) + ";max-age=3600;path=/";'
            "location.href = location.pathname + location.search;</script></body></html>")
    assert cookie_challenge(page) == {"__jsl_clearance_s": "1700001500.JLx9|7"}
    assert script_cookie('var p=[104,121,56];document.cookie="c="+String.fromCharCode(p[0],p[1])+(p[2]-48)'
                         '+["q","w"].join("")+"; path=/"') == "c=hy8qw; path=/"
    assert script_cookie("var s='\\x61b';document.cookie='k='+s.split('').reverse().join('')+(0x10%7)+parseInt('12px')") \
        == "k=ba212"
    # what needs the browser (navigator, a function, the DOM) is not guessed
    assert script_cookie('document.cookie = "a=" + navigator.userAgent.length') is None
    assert script_cookie('function f(){return 1}; document.cookie = "a=" + f()') is None


def test_a_challenge_script_that_squares_without_end_gives_up():
    # ``a = a * a`` forty times made a number of ~2**45 digits: the spider's thread (the
    # reactor's) multiplied for ever. JavaScript's numbers are doubles; past 2**53 we stop.
    import subprocess
    import sys
    script = "var a = 99999; " + "a = a * a; " * 40 + 'document.cookie = "k=" + a;'
    code = ("from crawler.discovery.jseval import script_cookie; import sys; "
            "print(script_cookie(sys.argv[1]))")
    done = subprocess.run([sys.executable, "-c", code, script], capture_output=True, text=True,
                          timeout=60, cwd=str(Path(__file__).resolve().parents[1]))
    assert done.stdout.strip() == "None", done.stderr


def test_async_trigger_outside_the_panel_posts_asynchronously_and_stays():
    from crawler.discovery.aspnet import delta_page, outside_triggers, postback_calls
    from tests.redteam_web4 import delta
    page = ('<form method="post" action="./list.aspx" id="aspnetForm"><input type="hidden" name="__VIEWSTATE" value="v1" />'
            "<script>Sys.WebForms.PageRequestManager._initialize('ctl00$SM1', 'aspnetForm', ['tctl00$cph$upList',"
            "'cph_upList'], ['ctl00$cph$lnkNext','cph_lnkNext'], [], 90, 'ctl00');</script><div id=\"cph_upList\"><ul></ul></div>"
            "<a id=\"cph_lnkNext\" href=\"javascript:__doPostBack('ctl00$cph$lnkNext','')\">下一页</a>"
            "<a href=\"javascript:__doPostBack('ctl00$lnkOther','')\">下一页</a></form>")
    trigger, other = postback_calls(page, "http://a.gov.cn/gk/list.aspx")
    assert trigger[3]["ctl00$SM1"] == "ctl00$SM1|ctl00$cph$lnkNext" and trigger[3]["__ASYNCPOST"] == "true"
    assert "ctl00$SM1" not in other[3]              # not registered as a trigger: a full postback
    keep = outside_triggers(page)
    assert "lnkNext" in keep and "lnkOther" not in keep
    # the reply updates the panel only; the page it stands for keeps the pager, still asynchronous
    reply = delta([("updatePanel", "cph_upList", '<ul><li><a href="show.aspx?id=3">x</a></li></ul>'),
                   ("hiddenField", "__VIEWSTATE", "v2"), ("asyncPostBackControlIDs", "", "ctl00$cph$lnkNext"),
                   ("updatePanelIDs", "", "tctl00$cph$upList,cph_upList")]).decode()
    again = postback_calls(delta_page(reply, trigger[3], "http://a.gov.cn/gk/list.aspx", keep), "http://a.gov.cn/gk/list.aspx")
    assert [(c[1], c[3]["ctl00$SM1"], c[3]["__VIEWSTATE"]) for c in again] == [
        ("ctl00$cph$lnkNext", "ctl00$SM1|ctl00$cph$lnkNext", "v2")]


def test_json_body_values_the_page_computes():
    import time

    from crawler.discovery.lists import json_apis
    page = ('<input type="hidden" id="columnId" value="1207" /><select name="year"><option value="2022">2022</option>'
            '<option value="2023" selected>2023</option></select><script>var siteId = "jsx01"; var base = 40;\n'
            'function loadData(pageNo) { $.ajax({url: "/cms/api/info/page", type: "POST", contentType: "application/json",'
            ' data: JSON.stringify({siteId: siteId, columnId: $("#columnId").val(), year: $("select[name=year]").val(),'
            ' channel: base + 2, pageNo: pageNo, pageSize: 2, timestamp: new Date().getTime(), kw: keyword})}); }\n'
            'loadData(1);</script>')
    api, = json_apis(page, "http://a.gov.cn/nb/")
    stamp = api.form.pop("timestamp")
    assert abs(stamp / 1000 - time.time()) < 60
    assert api.form == {"pageNo": "1", "pageSize": "2", "siteId": "jsx01", "columnId": "1207", "year": "2023",
                        "channel": 42}      # (keyword: unknown, left out as before)
    nested = ('<script>var cid = 7; axios.post("/api/cms/article/page", {condition: {channelId: cid, t: Date.now()},'
              ' page: {current: n, size: 2}});</script>')
    api, = json_apis(nested, "http://a.gov.cn/nb/")
    assert api.form["condition"]["channelId"] == 7 and isinstance(api.form["condition"]["t"], int)


def test_single_page_app_shell_scripts_routes_and_article_api():
    from crawler.discovery.apps import app_scripts
    from crawler.discovery.lists import json_apis, json_links
    from tests.redteam_web5 import APP_JS
    shell = ('<html><head><title>政务公开</title></head><body><noscript>请启用JavaScript</noscript><div id="app"></div>'
             '<script src="/static/js/chunk-vendors.2b7a.js"></script><script src="https://cdn.x.com/app.js"></script>'
             '<script src="/static/js/jquery.min.js"></script><script src="/static/js/app.9f3c.js"></script></body></html>')
    assert app_scripts(shell, "http://a.gov.cn/xxgk/index.html") == ["http://a.gov.cn/static/js/app.9f3c.js"]
    page = '<html><body><div>' + "某县人民政府信息公开" * 40 + '</div><script src="/js/app.js"></script></body></html>'
    assert app_scripts(page, "http://a.gov.cn/") == []          # a page with content of its own: no shell
    lst, art = json_apis("<script>" + APP_JS + "</script>", "http://a.gov.cn/xxgk/index.html")
    # the list API with the page's constant and a timestamp; the route table's "/nb/list" is no API
    assert (lst.url.split("&t=")[0], lst.page_param, lst.id_param) == (
        "http://a.gov.cn/gateway/cms/article/list?page=1&channel=nb", "page", None)
    assert (art.url, art.id_param, lst.detail, lst.detail_api) == (
        "http://a.gov.cn/gateway/cms/article/detail", "articleId", [], art)    # "/detail/" + id is a route
    reply = {"data": {"list": [{"articleId": 5, "title": "某县2023年政府信息公开工作年度报告"},
                               {"articleId": 6, "title": "某县2022年政府信息公开工作年度报告", "fileUrl": "/up/6.docx"}]}}
    assert [link.url for link in json_links(reply, "http://a.gov.cn/xxgk/index.html", lst.detail, lst.detail_api)] == [
        "http://a.gov.cn/gateway/cms/article/detail?articleId=5", "http://a.gov.cn/up/6.docx"]
    # the round-4 shell that reads its id from its own URL still asks the API with it
    detail = ('<script>var id = getQueryString("id");\n$.getJSON("/api/article/detail?id=" + id, function (r) {});</script>')
    assert [(a.url, a.id_param) for a in json_apis(detail, "http://a.gov.cn/nb/detail.html?id=7")] == [
        ("http://a.gov.cn/api/article/detail?id=7", None)]
    assert [(a.url, a.id_param) for a in json_apis(detail, "http://a.gov.cn/nb/detail.html")] == [
        ("http://a.gov.cn/api/article/detail", "id")]


def test_data_id_rows_offset_apis_and_jump_pages():
    from crawler.discovery.links import extract_links
    from crawler.discovery.lists import json_apis, json_page_count
    rows = ('<ul class="list"><li class="item" data-id="8801"><a href="javascript:void(0)">某县2023年政府信息公开工作年度报告</a>'
            '</li></ul><script>$(".list").on("click", ".item", function () { window.open("/c.jsp?id=" + $(this).data("id")); });'
            '</script><table><tr data-doc-id="9901"><td>某局2022年政府信息公开工作年度报告</td></tr></table><script>'
            '$("tr").click(function () { var d = this.dataset.docId; location.href = "/bm/doc_" + d + ".html"; });</script>'
            '<a href="/jump.html?url=http%3A%2F%2Fwww.bm.x.gov.cn%2Fnb%2Ft1.html">某局2021年政府信息公开工作年度报告</a>')
    got = [(link.url, link.source) for link in extract_links(rows, "http://a.gov.cn/nb/")]
    assert ("http://a.gov.cn/c.jsp?id=8801", "onclick") in got and ("http://a.gov.cn/bm/doc_9901.html", "onclick") in got
    assert ("http://www.bm.x.gov.cn/nb/t1.html", "a") in got
    page = ('<script>var offset = 0; function more() { $.getJSON("/api/doc/list", {channelId: 21, start: offset, limit: 3},'
            ' function (r) { offset += 3; }); } more();</script>')
    api, = json_apis(page, "http://a.gov.cn/nb/")
    assert (api.url, api.first_page, api.page(3)[0]) == ("http://a.gov.cn/api/doc/list?channelId=21&limit=3&start=0", 1,
                                                         "http://a.gov.cn/api/doc/list?channelId=21&limit=3&start=6")
    assert json_page_count({"total": 7, "docs": []}, api.offset_size) == 3


def test_hash_route_values_feed_the_app_s_list_api():
    from crawler.discovery.apps import hash_route, route_key, route_values
    from crawler.discovery.lists import json_apis
    from tests.redteam_web5 import APP2_JS
    assert hash_route("http://a.gov.cn/zwgk/#/col/302?page=2") == "/col/302?page=2"
    assert hash_route("http://a.gov.cn/zwgk/#!/col/302") == "/col/302" and hash_route("http://a.gov.cn/a.html#top") is None
    assert route_values("/col/302?page=2", APP2_JS) == {"query": {"page": "2"}, "params": {"channelId": "302"}}
    assert route_key("/list?page=2&cid=5") == "/list?cid=5" and route_key("/list?pageNo=3") == "/list"
    page = "<script>" + APP2_JS + "</script>"
    api, = json_apis(page, "http://a.gov.cn/zwgk/", "/col/302")
    assert (api.url, api.page_param) == ("http://a.gov.cn/portal/api/content/list?pageNum=1&pageSize=2&channelId=302",
                                         "pageNum")
    # a route's query, read by concatenation or by the page's query helper
    concat = '<script>function load(p) { $.getJSON("/api/list?cid=" + this.$route.query.cid + "&page=" + p); }</script>'
    assert [(a.url, a.page(2)[0]) for a in json_apis(concat, "http://a.gov.cn/x/", "/list?cid=9")] == [
        ("http://a.gov.cn/api/list?cid=9", "http://a.gov.cn/api/list?cid=9&page=2")]
    helper = '<script>var cid = getQueryString("cid"); $.getJSON("/api/nb/list?cid=" + cid, function (r) {});</script>'
    assert [a.url for a in json_apis(helper, "http://a.gov.cn/x/", "/list?cid=9")] == ["http://a.gov.cn/api/nb/list?cid=9"]
