"""Is ``--db`` a corpus this nianbao can use? One clear line when it is not, before any work.

Every command that takes ``--db`` meets the same bad inputs: a path that is a directory, a
file that is not SQLite (or a truncated one), some other program's SQLite database, a corpus
written by a *newer* nianbao (a migration this code does not know), a file it may not write.
Found late — inside Scrapy's reactor, say — they become a traceback and, worse, exit 0 with
nothing crawled. Checked here, first, they are one line and exit 1, and nothing is written.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> try:
    ...     check_corpus_file(d)
    ... except CorpusUnusable as exc:
    ...     str(exc).endswith("is a directory, not a corpus database file")
    True
    >>> check_corpus_file(d / "new.db", must_exist=False) is None      # created by the crawl
    True
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from corpus.schema import NewerCorpus, migrations, unknown_migrations


class CorpusUnusable(Exception):
    """The ``--db`` file cannot be used (one line for the CLI)."""


def recorded_migrations(conn: sqlite3.Connection) -> list[str]:
    """The nianbao migrations the file records as applied (none: not a corpus, or a new file).

    :param conn: an open connection to the file
    """
    try:
        rows = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ? "
                            "ORDER BY rowid", [migrations.name]).fetchall()
    except sqlite3.OperationalError:  # no such table
        return []
    return [name for (name,) in rows]


def read_only_medium(path: str | Path) -> bool:
    """The file's folder cannot be written (a read-only mount, a CD, a ``:ro`` volume): SQLite
    cannot make the ``-shm`` file a WAL database needs, so only ``immutable=1`` opens it."""
    return not os.access(Path(path).resolve().parent, os.W_OK)


def open_read_only(path: str | Path) -> sqlite3.Connection:
    """A read-only connection: ``mode=ro``, or ``immutable=1`` on a read-only medium (nothing
    can be writing to it there)."""
    flag = "immutable=1" if read_only_medium(path) else "mode=ro"
    return sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?{flag}", uri=True)


def pending_migrations(conn: sqlite3.Connection) -> list[str]:
    """The migrations this code has that the file lacks (an older nianbao's corpus)."""
    return [m.name for m in migrations.pending(sqlite_utils.Database(conn))]


def damaged(exc: BaseException) -> bool:
    """SQLite found the file damaged (``SQLITE_CORRUPT``, ``SQLITE_NOTADB``): every further
    write may spread it; unlike a locked or full database, waiting or freeing space is no cure.

    >>> damaged(sqlite3.DatabaseError("database disk image is malformed"))
    True
    >>> damaged(sqlite3.OperationalError("database is locked"))
    False
    """
    text = str(exc)
    return isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text)


def damage_line(path: str | Path, detail: str) -> str:
    """What the operator reads about a damaged corpus: which file, what SQLite said, what to do."""
    detail = " ".join(detail.split())
    detail = detail if len(detail) <= 120 else detail[:117] + "…"
    return (f"{path} is damaged ({detail}): restore it from a backup, or move it aside to start "
            f"a new corpus (`sqlite3 {Path(path).name} .recover` salvages what it can)")


# How long the writers' preflight may spend reading the whole file for damage (seconds): a
# corpus of a few hundred MB is read in that time; a bigger one is checked as far as it gets.
QUICK_CHECK_SECONDS = 3.0


def quick_check(conn: sqlite3.Connection, seconds: float | None = None) -> str | None:
    """``PRAGMA quick_check`` within a time budget: SQLite's first complaint, or None (no
    damage found — or the budget ran out before the end of the file).

    Damage past the first pages (a bad sector, a copy cut or overwritten in the middle) used
    to go unnoticed until a write met it: a ``store`` error per document, or nothing at all when
    only old rows sat on the bad page — and every later export failed.
    """
    import time

    if seconds is None:
        try:
            seconds = float(os.environ.get("NIANBAO_QUICK_CHECK_SECONDS", QUICK_CHECK_SECONDS))
        except ValueError:
            seconds = QUICK_CHECK_SECONDS
    budget = seconds
    if budget <= 0:
        return None
    deadline = time.monotonic() + budget
    conn.set_progress_handler(lambda: time.monotonic() > deadline, 10000)
    try:
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            return None
        raise
    finally:
        conn.set_progress_handler(None, 0)
    problems = [line for (text,) in rows for line in str(text).splitlines()
                if line != "ok" and not line.startswith("***")]
    return problems[0] if problems else None


