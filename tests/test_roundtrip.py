"""Golden-file round trip: every committed generated fixture parses to its expected JSON.

One test per fixture and aspect (cells, metadata, checks, sections); a failure lists each
wrong cell as ``fixture: table.row.col: expected X, got Y``. The second half proves the
committed files are what the generator makes today, so generator and fixtures cannot drift.
Regenerate with ``python -m tests.fixturegen`` (docs/fixtures.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache

import pytest

from parsers import ParseError, parse_file
from tests.fixturegen import expected_json
from tests.fixturegen.catalog import SPECS
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta, compare_sections
from tests.fixturegen.generate import GENERATED, build, dump_expected, figures_for, needs_office

SPEC_BY_NAME = {s.name: s for s in SPECS}
REPORTS = [s for s in SPECS if s.lookalike is None and not s.legacy]
TEXTUAL = [s for s in REPORTS if s.style != "image"]


def _expected(name: str) -> dict:
    return json.loads((GENERATED / f"{name}.expected.json").read_text(encoding="utf-8"))


@cache
def _parsed(name: str) -> dict:
    """Parse a committed fixture once per test process."""
    path = GENERATED / SPEC_BY_NAME[name].filename
    try:
        return parse_file(path)
    except ParseError as exc:  # a clean failure of the parser is a test failure, with its words
        pytest.fail(f"{path.name}: ParseError: {exc}")


def _report(name: str, diffs: list[str]) -> None:
    if diffs:
        shown = "\n".join(f"  {SPEC_BY_NAME[name].filename}: {d}" for d in diffs[:40])
        more = f"\n  … and {len(diffs) - 40} more" if len(diffs) > 40 else ""
        pytest.fail(f"{len(diffs)} difference(s)\n{shown}{more}", pytrace=False)


@pytest.mark.parametrize("name", [s.name for s in REPORTS])
def test_every_cell(name):
    expected = _expected(name)
    got = _parsed(name)
    _report(name, compare_cells(expected, got, missing_as_null=bool(expected.get("needs_ocr"))))


@pytest.mark.parametrize("name", [s.name for s in SPECS])
def test_metadata(name):
    """title/agency/year/format/published_date/is_annual_report (needs_ocr for the image PDF;
    only is_annual_report false for lookalikes)."""
    _report(name, compare_meta(_expected(name), _parsed(name)))


@pytest.mark.parametrize("name", [s.name for s in TEXTUAL])
def test_check_outcomes(name):
    """Each consistency check passes or fails exactly as the generator's own rules say."""
    _report(name, compare_checks(_expected(name), _parsed(name)))


@pytest.mark.parametrize("name", [s.name for s in TEXTUAL])
def test_sections_hold_their_prose(name):
    _report(name, compare_sections(_expected(name), _parsed(name)))


def test_cli_json_matches_expected_cells():
    """``nianbao parse PATH --json`` (the contract's command) gives the same cells."""
    name = "html_official_2021"
    result = subprocess.run([sys.executable, "-m", "nianbao_cli", "parse",
                             str(GENERATED / SPEC_BY_NAME[name].filename), "--json"],
                            check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    _report(name, compare_cells(_expected(name), json.loads(result.stdout)))


# ---- the committed files are exactly what the generator makes ---------------------------------

def test_every_committed_file_has_a_spec():
    files = {p.name for p in GENERATED.iterdir()}
    wanted = {s.filename for s in SPECS} | {f"{s.name}.expected.json" for s in SPECS}
    assert files - wanted == set(), "orphan files: regenerate or delete them"
    assert wanted - files == set(), "missing fixtures: run python -m tests.fixturegen"


@pytest.mark.parametrize("name", [s.name for s in SPECS if not needs_office(s)])
def test_portable_fixture_is_regenerated_byte_for_byte(name):
    spec = SPEC_BY_NAME[name]
    data, expected = build(spec)
    committed = (GENERATED / spec.filename).read_bytes()
    if spec.kind in ("docx", "xlsx"):
        # Zip containers: compare what they hold, so a newer python-docx/openpyxl writing
        # slightly different XML does not count as drift.
        same = _zip_content(spec.kind, data) == _zip_content(spec.kind, committed)
    elif spec.kind == "pdf":
        same = _pdf_words(data) == _pdf_words(committed)  # likewise for a newer reportlab
    else:
        same = data == committed
    assert same, f"{spec.filename} differs from the generator's output: run python -m tests.fixturegen"
    assert dump_expected(expected) == (GENERATED / f"{name}.expected.json").read_bytes()


def _pdf_words(data: bytes) -> list:
    """Every word of a PDF with its page and rounded position."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(page.page_number, round(w["x0"]), round(w["top"]), w["text"])
                for page in pdf.pages for w in page.extract_words()]


def _zip_content(kind: str, data: bytes) -> list:
    """The text a DOCX/XLSX holds, in order, with table merges (what a reader would see)."""
    import io

    if kind == "docx":
        import docx

        doc = docx.Document(io.BytesIO(data))
        body = [p.text for p in doc.paragraphs]
        tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
        return [body, tables]
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in ws.iter_rows()] + \
        sorted(str(r) for r in ws.merged_cells.ranges)


@pytest.mark.parametrize("name", [s.name for s in SPECS if needs_office(s)])
def test_office_fixture_expectation_matches_generator(name):
    """Office-made files cannot be rebuilt without LibreOffice, but their figures can: the
    committed expectation must equal the generator's for the same spec."""
    spec = SPEC_BY_NAME[name]
    fig = figures_for(spec)
    assert dump_expected(expected_json(fig, spec.kind, spec.style)) == \
        (GENERATED / f"{name}.expected.json").read_bytes()


# ---- the committed files have the traits their names promise ---------------------------------

def _pdf_pages(name: str):
    import pdfplumber

    return pdfplumber.open(GENERATED / f"{name}.pdf")


def test_pagebreak_pdf_splits_table_three_over_two_pages():
    with _pdf_pages("pdf_pagebreak_2021") as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    first = next(i for i, t in enumerate(texts) if "予以公开" in t)
    last = next(i for i, t in enumerate(texts) if "结转下年度继续办理" in t)
    assert last > first, "table 三 should start on one page and end on the next"


def test_long_pdf_has_eight_pages_and_nolines_pdfs_have_no_rulings():
    with _pdf_pages("pdf_long_2021") as pdf:
        assert len(pdf.pages) == 8
    for name in ("pdf_nolines_2021", "pdf_nolines_2019"):
        with _pdf_pages(name) as pdf:
            assert sum(len(p.lines) + len(p.rects) for p in pdf.pages) == 0
            assert "予以公开" in "".join(p.extract_text() or "" for p in pdf.pages)


def test_image_pdf_has_no_text_layer():
    with _pdf_pages("pdf_image_2021") as pdf:
        assert pdf.pages and all(not p.chars for p in pdf.pages)
        assert all(p.images for p in pdf.pages)


def test_legacy_office_files_are_ole_containers():
    ole = bytes.fromhex("d0cf11e0a1b11ae1")
    for name in ("doc_office_2021.doc", "doc_office_2019.doc", "wps_office_2021.wps",
                 "xls_office_2019.xls"):
        assert (GENERATED / name).read_bytes()[:8] == ole, name


def test_html_encodings_are_what_the_names_say():
    gbk = (GENERATED / "html_word_2021_nometa_gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert b"charset" not in gbk.lower()
    assert "政府信息公开".encode("gbk") in gbk
    nometa = (GENERATED / "html_trs_2019_gb18030_nometa.html").read_bytes()
    assert b"charset" not in nometa.lower() and "年度报告".encode("gb18030") in nometa
