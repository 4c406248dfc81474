"""An independent simulated government web for red-teaming the crawler (not crawler/simweb).

One threaded stdlib HTTP server on 127.0.0.1:0 acts as an HTTP proxy for many virtual hosts
(``www.xxx.gov.cn``): the crawler sends absolute-URI requests to it through ``http_proxy``.
Pages are registered per (host, path[?query]) or by a handler function; every request is logged so
tests can check robots.txt compliance and off-scope fetches.

    web = RedWeb()
    web.page("www.a.gov.cn", "/", "<html>…</html>")            # str (utf-8) or bytes
    web.report("www.a.gov.cn", "/a/1.docx", fig, "docx")        # a rendered report with known figures
    web.robots("www.a.gov.cn", "User-agent: *\\nDisallow: /module/\\n")
    with web:                                                    # start … stop
        env = {"http_proxy": web.proxy_url}
        web.log                                                  # [(host, path_qs, method, status)]
        web.robots_violations()                                  # logged requests robots.txt forbids

Report documents come from ``tests.fixturegen`` so their figures are known: ``web.truth`` maps
each reachable report URL (as the crawler sees it) to its expected JSON.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import urlsplit

from tests.fixturegen import expected_json, render
from tests.loopback_proxy import LoopbackProxy, incoming, send

CONTENT_TYPES = {"html": "text/html", "pdf": "application/pdf", "json": "application/json",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "txt": "text/plain", "xml": "text/xml"}

# handler(method, query, body) -> (status, headers, body bytes)
Handler = Callable[[str, str, bytes], "tuple[int, dict, bytes]"]


@dataclass
class Route:
    status: int = 200
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    handler: Handler | None = None


def robots_rules(text: str, agent: str = "nianbao") -> list[tuple[bool, str]]:
    """(allow?, pattern) rules of the group matching ``agent`` (else ``*``), per RFC 9309."""
    groups: list[tuple[list[str], list[tuple[bool, str]]]] = []
    cur_agents: list[str] = []
    cur_rules: list[tuple[bool, str]] = []
    last_was_agent = False
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, val = (s.strip() for s in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if not last_was_agent:
                cur_agents, cur_rules = [], []
                groups.append((cur_agents, cur_rules))
            cur_agents.append(val.lower())
            last_was_agent = True
        elif key in ("allow", "disallow"):
            last_was_agent = False
            if val:
                cur_rules.append((key == "allow", val))
    for agents, rules in groups:
        if any(a != "*" and a in agent.lower() for a in agents):
            return rules
    return [r for agents, rules in groups if "*" in agents for r in rules]


def _matches(pattern: str, path: str) -> bool:
    rx = re.escape(pattern).replace(r"\*", ".*")
    if rx.endswith(r"\$"):
        rx = rx[:-2] + "$"
    return re.match(rx, path) is not None


def robots_allows(text: str, path: str, agent: str = "nianbao") -> bool:
    """Longest match wins; allow wins a tie (RFC 9309)."""
    best: tuple[int, bool] = (-1, True)
    for allow, pattern in robots_rules(text, agent):
        if _matches(pattern, path):
            key = (len(pattern), allow)
            best = max(best, key)
    return best[1]


class RedWeb:
    """Virtual hosts behind one loopback proxy; see the module docstring."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.prefix_handlers: list[tuple[str, str, Handler]] = []
        self.robots_text: dict[str, str] = {}
        self.robots_status: dict[str, int] = {}
        self.truth: dict[str, dict] = {}          # reachable report URL -> expected JSON
        self.log: list[tuple[str, str, str, int]] = []
        self.times: list[tuple[str, str, float]] = []  # (host, path?query, monotonic seconds)
        self._lock = threading.Lock()
        self._proxy: LoopbackProxy | None = None

    # ---- building -------------------------------------------------------------------------
    def page(self, host: str, path: str, body: str | bytes, *, status: int = 200, ctype: str = "text/html",
             encoding: str = "utf-8", headers: dict | None = None) -> None:
        data = body.encode(encoding) if isinstance(body, str) else body
        hdrs = {"Content-Type": ctype}
        hdrs.update(headers or {})
        self.routes[(host, path)] = Route(status, hdrs, data)

    def handle(self, host: str, path: str, handler: Handler, prefix: bool = False) -> None:
        if prefix:
            self.prefix_handlers.append((host, path, handler))
        else:
            self.routes[(host, path)] = Route(handler=handler)

    def report(self, host: str, path: str, fig, kind: str, style: str | None = None, *, reachable: bool = True,
               headers: dict | None = None, **kw) -> None:
        """Serve a fixturegen report at ``host + path``; remember its expected JSON if reachable."""
        data = render(fig, kind, style, **kw)
        ctype = CONTENT_TYPES.get(kind, "application/octet-stream")
        if kind in ("html", "txt") and kw.get("encoding", "utf-8") == "utf-8":
            ctype += "; charset=utf-8"
        self.page(host, path, data, ctype=ctype, headers=headers)
        if reachable:
            self.truth[f"http://{host}{path}"] = expected_json(fig, kind, style)

    def robots(self, host: str, text: str = "", status: int = 200) -> None:
        """Serve ``text`` as the host's robots.txt with ``status``; 0 drops the connection."""
        self.robots_text[host] = text
        self.robots_status[host] = status

    # ---- checking -------------------------------------------------------------------------
    def robots_violations(self) -> list[str]:
        """Logged requests that the host's robots.txt forbids (a 5xx robots.txt forbids all)."""
        bad = []
        for host, pq, _method, _status in self.log:
            if pq == "/robots.txt":
                continue
            st = self.robots_status.get(host, 404)
            if st >= 500 or st == 0 or (st == 200 and not robots_allows(self.robots_text.get(host, ""), pq)):
                bad.append(f"{host}{pq}")
        return bad

    def hosts_fetched(self) -> set[str]:
        return {h for h, *_ in self.log}

    # ---- serving --------------------------------------------------------------------------
    def respond(self, method: str, url: str, body: bytes) -> tuple[int, dict, bytes]:
        parts = urlsplit(url)
        host, path, query = parts.hostname or "", parts.path or "/", parts.query
        if path == "/robots.txt":
            st = self.robots_status.get(host, 404)
            text = self.robots_text.get(host, "") if st == 200 else "<html>error</html>"
            return st, {"Content-Type": "text/plain"}, text.encode()
        path_noparam = path.split(";", 1)[0]      # ;jsessionid=… is ignored as a real container does
        for key in ((host, f"{path_noparam}?{query}") if query else None, (host, path_noparam)):
            if key and key in self.routes:
                r = self.routes[key]
                if r.handler:
                    return r.handler(method, query, body)
                return r.status, r.headers, r.body
        for h, pre, handler in self.prefix_handlers:
            if h == host and path_noparam.startswith(pre):
                return handler(method, f"{path_noparam}?{query}", body)
        return 404, {"Content-Type": "text/html"}, b"<html><body>404 Not Found</body></html>"

    def __enter__(self) -> Self:
        web = self

        def handle(h) -> None:
            req = incoming(h)
            try:
                status, headers, data = web.respond(req.method, req.url, req.body)
            except Exception as exc:  # noqa: BLE001 — a bug in a handler must show as a 500, not hang the crawl
                status, headers, data = 500, {"Content-Type": "text/plain"}, repr(exc).encode()
            with web._lock:
                web.log.append((req.host, req.target, req.method, status))
                web.times.append((req.host, req.target, time.monotonic()))
            if status == 0:  # a network fault: the connection closes without an answer
                h.close_connection = True
                return
            send(h, status, headers, data)

        self._proxy = LoopbackProxy(handle).start()
        return self

    def __exit__(self, *exc) -> None:
        if self._proxy:
            self._proxy.stop()

    @property
    def proxy_url(self) -> str:
        assert self._proxy is not None
        return self._proxy.url


def flat(d: dict, prefix: str = "") -> dict:
    """A report's nested tables as cell key → value (``requests.granted.total``)."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out
