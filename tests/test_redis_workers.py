"""Scale-out: two crawler processes share one frontier through a real Redis (scrapy-redis) and
together store exactly the reports one process finds — none twice, no URL fetched twice.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from crawler.frontier import Frontier
from crawler.simweb import SimWeb
from tests.nightly_support import ROOT, SMALL_SPEC, crawl_env, start_nightly

pytestmark = [pytest.mark.redis, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def redis_url(tmp_path: Path):
    """A throw-away redis-server on 127.0.0.1 (no persistence)."""
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed")
    import redis

    for _ in range(5):  # the free port may be taken between probe and bind: try another
        port = _free_port()
        proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--dir", str(tmp_path)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(host="127.0.0.1", port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None:
                    break
                time.sleep(0.05)
        if proc.poll() is None:
            break
    else:
        pytest.fail("could not start redis-server")
    try:
        yield f"redis://127.0.0.1:{port}/0", client
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _diagnosis(workers: list[subprocess.Popen], outputs: list[tuple[str, str]], db: Path,
               client) -> str:
    """What a failing two-worker run looked like: each worker's exit code and stderr tail, the
    corpus' run rows, the Redis keys left behind (so that a CI failure says why)."""
    lines = []
    for i, (w, (out, err)) in enumerate(zip(workers, outputs), 1):
        lines.append(f"--- worker {i} (pid {w.pid}) exit {w.returncode}; stdout: {out.strip()!r}")
        lines.append("stderr tail: " + (err[-1500:].strip() or "(empty)"))
    try:
        conn = sqlite3.connect(db)
        for row in conn.execute("SELECT id, kind, status, started_at, finished_at, requests, "
                                "stats FROM crawl_runs ORDER BY id"):
            lines.append(f"run row: {row[:6]} stats={str(row[6])[:600]}")
        conn.close()
    except sqlite3.Error as exc:
        lines.append(f"run rows unreadable: {exc}")
    try:
        lines.append(f"redis keys left: {sorted(map(bytes.decode, client.scan_iter('nianbao:*')))}")
    except Exception as exc:  # noqa: BLE001 — a diagnosis must not hide the real failure
        lines.append(f"redis unreadable: {exc}")
    return "\n".join(lines)


def test_two_workers_share_one_frontier(redis_url, tmp_path: Path) -> None:
    url, client = redis_url
    db = tmp_path / "corpus.db"
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        env = crawl_env(web.proxy_url)
        workers = [start_nightly(sites, db, "--redis", url, env=env) for _ in range(2)]
        outputs = [w.communicate(timeout=240) for w in workers]
        expected = {(f["agency"], f["year"]) for f in web.expected("proxy").values()}
        log = list(web.request_log)
    why = _diagnosis(workers, outputs, db, client)
    assert [w.returncode for w in workers] == [0, 0], why

    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT agency, year FROM reports").fetchall()
    assert sorted(stored) == sorted(expected), why  # exactly the reports, each once
    fetched = Counter((e["method"], e["host"], e["path"]) for e in log
                      if e["path"] != "/robots.txt" and e["status"] == 200)
    assert [k for k, n in fetched.items() if n > 1] == [], why  # one frontier: nothing twice
    # Both workers ran to the end on the same job: had the second one not shared the first
    # one's frontier, it would have fetched the seeds and everything after them again.
    runs = conn.execute("SELECT kind, status, requests FROM crawl_runs").fetchall()
    assert [(k, s) for k, s, _ in runs] == [("nightly-worker", "ok")] * 2, why
    assert sum(n for _, _, n in runs) == len(log), why  # every request counted, by one worker
    assert list(client.scan_iter("nianbao:*")) == [], why  # the last worker cleaned up


