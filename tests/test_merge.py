"""``nianbao merge``: worker databases folded into one corpus, re-parsed from their raw copies."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from corpus.store import Corpus
from crawler.distributed import merge_databases
from tests.corpus_env import store_synthetic

SITE = "http://www.scdongqu.gov.cn/"


def test_merge_reparses_in_order_and_records_a_missing_raw_copy(tmp_path: Path) -> None:
    worker = tmp_path / "w1" / "corpus.db"
    worker.parent.mkdir()
    corpus = Corpus(worker)
    corpus.ensure_site(name="攀枝花市东区人民政府", url=SITE, region_code="510402", level="county")
    reports = store_synthetic(corpus, "攀枝花市东区科学技术局", [2020, 2021, 2022], SITE)
    lost_url, lost_raw = corpus.db.execute(
        "SELECT u.url, d.raw_path FROM document_urls u JOIN documents d USING (sha256) "
        "WHERE u.url LIKE '%2021.html'").fetchone()
    corpus.close()
    (worker.parent / lost_raw).unlink()  # a worker machine lost one raw copy

    main = tmp_path / "corpus.db"
    counts = merge_databases(str(main), [str(worker)], progress=False, jobs=2)
    assert counts == {"documents": 3, "new": 2, "changed": 0, "unchanged": 0, "errors": 1}
    conn = sqlite3.connect(main)
    stored = conn.execute('SELECT agency, year, "requests.new_received.total" FROM reports_wide '
                          "ORDER BY year").fetchall()
    assert stored == [(r["agency"], r["year"], r["requests"]["new_received"]["total"])
                      for r in (reports[0], reports[2])]
    assert conn.execute("SELECT url, kind, reason FROM errors").fetchall() == [
        (lost_url, "merge", "raw copy missing in corpus.db")]
    # Merged again: nothing new, the same error recorded for the run, nothing duplicated.
    again = merge_databases(str(main), [str(worker)], progress=False, jobs=1)
    assert again == {"documents": 3, "new": 0, "changed": 0, "unchanged": 2, "errors": 1}
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
