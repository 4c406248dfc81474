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
  queue is non-empty or another worker is still busy (its pages may yield more requests). A
  worker takes a request from the queue and marks itself busy in one atomic step, so no worker
  ever sees "queue empty, nobody busy" while a popped request is on its way.
- :class:`SharedCacheStorage` — Scrapy's filesystem HTTP cache made safe for several processes
  on one state folder (workers fetch the same robots.txt): entries are written aside and
  renamed into place, a read that meets a half-replaced entry is a cache miss.
- :func:`decide_job_removals` — "no longer listed" for the whole job, decided by the last
  worker to leave when every worker finished and all wrote to the same corpus and state folder
  (no single worker sees every list); it also folds the workers' runs into one in the crawl
  graph, so that the next night starts from every list. Workers on several machines (one
  corpus each) get no such decision: each machine's crawl graph knows only its own pages, so
  ``merge`` cannot tell "not listed" from "listed, but read by another machine".

A worker stays a member of its job until its run is finalized (``nianbao nightly`` leaves after
:func:`crawler.nightly.finalize`): a worker started late joins the job and finds its frontier
done, instead of opening a new job on a state that does not yet show the run completed.

Corpus: workers on one machine may share one SQLite file (WAL, busy timeout). Workers on
several machines each write their own database; ``python -m crawler.distributed merge MAIN
WORKER...`` folds them into one (every stored document is stored again through
``Corpus.store_document``: idempotent, so a report found by two workers is one report).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import socket
import sys
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.extensions.httpcache import FilesystemCacheStorage

