"""Every link a government page offers, with the text that says what it is.

Besides ``<a href>``: ``javascript:`` URLs and ``onclick`` handlers (``window.open('…')``,
``location.href='…'``), links written by scripts (``document.write('<a href=…>')``, quoted file
paths), frames, jump menus (``<option value>``). A link whose own text is only 查看 / 详情 / 更多
gets the text of its row or block as ``context``.

    >>> html = "<ul><li><span>某县2023年政府信息公开工作年度报告</span><a href='a.html'>查看</a></li></ul>"
    >>> [(l.url, l.context) for l in extract_links(html, "http://x.gov.cn/nb/")]
    [('http://x.gov.cn/nb/a.html', '某县2023年政府信息公开工作年度报告查看')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin

import lxml.html
from lxml import etree

from crawler.discovery.scoring import is_document_url, needs_context, normalize

JS_URL = re.compile(
    r"""(?:window\.open|location(?:\.href)?\s*=|location\.assign|location\.replace|open\w*|go\w*|view\w*|"""
    r"""down\w*|show\w*)\s*\(?\s*['"]([^'"]+)['"]""", re.IGNORECASE)
QUOTED_PATH = re.compile(
    r"""['"]((?:https?://|\.{0,2}/)[^'"\s<>]+?\.(?:s?html?|jsp|pdf|docx?|wps|xlsx?|et|txt|ofd)(?:\?[^'"\s<>]*)?)['"]""",
    re.IGNORECASE)
# {name: "政府信息公开年报", url: "/xxgk/nb/"} in menu trees (zTree …), either order.
SCRIPT_PAIR = re.compile(
    r"""['"]?(?:name|title|text|label)['"]?\s*:\s*['"]([^'"]{2,80})['"][^{}]{0,200}?['"]?(?:url|href|link|"""
    r"""path)['"]?\s*:\s*['"]([^'"\s]+)['"]"""
    r"""|['"]?(?:url|href|link|path)['"]?\s*:\s*['"]([^'"\s]+)['"][^{}]{0,200}?['"]?(?:name|title|text|"""
    r"""label)['"]?\s*:\s*['"]([^'"]{2,80})['"]""", re.IGNORECASE)
# (not "list_" + n + ".html": a URL built from a function's argument, see js_functions)
SCRIPT_REDIRECT = re.compile(
    r"""(?:location(?:\.href)?\s*=|location\.(?:replace|assign)\s*\()\s*['"]([^'"]+)['"](?!\s*\+)""")
SCRIPT_ANCHOR = re.compile(r"""<a\b[^>]*?href\s*=\s*\\?['"]([^'"\\]+)\\?['"][^>]*>(.*?)</a>""", re.IGNORECASE | re.DOTALL)
TAGS = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"\{[\w$]*\}|\$\{|#\w+#|%[sd]|\[page\]", re.IGNORECASE)
CONTEXT_TAGS = ("li", "tr", "dd", "dt", "p", "td", "div", "section", "article")
DATA_LINK_ATTRS = ("data-href", "data-link", "data-url", "data-src-url", "data-detail", "lay-href", "href-url")


@dataclass
class Link:
    """One link: absolute URL, its own text (+title/alt), surrounding text, and where it came from."""

    url: str
    text: str
    context: str = ""
    source: str = "a"


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """Parse a page leniently (None when there is nothing to parse)."""
    text = text.strip() if text else ""
    if not text:
        return None
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None


def _own_text(el: lxml.html.HtmlElement) -> str:
    parts = [el.text_content() or "", el.get("title") or ""]
    parts += [img.get("alt") or img.get("title") or "" for img in el.iter("img")]
    return " ".join(p.strip() for p in parts if p and p.strip())


