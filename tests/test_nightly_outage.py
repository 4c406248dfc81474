"""A night on which no site answers (network, proxy or name resolution down) is a failed run
that says so — exit 1 and one line a cron mail shows — and loses nothing: no report is taken
for removed, and the next night with the network back is an ordinary one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.simweb import SimWeb
from tests.nightly_support import SMALL_SPEC, crawl_env, run_nightly, snapshot

pytestmark = pytest.mark.slow


def _runs(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, status FROM crawl_runs ORDER BY id").fetchall()
    finally:
        conn.close()


def test_a_night_without_network_fails_clearly_and_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        first = run_nightly(sites, db, env=crawl_env(web.proxy_url))
        dead_proxy = web.proxy_url  # closed when the web stops
    assert first.returncode == 0, first.stderr[-2000:]
    before = snapshot(db)

    # Every document is due for revalidation: the night asks the network for all of them.
    env = crawl_env(dead_proxy, NIANBAO_REVALIDATE_DAYS="0", NIANBAO_REDISCOVER_DAYS="0",
                    NIANBAO_DOWNLOAD_TIMEOUT="5")
    outage = run_nightly(sites, db, env=env)
    assert outage.returncode == 1, outage.stdout + outage.stderr[-2000:]
    last = outage.stderr.strip().splitlines()[-1]
    assert last.startswith("nianbao nightly: error: no site answered (connection "), last
    assert "Traceback" not in outage.stderr
    assert _runs(db) == [(1, "ok"), (2, "failed")]
    assert snapshot(db) == before  # nothing removed, nothing changed

    with SimWeb(SMALL_SPEC) as web:  # the same web, back
        again = run_nightly(sites, db, env=crawl_env(web.proxy_url))
    assert again.returncode == 0, again.stderr[-2000:]
    assert _runs(db) == [(1, "ok"), (2, "failed"), (3, "ok")]
    assert snapshot(db) == before
