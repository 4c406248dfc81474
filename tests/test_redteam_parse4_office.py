"""Red-team round 3: Word and Excel reports in shapes rounds 1 and 2 did not try.

Each case renders a generated report (tests.fixturegen: figures known by construction), edits
the DOCX XML or the workbook the way an office's copy ends up, parses it with the real parser
and compares every table cell, the metadata and the checks with the figures.

DOCX: the diagonal corner of table 三 drawn as a small table inside its cell; stale figures kept
beside the new ones as hidden text (``w:vanish``); figures dragged between cells with track
changes on (``w:moveFrom`` keeps ``w:t``); superscript footnote numbers after figures; old-style ``w:hMerge``
merges; the whole report as an HTML or MHTML ``w:altChunk``; a tracked-deleted row; totals as ``=SUM(LEFT)``
fields; rows inside a content control; labels over two paragraphs; rows with ``w:gridBefore``.
XLSX: last year's copy on a hidden sheet before the report's; a hidden spacer row and a hidden
校验 column holding numbers; figures stored as text with units; ``0"件"`` number formats.

    .venv/bin/python -m pytest -q tests/test_redteam_parse4_office.py
"""

from __future__ import annotations

import copy
import io
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def differences(fig, kind: str, data: bytes) -> list[str]:
    expected = expected_json(fig, kind, "official")
    got = parse_document(data, None, f"report.{kind}")
    return (compare_cells(expected, got) + compare_meta(expected, got) +
            compare_checks(expected, got))


# ---------------------------------------------------------------- DOCX

def edit_docx(data: bytes, edit: Callable[[etree._Element], None]) -> bytes:
    """``data`` with ``edit`` applied to the parsed word/document.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source.read("word/document.xml"))
    edit(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            body = (etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                    if name == "word/document.xml" else source.read(name))
            target.writestr(name, body)
    return out.getvalue()


def _tables(root: etree._Element) -> list[etree._Element]:
    return [t for t in root.iter(w("tbl"))]


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(w("t")))


def _para(text: str) -> etree._Element:
    p = etree.Element(w("p"))
    etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = text
    return p


def _number_cells(root: etree._Element) -> list[etree._Element]:
    return [tc for tc in root.iter(w("tc")) if re.fullmatch(r"\d+", _text(tc))]


def diagonal_corner(root: etree._Element) -> None:
    """Table 三's corner cell holds a two-row table (申请人情况 / 办理情况)."""
    corner = _tables(root)[1].find(w("tr")).find(w("tc"))
    for p in corner.findall(w("p")):
        corner.remove(p)
    inner = etree.SubElement(corner, w("tbl"))
    etree.SubElement(inner, w("tblPr"))
    for text in ("申请人情况", "办理情况"):
        etree.SubElement(etree.SubElement(inner, w("tr")), w("tc")).append(_para(text))
    corner.append(_para(""))  # Word ends a cell with a paragraph


def hidden_stale_figures(root: etree._Element) -> None:
    """Each figure preceded by last year's figure formatted as hidden text."""
    for tc in _number_cells(root):
        run = etree.Element(w("r"))
        etree.SubElement(etree.SubElement(run, w("rPr")), w("vanish"))
        etree.SubElement(run, w("t")).text = "999"
        tc.find(w("p")).insert(1, run)


def moved_figures(root: etree._Element) -> None:
    """Figures dragged in from a neighbouring cell with track changes on: the old place keeps
    the moved text in ``w:moveFrom`` (printed nowhere)."""
    for n, tc in enumerate(_number_cells(root)):
        if n % 3:
            continue
        move = etree.Element(w("moveFrom"), {w("id"): str(100 + n), w("author"): "审核"})
        etree.SubElement(etree.SubElement(move, w("r")), w("t")).text = "8"
        tc.find(w("p")).insert(1, move)


def superscript_notes(root: etree._Element) -> None:
    """Every third figure followed by a superscript footnote number (12¹)."""
    for n, tc in enumerate(_number_cells(root)[::3]):
        run = etree.SubElement(tc.find(w("p")), w("r"))
        props = etree.SubElement(run, w("rPr"))
        etree.SubElement(props, w("vertAlign"), {w("val"): "superscript"})
        etree.SubElement(run, w("t")).text = str(n % 9 + 1)


def deleted_row(root: etree._Element) -> None:
    """A tracked-deleted copy of a row of table 三 (its text in ``w:delText``)."""
    rows = _tables(root)[1].findall(w("tr"))
    dup = copy.deepcopy(rows[8])
    props = dup.find(w("trPr"))
    if props is None:
        props = etree.Element(w("trPr"))
        dup.insert(0, props)
    etree.SubElement(props, w("del"), {w("id"): "9", w("author"): "审核"})
    for run in list(dup.iter(w("r"))):
        deleted = etree.Element(w("del"), {w("id"): "10", w("author"): "审核"})
        run.getparent().replace(run, deleted)
        deleted.append(run)
        for t in run.iter(w("t")):
            t.tag = w("delText")
    rows[8].addnext(dup)


