"""Red team of the published corpus, round 6 (docs/redteam-datasette.md): a journalist on the
page of one report and its years, a Chinese Excel user downloading a table, the dashboard's
table of agencies fed a hostile name and its chart of years with a gap.

The real Datasette app (its test client, with the project's plugins) over a real corpus file of
synthetic reports; every expected value is read independently from the same file with plain SQL.
"""

from __future__ import annotations

import asyncio
import html
import io
import re
import sqlite3

import pandas as pd
import pytest

from corpus.publish import build_metadata
from corpus.serve import make_datasette
from corpus.store import Corpus
from corpus.synthetic import make_report, report_html
from tests.corpus_env import store_synthetic

SC_SITE = "http://www.scxx.gov.cn/"
GD_SITE = "http://www.gdth.gov.cn/"
EDU = "某县教育局"
GAP = "广州市天河区统计局"  # 2021 and 2023, no 2022
EVIL = '某县<img src=x onerror="alert(1)">&局'


def _store(corpus: Corpus, report: dict, site: str, n: str) -> None:
    corpus.store_document(data=report_html(report), url=f"{site}nb/{n}.html",
                          content_type="text/html; charset=utf-8", status=200, headers={},
                          fetched_at=f"{report['year'] + 1}-02-01T08:00:00Z", page_url=None,
                          site_url=site, parsed=report)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("redteam_ds2") / "corpus.db"
    corpus = Corpus(path)
    corpus.ensure_site(name="某县人民政府", url=SC_SITE, region_code="510402", level="county")
    corpus.ensure_site(name="天河区人民政府", url=GD_SITE, region_code="440106", level="county")
    r2021 = make_report(EDU, 2021)
    r2022 = make_report(EDU, 2022, previous=r2021)
    r2023 = make_report(EDU, 2023, previous=r2022)
    # 2023 carries over 2 more applications than 2022 carried forward (natural persons): the
    # report itself still balances (its carried-forward grows by as much).
    for row in ("carried_over", "carried_forward"):
        for col in ("natural_person", "total"):
            r2023["requests"][row][col] += 2
            r2023["cells_raw"][f"requests.{row}.{col}"] = str(r2023["requests"][row][col])
    for n, report in enumerate((r2021, r2022, r2023)):
        _store(corpus, report, SC_SITE, f"edu{n}")
    store_synthetic(corpus, GAP, [2021], GD_SITE, host="www.gdth.gov.cn")
    _store(corpus, make_report(GAP, 2023), GD_SITE, "gap2023")
    _store(corpus, make_report(EVIL, 2022), SC_SITE, "evil")
    corpus.close()
    return path


@pytest.fixture(scope="module")
def ds(corpus_db):
    return make_datasette(corpus_db)


def get(ds, path, **kwargs):
    return asyncio.run(ds.client.get(path, **kwargs))


def sql(db, query, *args):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


def report_id(db, agency, year):
    return sql(db, "SELECT id FROM reports WHERE agency = ? AND year = ?", agency, year)[0][0]


