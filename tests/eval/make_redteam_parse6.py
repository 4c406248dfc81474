"""Build the round-4 red-team eval documents: generated reports (tests.fixturegen: figures
known by construction) in the shapes round 4 fixed — ``pdftotext -layout`` text with blank
cells and wrapped labels, a page holding last year's report above this year's, a county report
signed by its government's 办公室, a page titled ``…年度报告_某某局`` whose body names no agency,
the three tables side by side on one sheet of a workbook,
Word tables printed to PDF with a row pushed or cut over a page break (LibreOffice needed for
the PDFs: rebuild only the names you mean to, ``python -m tests.eval.make_redteam_parse6 NAME``).

``NAME.expected.json`` is the generator's answer (metadata + every cell); each document read
wrong before round 4 (see docs/redteam-parse2.md, "Round 4").

    .venv/bin/python -m tests.eval.make_redteam_parse6            # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse6 --list
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from tests import test_redteam_parse6_agency as agency
from tests import test_redteam_parse6_office as office
from tests import test_redteam_parse6_reports as reports
from tests.eval.write_documents import run_catalogue
from tests.fixturegen import expected_json, make_figures, render


def txt_layout(fig) -> tuple[bytes, dict]:
    return render(fig, "txt", "layout"), expected_json(fig, "txt", "layout")


def txt_layout_centred(fig) -> tuple[bytes, dict]:
    return render(fig, "txt", "layout_centred"), expected_json(fig, "txt", "layout_centred")


def two_reports(fig) -> tuple[bytes, dict]:
    older = make_figures(fig.seed + 1, fig.fmt, year=fig.year - 1, agency=fig.agency)
    return reports._two_reports(older, fig, None), expected_json(fig, "html", "official")


def pagebreak_pdf(fig) -> tuple[bytes, dict]:
    """LibreOffice needed (committed: CI does not render)."""
    return render(fig, "pdf", "pagebreak"), expected_json(fig, "pdf", "pagebreak")


def xlsx_side_by_side(fig) -> tuple[bytes, dict]:
    return office.side_by_side(fig), expected_json(fig, "xlsx", "official")


def county_office(fig) -> tuple[bytes, dict]:
    place = fig.agency.removesuffix("人民政府")
    data = agency._page(fig, {f"{fig.agency}{fig.year}年": f"{place}{fig.year}年",
                              f'<p style="text-align:right">{fig.agency}</p>':
                              f'<p style="text-align:right">{fig.agency}办公室</p>'})
    expected = expected_json(fig, "html", "official")
    expected["title"] = f"{place}{fig.year}年政府信息公开工作年度报告"
    return data, expected


def title_suffix(fig) -> tuple[bytes, dict]:
    data = agency._anonymous(fig, f"{fig.year}年政府信息公开工作年度报告_{fig.agency}")
    expected = expected_json(fig, "html", "official")
    expected["title"] = f"{fig.year}年政府信息公开工作年度报告"
    return data, expected


# name: (make_figures arguments, builder, file extension)
DOCUMENTS: dict[str, tuple[dict, Callable, str]] = {
    "txt_layout_blank_columns_2019": (
        {"seed": 893425638, "fmt": "2019", "blanks": "zeros", "scale": "small",
         "inconsistency": "bad_balance"}, txt_layout, "txt"),
    "txt_layout_wrapped_labels_2021": (
        {"seed": 801104254, "fmt": "2021", "blanks": "some", "scale": "small"}, txt_layout, "txt"),
    "txt_layout_centred_2021": (
        {"seed": 579394354, "fmt": "2021", "blanks": "none"}, txt_layout_centred, "txt"),
    # Word tables printed by LibreOffice with table 三 over pages 2–3 (explore pdf/pagebreak):
    # table 二's last row pushed alone onto the next page, a total row cut by the break.
    "pdf_pagebreak_lone_row_2019": (
        {"seed": 440050334, "fmt": "2019", "inconsistency": "blank_totals", "blanks": "some",
         "scale": "small"}, pagebreak_pdf, "pdf"),
    "pdf_pagebreak_split_total_2021": (
        {"seed": 612023958, "fmt": "2021", "variant": "mixed", "inconsistency": "bad_results_total",
         "blanks": "some", "scale": "large"}, pagebreak_pdf, "pdf"),
    "xlsx_side_by_side_2023": ({"seed": 44, "fmt": "2021", "year": 2023}, xlsx_side_by_side, "xlsx"),
    "html_last_year_above_2024": ({"seed": 41, "fmt": "2021", "year": 2024}, two_reports, "html"),
    "html_county_office_signs_2024": (
        {"seed": 7, "fmt": "2021", "year": 2024, "agency": "平武县人民政府"}, county_office, "html"),
    "html_title_suffix_agency_2024": (
        {"seed": 5, "fmt": "2019", "year": 2024, "agency": "平武县交通运输局"}, title_suffix, "html"),
}


def main(argv: list[str]) -> int:
    return run_catalogue(argv, DOCUMENTS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
