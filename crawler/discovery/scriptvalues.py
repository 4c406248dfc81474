"""What a page's script gives a request: the object literal it posts (``{channelId: 5, page:
{current: 1}}``) and the value of each computed field — a page variable, a form element's value,
the time, the hash route's parameters — as the page would compute it when it runs.

    >>> body, _end = js_literal('{channelId: cid, page: {current: 1}, t: new Date().getTime()}', 0)
    >>> body["page"], body["channelId"]
    ({'current': 1}, 'cid')
    >>> resolve = value_resolver('<input id="cid" value="21">', {"siteId": "7"})
    >>> from crawler.discovery.jseval import UNKNOWN
    >>> resolve('$("#cid").val()'), resolve("siteId * 2"), resolve("unknownThing") is UNKNOWN
    ('21', 14, True)
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

DOM_VALUE = re.compile(
    r"""(?:\$|jQuery)\(\s*['"](?:#([\w-]+)|(?:input|select|textarea)?\[\s*name\s*=\s*['"]?([\w$-]+)['"]?\s*\])['"]\s*\)"""
    r"""\s*\.\s*(?:val\(\s*\)|attr\(\s*['"]value['"]\s*\))"""
    r"""|document\.(?:getElementById\(\s*['"]([\w-]+)['"]\s*\)|querySelector\(\s*['"]#([\w-]+)['"]\s*\))\.value"""
    r"""|document\.getElementsByName\(\s*['"]([\w$-]+)['"]\s*\)\[0\]\.value""")
NOW = re.compile(r"\(?\s*new\s+Date\s*(?:\(\s*\))?\s*\)?\s*\.\s*(?:getTime|valueOf)\s*\(\s*\)|Date\.now\s*\(\s*\)|"
                 r"\+\s*new\s+Date\s*(?:\(\s*\))?|Date\.parse\(\s*new\s+Date\s*(?:\(\s*\))?\s*\)")


# location.hash and its usual cuts of the "#": .substr(1), .substring(1), .slice(1), .replace("#", "")
LOCATION_HASH = re.compile(r"""(?:window\.|document\.)?location\.hash((?:\.(?:substr|substring|slice)\(\s*1\s*\)|"""
                           r"""\.replace\(\s*(?:/\^?#/|['"]#['"])\s*,\s*['"]['"]\s*\)|\.split\(\s*['"]#['"]\s*\)\[\s*1\s*\]))?""")
ROUTE_READ = re.compile(r"(?:(?:this|vm|that|self|_this)\.)?\$?route\.(query|params|meta)(?:\.([\w$]+)|\[\s*['\"]([\w$]+)['\"]\s*\])")


def value_resolver(html: str, variables: dict[str, str],
                   route: dict[str, dict[str, str]] | None = None) -> Callable[[str], Any]:
    """A function giving the value a script expression has when the page runs it — for the
    fields of a list API's request: a page variable (``siteId`` after ``var siteId = "js01"``), a
    form element's value (``$("#columnId").val()``, ``document.getElementById("cid").value``),
    the time (``new Date().getTime()``, ``Date.now()``: milliseconds now), and arithmetic or
    concatenation of these (:mod:`crawler.discovery.jseval`), a value of the hash route the page
    was opened with (``this.$route.params.channelId``, ``$route.query.cid``: ``route``);
    :data:`jseval.UNKNOWN` otherwise."""
    from crawler.discovery.jseval import UNKNOWN, js_value

    env: dict[str, Any] = {k: int(v) if re.fullmatch(r"-?\d{1,15}", v) else v for k, v in variables.items()}
    doc = None

    def element_value(ident: str | None, name: str | None) -> str | None:
        nonlocal doc
        if doc is None:
            from crawler.discovery.links import parse_html
            doc = parse_html(html)
            if doc is None:
                return None
        found = doc.xpath("//*[@id=$v]", v=ident) if ident else doc.xpath("//*[@name=$v]", v=name)
        if not found:
            return None
        el = found[0]
        if el.tag == "select":
            chosen = el.xpath(".//option[@selected]") or el.xpath(".//option")[:1]
            return chosen[0].get("value", chosen[0].text_content().strip()) if chosen else None
        if el.tag == "textarea":
            return el.text_content()
        return el.get("value")

    def resolve(expr: str) -> Any:
        failed = False

        def dom(m: re.Match) -> str:
            nonlocal failed
            value = element_value(m.group(1) or m.group(3) or m.group(4), m.group(2) or m.group(5))
            failed = failed or value is None
            return json.dumps(value or "")
        def routed(m: re.Match) -> str:
            nonlocal failed
            value = (route or {}).get(m.group(1), {}).get(m.group(2) or m.group(3))
            failed = failed or value is None
            return json.dumps(int(value) if value and re.fullmatch(r"-?\d{1,15}", value) else value or "")
        text = ROUTE_READ.sub(routed, expr)
        if (route or {}).get("hash") and LOCATION_HASH.search(text):
            # a column id the page keeps in its URL's fragment (/gkmlpt/index#2450)
            value = route["hash"]["value"]
            text = LOCATION_HASH.sub(lambda m: json.dumps(value if m.group(1) else "#" + value), text)
        text = DOM_VALUE.sub(dom, text)
        text = NOW.sub(str(int(time.time() * 1000)), text)
        text = re.sub(r"\b(?:window\.)([\w$]+)", r"\1", text)
        text = re.sub(r"^(?:parseInt|Number|String|encodeURIComponent|\$\.trim)\((.*)\)$", r"\1", text.strip())
        if failed:
            return UNKNOWN
        return js_value(text, env)
    return resolve


