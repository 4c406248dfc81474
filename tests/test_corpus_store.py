"""The corpus store on real SQLite files: idempotence, atomicity, duplicates, versions, checks."""

from __future__ import annotations

import copy
import doctest
import json
import sqlite3

import pytest
import sqlite_utils

from corpus.codebook import FIELDS, Field, all_fields, keys_for_format
from corpus.schema import migrations
from corpus.store import CellLayout, Corpus, cell_kind, sha256_hex
from corpus.synthetic import make_report, report_html
from tests.corpus_env import store_synthetic, v008_corpus

SITE = "http://www.scdongqu.gov.cn/"
AGENCY = "攀枝花市东区科学技术局"


@pytest.fixture
def corpus(tmp_path):
    c = Corpus(tmp_path / "corpus.db")
    c.ensure_site(name="攀枝花市东区人民政府", url=SITE, region_code="510402", level="county")
    yield c
    c.close()


def snapshot(db) -> dict[str, list]:
    """Every row of every table (FTS shadow tables aside), to compare whole databases."""
    tables = [t for t in db.table_names() if "_fts" not in t]
    return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}


def store(corpus, report, url, data=None, **kw):
    return corpus.store_document(data=data if data is not None else report_html(report), url=url,
                                 content_type="text/html", status=200, headers={"ETag": '"e1"'},
                                 fetched_at="2025-02-01T08:00:00Z", site_url=SITE, parsed=report,
                                 **kw)


