"""Red-team round 7: figures typed in Chinese numerals (``十二``, ``一百二十``, ``三百零五``).

A few offices type their figures in words in a table, as in their prose. A cell of numerals
with units was text: the row's label grew by it and its figures moved a column (every such row
wrong before). A lone numeral stays text (``三`` may open a label, ``一`` is a dash) and so do
digits without units (``一二``): only numerals with 十/百/千/万 are read (``values.cn_count``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse9_numerals.py
"""

from __future__ import annotations

import re

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks

_DIGITS = "零一二三四五六七八九"


def in_words(n: int) -> str:
    """``n`` (10 ≤ n < 10000) in Chinese numerals: 12 → 十二, 120 → 一百二十, 305 → 三百零五."""
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += ("" if unit == "十" and not out and digit == 1 else _DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def test_figures_in_chinese_numerals() -> None:
    assert [in_words(n) for n in (10, 12, 120, 305, 1050, 2003)] == ["十", "十二", "一百二十", "三百零五",
                                                                     "一千零五十", "二千零三"]
    fig = make_figures(7, "2021", blanks="none")
    page = render(fig, "html", "official").decode()
    start = page.find("三、收到和处理")
    head, body = page[:start], page[start:]
    body = re.sub(r"<td>([1-9][0-9]{1,3})</td>",
                  lambda m: f"<td>{in_words(int(m.group(1)))}</td>" if int(m.group(1)) > 10 else m.group(0), body)
    assert body.count("百") + body.count("十") >= 10
    expected = expected_json(fig, "html", "official")
    got = parse_document((head + body).encode(), None, "report.html")
    assert compare_cells(expected, got) + compare_checks(expected, got) == []
