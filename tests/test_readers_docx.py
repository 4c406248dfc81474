"""The DOCX reader: body order, merged cells, layout tables, text boxes, content controls, and
hostile files (zip bombs, entity expansion, truncation)."""

from __future__ import annotations

import io
import struct
import zipfile

import docx
import pytest
from docx.oxml import parse_xml

from parsers.document import ParseError, Table
from parsers.readers import read_document
from parsers.readers.docx import read_docx

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_paragraphs_and_tables_in_body_order_with_merged_cells():
    d = docx.Document()
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=4, cols=4)
    t.cell(0, 0).merge(t.cell(0, 3)).text = "第二十条第（一）项"  # gridSpan 4
    for i, text in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        t.cell(1, i).text = text
    t.cell(2, 0).merge(t.cell(3, 0)).text = "规章"  # vMerge over two rows
    t.cell(2, 1).text, t.cell(2, 3).text = "1", "3"
    t.cell(3, 1).text, t.cell(3, 2).text, t.cell(3, 3).text = "4", "5", "6"
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    doc = read_docx(save(d))
    assert doc.blocks == [
        "二、主动公开政府信息情况",
        Table(rows=[["第二十条第（一）项"],
                    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                    ["规章", "1", "", "3"],
                    ["4", "5", "6"]]),  # the covered 规章 cell is omitted
        "三、收到和处理政府信息公开申请情况",
    ]


def test_cell_with_several_paragraphs_is_one_cell():
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "本年新"
    t.cell(0, 0).add_paragraph("制作数量")
    t.cell(0, 1).text = "7"
    assert tables(read_docx(save(d)))[0].rows == [["本年新 制作数量", "7"]]


def test_layout_table_yields_the_inner_data_table():
    d = docx.Document()
    outer = d.add_table(rows=1, cols=1)
    outer.cell(0, 0).text = "四、政府信息公开行政复议、行政诉讼情况"
    inner = outer.cell(0, 0).add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "结果维持", "结果纠正"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "0", "1"
    doc = read_docx(save(d))
    assert doc.blocks == ["四、政府信息公开行政复议、行政诉讼情况",
                          Table(rows=[["结果维持", "结果纠正"], ["0", "1"]])]


def test_line_breaks_content_controls_and_text_boxes():
    d = docx.Document()
    d.add_paragraph("第一行").runs[0].add_break()
    d.paragraphs[0].add_run("第二行")
    body = d.element.body
    sdt = parse_xml(f'<w:sdt {W_NS}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件里的文字</w:t></w:r></w:p>'
                    f'</w:sdtContent></w:sdt>')
    box = parse_xml(
        f'<w:p {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:t>锚点</w:t></w:r>'
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
        '<w:p><w:r><w:t>文本框里的文字</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing>'
        '</mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的文字'
        '</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent>'
        '</w:r></w:p>')
    sect = body[-1]
    sect.addprevious(sdt)
    sect.addprevious(box)
    doc = read_docx(save(d))
    assert doc.blocks == ["第一行", "第二行", "控件里的文字", "锚点", "文本框里的文字"]


def test_core_title_is_the_container_title():
    d = docx.Document()
    d.core_properties.title = "某局2024年政府信息公开工作年度报告"
    d.add_paragraph("正文")
    assert read_docx(save(d)).title == "某局2024年政府信息公开工作年度报告"


def _zip(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buf.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def test_zip_bomb_by_compression_ratio_is_refused():
    bomb = b"<w:document " + W_NS.encode() + b"><w:body>" + b" " * (60 << 20) + b"</w:body></w:document>"
    data = _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": bomb})
    assert len(data) < 1 << 20
    with pytest.raises(ParseError, match="zip bomb"):
        read_document(data, url="bomb.docx")


def test_zip_bomb_by_declared_size_is_refused_before_reading():
    data = bytearray(_zip({"[Content_Types].xml": CONTENT_TYPES,
                           "word/document.xml": b"<w:document " + W_NS.encode() + b"/>"}))
    # Patch the central directory: claim the document part expands to 3 GB.
    pos = data.find(b"PK\x01\x02", data.find(b"word/document.xml") - 100)
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + name_len] == b"word/document.xml":
            struct.pack_into("<I", data, pos + 24, 3_000_000_000)
        pos = data.find(b"PK\x01\x02", pos + 4)
    with pytest.raises(ParseError, match="zip bomb"):
        read_docx(bytes(data))


def test_entity_expansion_is_refused():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
              b'<w:document ' + W_NS.encode() + b'><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p>'
              b'</w:body></w:document>')
    data = _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": laughs})
    with pytest.raises(ParseError, match="DTD"):
        read_document(data, url="laughs.docx")


def test_truncated_docx_is_refused():
    d = docx.Document()
    d.add_paragraph("正文" * 500)
    data = save(d)
    with pytest.raises(ParseError, match="corrupt or truncated"):
        read_document(data[: len(data) // 2], url="half.docx")


def test_tables_pasted_as_pictures_need_ocr():
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (300, 200), (220, 220, 220)).save(picture, "PNG")
    d = docx.Document()
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    d.add_picture(io.BytesIO(picture.getvalue()))
    doc = read_docx(save(d))
    assert doc.needs_ocr is True
    assert any("pictures" in w for w in doc.warnings)


def test_pictures_beside_real_tables_do_not_need_ocr():
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (30, 20)).save(picture, "PNG")
    d = docx.Document()
    d.add_picture(io.BytesIO(picture.getvalue()))
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    d.add_table(rows=1, cols=2).cell(0, 0).text = "规章"
    assert read_docx(save(d)).needs_ocr is False
