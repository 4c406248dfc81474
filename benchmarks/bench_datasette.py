"""Datasette response times on an existing corpus: every page a journalist opens.

    .venv/bin/python benchmarks/bench_datasette.py --db /tmp/big.db              # median of 5
    .venv/bin/python benchmarks/bench_datasette.py --db /tmp/big.db --public-limits

Times the real Datasette app (its test client, no network) on the pages of
``bench_corpus.requests_to_time`` — the same list ``bench_corpus.py`` times after a load — so a
corpus built once (``bench_corpus.py --keep``) can be timed again after a change. By default the
time limits are lifted, so a slow query shows its full cost instead of being cut short;
``--public-limits`` times with ``corpus.serve.SETTINGS`` as published (a query past
``sql_time_limit_ms`` is then an error, a facet past ``facet_time_limit_ms`` is dropped).
Besides the wall-clock median it prints the median CPU seconds of each request (all threads),
which other jobs on a shared machine do not inflate.
The database needs the current schema: open it once with ``corpus.store.Corpus`` (migrations).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_corpus import time_datasette  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="corpus SQLite file")
    parser.add_argument("--repeat", type=int, default=5, help="runs per request (median)")
    parser.add_argument("--public-limits", action="store_true",
                        help="time with the published sql/facet time limits")
    args = parser.parse_args(argv)
    db = Path(args.db)
    if not db.is_file():
        print(f"bench_datasette: no database at {db}", file=sys.stderr)
        return 1
    cpu: dict[str, float] = {}
    times = time_datasette(db, args.repeat, lift_limits=not args.public_limits, cpu_out=cpu)
    print(f"{'request':34} {'median s':>9} {'CPU s':>7}   ({args.repeat} runs, "
          f"{'published' if args.public_limits else 'lifted'} time limits)")
    for name, seconds in times.items():
        print(f"{name:34} {'error' if seconds is None else f'{seconds:.3f}':>9} "
              f"{cpu[name]:7.3f}")
    slow = [n for n, v in times.items() if v is None or v >= 1.0]
    print(f"\nall under 1 s at the median: {'yes' if not slow else 'no: ' + ', '.join(slow)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
