"""Red-team crawls, round 7: list APIs whose request data the script names (``params: query``,
``data: param``, ``body: JSON.stringify(query)``, a component's ``this.queryParams``), columns
that come from an app's route table (its ``meta``), a province portal linking the sites of other
governments.

The webs of ``tests/redteam_web7.py`` are crawled by the real ``nianbao crawl`` in a subprocess
with ``http_proxy`` set; the checks are round 2's (``tests/test_redteam_crawl2.check``): recall ≥
98% of the reachable reports, no stored report that is not one of them, no duplicate, no
robots.txt violation, only ``.gov.cn`` hosts, every cell equal to fixturegen's expected JSON.
The rules the webs needed are tested on their own below.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_crawl8.py
"""

from __future__ import annotations

import pytest

from tests.redteam_web5 import merged
from tests.redteam_web7 import (
    FETCH_VAR_JS,
    PARAM_VAR_JS,
    QUERY_PARAMS_JS,
    ROUTE_MENU_JS,
    ROUTE_META_JS,
    apps_web,
    pagers_web,
    portal_web,
)
from tests.test_redteam_crawl2 import check
from tests.test_redteam_crawl7 import crawl


@pytest.mark.slow
def test_named_request_data_route_table_columns_and_a_province_portal(tmp_path):
    """One crawl of the two webs (one start-up): five counties whose lists need
    listArticle(this.queryParams), $route.meta's column, an app's route-table menu, data: param and
    body: JSON.stringify(query); a province portal listing eight counties' own sites beside its own
    年报 column (the 修订版 over the 正式版)."""
    net, seeds = merged(apps_web(), portal_web(), pagers_web())
    reports, errors, proc = crawl(net, seeds, tmp_path)    # type: ignore[arg-type]
    check("round7", net, reports, errors, proc)
    # every list API call carried its column (none refused); vendor chunks never fetched
    calls = [h for h in net.hits if "/api/" in h.target]
    assert calls and all(h.status == 200 for h in calls), [(h.host, h.target, h.status) for h in calls]
    assert not [h for h in net.hits if "chunk-vendors" in h.target]
    # the app's other columns (新闻动态, 政策文件) are not walked; the 通知公告 route not visited
    assert not [h for h in net.hits if h.host == "www.rtxian.gov.cn" and "columnId=53" in h.target]
    assert not [h for h in net.hits if h.host == "www.mtxian.gov.cn" and "channelId=32" in h.target]
    # the counties' sites are theirs: not one request
    county = sorted({h.host for h in net.hits if h.host.startswith("www.c0")})
    assert not county, f"other governments' sites crawled: {county}"


# ---- the rules, on their own --------------------------------------------------------------------
def test_request_data_named_by_a_variable_or_a_components_data():
    from crawler.discovery.lists import json_apis
    shell = '<div id="app"></div><script>{}</script>'
    got = [(a.url, a.page_param) for a in json_apis(shell.format(QUERY_PARAMS_JS), "http://a.gov.cn/xxgk/gknb/")]
    assert got == [("http://a.gov.cn/prod-api/portal/article/list?columnCode=gknb&pageNum=1&pageSize=3", "pageNum")]
    page = '<ul id="l"></ul><script>{}</script>'
    (api,) = json_apis(page.format(PARAM_VAR_JS), "http://a.gov.cn/xxgk/gknb/")
    assert (api.method, api.json_body, api.page_param, api.form) == (
        "POST", False, "pageIndex", {"siteId": "5", "catId": "12", "pageIndex": "1", "pageSize": "4"})
    assert api.page(2)[1]["pageIndex"] == "2"
    (api,) = json_apis(page.format(FETCH_VAR_JS), "http://a.gov.cn/zwgk/nb/")
    assert (api.method, api.json_body, api.page_param, api.form) == (
        "POST", True, "pageNo", {"channelId": "12", "pageNo": "1", "pageSize": "2"})
    # a name the script gives no literal (a value from elsewhere) adds nothing, guesses nothing
    unknown = page.format(FETCH_VAR_JS.replace("var query = { channelId: 12, pageNo: 1, pageSize: 2 };",
                                               "var query = getQuery();"))
    assert [(a.form, a.page_param) for a in json_apis(unknown, "http://a.gov.cn/zwgk/nb/")] == [({}, None)]


