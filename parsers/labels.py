"""Label normalisation and fuzzy matching (docs/format.md §6).

Labels are compared after NFKC, with all whitespace removed, brackets unified and trailing
parenthesised notes dropped, so ``（三）不 予公开`` and ``(三)不予公开`` are the same label.

    >>> norm(" （三）不 予公开 ")
    '(三)不予公开'
    >>> split_prefix("(三)不予公开")
    (2, 3, '不予公开')
    >>> split_prefix("五、存在的主要问题")
    (1, 5, '存在的主要问题')
    >>> strip_note("部分公开(区分处理的,只计这一情形,不计其他情形)")
    '部分公开'
    >>> round(similarity("属于三类内容事务信息", "属于三类内部事务信息"), 2)
    0.78
"""

from __future__ import annotations

import re
import unicodedata

# Conversion debris left by Word/markdown exports (seeds 002, 003).
_DEBRIS = re.compile(r"\[bookmark:[^\]]*\]|\*\*|__|\u200b|\ufeff|\u00ad")
_SPACE = re.compile(r"\s+")
# NFKC already folds full-width brackets; these survive it.
_BRACKET_MAP = {"〔": "(", "〕": ")", "【": "(", "】": ")", "［": "(", "］": ")", "﹙": "(", "﹚": ")",
                "｛": "(", "｝": ")", "「": "“", "」": "”", "．": ".", "｡": "。", "﹒": "."}

CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "一二三四五六七八九十"

_L1 = re.compile(rf"^([{_CN_NUM}]{{1,3}})[、.,:]")
_L1_ARABIC = re.compile(r"^(\d{1,2})[、,](?!\d)")
_L2 = re.compile(rf"^\(([{_CN_NUM}]{{1,3}})\)[、.,]?")
_L3_PAREN = re.compile(r"^\((\d{1,2})\)[、.,]?")
_L3 = re.compile(r"^(\d{1,2})[.、,](?!\d)")
_NOTE = re.compile(r"\([^()]*\)$")


# Circled numbers number level-3 rows in some reports; NFKC would turn ① into a bare "1", so
# they are mapped first, together with the brackets NFKC leaves alone.
_PRE_NFKC = {chr(0x2460 + i): f"{i + 1}." for i in range(20)}
_PRE_NFKC.update(_BRACKET_MAP)
_PRE_TABLE = str.maketrans(_PRE_NFKC)
_PRE_CHARS = re.compile("[" + re.escape("".join(_PRE_NFKC)) + "]")
_DEBRIS_HINT = re.compile(r"\[bookmark:|\*\*|__|[\u200b\ufeff\u00ad]")


def clean(text: str) -> str:
    """NFKC + debris removal + bracket unification, whitespace kept (for display and prose)."""
    if text.isascii():
        return _DEBRIS.sub("", text) if _DEBRIS_HINT.search(text) else text
    if _PRE_CHARS.search(text):
        text = text.translate(_PRE_TABLE)
    text = unicodedata.normalize("NFKC", text)
    return _DEBRIS.sub("", text) if _DEBRIS_HINT.search(text) else text


def strip_debris(text: str) -> str:
    """Remove conversion debris only (``[bookmark: _GoBack]``, ``**``), keeping the characters."""
    return _DEBRIS.sub("", text)


def norm(text: str) -> str:
    """The comparison form of a label: :func:`clean` without any whitespace."""
    return _SPACE.sub("", clean(text))


def squeeze(cleaned: str) -> str:
    """:func:`norm` of a text that already went through :func:`clean`."""
    return _SPACE.sub("", cleaned)


def cn_number(text: str) -> int | None:
    """A Chinese numeral up to 99 (``三`` → 3, ``十二`` → 12, ``二十一`` → 21), else None."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = CN_DIGITS.get(head, -1) if head else 1
        ones = CN_DIGITS.get(tail, -1) if tail else 0
        if tens < 0 or ones < 0 or "十" in tail:
            return None
        return tens * 10 + ones
    if len(text) == 1 and text in CN_DIGITS:
        return CN_DIGITS[text]
    return None


def split_prefix(label: str) -> tuple[int | None, int | None, str]:
    """Split a normalised label into (level, number, rest).

    Level 1: ``一、``; level 2: ``(一)``; level 3: ``1.`` / ``1、`` / ``(1)`` / ``①``.
    ``1、`` is ambiguous between levels 1 and 3: it is reported as level 3 here, and the section
    recogniser (which only ever wants level 1) accepts both.
    """
    for level, pattern in ((1, _L1), (2, _L2), (3, _L3_PAREN), (3, _L3)):
        m = pattern.match(label)
        if m:
            number = cn_number(m.group(1))
            if number is not None and number > 0:
                return level, number, label[m.end():]
    return None, None, label


def strip_note(label: str) -> str:
    """Drop trailing parenthesised notes (``规章(设区的市…)`` → ``规章``), never the whole label."""
    while True:
        m = _NOTE.search(label)
        if not m or m.start() == 0:
            return label
        label = label[:m.start()]


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of ``text`` (single characters for one-character texts)."""
    if len(text) < 2:
        return frozenset(text)
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def similarity(a: str, b: str, b_grams: frozenset[str] | None = None) -> float:
    """Dice coefficient over character bigrams, 1.0 for equal strings.

    A label printed with extra words after the official text (``行政许可(含备案)`` once the note
    is gone still equal) or cut short by a page break scores high but below 1.
    """
    if a == b:
        return 1.0
    ga = bigrams(a)
    gb = b_grams if b_grams is not None else bigrams(b)
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def best_match(text: str, texts: tuple[str, ...], grams: tuple[frozenset[str], ...],
               text_grams: frozenset[str] | None = None) -> float:
    """The best :func:`similarity` of ``text`` against a row's label variants.

    A label that starts with an official text (``规章`` + a note that lost its brackets) counts
    as a near-perfect match. ``text_grams`` (``bigrams(text)``) saves recomputing it per row.
    """
    best = 0.0
    ga = text_grams if text_grams is not None else bigrams(text)
    for t, g in zip(texts, grams):
        if text == t:
            return 1.0
        score = 2 * len(ga & g) / (len(ga) + len(g)) if ga and g else 0.0
        if len(t) >= 2 and text.startswith(t):
            score = max(score, 0.9)
        best = max(best, score)
    return best
