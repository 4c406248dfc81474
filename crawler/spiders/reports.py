"""The ``reports`` spider: a focused crawl from each seed to its annual reports.

    scrapy crawl reports -a sites=data/sites.csv -a db=data/corpus.db
    nianbao crawl --sites data/sites.csv --db data/corpus.db        # the same, in-process

From a seed's home page (or its ``annual_report_url``) it follows links by score
(``crawler.discovery.scoring``): the 政府信息公开/政务公开 platform, the 年报 column, its pages
(whatever CMS family draws them, ``crawler.discovery.lists``), and the reports. A report page is
fetched with its attachments; the pipeline parses them and keeps the one holding the tables.

Spider arguments: ``sites`` (CSV), ``db``, ``raw_dir``, ``max_pages_per_site``, ``skip_known``
(``1``: conditional GETs for documents already in the corpus; a 304 marks them seen — for the
nightly job).
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from html import unescape as html_unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse, Response, TextResponse
from twisted.python.failure import Failure

from crawler.challenge import challenge_retry
from crawler.discovery import apps, aspnet, lists
from crawler.discovery.links import Link, extract_links, page_meta, page_title, parse_html
from crawler.discovery.scoring import (
    COLUMN,
    NAV_NEGATIVE,
    PLATFORM,
    canonical_url,
    column_prefix,
    is_document_url,
    is_guide,
    is_lookalike,
    is_report_title,
    last_segment,
    names_report,
    needs_context,
    normalize,
    score_link,
)
from crawler.errors import classify_failure
from crawler.items import CrawlError, FetchedDocument, ReportCandidate, SeenDocument
from crawler.seeds import Site, load_sites

MAX_ATTACHMENTS = 8
# the template's section headings: the page is the report's text (an article), not a list
REPORT_SECTIONS = re.compile(r"总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况")
REPORT_BUDGET_FACTOR = 5     # report pages + documents per site: this many times the page budget
HTML_TYPES = ("text/html", "application/xhtml")
SITEMAP_MAX_BYTES = 50_000_000      # the sitemaps.org limit of one (uncompressed) sitemap file
SITEMAP_COLUMN_PAGES = 200         # articles under a 年报 column directory taken from one site map


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def fetched(response: Response, page_url: str | None = None) -> FetchedDocument:
    """The response as a document with provenance (URL, linking page, status, headers, time)."""
    headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
    ctype = headers.get("Content-Type")
    return FetchedDocument(url=response.url, body=response.body, content_type=ctype, status=response.status,
                           headers=headers, fetched_at=utc_now(), page_url=page_url)


ARCHIVED_DOC = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|txt|s?html?)$", re.IGNORECASE)
ARCHIVE_MEMBERS = 10                 # report documents read from one ZIP attachment
ARCHIVE_BYTES = 64 * 1024 * 1024     # their inflated size, in all (DOWNLOAD_MAXSIZE's cap)
MEMBER_TYPES = {"pdf": "application/pdf", "doc": "application/msword", "wps": "application/kswps",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "xls": "application/vnd.ms-excel", "et": "application/vnd.ms-excel",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "ofd": "application/ofd", "txt": "text/plain", "htm": "text/html", "html": "text/html",
                "shtml": "text/html"}


def unpacked(doc: FetchedDocument) -> list[FetchedDocument]:
    """A ZIP attachment holding the report (``年报.zip`` → ``年报.pdf``): its report documents (PDF,
    Word, WPS, Excel, OFD, text, HTML; at most ``ARCHIVE_MEMBERS``, ``ARCHIVE_BYTES`` inflated, and
    those of a ZIP inside it, one level down), each under the archive's URL with its own name and
    type; any other document (a DOCX or XLSX is a ZIP too, an ODF file) as it is. A broken
    archive stays as fetched: the parser records it (a RAR or 7z attachment too: "unsupported
    file type: RAR archive")."""
    from urllib.parse import quote

    if not doc.body.startswith(b"PK\x03\x04"):
        return [doc]
    budget = [ARCHIVE_MEMBERS, ARCHIVE_BYTES]
    members = _zip_members(doc.body, budget, nested=True)
    if not members:
        return [doc]
    out = []
    for leaf, body, ext in members:
        headers = {**doc.headers, "Content-Type": MEMBER_TYPES[ext],
                   "Content-Disposition": f"attachment; filename*=UTF-8''{quote(leaf)}"}
        # (a second report in the archive: its own URL, the member named in the fragment)
        url = doc.url if not out else f"{doc.url}#{quote(leaf)}"
        out.append(FetchedDocument(url=url, body=body, content_type=headers["Content-Type"],
                                   status=doc.status, headers=headers, fetched_at=doc.fetched_at,
                                   page_url=doc.page_url))
    return out


def _zip_members(data: bytes, budget: list[int], nested: bool) -> list[tuple[str, bytes, str]]:
    """(file name, bytes, extension) of the report documents in a ZIP archive, and, when
    ``nested``, of the ZIP archives inside it (``budget``: members and inflated bytes left, shared
    with them). Empty for an Office/ODF document, a broken archive or one holding none."""
    import zipfile

    from parsers.document import ParseError
    from parsers.readers.ooxml import open_zip

    try:
        archive = open_zip(data, "ZIP attachment")  # the parsers' bomb checks, refused whole
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "[Content_Types].xml" in names or "mimetype" in names:
            return []                   # an Office Open XML or ODF document, not an archive of them
        out: list[tuple[str, bytes, str]] = []
        for info in infos:
            name = info.filename
            if not (info.flag_bits & 0x800):
                try:                    # (a name zipped on Chinese Windows: GBK, not cp437)
                    name = name.encode("cp437").decode("gbk")
                except (UnicodeEncodeError, UnicodeDecodeError):
                    pass
            ext = ARCHIVED_DOC.search(name)
            inner = nested and name.lower().endswith(".zip")
            if info.is_dir() or (ext is None and not inner) \
                    or name.rsplit("/", 1)[-1].startswith(("._", "~$")):
                continue
            budget[1] -= info.file_size
            if budget[1] < 0 or budget[0] <= 0:
                break
            with archive.open(info) as member:
                body = member.read(info.file_size + 1)
            if len(body) > info.file_size:
                break                   # (a member larger than its header says: a bomb)
            if inner:
                out += _zip_members(body, budget, nested=False)  # one level down, no further
                continue
            budget[0] -= 1
            out.append((name.rsplit("/", 1)[-1], body, ext.group(1).lower()))
        return out
    except (ParseError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError, zlib.error):
        return []


BUSY = re.compile(r"(访问|请求|操作|点击|刷新)(过于|太|过)(频繁|快)|访问频率(过高|过快|超限)|频繁访问|"
                  r"(系统|服务器|服务|网络)繁忙|访问(量过大|人数过多)|too many requests|rate limit", re.IGNORECASE)


# requests that walk a site or take its reports: kept to the site's own domain (ReportsSpider.own_site);
# a report page's attachments (a group's members) and list APIs are not
OWN_SITE_TIERS = ("seed", "report", "pagination", "column", "platform", "sitemap", "other", "script")


# fragments that are a page's own anchors, not a column its script reads
ANCHOR = re.compile(r"top|bottom|main|content|contents|header|footer|nav|menu|skip\w*|anchor\w*|a\d?|p\d+|page\d*",
                    re.IGNORECASE)


def site_domain(url: str) -> str | None:
    """The gov.cn domain a host belongs to — one government's site with its sub-hosts
    (``xxgk.x.gov.cn``, ``jyj.x.gov.cn`` → ``x.gov.cn``); None for other hosts.

    >>> site_domain("http://xxgk.qnsheng.gov.cn/nb/"), site_domain("http://www.gov.cn/"), site_domain("http://127.0.0.2:80/")
    ('qnsheng.gov.cn', 'www.gov.cn', None)
    """
    host = (urlsplit(url).hostname or "").lower()
    if not host.endswith(".gov.cn"):
        return None
    labels = host.split(".")
    return ".".join(labels[-3:])


# a government's name: 青南省, 文川市, 岚山县, 某某自治州 … (the seed page's title: 青南省人民政府)
GOVERNMENT = r"[\u4e00-\u9fff]{1,10}?(?:自治区|自治州|自治县|特别行政区|省|市|县|区|州|盟|旗)"
SITE_NAME = re.compile(rf"({GOVERNMENT})(?=(?:人民)?政府|[\u4e00-\u9fff]{{0,12}}?(?:厅|局|委员会|委|办公室|办|院|署|中心))")
NAMED = re.compile(rf"^({GOVERNMENT})(?=人民政府|政府|[\u4e00-\u9fff]{{0,12}}?(?:\d{{4}}|[〇零一二三四五六七八九]{{4}})|"
                   r"[\u4e00-\u9fff]*?(?:信息公开|政务公开|年报|年度报告))")


def government_named(text: str) -> str | None:
    """The government a link's text starts by naming (``岚山县政府信息公开``, ``青南省教育厅2024年…``
    → ``岚山县``, ``青南省``); None for a generic text (``政府信息公开``, ``公开年报``).

    >>> government_named("岚山县政府信息公开"), government_named("青南省教育厅2024年政府信息公开工作年度报告")
    ('岚山县', '青南省')
    >>> government_named("政府信息公开"), government_named("市县政府信息公开"), government_named("2023年度报告")
    (None, None, None)
    >>> government_named("岚山政府信息公开"), government_named("人民政府信息公开"), government_named("区县政府信息公开")
    ('岚山', None, None)
    >>> government_named("2024年邻丰县人民政府政府信息公开工作年度报告"), government_named("【2023年度】岚山县政务公开年报")
    ('邻丰县', '岚山县')
    """
    # (a title may put its year first: 2024年邻丰县人民政府政府信息公开工作年度报告)
    t = LEADING_YEAR.sub("", normalize(text or ""))
    m = NAMED.match(t)
    if m is None or re.fullmatch(r"[省市县区州]+", m.group(1)) or m.group(1)[0] in "各全本我该下所":
        # a government named without its suffix: 岚山政府信息公开, 云溪人民政府信息公开
        short = ABBREVIATED.match(t)
        return short.group(1) if short and not GENERIC_NAME.search(short.group(1)) \
            and short.group(1)[0] not in "各全本我该下所" else None
    return m.group(1)


LEADING_YEAR = re.compile(r"^[\[【(（]?(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年度?[\]】)）]?")
# a government named by its name alone before 政府信息公开 (岚山政府信息公开); not a generic word
ABBREVIATED = re.compile(r"^([\u4e00-\u9fff]{2,4}?)(?:人民)?政府(?:信息|政务)公开")
GENERIC_NAME = re.compile(r"人民|省|市|县|区|镇|乡|街道|部门|单位|基层|地方|各级|本级|直属|政府|机关|有关|相关|其他")


def same_government(named: str, own: str) -> bool:
    """Whether a link's named government is the site's own, an abbreviation too (文川 ~ 文川市).

    >>> same_government("文川", "文川市"), same_government("文川市", "文川市"), same_government("岚山", "文川市")
    (True, True, False)
    """
    def stem(name: str) -> str:
        return re.sub(r"(自治区|自治州|自治县|特别行政区|省|市|县|区|州|盟|旗)$", "", name) or name
    return named == own or stem(named) == stem(own)


def is_busy_page(text: str) -> bool:
    """A rate limiter's page sent with status 200 ("访问过于频繁，请稍后再试"): short, and says so."""
    if len(text) > 200_000 or not BUSY.search(text):
        return False
    # a firewall's page may carry kilobytes of inline CSS and script: judge the visible text
    body = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->|<[^>]+>|\s+", "", text, flags=re.DOTALL | re.IGNORECASE)
    return len(body) < 400 and bool(BUSY.search(body) or BUSY.search(text[:2000]))


CHALLENGE_STATUS = (202, 412, 521)       # (statuses anti-bot gateways answer with; not a site's own 403/503)
CHALLENGE_MARK = re.compile(r"\$_ts\b|__jsl|acw_sc__|_waf_\w*=|document\.cookie\s*=.*?location\s*\.\s*(?:reload|href\s*=|replace)",
                            re.IGNORECASE | re.DOTALL)


def is_interstitial(text: str, status: int) -> bool:
    """An anti-bot gateway's interstitial: a page of scripts with next to no text and no link,
    answered with a gateway's status (412, 202, 521), or with any status when its script is a
    gateway's (瑞数's ``$_ts``, 加速乐's ``__jsl``, a cookie set before a reload). Asked again with the cookie when its script gives it
    (:func:`crawler.challenge.challenge_retry`); else an error of kind ``challenge``, not an empty
    page.

    >>> page = '<html><head><script>$_ts=window["$_ts"];$_ts.cd="qr6c";</script><script src="/x/c.js"></script></head><body></body></html>'
    >>> is_interstitial(page, 412), is_interstitial(page, 200), is_interstitial('<script>location.href="/portal/";</script>', 200)
    (True, True, False)
    >>> is_interstitial('<div id="app"></div><script>document.cookie = "lang=zh";</script><script src="/app.js"></script>', 200)
    False
    """
    if len(text) > 30_000 or "<script" not in text.lower() or re.search(r"<a\b[^>]*\bhref", text, re.IGNORECASE):
        return False
    visible = re.sub(r"<(script|style|noscript)\b.*?</\1>|<[^>]+>|&nbsp;|\s+", "", text, flags=re.DOTALL | re.IGNORECASE)
    if len(visible) > 30:
        return False
    scripts = " ".join(re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.DOTALL | re.IGNORECASE))
    return status in CHALLENGE_STATUS or bool(CHALLENGE_MARK.search(scripts))