def test_route_meta_names_the_column():
    from crawler.discovery.lists import json_apis
    shell = f'<div id="app"></div><script>{ROUTE_META_JS}</script>'
    at = {route: [a.url for a in json_apis(shell, "http://a.gov.cn/zwgk/index.html", route)]
          for route in ("/nb", "/tzgg", "/")}
    assert at == {"/nb": ["http://a.gov.cn/api/cms/list?pageNo=1&pageSize=2&channelId=31"],
                  "/tzgg": ["http://a.gov.cn/api/cms/list?pageNo=1&pageSize=2&channelId=32"],
                  "/": []}         # (the view of a route with a meta column: not called from "/")


def test_route_table_titles_are_the_apps_menu():
    from crawler.discovery.apps import route_links
    assert route_links(ROUTE_MENU_JS, "http://www.a.gov.cn/") == [
        ("http://www.a.gov.cn/#/news", "新闻动态"), ("http://www.a.gov.cn/#/gknb", "政府信息公开年报"),
        ("http://www.a.gov.cn/#/zcwj", "政策文件")]
    history = ROUTE_MENU_JS.replace("new VueRouter({ routes: routes })", 'new VueRouter({ mode: "history", routes: routes })')
    assert route_links(history, "http://www.a.gov.cn/index.html")[1] == ("http://www.a.gov.cn/gknb", "政府信息公开年报")


def test_other_governments_sites_are_not_walked(tmp_path):
    """A link to another gov.cn domain (a county's portal, platform, 年报 column or report) is not
    followed from a province's site; its own sub-hosts are, a report page's attachments anywhere
    are, and a site that moved (its seed redirected to a new domain) keeps the new domain."""
    from types import SimpleNamespace

    from scrapy.http import HtmlResponse, Request
    from scrapy.settings import Settings

    from crawler.spiders.reports import ReportsSpider
    sites = tmp_path / "sites.csv"
    sites.write_text("name,url\n青南省人民政府,http://www.qnsheng.gov.cn/\nold,http://www.oldxian.gov.cn/\nx,http://127.0.0.2:8000/\n",
                     encoding="utf-8")
    spider = ReportsSpider(sites=str(sites), db=str(tmp_path / "c.db"))
    spider.settings = Settings()
    spider.crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None))
    site = "http://www.qnsheng.gov.cn/"
    for tier in ("platform", "column", "other", "report"):
        assert spider.make(f"http://www.c01xian.gov.cn/xxgk/{tier}/", site, tier=tier) is None, tier
    # links naming another government are its; a generic one (or one naming the site's own
    # government) to a shared platform host is the site's own, and that host is from then on
    from crawler.discovery.links import Link
    from crawler.discovery.scoring import score_link
    assert spider._site_names[site] == "青南省"          # (the sites file's name; else the seed page's title)

    def follow(text: str, url: str):
        return spider.follow(Link(url, text, "", "a"), score_link(text, url, "", "platform", site), site, site, 1)
    assert follow("岚山县政府信息公开", "http://www.c00xian.gov.cn/xxgk/") is None
    assert follow("岚山县2024年政府信息公开工作年度报告", "http://www.c00xian.gov.cn/xxgk/nb/1.html") is None
    assert follow("岚山县人民政府", "http://www.c00xian.gov.cn/") is None
    assert follow("青南省教育厅2024年政府信息公开工作年度报告", "http://www.qnedu.gov.cn/nb/1.html") is not None
    assert follow("政府信息公开", "http://xxgk.shared.gov.cn/qnxxgk/") is not None
    # on that host, a section naming another government is still that government's
    assert follow("岚山县政府信息公开", "http://xxgk.shared.gov.cn/lsxxgk/") is None
    assert follow("下一页", "http://xxgk.shared.gov.cn/qnxxgk/index_1.html") is not None
    req = spider.make("http://xxgk.shared.gov.cn/qnxxgk/gknb/", site, tier="column")
    assert req is not None and req.meta["own_host"] == "xxgk.shared.gov.cn"
    # another worker of a distributed crawl reading that page learns the host from the request
    other = ReportsSpider(sites=str(sites), db=str(tmp_path / "c.db"))
    other.settings, other.crawler = spider.settings, spider.crawler
    list(other.parse_page(HtmlResponse(req.url, body=b"<html><title>x</title></html>", request=req)))
    assert other.make("http://xxgk.shared.gov.cn/qnxxgk/gknb/index_1.html", site, tier="pagination") is not None
    assert spider.make("http://www.c01xian.gov.cn/nb.pdf", site, document=True) is None
    assert spider.make("http://xxgk.qnsheng.gov.cn/jyt/nb/", site, tier="column") is not None
    assert spider.make("http://www.c02xian.gov.cn/upload/nb.pdf", site, group={}) is not None
    # a site that moved: its seed's redirect makes the new domain its own
    old = "http://www.oldxian.gov.cn/"
    assert spider.make("http://www.newxian.gov.cn/xxgk/", old, tier="platform") is None
    req = Request("http://www.newxian.gov.cn/", meta={"redirect_urls": [old], "tier": "seed", "site": old, "depth": 0})
    spider.learn_domain(HtmlResponse("http://www.newxian.gov.cn/", body=b"<html></html>", request=req))
    assert spider.make("http://www.newxian.gov.cn/xxgk/nb/", old, tier="platform") is not None
    # a site whose own name is unknown (its seed page titled 首页): named links cannot be told, as before
    unnamed = "http://www.oldxian.gov.cn/"
    assert unnamed not in spider._site_names
    assert spider.follow(Link("http://www.c05xian.gov.cn/xxgk/", "岚山县政府信息公开", "", "a"),
                         score_link("岚山县政府信息公开", "http://www.c05xian.gov.cn/xxgk/", "", "platform", unnamed),
                         unnamed, unnamed, 1) is not None
    # a site off gov.cn (a loopback web): no rule to tell its own hosts by
    assert spider.make("http://www.c03xian.gov.cn/xxgk/", "http://127.0.0.2:8000/", tier="platform") is not None


