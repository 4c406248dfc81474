"""Red-team round 9: HTML tables of ``<div>`` s in shapes the explorer's ``html/divs`` does not
draw, read wrong before their fix.

- **row boxes in a head box and a body box** (a stylesheet's thead and tbody:
  ``<div class="table"><div class="thead">…rows…</div><div class="tbody">…rows…</div>``): table
  四's body box held two rows, too few for a table, so it was read as paragraphs, its blank
  cells vanished and the figures after them moved up a column (2 of 8 reports wrong).
- **``<ul>`` rows of ``<li>`` cells**: a list item is a row box as well as a cell box, so the
  cells were taken for rows holding rows, and the grid refused (4 of 8 wrong).

The rows of the head and body boxes are the table's, and a cell's own tag is not looked at
among its contents (``html._div_tables``). Tried and already right: flex rows of ``<span>`` s
(8/8).

    .venv/bin/python -m pytest -q tests/test_redteam_parse11_html.py
"""

from __future__ import annotations

import re

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks


def _list_rows(page: str) -> str:
    page = re.sub(r'<div class="td">(.*?)</div>', r"<li>\1</li>", page)
    return re.sub(r'<div class="tr">(.*?)</div>', r'<ul class="tr">\1</ul>', page)


def _head_and_body(page: str) -> str:
    def boxes(m: re.Match) -> str:
        rows = re.findall(r'<div class="tr">.*?</div>(?=\n|$)', m.group(1), re.S)
        return ('<div class="table">\n<div class="thead">' + "".join(rows[:2]) +
                '</div>\n<div class="tbody">' + "\n".join(rows[2:]) + "</div>\n</div>")
    return re.sub(r'<div class="table">\n(.*?)\n</div>(?=\n|$)', boxes, page, flags=re.S)


def test_div_tables_in_head_and_body_boxes_and_list_rows() -> None:
    misses = []
    for seed in (1, 3, 4, 6):
        fig = make_figures(seed, "2021" if seed % 2 else "2019", blanks="some")
        page = render(fig, "html", "divs").decode()
        exp = expected_json(fig, "html", "divs")
        for name, rewrite in (("list rows", _list_rows), ("head and body", _head_and_body)):
            got = parse_document(rewrite(page).encode(), None, "report.html")
            misses += [f"{name} {seed}: {d}" for d in compare_cells(exp, got) + compare_checks(exp, got)]
    assert misses == []
