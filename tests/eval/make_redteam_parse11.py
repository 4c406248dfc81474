"""Build the round-9 red-team eval documents: generated reports (tests.fixturegen: figures
known by construction) in the shapes round 9 fixed — a county portal's page titling the report
with its agency in brackets after it and naming it nowhere else; a Word file whose figures are
broken over two lines in their cells; a scan with an invisible OCR text layer misreading 0 and
1 as ``O`` and ``l``; a gazette's two-column reprint; a Chromium print placed whole in a form
XObject by a stamping tool (the round-8 eval PDF ``pdf_browser_printed_trs_2021`` so placed).

``NAME.expected.json`` is the generator's answer (metadata + every cell); each document read
wrong before round 9 (see docs/redteam-parse2.md, "Round 9").

    .venv/bin/python -m tests.eval.make_redteam_parse11            # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse11 --list
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

from tests.eval.write_documents import run_catalogue
from tests.fixturegen import expected_json, render

HERE = Path(__file__).resolve().parent


def agency_after_title(fig) -> tuple[bytes, dict]:
    """``html/official`` retitled ``2024年政府信息公开工作年度报告（某局）``, the agency named
    nowhere else (no signature, an empty ``<title>``)."""
    page = re.sub(r"<title>.*?</title>", "<title></title>", render(fig, "html", "official").decode())
    exp = expected_json(fig, "html", "official")
    title = f"{exp['year']}年政府信息公开工作年度报告（{exp['agency']}）"
    page = title.join(p.replace(exp["agency"], "本机关") for p in page.split(exp["title"]))
    return page.encode(), {**exp, "title": title}


def broken_figures(fig) -> tuple[bytes, dict]:
    """``docx/official`` with half its figures broken after their first digit, by a line break
    or a second paragraph in the cell."""
    from tests.test_redteam_parse11_cells import _docx

    return _docx(render(fig, "docx", "official"), random.Random(7), False), \
        expected_json(fig, "docx", "official")


def ocr_layer(fig) -> tuple[bytes, dict]:
    from tests.fixturegen.render_ocr import ocr_layer_pdf

    return ocr_layer_pdf(fig, 5), expected_json(fig, "pdf", "nolines")


def two_columns(fig) -> tuple[bytes, dict]:
    from tests.fixturegen.render_columns import two_column_pdf

    return two_column_pdf(fig), expected_json(fig, "pdf", "nolines")


def placed_in_form(fig) -> tuple[bytes, dict]:
    from tests.test_redteam_parse10_pages import placed

    name = "pdf_browser_printed_trs_2021"
    expected = json.loads((HERE / f"{name}.expected.json").read_text(encoding="utf-8"))
    return placed((HERE / f"{name}.pdf").read_bytes(), 0.85), expected


# name: (make_figures arguments, builder, file extension)
DOCUMENTS: dict[str, tuple[dict, Callable, str]] = {
    "html_agency_after_title_2024": ({"seed": 41, "fmt": "2021", "year": 2024, "blanks": "some"},
                                     agency_after_title, "html"),
    "docx_broken_figures_2022": ({"seed": 42, "fmt": "2021", "year": 2022, "blanks": "some",
                                  "scale": "large"}, broken_figures, "docx"),
    "pdf_ocr_layer_2021": ({"seed": 43, "fmt": "2021", "year": 2021, "blanks": "some"},
                           ocr_layer, "pdf"),
    "pdf_two_columns_2019": ({"seed": 44, "fmt": "2019", "blanks": "some"}, two_columns, "pdf"),
    "pdf_chromium_in_form_2021": ({"seed": 0, "fmt": "2021"}, placed_in_form, "pdf"),
}


def main(argv: list[str]) -> int:
    return run_catalogue(argv, DOCUMENTS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
