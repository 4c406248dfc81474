"""Build the round-3 red-team eval documents (non-PDF): generated reports (tests.fixturegen:
figures known by construction) rewritten the way CMS pages, Word and Excel copies and text
exports carry them, with the rewrites of ``tests/test_redteam_parse4_*.py``.

``NAME.expected.json`` is the generator's answer (metadata + every cell); the parsed output was
compared with it cell by cell when each file was added. The XLS needs LibreOffice (committed:
CI must not render). Zipped formats get new timestamps when rebuilt: re-pin the eval gate
(``python tests/test_eval_gate.py --pin``) after rebuilding any of them.

    .venv/bin/python -m tests.eval.make_redteam_parse4_nonpdf            # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse4_nonpdf txt_box_wrapped_2023
    .venv/bin/python -m tests.eval.make_redteam_parse4_nonpdf --list
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from lxml import etree

from tests import test_redteam_parse4_html as page
from tests import test_redteam_parse4_office as office
from tests import test_redteam_parse4_text as text
from tests.eval.write_documents import expected_of, run
from tests.fixturegen import expected_json, make_figures, render


def _interpretation_below(root: etree._Element, fig) -> None:
    """A 解读 box after the report, with headings of its own and a 发布时间 line."""
    box = etree.SubElement(root.find("body"), "div", {"class": "jiedu"})
    for line in ["政策解读", f"一图读懂{fig.agency}{fig.year}年政府信息公开工作年度报告",
                 f"一、总体情况 {fig.year}年，主动公开政府信息1234条。",
                 "三、收到和处理政府信息公开申请情况 全年新收申请99件。", "发布时间：2025-03-02"]:
        etree.SubElement(box, "p").text = line


def html_form_fields(fig) -> bytes:
    """Table 三 with a 序号 column and a diagonal corner table; every figure in a read-only
    ``<input>``; a stale copy of each table hidden by the stylesheet; a 解读 below."""
    root = page.page_root(fig)
    for rewrite in (page.row_number_column, page.diagonal_corner, page.input_fields,
                    page.stylesheet_hidden_copy):
        rewrite(root)
    _interpretation_below(root, fig)
    return page.to_bytes(root)


def html_srcdoc(fig) -> bytes:
    """The report in ``<iframe srcdoc>``, zeros typed as 〇/○, blanks in twelve markers,
    labels over ``<p>`` pairs."""
    root = page.page_root(fig)
    for rewrite in (page.circled_zeros, page.blank_markers, page.paragraphs_in_cells,
                    page.in_srcdoc_frame):
        rewrite(root)
    return page.to_bytes(root)


def docx_hidden(fig) -> bytes:
    """Hidden stale figures (w:vanish), moved figures (w:moveFrom), a tracked-deleted row and
    a diagonal corner table."""
    def edit(root):
        for step in (office.hidden_stale_figures, office.moved_figures, office.deleted_row,
                     office.diagonal_corner):
            step(root)
    return office.edit_docx(render(fig, "docx"), edit)


def xlsx_hidden(fig) -> bytes:
    """Last year's copy on a hidden sheet first; a hidden spacer row and 校验 column."""
    def edit(book):
        office.hidden_last_year_sheet(book)
        office.hidden_row_and_column(book)
    return office.edit_xlsx(render(fig, "xlsx"), edit)


def xls_hidden(fig) -> bytes:
    from tests.fixturegen.render_office import convert

    return convert(xlsx_hidden(fig), "xlsx", "xls")


def txt_box(fig) -> bytes:
    return text.ruled_text(fig, "box", wrap=8)


# name: (seed, format, figure options, builder, kind for the expectation)
DOCUMENTS: dict[str, tuple[int, str, dict, Callable, str]] = {
    "html_form_fields_2024": (21, "2021", {"year": 2024}, html_form_fields, "html"),
    "html_srcdoc_zeros_2022": (1, "2021", {"year": 2022}, html_srcdoc, "html"),
    "docx_hidden_moved_2023": (22, "2021", {"year": 2023}, docx_hidden, "docx"),
    "xlsx_hidden_sheet_2022": (23, "2021", {"year": 2022}, xlsx_hidden, "xlsx"),
    "xls_hidden_sheet_2020": (24, "2019", {"year": 2020}, xls_hidden, "xls"),
    "txt_box_wrapped_2023": (25, "2021", {"year": 2023}, txt_box, "txt"),
}


def build(name: str) -> tuple[bytes, dict]:
    seed, fmt, options, builder, kind = DOCUMENTS[name]
    fig = make_figures(seed, fmt, **options)
    full = expected_json(fig, kind, "official")
    return builder(fig), expected_of(full)


def main(argv: list[str]) -> int:
    return run(argv, DOCUMENTS, build, ext=lambda name: DOCUMENTS[name][4])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
