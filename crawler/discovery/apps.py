"""Single-page apps: a portal column that is only an app's shell (``<div id="app"></div>``) and a
bundle of script, whose lists come from APIs named in the bundle and whose pages are hash routes.

Pure functions over a page's text; :mod:`crawler.discovery.lists` reads the APIs (its
``json_apis`` takes the route a page was opened with), the spider fetches the bundles.

    >>> app_scripts('<div id="app"></div><script src="/js/chunk-vendors.js"></script>'
    ...             '<script src="/js/app.3f2a.js"></script>', "http://a.gov.cn/zwgk/")
    ['http://a.gov.cn/js/app.3f2a.js']
    >>> route = hash_route("http://a.gov.cn/zwgk/#/col/301?page=2")
    >>> route, route_key(route)
    ('/col/301?page=2', '/col/301')
    >>> route_values(route, 'routes: [{path: "/col/:channelId", component: List}]')
    {'query': {'page': '2'}, 'params': {'channelId': '301'}}
"""

from __future__ import annotations

import re
from html import unescape as html_unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

# what comes before a string that is a route, not an API URL: ``this.$router.push("/detail/" + id)``,
# ``location.hash = …``; a route table's ``{path: "/nb/list", component: …}``
HASH_ROUTE = re.compile(r"(?:router|\$router)\s*\.\s*(?:push|replace)\s*\(\s*(?:\{\s*path\s*:\s*)?$|location\.hash\s*=\s*$|"
                        r"navigate\s*\(\s*$")
ROUTE_PATH = re.compile(r"\bpath\s*:\s*$|redirect\s*:\s*$")


def hash_route(url: str) -> str | None:
    """The route of a single-page app's hash URL (``/zwgk/#/col/301?page=2`` → ``/col/301?page=2``;
    ``#!/…`` too), None for a plain fragment (``#top``)."""
    fragment = urlsplit(url).fragment
    m = re.match(r"!?(/[^#\s]*)$", fragment)
    return m.group(1) if m else None


def history_route(url: str) -> str:
    """The route of an app in history mode, whose routes are plain paths the server answers with the
    shell (``/column/31?page=2`` → ``/column/31?page=2``): the page URL's path and query.

    >>> history_route("http://a.gov.cn/column/31?page=2")
    '/column/31?page=2'
    """
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def route_key(route: str) -> str:
    """A hash route without its page number (``/list?page=2&cid=5`` → ``/list?cid=5``): the routes
    worth one visit of the app's shell each."""
    from crawler.discovery.lists import PAGE_PARAMS

    path, _, query = route.partition("?")
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
             if k not in PAGE_PARAMS and "page" not in k.lower()]
    return path + ("?" + urlencode(pairs) if pairs else "")


def route_table(code: str) -> list[tuple[str, dict]]:
    """The routes of an app's route table: (path, the route object as :func:`js_literal` reads it —
    ``meta``, ``name`` …) for each ``{path: "/nb", component: List, meta: {channelId: 31}}``.

    >>> route_table('routes: [{ path: "/nb", component: L, meta: { title: "年报", cid: 31 } }]')
    [('/nb', {'path': '/nb', 'component': 'L', 'meta': {'title': '年报', 'cid': 31}})]
    """
    from crawler.discovery.scriptvalues import js_literal

    out = []
    for m in re.finditer(r"""\bpath\s*:\s*['"](/[^'"\s]*)['"]""", code):
        # the object the path is a key of: the nearest "{" before it that is still open
        depth, i = 0, m.start() - 1
        while i >= 0 and m.start() - i < 2000:
            c = code[i]
            if c == "}":
                depth += 1
            elif c == "{":
                if depth == 0:
                    break
                depth -= 1
            i -= 1
        got = js_literal(code, i) if i >= 0 and code[i] == "{" else None
        if got is not None and isinstance(got[0], dict) and got[0].get("path") == m.group(1):
            out.append((m.group(1), got[0]))
    return out


