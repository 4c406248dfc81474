"""``nianbao export``: every stored report as JSON lines, CSV or Parquet.

    nianbao export --db data/corpus.db --format jsonl --output reports.jsonl
    nianbao export --db data/corpus.db --format csv --output reports.csv  # + reports.codebook.csv
    nianbao export --db data/corpus.db --format parquet --output reports.parquet

- ``jsonl``: one object per report: the ``nianbao parse --json`` object (tables rebuilt from the
  stored cells, the parser's checks, sections, warnings, the document's text …) plus ``source_url``, ``page_url``,
  ``site`` (the seed site's url), ``fetched_at`` (ISO 8601) and ``corpus_checks`` (the checks
  across years and against the prose, which ``parse`` cannot know).
- ``csv`` / ``parquet``: one row per report, identifying columns (:data:`ID_COLUMNS`) then one
  column per cell key ``table.row.col`` in fields.csv order. With ``--output X.csv`` the codebook
  (key, labels, unit, format) is written beside it as ``X.codebook.csv``.

Reports, figures and cell notes are read in report order and merged here (ordered scans), so a
million reports stream through in constant memory.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from corpus.codebook import FIELDS, all_fields
from corpus.preflight import (
    CorpusUnusable,
    check_corpus_file,
    open_read_only,
    pending_migrations,
    recorded_migrations,
)
from corpus.schema import quote_name
from corpus.store import UpgradeError, upgrade_corpus

ID_COLUMNS = ["report_id", "agency", "year", "format", "title", "published_date", "region_code",
              "province", "prefecture", "county", "level", "checks_passed", "source_url",
              "page_url", "site", "fetched_at", "document_sha256"]

_REPORT_SQL = """SELECT r.id AS report_id, r.agency, r.year, r.format, r.title, r.published_date,
  r.region_code, r.province, r.prefecture, r.county, r.level, r.checks_passed, r.source_url,
  r.page_url, s.url AS site, r.fetched_at, r.document_sha256, r.sections, r.warnings,
  r.needs_ocr, r.document_type, r.parser_version, r.extra, r.full_text
