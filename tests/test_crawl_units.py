"""Units of the crawler that need no web: encodings, private hosts, failures, seeds, the summary."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from crawler.encoding import choose_encoding
from crawler.errors import classify_failure
from crawler.middlewares import EncodingMiddleware, PrivateAddressRefused, PrivateHostMiddleware
from crawler.pipelines import CorpusPipeline, filled_cells
from crawler.run import summary_line
from crawler.seeds import SeedError, load_sites

GBK_PAGE = "<html><head><meta charset='gb2312'><title>政府信息公开年报</title></head><body>㙟</body></html>"


@pytest.mark.parametrize("header", ["utf-8", None, "iso-8859-1", "gb2312"])
def test_gbk_page_decodes_whatever_the_header_says(header):
    body = GBK_PAGE.encode("gb18030")
    ctype = f"text/html; charset={header}" if header else "text/html"
    response = HtmlResponse("http://x.gov.cn/", body=body, headers={"Content-Type": ctype})
    fixed = EncodingMiddleware().process_response(Request("http://x.gov.cn/"), response)
    assert "政府信息公开年报" in fixed.text and "㙟" in fixed.text     # a GB18030-only character


def test_utf8_page_declared_gbk_stays_utf8():
    assert choose_encoding("政府信息公开".encode(), "gbk") == "utf-8"


def test_private_hosts_refused_unless_proxied_or_allowed():
    mw = PrivateHostMiddleware(allow=False)
    with pytest.raises(PrivateAddressRefused):
        mw.process_request(Request("http://127.0.0.1:8000/"))
    with pytest.raises(PrivateAddressRefused):
        mw.process_request(Request("http://10.1.2.3/"))
    with pytest.raises(PrivateAddressRefused):
        mw.process_request(Request("http://localhost/"))
    # through a proxy the name is not resolved here
    assert mw.process_request(Request("http://www.sample.gov.cn/", meta={"proxy": "http://127.0.0.1:1"})) is None
    assert PrivateHostMiddleware(allow=True).process_request(Request("http://127.0.0.1/")) is None


def _failure(exc: Exception, url: str = "http://x.gov.cn/a") -> Failure:
    f = Failure(exc)
    f.request = Request(url)
    return f


def test_failures_are_classified():
    resp = Response("http://x.gov.cn/a", status=404, request=Request("http://x.gov.cn/a"))
    assert classify_failure(_failure(HttpError(resp, "Ignoring non-200 response"))) == ("http", 404, "HTTP 404")
    assert classify_failure(_failure(IgnoreRequest("Forbidden by robots.txt")))[0] == "robots"
    assert classify_failure(_failure(PrivateAddressRefused("x resolves to 127.0.0.1")))[0] == "private"
    assert classify_failure(_failure(DNSLookupError("no such host")))[0] == "dns"
    assert classify_failure(_failure(TimeoutError("took too long")))[0] == "timeout"


def test_seed_list_errors_are_one_line(tmp_path):
    with pytest.raises(SeedError, match="cannot read sites file"):
        load_sites(tmp_path / "missing.csv")
    bad = tmp_path / "empty.csv"
    bad.write_text("name,url\n某县,ftp://x\n", encoding="utf-8")
    with pytest.raises(SeedError, match="no row with a usable"):
        load_sites(bad)


def test_seed_rows_without_a_usable_url_are_skipped_and_said_once(tmp_path, caplog):
    f = tmp_path / "s.csv"
    f.write_text("name,url,annual_report_url\n"
                 "甲县人民政府,not a url,\n"
                 "乙县人民政府,www.y.gov.cn,javascript:void(0)\n"
                 "丙县人民政府,http://www.b c.gov.cn/,\n"
                 "乙县人民政府,http://www.y.gov.cn/,\n"
                 "丁县人民政府,http://127.0.0.1:8080/,\n", encoding="utf-8")
    with caplog.at_level("INFO", logger="crawler.seeds"):
        sites = load_sites(f)
        load_sites(f)  # the CLI and the spider both read it
    assert [(s.url, s.annual_report_url) for s in sites] == [
        ("http://www.y.gov.cn/", None), ("http://127.0.0.1:8080/", None)]
    said = [r.getMessage() for r in caplog.records]
    assert said == [
        "sites file s.csv line 2 skipped: 'not a url' is not an http(s) URL",
        "sites file s.csv line 3: annual_report_url 'javascript:void(0)' is not an http(s) URL; "
        "the site is crawled from its home page",
        "sites file s.csv line 4 skipped: 'http://www.b c.gov.cn/' is not an http(s) URL",
        "sites file s.csv line 5 skipped: http://www.y.gov.cn/ is listed above"]


@pytest.mark.parametrize("text", [
    "名称,网址,年报栏目,区划代码,层级\n某县人民政府,www.x.gov.cn,http://x.gov.cn/nb/,510402,county\n",
    "Name\tURL\tAnnual Report URL\tRegion_Code\tLevel\n"
    "某县人民政府\twww.x.gov.cn\thttp://x.gov.cn/nb/\t510402\tcounty\n",
    "name;url;annual_report_url;region_code;level\n"
    "某县人民政府;www.x.gov.cn;http://x.gov.cn/nb/;510402;county\n",
])
def test_seed_list_made_in_a_spreadsheet_is_the_same_list(tmp_path, text):
    f = tmp_path / "s.csv"
    f.write_bytes(text.encode("gbk"))
    (site,) = load_sites(f)
    assert (site.name, site.url, site.annual_report_url, site.region_code, site.level) == (
        "某县人民政府", "http://www.x.gov.cn/", "http://x.gov.cn/nb/", "510402", "county")


def test_seed_list_reads_gbk_and_hints(tmp_path):
    f = tmp_path / "s.csv"
    f.write_bytes("name,url,annual_report_url,region_code,level\n某县人民政府,www.x.gov.cn,"
                  "http://x.gov.cn/nb/,510402,county\n".encode("gbk"))
    (site,) = load_sites(f)
    assert (site.name, site.url, site.annual_report_url, site.region_code, site.level) == (
        "某县人民政府", "http://www.x.gov.cn/", "http://x.gov.cn/nb/", "510402", "county")


def test_summary_line_counts_errors_by_kind():
    stats = {"response_received_count": 40, "nianbao/reports/stored": 3, "nianbao/reports/new": 3,
             "nianbao/errors/http": 2, "nianbao/errors/robots": 1}
    assert summary_line(stats, 2) == ("crawl: 2 sites, 40 pages, 3 reports stored (3 new), 3 errors "
                                      "(http 2, robots 1)")
    # robots.txt files are not pages: an unreachable one is answered in place by the guard
    nothing = {"response_received_count": 2, "robotstxt/response_count": 2,
               "nianbao/errors/unreachable": 2}
    assert summary_line(nothing, 2) == "crawl: 2 sites, 0 pages, 0 reports stored, 2 errors (unreachable 2)"


def test_document_with_tables_wins_and_nameless_attachment_joins_its_report():
    page = {"is_annual_report": True, "agency": "某县", "year": 2023, "requests": {}}
    pdf = {"is_annual_report": True, "agency": None, "year": 2023,
           "requests": {"new_received": {"total": 3, "natural_person": 2}}}
    assert filled_cells(pdf) == 2 and filled_cells(page) == 0
    groups = {("某县", 2023): [("page", page)], ("", 2023): [("pdf", pdf)]}
    CorpusPipeline._merge_nameless(groups)
    assert list(groups) == [("某县", 2023)] and len(groups[("某县", 2023)]) == 2


def test_scope_middleware_refuses_redirects_out_of_scope():
    from types import SimpleNamespace

    from crawler.middlewares import OutOfScope, ScopeMiddleware
    from crawler.spiders.reports import ReportsSpider

    spider = ReportsSpider.__new__(ReportsSpider)
    spider.seed_hosts = {"www.x.gov.cn", "www.x.com"}
    mw = ScopeMiddleware(SimpleNamespace(spider=spider))
    site = {"site": "http://www.x.com/"}
    assert mw.process_request(Request("http://jyj.y.gov.cn/a.pdf", meta=site)) is None     # government host
    assert mw.process_request(Request("http://www.x.com/b.html", meta=site)) is None       # the seed's host
    with pytest.raises(OutOfScope):
        mw.process_request(Request("http://cdn.example.com/a.pdf", meta=site))
    assert mw.process_request(Request("http://cdn.example.com/robots.txt")) is None        # not a crawl request


def test_scrapy_download_exceptions_are_classified():
    import scrapy.exceptions as exc

    assert classify_failure(_failure(exc.CannotResolveHostError("no results")))[0] == "dns"
    assert classify_failure(_failure(exc.DownloadTimeoutError("took longer than 10 s")))[0] == "timeout"
    assert classify_failure(_failure(exc.DownloadConnectionRefusedError("refused")))[0] == "connection"
    assert classify_failure(_failure(exc.DownloadCancelledError(
        "Cancelling download: expected response size larger than download max size")))[0] == "size"


def test_an_unreachable_robots_txt_disallows_everything():
    """RFC 9309 §2.3.1.4: a robots.txt unreachable for a server or network fault means disallow."""
    from protego import Protego
    from scrapy.exceptions import DownloadTimeoutError
    from scrapy.http import Response
    from twisted.internet.error import ConnectionLost

    from crawler.middlewares import RobotsServerErrorGuard

    guard = RobotsServerErrorGuard()
    robots = Request("http://www.x.gov.cn/robots.txt", meta={"dont_obey_robotstxt": True})
    for fault in (DownloadTimeoutError("took too long"), ConnectionLost("dropped")):
        answer = guard.process_exception(robots, fault)
        assert Protego.parse(answer.body.decode()).can_fetch("http://www.x.gov.cn/ndbg/", "nianbao") is False
    answer = guard.process_response(robots, Response(robots.url, status=503, request=robots))
    assert Protego.parse(answer.body.decode()).can_fetch("http://www.x.gov.cn/a", "nianbao") is False
    # A 404 is "no robots.txt" (allow all); a page's own failure is not the guard's business.
    missing = Response(robots.url, status=404, request=robots)
    assert guard.process_response(robots, missing) is missing
    page = Request("http://www.x.gov.cn/ndbg/")
    assert guard.process_exception(page, DownloadTimeoutError("took too long")) is None


def test_a_page_refused_for_an_unreachable_robots_txt_is_an_unreachable_host_not_a_rule():
    from scrapy.exceptions import DownloadConnectionRefusedError

    from crawler.middlewares import RobotsServerErrorGuard, RobotsUnreachable

    guard = RobotsServerErrorGuard()
    down = Request("http://down.x.gov.cn/robots.txt", meta={"dont_obey_robotstxt": True})
    guard.process_exception(down, DownloadConnectionRefusedError("refused"))
    busy = Request("http://busy.x.gov.cn/robots.txt", meta={"dont_obey_robotstxt": True})
    guard.process_response(busy, Response(busy.url, status=503, request=busy))
    forbidden = IgnoreRequest("Forbidden by robots.txt")
    for url, why in (("http://down.x.gov.cn/ndbg/", "DownloadConnectionRefusedError"),
                     ("http://busy.x.gov.cn/ndbg/", "HTTP 503")):
        with pytest.raises(RobotsUnreachable) as raised:
            guard.process_exception(Request(url), forbidden)
        kind, _, reason = classify_failure(Failure(raised.value))
        assert kind == "unreachable" and reason.startswith(f"robots.txt unreachable ({why})")
    # A host whose robots.txt was read and forbids the page: a rule, said as such.
    assert guard.process_exception(Request("http://www.x.gov.cn/private/"), forbidden) is None
    assert classify_failure(Failure(forbidden))[0] == "robots"


def test_console_leaves_out_scrapy_lines_about_failures_the_corpus_records():
    import logging

    from crawler.run import OneLine

    def record(name, msg, exc=None):
        return logging.LogRecord(name, logging.ERROR, "", 0, msg, None, exc)

    gave_up = record("scrapy.downloadermiddlewares.retry",
                     "Gave up retrying %(request)s (failed %(retry_times)d times): %(reason)s")
    warn = record("scrapy.core.downloader.handlers.http11",
                  "Received more bytes than download warn size (%(warnsize)s) in request "
                  "%(request)s.")
    ours = record("crawler.spiders.reports", "site www.x.gov.cn: robots.txt unreachable")
    assert not OneLine(logging.WARNING).filter(gave_up)
    assert not OneLine(logging.WARNING).filter(warn)
    assert OneLine(logging.WARNING).filter(ours)
    assert OneLine(logging.INFO).filter(gave_up)  # asked for detail: shown
    try:
        raise ValueError("boom")
    except ValueError:
        import sys
        failed = record("scrapy.core.scraper", "Error   processing\n item", sys.exc_info())
    assert OneLine(logging.WARNING).filter(failed)
    assert failed.exc_info is None and failed.msg == "Error processing item"
