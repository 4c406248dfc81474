"""Consistency rules within one report (勾稽关系, docs/format.md §5).

Each rule gives one check per scope: ``{"name": "rule:scope", "passed": bool | None,
"detail": "3 + 1 = 4 + 0"}``. Arithmetic is exact; a blank (null) operand counts as 0 and the
detail says so; when every cell a check touches is null the check is not assessable
(``passed: None``). Nothing is ever fixed: the figures stay as printed.

    >>> tables = {"review_litigation": {"review": {"upheld": 1, "corrected": 0, "other": None,
    ...                                            "pending": 0, "total": 2}}}
    >>> check_review(tables)[0]
    {'name': 'review_litigation_total:review', 'passed': False, 'detail': '2 ≠ 1 + 0 + 0 + 0 (blank as 0)'}
"""

from __future__ import annotations

import re

from parsers.catalogue import catalogue

_CAT = catalogue()
REQUEST_COLS = _CAT.cols("requests", "new_received", "2021")   # the 6 applicant types + total
_PARTS = REQUEST_COLS[:-1]
_RESULT_ROWS = _CAT.result_rows()
OTHER_SUBROWS = _CAT.other_subrows()
_REVIEW_PARTS = _CAT.cols("review_litigation", "review", "2021")[:-1]  # all but total

Number = int | float | None


def _fmt(values: list[Number]) -> str:
    return " + ".join("0" if v is None else str(v) for v in values)


def _check(name: str, left: list[Number], right: list[Number]) -> dict:
    """One equation ``sum(left) == sum(right)`` as a check dict."""
    operands = left + right
    if all(v is None for v in operands):
        return {"name": name, "passed": None,
                "detail": "not assessable: every cell is blank or missing"}
    lsum = sum(v or 0 for v in left)
    rsum = sum(v or 0 for v in right)
    passed = lsum == rsum
    detail = f"{_fmt(left)} {'=' if passed else '≠'} {_fmt(right)}"
    if any(v is None for v in operands):
        detail += " (blank as 0)"
    return {"name": name, "passed": passed, "detail": detail}


def other_rows_in_use(requests: dict, printed: set[str], fmt: str) -> tuple[bool, bool]:
    """Which (六)其他处理 reading a report uses: (undivided row, three sub-rows).

    2019: always the undivided row. 2021: what was printed; neither printed (tables missing or
    unreadable) → the sub-rows, the official 2021 layout.
    """
    if fmt != "2021":
        return True, False
    single = "other_handling" in printed
    split = any(r in printed for r in OTHER_SUBROWS)
    if not single and not split:
        return False, True
    return single, split


def check_requests(requests: dict, printed: set[str], fmt: str) -> list[dict]:
    """requests_balance, requests_row_total, requests_results_total (+ requests_other_split)."""
    single, split = other_rows_in_use(requests, printed, fmt)
    rows = list(catalogue().keys(fmt).get("requests", {}))
    if not single:
        rows.remove("other_handling")
    if not split:
        rows = [r for r in rows if r not in OTHER_SUBROWS]
    cell = lambda row, col: (requests.get(row) or {}).get(col)
    checks = []
    for col in REQUEST_COLS:
        checks.append(_check(f"requests_balance:{col}",
                             [cell("new_received", col), cell("carried_over", col)],
                             [cell("results_total", col), cell("carried_forward", col)]))
    for row in rows:
        checks.append(_check(f"requests_row_total:{row}", [cell(row, "total")],
                             [cell(row, c) for c in _PARTS]))
    other = list(OTHER_SUBROWS) if split else ["other_handling"]
    for col in REQUEST_COLS:
        checks.append(_check(f"requests_results_total:{col}", [cell("results_total", col)],
                             [cell(r, col) for r in _RESULT_ROWS + tuple(other)]))
    if single and split:
        for col in REQUEST_COLS:
            checks.append(_check(f"requests_other_split:{col}", [cell("other_handling", col)],
                                 [cell(r, col) for r in OTHER_SUBROWS]))
    return checks


def check_review(tables: dict) -> list[dict]:
    """review_litigation_total for the three rows of table 四."""
    review = tables.get("review_litigation") or {}
    checks = []
    for row in ("review", "litigation_direct", "litigation_after_review"):
        cells = review.get(row) or {}
        checks.append(_check(f"review_litigation_total:{row}", [cells.get("total")],
                             [cells.get(c) for c in _REVIEW_PARTS]))
    return checks


def run_checks(tables: dict, printed_requests: set[str], fmt: str) -> list[dict]:
    """Every in-report check for a report of format ``fmt`` ("legacy" gets none)."""
    if fmt not in ("2021", "2019"):
        return []
    return check_requests(tables.get("requests") or {}, printed_requests, fmt) + check_review(tables)


# Figures the overview restates (format.md §5, optional prose cross-checks): phrase → cell.
_PROSE_FIGURES = (
    (re.compile(r"(?:共|累计)?(?:收到|受理|新收)[^。；;,，]{0,12}?(?:政府信息公开|依申请公开)?申请(?:共计?)?(\d+)件"),
     ("requests", "new_received", "total"), "applications received"),
    (re.compile(r"(?:发生|收到|涉及)?[^。；;]{0,6}?行政复议(?:案件)?(\d+)(?:件|起)"),
     ("review_litigation", "review", "total"), "administrative reviews"),
)


def prose_warnings(overview: str | None, tables: dict) -> list[str]:
    """Warnings where the overview states a figure the tables contradict (never a check)."""
    if not overview:
        return []
    text = re.sub(r"\s+", "", overview)
    out = []
    for pattern, (table, row, col), what in _PROSE_FIGURES:
        m = pattern.search(text)
        cell = ((tables.get(table) or {}).get(row) or {}).get(col)
        if m and cell is not None and int(m.group(1)) != cell:
            out.append(f"prose: overview states {m.group(1)} {what}, "
                       f"but {table}.{row}.{col} is {cell}")
    return out
