"""facet_counts (migration 010) and the nianbao_facets plugin: a table page's facets come from
counts the writers keep, and must equal what Datasette's own GROUP BY gives."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from corpus.bulk import BulkLoader
from corpus.schema import COUNTED_FACETS, quote_name
from corpus.serve import make_datasette
from corpus.store import Corpus
from tests.corpus_env import crawled_corpus, get, v008_corpus
from tests.test_corpus_bulk import OTHER_SITE, SITE, documents, load_one_by_one


def kept_counts(conn) -> dict:
    return {(t, c, v): n for t, c, v, n in conn.execute("SELECT * FROM facet_counts")}


def true_counts(conn) -> dict:
    return {(table, column, value): n
            for table, columns in COUNTED_FACETS.items() for column in columns
            for value, n in conn.execute(
                f"SELECT {quote_name(column)}, count(*) FROM {quote_name(table)} "
                f"WHERE {quote_name(column)} IS NOT NULL GROUP BY 1")}


def test_every_writer_keeps_the_counts_exact(tmp_path):
    one = load_one_by_one(tmp_path / "one.db", documents())  # new, copies, versions, errors
    conn = one.db.conn
    assert kept_counts(conn) == true_counts(conn)
    assert ("reports", "year", 2021) in kept_counts(conn)
    # Whatever else writes: another value, NULL and back, rows deleted — in each counted table.
    for table, columns in COUNTED_FACETS.items():
        for column in columns:
            q, c = quote_name(table), quote_name(column)
            with conn:
                conn.execute(f"UPDATE {q} SET {c} = NULL WHERE rowid IN "
                             f"(SELECT rowid FROM {q} ORDER BY rowid LIMIT 1)")
                conn.execute(f"UPDATE {q} SET {c} = (SELECT {c} FROM {q} WHERE {c} IS NOT NULL "
                             f"ORDER BY rowid DESC LIMIT 1) WHERE rowid IN "
                             f"(SELECT rowid FROM {q} ORDER BY rowid LIMIT 2 OFFSET 1)")
            assert kept_counts(conn) == true_counts(conn), (table, column)
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for table in COUNTED_FACETS:
            conn.execute(f"DELETE FROM {quote_name(table)} WHERE rowid % 3 = 0")
    assert kept_counts(conn) == true_counts(conn)
    assert not any(n <= 0 for n in kept_counts(conn).values())  # a vanished value has no row
    one.close()


def test_a_fresh_bulk_build_counts_once_at_the_end(tmp_path):
    fresh = Corpus(tmp_path / "fresh.db")
    for site in (SITE, OTHER_SITE):
        fresh.ensure_site(name="人民政府", url=site, region_code="510402", level="county")
    with fresh.fresh_build(), BulkLoader(fresh, batch=4) as loader:
        for doc in documents(seed=5):
            loader.add(**doc)
        # Inside the build the triggers are off: nothing is counted row by row.
        assert fresh.db.execute("SELECT count(*) FROM facet_counts WHERE table_name = "
                                "'reports'").fetchone()[0] == 0
    assert kept_counts(fresh.db.conn) == true_counts(fresh.db.conn)
    triggers = {name for (name,) in fresh.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'facet_counts_%'")}
    assert len(triggers) == sum(2 + len(c) for c in COUNTED_FACETS.values())
    fresh.close()


def test_an_older_corpus_is_counted_when_upgraded(tmp_path):
    path = tmp_path / "old.db"
    v008_corpus(path, [(1, 1, 7, None, None), (2, 1, 9, None, None)])
    corpus = Corpus(path)  # opening applies the pending migrations
    kept = kept_counts(corpus.db.conn)
    assert kept == true_counts(corpus.db.conn) and ("reports", "year", 2023) in kept
    corpus.close()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    return crawled_corpus(tmp_path_factory)


def facets_named(data: dict, name: str) -> list[dict]:
    return [f for f in data["facet_results"].values() if f["name"] == name]


@pytest.mark.parametrize("table", sorted(COUNTED_FACETS))
def test_whole_table_facets_equal_datasettes_own(crawled, table):
    ds = make_datasette(crawled["db"], immutable=True)
    columns = COUNTED_FACETS[table]
    # Asking for the same facets again adds Datasette's own column facet beside the counted one.
    asked = "&".join(f"_facet={c}" for c in columns)
    data = get(ds, f"/corpus/{table}.json?{asked}&_size=1").json()
    conn = sqlite3.connect(f"file:{crawled['db']}?mode=ro", uri=True)
    truth = true_counts(conn)
    conn.close()
    for column in columns:
        ours, theirs = sorted(facets_named(data, column), key=lambda f: f["hideable"])
        assert not ours["hideable"] and theirs["hideable"]  # from metadata / from the request
        assert {**ours, "hideable": True} == theirs, (table, column)
        assert ours["type"] == "column"
        counts = {r["value"]: r["count"] for r in ours["results"]}
        assert counts == {v: n for (t, c, v), n in truth.items() if (t, c) == (table, column)}
    assert any(f["results"] for f in data["facet_results"].values()) or table == "errors"


def test_the_counts_are_read_and_a_filtered_page_counts_its_rows(crawled, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(crawled["db"], db)
    conn = sqlite3.connect(db)
    province, n = conn.execute("SELECT value, n FROM facet_counts WHERE table_name = 'reports' "
                               "AND column_name = 'province' ORDER BY n DESC LIMIT 1").fetchone()
    year, in_year = conn.execute("SELECT year, count(*) FROM reports WHERE province = ? "
                                 "GROUP BY year ORDER BY 2 DESC LIMIT 1", [province]).fetchone()
    with conn:  # a count no GROUP BY would give: only the kept counts can show it
        conn.execute("UPDATE facet_counts SET n = n + 1000 WHERE table_name = 'reports' AND "
                     "column_name = 'province' AND value = ?", [province])
    conn.close()
    ds = make_datasette(db, immutable=True)
    whole = get(ds, "/corpus/reports.json?_size=1").json()
    shown = {r["value"]: r["count"] for r in facets_named(whole, "province")[0]["results"]}
    assert shown[province] == n + 1000
    html = get(ds, "/corpus/reports").text
    assert f"{n + 1000:,}" in html
    # A filtered page counts the rows it matches, as Datasette does.
    filtered = get(ds, f"/corpus/reports.json?year={year}&_size=1").json()
    shown = {r["value"]: r["count"] for r in facets_named(filtered, "province")[0]["results"]}
    assert shown[province] == in_year
    selected = [r for r in facets_named(filtered, "year")[0]["results"] if r["selected"]]
    assert [r["value"] for r in selected] == [year]
