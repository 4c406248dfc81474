"""PDF → :class:`Document`: text lines as paragraphs, tables as :class:`Table`, page by page.

    >>> read_pdf(b"not a pdf")
    Traceback (most recent call last):
    ...
    parsers.document.ParseError: corrupt PDF (Failed to load document (PDFium: Data format error).)

A cascade of stages, each for a reason:

1. **open and scan every page with PDFium** (pypdfium2, a pdfplumber dependency): text runs
   with positions, ruling lines (line paths, rectangle paths, thin filled boxes) and images, at
   a few ms a page. pdfminer, under pdfplumber, would interpret the same content streams 20–100
   times slower, so it is not used for text at all. Encrypted files that do not open with an
   empty password are refused; more than ``MAX_PAGES`` pages are cut with a warning, so a
   3,000-page file costs what a 60-page one does.
2. **classify pages**: *image* pages (no text, an image) mark the document ``needs_ocr``
   instead of yielding empty tables; *table* pages have ruling lines, or text runs laid out in
   columns with numbers; the rest are prose.
3. **ruled tables**: pdfplumber's lattice functions (merge edges → intersections → cells →
   tables) run on PDFium's ruling lines; each cell gets the PDFium text inside its box, lines
   of a wrapped label joined; a merged cell appears once. When lines are missing (a cell
   evidently holds several cells, or text lies in no cell) the table is read on the grid of
   every ruling segment drawn anywhere in it instead (``_grid_rows``).
4. **unruled tables**: the remaining lines that are laid out in columns with numbers are
   clustered into rows by y; columns are a grid learnt from the figures of all rows and the
   column titles (``pdf_columns.column_grid``), and every run goes to the column it overlaps,
   so a blank cell stays ``""`` in its column; a label wrapped over lines is joined to the
   row it labels. A table continued on the next page without its head keeps its columns.

docs/pdf-tables.md describes stages 3 and 4 in detail.
5. **prose**: the other lines become paragraphs (wrapped lines of one paragraph joined, page
   numbers dropped), with tables slotted in by their position on the page.

A table split across pages is emitted per page (``Table.page``); the interpreter joins them.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass, field

from parsers.document import Block, Document, ParseError, Table
from parsers.readers import pdf_columns, pdf_textgrid
from parsers.readers.common import clean_text

MAX_PAGES = 60  # a report is < 40 pages; beyond this we stop reading (with a warning)
_MIN_PAGE_CHARS = 12  # fewer characters than this on a page with an image: a scanned page
_NUMERIC = re.compile(r"^(?:[-+−－＋]|增|减)?[\d０-９][\d０-９,，.．]*(?:件次|人次|件|条|项|个|次|家|起|宗|%|万元|元)?$"
                      r"|^[—\-－/／\\–]{1,2}$|^无$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
_PAGE_NUMBER = re.compile(r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
# Replacement marks, private-use code points and controls: glyphs PDFium could not map to text
# (also C1 controls and Latin-1 letters: a CJK font without a ToUnicode map comes out as
# ``À\x89ô Ê`` — glyph ids read as Latin-1 —, which a Chinese report never prints in bulk)
_UNMAPPED = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b-\x1f\x7f-\xff]")
# Section headings of the statistics tables: text promising a table that was not found as text
_TABLE_HEADINGS = re.compile(r"主动公开政府信息情况|收到和处理政府信息公开申请情况|行政复议、行政诉讼")
# A browser's print header and footer (Chrome, Edge, Firefox): the print date and time before the
# page's title atop each page, its address and ``n/m`` below — their figures are no table's.
# Matched with spaces removed (set glyph by glyph, ``fil e :///tm p``).
_BROWSER_FURNITURE = re.compile(r"^(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\d{1,2}:\d{2}(?::\d{2})?(?:[AP]M|上午|下午)?"
                                r"|(?:file|https?|about):/*\S*?(?:\d+/\d+)?$)", re.I)
_NO_WORD = re.compile(r"^[\W_]+$")
_SEPARATOR = re.compile(r"^[,，.．]")  # a number broken at its thousands separator or point
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Word:
    """A run of text on one line, in top-left page coordinates (points)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass
class Line:
    """Words sharing a baseline, left to right."""

    words: list[Word] = field(default_factory=list)
    reach: float = 0.0  # bottom of the tails of numbers wrapped in their cells, joined to it

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def foot(self) -> float:
        """Where the row of this line ends: below its wrapped numbers' tails, if any."""
        return max(self.bottom, self.reach)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def height(self) -> float:
        return max(w.height for w in self.words)

    def text(self) -> str:
        return _join_words(self.words)


@dataclass
class PageScan:
    """What the cheap PDFium pass learnt about one page."""

    number: int  # 1-based
    words: list[Word]
    chars: int
    images: int  # images covering over 5 % of the page
    large_images: int  # images covering over 25 %: a scan, or a table pasted as a picture
    garbled: bool  # the text layer is mostly unmappable glyphs (a font without ToUnicode)
    edges: list[dict]  # ruling lines as pdfplumber edge dicts (top-left coordinates)
    height: float
    # the first page's first glyphs with their origins: is it a text file printed on a grid?
    sample: list = field(default_factory=list)
    width: float = 0.0
    unread: int = 0  # OCR words of digits and letters that are no figure: left null


