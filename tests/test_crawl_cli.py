"""``nianbao crawl`` on bad input: one line on stderr, exit 1, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nianbao_cli", "crawl", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env}, check=False)


def test_missing_sites_file(tmp_path):
    proc = run("--sites", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "c.db"))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot read sites file" in lines[0]
    assert not (tmp_path / "c.db").exists()


def test_sites_file_without_url_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,homepage\n某县,http://x.gov.cn/\n", encoding="utf-8")
    proc = run("--sites", str(bad), "--db", str(tmp_path / "c.db"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "name,url" in proc.stderr


def test_usage_error_exits_2():
    proc = run()
    assert proc.returncode == 2


def closed_port() -> int:
    import socket
    with socket.socket() as sock:  # bound, never listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_crawl_no_site_answered_fails_with_one_line(tmp_path):
    sites = tmp_path / "sites.csv"
    port = closed_port()
    sites.write_text(f"name,url\n甲县,http://127.0.0.1:{port}/\n乙县,http://127.0.0.1:{port}/b/\n",
                     encoding="utf-8")
    proc = run("--sites", str(sites), "--db", str(tmp_path / "c.db"), "--allow-private",
               NIANBAO_DOWNLOAD_TIMEOUT="5")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("nianbao crawl: error: no site answered (") and "network" in last, last
    assert "0 reports stored" in proc.stdout  # the summary still says what was tried
    # (Every host private without --allow-private is the policy at work: exit 0, see
    # test_crawl_e2e.test_private_hosts_refused_without_allow_private.)