def test_schema_is_migrated_by_named_recorded_migrations(tmp_path):
    c = Corpus(tmp_path / "a.db")
    names = [r[0] for r in c.db.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'nianbao' ORDER BY id")]
    assert names == [m.name for m in migrations._migrations]
    c.close()
    again = Corpus(tmp_path / "a.db")  # reopening applies nothing twice
    assert again.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(names)
    assert again.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert again.db.execute("SELECT count(*) FROM fields").fetchone()[0] == len(FIELDS) == 226
    again.close()


def test_store_report_writes_every_cell_with_kind_and_raw_copy(corpus):
    report = make_report(AGENCY, 2023, seed=3)
    report["cells_raw"]["requests.other_handling.total"] = "—"
    data = report_html(report)
    result = store(corpus, report, "http://www.scdongqu.gov.cn/2023.html")
    assert result["status"] == "new" and result["document_id"] == sha256_hex(data)
    rid = result["report_id"]
    db = corpus.db
    n_cells = db.execute("SELECT count(*) FROM cells WHERE report_id = ?", [rid]).fetchone()[0]
    assert n_cells == len(keys_for_format("2021"))  # every key of the format, blanks included
    kind = db.execute("SELECT kind, value FROM cells WHERE report_id = ? AND key = ?",
                      [rid, "requests.other_handling.total"]).fetchone()
    assert kind == ("null-marker", None)
    value = db.execute("SELECT value, value_raw, kind FROM cells WHERE report_id = ? AND key = ?",
                       [rid, "requests.new_received.total"]).fetchone()
    assert value[0] == report["requests"]["new_received"]["total"]
    assert isinstance(value[0], int)  # counts stay integers (ANY column, NUMERIC affinity)
    fee = db.execute("SELECT value FROM cells WHERE report_id = ? AND key = ?",
                     [rid, "active.administrative_fees.amount_10k_yuan"]).fetchone()[0]
    assert fee == report["active"]["administrative_fees"]["amount_10k_yuan"]
    assert corpus.raw_path(result["document_id"]).read_bytes() == data
    row = db.execute("SELECT agency, year, region_code, province, prefecture, county, level, "
                     "applications_received, checks_passed, raw_url FROM reports WHERE id = ?",
                     [rid]).fetchone()
    assert row[:7] == (AGENCY, 2023, "510402", "四川省", "攀枝花市", "东区", "department")
    assert row[7] == report["requests"]["new_received"]["total"]
    assert row[8] == 1 and row[9] == f"/-/raw/{result['document_id']}"


def test_cell_kinds_are_distinct():
    assert cell_kind(0, "0") == "zero"
    assert cell_kind(5, "5") == "number"
    assert cell_kind(None, "") == "blank"
    assert cell_kind(None, "\u00a0 ") == "blank"
    assert cell_kind(None, "／") == "null-marker"
    assert cell_kind(None, "无") == "null-marker"
    assert cell_kind(None, "3件（含转办）x") == "text"
    assert cell_kind(None, None) == "missing"


def test_same_document_twice_changes_nothing(corpus):
    report = make_report(AGENCY, 2023)
    first = store(corpus, report, "http://www.scdongqu.gov.cn/2023.html")
    before = snapshot(corpus.db)
    again = store(corpus, copy.deepcopy(report), "http://www.scdongqu.gov.cn/2023.html")
    assert again == {**first, "status": "unchanged"}
    assert snapshot(corpus.db) == before


def test_crash_mid_document_leaves_database_as_before(corpus, monkeypatch):
    store(corpus, make_report(AGENCY, 2022), "http://www.scdongqu.gov.cn/2022.html")
    before = snapshot(corpus.db)

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(Corpus, "_crosscheck_agency", boom)  # fails after cells were written
    with pytest.raises(RuntimeError):
        store(corpus, make_report(AGENCY, 2023), "http://www.scdongqu.gov.cn/2023.html")
    assert snapshot(corpus.db) == before


def test_same_bytes_at_two_urls_is_one_report_with_both_urls(corpus):
    report = make_report(AGENCY, 2023)
    a = store(corpus, report, "http://www.scdongqu.gov.cn/a.html")
    b = store(corpus, report, "http://mirror.scdongqu.gov.cn/a.html")
    assert a["report_id"] == b["report_id"] and b["status"] == "unchanged"
    assert corpus.db.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    urls = dict(corpus.db.execute("SELECT url, role FROM document_urls WHERE report_id = ?",
                                  [a["report_id"]]).fetchall())
    assert urls == {"http://www.scdongqu.gov.cn/a.html": "source",
                    "http://mirror.scdongqu.gov.cn/a.html": "source"}


def test_page_and_attachment_are_one_report_preferring_the_tables(corpus):
    full = make_report(AGENCY, 2023, seed=9)
    page = copy.deepcopy(full)  # the HTML page: same report, tables not on the page
    for table in ("active", "requests", "review_litigation"):
        page[table] = {}
    page["cells_raw"] = {}
    p = store(corpus, page, "http://www.scdongqu.gov.cn/art_1.html", data=b"<html>page</html>")
    pdf = b"%PDF-1.4 attachment"
    a = store(corpus, full, "http://www.scdongqu.gov.cn/1.pdf", data=pdf,
              page_url="http://www.scdongqu.gov.cn/art_1.html",
              related_urls=["http://www.scdongqu.gov.cn/art_1.html"])
    assert p["report_id"] == a["report_id"]
    row = corpus.db.execute("SELECT document_sha256, source_url, page_url, applications_received "
                            "FROM reports").fetchall()
    assert row == [(sha256_hex(pdf), "http://www.scdongqu.gov.cn/1.pdf",
                    "http://www.scdongqu.gov.cn/art_1.html",
                    full["requests"]["new_received"]["total"])]
    roles = dict(corpus.db.execute("SELECT url, role FROM document_urls").fetchall())
    assert roles == {"http://www.scdongqu.gov.cn/art_1.html": "copy",
                     "http://www.scdongqu.gov.cn/1.pdf": "source"}
    # The page fetched again later does not take the source back.
    again = store(corpus, page, "http://www.scdongqu.gov.cn/art_1.html", data=b"<html>page</html>")
    assert again["status"] == "unchanged"
    assert corpus.db.execute("SELECT source_url FROM reports").fetchone()[0].endswith("1.pdf")


def test_changed_bytes_make_a_new_version_and_keep_old_figures(corpus):
    url = "http://www.scdongqu.gov.cn/2023.html"
    report = make_report(AGENCY, 2023)
    first = store(corpus, report, url)
    fixed = copy.deepcopy(report)
    old = fixed["requests"]["granted"]["natural_person"]
    fixed["requests"]["granted"]["natural_person"] = old + 7
    fixed["cells_raw"]["requests.granted.natural_person"] = str(old + 7)
    second = store(corpus, fixed, url, data=report_html(fixed) + b"<!-- corrected -->")
    assert second["report_id"] == first["report_id"] and second["status"] == "changed"
    db = corpus.db
    assert db.execute("SELECT version FROM reports").fetchone()[0] == 2
    versions = db.execute("SELECT version, document_sha256 FROM report_versions ORDER BY version"
                          ).fetchall()
    assert [v for v, _ in versions] == [1, 2] and versions[0][1] == first["document_id"]
    changes = db.execute("SELECT key, old_value, new_value FROM cell_changes").fetchall()
    assert changes == [("requests.granted.natural_person", old, old + 7)]
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 2  # old bytes kept


def test_carryover_across_years_passes_and_a_break_is_a_row(corpus):
    reports = store_synthetic(corpus, AGENCY, [2021, 2022], SITE)
    db = corpus.db
    carry = db.execute("SELECT name, passed FROM checks WHERE rule = 'carryover'").fetchall()
    assert len(carry) == 7 and all(p == 1 for _, p in carry)
    broken = make_report(AGENCY, 2023, previous=reports[-1])
    broken["requests"]["carried_over"]["legal_service_org"] += 5
    store(corpus, broken, "http://www.scdongqu.gov.cn/2023-broken.html")
    failed = db.execute("SELECT r.year, c.name, c.detail, c.severity FROM checks c JOIN reports r "
                        "ON r.id = c.report_id WHERE c.passed = 0").fetchall()
    assert [(y, n, s) for y, n, _, s in failed] == [
        (2023, "carryover:legal_service_org", "error")]
    assert "≠" in failed[0][2]
    assert db.execute("SELECT checks_passed, checks_failed FROM reports WHERE year = 2023"
                      ).fetchone() == (0, 1)
    assert db.execute("SELECT count(*) FROM failed_checks").fetchone()[0] == 1


def test_continuity_warnings_and_text_figures(corpus):
    reports = store_synthetic(corpus, AGENCY, [2021, 2022], SITE)
    db = corpus.db
    in_force = db.execute("SELECT passed, severity FROM checks WHERE rule = "
                          "'in_force_continuity'").fetchall()
    assert in_force and all(r == (1, "warning") for r in in_force)
    stated = reports[-1]["requests"]["new_received"]["total"] + 1
    wrong = make_report(AGENCY, 2023, previous=reports[-1],
                        overview=f"2023年，共收到政府信息公开申请{stated}件。")
    store(corpus, wrong, "http://www.scdongqu.gov.cn/2023.html")
    row = db.execute("SELECT c.passed, c.severity, c.detail FROM checks c JOIN reports r ON "
                     "r.id = c.report_id WHERE r.year = 2023 AND c.name = "
                     "'text_figure:applications_received'").fetchone()
    assert row[0] == 0 and row[1] == "warning" and str(stated) in row[2]
    # A warning does not fail the report.
    assert db.execute("SELECT checks_passed, warnings_failed FROM reports WHERE year = 2023"
                      ).fetchone() == (1, 1)


def test_items_continuity_for_2019_format(corpus):
    store_synthetic(corpus, AGENCY, [2019, 2020], SITE)
    rows = corpus.db.execute("SELECT name, passed FROM checks WHERE rule = 'items_continuity'"
                             ).fetchall()
    assert len(rows) == 5 and all(p == 1 for _, p in rows)


def test_not_a_report_and_parse_failure_are_documents_without_reports(corpus):
    res = corpus.store_document(data=b"<html>notice</html>", url="http://www.scdongqu.gov.cn/n",
                                content_type="text/html", parsed={"is_annual_report": False},
                                site_url=SITE)
    assert res["report_id"] is None and res["status"] == "new"
    bad = corpus.store_document(data=b"%PDF-broken", url="http://www.scdongqu.gov.cn/x.pdf",
                                content_type="application/pdf", parsed=None,
                                parse_error="cannot read PDF", site_url=SITE)
    assert bad["report_id"] is None
    assert corpus.db.execute("SELECT parse_error FROM documents WHERE sha256 = ?",
                             [bad["document_id"]]).fetchone()[0] == "cannot read PDF"
    assert corpus.db.execute("SELECT count(*) FROM reports").fetchone()[0] == 0


def test_urls_seen_removed_known_errors_and_runs(corpus):
    report = make_report(AGENCY, 2023)
    url = "http://www.scdongqu.gov.cn/2023.html"
    run = corpus.start_run(kind="crawl", sites_file="sites.csv")
    res = store(corpus, report, url, run_id=run)
    known = corpus.known_document(url)
    assert known["sha256"] == res["document_id"] and known["etag"] == '"e1"'
    assert corpus.known_document("http://nowhere/") is None
    corpus.mark_removed(url, run, reason="404")
    db = corpus.db
    assert db.execute("SELECT removed_reason FROM document_urls WHERE url = ?", [url]
                      ).fetchone()[0] == "404"
    assert db.execute("SELECT removed_at IS NOT NULL FROM documents").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == 1  # never deleted
    corpus.mark_seen(url, run)
    assert db.execute("SELECT removed_at FROM document_urls WHERE url = ?", [url]
                      ).fetchone()[0] is None
    corpus.record_error(url="http://www.scdongqu.gov.cn/gone", site_url=SITE, kind="http",
                        status=404, reason="Not Found\nsecond line", run_id=run)
    corpus.finish_run(run, stats={"requests": 3, "new_reports": 1,
                                  "sites": {SITE: {"requests": 3, "new_reports": 1}}})
    assert db.execute("SELECT kind, status, reason FROM errors").fetchall() == [
        ("http", 404, "Not Found")]
    assert db.execute("SELECT status, requests, new_reports, errors FROM crawl_runs"
                      ).fetchone() == ("ok", 3, 1, 1)
    assert db.execute("SELECT requests FROM site_runs").fetchone()[0] == 3


def test_wide_view_and_trigram_search(corpus):
    reports = store_synthetic(corpus, AGENCY, [2022, 2023], SITE)
    db = corpus.db
    cols = [c.name for c in db["reports_wide"].columns]
    assert [c for c in cols if c.count(".") == 2] == list(FIELDS)
    rows = db.execute('SELECT year, "requests.new_received.total", '
                      '"active.administrative_fees.amount_10k_yuan" FROM reports_wide ORDER BY year'
                      ).fetchall()
    assert rows == [(r["year"], r["requests"]["new_received"]["total"],
                     r["active"]["administrative_fees"]["amount_10k_yuan"]) for r in reports]
    # 依申请公开 sits inside a sentence: no word boundaries, found by the trigram index.
    hits = db.execute("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH '依申请公开'"
                      ).fetchone()[0]
    assert hits == 2
    assert db.execute("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH '信息处理费'"
                      ).fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH '不存在的词语'"
                      ).fetchone()[0] == 0


