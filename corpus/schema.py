"""The corpus schema: named, recorded migrations (sqlite-utils) plus views and the codebook.

    >>> import sqlite_utils
    >>> from corpus.schema import ensure_schema
    >>> db = sqlite_utils.Database(memory=True)
    >>> ensure_schema(db)
    >>> "reports" in db.table_names() and "reports_wide" in db.view_names()
    True

Migrations are applied in order and recorded in ``_sqlite_migrations`` (set ``nianbao``): an old
database is upgraded on open; a migration never runs twice. Add a new ``@migrations()`` function
at the end for any change — never edit one that has shipped. Views and the ``fields`` codebook
are derived from code (``corpus.codebook``) and refreshed on every open instead, because they hold
no data of their own.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from corpus.codebook import all_fields

migrations = Migrations("nianbao")

# Each table's description, in English and Chinese: published in data/metadata.yaml
# (corpus/publish.py) and in docs/corpus.md.
TABLES: dict[str, tuple[str, str]] = {
    "sites": ("Seed sites the crawler starts from (data/sites.csv).", "爬取起点网站"),
    "agencies": ("Agencies that published reports, with their GB/T 2260 region and level.",
                 "发布年报的行政机关及其行政区划"),
    "documents": ("Every fetched document, by the SHA-256 of its raw bytes; the raw copy is served "
                  "at /-/raw/<sha256>.", "抓取的原始文件（按SHA-256）"),
    "document_urls": ("Every URL a document or report was found at (one report posted twice is one "
                      "report with several URLs).", "文件与年报的所有网址"),
    "reports": ("One row per annual report (agency + year): metadata, headline figures, checks "
                "and full text.", "政府信息公开工作年度报告"),
    "cell_values": ("Every figure of a report in one row: one column per cell key (fields.key). "
                    "Storage of the cells and reports_wide views.", "年报各单元格的数字（每份年报一行）"),
    "cell_notes": ("What a figure alone does not say, by report and fields.id: the printed text "
                   "when it is not the integer itself, and the kind of an empty cell (blank, "
                   "null-marker, text, missing). Storage of the cells view.",
                   "单元格原文与空白类型"),
    "checks": ("Consistency checks (勾稽关系) within a report and across an agency's years; "
               "failures are rows to browse.", "勾稽关系校验结果"),
    "fields": ("The codebook: every cell key table.row.col with Chinese and English labels, format "
               "and unit.", "字段说明（代码本）"),
    "crawl_runs": ("Each crawl or nightly run with its counts.", "每次抓取的记录"),
    "site_runs": ("Per-site status of each run.", "每次抓取中各网站的情况"),
    "errors": ("Fetch and parse errors (url, site, kind, status, reason, time).", "抓取与解析错误"),
    "report_versions": ("Each content version of a report, written when its content hash changes.",
                        "年报的历次版本"),
    "cell_changes": ("Figures that changed between two versions of a report.", "版本之间变化的数字"),
    "facet_counts": ("How many rows of a table hold each value of a faceted column: what its page "
                     "shows as facets, kept exact by triggers.", "分面计数"),
}

# Headline figures copied onto ``reports`` from its cells, so that facets, sorting and the canned
# queries need no pivot (the cells stay the source of truth).
HEADLINE_FIGURES: dict[str, tuple[str, ...]] = {
    "applications_received": ("requests.new_received.total",),
    "applications_carried_over": ("requests.carried_over.total",),
    "results_total": ("requests.results_total.total",),
    "granted": ("requests.granted.total",),
    "partially_granted": ("requests.partially_granted.total",),
    "withheld": tuple(f"requests.withheld_{r}.total" for r in (
        "state_secret", "prohibited_by_law", "security_stability", "third_party_rights",
        "internal_affairs", "process_information", "enforcement_files", "administrative_query")),
    "not_held": ("requests.unavailable_not_held.total",),
    "review_total": ("review_litigation.review.total",),
    "review_corrected": ("review_litigation.review.corrected",),
    "litigation_total": ("review_litigation.litigation_direct.total",
                         "review_litigation.litigation_after_review.total"),
    "litigation_corrected": ("review_litigation.litigation_direct.corrected",
                             "review_litigation.litigation_after_review.corrected"),
}

# Columns of ``reports`` (and their descriptions) — one place for schema, metadata and docs.
REPORT_COLUMNS: dict[str, tuple[type | str, str]] = {
    "id": (int, "Report id"),
    "report_key": (str, "Identity: agency|year, or doc:<sha256> when agency or year is unknown"),
    "agency_id": (int, "The agency (agencies.id)"),
    "agency": (str, "Agency name as the report gives it / 机关名称"),
    "year": (int, "Report year: the year the figures cover / 报告年度"),
    "format": (str, "Report format: 2021, 2019 or legacy / 年报格式"),
    "title": (str, "Title / 标题"),
    "published_date": (str, "Publication date (ISO) / 发布日期"),
    "region_code": (str, "GB/T 2260 code of the agency's region / 行政区划代码"),
    "province": (str, "Province / 省级"),
    "prefecture": (str, "Prefecture / 地级"),
    "county": (str, "County / 县级"),
    "level": (str, "central, province, prefecture, county, township or department / 层级"),
    "site_id": (int, "Seed site (sites.id)"),
    "document_sha256": (str, "The source document the figures come from (documents.sha256)"),
    "source_url": (str, "URL of the source document / 原文网址"),
    "page_url": (str, "HTML page that listed or contained it / 所在网页"),
    "raw_url": (str, "Archived raw copy served by this site / 存档原文"),
    "fetched_at": (str, "When the source document was fetched (ISO 8601 UTC)"),
    "document_type": (str, "html, pdf, docx, doc, xls, txt, image …"),
    "parser_version": (str, "Version of the parser that read it"),
    "needs_ocr": (int, "1 when the tables are images that were not read"),
    "checks_passed": (int, "1 all error-level checks pass, 0 some fail, null none assessable "
                           "/ 校验通过"),
    "checks_failed": (int, "Number of failed error-level checks"),
    "warnings_failed": (int, "Number of failed warning-level checks (continuity, prose figures)"),
    **{name: (int, "Headline figure from " + " + ".join(keys) + " (件)")
       for name, keys in HEADLINE_FIGURES.items()},
    "version": (int, "Content version (report_versions)"),
    "content_hash": (str, "SHA-256 of the report's figures and metadata"),
    "first_seen": (str, "When the report was first stored"),
    "updated_at": (str, "When its content last changed"),
    "overview": (str, "一、总体情况 (text)"),
    "problems": (str, "五、存在的主要问题及改进情况 (text)"),
    "other_matters": (str, "六、其他需要报告的事项 (text)"),
    "full_text": (str, "Full text of the report / 全文"),
    "sections": (str, "All sections as JSON"),
    "warnings": (str, "Parser warnings as JSON"),
    "extra": (str, "Other keys of the parsed object as JSON"),
}

CELL_KINDS = {
    "number": "a non-zero figure",
    "zero": "printed 0",
    "blank": "empty cell (null; often means 0)",
    "null-marker": "printed —, -, /, 无, N/A (null)",
    "text": "text that is not a figure (null; see value_raw)",
    "missing": "not found in the document (table absent or image-only)",
}

FACETED = {
    "reports": ["year", "province", "level", "format", "checks_passed", "region_code",
                "prefecture", "document_type", "agency_id", "needs_ocr"],
    "agencies": ["province", "prefecture", "level", "region_code"],
    "cells": [],  # 200 rows per report: only the (key, value) index below earns its cost
    "checks": ["rule", "passed", "scope", "severity"],  # passed: (passed, rule) since 011
    "documents": ["content_type", "document_type", "is_annual_report", "site_id"],
    "document_urls": ["role", "site_id", "report_id"],
    "errors": ["kind", "status", "site_id", "run_id"],
}


# The facets each table's page shows (data/metadata.yaml): every one has an index (FACETED), and
# all but the codebook's have their counts kept in facet_counts (migration 010).
SHOWN_FACETS: dict[str, list[str]] = {
    "reports": ["province", "year", "level", "format", "checks_passed"],
    "agencies": ["province", "level"],
    "checks": ["rule", "passed", "severity", "scope"],
    "documents": ["document_type", "is_annual_report"],
    "document_urls": ["role"],
    "errors": ["kind", "status"],
    "fields": ["table", "format", "unit"],
}
COUNTED_FACETS: dict[str, list[str]] = {t: c for t, c in SHOWN_FACETS.items() if t != "fields"}
COUNTED_FACET_TYPE = "counted"  # how corpus.serve names them to Datasette for the plugin


@migrations(name="001_core_tables")
def _core_tables(db: sqlite_utils.Database) -> None:
    db["sites"].create({"id": int, "name": str, "url": str, "annual_report_url": str,
                        "region_code": str, "level": str, "added_at": str}, pk="id")
    db["sites"].create_index(["url"], unique=True)
    db["agencies"].create({"id": int, "name": str, "region_code": str, "province": str,
                           "prefecture": str, "county": str, "level": str, "site_id": int},
                          pk="id", foreign_keys=[("site_id", "sites", "id")])
    db["agencies"].create_index(["name"], unique=True)
    db["documents"].create({
        "sha256": str, "url": str, "page_url": str, "site_id": int, "content_type": str,
        "size": int, "http_status": int, "headers": str, "fetched_at": str, "first_seen": str,
        "last_seen": str, "removed_at": str, "raw_path": str, "document_type": str,
        "is_annual_report": int, "needs_ocr": int, "parse_error": str, "parser_version": str,
    }, pk="sha256", foreign_keys=[("site_id", "sites", "id")])
    db["reports"].create({name: typ for name, (typ, _) in REPORT_COLUMNS.items()}, pk="id",
                         foreign_keys=[("agency_id", "agencies", "id"), ("site_id", "sites", "id"),
                                       ("document_sha256", "documents", "sha256")])
    db["reports"].create_index(["report_key"], unique=True)
    db["document_urls"].create({
        "url": str, "sha256": str, "report_id": int, "role": str, "page_url": str,
        "site_id": int, "http_status": int, "etag": str, "last_modified": str,
        "fetched_at": str, "first_seen": str, "last_seen": str, "removed_at": str,
        "removed_reason": str,
    }, pk="url", foreign_keys=[("sha256", "documents", "sha256"), ("report_id", "reports", "id"),
                               ("site_id", "sites", "id")])
    db["fields"].create({"key": str, "table": str, "row": str, "col": str, "format": str,
                         "label_zh": str, "row_label_zh": str, "col_label_zh": str,
                         "label_en": str, "unit": str, "unit_en": str}, pk="key")
    # The one table sqlite-utils cannot declare: ~200 rows per report make it the corpus's bulk,
    # so it is clustered on its key (WITHOUT ROWID: one b-tree, not two) and table/row/col are
    # virtual columns computed from the key (no storage, nothing to write). value is ANY
    # (NUMERIC affinity): counts stay integers, amounts stay decimals.
    rest = "substr(key, instr(key, '.') + 1)"
    db.execute(f"""CREATE TABLE cells (
   report_id INTEGER NOT NULL REFERENCES reports(id),
   key TEXT NOT NULL REFERENCES fields(key),
   "table" TEXT GENERATED ALWAYS AS (substr(key, 1, instr(key, '.') - 1)) VIRTUAL,
   row TEXT GENERATED ALWAYS AS (substr({rest}, 1, instr({rest}, '.') - 1)) VIRTUAL,
   col TEXT GENERATED ALWAYS AS (substr({rest}, instr({rest}, '.') + 1)) VIRTUAL,
   value ANY,
   value_raw TEXT,
   kind TEXT,
   PRIMARY KEY (report_id, key)
) WITHOUT ROWID""")
    db["checks"].create({"report_id": int, "name": str, "rule": str, "scope": str,
                         "severity": str, "passed": int, "detail": str},
                        pk=("report_id", "name"), foreign_keys=[("report_id", "reports", "id")])
    db["crawl_runs"].create({"id": int, "kind": str, "sites_file": str, "started_at": str,
                             "finished_at": str, "status": str, "requests": int,
                             "not_modified": int, "new_reports": int, "changed_reports": int,
                             "removed": int, "errors": int, "stats": str}, pk="id")
    db["site_runs"].create({"run_id": int, "site_id": int, "started_at": str, "finished_at": str,
                            "requests": int, "not_modified": int, "new_reports": int,
                            "changed_reports": int, "removed": int, "errors": int},
                           pk=("run_id", "site_id"),
                           foreign_keys=[("run_id", "crawl_runs", "id"),
                                         ("site_id", "sites", "id")])
    db["errors"].create({"id": int, "url": str, "site_id": int, "site_url": str, "kind": str,
                         "status": int, "reason": str, "time": str, "run_id": int}, pk="id",
                        foreign_keys=[("site_id", "sites", "id"), ("run_id", "crawl_runs", "id")])
    db["report_versions"].create({"id": int, "report_id": int, "version": int,
                                  "content_hash": str, "document_sha256": str, "recorded_at": str,
                                  "run_id": int}, pk="id",
                                 foreign_keys=[("report_id", "reports", "id"),
                                               ("document_sha256", "documents", "sha256")])
    db["report_versions"].create_index(["report_id", "version"], unique=True)
    db["cell_changes"].create({"id": int, "report_id": int, "version": int, "key": str,
                               "old_value": "ANY", "new_value": "ANY", "old_raw": str,
                               "new_raw": str, "changed_at": str}, pk="id",
                              foreign_keys=[("report_id", "reports", "id"),
                                            ("key", "fields", "key")])


@migrations(name="002_facet_indexes")
def _facet_indexes(db: sqlite_utils.Database) -> None:
    for table, columns in FACETED.items():
        for column in columns:
            db[table].create_index([column], if_not_exists=True)
    # The canned queries group by place and year and look agencies up by name.
    db["reports"].create_index(["province", "year"], if_not_exists=True)
    db["reports"].create_index(["agency_id", "year"], if_not_exists=True)
    db["reports"].create_index(["agency"], if_not_exists=True)
    db["reports"].create_index(["applications_received"], if_not_exists=True)
    db["cells"].create_index(["key", "value"], if_not_exists=True)
    db["checks"].create_index(["passed", "rule"], if_not_exists=True)
    db["document_urls"].create_index(["sha256"], if_not_exists=True)
    db["cell_changes"].create_index(["report_id", "version"], if_not_exists=True)


@migrations(name="003_fulltext_trigram")
def _fulltext(db: sqlite_utils.Database) -> None:
    # trigram (SQLite ≥ 3.34) finds 依申请公开 inside a sentence: Chinese has no spaces to split on.
    columns = ["title", "agency", "full_text"]
    db["reports"].enable_fts(columns, tokenize="trigram", create_triggers=False)
    # Our own triggers, not sqlite-utils': the update trigger fires only when an indexed column
    # changes, so refreshing a report's check summary does not re-index its text.
    cols, new, old = ", ".join(columns), ", ".join(f"new.{c}" for c in columns), \
        ", ".join(f"old.{c}" for c in columns)
    delete = (f"INSERT INTO reports_fts (reports_fts, rowid, {cols}) "
              f"VALUES ('delete', old.rowid, {old});")
    insert = f"INSERT INTO reports_fts (rowid, {cols}) VALUES (new.rowid, {new});"
    db.execute(f"CREATE TRIGGER reports_ai AFTER INSERT ON reports BEGIN {insert} END")
    db.execute(f"CREATE TRIGGER reports_ad AFTER DELETE ON reports BEGIN {delete} END")
    db.execute(f"CREATE TRIGGER reports_au AFTER UPDATE OF {cols} ON reports "
               f"BEGIN {delete} {insert} END")


@migrations(name="004_agency_search")
def _agency_search(db: sqlite_utils.Database) -> None:
    # "Find an agency": a search box on agencies that matches any part of a name (科技局).
    db["agencies"].enable_fts(["name"], tokenize="trigram", create_triggers=True)


@migrations(name="005_report_source_index")
def _report_source_index(db: sqlite_utils.Database) -> None:
    # store_document looks a report up by its source document's hash for every document:
    # without this index that look-up scans the reports table (quadratic loads).
    db["reports"].create_index(["document_sha256"], if_not_exists=True)


@migrations(name="006_compact_cells")
def _compact_cells(db: sqlite_utils.Database) -> None:
    # The long table is the corpus's bulk (~200 rows per report): repeating a 30-byte text key
    # per row (and again in the (key, value) index) made it 35 kB per report and the slowest
    # part of a load. Cells now live in ``cells_compact`` keyed by an integer ``field_id`` into
    # the codebook; the ``cells`` view (ensure_views) gives back the long rows with their text
    # keys, so every query written against ``cells`` keeps working.
    for (view,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
        db.execute(f'DROP VIEW "{view}"')  # recreated from code by ensure_views
    db.execute("ALTER TABLE fields ADD COLUMN id INTEGER")
    # Existing keys are numbered in key order; sync_codebook numbers new keys after them.
    db.execute("UPDATE fields SET id = (SELECT count(*) FROM fields f WHERE f.key <= fields.key)")
    db.execute("CREATE UNIQUE INDEX idx_fields_id ON fields (id)")
    db.execute("""CREATE TABLE cells_compact (
   report_id INTEGER NOT NULL REFERENCES reports(id),
   field_id INTEGER NOT NULL REFERENCES fields(id),
   value ANY,
   value_raw TEXT,
   kind TEXT,
   PRIMARY KEY (report_id, field_id)
) WITHOUT ROWID""")
    # value_raw is stored only when it is not the integer as printed, kind only for a null value
    # (a non-null value is 'zero' or 'number'): CELLS_VIEW_SQL restores both.
    db.execute(f"""INSERT INTO cells_compact (report_id, field_id, value, value_raw, kind)
