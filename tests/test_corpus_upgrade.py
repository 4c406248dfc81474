"""A corpus built by an older nianbao is upgraded by the commands that only read it (serve,
export) instead of failing on a table it does not have yet."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlite_utils

from corpus.schema import schema_state
from corpus.serve import ServeError, check_corpus
from tests import corpus_env
from tests.corpus_env import ROOT


def v008_corpus(path):
    """Two reports of schema 008, one figure each; returns that figure's key."""
    return corpus_env.v008_corpus(path, [(1, 1, 7, None, None), (2, 1, 9, None, None)])[0]


def test_export_upgrades_an_older_corpus_then_exports_it(tmp_path):
    path = tmp_path / "old.db"
    key = v008_corpus(path)
    assert schema_state(path) == (True, ["009_cell_values_one_row_per_report",
                                         "010_facet_counts", "011_drop_redundant_checks_index"])
    out = tmp_path / "r.csv"
    result = subprocess.run([sys.executable, "-m", "nianbao_cli", "export", "--db", str(path),
                             "--format", "csv", "--output", str(out)], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"upgrading {path} to this version's schema …"
    assert "exported 2 reports" in result.stderr and "Traceback" not in result.stderr
    header, *rows = out.read_text(encoding="utf-8").splitlines()
    column = header.split(",").index(key)
    assert [row.split(",")[column] for row in rows] == ["7", "9"]
    assert schema_state(path) == (True, [])


def test_serve_upgrades_an_older_corpus_and_refuses_what_is_not_one(tmp_path, capsys):
    path = tmp_path / "old.db"
    v008_corpus(path)
    assert check_corpus(path) == path
    assert capsys.readouterr().err.splitlines() == [
        f"upgrading {path} to this version's schema …",
        f"upgraded {path}: 009_cell_values_one_row_per_report, 010_facet_counts, "
        "011_drop_redundant_checks_index"]
    assert schema_state(path) == (True, [])
    assert check_corpus(path) == path and capsys.readouterr().err == ""  # nothing more to do
    bare = tmp_path / "bare.db"
    sqlite_utils.Database(bare)["reports"].insert({"id": 1})
    with pytest.raises(ServeError, match="not a nianbao corpus"):
        check_corpus(bare)
