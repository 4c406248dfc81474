"""List and pagination mechanisms of the CMS families behind Chinese government portals.

Each function reads a saved page (text) and says which further requests the list needs. They are
pure: tests feed them frozen pages from ``tests/pages/``.

- TRS WCM: ``createPageHTML(count, current, "index", "shtml")`` announces ``index_1.shtml`` …
- Hanweb JCMS: records in ``<script type="text/xml"><datastore>``; further pages by POST to
  ``/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=`` with the column's fields.
- JSON list APIs named in the page's scripts; their items and page counts (a single-page app's
  shell and routes: :mod:`crawler.discovery.apps`; the values its requests compute:
  :mod:`crawler.discovery.scriptvalues`).
- Generic: 共N页 with a ``list_2.html`` / ``?page=2`` pattern; lists paged by a form; articles split
  over pages (ASP.NET postback pagers: :mod:`crawler.discovery.aspnet`).

    >>> trs_pages('<script>createPageHTML(3, 0, "index", "shtml");</script>', "http://x.gov.cn/nb/index.shtml")
    ['http://x.gov.cn/nb/index_1.shtml', 'http://x.gov.cn/nb/index_2.shtml']
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape as html_unescape
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from crawler.discovery.apps import HASH_ROUTE, ROUTE_PATH, route_values
from crawler.discovery.jseval import UNKNOWN
from crawler.discovery.links import Link, extract_links
from crawler.discovery.scriptvalues import (
    JsExpr,
    call_end,
    inline_named_data,
    js_literal,
    value_resolver,
)

MAX_LIST_PAGES = 100

# ------------------------------------------------------------------ TRS

# createPageHTML(…) and the older createPage(…); not the function's own definition
CREATE_PAGE = re.compile(r"(?<!function )\bcreatePage(?:HTML)?\s*\(([^)]*)\)", re.IGNORECASE)


def _js_value(token: str, script: str) -> str | int | None:
    """A literal argument, or the value of ``var name = …`` elsewhere in the page."""
    token = token.strip()
    if re.fullmatch(r"-?\d+", token):
        return int(token)
    if len(token) >= 2 and token[0] in "'\"" and token[-1] == token[0]:
        return token[1:-1]
    m = re.search(r"(?:var\s+|\b)" + re.escape(token) + r"\s*=\s*(['\"]?)([^;'\"\n]*)\1\s*;?", script)
    if m:
        value = re.split(r"//|/\*", m.group(2))[0].strip()       # drop a trailing JS comment
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    return None


def trs_pages(html: str, page_url: str) -> list[str]:
    """URLs of the other pages of a TRS list announced by ``createPageHTML``.

    Both signatures are met: ``createPageHTML(count, current, prefix, suffix)`` and
    ``createPageHTML(elementId, count, current, prefix, suffix, rows)``: the first integer is the
    page count; the last two strings are the file prefix and suffix.
    """
    for m in CREATE_PAGE.finditer(html):
        values = [_js_value(a, html) for a in m.group(1).split(",")]
        ints = [v for v in values if isinstance(v, int)]
        strs = [v for v in values if isinstance(v, str) and v]
        if ints:
            break
    else:
        return written_pages(html, page_url)
    count = min(ints[0], MAX_LIST_PAGES)
    prefix, suffix = (strs[-2], strs[-1]) if len(strs) >= 2 else ("index", "shtml")
    return [urljoin(page_url, f"{prefix}_{i}.{suffix}") for i in range(1, count)]


# TRS WCM's older template writes its pager itself: ``var countPage = 3//共多少页``, then
# ``document.write("<a href=\"index"+"_" + nextPage + "."+"html\">下一页</a>")``
COUNT_PAGE = re.compile(r"\b(?:var\s+)?countPage\s*=\s*(\d{1,4})")
CURRENT_PAGE = re.compile(r"\b(?:var\s+)?currentPage\s*=\s*(\d{1,4})")
WRITTEN_PAGE = re.compile(r"""href=\\?['"]([\w.-]*?)_['"]\s*\+\s*\(?\s*[\w$]+(?:\s*[-+]\s*\d+)?\s*\)?\s*\+\s*"""
                          r"""['"]\.(s?html?)""")


def written_pages(html: str, page_url: str) -> list[str]:
    """The other pages of a list whose script writes its pager from ``countPage`` and
    ``currentPage`` (TRS WCM: page 0 is ``index.html``, page i ``index_i.html``)."""
    m = COUNT_PAGE.search(html)
    if m is None:
        return []
    joined = re.sub(r"""['"]\s*\+\s*['"]""", "", html)      # "index"+"_" → "index_"
    w = WRITTEN_PAGE.search(joined)
    if w is None:
        return []
    prefix, suffix = w.group(1) or "index", w.group(2)
    current = CURRENT_PAGE.search(html)
    now = int(current.group(1)) if current else 0
    return [urljoin(page_url, f"{prefix}_{i}.{suffix}" if i else f"{prefix}.{suffix}")
            for i in range(min(int(m.group(1)), MAX_LIST_PAGES)) if i != now]


# ------------------------------------------------------------------ Hanweb JCMS

DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.DOTALL | re.IGNORECASE)
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL | re.IGNORECASE)
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.DOTALL | re.IGNORECASE)
HANWEB_KEYS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
               "permissiontype")


@dataclass
class HanwebColumn:
    """What a Hanweb column page says about its list: records shown and how to ask for more."""

    records: list[str] = field(default_factory=list)       # HTML fragments of the shown records
    proxy_url: str = ""
    params: dict[str, str] = field(default_factory=dict)
    per_page: int = 15
    total: int | None = None


def hanweb_records(text: str) -> list[str]:
    """The HTML fragments inside ``<record><![CDATA[…]]></record>`` (page or dataproxy reply)."""
    return RECORD.findall(text)


def hanweb_column(html: str, page_url: str) -> HanwebColumn | None:
    """Read a Hanweb column page; None when the page has no ``<datastore>``."""
    if not DATASTORE.search(html):
        return None
    col = HanwebColumn(records=hanweb_records(html))
    params: dict[str, str] = {}
    ng = NEXTGROUP.search(html)
    if ng:
        href = re.search(r"href=['\"]([^'\"]+)", ng.group(1))
        if href:
            full = urljoin(page_url, href.group(1).replace("&amp;", "&"))
            col.proxy_url = urlunsplit(urlsplit(full)._replace(query="", fragment=""))
            params.update({k: v for k, v in parse_qsl(urlsplit(full).query) if k in HANWEB_KEYS})
    for key in HANWEB_KEYS:
        # ajaxParam: {columnid: 1088, path: '/', ...}  or  var columnid = "1088";
        m = re.search(r"[{,\s&?]['\"]?" + key + r"['\"]?\s*[:=]\s*['\"]?([^,'\"}\s;&]*)", html)
        if m and m.group(1):
            params[key] = m.group(1)
    m = re.search(r"proxyUrl['\"]?\s*[:=]\s*['\"]([^'\"]+)", html)
    if m:
        col.proxy_url = urljoin(page_url, m.group(1))
    if not col.proxy_url:
        col.proxy_url = urljoin(page_url, "/module/web/jpage/dataproxy.jsp")
    m = re.search(r"perPage['\"]?\s*[:=]\s*['\"]?(\d+)", html, re.IGNORECASE)
    col.per_page = int(m.group(1)) if m else 15
    m = re.search(r"totalRecord['\"]?\s*[:=]\s*['\"]?(\d+)", html, re.IGNORECASE)
    col.total = int(m.group(1)) if m else None
    params.setdefault("col", "1")
    params.setdefault("appid", "1")
    params.setdefault("path", "/")
    params.setdefault("sourceContentType", "1")
    params.setdefault("permissiontype", "0")
    col.params = params
    return col


def hanweb_requests(col: HanwebColumn, max_records: int = 1500) -> list[tuple[str, dict[str, str]]]:
    """(URL, form fields) of the dataproxy POSTs fetching the records the page did not show.

    Without a ``totalRecord`` the caller asks chunk after chunk until one comes back empty
    (see :func:`hanweb_next`); with it, all chunks are known at once.
    """
    if "columnid" not in col.params:
        return []
    chunk = col.per_page * 3
    start = len(col.records) + 1
    end_all = min(col.total if col.total is not None else start + chunk - 1, max_records)
    out = []
    while start <= end_all:
        end = min(start + chunk - 1, end_all) if col.total is not None else start + chunk - 1
        out.append(hanweb_request(col, start, end))
        start = end + 1
    return out


def hanweb_request(col: HanwebColumn, start: int, end: int) -> tuple[str, dict[str, str]]:
    """One dataproxy POST for records ``start``..``end`` (1-based, inclusive)."""
    query = urlencode({"startrecord": start, "endrecord": end, "perpage": col.per_page})
    return f"{col.proxy_url}?{query}", dict(col.params)


def hanweb_total(xml: str) -> int | None:
    """``<totalrecord>`` of a dataproxy reply."""
    m = re.search(r"<totalrecord>\s*(\d+)", xml, re.IGNORECASE)
    return int(m.group(1)) if m else None


def record_links(records: list[str], base_url: str) -> list[Link]:
    """Links inside Hanweb record fragments."""
    out = []
    for frag in records:
        out.extend(extract_links(f"<html><body>{frag}</body></html>", base_url))
    for link in out:
        link.source = "record"
    return out


# ------------------------------------------------------------------ JSON list APIs

API_STRING = re.compile(r"""['"]((?:https?://[^'"\s]+|/|\./|\.\./)[^'"\s<>]*)['"]""")
API_HINT = re.compile(r"api|list|json|query|getdata|getlist|channel|column|\.do\b|\.action|"
                      r"/data/|interface|search/list|info/", re.IGNORECASE)
NOT_API = re.compile(r"\.(js|css|png|jpe?g|gif|svg|ico|s?html?|pdf|docx?|xlsx?|wps)(\?|$)", re.IGNORECASE)
PAGE_PARAMS = ("pageNo", "pageNum", "pageIndex", "page", "currentPage", "current", "curPage", "pn", "p",
               "pageNumber")
