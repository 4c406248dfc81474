"""HTML pages → :class:`Document`: body text as paragraphs, data tables as :class:`Table`.

    >>> page = '<html><head><title>t</title></head><body><p>一、总体情况</p>' \\
    ...        '<table><tr><td>规章</td><td>0</td></tr></table></body></html>'
    >>> doc = read_html(page.encode("gbk"), content_type="text/html; charset=gb2312")
    >>> doc.blocks
    ['一、总体情况', Table(rows=[['规章', '0']], page=None)]

Stages, in order, each for a reason:

1. **decode** (:mod:`parsers.encoding`): HTTP charset, then ``<meta>`` charset, each validated
   against the bytes (servers and CMS templates declare the wrong one).
2. **parse** with lxml's HTML parser; libxml2 caps nesting depth (256), so a page nested
   100,000 deep cannot exhaust the stack, and every walk below is iterative anyway.
3. **metadata** from the whole page, before any trimming: ``<title>``, ``<meta>`` (TRS's
   ArticleTitle/PubDate/ContentSource), the 发布机构/发布日期 line, the TRS URL date.
4. **blocks** in reading order: a *data* table (no nested table, ≥ 2 columns, no essay-long
   cell) becomes a Table; a *layout* table is walked into, so the data table inside it is
   found; every other element boundary or ``<br>`` ends a paragraph.
5. **trim** navigation, sidebars and footers: trafilatura finds the article's main text
   (it handles boilerplate well but garbles tables); the smallest element holding all of that
   text is the article, and paragraphs outside it are dropped (a closing signature inside it
   stays even when trafilatura skipped it); tables are kept wherever they are.
"""

from __future__ import annotations

import functools
import re
from datetime import date

import lxml.html
from lxml import etree

from parsers.document import Block, Document, ParseError, Table
from parsers.encoding import charset_from_content_type, charset_from_meta, decode_bytes
from parsers.readers.common import clean_text, strip_debris

_BR = "\u2028"  # stands for <br>: a line break inside text, a space inside a table cell
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
         "select", "option", "button", "input", "textarea", "head", "map", "audio", "video"}
_BLOCK = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
          "table", "thead", "tbody", "tfoot", "caption", "section", "article", "header", "footer",
          "nav", "aside", "main", "blockquote", "pre", "dl", "dt", "dd", "form", "hr", "center",
          "address", "figure", "figcaption", "fieldset", "legend", "body", "html", "details",
          "summary"}
_PREFORMATTED = {"pre", "xmp", "plaintext", "listing"}
_MAX_CELL = 400  # chars: a longer "cell" is a layout box holding prose, not a table cell
_MAX_TRAFILATURA = 1_500_000  # characters
_MAX_TREE = 30_000  # elements: bigger pages skip trafilatura (and so are not trimmed)
_MAX_SCAN = 2_000  # paragraphs searched from each end for the article's first and last
_MIN_MAIN = 200  # chars: below this trafilatura's main text is too thin to trim by

# 信息公开 metadata tables print the label in one cell and the value in the next, with or
# without a colon (发文机关 | 某某局 | 成文日期 | 2023年01月18日): the formal labels may go
# without one, the loose ones (来源) need it.
_PUBLISHER_LABEL = re.compile(
    r"(?:(?:发布机构|发文机关|发布单位|发布部门|信息来源|文章来源|来源单位|来\s*源)\s*[:：]\s*"
    r"|(?:发布机构|发文机关|发布单位|发布部门)\s+)"
    r"([^\s|｜/【】\[\]]{2,40}?)(?=\s|$|[|｜/【\[]|发布|日期|时间|浏览|点击|字号|作者|责任)")
