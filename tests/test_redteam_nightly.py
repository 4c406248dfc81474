"""Red-team nights: the real ``nianbao nightly`` against a web it was not written for.

The web (tests/redteam_nightly_web.py) serves six sites that behave as real servers do:
Last-Modified only, stable ETags, an ETag that changes on every response, dynamic pages with no
validators (or a Last-Modified of "now") and a clock / visit counter / CSRF token in every
response, JSON list APIs with a server timestamp and request id, lists of 3 to 20 reports,
paginated or not. It counts every request reaching it (robots.txt and 304s included).

One sequence of nights is run once (module fixture): night 1 on an empty corpus, night 2 with
nothing changed, then additions, re-publications, in-place replacements and removals of every
kind, night 3, and night 4 with nothing changed again. The tests check the issue's acceptance:
an unchanged night costs at most 10 % of the first; a night after changes records exactly them;
a night killed at several points resumes to the same corpus.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.nightly_support import (
    crawl_env,
    kill_group,
    last_run,
    run_nightly,
    snapshot,
    start_nightly,
)
from tests.redteam_nightly_web import NightWeb, SiteSpec
from tests.redteam_web import flat

pytestmark = pytest.mark.slow

SPECS = [
    SiteSpec("www.jiaxian.gov.cn", "甲县", "lm", n=20, per_page=6, total=True, seed=1),
    SiteSpec("www.yixian.gov.cn", "乙县", "none", n=9, per_page=3, total=False, attach=True, seed=2),
    SiteSpec("www.bingxian.gov.cn", "丙县", "churn", n=3, attach=True, seed=3),
    SiteSpec("www.dingxian.gov.cn", "丁县", "etag", n=7, per_page=3, api=True, seed=4),
    SiteSpec("www.wuxian.gov.cn", "戊县", "lm", n=5, total=False, attach=True, seed=5),
    SiteSpec("www.jixian.gov.cn", "己县", "now", n=5, api=True, seed=6),
]
JIA, YI, BING, DING, WU, JI = (s.host for s in SPECS)


def apply_changes(web: NightWeb) -> dict[str, list[tuple[str, int]]]:
    """Between night 2 and night 3: what a week of real publishing does to the sites.
    Returns (agency, year) of the reports that are new, changed and removed."""
    def key(doc: Any) -> tuple[str, int]:
        return doc.fig.agency, doc.fig.year

    return {
        # An addition on page 1 pushes an item of each page to the next.
        "new": [key(web.add(JIA)), key(web.add(BING, dept="统计局", seed=778))],
        "changed": [
            key(web.republish(JIA, 10)),           # from page 2 to the top, today's date
            key(web.republish(DING, 5)),           # JSON API, from page 2 to the top
            key(web.replace(WU, 1, regen=True)),   # same URL, list regenerated (new L-M, same text)
        ],
        "removed": [
            key(web.remove(JIA, 3, "404")),
            # Off page 2 of a list printing no total, still served: page 1 does not change.
            key(web.remove(YI, 4, "dropped")),
            key(web.remove(BING, 1, "soft404", keep_link=True)),  # 200 页面不存在, still linked
            key(web.remove(JI, 2, "410")),
            key(web.remove(DING, 3, "soft404")),  # (the list drops it too)
        ],
    }


def _night(web: NightWeb, sites: Path, db: Path, **env: str) -> dict[str, Any]:
    mark, started = web.mark(), datetime.now().astimezone()
    proc = run_nightly(sites, db, env=crawl_env(web.proxy_url, **env), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {"counts": web.count_since(mark), "log": web.requests_since(mark),
            "started": started, "stdout": proc.stdout, "run": last_run(db)}


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("redteam-nights")
    out: dict[str, Any] = {"dir": base}
    web = NightWeb(SPECS)
    with web:
        sites, db = web.sites_csv(base / "sites.csv"), base / "corpus.db"
        out["n1"] = _night(web, sites, db)
        out["after1"] = snapshot(db)
        out["expected1"] = web.expected()
        out["n2"] = _night(web, sites, db)
        out["after2"] = snapshot(db)
        out["after2_dir"] = tmp_path_factory.mktemp("redteam-after2")
        shutil.copytree(base, out["after2_dir"], dirs_exist_ok=True)
        out["changes"] = apply_changes(web)
        out["expected3"] = web.expected()
        out["web3"] = web
        out["n3"] = _night(web, sites, db)
        out["after3"] = snapshot(db)
        out["n4"] = _night(web, sites, db)
        out["after4"] = snapshot(db)
    return out


def _reports(db: Path) -> dict[tuple[str, int], dict]:
    conn = sqlite3.connect(db)
    try:
        out = {}
        for rid, agency, year, version in conn.execute(
                "SELECT id, agency, year, version FROM reports"):
            cells = dict(conn.execute("SELECT key, value FROM cells WHERE report_id = ?", [rid]))
            urls = conn.execute("SELECT url, last_seen, removed_at, removed_reason FROM "
                                "document_urls WHERE report_id = ?", [rid]).fetchall()
            out[(agency, year)] = {"version": version, "cells": cells, "urls": urls}
        return out
    finally:
        conn.close()


def _figures_match(cells: dict[str, Any], truth: dict) -> list[str]:
    """Cell keys whose stored value differs from the fixture generator's expected value."""
    want = flat({k: truth[k] for k in ("active", "requests", "review_litigation")})
    return [k for k, v in want.items()
            if k in cells and not (v == cells[k] or (v is not None and cells[k] is not None
                                                     and abs(float(v) - float(cells[k])) < 1e-6))]


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_first_night_finds_every_report(nights: dict[str, Any]) -> None:
    assert set(nights["after1"]["reports"]) == set(nights["expected1"])
    assert nights["n1"]["run"]["requests"] == nights["n1"]["counts"]["total"]