def formula_fields(root: etree._Element) -> None:
    """Every figure the result of a ``{ =SUM(LEFT) }`` field."""
    for tc in _number_cells(root):
        p = tc.find(w("p"))
        value = _text(tc)
        for r in p.findall(w("r")):
            p.remove(r)
        for kind, instr, text in (("begin", None, None), (None, " =SUM(LEFT) ", None),
                                  ("separate", None, None), (None, None, value),
                                  ("end", None, None)):
            run = etree.SubElement(p, w("r"))
            if kind:
                etree.SubElement(run, w("fldChar"), {w("fldCharType"): kind})
            if instr:
                etree.SubElement(run, w("instrText")).text = instr
            if text is not None:
                etree.SubElement(run, w("t")).text = text


def rows_in_content_control(root: etree._Element) -> None:
    """Rows 5–11 of table 三 inside a ``w:sdt`` block."""
    table = _tables(root)[1]
    rows = table.findall(w("tr"))
    sdt = etree.Element(w("sdt"))
    etree.SubElement(sdt, w("sdtPr"))
    content = etree.SubElement(sdt, w("sdtContent"))
    rows[5].addprevious(sdt)
    for row in rows[5:12]:
        content.append(row)


def labels_in_two_paragraphs(root: etree._Element) -> None:
    for tc in root.iter(w("tc")):
        text = _text(tc)
        if len(text) >= 8 and not re.search(r"\d\d", text):
            for p in tc.findall(w("p")):
                tc.remove(p)
            tc.append(_para(text[:len(text) // 2]))
            tc.append(_para(text[len(text) // 2:]))


DOCX_EDITS = [
    (diagonal_corner, 3, "2021"), (diagonal_corner, 11, "2021"),
    (hidden_stale_figures, 3, "2021"), (hidden_stale_figures, 4, "2019"),
    (moved_figures, 11, "2021"), (moved_figures, 4, "2019"),
    (superscript_notes, 1, "2021"), (superscript_notes, 4, "2019"),
    (deleted_row, 3, "2021"), (formula_fields, 11, "2021"),
    (rows_in_content_control, 4, "2019"), (labels_in_two_paragraphs, 3, "2021"),
]


@pytest.mark.parametrize("edit,seed,fmt", DOCX_EDITS,
                         ids=[f"{e.__name__}-{s}-{f}" for e, s, f in DOCX_EDITS])
def test_docx_edit_reads_every_cell(edit, seed: int, fmt: str) -> None:
    fig = make_figures(seed, fmt)
    data = edit_docx(render(fig, "docx"), edit)
    assert differences(fig, "docx", data) == []


# ---------------------------------------------------------------- XLSX

def edit_xlsx(data: bytes, edit: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hidden_last_year_sheet(book: openpyxl.Workbook) -> None:
    """A hidden copy of the report with other figures, placed before it."""
    old = book.copy_worksheet(book.worksheets[0])
    for row in old.iter_rows():
        for cell in row:
            if isinstance(cell.value, int):
                cell.value = 999
    old.title = "上年"
    old.sheet_state = "hidden"
    book.move_sheet(old, offset=-1)


def hidden_row_and_column(book: openpyxl.Workbook) -> None:
    """Numbers in a hidden spacer row between tables and in a hidden 校验 column right of
    every table row."""
    ws = book.worksheets[0]
    for r in range(6, ws.max_row + 1):
        if all(ws.cell(r, c).value is None for c in range(1, 16)):
            for c in range(1, 11):
                ws.cell(r, c, value=c * 111)
            ws.row_dimensions[r].hidden = True
            break
    for r in range(1, ws.max_row + 1):
        if any(isinstance(ws.cell(r, c).value, int) for c in range(1, 16)):
            ws.cell(r, 16, value=7)
    ws.column_dimensions["P"].hidden = True


def figures_as_text(book: openpyxl.Workbook) -> None:
    """Figures typed as text: ``12件`` or ``1,234``."""
    for row in book.worksheets[0].iter_rows():
        for cell in row:
            if isinstance(cell.value, int):
                cell.value = f"{cell.value}件" if cell.value % 2 else f"{cell.value:,}"


def unit_number_format(book: openpyxl.Workbook) -> None:
    for row in book.worksheets[0].iter_rows():
        for cell in row:
            if isinstance(cell.value, int):
                cell.number_format = '0"件"'


XLSX_EDITS = [
    (hidden_last_year_sheet, 3, "2021"), (hidden_last_year_sheet, 11, "2021"),
    (hidden_row_and_column, 3, "2021"), (hidden_row_and_column, 4, "2019"),
    (figures_as_text, 11, "2021"), (unit_number_format, 4, "2019"),
]


@pytest.mark.parametrize("edit,seed,fmt", XLSX_EDITS,
                         ids=[f"{e.__name__}-{s}-{f}" for e, s, f in XLSX_EDITS])
def test_xlsx_edit_reads_every_cell(edit, seed: int, fmt: str) -> None:
    fig = make_figures(seed, fmt)
    data = edit_xlsx(render(fig, "xlsx"), edit)
    assert differences(fig, "xlsx", data) == []





def test_computed_counts_print_as_shown() -> None:
    """Totals computed in the workbook (sums of shares, ``=B4*0.1*10``): the cached values
    carry binary noise (12.000000000000002) that the cell's ``0`` number format hides."""
    fig = make_figures(3, "2021")

    def computed(book: openpyxl.Workbook) -> None:
        for row in book.worksheets[0].iter_rows():
            for cell in row:
                if isinstance(cell.value, int) and cell.value > 2:
                    cell.value = cell.value * 0.1 * 3 / 0.3 + 2e-15 * cell.value
                    cell.number_format = "0"

    data = edit_xlsx(render(fig, "xlsx"), computed)
    assert differences(fig, "xlsx", data) == []


def old_style_merges(root: etree._Element) -> None:
    """Horizontal merges written the old way (w:hMerge restart/continue cells, as WPS and
    Word 97 documents do) instead of w:gridSpan."""
    for tc in list(root.iter(w("tc"))):
        props = tc.find(w("tcPr"))
        span = props.find(w("gridSpan")) if props is not None else None
        if span is None:
            continue
        props.remove(span)
        etree.SubElement(props, w("hMerge"), {w("val"): "restart"})
        previous = tc
        for _ in range(int(span.get(w("val"))) - 1):
            covered = etree.Element(w("tc"))
            etree.SubElement(etree.SubElement(covered, w("tcPr")), w("hMerge"),
                             {w("val"): "continue"})
            covered.append(_para(""))
            previous.addnext(covered)
            previous = covered


def test_old_style_merges_print_as_one_cell() -> None:
    from parsers.readers.docx import read_docx

    fig = make_figures(3, "2021")
    data = edit_docx(render(fig, "docx"), old_style_merges)
    assert differences(fig, "docx", data) == []
    rows = [b for b in read_docx(data).blocks if not isinstance(b, str)][1].rows
    assert rows[0] == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]


def alt_chunk_docx(html: bytes, ext: str = "htm") -> bytes:
    """A DOCX whose body is one ``w:altChunk``: the report as an HTML part, as export tools
    (HTML → Word) write them; Word converts it on opening, the XML holds no text."""
    import docx as python_docx

    document = python_docx.Document()
    buf = io.BytesIO()
    document.save(buf)
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    rel = ('<Relationship Id="rIdChunk1" Type="http://schemas.openxmlformats.org/officeDocument/'
           f'2006/relationships/aFChunk" Target="afchunk.{ext}"/>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            body = source.read(name)
            if name == "word/document.xml":
                body = re.sub(rb"<w:body>.*</w:body>",
                              b'<w:body><w:altChunk r:id="rIdChunk1"/><w:sectPr/></w:body>',
                              body, flags=re.DOTALL)
            elif name == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif name == "[Content_Types].xml":
                body = body.replace(b"</Types>", f'<Default Extension="{ext}" ContentType='
                                    f'"application/xhtml+xml"/></Types>'.encode())
            target.writestr(name, body)
        target.writestr(f"word/afchunk.{ext}", html)
    return out.getvalue()


@pytest.mark.parametrize("seed,fmt,ext", [(3, "2021", "htm"), (4, "2019", "htm"), (11, "2021", "mht")])
def test_docx_with_the_report_as_an_html_chunk(seed: int, fmt: str, ext: str) -> None:
    fig = make_figures(seed, fmt)
    html = render(fig, "html", "official")
    if ext == "mht":  # Word's single-file web page: the HTML as a part of a MIME message
        html = (b'MIME-Version: 1.0\nContent-Type: multipart/related; boundary="b"\n\n--b\n'
                b'Content-Type: text/html; charset="utf-8"\nContent-Transfer-Encoding: 8bit\n\n'
                + html + b"\n--b--\n")
    data = alt_chunk_docx(html, ext)
    assert differences(fig, "docx", data) == []
