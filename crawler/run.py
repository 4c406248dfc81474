"""Run the ``reports`` spider in-process: what ``nianbao crawl`` calls.

    >>> from crawler.run import run_crawl
    >>> run_crawl("data/sites.csv", "data/corpus.db")            # doctest: +SKIP
    crawl: 255 sites, 3120 pages, 410 reports stored (398 new, 12 changed), 37 errors (http 20, robots 9, dns 8)
    0

Same as ``scrapy crawl reports -a sites=FILE -a db=DB``; the Twisted reactor runs once per
process (tests that crawl twice use subprocesses).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from crawler.errors import NO_ANSWER_KINDS
from crawler.seeds import load_sites

# Scrapy's own lines about failures the crawl records in ``errors`` and counts in its summary.
_RECORDED_FAILURES = ("Gave up retrying", "download warn size", "DOWNLOAD_WARNSIZE")


class OneLine(logging.Filter):
    """Log failures as one line: a failed request is recorded in the corpus, its traceback is
    noise on the console (kept at DEBUG level). Below INFO, Scrapy's lines about failures the
    corpus records anyway (retries given up, oversized bodies) are left out: the summary counts
    them and ``errors`` holds each with its URL.

        >>> record = logging.LogRecord("scrapy.downloadermiddlewares.retry", logging.ERROR, "",
        ...     0, "Gave up retrying <GET http://x.gov.cn/> (failed 3 times): 500", None, None)
        >>> OneLine(logging.WARNING).filter(record), OneLine(logging.INFO).filter(record)
        (False, True)
    """

    def __init__(self, level: int = logging.WARNING):
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if self.level > logging.INFO and record.name.startswith("scrapy") \
                and any(m in str(record.msg) for m in _RECORDED_FAILURES):
            return False
        if record.exc_info or record.exc_text:
            record.exc_info, record.exc_text = None, None
            record.msg = " ".join(str(record.msg).split())
        return True


def crawl_settings(allow_private: bool = False, max_pages_per_site: int | None = None,
                   log_level: str = "WARNING", progress: bool = True,
                   extra: dict[str, Any] | None = None):
    """The project's Scrapy settings with the run's options applied."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("NIANBAO_ALLOW_PRIVATE", bool(allow_private), priority="cmdline")
    settings.set("LOG_LEVEL", (log_level or "WARNING").upper(), priority="cmdline")
    settings.set("NIANBAO_PROGRESS", progress, priority="cmdline")
    if max_pages_per_site:
        settings.set("NIANBAO_MAX_PAGES_PER_SITE", int(max_pages_per_site), priority="cmdline")
    for key, value in (extra or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def summary_line(stats: dict[str, Any], n_sites: int) -> str:
    """One line: sites, pages, reports (by status), errors by kind."""
    # robots.txt files are not pages (and an unreachable one is answered in place)
    pages = stats.get("response_received_count", 0) - stats.get("robotstxt/response_count", 0)
    stored = stats.get("nianbao/reports/stored", 0)
    by_status = ", ".join(f"{stats[f'nianbao/reports/{k}']} {k}" for k in ("new", "changed", "unchanged")
                          if stats.get(f"nianbao/reports/{k}"))
    errors = {k.split("/")[-1]: v for k, v in stats.items() if k.startswith("nianbao/errors/")}
    err_text = ", ".join(f"{k} {v}" for k, v in sorted(errors.items(), key=lambda kv: -kv[1]))
    dups = stats.get("nianbao/reports/duplicates", 0)
    return (f"crawl: {n_sites} sites, {pages} pages, {stored} reports stored"
            + (f" ({by_status})" if by_status else "") + (f", {dups} duplicates skipped" if dups else "")
            + f", {sum(errors.values())} errors" + (f" ({err_text})" if err_text else ""))


def run_crawl(sites: str, db: str, allow_private: bool = False, raw_dir: str | None = None,
              max_pages_per_site: int | None = None, log_level: str = "WARNING",
              extra_settings: dict[str, Any] | None = None, skip_known: bool = False,
              spider: str = "reports") -> int:
    """Crawl the sites of a CSV and store their reports in ``db``; print a summary.

    :param sites: the seed CSV (name,url[,annual_report_url,region_code,level])
    :param db: the SQLite corpus
    :param allow_private: allow hosts resolving to loopback/private addresses
    :param raw_dir: where raw documents are kept (default beside the database)
    :param max_pages_per_site: page budget per site (default ``NIANBAO_MAX_PAGES_PER_SITE``)
    :param log_level: Scrapy log level
    :param extra_settings: more Scrapy settings (benchmarks, tests)
    :param skip_known: conditional GETs for documents already stored (nightly)
    :returns: 0 on success, 1 when the crawl could not run or no site answered at all
    :raises crawler.seeds.SeedError: the sites file is unreadable (the CLI prints one line)
    """
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.reports import ReportsSpider

    seeds = load_sites(sites)               # fail early, with one line, before the reactor starts
    settings = crawl_settings(allow_private, max_pages_per_site, log_level, extra=extra_settings)
    # Log through the root handler the CLI configured (one format), at the requested level.
    level = getattr(logging, (log_level or "WARNING").upper(), logging.WARNING)
    if not logging.root.handlers:
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    logging.root.setLevel(level)
    for handler in logging.root.handlers:
        handler.setLevel(level)        # Scrapy's loggers are DEBUG: filter at the handler
        if level > logging.DEBUG and not any(isinstance(f, OneLine) for f in handler.filters):
            handler.addFilter(OneLine(level))
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    for name in ("scrapy", "twisted", "py.warnings", "crawler", "protego"):
        logging.getLogger(name).setLevel(level)   # Scrapy's dictConfig sets its loggers to DEBUG
    spider_cls = ReportsSpider
    if spider != "reports":
        spider_cls = process.spider_loader.load(spider)
    crawler = process.create_crawler(spider_cls)
    process.crawl(crawler, sites=sites, db=db, raw_dir=raw_dir, max_pages_per_site=max_pages_per_site,
                  skip_known="1" if skip_known else "0")
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print(summary_line(stats, len(seeds)), file=sys.stdout, flush=True)
    reason = stats.get("finish_reason")
    if reason not in ("finished", "closespider_pagecount", "closespider_timeout", None):
        print(f"nianbao crawl: error: crawl ended early ({reason})", file=sys.stderr)
        return 1
    if nothing_answered(stats):
        errors = {k.rsplit("/", 1)[-1]: n for k, n in stats.items()
                  if k.startswith("nianbao/errors/")}
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(errors.items()))
        print(f"nianbao crawl: error: no site answered ({kinds}): is the network, the proxy "
              "or name resolution down?", file=sys.stderr)
        return 1
    return 0


def nothing_answered(stats: dict[str, Any]) -> bool:
    """Not one response, and requests that failed for want of one: a crawl that reached no
    site (network, proxy or DNS down). Private hosts refused without ``--allow-private`` are
    the policy at work, not a failure: the summary line counts them.

    >>> nothing_answered({"nianbao/errors/dns": 2})
    True
    >>> nothing_answered({"nianbao/errors/dns": 1, "response_received_count": 3})
    False
    >>> nothing_answered({"nianbao/errors/private": 2})
    False
    """
    # robots.txt responses aside: an unreachable robots.txt is answered in place (disallow all)
    if stats.get("response_received_count", 0) - stats.get("robotstxt/response_count", 0) > 0:
        return False
    return any(n for k, n in stats.items()
               if k.startswith("nianbao/errors/")
               and k.rsplit("/", 1)[-1] in NO_ANSWER_KINDS - {"private"})
