"""``nianbao export`` through the real CLI, on a crawled corpus and on a synthetic one."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pandas as pd
import pytest

from corpus.codebook import FIELDS
from corpus.export import ID_COLUMNS
from corpus.store import Corpus
from tests.corpus_env import ROOT, crawled_corpus, store_synthetic

SITE = "http://www.scdongqu.gov.cn/"


def nianbao(*args):
    return subprocess.run([sys.executable, "-m", "nianbao_cli", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "corpus.db"
    corpus = Corpus(path)
    corpus.ensure_site(name="攀枝花市东区人民政府", url=SITE, region_code="510402", level="county")
    reports = store_synthetic(corpus, "攀枝花市东区科学技术局", [2019, 2020, 2021], SITE)
    reports += store_synthetic(corpus, "攀枝花市东区教育和体育局", [2022, 2023], SITE)
    corpus.close()
    return path, reports


def test_jsonl_is_the_parse_object_plus_provenance(synthetic_db, tmp_path):
    path, reports = synthetic_db
    out = tmp_path / "r.jsonl"
    result = nianbao("export", "--db", str(path), "--format", "jsonl", "--output", str(out))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(reports)
    for obj, parsed in zip(lines, reports):
        for key in ("is_annual_report", "title", "agency", "year", "format", "published_date",
                    "sections", "active", "requests", "review_litigation"):
            assert obj[key] == parsed[key], key
        assert obj["checks"] == parsed["checks"]
        assert obj["cells_raw"] == parsed["cells_raw"]
        assert obj["source_url"].startswith("http://www.example.gov.cn/")
        assert obj["site"] == SITE and obj["fetched_at"].endswith("Z")
        assert "page_url" in obj
    assert any(c["name"].startswith("carryover:") for c in lines[1]["corpus_checks"])


def test_jsonl_to_stdout_from_crawled_corpus(tmp_path_factory):
    crawled = crawled_corpus(tmp_path_factory)
    result = nianbao("export", "--db", str(crawled["db"]), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objs) == crawled["counts"]["reports"]
    truth = crawled["truth"]
    matched = 0
    for obj in objs:
        facts = next((f for f in truth.values() if obj["source_url"] in f["urls"]), None)
        if facts is not None:
            matched += 1
            assert (obj["agency"], obj["year"]) == (facts["agency"], facts["year"])
    assert matched >= len(objs) // 2


def test_csv_wide_with_codebook_loads_in_pandas(synthetic_db, tmp_path):
    path, reports = synthetic_db
    out = tmp_path / "reports.csv"
    result = nianbao("export", "--db", str(path), "--format", "csv", "--output", str(out))
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out)
    assert list(frame.columns) == ID_COLUMNS + list(FIELDS)
    assert len(frame) == len(reports)
    assert frame["requests.new_received.total"].tolist() == \
        [r["requests"]["new_received"]["total"] for r in reports]
    # A 2021 key is blank on 2019-format rows, not 0.
    assert frame.loc[frame["format"] == 2019, "active.rules.issued"].isna().all()
    with open(tmp_path / "reports.codebook.csv", encoding="utf-8") as fh:
        book = list(csv.DictReader(fh))
    assert [b["column"] for b in book] == list(FIELDS)
    assert book[0]["label_zh"] and book[0]["label_en"] and book[0]["unit"]


def test_parquet_keeps_types_and_nulls(synthetic_db, tmp_path):
    path, reports = synthetic_db
    out = tmp_path / "reports.parquet"
    result = nianbao("export", "--db", str(path), "--format", "parquet", "--output", str(out))
    assert result.returncode == 0, result.stderr
    frame = pd.read_parquet(out)
    assert len(frame) == len(reports) and list(frame.columns) == ID_COLUMNS + list(FIELDS)
    assert frame["active.administrative_fees.amount_10k_yuan"].tolist()[-1] == \
        reports[-1]["active"]["administrative_fees"]["amount_10k_yuan"]
    assert frame["review_litigation.review.total"].tolist() == \
        [r["review_litigation"]["review"]["total"] for r in reports]
    assert (tmp_path / "reports.codebook.csv").exists()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_missing_database_is_one_line_exit_1(tmp_path, fmt):
    result = nianbao("export", "--db", str(tmp_path / "none.db"), "--format", fmt,
                     "--output", str(tmp_path / "x"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no corpus database" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_not_a_corpus_and_parquet_to_stdout_are_errors(tmp_path, synthetic_db):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    result = nianbao("export", "--db", str(junk), "--format", "csv")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    result = nianbao("export", "--db", str(synthetic_db[0]), "--format", "parquet")
    assert result.returncode == 1 and "--output" in result.stderr


class _Terminal:
    """A stderr that says it is a terminal (tqdm draws only on one) and keeps what is written."""

    def __init__(self):
        self.text = ""

    def isatty(self):
        return True

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_export_shows_progress_on_a_terminal_only(synthetic_db, tmp_path, monkeypatch):
    from corpus.export import run_export

    path, reports = synthetic_db
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert run_export(str(path), "csv", str(tmp_path / "r.csv")) == 0
    assert f"/{len(reports)}" in terminal.text and "export" in terminal.text
    assert f"exported {len(reports)} reports" in terminal.text
    # Not a terminal (a nightly job's log, a pipe): the summary line only, no bar.
    result = nianbao("export", "--db", str(path), "--format", "csv", "--output",
                     str(tmp_path / "s.csv"))
    assert result.returncode == 0
    assert result.stderr.strip().splitlines() == [
        f"exported {len(reports)} reports to {tmp_path / 's.csv'} "
        f"(codebook: {tmp_path / 's.codebook.csv'})"]
