"""Shared helpers of the corpus tests: a corpus built by crawling the simulated web.

``sample_corpus(tmp_path_factory)`` builds it once per test session (per xdist worker) with
``corpus.demo.build_sample_corpus`` — the real spider through the simweb proxy, exactly as
``nianbao demo`` does — and returns its path and the web's ground truth.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from corpus.synthetic import make_report, report_html


def build_crawled_corpus(db: Path) -> dict[str, Any]:
    """Crawl the bundled sample web into ``db``; returns {"counts", "truth"}."""
    from corpus.demo import build_sample_corpus
    from crawler.simweb import sample_web

    counts = build_sample_corpus(db, say=lambda _msg: None)
    truth = sample_web().expected("proxy")  # ground truth needs no running server
    return {"counts": counts, "truth": truth}


def get(ds: Any, path: str) -> Any:
    """GET through Datasette's own test client (async) from synchronous tests."""
    return asyncio.run(ds.client.get(path))


def store_synthetic(corpus: Any, agency: str, years: list[int], site_url: str,
                    host: str = "www.example.gov.cn", **kwargs: Any) -> list[dict[str, Any]]:
    """Store consecutive, consistent synthetic reports of one agency; returns the parsed dicts."""
    reports, previous = [], None
    for year in years:
        report = make_report(agency, year, previous=previous, **kwargs)
        corpus.store_document(data=report_html(report), url=f"http://{host}/{agency}/{year}.html",
                              content_type="text/html; charset=utf-8", status=200, headers={},
                              fetched_at=f"{year + 1}-02-01T08:00:00Z", page_url=None,
                              site_url=site_url, parsed=report)
        reports.append(report)
        previous = report
    return reports
