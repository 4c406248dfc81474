"""Document → the report dict of docs/contract.md: figures, metadata, checks, sections.

The interpreter is a cascade of named stages, each in its own module:

0. ``hanzi.fold_document``    — a report in traditional characters read as simplified;
   ``layout.unwrap``           — paragraphs printed as one-cell table rows become paragraphs;
   ``layout.drop_row_numbers``  — a 序号 column's 1, 2, 3 … are not figures;
   ``layout.turn_requests``     — table 三 printed transposed (applicants as rows) turned back
1. ``sections.heading_runs``    — the six section headings (boundaries for everything else);
   heading-like lines of a table of contents or a 解读 are set aside
2. ``cells.build_stream``       — every table cell and text line as one stream of cells
3. ``tables.find_regions``      — where tables 二, 三, 四 are (headings, anchors)
4. ``tables.read_*``            — rows by label, values by position, raw texts
5. ``metadata.read_metadata``   — title, agency, year, published date
6. ``classify``                 — format (by what is printed) and is-it-a-report
7. ``values.parse_value``       — raw cell texts → numbers / null
8. ``checks.run_checks``        — the 勾稽关系 rules, never changing a figure

    >>> from parsers.document import Document
    >>> interpret(Document("txt", ["关于做好2021年政府信息公开工作年度报告编制发布工作的通知"]))["is_annual_report"]
    False
"""

from __future__ import annotations

import re

from parsers.catalogue import AMOUNT_HEADER_WORD, catalogue
from parsers.cells import build_stream
from parsers.checks import prose_warnings, run_checks
from parsers.classify import decide_format, is_annual_report
from parsers.document import Document
from parsers.hanzi import fold_document
from parsers.labels import norm
from parsers.layout import (
    drop_note_column,
    drop_row_numbers,
    join_broken_figures,
    join_column_halves,
    turn_requests,
    unwrap,
)
from parsers.metadata import match_title, may_close, read_metadata
from parsers.sections import heading_runs, is_contents, pick_run, section_texts
from parsers.tables import TableRead, find_regions, read_active, read_requests, read_review
from parsers.values import parse_value, unit_factor

_TABLE_SECTIONS = ("active", "requests", "review")
_CORRECTED_TITLE = re.compile(r"更正|修订|修正|勘误|更新")
_CORRECTION_NOTE = re.compile(r"更正|勘误|^(修订|修正|更新)(说明|版|后)")


def interpret(doc: Document, page_metadata: dict[str, str] | None = None) -> dict:
    """Interpret a read document as an annual report (or not).

    :param doc: what a reader produced
    :param page_metadata: facts from the page that linked the document (``title``,
        ``publisher``, ``published_date``), used when the document lacks them
    :returns: a JSON-serialisable dict: contract keys plus ``cells_raw``, ``warnings``,
        ``needs_ocr``
    """
    doc, page_metadata = fold_document(doc, page_metadata)
    page = dict(page_metadata or {})
    warnings: list[str] = list(doc.warnings)
    blocks = turn_requests(join_column_halves(drop_note_column(drop_row_numbers(
        join_broken_figures(unwrap(doc.blocks), doc.kind)))))

    runs = heading_runs(blocks)
    # A web page's <title> names the article; a file's own title property (Word, PDF) is
    # often the template's or last year's, so only the linking page's title counts there.
    named = [doc.title, doc.metadata.get("page_title")] if doc.kind == "html" else []
    span = one_report(blocks, runs, named + [page.get("title")])
    if span is not None:
        blocks = blocks[span[0]:span[1]]
        runs = heading_runs(blocks)
    heads = pick_run(runs)
    aside = {h.block for run in runs if run is not heads for h in run}
    cells = build_stream(blocks, {h.block: h.kind for h in heads}, aside)
    regions = find_regions(cells)
    requests = read_requests(cells, regions)
    review = read_review(cells, regions)

    first = heads[0].block if heads else None
    last = heads[-1].block if heads else None
    overview_head = next((n for n, h in enumerate(heads) if h.kind == "overview"), None)
    overview = None
    if overview_head is not None:
        overview = section_texts(blocks, heads[overview_head:overview_head + 2])["overview"]
    meta = read_metadata(blocks, first, overview, doc.title, doc.metadata, page, last)
    warnings += meta.warnings or []

    needs_ocr = doc.needs_ocr or _tables_are_pictures(blocks, heads, requests, review, meta.year)
    # A standard table: most of table 三's rows, or table 四 under its official header.
    has_tables = len(requests.found) >= 10 or bool(review.found)
    active_labels = _labels_in(cells, regions, "active")
    fmt, format_warnings = decide_format(set(active_labels), set(requests.labels), meta.year,
                                         has_tables, needs_ocr)
    warnings += format_warnings

    filled = (len(requests.found) >= 3 and requests.numbers > 0) or review.numbers > 0
    annual = is_annual_report(
        title_ok=meta.title_match is not None, lookalike=meta.lookalike,
        usable_title=meta.title_match is not None or meta.lookalike,
        headings=len({h.kind for h in heads}), filled_table=filled,
        stat_period=meta.stat_period, needs_ocr=needs_ocr, prose_figures=meta.prose_figures,
        announces_report=meta.announces_report)

    report: dict = {
        "is_annual_report": annual,
        "title": meta.title,
        "agency": meta.agency,
        "year": meta.year,
        "format": fmt if annual else None,
        "published_date": meta.published_date,
    }
    cells_raw: dict[str, str] = {}
    tables: dict = {}
    if annual and fmt in ("2021", "2019"):
        active = read_active(cells, regions, fmt)
        reads = {"active": active, "requests": requests, "review_litigation": review}
        if needs_ocr and not (requests.numbers or review.numbers or active.numbers):
            warnings.append("needs_ocr: the tables are images; every cell left null")
        elif needs_ocr:
            # Some pages are pictures, others carry text: keep what the text says.
            warnings.append("needs_ocr: part of the document is an image; figures read from text only")
        for read in reads.values():
            warnings += read.warnings
        tables = _fill_tables(reads, fmt, active_labels + _unit_notes(cells, regions), cells_raw,
                              warnings)
        report.update(tables)
        report["checks"] = _unprinted_operands(run_checks(tables, set(requests.found), fmt),
                                               requests.unprinted)
        warnings += prose_warnings(overview, tables)
    else:
        report["checks"] = []
    report["sections"] = section_texts(blocks, heads, stop=meta.closing_block)
    report["needs_ocr"] = needs_ocr
    report["cells_raw"] = cells_raw
    report["warnings"] = list(dict.fromkeys(warnings))
    return report


