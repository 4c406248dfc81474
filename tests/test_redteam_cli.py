"""Red team round 8: the command line and the night operator (docs/redteam-hostile.md).

Bad inputs to the real commands, as a newcomer or a cron job gives them: a ``--db`` that is a
directory, not SQLite, truncated, another program's database or a newer nianbao's; an
``--output`` nowhere; stdout's reader gone (``| head``); a port that is none; a night in which
no site answers (one line on stderr, no progress bar in the cron mail); two crawls at once on a
new corpus; SIGTERM, and Ctrl-C pressed twice. The contract: exit 0/1/2 (130 interrupted), one
line on stderr, no traceback, nothing stored lost or duplicated.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from corpus.store import Corpus
from crawler.nightly import state_dir_for
from tests.cli_forks import Forked, ForkServer
from tests.nightly_support import (
    ROOT,
    SMALL_SPEC,
    SimWeb,
    crawl_env,
    kill_group,
)

FIXTURE = ROOT / "tests" / "fixtures" / "generated" / "html_official_2019_gbk.html"

# Runs nianbao_cli.main for each case of CASES in one fork of the server (a process per case is
# a second each): what it prints on stderr, its exit status, whether the --db file is untouched.
_DRIVER = r"""
import contextlib, hashlib, io, json, sys
from pathlib import Path
import nianbao_cli

def digest(path):
    p = Path(path)
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None

out = []
for argv, db in CASES:
    before, err = digest(db), io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            status = nianbao_cli.main(argv)
        except SystemExit as exc:  # argparse's usage errors
            status = exc.code
    out.append({"argv": argv, "status": status, "stderr": err.getvalue(),
                "unchanged": digest(db) == before})
print(json.dumps(out))
sys.exit(0)
"""


@pytest.fixture(scope="module")
def forks() -> Any:
    """The commands of this module, forked from one process that imported them once."""
    server = ForkServer()
    yield server
    server.close()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:  # bound, never listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def bad_dbs(tmp_path_factory: pytest.TempPathFactory) -> Any:
    base = tmp_path_factory.mktemp("redteam_cli")
    good = base / "good.db"
    Corpus(good).close()
    data = good.read_bytes()
    (base / "truncated.db").write_bytes(data[:40000])           # a copy cut short
    (base / "garbage.db").write_bytes(b"not a database\n" * 100)
    future = base / "future.db"
    future.write_bytes(data)
    with sqlite3.connect(future) as conn:                       # a newer nianbao's corpus
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('nianbao', '999_from_a_newer_nianbao', '2030-01-01')")
    conn.close()
    with sqlite3.connect(base / "other.db") as conn:            # some other program's database
        conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)")
    conn.close()
    _damage_deep_inside(good, base / "deep.db")
    (base / "sites.csv").write_text(f"name,url\n甲县,http://127.0.0.1:{_closed_port()}/\n",
                                    encoding="utf-8")
    (base / "afile").write_text("x")
    os.mkfifo(base / "fifo")
    hanging = socket.socket()  # accepts connections (the kernel's backlog), never answers
    hanging.bind(("127.0.0.1", 0))
    hanging.listen(16)
    yield {"base": base, "good": good, "truncated": base / "truncated.db",
            "garbage": base / "garbage.db", "future": future, "other": base / "other.db",
            "directory": base, "under_a_file": base / "afile" / "c.db",
            "sites": base / "sites.csv", "deep": base / "deep.db", "fifo": base / "fifo",
            "hanging": hanging}
    hanging.close()


def _damage_deep_inside(good: Path, deep: Path) -> None:
    """A corpus with a page in the middle of a table overwritten (a bad sector, a copy cut and
    patched): its schema and first pages read well, so only reading the whole file finds it."""
    import shutil

    shutil.copy(good, deep)
    conn = sqlite3.connect(deep)
    with conn:
        conn.executemany("INSERT INTO errors (url, kind, reason, time) VALUES (?, 'http', ?, "
                         "'2025-01-01T00:00:00Z')",
                         [(f"http://www.x.gov.cn/{i}.html", "HTTP 500 " * 20) for i in range(3000)])
    leaves = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'errors' AND "
                                         "pagetype = 'leaf' ORDER BY pageno")]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(deep.read_bytes())
    page = leaves[len(leaves) // 2]
    data[(page - 1) * size + 8:page * size] = b"\xa5" * (size - 8)
    deep.write_bytes(bytes(data))


# Makes every write of an error row meet a damaged page, as a crawl on a failing disk does.
_DAMAGED_HOOK = """
import sqlite3
import corpus.store

