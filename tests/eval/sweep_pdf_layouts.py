"""Sweep Word-printed PDF table layouts and count how many come out cell-exact (needs
LibreOffice; not a test: it renders tens of documents and takes minutes).

Each case is a generated report (tests.fixturegen: figures known by construction) whose DOCX
tables are re-styled the way offices print them, then converted by LibreOffice and parsed;
the parse is compared with the generator's expected JSON cell by cell. Cases are drawn at
random from a seed: a ruling layout (``borderless``: no border at all; ``threeline``: top and
bottom rules only, a 三线表 without its head rule; ``hrules``: top, bottom and the inside
horizontal rules; ``ruled``: every border), a format (2019 / 2021 and its variants), and
optionally label columns narrowed so labels wrap over several lines, figure columns narrowed
so large numbers wrap inside their cells, a larger type in the tables, table 三 on a
landscape page, and lead-in paragraphs that push table 三 over a page break.

    .venv/bin/python -m tests.eval.sweep_pdf_layouts -n 80 --out /tmp/pdfsweep
    .venv/bin/python -m tests.eval.sweep_pdf_layouts -n 80 --out /tmp/pdfsweep --diffs
    .venv/bin/python -m tests.eval.sweep_pdf_layouts --only sweep-0-07 --out /tmp/pdfsweep -v

The rendered PDFs and expected JSON are kept in ``--out`` (``NAME.pdf``, ``NAME.json``), so a
second run after a parser change only parses. Output: one line per failing case (its options
and number of differing cells), then per layout and per option the count of exact cases.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from lxml import etree

from tests.eval.make_redteam_parse2 import (
    _q,
    borderless,
    hrules_only,
    landscape_requests,
    printed_pdf,
    three_lines,
)
from tests.fixturegen import make_figures

LAYOUTS = {"borderless": borderless, "threeline": three_lines, "hrules": hrules_only,
           "ruled": None}
# borderless and 三线表 are the layouts under test: drawn twice as often as the others
_CYCLE = ("borderless", "threeline", "hrules", "borderless", "threeline", "ruled")


@dataclass(frozen=True)
class Case:
    name: str
    seed: int
    fmt: str
    variant: str
    layout: str
    narrow_labels: bool  # label columns of table 三 narrowed: labels wrap over 2–4 lines
    narrow_figures: bool  # figure columns narrowed: large numbers wrap inside their cells
    type_size: float  # points, type size of the statistics tables (the generator's is 8)
    landscape: bool  # table 三 on a landscape page of its own section
    lead_in: int  # paragraphs between heading 三 and its table (page breaks move)
    scale: str

    def options(self) -> list[str]:
        out = [self.layout, self.fmt if self.variant == "official" else f"{self.fmt}/{self.variant}"]
        out += ["narrow_labels"] * self.narrow_labels + ["narrow_figures"] * self.narrow_figures
        out += [f"type{self.type_size:g}"] * (self.type_size != 8) + ["landscape"] * self.landscape
        out += [f"lead_in{self.lead_in}"] * bool(self.lead_in) + [self.scale]
        return out


def cases(n: int, seed: int = 0) -> list[Case]:
    """``n`` reproducible random cases (the same ``seed`` and ``n`` give the same list)."""
    out = []
    for i in range(n):
        rng = random.Random(f"sweep:{seed}:{i}")
        fmt = rng.choice(["2019", "2021", "2021"])
        out.append(Case(
            name=f"sweep-{seed}-{i:02d}", seed=1000 * seed + i, fmt=fmt,
            variant=rng.choice(["official", "official", "single_other", "mixed"])
            if fmt == "2021" else "official",
            layout=_CYCLE[i % len(_CYCLE)],
            narrow_labels=rng.random() < 0.4, narrow_figures=rng.random() < 0.35,
            type_size=rng.choice([8, 8, 8, 9, 10.5]), landscape=rng.random() < 0.2,
            lead_in=rng.choice([0, 0, 3, 6, 10, 14]),
            scale=rng.choice(["small", "medium", "large", "large"])))
    return out


def _widths(case: Case):
    """The generator's column widths (cm), with the case's label/figure columns narrowed."""
    def widths(grid) -> list[float]:
        if grid.section == "requests":
            labels = ([1.0, 1.5, 2.6] if case.narrow_labels else [1.4, 2.0, 3.9])[-(grid.width - 7):]
            return labels + [0.95 if case.narrow_figures else 1.25] * 7
        if grid.section == "active":
            return [4.6] + [(2.2 if case.narrow_figures else 3.8)] * (grid.width - 1)
        return [(13.5 if case.narrow_figures else 15.75) / grid.width] * grid.width
    return widths


def _type_size(root, points: float) -> None:
    """Every run of every table set in ``points``."""
    for tbl in root.iter(_q("tbl")):
        for rpr in tbl.iter(_q("rPr")):
            for tag in ("sz", "szCs"):
                for old in rpr.findall(_q(tag)):
                    rpr.remove(old)
                etree.SubElement(rpr, _q(tag)).set(_q("val"), str(round(points * 2)))


def build(case: Case) -> tuple[bytes, dict]:
    """The case's PDF (LibreOffice) and the generator's expected JSON."""
    render_docx = importlib.import_module("tests.fixturegen.render_docx")
    original = render_docx._column_widths
    render_docx._column_widths = _widths(case)
    try:
        fig = make_figures(case.seed, case.fmt, variant=case.variant, scale=case.scale)
        data = render_docx.render_docx(fig, "official", lead_in=case.lead_in)
    finally:
        render_docx._column_widths = original
    edits = [e for e in (LAYOUTS[case.layout],
                         (lambda root: _type_size(root, case.type_size)) if case.type_size != 8
                         else None,
                         landscape_requests if case.landscape else None) if e is not None]
    return printed_pdf(fig, data, edits)


def _ensure(case: Case, out: Path) -> str:
    pdf, exp = out / f"{case.name}.pdf", out / f"{case.name}.json"
    if not (pdf.exists() and exp.exists()):
        data, expected = build(case)
        pdf.write_bytes(data)
        exp.write_text(json.dumps({"case": asdict(case), "expected": expected},
                                  ensure_ascii=False, indent=1), encoding="utf-8")
    return case.name


def check(case: Case, out: Path) -> tuple[list[str], float]:
    """(differences, seconds to parse) of one rendered case."""
    from parsers import parse_file
    from tests.fixturegen.compare import compare_cells, compare_meta

    expected = json.loads((out / f"{case.name}.json").read_text(encoding="utf-8"))["expected"]
    start = time.process_time()
    got = parse_file(out / f"{case.name}.pdf")
    took = time.process_time() - start
    return compare_cells(expected, got) + compare_meta(expected, got), took


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=80, help="number of cases (default 80)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("/tmp/pdfsweep"),
                    help="where rendered cases are kept (reused by later runs)")
    ap.add_argument("--jobs", type=int, default=2, help="LibreOffice conversions at once")
    ap.add_argument("--only", nargs="*", help="case names to run")
    ap.add_argument("--diffs", action="store_true", help="print the first differences of each failure")
    ap.add_argument("-v", action="store_true", help="print every difference")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    todo = [c for c in cases(args.n, args.seed) if not args.only or c.name in args.only]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for name in pool.map(_ensure, todo, [args.out] * len(todo)):
            pass
    exact: Counter = Counter()
    total: Counter = Counter()
    seconds = 0.0
    for case in todo:
        diffs, took = check(case, args.out)
        seconds += took
        for option in {case.layout, "all"} | set(case.options()[1:]):
            total[option] += 1
            exact[option] += not diffs
        if diffs:
            print(f"{case.name}: {len(diffs)} cells differ  [{' '.join(case.options())}]")
            for line in diffs if args.v else diffs[:4] if args.diffs else []:
                print("    " + line)
    print()
    for option in ["all", *LAYOUTS] + sorted(k for k in total if k not in LAYOUTS and k != "all"):
        if total[option]:
            print(f"{option:>22}: {exact[option]:3d} / {total[option]:3d} exact")
    print(f"parse CPU time: {seconds:.1f} s for {len(todo)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
