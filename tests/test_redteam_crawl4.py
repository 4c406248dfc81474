"""Red-team crawls, round 3: split articles, ASP.NET weak points and further portal families.

Each web of ``tests/redteam_web3.py`` is crawled once by the real ``nianbao crawl`` in a
subprocess through the web's proxy (as round 2: ``tests/test_redteam_crawl2.crawl``/``check``):
recall ≥ 98% of the reachable reports, no stored report that is not one of them, no duplicate, no
robots.txt violation, only ``.gov.cn`` hosts, every cell equal to fixturegen's expected JSON.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_crawl4.py
"""

from __future__ import annotations

from tests.redteam_web3 import add_split_article, aspnet_web, families_web, split_web
from tests.test_redteam_crawl2 import check, crawl


def test_families_web(tmp_path):
    """Year tabs, a JSON 目录 tree, openFile attachments, site maps, GBK under a relative base."""
    net, seeds = families_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("families", net, reports, errors, proc)
    # the tree API is no paged list: never asked for a page 2 it did not announce
    assert not [h for h in net.hits if h.target.startswith("/api/xxgkml/tree") and "page=" in h.target]
    assert not [h.target for h in net.hits if h.target.startswith("/xxgk/rl/")], "calendar days taken for years"


def stored_urls(db) -> dict[str, tuple[str, int | None]]:
    import sqlite3
    con = sqlite3.connect(db)
    rows = {url: (role, rid) for url, role, rid in con.execute("SELECT url, role, report_id FROM document_urls")}
    con.close()
    return rows


def test_split_article_is_one_report_with_its_pages_related(tmp_path):
    """Each split article is stored once, from its first page, its other pages related to it."""
    net, seeds = split_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("split", net, reports, errors, proc)
    sources = {r["source_url"] for r in reports}
    assert sources == {u for urls in net.report_urls.values() for u in urls}
    rows = stored_urls(tmp_path / "corpus.db")
    parts = [u for u in rows if "_1.html" in u or "content_2" in u or "page=2" in u]
    assert len(parts) >= 8 and all(rows[u][0] == "related" and rows[u][1] for u in parts), parts
    # an article answering every ?page=N with its page 2 again: read once, the chain stopped there
    endless = [h for h in net.hits if "id=7790" in h.target]
    assert len(endless) <= 4, [h.target for h in endless]
    # the notice (a lookalike split over two pages) is never fetched as a report
    assert net.count("www.fjxian.gov.cn", "/zwgk/nb/tz/1_1.html") == 0


def test_aspnet_posts_stay_bounded(tmp_path):
    net, seeds = aspnet_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("aspnet", net, reports, errors, proc)
    for host, pages in (("www.dzxian.gov.cn", 5), ("www.xzxian.gov.cn", 4), ("www.nzxian.gov.cn", 4)):
        posts = [h for h in net.hits if h.host == host and h.method == "POST"]
        assert len(posts) <= 2 * pages + 2, f"{host}: {len(posts)} POSTs for {pages} pages"
        assert not [h for h in posts if h.status != 200], "a POST without its cookie or view state"


# ---- the rules, on their own --------------------------------------------------------------------
def test_article_pages_take_the_articles_own_pages_only():
    from crawler.discovery.links import Link
    from crawler.discovery.lists import article_pages
    base = "http://a.gov.cn/nb/202401/"
    links = [Link(base + "t20240115_9_1.html", "2"), Link(base + "t20240115_9_1.html", "下一页"),
             Link(base + "t20240115_8.html", "下一篇"), Link(base + "t20240115_10.html", "某县2023年年度报告"),
             Link(base + "t20240115_9_2.html", "3"), Link(base + "P020240115.pdf", "2"),
             Link("http://a.gov.cn/nb/index_1.html", "下一页")]
    assert article_pages(links, base + "t20240115_9.html") == [base + "t20240115_9_1.html", base + "t20240115_9_2.html"]
    # from page 2, page 3 and back to 1 (the caller knows page 1)
    assert article_pages([Link(base + "t20240115_9_2.html", "下一页"), Link(base + "t20240115_9.html", "上一页")],
                         base + "t20240115_9_1.html", base + "t20240115_9.html") == [base + "t20240115_9_2.html"]
    assert article_pages([Link("http://a.gov.cn/x/content_2.html", "2")], "http://a.gov.cn/x/content.html") == [
        "http://a.gov.cn/x/content_2.html"]
    assert article_pages([Link("http://a.gov.cn/d.aspx?id=5&page=2", "第2页"), Link("http://a.gov.cn/d.aspx?id=6", "2")],
                         "http://a.gov.cn/d.aspx?id=5") == ["http://a.gov.cn/d.aspx?id=5&page=2"]
    assert article_pages([Link("http://a.gov.cn/x/index_1.html", "下一页")], "http://a.gov.cn/x/index.html") == [
        "http://a.gov.cn/x/index_1.html"]
    assert article_pages([Link("http://a.gov.cn/x/content_2.html", "下一页")], "http://a.gov.cn/x/content_1.html") == [
        "http://a.gov.cn/x/content_2.html"]
    # an article whose id ends the name (t_9) is not page 1 of article t: t_10 is another article
    assert article_pages([Link("http://a.gov.cn/x/t_10.html", "下一页")], "http://a.gov.cn/x/t_9.html") == []


