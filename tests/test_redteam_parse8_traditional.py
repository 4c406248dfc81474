"""Red-team round 6: reports in traditional characters — a site's 繁體 copy of the page
(政府信息公開工作年度報告, 申請, 辦理, 覆議; with Taiwan's words 政府資訊公開, 專案, 規範性檔案).
Same template, same report: the labels map to the same keys (docs/format.md §6) and the title
and agency read as the simplified original. Before round 6 no table 二 row, few table 三 rows
and no heading matched (83–111 cells and fields wrong a report). A document is folded only when
characters only traditional texts use are common in it (``parsers.hanzi``).

The documents are built by ``python -m tests.eval.make_redteam_parse8`` (OpenCC, at build time
only) and committed; the answers here come from the figures again, not from the stored JSON.

    .venv/bin/python -m pytest -q tests/test_redteam_parse8_traditional.py
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import parse_document, parse_file
from parsers.document import Document, Table
from parsers.hanzi import fold, fold_document, is_traditional
from parsers.readers import read_document
from tests.eval.make_redteam_parse8 import DOCUMENTS
from tests.fixturegen import expected_json, make_figures
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta, compare_sections

EVAL = Path(__file__).resolve().parent / "eval"
SEEDS = Path(__file__).resolve().parent / "seeds"
TRADITIONAL = [name for name in DOCUMENTS if "traditional" in name]


@pytest.mark.parametrize("name", TRADITIONAL)
def test_traditional_copy_reads_as_the_report(name: str) -> None:
    options, _, ext = DOCUMENTS[name]
    fig = make_figures(**options)
    kind = {"html": ("html", "trs"), "docx": ("docx", "official"), "txt": ("txt", "tabs")}[ext]
    expected = expected_json(fig, *kind)
    got = parse_file(EVAL / f"{name}.{ext}")
    assert (compare_cells(expected, got) + compare_checks(expected, got) + compare_meta(expected, got)
            + compare_sections(expected, got)) == []


def test_template_words() -> None:
    assert fold("三、收到和處理政府資訊公開申請情況") == "三、收到和处理政府信息公开申请情况"
    assert fold("（三）行政覆議 結果維持") == "(三)行政复议 结果维持".replace("(", "（").replace(")", "）")
    assert fold("行政規範性檔案") == "行政规范性文件"
    assert fold("政府集中採購專案數量") == "政府集中采购项目数量"


def test_simplified_documents_are_never_folded() -> None:
    """Every seed and eval document in simplified characters comes back untouched — also one
    quoting traditional names (臺灣, 香港特別行政區) in its prose."""
    quoting = Document("txt", ["某某市2023年政府信息公开工作年度报告", "一、总体情况",
                               "接待臺灣同胞、香港特別行政區來訪人員咨询3次。" * 2,
                               Table([["规章", "1", "0", "3"]])])
    assert fold_document(quoting)[0] is quoting
    assert is_traditional("二〇二三年政府資訊公開工作年度報告")
    for path in [*SEEDS.glob("*.expected.json"), *EVAL.glob("*.expected.json")]:
        stem = path.name[:-len(".expected.json")]
        if "traditional" in stem:
            continue
        doc = next(p for p in path.parent.glob(stem + ".*") if not p.name.endswith(".json"))
        if doc.suffix in (".html", ".txt", ".docx"):
            read = read_document(doc.read_bytes(), None, doc.name)
            assert fold_document(read)[0] is read, doc.name


@pytest.mark.parametrize("name", ["txt_traditional_2019", "html_traditional_2023"])
def test_traditional_copy_saved_as_big5(name: str) -> None:
    """The same copies saved as Big5 with no charset said: strict GB18030 decoded them into
    nonsense (``encoding._big5_instead``)."""
    options, _, ext = DOCUMENTS[name]
    fig = make_figures(**options)
    kind = {"html": ("html", "trs"), "txt": ("txt", "tabs")}[ext]
    # characters Big5 lacks, as a Big5 typist writes them
    text = (EVAL / f"{name}.{ext}").read_text(encoding="utf-8").translate(str.maketrans("−爲户〇", "－為戶零"))
    text = text.replace("charset=utf-8", "").replace('<meta charset="utf-8">', "")
    expected = expected_json(fig, *kind)
    got = parse_document(text.encode("cp950"), None, f"report.{ext}")
    assert compare_cells(expected, got) + compare_checks(expected, got) + compare_meta(expected, got) == []
