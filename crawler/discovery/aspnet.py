"""ASP.NET WebForms lists: pagers that post the page's form back (``__doPostBack``,
``WebForm_PostBackOptions``, submit buttons, page-jump selects, "go to page" boxes), and
UpdatePanels whose pagers post asynchronously and are answered with partial-postback deltas.

    >>> page = ('<form id="form1" method="post" action="list.aspx">'
    ...         '<input type="hidden" name="__VIEWSTATE" value="v1">'
    ...         '<a href="javascript:__doPostBack(&#39;ctl00$AspNetPager1&#39;,&#39;2&#39;)">2</a></form>')
    >>> [(url, target, arg, fields["__VIEWSTATE"]) for url, target, arg, fields in postback_pages(page, "http://a.gov.cn/nb/list.aspx")]
    [('http://a.gov.cn/nb/list.aspx', 'ctl00$AspNetPager1', '2', 'v1')]
    >>> delta_parts("1|#||4|8|updatePanel|up1|<p>x</p>|")
    [('#', '', '4'), ('updatePanel', 'up1', '<p>x</p>')]
"""

from __future__ import annotations

import re
from html import unescape as html_unescape
from typing import Any
from urllib.parse import urljoin

from crawler.discovery.lists import MAX_LIST_PAGES, TOTAL_PAGES_TEXT

# ASP.NET WebForms pagers: javascript:__doPostBack('ctl00$Main$AspNetPager1','2') or
# WebForm_DoPostBackWithOptions(new WebForm_PostBackOptions("ctl00$Main$lnkNext", "", ...)).
DO_POSTBACK = re.compile(r"""__doPostBack\(\s*(?:&#39;|&quot;|['"])([^'"&]+)(?:&#39;|&quot;|['"])\s*,"""
                         r"""\s*(?:&#39;|&quot;|['"])([^'"&]*)(?:&#39;|&quot;|['"])\s*\)""")
POSTBACK_OPTIONS = re.compile(r"""WebForm_PostBackOptions\(\s*(?:&quot;|['"])([^'"&]+)(?:&quot;|['"])\s*,"""
                              r"""\s*(?:&quot;|['"])([^'"&]*)(?:&quot;|['"])""")


PAGER_TARGET = re.compile(r"page|pager|next|last|lnk|fenye|fy\b|xyy|syy|wy\b|btn(?:next|last)", re.IGNORECASE)
PAGER_TEXT = re.compile(r"^(下一?页|下页|上一?页|上页|首页|尾页|末页|最后一?页|后页|前页|第?\d{1,4}页?|>|>>|»|›|<|<<|«|‹|"
                        r"next|prev|last|first|\.\.\.)$", re.IGNORECASE)


def postback_pages(html: str, page_url: str) -> list[tuple[str, str, str, dict[str, str]]]:
    """(action URL, target, argument, POST fields) of each pager postback an ASP.NET list offers
    (:func:`postback_calls` without the flag)."""
    return [call[:4] for call in postback_calls(html, page_url)]


