"""Incremental crawling: revisit the lists, skip what is known and unchanged, notice what is gone.

Three Scrapy components, switched on by :func:`incremental_settings` (``nianbao nightly`` does it;
a plain ``nianbao crawl`` is untouched):

- :class:`IncrementalSpiderMiddleware` replaces a known site's seed by the tops of its report
  lists (``process_start``), and sees every request the spider asks for and decides:

  * a known report URL (in the corpus' ``document_urls``): not fetched again — only noted as
    still *seen* — unless it is due for revalidation (older than ``NIANBAO_REVALIDATE_DAYS``) or
    the page that lists it changed since last night; then it is fetched with conditional headers
    (``If-None-Match`` / ``If-Modified-Since`` from the stored ETag / Last-Modified);
  * a further page of a list whose top page did not change: not fetched, what it listed last
    time is carried forward as seen (every ``NIANBAO_DEEP_WALK_DAYS`` all pages are read). A
    long list whose top prints no total has its last page read first: an item removed or added
    anywhere moves every later item, so a changed last page means the whole list is read;
  * "changed" means the page says something else (:func:`page_signature`: visible text or
    canonical JSON, without clocks, visit counters, tokens and server timestamps), or it came
    back with the same text under new validators from a server that answered 304 before (the
    CMS regenerated it: its documents get a conditional GET);
  * a page fetched in an earlier completed run that led to no report (a dead end: news, other
    columns, traps), or the way from the home page to the lists: not fetched again;
  * anything else (new links, new pages of a list): fetched.

- :class:`NightlyCachePolicy` (Scrapy's HTTP cache with RFC 2616 validators) makes every page a
  conditional GET: an unchanged list answers 304 and the spider reads the cached copy. robots.txt
  is reused for up to ``NIANBAO_ROBOTS_CACHE_HOURS`` (RFC 9309 allows 24 h). Documents are not
  cached here: the corpus keeps their raw bytes already.

- :class:`IncrementalDownloaderMiddleware` notes known documents that are gone — 404/410, or a
  short "页面不存在" page served with 200 (:func:`is_soft_404`), from the document or from the
  article page it hangs from — and the failures of pages on the way to reports (a site with
  such a failure gets no "no longer listed" removals that night: a site that is down must not
  look like a site that deleted everything).
  A 304 for a known document goes to the spider, which reports it as seen.

The crawl graph lives in :class:`crawler.frontier.Frontier`; deciding removals and writing them to
the corpus happens after the crawl, in :mod:`crawler.nightly`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import re
import sqlite3
import time
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.request import request_from_dict
from w3lib.html import remove_tags

from crawler.discovery.lists import PAGE_PARAMS, TOTAL_KEYS, load_json
from crawler.frontier import LIST_TIERS, Frontier
from crawler.middlewares import soft_error_kind

logger = logging.getLogger(__name__)

SPIDER_MW = "crawler.incremental.IncrementalSpiderMiddleware"
DOWNLOADER_MW = "crawler.incremental.IncrementalDownloaderMiddleware"
# Closest to the spider: sees its raw output before depth/offsite filters drop anything.
SPIDER_MW_ORDER = 950
# Below RetryMiddleware (550): sees a response only after retries are spent.
DOWNLOADER_MW_ORDER = 545


def incremental_settings(state_dir: str | Path, run_id: int, corpus_db: str | Path,
                         raw_dir: str | Path | None = None, revalidate_days: float = 30.0,
                         robots_cache_hours: float = 20.0,
                         rediscover_days: float = 7.0,
                         deep_walk_days: float = 7.0) -> dict[str, Any]:
    """Scrapy settings that make a crawl incremental (merge the two middleware dicts yourself).

    :param state_dir: the nightly state folder beside the database (frontier.db, httpcache/)
    :param run_id: the ``crawl_runs`` id the crawl belongs to
    :param corpus_db: the corpus SQLite file (read to know which report URLs are stored)
    :param raw_dir: where the corpus keeps raw bytes (default ``<db dir>/raw``)
    :param revalidate_days: re-check a known, still-listed document after this many days
        (0: every night)
    :param robots_cache_hours: reuse a fetched robots.txt for this long
    :param rediscover_days: explore dead ends (pages that led to no report) again after this
    :param deep_walk_days: read every page of a list at least this often, even when its top
        page did not change (0: every night)
    """
    state = Path(state_dir)
    return {
        "NIANBAO_NIGHTLY_RUN_ID": run_id,
        "NIANBAO_FRONTIER": str(state / "frontier.db"),
        "NIANBAO_CORPUS_DB": str(corpus_db),
        "NIANBAO_RAW_DIR": str(raw_dir) if raw_dir else "",
        "NIANBAO_REVALIDATE_DAYS": revalidate_days,
        "NIANBAO_ROBOTS_CACHE_HOURS": robots_cache_hours,
        "NIANBAO_REDISCOVER_DAYS": rediscover_days,
        "NIANBAO_DEEP_WALK_DAYS": deep_walk_days,
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_DIR": str(state / "httpcache"),
        "HTTPCACHE_POLICY": "crawler.incremental.NightlyCachePolicy",
        "HTTPCACHE_STORAGE": "scrapy.extensions.httpcache.FilesystemCacheStorage",
        "HTTPCACHE_EXPIRATION_SECS": 0,
        "HTTPCACHE_IGNORE_HTTP_CODES": [],
    }


# After every project middleware that rewrites responses (the encoding fix at 900): a page
# answered 304 comes back from the cache and must pass through them like a fresh one.
HTTPCACHE_MW = "crawler.incremental.NightlyHttpCacheMiddleware"
SCRAPY_HTTPCACHE_MW = "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware"

HTTPCACHE_MW_ORDER = 950


class NightlyHttpCacheMiddleware(HttpCacheMiddleware):
    """Scrapy's HTTP cache without its error recovery: when a page cannot be fetched (timeout,
    refused or dropped connection) Scrapy hands out the copy cached last night as if it had
    been read. A list read so looks unchanged: its reports are marked seen tonight (their
    ``last_seen`` moved on while the site was down), the failure is nowhere (no error row, no
    warning), and the night counts the page as "not modified". Here the failure goes on to the
    retries, the error record and the site's failure (no removals, warned, rediscovered)."""

    def process_exception(self, request: Request, exception: Exception,
                          spider: Any = None) -> None:
        request.meta.pop("cached_response", None)
        return None


