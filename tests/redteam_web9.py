"""Red-team round 9: the night after — sites that change between two nights as real ones do.

Built on round 6's nightly web (:class:`tests.redteam_nightly_web.NightWeb`: home, 政务公开,
one 年报 list, reports rendered by ``tests.fixturegen`` so every figure is known, validators of
several kinds, every request counted). This module adds what a site does to its reports, and
to itself, between one night and the next:

- :meth:`Web9.move`: a report at a new URL, its old one answering 404, or 301 to the new one;
- :meth:`Web9.repost`: the report posted again under a corrected title (``（更正版）``,
  ``（修订）``) with corrected figures, at a new URL, the first posting still listed and served;
- :meth:`Web9.swap`: the URL of one agency's report now serves another agency's;
- :meth:`Web9.fail`: a report's URL answering 500/503 (the server's trouble, not a removal) or a
  tiny 200 page saying 该信息已删除 (a soft 404);
- per site (:attr:`Web9.quirks`): ``wrong304`` (answers 304 to every conditional request for a
  report, even after its bytes changed), ``no_ims`` (ignores If-Modified-Since: always 200),
  ``down`` (503 for every URL), ``dropped`` (every connection closed without an answer, as a
  dead server or a firewall does), ``maintenance`` (a 200 "系统维护中" page for every URL),
  ``column_moved`` (the 年报 column now lives at ``/xxgk/gknb/``; the old one answers 301).

    web = Web9([SiteSpec("www.a.gov.cn", "甲县", n=4, per_page=2)])
    with web:
        ...night 1...
        web.move("www.a.gov.cn", 1, how="301"); web.quirks["www.b.gov.cn"].add("down")
        ...night 2...
        web.truth_reports()      # (agency, year) -> the figures the web serves now
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from tests.fixturegen import make_figures
from tests.redteam_nightly_web import SOFT_404, Doc, NightWeb, Site, SiteSpec

__all__ = ["MAINTENANCE", "SiteSpec", "Web9"]

MAINTENANCE = ("<html><head><meta charset=\"utf-8\"><title>系统维护</title></head><body>"
               "<h2>系统维护中</h2><p>网站正在进行系统升级维护，请稍后访问。</p></body></html>")
DELETED = ("<html><head><meta charset=\"utf-8\"><title>提示</title></head><body>"
           "<p>该信息已删除</p></body></html>")
OLD_COLUMN, NEW_COLUMN = "/xxgk/nb/index", "/xxgk/gknb/index"


class Web9(NightWeb):
    """:class:`NightWeb` with the round's mutations (module docstring)."""

    def __init__(self, specs: list[SiteSpec]) -> None:
        super().__init__(specs)
        self.quirks: dict[str, set[str]] = defaultdict(set)
        self.old_paths: dict[tuple[str, str], tuple[str, str]] = {}   # -> (404 | 301, new path)
        self.failing: dict[tuple[str, int], int | str] = {}            # (host, key) -> status
        self.stale_links: dict[int, str] = {}   # id(doc) -> the old path the list still links

    # ---- mutations ----------------------------------------------------------------------------
    def _paths(self, doc: Doc) -> list[str]:
        return [self.article_path(doc)] + ([self.attachment_path(doc)] if doc.kind != "html" else [])

    def move(self, host: str, index: int, how: str = "404", relink: bool = True) -> Doc:
        """The same bytes at a new URL; the old URL answers 404, or ``how="301"`` redirects to
        the new one. The list links the new URL, or (``relink=False``) still the old one."""
        with self._lock:
            doc = self._live(self.sites[host])[index]
            old = self._paths(doc)
            if not relink:
                self.stale_links[id(doc)] = old[0]
            doc.key = next(self._keys) + 500
            for before, after in zip(old, self._paths(doc), strict=True):
                self.old_paths[(host, before)] = (how, after)
            self._touch_list(self.sites[host])
            return doc

    def repost(self, host: str, index: int, mark: str = "（更正版）") -> Doc:
        """The report posted again at the top of the list, under its title plus ``mark``,
        with corrected figures; the first posting stays listed and served."""
        with self._lock:
            site = self.sites[host]
            first = self._live(site)[index]
            fig = make_figures(first.fig.seed + 7000, "2021", agency=first.fig.agency,
                               year=first.fig.year)
            fig = dataclasses.replace(fig, title=fig.title + mark)
            doc = Doc(next(self._keys), fig, first.kind, self._today(), self._tick())
            site.docs.insert(0, doc)
            self._touch_list(site)
            return doc

    def swap(self, host: str, index: int, dept: str = "统计局", seed: int = 901) -> tuple[Doc, Doc]:
        """The URL of the report at ``index`` now serves another agency's report (its list
        item renamed): returns (the report that was there, the one there now)."""
        with self._lock:
            site = self.sites[host]
            doc = self._live(site)[index]
            gone = dataclasses.replace(doc, state="replaced", listed=False)
            site.docs.append(gone)       # what the web served before, for the truth
            doc.fig = make_figures(seed, "2021", agency=f"{site.spec.county}{dept}",
                                   year=doc.fig.year)
            doc.mtime = self._tick()
            self._touch_list(site)
            return gone, doc

    def fail(self, host: str, index: int, status: int | str) -> Doc:
        """The report at ``index`` answers ``status`` (500, 503) or, for ``"deleted"``, a tiny
        200 page saying 该信息已删除; it stays listed (:meth:`touch` its list so that the
        night asks it again)."""
        with self._lock:
            site = self.sites[host]
            doc = self._live(site)[index]
            self.failing[(host, doc.key)] = status
            return doc

    def touch(self, host: str) -> Doc:
        """A new report at the top of the list (the list changes, its reports are re-asked)."""
        return self.add(host, dept="审计局", seed=800 + len(self.sites[host].docs))

    @staticmethod
    def _today() -> str:
        import time

        return time.strftime("%Y-%m-%d")

    # ---- truth --------------------------------------------------------------------------------
    def live_reports(self) -> dict[tuple[str, int], list[Doc]]:
        """(agency, year) → the postings the web serves now (listed, answering 200)."""
        out: dict[tuple[str, int], list[Doc]] = defaultdict(list)
        for host, site in self.sites.items():
            for doc in site.docs:
                if doc.state == "live" and doc.listed and (host, doc.key) not in self.failing:
                    out[(doc.fig.agency, doc.fig.year)].append(doc)
        return dict(out)

    def host_of(self, doc: Doc) -> str:
        return next(h for h, s in self.sites.items() if any(d is doc for d in s.docs))

    # ---- serving ------------------------------------------------------------------------------
    def _route(self, host: str, path: str, query: str) -> tuple[str, int, dict, bytes, float | None]:
        site = self.sites.get(host)
        if site is None:
            return super()._route(host, path, query)
        quirks = self.quirks[host]
        html = {"Content-Type": "text/html; charset=utf-8"}
        if "dropped" in quirks and path != "/robots.txt":
            return "down", 0, html, b"", None
        if "down" in quirks and path != "/robots.txt":
            return "down", 503, html, b"<html><body>Service Unavailable</body></html>", None
        if "maintenance" in quirks and path != "/robots.txt":
            return "down", 200, html, MAINTENANCE.encode(), None
        if (host, path) in self.old_paths:
            how, new = self.old_paths[(host, path)]
            if how == "301":
                return "moved", 301, {**html, "Location": f"http://{host}{new}"}, b"", None
            return "moved", 404, html, b"<html>Not Found</html>", None
        if "column_moved" in quirks:
            if path.startswith(OLD_COLUMN):
                new = NEW_COLUMN + path[len(OLD_COLUMN):]
                return "moved", 301, {**html, "Location": f"http://{host}{new}"}, b"", None
            if path.startswith(NEW_COLUMN):
                kind, status, hdrs, body, mtime = super()._route(
                    host, OLD_COLUMN + path[len(NEW_COLUMN):], query)
                return kind, status, hdrs, body.replace(OLD_COLUMN.encode(),
                                                        NEW_COLUMN.encode()), mtime
            if path == "/xxgk/index.html":
                kind, status, hdrs, body, mtime = super()._route(host, path, query)
                return kind, status, hdrs, body.replace(OLD_COLUMN.encode(),
                                                        NEW_COLUMN.encode()), mtime
        for doc in site.docs:
            if path in self._paths(doc) and doc.state == "live":
                status = self.failing.get((host, doc.key))
                if status == "deleted":
                    return "document", 200, html, DELETED.encode(), None
                if status is not None:
                    return "document", int(status), html, b"<html>Server Error</html>", None
        return super()._route(host, path, query)

    def _list_items(self, host: str, site: Site) -> list[tuple[Doc, str, str]]:
        return [(d, self.stale_links.get(id(d), p), date)
                for d, p, date in super()._list_items(host, site) if d.state != "replaced"]

    def respond(self, method: str, url: str, headers: dict[str, str]
                ) -> tuple[str, int, dict, bytes]:
        host = url.split("/")[2].split(":")[0]
        quirks = self.quirks.get(host, set())
        if "no_ims" in quirks:
            headers = {k: v for k, v in headers.items() if k != "if-modified-since"}
        kind, status, hdrs, body = super().respond(method, url, headers)
        if ("wrong304" in quirks and kind == "document" and status == 200
                and headers.get("if-modified-since")):
            # A cache in front of the server that answers 304 to any conditional request.
            return kind, 304, {k: v for k, v in hdrs.items() if k == "Last-Modified"}, b""
        return kind, status, hdrs, body


assert SOFT_404  # (the web's own "页面不存在" page is round 6's; DELETED is this round's)
