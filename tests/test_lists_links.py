"""Link extraction and scoring on frozen pages: generic link texts, attachments, lookalikes."""

from __future__ import annotations

from pathlib import Path

from crawler.discovery.links import extract_links, page_meta, page_title, parse_html
from crawler.discovery.scoring import (
    canonical_url,
    is_document_url,
    is_report_title,
    score_link,
    url_filename,
)

PAGES = Path(__file__).parent / "pages"


def test_view_links_take_the_title_from_their_row():
    html = (PAGES / "aggregated.html").read_text(encoding="utf-8")
    links = extract_links(html, "http://www.mou.gov.cn/zwgk/ndbg/hz.html")
    scored = {link.url: score_link(link.text, link.url, link.context, "column").tier for link in links}
    assert scored["http://wjw.mou.gov.cn/zwgk/ndbg/2024/art_1.html"] == "report"
    assert scored["http://jtj.mou.gov.cn/zwgk/ndbg/2024/art_7.html"] == "report"
    assert scored["http://tjj.mou.gov.cn/tjgb/2024/art_3.html"] not in ("report", "column")   # 统计公报


def test_report_page_attachments_in_every_form():
    html = (PAGES / "report_with_attachments.html").read_text(encoding="utf-8")
    url = "http://www.mou.gov.cn/zwgk/ndbg/2024/art_5.html"
    links = extract_links(html, url)
    docs = [link for link in links if is_document_url(link.url)]
    names = [url_filename(link.url) for link in docs]
    assert "某县农业农村局2023年政府信息公开工作年度报告.pdf" in names     # raw Chinese file name
    assert "年报表格.xlsx" in names                                     # percent-encoded
    assert "240126.docx" in names                                       # onclick download script
    assert "nb2023.wps" in names                                        # a script string
    tiers = {url_filename(link.url): score_link(link.text, link.url, link.context, "report").tier
             for link in docs}
    assert tiers["template.doc"] == "drop"                              # the blank template
    assert tiers["年报表格.xlsx"] in ("document", "report")


def test_page_title_and_meta():
    doc = parse_html((PAGES / "report_with_attachments.html").read_text(encoding="utf-8"))
    assert page_title(doc) == "某县农业农村局2023年政府信息公开工作年度报告"
    assert page_meta(doc) == {"publisher": "某县农业农村局", "published_date": "2024-01-26"}


def test_report_titles_and_lookalikes():
    yes = ["某县人民政府2023年政府信息公开工作年度报告", "某县2023年度政府信息公开年报", "二〇二三年政务公开工作年度报告",
           "某局2021年政府信息公开工作年度报告（更正版）"]
    no = ["关于做好2023年政府信息公开工作年度报告编制和报送工作的通知", "政府信息公开工作年度报告模板", "2024年政务公开工作要点",
          "2024年政府工作报告", "2023年国民经济和社会发展统计公报", "2024年部门预算公开", "图解：某县2023年政府信息公开工作年度报告",
          "政府信息公开年报"]
    assert all(is_report_title(t) for t in yes)
    assert not any(is_report_title(t) for t in no)


def test_column_and_platform_links():
    assert score_link("政府信息公开年报", "http://x.gov.cn/zfxxgk/nb/").tier == "column"
    assert score_link("更多", "http://x.gov.cn/zfxxgk/gknb/index.shtml").tier == "column"
    assert score_link("政府信息公开", "http://x.gov.cn/zfxxgk/").tier == "platform"
    assert score_link("财政预决算", "http://x.gov.cn/zwgk/czyjs/").tier == "drop"
    assert score_link("政务公开工作要点", "http://x.gov.cn/zwgk/gzyd/").tier == "drop"
    # department names are not navigation: they may lead to the department's own 年报
    assert score_link("县财政局", "http://x.gov.cn/bm/czj/").tier == "other"
    assert score_link("某某街道办事处", "http://x.gov.cn/jd/1/").tier == "other"


def test_traps_are_dropped():
    assert score_link("下一月", "http://x.gov.cn/calendar/?month=2024-02").tier == "drop"
    assert score_link("3", "http://x.gov.cn/search/?q=年报&page=3").tier == "drop"


def test_pagination_only_on_lists():
    assert score_link("下一页", "http://x.gov.cn/nb/list_2.html", page_tier="column").tier == "pagination"
    assert score_link("下一页", "http://x.gov.cn/news/list_2.html", page_tier="other").tier == "other"


def test_canonical_url_drops_session_ids_only():
    assert canonical_url("http://X.gov.cn/a/;jsessionid=AB12?sid=9&page=2#top") == "http://x.gov.cn/a/?page=2"
    assert canonical_url("http://x.gov.cn:80/b?id=%D6%D0") == "http://x.gov.cn/b?id=%D6%D0"   # GBK query kept


def test_date_only_links_and_document_viewers():
    html = ("<ul><li><span>某县2023年政府信息公开工作年度报告</span><a href='/a/1.html'>2024-01-20</a></li></ul>"
            "<p><a href='/pdfjs/web/viewer.html?file=%2Fuploads%2Fnb2023.pdf'>在线浏览</a></p>"
            "<embed src='/uploads/nb2022.pdf' type='application/pdf'>")
    links = extract_links(html, "http://x.gov.cn/nb/")
    assert score_link(links[0].text, links[0].url, links[0].context).tier == "report"
    assert [link.url for link in links[1:]] == ["http://x.gov.cn/uploads/nb2023.pdf",
                                                "http://x.gov.cn/uploads/nb2022.pdf"]


def test_json_keys_in_any_case():
    from crawler.discovery.lists import json_links, json_page_count

    obj = {"Data": {"TotalPage": 2, "Rows": [{"DocTitle": "某局2023年政府信息公开年报", "DocUrl": "/a/5.html"}]}}
    (link,) = json_links(obj, "http://x.gov.cn/nb/")
    assert (link.url, link.text) == ("http://x.gov.cn/a/5.html", "某局2023年政府信息公开年报")
    assert json_page_count(obj) == 2
