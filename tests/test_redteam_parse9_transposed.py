"""Red-team round 7: table 三 transposed (the applicants as rows) with its outcome columns in
an order of the office's own — 二、上年结转 before 一、, (七)总计 before (一), the groups
(三)…(六) moved, each with its items. Round 6 turned such a table back in the official order,
reading every figure into another outcome's row (12/30 HTML, 18/30 XLSX). The heads' printed
order is now read depth first (``layout._printed_outcomes``); the generator's ``transposed``
styles reorder the columns in half their reports (``tests.fixturegen.layout.turned``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse9_transposed.py
"""

from __future__ import annotations

import pytest

from parsers import parse_document
from parsers.layout import _printed_outcomes
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks
from tests.fixturegen.layout import document_blocks


def _reordered(fig) -> bool:
    return fig.rng("transposed:order").random() < 0.5


@pytest.mark.parametrize("kind", ["html", "xlsx"])
@pytest.mark.parametrize("fmt,variant,blanks", [("2021", "official", "some"), ("2021", "single_other", "none"),
                                                ("2019", "official", "zeros")])
def test_transposed_outcomes_in_their_printed_order(kind: str, fmt: str, variant: str, blanks: str) -> None:
    seed = next(s for s in range(100, 200) if _reordered(make_figures(s, fmt, variant=variant, blanks=blanks)))
    fig = make_figures(seed, fmt, variant=variant, blanks=blanks)
    grid = next(b.grid for b in document_blocks(fig) if b.grid is not None and b.grid.section == "requests")
    order = fig.rng("transposed:order")
    order.random()  # the coin the renderer tossed
    moved = grid.outcomes_reordered(order)
    assert [r[0].text for r in moved.rows] != [r[0].text for r in grid.rows]  # another order
    expected = expected_json(fig, kind, "transposed")
    got = parse_document(render(fig, kind, "transposed"), None, f"report.{kind}")
    problems = compare_cells(expected, got) + compare_checks(expected, got)
    assert not problems, f"seed {seed}: {len(problems)} wrong: " + "; ".join(problems[:6])


def test_heads_that_do_not_spell_the_order_out_leave_it_official() -> None:
    """Items without numbers, more runs of items than groups, a single block head: no order
    read (the table is turned in the official order, as before)."""
    blocks = ["一、本年新收", "三、本年度办理结果"]
    assert _printed_outcomes([blocks, ["（三）不予公开"], ["1.属于国家秘密"]]) == [
        "new_received", "withheld_state_secret"]
    assert _printed_outcomes([blocks, ["（一）予以公开"], ["1.属于国家秘密"]]) is None
    assert _printed_outcomes([["一、本年新收"], ["（一）予以公开"]]) is None
    assert _printed_outcomes([blocks, ["（三）不予公开"], ["属于国家秘密"]]) is None
