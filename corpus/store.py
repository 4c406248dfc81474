"""The corpus: what the crawler and parsers fill, written only through sqlite-utils.

    >>> from corpus.store import Corpus
    >>> corpus = Corpus("data/corpus.db")                               # doctest: +SKIP
    >>> site_id = corpus.ensure_site(name="攀枝花市东区人民政府", url="http://www.scdongqu.gov.cn/")  # doctest: +SKIP
    >>> corpus.store_document(data=pdf_bytes, url=..., content_type="application/pdf", status=200,  # doctest: +SKIP
    ...                       headers={}, fetched_at="2025-02-01T08:00:00Z", page_url=...,
    ...                       site_url="http://www.scdongqu.gov.cn/",
    ...                       parsed=parse_document(pdf_bytes))
    {'document_id': '9f…', 'report_id': 1, 'status': 'new'}

The seam is docs/interfaces.md. Guarantees:

- **Idempotent**: the same bytes stored twice change nothing (only ``last_seen`` moves on).
- **Atomic per document**: one transaction per ``store_document``; a crash leaves the database as
  before that document (WAL journal). Raw bytes are written first, content-addressed
  (``<raw_dir>/<sha[:2]>/<sha256>``), so a crash leaves at most an unreferenced file.
- **One report, many URLs**: the same report (same bytes, or same agency + year) found at several
  URLs is one ``reports`` row; every URL is in ``document_urls``; the document holding the most
  figures is the source.
- **History by hashes**: when a report's content hash changes, a ``report_versions`` row and
  ``cell_changes`` rows keep the old figures.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from corpus.codebook import FIELDS, keys_for_format
from corpus.crosschecks import (
    TEXT_FIGURE_KEYS,
    WARNING_RULES,
    text_figure_checks,
    year_check_rows,
)
from corpus.regions import resolve_agency
from corpus.schema import (
    HEADLINE_FIGURES,
    ensure_schema,
    quote_name,
    refill_facet_counts,
    schema_state,
)

TABLE_KEYS = ("active", "requests", "review_litigation")
SECTION_KEYS = ("overview", "problems", "other")
NULL_MARKERS = {"—", "——", "-", "－", "/", "／", "无", "n/a", "\\", "–", "−", "---"}
# Keys of the parsed object that have their own columns or tables; the rest go to ``extra``.
_KNOWN_KEYS = {"is_annual_report", "title", "agency", "year", "format", "published_date",
               *TABLE_KEYS, "checks", "sections", "cells_raw", "warnings", "needs_ocr",
               "document_type", "parser_version", "text", "full_text"}


# The hot path of a load writes through prepared statements on sqlite-utils' own connection
# (``db.conn``): same connection, same transaction, none of the per-row introspection and JSON
# checks of ``Table.insert_all``.
INSERT_NOTES = "INSERT INTO cell_notes (report_id, field_id, value_raw, kind) VALUES (?, ?, ?, ?)"


def utc_now() -> str:
    """Now as ISO 8601 UTC with a Z, the corpus's one time format."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_hex(data: bytes) -> str:
    """SHA-256 of raw bytes, hex: the id of a document."""
    return hashlib.sha256(data).hexdigest()


def cell_kind(value: Any, raw: str | None) -> str:
    """What a cell holds (conventions #7): number, zero, blank, null-marker, text or missing.

    :param value: the parsed value (None when the parser left it null)
    :param raw: the printed text of the cell, or None when the parser did not find the cell
    """
    if value is not None:
        return "zero" if value == 0 else "number"
    if raw is None:
        return "missing"
    text = raw.strip().replace("\u00a0", "")
    if not text:
        return "blank"
    if text.lower() in NULL_MARKERS:
        return "null-marker"
    return "text"


@lru_cache(maxsize=None)
def _format_keys(fmt: str | None) -> tuple[str, ...]:
    """Every key of a format, in codebook order, computed once (a load's hot path)."""
    return tuple(keys_for_format(fmt))


@lru_cache(maxsize=None)
def _cell_paths() -> dict[str, dict[str, dict[str, str]]]:
    """table → row → col → key for every key of the codebook (walked, not built, per cell)."""
    paths: dict[str, dict[str, dict[str, str]]] = {}
    for key, field in FIELDS.items():
        paths.setdefault(field.table, {}).setdefault(field.row, {})[field.col] = key
    return paths


def _cells_of(parsed: dict[str, Any]) -> dict[str, tuple[Any, str | None]]:
    """key → (value, raw) for every key of the report's format plus any known key it carries.

    A load's hot path (~200 cells per report): it walks the cells the parser gave once, looking
    each up in the codebook's table → row → col tree, instead of building every key's text.
    Order: the cells as the parser gave them, then the format's keys it did not give.
    """
    raw_map: dict[str, Any] = parsed.get("cells_raw") or {}
    fmt = parsed.get("format")
    paths = _cell_paths()
    cells: dict[str, tuple[Any, str | None]] = {}
    for table in TABLE_KEYS:
        rows, table_paths = parsed.get(table), paths.get(table)
        if not isinstance(rows, dict) or not table_paths:
            continue
        for row, cols in rows.items():
            row_paths = table_paths.get(row)
            if row_paths is None or not isinstance(cols, dict):
                continue
            for col, value in cols.items():
                key = row_paths.get(col)
                if key is None:
                    continue
                if type(value) is not int:
                    value = _figure(value)
                raw = raw_map.get(key)
                if type(raw) is not str:
                    # No printed text given: the number is what we know.
                    raw = (None if value is None else _plain(value)) if raw is None else str(raw)
                cells[key] = (value, raw)
    for key in _format_keys(fmt if isinstance(fmt, str) else None):
        if key not in cells:  # a cell of the format the parser did not give
            raw = raw_map.get(key)
            cells[key] = (None, None if raw is None else str(raw))
    return cells