def _context(el: lxml.html.HtmlElement, own: str) -> str:
    """Text of the nearest row/block around a link with a generic text (bounded length)."""
    node = el.getparent()
    for _ in range(4):
        if node is None:
            break
        if node.tag in CONTEXT_TAGS:
            text = normalize(node.text_content())
            # (a cell holding only the row's links — PDF版 | Word版 — says nothing either: its row does)
            generic = sum(len(normalize(a.text_content())) for a in node.iter("a") if needs_context(a.text_content()))
            if len(text) > len(normalize(own)) + 3 and len(text) - generic > 3:
                return text[:200]
        node = node.getparent()
    return ""


YEAR_ONLY = re.compile(r"(?:19|20)\d{2}(?:年度?)?")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "caption", "legend")
HEADING_CLASS = re.compile(r"(?:^|[\s_-])(?:title|tit|hd|head|header|bt|lmmc|column)(?:[\s_-]|$)", re.IGNORECASE)


def _heading(el: lxml.html.HtmlElement) -> str:
    """The heading of the box a link sits in — the nearest preceding ``<h3>`` (or an element whose
    class says title/hd) among the siblings of the link and of its ancestors, up to five levels:
    what a link saying only ``2023年`` is a year of. "" when there is none.

    >>> doc = lxml.html.fromstring('<div><div class="box-hd"><h3>政府信息公开年报</h3></div>'
    ...                            '<ul><li><a href="/a/1.html">2023年</a></li></ul></div>')
    >>> _heading(doc.xpath("//a")[0])
    '政府信息公开年报'
    """
    node = el
    for _ in range(5):
        if node.getparent() is None:
            break
        for sib in node.itersiblings(preceding=True):
            if not isinstance(sib.tag, str):
                continue
            text = normalize(sib.text_content())
            if not text or len(text) > 40:
                continue
            if sib.tag in HEADING_TAGS or HEADING_CLASS.search(sib.get("class") or ""):
                return text
            inner = sib.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6")
            if inner and normalize(inner[0].text_content()) == text:
                return text
        node = node.getparent()
    return ""


def js_target(code: str) -> str | None:
    """The URL a ``javascript:``/``onclick`` snippet opens, if it names one."""
    m = JS_URL.search(code)
    if m and not re.match(r"(?:window\.open|location)", m.group(0), re.IGNORECASE) and not re.search(r"[/.?=]", m.group(1)):
        # openDetail('8a81e3') of a function the page does not hold (common.js): an id, not a
        # path — "8a81e3" relative to the page would be a wrong request (a 404 in errors)
        m = None
    m = m or QUOTED_PATH.search(code)
    return m.group(1) if m else None


JS_FUNC_HEAD = re.compile(r"function\s+([\w$]+)\s*\(([^)]*)\)\s*\{")


