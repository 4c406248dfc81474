"""Shared by the nightly tests: a small simulated web, running ``nianbao nightly``, snapshots.

The web is served in the test process (threads); the nightly job runs as a real subprocess
(``python -m nianbao_cli nightly``), direct to 127.0.0.N ports with ``--allow-private``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from crawler.simweb import SimWeb

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = [sys.executable, "-m", "nianbao_cli"]

# Four CMS families, inline and attached reports, a split page + attachment, a copy, a redirect,
# decoys and traps. Not the bundled sample web: the tests must not be tuned to it. Lists hold
# 5–7 items a page (real portals show 15–20), several pages where there are enough reports.
def _reports(first_seed: int, kinds: list[str], links: list[str], start_year: int = 2024
             ) -> list[dict]:
    return [{"year": start_year - i, "kind": kind, "link": links[i % len(links)],
             "title_style": (first_seed + i) % 12, "seed": first_seed + i}
            for i, kind in enumerate(kinds)]


SPEC: dict[str, Any] = {"sites": [
    {"name": "甲河县人民政府", "host": "www.jiahe-test.gov.cn", "family": "plain", "per_page": 6,
     "region_code": "510402", "level": "county", "noise": 14,
     "reports": _reports(100, ["html", "split_pdf", "docx", "html", "txt", "html", "xlsx",
                               "html", "split_docx"], ["text", "title_attr", "view"])
     + [{"year": 2012, "kind": "html", "private": True, "seed": 199}],
     "decoys": ["notice", "template"], "traps": ["calendar"], "robots": ["/private/"]},
    {"name": "乙山市人民政府", "host": "www.yishan-test.gov.cn", "family": "trs", "encoding": "gbk",
     "charset_header": "missing", "per_page": 5, "region_code": "510400", "level": "prefecture",
     "noise": 12,
     "reports": _reports(200, ["html", "split_docx", "xlsx", "html", "txt", "html", "pdf"],
                         ["text", "onclick", "text"]),
     "decoys": ["notice", "interpretation"], "traps": ["session"], "robots": []},
    {"name": "丙城区人民政府", "host": "www.bingcheng-test.gov.cn", "family": "hanweb",
     "per_page": 5, "region_code": "510411", "level": "county", "noise": 10,
     "reports": _reports(300, ["html", "pdf", "txt", "html", "docx", "html"],
                         ["view", "text", "title_attr", "script"])
     + [{"agency": "丙城区教育局", "year": 2023, "kind": "html", "link": "script", "seed": 399}],
     "decoys": ["notice"], "robots": ["/search/"]},
    {"name": "丁林市财政局", "host": "www.dinglin-test.gov.cn", "family": "json", "per_page": 6,
     "region_code": "510400", "level": "department", "noise": 10,
     "reports": [{"year": 2024, "kind": "html", "seed": 401, "redirect": True}]
     + _reports(402, ["txt", "split_pdf", "html", "html", "docx"], ["text"], 2023),
     "decoys": ["notice"], "quirks": ["redirect_column"]},
]}

# Two sites only: for the tests that crawl many times (interruptions, Redis, Datasette).
SMALL_SPEC: dict[str, Any] = {"sites": [
    {**SPEC["sites"][0], "per_page": 3, "noise": 8,
     "reports": _reports(500, ["html", "split_pdf", "txt", "html", "docx"], ["text", "view"])},
    # No session-id trap here: the interruption tests compare documents byte for byte.
    {**SPEC["sites"][1], "per_page": 3, "noise": 8, "traps": [],
     "reports": _reports(600, ["html", "xlsx", "split_docx", "html"], ["text", "onclick"])},
]}


def crawl_env(proxy: str | None = None, **extra: str) -> dict[str, str]:
    """Environment for a fast crawl on loopback (no politeness delay, short back-off);
    ``proxy``: the simulated web's proxy, so that sites keep their real host names."""
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    if proxy:
        env["http_proxy"] = env["https_proxy"] = proxy
    env.update({"NIANBAO_CRAWL_DELAY": "0", "NIANBAO_RETRY_BACKOFF": "0.05",
                "NIANBAO_DOWNLOAD_TIMEOUT": "20", "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


def nightly_args(sites: Path, db: Path, *more: str) -> list[str]:
    return [*NIANBAO, "nightly", "--sites", str(sites), "--db", str(db), *more]


def run_nightly(sites: Path, db: Path, *more: str, env: dict[str, str] | None = None,
                timeout: float = 180) -> subprocess.CompletedProcess:
    """One ``nianbao nightly`` run to its end."""
    return subprocess.run(nightly_args(sites, db, *more), cwd=ROOT, env=env or crawl_env(),
                          check=False, capture_output=True, text=True, timeout=timeout)


def start_nightly(sites: Path, db: Path, *more: str, env: dict[str, str] | None = None
                  ) -> subprocess.Popen:
    """A ``nianbao nightly`` run in the background, in its own process group."""
    return subprocess.Popen(nightly_args(sites, db, *more), cwd=ROOT, env=env or crawl_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal the run and its children (the bounded parser's forks) by process group."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def wait_for_requests(web: SimWeb, count: int, proc: subprocess.Popen, timeout: float = 120) -> bool:
    """Wait until the web has answered ``count`` requests in all (False if the run ended first)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if len(web.request_log) >= count:
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    raise TimeoutError(f"the run made fewer than {count} requests in {timeout} s")


def network_requests(web: SimWeb, since: int) -> list[dict]:
    """Requests that reached the web since log position ``since``."""
    return list(web.request_log[since:])


def snapshot(db: Path) -> dict[str, Any]:
    """What a run leaves in the corpus, without ids and times: reports with every cell, the
    documents, the URLs with their removal state, the versions."""
    conn = sqlite3.connect(db)
    try:
        reports = {}
        for rid, agency, year, fmt, sha, version, chash in conn.execute(
                "SELECT id, agency, year, format, document_sha256, version, content_hash "
                "FROM reports"):
            cells = tuple(conn.execute("SELECT key, value, value_raw, kind FROM cells "
                                       "WHERE report_id = ? ORDER BY key", [rid]).fetchall())
            reports[(agency, year)] = {"format": fmt, "sha": sha, "version": version,
                                       "hash": chash, "cells": cells}
        urls = {url: (sha, role, removed is not None, reason) for url, sha, role, removed, reason
                in conn.execute("SELECT url, sha256, role, removed_at, removed_reason "
                                "FROM document_urls")}
        versions = sorted(conn.execute(
            "SELECT r.agency, r.year, v.version, v.content_hash FROM report_versions v "
            "JOIN reports r ON r.id = v.report_id").fetchall(), key=repr)
        documents = {r[0] for r in conn.execute("SELECT sha256 FROM documents")}
        return {"reports": reports, "urls": urls, "versions": versions, "documents": documents}
    finally:
        conn.close()


def last_run(db: Path) -> dict[str, Any]:
    """The latest ``crawl_runs`` row as a dict."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone())
    finally:
        conn.close()


def reports_by_url(db: Path) -> dict[str, tuple[str, int]]:
    """Every URL of a stored report → (agency, year)."""
    conn = sqlite3.connect(db)
    try:
        return {url: (agency, year) for url, agency, year in conn.execute(
            "SELECT u.url, r.agency, r.year FROM document_urls u JOIN reports r "
            "ON r.id = u.report_id")}
    finally:
        conn.close()
