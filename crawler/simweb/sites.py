"""Build one simulated government site (its routes and ground truth) from a plain-dict spec.

A site spec (JSON-able, see ``crawler/simweb/spec.py`` for generated ones)::

    {"name": "样例县人民政府", "host": "www.sample-county.gov.cn", "family": "trs",
     "encoding": "gbk", "charset_header": "missing", "per_page": 3,
     "reports": [{"agency": "样例县人民政府", "year": 2023, "kind": "html", "link": "text",
                  "title_style": 0, "seed": 7}, ...],
     "decoys": ["notice", "template", "keypoints", "work_report", "stats", "budget", "news"],
     "traps": ["calendar", "session"], "robots": ["/private/"], "quirks": ["flaky_list", ...],
     "noise": 30}

Families (list + pagination mechanism of the CMS behind real portals):

- ``plain``: ``list_2.html`` pages with 下一页 links; ``plain_query``: ``?page=N``;
- ``trs``: ``index.shtml``/``index_N.shtml`` announced only by ``createPageHTML(...)``, articles
  ``./YYYYMM/tYYYYMMDD_N.shtml``, attachments ``./YYYYMM/P0...pdf``;
- ``hanweb``: records inside ``<script type="text/xml"><datastore>``, further pages only by POST to
  ``/module/web/jpage/dataproxy.jsp``; attachments through ``/module/download/downfile.jsp?...``;
- ``json``: the list is filled from a JSON API whose URL sits in the page's script.

Report ``kind``: ``html`` (inline page), ``pdf``/``docx``/``xlsx``/``doc``/``wps``/``txt``
(listed as a direct attachment), ``split_pdf``/``split_docx``/``split_xlsx`` (an article page
that says 见附件 plus the attachment that holds the tables). ``link``: ``text``, ``title_attr``
(truncated text, full title attribute), ``view`` (查看 link, title in another cell), ``onclick``,
``script`` (``javascript:`` URL). Report flags: ``private`` (under a robots-disallowed path:
never reachable), ``copy`` (posted twice at two URLs), ``slow``, ``flaky``, ``redirect``,
``filename``: ``chinese`` | ``percent``.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
from dataclasses import dataclass, field
from urllib.parse import quote

from crawler.simweb import render
from crawler.simweb.routes import Reply, Request, Route, origin

CN_DIGITS = "〇一二三四五六七八九"
TITLE_SUFFIXES = ["政府信息公开工作年度报告", "政府信息公开年报", "政务公开工作年度报告", "政府信息公开工作年度报告"]
CONTENT_TYPES = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument."
                 "wordprocessingml.document", "xlsx": "application/vnd.openxmlformats-officedocument."
                 "spreadsheetml.sheet", "doc": "application/msword", "wps": "application/octet-stream",
                 "txt": "text/plain; charset=utf-8", "xls": "application/vnd.ms-excel"}


def report_title(agency: str, year: int, style: int) -> str:
    """Title variants: 2023年 / 2023年度 / 二〇二三年 × the usual suffixes."""
    years = [f"{year}年", f"{year}年度", "".join(CN_DIGITS[int(d)] for d in str(year)) + "年"]
    return agency + years[style % 3] + TITLE_SUFFIXES[(style // 3) % len(TITLE_SUFFIXES)]


@dataclass
class Entry:
    """One item of a list page."""

    title: str
    href: str
    date: str
    link: str = "text"


@dataclass
class BuiltSite:
    """Routes and ground truth of one host (plus any extra hosts the site links to)."""

    routes: dict[tuple[str, str], Route] = field(default_factory=dict)
    truth: dict[str, dict] = field(default_factory=dict)       # canonical URL -> facts
    hosts: set[str] = field(default_factory=set)


class SiteBuilder:
    """Turn one site spec into routes; ``build()`` returns a :class:`BuiltSite`."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.host: str = spec["host"]
        self.family: str = spec.get("family", "plain")
        self.enc: str = spec.get("encoding", "utf-8")
        self.charset_header: str = spec.get("charset_header", "declared")
        self.per_page: int = int(spec.get("per_page", 4))
        self.rng = random.Random(spec.get("seed", hashlib.md5(self.host.encode()).hexdigest()))
        self.out = BuiltSite(hosts={self.host})
        self.counter = 1000
        # (agency, year) → seed of its report, so each year's figures carry on the last's.
        self._seeds: dict[tuple[str, int], int] = {}
        # A report changed later (SimWeb.modify_report) keeps its first seed here: the years after
        # it stay as they were published.
        for r in spec.get("reports", []):
            self._seeds.setdefault((r.get("agency", spec["name"]), int(r["year"])), _base_seed(r))
        for dept in spec.get("departments", []):
            for r in dept.get("reports", []):
                self._seeds.setdefault((dept["name"], int(r["year"])), _base_seed(r))
        self._figures_made: dict[tuple[str, int, int, str | None], dict] = {}

    # ------------------------------------------------------------------ helpers
    def figures(self, agency: str, year: int, seed: int, misprint: str | None = None) -> dict:
        """The figures of ``agency``'s report for ``year``, carried on from its report of the
        year before when the site has one (as real reports are: the corpus checks it)."""
        key = (agency, year, seed, misprint)
        if key not in self._figures_made:
            before = self._seeds.get((agency, year - 1))
            previous = None if before is None else self.figures(agency, year - 1, before)
            self._figures_made[key] = render.make_figures(random.Random(seed), previous, misprint)
        return self._figures_made[key]

    def _n(self) -> int:
        self.counter += self.rng.randint(1, 9)
        return self.counter

    def add_page(self, path: str, title: str, body: str, host: str | None = None,
                 head_extra: str = "", **kw) -> None:
        """An HTML page in this site's encoding and charset quirk."""
        enc = kw.pop("encoding", self.enc)
        meta = None if self.charset_header == "nometa" else ("gb2312" if enc == "gbk" else enc)
        text = render.page(title, body, charset=enc, head_extra=head_extra, meta_charset=meta or "")
        self.out.routes[(host or self.host, path)] = Route(
            text=text, encoding=enc, content_type="text/html",
            charset_header=kw.pop("charset_header", self.charset_header), **kw)

    def add_raw(self, path: str, route: Route, host: str | None = None) -> None:
        self.out.routes[(host or self.host, path)] = route

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.host}{path}"

    @staticmethod
    def link_html(e: Entry) -> str:
        t = html.escape(e.title)
        if e.link == "title_attr":
            short = html.escape(e.title[:14] + "…") if len(e.title) > 14 else t
            return f"<li><a href='{e.href}' title='{t}' target='_blank'>{short}</a><span>{e.date}</span></li>"
        if e.link == "view":
            return (f"<li><table><tr><td class='t'>{t}</td><td>{e.date}</td>"
                    f"<td><a href='{e.href}'>查看</a></td></tr></table></li>")
        if e.link == "onclick":
            return (f"<li><a href='javascript:void(0);' onclick=\"window.open('{e.href}')\">{t}</a>"
                    f"<span>{e.date}</span></li>")
        if e.link == "script":
            return f"<li><a href=\"javascript:openArticle('{e.href}');\">{t}</a><span>{e.date}</span></li>"
        return f"<li><a href='{e.href}' target='_blank'>{t}</a><span>{e.date}</span></li>"

    def nav(self) -> str:
        plat = self.platform()
        sid = ""
        if "session" in self.spec.get("traps", []):
            # A fresh session id in the navigation of every page: an endless URL space unless
            # the crawler canonicalises URLs.
            sid = ";jsessionid=%SESSION%"
        items = [("/", "首页"), ("/news/" + sid, "新闻中心"), (plat[0] + sid, plat[1]),
                 ("/bsfw/", "办事服务"), ("/hdjl/", "互动交流")]
        if "hidden_platform" in self.spec.get("quirks", []):
            # No link to the platform anywhere: only the seed list's annual_report_url leads in.
            items = [item for item in items if item[0] != plat[0] + sid]
        if "calendar" in self.spec.get("traps", []):
            items.append(("/calendar/?month=2024-01", "活动日历"))
        return "<div class='nav'>" + "".join(f"<a href='{p}'>{t}</a>" for p, t in items) + "</div>"

    # ------------------------------------------------------------------ family specifics
    def platform(self) -> tuple[str, str]:
        return {"trs": ("/zfxxgk/", "政府信息公开"), "hanweb": ("/col/col1001/index.html", "信息公开"),
                "json": ("/xxgk/", "政务公开")}.get(self.family, ("/zwgk/", "政务公开"))

    def column_path(self) -> str:
        return {"trs": "/zfxxgk/zfxxgknb/index.shtml", "hanweb": "/col/col1088/index.html",
                "json": "/xxgk/ndbg/"}.get(self.family, "/zwgk/ndbg/index.html")

    def article_path(self, n: int, year: int) -> str:
        if self.family == "trs":
            return f"/zfxxgk/zfxxgknb/{year + 1}01/t{year + 1}01{n % 28 + 1:02d}_{n}.shtml"
        if self.family == "hanweb":
            return f"/art/{year + 1}/1/{n % 28 + 1}/art_1088_{n}.html"
        if self.family == "json":
            return f"/xxgk/ndbg/content_{n}.html"
        return f"/zwgk/ndbg/{year + 1}/art_{n}.html"

    def attachment_path(self, n: int, ext: str, title: str, style: str) -> tuple[str, str]:
        """(served path, href as printed in the page) of an attachment."""
        if self.family == "hanweb":
            name = f"{n}.{ext}"
            path = f"/module/download/downfile.jsp?classid=0&filename={name}"
            return path, path.replace("&", "&amp;")
        if style in ("chinese", "percent"):
            path = f"/uploadfiles/{n}/{title}.{ext}"
            href = quote(path) if style == "percent" else path
            return path, href
        if self.family == "trs":
            path = f"/zfxxgk/zfxxgknb/202401/P020240129{n}.{ext}"
            return path, path
        return f"/uploadfiles/{n}.{ext}", f"/uploadfiles/{n}.{ext}"

    # ------------------------------------------------------------------ build
    def build(self) -> BuiltSite:
        spec = self.spec
        entries: list[Entry] = []
        for r in spec.get("reports", []):
            entries.extend(self.add_report(r))
        entries.extend(self.add_decoys())
        if "offsite_redirect" in spec.get("quirks", []):
            entries.append(self.add_offsite_redirect())
        self.rng.shuffle(entries)
        entries.sort(key=lambda e: e.date, reverse=True)
        self.add_list(self.column_path(), "政府信息公开年报", entries)
        self.dept_links = [self.add_department(d) for d in spec.get("departments", [])]
        self.add_home_and_noise()
        self.add_robots()
        if "redirect_column" in spec.get("quirks", []):
            self.add_raw("/nb/", Route(status=301, redirect=self.column_path()))
        return self.out

    def add_offsite_redirect(self) -> Entry:
        """A list entry whose URL redirects to a host outside any crawl scope (not .gov.cn)."""
        host = "mirror.example.com"
        n = self._n()
        self.add_page("/copy.html", "镜像", "<p>mirror</p>", host=host)
        self.add_raw(f"/go/{n}.html", Route(status=302, redirect=origin(host) + "/copy.html"))
        self.out.hosts.add(host)
        return Entry(f"{self.spec['name']}政府信息公开工作年度报告（外部镜像）", f"/go/{n}.html", "2020-01-01")

    def add_department(self, dept: dict) -> tuple[str, str]:
        """A department's own disclosure page (linked by its bare name) with its own 年报 column.

        Reaching it needs a step without keywords (the department's name), as on real portals
        where 部门信息公开 lists departments.
        """
        slug, name = dept["slug"], dept["name"]
        home = f"/bm/{slug}/"
        entries: list[Entry] = []
        for r in dept.get("reports", []):
            entries.extend(self.add_report({**r, "agency": name}))
        entries.sort(key=lambda e: e.date, reverse=True)
        col = f"/bm/{slug}/ndbg/index.html"
        saved = self.family
        self.family = "plain"            # department sections use the portal's plain lists
        self._list_plain(col, f"{name}政府信息公开年报", [entries[i:i + self.per_page]
                                                    for i in range(0, len(entries), self.per_page)] or [[]],
                         False)
        self.family = saved
        n = self._n()
        self.add_page(f"/bm/{slug}/zcwj/", f"{name}政策文件", self.nav() + "<ul></ul>")
        self.add_page(home, f"{name}信息公开", self.nav() + f"<h2>{name}</h2><ul>"
                      f"<li><a href='/bm/{slug}/zcwj/'>政策文件</a></li>"
                      f"<li><a href='{col}'>政府信息公开年报</a></li><li>更新于{n}</li></ul>")
        return home, name

    def add_report(self, r: dict) -> list[Entry]:
        """Routes for one report; returns the list entries that point at it."""
        if r.get("removed"):  # taken down (SimWeb.remove_report): its number stays used
            self._n()
            return []
        agency, year = r.get("agency", self.spec["name"]), int(r["year"])
        figs = self.figures(agency, year, r.get("seed", year), r.get("misprint"))
        title = report_title(agency, year, int(r.get("title_style", 0)))
        kind = r.get("kind", "html")
        n = self._n()
        date = r.get("date") or f"{year + 1}-01-{n % 28 + 1:02d}"
        prefix = "/private" if r.get("private") else ""
        art = prefix + self.article_path(n, year)
        host = r.get("host") or self.host
        facts = {"agency": agency, "year": year, "title": title, "format": "2021", "figures": figs,
                 "kind": kind, "site": f"http://{self.host}/", "reachable": not r.get("private"),
                 "host": host, "alternates": []}
        route_kw = {"delay": 1.5 if r.get("slow") else 0.0, "fail_first": 1 if r.get("flaky") else 0}
        if kind == "html":
            body = render.html_body(title, figs, agency, year, date)
            self.add_page(art, title, body, host=host, **route_kw)
            target, page_url = art, None
        else:
            ext = kind.split("_")[-1]
            data = render_bytes(ext, title, figs, agency, year, date)
            if data is None:  # no LibreOffice for .doc/.wps: fall back to DOCX
                ext = "docx"
                data = render_bytes(ext, title, figs, agency, year, date)
            path, href = self.attachment_path(n, ext, title, r.get("filename", "plain"))
            if r.get("filename") == "download_id":
                path = href = f"/download.jsp?fileid={n}"
            headers = {}
            if self.family == "hanweb" or r.get("filename") == "download_id":
                headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.{ext}"
            self.add_raw(prefix + path if not path.startswith("./") else path, Route(
                body=data, content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
                headers=headers, **route_kw), host=host)
            target, page_url = prefix + path, None
            if kind.startswith("split_"):
                link = (f"<p>附件：<a href='{href}'>{html.escape(title)}.{ext}</a></p>"
                        if r.get("attachment_text", "title") == "title" else
                        f"<p><a href='{href}'>附件下载</a></p>")
                body = render.html_body(title, None, agency, year, date, attachment_links=link)
                page_title = title
                if r.get("yearless"):
                    page_title = title.replace(str(year) + "年度", "").replace(str(year) + "年", "")
                self.add_page(art, page_title, body.replace(title, page_title), host=host)
                page_url = art
            else:
                art = target
        url = self.url(target, host)
        facts["page_url"] = self.url(page_url, host) if page_url else None
        listed = art if host == self.host else origin(host) + art
        if r.get("redirect"):
            old = art.rsplit("/", 1)[0] + f"/old_{n}.html"
            self.add_raw(old, Route(status=302, redirect=art), host=host)
            listed = old if host == self.host else origin(host) + old
        list_title = title
        if r.get("yearless"):   # some lists print the title without the year: the date tells it
            list_title = title.replace(str(year) + "年度", "").replace(str(year) + "年", "")
        entries = [Entry(list_title, listed, date, r.get("link", "text"))]
        if r.get("copy"):
            # The same report posted a second time under another URL (same bytes).
            src = self.out.routes[(host, target)]
            copy_path = target.rsplit("/", 1)[0] + f"/copy_{n}" + ("." + target.rsplit(".", 1)[-1])
            if "?" in target:
                copy_path = target + "&copy=1"
            self.add_raw(copy_path, Route(text=src.text, body=src.body, content_type=src.content_type,
                                          encoding=src.encoding, charset_header=src.charset_header,
                                          headers=dict(src.headers)), host=host)
            copy_url = self.url(copy_path, host)
            facts["alternates"].append(copy_url)
            if page_url is None:
                entries.append(Entry(title, copy_path if host == self.host else origin(host) + copy_path,
                                     date, "text"))
        self.out.hosts.add(host)
        self.out.truth[url] = facts
        return entries

    def add_decoys(self) -> list[Entry]:
        """Lookalikes in the report column: none of them may be stored as a report."""
        name = self.spec["name"]
        out = []
        decoys = {
            "notice": ("关于做好2023年度政府信息公开工作年度报告编制和发布工作的通知",
                       "<p>各乡镇人民政府、县政府各部门：请于2024年1月31日前完成2023年政府信息公开工作年度报告的编制和报送工作。</p>"),
            "template": ("政府信息公开工作年度报告模板（格式）", None),
            "interpretation": (f"图解：{name}2023年政府信息公开工作年度报告",
                               f"<p>一图读懂{name}2023年政府信息公开工作年度报告。</p>"),
        }
        for key in self.spec.get("decoys", []):
            if key not in decoys:
                continue
            title, body = decoys[key]
            n = self._n()
            if body is None:  # the blank template: a DOCX with the empty official tables
                data = render.render_template_docx()
                path = f"/uploadfiles/{n}.docx"
                self.add_raw(path, Route(body=data, content_type=CONTENT_TYPES["docx"]))
            else:
                path = self.article_path(n, 2023)
                self.add_page(path, title, f"<h1>{title}</h1>{body}")
            out.append(Entry(title, path, f"2024-01-{n % 28 + 1:02d}"))
        return out

    def add_list(self, path: str, title: str, entries: list[Entry], host: str | None = None) -> None:
        """A list column in this site's CMS family, paginated its way."""
        pages = [entries[i:i + self.per_page] for i in range(0, len(entries), self.per_page)] or [[]]
        flaky = "flaky_list" in self.spec.get("quirks", [])
        getattr(self, f"_list_{self.family}", self._list_plain)(path, title, pages, flaky)

    def _crumbs(self, title: str) -> str:
        plat = self.platform()
        return (f"<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; <a href='{plat[0]}'>{plat[1]}</a>"
                f" &gt; {title}</div>")

    def _list_plain(self, path: str, title: str, pages: list[list[Entry]], flaky: bool) -> None:
        base = path.rsplit("/", 1)[0] + "/"
        query = self.family == "plain_query"

        def page_url(i: int) -> str:
            if i == 0:
                return path
            return f"{path}?page={i + 1}" if query else f"{base}list_{i + 1}.html"

        for i, items in enumerate(pages):
            links = []
            if i > 0:
                links.append(f"<a href='{page_url(i - 1)}'>上一页</a>")
            links += [f"<a href='{page_url(j)}'>{j + 1}</a>" for j in range(len(pages)) if j != i]
            if i + 1 < len(pages):
                links.append(f"<a href='{page_url(i + 1)}'>下一页</a>")
            # Like most CMS templates, every page states the list's total (共N条).
            body = (self.nav() + self._crumbs(title) + f"<h2>{title}</h2><ul class='list'>"
                    + "".join(self.link_html(e) for e in items) + "</ul><div class='page'>"
                    + f"<span class='total'>共{sum(map(len, pages))}条</span>"
                    + "".join(links) + "</div>")
            # ?page=N pages are their own routes: the server matches path plus query first.
            self.add_page(page_url(i), title, body, fail_first=1 if flaky and i == 1 else 0)

    def _list_trs(self, path: str, title: str, pages: list[list[Entry]], flaky: bool) -> None:
        base = path.rsplit("/", 1)[0] + "/"
        for i, items in enumerate(pages):
            # TRS pages are relative to the column folder: ./2024/t… ; the page links exist only
            # as a script call that draws them in the browser.
            rel = [Entry(e.title, "." + e.href[len(base) - 1:] if e.href.startswith(base) else e.href,
                         e.date, e.link) for e in items]
            body = (self.nav() + self._crumbs(title) + f"<h2>{title}</h2><ul class='list'>"
                    + "".join(self.link_html(e) for e in rel) + "</ul><div class='page' id='page_div'>"
                    + f"<span class='total'>共{sum(map(len, pages))}条</span>"
                    + "<script type='text/javascript'>"
                    + f"var currentPage = {i};var countPage = {len(pages)};"
                    + "createPageHTML(countPage, currentPage, \"index\", \"shtml\");</script></div>")
            name = "index.shtml" if i == 0 else f"index_{i}.shtml"
            self.add_page(base + name, title, body, fail_first=1 if flaky and i == 1 else 0)

    def _list_hanweb(self, path: str, title: str, pages: list[list[Entry]], flaky: bool) -> None:
        per = self.per_page
        records = [e for p in pages for e in p]
        # The CMS's ids belong to the column: adding or removing a report does not change them.
        ids = random.Random(f"{self.host}{path}")
        columnid, unitid, webid = "1088", str(4000 + ids.randint(1, 999)), str(ids.randint(1, 60))

        def record(e: Entry) -> str:
            return f"<record><![CDATA[{self.link_html(e)}]]></record>"

        first = "".join(record(e) for e in records[:per])
        script = (
            "<div id='4455'><script type='text/xml'><datastore><nextgroup><![CDATA[<a href=\"/module/web/"
            f"jpage/dataproxy.jsp?page=1&webid={webid}&path=/&columnid={columnid}&unitid={unitid}&"
            f"webname=%E6%A0%B7%E4%BE%8B&permissiontype=0\"></a>]]></nextgroup><recordset>{first}"
            "</recordset></datastore></script></div>"
            "<script language='javascript' src='/module/web/jpage/jpage.js'></script>"
            "<script>$(document).ready(function(){ $('#4455').jpage({ dataStore: $('#4455 datastore'), "
            f"proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: {per}, totalRecord: {len(records)}, "
            f"groupSize: 1, dataBefore: '<ul>', dataAfter: '</ul>', ajaxParam: {{ col: 1, appid: 1, "
            f"webid: {webid}, path: '/', columnid: {columnid}, sourceContentType: 1, unitid: {unitid}, "
            "webname: '样例', permissiontype: 0 } }); });</script>")
        body = self.nav() + self._crumbs(title) + f"<h2>{title}</h2>" + script
        self.add_page(path, title, body)
        enc = self.enc

        def dataproxy(req: Request) -> Reply:
            form = {k: v[0] for k, v in req.form.items()}
            if req.method != "POST" or form.get("columnid") != columnid or form.get("unitid") != unitid:
                return Reply(body="<datastore><totalrecord>0</totalrecord></datastore>",
                             content_type="text/xml; charset=utf-8")
            start = int(req.query.get("startrecord", ["1"])[0])
            end = int(req.query.get("endrecord", [str(start + per - 1)])[0])
            chunk = records[max(0, start - 1):end]
            xml = (f"<?xml version='1.0' encoding='{enc}'?><datastore><totalrecord>{len(records)}"
                   f"</totalrecord><totalpage>{(len(records) + per - 1) // per}</totalpage><recordset>"
                   + "".join(record(e) for e in chunk) + "</recordset></datastore>")
            return Reply(body=xml.encode(enc, "xmlcharrefreplace"), content_type=f"text/xml; charset={enc}")

        self.add_raw("/module/web/jpage/dataproxy.jsp", Route(handler=dataproxy, any_query=False))

    def _list_json(self, path: str, title: str, pages: list[list[Entry]], flaky: bool) -> None:
        records = [e for p in pages for e in p]
        per = self.per_page
        channel = str(random.Random(f"{self.host}{path}").randint(10, 99))  # fixed per column
        api = "/api/content/list"
        post = "ajax_post" in self.spec.get("quirks", [])
        if post:
            script = ("<div id='list'></div><script>function loadList(p){ $.ajax({ url: \"/api/content/list\", "
                      f"type: \"POST\", dataType: \"json\", data: {{ channelId: \"{channel}\", pageSize: {per}, "
                      "pageNo: p }, success: function(res){ render(res); } }); } loadList(1);</script>")
        else:
            script = ("<div id='list'></div><div id='pager'></div><script>"
                      f"var listApi = \"{api}?channelId={channel}&pageSize={per}\";"
                      "function loadList(p){ $.getJSON(listApi + \"&pageNo=\" + p, function(res){ render(res); }); }"
                      "loadList(1);</script>")
        body = self.nav() + self._crumbs(title) + f"<h2>{title}</h2>" + script
        self.add_page(path, title, body)

        def api_handler(req: Request) -> Reply:
            if post:
                if req.method != "POST":
                    return Reply(status=405, body=json.dumps({"code": 405}), content_type="application/json")
                req.query = req.form
            if req.query.get("channelId", [""])[0] != channel:
                return Reply(body=json.dumps({"code": 1, "msg": "no channel"}),
                             content_type="application/json")
            size = int(req.query.get("pageSize", [str(per)])[0])
            no = int(req.query.get("pageNo", ["1"])[0])
            chunk = records[(no - 1) * size:no * size]
            items = [{"title": e.title, "url": e.href, "publishDate": e.date} for e in chunk
                     if e.link != "skip"]
            data = {"code": 0, "data": {"total": len(records), "pageNo": no, "pageSize": size,
                                         "totalPage": (len(records) + size - 1) // size, "list": items}}
            return Reply(body=json.dumps(data, ensure_ascii=False).encode(),
                         content_type="application/json;charset=UTF-8")

        self.add_raw(api, Route(handler=api_handler, any_query=False))

    def add_home_and_noise(self) -> None:
        """Home page, platform page, decoy columns and ordinary news: what a naive crawler wades through."""
        name = self.spec["name"]
        noise = int(self.spec.get("noise", 24))
        plat_path, plat_title = self.platform()
        news = []
        for i in range(noise):
            n = self._n()
            p = f"/news/2024/n{n}.html"
            t = self.rng.choice(["召开全县经济工作会议", "开展安全生产大检查", "推进乡村振兴工作", "举办招商引资推介会",
                                 "部署防汛救灾工作", "开展文明城市创建活动"])
            self.add_page(p, t, self.nav() + f"<h1>{t}</h1><p>近日，{name}{t}。</p>")
            news.append(Entry(t, p, f"2024-0{i % 9 + 1}-1{i % 9}"))
        if "news" in self.spec.get("decoys", []) and self.out.truth:
            some = next(iter(self.out.truth.values()))
            n = self._n()
            p = f"/news/2024/n{n}.html"
            t = f"我县{some['year']}年政府信息公开工作年度报告正式发布"
            self.add_page(p, t, self.nav() + f"<h1>{t}</h1><p>近日，{name}发布了{some['year']}年政府信息公开"
                          f"工作年度报告，全面反映了一年来的工作情况。</p>")
            news.insert(0, Entry(t, p, "2024-01-30"))
        pages = [news[i:i + 10] for i in range(0, len(news), 10)] or [[]]
        for i, items in enumerate(pages):
            nxt = f"<a href='/news/list_{i + 2}.html'>下一页</a>" if i + 1 < len(pages) else ""
            body = self.nav() + "<h2>新闻中心</h2><ul>" + "".join(self.link_html(e) for e in items) + \
                "</ul>" + nxt
            self.add_page("/news/" if i == 0 else f"/news/list_{i + 1}.html", "新闻中心", body)
        # Decoy columns on the platform: similar words, never annual reports.
        decoy_cols = [("gzbg", "政府工作报告", "2024年政府工作报告"), ("tjgb", "统计信息", "2023年国民经济和社会发展统计公报"),
                      ("czyjs", "财政预决算", "2024年部门预算公开说明"), ("gzyd", "政务公开工作要点", "2024年政务公开工作要点"),
                      ("zcwj", "政策文件", "关于印发某某管理办法的通知")]
        cols = []
        for slug, col_title, doc_title in decoy_cols:
            items = []
            for k in range(3 if slug != "zcwj" else max(4, noise // 3)):
                n = self._n()
                p = f"{plat_path.rstrip('/').rsplit('/', 1)[0] if self.family == 'hanweb' else plat_path.rstrip('/')}/{slug}/c{n}.html"
                t = doc_title if k == 0 else f"{doc_title}（{k}）"
                self.add_page(p, t, self.nav() + f"<h1>{t}</h1><p>{name}{t}正文。</p>")
                items.append(Entry(t, p, f"2024-02-{k + 10}"))
            lp = f"{plat_path.rstrip('/').rsplit('/', 1)[0] if self.family == 'hanweb' else plat_path.rstrip('/')}/{slug}/"
            self.add_page(lp, col_title, self.nav() + f"<h2>{col_title}</h2><ul>"
                          + "".join(self.link_html(e) for e in items) + "</ul>")
            cols.append((lp, col_title))
        column_label = self.spec.get("column_label", "政府信息公开年报")
        col_link = "/nb/" if "redirect_column" in self.spec.get("quirks", []) else self.column_path()
        plat_links = [("#", "政府信息公开指南"), ("#", "政府信息公开制度"), (col_link, column_label), *cols,
                      *getattr(self, "dept_links", [])]
        self.rng.shuffle(plat_links)
        if "menu_script" in self.spec.get("quirks", []):
            # The column tree is drawn by a script (zTree) from an inline node list.
            nodes = ",".join(f"{{id:{i}, pId:0, name:\"{t}\", url:\"{p}\", target:\"_self\"}}"
                             for i, (p, t) in enumerate(plat_links) if p != "#")
            menu = f"<ul id='tree' class='ztree'></ul><script>var zNodes = [{nodes}];" \
                   "$.fn.zTree.init($('#tree'), setting, zNodes);</script>"
        else:
            menu = ("<ul class='cols'>" + "".join(f"<li><a href='{p}'>{t}</a></li>" for p, t in plat_links
                                                   if p != "#") + "</ul>")
        self.add_page(plat_path, plat_title, self.nav() + self._crumbs(plat_title) + menu)
        for slug, t in (("bsfw", "办事服务"), ("hdjl", "互动交流")):
            self.add_page(f"/{slug}/", t, self.nav() + f"<h2>{t}</h2><p>{t}栏目</p>")
        home = (self.nav() + f"<h1>{name}</h1><div class='news'><a href='/news/'>更多</a><ul>"
                + "".join(self.link_html(e) for e in news[:6]) + "</ul></div>"
                + "".join(f"<a href='{origin(h)}/'>{h}</a>" for h in self.spec.get("friend_links", [])))
        quirks = self.spec.get("quirks", [])
        if "frameset_home" in quirks:
            # The portal's root is a frameset around the real home page.
            self.add_page("/index_main.html", name, home)
            self.add_raw("/", Route(text=f"<html><head><title>{name}</title></head><frameset rows='100%'>"
                                         "<frame src='/index_main.html' name='main'></frameset></html>",
                                    encoding=self.enc, charset_header=self.charset_header))
        elif "js_redirect_home" in quirks:
            # The root only redirects by script to the real home page.
            self.add_page("/portal/index.html", name, home)
            self.add_page("/", name, "<script>window.location.href = '/portal/index.html';</script>")
        else:
            self.add_page("/", name, home)
        if "calendar" in self.spec.get("traps", []):
            self.add_raw("/calendar/", Route(handler=self._calendar))

    def _calendar(self, req: Request) -> Reply:
        """An endless calendar: every month links to the next and previous month."""
        month = req.query.get("month", ["2024-01"])[0]
        try:
            y, m = (int(x) for x in month.split("-"))
        except ValueError:
            y, m = 2024, 1
        nxt = f"{y + (m == 12)}-{m % 12 + 1:02d}"
        prv = f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"
        days = "".join(f"<a href='/calendar/?month={month}&day={d}'>{d}</a>" for d in range(1, 8))
        body = render.page(f"活动日历 {month}", f"<a href='/calendar/?month={prv}'>上一月</a>"
                           f"<a href='/calendar/?month={nxt}'>下一月</a>{days}", charset="utf-8")
        return Reply(body=body.encode())

    def add_robots(self) -> None:
        rules = self.spec.get("robots")
        if rules is None:
            return
        text = "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in rules) + "\n"
        for host in self.out.hosts:
            self.add_raw("/robots.txt", Route(body=text.encode(), content_type="text/plain"), host=host)


def _base_seed(r: dict) -> int:
    return r.get("base_seed", r.get("seed", int(r["year"])))


def render_bytes(ext: str, title: str, figs: dict, agency: str, year: int, date: str) -> bytes | None:
    """The attachment bytes of one report in file type ``ext``."""
    if ext == "pdf":
        return render.render_pdf(title, figs, agency, year, date)
    if ext == "docx":
        return render.render_docx(title, figs, agency, year, date)
    if ext == "xlsx":
        return render.render_xlsx(title, figs, agency, year, date)
    if ext == "txt":
        return render.render_text(title, figs, agency, year, date).encode("utf-8")
    key = json.dumps([title, figs, agency, year, date], sort_keys=True, ensure_ascii=False)
    if ext in ("doc", "wps"):
        return render.render_doc(render.render_docx(title, figs, agency, year, date), key)
    if ext == "xls":
        return render.render_xls(render.render_xlsx(title, figs, agency, year, date), key)
    raise ValueError(f"unknown attachment type {ext}")
