"""Bounded parses in a long-running process (the crawler, re-parse, merge): each document is
parsed in a forked child (``parsers.limits.parse_bounded``). Side by side, in this process:
children forked from a parent that has not imported the readers (each child imports what its
document needs: trafilatura, pdfplumber, openpyxl …) and from one that called
``parsers.limits.preload()`` once.

    .venv/bin/python benchmarks/bench_bounded.py            # about a minute
    .venv/bin/python benchmarks/bench_bounded.py --rounds 1

Printed: seconds per document for each fixture type, both ways, and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_readers import FILES, GENERATED  # noqa: E402
from parsers.limits import parse_bounded, preload  # noqa: E402


def seconds_per_document(paths: list[Path], rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = {p.name: [] for p in paths}
    for _ in range(rounds):
        for path in paths:
            data = path.read_bytes()
            started = time.perf_counter()
            parse_bounded(data, None, path.name, timeout=120)
            times[path.name].append(time.perf_counter() - started)
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="parses of each document, each way")
    args = parser.parse_args()
    paths = [GENERATED / name for name in FILES.values() if (GENERATED / name).exists()]
    cold = seconds_per_document(paths, args.rounds)  # first: nothing imported in this process
    started = time.perf_counter()
    preload()
    loading = time.perf_counter() - started
    warm = seconds_per_document(paths, args.rounds)
    print(f"preload(), once: {loading:.2f} s")
    print(f"{'document':<34}{'not preloaded':>15}{'preloaded':>12}{'ratio':>8}")
    for label, name in FILES.items():
        if name in cold:
            print(f"{label:<34}{cold[name]:>13.3f} s{warm[name]:>10.3f} s{cold[name] / warm[name]:>7.1f}×")
    total_cold, total_warm = sum(cold.values()), sum(warm.values())
    print(f"{'all':<34}{total_cold:>13.3f} s{total_warm:>10.3f} s{total_cold / total_warm:>7.1f}×")


if __name__ == "__main__":
    main()
