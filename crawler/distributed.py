"""Several crawler processes, on one machine or many, working on one frontier (scrapy-redis).

    # on every machine, at the same time (each with its own or a shared --db):
    nianbao nightly --sites data/sites.csv --db data/corpus.db --redis redis://queue.internal:6379/0

With ``--redis URL`` the spider's requests go to one Redis priority queue and one Redis duplicate
filter (``scrapy_redis``), so each URL is fetched by exactly one worker. What this module adds:

- :class:`RedisWorker` — joining and leaving a *job* (one per sites file): the first worker of a
  night opens a fresh job token, so tonight's duplicate filter is not last night's; workers that
  start while one is alive join its token; the last one to leave deletes the job's keys. A worker
  that dies stops renewing its ``alive`` key (60 s TTL), so a dead night never blocks the next.
- :class:`SharedScheduler` — scrapy-redis' scheduler, except that the attachments of a report
  page stay with the worker that read the page (the spider assembles page + attachments in
  memory; they must not be fetched by another process).
- :class:`IdleCoordination` — an extension that keeps a worker from closing while the shared
  queue is non-empty or another worker is still busy (its pages may yield more requests).

Corpus: workers on one machine may share one SQLite file (WAL, busy timeout). Workers on
several machines each write their own database; ``python -m crawler.distributed merge MAIN
WORKER...`` folds them into one (every stored document is stored again through
``Corpus.store_document``: idempotent, so a report found by two workers is one report).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import uuid
from collections import deque
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

ALIVE_TTL = 60        # seconds a worker counts as alive without renewing
BUSY_TTL = 4          # seconds a worker counts as busy after its last busy heartbeat
EXTENSION = "crawler.distributed.IdleCoordination"
WORKER_CONCURRENCY = 4  # requests a worker takes from the shared queue at a time


class RedisUnavailable(Exception):
    """Redis cannot be reached (one line for the CLI)."""


class RedisWorker:
    """One worker's membership in a distributed job (see module docstring).

    :param url: ``redis://host:port/db``
    :param job: the job name shared by all workers (``crawler.nightly.sites_key``)
    """

    def __init__(self, url: str, job: str) -> None:
        import redis

        self.url = url
        self.base = f"nianbao:{job}"
        self.worker = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.server = redis.Redis.from_url(url, socket_connect_timeout=10, socket_timeout=30)
        self.prefix = ""

    def _live_workers(self, token: str) -> list[str]:
        return [k.decode() if isinstance(k, bytes) else k
                for k in self.server.scan_iter(f"{self.base}:{token}:alive:*")]

    def join(self) -> dict[str, Any]:
        """Join tonight's job (or open it); returns the Scrapy settings for this worker.

        :raises RedisUnavailable: Redis does not answer
        """
        import redis

        try:
            self.server.ping()
        except redis.RedisError as exc:
            raise RedisUnavailable(f"cannot reach Redis at {self.url}: {exc}") from None
        with self.server.lock(f"{self.base}:lock", timeout=30, blocking_timeout=30):
            token = self.server.get(f"{self.base}:run")
            token = token.decode() if isinstance(token, bytes) else token
            if not token or not self._live_workers(token):
                if token:  # a job whose workers all died: start clean
                    self._delete_job(token)
                token = uuid.uuid4().hex[:12]
                self.server.set(f"{self.base}:run", token)
            self.prefix = f"{self.base}:{token}"
            self.server.set(f"{self.prefix}:alive:{self.worker}", 1, ex=ALIVE_TTL)
        return {
            "SCHEDULER": "crawler.distributed.SharedScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
            "SCHEDULER_QUEUE_KEY": f"{self.prefix}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{self.prefix}:dupefilter",
            # Never flush on close: the other workers still use the queue (leave() cleans up).
            "SCHEDULER_PERSIST": True,
            "REDIS_URL": self.url,
            # Scrapy pulls from the scheduler until its downloader is full; a worker that pulls
            # 16 requests for 2 slots per host hoards work the other workers could do now.
            "CONCURRENT_REQUESTS": WORKER_CONCURRENCY,
            "NIANBAO_REDIS_PREFIX": self.prefix,
            "NIANBAO_REDIS_WORKER": self.worker,
        }

    def _delete_job(self, token: str) -> None:
        keys = list(self.server.scan_iter(f"{self.base}:{token}:*"))
        if keys:
            self.server.delete(*keys)

    def leave(self) -> bool:
        """Leave the job; the last worker deletes its keys. Returns True for the last one."""
        if not self.prefix:
            return False
        token = self.prefix.rsplit(":", 1)[1]
        with self.server.lock(f"{self.base}:lock", timeout=30, blocking_timeout=30):
            self.server.delete(f"{self.prefix}:alive:{self.worker}",
                               f"{self.prefix}:busy:{self.worker}")
            if self._live_workers(token):
                return False
            self._delete_job(token)
            current = self.server.get(f"{self.base}:run")
            if current in (token, token.encode()):
                self.server.delete(f"{self.base}:run")
            return True


def _import_scheduler():
    from scrapy_redis.scheduler import Scheduler

    return Scheduler


class SharedScheduler(_import_scheduler()):  # type: ignore[misc]
    """scrapy-redis' scheduler; report-page attachments stay in this worker's memory."""

    def open(self, spider: Any) -> Any:
        self.local: deque = deque()
        return super().open(spider)

    def enqueue_request(self, request: Any) -> bool:
        if "group" in request.meta:
            # Part of a page + attachments group the spider assembles in memory.
            self.local.append(request)
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/local", spider=self.spider)
            return True
        return super().enqueue_request(request)

    def next_request(self) -> Any:
        if self.local:
            return self.local.popleft()
        return super().next_request()

    def has_pending_requests(self) -> bool:
        return bool(self.local) or super().has_pending_requests()

    def __len__(self) -> int:
        return len(self.local) + super().__len__()


class IdleCoordination:
    """Keep a worker open while the shared queue has work or another worker is busy."""

    def __init__(self, crawler: Any) -> None:
        import redis

        s = crawler.settings
        self.crawler = crawler
        self.prefix = s["NIANBAO_REDIS_PREFIX"]
        self.worker = s["NIANBAO_REDIS_WORKER"]
        self.server = redis.Redis.from_url(s["REDIS_URL"], socket_timeout=30)
        self.loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> IdleCoordination:
        if not crawler.settings.get("NIANBAO_REDIS_PREFIX"):
            raise NotConfigured("not a distributed crawl")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any = None) -> None:
        from twisted.internet.task import LoopingCall

        self.loop = LoopingCall(self.heartbeat)
        self.loop.start(1.0, now=True)

    def heartbeat(self) -> None:
        """Every second: alive (long TTL) and, while anything is in flight here, busy."""
        self.server.set(f"{self.prefix}:alive:{self.worker}", 1, ex=ALIVE_TTL)
        engine = self.crawler.engine
        if engine is not None and not engine.spider_is_idle():
            self.server.set(f"{self.prefix}:busy:{self.worker}", 1, ex=BUSY_TTL)

    def _others_busy(self) -> bool:
        mine = f"{self.prefix}:busy:{self.worker}"
        for key in self.server.scan_iter(f"{self.prefix}:busy:*"):
            if (key.decode() if isinstance(key, bytes) else key) != mine:
                return True
        return False

    def spider_idle(self, spider: Any = None) -> None:
        queued = self.server.zcard(f"{self.prefix}:requests")
        if queued or self._others_busy():
            raise DontCloseSpider

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.server.delete(f"{self.prefix}:busy:{self.worker}")


def merge_extensions(settings: Any, extra: dict[str, Any]) -> None:
    """Add :class:`IdleCoordination` to the project's EXTENSIONS dict."""
    merged = dict(settings.getdict("EXTENSIONS"))
    merged[EXTENSION] = 510
    extra["EXTENSIONS"] = merged


