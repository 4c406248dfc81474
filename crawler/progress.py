"""A progress line on stderr while the crawl runs (tqdm): pages fetched, reports stored, errors.

Enabled by ``NIANBAO_PROGRESS = True`` (``nianbao crawl`` sets it). On a terminal, one line
redrawn; elsewhere (``2>crawl.log``, a cron mail, a pipe), a plain line every
``NIANBAO_PROGRESS_EVERY`` seconds (60) and one at the end: tqdm's redraws wrote a log of
``\r``-joined lines there (one per half-second of the crawl, a single "line" of megabytes).
"""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class ProgressExtension:
    """Update one tqdm line per response; close it when the spider closes."""

    def __init__(self, crawler: Crawler):
        from tqdm import tqdm

        self.crawler = crawler
        self.bar = None
        self.said = time.monotonic()
        self.every = crawler.settings.getfloat("NIANBAO_PROGRESS_EVERY", 60.0)
        if _terminal(sys.stderr):
            self.bar = tqdm(desc="crawl", unit=" pages", file=sys.stderr, mininterval=0.5,
                            leave=True, dynamic_ncols=True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        if not crawler.settings.getbool("NIANBAO_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _counts(self) -> tuple[int, int]:
        stats = self.crawler.stats
        errors = sum(v for k, v in stats.get_stats().items() if k.startswith("nianbao/errors/"))
        return stats.get_value("nianbao/reports/stored", 0), errors

    def _postfix(self) -> None:
        if self.bar is not None:
            reports, errors = self._counts()
            self.bar.set_postfix(reports=reports, errors=errors, refresh=False)

    def _say(self) -> None:
        """One plain line (not on a terminal)."""
        reports, errors = self._counts()
        stats = self.crawler.stats  # pages as the summary line counts them (robots.txt aside)
        pages = (stats.get_value("response_received_count", 0)
                 - stats.get_value("robotstxt/response_count", 0))
        print(f"crawl: {pages} pages, reports={reports}, errors={errors}", file=sys.stderr,
              flush=True)
        self.said = time.monotonic()

    def response_received(self, response, request, spider=None) -> None:
        if self.bar is not None:
            self._postfix()
            self.bar.update(1)
        elif time.monotonic() - self.said >= self.every:
            self._say()

    def spider_closed(self, spider=None, reason: str = "") -> None:
        if self.bar is None:
            self._say()
            self.bar = _Closed()
            return
        self._postfix()
        self.bar.close()


class _Closed:
    """The bar of a line-per-minute progress once its last line is out (``close()`` again
    from crawler.run, for a crawl stopped before its spider opened, is a no-op)."""

    def close(self) -> None:
        pass


def _terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
