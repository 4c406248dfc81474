"""The cell keys of each report format, read from ``parsers/fields.csv`` (the only source of keys).

    >>> from tests.fixturegen.schema import cell_keys
    >>> ("active", "rules", "issued") in cell_keys("2021")
    True
    >>> ("requests", "other_no_correction", "total") in cell_keys("2019")
    False
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

FIELDS_CSV = Path(__file__).resolve().parents[2] / "parsers" / "fields.csv"

TABLES = ("active", "requests", "review_litigation")

# Data order of the requests columns (docs/format.md §3.3); fixed by the official template.
REQUEST_COLS = ("natural_person", "commercial_enterprise", "research_institution",
                "social_welfare_org", "legal_service_org", "other_org", "total")
ORG_COLS = REQUEST_COLS[:6]
REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLS = ("upheld", "corrected", "other", "pending", "total")

WITHHELD = ("withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
            "withheld_third_party_rights", "withheld_internal_affairs",
            "withheld_process_information", "withheld_enforcement_files",
            "withheld_administrative_query")
UNAVAILABLE = ("unavailable_not_held", "unavailable_needs_creation",
               "unavailable_unclear_after_correction")
NOT_PROCESSED = ("not_processed_complaint", "not_processed_duplicate",
                 "not_processed_publication", "not_processed_excessive",
                 "not_processed_confirmation")
OTHER_SUBROWS = ("other_no_correction", "other_unpaid_fee", "other_other")


@cache
def _rows() -> tuple[dict[str, str], ...]:
    with FIELDS_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def cell_keys(fmt: str) -> tuple[tuple[str, str, str], ...]:
    """Every ``(table, row, col)`` of fields.csv that belongs to ``fmt`` ("2021" or "2019"),
    in file order."""
    return tuple((r["table"], r["row"], r["col"]) for r in _rows() if r["format"] in (fmt, "both"))


def table_rows(fmt: str, table: str) -> list[str]:
    """Row keys of one table for a format, in file order, without duplicates."""
    seen: list[str] = []
    for t, row, _ in cell_keys(fmt):
        if t == table and row not in seen:
            seen.append(row)
    return seen


def row_cols(fmt: str, table: str, row: str) -> list[str]:
    """Column keys of one row for a format, in file order."""
    return [c for t, r, c in cell_keys(fmt) if t == table and r == row]
