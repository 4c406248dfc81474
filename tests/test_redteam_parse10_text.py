"""Red-team round 8: a text report (``pdftotext -layout`` style, space-aligned) giving table 三
twice — the office's own (（一）本级) and its departments' (（二）所属部门) — one after the other.

The report's figures are the first table's (its own agency, as titled; round 5 decided so for
HTML). In a space-aligned layout both tables were one region whose columns were learnt from
the figures of both: the second table's wider figures (``2，118``) set columns the first
table's rows do not fill, so a row with a blank cell (四、结转下年度继续办理 with no 自然人
figure) lost its blank and its figures moved a column (5 of 8 reports wrong). Table 三's heads
(申请人情况, 本列数据…) again below rows of figures now open a region of its own
(``text_columns._heads_again``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse10_text.py
"""

from __future__ import annotations

import re

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks

_TABLE_FOUR = re.compile(r"\n四、(?!\s*结\s*转)")


def own_and_departments(seed: int, fmt: str, style: str = "layout") -> tuple[bytes, dict]:
    """A ``txt/<style>`` report whose section 三 prints the agency's own table 三 under
    （一）本级 and another one (other figures) under （二）所属部门; the expected JSON is the
    first's."""
    own, departments = make_figures(seed, fmt, blanks="some"), make_figures(seed + 1000, fmt, blanks="some")
    texts = [render(f, "txt", style).decode("utf-8") for f in (own, departments)]
    bodies = []
    for text in texts:
        start = text.index("\n", text.index("三、收到和处理")) + 1
        bodies.append((start, _TABLE_FOUR.search(text, start).start()))
    (start, end), (b_start, b_end) = bodies
    text = texts[0]
    text = (text[:start] + "（一）本级\n" + text[start:end] + "\n（二）所属部门\n"
            + texts[1][b_start:b_end] + text[end:])
    return text.encode("utf-8"), expected_json(own, "txt", style)


def test_own_table_then_departments_table() -> None:
    misses = []
    for seed in range(4):
        for fmt in ("2021", "2019"):
            for style in ("layout", "tabs"):
                data, expected = own_and_departments(seed, fmt, style)
                got = parse_document(data, None, "report.txt")
                diffs = compare_cells(expected, got) + compare_checks(expected, got)
                misses += [f"{seed} {fmt} {style}: {d}" for d in diffs]
    assert misses == []
