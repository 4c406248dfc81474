"""Label normalisation and matching, including every variant listed in docs/format.md §6."""

from __future__ import annotations

import pytest

from parsers.cells import build_stream
from parsers.document import Table
from parsers.labels import norm, similarity, split_prefix, strip_note
from parsers.tables import ActiveResolver, RequestResolver


def test_norm_removes_space_and_unifies_brackets():
    assert norm(" （三）不 予公开 ") == "(三)不予公开"
    assert norm("第二十条  第〔一〕项") == "第二十条第(一)项"
    assert norm("[bookmark: _GoBack]一、总体情况") == "一、总体情况"
    assert norm("**二是**") == "二是"


@pytest.mark.parametrize("label,expected", [
    ("一、本年新收", (1, 1, "本年新收")), ("四 、结转", (1, 4, "结转")), ("(七)总计", (2, 7, "总计")),
    ("（六）其他处理", (2, 6, "其他处理")), ("3.其他", (3, 3, "其他")), ("8、属于", (3, 8, "属于")),
    ("规章", (None, None, "规章")), ("2.5", (None, None, "2.5")),
])
def test_split_prefix(label, expected):
    assert split_prefix(norm(label)) == expected


def test_strip_note_keeps_the_label():
    assert strip_note("规章(设区的市、自治州人民政府应提供相关数据)") == "规章"
    assert strip_note("(一)") == "(一)"
    assert strip_note("上一年项目数量(指2019年事项数)") == "上一年项目数量"


def test_similarity():
    assert similarity("行政许可", "行政许可") == 1.0
    assert similarity("属于三类内容事务信息", "属于三类内部事务信息") > 0.7
    assert similarity("信息内容", "行政许可") < 0.3


def _resolve_sequence(labels: list[list[str]]) -> list[str | None]:
    """Resolve label buffers in order, the way the table reader does (context carries over)."""
    resolver = RequestResolver()
    out = []
    for label in labels:
        cells = build_stream([Table([label])], {})
        out.append(resolver.resolve(cells))
    return out


@pytest.mark.parametrize("labels,expected", [
    ([["一、本年新收政府信息公开申请数量"]], ["new_received"]),
    ([["二、上年结转政府信息公开申请数量"]], ["carried_over"]),
    ([["三、本 年度办 理结果", "（一）予以公开"]], ["granted"]),                 # broken by spaces
    ([["(二)部分公开(区分处理的,只计这一情况,不计其他情况)"]], ["partially_granted"]),  # typo in note
    ([["（三）不 予公开", "1.属于国家秘密"], ["2.其他法律法规禁止公开"]],
     ["withheld_state_secret", "withheld_prohibited_by_law"]),             # 2019 wording
    ([["(三)不予公开", "5.属于三类内容事务信息"]], ["withheld_internal_affairs"]),  # typo
    ([["（四）无 法提供", "1.本机关不掌握相关政府信息"], ["3.补正后申请内容仍不明确"]],
     ["unavailable_not_held", "unavailable_unclear_after_correction"]),
    ([["(五) 不予", "1.信访举报投诉类申请"], ["处理", "2.重复申请"]],          # page-break split
     ["not_processed_complaint", "not_processed_duplicate"]),
    ([["(六) 其他 处理"]], ["other_handling"]),                                 # single (六) row
    ([["(六)其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
      ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"], ["3. 其他"]],
     ["other_no_correction", "other_unpaid_fee", "other_other"]),
    ([["(五)不予处理", "5.要求行政机关确认或重新出具已获取信息"], ["(七) 总计"]],
     ["not_processed_confirmation", "results_total"]),
    ([["四、结转下年度继续办理"]], ["carried_forward"]),
    # Header cells are never rows.
    ([["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"]], [None]),
    ([["自然人", "法人或其他组织", "总计"]], [None]),
    ([["商业 企业", "科研 机构", "其他"]], [None]),
])
def test_request_row_labels(labels, expected):
    assert _resolve_sequence(labels) == expected


def test_number_prefix_wins_over_stale_context():
    # A parent label printed in the middle of its block: the text decides the group.
    got = _resolve_sequence([["(五)不予处理", "5.要求行政机关确认或重新出具已获取信息"],
                             ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]])
    assert got == ["not_processed_confirmation", "other_no_correction"]


@pytest.mark.parametrize("fmt,label,expected", [
    ("2021", "规章", "rules"), ("2021", "行政规范性文件", "normative_documents"),
    ("2021", "规范性文件", "normative_documents"), ("2019", "规范性文件", "normative_documents"),
    ("2021", "规章(设区的市、自治州人民政府应提供相关数据)", "rules"),
    ("2021", "行政许可", "administrative_licensing"), ("2021", "行政处罚", "administrative_penalty"),
    ("2021", "行政强制", "administrative_coercion"), ("2021", "行政事业性收费", "administrative_fees"),
    ("2019", "其他对外管理服务事项", "other_external_services"),
    ("2019", "政府集中采购", "centralized_procurement"),
    ("2021", "其他主动公开文件", None), ("2021", "信息内容", None), ("2021", "第二十条第(一)项", None),
    ("2021", "政府集中采购", None),  # not a 2021 row
])
def test_active_row_labels(fmt, label, expected):
    cells = build_stream([Table([[label]])], {})
    assert ActiveResolver(fmt).resolve(cells) == expected