def test_join_article_appends_bodies_and_declares_utf8():
    from crawler.discovery.lists import join_article
    one = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>一</p></body></html>'
    joined = join_article([one, "<html><body><p>二</p></body></html>", "<p>三</p>"])
    assert joined.index("一") < joined.index("二") < joined.index("三") < joined.index("</body>")
    assert "charset=utf-8" in joined and "gb2312" not in joined


def test_postback_pages_pick_the_pager_form_decode_entities_and_read_pager_text():
    from crawler.discovery.aspnet import postback_pages
    html = ('<form action="/search.aspx" method="post" id="s"><input type="hidden" name="__VIEWSTATE" value="S=" />'
            "<a href=\"javascript:__doPostBack('btnSo','')\">搜索</a></form>"
            '<form action="./list.aspx?cid=7&amp;t=2" method="post" id="aspnetForm">'
            '<input type="hidden" name="__VIEWSTATE" value="&#47;wE&#43;x=" />'
            '<input type="hidden" name="hid" value="&quot;年报&quot;&amp;&lt;7&gt;" />'
            '<input type="checkbox" name="chk" value="1" /><select name="sel"><option value="a">A</option>'
            '<option value="b" selected>B</option></select>'
            "<a href=\"javascript:__doPostBack('ctl00$m$rptFenye$ctl02$lbtn','')\">2</a>"
            "<a href=\"javascript:__doPostBack('ctl00$m$xyy','')\">下一页</a>"
            "<a href=\"javascript:__doPostBack('ctl00$m$lang','en')\">English</a>"
            '<input type="submit" name="ctl00$m$btnWy" value="尾页" /><input type="submit" name="go" value="确定" />'
            '<input type="image" name="ibtnNext" src="next.gif" alt="下一页" /></form>')
    pages = postback_pages(html, "http://www.a.gov.cn/gk/list.aspx?cid=7")
    assert [(a, t, g) for a, t, g, _ in pages] == [
        ("http://www.a.gov.cn/gk/list.aspx?cid=7&t=2", "ctl00$m$rptFenye$ctl02$lbtn", ""),
        ("http://www.a.gov.cn/gk/list.aspx?cid=7&t=2", "ctl00$m$xyy", ""),
        ("http://www.a.gov.cn/gk/list.aspx?cid=7&t=2", "ctl00$m$btnWy", ""),
        ("http://www.a.gov.cn/gk/list.aspx?cid=7&t=2", "ibtnNext", "")]
    fields = pages[0][3]
    assert fields == {"__VIEWSTATE": "/wE+x=", "hid": '"年报"&<7>', "sel": "b",
                      "__EVENTTARGET": "ctl00$m$rptFenye$ctl02$lbtn", "__EVENTARGUMENT": ""}
    assert pages[2][3]["ctl00$m$btnWy"] == "尾页" and pages[2][3]["__EVENTTARGET"] == ""
    assert {"ibtnNext.x", "ibtnNext.y"} <= set(pages[3][3]) and "ibtnNext" not in pages[3][3]


def test_year_tabs_and_site_maps_are_ways_in():
    from crawler.discovery.scoring import score_link
    col = "http://a.gov.cn/xxgk/bmnb/"
    assert score_link("2021", "http://a.gov.cn/xxgk/bmnb/2021/", "", "column", col).tier == "column"
    assert score_link("2022年", "http://a.gov.cn/xxgk/bmnb/list.html?year=2022", "", "column", col).tier == "column"
    assert score_link("2021", "http://a.gov.cn/xxgk/bmnb/?d=15", "", "column", col).tier != "column"
    assert score_link("15", "http://a.gov.cn/xxgk/rl/?d=15", "", "column", col).tier != "column"
    assert score_link("网站地图", "http://a.gov.cn/wzdt/").tier == "sitemap"
    assert score_link("", "http://a.gov.cn/sitemap.xml").tier == "sitemap"
    assert score_link("政府工作报告", "http://a.gov.cn/zfgzbg/").tier == "drop"


def test_list_api_reading_its_node_from_the_page_url():
    from crawler.discovery.lists import json_apis
    page = ('<script>var nodeId = getQueryString("nodeId");\n'
            '$.ajax({url: "/api/gkml/list?nodeId=" + nodeId + "&pageNo=" + p, type: "get"});</script>')
    apis = json_apis(page, "http://xxgk.a.gov.cn/gkml/list.html?nodeId=1051")
    assert [(a.url, a.page_param) for a in apis] == [("http://xxgk.a.gov.cn/api/gkml/list?nodeId=1051", "pageNo")]
    # without the value in the page's URL the API is named as the script writes it (as before)
    assert [a.url for a in json_apis(page, "http://xxgk.a.gov.cn/gkml/list.html")] == [
        "http://xxgk.a.gov.cn/api/gkml/list?nodeId="]


