"""A real headless Chromium opens the served corpus: a report page, the chart dashboard, and
the journalist's pages on a phone-width screen.

``nianbao serve`` runs as a subprocess on an ephemeral port over a corpus built by crawling the
simulated web; Chromium renders the pages (JavaScript included: the charts are Vega) and the test
reads the rendered DOM. Screenshots are saved in the test's tmp directory.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

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


class Browser:
    """One headless Chromium driven over ``--remote-debugging-pipe`` (the DevTools protocol on
    the child's fd 3 and 4, standard library only): several pages at a set viewport."""

    def __init__(self, profile: Path, width: int, height: int):
        to_child, self._out = os.pipe()
        self._in, from_child = os.pipe()

        def child_fds() -> None:  # the child reads commands on fd 3 and answers on fd 4
            a, b = os.dup(to_child), os.dup(from_child)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--remote-debugging-pipe",
             f"--window-size={width},{height}"],
            preexec_fn=child_fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(to_child)
        os.close(from_child)
        self._buffer, self._id, self._session = b"", 0, None
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target,
                                  flatten=True)["sessionId"]
        # A phone's viewport (390 CSS pixels: an iPhone 12-15) for the page's layout.
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def call(self, method: str, **params) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if self._session:
            message["sessionId"] = self._session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            while b"\0" not in self._buffer:
                chunk = os.read(self._in, 1 << 16)
                assert chunk, "Chromium closed its DevTools pipe"
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._id:
                assert "error" not in reply, reply["error"]
                return reply["result"]
        raise TimeoutError(method)

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression,
                         returnByValue=True)["result"].get("value")

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while not self.evaluate("document.readyState === 'complete' && "
                                "location.href !== 'about:blank'"):
            assert time.monotonic() < deadline, f"{url} did not load"
            time.sleep(0.1)

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot")["data"]))

    def close(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=10)
        os.close(self._out)
        os.close(self._in)


def test_pages_fit_a_phone_screen(served, tmp_path):
    """At 390 pixels nothing pushes the page sideways: wide tables scroll in their own box
    (Datasette shows rows as cards), long URLs and a canned query's SQL wrap or scroll."""
    conn = sqlite3.connect(f"file:{served['db']}?mode=ro", uri=True)
    rid, agency, agency_id = conn.execute(
        "SELECT id, agency, agency_id FROM reports WHERE agency_id IS NOT NULL "
        "ORDER BY checks_passed, id LIMIT 1").fetchone()
    conn.close()
    base = served["url"].rstrip("/")
    pages = ["/", f"/corpus/agencies?_search={quote(agency)}", f"/corpus/agencies/{agency_id}",
             f"/corpus/agency_reports?agency={quote(agency)}", f"/corpus/reports/{rid}",
             f"/corpus/report_figures?report_id={rid}", "/corpus/reports",
             "/-/dashboards/nianbao"]
    browser = Browser(tmp_path / "profile", 390, 844)
    try:
        widths = {}
        for page in pages:
            browser.open(base + page)
            widths[page] = browser.evaluate("[document.documentElement.scrollWidth, "
                                            "window.innerWidth]")
            if page == f"/corpus/reports/{rid}":
                browser.screenshot(tmp_path / "report-phone.png")
    finally:
        browser.close()
    assert all(w[1] == 390 for w in widths.values()), widths
    assert {p: w for p, w in widths.items() if w[0] > w[1]} == {}
    assert (tmp_path / "report-phone.png").stat().st_size > 10_000


def test_a_tables_rows_start_on_the_first_screen(served, tmp_path):
    """The reports table describes 47 columns: listed in full above the rows they pushed the
    filters and rows three screens down. The list scrolls in a box; every description is
    still in the page."""
    base = served["url"].rstrip("/")
    browser = Browser(tmp_path / "profile", 1280, 900)
    try:
        tops = {}
        for page in ("/corpus/reports", "/corpus/agencies", "/corpus/checks"):
            browser.open(base + page)
            tops[page] = browser.evaluate(
                "[document.querySelector('form.filters').getBoundingClientRect().top, "
                "document.querySelector('table.rows-and-columns').getBoundingClientRect().top, "
                "document.querySelectorAll('dl.column-descriptions dt').length]")
    finally:
        browser.close()
    described = sqlite3.connect(f"file:{served['db']}?mode=ro", uri=True).execute(
        "SELECT count(*) FROM pragma_table_info('reports')").fetchone()[0]
    assert tops["/corpus/reports"][2] >= described - 5, tops  # the descriptions are all there
    assert {p: t for p, t in tops.items() if not (0 < t[0] < t[1] < 900)} == {}, tops
