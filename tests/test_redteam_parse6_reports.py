"""Red-team round 4: one document printing two whole reports (last year's and this year's).

Real pages keep last year's report on the page above this year's (a CMS article updated by
pasting the new report under the old one), or below it; text exports and Word files do the
same. The document is the report its titles name (the page's ``<title>``, a page title printed
above both), else the later year; its figures, title, agency, year and date are that report's
alone — never cells of the two mixed.

    .venv/bin/python -m pytest -q tests/test_redteam_parse6_reports.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta


def _page(fig) -> etree._Element:
    return lxml.html.document_fromstring(render(fig, "html", "official").decode("utf-8"))


def _differences(fig, data: bytes, name: str = "report.html", kind: str = "html",
                 style: str = "official") -> list[str]:
    expected = expected_json(fig, kind, style)
    got = parse_document(data, None, name)
    return compare_cells(expected, got) + compare_meta(expected, got) + compare_checks(expected, got)


def _two_reports(first, second, page_title: str | None) -> bytes:
    root = _page(first)
    body = root.find("body")
    etree.SubElement(body, "hr")
    for child in list(_page(second).find("body")):
        body.append(child)
    title = root.find("head").find("title")
    if page_title is None:
        title.getparent().remove(title)
    else:
        title.text = page_title
    return etree.tostring(root, encoding="utf-8", method="html")


def _pair(seed: int, fmt: str):
    new = make_figures(seed, fmt, year=2024)
    old = make_figures(seed + 1, fmt, year=2023, agency=new.agency)
    return old, new


@pytest.mark.parametrize("seed,fmt", [(11, "2021"), (4, "2019"), (23, "2021")])
def test_last_year_above_this_year_without_a_page_title(seed: int, fmt: str) -> None:
    """Nothing names the year: the later report is the document."""
    old, new = _pair(seed, fmt)
    assert _differences(new, _two_reports(old, new, None)) == []


@pytest.mark.parametrize("seed,fmt", [(11, "2021"), (4, "2019")])
def test_page_title_names_the_report(seed: int, fmt: str) -> None:
    """The page's ``<title>`` names the year: that report, above or below the other."""
    old, new = _pair(seed, fmt)
    title = f"{new.agency}2024年政府信息公开工作年度报告_{new.agency}"
    assert _differences(new, _two_reports(old, new, title)) == []
    old_title = f"{old.agency}2023年政府信息公开工作年度报告"
    assert _differences(old, _two_reports(old, new, old_title)) == []
    assert _differences(old, _two_reports(new, old, old_title)) == []


def test_page_heading_above_both_reports() -> None:
    """The CMS article's own heading (this year's title) printed above last year's report and
    this year's: the heading names the document."""
    old, new = _pair(31, "2021")
    data = _two_reports(old, new, None)
    root = lxml.html.document_fromstring(data.decode("utf-8"))
    heading = etree.Element("h1")
    heading.text = f"{new.agency}2024年政府信息公开工作年度报告"
    root.find("body").insert(0, heading)
    assert _differences(new, etree.tostring(root, encoding="utf-8", method="html")) == []


def test_text_export_with_both_reports() -> None:
    """A text export holding last year's report then this year's."""
    old, new = _pair(7, "2021")
    data = render(old, "txt") + "\n\n".encode() + render(new, "txt")
    assert _differences(new, data, "report.txt", "txt", None) == []


def _docx_with(first, second) -> bytes:
    """One Word file: ``first``'s document (its title property too) with ``second``'s body after."""
    import io
    import zipfile

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    second_body = etree.fromstring(zipfile.ZipFile(io.BytesIO(render(second, "docx"))).read(
        "word/document.xml")).find(f"{w}body")
    source = zipfile.ZipFile(io.BytesIO(render(first, "docx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(content)
                end = root.find(f"{w}body").find(f"{w}sectPr")
                for el in second_body:
                    if el.tag != f"{w}sectPr":
                        end.addprevious(el)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize("seed,fmt", [(3, "2021"), (4, "2019")])
def test_word_file_with_last_year_first(seed: int, fmt: str) -> None:
    """A Word file whose title property is last year's (the file it was copied from) and whose
    body holds last year's report, then this year's: a file's own title property does not
    name the report (it is often the template's); the later year does."""
    old, new = _pair(seed, fmt)
    assert _differences(new, _docx_with(old, new), "report.docx", "docx", "official") == []
    assert _differences(new, _docx_with(new, old), "report.docx", "docx", "official") == []
