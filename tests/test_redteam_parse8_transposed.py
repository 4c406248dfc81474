"""Red-team round 6: table 三 printed transposed — the seven applicants as rows (自然人, 法人或
其他组织 over its five, 总计), the outcomes as columns under three rows of merged heads (一、…,
三、本年度办理结果 over (一)… over 1.…). Every figure of table 三 was lost (0/10 HTML). The
stage ``layout.turn_requests`` turns it back when all seven applicants head rows of as many
figures as the heads name outcome rows; the generator's ``html/transposed`` and
``xlsx/transposed`` (``Grid.transposed``) print it, so the explorer covers it too.

    .venv/bin/python -m pytest -q tests/test_redteam_parse8_transposed.py
"""

from __future__ import annotations

import pytest

from parsers import parse_document
from parsers.document import Table
from parsers.layout import turn_requests
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta

CASES = [(41, "2021", "official", "some"), (42, "2021", "single_other", "zeros"),
         (43, "2021", "mixed", "none"), (44, "2019", "official", "zeros"), (45, "2019", "official", "some")]


@pytest.mark.parametrize("kind", ["html", "xlsx"])
@pytest.mark.parametrize("seed,fmt,variant,blanks", CASES)
def test_transposed_table_three(kind: str, seed: int, fmt: str, variant: str, blanks: str) -> None:
    fig = make_figures(seed, fmt, variant=variant, blanks=blanks)
    expected = expected_json(fig, kind, "transposed")
    got = parse_document(render(fig, kind, "transposed"), None, f"report.{kind}")
    assert compare_cells(expected, got) + compare_checks(expected, got) + compare_meta(expected, got) == []


def test_official_table_is_not_turned() -> None:
    """Table 三 in its own shape (its 3.其他 row under (六) is a head of 其他组织 too) and a
    transposed table with an applicant missing pass unchanged."""
    names = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    official = Table([["", *names], ["一、本年新收政府信息公开申请数量", *"1234567"], ["3.其他", *"0000000"]])
    assert turn_requests([official])[0] is official
    short = Table([["", *[f"（{n}）项" for n in range(25)]], *[[name, *["1"] * 25] for name in names[:6]]])
    assert turn_requests([short])[0] is short


@pytest.mark.parametrize("seed,fmt,blanks", [(46, "2021", "some"), (47, "2019", "none"), (48, "2021", "zeros")])
def test_review_table_as_a_list(seed: int, fmt: str, blanks: str) -> None:
    """Table 四 turned: a row per figure under its block (行政复议 | 结果维持 | 3; 行政诉讼 |
    未经复议直接起诉 | 结果维持 | 1 …): 15 of 15 cells lost before (``tables._review_list``)."""
    import random
    import re

    from tests.fixturegen.layout import document_blocks
    from tests.fixturegen.render_html import _html_table

    fig = make_figures(seed, fmt, blanks=blanks)
    grid = next(b.grid for b in document_blocks(fig) if b.grid is not None and b.grid.section == "review_litigation")
    page = render(fig, "html", "official").decode("utf-8")
    table = re.findall(r"<table.*?</table>", page, flags=re.S)[-1]
    page = page.replace(table, _html_table(grid.transposed(), "official", random.Random(0)))
    expected = expected_json(fig, "html", "official")
    got = parse_document(page.encode("utf-8"), None, "report.html")
    assert compare_cells(expected, got) + compare_checks(expected, got) == []