SELECT c.report_id, f.id, c.value, {_COMPACT_RAW_SQL}, CASE WHEN c.value IS NULL THEN c.kind END
FROM cells c JOIN fields f ON f.key = c.key""")
    db.execute("DROP TABLE cells")  # and its (key, value) index
    db.execute("CREATE INDEX idx_cells_compact_field_value ON cells_compact (field_id, value)")


@migrations(name="007_canned_query_covering_indexes")
def _covering_indexes(db: sqlite_utils.Database) -> None:
    # The aggregate canned queries read a few headline columns of every report; the reports rows
    # also hold the full text, so a scan of them reads the whole corpus. Each of these indexes
    # holds every column its query reads (a "covering" index): the query reads the index only.
    # Measured on 50,000 reports: outcome_shares 0.15 → 0.006 s, applications_by_province_year
    # 0.07 → 0.007 s, top_agencies 0.04 → 0.016 s.
    db["reports"].create_index(  # outcome_shares (GROUP BY year)
        ["year", "province", "results_total", "granted", "partially_granted", "withheld",
         "not_held"], index_name="idx_reports_year_outcomes", if_not_exists=True)
    db["reports"].create_index(  # applications_by_province_year (format IN …, by province, year)
        ["format", "province", "year", "level", "applications_received", "granted",
         "partially_granted", "withheld", "not_held", "results_total"],
        index_name="idx_reports_format_outcomes", if_not_exists=True)
    db["reports"].create_index(  # top_agencies (GROUP BY agency_id)
        ["agency_id", "year", "province", "applications_received", "agency", "level"],
        index_name="idx_reports_agency_received", if_not_exists=True)


# The ordering of the lost_cases canned query (corpus/publish.py), which its index must repeat
# word for word for SQLite to read the index in order instead of sorting every match.
LOST_CASES_ORDER = "coalesce(review_corrected, 0) + coalesce(litigation_corrected, 0)"
LOST_CASES_WHERE = "(review_corrected > 0 OR litigation_corrected > 0)"
# The reports broken_rules lists (an error-level check fails): its index holds only them.
# (checks_failed, not checks_passed = 0: SQLite would take the checks_passed facet index.)
FAILING_REPORTS_WHERE = "checks_failed > 0"


@migrations(name="008_bounded_search_and_sorts")
def _bounded_search_and_sorts(db: sqlite_utils.Database) -> None:
    # 1. The table search box is served by the nianbao Datasette plugin, which bounds the work of
    #    a word found in every report (corpus/plugins/nianbao_datasette.py). Datasette attaches
    #    its own, unbounded search clause to any table whose FTS index names it as
    #    content="reports" (double quotes); the same index declared content='reports' is
    #    identical to SQLite but left to the plugin. Same name and columns: the triggers of 003
    #    and Corpus.fresh_build()'s 'rebuild' keep working.
    db.execute("DROP TABLE IF EXISTS reports_fts")
    db.execute("CREATE VIRTUAL TABLE reports_fts USING fts5(title, agency, full_text, "
               "tokenize='trigram', content='reports')")
    db.execute("INSERT INTO reports_fts (reports_fts) VALUES ('rebuild')")
    #    The agencies' search box too: the plugin lets a two-character word (东区) match a name,
    #    which a trigram index cannot. Its triggers (004) keep working the same way.
    db.execute("DROP TABLE IF EXISTS agencies_fts")
    db.execute("CREATE VIRTUAL TABLE agencies_fts USING fts5(name, tokenize='trigram', "
               "content='agencies')")
    db.execute("INSERT INTO agencies_fts (agencies_fts) VALUES ('rebuild')")
    # 2. The reports table is shown newest first (ORDER BY year DESC, id): an index in exactly
    #    that order lets a page stop after its 50 rows instead of sorting every (matching) report.
    #    Datasette's first page orders by year alone and its next pages by (year, id): the
    #    ascending index of 002 read backwards gives id descending within a year, so it goes
    #    (year filters and facets use this one as well), and no other index may start with year
    #    but the covering one of 007, which SQLite does not take for a page of whole rows.
    db.execute("CREATE INDEX IF NOT EXISTS idx_reports_year_desc ON reports (year DESC)")
    db.execute("DROP INDEX IF EXISTS idx_reports_year")
    # The dashboard's applications by year read every report's row through the year index;
    # this one holds all that chart reads (and replaces the one-column index of 002).
    db.execute("CREATE INDEX IF NOT EXISTS idx_reports_received_year ON reports "
               "(applications_received, year)")
    db.execute("DROP INDEX IF EXISTS idx_reports_applications_received")
    # 3. lost_cases: its few matching reports in its own order, with the columns its filters
    #    read, so its LIMIT stops early and no report row is read but those shown.
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_reports_lost_cases ON reports "
               f"({LOST_CASES_ORDER} DESC, year DESC, province) WHERE {LOST_CASES_WHERE}")
    # 4. broken_rules: the reports with a failing check, newest first, so that the query walks
    #    them in its order and stops at its LIMIT instead of sorting every failed check (a real
    #    corpus has millions).
    db.execute("CREATE INDEX IF NOT EXISTS idx_reports_failing ON reports "
               f"(year DESC, agency, province) WHERE {FAILING_REPORTS_WHERE}")


@migrations(name="009_cell_values_one_row_per_report")
def _cell_values(db: sqlite_utils.Database) -> None:
    # ~200 rows per report in cells_compact made a load write 200 b-tree entries and sort 200
    # (field_id, value) index entries per report: most of a load's time and of the database's
    # size. A report's figures are now one row of cell_values (one column per key, added by
    # sync_codebook), what a figure alone does not say (its printed text, an empty cell's kind)
    # rows of cell_notes for the few cells that need one; the cells view gives back the long
    # rows. Measured on 20,000 reports: writing the cells 0.2 → 0.02 ms per report.
    keys = [k for (k,) in db.execute("SELECT key FROM fields WHERE id IS NOT NULL ORDER BY id")]
    db.execute(cell_values_table_sql(keys))
    db.execute("""CREATE TABLE cell_notes (
   report_id INTEGER NOT NULL REFERENCES reports(id),
   field_id INTEGER NOT NULL REFERENCES fields(id),
   value_raw TEXT,
   kind TEXT,
   PRIMARY KEY (report_id, field_id)
) WITHOUT ROWID""")
    if "cells_compact" not in db.table_names():
        return
    for (view,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
        db.execute(f'DROP VIEW "{view}"')  # recreated from code by ensure_views
    ids = dict(db.execute("SELECT key, id FROM fields WHERE id IS NOT NULL").fetchall())
    if keys:  # one pass over cells_compact in its (report_id, field_id) order
        columns = ", ".join(quote_name(k) for k in keys)
        pivots = ", ".join(f"max(CASE field_id WHEN {ids[k]} THEN value END)" for k in keys)
        db.execute(f"INSERT INTO cell_values (report_id, {columns}) "
                   f"SELECT report_id, {pivots} FROM cells_compact GROUP BY report_id")
    db.execute("INSERT INTO cell_notes (report_id, field_id, value_raw, kind) "
               "SELECT report_id, field_id, value_raw, kind FROM cells_compact "
               "WHERE value IS NULL OR value_raw IS NOT NULL")
    db.execute("DROP TABLE cells_compact")  # and its (field_id, value) index


@migrations(name="010_facet_counts")
def _facet_counts(db: sqlite_utils.Database) -> None:
    # A table page counts each of its facets over the whole table: an index scan per facet,
    # linear in the corpus (at a million reports ~0.2 s each, past facet_time_limit_ms on a slow
    # machine, and the checks table holds ~50 rows per report). The unfiltered counts are kept
    # here instead, by triggers, so that every writer (store, bulk, reparse, nightly) keeps them
    # exact in its own transaction; the nianbao_facets plugin reads them. A later migration that
    # recreates a counted table must call create_facet_count_triggers again.
    db.execute("""CREATE TABLE facet_counts (
   table_name TEXT NOT NULL,
   column_name TEXT NOT NULL,
   value NOT NULL,  -- no type: kept as stored (format "2021" stays text)
   n INTEGER NOT NULL,
   PRIMARY KEY (table_name, column_name, value)
) WITHOUT ROWID""")
    create_facet_count_triggers(db)
    refill_facet_counts(db)


@migrations(name="011_drop_redundant_checks_index")
def _drop_redundant_checks_index(db: sqlite_utils.Database) -> None:
    # (passed, rule) of 002 answers every look-up the one-column passed index did, and the
    # checks page's facets now come from facet_counts: one index fewer on the largest table
    # (~50 rows per report) to write and to store.
    db.execute("DROP INDEX IF EXISTS idx_checks_passed")


def facet_count_triggers(table: str, columns: list[str]) -> dict[str, str]:
    """The triggers (name → CREATE statement) that keep ``table``'s facet counts exact.

    >>> sorted(facet_count_triggers("errors", ["kind"]))
    ['facet_counts_errors_ad', 'facet_counts_errors_ai', 'facet_counts_errors_au_kind']
    """
    def add(column: str, row: str, step: str) -> str:
        return (f"INSERT INTO facet_counts (table_name, column_name, value, n) "
                f"SELECT '{table}', '{column}', {row}.{quote_name(column)}, {step} "
                f"WHERE {row}.{quote_name(column)} IS NOT NULL "
                f"ON CONFLICT (table_name, column_name, value) DO UPDATE SET n = n + {step};")
    def remove(column: str) -> str:  # a value no row holds any more has no count row
        return (add(column, "old", "-1") + f" DELETE FROM facet_counts WHERE table_name = "
                f"'{table}' AND column_name = '{column}' AND value = old.{quote_name(column)} "
                "AND n <= 0;")
    name = f"facet_counts_{table}"
    triggers = {
        f"{name}_ai": f"CREATE TRIGGER {name}_ai AFTER INSERT ON {quote_name(table)} BEGIN "
                      + " ".join(add(c, "new", "1") for c in columns) + " END",
        f"{name}_ad": f"CREATE TRIGGER {name}_ad AFTER DELETE ON {quote_name(table)} BEGIN "
                      + " ".join(remove(c) for c in columns) + " END"}
    for c in columns:  # one per column: an update of another column costs nothing
        triggers[f"{name}_au_{c}"] = (
            f"CREATE TRIGGER {name}_au_{c} AFTER UPDATE OF {quote_name(c)} ON {quote_name(table)} "
            f"WHEN old.{quote_name(c)} IS NOT new.{quote_name(c)} BEGIN "
            f"{remove(c)} {add(c, 'new', '1')} END")
    return triggers


def create_facet_count_triggers(db: sqlite_utils.Database) -> None:
    for table, columns in COUNTED_FACETS.items():
        for sql in facet_count_triggers(table, columns).values():
            db.execute(sql)


def refill_facet_counts(db: sqlite_utils.Database, tables: list[str] | None = None) -> None:
    """Count the facets of ``tables`` (default: all counted) afresh: one GROUP BY per column."""
    for table in tables or list(COUNTED_FACETS):
        db.execute("DELETE FROM facet_counts WHERE table_name = ?", [table])
        for column in COUNTED_FACETS[table]:
            db.execute(f"INSERT INTO facet_counts (table_name, column_name, value, n) "
                       f"SELECT ?, ?, {quote_name(column)}, count(*) FROM {quote_name(table)} "
                       f"WHERE {quote_name(column)} IS NOT NULL GROUP BY 3", [table, column])


def quote_name(name: str) -> str:
    """A column or table name as an SQL identifier (cell keys hold dots)."""
    return '"' + name.replace('"', '""') + '"'


def cell_values_table_sql(keys: list[str]) -> str:
    """``CREATE TABLE cell_values`` with one column per key, in this order.

    The columns have no type (no affinity): a count stays an integer, an amount a decimal.
    """
    columns = "".join(f",\n   {quote_name(k)}" for k in keys)
    return ("CREATE TABLE cell_values (\n   report_id INTEGER PRIMARY KEY REFERENCES reports(id)"
            f"{columns}\n)")


# In migration 006: the printed text is dropped when it is exactly the stored integer.
_COMPACT_RAW_SQL = ("CASE WHEN typeof(c.value) = 'integer' AND c.value_raw = CAST(c.value AS TEXT) "
                    "THEN NULL ELSE c.value_raw END")


def _value_of(columns: list[tuple[int, str]]) -> str:
    """SQL for the value of cell ``f.id`` in the cell_values row ``v``: a binary search on the id
    (8 comparisons for 229 keys; a flat CASE makes the unpivot twice as slow)."""
    if not columns:
        return "NULL"
    if len(columns) == 1:
        return f"v.{quote_name(columns[0][1])}"
    mid = len(columns) // 2
    return (f"CASE WHEN f.id < {columns[mid][0]} THEN {_value_of(columns[:mid])} "
            f"ELSE {_value_of(columns[mid:])} END")


def cells_view_sql(columns: list[tuple[int, str]]) -> str:
    """The long cells, as they were before migration 006: (report_id, key, table, row, col,
    value, value_raw, kind), one row per cell of a report — a figure of cell_values or a note of
    cell_notes. A report's cells are one primary-key look-up; a filter on key reads one column
    of every report.

    :param columns: (fields.id, key) of every cell_values column, in id order
    """
    value = _value_of(columns)
    # The notes are looked up only where needed (a cell without a value, and the rows shown):
    # a LEFT JOIN looked one up for every report and key, and made counting a key 2x slower.
    note = "FROM cell_notes n WHERE n.report_id = v.report_id AND n.field_id = f.id"
    return f"""SELECT v.report_id, f.key, f."table", f.row, f.col, {value} AS value,
       coalesce((SELECT n.value_raw {note}), CAST({value} AS TEXT)) AS value_raw,
       coalesce((SELECT n.kind {note}), CASE WHEN {value} = 0 THEN 'zero' ELSE 'number' END)
         AS kind
