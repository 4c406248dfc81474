"""A progress line on stderr while the crawl runs (tqdm): pages fetched, reports stored, errors.

Enabled by ``NIANBAO_PROGRESS = True`` (``nianbao crawl`` sets it).
"""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class ProgressExtension:
    """Update one tqdm line per response; close it when the spider closes."""

    def __init__(self, crawler: Crawler):
        from tqdm import tqdm

        self.crawler = crawler
        self.bar = tqdm(desc="crawl", unit=" pages", file=sys.stderr, mininterval=0.5, leave=True,
                        dynamic_ncols=True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        if not crawler.settings.getbool("NIANBAO_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _postfix(self) -> None:
        stats = self.crawler.stats
        errors = sum(v for k, v in stats.get_stats().items() if k.startswith("nianbao/errors/"))
        self.bar.set_postfix(reports=stats.get_value("nianbao/reports/stored", 0), errors=errors,
                             refresh=False)

    def response_received(self, response, request, spider=None) -> None:
        self._postfix()
        self.bar.update(1)

    def spider_closed(self, spider=None, reason: str = "") -> None:
        self._postfix()
        self.bar.close()
