"""Red-team round 6: tab-separated text whose tabs a tool expanded to spaces counting
characters, not display columns (``expand``, ``str.expandtabs``; stops of 8 or 4). A CJK label
pushes its row's cells out of line on screen, so columns read by position were wrong and
blank cells lost (txt/expanded: 8/20 exact for the tab layout before). ``text.retabbed``
makes such runs tabs again when they end at tab stops by character count and not by display
position; the generator's ``txt/expanded`` prints it for the explorer.

    .venv/bin/python -m pytest -q tests/test_redteam_parse8_text.py
"""

from __future__ import annotations

import pytest

from parsers import parse_document
from parsers.readers.text import retabbed
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta


@pytest.mark.parametrize("stop", [8, 4])
@pytest.mark.parametrize("style", ["tabs", "lines"])
@pytest.mark.parametrize("seed,fmt,blanks", [(51, "2021", "some"), (52, "2019", "zeros"), (53, "2021", "none")])
def test_tabs_expanded_by_character_count(style: str, stop: int, seed: int, fmt: str, blanks: str) -> None:
    fig = make_figures(seed, fmt, blanks=blanks)
    text = render(fig, "txt", style).decode("utf-8")
    data = "\n".join(line.expandtabs(stop) for line in text.split("\n")).encode("utf-8")
    expected = expected_json(fig, "txt", style)
    got = parse_document(data, None, "report.txt")
    assert compare_cells(expected, got) + compare_checks(expected, got) + compare_meta(expected, got) == []


def test_other_spacing_is_left_alone() -> None:
    """Space-aligned text (columns by display width), paragraphs indented by four spaces with
    lines of spaces between them, and one-space breaks inside labels are not tabs."""
    layout = render(make_figures(54, "2021"), "txt", "layout").decode("utf-8").split("\n")
    assert retabbed(layout) == layout
    indented = ["    一、总体情况", "    ", "    本机关2023年主动公开政府信息1200条。", "    "] * 6
    assert retabbed(indented) == indented
    rows = ["尚 未审 结" + " " * 2 + "12" + " " * 6 + "3"] * 12
    assert retabbed(rows)[0] == "尚 未审 结\t12\t3"
