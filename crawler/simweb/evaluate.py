"""Score a crawl of a simulated web against its ground truth: recall, precision, duplicates, figures.

    >>> result = evaluate("corpus.db", web, mode="proxy")            # doctest: +SKIP
    >>> result["recall"], result["precision"], result["duplicates"], result["figure_mismatches"]  # doctest: +SKIP
    (1.0, 1.0, [], [])

A stored report matches an expected one when any of its URLs (source, page, related) is one of
the expected report's URLs, or when agency and year are the same.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import unquote

from crawler.simweb.server import SimWeb


def _norm(url: str | None) -> str:
    return unquote(url or "").replace("&amp;", "&")


def stored_reports(db_path: str | Path) -> list[dict]:
    """Every stored report with all the URLs the corpus knows for it, and its cells."""
    db = sqlite3.connect(str(db_path))
    db.row_factory = sqlite3.Row
    out = []
    for r in db.execute("SELECT id, agency, year, source_url, page_url FROM reports"):
        urls = {_norm(r["source_url"]), _norm(r["page_url"])}
        urls |= {_norm(u) for (u,) in db.execute("SELECT url FROM document_urls WHERE report_id = ?", [r["id"]])}
        cells = {(t, row, col): v for t, row, col, v in db.execute(
            'SELECT "table", row, col, value FROM cells WHERE report_id = ?', [r["id"]])}
        out.append({"id": r["id"], "agency": r["agency"], "year": r["year"], "source_url": r["source_url"],
                    "urls": urls - {""}, "cells": cells})
    db.close()
    return out


def figure_mismatches(expected_figs: dict, cells: dict) -> list[str]:
    """``table.row.col: expected X, stored Y`` for every differing cell."""
    bad = []
    for table, rows in expected_figs.items():
        for row, cols in rows.items():
            for col, want in cols.items():
                got = cells.get((table, row, col))
                if got is None or abs(float(got) - float(want)) > 1e-6:
                    bad.append(f"{table}.{row}.{col}: expected {want}, stored {got}")
    return bad


def evaluate(db_path: str | Path, web: SimWeb, mode: str = "proxy") -> dict:
    """Recall, precision, duplicates and figure mismatches of the corpus at ``db_path``."""
    expected = web.expected(mode)
    stored = stored_reports(db_path)
    matched: dict[str, list[dict]] = {u: [] for u in expected}
    unmatched: list[dict] = []
    for rep in stored:
        hit = None
        for url, facts in expected.items():
            urls = {_norm(u) for u in facts["urls"]} | ({_norm(facts["page_url"])} if facts.get("page_url") else set())
            if rep["urls"] & urls or (rep["agency"] == facts["agency"] and rep["year"] == facts["year"]):
                hit = url
                break
        if hit is None:
            unmatched.append(rep)
        else:
            matched[hit].append(rep)
    found = [u for u, reps in matched.items() if reps]
    mismatches = []
    for url in found:
        for rep in matched[url]:
            for line in figure_mismatches(expected[url]["figures"], rep["cells"]):
                mismatches.append(f"{url}: {line}")
    return {
        "expected": len(expected), "stored": len(stored), "found": len(found),
        "recall": len(found) / len(expected) if expected else 1.0,
        "precision": (len(stored) - len(unmatched)) / len(stored) if stored else 1.0,
        "missed": [u for u, reps in matched.items() if not reps],
        "false_positives": [(r["source_url"], r["agency"], r["year"]) for r in unmatched],
        "duplicates": [u for u, reps in matched.items() if len(reps) > 1],
        "figure_mismatches": mismatches,
    }
