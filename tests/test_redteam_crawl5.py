"""Red-team crawls, round 4: UpdatePanel and page-box ASP.NET pagers, gzip / unnamed sitemaps,
lists and attachments built by scripts; a table cut by an article's page break.

Each web of ``tests/redteam_web4.py`` is crawled once by the real ``nianbao crawl`` in a
subprocess through the web's proxy (``tests/test_redteam_crawl2.crawl``/``check``): recall ≥ 98%
of the reachable reports, no stored report that is not one of them, no duplicate, no robots.txt
violation, only ``.gov.cn`` hosts, every cell equal to fixturegen's expected JSON. The rules the
webs needed are tested on their own below.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_crawl5.py
"""

from __future__ import annotations

import gzip

import pytest

from tests.redteam_web4 import aspnet4_web, cut_table, delta, gateway_web, script_web, sitemap_web
from tests.test_redteam_crawl2 import TABLES, cells, check, crawl, fig


@pytest.mark.slow
def test_aspnet_updatepanel_and_page_box(tmp_path):
    """An UpdatePanel list answered with full pages or only with partial-postback deltas, and
    AspNetPager's go box / a txtPage + btnGo pair: every page posted once, none refused."""
    net, seeds = aspnet4_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("aspnet4", net, reports, errors, proc)
    for host, pages in net.list_pages.items():
        posts = [h for h in net.hits if h.host == host and h.method == "POST"]
        assert len(posts) <= 2 * pages + 2, f"{host}: {len(posts)} POSTs for {pages} pages"
        assert not [h for h in posts if h.status != 200], f"{host}: a POST the server refused"


@pytest.mark.slow
def test_sitemaps_gzip_index_and_unnamed(tmp_path):
    """A robots.txt sitemap index with .xml.gz sub-sitemaps; a /sitemap.xml nothing names, asked
    for once because its site led nowhere; a site whose reports are linked is never probed."""
    net, seeds = sitemap_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("sitemaps", net, reports, errors, proc)
    assert net.count("www.qhsm.gov.cn", "/sitemap.xml") == 0
    assert net.count("www.wmsm.gov.cn", "/sitemap.xml") == 1


@pytest.mark.slow
def test_script_built_lists_and_attachments(tmp_path):
    """document.write rows, a JSONP list named by a script src, a tab loaded by $(…).load(),
    download.jsp?fileid= attachments saying 附件1, TRS createPageHTML fed by variables."""
    net, seeds = script_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("scripts", net, reports, errors, proc)
    # the compile notice among the document.write rows is judged by its title: never fetched
    assert net.count("www.jbxian.gov.cn", "/zwgk/bmnb/tz/1.html") == 0


@pytest.mark.slow
def test_gateway_cookie_challenge(tmp_path):
    """A gateway answering 521 (or 200) with a script that sets a clearance cookie and reloads:
    the page asked again once with the cookie, the cookie kept for the host."""
    net, seeds = gateway_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("gateway", net, reports, errors, proc)
    for host in seeds:     # the home page asked twice (challenged, then through); nothing else challenged
        homes = [h.status for h in net.hits if h.host == host and h.target == "/"]
        assert len(homes) == 2, homes
        assert not [h for h in net.hits if h.host == host and h.target not in ("/", "/robots.txt") and h.status == 521]


# ---- the rules, on their own --------------------------------------------------------------------
def test_delta_reply_reads_as_the_page_it_updates():
    from crawler.discovery.aspnet import delta_page, is_delta, postback_calls
    reply = delta([("updatePanel", "cph_up", "<ul><li><a href=\"show.aspx?id=7\">某县2023年政府信息公开工作年度报告</a>"
                    "</li></ul><a href=\"javascript:__doPostBack('ctl00$cph$pager','3')\">3</a>"),
                   ("hiddenField", "__VIEWSTATE", "/wE|new="), ("hiddenField", "__EVENTTARGET", ""),
                   ("formAction", "", "./list.aspx?cid=7&amp;x=1"), ("pageTitle", "", "年报")]).decode()
    assert is_delta(reply) and not is_delta("<html><body>1|2</body></html>")
    page = delta_page(reply, {"__VIEWSTATE": "old", "ctl00$cph$ddlYear": "2023", "__EVENTTARGET": "p",
                              "__ASYNCPOST": "true"}, "http://a.gov.cn/gk/list.aspx")
    calls = postback_calls(page, "http://a.gov.cn/gk/list.aspx")
    assert [(c[0], c[1], c[2]) for c in calls] == [("http://a.gov.cn/gk/list.aspx?cid=7&x=1", "ctl00$cph$pager", "3")]
    fields = calls[0][3]
    assert fields["__VIEWSTATE"] == "/wE|new=" and fields["ctl00$cph$ddlYear"] == "2023"
    assert "__ASYNCPOST" not in fields and "show.aspx?id=7" in page
    assert delta_page("12|updatePanel|x|short|", {}, "http://a.gov.cn/") is None     # lengths that do not add up


