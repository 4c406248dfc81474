"""Consistency rules (docs/format.md §5): passing, failing, blanks, not assessable."""

from __future__ import annotations

from parsers.catalogue import catalogue
from parsers.checks import check_requests, check_review, run_checks

COLS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total")


def zero_requests(fmt: str) -> dict:
    return {row: dict.fromkeys(cols, 0) for row, cols in catalogue().keys(fmt)["requests"].items()}


def by_name(checks: list[dict]) -> dict[str, dict]:
    return {c["name"]: c for c in checks}


def test_balance_passes_and_fails_with_printed_numbers():
    req = zero_requests("2021")
    req["new_received"]["natural_person"] = 3
    req["carried_over"]["natural_person"] = 1
    req["results_total"]["natural_person"] = 4
    req["new_received"]["other_org"] = 3
    req["carried_over"]["other_org"] = 1
    req["results_total"]["other_org"] = 3
    checks = by_name(check_requests(req, set(req), "2021"))
    assert checks["requests_balance:natural_person"] == {
        "name": "requests_balance:natural_person", "passed": True, "detail": "3 + 1 = 4 + 0"}
    assert checks["requests_balance:other_org"]["passed"] is False
    assert checks["requests_balance:other_org"]["detail"] == "3 + 1 ≠ 3 + 0"


def test_blank_counts_as_zero_and_says_so():
    req = zero_requests("2021")
    req["carried_forward"]["total"] = None
    checks = by_name(check_requests(req, set(req), "2021"))
    assert checks["requests_balance:total"]["passed"] is True
    assert checks["requests_balance:total"]["detail"] == "0 + 0 = 0 + 0 (blank as 0)"
    assert req["carried_forward"]["total"] is None  # the cell stays null


def test_row_total_failure_keeps_figures():
    # 上海 2019: total left blank while the parts are not zero.
    req = zero_requests("2019")
    req["granted"].update(natural_person=3, commercial_enterprise=1, total=None)
    checks = by_name(check_requests(req, set(req), "2019"))
    assert checks["requests_row_total:granted"]["passed"] is False
    assert checks["requests_row_total:granted"]["detail"].startswith("0 ≠ 3 + 1 + 0")
    assert req["granted"]["total"] is None


def test_scopes_per_format():
    req21 = zero_requests("2021")
    printed21 = set(req21) - {"other_handling"}
    names21 = [c["name"] for c in check_requests(req21, printed21, "2021")]
    assert len([n for n in names21 if n.startswith("requests_row_total:")]) == 25
    assert "requests_row_total:other_handling" not in names21
    req19 = zero_requests("2019")
    names19 = [c["name"] for c in check_requests(req19, set(req19), "2019")]
    assert len([n for n in names19 if n.startswith("requests_row_total:")]) == 23
    assert len([n for n in names19 if n.startswith("requests_balance:")]) == 7
    assert len([n for n in names19 if n.startswith("requests_results_total:")]) == 7
    single = check_requests(req21, (set(req21) - {"other_no_correction", "other_unpaid_fee",
                                                  "other_other"}), "2021")
    assert len([c for c in single if c["name"].startswith("requests_row_total:")]) == 23


def test_results_total_uses_the_printed_other_rows():
    req = zero_requests("2021")
    req["other_unpaid_fee"]["total"] = 2
    req["results_total"]["total"] = 2
    printed = set(req) - {"other_handling"}
    assert by_name(check_requests(req, printed, "2021"))["requests_results_total:total"]["passed"]
    req["other_handling"]["total"] = 5  # not printed: must not enter the sum
    assert by_name(check_requests(req, printed, "2021"))["requests_results_total:total"]["passed"]


def test_other_split_only_when_both_printed():
    req = zero_requests("2021")
    req["other_handling"]["total"] = 3
    req["other_other"]["total"] = 3
    checks = by_name(check_requests(req, set(req), "2021"))
    assert checks["requests_other_split:total"] == {"name": "requests_other_split:total",
                                                    "passed": True, "detail": "3 = 0 + 0 + 3"}
    only_sub = set(req) - {"other_handling"}
    assert not any(n.startswith("requests_other_split") for n in by_name(check_requests(req, only_sub, "2021")))


def test_review_totals():
    tables = {"review_litigation": {
        "review": {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2},
        "litigation_direct": {"upheld": 1, "corrected": None, "other": None, "pending": None, "total": 3},
        "litigation_after_review": dict.fromkeys(("upheld", "corrected", "other", "pending", "total")),
    }}
    checks = by_name(check_review(tables))
    assert checks["review_litigation_total:review"] == {
        "name": "review_litigation_total:review", "passed": True, "detail": "2 = 1 + 1 + 0 + 0"}
    assert checks["review_litigation_total:litigation_direct"]["passed"] is False
    assert checks["review_litigation_total:litigation_direct"]["detail"] == "3 ≠ 1 + 0 + 0 + 0 (blank as 0)"
    after = checks["review_litigation_total:litigation_after_review"]
    assert after["passed"] is None and after["detail"].startswith("not assessable")


def test_legacy_gets_no_checks_and_missing_tables_are_not_assessable():
    assert run_checks({}, set(), "legacy") == []
    checks = run_checks({}, set(), "2021")
    assert checks and all(c["passed"] is None for c in checks)
    assert all(c["detail"].startswith("not assessable") for c in checks)


def test_prose_cross_check_is_a_warning_not_a_check():
    from parsers.checks import prose_warnings

    tables = {"requests": {"new_received": {"total": 8}}, "review_litigation": {"review": {"total": 0}}}
    assert prose_warnings("本年度共收到政府信息公开申请8件，均已答复。", tables) == []
    warned = prose_warnings("本年度共收到政府信息公开申请9件。全年发生行政复议1件。", tables)
    assert len(warned) == 2 and "9 applications" in warned[0] and "review.total is 0" in warned[1]
    assert prose_warnings(None, tables) == []


def all_zero_tables(fmt: str) -> dict:
    keys = catalogue().keys(fmt)
    return {table: {row: dict.fromkeys(cols, 0) for row, cols in rows.items()}
            for table, rows in keys.items() if table in ("requests", "review_litigation")}


def test_check_keys_name_exactly_the_cells_each_check_adds_up():
    """check_keys(name) is what the report page shows beside a failed check: every cell it names
    moves that check, and no other cell of the tables does."""
    from parsers.checks import check_keys

    for fmt in ("2021", "2019"):
        tables = all_zero_tables(fmt)
        printed = set(tables["requests"])
        base = by_name(run_checks(tables, printed, fmt))
        every_key = {f"{t}.{r}.{c}" for t, rows in tables.items()
                     for r, cols in rows.items() for c in cols}
        moved_by: dict[str, set[str]] = {}   # key → the checks a change of it unbalances
        for key in every_key:
            table, row, col = key.split(".")
            tables[table][row][col] = 7   # unbalances any equation that reads it once
            moved_by[key] = {c["name"] for c in run_checks(tables, printed, fmt)
                             if c["passed"] is False}
            tables[table][row][col] = 0
        for name, check in base.items():
            assert check["passed"] is True, name
            named = check_keys(name, every_key)
            assert named and set(named) <= every_key, name
            assert set(named) == {k for k in every_key if name in moved_by[k]}, (fmt, name)
    assert check_keys("carryover:total") == []
