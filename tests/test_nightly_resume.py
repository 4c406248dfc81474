"""Unattended: a nightly run killed anywhere (SIGKILL) or interrupted (Ctrl-C) resumes to the
same corpus as an uninterrupted run — nothing twice, nothing lost — and the lock of a killed
run does not block the next one, while a live run's lock does.
"""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crawler.lock import RunLock
from crawler.nightly import state_dir_for
from crawler.simweb import SimWeb
from tests.nightly_support import (
    SMALL_SPEC,
    crawl_env,
    kill_group,
    run_nightly,
    snapshot,
    start_nightly,
    wait_for_requests,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """An uninterrupted first night of the small web: its corpus and request count."""
    base = tmp_path_factory.mktemp("nightly-reference")
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(base / "sites.csv", mode="proxy")
        proc = run_nightly(sites, base / "corpus.db", env=crawl_env(web.proxy_url))
        assert proc.returncode == 0, proc.stderr[-2000:]
        shot = snapshot(base / "corpus.db")
        expected = {(f["agency"], f["year"]) for f in web.expected("proxy").values()}
        assert set(shot["reports"]) == expected, "the reference night is incomplete"
        return {"snapshot": shot, "requests": len(web.request_log)}


def _runs(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, kind, status FROM crawl_runs ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.85])
def test_killed_run_resumes_to_the_same_corpus(reference: dict[str, Any], tmp_path: Path,
                                               fraction: float) -> None:
    db = tmp_path / "corpus.db"
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        env = crawl_env(web.proxy_url)
        proc = start_nightly(sites, db, env=env)
        reached = wait_for_requests(web, int(reference["requests"] * fraction), proc)
        kill_group(proc, signal.SIGKILL)
        proc.wait(timeout=30)
        assert reached, "the run ended before the kill point"
        assert proc.returncode == -signal.SIGKILL
        resumed = run_nightly(sites, db, env=env)
        assert resumed.returncode == 0, resumed.stderr[-2000:]
        assert "resuming interrupted run #1" in resumed.stderr
        # What the kill left behind was not fetched again: fewer requests than a fresh night.
        again = len(web.request_log) - int(reference["requests"] * fraction)
    assert snapshot(db) == reference["snapshot"]
    assert _runs(db) == [(1, "nightly", "ok")]  # one run, resumed, not two
    assert again < reference["requests"] + 10


def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(reference: dict[str, Any],
                                                       tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        env = crawl_env(web.proxy_url)
        proc = start_nightly(sites, db, env=env)
        assert wait_for_requests(web, int(reference["requests"] * 0.4), proc)
        kill_group(proc, signal.SIGINT)  # what a terminal's Ctrl-C sends
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 130, stderr[-2000:]
        assert "Traceback" not in stderr
        assert "resumes at the next start" in stderr.strip().splitlines()[-1]
        assert _runs(db) == [(1, "nightly", "interrupted")]  # round 9: it said "running"
        resumed = run_nightly(sites, db, env=env)
        assert resumed.returncode == 0, resumed.stderr[-2000:]
        assert "resuming interrupted run #1" in resumed.stderr
    assert snapshot(db) == reference["snapshot"]
    assert _runs(db) == [(1, "nightly", "ok")]


def test_a_live_run_blocks_a_second_one(tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        with RunLock(state_dir_for(db) / "lock"):  # this test process is the "running" night
            second = run_nightly(sites, db, env=crawl_env(web.proxy_url), timeout=60)
        assert web.request_log == []
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "another nightly run is in progress" in lines[0], second.stderr
