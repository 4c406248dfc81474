"""Item pipeline: parse every candidate document (bounded) and store the reports in the corpus.

For a :class:`~crawler.items.ReportCandidate` (a report page plus its attachments, or one
attachment) each document is parsed with ``parsers.limits.parse_bounded`` in a worker thread
(the parse itself runs in a child process, so a pathological file costs one ``ParseError``).
Documents that ``is_annual_report`` accepts are grouped by (agency, year); per group the one
holding the most table cells is stored, with the other URLs as ``related_urls`` — so a report
split over a page and its attachment is stored once, from the document with the tables.
The same report met again in the same run (same bytes or same agency and year) is not stored
twice.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import threads
from twisted.internet.defer import DeferredSemaphore

from corpus.preflight import damaged
from crawler.errors import storage_full
from crawler.items import CrawlError, FetchedDocument, ReportCandidate, SeenDocument

logger = logging.getLogger(__name__)
TABLES = ("active", "requests", "review_litigation")


def filled_cells(parsed: dict) -> int:
    """How many table cells a parsed report fills (the document that holds the tables wins)."""
    n = 0
    for table in TABLES:
        for row in (parsed.get(table) or {}).values():
            if isinstance(row, dict):
                n += sum(1 for v in row.values() if isinstance(v, (int, float)) and not isinstance(v, bool))
    return n


def agency_key(name: str | None) -> str:
    return re.sub(r"\s+", "", name or "")


# A copy of a stored report in which fewer than this share of its stored cells are found is broken.
DEGRADED_SHARE = 0.75

CORRECTION = re.compile(r"更正|修正|修订|勘误|更新版|重新发布|（新）|\(新\)")


def correction_rank(parsed: dict, page_metadata: dict | None = None) -> int:
    """1 for a report posted again as a correction (…年度报告（更正）), else 0: it supersedes the
    first posting of the same agency and year, whichever the crawl meets first."""
    title = f"{parsed.get('title') or ''} {(page_metadata or {}).get('title') or ''}"
    return 1 if CORRECTION.search(title) else 0


class CorpusPipeline:
    """Parse and store report candidates; record errors and unchanged documents."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.corpus: Any = None
        self.run_id: int | None = None
        from parsers.limits import parse_bounded, preload

        preload()  # once, before the parse threads start forking (see its docstring)
        self.parse = parse_bounded
        self.limit = DeferredSemaphore(crawler.settings.getint("NIANBAO_PARSE_CONCURRENCY", 2))
        self.timeout = crawler.settings.getfloat("NIANBAO_PARSE_TIMEOUT", 60.0)
        self._stored_sha: set[str] = set()
        self._stored_key: dict[tuple[str, int], tuple[int, int]] = {}   # -> (correction rank, cells)
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CorpusPipeline:
        from scrapy import signals

        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None) -> None:
        from corpus.store import Corpus

        spider = self.crawler.spider
        # A run opened by its caller (the nightly job, which may resume it) is closed by it too.
        self.external_run = self.crawler.settings.getint("NIANBAO_RUN_ID") or None
        self.run_id, self.claim = self.external_run, None
        self.corpus = Corpus(spider.db, raw_dir=spider.raw_dir)
        spider.corpus = self.corpus
        try:
            self._open_run(spider)
        except Exception as exc:
            # The disk filled (or a damaged page was met) before the crawl began: it was a
            # "CRITICAL twisted" traceback, "the crawl could not start (see the log above)"
            # and the run's row left `running`. Stop at once instead, as a full disk met
            # mid-crawl does; the command says it in one line.
            if not storage_full(exc) and not damaged(exc):
                raise
            self._stop(exc)

    def _stop(self, exc: BaseException) -> None:
        """Storage full or the corpus damaged: stop the crawl (once), keeping what is stored
        (each document is one transaction); the command says why in one line."""
        from twisted.internet import reactor

        if self.stopping:
            return
        self.stopping = True
        reason = "corpus damaged" if damaged(exc) else "storage full"
        self.crawler.stats.set_value("nianbao/damage" if damaged(exc) else "nianbao/storage",
                                     " ".join(str(exc).split()))
        logger.info("%s (%s): the crawl stops; what is stored stays", reason, exc)
        engine = self.crawler.engine

        async def close() -> None:
            try:
                await engine.close_spider_async(reason=reason)
            except RuntimeError:  # the spider closed meanwhile (an item in flight at the end)
                pass

        # (later, not now: the engine may still be opening the spider)
        reactor.callLater(0, lambda: deferred_from_coro(close()))

    def _open_run(self, spider: Any) -> None:
        for site in spider.sites:
            self.corpus.ensure_site(name=site.name, url=site.url, annual_report_url=site.annual_report_url,
                                    region_code=site.region_code, level=site.level)
        if not self.external_run:
            # `scrapy crawl reports` by hand: the row is claimed as `nianbao crawl` claims its
            # own (corpus.runclaim) — killed, it stayed `running` forever — and opened under
            # the corpus guard, where rows of runs that died unclosed are closed.
            from corpus.runclaim import start_claimed_run
            from crawler.nightly import corpus_opening

            with corpus_opening(spider.db):
                self.run_id, self.claim = start_claimed_run(
                    self.corpus, spider.db, getattr(spider, "run_kind", "crawl"),
                    str(spider.sites_file))

    def close_spider(self, spider=None) -> None:
        if self.corpus is None:
            return
        if not self.external_run:
            return  # its row is closed once Scrapy says why the crawl ended (spider_closed)
        self.corpus.close()
        self.corpus = None

    def spider_closed(self, spider=None, reason: str = "") -> None:
        """Close the run this pipeline opened (``scrapy crawl`` by hand), saying how it ended:
        ``ok``, ``interrupted`` (Ctrl-C: it said ``ok``), ``failed``."""
        from crawler.run import run_status

        if self.corpus is None or self.external_run or self.run_id is None:
            return
        stats = {**self.crawler.stats.get_stats(), "finish_reason": reason}
        summary = {k: v for k, v in stats.items() if isinstance(v, (int, float, str))}
        try:
            self.corpus.finish_run(self.run_id, stats=summary, status=run_status(stats))
        except Exception as exc:  # noqa: BLE001 - full or damaged: the next run closes it
            logger.info("could not close run #%s: %s", self.run_id, exc)
        finally:
            self.corpus.close()
            self.corpus = None
            if self.claim is not None:
                self.claim.release()

    async def process_item(self, item: Any, spider=None) -> Any:
        if self.stopping:  # the disk is full: what still arrives is fetched again next time
            return item
        try:
            await self._store(item)
        except Exception as exc:  # noqa: BLE001 - recorded with its URLs, never silently lost
            if not storage_full(exc) and not damaged(exc):
                self._store_failed(item, exc)
            else:  # once: the documents in flight meet the same full disk
                # Every further document would fail the same way: stop, keeping what is stored
                # (each document is one transaction); the next run fetches the rest. Writing on
                # a damaged corpus would spread the damage. (A full disk was an ERROR line in
                # the log besides the command's own: two lines.)
                self._stop(exc)
        return item

    def _store_failed(self, item: Any, exc: Exception) -> None:
        """An item the corpus refused (a bug, a locked database): an error row per document,
        kind ``store`` (the nightly fetches them again next time), and one log line."""
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        urls = [d.url for d in item.documents] if isinstance(item, ReportCandidate) else [item.url]
        logger.error("could not store %s: %s", urls[0], reason)
        self.crawler.stats.inc_value("nianbao/errors/store", len(urls))
        try:
            for url in urls:
                self.corpus.record_error(url=url, site_url=item.site_url, kind="store",
                                         reason=reason, run_id=self.run_id)
        except Exception as again:  # noqa: BLE001 - the corpus is unusable: the log says it
            logger.error("could not record that error either: %s", again)

    async def _store(self, item: Any) -> None:
        if isinstance(item, CrawlError):
            self.corpus.record_error(url=item.url, site_url=item.site_url, kind=item.kind, status=item.status,
                                     reason=item.reason, run_id=self.run_id)
        elif isinstance(item, SeenDocument):
            self.corpus.mark_seen(item.url, self.run_id)
            self.crawler.stats.inc_value("nianbao/documents/unchanged_304")
        elif isinstance(item, ReportCandidate):
            await self.store_candidate(item)

    async def _parse_one(self, doc: FetchedDocument, page_metadata: dict) -> tuple[dict | None, str | None]:
        try:
            d = self.limit.run(threads.deferToThread, self.parse, doc.body, doc.content_type, doc.url,
                               page_metadata or None, self.timeout)
            return await maybe_deferred_to_future(d), None
        except Exception as exc:  # noqa: BLE001 - ParseError or a crash of the bounded child: recorded
            return None, " ".join(str(exc).split())[:300] or type(exc).__name__

    async def store_candidate(self, item: ReportCandidate) -> None:
        stats = self.crawler.stats
        parsed_docs: list[tuple[FetchedDocument, dict]] = []
        for doc in item.documents:
            parsed, error = await self._parse_one(doc, item.page_metadata)
            stats.inc_value("nianbao/documents/parsed")
            if parsed is None:
                stats.inc_value("nianbao/errors/parse")
                self.corpus.record_error(url=doc.url, site_url=item.site_url, kind="parse", status=doc.status,
                                         reason=error or "parse failed", run_id=self.run_id)
                continue
            if parsed.get("is_annual_report"):
                parsed_docs.append((doc, parsed))
            else:
                stats.inc_value("nianbao/documents/not_report")
        # One report per (agency, year): a page and its attachment are the same report.
        groups: dict[tuple[str, Any], list[tuple[FetchedDocument, dict]]] = {}
        for doc, parsed in parsed_docs:
            groups.setdefault((agency_key(parsed.get("agency")), parsed.get("year")), []).append((doc, parsed))
        self._merge_nameless(groups)
        for (agency, year), members in groups.items():
            members.sort(key=lambda m: -filled_cells(m[1]))   # stable: the page wins a tie
            best_doc, best = members[0]
            key = (agency, year)
            sha = hashlib.sha256(best_doc.body).hexdigest()
            # A later posting of a report stored in this run replaces it only as a correction, or
            # with more cells (the page was stored, now the attachment with the tables comes).
            rank = (correction_rank(best, item.page_metadata), filled_cells(best))
            if sha in self._stored_sha or (agency and year and key in self._stored_key
                                           and self._stored_key[key] >= rank):
                stats.inc_value("nianbao/reports/duplicates")
                self.corpus.mark_seen(best_doc.url, self.run_id)
                continue
            if not rank[0] and self._degraded(item, best_doc, best):
                continue
            if rank[0]:
                # Tell the corpus this posting supersedes an earlier one of the same report (it
                # would otherwise keep the first copy when the cell counts are equal).
                best = {**best, "correction": True}
            page_url = best_doc.page_url if best_doc.page_url != best_doc.url else None
            if best_doc is not item.documents[0] and len(item.documents) > 1:
                page_url = item.documents[0].url           # the article page that holds the link
            result = self.corpus.store_document(
                data=best_doc.body, url=best_doc.url, content_type=best_doc.content_type,
                status=best_doc.status, headers=best_doc.headers, fetched_at=best_doc.fetched_at,
                page_url=page_url, site_url=item.site_url, parsed=best, parse_error=None,
                # only this report's own other copies: URLs of other reports would merge them
                related_urls=tuple(dict.fromkeys(
                    [*(d.url for d, _ in members[1:] if d.url != best_doc.url),
                     *(u for d in item.documents for u in d.part_urls)])), run_id=self.run_id)
            self._stored_sha.add(sha)
            if agency and year:
                self._stored_key[key] = rank
            stats.inc_value("nianbao/reports/stored")
            stats.inc_value(f"nianbao/reports/{result.get('status', 'new')}")

    def _degraded(self, item: ReportCandidate, doc: FetchedDocument, parsed: dict) -> bool:
        """A stored report's URL answering a copy in which far fewer of the tables' cells are
        found than were stored (a body cut short by the server or a proxy, with a Content-Length
        to match, or a half-written file) is not stored over it: an ``errors`` row of kind
        ``degraded``, the stored report kept and seen. Found cells count printed blanks and
        null markers too, so a re-publication printing its zeros as "—" is no loss; a truncated
        copy loses whole tables."""
        raw = parsed.get("cells_raw")
        if not isinstance(raw, dict):
            return False
        found: dict[str, int] = {}
        for key, value in raw.items():
            if value is not None:
                found[key.split(".", 1)[0]] = found.get(key.split(".", 1)[0], 0) + 1
        try:
            stored = dict(self.corpus.db.execute(
                'SELECT c."table", count(*) FROM cells c WHERE c.report_id = (SELECT report_id FROM '
                "document_urls WHERE url = ?) AND (c.kind IS NULL OR c.kind != 'missing') "
                'GROUP BY c."table"', [doc.url]).fetchall())
        except Exception:  # noqa: BLE001 - no such table yet (a first crawl): nothing to degrade
            return False
        old, new = sum(stored.values()), sum(found.values())
        lost = [t for t in TABLES if stored.get(t, 0) >= 5 and not found.get(t)]
        if old < 20 or (new >= DEGRADED_SHARE * old and not lost):
            return False
        reason = (f"the copy fetched has {new} of the {old} table cells stored"
                  + (f", none of table {', '.join(lost)}" if lost else "")
                  + ": the stored report is kept (a truncated or broken copy?)")
        logger.warning("%s: %s", doc.url, reason)
        self.crawler.stats.inc_value("nianbao/errors/degraded")
        self.corpus.record_error(url=doc.url, site_url=item.site_url, kind="degraded", status=doc.status,
                                 reason=reason, run_id=self.run_id)
        self.corpus.mark_seen(doc.url, self.run_id)
        return True

    @staticmethod
    def _merge_nameless(groups: dict) -> None:
        """An attachment whose parse found no agency joins the named report of the same year."""
        for key in [k for k in groups if not k[0]]:
            named = [k for k in groups if k[0] and k[1] == key[1]]
            if len(named) == 1:
                groups[named[0]].extend(groups.pop(key))