def read_pdf(data: bytes) -> Document:
    """Read a PDF.

    :raises ParseError: corrupt/truncated PDF, or encrypted with a non-empty password
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ParseError("encrypted PDF (password required)") from None
        raise ParseError(f"corrupt PDF ({message})") from None
    doc = Document(kind="pdf")
    try:
        total = len(pdf)
        if total == 0:
            raise ParseError("corrupt PDF (no pages)")
        count = min(total, MAX_PAGES)
        if total > MAX_PAGES:
            doc.warnings.append(f"PDF has {total} pages; only the first {MAX_PAGES} were read")
        title = _pdf_title(pdf)
        if title:
            doc.title = title
        scans = []
        gutter = None  # a two-column layout's gutter, carried to the next page
        sheet: float | None = None  # where the sheet before parted two pages printed on it
        for i in range(count):
            halves, sheet = _two_up(_scan_page(pdf, i), sheet)
            for half in halves:
                parts, gutter = _two_columns(half, gutter)
                scans += parts
        for number, scan in enumerate(scans, 1):
            scan.number = number  # two pages on a sheet are two pages
        _carry_orphan_heads(scans)
        # a text file printed glyph by glyph on a fixed grid (no lines, no pictures): its
        # text rebuilt, read by the text reader (readers/pdf_textgrid.py)
        grid = None if any(s.edges or s.images for s in scans) or not pdf_textgrid.may_be_grid(
            scans[0].sample) else pdf_textgrid.grid_text(pdf, count)
    finally:
        pdf.close()
    if grid is not None:
        from parsers.readers.text import text_to_document

        blocks = text_to_document(grid, kind="pdf").blocks
        doc.blocks.extend(blocks)
        return doc

    image_pages = [s.number for s in scans if s.chars < _MIN_PAGE_CHARS and s.images > 0]
    if image_pages:
        doc.needs_ocr = True
        doc.warnings.append(f"{len(image_pages)} of {count} pages are images without a text layer "
                            f"(pages {_ranges(image_pages)}); OCR needed, their figures are not read")
    garbled = [s.number for s in scans if s.garbled and s.number not in image_pages]
    if garbled:
        doc.needs_ocr = True
        doc.warnings.append(f"pages {_ranges(garbled)} have a text layer of unmappable glyphs "
                            "(fonts without a Unicode map); OCR needed, their figures are not read")
    unread = sum(s.unread for s in scans)
    if unread:
        doc.warnings.append(f"{unread} figures of the OCR text layer are letters among digits "
                            "(1S, B3): left null")
    carried: Columns = []  # columns of an unruled table ending a page, for its continuation
    for scan in scans:
        if scan.number in image_pages or scan.number in garbled:
            carried = []
            continue
        if _has_table(scan) or carried and _opens_with_row_tail(scan, carried):
            # the previous page ended in a table (ruled, or unruled with columns to carry)
            runs_on = bool(doc.blocks) and isinstance(doc.blocks[-1], Table)
            blocks, carried = _table_page(scan, carried, runs_on=runs_on)
            if runs_on and blocks and isinstance(blocks[0], Table) and \
                    _join_split_row(doc.blocks[-1], blocks[0]):  # type: ignore[arg-type]
                blocks = blocks[1:] if not blocks[0].rows else blocks  # type: ignore[union-attr]
            doc.blocks.extend(blocks)
        else:
            carried = []
            doc.blocks.extend(_prose_blocks(_lines(scan.words), scan.height))
    _flag_picture_tables(doc, [s.number for s in scans if s.large_images])
    return doc


_PIECE = re.compile(r"^(?:[,，.．]?[\d０-９][\d０-９,，.．]*|[—\-－–])$")


def _join_split_row(previous: Table, table: Table) -> bool:
    """Join the first row of ``table`` (a page's first table, continuing ``previous`` from the
    page before) to the last row of ``previous`` when it is the rest of that row cut by the
    page break: Word lets a row break across pages, so a number wrapped in its cell (``12`` /
    ``53``) leaves its tail at the top of the next page. The first row qualifies when it holds
    nothing but such pieces, each under a figure of the row above (a row of its own has a
    label), and maybe the rest of that row's label in the first cell when the pieces are
    under fewer than half its figures (``本年`` | ``０`` | ``７`` under ``三、`` |
    ``（一）予以公开`` … ``１７`` … ``１９``: a row of its own prints most of its figures).
    Returns whether it was joined (the row removed)."""
    if not previous.rows or not table.rows:
        return False
    above, row = previous.rows[-1], table.rows[0]
    keep: list[str] = []  # the row above's label cells, when it has more than this row
    extra = len(row) - len(above)
    if extra > 0 and not any(row[:extra + 1]):
        # more label columns on this page's grid (a row below spans them): blank here
        row = row[extra:]
    if 2 <= len(row) < len(above) and not row[0]:
        # label sub-columns read on the rules of the page before (a banded table), one label
        # column here: the figure columns are the last ones of both
        keep, above = above[:1 - len(row)], [""] + above[1 - len(row):]
    if len(above) != len(row) or not any(row[1:]):
        return False
    if row[0] and not _PIECE.match(row[0]):
        pieces = sum(1 for c in row[1:] if c)
        figures = sum(1 for c in above[1:] if c and _NUMERIC.match(c))
        if _DIGIT.search(row[0]) or _HEADING.match(row[0]) or not above[0] or \
                _NUMERIC.match(above[0]) or 2 * pieces >= figures:
            return False
        row = [""] + row[1:]
        label = table.rows[0][0]
    else:
        label = ""
    for cell, head in zip(row, above):
        if cell and (not _PIECE.match(cell) or not _NUMERIC.match(head)
                     or bool(_DASH.match(cell)) != bool(_DASH.match(head))
                     or (not _DASH.match(cell) and not _DIGIT.search(head))):
            return False
    joined = [above[0] + label] + [a + cell for a, cell in zip(above[1:], row[1:])]
    previous.rows[-1] = keep + joined[1:] if keep else joined
    table.rows.pop(0)
    return True


def _flag_picture_tables(doc: Document, pages: list[int]) -> None:
    """A report whose table headings are present as text but whose tables are not, while some
    page carries a large picture, has its tables as images (docs/format.md §6): flag OCR
    rather than let the interpreter see a report without figures."""
    if not pages or doc.needs_ocr or any(isinstance(b, Table) for b in doc.blocks):
        return
    if _TABLE_HEADINGS.search(doc.text()):
        doc.needs_ocr = True
        doc.warnings.append(f"tables appear to be pictures (large images on pages "
                            f"{_ranges(pages)}, no table text); OCR needed")


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ",".join(parts)


def _pdf_title(pdf) -> str | None:
    try:
        title = clean_text(pdf.get_metadata_value("Title") or "")
    except Exception:  # noqa: BLE001
        return None
    # Converters put the source file name or a template name here, not the report's title
    if not title or title.lower().startswith(("microsoft word", "untitled", "无标题")) \
            or re.search(r"\.(?:docx?|wps|pdf|xlsx?|txt|html?)$", title, re.IGNORECASE):
        return None
    return title


# --- stage 1: the cheap scan -------------------------------------------------------------

def _scan_page(pdf, index: int) -> PageScan:
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise ParseError(f"corrupt PDF (page {index + 1}: {exc})") from None
    try:
        width, height = page.get_size()  # as displayed (rotation applied)
        to_display = _display_transform(page.get_rotation(), page.get_mediabox())
        textpage = page.get_textpage()
        chars = textpage.count_chars()
        words: list[Word] = []
        placed = _misplaced_glyphs(page, textpage, chars)
        if placed is not None:
            words = _glyph_words(textpage, chars, placed, to_display)
        for i in range(textpage.count_rects() if placed is None else 0):
            left, bottom, right, top = textpage.get_rect(i)
            # the box drawn in a little: PDFium gives a bounded box the glyphs touching its
            # edge too, so runs set glyph by glyph (browsers) read ``其他`` for ``其`` and again
            # for ``他`` (``法人或其他其他组织``, ``本列本列数据``)
            inset = min(0.5, (right - left) / 4)
            text = clean_text(textpage.get_text_bounded(left + inset, bottom, right - inset, top))
            if text:
                words.append(Word(text, *to_display(left, bottom, right, top)))
        # the characters' angle is in user space: a page turned by /Rotate shows it upright
        turn = (_text_turn(textpage, chars) + page.get_rotation()) % 360
        unmapped = _unmapped_codes(textpage, chars)
        sample = pdf_textgrid.glyphs(textpage, pdf_textgrid.SAMPLE, direction=pdf_textgrid.text_direction(
            textpage) or (1, 0)) if index == 0 else []
        images = large_images = 0
        edges: list[dict] = []
        objects = page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE],
                                   max_depth=3)
        for n, obj in enumerate(objects):
            if n >= _MAX_OBJECTS:  # a vector map or drawing, not a table: stop looking
                break
            left, bottom, right, top = obj.get_bounds()
            outer = _form_matrix(obj.container) if obj.container is not None else None
            if outer is not None:
                # inside a form XObject (a page placed whole by a stamping, seal or N-up tool):
                # its bounds are in the form's space
                corners = [_apply(outer, x, y) for x in (left, right) for y in (bottom, top)]
                left, right = min(c[0] for c in corners), max(c[0] for c in corners)
                bottom, top = min(c[1] for c in corners), max(c[1] for c in corners)
            if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
                area = (right - left) * (top - bottom)
                images += area > width * height * 0.05
                large_images += area > width * height * 0.25
            else:
                edges.extend(_path_edges(obj, to_display(left, bottom, right, top),
                                         to_display, width * height, outer))
        textpage.close()
    except pdfium.PdfiumError as exc:
        raise ParseError(f"corrupt PDF (page {index + 1}: {exc})") from None
    finally:
        page.close()
    unread = 0
    if large_images:
        # A scanned page's text is OCR's, laid invisibly over the picture: its ``lO`` and ``O``
        # are 10 and 0. Read as words they were labels, the row's figures a column off.
        words = _ocr_words(words)
        # Other letters among digits (``1S``, ``B3``: 5 and 8 misread) are no figure anyone can
        # tell: a blank in their column, not a label moving the row's figures.
        unread = sum(1 for w in words if _OCR_UNREAD.match(w.text))
        words = [Word("—", w.x0, w.x1, w.top, w.bottom) if _OCR_UNREAD.match(w.text) else w
                 for w in words]
    if turn in (90, 270):
        # Content drawn turned on an upright page (a landscape table printed without /Rotate):
        # read it in the frame its text stands upright in.
        width, (words, edges, height) = height, _unturn(words, edges, turn, width, height)
    text = "".join(w.text for w in words)
    garbled = len(text) >= 20 and len(_UNMAPPED.findall(text)) > 0.3 * len(text) or _mojibake(text) \
        or unmapped
    return PageScan(index + 1, words, chars, images, large_images, garbled, edges, height, sample,
                    width, unread)


_OCR_FIGURE = re.compile(r"^(?=.*[0-9O])[0-9OIl,，.]+$")
_OCR_DIGITS = str.maketrans("OIl", "011")
_OCR_ONES = re.compile(r"^[lI]{1,4}$")
_OCR_UNREAD = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z])[0-9A-Za-z]{2,8}$|^[SBZG]$|"
                         r"^(?=.*[OIl])(?=.*[SBZG])[OIlSBZG]{2,8}$")


def _ocr_words(words: list[Word]) -> list[Word]:
    """A scanned page's OCR words with their figures in digits. A lone ``l`` or ``I`` (or
    ``ll``) as tall as the page's figures is a 1 (a ruling line OCR reads as a letter runs the
    cell's height)."""
    words = [Word(_ocr_digits(w.text), w.x0, w.x1, w.top, w.bottom) for w in words]
    heights = sorted(w.height for w in words if w.text.isdigit())
    if not heights:
        return words
    tall = 1.25 * heights[len(heights) // 2]
    return [Word("1" * len(w.text), w.x0, w.x1, w.top, w.bottom)
            if _OCR_ONES.match(w.text) and w.height <= tall else w for w in words]


def _ocr_digits(text: str) -> str:
    """A word's OCR figures in digits (``lO`` → ``10``, a lone ``O`` → ``0``); a lone ``l`` or
    ``I`` stays (OCR reads a table's rules so), and so do words of other letters."""
    if text.isdigit() or not re.search(r"[OIl]", text):
        return text
    return " ".join(t.translate(_OCR_DIGITS) if _OCR_FIGURE.match(t) else t for t in text.split(" "))


_COLUMN_PROSE = 8  # ideographs on each side of the gutter in a line of two-column prose


_ANY_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _mojibake(text: str) -> bool:
    """A text layer of ideographs that are no Chinese text: a CJK font's codes read through
    the wrong map (a font without its ToUnicode map, its codes taken as CIDs of another
    collection), which gives characters of the rare Extension A block among common ones
    (``青㧧㨋䆿魧``). A report is written in characters GBK holds (traditional ones too): more
    than one in ten outside it is no report's text."""
    ideographs = _ANY_IDEOGRAPH.findall(text)
    if len(ideographs) < 40:
        return False
    rare = 0
    for ch in ideographs:
        try:
            ch.encode("gbk")
        except UnicodeEncodeError:
            rare += 1
    return rare > 0.1 * len(ideographs)


def _two_columns(scan: PageScan, known: float | None = None) -> tuple[list[PageScan], float | None]:
    """A portrait page set in two columns (a gazette's reprint: the title across, prose in two
    columns, tables across between them): its bands in order, each two-column band as its left
    column then its right — read as one line, each line held the other column's. A gutter in
    the middle fifth that no word of a band crosses, the band three lines of prose on each side
    or more, and no line of it a row of figures; lines across the gutter (the title, a table's
    rows) stay whole. Other pages are returned as they are. The gutter found on a page is
    returned, and ``known`` (the page before's) lets a page of one short band of columns (a
    report's last lines) be split too."""
    width = scan.width
    if width >= 1.15 * scan.height or len(scan.words) < 20:
        return [scan], None
    lines = _lines(scan.words)

    def parts(line: Line, cut: float) -> tuple[str, str] | None:
        half = 0.75 * line.height  # a gutter is wider than a space between words or glyphs
        if any(w.x0 < cut + half and w.x1 > cut - half for w in line.words):
            return None
        return ("".join(w.text for w in line.words if w.x1 <= cut),
                "".join(w.text for w in line.words if w.x0 >= cut))

    def columned(line: Line, cut: float) -> bool:
        """No word across the gutter, and on each side text, not cells (a row of heads or
        figures)."""
        if parts(line, cut) is None or sum(_is_figure(w) for w in line.words) > 1:
            return False
        return all(_wide_gaps(Line(side)) == 0 for side in (
            [w for w in line.words if w.x1 <= cut], [w for w in line.words if w.x0 >= cut]) if side)

    page_left = min(w.x0 for w in scan.words)
    page_right = max(w.x1 for w in scan.words)

    def prose(line: Line, cut: float) -> bool:
        """Text on both sides, one filling most of its column (not a table's narrow cells)."""
        sides = parts(line, cut)
        if sides is None or not columned(line, cut) or \
                not all(len(_IDEOGRAPH.findall(t)) >= _COLUMN_PROSE for t in sides):
            return False
        left = [w for w in line.words if w.x1 <= cut]
        right = [w for w in line.words if w.x0 >= cut]
        return left[-1].x1 - left[0].x0 >= 0.75 * (cut - page_left) or \
            right[-1].x1 - right[0].x0 >= 0.75 * (page_right - cut)

    least = 1 if known is not None else 3
    cuts = [known] if known is not None else [width * (0.4 + k / 100) for k in range(0, 21)]
    best = max((sum(prose(ln, cut) for ln in lines), cut) for cut in cuts)
    if best[0] < least:
        return [scan], None
    cut = best[1]
    if known is None:
        # the gutter's middle: halfway between the two columns' nearest words
        left_edge = max((w.x1 for ln in lines if prose(ln, cut) for w in ln.words if w.x1 <= cut),
                        default=cut)
        right_edge = min((w.x0 for ln in lines if prose(ln, cut) for w in ln.words if w.x0 >= cut),
                         default=cut)
        cut = (left_edge + right_edge) / 2
    bands: list[tuple[bool, list[Line]]] = []  # (two columns?, lines)
    for line in lines:
        split = columned(line, cut)
        if bands and bands[-1][0] == split:
            bands[-1][1].append(line)
        else:
            bands.append((split, [line]))
    # a band of two columns holds prose on both sides; a short run of unparted lines (a
    # heading, a date) inside one is one of its columns' lines
    marked = [(split and sum(prose(ln, cut) for ln in band) >= least, band) for split, band in bands]
    bands = []
    for split, band in marked:  # runs of lines left whole are one band
        if bands and not split and not bands[-1][0]:
            bands[-1][1].extend(band)
        else:
            bands.append((split, list(band)))
    if not any(split for split, _ in bands):
        return [scan], None
    out: list[PageScan] = []
    for split, band in bands:
        top, bottom = min(ln.top for ln in band), max(ln.bottom for ln in band)
        words = [w for ln in band for w in ln.words]
        edges = [e for e in scan.edges if top - 2 <= e["top"] and e["bottom"] <= bottom + 2]
        sides = [(words, edges)] if not split else [
            ([w for w in words if (w.x0 >= cut) == side], [e for e in edges if (e["x0"] >= cut) == side])
            for side in (False, True)]
        out += [PageScan(scan.number, ws, scan.chars, scan.images, scan.large_images, scan.garbled,
                         es, scan.height, scan.sample, width) for ws, es in sides if ws]
    if out:
        out[0].unread = scan.unread  # counted once, on the first part
    return out, cut


def _two_up(scan: PageScan, known: float | None = None) -> tuple[list[PageScan], float | None]:
    """The two pages printed side by side on one landscape sheet (打印 with 每版 2 页, a booklet
    scanned open), left then right, or the sheet itself; and where it parted them. Two pages
    only when an empty gutter in the middle fifth parts every word and line, and each side
    holds prose lines of its own (a landscape table has figures right of the middle, no prose)
    — or the sheet before parted there (``known``): two pages of tables on a later sheet."""
    width = scan.width
    if width < 1.15 * scan.height or len(scan.words) < 20:
        return [scan], None
    cut = pdf_textgrid.sheet_gutter([(w.x0, w.x1) for w in scan.words] +
                                    [(e["x0"], e["x1"]) for e in scan.edges], 0.0, width)
    if cut is None:
        return [scan], None
    carried = known is not None and abs(cut - known) < 0.03 * width
    halves = []
    for side in (0, 1):
        shift = cut if side else 0.0
        words = [Word(w.text, w.x0 - shift, w.x1 - shift, w.top, w.bottom)
                 for w in scan.words if (w.x0 >= cut) == bool(side)]
        if not carried and sum(1 for ln in _lines(words) if len(_IDEOGRAPH.findall(ln.text())) >= 15) < 3:
            return [scan], None
        edges = [{**e, "x0": e["x0"] - shift, "x1": e["x1"] - shift}
                 for e in scan.edges if (e["x0"] >= cut) == bool(side)]
        halves.append(PageScan(scan.number, words, scan.chars, scan.images, scan.large_images,
                               scan.garbled, edges, scan.height, scan.sample,
                               cut if not side else width - cut))
    halves[0].unread = scan.unread  # counted once, on the left page
    return halves, cut


_TURN_SAMPLE = 300  # characters sampled for the page's text direction
_TURN_FEW = 6  # characters of a short page that, all turned alike, say its direction


def _unmapped_codes(textpage, count: int) -> bool:
    """Whether most of the page's characters are codes of a font that maps them to no
    Unicode: a simple font whose ``/Differences`` name glyphs no table knows (``/g21``), no
    ``/ToUnicode`` (old Chinese typesetting systems). PDFium then gives the codes themselves,
    printable ASCII (``#$%&'()*``) with digits among them that are no figures; only PDFium
    knows the mapping failed (``FPDFText_HasUnicodeMapError``). Sampled like the turn. A page
    whose ideographs read (a tenth of its characters or more) is a report's text whatever its
    other fonts: figures set in a symbolic Latin font whose codes are the digits themselves
    are flagged too, and read right."""
    from pypdfium2 import raw

    seen = failed = ideographs = 0
    for i in range(0, count, max(1, count // _TURN_SAMPLE)):
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        if code in (0, 9, 10, 13, 32):
            continue
        seen += 1
        if raw.FPDFText_HasUnicodeMapError(textpage.raw, i) == 1:
            failed += 1
        elif 0x3400 <= code <= 0x9FFF:
            ideographs += 1
    return seen >= 20 and failed > 0.3 * seen and ideographs < 0.1 * seen


def _text_turn(textpage, count: int) -> int:
    """How the page's text is turned in user space: 0, 90 (reads top to bottom), 180 or 270
    (bottom to top), by the angle PDFium gives most of its characters (spaces and line ends
    have none); 0 when no direction has most of them."""
    from pypdfium2 import raw

    votes = {0: 0, 90: 0, 180: 0, 270: 0}
    for i in range(0, count, max(1, count // _TURN_SAMPLE)):
        if raw.FPDFText_GetUnicode(textpage.raw, i) in (0, 9, 10, 13, 32):
            continue
        angle = math.degrees(raw.FPDFText_GetCharAngle(textpage.raw, i)) % 360
        for turn in votes:
            if min(abs(angle - turn), 360 - abs(angle - turn)) < 10:
                votes[turn] += 1
    total = sum(votes.values())
    turn = max(votes, key=lambda k: votes[k])
    # A short page (a landscape document's last page: the signature and date) counts when its
    # characters agree: read unturned, its lines stood on end, joined in the wrong order.
    return turn if turn and (total >= 20 and votes[turn] >= 0.6 * total or
                             total >= _TURN_FEW and votes[turn] == total) else 0


def _unturn(words: list[Word], edges: list[dict], turn: int, width: float,
            height: float) -> tuple[list[Word], list[dict], float]:
    """Words and ruling lines in the frame of text turned by ``turn`` degrees on a page of
    ``width`` × ``height`` (displayed), and that frame's height."""
    def box(x0: float, x1: float, top: float, bottom: float) -> tuple[float, float, float, float]:
        if turn == 270:  # text reads bottom to top: the frame's x runs up the page
            return height - bottom, height - top, x0, x1
        return top, bottom, width - x1, width - x0  # 90: reads top to bottom

    turned = [Word(w.text, *box(w.x0, w.x1, w.top, w.bottom)) for w in words]
    lines = []
    for e in edges:
        x0, x1, top, bottom = box(e["x0"], e["x1"], e["top"], e["bottom"])
        lines.append(_edge("v" if e["orientation"] == "h" else "h", x0, x1, top, bottom))
    return turned, lines, width


_MAX_OBJECTS = 20_000  # path/image objects examined per page (a table has a few hundred)
_THIN = 3.0  # points: a path thinner than this is a ruling line
_MIN_EDGE = 3.0


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
            "height": bottom - top, "orientation": orientation, "object_type": "line"}


Box = tuple[float, float, float, float]  # x0, x1, top, bottom: displayed, top-left origin


def _display_transform(rotation: int, mediabox: tuple[float, float, float, float]):
    """A function mapping a PDF user-space box (left, bottom, right, top) to the displayed
    page's (x0, x1, top, bottom). Pages turned with /Rotate (landscape tables are often printed
    that way) have their text running up or down in user space; reading order needs the
    displayed orientation."""
    mx0, my0, mx1, my1 = mediabox
    width, height = mx1 - mx0, my1 - my0
    rotation %= 360

    def box(left: float, bottom: float, right: float, top: float) -> Box:
        left, right, bottom, top = left - mx0, right - mx0, bottom - my0, top - my0
        if rotation == 90:
            return bottom, top, left, right
        if rotation == 180:
            return width - right, width - left, bottom, top
        if rotation == 270:
            return height - top, height - bottom, width - right, width - left
        return left, right, height - top, height - bottom

    return box


Matrix = tuple[float, float, float, float, float, float]


def _misplaced_glyphs(page, textpage, chars: int) -> dict[int, Matrix] | None:
    """Glyphs PDFium boxes outside the form XObject they are drawn in, or None when none is.

    A page placed whole in a form (a seal-stamping or N-up tool) drawn glyph by glyph (a
    browser's print) has some glyphs boxed without the form's matrix — where the unplaced page
    had them —, though their text matrix places them right: such a glyph's baseline is not its
    matrix's. Returns ``{char index: form matrix}`` of those glyphs (horizontal text only).
    """
    import ctypes

    from pypdfium2 import raw

    if not any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_FORM], max_depth=1)):
        return None
    forms: dict[int, Matrix] = {}
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=4):
        outer = _form_matrix(obj.container) if obj.container is not None else None
        if outer is not None:
            forms[ctypes.cast(obj.raw, ctypes.c_void_p).value or 0] = outer
    if not forms:
        return None
    x, y, m = ctypes.c_double(), ctypes.c_double(), raw.FS_MATRIX()
    wrong: dict[int, Matrix] = {}
    for i in range(chars):
        outer = forms.get(ctypes.cast(raw.FPDFText_GetTextObject(textpage.raw, i), ctypes.c_void_p).value or 0)
        if outer is None or not raw.FPDFText_GetCharOrigin(textpage.raw, i, x, y) \
                or not raw.FPDFText_GetMatrix(textpage.raw, i, m) or abs(m.b) + abs(m.c) > 1e-3:
            continue
        if abs(y.value - m.f) > 0.5 and abs(_apply(outer, x.value, y.value)[1] - m.f) < 0.5:
            wrong[i] = outer
    return wrong or None