def _unprinted_operands(checks: list[dict], unprinted: list[str]) -> list[dict]:
    """A row total over columns the table does not print (the organisations as one column):
    not assessable — a column left out is not a blank, and its figures are unknown."""
    if not unprinted:
        return checks
    note = f"not assessable: columns not printed ({', '.join(unprinted)})"
    return [{**c, "passed": None, "detail": note}
            if c["name"].startswith("requests_row_total:") and c["passed"] is not None else c
            for c in checks]


def one_report(blocks: list, runs: list, titles: list[str | None]) -> tuple[int, int] | None:
    """The blocks of the one report a document holds when it prints several whole reports
    (last year's above or below this year's on one page), or None when it holds one.

    Each report runs from the end of the one before it (its closing date, else its own title
    line, else its first heading). The document is the report whose year its titles name (a web
    page's ``<title>``, the linking page's title, a page title printed above the first report's
    own), else the latest year; among copies of that year (a corrected copy beside the
    original), the one marked 更正/修订, else the more complete, else the last — never cells of
    two reports.

    >>> heads = ["一、总体情况", "二、主动公开", "三、依申请公开", "四、行政复议", "五、存在的主要问题",
    ...          "六、其他需要报告的事项"]
    >>> old = ["2023年某县政府信息公开工作年度报告"] + [x for h in heads for x in (h, "正文")] + ["2024年1月9日"]
    >>> new = [line.replace("2024", "2025").replace("2023", "2024") for line in old]
    >>> one_report(old + new, heading_runs(old + new), [])
    (14, 28)
    >>> one_report(old + new, heading_runs(old + new), ["2023年某县政府信息公开工作年度报告"])
    (0, 14)
    """
    full = [run for run in runs if not is_contents(run)]
    longest = max((len(run) for run in full), default=0)
    reports = [run for run in full if len(run) >= max(5, longest - 1)]
    if len(reports) < 2:
        return None
    bounds = [0]
    for before, after in zip(reports, reports[1:]):
        bounds.append(_report_boundary(blocks, before[-1].block, after[0].block))
    bounds.append(len(blocks))
    spans = list(zip(bounds, bounds[1:]))
    own_titles = [_title_line(blocks, lo, run[0].block) for (lo, _), run in zip(spans, reports)]
    named = [m.year for m in map(match_title, titles) if m and m.year]
    first_title = next((i for i in range(spans[0][0], reports[0][0].block)
                        if isinstance(blocks[i], str) and match_title(blocks[i])), None)
    if first_title is not None and own_titles[0] is not None and first_title < own_titles[0]:
        named.append(match_title(blocks[first_title]).year)
    years = []
    for (lo, hi), own in zip(spans, own_titles):
        part = blocks[own if own is not None else lo:hi]
        part_runs = heading_runs(part)
        heads = pick_run(part_runs)
        overview = next((n for n, h in enumerate(heads) if h.kind == "overview"), None)
        text = section_texts(part, heads[overview:overview + 2])["overview"] if overview is not None else None
        years.append(read_metadata(part, heads[0].block if heads else None, text, None, {}, {},
                                   heads[-1].block if heads else None).year)
    year = next((y for y in years if y is not None and y in named), None)
    if year is None:
        year = max((y for y in years if y is not None), default=None)
    same = [n for n, y in enumerate(years) if y == year]
    # Copies of one year (an original and its corrected copy, or one text pasted twice): the
    # copy marked as corrected, else the more complete one, else the one printed last — a
    # CMS article is updated by pasting the new text under the old.
    marked = [n for n in same if _marked_corrected(blocks, spans[n][0], own_titles[n], reports[n][0].block)]
    chosen = max(marked or same, key=lambda n: (len(reports[n]), n))
    lo, hi = spans[chosen]
    if chosen > 0 and own_titles[chosen] is not None:
        lo = min(lo, own_titles[chosen])
    return lo, hi


