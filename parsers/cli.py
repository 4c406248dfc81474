"""``nianbao parse PATH [--json]``: one document, bounded in size, time and memory.

    $ nianbao parse report.pdf
    $ nianbao parse report.pdf --json | jq .requests.new_received.total

Exit 0 when the file was read (annual report or not); exit 1 with one line on stderr —
``nianbao parse: cannot parse PATH: <reason>`` — for anything else, including a reader bug.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from parsers.document import ParseError
from parsers.limits import DEFAULT_MEMORY_MB, parse_bounded, read_file

# Leaves the interpreter's start-up inside the 30 s the contract allows a whole command.
CLI_TIMEOUT = 25.0


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "unknown error"


def summarize(report: dict) -> str:
    """A short human summary of a parsed report (the non-``--json`` output)."""
    checks = report.get("checks") or []
    passed = sum(1 for c in checks if c.get("passed") is True)
    failed = sum(1 for c in checks if c.get("passed") is False)
    unknown = sum(1 for c in checks if c.get("passed") is None)
    ocr = "   needs OCR" if report.get("needs_ocr") else ""
    verdict = "yes" if report.get("is_annual_report") else "no"
    lines = [
        f"annual report: {verdict}   document: {report.get('document_type') or '?'}{ocr}",
        f"title:  {report.get('title') or '-'}",
        (f"agency: {report.get('agency') or '-'}   year: {report.get('year') or '-'}   "
         f"format: {report.get('format') or '-'}   published: {report.get('published_date') or '-'}"),
    ]
    if checks:
        lines.append(f"checks: {passed} passed, {failed} failed, {unknown} not assessable")
    warnings = report.get("warnings") or []
    if warnings:
        lines.append(f"warnings ({len(warnings)}):")
        lines.extend(f"  - {_one_line(w)}" for w in warnings[:10])
        if len(warnings) > 10:
            lines.append(f"  … {len(warnings) - 10} more")
    return "\n".join(lines)


def run_parse(path: str, as_json: bool = False) -> int:
    """Parse one file and print it; exit 1 with one line on stderr when it cannot be read.

    :param path: the local document
    :param as_json: print the report as one JSON object instead of a summary
    """
    try:
        data = read_file(path)
        report = parse_bounded(data, None, url=Path(path).name, timeout=CLI_TIMEOUT,
                               memory_mb=DEFAULT_MEMORY_MB)
        output = json.dumps(report, ensure_ascii=False) if as_json else summarize(report)
    except ParseError as exc:
        print(f"nianbao parse: cannot parse {path}: {_one_line(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the contract: one clear line, never a traceback
        print(f"nianbao parse: cannot parse {path}: internal error: {type(exc).__name__}: "
              f"{_one_line(exc)}", file=sys.stderr)
        return 1
    print(output)
    return 0