class JsExpr(str):
    """A value a script computes (a variable, a call): not known before it runs."""


def js_literal(code: str, i: int) -> tuple[Any, int] | None:
    """The JS object or array literal starting at ``code[i]`` (``{channelId: 5, page: {current: 1}}``)
    as Python values, and the index after it; values the script computes are :class:`JsExpr`.
    None when it is no literal."""
    n = len(code)

    def ws(j: int) -> int:
        while j < n and code[j] in " \t\r\n":
            j += 1
        return j

    def string(j: int) -> tuple[str, int] | None:
        q, j, out = code[j], j + 1, []
        while j < n and code[j] != q:
            if code[j] == "\\" and j + 1 < n:
                j += 1
            out.append(code[j])
            j += 1
        return ("".join(out), j + 1) if j < n else None

    def value(j: int, depth: int) -> tuple[Any, int] | None:
        j = ws(j)
        if j >= n or depth > 8:
            return None
        c = code[j]
        if c in "'\"":
            return string(j)
        if c == "{":
            obj, j = {}, ws(j + 1)
            while j < n and code[j] != "}":
                m = re.compile(r"([\w$]+)\s*:").match(code, j)
                if m:
                    key, j = m.group(1), m.end()
                elif code[j] in "'\"":
                    got = string(j)
                    if got is None:
                        return None
                    key, j = got
                    j = ws(j)
                    if j >= n or code[j] != ":":
                        return None
                    j += 1
                else:
                    return None
                got = value(j, depth + 1)
                if got is None:
                    return None
                obj[key], j = got
                j = ws(j)
                if j < n and code[j] == ",":
                    j = ws(j + 1)
            return (obj, j + 1) if j < n else None
        if c == "[":
            arr, j = [], ws(j + 1)
            while j < n and code[j] != "]":
                got = value(j, depth + 1)
                if got is None:
                    return None
                item, j = got
                arr.append(item)
                j = ws(j)
                if j < n and code[j] == ",":
                    j = ws(j + 1)
            return (arr, j + 1) if j < n else None
        m = re.compile(r"-?\d+(?:\.\d+)?(?![\w$.])|true\b|false\b|null\b").match(code, j)
        if m:
            text = m.group(0)
            number = float(text) if "." in text else int(text) if text[0] in "-0123456789" else None
            return ({"true": True, "false": False, "null": None}.get(text, number), m.end())
        # an expression: up to the next , } ] outside brackets and strings
        start, level = j, 0
        while j < n:
            c = code[j]
            if c in "'\"`":
                got = string(j)
                if got is None:
                    return None
                j = got[1]
                continue
            if c in "([{":
                level += 1
            elif c in ")]}":
                if level == 0:
                    break
                level -= 1
            elif c == "," and level == 0:
                break
            j += 1
        text = code[start:j].strip()
        return (JsExpr(text), j) if text else None

    return value(i, 0) if i < n and code[i] in "{[" else None


# what a request's data may be, named instead of written out: ``params: query``, ``data: param``,
# ``body: JSON.stringify(this.queryParams)``, ``$.post(url, param)``
NAMED_DATA = re.compile(r"""((?:\bdata|\bbody|\bparams)\s*:\s*(?:JSON\.stringify\(\s*)?|^\s*,\s*(?:JSON\.stringify\(\s*)?)"""
                        r"""((?:(?:this|that|vm|self|_this)\.)?[\w$]+(?:\.[\w$]+)*)(?=\s*[,)}\n])""")
FUNCTION_HEAD = re.compile(
    r"""(?:\bfunction\s*([\w$]*)\s*\(([^()]*)\)\s*\{"""                          # function f(query) {
    r"""|([\w$]+)\s*[:=]\s*(?:async\s+)?function\s*\(([^()]*)\)\s*\{"""          # f: function (query) {
    r"""|([\w$]+)\s*=\s*(?:async\s+)?\(?([\w$,\s]*)\)?\s*=>"""                   # const f = (query) =>
    r"""|(?<![\w$.])(?!if\b|for\b|while\b|switch\b|catch\b|with\b)([\w$]+)\s*\(([\w$,\s]*)\)\s*\{)""")  # f(query) {
