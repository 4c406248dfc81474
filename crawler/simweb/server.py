"""Serve a simulated government web on loopback: one HTTP proxy for virtual hosts, one port per host.

    >>> web = SimWeb(sample_spec()).start()                     # doctest: +SKIP
    >>> web.proxy_url                   # set as http_proxy     # doctest: +SKIP
    'http://127.0.0.1:40123'
    >>> web.base_url("www.sample-county.gov.cn")  # direct     # doctest: +SKIP
    'http://127.0.0.2:40124'
    >>> web.sites_csv("sites.csv", mode="proxy"); web.ground_truth; web.request_log  # doctest: +SKIP
    >>> web.stop()                                              # doctest: +SKIP

Threaded stdlib servers: they start in milliseconds and a slow page blocks only its own thread.
"""

from __future__ import annotations

import copy
import hashlib
import ipaddress
import random
import threading
import time
import urllib.robotparser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, unquote, urlsplit

from crawler.simweb.routes import ORIGIN, Reply, Request, Route
from crawler.simweb.sites import BuiltSite, SiteBuilder


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], web: SimWeb, host: str | None):
        self.web = web
        self.fixed_host = host          # None: the proxy (host taken from the absolute URI)
        super().__init__(addr, _Handler)


def _conditional(reply: Reply, if_none_match: str | None, method: str) -> Reply:
    """Like a real web server: an ETag on every 200, and 304 when the client already has it."""
    if reply.status != 200 or method not in ("GET", "HEAD") or "ETag" in reply.headers:
        return reply
    body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
    etag = f'"{hashlib.sha1(body).hexdigest()[:20]}"'
    if if_none_match and etag in [t.strip() for t in if_none_match.split(",")]:
        return Reply(status=304, body=b"", content_type="", headers={"ETag": etag})
    reply.headers = {**reply.headers, "ETag": etag}
    return reply


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args) -> None:  # quiet: the request log is kept in memory
        return

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_CONNECT(self) -> None:
        self._send(Reply(status=405, body=b"CONNECT not supported"), "HEAD")

    def _serve(self, method: str) -> None:
        web = self.server.web
        if self.server.fixed_host is None:          # proxy: absolute-URI request line
            parts = urlsplit(self.path)
            host = (parts.hostname or self.headers.get("Host", "").split(":")[0]).lower()
            path, query = parts.path or "/", parts.query
            mode = "proxy"
        else:
            host = self.server.fixed_host
            parts = urlsplit(self.path)
            path, query = parts.path or "/", parts.query
            mode = "direct"
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        form = parse_qs(body.decode("utf-8", "replace")) if body else {}
        req = Request(host=host, path=path, query=parse_qs(query), method=method, form=form,
                      user_agent=self.headers.get("User-Agent", ""))
        reply = web.answer(req, mode)
        reply = _conditional(reply, self.headers.get("If-None-Match"), method)
        web.log(req, reply.status, mode, query)
        self._send(reply, method)

    def _send(self, reply: Reply, method: str) -> None:
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        try:
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for k, v in reply.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass


