"""Red-team: DOCX and XLSX reports in layouts office users produce.

DOCX: table 三 continued in a second table that repeats the header rows (the author copied the
header after a page break), repeated-header rows marked ``w:tblHeader``, labels split over
several paragraphs of one cell, the whole body inside a content control (``w:sdt``), table 四 with
vertical merges, a layout table around the report.
XLSX: one table per sheet, the three tables stacked on one sheet, numbers stored as text, merged
header cells, totals as formulas with cached values.

Figures come from :func:`tests.test_redteam_html.truth` (consistent by construction).

    .venv/bin/python -m pytest -q tests/test_redteam_office.py
"""

from __future__ import annotations

import copy
import io
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document
from tests.test_redteam_html import COLS, REVIEW_COLS, REVIEW_ROWS, diff, requests_rows, truth

AGENCY = "无锡市梁溪区人力资源和社会保障局"
YEAR = 2023
TITLE = f"{AGENCY}{YEAR}年政府信息公开工作年度报告"


def active_grid(t: dict) -> list[list[str]]:
    a = t["active"]
    f = lambda v: "" if v is None else str(v)
    return [["第二十条第（一）项", "", "", ""], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", *(f(a["rules"][c]) for c in ("issued", "repealed", "in_force"))],
            ["行政规范性文件", *(f(a["normative_documents"][c]) for c in ("issued", "repealed", "in_force"))],
            ["第二十条第（五）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
            ["行政许可", f(a["administrative_licensing"]["decisions"]), "", ""],
            ["第二十条第（六）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
            ["行政处罚", f(a["administrative_penalty"]["decisions"]), "", ""],
            ["行政强制", f(a["administrative_coercion"]["decisions"]), "", ""],
            ["第二十条第（八）项", "", "", ""], ["信息内容", "本年收费金额（单位：万元）", "", ""],
            ["行政事业性收费", f(a["administrative_fees"]["amount_10k_yuan"]), "", ""]]


REQ_HEADER = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况", "", "", "", "", "", ""],
              ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
              ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]]


def requests_grid(t: dict) -> list[list[str]]:
    rows = []
    for path, key in requests_rows(t, "2021"):
        labels = (path + ["", ""])[:3]
        if len(path) == 1:
            labels = [path[0], "", ""]
        elif len(path) == 2:
            labels = [path[0], path[1], ""]
        rows.append(labels + [str(t["requests"][key][c]) for c in COLS])
    return rows


REVIEW_HEADER = [["行政复议"] + [""] * 4 + ["行政诉讼"] + [""] * 9,
                 ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
                 ["", "", "", "", ""] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2]


def review_grid(t: dict) -> list[list[str]]:
    rv = t["review_litigation"]
    return [[str(rv[r][c]) for r in REVIEW_ROWS for c in REVIEW_COLS]]


# ---------------------------------------------------------------- DOCX

def _table(d, grid: list[list[str]], *, header_rows: int = 0, split_label: bool = False):
    table = d.add_table(rows=len(grid), cols=max(len(r) for r in grid))
    table.style = "Table Grid"
    for i, row in enumerate(grid):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            if split_label and "、" in text and len(text) > 8 and j < 3:
                # One label over two paragraphs of the cell (Word wraps by hand).
                cut = len(text) // 2
                cell.text = text[:cut]
                cell.add_paragraph(text[cut:])
            else:
                cell.text = text
        if i < header_rows:
            tr_pr = table.rows[i]._tr.get_or_add_trPr()
            tr_pr.append(etree.SubElement(tr_pr, qn("w:tblHeader")))
    return table


