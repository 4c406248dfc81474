"""Red-team round 6: counts printed with their unit in an unruled PDF table (``12件``,
``3 条``, ``4人次``; the figures of ``pdf/nolines`` given units). A unit set apart from its
figure (``0`` | ``件``) was text over the figure columns, and ``人次``/``次``/``家`` were no
figures at all: rows split, the first column's figures joined to the labels (2/8). A count's
unit right after its figure is part of it (``pdf._merged_runs``), and every count unit the
value reader knows makes a figure (``pdf._NUMERIC``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse8_pdf.py
"""

from __future__ import annotations

import random

import pytest

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks

UNITS = ["件", " 件", "条", "个", "人次", "次"]


@pytest.mark.parametrize("seed,fmt,blanks", [(101, "2021", "some"), (102, "2019", "zeros"),
                                             (103, "2021", "none"), (104, "2019", "some")])
def test_counts_with_units_in_an_unruled_pdf(seed: int, fmt: str, blanks: str) -> None:
    fig = make_figures(seed, fmt, blanks=blanks, scale="small")
    expected = expected_json(fig, "pdf", "nolines")
    rng = random.Random(seed)
    for key, text in list(fig.printed.items()):
        if key[0] in ("requests", "review_litigation") and text[-1:].isdigit() and rng.random() < 0.6:
            fig.printed[key] = text + rng.choice(UNITS)
    got = parse_document(render(fig, "pdf", "nolines"), None, "report.pdf")
    assert compare_cells(expected, got) + compare_checks(expected, got) == []
