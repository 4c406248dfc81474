"""The bulk loader gives the same database as storing documents one by one, in every case."""

from __future__ import annotations

import copy
import hashlib
import random
import sqlite3

import pytest

from corpus.bulk import BulkLoader
from corpus.rawstore import read_raw
from corpus.store import Corpus
from corpus.synthetic import make_report, report_html

SITE = "http://www.scdongqu.gov.cn/"
OTHER_SITE = "http://www.bjhd.gov.cn/"
# Columns that hold the moment of the load, not what was loaded; raw_path says where the
# copy is (a pack or a file), compared by the bytes it gives back (raw_copies).
MOMENTS = {"updated_at", "recorded_at", "changed_at", "added_at", "time", "raw_path"}


def raw_copies(corpus) -> dict[str, bytes | None]:
    return {sha: read_raw(corpus.path.parent, path, sha) for sha, path in corpus.db.execute(
        "SELECT sha256, raw_path FROM documents")}


def everything(db) -> dict[str, list]:
    """Every row of every table (FTS shadow tables aside, moments blanked), to compare."""
    out = {}
    for table in db.table_names():
        if "_fts" in table or table.startswith("_"):
            continue
        cols = [c.name for c in db[table].columns]
        sel = ", ".join("NULL" if c in MOMENTS else f'"{c}"' for c in cols)
        out[table] = sorted(map(repr, db.execute(f'SELECT {sel} FROM "{table}"').fetchall()))
    out["search"] = db.execute("SELECT rowid FROM reports_fts WHERE reports_fts MATCH '依申请公开' "
                               "ORDER BY 1").fetchall()
    return out


def documents(seed: int = 7) -> list[dict]:
    """A crawl's worth of documents with every case the store distinguishes."""
    rng = random.Random(seed)
    docs: list[dict] = []

    def add(report, url, data=None, **kw):
        docs.append({"data": data if data is not None else report_html(report), "url": url,
                     "content_type": "text/html; charset=utf-8", "status": 200,
                     "headers": {"ETag": f'"{len(docs)}"', "Last-Modified": "Mon, 03 Feb 2025"},
                     "fetched_at": f"2025-02-{1 + len(docs) % 27:02d}T08:00:00Z",
                     "site_url": kw.pop("site", SITE), "parsed": report, **kw})

    agencies = ["攀枝花市东区科学技术局", "攀枝花市东区教育局", "北京市海淀区人民政府"]
    for agency in agencies:
        previous = None
        for year in (2019, 2020, 2021, 2022, 2023):
            report = make_report(agency, year, previous=previous, seed=rng.randint(0, 99))
            previous = report
            site = OTHER_SITE if "海淀" in agency else SITE
            add(report, f"{site}ndbg/{agency}/{year}.html", site=site,
                page_url=f"{site}ndbg/{agency}/list.html",
                related_urls=[f"{site}ndbg/{agency}/{year}.pdf"])
    odd = make_report("攀枝花市东区审计局", 2022)
    odd["requests"]["granted"]["total"] = 12.5                      # a decimal
    odd["cells_raw"]["requests.granted.total"] = "12.50"
    odd["requests"]["granted"]["natural_person"] = None             # printed text, no figure
    odd["cells_raw"]["requests.granted.natural_person"] = "—"
    odd["requests"]["withheld_state_secret"]["total"] = None        # blank
    odd["cells_raw"]["requests.withheld_state_secret.total"] = " "
    odd["requests"]["carried_over"]["total"] = True                 # not a figure
    odd["cells_raw"]["requests.carried_forward.total"] = "３"        # printed otherwise
    odd["active"]["rules"]["made_up_column"] = 4                    # not in the codebook
    odd["checks"].append(odd["checks"][0])                          # a repeated check
    odd["extra_key"] = {"x": 1}
    add(odd, f"{SITE}audit/2022.html")
    no_agency = make_report("", 2023)
    no_agency["agency"] = None
    add(no_agency, f"{SITE}unknown/2023.html")
    no_year = make_report("攀枝花市东区民政局", 2023)
    no_year["year"] = None
    add(no_year, f"{SITE}civil/report.html")
    # The same bytes again at another URL; a page and its richer attachment; a non-report.
    first = docs[0]
    add(first["parsed"], f"{SITE}mirror/copy.html", data=first["data"])
    page = make_report("攀枝花市东区财政局", 2023)
    thin = copy.deepcopy(page)
    thin["requests"] = {"new_received": page["requests"]["new_received"]}
    add(thin, f"{SITE}finance/2023.html")
    add(page, f"{SITE}finance/2023.pdf", page_url=f"{SITE}finance/2023.html")
    add({"is_annual_report": False, "title": "通知"}, f"{SITE}notice.html", data=b"<p>notice</p>")
    docs.append({"data": b"%PDF-broken", "url": f"{SITE}broken.pdf", "content_type":
                 "application/pdf", "status": 200, "headers": {}, "fetched_at":
                 "2025-02-02T00:00:00Z", "site_url": SITE, "parsed": None,
                 "parse_error": "corrupt PDF"})
    # A URL seen before now serving new figures: a new version of its report.
    changed = copy.deepcopy(docs[3]["parsed"])
    changed["requests"]["new_received"]["total"] += 1
    add(changed, docs[3]["url"])
    rng.shuffle(docs[:15])  # years out of order: cross-year checks cannot rely on order
    return docs