def record_error(self, *args, **kwargs):
    raise sqlite3.DatabaseError("database disk image is malformed")

corpus.store.Corpus.record_error = record_error
"""


def _one_line(stderr: str, command: str, progress: bool = False) -> str:
    """The one line on stderr (after the progress bar ``crawl`` draws even in a pipe)."""
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr, stderr[-2000:]
    if progress:
        lines = [line for line in lines if not line.startswith("crawl: ")]
    assert len(lines) == 1 and lines[0].startswith(f"nianbao {command}: "), stderr[-2000:]
    return lines[0]


# A crawl whose SIGTERM lands after run_crawl looked for signals noted during set-up and before
# Scrapy's handlers are in place (they are installed once the reactor runs): the moment is
# made certain by noting the signal from inside CrawlerProcess.start.
_LATE_SIGNAL = r"""
import signal
import crawler.run as run
from scrapy.crawler import CrawlerProcess

held, start = run._hold_signals, CrawlerProcess.start
box = {}

def hold():
    box["pending"], previous = held()
    return box["pending"], previous

def late_start(self, *args, **kwargs):
    box["pending"].append(signal.SIGTERM)
    return start(self, *args, **kwargs)

run._hold_signals, CrawlerProcess.start = hold, late_start
"""


def _start_light_commands(bad_dbs: dict[str, Path], forks: ForkServer) -> dict[str, Forked]:
    """The real commands of the cases below, started together (each is a second or more of
    start-up: one after another they took most of this file's time), as forks of one server
    (tests/cli_forks.py)."""
    sites, env = str(bad_dbs["sites"]), crawl_env()
    procs: dict[str, Forked] = {}
    # ``nianbao parse --json … | head -c 10``, ``nianbao export … | head``: quiet, exit 0.
    for name, argv in (("pipe_parse", ["parse", str(FIXTURE), "--json"]),
                       ("pipe_export", ["export", "--db", str(bad_dbs["good"]), "--format", "csv"])):
        procs[name] = forks.start(argv, env=env, reader_gone=True)
    # Damage met mid-crawl (the first write that reaches a bad page): it was a `store` error
    # per document and the crawl went on to its end.
    procs["damaged_mid"] = forks.start(
        ["crawl", "--sites", sites, "--db", bad_dbs["base"] / "mid.db", "--allow-private"],
        env=env, hook=_DAMAGED_HOOK)
    # parquet where pyarrow is not installed: "No module named 'pyarrow'".
    procs["no_pyarrow"] = forks.start(
        ["export", "--db", bad_dbs["good"], "--format", "parquet", "--output",
         bad_dbs["base"] / "r.parquet"], env=env, hook="import sys\nsys.modules['pyarrow'] = None\n")
    # Nights in which no site answers: the network down, every host refused as private.
    night_env = crawl_env(NIANBAO_DOWNLOAD_TIMEOUT="5", NIANBAO_LATE_RETRY_WAIT="-1")
    for i, more in enumerate((["--allow-private"], [])):
        procs[f"night{i}"] = forks.start(
            ["nightly", "--sites", sites, "--db", bad_dbs["base"] / f"night{i}.db", *more],
            env=night_env)
    # Round 10: the sites list from a pipe (`--sites /dev/stdin`, `<(grep …)`): read once by
    # the command's check, the spider found it empty ("Crawler.stats is not set yet …").
    procs["piped_sites"] = forks.start(
        ["crawl", "--sites", "/dev/stdin", "--db", bad_dbs["base"] / "piped.db",
         "--allow-private"], env=env, stdin=bad_dbs["sites"].read_text(encoding="utf-8"))
    # Round 10: SIGHUP (the ssh session of a night started by hand drops) killed the command
    # outright, its run left `running`. A site that accepts and never answers keeps it busy.
    hanging = bad_dbs["hanging"].getsockname()[1]
    (bad_dbs["base"] / "hang.csv").write_text(f"name,url\n丁县,http://127.0.0.1:{hanging}/\n",
                                              encoding="utf-8")
    procs["hung_up"] = forks.start(
        ["crawl", "--sites", bad_dbs["base"] / "hang.csv", "--db", bad_dbs["base"] / "hup.db",
         "--allow-private"], env=crawl_env(NIANBAO_DOWNLOAD_TIMEOUT="4"))
    # A signal in the instant before Scrapy's handlers (round 9).
    procs["late_signal"] = forks.start(
        ["crawl", "--sites", sites, "--db", bad_dbs["base"] / "late.db", "--allow-private"],
        env=env, hook=_LATE_SIGNAL)
    return procs


def test_bad_inputs_to_the_real_commands(bad_dbs: dict[str, Path], forks: ForkServer) -> None:
    """A bad ``--db`` or ``--output`` is one line and exit 1 for every command; a reader that
    stops early is no error; a night no site answers is one line on stderr. Round 9: a
    SIGTERM in the instant before Scrapy's handlers were in place was handed to
    ``process.stop()`` before the engine ran (the crawl went on, then hung at its end: a cron
    job that never ends holds the nightly's lock), or, a moment later, lost (exit 0)."""
    started = _start_light_commands(bad_dbs, forks)
    sites = str(bad_dbs["sites"])
    expected = {"truncated": ("is damaged",), "garbage": ("is not a SQLite database",),
                "future": ("newer nianbao",), "other": ("not a nianbao corpus",),
                "directory": ("is a directory",),
                "under_a_file": ("is not a directory", "no corpus database")}  # crawl / export
    cases = []
    for name in expected:
        db = str(bad_dbs[name])
        cases += [(["crawl", "--sites", sites, "--db", db, "--allow-private"], db),
                  (["nightly", "--sites", sites, "--db", db, "--allow-private"], db),
                  (["export", "--db", db, "--format", "csv"], db),
                  (["serve", "--db", db, "--port", "0"], db)]
    good, base = str(bad_dbs["good"]), bad_dbs["base"]
    cases += [(["export", "--db", good, "--format", "parquet", "--output", str(base / "no" / "r.parquet")], good),
              (["export", "--db", good, "--format", "parquet", "--output", str(base)], good),
              (["export", "--db", good, "--format", "csv", "--output", str(base / "no" / "r.csv")], good),
              (["serve", "--db", good, "--port", "99999"], good),
              (["crawl", "--sites", sites, "--db", good, "--max-pages-per-site", "-5"], good),
              (["nightly", "--sites", sites, "--db", good, "--log-level", "verbose"], good),
              (["reparse", "--db", str(bad_dbs["future"])], str(bad_dbs["future"])),
              # --output the corpus itself: it was replaced by the CSV, exit 0
              (["export", "--db", good, "--format", "csv", "--output", good], good),
              # --raw-dir a file: every document a store error, exit 0
              (["nightly", "--sites", sites, "--db", good, "--raw-dir", sites], good),
              # Damage deep inside (round 9): taken for a corpus, found by a write or never.
              (["crawl", "--sites", sites, "--db", str(bad_dbs["deep"]), "--allow-private"],
               str(bad_dbs["deep"])),
              (["nightly", "--sites", sites, "--db", str(bad_dbs["deep"]), "--allow-private"],
               str(bad_dbs["deep"])),
              # --raw-dir where no folder can be made: a `store` error per document, exit 0
              (["crawl", "--sites", sites, "--db", good, "--raw-dir", "/proc/nianbao-raw"], good),
              # Round 10: merge's workers: "merge: error: file is not a database" (which?),
              # "merge: error: no such table: sites"
              (["merge", "--db", good, str(bad_dbs["garbage"])], good),
              (["merge", "--db", good, str(bad_dbs["other"])], good),
              # --sites /dev/zero: read until the kernel killed it (137); a FIFO nobody
              # writes to: the command hung
              (["crawl", "--sites", "/dev/zero", "--db", good], good),
              (["nightly", "--sites", str(bad_dbs["fifo"]), "--db", good], good),
              # reparse on a directory: "no corpus database at …"; damage deep inside: not
              # looked for
              (["reparse", "--db", str(bad_dbs["directory"])], good),
              (["reparse", "--db", str(bad_dbs["deep"])], str(bad_dbs["deep"]))]
    # Among them: crawl on a truncated copy, where the command printed a Twisted traceback and
    # exited 0 having crawled nothing (the refusal comes before any reactor).
    driver = forks.start([], env=crawl_env(), hook=f"CASES = {json.dumps(cases)}\n" + _DRIVER)
    out, err = driver.communicate(timeout=120)
    assert driver.returncode == 0, err[-3000:]
    results = json.loads(out.strip().splitlines()[-1])
    *results, negative, bad_level, reparse, onto_itself, raw_file, deep_crawl, deep_night, \
        raw_proc, merge_garbage, merge_other, zero_sites, fifo_sites, reparse_dir, \
        reparse_deep = results
    assert reparse_dir["status"] == 1
    assert "is a directory" in _one_line(reparse_dir["stderr"], "reparse")
    assert reparse_deep["status"] == 1 and reparse_deep["unchanged"], reparse_deep
    assert "is damaged" in _one_line(reparse_deep["stderr"], "reparse")
    assert zero_sites["status"] == 1 and "over 64 MB" in _one_line(zero_sites["stderr"], "crawl")
    assert fifo_sites["status"] == 1 and "needs a header" in _one_line(fifo_sites["stderr"],
                                                                       "nightly")
    for result, reason in ((merge_garbage, "garbage.db is not a SQLite database"),
                           (merge_other, "other.db is a SQLite database but not a nianbao")):
        assert result["status"] == 1 and result["unchanged"], result
        assert reason in _one_line(result["stderr"], "merge"), result
    assert raw_proc["status"] == 1 and "cannot create --raw-dir" in _one_line(raw_proc["stderr"],
                                                                               "crawl")
    for result in (deep_crawl, deep_night):
        line = _one_line(result["stderr"], result["argv"][0])
        assert result["status"] == 1 and "is damaged" in line and "On tree page" in line, line
        assert result["unchanged"] and "restore it from a backup" in line
    assert raw_file["status"] == 1 and "is a file" in _one_line(raw_file["stderr"], "nightly")
    assert onto_itself["status"] == 1 and onto_itself["unchanged"], onto_itself
    assert "is the corpus" in _one_line(onto_itself["stderr"], "export")
    assert reparse["status"] == 1 and reparse["unchanged"], reparse  # corpus.schema's own check
    assert "newer nianbao" in _one_line(reparse["stderr"], "reparse")
    for result in (negative, bad_level):  # (it crawled nothing, exit 0 / ran at WARNING)
        assert result["status"] == 2 and "usage:" in result["stderr"], result
        assert result["unchanged"]
    for result in results[:-4]:
        command, db = result["argv"][0], result["argv"][result["argv"].index("--db") + 1]
        line = _one_line(result["stderr"], command)
        assert result["status"] == 1, result
        reasons = expected[next(k for k in expected if str(bad_dbs[k]) == db)]
        assert any(reason in line for reason in reasons), line
        assert result["unchanged"], f"{result['argv']} wrote to {db}"
    for result in results[-4:-1]:
        line = _one_line(result["stderr"], "export")
        assert result["status"] == 1 and "cannot write" in line and "None" not in line, line
        assert ("no directory" in line) or ("is a directory" in line), line
    assert results[-1]["status"] == 2 and "is not a port" in results[-1]["stderr"]
    # Nothing beside the refused files either (the nightly's state folder comes after the check).
    assert not [p for p in (state_dir_for(bad_dbs[k]) for k in expected) if p.exists()]
    mid = started["damaged_mid"]
    _, err = mid.communicate(timeout=120)
    line = _one_line(err, "crawl", progress=True)
    assert mid.returncode == 1 and "mid.db is damaged" in line and "stopped" in line, err
    with sqlite3.connect(bad_dbs["base"] / "mid.db") as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("failed",)]
    nopa = started["no_pyarrow"]
    _, err = nopa.communicate(timeout=120)
    line = _one_line(err, "export")
    assert nopa.returncode == 1 and "pyarrow package" in line and "pip install pyarrow" in line
    assert not list(bad_dbs["base"].glob("r.parquet*"))
    # A reader gone: ``parse --json | head -c 10`` and ``export | head`` said "Broken pipe", exit 1.
    for name in ("pipe_parse", "pipe_export"):
        proc = started[name]
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0 and stderr == "", (name, proc.returncode, stderr)
    # What cron mails when no site answers: the summary on stdout, one line on stderr (no
    # progress bar, not a second line from the crawl inside the night), exit 1 — and the right
    # cause when every host was refused as private (it said "is the network, the proxy or name
    # resolution down?").
    nights = [started["night0"], started["night1"]]
    (down_out, down_err), (private_out, private_err) = (p.communicate(timeout=120) for p in nights)
    assert [p.returncode for p in nights] == [1, 1], down_err + private_err
    down = _one_line(down_err, "nightly")
    assert "could be reached" in down or "no site answered" in down, down
    assert "nightly run #1:" in down_out and "nightly run #1:" in private_out
    line = _one_line(private_err, "nightly")
    assert "refused as a loopback or private address" in line and "--allow-private" in line
    hup = started["hung_up"]
    deadline = time.time() + 60
    while time.time() < deadline and not _run_started(bad_dbs["base"] / "hup.db"):
        time.sleep(0.05)
    hup.send_signal(signal.SIGHUP)
    _, err = hup.communicate(timeout=60)
    assert hup.returncode == 130, (hup.returncode, err[-2000:])
    assert "interrupted" in _one_line(err, "crawl", progress=True)
    assert _statuses(bad_dbs["base"] / "hup.db") == [(1, "interrupted")]
    piped = started["piped_sites"]
    _, err = piped.communicate(timeout=90)
    assert piped.returncode == 1 and "no site answered" in _one_line(err, "crawl", progress=True)
    late = started["late_signal"]
    _, err = late.communicate(timeout=90)
    assert late.returncode == 130, err[-2000:]
    assert err.strip().splitlines()[-1].startswith("nianbao crawl: interrupted")
    with sqlite3.connect(bad_dbs["base"] / "late.db") as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("interrupted",)]


