"""The command line the eval document builders share (``make_redteam_*.py``).

    python -m tests.eval.make_redteam_parse2 --list        # the documents a builder makes
    python -m tests.eval.make_redteam_parse2 NAME …        # rebuild these (default: all)

Each document is written beside this file as ``NAME.<ext>`` with ``NAME.expected.json``, the
generator's known answer. Rebuild only what you mean to: LibreOffice and browsers stamp a new
date and ID into every file they write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from tests.fixturegen import make_figures

HERE = Path(__file__).resolve().parent

# What an eval document's expected JSON keeps of the generator's full answer: the fields and
# cells the gate compares (the parser's checks and sections are its own to compute).
EXPECTED_KEYS = ("is_annual_report", "title", "agency", "year", "format", "published_date",
                 "active", "requests", "review_litigation")


def expected_of(full: dict) -> dict:
    """The expected JSON of a document from ``tests.fixturegen.expected_json``'s full answer."""
    return {k: full[k] for k in EXPECTED_KEYS if k in full}


def run(argv: list[str], names: Iterable[str], build: Callable[[str], tuple[bytes, dict]],
        ext: Callable[[str], str] = lambda name: "pdf") -> int:
    """List or (re)build documents by name; returns the exit status.

    :param build: name → (the document's bytes, its expected JSON)
    :param ext: name → the document's file extension
    """
    names = list(names)
    if "--list" in argv:
        print("\n".join(names))
        return 0
    for name in [a for a in argv if a in names] or names:
        data, expected = build(name)
        (HERE / f"{name}.{ext(name)}").write_bytes(data)
        (HERE / f"{name}.expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("wrote", name)
    return 0


def run_catalogue(argv: list[str], documents: dict[str, tuple[dict, Callable, str]]) -> int:
    """:func:`run` for a builder's catalogue of name → (``make_figures`` options, figures →
    (bytes, full expected JSON), file extension): the shape most builders share."""
    def build(name: str) -> tuple[bytes, dict]:
        options, builder, _ = documents[name]
        data, full = builder(make_figures(**options))
        return data, expected_of(full)

    return run(argv, documents, build, ext=lambda name: documents[name][2])