@pytest.mark.parametrize("night", ["n2", "n4"])
def test_unchanged_night_costs_at_most_a_tenth(nights: dict[str, Any], night: str) -> None:
    first, again = nights["n1"]["counts"], nights[night]["counts"]
    assert again["total"] <= 0.10 * first["total"], (dict(again), dict(first))
    # What it spends: one request per report list, plus the last page of the long list that
    # prints no total (乙县); nothing else (robots.txt is cached, known documents and further
    # pages of unchanged lists are not asked).
    assert again["total"] == again["list"] + again["api"] + again["further"], nights[night]["log"]
    assert again["total"] == len(SPECS) + 1
    assert [p for h, p, kind, _s in nights[night]["log"] if kind == "further"] == [
        "/xxgk/nb/index_2.html"]


def test_unchanged_night_costs_a_tenth_per_site(nights: dict[str, Any]) -> None:
    """Every variant (validators, dynamic noise, JSON API, paging) on its own, for the sites
    with at least 5 reports."""
    for spec in SPECS:
        if spec.n < 5:
            continue
        n1 = sum(1 for h, *_ in nights["n1"]["log"] if h == spec.host)
        n2 = sum(1 for h, *_ in nights["n2"]["log"] if h == spec.host)
        assert n2 <= 0.10 * n1, (spec, n1, n2)


@pytest.mark.parametrize("before, after", [("after1", "after2"), ("after3", "after4")])
def test_unchanged_night_changes_nothing(nights: dict[str, Any], before: str, after: str) -> None:
    one, two = nights[before], nights[after]
    moved = {u: (one["urls"].get(u), two["urls"].get(u)) for u in one["urls"] | two["urls"]
             if one["urls"].get(u) != two["urls"].get(u)}
    assert not moved
    assert not _differences(two, one)


