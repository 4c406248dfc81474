"""Word's automatic numbering, printed: ``一、`` before a heading that holds only ``总体情况``.

A Word report often numbers its section headings (``一、总体情况`` … ``六、其他需要报告的事项``)
and table labels with a list (``w:numPr`` on the paragraph, or on its style: 标题 1 numbered
``%1、`` in ``chineseCounting``): the number is drawn by Word, not stored in the text, so a
reader of ``w:t`` sees ``总体情况`` — and the report's sections were not found. This module
computes the numbers as Word prints them (``word/numbering.xml``: each list's levels, their
format and text, counted in document order) and writes each into its paragraph as a run.

    >>> _format(11, "chineseCounting"), _format(3, "decimalEnclosedCircle"), _format(2, "lowerLetter")
    ('十一', '③', 'b')
    >>> _format(20, "chineseCountingThousand"), _format(4, "upperRoman"), _format(7, "decimalZero")
    ('二十', 'IV', '07')
"""

from __future__ import annotations

import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_w = f"{{{W}}}"
_VAL = _w + "val"
_DIGITS = "零一二三四五六七八九"
_MAX_PARAGRAPHS = 200_000  # a report has a few hundred; past this, leave the text as stored


def number_paragraphs(root: etree._Element, numbering: etree._Element | None,
                      styles: etree._Element | None) -> None:
    """Write the list number Word prints at the start of each numbered paragraph of ``root``
    (the parsed ``document.xml``), in document order."""
    if numbering is None:
        return
    lists = _Lists(numbering, styles)
    if not lists.abstract:
        return
    for n, p in enumerate(root.iter(_w + "p")):
        if n >= _MAX_PARAGRAPHS:
            break
        label = lists.label(p)
        if not label:
            continue
        run = etree.Element(_w + "r")
        etree.SubElement(run, _w + "t").text = label
        props = p.find(_w + "pPr")
        if props is not None:
            props.addnext(run)
        else:
            p.insert(0, run)


class _Lists:
    """The lists of one document and their counters."""

    def __init__(self, numbering: etree._Element, styles: etree._Element | None) -> None:
        # abstract list id → {level: (start, number format, level text such as ``%1、``)}
        self.abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for abstract in numbering.iter(_w + "abstractNum"):
            levels = {}
            for lvl in abstract.iter(_w + "lvl"):
                levels[_int(lvl.get(_w + "ilvl"), 0)] = (
                    _int(_val(lvl, "start"), 1), _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "")
            self.abstract[abstract.get(_w + "abstractNumId") or ""] = levels
        # list instance id → (abstract id, {level: start override})
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}
        for num in numbering.iter(_w + "num"):
            overrides = {}
            for override in num.iter(_w + "lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    overrides[_int(override.get(_w + "ilvl"), 0)] = _int(start, 1)
            self.instances[num.get(_w + "numId") or ""] = (_val(num, "abstractNumId") or "",
                                                           overrides)
        self.styles: dict[str, tuple[str | None, int | None, str | None]] = {}
        for style in (styles.iter(_w + "style") if styles is not None else ()):
            num_pr = style.find(f"{_w}pPr/{_w}numPr")
            self.styles[style.get(_w + "styleId") or ""] = (
                _val(num_pr, "numId") if num_pr is not None else None,
                _int(_val(num_pr, "ilvl"), 0) if num_pr is not None and
                _val(num_pr, "ilvl") is not None else None,
                _val(style, "basedOn"))
        self.counters: dict[str, list[int | None]] = {}  # per abstract list, per level

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            num_id, level, based_on = self.styles.get(style_id, (None, None, None))
            if num_id is not None:
                return num_id, level
            style_id = based_on
        return None, None

    def label(self, p: etree._Element) -> str:
        """The number Word prints before paragraph ``p`` ("" for none or a bullet)."""
        props = p.find(_w + "pPr")
        if props is None:
            return ""
        num_pr = props.find(_w + "numPr")
        num_id = _val(num_pr, "numId") if num_pr is not None else None
        level = _int(_val(num_pr, "ilvl"), 0) if num_pr is not None and \
            _val(num_pr, "ilvl") is not None else None
        if num_id is None:
            num_id, style_level = self._style_numbering(_val(props, "pStyle"))
            level = level if level is not None else style_level
        if not num_id or num_id == "0" or num_id not in self.instances:
            return ""
        level = level or 0
        abstract_id, overrides = self.instances[num_id]
        levels = self.abstract.get(abstract_id, {})
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * 10)
        if not 0 <= level < len(counters):
            return ""
        start = overrides.get(level, levels[level][0])
        counters[level] = start if counters[level] is None else counters[level] + 1  # type: ignore[operator]
        for deeper in range(level + 1, len(counters)):
            counters[deeper] = None
        _, fmt, text = levels[level]
        if fmt in ("bullet", "none") or not text:
            return ""

        def value(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            count = counters[k] if counters[k] is not None else overrides.get(k, levels[k][0])
            return _format(count, levels[k][1])  # type: ignore[arg-type]

        return re.sub(r"%([1-9])", value, text)


def _val(el: etree._Element | None, child: str) -> str | None:
    if el is None:
        return None
    found = el.find(_w + child)
    return found.get(_VAL) if found is not None else None


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _chinese(n: int) -> str:
    """``n`` in Chinese counting as Word prints it (十一, 二十, 一百零一)."""
    if n <= 0:
        return _DIGITS[0]
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if not rest else ("零" + _DIGITS[rest] if rest < 10 else
                                    ("一" + _chinese(rest) if rest < 20 else _chinese(rest)))
        return _DIGITS[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def _format(n: int, fmt: str) -> str:
    """Counter ``n`` in Word's number format ``fmt`` (decimal for formats not listed)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt == "ideographDigital":
        return "".join(_DIGITS[int(d)] for d in str(n)).replace("零", "〇")
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= 12:
        return "子丑寅卯辰巳午未申酉戌亥"[n - 1]
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) - ord("0") + 0xFF10) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and n >= 1:
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(n)
