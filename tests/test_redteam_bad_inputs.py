"""Red-team: misnamed archives and executables must fail with a clear error, not parse as text.

Under UTF-16 guessing, a few bytes of a RAR archive decode to plausible CJK ("剡爡ᨇ…"), which
once came out as a non-report with a garbage title instead of "cannot be read".

    .venv/bin/python -m pytest -q tests/test_redteam_bad_inputs.py
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import ParseError, parse_document

REPORT_LINE = "一、总体情况\n2022年，我局扎实推进政务公开工作。\n".encode() * 20

BAD = {
    "rar_as_docx": (b"Rar!\x1a\x07\x00" + bytes(range(7, 200)), "report.docx"),
    "rar_as_txt": (b"Rar!\x1a\x07\x01\x00" + b"garbage" * 30, "report.txt"),
    "7z_as_doc": (b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x13" * 100, "report.doc"),
    "gzip_as_html": (gzip.compress(b"<html><body>" + REPORT_LINE + b"</body></html>"), "report.html"),
    "bzip2_as_txt": (bz2.compress(REPORT_LINE), "report.txt"),
    "xz_as_txt": (lzma.compress(REPORT_LINE), "report.txt"),
    "elf_as_txt": (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "report.txt"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_misnamed_binary_is_refused(name: str) -> None:
    data, filename = BAD[name]
    with pytest.raises(ParseError) as err:
        parse_document(data, None, filename)
    assert "\n" not in str(err.value) and str(err.value)
