"""Red team round 10: the command line and the night operator (docs/redteam-hostile.md).

A disk that fills (a small tmpfs as ``--db``'s folder or ``export``'s target), cron's bare
environment (``env -i``, ``LC_ALL=C``, ``TZ=Asia/Shanghai``, no tty, relative Chinese paths,
stderr a log file), a locale whose encoding cannot write Chinese, and ``scrapy crawl reports``
run by hand. The contract: exit 0/1/2 (130 interrupted), one line on stderr, no traceback,
nothing stored lost or duplicated, no half-written export under its final name.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from corpus.store import Corpus
from tests.cli_forks import ForkServer
from tests.corpus_env import store_synthetic
from tests.nightly_support import ROOT, SMALL_SPEC, SimWeb, crawl_env

FIXTURE = ROOT / "tests" / "fixtures" / "generated" / "html_official_2019_gbk.html"
NIANBAO_BIN = Path(sys.executable).with_name("nianbao")  # the console script pip installed


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    server = ForkServer()
    yield server
    server.close()


@pytest.fixture
def small_disks(tmp_path: Path) -> Iterator[Any]:
    """``mount(name, free_kb)``: a tmpfs of 8 MB under tmp_path with ``free_kb`` left free once
    ``prepare(folder)`` has run (a filler takes the rest). Unmounted at the end. Root only."""
    mounted: list[Path] = []

    def mount(name: str, free_kb: int, prepare: Any = None) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                          capture_output=True).returncode != 0:
            pytest.skip("cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)")
        mounted.append(folder)
        if prepare:
            prepare(folder)
        stat = os.statvfs(folder)
        filler = stat.f_bavail * stat.f_frsize - free_kb * 1024
        with open(folder / "filler", "wb") as fh:
            fh.truncate(0)
            fh.write(b"\0" * max(filler, 0))
        return folder

    yield mount
    for folder in reversed(mounted):
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(folder)], capture_output=True)


def _one_line(stderr: str, command: str) -> str:
    """The one line on stderr (after the crawl's plain progress lines)."""
    assert "Traceback" not in stderr and "CRITICAL" not in stderr, stderr[-3000:]
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("crawl: ")]
    assert len(lines) == 1 and lines[0].startswith(f"nianbao {command}: "), stderr[-3000:]
    return lines[0]


