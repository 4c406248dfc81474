"""Red team: hostile servers and bad inputs for ``nianbao crawl`` and ``nianbao nightly``.

The web is ``tests/hostile_web.py`` (byte-level misbehaviour the earlier red-team webs could not
send). Each fault is checked four ways: the run ends within its bounds; every good report on the
web is stored exactly (every cell), once; the fault is in the ``errors`` table with its URL; the
command line shows one summary line and no traceback, with the contract's exit status.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_hostile.py
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixturegen import make_figures
from tests.hostile_web import (
    LOGIN,
    MAINTENANCE,
    NOT_FOUND_200,
    HostileWeb,
    Reply,
    corrupt_pdf,
    deflate_bomb,
    frame,
    ooxml_bomb,
    zip_bomb,
)
from tests.nightly_support import crawl_env, run_nightly, snapshot

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("active", "requests", "review_litigation")
TIMEOUT = 3  # NIANBAO_DOWNLOAD_TIMEOUT of these runs (seconds)


def fig(seed: int, agency: str, year: int = 2023):
    return make_figures(seed, "2021" if year >= 2021 else "2019", year=year, agency=agency)


def with_link(html: bytes, href: str, text: str) -> bytes:
    """A report page with one more attachment link before ``</body>``."""
    return html.replace(b"</body>", f'<p>附件：<a href="{href}">{text}</a></p></body>'.encode())


# ---- the crawl web ---------------------------------------------------------------------------
def crawl_web() -> tuple[HostileWeb, list[str]]:
    web = HostileWeb()
    a = web.host("www.hxa.gov.cn", robots="User-agent: *\nDisallow: /private/\n")
    county = "横溪县"
    a.page("/", f"{county}人民政府", '<a href="/xxgk/">政府信息公开</a> <a href="/xwzx/">新闻中心</a>')
    a.page("/xxgk/", "政府信息公开", '<a href="/xxgk/nb/">政府信息公开年报</a> <a href="/xxgk/zn/">公开指南</a>')
    items: list[str] = []

    def item(href: str, title: str) -> None:
        items.append(f'<li><a href="{href}">{title}</a><span>2024-01-{len(items) % 28 + 1:02d}</span></li>')

    seed = 7100
    depts = ["人民政府", "发展和改革局", "教育局", "公安局", "民政局", "司法局", "䶮山镇人民政府",
             "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局",
             "市场监督管理局"]
    for i, dept in enumerate(depts):
        f = fig(seed + i, county + dept)
        art = f"/xxgk/nb/202401/t20240115_{i}.html"
        if i == 1:      # 500 twice, then the report: the retries get it
            body = a.report(art, f)
            a.route(art, lambda r, body=body: Reply(500, b"<h1>500 Internal Server Error</h1>") if r.count <= 2
                    else Reply(200, body))
        elif i == 2:    # 429 + Retry-After once
            body = a.report(art, f)
            a.route(art, lambda r, body=body: Reply(429, b"Too Many Requests", "text/plain", {"Retry-After": "1"})
                    if r.count == 1 else Reply(200, body))
        elif i == 3:    # 503 + Retry-After (an HTTP date) once
            body = a.report(art, f, style="word")
            when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 1))
            a.route(art, lambda r, body=body, when=when: Reply(503, "系统繁忙".encode(), headers={"Retry-After": when})
                    if r.count == 1 else Reply(200, body))
        elif i == 4:    # a PDF served as text/html under an .html name
            a.report(art, f, "pdf", "textgrid", ctype="text/html; charset=utf-8")
        elif i == 5:    # an HTML report served as application/octet-stream
            art = f"/xxgk/nb/download.jsp?id={i}"
            a.report(art, f, ctype="application/octet-stream")
        elif i == 6:    # GB18030 (a character GBK lacks) and no charset anywhere
            a.report(art, f, encoding="gb18030", declare_charset=False, ctype="text/html")
        elif i == 7:    # GBK bytes declared UTF-8 in the header and the <meta>
            body = a.report(art, f, encoding="gbk").replace(b"charset=gb2312", b"charset=utf-8")
            a.static(art, body, "text/html; charset=utf-8")
        elif i in (8, 9, 10, 13):  # the report inline; beside it a corrupt PDF / a DOCX / an XLSX
            body = a.report(art, f)   # / a ZIP bomb
            ext, bad = {8: ("pdf", corrupt_pdf()), 9: ("docx", ooxml_bomb("docx")),
                        10: ("xlsx", ooxml_bomb("xlsx")), 13: ("zip", zip_bomb())}[i]
            att = f"/xxgk/nb/202401/P020240115_{i}.{ext}"
            a.static(art, with_link(body, att, f"{f.title}.{ext}"))
            a.static(att, bad, "application/octet-stream")
            web.bad(a, att, "parse")
        elif i == 11:   # listed twice under session ids: fetched once, stored once
            a.report(art, f)
            item(f"{art};jsessionid=0A1B2C3D4E", f.title)
            art = f"{art};jsessionid=9F8E7D6C5B"
        elif i == 12:   # three redirects, then the report
            a.report(art, f)
            hops = [f"/go/{i}/{k}" for k in range(3)] + [art]
            for k in range(3):
                a.route(hops[k], lambda r, nxt=hops[k + 1], k=k: Reply(301 if k % 2 else 302, headers={"Location": nxt}))
            art = hops[0]
        else:
            a.report(art, f)
        item(art, f.title)
    # entries that look like reports and fail: recorded with their URL, the crawl goes on
    big = "<p>" + "政府信息公开工作" * 200 + "</p>"
    bad = {
        "endless": (Reply(endless=True), "size|timeout"),                        # no length, never ends
        "drip": (Reply(body=frame("年报", big).encode(), drip=1.0), "timeout"),  # a byte a second
        "claim": (Reply(body=frame("年报", big).encode(), claim=200_000), "connection"),  # length > body
        "cut": (Reply(body=frame("年报", big * 20).encode(), cut=True), "connection"),    # reset half-way
        "deflate": (Reply(body=deflate_bomb(1024), headers={"Content-Encoding": "deflate"}), "size"),  # 1 GB
        "error": (Reply(500, "<h1>500 服务器内部错误</h1>".encode()), "http"),
        "garbled": (Reply(raw="HTTP/1.1 二百 OK\r\n\r\n<html>年报</html>".encode()), "connection"),
        "chunks": (Reply(raw=b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                           b"10\r\n<html><body>0123\r\nZZZ\r\nnot a chunk\r\n"), "connection"),
    }
    for k, (name, (rep, kind)) in enumerate(bad.items()):
        target = f"/xxgk/nb/202301/t_{name}.html"
        a.route(target, lambda r, rep=rep: rep)
        item(target, f"{county}审计局{2016 + k}年政府信息公开工作年度报告")
        web.bad(a, target, kind)
    # a 30-hop redirect chain (each hop a new URL)
    for k in range(30):
        a.route(f"/xxgk/nb/jump/{k}", lambda r, k=k: Reply(302, headers={"Location": f"/xxgk/nb/jump/{k + 1}"}))
    item("/xxgk/nb/jump/0", f"{county}统计局2022年政府信息公开工作年度报告")
    web.bad(a, "/xxgk/nb/jump/0", "redirect")
    # pages answering 200 that are no report: never stored
    for name, body in (("maint", MAINTENANCE), ("login", LOGIN), ("gone", NOT_FOUND_200)):
        a.static(f"/xxgk/nb/202301/t_{name}.html", body)
        item(f"/xxgk/nb/202301/t_{name}.html", f"{county}档案局{ {'maint': 2019, 'login': 2020, 'gone': 2021}[name]}"
             "年政府信息公开工作年度报告")
    item("/private/nb.html", f"{county}机关事务局2023年政府信息公开工作年度报告")
    a.page("/private/nb.html", "内部", "<p>robots.txt forbids this page</p>")
    a.page("/xxgk/nb/", "政府信息公开年报", f'<ul class="list">{"".join(items)}</ul><p>共{len(items)}条</p>')

    # 乙: robots.txt never answers (RFC 9309: unreachable → disallow all); nothing else asked
    b = web.host("www.hxb.gov.cn", robots=lambda r: Reply(hang=120))
    b.page("/", "乙县人民政府", '<a href="/nb/">政府信息公开年报</a>')
    web.bad(b, "/", "unreachable")

    # 丙: a 5 MB robots.txt (its rules on top, then 170 000 more); a calendar of endless distinct URLs
    rules = "User-agent: *\nDisallow: /private/\n" + "".join(f"Disallow: /tmp/cache{i:06d}/\n" for i in range(170_000))
    c = web.host("www.hxc.gov.cn", robots=rules)
    c.page("/", "丙县人民政府", '<a href="/zwgk/">政务公开</a>')
    c.page("/zwgk/", "政务公开", '<a href="/zwgk/ndbg/">政府信息公开工作年度报告</a>')
    citems = []
    for k, dept in enumerate(["人民政府", "财政局", "卫生健康局"]):
        f = fig(7300 + k, "丙县" + dept, 2022 + k % 2)
        c.report(f"/zwgk/ndbg/{k}.html", f, style=("official", "word", "trs")[k])
        citems.append(f'<li><a href="/zwgk/ndbg/{k}.html">{f.title}</a></li>')
    citems.append('<li><a href="/private/x.html">丙县内部2023年政府信息公开工作年度报告</a></li>')

    def day(r) -> Reply:
        # /zwgk/ndbg/rili/2024-01-15.html → links to the day before and after, the month's days
        d = r.target.rsplit("/", 1)[-1].split(".")[0]
        y, m, dd = (int(x) for x in d.split("-"))
        n = y * 400 + m * 31 + dd
        nav = "".join(f'<a href="/zwgk/ndbg/rili/{y + (n + s) % 7}-{(m + s) % 12 + 1:02d}-{(dd + s) % 28 + 1:02d}.html">'
                      f'{label}</a> ' for s, label in ((1, "后一天"), (2, "下个月"), (3, "下一年"), (5, "上一天")))
        days = "".join(f'<a href="/zwgk/ndbg/rili/{y}-{m:02d}-{x:02d}.html">{x}</a> ' for x in range(1, 29))
        return Reply(body=frame(f"{d} 政务日历", f"<p>{d}</p>{nav}<div class=rili>{days}</div>"
                                f'<a href="/zwgk/ndbg/">政府信息公开工作年度报告</a>').encode())
    c.route("/zwgk/ndbg/rili/", day, prefix=True)
    c.page("/zwgk/ndbg/", "政府信息公开工作年度报告", f'<ul>{"".join(citems)}</ul>'
           '<div class="rili"><a href="/zwgk/ndbg/rili/2024-01-15.html">日历</a></div>')
    c.page("/private/x.html", "内部", "<p>forbidden</p>")

    # 丁: every URL of the host answers 500 to its first two requests (robots.txt included)
    d = web.host("www.hxd.gov.cn", robots="User-agent: *\nDisallow:\n")
    dpages = {"/": frame("丁县人民政府", '<a href="/gk/nb/">政府信息公开年报</a>').encode()}
    f = fig(7400, "丁县人民政府", 2024)
    d.report("/gk/nb/t1.html", f)
    dpages["/gk/nb/t1.html"] = d.routes["/gk/nb/t1.html"](None).body
    dpages["/gk/nb/"] = frame("政府信息公开年报", f'<a href="/gk/nb/t1.html">{f.title}</a>').encode()
    robots_ok = d.robots

    def flaky(r) -> Reply:
        if r.host_count <= 2:
            return Reply(500, b"<h1>500</h1>")
        if r.target == "/robots.txt":
            return Reply(200, robots_ok.encode(), "text/plain")
        return Reply(200, dpages[r.target]) if r.target in dpages else Reply(404, b"")
    d.robots = flaky
    for target in dpages:
        d.route(target, flaky)
    return web, ["www.hxa.gov.cn", "www.hxb.gov.cn", "www.hxc.gov.cn", "www.hxd.gov.cn"]


# ---- running and reading ---------------------------------------------------------------------
def sites_csv(tmp: Path, hosts: list[str]) -> Path:
    sites = tmp / "sites.csv"
    sites.write_text("name,url\n" + "".join(f"site{i},http://{h}/\n" for i, h in enumerate(hosts)), encoding="utf-8")
    return sites


def run_cli(command: str, sites: Path, db: Path, env: dict[str, str], timeout: float = 150
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nianbao_cli", command, "--sites", str(sites), "--db", str(db)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def exported(db: Path) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "nianbao_cli", "export", "--db", str(db), "--format", "jsonl"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def errors(db: Path) -> dict[str, tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return {u: (k, r) for u, k, r in con.execute("SELECT url, kind, reason FROM errors")}
    finally:
        con.close()


def cells(report: dict) -> dict[str, object]:
    return {f"{t}.{row}.{col}": v for t in TABLES for row, cols in (report.get(t) or {}).items()
            for col, v in cols.items()}


def check_reports(web: HostileWeb, reports: list[dict]) -> None:
    keys = [(r["agency"], r["year"]) for r in reports]
    assert len(keys) == len(set(keys)), f"duplicates: {sorted(k for k in keys if keys.count(k) > 1)}"
    missed = sorted(set(web.expected) - set(keys))
    extra = sorted(set(keys) - set(web.expected))
    assert not missed, f"missed {missed}"
    assert not extra, f"stored what is no report of the web: {extra}"
    for r in reports:
        exp = web.expected[(r["agency"], r["year"])]
        want, got = cells(exp), cells(r)
        wrong = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
        assert not wrong, f"{r['agency']} {r['year']} ({r['source_url']}): {len(wrong)} cells differ, e.g. {list(wrong.items())[:3]}"


def one_clear_output(proc: subprocess.CompletedProcess) -> None:
    """No traceback, the summary is one line, and stderr stays short (no bytes of documents)."""
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-3000:]
    assert len(proc.stdout.strip().splitlines()) <= 2, proc.stdout
    assert len(proc.stderr) < 6000, proc.stderr[-3000:]


# ---- the crawl ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_crawl_of_a_hostile_web_stores_every_good_report_and_records_every_fault(tmp_path: Path) -> None:
    web, hosts = crawl_web()
    db = tmp_path / "corpus.db"
    with web:
        env = crawl_env(web.proxy_url, NIANBAO_DOWNLOAD_TIMEOUT=str(TIMEOUT),
                        NIANBAO_DOWNLOAD_MAXSIZE=str(16 * 1024 * 1024))
        started = time.monotonic()
        proc = run_cli("crawl", sites_csv(tmp_path, hosts), db, env)
        took = time.monotonic() - started
        hits = list(web.hits)
    # (d) the contract: exit 0 (failed requests are recorded, not fatal), one summary line
    assert proc.returncode == 0, proc.stderr[-3000:]
    one_clear_output(proc)
    assert proc.stdout.startswith("crawl: 4 sites"), proc.stdout
    # (a) within bounds: the endless body, the drip, the hanging robots.txt and the calendar cost
    # a bounded time and number of requests
    assert took < 100, f"{took:.0f} s"
    assert len(hits) < 150, f"{len(hits)} requests"
    calendar = sum(1 for h, t, _ in hits if "/rili/" in t)
    assert calendar <= 3, f"{calendar} requests into the calendar"
    assert not [t for h, t, _ in hits if t.startswith("/private/")], "robots.txt forbids /private/"
    assert not [t for h, t, _ in hits if h == "www.hxb.gov.cn" and t != "/robots.txt"], \
        "a host whose robots.txt never answered is disallowed"
    session = [t for h, t, _ in hits if "t20240115_11" in t]
    assert len(session) == 1, session
    # (b) every good report exactly, once
    check_reports(web, exported(db))
    # (c) every fault in errors with its URL
    errs = errors(db)
    wrong = {u: (kind, errs.get(u)) for u, kind in web.must_error.items()
             if errs.get(u, ("",))[0] not in kind.split("|")}
    assert not wrong, f"not recorded as the kind expected: {wrong}"
    assert all(reason and reason not in ("DownloadCancelledError", "CancelledError", "ResponseDataLossError")
               for _, reason in errs.values()), errs


# ---- the nightly -------------------------------------------------------------------------------
class Nights:
    """Three counties for three nights; ``phase`` "hostile" turns their servers bad (night 2)."""

    def __init__(self) -> None:
        self.phase = "normal"
        self.web = web = HostileWeb()
        self.hosts = ["www.nte.gov.cn", "www.ntf.gov.cn", "www.ntg.gov.cn"]
        self.report_urls: dict[str, str] = {}
        for h, (host, county) in enumerate(zip(self.hosts, ["戊县", "己县", "庚县"])):
            site = web.host(host, robots="User-agent: *\nDisallow: /search/\n")
            routes: dict[str, Reply] = {"/": Reply(body=frame(f"{county}人民政府", '<a href="/xxgk/">信息公开</a>').encode()),
                                        "/xxgk/": Reply(body=frame("信息公开", '<a href="/xxgk/nb/">政府信息公开年报</a>').encode())}
            items = []
            for k in range(4 if h == 0 else 3):
                f = fig(7500 + 10 * h + k, county + ["人民政府", "财政局", "教育局", "民政局"][k], 2024 - k)
                target = f"/xxgk/nb/t{k}.html"
                routes[target] = Reply(body=site.report(target, f))
                self.report_urls[f"{host}#{k}"] = site.url(target)
                items.append(f'<li><a href="{target}">{f.title}</a></li>')
            routes["/xxgk/nb/"] = Reply(body=frame("政府信息公开年报", f'<ul>{"".join(items)}</ul><p>共{len(items)}条</p>').encode())
            routes["/login.do"] = Reply(body=LOGIN)
            for target in routes:
                site.route(target, lambda r, h=h, routes=routes: self.answer(h, r, routes))

    def answer(self, h: int, r, routes: dict[str, Reply]) -> Reply:
        path = r.target.split("?")[0]
        if self.phase == "hostile":
            if h == 0 and path == "/xxgk/nb/t0.html":
                return Reply(body=MAINTENANCE)                       # 网站维护中, status 200
            if h == 0 and path == "/xxgk/nb/t1.html":                # the report now asks to log in
                return Reply(302, headers={"Location": "/login.do?returnUrl=%2Fxxgk%2Fnb%2Ft1.html"})
            if h == 0 and path == "/xxgk/nb/t2.html":
                return Reply(body=NOT_FOUND_200)                     # 页面不存在, status 200
            if h == 0 and path == "/xxgk/nb/t3.html":                # cut short, Content-Length to match
                whole = routes[path].body
                return Reply(body=whole[: len(whole) * 6 // 10])
            if h == 1 and self.burst < 4:                            # 500 for the night's first 4
                self.burst += 1
                return Reply(500, "<h1>500 服务器内部错误</h1>".encode())
            if h == 2:
                return Reply(body=MAINTENANCE)                       # the whole site in maintenance
        return routes[path]

    def night(self, phase: str, sites: Path, db: Path, **env: str) -> subprocess.CompletedProcess:
        self.phase, self.burst = phase, 0
        with self.web:
            return run_nightly(sites, db, env=crawl_env(self.web.proxy_url, NIANBAO_DOWNLOAD_TIMEOUT=str(TIMEOUT),
                                                        NIANBAO_LATE_RETRY_WAIT="1", **env))


def last_seen(db: Path, host: str) -> dict[str, str]:
    """URL of each stored document of ``host`` → when a night last saw it listed."""
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT url, last_seen FROM document_urls WHERE url LIKE ?", [f"http://{host}/%"]))
    finally:
        con.close()


def run_errors(db: Path, run_id: int) -> dict[str, str]:
    con = sqlite3.connect(db)
    try:
        return {u: k for u, k in con.execute("SELECT url, kind FROM errors WHERE run_id = ?", [run_id])}
    finally:
        con.close()


@pytest.mark.slow
def test_nights_of_maintenance_login_truncated_pages_and_500s_lose_nothing_and_say_what_failed(tmp_path: Path) -> None:
    nights = Nights()
    e, f, g = nights.hosts
    sites, db = sites_csv(tmp_path, nights.hosts), tmp_path / "corpus.db"
    first = nights.night("normal", sites, db)
    assert first.returncode == 0, first.stderr[-3000:]
    check_reports(nights.web, exported(db))
    before = snapshot(db)

    # Night 2: every known document is asked again (conditional GETs), and the servers misbehave.
    mark, f_seen = len(nights.web.hits), last_seen(db, f)
    second = nights.night("hostile", sites, db, NIANBAO_REVALIDATE_DAYS="0")
    assert second.returncode == 0, second.stderr[-3000:]
    one_clear_output(second)
    after = snapshot(db)
    assert after["reports"] == before["reports"], "a report changed or was lost"
    removed = {u: reason for u, (_, _, gone, reason) in after["urls"].items() if gone}
    # 页面不存在 served with 200 is a removal (docs/nightly.md); 网站维护中, a login page, a
    # burst of 500s and a whole site in maintenance are not; a copy cut short replaces nothing
    assert removed == {f"http://{e}/xxgk/nb/t2.html": "soft 404 (page not found)"}, removed
    errs = run_errors(db, 2)
    want = {f"http://{e}/xxgk/nb/t0.html": "maintenance", f"http://{e}/xxgk/nb/t1.html": "login",
            f"http://{e}/xxgk/nb/t3.html": "degraded",
            f"http://{g}/xxgk/nb/": "maintenance", f"http://{f}/xxgk/nb/": "http"}
    assert {u: errs.get(u) for u in want} == want, errs
    # the list that answered 500 three times (its retries) was asked again once the night ran
    # dry, and read: its reports were seen tonight
    f_list = [s for h, t, s in nights.web.hits[mark:] if h == f and t == "/xxgk/nb/"]
    assert f_list[:4] == [500] * 4 and f_list[-1] == 200, f_list
    assert all(last_seen(db, f)[u] > when for u, when in f_seen.items()), (f_seen, last_seen(db, f))

    # Night 3: the servers are well again; the page that said 页面不存在 for one night is back.
    third = nights.night("normal", sites, db)
    assert third.returncode == 0, third.stderr[-3000:]
    assert snapshot(db) == before


def test_a_5_mb_robots_txt_is_parsed_up_to_the_rfc_limit_by_both_readers(monkeypatch) -> None:
    """Protego took ~3 s per parse of a 5 MB robots.txt, twice (the Crawl-delay reader, then
    Scrapy's middleware), with the reactor blocked: every site's downloads waited. Both now
    read at most RFC 9309's 500 KiB, cut at a line's end, the rules on top kept."""
    from protego import Protego
    from scrapy.http import Request, Response
    from scrapy.settings import Settings

    from crawler.middlewares import ROBOTS_PARSE_LIMIT, CrawlDelayMiddleware, ScopeMiddleware

    body = ("User-agent: *\nCrawl-delay: 2\nDisallow: /private/\n"
            + "".join(f"Disallow: /tmp/cache{i:06d}/\n" for i in range(170_000))).encode()
    request = Request("http://www.hxc.gov.cn/robots.txt", meta={"dont_obey_robotstxt": True})
    response = Response(request.url, status=200, body=body, request=request)
    parsed: list[int] = []
    real = Protego.parse
    monkeypatch.setattr(Protego, "parse", classmethod(lambda cls, text: parsed.append(len(text)) or real(text)))

    class Crawler:  # what the two middlewares read of one
        settings = Settings({"ROBOTSTXT_USER_AGENT": "nianbao"})
        spider = None

    delay = CrawlDelayMiddleware(Crawler())
    delay.process_response(request, response)           # nearer the downloader: sees it first
    handed = ScopeMiddleware(Crawler()).process_response(request, response)  # what Scrapy then parses
    assert parsed and max(parsed) <= ROBOTS_PARSE_LIMIT, parsed
    assert len(handed.body) <= ROBOTS_PARSE_LIMIT and handed.body.endswith(b"\n")
    assert delay.delays == {"www.hxc.gov.cn": 2.0}
    rules = real(handed.body.decode())
    assert not rules.can_fetch("http://www.hxc.gov.cn/private/x.html", "nianbao")
    assert rules.can_fetch("http://www.hxc.gov.cn/zwgk/", "nianbao")