def test_foreign_keys_are_declared_and_enforced(corpus):
    fks = {(fk.column, fk.other_table) for fk in corpus.db["cell_notes"].foreign_keys}
    assert fks == {("report_id", "reports"), ("field_id", "fields")}
    assert [(fk.column, fk.other_table) for fk in corpus.db["cell_values"].foreign_keys] == \
        [("report_id", "reports")]
    with pytest.raises(sqlite3.IntegrityError):
        corpus.db["cell_values"].insert({"report_id": 999})
    with pytest.raises(sqlite3.IntegrityError):
        corpus.db["cell_notes"].insert({"report_id": 999, "field_id": 1, "kind": "blank"})
    with pytest.raises(sqlite3.IntegrityError):
        corpus.db["cell_notes"].insert({"report_id": 1, "field_id": 99999, "kind": "blank"})


def test_bulk_load_matches_one_by_one(tmp_path):
    one = Corpus(tmp_path / "one.db")
    bulk = Corpus(tmp_path / "bulk.db")
    for c in (one, bulk):
        c.ensure_site(name="x", url=SITE, region_code="510402", level="county")
    store_synthetic(one, AGENCY, [2021, 2022, 2023], SITE)
    with bulk.bulk():
        store_synthetic(bulk, AGENCY, [2021, 2022, 2023], SITE)
    q = "SELECT report_id, name, passed, detail FROM checks ORDER BY 1, 2"
    assert one.db.execute(q).fetchall() == bulk.db.execute(q).fetchall()
    q = "SELECT id, checks_passed, checks_failed, warnings_failed FROM reports ORDER BY id"
    assert one.db.execute(q).fetchall() == bulk.db.execute(q).fetchall()
    one.close()
    bulk.close()


