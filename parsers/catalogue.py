"""The field catalogue: every table/row/column key, its official label and its printed variants.

This module is the ONE place that knows label strings of the three official tables. Everything is
loaded once from ``parsers/fields.csv`` (keys and official labels) and completed by the
:data:`ROW_ALIASES` / :data:`FORMAT_SIGNALS` tables below (variants seen in real reports,
docs/format.md §6). The objects it returns are immutable, so callers can share them freely.

    >>> cat = catalogue()
    >>> cat.cols("requests", "granted", "2021")[:2]
    ('natural_person', 'commercial_enterprise')
    >>> cat.request_rows["withheld_state_secret"].number, cat.request_rows["withheld_state_secret"].parent
    (1, 3)
    >>> sorted(cat.keys("legacy"))
    []
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from parsers.labels import bigrams, norm, split_prefix, strip_note

FIELDS_CSV = Path(__file__).with_name("fields.csv")

TABLES = ("active", "requests", "review_litigation")
FORMATS = ("2021", "2019")

# Printed variants of row labels (docs/format.md §6) beyond the official wording in fields.csv.
# Typos need no entry: rows are matched by number prefix plus a fuzzy text score.
ROW_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "active": {
        "rules": ("规章", "政府规章", "地方政府规章"),
        "normative_documents": ("行政规范性文件", "规范性文件"),
        "other_external_services": ("其他对外管理服务事项", "其他对外管理服务"),
        "centralized_procurement": ("政府集中采购",),
    },
    "requests": {
        "withheld_prohibited_by_law": ("其他法律法规禁止公开", "其他法律行政法规禁止公开"),
        "new_received": ("本年新收政府信息公开申请数量", "本年新收申请数量"),
        "carried_over": ("上年结转政府信息公开申请数量", "上年结转申请数量"),
        "carried_forward": ("结转下年度继续办理", "结转下年度继续办理数量"),
        "results_total": ("总计", "合计"),
    },
}

# Parent groups of table 三 (level, number) → printed label; used for context, never for values.
REQUEST_PARENTS: dict[tuple[int, int], str] = {
    (1, 3): "本年度办理结果",
    (2, 3): "不予公开",
    (2, 4): "无法提供",
    (2, 5): "不予处理",
    (2, 6): "其他处理",
}

# Printed words that tell the two official formats apart (docs/format.md §1), as normalised
# fragments. "table2" signals decide a mixed report.
FORMAT_SIGNALS: dict[str, dict[str, tuple[str, ...]]] = {
    "2021": {
        "table2": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
        "other": ("逾期不补正", "缴纳费用"),
    },
    "2019": {
        "table2": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                   "第二十条第(九)项", "政府集中采购", "采购总金额", "采购项目数量"),
        "other": (),
    },
}

# Cells that announce each table when the section heading is missing (normalised, prefix match).
TABLE_ANCHORS: dict[str, tuple[str, ...]] = {
    "active": ("第二十条第(一)项", "第二十条第(一)款"),
    "requests": ("(本列数据的勾稽关系", "本列数据的勾稽关系", "申请人情况"),
    "review_litigation": ("行政复议",),
}
# Table 四 needs its second anchor nearby to count (a lone 行政复议 cell could be prose).
REVIEW_SECOND_ANCHOR = "行政诉讼"

# Words of table 四's official header (positional figures need it above them).
REVIEW_HEADER_WORDS = ("维持", "纠正", "审结", "复议后起诉", "直接起诉")
# Printed variants of table 四's five column heads beyond fields.csv's official ones; a header
# read in another order than the official one (总计 first) maps its figures by these heads.
REVIEW_COL_ALIASES: dict[str, tuple[str, ...]] = {
    "upheld": ("维持",), "corrected": ("纠正",), "other": ("其他结果",),
    "pending": ("未审结", "尚未审结"), "total": ("合计", "小计"),
}
# Printed variants of table 三's applicant column heads beyond fields.csv's official ones (the
# part after "法人或其他组织 / "); a header read in another order maps its figures by these.
REQUEST_COL_ALIASES: dict[str, tuple[str, ...]] = {
    "total": ("合计",), "other_org": ("其他组织",), "social_welfare_org": ("公益组织",),
}
# Printed variants of the organisations' group head beyond fields.csv's (法人或其他组织).
REQUEST_GROUP_ALIASES: tuple[str, ...] = ("法人或者其他组织", "法人和其他组织", "法人及其他组织")
# The word that marks an amount column's header (its unit is read from the same cell).
AMOUNT_HEADER_WORD = "金额"

# Units an amount cell or header may print, as a factor to 万元.
AMOUNT_UNITS: tuple[tuple[str, float], ...] = (("亿元", 10000.0), ("万元", 1.0), ("元", 0.0001),
                                               ("亿", 10000.0), ("万", 1.0))


@dataclass(frozen=True)
class Field:
    """One row of fields.csv."""

    table: str
    format: str  # "2021" | "2019" | "both"
    row: str
    row_label: str
    col: str
    col_label: str


@dataclass(frozen=True)
class RequestRow:
    """A table 三 row: where it sits in the printed hierarchy and what it is called."""

    key: str
    level: int          # 1 = 一、…; 2 = (一)…; 3 = 1.…
    number: int         # its number within the parent
    parent: int | None  # level-2 parent number for level-3 rows, else None
    texts: tuple[str, ...]          # normalised label texts (official + variants), prefix removed
    grams: tuple[frozenset[str], ...]
    formats: tuple[str, ...]


@dataclass(frozen=True)
class ActiveRow:
    """A table 二 row: label texts (no number prefix in print)."""

    key: str
    texts: tuple[str, ...]
    grams: tuple[frozenset[str], ...]
    formats: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: it is a shared singleton
class Catalogue:
    """Everything about the keys, built from fields.csv; see :func:`catalogue`."""

    fields: tuple[Field, ...]
    request_rows: dict[str, RequestRow] = field(default_factory=dict)
    active_rows: dict[str, ActiveRow] = field(default_factory=dict)
    col_labels: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def keys(self, fmt: str) -> dict[str, dict[str, tuple[str, ...]]]:
        """``{table: {row: (col, ...)}}`` of every cell a report of format ``fmt`` carries.

        :param fmt: "2021" or "2019" ("legacy" has no table cells)
        """
        return _keys(self, fmt)

    def cols(self, table: str, row: str, fmt: str) -> tuple[str, ...]:
        """The column keys of ``table.row`` in format ``fmt`` (empty when the row is not in it)."""
        return self.keys(fmt).get(table, {}).get(row, ())

    def result_rows(self) -> tuple[str, ...]:
        """Table 三 rows that add up to (七)总计, except the (六)其他处理 rows (in print order)."""
        return tuple(r.key for r in self.request_rows.values()
                     if (r.level == 2 and r.number in (1, 2)) or (r.level == 3 and r.parent in (3, 4, 5)))

    def other_subrows(self) -> tuple[str, ...]:
        """The three 2021 sub-rows of (六)其他处理."""
        return tuple(r.key for r in self.request_rows.values() if r.level == 3 and r.parent == 6)

    def review_columns(self, text: str) -> list[str]:
        """The table 四 columns the heads printed in ``text`` name, in order
        (``"总计结果维持"`` → ``["total", "upheld"]``; a flattened header row is one text).

        Only whole heads count: ``结果`` or ``计`` of a head split over two rows names none.

            >>> catalogue().review_columns("总计 结果维持"), catalogue().review_columns("结果")
            (['total', 'upheld'], [])
        """
        heads, pattern = _review_heads(self)
        return [heads[m.group(0)] for m in pattern.finditer(norm(text))]

    def applicant_heads(self) -> ApplicantHeads:
        """Table 三's applicant columns as printed: their official order, each head's text
        (fields.csv's and :data:`REQUEST_COL_ALIASES`, normalised) → column, and the group head
        printed over the organisations' columns.

            >>> heads = catalogue().applicant_heads()
            >>> heads.group, heads.cols[0], heads.by_head["合计"], heads.ungrouped
            ('法人或其他组织', 'natural_person', 'total', ('natural_person', 'total'))
        """
        return _applicant_heads(self)

    def col_label(self, table: str, fmt: str, col: str) -> str | None:
        """The official header of a column (first one listed in fields.csv)."""
        return self.col_labels.get((table, fmt, col)) or self.col_labels.get((table, "both", col))


@lru_cache(maxsize=8)
def _keys(cat: Catalogue, fmt: str) -> dict[str, dict[str, tuple[str, ...]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for f in cat.fields:
        if f.format in (fmt, "both") and fmt in FORMATS:
            out.setdefault(f.table, {}).setdefault(f.row, []).append(f.col)
    return {t: {r: tuple(c) for r, c in rows.items()} for t, rows in out.items()}


@dataclass(frozen=True)
class ApplicantHeads:
    """See :meth:`Catalogue.applicant_heads`."""
    cols: tuple[str, ...]           # official order
    by_head: dict[str, str]         # normalised head → column
    group: str                      # 法人或其他组织
    ungrouped: tuple[str, ...]      # the columns outside the group (自然人, 总计)
    group_heads: frozenset[str]     # the group head as printed: fields.csv's and its variants


@lru_cache(maxsize=1)
def _applicant_heads(cat: Catalogue) -> ApplicantHeads:
    cols = cat.cols("requests", "new_received", "2021")
    by_head: dict[str, str] = {}
    groups: set[str] = set()
    ungrouped = []
    for col in cols:
        *group, own = (cat.col_label("requests", "2021", col) or col).split(" / ")
        by_head[norm(own)] = col
        groups.update(norm(g) for g in group)
        if not group:
            ungrouped.append(col)
    for col, aliases in REQUEST_COL_ALIASES.items():
        for a in aliases:
            by_head.setdefault(norm(a), col)
    (group,) = groups
    return ApplicantHeads(cols, by_head, group, tuple(ungrouped),
                          frozenset({group, *map(norm, REQUEST_GROUP_ALIASES)}))


@lru_cache(maxsize=1)
def _review_heads(cat: Catalogue) -> tuple[dict[str, str], re.Pattern[str]]:
    heads: dict[str, str] = {}
    for f in cat.fields:
        if f.table == "review_litigation":
            heads.setdefault(norm(f.col_label), f.col)
    for col, aliases in REVIEW_COL_ALIASES.items():
        for a in aliases:
            heads.setdefault(norm(a), col)
    # Longest first, so 结果维持 is one head, not 维持 after a stray 结果.
    pattern = re.compile("|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True)))
    return heads, pattern


def _request_row(key: str, label: str, formats: tuple[str, ...]) -> RequestRow:
    parts = [p.strip() for p in label.split("/")]
    leaf = norm(parts[-1])
    level, number, text = split_prefix(leaf)
    parent = None
    if level == 3 and len(parts) >= 2:
        plevel, pnumber, _ = split_prefix(norm(parts[-2]))
        parent = pnumber if plevel == 2 else None
    texts = [strip_note(text)]
    texts += [strip_note(norm(a)) for a in ROW_ALIASES["requests"].get(key, ())]
    uniq = tuple(dict.fromkeys(t for t in texts if t))
    return RequestRow(key, level or 0, number or 0, parent, uniq,
                      tuple(bigrams(t) for t in uniq), formats)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """Load fields.csv once (the result is immutable and shared)."""
    with FIELDS_CSV.open(encoding="utf-8", newline="") as fh:
        fields = tuple(Field(r["table"], r["format"], r["row"], r["row_label_zh"], r["col"],
                             r["col_label_zh"]) for r in csv.DictReader(fh))
    row_formats: dict[tuple[str, str], list[str]] = {}
    row_label: dict[tuple[str, str], str] = {}
    col_labels: dict[tuple[str, str, str], str] = {}
    for f in fields:
        fmts = ("2021", "2019") if f.format == "both" else (f.format,)
        known = row_formats.setdefault((f.table, f.row), [])
        known.extend(x for x in fmts if x not in known)
        row_label.setdefault((f.table, f.row), f.row_label)
        col_labels.setdefault((f.table, f.format, f.col), f.col_label)
    request_rows = {}
    active_rows = {}
    for (table, row), fmts in row_formats.items():
        if table == "requests":
            request_rows[row] = _request_row(row, row_label[(table, row)], tuple(fmts))
        elif table == "active":
            texts = [strip_note(norm(row_label[(table, row)]))]
            texts += [strip_note(norm(a)) for a in ROW_ALIASES["active"].get(row, ())]
            uniq = tuple(dict.fromkeys(texts))
            active_rows[row] = ActiveRow(row, uniq, tuple(bigrams(t) for t in uniq), tuple(fmts))
    return Catalogue(fields, request_rows, active_rows, col_labels)
