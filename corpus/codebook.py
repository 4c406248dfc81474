"""The codebook: every table cell key of ``parsers/fields.csv`` with labels, format and unit.

    >>> from corpus.codebook import FIELDS, keys_for_format
    >>> FIELDS["requests.new_received.total"].unit
    '件'
    >>> "active.rules.issued" in keys_for_format("2021")
    True

``fields.csv`` (the contract's list of keys) is read once; English labels and units are derived
here from the keys because the CSV carries only the Chinese labels.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FIELDS_CSV = Path(__file__).resolve().parent.parent / "parsers" / "fields.csv"

TABLES_EN = {
    "active": "Proactive disclosure (table 2)",
    "requests": "Applications received and handled (table 3)",
    "review_litigation": "Administrative review and litigation (table 4)",
}
TABLES_ZH = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}


@dataclass(frozen=True)
class Field:
    """One cell key (``table.row.col``) and what it means."""

    key: str
    table: str
    row: str
    col: str
    format: str  # "2021", "2019" or "both" (a key in both formats appears once, as "both")
    label_zh: str
    row_label_zh: str
    col_label_zh: str
    label_en: str
    unit: str  # Chinese unit: 件 / 项 / 万元
    unit_en: str


def _humanize(key: str) -> str:
    return key.replace("_10k_yuan", " (10k yuan)").replace("_", " ")


def _unit(table: str, col: str) -> tuple[str, str]:
    """The unit a cell is counted in (docs/format.md §3)."""
    if col == "amount_10k_yuan":
        return "万元", "10,000 yuan"
    if col in ("prev_year_items", "change", "items"):
        return "项", "items"
    if table == "requests":
        return "件", "applications"
    if table == "review_litigation":
        return "件", "cases"
    return "件", "documents or decisions"


@lru_cache(maxsize=1)
def _load() -> dict[str, Field]:
    fields: dict[str, Field] = {}
    with open(FIELDS_CSV, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            key = f"{rec['table']}.{rec['row']}.{rec['col']}"
            if key in fields:
                # The same key printed in both formats (e.g. active.*.decisions): one codebook row.
                fields[key] = _replace_format(fields[key], "both")
                continue
            unit, unit_en = _unit(rec["table"], rec["col"])
            fields[key] = Field(
                key=key, table=rec["table"], row=rec["row"], col=rec["col"], format=rec["format"],
                label_zh=f"{rec['row_label_zh']} / {rec['col_label_zh']}",
                row_label_zh=rec["row_label_zh"], col_label_zh=rec["col_label_zh"],
                label_en=f"{TABLES_EN[rec['table']].split(' (')[0]}: {_humanize(rec['row'])}"
                         f" — {_humanize(rec['col'])}",
                unit=unit, unit_en=unit_en)
    return fields


def _replace_format(field: Field, fmt: str) -> Field:
    return Field(**{**field.__dict__, "format": fmt})


# Read once at import: a 230-line CSV, needed by every corpus module.
FIELDS: dict[str, Field] = _load()


def all_fields() -> list[Field]:
    """Every key once, in fields.csv order (the column order of the wide view and exports)."""
    return list(_load().values())


def all_keys() -> list[str]:
    """Every cell key, in fields.csv order."""
    return list(_load())


def keys_for_format(fmt: str | None) -> list[str]:
    """The keys a report of ``fmt`` ("2021"/"2019") carries; none for legacy or unknown."""
    if fmt not in ("2021", "2019"):
        return []
    return [f.key for f in _load().values() if f.format in (fmt, "both")]


def is_known_key(key: str) -> bool:
    """True when ``key`` is a fields.csv key."""
    return key in _load()
