"""Anti-bot gateway challenges (加速乐-like): the cookie a challenge page's script sets before
reloading, and the request asked again with it — for pages (the spider) and for robots.txt
(``crawler.middlewares.RobotsServerErrorGuard``) alike.

    >>> cookie_challenge('<script>document.cookie = "t=ab1; path=/"; location.reload();</script>')
    {'t': 'ab1'}
"""

from __future__ import annotations

import re

from scrapy import Request

MAX_CHALLENGES = 3          # script challenges answered per request (a gateway's stages)
COOKIE_SET = re.compile(r"document\.cookie\s*=\s*([^;\n]+(?:;(?!\s*(?:location|window|setTimeout|document))[^;\n]*)*)")
# The download's own keys in a request's meta (latency, slot, the proxy the middleware set):
# set again for the request asked anew.
_DOWNLOAD_KEYS = ("download_latency", "download_slot", "_scheme_proxy", "proxy")


def cookie_challenge(text: str) -> dict[str, str] | None:
    """The cookie a script challenge page sets before reloading itself (anti-bot gateways such as
    加速乐: ``<script>document.cookie=('__jsl_clearance')+('=1700000000|0|abc')+';path=/';
    location.href=location.pathname+location.search</script>``, with status 521 or 200): the
    cookie when the script's straight-line statements compute it (``crawler.discovery.jseval``:
    arithmetic, strings, arrays, ``String.fromCharCode`` …), else None."""
    if len(text) > 20_000 or "document.cookie" not in text or "location" not in text:
        return None
    body = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>|\s+", "", text, flags=re.DOTALL | re.IGNORECASE)
    if len(body) > 200:
        return None                  # a page with content of its own, not a challenge
    from crawler.discovery.jseval import script_cookie
    from crawler.discovery.links import js_eval_concat
    # a cookie the script computes (arithmetic, concatenation through variables, fromCharCode,
    # an array's join): its straight-line statements run by a tiny evaluator, nothing else
    for code in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.DOTALL | re.IGNORECASE):
        cookie = _cookie_pair(script_cookie(code) if "document.cookie" in code else None)
        if cookie:
            return cookie
    for m in COOKIE_SET.finditer(text):
        expr = re.sub(r"\(\s*('[^']*'|\"[^\"]*\")\s*\)", r"\1", m.group(1).strip())
        cookie = _cookie_pair(js_eval_concat(expr, {}))
        if cookie:
            return cookie
    return None


def _cookie_pair(value: str | None) -> dict[str, str] | None:
    """``name=value; path=/`` → {name: value}; None when it names no cookie."""
    if not value or "=" not in value.split(";", 1)[0]:
        return None
    name, _, cookie = value.split(";", 1)[0].partition("=")
    return {name.strip(): cookie.strip()} if name.strip() else None


def challenge_retry(request: Request | None, text: str) -> Request | None:
    """The request again with the cookie a script challenge sets; None when the page is no
    such challenge. The cookie middleware keeps it for the host's later requests. A gateway may
    challenge in stages (a first cookie, then a second computed one): up to
    :data:`MAX_CHALLENGES` per request, each with a cookie not sent already (no loop)."""
    if request is None or int(request.meta.get("challenged", 0)) >= MAX_CHALLENGES:
        return None
    cookie = cookie_challenge(text)
    sent = request.cookies if isinstance(request.cookies, dict) else {}
    if cookie is None or all(sent.get(k) == v for k, v in cookie.items()):
        return None
    meta = {k: v for k, v in request.meta.items() if k not in _DOWNLOAD_KEYS}
    return request.replace(cookies={**sent, **cookie}, dont_filter=True,
                           meta={**meta, "challenged": int(meta.get("challenged", 0)) + 1})
