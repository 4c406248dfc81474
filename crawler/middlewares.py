"""Downloader middlewares: politeness and safety around every request.

- :class:`BackoffMiddleware` waits before a retried request (exponential backoff);
- :class:`PrivateHostMiddleware` refuses hosts resolving to loopback/private addresses unless
  allowed; when the request goes through a proxy the name is not resolved locally (the proxy
  resolves it: the contract's simulated web has real host names behind one loopback proxy);
- :class:`ScopeMiddleware` keeps redirects in scope and reads a robots.txt that answers 5xx (or
  cannot be fetched) as
  "disallow all" (RFC 9309);
- :class:`EncodingMiddleware` gives HTML responses the encoding that really decodes them (GBK
  pages with a wrong or missing charset), so link extraction sees the right text.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from crawler.encoding import choose_encoding

logger = logging.getLogger(__name__)


class PrivateAddressRefused(IgnoreRequest):
    """The host resolves to a loopback, private, link-local or reserved address."""


class BackoffMiddleware:
    """Sleep ``NIANBAO_RETRY_BACKOFF × 2^(n-1)`` seconds before the n-th retry of a request, and at
    least what the server asked for (``Retry-After`` of a 429/503, noted by :class:`RetryAfterNote`;
    a busy page's wait, set by the spider), capped at ``NIANBAO_MAX_RETRY_AFTER`` (60 s)."""

    def __init__(self, base: float, cap: float = 60.0):
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffMiddleware:
        return cls(crawler.settings.getfloat("NIANBAO_RETRY_BACKOFF", 0.5),
                   crawler.settings.getfloat("NIANBAO_MAX_RETRY_AFTER", 60.0))

    async def process_request(self, request: Request, spider=None) -> None:
        tries = int(request.meta.get("retry_times", 0))
        if not tries:
            return
        delay = min(self.base * 2 ** (tries - 1), 60.0) if self.base > 0 else 0.0
        asked = float(request.meta.get("retry_after") or 0)
        delay = max(delay, min(asked * (2 ** (tries - 1) if request.meta.get("busy") else 1), self.cap))
        if delay > 0:
            from twisted.internet import reactor  # imported late: Scrapy installs the reactor first

            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header: seconds, or an HTTP date (RFC 9110 §10.2.3); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class RetryAfterNote:
    """Note a 429/503 answer's ``Retry-After`` on the request, before RetryMiddleware copies it
    for the retry (so :class:`BackoffMiddleware` waits that long). Must sit nearer the downloader
    than RetryMiddleware (order above 550)."""

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if response.status in (429, 503):
            seconds = retry_after_seconds(response.headers.get(b"Retry-After", b"").decode("latin-1"))
            if seconds is not None:
                request.meta["retry_after"] = seconds
        return response


@lru_cache(maxsize=4096)
def resolves_private(host: str) -> str | None:
    """The first non-public address ``host`` resolves to, or None (also None when unresolvable:
    the download then fails with a DNS error, recorded as such)."""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except (socket.gaierror, UnicodeError, OSError):
            return None
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for addr in addresses:
        if (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved
                or addr.is_multicast or addr.is_unspecified):
            return str(addr)
    return None


class PrivateHostMiddleware:
    """Refuse private destinations unless ``NIANBAO_ALLOW_PRIVATE`` (``--allow-private``)."""

    def __init__(self, allow: bool):
        self.allow = allow

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateHostMiddleware:
        return cls(crawler.settings.getbool("NIANBAO_ALLOW_PRIVATE"))

    def process_request(self, request: Request, spider=None) -> None:
        if self.allow or request.meta.get("proxy"):
            return                      # through a proxy, names are the proxy's business
        host = (request.url.split("//", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1])
        host = host.rsplit(":", 1)[0].strip("[]") if not host.startswith("[") else host[1:].split("]")[0]
        addr = resolves_private(host.lower())
        if addr:
            raise PrivateAddressRefused(f"{host} resolves to private address {addr} (use --allow-private)")
        return


class OutOfScope(IgnoreRequest):
    """A redirect (or any request) leaving the crawl's scope."""


DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
# How much of a robots.txt is parsed: RFC 9309 §2.5 asks for at least 500 KiB, Google reads that much.
ROBOTS_PARSE_LIMIT = 500 * 1024


def robots_text(body: bytes) -> bytes:
    """The part of a robots.txt that is parsed: at most :data:`ROBOTS_PARSE_LIMIT` bytes, cut at
    a line's end. A 5 MB robots.txt took Protego seconds to parse — twice (the Crawl-delay reader
    and Scrapy's middleware), with the reactor blocked, so every download of every site waited.

        >>> robots_text(b"User-agent: *\\nDisallow: /a/\\n" + b"# x\\n" * 200_000)[-8:]
        b'# x\\n# x\\n'
        >>> len(robots_text(b"Disallow: /b/\\n" * 100_000)) <= ROBOTS_PARSE_LIMIT
        True
    """
    if len(body) <= ROBOTS_PARSE_LIMIT:
        return body
    return body[:body.rfind(b"\n", 0, ROBOTS_PARSE_LIMIT) + 1 or ROBOTS_PARSE_LIMIT]


class RobotsUnreachable(IgnoreRequest):
    """A page not fetched because its host's robots.txt could not be read (a server or network
    fault: disallow-all). Its own kind of error, not a robots.txt rule."""


def _is_robots_fetch(request: Request) -> bool:
    """The robots.txt request RobotsTxtMiddleware makes itself (it is exempt from robots)."""
    return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")


class RobotsServerErrorGuard:
    """A robots.txt that cannot be read for a server or network fault means "disallow all"
    (RFC 9309 §2.3.1.4): a 5xx or 429 answer, a timeout, a refused or dropped connection.

    Scrapy would parse the error page as robots.txt, or give up on a failed fetch, and allow
    everything; this hands its RobotsTxtMiddleware a disallow-all file instead. It must run
    outside RetryMiddleware (a low order number) so that only the last, retried answer counts.
    404 and other 4xx stay "no robots.txt": allow all, as the RFC says. A host that does not
    resolve has no pages to fetch either, so disallowing it changes nothing.
    """

    def process_response(self, request: Request, response: Response, spider=None) -> Response | Request:
        if _is_robots_fetch(request) and (challenge := self._challenge(request, response)) is not None:
            return challenge
        if _is_robots_fetch(request) and (response.status >= 500 or response.status == 429):
            self._unreachable(request, f"HTTP {response.status}")
            return Response(request.url, status=200, body=DISALLOW_ALL, request=request)
        if _is_robots_fetch(request) and len(response.body) > ROBOTS_PARSE_LIMIT:
            logger.info("robots.txt of %d bytes: %s read up to the RFC 9309 parsing limit",
                        len(response.body), request.url)
            return response.replace(body=robots_text(response.body))
        return response

    def process_exception(self, request: Request, exception: Exception,
                          spider=None) -> Response | None:
        if _is_robots_fetch(request) and not isinstance(exception, IgnoreRequest):
            logger.info("robots.txt unreachable (%s): %s treated as disallow-all",
                        type(exception).__name__, request.url)
            self._unreachable(request, type(exception).__name__)
            return Response(request.url, status=200, body=DISALLOW_ALL, request=request)
        why = getattr(self, "robots_unreachable", {}).get(urlsplit(request.url).hostname or "")
        if why and isinstance(exception, IgnoreRequest) and "robots" in str(exception).lower():
            # "Forbidden by robots.txt" would send the operator to read a robots.txt that
            # never came: the host is down (or refusing us).
            raise RobotsUnreachable(f"robots.txt unreachable ({why}): the host is not crawled "
                                    "(disallow-all, RFC 9309)")
        return None

    @staticmethod
    def _challenge(request: Request, response: Response) -> Request | None:
        """An anti-bot gateway challenges robots.txt too (521 or 200 with a script that sets a
        cookie and reloads): robots.txt asked again with that cookie (up to three stages), as the
        spider does for pages. Its error page is no robots.txt, and the gateway no server fault."""
        from crawler.challenge import challenge_retry

        if response.status not in (200, 202, 403, 412, 503, 521) or len(response.body) > 20_000 \
                or b"document.cookie" not in response.body:
            return None
        retry = challenge_retry(request, response.body.decode("utf-8", "replace"))
        if retry is not None:
            logger.info("robots.txt behind a script challenge: %s asked again with its cookie", request.url)
        return retry

    def _unreachable(self, request: Request, why: str) -> None:
        if not hasattr(self, "robots_unreachable"):
            self.robots_unreachable: dict[str, str] = {}  # host → why its robots.txt failed
        self.robots_unreachable[urlsplit(request.url).hostname or ""] = why


class CrawlDelayMiddleware:
    """Honour a robots.txt ``Crawl-delay`` for our user agent: at least that many seconds
    between two requests to the host (capped by ``NIANBAO_MAX_CRAWL_DELAY``, 30 s). Its
    ``Sitemap:`` lines are handed to the spider (``robots_sitemaps``: host → URLs).

    Scrapy ignores the field. The delay is read from the robots.txt response as it passes
    (RobotsTxtMiddleware fetches it through this chain before any page of the host) and set on
    the host's download slot; AutoThrottle is told not to lower it for those requests.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or "*"
        self.cap = crawler.settings.getfloat("NIANBAO_MAX_CRAWL_DELAY", 30.0)
        self.delays: dict[str, float] = {}  # host → seconds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if _is_robots_fetch(request) and response.status == 200 and response.body:
            from protego import Protego

            host = urlsplit(request.url).hostname or ""
            try:
                rules = Protego.parse(robots_text(response.body).decode("utf-8", "replace"))
                delay = rules.crawl_delay(self.agent)
                sitemaps = list(rules.sitemaps)
            except Exception:  # noqa: BLE001 — a robots.txt Protego cannot read has no delay
                delay, sitemaps = None, []
            # ``Sitemap:`` lines: the spider reads them when it parses the host's first page
            spider = getattr(self.crawler, "spider", None)
            if sitemaps and isinstance(getattr(spider, "robots_sitemaps", None), dict):
                spider.robots_sitemaps[host] = sitemaps[:10]
            if delay and delay > 0:
                if delay > self.cap:
                    logger.info("%s asks Crawl-delay %s s: using %s s", host, delay, self.cap)
                self.delays[host] = min(float(delay), self.cap)
        return response

    def process_request(self, request: Request, spider=None) -> None:
        delay = self.delays.get(urlsplit(request.url).hostname or "")
        if not delay:
            return None
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < delay:
            slot.delay = delay
            slot.jitter = 0.0  # at least the delay asked, never less
        request.meta["autothrottle_dont_adjust_delay"] = True
        return None


class ScopeMiddleware(RobotsServerErrorGuard):
    """Keep redirects in scope: the seed's host, hosts of the seed list, ``*.gov.cn``.

    The spider checks every link it follows; a redirect is a request it never saw. (It also
    guards robots.txt server errors, see :class:`RobotsServerErrorGuard`: same place in the chain.)
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider=None) -> None:
        spider = self.crawler.spider
        site = request.meta.get("site")
        if site and hasattr(spider, "in_scope") and not spider.in_scope(request.url, site):
            raise OutOfScope(f"out of scope: {request.url}")


