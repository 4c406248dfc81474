"""A real headless Chromium opens the served corpus: a report page and the chart dashboard.

``nianbao serve`` runs as a subprocess on an ephemeral port over a corpus built by crawling the
simulated web; Chromium renders the pages (JavaScript included: the charts are Vega) and the test
reads the rendered DOM. Screenshots are saved in the test's tmp directory.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.corpus_env import ROOT, crawled_corpus

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    crawled = crawled_corpus(tmp_path_factory)
    proc = subprocess.Popen([sys.executable, "-m", "nianbao_cli", "serve", "--db",
                             str(crawled["db"]), "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    line = proc.stdout.readline()  # "Serving the corpus at http://127.0.0.1:PORT/ …"
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    assert match, line
    yield {"url": match.group(0), "db": crawled["db"]}
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def chromium(url: str, tmp: Path, *, screenshot: Path | None = None) -> str:
    """Render ``url`` headless; returns the DOM after scripts ran (or saves a screenshot)."""
    profile = tmp / f"profile-{time.monotonic_ns()}"
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={profile}", "--virtual-time-budget=10000",
            "--window-size=1280,1400"]
    args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
    result = subprocess.run(args + [url], capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_report_page_renders_with_links_to_sources(served, tmp_path):
    conn = sqlite3.connect(f"file:{served['db']}?mode=ro", uri=True)
    rid, agency, sha, source, received = conn.execute(
        "SELECT id, agency, document_sha256, source_url, applications_received FROM reports "
        "WHERE format = '2021' AND applications_received IS NOT NULL ORDER BY id LIMIT 1"
    ).fetchone()
    n_checks = conn.execute("SELECT count(*) FROM checks WHERE report_id = ?", (rid,)
                            ).fetchone()[0]
    conn.close()
    url = f"{served['url']}corpus/reports/{rid}"
    dom = chromium(url, tmp_path)
    assert agency in dom
    assert f'href="/-/raw/{sha}"' in dom
    assert f'href="{source}"' in dom.replace("&amp;", "&")
    # The report card (corpus/templates): headline figures and the way to every figure.
    assert re.search(rf"<td>\s*{received}\s*</td>", dom)
    assert "every figure of this report" in dom and "this agency over the years" in dom
    # Datasette links the report's figures and checks ("Links from other tables").
    assert f"cell_values?report_id={rid}" in dom
    assert re.search(rf"{n_checks}\s+rows?</a>\s*from report_id in checks", dom.replace(",", ""))
    shot = tmp_path / "report.png"
    chromium(url, tmp_path, screenshot=shot)
    assert shot.stat().st_size > 10_000


def test_dashboard_draws_the_charts(served, tmp_path):
    url = f"{served['url']}-/dashboards/nianbao"
    dom = chromium(url, tmp_path)
    # Vega rendered the two charts (an SVG/canvas "graphics-document" each) …
    assert 'aria-label="历年新收申请 Applications received by year"' in dom
    assert 'aria-label="办理结果 Outcomes"' in dom
    # … and the metric and table cards carry the corpus's figures.
    conn = sqlite3.connect(f"file:{served['db']}?mode=ro", uri=True)
    reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    top = conn.execute("SELECT agency FROM reports GROUP BY agency_id "
                       "ORDER BY sum(applications_received) DESC LIMIT 1").fetchone()[0]
    conn.close()
    assert re.search(rf">\s*{reports}\s*份", dom) or f"{reports} 份" in dom
    assert top in dom
    shot = tmp_path / "dashboard.png"
    chromium(url, tmp_path, screenshot=shot)
    assert shot.stat().st_size > 10_000