def test_extra_keys_and_warnings_are_kept(corpus):
    report = make_report(AGENCY, 2023)
    report["warnings"] = ["row (六) printed once"]
    report["ocr"] = True
    res = store(corpus, report, "http://www.scdongqu.gov.cn/2023.html")
    row = corpus.db.execute("SELECT warnings, extra FROM reports WHERE id = ?",
                            [res["report_id"]]).fetchone()
    assert json.loads(row[0]) == ["row (六) printed once"] and json.loads(row[1]) == {"ocr": True}


def test_a_url_that_now_serves_another_year_keeps_both_reports(corpus):
    url = "http://www.scdongqu.gov.cn/latest.html"
    first = store(corpus, make_report(AGENCY, 2022), url)
    second = store(corpus, make_report(AGENCY, 2023), url)
    assert second["status"] == "new" and second["report_id"] != first["report_id"]
    assert corpus.db.execute("SELECT year FROM reports ORDER BY year").fetchall() == [(2022,),
                                                                                     (2023,)]
    # The URL now belongs to the newer report; the older keeps its figures and source bytes.
    assert corpus.db.execute("SELECT report_id FROM document_urls WHERE url = ?", [url]
                             ).fetchone()[0] == second["report_id"]


def test_a_report_without_agency_is_placed_by_its_site(corpus):
    report = make_report(AGENCY, 2023)
    report["agency"] = None
    res = store(corpus, report, "http://www.scdongqu.gov.cn/anon.html")
    row = corpus.db.execute("SELECT report_key, agency_id, region_code, county FROM reports "
                            "WHERE id = ?", [res["report_id"]]).fetchone()
    assert row == (f"doc:{res['document_id']}", None, "510402", "东区")


