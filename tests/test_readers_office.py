"""DOC/WPS through antiword or LibreOffice, XLS/XLSX, images, and type sniffing."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from parsers.document import ParseError, Table
from parsers.readers import doc as doc_reader
from parsers.readers import read_document, sniff_kind

INPUTS = Path(__file__).parent / "reader_inputs"
LABEL = "行政规范性文件（区分处理的，只计这一情形，不计其他情形）"
ACTIVE_ROWS = [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
               ["规章", "0", "", "3"], [LABEL, "1", "2", "5"], ["第二十条第（五）项"]]


def tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword not installed")
def test_doc_through_antiword_rejoins_wrapped_cells():
    data = (INPUTS / "report.doc").read_bytes()
    doc = doc_reader._via_antiword(shutil.which("antiword"), data, "doc")
    assert doc.blocks[:3] == ["某县某局2024年政府信息公开工作年度报告", "一、总体情况",
                              "2024年，我局主动公开政府信息128条。"]
    assert tables(doc)[0].rows == ACTIVE_ROWS
    assert doc.blocks[-1] == "五、存在的主要问题及改进情况"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_wps_goes_through_libreoffice():
    data = (INPUTS / "report.doc").read_bytes()  # WPS files are Word-binary OLE files too
    doc = read_document(data, content_type="application/octet-stream", url="report.wps")
    assert doc.kind == "wps"
    assert tables(doc)[0].rows == ACTIVE_ROWS


def test_doc_without_any_converter_names_what_to_install(monkeypatch):
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    data = (INPUTS / "report.doc").read_bytes()
    with pytest.raises(ParseError, match="install antiword or LibreOffice"):
        read_document(data, url="report.doc")


def test_doc_antiword_cannot_read_and_no_soffice(monkeypatch, tmp_path):
    monkeypatch.setattr(doc_reader.shutil, "which",
                        lambda name: "/bin/false" if name == "antiword" else None)
    with pytest.raises(ParseError, match="antiword"):
        read_document((INPUTS / "report.doc").read_bytes(), url="report.doc")


def test_xls_with_merged_heading():
    doc = read_document((INPUTS / "report.xls").read_bytes(), url="report.xls")
    assert doc.kind == "xls"
    assert doc.blocks == ["表二", Table(rows=[
        ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "", "3"], ["行政事业性收费", "25.1"]])]


def test_xlsx_sheets_merged_ranges_and_numbers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表三"
    ws.append(["", "申请人情况"])
    ws.merge_cells("B1:H1")
    ws.append(["三、本年度办理结果", "（一）予以公开", 1.0, None, 2])
    ws.merge_cells("A2:A3")
    ws.append([None, "（二）部分公开", 0])
    wb.create_sheet("空表")
    buf = io.BytesIO()
    wb.save(buf)
    doc = read_document(buf.getvalue(), content_type="application/octet-stream", url="x")
    assert doc.kind == "xlsx"
    assert doc.blocks == ["表三", Table(rows=[
        ["", "申请人情况"],
        ["三、本年度办理结果", "（一）予以公开", "1", "", "2"],
        ["（二）部分公开", "0"]])]


def test_image_needs_ocr():
    doc = read_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, url="scan.jpg")
    assert doc.kind == "image" and doc.needs_ocr and doc.blocks == []


@pytest.mark.parametrize("data, content_type, url, kind", [
    (b"%PDF-1.5\n...", "text/html", "a.html", "pdf"),
    (b"\xef\xbb\xbf<!DOCTYPE html><html></html>", None, "a.txt", "html"),
    (b"<div>x</div>", "application/octet-stream", "download.do", "html"),
    ("一、总体情况".encode("gbk"), "application/pdf", "a.pdf", "txt"),
    (b"GIF89a....", None, "a.doc", "image"),
    (b"{\\rtf1\\ansi hello}", None, "a.doc", "rtf"),
])
def test_sniffing_trusts_bytes_over_names(data, content_type, url, kind):
    assert sniff_kind(data, content_type, url) == kind


def test_sniffing_ole_files_by_stream_names():
    data = (INPUTS / "report.doc").read_bytes()
    assert sniff_kind(data, None, "a.doc") == "doc"
    assert sniff_kind(data, None, "a.wps") == "wps"
    assert sniff_kind(data, "application/msword", "download") == "doc"
    assert sniff_kind((INPUTS / "report.xls").read_bytes(), None, "a.doc") == "xls"


def test_mhtml_saved_as_doc_is_read_as_html():
    html = "<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table></body></html>"
    import quopri

    body = quopri.encodestring(html.encode("gbk"))
    mht = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart"\r\n\r\n'
           b'------=_NextPart\r\nContent-Location: file:///C:/report.htm\r\n'
           b'Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset="gb2312"'
           b'\r\n\r\n' + body + b'\r\n------=_NextPart--\r\n')
    doc = read_document(mht, content_type="application/msword", url="report.doc")
    assert doc.kind == "html"
    assert doc.blocks == ["一、总体情况", Table(rows=[["规章", "0"]])]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_rtf_goes_through_libreoffice():
    rtf = (rb"{\rtf1\ansi\ansicpg936{\fonttbl{\f0\fnil SimSun;}}\f0 "
           rb"\u19968?\u12289?\u24635?\u20307?\u24773?\u20917?\par}")  # 一、总体情况
    doc = read_document(rtf, content_type="application/octet-stream", url="report.doc")
    assert doc.kind == "rtf"
    assert doc.blocks == ["一、总体情况"]