def test_page_box_posts_each_page_once():
    from crawler.discovery.aspnet import postback_calls
    anp = ('<form method="post" action="list.aspx"><input type="hidden" name="__VIEWSTATE" value="v" />'
           '第1页/共3页 <input type="text" value="1" name="ctl00$c$AspNetPager1_input" />'
           '<input type="submit" value="GO" name="ctl00$c$AspNetPager1" onclick="if(ANP_checkInput('
           "'c_AspNetPager1_input',3)){__doPostBack('ctl00$c$AspNetPager1','')} else{return false}\" />"
           '<input type="text" name="keyword" /><input type="submit" name="btnSearch" value="搜索" /></form>')
    calls = postback_calls(anp, "http://a.gov.cn/nb/list.aspx")
    assert [(c[2], c[3]["ctl00$c$AspNetPager1_input"], c[3]["__EVENTTARGET"], c[4]) for c in calls] == [
        ("2", "2", "ctl00$c$AspNetPager1", True), ("3", "3", "ctl00$c$AspNetPager1", True)]
    plain = ('<form method="post" action="list.aspx"><input type="hidden" name="__VIEWSTATE" value="v" />'
             '共12条 第1/3页 共3页 跳转到 <input name="ctl00$c$txtPage" type="text" value="1" class="pageinput" />'
             '<input type="submit" name="ctl00$c$btnGo" value="跳转" />'
             '<input type="text" name="keyword" /><input type="submit" name="btnSearch" value="搜索" /></form>')
    calls = postback_calls(plain, "http://a.gov.cn/nb/list.aspx")
    assert [(c[3]["ctl00$c$txtPage"], c[3]["ctl00$c$btnGo"], c[3]["__EVENTTARGET"]) for c in calls] == [
        ("2", "跳转", ""), ("3", "跳转", "")]
    # a search box and its button are no pager; without a page count nothing is guessed
    assert postback_calls(plain.replace("第1/3页 共3页", ""), "http://a.gov.cn/nb/list.aspx") == []


def test_script_rows_jsonp_sources_and_loaded_tabs():
    from crawler.discovery.links import extract_links
    from crawler.discovery.lists import json_apis
    rows = ('<script>var list = [["某县2023年政府信息公开工作年度报告", "/nb/t1.html", "2024-01-10"],'
            ' {t: "关于做好年度报告编制工作的通知", u: "/nb/t2.html"}, ["/nb/t3.html"]];'
            ' $("#tab").load("/gk/" + name + "_inc.html");</script>'
            '<span onclick="showTab(\'nb\')">公开年报</span>'
            '<script>function showTab(name) { $("#box").load("/gk/" + name + "_inc.html"); }</script>')
    links = {link.url.rsplit("/", 1)[1]: link.text for link in extract_links(rows, "http://a.gov.cn/")}
    assert links["t1.html"] == "某县2023年政府信息公开工作年度报告"
    assert links["t2.html"] == "关于做好年度报告编制工作的通知" and links["t3.html"] == ""
    assert links["nb_inc.html"] == "公开年报"
    page = '<script src="/common/list.jsp?channel=9&amp;page=1&amp;callback=show"></script><script src="/js/jq.js"></script>'
    assert [(a.url, a.page_param) for a in json_apis(page, "http://a.gov.cn/nb/")] == [
        ("http://a.gov.cn/common/list.jsp?channel=9&page=1&callback=show", "page")]


