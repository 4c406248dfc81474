"""Red-team crawls, round 6: https sites and their aliases, deep and out-of-host 公开 platforms,
year sub-columns and pickers, year-only links under a 年报 heading, a list API paged first in its
URL, a whole portal that is one single-page app.

The webs of ``tests/redteam_web6.py`` are crawled, a few at once behind one proxy that also
tunnels https (``redteam_web6.merged``), by the real ``nianbao crawl`` in a subprocess with
``http_proxy`` and ``https_proxy`` set; the checks are round 2's (``tests/test_redteam_crawl2.check``):
recall ≥ 98% of the reachable reports, no stored report that is not one of them, no duplicate, no
robots.txt violation, only ``.gov.cn`` hosts, every cell equal to fixturegen's expected JSON.
The rules the webs needed are tested on their own below.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_crawl7.py
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.redteam_web6 import TlsNet, https_web, merged, portal_app_web, widgets_web
from tests.test_redteam_crawl2 import check
from tests.test_redteam_crawl2 import crawl as crawl2


def crawl(net: TlsNet, seeds: list[str], tmp: Path, scheme: str = "http") -> tuple[list[dict], list[dict], subprocess.CompletedProcess]:
    """The real CLI with both proxies set to the web's; (exported reports, errors rows, process)."""
    return crawl2(net, seeds, tmp, scheme=scheme, https_proxy=True)


@pytest.mark.slow
def test_https_aliases_deep_platforms_and_year_columns(tmp_path):
    """One crawl: a county on https only whose pages link http://, https:// and //host URLs, its
    年报 column four clicks deep under a <base href>, an attachment above the root, a page of
    image tables with the PDF; a 公开 platform on its own host with a sub-column per year."""
    net, seeds = merged(https_web())
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("https", net, reports, errors, proc)
    # every page of the https-only county fetched over https once: http only ever redirected
    fetched = [(path, tls) for host, path, tls in net.tls_hits if host == "www.sjxian.gov.cn" and tls]
    dup = sorted({p for p, _ in fetched if fetched.count((p, True)) > 1})
    assert not dup, f"fetched twice over https: {dup}"
    # the stored URLs are the https ones
    mine = [r for r in reports if r["site"].startswith("http://www.sjxian")]
    assert mine and all(r["source_url"].startswith("https://") for r in mine), [r["source_url"] for r in mine]


@pytest.mark.slow
def test_widgets_and_a_portal_app(tmp_path):
    """One crawl: year-only links under a 年报 heading on a home page, a <select> year picker
    loading each year from an API, a list API whose page number comes first in its URL, and a
    whole portal that is one Vue app (the seed is the shell; its API under axios.create's baseURL)."""
    net, seeds = merged(widgets_web(), portal_app_web())
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("widgets+app", net, reports, errors, proc)
    # no API call refused; the vendor chunk never fetched
    assert net.count("www.vpxian.gov.cn", "/static/js/chunk-vendors.77e1.js") == 0
    bad = [h for h in net.hits if "/api/" in h.target or "/prod-api/" in h.target]
    assert bad and all(h.status == 200 for h in bad), [(h.host, h.target, h.status) for h in bad]
    assert not [h for h in net.hits if h.host == "www.nhxian.gov.cn" and h.target.startswith("/tzgg/")]


