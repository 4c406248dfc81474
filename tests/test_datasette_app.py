"""The published corpus: the real Datasette app (its own test client) over a corpus built by a
real crawl of the simulated government web. Every published figure is checked against an
independent computation from the ``cells`` table of the same file."""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
from urllib.parse import quote

import pytest

from corpus.publish import QUERIES, START_HERE, build_metadata
from corpus.serve import SETTINGS, make_datasette
from tests.corpus_env import crawled_corpus


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    return crawled_corpus(tmp_path_factory)


@pytest.fixture(scope="module")
def ds(crawled):
    return make_datasette(crawled["db"], immutable=True)


@pytest.fixture(scope="module")
def sql(crawled):
    conn = sqlite3.connect(f"file:{crawled['db']}?mode=ro", uri=True)
    yield lambda q, p=(): conn.execute(q, p).fetchall()
    conn.close()


def fetch(ds, *paths):
    async def go():
        return [await ds.client.get(p) for p in paths]
    responses = asyncio.run(go())
    return responses if len(paths) > 1 else responses[0]


def rows(ds, path):
    response = fetch(ds, path + ("&" if "?" in path else "?") + "_shape=objects")
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()["rows"]


def cell_sum(sql, key, where="1"):
    return sql(f"SELECT sum(c.value) FROM cells c JOIN reports r ON r.id = c.report_id "
               f"WHERE c.key = ? AND {where}", (key,))[0][0]


def test_the_crawl_built_a_corpus(crawled, sql):
    # How many of the web's reports a crawl finds is the crawler's tests' business (under heavy
    # CPU load some slow pages time out); here it must have found a good share of them.
    assert crawled["counts"]["reports"] >= len(crawled["truth"]) // 2
    assert sql("SELECT count(*) FROM reports")[0][0] == crawled["counts"]["reports"]
    # Every report's source is a URL of the simulated web's ground truth.
    truth_urls = {u for facts in crawled["truth"].values() for u in facts["urls"]}
    sources = [r[0] for r in sql("SELECT source_url FROM reports")]
    assert sources and all(u in truth_urls or quote(u, safe=":/?&=%") in truth_urls
                           or any(u == quote(t, safe=":/?&=%") for t in truth_urls)
                           for u in sources), sources


def test_pages_render_with_title_tables_and_queries(ds):
    index, database, reports, dashboard = fetch(ds, "/", "/corpus", "/corpus/reports",
                                                "/-/dashboards/nianbao")
    assert index.status_code == database.status_code == reports.status_code == 200
    assert "政府信息公开工作年度报告语料库" in index.text
    for name in QUERIES:
        assert f"/corpus/{name}" in database.text
    assert "reports_wide" in database.text
    assert dashboard.status_code == 200 and "applications-by-year" in dashboard.text


def test_home_page_starts_a_journalist_off_and_every_link_works(ds):
    index = fetch(ds, "/")
    links = re.findall(r'<a href="(/[^"]+)">([^<]+)</a> — ', index.text)
    assert [path for path, _ in links] == [path for path, _, _ in START_HERE]
    for path, _ in links:
        assert fetch(ds, path).status_code == 200, path
    assert "_memory" not in index.text  # only the corpus is served
    assert fetch(ds, "/_memory").status_code == 404


def test_reports_json_api_with_facets(ds, sql):
    data = fetch(ds, "/corpus/reports.json?_facet=province&_facet=year&_facet=level"
                     "&_facet=format&_facet=checks_passed&_size=max").json()
    assert data["filtered_table_rows_count"] == sql("SELECT count(*) FROM reports")[0][0]
    facets = data["facet_results"]
    assert set(facets) >= {"province", "year", "level", "format", "checks_passed"}
    years = {f["value"]: f["count"] for f in facets["year"]["results"]}
    assert years == dict(sql("SELECT year, count(*) FROM reports GROUP BY year"))
    # Facets configured in metadata show without asking.
    default = fetch(ds, "/corpus/reports.json").json()["facet_results"]
    shown = build_metadata()["databases"]["corpus"]["tables"]["reports"]["facets"]
    assert {f if isinstance(f, str) else next(iter(f.values())) for f in shown} <= set(default)


def test_report_page_links_to_original_and_archived_copy(ds, sql):
    rid, sha, source = sql("SELECT id, document_sha256, source_url FROM reports "
                           "ORDER BY id LIMIT 1")[0]
    page = fetch(ds, f"/corpus/reports/{rid}")
    assert page.status_code == 200
    assert f'href="{source}"' in page.text.replace("&amp;", "&")
    assert f'href="/-/raw/{sha}"' in page.text
    assert f"/corpus/report_figures?report_id={rid}" in page.text  # the report card template
    raw = fetch(ds, f"/-/raw/{sha}")
    assert raw.status_code == 200
    assert hashlib.sha256(raw.content).hexdigest() == sha
    assert raw.headers["content-type"].split(";")[0] == \
        sql("SELECT content_type FROM documents WHERE sha256 = ?", (sha,))[0][0].split(";")[0]
    assert raw.headers["content-security-policy"] == "sandbox"
    assert fetch(ds, "/-/raw/" + "0" * 64).status_code == 404