class EncodingMiddleware(RetryAfterNote):
    """Re-decode text responses with the encoding that strictly decodes their bytes. (It also
    notes ``Retry-After``, see :class:`RetryAfterNote`: same place in the chain.)"""

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        response = super().process_response(request, response, spider)
        if not isinstance(response, TextResponse) or not response.body:
            return response
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        header_charset = ctype.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in ctype else None
        encoding = choose_encoding(response.body, header_charset)
        if encoding != response.encoding:
            return response.replace(encoding=encoding)
        return response


class DownloadTooLarge(Exception):
    """A body that grew past ``DOWNLOAD_MAXSIZE`` while it was read (no Content-Length announced it)."""


class SizeCapMiddleware:
    """Name the cause when a download ends without its body: over the size cap, or cut short.

    A body with no ``Content-Length`` (or a lying one) that outgrows ``DOWNLOAD_MAXSIZE`` — a page
    streamed for ever — is cancelled mid-read, and the errback saw only a bare
    ``DownloadCancelledError``: recorded as kind ``cancelled`` with no reason an operator could
    act on. The bytes received per download are counted (``bytes_received`` signal); a cancelled
    download past the cap becomes :class:`DownloadTooLarge` (kind ``size``, with the numbers). A
    connection closed before the announced ``Content-Length`` (or reset half-way) said only
    ``ResponseDataLossError``; it now says how much came.

    Its order is the lowest (80): its ``process_exception`` runs after every other middleware's
    (retries, the nightly's failure notes, the robots.txt guard) and only renames what they let
    through.
    """

    def __init__(self, maxsize: int):
        self.maxsize = maxsize

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SizeCapMiddleware:
        from scrapy import signals

        mw = cls(crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        crawler.signals.connect(mw.bytes_received, signal=signals.bytes_received)
        return mw

    def bytes_received(self, data: bytes, request: Request, spider=None) -> None:
        request.meta["nianbao_bytes"] = request.meta.get("nianbao_bytes", 0) + len(data)

    def process_request(self, request: Request, spider=None) -> None:
        request.meta["nianbao_bytes"] = 0  # per download: a retry counts afresh

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        request.meta.pop("nianbao_bytes", None)  # a count, not state to carry (nightly stores meta)
        return response

    def process_exception(self, request: Request, exception: Exception, spider=None) -> None:
        from crawler.errors import CANCELLED

        got = request.meta.pop("nianbao_bytes", 0)
        cap = request.meta.get("download_maxsize", self.maxsize)
        if cap and got > cap and isinstance(exception, CANCELLED):
            raise DownloadTooLarge(f"body larger than download max size ({cap} bytes): cancelled after "
                                   f"{got} bytes without a Content-Length announcing it") from exception
        if type(exception).__name__ == "ResponseDataLossError" and not str(exception):
            raise type(exception)(f"connection closed after {got} bytes of the body, before its "
                                  "announced end (Content-Length or last chunk)") from exception
        return None


class SoftErrorPage(Exception):
    """A page answering 200 that is a server's error page, not what was asked for: the site is
    in maintenance (``kind`` ``maintenance``: 网站维护中), or wants a login (``login``).

    :param kind: the error kind recorded in ``errors``
    """

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


# A maintenance notice: 网站维护中, 系统升级维护, 正在进行系统维护, 暂停访问 … (short pages only).
_MAINTENANCE = re.compile(r"(?:网站|系统|站点|平台|服务器)\s*(?:正在)?(?:进行)?\s*(?:升级)?\s*维护|维护中|"
                          r"系统升级中|升级维护|暂停(?:访问|服务)|under\s+maintenance|down\s+for\s+maintenance",
                          re.IGNORECASE)
_LOGIN = re.compile(r"登录|登陆|统一身份认证|log\s*in|sign\s*in", re.IGNORECASE)
_PASSWORD = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password", re.IGNORECASE)
# An error page is a few lines; a portal's frame alone (navigation, footer) says more than this.
SOFT_ERROR_TEXT = 800


def soft_error_kind(response: Response) -> str | None:
    """``maintenance`` or ``login`` when a 200 answer is such a page instead of content, else None.

    Only short HTML pages count (a report, a list or a home page says far more), so a list
    whose items mention 维护 or a home page with a login box is no error page.

        >>> from scrapy.http import HtmlResponse
        >>> page = lambda body: HtmlResponse("http://x.gov.cn/a.html", body=body.encode(), encoding="utf-8")
        >>> soft_error_kind(page("<title>提示</title><h2>网站维护中</h2>请稍后访问"))
        'maintenance'
        >>> soft_error_kind(page('<h3>用户登录</h3><input name="u"><input type="password" name="p">'))
        'login'
        >>> soft_error_kind(page("<h1>2023年政府信息公开工作年度报告</h1>" + "<p>主动公开政府信息情况</p>" * 60))
    """
    if response.status != 200 or not isinstance(response, TextResponse) or len(response.body) > 30000:
        return None
    ctype = (response.headers.get(b"Content-Type") or b"").lower()
    if b"html" not in ctype and response.body.lstrip()[:1] != b"<":
        return None
    from w3lib.html import remove_tags, remove_tags_with_content

    try:
        text = " ".join(remove_tags(remove_tags_with_content(response.text, ("script", "style"))).split())
    except (UnicodeDecodeError, ValueError):
        return None
    if len(text) > SOFT_ERROR_TEXT:
        return None
    if _MAINTENANCE.search(text):
        return "maintenance"
    if _PASSWORD.search(response.body) and _LOGIN.search(text):
        return "login"
    return None


class SoftErrorMiddleware:
    """A 200 answer that is a maintenance notice or a login form is a failed request, recorded
    with its URL (kinds ``maintenance``, ``login``) instead of passing silently as a page that
    holds nothing. In the nightly job a watched page failing so keeps its site's reports from
    being taken for removed; a known report answering so is not touched (it is not gone)."""

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if _is_robots_fetch(request):
            return response
        kind = soft_error_kind(response)
        if kind is not None:
            what = "a maintenance page (网站维护中)" if kind == "maintenance" else "a login page"
            raise SoftErrorPage(kind, f"HTTP 200 with {what} instead of the content")
        return response


class LateRetryMiddleware:
    """A page on the way to the reports (seed, platform, column, list page) that failed for a
    server or network fault after its retries (an answer of ``RETRY_HTTP_CODES``, a timeout, a
    dropped connection) is asked once more when the crawl has run dry,
    ``NIANBAO_LATE_RETRY_WAIT`` seconds (10) later: a server that answers 500 to its first few
    requests, or drops out for a minute, no longer costs the whole site for the night. Reports
    and documents are not asked again (their failure is recorded and the next night fetches
    them). Order 530: below RetryMiddleware (550), so only a request's last answer is seen.
    """

    TIERS = frozenset({"seed", "platform", "column", "pagination"})
    MAX = 200  # late retries per crawl

    def __init__(self, crawler: Crawler, wait: float):
        self.crawler, self.wait = crawler, wait
        # the answers the retries were for (a gateway's 521 challenge is the spider's business)
        self.codes = {int(c) for c in crawler.settings.getlist("RETRY_HTTP_CODES")}
        self.pending: list[Request] = []
        self.asked: set[tuple[str, str, bytes]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LateRetryMiddleware:
        from scrapy import signals

        mw = cls(crawler, crawler.settings.getfloat("NIANBAO_LATE_RETRY_WAIT", 10.0))
        crawler.signals.connect(mw.spider_idle, signal=signals.spider_idle)
        return mw

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if response.status in self.codes and b"document.cookie" not in response.body[:20000]:
            self._hold(request)     # (a gateway's script challenge is answered by the spider)
        return response

    def process_exception(self, request: Request, exception: Exception, spider=None) -> None:
        from crawler.errors import CONNECTION, TIMEOUT

        if isinstance(exception, (*TIMEOUT, *CONNECTION)):
            self._hold(request)
        return None

    def _hold(self, request: Request) -> None:
        if (self.wait < 0 or request.meta.get("tier") not in self.TIERS or request.meta.get("late_retry")
                or _is_robots_fetch(request) or len(self.asked) >= self.MAX):
            return
        key = (request.method, request.url, request.body or b"")
        if key in self.asked:
            return
        self.asked.add(key)
        # retry_times 1 + retry_after: BackoffMiddleware waits before it; one ordinary retry left
        meta = {**request.meta, "late_retry": True, "retry_times": 1, "retry_after": self.wait}
        self.pending.append(request.replace(meta=meta, dont_filter=True))

    def spider_idle(self, spider=None) -> None:
        from scrapy.exceptions import DontCloseSpider

        if not self.pending:
            return
        batch, self.pending = self.pending, []
        logger.info("asking %d failed list pages again after %s s", len(batch), self.wait)
        for request in batch:
            self.crawler.engine.crawl(request)
        self.crawler.stats.inc_value("nianbao/late_retries", len(batch))
        raise DontCloseSpider



class CallbackErrorMiddleware:
    """Spider middleware: a page whose callback raised (a parser or discovery bug met on an odd
    page) is recorded as an error row with its URL, kind ``spider``, instead of vanishing into
    Scrapy's log: the operator's summary counts it and the corpus says which page it was. The
    crawl goes on; the traceback is logged once for whoever fixes the bug. What the callback
    yielded before it raised is kept. Scrapy's own stop signals pass through.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CallbackErrorMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: BaseException,
                                 spider: object = None) -> list[object] | None:
        from scrapy.exceptions import CloseSpider, DontCloseSpider
        from scrapy.spidermiddlewares.httperror import HttpError

        from crawler.items import CrawlError

        if isinstance(exception, (CloseSpider, DontCloseSpider, HttpError, IgnoreRequest)):
            return None
        reason = " ".join(f"{type(exception).__name__}: {exception}".split())[:300]
        logger.error("reading %s failed (%s); recorded, the crawl goes on", response.url, reason,
                     exc_info=exception)
        self.stats.inc_value("nianbao/errors/spider")
        return [CrawlError(url=response.url, site_url=response.meta.get("site", ""),
                           kind="spider", reason=reason, status=response.status)]