FROM reports r LEFT JOIN sites s ON s.id = r.site_id ORDER BY r.id"""


class ExportError(Exception):
    """A one-line reason the export cannot run."""


def _connect(db: str | Path) -> sqlite3.Connection:
    try:
        path = check_corpus_file(db) or Path(db)  # a directory, damaged, newer nianbao's …
        conn = open_read_only(path)  # immutable=1 on a read-only medium
        conn.execute("SELECT 1 FROM reports LIMIT 1")
        is_corpus, pending = bool(recorded_migrations(conn)), pending_migrations(conn)
    except CorpusUnusable as exc:
        raise ExportError(str(exc)) from None
    except sqlite3.DatabaseError as exc:
        raise ExportError(f"{db} is not a nianbao corpus ({exc})") from None
    if not is_corpus:
        conn.close()
        raise ExportError(f"{path} is not a nianbao corpus (no schema record)")
    if pending:  # built by an older nianbao: bring it up to date, then read it
        conn.close()
        try:
            upgrade_corpus(path)
        except UpgradeError as exc:
            raise ExportError(str(exc)) from None
        conn = open_read_only(path)
    conn.row_factory = sqlite3.Row
    return conn


def iter_reports(conn: sqlite3.Connection, progress: bool = False
                 ) -> Iterator[tuple[sqlite3.Row, dict[str, Any], dict[str, Any]]]:
    """(report row, {key: value}, {key: raw}) per report, in id order.

    :param progress: a progress bar on stderr (when it is a terminal)
    """
    bar = None
    if progress:
        from corpus.progress import progress_bar

        total = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        bar = progress_bar(total, "export", " reports")
    keys = [r[1] for r in conn.execute("PRAGMA table_info(cell_values)")][1:]  # after report_id
    field_keys = dict(conn.execute("SELECT id, key FROM fields").fetchall())
    names = "".join(f", {quote_name(k)}" for k in keys)
    figures = _ReportRows(conn.execute(f"SELECT report_id{names} FROM cell_values "
                                      "ORDER BY report_id"))
    notes = _ReportRows(conn.execute("SELECT report_id, field_id, value_raw FROM cell_notes "
                                    "ORDER BY report_id, field_id"))
    for report in conn.execute(_REPORT_SQL):
        rid = report["report_id"]
        values: dict[str, Any] = {}
        raws: dict[str, Any] = {}
        for row in figures.take(rid):
            for key, value in zip(keys, row[1:]):
                if value is not None:
                    values[key] = value
                    raws[key] = str(value) if type(value) is int else None
        for _, field_id, raw in notes.take(rid):  # printed text; the cells without a value
            key = field_keys[field_id]
            values.setdefault(key, None)
            raws[key] = raw
        if bar is not None:
            bar.update()
        yield report, values, raws
    if bar is not None:
        bar.close()


class _ReportRows:
    """Rows of a cursor ordered by report id, taken report by report (a merge of two ordered
    scans: no report's cells are looked up one by one)."""

    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor
        self._pending = cursor.fetchone()

    def take(self, report_id: int) -> list[Any]:
        rows = []
        while self._pending is not None and self._pending[0] < report_id:
            self._pending = self._cursor.fetchone()  # rows of a report that vanished mid-read
        while self._pending is not None and self._pending[0] == report_id:
            rows.append(self._pending)
            self._pending = self._cursor.fetchone()
        return rows


def _checks_by_report(conn: sqlite3.Connection) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    rows = conn.execute("SELECT report_id, name, scope, severity, passed, detail FROM checks "
                        "ORDER BY report_id, scope, rowid")
    current, group = None, []
    for row in rows:
        if row[0] != current and current is not None:
            yield current, group
            group = []
        current = row[0]
        group.append({"name": row[1], "scope": row[2], "severity": row[3],
                      "passed": None if row[4] is None else bool(row[4]), "detail": row[5]})
    if current is not None:
        yield current, group


def report_object(report: sqlite3.Row, values: dict[str, Any], raws: dict[str, Any],
                  checks: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``parse --json`` object of a stored report, plus where it came from."""
    obj: dict[str, Any] = {"is_annual_report": True, "title": report["title"],
                           "agency": report["agency"], "year": report["year"],
                           "format": report["format"],
                           "published_date": report["published_date"]}
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for key in FIELDS:  # fields.csv order, so every export lists cells alike
        if key in values:
            f = FIELDS[key]
            tables.setdefault(f.table, {}).setdefault(f.row, {})[f.col] = values[key]
    obj.update(tables)
    obj["checks"] = [{"name": c["name"], "passed": c["passed"], "detail": c["detail"]}
                     for c in checks if c["scope"] == "report"]
    obj["corpus_checks"] = [c for c in checks if c["scope"] != "report"]
    obj["sections"] = json.loads(report["sections"] or "{}")
    obj["warnings"] = json.loads(report["warnings"] or "[]")
    # parse gives the printed text of the cells it read; a cell stored without one (a row of
    # the other format it named) has no entry there either.
    obj["cells_raw"] = {k: raws[k] for k in FIELDS if raws.get(k) is not None}
    obj["needs_ocr"] = bool(report["needs_ocr"])
    obj["document_type"] = report["document_type"]
    obj["parser_version"] = report["parser_version"]
    obj["text"] = report["full_text"]  # the document's text, as parse --json gives it
    for key, value in json.loads(report["extra"] or "{}").items():
        obj.setdefault(key, value)
    obj.update({"source_url": report["source_url"], "page_url": report["page_url"],
                "site": report["site"], "fetched_at": report["fetched_at"],
                "report_id": report["report_id"], "document_sha256": report["document_sha256"]})
    return obj


def write_jsonl(conn: sqlite3.Connection, out: IO[str], progress: bool = False) -> int:
    """One parse-style JSON object per line; returns the number of reports."""
    checks = _checks_by_report(conn)
    pending = next(checks, None)
    n = 0
    for report, values, raws in iter_reports(conn, progress):
        rid = report["report_id"]
        while pending is not None and pending[0] < rid:
            pending = next(checks, None)
        mine = pending[1] if pending is not None and pending[0] == rid else []
        out.write(json.dumps(report_object(report, values, raws, mine), ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def wide_rows(conn: sqlite3.Connection, progress: bool = False) -> Iterator[list[Any]]:
    """Rows of the wide table: :data:`ID_COLUMNS` then every key of fields.csv."""
    keys = list(FIELDS)
    for report, values, _ in iter_reports(conn, progress):
        yield [report[c] for c in ID_COLUMNS] + [values.get(k) for k in keys]


def write_codebook(path: Path) -> None:
    """The codebook CSV: one row per cell column of the wide exports."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["column", "table", "row", "col", "format", "label_zh", "label_en",
                         "unit", "unit_en"])
        for f in all_fields():
            writer.writerow([f.key, f.table, f.row, f.col, f.format, f.label_zh, f.label_en,
                             f.unit, f.unit_en])


