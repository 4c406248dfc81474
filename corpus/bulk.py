"""Load many documents at once: a rebuild, a merge of worker databases, the corpus benchmark.

    >>> from corpus.bulk import BulkLoader
    >>> with corpus.fresh_build(), BulkLoader(corpus) as loader:       # doctest: +SKIP
    ...     for doc in documents:
    ...         loader.add(**doc)          # the arguments of Corpus.store_document
    >>> loader.counts                                                  # doctest: +SKIP
    Counter({'documents': 1000, 'new': 998, 'one_by_one': 2})

The database comes out as if every document had gone through :meth:`Corpus.store_document`
in the same order (tests/test_corpus_bulk.py compares the two), several times faster:

- A document that meets nothing stored (new bytes, new URLs, new agency + year) is *inserted*:
  rows of a batch go to SQLite many at a time (a report's ~200 figures are one ``cell_values``
  row).
- A document that meets something stored (the same bytes again, a second copy of a report, a
  URL seen before) goes through ``store_document`` at its place in the order, inside the same
  transaction: the fast path never has to decide between versions and copies.
- Cross-year checks run once per batch for the agencies the batch touched, on the cells the
  loader holds already.
- Raw copies are appended to a pack file (``corpus.rawstore``) instead of one file each.

Atomic per batch: a crash loses the batch in progress, never what was committed before it.
"""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from corpus.crosschecks import cross_year_keys
from corpus.rawstore import PackWriter
from corpus.store import (
    INSERT_NOTES,
    Corpus,
    _cells_of,
    _header,
    _normalised,
    report_checks,
    report_row,
    sha256_hex,
    utc_now,
)

_DOCUMENT_COLUMNS = ("sha256", "url", "page_url", "site_id", "content_type", "size",
                     "http_status", "headers", "fetched_at", "first_seen", "last_seen",
                     "raw_path", "document_type", "is_annual_report", "needs_ocr", "parse_error",
                     "parser_version")
_URL_COLUMNS = ("url", "sha256", "report_id", "role", "page_url", "site_id", "http_status",
                "etag", "last_modified", "fetched_at", "first_seen", "last_seen")
_RELATED_COLUMNS = ("url", "report_id", "role", "site_id", "first_seen", "last_seen")
_CHECK_COLUMNS = ("report_id", "name", "rule", "scope", "severity", "passed", "detail")
_VERSION_COLUMNS = ("report_id", "version", "content_hash", "document_sha256", "recorded_at",
                    "run_id")


def _insert_sql(table: str, columns: tuple[str, ...], verb: str = "INSERT") -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f'{verb} INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'


@dataclass
class _Prepared:
    """One document made ready in the caller's thread, before any SQL: hashed, its raw copy
    written, and — for a report — its row, checks and cells built (ids are given at insert)."""
    doc: dict[str, Any]
    sha: str
    raw: str
    parsed: dict[str, Any] | None
    fetched_at: str
    key: str | None = None                   # report_key; None: not an annual report
    row: dict[str, Any] | None = None        # report_row() without ids and region
    checks: list[tuple[Any, ...]] = field(default_factory=list)  # without report_id
    values: list[Any] = field(default_factory=list)   # cell_values row without report_id
    notes: list[tuple[Any, ...]] = field(default_factory=list)  # cell_notes, without report_id
    cross_year: dict[str, Any] = field(default_factory=dict)  # the values compare_years reads

    def urls(self) -> list[str]:
        return [self.doc["url"], *(u for u in self.doc.get("related_urls") or () if u)]


