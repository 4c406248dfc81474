"""Red-team round 2: wording and numbering variants of the official tables, every file type.

Real reports rename and renumber the template's labels: 本年度新收 for 本年新收, 其他组织 for 其他,
the (一)…(七) items numbered 1.…7. with their sub-items (1)…(8) (so ``7.总计`` is the results
total), and table 四 printed with 总计 as the first of its five columns. Each case renders a
generated report (tests.fixturegen, figures known by construction) whose table grids are
rewritten the way such a report prints them, parses it with the real parser and compares every
cell and the metadata with the figures.

    .venv/bin/python -m pytest -q tests/test_redteam_parse2_labels.py
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document
from tests.fixturegen import expected_json, layout, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_meta
from tests.fixturegen.layout import Block

Transform = Callable[[list[Block]], None]
_RENDERERS = ("render_html", "render_docx", "render_text", "render_xlsx", "render_pdf")
_CN = "一二三四五六七八"


def rendered(monkeypatch, seed: int, fmt: str, kind: str, style: str,
             transform: Transform) -> tuple[bytes, dict]:
    """A fixture whose logical blocks went through ``transform`` before printing, and its
    expected JSON (the transforms change labels and column order, never a figure)."""
    original = layout.document_blocks

    def blocks(fig):
        out = original(fig)
        transform(out)
        return out

    for name in _RENDERERS:
        monkeypatch.setattr(importlib.import_module(f"tests.fixturegen.{name}"),
                            "document_blocks", blocks)
    fig = make_figures(seed, fmt)
    return render(fig, kind, style), expected_json(fig, kind, style)


def _label_cells(blocks: list[Block], section: str):
    for b in blocks:
        if b.kind == "table" and b.grid.section == section:
            for row in b.grid.rows:
                for cell in row:
                    if cell.role != "value":
                        yield cell


def renumbered(blocks: list[Block]) -> None:
    """（一）予以公开 → 1.予以公开 and 1.属于国家秘密 → （1）属于国家秘密 (one level down)."""
    for cell in _label_cells(blocks, "requests"):
        if m := re.match(r"^（([一二三四五六七])）(.*)", cell.text):
            cell.text = f"{_CN.index(m.group(1)) + 1}.{m.group(2)}"
        elif m := re.match(r"^(\d)\.(.*)", cell.text):
            cell.text = f"（{m.group(1)}）{m.group(2)}"


def reworded(blocks: list[Block]) -> None:
    """本年度新收 / 上年度结转 / 结转下一年度 / 其他组织 / 合计 (the results total)."""
    words = {"一、本年新收政府信息公开申请数量": "一、本年度新收政府信息公开申请数量",
             "二、上年结转政府信息公开申请数量": "二、上年度结转政府信息公开申请数量",
             "四、结转下年度继续办理": "四、结转下一年度继续办理",
             "其他": "其他组织", "（七）总计": "（七）合计"}
    for cell in _label_cells(blocks, "requests"):
        cell.text = words.get(cell.text, cell.text)


def total_first(blocks: list[Block]) -> None:
    """Table 四 with 总计 as the first column of each block (heads and figures both)."""
    def rot(cells):
        return [cells[4]] + cells[:4]

    for b in blocks:
        if b.kind == "table" and b.grid.section == "review_litigation":
            rows = b.grid.rows
            rows[1] = rot(rows[1][:5]) + rows[1][5:]
            rows[2] = rot(rows[2][:5]) + rot(rows[2][5:])
            rows[3] = rot(rows[3][:5]) + rot(rows[3][5:10]) + rot(rows[3][10:])


CASES = [
    # (transform, seed, format, kind, style)
    (renumbered, 4, "2021", "html", "official"),
    (renumbered, 5, "2019", "html", "word"),
    (renumbered, 7, "2021", "docx", "official"),
    (renumbered, 8, "2019", "xlsx", "official"),
    (renumbered, 9, "2021", "txt", "pipe"),
    (reworded, 4, "2021", "html", "official"),
    (reworded, 11, "2019", "docx", "official"),
    (reworded, 12, "2021", "txt", "lines"),
    (total_first, 4, "2021", "html", "official"),
    (total_first, 7, "2021", "html", "flat"),
    (total_first, 13, "2019", "docx", "official"),
    (total_first, 14, "2021", "xlsx", "official"),
    (total_first, 15, "2021", "txt", "pipe"),
]


@pytest.mark.parametrize("transform,seed,fmt,kind,style", CASES,
                         ids=[f"{c[0].__name__}-{c[3]}-{c[4]}-{c[2]}" for c in CASES])
def test_variant_reads_every_cell(monkeypatch, transform, seed, fmt, kind, style) -> None:
    data, expected = rendered(monkeypatch, seed, fmt, kind, style, transform)
    got = parse_document(data, None, f"report.{kind}")
    assert compare_cells(expected, got) + compare_meta(expected, got) == []


def test_total_first_is_told_by_a_warning(monkeypatch) -> None:
    data, expected = rendered(monkeypatch, 4, "2021", "html", "official", total_first)
    got = parse_document(data, None, "report.html")
    assert any("columns printed in the order total" in w for w in got["warnings"])
    # The figures really moved: a positional reading would have put 总计 under 结果维持.
    direct = expected["review_litigation"]["litigation_direct"]
    assert direct["total"] != direct["upheld"]


def test_split_heads_keep_the_official_order() -> None:
    """Heads broken over two rows (结果 / 维持) name no column: positions stay official."""
    from parsers.tables import _review_orders
    split = ["行政复议", "行政诉讼", "结果", "结果", "其他", "尚未", "总", "维持", "纠正", "结果",
             "审结", "计"]
    assert _review_orders(split) == [("upheld", "corrected", "other", "pending", "total")] * 3
    transposed = ["总计", "结果维持", "结果纠正", "其他结果", "尚未审结"]
    assert _review_orders(transposed)[2] == ("total", "upheld", "corrected", "other", "pending")
