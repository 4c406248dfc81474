"""Red-team round 3: HTML report pages in layouts rounds 1 and 2 did not try.

Each case renders a generated report (tests.fixturegen: figures known by construction), rewrites
the page the way a CMS or an office's HTML export does, parses it with the real parser and
compares every table cell, the metadata and the checks with the figures.

Layouts: the report inside ``<iframe srcdoc>``; its TXT export pasted into ``<pre>``; a 序号 column numbering table 三's rows;
figures shown in read-only ``<input value>`` fields; figures with footnote marks (``<sup>1</sup>``,
①, ※); group labels glued to their first item (``（三）不予公开1.属于国家秘密``); a stale copy of the tables hidden
by the page's own stylesheet (``.hide{display:none}``); the diagonal corner of table 三 drawn as
a small table inside its cell; labels and figures split over ``<p>``/``<br>``; header rows
repeated mid-table; one ``<table>`` per block; blanks in every marker; ``<thead>``/``<tfoot>``,
captions and spacer columns; a 解读 article or the previous year's report below the report on
the same page.

    .venv/bin/python -m pytest -q tests/test_redteam_parse4_html.py
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Callable
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

Rewrite = Callable[[etree._Element], None]
_FIGURE = re.compile(r"[-+－—/／无０-９\d,，.．件万元个条减增]*")


def page_root(fig) -> etree._Element:
    return lxml.html.document_fromstring(render(fig, "html", "official").decode("utf-8"))


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="utf-8", method="html")


def differences(fig, data: bytes) -> list[str]:
    expected = expected_json(fig, "html", "official")
    got = parse_document(data, None, "report.html")
    return (compare_cells(expected, got) + compare_meta(expected, got) +
            compare_checks(expected, got))


def figure_cells(root: etree._Element) -> list[etree._Element]:
    """Table cells that print a figure or a blank marker (each once, also inside a page's
    layout table)."""
    return [td for td in root.iter("td") if _FIGURE.fullmatch(td.text_content().strip())
            and td.find(".//table") is None]


def set_text(el: etree._Element, text: str | None) -> None:
    for child in list(el):
        el.remove(child)
    el.text = text


# ---------------------------------------------------------------- page rewrites

def input_fields(root: etree._Element) -> None:
    """Every figure in a read-only text field, as form-built statistics pages print them."""
    for td in figure_cells(root):
        value = td.text_content().strip()
        set_text(td, None)
        etree.SubElement(td, "input", type="text", value=value, readonly="readonly",
                         style="width:40px;border:none")


def _stale_copy(table: etree._Element) -> etree._Element:
    dup = copy.deepcopy(table)
    for td in dup.iter("td"):
        if re.fullmatch(r"\d+", td.text_content().strip() or "x"):
            set_text(td, "999")
    return dup


def stylesheet_hidden_copy(root: etree._Element) -> None:
    """A stale copy of each table before it, hidden by a class of the page's stylesheet."""
    style = etree.SubElement(root.find("head"), "style")
    style.text = ("/* 旧版表格 */ .old-table, .hide { display : none } "
                  "@media print { .noprint { display:none } } p.note{color:#666}")
    for table in list(root.iter("table")):
        holder = etree.Element("div", {"class": "hide"})
        holder.append(_stale_copy(table))
        table.addprevious(holder)


def print_only_hidden(root: etree._Element) -> None:
    """The tables inside a ``noprint`` box that only a print stylesheet hides: shown on screen."""
    style = etree.SubElement(root.find("head"), "style")
    style.text = "@media print { .noprint { display: none; } .btn { color: red } }"
    for table in list(root.iter("table")):
        holder = etree.Element("div", {"class": "noprint"})
        table.addprevious(holder)
        holder.append(table)


def tabs_shown_by_script(root: etree._Element) -> None:
    """The whole article in a tab pane the stylesheet hides until a script shows it: every
    table would go, so the rule is not applied."""
    style = etree.SubElement(root.find("head"), "style")
    style.text = ".tab-pane{display:none} .tab-pane.on{display:block}"
    body = root.find("body")
    pane = etree.Element("div", {"class": "tab-pane"})
    for child in list(body):
        pane.append(child)
    body.append(pane)


def diagonal_corner(root: etree._Element) -> None:
    """Table 三's corner cell holding a small two-row table (the diagonal header)."""
    table = list(root.iter("table"))[1]
    corner = table.xpath(".//tr")[0].xpath("./td|./th")[0]
    set_text(corner, None)
    inner = etree.SubElement(corner, "table", width="100%")
    for text, align in (("申请人情况", "right"), ("办理情况", "left")):
        cell = etree.SubElement(etree.SubElement(inner, "tr"), "td", align=align)
        cell.text = text