class BulkLoader:
    """Store documents in batches (see the module docstring).

    Documents are made ready (hashes, raw copies, rows, cells) in the caller's thread while a
    writer thread stores the previous batch: SQLite works without Python's lock, so the two
    overlap. An error of a batch is raised by the next ``add``/``flush``/``close``.

    :param corpus: the corpus to fill (any state; fastest inside ``corpus.fresh_build()``);
        not to be used by the caller until the loader is closed
    :param batch: documents per transaction
    :param run_id: the ``crawl_runs`` row the documents belong to, if any
    """

    def __init__(self, corpus: Corpus, batch: int = 1000, run_id: int | None = None):
        self.corpus = corpus
        self.batch = max(1, batch)
        self.run_id = run_id
        self.counts: Counter[str] = Counter()
        self._pending: list[dict[str, Any]] = []
        self._agencies: dict[str, int] = {}
        self._regions: dict[tuple[int | None, int | None], tuple[Any, ...] | None] = {}
        self._report_columns: tuple[str, ...] = ()
        self._cross_year_keys = cross_year_keys()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nianbao-bulk")
        self._in_flight: Future[None] | None = None
        self._pack: PackWriter | None = None  # raw copies: appended, not one file each
        self._packed: dict[str, str] = {}      # sha256 → raw_path, this batch

    def __enter__(self) -> BulkLoader:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:  # leave with the error raised in the block; the batch being written completes
            self._wait(raise_error=False)
            self._writer.shutdown()
            if self._pack is not None:
                self._pack.close()

    def add(self, **document: Any) -> None:
        """Queue one document (the keyword arguments of ``Corpus.store_document``)."""
        self._pending.append(document)
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Make the queued documents ready and hand them to the writer (one transaction)."""
        docs, self._pending = self._pending, []
        if not docs:
            return
        prepared = [self._prepare(doc) for doc in docs]
        self._packed.clear()  # later copies of these bytes meet their stored row instead
        if self._pack is not None:
            self._pack.flush()
        try:
            self._wait()
        except BaseException:
            self._pending = docs + self._pending  # the previous batch failed: keep these
            raise
        self._in_flight = self._writer.submit(self._write, prepared)

    def close(self) -> None:
        """Store what is queued and wait until every batch is committed."""
        try:
            self.flush()
            self._wait()
        finally:
            self._writer.shutdown()
            if self._pack is not None:
                self._pack.close()

    def _wait(self, raise_error: bool = True) -> None:
        future, self._in_flight = self._in_flight, None
        if future is None:
            return
        error = future.exception()
        if error is not None and raise_error:
            raise error

    def _write(self, prepared: list[_Prepared]) -> None:
        try:
            with self.corpus._atomic():
                self._store_batch(prepared)
        except BaseException:
            # Ids cached from the rolled-back batch (a new agency) no longer exist.
            self._agencies.clear()
            self._regions.clear()
            raise
        self.counts["documents"] += len(prepared)

    # ---- before SQL (the caller's thread) ----------------------------------------------

    def _prepare(self, doc: dict[str, Any]) -> _Prepared:
        data = doc["data"]
        sha = sha256_hex(data)
        raw = self._packed.get(sha)
        if raw is None:  # first, like store_document: a crash leaves unreferenced bytes only
            if self._pack is None:
                self._pack = PackWriter(self.corpus.raw_dir, self.corpus._raw_prefix)
            raw = self._packed[sha] = self._pack.append(data)
        parsed = doc.get("parsed")
        if parsed is not None:
            parsed = _normalised(parsed)
        now = utc_now()
        p = _Prepared(doc=doc, sha=sha, raw=raw, parsed=parsed,
                      fetched_at=doc.get("fetched_at") or now)
        if not (parsed and parsed.get("is_annual_report")):
            return p
        agency, year = parsed.get("agency"), parsed.get("year")
        p.key = f"{agency}|{year}" if agency and year else f"doc:{sha}"
        cells = _cells_of(parsed)
        p.row = report_row(parsed, cells, key=p.key, agency_id=None, region=None, site_id=None,
                           sha=sha, url=doc["url"], page_url=doc.get("page_url"),
                           fetched_at=p.fetched_at, now=now)
        p.checks = [tuple(c[k] for k in _CHECK_COLUMNS[1:])
                    for c in report_checks(parsed, cells, p.row["full_text"])]
        if cells:  # as store_document: no cell_values row for a report without cells
            p.values, p.notes = self.corpus._cells.split(cells)
        p.cross_year = {k: cells[k][0] for k in self._cross_year_keys if k in cells}
        return p

    # ---- one batch (the writer thread) ---------------------------------------------------

    def _store_batch(self, prepared: list[_Prepared]) -> None:
        shas = self._existing("SELECT sha256 FROM documents WHERE sha256 IN ({})",
                              [p.sha for p in prepared])
        urls = self._existing("SELECT url FROM document_urls WHERE url IN ({})",
                              [u for p in prepared for u in p.urls()])
        keys = self._existing("SELECT report_key FROM reports WHERE report_key IN ({})",
                              [p.key for p in prepared if p.key])
        run: list[_Prepared] = []
        for p in prepared:
            meets = p.sha in shas or any(u in urls for u in p.urls()) or p.key in keys
            shas.add(p.sha)
            urls.update(p.urls())
            if p.key:
                keys.add(p.key)
            if not meets:
                run.append(p)
                continue
            # Something stored before (maybe earlier in this batch): the careful path, in order.
            self._insert_new(run)
            run = []
            self.corpus.store_document(**p.doc)
            self.counts["one_by_one"] += 1
        self._insert_new(run)

    def _existing(self, sql: str, values: list[str]) -> set[str]:
        found: set[str] = set()
        unique = list(dict.fromkeys(values))
        for start in range(0, len(unique), 500):
            part = unique[start:start + 500]
            found.update(r[0] for r in self.corpus.db.execute(
                sql.format(",".join("?" * len(part))), part))
        return found

    def _insert_new(self, run: list[_Prepared]) -> None:
        """Insert documents that meet nothing stored: every row is new."""
        if not run:
            return
        corpus, conn = self.corpus, self.corpus.db.conn
        next_id = conn.execute("SELECT coalesce(max(id), 0) FROM reports").fetchone()[0] + 1
        now = utc_now()
        documents, urls, related, reports, versions, checks = [], [], [], [], [], []
        cell_values: list[list[Any]] = []
        notes: list[tuple[Any, ...]] = []
        values: dict[int, dict[str, Any]] = {}
        agencies: set[int] = set()
        unattached: list[int] = []
        for p in run:
            doc, parsed, fetched_at = p.doc, p.parsed, p.fetched_at
            site_id = corpus._site_id(doc.get("site_url"))
            headers = doc.get("headers") or {}
            documents.append((
                p.sha, doc["url"], doc.get("page_url"), site_id, doc.get("content_type"),
                len(doc["data"]), doc.get("status", 200),
                json.dumps(headers, ensure_ascii=False), fetched_at, fetched_at, fetched_at,
                p.raw, (parsed or {}).get("document_type"),
                (int(p.row is not None) if parsed else None),
                (int(bool(parsed.get("needs_ocr"))) if parsed else None),
                doc.get("parse_error"), (parsed or {}).get("parser_version")))
            report_id = None
            if p.row is not None and parsed is not None:
                report_id, next_id = next_id, next_id + 1
                agency_id = self._agency_id(parsed.get("agency"), site_id)
                row = p.row
                row.update({"id": report_id, "agency_id": agency_id, "site_id": site_id,
                            "version": 1, "first_seen": fetched_at})
                row.update(zip(("region_code", "province", "prefecture", "county", "level"),
                               self._region(agency_id, site_id) or (None,) * 5))
                if not self._report_columns:
                    self._report_columns = tuple(row)
                reports.append(tuple(row[c] for c in self._report_columns))
                versions.append((report_id, 1, row["content_hash"], p.sha, now, self.run_id))
                if p.values:
                    p.values.insert(0, report_id)
                    cell_values.append(p.values)
                notes += [(report_id, *n) for n in p.notes]
                checks += [(report_id, *c) for c in p.checks]
                values[report_id] = p.cross_year
                if agency_id is None or parsed.get("year") is None:
                    unattached.append(report_id)  # no cross-year pass will summarise it
                else:
                    agencies.add(agency_id)
                self.counts["new"] += 1
            urls.append((doc["url"], p.sha, report_id,
                         "source" if report_id is not None else "document", doc.get("page_url"),
                         site_id, doc.get("status", 200), _header(headers, "etag"),
                         _header(headers, "last-modified"), fetched_at, fetched_at, fetched_at))
            if report_id is not None:
                for other in dict.fromkeys(doc.get("related_urls") or ()):
                    if other and other != doc["url"]:
                        related.append((other, report_id,
                                        "page" if other == doc.get("page_url") else "related",
                                        site_id, fetched_at, fetched_at))
        conn.executemany(_insert_sql("documents", _DOCUMENT_COLUMNS), documents)
        if reports:
            conn.executemany(_insert_sql("reports", self._report_columns), reports)
            conn.executemany(corpus._cells.insert_sql, cell_values)
            conn.executemany(INSERT_NOTES, notes)
            conn.executemany(_insert_sql("checks", _CHECK_COLUMNS, "INSERT OR REPLACE"), checks)
            conn.executemany(_insert_sql("report_versions", _VERSION_COLUMNS), versions)
        conn.executemany(_insert_sql("document_urls", _URL_COLUMNS), urls)
        conn.executemany(_insert_sql("document_urls", _RELATED_COLUMNS), related)
        corpus._crosscheck_agencies(sorted(agencies), known=values)
        if unattached:
            corpus._summarise_checks(unattached)

    def _agency_id(self, name: str | None, site_id: int | None) -> int | None:
        if not name:
            return None
        found = self._agencies.get(name)
        if found is None:
            found = self._agencies[name] = self.corpus._agency_id(name, site_id)
        return found

    def _region(self, agency_id: int | None, site_id: int | None) -> tuple[Any, ...] | None:
        """``Corpus._region``, asked once per agency and site."""
        if (agency_id, site_id) not in self._regions:
            self._regions[(agency_id, site_id)] = self.corpus._region(agency_id, site_id)
        return self._regions[(agency_id, site_id)]