def _reports(db: Path) -> tuple[int, int, str]:
    """Reports, reports without their version row (a half-stored one), integrity."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return (conn.execute("SELECT count(*) FROM reports").fetchone()[0],
                conn.execute("SELECT count(*) FROM reports WHERE id NOT IN "
                             "(SELECT report_id FROM report_versions)").fetchone()[0],
                conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


# One site, two reports: enough for a crawl that ends well.
TINY_SPEC = {"sites": [{**SMALL_SPEC["sites"][0], "noise": 2, "per_page": 3, "traps": [],
                        "reports": SMALL_SPEC["sites"][0]["reports"][:1]
                        + [{**SMALL_SPEC["sites"][0]["reports"][2], "year": 2023}]}]}


def test_a_disk_that_fills_under_crawl_and_export(tmp_path: Path, small_disks: Any,
                                                  forks: ForkServer) -> None:
    """The disk fills (a tmpfs nearly full):

    - so full that the corpus cannot be read (SQLite needs room for its ``-shm`` file): "disk
      I/O error", not a word about the disk;
    - before the crawl's first document (the seed sites written as the spider opens): a
      ``CRITICAL twisted`` traceback, ``the crawl could not start (see the log above)``;
    - mid-crawl: the pipeline's ``ERROR … storage full`` line, then ``crawl ended early
      (storage full)``: two lines;
    - under ``export --format csv --output``: the export renamed into place whole, then its
      codebook cut short under its final name, exit 1.

    Now one line each, exit 1; the reports stored before stay whole; no file left under the
    export's names. Beside them, stdout's reader gone (``nianbao nightly | head -1``, a log
    pipe that died) made the summary line raise mid-run: after a good crawl the run was closed
    ``failed`` (the night's bookkeeping after it skipped), exit 0 and not a word; the work now
    goes on to its end."""
    big = tmp_path / "big.db"
    with Corpus(big) as corpus:
        for i in range(12):
            store_synthetic(corpus, f"样例{i}县人民政府", [2022, 2023], f"http://www.y{i}.gov.cn/")

    def new_corpus(folder: Path) -> None:
        Corpus(folder / "c.db").close()

    unreadable = small_disks("unreadable", 8, new_corpus)
    at_open = small_disks("at_open", 64, new_corpus)
    mid = small_disks("mid", 300, new_corpus)
    export = small_disks("export", 48)
    with SimWeb(SMALL_SPEC) as web, SimWeb(TINY_SPEC) as tiny:
        tiny_sites = tiny.sites_csv(tmp_path / "tiny.csv", mode="proxy")
        tiny_env = crawl_env(tiny.proxy_url, NIANBAO_LATE_RETRY_WAIT="-1")
        unread = {cmd: forks.start([cmd, "--sites", tiny_sites, "--db", tmp_path / f"{cmd}.db",
                                    "--allow-private"], env=tiny_env, reader_gone=True)
                  for cmd in ("crawl", "nightly")}
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        env = crawl_env(web.proxy_url, NIANBAO_LATE_RETRY_WAIT="-1")
        crawls = {name: forks.start(["crawl", "--sites", sites, "--db", folder / "c.db",
                                     "--allow-private"], env=env)
                  for name, folder in (("unreadable", unreadable), ("at_open", at_open),
                                       ("mid", mid))}
        exported = forks.start(["export", "--db", big, "--format", "csv", "--output",
                                export / "r.csv"], env=env)
        results = {name: (proc, *proc.communicate(timeout=180)) for name, proc in crawls.items()}
        for cmd, proc in unread.items():
            _, err = proc.communicate(timeout=180)
            assert proc.returncode == 0 and "Traceback" not in err, (cmd, err[-2000:])
            with sqlite3.connect(tmp_path / f"{cmd}.db") as conn:
                assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("ok",)], cmd
                assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 2, cmd
    # So full that the corpus cannot be opened (its -shm file): it said only "disk I/O error".
    proc, _, err = results.pop("unreadable")
    line = _one_line(err, "crawl")
    assert proc.returncode == 1 and "its disk is full" in line and "free space" in line, line
    for name, (proc, out, err) in results.items():
        line = _one_line(err, "crawl")
        assert proc.returncode == 1 and "storage full or failing" in line, (name, err[-2000:])
        assert "No space left" in line or "disk is full" in line, line
    # Mid-crawl, what was stored stays, whole (each document one transaction).
    stored, half, integrity = _reports(mid / "c.db")
    assert stored < sum(len(s["reports"]) for s in SMALL_SPEC["sites"]) and half == 0
    assert integrity == "ok"
    for folder in (unreadable, at_open):
        (folder / "filler").unlink()
        assert _reports(folder / "c.db") == (0, 0, "ok")
    _, err = exported.communicate(timeout=60)
    assert exported.returncode == 1 and "No space left" in _one_line(err, "export")
    assert sorted(p.name for p in export.iterdir()) == ["filler"]


# Runs a command as cron does: nothing of the caller's environment.
def _cron_env(**more: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "LC_ALL": "C", **more}


def _hanging_port() -> socket.socket:
    """A port that accepts connections and never answers (a server stuck)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    return sock


def test_cron_a_latin1_locale_and_scrapy_crawl_by_hand(tmp_path: Path) -> None:
    """Real processes, started together:

    - ``env -i PATH=… LC_ALL=C TZ=Asia/Shanghai nianbao crawl --sites 站点.csv --db
      语料/c.db 2>>crawl.log`` from cron (relative Chinese paths, no HOME, no tty): the log
      was one "line" of tqdm redraws joined by ``\\r``; now plain lines, the error last, the
      run's times in UTC;
    - ``nianbao parse --json`` where stdout's encoding is Latin-1 (an old server's locale;
      ``PYTHONIOENCODING``): ``'latin-1' codec can't encode characters``, exit 1 — now UTF-8
      JSON, exit 0;
    - ``scrapy crawl reports`` by hand, stopped by Ctrl-C: its ``crawl_runs`` row said ``ok``
      and was never claimed (killed, it stayed ``running`` forever); now ``interrupted``, and
      claimed while it runs;
    - started with stderr or stdout closed (``2>&-``, ``>&-``): the crawl's summary was lost
      and its corpus took fd 2 (a child's complaints would go into the database); export said
      ``argument 1 must have a "write" method``, exit 1. Now each is /dev/null."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: refused at once
    cron = tmp_path / "cron"
    cron.mkdir()
    (cron / "站点.csv").write_text(
        f"name,url\n甲县人民政府,http://127.0.0.1:{closed.getsockname()[1]}/\n", encoding="utf-8")
    (cron / "语料").mkdir()
    fast = {"NIANBAO_CRAWL_DELAY": "0", "NIANBAO_RETRY_BACKOFF": "0.05",
            "NIANBAO_LATE_RETRY_WAIT": "-1"}
    log = open(cron / "crawl.log", "wb")
    crawl = subprocess.Popen([str(NIANBAO_BIN), "crawl", "--sites", "站点.csv", "--db", "语料/c.db",
                              "--allow-private"], cwd=cron, stdout=log, stderr=log,
                             stdin=subprocess.DEVNULL, env=_cron_env(TZ="Asia/Shanghai", **fast))
    latin = subprocess.Popen([str(NIANBAO_BIN), "parse", str(FIXTURE), "--json"], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=_cron_env(PYTHONIOENCODING="latin-1"))
    hanging = _hanging_port()
    sites = tmp_path / "hang.csv"
    sites.write_text(f"name,url\n乙县,http://127.0.0.1:{hanging.getsockname()[1]}/\n",
                     encoding="utf-8")
    db = tmp_path / "scrapy.db"
    scrapy = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "reports", "-a",
                               f"sites={sites}", "-a", f"db={db}", "-s", "NIANBAO_ALLOW_PRIVATE=1"],
                              cwd=ROOT, env=crawl_env(NIANBAO_DOWNLOAD_TIMEOUT="3"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    Corpus(tmp_path / "empty.db").close()
    shut = [subprocess.Popen(["sh", "-c", f'exec "$0" "$@" {redirect}', str(NIANBAO_BIN), *argv],
                             cwd=cron, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=_cron_env(**fast))
            for redirect, argv in (("2>&-", ["crawl", "--sites", "站点.csv", "--db", "shut.db",
                                              "--allow-private"]),
                                   (">&-", ["export", "--db", str(tmp_path / "empty.db"),
                                            "--format", "csv"]))]
    try:
        from corpus.runclaim import probe_run

        deadline, claimed = time.time() + 90, None
        while time.time() < deadline and scrapy.poll() is None:
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    # (the row is opened a moment before it is claimed: wait for the claim)
                    if conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0]:
                        claimed = probe_run(db, 1)
                        if claimed == "live":
                            break
            except sqlite3.Error:
                pass
            time.sleep(0.05)
        scrapy.send_signal(signal.SIGINT)
        _, scrapy_err = scrapy.communicate(timeout=60)
        out, err = latin.communicate(timeout=60)
        crawl.wait(timeout=90)
    finally:
        shut_results = [(proc, *proc.communicate(timeout=90)) for proc in shut]
        for proc in (crawl, latin, scrapy, *shut):
            if proc.poll() is None:
                proc.kill()
        log.close()
        hanging.close()
        closed.close()
    (crawled, summary_out, _), (exported, _, export_err) = shut_results
    assert crawled.returncode == 1, summary_out
    assert summary_out.decode().startswith("crawl: 1 sites, 0 pages"), summary_out
    assert exported.returncode == 0 and export_err == b"", export_err
    with sqlite3.connect(cron / "shut.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert claimed == "live", (claimed, scrapy_err[-2000:])
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("interrupted",)]
    assert latin.returncode == 0, err.decode("utf-8", "replace")
    assert json.loads(out.decode("utf-8"))["agency"] == "永和县河口镇人民政府"
    text = (cron / "crawl.log").read_bytes().decode("utf-8")
    assert crawl.returncode == 1 and "\r" not in text, repr(text[-2000:])
    *progress, summary, line = [x for x in text.strip().splitlines()]
    assert summary.startswith("crawl: 1 sites, 0 pages") and all(
        p.startswith("crawl: ") and "pages" in p for p in progress), text
    assert line.startswith("nianbao crawl: error: no site answered"), text
    with sqlite3.connect(cron / "语料" / "c.db") as conn:
        started, fetched = conn.execute("SELECT started_at, (SELECT max(time) FROM errors) "
                                        "FROM crawl_runs").fetchone()
    for stamp in (started, fetched):  # UTC, not Shanghai's time 8 hours ahead
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        assert when.utcoffset().total_seconds() == 0, stamp
        assert abs((datetime.now(UTC) - when).total_seconds()) < 600, stamp
