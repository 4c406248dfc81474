"""Build the round-5 red-team eval documents: generated reports (tests.fixturegen: figures
known by construction) in the shapes round 5 fixed — a corrected copy under the original on
one page, a place-titled report with no signature, a text file printed to PDF on a fixed grid,
a workbook with a sheet per table (表三's first), the tables as an appendix after 六, tables
built of ``<div>``s, table 三 in two halves cut by columns (no LibreOffice or browser needed).

``NAME.expected.json`` is the generator's answer (metadata + every cell); each document read
wrong before round 5 (see docs/redteam-parse2.md, "Round 5").

    .venv/bin/python -m tests.eval.make_redteam_parse7            # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse7 --list
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from tests import test_redteam_parse7_reports as reports
from tests.eval.write_documents import run_catalogue
from tests.fixturegen import expected_json, make_figures, render


def corrected_copy(fig) -> tuple[bytes, dict]:
    original = make_figures(fig.seed + 100, fig.fmt, year=fig.year, agency=fig.agency)
    data = reports._page([reports._body(original), reports._body(fig, "（更正）")])
    return data, expected_json(fig, "html", "official")


def unsigned_place(fig) -> tuple[bytes, dict]:
    place = fig.agency.removesuffix("人民政府")
    expected = expected_json(fig, "html", "official")
    expected["title"] = f"{place}{fig.year}年政府信息公开工作年度报告"
    return reports._unsigned(fig, place), expected


def styled(kind: str, style: str) -> Callable:
    def build(fig) -> tuple[bytes, dict]:
        return render(fig, kind, style), expected_json(fig, kind, style)
    return build


def appendix(fig) -> tuple[bytes, dict]:
    html = render(fig, "html", "official").decode("utf-8")
    tables = re.findall(r"<table.*?</table>", html, flags=re.S)
    for table in tables:
        html = html.replace(table, "<p>（详见附表）</p>")
    html = html.replace("</body>", "<p>附表</p>" + "".join(tables) + "</body>")
    return html.encode("utf-8"), expected_json(fig, "html", "official")


# name: (make_figures arguments, builder, file extension)
DOCUMENTS: dict[str, tuple[dict, Callable, str]] = {
    "html_corrected_copy_2024": ({"seed": 11, "fmt": "2021", "year": 2024}, corrected_copy, "html"),
    "html_unsigned_place_2024": (
        {"seed": 3, "fmt": "2021", "year": 2024, "agency": "青川县人民政府"}, unsigned_place, "html"),
    "pdf_textgrid_2019": (
        {"seed": 52563260, "fmt": "2019", "inconsistency": "bad_row_total", "blanks": "none",
         "scale": "large"}, styled("pdf", "textgrid"), "pdf"),
    "xlsx_sheet_per_table_2021": ({"seed": 12, "fmt": "2021", "blanks": "some"},
                                  styled("xlsx", "sheets"), "xlsx"),
    "html_tables_appendix_2019": ({"seed": 8, "fmt": "2019"}, appendix, "html"),
    "html_div_tables_2021": (
        {"seed": 685117698, "fmt": "2021", "inconsistency": "bad_balance", "blanks": "some",
         "scale": "medium"}, styled("html", "divs"), "html"),
    "html_table_three_halves_2021": ({"seed": 192623622, "fmt": "2021", "blanks": "none"},
                                     styled("html", "halves"), "html"),
}


def main(argv: list[str]) -> int:
    return run_catalogue(argv, DOCUMENTS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