def _night_of_two_workers(sites: Path, db: Path, url: str, env: dict[str, str]) -> list[str]:
    """Two workers on one corpus to their end; returns their stdout (the summary lines)."""
    workers = [start_nightly(sites, db, "--redis", url, env=env) for _ in range(2)]
    outputs = [w.communicate(timeout=240) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], "\n".join(err[-1500:] for _, err in outputs)
    return [out for out, _ in outputs]


def test_the_last_worker_decides_what_is_no_longer_listed(redis_url, tmp_path: Path) -> None:
    url, client = redis_url
    db = tmp_path / "corpus.db"
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        env = crawl_env(web.proxy_url)
        _night_of_two_workers(sites, db, url, env)
        by_key = {(f["agency"], f["year"]): {**f, "url": u} for u, f in web.ground_truth.items()}
        taken_down = by_key[("甲河县人民政府", 2021)]
        web.remove_report(taken_down["url"])  # off its list (and 404, but no list leads there)
        second = _night_of_two_workers(sites, db, url, env)
    conn = sqlite3.connect(db)
    removed = dict(conn.execute("SELECT url, removed_reason FROM document_urls "
                                "WHERE removed_at IS NOT NULL"))
    urls = {u for u in (taken_down["url"], taken_down.get("page_url"), *taken_down["alternates"])
            if u}
    assert removed == dict.fromkeys(urls, "no longer listed")
    # Decided once, by the last worker of the second night, for both runs of that night.
    night = conn.execute("SELECT id, removed, stats FROM crawl_runs ORDER BY id").fetchall()[2:]
    assert sorted(n for _, n, _ in night) == [0, len(urls)]
    decider = next(json.loads(stats) for _, n, stats in night if n)
    assert decider["removal_job_runs"] == [i for i, _, _ in night]
    assert sum(f"{len(urls)} removed" in line for line in second) == 1
    assert list(client.scan_iter("nianbao:*")) == []
    # The crawl graph holds the night as one run: every page has a way up to a start page, and
    # every site has the tops of its lists for a later single-process night.
    state = sqlite3.connect(tmp_path / "corpus.db.nightly" / "frontier.db")
    parent = dict(state.execute("SELECT fp, parent FROM pages"))
    for fp in parent:
        steps = 0
        while parent.get(fp) and steps <= len(parent):
            fp, steps = parent[fp], steps + 1
        assert steps <= len(parent)  # no loop
    assert state.execute("SELECT count(DISTINCT site) FROM entries").fetchone()[0] == 2
    assert state.execute("SELECT sum(needs_full) FROM site_state").fetchone()[0] == 0


def test_a_link_back_up_never_makes_a_loop_in_the_crawl_graph(tmp_path: Path) -> None:
    """Worker 2 asks for the list's first page from its page 2 (a 首页 link) after worker 1
    asked for it from the column: the graph keeps a way down from the start page, so the whole
    way is the spine (a loop left the home and platform pages off it, and the next night skipped
    them as dead ends — and so every list of the site)."""
    frontier = Frontier(tmp_path / "frontier.db")
    try:
        chain = [("home", None, "seed"), ("platform", "home", "platform"),
                 ("column", "platform", "column"), ("list2", "column", "pagination"),
                 ("report", "list2", "report")]
        for fp, parent, tier in chain:
            frontier.record_request(1, fp, f"http://www.x-test.gov.cn/{fp}", "GET", parent,
                                    tier=tier)
        frontier.record_request(2, "column", "http://www.x-test.gov.cn/column", "GET", "list2")
        assert frontier.page("column")["parent"] == "platform"
        frontier.mark_spine({"http://www.x-test.gov.cn/report"})
        assert frontier.spine_count() == 4  # home, platform, column, list2
        # A new way in that is not from below is taken (the home page links the column now).
        frontier.record_request(3, "column", "http://www.x-test.gov.cn/column", "GET", "home")
        assert frontier.page("column")["parent"] == "home"
    finally:
        frontier.close()