NOT_DATA_NAME = {"true", "false", "null", "undefined", "this", "function", "new", "res", "data", "e", "err"}


def _object_source(name: str, code: str, pos: int) -> str | None:
    """The source text of the object literal the script gives ``name``: ``var param = {…}``,
    ``this.queryParams = {…}``, or a property ``queryParams: {…}`` (a component's ``data()``) — the
    definition nearest before ``pos``, else the first after it."""
    key = re.escape(name)
    found = [m for m in re.finditer(rf"""(?:(?:var|let|const)\s+{key}|(?<![\w$]){key}|['"]{key}['"])\s*[:=]\s*(?=\{{)""",
                                    code)]
    if not found:
        return None
    before = [m for m in found if m.end() <= pos]
    m = before[-1] if before else found[0]
    got = js_literal(code, m.end())
    if got is None or not isinstance(got[0], dict):
        return None
    return code[m.end():got[1]]


def call_end(code: str, i: int, limit: int, argument: bool = False) -> int | None:
    """Where the call around ``code[i]`` ends: the first ``)`` it does not open itself (strings
    skipped) — with ``argument``, also a top-level ``,`` or any closing bracket, so the first
    argument ends there — within ``limit`` characters; None when none is found.

        >>> code = 'f(a, {b: "),"}); g()'
        >>> code[2:call_end(code, 2, 100)], code[2:call_end(code, 2, 100, argument=True)]
        ('a, {b: "),"}', 'a')
    """
    depth, j, end = 0, i, min(len(code), i + limit)
    while j < end:
        c = code[j]
        if c in "'\"`":
            k = j + 1
            while k < end and code[k] != c:
                k += 2 if code[k] == "\\" else 1
            j = k + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0 and (argument or c == ")"):
                return j
            depth = max(depth - 1, 0)
        elif c == "," and depth == 0 and argument:
            return j
        j += 1
    return None


def _call_argument(code: str, i: int) -> str | None:
    """The first argument of the call whose ``(`` is at ``code[i - 1]`` (up to a top-level ``,``/``)``)."""
    j = call_end(code, i, 2000, argument=True)
    return None if j is None else code[i:j].strip()


def named_object(expr: str, code: str, pos: int, depth: int = 0) -> str | None:
    """The object literal (source text) a request's data names instead of writing it out, as the
    page's script gives it: a variable (``var param = {siteId: 5, pageIndex: 1}``), a component's
    data (``this.queryParams`` with ``queryParams: {columnId: "gknb", pageNum: 1}`` in ``data()``),
    or a parameter of the function around ``pos`` (``function listArticle(query) {… params:
    query}``) that the script's calls fill (``listArticle(this.queryParams)``, ``listArticle({…})``).
    None when the script gives no literal.

    >>> code = 'var p = {cid: 5, page: 1}; function load(q) { $.get("/api/l", {params: q}); } load(p);'
    >>> named_object("q", code, code.index("/api/l"))
    '{cid: 5, page: 1}'
    """
    if depth > 2 or not expr:
        return None
    if expr.startswith("{"):
        got = js_literal(expr, 0)
        return expr[:got[1]] if got and isinstance(got[0], dict) else None
    name = expr.rsplit(".", 1)[-1]
    if not re.fullmatch(r"[\w$]+", name) or name in NOT_DATA_NAME:
        return None
    if "." not in expr:
        # a parameter of the function the request sits in: what the function's callers pass
        head = None
        for m in FUNCTION_HEAD.finditer(code, max(0, pos - 3000), pos):
            params = [p.strip() for p in (m.group(2) or m.group(4) or m.group(6) or m.group(8) or "").split(",")]
            if name in params:
                head = (m.group(1) or m.group(3) or m.group(5) or m.group(7) or "", params.index(name))
        if head is not None:
            fname, index = head
            if index != 0 or not fname:
                return None
            for call in re.finditer(rf"(?<![\w$])(?<!function ){re.escape(fname)}\s*\(", code):
                arg = _call_argument(code, call.end())
                if arg and arg != name:
                    got = named_object(arg, code, call.start(), depth + 1)
                    if got:
                        return got
            return None
    return _object_source(name, code, pos)


def inline_named_data(window: str, code: str, pos: int) -> str:
    """``window`` (the script after an API's URL, to the end of its call) with request data the
    script names — ``params: query``, ``data: param``, ``body: JSON.stringify(this.queryParams)``,
    ``$.post(url, param)`` — replaced by the object literal it stands for (:func:`named_object`),
    so the call reads as if written out."""
    def put(m: re.Match) -> str:
        source = named_object(m.group(2), code, pos)
        return m.group(1) + source if source else m.group(0)
    return NAMED_DATA.sub(put, window, count=2)
