"""Synthetic parsed reports (the JSON of docs/contract.md) for tests and the corpus benchmark.

    >>> from corpus.synthetic import make_report
    >>> r = make_report("攀枝花市东区科学技术局", 2023, seed=1)
    >>> r["format"], r["requests"]["new_received"]["total"] == sum(
    ...     v for k, v in r["requests"]["new_received"].items() if k != "total")
    ('2021', True)

Figures are random but obey the report-level rules of docs/format.md §5 (balances and totals),
and ``carried_over`` of year Y equals ``carried_forward`` of Y−1 when ``previous`` is given, so
the corpus-level carry-over check passes unless a test breaks it on purpose.
"""

from __future__ import annotations

import random
from typing import Any

from corpus.codebook import FIELDS, keys_for_format

REQ_COLS = ("natural_person", "commercial_enterprise", "research_institution",
            "social_welfare_org", "legal_service_org", "other_org")
RESULT_ROWS_2021 = ("granted", "partially_granted", "withheld_state_secret",
                    "withheld_prohibited_by_law", "withheld_security_stability",
                    "withheld_third_party_rights", "withheld_internal_affairs",
                    "withheld_process_information", "withheld_enforcement_files",
                    "withheld_administrative_query", "unavailable_not_held",
                    "unavailable_needs_creation", "unavailable_unclear_after_correction",
                    "not_processed_complaint", "not_processed_duplicate",
                    "not_processed_publication", "not_processed_excessive",
                    "not_processed_confirmation", "other_no_correction", "other_unpaid_fee",
                    "other_other")


def _result_rows(fmt: str) -> tuple[str, ...]:
    if fmt == "2019":
        return RESULT_ROWS_2021[:18] + ("other_handling",)
    return RESULT_ROWS_2021


def make_report(agency: str, year: int, fmt: str | None = None, seed: int = 0,
                previous: dict[str, Any] | None = None,
                overview: str | None = None) -> dict[str, Any]:
    """A parsed annual report with every cell of its format filled and consistent.

    :param agency: full agency name
    :param year: report year
    :param fmt: "2021" or "2019" (default by year: 2019–2020 → 2019)
    :param seed: random seed (same seed, same figures)
    :param previous: the same agency's report of ``year - 1``, for carry-over
    :param overview: text of section 一 (default: a sentence stating the applications received)
    """
    fmt = fmt or ("2019" if year < 2021 else "2021")
    rng = random.Random(f"{agency}|{year}|{seed}")
    tables: dict[str, dict[str, dict[str, Any]]] = {"active": {}, "requests": {},
                                                     "review_litigation": {}}
    for key in keys_for_format(fmt):
        table, row, col = key.split(".")
        if table == "active":
            if col == "amount_10k_yuan":
                value: Any = round(rng.uniform(0, 50), 2)
            elif col == "change":
                value = rng.randint(-5, 5)
            else:
                value = rng.choice([0, 0, rng.randint(1, 40)])
            tables["active"].setdefault(row, {})[col] = value
    prev_active = (previous or {}).get("active", {})
    for row, cols in tables["active"].items():
        # Continuity across years (docs/format.md §5): stock = last year's stock + flows.
        before = prev_active.get(row, {})
        if "in_force" in cols and before.get("in_force") is not None:
            cols["in_force"] = max(before["in_force"] + cols["issued"] - cols["repealed"], 0)
            cols["repealed"] = before["in_force"] + cols["issued"] - cols["in_force"]
        if "prev_year_items" in cols and before.get("prev_year_items") is not None:
            cols["prev_year_items"] = before["prev_year_items"] + (before.get("change") or 0)
    req = tables["requests"]
    results = _result_rows(fmt)
    for col in REQ_COLS:
        carried_over = (previous or {}).get("requests", {}).get("carried_forward", {}).get(col)
        carried_over = carried_over if carried_over is not None else rng.randint(0, 3)
        new = rng.choice([0, rng.randint(1, 30), rng.randint(30, 400)]) if col == "natural_person" \
            else rng.choice([0, 0, rng.randint(1, 10)])
        pool = new + carried_over
        forward = rng.randint(0, min(pool, 3))
        left = pool - forward
        parts = {}
        for row in results:
            take = rng.randint(0, left) if row != results[-1] else left
            take = min(take, left // 2 + 1) if row != results[-1] else take
            parts[row] = take
            left -= take
        req.setdefault("new_received", {})[col] = new
        req.setdefault("carried_over", {})[col] = carried_over
        for row, v in parts.items():
            req.setdefault(row, {})[col] = v
        req.setdefault("results_total", {})[col] = sum(parts.values())
        req.setdefault("carried_forward", {})[col] = forward
    for row in req:
        req[row]["total"] = sum(req[row][c] for c in REQ_COLS)
    if fmt == "2021":
        req["other_handling"] = {c: None for c in (*REQ_COLS, "total")}
    else:
        for row in ("other_no_correction", "other_unpaid_fee", "other_other"):
            req.pop(row, None)
    for block in ("review", "litigation_direct", "litigation_after_review"):
        parts = {c: rng.choice([0, 0, 0, rng.randint(1, 4)])
                 for c in ("upheld", "corrected", "other", "pending")}
        tables["review_litigation"][block] = {**parts, "total": sum(parts.values())}
    received = req["new_received"]["total"]
    checks = [{"name": f"requests_balance:{c}", "passed": True,
               "detail": f"{req['new_received'][c]} + {req['carried_over'][c]} = "
                         f"{req['results_total'][c]} + {req['carried_forward'][c]}"}
              for c in (*REQ_COLS, "total")]
    text = overview if overview is not None else (
        f"{year}年，本机关共收到政府信息公开申请{received}件，主动公开政府信息{rng.randint(10, 900)}条。"
        "坚持以公开为常态、不公开为例外，依申请公开工作规范有序。")
    report: dict[str, Any] = {
        "is_annual_report": True,
        "title": f"{agency}{year}年政府信息公开工作年度报告",
        "agency": agency, "year": year, "format": fmt,
        "published_date": f"{year + 1}-01-{rng.randint(10, 28):02d}",
        **tables, "checks": checks,
        "sections": {"overview": text, "problems": "存在的主要问题：公开质量有待提高。改进情况：加强培训。",
                     "other": "本年度未收取信息处理费。"},
        "cells_raw": {}, "warnings": [], "needs_ocr": False, "document_type": "html",
        "parser_version": "synthetic",
    }
    for key in keys_for_format(fmt):
        table, row, col = key.split(".")
        value = report[table].get(row, {}).get(col)
        report["cells_raw"][key] = "" if value is None else (
            f"{value:g}" if isinstance(value, float) else str(value))
    assert all(k in FIELDS for k in report["cells_raw"])
    return report


def report_html(report: dict[str, Any]) -> bytes:
    """A small HTML page carrying a report's title and text (bytes to store as its document)."""
    body = "".join(f"<p>{v}</p>" for v in report["sections"].values())
    figures = report["requests"]["new_received"]["total"]
    return (f"<html><head><meta charset='utf-8'><title>{report['title']}</title></head><body>"
            f"<h1>{report['title']}</h1>{body}<table><tr><td>一、本年新收政府信息公开申请数量</td>"
            f"<td>{figures}</td></tr></table></body></html>").encode("utf-8")