def postback_calls(html: str, page_url: str) -> list[tuple[str, str, str, dict[str, str], bool]]:
    """(action URL, target, argument, POST fields, numbered) of each pager postback an ASP.NET list offers.

    ``numbered``: the call always leads to the same page (its argument or its link is a page
    number); 下一页/尾页 calls lead elsewhere from every page.

    The form is read with lxml (entities decoded as a browser does) and posted as a browser would:
    its successful controls (hidden and text inputs, checked boxes, selected options) plus
    ``__EVENTTARGET``/``__EVENTARGUMENT`` from the link's call; a submit-button pager
    (``<input type="submit" name="…btnXyy" value="下一页">``) sends its own name=value instead. The
    form posted is the one holding the pager (a page may carry a search form with a view state of its
    own), else the one the page's ``theForm = document.forms['…']`` names, else the one with
    ``__VIEWSTATE``. A call is a pager when its target names one (…Page…, lnkNext, fenye, xyy), its
    argument is a page number, or its link says 下一页 / 尾页 / a number — so a postback to a search
    button or a language switch is not taken for a page.
    """
    from crawler.discovery.links import parse_html
    from crawler.discovery.scoring import normalize

    if "__VIEWSTATE" not in html and "__doPostBack" not in html:
        return []
    doc = parse_html(html)
    if doc is None:
        return []
    forms = [f for f in doc.iter("form")]
    if not any(f.xpath(".//input[@name='__VIEWSTATE']") for f in forms):
        return []
    named = re.search(r"document\.forms\[\s*['\"]([^'\"]+)['\"]\s*\]", html)
    default = next((f for f in forms if named and named.group(1) in (f.get("id"), f.get("name"))), None)
    if default is None:
        default = next(f for f in forms if f.xpath(".//input[@name='__VIEWSTATE']"))

    def form_of(el) -> Any:
        form = next(el.iterancestors("form"), None)
        return form if form is not None else default

    def fields_of(form) -> dict[str, str]:
        out: dict[str, str] = {}
        for el in form.iter("input", "select", "textarea"):
            name = el.get("name")
            kind = (el.get("type") or "text").lower()
            if not name or kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if el.get("checked") is not None:
                    out[name] = el.get("value", "on")
            elif el.tag == "select":
                chosen = el.xpath(".//option[@selected]") or el.xpath(".//option")[:1]
                if chosen:
                    out[name] = chosen[0].get("value", chosen[0].text_content().strip())
            elif el.tag == "textarea":
                out[name] = el.text_content()
            else:
                out[name] = el.get("value", "")
        return out

    def action_of(form) -> str:
        return urljoin(page_url, (form.get("action") or "").strip() or page_url)

    out: list[tuple[str, str, str, dict[str, str], bool]] = []
    seen: set[tuple[str, str]] = set()
    manager, panels = update_panels(html)
    triggers = async_triggers(html) if manager else set()

    def add(form, target: str, arg: str, extra: dict[str, str], text: str = "", event: tuple[str, str] | None = None,
            el: Any = None) -> None:
        """``event``: the (__EVENTTARGET, __EVENTARGUMENT) posted when they are not (target, arg);
        ``el``: the pager's element — inside an UpdatePanel its postback is asynchronous, as the
        browser's ScriptManager sends it (the manager's field ``panel|control``, ``__ASYNCPOST``)."""
        if (target, arg) in seen:
            return
        seen.add((target, arg))
        numbered = bool(re.fullmatch(r"(?:Page\$)?\d{1,4}", arg) or re.fullmatch(r"第?\d{1,4}页?", text))
        event_target, event_arg = event or ("" if extra else target, arg)
        fields = {**fields_of(form), "__EVENTTARGET": event_target, "__EVENTARGUMENT": event_arg, **extra}
        panel = next((panels[a.get("id")] for a in el.iterancestors() if a.get("id") in panels), None) \
            if el is not None and manager else None
        if panel is not None:
            fields = {manager: f"{panel}|{event_target or target}", **fields, "__ASYNCPOST": "true"}
        elif manager and (event_target or target) in triggers:
            # a trigger outside the panels, registered as asynchronous: the browser posts it so, the
            # manager's own id before the control's
            fields = {manager: f"{manager}|{event_target or target}", **fields, "__ASYNCPOST": "true"}
        out.append((action_of(form), target, arg, fields, numbered))

    # AspNetPager's "go to page" box (a text input + a GO button, no page links): one post per page
    # of 共N页 with the box set to it
    handled = set()
    for box, button, pages in _page_boxes(doc, html):
        form = form_of(box)
        code = " ".join(button.get(a) or "" for a in ("href", "onclick"))
        calls = DO_POSTBACK.findall(code) + POSTBACK_OPTIONS.findall(code)
        current = (box.get("value") or "").strip()
        handled.add(button)
        seen.update((t, a) for t, a in calls if not a)      # (its bare call, posting the box as it is)
        for n in range(1, min(pages, MAX_LIST_PAGES) + 1):
            if str(n) == current:
                continue
            if calls:       # onclick="…__doPostBack('…AspNetPager1','')": the script posts the form
                add(form, calls[0][0], str(n), {box.get("name"): str(n)}, event=(calls[0][0], calls[0][1]), el=box)
            elif button.get("name") and button.tag in ("input", "button"):
                add(form, button.get("name"), str(n), {box.get("name"): str(n), button.get("name"): button.get("value") or ""},
                    event=("", ""), el=box)
    for el in doc.iter():
        if not isinstance(el.tag, str) or el in handled:
            continue
        code = " ".join(el.get(a) or "" for a in ("href", "onclick"))
        text = normalize(el.text_content() or el.get("value") or el.get("title") or "")
        if "PostBack" in code:
            for target, arg in DO_POSTBACK.findall(code) + POSTBACK_OPTIONS.findall(code):
                if PAGER_TARGET.search(target) or re.fullmatch(r"(?:Page\$)?\d{1,4}|Page\$(?:Next|Last)", arg) \
                        or PAGER_TEXT.match(text):
                    add(form_of(el), target, arg, {}, text, el=el)
        elif el.tag == "select" and el.get("name") and "PostBack" in (el.get("onchange") or ""):
            # a page-jump DropDownList (AutoPostBack): one post per page it offers, the select set to it
            # (or a year filter of a 年报 list: each year posted too); not a select of codes or sizes
            name = el.get("name")
            options = list(el.iter("option"))
            chosen = el.xpath(".//option[@selected]") or options[:1]
            labels = [normalize(o.text_content()) or o.get("value", "") for o in options]
            numbers = [int(m.group(1)) for m in (re.fullmatch(r"第?(\d{1,4})页?|((?:19|20)\d{2})年?度?", t)
                                                 for t in labels) if m and m.group(1)]
            years = all(re.fullmatch(r"((?:19|20)\d{2})年?度?", t) for t in labels)
            if not (PAGER_TARGET.search(name) or years or numbers == list(range(1, len(options) + 1))):
                continue
            for option, label in list(zip(options, labels, strict=True))[:MAX_LIST_PAGES]:
                value = option.get("value", option.text_content().strip())
                if option is not chosen[0]:
                    add(form_of(el), name, value, {name: value}, label, event=(name, ""), el=el)
        elif el.tag in ("input", "button") and (el.get("type") or ("submit" if el.tag == "button" else "")).lower() \
                in ("submit", "image") and el.get("name"):
            label = normalize(el.get("value") or el.text_content() or el.get("alt") or el.get("title") or "")
            if PAGER_TEXT.match(label) and not label.isdigit() or PAGER_TARGET.search(el.get("name", "")) and label:
                name = el.get("name")
                # an image button sends where it was clicked (name.x, name.y), a button its value
                extra = ({f"{name}.x": "10", f"{name}.y": "8"} if (el.get("type") or "").lower() == "image"
                         else {name: el.get("value") or ""})
                add(form_of(el), name, "", extra, el=el)
    # calls outside links (a select's onchange, a script): by the target's name only
    for target, arg in DO_POSTBACK.findall(html) + POSTBACK_OPTIONS.findall(html):
        if PAGER_TARGET.search(target) or re.fullmatch(r"(?:Page\$)?\d{1,4}|Page\$(?:Next|Last)", arg):
            add(default, target, arg, {})
    return out


