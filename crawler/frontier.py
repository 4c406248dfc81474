"""What the nightly crawl remembers between nights: the crawl graph, not the documents.

The corpus knows every report document (``document_urls``); this small SQLite file beside it
(``<db>.nightly/frontier.db``) knows the *pages* the crawler went through to find them:

- ``pages``: every request the spider asked for, by Scrapy request fingerprint (so a Hanweb POST
  page is one entry per form), with the page that linked it (``parent``), when it was last
  fetched, the SHA-256 of its body and its validators (ETag / Last-Modified), and ``spine`` = 1
  when it lies on a path from a start page to a report. A page fetched in a completed run that
  is not on the spine is a *dead end*: the next night does not fetch it again.
- ``seen``: report URLs still linked (or served) in a run; ``gone``: report URLs that answered
  404/410; ``failures``: spine pages that failed — any failure disables "no longer listed"
  removals for that run, so that a site that is down never looks like a site that deleted
  everything.
- ``runs``: the nightly runs (their ``crawl_runs`` id in the corpus), to resume an interrupted one.

Usage::

    frontier = Frontier("data/corpus.db.nightly/frontier.db")
    frontier.record_request(run_id, fp, url, "GET", parent_fp)
    frontier.is_dead_end(fp, run_id)      # fetched in an earlier completed run, off the spine

Every write commits at once (WAL): a ``kill -9`` loses at most the request being written.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

# The spider's tiers for pages that lead to reports (a list page may also be recorded as the
# "page" of a report it lists: it is still a list).
LIST_TIERS = ("seed", "platform", "column", "pagination", "other")


def utcnow() -> str:
    """ISO 8601 UTC timestamp, seconds precision (the corpus' format)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Frontier:
    """The nightly crawl's memory of pages and runs (see module docstring).

    :param path: the SQLite file; created with its tables when missing
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None,
                               check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        # Switching to WAL needs the file to itself: only the first opener ever does it.
        if self.db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._ensure_schema()

    def _ensure_schema(self) -> None:
        db = self.db
        if "pages" not in db.table_names():
            db["pages"].create({
                "fp": str, "url": str, "method": str, "site": str, "parent": str,
                "tier": str, "request": bytes, "is_list": int, "first_run": int,
                "last_run": int, "fetched_run": int, "fetched_at": str, "final_url": str,
                "status": int, "body_sha": str, "validators": str, "spine": int,
            }, pk="fp")
            db["pages"].create_index(["parent"])
            db["pages"].create_index(["final_url"])
        if "seen" not in db.table_names():
            db["seen"].create({"run_id": int, "url": str}, pk=("run_id", "url"))
        if "gone" not in db.table_names():
            db["gone"].create({"run_id": int, "url": str, "status": int}, pk=("run_id", "url"))
        if "failures" not in db.table_names():
            db["failures"].create({"run_id": int, "fp": str, "url": str, "site": str,
                                   "reason": str}, pk=("run_id", "fp"))
        processes = {"id": int, "run_id": int, "pid": int, "finished_at": str, "reason": str,
                     "requests": int, "not_modified": int, "known_skipped": int,
                     "known_revalidated": int, "dead_end_skipped": int, "cache_hits": int,
                     "off_list_skipped": int, "list_pages_skipped": int, "sites": str}
        if "processes" not in db.table_names():
            db["processes"].create(processes, pk="id")
        else:
            # Every column up front: adding one at the first insert (alter=True) raced between
            # Redis workers ending together ("duplicate column name", the loser's row lost).
            have = {c.name for c in db["processes"].columns}
            for name, kind in processes.items():
                if name not in have:
                    db["processes"].add_column(name, kind)
        if "entries" not in db.table_names():
            # Per site: the list pages a night starts from (the top of each report list).
            db["entries"].create({"site": str, "fp": str}, pk=("site", "fp"))
        if "site_state" not in db.table_names():
            db["site_state"].create({"site": str, "last_full_at": str, "last_walk_at": str,
                                     "needs_full": int}, pk="site")
        if "site_modes" not in db.table_names():
            db["site_modes"].create({"run_id": int, "site": str, "mode": str},
                                    pk=("run_id", "site"))
        if "changed" not in db.table_names():
            # Pages found changed in a run: a resumed run must still treat them as changed
            # (their new copy is cached now, and would answer 304 / look the same).
            db["changed"].create({"run_id": int, "fp": str}, pk=("run_id", "fp"))
        if "runs" not in db.table_names():
            db["runs"].create({"run_id": int, "sites_key": str, "started_at": str,
                               "finished_at": str, "status": str, "stats": str}, pk="run_id")

    def close(self) -> None:
        self.db.conn.close()

    def forget(self) -> None:
        """Empty every table (the corpus this state belonged to is gone)."""
        with self.db.conn:
            for table in self.db.table_names():
                self.db.conn.execute(f"DELETE FROM [{table}]")

    def fetch_again(self, urls: list[str]) -> None:
        """Pages to fetch at the next visit although this run fetched them (what they held
        could not be stored), with the pages that lead to them: a further page of an unchanged
        list is otherwise not read again, and a page that led to no report is a dead end."""
        fps: set[str] = set()
        for url in urls:
            fps.update(r["fp"] for r in self.db.query(
                "SELECT fp FROM pages WHERE url = ? OR final_url = ?", [url, url]))
        with self.db.conn:
            self.db.conn.executemany("UPDATE pages SET fetched_run = NULL WHERE fp = ?",
                                     [(fp,) for fp in fps | self._ancestors(fps)])

    def _ancestors(self, fps: Iterable[str]) -> set[str]:
        """The pages that led to ``fps``: their parents, the parents' parents … (the crawl tree)."""
        parents = {r["fp"]: r["parent"] for r in self.db.query("SELECT fp, parent FROM pages")}
        found: set[str] = set()
        for start in fps:
            fp = parents.get(start)
            while fp and fp not in found:  # the loop guard also stops a cycle
                found.add(fp)
                fp = parents.get(fp)
        return found

    # ------------------------------------------------------------------ runs
    def begin_run(self, run_id: int, sites_key: str) -> None:
        """Record a new run as in progress."""
        self.db["runs"].insert({"run_id": run_id, "sites_key": sites_key,
                                "started_at": utcnow(), "status": "running"}, replace=True)

    def unfinished_run(self, sites_key: str) -> dict | None:
        """The latest run of this sites file that never finished (a crash, kill or Ctrl-C)."""
        rows = list(self.db.query(
            "SELECT * FROM runs WHERE sites_key = ? AND status = 'running' "
            "ORDER BY run_id DESC LIMIT 1", [sites_key]))
        return rows[0] if rows else None

    def end_run(self, run_id: int, status: str, stats: str = "") -> None:
        """Mark a run finished ("ok"), failed or abandoned."""
        self.db["runs"].update(run_id, {"finished_at": utcnow(), "status": status,
                                        "stats": stats})

    def completed_runs(self) -> set[int]:
        return {r["run_id"] for r in self.db.query("SELECT run_id FROM runs WHERE status = 'ok'")}

    # ------------------------------------------------------------------ pages
    def page(self, fp: str) -> dict | None:
        rows = list(self.db.query("SELECT * FROM pages WHERE fp = ?", [fp]))
        return rows[0] if rows else None

    def record_request(self, run_id: int, fp: str, url: str, method: str, parent: str | None,
                       site: str | None = None, request: bytes | None = None,
                       tier: str | None = None) -> dict | None:
        """Note that the spider asked for ``fp`` in this run; returns the previous record.

        The parent is kept from the first request of a run: that is the one Scrapy fetches
        (later ones are duplicates), so the recorded parents form the tree the crawl walked.
        ``request`` is the serialised request (callback, meta), kept so that a later night can
        start right at this page when it turns out to be the top of a report list.
        """
        prev = self.page(fp)
        if prev is None:
            # OR IGNORE: Redis workers on one machine share this file, and another worker may
            # record the same page between our look-up and this insert.
            self.db["pages"].insert({"fp": fp, "url": url, "method": method, "parent": parent,
                                     "site": site, "tier": tier, "request": request,
                                     "first_run": run_id, "last_run": run_id, "spine": 0,
                                     "is_list": 0}, ignore=True)
        elif prev["last_run"] != run_id:
            values = {"last_run": run_id, "parent": prev["parent"]}
            if parent and not self._descends_from(parent, fp):
                # Not a page below this one (a breadcrumb or 首页 link back up): that would
                # make a loop, and the way from the start page would no longer be the spine.
                # (Redis workers of one night have their own runs and meet each other's pages.)
                values["parent"] = parent
            if request is not None:
                values["request"] = request
            self.db["pages"].update(fp, values)
        return prev

    def _descends_from(self, page: str, ancestor: str, limit: int = 100) -> bool:
        """``page`` is ``ancestor`` or below it in the recorded tree."""
        seen: set[str] = set()
        while page and page not in seen and len(seen) < limit:
            if page == ancestor:
                return True
            seen.add(page)
            row = self.db.execute("SELECT parent FROM pages WHERE fp = ?", [page]).fetchone()
            page = row[0] if row else None
        return False

    def absorb_runs(self, run_id: int, others: list[int]) -> None:
        """Make the frontier look as if ``run_id`` had done what ``others`` did (the runs of one
        night's Redis workers, all finished): pages they met or fetched, report URLs they saw
        or found gone, pages that failed. Everything that reads "this run" (the next night's
        list tops, unchanged lists' subtrees) then sees the whole night."""
        others = [r for r in others if r != run_id]
        if not others:
            return
        marks = ",".join("?" * len(others))
        with self.db.conn:
            for column in ("last_run", "fetched_run"):
                self.db.conn.execute(f"UPDATE pages SET {column} = ? WHERE {column} IN ({marks})",
                                     [run_id, *others])
            for table, columns in (("seen", "url"), ("gone", "url, status"),
                                   ("failures", "fp, url, site, reason")):
                self.db.conn.execute(
                    f"INSERT OR IGNORE INTO {table} (run_id, {columns}) SELECT ?, {columns} "
                    f"FROM {table} WHERE run_id IN ({marks})", [run_id, *others])

    def record_fetch(self, run_id: int, fp: str, url: str, final_url: str, status: int,
                     body_sha: str, validators: str) -> dict | None:
        """Note a response for ``fp``; returns the previous record (to tell what changed)."""
        prev = self.page(fp)
        values = {"fetched_run": run_id, "fetched_at": utcnow(), "final_url": final_url,
                  "status": status, "body_sha": body_sha, "validators": validators}
        if prev is None:  # (see record_request: another worker may insert it first)
            self.db["pages"].insert({"fp": fp, "url": url, "method": "GET", "first_run": run_id,
                                     "last_run": run_id, "spine": 0}, ignore=True)
        self.db["pages"].update(fp, values)
        return prev

    def is_dead_end(self, prev: dict | None, run_id: int, completed: set[int],
                    rediscover_days: float = 7.0) -> bool:
        """Fetched in an earlier completed run, not on the path to any report, and explored
        recently enough (after ``rediscover_days`` a dead end is looked at again: sites grow
        new columns)."""
        if not (prev and not prev["spine"] and prev["fetched_run"] is not None
                and prev["fetched_run"] != run_id and prev["fetched_run"] in completed):
            return False
        try:
            then = datetime.fromisoformat(prev.get("fetched_at") or "")
        except ValueError:
            return True
        age_days = (datetime.now(UTC) - then).total_seconds() / 86400
        return age_days < rediscover_days

    def mark_spine(self, report_urls: set[str]) -> int:
        """Flag every page that led to one of ``report_urls`` (and its ancestors) as spine.

        :returns: the number of pages newly flagged
        """
        leaves = [r["fp"] for r in self.db.query("SELECT fp, url, final_url, tier FROM pages")
                  if (r["url"] in report_urls or r["final_url"] in report_urls)
                  and r["tier"] not in LIST_TIERS]
        spine = self._ancestors(leaves)
        current = {r["fp"] for r in self.db.query("SELECT fp FROM pages WHERE spine = 1")}
        new = spine - current
        with self.db.conn:
            self.db.conn.executemany("UPDATE pages SET spine = 1 WHERE fp = ?",
                                     [(fp,) for fp in new])
        return len(new)

    # ------------------------------------------------------------------ where nights start
    def update_entries(self, run_id: int, report_urls: set[str], sites: set[str]
                       ) -> dict[str, int]:
        """Recompute, for ``sites``, the list pages and where a night starts.

        A list page links a report URL (and is not one itself). Its *entry* is found by
        climbing to the parent while the page is a further page of a list (tier
        ``pagination``) or its parent is a list page too (Hanweb POST chunks, JSON API pages):
        the top of each list, from which the spider finds the other pages itself.

        :returns: site → number of entry pages
        """
        rows = list(self.db.query("SELECT fp, url, final_url, parent, site, tier, request, "
                                  "last_run FROM pages"))
        # Only what this run met: a list that stopped linking reports is no start any more.
        docs = {r["fp"] for r in rows if r["last_run"] == run_id
                and r["tier"] not in LIST_TIERS
                and (r["url"] in report_urls or r["final_url"] in report_urls)}
        parent = {r["fp"]: r["parent"] for r in rows}
        by_fp = {r["fp"]: r for r in rows}
        # A report's own page (the article an attachment hangs from) is part of the report.
        report_pages = {parent[fp] for fp in docs if parent.get(fp) in by_fp
                        and by_fp[parent[fp]]["tier"] == "report"}
        is_report = docs | report_pages
        lists = {parent[fp] for fp in is_report if parent.get(fp)} - is_report
        entries: set[str] = set()
        for fp in lists:
            seen = {fp}
            while True:
                up = parent.get(fp)
                row = by_fp.get(fp)
                climb = up and up not in seen and up in by_fp and (
                    (row and row["tier"] == "pagination") or up in lists)
                if not climb:
                    break
                fp = up
                seen.add(fp)
            entries.add(fp)
        counts: dict[str, int] = {}
        with self.db.conn:
            for site in sites:
                self.db.conn.execute("DELETE FROM entries WHERE site = ?", [site])
                self.db.conn.execute("UPDATE pages SET is_list = 0 WHERE site = ?", [site])
                counts[site] = 0
            for fp in lists | entries:
                row = by_fp.get(fp)
                if row is not None and row["site"] in sites:
                    self.db.conn.execute("UPDATE pages SET is_list = 1 WHERE fp = ?", [fp])
            for fp in entries:
                row = by_fp.get(fp)
                if row is None or row["site"] not in sites or not row["request"]:
                    continue
                self.db.conn.execute("INSERT OR IGNORE INTO entries (site, fp) VALUES (?, ?)",
                                     [row["site"], fp])
                counts[row["site"]] += 1
        return counts

    def entry_requests(self, rediscover_days: float) -> dict[str, list[bytes]]:
        """Serialised entry requests per site whose last full discovery is recent enough and
        whose entries all answered last time; other sites are discovered from their seed."""
        out: dict[str, list[bytes]] = {}
        for row in self.db.query(
                "SELECT e.site, p.request, s.last_full_at, s.needs_full FROM entries e "
                "JOIN pages p ON p.fp = e.fp JOIN site_state s ON s.site = e.site"):
            if row["needs_full"] or not row["request"]:
                continue
            try:
                then = datetime.fromisoformat(row["last_full_at"] or "")
            except ValueError:
                continue
            # ±25% per site, so that not every site is rediscovered on the same night.
            jitter = 0.75 + (zlib.crc32(row["site"].encode()) % 1000) / 2000
            if (datetime.now(UTC) - then).total_seconds() / 86400 \
                    < rediscover_days * jitter:
                out.setdefault(row["site"], []).append(row["request"])
        return out

    def set_site_mode(self, run_id: int, site: str, mode: str) -> None:
        """How a run crawls a site: "full" (from its seed) or "lists" (from its entries)."""
        self.db["site_modes"].insert({"run_id": run_id, "site": site, "mode": mode}, ignore=True)

    def site_modes(self, run_id: int) -> dict[str, str]:
        return {r["site"]: r["mode"] for r in
                self.db.query("SELECT site, mode FROM site_modes WHERE run_id = ?", [run_id])}

    def set_site_state(self, site: str, full_done: bool, needs_full: bool,
                       walked: bool = False) -> None:
        """After a run: was the site discovered from its seed, walked through every list page,
        or does it need a full discovery next time (its pages failed)?"""
        prev = list(self.db.query("SELECT * FROM site_state WHERE site = ?", [site]))
        old = prev[0] if prev else {}
        now = utcnow()
        self.db["site_state"].upsert({
            "site": site, "last_full_at": now if full_done else old.get("last_full_at"),
            "last_walk_at": now if (walked or full_done) else old.get("last_walk_at"),
            "needs_full": int(needs_full)}, pk="site", alter=True)

    def walk_due(self, site: str, days: float) -> bool:
        """Every list page of the site should be read again (not only the top ones)."""
        rows = list(self.db.query("SELECT * FROM site_state WHERE site = ?", [site]))
        try:
            then = datetime.fromisoformat((rows[0].get("last_walk_at") if rows else "") or "")
        except ValueError:
            return True
        jitter = 0.75 + (zlib.crc32(site.encode()) % 1000) / 2000
        return (datetime.now(UTC) - then).total_seconds() / 86400 >= days * jitter

    def mark_gated(self, run_id: int, site: str) -> None:
        """This run read only the top of some of the site's lists (they had not changed)."""
        self.db.execute("UPDATE site_modes SET mode = 'lists-gated' WHERE run_id = ? AND site = ?",
                        [run_id, site])

    def carry_forward(self, fp: str, run_id: int) -> set[str]:
        """An unchanged list page not read again tonight: what it led to last time counts as met
        tonight too (for removals, list pages and the next night). Returns those URLs."""
        out: set[str] = set()
        level = [fp]
        nodes = [fp]
        for _ in range(3):
            marks = ",".join("?" * len(level))
            rows = list(self.db.query(
                f"SELECT c.fp, c.url, c.final_url FROM pages c JOIN pages p ON p.fp = c.parent "
                f"WHERE c.parent IN ({marks}) AND c.last_run = p.fetched_run", level))
            level = [r["fp"] for r in rows]
            nodes += level
            out.update(u for r in rows for u in (r["url"], r["final_url"]) if u)
            if not level:
                break
        with self.db.conn:
            for node in nodes:
                self.db.conn.execute(
                    "UPDATE pages SET last_run = ?, fetched_run = CASE WHEN fetched_run IS NULL "
                    "THEN NULL ELSE ? END WHERE fp = ?", [run_id, run_id, node])
        return out

    def subtree_urls(self, fp: str, depth: int = 3) -> set[str]:
        """URLs ``fp`` led to the last time it was read (its list items and their attachments;
        not what it listed in older runs, which may have been taken down since)."""
        out: set[str] = set()
        frontier = [fp]
        for _ in range(depth):
            if not frontier:
                break
            marks = ",".join("?" * len(frontier))
            rows = list(self.db.query(
                f"SELECT c.fp, c.url, c.final_url FROM pages c JOIN pages p ON p.fp = c.parent "
                f"WHERE c.parent IN ({marks}) AND c.last_run = p.fetched_run", frontier))
            frontier = [r["fp"] for r in rows]
            out.update(u for r in rows for u in (r["url"], r["final_url"]) if u)
        return out

    def spine_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM pages WHERE spine = 1").fetchone()[0]

    # ------------------------------------------------------------------ crawl processes
    def record_process(self, run_id: int, reason: str, counts: dict, sites: dict) -> None:
        """One crawl process of a run ended (a resumed run has several)."""
        self.db["processes"].insert({"run_id": run_id, "pid": os.getpid(), "finished_at": utcnow(),
                                     "reason": reason, **counts,
                                     "sites": json.dumps(sites, ensure_ascii=False)}, alter=True)

    def processes(self, run_id: int) -> list[dict]:
        return list(self.db.query("SELECT * FROM processes WHERE run_id = ? ORDER BY id",
                                  [run_id]))

    def close_reason(self, run_id: int, pid: int) -> str | None:
        """Why this process' crawl of ``run_id`` ended (Scrapy's finish reason), None if unknown."""
        rows = list(self.db.query("SELECT reason FROM processes WHERE run_id = ? AND pid = ? "
                                  "ORDER BY id DESC LIMIT 1", [run_id, pid]))
        return rows[0]["reason"] if rows else None

    def mark_changed(self, run_id: int, fp: str) -> None:
        """Page ``fp`` said something new in this run (see ``changed_pages``)."""
        self.db["changed"].insert({"run_id": run_id, "fp": fp}, ignore=True)

    def changed_pages(self, run_id: int) -> set[str]:
        """Pages found changed earlier in this run (by a process that was then interrupted)."""
        return {r["fp"] for r in self.db.query("SELECT fp FROM changed WHERE run_id = ?",
                                               [run_id])}

    # ------------------------------------------------------------------ report URLs
    def mark_seen(self, run_id: int, url: str) -> None:
        self.db["seen"].insert({"run_id": run_id, "url": url}, ignore=True)

    def seen_urls(self, run_id: int) -> set[str]:
        return {r["url"] for r in self.db.query("SELECT url FROM seen WHERE run_id = ?", [run_id])}

    def mark_gone(self, run_id: int, url: str, status: int) -> None:
        self.db["gone"].insert({"run_id": run_id, "url": url, "status": status}, replace=True)

    def gone_urls(self, run_id: int) -> dict[str, int]:
        return {r["url"]: r["status"] for r in
                self.db.query("SELECT url, status FROM gone WHERE run_id = ?", [run_id])}

    def record_failure(self, run_id: int, fp: str, url: str, site: str, reason: str) -> None:
        self.db["failures"].insert({"run_id": run_id, "fp": fp, "url": url, "site": site,
                                    "reason": reason}, replace=True)

    def clear_failure(self, run_id: int, fp: str) -> None:
        self.db.execute("DELETE FROM failures WHERE run_id = ? AND fp = ?", [run_id, fp])

    def failures(self, run_id: int) -> list[dict]:
        return list(self.db.query("SELECT * FROM failures WHERE run_id = ?", [run_id]))
