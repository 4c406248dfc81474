"""Cell values: printed text → number or null (docs/format.md §4).

Every printed cell keeps its raw text elsewhere; here it becomes the JSON value. A blank cell or
a null marker (``—``, ``-``, ``/``, ``无`` …) is ``None``, never 0.

    >>> parse_value("１２", "count")
    (12, None)
    >>> parse_value("1,234件", "count")
    (1234, None)
    >>> parse_value("3（含转办1件）", "count")
    (3, "note dropped from '3（含转办1件）'")
    >>> parse_value("减3", "signed"), parse_value("↓3", "signed"), parse_value("下降3", "signed")
    ((-3, None), (-3, None), (-3, None))
    >>> parse_value("251000元", "amount")
    (25.1, None)
    >>> parse_value("12①", "count")
    (12, "note dropped from '12①'")
    >>> parse_value("—", "count"), parse_value("〇", "count"), parse_value("一", "count")
    ((None, None), (0, None), (None, None))
    >>> value_kind("0"), value_kind(""), value_kind("/"), value_kind("规章")
    ('number', 'blank', 'null', None)
    >>> parse_value("1O5", "count"), parse_value("lO", "count"), parse_value("O", "count")
    ((105, None), (10, None), (0, None))
    >>> parse_value("'12", "count"), value_kind("'1,234")
    ((12, None), 'number')
"""

from __future__ import annotations

import re
import unicodedata

from parsers.catalogue import AMOUNT_UNITS
from parsers.labels import CN_DIGITS

NULL_MARKERS = frozenset({"—", "——", "———", "-", "--", "/", "//", "\\", "无", "N/A", "n/a", "NA",
                          "na", "–", "―", "─", "──", "﹣", "~", "×", "空", "/ /",
                          # slashes and dashes typed from other blocks (╱ box drawing, ∕ ⁄
                          # division and fraction slashes) and 一 typed for a dash
                          "╱", "∕", "⁄", "一", "一一"})
# 〇 (and the circle ○ typed for it) is the numeral zero, printed alone in a figure cell.
_ZEROS = frozenset({"〇", "○", "零"})
COUNT_UNITS = ("件次", "人次", "件", "条", "项", "个", "次", "家", "起", "宗")

_NUMBER = re.compile(
    r"^(?P<sign>[+\-−↑↓]|增加?|增长|上升|减少?|下降)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?P<unit>件次|人次|件|条|项|个|次|家|起|宗|亿元|万元|元|亿|万)?"
    r"(?P<note>\([^()]*\))?$"
)


_SEPARATE = re.compile(r"\d\s+[\d+\-−]")
# Footnote marks after a figure (12①, 12*, 12注1, 12[2]; readers print superscripts as [n]):
# removed before NFKC, which would turn ① and ² into digits of the number.
_FOOTNOTE = re.compile(r"(?<=[\d０-９件条项个次家起宗元万])\s*(?:[\u2460-\u24ff\u2776-\u2793*＊※△▲#＃¹²³\u2070-\u2079]+"
                       r"|注\s*\d*|\[\d{1,2}\])$")


_DIGITS = frozenset("0123456789０１２３４５６７８９")  # str.isdigit() is true for ① and ² too
_MARK_ENDS = frozenset("*＊※△▲#＃¹²³]注")


def _strip_mark(text: str) -> str:
    """``text`` without a footnote mark after its figure (cheap for the usual cell)."""
    last = text[-1:]
    if not last or (last in _DIGITS and "注" not in text):
        return text
    if last not in _DIGITS and last not in _MARK_ENDS and not (
            "\u2460" <= last <= "\u24ff" or "\u2776" <= last <= "\u2793"
            or "\u2070" <= last <= "\u2079"):
        return text
    return _FOOTNOTE.sub("", text)


# A scanned report's text layer, recognised by OCR, reads a figure's 0 as the letter O and its
# 1 as l or I (``1O5``, ``l2``, ``lO``, a lone ``O``): letters among digits are those digits. A
# lone l or I (or several) is no figure: OCR reads a table's rules so.
_OCR_FIGURE = re.compile(r"^(?=.*[0-9Oo])[0-9OoIl,.]+$")
_OCR_DIGITS = str.maketrans("OoIl", "0011")


_QUOTES = frozenset("'‘’`")
_QUOTED = re.compile(r"^['‘’`](?=[\d+\-−])")


