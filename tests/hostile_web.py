"""A hostile government web on loopback: servers that misbehave at the byte level.

Built for ``tests/test_redteam_hostile.py`` on :mod:`tests.loopback_proxy` only (not
``crawler/simweb``, not the earlier red-team webs). One threaded proxy on ``127.0.0.1:0`` serves
virtual hosts; a route answers a :class:`Reply`, which may misbehave in the ways the earlier webs
could not express, because they always sent a whole, honest HTTP message:

- ``drip``: the body one byte every ``drip`` seconds (a server that never quite stops);
- ``endless``: no ``Content-Length``, ``Connection: close``, a body streamed for ever;
- ``claim``: a ``Content-Length`` larger than the body, then the connection closed;
- ``cut``: half the body, then a TCP reset (``SO_LINGER`` 0);
- ``hang``: nothing at all for ``hang`` seconds (a robots.txt that never answers);
- ``raw``: bytes that are no valid HTTP answer (a garbled status line, a broken chunked body);
- any status and headers (``Content-Encoding: deflate`` over a bomb, ``Retry-After``).

    web = HostileWeb()
    a = web.host("www.a.gov.cn", robots="User-agent: *\\nDisallow: /private/\\n")
    a.page("/", "某县人民政府", '<a href="/xxgk/">政府信息公开</a>')
    a.report("/nb/1.html", fig)                  # fixturegen figures: web.expected knows them
    a.route("/nb/slow.html", lambda req: Reply(drip=1.0, body=b"<html>..."))
    with web:
        web.proxy_url                            # set as http_proxy
        web.count("www.a.gov.cn", "/nb/1.html")  # requests that reached the server
"""

from __future__ import annotations

import io
import socket
import struct
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Self

from tests.fixturegen import expected_json, render
from tests.loopback_proxy import LoopbackProxy, incoming

HTML = "text/html; charset=utf-8"


@dataclass
class Req:
    """What a route sees of one request."""

    method: str
    host: str
    target: str
    headers: dict[str, str]
    count: int          # requests for this host+target so far, this one included
    host_count: int     # requests for this host so far (robots.txt included), this one included


@dataclass
class Reply:
    """One answer, honest or not (see the module docstring)."""

    status: int = 200
    body: bytes = b""
    ctype: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0
    endless: bool = False
    claim: int | None = None
    cut: bool = False
    hang: float = 0.0
    raw: bytes | None = None  # these bytes instead of an HTTP message, then the connection closed


Route = Callable[[Req], Reply]


def frame(title: str, body: str, *, charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body>"
            f'<div class="nav"><a href="/">首页</a></div><div class="content">{body}</div>'
            "<div class=\"footer\">版权所有 网站标识码</div></body></html>")


