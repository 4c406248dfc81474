"""Red-team round 2: awkward inputs through ``nianbao parse`` (the contract's exit codes).

Exit 0 when the file was read (report or not), exit 1 with one stderr line and no traceback
when it cannot be; never a wrong figure. Cases not in tests/test_bad_inputs.py or
tests/test_redteam_bad_inputs.py: a PDF whose CJK font lost its ToUnicode map (text layer of
Latin-1 garbage: needs_ocr, no figure), an HTML page saved as ``.pdf``, file names with spaces
and Chinese, a GBK text without BOM or charset, a 50 MB random file, a page that only embeds
the report as pictures plus a link to its PDF (not a report by itself, format.md §7).

    .venv/bin/python -m pytest -q tests/test_redteam_parse2_inputs.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document
from tests.fixturegen.compare import compare_cells, compare_meta

CLI = [sys.executable, str(ROOT / "nianbao_cli.py"), "parse"]
PDF = ROOT / "tests" / "eval" / "pdf_hrules_2022.pdf"
TABLES = ("active", "requests", "review_litigation")


def parse_cli(path: Path, timeout: float = 60) -> tuple[int, dict | None, str, float]:
    start = time.monotonic()
    proc = subprocess.run(CLI + [str(path), "--json"], capture_output=True, timeout=timeout,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    took = time.monotonic() - start
    out = json.loads(proc.stdout) if proc.returncode == 0 else None
    return proc.returncode, out, proc.stderr.decode("utf-8", "replace"), took


def figures(report: dict) -> list:
    return [v for t in TABLES for row in (report.get(t) or {}).values() for v in row.values()
            if v is not None]


def test_pdf_without_unicode_maps_gives_no_figures(tmp_path: Path) -> None:
    """Blank every /ToUnicode reference (same length, so the xref stays valid): PDFium then
    returns glyph ids as Latin-1 garbage. The parse must flag OCR and invent nothing."""
    data = PDF.read_bytes()
    assert re.search(rb"/ToUnicode \d+ 0 R", data)
    broken = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), data)
    path = tmp_path / "garbled.pdf"
    path.write_bytes(broken)
    code, report, err, _ = parse_cli(path)
    assert code == 0, err
    assert report["needs_ocr"] is True
    assert figures(report) == []
    assert any("unmappable glyphs" in w for w in report["warnings"])
    # garbage never reaches the warnings as unrecognised "row labels"
    assert not any("not recognised" in w for w in report["warnings"])


def test_html_saved_as_pdf_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text("<html><head><meta charset=utf-8><title>x</title></head><body>"
                    "<h1>某市审计局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
                    "<p>2023年，我局认真贯彻落实《条例》。</p></body></html>", encoding="utf-8")
    code, report, err, _ = parse_cli(path)
    assert code == 0, err
    assert report["title"] == "某市审计局2023年政府信息公开工作年度报告"
    assert report["document_type"] == "html"


def test_file_name_with_spaces_and_chinese(tmp_path: Path) -> None:
    path = tmp_path / "某市 审计局 2023年 年度报告 (终稿).pdf"
    path.write_bytes(PDF.read_bytes())
    code, report, err, _ = parse_cli(path)
    assert code == 0, err
    expected = json.loads(PDF.with_suffix("").with_suffix(".expected.json").read_text("utf-8"))
    assert compare_cells(expected, report) + compare_meta(expected, report) == []


def test_gbk_text_without_bom_or_declaration(tmp_path: Path) -> None:
    text = ("某县民政局2021年政府信息公开工作年度报告\n一、总体情况\n2021年，我局扎实推进政务公开。\n"
            "五、存在的主要问题及改进情况\n宣传不够。\n六、其他需要报告的事项\n无。\n")
    path = tmp_path / "报告.txt"
    path.write_bytes(text.encode("gbk"))
    code, report, err, _ = parse_cli(path)
    assert code == 0, err
    assert report["title"] == "某县民政局2021年政府信息公开工作年度报告"
    assert "扎实推进政务公开" in report["sections"]["overview"]


def test_fifty_megabytes_of_random_bytes_fail_fast(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(os.urandom(50 * 1024 * 1024))
    code, report, err, took = parse_cli(path)
    assert code == 1 and report is None
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert took < 20


def test_directory_named_like_a_report(tmp_path: Path) -> None:
    path = tmp_path / "2023年报.pdf"
    path.mkdir()
    code, _, err, _ = parse_cli(path)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_page_of_pictures_and_a_pdf_link_is_not_a_report_by_itself() -> None:
    """The report is the linked PDF; the page holds its title, pictures of its pages and the
    link — no heading, table or statistics sentence (format.md §7's body signals)."""
    page = ("<html><head><meta charset=utf-8><title>某市自然资源局2023年政府信息公开工作年度报告</title>"
            "</head><body><h1>某市自然资源局2023年政府信息公开工作年度报告</h1>"
            "<div class=info>发布机构：某市自然资源局 发布日期：2024-01-18</div>"
            "<div class=TRS_Editor><p><img src=./W1.png></p><p><img src=./W2.png></p>"
            "<p>附件：<a href=./P020240118.pdf>某市自然资源局2023年政府信息公开工作年度报告.pdf</a>"
            "</p></div></body></html>")
    report = parse_document(page.encode(), "text/html", "http://x.gov.cn/t20240118_1.html")
    assert report["is_annual_report"] is False
    assert figures(report) == []
