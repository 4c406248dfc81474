"""Build the round-10 red-team eval documents: generated reports (tests.fixturegen: figures
known by construction) in the shapes round 10 fixed — a Word Online package (main part
``word/document2.xml``) with cells wrapped in ``w:customXml``, figures in text boxes and
headings numbered by Word; a DOCX whose report is a whole DOCX embedded as a ``w:altChunk``
(the OpenXML SDK's merge) in Strict Open XML; a workbook written by XlsxWriter (every formula
cached as 0, recalculated on opening); an unruled PDF whose table 三 heads end a page; a
landscape PDF drawn turned on portrait pages, its last page the signature alone; round 6's
text file printed on a grid (``pdf_textgrid_2019``) with its pages turned onto landscape
media, ``/Rotate 90`` showing them upright; a Word file whose table 三 was pasted from Excel
as an embedded worksheet object.

``NAME.expected.json`` is the generator's answer (metadata + every cell); each document read
wrong before round 10 (see docs/redteam-parse2.md, "Round 10").

    .venv/bin/python -m tests.eval.make_redteam_parse12            # rebuild all
    .venv/bin/python -m tests.eval.make_redteam_parse12 --list
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from tests.eval.write_documents import run_catalogue
from tests.fixturegen import expected_json, render

HERE = Path(__file__).resolve().parent


def word_online(fig) -> tuple[bytes, dict]:
    """``docx/official`` as Word Online saves it, with customXml cells, text-box figures and
    list-numbered headings."""
    from tests.test_redteam_parse4_office import edit_docx
    from tests.test_redteam_parse12_office import (
        cells_in_custom_xml,
        figures_in_text_boxes,
        numbered_headings,
        rezip,
    )
    from tests.test_redteam_parse12_office import word_online as rename

    data = edit_docx(render(fig, "docx", "official"), cells_in_custom_xml)
    data = edit_docx(data, figures_in_text_boxes)
    return rezip(numbered_headings(data, on_style=True), rename), \
        expected_json(fig, "docx", "official")


def merged_strict(fig) -> tuple[bytes, dict]:
    """The report's DOCX embedded whole as the ``w:altChunk`` of a Strict Open XML DOCX."""
    from tests.test_redteam_parse4_office import alt_chunk_docx
    from tests.test_redteam_parse12_office import rezip, strict

    return rezip(alt_chunk_docx(render(fig, "docx", "official"), "docx"), strict), \
        expected_json(fig, "docx", "official")


def xlsxwriter_zeros(fig) -> tuple[bytes, dict]:
    from tests.fixturegen.formulas import with_formulas
    from tests.test_redteam_parse12_office import placeholder_zeros, rezip

    return rezip(with_formulas(render(fig, "xlsx", "official"), "nested"), placeholder_zeros), \
        expected_json(fig, "xlsx", "official")


def heads_alone(fig) -> tuple[bytes, dict]:
    from tests.test_redteam_parse12_pdf import heads_alone as render_heads_alone

    return render_heads_alone(fig, "requests"), expected_json(fig, "pdf", "nolines")


def turned_landscape(fig) -> tuple[bytes, dict]:
    from tests.fixturegen.render_pdf import draw_blocks
    from tests.test_redteam_parse12_pdf import _TurnedWriter

    writer = _TurnedWriter(fig.title, fig.agency, 270)
    draw_blocks(writer, fig)
    return writer.finish(), expected_json(fig, "pdf", "nolines")


def excel_object(fig) -> tuple[bytes, dict]:
    from tests.test_redteam_parse12_office import excel_object as embed

    return embed(fig), expected_json(fig, "docx", "official")


def textgrid_turned(fig) -> tuple[bytes, dict]:
    from tests.test_redteam_parse12_pdf import turned_pages

    name = "pdf_textgrid_2019"
    expected = json.loads((HERE / f"{name}.expected.json").read_text(encoding="utf-8"))
    return turned_pages((HERE / f"{name}.pdf").read_bytes(), 90), expected


# name: (make_figures arguments, builder, file extension)
DOCUMENTS: dict[str, tuple[dict, Callable, str]] = {
    "docx_word_online_2023": ({"seed": 51, "fmt": "2021", "year": 2023, "blanks": "some"},
                              word_online, "docx"),
    "docx_merged_strict_2022": ({"seed": 52, "fmt": "2021", "year": 2022, "blanks": "some"},
                                merged_strict, "docx"),
    "xlsx_xlsxwriter_zeros_2021": ({"seed": 53, "fmt": "2021", "year": 2021, "blanks": "none"},
                                   xlsxwriter_zeros, "xlsx"),
    "pdf_heads_alone_2022": ({"seed": 3, "fmt": "2021", "year": 2022}, heads_alone, "pdf"),
    "pdf_turned_landscape_2019": ({"seed": 4, "fmt": "2019"}, turned_landscape, "pdf"),
    "pdf_textgrid_turned_2019": ({"seed": 0, "fmt": "2019"}, textgrid_turned, "pdf"),
    "docx_excel_object_2020": ({"seed": 55, "fmt": "2019", "year": 2020, "blanks": "some"},
                               excel_object, "docx"),
}


def main(argv: list[str]) -> int:
    return run_catalogue(argv, DOCUMENTS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
