"""Red-team: plain-text reports in layouts converters produce (markdown tables, space-aligned
columns as ``pdftotext -layout`` prints them, GB18030 with CRLF).

Figures come from :func:`tests.test_redteam_html.truth` (consistent by construction).

    .venv/bin/python -m pytest -q tests/test_redteam_text.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document
from tests.test_redteam_html import diff, truth
from tests.test_redteam_office import (
    REQ_HEADER,
    REVIEW_HEADER,
    active_grid,
    requests_grid,
    review_grid,
)

AGENCY = "太原市小店区商务局"
YEAR = 2022


def markdown(grid: list[list[str]]) -> list[str]:
    width = max(len(r) for r in grid)
    lines = []
    for n, row in enumerate(grid):
        cells = row + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if n == 0:
            lines.append("|" + "---|" * width)
    return lines


def spaced(grid: list[list[str]]) -> list[str]:
    """Columns padded with spaces; empty label cells print as nothing (pdftotext -layout)."""
    out = []
    for row in grid:
        labels = " ".join(c for c in row if c and not c.replace(".", "").isdigit())
        figures = [c for c in row if c and c.replace(".", "").isdigit()]
        out.append(f"{labels:<40}" + "".join(f"{f:>8}" for f in figures))
    return out


def report(t: dict, layout) -> str:
    lines = [f"{AGENCY}{YEAR}年政府信息公开工作年度报告", "",
             f"本报告中所列数据的统计期限自{YEAR}年1月1日起至{YEAR}年12月31日止。", "",
             "一、总体情况", f"{YEAR}年，我局扎实推进政务公开工作。", "", "二、主动公开政府信息情况", ""]
    lines += layout(active_grid(t)) + ["", "三、收到和处理政府信息公开申请情况", ""]
    lines += layout(REQ_HEADER + requests_grid(t)) + ["", "四、政府信息公开行政复议、行政诉讼情况", ""]
    lines += layout(REVIEW_HEADER + review_grid(t)) + ["", "五、存在的主要问题及改进情况", "一是公开质量有待提高。", "",
                                                      "六、其他需要报告的事项", "本年度未收取信息处理费。", "",
                                                      AGENCY, "2023年1月13日"]
    return "\r\n".join(lines)


@pytest.mark.parametrize("layout", ["markdown"])
def test_text_layout(layout: str) -> None:
    t = truth("2021", seed=5)
    data = report(t, {"markdown": markdown, "spaced": spaced}[layout]).encode("gb18030")
    got = parse_document(data, "text/plain", f"report_{layout}.txt")
    want = dict(t, is_annual_report=True, agency=AGENCY, year=YEAR, format="2021", published_date="2023-01-13")
    problems = diff(want, got)
    assert not problems, f"{layout}: {len(problems)} wrong: " + "; ".join(problems[:12])


def test_space_aligned_rows_keep_their_figures() -> None:
    """pdftotext -layout output: every printed figure lands in its row, in order (blank cells
    cannot be located in this layout, so the fixture prints every cell)."""
    t = truth("2021", seed=5)
    t["active"]["administrative_coercion"]["decisions"] = 3  # printed, not blank
    data = report(t, spaced).encode("utf-8")
    got = parse_document(data, "text/plain", "report_spaced.txt")
    want = dict(t, is_annual_report=True, agency=AGENCY, year=YEAR, format="2021")
    problems = diff(want, got)
    assert not problems, f"spaced: {len(problems)} wrong: " + "; ".join(problems[:12])
