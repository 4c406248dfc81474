"""End to end: the real spider (through the real CLI) against the simulated government web.

The sample web is crawled once through its proxy with ``http_proxy`` set (virtual host names,
no local resolution, no --allow-private), as the contract's acceptance checks do; a random web
is crawled directly on 127.0.0.N ports with --allow-private. Each crawl runs in a subprocess
(one Twisted reactor per process).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from crawler.simweb import SimWeb, random_spec, sample_web
from crawler.simweb.evaluate import evaluate

ROOT = Path(__file__).resolve().parent.parent
FAST = {"NIANBAO_CRAWL_DELAY": "0", "NIANBAO_DOWNLOAD_TIMEOUT": "10"}


def errors_of(db_path: Path) -> list[tuple]:
    """The crawl's recorded errors, to explain a failed assertion."""
    return sqlite3.connect(db_path).execute("SELECT kind, status, url, reason FROM errors").fetchall()


def nianbao(*args: str, env: dict[str, str] | None = None, timeout: float = 150) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess."""
    full_env = dict(os.environ, **FAST, **(env or {}))
    return subprocess.run([sys.executable, "-m", "nianbao_cli", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """The sample web crawled through its proxy by ``nianbao crawl``."""
    tmp = tmp_path_factory.mktemp("proxied")
    web = sample_web().start()
    sites = web.sites_csv(tmp / "sites.csv", mode="proxy")
    proc = nianbao("crawl", "--sites", str(sites), "--db", str(tmp / "corpus.db"),
                   env={"http_proxy": web.proxy_url})
    yield {"web": web, "proc": proc, "db": tmp / "corpus.db", "tmp": tmp}
    web.stop()


def test_proxied_crawl_exits_cleanly_with_summary_and_progress(proxied):
    proc = proxied["proc"]
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    summary = [line for line in proc.stdout.splitlines() if line.startswith("crawl: ")]
    assert summary and summary[-1].startswith("crawl: 5 sites, ")
    assert "reports stored" in summary[-1] and "robots 1" in summary[-1] and "scope 1" in summary[-1]
    assert "pages" in proc.stderr            # the tqdm progress line


def test_proxied_crawl_recall_precision_and_figures(proxied):
    result = evaluate(proxied["db"], proxied["web"], "proxy")
    assert result["expected"] == 21
    assert result["recall"] >= 0.98, (result["missed"], errors_of(proxied["db"]), proxied["proc"].stdout)
    assert result["precision"] >= 0.99, result["false_positives"]
    assert result["duplicates"] == []
    assert result["figure_mismatches"] == []


def test_proxied_crawl_obeys_robots_and_names_itself(proxied):
    web: SimWeb = proxied["web"]
    assert web.robots_violations() == []
    assert not any(e["path"].startswith("/private/") for e in web.request_log)
    assert {e["host"] for e in web.request_log if e["path"] == "/robots.txt"} >= set(web.seed_hosts)
    assert all("nianbao" in e["user_agent"] for e in web.request_log)
    assert all(e["mode"] == "proxy" for e in web.request_log)
    db = sqlite3.connect(proxied["db"])
    robots = db.execute("SELECT url FROM errors WHERE kind = 'robots'").fetchall()
    assert [unquote(u) for (u,) in robots] == [
        u for u, f in web.ground_truth.items() if not f["reachable"]]


def test_proxied_crawl_avoids_traps_and_decoys(proxied):
    web: SimWeb = proxied["web"]
    log = web.requests_to()
    # a redirect out of scope (not .gov.cn, not a seed) is refused before anything is fetched there
    assert {e["host"] for e in web.request_log} <= {h for h in web.hosts if h.endswith(".gov.cn")}
    db = sqlite3.connect(proxied["db"])
    assert [k for (k,) in db.execute("SELECT kind FROM errors WHERE url LIKE '%mirror.example.com%'")] == ["scope"]
    assert not any(e["path"].startswith("/calendar/") for e in log)
    # session ids are stripped: no page is fetched twice under different ids
    pages = Counter((e["host"], e["path"].split(";")[0], e["method"]) for e in log if e["status"] == 200)
    assert max(pages.values()) == 1
    # the decoy columns' documents are never fetched
    assert not any("/gzbg/c" in e["path"] or "/tjgb/c" in e["path"] for e in log)
    assert len(log) < 100


def test_proxied_crawl_retries_500_and_waits_for_the_slow_page(proxied):
    log = proxied["web"].request_log
    flaky = [e["status"] for e in log if e["host"] == "www.sample-county.gov.cn"
             and e["path"] == "/zwgk/ndbg/list_2.html"]
    assert flaky == [500, 200]


def test_proxied_crawl_keeps_provenance(proxied):
    db = sqlite3.connect(proxied["db"])
    db.row_factory = sqlite3.Row
    web: SimWeb = proxied["web"]
    rows = db.execute("SELECT r.source_url, r.page_url, d.http_status, d.headers, d.fetched_at, d.raw_path "
                      "FROM reports r JOIN documents d ON d.sha256 = r.document_sha256").fetchall()
    assert len(rows) == len(web.expected("proxy"))
    for row in rows:
        assert row["http_status"] == 200 and row["fetched_at"]
        assert json.loads(row["headers"]).get("Content-Type")
        raw = Path(row["raw_path"])
        assert (raw if raw.is_absolute() else proxied["db"].parent / raw).is_file()
    # a report split over a page and its attachment: the attachment (with the tables) is the source
    split = {u: f for u, f in web.ground_truth.items() if f["kind"].startswith("split_") and f["reachable"]}
    stored = {unquote(r["source_url"]): r["page_url"] for r in rows}
    for url, facts in split.items():
        assert url in stored
        assert unquote(stored[url]) == facts["page_url"]


def test_direct_crawl_of_an_unseen_web(tmp_path):
    """A random web, per host on 127.0.0.N ports (needs --allow-private)."""
    web = SimWeb(random_spec(11, n_sites=4)).start()
    try:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="direct")
        proc = nianbao("crawl", "--sites", str(sites), "--db", str(tmp_path / "c.db"), "--allow-private")
        assert proc.returncode == 0, proc.stderr[-2000:]
        result = evaluate(tmp_path / "c.db", web, "direct")
        assert result["expected"] > 5
        assert result["recall"] >= 0.98, (result["missed"], errors_of(tmp_path / "c.db"), proc.stdout)
        assert result["precision"] >= 0.99, result["false_positives"]
        assert result["duplicates"] == []
        assert result["figure_mismatches"] == []
        assert web.robots_violations() == []
        assert all(e["mode"] == "direct" for e in web.request_log)
    finally:
        web.stop()


def test_private_hosts_refused_without_allow_private(tmp_path):
    web = SimWeb(random_spec(5, n_sites=1)).start()
    try:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="direct")
        proc = nianbao("crawl", "--sites", str(sites), "--db", str(tmp_path / "c.db"))
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert web.request_log == []           # nothing reached the loopback servers
        db = sqlite3.connect(tmp_path / "c.db")
        kinds = dict(db.execute("SELECT kind, count(*) FROM errors GROUP BY kind").fetchall())
        assert kinds.get("private", 0) >= 1
        assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
        assert "private" in proc.stdout
    finally:
        web.stop()


def test_scrapy_crawl_runs_the_same_spider(tmp_path):
    web = SimWeb(random_spec(21, n_sites=1)).start()
    try:
        sites = web.sites_csv(tmp_path / "sites.csv")
        env = dict(os.environ, **FAST, http_proxy=web.proxy_url)
        proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"sites={sites}",
                               "-a", f"db={tmp_path / 'c.db'}"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr[-2000:]
        result = evaluate(tmp_path / "c.db", web, "proxy")
        assert result["found"] == result["expected"] > 0
    finally:
        web.stop()


def test_oversized_documents_are_refused_and_recorded(tmp_path):
    spec = {"sites": [{"name": "样例镇人民政府", "host": "www.size-test.gov.cn", "family": "plain", "noise": 2,
                       "reports": [{"year": 2023, "kind": "html", "seed": 1},
                                   {"year": 2022, "kind": "docx", "seed": 2}]}]}
    web = SimWeb(spec).start()
    try:
        sites = web.sites_csv(tmp_path / "sites.csv")
        proc = nianbao("crawl", "--sites", str(sites), "--db", str(tmp_path / "c.db"),
                       env={"http_proxy": web.proxy_url, "NIANBAO_DOWNLOAD_MAXSIZE": "25000"})
        assert proc.returncode == 0, proc.stderr[-2000:]
        db = sqlite3.connect(tmp_path / "c.db")
        errors = db.execute("SELECT kind, url FROM errors").fetchall()
        assert [k for k, u in errors if u.endswith(".docx")] == ["size"]
        assert [y for (y,) in db.execute("SELECT year FROM reports")] == [2023]
    finally:
        web.stop()