def test_removals_are_not_decided_when_a_worker_did_not_finish(tmp_path: Path) -> None:
    """The conditions the last worker checks before deciding for the whole job."""
    from crawler.distributed import _undecidable

    db, state = tmp_path / "corpus.db", tmp_path / "corpus.db.nightly"
    frontier = Frontier(state / "frontier.db")
    for run_id, status in ((1, "ok"), (2, "ok"), (3, "failed")):
        frontier.begin_run(run_id, f"key-{run_id}")
        frontier.end_run(run_id, status)
    frontier.record_process(1, "finished", {}, {})  # this test process: pid os.getpid()
    here = {"host": socket.gethostname(), "db": str(db.resolve()), "state": str(state.resolve())}
    me = {**here, "pid": os.getpid(), "run_id": 1}
    try:
        assert _undecidable([me], str(db), state, frontier) == ""
        stopped = {**here, "pid": os.getpid() + 1, "run_id": 2}  # no process row: killed
        assert "did not finish" in _undecidable([me, stopped], str(db), state, frontier)
        failed = {**me, "run_id": 3}
        frontier.record_process(3, "finished", {}, {})
        assert "did not finish" in _undecidable([me, failed], str(db), state, frontier)
        elsewhere = {**me, "host": "another-machine", "db": "/srv/worker2/corpus.db"}
        assert "2 corpora" in _undecidable([me, elsewhere], str(db), state, frontier)
        assert "which run" in _undecidable([me, {}], str(db), state, frontier)
    finally:
        frontier.close()


def test_unreachable_redis_is_one_line(tmp_path: Path) -> None:
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        proc = start_nightly(sites, tmp_path / "corpus.db", "--redis",
                             f"redis://127.0.0.1:{_free_port()}/0", env=crawl_env(web.proxy_url))
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "cannot reach Redis" in lines[0], err


def test_workers_with_their_own_databases_merge_into_one(redis_url, tmp_path: Path) -> None:
    """Several machines: each worker writes its own corpus; the merge command folds them."""
    url, _ = redis_url
    dbs = [tmp_path / f"worker{i}" / "corpus.db" for i in (1, 2)]
    with SimWeb(SMALL_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        env = crawl_env(web.proxy_url)
        workers = [start_nightly(sites, db, "--redis", url, env=env) for db in dbs]
        for w in workers:
            _, err = w.communicate(timeout=240)
            assert w.returncode == 0, err[-2000:]
        expected = {(f["agency"], f["year"]) for f in web.expected("proxy").values()}
    main_db = tmp_path / "corpus.db"
    proc = subprocess.run([sys.executable, "-m", "crawler.distributed", "merge", str(main_db),
                           *map(str, dbs)], cwd=ROOT, check=False, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().startswith("merge:")
    conn = sqlite3.connect(main_db)
    stored = conn.execute("SELECT agency, year FROM reports").fetchall()
    assert sorted(stored) == sorted(expected)
    # Merging again changes nothing (idempotent).
    before = conn.execute("SELECT count(*) FROM report_versions").fetchone()[0]
    again = subprocess.run([sys.executable, "-m", "crawler.distributed", "merge", str(main_db),
                            *map(str, dbs)], cwd=ROOT, check=False, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert conn.execute("SELECT count(*) FROM report_versions").fetchone()[0] == before


def test_merge_of_a_missing_database_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "crawler.distributed", "merge",
                           str(tmp_path / "main.db"), str(tmp_path / "nope.db")], cwd=ROOT,
                          check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no worker database" in lines[0]
    assert not (tmp_path / "main.db").exists()  # nothing written


# What IncrementalSpiderMiddleware.spider_closed writes for a process (every count it keeps).
PROCESS_COUNTS = {"requests": 3, "not_modified": 0, "known_skipped": 1, "known_revalidated": 0,
                  "dead_end_skipped": 0, "cache_hits": 1, "off_list_skipped": 0,
                  "list_pages_skipped": 0}


def _record_process_at_once(path: str, barrier, results) -> None:
    frontier = Frontier(path)
    barrier.wait()
    try:
        frontier.record_process(1, "finished", dict(PROCESS_COUNTS), {})
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 — reported to the test
        results.put(repr(exc))
    finally:
        frontier.close()


def test_workers_ending_together_both_record_their_process(tmp_path: Path) -> None:
    """Two workers that close at the same moment on a new state folder: both rows are written.
    (A column added at the first insert made the second writer fail with "database is
    locked", so its run looked killed and exited 1.)"""
    ctx = multiprocessing.get_context("fork")
    for attempt in range(4):  # simultaneous on purpose; a few rounds to be sure
        path = str(tmp_path / f"frontier{attempt}.db")
        Frontier(path).close()
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_record_process_at_once, args=(path, barrier, results))
                 for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=60)
        assert sorted(results.get(timeout=5) for _ in procs) == ["ok", "ok"]
        frontier = Frontier(path)
        assert len(frontier.processes(1)) == 2
        frontier.close()


