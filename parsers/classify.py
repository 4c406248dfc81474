"""Is it an annual report, and in which format (docs/format.md §1, §7)?

Format is decided by what is printed: table 二's columns first, then the (六) sub-rows, then the
year as a tie-breaker. Whether a document is a report takes a report-shaped title plus one body
signal (headings, a filled table 三/四, a statistics-period sentence), or two body signals when
there is no usable title; lookalikes (notices, templates, plans, statistics) fail.

    >>> decide_format({"本年制发件数"}, set(), 2024, has_tables=True)
    ('2021', [])
    >>> decide_format(set(), set(), 2018, has_tables=False)
    ('legacy', [])
    >>> is_annual_report(title_ok=True, lookalike=False, usable_title=True, headings=6,
    ...                  filled_table=True, stat_period=False, needs_ocr=False)
    True
"""

from __future__ import annotations

from parsers.catalogue import FORMAT_SIGNALS


def _has(labels: set[str], fragments: tuple[str, ...]) -> bool:
    return any(f in label for label in labels for f in fragments)


def decide_format(active_labels: set[str], request_labels: set[str], year: int | None,
                  has_tables: bool, needs_ocr: bool = False) -> tuple[str, list[str]]:
    """Pick "2021", "2019" or "legacy".

    :param active_labels: normalised text cells of table 二 (headers and labels)
    :param request_labels: normalised text cells of table 三
    :param has_tables: whether a standard table 三 or 四 was found (labels or figures)
    :param needs_ocr: the tables are images: decide by year alone
    :returns: (format, warnings)
    """
    t2_2021 = _has(active_labels, FORMAT_SIGNALS["2021"]["table2"])
    t2_2019 = _has(active_labels, FORMAT_SIGNALS["2019"]["table2"])
    sub_2021 = _has(request_labels, FORMAT_SIGNALS["2021"]["other"])
    warnings: list[str] = []
    by_year = None
    if year is not None:
        by_year = "2021" if year >= 2021 else "2019" if year >= 2019 else "legacy"
    if t2_2021 and t2_2019:
        fmt = "2021" if (year or 2021) >= 2021 else "2019"
        warnings.append(f"format: table 二 mixes 2021 and 2019 columns; year decides {fmt}")
        return fmt, warnings
    if t2_2021 or t2_2019:
        fmt = "2021" if t2_2021 else "2019"
        if fmt == "2019" and sub_2021:
            warnings.append("format: 2019 table 二 with 2021 (六) sub-rows; table 二 decides 2019")
        if by_year and by_year != fmt and by_year != "legacy":
            warnings.append(f"format: {fmt} tables in a {year} report")
        return fmt, warnings
    if sub_2021:
        return "2021", warnings
    if has_tables:
        if by_year in ("2021", "2019"):
            return by_year, warnings
        warnings.append("format: no table 二 columns and no usable year; taken as 2019")
        return "2019", warnings
    if needs_ocr:
        if by_year in ("2021", "2019"):
            return by_year, warnings
        if by_year is None:
            warnings.append("format: tables unreadable and year unknown; taken as 2021")
            return "2021", warnings
        return "legacy", warnings
    if year is not None and year >= 2020:
        warnings.append(f"format: no standard tables found in a {year} report")
        return by_year or "2021", warnings
    return "legacy", warnings


def is_annual_report(*, title_ok: bool, lookalike: bool, usable_title: bool, headings: int,
                     filled_table: bool, stat_period: bool, needs_ocr: bool,
                     prose_figures: bool = False, announces_report: bool = False) -> bool:
    """The §7 decision.

    :param title_ok: a title with the shape of a report title was found
    :param lookalike: the title names another kind of document
    :param usable_title: a title (report-shaped or lookalike) exists at all
    :param headings: how many of the six (or legacy) section headings were found
    :param filled_table: a table 三 or 四 with official labels and numbers
    :param stat_period: a statistics-period sentence (``…1月1日至12月31日``)
    :param needs_ocr: the body is an image: the title (or headings) must carry the decision
    :param prose_figures: the text states disclosure figures in prose (``受理政府信息公开申请N件``,
        ``未收到…申请``): a weak signal that only backs a report-shaped title, for the half-page
        legacy reports of small agencies that have no headings (format.md §8)
    :param announces_report: the lookalike title is a notice publishing the report
        (``关于公布…年度报告的公告``): with the report's headings and a filled table below it,
        the document is the report
    """
    if lookalike and not title_ok:
        return announces_report and filled_table and headings >= 3
    signals = (headings >= 3) + filled_table + stat_period
    if title_ok and (signals >= 1 or needs_ocr or prose_figures):
        return True
    if not usable_title or not title_ok:
        if needs_ocr and headings >= 3:
            return True
        return signals >= 2 and not lookalike
    return False
