"""A second, independent red-team web for the crawler: hostile servers and portal conventions.

Built fresh (not ``crawler/simweb``, not ``tests/redteam_web.py``). One threaded stdlib server
on ``127.0.0.1:0`` is an HTTP proxy for any number of virtual hosts; the crawler reaches it
through ``http_proxy``. What a host answers is an :class:`Answer`, fixed or computed per request,
and an answer can misbehave the ways real government servers do: wait before answering
(``delay``), drop the connection (``reset``), stream a huge body in chunks (``stream``), send a
``Content-Encoding: gzip`` body.

    net = Net()
    h = net.host("www.a.gov.cn", robots="User-agent: *\\nDisallow: /admin/\\n")
    h.html("/", "某市人民政府", '<a href="/zfxxgk/">政府信息公开</a>')
    h.report("/nb/1.html", fig, "html", "official")           # figures known: net.expected
    h.route("/busy", lambda req: Answer(200, body="访问过于频繁".encode()))
    with net:
        env = {"http_proxy": net.proxy_url}
        net.hits                          # every request: Hit(host, target, method, status, time)
        net.robots_violations()           # hits robots.txt forbids

``net.expected`` maps (agency, year) to the expected JSON of the report a correct crawl stores
(a report posted at several URLs, or corrected later, is one entry); ``net.must_error`` lists URLs
that a correct crawl records in its ``errors`` table.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from tests.fixturegen import expected_json, render
from tests.loopback_proxy import LoopbackProxy, incoming, send

MIME = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "txt": "text/plain; charset=utf-8",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls": "application/vnd.ms-excel", "doc": "application/msword", "wps": "application/kswps"}
OFFICE_KINDS = {"doc", "wps", "xls"}
OFFICE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "redteam2"


@dataclass
class Request:
    """What a route handler sees of one request."""

    method: str
    host: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    count: int            # how many times this target was asked for, this one included


@dataclass
class Answer:
    """One response, possibly a misbehaving one."""

    status: int = 200
    body: bytes = b""
    ctype: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0                     # seconds before the status line
    reset: bool = False                    # close the connection without answering
    stream: Iterator[bytes] | None = None  # a body sent in chunks (its length in ``length``)
    length: int | None = None


Route = Callable[[Request], Answer]


@dataclass
class Hit:
    host: str
    target: str       # path?query
    method: str
    status: int
    time: float


def office_bytes(fig, kind: str) -> bytes:
    """DOC/WPS/XLS renders, read from ``tests/fixtures/redteam2`` (committed, so CI needs no
    office suite); a render missing there is made with LibreOffice and written there, to be
    committed."""
    key = hashlib.sha256(repr((fig.seed, fig.fmt, fig.year, fig.agency, fig.title, kind)).encode()).hexdigest()[:24]
    path = OFFICE_FIXTURES / f"{key}.{kind}"
    if path.exists():
        return path.read_bytes()
    data = render(fig, kind)
    OFFICE_FIXTURES.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)             # atomic: parallel test workers share the directory
    return data


class Host:
    """One virtual host: its routes and robots.txt."""

    def __init__(self, net: Net, name: str, robots: str | None):
        self.net, self.name, self.robots = net, name, robots
        self.routes: dict[str, Route] = {}
        self.prefixes: list[tuple[str, Route]] = []

    def url(self, target: str) -> str:
        return f"http://{self.name}{target}"

    def route(self, target: str, handler: Route, *, prefix: bool = False) -> None:
        """Answer ``target`` (path, or path?query) with ``handler``; ``prefix``: every path below."""
        if prefix:
            self.prefixes.append((target, handler))
        else:
            self.routes[target] = handler

    def static(self, target: str, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200,
               headers: dict[str, str] | None = None) -> None:
        self.route(target, lambda _r: Answer(status, body, ctype, dict(headers or {})))

    def html(self, target: str, title: str, body: str, *, encoding: str = "utf-8", charset: bool = True) -> None:
        """A page in the portal's frame (header nav, footer) — charset optional, GBK possible."""
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">' if charset else ""
        page = (f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body>"
                f'<div class="top"><a href="/">网站首页</a> <a href="http://www.qq.com/">腾讯</a></div>'
                f'<div class="main">{body}</div><div class="foot">主办单位 版权所有</div></body></html>')
        self.static(target, page.encode(encoding, "xmlcharrefreplace"),
                    "text/html" + (f"; charset={encoding}" if charset else ""))

    def report(self, target: str, fig, kind: str, style: str | None = None, *, ctype: str | None = None,
               expect: bool = True, headers: dict[str, str] | None = None, **kw) -> bytes:
        """Serve a fixturegen report; remember what a crawl must store for it (``expect``)."""
        data = office_bytes(fig, kind) if kind in OFFICE_KINDS else render(fig, kind, style, **kw)
        if kind in ("html", "txt") and kw.get("encoding", "utf-8") != "utf-8":
            default = MIME[kind].split(";")[0]
        else:
            default = MIME[kind]
        self.static(target, data, ctype or default, headers=headers)
        if expect:
            self.net.expect(fig, kind, style, self.url(target))
        return data


