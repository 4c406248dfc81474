"""The loopback HTTP proxy the red-team webs share: request plumbing only, no routes.

A threaded stdlib server on ``127.0.0.1:0`` receives the crawler's absolute-URI proxy requests
(``GET http://www.x.gov.cn/a.html``); each web decides the answer in its own ``handle``.

    def handle(h):                                 # h: the BaseHTTPRequestHandler of one request
        req = incoming(h)                          # method, url, host, target, headers, body
        send(h, 200, {"Content-Type": "text/plain"}, b"hello")

    proxy = LoopbackProxy(handle).start()
    proxy.url                                      # http://127.0.0.1:PORT — set as http_proxy
    proxy.stop()
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit


@dataclass
class Incoming:
    """One proxied request: the absolute URL and its parts, lower-cased headers, the body read."""

    method: str
    url: str
    host: str           # lower-cased host name
    path: str           # "/" at least
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def target(self) -> str:
        """``path?query`` (the query only when there is one)."""
        return self.path + (f"?{self.query}" if self.query else "")


def incoming(h: BaseHTTPRequestHandler) -> Incoming:
    """Read one request (its body too): a proxy request names the absolute URL, a direct one the Host."""
    n = int(h.headers.get("Content-Length") or 0)
    body = h.rfile.read(n) if n else b""
    url = h.path if h.path.startswith("http") else f"http://{h.headers.get('Host')}{h.path}"
    parts = urlsplit(url)
    return Incoming(h.command, url, (parts.hostname or "").lower(), parts.path or "/", parts.query,
                    {k.lower(): v for k, v in h.headers.items()}, body)


def send(h: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
    """Answer with ``status``, ``headers``, a Content-Length and the body (none for HEAD)."""
    h.send_response(status)
    for k, v in headers.items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(body)


class LoopbackProxy:
    """A threaded HTTP/1.1 server on ``127.0.0.1:0`` calling ``handle(h)`` for every GET/POST/HEAD."""

    def __init__(self, handle: Callable[[BaseHTTPRequestHandler], None]):
        self.handle = handle
        self._server: ThreadingHTTPServer | None = None

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        """The request handler of the server (a subclass adds methods, e.g. ``CONNECT``)."""
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:     # quiet
                pass

            def _serve(self) -> None:
                proxy.handle(self)

            do_GET = do_POST = do_HEAD = _serve

        return Handler

    def start(self) -> Self:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"