def test_gzip_sitemap_urls_are_site_maps():
    from crawler.discovery.scoring import score_link
    assert score_link("", "http://a.gov.cn/sitemaps/sitemap-xxgk.xml.gz").tier == "sitemap"
    assert score_link("", "http://a.gov.cn/sitemap.xml.gz").tier == "sitemap"
    assert gzip.decompress(gzip.compress(b"x")) == b"x"     # (the web serves real gzip files)


@pytest.mark.parametrize("style, marker", [("official", "（二）部分公开"), ("word", "3.危及"), ("trs", "（六）其他处理"),
                                           ("official", "行政事业性收费"), ("word", "二、上年结转")])
def test_table_cut_by_a_page_break_reads_as_one(style, marker):
    """Guard (right before round 4): an article's pages joined around a table the page break cut
    (rowspans of page 1 running past its end) give every cell exactly."""
    from crawler.discovery.lists import join_article
    from parsers.api import parse_document
    from tests.fixturegen import expected_json
    from tests.redteam_web3 import frame, report_parts
    f = fig(6800, 2023, "分页县民政局")
    head, rest = cut_table(report_parts(f, style, ())[0], marker)
    pages = [frame(f.title, f'<h1>{f.title}</h1><div class="TRS_Editor">{part}</div><div class="page">'
                            f'<a href="content_{i + 1}.html">{"下一页" if i == 0 else "上一页"}</a></div>').decode()
             for i, part in enumerate((head, rest))]
    parsed = parse_document(join_article(pages).encode("utf-8"), "text/html; charset=utf-8",
                            "http://a.gov.cn/nb/content.html")
    exp = expected_json(f, "html", style)
    assert parsed["is_annual_report"]
    want, got = cells({t: exp[t] for t in TABLES}), cells(parsed)
    bad = [(k, v, got.get(k)) for k, v in want.items()
           if (v is None) != (got.get(k) is None) or (v is not None and abs(float(got[k]) - float(v)) > 1e-6)]
    assert not bad, bad[:5]


def test_api_under_a_context_path_kept_in_a_variable():
    from crawler.discovery.lists import json_apis
    page = ('<script>var ctx = "/gov-cms";\nfunction load(p) { $.getJSON(ctx + "/api/article/list?channelId=5&pageNo="'
            ' + p, function (r) {}); }\nload(1);</script>')
    apis = json_apis(page, "http://a.gov.cn/xxgk/nb/")
    assert [(a.url, a.page_param) for a in apis] == [("http://a.gov.cn/gov-cms/api/article/list?channelId=5&pageNo=1",
                                                       "pageNo")]
    assert apis[0].page(2)[0].endswith("/gov-cms/api/article/list?channelId=5&pageNo=2")
    base = '<script>var apiBase = "http://a.gov.cn/api"; $.ajax({url: apiBase + "/nb/list", data: {pageNo: 1}});</script>'
    assert [a.url for a in json_apis(base, "http://a.gov.cn/xxgk/")] == ["http://a.gov.cn/api/nb/list?pageNo=1"]


def test_json_post_body_with_nested_page_object():
    from crawler.discovery.lists import json_apis
    page = ('<script>function load(n) { axios.post("/api/cms/article/page", {condition: {channelId: 7, q: kw},'
            ' page: {current: n, size: 2}}).then(function (r) {}); }\nload(1);</script>')
    api, = json_apis(page, "http://a.gov.cn/nb/")
    assert (api.method, api.json_body, api.page_param, api.first_page) == ("POST", True, "current", 1)
    assert api.form == {"condition": {"channelId": 7}, "page": {"current": 1, "size": 2}}
    assert api.page(2) == ("http://a.gov.cn/api/cms/article/page", {"condition": {"channelId": 7},
                                                                    "page": {"current": 2, "size": 2}})
    flat = '<script>$.post("/api/nb/list", {channelId: 5, pageNo: p});</script>'      # (as before: form fields)
    assert [(a.form, a.json_body) for a in json_apis(flat, "http://a.gov.cn/nb/")] == [({"channelId": "5", "pageNo": "1"}, False)]