ALIVE_TTL = 60        # seconds a worker counts as alive without renewing
KEEP_ALIVE_EVERY = 10  # seconds between renewals while a worker finalizes its run (no reactor)
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

    def join(self, member: dict[str, Any] | None = None) -> dict[str, Any]:
        """Join tonight's job (or open it); returns the Scrapy settings for this worker.

        :param member: what the job's last worker needs to know about this one (``nianbao
            nightly`` gives pid, host, run_id, db and state folder; see
            :func:`decide_job_removals`)
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
            self.server.hset(f"{self.prefix}:members", self.worker,
                             json.dumps(member or {}, ensure_ascii=False))
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
            # Several processes share the state folder's HTTP cache (see SharedCacheStorage).
            "HTTPCACHE_STORAGE": "crawler.distributed.SharedCacheStorage",
            "NIANBAO_REDIS_PREFIX": self.prefix,
            "NIANBAO_REDIS_WORKER": self.worker,
        }

    def _delete_job(self, token: str) -> None:
        keys = list(self.server.scan_iter(f"{self.base}:{token}:*"))
        if keys:
            self.server.delete(*keys)

    @contextmanager
    def keep_alive(self) -> Iterator[None]:
        """Renew this worker's ``alive`` key from a thread while the block runs (finalizing a
        run after the crawl, when no Scrapy heartbeat does it)."""
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(KEEP_ALIVE_EVERY):
                try:
                    self.server.set(f"{self.prefix}:alive:{self.worker}", 1, ex=ALIVE_TTL)
                except Exception:  # noqa: BLE001 — Redis gone: the TTL decides, nothing to do here
                    pass

        thread = threading.Thread(target=renew, name="nianbao-keep-alive", daemon=True)
        if self.prefix:
            self.server.set(f"{self.prefix}:alive:{self.worker}", 1, ex=ALIVE_TTL)
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if thread.is_alive():
                thread.join(timeout=5)

    def leave(self) -> list[dict[str, Any]] | None:
        """Leave the job; the last worker deletes its keys.

        :returns: None while other workers are alive; for the last one, the member records of
            every worker that joined the job (``join(member=...)``), itself included
        """
        if not self.prefix:
            return None
        token = self.prefix.rsplit(":", 1)[1]
        with self.server.lock(f"{self.base}:lock", timeout=30, blocking_timeout=30):
            self.server.delete(f"{self.prefix}:alive:{self.worker}",
                               f"{self.prefix}:busy:{self.worker}")
            if self._live_workers(token):
                return None
            members = [json.loads(v) for v in
                       self.server.hgetall(f"{self.prefix}:members").values()]
            self._delete_job(token)
            current = self.server.get(f"{self.base}:run")
            if current in (token, token.encode()):
                self.server.delete(f"{self.base}:run")
            return members


def _import_scheduler():
    from scrapy_redis.scheduler import Scheduler

    return Scheduler


# Take the first request of the priority queue and, when there was one, mark the worker busy —
# in one step, so that another worker never sees the queue empty and nobody busy while this
# request is on its way to a downloader (it may yield more requests).
_POP_AND_MARK_BUSY = """
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if first[1] then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
end
return first[1]
"""


class SharedScheduler(_import_scheduler()):  # type: ignore[misc]
    """scrapy-redis' scheduler; report-page attachments and a split article's further pages stay
    in this worker's memory, and taking a request marks the worker busy (see
    :class:`IdleCoordination`)."""

    def open(self, spider: Any) -> Any:
        self.local: deque = deque()
        settings = spider.crawler.settings
        self.busy_key = (f"{settings.get('NIANBAO_REDIS_PREFIX')}:busy:"
                         f"{settings.get('NIANBAO_REDIS_WORKER')}")
        self._pop = self.server.register_script(_POP_AND_MARK_BUSY)
        return super().open(spider)

    def enqueue_request(self, request: Any) -> bool:
        if "group" in request.meta or "article" in request.meta:
            # Part of a page + attachments group (or of a split article's pages) the spider
            # assembles in memory: not picklable, and useless to another worker. Still noted in
            # the shared duplicate filter: a list elsewhere linking the same file directly is
            # then not fetched a second time by another worker.
            self.df.request_seen(request)
            self.local.append(request)
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/local")
            return True
        return super().enqueue_request(request)

    def next_request(self) -> Any:
        if self.local:
            return self.local.popleft()
        data = self._pop(keys=[self.queue.key, self.busy_key], args=[BUSY_TTL])
        if not data:
            return None
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return self.queue._decode_request(data)

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


class SharedCacheStorage(FilesystemCacheStorage):
    """Scrapy's filesystem HTTP cache for several processes on one folder.

    Scrapy writes an entry's files one after the other into their final folder: a second
    process reading meanwhile (two workers asking the same robots.txt) met a half-written
    entry and failed the request — robots.txt then went unread. Here an entry is written into
    a private folder and renamed into place; a reader reads every file of an entry from the
    one folder it opened, and treats anything missing or torn as a miss.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self._path_override: str | None = None

    def _get_request_path(self, spider: Any, request: Any) -> str:
        return self._path_override or super()._get_request_path(spider, request)

    def store_response(self, spider: Any, request: Any, response: Any) -> None:
        final = Path(super()._get_request_path(spider, request))
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.parent / f".{final.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
        try:
            self._path_override = str(tmp)  # Scrapy's own writer, into the private folder
            try:
                super().store_response(spider, request, response)
            finally:
                self._path_override = None
            old = final.parent / f"{tmp.name}.old"
            try:
                final.rename(old)  # readers of the old entry see it vanish: a miss, not a mix
            except FileNotFoundError:
                pass
            try:
                tmp.rename(final)
            except OSError:
                pass  # another worker put its copy of the same response there first
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def retrieve_response(self, spider: Any, request: Any) -> Any:
        path = super()._get_request_path(spider, request)
        try:
            if not _PROC_FD.is_dir():  # not Linux: best effort, compare the folder before/after
                before = os.stat(path).st_ino
                response = super().retrieve_response(spider, request)
                return response if os.stat(path).st_ino == before else None
            # Every file from the one folder open now, even if it is replaced meanwhile (an
            # open folder keeps its inode; a folder being deleted loses files: a miss).
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
            try:
                self._path_override = str(_PROC_FD / str(fd))
                return super().retrieve_response(spider, request)
            finally:
                self._path_override = None
                os.close(fd)
        except (OSError, EOFError, ValueError, pickle.UnpicklingError):
            return None  # missing, or removed while read


_PROC_FD = Path("/proc/self/fd")