def test_cells_of_a_report_lead_back_to_it(ds, sql):
    rid = sql("SELECT id FROM reports WHERE format = '2021' ORDER BY id LIMIT 1")[0][0]
    figures = rows(ds, f"/corpus/report_figures.json?report_id={rid}")
    assert len(figures) == sql("SELECT count(*) FROM cells WHERE report_id = ?", (rid,))[0][0]
    by_key = {f["key"]: f for f in figures}
    total = by_key["requests.new_received.total"]
    assert total["value"] == sql("SELECT value FROM cells WHERE report_id = ? AND key = ?",
                                 (rid, "requests.new_received.total"))[0][0]
    assert total["label_zh"].startswith("一、本年新收") and total["unit"] == "件"
    assert total["raw_url"] == "/-/raw/" + sql("SELECT document_sha256 FROM reports WHERE id = ?",
                                               (rid,))[0][0]


def test_agency_reports_query(ds, sql):
    agency = sql("SELECT agency FROM reports GROUP BY agency ORDER BY count(*) DESC LIMIT 1")[0][0]
    part = agency[2:5]
    got = rows(ds, f"/corpus/agency_reports.json?agency={quote(part)}")
    expected = sql("SELECT agency, year FROM reports WHERE agency LIKE ? ORDER BY agency, year",
                   (f"%{part}%",))
    assert [(r["agency"], r["year"]) for r in got] == expected and expected
    for r in got:
        assert r["applications_received"] == sql(
            "SELECT c.value FROM cells c WHERE c.report_id = ? AND c.key = ?",
            (r["report_id"], "requests.new_received.total"))[0][0]


def test_applications_by_province_year_query(ds, sql):
    got = rows(ds, "/corpus/applications_by_province_year.json?province=&year=&level=")
    assert got
    for r in got:
        where = f"r.province = '{r['province']}' AND r.year = {r['year']}"
        assert r["received"] == cell_sum(sql, "requests.new_received.total", where)
        assert r["granted"] == cell_sum(sql, "requests.granted.total", where)
        assert r["not_held"] == cell_sum(sql, "requests.unavailable_not_held.total", where)
    year = got[0]["year"]
    one = rows(ds, f"/corpus/applications_by_province_year.json?year={year}&province=&level=")
    assert {r["year"] for r in one} == {year}


def test_top_agencies_query(ds, sql):
    got = rows(ds, "/corpus/top_agencies.json?year=&province=")
    expected = sql("SELECT r.agency_id, sum(c.value) FROM cells c JOIN reports r ON "
                   "r.id = c.report_id WHERE c.key = 'requests.new_received.total' "
                   "AND c.value IS NOT NULL GROUP BY r.agency_id ORDER BY 2 DESC")
    assert [r["received"] for r in got] == [e[1] for e in expected]
    assert got[0]["agency_id"] == expected[0][0]


def test_outcome_shares_query(ds, sql):
    got = rows(ds, "/corpus/outcome_shares.json?province=")
    assert got
    for r in got:
        where = f"r.year = {r['year']}"
        handled = cell_sum(sql, "requests.results_total.total", where)
        granted = cell_sum(sql, "requests.granted.total", where)
        assert r["handled"] == handled
        assert r["granted_pct"] == pytest.approx(round(100 * granted / handled, 1))


def test_broken_rules_query(ds, sql):
    got = rows(ds, "/corpus/broken_rules.json?rule=&province=")
    failed = sql("SELECT count(*) FROM checks WHERE passed = 0 AND severity = 'error'")[0][0]
    assert len(got) == failed > 0  # the sample web carries reports that break rules
    carry = rows(ds, "/corpus/broken_rules.json?rule=carryover&province=")
    assert carry and all(r["check_name"].startswith("carryover:") for r in carry)


def test_lost_cases_query(ds, sql):
    got = rows(ds, "/corpus/lost_cases.json?year=&province=")
    expected = {r[0] for r in sql(
        "SELECT DISTINCT report_id FROM cells WHERE key IN ('review_litigation.review.corrected',"
        " 'review_litigation.litigation_direct.corrected',"
        " 'review_litigation.litigation_after_review.corrected') AND value > 0")}
    assert {r["report_id"] for r in got} == expected


