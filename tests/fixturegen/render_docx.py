"""DOCX renderings with python-docx: the official template's merged cells, headings as paragraphs.

Styles: ``official`` (one table per section, merges via ``merge()`` → ``gridSpan``/``vMerge``),
``split`` (table 三 split into two tables, the second losing its leading indent column,
table 二 split at 第二十条第（六）项) and ``images`` (each table pasted as a picture). ``filler`` adds N prose paragraphs to section 一 (used
for the multi-page PDFs).

The output is deterministic: the package's timestamps are fixed, so the same figures give the
same bytes.

    >>> from tests.fixturegen.figures import make_figures
    >>> data = render_docx(make_figures(4, "2019"))
    >>> data[:2]
    b'PK'
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from tests.fixturegen import prose
from tests.fixturegen.figures import Figures
from tests.fixturegen.layout import Grid, document_blocks
from tests.fixturegen.noise import split_grid

STYLES = ("official", "split", "images", "tabs")
_FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)


def render_docx(fig: Figures, style: str = "official", filler: int = 0,
                lead_in: int = 0) -> bytes:
    """The report as a .docx file.

    :param filler: extra prose paragraphs in section 一 (multi-page documents)
    :param lead_in: prose paragraphs between heading 三 and its table (汉阳 2022 puts a summary
        there); used to push table 三 across a page break in the PDF made from this file
    """
    if style not in STYLES:
        raise ValueError(f"unknown DOCX style {style!r}; choose from {STYLES}")
    rng = fig.rng(f"docx:{style}")
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "仿宋"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    if style == "tabs":
        return _tab_stop_docx(doc, fig)
    for block in document_blocks(fig):
        if block.kind == "table" and block.grid is not None and style == "images":
            # The table pasted as a picture (a scan or a screenshot of the Excel sheet).
            doc.add_picture(io.BytesIO(_table_picture(block.grid)), width=Cm(15))
            continue
        if block.kind == "table" and block.grid is not None:
            grids = [block.grid]
            if style == "split" and block.grid.section == "requests":
                grids = list(split_grid(block.grid, rng.randint(8, 18)))
            elif style == "split" and block.grid.section == "active":
                cut = next(i for i, r in enumerate(block.grid.rows) if "（六）" in r[0].text)
                grids = list(split_grid(block.grid, cut))
            for i, grid in enumerate(grids):
                if i:
                    doc.add_paragraph("")
                _add_table(doc, grid, small=block.grid.section != "active")
            continue
        para = doc.add_paragraph()
        run = para.add_run(block.text)
        if block.kind == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
            run.font.size = Pt(18)
        elif block.kind == "heading":
            run.bold = True
            run.font.name = "黑体"
            run.element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")
        elif block.kind in ("signature", "date"):
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            para.paragraph_format.first_line_indent = Pt(24)
        extra = filler if block.section == "overview" else lead_in \
            if block.section == "requests" else 0
        if block.kind == "heading" and extra:
            for text in prose.filler_paragraphs(rng, extra):
                p = doc.add_paragraph(text)
                p.paragraph_format.first_line_indent = Pt(24)
    doc.core_properties.created = _FIXED_TIME
    doc.core_properties.modified = _FIXED_TIME
    doc.core_properties.last_modified_by = "nianbao fixturegen"
    doc.core_properties.author = fig.agency
    doc.core_properties.title = fig.title
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue())


def _tab_stop_docx(doc, fig: Figures) -> bytes:
    """The report typed without Word tables (WPS and Word users who align figures on tab
    stops): each line of the tab-separated text export a paragraph, each tab a ``w:tab``."""
    from tests.fixturegen.render_text import render_text

    for line in render_text(fig, "tabs").decode("utf-8").split("\n"):
        para = doc.add_paragraph()
        for k, part in enumerate(line.split("\t")):
            if k:
                para.add_run().add_tab()
            if part:
                para.add_run(part)
    doc.core_properties.created = doc.core_properties.modified = _FIXED_TIME
    doc.core_properties.author = fig.agency
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue())


def _add_table(doc, grid: Grid, small: bool) -> None:
    table = doc.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = "Table Grid"
    table.autofit = False
    # Snapshot the rectangular cells once: table.cell() rescans the whole table per call, and
    # the merges below touch disjoint ranges, so the other snapshot cells stay valid.
    snap = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    for i, width in enumerate(_column_widths(grid)):
        table.columns[i].width = Cm(width)
        for row_cells in snap:
            row_cells[i].width = Cm(width)
    for r, row in enumerate(grid.placed()):
        for col, cell, origin in row:
            if not origin:
                continue
            target = snap[r][col]
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(snap[r + cell.rowspan - 1][col + cell.colspan - 1])
            target.text = cell.text
            for para in target.paragraphs:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in para.runs:
                    run.font.size = Pt(8 if small else 10.5)
    # Rows of a split table's second part are shorter than the grid: drop unused trailing cells
    # so the table reads like the damaged original rather than padding with blanks.
    for r, row in enumerate(grid.placed()):
        used = sum(c.colspan for _, c, _ in row)
        if used < grid.width:
            tr = table.rows[r]._tr
            for tc in tr.tc_lst[len(row):]:
                tr.remove(tc)


def _table_picture(grid: Grid) -> bytes:
    """A small greyscale PNG standing for a pictured table: ruled boxes, no readable text."""
    from PIL import Image, ImageDraw

    height = 14 * len(grid.rows) + 2
    image = Image.new("L", (600, height), 255)
    draw = ImageDraw.Draw(image)
    for r in range(len(grid.rows) + 1):
        draw.line([(0, 14 * r), (599, 14 * r)], fill=0)
    for c in range(grid.width + 1):
        x = min(599, round(c * 599 / grid.width))
        draw.line([(x, 0), (x, height - 2)], fill=0)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _column_widths(grid: Grid) -> list[float]:
    """Column widths in cm like the template's: wide label columns, narrow number columns."""
    if grid.section == "requests":
        labels = [1.4, 2.0, 3.9][-(grid.width - 7):]
        return labels + [1.25] * 7
    if grid.section == "active":
        return [4.6] + [3.8] * (grid.width - 1)
    return [15.75 / grid.width] * grid.width


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip (docx/xlsx) with fixed member timestamps so output is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the current time on every save.
                blob = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z",
                              blob)
            dst.writestr(fixed, blob)
    return out.getvalue()