# ---------------------------------------------------------------------- the job's removals
def _undecidable(members: list[dict[str, Any]], db: str, state: Path, frontier: Any) -> str:
    """Why "no longer listed" cannot be decided for this job ("" when it can)."""
    if not all("run_id" in m and "pid" in m for m in members):
        return "a worker did not say which run was its own"
    here = (socket.gethostname(), str(Path(db).resolve()), str(state.resolve()))
    apart = {(m.get("host"), m.get("db"), m.get("state")) for m in members} - {here}
    if apart:
        # Each machine's crawl graph (what its lists linked) is in its own state folder.
        return f"workers wrote to {len(apart) + 1} corpora"
    runs = {r["run_id"]: r["status"] for r in frontier.db.query("SELECT run_id, status FROM runs")}
    for m in members:
        reason = frontier.close_reason(m["run_id"], m["pid"])
        if reason != "finished" or runs.get(m["run_id"]) != "ok":
            # A worker that was stopped took the requests it held with it: lists went unread.
            return f"worker pid {m['pid']} did not finish ({reason or runs.get(m['run_id'])})"
    return ""


def decide_job_removals(db: str, raw_dir: str | None, state: Path, run_id: int, seeds: list,
                        members: list[dict[str, Any]], summary: dict[str, Any]
                        ) -> dict[str, Any]:
    """"No longer listed" for a whole Redis job, by its last worker after every worker left.

    A worker reads only the lists it happened to take from the queue; the job's runs together
    read them all. So when every member finished and all wrote to this corpus and state
    folder, the union of what their runs saw decides, with the single-process rules
    (:func:`crawler.nightly.unlisted_removals`: sites with a failed page skipped, at most a
    few at once). Removals are recorded under ``run_id`` (this worker's run) and added to its
    run row; otherwise the row notes why nothing was decided (``removal_undecided``).

    The crawl graph then shows the night as this one run (:meth:`Frontier.absorb_runs`) and
    gets the tops of every list for the next night (each worker's own finalize knew its part
    only, and left its sites needing a full discovery; undecided, they stay so).

    :param members: :meth:`RedisWorker.leave`'s member records
    :param summary: this worker's finalized summary (:func:`crawler.nightly.finalize`)
    :returns: the summary, updated
    """
    from corpus.store import Corpus
    from crawler.frontier import Frontier
    from crawler.nightly import (
        _parse_time,
        record_run_end,
        seen_and_gone,
        unlisted_removals,
        warn_suspended,
    )

    frontier = Frontier(state / "frontier.db")
    corpus = Corpus(db, raw_dir=raw_dir)
    try:
        why = _undecidable(members, db, state, frontier)
        if why:
            print(f"nightly: removals not decided for this job: {why}", file=sys.stderr)
            summary = {**summary, "removal_undecided": why}
            corpus.finish_run(run_id, stats=summary, status=summary["status"])
            return summary
        run_ids = sorted({int(m["run_id"]) for m in members})
        marks = ",".join("?" * len(run_ids))
        starts = [_parse_time(t) for (t,) in corpus.db.execute(
            f"SELECT started_at FROM crawl_runs WHERE id IN ({marks})", run_ids)]
        started = min((t for t in starts if t is not None), default=None)
        rows = [dict(zip(("url", "page_url", "site", "last_seen", "removed_at"), r))
                for r in corpus.db.execute(
                    "SELECT u.url, u.page_url, s.url, u.last_seen, u.removed_at FROM "
                    "document_urls u LEFT JOIN sites s ON s.id = u.site_id").fetchall()]
        # From here on the crawl graph shows the night as one run (this one).
        frontier.absorb_runs(run_id, run_ids)
        seen, gone = seen_and_gone(frontier, [run_id], rows)
        failed_sites = {f["site"] for f in frontier.failures(run_id)}
        seed_urls = {s.url for s in seeds}
        removed, suspended = unlisted_removals(rows, seen, {u: "" for u in gone}, failed_sites,
                                               seed_urls, started)
        for url, reason in removed.items():
            corpus.mark_removed(url, run_id, reason=reason)
        warn_suspended(suspended)
        # Where the next night starts, from the whole night (each worker knew its part only).
        ok_sites = seed_urls - failed_sites
        frontier.update_entries(run_id, {r["url"] for r in rows}, ok_sites)
        for site in seed_urls:
            frontier.set_site_state(site, full_done=site in ok_sites,
                                    needs_full=site in failed_sites)
        site_of = {r["url"]: r["site"] for r in rows}
        sites = {k: dict(v) for k, v in (summary.get("sites") or {}).items()}
        for url in removed:
            entry = sites.setdefault(site_of.get(url) or "", {"requests": 0, "not_modified": 0,
                                                             "new_reports": 0, "changed_reports": 0,
                                                             "removed": 0, "errors": 0})
            entry["removed"] = entry.get("removed", 0) + 1
        sites.pop("", None)
        summary = {**summary, "sites": sites, "removed": summary.get("removed", 0) + len(removed),
                   "removed_urls": {**summary.get("removed_urls", {}), **removed},
                   "removal_job_runs": run_ids,
                   "removal_skipped_sites": sorted(set(summary.get("removal_skipped_sites", []))
                                                   | failed_sites),
                   "removal_suspended": {**summary.get("removal_suspended", {}), **suspended}}
        record_run_end(corpus, frontier, run_id, summary)
        return summary
    finally:
        corpus.close()
        frontier.close()


