"""The HTML reader: charset detection, tables as printed, layout tables, boilerplate, metadata."""

from __future__ import annotations

import time

import pytest

from parsers.document import Table
from parsers.readers import read_document
from parsers.readers.html import read_html

BODY = ("<p>一、总体情况</p><p>2024年，我局主动公开政府信息356条，依申请公开办理及时规范。</p>"
        "<table border='1'><tr><td>信息内容</td><td>本年制发件数</td></tr>"
        "<tr><td>规章</td><td>0</td></tr></table>")


def page(head: str = "", body: str = BODY) -> str:
    return f"<html><head>{head}<title>年度报告</title></head><body>{body}</body></html>"


def tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_gbk_page_with_meta_charset_only():
    data = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk")
    doc = read_html(data, content_type="text/html")
    assert "一、总体情况" in doc.blocks
    assert tables(doc)[0].rows == [["信息内容", "本年制发件数"], ["规章", "0"]]


def test_gbk_page_with_http_header_only():
    doc = read_html(page().encode("gbk"), content_type="text/html; charset=GBK")
    assert "一、总体情况" in doc.blocks


def test_gbk_page_with_no_declaration_at_all():
    doc = read_html(page().encode("gb18030"), content_type="text/html")
    assert "一、总体情况" in doc.blocks


def test_gbk_page_whose_meta_wrongly_says_utf8():
    data = page('<meta charset="utf-8">').encode("gbk")
    doc = read_html(data, content_type="text/html; charset=utf-8")
    assert "一、总体情况" in doc.blocks


def test_utf8_page_whose_meta_wrongly_says_gb2312():
    data = page('<meta charset="gb2312">').encode("utf-8")
    doc = read_html(data)
    assert "一、总体情况" in doc.blocks


def test_gbk_only_character_in_a_page_declared_gb2312():
    # 镕 is in GBK/GB18030 but not in GB2312: decoding as GB2312 would fail or garble it
    data = page('<meta charset="gb2312">', "<p>朱镕基同志的讲话</p>").encode("gbk")
    assert read_html(data).blocks == ["朱镕基同志的讲话"]


def test_cell_text_nested_markup_nbsp_and_br():
    body = ("<table><tr><td><p><span>本年新</span><br/>制作数量</p></td><td>&nbsp;</td>"
            "<td><b>1</b><span>2</span></td></tr><tr><td>规章</td><td>0</td><td>3</td></tr></table>")
    [table] = tables(read_html(page(body=body).encode()))
    assert table.rows[0] == ["本年新 制作数量", "", "12"]


def test_rowspan_and_colspan_are_not_expanded():
    body = ("<table><tr><td rowspan='2'>三、本年度办理结果</td><td colspan='2'>（三）不予公开</td>"
            "<td>1</td></tr><tr><td>1.属于国家秘密</td><td>2</td><td>0</td></tr></table>")
    [table] = tables(read_html(page(body=body).encode()))
    assert table.rows == [["三、本年度办理结果", "（三）不予公开", "1"], ["1.属于国家秘密", "2", "0"]]


def test_layout_table_yields_the_inner_data_table():
    inner = "<table><tr><td>规章</td><td>0</td></tr><tr><td>行政规范性文件</td><td>4</td></tr></table>"
    body = (f"<table><tr><td><p>一、总体情况</p><p>说明文字。</p>{inner}<p>二、其他</p></td>"
            "<td>侧栏</td></tr></table>")
    doc = read_html(page(body=body).encode())
    assert tables(doc) == [Table(rows=[["规章", "0"], ["行政规范性文件", "4"]])]
    assert doc.blocks.index("一、总体情况") < doc.blocks.index(tables(doc)[0]) \
        < doc.blocks.index("二、其他")


def test_single_column_layout_table_is_prose():
    body = "<table><tr><td><p>一、总体情况</p><p>正文第一段。</p></td></tr></table>"
    assert read_html(page(body=body).encode()).blocks == ["一、总体情况", "正文第一段。"]


def test_table_flattened_into_paragraph_lines_survives_as_lines():
    body = "<p>规章 0 0 0<br>行政规范性文件 0 0 4</p><div>第二十条第（五）项</div>"
    assert read_html(page(body=body).encode()).blocks == [
        "规章 0 0 0", "行政规范性文件 0 0 4", "第二十条第（五）项"]


def test_scripts_styles_comments_and_hidden_elements_are_dropped():
    body = ("<script>var a='一、总体情况';</script><style>p{}</style><!-- 注释 -->"
            "<div style='display: none'>隐藏</div><p>正文</p>")
    assert read_html(page(body=body).encode()).blocks == ["正文"]