TITLE_KEYS = ("title", "name", "doctitle", "docTitle", "subject", "articleTitle", "infoTitle", "fileName",
              "showTitle", "mc", "bt")
URL_KEYS = ("url", "link", "href", "docUrl", "docurl", "linkUrl", "linkurl", "path", "articleUrl", "pageUrl",
            "fileUrl", "detailUrl", "wzurl", "puburl", "visitUrl", "redirectUrl", "docpuburl")
URL_LIKE_KEY = re.compile(r"url|link|href|path", re.IGNORECASE)
NOT_LINK_KEY = re.compile(r"img|pic|image|thumb|icon|logo|cover|video|audio|avatar|photo|css|script", re.IGNORECASE)
TOTAL_PAGE_KEYS = ("totalPage", "totalPages", "pageCount", "pages", "pageTotal", "totalpage", "page_count")
TOTAL_KEYS = ("total", "totalCount", "totalElements", "totalRecord", "recordCount", "count", "totalNum",
              "totalSize", "total_count")
SIZE_KEYS = ("pageSize", "size", "limit", "perPage", "rows", "pagesize", "page_size")


@dataclass
class ApiRef:
    """A JSON list API named in a page: its URL, the parameter that pages it, and how to call it."""

    url: str
    page_param: str | None
    method: str = "GET"
    form: dict[str, Any] | None = None       # POST fields (page parameter included; nested for a JSON body)
    json_body: bool = False                  # POST the fields as a JSON body (JSON.stringify)
    # (prefix, item key, suffix) of detail URLs the page builds from an item's id, e.g.
    # ``'/xxgk/detail.html?id=' + item.id``: items that carry no URL of their own
    detail: list[tuple[str, str, str]] = field(default_factory=list)
    # an article API (``/api/article/detail`` called with the id a single-page app's route holds,
    # ``{params: {articleId: this.$route.params.id}}``): the parameter taking an item's id; such an
    # API is no list and is asked only with ids
    id_param: str | None = None
    # the page's article API, for list items that carry only an id and whose detail is a hash
    # route of the app (``"#/detail/" + item.id``), not a URL
    detail_api: ApiRef | None = None

    # an API paged by offset ({start: 0, limit: 10}): the size it moves by (page n: (n - 1) × size)
    offset_size: int | None = None

    def article(self, item_id: str | int) -> str:
        """The URL of the article API for one item id (GET)."""
        return with_param(self.url, self.id_param or "id", item_id)

    @property
    def first_page(self) -> int:
        """The number of the first page: 0 for APIs counting from zero (Spring's ``page=0``), else 1."""
        param = self.page_param or "page"
        if self.offset_size:
            return 1
        value = _nested_get(self.form or {}, param) if self.method == "POST" else dict(
            parse_qsl(urlsplit(self.url).query)).get(param)
        return 0 if str(value) == "0" else 1

    def page(self, n: int) -> tuple[str, dict[str, Any] | None]:
        """(URL, form) of page ``n`` (in a nested JSON body, the page parameter where it sits; an
        offset API's offset for that page)."""
        param = self.page_param or "page"
        if self.offset_size:
            n = (n - 1) * self.offset_size
        if self.method == "POST":
            form = self.form or {}
            if param not in form and _nested_get(form, param) is not None:
                return self.url, _nested_set(form, param, n)
            return self.url, {**form, param: str(n)}
        return with_param(self.url, param, n), None


def json_apis(html: str, page_url: str, route: str | None = None) -> list[ApiRef]:
    """JSON list API URLs in the page's scripts (same site), with their paging parameter.

    The paging parameter is read from the script (``+ "&pageNo=" + p``) or from the URL itself.
    ``route``: the hash route the page was opened with (:func:`hash_route`) — values the script
    reads from it (``this.$route.params.channelId``, ``$route.query.cid``) are known.
    """
    # (not Hanweb's <script type="text/xml"> datastore: its links are records, not APIs)
    scripts = re.findall(r"<script\b(?![^>]*text/xml)[^>]*>(.*?)</script>", html, re.DOTALL | re.IGNORECASE)
    # <div id="list" data-url="/api/list?channelId=12"> : list widgets configured by attributes
    scripts += [f'"{v}"' for v in re.findall(r"""data-(?:url|api|src|list-?url|source)\s*=\s*['"]([^'"]+)['"]""",
                                             html, re.IGNORECASE)]
    out: list[ApiRef] = []
    seen = set()
    # <script src="/common/infolist.jsp?channelid=12&page=1&callback=showList">: a JSONP list the
    # page loads as a script (its reply calls the page's function with the items)
    for src in re.findall(r"""<script\b[^>]*?\bsrc\s*=\s*['"]([^'"]+)['"]""", html, re.IGNORECASE):
        src = html_unescape(src).strip()
        if re.search(r"[?&](callback|jsoncallback|jsonp|cb)=\w", src, re.IGNORECASE) and src not in seen:
            seen.add(src)
            _add_api(out, urljoin(page_url, src), "", "")
    # var ctx = "/gov-cms"; $.getJSON(ctx + "/api/list?pageNo=" + p): a base the page puts before its paths
    from crawler.discovery.links import js_globals
    variables = js_globals(scripts)
    joined = "\n".join(scripts)
    routed_values = route_values(route, joined)
    if route and route.startswith("#"):
        # a bare fragment (index#2450) the page's script reads as location.hash: a column id
        routed_values["hash"] = {"value": route[1:]}
        resolve = value_resolver(html, variables, routed_values)
        for name, expr in re.findall(r"(?:var|let|const)\s+([\w$]+)\s*=\s*([^;\n]*location\.hash[^;\n]*)", joined):
            value = resolve(re.sub(r"\s*\|\|.*$", "", expr.strip()))     # (location.hash.substr(1) || "0")
            if value is not UNKNOWN and isinstance(value, (str, int)) and not isinstance(value, bool):
                variables[name] = str(value)
    resolve = value_resolver(html, variables, routed_values)
    # (a hash route's query reads as the page's own: getQueryString("cid") in an app)
    query_url = page_url if not routed_values.get("query") else with_query(page_url, routed_values["query"])
    routed = bool(re.search(r"VueRouter|createRouter|\$router|routes\s*:|ngRoute|\$routeProvider", joined))
    bases = {name: value for name, value in variables.items() if value.startswith(("http://", "https://", "/"))
             and re.search(rf"(?<![\w$.]){re.escape(name)}\s*\+\s*['\"]/", joined)}   # (not listApi + "&pageNo=")
    # axios.create({baseURL: "/prod-api"}): the app's requests go through an instance that puts the
    # base before every path it is given (service({url: "/portal/article/list"}), request.get(…))
    instance = INSTANCE_BASE.search(joined)
    instance_base = instance.group(2).rstrip("/") if instance else ""
    for code in scripts:
        for m in API_STRING.finditer(code):
            raw, start = m.group(1), m.start()
            head = code[max(0, m.start() - 80):m.start()]
            decl = re.search(r"(?:var|let|const)\s+([\w$]+)\s*=\s*$", head)
            if decl and decl.group(1) in bases:
                continue                # the base itself, not an API
            if re.search(r"\bbaseURL\s*:\s*$", head):
                continue                # an instance's base itself
            prefix = re.search(r"(?<![\w$.])([\w$]+)\s*\+\s*$", head)
            if prefix and prefix.group(1) in bases and raw.startswith("/"):
                raw = bases[prefix.group(1)].rstrip("/") + raw
                start = m.start() - (len(head) - prefix.start())
            elif instance_base and raw.startswith("/") and not raw.startswith(instance_base + "/") \
                    and not DIRECT_CALL.search(head):
                raw = instance_base + raw
            # "/gkmlpt/api/all/" + catId + "?page=" + page: a value the page knows inside the path
            raw, rest = _path_values(raw, code[m.end():m.end() + 400], resolve)
            if rest == "":
                continue        # (its path needs a value the page does not know here: a wrong URL)
            paged_call = bool(AJAX_CALL.search(head)) and _page_tail(raw)
            if NOT_API.search(raw) or raw in seen or len(raw) < 4 or not (
                    API_HINT.search(raw) or (DETAIL_PATH.search(raw) and AJAX_CALL.search(head)) or paged_call):
                # (a paged URL an Ajax call asks — "/xxgk/nb/data.jsp?page=" + p — is a list API
                # whatever its path says)
                continue
            if routed and (ROUTE_PATH.search(head) or HASH_ROUTE.search(head)):
                continue        # a single-page app's route ({path: "/nb/list", component: …}), no API
            # (what follows the URL within its call: axios.get("/api/menu").then(…) takes nothing of
            # the next call's params)
            window = _call_rest(code, m.end()) if rest is None else _call_rest(rest, 0)
            # (params: query, data: param, body: JSON.stringify(this.queryParams): the object the
            # script names, written out — a variable, a component's data(), what a function's callers pass)
            named = inline_named_data(window, code, start)
            grown, window = len(named) - len(window), named
            after = window[:200]
            # "/api/list?catalog=" + catalog: the value is an argument of the enclosing function,
            # given by the page's calls (onclick="loadList('gknb')"): one API per column argument.
            paged = re.search(r"[?&]([\w$]+)=$", raw)
            whole = None
            if paged and (paged.group(1) in PAGE_PARAMS or "page" in paged.group(1).lower()):
                filled = []     # "…?pageNo=" + p: the page, walked (go(1) is no column's argument)
            else:
                filled = _argument_urls(raw, after, code[:start], html) or _query_urls(raw, after, html, query_url)
                whole = None if filled else _whole_query(raw, after, resolve)
                if whole is not None:
                    # "…?sid=" + SID + "&catId=" + catId + "&page=" + page: every value, the page first 1
                    filled, after = [whole[0]], whole[1]
                elif not filled:
                    filled = _resolved_urls(raw, after, resolve)
            if filled and whole is None:
                after = re.sub(r"^\s*\+\s*[\w$.]+(?:\[\s*['\"][\w$]+['\"]\s*\])?", "", after)
            before = code[max(0, start - 40):start]
            for raw_url in filled or [raw]:
                _add_api(out, urljoin(page_url, raw_url), after, window[200:400 + max(grown, 0)], before, resolve)
    out = _without_subsumed(out)
    templates = detail_templates("\n".join(scripts))
    article_api = next((a for a in out if a.id_param and a.method == "GET"), None)
    for api in out:
        api.detail = templates
        if not api.id_param:
            api.detail_api = article_api
    return out