def _prep(text: str) -> str:
    text = _strip_mark((text or "").strip())
    text = unicodedata.normalize("NFKC", text)
    # Thousands separators may be full width (NFKC folds ，), spaces inside a cell are layout.
    text = re.sub(r"\s+", "", text)
    if text[:1] in _QUOTES:
        # A figure typed with the apostrophe that makes a spreadsheet keep it as text ('12),
        # written into the cell by a program (or a copy) as part of its value.
        text = _QUOTED.sub("", text)
    if text and not text.isdigit() and _OCR_FIGURE.match(text):
        return text.translate(_OCR_DIGITS)
    return text


_CN_DIGIT = CN_DIGITS  # (its O and ○ never pass _CN_NUMERAL below)
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERAL = re.compile(r"^[零〇一二两三四五六七八九十百千万]{2,12}$")


def cn_count(text: str) -> int | None:
    """A count written in Chinese numerals with their units (``十二``, ``一百二十``,
    ``三百零五``, ``一万二千``), as a few offices type their figures; None for anything else —
    a lone numeral (``三`` may be a label's first character, ``一`` is a dash) or digits
    without units (``一二``).

        >>> [cn_count(t) for t in ("十二", "一百二十", "三百零五", "一万二千", "二十", "一二", "三")]
        [12, 120, 305, 12000, 20, None, None]
    """
    if not _CN_NUMERAL.match(text) or not any(u in text for u in "十百千万") or text[0] in "百千万":
        return None
    total = section = digit = 0
    previous = ""
    for ch in text:
        if ch in _CN_DIGIT:
            if previous in _CN_DIGIT and previous not in "零〇":
                return None  # two digits running: not a numeral with units
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            if previous in _CN_UNIT:
                return None
            section += (digit or (1 if not previous or previous == "万" else 0) or 0) * _CN_UNIT[ch]
            digit = 0
        else:  # 万
            if previous == "万" or not (section or digit):
                return None
            total, section, digit = (section + digit) * 10000, 0, 0
        previous = ch
    return total + section + digit


def value_kind(text: str) -> str | None:
    """What a cell holds: ``"blank"``, ``"null"`` (a printed marker), ``"number"``, or None (text)."""
    if text and text.isascii() and text.isdigit():
        return "number"
    if _SEPARATE.search(text or ""):
        return None  # several numbers in one piece of text: split it first
    t = _prep(text)
    if not t:
        return "blank"
    if t in NULL_MARKERS:
        return "null"
    if _NUMBER.match(t) or t in _ZEROS or cn_count(t) is not None:
        return "number"
    return None


def unit_factor(text: str) -> float | None:
    """The factor to 万元 of the unit a header or cell names (``元`` → 0.0001), None if none."""
    t = _prep(text)
    for unit, factor in AMOUNT_UNITS:
        if unit in t:
            return factor
    return None


def parse_value(raw: str, kind: str = "count", header_factor: float | None = None
                ) -> tuple[int | float | None, str | None]:
    """Normalise one cell.

    :param raw: the cell text as printed
    :param kind: ``count`` (non-negative integer), ``signed`` (``change``: may be negative),
        ``amount`` (万元, decimal)
    :param header_factor: for amounts, the unit factor printed in the column header
    :returns: (value, warning): value None for blanks, markers and anything unreadable; the
        warning (or None) says what was dropped or refused.
    """
    if kind != "amount" and raw and raw.isascii() and raw.isdigit():
        return int(raw), None  # the usual cell, kept cheap
    t = _prep(raw)
    if not t or t in NULL_MARKERS:
        return None, None
    if t in _ZEROS:
        return (0.0 if kind == "amount" else 0), None
    m = _NUMBER.match(t)
    if not m and cn_count(t) is not None:
        return (float(cn_count(t)) if kind == "amount" else cn_count(t)), None
    if not m:
        return None, f"not a number: {raw!r}"
    noted = m.group("note") or _strip_mark(raw.strip()) != raw.strip()
    warning = f"note dropped from {raw!r}" if noted else None
    sign = m.group("sign") or ""
    negative = sign in ("-", "−", "↓", "下降") or sign.startswith("减")
    digits = m.group("num").replace(",", "")
    unit = m.group("unit") or ""
    if kind == "amount":
        factor = dict(AMOUNT_UNITS).get(unit) if unit in dict(AMOUNT_UNITS) else header_factor
        if factor is None:
            factor = 1.0
        if negative:
            return None, f"negative amount refused: {raw!r}"
        value = round(float(digits + (m.group("frac") or "")) * factor, 6)
        return value, warning
    if m.group("frac"):
        return None, f"decimal in a count column: {raw!r}"
    if unit and unit not in COUNT_UNITS:
        return None, f"unexpected unit in a count column: {raw!r}"
    number = int(digits)
    if kind == "signed":
        return (-number if negative else number), warning
    if sign:
        return None, f"sign in a count column: {raw!r}"
    return number, warning
