"""Build the round-2 red-team eval documents (needs LibreOffice): Word tables printed to PDF
with only horizontal rules (no column lines), figures right-aligned, blanks as ``—``/empty.

Each document is a generated report (tests.fixturegen: figures known by construction) whose
DOCX is re-styled the way such offices print it, then converted by LibreOffice; its
``NAME.expected.json`` is the generator's answer (metadata + every cell), which the parsed
output was checked against cell by cell when the file was added.

    .venv/bin/python -m tests.eval.make_redteam_parse2          # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse2 pdf_hrules_dashes_2019
    .venv/bin/python -m tests.eval.make_redteam_parse2 --list
"""

from __future__ import annotations

import importlib
import io
import re
import sys
import zipfile

from lxml import etree

from tests.eval.write_documents import expected_of, run
from tests.fixturegen import expected_json, layout, make_figures
from tests.fixturegen.render_office import convert
from tests.test_redteam_parse2_labels import total_first  # the same 总计-first table 四

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CN = "一二三四五六七八"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def hrules_only(root, sides: tuple[str, ...] = ("top", "bottom", "insideH")) -> None:
    """Every table: top, bottom and inside-horizontal borders only; figures right-aligned."""
    for tbl in root.iter(_q("tbl")):
        props = tbl.find(_q("tblPr"))
        for old in props.findall(_q("tblBorders")) + props.findall(_q("tblStyle")):
            props.remove(old)
        borders = etree.SubElement(props, _q("tblBorders"))
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = etree.SubElement(borders, _q(side))
            on = side in sides
            el.set(_q("val"), "single" if on else "nil")
            if on:
                el.set(_q("sz"), "4")
                el.set(_q("color"), "000000")
        for p in tbl.iter(_q("p")):
            if re.fullmatch(r"[\d０-９.,，．－\-—/／无万元件+]+", "".join(p.itertext()) or "x"):
                ppr = p.find(_q("pPr"))
                if ppr is None:
                    ppr = etree.Element(_q("pPr"))
                    p.insert(0, ppr)
                for jc in ppr.findall(_q("jc")):
                    ppr.remove(jc)
                etree.SubElement(ppr, _q("jc")).set(_q("val"), "right")


def borderless(root) -> None:
    """Every table without any border (figures right-aligned)."""
    hrules_only(root, sides=())


def three_lines(root) -> None:
    """Every table with its top and bottom borders only (a 三线表 without the head rule)."""
    hrules_only(root, sides=("top", "bottom"))


def landscape_requests(root) -> None:
    """Table 三 (the second table) on a landscape page of its own section."""
    def section(landscape: bool):
        sect = etree.Element(_q("sectPr"))
        size = etree.SubElement(sect, _q("pgSz"))
        w, h = ("16838", "11906") if landscape else ("11906", "16838")
        size.set(_q("w"), w)
        size.set(_q("h"), h)
        if landscape:
            size.set(_q("orient"), "landscape")
        margins = etree.SubElement(sect, _q("pgMar"))
        for k in ("top", "right", "bottom", "left"):
            margins.set(_q(k), "1440")
        return sect

    table = root.find(_q("body")).findall(_q("tbl"))[1]
    for para, landscape in ((table.getprevious(), False), (table.getnext(), True)):
        ppr = para.find(_q("pPr"))
        if ppr is None:
            ppr = etree.Element(_q("pPr"))
            para.insert(0, ppr)
        ppr.append(section(landscape))


def renumbered(blocks) -> None:
    """（一）予以公开 → 1.予以公开; 1.属于国家秘密 → （1）属于国家秘密."""
    for b in blocks:
        if b.kind == "table" and b.grid.section == "requests":
            for row in b.grid.rows:
                for cell in row:
                    if cell.role == "value":
                        continue
                    if m := re.match(r"^（([一二三四五六七])）(.*)", cell.text):
                        cell.text = f"{_CN.index(m.group(1)) + 1}.{m.group(2)}"
                    elif m := re.match(r"^(\d)\.(.*)", cell.text):
                        cell.text = f"（{m.group(1)}）{m.group(2)}"


# name: (seed, format, docx edits, grid transforms, lead_in paragraphs before table 三
#        [, make_figures options])
DOCUMENTS = {
    "pdf_hrules_2022": (27, "2021", (hrules_only,), (), 0),
    "pdf_hrules_leadin_2019": (28, "2019", (hrules_only,), (), 0),
    "pdf_hrules_landscape_renumbered_2022": (34, "2021", (hrules_only, landscape_requests),
                                             (renumbered, total_first), 0),
    # blanks as right-aligned —/－//, signed changes ``－5`` (sign a run of its own), table 三
    # from page 3 to 4 without its head
    "pdf_hrules_dashes_2019": (94, "2019", (hrules_only,), (), 14),
    # full-width digits (each glyph a run of its own) in table 四
    "pdf_hrules_fullwidth_2021": (85, "2021", (hrules_only,), (), 5),
    # large numbers wrapped inside narrow cells (1 / 308, 3 / ，367), two rows of table 三
    # carried to the last page
    "pdf_hrules_wrapped_2019": (210, "2019", (hrules_only,), (), 10),
    # no border at all; table 四's heads wrapped on two lines over blank columns, 总计 centred
    # between them
    "pdf_borderless_wrapped_heads_2019": (305, "2019", (borderless,), (), 3,
                                          {"blanks": "some", "scale": "large"}),
    # top and bottom rules only; totals of four digits wrapped in their cells at the thousands
    # separator (4 / ，343), one undivided （六）其他处理 row
    "pdf_threeline_wrapped_2021": (402, "2021", (three_lines,), (), 3,
                                   {"variant": "single_other"}),
}


def build(name: str) -> tuple[bytes, dict]:
    seed, fmt, edits, transforms, lead_in, *options = DOCUMENTS[name]
    figure_options = options[0] if options else {}
    render_docx = importlib.import_module("tests.fixturegen.render_docx")
    original = render_docx.document_blocks

    def blocks(fig):
        out = layout.document_blocks(fig)
        for t in transforms:
            t(out)
        return out

    render_docx.document_blocks = blocks
    try:
        fig = make_figures(seed, fmt, **figure_options)
        data = render_docx.render_docx(fig, "official", lead_in=lead_in)
    finally:
        render_docx.document_blocks = original
    return printed_pdf(fig, data, edits)


def printed_pdf(fig, docx: bytes, edits) -> tuple[bytes, dict]:
    """``docx`` (rendered from ``fig``) with each of ``edits`` applied to its word/document.xml
    root, printed to PDF by LibreOffice; and the generator's expected JSON of what a PDF keeps."""
    zin = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(zin.read("word/document.xml"))
    for edit in edits:
        edit(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if info.filename == "word/document.xml" else zin.read(info.filename)
            z.writestr(info, body)
    pdf = convert(out.getvalue(), "docx", "pdf")
    return pdf, expected_of(expected_json(fig, "pdf", "office"))


def main(argv: list[str]) -> int:
    return run(argv, DOCUMENTS, build)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