PAGE_BOX = re.compile(r"page|_input$|jump|goto|yema|tiaozhuan|\btz|pg", re.IGNORECASE)
GO_TEXT = re.compile(r"^(go|跳转|跳转到|转到|跳到|前往|确定|确认|go>?|>)$", re.IGNORECASE)


def _page_boxes(doc: Any, html: str) -> list[tuple[Any, Any, int]]:
    """(text box, its GO button or link, page count) of each "go to page" pager of a form: a text
    input named like a page (``…AspNetPager1_input``, ``txtPage``) beside a control saying GO / 跳转 /
    确定 (or posting back a pager), with the page count from 共N页 or AspNetPager's
    ``ANP_checkInput('…', N)``."""
    from crawler.discovery.scoring import normalize

    out = []
    for form in doc.iter("form"):
        boxes = [el for el in form.iter("input") if (el.get("type") or "text").lower() in ("text", "number", "tel")
                 and el.get("name") and PAGE_BOX.search(el.get("name") + " " + (el.get("id") or ""))
                 and not re.search(r"size|count|search|key|word", el.get("name"), re.IGNORECASE)]
        if len(boxes) != 1:
            continue
        box = boxes[0]
        buttons = []
        for el in form.iter("input", "button", "a"):
            label = normalize(el.get("value") or el.text_content() or el.get("title") or "")
            kind = (el.get("type") or ("submit" if el.tag == "button" else "")).lower()
            code = " ".join(el.get(a) or "" for a in ("href", "onclick"))
            if el.tag == "a" and "PostBack" not in code:
                continue
            if el.tag != "a" and kind not in ("submit", "image", "button"):
                continue
            if GO_TEXT.match(label) or ("PostBack" in code and any(
                    PAGER_TARGET.search(t) for t, _a in DO_POSTBACK.findall(code)) and not label.isdigit()
                    and not PAGER_TEXT.match(label)):
                buttons.append(el)
        if not buttons:
            continue
        text = normalize(form.text_content())
        counts = [int(g) for m in TOTAL_PAGES_TEXT.finditer(text) for g in m.groups() if g]
        counts += [int(n) for n in re.findall(r"ANP_checkInput\(\s*(?:&#39;|['\"])[^'\"&]+(?:&#39;|['\"])\s*,\s*(\d{1,4})", html)]
        if box.get("max", "").isdigit():
            counts.append(int(box.get("max")))
        if counts:
            out.append((box, buttons[0], max(counts)))
    return out


