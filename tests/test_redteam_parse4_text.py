"""Red-team round 3: text reports whose tables are drawn with rules.

Text exports from conversion tools and database consoles draw tables with ``+----+----+`` rules
and ``|`` verticals, or with box-drawing characters (``┌─┬─┐ │ ├─┼─┤ └─┴─┘``), one rule between
every two rows; a cell too long for its column wraps onto more lines of the same row. Each case
prints a generated report (tests.fixturegen: figures known by construction) that way, parses it
with the real parser and compares every table cell and the metadata.

    .venv/bin/python -m pytest -q tests/test_redteam_parse4_text.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document
from parsers.readers.text import read_text
from tests.fixturegen import expected_json, make_figures
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta
from tests.fixturegen.layout import document_blocks

RULES = {  # style: (top, between rows, bottom, vertical)
    "ascii": ("+-+", "+-+", "+-+", "|"),
    "box": ("┌┬┐", "├┼┤", "└┴┘", "│"),
    "heavy": ("┏┳┓", "┣╋┫", "┗┻┛", "┃"),
}


def _rule(chars: str, widths: list[int], dash: str) -> str:
    left, mid, right = chars
    return left + mid.join(dash * w for w in widths) + right


def ruled_text(fig, style: str, wrap: int | None = None) -> bytes:
    """The report as text with ruled tables; ``wrap``: cells longer than this many characters
    continue on the next lines of their row (the other cells blank there)."""
    top, between, bottom, bar = RULES[style]
    dash = "-" if style == "ascii" else "━" if style == "heavy" else "─"
    lines: list[str] = []
    for block in document_blocks(fig):
        if block.kind != "table":
            lines.append(block.text)
            continue
        rows = block.grid.rows
        width = max(len(row) for row in rows)
        widths = [4] * width
        lines.append(_rule(top, widths, dash))
        for n, row in enumerate(rows):
            texts = [cell.text for cell in row]
            pieces = [[t[k:k + wrap] for k in range(0, len(t), wrap)] or [""] if wrap else [t]
                      for t in texts]
            for k in range(max(len(p) for p in pieces)):
                parts = [p[k] if k < len(p) else "" for p in pieces]
                lines.append(bar + bar.join(f" {p} " for p in parts) + bar)
            lines.append(_rule(between if n < len(rows) - 1 else bottom, widths, dash))
    return "\n".join(lines).encode("utf-8")


CASES = [("ascii", None, 3, "2021"), ("ascii", None, 4, "2019"), ("box", None, 11, "2021"),
         ("heavy", None, 3, "2021"), ("box", 9, 3, "2021"), ("ascii", 7, 4, "2019"),
         ("box", 6, 11, "2021")]


@pytest.mark.parametrize("style,wrap,seed,fmt", CASES,
                         ids=[f"{c[0]}-wrap{c[1]}-{c[2]}-{c[3]}" for c in CASES])
def test_ruled_text_table_reads_every_cell(style: str, wrap: int | None, seed: int,
                                           fmt: str) -> None:
    fig = make_figures(seed, fmt)
    expected = expected_json(fig, "txt", "tabs")
    got = parse_document(ruled_text(fig, style, wrap), None, "report.txt")
    assert compare_cells(expected, got) + compare_meta(expected, got) + \
        compare_checks(expected, got) == []


def test_wrapped_cells_join_into_their_row() -> None:
    text = ("+----+----+\n| 一、本年新收政府信息 | 12 |\n| 公开申请数量 |  |\n+----+----+\n"
            "| 规章 | 3 |\n+----+----+\n| 行政规范性文件 | 4 |\n+----+----+\n")
    table = read_text(text.encode("utf-8")).blocks[0]
    assert table.rows == [["一、本年新收政府信息公开申请数量", "12"], ["规章", "3"],
                          ["行政规范性文件", "4"]]


def test_markdown_table_rows_stay_apart() -> None:
    """One rule under the head (markdown): the body lines are rows, not one wrapped row."""
    text = "| 信息内容 | 件数 |\n|---|---|\n| 规章 | 3 |\n| 行政规范性文件 | 4 |\n| 行政许可 | 5 |\n"
    table = read_text(text.encode("utf-8")).blocks[0]
    assert table.rows == [["信息内容", "件数"], ["规章", "3"], ["行政规范性文件", "4"],
                          ["行政许可", "5"]]