INSTANCE_BASE = re.compile(r"""\.create\(\s*\{[^{}]*?\bbaseURL\s*:\s*(['"])((?:https?://|/)[^'"\s]*)\1""")
# a call that is no instance's: axios.get(, $.ajax({url: …, fetch(
DIRECT_CALL = re.compile(r"(?:\baxios(?:\.\w+)?|\$\.\w+|jQuery\.\w+|\bfetch)\s*\(\s*$|\$\.ajax\(\s*\{[^{}]*$")


def _api_fields(api: ApiRef) -> set[tuple[str, str]]:
    return set(parse_qsl(urlsplit(api.url).query, keep_blank_values=True)) | {
        (k, json.dumps(v, sort_keys=True, ensure_ascii=False)) for k, v in (api.form or {}).items()}


def _call_rest(code: str, i: int, limit: int = 400) -> str:
    """The script after ``code[i]`` up to the end of the call around it (the first ``)`` it does not
    open itself; strings skipped), at most ``limit`` characters.

    >>> code = 'axios.get("/api/menu").then(f); $.ajax({url: "/api/list", data: {a: 1}}).done(g)'
    >>> _call_rest(code, code.index('")') + 1), _call_rest(code, code.index('list"') + 5)
    ('', ', data: {a: 1}}')
    """
    j = call_end(code, i, limit)
    return code[i:min(len(code), i + limit) if j is None else j]


def _says_less(a: ApiRef, b: ApiRef) -> bool:
    """``a`` is ``b`` with fewer fields: same path, method and article parameter, its fields a part
    of ``b``'s, its paging none or ``b``'s."""
    return ((urlsplit(a.url)._replace(query="").geturl(), a.method, a.id_param)
            == (urlsplit(b.url)._replace(query="").geturl(), b.method, b.id_param)
            and a.page_param in (None, b.page_param) and _api_fields(a) <= _api_fields(b))


def _without_subsumed(apis: list[ApiRef]) -> list[ApiRef]:
    """One API named twice — ``function listArticle(query) {… params: query}`` and the call with the
    literal ``params: {columnCode: "gknb", pageNum: 1}`` — is the call that says the most: a copy,
    or one whose fields are a part of another's, is dropped."""
    out: list[ApiRef] = []
    for api in apis:
        if any(_says_less(api, o) for o in out):
            continue
        out = [o for o in out if not _says_less(o, api)]
        out.append(api)
    return out


# '/xxgk/detail.html?id=' + item.id (+ '.html'), "/art/" + row["docId"] + ".html"
DETAIL_TEMPLATE = re.compile(
    r"""['"]((?:https?://|\.{0,2}/)[^'"\s<>]*)['"]\s*\+\s*[\w$]+(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])"""
    r"""(?:\s*\+\s*['"]([^'"\s<>]*)['"])?""")


CHAIN_FIELD = re.compile(r"""\s*\+\s*([\w$]+)(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])"""
                         r"""(?:\.(substring|substr|slice)\(\s*(\d+)\s*,\s*(\d+)\s*\))?""")
CHAIN_TEXT = re.compile(r"""\s*\+\s*['"]([^'"\s<>{}]*)['"]""")


def _chain(code: str, i: int) -> tuple[str, str, str, int] | None:
    """The fields and literals concatenated after a URL's prefix (``code[i]`` is after its closing
    quote): (key, suffix) with the further fields as ``{key}`` placeholders in the suffix — ``'/' +
    item.id + '.html'`` → ``('channelCode', '/{id}.html')`` after ``item.channelCode`` —, fields of
    one item only; a field cut by ``.substring(0, 4)`` is ``createTime|substring:0:4``."""
    m = CHAIN_FIELD.match(code, i)
    if m is None:
        return None

    def spec(f: re.Match) -> str:
        key = f.group(2) or f.group(3)
        return key + (f"|{f.group(4)}:{f.group(5)}:{f.group(6)}" if f.group(4) else "")
    var, key, suffix, j = m.group(1), spec(m), "", m.end()
    while True:
        t = CHAIN_TEXT.match(code, j)
        if t is not None:
            suffix, j = suffix + t.group(1), t.end()
            continue
        f = CHAIN_FIELD.match(code, j)
        if f is not None and f.group(1) == var:
            suffix, j = suffix + "{" + spec(f) + "}", f.end()
            continue
        return var, key, suffix, j


def fill_template(prefix: str, key: str, suffix: str, item: dict[str, Any]) -> str | None:
    """The URL a :func:`detail_templates` template gives for one item (None when a field it needs
    is missing).

    >>> fill_template("/art/", "createTime|substring:0:4", "/{id}.html", {"id": 7, "createTime": "2024-01-15"})
    '/art/2024/7.html'
    """
    def value(field: str) -> str | None:
        name, _, cut = field.partition("|")
        v = item.get(name)
        if isinstance(v, bool) or not isinstance(v, (str, int)) or not str(v).strip():
            return None
        text = str(v).strip()
        if cut:
            how, a, b = cut.split(":")
            start, n = int(a), int(b)
            text = text[start:start + n] if how == "substr" else text[start:n]
        return text
    first = value(key)
    if first is None:
        return None
    rest = []
    for part in re.split(r"(\{[\w|:]+\})", suffix):
        if part.startswith("{") and part.endswith("}"):
            v = value(part[1:-1])
            if v is None:
                return None
            rest.append(v)
        else:
            rest.append(part)
    return prefix + first + "".join(rest)


def detail_templates(code: str) -> list[tuple[str, str, str]]:
    """(prefix, key, suffix) of URLs a list script builds from an item's fields (its id): further
    fields of the same item are ``{key}`` placeholders in the suffix (:func:`fill_template`).

    >>> detail_templates("location.href = '/xxgk/detail.html?id=' + item.id;")
    [('/xxgk/detail.html?id=', 'id', '')]
    >>> detail_templates("url = '/xxgk/' + item.channelCode + '/' + item.id + '.html';")
    [('/xxgk/', 'channelCode', '/{id}.html')]
    """
    out = []
    inside = -1         # (a literal inside a chain read already is no template's start: '/art_' + d.id)
    for m in DETAIL_TEMPLATE.finditer(code):
        prefix = m.group(1)
        chain = _chain(code, m.end(1) + 1)
        if chain is None or m.start() < inside:
            continue
        _var, key, suffix, inside = chain
        if NOT_API.search(prefix) and not prefix.endswith(("=", "/")):
            continue
        if HASH_ROUTE.search(code[max(0, m.start() - 40):m.start()]) or re.match(r"#|/?#!?/", prefix):
            continue        # a single-page app's route (this.$router.push("/detail/" + item.id)): no URL
        keys = [key] + re.findall(r"\{([\w|:]+)\}", suffix)
        if (prefix, key, suffix) not in out and not any(
                re.search(r"page|size|count|total|length", k.split("|")[0], re.IGNORECASE) for k in keys):
            out.append((prefix, key, suffix))
    return out


JS_OBJECT = re.compile(r"\{([^{}]{3,400})\}")
JS_PAIR = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:'([^'\n]*)'|"([^"\n]*)"|(-?\d+)\b)""")


def script_nodes(html: str, page_url: str) -> list[Link]:
    """Nodes of a tree or menu kept in the page's script as object literals without a URL
    (``var zNodes = [{id: 31, pId: 3, name: "政府信息公开年报"}]``), opened by the page's own
    ``"/gkml/list.html?cid=" + node.id``: one link per node, its name as the text.

    >>> script_nodes('<script>var z = [{id: 31, name: "年报"}]; function f(e, n) { location.href = '
    ...              '"/gkml/list.html?cid=" + n.id; }</script>', "http://a.gov.cn/gkml/")[0].url
    'http://a.gov.cn/gkml/list.html?cid=31'
    """
    code = "\n".join(re.findall(r"<script\b(?![^>]*text/xml)[^>]*>(.*?)</script>", html, re.DOTALL | re.IGNORECASE))
    templates = detail_templates(code)
    if not templates:
        return []
    out: list[Link] = []
    for m in JS_OBJECT.finditer(code):
        values = {k: next(v for v in vs if v != "") if any(vs) else "" for k, *vs in JS_PAIR.findall(m.group(1))}
        title = next((values[k] for k in TITLE_KEYS if values.get(k)), "")
        if not title:
            continue
        for prefix, key, suffix in templates:
            url = fill_template(prefix, key, suffix, values)
            if url:
                out.append(Link(urljoin(page_url, url), title, "", "menu"))
                break
    return out


JS_FUNCTION = re.compile(r"function\s+(\w+)\s*\(([^)]*)\)|(\w+)\s*[=:]\s*function\s*\(([^)]*)\)")
# a call's literal arguments and, when it sits in an element, that element's text
JS_CALL_TEXT = r"(?<!function )\b{name}\s*\(([^()]*)\)[^>]*>(.*?)</"


def _argument_urls(raw: str, after: str, before: str, html: str, limit: int = 8) -> list[str]:
    """``raw`` completed with each literal argument the page passes to the enclosing function.

    Arguments whose link names the annual-report column (年报, gknb …) come first and alone when
    there are any; otherwise every call's argument, up to ``limit``.
    """
    from crawler.discovery.scoring import COLUMN, NAV_NEGATIVE, normalize
    var = re.match(r"\s*\+\s*(\w+)", after)
    if not raw.endswith("=") or var is None:
        return []
    funcs = list(JS_FUNCTION.finditer(before))
    if not funcs:
        return []
    f = funcs[-1]
    name, params = (f.group(1), f.group(2)) if f.group(1) else (f.group(3), f.group(4))
    names = [p.strip() for p in params.split(",")]
    if var.group(1) not in names:
        return []
    index = names.index(var.group(1))
    good, other = [], []
    for call in re.finditer(JS_CALL_TEXT.format(name=re.escape(name)), html, re.DOTALL):
        args = [a.strip().strip("'\"") for a in re.split(r",", call.group(1).replace("&quot;", '"'))]
        if index >= len(args) or not re.fullmatch(r"[\w\-.]+", args[index]) or args[index] in names \
                or SELF_VALUE.fullmatch(args[index]):
            continue
        text = normalize(re.sub(r"<[^>]+>", "", call.group(2)))
        arg = args[index]
        bucket = good if COLUMN.search(text) or COLUMN.search(arg) else other
        if not NAV_NEGATIVE.search(text) and arg not in good + other:
            bucket.append(arg)
    # <select onchange="loadYear(this.value)"><option value="2023">2023年</option>: a year picker
    # (or a column picker) calls the function with each option's value; tabs carrying data-year
    # call it with $(this).data("year")
    for arg, text in _select_arguments(html, name, index) + _data_arguments(html, name, index):
        bucket = good if COLUMN.search(text) or COLUMN.search(arg) else other
        if not NAV_NEGATIVE.search(text) and arg not in good + other:
            bucket.append(arg)
    return [raw + a for a in (good or other)[:limit]]