def test_changes_recorded_exactly(nights: dict[str, Any]) -> None:
    changes, expected, run = nights["changes"], nights["expected3"], nights["n3"]["run"]
    before, after = nights["after2"], nights["after3"]
    reports = _reports(nights["dir"] / "corpus.db")
    new = set(after["reports"]) - set(before["reports"])
    assert new == set(changes["new"])
    changed = {k for k, r in after["reports"].items()
               if k in before["reports"] and r["version"] != before["reports"][k]["version"]}
    assert changed == set(changes["changed"])
    assert (run["new_reports"], run["changed_reports"]) == (len(new), len(changed))
    web = nights["web3"]
    for key in changes["changed"] + changes["new"]:
        doc = next(d for s in web.sites.values() for d in s.docs
                   if (d.fig.agency, d.fig.year) == key)
        assert not _figures_match(reports[key]["cells"], web.truth(doc)), key
    # Removed: marked with the reason, never deleted, last seen the night before.
    removed = {url for url, (_sha, _role, gone, _reason) in after["urls"].items() if gone}
    assert removed == {expected[k]["url"] for k in changes["removed"]}
    assert set(after["reports"]) >= set(before["reports"])
    night2 = nights["n2"]["started"]
    for key in changes["removed"]:
        (url, last_seen, removed_at, reason), = [u for u in reports[key]["urls"]
                                                 if u[0] == expected[key]["url"]]
        assert removed_at and reason, (key, reason)
        assert night2 <= _time(last_seen) < nights["n3"]["started"], (key, last_seen)
    reasons = {reports[k]["urls"][0][3] for k in changes["removed"]}
    assert "soft 404 (page not found)" in reasons and "no longer listed" in reasons


def test_silent_replacement_found_by_rotation(nights: dict[str, Any], tmp_path: Path) -> None:
    """Bytes replaced in place with nothing else changing cannot be seen by an unchanged-cost
    night; a night with every document due (NIANBAO_REVALIDATE_DAYS=0) finds it, and the
    unchanged documents of a validating server cost only 304s."""
    shutil.copytree(nights["dir"], tmp_path, dirs_exist_ok=True)
    sites, db = tmp_path / "sites.csv", tmp_path / "corpus.db"
    web = NightWeb(SPECS)
    apply_changes(web)
    doc = web.replace(JIA, 4)
    key = (doc.fig.agency, doc.fig.year)
    with web:
        quiet = _night(web, sites, db)
        assert quiet["counts"]["total"] == len(SPECS) + 1
        assert _reports(db)[key]["version"] == 1
        # (the site alone: the other sites' documents would be fetched again in full too)
        only = tmp_path / "jiaxian.csv"
        only.write_text("name,url\n甲县人民政府,http://www.jiaxian.gov.cn/\n", encoding="utf-8")
        full = _night(web, only, db, NIANBAO_REVALIDATE_DAYS="0")
    assert _reports(db)[key]["version"] == 2
    assert not _figures_match(_reports(db)[key]["cells"], web.truth(doc))
    jia = [status for host, _p, kind, status in full["log"] if host == JIA and kind == "document"]
    assert jia.count(200) == 1 and jia.count(304) == len(jia) - 1, jia


def _kill_after(count: int) -> Callable[[NightWeb, Path, Path], None]:
    def run(web: NightWeb, sites: Path, db: Path) -> None:
        mark = web.mark()
        proc = start_nightly(sites, db, env=crawl_env(web.proxy_url))
        deadline = time.time() + 120
        while web.mark() - mark < count and proc.poll() is None and time.time() < deadline:
            time.sleep(0.01)
        kill_group(proc)
        proc.communicate(timeout=60)
    return run


@pytest.mark.parametrize("kill_at", [3, 25])
def test_killed_night_resumes_to_the_same_corpus(nights: dict[str, Any], tmp_path: Path,
                                                 kill_at: int) -> None:
    """Night 3 killed (SIGKILL) after ``kill_at`` requests (reading the lists; fetching the
    changed documents), then run again: the corpus ends as the uninterrupted night 3 left it."""
    src = nights["after2_dir"]
    shutil.copytree(src, tmp_path, dirs_exist_ok=True)
    sites, db = tmp_path / "sites.csv", tmp_path / "corpus.db"
    web = NightWeb(SPECS)
    apply_changes(web)
    with web:
        _kill_after(kill_at)(web, sites, db)
        _night(web, sites, db)
    assert not _differences(snapshot(db), nights["after3"])


def _differences(got: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    """What differs between two corpus snapshots, item by item (readable on failure)."""
    out: dict[str, Any] = {}
    for part in want:
        a, b = got[part], want[part]
        if isinstance(b, dict):
            diff = {k: (a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
        else:
            diff = {"extra": sorted(set(a) - set(b), key=repr),
                    "missing": sorted(set(b) - set(a), key=repr)} if a != b else {}
        if diff:
            out[part] = diff
    return out
