"""Finding and reading tables 二/三/四 in every layout (docs/format.md §3, §6).

Each test builds a Document the way a reader would deliver it (one grid, several pieces,
flattened lines, a cell stream) and checks the cells that come out of ``interpret``.
"""

from __future__ import annotations

from parsers.document import Document, Table
from parsers.report import interpret

COLS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total"]
REQUEST_ROWS_2021 = [  # (printed label cells, key)
    (["一、本年新收政府信息公开申请数量", ""], "new_received"),
    (["二、上年结转政府信息公开申请数量", ""], "carried_over"),
    (["三、本年度办理结果", "（一）予以公开"], "granted"),
    (["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"], "partially_granted"),
    (["", "（三）不予公开", "1.属于国家秘密"], "withheld_state_secret"),
    (["", "", "2.其他法律行政法规禁止公开"], "withheld_prohibited_by_law"),
    (["", "", "3.危及“三安全一稳定”"], "withheld_security_stability"),
    (["", "", "4.保护第三方合法权益"], "withheld_third_party_rights"),
    (["", "", "5.属于三类内部事务信息"], "withheld_internal_affairs"),
    (["", "", "6.属于四类过程性信息"], "withheld_process_information"),
    (["", "", "7.属于行政执法案卷"], "withheld_enforcement_files"),
    (["", "", "8.属于行政查询事项"], "withheld_administrative_query"),
    (["", "（四）无法提供", "1.本机关不掌握相关政府信息"], "unavailable_not_held"),
    (["", "", "2.没有现成信息需要另行制作"], "unavailable_needs_creation"),
    (["", "", "3.补正后申请内容仍不明确"], "unavailable_unclear_after_correction"),
    (["", "（五）不予处理", "1.信访举报投诉类申请"], "not_processed_complaint"),
    (["", "", "2.重复申请"], "not_processed_duplicate"),
    (["", "", "3.要求提供公开出版物"], "not_processed_publication"),
    (["", "", "4.无正当理由大量反复申请"], "not_processed_excessive"),
    (["", "", "5.要求行政机关确认或重新出具已获取信息"], "not_processed_confirmation"),
    (["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
     "other_no_correction"),
    (["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
     "other_unpaid_fee"),
    (["", "", "3.其他"], "other_other"),
    (["", "（七）总计"], "results_total"),
    (["四、结转下年度继续办理", ""], "carried_forward"),
]
HEADER_ROWS = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["自然人", "法人或其他组织", "总计"],
    ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]
ACTIVE_2021 = [
    ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "1", "0", "5"], ["行政规范性文件", "2", "1", "30"],
    ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", "120"],
    ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", "45"], ["行政强制", "—"],
    ["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "12.5"],
]
REVIEW_HEADER = [["行政复议", "行政诉讼"],
                 ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
                 ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2]
REVIEW_VALUES = ["1", "0", "0", "1", "2", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"]


def figures() -> dict[str, list[str]]:
    """Consistent 2021 figures: row → 7 printed values (numbers as text)."""
    rows = {key: ["0"] * 7 for _, key in REQUEST_ROWS_2021}
    rows["new_received"] = ["5", "2", "0", "0", "0", "1", "8"]
    rows["carried_over"] = ["1", "0", "0", "0", "0", "0", "1"]
    rows["granted"] = ["3", "1", "0", "0", "0", "0", "4"]
    rows["unavailable_not_held"] = ["2", "0", "0", "0", "0", "1", "3"]
    rows["other_other"] = ["0", "1", "0", "0", "0", "0", "1"]
    rows["results_total"] = ["5", "2", "0", "0", "0", "1", "8"]
    rows["carried_forward"] = ["1", "0", "0", "0", "0", "0", "1"]
    return rows


def prose(title: str = "某某市某某区财政局2023年政府信息公开工作年度报告") -> tuple[list, list]:
    head = [title, "本报告统计期限为2023年1月1日至12月31日。", "一、总体情况", "2023年，我局主动公开信息120条。"]
    tail = ["五、存在的主要问题及改进情况", "一是公开不够及时。", "六、其他需要报告的事项", "本年度未收取信息处理费。",
            "某某市某某区财政局", "2024年1月20日"]
    return head, tail


def grid_document(rows: dict[str, list[str]], request_rows=REQUEST_ROWS_2021) -> Document:
    """The official one-grid layout: leading indent cells, a trailing padding cell."""
    head, tail = prose()
    table3 = [list(r) for r in HEADER_ROWS]
    for labels, key in request_rows:
        table3.append(labels + rows[key] + [""])
    blocks = head + ["二、主动公开政府信息情况", Table([list(r) for r in ACTIVE_2021]),
                     "三、收到和处理政府信息公开申请情况", Table(table3),
                     "四、政府信息公开行政复议、行政诉讼情况", Table(REVIEW_HEADER + [REVIEW_VALUES])] + tail
    return Document("html", blocks)


def assert_requests(report: dict, rows: dict[str, list[str]]) -> None:
    wrong = []
    for key, values in rows.items():
        for col, raw in zip(COLS, values):
            want = None if raw in ("", "—") else int(raw)
            got = report["requests"][key][col]
            if got != want:
                wrong.append(f"requests.{key}.{col}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_official_grid():
    rows = figures()
    report = interpret(grid_document(rows))
    assert report["is_annual_report"] and report["format"] == "2021"
    assert_requests(report, rows)
    assert report["requests"]["other_handling"] == dict.fromkeys(COLS)
    assert report["active"]["rules"] == {"issued": 1, "repealed": 0, "in_force": 5}
    assert report["active"]["administrative_coercion"] == {"decisions": None}
    assert report["active"]["administrative_fees"] == {"amount_10k_yuan": 12.5}
    assert report["review_litigation"]["review"] == {"upheld": 1, "corrected": 0, "other": 0,
                                                     "pending": 1, "total": 2}
    assert report["review_litigation"]["litigation_direct"]["total"] == 1
    assert all(c["passed"] for c in report["checks"]), [c for c in report["checks"] if not c["passed"]]
    assert report["cells_raw"]["active.administrative_coercion.decisions"] == "—"
    assert report["warnings"] == []


def test_table_split_in_pieces_losing_indent_cells():
    # Seed 002 / 001: table 三 continues in a new table, rows starting at column 0.
    rows = figures()
    doc = grid_document(rows)
    table3 = next(b for b in doc.blocks if isinstance(b, Table) and b.rows[0][0].startswith("（本列"))
    first, second = table3.rows[:15], [[c for c in r if c] for r in table3.rows[15:]]
    i = doc.blocks.index(table3)
    doc.blocks[i:i + 1] = [Table(first), "", Table(second)]
    report = interpret(doc)
    assert_requests(report, rows)


def test_flattened_text_lines():
    # Tables flattened into one paragraph per row, cells separated by spaces (PDF lines).
    rows = figures()
    doc = grid_document(rows)
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Table):
            blocks += [" ".join(c for c in r if c) for r in b.rows]
        else:
            blocks.append(b)
    report = interpret(Document("pdf", blocks))
    assert_requests(report, rows)
    assert report["review_litigation"]["review"]["total"] == 2
    assert report["active"]["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 30}


def test_cell_stream_without_row_boundaries():
    # Seed 004's pipe layout: every cell its own row, padding as empty cells.
    rows = figures()
    doc = grid_document(rows)
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Table):
            blocks.append(Table([[c] for r in b.rows for c in r]))
        else:
            blocks.append(b)
    report = interpret(Document("txt", blocks))
    assert_requests(report, rows)
    assert report["review_litigation"]["litigation_direct"] == {"upheld": 0, "corrected": 0,
                                                                "other": 0, "pending": 1, "total": 1}


def test_label_split_by_page_break_joins_next_row():
    rows = figures()
    rows["not_processed_duplicate"] = ["2", "0", "0", "0", "0", "0", "2"]
    labels = [(["", "（五）不予", "1.信访举报投诉类申请"], "not_processed_complaint") if k == "not_processed_complaint"
              else (["", "处理", "2.重复申请"], k) if k == "not_processed_duplicate" else (lab, k)
              for lab, k in REQUEST_ROWS_2021]
    report = interpret(grid_document(rows, labels))
    assert report["requests"]["not_processed_duplicate"]["natural_person"] == 2
    assert report["requests"]["not_processed_complaint"]["natural_person"] == 0


def test_too_few_values_align_right_with_warning():
    rows = figures()
    doc = grid_document(rows)
    table3 = next(b for b in doc.blocks if isinstance(b, Table) and b.rows[0][0].startswith("（本列"))
    last = table3.rows[-1]
    table3.rows[-1] = [c for c in last if c != ""][:1] + ["0", "0", "0", "0", "0", "1"]  # 6 values
    report = interpret(doc)
    assert report["requests"]["carried_forward"]["natural_person"] is None
    assert report["requests"]["carried_forward"]["total"] == 1
    assert any("carried_forward" in w and "aligned right" in w for w in report["warnings"])


def test_too_many_values_drop_blank_padding_only():
    rows = figures()
    doc = grid_document(rows)
    table3 = next(b for b in doc.blocks if isinstance(b, Table) and b.rows[0][0].startswith("（本列"))
    table3.rows[3] = ["一、本年新收政府信息公开申请数量", "", ""] + rows["new_received"] + ["", ""]
    report = interpret(doc)
    assert_requests(report, rows)


def test_single_other_row_in_2021_report():
    rows = figures()
    rows["other_handling"] = ["0", "1", "0", "0", "0", "0", "1"]
    labels = [r for r in REQUEST_ROWS_2021 if not r[1].startswith("other_")]
    labels.insert(20, (["", "（六）其他处理"], "other_handling"))
    report = interpret(grid_document(rows, labels))
    assert report["format"] == "2021"
    assert report["requests"]["other_handling"]["total"] == 1
    assert report["requests"]["other_other"] == dict.fromkeys(COLS)
    names = [c["name"] for c in report["checks"]]
    assert "requests_row_total:other_handling" in names and "requests_row_total:other_other" not in names
    assert all(c["passed"] for c in report["checks"])


def test_both_other_forms_printed_keep_both_and_check_split():
    rows = figures()
    rows["other_handling"] = ["0", "2", "0", "0", "0", "0", "2"]  # ≠ sub-rows (1): check fails
    labels = list(REQUEST_ROWS_2021)
    labels.insert(20, (["", "（六）其他处理"], "other_handling"))
    labels[21] = (["", "", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"], "other_no_correction")
    report = interpret(grid_document(rows, labels))
    assert report["requests"]["other_handling"]["total"] == 2
    assert report["requests"]["other_other"]["total"] == 1
    split = {c["name"]: c for c in report["checks"] if c["name"].startswith("requests_other_split")}
    assert len(split) == 7
    assert split["requests_other_split:total"]["passed"] is False
    assert split["requests_other_split:total"]["detail"] == "2 ≠ 0 + 0 + 1"


def test_extra_unofficial_row_is_ignored_with_warning():
    doc = grid_document(figures())
    table2 = next(b for b in doc.blocks if isinstance(b, Table) and b.rows[0][0].startswith("第二十条"))
    table2.rows.insert(4, ["其他主动公开文件", "9", "9", "9"])
    report = interpret(doc)
    assert report["active"]["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 30}
    assert any("其他主动公开文件" in w for w in report["warnings"])


def test_2019_table_two_with_amount_in_yuan_and_signed_change():
    head, tail = prose("某某市某某区财政局2019年政府信息公开工作年度报告")
    active = [
        ["第二十条第（一）项"], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "0", "0", "3"], ["规范性文件", "2", "2", "40"],
        ["第二十条第（五）项"], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "30", "-8", "500"], ["其他对外管理服务事项", "5", "减1", "7"],
        ["第二十条第（六）项"], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政处罚", "20", "+4", "60"], ["行政强制", "3", "0", "—"],
        ["第二十条第（八）项"], ["信息内容", "上一年项目数量", "本年增/减"], ["行政事业性收费", "2", "0"],
        ["第二十条第（九）项"], ["信息内容", "采购项目数量", "采购总金额"], ["政府集中采购", "4", "251000元"],
    ]
    rows = figures()
    table3 = [list(r) for r in HEADER_ROWS]
    for labels, key in REQUEST_ROWS_2021:
        if key.startswith("other_"):
            if key == "other_no_correction":
                table3.append(["", "（六）其他处理"] + ["0"] * 6 + ["1"])
            continue
        table3.append(labels + rows[key])
    table3[-2][-1] = "8"
    doc = Document("html", head + ["二、主动公开政府信息情况", Table(active), "三、收到和处理政府信息公开申请情况",
                                   Table(table3), "四、政府信息公开行政复议、行政诉讼情况",
                                   Table(REVIEW_HEADER + [REVIEW_VALUES])] + tail)
    report = interpret(doc)
    assert report["format"] == "2019" and report["year"] == 2019
    assert report["active"]["administrative_licensing"] == {"prev_year_items": 30, "change": -8,
                                                            "decisions": 500}
    assert report["active"]["other_external_services"]["change"] == -1
    assert report["active"]["administrative_penalty"]["change"] == 4
    assert report["active"]["administrative_coercion"]["decisions"] is None
    assert report["active"]["centralized_procurement"] == {"items": 4, "amount_10k_yuan": 25.1}
    assert "other_no_correction" not in report["requests"]
    assert report["requests"]["other_handling"]["total"] == 1


def test_header_rows_are_never_data():
    # A header row that happens to carry stray numbers must not become a row.
    doc = grid_document(figures())
    report = interpret(doc)
    assert set(report["requests"]) >= {"new_received", "results_total"}
    assert all(not k.startswith("requests.") or k.split(".")[1] in report["requests"]
               for k in report["cells_raw"])
    assert len([k for k in report["cells_raw"] if k.startswith("requests.")]) == 25 * 7


def test_review_printed_as_two_tables():
    head, tail = prose()
    rows = figures()
    table3 = [list(r) for r in HEADER_ROWS] + [labels + rows[key] for labels, key in REQUEST_ROWS_2021]
    review = Table([["行政复议"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], REVIEW_VALUES[:5]])
    litigation = Table([["行政诉讼"], ["未经复议直接起诉", "复议后起诉"],
                        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2, REVIEW_VALUES[5:]])
    doc = Document("docx", head + ["三、收到和处理政府信息公开申请情况", Table(table3),
                                   "四、政府信息公开行政复议、行政诉讼情况", review, litigation] + tail)
    report = interpret(doc)
    assert report["review_litigation"]["review"]["total"] == 2
    assert report["review_litigation"]["litigation_direct"] == {"upheld": 0, "corrected": 0,
                                                                "other": 0, "pending": 1, "total": 1}
    assert report["review_litigation"]["litigation_after_review"]["total"] == 0


def test_circled_and_parenthesised_sub_row_numbers():
    rows = figures()
    labels = [(["", "", lab[-1].replace("1.", "①").replace("2.", "②")]
               if lab[-1][:2] in ("1.", "2.") else lab, key) for lab, key in REQUEST_ROWS_2021]
    labels = [((["", "", "(3)其他"]) if key == "other_other" else lab, key) for lab, key in labels]
    report = interpret(grid_document(rows, labels))
    assert_requests(report, rows)


def test_pipe_stream_row_with_a_lost_figure_aligns_right():
    # Seed 004's pipe stream pads every row to the grid: one label cell → two empty cells.
    # A row that lost a figure keeps its padding; the loss shows as a short row.
    rows = figures()
    doc = grid_document(rows)
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Table) and b.rows[0][0].startswith("（本列"):
            cells = []
            for r in b.rows[3:]:
                labels = [c for c in r[:3] if c and not c.isdigit()]
                values = rows["carried_forward"][1:] if labels == ["四、结转下年度继续办理"] else \
                    [c for c in r if c.isdigit()]
                cells += [[c] for c in labels + values] + [[""]] * (3 - len(labels))
            blocks.append(Table([[c for c in r if c] for r in b.rows[:3]] + cells))
        else:
            blocks.append(b)
    report = interpret(Document("txt", blocks))
    assert report["requests"]["carried_forward"]["natural_person"] is None
    assert report["requests"]["carried_forward"]["total"] == 1
    assert any("carried_forward" in w and "aligned right" in w for w in report["warnings"])
    assert report["requests"]["granted"]["total"] == 4


def test_review_header_cells_split_across_lines():
    # 威海文登信访局 2022 flipbook: header words broken over lines, one line of 15 figures.
    head, tail = prose("威海市文登区信访局2022年政府信息公开工作年度报告")
    lines = ["四、因政府信息公开工作被申请行政复议提起行政诉讼情况", "行政复议 行政诉讼", "未经复议直接起诉 复议后起诉",
             "结果 结果 其他 尚未 总", "维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总",
             "维持 纠正 结果 审结 计 维持 纠正 结果 审结 计", "1 0 0 0 1 0 0 0 2 2 0 0 0 0 0"]
    report = interpret(Document("pdf", head + lines + tail))
    assert report["review_litigation"] == {
        "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 2, "total": 2},
        "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}}


def test_row_total_chooses_between_padding_readings():
    # One blank at each end and six figures: a blank natural_person or a blank total? The table
    # pads at the start, but these figures satisfy the row total only with a blank
    # natural_person, so the trailing blank is the padding here.
    from parsers.cells import build_stream
    from parsers.tables import fit, row_total_holds

    cells = build_stream([Table([["", "1", "0", "0", "0", "2", "3", ""]])], {})
    warnings: list[str] = []
    got = fit(cells, 7, "requests.unavailable_not_held", warnings, lead_first=True,
              judge=row_total_holds)
    assert got == [None, "1", "0", "0", "0", "2", "3"]
    assert any("chosen by the row total" in w for w in warnings)
    # Without a consistent reading the table's own padding side stays.
    cells = build_stream([Table([["", "1", "0", "0", "0", "2", "9", ""]])], {})
    assert fit(cells, 7, "x", [], lead_first=True, judge=row_total_holds) == \
        ["1", "0", "0", "0", "2", "9", ""]
