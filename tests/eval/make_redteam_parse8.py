"""Build the round-6 red-team eval documents: generated reports (tests.fixturegen: figures
known by construction) in the shapes round 6 fixed — a report in traditional characters (a
site's 繁體 copy: OpenCC's s2t, s2hk and s2twp, the last with Taiwan's words 資訊, 專案, 檔案);
table 三 transposed (the applicants as rows); tabs expanded to spaces by character count; table 三 in
two halves printed to PDF by LibreOffice across page breaks; tables typed on tab stops in a
Word file (DOCX, and a DOC saved by LibreOffice) — LibreOffice needed to rebuild the PDF/DOC;
table 三 with a 小计 column under 法人或其他组织.

``NAME.expected.json`` is the generator's answer (metadata + every cell, in simplified
characters: the same report); each document read wrong before round 6 (see
docs/redteam-parse2.md, "Round 6"). The traditional copies need ``pip install opencc`` to
rebuild; the committed files are what the tests read.

    .venv/bin/python -m tests.eval.make_redteam_parse8            # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse8 --list
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.eval.write_documents import run_catalogue
from tests.fixturegen import expected_json, render


def to_traditional(data: bytes, kind: str, config: str) -> bytes:
    """A document's text converted by OpenCC (``s2t``, ``s2hk``, ``s2twp``), as a site's
    简繁 switch serves it; a DOCX/XLSX has each XML part converted."""
    import opencc  # only to rebuild: the documents are committed

    convert = opencc.OpenCC(config).convert
    if kind in ("html", "txt"):
        return convert(data.decode("utf-8")).encode("utf-8")
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename.endswith(".xml"):
                part = convert(part.decode("utf-8")).encode("utf-8")
            target.writestr(item, part)
    return out.getvalue()


def styled(kind: str, style: str) -> Callable:
    def build(fig) -> tuple[bytes, dict]:
        return render(fig, kind, style), expected_json(fig, kind, style)
    return build


def html_to_pdf(data: bytes) -> bytes:
    """An HTML page opened in LibreOffice Writer and exported to PDF (a page saved as PDF by
    an office: tables ruled, broken across pages as they fall)."""
    with tempfile.TemporaryDirectory(prefix="redteam8-lo-") as tmp:
        folder = Path(tmp)
        (folder / "in.html").write_bytes(data)
        subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                        "--headless", "--norestore", "--infilter=HTML (StarWriter)",
                        "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder / "out"),
                        str(folder / "in.html")], check=True, capture_output=True, timeout=180)
        return (folder / "out" / "in.pdf").read_bytes()


def halves_pdf(fig) -> tuple[bytes, dict]:
    return html_to_pdf(render(fig, "html", "halves")), expected_json(fig, "html", "halves")


def tab_stops_doc(fig) -> tuple[bytes, dict]:
    from tests.fixturegen.render_office import convert

    return convert(render(fig, "docx", "tabs"), "docx", "doc"), expected_json(fig, "doc", "office")


def subtotal_column(fig) -> tuple[bytes, dict]:
    from tests.test_redteam_parse8_subtotal import _with_subtotal

    return _with_subtotal(fig, grouped=True), expected_json(fig, "html", "official")


def traditional(kind: str, style: str, config: str) -> Callable:
    def build(fig) -> tuple[bytes, dict]:
        return to_traditional(render(fig, kind, style), kind, config), expected_json(fig, kind, style)
    return build


# name: (make_figures arguments, builder, file extension)
DOCUMENTS: dict[str, tuple[dict, Callable, str]] = {
    "html_traditional_2023": ({"seed": 31, "fmt": "2021", "year": 2023, "blanks": "some"},
                              traditional("html", "trs", "s2t"), "html"),
    "docx_traditional_taiwan_words_2022": ({"seed": 32, "fmt": "2021", "year": 2022},
                                           traditional("docx", "official", "s2twp"), "docx"),
    "txt_traditional_2019": ({"seed": 33, "fmt": "2019", "blanks": "zeros"},
                             traditional("txt", "tabs", "s2hk"), "txt"),
    "html_transposed_requests_2021": ({"seed": 34, "fmt": "2021", "blanks": "some"},
                                      styled("html", "transposed"), "html"),
    "xlsx_transposed_requests_2019": ({"seed": 35, "fmt": "2019", "blanks": "zeros"},
                                      styled("xlsx", "transposed"), "xlsx"),
    "txt_expanded_tabs_2021": ({"seed": 47, "fmt": "2021", "blanks": "some"},
                               styled("txt", "expanded"), "txt"),
    "txt_expanded_lines_2021": ({"seed": 44, "fmt": "2021", "blanks": "some"},
                                styled("txt", "expanded"), "txt"),
    "txt_expanded_tabs_2019": ({"seed": 49, "fmt": "2019", "blanks": "some"},
                               styled("txt", "expanded"), "txt"),
    "pdf_halves_over_pages_2021": ({"seed": 3, "fmt": "2021", "blanks": "some"}, halves_pdf, "pdf"),
    "pdf_halves_over_pages_2019": ({"seed": 4, "fmt": "2019", "blanks": "zeros"}, halves_pdf, "pdf"),
    "doc_tab_stops_2021": ({"seed": 64, "fmt": "2021", "blanks": "some"}, tab_stops_doc, "doc"),
    "docx_tab_stops_2019": ({"seed": 65, "fmt": "2019", "blanks": "some"}, styled("docx", "tabs"), "docx"),
    "html_subtotal_column_2023": ({"seed": 84, "fmt": "2021", "year": 2023, "blanks": "some"},
                                  subtotal_column, "html"),
}


def main(argv: list[str]) -> int:
    return run_catalogue(argv, DOCUMENTS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
