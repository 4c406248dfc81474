"""Red-team round 10: the insides of the Word and Excel files offices post.

Each case renders a generated report (figures known by construction), edits its package the
way a tool leaves it, parses it and compares every cell, the metadata and the checks. Each
was read wrong before its fix (seeds 3/2021, 4/2019, 11/2021 probed: all wrong):

- **cells wrapped in ``w:customXml``** (Word 2007's custom XML markup, around cells of a row):
  the cells were skipped — a cell counted only as the row's child or in a content control —
  so figures moved columns left (64–84 cells wrong). A cell belongs to the row it stands in
  through any wrapper (``docx._owning_row``).
- **deleted text in ``w:t``** (a tracked deletion written by a tool as ``w:del`` around runs of
  ``w:t``, not ``w:delText``): the old figure was read beside the new (``777`` + ``11`` →
  ``77711``, 32–41 cells). A deletion's runs are not printed; a tracked-deleted row neither
  (``docx._drop_unprinted``).
- **a figure in a text box in its cell** (``mc:AlternateContent``: the ``wps`` shape and its
  VML ``mc:Fallback`` copy): the cell read both copies (``11`` → ``1111``, 18–22 cells). The
  fallback is dropped from the tree, as the paragraph reader already skipped it.
- **content controls never filled in** (a template's ``w:sdt`` per figure cell, showing its
  prompt ``单击或点击此处输入文字。`` — ``w:showingPlcHdr``): the prompt read as the cell's text
  moved rows' figures (8–71 cells wrong in 4 of 6 reports). A control showing its placeholder
  holds nothing: its text is not read.
- **a table pasted from Excel as an object** (``w:object`` with an ``o:OLEObject`` of ProgID
  ``Excel.Sheet.12``: the page shows a picture of the sheet, the workbook embedded beside it in
  ``word/embeddings/``): the table's cells all null, no warning — the other tables being text,
  the picture was not flagged (table 三: 43–54 cells, table 四: 6–10, 3 seeds). The embedded
  workbook is read (``docx._embedded_sheets``; an Excel 97 ``.bin`` through xlrd, not tried:
  nothing here writes one) and its tables stand where the object does.
- **Word Online's package** (the main part ``word/document2.xml``, its relationships beside
  it): refused as "neither a DOCX nor an XLSX". The main part is the target of the package's
  ``officeDocument`` relationship (``ooxml.main_part``), and the content types name it to the
  sniffer.
- **the report as a ``w:altChunk`` of another kind than HTML** (the OpenXML SDK merges
  documents by embedding each whole DOCX as a chunk; a program writes plain text; RTF): read as
  HTML, every cell missing (2/2 each). A chunk is read as what its bytes are — a DOCX (at most
  two deep), MHTML, RTF or text (through the ordinary readers), else HTML
  (``docx._chunk_blocks``); RTF tried by hand through LibreOffice (exact), not in the suite.
- **Strict Open XML** (Word's and Excel's "Strict" save option: the same elements under
  ``http://purl.oclc.org/ooxml/…`` names): every cell missing (DOCX: no element known; XLSX:
  openpyxl reads nothing). Strict names are read as the transitional ones they stand for
  (``ooxml.transitional``), for openpyxl in a rewritten package.

- **formulas with a placeholder cached value** (XlsxWriter writes ``<v>0</v>`` for every
  formula, PhpSpreadsheet and others a stale figure, and ask the spreadsheet to recalculate
  on opening, ``<calcPr fullCalcOnLoad="1"/>``): every total read 0 (18–30 cells wrong, 6/6
  workbooks). Such a workbook's formulas are all evaluated as uncached ones are (plain sums;
  anything else blank). A formula left blank so, here or uncached, is now said in a warning
  (it was silent).

- **section headings numbered by Word** (a list on the paragraph, ``w:numPr``, or on its
  style — 标题 1 numbered ``%1、`` in ``chineseCounting``): the number is drawn by Word, the text
  holds ``总体情况`` only — sections overview, problems and other lost (3/3 reports). The
  numbers are written into their paragraphs as Word prints them, counted per list in document
  order (``parsers/readers/docx_numbering.py``). Table labels so numbered were already read.

Tried and already right: ``w:ins`` with the corrected figure beside a ``w:del`` of the old one,
content controls around a cell's paragraph or its runs, ``w:fldSimple`` and complex fields
(``=SUM(LEFT)``, the result between ``separate`` and ``end``), ``w:hyperlink``, ``w:smartTag``,
``w:dir``; XLSX figures as text in full-width digits, ``1 234`` and floats (``12.0``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse12_office.py
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
from lxml import etree

from tests.fixturegen import make_figures, render
from tests.fixturegen.formulas import with_formulas
from tests.test_redteam_parse4_office import (
    _number_cells,
    _text,
    alt_chunk_docx,
    differences,
    edit_docx,
    w,
)

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def cells_in_custom_xml(root: etree._Element) -> None:
    """Every second cell of each row wrapped in ``w:customXml``."""
    for tr in root.iter(w("tr")):
        for tc in tr.findall(w("tc"))[1::2]:
            wrapper = etree.Element(w("customXml"), {w("element"): "cell"})
            tc.addprevious(wrapper)
            wrapper.append(tc)


def deleted_runs_in_t(root: etree._Element) -> None:
    """Every second figure preceded by a tracked deletion of ``777`` written in ``w:t``."""
    for n, tc in enumerate(_number_cells(root)[::2]):
        deleted = etree.Element(w("del"), {w("id"): str(n), w("author"): "审核"})
        etree.SubElement(etree.SubElement(deleted, w("r")), w("t")).text = "777"
        tc.find(w("p")).insert(1, deleted)


def figures_in_text_boxes(root: etree._Element) -> None:
    """Every fifth figure in a text box in its cell: the shape and its VML fallback."""
    for tc in _number_cells(root)[::5]:
        p = tc.find(w("p"))
        figure = _text(tc)
        for run in p.findall(w("r")):
            p.remove(run)
        alternate = etree.SubElement(etree.SubElement(p, w("r")), f"{{{MC}}}AlternateContent")
        for part in ("Choice", "Fallback"):
            box = etree.SubElement(etree.SubElement(alternate, f"{{{MC}}}{part}"),
                                   w("txbxContent"))
            etree.SubElement(etree.SubElement(etree.SubElement(box, w("p")), w("r")),
                             w("t")).text = figure


def rezip(data: bytes, edit: Callable[[str, bytes], tuple[str, bytes]]) -> bytes:
    """``data`` with each member renamed and rewritten by ``edit``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(*edit(name, source.read(name)))
    return out.getvalue()


