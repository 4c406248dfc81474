"""Shared helpers of the corpus tests (imported by tests/test_corpus_*.py, test_datasette_*.py,
test_export*.py and test_browser.py).

:func:`crawled_corpus` builds, once per test session, a corpus by crawling the bundled simulated
government web with the real spider through its proxy — ``corpus.demo.build_sample_corpus``,
exactly what ``nianbao demo`` does. It runs in a subprocess (Twisted's reactor starts once per
process) and under a file lock, so xdist workers share one build.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from corpus.synthetic import make_report, report_html

ROOT = Path(__file__).resolve().parent.parent

_BUILD = """
import json, sys
from pathlib import Path
from corpus.demo import build_sample_corpus
from crawler.simweb import sample_web
counts = build_sample_corpus(Path(sys.argv[1]), say=lambda m: None, fast=True)
truth = sample_web().expected("proxy")
Path(sys.argv[2]).write_text(json.dumps({"counts": counts, "truth": truth}, ensure_ascii=False))
"""


def crawled_corpus(tmp_path_factory: Any) -> dict[str, Any]:
    """The session's crawled sample corpus (built on first use): {"db", "counts", "truth"}.

    :param tmp_path_factory: pytest's; the build goes in this session's base directory, shared
        by its xdist workers and never by another session
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-N/popen-gwK → pytest-N: one build for all workers
    base = base / "nianbao-corpus"
    base.mkdir(parents=True, exist_ok=True)
    db, info = base / "crawled" / "corpus.db", base / "crawled.json"
    with open(base / "crawled.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not info.exists():
            db.parent.mkdir(parents=True, exist_ok=True)
            proc = subprocess.run([sys.executable, "-c", _BUILD, str(db), str(info)], cwd=ROOT,
                                  capture_output=True, text=True, timeout=600)
            if proc.returncode != 0:
                raise RuntimeError("crawling the sample web failed:\n" + proc.stderr[-3000:])
    data = json.loads(info.read_text())
    return {"db": db, **data}


def get(ds: Any, path: str) -> Any:
    """GET through Datasette's own test client (async) from synchronous tests."""
    return asyncio.run(ds.client.get(path))


def store_synthetic(corpus: Any, agency: str, years: list[int], site_url: str,
                    host: str = "www.example.gov.cn", **kwargs: Any) -> list[dict[str, Any]]:
    """Store consecutive, consistent synthetic reports of one agency; returns the parsed dicts."""
    reports, previous = [], None
    for year in years:
        report = make_report(agency, year, previous=previous, **kwargs)
        corpus.store_document(data=report_html(report), url=f"http://{host}/{agency}/{year}.html",
                              content_type="text/html; charset=utf-8", status=200, headers={},
                              fetched_at=f"{year + 1}-02-01T08:00:00Z", page_url=None,
                              site_url=site_url, parsed=report)
        reports.append(report)
        previous = report
    return reports


def v008_corpus(path: Any, compact: list[tuple[Any, ...]]) -> list[str]:
    """A corpus as schema 008 left it (cells in ``cells_compact``, no cell_values): the 2021
    keys as fields 1…n, reports 1 (甲|2023) and 2 (乙|2023), and ``compact`` rows
    (report_id, field_id, value, value_raw, kind). Returns the keys, field id − 1 → key."""
    import sqlite_utils

    from corpus.codebook import FIELDS, keys_for_format
    from corpus.schema import migrations

    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="009_cell_values_one_row_per_report")
    keys = keys_for_format("2021")
    db["fields"].insert_all([{"key": k, "id": i + 1, "table": FIELDS[k].table,
                              "row": FIELDS[k].row, "col": FIELDS[k].col}
                             for i, k in enumerate(keys)])
    db["reports"].insert_all([{"id": 1, "report_key": "甲|2023", "agency": "甲", "year": 2023},
                              {"id": 2, "report_key": "乙|2023", "agency": "乙", "year": 2023}])
    db.conn.executemany("INSERT INTO cells_compact (report_id, field_id, value, value_raw, kind) "
                        "VALUES (?, ?, ?, ?, ?)", compact)
    db.conn.commit()
    db.close()
    return keys