def codebook_path(output: Path) -> Path:
    """``reports.csv`` → ``reports.codebook.csv`` (beside the export)."""
    return output.with_name(output.name.rsplit(".", 1)[0] + ".codebook.csv")


def write_csv(conn: sqlite3.Connection, out: IO[str], progress: bool = False) -> int:
    """The wide table as CSV (UTF-8, header row); returns the number of reports."""
    writer = csv.writer(out)
    writer.writerow(ID_COLUMNS + list(FIELDS))
    n = 0
    for row in wide_rows(conn, progress):
        writer.writerow(["" if v is None else v for v in row])
        n += 1
    return n


def _need_pyarrow() -> None:
    """Parquet is written with pyarrow (a dependency, but an environment may lack it): say
    which package, before anything is read or written (it said "No module named 'pyarrow'")."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise ExportError("parquet needs the pyarrow package, not installed in this Python "
                          f"({sys.executable}): `pip install pyarrow`, or export --format csv"
                          ) from None


def write_parquet(conn: sqlite3.Connection, path: Path, batch: int = 5000,
                  progress: bool = False) -> int:
    """The wide table as Parquet: counts int64, amounts float64, nulls kept."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"report_id": pa.int64(), "year": pa.int64(), "checks_passed": pa.int64()}
    fields = [pa.field(c, types.get(c, pa.string())) for c in ID_COLUMNS]
    fields += [pa.field(k, pa.float64() if FIELDS[k].col == "amount_10k_yuan" else pa.int64())
               for k in FIELDS]
    schema = pa.schema(fields, metadata={b"pandas": _pandas_metadata(fields)})
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        chunk: list[list[Any]] = []

        def flush() -> None:
            columns = list(zip(*chunk))
            arrays = [pa.array([_coerce(v, f.type) for v in col], type=f.type)
                      for col, f in zip(columns, fields)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))

        for row in wide_rows(conn, progress):
            chunk.append(row)
            n += 1
            if len(chunk) >= batch:
                flush()
                chunk = []
        if chunk:
            flush()
    return n


def _pandas_metadata(fields: list[Any]) -> bytes:
    """pandas' own schema note, naming the int64 columns ``Int64`` (nullable integers).

    Without it ``pd.read_parquet`` turns every count column holding a null — a blank cell, a
    2021-only row of a 2019 report — into float64 (``22.0``), and ``year`` too when a report has
    none. With it the counts stay integers and blanks are ``<NA>``. R's arrow ignores the note.
    """
    import pyarrow as pa

    columns = [{"name": f.name, "field_name": f.name, "pandas_type": "int64",
                "numpy_type": "Int64", "metadata": None} for f in fields if f.type == pa.int64()]
    return json.dumps({"index_columns": [], "column_indexes": [], "columns": columns,
                       "creator": {"library": "nianbao"}, "pandas_version": "2.0.0"}).encode()


