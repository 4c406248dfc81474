"""``nianbao parse PATH [--json]``."""

from __future__ import annotations

import json
import sys

from parsers.api import parse_file
from parsers.document import ParseError


def run_parse(path: str, as_json: bool = False) -> int:
    """Parse one file and print it; exit 1 with one line on an unreadable file."""
    try:
        report = parse_file(path)
    except ParseError as exc:
        print(f"nianbao parse: {path}: {exc}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(f"{report.get('title')}\t{report.get('agency')}\t{report.get('year')}\t{report.get('format')}")
    return 0