# ---- the rules, on their own --------------------------------------------------------------------
def test_an_origin_redirecting_to_another_is_asked_under_it(tmp_path):
    """http://x/a → https://x/a once: every later link to http://x is asked on https; and one
    page linked under both schemes is one request."""
    from scrapy.http import HtmlResponse, Request

    from crawler.spiders.reports import ReportsSpider
    sites = tmp_path / "sites.csv"
    sites.write_text("name,url\nx,http://www.a.gov.cn/\n", encoding="utf-8")
    spider = ReportsSpider(sites=str(sites), db=str(tmp_path / "c.db"))
    req = Request("https://www.a.gov.cn/", meta={"redirect_urls": ["http://www.a.gov.cn/"]})
    spider.learn_alias(HtmlResponse("https://www.a.gov.cn/", body=b"<html></html>", request=req))
    assert spider.unaliased("http://www.a.gov.cn/nb/1.html?id=2") == "https://www.a.gov.cn/nb/1.html?id=2"
    assert spider.unaliased("http://a.gov.cn/nb/1.html") == "http://a.gov.cn/nb/1.html"     # another origin
    # a redirect to another path is no alias (a moved page, a login)
    req = Request("https://www.b.gov.cn/login", meta={"redirect_urls": ["http://www.b.gov.cn/nb/"]})
    spider.learn_alias(HtmlResponse("https://www.b.gov.cn/login", body=b"<html></html>", request=req))
    assert spider.unaliased("http://www.b.gov.cn/x.html") == "http://www.b.gov.cn/x.html"

    from types import SimpleNamespace

    from scrapy.settings import Settings
    spider.settings = Settings()                   # (no crawler: what make() reads of one)
    spider.crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None))
    site = "http://www.c.gov.cn/"
    assert spider.make("http://www.c.gov.cn/nb/1.html", site) is not None
    assert spider.make("https://www.c.gov.cn/nb/1.html", site) is None


def test_list_api_whose_page_number_comes_first_in_the_url():
    from crawler.discovery.lists import json_apis
    page = ('<div id="list"></div><script>var cid = "77";\nfunction go(p) {\n  $.getJSON("/xxgk/api/docs?pageNo=" + p + '
            '"&channelId=" + cid + "&pageSize=2", function (res) { render(res.data); });\n}\ngo(1);</script><div>…</div>')
    apis = json_apis(page, "http://a.gov.cn/xxgk/gknb/")
    assert [(a.url, a.page_param) for a in apis] == [("http://a.gov.cn/xxgk/api/docs?pageNo=1&channelId=77&pageSize=2",
                                                      "pageNo")]
    assert apis[0].page(3)[0] == "http://a.gov.cn/xxgk/api/docs?channelId=77&pageSize=2&pageNo=3"
    # a value the page cannot know leaves its parameter out (not "&channelId=undefined")
    unknown = page.replace('+ cid +', '+ getCid() +')
    assert [a.url for a in json_apis(unknown, "http://a.gov.cn/xxgk/gknb/")] == [
        "http://a.gov.cn/xxgk/api/docs?pageNo=1&pageSize=2"]


def test_year_picker_calls_its_function_with_each_option():
    from crawler.discovery.lists import json_apis
    page = ('<select id="y" onchange="loadYear(this.value)"><option value="2024">2024年</option>'
            '<option value="2023" selected>2023年</option><option value="2022">2022年</option></select><ul></ul>'
            '<script>function loadYear(y) { $.getJSON("/api/nb/list?year=" + y, function (r) { show(r); }); }\n'
            'loadYear(2024);</script><div class="foot">版权所有</div>')
    urls = sorted(a.url for a in json_apis(page, "http://a.gov.cn/zwgk/nb/"))
    assert urls == [f"http://a.gov.cn/api/nb/list?year={y}" for y in (2022, 2023, 2024)]     # no year=this.value
    # tabs carrying data-year, a delegated click handler passing $(this).data("year")
    tabs = ('<ul class="years"><li data-year="2024">2024年</li><li data-year="2023">2023年</li></ul><ul id="l"></ul>'
            '<script>function showYear(y) { $.getJSON("/gk/api/nb?year=" + y, function (r) { show(r); }); }\n'
            '$(".years").on("click", "li", function () { showYear($(this).data("year")); });</script><p>…</p>')
    assert sorted(a.url for a in json_apis(tabs, "http://a.gov.cn/gk/nb/")) == [
        f"http://a.gov.cn/gk/api/nb?year={y}" for y in (2023, 2024)]