def hrefs(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', page)]


# --- the page of one report -----------------------------------------------------------------

def test_failed_cross_year_check_shows_its_figures_and_last_years_report(ds, corpus_db):
    rid, prev = report_id(corpus_db, EDU, 2023), report_id(corpus_db, EDU, 2022)
    failed = sql(corpus_db, "SELECT name, detail FROM checks WHERE report_id = ? AND passed = 0 "
                 "ORDER BY name", rid)
    assert [n for n, _ in failed] == ["carryover:natural_person", "carryover:total"]
    page = get(ds, f"/corpus/reports/{rid}").text
    box = page.split("未通过的校验 failed checks", 1)[1].split("</ul>", 1)[0]
    for name, detail in failed:
        assert name in box and detail in html.unescape(box)
    # The previous year's report, by a link, with the figure the check compared.
    assert f"/corpus/reports/{prev}" in hrefs(box)
    zh, en = sql(corpus_db, "SELECT label_zh, label_en FROM fields "
                            "WHERE key = 'requests.carried_forward.total'")[0]
    carried_forward = sql(corpus_db, "SELECT value FROM cells WHERE report_id = ? "
                          "AND key = 'requests.carried_forward.total'", prev)[0][0]
    assert f"{zh} <span lang=\"en\">({en})</span> = {carried_forward}" in html.unescape(box)
    # In the table of every figure, the two figures the checks name are marked.
    marked = re.findall(r'<tr class="nianbao-failed-figure">(.*?)</tr>', page, re.S)
    keys = sorted(re.search(r"<code>(requests\.[\w.]+)</code></td>$", m).group(1)
                  for m in marked)
    assert keys == ["requests.carried_over.natural_person", "requests.carried_over.total"]
    # A report whose checks all pass shows no such box.
    assert "未通过的校验" not in get(ds, f"/corpus/reports/{prev}").text


def test_report_page_lists_every_figure_in_chinese_and_english(ds, corpus_db):
    rid = report_id(corpus_db, EDU, 2022)
    page = html.unescape(get(ds, f"/corpus/reports/{rid}").text)
    figures = sql(corpus_db, "SELECT f.label_zh, f.label_en, c.value, c.key FROM cells c "
                  "JOIN fields f ON f.key = c.key WHERE c.report_id = ?", rid)
    assert len(figures) > 100
    table = page.split("全部数字 every figure", 2)[2]
    for zh, en, value, key in figures:
        shown = "—" if value is None else (f"{value:g}" if isinstance(value, float) else value)
        assert re.search(rf"<td>{re.escape(zh)}</td><td>{re.escape(en)}</td>"
                         rf"<td class=\"n\">{re.escape(str(shown))}</td>", table), key


def test_report_page_links_the_agencys_other_years(ds, corpus_db):
    """A year missing from the corpus is missing from the links: 2021 · 2023."""
    ids = {y: report_id(corpus_db, GAP, y) for y in (2021, 2023)}
    page = get(ds, f"/corpus/reports/{ids[2023]}").text
    years = page.split('class="nianbao-years"', 1)[1].split("</p>", 1)[0]
    assert f'<a href="/corpus/reports/{ids[2021]}">2021</a>' in years
    assert "<strong>2023</strong>" in years and "2022" not in years
    assert any(h.startswith("/corpus/agency_reports?agency=") for h in hrefs(years))


# --- a CSV Excel opens right ----------------------------------------------------------------

def _export_links(page: str) -> dict[str, str]:
    para = re.search(r'<p class="export-links">(.*?)</p>', page, re.S).group(1)
    return {text: html.unescape(href)
            for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', para)}


@pytest.mark.parametrize("page", ["/corpus/reports?province=%E5%9B%9B%E5%B7%9D%E7%9C%81",
                                  "/corpus/agency_reports?agency=%E6%95%99%E8%82%B2%E5%B1%80"])
def test_excel_link_gives_the_csv_with_a_bom(ds, page):
    links = _export_links(get(ds, page).text)
    assert {"json", "excel", "CSV"} <= set(links)
    plain, excel = get(ds, links["CSV"]), get(ds, links["excel"])
    assert excel.status_code == 200 and excel.headers["content-type"].startswith("text/csv")
    name = page.split("?")[0].rsplit("/", 1)[1] + ".csv"
    assert excel.headers["content-disposition"].startswith(f'attachment; filename="{name}"')
    assert excel.content == b"\xef\xbb\xbf" + plain.content   # the same rows, BOM first
    assert not plain.content.startswith(b"\xef\xbb\xbf")      # the plain CSV is unchanged
    frame = pd.read_csv(io.BytesIO(excel.content), encoding="utf-8-sig")
    pd.testing.assert_frame_equal(frame, pd.read_csv(io.BytesIO(plain.content)))
    assert len(frame) > 0 and "局" in excel.content.decode("utf-8-sig")  # Chinese, intact


def test_excel_streams_every_row_and_is_not_offered_on_a_row(ds, corpus_db):
    cells = sql(corpus_db, "SELECT count(*) FROM cells")[0][0]
    assert cells > 1000  # more than one page of Datasette's max_returned_rows
    excel = get(ds, "/corpus/cells.excel?_stream=on")
    assert excel.status_code == 200 and excel.content.startswith(b"\xef\xbb\xbf")
    assert len(pd.read_csv(io.BytesIO(excel.content), encoding="utf-8-sig")) == cells
    rid = report_id(corpus_db, EDU, 2022)
    assert "excel" not in _export_links_row(get(ds, f"/corpus/reports/{rid}").text)


def _export_links_row(page: str) -> str:
    return re.search(r"<p>This data as (.*?)</p>", page, re.S).group(1)


# --- the dashboard --------------------------------------------------------------------------

def _chart_sql(chart: str) -> str:
    return build_metadata()["plugins"]["datasette-dashboards"]["nianbao"]["charts"][chart]["query"]


def test_dashboard_agency_table_escapes_names_and_links_the_agency(ds, corpus_db):
    """datasette-dashboards writes a table chart's values into the page as HTML (innerHTML):
    an agency name from a crawled document must arrive as text."""
    query = re.sub(r"\[\[.*?\]\]", "", _chart_sql("top-agencies"))
    rows = get(ds, "/corpus.json", params={"sql": query, "_shape": "array"}).json()
    agencies = dict(sql(corpus_db, "SELECT name, id FROM agencies"))
    assert EVIL in agencies
    cell = next(r["机关"] for r in rows if "onerror" in r["机关"])
    assert "<img" not in cell and html.escape(EVIL, quote=True) in cell
    assert cell.startswith(f'<a href="/corpus/agencies/{agencies[EVIL]}">')
    page = get(ds, f"/corpus/agencies/{agencies[EVIL]}")
    assert page.status_code == 200 and EVIL in html.unescape(page.text)
    assert "<img src=x" not in page.text


def test_dashboard_years_keep_a_year_without_reports(ds, corpus_db):
    query = _chart_sql("applications-by-year")
    query = query.replace("[[ AND province = :province ]]", "")
    query = re.sub(r"\[\[ (.*?) \]\]", r"\1", query)  # the agency filter, set
    rows = get(ds, "/corpus.json", params={"sql": query, "agency": GAP,
                                           "_shape": "array"}).json()
    expected = dict(sql(corpus_db, "SELECT year, sum(applications_received) FROM reports "
                        "WHERE agency = ? GROUP BY year", GAP))
    assert [(r["year"], r["applications"]) for r in rows] == [
        (2021, expected[2021]), (2022, None), (2023, expected[2023])]


def test_dashboard_charts_give_rows_for_their_no_data_note(ds):
    """An agency box matching nothing: the charts' "无数据 no data" layer counts the valid
    values of the rows it gets (Vega draws nothing at all for no rows): one null year, five
    null outcomes."""
    charts = build_metadata()["plugins"]["datasette-dashboards"]["nianbao"]["charts"]
    for chart, field, expected in (("applications-by-year", "year", [None]),
                                   ("outcome-shares", "n", [None] * 5),
                                   ("applications-by-province", "province", [None])):
        query = charts[chart]["query"].replace("[[ AND province = :province ]]", "")
        query = re.sub(r"\[\[ (.*?) \]\]", r"\1", query)
        rows = get(ds, "/corpus.json", params={"sql": query, "agency": "不存在的机关",
                                               "_shape": "array"}).json()
        assert [r[field] for r in rows] == expected, chart
        note = charts[chart]["display"]["layer"][-1]
        assert note["mark"]["text"] == "无数据 no data"
        assert note["transform"][0]["joinaggregate"][0] == {"op": "valid", "field": field,
                                                            "as": "valid"}


# --- the journalist's way, by clicking ------------------------------------------------------

def _link(page: str, text: str) -> str:
    """The href of the link whose text starts with ``text`` (what a reader clicks)."""
    for href, label in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', page, re.S):
        if re.sub(r"<[^>]+>", "", label).strip().startswith(text):
            return html.unescape(href)
    raise AssertionError(f"no link {text!r}")


def test_journalist_reaches_last_years_figures_and_the_archived_copy_by_clicking(ds, corpus_db):
    """Home → 找机关 → (types the name in the search box) → the agency → its reports → the
    2023 report → its failed check → the 2022 report → the original URL and archived copy.
    Every step is a link on the page before it; nothing is typed into the address bar."""
    home = get(ds, "/").text
    agencies = get(ds, _link(home, "找机关"))
    form = re.search(r'<form[^>]*action="([^"]*)"[^>]*>.*?name="_search"', agencies.text, re.S)
    found = get(ds, html.unescape(form.group(1)), params={"_search": EDU}).text
    agency_id = sql(corpus_db, "SELECT id FROM agencies WHERE name = ?", EDU)[0][0]
    assert _link(found, EDU) == f"/corpus/agencies/{agency_id}"  # the name, not only the id
    agency = get(ds, _link(found, EDU)).text
    years = get(ds, _link(agency, "历年年报与数字")).text
    r2023, r2022 = report_id(corpus_db, EDU, 2023), report_id(corpus_db, EDU, 2022)
    assert _link(years, "2023") == f"/corpus/reports/{r2023}"  # the year leads to its report
    report = get(ds, _link(years, "2023")).text
    previous = get(ds, _link(report, "上年年报")).text
    assert "<strong>2022</strong>" in previous
    source, sha = sql(corpus_db, "SELECT source_url, document_sha256 FROM reports WHERE id = ?",
                      r2022)[0]
    assert source in hrefs(previous)
    raw = get(ds, _link(previous, "/-/raw/"))
    stored = sql(corpus_db, "SELECT url FROM documents WHERE sha256 = ?", sha)[0][0]
    assert raw.status_code == 200 and EDU.encode() in raw.content and stored == source


def test_top_agencies_names_link_their_agency(ds, corpus_db):
    page = get(ds, "/corpus/top_agencies").text
    for name, agency_id in sql(corpus_db, "SELECT name, id FROM agencies"):
        assert f'<a href="/corpus/agencies/{agency_id}">{html.escape(name, quote=False)}' in \
            page.replace("&#34;", '"'), name


def test_every_check_names_figures_of_the_codebook(corpus_db):
    """Each check the parser and the corpus make is placed beside real cells (a misspelt key
    would mark nothing): every key it names is a field, and each names at least one."""
    from corpus.crosschecks import TEXT_FIGURES, compare_years
    from corpus.plugins.nianbao_report import named_keys
    from parsers.checks import run_checks

    fields = {k for (k,) in sql(corpus_db, "SELECT key FROM fields")}
    names = set()
    for fmt, year in (("2021", 2022), ("2019", 2020)):
        report = make_report(EDU, year, fmt=fmt)
        tables = {t: report[t] for t in ("active", "requests", "review_litigation")}
        for printed in (set(report["requests"]), set(report["requests"]) | {"other_handling"}):
            names |= {c["name"] for c in run_checks(tables, printed, fmt)}
        cells = {k: 1 for k in fields}
        names |= {c["name"] for c in compare_years(cells, fmt, cells, fmt)}
    names |= {f"text_figure:{what}" for what, _, keys in TEXT_FIGURES if keys}
    assert {n.split(":")[0] for n in names} >= {
        "requests_balance", "requests_row_total", "requests_results_total", "carryover",
        "requests_other_split", "review_litigation_total", "in_force_continuity",
        "items_continuity", "text_figure"}
    for name in sorted(names):
        this, previous = named_keys(name, sorted(fields))
        assert this and set(this + previous) <= fields, name


def test_home_page_leads_to_provinces_compared_year_by_year(ds, corpus_db):
    page = get(ds, _link(get(ds, "/").text, "各省各年对比")).text
    expected = sql(corpus_db, "SELECT province, year, count(*) FROM reports "
                   "GROUP BY province, year ORDER BY province, year")
    assert {p for p, _, _ in expected} == {"四川省", "广东省"}
    shown = re.findall(r'<td class="col-province[^"]*">([^<]*)</td>\s*'
                       r'<td class="col-year[^"]*">(?:<a [^>]*>)?(\d+)', page)
    assert [(p, int(y)) for p, y in shown] == [(p, y) for p, y, _ in expected]


def test_agency_page_compares_its_years(ds, corpus_db):
    """The agency's own reports (not every agency whose name contains it), year by year, with
    their headline figures and a link to each report: two years side by side, no query."""
    agency_id = sql(corpus_db, "SELECT id FROM agencies WHERE name = ?", EDU)[0][0]
    page = get(ds, f"/corpus/agencies/{agency_id}").text
    table = page.split('class="nianbao-agency-years"', 1)[1].split("</table>", 1)[0]
    rows = sql(corpus_db, "SELECT id, year, applications_received, granted FROM reports "
               "WHERE agency_id = ? ORDER BY year", agency_id)
    shown = re.findall(r'<td><a href="/corpus/reports/(\d+)">(\d+)</a></td><td>(\d+)</td>'
                       r"<td>(\d+)</td>", table)
    assert [tuple(map(int, r)) for r in shown] == rows
    assert "✘ 2" in table  # 2023's two failed carryover checks


def test_report_page_queries_read_one_report_by_its_keys(corpus_db):
    """The page's extra queries look up one report (one agency), never scan an index of the
    whole corpus (the failed checks: not every failed check of a million reports)."""
    from corpus.plugins import nianbao_report as plugin

    conn = sqlite3.connect(f"file:{corpus_db}?mode=ro", uri=True)
    try:
        for query in (plugin._FIGURES_SQL, plugin._FAILED_SQL, plugin._YEARS_SQL,
                      plugin._AGENCY_YEARS_SQL):
            plan = [r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {query}", [1])]
            first = plan[0]
            assert first.startswith("SEARCH") and ("report_id=?" in first or "rowid=?" in first
                                                   or "agency_id=?" in first), (query, plan)
    finally:
        conn.close()


def test_dashboard_compares_provinces(ds, corpus_db):
    query = re.sub(r"\[\[.*?\]\]", "", _chart_sql("applications-by-province"))
    rows = get(ds, "/corpus.json", params={"sql": query, "_shape": "array"}).json()
    expected = sql(corpus_db, "SELECT province, sum(applications_received) FROM reports "
                   "WHERE province IS NOT NULL GROUP BY province ORDER BY 2 DESC")
    assert [(r["province"], r["applications"]) for r in rows] == expected
    assert {p for p, _ in expected} == {"四川省", "广东省"}
