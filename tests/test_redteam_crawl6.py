"""Red-team crawls, round 5: single-page apps with hash routes, JSON bodies of computed values,
gateway challenges that compute their cookie, UpdatePanels triggered from outside, a 年报 tab
under the 政府信息公开指南, meta refresh, session ids, host aliases and lookalikes.

Each web of ``tests/redteam_web5.py`` is crawled once by the real ``nianbao crawl`` in a
subprocess through the web's proxy (``tests/test_redteam_crawl2.crawl``/``check``): recall ≥ 98%
of the reachable reports, no stored report that is not one of them, no duplicate, no robots.txt
violation, only ``.gov.cn`` hosts, every cell equal to fixturegen's expected JSON. The rules the
webs needed are tested on their own below.

    .venv/bin/python -m pytest -q -n 2 tests/test_redteam_crawl6.py
"""

from __future__ import annotations

import pytest

from tests.redteam_web5 import aspnet5_web, gate_web, portal_web, spa_web
from tests.test_redteam_crawl2 import check, crawl


@pytest.mark.slow
def test_single_page_app_and_computed_json_bodies(tmp_path):
    """A hash-routed app whose list and detail APIs are named only in its bundled app.js; a JSON
    POST whose body needs a variable, a hidden input's value and a timestamp."""
    net, seeds = spa_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("spa", net, reports, errors, proc)
    # the vendor bundle is not asked for; the refused calls are none
    assert net.count("www.spxian.gov.cn", "/xxgk/static/js/chunk-vendors.2b7a.js") == 0
    assert not [h for h in net.hits if h.host == "www.jsxian.gov.cn" and h.target == "/cms/api/info/page"
                and h.status != 200]


@pytest.mark.slow
def test_gateway_challenges_that_compute_the_cookie(tmp_path):
    net, seeds = gate_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("gate", net, reports, errors, proc)
    for host, rounds in (("www.jlxian.gov.cn", 2), ("www.hyxian.gov.cn", 3)):
        homes = [h.status for h in net.hits if h.host == host and h.target == "/"]
        assert len(homes) == rounds, (host, homes)


@pytest.mark.slow
def test_update_panel_triggered_from_outside(tmp_path):
    net, seeds = aspnet5_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("aspnet5", net, reports, errors, proc)
    for host, pages in net.list_pages.items():
        posts = [h for h in net.hits if h.host == host and h.method == "POST"]
        assert len(posts) <= 2 * pages + 2, f"{host}: {len(posts)} POSTs for {pages} pages"
        assert not [h for h in posts if h.status != 200], f"{host}: a POST the server refused"


@pytest.mark.slow
def test_portal_habits(tmp_path):
    """Meta refresh, a 年报 tab under the 指南, ;jsessionid= in every link, lookalikes on the list,
    a site seeded without www. linking both names, an iframe platform, an XLSX-only report."""
    net, seeds = portal_web()
    reports, errors, proc = crawl(net, seeds, tmp_path)
    check("portal", net, reports, errors, proc)
    # each report page asked once, whatever session id its link carried
    arts = [h.target for h in net.hits if h.host == "www.zlxian.gov.cn" and h.target.startswith("/zfxxgk/nb/20")]
    assert len(arts) == len(set(a.split(";")[0] for a in arts)), arts
