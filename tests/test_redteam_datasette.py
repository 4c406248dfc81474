"""Red team of the published corpus (docs/redteam-datasette.md): what a journalist types into
the canned queries, the archived copies a browser gets, the Parquet a researcher loads.

The real Datasette app (its test client, with the project's plugins) over a real corpus file of
synthetic reports; every expected row is computed independently from the same file with plain
SQL.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import subprocess
import sys
from urllib.parse import quote, unquote

import pandas as pd
import pytest

from corpus.serve import make_datasette
from corpus.store import Corpus
from corpus.synthetic import make_report, report_html
from tests.corpus_env import ROOT, store_synthetic

SITE = "http://www.scdongqu.gov.cn/"
BRACKETED = "攀枝花市东区住房和城乡建设局(攀枝花市东区人民防空办公室)"  # as the parser stores it
EXACT = "攀枝花市东区教育局"
LONGER = "中共攀枝花市东区教育局委员会"  # contains EXACT and sorts before it
GBK_TEXT = "依申请公开政府信息办理情况良好"
WIDE_TEXT = "本机关以ＰＤＦ格式公开２０２２年度统计公报（共３件），公开率100%。"  # as printed


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("redteam_ds") / "corpus.db"
    corpus = Corpus(path)
    corpus.ensure_site(name="攀枝花市东区人民政府", url=SITE, region_code="510402", level="county")
    store_synthetic(corpus, BRACKETED, [2020, 2021], SITE)
    store_synthetic(corpus, EXACT, [2021, 2022], SITE)
    store_synthetic(corpus, LONGER, [2021, 2022], SITE)
    store_synthetic(corpus, "攀枝花市东区统计局", [2022], SITE, overview=WIDE_TEXT)
    for n in range(2):
        url = f"http://www.scdongqu.gov.cn/x/{n}.html"
        unnamed = make_report(f"攀枝花市东区第{n}局", 2021)
        unnamed["agency"] = None  # a report whose document names no agency
        corpus.store_document(data=report_html(unnamed), url=url, content_type="text/html",
                              fetched_at="2024-02-01T08:00:00Z", site_url=SITE, parsed=unnamed)
    odd = make_report("攀枝花市东区司法局", 2022)  # a source URL that is not a web address
    corpus.store_document(data=report_html(odd), url="javascript:alert(document.domain)//a.html",
                          content_type="text/html", fetched_at="2024-02-01T08:00:00Z",
                          site_url=SITE, parsed=odd)
    # A DOC a server sent as application/octet-stream.
    doc = make_report("攀枝花市东区审计局", 2023)
    doc["document_type"] = "doc"
    corpus.store_document(data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
                          url="http://www.scdongqu.gov.cn/down.jsp?id=7",
                          content_type="application/octet-stream",
                          fetched_at="2024-02-01T08:00:00Z", site_url=SITE, parsed=doc)
    for agency, content_type in (("攀枝花市东区财政局", "application/pdf"),
                                 ("攀枝花市东区水利局", "text/html;charset=UTF-8")):  # a .jsp
        pdf = make_report(agency, 2023)
        pdf["document_type"] = "pdf"
        corpus.store_document(data=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + agency.encode() * 20,
                              url=f"http://www.scdongqu.gov.cn/downfile.jsp?n={len(content_type)}",
                              content_type=content_type, fetched_at="2024-02-01T08:00:00Z",
                              site_url=SITE, parsed=pdf)
    # A GBK page with no <meta charset>, sent by a default Tomcat as ISO-8859-1.
    page = make_report("攀枝花市东区民政局", 2023, overview=GBK_TEXT)
    html = report_html(page).decode("utf-8").replace("<meta charset='utf-8'>", "")
    corpus.store_document(data=html.encode("gbk"), url="http://www.scdongqu.gov.cn/mz/2023.html",
                          content_type="text/html;charset=ISO-8859-1",
                          fetched_at="2024-02-01T08:00:00Z", site_url=SITE, parsed=page)
    corpus.close()
    return path


@pytest.fixture(scope="module")
def ds(corpus_db):
    return make_datasette(corpus_db)


@pytest.fixture(scope="module")
def sql(corpus_db):
    conn = sqlite3.connect(f"file:{corpus_db}?mode=ro", uri=True)
    yield lambda q, p=(): conn.execute(q, p).fetchall()
    conn.close()


def get(ds, path):
    return asyncio.run(ds.client.get(path))


def rows(ds, query, **params):
    qs = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    response = get(ds, f"/corpus/{query}.json?{qs}&_shape=objects")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["ok"], data
    return data["rows"]


@pytest.mark.parametrize("typed", [
    BRACKETED,
    "攀枝花市东区住房和城乡建设局（攀枝花市东区人民防空办公室）",  # copied from the report
    f" {BRACKETED} ",
    f"{BRACKETED}\u3000",  # an IME's ideographic space
])
def test_agency_reports_finds_a_name_however_it_is_typed(ds, sql, typed):
    got = [(r["agency"], r["year"]) for r in rows(ds, "agency_reports", agency=typed)]
    assert got == sql("SELECT agency, year FROM reports WHERE agency = ? ORDER BY year",
                      [BRACKETED])
    assert got


def test_agency_reports_lists_the_exact_agency_first(ds, sql):
    got = [r["agency"] for r in rows(ds, "agency_reports", agency=EXACT)]
    exact = sql("SELECT count(*) FROM reports WHERE agency = ?", [EXACT])[0][0]
    assert exact and got[:exact] == [EXACT] * exact
    assert LONGER in got[exact:]


@pytest.mark.parametrize("province", ["四川", "四川省", " 四川省 ", "四川 "])
@pytest.mark.parametrize("year", ["2021", "２０２１", "2021年", " 2021"])
def test_top_agencies_by_province_and_year_as_typed(ds, sql, province, year):
    got = {(r["agency"], r["received"]) for r in rows(ds, "top_agencies", year=year,
                                                      province=province)}
    want = set(sql("SELECT agency, sum(applications_received) FROM reports WHERE year = 2021 "
                   "AND province = '四川省' AND applications_received IS NOT NULL AND agency_id NOT NULL "
                   "GROUP BY agency_id"))
    assert got == want and want


def test_reports_naming_no_agency_are_not_one_top_agency(ds, sql):
    got = rows(ds, "top_agencies", year="", province="")
    assert all(r["agency"] for r in got)
    assert sorted(r["agency_id"] for r in got) == [r[0] for r in sql(
        "SELECT DISTINCT agency_id FROM reports WHERE agency_id IS NOT NULL "
        "AND applications_received IS NOT NULL ORDER BY 1")]
    chart = ds.plugin_config("datasette-dashboards")["nianbao"]["charts"]["top-agencies"]
    table = get(ds, "/corpus.json?sql=" + quote(chart["query"].replace("[[", "").replace(
        "]]", "").replace("AND province = :province", "").replace(
        "AND agency_id IN (SELECT id FROM agencies WHERE instr(name, :agency) > 0)", "")) +
        "&_shape=objects").json()["rows"]
    assert table and all(r["机关"] for r in table)


@pytest.mark.parametrize("blank", ["", " ", "\u3000"])
def test_a_box_left_blank_or_holding_spaces_means_any(ds, sql, blank):
    got = sum(r["reports"] for r in rows(ds, "applications_by_province_year", province=blank,
                                         year=blank, level=blank))
    assert got == sql("SELECT count(*) FROM reports WHERE format IN ('2019', '2021')")[0][0]
    # a search for nothing finds nothing (a space used to match every text with a space)
    assert rows(ds, "search_texts", q=blank) == []


@pytest.mark.parametrize("level", ["department", "Department", "部门", " 部门 "])
def test_level_typed_in_english_or_chinese(ds, sql, level):
    got = sum(r["reports"] for r in rows(ds, "applications_by_province_year", province="",
                                         year="", level=level))
    want = sql("SELECT count(*) FROM reports WHERE level = 'department' "
               "AND format IN ('2019', '2021')")[0][0]
    assert got == want and want


def test_search_texts_ignores_spaces_around_the_word(ds, sql):
    want = sql("SELECT count(*) FROM reports WHERE instr(full_text, ?) > 0", [GBK_TEXT])[0][0]
    assert want
    assert len(rows(ds, "search_texts", q=f" {GBK_TEXT} ")) == want


@pytest.mark.parametrize("sign", ["%", "_"])
def test_like_signs_are_searched_literally(ds, sql, sign):
    got = sorted(r["report_id"] for r in rows(ds, "search_texts", q=sign))
    assert got == [r[0] for r in sql("SELECT id FROM reports WHERE instr(title, ?) "
                                      "OR instr(full_text, ?) ORDER BY id", [sign, sign])]
    assert rows(ds, "agency_reports", agency=sign) == []  # no agency name holds one
    assert rows(ds, "changed_or_taken_down", agency=sign) == []


def test_the_canned_query_form_shows_what_was_searched(ds):
    page = get(ds, f"/corpus/top_agencies?province={quote('四川')}&year=").text
    assert re.search(r'<input[^>]*name="province"[^>]*value="四川省"', page)


def test_dashboard_charts_get_the_tidied_agency(ds):
    page = get(ds, f"/-/dashboards/nianbao?agency={quote(' ' + EXACT + ' ')}").text
    assert f"agency={quote(EXACT)}" in page and f"agency={quote(' ' + EXACT)}" not in page


@pytest.mark.parametrize("typed", ["ＰＤＦ格式", "PDF格式", "pdf", "2022年度", "(共3件)", "（共３件）"])
def test_the_search_box_finds_a_word_in_either_width(ds, sql, typed):
    page = get(ds, f"/corpus/reports.json?_search={quote(typed)}&_shape=objects&_col=agency")
    assert page.status_code == 200, page.text
    want = [r[0] for r in sql("SELECT id FROM reports WHERE instr(full_text, ?) > 0 "
                              "ORDER BY year DESC, id DESC", ["ＰＤＦ格式"])]
    if typed.startswith("20"):  # 2022年度 is also printed in ASCII digits
        want = [r[0] for r in sql("SELECT id FROM reports WHERE instr(full_text, '２０２２年度') "
                                  "OR instr(full_text, '2022年度') ORDER BY year DESC, id DESC")]
    assert want and sorted(r["id"] for r in page.json()["rows"]) == sorted(want)


def _raw(ds, sql, agency):
    sha = sql("SELECT document_sha256 FROM reports WHERE agency = ?", [agency])[0][0]
    return get(ds, f"/-/raw/{sha}")


def test_a_doc_sent_as_octet_stream_is_served_as_a_doc_with_its_title(ds, sql):
    response = _raw(ds, sql, "攀枝花市东区审计局")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/msword"
    disposition = response.headers["content-disposition"]
    assert re.search(r'filename="[\x20-\x7e]+\.doc"', disposition)
    title = sql("SELECT title FROM reports WHERE agency = '攀枝花市东区审计局'")[0][0]
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == title + ".doc"


def test_a_gbk_page_declared_latin1_is_served_with_its_real_charset(ds, sql):
    response = _raw(ds, sql, "攀枝花市东区民政局")
    assert response.status_code == 200
    content_type = response.headers["content-type"]
    assert content_type.startswith("text/html; charset=")
    charset = content_type.split("charset=", 1)[1]
    assert GBK_TEXT in response.content.decode(charset)
    assert response.headers["content-security-policy"] == "sandbox"


@pytest.mark.parametrize("agency", ["攀枝花市东区财政局", "攀枝花市东区水利局"])
def test_a_pdf_is_served_as_a_pdf_not_sandboxed_so_chrome_shows_it(ds, sql, agency):
    # Chrome's PDF viewer shows a grey page under "Content-Security-Policy: sandbox"; the
    # second PDF came from a download script that labelled it text/html
    response = _raw(ds, sql, agency)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "sandbox" not in response.headers.get("content-security-policy", "")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].endswith(".pdf")


def test_a_missing_raw_copy_says_so_and_names_the_original(corpus_db, sql, tmp_path):
    import shutil

    copy = tmp_path / "corpus.db"
    shutil.copy(corpus_db, copy)  # the database without its raw/ directory
    ds = make_datasette(copy, immutable=True)
    sha, url = sql("SELECT sha256, url FROM documents LIMIT 1")[0]
    response = get(ds, f"/-/raw/{sha}")
    assert response.status_code == 404
    assert url in response.text


def test_parquet_counts_with_blanks_load_as_nullable_integers(corpus_db, sql, tmp_path):
    out = tmp_path / "reports.parquet"
    result = subprocess.run([sys.executable, "-m", "nianbao_cli", "export", "--db",
                             str(corpus_db), "--format", "parquet", "--output", str(out)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    frame = pd.read_parquet(out).set_index("report_id")
    key = "requests.other_handling.total"  # a 2019-only row: blank in every 2021 report
    assert str(frame[key].dtype) == "Int64" and str(frame["year"].dtype) == "Int64"
    want = dict(sql("SELECT r.id, v.value FROM reports r LEFT JOIN cells v "
                    "ON v.report_id = r.id AND v.key = ?", [key]))
    assert {rid: (None if pd.isna(v) else int(v)) for rid, v in frame[key].items()} == want
    assert frame[key].isna().any() and frame[key].notna().any()
    assert str(frame["active.administrative_fees.amount_10k_yuan"].dtype) == "float64"


def test_the_params_plugin_docstring_examples():
    import doctest

    from corpus.plugins import nianbao_params

    result = doctest.testmod(nianbao_params)
    assert result.attempted >= 2 and result.failed == 0


def test_query_and_view_rows_link_to_their_report(ds, sql):
    rid = sql("SELECT id FROM reports WHERE agency = ? ORDER BY year LIMIT 1", [EXACT])[0][0]
    page = get(ds, f"/corpus/agency_reports?agency={quote(EXACT)}").text
    assert f'<a href="/corpus/reports/{rid}">{rid}</a>' in page
    page = get(ds, f"/corpus/cells?report_id={rid}").text
    assert f'<a href="/corpus/reports/{rid}">{rid}</a>' in page
    agency_id = sql("SELECT id FROM agencies WHERE name = ?", [EXACT])[0][0]
    page = get(ds, "/corpus/top_agencies?year=&province=").text
    assert f'<a href="/corpus/agencies/{agency_id}">{agency_id}</a>' in page


def test_a_source_url_that_is_not_a_web_address_is_not_a_link(ds, sql):
    rid = sql("SELECT id FROM reports WHERE agency = '攀枝花市东区司法局'")[0][0]
    page = get(ds, f"/corpus/reports/{rid}")
    assert page.status_code == 200
    assert 'href="javascript:' not in page.text
    assert "javascript:alert(document.domain)//a.html" in page.text  # shown, as text
