"""Red-team crawls, round 8: list replies in other wrappings (jQuery JSONP, XML, a BOM'd
text/plain JSON), a Hanweb column crawled for real, a 公开目录 column linked by its fragment from
another page, several years' reports in one article, a ZIP attachment, an anti-bot interstitial
the crawler cannot pass.

The webs of ``tests/redteam_web8.py`` are crawled by the real ``nianbao crawl`` in a subprocess
with ``http_proxy`` set; the checks are round 2's (``tests/test_redteam_crawl2.check``): recall ≥
98% of the reachable reports, no stored report that is not one of them, no duplicate, no
robots.txt violation, only ``.gov.cn`` hosts, every cell equal to fixturegen's expected JSON.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_crawl9.py
"""

from __future__ import annotations

import pytest

from tests.redteam_web5 import merged
from tests.redteam_web8 import files_web, lists_web
from tests.test_redteam_crawl2 import check, crawl


@pytest.mark.slow
def test_other_list_wrappings_fragment_columns_packed_and_pictured_reports(tmp_path):
    """One crawl of both webs (one start-up): Hanweb for real, a fragment column from the home
    page, jQuery JSONP, XML and BOM'd text/plain lists, a column that moved; six years in one
    article, a ZIP, an unnamed attachment, a report of pictures, an interstitial, document.write
    rows, a neighbouring county named without its suffix."""
    net, seeds = merged(lists_web(), files_web())
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("round8", net, reports, errors, proc)
    # every list call answered (none refused: the JSONP callback sent, the path's column filled in)
    calls = [h for h in net.hits if "/api/" in h.target or "data.jsp" in h.target or "dataproxy" in h.target]
    assert calls and all(h.status == 200 for h in calls), [(h.host, h.target, h.status) for h in calls]
    # no library fetched as an app's bundle (the Hanweb column, the interstitial's script)
    assert not [h for h in net.hits if h.target.endswith(".js")]
    # a ?page= asked of a numbered static page (index_2.html?page=3) is not asked
    assert not [h for h in net.hits if h.host == "www.mrxian.gov.cn" and "_" in h.target and "?page=" in h.target]
    # the report posted as pictures of its pages: stored once, as needing OCR; the logo not fetched
    (pictures,) = [r for r in reports if r["agency"] == "郑坪县财政局"]
    assert pictures["needs_ocr"] is True
    assert not [h for h in net.hits if h.target == "/images/logo.png"]
    kinds = {e["url"]: e["kind"] for e in errors}
    assert kinds.get("http://www.rsxian.gov.cn/xxgk/") == "challenge", errors
    assert kinds.get("http://www.rsxian.gov.cn/xxgk/gknb/") == "challenge", errors
    # the compile notice written among the rows is never fetched; the neighbouring county's site
    # (云溪政府信息公开: named without its suffix) not walked
    assert not [h for h in net.hits if h.target == "/nb/tz/1.html"]
    assert not [h for h in net.hits if h.host == "www.yxixian.gov.cn"]


# ---- the rules, on their own --------------------------------------------------------------------
def test_list_replies_in_jsonp_wrappers_xml_and_a_bom():
    from crawler.discovery.lists import json_apis, json_links, json_page_count, load_json, load_xml
    from tests.redteam_web8 import JSONP_JS, JSONP_Q_JS, XML_JS
    wrapped = ['/**/jQuery1124_1({"a": 1});', '?({"a": 1})', '({"a": 1})', 'try{cb({"a": 1});}catch(e){}',
               '\ufeff{"a": 1}', 'callback({"a": 1})']
    assert [load_json(t) for t in wrapped] == [{"a": 1}] * len(wrapped)
    assert load_json("<html><body>404</body></html>") is None
    xml = ('<?xml version="1.0" encoding="UTF-8"?><response><code>0</code><pageCount>3</pageCount><list>'
           '<item><title>某县2023年政府信息公开工作年度报告</title><url>/nb/1.html</url></item>'
           '<item><title>某县2022年政府信息公开工作年度报告</title><url>/nb/2.html</url></item></list></response>')
    obj = load_xml(xml)
    assert json_page_count(obj) == 3
    assert [link.url for link in json_links(obj, "http://a.gov.cn/xxgk/nb/")] == [
        "http://a.gov.cn/nb/1.html", "http://a.gov.cn/nb/2.html"]
    # (HTML, a Hanweb datastore and entity tricks are no XML list)
    assert load_xml("<!DOCTYPE html><html><body><a href='/x'>x</a></body></html>") is None
    assert load_xml("<datastore><recordset><record><![CDATA[<li>x</li>]]></record></recordset></datastore>") is None
    assert load_xml('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r><t>&a;</t></r>') is None

    def apis(js: str) -> list[tuple[str, str | None]]:
        return [(a.url, a.page_param) for a in json_apis(f"<ul></ul><script>{js}</script>", "http://a.gov.cn/xxgk/nb/")]
    # a paged URL an Ajax call asks is a list API whatever its path says
    assert apis(XML_JS) == [("http://a.gov.cn/xxgk/nb/data.jsp?page=1", "page")]
    # JSONP as jQuery sends it: the callback parameter jsonp: names, callback=? filled in
    assert apis(JSONP_JS) == [("http://a.gov.cn/api/nb/list?channelId=8&pageNo=1&pageSize=3"
                               "&jsonpCallback=jQuery1124_1700000000000", "pageNo")]
    assert apis(JSONP_Q_JS) == [("http://a.gov.cn/xxgk/api/list?channelId=9&pageNo=1"
                                 "&callback=jQuery1124_1700000000000", "pageNo")]
    assert apis(JSONP_JS.replace('jsonp: "jsonpCallback",', "")) == [
        ("http://a.gov.cn/api/nb/list?channelId=8&pageNo=1&pageSize=3&callback=jQuery1124_1700000000000", "pageNo")]


