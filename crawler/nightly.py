"""``nianbao nightly``: the scheduled job — an incremental crawl plus the corpus' history.

    $ nianbao nightly --sites data/sites.csv --db data/corpus.db
    crawl: 255 sites, 812 pages, 4 reports stored (3 new, 1 changed), 2 errors (http 2)
    nightly run #42: 1020 requests (698 not modified), 3 new, 1 changed, 2 removed, 2 errors;
    3120 known documents not fetched again

One night, in order:

1. **Lock** (:mod:`crawler.lock`): one run per database; a second start exits 1 with one line;
   a lock left by a killed run is taken over.
2. **Run row**: a ``crawl_runs`` row (kind ``nightly``). A run that was interrupted less than
   ``NIANBAO_RESUME_HOURS`` (20) ago is *resumed*: same row, and what it already stored is not
   fetched again. Older ones are closed as ``interrupted``.
3. **Crawl** (:func:`crawler.run.run_crawl`, the ``reports`` spider) with the incremental
   middlewares of :mod:`crawler.incremental`: lists revisited with conditional GETs, known
   documents not fetched again, dead ends skipped.
4. **History** (:func:`finalize`): documents still listed are marked seen; known documents that
   answered 404/410, or that no list links any more, are marked removed (never deleted) — the
   latter only for sites whose pages all answered this night; the crawl graph learns which
   pages lead to reports; the run row gets its counts (requests, 304s, new, changed, removed,
   errors by kind) and, per site, ``site_runs``.

Everything the job keeps besides the corpus is in ``<db>.nightly/`` (the lock, the crawl graph
``frontier.db``, the HTTP cache of list pages). Deleting that folder costs one full crawl, nothing
else. Tunables (environment): ``NIANBAO_REVALIDATE_DAYS`` (30; 0 re-checks every known document
every night), ``NIANBAO_DEEP_WALK_DAYS`` (7: every page of every list is read at least this
often), ``NIANBAO_REDISCOVER_DAYS`` (7: sites are discovered from their seed and dead ends
explored again after this), ``NIANBAO_ROBOTS_CACHE_HOURS`` (20), ``NIANBAO_RESUME_HOURS`` (20).
See docs/nightly.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from corpus.preflight import CorpusUnusable, check_corpus_file
from crawler.errors import NO_ANSWER_KINDS, storage_full
from crawler.frontier import Frontier
from crawler.incremental import SOFT_404, incremental_settings, merge_middlewares
from crawler.lock import LockHeld, RunLock
from crawler.run import check_raw_dir
from crawler.seeds import load_sites

# "No longer listed" removals per site and night are capped: above both limits the night is
# suspected of having missed the lists, and nothing is marked (a warning says so).
MAX_REMOVED_AT_ONCE = 5
REMOVED_FRACTION = 0.5


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def state_dir_for(db: str | os.PathLike[str]) -> Path:
    """The nightly state folder beside the database: ``corpus.db`` → ``corpus.db.nightly/``."""
    path = Path(db)
    return path.with_name(path.name + ".nightly")


def sites_key(sites: str | os.PathLike[str], spider: str = "reports") -> str:
    """One key per spider and sites file (runs of different seed lists are resumed separately)."""
    path = Path(sites).resolve()
    return f"{spider}-{path.stem}-{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _hours_since(text: str | None) -> float:
    then = _parse_time(text)
    if then is None:
        return float("inf")
    return (datetime.now(UTC) - then).total_seconds() / 3600


def run_nightly(sites: str, db: str, allow_private: bool = False, redis_url: str | None = None,
                raw_dir: str | None = None, log_level: str = "WARNING") -> int:
    """The ``nianbao nightly`` command (see module docstring).

    :param sites: the seed CSV
    :param db: the SQLite corpus (created on the first night)
    :param allow_private: allow hosts resolving to loopback/private addresses
    :param redis_url: share the crawl frontier with other workers through Redis
        (:mod:`crawler.distributed`)
    :param raw_dir: where raw documents are kept (default beside the database)
    :param log_level: Scrapy log level
    :returns: 0 when the run completed; 1 on failure (one line on stderr); 130 when interrupted
        (the next run resumes)
    """
    seeds = load_sites(sites)  # an unreadable sites file: one line from the CLI, before locking
    # A directory, not SQLite, damaged (also deep inside: quick_check), newer: idem.
    check_corpus_file(db, must_exist=False, thorough=True)
    check_raw_dir(raw_dir)
    state = state_dir_for(db)
    try:
        state.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a read-only medium, a folder of someone else's
        raise CorpusUnusable(f"cannot write the nightly state {state} beside the corpus: "
                             f"{exc.strerror or exc}") from None
    lock = RunLock(state / "lock", shared=bool(redis_url))
    try:
        lock.acquire()
    except LockHeld as exc:
        print(f"nianbao nightly: error: {exc}", file=sys.stderr)
        return 1
    try:
        return _run_locked(sites, db, seeds, state, allow_private, redis_url, raw_dir, log_level)
    except (sqlite3.OperationalError, OSError) as exc:
        if not storage_full(exc):
            raise
        # What is stored stays (one transaction per document); the run stays open to resume.
        print(f"nianbao nightly: error: storage full or failing ({exc}); free space (or lift "
              "the file size limit), the next run resumes where this one stopped", file=sys.stderr)
        return 1
    finally:
        lock.release()


def _open_run(db: str, raw_dir: str | None, frontier: Frontier, key: str, sites: str,
              kind: str) -> tuple[int, bool, Any]:
    """The run id to use: an interrupted recent run is resumed, else a new one starts; and
    this process' claim on it (:mod:`corpus.runclaim`). Rows of runs whose process died
    unclosed (``kill -9``) are closed as ``aborted`` on the way."""
    from corpus.runclaim import claim_run, close_stale_runs
    from corpus.store import Corpus

    corpus = Corpus(db, raw_dir=raw_dir)
    try:
        run_id, resumed = _pick_run(corpus, db, frontier, key, sites, kind, close_stale_runs)
    finally:
        corpus.close()
    return run_id, resumed, claim_run(db, run_id)


def _pick_run(corpus: Any, db: str, frontier: Frontier, key: str, sites: str, kind: str,
              close_stale_runs: Any) -> tuple[int, bool]:
    if (corpus.db.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] == 0
            and frontier.completed_runs()):
        # A new corpus beside an old state folder: what the state remembers (run ids,
        # pages that led to reports stored elsewhere) does not belong to it.
        frontier.forget()
    pending = frontier.unfinished_run(key)
    close_stale_runs(corpus, db, keep={int(pending["run_id"])} if pending else set())
    if pending is not None:
        row = corpus.db.execute("SELECT status, started_at FROM crawl_runs WHERE id = ?",
                                [pending["run_id"]]).fetchone()
        fresh = _hours_since(pending["started_at"]) < _env_float("NIANBAO_RESUME_HOURS", 20)
        # An interrupted night's row says so (``interrupted``: a signal; ``running``: a
        # kill -9 or power cut; ``aborted``: closed by a crawl meanwhile): resumed, it is
        # running again.
        if row is not None and row[0] in RESUMABLE and fresh:
            corpus.db["crawl_runs"].update(pending["run_id"], {
                "status": "running", "finished_at": None})
            return int(pending["run_id"]), True
        if row is not None and row[0] in RESUMABLE:
            corpus.finish_run(pending["run_id"], stats={"interrupted": True},
                              status="interrupted")
        frontier.end_run(pending["run_id"], "interrupted")
    run_id = corpus.start_run(kind=kind, sites_file=str(sites))
    frontier.begin_run(run_id, key)
    return run_id, False


# crawl_runs statuses of a night that did not end, which the next start resumes.
RESUMABLE = ("running", "interrupted", "aborted")


def _run_locked(sites: str, db: str, seeds: list, state: Path, allow_private: bool,
                redis_url: str | None, raw_dir: str | None, log_level: str) -> int:

    with _corpus_guard(state):  # workers starting together: one creates the state at a time
        frontier = Frontier(state / "frontier.db")
    key = sites_key(sites)
    kind = "nightly-worker" if redis_url else "nightly"
    if redis_url:
        key += f"-worker-{os.getpid()}"  # workers share the frontier in Redis, not their runs
    # Workers of a distributed crawl start together: one at a time creates/migrates the corpus.
    with _corpus_guard(state):
        run_id, resumed, claim = _open_run(db, raw_dir, frontier, key, sites, kind)
    frontier.close()
    try:
        return _night(sites, db, seeds, state, allow_private, redis_url, raw_dir, log_level,
                      run_id, resumed)
    finally:
        claim.release()


def _night(sites: str, db: str, seeds: list, state: Path, allow_private: bool,
           redis_url: str | None, raw_dir: str | None, log_level: str, run_id: int,
           resumed: bool) -> int:
    from crawler.run import crawl_settings, run_crawl

    if resumed:
        print(f"nightly: resuming interrupted run #{run_id}", file=sys.stderr)
    extra = incremental_settings(
        state, run_id, db, raw_dir, revalidate_days=_env_float("NIANBAO_REVALIDATE_DAYS", 30),
        robots_cache_hours=_env_float("NIANBAO_ROBOTS_CACHE_HOURS", 20),
        rediscover_days=_env_float("NIANBAO_REDISCOVER_DAYS", 7),
        deep_walk_days=_env_float("NIANBAO_DEEP_WALK_DAYS", 7))
    extra["NIANBAO_RUN_ID"] = run_id
    # Unattended, the progress bar would be drawn into the cron mail or the journal, above the
    # one line that says what went wrong: on a terminal only.
    extra["NIANBAO_PROGRESS"] = sys.stderr.isatty()
    extra["NIANBAO_RECHECK_REMOVED_DAYS"] = _env_float("NIANBAO_RECHECK_REMOVED_DAYS", 3)
    worker = None
    project = crawl_settings(allow_private)
    merge_middlewares(project, extra)
    if redis_url:
        from crawler.distributed import RedisUnavailable, RedisWorker, merge_extensions

        worker = RedisWorker(redis_url, sites_key(sites))
        try:
            # What the job's last worker needs to decide removals for all (see below).
            extra.update(worker.join(member={
                "pid": os.getpid(), "host": socket.gethostname(), "run_id": run_id,
                "db": str(Path(db).resolve()), "state": str(state.resolve())}))
        except RedisUnavailable as exc:
            _fail(db, raw_dir, state, run_id, str(exc))
            print(f"nianbao nightly: error: {exc}", file=sys.stderr)
            return 1
        merge_extensions(project, extra)
    members = None
    try:
        try:
            crawled = run_crawl(sites, db, allow_private=allow_private, raw_dir=raw_dir,
                                log_level=log_level, extra_settings=extra, quiet_failure=True,
                                check_db=False)
        except Exception as exc:
            _fail(db, raw_dir, state, run_id, f"crawl crashed: {exc}")
            raise
        # A Redis worker leaves its job only once its run is finalized: a worker starting
        # meanwhile joins the job (and finds its frontier done) instead of opening a new one
        # on a state that does not show this run completed yet.
        with worker.keep_alive() if worker is not None else nullcontext():
            outcome = _close_run(db, raw_dir, state, run_id, seeds, redis_url,
                                 interrupted=crawled == 130)
    finally:
        if worker is not None:
            members = worker.leave()
    if isinstance(outcome, int):
        return outcome
    summary = outcome
    if members and summary["status"] == "ok":
        # The last worker of a job: "no longer listed" for the whole job, when it can be told.
        from crawler.distributed import decide_job_removals

        with _corpus_guard(state):
            summary = decide_job_removals(db, raw_dir, state, run_id, seeds, members, summary)
    if summary["status"] != "ok":
        print(summary_line(run_id, summary), flush=True)
        print(f"nianbao nightly: error: {summary['failure']}", file=sys.stderr)
        return 1
    # A partial night: which sites did not answer and why, one line each — and the summary
    # last, the line an operator reads first in the morning's mail or journal.
    partial = partial_line(summary, len(seeds))
    if partial:
        print(partial, file=sys.stderr, flush=True)
        for line in site_failure_lines(db, raw_dir, run_id, summary):
            print(line, file=sys.stderr, flush=True)
    print(summary_line(run_id, summary), flush=True)
    return 0


def site_failure_lines(db: str, raw_dir: str | None, run_id: int, summary: dict[str, Any],
                       limit: int = 20) -> list[str]:
    """One line per site that did not answer in full tonight: its errors by kind and what the
    most frequent kind said (``www.x.gov.cn: dns 3 (DNS lookup failed: …)``). At most
    ``limit`` lines (the rest are counted): a night of a thousand sites with the network half
    down is read in Datasette (``errors``), not in the mail.

    :param summary: the finalized night (its ``removal_skipped_sites``)
    """
    from corpus.store import Corpus

    failed = summary.get("removal_skipped_sites") or []
    if not failed:
        return []
    why: dict[str, list[tuple[str, int, str]]] = {}
    try:
        with Corpus(db, raw_dir=raw_dir) as corpus:
            for site, kind, n, reason in corpus.db.execute(
                    "SELECT site_url, kind, count(*), max(reason) FROM errors WHERE run_id = ? "
                    "GROUP BY site_url, kind ORDER BY count(*) DESC", [run_id]).fetchall():
                why.setdefault(site, []).append((kind, n, reason or ""))
    except (sqlite3.Error, OSError, CorpusUnusable):
        pass
    lines = []
    for site in failed[:limit]:
        kinds = why.get(site) or []
        host = urlsplit(site).netloc or site
        counts = ", ".join(f"{kind} {n}" for kind, n, _ in kinds) or "no answer"
        reason = " ".join(kinds[0][2].split())[:140] if kinds and kinds[0][2] else ""
        lines.append(f"nightly: warning: {host}: {counts}" + (f" ({reason})" if reason else ""))
    if len(failed) > limit:
        lines.append(f"nightly: warning: … and {len(failed) - limit} more sites (table errors, "
                     f"run_id {run_id})")
    return lines


def partial_line(summary: dict[str, Any], n_sites: int) -> str | None:
    """The warning of a night some sites did not answer in full (exit 0 all the same: of a
    few hundred government sites, some are down any night). Empty stderr: a clean night; this
    one line: a partial one; exit 1: a failed one.

    >>> partial_line({"removal_skipped_sites": ["http://a.gov.cn/", "http://b.gov.cn/"]}, 5)
    'nightly: warning: 2 of 5 sites did not answer in full tonight (a.gov.cn, b.gov.cn): nothing of theirs was removed; they are read again next night'
    >>> partial_line({"removal_skipped_sites": []}, 5) is None
    True
    """
    failed = summary.get("removal_skipped_sites") or []
    if not failed:
        return None
    hosts = [urlsplit(url).netloc or url for url in failed]
    shown = ", ".join(hosts[:3]) + (f" and {len(hosts) - 3} more" if len(hosts) > 3 else "")
    return (f"nightly: warning: {len(failed)} of {n_sites} sites did not answer in full tonight "
            f"({shown}): nothing of theirs was removed; they are read again next night")


def _close_run(db: str, raw_dir: str | None, state: Path, run_id: int, seeds: list,
               redis_url: str | None, interrupted: bool = False) -> dict[str, Any] | int:
    """After the crawl: the finalized run's summary, or the exit code of an interrupted one.

    :param interrupted: the crawl was stopped by a signal (a second Ctrl-C stops it at once,
        before the frontier hears of it)
    """
    with _corpus_guard(state):
        frontier = Frontier(state / "frontier.db")
    try:
        reason = frontier.close_reason(run_id, os.getpid())
        if reason != "finished":
            signalled = reason == "shutdown" or (interrupted and reason is None)
            how = {"shutdown": "Ctrl-C or SIGTERM"}.get(reason or "", reason or "killed")
            if interrupted and reason is None:
                how = "Ctrl-C or SIGTERM, stopped at once"  # a second one, or during set-up
            if signalled:  # (storage full: left running, as the docs say; resumed all the same)
                _mark_interrupted(db, raw_dir, run_id, how)
            if reason == "corpus damaged":
                from corpus.preflight import damage_line

                print(f"nianbao nightly: error: {damage_line(db, 'database disk image is malformed')}"
                      f"; run #{run_id} stopped at the first write that met it", file=sys.stderr)
                return 1
            print(f"nianbao nightly: interrupted ({how}); run #{run_id} resumes at "
                  "the next start", file=sys.stderr)
            return 130 if signalled else 1
        # A worker of a distributed crawl sees only part of the lists: "no longer listed" needs
        # the whole picture; the job's last worker decides it (crawler.distributed).
        with _corpus_guard(state):
            return finalize(db, raw_dir, frontier, run_id, seeds, detect_removals=not redis_url)
    finally:
        frontier.close()


def _mark_interrupted(db: str, raw_dir: str | None, run_id: int, how: str) -> None:
    """The row of a night stopped by a signal says so (it said ``running``, as if the night
    went on); the frontier keeps the run open, and the next start resumes it
    (:data:`RESUMABLE`). A corpus that cannot be written keeps ``running`` (resumed too)."""
    from corpus.store import Corpus, utc_now

    try:
        with Corpus(db, raw_dir=raw_dir) as corpus:
            corpus.db["crawl_runs"].update(run_id, {
                "status": "interrupted", "finished_at": utc_now(),
                "stats": json.dumps({"stopped": how, "resumes": True})})
    except (sqlite3.Error, OSError, CorpusUnusable):
        pass


@contextmanager
def _corpus_guard(state: Path) -> Iterator[None]:
    """Exclusive while opening (and maybe creating) the corpus: WAL switching and migrations
    must not race between workers started together. A bare ``flock``: held for a moment, it
    names no holder (a run killed while holding it left one behind, and the next start warned
    of "taking over stale lock … corpus.lock" in the cron mail)."""
    import fcntl

    fd = os.open(state / "corpus.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # the lock goes with the descriptor


@contextmanager
def corpus_opening(db: str | os.PathLike[str]) -> Iterator[None]:
    """The corpus guard (above) of ``db``'s state folder, made if missing: for the commands
    other than the night that open and start runs in the same corpus (``crawl``, ``scrapy
    crawl`` by hand)."""
    state = state_dir_for(db)
    state.mkdir(parents=True, exist_ok=True)
    with _corpus_guard(state):
        yield


def _fail(db: str, raw_dir: str | None, state: Path, run_id: int, reason: str) -> None:
    from corpus.store import Corpus

    with Corpus(db, raw_dir=raw_dir) as corpus:
        corpus.finish_run(run_id, stats={"failure": reason}, status="failed")
    frontier = Frontier(state / "frontier.db")
    frontier.end_run(run_id, "failed", json.dumps({"failure": reason}))
    frontier.close()


def _seen_closure(seen: set[str], rows: list[dict[str, Any]]) -> set[str]:
    """URLs still reachable: the seen ones and, transitively, what their pages link
    (the attachment of a report page that was itself seen)."""
    children: dict[str, list[str]] = {}
    for row in rows:
        if row["page_url"]:
            children.setdefault(row["page_url"], []).append(row["url"])
    out, todo = set(seen), list(seen)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def seen_and_gone(frontier: Frontier, run_ids: list[int], rows: list[dict[str, Any]]
                  ) -> tuple[set[str], dict[str, int]]:
    """Report URLs still listed in these runs (the processes of one night), and those that
    answered 404/410 or "page not found" (URL → status).

    :param rows: the corpus' ``document_urls`` as :func:`finalize` reads them
    """
    gone: dict[str, int] = {}
    direct: set[str] = set()
    for run_id in run_ids:
        gone.update(frontier.gone_urls(run_id))
        direct |= frontier.seen_urls(run_id)
    # What hangs from a seen page counts as seen, but does not bring back a URL marked
    # removed: the page may have been read since and no longer link it (页面不存在).
    removed_before = {r["url"] for r in rows if r["removed_at"] is not None}
    seen = {u for u in _seen_closure(direct, rows) if u in direct or u not in removed_before}
    # A URL that answered 404/410 (or a "page not found" page) tonight was last seen on an
    # earlier night, even if a list still links it.
    return seen - set(gone), gone


def unlisted_removals(rows: list[dict[str, Any]], seen: set[str], removed: dict[str, str],
                      failed_sites: set[str], seed_urls: set[str], started: datetime | None
                      ) -> tuple[dict[str, str], dict[str, int]]:
    """Known report URLs no list links any more: (URL → "no longer listed", suspended sites).

    Only for sites whose pages all answered (``failed_sites`` are skipped) and URLs last seen
    before ``started``; a site missing more than :data:`MAX_REMOVED_AT_ONCE` and
    :data:`REMOVED_FRACTION` of its reports at once gets nothing marked (site → count).
    """
    unlisted: dict[str, list[str]] = {}
    known: dict[str, int] = {}
    for r in rows:
        if r["removed_at"] is not None or r["site"] not in seed_urls:
            continue
        known[r["site"]] = known.get(r["site"], 0) + 1
        if (r["url"] not in seen and r["url"] not in removed
                and r["site"] not in failed_sites and started is not None
                and (_parse_time(r["last_seen"]) or started) < started):
            unlisted.setdefault(r["site"], []).append(r["url"])
    out: dict[str, str] = {}
    suspended: dict[str, int] = {}
    for site, urls in unlisted.items():
        # Sites rarely take down many reports at once; a crawl that suddenly misses
        # most of a site's lists (a redesign, a parser regression) must not wipe it.
        if len(urls) > max(MAX_REMOVED_AT_ONCE, REMOVED_FRACTION * known[site]):
            suspended[site] = len(urls)
            continue
        for url in urls:
            out[url] = "no longer listed"
    return out, suspended


def moved_elsewhere(cdb: Any, removed: dict[str, str], seen: set[str],
                    started: datetime | None) -> dict[str, str]:
    """Of the URLs about to be marked removed, those whose bytes are still served at a URL of
    the same report seen or stored tonight: the report moved (a new column, a redesign, an old
    URL answering 404 or 301), it was not taken down. URL → ``moved to <that URL>``."""
    out: dict[str, str] = {}
    for url in removed:
        for other, last_seen in cdb.execute(
                "SELECT o.url, o.last_seen FROM document_urls u JOIN document_urls o ON "
                "o.sha256 = u.sha256 AND o.report_id = u.report_id AND o.url != u.url AND "
                "o.removed_at IS NULL WHERE u.url = ? AND u.sha256 IS NOT NULL "
                "ORDER BY o.last_seen DESC", [url]):
            tonight = other in seen or (started is not None and (_parse_time(last_seen) or started)
                                        >= started and last_seen is not None)
            if tonight and other not in removed:
                out[url] = f"moved to {other}"
                break
    return out


def note_dropped_sites(cdb: Any, run_id: int, rows: list[dict[str, Any]],
                       seed_urls: set[str]) -> list[str]:
    """Sites the corpus holds reports of that the sites file no longer names: their reports
    are kept as they are — not re-checked, not marked removed. Said once on stderr, the first
    night a site is missing (the run's ``stats`` list them every night)."""
    counts: dict[str, int] = {}
    for r in rows:
        if r["site"] and r["site"] not in seed_urls:
            counts[r["site"]] = counts.get(r["site"], 0) + 1
    before: set[str] = set()
    prev = cdb.execute("SELECT stats FROM crawl_runs WHERE id < ? AND kind LIKE 'nightly%' "
                       "AND status = 'ok' ORDER BY id DESC LIMIT 1", [run_id]).fetchone()
    try:
        before = set(json.loads(prev[0] or "{}").get("sites_not_in_list") or ()) if prev else set()
    except (TypeError, ValueError):
        pass
    fresh = sorted(set(counts) - before)
    if fresh and prev is not None:
        shown = ", ".join(f"{site} ({counts[site]} URLs)" for site in fresh[:3])
        more = f" and {len(fresh) - 3} more" if len(fresh) > 3 else ""
        print(f"nightly: note: {len(fresh)} site(s) of the corpus not in the sites file any "
              f"more: {shown}{more}; their reports are kept as they are (not re-checked, not "
              "marked removed)", file=sys.stderr)
    return sorted(counts)


def warn_suspended(suspended: dict[str, int]) -> None:
    for site, n in suspended.items():
        print(f"nightly: warning: {n} reports of {site} are no longer listed; not marked "
              "removed (too many at once — check the site or the crawler)", file=sys.stderr)


def finalize(db: str, raw_dir: str | None, frontier: Frontier, run_id: int, seeds: list,
             detect_removals: bool = True) -> dict[str, Any]:
    """After a completed crawl: seen/removed marks, the crawl graph, and the run's counts.

    :returns: the summary (also written to ``crawl_runs``): status, requests, not_modified,
        new_reports, changed_reports, removed, errors, errors_by_kind …
    """
    from corpus.store import Corpus

    corpus = Corpus(db, raw_dir=raw_dir)
    try:
        cdb = corpus.db
        started = _parse_time(cdb.execute("SELECT started_at FROM crawl_runs WHERE id = ?",
                                          [run_id]).fetchone()[0])
        rows = [dict(zip(("url", "page_url", "site", "last_seen", "removed_at"), r))
                for r in cdb.execute(
                    "SELECT u.url, u.page_url, s.url, u.last_seen, u.removed_at FROM "
                    "document_urls u LEFT JOIN sites s ON s.id = u.site_id").fetchall()]
        report_urls = {r["url"] for r in rows}
        frontier.mark_spine(report_urls)
        # Documents fetched but not stored (the corpus refused them: recorded as kind "store")
        # are fetched again next time, not remembered as pages that led nowhere.
        frontier.fetch_again([u for (u,) in cdb.execute(
            "SELECT DISTINCT url FROM errors WHERE run_id = ? AND kind = 'store'", [run_id])])
        seen, gone = seen_and_gone(frontier, [run_id], rows)
        for url in sorted(seen):
            corpus.mark_seen(url, run_id)
        removed: dict[str, str] = {}
        for url, status in gone.items():
            removed[url] = "soft 404 (page not found)" if status == SOFT_404 else f"HTTP {status}"
        failures = frontier.failures(run_id)
        failed_sites = {f["site"] for f in failures}
        seed_urls = {s.url for s in seeds}
        suspended: dict[str, int] = {}
        if detect_removals:
            unlisted, suspended = unlisted_removals(rows, seen, removed, failed_sites, seed_urls,
                                                    started)
            removed.update(unlisted)
        for url, reason in moved_elsewhere(cdb, removed, seen, started).items():
            removed[url] = reason
        for url, reason in removed.items():
            corpus.mark_removed(url, run_id, reason=reason)
        # Where the next night starts: the top of each report list, for sites that answered.
        modes = frontier.site_modes(run_id)
        ok_sites = seed_urls - failed_sites
        frontier.update_entries(run_id, report_urls, ok_sites)
        for site in seed_urls:
            # A Redis worker (detect_removals False) met only part of the lists: until the job's
            # last worker has put the night together, the next night starts from the seeds.
            frontier.set_site_state(site, full_done=modes.get(site) == "full" and site in ok_sites,
                                    needs_full=site in failed_sites or not detect_removals,
                                    walked=modes.get(site) == "lists" and site in ok_sites)
        summary = _run_stats(cdb, frontier, run_id, removed, rows)
        unreachable = seed_urls and seed_urls <= failed_sites
        nothing = _nothing_answered(summary)
        summary["status"] = "failed" if unreachable or nothing else "ok"
        # Nothing answered, with network-level failures (connection, DNS, timeout): the
        # network's line, naming them, even though every seed failed too.
        network = nothing and bool(set(summary["errors_by_kind"])
                                   & (NO_ANSWER_KINDS - {"unreachable", "private"}))
        if unreachable and not network:
            summary["failure"] = f"no site could be reached ({len(failures)} failed pages)"
        elif summary["status"] == "failed":
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(summary["errors_by_kind"].items()))
            summary["failure"] = (f"no site answered ({kinds}): is the network, the proxy or "
                                  "name resolution down?")
            if set(summary["errors_by_kind"]) & NO_ANSWER_KINDS == {"private"}:
                summary["failure"] = (f"every site was refused as a loopback or private address "
                                      f"({kinds}): give --allow-private to crawl such hosts")
        summary["removal_skipped_sites"] = sorted(failed_sites)
        summary["sites_not_in_list"] = note_dropped_sites(cdb, run_id, rows, seed_urls)
        summary["removal_suspended"] = suspended
        warn_suspended(suspended)
        record_run_end(corpus, frontier, run_id, summary)
        return summary
    finally:
        corpus.close()