# ------------------------------------------------------------------ ASP.NET partial postbacks

DELTA_START = re.compile(r"^\s*\d+\|[A-Za-z]+\|")
# Sys.WebForms.PageRequestManager._initialize('ctl00$ScriptManager1', 'aspnetForm', ['tctl00$cph$upList',
# 'cph_upList'], [], [], 90, 'ctl00') (ASP.NET 4); ._initialize('ScriptManager1', …) followed by
# ._updateControls(['tUpdatePanel1'], [], [], 90) (ASP.NET 3.5)
PRM_INIT = re.compile(r"PageRequestManager\._initialize\(\s*(?:&#39;|['\"])([^'\"&]+)(?:&#39;|['\"])\s*,([^;]*)")
PRM_PANELS = re.compile(r"\[([^\[\]]*)\]")


def update_panels(html: str) -> tuple[str | None, dict[str, str]]:
    """The page's ScriptManager field name and its UpdatePanels (client id → unique id), from
    ``PageRequestManager._initialize`` / ``_updateControls``; (None, {}) without them."""
    m = PRM_INIT.search(html)
    if m is None:
        return None, {}
    rest = m.group(2)
    update = re.search(r"_updateControls\(\s*(\[[^\[\]]*\])", html[m.end():m.end() + 2000])
    arrays = PRM_PANELS.findall(update.group(1) if update else rest)
    items = re.findall(r"(?:&#39;|['\"])([^'\"&]*)(?:&#39;|['\"])", arrays[0]) if arrays else []
    panels: dict[str, str] = {}
    if items and len(items) % 2 == 0 and all(x[:1] in "tf" for x in items[::2]) and not all(
            x[:1] in "tf" for x in items[1::2]):
        for unique, client in zip(items[::2], items[1::2], strict=True):
            panels[client] = unique[1:]
    else:
        for unique in items:
            if unique[:1] in "tf":
                panels[unique[1:].replace("$", "_")] = unique[1:]
    return m.group(1), panels


QUOTED = re.compile(r"(?:&#39;|['\"])([^'\"&]*)(?:&#39;|['\"])")


def _unique_ids(items: list[str]) -> list[str]:
    """Unique ids from a list of (unique, client) pairs (ASP.NET 4) or of unique ids (3.5)."""
    if items and len(items) % 2 == 0 and all("$" not in x for x in items[1::2]) and any("$" in x for x in items[::2]):
        return items[::2]
    return items


def async_triggers(html: str) -> set[str]:
    """Unique ids of the controls a page registers as asynchronous postback triggers — the second
    array of ``PageRequestManager._initialize`` (ASP.NET 4: ``['ctl00$cph$lnkNext','cph_lnkNext']``)
    or of ``_updateControls`` (3.5): controls outside every UpdatePanel (a pager beside the list)
    that still post asynchronously."""
    m = PRM_INIT.search(html)
    if m is None:
        return set()
    update = re.search(r"_updateControls\(\s*\[[^\[\]]*\]\s*,\s*(\[[^\[\]]*\])", html[m.end():m.end() + 2000])
    if update:
        array = update.group(1)
    else:
        arrays = PRM_PANELS.findall(m.group(2))
        array = arrays[1] if len(arrays) > 1 else ""
    return {x for x in _unique_ids(QUOTED.findall(array)) if x}


def outside_triggers(html: str) -> str:
    """The HTML of the pager elements outside every UpdatePanel that post back an asynchronous
    trigger: a partial-postback reply does not carry them (they stay on the browser's page), so the
    page a reply stands for (:func:`delta_page`) gets them back."""
    from lxml import html as lxml_html

    from crawler.discovery.links import parse_html

    triggers = async_triggers(html)
    if not triggers:
        return ""
    doc = parse_html(html)
    if doc is None:
        return ""
    _manager, panels = update_panels(html)
    out = []
    for el in doc.iter():
        if not isinstance(el.tag, str) or any(a.get("id") in panels for a in el.iterancestors()):
            continue
        code = " ".join(el.get(a) or "" for a in ("href", "onclick", "onchange"))
        if "PostBack" in code and {t for t, _a in DO_POSTBACK.findall(code) + POSTBACK_OPTIONS.findall(code)} & triggers:
            out.append(lxml_html.tostring(el, encoding="unicode", with_tail=False))
    return "".join(out)