def test_boilerplate_is_trimmed_but_article_and_tables_are_kept():
    paragraphs = "".join(f"<p>（{n}）本机关在第{n}方面认真落实政府信息公开条例的各项要求，取得实效。</p>"
                         for n in "一二三四五六")
    html = f"""<html><head><title>某局2024年政府信息公开工作年度报告_某市人民政府</title>
      <meta name="ArticleTitle" content="某局2024年政府信息公开工作年度报告">
      <meta name="PubDate" content="2025-01-20 09:30"><meta name="ContentSource" content="某市某局">
      </head><body>
      <div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
        <li><a href="/a">2023年政府信息公开工作年度报告</a></li></ul></div>
      <div class="main"><h1>某局2024年政府信息公开工作年度报告</h1>
        <div class="info">发布时间：2025-01-20 来源：某市某局</div>
        <div class="TRS_Editor"><p>一、总体情况</p>{paragraphs}
        <table border="1"><tr><td>规章</td><td>0</td></tr><tr><td>行政规范性文件</td><td>2</td></tr></table>
        <p>五、存在的主要问题及改进情况</p>{paragraphs}
        <p style="text-align:right">某市某局</p><p style="text-align:right">2025年1月20日</p></div>
        <div class="share">分享到：微信 微博</div></div>
      <div class="footer"><p>版权所有：某市人民政府办公室　网站标识码：1234567890</p>
        <p>地址：某市某路1号　联系电话：0000-12345678</p></div></body></html>"""
    doc = read_html(html.encode("utf-8"), url="http://www.example.gov.cn/art/2025/1/20/t20250120_1.html")
    assert doc.title == "某局2024年政府信息公开工作年度报告"
    assert doc.metadata == {"page_title": "某局2024年政府信息公开工作年度报告_某市人民政府",
                            "publisher": "某市某局", "published_date": "2025-01-20"}
    text = doc.text()
    assert "版权所有" not in text and "首页" not in text
    assert "一、总体情况" in doc.blocks and "五、存在的主要问题及改进情况" in doc.blocks
    assert tables(doc)[0].rows == [["规章", "0"], ["行政规范性文件", "2"]]
    assert doc.blocks.index("一、总体情况") < doc.blocks.index(tables(doc)[0])
    # the closing signature stays (the interpreter reads agency and date from it)
    signature = doc.blocks.index("某市某局")
    assert doc.blocks[signature + 1] == "2025年1月20日"


@pytest.mark.parametrize("snippet, expected", [
    ("<p>发布机构：某县民政局　　发布日期：2023-01-19</p>", ("某县民政局", "2023-01-19")),
    ("<div>信息来源: 某区科学技术局 发布时间: 2022年1月5日 浏览次数：99</div>",
     ("某区科学技术局", "2022-01-05")),
    ("<span>成文日期：2021/02/03</span>", (None, "2021-02-03")),
])
def test_publisher_and_date_fields_of_the_page(snippet, expected):
    doc = read_html(page(body=snippet + BODY).encode())
    assert (doc.metadata.get("publisher"), doc.metadata.get("published_date")) == expected


def test_trs_url_date_is_the_last_resort():
    doc = read_html(page().encode(), url="http://x.gov.cn/zwgk/202301/t20230119_6158314.html")
    assert doc.metadata["published_date"] == "2023-01-19"
    assert "publisher" not in doc.metadata


def test_html_nested_100000_deep_does_not_crash_or_recurse():
    data = ("<html><body>" + "<div>" * 100_000 + "深处的文字" + "</div>" * 100_000
            + "</body></html>").encode()
    started = time.process_time()  # CPU: other jobs on the machine do not count
    doc = read_document(data, content_type="text/html", url="deep.html")
    assert time.process_time() - started < 10
    assert doc.kind == "html"


def test_html_sent_as_octet_stream_with_a_doc_name_is_html():
    doc = read_document(page().encode(), content_type="application/octet-stream", url="a.doc")
    assert doc.kind == "html"
    assert "一、总体情况" in doc.blocks


def test_tables_as_pictures_need_ocr():
    body = ("<p>二、主动公开政府信息情况</p><p><img src='/pic/t2.png'></p>"
            "<p>三、收到和处理政府信息公开申请情况</p><p><img src='/pic/t3.jpg' width='600'></p>"
            "<p><img src='/icons/print.gif' width='16' height='16'></p>")
    doc = read_html(page(body=body).encode())
    assert doc.needs_ocr is True
    assert any("pictures (2 images" in w for w in doc.warnings)


def test_a_report_with_tables_and_a_logo_does_not_need_ocr():
    doc = read_html(page(body="<p>三、收到和处理政府信息公开申请情况</p><img src='/logo.png'>"
                              + BODY).encode())
    assert doc.needs_ocr is False and doc.warnings == []


def test_data_table_with_a_long_footnote_row_stays_a_table():
    note = "注：" + "本表数据统计口径为本机关全年收到的政府信息公开申请，含网上申请和信函申请。" * 10
    rows = "".join(f"<tr><td>{n}.属于第{n}类</td><td>0</td><td>1</td><td>2</td></tr>" for n in range(1, 5))
    body = f"<table>{rows}<tr><td colspan='4'>{note}</td></tr></table>"
    [table] = tables(read_html(page(body=body).encode()))
    assert table.rows[0] == ["1.属于第1类", "0", "1", "2"]
    assert table.rows[-1] == [note]


def test_page_frame_table_with_long_prose_cells_is_layout():
    prose = "本年度，我局认真贯彻落实政府信息公开条例，持续推进政务公开工作。" * 15
    body = (f"<table><tr><td>网站首页</td><td>政务公开</td></tr><tr><td>导航</td><td><p>一、总体情况</p>"
            f"<p>{prose}</p></td></tr></table>")
    doc = read_html(page(body=body).encode())
    assert tables(doc) == []
    assert "一、总体情况" in doc.blocks and prose in doc.blocks


def test_huge_page_of_many_paragraphs_and_tables_stays_fast():
    unit = "<div><p>段落文字，第{n}段。</p><table><tr><td>规章</td><td>{n}</td></tr></table></div>"
    body = "".join(unit.format(n=n) for n in range(20_000))
    started = time.process_time()  # CPU: other jobs on the machine do not count
    doc = read_html(page(body=body).encode())
    assert time.process_time() - started < 15
    assert len(tables(doc)) == 20_000
    assert doc.blocks[-2:] == ["段落文字，第19999段。", Table(rows=[["规章", "19999"]])]