def _cache_and_spider(folder: Path, storage_class: type) -> tuple[Any, Any]:
    from scrapy.settings import Settings
    from scrapy.utils.request import RequestFingerprinter

    spider = SimpleNamespace(name="reports",
                             crawler=SimpleNamespace(request_fingerprinter=RequestFingerprinter()))
    storage = storage_class(Settings({"HTTPCACHE_DIR": str(folder),
                                      "HTTPCACHE_EXPIRATION_SECS": 0}))
    storage.open_spider(spider)
    return storage, spider


def _rewrite_entry(folder: str, storage_class: type, seconds: float) -> None:
    """Store one URL's response again and again, alternating two versions (as two workers
    storing the same robots.txt, or one night's list replacing the last one's)."""
    from scrapy import Request
    from scrapy.http import Response

    storage, spider = _cache_and_spider(Path(folder), storage_class)
    request = Request("http://www.example-test.gov.cn/robots.txt")
    end, n = time.time() + seconds, 0
    while time.time() < end:
        version = "ab"[n % 2]
        storage.store_response(spider, request, Response(
            request.url, status=200, body=version.encode() * 20000,
            headers={"X-Version": version}, request=request))
        n += 1


def _torn_reads(folder: Path, storage_class: type, seconds: float = 1.5) -> tuple[int, list[str]]:
    """Read the entry while another process rewrites it: (complete reads, problems)."""
    from scrapy import Request

    ctx = multiprocessing.get_context("fork")
    storage, spider = _cache_and_spider(folder, storage_class)
    request = Request("http://www.example-test.gov.cn/robots.txt")
    writer = ctx.Process(target=_rewrite_entry, args=(str(folder), storage_class, seconds))
    writer.start()
    good, problems = 0, []
    try:
        while writer.is_alive():
            try:
                response = storage.retrieve_response(spider, request)
            except Exception as exc:  # noqa: BLE001 — what a crawler would have failed with
                problems.append(repr(exc))
                continue
            if response is None:
                continue
            version = response.headers.get(b"X-Version", b"").decode()
            if response.body != version.encode() * 20000:
                problems.append(f"headers of version {version!r} with another body")
            else:
                good += 1
    finally:
        writer.join(timeout=30)
    return good, problems


def test_http_cache_shared_by_workers_never_serves_a_torn_entry(tmp_path: Path) -> None:
    from crawler.distributed import SharedCacheStorage

    good, problems = _torn_reads(tmp_path / "shared", SharedCacheStorage)
    assert problems == []
    assert good > 0  # the reader did get complete entries while they were being replaced


def test_scrapys_own_cache_storage_is_torn_under_the_same_load(tmp_path: Path) -> None:
    """The previous test can fail: Scrapy's storage, read the same way, breaks."""
    from scrapy.extensions.httpcache import FilesystemCacheStorage

    _, problems = _torn_reads(tmp_path / "plain", FilesystemCacheStorage)
    assert problems