# what a select's onchange passes of itself: this.value, this.options[this.selectedIndex].value, $(this).val()
SELF_VALUE = re.compile(r"this\.value|this\.options\[\s*this\.selectedIndex\s*\]\.value|\$\(\s*this\s*\)\.val\(\s*\)")
SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.DOTALL | re.IGNORECASE)
OPTION = re.compile(r"<option\b([^>]*)>([^<]*)", re.IGNORECASE)


def _data_arguments(html: str, name: str, index: int) -> list[tuple[str, str]]:
    """(value, text) of each element carrying the data attribute a click handler passes to ``name``
    as argument ``index`` (``$("#years li").click(function () { loadYear($(this).data("year")); })``
    over ``<li data-year="2023">2023年</li>``).

    >>> _data_arguments('<ul><li data-year="2024">2024年</li><li data-year="2023">2023年</li></ul><script>'
    ...                 '$("li").click(function () { loadYear($(this).data("year")); });</script>', "loadYear", 0)
    [('2024', '2024年'), ('2023', '2023年')]
    """
    from crawler.discovery.links import DATA_READ
    from crawler.discovery.scoring import normalize

    attrs = []
    for call in re.finditer(rf"(?<![\w$.]){re.escape(name)}\s*\(((?:[^()]|\([^()]*\))*)\)", html):
        args = [a.strip() for a in re.split(r",(?![^()]*\))", call.group(1))]
        m = DATA_READ.fullmatch(args[index]) if index < len(args) else None
        if m is None:
            continue
        attr = m.group(1) or m.group(2) or m.group(3) or m.group(4)
        if m.group(1) or m.group(3):        # .data("docId") / dataset.docId read data-doc-id
            attr = re.sub(r"([A-Z])", lambda c: "-" + c.group(1).lower(), attr)
        if attr.lower() not in attrs:
            attrs.append(attr.lower())
    out: list[tuple[str, str]] = []
    for attr in attrs:
        for el in re.finditer(rf"""<(\w+)\b[^>]*?\bdata-{re.escape(attr)}\s*=\s*['"]([^'"]+)['"][^>]*>(.*?)</\1\s*>""",
                              html, re.DOTALL | re.IGNORECASE):
            value, text = html_unescape(el.group(2)).strip(), normalize(re.sub(r"<[^>]+>", "", el.group(3)))
            if re.fullmatch(r"[\w\-.]+", value) and (value, text) not in out:
                out.append((value, text))
    return out


