"""Build the round-7 red-team eval documents: generated reports (tests.fixturegen: figures
known by construction) in the shapes round 7 fixed — workbooks written by a program whose
totals are formulas with no cached value (``=SUM(D30:I30)``, ``=D30+E30+…``, nested sums);
table 三 transposed with its outcome columns in an order of the office's own; tables shown as
pictures with the table kept in a hidden copy or a ``<noscript>``; amounts in 元 with the unit
printed over table 二, not in its head; a TRS article page printed to PDF by Chromium with its
header and footer (date and title atop each page, the URL and ``1/6`` below; Chromium needed
to rebuild).

``NAME.expected.json`` is the generator's answer (metadata + every cell); each document read
wrong before round 7 (see docs/redteam-parse2.md, "Round 7").

    .venv/bin/python -m tests.eval.make_redteam_parse9            # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse9 --list
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from tests.eval.write_documents import run_catalogue
from tests.fixturegen import expected_json, render


def formula_totals(layout: str, style: str) -> Callable:
    def build(fig) -> tuple[bytes, dict]:
        from tests.fixturegen.formulas import with_formulas

        return with_formulas(render(fig, "xlsx", layout), style), expected_json(fig, "xlsx", layout)
    return build


def styled(kind: str, style: str) -> Callable:
    def build(fig) -> tuple[bytes, dict]:
        return render(fig, kind, style), expected_json(fig, kind, style)
    return build


def pictured(copy: str) -> Callable:
    def build(fig) -> tuple[bytes, dict]:
        from tests.test_redteam_parse9_html import _pictured

        page = _pictured(render(fig, "html", "trs").decode("utf-8"), copy)
        return page.encode("utf-8"), expected_json(fig, "html", "trs")
    return build


def amounts_in_yuan(fig) -> tuple[bytes, dict]:
    from tests.test_redteam_parse9_units import _in_yuan

    return _in_yuan(fig, "over_table")


def browser_printed(fig) -> tuple[bytes, dict]:
    """The ``html/trs`` page printed by Chromium as a user's 打印 → 另存为 PDF does: with the
    browser's header and footer (``render_office.chromium_pdf`` leaves them out)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory(prefix="redteam9-chromium-") as tmp:
        page, out = Path(tmp) / "page.html", Path(tmp) / "out.pdf"
        page.write_bytes(render(fig, "html", "trs"))
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}",
                        page.as_uri()], check=False, capture_output=True, timeout=120)
        return out.read_bytes(), expected_json(fig, "pdf", "chromium")


# name: (make_figures arguments, builder, file extension)
DOCUMENTS: dict[str, tuple[dict, Callable, str]] = {
    "xlsx_uncached_sums_2023": ({"seed": 91, "fmt": "2021", "year": 2023, "blanks": "some"},
                                formula_totals("official", "sum"), "xlsx"),
    "xlsx_uncached_additions_2022": ({"seed": 92, "fmt": "2021", "year": 2022, "blanks": "none"},
                                     formula_totals("sheets", "plus"), "xlsx"),
    "xlsx_uncached_nested_2019": ({"seed": 93, "fmt": "2019", "blanks": "none"},
                                  formula_totals("official", "nested"), "xlsx"),
    # seeds whose transposed table 三 has its outcome columns reordered (the renderer's coin)
    "html_transposed_reordered_2022": ({"seed": 95, "fmt": "2021", "year": 2022, "blanks": "some"},
                                       styled("html", "transposed"), "html"),
    "xlsx_transposed_reordered_2019": ({"seed": 96, "fmt": "2019", "blanks": "some"},
                                       styled("xlsx", "transposed"), "xlsx"),
    "html_pictured_hidden_copy_2023": ({"seed": 97, "fmt": "2021", "year": 2023, "blanks": "some"},
                                       pictured('<div style="display:none">{table}</div>'), "html"),
    "html_pictured_noscript_2020": ({"seed": 98, "fmt": "2019", "year": 2020, "blanks": "none"},
                                    pictured("<noscript>{table}</noscript>"), "html"),
    "html_amount_in_yuan_note_2022": ({"seed": 2, "fmt": "2021", "year": 2022, "blanks": "none"},
                                      amounts_in_yuan, "html"),
    "pdf_browser_printed_trs_2021": ({"seed": 3, "fmt": "2021"}, browser_printed, "pdf"),
}


def main(argv: list[str]) -> int:
    return run_catalogue(argv, DOCUMENTS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
