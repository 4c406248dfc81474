"""Small text helpers every reader shares: whitespace, conversion debris, binary detection.

    >>> clean_text("  本年新\\xa0制作数量 \\n")
    '本年新 制作数量'
    >>> strip_debris("[bookmark: _GoBack]一、总体情况 **二是**")
    '一、总体情况 二是'
"""

from __future__ import annotations

import re

from parsers.document import ParseError

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
# Left behind by Word → Markdown/text converters (seed 003: `[bookmark: _GoBack]`; seed 002: `**`).
_DEBRIS = [
    re.compile(r"\[bookmark:[^\]]*\]"),
    re.compile(r"\*\*"),
    re.compile(r"^#{1,6}\s+"),
    re.compile(r"\{#[^}]*\}"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def clean_text(text: str) -> str:
    """Collapse every run of whitespace (incl. NBSP, ideographic space) into one space; strip."""
    return _SPACE.sub(" ", text).strip()


def strip_debris(text: str) -> str:
    """Remove conversion debris (bookmarks, bold marks, markdown heading hashes)."""
    for pattern in _DEBRIS:
        text = pattern.sub("", text)
    return text


def refuse_binary(text: str, what: str = "document") -> None:
    """Raise :class:`ParseError` when decoded ``text`` is really binary data.

    Control characters and U+FFFD replacement marks are rare in real text; more than 2 % of a
    sample means the bytes were not text in any encoding we tried.
    """
    sample = text[:65536]
    if not sample:
        return
    bad = len(_CONTROL.findall(sample))
    if bad > max(2, len(sample) * 0.02):
        raise ParseError(f"not a readable {what}: binary data of an unknown type")
