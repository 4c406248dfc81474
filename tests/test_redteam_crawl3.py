"""Red-team crawls, round 3: ASP.NET WebForms 年报 lists paged by ``__doPostBack``.

Each list page is ``list.aspx`` inside ``<form id="form1" method="post">`` with ``__VIEWSTATE``;
its pager links are ``javascript:__doPostBack('ctl00$…$AspNetPager1','3')`` (a window of page
numbers) or ``WebForm_DoPostBackWithOptions(new WebForm_PostBackOptions("ctl00$…$lnkNext", …))``.
The server answers a POST only with the view state it issued, and on the last page a 下一页
postback answers the last page again (the loop a crawler must stop). The real ``nianbao crawl``
runs in a subprocess through the web's proxy (``tests/redteam_web2.py``); the check: every
report stored, figures equal to fixturegen's, no duplicate, and a bounded number of POSTs.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_crawl3.py
"""

from __future__ import annotations

from urllib.parse import parse_qs

from tests.redteam_web2 import Answer, Net, Request
from tests.test_redteam_crawl2 import DEPTS, check, crawl, fig

PER_PAGE = 4


def aspx_web(host_name: str, pages: int, pager: str) -> tuple[Net, list[str]]:
    """A county whose 年报 column is an ASP.NET list of ``pages`` pages; ``pager``: numbers or next."""
    net = Net()
    www = net.host(host_name)
    www.html("/", "港州县人民政府", '<a href="/xxgk/nb/list.aspx?id=12">政府信息公开工作年度报告</a>')
    items = []
    for i in range(pages * PER_PAGE):
        agency, year = f"港州县{DEPTS[i]}", 2020 + i % 4
        f = fig(300 + i, year, agency)
        target = f"/xxgk/nb/detail.aspx?id={1000 + i}"
        www.report(target, f, "html")
        items.append((target, f"{agency}{year}年政府信息公开工作年度报告"))

    def page(n: int) -> bytes:
        rows = "".join(f'<li><a href="{t}" target="_blank">{title}</a><span>2024-01-0{k + 1}</span></li>'
                       for k, (t, title) in enumerate(items[(n - 1) * PER_PAGE:n * PER_PAGE]))
        if pager == "numbers":    # a window of numbers around the current page, as AspNetPager draws it
            nav = " ".join(f"<a href=\"javascript:__doPostBack('ctl00$ContentPlaceHolder1$AspNetPager1','{k}')\">{k}</a>"
                           for k in range(max(1, n - 2), min(pages, n + 2) + 1) if k != n)
        else:
            opts = ('javascript:WebForm_DoPostBackWithOptions(new WebForm_PostBackOptions('
                    '&quot;ctl00$Main${0}&quot;, &quot;&quot;, true, &quot;&quot;, &quot;&quot;, false, true))')
            nav = f'<a id="lnkNext" href="{opts.format("lnkNext")}">下一页</a> <a href="{opts.format("lnkLast")}">尾页</a>'
        body = (f'<form method="post" action="./list.aspx?id=12" id="form1">'
                f'<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
                f'<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />'
                f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUK{n}MTY+c2=" />'
                f'<input type="hidden" name="__VIEWSTATEGENERATOR" value="C2EE9ABB" />'
                f'<input type="hidden" name="__EVENTVALIDATION" value="/wEdAA{n}x+Y=" />'
                f'<h2>政府信息公开工作年度报告</h2><ul>{rows}</ul><div class="pager">第{n}页 {nav}</div></form>')
        return (f"<html><head><title>政府信息公开工作年度报告</title></head><body>{body}</body></html>").encode()

    def answer(req: Request) -> Answer:
        if req.method == "GET":
            return Answer(body=page(1))
        form = {k: v[0] for k, v in parse_qs(req.body.decode(), keep_blank_values=True).items()}
        state = form.get("__VIEWSTATE", "")
        if not (state.startswith("/wEPDwUK") and state.endswith("MTY+c2=")) or "__EVENTVALIDATION" not in form:
            return Answer(500, b"<h1>Validation of viewstate MAC failed.</h1>")
        current = int(state[8:-7])
        target, arg = form.get("__EVENTTARGET", ""), form.get("__EVENTARGUMENT", "")
        if target.endswith("lnkNext"):
            n = min(current + 1, pages)           # the last page's 下一页 answers the last page again
        elif target.endswith("lnkLast"):
            n = pages
        elif target.endswith("AspNetPager1") and arg.isdigit():
            n = min(max(int(arg), 1), pages)
        else:
            return Answer(500, b"<h1>Invalid postback or callback argument.</h1>")
        return Answer(body=page(n))

    www.route("/xxgk/nb/list.aspx", answer)
    return net, [host_name]


def posts(net: Net) -> int:
    return sum(1 for h in net.hits if h.method == "POST")


def test_aspnet_numbered_pager_finds_every_report(tmp_path):
    net, seeds = aspx_web("www.gzxian.gov.cn", 7, "numbers")
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("aspx numbers", net, reports, errors, proc)
    assert len(reports) == 7 * PER_PAGE
    assert posts(net) <= 7 + 2, f"{posts(net)} POSTs for a 7-page list"


def test_aspnet_next_link_pager_stops_at_the_last_page(tmp_path):
    net, seeds = aspx_web("www.hexian.gov.cn", 5, "next")
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("aspx next", net, reports, errors, proc)
    assert len(reports) == 5 * PER_PAGE
    assert posts(net) <= 5 * 2 + 2, f"{posts(net)} POSTs for a 5-page list"


def test_postback_pages_reads_the_form_and_ignores_non_pager_postbacks():
    from crawler.discovery.aspnet import postback_pages
    html = ('<form method="post" action="./list.aspx?id=12&amp;t=1" id="form1">'
            '<input type="hidden" name="__VIEWSTATE" value="/wE+x=" /><input type="submit" name="btnGo" value="搜索" />'
            "<a href=\"javascript:__doPostBack('ctl00$Main$btnSearch','')\">搜索</a>"
            "<a href=\"javascript:__doPostBack('ctl00$Main$AspNetPager1','2')\">2</a>"
            "<a href=\"javascript:__doPostBack('ctl00$Main$AspNetPager1','2')\">下一页</a></form>")
    pages = postback_pages(html, "http://www.a.gov.cn/nb/list.aspx?id=12&t=1")
    assert [(a, t, g) for a, t, g, _ in pages] == [("http://www.a.gov.cn/nb/list.aspx?id=12&t=1", "ctl00$Main$AspNetPager1", "2")]
    assert pages[0][3] == {"__VIEWSTATE": "/wE+x=", "__EVENTTARGET": "ctl00$Main$AspNetPager1", "__EVENTARGUMENT": "2"}
    assert postback_pages(html.replace("__VIEWSTATE", "pageNo"), "http://www.a.gov.cn/") == []