def load_one_by_one(path, docs) -> Corpus:
    corpus = Corpus(path)
    for site in (SITE, OTHER_SITE):
        corpus.ensure_site(name="人民政府", url=site, region_code="510402", level="county")
    for doc in docs:
        corpus.store_document(**doc)
    return corpus


@pytest.mark.parametrize("batch", [1, 4, 1000])
def test_bulk_load_equals_storing_one_by_one(tmp_path, batch):
    docs = documents()
    one = load_one_by_one(tmp_path / "one.db", docs)
    bulk = Corpus(tmp_path / "bulk.db")
    for site in (SITE, OTHER_SITE):
        bulk.ensure_site(name="人民政府", url=site, region_code="510402", level="county")
    with BulkLoader(bulk, batch=batch) as loader:
        for doc in docs:
            loader.add(**doc)
    expected, got = everything(one.db), everything(bulk.db)
    for table in expected:
        assert got[table] == expected[table], table
    copies = raw_copies(bulk)
    assert copies == raw_copies(one) and None not in copies.values()
    assert {d["data"] for d in docs} == set(copies.values())
    # Most documents took the fast path; the copies, the changed URL and the attachment not.
    assert loader.counts["documents"] == len(docs)
    assert loader.counts["new"] >= len(docs) - 6 and loader.counts["one_by_one"] >= 3
    assert bulk.db.execute("SELECT count(*) FROM checks WHERE scope = 'corpus'").fetchone()[0] > 20
    one.close()
    bulk.close()


def test_bulk_load_inside_fresh_build_equals_a_normal_load(tmp_path):
    docs = documents(seed=3)
    one = load_one_by_one(tmp_path / "one.db", docs)
    fresh = Corpus(tmp_path / "fresh.db")
    for site in (SITE, OTHER_SITE):
        fresh.ensure_site(name="人民政府", url=site, region_code="510402", level="county")
    with fresh.fresh_build(), BulkLoader(fresh, batch=5) as loader:
        for doc in docs:
            loader.add(**doc)
    assert everything(fresh.db) == everything(one.db)
    assert raw_copies(fresh) == raw_copies(one)
    packed = fresh.db.execute("SELECT count(*) FROM documents WHERE raw_path LIKE "
                              "'raw/packs/%.pack#%'").fetchone()[0]
    assert packed >= len(docs) - 6  # the copies and the changed URL took the careful path
    assert fresh.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert fresh.db.execute("PRAGMA foreign_key_check").fetchall() == []
    one.close()
    fresh.close()