def _disk_hint(path: Path, exc: BaseException) -> str:
    """Why SQLite says "disk I/O error" reading a corpus, when its disk is full: opening a WAL
    database needs room for its ``-shm`` file (the line said only "disk I/O error")."""
    if "disk I/O error" not in str(exc) and "disk is full" not in str(exc):
        return ""
    try:
        stat = os.statvfs(path.parent)
    except OSError:
        return ""
    free = stat.f_bavail * stat.f_frsize
    if free < 1024 * 1024:
        return (f" — its disk is full ({free // 1024} KB free on {path.parent}): free space "
                "and run it again")
    return " — is its disk failing? (see `dmesg`)"


def check_corpus_file(db: str | Path, must_exist: bool = True, thorough: bool = False
                      ) -> Path | None:
    """Check ``db`` without writing to it; returns its path, or None when it does not exist yet.

    :param db: the ``--db`` path
    :param must_exist: a missing file is an error (serve, export); else it is created later
        (crawl, nightly), as long as it is not some other program's database
    :param thorough: also look for damage in the whole file (:func:`quick_check`, bounded in
        time): for the commands that write to it
    :raises CorpusUnusable: with the one line to show
    """
    path = Path(db)
    if path.is_dir():
        raise CorpusUnusable(f"{path} is a directory, not a corpus database file")
    if not path.exists():
        if must_exist:
            raise CorpusUnusable(f"no corpus database at {path} (build one with `nianbao crawl` "
                                 "or run `nianbao demo`)")
        if path.parent.exists() and not path.parent.is_dir():
            raise CorpusUnusable(f"cannot create {path}: {path.parent} is not a directory")
        return None
    if not path.is_file():
        raise CorpusUnusable(f"{path} is not a regular file")
    if path.stat().st_size == 0:
        if must_exist:
            raise CorpusUnusable(f"{path} is an empty file, not a corpus (build one with "
                                 "`nianbao crawl`)")
        return path  # SQLite takes an empty file for a new database
    try:
        conn = open_read_only(path)
    except sqlite3.Error as exc:
        raise CorpusUnusable(f"cannot open {path}: {exc}") from None
    try:
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            applied = recorded_migrations(conn)
            newer = unknown_migrations(applied)
            problem = quick_check(conn) if thorough and applied and not newer else None
            if problem:
                raise CorpusUnusable(damage_line(path, problem))
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc):
                raise CorpusUnusable(damage_line(path, str(exc))) from None
            if "not a database" in str(exc) or "encrypted" in str(exc):
                raise CorpusUnusable(f"{path} is not a SQLite database ({exc})") from None
            raise CorpusUnusable(f"cannot read {path}: {exc}{_disk_hint(path, exc)}") from None
    finally:
        conn.close()
    if newer:
        raise CorpusUnusable(str(NewerCorpus(newer, str(path))))
    # Only the migrations' own bookkeeping: another nianbao process is creating this corpus
    # right now (sqlite-utils commits that table before the first migration), not a stranger.
    tables -= {"_sqlite_migrations", "sqlite_sequence"}
    if tables and not applied:
        raise CorpusUnusable(f"{path} is a SQLite database but not a nianbao corpus (tables "
                             f"{', '.join(sorted(tables)[:3])}{' …' if len(tables) > 3 else ''}); "
                             "give another --db")
    return path