def test_pager_widgets_configured_by_a_script_object():
    from crawler.discovery.lists import widget_pages
    from tests.redteam_web7 import JQPAGINATOR, KKPAGER_DEFAULT, LAYPAGE

    def pages(script: str, url: str, **kw) -> list[str]:
        return [u.rsplit("/", 1)[1] for u in widget_pages(f"<ul></ul><script>{script.format(**kw)}</script>", url)]

    assert pages(KKPAGER_DEFAULT, "http://a.gov.cn/zwgk/gknb/list.html", n=1, pages=3, records=7) == [
        "list_2.html", "list_3.html"]
    assert pages(KKPAGER_DEFAULT, "http://a.gov.cn/zwgk/gknb/list_2.html", n=2, pages=3, records=7) == [
        "list.html", "list_3.html"]         # (kkpager's page 1 is hrefFormer + hrefLatter, no _1)
    assert pages(LAYPAGE, "http://a.gov.cn/gk/nb/list.jsp?channel=nb&page=2", n=2, records=7) == [
        "list.jsp?channel=nb&page=1", "list.jsp?channel=nb&page=3", "list.jsp?channel=nb&page=4"]
    assert pages(JQPAGINATOR, "http://a.gov.cn/xxgk/nb/list_1.shtml", n=1, pages=3) == ["list_2.shtml", "list_3.shtml"]
    # an object with a total that draws no pager (a list API's data, a chart): nothing
    assert pages('$.ajax({{url: "/api/list", data: {{totalPage: 5, pageNo: 1}}, success: function (r) {{ show(r); }}}});',
                 "http://a.gov.cn/nb/") == []
    assert pages('echarts.init(el).setOption({{series: [{{data: [1, 2]}}], total: 9, pageSize: 3}});', "http://a.gov.cn/nb/") == []


