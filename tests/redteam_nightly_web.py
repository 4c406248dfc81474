"""A red-team web for the nightly job: sites that change between nights the way real ones do.

Independent of ``crawler/simweb``. One threaded stdlib HTTP server on 127.0.0.1:0 is an HTTP
proxy for virtual hosts ``www.xxx.gov.cn`` (the crawler reaches it through ``http_proxy``), and
counts every request that reaches it — 304s and robots.txt included — by kind.

Each site has a home page, a 政务公开 page, and one 年报 list (HTML, or a JSON list API called by
the list page's script), paginated or not, of report documents rendered by ``tests.fixturegen``
(so their figures are known). What varies per site, as on real servers:

- ``validators``: ``lm`` (static TRS pages: Last-Modified, no ETag, 304 on If-Modified-Since),
  ``etag`` (a stable strong ETag, 304 on If-None-Match), ``churn`` (an ETag that changes with
  every response: never 304), ``none`` (dynamic pages: no validators, always 200, and every page
  carries the time, a visit counter and a CSRF token that change with every response), ``now``
  (dynamic pages as ``none``, sent with ``Last-Modified`` = the time of the response);
- ``n``: reports on the list; ``per_page``: items a list page shows (None: one page);
  ``total``: the list prints 共N条; ``api``: the list comes from a JSON API (with a server
  timestamp and request id in every reply); ``attach``: reports are an article page plus a
  PDF/DOCX attachment, else an inline HTML page.

Mutations (between nights): :meth:`NightWeb.add`, :meth:`NightWeb.republish` (new figures,
today's date, moved to the top), :meth:`NightWeb.replace` (new figures at the same URL;
``regen=True`` also regenerates the list page — its Last-Modified moves on, its text does not;
else fully silent), :meth:`NightWeb.remove` (``how`` = ``404``, ``410``, ``soft404`` (200 with
页面不存在), ``dropped`` (off the list, still served); ``keep_link`` leaves a broken link on the
list).

    web = NightWeb([SiteSpec("www.a.gov.cn", "甲县", validators="lm", n=20, per_page=6)])
    with web:
        env = {"http_proxy": web.proxy_url}
        web.sites_csv(path)
        mark = web.mark(); ...run a night...; web.count_since(mark)   # {"robots": 0, "list": 1, ...}
        web.expected()          # (agency, year) -> {"url", "fig", "kind", "state"} of every report
"""

from __future__ import annotations

import email.utils
import hashlib
import itertools
import json
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, urlsplit

from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.figures import Figures
from tests.loopback_proxy import LoopbackProxy, incoming, send

DEPARTMENTS = ("人民政府办公室", "教育局", "财政局", "民政局", "卫生健康局", "交通运输局", "自然资源局")
YEARS = (2024, 2023, 2022, 2021)
STYLES = {"html": "trs", "pdf": "nolines", "docx": "official"}  # none needs LibreOffice
CTYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
          "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
BASE_TIME = 1_700_000_000.0  # 2023-11-14: Last-Modified of everything first published
SOFT_404 = ("<html><head><title>页面不存在</title></head><body><div class=\"err\">"
            "<h1>404</h1><p>抱歉，您访问的页面不存在或已被删除！</p><a href=\"/\">返回首页</a>"
            "</div></body></html>")


@dataclass
class SiteSpec:
    """How one simulated site behaves (see the module docstring)."""

    host: str
    county: str
    validators: str = "lm"       # lm | etag | churn | none | now
    n: int = 6
    per_page: int | None = None
    total: bool = True
    api: bool = False
    attach: bool = False
    seed: int = 0


@dataclass
class Doc:
    """One report on a site's list."""

    key: int
    fig: Figures
    kind: str                    # html (inline) | pdf | docx (article page + attachment)
    date: str                    # the list's date of the item
    mtime: float                 # Last-Modified of the document
    state: str = "live"          # live | 404 | 410 | soft404 | dropped
    listed: bool = True
    shown_date: str | None = None  # the list's date after a re-publication


@dataclass
class Site:
    spec: SiteSpec
    docs: list[Doc] = field(default_factory=list)   # list order: newest first
    list_mtime: float = 0.0
    static_mtime: float = 0.0


def _http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def _page(title: str, body: str, volatile: bool) -> str:
    """An HTML page with the site's chrome; dynamic sites add what changes on every response."""
    noise = ""
    if volatile:
        noise = (f"<div class=\"bar\">当前时间：{time.strftime('%Y-%m-%d %H:%M:%S')} "
                 f"访问量：{next(_VISITS)} 次</div>"
                 f"<input type=\"hidden\" name=\"_csrf\" value=\"{uuid.uuid4().hex}\">"
                 f"<script>var csrfToken = \"{uuid.uuid4().hex}\"; var t = {time.time_ns()};"
                 f"</script>")
    return (f"<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
            f"<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/xxgk/index.html\">政务公开</a>"
            f"</div>{noise}{body}<div class=\"foot\">主办单位：{title}</div></body></html>")


