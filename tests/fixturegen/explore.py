"""Explore the parser with many random reports per kind/style and summarise what differs.

    python -m tests.fixturegen.explore                      # 20 per portable kind/style
    python -m tests.fixturegen.explore -n 50 pdf/nolines txt/pipe
    python -m tests.fixturegen.explore -n 5 pdf/office doc/office   # needs LibreOffice

Not a test: a tool for finding parser weaknesses beyond the suite's fixed examples. Every
failing case is printed with the arguments that rebuild it (``make_figures(seed, fmt, …)``).
"""

from __future__ import annotations

import argparse
import random
import sys

from tests.fixturegen import (
    INCONSISTENCIES,
    KINDS,
    NEEDS_OFFICE,
    expected_json,
    make_figures,
    render,
)
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta, compare_sections

PORTABLE = [f"{k}/{s}" for k, styles in KINDS.items() for s in styles
            if (k, s) not in NEEDS_OFFICE]


def explore(kind: str, style: str, n: int) -> list[tuple[dict, list[str]]]:
    """Render ``n`` random reports as ``kind``/``style``, parse each, return the failures."""
    from parsers import parse_document

    failures = []
    for i in range(n):
        rng = random.Random(f"explore:{kind}:{style}:{i}")
        fmt = rng.choice(["2021", "2019"])
        args = {"seed": rng.randint(0, 10**9), "fmt": fmt,
                "variant": rng.choice(["official", "single_other", "mixed"])
                if fmt == "2021" else "official",
                "inconsistency": rng.choice([None, None, *INCONSISTENCIES]),
                "blanks": rng.choice(["none", "zeros", "some"]),
                "scale": rng.choice(["small", "medium", "large"])}
        encoding = rng.choice(["utf-8", "gbk"]) if kind in ("txt", "html") else "utf-8"
        fig = make_figures(**args)
        if style == "trs":
            fig.sign_date = False
        data = render(fig, kind, style, encoding=encoding)
        try:
            got = parse_document(data, content_type=None, url=f"report.{kind}")
        except Exception as exc:  # noqa: BLE001 - a tool: report any crash as a difference
            diffs = [f"{type(exc).__name__}: {exc}"]
        else:
            exp = expected_json(fig, kind, style)
            diffs = (compare_cells(exp, got, missing_as_null=bool(exp.get("needs_ocr"))) +
                     compare_checks(exp, got) + compare_meta(exp, got) +
                     compare_sections(exp, got))
        if diffs:
            failures.append(({**args, "encoding": encoding, "quirks": sorted(fig.quirks)}, diffs))
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fixturegen.explore",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("targets", nargs="*", metavar="KIND/STYLE",
                        help=f"default: every portable one ({', '.join(PORTABLE)})")
    parser.add_argument("-n", type=int, default=20, help="reports per kind/style")
    parser.add_argument("--show", type=int, default=3, help="failing cases shown per target")
    args = parser.parse_args(argv)
    worst = 0
    for target in args.targets or PORTABLE:
        kind, _, style = target.partition("/")
        if style not in KINDS.get(kind, ()):
            parser.error(f"unknown target {target!r}")
        failures = explore(kind, style, args.n)
        worst = max(worst, len(failures))
        print(f"{target:22s} {args.n - len(failures):4d}/{args.n} exact", flush=True)
        for case, diffs in failures[:args.show]:
            print(f"    {case}  ({len(diffs)} differences)")
            for diff in diffs[:5]:
                print(f"        {diff}")
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main())
