"""Compare a parser result with a fixture's expected JSON; every difference is one line.

    >>> compare_cells({"requests": {"granted": {"total": 3}}}, {"requests": {"granted": {"total": 2}}})
    ['requests.granted.total: expected 3, got 2']
"""

from __future__ import annotations

import math
import unicodedata

from tests.fixturegen.schema import TABLES

META_KEYS = ("is_annual_report", "title", "agency", "year", "format", "published_date",
             "needs_ocr")


def _same(expected, got) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(got, bool) or isinstance(expected, bool):
        return expected is got
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return math.isclose(float(expected), float(got), rel_tol=0, abs_tol=1e-9)
    return expected == got


def compare_cells(expected: dict, got: dict, *, missing_as_null: bool = False) -> list[str]:
    """Every table cell of ``expected`` against ``got`` (``table.row.col: expected X, got Y``).

    :param missing_as_null: treat an absent table/row/cell in ``got`` as null (image-only PDFs
        whose tables a parser may omit); otherwise an absent cell is a difference.
    """
    diffs: list[str] = []
    for table in TABLES:
        for row, cols in (expected.get(table) or {}).items():
            for col, want in cols.items():
                holder = ((got.get(table) or {}).get(row) or {})
                if col not in holder and not missing_as_null:
                    diffs.append(f"{table}.{row}.{col}: expected {want!r}, cell missing")
                    continue
                have = holder.get(col)
                if not _same(want, have):
                    diffs.append(f"{table}.{row}.{col}: expected {want!r}, got {have!r}")
    return diffs


def _norm(text):
    if not isinstance(text, str):
        return text
    return "".join(unicodedata.normalize("NFKC", text).split())


def compare_meta(expected: dict, got: dict) -> list[str]:
    """Title (whitespace/NFKC-insensitive), agency, year, format, date, is_annual_report,
    needs_ocr — only the keys ``expected`` names."""
    diffs = []
    for key in META_KEYS:
        if key not in expected:
            continue
        want, have = expected[key], got.get(key)
        if key in ("title", "agency"):
            ok = _norm(want) == _norm(have)
        else:
            ok = _same(want, have) if not isinstance(want, bool) else bool(have) is want
        if not ok:
            diffs.append(f"{key}: expected {want!r}, got {have!r}")
    return diffs


def compare_checks(expected: dict, got: dict) -> list[str]:
    """Each expected check must be present in ``got['checks']`` with the same ``passed``."""
    have = {c.get("name"): c for c in got.get("checks") or [] if isinstance(c, dict)}
    diffs = []
    for check in expected.get("checks", []):
        name, want = check["name"], check["passed"]
        if name not in have:
            diffs.append(f"check {name}: expected passed={want}, check missing")
        elif have[name].get("passed") is not want:
            diffs.append(f"check {name}: expected passed={want}, got passed="
                         f"{have[name].get('passed')!r} ({have[name].get('detail', '')})")
    return diffs


def compare_sections(expected: dict, got: dict) -> list[str]:
    """Each section named in ``sections_contain`` must hold that snippet (whitespace-free)."""
    sections = got.get("sections") or {}
    diffs = []
    for key, snippet in (expected.get("sections_contain") or {}).items():
        text = _norm(sections.get(key) or "")
        if _norm(snippet) not in text:
            diffs.append(f"sections.{key}: should contain {snippet!r}, got {text[:60]!r}")
    return diffs
