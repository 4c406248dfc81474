"""Render the figures of one simulated annual report into real documents.

The simulated web needs reports whose figures it knows, in every file type the crawler meets:
inline HTML, PDF, DOCX, XLSX, TXT, and DOC/WPS (converted from DOCX by LibreOffice when it is
installed). The layout follows docs/format.md (2021 format: table 二 in four blocks, table 三 with
its 25 rows × 7 columns, table 四 with 15 values) so the real parser reads them.

    >>> figs = make_figures(random.Random(1))
    >>> figs["requests"]["new_received"]["total"] == sum(
    ...     v for k, v in figs["requests"]["new_received"].items() if k != "total")
    True
    >>> body = html_body("某县2023年政府信息公开工作年度报告", figs, "某县人民政府", 2023)
"""

from __future__ import annotations

import hashlib
import html as htmlmod
import io
import os
import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

# (row key, printed label, indent level) of table 三 in the 2021 format, in print order.
REQUEST_ROWS: list[tuple[str, str]] = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "三、本年度办理结果 （一）予以公开"),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", "（三）不予公开 1.属于国家秘密"),
    ("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("withheld_security_stability", "3.危及“三安全一稳定”"),
    ("withheld_third_party_rights", "4.保护第三方合法权益"),
    ("withheld_internal_affairs", "5.属于三类内部事务信息"),
    ("withheld_process_information", "6.属于四类过程性信息"),
    ("withheld_enforcement_files", "7.属于行政执法案卷"),
    ("withheld_administrative_query", "8.属于行政查询事项"),
    ("unavailable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear_after_correction", "3.补正后申请内容仍不明确"),
    ("not_processed_complaint", "（五）不予处理 1.信访举报投诉类申请"),
    ("not_processed_duplicate", "2.重复申请"),
    ("not_processed_publication", "3.要求提供公开出版物"),
    ("not_processed_excessive", "4.无正当理由大量反复申请"),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "3.其他"),
    ("results_total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
REQUEST_COLS = ["natural_person", "commercial_enterprise", "research_institution",
                "social_welfare_org", "legal_service_org", "other_org", "total"]
REQUEST_COL_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
RESULT_ROWS = [key for key, _ in REQUEST_ROWS[2:23]]
REVIEW_ROWS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_COLS = ["upheld", "corrected", "other", "pending", "total"]
REVIEW_COL_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
# (row key, label, columns) of table 二, 2021 format, grouped in the four 第二十条 blocks.
ACTIVE_BLOCKS: list[tuple[str, list[str], list[tuple[str, str]]]] = [
    ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
     [("rules", "规章"), ("normative_documents", "行政规范性文件")]),
    ("第二十条第（五）项", ["本年处理决定数量"], [("administrative_licensing", "行政许可")]),
    ("第二十条第（六）项", ["本年处理决定数量"],
     [("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("administrative_fees", "行政事业性收费")]),
]
ACTIVE_COLS = {"rules": ["issued", "repealed", "in_force"],
               "normative_documents": ["issued", "repealed", "in_force"],
               "administrative_licensing": ["decisions"], "administrative_penalty": ["decisions"],
               "administrative_coercion": ["decisions"], "administrative_fees": ["amount_10k_yuan"]}


def make_figures(rng: random.Random, previous: dict | None = None,
                 misprint: str | None = None) -> dict:
    """Random but internally consistent 2021-format figures (every check of docs/format.md §5 holds).

    :param previous: the same agency's figures of the year before: this year carries them on
        (上年结转 = last year's 结转下年度, 现行有效件数 = last year's + 制发 − 废止), so the corpus's
        cross-year checks hold too; the draws from ``rng`` are the same with or without it
    :param misprint: ``"carryover"``: 上年结转 of natural persons two more than last year's
        结转下年度 (the report's own tables still add up; the next year's carries on as printed
        without the misprint)
    """
    active = {row: {col: rng.randint(0, 40) for col in cols} for row, cols in ACTIVE_COLS.items()}
    active["administrative_fees"]["amount_10k_yuan"] = round(rng.uniform(0, 50), 2)
    requests: dict[str, dict[str, int]] = {row: {} for row, _ in REQUEST_ROWS}
    for col in REQUEST_COLS[:-1]:
        busy = col in ("natural_person", "commercial_enterprise")
        results = {row: (rng.randint(0, 30) if busy and rng.random() < 0.6 else rng.randint(0, 2))
                   for row in RESULT_ROWS}
        total = sum(results.values())
        forward = rng.randint(0, 3)
        over = rng.randint(0, min(3, total + forward))
        for row, value in results.items():
            requests[row][col] = value
        requests["results_total"][col] = total
        requests["carried_forward"][col] = forward
        requests["carried_over"][col] = over
        requests["new_received"][col] = total + forward - over
    if previous is not None:
        _carry_on(active, requests, previous)
        if misprint == "carryover":  # 2 more 上年结转, 2 fewer 新收: the year's balance holds
            requests["carried_over"]["natural_person"] += 2
            requests["new_received"]["natural_person"] -= 2
            if requests["new_received"]["natural_person"] < 0:
                requests["carried_forward"]["natural_person"] -= requests["new_received"]["natural_person"]
                requests["new_received"]["natural_person"] = 0
    for cells in requests.values():
        cells["total"] = sum(cells[c] for c in REQUEST_COLS[:-1])
    review = {}
    for row in REVIEW_ROWS:
        parts = {c: rng.randint(0, 5) for c in REVIEW_COLS[:-1]}
        parts["total"] = sum(parts.values())
        review[row] = parts
    return {"active": active, "requests": requests, "review_litigation": review}


def _carry_on(active: dict, requests: dict, previous: dict) -> None:
    """Chain this year's figures to ``previous`` (see :func:`make_figures`), in place."""
    for col in REQUEST_COLS[:-1]:
        over = previous["requests"]["carried_forward"][col]
        total, forward = requests["results_total"][col], requests["carried_forward"][col]
        forward = max(forward, over - total)          # 新收 = 办结 + 结转下年 − 上年结转 ≥ 0
        requests["carried_over"][col] = over
        requests["carried_forward"][col] = forward
        requests["new_received"][col] = total + forward - over
    for row in ("rules", "normative_documents"):
        cells, before = active[row], previous["active"][row]["in_force"]
        cells["repealed"] = min(cells["repealed"], before + cells["issued"])
        cells["in_force"] = before + cells["issued"] - cells["repealed"]


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def table_rows(figs: dict) -> list[tuple[str, list[list[str]]]]:
    """The three tables as plain grids of cell text (used by DOCX, XLSX, PDF and TXT)."""
    active: list[list[str]] = []
    for block, headers, rows in ACTIVE_BLOCKS:
        active.append([block, "", "", ""])
        active.append(["信息内容", *headers, *[""] * (3 - len(headers))])
        for key, label in rows:
            values = [_fmt(figs["active"][key][c]) for c in ACTIVE_COLS[key]]
            active.append([label, *values, *[""] * (3 - len(values))])
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    req = [[corner, "申请人情况", "", "", "", "", "", ""],
           ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
           ["", "", *REQUEST_COL_LABELS[1:6], ""]]
    for key, label in REQUEST_ROWS:
        req.append([label, *[str(figs["requests"][key][c]) for c in REQUEST_COLS]])
    rev = [["行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""],
           ["", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
           [*REVIEW_COL_LABELS * 3],
           [str(figs["review_litigation"][r][c]) for r in REVIEW_ROWS for c in REVIEW_COLS]]
    return [("二、主动公开政府信息情况", active), ("三、收到和处理政府信息公开申请情况", req),
            ("四、政府信息公开行政复议、行政诉讼情况", rev)]


def _sections(agency: str, year: int) -> dict[str, str]:
    return {
        "intro": f"本报告根据《中华人民共和国政府信息公开条例》编制，由{agency}负责编制。"
                 f"报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "overview": f"{year}年，{agency}认真贯彻落实政府信息公开工作要求，持续推进主动公开，依法办理依申请公开。",
        "problems": "一是公开内容的规范性有待提高；二是解读形式较为单一。下一步将加强培训，完善制度。",
        "other": "本年度未收取信息处理费。无其他需要报告的事项。",
    }


def html_body(title: str, figs: dict | None, agency: str, year: int, published: str = "",
              attachment_links: str = "") -> str:
    """The body of a report article page; ``figs=None``: the tables live in an attachment."""
    s = _sections(agency, year)
    parts = [f"<h1 class='article-title'>{htmlmod.escape(title)}</h1>",
             f"<div class='info'>发布机构：{htmlmod.escape(agency)} 发布日期：{published}</div>",
             "<div class='article-content'>"]
    if figs is None:
        parts.append(f"<p>{htmlmod.escape(agency)}{year}年政府信息公开工作年度报告全文见附件。</p>")
    else:
        parts.append(f"<p>{s['intro']}</p><p>一、总体情况</p><p>{s['overview']}</p>")
        for heading, grid in _html_tables(figs):
            parts.append(f"<p>{heading}</p>{grid}")
        parts.append(f"<p>五、存在的主要问题及改进情况</p><p>{s['problems']}</p>"
                     f"<p>六、其他需要报告的事项</p><p>{s['other']}</p>"
                     f"<p style='text-align:right'>{htmlmod.escape(agency)}</p>"
                     f"<p style='text-align:right'>{published}</p>")
    parts.append(attachment_links)
    parts.append("</div>")
    return "".join(parts)


def _html_tables(figs: dict) -> list[tuple[str, str]]:
    """Tables with the official merged cells (colspan/rowspan), as real HTML reports print them."""
    act = ["<table border='1'>"]
    for block, headers, rows in ACTIVE_BLOCKS:
        act.append(f"<tr><td colspan='4'>{block}</td></tr>")
        span = " colspan='3'" if len(headers) == 1 else ""
        act.append("<tr><td>信息内容</td>" + "".join(f"<td{span}>{h}</td>" for h in headers) + "</tr>")
        for key, label in rows:
            act.append(f"<tr><td>{label}</td>" + "".join(
                f"<td{span}>{_fmt(figs['active'][key][c])}</td>" for c in ACTIVE_COLS[key]) + "</tr>")
    act.append("</table>")
    req = ["<table border='1'>",
           ("<tr><td colspan='3' rowspan='3'>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
            "<td colspan='7'>申请人情况</td></tr>"),
           "<tr><td rowspan='2'>自然人</td><td colspan='5'>法人或其他组织</td><td rowspan='2'>总计</td></tr>",
           "<tr>" + "".join(f"<td>{lab}</td>" for lab in REQUEST_COL_LABELS[1:6]) + "</tr>"]
    label_cells = {
        "new_received": "<td colspan='3'>一、本年新收政府信息公开申请数量</td>",
        "carried_over": "<td colspan='3'>二、上年结转政府信息公开申请数量</td>",
        "granted": "<td rowspan='22'>三、本年度办理结果</td><td colspan='2'>（一）予以公开</td>",
        "partially_granted": "<td colspan='2'>（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td>",
        "withheld_state_secret": "<td rowspan='8'>（三）不予公开</td><td>1.属于国家秘密</td>",
        "unavailable_not_held": "<td rowspan='3'>（四）无法提供</td><td>1.本机关不掌握相关政府信息</td>",
        "not_processed_complaint": "<td rowspan='5'>（五）不予处理</td><td>1.信访举报投诉类申请</td>",
        "other_no_correction": "<td rowspan='3'>（六）其他处理</td>"
                               "<td>1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请</td>",
        "results_total": "<td colspan='2'>（七）总计</td>",
        "carried_forward": "<td colspan='3'>四、结转下年度继续办理</td>",
    }
    for key, label in REQUEST_ROWS:
        cell = label_cells.get(key, f"<td>{label}</td>")
        req.append("<tr>" + cell + "".join(
            f"<td>{figs['requests'][key][c]}</td>" for c in REQUEST_COLS) + "</tr>")
    req.append("</table>")
    rev = ["<table border='1'>",
           "<tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>",
           "<tr>" + "".join(f"<td rowspan='2'>{lab}</td>" for lab in REVIEW_COL_LABELS)
           + "<td colspan='5'>未经复议直接起诉</td><td colspan='5'>复议后起诉</td></tr>",
           "<tr>" + "".join(f"<td>{lab}</td>" for lab in REVIEW_COL_LABELS * 2) + "</tr>",
           "<tr>" + "".join(f"<td>{figs['review_litigation'][r][c]}</td>"
                            for r in REVIEW_ROWS for c in REVIEW_COLS) + "</tr>", "</table>"]
    return [("二、主动公开政府信息情况", "".join(act)), ("三、收到和处理政府信息公开申请情况", "".join(req)),
            ("四、政府信息公开行政复议、行政诉讼情况", "".join(rev))]


def page(title: str, body: str, charset: str = "utf-8", head_extra: str = "",
         meta_charset: str | None = None) -> str:
    """A whole HTML page in the usual government-portal shape (header, body, footer)."""
    meta = meta_charset if meta_charset is not None else charset
    meta_tag = f"<meta http-equiv='Content-Type' content='text/html; charset={meta}'>" if meta else ""
    return (f"<!DOCTYPE html><html><head>{meta_tag}<title>{htmlmod.escape(title)}</title>{head_extra}"
            f"</head><body><div class='header'>政府网站</div>{body}"
            "<div class='footer'>主办单位 网站标识码 ICP备案</div></body></html>")


def render_text(title: str, figs: dict, agency: str, year: int, published: str) -> str:
    """A plain-text report: headings, then each table as tab-separated rows."""
    s = _sections(agency, year)
    lines = [title, s["intro"], "一、总体情况", s["overview"]]
    for heading, grid in table_rows(figs):
        lines.append(heading)
        lines.extend("\t".join(row) for row in grid)
    lines += ["五、存在的主要问题及改进情况", s["problems"], "六、其他需要报告的事项", s["other"], agency,
              published]
    return "\n".join(lines) + "\n"


def _stable_zip(data: bytes) -> bytes:
    """The same OOXML package with fixed member times: a server's file does not change bytes
    when the simulated web is rebuilt (zip members otherwise carry the time of writing)."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" when saving
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), body,
                         zipfile.ZIP_DEFLATED)
    return out.getvalue()


FIXED_TIME = __import__("datetime").datetime(2024, 1, 1)


def render_docx(title: str, figs: dict, agency: str, year: int, published: str) -> bytes:
    """A DOCX report with real Word tables."""
    import docx

    s = _sections(agency, year)
    d = docx.Document()
    d.add_heading(title, level=1)
    for text in (s["intro"], "一、总体情况", s["overview"]):
        d.add_paragraph(text)
    for heading, grid in table_rows(figs):
        d.add_paragraph(heading)
        t = d.add_table(rows=len(grid), cols=len(grid[0]))
        for row, texts in zip(t.rows, grid):  # row by row: t.cell(i, j) rescans the whole table
            for cell, text in zip(row.cells, texts):
                cell.text = text
    for text in ("五、存在的主要问题及改进情况", s["problems"], "六、其他需要报告的事项", s["other"], agency,
                 published):
        d.add_paragraph(text)
    d.core_properties.created = d.core_properties.modified = FIXED_TIME
    out = io.BytesIO()
    d.save(out)
    return _stable_zip(out.getvalue())


def render_template_docx() -> bytes:
    """The blank official template (a lookalike): headings and empty tables, no agency, no year."""
    import docx

    d = docx.Document()
    d.add_heading("XX（行政机关名称）XXXX年政府信息公开工作年度报告（格式）", level=1)
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        d.add_paragraph(heading)
    t = d.add_table(rows=len(REQUEST_ROWS) + 3, cols=8)
    for i, (_, label) in enumerate(REQUEST_ROWS):
        t.cell(i + 3, 0).text = label
    d.core_properties.created = d.core_properties.modified = FIXED_TIME
    out = io.BytesIO()
    d.save(out)
    return _stable_zip(out.getvalue())


def render_xlsx(title: str, figs: dict, agency: str, year: int, published: str) -> bytes:
    """An XLSX report: the title, then the three tables one below the other on one sheet."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    for heading, grid in table_rows(figs):
        ws.append([heading])
        for row in grid:
            ws.append([int(v) if v.isdigit() else (float(v) if _is_float(v) else v) for v in row])
    ws.append([agency])
    ws.append([published])
    wb.properties.created = wb.properties.modified = FIXED_TIME
    out = io.BytesIO()
    wb.save(out)
    return _stable_zip(out.getvalue())


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def render_pdf(title: str, figs: dict, agency: str, year: int, published: str) -> bytes:
    """A PDF report with a CJK CID font (no font file needed) and ruled tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    s = _sections(agency, year)
    story = [Paragraph(title, style), Paragraph(s["intro"], style), Paragraph("一、总体情况", style),
             Paragraph(s["overview"], style)]
    for heading, grid in table_rows(figs):
        story.append(Paragraph(heading, style))
        cells = [[Paragraph(htmlmod.escape(c), style) if len(c) > 6 else c for c in row] for row in grid]
        t = Table(cells, repeatRows=0)
        t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 7),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story += [t, Spacer(1, 6)]
    for text in ("五、存在的主要问题及改进情况", s["problems"], "六、其他需要报告的事项", s["other"], agency,
                 published):
        story.append(Paragraph(text, style))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), title=title, invariant=1).build(story)
    return out.getvalue()


def render_doc(docx_bytes: bytes, key: str) -> bytes | None:
    """DOCX → legacy Word .doc via LibreOffice (see :func:`convert`)."""
    return convert(docx_bytes, "docx", "doc", key)


def render_xls(xlsx_bytes: bytes, key: str) -> bytes | None:
    """XLSX → legacy Excel .xls via LibreOffice (see :func:`convert`)."""
    return convert(xlsx_bytes, "xlsx", "xls", key)


def convert(data: bytes, src_ext: str, dst_ext: str, key: str) -> bytes | None:
    """Convert with LibreOffice, cached on disk under ``key`` (a digest of the report's content,
    so a rebuild costs nothing). None when LibreOffice is missing or fails."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "nianbao-simweb"
    target = cache / f"{digest}.{dst_ext}"
    if target.exists():
        return target.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{digest}.{src_ext}"
        src.write_bytes(data)
        try:
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                            "--convert-to", dst_ext, "--outdir", tmp, str(src)],
                           capture_output=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        out = Path(tmp) / f"{digest}.{dst_ext}"
        if not out.exists():
            return None
        cache.mkdir(parents=True, exist_ok=True)
        tmp_target = target.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(out, tmp_target)
        os.replace(tmp_target, target)     # atomic: parallel test workers share the cache
        return out.read_bytes()