# ---------------------------------------------------------------------- merging worker databases
def merge_databases(main: str, workers: list[str], progress: bool = True) -> dict[str, int]:
    """Store every document of each worker database into ``main`` (idempotent).

    Documents are re-parsed from their raw bytes (the current parser) with the worker's report
    title/agency/date as page metadata, and stored with their URLs, page, headers and fetch time.

    :returns: counts: documents, new, changed, unchanged, errors
    """
    import sqlite3

    from corpus.reparse import _parse
    from corpus.store import Corpus

    counts = {"documents": 0, "new": 0, "changed": 0, "unchanged": 0, "errors": 0}
    for worker in workers:  # all present before anything is written
        if not Path(worker).is_file():
            raise FileNotFoundError(f"no worker database at {worker}")
    with Corpus(main) as corpus:
        run_id = corpus.start_run(kind="merge", sites_file=",".join(workers))
        for worker in workers:
            path = Path(worker)
            src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            for row in src.execute("SELECT name, url, annual_report_url, region_code, level "
                                   "FROM sites"):
                corpus.ensure_site(*row)
            docs = src.execute(
                "SELECT u.url, u.page_url, u.sha256, u.http_status, d.headers, u.fetched_at, "
                "d.content_type, d.raw_path, s.url, r.title, r.agency, r.published_date, "
                "u.report_id FROM document_urls u JOIN documents d ON d.sha256 = u.sha256 "
                "LEFT JOIN sites s ON s.id = u.site_id LEFT JOIN reports r ON r.id = u.report_id "
                "WHERE u.sha256 IS NOT NULL ORDER BY u.fetched_at").fetchall()
            for (url, page_url, sha, status, headers, fetched_at, ctype, raw_path, site_url,
                 title, agency, date, report_id) in docs:
                raw = Path(raw_path) if raw_path else None
                if raw is not None and not raw.is_absolute():
                    raw = path.parent / raw
                if raw is None or not raw.is_file():
                    raw = path.parent / "raw" / sha[:2] / sha
                counts["documents"] += 1
                if not raw.is_file():
                    counts["errors"] += 1
                    continue
                data = raw.read_bytes()
                parsed, error = _parse(data, {"content_type": ctype, "url": url, "title": title,
                                              "agency": agency, "published_date": date})
                related = [r[0] for r in src.execute(
                    "SELECT url FROM document_urls WHERE report_id = ? AND url != ?",
                    [report_id, url])] if report_id else []
                result = corpus.store_document(
                    data=data, url=url, content_type=ctype, status=status or 200,
                    headers=json.loads(headers or "{}"), fetched_at=fetched_at, page_url=page_url,
                    site_url=site_url, parsed=parsed, parse_error=error, related_urls=related,
                    run_id=run_id)
                counts[result["status"]] += 1
            src.close()
        corpus.finish_run(run_id, stats={"requests": 0, "new_reports": counts["new"],
                                         "changed_reports": counts["changed"], **counts})
    return counts


def main(argv: list[str] | None = None) -> int:
    """``python -m crawler.distributed merge MAIN WORKER...``"""
    parser = argparse.ArgumentParser(prog="python -m crawler.distributed",
                                     description="Tools for distributed nightly crawls.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("merge", help="fold worker databases into one corpus")
    p.add_argument("main", help="the corpus to merge into (created if missing)")
    p.add_argument("workers", nargs="+", help="worker databases")
    args = parser.parse_args(argv)
    try:
        counts = merge_databases(args.main, args.workers)
    except Exception as exc:  # noqa: BLE001 — one line, never a traceback
        print(f"merge: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
              file=sys.stderr)
        return 1
    print(f"merge: {counts['documents']} documents, {counts['new']} new, {counts['changed']} "
          f"changed, {counts['unchanged']} unchanged, {counts['errors']} errors", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