def test_tree_nodes_kept_in_a_script_become_links():
    from crawler.discovery.lists import script_nodes
    page = ('<script>var zNodes = [{id: 1, pId: 0, name: "机构职能"}, {id: 31, pId: 3, name: "政府信息公开年报"},'
            ' {id: 9, pageSize: 10}];\nvar setting = {callback: {onClick: function (e, id, node) {'
            ' window.location.href = "/gkml/list.html?cid=" + node.id; }}};</script>')
    assert [(link.url, link.text) for link in script_nodes(page, "http://a.gov.cn/gkml/")] == [
        ("http://a.gov.cn/gkml/list.html?cid=1", "机构职能"), ("http://a.gov.cn/gkml/list.html?cid=31", "政府信息公开年报")]
    assert script_nodes(page.replace(" + node.id", ""), "http://a.gov.cn/") == []      # no URL built from a node


def test_postback_page_jump_dropdown_posts_each_page_once():
    from crawler.discovery.aspnet import postback_calls
    html = ('<form id="form1" method="post" action="list.aspx"><input type="hidden" name="__VIEWSTATE" value="v" />'
            '<select name="ctl00$c$ddlPage" onchange="javascript:setTimeout(&#39;__doPostBack(\\&#39;ctl00$c$ddlPage'
            '\\&#39;,\\&#39;\\&#39;)&#39;, 0)"><option value="1">1</option><option selected="selected" value="2">2'
            '</option><option value="3">第3页</option></select><select name="ddlYear" onchange="__doPostBack(\'ddlYear\','
            '\'\')"><option value="2023">2023</option><option value="2024">2024</option></select></form>')
    calls = postback_calls(html, "http://a.gov.cn/nb/list.aspx")
    # each page but the current one; a year filter's other years too (a 年报 list by year)
    assert [(t, a, f[t], f["__EVENTTARGET"], f["__EVENTARGUMENT"]) for _, t, a, f, _n in calls] == [
        ("ctl00$c$ddlPage", "1", "1", "ctl00$c$ddlPage", ""), ("ctl00$c$ddlPage", "3", "3", "ctl00$c$ddlPage", ""),
        ("ddlYear", "2024", "2024", "ddlYear", "")]
    assert calls[0][3]["ddlYear"] == "2023"
    # a select of department codes posting back is no pager
    codes = html.replace("ddlYear", "ddlDept").replace(">2023<", ">财政局<").replace(">2024<", ">教育局<")
    assert [c[1] for c in postback_calls(codes, "http://a.gov.cn/nb/list.aspx")] == ["ctl00$c$ddlPage"] * 2


def test_split_articles_over_two_nights(tmp_path):
    """``nianbao nightly`` twice, a new split report posted between the nights: the second night
    joins it (its page 2 is not skipped as known or off the list), nothing else changes, every
    figure exact."""
    import json
    import subprocess
    import sys

    from tests.nightly_support import crawl_env, run_nightly
    net, seeds = split_web()
    sites, db = tmp_path / "sites.csv", tmp_path / "corpus.db"
    sites.write_text("name,url\n" + "".join(f"site{i},http://{h}/\n" for i, h in enumerate(seeds)), encoding="utf-8")
    with net:
        outs = []
        for night in range(2):
            if night:
                new = add_split_article(net, "体育局", 2024, 4300)
                mark = len(net.hits)
            proc = run_nightly(sites, db, env=crawl_env(net.proxy_url), timeout=170)
            assert proc.returncode == 0, proc.stderr[-2000:]
            outs.append(proc.stdout)
    assert [h.target for h in net.hits if "4300" in h.target] == [
        "/zwgk/nb/202502/t20250201_4300.html", "/zwgk/nb/202502/t20250201_4300_1.html"], outs
    out = subprocess.run([sys.executable, "-m", "nianbao_cli", "export", "--db", str(db), "--format", "jsonl"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    reports = [json.loads(line) for line in out.splitlines() if line.strip()]
    check("split, two nights", net, reports, [], subprocess.CompletedProcess([], 0, outs[-1], ""))
    import sqlite3
    con = sqlite3.connect(db)
    versions = con.execute("SELECT COUNT(*) FROM report_versions").fetchone()[0]
    con.close()
    assert versions == len(net.expected), f"{versions} versions of {len(net.expected)} reports: {outs}"
    assert new in {r["source_url"] for r in reports}
    # every report page read again on night 2 is handed over (a split one waits for its pages:
    # none may be held back by the nightly's skipping of known pages)
    firsts = {u.split("/", 3)[3] for urls in net.report_urls.values() for u in urls}
    reread = {h.target for h in net.hits[mark:] if h.target.lstrip("/") in firsts}
    import re
    stored = re.search(r"(\d+) reports stored", outs[-1])
    assert stored and int(stored.group(1)) == len(reread), (sorted(reread), outs[-1])
