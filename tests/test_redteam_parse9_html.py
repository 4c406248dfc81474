"""Red-team round 7, HTML: Word's hidden zero-height row under a table.

Word's "save as web page" ends a table with ``<![if !supportMisalignedColumns]><tr height=0>``
and a row of empty cells that fixes the column widths for old browsers. It prints nothing, but
read as a row its blank cells ran on as blanks of the table's last row (四、结转下年度继续办理):
when that row's first figure was blank, the row was read a column to the left (explorer
``html/word`` and ``html/trs`` 19/20, the ``lost_value`` misses round 5 and 6 left).

    .venv/bin/python -m pytest -q tests/test_redteam_parse9_html.py
"""

from __future__ import annotations

from parsers import parse_document
from parsers.readers.html import read_html
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks

# The explorer's misses (python -m tests.fixturegen.explore -n 20 html/word html/trs)
CASES = [("word", dict(seed=176455874, fmt="2021", variant="mixed", inconsistency="bad_balance",
                       blanks="some", scale="small")),
         ("trs", dict(seed=838240187, fmt="2021", variant="official", inconsistency="blank_totals",
                      blanks="some", scale="large"))]


def test_word_zero_height_row_is_not_read() -> None:
    for style, args in CASES:
        fig = make_figures(**args)
        fig.sign_date = style != "trs"  # as the explorer renders a TRS page
        data = render(fig, "html", style)
        assert b"<tr height=0>" in data
        expected = expected_json(fig, "html", style)
        got = parse_document(data, None, "report.html")
        assert compare_cells(expected, got) + compare_checks(expected, got) == [], style


def test_only_empty_rows_of_no_height_are_dropped() -> None:
    page = ("<table><tr><td>规章</td><td>1</td></tr><tr height=0><td></td><td></td></tr>"
            "<tr style='height:0pt'><td>行政许可</td><td>2</td></tr><tr><td></td><td></td></tr>"
            "</table>").encode()
    assert read_html(page).blocks[0].rows == [["规章", "1"], ["行政许可", "2"], ["", ""]]


def _pictured(page: str, copy: str) -> str:
    """Every table shown as an ``<img>``, the table itself kept in a ``copy`` beside it."""
    import re

    for k, table in enumerate(re.findall(r"<table.*?</table>", page, flags=re.S)):
        image = f'<p style="text-align:center"><img src="../images/t{k}.png" width="640" alt=""></p>'
        page = page.replace(table, image + copy.format(table=table), 1)
    return page


def test_tables_as_pictures_with_a_hidden_or_noscript_copy() -> None:
    """A page showing each table as a picture keeps the figures in a hidden copy (screen
    readers, search engines) or a ``<noscript>`` fallback: when every table of the page is
    in such a copy, the copy is the table (12/48 generated pages before: only copies hidden
    by a stylesheet rule were read). A hidden table beside a visible one stays hidden."""
    for n, copy in enumerate(['<div style="display:none">{table}</div>', "<noscript>{table}</noscript>",
                              "<div hidden>{table}</div>"]):
        fig = make_figures(60 + n, "2021" if n % 2 else "2019")
        page = _pictured(render(fig, "html", "official").decode(), copy)
        expected = expected_json(fig, "html", "official")
        got = parse_document(page.encode(), None, "report.html")
        assert compare_cells(expected, got) + compare_checks(expected, got) == [], copy
        assert not got.get("needs_ocr")
    # Last year's table in a hidden tab, this year's visible: only the visible one is read.
    page = ("<p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>1</td></tr></table>"
            '<div style="display:none"><table><tr><td>规章</td><td>9</td></tr></table></div>'
            "<noscript><table><tr><td>规章</td><td>8</td></tr></table></noscript>").encode()
    tables = [b.rows for b in read_html(page).blocks if not isinstance(b, str)]
    assert tables == [[["规章", "1"]]]
