"""The nightly job on the simulated web: cheap when nothing changed, exact when something did.

One full first night is crawled once per test session (``baseline``); each test copies its
corpus and state into its own folder and serves its own copy of the same web (through the
simulated web's proxy, so that URLs keep their host names and the copy stays valid).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from corpus.serve import make_datasette
from crawler.simweb import SimWeb
from crawler.simweb.routes import Reply, Route
from tests.nightly_support import SPEC, crawl_env, last_run, network_requests, run_nightly, snapshot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The first night on an empty corpus: folder, request count, reports expected."""
    base = tmp_path_factory.mktemp("nightly-baseline")
    with SimWeb(SPEC) as web:
        sites = web.sites_csv(base / "sites.csv", mode="proxy")
        proc = run_nightly(sites, base / "corpus.db", env=crawl_env(web.proxy_url))
        assert proc.returncode == 0, proc.stderr[-2000:]
        expected = web.expected("proxy")
        return {"dir": base, "requests": len(web.request_log), "expected": expected,
                "stdout": proc.stdout}


def _copy(baseline: dict[str, Any], dest: Path) -> tuple[Path, Path]:
    """The baseline corpus, raw copies and nightly state, as a folder of this test's own."""
    shutil.copytree(baseline["dir"], dest, dirs_exist_ok=True)
    return dest / "sites.csv", dest / "corpus.db"


def _urls_of(facts: dict) -> set[str]:
    urls = {facts.get("url", ""), *facts.get("urls", []), *facts["alternates"]}
    if facts.get("page_url"):
        urls.add(facts["page_url"])
    return {u for u in urls if u}


def _truth(web: SimWeb) -> dict[str, dict]:
    return {url: {**facts, "url": url} for url, facts in web.ground_truth.items()
            if facts["reachable"]}


async def _canned(db: Path, name: str, **params: str) -> list[dict]:
    ds = make_datasette(db)
    query = "&".join(f"{k}={v}" for k, v in {"agency": "", **params}.items())
    response = await ds.client.get(f"/corpus/{name}.json?_shape=array&{query}")
    assert response.status_code == 200, response.text[:500]
    return response.json()


def test_first_night_finds_every_report(baseline: dict[str, Any]) -> None:
    db = baseline["dir"] / "corpus.db"
    conn = sqlite3.connect(db)
    stored = {(a, y) for a, y in conn.execute("SELECT agency, year FROM reports")}
    expected = {(f["agency"], f["year"]) for f in baseline["expected"].values()}
    assert stored == expected
    run = conn.execute("SELECT kind, status, requests, new_reports FROM crawl_runs").fetchall()
    assert run == [("nightly", "ok", baseline["requests"], len(expected))]


def test_second_night_costs_a_tenth_and_changes_nothing(baseline: dict[str, Any],
                                                        tmp_path: Path) -> None:
    sites, db = _copy(baseline, tmp_path)
    before = snapshot(db)
    with SimWeb(SPEC) as web:
        proc = run_nightly(sites, db, env=crawl_env(web.proxy_url))
        assert proc.returncode == 0, proc.stderr[-2000:]
        requests = network_requests(web, 0)
    assert len(requests) <= 0.10 * baseline["requests"], (len(requests), baseline["requests"])
    assert snapshot(db) == before
    run = last_run(db)
    assert (run["kind"], run["status"]) == ("nightly", "ok")
    assert (run["new_reports"], run["changed_reports"], run["removed"]) == (0, 0, 0)
    # The run's own count is what the web saw; lists were asked conditionally.
    assert run["requests"] == len(requests)
    assert run["not_modified"] == sum(1 for r in requests if r["status"] == 304) > 0
    # No known document was fetched again.
    known = {u.split("://", 1)[1] for u in snapshot(db)["urls"]}
    refetched = [r for r in requests if r["host"] + r["path"] in known]
    assert refetched == []


