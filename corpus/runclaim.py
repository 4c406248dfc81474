"""Which ``crawl_runs`` rows still marked ``running`` are really running?

A run killed by ``kill -9``, the OOM killer or a power cut never closes its row: it said
``running`` forever, and Datasette showed a crawl in progress for months. Age alone cannot tell
such a row from a long night, nor from a second night running beside it on the same corpus
(allowed: a ``crawl`` and a ``nightly``, or two crawls). So every run that opens a row *claims*
it: an exclusive ``flock`` on ``<db>.nightly/runs/<id>.lock``, held for as long as its process
works on it, the file naming pid, host and start. The kernel drops the lock when the process
dies, however it dies. The next run that opens the corpus (:func:`close_stale_runs`) closes a
``running`` row whose lock it can take, as ``aborted`` with the time it noticed; a row whose lock
is held is left alone; a row claimed on another machine, or never claimed (a run of an older
nianbao, ``scrapy crawl`` itself), is left alone too — nothing can tell those apart.

    >>> import tempfile, pathlib
    >>> db = pathlib.Path(tempfile.mkdtemp()) / "c.db"
    >>> claim = claim_run(db, 7)
    >>> probe_run(db, 7)
    'live'
    >>> claim.release()
    >>> probe_run(db, 7)["pid"] == os.getpid()
    True
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def run_lock_path(db: str | os.PathLike[str], run_id: int) -> Path:
    """``corpus.db`` → ``corpus.db.nightly/runs/<run_id>.lock``."""
    path = Path(db)
    return path.with_name(path.name + ".nightly") / "runs" / f"{int(run_id)}.lock"


class RunClaim:
    """The lock of one run, held by this process (see module docstring)."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path
        self.closed = False  # the run's row is closed (its status written)

    def release(self) -> None:
        """Give the claim up (idempotent): the run's row is closed."""
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None


def claim_run(db: str | os.PathLike[str], run_id: int) -> RunClaim:
    """Claim run ``run_id`` of corpus ``db`` for this process (also a resumed one).

    :raises OSError: the lock cannot be made (the state folder is not writable)
    :raises BlockingIOError: another live process holds the claim
    """
    path = run_lock_path(db, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        record = {"run_id": int(run_id), "pid": os.getpid(), "host": socket.gethostname(),
                  "claimed": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    return RunClaim(fd, path)


def probe_run(db: str | os.PathLike[str], run_id: int) -> str | dict[str, Any] | None:
    """``"live"`` (its claim is held), the dead claimant's record (pid, host, claimed), or None
    (never claimed, or claimed on another machine: cannot tell)."""
    with _probe(db, run_id) as found:
        return found


@contextmanager
def _probe(db: str | os.PathLike[str], run_id: int) -> Iterator[str | dict[str, Any] | None]:
    """:func:`probe_run`, holding the dead claimant's lock while the caller acts on it."""
    path = run_lock_path(db, run_id)
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        yield None
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield "live"
            return
        try:
            record = json.loads(os.pread(fd, 65536, 0) or b"{}")
        except ValueError:
            record = {}
        if not isinstance(record, dict) or record.get("run_id") != int(run_id):
            yield None  # a lock file of an earlier corpus at this path
        elif record.get("host") != socket.gethostname():
            yield None  # flock does not reach across machines (NFS): cannot tell
        else:
            yield record
    finally:
        os.close(fd)  # (the lock goes with it)


def close_stale_runs(corpus: Any, db: str | os.PathLike[str], keep: set[int] | None = None
                     ) -> list[int]:
    """Close the ``running`` rows whose process is gone, as ``aborted``; returns their ids.

    Call it where the run's own row is opened, under the corpus guard (so a run between
    opening its row and claiming it is never taken for a dead one).

    :param corpus: an open :class:`corpus.store.Corpus`
    :param db: its path (where the claims are)
    :param keep: run ids not to touch (the run being resumed)
    """
    closed = []
    rows = corpus.db.execute("SELECT id FROM crawl_runs WHERE status = 'running'").fetchall()
    for (run_id,) in rows:
        if run_id in (keep or set()):
            continue
        with _probe(db, run_id) as found:
            if not isinstance(found, dict):
                continue
            # Its owner closes the row before giving up the claim: read it again now that the
            # claim is ours (it may have finished since the list above was read).
            status = corpus.db.execute("SELECT status FROM crawl_runs WHERE id = ?",
                                       [run_id]).fetchone()
            if not status or status[0] != "running":
                continue
            noticed = datetime.now(UTC).isoformat(timespec="seconds")
            corpus.finish_run(run_id, stats={
                "aborted": f"its process (pid {found.get('pid')} on {found.get('host')}) ended "
                           "without closing the run (killed, or the machine stopped)",
                "noticed_at": noticed}, status="aborted")
        closed.append(run_id)
    return closed


def start_claimed_run(corpus: Any, db: str | os.PathLike[str], kind: str, sites_file: str
                      ) -> tuple[int, RunClaim]:
    """Close the rows of runs that died unclosed, open this run's row and claim it: what a
    crawl does as it starts (under the corpus guard, see :func:`close_stale_runs`)."""
    close_stale_runs(corpus, db)
    run_id = corpus.start_run(kind=kind, sites_file=sites_file)
    return run_id, claim_run(db, run_id)