def _glyph_words(textpage, chars: int, wrong: dict[int, Matrix], to_display) -> list[Word]:
    """The page's words built glyph by glyph as PDFium builds its text rectangles (one per
    text object's run on a line), the misplaced glyphs' boxes put through their forms."""
    import ctypes

    from pypdfium2 import raw

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    words: list[Word] = []
    run: list = []  # [text object, text, left, bottom, right, top]

    def close() -> None:
        if run and run[1].strip():
            text = clean_text(run[1])
            if text:
                words.append(Word(text, *to_display(run[2], run[3], run[4], run[5])))

    for i in range(chars):
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        obj = ctypes.cast(raw.FPDFText_GetTextObject(textpage.raw, i), ctypes.c_void_p).value
        if not obj or raw.FPDFText_IsGenerated(textpage.raw, i) or \
                not raw.FPDFText_GetCharBox(textpage.raw, i, left, right, bottom, top):
            close()
            run = []
            continue
        box = (left.value, bottom.value, right.value, top.value)
        if i in wrong:
            corners = [_apply(wrong[i], bx, by) for bx in (box[0], box[2]) for by in (box[1], box[3])]
            box = (min(c[0] for c in corners), min(c[1] for c in corners),
                   max(c[0] for c in corners), max(c[1] for c in corners))
        if run and run[0] == obj and abs((box[1] + box[3]) - (run[3] + run[5])) < (run[5] - run[3]):
            run[1] += chr(code)
            run[2:] = [min(run[2], box[0]), min(run[3], box[1]), max(run[4], box[2]), max(run[5], box[3])]
        else:
            close()
            run = [obj, chr(code), *box]
    close()
    return words


def _form_matrix(form) -> Matrix | None:
    """The matrix from a form XObject's space to the page's (its own and its containers')."""
    import ctypes

    from pypdfium2 import raw

    out: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    while form is not None:
        m = raw.FS_MATRIX()
        if not raw.FPDFPageObj_GetMatrix(form.raw, ctypes.byref(m)):
            return None
        out = _compose(out, (m.a, m.b, m.c, m.d, m.e, m.f))
        form = form.container
    return out


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer`` (PDF row-vector matrices)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _path_edges(obj, shown: Box, to_display, page_area: float,
                outer: Matrix | None = None) -> list[dict]:
    """Ruling lines of one path object, in displayed top-left coordinates.

    A thin path (a line, or a thin filled box as Word draws borders) is one edge; a simple
    rectangle (≤ 5 segments) is four; a complex path (a whole grid drawn as one path) is read
    segment by segment, its axis-parallel straight segments becoming edges.
    """
    from pypdfium2 import raw

    x0, x1, top, bottom = shown
    w, h = x1 - x0, bottom - top
    if h < _THIN and w >= _MIN_EDGE:
        y = (top + bottom) / 2
        return [_edge("h", x0, x1, y, y)]
    if w < _THIN and h >= _MIN_EDGE:
        x = (x0 + x1) / 2
        return [_edge("v", x, x, top, bottom)]
    if w < _MIN_EDGE or h < _MIN_EDGE or w * h > 0.6 * page_area:
        return []  # a dot, or a page-size background
    count = raw.FPDFPath_CountSegments(obj.raw)
    if count <= 5:
        return [_edge("h", x0, x1, top, top), _edge("h", x0, x1, bottom, bottom),
                _edge("v", x0, x0, top, bottom), _edge("v", x1, x1, top, bottom)]
    return _segment_edges(obj, count, to_display, outer) if count <= 2000 else []


def _segment_edges(obj, count: int, to_display, outer: Matrix | None = None) -> list[dict]:
    import ctypes

    from pypdfium2 import raw

    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj.raw, ctypes.byref(matrix)):
        return []
    own: Matrix = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
    a, b, c, d, e, f = own if outer is None else _compose(own, outer)
    edges: list[dict] = []
    x = ctypes.c_float()
    y = ctypes.c_float()
    previous: tuple[float, float] | None = None
    start: tuple[float, float] | None = None
    for i in range(count):
        segment = raw.FPDFPath_GetPathSegment(obj.raw, i)
        if not raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        shown = to_display(px, py, px, py)
        point = (shown[0], shown[2])
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_LINETO and previous is not None:
            edges.extend(_straight(previous, point))
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        previous = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            edges.extend(_straight(point, start))
    return edges


def _straight(p: tuple[float, float], q: tuple[float, float]) -> list[dict]:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 1 and abs(x1 - x0) >= _MIN_EDGE:
        return [_edge("h", min(x0, x1), max(x0, x1), y0, y0)]
    if abs(x0 - x1) < 1 and abs(y1 - y0) >= _MIN_EDGE:
        return [_edge("v", x0, x0, min(y0, y1), max(y0, y1))]
    return []


_MAX_ORPHAN_HEADS = 6  # head lines of a table, at most, left alone at a page's foot


def _carry_orphan_heads(scans: list[PageScan]) -> None:
    """Move an unruled table's head rows left alone at the foot of a page (the page broke
    between the heads and the first row of figures) to the top of the next page, above its
    rows: without them that page's columns were learnt from figures alone, the columns left
    blank in every row lost and the others read a column off (a landscape table 三: 38 cells).
    Heads: lines of two or more cells set apart (``_is_tabular``), no figure among them, after
    the page's last other line; the next page must open with a row of figures and no ruling
    lines on either page."""
    for scan, below in itertools.pairwise(scans):
        if scan.edges or below.edges or scan.garbled or below.garbled:
            continue
        lines = [ln for ln in _lines(scan.words) if not _is_page_furniture(ln, scan.height)]
        heads: list[Line] = []
        while lines and len(heads) < _MAX_ORPHAN_HEADS and _is_tabular(lines[-1]) and \
                not any(_is_value(w) for w in lines[-1].words):
            heads.insert(0, lines.pop())
        if not heads or not lines:
            continue
        following = [ln for ln in _lines(below.words) if not _is_page_furniture(ln, below.height)]
        if not following or not _is_tabular(following[0]) or \
                not any(_is_value(w) for w in following[0].words):
            continue
        moved = {id(w) for ln in heads for w in ln.words}
        shift = following[0].top - heads[-1].bottom - heads[-1].height * 0.6
        below.words = [Word(w.text, w.x0, w.x1, w.top + shift, w.bottom + shift)
                       for ln in heads for w in ln.words] + below.words
        scan.words = [w for w in scan.words if id(w) not in moved]


def _has_table(scan: PageScan) -> bool:
    """Ruling lines in both directions, or two or more lines laid out in columns."""
    if sum(1 for e in scan.edges if e["orientation"] == "h") >= 2 and \
            sum(1 for e in scan.edges if e["orientation"] == "v") >= 2:
        return True
    return sum(1 for line in _lines(scan.words) if _is_tabular(line)) >= 2


# --- lines and paragraphs ------------------------------------------------------------------

def _join_words(words: list[Word]) -> str:
    out = ""
    prev: Word | None = None
    for word in words:
        if prev is not None:
            gap = word.x0 - prev.x1
            both_cjk = _CJK.search(out[-1:]) and _CJK.search(word.text[:1])
            # Two digits of one figure set glyph by glyph (a browser's print): the boxes are the
            # glyphs' ink, and a narrow ``1`` stands off its neighbours by a quarter of its
            # height (``2 17``); a space between two figures is wider than half of it.
            digits = out[-1:].isdigit() and word.text[:1].isdigit()
            least = 0.5 if digits else 0.25
            if gap > least * min(prev.height, word.height) and not (both_cjk and gap < prev.height):
                out += " "
        out += word.text
        prev = word
    return out


