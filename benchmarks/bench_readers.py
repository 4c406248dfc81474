"""Reader throughput (bytes → Document, no interpretation) and the cost of the safety bounds.

    .venv/bin/python benchmarks/bench_readers.py              # about 30 s
    .venv/bin/python benchmarks/bench_readers.py --seconds 1  # quicker, noisier

Printed, one core, in this process:

- documents per second of ``parsers.readers.read_document`` for each committed generated
  fixture type (the 8-page PDF is the speed target: ≥ 5 documents/s);
- how long a 3,000-page PDF takes (capped at ``MAX_PAGES`` pages), and how long
  ``nianbao parse`` takes to refuse a 100 MB file and a zip bomb (whole CLI process).

Figures measured on the development machine are in docs/parsers-readers.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GENERATED = ROOT / "tests" / "fixtures" / "generated"

FILES = {
    "HTML": "html_official_2021.html",
    "HTML (TRS, GBK)": "html_trs_2021_gbk.html",
    "DOCX": "docx_official_2021.docx",
    "PDF, 8 pages": "pdf_long_2021.pdf",
    "PDF, 2 pages, no ruling lines": "pdf_nolines_2021.pdf",
    "XLSX": "xlsx_official_2021.xlsx",
    "XLS": "xls_office_2019.xls",
    "TXT": "txt_tabs_2021.txt",
    "DOC (LibreOffice)": "doc_office_2021.doc",
}


def rate(data: bytes, name: str, seconds: float) -> tuple[float, int]:
    from parsers.readers import read_document

    read_document(data, url=name)  # warm-up: imports, font maps
    count = 0
    started = time.perf_counter()
    while True:
        read_document(data, url=name)
        count += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds and count >= 2:
            return count / elapsed, count


def cli_seconds(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "nianbao_cli", "parse", str(path)],
                            capture_output=True, cwd=ROOT, check=False)
    return time.perf_counter() - started, result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per file type")
    args = parser.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass

    print(f"{'reader input':34} {'docs/s':>8} {'runs':>5}")
    for label, name in FILES.items():
        path = GENERATED / name
        if not path.exists():
            print(f"{label:34} {'(missing fixture)':>14}")
            continue
        seconds = args.seconds if not name.endswith(".doc") else max(args.seconds, 5)
        per_second, runs = rate(path.read_bytes(), name, seconds)
        print(f"{label:34} {per_second:8.1f} {runs:5d}")

    from parsers.readers import read_document
    from tests.test_readers_pdf import many_pages_pdf

    data = many_pages_pdf(3000)
    started = time.perf_counter()
    doc = read_document(data, url="long.pdf")
    print(f"{'PDF, 3,000 pages (capped)':34} {time.perf_counter() - started:8.2f} s  "
          f"({len(doc.blocks)} blocks; {doc.warnings[0]})")

    with tempfile.TemporaryDirectory() as tmp:
        huge = Path(tmp) / "huge.pdf"
        with huge.open("wb") as handle:
            handle.truncate(100 * 1024 * 1024)
        seconds, code = cli_seconds(huge)
        print(f"{'nianbao parse, 100 MB file':34} {seconds:8.2f} s  (exit {code})")
    seconds, code = cli_seconds(ROOT / "tests" / "bad_inputs" / "bomb.docx")
    print(f"{'nianbao parse, zip bomb':34} {seconds:8.2f} s  (exit {code})")


if __name__ == "__main__":
    main()