def _content(db) -> dict[str, list]:
    """What a load puts in the database, without its timestamps of the moment."""
    queries = {
        "cells": "SELECT report_id, key, \"table\", row, col, value, value_raw, kind FROM cells "
                 "ORDER BY 1, 2",
        "reports": "SELECT id, report_key, agency, year, checks_passed, checks_failed, "
                   "warnings_failed, applications_received, full_text FROM reports ORDER BY id",
        "checks": "SELECT report_id, name, passed, detail FROM checks ORDER BY 1, 2",
        "schema": "SELECT type, name, sql FROM sqlite_master ORDER BY 1, 2",
        "search": "SELECT rowid FROM reports_fts WHERE reports_fts MATCH '依申请公开' ORDER BY 1",
    }
    return {name: db.execute(sql).fetchall() for name, sql in queries.items()}


def test_fresh_build_gives_the_same_database_as_a_normal_load(tmp_path):
    normal, fresh = Corpus(tmp_path / "normal.db"), Corpus(tmp_path / "fresh.db")
    for c in (normal, fresh):
        c.ensure_site(name="x", url=SITE, region_code="510402", level="county")
    other = "攀枝花市东区教育局"
    with normal.bulk():
        store_synthetic(normal, AGENCY, [2020, 2021, 2022, 2023], SITE)
        store_synthetic(normal, other, [2022, 2023], SITE)
    before = fresh.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    with fresh.fresh_build():
        # Inside: the deferred indexes and the full-text triggers are gone ...
        assert fresh.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] < before
        with fresh.bulk():
            store_synthetic(fresh, AGENCY, [2020, 2021, 2022, 2023], SITE)
        with fresh.bulk():
            store_synthetic(fresh, other, [2022, 2023], SITE)
    # ... and after it every row, index, trigger and search result equals a normal load.
    assert _content(fresh.db) == _content(normal.db)
    assert _content(fresh.db)["search"] and fresh.db.execute(
        "PRAGMA integrity_check").fetchone()[0] == "ok"
    # The full-text triggers are back: a later ordinary store is searchable at once.
    report = make_report("攀枝花市东区审计局", 2023, overview="本年度共受理独一无二申请3件。")
    store(fresh, report, "http://www.scdongqu.gov.cn/audit/2023.html")
    assert fresh.db.execute("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH "
                            "'独一无二'").fetchone()[0] == 1
    normal.close()
    fresh.close()


