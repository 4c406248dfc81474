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
from pathlib import Path
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
              spider: str = "reports", quiet_failure: bool = False,
              check_db: bool = True) -> int:
    """Crawl the sites of a CSV and store their reports in ``db``; print a summary.

    :param sites: the seed CSV (name,url[,annual_report_url,region_code,level])
    :param db: the SQLite corpus
    :param allow_private: allow hosts resolving to loopback/private addresses
    :param raw_dir: where raw documents are kept (default beside the database)
    :param max_pages_per_site: page budget per site (default ``NIANBAO_MAX_PAGES_PER_SITE``)
    :param log_level: Scrapy log level
    :param extra_settings: more Scrapy settings (benchmarks, tests)
    :param skip_known: conditional GETs for documents already stored (nightly)
    :param quiet_failure: "no site answered" is returned, not printed (the nightly job says
        it in its own one line)
    :param check_db: open the corpus once before the reactor starts (:func:`open_corpus_check`);
        the nightly job has opened it already, under its lock
    :returns: 0 on success, 1 when no site answered at all
    :raises crawler.seeds.SeedError: the sites file is unreadable (the CLI prints one line)
    :raises corpus.preflight.CorpusUnusable: ``db`` cannot be used (idem)
    :raises CrawlFailed: the crawl did not start or ended early (idem)
    """
    seeds = load_sites(sites)               # fail early, with one line, before the reactor starts
    extra_settings = dict(extra_settings or {})
    claim = None
    if not extra_settings.get("NIANBAO_RUN_ID"):
        # The run's row is opened (and claimed: corpus.runclaim) here, not by the pipeline
        # inside the reactor: only here is it known how the crawl ended (a signal, a full
        # disk), and a row the process could not close is told from a live one by its claim.
        run_id, claim = open_corpus_check(db, raw_dir, run_kind="crawl", sites=sites,
                                          check=check_db)
        extra_settings["NIANBAO_RUN_ID"] = run_id
    elif check_db:
        open_corpus_check(db, raw_dir)
    try:
        return _crawl(sites, db, seeds, raw_dir, allow_private, max_pages_per_site, log_level,
                      extra_settings, skip_known, spider, quiet_failure, claim)
    except BaseException as exc:
        if claim is not None and not getattr(claim, "closed", False):
            status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            _close_own_run(db, raw_dir, claim, extra_settings, {"failure": str(exc)}, status)
        raise
    finally:
        if claim is not None:
            claim.release()


