"""A Datasette serving the corpus keeps answering while the nightly job writes it, never shows a
half-stored report, and shows every run (``crawl_runs``, ``site_runs``) when it is done.

The real Datasette app of ``nianbao serve`` (``corpus.serve.make_datasette``) is queried through
its own client in this process, while ``nianbao nightly`` writes from a subprocess.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from corpus.serve import make_datasette
from crawler.simweb import SimWeb
from tests.nightly_support import SMALL_SPEC, crawl_env, start_nightly

pytestmark = pytest.mark.slow

# Reports whose cells or checks are not all there: what a half-loaded corpus would show.
HALF_LOADED = ("SELECT count(*) AS n FROM reports r WHERE NOT EXISTS "
               "(SELECT 1 FROM cells c WHERE c.report_id = r.id) OR NOT EXISTS "
               "(SELECT 1 FROM report_versions v WHERE v.report_id = r.id)")


async def _poll(ds, proc) -> list[tuple[int, int, int]]:
    """(HTTP status of the reports page, reports counted, half-loaded reports) until the run ends."""
    seen = []
    while proc.poll() is None or not seen:
        page = await ds.client.get("/corpus/reports.json?_shape=objects&_size=5")
        query = await ds.client.get("/corpus.json?_shape=objects&sql=" + HALF_LOADED.replace(
            " ", "+"))
        count = await ds.client.get("/corpus.json?_shape=objects&sql=SELECT+count(*)+AS+n+FROM+reports")
        seen.append((min(page.status_code, query.status_code, count.status_code),
                     count.json()["rows"][0]["n"] if count.status_code == 200 else -1,
                     query.json()["rows"][0]["n"] if query.status_code == 200 else -1))
        await asyncio.sleep(0.05)
    return seen


def test_datasette_answers_during_the_night_and_shows_the_run(tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        proc = start_nightly(sites, db, env=crawl_env(web.proxy_url))
        try:
            deadline = time.time() + 60
            while not db.exists() or not _has_runs(db):  # the job creates the corpus first
                assert proc.poll() is None and time.time() < deadline, "the run never started"
                time.sleep(0.05)
            ds = make_datasette(db)
            seen = asyncio.run(_poll(ds, proc))
            _, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, stderr[-2000:]
        expected = len(web.expected("proxy"))

    assert len(seen) >= 5, "Datasette was asked too few times to prove anything"
    assert all(status == 200 for status, _, _ in seen), seen
    counts = [n for _, n, _ in seen]
    assert counts == sorted(counts), "reports disappeared while the run wrote"
    assert counts[0] < expected  # it was really asked while the corpus filled up
    assert all(half == 0 for _, _, half in seen), "a half-stored report was visible"

    async def runs() -> tuple[list[dict], list[dict], int]:
        ds = make_datasette(db)
        run = await ds.client.get("/corpus/crawl_runs.json?_shape=array")
        sites = await ds.client.get("/corpus/site_runs.json?_shape=array")
        total = await ds.client.get("/corpus.json?_shape=objects&sql=SELECT+count(*)+AS+n+FROM+reports")
        return run.json(), sites.json(), total.json()["rows"][0]["n"]

    run_rows, site_rows, total = asyncio.run(runs())
    assert total == expected
    assert len(run_rows) == 1
    run = run_rows[0]
    assert (run["kind"], run["status"], run["new_reports"]) == ("nightly", "ok", expected)
    assert run["requests"] > 0 and run["finished_at"] >= run["started_at"]
    assert {r["run_id"] for r in site_rows} == {run["id"]}
    assert sum(r["new_reports"] for r in site_rows) == expected
    assert sum(r["requests"] for r in site_rows) <= run["requests"]


def _has_runs(db: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] > 0
        finally:
            conn.close()
    except sqlite3.Error:
        return False