PAGE_IMAGE = re.compile(r"\.(jpe?g|png|gif|bmp|tiff?)$", re.IGNORECASE)
NOT_PAGE_IMAGE = re.compile(r"logo|icon|banner|ewm|qrcode|erweima|share|weixin|wechat|weibo|wza|jiucuo|"
                            r"conac|police|beian|blank|spacer|arrow|btn|button|bg|dot|line|head|foot|nav",
                            re.IGNORECASE)


def page_images(doc: Any, page_url: str, title: str) -> list[Link]:
    """The pictures of a report page that shows the report only as images of its pages: the page's
    own text (besides its title, date and site chrome) under 200 characters and at least one large
    ``<img>`` (not a logo, QR code, icon, banner; not inside the header, nav or footer); [] for any
    other page. At most ``MAX_ATTACHMENTS``."""
    body = doc.find(".//body")
    if body is None:
        return []
    text = normalize(body.text_content()).replace(normalize(title), "")
    if len(re.sub(r"发布(日期|时间)[:：]?[\d\-年月日\s:]*|来源[:：]\S{0,20}", "", text)) >= 200:
        return []
    out: list[Link] = []
    for img in body.iter("img"):
        src = (img.get("src") or img.get("data-src") or img.get("data-original") or "").strip()
        url = urljoin(page_url, src) if src else ""
        path = urlsplit(url).path
        if not url.startswith("http") or not PAGE_IMAGE.search(path) or NOT_PAGE_IMAGE.search(path.rsplit("/", 1)[-1]):
            continue
        width = img.get("width", "")
        if width.isdigit() and int(width) < 200:
            continue            # (a small picture: an icon, a button)
        if any(NOT_PAGE_IMAGE.search(" ".join((a.get("class") or "", a.get("id") or "")))
               or a.tag in ("header", "nav", "footer", "a") for a in img.iterancestors()):
            continue
        if url not in (link.url for link in out):
            out.append(Link(url, title, "", "img"))
    return out[:MAX_ATTACHMENTS]


def is_html(response: Response) -> bool:
    if isinstance(response, HtmlResponse):
        return True
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if any(t in ctype for t in HTML_TYPES):
        return True
    return isinstance(response, TextResponse) and b"<html" in response.body[:2048].lower()


