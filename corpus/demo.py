"""``nianbao demo``: the embedded default — a sample government web, crawled, stored, served.

    nianbao demo               # then open the printed URL
    nianbao demo --port 0      # any free port
    nianbao demo --db /tmp/demo.db

Steps (each printed as it runs):

1. start the bundled simulated government web (``crawler.simweb.sample_web``) on loopback: one
   HTTP proxy for its virtual hosts (``www.sample-county.gov.cn`` …);
2. crawl it with the real spider (``crawler.run.run_crawl``) through that proxy — nothing leaves
   this machine;
3. build the corpus (the crawler stores through :class:`corpus.store.Corpus`) and summarise it;
4. serve it with Datasette (:mod:`corpus.serve`) until Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus.store import Corpus

_PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# The sample web is on loopback: politeness delays only slow the tests down.
FAST_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                 "CONCURRENT_REQUESTS_PER_DOMAIN": 4}


def crawl_sample_web(web: Any, db: Path, workdir: Path, say: Callable[[str], None] = _say,
                     fast: bool = False) -> int:
    """Crawl a started simulated web into ``db`` with the real spider, through its proxy.

    :param web: a started ``crawler.simweb.SimWeb``
    :param db: the corpus file to build
    :param workdir: where the seed list is written
    :param fast: drop the crawler's politeness delays (loopback only: tests)
    :returns: the crawler's exit status
    """
    from crawler.run import run_crawl

    sites = web.sites_csv(workdir / "sites.csv", mode="proxy")
    saved = {k: os.environ.get(k) for k in (*_PROXY_VARS, "no_proxy", "NO_PROXY")}
    os.environ["http_proxy"] = os.environ["HTTP_PROXY"] = web.proxy_url
    for key in ("https_proxy", "HTTPS_PROXY"):
        os.environ.pop(key, None)
    # The virtual hosts must go through the proxy; only loopback itself bypasses it.
    os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    try:
        say(f"crawling {len(web.seed_hosts)} sample sites through {web.proxy_url} …")
        started = time.monotonic()
        status = run_crawl(sites=str(sites), db=str(db), allow_private=True, log_level="ERROR",
                           extra_settings=FAST_SETTINGS if fast else None)
        say(f"crawl finished in {time.monotonic() - started:.1f} s (status {status})")
        return int(status or 0)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def summarise(db: Path) -> dict[str, int]:
    """Counts shown after the crawl (and checked by the tests)."""
    corpus = Corpus(db)
    try:
        one = lambda sql: corpus.db.execute(sql).fetchone()[0]  # noqa: E731
        counts = {"reports": one("SELECT count(*) FROM reports"),
                  "agencies": one("SELECT count(*) FROM agencies"),
                  "documents": one("SELECT count(*) FROM documents"),
                  "cells": one("SELECT count(*) FROM cells"),
                  "failed_checks": one("SELECT count(*) FROM checks WHERE passed = 0"),
                  "errors": one("SELECT count(*) FROM errors")}
    finally:
        corpus.close()  # checkpoints the WAL: the file can now be served immutable
    return counts


def build_sample_corpus(db: Path, say: Callable[[str], None] = _say,
                        fast: bool = False) -> dict[str, int]:
    """Start the sample web, crawl it into ``db``, stop the web; returns :func:`summarise`."""
    from crawler.simweb import sample_web

    workdir = Path(tempfile.mkdtemp(prefix="nianbao-demo-web-"))
    try:
        say("starting the sample government web on loopback …")
        with sample_web() as web:
            status = crawl_sample_web(web, db, workdir, say, fast=fast)
        if status != 0:
            raise RuntimeError(f"the crawl of the sample web failed (status {status})")
        return summarise(db)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run_demo(port: int = 8001, db: str | None = None, host: str = "127.0.0.1") -> int:
    """``nianbao demo``: crawl the bundled sample web and serve the corpus until interrupted.

    :param port: where Datasette listens (0: any free port; the URL is printed)
    :param db: where to build the corpus (default: a temporary directory, removed on exit)
    """
    from corpus.serve import ServeError, bind, make_datasette, serve_forever

    tmp = None if db else Path(tempfile.mkdtemp(prefix="nianbao-demo-"))
    path = Path(db) if db else Path(tmp or ".") / "corpus.db"  # type: ignore[arg-type]
    try:
        try:
            sock = bind(host, port)  # fail fast on a busy port, before the crawl
        except ServeError as exc:
            _say(f"nianbao demo: error: {exc}")
            return 1
        # The sample web is ours and on loopback: no politeness delays needed.
        counts = build_sample_corpus(path, fast=True)
        _say("corpus built: {reports} reports from {agencies} agencies, {cells} cells, "
             "{failed_checks} failed checks, {errors} errors ({db})".format(**counts, db=path))
        ds = make_datasette(path, immutable=True)
        serve_forever(ds, sock, announce="nianbao demo — ")
        return 0
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