def test_fresh_build_refuses_a_database_with_reports_and_restores_after_errors(corpus):
    schema = corpus.db.execute("SELECT type, name FROM sqlite_master ORDER BY 1, 2").fetchall()
    with pytest.raises(RuntimeError, match="boom"), corpus.fresh_build():
        raise RuntimeError("boom")
    assert corpus.db.execute("SELECT type, name FROM sqlite_master ORDER BY 1, 2"
                             ).fetchall() == schema
    store(corpus, make_report(AGENCY, 2023), "http://www.scdongqu.gov.cn/2023.html")
    with pytest.raises(ValueError, match="without reports"), corpus.fresh_build():
        pass


def test_migration_006_keeps_every_cell_of_an_old_database(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="006_compact_cells")  # the schema before compact cells
    keys = keys_for_format("2021")[:6]
    db["fields"].insert_all([{"key": k, "table": FIELDS[k].table, "row": FIELDS[k].row,
                              "col": FIELDS[k].col} for k in keys])
    db["reports"].insert({"id": 1, "report_key": "甲|2023"})
    old = [(1, keys[0], 12, "12", "number"), (1, keys[1], 12, "１２", "number"),
           (1, keys[2], 0, "0", "zero"), (1, keys[3], 1.5, "1.50", "number"),
           (1, keys[4], None, "—", "null-marker"), (1, keys[5], None, None, "missing")]
    db.conn.executemany("INSERT INTO cells (report_id, key, value, value_raw, kind) "
                        "VALUES (?, ?, ?, ?, ?)", old)
    db.conn.commit()
    db.close()
    corpus = Corpus(path)
    rows = corpus.db.execute("SELECT report_id, key, value, value_raw, kind FROM cells "
                             "ORDER BY key").fetchall()
    assert rows == sorted(old, key=lambda r: r[1])
    stored = corpus.db.execute("SELECT count(*), count(value_raw), count(kind) FROM cell_notes"
                               ).fetchone()
    assert stored == (4, 3, 2)  # "12" and "0" are the integers as printed; kinds of nulls only
    assert "cells_compact" not in corpus.db.table_names()  # migration 009 moved them
    corpus.close()


