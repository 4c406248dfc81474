"""The PDF reader on PDFs drawn with reportlab: ruled and unruled tables, tables over two pages,
split numbers, wrapped labels, prose paragraphs, scanned pages, encryption and huge files."""

from __future__ import annotations

import io
import time

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

from parsers.document import ParseError, Table
from parsers.readers import read_document
from parsers.readers.pdf import MAX_PAGES, read_pdf
from tests.reader_inputs.pdfs import (
    FONT,
    HEIGHT,
    draw_lines,
    draw_ruled,
    draw_unruled,
    new_canvas,
    ruled_table_pdf,
)

HEAD = ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
ROWS = [
    ["一、本年新收政府信息公开申请数量", "3", "0", "1", "0", "0", "0", "4"],
    ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"],
    ["（一）予以公开", "2", "", "0", "0", "0", "0", "2"],
    ["（七）总计", "3", "0", "1", "0", "0", "0", "4"],
]
WIDTHS = [150] + [52] * 7


def tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_ruled_table_keeps_rows_blank_cells_and_spanning_cells_once():
    rows = [["", "申请人情况"], HEAD] + ROWS
    data = ruled_table_pdf(rows, widths=WIDTHS, spans={(0, 1): 7})
    doc = read_pdf(data)
    [table] = tables(doc)
    assert table.page == 1
    assert table.rows[0] == ["", "申请人情况"]  # spans 7 columns: one cell, not seven
    assert table.rows[1] == HEAD
    assert table.rows[2:] == ROWS  # the blank 商业企业 cell of （一）予以公开 stays "" in place
    assert doc.blocks[0] == "三、收到和处理政府信息公开申请情况"


def test_label_wrapped_inside_a_ruled_cell_is_joined():
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    data = ruled_table_pdf([HEAD, [label, "1", "0", "1", "0", "0", "0", "2"]], widths=WIDTHS,
                           row_height=40)
    [table] = tables(read_pdf(data))
    assert table.rows[1] == [label, "1", "0", "1", "0", "0", "0", "2"]


def test_number_drawn_as_two_text_runs_is_one_figure():
    buf = io.BytesIO()
    c = new_canvas(buf)
    draw_ruled(c, HEIGHT - 80, [["行政许可", ""], ["行政处罚", "7"]], [150, 80])
    c.setFont(FONT, 8)
    c.drawString(210, HEIGHT - 90, "1")  # "12" drawn as "1" and "2", 0.3 pt apart
    c.drawString(210 + c.stringWidth("1", FONT, 8) + 0.3, HEIGHT - 90, "2")
    c.showPage()
    c.save()
    [table] = tables(read_pdf(buf.getvalue()))
    assert table.rows == [["行政许可", "12"], ["行政处罚", "7"]]


def test_unruled_table_columns_blank_cells_and_wrapped_labels():
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    buf = io.BytesIO()
    c = new_canvas(buf)
    y = draw_lines(c, HEIGHT - 60, ["三、收到和处理政府信息公开申请情况"])
    draw_unruled(c, y - 20, [HEAD] + ROWS[:3] + [[label, "1", "0", "", "0", "0", "0", "1"]]
                 + ROWS[3:], WIDTHS)
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue())
    [table] = tables(doc)
    assert table.rows[0] == HEAD
    assert table.rows[1:4] == ROWS[:3]
    assert table.rows[3][2] == ""  # the blank cell is kept in its column, not dropped
    assert table.rows[4] == [label, "1", "0", "", "0", "0", "0", "1"]
    assert table.rows[5] == ROWS[3]
    assert doc.blocks[0] == "三、收到和处理政府信息公开申请情况"


def test_table_split_over_two_pages_is_emitted_per_page():
    buf = io.BytesIO()
    c = new_canvas(buf)
    draw_lines(c, HEIGHT - 60, ["本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。"])
    draw_ruled(c, 160, [HEAD] + ROWS[:2], WIDTHS)
    c.showPage()
    y = draw_ruled(c, HEIGHT - 60, ROWS[2:], WIDTHS)
    draw_lines(c, y - 30, ["四、政府信息公开行政复议、行政诉讼情况"])
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue())
    first, second = tables(doc)
    assert (first.page, second.page) == (1, 2)
    assert first.rows == [HEAD] + ROWS[:2]
    assert second.rows == ROWS[2:]
    assert doc.blocks[-1] == "四、政府信息公开行政复议、行政诉讼情况"
    assert doc.blocks.index(second) < doc.blocks.index("四、政府信息公开行政复议、行政诉讼情况")


def test_prose_lines_join_into_paragraphs_and_page_numbers_are_dropped():
    buf = io.BytesIO()
    c = new_canvas(buf)
    c.setFont(FONT, 11)
    sentence = "本年度我局认真贯彻落实政府信息公开条例，主动公开各类信息，"  # 28 chars
    c.drawString(94, 760, sentence)  # first line indented by two characters, same right edge
    c.drawString(72, 742, sentence + "持续")
    c.drawString(72, 724, "政务公开工作。")
    c.drawString(72, 700, "二、主动公开政府信息情况")
    c.drawString(290, 30, "- 1 -")
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue())
    assert doc.blocks == [sentence + sentence + "持续" + "政务公开工作。",
                          "二、主动公开政府信息情况"]