def _marked_corrected(blocks: list, lo: int, own_title: int | None, first_heading: int) -> bool:
    """A report copy marked as the corrected one: its own title says so (…年度报告（更正）,
    （修订版）), or a line above its first heading is a correction note (更正说明：…). Only
    更正/勘误 count inside a longer line: an intro cites the 条例 as 新修订的."""
    for i in range(lo, first_heading):
        line = blocks[i]
        if not isinstance(line, str):
            continue
        n = norm(line)
        if i == own_title and _CORRECTED_TITLE.search(n) or _CORRECTION_NOTE.search(n):
            return True
    return False


def _report_boundary(blocks: list, last_heading: int, next_heading: int) -> int:
    """Where the report whose last heading is ``last_heading`` ends and the next begins."""
    for i in range(last_heading + 1, next_heading):
        if isinstance(blocks[i], str) and may_close(blocks[i]):
            return i + 1
    title = _title_line(blocks, last_heading + 1, next_heading)
    return title if title is not None else next_heading


def _title_line(blocks: list, lo: int, hi: int) -> int | None:
    """The last report-shaped title line in ``blocks[lo:hi]``."""
    return next((i for i in range(hi - 1, lo - 1, -1)
                 if isinstance(blocks[i], str) and match_title(blocks[i])), None)


def _tables_are_pictures(blocks: list, heads: list, requests: TableRead, review: TableRead,
                         year: int | None) -> bool:
    """Headings 二、三、四 with neither table text nor prose under them: the tables are images
    (浑南区国资局 2022). Legacy reports (before 2019) write those sections as prose instead."""
    table_heads = [n for n, h in enumerate(heads) if h.kind in _TABLE_SECTIONS]
    if len(table_heads) < 2 or requests.found or review.found or requests.labels:
        return False
    if year is not None and year < 2019:
        return False
    prose = 0
    for n in table_heads:
        end = heads[n + 1].block if n + 1 < len(heads) else len(blocks)
        prose += sum(len(b.strip()) for b in blocks[heads[n].block + 1:end] if isinstance(b, str))
    return prose < 200


def _labels_in(cells: list, regions, table: str) -> list[str]:
    """The normalised text cells of a table's region, in printed order."""
    if table not in regions.spans:
        return []
    lo, hi = regions.spans[table]
    return [c.norm for c in cells[lo:hi] if c.kind == "text"]


_UNIT_NOTE = re.compile(r"(?:金额|计量)?单位\s*[:：]\s*(?:人民币)?\s*(亿元|万元|元)")


def _unit_notes(cells: list, regions) -> list[str]:
    """A unit for table 二's amounts printed outside its column header — ``单位：元`` over the
    table, ``（金额单位：元）`` after heading 二 — as an amount header would say it
    (``金额（单位：元）``); read after every 金额 header, so a header's own unit wins."""
    if "active" not in regions.spans:
        return []
    lo, hi = regions.spans["active"]
    for c in cells[lo:hi]:
        m = _UNIT_NOTE.search(c.norm)
        if m:
            return [f"{AMOUNT_HEADER_WORD}（单位：{m.group(1)}）"]
    return []


def _fill_tables(reads: dict[str, TableRead], fmt: str, active_labels: list[str],
                 cells_raw: dict[str, str], warnings: list[str]) -> dict:
    """Every key of fields.csv for ``fmt``: the parsed value or None, raw texts alongside."""
    # The unit printed in the amount column's header (the first such header in print order).
    amount_factor = next((unit_factor(label) for label in active_labels
                          if AMOUNT_HEADER_WORD in label and unit_factor(label) is not None), None)
    out: dict = {}
    for table, rows in catalogue().keys(fmt).items():
        out[table] = {}
        read = reads[table]
        for row, cols in rows.items():
            raw_values = read.rows.get(row) or [None] * len(cols)
            out[table][row] = {}
            for col, raw in zip(cols, raw_values):
                key = f"{table}.{row}.{col}"
                if raw is None:
                    out[table][row][col] = None
                    continue
                cells_raw[key] = raw
                kind = "amount" if col == "amount_10k_yuan" else "signed" if col == "change" else "count"
                value, problem = parse_value(raw, kind, amount_factor)
                if kind == "amount" and value is not None and amount_factor is None \
                        and unit_factor(raw) is None:
                    warnings.append(f"{key}: no unit printed; {raw!r} taken as 万元")
                if problem:
                    warnings.append(f"{key}: {problem}")
                out[table][row][col] = value
    return out