def test_migration_009_moves_every_cell_into_one_row_per_report(tmp_path):
    path = tmp_path / "v008.db"
    keys = keys_for_format("2021")
    # As 006–008 stored them: raw only when not the integer as printed, kind only for nulls.
    compact = [(1, i + 1, i * 3, None, None) for i in range(len(keys))]
    compact[1] = (1, 2, 12, "１２", None)
    compact[2] = (1, 3, 1.5, "1.50", None)
    compact[3] = (1, 4, None, "—", "null-marker")
    compact[4] = (1, 5, None, None, "missing")
    compact += [(2, 7, 0, None, None), (2, 9, None, "", "blank")]
    assert v008_corpus(path, compact) == keys
    expected = sorted(
        (rid, keys[fid - 1], value,
         raw if raw is not None else (None if value is None else str(value)),
         kind or ("zero" if value == 0 else "number"))
        for rid, fid, value, raw, kind in compact)
    corpus = Corpus(path)
    rows = corpus.db.execute("SELECT report_id, key, value, value_raw, kind FROM cells "
                             "ORDER BY report_id, key").fetchall()
    assert rows == expected
    types = dict(corpus.db.execute("SELECT key, typeof(value) FROM cells WHERE report_id = 1"))
    assert types[keys[2]] == "real" and types[keys[0]] == "integer"  # 1.5 stays a decimal
    assert "cells_compact" not in corpus.db.table_names()
    wide = corpus.db.execute(f'SELECT "{keys[1]}", "{keys[2]}", "{keys[6]}" FROM reports_wide '
                             "ORDER BY report_id").fetchall()
    assert wide == [(12, 1.5, 18), (None, None, 0)]
    corpus.close()


def test_a_new_key_of_the_codebook_becomes_a_column_and_keeps_the_figures(tmp_path, monkeypatch):
    corpus = Corpus(tmp_path / "c.db")
    store(corpus, make_report(AGENCY, 2023), "http://www.scdongqu.gov.cn/2023.html")
    before = corpus.db.execute("SELECT key, value, value_raw, kind FROM cells "
                               "ORDER BY key").fetchall()
    corpus.close()
    import corpus.schema as schema

    extra = Field(key="requests.new_received.robots", table="requests", row="new_received",
                  col="robots", format="2021", row_label_zh="新收", col_label_zh="机器人",
                  label_zh="新收 机器人", label_en="New requests: robots", unit="件", unit_en="")
    monkeypatch.setattr(schema, "all_fields", lambda: [*all_fields(), extra])
    again = Corpus(tmp_path / "c.db")
    assert "requests.new_received.robots" in again.db["cell_values"].columns_dict
    assert again.db.execute("SELECT key, value, value_raw, kind FROM cells ORDER BY key"
                            ).fetchall() == before
    again.close()


def test_docstring_example_of_the_cell_layout():
    runner = doctest.DocTestRunner()
    tests = doctest.DocTestFinder().find(CellLayout, globs={"CellLayout": CellLayout})
    for test in tests:
        runner.run(test)
    assert sum(len(t.examples) for t in tests) > 0
    assert runner.failures == 0


def test_a_correction_posted_at_another_url_supersedes_the_report(corpus):
    first = make_report(AGENCY, 2023, seed=1)
    store(corpus, first, "http://www.scdongqu.gov.cn/2023.html")
    corrected = make_report(AGENCY, 2023, seed=2)  # other figures, as many cells
    copy_only = store(corpus, corrected, "http://www.scdongqu.gov.cn/2023-copy.html")
    assert copy_only["status"] == "unchanged"  # a second copy without more figures: kept aside
    result = store(corpus, {**corrected, "correction": True},
                   "http://www.scdongqu.gov.cn/2023-gengzheng.html")
    assert result["status"] == "changed"
    rows = corpus.db.execute("SELECT source_url, version, applications_received FROM reports"
                             ).fetchall()
    assert rows == [("http://www.scdongqu.gov.cn/2023-gengzheng.html", 2,
                     corrected["requests"]["new_received"]["total"])]
    assert corpus.db.execute("SELECT count(*) FROM cell_changes").fetchone()[0] > 0