def merge_middlewares(settings: BaseSettings, extra: dict[str, Any]) -> None:
    """Add the incremental middlewares to the project's own dicts (setting a dict replaces it)."""
    for name, entries in (("SPIDER_MIDDLEWARES", {SPIDER_MW: SPIDER_MW_ORDER}),
                          ("DOWNLOADER_MIDDLEWARES", {DOWNLOADER_MW: DOWNLOADER_MW_ORDER,
                                                      SCRAPY_HTTPCACHE_MW: None,
                                                      HTTPCACHE_MW: HTTPCACHE_MW_ORDER})):
        merged = dict(settings.getdict(name))
        merged.update(entries)
        extra[name] = merged


def _is_robots(request: Request) -> bool:
    return request.url.split("?", 1)[0].endswith("/robots.txt")


def _validators(response: Response) -> str:
    etag = (response.headers.get(b"ETag") or b"").decode("latin-1")
    modified = (response.headers.get(b"Last-Modified") or b"").decode("latin-1")
    return f"{etag}|{modified}" if etag or modified else ""


# What a dynamic page prints differently on every response without saying anything new: the
# time of day (今天是… clocks, "generated at"), visit counters, CSRF/session tokens and request
# ids, server timestamps. Dates of list items are kept: a re-published report shows a new one.
_VOLATILE = (
    re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"),
    re.compile(r"(?:今天是|今日|当前时间|现在时间|现在是|系统时间|更新时间|生成时间)\s*[:：]?\s*"
               r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"),
    re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*"
               r"(?:星期|周|礼拜)[一二三四五六日天]"),
    re.compile(r"(?<![A-Za-z0-9_/.%-])(?=[A-Za-z0-9_+=-]*\d)(?=[A-Za-z0-9_+=-]*[A-Za-z])"
               r"[A-Za-z0-9_+=-]{20,}(?![A-Za-z0-9_/.%-])"),           # tokens, uuids, hashes
    re.compile(r"(?<!\d)(?:1[3-9]\d{8}|20\d{8})\d{0,9}(?!\d)"),  # Unix times, s to ns
    re.compile(r"第\s*\d+\s*位"),                                  # 您是第 12345 位访问者
)
_COUNTER = re.compile(r"(访问量|访问次数|浏览量|浏览次数|点击量|点击数|点击率|阅读量|阅读数|"
                      r"阅读次数|访客数|访问|浏览|点击|阅读|visits?|views?|hits?)"
                      r"(\s*(?:[:：]|次数|量)?\s*)\d[\d,]*", re.IGNORECASE)


def _stable_text(text: str) -> str:
    """``text`` without what changes on every response (see ``_VOLATILE``), spaces collapsed."""
    text = _COUNTER.sub(r"\1\2#", text)
    for pattern in _VOLATILE:
        text = pattern.sub("#", text)
    return " ".join(text.split())


def page_signature(response: Response) -> str:
    """SHA-256 of what a page says, not of its bytes.

    HTML: the visible text (script text included: TRS page counts, Hanweb records) without tags
    and attributes, so that a session id in every link or a re-rendered ``<head>`` does not make
    an unchanged list look changed. JSON (list APIs): its canonical form. Both without what a
    dynamic page changes on every response (clock, visit counter, CSRF token, request id,
    server timestamp: ``_stable_text``). Other responses (XML, documents) by their bytes.
    """
    if isinstance(response, TextResponse):
        head = response.body[:1024].lstrip()
        text = ""
        try:
            if head[:1] in (b"{", b"[") or (head[:1] not in (b"<", b"") and b"(" in head[:80]):
                obj = load_json(response.text)
                if obj is not None:
                    text = "j:" + json.dumps(obj, ensure_ascii=False, sort_keys=True)
            elif b"<" in head:
                text = remove_tags(response.text)
        except (UnicodeDecodeError, ValueError):
            text = ""
        if text:
            return "t:" + hashlib.sha256(_stable_text(text).encode("utf-8")).hexdigest()
    return hashlib.sha256(response.body).hexdigest()


# A known document answering 200 with a "page not found" page (soft 404) is gone; recorded in
# the frontier's ``gone`` table with this status.
SOFT_404 = 200
_NOT_FOUND = re.compile(r"页面不存在|页面已(?:被)?删除|(?:信息|文章|内容|稿件|文件)(?:已被?删除|不存在)|"
                        r"您(?:所)?访问的(?:页面|内容|信息)|找不到(?:该|您要访问的|您所访问的)?页面|"
                        r"页面未找到|页面找不到|页面无法找到|\b404\b|not\s+found", re.IGNORECASE)