def paragraphs_in_cells(root: etree._Element) -> None:
    """Labels split over two ``<p>``, figures in ``<p><span>``."""
    for table in root.iter("table"):
        for td in table.xpath(".//td|.//th"):
            text = td.text_content()
            set_text(td, None)
            if len(text) >= 6 and not re.search(r"\d{2}", text):
                for part in (text[:len(text) // 2], text[len(text) // 2:]):
                    etree.SubElement(td, "p").text = part
            else:
                etree.SubElement(etree.SubElement(td, "p"), "span").text = text


def breaks_in_labels(root: etree._Element) -> None:
    """Long labels broken by ``<br>``."""
    for table in root.iter("table"):
        for td in table.xpath(".//td|.//th"):
            text = td.text_content()
            if len(text) >= 6 and not re.search(r"\d", text):
                set_text(td, text[:len(text) // 2])
                etree.SubElement(td, "br").tail = text[len(text) // 2:]


def header_repeated(root: etree._Element) -> None:
    """Table 三's three header rows printed again in the middle (a page break in Word)."""
    rows = list(root.iter("table"))[1].xpath(".//tr")
    for row in rows[:3]:
        rows[15].addprevious(copy.deepcopy(row))


def table_per_block(root: etree._Element) -> None:
    """Table 三 cut into one ``<table>`` per group of rows."""
    table = list(root.iter("table"))[1]
    rows = list(table.find("tbody"))
    cuts = [5, 13, 16, 21, len(rows)]
    previous = table
    for lo, hi in zip(cuts, cuts[1:]):
        part = etree.Element("table", border="1")
        body = etree.SubElement(part, "tbody")
        for row in rows[lo:hi]:
            body.append(row)
        gap = etree.Element("p")
        gap.text = "\xa0"
        previous.addnext(gap)
        gap.addnext(part)
        previous = part


def blank_markers(root: etree._Element) -> None:
    """Every blank printed with another marker: / - —— 无 ／ － — nothing, nbsp, 一 (typed for
    a dash), ╱ ∕ (slashes from other blocks)."""
    markers = ["/", "-", "——", "无", "／", "－", "—", "", "\xa0", "一", "╱", "∕"]
    blanks = [td for td in figure_cells(root) if not re.search(r"\d", td.text_content())]
    for n, td in enumerate(blanks):
        set_text(td, markers[n % len(markers)])


def circled_zeros(root: etree._Element) -> None:
    """Zeros typed as the numeral 〇 or the circle ○."""
    zeros = [td for td in figure_cells(root) if td.text_content().strip() in ("0", "０")]
    for n, td in enumerate(zeros):
        set_text(td, "〇" if n % 2 else "○")


def footnote_marks(root: etree._Element) -> None:
    """Figures carrying a footnote mark: ``<sup>1</sup>``, ①, ＊, ※, 注2 (the note below the
    table), as offices flag a figure they explain."""
    numbers = [td for td in figure_cells(root) if re.search(r"\d", td.text_content())]
    for n, td in enumerate(numbers[::3]):
        kind = n % 5
        if kind == 0:
            etree.SubElement(td, "sup").text = str(n % 9 + 1)
        else:
            td.append(etree.Element("span"))
            td[-1].text = ["①", "＊", "※", "注2"][kind - 1]


def group_label_glued(root: etree._Element) -> None:
    """Table 三's group labels typed into the first row of their group, no break:
    ``三、本年度办理结果（一）予以公开``, ``（三）不予公开1.属于国家秘密`` (the group cell gone)."""
    table = list(root.iter("table"))[1]
    for row in table.xpath(".//tr"):
        cells = row.xpath("./td|./th")
        for n, cell in enumerate(cells[:-1]):
            text = cell.text_content().strip()
            if int(cell.get("rowspan", "1")) > 1 and "本列" not in text:
                following = cells[n + 1]
                set_text(following, text + following.text_content())
                following.set("colspan", str(int(following.get("colspan", "1")) + 1))
                row.remove(cell)
                break


def thead_tfoot_caption(root: etree._Element) -> None:
    """Header rows in ``<thead>`` as ``<th>``, a ``<tfoot>`` note, a ``<caption>``, and an
    empty spacer column at the right of every row."""
    for n, table in enumerate(list(root.iter("table"))):
        body = table.find("tbody")
        head = etree.Element("thead")
        for row in list(body)[:3 if n else 0]:
            for td in row.xpath("./td"):
                td.tag = "th"
            head.append(row)
        table.insert(0, head)
        caption = etree.Element("caption")
        caption.text = f"表{n + 1}"
        table.insert(0, caption)
        foot = etree.SubElement(etree.SubElement(table, "tfoot"), "tr")
        etree.SubElement(foot, "td", colspan="10").text = "注：本表数据统计时间为1月1日至12月31日。"
        for row in table.xpath(".//tbody/tr"):
            etree.SubElement(row, "td").text = "\xa0"


def in_srcdoc_frame(root: etree._Element) -> None:
    """The whole report inside ``<iframe srcdoc="…">`` under the site's navigation."""
    body = root.find("body")
    inner = "".join(etree.tostring(child, encoding="unicode", method="html") for child in body)
    for child in list(body):
        body.remove(child)
    etree.SubElement(body, "div", {"class": "nav"}).text = "首页 政务公开 政府信息公开年报"
    etree.SubElement(body, "iframe", width="100%", height="900", frameborder="0",
                     srcdoc=f"<html><body>{inner}</body></html>")


def row_number_column(root: etree._Element) -> None:
    """Table 三 with a leading 序号 column counting its rows 1, 2, 3 …"""
    table = list(root.iter("table"))[1]
    for n, row in enumerate(table.xpath(".//tr")):
        if 0 < n < 3:
            continue  # covered by the 序号 head's rowspan
        cell = etree.Element("td")
        if n == 0:
            cell.set("rowspan", "3")
        cell.text = "序号" if n == 0 else str(n - 2)
        row.insert(0, cell)


REWRITES: list[tuple[Rewrite, int, str]] = [
    (in_srcdoc_frame, 3, "2021"), (in_srcdoc_frame, 4, "2019"),
    (row_number_column, 3, "2021"), (row_number_column, 11, "2021"),
    (input_fields, 3, "2021"), (input_fields, 4, "2019"),
    (stylesheet_hidden_copy, 3, "2021"), (stylesheet_hidden_copy, 11, "2021"),
    (stylesheet_hidden_copy, 4, "2019"),
    (print_only_hidden, 11, "2021"), (tabs_shown_by_script, 3, "2021"),
    (diagonal_corner, 3, "2021"), (diagonal_corner, 11, "2021"),
    (paragraphs_in_cells, 3, "2021"), (paragraphs_in_cells, 4, "2019"),
    (breaks_in_labels, 3, "2021"), (header_repeated, 11, "2021"),
    (table_per_block, 4, "2019"), (table_per_block, 11, "2021"),
    (blank_markers, 3, "2021"), (blank_markers, 4, "2019"), (blank_markers, 11, "2021"),
    (circled_zeros, 1, "2021"), (circled_zeros, 7, "2021"), (circled_zeros, 1, "2019"),
    (footnote_marks, 1, "2021"), (footnote_marks, 4, "2019"), (footnote_marks, 11, "2021"),
    (footnote_marks, 6, "2019"),  # marks after a unit: 0件①
    (group_label_glued, 3, "2021"), (group_label_glued, 4, "2019"), (group_label_glued, 1, "2021"),
    (thead_tfoot_caption, 4, "2019"),
]


@pytest.mark.parametrize("rewrite,seed,fmt", REWRITES,
                         ids=[f"{r.__name__}-{s}-{f}" for r, s, f in REWRITES])
def test_rewritten_page_reads_every_cell(rewrite: Rewrite, seed: int, fmt: str) -> None:
    fig = make_figures(seed, fmt)
    root = page_root(fig)
    rewrite(root)
    assert differences(fig, to_bytes(root)) == []


@pytest.mark.parametrize("seed,fmt", [(3, "2021"), (4, "2019")])
def test_text_export_pasted_into_pre(seed: int, fmt: str) -> None:
    """The TXT export of the report pasted into the page inside ``<pre>`` (tabs kept): its
    lines are read as a text file's."""
    fig = make_figures(seed, fmt)
    root = page_root(fig)
    body = root.find("body")
    for child in list(body):
        body.remove(child)
    holder = etree.SubElement(body, "div", {"class": "article"})
    etree.SubElement(holder, "pre").text = render(fig, "txt", "tabs").decode("utf-8")
    assert differences(fig, to_bytes(root)) == []


def test_search_box_in_a_layout_cell_is_not_text() -> None:
    """Only a field showing a figure becomes text: a search box's prompt is dropped."""
    fig = make_figures(3, "2021")
    root = page_root(fig)
    body = root.find("body")
    frame = etree.Element("table")
    etree.SubElement(etree.SubElement(frame, "tr"), "td").append(
        etree.Element("input", type="text", value="请输入关键字"))
    body.insert(0, frame)
    data = to_bytes(root)
    assert "请输入关键字" not in str(parse_document(data, None, "report.html"))
    assert differences(fig, data) == []


# ---------------------------------------------------------------- more than the report

def _paragraph(parent: etree._Element, text: str) -> None:
    etree.SubElement(parent, "p").text = text


def test_interpretation_below_the_report() -> None:
    """A 解读 article after the report: its headings and 发布时间 line are not the report's
    closing (the date is the report's signature date)."""
    fig = make_figures(3, "2021", year=2024)
    root = page_root(fig)
    box = etree.SubElement(root.find("body"), "div", {"class": "jiedu"})
    for text in ["政策解读", f"图解：{fig.agency}{fig.year}年政府信息公开工作年度报告",
                 f"一、总体情况 {fig.year}年，共主动公开政府信息1234条。",
                 "二、主动公开政府信息情况 发布规范性文件12件。",
                 "三、收到和处理政府信息公开申请情况 全年新收申请99件，予以公开50件。",
                 "四、政府信息公开行政复议、行政诉讼情况 无。", "发布时间：2025-02-10"]:
        _paragraph(box, text)
    data = to_bytes(root)
    assert differences(fig, data) == []
    got = parse_document(data, None, "report.html")
    assert "图解" not in (got["sections"]["other"] or "")


@pytest.mark.parametrize("seed,fmt", [(3, "2021"), (4, "2019"), (11, "2021")])
def test_interpretation_with_headings_above_the_report(seed: int, fmt: str) -> None:
    """A 解读 with headings of its own (一、总体情况 … 四、…) above the report: the report's
    six headings, not the 解读's four, bound its tables."""
    fig = make_figures(seed, fmt)
    root = page_root(fig)
    first = root.find("body")[0]
    for text in ["政策解读", f"一图读懂{fig.agency}{fig.year}年政府信息公开工作年度报告",
                 f"一、总体情况 {fig.year}年，共主动公开政府信息1234条。",
                 "二、主动公开政府信息情况 发布规范性文件12件。",
                 "三、收到和处理政府信息公开申请情况 全年新收申请99件，予以公开50件。",
                 "四、政府信息公开行政复议、行政诉讼情况 无。", "发布时间：2025-02-10"]:
        line = etree.Element("p")
        line.text = text
        first.addprevious(line)
    assert differences(fig, to_bytes(root)) == []


@pytest.mark.parametrize("seed,fmt", [(3, "2021"), (4, "2019")])
def test_table_of_contents_above_the_report(seed: int, fmt: str) -> None:
    """The six headings listed as a table of contents under the title: the body's headings,
    not the contents', bound the tables."""
    fig = make_figures(seed, fmt)
    root = page_root(fig)
    title = root.find("body").find("p")
    for text in reversed(["目  录", "一、总体情况", "二、主动公开政府信息情况",
                          "三、收到和处理政府信息公开申请情况",
                          "四、政府信息公开行政复议、行政诉讼情况",
                          "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]):
        line = etree.Element("p")
        line.text = text
        title.addnext(line)
    assert differences(fig, to_bytes(root)) == []


def test_previous_year_below_the_report() -> None:
    """The previous year's report printed under this year's on one page: figures, agency,
    year and date are the first report's."""
    fig = make_figures(11, "2021", year=2024)
    older = make_figures(12, "2021", year=2023, agency=fig.agency)
    root = page_root(fig)
    body = root.find("body")
    etree.SubElement(body, "hr")
    for child in list(page_root(older).find("body")):
        body.append(child)
    assert differences(fig, to_bytes(root)) == []


ANNOUNCING = ["关于公布青川县交通运输局2024年政府信息公开工作年度报告的公告",
              "青川县交通运输局关于发布2024年政府信息公开工作年度报告的通知"]


@pytest.mark.parametrize("title", ANNOUNCING)
def test_notice_publishing_the_report_with_it_is_the_report(title: str) -> None:
    """The page's only title is the notice that publishes the report, the report's own title
    line is gone, its text and filled tables follow: the document is the report."""
    fig = make_figures(3, "2021", agency="青川县交通运输局", year=2024)
    root = page_root(fig)
    root.find("head").find("title").text = title
    body = root.find("body")
    body.remove(body.find("p"))  # the report's own title line
    intro = etree.Element("p")
    intro.text = ("根据《中华人民共和国政府信息公开条例》规定，现将我局2024年政府信息公开工作"
                  "年度报告予以公布。")
    body.insert(0, intro)
    heading = etree.Element("h1")
    heading.text = title
    body.insert(0, heading)
    expected = expected_json(fig, "html", "official")
    got = parse_document(to_bytes(root), None, "notice.html")
    assert got["is_annual_report"] is True
    assert compare_cells(expected, got) + compare_checks(expected, got) == []
    assert (got["agency"], got["year"]) == ("青川县交通运输局", 2024)


def test_notice_with_the_blank_template_stays_a_lookalike() -> None:
    """A notice whose tables carry the labels but no figures is not a report."""
    fig = make_figures(3, "2021", agency="青川县交通运输局", year=2024)
    root = page_root(fig)
    title = "关于公布青川县交通运输局2024年政府信息公开工作年度报告的公告"
    root.find("head").find("title").text = title
    body = root.find("body")
    body.remove(body.find("p"))
    for td in figure_cells(root):
        set_text(td, "")
    got = parse_document(to_bytes(root), None, "notice.html")
    assert got["is_annual_report"] is False


REVIEW_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REVIEW_ROW_KEYS = ("review", "litigation_direct", "litigation_after_review")


def review_as_labelled_rows(root: etree._Element, blank_rows: tuple[str, ...]) -> None:
    """Table 四 printed as three labelled rows under one row of the five heads; the rows in
    ``blank_rows`` left entirely empty (no figure to find them by)."""
    table = list(root.iter("table"))[2]
    figures = [td.text_content() for td in table.xpath(".//tr")[3].xpath("./td|./th")]
    new = etree.Element("table", border="1")
    head = etree.SubElement(new, "tr")
    etree.SubElement(head, "td").text = "类别"
    for text in REVIEW_HEADS:
        etree.SubElement(head, "td").text = text
    labels = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
    for n, (key, label) in enumerate(zip(REVIEW_ROW_KEYS, labels)):
        row = etree.SubElement(new, "tr")
        etree.SubElement(row, "td").text = label
        for text in figures[n * 5:(n + 1) * 5]:
            etree.SubElement(row, "td").text = "" if key in blank_rows else text
    table.addprevious(new)
    table.getparent().remove(table)


BLANK_ROWS = [(), ("review",), ("litigation_direct",), ("litigation_after_review",),
              ("review", "litigation_direct"), ("review", "litigation_after_review"),
              ("litigation_direct", "litigation_after_review")]


@pytest.mark.parametrize("blank_rows", BLANK_ROWS, ids=["+".join(b) or "none" for b in BLANK_ROWS])
def test_review_as_labelled_rows_with_empty_rows(blank_rows: tuple[str, ...]) -> None:
    fig = make_figures(1, "2021")
    for key in blank_rows:
        for col in ("upheld", "corrected", "other", "pending", "total"):
            fig.values[("review_litigation", key, col)] = None
    root = page_root(fig)
    review_as_labelled_rows(root, blank_rows)
    expected = expected_json(fig, "html", "official")
    got = parse_document(to_bytes(root), None, "report.html")
    assert compare_cells(expected, got) == []


CLOSING_DATES = ["（2025年1月15日）", "2025年1月15日印发", "2025年1月15号", "二〇二五年元月十五日",
                 "2025/01/15", "２０２５年１月１５日"]


@pytest.mark.parametrize("printed", CLOSING_DATES)
def test_closing_date_forms(printed: str) -> None:
    """The date under the signature in brackets, with the act it dates, with 号 for 日."""
    fig = make_figures(3, "2021", agency="青川县交通运输局", year=2024)
    root = page_root(fig)
    root.find("body").findall("p")[-1].text = printed
    got = parse_document(to_bytes(root), None, "report.html")
    assert (got["agency"], got["year"], got["published_date"]) == \
        ("青川县交通运输局", 2024, "2025-01-15")


def test_office_with_two_names_signs_the_report() -> None:
    """An office with two plates signs with the second name in brackets; the title has no
    agency: the signature names it."""
    agency = "青川县住房和城乡建设局（青川县人民防空办公室）"
    fig = make_figures(3, "2021", agency=agency, year=2024)
    root = page_root(fig)
    paragraphs = root.find("body").findall("p")
    set_text(paragraphs[0], "2024年政府信息公开工作年度报告")
    root.find("head").find("title").text = "2024年政府信息公开工作年度报告"
    paragraphs[-2].text = agency
    paragraphs[-1].text = "2025年1月15日"
    got = parse_document(to_bytes(root), None, "report.html")
    assert (got["agency"], got["year"], got["published_date"]) == \
        ("青川县住房和城乡建设局(青川县人民防空办公室)", 2024, "2025-01-15")
