"""A web that changes under the crawler, night after night: whatever the order of fetches,
changes, moves and removals, the corpus never holds two reports of one agency and year, every
report's figures are those of the document it names as its source, its versions are counted,
every stored document's raw copy is there, and fetching an unchanged URL again changes nothing.

A Hypothesis state machine drives ``Corpus.store_document`` / ``mark_removed`` the way the
crawler and the nightly do, against a model web of five URLs serving reports of two agencies
and two years in two printings each.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from corpus.bulk import BulkLoader
from corpus.rawstore import read_raw
from corpus.schema import COUNTED_FACETS, quote_name
from corpus.store import Corpus
from tests.test_corpus_bulk import everything

URLS = [f"http://hist.gov.cn/nb/{i}.html" for i in range(5)]
AGENCIES = ["样例市民政局", "样例市教育局"]
YEARS = [2022, 2023]
# Figures that carry on from 2022 to 2023 for one printing, and break for the other.
CELLS = ("requests.new_received.natural_person", "requests.carried_over.natural_person",
         "requests.granted.natural_person", "requests.carried_forward.natural_person")


def figures(agency: str, year: int, printing: int) -> dict[str, int]:
    base = 10 * (AGENCIES.index(agency) + 1) + year - 2000
    return dict(zip(CELLS, (base + printing, 3 if year == 2022 else 4 + printing,
                            base - 5, 4 if year == 2022 else 2)))


def parsed_report(agency: str, year: int, printing: int) -> dict:
    report: dict = {"is_annual_report": True, "agency": agency, "year": year, "format": "2021",
                    "title": f"{agency}{year}年政府信息公开工作年度报告", "document_type": "html",
                    "sections": {"overview": f"{agency}总体情况，第{printing}版。"}}
    for key, value in figures(agency, year, printing).items():
        table, row, col = key.split(".")
        report.setdefault(table, {}).setdefault(row, {})[col] = value
    return report


def document(agency: str, year: int, printing: int) -> tuple[bytes, dict]:
    return (json.dumps([agency, year, printing], ensure_ascii=False).encode(),
            parsed_report(agency, year, printing))


class ChangingWeb(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.corpus = Corpus(Path(self.tmp.name) / "c.db")
        self.web: dict[str, tuple[str, int, int] | None] = {u: None for u in URLS}
        self.figures_of: dict[str, dict[str, int]] = {}   # sha256 → figures it holds
        self.clock = 0
        self.fetched: set[str] = set()
        self.last_fetched: dict[str, str] = {}   # url → sha256 of its last fetch

    def teardown(self):
        self.corpus.close()
        self.tmp.cleanup()

    def _now(self) -> str:
        self.clock += 1
        return f"2026-01-01T00:{self.clock // 60:02d}:{self.clock % 60:02d}+00:00"

    @rule(url=st.sampled_from(URLS), agency=st.sampled_from(AGENCIES),
          year=st.sampled_from(YEARS), printing=st.integers(0, 1))
    def publish(self, url, agency, year, printing):
        self.web[url] = (agency, year, printing)

    @rule(url=st.sampled_from(URLS), n=st.integers(0, 1))
    def publish_a_notice(self, url, n):
        self.web[url] = ("notice", n, 0)  # a page that is not a report (a 404 page, a notice)

    @rule(url=st.sampled_from(URLS))
    def take_down(self, url):
        self.web[url] = None

    @rule(url=st.sampled_from(URLS), page=st.none() | st.sampled_from(URLS))
    def fetch(self, url, page=None):
        """``page``: the report page that listed ``url`` as its attachment."""
        served = self.web[url]
        if served is None:
            if url in self.fetched:
                self.corpus.mark_removed(url, reason="404")
            return
        if served[0] == "notice":
            data, parsed = f"通知 {served[1]}".encode(), {"is_annual_report": False,
                                                          "document_type": "html"}
        else:
            data, parsed = document(*served)
        page = page if page != url else None
        result = self.corpus.store_document(data=data, url=url, content_type="text/html",
                                            site_url="http://hist.gov.cn/", parsed=parsed,
                                            fetched_at=self._now(), page_url=page,
                                            related_urls=[page] if page else [])
        assert (result["report_id"] is None) == (served[0] == "notice")
        self.figures_of[result["document_id"]] = None if served[0] == "notice" else \
            figures(*served)
        self.fetched.add(url)
        self.last_fetched[url] = result["document_id"]

    @precondition(lambda self: self.fetched)
    @rule(data=st.data())
    def fetch_again_unchanged(self, data):
        url = data.draw(st.sampled_from(sorted(self.fetched)))
        if self.web[url] is None:
            return
        self.fetch(url)  # brings the URL up to date first
        before = self._state()
        self.fetch(url)
        assert self._state() == before, "fetching unchanged bytes again changed the corpus"

    def _state(self) -> dict[str, list]:
        db = self.corpus.db
        ignore = {"fetched_at", "last_seen", "updated_at", "removed_at", "finished_at"}
        state = {}
        for table in ("reports", "report_versions", "cells", "checks", "documents",
                      "document_urls", "cell_changes", "facet_counts"):
            cols = [c for c in db[table].columns_dict if c not in ignore]
            state[table] = sorted(map(repr, db.execute(
                f"SELECT {', '.join(map(quote_name, cols))} FROM {table}").fetchall()))
        return state

    @invariant()
    def one_report_per_agency_and_year(self):
        dup = self.corpus.db.execute("SELECT agency, year, count(*) FROM reports GROUP BY "
                                     "agency, year HAVING count(*) > 1").fetchall()
        assert dup == []

    @invariant()
    def figures_are_those_of_the_source_document(self):
        db = self.corpus.db
        for rid, sha, version in db.execute(
                "SELECT id, document_sha256, version FROM reports").fetchall():
            cells = {k: v for k, v in db.execute(
                "SELECT key, value FROM cells WHERE report_id = ? AND value IS NOT NULL", [rid])}
            assert cells == self.figures_of[sha], (rid, sha)
            versions = [v for (v,) in db.execute("SELECT version FROM report_versions WHERE "
                                                 "report_id = ? ORDER BY version", [rid])]
            assert versions == list(range(1, version + 1))

    @invariant()
    def every_document_kept(self):
        db = self.corpus.db
        stored = dict(db.execute("SELECT sha256, raw_path FROM documents").fetchall())
        assert set(self.figures_of) == set(stored)
        for sha, raw_path in stored.items():
            assert read_raw(Path(self.tmp.name), raw_path, sha) is not None

    @invariant()
    def a_url_names_the_last_bytes_fetched_from_it(self):
        stored = dict(self.corpus.db.execute(
            "SELECT url, sha256 FROM document_urls WHERE sha256 IS NOT NULL").fetchall())
        assert stored == self.last_fetched

    @invariant()
    def a_report_document_is_gone_when_no_url_serves_it(self):
        """What the canned query 被悄悄修改或撤下的年报 lists: a report's bytes no URL serves."""
        db = self.corpus.db
        for sha, removed, live in db.execute(
                "SELECT d.sha256, d.removed_at, EXISTS (SELECT 1 FROM document_urls u WHERE "
                "u.sha256 = d.sha256 AND u.removed_at IS NULL) FROM documents d").fetchall():
            if self.figures_of[sha] is not None:
                assert (removed is None) == bool(live), (sha, removed, live)

    @invariant()
    def checks_are_what_a_recount_gives(self):
        """Checks across years kept up to date as reports arrive, change and move equal those
        recomputed from scratch."""
        db = self.corpus.db

        def checks():
            return (sorted(db.execute("SELECT report_id, name, scope, passed, detail FROM checks")),
                    sorted(db.execute("SELECT id, checks_passed, checks_failed, warnings_failed "
                                      "FROM reports")))
        kept = checks()
        self.corpus.refresh_crosschecks()
        assert checks() == kept
        assert any(scope == "corpus" for _, _, scope, _, _ in kept[0]) or not db.execute(
            "SELECT 1 FROM reports a JOIN reports b ON a.agency_id = b.agency_id "
            "AND a.year = b.year + 1").fetchone()

    @invariant()
    def counts_and_search_index_agree(self):
        db = self.corpus.db
        db.execute("INSERT INTO reports_fts (reports_fts) VALUES ('integrity-check')")
        kept = sorted(db.execute("SELECT table_name, column_name, value, n FROM facet_counts"))
        assert kept == sorted(db.execute(" UNION ALL ".join(
            f"SELECT '{table}', '{column}', {quote_name(column)}, count(*) FROM {table} "
            f"WHERE {quote_name(column)} IS NOT NULL GROUP BY 3"
            for table, columns in COUNTED_FACETS.items() for column in columns)))


