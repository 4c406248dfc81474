"""``naive_bfs``: a plain breadth-first CrawlSpider, the baseline of ``benchmarks/bench_crawl.py``.

It follows every in-scope link (attachments included) in FIFO order, with the same politeness,
robots.txt and depth settings as ``reports`` but no scoring, no CMS list handling and no URL
canonicalisation. It stores nothing: the benchmark counts what it fetched.

    scrapy crawl naive_bfs -a sites=sites.csv -s CLOSESPIDER_PAGECOUNT=3000
"""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

from crawler.seeds import load_sites


class NaiveBfsSpider(CrawlSpider):
    """Breadth-first over every link in scope (seed hosts and ``*.gov.cn``)."""

    name = "naive_bfs"
    custom_settings: ClassVar[dict[str, Any]] = {
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "ITEM_PIPELINES": {},
        "CLOSESPIDER_PAGECOUNT": 3000,
    }
    rules = (Rule(LinkExtractor(deny_extensions=[]), callback="parse_item", follow=True),)

    def __init__(self, sites: str | None = None, *args: Any, **kwargs: Any):
        for key in ("db", "raw_dir", "max_pages_per_site", "skip_known"):
            kwargs.pop(key, None)
        super().__init__(*args, **kwargs)
        seeds = load_sites(sites or "")
        self.start_urls = [s.url for s in seeds] + [s.annual_report_url for s in seeds if s.annual_report_url]
        self.allowed_domains = sorted({s.host for s in seeds} | {"gov.cn"})

    def parse_item(self, response) -> None:
        return None