# ---------------------------------------------------------------------- merging worker databases
def merge_databases(main: str, workers: list[str], progress: bool = True,
                    jobs: int | None = None) -> dict[str, int]:
    """Store every document of each worker database into ``main`` (idempotent).

    Documents are re-parsed from their raw bytes (the current parser; ``jobs`` at a time, one
    per CPU by default) with the worker's report title/agency/date as page metadata, and
    stored in their fetch order with their URLs, page, headers and fetch time. A document whose
    raw copy is missing is recorded in ``errors`` with its URL and skipped.

    :param progress: a progress bar on stderr (when it is a terminal)
    :returns: counts: documents, new, changed, unchanged, errors
    """
    import sqlite3
    from concurrent.futures import ThreadPoolExecutor

    from corpus.progress import progress_bar
    from corpus.rawstore import read_raw
    from corpus.reparse import _parse, in_order
    from corpus.runclaim import claim_run
    from corpus.store import Corpus
    from parsers.limits import preload

    counts = {"documents": 0, "new": 0, "changed": 0, "unchanged": 0, "errors": 0}
    for worker in workers:  # all present before anything is written
        if not Path(worker).is_file():
            raise FileNotFoundError(f"no worker database at {worker}")
    jobs = jobs or os.cpu_count() or 1
    preload()  # before the parse threads start forking
    with Corpus(main) as corpus, ThreadPoolExecutor(jobs) as pool:
        run_id = corpus.start_run(kind="merge", sites_file=",".join(workers))
        claim = claim_run(main, run_id)  # a merge killed midway: the next run closes it as aborted
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

            def parse(doc: tuple[Any, ...], path: Path = path) -> tuple[Any, ...]:
                url, _, sha, _, _, _, ctype, raw_path, _, title, agency, date, _ = doc
                data = read_raw(path.parent, raw_path, sha)  # a file or a pack slice
                if data is None:
                    return doc, None, None, f"raw copy missing in {path.name}"
                parsed, error = _parse(data, {"content_type": ctype, "url": url, "title": title,
                                              "agency": agency, "published_date": date})
                return doc, data, parsed, error

            bar = progress_bar(len(docs), f"merge {path.name}", " docs") if progress else None
            # parse_bounded forks a child per document: threads keep every CPU parsing, while
            # the documents are stored one at a time, in fetch order.
            for doc, data, parsed, error in in_order(pool, parse, docs, window=4 * jobs):
                (url, page_url, _, status, headers, fetched_at, ctype, _, site_url, _, _, _,
                 report_id) = doc
                counts["documents"] += 1
                if bar is not None:
                    bar.update()
                if data is None:
                    counts["errors"] += 1
                    corpus.record_error(url=url, kind="merge", reason=error, run_id=run_id)
                    continue
                related = [r[0] for r in src.execute(
                    "SELECT url FROM document_urls WHERE report_id = ? AND url != ?",
                    [report_id, url])] if report_id else []
                result = corpus.store_document(
                    data=data, url=url, content_type=ctype, status=status or 200,
                    headers=json.loads(headers or "{}"), fetched_at=fetched_at, page_url=page_url,
                    site_url=site_url, parsed=parsed, parse_error=error, related_urls=related,
                    run_id=run_id)
                counts[result["status"]] += 1
            if bar is not None:
                bar.close()
            src.close()
        corpus.finish_run(run_id, stats={"requests": 0, "new_reports": counts["new"],
                                         "changed_reports": counts["changed"], **counts})
        claim.release()
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
