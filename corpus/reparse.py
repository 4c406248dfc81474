"""``nianbao reparse``: read every stored raw document again with the current parser.

When the parser improves, the corpus should not wait for the next crawl: the raw bytes of every
fetched document are kept (``<raw_dir>/<sha[:2]>/<sha256>``), so they are parsed again here,
without any network, and every figure that comes out different is recorded as a new version of
its report (``report_versions`` + ``cell_changes``: old and new value, when, which run), exactly
as a changed download would be. A report whose figures come out the same is left untouched.

    $ nianbao reparse --db data/corpus.db
    reparse: 100%|██████████| 412/412 [00:21<00:00, 19.3 doc/s]
    reparse run #12: 412 documents, 9 reports changed (31 figures), 2 new reports, 0 errors

Each document is parsed in a bounded child process (``parsers.limits.parse_bounded``), several
at a time (one per CPU); the database is written from one thread, one transaction per report,
so an interrupted re-parse leaves every report either old or new, never half.

Facts that came from the page linking an attachment (title, publisher, date) are not inside the
attachment; the report's stored title/agency/date stand in for that page here, so a re-parse
never loses them.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from corpus.rawstore import read_raw
from corpus.runclaim import claim_run
from corpus.store import Corpus, _cells_of, _content_hash


class ReparseError(Exception):
    """The re-parse cannot start (missing database); one line for the CLI."""


def _documents(corpus: Corpus) -> list[dict[str, Any]]:
    """Every stored document with what its re-parse needs, source documents of reports first."""
    rows = corpus.db.execute(
        """SELECT d.sha256, d.url, d.page_url, d.site_id, d.content_type, d.raw_path,
                  d.fetched_at, r.id AS report_id, r.title, r.agency, r.published_date
           FROM documents d LEFT JOIN reports r ON r.document_sha256 = d.sha256
           ORDER BY r.id IS NULL, r.id, d.sha256""").fetchall()
    cols = ["sha256", "url", "page_url", "site_id", "content_type", "raw_path", "fetched_at",
            "report_id", "title", "agency", "published_date"]
    return [dict(zip(cols, row)) for row in rows]


def _raw_bytes(corpus: Corpus, doc: dict[str, Any]) -> bytes | None:
    return read_raw(corpus.path.parent, doc.get("raw_path"), doc["sha256"],
                    raw_dirs=[corpus.raw_dir])


def _parse(data: bytes, doc: dict[str, Any]) -> tuple[dict | None, str | None]:
    """Parse one document in a bounded child; (parsed, None) or (None, one-line error)."""
    from parsers import ParseError
    from parsers.limits import parse_bounded

    page = {k: v for k, v in (("title", doc.get("title")), ("publisher", doc.get("agency")),
                              ("published_date", doc.get("published_date"))) if v}
    try:
        return parse_bounded(data, doc.get("content_type"), doc.get("url"),
                             page_metadata=page or None), None
    except ParseError as exc:
        return None, str(exc).splitlines()[0] if str(exc) else "parse error"
    except Exception as exc:  # noqa: BLE001 — a reader bug must cost one document, not the whole re-parse
        return None, f"{type(exc).__name__}: {exc}".splitlines()[0]


def _apply(corpus: Corpus, doc: dict[str, Any], parsed: dict[str, Any], run_id: int) -> str:
    """Write one re-parsed document: "changed", "unchanged", "new" (a report appeared) or
    "skipped" (the document is not a report's source and still is not a report)."""
    db = corpus.db
    is_report = bool(parsed.get("is_annual_report"))
    db["documents"].update(doc["sha256"], {
        "parser_version": parsed.get("parser_version"), "is_annual_report": int(is_report),
        "needs_ocr": int(bool(parsed.get("needs_ocr"))), "parse_error": None,
        "document_type": parsed.get("document_type")})
    if doc["report_id"] is None:
        if not is_report:
            return "skipped"
        # A document the old parser rejected is a report now: store it as a crawl would.
        url_row = db.execute("SELECT url FROM document_urls WHERE sha256 = ? LIMIT 1",
                             [doc["sha256"]]).fetchone()
        site = db.execute("SELECT url FROM sites WHERE id = ?", [doc["site_id"]]).fetchone()
        data = _raw_bytes(corpus, doc) or b""
        result = corpus.store_document(
            data=data, url=url_row[0] if url_row else doc["url"], content_type=doc["content_type"],
            fetched_at=doc["fetched_at"], page_url=doc["page_url"],
            site_url=site[0] if site else None, parsed=parsed, run_id=run_id)
        return "new" if result.get("report_id") else "skipped"
    existing = db.execute(
        "SELECT id, report_key, document_sha256, source_url, agency_id, version, content_hash, "
        "page_url, site_id, fetched_at FROM reports WHERE id = ?", [doc["report_id"]]).fetchone()
    if not is_report:
        # Never drop a stored report because a new parser version doubts it: keep the figures,
        # and say so in the summary (the old version stays the record).
        return "rejected"
    cells = _cells_of(parsed)
    if _content_hash(parsed, cells) == existing[6]:
        return "unchanged"
    agency, year = parsed.get("agency"), parsed.get("year")
    key = f"{agency}|{year}" if agency and year else existing[1]
    if key != existing[1] and db.execute("SELECT 1 FROM reports WHERE report_key = ? AND id != ?",
                                         [key, existing[0]]).fetchone():
        key = existing[1]  # another report holds that identity: keep this one's
    _, changed = corpus._write_report(existing[0], key, doc["sha256"], existing[3], existing[7],
                                      existing[8], parsed, cells, existing[9], run_id,
                                      previous=existing[:7])
    return "changed" if changed else "unchanged"


def _parsed_stream(corpus: Corpus, docs: list[dict[str, Any]], jobs: int
                   ) -> Iterator[tuple[dict[str, Any], dict | None, str | None]]:
    """(document, parsed, error) in order, parsing up to ``jobs`` documents at once."""
    from parsers.limits import preload

    preload()
    def work(doc: dict[str, Any]) -> tuple[dict[str, Any], dict | None, str | None]:
        data = _raw_bytes(corpus, doc)
        if data is None:
            return doc, None, "raw copy missing"
        parsed, error = _parse(data, doc)
        return doc, parsed, error

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        # parse_bounded forks a child per document, so threads are enough to use every CPU.
        yield from in_order(pool, work, docs, window=4 * jobs)


def in_order(pool: Executor, fn: Callable[[Any], Any], items: Iterable[Any],
             window: int) -> Iterator[Any]:
    """``pool.map(fn, items)`` with at most ``window`` results held at once (each may hold a
    document's bytes: a slow document must not let the others pile up in memory)."""
    pending: deque[Future[Any]] = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def reparse_corpus(db: str | os.PathLike[str], jobs: int | None = None, progress: bool = True,
                   raw_dir: str | None = None) -> dict[str, Any]:
    """Re-parse every stored document; returns the summary counts (also in ``crawl_runs``).

    :param db: the corpus SQLite file (must exist)
    :param jobs: documents parsed at once (default: CPUs)
    :param progress: show a progress bar on stderr
    :raises ReparseError: when the database does not exist
    """
    if not Path(db).is_file():
        raise ReparseError(f"no corpus database at {db}")
    corpus = Corpus(db, raw_dir=raw_dir)
    run_id = corpus.start_run(kind="reparse")
    claim = claim_run(db, run_id)  # a re-parse killed midway: the next run closes it as aborted
    counts = {"documents": 0, "changed_reports": 0, "new_reports": 0, "unchanged": 0,
              "rejected": 0, "errors": 0, "changed_figures": 0}
    status = "failed"
    try:
        docs = _documents(corpus)
        bar = None
        if progress:
            from corpus.progress import progress_bar

            bar = progress_bar(len(docs), "reparse", " docs")
        touched: set[int] = set()
        for doc, parsed, error in _parsed_stream(corpus, docs, jobs or os.cpu_count() or 1):
            counts["documents"] += 1
            if parsed is None:
                counts["errors"] += 1
                corpus.record_error(url=doc["url"], kind="parse", reason=error or "parse error",
                                    run_id=run_id)
            else:
                with corpus.db.atomic():
                    outcome = _apply(corpus, doc, parsed, run_id)
                if outcome == "changed":
                    counts["changed_reports"] += 1
                    touched.add(doc["report_id"])
                elif outcome == "new":
                    counts["new_reports"] += 1
                elif outcome in ("unchanged", "rejected"):
                    counts[outcome] += 1
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        if touched:
            corpus.refresh_crosschecks()  # cross-year checks read the figures that moved
        counts["changed_figures"] = corpus.db.execute(
            "SELECT count(*) FROM cell_changes c JOIN report_versions v ON v.report_id = "
            "c.report_id AND v.version = c.version WHERE v.run_id = ?", [run_id]).fetchone()[0]
        status = "ok"
        return {"run_id": run_id, **counts}
    finally:
        corpus.finish_run(run_id, stats={
            "requests": 0, "not_modified": 0, "new_reports": counts["new_reports"],
            "changed_reports": counts["changed_reports"], "removed": 0,
            "errors": counts["errors"], **{k: v for k, v in counts.items()
                                           if k not in ("new_reports", "changed_reports",
                                                        "errors")}}, status=status)
        claim.release()
        corpus.close()


def run_reparse(db: str) -> int:
    """The ``nianbao reparse`` command: re-parse, print a one-line summary, exit status.

    :returns: 0 when the re-parse ran (documents that could not be read are counted and listed
        in ``errors``), 1 with one line when it could not run
    """
    try:
        s = reparse_corpus(db)
    except ReparseError as exc:
        print(f"nianbao reparse: error: {exc}", file=sys.stderr)
        return 1
    print(f"reparse run #{s['run_id']}: {s['documents']} documents, {s['changed_reports']} "
          f"reports changed ({s['changed_figures']} figures), {s['new_reports']} new reports, "
          f"{s['unchanged']} unchanged, {s['errors']} errors", file=sys.stderr)
    if s["rejected"]:
        print(f"reparse: {s['rejected']} stored reports are no longer recognised as reports by "
              "this parser; their figures were kept", file=sys.stderr)
    return 0


__all__ = ["ReparseError", "reparse_corpus", "run_reparse"]