def _nothing_answered(summary: dict[str, Any]) -> bool:
    """Not one site answered a single request, and requests failed for want of an answer: a
    night that crawled nothing (network or proxy down), not a quiet night (nothing asked)."""
    answered = sum(site.get("answered", 0) for site in summary["sites"].values())
    failed = sum(n for kind, n in summary["errors_by_kind"].items() if kind in NO_ANSWER_KINDS)
    return answered == 0 and failed > 0


def record_run_end(corpus: Any, frontier: Frontier, run_id: int,
                   summary: dict[str, Any]) -> None:
    """Close the run in both records: ``crawl_runs`` (with per-site rows) and the frontier."""
    corpus.finish_run(run_id, stats=summary, status=summary["status"])
    frontier.end_run(run_id, summary["status"], json.dumps(
        {k: v for k, v in summary.items() if k != "sites"}, ensure_ascii=False))


def _run_stats(cdb: Any, frontier: Frontier, run_id: int, removed: dict[str, str],
               rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts for ``crawl_runs`` / ``site_runs`` from the corpus and the crawl's processes."""
    procs = frontier.processes(run_id)
    total = {k: sum(int(p.get(k) or 0) for p in procs) for k in (
        "requests", "not_modified", "known_skipped", "known_revalidated", "dead_end_skipped",
        "cache_hits")}
    versions = cdb.execute(
        "SELECT r.site_id, s.url, v.version FROM report_versions v JOIN reports r ON "
        "r.id = v.report_id LEFT JOIN sites s ON s.id = r.site_id WHERE v.run_id = ?",
        [run_id]).fetchall()
    errors_by_kind = dict(cdb.execute("SELECT kind, count(*) FROM errors WHERE run_id = ? "
                                      "GROUP BY kind", [run_id]).fetchall())
    site_of = {r["url"]: r["site"] for r in rows}
    sites: dict[str, dict[str, int]] = {}

    def bump(site: str | None, key: str, n: int = 1) -> None:
        if site:
            entry = sites.setdefault(site, {"requests": 0, "answered": 0, "not_modified": 0,
                                            "new_reports": 0, "changed_reports": 0, "removed": 0,
                                            "errors": 0})
            entry[key] += n

    for _, site, version in versions:
        bump(site, "new_reports" if version == 1 else "changed_reports")
    # A URL whose report moved (``moved to …``) is marked too, but no report was taken down.
    moved = {url for url, why in removed.items() if why.startswith("moved to ")}
    for url in removed.keys() - moved:
        bump(site_of.get(url), "removed")
    for site, n in cdb.execute("SELECT site_url, count(*) FROM errors WHERE run_id = ? GROUP BY "
                               "site_url", [run_id]).fetchall():
        bump(site, "errors", n)
    for p in procs:
        for site, counts in json.loads(p.get("sites") or "{}").items():
            bump(site, "requests", counts.get("requests", 0))
            bump(site, "not_modified", counts.get("not_modified", 0))
            bump(site, "answered", counts.get("answered", 0))
    return {
        **total,
        "new_reports": sum(1 for v in versions if v[2] == 1),
        "changed_reports": sum(1 for v in versions if v[2] > 1),
        "removed": len(removed) - len(moved), "moved": len(moved), "removed_urls": removed,
        "errors": sum(errors_by_kind.values()), "errors_by_kind": errors_by_kind,
        "processes": len(procs), "sites": sites,
    }


def summary_line(run_id: int, s: dict[str, Any]) -> str:
    """The one-line summary a cron mail or journal shows."""
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(s["errors_by_kind"].items(),
                                                    key=lambda kv: -kv[1]))
    return (f"nightly run #{run_id}: {s['requests']} requests ({s['not_modified']} not modified), "
            f"{s['new_reports']} new, {s['changed_reports']} changed, {s['removed']} removed, "
            + (f"{s['moved']} moved, " if s.get("moved") else "")
            + f"{s['errors']} errors" + (f" ({kinds})" if kinds else "")
            + f"; {s['known_skipped']} known documents not fetched again"
            + (f" [resumed over {s['processes']} processes]" if s["processes"] > 1 else ""))
