"""Accuracy is a pinned number (conventions #5).

The eval set is every real report we hold with a hand-checked answer: the five seeds
(`tests/seeds/*.expected.json`) and the held-out real reports in `tests/eval/`. This test counts
the table cells and metadata fields the parser gets right and fails when the count drops below
the committed baseline in `tests/eval/baseline.json`. The baseline also pins the SHA-256 of the
set, so changing the set without re-pinning is caught. To raise the floor after an improvement,
run ``python tests/test_eval_gate.py --pin``; lowering it needs ``--pin --allow-lower``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
if str(TESTS.parent) not in sys.path:
    sys.path.insert(0, str(TESTS.parent))

from parsers import parse_file  # noqa: E402

BASELINE = TESTS / "eval" / "baseline.json"
META_FIELDS = ("is_annual_report", "agency", "year", "format", "published_date")
TABLES = ("active", "requests", "review_litigation")


def eval_set() -> list[tuple[Path, Path]]:
    """(document, expected JSON) pairs, sorted for a stable hash."""
    pairs = []
    for expected in sorted((TESTS / "seeds").glob("*.expected.json")) + sorted(
        (TESTS / "eval").glob("*.expected.json")
    ):
        stem = expected.name[: -len(".expected.json")]
        docs = [p for p in expected.parent.glob(stem + ".*") if not p.name.endswith(".json")]
        if docs:
            pairs.append((docs[0], expected))
    return pairs


def set_digest(pairs: list[tuple[Path, Path]]) -> str:
    digest = hashlib.sha256()
    for doc, expected in pairs:
        digest.update(doc.read_bytes())
        digest.update(expected.read_bytes())
    return digest.hexdigest()


def score(doc: Path, expected: dict) -> tuple[int, int, list[str]]:
    """(correct, total, misses) over metadata fields and every expected table cell."""
    got = parse_file(doc)
    correct = total = 0
    misses: list[str] = []
    for field in META_FIELDS:
        if field in expected:
            total += 1
            if got.get(field) == expected[field]:
                correct += 1
            else:
                misses.append(f"{doc.name}: {field}: expected {expected[field]!r}, got {got.get(field)!r}")
    for table in TABLES:
        for row, cols in (expected.get(table) or {}).items():
            for col, value in cols.items():
                total += 1
                actual = ((got.get(table) or {}).get(row) or {}).get(col, "<missing>")
                if actual == value:
                    correct += 1
                else:
                    misses.append(f"{doc.name}: {table}.{row}.{col}: expected {value!r}, got {actual!r}")
    return correct, total, misses


def measure() -> dict:
    pairs = eval_set()
    correct = total = 0
    misses: list[str] = []
    for doc, expected_path in pairs:
        c, t, m = score(doc, json.loads(expected_path.read_text(encoding="utf-8")))
        correct, total = correct + c, total + t
        misses += m
    return {"documents": len(pairs), "correct": correct, "total": total,
            "sha256": set_digest(pairs), "misses": misses}


def test_accuracy_does_not_drop_below_the_pinned_baseline():
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    result = measure()
    assert result["documents"] >= 6, "the eval set lost documents"
    assert result["sha256"] == baseline["sha256"], (
        "the eval set changed: re-pin with `python tests/test_eval_gate.py --pin`")
    assert result["correct"] >= baseline["correct"], "\n".join(
        [f"accuracy dropped: {result['correct']}/{result['total']} < {baseline['correct']}"]
        + result["misses"][:30])


if __name__ == "__main__":
    result = measure()
    print(f"{result['documents']} documents, {result['correct']}/{result['total']} correct")
    for miss in result["misses"]:
        print("  miss:", miss)
    if "--pin" in sys.argv:
        old = json.loads(BASELINE.read_text()) if BASELINE.exists() else {"correct": 0}
        if result["correct"] < old["correct"] and "--allow-lower" not in sys.argv:
            sys.exit(f"refusing to lower the floor from {old['correct']} (use --allow-lower)")
        BASELINE.write_text(json.dumps({k: result[k] for k in ("documents", "correct", "total", "sha256")},
                                       indent=1) + "\n")
        print("pinned", BASELINE)
