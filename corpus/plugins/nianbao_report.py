"""Datasette plugin hook of nianbao: what the page of one report shows beyond its row.

Loaded by ``corpus.serve.make_datasette`` (``plugins_dir``) with the other nianbao plugins.
``extra_template_vars`` hands ``corpus/templates/_table-row-corpus-reports.html`` (the page
``/corpus/reports/<id>``) three lists, so a journalist sees on the page, without a query:

- ``nianbao_years``: the agency's reports year by year (links), this one marked;
- ``nianbao_failed``: the checks that failed, each with the figures it names (label in Chinese
  and English, value) and, for a cross-year check (上年结转 against last year's 结转下年度),
  a link to the previous year's report and its figure;
- ``nianbao_figures``: every figure of the report with its labels, unit, printed text, and the
  failed checks that name it beside it.

and the page of one agency (``_table-row-corpus-agencies.html``) ``nianbao_reports``: its
reports year by year with their headline figures, each year a link to its report.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

from corpus.crosschecks import TEXT_FIGURES, year_check_keys
from parsers.checks import check_keys

DB_NAME = "corpus"
_TEXT_KEYS = {what: list(keys) for what, _, keys in TEXT_FIGURES}

_FIGURES_SQL = """SELECT c.key, f.label_zh, f.label_en, c.value, f.unit, c.value_raw, c.kind
FROM cells c JOIN fields f ON f.key = c.key WHERE c.report_id = ? ORDER BY f.rowid"""
# "+passed": by the report's key, not the index of every failed check in the corpus.
_FAILED_SQL = """SELECT name, rule, scope, severity, detail FROM checks
WHERE report_id = ? AND +passed = 0 ORDER BY severity = 'warning', name"""
_YEARS_SQL = """SELECT id, year, format, checks_passed FROM reports
WHERE agency_id = ? ORDER BY year, id"""


def named_keys(name: str, keys: list[str]) -> tuple[list[str], list[str]]:
    """The cell keys a check names: (of this report, of the previous year's report) — the
    in-report rules' from ``parsers.checks.check_keys``, the cross-year ones' from their
    equations (``corpus.crosschecks``).

    :param name: the check's name (``rule:part``, e.g. ``carryover:total``)
    :param keys: the report's cell keys (only those are named: what the report printed)
    """
    if name in year_check_keys():
        return year_check_keys()[name]
    rule, _, part = name.partition(":")
    if rule == "text_figure":
        return _TEXT_KEYS.get(part, []), []
    return check_keys(name, set(keys)), []


async def report_vars(datasette: Any, rows: list[Any]) -> dict[str, Any]:
    """The three lists of the report page (empty when the page is not one report)."""
    empty: dict[str, Any] = {"nianbao_years": [], "nianbao_failed": [], "nianbao_figures": [],
                             "nianbao_previous": None}
    if len(rows) != 1:
        return empty
    report = rows[0]
    db = datasette.get_database(DB_NAME)
    rid = report["id"]
    figures = [dict(r) for r in (await db.execute(_FIGURES_SQL, [rid])).rows]
    by_key = {f["key"]: f for f in figures}
    years = []
    if report["agency_id"] is not None:
        years = [dict(r) for r in (await db.execute(_YEARS_SQL, [report["agency_id"]])).rows]
    previous = None
    if report["year"] is not None:
        previous = next((y for y in years if y["year"] == report["year"] - 1), None)
    prev_figures: dict[str, Any] = {}
    failed = [dict(r) for r in (await db.execute(_FAILED_SQL, [rid])).rows]
    if previous is not None and any(c["scope"] == "corpus" for c in failed):
        prev_figures = {r["key"]: dict(r) for r in
                        (await db.execute(_FIGURES_SQL, [previous["id"]])).rows}
    for check in failed:
        this_keys, prev_keys = named_keys(check["name"], list(by_key))
        check["figures"] = [by_key[k] for k in this_keys if k in by_key]
        check["previous"] = previous if check["scope"] == "corpus" else None
        check["previous_figures"] = [prev_figures[k] for k in prev_keys if k in prev_figures]
        for figure in check["figures"]:
            figure.setdefault("failed", []).append(check["name"])
    return {"nianbao_years": years, "nianbao_failed": failed, "nianbao_figures": figures,
            "nianbao_previous": previous}


_AGENCY_YEARS_SQL = """SELECT id, year, format, applications_received, granted,
  partially_granted, withheld, not_held, results_total, review_total, review_corrected,
  litigation_total, litigation_corrected, checks_passed, checks_failed, source_url, raw_url
FROM reports WHERE agency_id = ? ORDER BY year, id"""


async def agency_vars(datasette: Any, agency_id: int) -> dict[str, Any]:
    """``nianbao_reports``: the agency's reports year by year with their headline figures."""
    db = datasette.get_database(DB_NAME)
    rows = (await db.execute(_AGENCY_YEARS_SQL, [agency_id])).rows
    return {"nianbao_reports": [dict(r) for r in rows]}


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None,
                        view_name: str, request: Any, datasette: Any) -> Any:
    if view_name != "row" or database != DB_NAME or table not in ("reports", "agencies"):
        return None

    async def inner() -> dict[str, Any]:
        # The row page renders its rows before the template: read them again by primary key.
        pk = (request.url_vars or {}).get("pks", "") if request is not None else ""
        if table == "agencies":
            return await agency_vars(datasette, int(pk) if pk.isdigit() else -1)
        if not pk.isdigit():
            return await report_vars(datasette, [])
        db = datasette.get_database(DB_NAME)
        rows = (await db.execute("SELECT id, agency_id, year FROM reports WHERE id = ?",
                                 [int(pk)])).rows
        return await report_vars(datasette, list(rows))

    return inner