def _select_arguments(html: str, name: str, index: int) -> list[tuple[str, str]]:
    """(value, text) of each option of a ``<select>`` whose ``onchange`` calls ``name`` with its
    own value as argument ``index`` (``onchange="loadYear(this.value)"``).

    >>> _select_arguments('<select onchange="loadYear(this.value)"><option value="2024">2024年</option>'
    ...                   '<option value="2023">2023年</option></select>', "loadYear", 0)
    [('2024', '2024年'), ('2023', '2023年')]
    """
    from crawler.discovery.scoring import normalize

    out: list[tuple[str, str]] = []
    for sel in SELECT.finditer(html):
        handler = re.search(r"""\bonchange\s*=\s*(?:"([^"]*)"|'([^']*)')""", sel.group(1), re.IGNORECASE)
        code = html_unescape(next((g for g in handler.groups() if g is not None), "")) if handler else ""
        call = re.search(rf"(?<![\w$.]){re.escape(name)}\s*\(((?:[^()]|\([^()]*\))*)\)", code)
        if call is None:
            continue
        args = [a.strip() for a in re.split(r",(?![^()]*\))", call.group(1))]
        if index >= len(args) or not SELF_VALUE.fullmatch(args[index]):
            continue
        for attrs, text in OPTION.findall(sel.group(2)):
            value = re.search(r"""\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", attrs, re.IGNORECASE)
            arg = next((g for g in value.groups() if g is not None), "") if value else text.strip()
            arg = html_unescape(arg).strip()
            if re.fullmatch(r"[\w\-.]+", arg) and (arg, normalize(text)) not in out:
                out.append((arg, normalize(text)))
    return out


# var nodeId = getQueryString("nodeId"); getUrlParam('id'); new URLSearchParams(location.search).get("id")
QUERY_READ = r"\b{var}\s*=\s*[\w$.]*(?:query|param|url|request|search)[\w$.]*\s*\(\s*(?:[\w$.]+\s*,\s*)?['\"](\w+)['\"]"


def with_query(url: str, values: dict[str, str]) -> str:
    """``url`` with each of ``values`` set as a query parameter."""
    for key, value in values.items():
        url = with_param(url, key, value)
    return url


def _resolved_urls(raw: str, after: str, resolve: Callable[[str], Any]) -> list[str]:
    """``"/api/list?channelId=" + this.$route.params.channelId`` (or a page variable): the URL
    completed with the value the page knows (not a page parameter: that one is paged)."""
    from crawler.discovery.jseval import UNKNOWN

    key = re.search(r"[?&]([\w$]+)=$", raw)
    expr = re.match(r"\s*\+\s*([\w$.]+(?:\[\s*['\"][\w$]+['\"]\s*\])?)", after)
    if key is None or expr is None or key.group(1) in PAGE_PARAMS or "page" in key.group(1).lower():
        return []
    value = resolve(expr.group(1))
    if value is UNKNOWN or value is None or isinstance(value, (list, dict, bool)) or str(value) == "":
        return []
    return [raw + quote(str(value), safe="")]


def _query_urls(raw: str, after: str, html: str, page_url: str) -> list[str]:
    """``"/api/list?nodeId=" + nodeId`` where the page reads ``nodeId`` from its own URL
    (``list.html?nodeId=1051``): the URL completed with that value."""
    var = re.match(r"\s*\+\s*([\w$]+)", after)
    key = re.search(r"[?&]([\w$]+)=$", raw)
    if var is None or key is None:
        return []
    query = dict(parse_qsl(urlsplit(page_url).query))
    read = re.search(QUERY_READ.format(var=re.escape(var.group(1))), html, re.IGNORECASE)
    value = query.get(read.group(1)) if read else None
    if value is None and (read or var.group(1) == key.group(1)):
        value = query.get(key.group(1))
    return [raw + value] if value else []


AJAX_CALL = re.compile(r"(?:axios(?:\.\w+)?|\$\.(?:get|post|ajax|getJSON)|jQuery\.\w+|fetch|request|http\.\w+)\s*\(\s*"
                       r"(?:[\w$]+\s*\+\s*)?$|url\s*:\s*(?:[\w$]+\s*\+\s*)?$")
OFFSET_KEYS = ("start", "offset", "startIndex", "startRow", "begin", "from", "skip", "firstResult", "startNum")
OFFSET_SIZE_KEYS = ("limit", "size", "rows", "pageSize", "count", "length", "num", "max", "maxResults", "perPage",
                    "pagesize")
DETAIL_PATH = re.compile(r"detail|article(?:/get|/info|/view)?/?$|content/?$|/info/?$|/view|/show|/get(?:article|content|info|"
                         r"detail)?/?$", re.IGNORECASE)
ID_KEY = re.compile(r"id|\w*Id|\w*ID|\w*_id|docid|infoid|contentid|articleid|aid|cid", re.IGNORECASE)


def _page_tail(raw: str) -> bool:
    """Whether a URL ends in a page parameter waiting for its value (``…?pageNo=``)."""
    tail = re.search(r"[?&]([\w$]+)=$", raw)
    return bool(tail) and (tail.group(1) in PAGE_PARAMS or "page" in tail.group(1).lower())


def _path_values(raw: str, rest: str, resolve: Callable[[str], Any]) -> tuple[str, str | None]:
    """A URL whose path the script completes with values it knows before its query —
    ``"/gkmlpt/api/all/" + catId + "?page=" + page`` with ``catId`` known (from the page's
    fragment, a variable): (the URL up to its next concatenated value, the script after that
    literal); ``(raw, None)`` when its path is whole, ``(raw, "")`` when a value in it is unknown
    (the URL cannot be made).

    >>> _path_values("/api/all/", ' + catId + "?page=" + page', lambda e: "2450" if e == "catId" else None)
    ('/api/all/2450?page=', ' + page')
    >>> _path_values("/api/all/", ' + catId + "?page=" + page', lambda e: UNKNOWN)
    ('/api/all/', '')
    >>> _path_values("/api/list?page=", ' + p', lambda e: UNKNOWN)
    ('/api/list?page=', None)
    """
    url, after, changed = raw, rest, False
    while "?" not in url and url.endswith(("/", "_", "-")):
        m = re.match(r"""\s*\+\s*([\w$.]+(?:\(\s*\))?)\s*\+\s*(['"])([^'"\s<>]*)\2""", after)
        if m is None:
            break
        value = resolve(m.group(1))
        if value is UNKNOWN or value is None or isinstance(value, (bool, list, dict)) \
                or not re.fullmatch(r"[\w.-]{1,60}", str(value)):
            return raw, ""
        url, after, changed = url + str(value) + m.group(3), after[m.end():], True
    return (url, after) if changed else (raw, None)


def _add_api(out: list[ApiRef], url: str, after: str, further: str, before: str = "",
             resolve: Callable[[str], Any] | None = None) -> None:
    """Read one API's paging parameter, POST data and method from the script around its URL.

    Forms met: ``$.ajax({url, type: "POST", data: {…}})``, ``$.getJSON(url + "&page=" + p)``,
    ``fetch(url, {method: "POST", body: JSON.stringify({…})})``, ``axios.post(url, {…})`` and
    ``$.post(url, {…})`` (the object right after the URL is the request's data).
    """
    pm = re.search(r"['\"][?&]?(\w+)=['\"]\s*\+", after)
    param = pm.group(1) if pm and pm.group(1) in PAGE_PARAMS or (pm and "page" in pm.group(1).lower()) \
        else None
    # $.ajax({url: "...", type: "post", data: {channelId: 12, pageNo: 1}})
    data: dict[str, Any] = {}
    dm = re.search(r"(?:data|body|params)\s*:\s*(?:JSON\.stringify\(\s*)?\{([^{}]*)\}", after + further)
    short_post = re.search(r"(axios|\$|jQuery|http|request)\.post\s*\(\s*$", before)
    # $.getJSON(url, {channelId: 21, start: offset}, fn) / $.get(url, {…}): the query's fields
    short_get = None if short_post else re.search(r"(?:\$|jQuery)\.(?:getJSON|get)\s*\(\s*$", before)
    if short_post or short_get:
        # axios.post(url, {…}) sends JSON; $.post(url, {…}) sends form fields
        dm = re.match(r"\s*,\s*(?:JSON\.stringify\(\s*)?\{([^{}]*)\}", after) or dm
    # a body with nested objects ({condition: {channelId: 7}, page: {current: 1, size: 10}}): kept
    # whole for a JSON POST, its page parameter set where it sits
    lm = (re.match(r"\s*,\s*(?:JSON\.stringify\(\s*)?(?=\{)", after) if short_post or short_get else None) or re.search(
        r"(?:data|body|params)\s*:\s*(?:JSON\.stringify\(\s*)?(?=\{)", after + further)
    literal = js_literal(after + further, lm.end()) if lm else None
    nested = literal[0] if literal and isinstance(literal[0], dict) and any(
        isinstance(v, dict) for v in literal[0].values()) else None
    if nested is not None:
        data = _known_values(nested, resolve)
        dm = None
    if dm:
        for key, value in re.findall(r"['\"]?(\w+)['\"]?\s*:\s*(['\"][^'\"]*['\"]|-?\d+|\w+)", dm.group(1)):
            if value[0] in "'\"":
                data[key] = value[1:-1]
            elif re.fullmatch(r"-?\d+", value):
                data[key] = value
            elif key in PAGE_PARAMS or "page" in key.lower():
                data[key] = "1"
        if literal and isinstance(literal[0], dict):
            # values the page computes (a variable, a form field, the time): as the page's first call
            for key, value in _known_values(literal[0], resolve).items():
                if key not in data and not isinstance(value, (dict, list)):
                    data[key] = value
    # "/api/list?channelId=5&pageNo=" + p: the URL's last parameter is filled with the page
    tail = re.search(r"[?&](\w+)=$", url)
    if param is None and tail and re.match(r"\s*\+", after) and (tail.group(1) in PAGE_PARAMS
                                                                  or "page" in tail.group(1).lower()):
        param = tail.group(1)
        url = with_param(url, param, 1)         # (the page's first call asks for page 1)
        # "…?pageNo=" + p + "&channelId=" + cid + "&pageSize=2": the URL goes on after the page
        for key, value in parse_qsl(_concatenated_query(after, resolve), keep_blank_values=True):
            url = with_param(url, key, value)
    if param is None:
        qkeys = [k for k, _ in parse_qsl(urlsplit(url).query)] + [k for k, v in data.items() if not isinstance(v, dict)]
        param = next((k for k in qkeys if k in PAGE_PARAMS), None)
    if param is None and nested is not None:
        param = next((k for k in _nested_keys(data) if k in PAGE_PARAMS), None)
    # paged by offset ({start: 0, limit: 10}: 加载更多): the offset moves by the size
    offset_size = None
    if param is None and not isinstance(nested, dict):
        key = next((k for k in data if k in OFFSET_KEYS and re.fullmatch(r"\d{1,7}", str(data[k]))), None)
        size = next((data[k] for k in data if k in OFFSET_SIZE_KEYS and re.fullmatch(r"[1-9]\d{0,3}", str(data[k]))), None)
        if key is not None and size is not None:
            param, offset_size = key, int(size)
    if not DETAIL_PATH.search(urlsplit(url).path) and resolve is not None and literal and isinstance(literal[0], dict) \
            and any(ROUTE_PARAM.search(v) and resolve(v) is UNKNOWN for v in _expressions(literal[0])):
        # {columnId: this.$route.params.id} on a route that has no :id — the view of another route
        # (an app in history mode read at "/"): not called here, but on the route that shows it
        return
    # an article API called with an id the page does not hold (a single-page app's route, a
    # variable read at run time): {params: {articleId: this.$route.params.id}}, "detail?id=" + id
    id_param = None
    if DETAIL_PATH.search(urlsplit(url).path) and not param:
        unknown = [k for k, v in (literal[0].items() if literal and isinstance(literal[0], dict) else [])
                   if isinstance(v, JsExpr) and k not in data]
        id_tail = tail.group(1) if tail and re.match(r"\s*\+", after) else None
        id_param = next((k for k in ([id_tail] if id_tail else []) + unknown if ID_KEY.fullmatch(k)), None)
        if id_param and id_tail == id_param:
            url = re.sub(r"[?&]" + re.escape(id_param) + "=$", "", url)
    post = short_post or re.search(r"(type|method)\s*:\s*['\"]post['\"]", after + further, re.IGNORECASE)
    if post:
        as_json = bool(re.search(r"JSON\.stringify|content-?type['\"]?\s*:\s*['\"]application/json",
                                 after + further, re.IGNORECASE)) or bool(short_post and short_post.group(1) != "$"
                                                                          and short_post.group(1) != "jQuery")
        if nested is not None and not as_json:
            data = {k: v for k, v in data.items() if not isinstance(v, (dict, list))}
        out.append(ApiRef(url, param, "POST", data, as_json, offset_size=offset_size))
    else:
        data = {k: v for k, v in data.items() if not isinstance(v, (dict, list))}
        for key, value in data.items():
            url = with_param(url, key, value)
        out.append(ApiRef(_jsonp_callback(url, after + further), param, id_param=id_param, offset_size=offset_size))


JSONP_NAME = "jQuery1124_1700000000000"     # (a callback name as jQuery makes one)


def _jsonp_callback(url: str, call: str) -> str:
    """A JSONP call's URL as jQuery sends it: ``callback=?`` (``jsoncallback=?`` …) with a function
    name, and ``$.ajax({dataType: "jsonp", jsonp: "cb"})`` with its callback parameter (``callback``
    unless ``jsonp:`` names another; ``jsonpCallback:`` the name) — servers that require it answer
    400 without.

    >>> _jsonp_callback("/api/l?page=1&callback=%3F", "")
    '/api/l?page=1&callback=jQuery1124_1700000000000'
    >>> _jsonp_callback("/api/l?page=1", ', dataType: "jsonp", jsonp: "jsonpCallback", success: f')
    '/api/l?page=1&jsonpCallback=jQuery1124_1700000000000'
    """
    url = re.sub(r"([?&][\w$]+=)(?:\?|%3F)(?=&|$)", lambda m: m.group(1) + JSONP_NAME, url)
    if re.search(r"dataType\s*:\s*['\"]jsonp['\"]", call, re.IGNORECASE):
        name = re.search(r"\bjsonp\s*:\s*['\"]([\w$]+)['\"]", call)
        fn = re.search(r"\bjsonpCallback\s*:\s*['\"]([\w$.]+)['\"]", call)
        param = name.group(1) if name else "callback"
        if not re.search(rf"[?&]{re.escape(param)}=", url):
            url = with_param(url, param, fn.group(1) if fn else JSONP_NAME)
    return url


CONCAT_PIECE = re.compile(r"""\s*\+\s*(?:'([^'\n]*)'|"([^"\n]*)"|([\w$.]+(?:\[\s*['"][\w$]+['"]\s*\])?(?:\(\s*\))?))""")


def _concatenated_query(after: str, resolve: Callable[[str], Any] | None) -> str:
    """The rest of a URL the script concatenates after its page number — ``+ p + "&channelId=" +
    cid + "&pageSize=2"`` → ``&channelId=77&pageSize=2`` — each value as the page computes it
    (:func:`~crawler.discovery.scriptvalues.value_resolver`); a parameter whose value the page
    cannot know is left out. "" when nothing follows.

    >>> _concatenated_query(' + p + "&channelId=" + cid + "&size=2"', lambda e: 77 if e == "cid" else None)
    '&channelId=77&size=2'
    """
    from crawler.discovery.jseval import UNKNOWN

    first = CONCAT_PIECE.match(after)
    if first is None or first.group(3) is None:
        return ""
    out, i = "", first.end()
    while (m := CONCAT_PIECE.match(after, i)) is not None:
        i = m.end()
        if m.group(3) is None:
            out += m.group(1) if m.group(1) is not None else m.group(2)
            continue
        value = resolve(m.group(3)) if resolve is not None else UNKNOWN
        if value is UNKNOWN or value is None or isinstance(value, (list, dict, bool)):
            out = re.sub(r"[?&][\w$]*=?$", "", out)       # (its key=, dropped with it)
        else:
            out += quote(str(value), safe="")
    return out if out[:1] in ("&", "?") else ""


def _whole_query(raw: str, after: str, resolve: Callable[[str], Any]) -> tuple[str, str] | None:
    """A URL whose query the script concatenates value after value — ``"…?sid=" + SID + "&catId=" +
    catId + "&page=" + page`` — completed: each value as the page computes it (one it cannot know
    drops its parameter), the page parameter 1; with the rest of the script after the chain. None
    when fewer than two values besides the page's follow (the single-value readers cover those).

    >>> _whole_query("/api/list?sid=", ' + SID + "&catId=" + catId + "&page=" + page, show)',
    ...              lambda e: {"SID": "7", "catId": "2450"}.get(e, UNKNOWN))
    ('/api/list?sid=7&catId=2450&page=1', ', show)')
    """
    url, i, values = raw, 0, 0          # (values: the non-page ones)
    while (m := CONCAT_PIECE.match(after, i)) is not None:
        if m.group(3) is None:
            text = m.group(1) if m.group(1) is not None else m.group(2)
            if not re.fullmatch(r"[&?][\w$.%=&-]*|[\w$.%-]*&[\w$.%=&-]*", text):
                break
            url += text
        else:
            key = re.search(r"[?&]([\w$]+)=$", url)
            if key is None:
                break
            if key.group(1) in PAGE_PARAMS or "page" in key.group(1).lower():
                url += "1"
            else:
                values += 1
                value = resolve(m.group(3))
                if value is UNKNOWN or value is None or isinstance(value, (list, dict, bool)) or str(value) == "":
                    url = url[:key.start() + 1] if url[key.start()] == "?" else url[:key.start()]
                else:
                    url += quote(str(value), safe="")
        i = m.end()
    if values < 2:
        return None
    url = url.replace("?&", "?")
    return url.rstrip("?&"), after[i:]


ROUTE_PARAM = re.compile(r"\$?route\.(?:params|meta)\b")


def _expressions(obj: Any) -> list[JsExpr]:
    """The computed values of a script's object literal, nested ones too."""
    if isinstance(obj, JsExpr):
        return [obj]
    if isinstance(obj, dict):
        return [e for v in obj.values() for e in _expressions(v)]
    if isinstance(obj, list):
        return [e for v in obj for e in _expressions(v)]
    return []


def with_param(url: str, key: str, value: int | str) -> str:
    """``url`` with query parameter ``key`` set to ``value`` (added or replaced)."""
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != key]
    pairs.append((key, str(value)))
    return urlunsplit(parts._replace(query=urlencode(pairs)))


def _walk(obj: Any):
    """Every dict in a JSON value, keys also available lower-cased (APIs vary in case)."""
    if isinstance(obj, dict):
        yield {**{k.lower(): v for k, v in obj.items() if isinstance(k, str)}, **obj}
        for v in obj.values():
            yield from _walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v)


