"""A night that cannot do its job says so: exit 1, one clear line, the run row marked failed."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

from tests.nightly_support import crawl_env, run_nightly


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket is closed


def test_no_site_reachable_fails_with_one_line(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("name,url\n"
                     f"甲,http://127.0.0.1:{_closed_port()}/\n"
                     f"乙,http://127.0.0.1:{_closed_port()}/\n", encoding="utf-8")
    db = tmp_path / "corpus.db"
    proc = run_nightly(sites, db, "--allow-private",
                       env=crawl_env(NIANBAO_DOWNLOAD_TIMEOUT="3"), timeout=120)
    assert proc.returncode == 1
    # (Scrapy's robots.txt middleware logs the refused connection above; the verdict is last.)
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("nianbao nightly: error: no site could be reached"), proc.stderr
    conn = sqlite3.connect(db)
    status, errors = conn.execute("SELECT status, errors FROM crawl_runs").fetchone()
    assert status == "failed" and errors >= 2


@pytest.mark.parametrize("content", ["", "not,a\nsites,file\n"])
def test_unreadable_sites_file_is_one_line(tmp_path: Path, content: str) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(content, encoding="utf-8")
    proc = run_nightly(sites, tmp_path / "corpus.db", timeout=60)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nianbao nightly: error:"), proc.stderr
    assert not (tmp_path / "corpus.db").exists()