def robots_allows(text: str, target: str, agent: str = "nianbao") -> bool:
    """RFC 9309 matching: our group (else ``*``), longest match wins, allow wins a tie."""
    groups: list[tuple[set[str], list[tuple[bool, str]]]] = []
    in_agents = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (s.strip() for s in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if not in_agents:
                groups.append((set(), []))
            groups[-1][0].add(value.lower())
            in_agents = True
        elif key in ("allow", "disallow") and groups:
            in_agents = False
            if value:
                groups[-1][1].append((key == "allow", value))
    rules = next((r for a, r in groups if any(x != "*" and x in agent for x in a)), None)
    if rules is None:
        rules = [rule for a, r in groups if "*" in a for rule in r]
    best = (-1, True)
    for allow, pattern in rules:
        rx = re.escape(pattern).replace(r"\*", ".*")
        rx = rx[:-2] + "$" if rx.endswith(r"\$") else rx
        if re.match(rx, target):
            best = max(best, (len(pattern), allow))
    return best[1]


class Net:
    """Virtual hosts behind one loopback HTTP proxy (see the module docstring)."""

    def __init__(self) -> None:
        self.hosts: dict[str, Host] = {}
        self.expected: dict[tuple[str, int], dict] = {}
        self.report_urls: dict[tuple[str, int], set[str]] = {}
        self.must_error: set[str] = set()
        self.hits: list[Hit] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._proxy: LoopbackProxy | None = None

    def host(self, name: str, robots: str | None = None) -> Host:
        """A new virtual host; ``robots`` None means robots.txt answers 404 (allow all)."""
        self.hosts[name] = Host(self, name, robots)
        return self.hosts[name]

    def expect(self, fig, kind: str, style: str | None, url: str) -> None:
        """A correct crawl stores this report (the last one expected for its agency and year)."""
        exp = expected_json(fig, kind, style)
        self.expected[(exp["agency"], exp["year"])] = exp
        self.report_urls.setdefault((exp["agency"], exp["year"]), set()).add(url)

    # ---- checking ----------------------------------------------------------------------------
    def robots_violations(self) -> list[str]:
        bad = []
        for hit in self.hits:
            host = self.hosts.get(hit.host)
            if hit.target != "/robots.txt" and host is not None and host.robots is not None \
                    and not robots_allows(host.robots, hit.target):
                bad.append(f"{hit.host}{hit.target}")
        return bad

    def count(self, host: str, target: str) -> int:
        return sum(1 for h in self.hits if h.host == host and h.target == target)

    # ---- serving -----------------------------------------------------------------------------
    def answer(self, req: Request) -> Answer:
        host = self.hosts.get(req.host)
        if host is None:
            return Answer(reset=True)                   # an unknown name: as if DNS failed
        target = req.path + (f"?{req.query}" if req.query else "")
        if req.path == "/robots.txt":
            if host.robots is None:
                return Answer(404, b"<h1>404</h1>")
            return Answer(200, host.robots.encode(), "text/plain")
        for key in (target, req.path):
            if key in host.routes:
                return host.routes[key](req)
        for pre, handler in sorted(host.prefixes, key=lambda p: -len(p[0])):
            if req.path.startswith(pre):
                return handler(req)
        return Answer(404, "<html><body>您访问的页面不存在</body></html>".encode())

    def __enter__(self) -> Self:
        net = self

        def handle(h) -> None:
            inc = incoming(h)
            key = f"{inc.host}{inc.target}"
            with net._lock:
                net._counts[key] = net._counts.get(key, 0) + 1
                count = net._counts[key]
            req = Request(inc.method, inc.host, inc.path, inc.query, inc.headers, inc.body, count)
            try:
                ans = net.answer(req)
            except Exception as exc:  # noqa: BLE001 - a handler bug shows as a 500, never a hang
                ans = Answer(500, repr(exc).encode(), "text/plain")
            with net._lock:
                net.hits.append(Hit(req.host, inc.target, inc.method, 0 if ans.reset else ans.status,
                                    time.monotonic()))
            if ans.delay:
                time.sleep(ans.delay)
            if ans.reset:
                h.close_connection = True
                try:
                    h.connection.shutdown(2)
                except OSError:
                    pass
                return
            if ans.stream is None:
                try:
                    send(h, ans.status, {"Content-Type": ans.ctype, **ans.headers}, ans.body)
                except (BrokenPipeError, ConnectionResetError):
                    h.close_connection = True
                return
            h.send_response(ans.status)
            h.send_header("Content-Type", ans.ctype)
            for k, v in ans.headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(ans.length))
            h.end_headers()
            if inc.method == "HEAD":
                return
            try:
                for chunk in ans.stream:
                    h.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                h.close_connection = True      # the crawler gave up on a huge body: fine

        self._proxy = LoopbackProxy(handle).start()
        return self

    def __exit__(self, *exc) -> None:
        if self._proxy is not None:
            self._proxy.stop()

    @property
    def proxy_url(self) -> str:
        assert self._proxy is not None
        return self._proxy.url


# ---- hostile answers ---------------------------------------------------------------------------
def gzip_bomb(megabytes: int = 1024) -> bytes:
    """A gzip body of about a megabyte that inflates to ``megabytes`` MB of spaces."""
    chunk = b" " * (1024 * 1024)
    buf = gzip.compress(chunk, compresslevel=9)
    # concatenated gzip members inflate to the concatenation of their contents (RFC 1952 §2.2)
    return buf * megabytes


def huge_stream(total: int) -> Iterator[bytes]:
    """``total`` bytes of a fake PDF, 1 MB at a time (never held in memory at once)."""
    yield b"%PDF-1.4\n"
    left = total - 9
    block = b"0" * (1024 * 1024)
    while left > 0:
        yield block[:left]
        left -= len(block)
