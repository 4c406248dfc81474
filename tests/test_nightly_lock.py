"""The nightly run lock: a second run is refused while one lives; a dead run's lock is taken over.

Real processes hold the lock (flock is per open file description, so a thread would not do).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.lock import LockHeld, RunLock

ROOT = Path(__file__).resolve().parent.parent

HOLDER = """
import sys, time
from crawler.lock import RunLock
lock = RunLock(sys.argv[1], shared=sys.argv[2] == "shared").acquire()
print("held", flush=True)
time.sleep(60)
"""


def _hold(path: Path, shared: bool = False) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), "shared" if shared else "x"],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_run_is_refused_with_the_holder_named(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db.nightly" / "lock"
    holder = _hold(path)
    try:
        with pytest.raises(LockHeld) as err:
            RunLock(path).acquire()
        message = str(err.value)
        assert f"pid {holder.pid}" in message and "\n" not in message
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    holder = _hold(path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert json.loads(path.read_text())["pid"] == holder.pid  # the stale file is still there
    with RunLock(path) as lock:
        assert lock.previous_holder is not None and lock.previous_holder["pid"] == holder.pid
        assert json.loads(path.read_text())["pid"] == os.getpid()
    assert path.read_text() == ""  # released: nobody named as holder


def test_lock_is_reusable_after_release(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    with RunLock(path):
        pass
    with RunLock(path) as again:
        assert again.held and again.previous_holder is None


def test_shared_workers_coexist_but_exclude_a_normal_run(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    worker = _hold(path, shared=True)
    try:
        with RunLock(path, shared=True) as second_worker:
            assert second_worker.held
        with pytest.raises(LockHeld):
            RunLock(path).acquire()
    finally:
        worker.kill()
        worker.wait()
    deadline = time.time() + 5
    while True:  # the kernel drops the dead worker's lock
        try:
            RunLock(path).acquire().release()
            break
        except LockHeld:
            assert time.time() < deadline
            time.sleep(0.05)
