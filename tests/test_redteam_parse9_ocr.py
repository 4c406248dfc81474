"""Red-team round 7: the text layer of a scanned report recognised by OCR reads a figure's 0 as
the letter O and its 1 as l or I (``1O5``, ``l2``, a lone ``O``). Such a cell was text: the
row's label grew by it and its figures moved a column (every such row wrong before). Letters
among digits are read as those digits; a cell of letters alone (``OK``, ``l``) stays text.

    .venv/bin/python -m pytest -q tests/test_redteam_parse9_ocr.py
"""

from __future__ import annotations

import re

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks


def _misread(match: re.Match) -> str:
    text = match.group(2)
    if text == "0" or "0" in text[1:] or text.startswith("1") and len(text) > 1:
        text = text.replace("0", "O").replace("1", "l", 1)  # a lone l or I may be a table rule
    return match.group(1) + text + match.group(3)


def test_ocr_letters_for_digits() -> None:
    fig = make_figures(11, "2021", blanks="none")
    text = render(fig, "txt", "tabs").decode()
    start = text.find("申请人情况")
    head, body = text[:start], text[start:].translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    body = re.sub(r"(\t)([0-9]+)()(?=[\t\n])", _misread, body)
    assert body.count("\tO") >= 10 and "\tl" in body
    expected = expected_json(fig, "txt", "tabs")
    got = parse_document((head + body).encode(), None, "report.txt")
    assert compare_cells(expected, got) + compare_checks(expected, got) == []