def _lines(words: list[Word]) -> list[Line]:
    """Group words into lines by vertical overlap, top to bottom, each left to right."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        center = (word.top + word.bottom) / 2
        for line in reversed(lines[-3:]):
            if line.top - 1 <= center <= line.bottom + 1 and \
                    abs((line.top + line.bottom) / 2 - center) < 0.6 * max(line.height, word.height):
                line.words.append(word)
                break
        else:
            lines.append(Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def _wide_gaps(line: Line) -> int:
    words = line.words
    return sum(1 for a, b in itertools.pairwise(words) if b.x0 - a.x1 >= 1.5 * line.height)


def _is_tabular(line: Line) -> bool:
    """Words set apart by gaps wider than 1.5 line heights: cells, not the spaces of prose."""
    return len(line.words) >= 2 and _wide_gaps(line) >= 1


def _prose_blocks(lines: list[Line], page_height: float, right: float | None = None) -> list[Block]:
    """Lines → paragraph blocks; a line that fills the column (up to ``right``, by default the
    rightmost line's end) and is followed by an unindented line continues into it (a wrapped
    paragraph); page numbers at the margins are dropped."""
    lines = [ln for ln in lines if not _is_page_furniture(ln, page_height)]
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines) if right is None else right
    blocks: list[Block] = []
    previous: Line | None = None
    for line in lines:
        text = clean_text(line.text())
        if not text:
            continue
        if previous is not None and blocks and isinstance(blocks[-1], str) and \
                not _wide_gaps(previous) and not _wide_gaps(line) and \
                previous.x1 >= right - 1.5 * previous.height and \
                line.x0 <= left + 0.6 * line.height and \
                line.top - previous.bottom < 1.2 * line.height and not _HEADING.match(text) \
                and not _whole_heading(blocks[-1], text):
            glue = "" if _CJK.search(blocks[-1][-1:]) or _CJK.search(text[:1]) else " "
            blocks[-1] = blocks[-1] + glue + text
        else:
            blocks.append(text)
        previous = line
    return blocks


def _whole_heading(block: str, text: str) -> bool:
    """``block`` is a whole section heading (its last words 情况 or 事项) and ``text`` the
    line below it, not more of it (a heading as wide as a narrow column)."""
    from parsers.sections import heading_kind

    if not _HEADING.match(block) or not re.search(r"(情况|事项)$", block):
        return False
    alone = heading_kind(block, None)
    return bool(alone and not alone[1] and not heading_kind(text, None))


def _is_page_furniture(line: Line, page_height: float) -> bool:
    margin = page_height * 0.08
    if line.top > margin and line.bottom < page_height - margin:
        return False
    text = clean_text(line.text())
    # (a mark alone in the margin — the ``_`` of a browser header's title, set lower — is
    # furniture too)
    return bool(_PAGE_NUMBER.match(text) or _BROWSER_FURNITURE.match("".join(text.split()))
                or _NO_WORD.match(text))


# --- table pages ---------------------------------------------------------------------------

def _ruled_tables(scan: PageScan, runs_on: bool = False
                  ) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    """(bbox, rows) of each ruled table: pdfplumber's lattice on PDFium's ruling lines.

    :param runs_on: the previous page ended in a table: a single ruled row opening this page
        (its last row, pushed over the break: ``政府集中采购`` | ``21`` | blank) is a table too
    """
    from pdfplumber import table as lattice

    edges = lattice.merge_edges(scan.edges, snap_x_tolerance=3, snap_y_tolerance=3,
                                join_x_tolerance=3, join_y_tolerance=3)
    edges = [e for e in edges if (e["height"] if e["orientation"] == "v" else e["width"]) >= _MIN_EDGE]
    cells = lattice.intersections_to_cells(lattice.edges_to_intersections(edges, 3, 3))
    found = []
    groups = []
    for group in lattice.cells_to_tables(cells):
        words = _cell_words(group, scan.words)
        groups.append((group, words))
    in_cells = {id(w) for _, words in groups for ws in words.values() for w in ws}
    used: list[tuple[float, float, float, float]] = []  # boxes already read on a ruling grid
    for group, words in groups:
        table = lattice.Table(None, group)  # type: ignore[arg-type]  # rows need no page
        bbox = table.bbox
        if any(_box_within(bbox, box) for box in used):
            continue  # a part of a table already read whole
        lines = {cell: _lines(ws) for cell, ws in words.items() if ws}
        extent = _ruled_extent(bbox, edges)
        # words among this table's lines but in no cell of any table: lines missing round
        # them, so lattice closed no cell there (a head row left open, a part split off)
        stray = any(_inside(w, extent) and id(w) not in in_cells for w in scan.words)
        if stray or _rulings_incomplete(lines, _row_lines(bbox, edges)):
            # Borders missing inside the table: the cells lattice found hold several cells'
            # text. Read it on the grid of every ruling line drawn anywhere in it instead.
            bbox = extent
            grid_rows = _grid_rows(bbox, edges, scan.words)
            if grid_rows is None:
                continue  # no inner column lines at all: the unruled reading takes it
            rows = grid_rows
            used.append(bbox)
        else:
            texts = {cell: _cell("\n".join(ln.text() for ln in lines[cell])) if cell in lines else ""
                     for cell in words}
            rows = [[texts[cell] for cell in row.cells if cell is not None] for row in table.rows]
        rows = [row for row in rows if row]
        if rows and max(len(r) for r in rows) >= 2 and (len(rows) >= 2 or runs_on and not found
                                                         and _opens_page(scan, bbox, rows)):
            found.append((bbox, rows))
    return found


def _opens_page(scan: PageScan, bbox: tuple[float, float, float, float],
                rows: list[list[str]]) -> bool:
    """A one-row ruled table at the top of the page (nothing but page furniture above it)
    holding a label and a figure: a row of the table the previous page ended in."""
    row = rows[0]
    if len(rows) != 1 or not row[0] or _NUMERIC.match(row[0]) or \
            not any(_NUMERIC.match(c) for c in row[1:] if c):
        return False
    above = [w for w in scan.words if w.bottom <= bbox[1] + 1]
    return all(_is_page_furniture(line, scan.height) for line in _lines(above))


def _box_within(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> bool:
    return inner[0] >= outer[0] - 1 and inner[1] >= outer[1] - 1 and \
        inner[2] <= outer[2] + 1 and inner[3] <= outer[3] + 1


def _column_lines(bbox: tuple[float, float, float, float], edges: list[dict]) -> list[float]:
    """The x of every vertical ruling segment inside the table's box."""
    x0, top, x1, bottom = bbox
    return _positions([e["x0"] for e in edges if e["orientation"] == "v"
                       and x0 - 2 <= e["x0"] <= x1 + 2 and e["bottom"] > top + 1 and e["top"] < bottom - 1])


def _row_lines(bbox: tuple[float, float, float, float], edges: list[dict]) -> list[float]:
    """The y of every horizontal ruling segment inside the table's box."""
    x0, top, x1, bottom = bbox
    return _positions([e["top"] for e in edges if e["orientation"] == "h"
                       and top - 2 <= e["top"] <= bottom + 2 and e["x1"] > x0 + 1 and e["x0"] < x1 - 1])


def _rulings_incomplete(cells: dict[tuple[float, float, float, float], list[Line]],
                        ys: list[float] = ()) -> bool:  # type: ignore[assignment]
    """Whether some cell holds what must be several cells: figures on two of its lines that
    would have fitted on one (a missing line between rows; a number too wide for its cell
    wraps instead), a figure set apart from other text on one line (a missing line between
    columns), figures under text in one cell (a missing line under a title), a figure below a
    row line drawn beside its cell (``ys``), or two lines opening with an item number (rows of
    labels). (A lone figure in a cell spanning a column
    line drawn elsewhere is not enough: stacked tables of different columns share one
    lattice group.)"""
    for cell, lines in cells.items():
        # (a separator alone on its line is a piece of a wrapped number: １ / ， / ９８６)
        figure_lines = [ln for ln in lines if _numbers(ln) or _LONE_SEPARATOR.match(ln.text().strip())]
        # a figure below a row line drawn beside its cell: the cell is two rows run together,
        # and lattice would give the figure to the upper one
        inner = [y for y in ys if cell[1] + 2 < y < cell[3] - 2]
        if inner and any((ln.top + ln.bottom) / 2 > inner[0] for ln in figure_lines):
            return True
        if figure_lines and len(figure_lines) < len(lines) and \
                all(_numbers(ln) == len(ln.words) for ln in figure_lines):
            return True
        for upper, lower in itertools.pairwise(figure_lines):
            if not _wrapped_number(upper, lower, cell[2] - cell[0]):
                return True
        if any(_numbers(ln) and _wide_gaps(ln) for ln in lines):
            return True
        if sum(1 for ln in lines if _HEADING.match(ln.words[0].text)) >= 2:
            return True
    return False


def _wrapped_number(upper: Line, lower: Line, width: float) -> bool:
    """Whether two lines of figures in one cell are a number too wide for the cell, wrapped
    (``１０９`` / ``４``, ``3`` / ``，252``, ``1,4`` / ``26``), rather than two rows' figures with the line between
    them missing: wrapped lines follow closely, and break at a separator, cut a thousands
    group short or fill the cell (ink is narrower than the advance widths, so half the width
    counts as full)."""
    if any(_LONE_SEPARATOR.match(ln.text().strip()) for ln in (upper, lower)):
        return True  # a separator alone on its line (１ / ， / ９８６) is no row's figure
    if lower.top - upper.bottom > 0.8 * min(upper.height, lower.height):
        return False
    return bool(_SEPARATOR.match(lower.words[0].text) or _SEPARATOR.match(upper.words[-1].text[-1:])
                or _CUT_GROUP.search(upper.text().replace(" ", ""))
                or upper.x1 - upper.x0 >= 0.5 * width or _fills(upper, width))


_CELL_PAD = 5.4  # points: Word's and LibreOffice's default left and right cell margins (0.19 cm)


def _fills(line: Line, width: float) -> bool:
    """Whether one more glyph would not have fitted beside ``line`` in a cell ``width`` wide:
    full-width digits advance a whole em (about 1.35 times their ink's height) while their ink
    is half of it (１８ / ６８ in a 27 pt cell)."""
    text = line.text().replace(" ", "")
    if not text:
        return False
    if _FULLWIDTH_FIGURE.match(text):
        glyph = 1.35 * line.height
        used = glyph * len(text)
    else:
        used = line.x1 - line.x0
        glyph = used / len(text)
    return used + glyph > 0.95 * (width - 2 * _CELL_PAD)


def _positions(values: list[float], tolerance: float = 2.0) -> list[float]:
    """Distinct positions of ruling lines: values within ``tolerance`` are one line."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tolerance:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def _ruled_extent(bbox: tuple[float, float, float, float],
                  edges: list[dict]) -> tuple[float, float, float, float]:
    """The box of every ruling line connected to ``bbox``: where lines are missing, the cells
    lattice closed may not reach the table's frame (a head row left open)."""
    x0, top, x1, bottom = bbox
    grown = True
    while grown:
        grown = False
        for e in edges:
            if e["x0"] <= x1 + 3 and e["x1"] >= x0 - 3 and e["top"] <= bottom + 3 and e["bottom"] >= top - 3:
                box = (min(x0, e["x0"]), min(top, e["top"]), max(x1, e["x1"]), max(bottom, e["bottom"]))
                if box != (x0, top, x1, bottom):
                    x0, top, x1, bottom = box
                    grown = True
    return x0, top, x1, bottom


def _split_columns(xs: list[float], words: list[Word]) -> list[float]:
    """Column lines ``xs`` plus the lines missing everywhere: an interval (past the label
    column) where a line holds two figures is divided between the columns its figures and
    titles form (pdf_columns.column_grid), halfway across the gaps."""
    out = list(xs[:2])
    for a, b in itertools.pairwise(xs[1:]):
        # runs merged first: a number printed glyph by glyph (８ | ６ | １, 1 | ， | 308) is
        # one figure, not figures of two columns
        lines = _merged_runs(_lines([w for w in words if a <= (w.x0 + w.x1) / 2 < b]))
        inside = [w for ln in lines for w in ln.words]
        if any(sum(1 for w in ln.words if _is_value(w)) >= 2 for ln in lines):
            figures = [(w.x0 - 1, w.x1 + 1) for w in inside if _is_value(w)]
            headers = [[(w.x0, w.x1) for w in ln.words] for ln in lines if not _numbers(ln)]
            grid = pdf_columns.column_grid(figures, headers)
            out.extend((left[1] + right[0]) / 2 for left, right in itertools.pairwise(grid))
        out.append(b)
    return out


def _grid_rows(bbox: tuple[float, float, float, float], edges: list[dict],
               words: list[Word]) -> list[list[str]] | None:
    """Rows of a ruled table whose rulings are partly missing, or None when no inner column
    line is drawn anywhere. Columns lie between the x of every vertical line segment in the
    table, rows between the y of every horizontal one; a band between two horizontal lines
    holding several rows' lines (figures or item numbers on a later line) is split line by
    line, wrapped labels joined again (:func:`_join_fragments`)."""
    _, top, _, bottom = bbox
    xs = _column_lines(bbox, edges)
    ys = _row_lines(bbox, edges)
    if len(xs) < 3 or len(ys) < 2:
        return None
    inner = [w for w in words if _inside(w, bbox)]
    drawn_xs = xs
    xs = _split_columns(xs, inner)
    verticals = [e for e in edges if e["orientation"] == "v"]
    # a table cut by a page break has no line at its top (or foot): its box bounds that row
    ys = _positions([top - 1] + ys + [bottom + 1])
    merged = _merged_down(xs, ys, edges, inner)
    rows: list[list[str]] = []
    for n, (band_top, band_bottom) in enumerate(itertools.pairwise(ys)):
        band = [w for w in inner if band_top <= (w.top + w.bottom) / 2 < band_bottom
                and id(w) not in merged]
        held = {k: ws for (i, k), ws in merged.get("cells", {}).items() if i == n}  # type: ignore[union-attr]
        if not band and not held:
            continue
        lines = _lines(band)
        split = _band_holds_rows(lines, xs)
        groups = [[ln] for ln in lines] if split else [lines]
        held_words = [w for ws in held.values() for w in ws]
        held_span: list[int] = []
        band_rows = []
        for n_group, group in enumerate(groups):
            # a cell merged across columns (``申请人情况`` over seven, a label over three label
            # columns): its text is cut at the column lines drawn below it — it goes whole to
            # the first column it spans (judged row by row: a head's columns are not a figure
            # row's below it when the line between them is missing)
            span = _merged_across(xs, drawn_xs, verticals, [w for ln in group for w in ln.words] +
                                  (held_words if n_group == 0 else []))
            if n_group == 0:
                held_span = span
            cells: list[list[Word]] = [[] for _ in range(len(xs) - 1)]
            for line in group:
                for word in line.words:
                    cells[span[_grid_column(xs, word)]].append(word)
            band_rows.append([_cell("\n".join(ln.text() for ln in _lines(ws))) if ws else ""
                              for ws in cells])
        band_rows = _join_fragments(band_rows, _close_lines(lines)) if split else band_rows
        if not band_rows:
            band_rows = [[""] * (len(xs) - 1)]
        if not held_span:
            held_span = _merged_across(xs, drawn_xs, verticals, held_words)
        joined: dict[int, list[Word]] = {}
        for k, ws in held.items():  # a cell merged down over several rows: its top row's
            joined.setdefault(held_span[k], []).extend(ws)
        for k, ws in joined.items():
            band_rows[0][k] = _cell("\n".join(ln.text() for ln in _lines(ws)))
        rows.extend(band_rows)
    return rows


