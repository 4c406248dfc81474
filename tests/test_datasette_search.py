"""The reports table search and the long tables, as a journalist uses them, on the real
Datasette app over a real corpus file of synthetic reports.

The app is made with ``search_exact_up_to=50``: a search matching more than 50 reports takes
the path a word found in every report of a million-report corpus takes (no count, no facets, a
page read in the sort order), so both paths run here on a corpus of a few hundred reports.
Every expected result is computed independently with ``instr`` over the same file.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from urllib.parse import quote

import pytest
from datasette.utils import detect_fts

from corpus.publish import QUERIES
from corpus.serve import make_datasette
from corpus.store import Corpus
from tests.corpus_env import store_synthetic

BROAD = 50  # search_exact_up_to of the app under test
RARE = "独一无二"  # in one report's text only
PLACES = ["北京市东城区", "北京市西城区", "攀枝花市东区", "攀枝花市西区", "成都市锦江区",
          "上海市黄浦区", "广州市越秀区", "杭州市上城区", "武汉市江岸区", "西安市新城区"]
DEPARTMENTS = ["教育局", "公安局", "人民政府"]
YEARS = [2019, 2020, 2021, 2022, 2023, 2024]


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "corpus.db"
    corpus = Corpus(path)
    site = "http://www.example.gov.cn/"
    corpus.ensure_site(name="示例", url=site, region_code="110101", level="county")
    with corpus.bulk():
        for place in PLACES:
            for dept in DEPARTMENTS:
                store_synthetic(corpus, place + dept, YEARS, site)
        store_synthetic(corpus, "北京市东城区审计局", [2023], site,
                        overview=f"本年度开展{RARE}的公开试点，受理申请3件。")
    corpus.close()
    return path


@pytest.fixture(scope="module")
def ds(corpus_db):
    return make_datasette(corpus_db, immutable=True, search_exact_up_to=BROAD)


@pytest.fixture(scope="module")
def sql(corpus_db):
    conn = sqlite3.connect(f"file:{corpus_db}?mode=ro", uri=True)
    yield lambda q, p=(): conn.execute(q, p).fetchall()
    conn.close()


def get(ds, path):
    async def go():
        return await ds.client.get(path)
    return asyncio.run(go())


def table(ds, path):
    """The table JSON with its whole envelope (count, facets, next page, the SQL it ran)."""
    response = get(ds, path + ("&" if "?" in path else "?") + "_shape=objects")
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()


def containing(sql, word, order="year DESC, id"):
    """Report ids whose title, agency or text contains ``word`` (no index involved)."""
    return [r[0] for r in sql(
        "SELECT id FROM reports WHERE instr(coalesce(title, '') || ' ' || coalesce(agency, '') "
        f"|| ' ' || coalesce(full_text, ''), ?) > 0 ORDER BY {order}", (word,))]


def assert_newest_first(rows, expected):
    """The rows are the expected reports, by year descending (Datasette's first page orders by
    year alone, so reports of one year may come in any order)."""
    assert sorted(r["id"] for r in rows) == sorted(expected)
    years = [r["year"] for r in rows]
    assert years == sorted(years, reverse=True)


def test_a_rare_word_is_found_counted_and_faceted(ds, sql):
    data = table(ds, "/corpus/reports.json?_search=" + quote(RARE) + "&_facet=province")
    expected = containing(sql, RARE)
    assert len(expected) == 1
    assert [r["id"] for r in data["rows"]] == expected
    assert data["filtered_table_rows_count"] == 1
    assert [f["count"] for f in data["facet_results"]["province"]["results"]] == [1]
    # The plugin's clause, not Datasette's own unbounded one, and a look-up by key.
    assert "escape_fts" not in data["query"]["sql"]
    assert " id IN (SELECT rowid FROM reports_fts" in data["query"]["sql"]


def test_a_word_found_nowhere_gives_an_empty_page_with_the_search_box(ds):
    page = get(ds, "/corpus/reports?_search=" + quote("不存在的词语"))
    assert page.status_code == 200
    assert 'name="_search"' in page.text and 'value="不存在的词语"' in page.text
    assert "0 rows" in page.text
    data = table(ds, "/corpus/reports.json?_search=" + quote("不存在的词语"))
    assert data["rows"] == [] and data["filtered_table_rows_count"] == 0


@pytest.mark.parametrize("word", ["共收到政府信息", "东城区", "公开工作年度", "信息处理费"])
def test_chinese_substrings_inside_sentences(ds, sql, word):
    data = table(ds, "/corpus/reports.json?_size=max&_search=" + quote(word))
    expected = containing(sql, word)
    assert expected
    assert_newest_first(data["rows"], expected)
    if len(expected) <= BROAD:
        assert data["filtered_table_rows_count"] == len(expected)


def test_a_search_matching_every_report_still_returns_a_page(ds, sql):
    word = "年度报告"  # in every title
    every = containing(sql, word)
    assert every == containing(sql, "", order="year DESC, id") and len(every) > BROAD
    page = get(ds, "/corpus/reports?_search=" + quote(word))
    assert page.status_code == 200
    assert f"more than {BROAD:,} matches" in page.text
    assert page.text.count('<td class="col-title') == 50
    data = table(ds, "/corpus/reports.json?_search=" + quote(word))
    # Newest first, one year's reports by id (the index's order, which the next page assumes).
    assert [r["id"] for r in data["rows"]] == every[:50]
    assert data["filtered_table_rows_count"] is None and data["facet_results"] == {}
    following = table(ds, "/" + data["next_url"].split("://", 1)[1].split("/", 1)[1])
    assert [r["id"] for r in following["rows"]] == every[50:100]
    # SQLite reads the sort index and keeps the matching rows: nothing is sorted, so a page
    # stops after its rows however many reports match. The first page asks the index row by
    # row, as nearly every row of a sample in its order matches; so does the next one, from
    # its cursor on.
    for page in (data, following):
        assert "EXISTS (SELECT 1 FROM reports_fts" in page["query"]["sql"]
    for page in (data, following):
        plan = sql("EXPLAIN QUERY PLAN " + page["query"]["sql"], page["query"]["params"])
        assert not any("TEMP B-TREE" in step[-1] for step in plan), plan


def test_a_broad_search_most_reports_lack(ds, sql):
    word = "区教育局"  # one report in three: more than BROAD, too few to ask row by row
    expected = containing(sql, word)
    assert BROAD < len(expected) < len(containing(sql, "")) / 2
    data = table(ds, "/corpus/reports.json?_size=max&_search=" + quote(word))
    assert_newest_first(data["rows"], expected)
    assert "+id IN (SELECT rowid FROM reports_fts" in data["query"]["sql"]
    assert data["filtered_table_rows_count"] is None


def test_a_broad_search_narrowed_by_a_filter(ds, sql):
    word, province = "依申请公开", "四川省"
    data = table(ds, f"/corpus/reports.json?_size=max&province={quote(province)}&_search="
                     + quote(word))
    expected = [i for i in containing(sql, word)
                if sql("SELECT province FROM reports WHERE id = ?", (i,))[0][0] == province]
    assert expected
    assert_newest_first(data["rows"], expected)


def test_short_words_match_agency_names(ds, sql):
    # A trigram index cannot find a two-character word: it matches the agency's name instead.
    data = table(ds, "/corpus/reports.json?_size=max&_search=" + quote("东区"))
    expected = [r[0] for r in sql(
        "SELECT r.id FROM reports r JOIN agencies a ON a.id = r.agency_id "
        "WHERE instr(a.name, '东区') > 0")]
    assert expected
    assert_newest_first(data["rows"], expected)
    assert 'agency name contains "东区"' in data["human_description_en"]
    both = table(ds, "/corpus/reports.json?_size=max&_search=" + quote(f"{RARE} 东城"))
    assert [r["id"] for r in both["rows"]] == containing(sql, RARE)


@pytest.mark.parametrize("part", ["东区", "东城区教育", "教育局"])
def test_find_an_agency_by_any_part_of_its_name(ds, sql, part):
    data = table(ds, "/corpus/agencies.json?_size=max&_search=" + quote(part))
    expected = sql("SELECT name FROM agencies WHERE instr(name, ?) > 0", (part,))
    assert expected and sorted(r["name"] for r in data["rows"]) == sorted(n for (n,) in expected)
    assert data["filtered_table_rows_count"] == len(expected)
    page = get(ds, "/corpus/agencies?_search=" + quote(part))
    assert page.status_code == 200 and f'value="{part}"' in page.text


def test_search_one_column(ds, sql):
    assert table(ds, "/corpus/reports.json?_search_title=" + quote(RARE))["rows"] == []
    data = table(ds, "/corpus/reports.json?_size=max&_search_agency=" + quote("东城区"))
    expected = [r[0] for r in sql("SELECT id FROM reports WHERE instr(agency, '东城区') > 0")]
    assert expected
    assert_newest_first(data["rows"], expected)
    assert get(ds, "/corpus/reports.json?_search_nope=x").status_code == 400


def test_a_bad_raw_expression_is_a_one_line_error(ds):
    response = get(ds, "/corpus/reports.json?_searchmode=raw&_search=" + quote('AND ("'))
    assert response.status_code == 400
    assert "Traceback" not in response.text
    good = get(ds, "/corpus/reports.json?_searchmode=raw&_search=" + quote(f'"{RARE}" OR 东城区'))
    assert good.status_code == 200


def test_long_tables_skip_whole_table_counts_only_when_unfiltered(ds, sql):
    cells = table(ds, "/corpus/cells.json")
    assert len(cells["rows"]) == 50 and cells["filtered_table_rows_count"] is None
    key = "requests.new_received.total"
    # A key's cells are in every report: counting them reads a column of every report.
    one_key = table(ds, f"/corpus/cells.json?key={key}")
    assert one_key["filtered_table_rows_count"] is None
    assert [r["value"] for r in one_key["rows"]] == [v for (v,) in sql(
        "SELECT value FROM cells WHERE key = ? LIMIT 50", (key,))]
    rid = one_key["rows"][0]["report_id"]
    one_report = table(ds, f"/corpus/cells.json?report_id={rid}")  # ~200 rows: counted
    assert one_report["filtered_table_rows_count"] == sql(
        "SELECT count(*) FROM cells WHERE report_id = ?", (rid,))[0][0] > 100
    assert table(ds, "/corpus/reports_wide.json")["filtered_table_rows_count"] is None
    assert table(ds, "/corpus/reports_wide.json?year=2023")["filtered_table_rows_count"] == sql(
        "SELECT count(*) FROM reports WHERE year = 2023")[0][0]
    # checks: its whole-table facets come from facet_counts (tests/test_facet_counts.py).
    whole = table(ds, "/corpus/checks.json")["facet_results"]
    assert sum(f["count"] for f in whole["rule"]["results"]) == sql(
        "SELECT count(*) FROM checks")[0][0]
    passed = table(ds, "/corpus/checks.json?passed=1")
    assert sum(f["count"] for f in passed["facet_results"]["rule"]["results"]) == sql(
        "SELECT count(*) FROM checks WHERE passed = 1")[0][0]
    assert get(ds, "/corpus/cells").status_code == get(ds, "/corpus/checks").status_code == 200


def test_datasette_leaves_the_reports_search_to_the_plugin(corpus_db):
    conn = sqlite3.connect(corpus_db)
    try:
        # Migration 008: the indexes are there and work, but Datasette does not attach its own
        # search to reports or agencies.
        assert detect_fts(conn, "reports") is None and detect_fts(conn, "agencies") is None
        assert conn.execute("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH ?",
                            (f'"{RARE}"',)).fetchone()[0] == 1
    finally:
        conn.close()


def test_lost_cases_lists_every_lost_case(ds, sql):
    got = table(ds, "/corpus/lost_cases.json?year=&province=")["rows"]
    expected = sql("SELECT id FROM reports WHERE review_corrected > 0 OR litigation_corrected > 0"
                   " ORDER BY coalesce(review_corrected, 0) + coalesce(litigation_corrected, 0) "
                   "DESC, year DESC")
    assert expected and sorted(r["report_id"] for r in got) == sorted(r[0] for r in expected)


@pytest.mark.parametrize("part", ["东城区教育局", "东城", "教育"])
def test_agency_reports_by_any_part_of_a_name(ds, sql, part):
    got = table(ds, f"/corpus/agency_reports.json?agency={quote(part)}")["rows"]
    expected = sql("SELECT agency, year FROM reports WHERE instr(agency, ?) > 0 "
                   "ORDER BY agency, year", (part,))
    assert expected and [(r["agency"], r["year"]) for r in got] == expected


def test_dashboard_lists_every_province_and_takes_a_typed_agency(ds, sql):
    page = get(ds, "/-/dashboards/nianbao")
    assert page.status_code == 200
    options = set(re.findall(r'<option value="([^"]*)"', page.text)) - {""}  # "" = any
    assert options == {p for (p,) in sql("SELECT DISTINCT province FROM reports "
                                         "WHERE province IS NOT NULL")}
    assert re.search(r'<input id="agency" name="agency" type="text"', page.text)
    assert get(ds, "/-/dashboards/nianbao?agency=" + quote("东城区")).status_code == 200


@pytest.mark.parametrize("search", ["", "年度报告", "区教育局"])
def test_pages_follow_on_newest_first(ds, sql, search):
    # Datasette orders a first page by year alone and the next ones by (year, id): the year
    # index must give id order within a year, or rows are skipped or repeated between pages.
    path = "/corpus/reports.json?_size=40" + (f"&_search={quote(search)}" if search else "")
    seen = []
    while path and len(seen) < 120:
        data = table(ds, path)
        seen += [r["id"] for r in data["rows"]]
        path = data["next_url"] and "/" + data["next_url"].split("://", 1)[1].split("/", 1)[1]
    assert seen == containing(sql, search)[:120]


@pytest.mark.parametrize("name, index, params", [
    ("lost_cases", "idx_reports_lost_cases", {"year": "", "province": ""}),
    ("broken_rules", "idx_reports_failing", {"rule": "", "province": ""}),
    ("broken_rules", "idx_reports_failing", {"rule": "carryover", "province": "北京市"}),
])
def test_list_queries_read_an_index_in_their_order(sql, name, index, params):
    # Their LIMIT then stops the query early: nothing sorts every matching report or check
    # (a sort within one agency-year's checks is fine).
    plan = [step[-1] for step in sql("EXPLAIN QUERY PLAN " + QUERIES[name]["sql"], params)]
    assert any(index in step for step in plan), plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_the_plugin_docstring_examples():
    import doctest

    from corpus.plugins import nianbao_search

    result = doctest.testmod(nianbao_search)
    assert result.attempted >= 2 and result.failed == 0


def test_a_broad_search_sorted_by_another_column(ds, sql):
    # Sorted by title (no index): no row-by-row sample, which would sort the table itself.
    data = table(ds, "/corpus/reports.json?_size=max&_sort=title&_search=" + quote("年度报告"))
    assert "+id IN (SELECT rowid FROM reports_fts" in data["query"]["sql"]
    assert [r["title"] for r in data["rows"]] == [t for (t,) in sql(
        "SELECT title FROM reports WHERE instr(title, '年度报告') > 0 ORDER BY title, id")]
    # By an indexed column it is sampled in that index's order.
    desc = table(ds, "/corpus/reports.json?_sort_desc=applications_received&_search="
                     + quote("年度报告"))
    assert "EXISTS (SELECT 1 FROM reports_fts" in desc["query"]["sql"]
    got = [r["applications_received"] for r in desc["rows"]]
    assert got == sorted(got, reverse=True) and len(got) == 50


# A reader in Hong Kong or Taiwan types traditional characters; reports are stored in simplified
# ones (a site's 繁體 copy is folded by the parser), so each box also searches the simplified
# spelling. Expected results come from the simplified word, with instr, over the same file.
@pytest.mark.parametrize("typed, stored", [("東城區", "东城区"), ("資訊處理費", "信息处理费"),
                                           ("信息處理費", "信息处理费"), ("東區", "东区")])
def test_traditional_characters_find_the_simplified_reports(ds, sql, typed, stored):
    data = table(ds, "/corpus/reports.json?_size=max&_search=" + quote(typed))
    if len(stored) >= 3:
        expected = containing(sql, stored)
    else:  # a two-character word matches agency names
        expected = [r[0] for r in sql("SELECT r.id FROM reports r JOIN agencies a "
                                      "ON a.id = r.agency_id WHERE instr(a.name, ?) > 0",
                                      (stored,))]
    assert expected
    assert_newest_first(data["rows"], expected)


def test_canned_queries_take_traditional_characters(ds, sql):
    got = table(ds, "/corpus/agency_reports.json?agency=" + quote("東城區教育局"))["rows"]
    expected = sql("SELECT agency, year FROM reports WHERE instr(agency, '东城区教育局') > 0 "
                   "ORDER BY agency, year")
    assert expected and [(r["agency"], r["year"]) for r in got] == expected
    found = table(ds, "/corpus/search_texts.json?q=" + quote("獨一無二"))["rows"]
    assert [r["report_id"] for r in found] == containing(sql, RARE)
    by_province = table(ds, "/corpus/applications_by_province_year.json?province="
                        + quote("廣東") + "&year=&level=")["rows"]
    assert by_province and by_province == table(ds, "/corpus/applications_by_province_year.json?province="
                                + quote("广东省") + "&year=&level=")["rows"]