def test_sitemap_articles_under_a_report_column_directory(tmp_path):
    """A sitemap's bare <loc> of an article under a 年报 column's directory: the column and the
    article are asked (the parser decides); an article under no such directory is not."""
    from types import SimpleNamespace

    from scrapy.http import Request, XmlResponse
    from scrapy.settings import Settings

    from crawler.spiders.reports import ReportsSpider
    sites = tmp_path / "sites.csv"
    sites.write_text("name,url\nx,http://www.a.gov.cn/\n", encoding="utf-8")
    spider = ReportsSpider(sites=str(sites), db=str(tmp_path / "c.db"))
    spider.settings = Settings()
    spider.crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None))
    locs = ["/zwgk/zfxxgkndbg/202501/t20250120_1.html", "/zwgk/zfxxgkndbg/202401/t20240120_2.html",
            "/xwzx/202501/t20250105_3.html"]
    body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>http://www.a.gov.cn{loc}</loc></url>" for loc in locs) + "</urlset>")
    req = Request("http://www.a.gov.cn/sitemap.xml", meta={"site": "http://www.a.gov.cn/"})
    got = [(r.url, r.meta.get("tier")) for r in spider.parse_sitemap(XmlResponse(req.url, body=body.encode(), request=req))]
    assert got == [("http://www.a.gov.cn/zwgk/zfxxgkndbg/", "column"),
                   ("http://www.a.gov.cn/zwgk/zfxxgkndbg/202501/t20250120_1.html", "report"),
                   ("http://www.a.gov.cn/zwgk/zfxxgkndbg/202401/t20240120_2.html", "report")]


def test_detail_urls_built_from_several_fields_of_an_item():
    from crawler.discovery.lists import detail_templates, json_links
    from tests.redteam_web7 import ITEM_FIELDS_JS
    templates = detail_templates(ITEM_FIELDS_JS)
    assert templates == [("/xxgk/", "channelCode", "/{publishDate|substring:0:4}/{id}.html")]
    items = {"data": [{"id": 7, "channelCode": "gknb", "title": "某县2023年政府信息公开工作年度报告",
                       "publishDate": "2024-01-20 09:30:00"},
                      {"id": 8, "title": "某县2022年政府信息公开工作年度报告"}]}     # (a field missing: no URL)
    assert [link.url for link in json_links(items, "http://a.gov.cn/xxgk/nb/", templates)] == [
        "http://a.gov.cn/xxgk/gknb/2024/7.html"]


def test_a_column_kept_in_the_pages_own_fragment(tmp_path):
    """A 公开目录 whose tree links its own fragments (#2450) and whose script reads the column from
    location.hash: each column link is the page again with its fragment, the list API completed
    with it — and the API's sid=, a site id, is kept (a page URL's sid= is a session's)."""
    from types import SimpleNamespace

    from scrapy.http import HtmlResponse, Request
    from scrapy.settings import Settings

    from crawler.discovery.links import extract_links
    from crawler.discovery.lists import json_apis
    from crawler.spiders.reports import ReportsSpider
    from tests.redteam_web7 import HASH_COLUMN_JS
    url = "http://www.a.gov.cn/gkmlpt/index"
    page = ('<ul class="tree"><li><a href="#2452">政策文件</a></li><li><a href="#2450">政府信息公开年报</a></li>'
            f'<li><a href="#top">返回顶部</a></li></ul><ul id="list"></ul><script>{HASH_COLUMN_JS}</script>')
    assert [link.url for link in extract_links(page, url)] == [f"{url}#2452", f"{url}#2450", f"{url}#top"]
    assert [link.url for link in extract_links(page.replace("location.hash", "location.search"), url)] == []
    assert [a.url for a in json_apis(page, url, "#2450")] == [
        "http://www.a.gov.cn/gkmlpt/api/all/list?sid=757003&catId=2450&page=1"]
    sites = tmp_path / "sites.csv"
    sites.write_text("name,url\nx,http://www.a.gov.cn/\n", encoding="utf-8")
    spider = ReportsSpider(sites=str(sites), db=str(tmp_path / "c.db"))
    spider.settings = Settings()
    spider.crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None))
    req = Request(url, meta={"site": "http://www.a.gov.cn/", "tier": "platform", "depth": 1})
    spider._scheduled.add(url.split(":", 1)[1])
    got = [(r.url, r.meta.get("route")) for r in spider.parse_page(HtmlResponse(url, body=page.encode(), request=req))]
    assert got == [("http://www.a.gov.cn/gkmlpt/index", "#2450"),
                   ("http://www.a.gov.cn/gkmlpt/api/all/list?sid=757003&page=1", None)]