_CLOSING = "、，。：；）”》"


def _merged_across(xs: list[float], drawn_xs: list[float], verticals: list[dict],
                   words: list[Word]) -> list[int]:
    """For each grid column, the first column of the cell it belongs to in this band: columns
    are one cell where a line of text runs on across their column line (glyphs closer than half
    the line's height, neither a figure) at a height where that line is not drawn; the cell
    reaches left over empty columns to the line drawn at its edge. A column line only inferred
    from figures (missing everywhere) never joins; nor does text beside a figure, nor texts
    of a head row left open (cells are set apart by their padding).

    >>> w = lambda t, x0, x1: Word(t, x0, x1, 10, 20)
    >>> xs, at_50 = [0, 50, 100, 150, 200], _edge("v", 50, 50, 0, 30)
    >>> _merged_across(xs, xs, [at_50], [w("标题", 5, 30), w("申请人", 110, 149), w("情况", 151, 170)])
    [0, 1, 1, 1]
    >>> _merged_across(xs, xs, [at_50, _edge("v", 150, 150, 0, 30)],
    ...                [w("标题", 5, 30), w("申请人", 110, 149), w("情况", 151, 170)])
    [0, 1, 2, 3]
    """
    first = list(range(len(xs) - 1))
    used = {_grid_column(xs, w) for w in words}

    def undrawn(x: float, y: float) -> bool:
        return any(abs(x - d) <= 2 for d in drawn_xs) and not any(
            abs(e["x0"] - x) <= 2 and e["top"] - 1 <= y <= e["bottom"] + 1 for e in verticals)

    for line in _lines(words):
        middle = (line.top + line.bottom) / 2
        for a, b in itertools.pairwise(line.words):
            ka, kb = _grid_column(xs, a), _grid_column(xs, b)
            # full-width punctuation advances an em but inks little of it: after 、，：or
            # before （ the phrase's gap may be nearly an em
            gap = (1.0 if a.text[-1:] in _CLOSING or b.text[:1] in "（“《" else 0.5) * line.height
            if ka == kb or b.x0 - a.x1 >= gap:
                continue
            if (_is_value(a) or _is_value(b)) and not _NUMERIC.match(a.text + b.text):
                # text beside a figure is two cells; one figure's pieces (``增`` | ``3``,
                # ``２８６３１`` | ``．４３万`` centred across a line drawn only elsewhere) are not
                continue
            if all(undrawn(x, middle) for x in xs[ka + 1:kb + 1]):
                # the cell reaches left over empty columns to the line drawn at its edge
                while ka > 0 and ka - 1 not in used and undrawn(xs[ka], middle):
                    ka -= 1
                for k in range(ka + 1, kb + 1):
                    first[k] = first[ka]
    for k in range(1, len(first)):  # a chain (0 ← 1 ← 2) points to its head
        first[k] = first[first[k]]
    return first


def _grid_column(xs: list[float], word: Word) -> int:
    k = bisect.bisect_right(xs, (word.x0 + word.x1) / 2) - 1
    return min(max(k, 0), len(xs) - 2)


def _merged_down(xs: list[float], ys: list[float], edges: list[dict],
                 words: list[Word]) -> dict:
    """Cells merged down over several rows of a ruling grid (``rowspan``: a label such as
    ``（四）无法提供`` beside three rows, centred on them, so its lines straddle rows whose
    line is drawn in the other columns only). A word belongs to such a cell when the row
    line above its band is not drawn across its column while the cell's text crosses a drawn
    row line's height or lies wholly below its top row; the cell's text goes to its top row,
    as the lattice reading gives it. Only one block of label text moves, and only one that crosses an
    undrawn line or starts below the top row (a label in each row, a hairline between them
    dropped, stays in its rows). Returns {id(word): True, …, "cells": {(band, column): words}}.
    Columns whose row lines are all missing (no line drawn across them at all) merge
    nothing: that is a grid with lines missing, not a merged cell."""
    spans = [(a, b) for a, b in itertools.pairwise(xs)]
    horizontals = [e for e in edges if e["orientation"] == "h"]

    def drawn(y: float, k: int) -> bool:
        a, b = spans[k]
        centre = (a + b) / 2
        return any(abs(e["top"] - y) <= 2 and e["x0"] <= centre <= e["x1"] for e in horizontals)

    out: dict = {"cells": {}}
    inner_ys = ys[1:-1]
    for k in range(len(spans)):
        open_lines = [n + 1 for n, y in enumerate(inner_ys) if not drawn(y, k)]
        if not open_lines or len(open_lines) == len(inner_ys):
            continue
        column = [w for w in words if _grid_column(xs, w) == k]
        # runs of bands joined by undrawn lines: band index of the run's top for each band
        top_of = list(range(len(ys) - 1))
        for n in open_lines:
            top_of[n] = top_of[n - 1]
        runs: dict[int, list[Word]] = {}
        for w in column:
            band = bisect.bisect_right(ys, (w.top + w.bottom) / 2) - 1
            band = min(max(band, 0), len(ys) - 2)
            runs.setdefault(top_of[band], []).append(w)
        for start, ws in runs.items():
            bands = {min(max(bisect.bisect_right(ys, (w.top + w.bottom) / 2) - 1, 0), len(ys) - 2)
                     for w in ws}
            if bands == {start} and top_of.count(start) == 1:
                continue  # a cell of one row
            lines = _lines(ws)
            if any(all(_is_value(w) or _LONE_SEPARATOR.match(w.text) for w in ln.words)
                   for ln in lines):
                continue  # figures under a dropped hairline are their own row's (blanks above)
            if any(b.top - a.bottom > max(a.height, b.height) for a, b in itertools.pairwise(lines)):
                continue  # several blocks of text: rows whose line between is missing here
            undrawn = [ys[n] for n in range(start + 1, max(bands) + 1)]
            straddles = any(ln.top < y < ln.bottom for ln in lines for y in undrawn)
            if start in bands and len(bands) > 1 and not straddles:
                continue  # text from the top row on, each line within a row: the same
            out["cells"][(start, k)] = ws
            for w in ws:
                out[id(w)] = True
    return out


def _band_holds_rows(lines: list[Line], xs: list[float]) -> bool:
    """Whether a band between two drawn row lines holds several rows' lines (the line between
    them missing), judged column by column as lattice cells are: figures under text in one
    column (a head row over a row of figures), figures on two lines that are not one number
    wrapped, or a line opening with an item number under text of its column. A label wrapped
    beside its figures, centred on its lines as browsers set cells, and a number wrapped in its
    cell (``1`` / ``，`` / ``262``, ``１`` / ``３`` / ``６``) are one row."""
    columns: dict[int, list[Word]] = {}
    for m, line in enumerate(lines):
        # a second label opening with an item number under another label of its column
        if m and _HEADING.match(line.words[0].text) and \
                _grid_column(xs, line.words[0]) in columns:
            return True
        for word in line.words:
            columns.setdefault(_grid_column(xs, word), []).append(word)
    value_lines: dict[int, list[Line]] = {}
    for k, ws in columns.items():
        column = _lines(ws)
        values = [n for n, ln in enumerate(column)
                  if all(_is_value(w) or _LONE_SEPARATOR.match(w.text) for w in ln.words)]
        if values and any(n < values[-1] and n not in values for n in range(len(column))):
            return True
        value_lines[k] = [column[n] for n in values]
    # the middles of the figures set on one line of their cell
    singles = [(ln.top + ln.bottom) / 2 for vs in value_lines.values() if len(vs) == 1 for ln in vs]
    for k, pieces in value_lines.items():
        if len(pieces) < 2:
            continue
        # a cell's lines centred as a block on the row's one-line figures: one number wrapped
        middle = (pieces[0].top + pieces[-1].bottom) / 2
        if any(abs(c - middle) < 0.5 * min(ln.height for ln in pieces) for c in singles):
            continue
        width = xs[k + 1] - xs[k]
        if any(not _wrapped_number(a, b, width) for a, b in itertools.pairwise(pieces)):
            return True
    return False


def _table_page(scan: PageScan, carried: Columns = (), runs_on: bool = False  # type: ignore[assignment]
                ) -> tuple[list[Block], Columns]:
    """Blocks of a page with tables (ruled tables, unruled tables and paragraphs, in order),
    and the columns of an unruled table that ends the page (its continuation on the next page
    has no header to learn them from). ``carried`` are such columns from the previous page;
    ``runs_on``: the previous page ended in a table."""
    placed: list[tuple[float, Block]] = []
    boxes: list[tuple[float, float, float, float]] = []
    for bbox, rows in _ruled_tables(scan, runs_on):
        placed.append((bbox[1], Table(rows=rows, page=scan.number)))
        boxes.append(bbox)
    last_columns: Columns = []
    last_end = 0.0  # where the last unruled table ends on the page
    banded: list[tuple[float, float, float, float]] = []
    for bbox, rows, columns in _banded_tables(scan, boxes, carried):
        placed.append((bbox[1], Table(rows=rows, page=scan.number)))
        banded.append(bbox)
        last_columns, last_end = columns, bbox[3]
    boxes += banded
    words = [w for w in scan.words if not any(_inside(w, box) for box in boxes)]
    # a number wrapped in its cell leaves a line of tails (，343) that would end the table
    lines = _join_wrapped_numbers(_lines(words))
    runs = _tabular_runs(lines)
    if carried and len(lines) >= 2 and _split_row_tail(lines[0], lines[1], carried):
        # the tail of the previous page's last row, cut by the break: it opens the table
        # continued here, even one whose only other row is the last (四、结转下年度继续办理)
        if runs and runs[0][0] == 1:
            runs[0] = (0, runs[0][1])
        elif _is_tabular(lines[1]) and not (runs and runs[0][0] <= 1):
            runs.insert(0, (0, 2))
    for n, (start, end) in enumerate(runs):
        # only a table opening the page continues the previous page's
        opens = n == 0 and not any(box[3] <= lines[start].top + 1 for box in banded)
        rows, columns = _unruled_rows(lines[start:end], carried if opens else ())
        if rows:
            placed.append((lines[start].top, Table(rows=rows, page=scan.number)))
            bottom = lines[end - 1].foot
            for line in lines[start:end]:
                line.words = []
            if bottom > last_end:  # the lowest table is the one that runs on
                last_columns, last_end = columns, bottom
    prose = [ln for ln in lines if ln.words]
    placed.extend(_prose_blocks_placed(prose, scan.height))
    placed.sort(key=lambda item: item[0])
    # The table runs on only when nothing but page furniture follows it on this page
    ends_page = not any(ln.top > last_end and not _is_page_furniture(ln, scan.height) for ln in prose)
    ends_page = ends_page and not any(box[1] > last_end for box in boxes)
    return [block for _, block in placed], (last_columns if ends_page else [])


def _opens_with_row_tail(scan: PageScan, columns: Columns) -> bool:
    """Whether the page opens with the tail of the previous page's last row (see
    :func:`_split_row_tail`) over a row of figures: a table page even when that row is all
    that is left of the table."""
    lines = _lines(scan.words)
    return len(lines) >= 2 and _is_tabular(lines[1]) and _split_row_tail(lines[0], lines[1], columns)


def _split_row_tail(line: Line, below: Line, columns: Columns) -> bool:
    """Whether ``line``, atop a page whose table continues the previous page's (``columns``),
    holds only the tails of numbers of that page's last row (Word breaks a row across pages,
    a number wrapped in its cell included): pieces of numbers each within a figure column and
    ending where it ends, close above the table's first row (a page number sits elsewhere)."""
    words = _merged_runs([line], figures=False)[0].words
    return bool(words) and below.top - line.bottom < 3 * line.height and all(
        _PIECE.match(w.text.replace(" ", "")) and any(
            c[0] - 1 <= w.x0 and abs(w.x1 - c[1]) < 3.5 for c in columns) for w in words)