def route_values(route: str | None, code: str) -> dict[str, dict[str, str]]:
    """What an app's script reads from its route: ``query`` (``#/list?page=2&cid=5``), ``params`` —
    the route matched against the script's route table (``{path: "/col/:channelId"}``) — and the
    matched route's ``meta`` (``{path: "/nb", meta: {channelId: 31}}``: ``this.$route.meta.channelId``),
    when it has one."""
    if not route:
        return {}
    path, _, query = route.partition("?")
    params: dict[str, str] = {}
    meta: dict[str, str] = {}
    here = path.rstrip("/") or "/"
    for pattern, obj in route_table(code):
        names = re.findall(r":([\w$]+)", pattern)
        rx = re.sub(r":[\w$]+(\\\?)?", lambda m: "([^/]*)" if m.group(1) else "([^/]+)", re.escape(pattern))
        m = re.fullmatch(rx, here) if names else None
        if m or (not names and (pattern.rstrip("/") or "/") == here):
            params = {k: v for k, v in zip(names, m.groups(), strict=False) if v} if m else {}
            if isinstance(obj.get("meta"), dict):
                from crawler.discovery.scriptvalues import JsExpr
                meta = {k: str(v) for k, v in obj["meta"].items()
                        if v is not None and not isinstance(v, (JsExpr, dict, list, bool))}
            break
    out = {"query": dict(parse_qsl(query)), "params": params}
    if meta:
        out["meta"] = meta
    return out


def route_links(code: str, shell_url: str) -> list[tuple[str, str]]:
    """(URL, title) of an app's routes that carry a title of their own (``{path: "/gknb", meta:
    {title: "政府信息公开年报"}}``, a ``name``) and no parameter: the app's menu when the menu is
    drawn from its route table. Hash mode: ``shell#/gknb``; history mode (``mode: "history"``,
    ``createWebHistory``): the path on the shell's host.

    >>> route_links('new VueRouter({routes: [{path: "/gknb", component: L, meta: {title: "年报"}}]})',
    ...             "http://a.gov.cn/index.html")
    [('http://a.gov.cn/index.html#/gknb', '年报')]
    """
    history = bool(re.search(r"""mode\s*:\s*['"]history['"]|createWebHistory|BrowserRouter""", code))
    base = shell_url.split("#", 1)[0]
    out = []
    for path, obj in route_table(code):
        meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
        title = next((v for v in (meta.get("title"), meta.get("name"), obj.get("title"), obj.get("name"))
                      if isinstance(v, str) and re.search(r"[\u4e00-\u9fff]", v)), None)
        if title is None or ":" in path or "*" in path:
            continue
        url = urljoin(base, path) if history else f"{base}#{path}"
        if (url, title) not in out:
            out.append((url, title))
    return out


MAX_APP_SCRIPT = 3_000_000        # bytes of a bundled script read
LIBRARY_SCRIPT = re.compile(
    r"jquery|zepto|vue(?:\.runtime)?(?:\.global)?(?:\.min)?\.js|vue-router|vuex|react|angular(?:\.min)?\.js|axios|"
    r"element|vendor|polyfill|runtime|manifest|echarts|swiper|layui|layer|bootstrap|lodash|moment|dayjs|"
    r"require|sea\.js|hm\.js|cnzz|stat|jiathis|share|baidu|jweixin|pdf|viewer|wza|aria|barrier|accessib|"
    r"chunk-(?:vendors|common|libs)", re.IGNORECASE)
MOUNT_POINT = re.compile(r"""<div\b[^>]*\bid\s*=\s*['"](?:app|root|main-app|vue-app|application)['"][^>]*>\s*</div>""",
                         re.IGNORECASE)


def app_scripts(html: str, page_url: str, limit: int = 4) -> list[str]:
    """The bundled scripts of a single-page app's shell page: an empty mount point
    (``<div id="app"></div>``) or next to no visible text, few links, and no list of its own;
    its ``<script src>`` of the same host that are no known library (vendor chunks, jQuery, Vue,
    statistics, accessibility tools). [] for any other page."""
    if "<script" not in html.lower() or "<datastore" in html.lower():
        return []       # (a Hanweb column keeps its list in a script's datastore: read as such, no app)
    visible = re.sub(r"<(script|style|noscript|template)\b.*?</\1>|<!--.*?-->|<[^>]+>|\s+|&nbsp;", "", html,
                     flags=re.DOTALL | re.IGNORECASE)
    anchors = len(re.findall(r"<a\b[^>]*\bhref", html, re.IGNORECASE))
    if not (MOUNT_POINT.search(html) or len(visible) < 200) or anchors > 15:
        return []
    host = urlsplit(page_url).netloc.lower()
    out = []
    for src in re.findall(r"""<script\b[^>]*?\bsrc\s*=\s*['"]([^'"]+)['"]""", html, re.IGNORECASE):
        url = urljoin(page_url, html_unescape(src).strip())
        parts = urlsplit(url)
        name = parts.path.rsplit("/", 1)[-1]
        if parts.netloc.lower() != host or not name.lower().endswith(".js") or LIBRARY_SCRIPT.search(name):
            continue
        if url not in out:
            out.append(url)
    return out[:limit]
