"""How one figure is printed: blanks, full-width digits, thousands separators, units, signs.

Every function takes the document's ``random.Random`` so a fixture is reproducible from its seed.

    >>> import random
    >>> print_amount(2.51, random.Random(1), style="yuan")
    '25100元'
    >>> print_change(-3, random.Random(1), style="chinese")
    '减3'
"""

from __future__ import annotations

import random
from decimal import Decimal

# The null markers of docs/format.md §4 (``""`` is an empty cell; HTML renders it as &nbsp;).
NULL_MARKERS = ("", "—", "——", "-", "－", "/", "／", "无")

_FULLWIDTH = str.maketrans("0123456789.,+-", "０１２３４５６７８９．，＋－")


def to_fullwidth(text: str) -> str:
    """Full-width forms of digits and signs (what some Word/PDF outputs carry)."""
    return text.translate(_FULLWIDTH)


def print_count(value: int, rng: random.Random, *, thousands: bool = False,
                fullwidth: bool = False, unit: str = "") -> str:
    """A non-negative count as printed: ``1,234`` / ``1，234`` / ``１２`` / ``3件``."""
    text = str(value)
    if thousands and value >= 1000:
        text = f"{value:,}".replace(",", rng.choice([",", ",", "，"]))
    if fullwidth:
        text = to_fullwidth(text)
    return text + unit


def print_change(value: int, rng: random.Random, *, style: str = "ascii",
                 fullwidth: bool = False) -> str:
    """A signed 本年增/减 value: ``-8`` ``+4`` ``减3`` ``增2`` ``－5``; zero is ``0``."""
    if value == 0:
        text = "0"
    elif style == "chinese":
        text = ("增" if value > 0 else "减") + str(abs(value))
    elif value > 0:
        text = rng.choice(["+", ""]) + str(value)
    else:
        text = rng.choice(["-", "-", "－", "−"]) + str(abs(value))
    return to_fullwidth(text) if fullwidth else text


def print_amount(value: float, rng: random.Random, *, style: str = "10k",
                 fullwidth: bool = False) -> str:
    """An amount whose key is in 万元: ``12.35`` (万元), ``123500元`` (元) or ``1.2万元``."""
    wan = Decimal(str(value))
    if style == "yuan":
        text = f"{int(wan * 10000)}元"
    elif style == "10k_unit":
        text = f"{_plain(wan)}万元"
    elif style == "10k_2dp":
        text = f"{wan:.2f}"
    else:
        text = _plain(wan)
    return to_fullwidth(text) if fullwidth else text


def _plain(d: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 25.10 → '25.1', 3.00 → '3'."""
    text = format(d.normalize(), "f")
    return text


def pick_null(rng: random.Random, allowed: tuple[str, ...] = NULL_MARKERS) -> str:
    """One null marker."""
    return rng.choice(allowed)
