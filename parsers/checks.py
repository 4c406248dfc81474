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


# Each rule's equation as the cells of its table it adds up, (left, right), each a (row, col):
# the rules evaluate them and check_keys() names them (the report page shows a failed check's
# figures), so the two cannot drift apart.
Cells = list[tuple[str, str]]


def _balance_cells(col: str) -> tuple[Cells, Cells]:
    return ([("new_received", col), ("carried_over", col)],
            [("results_total", col), ("carried_forward", col)])


def _row_total_cells(row: str) -> tuple[Cells, Cells]:
    return [(row, "total")], [(row, c) for c in _PARTS]


def _results_total_cells(col: str, other: tuple[str, ...]) -> tuple[Cells, Cells]:
    return [("results_total", col)], [(r, col) for r in _RESULT_ROWS + other]


def _other_split_cells(col: str) -> tuple[Cells, Cells]:
    return [("other_handling", col)], [(r, col) for r in OTHER_SUBROWS]


def _review_total_cells(row: str) -> tuple[Cells, Cells]:
    return [(row, "total")], [(row, c) for c in _REVIEW_PARTS]


def _equation(name: str, table: dict, cells: tuple[Cells, Cells]) -> dict:
    value = lambda rc: (table.get(rc[0]) or {}).get(rc[1])
    left, right = cells
    return _check(name, [value(c) for c in left], [value(c) for c in right])


def check_requests(requests: dict, printed: set[str], fmt: str) -> list[dict]:
    """requests_balance, requests_row_total, requests_results_total (+ requests_other_split)."""
    single, split = other_rows_in_use(requests, printed, fmt)
    rows = list(catalogue().keys(fmt).get("requests", {}))
    if not single:
        rows.remove("other_handling")
    if not split:
        rows = [r for r in rows if r not in OTHER_SUBROWS]
    checks = [_equation(f"requests_balance:{col}", requests, _balance_cells(col))
              for col in REQUEST_COLS]
    checks += [_equation(f"requests_row_total:{row}", requests, _row_total_cells(row))
               for row in rows]
    other = OTHER_SUBROWS if split else ("other_handling",)
    checks += [_equation(f"requests_results_total:{col}", requests,
                         _results_total_cells(col, tuple(other))) for col in REQUEST_COLS]
    if single and split:
        checks += [_equation(f"requests_other_split:{col}", requests, _other_split_cells(col))
                   for col in REQUEST_COLS]
    return checks


def check_review(tables: dict) -> list[dict]:
    """review_litigation_total for the three rows of table 四."""
    review = tables.get("review_litigation") or {}
    return [_equation(f"review_litigation_total:{row}", review, _review_total_cells(row))
            for row in ("review", "litigation_direct", "litigation_after_review")]


# rule → (its table, the cells of one scope's equation): what check_keys() reads.
_RULE_CELLS = {
    "requests_balance": ("requests", _balance_cells),
    "requests_row_total": ("requests", _row_total_cells),
    "requests_results_total": ("requests", _results_total_cells),
    "requests_other_split": ("requests", _other_split_cells),
    "review_litigation_total": ("review_litigation", _review_total_cells),
}


def check_keys(name: str, keys: set[str] | None = None) -> list[str]:
    """The cell keys (``table.row.col``) an in-report check adds up; ``[]`` for another name.

    :param keys: the report's own keys, if known: only those are named; a
        ``requests_results_total`` check read the three 其他处理 sub-rows when the report has
        any of them (else the undivided row), as ``other_rows_in_use`` decides

    >>> check_keys("requests_balance:total")
    ['requests.new_received.total', 'requests.carried_over.total', 'requests.results_total.total', 'requests.carried_forward.total']
    """
    rule, _, scope = name.partition(":")
    if rule not in _RULE_CELLS or not scope:
        return []
    table, cells_of = _RULE_CELLS[rule]
    if rule == "requests_results_total":
        split = keys is None or any(k.split(".")[1] in OTHER_SUBROWS for k in keys
                                    if k.startswith("requests."))
        left, right = cells_of(scope, OTHER_SUBROWS if split else ("other_handling",))
    else:
        left, right = cells_of(scope)
    named = [f"{table}.{row}.{col}" for row, col in left + right]
    return [k for k in named if keys is None or k in keys]


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