# The small web, its PDF attachment a DOCX one: six crawls parse it, and pdfplumber was the
# better part of their work (nothing here is about PDFs).
CHEAP_SPEC = {"sites": [{**site, "reports": [{**r, "kind": r["kind"].replace("pdf", "docx")}
                                             for r in site["reports"]]}
                        for site in SMALL_SPEC["sites"]]}


def _start(forks: ForkServer, command: str, sites: Path, db: Path, env: dict[str, str]
           ) -> Forked:
    return forks.start([command, "--sites", sites, "--db", db, "--allow-private"], env=env)


def _runs(db: Path) -> int:
    """How many runs the corpus records (a command writes its row before its crawl starts)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0]
    except sqlite3.Error:
        return 0


def _run_started(db: Path, runs: int = 1) -> bool:
    """The command's crawl is under way: its spider opened (the pipeline writes a run's
    ``site_runs``-to-be: the seed sites; the run's row comes before the crawl starts)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return (conn.execute("SELECT count(*) FROM sites").fetchone()[0] > 0
                    and conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] >= runs)
    except sqlite3.Error:
        return False


def _statuses(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, status FROM crawl_runs ORDER BY id").fetchall()


def _counts(db: Path) -> tuple[Any, ...]:
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT count(*) FROM reports").fetchone()[0],
                conn.execute("SELECT count(*) FROM (SELECT agency, year FROM reports GROUP BY "
                             "agency, year HAVING count(*) > 1)").fetchone()[0],
                conn.execute("SELECT count(*) - count(DISTINCT report_id) FROM report_versions"
                             ).fetchone()[0],
                conn.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.mark.slow
def test_two_crawls_at_once_sigterm_and_a_double_ctrl_c(tmp_path: Path, forks: ForkServer
                                                        ) -> None:
    """On one small web, together: two crawls starting at once on a new corpus (both used to
    race its creation: "database is locked", a traceback and exit 0); a crawl stopped by
    SIGTERM (exit 130, one line); a night stopped by Ctrl-C twice (Scrapy then stops at once:
    it used to exit 1 "interrupted (killed)") that the next start resumes — with one site down
    all along, which that night names in one warning (it used to say nothing on stderr).
    Round 9: the runs stopped by a signal say ``interrupted`` in ``crawl_runs`` (they said
    ``ok``); a crawl killed by SIGKILL beside the night (it stayed ``running`` forever) is
    closed as ``aborted`` by the resumed night. Round 10: none of them leaves a file of
    Scrapy's remote control (a port and token per crawl, left behind by the one killed)."""
    reports = sum(len(site["reports"]) for site in CHEAP_SPEC["sites"])
    with SimWeb(CHEAP_SPEC) as web:
        sites = web.sites_csv(tmp_path / "sites.csv", mode="proxy")
        with open(sites, "a", encoding="utf-8") as fh:  # a site down all night
            fh.write("丙县人民政府,http://www.down-test.gov.cn/\n")
        env = crawl_env(web.proxy_url, NIANBAO_LATE_RETRY_WAIT="-1",
                        XDG_STATE_HOME=str(tmp_path / "state"))
        twins = [_start(forks, "crawl", sites, tmp_path / "twins.db", env) for _ in range(2)]
        termed = _start(forks, "crawl", sites, tmp_path / "termed.db", env)
        night = _start(forks, "nightly", sites, tmp_path / "night.db", env)
        deadline = time.time() + 120
        while time.time() < deadline and not (len(web.request_log) >= 12
                                               and _run_started(tmp_path / "termed.db")
                                               and _run_started(tmp_path / "night.db")):
            time.sleep(0.02)
        kill_group(termed, signal.SIGTERM)
        kill_group(night, signal.SIGINT)
        time.sleep(0.3)
        kill_group(night, signal.SIGINT)
        killed = _start(forks, "crawl", sites, tmp_path / "night.db", env)  # on the night's corpus
        while time.time() < deadline and not _run_started(tmp_path / "night.db", runs=2):
            time.sleep(0.02)
        kill_group(killed, signal.SIGKILL)
        outs = {name: (p, *p.communicate(timeout=180)) for name, p in
                (("twin1", twins[0]), ("twin2", twins[1]), ("termed", termed), ("night", night))}
        for name in ("twin1", "twin2"):
            proc, out, err = outs[name]
            assert proc.returncode == 0 and "Traceback" not in err, (name, err[-2000:])
        proc, _, err = outs["termed"]
        assert proc.returncode == 130, err[-3000:]
        assert "interrupted" in _one_line(err, "crawl", progress=True)
        proc, _, err = outs["night"]
        assert proc.returncode == 130, err[-2000:]
        assert "resumes at the next start" in _one_line(err, "nightly")
        killed.communicate(timeout=60)
        assert _statuses(tmp_path / "night.db") == [(1, "interrupted"), (2, "running")]
        resumed = _start(forks, "nightly", sites, tmp_path / "night.db", env)
        out, err = resumed.communicate(timeout=180)
        assert resumed.returncode == 0, err[-2000:]
        assert "resuming interrupted run #1" in err
        # The operator's partial night: exit 0, one warning naming the site down, then one line
        # per such site saying why (round 9) — and the summary after them, last.
        *_, warning, why = err.strip().splitlines()
        assert warning.startswith("nightly: warning: 1 of 3 sites did not answer in full") \
            and "www.down-test.gov.cn" in warning, err[-2000:]
        assert re.match(r"nightly: warning: www\.down-test\.gov\.cn: \w+ \d+ \(.+\)$", why), why
        assert out.strip().splitlines()[-1].startswith("nightly run #1: ")
    assert not list((tmp_path / "state").glob("**/job_files/*")), "remote control's files"
    assert _counts(tmp_path / "twins.db") == (reports, 0, 0, "ok")
    assert _counts(tmp_path / "night.db") == (reports, 0, 0, "ok")
    with sqlite3.connect(tmp_path / "night.db") as conn:
        assert conn.execute("SELECT id, status FROM crawl_runs").fetchall() == [(1, "ok"),
                                                                                (2, "aborted")]
    assert _counts(tmp_path / "termed.db")[1:] == (0, 0, "ok")
    assert _statuses(tmp_path / "termed.db") == [(1, "interrupted")]
    assert _statuses(tmp_path / "twins.db") == [(1, "ok"), (2, "ok")]


def test_a_file_size_limit_or_failing_disk_stops_the_night_like_a_full_one() -> None:
    """Under ``ulimit -f`` SQLite says "disk I/O error" and raw copies get ``EFBIG``: every
    document after that failed as kind ``store`` and the night exited 0 (tried by hand with
    ``ulimit -f 2000``). Named storage failures, they stop it with one line, to resume next
    time (the path from there to that line: tests/test_nightly_outage.py)."""
    import errno
    import os

    from crawler.errors import storage_full

    assert storage_full(sqlite3.OperationalError("disk I/O error"))
    assert storage_full(OSError(errno.EFBIG, os.strerror(errno.EFBIG)))
    assert storage_full(OSError(errno.EIO, os.strerror(errno.EIO)))
    assert not storage_full(sqlite3.OperationalError("database is locked"))
    assert not storage_full(OSError(errno.ENOENT, "No such file or directory"))


def test_a_corpus_on_a_read_only_medium_is_served_and_exported(bad_dbs: dict[str, Path],
                                                               tmp_path: Path,
                                                               capsys: pytest.CaptureFixture
                                                               ) -> None:
    """A published corpus on a read-only mount: SQLite cannot create the ``-shm`` file of a WAL
    database there, and serve and export failed ("unable to open database file"). It is opened
    ``immutable=1`` (nothing can write there); the nightly says it cannot write there in words
    (it was ``[Errno 30] Read-only file system: '….nightly'``). Needs a read-only bind mount
    (root)."""
    import shutil

    import nianbao_cli
    from corpus.export import run_export
    from corpus.serve import make_datasette
    from tests.corpus_env import get

    source, mount = tmp_path / "src", tmp_path / "ro"
    source.mkdir()
    mount.mkdir()
    shutil.copy(bad_dbs["good"], source / "corpus.db")
    ok = subprocess.run(["mount", "--bind", str(source), str(mount)], capture_output=True)
    if ok.returncode != 0:
        pytest.skip("no read-only bind mount here (not root, or no CAP_SYS_ADMIN)")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)],
                          capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only")
        db = mount / "corpus.db"
        assert run_export(str(db), "csv", str(tmp_path / "out.csv")) == 0
        assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("report_id,")
        response = get(make_datasette(db), "/corpus/reports.json?_shape=array")
        assert response.status_code == 200 and response.json() == [], response.text[:500]
        capsys.readouterr()
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:  # main() makes SIGTERM a KeyboardInterrupt: not in this test process after it
            status = nianbao_cli.main(["nightly", "--sites", str(bad_dbs["sites"]), "--db", str(db)])
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        assert status == 1
        line = _one_line(capsys.readouterr().err, "nightly")
        assert "cannot write the nightly state" in line and "Read-only file system" in line
    finally:
        # Datasette's connections may still hold the file: then "target is busy", and the mount
        # stayed for good (one more a run, each under a pytest folder nothing could remove).
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(mount)], capture_output=True)


def test_a_sites_list_saved_as_excel_unicode_text_or_with_a_blank_first_line(tmp_path: Path
                                                                            ) -> None:
    """Excel's "Unicode text" (UTF-16 with a BOM, tab-separated) and a blank line above the
    header were refused ("neither UTF-8 nor GB18030", "needs a header …")."""
    from crawler.seeds import load_sites

    rows = "名称\t网址\n甲县人民政府\twww.jia.gov.cn\n乙县人民政府\thttp://www.yi.gov.cn/\n"
    for name, data in (("excel.txt", rows.encode("utf-16")),
                       ("blank.csv", ("\n\n" + rows.replace("\t", ",")).encode("utf-8"))):
        (tmp_path / name).write_bytes(data)
        sites = load_sites(tmp_path / name)
        assert [(s.name, s.url) for s in sites] == [("甲县人民政府", "http://www.jia.gov.cn/"),
                                                    ("乙县人民政府", "http://www.yi.gov.cn/")]
