"""List and pagination parsers of each CMS family, on frozen pages (tests/pages/, no network)."""

from __future__ import annotations

from pathlib import Path

from crawler.discovery import lists
from crawler.discovery.links import extract_links
from crawler.discovery.scoring import score_link
from crawler.encoding import choose_encoding

PAGES = Path(__file__).parent / "pages"


def read(name: str) -> str:
    data = (PAGES / name).read_bytes()
    return data.decode(choose_encoding(data, None))


def test_trs_pages_from_create_page_html_with_variables():
    url = "http://www.mou.gov.cn/zfxxgk/zfxxgknb/index.shtml"
    assert lists.trs_pages(read("trs_list_gbk.html"), url) == [
        f"http://www.mou.gov.cn/zfxxgk/zfxxgknb/index_{i}.shtml" for i in range(1, 5)]


def test_trs_pages_new_signature_with_element_id():
    url = "http://www.mou.gov.cn/zwgk/ndbg/index_1.html"
    assert lists.trs_pages(read("trs_list_new_signature.html"), url) == [
        "http://www.mou.gov.cn/zwgk/ndbg/index_1.html", "http://www.mou.gov.cn/zwgk/ndbg/index_2.html"]


def test_trs_pages_absent():
    assert lists.trs_pages(read("generic_list.html"), "http://x.gov.cn/") == []


def test_trs_gbk_list_links_and_scores():
    url = "http://www.mou.gov.cn/zfxxgk/zfxxgknb/index.shtml"
    links = extract_links(read("trs_list_gbk.html"), url)
    tiers = {link.url: score_link(link.text, link.url, link.context, "column").tier for link in links}
    assert tiers["http://www.mou.gov.cn/zfxxgk/zfxxgknb/202401/t20240125_3456789.shtml"] == "report"
    assert tiers["http://www.mou.gov.cn/zfxxgk/zfxxgknb/202401/t20240118_3456001.shtml"] == "drop"
    # the onclick link to a PDF, with a Chinese-numeral year
    pdf = "http://www.mou.gov.cn/zfxxgk/zfxxgknb/202301/P020230120556677889900.pdf"
    assert tiers[pdf] == "report"
    assert score_link("某市人民政府二〇二二年政府信息公开年报", pdf).document
    assert tiers["http://www.mou.gov.cn/zwgk/zfgzbg/202401/t20240120_3455000.shtml"] == "drop"   # 政府工作报告


def test_hanweb_column_records_and_params():
    url = "http://www.mou.gov.cn/col/col361188/index.html"
    col = lists.hanweb_column(read("hanweb_column.html"), url)
    assert col is not None
    assert len(col.records) == 3
    assert col.proxy_url == "http://www.mou.gov.cn/module/web/jpage/dataproxy.jsp"
    assert col.per_page == 3 and col.total == 11
    assert col.params["columnid"] == "361188" and col.params["unitid"] == "2101771"
    assert col.params["webid"] == "12" and col.params["path"] == "/"
    links = lists.record_links(col.records, url)
    assert [link.url for link in links][:2] == ["http://www.mou.gov.cn/art/2024/1/22/art_361188_4123.html",
                                               "http://www.mou.gov.cn/art/2024/1/10/art_361188_4100.html"]
    # truncated text, full title attribute
    assert score_link(links[1].text, links[1].url).tier == "report"
    assert score_link(links[2].text, links[2].url).document


def test_hanweb_requests_cover_the_remaining_records():
    col = lists.hanweb_column(read("hanweb_column.html"), "http://www.mou.gov.cn/col/col361188/index.html")
    reqs = lists.hanweb_requests(col)
    assert reqs[0][0].endswith("dataproxy.jsp?startrecord=4&endrecord=11&perpage=3")
    assert len(reqs) == 1
    assert reqs[0][1]["columnid"] == "361188" and reqs[0][1]["unitid"] == "2101771"


def test_hanweb_without_total_asks_one_chunk():
    html = read("hanweb_column.html").replace("totalRecord: 11,", "")
    col = lists.hanweb_column(html, "http://www.mou.gov.cn/col/col361188/index.html")
    assert col.total is None
    reqs = lists.hanweb_requests(col)
    assert len(reqs) == 1 and "startrecord=4&endrecord=12" in reqs[0][0]


def test_hanweb_dataproxy_reply():
    xml = read("hanweb_dataproxy.xml")
    assert lists.hanweb_total(xml) == 11
    links = lists.record_links(lists.hanweb_records(xml), "http://www.mou.gov.cn/col/col361188/index.html")
    assert [link.url for link in links] == ["http://www.mou.gov.cn/art/2023/1/12/art_361188_3900.html",
                                            "http://www.mou.gov.cn/art/2022/1/14/art_361188_3700.html"]


def test_not_hanweb():
    assert lists.hanweb_column(read("generic_list.html"), "http://x.gov.cn/") is None


def test_json_api_found_in_script_with_paging_parameter():
    apis = lists.json_apis(read("json_column.html"), "http://www.mou.gov.cn/xxgk/ndbg/")
    assert [(a.url, a.page_param) for a in apis] == [
        ("http://www.mou.gov.cn/api/content/list?channelId=88&pageSize=10", "pageNo")]


def test_json_items_and_page_count():
    obj = lists.load_json(read("json_list.json"))
    links = lists.json_links(obj, "http://www.mou.gov.cn/api/content/list?channelId=88")
    assert [link.url for link in links] == [
        "http://www.mou.gov.cn/xxgk/ndbg/202401/content_5012.html",
        "https://www.mou.gov.cn/xxgk/ndbg/202301/content_5001.html",
        "http://www.mou.gov.cn/xxgk/tzgg/202212/content_4990.html"]
    assert [score_link(link.text, link.url).tier for link in links] == ["report", "report", "drop"]
    assert lists.json_page_count(obj) == 3
    assert lists.with_param("http://x.gov.cn/api?a=1&pageNo=1", "pageNo", 3) == "http://x.gov.cn/api?a=1&pageNo=3"


def test_jsonp_reply():
    assert lists.load_json('cb({"data": {"totalPage": 4, "list": []}});') == {"data": {"totalPage": 4, "list": []}}
    assert lists.load_json("<html>not json</html>") is None


def test_generic_pages_from_total_and_pattern():
    url = "http://www.mou.gov.cn/zwgk/ndbg/index.html"
    html = read("generic_list.html")
    pages = lists.generic_pages(html, url, extract_links(html, url))
    assert pages == [f"http://www.mou.gov.cn/zwgk/ndbg/list_{i}.html" for i in range(1, 6)]