FROM cell_values v JOIN fields f
WHERE {value} IS NOT NULL OR EXISTS (SELECT 1 {note})"""


def _wide_view_sql() -> str:
    """One row per report, one column per cell key (fields.csv order) — for pandas and R."""
    ident = ["r.id AS report_id", "r.agency", "r.year", "r.format", "r.title",
             "r.published_date", "r.region_code", "r.province", "r.prefecture", "r.county",
             "r.level", "r.checks_passed", "r.source_url", "r.page_url", "r.document_sha256"]
    cols = [f"v.{quote_name(f.key)}" for f in all_fields()]
    return ("SELECT " + ",\n  ".join(ident + cols)
            + "\nFROM reports r LEFT JOIN cell_values v ON v.report_id = r.id")


# name → (description, SQL); the SQL of cells is built from the codebook (cells_view_sql).
VIEWS: dict[str, tuple[str, str]] = {
    "cells": (
        "Every table cell of every report, one row per cell (long format), with the printed "
        "text and its kind.", ""),
    "failed_checks": (
        "Every failed check with its report and agency: what a journalist browses.",
        """SELECT checks.report_id, reports.agency, reports.year, reports.province, checks.name,
       checks.rule, checks.scope, checks.severity, checks.detail, reports.source_url
FROM checks JOIN reports ON reports.id = checks.report_id
WHERE checks.passed = 0"""),
    "changed_figures": (
        "Figures that changed between versions of a report (history by hashes).",
        """SELECT cell_changes.report_id, reports.agency, reports.year, cell_changes.version,
       cell_changes.key, fields.label_zh, cell_changes.old_value, cell_changes.new_value,
       cell_changes.changed_at
