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


def _failing_store(tmp_path: Path, failure: str) -> str:
    """A ``PYTHONPATH`` whose ``sitecustomize`` (loaded by the nightly's interpreter at start-up)
    makes ``Corpus.store_document`` raise ``failure`` on the calls it names ``calls``."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(f"""
import errno, os
import corpus.store

_store, _calls = corpus.store.Corpus.store_document, [0]

def store_document(self, *args, **kwargs):
    _calls[0] += 1
    {failure}
    return _store(self, *args, **kwargs)

corpus.store.Corpus.store_document = store_document
""", encoding="utf-8")
    return f"{hook}:{crawl_env()['PYTHONPATH']}"


def test_a_full_disk_stops_the_night_with_one_line_and_the_next_resumes(tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    db = tmp_path / "corpus.db"
    # The disk fills up after two documents: every later write fails as the OS says it.
    hook = _failing_store(tmp_path, "if _calls[0] > 2: "
                                    "raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))")
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        env = crawl_env(web.proxy_url)
        assert run_nightly(sites, reference, env=env).returncode == 0
        full = run_nightly(sites, db, env={**env, "PYTHONPATH": hook})
        assert full.returncode == 1, full.stdout + full.stderr[-2000:]
        last = full.stderr.strip().splitlines()[-1]
        assert last.startswith("nianbao nightly: ") and "storage full" in last, last
        assert "resumes" in last
        # Stopped at the first failure (not one error per remaining document), and no log line
        # carries a document's bytes.
        assert full.stderr.count("storage full") <= 3, full.stderr[-3000:]
        assert len(full.stderr) < 8000, full.stderr[-3000:]
        assert _runs(db) == [(1, "running")]  # left open: the next night resumes it
        again = run_nightly(sites, db, env=env)
        assert again.returncode == 0, again.stderr[-2000:]
        assert "resuming interrupted run #1" in again.stderr
    assert snapshot(db) == snapshot(reference)
    assert _runs(db) == [(1, "ok")]


def test_a_document_the_corpus_refuses_is_an_error_and_is_fetched_again(tmp_path: Path) -> None:
    """A bug or a locked database while storing one document: recorded with its URL (kind
    ``store``), the night goes on, and the next night fetches that document again — it was
    once remembered as a page that led to no report, and never fetched again."""
    reference = tmp_path / "reference.db"
    db = tmp_path / "corpus.db"
    hook = _failing_store(tmp_path, "if _calls[0] in (3, 5): raise RuntimeError('a bug')")
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        env = crawl_env(web.proxy_url)
        assert run_nightly(sites, reference, env=env).returncode == 0
        first = run_nightly(sites, db, env={**env, "PYTHONPATH": hook})
        assert first.returncode == 0, first.stderr[-2000:]
        assert "(store " in first.stdout, first.stdout
        conn = sqlite3.connect(db)
        refused = conn.execute("SELECT url, reason FROM errors WHERE kind = 'store'").fetchall()
        conn.close()
        assert len(refused) >= 2 and all("RuntimeError: a bug" in r for _, r in refused)
        missing = set(snapshot(reference)["reports"]) - set(snapshot(db)["reports"])
        assert len(missing) == 2, missing
        second = run_nightly(sites, db, env=env)
        assert second.returncode == 0, second.stderr[-2000:]
    assert snapshot(db)["reports"] == snapshot(reference)["reports"]