def is_soft_404(response: Response) -> bool:
    """A short HTML page saying that what was asked for does not exist (served with 200).

    Only asked of URLs that used to be a report document: a report is thousands of characters
    long, an error page a few lines.
    """
    if not isinstance(response, TextResponse) or len(response.body) > 30000:
        return False
    ctype = (response.headers.get(b"Content-Type") or b"").lower()
    if b"html" not in ctype and not response.body.lstrip()[:1] == b"<":
        return False
    try:
        text = " ".join(remove_tags(response.text).split())
    except (UnicodeDecodeError, ValueError):
        return False
    return len(text) < 1500 and bool(_NOT_FOUND.search(text))


# How far below a list's top its last page may lie (pages chained by 下一页 links).
MAX_TAIL_DEPTH = 60
# A list's last page is checked only when the list cost at least this many requests to read
# in full: an unchanged night must cost at most a tenth of a full one.
TAIL_MIN_REQUESTS = 20
# The JSON list APIs' total keys (crawler.discovery.lists), longest first; a bare "count" is too
# common a word to mean a list's size.
_TOTAL_KEYS = "|".join(sorted((k for k in TOTAL_KEYS if k != "count"), key=len, reverse=True))
_TOTAL = re.compile(r"共\s*[:：]?\s*\d+\s*(?:条|篇|项|个|份|件|记录)|(?:总|记录|信息)(?:条)?数\s*[:：]?\s*\d+|"
                    rf"(?:{_TOTAL_KEYS})['\"]?\s*[:=]\s*['\"]?\d+", re.IGNORECASE)


def shows_total(response: Response) -> bool:
    """The list page states how many items the list has (共N条, "total": N): an item removed
    or added anywhere in the list changes its top page."""
    if not isinstance(response, TextResponse):
        return False
    try:
        return bool(_TOTAL.search(response.text[:300000]))
    except (UnicodeDecodeError, ValueError):
        return False


# The list APIs' page parameters (crawler.discovery.lists) and the offsets of Hanweb's
# dataproxy.jsp and of other APIs.
_PAGE_PARAM = re.compile(r"[?&](?:%s|startrecord|start|offset)=(\d+)" % "|".join(
    sorted(PAGE_PARAMS, key=len, reverse=True)), re.IGNORECASE)
_PAGE_PATH = re.compile(r"[_/-](\d{1,4})\.s?html?$")


def _page_number(url: str) -> int:
    """The page number a list page's URL carries (index_3.html, list_3, ?pageNo=3), else 0."""
    m = _PAGE_PARAM.search(url) or _PAGE_PATH.search(url.split("?", 1)[0])
    return int(m.group(1)) if m else 0


def _age_days(iso: str | None) -> float:
    if not iso:
        return float("inf")
    try:
        then = datetime.fromisoformat(iso)
    except ValueError:
        return float("inf")
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return (datetime.now(UTC) - then).total_seconds() / 86400


