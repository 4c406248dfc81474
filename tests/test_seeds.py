"""The five real seed reports (tests/seeds/*.txt) against their hand-checked expected JSON.

Each seed goes through the public path, ``parsers.parse_document`` (the real text reader, then
the interpreter). A failing cell names table/row/col; check outcomes, sections and the warnings
that must be raised are compared too.

Hand-checked facts worth knowing when a test fails:
  000: the 结转下年度 row prints 6 numbers for 7 columns → natural_person null + warning; the
       closing signature and date are not part of ``other``; published 2025-01-09.
  001: 行政规范性文件 现行有效件数 = 4; no closing date.
  003: no title in the body, agency null (the only full name is a cited notice's issuer); year
       from section 一; a single (六)其他处理 row → other_handling, sub-rows null; 规范性文件.
  004: pipe layout; the sixth section is printed as (三)其他需要报告的事项 inside 五.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import parse_document

SEEDS = Path(__file__).parent / "seeds"
CASES = sorted(p.stem for p in SEEDS.glob("*.txt"))
TABLES = ("active", "requests", "review_litigation")
META = ("is_annual_report", "title", "agency", "year", "format", "published_date", "needs_ocr")


def _parse(stem: str) -> tuple[dict, dict]:
    data = (SEEDS / f"{stem}.txt").read_bytes()
    report = parse_document(data, "text/plain", f"{stem}.txt")
    expected = json.loads((SEEDS / f"{stem}.expected.json").read_text(encoding="utf-8"))
    return report, expected


def test_every_seed_has_an_expected_file():
    assert len(CASES) == 5
    for stem in CASES:
        assert (SEEDS / f"{stem}.expected.json").exists(), stem


@pytest.mark.parametrize("stem", CASES)
def test_metadata(stem):
    report, expected = _parse(stem)
    wrong = [f"{k}: expected {expected[k]!r}, got {report.get(k)!r}" for k in META
             if report.get(k) != expected[k]]
    assert not wrong, f"{stem}: " + "; ".join(wrong)


@pytest.mark.parametrize("stem", CASES)
def test_every_cell(stem):
    report, expected = _parse(stem)
    wrong = []
    for table in TABLES:
        for row, cols in expected[table].items():
            for col, value in cols.items():
                got = report.get(table, {}).get(row, {}).get(col, "MISSING")
                if got != value or type(got) is not type(value):
                    wrong.append(f"{table}.{row}.{col}: expected {value!r}, got {got!r}")
        extra = {f"{table}.{r}.{c}" for r, cols in report.get(table, {}).items() for c in cols}
        extra -= {f"{table}.{r}.{c}" for r, cols in expected[table].items() for c in cols}
        wrong += [f"{key}: not a key of format {expected['format']}" for key in sorted(extra)]
    assert not wrong, f"{stem}: {len(wrong)} wrong cell(s)\n" + "\n".join(wrong)


@pytest.mark.parametrize("stem", CASES)
def test_checks(stem):
    report, expected = _parse(stem)
    got = {c["name"]: c["passed"] for c in report["checks"]}
    assert list(got) == list(expected["checks"]), f"{stem}: check names differ"
    wrong = [f"{name}: expected {passed}, got {got[name]} ({detail})"
             for name, passed in expected["checks"].items()
             for detail in [next(c["detail"] for c in report["checks"] if c["name"] == name)]
             if got[name] != passed]
    assert not wrong, f"{stem}: " + "; ".join(wrong)
    for check in report["checks"]:
        assert check["detail"], check


@pytest.mark.parametrize("stem", CASES)
def test_sections(stem):
    report, expected = _parse(stem)
    for key, want in expected["sections"].items():
        text = report["sections"][key]
        assert text, f"{stem}: section {key} missing"
        assert text.startswith(want["starts"]), f"{stem}: {key} starts {text[:20]!r}"
        assert text.endswith(want["ends"]), f"{stem}: {key} ends {text[-20:]!r}"


@pytest.mark.parametrize("stem", CASES)
def test_warnings(stem):
    report, expected = _parse(stem)
    for fragment in expected["warnings_contain"]:
        assert any(fragment in w for w in report["warnings"]), f"{stem}: no warning {fragment!r}"
    if not expected["warnings_contain"]:
        assert report["warnings"] == [], f"{stem}: unexpected warnings {report['warnings']}"


def test_seed_000_lost_cell_is_null_not_zero():
    report, _ = _parse("000_1ff35af37732f7a9")
    assert report["requests"]["carried_forward"]["natural_person"] is None
    assert "requests.carried_forward.natural_person" not in report["cells_raw"]
    assert report["sections"]["other"] == "本年度未收取信息处理费，无其他需要报告事项。"


def test_seed_004_sixth_section_is_not_in_problems():
    report, _ = _parse("004_c95c9b2585076791")
    assert "其他需要报告的事项" not in report["sections"]["problems"]
    assert report["sections"]["other"].startswith("依据《国务院办公厅")


def test_report_is_json_serialisable_and_deterministic():
    first, _ = _parse("003_ae88c21f34adefec")
    second, _ = _parse("003_ae88c21f34adefec")
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)
    assert first["cells_raw"]["requests.new_received.natural_person"] == "1"
