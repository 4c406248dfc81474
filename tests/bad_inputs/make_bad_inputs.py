"""Regenerate the small committed bad inputs::

    .venv/bin/python -m tests.bad_inputs.make_bad_inputs

Big ones (100 MB, 3,000 pages, 100,000-deep HTML) are made at test time in a temporary
directory instead of being committed.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import docx
from reportlab.lib.pdfencrypt import StandardEncryption

from tests.reader_inputs.pdfs import HEIGHT, draw_lines, draw_ruled, new_canvas

HERE = Path(__file__).parent
W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (b'<?xml version="1.0"?><Types '
                 b'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')


def report_pdf(**canvas_args) -> bytes:
    buf = io.BytesIO()
    c = new_canvas(buf, **canvas_args)
    draw_lines(c, HEIGHT - 60, ["某局2024年政府信息公开工作年度报告", "一、总体情况"])
    draw_ruled(c, HEIGHT - 120, [["规章", "0", "0", "0"], ["行政规范性文件", "0", "1", "4"]],
               [160, 60, 60, 60])
    c.showPage()
    c.save()
    return buf.getvalue()


def report_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("某局2024年政府信息公开工作年度报告")
    for n in range(40):
        d.add_paragraph(f"（{n}）本年度我局认真贯彻落实政府信息公开条例，主动公开政府信息。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def zipped(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buf.getvalue()


def build() -> dict[str, bytes]:
    rng = random.Random(20240101)
    pdf = report_pdf()
    docx_bytes = report_docx()
    bomb_xml = (b"<w:document " + W_NS + b"><w:body><w:p><w:r><w:t>"
                + b"0" * (150 << 20) + b"</w:t></w:r></w:p></w:body></w:document>")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><w:document ' + W_NS + b'><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
              b'</w:body></w:document>')
    return {
        "empty.pdf": b"",
        "random.bin": bytes(rng.getrandbits(8) for _ in range(4096)),
        "truncated.pdf": pdf[: len(pdf) // 3],
        "encrypted.pdf": report_pdf(encrypt=StandardEncryption("secret", ownerPassword="owner")),
        "truncated.docx": docx_bytes[: len(docx_bytes) // 2],
        "bomb.docx": zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": bomb_xml}),
        "laughs.docx": zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": laughs}),
        "pdf-named.docx": pdf,
    }


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
