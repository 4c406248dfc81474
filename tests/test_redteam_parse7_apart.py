"""Red-team round 5: the three tables printed apart from the report's text — a workbook with
the text on a first sheet (the section headings with nothing under them) and each table on a
sheet of its own, in an order of their own (``xlsx/sheets``); a web page or Word file whose
sections say 详见附表 and whose tables follow after 六 as an appendix. Before, every table was
sought in its heading's section, found empty, and every cell was null (0/10). A heading whose
section holds no figure opens no region: the table is where its anchor cells are
(``tables.find_regions``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse7_apart.py
"""

from __future__ import annotations

import re

import pytest

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta


def _differences(fig, data: bytes, name: str, kind: str, style: str) -> list[str]:
    expected = expected_json(fig, kind, style)
    got = parse_document(data, None, name)
    return compare_cells(expected, got) + compare_meta(expected, got) + compare_checks(expected, got)


@pytest.mark.parametrize("seed,fmt", [(58262126, "2019"), (11, "2021"), (12, "2021"), (4, "2019")])
def test_a_sheet_per_table(seed: int, fmt: str) -> None:
    """Even seeds put 表三's sheet first."""
    fig = make_figures(seed, fmt)
    assert _differences(fig, render(fig, "xlsx", "sheets"), "report.xlsx", "xlsx", "sheets") == []


@pytest.mark.parametrize("seed,fmt", [(7, "2021"), (8, "2019")])
def test_tables_as_an_appendix_after_the_text(seed: int, fmt: str) -> None:
    fig = make_figures(seed, fmt)
    html = render(fig, "html", "official").decode("utf-8")
    tables = re.findall(r"<table.*?</table>", html, flags=re.S)
    assert len(tables) == 3
    for table in tables:
        html = html.replace(table, "<p>（详见附表）</p>")
    html = html.replace("</body>", "<p>附表</p>" + "".join(tables) + "</body>")
    assert _differences(fig, html.encode("utf-8"), "report.html", "html", "official") == []
