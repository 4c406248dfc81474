"""Crawl cost benchmark: requests per report found, focused ``reports`` spider vs naive BFS.

Pages per second are measured by the web between the first and the last request it received
(no politeness delay); the focused crawl also parses every report while it fetches.

    .venv/bin/python benchmarks/bench_crawl.py [--seeds 0 1 2]

Both spiders crawl the same simulated government web (the bundled sample plus random webs),
through its proxy, in one run; requests are counted by the simulated web itself (by User-Agent).
A report counts as found by ``reports`` when it is stored with matching agency/year or URL, and by
the naive crawler when it fetched one of the report's URLs. Also prints pages per second of the
focused crawl on loopback (no politeness delay).
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.simweb import SimWeb, random_spec, sample_spec
from crawler.simweb.evaluate import evaluate

FOCUSED_UA = "nianbao-bench-focused/0.1"
NAIVE_UA = "nianbao-bench-naive/0.1"


def without_traps(spec: dict) -> dict:
    """The same web without calendar and session-id traps (a fairer field for the naive crawler)."""
    spec = copy.deepcopy(spec)
    for site in spec["sites"]:
        site["traps"] = []
    return spec


def crawl(spider: str, sites: Path, db: Path, proxy: str, ua: str) -> float:
    """Run one spider in a subprocess (one Twisted reactor per process); returns seconds."""
    code = ("import sys; from crawler.run import run_crawl; sys.exit(run_crawl("
            f"{str(sites)!r}, {str(db)!r}, spider={spider!r}, "
            f"extra_settings={{'USER_AGENT': {ua!r}, 'NIANBAO_PROGRESS': False, "
            "'ROBOTSTXT_USER_AGENT': 'nianbao', 'CLOSESPIDER_PAGECOUNT': 1500}))")
    env = dict(os.environ, http_proxy=proxy, NIANBAO_CRAWL_DELAY="0", NIANBAO_DOWNLOAD_TIMEOUT="10",
               PYTHONPATH=str(ROOT))
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, cwd=str(ROOT))
    return time.monotonic() - start


def rate(log: list[dict]) -> float:
    """Requests per second between the first and the last request the web received."""
    if len(log) < 2:
        return 0.0
    return len(log) / max(log[-1]["time"] - log[0]["time"], 1e-6)


def bench(name: str, spec: dict) -> dict:
    web = SimWeb(spec).start()
    try:
        tmp = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
        sites = web.sites_csv(tmp / "sites.csv")
        focused_s = crawl("reports", sites, tmp / "focused.db", web.proxy_url, FOCUSED_UA)
        naive_s = crawl("naive_bfs", sites, tmp / "naive.db", web.proxy_url, NAIVE_UA)
        expected = web.expected("proxy")
        focused_req = [e for e in web.request_log if e["user_agent"] == FOCUSED_UA]
        naive_req = [e for e in web.request_log if e["user_agent"] == NAIVE_UA]
        result = evaluate(tmp / "focused.db", web, "proxy")
        fetched = {unquote(f"http://{e['host']}{e['path']}") for e in naive_req}
        naive_found = sum(1 for f in expected.values() if any(unquote(u) in fetched for u in f["urls"]))
        return {"web": name, "reports": len(expected),
                "focused_requests": len(focused_req), "focused_found": result["found"],
                "naive_requests": len(naive_req), "naive_found": naive_found,
                "focused_pages_per_s": rate(focused_req), "naive_pages_per_s": rate(naive_req),
                "focused_seconds": focused_s, "naive_seconds": naive_s, "precision": result["precision"]}
    finally:
        web.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="*", default=[1], help="random webs to add")
    args = ap.parse_args(argv)
    sample = sample_spec(with_doc=False)
    webs = [("sample", sample), ("no-traps", without_traps(sample))] + \
        [(f"random-{s}", random_spec(s)) for s in args.seeds]
    rows = [bench(name, spec) for name, spec in webs]
    print(f"{'web':<10} {'reports':>7} {'focused req':>11} {'found':>5} {'req/report':>10} "
          f"{'naive req':>9} {'found':>5} {'req/report':>10} {'ratio':>6} {'pages/s focused':>15} {'naive':>6}")
    tot = {"f": 0, "ff": 0, "n": 0, "nf": 0}
    for r in rows:
        f_rr = r["focused_requests"] / max(r["focused_found"], 1)
        n_rr = r["naive_requests"] / max(r["naive_found"], 1)
        tot["f"] += r["focused_requests"]
        tot["ff"] += r["focused_found"]
        tot["n"] += r["naive_requests"]
        tot["nf"] += r["naive_found"]
        print(f"{r['web']:<10} {r['reports']:>7} {r['focused_requests']:>11} {r['focused_found']:>5} "
              f"{f_rr:>10.1f} {r['naive_requests']:>9} {r['naive_found']:>5} {n_rr:>10.1f} "
              f"{r['focused_requests'] / max(r['naive_requests'], 1):>6.2f} {r['focused_pages_per_s']:>15.1f} "
              f"{r['naive_pages_per_s']:>6.1f}")
    print(f"total: focused {tot['f']} requests for {tot['ff']} reports "
          f"({tot['f'] / max(tot['ff'], 1):.1f}/report); naive {tot['n']} requests for {tot['nf']} reports "
          f"({tot['n'] / max(tot['nf'], 1):.1f}/report); request ratio {tot['f'] / max(tot['n'], 1):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