ChangingWeb.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_a_changing_web_never_loses_or_duplicates = ChangingWeb.TestCase


fetches = st.lists(st.tuples(st.sampled_from(URLS), st.sampled_from(AGENCIES + ["notice"]),
                             st.sampled_from(YEARS), st.integers(0, 1),
                             st.none() | st.sampled_from(URLS)), min_size=1, max_size=14)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sequence=fetches, batch=st.integers(1, 5))
def test_the_bulk_loader_gives_what_storing_one_by_one_gives(sequence, batch):
    """Any sequence of fetches — copies, moves, changed bytes at a URL, notices at a report's
    URL, attachments and their pages — loaded in batches equals the same fetches stored one by
    one (tests/test_corpus_bulk.py checks the crafted cases)."""
    docs = []
    for i, (url, agency, year, printing, page) in enumerate(sequence):
        if agency == "notice":
            data, parsed = f"通知 {printing}".encode(), {"is_annual_report": False,
                                                        "document_type": "html"}
        else:
            data, parsed = document(agency, year, printing)
        page = page if page != url else None
        docs.append({"data": data, "url": url, "content_type": "text/html", "parsed": parsed,
                     "site_url": "http://hist.gov.cn/", "page_url": page,
                     "related_urls": [page] if page else [],
                     "fetched_at": f"2026-01-01T00:00:{i:02d}+00:00"})
    with tempfile.TemporaryDirectory() as tmp:
        one, bulk = Corpus(Path(tmp) / "one.db"), Corpus(Path(tmp) / "bulk.db")
        for doc in docs:
            one.store_document(**doc)
        with BulkLoader(bulk, batch=batch) as loader:
            for doc in docs:
                loader.add(**doc)
        expected, got = everything(one.db), everything(bulk.db)
        assert {t: got[t] for t in expected if got[t] != expected[t]} == {}
        one.close()
        bulk.close()
