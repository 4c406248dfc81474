"""Red-team round 5: two whole reports of the *same* year in one document, and a report titled
by its place with no signature.

- A corrected copy (更正 / 修订 / 修正 / 勘误 / 更新) printed under (or above) the original: the
  corrected copy is the report. Without a mark, the copy printed last is (a CMS article is
  updated by pasting the new text under the old; the same report pasted twice reads the same
  either way). Never cells of the two mixed.
- ``青川县2024年政府信息公开工作年度报告`` with no signature and no other name: a report
  titled by its place is the place's government's (docs/format.md §7), so the agency is
  ``青川县人民政府``; a special zone (开发区, 高新区) is run by a 管委会 and keeps its bare name.

    .venv/bin/python -m pytest -q tests/test_redteam_parse7_reports.py
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


def _differences(fig, data: bytes, name: str = "report.html", kind: str = "html",
                 style: str | None = "official") -> list[str]:
    expected = expected_json(fig, kind, style)
    got = parse_document(data, None, name)
    return compare_cells(expected, got) + compare_meta(expected, got) + compare_checks(expected, got)


def _body(fig, mark: str | None = None) -> list:
    root = lxml.html.document_fromstring(render(fig, "html", "official").decode("utf-8"))
    children = list(root.find("body"))
    if mark:
        strong = children[0].find("strong")
        strong.text = strong.text + mark
    return children


def _page(parts: list[list], title: str | None = None, note: dict[int, str] | None = None) -> bytes:
    root = lxml.html.document_fromstring("<html><head><meta charset='utf-8'></head><body></body></html>")
    if title:
        etree.SubElement(root.find("head"), "title").text = title
    body = root.find("body")
    for n, part in enumerate(parts):
        if n:
            etree.SubElement(body, "hr")
        if note and n in note:
            etree.SubElement(body, "p").text = note[n]
        for child in part:
            body.append(child)
    return etree.tostring(root, encoding="utf-8", method="html")


def _pair(seed: int, fmt: str):
    """The original and its corrected copy: same agency and year, other figures."""
    original = make_figures(seed, fmt, year=2024)
    corrected = make_figures(seed + 100, fmt, year=2024, agency=original.agency)
    return original, corrected


@pytest.mark.parametrize("mark", ["（更正）", "（修订版）", "(更正后)"])
@pytest.mark.parametrize("seed,fmt", [(11, "2021"), (4, "2019")])
def test_corrected_copy_under_the_original(seed: int, fmt: str, mark: str) -> None:
    original, corrected = _pair(seed, fmt)
    data = _page([_body(original), _body(corrected, mark)])
    assert _differences(corrected, data) == []


@pytest.mark.parametrize("seed,fmt", [(13, "2021"), (6, "2019")])
def test_corrected_copy_above_the_original(seed: int, fmt: str) -> None:
    """The corrected copy put first, the original kept below it for the record."""
    original, corrected = _pair(seed, fmt)
    data = _page([_body(corrected, "（更正）"), _body(original)],
                 note={1: "附：原发布版本"})
    assert _differences(corrected, data) == []


def test_correction_note_line_above_the_copy() -> None:
    """The mark is a line of its own above the corrected copy's title (更正说明：…)."""
    original, corrected = _pair(21, "2021")
    data = _page([_body(original), _body(corrected)],
                 note={1: "更正说明：因统计口径调整，现对本报告第三部分数据予以更正，更正后全文如下。"})
    assert _differences(corrected, data) == []


@pytest.mark.parametrize("seed,fmt", [(17, "2021"), (8, "2019")])
def test_two_unmarked_copies_the_last_is_the_report(seed: int, fmt: str) -> None:
    original, updated = _pair(seed, fmt)
    assert _differences(updated, _page([_body(original), _body(updated)])) == []


def test_same_report_pasted_twice() -> None:
    fig = make_figures(19, "2021", year=2024)
    assert _differences(fig, _page([_body(fig), _body(fig)])) == []


def test_corrected_copy_in_a_text_export() -> None:
    original, corrected = _pair(27, "2021")
    text = render(corrected, "txt").decode("utf-8")
    first = text.splitlines()[0]
    data = render(original, "txt") + "\n\n".encode() + text.replace(first, first + "（更正）", 1).encode()
    assert _differences(corrected, data, "report.txt", "txt", None) == []


def _unsigned(fig, place: str) -> bytes:
    html = render(fig, "html", "official").decode("utf-8")
    for old, new in {f"{fig.agency}2024年": f"{place}2024年",
                     f"请与{fig.agency}办公室联系": "请与我们联系",
                     f'<p style="text-align:right">{fig.agency}</p>': ""}.items():
        assert old in html, old
        html = html.replace(old, new)
    return html.encode("utf-8")


@pytest.mark.parametrize("place,agency", [("青川县", "青川县人民政府"),
                                          ("长沙市岳麓区", "长沙市岳麓区人民政府"),
                                          ("四川省", "四川省人民政府"),
                                          ("阿坝藏族羌族自治州", "阿坝藏族羌族自治州人民政府"),
                                          ("锡林郭勒盟", "锡林郭勒盟行政公署"),
                                          ("成都高新区", "成都高新区")])
def test_place_titled_report_without_signature(place: str, agency: str) -> None:
    fig = make_figures(3, "2021", agency=f"{place}人民政府", year=2024)
    got = parse_document(_unsigned(fig, place), None, "report.html")
    assert (got["title"], got["agency"], got["year"]) == \
        (f"{place}2024年政府信息公开工作年度报告", agency, 2024)
