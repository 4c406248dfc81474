"""Regenerate the committed LibreOffice-made inputs (needs ``soffice``)::

    .venv/bin/python -m tests.reader_inputs.make_office_inputs

``report.doc`` (Word 97 binary) and ``report.xls`` (Excel 97 binary) are committed because
CI may not have LibreOffice; python-docx/openpyxl write the sources, soffice converts them.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import openpyxl

HERE = Path(__file__).parent
LABEL = "行政规范性文件（区分处理的，只计这一情形，不计其他情形）"


def report_docx(path: Path) -> None:
    """A short report: title, prose, a table with a colspan heading and a vertical merge."""
    d = docx.Document()
    d.add_paragraph("某县某局2024年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    d.add_paragraph("2024年，我局主动公开政府信息128条。")
    t = d.add_table(rows=5, cols=4)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(0, 3)).text = "第二十条第（一）项"
    for i, x in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        t.cell(1, i).text = x
    for i, x in enumerate(["规章", "0", "", "3"]):
        t.cell(2, i).text = x
    for i, x in enumerate([LABEL, "1", "2", "5"]):
        t.cell(3, i).text = x
    t.cell(4, 0).merge(t.cell(4, 3)).text = "第二十条第（五）项"
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.save(path)


def report_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表二"
    ws.append(["第二十条第（一）项"])
    ws.merge_cells("A1:D1")
    ws.append(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    ws.append(["规章", 0, None, 3])
    ws.append(["行政事业性收费", 25.1])
    wb.save(path)


def main() -> None:
    soffice = shutil.which("soffice")
    if not soffice:
        raise SystemExit("soffice not found")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        report_docx(tmp_path / "report.docx")
        report_xlsx(tmp_path / "report.xlsx")
        for source, target in (("report.docx", "doc"), ("report.xlsx", "xls")):
            subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                            "--headless", "--convert-to", target, "--outdir", str(HERE),
                            str(tmp_path / source)], check=True, capture_output=True, timeout=120)


if __name__ == "__main__":
    main()