def _crawl(sites: str, db: str, seeds: list, raw_dir: str | None, allow_private: bool,
           max_pages_per_site: int | None, log_level: str, extra_settings: dict[str, Any],
           skip_known: bool, spider: str, quiet_failure: bool, claim: Any) -> int:
    """:func:`run_crawl` once the corpus is open (``claim``: this process opened the run's
    row and closes it at the end)."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.reports import ReportsSpider

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
    # Until Scrapy's own handlers are in place (once the reactor runs), a Ctrl-C or SIGTERM is
    # noted, not raised: raised inside the crawler's set-up it was a Twisted traceback.
    pending, previous = _hold_signals()
    process = CrawlerProcess(settings)
    for name in ("scrapy", "twisted", "py.warnings", "crawler", "protego"):
        logging.getLogger(name).setLevel(level)   # Scrapy's dictConfig sets its loggers to DEBUG
    spider_cls = ReportsSpider
    if spider != "reports":
        spider_cls = process.spider_loader.load(spider)
    crawler = process.create_crawler(spider_cls)
    process.crawl(crawler, sites=sites, db=db, raw_dir=raw_dir, max_pages_per_site=max_pages_per_site,
                  skip_known="1" if skip_known else "0")
    if not pending:
        from twisted.internet import reactor

        # A signal noted after the check above (Scrapy installs its handlers only once the
        # reactor runs) was lost: the crawl ran to its end and exited 0. Once the reactor
        # turns, Scrapy's handlers are in place: a noted signal is sent again, to them.
        reactor.callWhenRunning(reactor.callLater, 0, _resend, pending)
        process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = stats.get("finish_reason")
    if pending and reason is None:
        reason = stats["finish_reason"] = "shutdown"
    _after_reactor(reason in ("shutdown", None), previous)
    # A crawl stopped before its spider opened never closed its progress line: the command's
    # last line was glued to it ("crawl: 0 pages [00:00, ? pages/s]nianbao crawl: interrupted").
    for extension in getattr(getattr(crawler, "extensions", None), "middlewares", ()):
        if getattr(extension, "bar", None) is not None:
            extension.bar.close()
    if reason is None and "start_time" not in stats:
        # The spider never opened (a pipeline or extension failed to start): not a crawl.
        _close_own_run(db, raw_dir, claim, extra_settings, stats, "failed")
        raise CrawlFailed("the crawl could not start (see the log above)")
    print(summary_line(stats, len(seeds)), file=sys.stdout, flush=True)
    _close_own_run(db, raw_dir, claim, extra_settings, stats, run_status(stats))
    if reason in ("shutdown", None):
        # Ctrl-C / SIGTERM: Scrapy closed cleanly ("shutdown"); a second one stops the reactor
        # at once (no reason recorded). Each stored document is whole (one transaction).
        if not quiet_failure:
            how = "" if reason else ", forced"
            print(f"nianbao crawl: interrupted{how}; what was stored stays (run it again: "
                  "nothing is stored twice)", file=sys.stderr)
        return 130
    if reason == "corpus damaged":
        from corpus.preflight import damage_line

        # (the nightly says it itself, naming its run)
        if not quiet_failure:
            print(f"nianbao crawl: error: {damage_line(db, stats.get('nianbao/damage', ''))}; "
                  "the crawl stopped at the first write that met it", file=sys.stderr)
        return 1
    if reason == "storage full":
        # (it said "crawl ended early (storage full)" after the pipeline's own ERROR line)
        if not quiet_failure:
            print(f"nianbao crawl: error: storage full or failing ({stats.get('nianbao/storage')}"
                  "); free space (or lift the file size limit) and run it again: what was "
                  "stored stays, nothing is stored twice", file=sys.stderr)
        return 1
    if reason not in ("finished", "closespider_pagecount", "closespider_timeout"):
        if not quiet_failure:
            print(f"nianbao crawl: error: crawl ended early ({reason})", file=sys.stderr)
        return 1
    if nothing_answered(stats):
        errors = {k.rsplit("/", 1)[-1]: n for k, n in stats.items()
                  if k.startswith("nianbao/errors/")}
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(errors.items()))
        if quiet_failure:
            return 1
        print(f"nianbao crawl: error: no site answered ({kinds}): is the network, the proxy "
              "or name resolution down?", file=sys.stderr)
        return 1
    return 0


def run_status(stats: dict[str, Any]) -> str:
    """The ``crawl_runs`` status of a crawl that ended so: ``ok``, ``interrupted`` (a signal;
    a second one stops Scrapy before it records a reason) or ``failed`` (ended early: storage
    full, a damaged corpus; or no site answered at all).

    >>> run_status({"finish_reason": "finished"}), run_status({"finish_reason": "shutdown"})
    ('ok', 'interrupted')
    >>> run_status({}), run_status({"finish_reason": "storage full"})
    ('interrupted', 'failed')
    """
    reason = stats.get("finish_reason")
    if reason in ("shutdown", None):
        return "interrupted"
    if reason not in ("finished", "closespider_pagecount", "closespider_timeout"):
        return "failed"
    return "failed" if nothing_answered(stats) else "ok"


def _close_own_run(db: str, raw_dir: str | None, claim: Any, extra: dict[str, Any],
                   stats: dict[str, Any], status: str) -> None:
    """Close the row this process opened (a caller's run — the nightly's — is the caller's to
    close). A corpus that cannot be written any more (full, damaged) leaves it ``running``,
    claimed by nobody: the next run closes it as ``aborted``."""
    import sqlite3

    from corpus.preflight import CorpusUnusable
    from corpus.store import Corpus

    if claim is None:
        return
    summary = {k: v for k, v in stats.items() if isinstance(v, (int, float, str))}
    try:
        with Corpus(db, raw_dir=raw_dir) as corpus:
            corpus.finish_run(extra["NIANBAO_RUN_ID"], stats=summary, status=status)
        claim.closed = True
    except (sqlite3.Error, OSError, CorpusUnusable) as exc:
        logging.getLogger(__name__).info("could not close run #%s: %s",
                                          extra["NIANBAO_RUN_ID"], exc)


def check_raw_dir(raw_dir: str | None) -> None:
    """``--raw-dir`` that is a file: every document would fail to store, one ``store`` error
    each, and the crawl exit 0.

    :raises corpus.preflight.CorpusUnusable: with the line to show
    """
    from corpus.preflight import CorpusUnusable

    if raw_dir and Path(raw_dir).exists() and not Path(raw_dir).is_dir():
        raise CorpusUnusable(f"--raw-dir {raw_dir} is a file, not a directory")
    if raw_dir:
        # A folder that cannot be made or written (/proc/raw, a read-only mount): every
        # document would be a `store` error and the crawl exit 0, as above.
        import os

        try:
            Path(raw_dir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CorpusUnusable(f"cannot create --raw-dir {raw_dir}: {exc.strerror or exc}"
                                 ) from None
        if not os.access(raw_dir, os.W_OK):
            raise CorpusUnusable(f"cannot write in --raw-dir {raw_dir}") from None


def _hold_signals() -> tuple[list[int], dict[int, Any]]:
    """SIGINT and SIGTERM from now on only noted in the list returned (Scrapy replaces the
    handlers when its reactor starts); also returns the handlers they replace."""
    import signal

    pending: list[int] = []

    def note(signum: int, frame: Any) -> None:
        pending.append(signum)

    try:
        return pending, {sig: signal.signal(sig, note) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals are not this thread's to handle
        return pending, {}


def _resend(pending: list[int]) -> None:
    """Send the first signal noted while the crawl was set up again, now that Scrapy handles
    it (a graceful stop, as if it had come a moment later)."""
    import os

    if pending:
        os.kill(os.getpid(), pending[0])


def _after_reactor(signalled: bool, previous: dict[int, Any]) -> None:
    """Signal handlers once the crawl is over. After a Ctrl-C or SIGTERM, a second signal
    arriving while the command writes its last lines (the nightly's close) must not stop it
    half-way or kill it by signal: it is stopping anyway, further ones are ignored. Else the
    handlers the crawl started with are back (a Ctrl-C then interrupts what follows)."""
    import signal

    for sig, handler in previous.items():
        signal.signal(sig, signal.SIG_IGN if signalled else handler)


class CrawlFailed(Exception):
    """The crawl could not run, or stopped before its end (one line for the CLI)."""


def open_corpus_check(db: str, raw_dir: str | None = None, run_kind: str | None = None,
                      sites: str | None = None, check: bool = True) -> Any:
    """Open (create, migrate) the corpus once before the reactor starts: a ``--db`` that is a
    directory, not SQLite, damaged, another program's database, a newer nianbao's or not
    writable is one line here, not a traceback inside Scrapy and an exit 0 with nothing stored.

    :param run_kind: also open a ``crawl_runs`` row of this kind, claimed by this process
        (:mod:`corpus.runclaim`), after closing the rows of runs that died unclosed
    :param sites: the sites file the row names
    :param check: run the preflight checks (else only open)
    :returns: None, or (run id, claim) with ``run_kind``
    :raises corpus.preflight.CorpusUnusable: with the line to show
    """
    import sqlite3

    from corpus.preflight import CorpusUnusable, check_corpus_file
    from corpus.runclaim import start_claimed_run
    from corpus.store import Corpus
    from crawler.nightly import corpus_opening

    if check:
        check_corpus_file(db, must_exist=False, thorough=True)
        check_raw_dir(raw_dir)
    existed = Path(db).exists()
    try:
        # Two commands starting on a new corpus together: one creates it (WAL switch, migrations)
        # while the other waits — the guard the nightly job takes for the same step.
        with corpus_opening(db), Corpus(db, raw_dir=raw_dir) as corpus:
            if run_kind is None:
                return None
            return start_claimed_run(corpus, db, run_kind, str(sites))
    except (sqlite3.Error, OSError) as exc:
        text = getattr(exc, "strerror", None) or " ".join(str(exc).split())
        if not existed:  # (/proc/x.db said "cannot open …: No such file or directory")
            raise CorpusUnusable(f"cannot create the corpus {db}: {text} (the folder "
                                 f"{Path(db).resolve().parent} does not take new files)") from None
        raise CorpusUnusable(f"cannot open the corpus {db}: {text}") from None


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
