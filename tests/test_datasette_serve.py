"""``nianbao serve`` refuses what it cannot serve with one line and exit 1."""

from __future__ import annotations

import subprocess
import sys

from tests.corpus_env import ROOT


def serve(*args):
    return subprocess.run([sys.executable, "-m", "nianbao_cli", "serve", *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_missing_database(tmp_path):
    result = serve("--db", str(tmp_path / "none.db"), "--port", "0")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"nianbao serve: error: no corpus database at {tmp_path / 'none.db'} "
        "(build one with `nianbao crawl` or run `nianbao demo`)"]


def test_not_a_corpus(tmp_path):
    other = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    result = serve("--db", str(other), "--port", "0")
    assert result.returncode == 1 and "not a nianbao corpus" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