FROM cell_changes JOIN reports ON reports.id = cell_changes.report_id
LEFT JOIN fields ON fields.key = cell_changes.key"""),
}


def ensure_views(db: sqlite_utils.Database) -> None:
    """(Re)create the views when their SQL changed (they are code, not data)."""
    columns = [(i, k) for i, k in db.execute("SELECT id, key FROM fields ORDER BY id")]
    wanted = {"reports_wide": _wide_view_sql(), **{k: v[1] for k, v in VIEWS.items()},
              "cells": cells_view_sql(columns)}
    existing = {row[0]: row[1] for row in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall()}
    for name, sql in wanted.items():
        if name not in existing or sql not in existing[name]:
            db.create_view(name, sql, replace=True)


def sync_codebook(db: sqlite_utils.Database) -> None:
    """Write the ``fields`` table from fields.csv (upsert: unchanged rows stay as they are)."""
    current = {r["key"]: r for r in db["fields"].rows}
    next_id = 1 + max((r["id"] or 0 for r in current.values()), default=0)
    ids: dict[str, int] = {}
    for f in all_fields():  # a key keeps its id forever: cell_notes refers to it
        known = current.get(f.key, {}).get("id")
        if known:
            ids[f.key] = known
        else:
            ids[f.key], next_id = next_id, next_id + 1
    rows = [{"key": f.key, "id": ids[f.key], "table": f.table, "row": f.row, "col": f.col, "format": f.format,
             "label_zh": f.label_zh, "row_label_zh": f.row_label_zh,
             "col_label_zh": f.col_label_zh, "label_en": f.label_en, "unit": f.unit,
             "unit_en": f.unit_en} for f in all_fields()]
    changed = [r for r in rows if current.get(r["key"]) != r]
    if changed:
        db["fields"].upsert_all(changed, pk="key")
    _sync_value_columns(db)


def _sync_value_columns(db: sqlite_utils.Database) -> None:
    """Give cell_values a column for every key of the codebook (a new key: a new column)."""
    have = {c.name for c in db["cell_values"].columns}
    keys = [k for (k,) in db.execute("SELECT key FROM fields ORDER BY id")]
    missing = [k for k in keys if k not in have]
    if not missing:
        return
    if db.execute("SELECT 1 FROM cell_values LIMIT 1").fetchone() is None:
        # A new corpus: one CREATE instead of 229 ALTERs (each re-reads the schema).
        db.execute("DROP TABLE cell_values")
        db.execute(cell_values_table_sql(keys))
        return
    for key in missing:
        db.execute(f"ALTER TABLE cell_values ADD COLUMN {quote_name(key)}")


def schema_state(path: str | Path) -> tuple[bool, list[str]]:
    """(is it a nianbao corpus, the migrations it still needs), read without writing.

    A corpus records its migrations in ``_sqlite_migrations`` (set ``nianbao``); a file built
    by an older version lacks the newer ones (``nianbao serve`` and ``export`` upgrade it first).
    """
    conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        db = sqlite_utils.Database(conn)
        if not db[migrations.migrations_table].exists():
            return False, []
        applied = {m.name for m in migrations.applied(db)}
        return bool(applied), [m.name for m in migrations.pending(db)]
    finally:
        conn.close()


class NewerCorpus(Exception):
    """The file records migrations this code does not have: a newer nianbao wrote it."""

    def __init__(self, newer: list[str], path: str = "the corpus"):
        super().__init__(f"{path} was written by a newer nianbao (migrations "
                         f"{', '.join(newer)} unknown here): upgrade nianbao to use it")


def unknown_migrations(applied: list[str]) -> list[str]:
    """Of the migration names a file records, those this code does not have (a newer
    nianbao's corpus: written to by this code, it could be spoilt)."""
    known = {m.name for m in migrations._migrations}
    return [name for name in applied if name not in known]


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Apply pending migrations, then refresh the codebook and the views.

    :raises NewerCorpus: a newer nianbao's corpus (written to by this code, it could be spoilt)
    """
    newer = unknown_migrations([m.name for m in migrations.applied(db)])
    if newer:
        raise NewerCorpus(newer)
    migrations.apply(db)
    with db.atomic():
        sync_codebook(db)
        ensure_views(db)
