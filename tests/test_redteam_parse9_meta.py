"""Red-team round 7: a CMS article page printed to PDF by a browser (Chrome's 打印 → 另存为
PDF, its date and title atop each page, the URL and ``1/6`` below). The page's whole
navigation (门户网站, 搜索, 首页, 政务公开 … 当前位置) comes first, so the 发布日期 field
under the title stood beyond the eight lines looked at for it: a report signed without a date
had no published date (every printed TRS page tried, 6/6, before).

    .venv/bin/python -m pytest -q tests/test_redteam_parse9_meta.py
"""

from __future__ import annotations

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_meta

NAV = ["某市人民政府门户网站", "请输入关键字 搜索", "首页", "政务公开", "政务服务", "互动交流"]
TOOLS = ["【字体：大 中 小】", "【打印本页】 【关闭窗口】"]


def test_date_field_below_the_site_navigation() -> None:
    fig = make_figures(3, "2021")
    fig.sign_date = False  # signed with the agency's name only: the page's field dates it
    text = render(fig, "txt", "tabs").decode()
    title, rest = text.split("\n", 1)
    info = f"发布机构：{fig.agency}  发布日期：{fig.published_date}  浏览次数：674"
    page = "\n".join([*NAV, title, *TOOLS, info, title, rest])
    expected = {**expected_json(fig, "txt", "tabs"), "published_date": fig.published_date}
    got = parse_document(page.encode(), None, "report.txt")
    assert compare_meta(expected, got) + compare_cells(expected, got) == []