def test_a_failing_batch_leaves_the_committed_ones(tmp_path):
    docs = documents()[:13]
    corpus = Corpus(tmp_path / "c.db")
    loader = BulkLoader(corpus, batch=4)
    for doc in docs[:8]:
        loader.add(**doc)  # two batches handed to the writer
    bad = dict(docs[8], data=None)  # not bytes: fails while being made ready
    with pytest.raises(TypeError):
        loader.add(**bad)
        loader.flush()
    # A batch that fails in SQL (a header value SQLite cannot store) is rolled back whole.
    for doc in [*docs[9:12], dict(docs[12], status={"not": "a number"})]:
        loader.add(**doc)
    with pytest.raises(sqlite3.Error):
        loader.close()
    assert corpus.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 8
    assert corpus.db.execute("SELECT count(DISTINCT report_id) FROM cells").fetchone()[0] == 8
    assert corpus.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not corpus.db.conn.in_transaction
    corpus.close()


def test_the_loader_keeps_every_cell_the_cross_year_checks_read():
    """The bulk loader keeps only cross_year_keys() of each report for compare_years."""
    from corpus.crosschecks import compare_years, cross_year_keys

    read: set[str] = set()

    class Recording(dict):
        def get(self, key, default=None):
            read.add(key)
            return super().get(key, default)

    for before, after in (("2021", "2021"), ("2019", "2019"), ("2019", "2021")):
        prev, this = make_report("甲", 2020, fmt=before), make_report("甲", 2021, fmt=after)
        flat = [{f"{t}.{r}.{c}": v for t in ("active", "requests")
                 for r, cols in rep[t].items() for c, v in cols.items()} for rep in (prev, this)]
        compare_years(Recording(flat[0]), before, Recording(flat[1]), after)
    assert read == cross_year_keys()


def test_fresh_build_refuses_to_finish_with_a_dangling_reference(tmp_path):
    corpus = Corpus(tmp_path / "c.db")
    with pytest.raises(RuntimeError, match="dangling reference"), corpus.fresh_build():
        corpus.db.execute("INSERT INTO document_urls (url, report_id) VALUES ('http://x/', 99)")
        corpus.db.conn.commit()
    # Foreign keys are enforced again afterwards.
    with pytest.raises(sqlite3.IntegrityError):
        corpus.db.execute("INSERT INTO document_urls (url, report_id) VALUES ('http://y/', 98)")
    corpus.close()


def test_datasette_serves_raw_copies_from_packs(tmp_path):
    from corpus.serve import make_datasette
    from tests.corpus_env import get

    docs = documents()[:6]
    corpus = Corpus(tmp_path / "corpus.db")
    with BulkLoader(corpus) as loader:
        for doc in docs:
            loader.add(**doc)
    rows = corpus.db.execute("SELECT sha256, raw_path FROM documents").fetchall()
    corpus.close()
    assert all("#" in path for _, path in rows)  # all in a pack
    ds = make_datasette(tmp_path / "corpus.db")
    for doc in docs:
        sha = hashlib.sha256(doc["data"]).hexdigest()
        response = get(ds, f"/-/raw/{sha}")
        assert response.status_code == 200 and response.content == doc["data"]
    assert get(ds, "/-/raw/" + "1" * 64).status_code == 404


def test_after_a_failed_batch_the_loader_goes_on_without_losing_documents(tmp_path):
    """A batch that failed in SQL is rolled back with the agency and site it added; the next
    batch is kept when the error is raised, and stores them again correctly."""
    docs = documents()
    new_site = "http://www.newsite.gov.cn/"
    first = dict(docs[0], site_url=new_site)  # a site nobody registered, a new agency
    bad = dict(docs[1], status={"not": "a number"})
    corpus = Corpus(tmp_path / "c.db")
    loader = BulkLoader(corpus, batch=2)
    loader.add(**first)
    loader.add(**bad)                   # batch 1 handed to the writer; it fails there
    loader.add(**docs[2])
    with pytest.raises(sqlite3.Error):
        loader.add(**docs[3])           # batch 2 is ready: the failure of batch 1 surfaces
    assert corpus.db.execute("SELECT count(*) FROM sites").fetchone()[0] == 0
    loader.add(**first)                 # the caller retries the good one of batch 1
    loader.close()                      # batch 2 (kept) and the retry are stored
    urls = {u for (u,) in corpus.db.execute("SELECT url FROM documents")}
    assert urls == {first["url"], docs[2]["url"], docs[3]["url"]}
    assert corpus.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert corpus.db.execute("SELECT count(*) FROM sites WHERE url = ?",
                             [new_site]).fetchone()[0] == 1
    corpus.close()