def test_a_value_inside_the_api_path_and_a_fragment_column_linked_from_another_page(tmp_path):
    """"/gkmlpt/api/all/" + catId + "?page=" + page: completed with the column the page's fragment
    names (from the home page's /gkmlpt/index#2450 link); without it no URL is made (it would be
    a wrong one). A column link's fragment reaches the page it opens; an anchor (#top) does not."""
    from types import SimpleNamespace

    from scrapy.http import HtmlResponse, Request
    from scrapy.settings import Settings

    from crawler.discovery.lists import json_apis
    from crawler.spiders.reports import ReportsSpider
    from tests.redteam_web8 import GKMLPT_JS
    page = f'<ul id="list"></ul><script>{GKMLPT_JS}</script>'
    url = "http://www.a.gov.cn/gkmlpt/index"
    assert [a.url for a in json_apis(page, url, "#2450")] == ["http://www.a.gov.cn/gkmlpt/api/all/2450?page=1&sid=758112"]
    assert json_apis(page, url) == []
    sites = tmp_path / "sites.csv"
    sites.write_text("name,url\nx,http://www.a.gov.cn/\n", encoding="utf-8")
    spider = ReportsSpider(sites=str(sites), db=str(tmp_path / "c.db"))
    spider.settings = Settings()
    spider.crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None))
    home = ('<html><head><title>某县人民政府</title></head><body><a href="/gkmlpt/index">政府信息公开</a>'
            '<a href="/gkmlpt/index#2450">政府信息公开年报</a><a href="/xxgk/index.html#top">信息公开目录</a></body></html>')
    req = Request("http://www.a.gov.cn/", meta={"site": "http://www.a.gov.cn/", "tier": "seed", "depth": 0})
    got = sorted((r.url, r.meta.get("route") or "") for r in spider.parse_page(
        HtmlResponse(req.url, body=home.encode(), request=req)) if isinstance(r, Request))
    assert got == [("http://www.a.gov.cn/gkmlpt/index", ""), ("http://www.a.gov.cn/gkmlpt/index", "#2450"),
                   ("http://www.a.gov.cn/xxgk/index.html", "")]


