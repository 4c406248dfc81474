"""DOCX → :class:`Document`: paragraphs and tables in body order, merged cells as printed.

    >>> import io, docx as python_docx
    >>> d = python_docx.Document(); _ = d.add_paragraph("一、总体情况")
    >>> t = d.add_table(rows=1, cols=2); t.cell(0, 0).text = "规章"; t.cell(0, 1).text = "0"
    >>> buf = io.BytesIO(); d.save(buf)
    >>> read_docx(buf.getvalue()).blocks
    ['一、总体情况', Table(rows=[['规章', '0']], page=None)]

Reads ``word/document.xml`` with lxml (through :mod:`parsers.readers.ooxml`'s bomb and DTD
checks) rather than python-docx's object model, because the body must be walked in order
(paragraphs and tables interleaved), merged cells need the raw ``gridSpan``/``vMerge``
properties, and text boxes and content controls (``w:sdt``) hide report text.

Merged cells: a ``gridSpan`` cell is one cell; a ``vMerge`` continuation cell is omitted
(covered by the cell above), as :class:`~parsers.document.Table` prescribes. A table whose cells
hold tables is a layout table: its contents are read as blocks, so the inner data table comes
out as a Table.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from lxml import etree

from parsers.document import Block, Document, ParseError, Table
from parsers.readers.common import clean_text, strip_debris
from parsers.readers.docx_numbering import number_paragraphs
from parsers.readers.ooxml import main_part, open_zip, parse_member, read_member
from parsers.values import value_kind

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_w = f"{{{W}}}"
_P, _TBL, _TR, _TC, _T = _w + "p", _w + "tbl", _w + "tr", _w + "tc", _w + "t"
_SDT, _SDT_CONTENT, _TXBX = _w + "sdt", _w + "sdtContent", _w + "txbxContent"
_BREAKS = {_w + "br", _w + "cr"}
_SPACES = {_w + "tab", _w + "ptab"}
_FALLBACK = f"{{{MC}}}Fallback"
_R, _RPR, _VANISH, _VERT_ALIGN = _w + "r", _w + "rPr", _w + "vanish", _w + "vertAlign"
# Text a printed page does not show: tracked moves' old place (its runs keep w:t, unlike
# w:del's w:delText) and runs formatted as hidden text (w:vanish; a stale figure kept beside
# the new one).
_MOVE_FROM = _w + "moveFrom"
_DEL, _TR_PR = _w + "del", _w + "trPr"
_SHOWING_PLACEHOLDER = _w + "showingPlcHdr"
_ALT_CHUNK = _w + "altChunk"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_NEWLINE = "\n"
_GENERIC_TITLES = ("microsoft word", "untitled", "文档", "document", "无标题")


def read_docx(data: bytes, depth: int = 0) -> Document:
    """Read a DOCX file.

    :param depth: how many DOCX chunks (``w:altChunk``) this one is inside
    :raises ParseError: truncated/corrupt zip, zip bomb, DTD in XML, missing document part
    """
    archive = open_zip(data, "DOCX")
    main = main_part(archive, "word/document.xml", "DOCX")
    body_root = parse_member(archive, main, "DOCX")
    if body_root is None:
        raise ParseError("corrupt DOCX (no word/document.xml)")
    _drop_unprinted(body_root)
    parts = _related_parts(archive, main)
    number_paragraphs(body_root, parse_member(archive, parts.get("numbering", ""), "DOCX"),
                      parse_member(archive, parts.get("styles", ""), "DOCX"))
    body = body_root.find(_w + "body")
    doc = Document(kind="docx")
    if body is not None:
        doc.blocks = _blocks(body, {**_alt_chunks(archive, body, main, depth),
                                    **_embedded_sheets(archive, body, main)})
    _flag_picture_tables(doc, [n for n in archive.namelist() if n.startswith("word/media/")])
    core = parse_member(archive, "docProps/core.xml", "DOCX")
    if core is not None:
        title = core.find("{http://purl.org/dc/elements/1.1/}title")
        text = clean_text(title.text or "") if title is not None else ""
        if text and not text.lower().startswith(_GENERIC_TITLES):
            doc.title = text
    return doc


def _relationships(archive, main: str) -> dict[str, tuple[str, str]]:
    """The main part's relationships to parts inside the package: id → (type's last word, part
    name); external targets left out."""
    folder, name = posixpath.split(main)
    rels = parse_member(archive, posixpath.join(folder, "_rels", f"{name}.rels"), "DOCX")
    out: dict[str, tuple[str, str]] = {}
    for rel in rels if rels is not None else ():
        target = rel.get("Target") or ""
        if target and not target.startswith(("http:", "https:", "file:")):
            out[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1],
                                        target.lstrip("/") if target.startswith("/") else
                                        posixpath.normpath(posixpath.join(folder, target)))
    return out


def _related_parts(archive, main: str) -> dict[str, str]:
    """The parts the main part names by relationship type (``styles``, ``numbering``)."""
    out: dict[str, str] = {}
    for kind, part in _relationships(archive, main).values():
        out.setdefault(kind, part)
    return out


_TABLE_HEADINGS = re.compile(r"主动公开政府信息情况|收到和处理政府信息公开申请情况|行政复议、行政诉讼")


def _flag_picture_tables(doc: Document, media: list[str]) -> None:
    """Table headings present as text, no table, pictures in the file: the tables were pasted
    as images (docs/format.md §6) — flag OCR instead of reporting a report without figures."""
    if not media or any(isinstance(b, Table) for b in doc.blocks):
        return
    if _TABLE_HEADINGS.search(doc.text()):
        doc.needs_ocr = True
        doc.warnings.append(f"tables appear to be pictures ({len(media)} images, no table "
                            "text); OCR needed")


_OLE = "{urn:schemas-microsoft-com:office:office}OLEObject"


def _embedded_sheets(archive, body: etree._Element, main: str) -> dict[etree._Element, list[Block]]:
    """The tables of each Excel worksheet embedded as an object (``o:OLEObject`` of ProgID
    ``Excel.Sheet.*``: a table pasted from Excel as an object, shown as a picture of the
    sheet): read from the embedded workbook, they are the figures the picture shows."""
    # (Excel.Sheet.8/.12, WPS's Ket.Sheet…; not Excel.Chart: a chart's data is no table shown)
    objects = [ole for ole in body.iter(_OLE) if ".sheet" in (ole.get("ProgID") or "").lower()]
    if not objects:
        return {}
    from parsers.readers.sheet import read_sheet

    out: dict[etree._Element, list[Block]] = {}
    for ole, _, data in _linked_parts(archive, main, objects):
        try:
            sheet = read_sheet(data, "xlsx" if data[:4] == b"PK\x03\x04" else "xls")
        except ParseError:
            continue
        out[ole] = [b for b in sheet.blocks if isinstance(b, Table)]
    return out


def _linked_parts(archive, main: str, elements: list[etree._Element]
                  ) -> Iterator[tuple[etree._Element, str, bytes]]:
    """(element, part name, bytes) of each element's ``r:id`` target inside the package
    (external targets and missing parts skipped)."""
    parts = _relationships(archive, main)
    for element in elements:
        part = parts.get(element.get(_R_ID) or "", ("", ""))[1]
        data = read_member(archive, part, "DOCX") if part else None
        if data:
            yield element, part, data


_MAX_CHUNK_DEPTH = 2  # a DOCX chunk inside a DOCX chunk; deeper is a loop or an attack


def _alt_chunks(archive, body: etree._Element, main: str,
                depth: int = 0) -> dict[etree._Element, list[Block]]:
    """The blocks of each ``w:altChunk``: a part an export tool embedded in the DOCX instead
    of Word paragraphs (Word converts it on opening; the XML holds no text) — HTML or MHTML,
    a whole DOCX (the OpenXML SDK's way of merging documents), plain text or RTF."""
    chunks = list(body.iter(_ALT_CHUNK))
    if not chunks:
        return {}
    out: dict[etree._Element, list[Block]] = {}
    for chunk, name, data in _linked_parts(archive, main, chunks):
        try:
            out[chunk] = _chunk_blocks(data, name, depth)
        except ParseError:
            continue
    return out


def _chunk_blocks(data: bytes, name: str, depth: int) -> list[Block]:
    """The blocks of one chunk's bytes, by what they are (the part's name a hint)."""
    head = data.lstrip()[:40].lower()
    if head.startswith((b"mime-version", b"content-type")):
        from parsers.readers.mhtml import read_mhtml

        return read_mhtml(data).blocks
    if data[:4] == b"PK\x03\x04":
        if depth >= _MAX_CHUNK_DEPTH:
            return []
        return read_docx(data, depth + 1).blocks
    if head.startswith(b"{\\rtf") or name.lower().endswith((".txt", ".text")) or \
            b"<" not in data[:4096]:
        from parsers.readers import read_document

        return read_document(data, url=name).blocks
    from parsers.readers.html import read_html

    return read_html(data).blocks


def _blocks(container: etree._Element,
            chunks: dict[etree._Element, list[Block]] | None = None) -> list[Block]:
    """Blocks of a body/cell/content-control container in order (iterative)."""
    blocks: list[Block] = []
    stack: list[etree._Element] = list(reversed(container))
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag == _ALT_CHUNK:
            blocks.extend((chunks or {}).get(el, []))
        elif tag == _P:
            lines, boxes = _paragraph(el, tabs=True)
            blocks.extend(lines)
            for box in boxes:  # text boxes anchored in this paragraph, after its own text
                blocks.extend(_blocks(box))
            if chunks:  # worksheets embedded in this paragraph as objects
                for ole in el.iter(_OLE):
                    blocks.extend(chunks.get(ole, []))
        elif tag == _TBL:
            rows = _table_rows(el)
            if rows is None:  # layout table: read its cells' contents as blocks
                for tc in el.iter(_TC):
                    if _ancestor_table(tc) is el:
                        blocks.extend(_blocks(tc))
            elif rows:
                blocks.append(Table(rows=rows))
        elif tag in (_SDT, _SDT_CONTENT) or tag == _w + "customXml" or tag == _w + "smartTag":
            stack.extend(reversed([c for c in el if c.tag != _w + "sdtPr"]))
    return _tab_tables(blocks)


_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")


def _tab_tables(blocks: list[Block]) -> list[Block]:
    """Paragraphs aligned on tab stops as a table (a WPS/Word report typed without a table:
    ``行政许可⇥0⇥⇥12``): a run of two or more consecutive paragraphs with tabs, one of them
    holding two figures or more after a tab, is a table, each tab a cell boundary (an empty
    cell between two tabs, or after the last, is a blank cell). Any other tab is a space (a
    heading's ``一、⇥总体情况``, a contents page's page numbers, a signature pushed right).

    >>> _tab_tables(["二、主动公开", "规章\\t1\\t\\t3", "行政规范性文件\\t0\\t2\\t2", "一、\\t总体情况"])
    ['二、主动公开', Table(rows=[['规章', '1', '', '3'], ['行政规范性文件', '0', '2', '2']], page=None), '一、 总体情况']
    """
    out: list[Block] = []
    n = 0
    while n < len(blocks):
        end = n
        while end < len(blocks) and isinstance(blocks[end], str) and "\t" in blocks[end] \
                and not _tabbed_heading(str(blocks[end])):
            end += 1
        if end == n:
            block = blocks[n]
            out.append(" ".join(c for c in block.split("\t") if c) if isinstance(block, str) else block)
            n += 1
            continue
        run = [str(b).split("\t") for b in blocks[n:end]]
        if len(run) >= 2 and any(sum(value_kind(c) is not None for c in cells[1:] if c) >= 2 for cells in run):
            out.append(Table(rows=run))
        else:
            out.extend(" ".join(c for c in cells if c) for cells in run)
        n = end
    return out


def _owning_row(tc: etree._Element) -> etree._Element | None:
    """The row a cell belongs to, through the content controls (``w:sdt``) and custom XML
    (``w:customXml``) that may wrap cells."""
    parent = tc.getparent()
    while parent is not None and parent.tag != _TR:
        parent = parent.getparent()
    return parent


def _ancestor_table(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent


def _paragraph(p: etree._Element, tabs: bool = False) -> tuple[list[str], list[etree._Element]]:
    """A paragraph's lines (split at line breaks) and the text boxes it anchors; ``tabs``
    keeps its tabs (``\t`` between cells cleaned apart), else a tab is a space."""
    parts: list[str] = []
    boxes: list[etree._Element] = []
    stack = list(reversed(p))
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag == _T:
            parts.append(el.text or "")
        elif tag in _BREAKS:
            parts.append(_NEWLINE)
        elif tag in _SPACES:
            parts.append("\t" if tabs else " ")
        elif tag == _TXBX:
            boxes.append(el)
        elif tag == _FALLBACK or tag == _P or tag == _TBL:
            continue  # Fallback duplicates its Choice; nested p only inside boxes we defer
        elif isinstance(tag, str):
            stack.extend(reversed(el))
    lines = ["\t".join(clean_text(cell) for cell in strip_debris(line).split("\t"))
             if tabs else clean_text(strip_debris(line)) for line in "".join(parts).split(_NEWLINE)]
    return [line for line in lines if line.strip()], boxes


def _drop_unprinted(root: etree._Element) -> None:
    """Make the tree say what the printed page shows (each pass only where its element
    occurs, found by lxml's tag iteration): hidden runs and moves' old places go, and a
    superscript footnote number after a figure becomes ``[1]`` (12¹ would read 121; the value
    reader drops the mark)."""
    for el in list(root.iter(_MOVE_FROM)):
        el.getparent().remove(el)
    for el in list(root.iter(_DEL)):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag == _TR_PR:  # a tracked-deleted row: the printed table has no such row
            row = parent.getparent()
            if row is not None and row.getparent() is not None:
                row.getparent().remove(row)
        elif len(el):  # deleted runs: their text is w:delText, or w:t from other writers
            parent.remove(el)
    for el in list(root.iter(_FALLBACK)):  # the same content as its mc:Choice, drawn for
        el.getparent().remove(el)          # older readers: read once, not twice
    for flag in list(root.iter(_SHOWING_PLACEHOLDER)):
        # a content control never filled in shows its prompt (单击或点击此处输入文字。): the
        # cell or paragraph holds nothing; read as text, the prompt moved a row's figures
        sdt = flag.getparent().getparent() if flag.getparent() is not None else None
        content = sdt.find(_SDT_CONTENT) if sdt is not None and sdt.tag == _SDT else None
        if content is not None and flag.get(_w + "val", "true") not in ("0", "false", "off"):
            for t in content.iter(_T):
                t.text = ""
    for vanish in list(root.iter(_VANISH)):
        r_pr = vanish.getparent()
        run = r_pr.getparent() if r_pr is not None else None
        if run is not None and run.tag == _R and r_pr.tag == _RPR and \
                vanish.get(_w + "val", "true") not in ("0", "false", "off"):
            run.getparent().remove(run)
    for align in list(root.iter(_VERT_ALIGN)):
        r_pr = align.getparent()
        run = r_pr.getparent() if r_pr is not None else None
        if run is None or run.tag != _R or align.get(_w + "val") != "superscript":
            continue
        texts = list(run.iter(_T))
        digits = "".join(t.text or "" for t in texts).strip()
        if texts and re.fullmatch(r"\d{1,2}", digits):
            texts[0].text = f"[{digits}]"
            for t in texts[1:]:
                t.text = ""


def _cell_text(tc: etree._Element) -> str:
    texts: list[str] = []
    for p in tc.iter(_P):
        lines, _ = _paragraph(p)
        texts.extend(lines)
    return clean_text(" ".join(texts))


def _is_vmerge_continuation(tc: etree._Element) -> bool:
    """A cell covered by a merge: vertical (w:vMerge), or horizontal the old way WPS and
    Word 97 documents still write (w:hMerge instead of w:gridSpan)."""
    tc_pr = tc.find(_w + "tcPr")
    if tc_pr is None:
        return False
    for tag in ("vMerge", "hMerge"):
        merge = tc_pr.find(_w + tag)
        if merge is not None and merge.get(_w + "val", "continue") != "restart":
            return True
    return False


_MAX_INNER_ROWS = 4
_MAX_INNER_TEXT = 40


def _is_cell_content(inner: etree._Element) -> bool:
    """A table nested in a cell that belongs to the cell's text (the diagonal 办理情况 /
    申请人情况 corner drawn as a small table): a few short rows of words, no figures."""
    if any(t is not inner for t in inner.iter(_TBL)) or \
            sum(1 for _ in inner.iter(_TR)) > _MAX_INNER_ROWS:
        return False
    text = clean_text(" ".join(t.text or "" for t in inner.iter(_T)))
    return len(text) <= _MAX_INNER_TEXT and not re.search(r"\d", text)


def _table_rows(tbl: etree._Element) -> list[list[str]] | None:
    """Rows of a data table, or None for a layout table (one whose cells hold tables other
    than a small corner table)."""
    nested = [inner for inner in tbl.iter(_TBL) if inner is not tbl]
    if nested and not all(_is_cell_content(inner) for inner in nested):
        return None
    rows: list[list[str]] = []
    for tr in tbl.iter(_TR):
        if nested and _ancestor_table(tr) is not tbl:
            continue  # a row of the corner table: its text is in its cell's
        cells: list[str] = []
        for tc in tr.iter(_TC):
            if _owning_row(tc) is not tr:  # a cell of a table nested in a cell
                continue
            if _is_vmerge_continuation(tc):
                continue
            cells.append(_cell_text(tc))
        if cells:
            rows.append(cells)
    return rows


def _tabbed_heading(line: str) -> bool:
    """A section heading typed with a tab (``一、⇥总体情况``): no figure, a section number."""
    cells = [c for c in line.split("\t") if c]
    return bool(cells) and bool(_SECTION_NUMBER.match(cells[0])) and \
        not any(value_kind(c) is not None for c in cells[1:])
