"""A page whose reading raised is an error row with its URL, not a line lost in Scrapy's log
(crawler.middlewares.CallbackErrorMiddleware): the middleware's answer, its count in the crawl's
summary, and its place in the project's settings."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler.items import CrawlError
from crawler.middlewares import CallbackErrorMiddleware
from crawler.run import crawl_settings, summary_line


def _middleware():
    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    return CallbackErrorMiddleware.from_crawler(SimpleNamespace(stats=stats)), stats


def _page(url: str) -> HtmlResponse:
    request = Request(url, meta={"site": "http://www.example.gov.cn/"})
    return HtmlResponse(url, body=b"<html></html>", request=request, status=200)


def test_a_callback_that_raises_becomes_an_error_row_of_its_page():
    mw, stats = _middleware()
    url = "http://www.example.gov.cn/ndbg/2023.html"
    out = mw.process_spider_exception(_page(url), KeyError("table"), None)
    assert out == [CrawlError(url=url, site_url="http://www.example.gov.cn/", kind="spider",
                              reason="KeyError: 'table'", status=200)]
    assert stats.get_value("nianbao/errors/spider") == 1


def test_scrapys_own_stop_passes_through():
    mw, stats = _middleware()
    assert mw.process_spider_exception(_page("http://x.gov.cn/"), CloseSpider("done"), None) is None
    assert stats.get_value("nianbao/errors/spider") is None


def test_the_project_settings_install_it():
    assert "crawler.middlewares.CallbackErrorMiddleware" in crawl_settings()["SPIDER_MIDDLEWARES"]


def test_the_crawl_summary_counts_the_kind():
    line = summary_line({"nianbao/errors/spider": 2, "response_received_count": 5}, 1)
    assert "2 errors (spider 2)" in line
