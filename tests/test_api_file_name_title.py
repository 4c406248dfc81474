"""A document with no title inside takes its file name as title, but only a report-like name."""

import io

import openpyxl

from parsers import parse_document
from tests.conftest import TESTS


def _bare_workbook() -> bytes:
    """The three tables of seed 000 in a workbook: no title, no prose, no dates."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in (TESTS / "seeds" / "000_1ff35af37732f7a9.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            sheet.append(line.split("\t"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_report_named_workbook_is_read_as_that_report():
    data = _bare_workbook()
    url = ("http://www.example.gov.cn/u/%E6%94%80%E6%9E%9D%E8%8A%B1%E5%B8%82%E4%B8%9C%E5%8C%BA%E7%A7%91"
           "%E5%AD%A6%E6%8A%80%E6%9C%AF%E5%B1%802024%E5%B9%B4%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC"
           "%E5%BC%80%E5%B7%A5%E4%BD%9C%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.xlsx")
    report = parse_document(data, None, url)
    assert report["is_annual_report"] is True
    assert report["agency"] == "攀枝花市东区科学技术局"
    assert report["year"] == 2024
    assert report["requests"]["new_received"]["total"] == 0
    assert report["active"]["rules"]["in_force"] == 0


def test_meaningless_file_name_is_not_a_title():
    report = parse_document(_bare_workbook(), None, "P020250109386512345.xlsx")
    assert report["title"] is None
    assert report["is_annual_report"] is False


def test_linking_page_title_wins_over_the_file_name():
    report = parse_document(_bare_workbook(), None, "某某县2019年政府信息公开工作年度报告.xlsx",
                            page_metadata={"title": "攀枝花市东区科学技术局2024年政府信息公开工作年度报告"})
    assert report["year"] == 2024