def test_zip_attachments_are_unpacked_and_interstitials_recorded(tmp_path):
    import io
    import zipfile
    from types import SimpleNamespace

    from scrapy.http import HtmlResponse, Request
    from scrapy.settings import Settings

    from crawler.discovery.scoring import score_link
    from crawler.items import CrawlError, FetchedDocument
    from crawler.spiders.reports import ReportsSpider, is_interstitial, unpacked
    from tests.redteam_web8 import CHALLENGE, zipped
    doc = FetchedDocument("http://a.gov.cn/upload/nb.zip", zipped("某县2023年年报.pdf", b"%PDF-1.4 x"), "application/zip",
                          200, {"Content-Type": "application/zip"}, "2025-01-01T00:00:00Z")
    (member,) = unpacked(doc)
    assert (member.url, member.body, member.content_type) == (doc.url, b"%PDF-1.4 x", "application/pdf")
    assert "filename*=UTF-8''" in member.headers["Content-Disposition"]
    # a name zipped on Chinese Windows (GBK, no UTF-8 flag); two reports: the second under its own URL
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("2022年度报告.docx".encode("gbk").decode("cp437")), b"PK docx")
        z.writestr("readme.url", b"x")
        z.writestr("2023年度报告.pdf", b"%PDF-1.4 y")
    two = unpacked(FetchedDocument(doc.url, buf.getvalue(), "application/zip", 200, {}, "t"))
    assert [(d.url, d.content_type) for d in two] == [
        (doc.url, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (doc.url + "#2023%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.pdf", "application/pdf")]
    # a DOCX (a ZIP itself) and a broken archive stay as fetched
    docx = zipped("[Content_Types].xml", b"<Types/>")
    assert unpacked(FetchedDocument(doc.url, docx, None, 200, {}, "t"))[0].body == docx
    assert unpacked(FetchedDocument(doc.url, b"PK\x03\x04broken", None, 200, {}, "t"))[0].body == b"PK\x03\x04broken"
    # a report page's ZIP attachment is fetched; a ZIP elsewhere is not
    assert score_link("附件1.zip", "http://a.gov.cn/upload/nb.zip", "", "report").tier == "document"
    assert score_link("软件下载", "http://a.gov.cn/upload/tool.zip", "", "column").tier == "drop"
    # a 年报 column's year sub-columns whose URL holds no year (col_3021.html): sub-columns, also on a
    # list read as a candidate (政府信息公开年报); a year's file still a report; elsewhere nothing
    for tier in ("column", "report"):
        assert score_link("2024年度", "http://a.gov.cn/nb/col_3021.html", "", tier).tier == "column"
    assert score_link("2024年度", "http://a.gov.cn/nb/2024.pdf", "", "column").tier == "report"
    assert score_link("2024年度", "http://a.gov.cn/nb/col_3021.html", "", "other").tier == "other"
    # an interstitial: a page of scripts, no text — with a gateway's status, or working on a cookie
    assert is_interstitial(CHALLENGE, 412) and is_interstitial(CHALLENGE, 202) and is_interstitial(CHALLENGE, 200)
    assert not is_interstitial('<html><script>location.href = "/portal/index.html";</script></html>', 200)
    assert not is_interstitial("<html><body><p>" + "政府信息公开" * 10 + "</p><script>x()</script></body></html>", 202)
    assert not is_interstitial('<div id="app"></div><script>document.cookie = "lang=zh";</script>', 200)   # an app shell
    assert not is_interstitial('<script>setTimeout(f, 3000)</script><a href="/">返回首页</a>', 403)
    sites = tmp_path / "sites.csv"
    sites.write_text("name,url\nx,http://www.a.gov.cn/\n", encoding="utf-8")
    spider = ReportsSpider(sites=str(sites), db=str(tmp_path / "c.db"))
    spider.settings = Settings()
    spider.crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None))
    req = Request("http://www.a.gov.cn/xxgk/gknb/", meta={"site": "http://www.a.gov.cn/", "tier": "column", "depth": 1})
    got = list(spider.parse_page(HtmlResponse(req.url, status=202, body=CHALLENGE.encode(), request=req)))
    assert [(type(g).__name__, getattr(g, "kind", None)) for g in got] == [("CrawlError", "challenge")]
    assert isinstance(got[0], CrawlError) and got[0].status == 202


def test_pictures_of_pages_and_a_government_named_without_its_suffix():
    from crawler.discovery.links import parse_html
    from crawler.spiders.reports import government_named, page_images, same_government
    title = "某县财政局2023年政府信息公开工作年度报告"
    pics = "".join(f'<p><img src="/upload/p{i}.png" width="800"></p>' for i in range(1, 3))
    page = (f'<html><head><title>{title}</title></head><body><div class="header"><img src="/img/top.png"></div>'
            f'<div class="logo"><img src="/img/x.png"></div><h1>{title}</h1><p>发布日期：2024-01-25 来源：财政局</p>{pics}'
            '<p><img src="/img/ewm.jpg"></p><p><img src="/img/dot.gif" width="12"></p><div class="foot">主办单位</div></body></html>')
    url = "http://a.gov.cn/nb/1.html"
    assert [link.url for link in page_images(parse_html(page), url, title)] == [
        "http://a.gov.cn/upload/p1.png", "http://a.gov.cn/upload/p2.png"]
    # a page with the report's text (an illustration beside it) is read as text
    prose = page.replace("<h1>", "<p>" + "本年度主动公开政府信息情况良好。" * 20 + "</p><h1>")
    assert page_images(parse_html(prose), url, title) == []
    # a government named by its name alone before 政府信息公开: another one unless it is the site's
    assert [government_named(t) for t in ("岚山政府信息公开", "云溪人民政府信息公开", "乡镇政府信息公开",
                                          "人民政府信息公开", "部门政府信息公开", "政府信息公开")] == [
        "岚山", "云溪", None, None, None, None]
    assert same_government("文川", "文川市") and not same_government("岚山", "文川市")