@pytest.mark.parametrize("word", ["依申请公开", "年度报告", "公开"])  # 2 chars: LIKE path
def test_search_texts_query_finds_words_inside_sentences(ds, sql, word):
    got = rows(ds, f"/corpus/search_texts.json?q={quote(word)}")
    expected = {r[0] for r in sql("SELECT id FROM reports WHERE instr(title || ' ' || "
                                  "coalesce(agency, '') || ' ' || full_text, ?) > 0", (word,))}
    assert expected and {r["report_id"] for r in got} == expected
    assert all(word in (r["context"] or "") or word in r["title"] for r in got)


def test_agency_page_leads_to_its_years_and_charts(ds, sql):
    aid, name = sql("SELECT id, name FROM agencies ORDER BY id LIMIT 1")[0]
    page = fetch(ds, f"/corpus/agencies/{aid}")
    assert page.status_code == 200 and name in page.text
    assert f"/corpus/agency_reports?agency={quote(name)}" in page.text
    assert f"/-/dashboards/nianbao?agency={quote(name)}" in page.text
    chart = fetch(ds, f"/-/dashboards/nianbao?agency={quote(name)}")
    assert chart.status_code == 200


def test_find_an_agency_by_part_of_its_name(ds, sql):
    name = sql("SELECT name FROM agencies ORDER BY id LIMIT 1")[0][0]
    part = name[-4:-1] if len(name) > 4 else name
    found = rows(ds, "/corpus/agencies.json?_search=" + quote(part))
    expected = sql("SELECT name FROM agencies WHERE instr(name, ?) > 0", (part,))
    assert sorted(r["name"] for r in found) == sorted(n for (n,) in expected)


def test_table_search_box_uses_the_trigram_index(ds, sql):
    data = fetch(ds, "/corpus/reports.json?_search=" + quote("依申请公开") + "&_size=max").json()
    expected = sql("SELECT count(*) FROM reports WHERE instr(title || agency || full_text, ?) > 0",
                   ("依申请公开",))[0][0]
    assert len(data["rows"]) == expected > 0


def by_agency(chart_sql: str) -> str:
    """A chart query as datasette-dashboards runs it with only the agency box filled."""
    return re.sub(r"\[\[(.*?)\]\]", lambda m: m[1] if ":agency" in m[1] else "", chart_sql)


def test_dashboard_chart_queries_run(ds, sql):
    charts = build_metadata()["plugins"]["datasette-dashboards"]["nianbao"]["charts"]
    agency = sql("SELECT agency FROM reports WHERE applications_received IS NOT NULL "
                 "GROUP BY agency ORDER BY count(*) DESC")[0][0]
    for name, chart in charts.items():
        unfiltered = re.sub(r"\[\[.*?\]\]", "", chart["query"])
        assert rows(ds, "/corpus.json?sql=" + quote(unfiltered)), name
        # The agency box takes any part of a name.
        narrowed = "/corpus.json?sql=" + quote(by_agency(chart["query"])) + "&agency="
        assert rows(ds, narrowed + quote(agency[2:])), name
    count = by_agency(charts["applications-count"]["query"])
    received = rows(ds, "/corpus.json?sql=" + quote(count) + "&agency=" + quote(agency))
    assert received[0]["applications"] == sql(
        "SELECT coalesce(sum(applications_received), 0) FROM reports r JOIN agencies a "
        "ON a.id = r.agency_id WHERE instr(a.name, ?) > 0", (agency,))[0][0]
    chart_page = fetch(ds, "/-/dashboards/nianbao/applications-by-year")
    assert chart_page.status_code == 200
    # The outcome slices come in table 三's order, each with its own colour, and add up to the
    # outcomes handled.
    outcomes = charts["outcome-shares"]
    colour = outcomes["display"]["layer"][0]["encoding"]["color"]
    slices = rows(ds, "/corpus.json?sql=" + quote(re.sub(r"\[\[.*?\]\]", "", outcomes["query"])))
    assert [s["outcome"] for s in sorted(slices, key=lambda s: s["i"])] == colour["scale"]["domain"]
    assert len(set(colour["scale"]["range"])) == len(colour["scale"]["domain"]) == len(slices)
    assert sum(s["n"] for s in slices) == sql("SELECT sum(results_total) FROM reports")[0][0]


def test_no_write_access_and_safe_settings(ds, sql):
    before = sql("SELECT count(*) FROM reports")[0][0]
    response = fetch(ds, "/corpus.json?sql=" + quote("DELETE FROM reports"))
    assert response.status_code == 400
    assert sql("SELECT count(*) FROM reports")[0][0] == before
    settings = fetch(ds, "/-/settings.json").json()
    for key in ("sql_time_limit_ms", "max_returned_rows", "allow_download"):
        assert settings[key] == SETTINGS[key]
    assert fetch(ds, "/corpus.db").status_code in (403, 404)  # no download of the whole file