class Host:
    """One virtual host: routes, robots.txt (None: 404) or a route for it."""

    def __init__(self, web: HostileWeb, name: str, robots: str | Route | None):
        self.web, self.name, self.robots = web, name, robots
        self.routes: dict[str, Route] = {}
        self.prefixes: list[tuple[str, Route]] = []

    def url(self, target: str) -> str:
        return f"http://{self.name}{target}"

    def route(self, target: str, handler: Route, *, prefix: bool = False) -> None:
        if prefix:
            self.prefixes.append((target, handler))
        else:
            self.routes[target] = handler

    def static(self, target: str, body: bytes, ctype: str = HTML, **headers: str) -> None:
        self.route(target, lambda _r: Reply(200, body, ctype, dict(headers)))

    def page(self, target: str, title: str, body: str) -> None:
        self.static(target, frame(title, body).encode("utf-8"))

    def report(self, target: str, fig, kind: str = "html", style: str | None = None, *,
               ctype: str | None = None, expect: bool = True, **kw) -> bytes:
        """Serve a fixturegen report at ``target``; a correct crawl stores it (``expect``)."""
        data = render(fig, kind, style, **kw)
        default = {"html": HTML, "pdf": "application/pdf", "txt": "text/plain; charset=utf-8",
                   "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[kind]
        self.static(target, data, ctype or default)
        if expect:
            self.web.expect(fig, kind, style, self.url(target))
        return data


class HostileWeb:
    """Virtual hosts behind one loopback proxy; every request logged as (host, target, status)."""

    def __init__(self) -> None:
        self.hosts: dict[str, Host] = {}
        self.expected: dict[tuple[str, int], dict] = {}
        self.report_urls: dict[tuple[str, int], str] = {}
        self.must_error: dict[str, str] = {}       # URL → the error kind a correct crawl records
        self.hits: list[tuple[str, str, int]] = []
        self.times: list[float] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._proxy: LoopbackProxy | None = None

    def host(self, name: str, robots: str | Route | None = None) -> Host:
        self.hosts[name] = Host(self, name, robots)
        return self.hosts[name]

    def expect(self, fig, kind: str, style: str | None, url: str) -> None:
        exp = expected_json(fig, kind, style)
        self.expected[(exp["agency"], exp["year"])] = exp
        self.report_urls[(exp["agency"], exp["year"])] = url

    def bad(self, host: Host, target: str, kind: str) -> None:
        """A URL a correct crawl records in ``errors`` as ``kind`` (``crawler/errors.py``)."""
        self.must_error[host.url(target)] = kind

    def count(self, host: str, target: str | None = None, prefix: bool = False) -> int:
        return sum(1 for h, t, _ in self.hits if h == host and (
            target is None or t == target or (prefix and t.startswith(target))))

    # ---- serving --------------------------------------------------------------------------
    def answer(self, req: Req) -> Reply:
        host = self.hosts.get(req.host)
        if host is None:
            return Reply(cut=True)                      # an unknown name: as if DNS failed
        if req.target == "/robots.txt":
            if host.robots is None:
                return Reply(404, b"<h1>404 Not Found</h1>")
            if callable(host.robots):
                return host.robots(req)
            return Reply(200, host.robots.encode(), "text/plain")
        path = req.target.split("?", 1)[0]
        for key in (req.target, path):
            if key in host.routes:
                return host.routes[key](req)
        for pre, handler in sorted(host.prefixes, key=lambda p: -len(p[0])):
            if path.startswith(pre):
                return handler(req)
        return Reply(404, "<html><body><h1>404</h1>页面不存在</body></html>".encode())

    def _handle(self, h) -> None:
        inc = incoming(h)
        with self._lock:
            key = f"{inc.host}{inc.target}"
            self._counts[key] = self._counts.get(key, 0) + 1
            self._counts[inc.host] = self._counts.get(inc.host, 0) + 1
            req = Req(inc.method, inc.host, inc.target, inc.headers, self._counts[key], self._counts[inc.host])
        try:
            rep = self.answer(req)
        except Exception as exc:  # noqa: BLE001 - a route's bug is a 500, never a hang
            rep = Reply(500, repr(exc).encode(), "text/plain")
        with self._lock:
            self.hits.append((req.host, req.target, rep.status))
            self.times.append(time.monotonic())
        try:
            self._send(h, rep)
        except OSError:          # the crawler gave up (timeout, size cap): that is the point
            pass
        h.close_connection = h.close_connection or rep.endless or rep.claim is not None or rep.cut

    def _send(self, h, rep: Reply) -> None:
        if rep.hang and self._stop.wait(rep.hang):
            return
        if rep.cut and not rep.body:
            _reset(h)
            return
        if rep.raw is not None:
            h.wfile.write(rep.raw)
            h.close_connection = True
            return
        h.send_response(rep.status)
        h.send_header("Content-Type", rep.ctype)
        for k, v in rep.headers.items():
            h.send_header(k, v)
        if rep.endless:
            h.send_header("Connection", "close")
        else:
            h.send_header("Content-Length", str(rep.claim if rep.claim is not None else len(rep.body)))
        h.end_headers()
        if h.command == "HEAD":
            return
        if rep.endless:
            block = rep.body or b"<p>" + "数据加载中".encode() * 100 + b"</p>\n"
            deadline = time.monotonic() + 120
            while not self._stop.is_set() and time.monotonic() < deadline:
                h.wfile.write(block * 64)
            return
        if rep.drip:
            for i in range(len(rep.body)):
                if self._stop.wait(rep.drip):
                    return
                h.wfile.write(rep.body[i:i + 1])
                h.wfile.flush()
            return
        if rep.cut:
            h.wfile.write(rep.body[: len(rep.body) // 2])
            h.wfile.flush()
            _reset(h)
            return
        h.wfile.write(rep.body)          # ``claim``: fewer bytes than announced, then closed

    def __enter__(self) -> Self:
        self._stop.clear()
        self._proxy = LoopbackProxy(self._handle).start()
        # A connection the crawler resets is the point of these routes: no traceback on stderr.
        self._proxy._server.handle_error = lambda *_a: None  # type: ignore[union-attr,method-assign]
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._proxy is not None:
            self._proxy.stop()

    @property
    def proxy_url(self) -> str:
        assert self._proxy is not None
        return self._proxy.url


def _reset(h) -> None:
    """Close with a TCP RST (not a FIN): what a crashing server or a middlebox does."""
    h.close_connection = True
    try:
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
    except OSError:
        pass


# ---- hostile bodies ------------------------------------------------------------------------
@lru_cache(maxsize=None)
def deflate_bomb(megabytes: int) -> bytes:
    """A zlib (``Content-Encoding: deflate``) stream of ``megabytes`` MB of spaces (~1 KB per MB).

    Built from one fully flushed block repeated (a full flush resets the compressor, so every
    block after the first compresses to the same bytes), then the end block and the Adler-32 of
    the whole: a valid stream in a second instead of compressing a gigabyte."""
    block = b" " * (1024 * 1024)
    comp = zlib.compressobj(9)
    first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    check = 1
    for _ in range(megabytes):
        check = zlib.adler32(block, check)
    return first + again * (megabytes - 1) + b"\x03\x00" + check.to_bytes(4, "big")


@lru_cache(maxsize=None)
def ooxml_bomb(kind: str, megabytes: int = 100) -> bytes:
    """A DOCX or XLSX whose main part inflates to ``megabytes`` MB (the zip is ~100 KB)."""
    parts = ({"word/document.xml": b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                                   b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'}
             if kind == "docx" else
             {"xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                 b'<sheets><sheet name="1" sheetId="1"/></sheets></workbook>',
              "xl/worksheets/sheet1.xml": b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                                          b'spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>'})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        for name, head in parts.items():
            if not name.endswith(("document.xml", "sheet1.xml")):
                z.writestr(name, head)
                continue
            with z.open(name, "w", force_zip64=True) as f:
                f.write(b'<?xml version="1.0" encoding="UTF-8"?>' + head)
                block = b"0" * (1024 * 1024)
                for _ in range(megabytes):
                    f.write(block)
    return buf.getvalue()


@lru_cache(maxsize=None)
def zip_bomb(megabytes: int = 100) -> bytes:
    """A ZIP attachment (not an Office file) whose one member, ``年报.pdf``, inflates to
    ``megabytes`` MB of a PDF header and zeros (the zip is ~100 KB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("年报.pdf", "w", force_zip64=True) as f:
            f.write(b"%PDF-1.4\n")
            block = bytes(1024 * 1024)
            for _ in range(megabytes):
                f.write(block)
    return buf.getvalue()


def corrupt_pdf() -> bytes:
    """A PDF header and a few objects, then garbage and no cross-reference table."""
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Length 999999 >>\n"
            b"stream\n" + bytes(range(256)) * 40 + b"\n%%EO")


MAINTENANCE = frame("系统维护", "<h2>网站维护中</h2><p>为了给您提供更好的服务，本站正在进行系统升级维护，"
                    "请稍后访问。给您带来的不便，敬请谅解！</p>").encode()
LOGIN = frame("用户登录", '<form action="/login.do" method="post"><h3>统一身份认证平台</h3>'
              '用户名：<input name="username"> 密码：<input type="password" name="password">'
              '<input type="submit" value="登录"></form><p>您尚未登录或登录已超时，请重新登录。</p>').encode()
NOT_FOUND_200 = frame("提示信息", "<h1>404</h1><p>抱歉，您访问的页面不存在或已被删除！</p>").encode()