class ReportsSpider(scrapy.Spider):
    """Focused crawl for 政府信息公开工作年度报告 (see module docstring)."""

    name = "reports"

    def __init__(self, sites: str | None = None, db: str | None = None, raw_dir: str | None = None,
                 max_pages_per_site: str | int | None = None, skip_known: str | bool = False,
                 *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not sites:
            raise ValueError("the reports spider needs -a sites=FILE")
        self.sites_file = sites
        self.sites: list[Site] = load_sites(sites)
        self.db = db or "data/corpus.db"
        self.raw_dir = raw_dir
        self.max_pages = int(max_pages_per_site) if max_pages_per_site else None
        self.skip_known = str(skip_known).lower() in ("1", "true", "yes")
        self.seed_hosts = {s.host for s in self.sites} | {
            (urlsplit(s.annual_report_url).hostname or "").lower() for s in self.sites if s.annual_report_url}
        self.corpus: Any = None                  # set by CorpusPipeline (conditional GETs)
        self._scheduled: set[str] = set()
        # ASP.NET postback lists: links seen per form action, and (action, target, argument) posted
        self._postback_links: dict[str, set[str]] = {}
        self._postbacks: set[tuple[str, str, str]] = set()
        self._pages: Counter[str] = Counter()
        self._variants: Counter[tuple[str, str]] = Counter()
        self._fingerprints: set[bytes] = set()
        self._documents: Counter[str] = Counter()     # report pages and documents, per site
        self.robots_sitemaps: dict[str, list[str]] = {}   # host → robots.txt Sitemap: URLs (middleware)
        self._sitemap_hosts: set[str] = set()
        self._sitemap_probed = False
        self._aliases: dict[str, str] = {}      # origin → the origin it redirects to (learn_alias)
        # site → the gov.cn domains that are its own (site_domain): its seed's, its annual_report_url's,
        # and where its seed redirects (learn_domain)
        self._domains: dict[str, set[str]] = {}
        self._own_hosts: dict[str, set[str]] = {}     # site → hosts off its domains it links as its own
        # site → its government's name (青南省): the sites file's name, else the seed page's title
        self._site_names: dict[str, str] = {
            s.url: m.group(1) for s in self.sites if (m := SITE_NAME.search(normalize(s.name or "")))}
        for s in self.sites:
            self._domains[s.url] = {d for d in (site_domain(s.url), site_domain(s.annual_report_url or "")) if d}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ReportsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.probe_sitemaps, signal=signals.spider_idle)
        return spider

    def probe_sitemaps(self, spider: Any = None) -> None:
        """When the crawl has run dry: ask each seed host that led to no report at all for
        ``/sitemap.xml`` (the conventional place, named by no page and no robots.txt) — once per
        host, once per crawl; a site whose reports were found is never asked. Not in a
        distributed crawl (a worker does not see what the others found)."""
        if self._sitemap_probed or self.settings.get("NIANBAO_REDIS_PREFIX"):
            return
        self._sitemap_probed = True
        probes = []
        for site in self.sites:
            host = (urlsplit(site.url).hostname or "").lower()
            if self._documents[site.url] or host in self.robots_sitemaps:
                continue
            url = f"{urlsplit(site.url).scheme}://{urlsplit(site.url).netloc}/sitemap.xml"
            req = self.make(url, site.url, self.parse_sitemap, priority=20, tier="sitemap", slack=0, probe=True)
            if req is not None:
                probes.append(req)
        if not probes:
            return
        for req in probes:
            self.crawler.engine.crawl(req)
        raise DontCloseSpider

    # ------------------------------------------------------------------ scheduling
    @property
    def page_budget(self) -> int:
        return self.max_pages or self.settings.getint("NIANBAO_MAX_PAGES_PER_SITE", 400)

    def in_scope(self, url: str, site: str) -> bool:
        """The seed's host, hosts of the seed list, and government hosts (``*.gov.cn``) only."""
        host = (urlsplit(url).hostname or "").lower()
        if not host or urlsplit(url).scheme not in ("http", "https"):
            return False
        return (host == (urlsplit(site).hostname or "").lower() or host in self.seed_hosts
                or host == "gov.cn" or host.endswith(".gov.cn"))

    def make(self, url: str, site: str, callback=None, priority: int = 0, method: str = "GET",
             formdata: dict[str, Any] | None = None, json_body: bool = False,
             request_headers: dict[str, str] | None = None, **meta: Any) -> scrapy.Request | None:
        """A request, unless it is out of scope, already scheduled, a trap, or over budget.

        A single-page app's hash route (``/zwgk/#/col/301``) is kept in ``meta["route"]``: one shell
        serves every route, and its script reads the column from the route."""
        route = apps.hash_route(url)
        fragment = urlsplit(url).fragment
        if route is None and meta.get("tier") in ("column", "platform") and re.fullmatch(r"[\w-]{1,40}", fragment) \
                and not ANCHOR.fullmatch(fragment):
            # a column kept in a page's fragment, linked from another page (/gkmlpt/index#2450 on
            # the home page): the page's script may read it (location.hash) — one visit per fragment
            route = "#" + fragment
        if route and "route" not in meta:
            meta["route"] = route
        if meta.get("api") is not None:
            # a list API's query is the script's, whole: its sid= is a site id (gkmlpt's sid=757003),
            # not a session's
            url = self.unaliased(urlunsplit(urlsplit(canonical_url(url))._replace(query=urlsplit(url).query)))
        else:
            url = self.unaliased(canonical_url(url))
        if not self.in_scope(url, site):
            return None
        if (meta.get("tier") in OWN_SITE_TIERS or meta.get("document")) and "group" not in meta \
                and not self.own_site(url, site):
            # another government's site (a province portal's links to its counties' portals, their
            # 公开 platforms, 年报 columns, reports): theirs, not this site's; crawled as seeds of their own
            self.crawler.stats.inc_value("nianbao/dropped/other_site")
            return None
        # (http://x/a and https://x/a are one page: one request, whichever link comes first)
        bare = url.split(":", 1)[1]
        key = bare if method == "GET" else f"{method} {bare} {sorted((formdata or {}).items())}"
        if meta.get("route"):
            # (#/list?page=2: the app pages its list through its API, walked already; a page
            # number does not make another route worth a visit)
            key += "#" + apps.route_key(meta["route"])
        if key in self._scheduled:
            return None
        parts = urlsplit(url)
        # Reports and their documents have their own, larger budget: the page budget bounds the
        # search (lists, platforms, traps); a department catalog of a big portal must not run
        # out of it on the reports it has found. Nor does the query-variant cap apply to them:
        # 60 reports at detail.html?id=N or download?id=N are 60 reports, not a trap.
        wanted = meta.get("document") or meta.get("tier") == "report" or "group" in meta
        if parts.query and method == "GET" and not wanted:
            variant = (parts.netloc, parts.path)
            if self._variants[variant] >= self.settings.getint("NIANBAO_MAX_QUERY_VARIANTS", 40):
                self.crawler.stats.inc_value("nianbao/dropped/query_variants")
                return None
            self._variants[variant] += 1
        counter, budget = ((self._documents, self.page_budget * REPORT_BUDGET_FACTOR) if wanted
                           else (self._pages, self.page_budget))
        if counter[site] >= budget:
            self.crawler.stats.inc_value("nianbao/dropped/page_budget")
            return None
        self._scheduled.add(key)
        counter[site] += 1
        meta = {"site": site, **meta}
        host = (parts.hostname or "").lower()
        if host in self._own_hosts.get(site, ()):
            meta["own_host"] = host       # (the worker that reads it may not have seen the link: scrapy-redis)
        headers = dict(request_headers or {})
        if self.skip_known and self.corpus is not None and meta.get("document"):
            known = self.corpus.known_document(url)
            if known:
                if known.get("etag"):
                    headers["If-None-Match"] = known["etag"]
                if known.get("last_modified"):
                    headers["If-Modified-Since"] = known["last_modified"]
                meta["handle_httpstatus_list"] = [304]
        if formdata is not None and json_body:
            # numbers as numbers: {"pageNo": 2}, as the page's JSON.stringify would send them
            body = {k: int(v) if isinstance(v, str) and re.fullmatch(r"-?\d{1,9}", v) else v
                    for k, v in formdata.items()}
            return scrapy.Request(url, callback=callback, errback=self.on_error, priority=priority, meta=meta,
                                  dont_filter=True, method="POST", body=json.dumps(body, ensure_ascii=False),
                                  headers={**headers, "Content-Type": "application/json;charset=UTF-8"})
        if formdata is not None:
            formdata = {k: v if isinstance(v, str) else json.dumps(v) if isinstance(v, (dict, list)) else str(v)
                        for k, v in formdata.items()}       # (a resolved number: form fields are text)
            return scrapy.FormRequest(url, formdata=formdata, callback=callback, errback=self.on_error,
                                      priority=priority, meta=meta, dont_filter=True, headers=headers)
        return scrapy.Request(url, callback=callback or self.parse_page, errback=self.on_error,
                              priority=priority, meta=meta, dont_filter=True, method=method, headers=headers)

    def own_site(self, url: str, site: str) -> bool:
        """Whether ``url`` is on the site's own hosts: its seed's gov.cn domain (``www.x.gov.cn``,
        ``xxgk.x.gov.cn``, ``jyj.x.gov.cn`` are one site), a host of the seed list, or any host when
        the site itself is not under gov.cn (no rule to tell)."""
        domains = self._domains.get(site)
        if not domains:
            return True
        host = (urlsplit(url).hostname or "").lower()
        return self.own_domain(url, site) or host in self._own_hosts.get(site, ())

    def own_domain(self, url: str, site: str) -> bool:
        """``url`` is on the site's own gov.cn domains (or a seed host, or the site is off gov.cn);
        hosts taken in by :meth:`adopts` are not counted here."""
        domains = self._domains.get(site)
        host = (urlsplit(url).hostname or "").lower()
        return not domains or host in self.seed_hosts or site_domain(url) in domains or not host.endswith(".gov.cn")

    def adopts(self, link: Link, tier: str, site: str) -> bool:
        """Whether a link from the site to another gov.cn domain is still the site's own: its 公开
        platform, 年报 column or a report hosted on a shared platform (a county's
        ``xxgk.province.gov.cn/wcxxgk/``), linked as ``政府信息公开`` / ``公开年报`` — no government
        named — or under the site's own government's name. A link naming another government
        (``岚山县政府信息公开``, ``岚山县2024年…年度报告``) is that government's site. The host taken
        in is the site's from then on (:meth:`own_site`)."""
        host = (urlsplit(link.url).hostname or "").lower()
        named = government_named(link.text)
        # (a site whose own name is unknown — a seed page titled 首页 — cannot tell: as before)
        other = named is not None and not same_government(named, self._site_names.get(site, named))
        if host in self._own_hosts.get(site, ()):
            # a shared platform host taken in: its links to other governments' sections stay theirs
            return not other
        if tier not in ("platform", "column", "report") or other:
            return False
        self._own_hosts.setdefault(site, set()).add(host)
        return True

    def learn_domain(self, response: Response) -> None:
        """A seed (or its annual_report_url) redirected to another gov.cn domain (a site that
        moved, ``www.old.gov.cn`` → ``www.new.gov.cn``): that domain is the site's own too."""
        if response.meta.get("redirect_urls") and response.meta.get("tier") in ("seed", "column") \
                and response.meta.get("depth", 0) == 0:
            domain = site_domain(response.url)
            if domain:
                self._domains.setdefault(response.meta["site"], set()).add(domain)

    def learn_alias(self, response: Response) -> None:
        """A request redirected to the same path on another scheme or host (``http://x/a`` →
        ``https://x/a``, ``x.gov.cn/a`` → ``www.x.gov.cn/a``): the site's own name for itself. Links
        to the old origin are asked under the new one from now on (:meth:`unaliased`), not
        redirected one by one."""
        chain = response.meta.get("redirect_urls")
        if not chain:
            return
        old, new = urlsplit(canonical_url(chain[0])), urlsplit(canonical_url(response.url))
        if (old.path, old.query) == (new.path, new.query) and (old.scheme, old.netloc) != (new.scheme, new.netloc):
            self._aliases[f"{old.scheme}://{old.netloc}"] = f"{new.scheme}://{new.netloc}"

    def unaliased(self, url: str) -> str:
        """``url`` under the origin its site redirects to (:meth:`learn_alias`)."""
        if not self._aliases:
            return url
        parts = urlsplit(url)
        origin = self._aliases.get(f"{parts.scheme}://{parts.netloc}")
        return origin + url[len(parts.scheme) + 3 + len(parts.netloc):] if origin else url

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for site in self.sites:
            req = self.make(site.url, site.url, self.parse_page, priority=50, tier="seed", slack=0)
            if req is not None:
                yield req
            if site.annual_report_url:
                req = self.make(site.annual_report_url, site.url, self.parse_page, priority=95,
                                tier="column", slack=1)
                if req is not None:
                    yield req

    # ------------------------------------------------------------------ pages
    def parse_page(self, response: Response) -> Iterator[Any]:
        """Any HTML page: report candidate, list, platform or on the way there."""
        meta = response.meta
        site = meta["site"]
        self.learn_alias(response)
        self.learn_domain(response)
        if meta.get("own_host"):
            self._own_hosts.setdefault(site, set()).add(meta["own_host"])
        if meta.get("tier") == "seed" and isinstance(response, TextResponse) and site not in self._site_names:
            name = SITE_NAME.search(html_unescape(re.search(r"<title[^>]*>(.*?)</title>", response.text[:20000],
                                                            re.DOTALL | re.IGNORECASE).group(1))
                                    if re.search(r"<title[^>]*>", response.text[:20000], re.IGNORECASE) else "")
            if name:
                self._site_names[site] = name.group(1)
        if "list_depth" in meta:
            # A further page of a list counts as one step below the list's first page, however
            # long the chain of 下一页 links that led here (else DEPTH_LIMIT cuts long lists).
            meta["depth"] = min(meta.get("depth", 0), meta["list_depth"] + 1)
        position = self.list_position(response)
        if response.status == 304:
            yield SeenDocument(response.url, site)
            return
        if meta.get("postback") and isinstance(response, TextResponse) and aspnet.is_delta(response.text):
            # an UpdatePanel's partial-postback reply (1|#||4|…|updatePanel|…): read as the page it updates
            posted = dict(parse_qsl((response.request.body if response.request else b"").decode("utf-8", "replace"),
                                    keep_blank_values=True))
            page = aspnet.delta_page(response.text, posted, response.url, meta.get("keep", ""))
            if page is not None:
                response = HtmlResponse(response.url, body=page.encode("utf-8"), encoding="utf-8",
                                        request=response.request)
        if not is_html(response):
            yield from self.parse_document(response)
            return
        text = response.text
        retry = self.challenge_retry(response.request, text)
        if retry is not None:
            yield retry
            return
        if is_interstitial(text, response.status):
            # (202 / 200 + a script the crawler cannot run: nothing of the site's is on it)
            self.crawler.stats.inc_value("nianbao/errors/challenge")
            yield CrawlError(url=response.url, site_url=site, kind="challenge", status=response.status,
                             reason=f"HTTP {response.status}: an anti-bot script challenge the crawler cannot answer")
            return
        if is_busy_page(text):
            yield from self.retry_busy(response)
            return
        yield from self.robots_sitemap_requests(response, site)
        doc = parse_html(text)
        title = page_title(doc)
        anchor = meta.get("anchor", "")
        # A page that names a report (in its title or in the link that led here) is parsed; the
        # parser's is_annual_report decides. A year is not required: some titles omit it.
        candidate = (is_report_title(title) or names_report(title) or names_report(anchor)
                     or (meta.get("tier") == "report" and not is_lookalike(title)))
        links = extract_links(doc, response.url) if doc is not None else []
        links += self.cms_links(text, response)
        scored = [(link, score_link(link.text, link.url, link.context, "report" if candidate else "other",
                                    response.url)) for link in links]
        has_reports = any(s.tier == "report" for _, s in scored)
        probe = normalize(title) + " " + last_segment(response.url)
        named_column = bool(COLUMN.search(probe))
        named_platform = bool(PLATFORM.search(probe)) and not NAV_NEGATIVE.search(title)
        if candidate:
            tier = "report"
        elif meta.get("tier") in ("column", "pagination") or has_reports or named_column:
            tier = "column"
        elif meta.get("tier") == "platform" or named_platform:
            tier = "platform"
        else:
            tier = "other"
        if tier != "report":
            scored = [(link, score_link(link.text, link.url, link.context, tier, response.url)) for link in links]
        # (one app shell answers every route of an app in history mode, /column/31 and /column/32:
        # each another column)
        route = meta.get("route") or (apps.history_route(response.url) if apps.app_scripts(text, response.url)
                                      else None)
        if tier != "report" and self.seen_before(doc, title, scored, text, response.url, route):
            # The same page again under another URL (a calendar's relative links, a ?page=N that
            # always answers page 1, a session id): its links are known already.
            self.crawler.stats.inc_value("nianbao/dropped/same_page")
            return
        # A little exploration below the platform and the 年报 column (department lists, 更多
        # links without keywords); nowhere else — not below a home page that merely lists a report.
        # (A report's own page names the column in its title, 年度报告, but its menu is the site's
        # chrome — 政务服务, 走进本地 —: on a page reached as a report that reads like one or carries
        # its file, the allowance is for links saying 附件 / 全文 / 查看 only; a year's list reached
        # so, its departments named only, keeps it whole.)
        report_article = meta.get("tier") == "report" and doc is not None and (
            any(sc.document and sc.tier in ("report", "document") for _, sc in scored)
            or bool(REPORT_SECTIONS.search(normalize(doc.text_content()))))
        if meta.get("tier") in ("column", "platform") or named_column or named_platform or (
                meta.get("tier") == "report" and doc is not None and not report_article):
            # (a page reached by a report's title that is no report — 2021年政府信息公开工作年度报告
            # as a year's list naming its departments only — is explored as a column is)
            allowance = 1
        else:
            allowance = int(meta.get("slack", 0))
        if sum(1 for link in links if link.source in ("a", "onclick")) < 3:
            # A frameset, a script or meta redirect, a splash page: follow what little there is.
            allowance = max(allowance, 1)
        # An article split over pages (content_2.html, t…_1.html, ?page=2): its other pages are
        # fetched and joined to it before parsing, not crawled as pages of their own. Only an article
        # that names a year's report or reads like one (总体情况 …), not a list (政府信息公开年报,
        # whose ?page=2 holds more reports).
        article_like = candidate and (is_report_title(title) or is_report_title(anchor) or (
            doc is not None and REPORT_SECTIONS.search(normalize(doc.text_content())))) and sum(
            1 for _, sc in scored if sc.tier == "report" and not sc.document) < 3
        parts = lists.article_pages(links + self.script_pages(text, response.url), response.url) if article_like else []
        if parts and 0 < self.settings.getint("DEPTH_LIMIT", 0) <= meta.get("depth", 0):
            parts = []          # its pages would be dropped for depth, silently: the first page alone
        part_requests = []
        if parts:
            article = {"pages": {canonical_url(response.url): text}, "order": [canonical_url(response.url)],
                       "pending": 0, "site": site,
                       "response": response, "doc": doc, "title": title or anchor, "attachments": []}
            part_requests = list(self.article_part_requests(article, parts))
        if tier in ("platform", "other", "column") and not any(
                sc.tier in ("report", "column") or (sc.tier == "platform" and tier != "platform") for _, sc in scored):
            # No way to the 年报 here but the 政府信息公开指南: some portals show the 年报 column
            # only as a tab of the guide's page. Followed only then (a guide per department would
            # otherwise cost a page each), below every platform link.
            for link, sc in scored:
                if sc.tier == "drop" and is_guide(link.text) and not is_document_url(link.url):
                    req = self.make(link.url, site, self.parse_page, priority=30, tier="platform", slack=0)
                    if req is not None:
                        yield req
        if tier != "report" and "location.hash" in text:
            # a page whose script takes its column from its own fragment (/gkmlpt/index#2450, a tree
            # of "#2450" links): each such column link is the page again with that fragment
            here = canonical_url(response.url)
            for link, sc in scored:
                fragment = urlsplit(link.url).fragment
                if sc.tier in ("column", "report") and re.fullmatch(r"[\w-]{1,40}", fragment) \
                        and canonical_url(link.url) == here:
                    req = self.make(link.url, site, self.parse_page, priority=80, tier="column", slack=1,
                                    route="#" + fragment)
                    if req is not None:
                        yield req
        attachments: list[Link] = []
        page_links = [link for link, _ in scored]
        for link, s in scored:
            if candidate and s.document and s.tier in ("report", "document"):
                attachments.append(link)
                continue
            if s.tier == "pagination" and lists.page_query_of_numbered_list(link.url, response.url, page_links):
                self.crawler.stats.inc_value("nianbao/dropped/queried_static_page")
                continue
            if report_article and s.tier == "other" and not needs_context(link.text):
                self.crawler.stats.inc_value("nianbao/dropped/report_page_menu")
                continue
            req = self.follow(link, s, site, response.url, allowance, position)
            if req is not None:
                yield req
        if candidate and tier == "report" and not attachments and doc is not None and (
                is_report_title(title) or is_report_title(anchor)):
            # a report posted as pictures of its pages (<img> per page, no text, no file): the
            # pictures are its documents (needs OCR; stored once under its agency and year)
            attachments = page_images(doc, response.url, title or anchor)
        if tier in ("column", "platform") or (candidate and meta.get("tier") != "seed" and not part_requests):
            # (a split article's pages are its parts: 共3页 + ?page=2 would add ?page=1, a copy of it)
            yield from self.list_requests(text, response, site, links)
        elif tier == "other":
            # a whole portal that is one app (the home page an empty shell): its bundle names the
            # lists; each list's first page is asked, further pages only of a list of reports
            yield from self.app_script_requests(text, response, site, sample=True)
        if part_requests:
            article["attachments"] = attachments
            yield from part_requests
        elif candidate:
            yield from self.report_group(response, doc, title or anchor, attachments, site)

    def seen_before(self, doc, title: str, scored: list, text: str = "", url: str = "",
                    route: str | None = None) -> bool:
        """Whether a page with this text and these list links was parsed already (under another URL).

        The list APIs the page calls count too: one ``list.html`` serves every node of a 目录 tree,
        its script reading ``nodeId`` from the page's own URL.
        """
        if doc is None:
            return False
        keep = sorted(link.url for link, sc in scored if sc.tier in ("report", "column", "platform"))
        keep.append(route or "")        # (an app's shell under another hash route: another column)
        if text and "<script" in text:
            keep += sorted(f"{api.url} {sorted((api.form or {}).items())}" for api in lists.json_apis(text, url))
        body = normalize(doc.text_content())
        key = hashlib.sha1("\x00".join([title, body, *keep]).encode("utf-8", "replace")).digest()
        if key in self._fingerprints:
            return True
        self._fingerprints.add(key)
        return False

    def challenge_retry(self, request: scrapy.Request | None, text: str) -> scrapy.Request | None:
        """:func:`crawler.challenge.challenge_retry`, counted."""
        retry = challenge_retry(request, text)
        if retry is not None:
            self.crawler.stats.inc_value("nianbao/cookie_challenge")
        return retry

    def retry_busy(self, response: Response) -> Iterator[Any]:
        """A "访问过于频繁" page answered with 200: ask again later (backoff), then give up with an error."""
        from scrapy.downloadermiddlewares.retry import get_retry_request

        request = response.request
        retry = get_retry_request(request, spider=self, reason="busy page",
                                  max_retry_times=self.settings.getint("RETRY_TIMES", 2))
        if retry is not None:
            retry.meta["retry_after"] = max(float(retry.meta.get("retry_after") or 0),
                                            self.settings.getfloat("NIANBAO_BUSY_WAIT", 1.0))
            retry.meta["busy"] = True           # doubled per try, like any backoff
            yield retry
            return
        self.crawler.stats.inc_value("nianbao/errors/busy")
        yield CrawlError(url=request.url, site_url=request.meta.get("site", ""), kind="busy", status=response.status,
                         reason="the server answered with a busy page (访问过于频繁) after retries")

    def retry_busy_member(self, response: Response,
                          done: Callable[[], Iterator[Any]]) -> Iterator[Any]:
        """:meth:`retry_busy` for a page a whole waits for (an attachment of a report group, a
        further page of a split article): the whole waits for the retry; once retries are
        spent, the error and then ``done()``, so it completes without the page."""
        retry = list(self.retry_busy(response))
        yield from retry
        if not (retry and isinstance(retry[0], scrapy.Request)):
            yield from done()

    @staticmethod
    def list_position(response: Response) -> dict[str, int]:
        """Meta for a further page of the list ``response`` belongs to: the list's first depth, hops so far."""
        meta = response.meta
        return {"list_depth": meta.get("list_depth", meta.get("depth", 0)), "list_hops": meta.get("list_hops", 0) + 1}

    def follow(self, link: Link, s, site: str, page_url: str, allowance: int,
               position: dict[str, int] | None = None) -> scrapy.Request | None:
        """The request a scored link deserves (None: not worth it)."""
        text = " ".join(t for t in (link.text, link.context) if t)[:200]
        if self.in_scope(link.url, site) and not self.own_domain(link.url, site) and not self.adopts(link, s.tier, site):
            self.crawler.stats.inc_value("nianbao/dropped/other_site")
            return None
        if s.tier == "report":
            if s.document:
                return self.make(link.url, site, self.parse_document, priority=100, anchor=text,
                                 page_url=page_url, document=True)
            return self.make(link.url, site, self.parse_page, priority=100, tier="report", anchor=text,
                             page_url=page_url, slack=0)
        if s.tier == "pagination":
            if position and position["list_hops"] > lists.MAX_LIST_PAGES:
                return None                 # an endless 下一页 chain
            if lists.queried_static_page(link.url, page_url):
                self.crawler.stats.inc_value("nianbao/dropped/queried_static_page")
                return None
            return self.make(link.url, site, self.parse_page, priority=90, tier="pagination", slack=0,
                             **(position or {}))
        if s.tier == "column":
            return self.make(link.url, site, self.parse_page, priority=80, tier="column", slack=1)
        if s.tier == "platform":
            return self.make(link.url, site, self.parse_page, priority=50, tier="platform", slack=1)
        if s.tier == "sitemap":
            return self.make(link.url, site, self.parse_sitemap, priority=20, tier="sitemap", slack=0)
        if s.tier == "other" and normalize(link.text).isdigit() and not link.context:
            return None                     # "15" that is no page of a list: a calendar day, a counter
        if s.tier == "other" and allowance > 0 and not s.document and link.source in (
                "a", "onclick", "option", "frame", "redirect", "menu"):
            return self.make(link.url, site, self.parse_page, priority=10, tier="other",
                             slack=allowance - 1)
        return None

    def robots_sitemap_requests(self, response: Response, site: str) -> Iterator[scrapy.Request]:
        """The sitemaps a host's robots.txt names (``Sitemap:``), once per host, at low priority."""
        host = (urlsplit(response.url).hostname or "").lower()
        if host in self._sitemap_hosts or host not in self.robots_sitemaps:
            return
        self._sitemap_hosts.add(host)
        root = f"{urlsplit(response.url).scheme}://{urlsplit(response.url).netloc}/"
        for url in self.robots_sitemaps[host]:
            # (RFC 9309 wants absolute URLs; some robots.txt say "Sitemap: /sitemap.xml")
            req = self.make(urljoin(root, url.strip()), site, self.parse_sitemap, priority=20, tier="sitemap", slack=0)
            if req is not None:
                yield req

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        """A site map: the 网站地图 page (its 年报/公开 links, nothing blind) or a sitemaps.org XML
        file (also gzip-compressed, ``sitemap.xml.gz``), whose ``<loc>`` URLs are judged by their
        path alone (``/xxgk/ndbg/`` is a column)."""
        raw = response.body
        if raw[:2] == b"\x1f\x8b":
            # a .xml.gz file (served as application/x-gzip, no Content-Encoding): at most 50 MB inflated
            try:
                raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, SITEMAP_MAX_BYTES)
            except zlib.error:
                raw = b""
        body = raw[:SITEMAP_MAX_BYTES].decode("utf-8", "replace")
        if not re.search(r"<(urlset|sitemapindex)\b", body[:5000]):
            if is_html(response):
                yield from self.parse_page(response)
            return
        site = response.meta["site"]
        locs = [html_unescape(u.strip()) for u in re.findall(r"<loc>\s*(.*?)\s*</loc>", body, re.DOTALL)]
        if re.search(r"<sitemapindex\b", body[:5000]):
            for url in locs[:20]:
                if not response.meta.get("nested"):
                    req = self.make(url, site, self.parse_sitemap, priority=20, tier="sitemap", slack=0, nested=True)
                    if req is not None:
                        yield req
            return
        under_column = 0
        for url in locs[:50_000]:
            s = score_link("", url, "", "other", response.url)
            if s.tier in ("report", "column"):
                req = self.follow(Link(url, "", "", "sitemap"), s, site, response.url, 0)
                if req is not None:
                    yield req
            elif s.tier == "other" and under_column < SITEMAP_COLUMN_PAGES and (col := column_prefix(url)):
                # an article under a 年报 column's directory (/zwgk/gknb/202401/t…html): the column
                # itself (its list names what the article is), and the article as a candidate — the
                # column's index may be no page at all; the parser decides
                under_column += 1
                for req in (self.make(col, site, self.parse_page, priority=80, tier="column", slack=1),
                            self.make(url, site, self.parse_page, priority=60, tier="report", anchor="",
                                      page_url=response.url, slack=0)):
                    if req is not None:
                        yield req

    def cms_links(self, text: str, response: Response) -> list[Link]:
        """Links a CMS keeps out of plain anchors: Hanweb records shown in the page, tree nodes
        kept as script objects and opened by a URL the page builds from their id."""
        col = lists.hanweb_column(text, response.url)
        out = lists.record_links(col.records, response.url) if col else []
        return out + (lists.script_nodes(text, response.url) if "<script" in text else [])

    def list_requests(self, text: str, response: Response, site: str, links: list[Link]) -> Iterator[Any]:
        """Further pages of a list, whatever mechanism the CMS uses."""
        for url in (lists.trs_pages(text, response.url) + lists.generic_pages(text, response.url, links)
                    + lists.widget_pages(text, response.url)):
            req = self.make(url, site, self.parse_page, priority=90, tier="pagination", slack=0,
                            **self.list_position(response))
            if req is not None:
                yield req
        for method, url, fields in lists.form_pages(text, response.url):
            # a list paged by submitting a form (toPage(3) sets pageNo and submits)
            if method == "POST":
                req = self.make(url, site, self.parse_page, priority=90, method="POST", formdata=fields,
                                tier="pagination", slack=0, **self.list_position(response))
            else:
                req = self.make(url + ("&" if "?" in url else "?") + urlencode(fields), site, self.parse_page,
                                priority=90, tier="pagination", slack=0, **self.list_position(response))
            if req is not None:
                yield req
        yield from self.postback_requests(text, response, site, links)
        col = lists.hanweb_column(text, response.url)
        if col is not None:
            for url, form in lists.hanweb_requests(col):
                req = self.make(url, site, self.parse_hanweb, priority=90, method="POST", formdata=form,
                                hanweb=col, open_ended=col.total is None, page_url=response.url)
                if req is not None:
                    yield req
        apis = lists.json_apis(text, response.url, response.meta.get("route"))
        for api in apis:
            if api.id_param:
                continue        # an article API: asked only with the ids a list gives
            req = self.api_request(api, api.first_page, site, response.url, first=True)
            if req is not None:
                yield req
        if not apis:
            yield from self.app_script_requests(text, response, site)

    def app_script_requests(self, text: str, response: Response, site: str, sample: bool = False) -> Iterator[Any]:
        """A single-page app's shell (an empty mount point or next to no text, no list of its own):
        its own bundled scripts (``<script src="/static/js/app.9f3c.js">``, same host, not a
        library) are fetched and read for the list APIs the page would call (:meth:`parse_script`).
        ``sample``: a shell that is no column (a whole portal's home page): its lists are walked
        only where they list reports (:meth:`parse_api`)."""
        srcs = apps.app_scripts(text, response.url)
        # (an app in history mode: its routes are the shell's own paths, /column/31 — read as the
        # route, and the bundle read once per route, as for a hash route)
        route = response.meta.get("route") or apps.history_route(response.url)
        for url in srcs:
            req = self.make(url, site, self.parse_script, priority=85, tier="script", slack=0,
                            shell=text[:200_000], page_url=response.url, route=route, sample=sample)
            if req is not None:
                yield req

    def parse_script(self, response: Response) -> Iterator[Any]:
        """A single-page app's bundled script: the list APIs it names, called as from the shell page
        (article APIs it names serve the lists' items that carry only an id)."""
        meta = response.meta
        body = response.body[:apps.MAX_APP_SCRIPT]
        code = body.decode("utf-8", "replace")
        page = meta["shell"] + "<script>" + code.replace("</script", "<\\/script") + "</script>"
        for api in lists.json_apis(page, meta["page_url"], meta.get("route")):
            if api.id_param:
                continue
            req = self.api_request(api, api.first_page, meta["site"], meta["page_url"], first=True,
                                   sample=meta.get("sample", False))
            if req is not None:
                yield req
        # an app whose menu is drawn from its route table ({path: "/gknb", meta: {title:
        # "政府信息公开年报"}}): the routes whose title names the 年报 column (or a platform) are
        # visited as the links the menu would show
        for url, title in apps.route_links(code, meta["page_url"]):
            s = score_link(title, url, "", "other", meta["page_url"])
            if s.tier in ("column", "platform", "report") and not s.document:
                req = self.follow(Link(url, title, "", "menu"), s, meta["site"], meta["page_url"], 0)
                if req is not None:
                    yield req

    def postback_requests(self, text: str, response: Response, site: str, links: list[Link]) -> Iterator[Any]:
        """Further pages of an ASP.NET list: one POST of the page's form per pager postback.

        Numbered pages (a page-number argument, or a link saying a number) are posted once per
        (action, target, argument); 下一页/尾页 postbacks (the same target on every page) once per
        distinct page. A posted page that brings no link the list's
        earlier pages did not is the end: nothing further is posted from it (no endless loops).
        """
        pages = aspnet.postback_calls(text, response.url)
        if not pages:
            return
        known = self._postback_links.setdefault(pages[0][0], set())
        new = {link.url for link in links} - known
        known |= new
        if response.meta.get("postback") and not new:
            self.crawler.stats.inc_value("nianbao/postback/exhausted")
            return
        digest = hashlib.sha1(" ".join(sorted(new)).encode()).hexdigest()[:12]
        keep = aspnet.outside_triggers(text)      # (a pager outside the panels: not in the reply)
        for action, target, arg, fields, numbered in pages:
            key = (action, target, arg if numbered else f"{arg}@{digest}")
            if key in self._postbacks or len(self._postbacks) >= lists.MAX_LIST_PAGES * 10:
                continue
            self._postbacks.add(key)
            # an UpdatePanel's pager posts asynchronously, with the headers ScriptManager sends
            headers = {"X-MicrosoftAjax": "Delta=true", "X-Requested-With": "XMLHttpRequest"} \
                if fields.get("__ASYNCPOST") == "true" else None
            req = self.make(action, site, self.parse_page, priority=90, method="POST", formdata=fields,
                            request_headers=headers, tier="pagination", slack=0, postback=True, keep=keep,
                            **self.list_position(response))
            if req is not None:
                yield req

    def api_request(self, api: lists.ApiRef, n: int, site: str, page_url: str, first: bool = False,
                    seen: frozenset = frozenset(), sample: bool = False):
        """The request for page ``n`` of a JSON list API (page 1: exactly as the page calls it)."""
        url, form = (api.url, api.form if api.method == "POST" else None) if first else api.page(n)
        return self.make(url, site, self.parse_api, priority=85, method=api.method, formdata=form,
                         json_body=api.json_body, api=api,
                         first=first, page_no=n, page_url=page_url, seen_pages=seen, sample=sample)

    def parse_hanweb(self, response: Response) -> Iterator[Any]:
        """A Hanweb dataproxy reply: more records (and, without a total, the next chunk)."""
        meta = response.meta
        records = lists.hanweb_records(response.text)
        for link in lists.record_links(records, meta["page_url"]):
            req = self.follow(link, score_link(link.text, link.url, link.context, "column"), meta["site"],
                              meta["page_url"], 0)
            if req is not None:
                yield req
        col = meta["hanweb"]
        if meta.get("open_ended") and records:
            start = int(dict(p.split("=", 1) for p in urlsplit(response.url).query.split("&"))["endrecord"]) + 1
            url, form = lists.hanweb_request(col, start, start + col.per_page * 3 - 1)
            req = self.make(url, meta["site"], self.parse_hanweb, priority=90, method="POST", formdata=form,
                            hanweb=col, open_ended=True, page_url=meta["page_url"])
            if req is not None:
                yield req

    def parse_api(self, response: Response) -> Iterator[Any]:
        """A JSON list API reply: its items, and on the first page the requests for the others."""
        meta = response.meta
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        if is_busy_page(text):
            # {"code": 429, "msg": "访问过于频繁"} with status 200: this page of the list is not empty
            yield from self.retry_busy(response)
            return
        obj = lists.load_json(text)
        if obj is None and "<a " not in text.lower():
            # a list answering XML (<response><pageCount>…<item><title>…<url>…): read as its JSON
            obj = lists.load_xml(text)
        if obj is None:
            # Some list endpoints answer with an HTML or XML fragment: read its links instead.
            links = extract_links(text, meta["page_url"]) + lists.record_links(lists.hanweb_records(text),
                                                                               meta["page_url"])
            for link in links:
                req = self.follow(link, score_link(link.text, link.url, link.context, "column"), meta["site"],
                                  meta["page_url"], 0)
                if req is not None:
                    yield req
            return
        # A single-page detail (detail.html?id=5, whose script fetches the article as JSON and shows
        # its HTML "content"): the article in the reply is the report page
        for title, content in lists.json_articles(obj):
            yield from self.json_article(response, title, content)
        # Relative item URLs ("./202401/t….html") are relative to the list page, not to the API.
        detail_api = meta["api"].detail_api
        items = lists.json_links(obj, meta["page_url"], meta["api"].detail, detail_api)
        reports_here = False
        for link in items:
            sc = score_link(link.text, link.url, link.context, "column")
            reports_here = reports_here or sc.tier == "report"
            if detail_api is not None and link.url.startswith(detail_api.url) and sc.tier == "report":
                # an item whose detail is an app route: its article from the article API
                req = self.make(link.url, meta["site"], self.parse_api, priority=100, api=detail_api, tier="report",
                                first=False, page_no=1, page_url=meta["page_url"], anchor=link.text)
            else:
                req = self.follow(link, sc, meta["site"], meta["page_url"], 0)
            if req is not None:
                yield req
        count = lists.json_page_count(obj, meta["api"].offset_size)
        more = lists.json_has_next(obj)
        # An API that answers a page past the end with the last page again: stop on a repeat.
        seen = meta.get("seen_pages", frozenset())
        signature = frozenset(link.url for link in items)
        page_no = meta.get("page_no", 1)
        if meta.get("first") and count:
            pages = range(page_no + 1, page_no + count)   # pages 2..N (or 1..N-1 counted from 0)
        elif (not count and items and more is not False and signature not in seen
              and page_no < lists.MAX_LIST_PAGES and (meta["api"].page_param or more)):
            # (no page parameter and no hasNext: a tree or a single list, not page 1 of many)
            pages = range(page_no + 1, page_no + 2)      # no count: walk on while there is more
        else:
            pages = range(0)
        if meta.get("sample") and not reports_here and not COLUMN.search(
                f"{response.url} {json.dumps(meta['api'].form or {}, ensure_ascii=False)}"):
            pages = range(0)        # a portal app's news, banners, links: not walked
        for n in pages:
            req = self.api_request(meta["api"], n, meta["site"], meta["page_url"], seen=seen | {signature},
                                   sample=meta.get("sample", False))
            if req is not None:
                yield req

    def json_article(self, response: Response, title: str, content: str) -> Iterator[Any]:
        """An article a JSON reply carries (title + HTML content) as a report page: the page the
        script would draw, with its attachments (links relative to the page that called the API)."""
        from html import escape

        page_url = response.meta["page_url"]
        html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
                f"<body><h1>{escape(title)}</h1>{content}</body></html>")
        page = HtmlResponse(response.url, body=html.encode("utf-8"), encoding="utf-8", request=response.request)
        doc = parse_html(html)
        attachments = []
        for link in extract_links(doc, page_url) if doc is not None else []:
            sc = score_link(link.text, link.url, link.context, "report", page_url)
            if sc.document and sc.tier in ("report", "document") and link.url not in {a.url for a in attachments}:
                attachments.append(link)
        yield from self.report_group(page, doc, title, attachments, response.meta["site"])

    # ------------------------------------------------------------------ documents
    def parse_document(self, response: Response) -> Iterator[Any]:
        """A document linked from a list (PDF, Word …): a candidate on its own."""
        meta = response.meta
        self.learn_alias(response)
        if response.status == 304:
            yield SeenDocument(response.url, meta["site"])
            return
        if is_html(response) and "group" not in meta:
            meta["tier"] = "report"
            yield from self.parse_page(response)
            return
        title = meta.get("anchor", "")
        yield ReportCandidate(meta["site"], unpacked(fetched(response, meta.get("page_url"))),
                              {"title": title} if is_report_title(title) else {})

    # ------------------------------------------------------------------ articles split over pages
    def article_part_requests(self, article: dict, urls: list[str]) -> Iterator[scrapy.Request]:
        """Requests for further pages of a split article (each once, at most ``MAX_ARTICLE_PAGES``)."""
        for url in map(canonical_url, urls):     # (as the request's URL: the pages are keyed by it)
            if url in article["pages"] or len(article["order"]) >= lists.MAX_ARTICLE_PAGES:
                continue
            req = self.make(url, article["site"], self.parse_article_part, priority=105, article=article,
                            page_url=article["response"].url, tier="report")
            article["pages"][url] = None
            article["order"].append(url)
            if req is not None:
                article["pending"] += 1
                yield req

    @staticmethod
    def script_pages(text: str, url: str) -> list[Link]:
        """Pages a script announces (TRS writes an article's page-break pager with
        ``createPageHTML(2, 0, "t20240120_42", "html")`` too), as links saying 下一页."""
        return [Link(u, "下一页", "", "script") for u in lists.trs_pages(text, url)]

    def parse_article_part(self, response: Response) -> Iterator[Any]:
        """A further page of a split article: keep its text, ask for the pages it names, and when
        none is pending hand the joined article over (as one report page)."""
        article = response.meta["article"]
        text = response.text if isinstance(response, TextResponse) else ""
        if is_busy_page(text):
            yield from self.retry_busy_member(response, lambda: self._article_done(article))
            return
        # each further page one step below the first, however long the chain (DEPTH_LIMIT)
        response.meta["depth"] = article["response"].meta.get("depth", 0)
        # (the URL asked for, as the article's page list holds it, even if it redirected)
        url = (response.meta.get("redirect_urls") or [response.request.url if response.request else response.url])[0]
        doc = parse_html(text) if is_html(response) and text else None
        seen = article.setdefault("texts", {hashlib.sha1(normalize(article["doc"].text_content()).encode()).digest()}
                                  if article["doc"] is not None else set())
        key = hashlib.sha1(normalize(doc.text_content()).encode()).digest() if doc is not None else b""
        if doc is not None and key not in seen:
            # (a page answering any ?page=N with the same text again ends the chain: no copies)
            seen.add(key)
            article["pages"][url] = text
            links = extract_links(doc, response.url)
            first = article["response"].url
            yield from self.article_part_requests(article, lists.article_pages(
                links + self.script_pages(text, response.url), response.url, first))
            for link in links:
                sc = score_link(link.text, link.url, link.context, "report", response.url)
                if sc.document and sc.tier in ("report", "document"):
                    if link.url not in {a.url for a in article["attachments"]}:
                        article["attachments"].append(link)
                    continue
                if sc.tier == "pagination":
                    continue                # the article's own pages (other variants of them)
                # its other links as any report page's (a report it names, should this be a list)
                req = self.follow(link, sc, article["site"], response.url, 0, self.list_position(response))
                if req is not None:
                    yield req
        yield from self._article_done(article)

    def _article_done(self, article: dict) -> Iterator[Any]:
        article["pending"] -= 1
        if article["pending"] > 0:
            return
        first = article["response"]
        pages = [article["pages"][u] for u in article["order"] if article["pages"].get(u)]
        if len(pages) > 1:
            joined = lists.join_article(pages).encode("utf-8")
            headers = first.headers.copy()
            headers[b"Content-Type"] = b"text/html; charset=utf-8"
            first = first.replace(body=joined, headers=headers, encoding="utf-8")
        part_urls = tuple(u for u in article["order"][1:] if article["pages"].get(u))
        yield from self.report_group(first, article["doc"], article["title"], article["attachments"],
                                     article["site"], part_urls)

    def report_group(self, response: Response, doc, title: str, attachments: list[Link],
                     site: str, part_urls: tuple[str, ...] = ()) -> Iterator[Any]:
        """A report page: fetch its attachments, then hand page + attachments over together.

        ``part_urls``: the further pages of an article joined into ``response`` (related URLs).
        """
        page_doc = fetched(response, response.meta.get("page_url"))
        page_doc.part_urls = part_urls
        info = page_meta(doc)
        if title:
            info["title"] = title
        group = {"item": ReportCandidate(site, [page_doc], info), "pending": 0}
        requests = []
        for link in attachments[:MAX_ATTACHMENTS]:
            if is_lookalike(link.text):
                continue
            req = self.make(link.url, site, self.parse_group_member, priority=110, group=group,
                            page_url=response.url, document=True)
            if req is not None:
                requests.append(req)
        group["pending"] = len(requests)
        if not requests:
            yield group["item"]
            return
        yield from requests

    def parse_group_member(self, response: Response) -> Iterator[Any]:
        group = response.meta["group"]
        if is_html(response) and is_busy_page(response.text):
            yield from self.retry_busy_member(response, lambda: self._group_done(group))
            return
        if response.status != 304:
            group["item"].documents.extend(unpacked(fetched(response, response.meta.get("page_url"))))
        yield from self._group_done(group)

    def _group_done(self, group: dict) -> Iterator[Any]:
        group["pending"] -= 1
        if group["pending"] == 0:
            yield group["item"]

    def on_error(self, failure: Failure) -> Iterator[Any]:
        """Every failed request is recorded; a report group still completes without the member."""
        request = failure.request
        if request.meta.get("probe") and "group" not in request.meta:
            # our own guess (/sitemap.xml nobody names) that the site does not have: no error of the site's
            self.crawler.stats.inc_value("nianbao/sitemap/probe_missed")
            return
        answer = getattr(failure.value, "response", None)
        if answer is not None and isinstance(answer, TextResponse):
            # a 521 (or 403, 412 …) whose page is a script setting a cookie and reloading
            retry = self.challenge_retry(request, answer.text)
            if retry is not None:
                yield retry
                return
        kind, status, reason = classify_failure(failure)
        if answer is not None and isinstance(answer, TextResponse) and is_interstitial(answer.text, answer.status):
            # a 412 / 521 whose page is an anti-bot script the crawler cannot answer: not the site's fault
            kind, reason = "challenge", f"HTTP {answer.status}: an anti-bot script challenge the crawler cannot answer"
        url = request.url
        # "[<twisted.python.failure.Failure twisted.internet.error.ConnectionDone: Connection was
        # closed cleanly.>]" → "ConnectionDone: Connection was closed cleanly"
        inner = re.findall(r"Failure [\w.]*?(\w+): (.*?)\.?>", reason)
        if inner:
            reason = "; ".join(dict.fromkeys(f"{name}: {text}" for name, text in inner))[:300]
        if kind == "ignored" and "MAXSIZE" in reason.upper():
            kind = "size"                   # a body (or a gzip body once inflated) over the size cap
        chain = request.meta.get("redirect_urls")
        if chain and kind not in ("scope", "robots", "private"):
            # The URL the site links to is the one to report; a redirect loop ends elsewhere.
            # (A refused redirect target is itself the news: kept.)
            url, reason = chain[0], f"{reason} (redirected to {request.url})"[:300]
            if "redirection" in reason:
                kind = "redirect"
        self.crawler.stats.inc_value(f"nianbao/errors/{kind}")
        yield CrawlError(url=url, site_url=request.meta.get("site", ""), kind=kind, reason=reason,
                         status=status)
        if "group" in request.meta:
            yield from self._group_done(request.meta["group"])
        if "article" in request.meta:
            yield from self._article_done(request.meta["article"])     # the pages that came
