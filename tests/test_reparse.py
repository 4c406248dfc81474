"""``nianbao reparse``: stored raw documents parsed again, changed figures recorded as versions.

The corpus is built with the real store from real seed reports, but with "old parser" output
(one figure wrong, one report missed); the re-parse must correct exactly that, keep the old
figure in the history, and change nothing the second time.
"""

from __future__ import annotations

import copy
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.store import Corpus
from parsers import parse_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "seeds").glob("*.txt"))
NIANBAO = [sys.executable, "-m", "nianbao_cli"]
WRONG_KEY = ("requests", "new_received", "natural_person")


def _store(corpus: Corpus, path: Path, parsed: dict) -> dict:
    return corpus.store_document(
        data=path.read_bytes(), url=f"http://www.example.gov.cn/nb/{path.name}",
        content_type="text/plain; charset=utf-8", status=200, headers={},
        fetched_at="2025-02-01T08:00:00Z", page_url="http://www.example.gov.cn/nb/",
        site_url="http://www.example.gov.cn/", parsed=parsed)


@pytest.fixture()
def old_corpus(tmp_path: Path) -> tuple[Path, dict]:
    """A corpus as an older, worse parser left it: returns (db path, facts to check)."""
    db = tmp_path / "corpus.db"
    corpus = Corpus(db)
    corpus.ensure_site(name="示例", url="http://www.example.gov.cn/")
    good = parse_document(SEEDS[0].read_bytes(), "text/plain", SEEDS[0].name)
    assert good["is_annual_report"], "seed 000 must parse as a report for this test"
    table, row, col = WRONG_KEY
    right_value = good[table][row][col]
    bad = copy.deepcopy(good)
    bad[table][row][col] = (right_value or 0) + 999
    bad.get("cells_raw", {}).pop(".".join(WRONG_KEY), None)
    first = _store(corpus, SEEDS[0], bad)
    # A real report the old parser did not recognise at all.
    missed = parse_document(SEEDS[1].read_bytes(), "text/plain", SEEDS[1].name)
    assert missed["is_annual_report"]
    _store(corpus, SEEDS[1], {"is_annual_report": False, "title": None})
    corpus.close()
    return db, {"report_id": first["report_id"], "wrong": (right_value or 0) + 999,
                "right": right_value, "missed_agency": missed["agency"]}


def _run(db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*NIANBAO, "reparse", "--db", str(db)], cwd=ROOT, check=False, capture_output=True,
                          text=True, timeout=120)


def test_reparse_records_changed_figures_and_new_reports(old_corpus: tuple[Path, dict]) -> None:
    db, facts = old_corpus
    proc = _run(db)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "1 reports changed" in proc.stderr and "1 new reports" in proc.stderr, proc.stderr

    conn = sqlite3.connect(db)
    run_id, kind, status, changed = conn.execute(
        "SELECT id, kind, status, changed_reports FROM crawl_runs ORDER BY id DESC").fetchone()
    assert (kind, status, changed) == ("reparse", "ok", 1)
    key = ".".join(WRONG_KEY)
    value = conn.execute("SELECT value FROM cells WHERE report_id = ? AND key = ?",
                         [facts["report_id"], key]).fetchone()[0]
    assert value == facts["right"]
    # The old figure is kept: a second version, and the cell change names old and new value.
    versions = conn.execute("SELECT version, run_id FROM report_versions WHERE report_id = ? "
                            "ORDER BY version", [facts["report_id"]]).fetchall()
    assert versions == [(1, None), (2, run_id)]
    changes = conn.execute("SELECT key, old_value, new_value FROM cell_changes "
                           "WHERE report_id = ? AND version = 2", [facts["report_id"]]).fetchall()
    assert (key, facts["wrong"], facts["right"]) in changes
    assert all(k == key for k, _, _ in changes), changes  # nothing else moved
    agencies = {r[0] for r in conn.execute("SELECT agency FROM reports")}
    assert facts["missed_agency"] in agencies


def test_reparse_twice_changes_nothing(old_corpus: tuple[Path, dict]) -> None:
    db, _ = old_corpus
    assert _run(db).returncode == 0
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT count(*) FROM report_versions").fetchone()[0]
    cells = conn.execute("SELECT report_id, key, value, value_raw FROM cells ORDER BY 1, 2").fetchall()
    conn.close()
    proc = _run(db)
    assert proc.returncode == 0, proc.stderr
    assert "0 reports changed" in proc.stderr and "0 new reports" in proc.stderr, proc.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM report_versions").fetchone()[0] == before
    assert conn.execute("SELECT report_id, key, value, value_raw FROM cells ORDER BY 1, 2"
                        ).fetchall() == cells


def test_reparse_missing_raw_copy_is_counted_not_fatal(old_corpus: tuple[Path, dict]) -> None:
    db, _ = old_corpus
    for raw in (db.parent / "raw").rglob("*"):
        if raw.is_file():
            raw.unlink()
            break
    proc = _run(db)
    assert proc.returncode == 0, proc.stderr
    assert "1 errors" in proc.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM errors WHERE kind = 'parse' AND reason = "
                        "'raw copy missing'").fetchone()[0] == 1


def test_reparse_without_database_is_one_line_error(tmp_path: Path) -> None:
    proc = _run(tmp_path / "nothing.db")
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no corpus database" in lines[0]
    assert not (tmp_path / "nothing.db").exists()