def is_delta(text: str) -> bool:
    """Whether ``text`` is a ScriptManager partial-postback reply (``1|#||4|…|updatePanel|…``)."""
    return bool(DELTA_START.match(text[:200]))


def delta_parts(text: str) -> list[tuple[str, str, str]] | None:
    """(type, id, content) of each part of a partial-postback reply: ``length|type|id|content|``,
    the length counted in characters; None when the text is not one."""
    out, i = [], 0
    text = text.lstrip()
    while i < len(text):
        m = re.compile(r"(\d+)\|([^|]*)\|([^|]*)\|").match(text, i)
        if m is None:
            return out or None if not text[i:].strip() else None
        n = int(m.group(1))
        content = text[m.end():m.end() + n]
        if text[m.end() + n:m.end() + n + 1] != "|":
            return None
        out.append((m.group(2), m.group(3), content))
        i = m.end() + n + 1
    return out


def delta_page(text: str, posted: dict[str, str], page_url: str, keep: str = "") -> str | None:
    """The page an UpdatePanel's partial-postback reply stands for: its panels' HTML inside the
    form the browser would post next — the reply's hidden fields (``__VIEWSTATE`` …) over the fields
    just posted (without the event fields), the reply's ``formAction`` (else ``page_url``) — so the
    list's links and pager read as on a full page. A ``pageRedirect`` part becomes a link. ``keep``:
    HTML of the page that stays around the panels (:func:`outside_triggers`: a pager outside them).
    None when ``text`` is no such reply."""
    from html import escape

    parts = delta_parts(text)
    if not parts:
        return None
    # the ScriptManager's own field (panel|control) of an asynchronous postback: the page keeps
    # posting asynchronously, as it does in a browser
    manager = next((k for k, v in posted.items() if "__ASYNCPOST" in posted and re.fullmatch(r"[\w$:]+\|[\w$:.]+", v)),
                   None)
    hidden = {k: v for k, v in posted.items() if not k.startswith("__EVENT") and k not in ("__ASYNCPOST", manager)}
    panels, action, title, extra = [], page_url, "", []
    panel_ids: dict[str, str] = {}          # client id → unique id, from the reply's updatePanelIDs
    triggers: list[str] = []
    for kind, ident, content in parts:
        if kind == "updatePanelIDs":
            items = [x for x in content.split(",") if x]
            if len(items) % 2 == 0 and all(x[:1] in "tf" for x in items[::2]) and all("$" not in x for x in items[1::2]):
                panel_ids.update((client, unique[1:]) for unique, client in zip(items[::2], items[1::2], strict=True))
        elif kind == "asyncPostBackControlIDs":
            triggers = _unique_ids([x for x in content.split(",") if x])
    for kind, ident, content in parts:
        if kind == "updatePanel":
            panels.append(f'<div id="{escape(ident)}">{content}</div>')
        elif kind == "hiddenField":
            hidden[ident] = content
        elif kind == "formAction" and content:
            action = urljoin(page_url, html_unescape(content))
        elif kind == "pageTitle":
            title = content
        elif kind == "pageRedirect" and content:
            extra.append(f'<a href="{escape(urljoin(page_url, html_unescape(content)))}">{escape(title)}</a>')
    html = "".join(panels) + keep
    if manager:
        posted_panel = posted[manager].split("|")[0]

        ids = [ident for kind, ident, _c in parts if kind == "updatePanel"]

        def unique(ident: str) -> str:     # the panel posted (its client id may drop the naming prefix)
            if ident in panel_ids:
                return panel_ids[ident]
            if posted_panel != manager and (len(ids) == 1 or posted_panel.replace("$", "_").endswith(ident)):
                return posted_panel
            return ident.replace("_", "$")
        pairs = ",".join(f"'t{unique(ident)}','{ident}'" for ident in ids)
        # (an asynchronous trigger outside the panels — a pager beside the list — stays one)
        if not triggers and posted_panel == manager:
            triggers = [posted[manager].split("|", 1)[1]]
        async_ids = ",".join(f"'{t}','{t.replace('$', '_')}'" for t in triggers)
        html += (f"<script>Sys.WebForms.PageRequestManager._initialize('{manager}', 'form1', [{pairs}], [{async_ids}], [],"
                 " 90, '');</script>")
    inputs = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}" />'
                     for k, v in hidden.items() if f'name="{k}"' not in html)
    return (f"<!DOCTYPE html><html><head><title>{escape(title)}</title></head><body>"
            f'<form method="post" action="{escape(action)}">{inputs}{html}</form>{"".join(extra)}</body></html>')