def test_pager_inside_an_update_panel_posts_asynchronously():
    from crawler.discovery.aspnet import delta_page, postback_calls, update_panels
    page = ('<form method="post" action="./list.aspx" id="aspnetForm"><input type="hidden" name="__VIEWSTATE" value="v1" />'
            "<script>Sys.WebForms.PageRequestManager._initialize('ctl00$SM1', 'aspnetForm', ['tctl00$cph$upList',"
            "'cph_upList'], [], [], 90, 'ctl00');</script><div id=\"cph_upList\"><ul></ul>"
            "<a href=\"javascript:__doPostBack('ctl00$cph$pager','2')\">2</a></div>"
            "<a href=\"javascript:__doPostBack('ctl00$lnkNextPage','')\">下一页</a></form>")
    assert update_panels(page) == ("ctl00$SM1", {"cph_upList": "ctl00$cph$upList"})
    inside, outside = postback_calls(page, "http://a.gov.cn/gk/list.aspx")
    assert inside[3]["ctl00$SM1"] == "ctl00$cph$upList|ctl00$cph$pager" and inside[3]["__ASYNCPOST"] == "true"
    assert "ctl00$SM1" not in outside[3] and "__ASYNCPOST" not in outside[3]       # a full postback
    # the delta page keeps posting asynchronously (the manager's field for the next control)
    reply = delta([("updatePanel", "cph_upList", "<a href=\"javascript:__doPostBack('ctl00$cph$pager','3')\">3</a>"),
                   ("hiddenField", "__VIEWSTATE", "v2")]).decode()
    again, = postback_calls(delta_page(reply, inside[3], "http://a.gov.cn/gk/list.aspx"), "http://a.gov.cn/gk/list.aspx")
    assert (again[2], again[3]["ctl00$SM1"], again[3]["__ASYNCPOST"], again[3]["__VIEWSTATE"]) == (
        "3", "ctl00$cph$upList|ctl00$cph$pager", "true", "v2")
    # ASP.NET 3.5: the panels in _updateControls
    old = "_initialize('SM1', document.getElementById('form1'));\nprm._updateControls(['tUpdatePanel1'], [], [], 90);"
    assert update_panels("<script>Sys.WebForms.PageRequestManager." + old + "</script>") == (
        "SM1", {"UpdatePanel1": "UpdatePanel1"})


def test_trs_wcm_pager_written_by_the_lists_own_script():
    from crawler.discovery.lists import trs_pages
    from tests.redteam_web4 import wcm_pager
    page = f'<ul><li><a href="./202404/t1.html">x</a></li></ul>{wcm_pager(1, 3)}'
    base = "http://www.jbxian.gov.cn/zwgk/wcmnb/"
    assert trs_pages(page, base + "index_1.html") == [base + "index.html", base + "index_2.html"]
    assert trs_pages(page.replace("countPage", "pageTotal"), base) == []      # no count: nothing guessed
    from crawler.discovery.links import extract_links
    # (the pieces of the URL the script builds are no links: "index" + "_" + nextPage + ".html")
    assert [link.url for link in extract_links(page, base + "index_1.html") if link.source == "script"] == [
        base + "index.html"]


def test_articles_carried_whole_by_a_json_reply():
    from crawler.discovery.lists import json_articles
    reply = {"code": 0, "data": {"id": 7, "title": "某县林业局2023年政府信息公开工作年度报告", "publishTime": "2024-01-10",
                                 "content": "<p>一、总体情况</p><table><tr><td>1</td></tr></table>", "source": "某县"}}
    assert json_articles(reply) == [("某县林业局2023年政府信息公开工作年度报告",
                                     "<p>一、总体情况</p><table><tr><td>1</td></tr></table>")]
    notice = {"data": {"title": "关于做好2023年度政府信息公开工作年度报告编制工作的通知", "content": "<p>各单位：……</p>" * 5}}
    assert json_articles(notice) == []                                  # a lookalike's text is not fetched as one
    assert json_articles({"data": {"title": "某县2023年政府信息公开工作年度报告", "summary": "短"}}) == []   # no body


