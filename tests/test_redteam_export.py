"""Red team of ``nianbao export`` (docs/redteam-datasette.md): real documents of both formats —
a GBK 2019 page with blank totals, a 2021 page, a DOCX — parsed, stored and exported; each
line of the JSONL must be the ``nianbao parse --json`` object of its document plus provenance,
and the CSV and Parquet must keep blanks blank and zeros zero.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from corpus.codebook import FIELDS
from corpus.export import run_export
from corpus.store import Corpus
from parsers import parse_document
from tests.corpus_env import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "generated"
DOCUMENTS = [("html_official_2019_blank_totals.html", "text/html"),
             ("html_official_2019_gbk.html", "text/html"),
             ("html_official_2021.html", "text/html; charset=utf-8"),
             ("docx_official_2021.docx",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
SITE = "http://www.example.gov.cn/"
PROVENANCE = ("source_url", "page_url", "site", "fetched_at")
pytestmark = pytest.mark.slow


def nianbao(*args):
    return subprocess.run([sys.executable, "-m", "nianbao_cli", *args], capture_output=True,
                          text=True, timeout=180, cwd=ROOT)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    base = tmp_path_factory.mktemp("redteam_export")
    corpus = Corpus(base / "corpus.db")
    corpus.ensure_site(name="示例", url=SITE, region_code="110000", level="province")
    for name, content_type in DOCUMENTS:
        data = (FIXTURES / name).read_bytes()
        corpus.store_document(data=data, url=f"{SITE}nb/{name}", content_type=content_type,
                              fetched_at="2025-02-01T08:00:00Z", page_url=f"{SITE}nb/",
                              site_url=SITE, parsed=parse_document(data, content_type=content_type))
    corpus.close()
    out = {fmt: base / f"reports.{fmt}" for fmt in ("jsonl", "csv", "parquet")}
    result = nianbao("export", "--db", str(base / "corpus.db"), "--format", "jsonl",
                     "--output", str(out["jsonl"]))
    assert result.returncode == 0, result.stderr
    for fmt in ("csv", "parquet"):  # the command's own function, in this process (faster)
        assert run_export(str(base / "corpus.db"), fmt, str(out[fmt])) == 0
    return out


def parse_json(name):
    """``nianbao parse --json`` of a fixture: the real command for the GBK page, the same
    function in this process for the others (a subprocess each is seconds)."""
    if name.endswith("_gbk.html"):
        result = nianbao("parse", str(FIXTURES / name), "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)
    return json.loads(json.dumps(parse_document((FIXTURES / name).read_bytes(),
                                                url=name), ensure_ascii=False))


def test_jsonl_is_parse_json_plus_provenance(exported):
    lines = [json.loads(line) for line in exported["jsonl"].read_text("utf-8").splitlines()]
    assert len(lines) == len(DOCUMENTS)
    by_url = {obj["source_url"]: obj for obj in lines}
    for name, _ in DOCUMENTS:
        obj, parsed = by_url[f"{SITE}nb/{name}"], parse_json(name)
        assert {k: obj.get(k) for k in parsed} == parsed, name  # every key, every value
        assert obj["page_url"] == f"{SITE}nb/" and obj["site"] == SITE
        assert obj["fetched_at"].startswith("2025-02-01T08:00:00")
        assert all(k in obj for k in PROVENANCE)


def _cells(obj):
    return {key: obj[f.table][f.row][f.col] for key, f in FIELDS.items()
            if f.row in obj.get(f.table, {}) and f.col in obj[f.table][f.row]}


def test_csv_and_parquet_keep_blanks_zeros_and_decimals(exported):
    lines = [json.loads(line) for line in exported["jsonl"].read_text("utf-8").splitlines()]
    csv_frame = pd.read_csv(exported["csv"], dtype_backend="numpy_nullable")
    parquet = pd.read_parquet(exported["parquet"])
    blanks = zeros = 0
    for frame in (csv_frame, parquet):
        rows = frame.set_index("report_id")
        for obj in lines:
            for key, value in _cells(obj).items():
                got = rows.loc[obj["report_id"], key]
                if value is None:
                    assert pd.isna(got), (obj["title"], key)
                    blanks += 1
                else:
                    assert not pd.isna(got) and got == value, (obj["title"], key, got, value)
                    zeros += value == 0
        assert set(rows["agency"]) == {obj["agency"] for obj in lines}  # Chinese, unmangled
    assert blanks and zeros  # the fixtures hold both