def build_docx(t: dict, *, variant: str) -> bytes:
    d = docx.Document()
    d.add_paragraph(TITLE)
    d.add_paragraph(f"本报告中所列数据的统计期限自{YEAR}年1月1日起至{YEAR}年12月31日止。")
    d.add_paragraph("一、总体情况")
    d.add_paragraph(f"{YEAR}年，我局扎实推进政务公开工作。全年主动公开政府信息300余条。")
    d.add_paragraph("二、主动公开政府信息情况")
    _table(d, active_grid(t))
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    body = requests_grid(t)
    if variant == "repeated_header":
        _table(d, REQ_HEADER + body[:12], header_rows=3)
        d.add_paragraph("")
        _table(d, REQ_HEADER + body[12:], header_rows=3)
    else:
        _table(d, REQ_HEADER + body, header_rows=3, split_label=(variant == "split_labels"))
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _table(d, REVIEW_HEADER + review_grid(t), header_rows=3)
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.add_paragraph("一是公开质量有待提高。")
    d.add_paragraph("六、其他需要报告的事项")
    d.add_paragraph("本年度未收取信息处理费。")
    d.add_paragraph(AGENCY)
    d.add_paragraph("2024年1月19日")
    if variant == "tracked_changes":
        # The author corrected figures with track changes on: the deleted text stays in the file.
        for t_el in d.element.body.iter(qn("w:t")):
            if t_el.text and t_el.text.isdigit():
                run = t_el.getparent()
                deleted = copy.deepcopy(run)
                for old in deleted.iter(qn("w:t")):
                    old.tag = qn("w:delText")
                    old.text = "9" + old.text
                wrapper = etree.Element(qn("w:del"))
                wrapper.append(deleted)
                run.addprevious(wrapper)
                ins = etree.Element(qn("w:ins"))
                run.addprevious(ins)
                ins.append(run)
    if variant == "layout_table":
        # The whole body inside a one-cell layout table (tables nested in it).
        body_el = d.element.body
        outer = d.add_table(rows=1, cols=1)._tbl
        cell = outer.find(qn("w:tr")).find(qn("w:tc"))
        for child in list(body_el):
            if child is not outer and child.tag in (qn("w:p"), qn("w:tbl")):
                cell.append(child)
        cell.append(etree.SubElement(cell, qn("w:p")))
    if variant == "sdt_body":
        body_el = d.element.body
        sdt = etree.SubElement(body_el, qn("w:sdt"))
        content = etree.SubElement(sdt, qn("w:sdtContent"))
        for child in list(body_el):
            if child.tag in (qn("w:p"), qn("w:tbl")):
                content.append(child)
        body_el.remove(sdt)
        body_el.insert(0, sdt)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def expected(t: dict) -> dict:
    return dict(copy.deepcopy(t), is_annual_report=True, agency=AGENCY, year=YEAR, format="2021",
                published_date="2024-01-19")


@pytest.mark.parametrize("variant", ["plain", "repeated_header", "split_labels", "sdt_body", "tracked_changes",
                                     "layout_table"])
def test_docx_variant(variant: str) -> None:
    t = truth("2021", seed=3)
    got = parse_document(build_docx(t, variant=variant), None, f"report_{variant}.docx")
    problems = diff(expected(t), got)
    assert not problems, f"{variant}: {len(problems)} wrong: " + "; ".join(problems[:12])


# ---------------------------------------------------------------- XLSX

def _put(ws, grid: list[list[str]], top: int, *, as_text: bool, formulas: bool = False) -> int:
    for i, row in enumerate(grid):
        for j, text in enumerate(row):
            value: object = text
            if not as_text and text.replace(".", "", 1).isdigit():
                value = float(text) if "." in text else int(text)
            ws.cell(row=top + i, column=j + 1, value=value if text != "" else None)
    return top + len(grid)