def test_added_modified_removed_reports_are_recorded_exactly(baseline: dict[str, Any],
                                                             tmp_path: Path) -> None:
    sites, db = _copy(baseline, tmp_path)
    before = snapshot(db)
    with SimWeb(SPEC) as web:
        truth = _truth(web)
        by_key = {(f["agency"], f["year"]): f for f in truth.values()}
        web.add_report("www.jiahe-test.gov.cn", {"year": 2025, "kind": "html", "seed": 181})
        web.add_report("www.bingcheng-test.gov.cn", {"year": 2025, "kind": "pdf", "seed": 381})
        modified = by_key[("乙山市人民政府", 2021)]
        web.modify_report(modified["url"])
        removed = [by_key[("丁林市财政局", 2021)],     # split page + attachment, JSON list
                   by_key[("甲河县人民政府", 2017)]]   # on the last page of its list
        for facts in removed:
            web.remove_report(facts["url"])
        proc = run_nightly(sites, db, env=crawl_env(web.proxy_url))
        assert proc.returncode == 0, proc.stderr[-2000:]
        after = snapshot(db)
        run = last_run(db)

        added = set(after["reports"]) - set(before["reports"])
        assert added == {("甲河县人民政府", 2025), ("丙城区人民政府", 2025)}
        changed = {k for k in before["reports"]
                   if after["reports"][k]["hash"] != before["reports"][k]["hash"]}
        assert changed == {("乙山市人民政府", 2021)}
        assert after["reports"][("乙山市人民政府", 2021)]["version"] == 2
        conn = sqlite3.connect(db)
        moved = conn.execute(
            "SELECT count(*) FROM cell_changes c JOIN reports r ON r.id = c.report_id "
            "WHERE r.agency = '乙山市人民政府' AND r.year = 2021 AND c.version = 2").fetchone()[0]
        assert moved > 0  # which figures changed, old and new values kept
        # Removed: exactly the URLs of the two reports, with a reason; nothing deleted.
        gone = {u for u, (_, _, is_removed, _) in after["urls"].items() if is_removed}
        expected_gone = set().union(*(_urls_of(f) for f in removed))
        assert gone == expected_gone
        assert all(after["urls"][u][3] for u in gone)
        for facts in removed:
            key = (facts["agency"], facts["year"])
            assert after["reports"][key]["cells"] == before["reports"][key]["cells"]
        assert (run["new_reports"], run["changed_reports"], run["removed"]) == (
            2, 1, len(expected_gone))
        # The journalist's view: Datasette's canned query lists exactly these.
        rows = asyncio.run(_canned(db, "changed_or_taken_down"))
        assert {(r["agency"], r["year"]) for r in rows if r["what"].startswith("changed")} == {
            ("乙山市人民政府", 2021)}
        taken_down = [r for r in rows if r["what"].startswith("taken down")]
        assert {(r["agency"], r["year"]) for r in taken_down} == {
            (f["agency"], f["year"]) for f in removed}
        assert all(r["last_seen"] and r["reason"] for r in taken_down)

        # The night after: nothing changed, nothing recorded, cheap again.
        mark = len(web.request_log)
        proc = run_nightly(sites, db, env=crawl_env(web.proxy_url))
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert snapshot(db) == after
        assert len(network_requests(web, mark)) <= 0.10 * baseline["requests"]
        run = last_run(db)
        assert (run["new_reports"], run["changed_reports"], run["removed"]) == (0, 0, 0)


def test_silent_replacement_is_caught_when_documents_are_revalidated(
        baseline: dict[str, Any], tmp_path: Path) -> None:
    sites, db = _copy(baseline, tmp_path)
    before = snapshot(db)
    with SimWeb(SPEC) as web:
        target = next(f for f in _truth(web).values()
                      if (f["agency"], f["year"]) == ("甲河县人民政府", 2022))
        web.modify_report(target["url"], silent=True)  # new bytes, list untouched
        # A cheap night cannot see it (the list says nothing) ...
        proc = run_nightly(sites, db, env=crawl_env(web.proxy_url))
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert snapshot(db)["reports"] == before["reports"]
        # ... the revalidating night (every known document asked with If-None-Match) does.
        mark = len(web.request_log)
        proc = run_nightly(sites, db, env=crawl_env(web.proxy_url, NIANBAO_REVALIDATE_DAYS="0"))
        assert proc.returncode == 0, proc.stderr[-2000:]
        requests = network_requests(web, mark)
    after = snapshot(db)
    changed = {k for k in before["reports"] if after["reports"][k]["hash"] != before["reports"][k]["hash"]}
    assert changed == {("甲河县人民政府", 2022)}
    run = last_run(db)
    assert (run["new_reports"], run["changed_reports"], run["removed"]) == (0, 1, 0)
    # Unchanged documents answered 304: asked, not downloaded again — except the replaced one
    # and pages whose bytes differ on every request (the session-id trap in their navigation).
    known = {u.split("://", 1)[1]: u for u in before["urls"]}
    downloaded = {known[r["host"] + r["path"]] for r in requests
                  if r["status"] == 200 and r["host"] + r["path"] in known}
    session_host = next(s["host"] for s in SPEC["sites"] if "session" in s.get("traps", []))
    assert {u for u in downloaded if session_host not in u} <= _urls_of(target)
    assert sum(1 for r in requests if r["status"] == 304) >= len(before["reports"]) // 2


def test_a_list_that_suddenly_lists_nothing_removes_nothing(baseline: dict[str, Any],
                                                            tmp_path: Path) -> None:
    """A redesign (here: the JSON list API answers "no such channel") is not a purge."""
    sites, db = _copy(baseline, tmp_path)
    before = snapshot(db)
    host = next(s["host"] for s in SPEC["sites"] if s["family"] == "json")
    with SimWeb(SPEC) as web:
        web.routes[(host, "/api/content/list")] = Route(handler=lambda request: Reply(
            body='{"code": 1, "msg": "no channel"}', content_type="application/json"))
        proc = run_nightly(sites, db, env=crawl_env(web.proxy_url))
        assert proc.returncode == 0, proc.stderr[-2000:]
    after = snapshot(db)
    assert after == before  # nothing marked removed, nothing changed
    conn = sqlite3.connect(db)
    stats = json.loads(conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC").fetchone()[0])
    assert f"http://{host}/" in stats["removal_skipped_sites"]
    # The next night discovers that site again from its seed.
    frontier = sqlite3.connect(db.with_name(db.name + ".nightly") / "frontier.db")
    assert frontier.execute("SELECT needs_full FROM site_state WHERE site = ?",
                            [f"http://{host}/"]).fetchone() == (1,)
