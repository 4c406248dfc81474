"""One nightly run per database at a time: a crash-safe lock file beside the database.

    >>> from crawler.lock import RunLock, LockHeld
    >>> with RunLock("/tmp/corpus.db.lock"):          # doctest: +SKIP
    ...     crawl()                                     # a second process gets LockHeld

The lock is an advisory ``flock`` on the file, so the kernel releases it when the holding
process dies — even by ``kill -9`` or a power cut of the machine that held it. A lock file left
behind by a dead process is therefore simply taken over (and logged). The file also records who
holds it (pid, host, start time, command) so that the refusal is one readable line.

``shared=True`` takes a shared lock instead: the workers of one distributed (``--redis``) crawl
hold it together, while an ordinary nightly run (exclusive) waits for all of them to finish.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

logger = logging.getLogger(__name__)


class LockHeld(Exception):
    """Another live process holds the lock; the message names it (one line)."""


def _pid_alive(pid: int) -> bool:
    """True when a process with this pid exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class RunLock:
    """An exclusive (or shared) lock on ``path``; use as a context manager.

    :param path: the lock file (created if missing; never deleted, so that two processes can
        never lock two different inodes of the "same" file)
    :param shared: take a shared lock (distributed workers) instead of an exclusive one
    :raises LockHeld: from :meth:`acquire` when a live process holds a conflicting lock
    """

    def __init__(self, path: str | os.PathLike[str], shared: bool = False) -> None:
        self.path = Path(path)
        self.shared = shared
        self._fd: int | None = None
        self.previous_holder: dict | None = None  # a dead holder whose lock we took over

    def _read_holder(self, fd: int) -> dict | None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            text = os.read(fd, 65536).decode("utf-8", "replace").strip()
            return json.loads(text) if text else None
        except (OSError, ValueError):
            return None

    def acquire(self, wait: bool = False) -> Self:
        """Take the lock now or raise :class:`LockHeld`; ``wait=True`` blocks until free
        (for short critical sections, such as creating the database)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        mode = fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX
        try:
            fcntl.flock(fd, mode if wait else mode | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._read_holder(fd) or {}
            os.close(fd)
            who = f"pid {holder.get('pid', '?')}"
            if holder.get("host") and holder.get("host") != socket.gethostname():
                who += f" on {holder['host']}"
            since = f", started {holder['started']}" if holder.get("started") else ""
            raise LockHeld(f"another nightly run is in progress ({who}{since}); "
                           f"lock file {self.path}") from None
        holder = self._read_holder(fd)
        if holder and not self.shared and holder.get("pid") != os.getpid():
            # We got the flock, so its holder is gone: a crash or kill -9 left the file behind.
            pid = int(holder.get("pid") or 0)
            state = "not running" if pid and not _pid_alive(pid) else "no longer holding it"
            logger.warning("taking over stale lock %s of pid %s (%s)", self.path, pid, state)
            self.previous_holder = holder
        if not self.shared or not holder:
            record = {"pid": os.getpid(), "host": socket.gethostname(),
                      "started": datetime.now(UTC).isoformat(timespec="seconds"),
                      "argv": sys.argv[:6], "shared": self.shared}
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps(record).encode())
            os.fsync(fd)
        self._fd = fd
        return self

    def release(self) -> None:
        """Give the lock up (idempotent). The file stays; its content is cleared."""
        if self._fd is None:
            return
        try:
            if not self.shared:
                os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
