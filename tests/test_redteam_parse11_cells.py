"""Red-team round 9: figures broken over two lines inside their own cells, read wrong before.

- **a figure broken over two lines in its cell** (``1<br>234`` in an HTML page, a Word cell's
  line break or second paragraph, a spreadsheet cell's Alt+Enter ``1\\n234``): the cell was read
  as two figures, 1 and 234, every later figure of its row a column off (every report with such
  a cell wrong: 6/12 HTML pages, 4/4 DOCX, 3/4 XLSX). In a reader whose cells are the
  document's own (HTML, Word, WPS, RTF, spreadsheets), two runs of digits alone in a cell, the
  first not a lone 0, are one figure — unless the row's other cells hold several figures
  (``0 0``) or its label two items: rows printed in one (``layout.join_broken_figures``). A PDF's
  or a text layout's cells are found from positions and are left alone. Two columns' figures
  typed in one merged cell (``<td colspan=2>3 5</td>``) stay two when the row so has as many
  figures as the table's other rows of as many cells, their heads, else any row.

Tried and already right: a figure with its unit (``12件``, ``3人次``), a note in the cell
(``3（其中2件转办）``), ``－`` for null, an HTML table cut by the page's editor into three
``<table>`` s (head rows in one, the body in two), a ``.doc``/``.xls`` that is an HTML page
(Word/Excel "save as web page", GBK declared in a ``<meta>`` only), an MHT named ``.doc`` or
``.mht`` (quoted-printable or base64), an RTF named ``.doc`` or ``.wps``, an XLS/XLSX named ``.et``.

    .venv/bin/python -m pytest -q tests/test_redteam_parse11_cells.py
"""

from __future__ import annotations

import io
import random
import re
import zipfile

import openpyxl

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks


def _break(value: str, rng: random.Random) -> int | None:
    """Where to break a figure (after its first digit, half the time), or None."""
    return 1 if len(value) >= 2 and rng.random() < 0.5 else None


def _html(page: str, rng: random.Random, sep: str) -> str:
    def sub(m: re.Match) -> str:
        v = m.group(2)
        return m.group(1) + (v[:1] + sep + v[1:] if _break(v, rng) else v) + m.group(3)
    return re.sub(r"(<td[^>]*>)([0-9０-９]+)(</td>)", sub, page)


def _docx(data: bytes, rng: random.Random, paragraph: bool) -> bytes:
    def sub(m: re.Match) -> str:
        v = m.group(2)
        if v[0] in "0０" or not _break(v, rng):
            return m.group(0)
        glue = "</w:t></w:r></w:p><w:p><w:r><w:t>" if paragraph else "</w:t><w:br/><w:t>"
        return f"{m.group(1)}{v[:1]}{glue}{v[1:]}</w:t>"
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "word/document.xml":
                body = re.sub(r"(<w:t(?: [^>]*)?>)([0-9０-９]+)</w:t>", sub, body.decode()).encode()
            target.writestr(item, body)
    return out.getvalue()


def _xlsx(data: bytes, rng: random.Random) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, int) and cell.value >= 10 and _break(str(cell.value), rng):
                    cell.value = f"{str(cell.value)[:1]}\n{str(cell.value)[1:]}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_figures_broken_inside_their_cells() -> None:
    misses = []
    for seed in range(4):
        fig = make_figures(seed, "2021" if seed % 2 else "2019", blanks="some", scale="large")
        rng = random.Random(seed)
        cases = [("html", "official", _html(render(fig, "html", "official").decode(), rng,
                                            ("<br/>", "\n", "<br>\n")[seed % 3]).encode()),
                 ("docx", "official", _docx(render(fig, "docx", "official"), rng, seed % 2 == 0)),
                 ("xlsx", "official", _xlsx(render(fig, "xlsx", "official"), rng))]
        for kind, style, data in cases:
            got = parse_document(data, None, f"report.{kind}")
            exp = expected_json(fig, kind, style)
            misses += [f"{kind} {seed}: {d}" for d in compare_cells(exp, got) + compare_checks(exp, got)]
    assert misses == []


def _merged(page: str) -> tuple[str, int]:
    """Rows of table 三 with two neighbouring figures typed in one merged cell (one a row)."""
    count = 0

    def row(m: re.Match) -> str:
        nonlocal count
        pair = re.search(r"<td>([1-9１-９][0-9０-９]*)</td><td>([0-9０-９]+)</td>", m.group(0))
        if not pair or count >= 6:
            return m.group(0)
        count += 1
        merged = f'<td colspan="2">{pair.group(1)} {pair.group(2)}</td>'
        return m.group(0)[:pair.start()] + merged + m.group(0)[pair.end():]
    head, cut, rest = page.partition("申请人情况")
    return head + cut + re.sub(r"<tr>.*?</tr>", row, rest), count


def test_two_figures_in_one_merged_cell_stay_two() -> None:
    misses = []
    for seed in (2, 5):
        fig = make_figures(seed, "2021" if seed % 2 else "2019", scale="large")
        page, count = _merged(render(fig, "html", "official").decode())
        assert count >= 3
        got = parse_document(page.encode(), None, "report.html")
        exp = expected_json(fig, "html", "official")
        misses += [f"{seed}: {d}" for d in compare_cells(exp, got)]
    assert misses == []
