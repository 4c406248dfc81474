"""What a nightly run costs: the first night, an unchanged night, a night after changes.

    .venv/bin/python benchmarks/bench_nightly.py            # bundled sample web + 2 random webs
    .venv/bin/python benchmarks/bench_nightly.py --seeds 3 5 8

For each simulated web (served on loopback, crawled through its proxy by the real
``nianbao nightly`` in a subprocess) it prints the requests the web answered and the wall time
of: night 1 (empty corpus), night 2 (nothing changed), night 3 (one report added, one
re-published with new figures, one taken down), and what night 3 recorded.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.simweb import SimWeb, random_spec, sample_spec
from tests.nightly_support import crawl_env, run_nightly


def night(web: SimWeb, sites: Path, db: Path) -> tuple[int, float, dict]:
    mark, start = len(web.request_log), time.perf_counter()
    proc = run_nightly(sites, db, env=crawl_env(web.proxy_url), timeout=900)
    if proc.returncode != 0:
        raise SystemExit(f"nightly failed: {proc.stderr.strip().splitlines()[-1:]}")
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    run = dict(conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone())
    conn.close()
    return len(web.request_log) - mark, time.perf_counter() - start, run


def bench(name: str, spec: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp, SimWeb(spec) as web:
        sites = web.sites_csv(Path(tmp) / "sites.csv", mode="proxy")
        db = Path(tmp) / "corpus.db"
        n1, t1, r1 = night(web, sites, db)
        n2, t2, _ = night(web, sites, db)
        rng = random.Random(7)
        host = rng.choice(web.seed_hosts)
        web.add_report(host, {"year": 2025, "kind": "html", "seed": 9001})
        changed = 0
        for url in rng.sample(sorted(web.ground_truth), len(web.ground_truth)):
            if not web.ground_truth[url]["reachable"]:
                continue
            try:  # (reports of a site's departments cannot be mutated by the simulated web)
                (web.modify_report if changed == 0 else web.remove_report)(url)
            except KeyError:
                continue
            changed += 1
            if changed == 2:
                break
        n3, t3, r3 = night(web, sites, db)
    print(f"{name:<14} reports {r1['new_reports']:>3} | night 1 {n1:>4} req {t1:6.1f} s | "
          f"night 2 {n2:>3} req ({100 * n2 / n1:4.1f}%) {t2:5.1f} s | night 3 {n3:>3} req "
          f"{t3:5.1f} s: {r3['new_reports']} new, {r3['changed_reports']} changed, "
          f"{r3['removed']} URLs removed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[11, 12],
                        help="random_spec seeds of unseen webs (default 11 12)")
    args = parser.parse_args(argv)
    bench("sample web", sample_spec(with_doc=False))
    for seed in args.seeds:
        bench(f"random {seed}", random_spec(seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
