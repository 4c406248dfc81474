"""Parser throughput and memory per file type, beside the generic path a user would take.

    .venv/bin/python benchmarks/bench_parsers.py            # full run (about a minute)
    .venv/bin/python benchmarks/bench_parsers.py --seconds 1  # quicker, noisier

For each file type (HTML, DOCX, an 8-page PDF, XLSX, TXT; the committed generated fixtures)
it measures, each in its own process pinned to one CPU core:

- ``nianbao``: ``parsers.parse_document`` → the full report (cells, checks, metadata);
- ``generic``: what one would otherwise write: ``pandas.read_html`` on the same bytes (HTML),
  pdfplumber ``extract_tables()`` on every page with cells mapped by position (PDF),
  python-docx reading every table cell (DOCX), openpyxl reading every cell (XLSX), splitting
  lines on tabs (TXT). These give raw grids, not keyed, checked figures.

Printed: documents per second, peak RSS of the process (target: under 300 MB), and for nianbao
the share of the fixture's expected cells it got right. Figures measured on the development
machine are in docs/fixtures.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GENERATED = ROOT / "tests" / "fixtures" / "generated"

DOCS = {
    "HTML": ("html_official_2021.html", "text/html"),
    "DOCX": ("docx_official_2021.docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "PDF (8 pages)": ("pdf_long_2021.pdf", "application/pdf"),
    "XLSX": ("xlsx_official_2021.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "TXT": ("txt_tabs_2021.txt", "text/plain"),
}
GENERIC_NAMES = {"HTML": "pandas.read_html", "DOCX": "python-docx cells",
                 "PDF (8 pages)": "pdfplumber extract_tables", "XLSX": "openpyxl cells",
                 "TXT": "split lines on tabs"}


# ---- the two paths ------------------------------------------------------------------------

def run_nianbao(data: bytes, ctype: str, name: str) -> dict:
    from parsers import parse_document

    return parse_document(data, content_type=ctype, url=name)


def run_generic(kind: str, data: bytes) -> object:
    if kind == "HTML":
        import pandas as pd

        return pd.read_html(io.BytesIO(data))
    if kind == "DOCX":
        import docx

        doc = docx.Document(io.BytesIO(data))
        return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    if kind.startswith("PDF"):
        import pdfplumber

        cells = []
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for table in page.extract_tables():
                    # "mapped by position": the last 7 cells of a row are the 7 columns.
                    cells.extend(row[-7:] for row in table if len(row) >= 7)
        return cells
    if kind == "XLSX":
        import openpyxl

        ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
        return [[c for c in row] for row in ws.iter_rows(values_only=True)]
    return [line.split("\t") for line in data.decode("utf-8").splitlines()]


# ---- one measurement, in a child process ----------------------------------------------------

def worker(kind: str, method: str, seconds: float) -> dict:
    """Parse one document repeatedly for ``seconds`` on one core; report rate and peak RSS."""
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass  # not Linux: run unpinned
    name, ctype = DOCS[kind]
    data = (GENERATED / name).read_bytes()
    call = (lambda: run_nianbao(data, ctype, name)) if method == "nianbao" \
        else (lambda: run_generic(kind, data))
    result = call()  # warm-up: imports, caches
    count, start = 0, time.perf_counter()
    while True:
        call()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and count >= 3:
            break
    out = {"docs_per_s": count / elapsed,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if method == "nianbao":
        out["cells_right"] = _cells_right(name, result)
    return out


def _cells_right(name: str, got: dict) -> str:
    from tests.fixturegen.compare import compare_cells

    stem = name.rsplit(".", 1)[0]
    expected = json.loads((GENERATED / f"{stem}.expected.json").read_text(encoding="utf-8"))
    total = sum(len(cols) for t in ("active", "requests", "review_litigation")
                for cols in expected[t].values())
    wrong = len(compare_cells(expected, got))
    return f"{total - wrong}/{total}"


def measure(kind: str, method: str, seconds: float) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, method, "--seconds", str(seconds)]
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=ROOT,
                          timeout=600)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "METHOD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.seconds)))
        return 0
    print(f"{'type':14s} {'nianbao docs/s':>15s} {'peak RSS':>9s} {'cells right':>12s}   "
          f"{'generic path':26s} {'docs/s':>8s} {'peak RSS':>9s}")
    for kind in DOCS:
        ours = measure(kind, "nianbao", args.seconds)
        theirs = measure(kind, "generic", args.seconds)
        if "error" in ours:
            print(f"{kind:14s} nianbao failed: {ours['error']}")
            continue
        generic = (f"{theirs['docs_per_s']:8.1f} {theirs['peak_rss_mb']:6.0f} MB"
                   if "error" not in theirs else f"failed: {theirs['error']}")
        print(f"{kind:14s} {ours['docs_per_s']:15.1f} {ours['peak_rss_mb']:6.0f} MB "
              f"{ours['cells_right']:>12s}   {GENERIC_NAMES[kind]:26s} {generic}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
