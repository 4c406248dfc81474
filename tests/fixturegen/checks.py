"""The consistency rules of docs/format.md §5, computed independently from the true figures.

This is the generator's own small implementation (it does not import the parser), so a
round-trip test compares two independent readings of the rules.

    >>> from tests.fixturegen.figures import make_figures
    >>> outcomes = expected_checks(make_figures(1, "2019", inconsistency="bad_review_total"))
    >>> any(passed is False for name, passed in outcomes.items() if name.startswith("review"))
    True
"""

from __future__ import annotations

from tests.fixturegen.figures import Figures
from tests.fixturegen.schema import (
    NOT_PROCESSED,
    ORG_COLS,
    OTHER_SUBROWS,
    REQUEST_COLS,
    REVIEW_COLS,
    REVIEW_ROWS,
    UNAVAILABLE,
    WITHHELD,
)


def _outcome(left: list[int | float | None], right: list[int | float | None]) -> bool | None:
    """Σ left == Σ right with blanks as 0; None when every operand is blank (not assessable)."""
    if all(v is None for v in left + right):
        return None
    return sum(v or 0 for v in left) == sum(v or 0 for v in right)


def expected_checks(fig: Figures) -> dict[str, bool | None]:
    """``{check name: passed}`` for every table check the report's printed rows call for."""
    def req(row: str, col: str):
        return fig.value("requests", row, col)

    out: dict[str, bool | None] = {}
    for col in REQUEST_COLS:
        out[f"requests_balance:{col}"] = _outcome(
            [req("new_received", col), req("carried_over", col)],
            [req("results_total", col), req("carried_forward", col)])
    other = list(OTHER_SUBROWS) if fig.has_other_subrows else ["other_handling"]
    rows = ["new_received", "carried_over", "granted", "partially_granted", *WITHHELD,
            *UNAVAILABLE, *NOT_PROCESSED, *other, "results_total", "carried_forward"]
    for row in rows:
        out[f"requests_row_total:{row}"] = _outcome([req(row, c) for c in ORG_COLS],
                                                    [req(row, "total")])
    parts = ["granted", "partially_granted", *WITHHELD, *UNAVAILABLE, *NOT_PROCESSED, *other]
    for col in REQUEST_COLS:
        out[f"requests_results_total:{col}"] = _outcome([req(r, col) for r in parts],
                                                        [req("results_total", col)])
    for row in REVIEW_ROWS:
        rv = [fig.value("review_litigation", row, c) for c in REVIEW_COLS]
        out[f"review_litigation_total:{row}"] = _outcome(rv[:4], [rv[4]])
    return out
