"""Whatever a parser hands over, storing it never crashes and never invents a figure."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.codebook import FIELDS
from corpus.store import Corpus

KEYS = list(FIELDS)
junk = st.one_of(st.none(), st.integers(-5, 10_000), st.floats(allow_nan=True),
                 st.sampled_from([float("nan"), float("inf"), 0.0, -0.0]),
                 st.text(max_size=6), st.booleans(), st.lists(st.integers(), max_size=2))


@st.composite
def parsed_reports(draw):
    report = {"is_annual_report": True,
              "agency": draw(st.one_of(st.none(), st.sampled_from(
                  ["攀枝花市东区科学技术局", "  ", "某某局", ""]), st.integers())),
              "year": draw(st.one_of(st.none(), st.integers(1900, 2100),
                                     st.sampled_from(["2023", "二〇二三", ""]))),
              "format": draw(st.sampled_from(["2021", "2019", "legacy", None, 7])),
              "title": draw(st.one_of(st.none(), st.text(max_size=20))),
              "checks": draw(st.one_of(st.none(), st.lists(st.fixed_dictionaries(
                  {"name": st.text(min_size=1, max_size=12), "passed": junk,
                   "detail": st.text(max_size=10)}), max_size=3))),
              "sections": draw(st.one_of(st.none(), st.dictionaries(
                  st.sampled_from(["overview", "problems", "other"]), st.text(max_size=30)))),
              "cells_raw": {}}
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=15, unique=True)):
        table, row, col = key.split(".")
        value = draw(junk)
        report.setdefault(table, {}).setdefault(row, {})[col] = value
        report["cells_raw"][key] = draw(st.one_of(st.none(), st.text(max_size=5)))
    return report


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=st.lists(parsed_reports(), min_size=1, max_size=3))
def test_any_parsed_object_is_stored_without_inventing_figures(reports):
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus(Path(tmp) / "c.db")
        for i, report in enumerate(reports):
            result = corpus.store_document(data=f"doc {i} {report!r}".encode(),
                                           url=f"http://x.gov.cn/{i}", content_type="text/html",
                                           site_url="http://x.gov.cn/", parsed=report)
            assert result["report_id"] is not None
        db = corpus.db
        for key, value, kind in db.execute("SELECT key, value, kind FROM cells"):
            assert key in FIELDS
            assert (value is None) == (kind not in ("number", "zero"))
            assert value is None or isinstance(value, (int, float))
        for (year,) in db.execute("SELECT year FROM reports"):
            assert year is None or isinstance(year, int)
        corpus.close()
