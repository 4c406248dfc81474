"""data/metadata.yaml is generated from the schema code: a test fails when it drifts."""

from __future__ import annotations

import sqlite_utils

from corpus.codebook import FIELDS
from corpus.publish import METADATA_PATH, QUERIES, build_metadata, main, render_metadata
from corpus.schema import REPORT_COLUMNS, TABLES, VIEWS, ensure_schema


def test_checked_in_metadata_matches_the_code():
    assert METADATA_PATH.read_text(encoding="utf-8") == render_metadata(), \
        "data/metadata.yaml drifted: run python -m corpus.publish"
    assert main(["--check"]) == 0


def test_every_table_view_and_column_is_documented():
    db = sqlite_utils.Database(memory=True)
    ensure_schema(db)
    meta = build_metadata()["databases"]["corpus"]["tables"]
    published = {t for t in db.table_names()
                 if not t.startswith(("reports_fts", "agencies_fts", "_sqlite"))}
    assert published == set(TABLES)
    assert set(db.view_names()) == {"reports_wide", *VIEWS}
    for name in [*published, *db.view_names()]:
        assert meta[name]["description"], name
    report_cols = {c.name for c in db["reports"].columns}
    assert report_cols == set(REPORT_COLUMNS) == set(meta["reports"]["columns"])
    wide = meta["reports_wide"]["columns"]
    assert set(wide) == set(FIELDS)
    assert "本年新收" in wide["requests.new_received.total"]
    assert "applications" in wide["requests.new_received.total"]


def test_metadata_has_source_licence_and_facets():
    meta = build_metadata()
    for key in ("title", "description", "license", "license_url", "source", "source_url"):
        assert meta[key]
    reports = meta["databases"]["corpus"]["tables"]["reports"]
    assert reports["facets"] == ["province", "year", "level", "format", "checks_passed"]
    assert reports["sort_desc"] == "year" and reports["label_column"] == "title"
    assert len(QUERIES) >= 7
    assert all(q["title"] and q["description"] and q["sql"] for q in QUERIES.values())
