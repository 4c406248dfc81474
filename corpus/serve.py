"""``nianbao serve``: publish the corpus with Datasette, read-only.

    nianbao serve --db data/corpus.db --port 8001

    >>> from corpus.serve import make_datasette
    >>> ds = make_datasette("data/corpus.db")                     # doctest: +SKIP
    >>> (await ds.client.get("/corpus/reports.json")).status_code  # doctest: +SKIP
    200

The database is always published as ``corpus`` (whatever the file is called), with
``data/metadata.yaml`` (titles, descriptions, facets, canned queries, dashboards), the plugin
hooks in ``corpus/plugins/`` (raw copies at ``/-/raw/<sha256>``, links) and the limits in
:data:`SETTINGS`. There is no write access: the file is opened ``mode=ro`` (or ``immutable=1``
when nothing else writes to it, which lets Datasette cache counts).
"""

from __future__ import annotations

import socket
import sqlite3
import sys
from pathlib import Path
from typing import Any

from corpus.preflight import (
    CorpusUnusable,
    check_corpus_file,
    open_read_only,
    pending_migrations,
    read_only_medium,
    recorded_migrations,
)
from corpus.publish import DB_NAME, METADATA_PATH, build_metadata, load_metadata
from corpus.schema import COUNTED_FACET_TYPE, COUNTED_FACETS
from corpus.store import UpgradeError, upgrade_corpus

PLUGINS_DIR = Path(__file__).resolve().parent / "plugins"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# What keeps a public instance safe and fast (Datasette settings).
SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": 1500,      # any query, canned or typed, stops here
    "facet_time_limit_ms": 400,     # a slow facet is dropped, not the page
    "max_returned_rows": 1000,      # JSON/HTML rows per query
    "default_page_size": 50,
    "num_sql_threads": 4,
    "allow_download": False,        # the file may be large: use `nianbao export` or the JSON API
    "suggest_facets": False,        # suggestions scan every column: too slow on a big corpus
    "max_csv_mb": 100,
    "truncate_cells_html": 300,     # report texts are long
    "default_cache_ttl": 300,
    "allow_csv_stream": True,
    "default_facet_size": 40,
}


class ServeError(Exception):
    """A one-line reason the corpus cannot be served."""


def check_corpus(db: str | Path) -> Path:
    """The database path, if it exists and holds a corpus; else :class:`ServeError`."""
    try:
        path = check_corpus_file(db) or Path(db)  # a directory, damaged, newer nianbao's …
        conn = open_read_only(path)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            applied, pending = recorded_migrations(conn), pending_migrations(conn)
        finally:
            conn.close()
    except CorpusUnusable as exc:
        raise ServeError(str(exc)) from None
    except sqlite3.DatabaseError as exc:
        raise ServeError(f"{db} is not a SQLite database ({exc})") from None
    if "reports" not in tables or not applied:
        raise ServeError(f"{path} is not a nianbao corpus (no reports table or schema record)")
    if pending and read_only_medium(path):
        raise ServeError(f"{path} was built by an older nianbao and is on a read-only medium: "
                         f"serve a writable copy once (it is upgraded: {', '.join(pending)})")
    try:
        if pending:
            upgrade_corpus(path)
    except UpgradeError as exc:
        raise ServeError(str(exc)) from None
    return path


def metadata_for(raw_dir: str | Path | None = None,
                 search_exact_up_to: int | None = None,
                 file_stem: str | None = None) -> dict[str, Any]:
    """The published metadata: the checked-in file (or the code's, when not checked out).

    :param file_stem: the corpus file's name without extension: ``/<file_stem>/…`` redirects
        to ``/corpus/…``
    """
    metadata = load_metadata() if METADATA_PATH.exists() else build_metadata()
    for table, columns in COUNTED_FACETS.items():  # counted once: the nianbao_facets plugin
        meta = metadata["databases"][DB_NAME]["tables"].get(table, {})
        meta["facets"] = [{COUNTED_FACET_TYPE: f} if f in columns else f
                          for f in meta.get("facets", [])]
    config = {"raw_dir": str(raw_dir) if raw_dir is not None else None,
              "search_exact_up_to": search_exact_up_to, "file_stem": file_stem}
    config = {k: v for k, v in config.items() if v is not None}
    if config:
        metadata.setdefault("plugins", {}).setdefault("nianbao", {}).update(config)
    return metadata


def make_datasette(db: str | Path, immutable: bool = False,
                   raw_dir: str | Path | None = None,
                   search_exact_up_to: int | None = None) -> Any:
    """A configured Datasette app for one corpus file (used by serve, demo and the tests).

    :param db: the corpus SQLite file
    :param immutable: open with ``immutable=1`` (only when no process writes to it)
    :param raw_dir: where raw copies are (default: resolved from ``documents.raw_path``)
    :param search_exact_up_to: a table search matching more reports than this is shown
        without its count and facets (default 20,000: ``corpus/plugins/nianbao_search.py``)
    """
    from datasette.app import Datasette
    from datasette.database import Database

    path = check_corpus(db)
    if not immutable and read_only_medium(path):
        immutable = True  # nothing can write there, and SQLite's WAL needs to (its -shm file)
        print(f"{path} is on a read-only medium: served as --immutable", file=sys.stderr)
    wal = path.with_name(path.name + "-wal")
    if immutable and wal.exists() and wal.stat().st_size > 0:
        immutable = False  # committed pages still in the WAL: immutable=1 would not see them
    ds = Datasette(metadata=metadata_for(raw_dir, search_exact_up_to, path.stem),
                   plugins_dir=str(PLUGINS_DIR),
                   template_dir=str(TEMPLATES_DIR) if TEMPLATES_DIR.is_dir() else None,
                   settings=SETTINGS)
    ds.add_database(Database(ds, path=str(path.resolve()), is_mutable=not immutable),
                    name=DB_NAME)
    ds.remove_database("_memory")  # made because no file was given to the constructor: empty
    return ds


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 → an ephemeral port, so the real URL can be printed)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    return sock


def serve_forever(ds: Any, sock: socket.socket, announce: str = "") -> None:
    """Run uvicorn on a bound socket until interrupted."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"{announce}Serving the corpus at http://{shown}:{port}/ (Ctrl-C to stop)",
          flush=True)
    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    server.run(sockets=[sock])


def run_serve(db: str, host: str = "127.0.0.1", port: int = 8001,
              immutable: bool = False) -> int:
    """``nianbao serve``: serve the corpus read-only until interrupted.

    :param db: the corpus SQLite file
    :param host: interface to listen on
    :param port: TCP port (0 for any free port; the URL is printed)
    """
    try:
        ds = make_datasette(db, immutable=immutable)
        sock = bind(host, port)
    except ServeError as exc:
        print(f"nianbao serve: error: {exc}", file=sys.stderr)
        return 1
    serve_forever(ds, sock)
    return 0
