"""Checks that need more than one report, or the report's prose: run in the corpus, not in parse.

    >>> from corpus.crosschecks import compare_years
    >>> prev = {"requests.carried_forward.total": 2}
    >>> this = {"requests.carried_over.total": 3}
    >>> checks = compare_years(prev, "2021", this, "2021")
    >>> [c["passed"] for c in checks if c["name"] == "carryover:total"]
    [False]

Rules (docs/format.md §5, corpus-level):

- ``carryover:<col>`` — this year's 上年结转 equals last year's 结转下年度继续办理 (error level;
  agency mergers break it legitimately, which is why failures are rows to read, not deletions).
- ``in_force_continuity:<row>`` — 2021 format: 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发(Y) −
  本年废止(Y) (warning: amendments and clean-ups make it inexact).
- ``items_continuity:<row>`` — 2019 format: 上一年项目数量(Y) = 上一年项目数量(Y−1) + 本年增/减(Y−1)
  (warning).
- ``text_figure:<what>`` — a figure the prose states (收到申请N件, 主动公开N条, 行政复议N件)
  against the tables (warning: prose is loose).

Each check is a dict ``{name, rule, scope, severity, passed, detail}`` like the parser's checks;
``passed`` is None when the figures needed are all blank ("not assessable").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

REQUEST_COLS = ("natural_person", "commercial_enterprise", "research_institution",
                "social_welfare_org", "legal_service_org", "other_org", "total")
IN_FORCE_ROWS = ("rules", "normative_documents")
ITEMS_ROWS = ("administrative_licensing", "other_external_services", "administrative_penalty",
              "administrative_coercion", "administrative_fees")
WARNING_RULES = {"in_force_continuity", "items_continuity", "text_figure"}

Cells = dict[str, Any]  # key → value (None for a blank cell)


def _check(name: str, scope: str, passed: bool | None, detail: str) -> dict[str, Any]:
    rule = name.split(":", 1)[0]
    return {"name": name, "rule": rule, "scope": scope,
            "severity": "warning" if rule in WARNING_RULES else "error",
            "passed": passed, "detail": detail}


def _fmt(value: Any) -> str:
    return "blank" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


class _Equation:
    """``Σ left = Σ right`` between two reports' cells, laid out once per pair of formats (a load
    checks every report: ~10 equations each), blanks counted as 0 (and said so); not assessable
    when every figure is blank.

    :param terms: (label, from this year's report?, cell key) of the left, then the right side
    """

    __slots__ = ("name", "head", "left", "right", "signs", "labels", "simple")

    def __init__(self, name: str, left: list[tuple[str, bool, str]],
                 right: list[tuple[str, bool, str]], signs: list[int] | None):
        rule = name.split(":", 1)[0]
        self.name = name
        self.head = (name, rule, "corpus", "warning" if rule in WARNING_RULES else "error")
        self.left = [(now, key) for _, now, key in left]
        self.right = [(now, key) for _, now, key in right]
        self.signs = signs or [1] * len(right)
        self.labels = f"({', '.join(label for label, _, _ in left + right)})"
        self.simple = len(left) == len(right) == 1 and self.signs == [1]

    def row(self, prev: Cells, this: Cells) -> tuple[Any, ...]:
        """(name, rule, scope, severity, passed, detail) of this pair of reports."""
        if self.simple:  # one figure against one, like every carryover rule
            (lnow, lkey), (rnow, rkey) = self.left[0], self.right[0]
            a, b = (this if lnow else prev).get(lkey), (this if rnow else prev).get(rkey)
            if a is None and b is None:
                return (*self.head, None, "not assessable: every figure is blank")
            ok = abs((a or 0) - (b or 0)) < 1e-9
            detail = f"{_fmt(a)} {'=' if ok else '≠'} {_fmt(b)} {self.labels}"
            return (*self.head, ok, detail if a is not None and b is not None
                    else detail + " (blank as 0)")
        lvalues = [(this if now else prev).get(key) for now, key in self.left]
        rvalues = [(this if now else prev).get(key) for now, key in self.right]
        blanks = lvalues.count(None) + rvalues.count(None)
        if blanks == len(lvalues) + len(rvalues):
            return (*self.head, None, "not assessable: every figure is blank")
        lsum = sum([v or 0 for v in lvalues])
        rsum = 0
        rtext = ""
        for i, (s, v) in enumerate(zip(self.signs, rvalues)):
            rsum += s * (v or 0)
            rtext += (("- " if s < 0 else "+ ") if i else ("-" if s < 0 else "")) + _fmt(v) + " "
        ok = abs(lsum - rsum) < 1e-9
        detail = (f"{' + '.join([_fmt(v) for v in lvalues])} {'=' if ok else '≠'} {rtext}"
                  f"{self.labels}")
        if blanks:
            detail += " (blank as 0)"
        return (*self.head, ok, detail)


def _year_equations(prev_format: str | None, this_format: str | None) -> list[_Equation]:
    """The equations :func:`compare_years` checks for a pair of formats."""
    equations = []
    if prev_format in ("2019", "2021") and this_format in ("2019", "2021"):
        for col in REQUEST_COLS:
            equations.append(_Equation(f"carryover:{col}",
                                       [(f"{col} carried_over Y", True, f"requests.carried_over.{col}")],
                                       [("carried_forward Y-1", False, f"requests.carried_forward.{col}")],
                                       None))
    if prev_format == "2021" and this_format == "2021":
        for row in IN_FORCE_ROWS:
            equations.append(_Equation(f"in_force_continuity:{row}",
                                       [("in_force Y", True, f"active.{row}.in_force")],
                                       [("in_force Y-1", False, f"active.{row}.in_force"),
                                        ("issued Y", True, f"active.{row}.issued"),
                                        ("repealed Y", True, f"active.{row}.repealed")], [1, 1, -1]))
    if prev_format == "2019" and this_format == "2019":
        for row in ITEMS_ROWS:
            equations.append(_Equation(f"items_continuity:{row}",
                                       [("prev_year_items Y", True, f"active.{row}.prev_year_items")],
                                       [("prev_year_items Y-1", False, f"active.{row}.prev_year_items"),
                                        ("change Y-1", False, f"active.{row}.change")], None))
    return equations


_EQUATIONS: dict[tuple[str | None, str | None], list[_Equation]] = {}
_CHECK_FIELDS = ("name", "rule", "scope", "severity", "passed", "detail")


def year_check_rows(prev: Cells, prev_format: str | None, this: Cells,
                    this_format: str | None) -> list[tuple[Any, ...]]:
    """:func:`compare_years` as ``checks`` rows without report_id: (name, rule, scope,
    severity, passed, detail) — what a load stores, without the dicts."""
    formats = (prev_format, this_format)
    equations = _EQUATIONS.get(formats)
    if equations is None:
        equations = _EQUATIONS.setdefault(formats, _year_equations(*formats))
    return [equation.row(prev, this) for equation in equations]


def compare_years(prev: Cells, prev_format: str | None, this: Cells,
                  this_format: str | None) -> list[dict[str, Any]]:
    """Checks between an agency's report of year Y−1 (``prev``) and of year Y (``this``).

    :param prev: cell key → value of the earlier report
    :param prev_format: its format ("2021", "2019", "legacy")
    :param this: cell key → value of the later report
    :param this_format: its format
    :returns: checks to attach to the later report
    """
    return [dict(zip(_CHECK_FIELDS, row))
            for row in year_check_rows(prev, prev_format, this, this_format)]


@lru_cache(maxsize=1)
def year_check_keys() -> dict[str, tuple[list[str], list[str]]]:
    """Check name → (the keys it reads in this year's report, in last year's), for every
    equation of :func:`compare_years` (a report page shows the figures a failed check names).

        >>> year_check_keys()["carryover:total"]
        (['requests.carried_over.total'], ['requests.carried_forward.total'])
    """
    out: dict[str, tuple[list[str], list[str]]] = {}
    for formats in (("2021", "2021"), ("2019", "2019"), ("2019", "2021")):
        for eq in _year_equations(*formats):
            terms = eq.left + eq.right
            out[eq.name] = ([k for now, k in terms if now], [k for now, k in terms if not now])
    return out


def cross_year_keys() -> frozenset[str]:
    """Every cell key :func:`compare_years` reads (a bulk load keeps only these in memory)."""
    keys = {f"requests.{row}.{col}" for row in ("carried_over", "carried_forward")
            for col in REQUEST_COLS}
    keys |= {f"active.{row}.{col}" for row in IN_FORCE_ROWS
             for col in ("in_force", "issued", "repealed")}
    keys |= {f"active.{row}.{col}" for row in ITEMS_ROWS for col in ("prev_year_items", "change")}
    return frozenset(keys)


_NUM = r"([0-9０-９][0-9０-９,，]*)"
# What the prose states → which cells it must equal (sum). Patterns are deliberately narrow:
# a loose match would raise false alarms on every report.
TEXT_FIGURES: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
    ("applications_received",
     re.compile(r"(?:共|累计|全年)?(?:新)?(?:收到|受理|接收)(?:各类|各种)?(?:政府信息公开|依申请公开|信息公开)?"
                r"(?:的)?申请(?:共计|共|合计)?" + _NUM + r"(?:件|个|份|条)"),
     ("requests.new_received.total",)),
    ("active_published",
     re.compile(r"主动公开(?:各类)?(?:政府)?信息(?:共计|共|合计)?" + _NUM + r"条"), ()),
    ("review_cases",
     re.compile(r"(?:发生|收到|办理|涉及)?(?:政府信息公开)?行政复议(?:案件)?(?:共计|共|合计)?" + _NUM + r"(?:件|起)"),
     ("review_litigation.review.total",)),
]


# Every cell key a figure of the prose is compared with.
TEXT_FIGURE_KEYS = frozenset(k for _, _, keys in TEXT_FIGURES for k in keys)


def _to_int(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text).replace(",", "").replace("，", ""))


def text_figure_checks(text: str | None, cells: Cells) -> list[dict[str, Any]]:
    """Compare figures the report's prose states with its tables (warnings).

    :param text: the report's overview or full text
    :param cells: the report's cell key → value
    """
    checks: list[dict[str, Any]] = []
    if not text:
        return checks
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for what, pattern, keys in TEXT_FIGURES:
        match = pattern.search(flat)
        if not match:
            continue
        stated = _to_int(match.group(1))
        sentence = match.group(0)
        if not keys:
            # 主动公开N条 has no table counterpart since 2019; record it, not assessable.
            checks.append(_check(f"text_figure:{what}", "text", None,
                                 f"not assessable: text states {stated} (“{sentence}”); "
                                 "no table figure to compare"))
            continue
        values = [cells.get(k) for k in keys]
        if all(v is None for v in values):
            checks.append(_check(f"text_figure:{what}", "text", None,
                                 f"not assessable: text states {stated}, table blank"))
            continue
        table = sum(v or 0 for v in values)
        ok = table == stated
        checks.append(_check(f"text_figure:{what}", "text", ok,
                             f"text {stated} {'=' if ok else '≠'} table {_fmt(table)} "
                             f"(“{sentence}”; {' + '.join(keys)})"))
    return checks
