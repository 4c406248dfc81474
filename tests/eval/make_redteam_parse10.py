"""Build the round-8 red-team eval documents: generated reports (tests.fixturegen: figures
known by construction) in the shapes round 8 fixed — TRS article pages printed to PDF by
Chromium (with and without its header and footer: the print date and page title atop each
page, the page's address and ``n/m`` below), whose glyph-by-glyph runs stand a narrow ``1``
off its neighbours (``2 17``), whose header line and the ``_`` of its title push the table's
last row alone onto the next page, and whose 2019 form centres ``增3`` and ``28631.43万元``
across a column line drawn only in other rows; and table 三 printing the organisations as one
column (自然人 | 法人或其他组织 | 总计). Chromium is needed to rebuild the PDFs.

``NAME.expected.json`` is the generator's answer (metadata + every cell); each document read
wrong before round 8 (see docs/redteam-parse2.md, "Round 8").

    .venv/bin/python -m tests.eval.make_redteam_parse10            # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse10 --list
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from tests.eval.write_documents import run_catalogue
from tests.fixturegen import expected_json, render


def browser_printed(furniture: bool) -> Callable:
    """The ``html/trs`` page printed by Chromium, as 打印 → 另存为 PDF does (``furniture``:
    with the browser's header and footer, its default)."""
    def build(fig) -> tuple[bytes, dict]:
        import shutil
        import subprocess
        import tempfile
        from pathlib import Path

        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        with tempfile.TemporaryDirectory(prefix="redteam10-chromium-") as tmp:
            page, out = Path(tmp) / "page.html", Path(tmp) / "out.pdf"
            page.write_bytes(render(fig, "html", "trs"))
            subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu",
                            f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}",
                            *([] if furniture else ["--no-pdf-header-footer"]), page.as_uri()],
                           check=False, capture_output=True, timeout=120)
            return out.read_bytes(), expected_json(fig, "pdf", "chromium")
    return build


def organisations_as_one(fig) -> tuple[bytes, dict]:
    from tests.test_redteam_parse10_columns import organisations_as_one as rewrite

    return rewrite(fig)


# name: (make_figures arguments, builder, file extension)
DOCUMENTS: dict[str, tuple[dict, Callable, str]] = {
    "pdf_browser_digits_2024": ({"seed": 0, "fmt": "2021"}, browser_printed(False), "pdf"),
    "pdf_browser_row_opens_page_2024": ({"seed": 0, "fmt": "2021"}, browser_printed(True), "pdf"),
    "pdf_browser_head_over_break_2019": ({"seed": 1, "fmt": "2019"}, browser_printed(True), "pdf"),
    "pdf_browser_merged_change_2020": ({"seed": 5, "fmt": "2019"}, browser_printed(False), "pdf"),
    "html_organisations_as_one_2023": ({"seed": 31, "fmt": "2021", "year": 2023, "blanks": "some"},
                                       organisations_as_one, "html"),
}


def main(argv: list[str]) -> int:
    return run_catalogue(argv, DOCUMENTS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
