"""The nightly pieces one by one: page signatures, the cache policy, the crawl graph."""

from __future__ import annotations

import time
from email.utils import formatdate
from pathlib import Path

from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings

from crawler.frontier import Frontier
from crawler.incremental import NightlyCachePolicy, page_signature

LIST = ("<html><head><title>年报</title></head><body><a href='/x;jsessionid={sid}'>首页</a>"
        "<ul><li><a href='/a.html'>某县2023年政府信息公开工作年度报告</a><span>{date}</span></li>"
        "</ul><span>共{n}条</span></body></html>")


def _page(sid: str = "A1", date: str = "2024-01-05", n: int = 1) -> HtmlResponse:
    body = LIST.format(sid=sid, date=date, n=n).encode("utf-8")
    return HtmlResponse("http://x.gov.cn/nb/", body=body, encoding="utf-8")


def test_signature_ignores_session_ids_but_not_what_the_list_says() -> None:
    assert page_signature(_page("A1")) == page_signature(_page("B2"))
    assert page_signature(_page(date="2024-01-05")) != page_signature(_page(date="2026-11-23"))
    assert page_signature(_page(n=1)) != page_signature(_page(n=2))


def _policy() -> NightlyCachePolicy:
    return NightlyCachePolicy(Settings({"NIANBAO_ROBOTS_CACHE_HOURS": 20}))


def test_pages_are_always_asked_again_with_their_validators() -> None:
    policy = _policy()
    cached = Response("http://x.gov.cn/nb/", headers={
        "ETag": '"abc"', "Last-Modified": formatdate(time.time() - 86400 * 365, usegmt=True),
        "Date": formatdate(time.time(), usegmt=True), "Cache-Control": "max-age=86400"})
    request = Request("http://x.gov.cn/nb/")
    # RFC 2616 would call it fresh (max-age, an old Last-Modified): a nightly list is not.
    assert policy.is_cached_response_fresh(cached, request) is False
    assert request.headers[b"If-None-Match"] == b'"abc"'
    assert b"If-Modified-Since" in request.headers


def test_robots_txt_is_reused_for_hours_even_a_404() -> None:
    policy = _policy()
    request = Request("http://x.gov.cn/robots.txt")
    recent = Response(request.url, status=404, headers={"Date": formatdate(time.time() - 3600,
                                                                          usegmt=True)})
    old = Response(request.url, headers={"Date": formatdate(time.time() - 86400, usegmt=True)})
    assert policy.should_cache_response(recent, request)
    assert policy.is_cached_response_fresh(recent, request)
    assert not policy.is_cached_response_fresh(old, request)


def test_documents_are_left_to_the_corpus() -> None:
    policy = _policy()
    pdf = Response("http://x.gov.cn/a.pdf", headers={"Content-Type": "application/pdf",
                                                    "ETag": '"p"'})
    html = Response("http://x.gov.cn/nb/", headers={"Content-Type": "text/html", "ETag": '"h"'})
    assert not policy.should_cache_response(pdf, Request(pdf.url))
    assert policy.should_cache_response(html, Request(html.url))
    assert not policy.should_cache_request(Request(pdf.url, meta={"nb_known": pdf.url}))


def _graph(frontier: Frontier, run: int) -> None:
    """seed → platform → column (lists 2 reports) → page 2 (lists 1 report page + attachment)."""
    pages = [("seed", "http://x.gov.cn/", None, "seed"),
             ("plat", "http://x.gov.cn/xxgk/", "seed", "platform"),
             ("news", "http://x.gov.cn/news/", "seed", "other"),
             ("col", "http://x.gov.cn/nb/", "plat", "column"),
             ("p2", "http://x.gov.cn/nb/list_2.html", "col", "pagination"),
             ("r1", "http://x.gov.cn/nb/a.html", "col", "report"),
             ("r2", "http://x.gov.cn/nb/b.pdf", "col", None),
             ("r3", "http://x.gov.cn/nb/c.html", "p2", "report"),
             ("r3a", "http://x.gov.cn/nb/c.docx", "r3", None)]
    for fp, url, parent, tier in pages:
        frontier.record_request(run, fp, url, "GET", parent, "http://x.gov.cn/",
                                f"req:{fp}".encode(), tier)
        frontier.record_fetch(run, fp, url, url, 200, "sig", "")


def test_entries_are_the_tops_of_the_report_lists(tmp_path: Path) -> None:
    frontier = Frontier(tmp_path / "frontier.db")
    _graph(frontier, 1)
    # The corpus knows the documents and the page of the split report (c.html).
    reports = {"http://x.gov.cn/nb/a.html", "http://x.gov.cn/nb/b.pdf",
               "http://x.gov.cn/nb/c.docx", "http://x.gov.cn/nb/c.html"}
    frontier.mark_spine(reports)
    assert frontier.update_entries(1, reports, {"http://x.gov.cn/"}) == {"http://x.gov.cn/": 1}
    lists = {r["fp"] for r in frontier.db.query("SELECT fp FROM pages WHERE is_list = 1")}
    assert lists == {"col", "p2"}  # the report page c.html is part of its report, not a list
    entries = {r["fp"] for r in frontier.db.query("SELECT fp FROM entries")}
    assert entries == {"col"}
    spine = {r["fp"] for r in frontier.db.query("SELECT fp FROM pages WHERE spine = 1")}
    assert spine == {"seed", "plat", "col", "p2", "r3"}  # news led nowhere
    frontier.begin_run(1, "k")
    frontier.end_run(1, "ok")
    frontier.set_site_state("http://x.gov.cn/", full_done=True, needs_full=False)
    assert frontier.entry_requests(7) == {"http://x.gov.cn/": [b"req:col"]}
    assert frontier.is_dead_end(frontier.page("news"), 2, frontier.completed_runs())
    assert not frontier.is_dead_end(frontier.page("plat"), 2, frontier.completed_runs())


def test_an_unchanged_list_carries_forward_only_what_it_listed_last(tmp_path: Path) -> None:
    frontier = Frontier(tmp_path / "frontier.db")
    _graph(frontier, 1)
    # Night 2 reads page 2 again: c.html is gone from it, d.html is new.
    frontier.record_request(2, "p2", "http://x.gov.cn/nb/list_2.html", "GET", "col")
    frontier.record_fetch(2, "p2", "http://x.gov.cn/nb/list_2.html",
                          "http://x.gov.cn/nb/list_2.html", 200, "sig2", "")
    frontier.record_request(2, "r4", "http://x.gov.cn/nb/d.html", "GET", "p2", tier="report")
    # Night 3 skips page 2 (its list did not change): only d.html is still listed.
    assert frontier.carry_forward("p2", 3) == {"http://x.gov.cn/nb/d.html"}
    # And night 4 carries the same forward again.
    assert frontier.carry_forward("p2", 4) == {"http://x.gov.cn/nb/d.html"}