def word_online(name: str, body: bytes) -> tuple[str, bytes]:
    """The main part as Word Online names it."""
    body = body.replace(b"word/document.xml", b"word/document2.xml")
    return name.replace("document.xml", "document2.xml"), body


_STRICT = [(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            b"http://purl.oclc.org/ooxml/wordprocessingml/main"),
           (b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
            b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
           (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            b"http://purl.oclc.org/ooxml/officeDocument/relationships")]


def strict(name: str, body: bytes) -> tuple[str, bytes]:
    for transitional, strict_name in _STRICT:
        body = body.replace(transitional, strict_name)
    return name, body


DOCX_EDITS = [cells_in_custom_xml, deleted_runs_in_t, figures_in_text_boxes]


def test_docx_insides() -> None:
    fig = make_figures(3, "2021")
    data = render(fig, "docx")
    wrong = {edit.__name__: differences(fig, "docx", edit_docx(data, edit))[:3]
             for edit in DOCX_EDITS}
    wrong.update({edit.__name__: differences(fig, "docx", rezip(data, edit))[:3]
                  for edit in (word_online, strict)})
    assert {name: d for name, d in wrong.items() if d} == {}


@pytest.mark.parametrize("style", ["official", "sheets"])
def test_strict_xlsx(style: str) -> None:
    fig = make_figures(11, "2021")
    assert differences(fig, "xlsx", rezip(render(fig, "xlsx", style), strict)) == []


@pytest.mark.parametrize("kind,style", [("docx", "official"), ("txt", "tabs")])
def test_docx_whose_report_is_a_chunk_of_another_kind(kind: str, style: str) -> None:
    fig = make_figures(4, "2019")
    data = alt_chunk_docx(render(fig, kind, style), kind)
    assert differences(fig, "docx", data) == []


def placeholder_zeros(name: str, body: bytes) -> tuple[str, bytes]:
    """Every formula's cached value 0, as XlsxWriter writes it (openpyxl, writing the
    formulas, already asks for a recalculation on load)."""
    if name.startswith("xl/worksheets/"):
        body = body.replace(b"</f><v></v>", b"</f><v>0</v>")
    return name, body


def unevaluated_total(name: str, body: bytes) -> tuple[str, bytes]:
    """Table 三's first 总计 as ``ROUND(…)`` with no cached value (no plain sum)."""
    if name.startswith("xl/worksheets/"):
        body = body.replace(b"<f>SUM(", b"<f>ROUND(", 1)
    return name, body


def test_formulas_whose_cached_value_is_a_placeholder() -> None:
    fig = make_figures(4, "2019")
    data = rezip(with_formulas(render(fig, "xlsx"), "nested"), placeholder_zeros)
    assert differences(fig, "xlsx", data) == []


def test_a_formula_left_blank_is_warned() -> None:
    from parsers import parse_document

    fig = make_figures(3, "2021")
    data = rezip(with_formulas(render(fig, "xlsx"), "sum"), unevaluated_total)
    got = parse_document(data, None, "report.xlsx")
    assert got["requests"]["new_received"]["total"] is None
    assert any("formula cells" in w for w in got["warnings"])


_ENUMERATORS = [(re.compile(r"^[一二三四五六七八九十]+、"), "0"),
                (re.compile(r"^（[一二三四五六七八九十]+）"), "1")]
_CN_LIST = ('<w:abstractNum w:abstractNumId="900"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>').encode()
_CN_NUM = b'<w:num w:numId="901"><w:abstractNumId w:val="900"/></w:num>'
_CN_STYLES = ('<w:style w:type="paragraph" w:styleId="CN{0}"><w:name w:val="CN {0}"/><w:pPr>'
              '<w:numPr><w:ilvl w:val="{0}"/><w:numId w:val="901"/></w:numPr></w:pPr></w:style>')


def numbered_headings(data: bytes, on_style: bool) -> bytes:
    """Body paragraphs' ``一、`` and ``（一）`` drawn by a Word list instead of typed."""
    def number(root: etree._Element) -> None:
        for p in root.iter(w("p")):
            if any(a.tag == w("tbl") for a in p.iterancestors()):
                continue
            texts = list(p.iter(w("t")))
            text = "".join(t.text or "" for t in texts)
            level, match = next(((lvl, m) for rx, lvl in _ENUMERATORS if (m := rx.match(text))),
                                (None, None))
            if match is None:
                continue
            cut = len(match.group(0))
            for t in texts:
                n = min(cut, len(t.text or ""))
                t.text, cut = (t.text or "")[n:], cut - n
            props = p.find(w("pPr"))
            if props is None:
                props = etree.Element(w("pPr"))
                p.insert(0, props)
            if on_style:
                etree.SubElement(props, w("pStyle"), {w("val"): f"CN{level}"})
                continue
            num_pr = etree.SubElement(props, w("numPr"))
            etree.SubElement(num_pr, w("ilvl"), {w("val"): level})
            etree.SubElement(num_pr, w("numId"), {w("val"): "901"})

    def lists(name: str, body: bytes) -> tuple[str, bytes]:
        if name == "word/numbering.xml":
            body = re.sub(rb"(<w:numbering[^>]*>)", lambda m: m.group(1) + _CN_LIST, body, count=1)
            body = body.replace(b"</w:numbering>", _CN_NUM + b"</w:numbering>")
        elif name == "word/styles.xml":
            body = body.replace(b"</w:styles>", "".join(_CN_STYLES.format(n) for n in (0, 1))
                                .encode() + b"</w:styles>")
        return name, body

    return rezip(edit_docx(data, number), lists)


@pytest.mark.parametrize("on_style", [False, True], ids=["paragraph", "style"])
def test_headings_numbered_by_word(on_style: bool) -> None:
    from parsers import parse_document
    from tests.fixturegen import expected_json
    from tests.fixturegen.compare import compare_sections

    fig = make_figures(3, "2021")
    data = numbered_headings(render(fig, "docx"), on_style)
    got = parse_document(data, None, "report.docx")
    assert compare_sections(expected_json(fig, "docx", "official"), got) == []
    assert differences(fig, "docx", data) == []


def unfilled_controls(root: etree._Element) -> None:
    """Every blank figure cell a content control still showing its prompt."""
    for tr in root.iter(w("tr")):
        cells = tr.findall(w("tc"))
        if not any(_text(tc).strip().isdigit() for tc in cells):
            continue
        for tc in cells[1:]:
            if _text(tc).strip():
                continue
            sdt = etree.SubElement(tc.find(w("p")), w("sdt"))
            etree.SubElement(etree.SubElement(sdt, w("sdtPr")), w("showingPlcHdr"))
            run = etree.SubElement(etree.SubElement(sdt, w("sdtContent")), w("r"))
            etree.SubElement(run, w("t")).text = "单击或点击此处输入文字。"


def test_content_controls_showing_their_prompt() -> None:
    fig = make_figures(4, "2019", blanks="some")
    assert differences(fig, "docx", edit_docx(render(fig, "docx"), unfilled_controls)) == []


_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OLE_RELS = ('<Relationship Id="rIdOle1" Type="http://schemas.openxmlformats.org/officeDocument/'
             '2006/relationships/package" Target="embeddings/Microsoft_Excel_Worksheet.xlsx"/>'
             '<Relationship Id="rIdOleImg" Type="http://schemas.openxmlformats.org/officeDocument/'
             '2006/relationships/image" Target="media/image_ole.emf"/>').encode()
_OLE_TYPES = (b'<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-'
              b'officedocument.spreadsheetml.sheet"/><Default Extension="emf" ContentType="image/x-emf"/>')


def excel_object(fig, marker: str = "申请人情况", sheet: str = "依申请公开") -> bytes:
    """``docx/official`` with the table holding ``marker`` pasted from Excel as an embedded
    worksheet object (its picture a stand-in EMF), the workbook ``sheet`` of ``xlsx/sheets``."""
    book = openpyxl.load_workbook(io.BytesIO(render(fig, "xlsx", "sheets")))
    for ws in list(book.worksheets):
        if ws.title != sheet:
            book.remove(ws)
    book.worksheets[0].title = "Sheet1"
    embedded = io.BytesIO()
    book.save(embedded)

    def replace(root: etree._Element) -> None:
        table = next(t for t in root.iter(w("tbl")) if marker in _text(t))
        p = etree.Element(w("p"))
        obj = etree.SubElement(etree.SubElement(p, w("r")), w("object"))
        shape = etree.SubElement(obj, f"{{{_V}}}shape", {"id": "_x0000_i1025"})
        etree.SubElement(shape, f"{{{_V}}}imagedata", {f"{{{_R}}}id": "rIdOleImg"})
        etree.SubElement(obj, f"{{{_O}}}OLEObject", {
            "Type": "Embed", "ProgID": "Excel.Sheet.12", "ShapeID": "_x0000_i1025",
            "DrawAspect": "Content", f"{{{_R}}}id": "rIdOle1"})
        table.getparent().replace(table, p)

    def parts(name: str, body: bytes) -> tuple[str, bytes]:
        if name == "word/_rels/document.xml.rels":
            body = body.replace(b"</Relationships>", _OLE_RELS + b"</Relationships>")
        elif name == "[Content_Types].xml":
            body = body.replace(b"</Types>", _OLE_TYPES + b"</Types>")
        return name, body

    data = rezip(edit_docx(render(fig, "docx"), replace), parts)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "a") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", embedded.getvalue())
        target.writestr("word/media/image_ole.emf", b"\x01\x00\x00\x00" + bytes(100))
    return out.getvalue()


def test_table_pasted_from_excel_as_an_object() -> None:
    fig = make_figures(4, "2019")
    assert differences(fig, "docx", excel_object(fig)) == []