class KnownDocuments:
    """Read-only look-ups in the corpus: is this URL a stored report document?

    Reads ``document_urls`` / ``documents`` directly (read-only connection, WAL: never blocks
    the pipeline that writes through :class:`corpus.store.Corpus`).
    """

    def __init__(self, db_path: str | Path, raw_dir: str | Path | None = None) -> None:
        self.db_path = Path(db_path)
        self.raw_dir = Path(raw_dir) if raw_dir else self.db_path.parent / "raw"
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection | None:
        if self._conn is None and self.db_path.exists():
            self._conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30,
                                         check_same_thread=False)
            self._conn.row_factory = sqlite3.Row
        return self._conn

    def _url_row(self, url: str, removed: bool) -> sqlite3.Row | None:
        """The ``document_urls`` row of ``url``, among the removed ones or the others."""
        db = self._db()
        if db is None:
            return None
        try:
            return db.execute("SELECT * FROM document_urls WHERE url = ? AND removed_at IS "
                              + ("NOT NULL" if removed else "NULL"), [url]).fetchone()
        except sqlite3.OperationalError:  # schema not created yet: nothing is known
            return None

    def get(self, url: str) -> dict | None:
        """The ``document_urls`` row of ``url`` when it is stored and not removed."""
        row = self._url_row(url, removed=False)
        return dict(row) if row else None

    def removed_within(self, url: str, days: float) -> bool:
        """``url`` is a stored document marked removed less than ``days`` ago."""
        row = self._url_row(url, removed=True)
        return row is not None and _age_days(row["removed_at"]) < days

    def raw_copy(self, sha256: str) -> tuple[bytes, str] | None:
        """The stored bytes and content type of a document, or None."""
        db = self._db()
        if db is None or not sha256:
            return None
        row = db.execute("SELECT raw_path, content_type FROM documents WHERE sha256 = ?",
                         [sha256]).fetchone()
        candidates = []
        if row and row["raw_path"]:
            p = Path(row["raw_path"])
            candidates += [p] if p.is_absolute() else [self.db_path.parent / p, self.raw_dir / p]
        candidates.append(self.raw_dir / sha256[:2] / sha256)
        for path in candidates:
            if path.is_file():
                return path.read_bytes(), (row["content_type"] if row else "") or ""
        return None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class NightlyCachePolicy(RFC2616Policy):
    """RFC 2616 validators for pages, with two nightly rules (see module docstring)."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.robots_seconds = settings.getfloat("NIANBAO_ROBOTS_CACHE_HOURS", 20.0) * 3600

    def should_cache_request(self, request: Request) -> bool:
        if request.meta.get("nb_known"):
            return False  # known documents: the corpus has the bytes and the validators
        return super().should_cache_request(request)

    def should_cache_response(self, response: Response, request: Request) -> bool:
        if _is_robots(request):
            return response.status < 500  # a missing robots.txt (404) is an answer too
        if response.status != 200:
            return False
        ctype = (response.headers.get(b"Content-Type") or b"").lower()
        if not any(t in ctype for t in (b"html", b"xml", b"json")):
            return False  # attachments are kept by the corpus, not twice
        return super().should_cache_response(response, request)

    def is_cached_response_valid(self, cachedresponse: Response, response: Response,
                                 request: Request) -> bool:
        # RFC 2616 lets a cache answer a server error (500, 503) with its stale copy; a night
        # must not: last night's list would pass for tonight's (see NightlyHttpCacheMiddleware).
        return response.status == 304

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        if _is_robots(request):
            return self._compute_current_age(cachedresponse, request, time.time()) \
                < self.robots_seconds
        # A list must be asked again every night: new reports appear on it. Ask conditionally.
        self._set_conditional_validators(request, cachedresponse)
        return False


class IncrementalSpiderMiddleware(BaseSpiderMiddleware):
    """Decide, for each request the spider yields, whether the nightly run fetches it."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        s = crawler.settings
        self.run_id = s.getint("NIANBAO_NIGHTLY_RUN_ID")
        if not self.run_id or not s.get("NIANBAO_FRONTIER"):
            raise NotConfigured("not a nightly run")
        self.frontier = Frontier(s["NIANBAO_FRONTIER"])
        self.known = KnownDocuments(s["NIANBAO_CORPUS_DB"], s.get("NIANBAO_RAW_DIR") or None)
        self.completed = self.frontier.completed_runs()
        self.revalidate_days = s.getfloat("NIANBAO_REVALIDATE_DAYS", 30.0)
        self.rediscover_days = s.getfloat("NIANBAO_REDISCOVER_DAYS", 7.0)
        self.recheck_removed_days = s.getfloat("NIANBAO_RECHECK_REMOVED_DAYS", 3.0)
        self.shared_frontier = bool(s.get("REDIS_URL"))
        # page fp -> it changed since last night (a resumed run remembers its first part's)
        self.changed_before = self.frontier.changed_pages(self.run_id)
        self.changed: dict[str, bool] = dict.fromkeys(self.changed_before, True)
        self.yielded: set[str] = set()       # request fingerprints asked for by this process
        self.gated: set[str] = set()         # top list pages found unchanged tonight
        self.children: dict[str, int] = {}   # page fp -> requests its response yielded
        self.entries_read: dict[str, str] = {}  # entry fp -> site, for entries read tonight
        self.gated_sites: set[str] = set()
        # Unchanged list tops that print no total: their last page is read before the others
        # are taken as unchanged (see ``_check_tail``).
        self.tail_pending: set[str] = set()
        self.held: dict[str, list[tuple[str, Request]]] = {}   # entry fp -> its further pages
        self.tails: dict[str, tuple[str, list[tuple[str, Request]]]] = {}  # tail fp -> (entry, rest)
        self.deep_walk_days = s.getfloat("NIANBAO_DEEP_WALK_DAYS", 7.0)
        # Shared-frontier workers all start from the seeds (the queue dedups them).
        self.entries = {} if self.shared_frontier else self.frontier.entry_requests(
            self.rediscover_days)
        self.stats = crawler.stats
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def _fp(self, request: Request) -> str:
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    # Responses: remember what each page looked like, to tell tomorrow whether it changed.
    def process_spider_input(self, response: Response) -> None:
        fp = response.meta.get("nb_fp") or self._fp(response.request)
        response.meta.setdefault("nb_fp", fp)
        # A 304 comes back as the cached copy. It is compared with the frontier's record all the
        # same: a run killed between the HTTP cache storing a new copy and the frontier
        # recording it would otherwise take a changed page for an unchanged one when resumed.
        cached = "cached" in response.flags
        signature = page_signature(response)
        validators = _validators(response)
        prev = self.frontier.page(fp)
        changed = bool(prev and prev.get("body_sha") and prev["body_sha"] != signature)
        if (prev and not changed and prev.get("status") == 304
                and prev.get("validators") and validators and prev["validators"] != validators):
            # The same text under new validators, from a server that answered 304 before: the
            # CMS regenerated the page, as it does when an article under it is republished or
            # replaced in place. Its documents get a conditional GET (cheap 304s when unchanged);
            # a server whose validators change on every response never answered 304.
            changed = True
            self.stats.inc_value("nightly/lists_regenerated")
        if changed:  # noted before the new signature: a kill in between must not lose it
            self.frontier.mark_changed(self.run_id, fp)
        # status 304 remembers that this server honours conditional requests for this page.
        self.frontier.record_fetch(self.run_id, fp, response.request.url, response.url,
                                   304 if cached else response.status, signature, validators)
        # (a page found changed earlier in this run, by an interrupted process, stays changed)
        self.changed[fp] = changed or self.changed.get(fp, False)
        self._gate(response, fp)
        if response.meta.get("nb_entry"):
            self.entries_read[fp] = response.meta.get("site", "")

    def _gate(self, response: Response, fp: str) -> None:
        """The top page of a list, unchanged since last night: its other pages are taken as
        unchanged too. A list is sorted newest first and (on most CMSs) shows its total, so an
        addition, a re-publication or a removal changes its top page; every
        ``NIANBAO_DEEP_WALK_DAYS`` all pages are read regardless."""
        if response.meta.get("nb_gate") and not self.changed.get(fp):
            if self.changed_before and self._list_pages(fp) & self.changed_before:
                # Resumed: the interrupted part found a further page of this list changed (its
                # last page, say). Part of the list is fresh already: read all of it.
                self.changed[fp] = True
                return
            self.gated.add(fp)
            if not shows_total(response):
                self.tail_pending.add(fp)
            self.gated_sites.add(response.meta.get("site", ""))
            self.stats.inc_value("nightly/lists_unchanged")

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """A site crawled fully before starts at the top of its report lists, not its home."""
        started: set[str] = set()
        async for item in start:
            site = item.meta.get("site") if isinstance(item, Request) else None
            if site and site in self.entries:
                if site not in started:  # the seed and the column request both map here
                    started.add(site)
                    self.frontier.set_site_mode(self.run_id, site, "lists")
                    # Re-checking every document (revalidate 0) means reading every list too.
                    gate = self.revalidate_days > 0 and not self.frontier.walk_due(
                        site, self.deep_walk_days)
                    for blob in self.entries[site]:
                        request = self._revive(blob)
                        if request is not None and request.method == "GET":
                            # An entry reached through a redirect is asked at its target.
                            prev = self.frontier.page(self._fp(request))
                            if prev and prev.get("final_url") not in (None, request.url):
                                request = request.replace(url=prev["final_url"])
                        if request is not None:
                            request.meta["nb_gate"] = gate
                            request.meta["nb_entry"] = True
                            self.stats.inc_value("nightly/entry_requests")
                            yield self.get_processed_request(request, None)
                continue
            if site:
                self.frontier.set_site_mode(self.run_id, site, "full")
            if isinstance(item, Request):
                item = self.get_processed_request(item, None)
            if item is not None:
                yield item

    def _revive(self, blob: bytes) -> Request | None:
        try:
            return request_from_dict(pickle.loads(blob), spider=self.crawler.spider)
        except Exception as exc:  # noqa: BLE001 — a spider changed since: fall back to nothing, logged
            logger.warning("cannot restore a stored list request: %s", exc)
            return None

    def _freeze(self, request: Request) -> bytes | None:
        """The request, pickled, for pages that may become a night's starting point."""
        if request.meta.get("document") or "group" in request.meta:
            return None
        try:
            return pickle.dumps(request.to_dict(spider=self.crawler.spider), protocol=4)
        except Exception:  # noqa: BLE001 — unpicklable meta: this page simply cannot be a starting point
            return None

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        fp = self._fp(request)
        parent = response.meta.get("nb_fp") if response is not None else None
        if parent:
            self.children[parent] = self.children.get(parent, 0) + 1
        if fp in self.yielded and "group" not in request.meta:
            # The spider dedups its own requests in memory; a list page it reaches again after
            # the night started there is the same request.
            return None
        self.yielded.add(fp)
        site = request.meta.get("site")
        prev = self.frontier.record_request(self.run_id, fp, request.url, request.method, parent,
                                            site, self._freeze(request), request.meta.get("tier"))
        request.meta["nb_fp"] = fp
        if self.shared_frontier:
            # Several workers yield the same links: the shared (Redis) duplicate filter must see
            # them, and the spider marks its requests dont_filter (it dedups in memory).
            request.dont_filter = False
        if response is None:  # a start request: always fetched, watched for failures
            request.meta["nb_watch"] = True
            return request
        known = self.known.get(request.url)
        if known is None and prev and prev.get("final_url") and prev["final_url"] != request.url:
            known = self.known.get(prev["final_url"])  # a redirect that ends at a known document
        if known is not None:
            self.frontier.mark_seen(self.run_id, known["url"])
            if request.url != known["url"]:
                self.frontier.mark_seen(self.run_id, request.url)
        if "article" in request.meta:
            # A further page of a split article being read: the spider joins it to the first
            # page and waits for it (skipping it would hold the article back for good).
            return request
        if known is not None and (request.meta.get("tier") in LIST_TIERS
                                  or (prev and prev.get("is_list"))):
            known = None  # a list page is read even when the corpus names it a report's page
        if known is not None:
            if self._due(known, parent, prev):
                if request.url != known["url"] and request.method == "GET":
                    # Known through a redirect: ask the final URL, with its validators.
                    request = request.replace(url=known["url"])
                if not self._download_due(known):
                    self._add_validators(request, known)
                request.meta["nb_known"] = known["url"]
                self.stats.inc_value("nightly/known_revalidated")
                return request
            self.stats.inc_value("nightly/known_skipped")
            if "group" not in request.meta:
                return None
            # An attachment of a page being read belongs to the page's group, which the spider
            # completes when every member has answered: it gets a 304 made here, no network.
            request.meta["nb_skip"] = True
            request.meta["handle_httpstatus_list"] = sorted(
                {*request.meta.get("handle_httpstatus_list", []), 304})
            return request
        if known is None and self.recheck_removed_days > 0 and \
                self.known.removed_within(request.url, self.recheck_removed_days):
            # Taken for removed lately (404/410, 页面不存在) yet still linked: asked again for a
            # few nights, so that one bad night of a server does not hide a report until its
            # site is rediscovered; one request per such link, and none once it stays gone.
            self.stats.inc_value("nightly/removed_rechecked")
            return request
        if (request.meta.get("tier") == "report" and prev and prev.get("spine")
                and prev.get("fetched_run") in self.completed):
            # A report's page read in a completed night (its attachment is the document): still
            # listed, so it and what hangs from it are seen; read again when its list changed —
            # then what it links tonight is seen (a page that now says 页面不存在 links nothing).
            if self._due_page(parent):
                request.meta["nb_watch"] = True
                return request
            # Not read: its attachments count as met tonight too (they stay what makes this
            # site's list a list, so tomorrow still starts at the list, not at the home page).
            self.frontier.mark_seen(self.run_id, request.url)
            for url in self.frontier.carry_forward(fp, self.run_id):
                self.frontier.mark_seen(self.run_id, url)
            self.stats.inc_value("nightly/known_skipped")
            return None
        if (parent in self.gated and prev and prev.get("fetched_run") in self.completed
                and (prev.get("is_list") or request.meta.get("tier") == "pagination")):
            if parent in self.tail_pending:  # decided once its last page has answered
                self.held.setdefault(parent, []).append((fp, request))
                return None
            # A further page of an unchanged list: what it listed is still listed.
            self._carry(fp)
            return None
        if parent in self.tails and prev and (prev.get("is_list")
                                              or request.meta.get("tier") == "pagination"):
            return None  # the other pages of a list whose tail is read: the list decides
        if self.frontier.is_dead_end(prev, self.run_id, self.completed, self.rediscover_days):
            self.stats.inc_value("nightly/dead_end_skipped")
            return None
        if (site in self.entries and prev and not prev.get("is_list")
                and prev.get("fetched_run") in self.completed):
            # A night that starts at the lists stays on them: the way there (home, platform,
            # breadcrumbs) was walked when the site was last discovered in full.
            self.stats.inc_value("nightly/off_list_skipped")
            return None
        if prev and prev.get("spine"):
            request.meta["nb_watch"] = True
        return request

    def _carry(self, fp: str) -> None:
        """A further page of an unchanged list, not read: what it listed is still listed."""
        for url in self.frontier.carry_forward(fp, self.run_id):
            self.frontier.mark_seen(self.run_id, url)
        self.stats.inc_value("nightly/list_pages_skipped")

    def process_spider_output(self, response: Response | None, result: Any,
                              spider: Any = None) -> Any:
        yield from super().process_spider_output(response, result)
        yield from self._after_page(response)

    async def process_spider_output_async(self, response: Response | None, result: Any,
                                          spider: Any = None) -> AsyncIterator[Any]:
        async for item in super().process_spider_output_async(response, result):
            yield item
        for request in self._after_page(response):
            yield request

    def _after_page(self, response: Response | None) -> list[Request]:
        """Once a page's output is through: ask the tail of an unchanged list without a
        total, or, the tail having answered, read or carry the rest of its list."""
        fp = response.meta.get("nb_fp") if response is not None else None
        if not fp:
            return []
        if fp in self.tail_pending:
            self.tail_pending.discard(fp)
            return self._check_tail(fp, self.held.pop(fp, []))
        if fp in self.tails:
            _entry, rest = self.tails.pop(fp)
            if self.changed.get(fp):
                self.stats.inc_value("nightly/list_tails_changed")
                return [request for _, request in rest]
            for other, _ in rest:
                self._carry(other)
        return []

    def _check_tail(self, entry: str, held: list[tuple[str, Request]]) -> list[Request]:
        """An unchanged list top that prints no total (no 共N条) hides a removal or an
        insertion further down: every item after it moves up or down a place, so the list's
        last page changes. Ask that page (conditionally) before taking the rest as unchanged.
        """
        # Only where it is affordable: two requests a night must stay within a tenth of what
        # the list cost when it was first read (its pages, report pages and documents).
        affordable = self._list_cost(entry) >= TAIL_MIN_REQUESTS
        tail = self._tail_of(entry, held) if affordable else None
        if tail is None:
            for fp, _ in held:
                self._carry(fp)
            return []
        tail_fp, request = tail
        self.tails[tail_fp] = (entry, [(fp, r) for fp, r in held if fp != tail_fp])
        request.meta["nb_watch"] = True
        request.meta["nb_fp"] = tail_fp
        self.yielded.add(tail_fp)
        self.stats.inc_value("nightly/list_tails_read")
        return [request]

    def _list_levels(self, entry: str) -> list[list[dict]]:
        """The further pages of the list under ``entry`` in the crawl graph, level by level
        (a 下一页 chain is one page a level), without pages that failed."""
        level, seen, out = [entry], {entry}, []
        for _ in range(MAX_TAIL_DEPTH):
            marks = ",".join("?" * len(level))
            rows = [r for r in self.frontier.db.query(
                f"SELECT fp, url, request, parent, is_list FROM pages WHERE parent IN ({marks}) "
                f"AND (is_list = 1 OR tier = 'pagination') AND (status IS NULL OR status < 400)",
                level) if r["fp"] not in seen]
            if not rows:
                break
            seen.update(r["fp"] for r in rows)
            level = [r["fp"] for r in rows]
            out.append(rows)
        return out

    def _list_pages(self, entry: str) -> set[str]:
        return {r["fp"] for rows in self._list_levels(entry) for r in rows}

    def _list_cost(self, entry: str) -> int:
        """About what reading the list under ``entry`` in full costs: its pages, and the pages
        and documents they link (two levels down), as the crawl graph knows them."""
        nodes, level = {entry}, [entry, *self._list_pages(entry)]
        nodes.update(level)
        for _ in range(2):
            marks = ",".join("?" * len(level))
            level = [r["fp"] for r in self.frontier.db.query(
                f"SELECT fp FROM pages WHERE parent IN ({marks})", level)
                if r["fp"] not in nodes]
            nodes.update(level)
            if not level:
                break
        return len(nodes)

    def _tail_of(self, entry: str, held: list[tuple[str, Request]]
                 ) -> tuple[str, Request] | None:
        """The last page of the list under ``entry``: the deepest further page of the crawl
        graph (pages chained by 下一页 links), the highest-numbered among equals."""
        # (a page past the end, listing nothing, would not change when an item goes)
        found = [(depth, _page_number(r["url"]), r)
                 for depth, rows in enumerate(self._list_levels(entry)) for r in rows
                 if r["is_list"]]
        if not found:
            return None
        row = max(found, key=lambda t: t[:2])[2]
        for fp, request in held:
            if fp == row["fp"]:
                return fp, request
        request = self._revive(row["request"]) if row["request"] else None
        if request is None:
            return None
        self.frontier.record_request(self.run_id, row["fp"], request.url, request.method,
                                     row["parent"], request.meta.get("site"), None,
                                     request.meta.get("tier"))
        return row["fp"], request

    def _due_page(self, parent: str | None) -> bool:
        return bool(parent and self.changed.get(parent)) or self.revalidate_days <= 0

    @staticmethod
    def _jitter(known: dict) -> float:
        """Spread re-checks over nights (±25% by URL) instead of all on one night."""
        return 0.75 + (zlib.crc32(known["url"].encode()) % 1000) / 2000

    def _due(self, known: dict, parent: str | None, prev: dict | None = None) -> bool:
        """Re-check a known document: its list changed, or it is due by age — counted from its
        last check, a 304 included (``prev``: the crawl graph's record of the request, which
        notes the 304s; the corpus' ``fetched_at`` moves only with a download, so a document
        answering 304 would otherwise be asked again every night once it was due)."""
        if parent and self.changed.get(parent):
            return True
        if self.revalidate_days <= 0:
            return True
        last = _age_days(known.get("fetched_at") or known.get("first_seen"))  # pages: no fetch time
        if prev and prev.get("status") in (200, 304) and prev.get("fetched_run") in self.completed:
            last = min(last, _age_days(prev.get("fetched_at")))
        return last > self.revalidate_days * self._jitter(known)

    def _download_due(self, known: dict) -> bool:
        """Ask a known document without its validators: it was last downloaded more than two
        re-check periods ago. A server (or a cache in front of it) that answers 304 to every
        conditional request hides a replaced report for good; one full download every other
        re-check costs bytes, not requests."""
        if self.revalidate_days <= 0:
            return False
        last = known.get("fetched_at") or known.get("first_seen")
        return _age_days(last) > 2 * self.revalidate_days * self._jitter(known)

    @staticmethod
    def _add_validators(request: Request, known: dict) -> None:
        """Conditional headers from the stored response; the spider reads a 304 as "seen"."""
        if known.get("url") != request.url or not (known.get("etag") or known.get("last_modified")):
            return
        request.meta["handle_httpstatus_list"] = sorted(
            {*request.meta.get("handle_httpstatus_list", []), 304})
        if known.get("etag"):
            request.headers[b"If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            request.headers[b"If-Modified-Since"] = known["last_modified"]

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = self.stats.get_stats() if self.stats else {}
        counts = {"known_skipped": "nightly/known_skipped",
                  "known_revalidated": "nightly/known_revalidated",
                  "dead_end_skipped": "nightly/dead_end_skipped", "cache_hits": "httpcache/hit",
                  "off_list_skipped": "nightly/off_list_skipped",
                  "list_pages_skipped": "nightly/list_pages_skipped"}
        sites: dict[str, dict[str, int]] = {}
        for key, value in stats.items():
            if key.startswith("nightly/site/"):
                site, _, what = key[len("nightly/site/"):].rpartition("/")
                sites.setdefault(site, {})[what] = int(value)
        values = {name: int(stats.get(key, 0)) for name, key in counts.items()}
        # What reached the network: robots.txt served from the cache did not; a page answered
        # 304 comes back as its cached copy, a known document's 304 as itself.
        values["requests"] = int(stats.get("downloader/request_count", 0)) - values["cache_hits"]
        values["not_modified"] = int(stats.get("httpcache/revalidate", 0)) + int(
            stats.get("nightly/not_modified_documents", 0))
        for fp, site in self.entries_read.items():
            if not self.children.get(fp):
                # The top of a report list that now lists nothing: the list moved or its
                # parameters changed (a redesign), it was not emptied. No removals for the
                # site tonight; tomorrow it is discovered again from its seed.
                self.frontier.record_failure(self.run_id, fp, "", site, "list lists nothing")
        self.frontier.record_process(self.run_id, reason, values, sites)
        for site in self.gated_sites:
            self.frontier.mark_gated(self.run_id, site)
        self.known.close()
        self.frontier.close()


class IncrementalDownloaderMiddleware:
    """404/410 of a known document → gone; a failed page on the way to reports → noted."""

    def __init__(self, crawler: Any) -> None:
        s = crawler.settings
        self.run_id = s.getint("NIANBAO_NIGHTLY_RUN_ID")
        if not self.run_id or not s.get("NIANBAO_FRONTIER"):
            raise NotConfigured("not a nightly run")
        self.crawler = crawler
        self.frontier = Frontier(s["NIANBAO_FRONTIER"])
        self.known = KnownDocuments(s["NIANBAO_CORPUS_DB"], s.get("NIANBAO_RAW_DIR") or None)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    def response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        """A site answered over the network, whatever it said (sent for real downloads only:
        not for the cached copy the HTTP cache hands out when a request fails)."""
        if request.meta.get("site"):
            self.crawler.stats.inc_value(f"nightly/site/{request.meta['site']}/answered")

    @classmethod
    def from_crawler(cls, crawler: Any) -> IncrementalDownloaderMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response | Request:
        if "nightly-skip" in response.flags:
            return response
        site = request.meta.get("site")
        # Pages answered 304 reach us as the cached copy; only robots.txt is served from the
        # cache without asking, and it carries no site.
        if site and (response.status == 304 or "cached" in response.flags):
            self.crawler.stats.inc_value(f"nightly/site/{site}/not_modified")
        known_url = request.meta.get("nb_known")
        if (known_url and response.status == 304 and response.url != known_url
                and self.known.get(response.url) is None and not request.meta.get("nb_alias")):
            # A known document asked at its URL and redirected (301) to one the corpus does not
            # know: "not modified" there says nothing of the new URL. Asked once in full, so the
            # report is known at both URLs (same bytes: the same report, no new version).
            headers = request.headers.copy()
            for name in (b"If-None-Match", b"If-Modified-Since"):
                headers.pop(name, None)
            meta = {k: v for k, v in request.meta.items() if k != "nb_known"}
            meta["nb_alias"] = True
            self.crawler.stats.inc_value("nightly/redirected_known")
            return request.replace(url=response.url, headers=headers, meta=meta, dont_filter=True)
        if known_url and response.status == 304:
            self.crawler.stats.inc_value("nightly/not_modified_documents")
        if known_url and response.status in (404, 410):
            self.frontier.mark_gone(self.run_id, known_url, response.status)
        elif known_url and response.status == 200 and is_soft_404(response):
            self.frontier.mark_gone(self.run_id, known_url, SOFT_404)
        fp = request.meta.get("nb_fp")
        # A report taken down with its page: a removal, not a failure of the site.
        taken_down = bool(fp and request.meta.get("tier") == "report" and not known_url
                          and "cached" not in response.flags
                          and self._report_page_gone(fp, request, response))
        if fp and response.status >= 400 and "cached" not in response.flags:
            # Failed pages are remembered too: a page that answers 404 every night is a dead
            # end like any other (unless it is on the way to reports: then it is a failure).
            self.frontier.record_fetch(self.run_id, fp, request.url, response.url,
                                       response.status, "", "")
        if fp and request.meta.get("nb_watch") and not taken_down:
            # A maintenance notice or a login form served with 200 (SoftErrorMiddleware, nearer
            # the spider, turns it into an error) lists nothing: the site is down, not emptied.
            soft = soft_error_kind(response)
            if response.status >= 400 or soft:
                self.frontier.record_failure(self.run_id, fp, request.url, request.meta.get("site", ""),
                                             f"HTTP {response.status}" + (f" ({soft} page)" if soft else ""))
            else:
                self.frontier.clear_failure(self.run_id, fp)
        return response

    def _report_page_gone(self, fp: str, request: Request, response: Response) -> bool:
        """A report's own page (the article its attachments hang from) now answers 404/410 or
        "page not found": the documents it linked when last read are gone with it."""
        if response.status in (404, 410):
            status = response.status
        elif response.status == 200 and is_soft_404(response):
            status = SOFT_404
        else:
            return False
        urls = [u for u in self.frontier.subtree_urls(fp, depth=1) | {request.url}
                if self.known.get(u) is not None]
        for url in urls:
            self.frontier.mark_gone(self.run_id, url, status)
        return bool(urls)

    def process_request(self, request: Request) -> Response | None:
        if request.meta.get("nb_skip"):  # a known, unchanged group member: answered here
            return Response(request.url, status=304, request=request, flags=["nightly-skip"])
        if request.meta.get("site"):  # per-site request counts for site_runs
            self.crawler.stats.inc_value(f"nightly/site/{request.meta['site']}/requests")
        return None

    def process_exception(self, request: Request, exception: Exception) -> None:
        fp = request.meta.get("nb_fp")
        # A page on the way to reports that robots.txt now forbids (or whose robots.txt could
        # not be fetched: disallow-all) was not read tonight either: the site is not to look
        # as if it had taken its reports down. Other refusals (out of scope …) are decisions.
        refused = isinstance(exception, IgnoreRequest) and "robots" not in str(exception).lower()
        if fp and request.meta.get("nb_watch") and not refused:
            reason = type(exception).__name__ + (f": {exception}" if str(exception) else "")
            self.frontier.record_failure(self.run_id, fp, request.url, request.meta.get("site", ""),
                                         reason.splitlines()[0])

    def spider_closed(self, spider: Any) -> None:
        self.known.close()
        self.frontier.close()