def json_links(obj: Any, base_url: str, detail: list[tuple[str, str, str]] | tuple = (),
               detail_api: ApiRef | None = None) -> list[Link]:
    """Items of a JSON list: every object with a title-like and a URL-like value.

    :param detail: (prefix, key, suffix) templates of the page's script (:func:`detail_templates`)
        for items that carry only an id
    :param detail_api: the page's article API (``ApiRef.id_param``): an item with only an id and no
        template is asked for there (a single-page app whose detail is a hash route)
    """
    out = []
    for d in _walk(obj):
        url = next((d[k] for k in URL_KEYS + tuple(k.lower() for k in URL_KEYS)
                    if isinstance(d.get(k), str) and d[k].strip()), None)
        if url is None:
            url = next((v for v in d.values() if isinstance(v, str)
                        and re.match(r"(https?://|/|\./)\S+\.(s?html?|pdf|docx?|wps|xlsx?|jsp)", v)), None)
        if url is None:
            # jumpUrl, contentUrl, htmlPath …: any key that says it holds a link (not a picture)
            url = next((v for k, v in d.items() if isinstance(k, str) and isinstance(v, str)
                        and URL_LIKE_KEY.search(k) and not NOT_LINK_KEY.search(k)
                        and re.match(r"(https?://|/|\./|\.\./|[\w-]+/)\S*$", v.strip())), None)
        if url is None and any(isinstance(d.get(k), str) for k in TITLE_KEYS):
            url = next((u for pre, key, suf in detail if (u := fill_template(pre, key, suf, d))), None)
        if url is None and detail_api is not None and any(isinstance(d.get(k), str) for k in TITLE_KEYS):
            key = next((k for k in (detail_api.id_param, "id", *[k for k in d if isinstance(k, str)])
                        if k and isinstance(d.get(k), (str, int)) and not isinstance(d.get(k), bool)
                        and ID_KEY.fullmatch(k) and str(d[k]).strip()), None)
            if key is not None:
                url = detail_api.article(str(d[key]).strip())
        if not url:
            continue
        title = next((d[k] for k in TITLE_KEYS + tuple(k.lower() for k in TITLE_KEYS)
                      if isinstance(d.get(k), str) and d[k].strip()), "") or next(
            (v for k, v in d.items() if isinstance(k, str) and "title" in k.lower() and isinstance(v, str)
             and v.strip()), "")
        context = " ".join(dict.fromkeys(v for v in d.values() if isinstance(v, str) and v != url
                                         and len(v) < 200))
        out.append(Link(urljoin(base_url, url.strip()), title, context, "json"))
    return out


ARTICLE_CONTENT = re.compile(r"<(p|table|div|span|br|h\d)\b", re.IGNORECASE)


def json_articles(obj: Any, limit: int = 20) -> list[tuple[str, str]]:
    """(title, HTML content) of articles a JSON reply carries whole — a single-page detail
    (``detail.html?id=5`` whose script shows ``data.content``) or a list API that includes each
    item's text — when the title names an annual report (the parser decides the rest)."""
    from crawler.discovery.scoring import is_report_title, names_report

    out = []
    for d in _walk(obj):
        title = next((d[k] for k in TITLE_KEYS + tuple(k.lower() for k in TITLE_KEYS)
                      if isinstance(d.get(k), str) and d[k].strip()), "")
        if not title or not (is_report_title(title) or names_report(title)):
            continue
        texts = [v for k, v in d.items() if isinstance(v, str) and v is not title and len(v) >= 40
                 and ARTICLE_CONTENT.search(v)]
        if texts:
            out.append((title.strip(), max(texts, key=len)))
        if len(out) >= limit:
            break
    return out


