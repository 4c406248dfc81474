"""Red-team round 6: a Word/WPS report typed without tables, its figures aligned on tab stops
(each row a paragraph, each cell after a ``w:tab``). Tabs were read as spaces: a blank cell
(two tabs in a row, or a trailing tab) vanished and the figures after it moved one column
(``docx/tabs``: 24/30 before). ``docx._tab_tables`` reads a run of such paragraphs as a table
when one of them holds two figures; a heading typed with a tab, a contents page's page
numbers and a signature pushed right stay paragraphs. DOC and WPS files are read through the
same reader (LibreOffice converts them to DOCX).

    .venv/bin/python -m pytest -q tests/test_redteam_parse8_office.py
"""

from __future__ import annotations

import io

import pytest
from docx import Document

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta, compare_sections


@pytest.mark.parametrize("seed,fmt", [(64, "2021"), (70, "2021"), (65, "2019"), (66, "2019")])
def test_tables_typed_on_tab_stops(seed: int, fmt: str) -> None:
    fig = make_figures(seed, fmt, blanks="some")
    expected = expected_json(fig, "docx", "tabs")
    got = parse_document(render(fig, "docx", "tabs"), None, "report.docx")
    assert compare_cells(expected, got) + compare_checks(expected, got) + compare_meta(expected, got) == []


def test_contents_and_tabbed_headings_stay_paragraphs() -> None:
    """A contents page (heading ⇥ page number), headings typed ``一、⇥总体情况`` and a
    signature pushed right with tabs before an official Word table report."""
    fig = make_figures(67, "2021")
    source = Document(io.BytesIO(render(fig, "docx", "official")))
    heads = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    first = source.paragraphs[1]
    for n, head in enumerate(heads, start=1):
        para = first.insert_paragraph_before()
        para.add_run(head)
        para.add_run().add_tab()
        para.add_run(str(n))
    for para in source.paragraphs:
        if para.text.startswith(("一、", "五、")) and len(para.text) < 30 and "\t" not in para.text:
            text = para.text
            for run in para.runs:
                run.text = ""
            para.runs[0].text = text[:2]
            para.add_run().add_tab()
            para.add_run(text[2:])
        elif para.text == fig.agency:
            para.runs[0].text = "\t\t\t" + para.runs[0].text  # python-docx writes w:tab
    buf = io.BytesIO()
    source.save(buf)
    expected = expected_json(fig, "docx", "official")
    got = parse_document(buf.getvalue(), None, "report.docx")
    assert compare_cells(expected, got) + compare_meta(expected, got) + compare_sections(expected, got) == []
