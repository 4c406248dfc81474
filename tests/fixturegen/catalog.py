"""The committed fixture set: one :class:`Spec` per file in ``tests/fixtures/generated/``.

Both formats, every kind and style, both encodings, the variants (single （六） row, mixed
2019/2021 labels), deliberate inconsistencies, blanks, lookalikes. Seeds are fixed, so
``python -m tests.fixturegen`` rebuilds the same files.

    >>> len(SPECS) >= 40
    True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spec:
    """One fixture. ``lookalike`` names a non-report instead of figures."""

    name: str
    kind: str
    style: str = ""
    fmt: str = "2021"
    seed: int = 0
    variant: str = "official"
    inconsistency: str | None = None
    blanks: str | None = None
    scale: str | None = None
    encoding: str = "utf-8"
    declare_charset: bool = True
    lookalike: str | None = None
    title_form: str | None = None
    year: int | None = None
    legacy: bool = False  # a pre-2019 prose report (tests.fixturegen.legacy); fmt unused

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.kind}"


def _r(name: str, kind: str, style: str, fmt: str, seed: int, **kw) -> Spec:
    return Spec(name=name, kind=kind, style=style, fmt=fmt, seed=seed, **kw)


SPECS: list[Spec] = [
    # ---- HTML: every style, both formats, both encodings ------------------------------------
    _r("html_official_2021", "html", "official", "2021", 101),
    _r("html_official_2019_gbk", "html", "official", "2019", 102, encoding="gbk"),
    _r("html_official_2021_mixed", "html", "official", "2021", 103, variant="mixed"),
    _r("html_official_2021_bad_total", "html", "official", "2021", 104,
       inconsistency="bad_results_total"),
    _r("html_word_2021_gbk", "html", "word", "2021", 105, encoding="gbk", blanks="zeros"),
    _r("html_word_2019", "html", "word", "2019", 106, blanks="some"),
    _r("html_word_2021_single_other", "html", "word", "2021", 107, variant="single_other"),
    _r("html_split_2021", "html", "split", "2021", 108),
    _r("html_split_2019", "html", "split", "2019", 109, scale="large"),
    _r("html_broken_2021", "html", "broken", "2021", 110),
    _r("html_broken_2019_gb18030", "html", "broken", "2019", 111, encoding="gb18030"),
    _r("html_flat_2021", "html", "flat", "2021", 112),
    _r("html_flat_2019", "html", "flat", "2019", 113, inconsistency="bad_review_total"),
    _r("html_trs_2021", "html", "trs", "2021", 114),
    _r("html_trs_2019_gb18030_nometa", "html", "trs", "2019", 115, encoding="gb18030",
       declare_charset=False),
    _r("html_trs_2021_gbk", "html", "trs", "2021", 116, encoding="gbk", variant="single_other"),
    _r("html_official_2019_blank_totals", "html", "official", "2019", 117,
       inconsistency="blank_totals"),
    _r("html_word_2021_nometa_gbk", "html", "word", "2021", 118, encoding="gbk",
       declare_charset=False),
    _r("html_images_2021", "html", "images", "2021", 120),
    _r("html_official_2021_cn_year", "html", "official", "2021", 119, title_form="cn_year"),
    # ---- plain text: the three seed layouts -------------------------------------------------
    _r("txt_tabs_2021", "txt", "tabs", "2021", 201),
    _r("txt_tabs_2019", "txt", "tabs", "2019", 202, blanks="some"),
    _r("txt_pipe_2021", "txt", "pipe", "2021", 203),
    _r("txt_pipe_2019", "txt", "pipe", "2019", 204, inconsistency="bad_row_total"),
    _r("txt_lines_2021_mixed", "txt", "lines", "2021", 205, variant="mixed"),
    _r("txt_lines_2019", "txt", "lines", "2019", 206),
    _r("txt_tabs_2021_gbk", "txt", "tabs", "2021", 207, encoding="gbk", blanks="zeros"),
    _r("txt_pipe_2021_short_title", "txt", "pipe", "2021", 208, title_form="short",
       variant="single_other"),
    # ---- Word / Excel -----------------------------------------------------------------------
    _r("docx_official_2021", "docx", "official", "2021", 301),
    _r("docx_official_2019", "docx", "official", "2019", 302),
    _r("docx_split_2021", "docx", "split", "2021", 303, inconsistency="bad_balance"),
    _r("docx_split_2019", "docx", "split", "2019", 304),
    _r("docx_official_2021_single_other", "docx", "official", "2021", 305,
       variant="single_other", blanks="zeros"),
    _r("docx_images_2022", "docx", "images", "2021", 306, year=2022),
    _r("xlsx_official_2021", "xlsx", "official", "2021", 401),
    _r("xlsx_official_2019", "xlsx", "official", "2019", 402, blanks="some"),
    # ---- through LibreOffice (committed; not rebuilt in CI) -----------------------------------
    _r("pdf_office_2021", "pdf", "office", "2021", 501),
    _r("pdf_office_2019", "pdf", "office", "2019", 502),
    _r("pdf_office_split_2021", "pdf", "office_split", "2021", 503),
    _r("pdf_long_2021", "pdf", "long", "2021", 504, scale="medium"),
    _r("pdf_pagebreak_2021", "pdf", "pagebreak", "2021", 509),
    _r("pdf_nolines_2021", "pdf", "nolines", "2021", 505),
    _r("pdf_nolines_2019", "pdf", "nolines", "2019", 506, blanks="none"),
    _r("pdf_image_2021", "pdf", "image", "2021", 507),
    _r("pdf_chromium_2019", "pdf", "chromium", "2019", 510),
    _r("pdf_office_2021_mixed", "pdf", "office", "2021", 508, variant="mixed",
       inconsistency="bad_review_total"),
    _r("doc_office_2021", "doc", "office", "2021", 601),
    _r("doc_office_2019", "doc", "office", "2019", 602),
    _r("wps_office_2021", "wps", "office", "2021", 603),
    _r("xls_office_2019", "xls", "office", "2019", 604),
    # ---- legacy reports: prose only, format "legacy" ----------------------------------------
    Spec("legacy_report_html", "html", seed=801, legacy=True),
    Spec("legacy_report_txt", "txt", seed=802, legacy=True),
    # ---- lookalikes: not annual reports ------------------------------------------------------
    Spec("lookalike_notice", "html", lookalike="notice", seed=701),
    Spec("lookalike_template", "docx", lookalike="template", seed=702),
    Spec("lookalike_work_points", "html", lookalike="work_points", seed=703),
    Spec("lookalike_gov_work_report", "txt", lookalike="gov_work_report", seed=704),
    Spec("lookalike_budget", "html", lookalike="budget", seed=705),
    Spec("lookalike_index", "html", lookalike="index", seed=706),
    Spec("lookalike_half_year_stats", "html", lookalike="half_year_stats", seed=707),
]