def json_page_count(obj: Any, size_hint: int | None = None) -> int | None:
    """Number of pages a JSON list reply announces (total pages, or total ÷ page size; the size
    the request asked for, ``size_hint``, when the reply does not say it)."""
    for d in _walk(obj):
        for k in TOTAL_PAGE_KEYS + tuple(k.lower() for k in TOTAL_PAGE_KEYS):
            if isinstance(d.get(k), int) and d[k] > 0:
                return min(d[k], MAX_LIST_PAGES)
        total = next((d[k] for k in TOTAL_KEYS + tuple(k.lower() for k in TOTAL_KEYS)
                      if isinstance(d.get(k), int)), None)
        size = next((d[k] for k in SIZE_KEYS + tuple(k.lower() for k in SIZE_KEYS)
                     if isinstance(d.get(k), int) and d[k] > 0), None)
        size = size or size_hint
        if total is not None and size:
            return min(-(-total // size), MAX_LIST_PAGES)
    return None


HAS_NEXT_KEYS = ("hasNext", "hasNextPage", "hasMore", "has_more", "has_next")
LAST_PAGE_KEYS = ("isLastPage", "lastPage", "last", "isLast", "is_last")


def json_has_next(obj: Any) -> bool | None:
    """Whether a JSON list reply says more pages follow (``hasNext``, ``isLastPage`` …); None: it does not say."""
    for d in _walk(obj):
        for k in HAS_NEXT_KEYS:
            if isinstance(d.get(k), bool):
                return d[k]
        for k in LAST_PAGE_KEYS:
            if isinstance(d.get(k), bool):
                return not d[k]
    return None


# JSONP as servers wrap it: cb({…}); /**/cb({…}); (Spring, Jackson), try{cb({…})}catch(e){}, and a
# callback name the server echoes unreplaced (?({…}) from jQuery's "callback=?") or empty (({…}))
JSONP = re.compile(r"^(?:/\*.*?\*/\s*)?(?:try\s*\{\s*)?[\w$.?]*\s*\((.*)\)\s*;?\s*"
                   r"(?:\}\s*catch\s*\(\s*\w*\s*\)\s*\{[^{}]*\}\s*;?\s*)?$", re.DOTALL)


def load_json(text: str) -> Any | None:
    """JSON or JSONP (``callback({...})``, also as servers wrap it: a ``/**/`` before the name,
    ``try{…}catch(e){}`` around it, an unreplaced ``?`` or no name at all; a byte-order mark
    before it); None when it is neither.

    >>> [load_json(t) for t in ('/**/cb({"a": 1});', '?({"a": 2})', 'try{jQuery1_2({"a": 3});}catch(e){}',
    ...                          '\ufeff{"a": 4}', '<p>x</p>')]
    [{'a': 1}, {'a': 2}, {'a': 3}, {'a': 4}, None]
    """
    text = text.strip().lstrip("\ufeff").strip()
    m = JSONP.match(text) if not text.startswith(("{", "[")) else None
    if m:
        text = m.group(1)
    try:
        return json.loads(text)
    except ValueError:
        return None


def load_xml(text: str) -> Any | None:
    """A list API's XML reply (``<response><pageCount>3</pageCount><list><item><title>…</title>
    <url>…</url></item>…``) as the JSON it stands for — an element of leaves a dict, repeated
    elements a list, a leaf its text (a number's: the number) — so that :func:`json_links` and :func:`json_page_count` read
    it; None for anything else (HTML, a Hanweb datastore of CDATA records, broken XML).

    >>> load_xml('<?xml version="1.0"?><r><pages>2</pages><list><item><title>t1</title><url>/1.html</url>'
    ...          '</item><item><title>t2</title><url>/2.html</url></item></list></r>')
    {'pages': 2, 'list': {'item': [{'title': 't1', 'url': '/1.html'}, {'title': 't2', 'url': '/2.html'}]}}
    """
    from xml.etree import ElementTree

    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if not head.startswith("<") or head.startswith(("<!doctype html", "<html")) or "<datastore" in text[:2000].lower() \
            or len(text) > 5_000_000 or "<!entity" in text[:5000].lower():
        return None
    try:
        root = ElementTree.fromstring(text.lstrip("\ufeff \t\r\n").encode("utf-8"))
    except (ElementTree.ParseError, ValueError):
        return None

    def value(el: Any) -> Any:
        children = list(el)
        if not children:
            leaf = (el.text or "").strip()
            return int(leaf) if re.fullmatch(r"\d{1,9}", leaf) else leaf     # (a count, as JSON has it)
        out: dict[str, Any] = {}
        for child in children:
            tag = child.tag.rsplit("}", 1)[-1]
            v = value(child)
            if tag in out:
                out[tag] = out[tag] if isinstance(out[tag], list) else [out[tag]]
                out[tag].append(v)
            else:
                out[tag] = v
        return out

    obj = value(root)
    return obj if isinstance(obj, dict) and obj else None


# ------------------------------------------------------------------ generic pagination

# pager widgets configured by an object: kkpager (total = pages beside totalRecords, hrefFormer /
# hrefLatter, getLink), layui's laypage (count ÷ limit, jump), jqPaginator (totalPages,
# onPageChange), jQuery paging plugins (totalPage, callback)
PAGER_COUNT_KEYS = ("totalPage", "totalPages", "pageCount", "pageTotal", "totalPageNum", "pageSum", "pages")
PAGER_RECORD_KEYS = ("totalRecords", "totalRecord", "totalSize", "totalCount", "recordCount", "count", "total")
PAGER_SIZE_KEYS = ("limit", "pageSize", "perPage", "size", "items_per_page", "rows")
PAGER_CURRENT_KEYS = ("pno", "curr", "current", "currentPage", "pageNo", "pageIndex", "page", "startPage")
PAGER_FUNCTION = re.compile(r"^(?:function\s*[\w$]*\s*\(([^()]*)\)\s*\{(.*)\}|\(?([\w$,\s]*)\)?\s*=>\s*(.*))$", re.DOTALL)
PAGER_ITEM = r"\b{p}\s*\.\s*(?:curr|current|page|pageNo|pageNum|pageIndex|num|index)\b"


def _pager_number(value: Any, variables: dict[str, str]) -> int | None:
    text = str(value).strip() if value is not None and not isinstance(value, (dict, list, bool)) else ""
    text = re.sub(r"^(?:parseInt|Number)\((.*?)(?:,\s*10)?\)$", r"\1", text).strip()
    text = variables.get(text, text)
    return int(text) if re.fullmatch(r"\d{1,6}", str(text)) else None


def widget_pages(html: str, page_url: str) -> list[str]:
    """Pages of a list whose pager a widget draws from a script object: the page count it is given
    (``total: 4`` beside ``totalRecords``, ``totalPage``, ``count: 38, limit: 10``, variables
    too) and the URL of page n its functions build — kkpager's ``getLink: function (n) {…}`` or,
    without one, its default ``hrefFormer + "_" + n + hrefLatter``; laypage's ``jump: function
    (obj) { location.href = "index_" + (obj.curr - 1) + ".html" }``; a ``callback: function (num)
    {…}`` — every branch, as a ``javascript:goPage(n)`` function's.

    >>> widget_pages('<script>var tp = 3; kkpager.generPageHtml({pno: 1, total: tp, totalRecords: 25, '
    ...              'hrefFormer: "index", hrefLatter: ".html", getLink: function (n) { if (n == 1) { '
    ...              'return this.hrefFormer + this.hrefLatter; } return this.hrefFormer + "_" + (n - 1) + '
    ...              'this.hrefLatter; }});</script>', "http://a.gov.cn/nb/index.html")
    ['http://a.gov.cn/nb/index_1.html', 'http://a.gov.cn/nb/index_2.html']
    """
    from crawler.discovery.links import JS_NAV_EXPR, _branches, js_eval_concat, js_globals

    if "<script" not in html.lower():
        return []
    scripts = re.findall(r"<script\b(?![^>]*text/xml)[^>]*>(.*?)</script>", html, re.DOTALL | re.IGNORECASE)
    variables = js_globals(scripts)
    host = urlsplit(page_url).netloc
    out: list[str] = []
    for code in scripts:
        if len(code) > 300_000:
            continue
        for m in list(re.finditer(r"\(\s*(?=\{)", code))[:200]:
            got = js_literal(code, m.end())
            if got is None or not isinstance(got[0], dict):
                continue
            conf = got[0]
            count = next((n for k in PAGER_COUNT_KEYS if (n := _pager_number(conf.get(k), variables))), None)
            if count is None and any(k in conf for k in PAGER_RECORD_KEYS if k != "total") and "total" in conf:
                count = _pager_number(conf.get("total"), variables)          # kkpager: total = pages
            if count is None:
                records = next((n for k in PAGER_RECORD_KEYS if (n := _pager_number(conf.get(k), variables))), None)
                size = next((n for k in PAGER_SIZE_KEYS if (n := _pager_number(conf.get(k), variables))), None)
                if records is not None and (size or "jump" in conf):
                    count = -(-records // (size or 10))                     # (laypage's limit defaults to 10)
            if not count or count < 2:
                continue
            strings = {k: v for k, v in conf.items() if isinstance(v, str) and not isinstance(v, JsExpr)}
            builders: list[tuple[str, str]] = []            # (parameter, expression of the URL)
            for key, value in conf.items():
                fm = PAGER_FUNCTION.match(value.strip()) if isinstance(value, JsExpr) else None
                if fm is None:
                    continue
                params = [p.strip() for p in (fm.group(1) if fm.group(1) is not None else fm.group(3) or "").split(",")
                          if p.strip()]
                body = fm.group(2) if fm.group(2) is not None else "return " + (fm.group(4) or "")
                if not params:
                    continue
                exprs = [nav.group(1).strip() for nav in JS_NAV_EXPR.finditer(body)]
                if re.search(r"link|href|url", key, re.IGNORECASE):
                    exprs += [r.group(1).strip() for r in re.finditer(r"\breturn\s+([^;\n}]+)", body)]
                for expr in exprs:
                    if expr.count(")") > expr.count("("):
                        expr = expr[:expr.rfind(")")].strip()
                    expr = re.sub(r"\bthis\.([\w$]+)", lambda t: json.dumps(strings[t.group(1)], ensure_ascii=False)
                                  if t.group(1) in strings else t.group(0), expr)
                    expr = re.sub(PAGER_ITEM.format(p=re.escape(params[0])), params[0], expr)
                    builders += [(params[0], b) for b in _branches(expr)]
            if not builders and isinstance(strings.get("hrefFormer"), str):
                # kkpager's own getLink: page 1 is hrefFormer + hrefLatter, page n hrefFormer_n…
                former, latter = json.dumps(strings["hrefFormer"]), json.dumps(strings.get("hrefLatter", ""))
                builders = [("n", f'n == 1 ? {former} + {latter} : {former} + "_" + n + {latter}')]
            current = next((n for k in PAGER_CURRENT_KEYS if (n := _pager_number(conf.get(k), variables))), 1)
            for n in range(1, min(count, MAX_LIST_PAGES) + 1):
                if n == current:
                    continue
                for param, expr in builders:
                    first = re.fullmatch(rf"{re.escape(param)}\s*===?\s*1\s*\?\s*(.*?)\s*:\s*(.*)", expr, re.DOTALL)
                    if first:           # (n == 1 ? first page : page n)
                        expr = first.group(1) if n == 1 else first.group(2)
                    value = js_eval_concat(expr, {**variables, param: str(n)})
                    if not value or value.lower().startswith(("javascript:", "#")):
                        continue
                    url = urljoin(page_url, value)
                    if urlsplit(url).netloc == host and url != page_url and url not in out:
                        out.append(url)
    return out


TOTAL_PAGES_TEXT = re.compile(r"共\s*(\d{1,3})\s*页|页次[:：]?\s*\d+\s*/\s*(\d{1,3})|\d+\s*/\s*(\d{1,3})\s*页")


def generic_pages(html: str, page_url: str, links: list[Link]) -> list[str]:
    """Pages a list announces as 共N页 next to one link of its URL pattern (list_2, index_2, ?page=2).

    A list offering both (its pages ``index_N.html``, its 上一页/下一页 ``?page=N``) is walked by
    its numbered files; a ``?page=N`` relative to a numbered file (``index_2.html?page=3``) is no
    page (:func:`queried_static_page`).
    """
    m = TOTAL_PAGES_TEXT.search(re.sub(r"<[^>]+>", "", html))
    if not m:
        return []
    total = min(int(next(g for g in m.groups() if g)), MAX_LIST_PAGES)
    out: list[str] = []
    for link in links:
        pm = re.search(r"(.*?(?:index|list|default|more|page)_)(\d+)(\.s?html?)$", link.url)
        if pm:
            # TRS numbering: the first page has no number and page 2 is index_1, so a list of
            # N pages ends at index_{N-1}; when the page itself is numbered, count from 1 to N.
            first_unnumbered = not re.search(r"_\d+\.s?html?$", page_url) and pm.group(2) == "1"
            # (on a numbered page, the same numbering when the list shows both its unnumbered first
            # page and an _1: index.html, index_1.html … index_{N-1})
            shown = {link.url for link in links} | {page_url}
            trs = f"{pm.group(1)[:-1]}{pm.group(3)}" in shown and f"{pm.group(1)}1{pm.group(3)}" in shown
            last = total - 1 if first_unnumbered or trs else total
            out = [f"{pm.group(1)}{i}{pm.group(3)}" for i in range(1, last + 1)]
            break
    for link in links if not out else []:
        qm = re.search(r"[?&](" + "|".join(PAGE_PARAMS) + r")=(\d+)", link.url)
        if qm and not queried_static_page(link.url, page_url):
            out = [with_param(link.url, qm.group(1), i) for i in range(1, total + 1)]
            break
    return [u for u in out if u != page_url]


def queried_static_page(url: str, page_url: str) -> bool:
    """A pager's ``?page=N`` relative to a static numbered page (``index_2.html?page=3``): a page
    number asked of a file that has it in its name already — the same file again, not page N (the
    list's pages are ``index_N.html`` and the ``?page=`` links of its first page).

    >>> queried_static_page("http://a.gov.cn/nb/index_2.html?page=3", "http://a.gov.cn/nb/index_2.html")
    True
    >>> queried_static_page("http://a.gov.cn/nb/index.html?page=3", "http://a.gov.cn/nb/index.html")
    False
    """
    a, b = urlsplit(url), urlsplit(page_url)
    return bool(a.query) and not b.query and a.path == b.path and a.netloc == b.netloc \
        and bool(re.search(r"_\d+\.s?html?$", a.path)) \
        and all(k in PAGE_PARAMS or "page" in k.lower() for k, _ in parse_qsl(a.query, keep_blank_values=True))


def page_query_of_numbered_list(url: str, page_url: str, links: list[Link]) -> bool:
    """A pager's ``?page=N`` on the unnumbered first page of a list whose pages are numbered
    files too (``index.html?page=2`` beside ``index_1.html``): the numbered files are the list's
    pages (:func:`generic_pages` walks them); the query would ask each page a second time.

    >>> links = [Link("http://a.gov.cn/nb/index_1.html", "2", "", "a")]
    >>> page_query_of_numbered_list("http://a.gov.cn/nb/index.html?page=2", "http://a.gov.cn/nb/index.html", links)
    True
    >>> page_query_of_numbered_list("http://a.gov.cn/nb/index.html?page=2", "http://a.gov.cn/nb/index.html", [])
    False
    """
    a, b = urlsplit(url), urlsplit(page_url)
    if not a.query or b.query or a.netloc != b.netloc or a.path != b.path:
        return False
    if not all(k in PAGE_PARAMS or "page" in k.lower() for k, _ in parse_qsl(a.query, keep_blank_values=True)):
        return False
    stem = re.sub(r"\.s?html?$", "", a.path)
    if stem == a.path or re.search(r"_\d+$", stem):
        return False                    # not a static first page (a numbered one: queried_static_page)
    numbered = re.compile(re.escape(stem) + r"_\d+\.s?html?")
    return any(numbered.fullmatch(urlsplit(link.url).path) and not urlsplit(link.url).query
               and urlsplit(link.url).netloc == a.netloc for link in links)


# ------------------------------------------------------------------ articles split over pages

# what a link to another page of the same article says: 下一页, 2, 第2页, 尾页 (not 下一篇: another article)
ARTICLE_PAGE_TEXT = re.compile(r"^(下一?页|下页|上一?页|上页|首页|尾页|末页|第?\d{1,2}页?|>|>>|»|<|<<|«|next|prev)$",
                               re.IGNORECASE)
ARTICLE_PAGE_PARAMS = {p.lower() for p in PAGE_PARAMS} | {"pageno", "page_no", "curpage", "pg"}
MAX_ARTICLE_PAGES = 20


def _article_stem(url: str, strip: bool) -> tuple[str, str, str]:
    """(host, path without the extension and — when ``strip`` — a trailing ``_N``, query without page parameters)."""
    parts = urlsplit(url)
    path = re.sub(r"\.\w{2,5}$", "", parts.path)
    if strip:
        path = re.sub(r"_\d{1,3}$", "", path)
    query = "&".join(sorted(f"{k}={v}" for k, v in parse_qsl(parts.query, keep_blank_values=True)
                            if k.lower() not in ARTICLE_PAGE_PARAMS))
    return (parts.hostname or "").lower(), path, query


def article_pages(links: list[Link], page_url: str, first_url: str | None = None) -> list[str]:
    """Other pages of the article at ``page_url`` (an editor's page breaks: table 三 is often on page 2).

    A link is one when it says 下一页 / a page number / 第N页 / 尾页 and its URL is the article's own
    with a page number: ``t2024_5.html`` → ``t2024_5_1.html``, ``content.html`` → ``content_2.html``,
    ``index.html`` → ``index_1.html``, ``detail?id=5`` → ``detail?id=5&page=2``. 下一篇 (the next
    article) is not one. ``first_url``: the article's first page, when ``page_url`` is a later one.

    >>> from crawler.discovery.links import Link
    >>> article_pages([Link("http://a.gov.cn/nb/t1_9_1.html", "2"), Link("http://a.gov.cn/nb/t1_8.html", "下一篇")],
    ...               "http://a.gov.cn/nb/t1_9.html")
    ['http://a.gov.cn/nb/t1_9_1.html']
    """
    from crawler.discovery.scoring import is_document_url, normalize

    # page 1 names its pages after itself (t1_9 → t1_9_1); page 2 (t1_9_1) after their common stem
    own = {_article_stem(u, False) for u in (page_url, first_url) if u}
    if first_url and first_url != page_url or re.search(r"_1\.\w{2,5}$", urlsplit(page_url).path):
        own.add(_article_stem(page_url, True))      # (also a first page numbered 1: content_1.html)
    out: list[str] = []
    for link in links:
        url = link.url.split("#", 1)[0]
        if url in (page_url, first_url) or url in out or is_document_url(url):
            continue
        if not ARTICLE_PAGE_TEXT.match(normalize(link.text)):
            continue
        if _article_stem(url, True) in own:
            out.append(url)
    return out[:MAX_ARTICLE_PAGES]


def join_article(pages: list[str]) -> str:
    """One HTML document of an article's pages: the first page with the others' bodies appended
    (before its ``</body>``), declared UTF-8 (the caller encodes it so)."""
    def body(html: str) -> str:
        m = re.search(r"<body\b[^>]*>(.*?)(?:</body>|$)", html, re.DOTALL | re.IGNORECASE)
        return m.group(1) if m else html
    first = pages[0]
    rest = "".join(f'\n<div class="nianbao-article-page">{body(p)}</div>' for p in pages[1:])
    end = first.lower().rfind("</body>")
    joined = first[:end] + rest + first[end:] if end >= 0 else first + rest
    return re.sub(r"(<meta\b[^>]*?charset\s*=\s*['\"]?)[\w-]+", r"\1utf-8", joined, flags=re.IGNORECASE)


# ------------------------------------------------------------------ form pagination

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
ATTR = r"""\b{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""
INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
# <a href="javascript:toPage(3)">尾页</a>: a page link calling the page's function with a number
PAGE_CALL = re.compile(r"""<a\b[^>]*?(?:href|onclick)\s*=\s*['"][^'"<>]*?\w+\(\s*['"]?(\d{1,3})['"]?\s*\)[^>]*>"""
                       r"""\s*(?:<[^>]+>\s*)*(\d{1,3}|下一?页|尾页|末页|最后一?页|上一?页|首页|>>?|»)\s*<""", re.IGNORECASE)


def _attr(tag: str, name: str) -> str | None:
    m = re.search(ATTR.format(name=name), tag, re.IGNORECASE)
    return next((g for g in m.groups() if g is not None), None) if m else None


def form_pages(html: str, page_url: str) -> list[tuple[str, str, dict[str, str]]]:
    """(method, URL, fields) of the other pages of a list paged by submitting a form.

    ``<form name="pageForm" action="list.do" method="post"><input type="hidden" name="pageNo" value="1">``
    with ``toPage(3)`` links that set the field and submit: the pages are 2…N, N from 共N页 or the
    largest page number the links call. Every other field of the form is sent as it is.
    """
    out: list[tuple[str, str, dict[str, str]]] = []
    for form in FORM.finditer(html):
        fields: dict[str, str] = {}
        for tag in INPUT.findall(form.group(2)):
            name = _attr(tag, "name")
            if name and (_attr(tag, "type") or "text").lower() not in ("submit", "button", "image", "reset"):
                fields[name] = _attr(tag, "value") or ""
        param = next((k for k in fields if k in PAGE_PARAMS or k.lower() in {p.lower() for p in PAGE_PARAMS}), None)
        if param is None:
            continue
        text = re.sub(r"<[^>]+>", "", html)
        m = TOTAL_PAGES_TEXT.search(text)
        # (href="javascript:void(0)" before the onclick="changePage(2)" is no call of page 0)
        calls = [int(n) for n, _text in PAGE_CALL.findall(re.sub(r"\bvoid\s*\(\s*0\s*\)", "void", html))]
        total = int(next(g for g in m.groups() if g)) if m else max(calls, default=0)
        total = min(total, MAX_LIST_PAGES)
        current = int(fields[param]) if fields[param].isdigit() else 1
        action = urljoin(page_url, (_attr(form.group(1), "action") or "").replace("&amp;", "&") or page_url)
        method = (_attr(form.group(1), "method") or "get").upper()
        for n in range(1, total + 1):
            if n != current:
                out.append((method, action, {**fields, param: str(n)}))
    return out


# ------------------------------------------------------------------ script object literals

def _known_values(obj: dict[str, Any], resolve: Callable[[str], Any] | None = None) -> dict[str, Any]:
    """A script's object literal as the request the page sends first: page parameters page 1,
    computed values as ``resolve`` gives them (:func:`value_resolver`), dropped when unknown."""
    from crawler.discovery.jseval import UNKNOWN

    out: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(value, JsExpr):
            if key in PAGE_PARAMS or "page" in key.lower():
                out[key] = 1
            elif resolve is not None and not isinstance(got := resolve(value), list) and got is not UNKNOWN \
                    and got is not None:
                out[key] = got
        elif isinstance(value, dict):
            out[key] = _known_values(value, resolve)
        elif value is not None:
            out[key] = value
    return out


def _nested_keys(obj: Any) -> list[str]:
    """The keys of an object's plain values, nested objects' too, breadth first."""
    if not isinstance(obj, dict):
        return []
    return [k for k, v in obj.items() if not isinstance(v, dict)] + [
        k for v in obj.values() if isinstance(v, dict) for k in _nested_keys(v)]


def _nested_get(obj: Any, key: str) -> Any:
    if not isinstance(obj, dict):
        return None
    if key in obj and not isinstance(obj[key], dict):
        return obj[key]
    return next((v for v in (_nested_get(x, key) for x in obj.values()) if v is not None), None)


def _nested_set(obj: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """A copy of ``obj`` with the first ``key`` found (breadth first) set to ``value``."""
    if key in obj and not isinstance(obj[key], dict):
        return {**obj, key: value}
    for k, v in obj.items():
        if isinstance(v, dict) and _nested_get(v, key) is not None:
            return {**obj, k: _nested_set(v, key, value)}
    return obj
