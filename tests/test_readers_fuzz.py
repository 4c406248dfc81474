"""Mangled documents (bytes flipped, cut, spliced; seeded, so reproducible) either read or
raise ParseError — never another exception, which would be a traceback for a crawler."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from parsers.document import Document, ParseError
from parsers.readers import read_document

GENERATED = Path(__file__).parent / "fixtures" / "generated"
SOURCES = {
    "docx": "docx_official_2021.docx", "xlsx": "xlsx_official_2019.xlsx",
    "pdf": "pdf_nolines_2019.pdf", "html": "html_broken_2021.html",
    "txt": "txt_pipe_2021.txt", "xls": "xls_office_2019.xls",
}


def mangle(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    mode = rng.choice(["flip", "truncate", "splice"])
    if mode == "flip":
        for _ in range(rng.randint(1, 20)):
            out[rng.randrange(len(out))] = rng.getrandbits(8)
    elif mode == "truncate":
        out = out[: rng.randrange(1, len(out))]
    else:
        k = rng.randrange(len(out))
        out[k:k + rng.randint(1, 200)] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200)))
    return bytes(out)


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_mangled_documents_read_or_raise_parse_error(kind):
    path = GENERATED / SOURCES[kind]
    if not path.exists():
        pytest.skip(f"fixture {path.name} not generated")
    data = path.read_bytes()
    rng = random.Random(kind)
    outcomes = {"read": 0, "refused": 0}
    for _ in range(40):
        try:
            doc = read_document(mangle(data, rng), url=path.name)
        except ParseError as exc:
            assert str(exc) and "\n" not in str(exc)
            assert not str(exc).startswith("unreadable"), str(exc)  # a library error leaked
            outcomes["refused"] += 1
        else:
            assert isinstance(doc, Document)
            outcomes["read"] += 1
    assert sum(outcomes.values()) == 40