_DATE_LABEL = re.compile(
    r"(?:(?:发布日期|发布时间|成文日期|印发日期|公开日期|生成日期|发文日期|日\s*期|时\s*间)\s*[:：]\s*"
    r"|(?:发布日期|发布时间|成文日期|印发日期|公开日期|发文日期)\s+)"
    r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_META_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
# Publication dates CMSs write into article URLs: TRS /t20230119_123.html, Hanweb
# /art/2023/1/19/art_1229_456.html.
_TRS_URL_DATE = re.compile(r"/t(20\d{2})(\d{2})(\d{2})_|/art/(20\d{2})/(\d{1,2})/(\d{1,2})/art_")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def read_html(data: bytes, content_type: str | None = None, url: str | None = None) -> Document:
    """Read an HTML page.

    :param data: the page's bytes
    :param content_type: the HTTP Content-Type (its charset is validated, not trusted)
    :param url: the page URL (a TRS ``/t20230119_`` path is a last-resort publication date)
    :raises ParseError: when no HTML document can be built from the bytes
    """
    text, _codec = decode_bytes(data, [charset_from_content_type(content_type),
                                      charset_from_meta(data)])
    # lxml refuses control characters in text it is given later (tails we rewrite)
    text = _XML_DECL.sub("", _CONTROL_CHARS.sub("", text), count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"cannot parse HTML ({exc})") from None
    _inline_srcdoc(root)
    _prepare(root)
    metadata = _page_metadata(root, url)
    title = _article_title(root)
    blocks, owners = _walk(root.find("body") if root.find("body") is not None else root)
    # trafilatura on a multi-megabyte page costs seconds; such pages are not report articles
    small = len(text) <= _MAX_TRAFILATURA and sum(1 for _ in root.iter()) <= _MAX_TREE
    main = _main_text(text) if small else None
    doc = Document(kind="html", title=title, metadata=metadata)
    if main:
        if not title and main.get("title"):
            doc.title = main["title"]
        if main.get("sitename"):
            metadata.setdefault("sitename", main["sitename"])
        blocks = _trim(blocks, owners, main.get("text") or "", doc.title)
    doc.blocks = blocks
    if not doc.title and metadata.get("page_title"):
        doc.title = metadata["page_title"]
    _flag_picture_tables(doc, root)
    return doc


_TABLE_HEADINGS = re.compile(r"主动公开政府信息情况|收到和处理政府信息公开申请情况|行政复议、行政诉讼")


def _is_content_image(img: etree._Element) -> bool:
    """An <img> big enough to hold a table (sizes unknown count: content images rarely say)."""
    for attr in ("width", "height"):
        value = re.match(r"\s*(\d+)", img.get(attr) or "")
        if value and int(value.group(1)) < 200:
            return False
    return True


def _flag_picture_tables(doc: Document, root: etree._Element) -> None:
    """Table headings present as text but no table, and content images on the page: the
    tables are pictures (沈阳浑南区国资局 2022, docs/format.md §6) — flag OCR."""
    if any(isinstance(b, Table) for b in doc.blocks) or not _TABLE_HEADINGS.search(doc.text()):
        return
    images = [img for img in root.iter("img") if _is_content_image(img)]
    if images:
        doc.needs_ocr = True
        doc.warnings.append(f"tables appear to be pictures ({len(images)} images, no table "
                            "text); OCR needed")


def _tag(el: etree._Element) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


_MAX_SRCDOC = 5  # frames inlined per page (a srcdoc may hold frames of its own)


def _inline_srcdoc(root: etree._Element) -> None:
    """An ``<iframe srcdoc="…">`` carries its page in the attribute (some CMS editors embed
    the report that way): its body takes the frame's place. Frames with only a ``src`` are
    other documents and are dropped later."""
    for _ in range(_MAX_SRCDOC):
        frame = next((el for el in root.iter("iframe") if el.get("srcdoc")), None)
        if frame is None:
            return
        holder = etree.Element("div")
        try:
            inner = lxml.html.document_fromstring(frame.get("srcdoc"))
        except (etree.ParserError, ValueError):
            inner = None
        body = inner.find("body") if inner is not None else None
        if body is not None:
            holder.text = body.text
            holder.extend(list(body))
        holder.tail = frame.tail
        frame.getparent().replace(frame, holder)


def _prepare(root: etree._Element) -> None:
    """Drop comments, scripts, hidden elements; mark ``<br>`` so text keeps its line breaks."""
    doomed = [el for el in root.iter() if not isinstance(el.tag, str)]
    hidden = _hidden_by_stylesheet(root)
    for el in root.iter():
        tag = _tag(el)
        if tag in ("input", "textarea") and _in_cell(el) and _field_as_text(el):
            # Form-built statistics pages print each figure in a read-only field
            # (<td><input value="12" readonly></td>): the value is the cell's text.
            continue
        if tag in _DROP and tag != "head":
            doomed.append(el)
        elif tag == "br":
            el.tail = _BR + (el.tail or "")
        elif tag == "sup" and _in_cell(el) and re.fullmatch(r"\s*\d{1,2}\s*", el.text_content()):
            # A footnote number after a figure (12<sup>1</sup>) would join its digits: keep
            # it as a mark the value reader drops (12[1]).
            mark = el.text_content().strip()
            for child in list(el):
                el.remove(child)
            el.text = f"[{mark}]"
        else:
            style = (el.get("style") or "").replace(" ", "").lower()
            if "display:none" in style or "visibility:hidden" in style or el.get("hidden") is not None \
                    or el in hidden:
                doomed.append(el)
    kept = _only_tables(root, doomed)
    for el in doomed:
        if el not in kept:
            _remove_keep_tail(el)
    _div_tables(root)


def _only_tables(root: etree._Element, doomed: list) -> set:
    """The hidden elements (and ``<noscript>``) holding tables, when every table of the page
    is inside one: the page shows its tables as pictures or draws them by script, and keeps
    the figures for screen readers and search engines in a hidden copy or a ``<noscript>``
    fallback — that copy is the table. (A hidden last-year tab beside a visible table stays
    hidden: some table is visible.)"""
    tables = list(root.iter("table"))
    if not tables:
        return set()
    gone = {el for el in doomed if isinstance(el.tag, str)
            and (_tag(el) == "noscript" or _tag(el) not in _DROP)}
    holders = set()
    for table in tables:
        chain = _ancestors(table)
        if not any(a in gone for a in chain) or any(a in doomed and a not in gone for a in chain):
            return set()
        holders.update(a for a in chain if a in gone)
    return holders


_ROW_TAGS = {"div", "li", "ul", "dl", "section"}
_CELL_TAGS = {"div", "span", "p", "li", "dd", "dt", "label", "em", "strong", "b", "font"}
_GRID_FIGURE = re.compile(r"^\s*[\d０-９][\d０-９,，.．]*\s*$")
_MAX_GRID_CELL = 80


def _div_tables(root: etree._Element) -> None:
    """A table built of ``<div>``s (a CSS grid: a box of row boxes, each a box per cell —
    ``<div class="tr"><div class="td">规章</div><div class="td">7</div>…``, or each cell its own
    ``<p>``) becomes a ``<table>``: read as paragraphs, its empty cells vanished and every figure
    after a blank moved up a column. It must look like one: three row boxes or more under one
    box with no text of its own, most rows of two cells or more and some of three (a list of
    titles with their view counts is no table), every cell short, and three cells holding a
    figure alone (表四: three rows of heads, one of figures). The rows may stand in a head box
    and a body box (a stylesheet's thead and tbody), the cells be list items of ``<ul>`` rows."""
    done: set[etree._Element] = set()
    for el in list(root.iter("div", "section", "ul")):
        if el in done or any(a in done or _tag(a) == "table" for a in el.iterancestors()):
            continue
        groups = [c for c in el if isinstance(c.tag, str)]
        # a head box and a body box, each of row boxes (a stylesheet's thead and tbody)
        grouped = 2 <= len(groups) <= 3 and all(
            _tag(g) in _ROW_TAGS and not (g.text or "").strip() and len(g) and all(
                isinstance(r.tag, str) and _tag(r) in _ROW_TAGS and len(r) for r in g)
            and any(len(r) >= 2 for r in g) for g in groups)
        rows = [r for g in groups for r in g] if grouped else groups
        if len(rows) < 3 or (el.text or "").strip() or any(
                _tag(r) not in _ROW_TAGS or (r.text or "").strip() or (r.tail or "").strip() for r in rows):
            continue
        cells = [[c for c in r if isinstance(c.tag, str)] for r in rows]
        if any(_tag(c) not in _CELL_TAGS
               or any(_tag(d) in _ROW_TAGS - {"div"} for d in c.iterdescendants())
               or len(clean_text("".join(c.itertext()))) > _MAX_GRID_CELL
               or (c.tail or "").strip() for row in cells for c in row):
            continue
        wide = sum(1 for row in cells if len(row) >= 2)
        figured = sum(1 for row in cells for c in row if _GRID_FIGURE.match("".join(c.itertext())))
        if wide < 0.8 * len(rows) or figured < 3 or max(len(row) for row in cells) < 3:
            continue
        el.tag = "table"
        for group in groups if grouped else []:
            group.tag = "tbody"
        for row, row_cells in zip(rows, cells):
            row.tag = "tr"
            for cell in row_cells:
                cell.tag = "td"
        done.add(el)


_FIELD_TYPES = {"", "text", "number", "tel"}
# What a figure field may show: digits, separators, signs, units, blank markers (not a search
# box's 请输入关键字).
_FIELD_FIGURE = re.compile(r"^[\s\d０-９,，.．+\-－−—–/／\\无增减件条个项万元]{0,20}$")


def _in_cell(el: etree._Element) -> bool:
    return any(_tag(a) in ("td", "th") for a in el.iterancestors())


def _field_as_text(el: etree._Element) -> bool:
    """Turn a form field inside a table cell into the text it shows, when that is a figure.

    :returns: whether the field became text (otherwise it is dropped like any form control)
    """
    if _tag(el) == "input":
        if (el.get("type") or "").strip().lower() not in _FIELD_TYPES:
            return False  # hidden fields, buttons, check boxes: not printed figures
        text = el.get("value") or ""
    else:
        text = el.text or ""
    if not _FIELD_FIGURE.match(text):
        return False
    el.tag = "span"
    el.attrib.clear()
    for child in list(el):
        el.remove(child)
    el.text = text
    return True


# A page's own stylesheet may hide an element by its class or id (a stale copy of the tables
# in <div class="hide">, 解读 tabs): the rules that set display:none / visibility:hidden,
# outside @media blocks (print styles hide things on paper only).
_CSS_MEDIA = re.compile(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", re.IGNORECASE)
_MAX_CSS = 300_000  # characters of <style> read: a page's own rules are a few kilobytes
_CSS_HIDES = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CSS_SHOWS = re.compile(r"display\s*:\s*(?!none)[a-z-]+|visibility\s*:\s*visible", re.IGNORECASE)
_MAX_CSS_SELECTORS = 300


_CSS_NAMES = re.compile(r"[.#][\w-]+")


@functools.lru_cache(maxsize=4096)
def _css_xpath(selector: str) -> str | None:
    """A CSS selector as XPath (cached: a site's pages repeat one stylesheet), or None."""
    try:
        from lxml.cssselect import LxmlHTMLTranslator

        return LxmlHTMLTranslator().css_to_xpath(selector)
    except Exception:  # noqa: BLE001 - no cssselect, or a selector it cannot translate
        return None


@functools.lru_cache(maxsize=256)
def _compiled(path: str) -> etree.XPath | None:
    try:
        return etree.XPath(path)
    except etree.XPathError:
        return None


def _select(root: etree._Element, selectors: list[str]) -> set[etree._Element]:
    """The elements any of ``selectors`` matches, in one XPath union."""
    paths = [p for p in map(_css_xpath, selectors[:_MAX_CSS_SELECTORS]) if p]
    query = _compiled(" | ".join(paths)) if paths else None
    return set(query(root)) if query is not None else set()


def _hidden_by_stylesheet(root: etree._Element) -> set[etree._Element]:
    """Elements that the page's ``<style>`` rules hide and no other rule shows again.

    Only simple selectors (no pseudo-classes) count; when the hidden elements would take
    every table of the page with them (tabs revealed by script), nothing is hidden.
    """
    css = "\n".join(el.text or "" for el in root.iter("style"))
    if "none" not in css and "hidden" not in css:
        return set()
    if _css_xpath("p") is None:  # cssselect (it comes with Scrapy's parsel) is missing
        return set()
    css = _CSS_MEDIA.sub("", re.sub(r"/\*.*?\*/", "", css[:_MAX_CSS], flags=re.DOTALL))
    hide: list[str] = []
    show: list[str] = []
    for chunk in css.split("}"):  # linear on any input: no regex scans a brace-less run twice
        selectors, _, body = chunk.rpartition("{")
        selectors = selectors.rpartition(";")[2]  # after an @import/@charset line
        if not selectors.strip() or "@" in selectors:
            continue
        target = hide if _CSS_HIDES.search(body) else show if _CSS_SHOWS.search(body) else None
        if target is not None:
            target.extend(s.strip() for s in selectors.split(",") if s.strip() and ":" not in s)
    # Rules about classes or ids the page does not use match nothing: skip them unevaluated.
    present = {f".{c}" for el in root.xpath("//*[@class]") for c in el.get("class").split()}
    present |= {f"#{el.get('id')}" for el in root.xpath("//*[@id]")}
    hide = [sel for sel in hide if set(_CSS_NAMES.findall(sel)) <= present]
    hidden = _select(root, hide)
    if not hidden:
        return set()
    # Only a rule naming a class or id of a hiding rule can show its elements again.
    names = {n for sel in hide for n in _CSS_NAMES.findall(sel)}
    hidden -= _select(root, [sel for sel in show if names & set(_CSS_NAMES.findall(sel))])
    hidden = {el for el in hidden if _tag(el) not in ("html", "body")}
    tables = set(root.iter("table"))
    inside = {t for t in tables if any(a in hidden for a in _ancestors(t))}
    if inside and inside == tables:
        return set()
    return hidden


def _meta(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip().lower()
        content = el.get("content")
        if name and content and name not in found:
            found[name] = clean_text(content)
    return found


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _page_metadata(root: etree._Element, url: str | None) -> dict[str, str]:
    metadata: dict[str, str] = {}
    title_el = root.find(".//title")
    if title_el is not None:
        page_title = clean_text(title_el.text_content())
        if page_title:
            metadata["page_title"] = page_title
    meta = _meta(root)
    body = root.find("body")
    page_text = clean_text(" ".join((body if body is not None else root).itertext()))[:200_000]

    publisher = meta.get("contentsource")
    if not publisher:
        match = _PUBLISHER_LABEL.search(page_text)
        publisher = match.group(1) if match else None
    if publisher:
        metadata["publisher"] = publisher

    published = None
    for key in ("pubdate", "publishdate", "firstpublishedtime", "article:published_time"):
        match = _META_DATE.search(meta.get(key, ""))
        if match:
            published = _iso(*match.groups())
            if published:
                break
    if not published:
        for match in _DATE_LABEL.finditer(page_text):
            published = _iso(*match.groups())
            if published:
                break
    if not published and url:
        match = _TRS_URL_DATE.search(url)
        if match:
            groups = [g for g in match.groups() if g is not None]
            published = _iso(*groups)
    if published:
        metadata["published_date"] = published
    return metadata


def _article_title(root: etree._Element) -> str | None:
    meta = _meta(root)
    for key in ("articletitle", "og:title"):
        if meta.get(key):
            return meta[key]
    for h1 in root.iter("h1"):
        text = clean_text(h1.text_content().replace(_BR, " "))
        if len(text) >= 4:
            return text
    return None


def _rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _cells(row: etree._Element) -> list[etree._Element]:
    return row.xpath("./td | ./th")


def _cell_text(cell: etree._Element, nested: bool = False) -> str:
    if nested and cell.find(".//table") is not None:  # a small table inside (_is_cell_content)
        return clean_text(" ".join(strip_debris(t) for t in cell.itertext()))
    return clean_text(strip_debris("".join(cell.itertext())))


_MAX_INNER_ROWS = 4
_MAX_INNER_TEXT = 40


def _is_cell_content(inner: etree._Element) -> bool:
    """A table nested in a cell that is part of the cell's text, not a page frame's content:
    a few short rows of words, no figures (the diagonal 办理情况 / 申请人情况 corner that
    Word draws as a small table inside the corner cell)."""
    if inner.find(".//table") is not None or len(_rows(inner)) > _MAX_INNER_ROWS:
        return False
    text = clean_text(" ".join(inner.itertext()))
    return len(text) <= _MAX_INNER_TEXT and not re.search(r"\d", text)


_ZERO_HEIGHT = re.compile(r"(?:^|;)\s*height\s*:\s*0(?:\.0*)?(?:pt|px|cm)?\s*(?:;|$)", re.IGNORECASE)


def _unprinted_row(row: etree._Element) -> bool:
    """A row of height 0 with no text: Word's ``<tr height=0>`` of empty cells that fixes the
    column widths for old browsers (``<![if !supportMisalignedColumns]>``). It prints nothing;
    read, its blank cells would run on as blanks of the table's last row."""
    height = (row.get("height") or "").strip()
    if height not in ("0", "0px") and not _ZERO_HEIGHT.search(row.get("style") or ""):
        return False
    return not clean_text("".join(row.itertext()))


def _table_rows(table: etree._Element) -> list[list[str]] | None:
    """The rows of a data table, or None when ``table`` is a layout table."""
    nested = table.findall(".//table")
    if nested and not all(_is_cell_content(inner) for inner in nested):
        return None
    rows = [[_cell_text(cell, bool(nested)) for cell in _cells(row)] for row in _rows(table)
            if not _unprinted_row(row)]
    rows = [row for row in rows if row]
    if not rows or max(len(row) for row in rows) < 2:
        return None
    if any(len(cell) > _MAX_CELL for row in rows for cell in row):
        # A page frame has a few rows holding prose; a statistics table may carry one long
        # footnote but has many rows of short cells.
        dense = sum(1 for row in rows if sum(1 for c in row if 0 < len(c) <= 30) >= 3)
        if dense < 3:
            return None
    return rows


def _walk(root: etree._Element) -> tuple[list[Block], list[etree._Element]]:
    """Blocks in reading order, and for each the block element it came from (the innermost
    open block-level element when it ended). Iterative: depth cannot overflow the stack."""
    blocks: list[Block] = []
    owners: list[etree._Element] = []
    buffer: list[str] = []
    open_blocks: list[etree._Element] = [root]

    def flush() -> None:
        for line in "".join(buffer).split(_BR):
            line = clean_text(strip_debris(line))
            if line:
                blocks.append(line)
                owners.append(open_blocks[-1])
        buffer.clear()

    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            if _tag(el) in _BLOCK:
                flush()
                if open_blocks[-1] is el:
                    open_blocks.pop()
            if el.tail and el is not root:
                buffer.append(el.tail)
            continue
        tag = _tag(el)
        if tag in _PREFORMATTED:
            # Plain text pasted into the page as it was (a TXT report, tab- or
            # space-aligned tables): read its lines as a text file's.
            flush()
            from parsers.readers.text import text_to_document

            for block in text_to_document(el.text_content().replace(_BR, "\n")).blocks:
                blocks.append(block)
                owners.append(el)
            if el.tail:
                buffer.append(el.tail)
            continue
        if tag == "table":
            rows = _table_rows(el)
            if rows is not None:
                flush()
                blocks.append(Table(rows=rows))
                owners.append(el)
                if el.tail:
                    buffer.append(el.tail)
                continue
        if tag in _BLOCK:
            flush()
            if el is not root:
                open_blocks.append(el)
        if el.text:
            buffer.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    flush()
    return blocks, owners


def _main_text(text: str) -> dict[str, str] | None:
    """trafilatura's main text, title and site name, or None when it finds nothing."""
    try:
        import trafilatura

        # fast: trafilatura's own algorithm without the readability/jusText fallbacks, which
        # triple the cost and matter little here (the span is only used to trim boilerplate).
        # No metadata and no tables: our own metadata stage and lxml table reader do those, and
        # trafilatura's date search and table handling were two thirds of a page's parse time.
        result = trafilatura.bare_extraction(text, include_tables=False, include_comments=False,
                                             favor_recall=True, with_metadata=False, fast=True)
    except Exception:  # noqa: BLE001 - trafilatura is a helper here: its failure must not fail the page
        return None
    if result is None:
        return None
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return {k: v for k, v in data.items() if k in {"text", "title", "sitename"} and v}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _ancestors(el: etree._Element) -> list[etree._Element]:
    chain = [el]
    chain.extend(el.iterancestors())
    return chain


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    mine = set(_ancestors(a))
    return next(el for el in _ancestors(b) if el in mine)


def _trim(blocks: list[Block], owners: list[etree._Element], main_text: str,
          title: str | None) -> list[Block]:
    """Keep the article: the blocks inside the smallest element that holds every paragraph of
    trafilatura's main text (so a closing signature and date it skipped stay), and tables."""
    main = _squash(main_text)
    if len(main) < _MIN_MAIN:
        return blocks
    lines = {_squash(line) for line in main_text.splitlines()}

    def in_main(block: Block) -> bool:
        if not isinstance(block, str):
            return False
        squashed = _squash(block)
        return len(squashed) >= 6 and (squashed in lines or squashed in main)

    # Only the first and last paragraphs of the article matter: search inwards from both ends
    # (bounded, so a page of 40,000 paragraphs costs no more than a normal one).
    window = range(min(len(blocks), _MAX_SCAN))
    first = next((i for i in window if in_main(blocks[i])), None)
    last = next((len(blocks) - 1 - k for k in window if in_main(blocks[len(blocks) - 1 - k])), None)
    if first is None or last is None or last < first:
        return blocks
    inside = [first, last]
    container = _common_ancestor(owners[inside[0]], owners[inside[-1]])
    if _tag(container) in {"body", "html"}:
        return blocks
    keep = set()
    if title:  # the heading is often outside the body element, just above it
        squashed_title = _squash(title)
        for i in range(inside[0] - 1, max(-1, inside[0] - 15), -1):
            block = blocks[i]
            if isinstance(block, str) and _squash(block) == squashed_title:
                keep.add(i)
                break
    return [block for i, (block, owner) in enumerate(zip(blocks, owners))
            if i in keep or isinstance(block, Table) or owner is container or
            any(a is container for a in owner.iterancestors())]
