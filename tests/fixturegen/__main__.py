"""``python -m tests.fixturegen``: regenerate tests/fixtures/generated/ (run from the repo root).

    python -m tests.fixturegen                 # everything (needs LibreOffice + poppler)
    python -m tests.fixturegen --skip-office   # only HTML/TXT/DOCX/XLSX and lookalikes
    python -m tests.fixturegen --only pdf_long_2021 html_trs_2021
    python -m tests.fixturegen --list
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.fixturegen.catalog import SPECS
from tests.fixturegen.generate import GENERATED, needs_office, write_all
from tests.fixturegen.render_office import OfficeUnavailable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fixturegen",
                                     description="Regenerate the generated report fixtures.")
    parser.add_argument("--out", type=Path, default=GENERATED, help="output folder")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="fixture names to build")
    parser.add_argument("--skip-office", action="store_true",
                        help="skip fixtures that need LibreOffice/poppler")
    parser.add_argument("--force", action="store_true",
                        help="rebuild office-made fixtures even when their figures are unchanged")
    parser.add_argument("--list", action="store_true", help="list the fixtures and exit")
    args = parser.parse_args(argv)
    if args.list:
        for spec in SPECS:
            print(f"{spec.filename:45s} {'office' if needs_office(spec) else ''}")
        return 0
    known = {s.name for s in SPECS}
    unknown = set(args.only or ()) - known
    if unknown:
        parser.error(f"unknown fixture(s): {', '.join(sorted(unknown))}")
    try:
        count = write_all(args.out, set(args.only) if args.only else None, args.skip_office,
                          args.force)
    except (OfficeUnavailable, RuntimeError) as exc:  # a missing or failing converter
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{count} fixtures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
