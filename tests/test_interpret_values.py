"""Cell values (docs/format.md §4): table-driven, one printed form per case."""

from __future__ import annotations

import pytest

from parsers.values import parse_value, unit_factor, value_kind

CASES = [
    # raw, kind, header unit factor, expected value, warning expected?
    ("0", "count", None, 0, False),
    ("12", "count", None, 12, False),
    ("１２", "count", None, 12, False),            # full-width digits
    ("1,234", "count", None, 1234, False),        # thousands separator
    ("1，234", "count", None, 1234, False),       # full-width comma
    ("5件", "count", None, 5, False),              # count units
    ("7条", "count", None, 7, False),
    ("3项", "count", None, 3, False),
    ("2个", "count", None, 2, False),
    ("3（含转办1件）", "count", None, 3, True),      # number + parenthesised note
    ("3 (含转办1件)", "count", None, 3, True),
    ("", "count", None, None, False),             # blank
    ("\u00a0", "count", None, None, False),       # &nbsp;
    ("—", "count", None, None, False),
    ("——", "count", None, None, False),
    ("-", "count", None, None, False),
    ("－", "count", None, None, False),
    ("/", "count", None, None, False),
    ("／", "count", None, None, False),
    ("无", "count", None, None, False),
    ("N/A", "count", None, None, False),
    ("\\", "count", None, None, False),
    ("1.5", "count", None, None, True),           # decimal in a count column
    ("约3", "count", None, None, True),            # other text
    ("-3", "count", None, None, True),            # a sign outside `change`
    ("-8", "signed", None, -8, False),
    ("－8", "signed", None, -8, False),
    ("−8", "signed", None, -8, False),
    ("减8", "signed", None, -8, False),
    ("+4", "signed", None, 4, False),
    ("＋4", "signed", None, 4, False),
    ("增4", "signed", None, 4, False),
    ("-", "signed", None, None, False),           # a lone dash is null, not zero
    ("0", "signed", None, 0, False),
    ("251000元", "amount", None, 25.1, False),     # 元 → 万元
    ("2.5亿元", "amount", None, 25000.0, False),
    ("12.34", "amount", 1.0, 12.34, False),
    ("12.34万元", "amount", None, 12.34, False),
    ("25.1万", "amount", None, 25.1, False),
    ("1.2亿", "amount", None, 12000.0, False),
    ("3万", "count", None, None, True),           # an amount unit in a count column
    ("251000", "amount", 0.0001, 25.1, False),    # unit from the header
    ("—", "amount", 1.0, None, False),
    ("0", "amount", 1.0, 0.0, False),
]


@pytest.mark.parametrize("raw,kind,factor,expected,warns", CASES)
def test_parse_value(raw, kind, factor, expected, warns):
    value, warning = parse_value(raw, kind, factor)
    assert value == expected and type(value) is type(expected)
    assert (warning is not None) == warns, warning


def test_counts_are_ints_and_amounts_floats():
    assert isinstance(parse_value("7", "count")[0], int)
    assert isinstance(parse_value("7", "amount")[0], float)


@pytest.mark.parametrize("raw,kind", [("0", "number"), ("１２件", "number"), ("", "blank"),
                                      ("  ", "blank"), ("—", "null"), ("无", "null"),
                                      ("规章", None), ("1.属于国家秘密", None),
                                      ("0 0 0", None), ("3（含转办1件）", "number")])
def test_value_kind(raw, kind):
    assert value_kind(raw) == kind


@pytest.mark.parametrize("header,factor", [("本年收费金额（单位：万元）", 1.0), ("采购总金额(元)", 0.0001),
                                           ("金额（亿元）", 10000.0), ("采购总金额", None)])
def test_unit_factor(header, factor):
    assert unit_factor(header) == factor