def test_form_pager_links_behind_javascript_void():
    from crawler.discovery.lists import form_pages
    page = ('<form id="f" action="/xxgk/nb/list.do" method="get"><input type="hidden" name="pageNo" value="1"/>'
            '<input type="hidden" name="channelId" value="12"/></form><div class="page">'
            '<a href="javascript:void(0)" onclick="changePage(2)">2</a> '
            '<a href="javascript:void(0);" onclick="changePage(3)">3</a></div>'
            '<script>function changePage(p) { $("#pageNo").val(p); $("#f").submit(); }</script>')
    assert form_pages(page, "http://a.gov.cn/xxgk/nb/list.do") == [
        ("GET", "http://a.gov.cn/xxgk/nb/list.do", {"pageNo": str(n), "channelId": "12"}) for n in (2, 3)]


def test_robots_sitemap_named_by_a_relative_path_is_read(tmp_path):
    """(the crawl of sitemap_web's www.xdsm.gov.cn covers it end to end; here the URL it asks)"""
    from crawler.spiders.reports import ReportsSpider
    sites = tmp_path / "sites.csv"
    sites.write_text("name,url\nx,http://www.a.gov.cn/\n", encoding="utf-8")
    spider = ReportsSpider(sites=str(sites), db=str(tmp_path / "c.db"))
    asked = []
    spider.make = lambda url, *a, **k: asked.append(url)          # (no crawler: record the request only)
    spider.robots_sitemaps["www.a.gov.cn"] = ["/map/sitemap-gov.xml"]
    from scrapy.http import HtmlResponse
    list(spider.robots_sitemap_requests(HtmlResponse("http://www.a.gov.cn/", body=b"<html></html>"), "http://www.a.gov.cn/"))
    assert asked == ["http://www.a.gov.cn/map/sitemap-gov.xml"]


def test_cookie_challenge_read_from_literals_only():
    from crawler.challenge import cookie_challenge
    page = ("<html><script>document.cookie=('__jsl_clearance')+('=1733550000.417|0|')+('Vh6k%3D')+';max-age=3600;"
            "path=/';location.href=location.pathname+location.search</script></html>")
    assert cookie_challenge(page) == {"__jsl_clearance": "1733550000.417|0|Vh6k%3D"}
    assert cookie_challenge('<script>document.cookie = "t=ab1; path=/"; window.location.reload();</script>') == {"t": "ab1"}
    assert cookie_challenge('<script>document.cookie = "t=" + go(); location.reload();</script>') is None   # computed
    # a page with content of its own that also sets a cookie is no challenge
    assert cookie_challenge("<p>" + "某县政府信息公开" * 40 + '</p><script>document.cookie="a=1";location.hash="x"</script>') is None


def test_year_only_files_on_a_column_are_reports():
    from crawler.discovery.scoring import score_link
    col = "http://a.gov.cn/xxgk/nb/"
    assert score_link("2023年度", "http://a.gov.cn/upload/P020240120.pdf", "", "column", col).tier == "report"
    assert score_link("2022", "http://a.gov.cn/xxgk/download.jsp?id=5", "", "column", col).tier == "report"
    assert score_link("2023年度", "http://a.gov.cn/upload/P020240120.pdf", "", "platform", col).tier == "drop"
    assert score_link("15", "http://a.gov.cn/upload/P020240120.pdf", "", "column", col).tier == "drop"   # no year


def test_fragments_fetched_by_jquery_get_or_ajax_are_links():
    from crawler.discovery.links import extract_links
    page = ('<a href="javascript:;" onclick="showYear(2023)">2023年</a><span onclick="loadPage(2)">2</span>'
            '<a onclick="tab(3)">第三栏</a><script>function showYear(y) { $.get("/nb/" + y + ".html", function (h) {'
            ' $("#list").html(h); }); }\nfunction loadPage(n) { $.ajax({url: "/api/nb/list?page=" + n, dataType: "json"});'
            ' }\nfunction tab(n) { $.ajax({url: "/nb/list_" + n + ".shtml", success: function (h) {} }); }</script>')
    # (a JSON API called the same way is read as an API, not followed as a page)
    assert [(link.url, link.text) for link in extract_links(page, "http://a.gov.cn/nb/") if link.source == "onclick"] == [
        ("http://a.gov.cn/nb/2023.html", "2023年"), ("http://a.gov.cn/nb/list_3.shtml", "第三栏")]