def _coerce(value: Any, typ: Any) -> Any:
    import pyarrow as pa

    if value is None:
        return None
    if typ == pa.int64():
        return int(value)
    if typ == pa.float64():
        return float(value)
    return str(value)


def _check_output(output: str, db: str | Path) -> Path:
    """The ``--output`` path, if a file can be written there; else :class:`ExportError` — also
    when it, or the codebook beside it, is the corpus itself (or its ``-wal``/``-shm``), which
    the export would replace."""
    path = Path(output)
    corpus = Path(db).resolve()
    mine = {corpus, corpus.with_name(corpus.name + "-wal"), corpus.with_name(corpus.name + "-shm")}
    for target in (path, codebook_path(path)):
        if target.resolve() in mine:
            raise ExportError(f"cannot write {target}: it is the corpus {db} (give another "
                              "--output)")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a directory (give a file name)")
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {path}: no directory {parent}")
    return path


@contextmanager
def _output_file(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path``, renamed over it only when the export completed: a
    failed or interrupted export leaves no half file, and an earlier export stays whole. A
    device or FIFO (``--output /dev/stdout``) is written as it is; a symlink, through."""
    if path.exists() and not path.is_file():
        yield path
        return
    path = path.resolve() if path.is_symlink() else path
    part = path.with_name(f".{path.name}.part")
    try:
        yield part
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)


def run_export(db: str, fmt: str, output: str | None = None) -> int:
    """``nianbao export``: write every stored report in ``fmt`` to ``output`` (stdout if None).

    :param db: the corpus SQLite file
    :param fmt: ``jsonl``, ``csv`` or ``parquet``
    :param output: the file to write; required for parquet; for csv/parquet the codebook
        goes beside it as ``<name>.codebook.csv``
    :returns: exit status (1 with one line on stderr when the database is missing)
    :raises BrokenPipeError: stdout's reader went away (``| head``): the CLI stops quietly
    """
    to_file = bool(output) and output != "-"
    codebook = False
    try:
        if fmt not in ("jsonl", "csv", "parquet"):
            raise ExportError(f"unknown format {fmt!r} (jsonl, csv or parquet)")
        if fmt == "parquet" and not to_file:
            raise ExportError("parquet needs --output FILE")
        if fmt == "parquet":
            _need_pyarrow()
        path = _check_output(output, db) if to_file else None
        conn = _connect(db)
        try:
            if path is None:
                write = write_jsonl if fmt == "jsonl" else write_csv
                n = write(conn, sys.stdout, progress=True)
            else:
                with _output_file(path) as part:
                    if fmt == "parquet":
                        n = write_parquet(conn, part, progress=True)
                    else:
                        with open(part, "w", encoding="utf-8", newline="") as fh:
                            write = write_jsonl if fmt == "jsonl" else write_csv
                            n = write(conn, fh, progress=True)
                    # The codebook too is written beside and renamed, before the export: a
                    # disk filling there left it cut short under its name, the export whole
                    # and exit 1. Not beside a device (``--output /dev/stdout``).
                    codebook = fmt != "jsonl" and part != path
                    if codebook:
                        with _output_file(codebook_path(path)) as book:
                            write_codebook(book)
        finally:
            conn.close()
    except BrokenPipeError:
        raise
    except (ExportError, OSError) as exc:
        if isinstance(exc, ExportError):
            message = str(exc)
        else:
            name = getattr(exc, "filename", None) or output or "stdout"
            detail = exc.strerror or " ".join(str(exc).split())
            message = f"cannot write {name}: {detail}"
        print(f"nianbao export: error: {message}", file=sys.stderr)
        return 1
    if path is not None:
        extra = f" (codebook: {codebook_path(path)})" if codebook else ""
        print(f"exported {n} reports to {output}{extra}", file=sys.stderr)
    return 0


__all__ = ["ExportError", "run_export", "write_csv", "write_jsonl", "write_parquet",
           "report_object", "wide_rows"]