def _figure(value: Any) -> int | float | None:
    """A parsed cell value that is not an int, as a figure: a finite float, else None (bool,
    text, containers, NaN: a contract violation upstream must not become a figure)."""
    if type(value) is float and math.isfinite(value):
        return value
    return None


def _normalised(parsed: dict[str, Any]) -> dict[str, Any]:
    """A shallow copy with the identity fields in the contract's types (a year printed as "2023"
    becomes 2023; anything unusable becomes None), so bad input never breaks a later step."""
    out = dict(parsed)
    year = out.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    out["year"] = year if isinstance(year, int) and not isinstance(year, bool) \
        and 1980 <= year <= 2100 else None
    for key in ("agency", "title", "format", "published_date"):
        value = out.get(key)
        out[key] = value.strip() or None if isinstance(value, str) else None
    for key in ("sections",):
        if not isinstance(out.get(key), dict):
            out[key] = {}
    if not isinstance(out.get("checks"), list):
        out["checks"] = []
    if not isinstance(out.get("cells_raw"), dict):
        out["cells_raw"] = {}
    return out


def _plain(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _full_text(parsed: dict[str, Any]) -> str:
    text = parsed.get("full_text") or parsed.get("text")
    if text:
        return str(text)
    sections = parsed.get("sections") or {}
    parts = [parsed.get("title") or ""] + [str(v) for v in sections.values() if v]
    return "\n\n".join(p for p in parts if p)


def _content_hash(parsed: dict[str, Any], cells: dict[str, tuple[Any, str | None]]) -> str:
    """SHA-256 of what a report says: identity, sections and every cell's value and printed text.

    Over ``repr`` of sorted tuples rather than JSON: the same canonical text at a fraction of the
    cost (a load hashes every report). Parsed reports hold JSON types only, whose ``repr`` is
    stable across runs.
    """
    sections = parsed.get("sections") or {}
    keys = sorted(cells)
    body = (parsed.get("agency"), parsed.get("year"), parsed.get("format"), parsed.get("title"),
            parsed.get("published_date"), sorted(sections.items(), key=lambda kv: str(kv[0])),
            [cells[k] for k in keys])
    digest = hashlib.sha256("\x1f".join(keys).encode("utf-8", "surrogatepass"))
    digest.update(repr(body).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _sql_value(value: Any) -> Any:
    """A Python value as SQLite stores it (containers as JSON, like sqlite-utils does)."""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


class CellLayout:
    """Where a report's cells are stored: one ``cell_values`` row (a value per key column) and
    ``cell_notes`` rows for what a value alone does not say — the printed text when it is not
    the integer itself, the kind of a cell without a value (the ``cells`` view restores the
    rest: the text of an integer, zero or number).

        >>> layout = CellLayout({"requests.new_received.total": 1, "active.rules.made": 2})
        >>> layout.split({"requests.new_received.total": (12, "12"), "active.rules.made": (None, "—")})
        ([12, None], [(2, '—', 'null-marker')])

    :param field_ids: fields.key → fields.id, every column of cell_values
    """

    def __init__(self, field_ids: dict[str, int]):
        self.field_ids = field_ids
        self.keys = tuple(sorted(field_ids, key=field_ids.__getitem__))  # the columns' order
        self._positions = {key: i for i, key in enumerate(self.keys)}
        names = ", ".join(quote_name(k) for k in self.keys)
        self.insert_sql = (f"INSERT INTO cell_values (report_id, {names}) "
                           f"VALUES ({', '.join('?' * (len(self.keys) + 1))})")
        self.select_sql = f"SELECT {names} FROM cell_values WHERE report_id = ?"

    def split(self, cells: dict[str, tuple[Any, str | None]]
              ) -> tuple[list[Any], list[tuple[Any, ...]]]:
        """A report's cells (``_cells_of``) as (its cell_values row without report_id, its
        cell_notes rows without report_id)."""
        values: list[Any] = [None] * len(self.keys)
        notes: list[tuple[Any, ...]] = []
        positions, field_ids = self._positions, self.field_ids
        for key, (value, raw) in cells.items():
            if value is None:
                notes.append((field_ids[key], raw, cell_kind(None, raw)))
                continue
            values[positions[key]] = value
            if type(value) is not int or raw != str(value):
                notes.append((field_ids[key], raw, None))
        return values, notes

    def values_of(self, row: tuple[Any, ...] | None) -> dict[str, Any]:
        """key → value of a :attr:`select_sql` row (the figures it holds)."""
        if row is None:
            return {}
        return {k: v for k, v in zip(self.keys, row) if v is not None}


def report_row(parsed: dict[str, Any], cells: dict[str, tuple[Any, str | None]], *, key: str,
               agency_id: int | None, region: tuple[Any, ...] | None, site_id: int | None,
               sha: str, url: str, page_url: str | None, fetched_at: str,
               now: str) -> dict[str, Any]:
    """The ``reports`` row of a parsed report (without id, version and first_seen).

    :param parsed: the normalised parse result
    :param cells: its :func:`_cells_of`
    :param region: (region_code, province, prefecture, county, level) or None
    """
    sections = parsed.get("sections") or {}
    extra = {k: v for k, v in parsed.items() if k not in _KNOWN_KEYS}
    headline = {}
    for name, keys in HEADLINE_FIGURES.items():
        figures = [cells[k][0] for k in keys if k in cells and cells[k][0] is not None]
        headline[name] = sum(figures) if figures else None
    return {
        "report_key": key, "agency_id": agency_id, "agency": parsed.get("agency"),
        "year": parsed.get("year"), "format": parsed.get("format"),
        "title": parsed.get("title"), "published_date": parsed.get("published_date"),
        **dict(zip(("region_code", "province", "prefecture", "county", "level"),
                   region or (None,) * 5)),
        "site_id": site_id, "document_sha256": sha, "source_url": url, "page_url": page_url,
        "raw_url": f"/-/raw/{sha}", "fetched_at": fetched_at,
        "document_type": parsed.get("document_type"),
        "parser_version": parsed.get("parser_version"),
        "needs_ocr": int(bool(parsed.get("needs_ocr"))), **headline,
        "content_hash": _content_hash(parsed, cells), "updated_at": now,
        "overview": sections.get("overview"), "problems": sections.get("problems"),
        "other_matters": sections.get("other"), "full_text": _full_text(parsed),
        "sections": json.dumps(sections, ensure_ascii=False),
        "warnings": json.dumps(parsed.get("warnings") or [], ensure_ascii=False),
        "extra": json.dumps(extra, ensure_ascii=False, default=str) if extra else None,
    }


def report_checks(parsed: dict[str, Any], cells: dict[str, tuple[Any, str | None]],
                  full_text: str | None) -> list[dict[str, Any]]:
    """The ``checks`` rows (without report_id) of one report: the parser's checks (a repeated
    name keeps the last one) and the figures its prose states against its tables."""
    seen: dict[str, dict[str, Any]] = {}
    for check in parsed.get("checks") or []:
        if isinstance(check, dict) and check.get("name"):
            seen[str(check["name"])] = {**check, "scope": "report"}
    overview = (parsed.get("sections") or {}).get("overview")
    values = {k: cells[k][0] for k in TEXT_FIGURE_KEYS if k in cells}  # all the prose needs
    rows = []
    for c in [*seen.values(), *text_figure_checks(overview or full_text, values)]:
        name = str(c["name"])
        rule = c.get("rule") or name.split(":", 1)[0]
        rows.append({"name": name, "rule": rule, "scope": c["scope"],
                     "severity": c.get("severity") or ("warning" if name.split(":", 1)[0]
                                                       in WARNING_RULES else "error"),
                     "passed": None if c.get("passed") is None else int(bool(c["passed"])),
                     "detail": c.get("detail")})
    return rows


# Secondary indexes fresh_build() drops and recreates: those of the big tables that no look-up
# during a load uses (a load finds reports by key, source hash and agency; checks by their key).
_LOAD_LOOKUPS = {"reports": {"report_key", "document_sha256", "agency_id"}}
_DEFERRED_TABLES = ("cell_values", "cell_notes", "checks", "reports", "documents")
# ~200 and ~20 rows per report: their references are not checked again after a fresh build.
_BULK_TABLES = ("cell_values", "cell_notes", "checks")


def _deferrable_indexes() -> str:
    """SQL list of the index names fresh_build() may drop (a subquery over sqlite_master)."""
    tables = ", ".join(f"'{t}'" for t in _DEFERRED_TABLES)
    keep = " AND ".join(f"NOT (m.tbl_name = '{t}' AND i.name IN "
                        f"({', '.join(repr(c) for c in sorted(cols))}))"
                        for t, cols in _LOAD_LOOKUPS.items())
    # An index is kept when its first column serves a look-up of the load; unique ones are
    # constraints and always kept (sql IS NOT NULL in the caller skips the automatic ones).
    return (f"SELECT m.name FROM sqlite_master m, pragma_index_info(m.name) i "
            f"WHERE m.type = 'index' AND i.seqno = 0 AND m.tbl_name IN ({tables}) "
            f"AND m.sql NOT LIKE 'CREATE UNIQUE%' AND {keep}")


def _header(headers: dict[str, str] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return None


def _score(cells: dict[str, tuple[Any, str | None]]) -> int:
    """How many figures a document holds: the document with most is a report's source."""
    return sum(1 for value, _ in cells.values() if value is not None)


class UpgradeError(Exception):
    """A corpus an older nianbao built cannot be upgraded here (one line for the CLI)."""


def upgrade_corpus(path: str | os.PathLike[str]) -> list[str]:
    """Bring a corpus an older nianbao built to the current schema, saying so on stderr; returns
    the migrations applied (none: nothing written). For the commands that otherwise only read it.

    :raises UpgradeError: the file cannot be written (read-only, locked, full disk)
    """
    _, pending = schema_state(path)
    if not pending:
        return []
    print(f"upgrading {path} to this version's schema …", file=sys.stderr, flush=True)
    try:
        Corpus(path).close()  # opening applies them, each in its own transaction
    except sqlite3.Error as exc:
        raise UpgradeError(f"{path} was built by an older nianbao and cannot be upgraded "
                           f"here ({exc})") from None
    print(f"upgraded {path}: {', '.join(pending)}", file=sys.stderr)
    return pending


class Corpus:
    """The corpus database (see the module docstring; the seam is docs/interfaces.md).

    :param db_path: the SQLite file; created and migrated on open
    :param raw_dir: where raw documents are kept (default ``<db dir>/raw``)
    """

    def __init__(self, db_path: str | os.PathLike[str],
                 raw_dir: str | os.PathLike[str] | None = None):
        from corpus.preflight import check_corpus_file

        self.path = Path(db_path)
        # Another program's SQLite file (or not SQLite, or a newer nianbao's) is refused before
        # anything is written to it — the WAL switch below would be the first write.
        check_corpus_file(self.path, must_exist=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.raw_dir = Path(raw_dir) if raw_dir else self.path.parent / "raw"
        # Usable from another thread (corpus.bulk writes from one while its caller prepares the
        # next batch); still one thread at a time.
        self.db = sqlite_utils.Database(sqlite3.connect(str(self.path), check_same_thread=False))
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable at checkpoints, fast
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA busy_timeout = 30000")  # a nightly job and a crawl may overlap
        # Index pages of a large corpus must stay in memory while loading (default cache: 2 MB).
        self.db.execute("PRAGMA cache_size = -262144")
        self.db.execute("PRAGMA temp_store = MEMORY")
        ensure_schema(self.db)
        self._cells = CellLayout(dict(self.db.execute("SELECT key, id FROM fields")))
        self._sql_cache: dict[tuple[str, tuple[str, ...], str], str] = {}
        # documents.raw_path is relative to the database when raw_dir is beside it, so the pair
        # can be moved together; absolute otherwise.
        raw_abs, db_dir = self.raw_dir.resolve(), self.path.resolve().parent
        self._raw_prefix = str(raw_abs.relative_to(db_dir)) if raw_abs.is_relative_to(db_dir) \
            else str(raw_abs)
        self._sites: dict[str, int] = {}
        self._raw_dirs: set[Path] = set()
        self._pending_agencies: set[int] | None = None

    # ---- writing rows ----------------------------------------------------------------------

    def _insert(self, table: str, row: dict[str, Any], mode: str = "INSERT") -> int:
        """Insert one row with a cached statement; returns its rowid.

        :param mode: ``INSERT``, ``INSERT OR REPLACE`` or ``UPSERT:<pk>`` (update every given
            column of the row with that primary key, insert it when absent)
        """
        return self._insert_many(table, [row], mode)

    def _insert_many(self, table: str, rows: list[dict[str, Any]], mode: str = "INSERT") -> int:
        """Insert rows (see :meth:`_insert`); returns the last rowid of a single row."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:  # rows with the same columns share one prepared statement
            groups.setdefault(tuple(row), []).append(row)
        last = 0
        for columns, group in groups.items():
            last = self._insert_group(table, columns, group, mode)
        return last

    def _insert_group(self, table: str, columns: tuple[str, ...], rows: list[dict[str, Any]],
                      mode: str) -> int:
        sql = self._sql_cache.get((table, columns, mode))
        if sql is None:
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            if mode.startswith("UPSERT:"):
                pk = mode.split(":", 1)[1]
                sets = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != pk)
                sql = (f'INSERT INTO "{table}" ({names}) VALUES ({marks}) '
                       f'ON CONFLICT("{pk}") DO UPDATE SET {sets}')
            else:
                sql = f'{mode} INTO "{table}" ({names}) VALUES ({marks})'
            self._sql_cache[(table, columns, mode)] = sql
        params = [[_sql_value(row[c]) for c in columns] for row in rows]
        if len(params) == 1:
            return int(self.db.conn.execute(sql, params[0]).lastrowid or 0)
        self.db.conn.executemany(sql, params)
        return 0

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """A write transaction that takes the write lock at BEGIN (IMMEDIATE).

        sqlite-utils' ``atomic()`` begins DEFERRED: a transaction that reads, then writes, while
        another process (a second crawler worker on the same corpus) writes fails at once with
        "database is locked" instead of waiting out ``busy_timeout``. Nested blocks are savepoints.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
            self._sites.clear()  # a site added in the rolled-back transaction is gone
            raise
        else:
            self.db.conn.execute("COMMIT")

    # ---- sites, agencies, runs -------------------------------------------------------------

    def ensure_site(self, name: str, url: str, annual_report_url: str | None = None,
                    region_code: str | None = None, level: str | None = None) -> int:
        """The id of the seed site with this ``url``, adding or updating it.

        :param name: the agency or government the site belongs to
        :param url: the seed URL (sites.csv ``url``), the site's identity
        """
        row = {"name": name, "url": url, "annual_report_url": annual_report_url or None,
               "region_code": region_code or None, "level": level or None}
        with self._atomic():
            found = self.db.execute("SELECT id, name, annual_report_url, region_code, level "
                                    "FROM sites WHERE url = ?", [url]).fetchone()
            if found is None:
                site_id = self.db["sites"].insert({**row, "added_at": utc_now()}).last_pk
            else:
                site_id = found[0]
                current = dict(zip(("name", "annual_report_url", "region_code", "level"),
                                   found[1:]))
                update = {k: v for k, v in row.items() if k != "url" and v and current.get(k) != v}
                if update:
                    self.db["sites"].update(site_id, update)
        self._sites[url] = int(site_id)
        return int(site_id)

    def _site_id(self, site_url: str | None) -> int | None:
        if not site_url:
            return None
        if site_url not in self._sites:
            found = self.db.execute("SELECT id FROM sites WHERE url = ?", [site_url]).fetchone()
            if found:
                self._sites[site_url] = found[0]
            else:  # a site the crawler knows but nobody registered: name it by its host
                return self.ensure_site(name=urlsplit(site_url).hostname or site_url, url=site_url)
        return self._sites[site_url]

    def _agency_id(self, name: str | None, site_id: int | None) -> int | None:
        if not name:
            return None
        found = self.db.execute("SELECT id FROM agencies WHERE name = ?", [name]).fetchone()
        if found:
            return int(found[0])
        site = self.db.execute("SELECT name, region_code, level FROM sites WHERE id = ?",
                               [site_id]).fetchone() if site_id else None
        region = resolve_agency(name, site_region_code=site[1] if site else None,
                                site_level=site[2] if site else None,
                                site_name=site[0] if site else None)
        return self._insert("agencies", {
            "name": name, "region_code": region.code, "province": region.province,
            "prefecture": region.prefecture, "county": region.county, "level": region.level,
            "site_id": site_id})

    def _region(self, agency_id: int | None, site_id: int | None) -> tuple[Any, ...] | None:
        """A report's (region_code, province, prefecture, county, level): its agency's, else
        the region of the site it was found on, else None."""
        region = self.db.execute("SELECT region_code, province, prefecture, county, level FROM "
                                 "agencies WHERE id = ?", [agency_id]).fetchone() \
            if agency_id is not None else None
        if region is None and site_id:
            site = self.db.execute("SELECT name, region_code, level FROM sites WHERE id = ?",
                                   [site_id]).fetchone()
            r = resolve_agency(None, site[1], None, site[0])
            region = (r.code, r.province, r.prefecture, r.county, None)
        return region

    def start_run(self, kind: str = "crawl", sites_file: str | None = None) -> int:
        """Open a ``crawl_runs`` row; returns its id."""
        with self._atomic():
            return int(self.db["crawl_runs"].insert({
                "kind": kind, "sites_file": sites_file, "started_at": utc_now(),
                "status": "running"}).last_pk)

    def finish_run(self, run_id: int, stats: dict[str, Any] | None = None,
                   status: str = "ok") -> None:
        """Close a run with its counts.

        :param stats: counts (``requests``, ``not_modified``, ``new_reports``, ``changed_reports``,
            ``removed``, ``errors``) and optionally ``sites``: {site url: same counts} for site_runs
        """
        stats = dict(stats or {})
        per_site = stats.pop("sites", None) or {}
        counts = {k: stats.get(k) for k in ("requests", "not_modified", "new_reports",
                                             "changed_reports", "removed", "errors")}
        with self._atomic():
            if counts["errors"] is None:
                counts["errors"] = self.db.execute(
                    "SELECT count(*) FROM errors WHERE run_id = ?", [run_id]).fetchone()[0]
            self.db["crawl_runs"].update(run_id, {
                **counts, "finished_at": utc_now(), "status": status,
                "stats": json.dumps(stats, ensure_ascii=False, default=str)})
            rows = []
            for site_url, site_stats in per_site.items():
                site_id = self._site_id(site_url)
                rows.append({"run_id": run_id, "site_id": site_id,
                             **{k: site_stats.get(k) for k in (
                                 "started_at", "finished_at", "requests", "not_modified",
                                 "new_reports", "changed_reports", "removed", "errors")}})
            if rows:
                self.db["site_runs"].upsert_all(rows, pk=("run_id", "site_id"))

    def record_error(self, url: str, site_url: str | None = None, kind: str = "http",
                     status: int | None = None, reason: str = "",
                     run_id: int | None = None) -> None:
        """Record a failed fetch or parse (kind: http, dns, timeout, parse, robots, size …)."""
        with self._atomic():
            self.db["errors"].insert({
                "url": url, "site_id": self._site_id(site_url), "site_url": site_url,
                "kind": kind, "status": status,
                "reason": (reason or "").strip().splitlines()[0][:500] if reason else "",
                "time": utc_now(), "run_id": run_id})

    # ---- URLs seen, removed, known -------------------------------------------------------

    def known_document(self, url: str) -> dict[str, Any] | None:
        """What a conditional GET needs about a URL stored before, or None."""
        row = self.db.execute(
            "SELECT sha256, etag, last_modified, fetched_at FROM document_urls "
            "WHERE url = ? AND sha256 IS NOT NULL", [url]).fetchone()
        return dict(zip(("sha256", "etag", "last_modified", "fetched_at"), row)) if row else None

    def mark_seen(self, url: str, run_id: int | None = None) -> None:
        """A known URL is still listed or still served (a 304 counts)."""
        now = utc_now()
        with self._atomic():
            self.db.execute("UPDATE document_urls SET last_seen = ?, removed_at = NULL, "
                            "removed_reason = NULL WHERE url = ?", [now, url])
            self.db.execute("UPDATE documents SET last_seen = ?, removed_at = NULL WHERE sha256 = "
                            "(SELECT sha256 FROM document_urls WHERE url = ?)", [now, url])

    def mark_removed(self, url: str, run_id: int | None = None, reason: str = "404") -> None:
        """A known URL is gone; nothing is deleted. A document all of whose URLs are gone is
        marked removed too."""
        now = utc_now()
        with self._atomic():
            self.db.execute("UPDATE document_urls SET removed_at = ?, removed_reason = ? "
                            "WHERE url = ? AND removed_at IS NULL", [now, reason, url])
            self.db.execute(
                "UPDATE documents SET removed_at = ? WHERE removed_at IS NULL AND sha256 = "
                "(SELECT sha256 FROM document_urls WHERE url = ?) AND NOT EXISTS (SELECT 1 FROM "
                "document_urls u WHERE u.sha256 = documents.sha256 AND u.removed_at IS NULL)",
                [now, url])

    # ---- documents and reports -----------------------------------------------------------

    def raw_path(self, sha: str) -> Path:
        """Where the raw bytes of a document are kept."""
        return self.raw_dir / sha[:2] / sha

    def _write_raw(self, sha: str, data: bytes) -> str:
        path = self.raw_path(sha)
        try:
            present = path.stat().st_size == len(data)
        except FileNotFoundError:
            present = False
        if not present:
            if path.parent not in self._raw_dirs:  # 256 directories: made once each
                path.parent.mkdir(parents=True, exist_ok=True)
                self._raw_dirs.add(path.parent)
            tmp = path.with_name(f".{sha}.{os.getpid()}.tmp")
            try:
                tmp.write_bytes(data)
            except FileNotFoundError:  # the directory went away while we were open
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp.write_bytes(data)
            os.replace(tmp, path)  # atomic: a reader never sees half a file
        return f"{self._raw_prefix}/{sha[:2]}/{sha}"

    def store_document(self, data: bytes, url: str, content_type: str | None = None,
                       status: int = 200, headers: dict[str, str] | None = None,
                       fetched_at: str | None = None, page_url: str | None = None,
                       site_url: str | None = None, parsed: dict[str, Any] | None = None,
                       parse_error: str | None = None, related_urls: Iterable[str] = (),
                       run_id: int | None = None) -> dict[str, Any]:
        """Store one fetched document and the report it holds, in one transaction.

        :param data: the raw bytes
        :param url: where they were fetched
        :param parsed: ``parse_document(...)`` result, or None when the parse failed
        :param parse_error: the one-line reason when the parse failed
        :param related_urls: other URLs of the same report (the page and its attachment)
        :returns: ``{"document_id": sha256, "report_id": int | None,
            "status": "new" | "unchanged" | "changed"}``
        """
        sha = sha256_hex(data)
        raw = self._write_raw(sha, data)
        if parsed is not None:
            parsed = _normalised(parsed)
        with self._atomic():
            return self._store(sha, raw, data, url, content_type, status, headers or {},
                               fetched_at or utc_now(), page_url, site_url, parsed, parse_error,
                               tuple(related_urls), run_id)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Load many documents in one transaction, cross-year checks once at the end.

        For bulk loads (benchmarks, rebuilds) only: a crash loses the whole batch.
        """
        self._pending_agencies = set()
        try:
            with self._atomic():
                yield
                agencies, self._pending_agencies = self._pending_agencies, None
                for agency_id in agencies:
                    self._crosscheck_agency(agency_id)
        finally:
            self._pending_agencies = None

    @contextmanager
    def fresh_build(self) -> Iterator[None]:
        """Build a new corpus in one go, fast: for a database that holds no reports yet (the
        benchmark, a rebuild from the raw archive), with :meth:`bulk` batches inside.

            >>> with corpus.fresh_build():                                # doctest: +SKIP
            ...     for batch in batches:
            ...         with corpus.bulk():
            ...             for doc in batch:
            ...                 corpus.store_document(**doc)

        Inside it, ``synchronous`` is OFF (an OS crash can corrupt the file: rebuild it), the
        secondary indexes no load look-up needs are dropped, the full-text and facet-count
        triggers are off, and foreign keys are not enforced row by row (the loaders only insert
        rows whose references exist; checking each of ~200 cells per report against ``reports``
        and ``fields`` doubled the cost of inserting them). On leaving — also after an error —
        the indexes are created again in one sorted pass each, the full-text index is filled in
        one pass and the facet counts in one GROUP BY each (much cheaper than keeping them up to
        date row by row), the foreign keys of every table but the bulk ones (cell_values,
        cell_notes, checks) are checked, and the WAL is checkpointed.
        Never for the crawler's incremental loads.
        """
        if self.db.execute("SELECT 1 FROM reports LIMIT 1").fetchone():
            raise ValueError("fresh_build() is for a database without reports")
        # Their own CREATE statements are kept and replayed: the same definitions come back.
        saved = self.db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE (type = 'trigger' AND (tbl_name = "
            "'reports' OR name LIKE 'facet_counts_%')) "
            f"OR (type = 'index' AND name IN ({_deferrable_indexes()}))").fetchall()
        with self._atomic():
            for kind, name, _ in saved:
                self.db.execute(f'DROP {kind.upper()} "{name}"')
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            # CREATE INDEX sorts with helper threads when allowed, spilling to temporary files:
            # with temp_store = MEMORY the sort of a million reports' cells (when they were rows)
            # held ~10 GB in this process.
            self.db.execute(f"PRAGMA threads = {min(os.cpu_count() or 1, 8)}")
            self.db.execute("PRAGMA temp_store = FILE")
            with self._atomic():
                for _, _, sql in saved:
                    self.db.execute(sql)
                self.db.execute("INSERT INTO reports_fts (reports_fts) VALUES ('rebuild')")
                refill_facet_counts(self.db)
            self.db.execute("PRAGMA threads = 0")
            self.db.execute("PRAGMA temp_store = MEMORY")
            broken = [row for table in self.db.table_names()
                      if table not in _BULK_TABLES and not table.startswith("_")
                      for row in self.db.execute(f'PRAGMA foreign_key_check("{table}")')]
            if broken:
                raise RuntimeError(f"fresh_build left {len(broken)} rows with a dangling "
                                   f"reference, e.g. {broken[0]}")
            # The rebuilt indexes sit in the WAL (as large as the indexes): copy them into the
            # database now, so the first ordinary commit afterwards does not pay for it.
            try:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # a reader holds the WAL: SQLite checkpoints later

    def _store(self, sha: str, raw: str, data: bytes, url: str, content_type: str | None,
               status: int, headers: dict[str, str], fetched_at: str, page_url: str | None,
               site_url: str | None, parsed: dict[str, Any] | None, parse_error: str | None,
               related_urls: tuple[str, ...], run_id: int | None) -> dict[str, Any]:
        site_id = self._site_id(site_url)
        prev_url = self.db.execute("SELECT sha256, report_id, first_seen FROM document_urls "
                                   "WHERE url = ?", [url]).fetchone()
        doc = self.db.execute("SELECT sha256, last_seen FROM documents WHERE sha256 = ?",
                              [sha]).fetchone()
        is_report = bool(parsed and parsed.get("is_annual_report"))
        if doc is None:
            self._insert("documents", {
                "sha256": sha, "url": url, "page_url": page_url, "site_id": site_id,
                "content_type": content_type, "size": len(data), "http_status": status,
                "headers": json.dumps(headers, ensure_ascii=False), "fetched_at": fetched_at,
                "first_seen": fetched_at, "last_seen": fetched_at, "raw_path": raw,
                "document_type": (parsed or {}).get("document_type"),
                "is_annual_report": int(is_report) if parsed else None,
                "needs_ocr": int(bool((parsed or {}).get("needs_ocr"))) if parsed else None,
                "parse_error": parse_error, "parser_version": (parsed or {}).get("parser_version")})
            status_word = "new"
        else:
            if fetched_at > (doc[1] or ""):
                self.db["documents"].update(sha, {"last_seen": fetched_at, "removed_at": None})
            status_word = "unchanged"
        report_id = None
        if is_report:
            assert parsed is not None
            report_id, status_word = self._store_report(sha, url, page_url, site_id, parsed,
                                                        fetched_at, run_id, prev_url, doc is None)
        elif prev_url and prev_url[1] is not None and prev_url[0] != sha:
            # The URL of a report now serves something that is not a report: keep the report,
            # but the URL no longer points to it.
            status_word = "changed"
        source = report_id is not None and self.db.execute(
            "SELECT 1 FROM reports WHERE id = ? AND document_sha256 = ?",
            [report_id, sha]).fetchone() is not None
        self._insert("document_urls", {
            "url": url, "sha256": sha, "report_id": report_id,
            "role": "source" if source else ("copy" if report_id else "document"),
            "page_url": page_url, "site_id": site_id, "http_status": status,
            "etag": _header(headers, "etag"), "last_modified": _header(headers, "last-modified"),
            "fetched_at": fetched_at, "first_seen": prev_url[2] if prev_url else fetched_at,
            "last_seen": fetched_at, "removed_at": None, "removed_reason": None}, "UPSERT:url")
        if prev_url and prev_url[0] is not None and prev_url[0] != sha:
            # The URL now serves other bytes (another report, no report, or a new version of
            # the same report): the document it served, if no other URL serves it, is gone
            # from the web, as mark_removed would say.
            self.db.execute(
                "UPDATE documents SET removed_at = ? WHERE removed_at IS NULL AND sha256 = ? AND "
                "NOT EXISTS (SELECT 1 FROM document_urls u WHERE u.sha256 = documents.sha256 AND "
                "u.removed_at IS NULL)", [fetched_at, prev_url[0]])
        for other in related_urls:
            if other and other != url and report_id is not None:
                known = self.db.execute("SELECT report_id FROM document_urls WHERE url = ?",
                                        [other]).fetchone()
                if known is None:
                    self._insert("document_urls", {
                        "url": other, "report_id": report_id,
                        "role": "page" if other == page_url else "related", "site_id": site_id,
                        "first_seen": fetched_at, "last_seen": fetched_at})
                elif known[0] is None:
                    self.db["document_urls"].update(other, {"report_id": report_id})
        return {"document_id": sha, "report_id": report_id, "status": status_word}

    def _find_report(self, sha: str, key: str | None,
                     prev_url: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
        """The existing report a document belongs to: same bytes, same agency+year, same URL."""
        cols = "id, report_key, document_sha256, source_url, agency_id, version, content_hash"
        row = self.db.execute(f"SELECT {cols} FROM reports WHERE document_sha256 = ?",
                              [sha]).fetchone()
        if row is None:
            row = self.db.execute(f"SELECT {cols} FROM reports WHERE id = (SELECT report_id FROM "
                                  "document_urls WHERE sha256 = ? AND report_id IS NOT NULL "
                                  "LIMIT 1)", [sha]).fetchone()
        if row is None and key:
            row = self.db.execute(f"SELECT {cols} FROM reports WHERE report_key = ?",
                                  [key]).fetchone()
        if row is None and prev_url and prev_url[1] is not None:
            row = self.db.execute(f"SELECT {cols} FROM reports WHERE id = ?",
                                  [prev_url[1]]).fetchone()
            if row is not None and key and not row[1].startswith("doc:") and row[1] != key:
                row = None  # the URL now serves another agency's or year's report: a new one
        return row

    def _store_report(self, sha: str, url: str, page_url: str | None, site_id: int | None,
                      parsed: dict[str, Any], fetched_at: str, run_id: int | None,
                      prev_url: tuple[Any, ...] | None, new_document: bool) -> tuple[int, str]:
        agency, year = parsed.get("agency"), parsed.get("year")
        key = f"{agency}|{year}" if agency and year else None
        cells = _cells_of(parsed)
        existing = self._find_report(sha, key, prev_url)
        if existing is None:
            report_id, _ = self._write_report(None, key or f"doc:{sha}", sha, url, page_url,
                                              site_id, parsed, cells, fetched_at, run_id)
            return report_id, "new"
        report_id, old_key, old_sha, old_url = existing[0], existing[1], existing[2], existing[3]
        if old_sha == sha:
            return report_id, "unchanged"
        old_score = len(self._values(report_id))
        # The report's own URL now serves new bytes: a new version whatever it holds. A report
        # posted again as a correction (…（更正）, flagged by the crawler's pipeline) supersedes
        # it wherever it is. Otherwise this is another copy (page vs attachment): it becomes the
        # source only if it holds more.
        replace = url == old_url or bool(parsed.get("correction")) or \
            _score(cells) > old_score
        if not replace:
            return report_id, "unchanged"
        if key and key != old_key and self.db.execute(
                "SELECT 1 FROM reports WHERE report_key = ?", [key]).fetchone():
            key = old_key  # another report already holds that identity: keep ours
        _, changed = self._write_report(report_id, key or old_key, sha, url, page_url, site_id,
                                     parsed, cells, fetched_at, run_id, previous=existing)
        return report_id, "changed" if changed else "unchanged"

    def _write_report(self, report_id: int | None, key: str, sha: str, url: str,
                      page_url: str | None, site_id: int | None, parsed: dict[str, Any],
                      cells: dict[str, tuple[Any, str | None]], fetched_at: str,
                      run_id: int | None, previous: tuple[Any, ...] | None = None
                      ) -> tuple[int, bool]:
        """Insert or replace a report's row, cells and checks. Returns the report id and whether
        the content changed (a new version was recorded)."""
        agency_id = self._agency_id(parsed.get("agency"), site_id)
        now = utc_now()
        row = report_row(parsed, cells, key=key, agency_id=agency_id,
                         region=self._region(agency_id, site_id),
                         site_id=site_id, sha=sha, url=url, page_url=page_url,
                         fetched_at=fetched_at, now=now)
        content_hash = row["content_hash"]
        if previous is None:
            row.update({"version": 1, "first_seen": fetched_at})
            report_id = self._insert("reports", row)
            version, changed = 1, True
        else:
            assert report_id is not None
            changed = previous[6] != content_hash
            version = previous[5] + (1 if changed else 0)
            if not changed:
                row["updated_at"] = self.db.execute("SELECT updated_at FROM reports WHERE id = ?",
                                                    [report_id]).fetchone()[0]
            row["version"] = version
            old_cells = {k: (v, r) for k, v, r in self.db.execute(
                "SELECT key, value, value_raw FROM cells WHERE report_id = ?", [report_id])}
            if changed:
                self._record_changes(report_id, version, old_cells, cells, now)
            self.db.execute("DELETE FROM cell_values WHERE report_id = ?", [report_id])
            self.db.execute("DELETE FROM cell_notes WHERE report_id = ?", [report_id])
            self.db.execute("DELETE FROM checks WHERE report_id = ? AND scope != 'corpus'",
                            [report_id])
            self.db["reports"].update(report_id, row)
            self.db.execute("UPDATE document_urls SET role = 'copy' WHERE report_id = ? "
                            "AND role = 'source'", [report_id])
        if cells:
            values, notes = self._cells.split(cells)
            self.db.conn.execute(self._cells.insert_sql, [report_id, *values])
            self.db.conn.executemany(INSERT_NOTES, [(report_id, *n) for n in notes])
        checks = report_checks(parsed, cells, row["full_text"])
        if checks:
            self._insert_many("checks", [{"report_id": report_id, **c} for c in checks],
                              "INSERT OR REPLACE")
        if changed:
            self._insert("report_versions", {
                "report_id": report_id, "version": version, "content_hash": content_hash,
                "document_sha256": sha, "recorded_at": now, "run_id": run_id})
        if agency_id is not None:
            if self._pending_agencies is not None:
                self._pending_agencies.add(agency_id)
            else:
                self._crosscheck_agency(agency_id)
        if agency_id is None or parsed.get("year") is None:
            # Otherwise the agency's cross-year pass summarises (now or at the end of a bulk).
            self._summarise_checks([report_id])
        return report_id, changed

    def _record_changes(self, report_id: int, version: int,
                        old: dict[str, tuple[Any, str | None]],
                        new: dict[str, tuple[Any, str | None]], now: str) -> None:
        rows = []
        for key in dict.fromkeys([*old, *new]):
            (ov, orw), (nv, nrw) = old.get(key, (None, None)), new.get(key, (None, None))
            if ov != nv or orw != nrw:
                rows.append({"report_id": report_id, "version": version, "key": key,
                             "old_value": ov, "new_value": nv, "old_raw": orw, "new_raw": nrw,
                             "changed_at": now})
        if rows:
            self.db["cell_changes"].insert_all(rows)

    # ---- checks across reports -----------------------------------------------------------

    def _values(self, report_id: int) -> dict[str, Any]:
        return self._cells.values_of(
            self.db.execute(self._cells.select_sql, [report_id]).fetchone())

    def _crosscheck_agency(self, agency_id: int) -> None:
        """Recompute the cross-year checks of one agency's reports (consecutive years)."""
        self._crosscheck_agencies([agency_id])

    def _crosscheck_agencies(self, agency_ids: Iterable[int],
                             known: dict[int, dict[str, Any]] | None = None) -> None:
        """Recompute the cross-year checks of these agencies' reports, then their summaries.

        :param known: report id → cell key → value for reports whose cells the caller holds
            (a bulk load): those are not read back from the database
        """
        values: dict[int, dict[str, Any]] = dict(known or {})  # each report's cells read once
        rows: list[tuple[Any, ...]] = []
        ids: list[int] = []
        for agency_id in agency_ids:
            reports = self.db.execute("SELECT id, year, format FROM reports WHERE agency_id = ? "
                                      "AND year IS NOT NULL ORDER BY year", [agency_id]).fetchall()
            ids += [r[0] for r in reports]
            by_year = {year: (rid, fmt) for rid, year, fmt in reports}
            for rid, year, fmt in reports:
                prev = by_year.get(year - 1)
                if prev is None:
                    continue
                for r in (prev[0], rid):
                    if r not in values:
                        values[r] = self._values(r)
                rows += [(rid, name, rule, scope, severity,
                          None if passed is None else int(passed), detail)
                         for name, rule, scope, severity, passed, detail
                         in year_check_rows(values[prev[0]], prev[1], values[rid], fmt)]
        if not ids:
            return
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            self.db.execute("DELETE FROM checks WHERE +scope = 'corpus' AND report_id IN "
                            f"({','.join('?' * len(part))})", part)
        if rows:  # ~10 rows per report: straight tuples, not _insert_many's per-value path
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO checks (report_id, name, rule, scope, severity, passed, "
                "detail) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        self._summarise_checks(ids)

    def _summarise_checks(self, report_ids: list[int]) -> None:
        """reports.checks_passed / checks_failed / warnings_failed from their checks rows."""
        for start in range(0, len(report_ids), 500):
            part = report_ids[start:start + 500]
            marks = ",".join("?" * len(part))
            self.db.execute(f"""UPDATE reports SET
  checks_passed = CASE WHEN s.assessed THEN s.failed = 0 END,
  checks_failed = s.failed, warnings_failed = s.warned
FROM (SELECT r.id AS id,
        coalesce(sum(c.severity = 'error' AND c.passed = 0), 0) AS failed,
        coalesce(sum(c.severity = 'warning' AND c.passed = 0), 0) AS warned,
        coalesce(sum(c.severity = 'error' AND c.passed IS NOT NULL), 0) AS assessed
      FROM reports r LEFT JOIN checks c ON c.report_id = r.id
      WHERE r.id IN ({marks}) GROUP BY r.id) AS s
WHERE reports.id = s.id""", part)

    def refresh_crosschecks(self) -> int:
        """Recompute every agency's cross-year checks (after a bulk load or a re-parse).

        :returns: the number of agencies checked
        """
        ids = [r[0] for r in self.db.execute("SELECT id FROM agencies").fetchall()]
        with self._atomic():
            for agency_id in ids:
                self._crosscheck_agency(agency_id)
        return len(ids)

    # ---- closing -------------------------------------------------------------------------

    def close(self) -> None:
        """Checkpoint the WAL into the main file (so it can be served immutable) and close."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # another connection is reading: the WAL is checkpointed later
        self.db.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
