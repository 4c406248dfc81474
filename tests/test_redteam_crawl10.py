"""Red-team crawls, round 10: discovery as real CMSs write it (``tests/redteam_web10.py``) — rows
drawn by script (a backend's JSON with \\u escapes, ``javascript:;`` links carrying ``data-href``,
``#`` links with ``onclick``), columns in frames and iframes a menu script loads, behind meta and
timed script redirects and ``<base href>``, attachments named only by ``Content-Disposition``
and served as octet-stream or ``text/html``, a 年报 column split by year with departments' sub-sites,
a neighbouring county's report titled year first, and the lookalikes real columns carry.

The webs are crawled together by the real ``nianbao crawl`` with ``http_proxy`` set; the checks are
round 2's (``tests/test_redteam_crawl2.check``): recall ≥ 98%, no stored report that is not one of
the reachable ones, no duplicate, robots.txt, ``.gov.cn`` only, every cell equal to fixturegen's.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_crawl10.py
"""

from __future__ import annotations

import pytest

from tests.redteam_web5 import merged
from tests.redteam_web10 import files_web, frames_web, scripts_web, years_web
from tests.test_redteam_crawl2 import check, crawl


@pytest.mark.slow
def test_script_rows_frames_unnamed_attachments_year_columns_and_lookalikes(tmp_path):
    net, seeds = merged(scripts_web(), frames_web(), files_web(), years_web())
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("round10", net, reports, errors, proc)
    # the neighbouring county's report (linked year first from a year list) is its own site's: not asked
    assert not [h for h in net.hits if h.host == "www.lfxian.gov.cn"]
    # no lookalike asked: 一图读懂 among the script rows, 法治政府建设年度报告, 企业年度报告公示, 统计年报 …
    asked = {h.target for h in net.hits}
    assert not [t for t in asked if "/x_" in t or t.endswith("_99.html")], sorted(asked)
    # openDetail('8a81e3') of a function in a script not read: no URL made of the id
    assert not [t for t in asked if "8a81e3" in t], sorted(asked)
    # a report page's menu (the TRS template's 政务服务, 走进本地) is the site's chrome: not explored
    assert not asked & {"/zwfw/", "/zjxx/", "/hdjl/"}, sorted(asked)
    # the departments' sub-sites on the county's own domain were walked (their columns, not only
    # the reports the year lists link)
    assert net.count("jyj.nfxian.gov.cn", "/zwgk/nb/") == 1


# ---- the rules, on their own --------------------------------------------------------------------
def test_rows_written_as_escaped_json_and_links_carrying_data_href():
    from crawler.discovery.links import extract_links
    page = ('<ul id="nb"></ul><script>var list = [{"title": "\\u67d0\\u53bf\\u8d22\\u653f\\u5c402023\\u5e74'
            '\\u653f\\u5e9c\\u4fe1\\u606f\\u516c\\u5f00\\u5de5\\u4f5c\\u5e74\\u5ea6\\u62a5\\u544a", "url": "/nb/1.html"}];'
            '</script><a href="javascript:;" data-href="/nb/2.html" class="item">某县2022年政府信息公开工作年度报告</a>'
            '<a href="javascript:void(0)" onclick="go(3)" data-url="/nb/3.html">某县2021年政府信息公开工作年度报告</a>'
            '<a href="javascript:;" data-href="/static/app.js">脚本</a>'
            # (a function the page does not hold, called with an id: no URL — "8a81e3" is no path)
            '<a href="javascript:openDetail(\'8a81e3\')">某县2020年政府信息公开工作年度报告</a>'
            '<a href="javascript:void(0)" onclick="viewDoc(\'4\')">某县2019年政府信息公开工作年度报告</a>')
    got = [(link.url.rsplit("/", 1)[1], link.text) for link in extract_links(page, "http://a.gov.cn/nb/")]
    assert got == [("1.html", "某县财政局2023年政府信息公开工作年度报告"), ("2.html", "某县2022年政府信息公开工作年度报告"),
                   ("3.html", "某县2021年政府信息公开工作年度报告")]


def test_other_annual_reports_attachment_links_and_a_government_named_after_the_year():
    from crawler.discovery.scoring import score_link
    from crawler.spiders.reports import government_named, same_government
    col = "http://a.gov.cn/xxgk/nb/"
    for title in ("某县2024年法治政府建设年度报告", "某县2023年度企业年度报告公示", "某县2023年统计年报", "法治政府建设年度报告",
                  "企业年报公示", "某县2023年社会责任报告"):
        assert score_link(title, col + "x.html", "", "column", col).tier == "drop", title
    # the disclosure reports themselves, and a department's short title, are still reports
    for title in ("某县审计局2023年度报告", "某县统计局2023年年报", "某县法治政府建设和政府信息公开工作2023年度报告",
                  "某县2023年政府信息公开工作年度报告"):
        assert score_link(title, col + "y.html", "", "column", col).tier == "report", title
    assert score_link("政府信息公开年报", col, "", "platform").tier == "column"
    # a report page's link saying only 附件1 to a storage path that says nothing: its attachment
    # (a page's URL, .html or a directory, stays a page; elsewhere such a link is nothing)
    store = "http://a.gov.cn/uploadfiles/2024/0120/8f3a9c2e"
    assert [score_link(t, store, "", "report", col + "1.html").tier for t in ("附件1", "附件：", "【下载】")] == ["document"] * 3
    assert score_link("附件1", col + "2.html", "", "report", col + "1.html").tier == "other"
    assert score_link("附件1", store, "", "column", col).tier == "other"
    assert government_named("2024年邻丰县人民政府政府信息公开工作年度报告") == "邻丰县"
    assert government_named("二〇二三年度岚山县政务公开工作年度报告") == "岚山县"
    assert government_named("2024年政府信息公开工作年度报告") is None
    assert not same_government(government_named("2024年邻丰县人民政府政府信息公开工作年度报告"), "年丰县")