def build_xlsx(t: dict, *, variant: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    as_text = variant == "text_numbers"
    if variant == "stacked" or variant == "text_numbers":
        ws.title = "年度报告"
        ws["A1"] = TITLE
        ws["A2"] = "二、主动公开政府信息情况"
        row = _put(ws, active_grid(t), 3, as_text=as_text) + 1
        ws.cell(row=row, column=1, value="三、收到和处理政府信息公开申请情况")
        row = _put(ws, REQ_HEADER + requests_grid(t), row + 1, as_text=as_text) + 1
        ws.merge_cells(start_row=row - 28, start_column=4, end_row=row - 28, end_column=10)
        ws.cell(row=row, column=1, value="四、政府信息公开行政复议、行政诉讼情况")
        _put(ws, REVIEW_HEADER + review_grid(t), row + 1, as_text=as_text)
    else:  # one table per sheet, sheet names as headings
        ws.title = "主动公开政府信息情况"
        ws["A1"] = TITLE
        _put(ws, active_grid(t), 2, as_text=False)
        ws2 = wb.create_sheet("收到和处理政府信息公开申请情况")
        _put(ws2, REQ_HEADER + requests_grid(t), 1, as_text=False)
        ws3 = wb.create_sheet("行政复议行政诉讼情况")
        _put(ws3, REVIEW_HEADER + review_grid(t), 1, as_text=False)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("variant", ["stacked", "text_numbers", "sheet_per_table"])
def test_xlsx_variant(variant: str) -> None:
    t = truth("2021", seed=4)
    got = parse_document(build_xlsx(t, variant=variant), None, f"{TITLE}.xlsx")
    want = expected(t)
    want.pop("published_date")  # a workbook prints no date
    problems = diff(want, got)
    assert not problems, f"{variant}: {len(problems)} wrong: " + "; ".join(problems[:12])


def _formula_totals(data: bytes) -> bytes:
    """Table 三's 总计 column as =SUM(…) formulas, saved by openpyxl: no cached values."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["收到和处理政府信息公开申请情况"]
    for row in ws.iter_rows(min_row=4):
        if isinstance(row[9].value, (int, float)):
            row[9].value = f"=SUM(D{row[9].row}:I{row[9].row})"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_formulas_without_cached_values_keep_their_place() -> None:
    """A workbook written by a program (never opened in Excel) has formulas but no values: the
    总计 cells are still printed cells, and every other figure stays in its column although
    each row is then computed at one end (label columns before, the total after).

    Round 1 left these 总计 cells null; round 7 (the lead's decision, docs/redteam-parse2.md)
    reads what a spreadsheet opening the workbook shows: a plain ``=SUM(D5:I5)`` is the sum of
    the figures it names, so the 总计 are the report's own totals again."""
    t = truth("2021", seed=4)
    got = parse_document(_formula_totals(build_xlsx(t, variant="sheet_per_table")), None, f"{TITLE}.xlsx")
    want = expected(t)
    want.pop("published_date")
    problems = diff(want, got)
    assert not problems, f"{len(problems)} wrong: " + "; ".join(problems[:12])


def build_merged_docx(t: dict, *, blank_totals: bool) -> bytes:
    """Table 三 as Word draws it: merged header, one-level labels across the three label
    columns, 三、本年度办理结果 merged down its rows (vMerge: continuation cells omitted), the
    sub-labels NOT merged across their two columns (an empty cell follows them)."""
    d = docx.Document()
    d.add_paragraph(TITLE)
    d.add_paragraph("一、总体情况")
    d.add_paragraph(f"{YEAR}年，我局扎实推进政务公开工作。")
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    grid = REQ_HEADER + requests_grid(t)
    if blank_totals:
        for row in grid[3:]:
            row[-1] = ""
    table = d.add_table(rows=len(grid), cols=10)
    table.style = "Table Grid"
    for i, row in enumerate(grid):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    table.cell(0, 0).merge(table.cell(2, 2))
    table.cell(0, 3).merge(table.cell(0, 9))
    table.cell(1, 3).merge(table.cell(2, 3))
    table.cell(1, 4).merge(table.cell(1, 8))
    table.cell(1, 9).merge(table.cell(2, 9))
    for i, row in enumerate(grid[3:], start=3):
        if row[0] and not row[1] and not row[2]:
            table.cell(i, 0).merge(table.cell(i, 2))
    first = next(i for i in range(3, len(grid)) if grid[i][0].startswith("三"))
    last = next(i for i in range(3, len(grid)) if "总计" in grid[i][1])
    table.cell(first, 0).merge(table.cell(last, 0)).text = "三、本年度办理结果"
    for heading in ("四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        d.add_paragraph(heading)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("blank_totals", [False, True])
def test_docx_merged_group_column(blank_totals: bool) -> None:
    t = truth("2021", seed=3)
    got = parse_document(build_merged_docx(t, blank_totals=blank_totals), None, "report.docx")
    want = {"is_annual_report": True, "agency": AGENCY, "year": YEAR, "requests": copy.deepcopy(t["requests"])}
    if blank_totals:  # 上海 2019 style: every 总计 left blank, the parts printed
        for row in want["requests"].values():
            row["total"] = None
    problems = diff(want, got)
    assert not problems, f"{len(problems)} wrong: " + "; ".join(problems[:12])
