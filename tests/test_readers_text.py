"""The text reader on the three layouts of the seed reports, encodings and debris."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from parsers.document import ParseError, Table
from parsers.readers import read_document
from parsers.readers.text import read_text

SEEDS = Path(__file__).parent / "seeds"


def seed(prefix: str) -> bytes:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_bytes()


def tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def row_starting(table: Table, label: str) -> list[str]:
    return next(row for row in table.rows if any(c.startswith(label) for c in row))


def test_tab_layout_seed_000_keeps_rows_and_survives_the_blank_line():
    doc = read_text(seed("000"))
    active, requests, review = tables(doc)
    assert active.rows[0] == ["第二十条 第（一）项", "", "", ""]
    assert active.rows[2] == ["规章", "0", "0", "0"]
    # "(五) 不予" / blank line / "处理 …": the blank line does not end table 三
    labels = [c for row in requests.rows for c in row]
    assert "(五) 不予" in labels and "处理" in labels and "(七) 总计" in labels
    # the row that lost a value keeps its printed cells (the interpreter aligns them)
    assert row_starting(requests, "四、结转") == \
        ["", "四、结转下年度继续办理", "", "", "0", "0", "0", "0", "0", "0"]
    assert review.rows[-1] == ["0"] * 15
    assert "三、收到和处理政府信息公开申请情况" in doc.blocks
    assert doc.blocks.index(active) < doc.blocks.index("三、收到和处理政府信息公开申请情况") \
        < doc.blocks.index(requests)


def test_cell_per_line_layout_seed_003_rows_and_wrapped_cell():
    doc = read_text(seed("003"))
    active, requests, review = tables(doc)
    assert active.rows[:3] == [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                               ["规章", "0", "0", "0"]]
    # "（本" + "列数据…" is one cell
    assert requests.rows[0][0].startswith("（本列数据的勾稽关系为")
    assert requests.rows[0][1] == "申请人情况"
    assert ["", "（七）总计", "1", "0", "0", "0", "0", "0", "1"] in requests.rows
    assert review.rows[-1] == ["0"] * 15
    assert doc.blocks[0].startswith("本报告依据")


def test_debris_is_stripped_seed_003():
    doc = read_text(seed("003"))
    assert "一、总体情况" in doc.blocks
    assert "[bookmark" not in doc.text()


def test_pipe_layout_seed_004_cells_in_order():
    doc = read_text(seed("004"))
    active, requests, review = tables(doc)
    assert active.rows[:4] == [["第二十条第(一)项"], ["", "", ""], ["信息内容"], ["本年制发件数"]]
    cells = [c for row in requests.rows for c in row if c]
    start = cells.index("一、本年新收政府信息公开申请数量")
    assert cells[start:start + 8] == ["一、本年新收政府信息公开申请数量"] + ["0"] * 7
    assert [c for row in review.rows for c in row if c][-15:] == ["0"] * 15
    assert "四、政府信息公开行政复议、行政诉讼情况" in doc.blocks


def test_tab_layout_seed_002_table_split_by_a_blank_line_is_one_table():
    doc = read_text(seed("002"))
    active = tables(doc)[0]
    assert ["行政处罚", "0"] in active.rows and ["行政事业性收费", "0"] in active.rows


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings(encoding):
    text = "一、总体情况\n规章\t0\t1\t2\n"
    doc = read_text(text.encode(encoding))
    assert doc.blocks == ["一、总体情况", Table(rows=[["规章", "0", "1", "2"]])]


def test_utf16_without_bom():
    data = "一、总体情况 2024年 report\n".encode("utf-16-le")
    assert not data.startswith(codecs.BOM_UTF16_LE)
    assert read_text(data).blocks == ["一、总体情况 2024年 report"]


def test_tab_indented_prose_is_not_a_table():
    text = "\t" + "本年度我局认真贯彻落实政府信息公开条例，主动公开政府信息，取得良好成效。" * 2 + "\n\n" \
        + "\t" + "下一步，我局将继续加强政府信息公开工作，提高公开质量和时效，回应社会关切。" * 2 + "\n"
    doc = read_text(text.encode())
    assert tables(doc) == []
    assert len(doc.blocks) == 2


def test_binary_garbage_is_refused():
    garbage = bytes(range(256)) * 40
    with pytest.raises(ParseError, match="binary"):
        read_text(garbage)


def test_markdown_table_rows():
    doc = read_document("| 规章 | 0 | 1 |\n|---|---|---|\n| 行政规范性文件 | 2 | 3 |\n| 行政许可 | 4 | 5 |\n"
                        .encode(), url="x.md")
    assert tables(doc)[0].rows == [["规章", "0", "1"], ["行政规范性文件", "2", "3"],
                                   ["行政许可", "4", "5"]]


def test_space_aligned_table():
    text = ("二、主动公开政府信息情况\n"
            "信息内容          本年制发件数    本年废止件数    现行有效件数\n"
            "规章              0               0               0\n\n"
            "行政规范性文件    1               2               3\n"
            "三、收到和处理政府信息公开申请情况  共 3 件\n")
    assert read_text(text.encode()).blocks == [
        "二、主动公开政府信息情况",
        Table(rows=[["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                    ["规章", "0", "0", "0"], ["行政规范性文件", "1", "2", "3"]]),
        "三、收到和处理政府信息公开申请情况 共 3 件",
    ]