# --- tables ruled by horizontal lines only --------------------------------------------------

_MIN_BANDS = 4  # rows set apart by rules; a 三线表 (3 rules) is left to the unruled reading
_BAND_GAP = 120.0  # points: rules further apart than this belong to different tables
_DIGIT = re.compile(r"[\d０-９]")
_FULLWIDTH_FIGURE = re.compile(r"^[０-９，．]+$")
# ASCII digits: full-width pieces join as CJK do (a full-width separator too, but not what
# follows it: 3 / ，5 / 48)
_WRAPPED_HEAD = re.compile(r"^[-+]?\d[\d,.，．]*$")
_WRAPPED_TAIL = re.compile(r"^[,.，．]?\d[\d,.，．]*$")
_CUT_GROUP = re.compile(r"[,，][\d０-９]{1,2}$")  # 1,4 (/ 26): a thousands group cut short
_DIGITS = re.compile(r"^[-+−－＋]?[\d０-９][\d０-９,，.．]*$")
_LONE_SEPARATOR = re.compile(r"^[,，.．]$")
_UNIT = re.compile(r"^(?:件次|人次|件|条|项|个|次|家|起|宗)$")  # 12 | 件: a count's unit set apart
_DASH = re.compile(r"^[—\-－–]$")
_SIGN = re.compile(r"^[-+−－＋增减]$")
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_BAND_PAD = 2.5  # points each side of a figure when learning a banded table's columns
_SECTION_TITLE = re.compile(r"^[一二三四五六七八九十]+[、.．].*(?:情况|事项)$")


def _banded_tables(scan: PageScan, boxes: list[tuple[float, float, float, float]],
                   carried: Columns = ()) -> list[tuple[tuple[float, float, float, float],  # type: ignore[assignment]
                                                         list[list[str]], Columns]]:
    """(bbox, rows, figure columns) of each table drawn with horizontal rules between its rows
    and no column lines at all (Word/WPS tables with only the inside-horizontal borders on,
    figures right-aligned): the rules give the rows — a label wrapped over many lines, or a
    row whose figures are all blank, is still one row — and the columns are learnt from the
    text as in the unruled reading (``_columns``). Rules that stop short at the left (under
    the cells merged down the label columns) mark the label columns' boundaries. The first
    table on a page with no head of its own continues ``carried``, the previous page's."""
    rules = [e for e in scan.edges if e["orientation"] == "h" and e["width"] >= 20
             and not any(_box_within((e["x0"], e["top"], e["x1"], e["bottom"]), b) for b in boxes)]
    verticals = [e for e in scan.edges if e["orientation"] == "v" and e["height"] >= _MIN_EDGE]
    out: list[tuple[tuple[float, float, float, float], list[list[str]], Columns]] = []
    for group in _rule_groups(rules):
        for ys in _table_bands(group, scan.words):
            # a few rows carried over from the previous page are a table too
            if len(ys) < _MIN_BANDS + 1 and not (carried and not out and len(ys) >= 3):
                continue
            table = _banded_table(scan.words, group, ys, verticals,
                                  carried if not out else ())
            if table is not None:
                out.append(table)
    return out


def _table_bands(group: list[dict], words: list[Word]) -> list[list[float]]:
    """The rule positions of each table in a group of stacked rules: a band holding a section
    heading (三、收到和处理政府信息公开申请情况, maybe with a lead-in paragraph) lies between
    two tables."""
    ys = _positions([e["top"] for e in group])
    x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
    tables: list[list[float]] = [[ys[0]]] if ys else []
    for top, bottom in itertools.pairwise(ys):
        band = _lines([w for w in words if top <= (w.top + w.bottom) / 2 < bottom
                       and x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1])
        if any(_SECTION_TITLE.match(re.sub(r"\s+", "", ln.text())) for ln in band):
            tables.append([bottom])
        else:
            tables[-1].append(bottom)
    return [t for t in tables if len(t) >= 3]


def _banded_table(words: list[Word], group: list[dict], ys: list[float], verticals: list[dict],
                  carried: Columns) -> tuple[tuple[float, float, float, float],
                                             list[list[str]], Columns] | None:
    """One table ruled by horizontal lines only (see :func:`_banded_tables`), or None."""
    rules = [e for e in group if ys[0] - 2 <= e["top"] <= ys[-1] + 2]
    bbox = (min(e["x0"] for e in rules), ys[0], max(e["x1"] for e in rules), ys[-1])
    if any(bbox[0] - 2 <= v["x0"] <= bbox[2] + 2 and v["top"] < ys[-1] - 2 and
           v["bottom"] > ys[0] + 2 for v in verticals):
        return None  # column lines too: the ruled readings take it
    # runs touching each other are one text: a producer may cut ``（1）属于`` into ``（``,
    # ``1``, ``）属于`` (a lone ``1`` would pass for a figure) or a title into pieces
    lines = _merged_runs(_lines([w for w in words if _inside(w, bbox)]))
    inner = [w for ln in lines for w in ln.words]
    figures = [w.x0 for w in inner if _is_value(w)]
    if len(figures) < 3 or not any(_DIGIT.search(w.text) for w in inner if _is_value(w)):
        return None  # rules between paragraphs, not a table of figures
    # Body bands start with the first band holding a figure; the header's titles are above.
    first = min((w.top + w.bottom) / 2 for w in inner if _is_value(w) and _DIGIT.search(w.text))
    body_top = max((y for y in ys if y <= first), default=ys[0])
    left_of_figures = min(figures)
    # (a separator of a number wrapped in its cell, ``，`` / ``026``, is not a label)
    # (and only rows with figures: a block's own head row, 信息内容 | 上一年项目数量, is not)
    valued = [(t, b) for t, b in itertools.pairwise(ys)
              if any(_is_value(w) and t <= (w.top + w.bottom) / 2 < b for w in inner)]
    labels = [w for w in inner if (w.top + w.bottom) / 2 >= body_top and not _is_value(w)
              and w.x1 < left_of_figures and _WORD.search(w.text)
              and any(t <= (w.top + w.bottom) / 2 < b for t, b in valued)]
    starts = _positions([e["x0"] for e in rules if bbox[0] + 5 < e["x0"] <= left_of_figures + 1])
    label_end: float | None = None
    if labels:
        label_end = max(w.x1 for w in labels) + 0.5
        # a rule that stops short under a header spanning the figures (申请人情况) starts
        # exactly where they begin
        label_end = max([label_end] + [x for x in starts if x > label_end])
    right = [w for w in inner if label_end is None or (w.x0 + w.x1) / 2 > label_end]
    right_lines = _lines(right)
    inherited = carried if not _has_header(right_lines, carried) else ()
    if inherited and all(any(pdf_columns.overlaps((w.x0, w.x1), c) for c in inherited)
                         for w in right if _is_value(w)):
        # the previous page's part had the head, so it knows every column (blank ones too)
        figure_columns = list(inherited)
    else:
        # figures a little widened: the ink of a right-aligned ``—`` or ``/`` stops short of
        # the digits' right edge, and cells are set further apart than that by their padding
        columns, labelled = _columns(right_lines, inherited, pad=_BAND_PAD)
        figure_columns = columns[1:] if labelled else columns
    if len(figure_columns) < 1:
        return None
    splits = [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(figure_columns)]
    # label sub-columns: where rules stop short at the left (cells merged down to their left)
    inner_starts = [x for x in starts if label_end is not None and x < label_end - 2]
    rows = []
    for top, bottom in itertools.pairwise(ys):
        band = [w for w in inner if top <= (w.top + w.bottom) / 2 < bottom]
        if not band:
            continue
        # a label boundary holds in this band when a rule at its top or bottom starts there
        # or further right (the cells left of that start are merged down past this row)
        edge = max((e["x0"] for e in rules if abs(e["top"] - top) < 2 or abs(e["top"] - bottom) < 2
                    if e["x0"] in inner_starts or any(abs(e["x0"] - x) < 2.5 for x in inner_starts)),
                   default=None)
        xs = [bbox[0] - 1] + ([x for x in inner_starts if x <= edge + 2] if edge is not None else [])
        xs += ([label_end] if label_end is not None else []) + splits + [bbox[2] + 1]
        cells: list[list[Word]] = [[] for _ in range(len(xs) - 1)]
        for word in band:
            k = bisect.bisect_right(xs, (word.x0 + word.x1) / 2) - 1
            cells[min(max(k, 0), len(cells) - 1)].append(word)
        filled = [c for c in cells if c]
        if len(filled) == 1 and not any(_is_value(w) for w in filled[0]) and \
                _centred_title(filled[0][0], lines, [(x0, x1) for x0, x1 in figure_columns]):
            rows.append([_cell("\n".join(ln.text() for ln in _lines(filled[0])))])
            continue  # a title over the table (第二十条第（五）项)
        rows.append([_cell("\n".join(ln.text() for ln in _lines(ws))) if ws else ""
                     for ws in cells])
    return (bbox, rows, figure_columns) if len(rows) >= 2 else None


def _merged_runs(lines: list[Line], figures: bool = True) -> list[Line]:
    """Lines whose adjacent runs touching each other are one run: a PDF producer may cut a
    title (尚 / 未审结) into runs that would each look like a column's, or an item number
    (（ / 1 / ）属于) into runs one of which looks like a figure. Cells are set apart by their
    padding, so runs of different cells never touch. ``figures=False`` joins text runs, and
    figures only by the sign / full-width rule."""
    out = []
    for line in lines:
        words: list[Word] = []
        size = _text_size(line)
        for w in line.words:
            prev = words[-1] if words else None
            # full-width digits are set one em apart, so their ink leaves wider gaps
            # and a sign is a run of its own whose ink is a dash (－ / 5)
            # and so is a thousands separator between the digits (1 / ， / 308)
            wide = prev is not None and w.x0 - prev.x1 < 0.8 * size and (
                _FULLWIDTH_FIGURE.match(prev.text) and _FULLWIDTH_FIGURE.match(w.text)
                or _SIGN.match(prev.text) and _DIGIT.match(w.text)
                or _DIGITS.match(prev.text) and _LONE_SEPARATOR.match(w.text)
                or _DIGITS.match(prev.text) and _UNIT.match(w.text)
                or _DIGITS.match(prev.text) and _LONE_SEPARATOR.match(prev.text[-1])
                and _DIGITS.match(w.text))
            # a full-width separator's ink sits at the left of its em: the gap after it is
            # nearly a whole em (３ | ， | ８ of ３，８４２ printed glyph by glyph)
            wide = wide or prev is not None and prev.text[-1:] in ("，", "．") and \
                bool(_DIGITS.match(prev.text)) and bool(_DIGIT.match(w.text)) and \
                w.x0 - prev.x1 < 1.35 * size
            if not figures and prev is not None and (_is_figure(prev) or _is_figure(w)) and \
                    (_DIGIT.search(prev.text) or _DIGIT.search(w.text)):
                # columns of an unruled table may stand closer than that: only a number
                # printed glyph by glyph (a run of one glyph) is joined (a ``/`` touching
                # text, as in 本年增 / ``/`` / 减, is text)
                wide = bool(wide) and (len(prev.text) == 1 or len(w.text) == 1
                                       or bool(_LONE_SEPARATOR.match(prev.text[-1])))
                touching = False
            else:
                touching = prev is not None and w.x0 - prev.x1 < 0.4 * min(w.height, prev.height)
                # 无 of a label wrapped in a narrow cell (（四）无 / 法提供) is no blank marker:
                # it follows its text closer than cells stand (their padding alone is wider)
                touching = touching or prev is not None and w.text == "无" and \
                    not _is_figure(prev) and bool(_WORD.search(prev.text)) and w.x0 - prev.x1 < 0.9 * size
            if prev is not None and (wide or touching):
                words[-1] = Word(prev.text + w.text, prev.x0, max(prev.x1, w.x1),
                                 min(prev.top, w.top), max(prev.bottom, w.bottom))
            else:
                words.append(w)
        out.append(Line(words, line.reach))
    return out


def _rule_groups(rules: list[dict]) -> list[list[dict]]:
    """Horizontal rules stacked over each other (overlapping in x, each within
    ``_BAND_GAP`` of the one above): one group per table."""
    groups: list[list[dict]] = []
    for rule in sorted(rules, key=lambda e: e["top"]):
        for group in groups:
            if rule["top"] - max(e["top"] for e in group) <= _BAND_GAP and \
                    rule["x0"] < max(e["x1"] for e in group) and rule["x1"] > min(e["x0"] for e in group):
                group.append(rule)
                break
        else:
            groups.append([rule])
    return groups


def _prose_blocks_placed(lines: list[Line], page_height: float) -> list[tuple[float, Block]]:
    out: list[tuple[float, Block]] = []
    # the text column's right edge is the page's, not that of a few lines between two tables
    right = max((ln.x1 for ln in lines if not _is_page_furniture(ln, page_height)), default=None)
    # Split into runs of consecutive lines so paragraph joining never crosses a table.
    for line_group in _contiguous(lines):
        for block in _prose_blocks(line_group, page_height, right):
            out.append((line_group[0].top + len(out) * 1e-6, block))
    return out