def test_year_only_links_under_a_report_heading():
    from crawler.discovery.links import extract_links
    from crawler.discovery.scoring import score_link
    home = ('<div class="box"><div class="box-hd"><h3>政府信息公开工作年度报告</h3></div><ul class="box-bd">'
            '<li><a href="/art/2024/1/8302.html">2023年</a></li><li><a href="/upload/nb2022.pdf">2022年度</a></li></ul></div>'
            '<div class="box"><h3>通知公告</h3><ul><li><a href="/tzgg/1.html">2023年</a></li></ul></div>'
            '<div class="box"><h3>关于做好年度报告编制工作的通知</h3><ul><li><a href="/tz/2.html">2023年</a></li></ul></div>')
    got = {link.url.rsplit("/", 1)[1]: score_link(link.text, link.url, link.context, "other", "http://a.gov.cn/").tier
           for link in extract_links(home, "http://a.gov.cn/")}
    assert got == {"8302.html": "column", "nb2022.pdf": "report", "1.html": "other", "2.html": "other"}


def test_app_instance_base_and_the_fullest_call_of_an_api():
    from crawler.discovery.lists import json_apis
    from tests.redteam_web6 import PORTAL_JS
    shell = f'<div id="app"></div><script>{PORTAL_JS}</script>'
    apis = json_apis(shell, "http://www.a.gov.cn/")
    assert [(a.url, a.page_param) for a in apis] == [
        ("http://www.a.gov.cn/prod-api/portal/article/list?columnCode=gknb&pageNum=1&pageSize=3", "pageNum")]
    # a direct axios / $.ajax call is no instance's: its path is kept
    direct = ('<script>var s = axios.create({baseURL: "/prod-api"});\n'
              'axios.get("/api/nb/list", {params: {page: 1}});</script>')
    assert [a.url for a in json_apis(direct, "http://www.a.gov.cn/")] == ["http://www.a.gov.cn/api/nb/list?page=1"]


def test_row_links_saying_only_the_format_and_cut_titles():
    from crawler.discovery.links import extract_links
    from crawler.discovery.scoring import score_link
    col = "http://a.gov.cn/zwgk/ndbg/"
    page = ('<table><tr><td>1</td><td>某县2023年政府信息公开工作年度报告</td><td><a href="/u/a.pdf">PDF版</a> '
            '<a href="/u/a.docx">Word版</a> <a href="/u/b.pdf">[PDF]</a></td></tr>'
            '<tr><td>2</td><td>某县2024年政务公开工作要点</td><td><a href="/u/x.pdf">PDF版</a></td></tr></table>'
            '<ul><li><a href="/nb/t1.html">某县应急管理局2024年...</a></li><li><a href="/nb/t2.pdf">某县教育局2022年度政府信息…</a></li>'
            '<li><a href="/nb/t3.html">关于某县2023年政府信息公开工作年度...</a></li></ul>')
    got = {link.url.rsplit("/", 1)[1]: score_link(link.text, link.url, link.context, "column", col).tier
           for link in extract_links(page, col)}
    assert got == {"a.pdf": "report", "a.docx": "report", "b.pdf": "report", "x.pdf": "drop",
                   "t1.html": "report", "t2.pdf": "report", "t3.html": "platform"}
    # a cut title on a page that is no 年报 list says too little
    assert score_link("某县应急管理局2024年...", "http://a.gov.cn/nb/t1.html", "", "other").tier == "other"


def test_history_mode_app_reads_its_route_from_the_path():
    """An app in history mode: at "/" the column view's API (columnId: this.$route.params.id) is not
    called — that view belongs to /column/:id; at /column/31 it is, with 31."""
    from crawler.discovery.apps import history_route
    from crawler.discovery.lists import json_apis
    from tests.redteam_web6 import HISTORY_JS
    shell = f'<div id="app"></div><script>{HISTORY_JS}</script>'
    at = {path: [a.url for a in json_apis(shell, f"http://a.gov.cn{path}", history_route(f"http://a.gov.cn{path}"))]
          for path in ("/", "/column/31")}
    assert at == {"/": ["http://a.gov.cn/api/portal/menu"],
                  "/column/31": ["http://a.gov.cn/api/portal/menu",
                                 "http://a.gov.cn/api/portal/article/list?pageNo=1&pageSize=2&columnId=31"]}
