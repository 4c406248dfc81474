"""Red-team round 9: a report's agency printed after its title, each read wrong before its fix.

- **the agency in brackets or after a dash behind the title** (a county portal's department
  pages: ``2024年政府信息公开工作年度报告（青川县民政局）``, ``…年度报告——青川县民政局``, the
  bracket on the title's second line, ``…年度报告（青川县民政局2024年度）``): the bracket was
  taken for an edition note and dropped, the dash kept as part of a title naming no agency — the
  agency null when no signature names it (5 of 5 forms). The title keeps the bracket, and its
  agency is the title's (``metadata.match_title``, ``read_metadata``); a portal's site after a
  hyphen (``…年度报告-某某县人民政府``) still names none.
- **the title under a site's whole navigation** (a CMS page printed to PDF and re-saved by a
  stamping tool that drops the PDF's own title; a text copy of the page): nine lines of site
  name, search box, menu and breadcrumb above it, and the title was sought in the first eight
  lines before section 一 only — title, and the agency it names, lost. It is sought in the
  first twenty (``read_metadata``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse11_meta.py
"""

from __future__ import annotations

import re

from parsers import parse_document
from parsers.metadata import match_title
from tests.fixturegen import expected_json, make_figures, render

FORMS = ("{y}年政府信息公开工作年度报告（{a}）", "{y}年度政府信息公开工作年度报告({a})",
         "{y}年政府信息公开工作年度报告——{a}", "政府信息公开工作年度报告（{a}{y}年度）",
         "{y}年政府信息公开工作年度报告<br/>（{a}）")


def test_agency_after_the_title() -> None:
    misses = []
    for seed, fmt in ((3, "2021"), (5, "2019")):
        fig = make_figures(seed, fmt)
        page = re.sub(r"<title>.*?</title>", "<title></title>", render(fig, "html", "official").decode())
        exp = expected_json(fig, "html", "official")
        agency, year = exp["agency"], exp["year"]
        for form in FORMS:
            title = form.format(y=year, a=agency)
            # The title is the only place naming the agency (no signature, no <title>).
            doc = title.join(p.replace(agency, "本机关") for p in page.split(exp["title"]))
            got = parse_document(doc.encode(), None, "report.html")
            if (got["agency"], got["year"]) != (agency, year) or agency not in got["title"]:
                misses.append(f"{seed} {form}: {got['title']!r} {got['agency']!r} {got['year']}")
    assert misses == []
    # A portal's name after a hyphen, or an edition note in brackets, names no agency.
    assert match_title("2024年政府信息公开工作年度报告-青川县人民政府").agency is None
    assert match_title("青川县民政局2024年政府信息公开工作年度报告（更正版）").agency == "青川县民政局"
    assert match_title("2024年政府信息公开工作年度报告（全文）").agency is None


NAVIGATION = ["青州市人民政府门户网站", "请输入关键字 搜索", "首页", "政务公开", "政务服务", "互动交流",
              "走进本地", "无障碍", "当前位置：首页 > 政务公开 > 政府信息公开年报", "字号：大 中 小"]


def test_title_under_a_site_navigation() -> None:
    misses = []
    for seed, fmt in ((3, "2021"), (5, "2019")):
        fig = make_figures(seed, fmt)
        exp = expected_json(fig, "txt", "tabs")
        text = render(fig, "txt", "tabs").decode()
        doc = "\n".join(NAVIGATION) + "\n" + text.replace(exp["agency"], "本机关").replace(
            exp["title"].replace(exp["agency"], "本机关"), exp["title"])
        got = parse_document(doc.encode(), None, "report.txt")
        if ("".join((got["title"] or "").split()), got["agency"]) != \
                ("".join(exp["title"].split()), exp["agency"]):
            misses.append(f"{seed}: {got['title']!r} {got['agency']!r}")
    assert misses == []
