"""Scrapy settings for the nianbao crawler: polite by default (conventions.md #10).

Delays can be shortened for loopback tests with ``NIANBAO_CRAWL_DELAY`` (seconds, e.g. ``0``):
AutoThrottle then starts from that delay instead of one second.
"""

from __future__ import annotations

import os

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Who we are and how to reach us (a crawler of public-sector pages should be identifiable).
NIANBAO_CONTACT_URL = os.environ.get("NIANBAO_CONTACT_URL", "https://github.com/nianbao/nianbao")
USER_AGENT = f"nianbao/0.1 (+{NIANBAO_CONTACT_URL}; open corpus of 政府信息公开工作年度报告)"

ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "nianbao"   # the product token robots.txt groups are matched against

# Politeness: at most 2 concurrent requests per host, AutoThrottle adapts the delay to the server.
_DELAY = float(os.environ.get("NIANBAO_CRAWL_DELAY", "0.5"))
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = _DELAY
DOWNLOAD_DELAY_JITTER = 0.5 if _DELAY > 0 else 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = max(_DELAY, 0.01) if "NIANBAO_CRAWL_DELAY" in os.environ else 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Retries with backoff for 5xx and timeouts (crawler.middlewares.BackoffMiddleware waits).
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
NIANBAO_RETRY_BACKOFF = float(os.environ.get("NIANBAO_RETRY_BACKOFF", str(min(1.0, _DELAY * 2) or 0.05)))
NIANBAO_LATE_RETRY_WAIT = float(os.environ.get("NIANBAO_LATE_RETRY_WAIT", "10"))  # -1: no late retry
DOWNLOAD_TIMEOUT = float(os.environ.get("NIANBAO_DOWNLOAD_TIMEOUT", "30"))

# A report is rarely above 20 MB; nothing above 64 MB is fetched (the parser's own cap).
DOWNLOAD_MAXSIZE = int(os.environ.get("NIANBAO_DOWNLOAD_MAXSIZE", str(64 * 1024 * 1024)))
DOWNLOAD_WARNSIZE = DOWNLOAD_MAXSIZE // 2

# Trap avoidance: depth, per-site page budget (crawler.spiders.reports), query-string variants.
DEPTH_LIMIT = 10
DEPTH_PRIORITY = 0
NIANBAO_MAX_PAGES_PER_SITE = 400
NIANBAO_MAX_QUERY_VARIANTS = 40
NIANBAO_ALLOW_PRIVATE = False

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.SizeCapMiddleware": 80,       # last to see a failure: names a size cancel
    "crawler.middlewares.ScopeMiddleware": 90,       # before robots.txt (100): no foreign robots.txt either
    "crawler.middlewares.CrawlDelayMiddleware": 110,  # after robots.txt (100): its Crawl-delay is known
    "crawler.middlewares.SoftErrorMiddleware": 500,   # its answers after the encoding fix and the nightly's notes (545)
    "crawler.middlewares.LateRetryMiddleware": 530,   # a list page's last failure: asked again at the end
    "crawler.middlewares.BackoffMiddleware": 540,
    "crawler.middlewares.PrivateHostMiddleware": 760,   # after HttpProxyMiddleware (750)
    "crawler.middlewares.EncodingMiddleware": 900,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.CallbackErrorMiddleware": 25,  # last to see a callback's exception
}
ITEM_PIPELINES = {
    "crawler.pipelines.CorpusPipeline": 300,
}
EXTENSIONS = {
    "crawler.progress.ProgressExtension": 500,
    # Scrapy 2.19's remote control: an HTTP server running Python code sent to it, on by
    # default, writing its port and token to ~/.local/state/scrapy/job_files (one file left per
    # killed crawl: 285 in root's home here). No crawl here needs it: off.
    "scrapy.extensions.remote_control.RemoteControl": None,
}
REMOTE_CONTROL_ENABLED = False
NIANBAO_PROGRESS = False

COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
REDIRECT_MAX_TIMES = 5
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "WARNING"
