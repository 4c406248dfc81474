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


def route_values(route: str | None, code: str) -> dict[str, dict[str, str]]:
    """What an app's script reads from its route: ``query`` (``#/list?page=2&cid=5``) and
    ``params`` — the route matched against the script's route table (``{path: "/col/:channelId"}``)."""
    if not route:
        return {}
    path, _, query = route.partition("?")
    params: dict[str, str] = {}
    for pattern in re.findall(r"""\bpath\s*:\s*['"](/[^'"\s]*:[^'"\s]*)['"]""", code):
        names = re.findall(r":([\w$]+)", pattern)
        rx = re.sub(r":[\w$]+(\\\?)?", lambda m: "([^/]*)" if m.group(1) else "([^/]+)", re.escape(pattern))
        m = re.fullmatch(rx, path.rstrip("/") or "/")
        if m:
            params = {k: v for k, v in zip(names, m.groups(), strict=False) if v}
            break
    return {"query": dict(parse_qsl(query)), "params": params}


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
    if "<script" not in html.lower():
        return []
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