def _js_block(code: str, start: int) -> str:
    """The body of the ``{`` block opening before ``start``: braces inside strings do not count."""
    depth, i, quote = 1, start, ""
    while i < len(code):
        c = code[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"`":
            quote = c
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return code[start:i]
        i += 1
    return code[start:]
# (jQuery's ``$("#tabBox").load("/gk/" + name + "_inc.html")``: a tab whose list is an HTML fragment)
JS_NAV_EXPR = re.compile(r"(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\(|window\.open\s*\(|"
                         r"\.src\s*=|\.attr\(\s*['\"](?:src|href)['\"]\s*,|\.load\s*\()\s*([^;\n]+)")
JS_FRAGMENT = re.compile(r"""(?:\$|jQuery)\.(?:get|post|ajax)\s*\(\s*(?:\{\s*url\s*:\s*)?([^;\n]+)""")
JS_TOKEN = re.compile(r"""\s*('[^']*'|"[^"]*"|[\w.$]+)\s*(\+)?""")
JS_CALL = re.compile(r"([\w$]+)\s*\(([^()]*)\)")


def _top_level_split(expr: str, sep: str) -> list[str]:
    """``expr`` split at ``sep`` outside quotes and brackets."""
    parts, depth, quote, start = [], 0, "", 0
    for i, c in enumerate(expr):
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(expr[start:i])
            start = i + 1
    return [*parts, expr[start:]]


def _branches(expr: str) -> list[str]:
    """``n == 1 ? "index.html" : "index_" + (n - 1) + ".html"`` -> both results; else ``[expr]``."""
    ask = _top_level_split(expr, "?")
    if len(ask) == 2:
        return [b.strip() for b in _top_level_split(ask[1], ":")]
    return [expr]


def js_functions(scripts: list[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Page functions that navigate to a URL built from their arguments: name -> (params, expressions).

    ``function goPage(n){ location.href = "list_" + n + ".html"; }`` -> ``{"goPage": (["n"], ['"list_" + n + ".html"'])}``.
    Every navigation in the body counts (``if (n == 1) … else …``), and both results of a ``?:``.
    """
    out = {}
    for code in scripts:
        for m in JS_FUNC_HEAD.finditer(code):
            body = _js_block(code, m.end())
            exprs: list[str] = []
            for nav in JS_NAV_EXPR.finditer(body):
                expr = nav.group(1).strip()
                if expr.count(")") > expr.count("("):       # window.open(url) : the call's own ")"
                    expr = expr[:expr.rfind(")")].strip()
                # var url = "list_" + n + ".html"; location.href = url;
                local = re.fullmatch(r"[\w$]+", expr) and re.search(
                    r"(?:var|let|const)?\s*\b" + re.escape(expr) + r"\s*=\s*([^;\n]+)", body)
                exprs += _branches(local.group(1).strip() if local else expr)
            # $.get("/nb/" + y + ".html", function (html) { $("#list").html(html); }) or
            # $.ajax({url: "/nb/list_" + n + ".shtml", success: …}): an HTML fragment the tab shows
            for frag in JS_FRAGMENT.finditer(body):
                expr = _top_level_split(frag.group(1), ",")[0].strip()
                if re.search(r"""\.s?html?['"]\s*$""", expr):
                    exprs += _branches(expr)
            if exprs:
                out[m.group(1)] = ([p.strip() for p in m.group(2).split(",") if p.strip()], exprs)
    return out


JS_TERM = re.compile(r"""\s*(?:'([^']*)'|"([^"]*)"|([\w$]+)|`([^`]*)`)""")
JS_ARITH = re.compile(r"\s*\(\s*(?:parseInt\()?\s*([\w$]+)\s*\)?\s*([-+*])\s*([\w$]+)\s*\)")
TEMPLATE_SLOT = re.compile(r"\$\{\s*([\w$]+)\s*\}")
JS_REPLACE = re.compile(r"""\s*\.replace\(\s*(?:/((?:[^/\\]|\\.)+)/g?|'([^']*)'|"([^"]*)")\s*,\s*"""
                        r"""('[^']*'|"[^"]*"|[\w$]+)\s*\)""")
JS_VAR = re.compile(r"""(?:var|let|const)\s+([\w$]+)\s*=\s*(?:'([^'\n]*)'|"([^"\n]*)"|(-?\d+))\s*[;,\n]""")


def js_globals(scripts: list[str]) -> dict[str, str]:
    """String and number variables a page's scripts declare: ``var pageUrl = "list_{page}.html";``."""
    out: dict[str, str] = {}
    for code in scripts:
        for m in JS_VAR.finditer(code):
            out.setdefault(m.group(1), next(g for g in m.groups()[1:] if g is not None))
    return out


def js_eval_concat(expr: str, env: dict[str, str]) -> str | None:
    """The string a JS concatenation gives: literals, known variables, ``.replace("{page}", n)``;
    None when it uses anything else (a value the page computes at run time)."""
    parts, pos = [], 0
    while True:
        term = JS_TERM.match(expr, pos)
        arith = JS_ARITH.match(expr, pos)
        if term is None and arith is None:
            return None
        if arith is not None:
            # (n - 1), (page+1): page numbers computed from the argument
            a, b = (env.get(x, x) for x in (arith.group(1), arith.group(3)))
            if not (str(a).lstrip("-").isdigit() and str(b).lstrip("-").isdigit()):
                return None
            number = {"+": int(a) + int(b), "-": int(a) - int(b), "*": int(a) * int(b)}[arith.group(2)]
            if number < 0 or (number == 0 and re.match(r"""\s*\+\s*['"]\.""", expr[arith.end():])):
                return None      # index_0.html: the other branch of an "if (n == 1)" — no page
            value = str(number)
            term = arith
        elif term.group(3) is not None:
            name = term.group(3)
            if name in env:
                value = env[name]
            elif re.fullmatch(r"\d+", name):
                value = name
            else:
                return None
        elif term.group(4) is not None:
            # an ES6 template literal: `/detail.html?id=${id}`
            slots = TEMPLATE_SLOT.findall(term.group(4))
            if any(name not in env for name in slots) or "${" in TEMPLATE_SLOT.sub("", term.group(4)):
                return None
            value = TEMPLATE_SLOT.sub(lambda m: env[m.group(1)], term.group(4))
        else:
            value = term.group(1) if term.group(1) is not None else term.group(2)
        pos = term.end()
        while (rep := JS_REPLACE.match(expr, pos)) is not None:
            arg = rep.group(4)
            arg_value = arg[1:-1] if arg[0] in "'\"" else env.get(arg, arg if arg.isdigit() else None)
            if arg_value is None:
                return None
            if rep.group(1) is not None:
                value = re.sub(rep.group(1), arg_value.replace("\\", "\\\\"), value, count=1)
            else:
                value = value.replace(rep.group(2) if rep.group(2) is not None else rep.group(3), arg_value, 1)
            pos = rep.end()
        parts.append(value)
        plus = re.compile(r"\s*\+").match(expr, pos)
        if plus is None:
            break
        pos = plus.end()
    return "".join(parts) or None


def js_call_urls(code: str, functions: dict[str, tuple[list[str], list[str]]],
                 globals_: dict[str, str] | None = None) -> list[str]:
    """The URLs ``goPage(2)`` may lead to, by putting the call's literal arguments into the function's
    expressions (also through the page's own variables: ``pageUrl.replace("{page}", n)``)."""
    for call in JS_CALL.finditer(code or ""):
        if call.group(1) not in functions:
            continue
        params, exprs = functions[call.group(1)]
        args = [a.strip().strip("'\"") for a in call.group(2).split(",")] if call.group(2).strip() else []
        env = {**(globals_ or {}), **dict(zip(params, args))}
        urls = [js_eval_concat(e, env) for e in exprs]
        return list(dict.fromkeys(u for u in urls if u))
    return []


def js_call_url(code: str, functions: dict[str, tuple[list[str], list[str]]],
                globals_: dict[str, str] | None = None) -> str | None:
    """The first URL of :func:`js_call_urls`, or None."""
    urls = js_call_urls(code, functions, globals_)
    return urls[0] if urls else None


def extract_links(html: str | lxml.html.HtmlElement, base_url: str) -> list[Link]:
    """All links of a page (or fragment), absolute, in document order, not de-duplicated."""
    doc = parse_html(html) if isinstance(html, str) else html
    if doc is None:
        return []
    base = base_url
    for b in doc.iter("base"):
        if b.get("href"):
            base = urljoin(base_url, b.get("href").strip())
            break
    out: list[Link] = []
    scripts = [el.text for el in doc.iter("script") if el.text]
    functions = js_functions(scripts)
    variables = js_globals(scripts)
    # (a page whose script reads its own fragment — location.hash — as a column id: its "#2450"
    # links are its columns, not anchors)
    reads_hash = any("location.hash" in code for code in scripts)

    def add(raw: str | None, el: lxml.html.HtmlElement | None, text: str, source: str) -> None:
        if not raw:
            return
        raw = raw.strip().replace("\\/", "/")
        if reads_hash and re.fullmatch(r"#[\w-]{1,40}", raw):
            pass
        elif not raw or raw.startswith(("#", "mailto:", "tel:", "data:")):
            return
        if raw.lower().startswith("javascript:"):
            target = js_target(raw)
            if not target:
                return
            raw, source = target, "javascript"
        ctx = _context(el, text) if el is not None and needs_context(text) else ""
        if el is not None and not ctx and YEAR_ONLY.fullmatch(normalize(text)):
            ctx = _heading(el)      # "2023年" under a heading 政府信息公开年报: the heading says what
        try:
            url = urljoin(base, raw)
        except ValueError:
            return
        # A document viewer (pdf.js viewer.html?file=/…/x.pdf): the document itself is wanted.
        viewer = re.search(r"[?&](?:file|url|src)=([^&#]+)", url)
        if viewer and not is_document_url(url.split("?")[0]):
            target = unquote(viewer.group(1))
            if is_document_url(target):
                url = urljoin(url, target)
        # A jump page ("您即将离开本站", /jump.html?url=http%3A%2F%2F…): the page it leads to
        jump = JUMP_PARAM.search(url)
        if jump and not is_document_url(url.split("?")[0]):
            target = unquote(jump.group(1)).strip()
            if re.match(r"https?://[\w.-]+(:\d+)?(/|$)", target, re.IGNORECASE):
                url = target
        if url.startswith(("http://", "https://")):
            out.append(Link(url, text, ctx, source))

    def add_data(el: lxml.html.HtmlElement, text: str) -> None:
        # <li data-href="/nb/1.html">: a row made clickable by a script; only followed when
        # its text names a report, a column or a page (source "data": no blind exploration)
        raw = next((el.get(a) for a in DATA_LINK_ATTRS if el.get(a)), None)
        if raw and not re.search(r"\.(js|css|json)(\?|$)|/api/|api\b", raw, re.IGNORECASE):
            add(raw, el, text, "data")

    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in ("a", "area"):
            text = _own_text(el)
            href = el.get("href")
            if href and (not href.strip().lower().startswith(("javascript", "#"))
                         or (reads_hash and re.fullmatch(r"#[\w-]{1,40}", href.strip()))):
                add(href, el, text, "a")
            elif el.get("onclick") or (href and href.strip().lower().startswith("javascript")):
                code = el.get("onclick") or href or ""
                targets = [t for t in js_call_urls(code, functions, variables) or [
                    js_target(el.get("onclick") or "") or js_target(href or "")] if t]
                for target in targets:
                    add(target, el, text, "onclick")
                if not targets:
                    # <a href="javascript:;" data-href="/nb/1.html">: the row's target in a data
                    # attribute a delegated handler opens
                    add_data(el, text)
        elif el.get("onclick") and tag not in ("body", "html"):
            for target in js_call_urls(el.get("onclick"), functions, variables) or [js_target(el.get("onclick"))]:
                add(target, el, _own_text(el), "onclick")
        elif tag in ("iframe", "frame"):
            add(el.get("src"), None, el.get("title") or "", "frame")
        elif tag in ("embed", "object"):
            add(el.get("src") or el.get("data"), el, "", "frame")
        elif tag == "option" and (el.get("value", "").startswith(("http", "/", "./", "../"))
                                  or re.search(r"\.s?html?$|[?&]\w*page\w*=\d+", el.get("value", ""), re.IGNORECASE)):
            add(el.get("value"), None, el.text_content(), "option")
        elif any(el.get(a) for a in DATA_LINK_ATTRS):
            add_data(el, _own_text(el))
        elif tag == "script" and el.text and el.get("type", "").lower() not in ("text/xml",):
            out.extend(script_links(el.text, base))
    # rows that carry only an id (<li class="item" data-id="88">) opened by a delegated handler
    # ($(".list").on("click", ".item", function () { window.open("/c.jsp?id=" + $(this).data("id")); }))
    for attr, template in data_templates(scripts, variables):
        for el in doc.xpath("//*[@*[name()=$a]]", a=attr):
            value = (el.get(attr) or "").strip()
            if value and re.fullmatch(r"[\w.-]{1,64}", value):
                add(template.replace(f"\x00{attr}\x00", value), el, _own_text(el), "onclick")
    return out


JUMP_PARAM = re.compile(r"[?&](?:url|target|goto|redirect|redirect_?url|link|jump_?url|dest|to|u)=(https?(?::|%3A)[^&#]+)",
                        re.IGNORECASE)
DATA_READ = re.compile(r"""\$\(\s*this\s*\)\s*\.\s*(?:data\(\s*['"]([\w-]+)['"]\s*\)|attr\(\s*['"]data-([\w-]+)['"]\s*\))"""
                       r"""|this\.dataset\.([\w$]+)|this\.getAttribute\(\s*['"]data-([\w-]+)['"]\s*\)""")


def data_templates(scripts: list[str], variables: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(attribute, URL template) of click handlers that build a URL from the clicked element's data
    attribute (``$(this).data("id")``, ``$(this).attr("data-docid")``, ``this.dataset.id``, directly or
    through a local variable); the template holds ``\x00<attribute>\x00`` where the value goes."""
    out: list[tuple[str, str]] = []
    for code in scripts:
        if not DATA_READ.search(code):
            continue
        env = dict(variables or {})
        attrs: dict[str, str] = {}

        def placeholder(m: re.Match) -> str:
            name = m.group(1) or m.group(2) or m.group(3) or m.group(4)
            if m.group(1) or m.group(3):        # jQuery's .data("docId") / dataset.docId: data-doc-id
                name = re.sub(r"([A-Z])", lambda c: "-" + c.group(1).lower(), name)
            attr = "data-" + name.lower()
            ident = "__data_" + re.sub(r"\W", "_", name)
            attrs[ident] = attr
            env[ident] = f"\x00{attr}\x00"
            return ident
        code = DATA_READ.sub(placeholder, code)
        for m in re.finditer(r"(?:var|let|const)?\s*\b([\w$]+)\s*=\s*(__data_\w+)\s*[;,\n]", code):
            env[m.group(1)] = env[m.group(2)]
        for nav in JS_NAV_EXPR.finditer(code):
            expr = nav.group(1).strip()
            if expr.count(")") > expr.count("("):
                expr = expr[:expr.rfind(")")].strip()
            expr = _top_level_split(expr, ",")[0].strip()
            for branch in _branches(expr):
                url = js_eval_concat(branch, env)
                attr = next((a for a in attrs.values() if url and f"\x00{a}\x00" in url), None)
                if attr and (attr, url) not in out:
                    out.append((attr, url))
    return out


def script_links(code: str, base_url: str) -> list[Link]:
    """Links that a script writes into the page: HTML anchors in strings and quoted file paths."""
    out = []
    seen = set()
    for m in SCRIPT_ANCHOR.finditer(code):
        if re.match(r"""['"]\s*\+""", code[m.start(1) + len(m.group(1)):]):
            continue            # "<a href=\"index" + "_" + nextPage + ".html\">": a URL built at run time
        url = urljoin(base_url, m.group(1))
        seen.add(m.group(1))
        out.append(Link(url, TAGS.sub("", m.group(2)), "", "script"))
    for m in SCRIPT_PAIR.finditer(code):
        text, raw = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if raw.startswith(("http", "/", "./", "../")) or "." in raw:
            seen.add(raw)
            out.append(Link(urljoin(base_url, raw), text, "", "menu"))
    for m in SCRIPT_REDIRECT.finditer(code):
        if m.group(1) not in seen and not m.group(1).startswith(("javascript", "#")):
            seen.add(m.group(1))
            out.append(Link(urljoin(base_url, m.group(1)), "", "", "redirect"))
    for m in QUOTED_PATH.finditer(code):
        if m.group(1) in seen or PLACEHOLDER.search(m.group(1)):
            continue            # "list_{page}.html": a template the page fills, not a page
        if re.search(r"\+\s*$", code[max(0, m.start() - 20):m.start()]) or re.match(r"\s*\+", code[m.end():]):
            continue            # "/bm/" + code + "/index.html": a piece of a URL built at run time
        title = _row_title(code, m.start(), m.end())
        if title:
            # ["…2023年度报告", "/nb/t1.html", "2024-01-10"] written out by document.write: a row,
            # judged by its title (still no blind exploration: source "script")
            out.append(Link(urljoin(base_url, m.group(1)), title, "", "script"))
            continue
        window = code[max(0, m.start() - 150):m.end() + 150]
        out.append(Link(urljoin(base_url, m.group(1)), "", TAGS.sub("", window), "script"))
    return out


# (up to 800 characters: a title of 120 written as \u escapes is 720 long)
ROW_STRING = re.compile(r"'([^'\n]{4,800})'|\"([^\"\n]{4,800})\"")


def _row_title(code: str, start: int, end: int) -> str:
    """The title beside a URL in the same script array or object literal (a list page's data rows:
    ``[["title", "/url", "date"], …]`` or ``{t: "title", u: "/url"}``): its one string with Chinese text."""
    left = max(code.rfind(c, max(0, start - 400), start) for c in "[{")
    if left < 0 or re.search(r"[\]}]", code[left + 1:start]):
        return ""
    right = [i for i in (code.find(c, end, end + 400) for c in "]}") if i >= 0]
    if not right or re.search(r"[\[{]", code[end:min(right)]):
        return ""
    texts = [a or b for a, b in ROW_STRING.findall(code[left + 1:start] + " " + code[end:min(right)])]
    # (a backend's JSON in the page writes its Chinese as \u escapes: "\u5e74\u62a5")
    texts = [re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), t) for t in texts]
    texts = [t for t in texts if len(re.findall(r"[\u4e00-\u9fff]", t)) >= 4 and "<" not in t and len(t) <= 120]
    return texts[0] if len(texts) == 1 else ""


def page_title(doc: lxml.html.HtmlElement | None) -> str:
    """The best title of a page: a heading that names a report, else <title>, else the first h1."""
    if doc is None:
        return ""
    candidates = []
    for xp in ("//h1", "//h2", "//*[contains(@class,'title')]", "//meta[@name='ArticleTitle']/@content",
               "//title"):
        for node in doc.xpath(xp)[:3]:
            text = node if isinstance(node, str) else node.text_content()
            text = " ".join(text.split())
            if text:
                candidates.append(text)
    from crawler.discovery.scoring import is_report_title

    for text in candidates:
        if is_report_title(text) and len(text) < 120:
            return text
    titles = doc.xpath("//title")
    if titles and titles[0].text_content().strip():
        return " ".join(titles[0].text_content().split())
    return candidates[0] if candidates else ""


def page_meta(doc: lxml.html.HtmlElement | None) -> dict[str, str]:
    """Publisher and publication date the page states (used for attachments lacking them)."""
    out: dict[str, str] = {}
    if doc is None:
        return out
    for name, key in (("ContentSource", "publisher"), ("PubDate", "published_date"),
                      ("firstpublishedtime", "published_date")):
        for v in doc.xpath(f"//meta[@name='{name}']/@content"):
            out.setdefault(key, v.strip()[:10])
    text = normalize(doc.text_content())[:4000]
    m = re.search(r"(发布机构|来源|发文机关|信息来源)[:：]([^\s:：]{2,30}?)(发布日期|发布时间|日期|时间|浏览|$)", text)
    if m:
        out.setdefault("publisher", m.group(2))
    m = re.search(r"(发布日期|发布时间|成文日期|日期)[:：]?(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})", text)
    if m:
        out.setdefault("published_date", f"{m.group(2)}-{int(m.group(3)):02d}-{int(m.group(4)):02d}")
    return out