class SimWeb:
    """A simulated government web built from a spec (see ``crawler.simweb.spec``)."""

    def __init__(self, spec: dict):
        self.spec = copy.deepcopy(spec)
        self._lock = threading.Lock()
        self._servers: list[_Server] = []
        self._direct: dict[str, str] = {}     # host -> http://127.0.0.N:PORT
        self._failures: dict[tuple[str, str], int] = {}
        self.request_log: list[dict] = []
        self.proxy_url: str | None = None
        self._build()

    # ------------------------------------------------------------------ content
    def _build(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self._truth: dict[str, dict] = {}
        self.hosts: list[str] = []
        for site in self.spec["sites"]:
            built: BuiltSite = SiteBuilder(site).build()
            self.routes.update(built.routes)
            self._truth.update(built.truth)
            for h in sorted(built.hosts):
                if h not in self.hosts:
                    self.hosts.append(h)

    @property
    def seed_hosts(self) -> list[str]:
        return [s["host"] for s in self.spec["sites"]]

    @property
    def ground_truth(self) -> dict[str, dict]:
        """Canonical (proxy-form) report URL → agency, year, title, figures, page_url, reachable …"""
        return self._truth

    def expected(self, mode: str = "proxy") -> dict[str, dict]:
        """Reports a correct crawl must find in ``mode``, keyed by URL as the crawler sees it.

        Through the proxy every government host is in scope; direct, only seed hosts are
        (other hosts are plain 127.0.0.N addresses, outside the seed list).
        """
        out = {}
        for url, facts in self._truth.items():
            if not facts["reachable"]:
                continue
            if mode == "direct" and facts["host"] not in self.seed_hosts:
                continue
            f = dict(facts)
            f["urls"] = [self.url_in(u, mode) for u in [url, *facts["alternates"]]]
            if facts.get("page_url"):
                f["page_url"] = self.url_in(facts["page_url"], mode)
            out[self.url_in(url, mode)] = f
        return out

    def url_in(self, url: str, mode: str) -> str:
        """Rewrite a canonical ``http://HOST/path`` URL for ``mode``."""
        if mode == "proxy":
            return url
        parts = urlsplit(url)
        return self._direct[parts.hostname] + url[len(f"http://{parts.netloc}"):]

    def base_url(self, host: str) -> str:
        """The direct ``http://127.0.0.N:PORT`` origin of a virtual host (after ``start``)."""
        return self._direct[host]

    def sites_csv(self, path: str | Path, mode: str = "proxy", annual_report_url: bool = False) -> Path:
        """Write the seed list (name,url,annual_report_url,region_code,level) for ``mode``."""
        import csv

        path = Path(path)
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["name", "url", "annual_report_url", "region_code", "level"])
            for site in self.spec["sites"]:
                base = f"http://{site['host']}" if mode == "proxy" else self._direct[site["host"]]
                hint = ""
                if annual_report_url or site.get("annual_report_url"):
                    hint = base + SiteBuilder(site).column_path()
                w.writerow([site["name"], base + "/", hint, site.get("region_code", ""),
                            site.get("level", "")])
        return path

    # ------------------------------------------------------------------ mutation (nightly tests)
    def add_report(self, host: str, report: dict) -> None:
        """Add a report spec (see ``crawler.simweb.sites``) to the site ``host`` and rebuild."""
        with self._lock:
            self._site(host).setdefault("reports", []).append(dict(report))
            self._build()

    def modify_report(self, url: str, seed: int | None = None, silent: bool = False) -> None:
        """Change the figures of the report at canonical ``url`` (new bytes, same URL).

        As a CMS re-publishing a corrected report does, it then carries today's date, so its
        list entry moves to the top; ``silent=True`` replaces the bytes and nothing else (the
        list looks the same).
        """
        with self._lock:
            facts = self._truth[url]
            r = self._report_spec(facts)
            r.setdefault("base_seed", r.get("seed", int(r["year"])))  # the years after keep theirs
            r["seed"] = seed if seed is not None else int(r.get("seed", 0)) + 1
            if not silent:
                r["date"] = time.strftime("%Y-%m-%d", time.gmtime())
            self._build()

    def remove_report(self, url: str) -> None:
        """Take the report at canonical ``url`` off its site (its URLs then answer 404)."""
        with self._lock:
            facts = self._truth[url]
            # A tombstone, not a deletion: like a real CMS, the other articles keep their URLs.
            self._report_spec(facts)["removed"] = True
            self._build()

    def _site(self, host: str) -> dict:
        for site in self.spec["sites"]:
            if site["host"] == host:
                return site
        raise KeyError(f"no site {host}")

    def _report_spec(self, facts: dict) -> dict:
        site = self._site(urlsplit(facts["site"]).hostname)
        for r in site.get("reports", []):
            if r.get("removed"):
                continue
            if r.get("agency", site["name"]) == facts["agency"] and int(r["year"]) == facts["year"]:
                return r
        raise KeyError(f"no report spec for {facts['agency']} {facts['year']}")

    # ------------------------------------------------------------------ serving
    def start(self) -> SimWeb:
        """Start the proxy on 127.0.0.1 and one server per host on 127.0.0.N (ephemeral ports)."""
        proxy = _Server(("127.0.0.1", 0), self, None)
        self._servers.append(proxy)
        self.proxy_url = f"http://127.0.0.1:{proxy.server_address[1]}"
        for i, host in enumerate(self.hosts):
            addr = str(ipaddress.ip_address("127.0.0.2") + i)
            srv = _Server((addr, 0), self, host)
            self._servers.append(srv)
            self._direct[host] = f"http://{addr}:{srv.server_address[1]}"
        for srv in self._servers:
            threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1},
                             daemon=True).start()
        return self

    def stop(self) -> None:
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
        self._servers.clear()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def log(self, req: Request, status: int, mode: str, query: str) -> None:
        with self._lock:
            self.request_log.append({"time": time.time(), "host": req.host, "method": req.method,
                                     "path": req.path + (f"?{query}" if query else ""),
                                     "status": status, "user_agent": req.user_agent, "mode": mode})

    def answer(self, req: Request, mode: str) -> Reply:
        """Find the route for a request and play its behaviour (redirect, delay, 500, handler)."""
        path = unquote(req.path.split(";jsessionid=")[0], encoding="utf-8", errors="replace")
        query = "&".join(f"{k}={v[0]}" for k, v in req.query.items())
        with self._lock:
            route = self.routes.get((req.host, path + ("?" + query if query else "")))
            if route is None:
                route = self.routes.get((req.host, path))
            if route is None and path.endswith("/"):
                route = self.routes.get((req.host, path + "index.html"))
            if route is None and req.host not in self.hosts:
                return Reply(status=502, body=b"unknown host", content_type="text/plain")
            if route is None:
                return Reply(status=404, body="<h1>404 页面不存在</h1>")
            if route.fail_first:
                key = (req.host, path)
                seen = self._failures.get(key, 0)
                if seen < route.fail_first:
                    self._failures[key] = seen + 1
                    return Reply(status=500, body=b"<h1>500 Internal Server Error</h1>")
        if route.delay:
            time.sleep(route.delay)
        if route.redirect is not None:
            return Reply(status=route.status if route.status in (301, 302, 303, 307, 308) else 302,
                         headers={"Location": self._fill(route.redirect, mode)}, body=b"")
        if route.handler is not None:
            reply = route.handler(req)
            if isinstance(reply.body, str):
                reply.body = self._fill(reply.body, mode).encode("utf-8")
            else:
                reply.body = self._fill_bytes(reply.body, mode)
            return reply
        if route.text is not None:
            text = self._fill(route.text, mode)
            data = text.encode(route.encoding, "xmlcharrefreplace")
            if route.charset_header == "declared":
                ctype = f"{route.content_type}; charset={route.encoding}"
            elif route.charset_header in ("missing", "nometa"):
                ctype = route.content_type
            else:                                      # a wrong charset in the header
                ctype = f"{route.content_type}; charset={route.charset_header}"
            return Reply(status=route.status, body=data, content_type=ctype, headers=dict(route.headers))
        return Reply(status=route.status, body=route.body or b"", content_type=route.content_type,
                     headers=dict(route.headers))

    def _origin(self, host: str, mode: str) -> str:
        return f"http://{host}" if mode == "proxy" else self._direct.get(host, f"http://{host}")

    def _fill(self, text: str, mode: str) -> str:
        text = ORIGIN.sub(lambda m: self._origin(m.group(1), mode), text)
        if "%SESSION%" in text:
            text = text.replace("%SESSION%", f"{random.getrandbits(64):016X}")
        return text

    def _fill_bytes(self, data: bytes, mode: str) -> bytes:
        if b"{{origin:" not in data:
            return data
        return ORIGIN.sub(lambda m: self._origin(m.group(1), mode), data.decode("latin-1")).encode("latin-1")

    # ------------------------------------------------------------------ assertions helpers
    def robots_violations(self, user_agent: str = "*") -> list[dict]:
        """Logged requests that the host's robots.txt forbids (robots.txt itself excluded)."""
        parsers: dict[str, urllib.robotparser.RobotFileParser] = {}
        bad = []
        for entry in list(self.request_log):
            host = entry["host"]
            if entry["path"] == "/robots.txt":
                continue
            if host not in parsers:
                rp = urllib.robotparser.RobotFileParser()
                route = self.routes.get((host, "/robots.txt"))
                rp.parse((route.body or b"").decode().splitlines() if route else [])
                parsers[host] = rp
            if not parsers[host].can_fetch(user_agent, f"http://{host}{entry['path']}"):
                bad.append(entry)
        return bad

    def requests_to(self, host: str | None = None) -> list[dict]:
        """Logged requests (optionally for one host), robots.txt excluded."""
        return [e for e in self.request_log if e["path"] != "/robots.txt" and (host is None or e["host"] == host)]