def _image_pdf(pages: int = 2) -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 200, 200)).save(picture, "PNG")
    buf = io.BytesIO()
    c = new_canvas(buf)
    for _ in range(pages):
        c.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 50, 300, 500, 375)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_tables_pasted_as_pictures_need_ocr():
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    picture = io.BytesIO()
    Image.new("RGB", (400, 300), (230, 230, 230)).save(picture, "PNG")
    buf = io.BytesIO()
    c = new_canvas(buf)
    y = draw_lines(c, HEIGHT - 60, ["某局2024年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"])
    c.drawImage(ImageReader(picture), 50, y - 420, 500, 375)
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue())
    assert doc.needs_ocr is True
    assert "三、收到和处理政府信息公开申请情况" in doc.blocks
    assert any("pictures" in w for w in doc.warnings)


def test_image_only_pdf_needs_ocr_and_has_no_tables():
    doc = read_pdf(_image_pdf())
    assert doc.needs_ocr is True
    assert tables(doc) == []
    assert any("OCR" in w for w in doc.warnings)


def test_encrypted_pdf_is_refused_with_one_line():
    buf = io.BytesIO()
    c = new_canvas(buf, encrypt=StandardEncryption("secret", ownerPassword="owner"))
    draw_lines(c, HEIGHT - 60, ["机密"])
    c.showPage()
    c.save()
    with pytest.raises(ParseError, match="encrypted PDF"):
        read_pdf(buf.getvalue())


def test_pdf_encrypted_with_an_empty_user_password_is_read():
    buf = io.BytesIO()
    c = new_canvas(buf, encrypt=StandardEncryption("", ownerPassword="owner", canPrint=1))
    draw_lines(c, HEIGHT - 60, ["一、总体情况"])
    draw_ruled(c, HEIGHT - 100, [["规章", "0"], ["行政规范性文件", "2"]], [150, 60])
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue())
    assert doc.blocks[0] == "一、总体情况"
    assert tables(doc)[0].rows == [["规章", "0"], ["行政规范性文件", "2"]]


def test_corrupt_pdf_is_a_parse_error():
    with pytest.raises(ParseError, match="corrupt PDF"):
        read_pdf(b"%PDF-1.4\n" + b"\x00garbage" * 100)


def many_pages_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` pages sharing one content stream, written directly (fast)."""
    content = b"BT /F1 12 Tf 72 720 Td (page of a very long document) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>")
    objects += [page] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_three_thousand_pages_are_capped_quickly():
    data = many_pages_pdf(3000)
    started = time.process_time()  # CPU: other jobs on the machine do not count
    doc = read_document(data, url="huge.pdf")
    elapsed = time.process_time() - started
    assert elapsed < 15
    assert any(f"first {MAX_PAGES}" in w for w in doc.warnings)
    assert doc.blocks.count("page of a very long document") == MAX_PAGES


def test_pdf_with_a_wrong_extension_is_still_a_pdf():
    data = ruled_table_pdf([["规章", "0"], ["行政规范性文件", "2"]], widths=[150, 60])
    doc = read_document(data, content_type="application/msword", url="report.docx")
    assert doc.kind == "pdf"
    assert tables(doc)[0].rows == [["规章", "0"], ["行政规范性文件", "2"]]


def test_unruled_blocks_with_one_row_of_figures_are_tables():
    buf = io.BytesIO()
    c = new_canvas(buf)
    y = draw_lines(c, HEIGHT - 60, ["第二十条第（五）项"], size=8, x0=250)
    y = draw_unruled(c, y - 6, [["信息内容", "", "", "本年处理决定数量"], ["行政许可", "", "", "0"]],
                     [150, 80, 80, 120])
    y = draw_lines(c, y - 20, ["四、政府信息公开行政复议、行政诉讼情况"])
    review = [str(n) for n in (3, 1, 0, 0, 4, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2)]
    draw_unruled(c, y - 10, [["总计", "", "", "", "", "", "", "", "", "", "", "", "", "", "总计"], review],
                 [34] * 15)
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue())
    block, table_four = tables(doc)
    assert block.rows[-1] == ["行政许可", "0"]
    assert table_four.rows[-1] == review
    assert doc.blocks.index("四、政府信息公开行政复议、行政诉讼情况") < doc.blocks.index(table_four)


@pytest.mark.parametrize("rotation", [90, 270])
def test_rotated_page_is_read_as_displayed(rotation):
    buf = io.BytesIO()
    c = new_canvas(buf)
    c.setPageRotation(rotation)
    user_width, user_height = HEIGHT, 595.2756  # reportlab swaps the MediaBox for 90/270
    if rotation == 90:  # local (u, v) upright on the displayed page
        c.translate(user_width, 0)
        c.rotate(90)
    else:
        c.translate(0, user_height)
        c.rotate(-90)
    shown_height = user_width
    draw_lines(c, shown_height - 60, ["三、收到和处理政府信息公开申请情况"])
    draw_ruled(c, shown_height - 90, [HEAD] + ROWS, [130] + [56] * 7, x0=20)
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue())
    assert doc.blocks[0] == "三、收到和处理政府信息公开申请情况"
    assert tables(doc)[0].rows == [HEAD] + ROWS
