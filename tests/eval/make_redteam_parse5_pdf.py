"""Build the round-3b red-team eval PDFs (needs Chromium): generated reports whose HTML
(``render_html(fig, "official")``) a browser printed to PDF — Skia output, Type 3 fonts, every
glyph a text run of its own, borders drawn as filled boxes, cells centred vertically
(docs/redteam-parse2.md "Round 3b: browser-printed PDFs").

Each document is an ``explore pdf/chromium`` case that the reader got wrong before round 3b;
its ``NAME.expected.json`` is the generator's answer, which the parsed output was checked
against cell by cell when the file was added. Chromium stamps every PDF anew: re-pin the eval
gate (``python tests/test_eval_gate.py --pin``) after rebuilding one.

    .venv/bin/python -m tests.eval.make_redteam_parse5_pdf          # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse5_pdf pdf_chromium_rowspan_2019
    .venv/bin/python -m tests.eval.make_redteam_parse5_pdf --list
"""

from __future__ import annotations

import sys

from tests.eval.write_documents import expected_of, run
from tests.fixturegen import expected_json, make_figures, render

# name: make_figures arguments
DOCUMENTS: dict[str, dict] = {
    # （四）无法提供 merged down over three rows and centred on them, its first line
    # straddling a row line drawn in the other columns only; labels wrapped over two lines
    # with the row's figures centred between them (2.没有现成信息需要另行制 / ０ ０ １ … / 作);
    # 三、本年度办理结果 merged down across the page break
    "pdf_chromium_rowspan_2019": {"seed": 654099054, "fmt": "2019", "variant": "official",
                                  "inconsistency": None, "blanks": "none", "scale": "small"},
    # four-digit numbers wrapped over three lines of their cell, the separator alone on the
    # middle one (1 / ， / 262), beside the row's other figures on that middle line
    "pdf_chromium_wrapped_separator_2021": {"seed": 950719522, "fmt": "2021",
                                            "variant": "single_other", "inconsistency": None,
                                            "blanks": "zeros", "scale": "large"},
    # full-width numbers printed glyph by glyph and wrapped over two lines (３５ / ８) flanking
    # a label opening with an item number (1.信访举报投诉类申请), beside （五）不予处理 merged
    # down and set within the top row
    "pdf_chromium_fullwidth_wrapped_2021": {"seed": 651702865, "fmt": "2021",
                                            "variant": "single_other",
                                            "inconsistency": "bad_balance", "blanks": "some",
                                            "scale": "large"},
}



def build(name: str) -> tuple[bytes, dict]:
    """The document's PDF (Chromium) and the generator's expected JSON."""
    fig = make_figures(**DOCUMENTS[name])
    pdf = render(fig, "pdf", "chromium")
    full = expected_json(fig, "pdf", "chromium")
    return pdf, expected_of(full)


def main(argv: list[str]) -> int:
    return run(argv, DOCUMENTS, build)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
