"""Build the round-3 red-team eval PDFs (needs LibreOffice): Word tables without rules between
their rows (borderless, 三线表) and narrow ruled ones, printed to PDF, from the families that
failed the layout sweep (``tests/eval/sweep_pdf_layouts.py``, docs/redteam-parse2.md
"Round 3: borderless PDFs").

Each document is a sweep case (generated figures, the DOCX re-styled, converted by
LibreOffice); its ``NAME.expected.json`` is the generator's answer, which the parsed output
was checked against cell by cell when the file was added. LibreOffice stamps every PDF anew:
re-pin the eval gate (``python tests/test_eval_gate.py --pin``) after rebuilding one.

    .venv/bin/python -m tests.eval.make_redteam_parse4_pdf          # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse4_pdf pdf_borderless_row_split_2019
    .venv/bin/python -m tests.eval.make_redteam_parse4_pdf --list
"""

from __future__ import annotations

import sys

from tests.eval.sweep_pdf_layouts import Case, build
from tests.eval.write_documents import run


def _case(name: str, seed: int, fmt: str, layout: str, *, variant: str = "official",
          narrow_labels: bool = False, narrow_figures: bool = False, type_size: float = 8,
          landscape: bool = False, lead_in: int = 0, scale: str = "large") -> Case:
    return Case(name, seed, fmt, variant, layout, narrow_labels, narrow_figures, type_size,
                landscape, lead_in, scale)


_CASES = [
    # 三线表: a label's last line shares its line with the tail of a total wrapped at its
    # separator (提供 | 息 | ，147 under 1), item numbers set as runs of their own (2. | 其他…)
    _case("pdf_threeline_label_tails_2021", 1, "2021", "threeline"),
    # borderless, narrow figure columns: full-width two-digit figures of table 四 wrapped one
    # digit a line under a row without labels (２ / ４)
    _case("pdf_borderless_review_tails_2019", 54, "2019", "borderless", narrow_figures=True),
    # every border, narrow figure columns: numbers wrapped in their cells at a thousands group
    # (1,4 / 26) and over three lines (3 / ，5 / 48)
    _case("pdf_ruled_narrow_wrapped_2019", 71, "2019", "ruled", narrow_figures=True, lead_in=3),
    # 三线表, narrow figure columns: a ``——`` blank marker wrapped in its cell (— / —) beside
    # numbers wrapped one digit a line in table 四
    _case("pdf_threeline_dash_wrapped_2021", 46, "2021", "threeline", variant="mixed",
          narrow_figures=True, scale="medium"),
    # borderless, narrow figures, type 9: a row broken across the page break, its numbers'
    # tails (１ / ３) atop the next page
    _case("pdf_borderless_row_split_2019", 21, "2019", "borderless", narrow_figures=True,
          type_size=9, lead_in=3),
    # 三线表, narrow figures, type 10.5, table 三 landscape: its total row broken across the
    # page break, the tail (8) atop a portrait page whose only table row is 四、结转下年度
    _case("pdf_threeline_landscape_row_split_2019", 1010, "2019", "threeline",
          narrow_figures=True, type_size=10.5, landscape=True, lead_in=3, scale="medium"),
    # 三线表, narrow label columns, type 10.5: a label's last line printed glyph by glyph
    # (全 | 一 | 稳 | 定)
    _case("pdf_threeline_glyph_labels_2021", 61, "2021", "threeline", narrow_labels=True,
          type_size=10.5, lead_in=10, scale="medium"),
]
DOCUMENTS = {c.name: c for c in _CASES}


def main(argv: list[str]) -> int:
    return run(argv, DOCUMENTS, lambda name: build(DOCUMENTS[name]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
