"""A re-parse and a merge claim their crawl_runs row as a crawl does (corpus.runclaim): while
they run, the next command sees a live run and leaves it; killed, their row is closed as
aborted by the next run instead of saying ``running`` for ever."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import rawstore, reparse
from corpus.runclaim import probe_run
from corpus.store import Corpus
from corpus.synthetic import make_report, report_html
from crawler.distributed import merge_databases


def _corpus_with_a_report(path: Path) -> None:
    report = make_report("横溪县民政局", 2023, seed=3)
    with Corpus(path) as corpus:
        corpus.store_document(report_html(report), "http://www.hx.gov.cn/nb/2023.html",
                              "text/html; charset=utf-8", parsed=report)


def _last_run(db: Path) -> int:
    with Corpus(db) as corpus:
        return corpus.db.execute("SELECT max(id) FROM crawl_runs").fetchone()[0]


def test_a_reparse_holds_its_runs_claim_while_it_works(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "corpus.db"
    _corpus_with_a_report(db)
    seen = []
    documents = reparse._documents

    def probing(corpus: Corpus) -> list:
        seen.append(probe_run(db, _last_run(db)))
        return documents(corpus)

    monkeypatch.setattr(reparse, "_documents", probing)
    result = reparse.reparse_corpus(db, jobs=1, progress=False)
    assert seen == ["live"]
    assert isinstance(probe_run(db, result["run_id"]), dict)  # released: a dead claim now


def test_a_merge_holds_its_runs_claim_while_it_works(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    main, worker = tmp_path / "main.db", tmp_path / "worker" / "w.db"
    worker.parent.mkdir()
    _corpus_with_a_report(worker)
    Corpus(main).close()
    seen = []
    read_raw = rawstore.read_raw

    def probing(*args, **kwargs):
        seen.append(probe_run(main, _last_run(main)))
        return read_raw(*args, **kwargs)

    monkeypatch.setattr(rawstore, "read_raw", probing)
    counts = merge_databases(str(main), [str(worker)], progress=False, jobs=1)
    assert counts["new"] == 1 and seen == ["live"]
    assert isinstance(probe_run(main, _last_run(main)), dict)