_VISITS = itertools.count(1000)


class NightWeb:
    """The simulated sites, their mutations and the request counts (module docstring)."""

    def __init__(self, specs: list[SiteSpec]) -> None:
        self.sites: dict[str, Site] = {}
        self.log: list[tuple[str, str, str, int]] = []   # (host, path?query, kind, status)
        self._lock = threading.Lock()
        self._keys = itertools.count(1)
        self._proxy: LoopbackProxy | None = None
        self._bytes: dict[tuple[int, int], bytes] = {}
        # Last-Modified times come from a logical clock: two webs built and changed the same
        # way answer the same validators (a copied corpus stays valid against a fresh web).
        now = self._clock = BASE_TIME
        for spec in specs:
            site = Site(spec, list_mtime=now, static_mtime=now)
            self.sites[spec.host] = site
            for i in range(spec.n):
                dept = DEPARTMENTS[(i // len(YEARS)) % len(DEPARTMENTS)]
                year = YEARS[i % len(YEARS)]
                site.docs.append(self._new_doc(site, f"{spec.county}{dept}", year,
                                               spec.seed * 1000 + i, now, f"{year + 1}-01-{10 + i % 18}"))

    # ---- building -------------------------------------------------------------------------
    def _new_doc(self, site: Site, agency: str, year: int, seed: int, mtime: float,
                 date: str) -> Doc:
        # A few PDFs (slow to parse), mostly DOCX attachments.
        kind = ("pdf" if seed % 4 == 0 else "docx") if site.spec.attach else "html"
        return Doc(next(self._keys), make_figures(seed, "2021", agency=agency, year=year), kind,
                   date, mtime)

    @staticmethod
    def article_path(doc: Doc) -> str:
        d = doc.date.replace("-", "")
        return f"/xxgk/nb/{d[:6]}/t{d}_{100000 + doc.key}.html"

    @staticmethod
    def attachment_path(doc: Doc) -> str:
        return f"/xxgk/nb/files/P0{doc.key:06d}.{doc.kind}"

    def doc_url(self, host: str, doc: Doc) -> str:
        """The URL the corpus stores for ``doc`` (the attachment, or the inline page)."""
        path = self.attachment_path(doc) if doc.kind != "html" else self.article_path(doc)
        return f"http://{host}{path}"

    def sites_csv(self, path: Path) -> Path:
        path.write_text("name,url\n" + "".join(f"{s.spec.county}人民政府,http://{h}/\n"
                                               for h, s in self.sites.items()), encoding="utf-8")
        return path

    def expected(self) -> dict[tuple[str, int], dict]:
        """Every report ever on the web: (agency, year) → its URL, figures, kind and state."""
        out = {}
        for host, site in self.sites.items():
            for doc in site.docs:
                out[(doc.fig.agency, doc.fig.year)] = {
                    "url": self.doc_url(host, doc), "fig": doc.fig, "kind": doc.kind,
                    "state": doc.state, "listed": doc.listed}
        return out

    def truth(self, doc: Doc) -> dict:
        return expected_json(doc.fig, doc.kind, STYLES[doc.kind])

    # ---- mutations --------------------------------------------------------------------------
    def _tick(self) -> float:
        self._clock += 60
        return self._clock

    def _touch_list(self, site: Site) -> None:
        site.list_mtime = self._tick()

    def add(self, host: str, year: int = 2025, dept: str = "审计局", seed: int = 777) -> Doc:
        """A new report at the top of the list (pushing the last item of each page down)."""
        with self._lock:
            site = self.sites[host]
            doc = self._new_doc(site, f"{site.spec.county}{dept}", year, seed, self._tick(),
                                time.strftime("%Y-%m-%d"))
            site.docs.insert(0, doc)
            self._touch_list(site)
            return doc

    def republish(self, host: str, index: int) -> Doc:
        """New figures for the report at list position ``index``, today's date, moved to top.
        Same URL (the article keeps its id; its path date is the first publication's)."""
        with self._lock:
            site = self.sites[host]
            doc = self._live(site)[index]
            self._refigure(doc)
            site.docs.remove(doc)
            site.docs.insert(0, doc)
            doc.shown_date = time.strftime("%Y-%m-%d")
            self._touch_list(site)
            return doc

    def replace(self, host: str, index: int, regen: bool = False) -> Doc:
        """New figures in place; ``regen``: the CMS regenerates the list page (new
        Last-Modified, same text), else nothing else changes."""
        with self._lock:
            site = self.sites[host]
            doc = self._live(site)[index]
            self._refigure(doc)
            if regen:
                self._touch_list(site)
            return doc

    def remove(self, host: str, index: int, how: str, keep_link: bool = False) -> Doc:
        """Take the report at list position ``index`` down (``how``: 404, 410, soft404,
        dropped); ``keep_link`` leaves it linked from the list (a broken link)."""
        with self._lock:
            site = self.sites[host]
            doc = self._live(site)[index]
            doc.state = how
            doc.listed = keep_link and how != "dropped"
            self._touch_list(site)
            return doc

    @staticmethod
    def _live(site: Site) -> list[Doc]:
        return [d for d in site.docs if d.state == "live" and d.listed]

    def _refigure(self, doc: Doc) -> None:
        doc.fig = make_figures(doc.fig.seed + 5000, "2021", agency=doc.fig.agency,
                               year=doc.fig.year)
        doc.mtime = self._tick()

    # ---- counting ---------------------------------------------------------------------------
    def mark(self) -> int:
        return len(self.log)

    def count_since(self, mark: int) -> Counter:
        """Requests since ``mark`` by kind (robots, home, list, further, api, document…),
        plus ``total``."""
        out = Counter(kind for _h, _p, kind, _s in self.log[mark:])
        out["total"] = len(self.log) - mark
        return out

    def requests_since(self, mark: int) -> list[tuple[str, str, str, int]]:
        return list(self.log[mark:])

    # ---- serving ----------------------------------------------------------------------------
    def _render(self, doc: Doc) -> bytes:
        key = (doc.key, doc.fig.seed)
        if key not in self._bytes:
            self._bytes[key] = render(doc.fig, doc.kind, STYLES[doc.kind])
        return self._bytes[key]

    def _list_items(self, host: str, site: Site) -> list[tuple[Doc, str, str]]:
        out = []
        for doc in site.docs:
            if doc.listed:
                date = doc.shown_date or doc.date
                out.append((doc, self.article_path(doc), date))
        return out

    def _list_page(self, host: str, site: Site, n: int) -> str:
        items = self._list_items(host, site)
        per = site.spec.per_page or max(len(items), 1)
        pages = max(1, -(-len(items) // per))
        chunk = items[(n - 1) * per:n * per]
        lis = "".join(f"<li><a href=\"{path}\" target=\"_blank\">{doc.fig.title}</a>"
                      f"<span class=\"date\">{date}</span></li>" for doc, path, date in chunk)
        body = f"<h2>政府信息公开年度报告</h2><ul class=\"list\">{lis}</ul>"
        if site.spec.total:
            body += f"<div class=\"count\">共{len(items)}条</div>"
        if pages > 1:
            links = " ".join(f"<a href=\"/xxgk/nb/{'index' if i == 1 else f'index_{i - 1}'}.html\">"
                             f"{i}</a>" for i in range(1, pages + 1))
            nxt = f"/xxgk/nb/index_{n}.html" if n < pages else f"/xxgk/nb/index_{n - 1}.html"
            body += f"<div class=\"page\">共{pages}页 {links} <a href=\"{nxt}\">下一页</a></div>"
        return _page(f"{site.spec.county}人民政府", body, site.spec.validators in ("none", "now"))

    def _api_reply(self, site: Site, page_no: int, size: int) -> bytes:
        items = self._list_items("", site)
        chunk = items[(page_no - 1) * size:page_no * size]
        data = {"code": 200, "msg": "success", "timestamp": time.time_ns() // 1000000,
                "requestId": uuid.uuid4().hex,
                "data": {"total": len(items), "pageSize": size, "pageNo": page_no,
                         "list": [{"title": doc.fig.title, "url": path, "pubDate": date}
                                  for doc, path, date in chunk]}}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    def _route(self, host: str, path: str, query: str) -> tuple[str, int, dict, bytes, float | None]:
        """(kind, status, headers, body, mtime) of one GET; mtime None = dynamic (no LM)."""
        site = self.sites.get(host)
        if site is None:
            return "foreign", 404, {}, b"", None
        vol = site.spec.validators in ("none", "now")
        county = site.spec.county
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            return "robots", 200, {"Content-Type": "text/plain"}, \
                b"User-agent: *\nDisallow: /search/\n", site.static_mtime
        if path in ("/", "/index.html"):
            body = _page(f"{county}人民政府", "<a href=\"/xxgk/index.html\">政务公开</a> "
                         "<a href=\"/news/1.html\">新闻动态</a> <a href=\"/search/?q=1\">搜索</a>",
                         vol)
            return "home", 200, html, body.encode(), site.static_mtime
        if path == "/news/1.html":
            return "other", 200, html, _page("新闻", "<p>今日要闻</p>", vol).encode(), \
                site.static_mtime
        if path == "/xxgk/index.html":
            body = _page("政务公开", "<ul><li><a href=\"/xxgk/zn.html\">政府信息公开指南</a></li>"
                         "<li><a href=\"/xxgk/nb/index.html\">政府信息公开年度报告</a></li></ul>",
                         vol)
            return "platform", 200, html, body.encode(), site.static_mtime
        if path == "/xxgk/zn.html":
            return "other", 200, html, _page("政府信息公开指南", "<p>指南</p>", vol).encode(), \
                site.static_mtime
        if path == "/xxgk/nb/index.html" and site.spec.api:
            size = site.spec.per_page or 50
            body = _page(f"{county}人民政府", "<div id=\"list\"></div><script>"
                         "function load(p) { $.ajax({url: \"/api/gknb/list\", type: \"get\", "
                         f"data: {{channelId: 12, pageNo: p, pageSize: {size}}}, "
                         "success: function (d) { render(d); }}); } load(1);</script>", vol)
            return "list", 200, html, body.encode(), site.list_mtime
        if path == "/api/gknb/list" and site.spec.api:
            q = {k: v[0] for k, v in parse_qs(query).items()}
            try:
                page_no, size = int(q.get("pageNo", 1)), int(q.get("pageSize", 10))
            except ValueError:
                return "api", 400, html, b"bad request", None
            return ("api" if page_no == 1 else "further"), 200, {"Content-Type": "application/json;charset=UTF-8"}, \
                self._api_reply(site, page_no, size), None
        if path == "/xxgk/nb/index.html" or path.startswith("/xxgk/nb/index_"):
            n = 1 if path.endswith("index.html") else int(path.rsplit("_", 1)[1].split(".")[0]) + 1
            return ("list" if n == 1 else "further"), 200, html, \
                self._list_page(host, site, n).encode(), site.list_mtime
        for doc in site.docs:
            art, att = self.article_path(doc), self.attachment_path(doc)
            if path not in (art, att) or (path == att and doc.kind == "html"):
                continue
            if doc.state in ("404", "410"):
                return "document", int(doc.state), html, b"<html>Not Found</html>", None
            if doc.state == "soft404":
                return "document", 200, html, SOFT_404.encode(), None
            if path == art and doc.kind != "html":
                body = _page(doc.fig.title, f"<h1>{doc.fig.title}</h1><p>附件：<a href=\"{att}\">"
                             f"{doc.fig.title}.{doc.kind}</a></p>", vol)
                return "document", 200, html, body.encode(), doc.mtime
            data = self._render(doc)
            return "document", 200, {"Content-Type": CTYPES[doc.kind]}, data, doc.mtime
        return "other", 404, html, b"<html>Not Found</html>", None

    def respond(self, method: str, url: str, headers: dict[str, str]
                ) -> tuple[str, int, dict, bytes]:
        parts = urlsplit(url)
        host, path = parts.hostname or "", parts.path or "/"
        with self._lock:
            kind, status, hdrs, body, mtime = self._route(host, path, parts.query)
            site = self.sites.get(host)
        hdrs = dict(hdrs)
        validators = site.spec.validators if site else "none"
        if status != 200 or validators == "none":
            return kind, status, hdrs, body
        if validators == "lm" and mtime is not None:
            hdrs["Last-Modified"] = _http_date(mtime)
            since = email.utils.parsedate_to_datetime(headers["if-modified-since"]).timestamp() \
                if headers.get("if-modified-since") else None
            if since is not None and int(mtime) <= since:
                return kind, 304, {"Last-Modified": hdrs["Last-Modified"]}, b""
        elif validators == "etag":
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            hdrs["ETag"] = etag
            if headers.get("if-none-match") == etag:
                return kind, 304, {"ETag": etag}, b""
        elif validators == "churn":
            hdrs["ETag"] = f'W/"{uuid.uuid4().hex[:12]}"'
        elif validators == "now":
            hdrs["Last-Modified"] = _http_date(time.time())
        return kind, status, hdrs, body

    def __enter__(self) -> Self:
        web = self

        def handle(h) -> None:
            req = incoming(h)
            try:
                kind, status, headers, data = web.respond(req.method, req.url, req.headers)
            except Exception as exc:  # noqa: BLE001 — a bug here must show as a 500, not hang the crawl
                kind, status, headers, data = "error", 500, {}, repr(exc).encode()
            with web._lock:
                web.log.append((req.host, req.target, kind, status))
            if status == 0:  # a server that closes the connection without an answer
                h.close_connection = True
                return
            send(h, status, headers, data)

        self._proxy = LoopbackProxy(handle).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proxy:
            self._proxy.stop()

    @property
    def proxy_url(self) -> str:
        assert self._proxy is not None
        return self._proxy.url