def _contiguous(lines: list[Line]) -> list[list[Line]]:
    groups: list[list[Line]] = []
    for line in lines:
        if groups and line.top - groups[-1][-1].bottom < 2.5 * line.height:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _inside(word: Word, box: tuple[float, float, float, float]) -> bool:
    cx = (word.x0 + word.x1) / 2
    cy = (word.top + word.bottom) / 2
    return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1


_BUCKET = 12.0  # points of page height per bucket when matching words to cells


def _cell_words(cells: list[tuple[float, float, float, float]],
                words: list[Word]) -> dict[tuple[float, float, float, float], list[Word]]:
    """The words of each cell: those whose centre lies in its box.

    Cells are bucketed by height so each word is tested against a few cells, not all.
    """
    buckets: dict[int, list[tuple[float, float, float, float]]] = {}
    for cell in cells:
        for k in range(int(cell[1] // _BUCKET), int(cell[3] // _BUCKET) + 1):
            buckets.setdefault(k, []).append(cell)
    found: dict[tuple[float, float, float, float], list[Word]] = {cell: [] for cell in cells}
    for word in words:
        cy = (word.top + word.bottom) / 2
        for cell in buckets.get(int(cy // _BUCKET), ()):
            if _inside(word, cell):
                found[cell].append(word)
                break
    return found


def _cell(text: str | None) -> str:
    if not text:
        return ""
    # pdfplumber joins the lines of a wrapped cell with "\n"; in Chinese they join with nothing
    parts = [p.strip() for p in text.split("\n")]
    out = ""
    for part in parts:
        if _SEPARATOR.match(part) and _WRAPPED_TAIL.match(part.replace(" ", "")):
            part = part.replace(" ", "")  # a separator set apart from its digits (， 5)
        # a number too wide for its cell wraps between its digits (1 / 308): no space there
        head = _WRAPPED_HEAD.match(out.rsplit(" ", 1)[-1])
        # (a separator may stand alone on its line between the pieces: 1 / ， / 262)
        wrapped = bool(head and (_WRAPPED_TAIL.match(part) or _LONE_SEPARATOR.match(part)))
        if out and not wrapped and not (_CJK.search(out[-1:]) or _CJK.search(part[:1])):
            out += " "
        out += part
    return clean_text(out)


# --- unruled tables ------------------------------------------------------------------------

_SECTION = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")


def _numbers(line: Line) -> int:
    return sum(1 for w in line.words if _NUMERIC.match(w.text.replace(" ", "")))


def _text_size(line: Line) -> float:
    """The size of a line's type: the height of its CJK runs (digits and Latin letters are
    shorter than the font size), or of any run when it has none."""
    cjk = [w.height for w in line.words if _CJK.search(w.text)]
    return max(cjk) if cjk else line.height


def _label_row(line: Line, size: float) -> bool:
    """A short line set in the table's type size: a row whose values are all blank."""
    # (counted in cells, not runs: a producer may print a label glyph by glyph, 全|一|稳|定)
    return _wide_gaps(line) <= 2 and abs(_text_size(line) - size) <= 0.15 * size \
        and len(line.text()) <= 40


def _tabular_runs(lines: list[Line]) -> list[tuple[int, int]]:
    """Index ranges of lines forming an unruled table, with at least two lines carrying
    numbers: tabular lines, plus, between and after them, lines set in the table's type size
    (rows whose every value is blank leave only their label) and short label fragments
    squeezed between tabular lines. A section heading ends the table unless a tabular line
    follows it, it keeps the table's row spacing, or the table is set smaller than the prose
    around it."""
    prose_sizes = sorted(_text_size(ln) for ln in lines if not _is_tabular(ln))
    prose_size = prose_sizes[len(prose_sizes) // 2] if prose_sizes else 0.0
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if not _is_tabular(lines[i]):
            i += 1
            continue
        end = i + 1
        sizes = [_text_size(lines[i])]
        while end < len(lines):
            line = lines[end]
            if line.top - lines[end - 1].foot > 3 * line.height:
                break
            follows = end + 1 < len(lines) and _is_tabular(lines[end + 1]) \
                and lines[end + 1].top - line.bottom < 2 * line.height
            # a tabular line soon after, past a wrapped label's last line or two
            soon = any(_is_tabular(lines[j]) and lines[j].top - line.foot < 3 * (j - end) * line.height
                       for j in range(end + 1, min(end + 4, len(lines))))
            size = sorted(sizes)[len(sizes) // 2]
            heading = bool(_SECTION.match(line.text()))
            # set at the table's own row spacing: a heading-like label (四、结转下年度继续办理)
            # is a row; a heading after the table has space of its own above it
            gap = line.top - lines[end - 1].foot
            in_step = gap <= 1.15 * max(b.top - a.foot for a, b in
                                        itertools.pairwise(lines[i:end])) if end - i >= 2 else False
            if _is_tabular(line):
                sizes.append(_text_size(line))
                end += 1
            elif _wide_gaps(line) <= 1 and len(line.text()) <= 24 and follows and not heading:
                end += 1  # a wrapped label fragment inside the table
            elif _label_row(line, size) and (soon or not heading or in_step
                                             or size < 0.85 * prose_size):
                end += 1  # a row that is all label: its values are blank
            else:
                break
        size = sorted(sizes)[len(sizes) // 2]
        floor = runs[-1][1] if runs else 0
        while i > floor and _label_row(lines[i - 1], size) and \
                not _SECTION.match(lines[i - 1].text()) and \
                lines[i].top - lines[i - 1].bottom <= 3 * lines[i].height:
            i -= 1  # label-only rows heading a table part (its continuation on a new page)
        # at least a header and a row of figures (table 二's 第二十条第（五）项 block is one)
        if end - i >= 2 and any(_numbers(ln) for ln in lines[i:end]):
            runs.append((i, end))
        i = end
    return runs


def _is_figure(word: Word) -> bool:
    return bool(_NUMERIC.match(word.text.replace(" ", "")))


def _is_value(word: Word) -> bool:
    """A figure that is not an item number (``2.`` of ``2.重复申请`` drawn as its own run)."""
    return _is_figure(word) and not re.match(r"^\d+[.．、]$", word.text.strip())


def _segments(lines: list[Line]) -> list[list[Line]]:
    """Split a run where, after rows with figures, a row without figures has text over the
    figures (a new header: 第二十条第（X）项 and its column titles, or the next table), which
    brings its own column layout. A row holding only a label (every value blank) does not
    split: its text stays left of the figures."""
    segments: list[list[Line]] = [[]]
    figures_x0: float | None = None  # leftmost figure of the current segment
    for line in lines:
        # item numbers (``2.`` of ``2.其他法律…``, a run of its own) stand among the labels:
        # the fragment of a label wrapped under them (开) is no head over the figures
        values = [w for w in line.words if _is_value(w)]
        if not values and figures_x0 is not None and \
                any((w.x0 + w.x1) / 2 > figures_x0 for w in line.words):
            segments.append([])
            figures_x0 = None
        segments[-1].append(line)
        if values:
            x0 = min(w.x0 for w in values)
            figures_x0 = x0 if figures_x0 is None else min(figures_x0, x0)
    return [seg for seg in segments if seg]


Columns = list[tuple[float, float]]


def _columns(lines: list[Line], inherited: Columns = (),  # type: ignore[assignment]
             pad: float | None = None) -> tuple[Columns, bool]:
    """(column x-intervals, whether the first is a label column).

    Figure columns come from the x-extents of the figures of *all* rows and from header texts
    standing over no figure (a column every row left blank), never from counting a row's
    values (pdf_columns.py); a continuation of a table from the previous page keeps that
    part's columns. The label column holds the row labels: the text left of the first figure
    on rows that carry figures (header labels, centred over their columns, do not count)."""
    # A blank marker (—, /, 无) right-aligned beside digits has ink stopping short of theirs:
    # widened more than a number, so it still shares their column. ``pad`` widens all alike.
    # Item numbers set as runs of their own (``2.`` | ``重复申请``) are part of the labels.
    figures = [(w.x0 - p, w.x1 + p) for ln in lines for w in ln.words if _is_value(w)
               for p in [pad if pad is not None else 1.0 if _DIGIT.search(w.text) else _BAND_PAD]]
    if not figures:
        return [], False
    label_words = [w for ln in lines if any(_is_value(w) for w in ln.words)
                   for w in itertools.takewhile(lambda w: not _is_value(w), ln.words)]
    # (text runs only: the separator of a number wrapped under the row, ``，`` / ``147``, is no label)
    label_end = max((w.x1 for w in label_words if _WORD.search(w.text)),
                    default=max((w.x1 for w in label_words), default=None))
    first_figure = min(x0 for x0, _ in figures)
    headers: list[list[tuple[float, float]]] = []  # per header line, top to bottom
    wrapped: list[tuple[float, float]] = []  # first lines of titles wrapped onto two lines
    header_ys: list[tuple[float, float]] = []  # each header line's top and bottom
    wrapped_ys: list[tuple[float, float]] = []  # top of a wrapped title, bottom of its last line
    seen: list[Word] = []
    # the head's leftmost text that does not start where row labels start (a row whose
    # values are all blank can come before the first figures)
    label_x0 = min((w.x0 for w in label_words), default=0.0)
    head = list(itertools.takewhile(lambda ln: not _numbers(ln), lines))
    leftmost = min((w for ln in head for w in ln.words if w.x0 > label_x0 + w.height),
                   key=lambda w: w.x0, default=None)
    # titles come from the head only: below the first figures, text is labels
    for line in head:
        if _numbers(line) or (len(line.words) == 1 and _centred_title(line.words[0], lines, figures)):
            continue  # a title over the table (第二十条第（五）项), not a column's
        headers.append([])
        header_ys.append((line.top, line.bottom))
        for w in line.words:
            seen.append(w)
            if label_end is not None and w.x0 <= label_end + 1:
                continue
            if any(pdf_columns.overlaps((w.x0, w.x1), (u.x0, u.x1)) and
                   0 <= w.top - u.bottom < 0.6 * u.height for u in seen[:-1]):
                continue  # the second line of a wrapped title (社会公益组 / 织)
            if w is leftmost and label_end is not None and w.x1 < first_figure and \
                    w.x0 - label_end < first_figure - w.x1:
                # the label column's own header (信息内容), wider than its labels: the head's
                # leftmost text, nearer the labels than the figures (others: blank columns')
                label_end = w.x1
                continue
            below = [u for ln in lines for u in ln.words
                     if pdf_columns.overlaps((w.x0, w.x1), (u.x0, u.x1))
                     and 0 <= u.top - w.bottom < 0.6 * w.height]
            if below:
                wrapped.append((w.x0, w.x1))  # a title's first line: level with single-line titles
                wrapped_ys.append((w.top, max(u.bottom for u in below)))
                continue
            headers[-1].append((w.x0, w.x1))
    target = None
    if wrapped_ys:
        # single-line titles set between the two lines of wrapped ones (centred in a tall head
        # cell: 总计 beside 尚未 / 审结) stand level with them too
        lo, hi = min(t for t, _ in wrapped_ys), max(b for _, b in wrapped_ys)
        inside = [i for i, (t, b) in enumerate(header_ys) if headers[i] and lo - 1 <= (t + b) / 2 <= hi + 1]
        if inside:
            target = headers[inside[-1]]
            for i in inside[:-1]:
                target.extend(headers[i])
                headers[i] = []
    filled = [line for line in headers if line]
    if wrapped:
        if target is None:
            target = filled[-1] if filled else None
        if target is not None:
            target.extend(wrapped)
        else:
            headers.append(wrapped)
    if inherited and all(any(pdf_columns.overlaps(f, c) for c in inherited) for f in figures):
        # a continuation without its head: the part with the head knew every column
        grid = list(inherited)
    else:
        grid = pdf_columns.column_grid(figures, headers, inherited)
    if label_words:
        return [(min(w.x0 for w in label_words), label_end)] + grid, True  # type: ignore[list-item]
    return grid, False


def _centred_title(word: Word, lines: list[Line], figures: list[tuple[float, float]]) -> bool:
    """Whether a text alone on its line is a title over the table (centred over it, or over
    two or more figures' columns) rather than the first line of a column's wrapped title (its
    next line follows right under it)."""
    if any(pdf_columns.overlaps((w.x0, w.x1), (word.x0, word.x1))
           and 0 <= w.top - word.bottom < 0.6 * word.height for ln in lines for w in ln.words):
        return False
    left = min(w.x0 for ln in lines for w in ln.words)
    right = max(x1 for _, x1 in figures)
    centre = (word.x0 + word.x1) / 2
    over = {round(x0) for x0, x1 in pdf_columns.merge_spans(figures) if x0 < word.x1 and x1 > word.x0}
    return abs(centre - (left + right) / 2) < 0.1 * (right - left) or len(over) >= 2


def _column_of(word: Word, columns: Columns, has_label: bool) -> int:
    """Column 0 for text within the label column; otherwise the figure column the word
    overlaps (or the nearest, for a header over several)."""
    first = 1 if has_label else 0
    if has_label and ((word.x0 + word.x1) / 2 <= columns[0][1] or first >= len(columns)
                      or word.x1 <= columns[1][0]):
        return 0
    return first + pdf_columns.column_of((word.x0, word.x1), columns[first:])


def _is_title(line: Line, columns: Columns, has_label: bool, first: bool) -> bool:
    """A single text outside the label column, over two or more figure columns or opening a
    table part: a title such as 第二十条第（五）项."""
    if len(line.words) != 1 or _is_figure(line.words[0]):
        return False
    if has_label and _column_of(line.words[0], columns, has_label) == 0:
        return False
    figure_columns = columns[1:] if has_label else columns
    if sum(pdf_columns.overlaps((line.x0, line.x1), c) for c in figure_columns) >= 2:
        return True
    # opening a part, centred over the table (第二十条第（五）项), not a column title's line
    middle = (columns[0][0] + columns[-1][1]) / 2
    return first and abs((line.x0 + line.x1) / 2 - middle) < 0.15 * (columns[-1][1] - columns[0][0])


def _has_header(segment: list[Line], columns: Columns) -> bool:
    """Whether lines before the first figures of ``segment`` have text over ``columns``."""
    for line in segment:
        if _numbers(line):
            return False
        if any(pdf_columns.overlaps((w.x0, w.x1), c) for w in line.words for c in columns):
            return True
    return False


def _unruled_rows(lines: list[Line], inherited: Columns = ()) -> tuple[list[list[str]], Columns]:  # type: ignore[assignment]
    """Rows of an unruled table, and the figure columns of its last part (a continuation on the
    next page, without a header of its own, reuses them)."""
    rows: list[list[str]] = []
    columns: Columns = []
    # a head cut into runs (尚 / 未审结) is one title; figures stay as they are (columns of
    # an unruled table may be set closer than a cell's padding)
    lines = _merged_runs(lines, figures=False)
    for n, segment in enumerate(_segments(lines)):
        # only a first part without a header of its own (no text over the columns before its
        # first figures) continues the previous page's table
        carried = inherited if n == 0 and not _has_header(segment, inherited) else ()
        columns, has_label = _columns(segment, carried)
        if len(columns) < 2:
            rows.extend([_join_words(ln.words)] for ln in segment)
            continue
        seg_rows: list[list[str]] = []
        for k, line in enumerate(segment):
            if _is_title(line, columns, has_label, first=k == 0):
                seg_rows.append([clean_text(line.text())])
                continue
            cells: list[list[Word]] = [[] for _ in columns]
            for word in line.words:
                cells[_column_of(word, columns, has_label)].append(word)
            seg_rows.append([clean_text(_join_words(c)) for c in cells])
        joined = _join_header_lines(segment, seg_rows)
        kept = segment[len(segment) - len(joined):]  # header lines joined are at the top
        rows.extend(_join_fragments(joined, _close_lines(kept)))
        columns = columns[1:] if has_label else columns
    return rows, columns


def _join_wrapped_numbers(lines: list[Line]) -> list[Line]:
    """Lines holding only the tails of numbers wrapped in their cells (``4`` / ``，343``: Word
    breaks a number too wide for its cell at its separator, or between digits) joined to the
    figures they continue: each tail sits right under a figure of the line above, ends where
    it ends (right-aligned) or is centred under it, and follows as closely as the lines of one
    cell do. The tails may share their line with the wrapped lines of the row's labels
    (``提供`` | ``息`` | ``，147`` under ``（四）无法`` | ``1.本机关不掌握相关政府信`` | ``1``):
    those stay a line of their own, a label fragment for the row reading to join."""
    out: list[Line] = []
    merged: list[Line] = []  # out's lines on merged runs (each line is merged once)
    anchor: int | None = None  # the line of out whose numbers the last tails joined
    for line in lines:
        k = anchor if anchor is not None else len(out) - 1
        # (the row's figures as whole runs: １ | ， is the head ``１，`` of ０８ / ６ below)
        above = Line(merged[k].words, out[k].reach) if out else None
        heads = [w for w in above.words if _is_value(w)] if above is not None else []
        # digits alone (１８１ / ３: a number wider than its cell) only right-aligned with
        # the figure and under a labelled row (a row of its own would carry a label) or
        # under some of an unlabelled row's figures
        labelled = above is not None and any(not _is_figure(w) for w in above.words)
        # runs touching are one (无 | 法 → 无法, not a blank marker), and full-width digits
        # printed glyph by glyph (３ | ９) one tail
        this = _merged_runs([line], figures=False)[0]
        words = this.words
        labels: list[Word] = []
        digits = [h.x0 for h in heads if _DIGIT.search(h.text)]
        if digits and labelled:
            # (digits only: the 无 of 无法 cut into runs of its own passes for a blank marker)
            first = min(digits)
            labels = list(itertools.takewhile(
                lambda w: w.x1 < first and not _is_figure(w) and not _DIGIT.search(w.text),
                words))
            while labels and _LONE_SEPARATOR.match(labels[-1].text):
                labels.pop()  # the ， of ， | 002 (a number's tail), not of the label
            if labels and _HEADING.match(labels[0].text):
                labels = []  # an item number opens the next row's label
        tails = _number_tails(Line(words[len(labels):])) if len(labels) < len(words) else []
        if labels and above is not None and line.top - above.foot >= 0.6 * _text_size(above):
            tails = []  # beside a label's next line, only as close as the lines of one cell
        # (a row of digits alone, table 四's, has ink shorter than its type: full-width
        # digits stand about 0.75 em tall)
        size = _text_size(above) if above is not None else 0.0
        if above is not None and not _IDEOGRAPH.search(above.text()):
            size *= 1.3
        if above is not None and tails and line.top - above.foot < 0.8 * size:
            pairs = []
            for tail in tails:
                bare = not _LONE_SEPARATOR.match(tail.text[:1])
                # (a full-width separator ending the head, ２， / ８４, inks only the left of
                # its em: the digits under it end further right)
                head = next((h for h in heads if abs(h.x1 - tail.x1) < (1.5 if bare else 2.5)
                             or not bare and abs((h.x0 + h.x1) / 2 - (tail.x0 + tail.x1) / 2) < 2.5
                             or _LONE_SEPARATOR.match(h.text[-1:])
                             and 0 <= tail.x1 - h.x1 < 0.6 * _text_size(above)), None)
                # under a row without a label (table 四's), tails under some of its figures
                # only: a row of its own would print all of its columns
                if head is None or (bare and not labelled and len(tails) >= len(heads)) \
                        or bool(_DASH.match(tail.text)) != bool(_DASH.match(head.text)):
                    break
                pairs.append((head, tail))
            else:
                # beside a label, tails under every figure of the row, one as wide as its
                # head, are a row of its own set close (行政规范性文件 | １０ | ５ | ８２ under
                # 规章 | １１ | ５ | ５７); the rest of a number wrapped is narrower
                if labels and len(pairs) >= len(heads) and \
                        any(t.x1 - t.x0 > h.x1 - h.x0 - 1 for h, t in pairs):
                    pairs = []
            if pairs and len(pairs) == len(tails):
                joined = {id(h): t for h, t in pairs}
                out[k] = Line([Word(w.text + joined[id(w)].text, min(w.x0, joined[id(w)].x0),
                                    max(w.x1, joined[id(w)].x1), w.top, w.bottom)
                               if id(w) in joined else w for w in above.words], line.bottom)
                merged[k] = out[k]
                if labels:
                    out.append(Line(labels))
                    merged.append(out[-1])
                anchor = k
                continue
        out.append(line)
        merged.append(this)
        anchor = None
    return out


def _number_tails(line: Line) -> list[Word]:
    """The line's runs as number tails (``，343``, ``３``; a lone separator run joins the
    digits after it, or stands alone; a dash, the second of a ``——`` blank marker wrapped),
    or [] when anything else is on the line."""
    tails: list[Word] = []
    for w in line.words:
        text = w.text.replace(" ", "")
        if tails and _LONE_SEPARATOR.match(tails[-1].text) and _DIGITS.match(text) \
                and w.x0 - tails[-1].x1 < 0.8 * w.height:  # (beside it, not a column away)
            prev = tails.pop()
            tails.append(Word(prev.text + text, prev.x0, w.x1, min(prev.top, w.top),
                              max(prev.bottom, w.bottom)))
        elif _LONE_SEPARATOR.match(text) or re.match(r"^[,，.．]?[\d０-９][\d０-９,，.．]*$", text) \
                or _DASH.match(text):
            tails.append(w)
        else:
            return []
    # (a separator alone, ``1`` / ``，`` / ``26``, is a tail too: the next line's digits follow it)
    return tails


def _join_header_lines(lines: list[Line], rows: list[list[str]]) -> list[list[str]]:
    """Join the wrapped lines of column titles: above the first figures, a line close under
    an earlier one (not necessarily the previous: titles centred in a tall head row sit at
    different heights) with text only in columns where that one has text continues it
    (社会公益 / 组织 → 社会公益组织)."""
    out: list[list[str]] = []
    bottoms: list[float] = []  # where each row of ``out`` ends on the page
    for n, (line, row) in enumerate(zip(lines, rows)):
        if _numbers(line):
            return out + [list(r) for r in rows[n:]]
        filled = [k for k, text in enumerate(row) if text]
        above = next((i for i in range(len(out) - 1, -1, -1)
                      if len(out[i]) == len(row) > 1 and all(out[i][k] for k in filled)
                      and 0 <= line.top - bottoms[i] < 0.6 * _text_size(line)), None)
        if above is not None:
            for k in filled:
                glue = "" if _CJK.search(out[above][k][-1:]) or _CJK.search(row[k][:1]) else " "
                out[above][k] += glue + row[k]
            bottoms[above] = line.bottom
        else:
            out.append(list(row))
            bottoms.append(line.bottom)
    return out


def _close_lines(lines: list[Line]) -> list[bool]:
    """For each line, whether it follows the previous one as the wrapped lines of one cell do
    (a gap under half its type size); rows set apart by cell padding are further apart."""
    return [n > 0 and line.top - lines[n - 1].foot < 0.5 * _text_size(line)
            for n, line in enumerate(lines)]


def _join_fragments(rows: list[list[str]], close: list[bool] | None = None) -> list[list[str]]:
    """Merge a label wrapped over lines (a row with one text cell and no figures) into the
    label of the row it belongs to. A fragment starting with an item number opens the next
    row's label when that row's label goes on without one (a label whose first line sits
    above its figures); otherwise it is a row of its own whose values are all blank. Any
    other fragment continues the previous row's label. A fragment is never glued to a
    figure: without a label cell to join it stays a row of its own. A one-cell row (a title
    over the whole table) stands alone. ``close[n]`` says row n follows row n-1 as closely as
    the lines of one cell do; a fragment set further apart is a row of its own (all blank)."""
    def is_fragment(row: list[str]) -> bool:
        filled = [c for c in row if c]
        return len(row) > 1 and len(filled) == 1 and not _NUMERIC.match(filled[0])

    def is_label(text: str) -> bool:
        return bool(text) and not _NUMERIC.match(text)

    def opens(k: int, following: list[str] | None) -> bool:
        """Whether an item-numbered fragment in column k starts the label of ``following``."""
        return following is not None and not is_fragment(following) and len(following) > k \
            and (not following[k] or (is_label(following[k]) and not _HEADING.match(following[k])))

    def next_row(n: int) -> list[str] | None:
        """The first row after ``n`` that is not a continuation fragment, when the lines
        between are set as one cell's wrapped lines."""
        for m in range(n + 1, len(rows)):
            if not near[m]:
                return None
            if not (is_fragment(rows[m]) and not _HEADING.match(next(c for c in rows[m] if c))):
                return rows[m]
        return None

    near = close if close is not None else [True] * len(rows)

    out: list[list[str]] = []
    pending: list[tuple[int, str]] = []  # fragments waiting for the next row
    for n, row in enumerate(rows):
        if is_fragment(row):
            k = next(i for i, c in enumerate(row) if c)
            previous = out[-1] if out else None
            if _HEADING.match(row[k]):
                if opens(k, next_row(n)):
                    pending.append((k, row[k]))
                    continue
                for j, text in pending:  # they opened nothing: rows of their own
                    out.append([text if i == j else "" for i in range(len(row))])
                pending = []
                out.append(list(row))
            elif not near[n] and not pending:
                out.append(list(row))  # a row apart, not a wrapped line: its values are blank
            elif pending and pending[-1][0] == k:
                pending[-1] = (k, pending[-1][1] + row[k])
            elif previous is not None and len(previous) > k and is_label(previous[k]):
                previous[k] += row[k]
            else:
                pending.append((k, row[k]))
            continue
        row = list(row)
        figures = any(c and _NUMERIC.match(c) for c in row)
        for k, text in reversed(pending):
            # a title's stray line never fills a blank value cell of a row of figures
            if len(row) > k and (is_label(row[k]) or not row[k]) and (k == 0 or not figures):
                row[k] = text + row[k]
            else:
                out.append([text if i == k else "" for i in range(max(len(row), k + 1))])
        pending = []
        out.append(row)
    for k, text in pending:
        out.append([text if i == k else "" for i in range(len(rows[0]))])
    return out
