"""Red-team round 4: the agency of a county report titled by its place, and of a page whose
``<title>`` names the agency only after the report's title.

- ``青川县2024年政府信息公开工作年度报告`` signed ``青川县人民政府办公室``: a region-wide report is
  the government's (docs/format.md §7); its 办公室 (办公厅) signs and publishes for it, so the
  agency is ``青川县人民政府``. A department titled in full keeps the name it signs with.
- ``2024年政府信息公开工作年度报告_青川县交通运输局`` as the page's title, no agency in the body:
  the suffix names the agency (a site's name — ``…门户网站``, ``…网``, the county portal's bare
  ``青川县人民政府`` — never does).

    .venv/bin/python -m pytest -q tests/test_redteam_parse6_agency.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from parsers import parse_document
from tests.fixturegen import make_figures, render


def _page(fig, replace: dict[str, str], html: str | None = None) -> bytes:
    html = html or render(fig, "html", "official").decode("utf-8")
    for old, new in replace.items():
        assert old in html, old
        html = html.replace(old, new)
    return html.encode("utf-8")


@pytest.mark.parametrize("place,office", [("青川县", "青川县人民政府办公室"),
                                          ("长沙市岳麓区", "长沙市岳麓区人民政府办公室"),
                                          ("四川省", "四川省人民政府办公厅")])
def test_place_titled_report_signed_by_the_government_office(place: str, office: str) -> None:
    fig = make_figures(3, "2021", agency=f"{place}人民政府", year=2024)
    title = f"{place}2024年政府信息公开工作年度报告"
    data = _page(fig, {f"{place}人民政府2024年": f"{place}2024年",
                       f'<p style="text-align:right">{place}人民政府</p>':
                       f'<p style="text-align:right">{office}</p>'})
    got = parse_document(data, None, "report.html")
    assert (got["title"], got["agency"], got["year"]) == (title, f"{place}人民政府", 2024)


def test_department_signed_by_its_office_keeps_its_name() -> None:
    """Only a place-titled report is the government's: a department's own title stands."""
    fig = make_figures(3, "2021", agency="青川县交通运输局", year=2024)
    data = _page(fig, {'<p style="text-align:right">青川县交通运输局</p>':
                       '<p style="text-align:right">青川县人民政府办公室</p>'})
    assert parse_document(data, None, "report.html")["agency"] == "青川县交通运输局"


def _anonymous(fig, page_title: str) -> bytes:
    """The body names no agency: title without it, no signature, the intro's contact generic."""
    html = re.sub(r"<title>.*?</title>", "<title>@</title>", render(fig, "html", "official").decode())
    return _page(fig, {"<title>@</title>": f"<title>{page_title}</title>",
                       f"<strong>{fig.agency}2024年": "<strong>2024年",
                       f"请与{fig.agency}办公室联系": "请与我局办公室联系",
                       f'<p style="text-align:right">{fig.agency}</p>': ""}, html)


@pytest.mark.parametrize("sep", ["_", " - ", "|"])
def test_page_title_suffix_names_the_agency(sep: str) -> None:
    fig = make_figures(3, "2021", agency="青川县交通运输局", year=2024)
    got = parse_document(_anonymous(fig, f"2024年政府信息公开工作年度报告{sep}青川县交通运输局"),
                         None, "report.html")
    assert (got["agency"], got["year"], got["is_annual_report"]) == ("青川县交通运输局", 2024, True)


@pytest.mark.parametrize("site", ["青川县人民政府门户网站", "青川县政府网", "青川县人民政府网站",
                                  "青川县人民政府"])
def test_page_title_suffix_naming_a_site_is_no_agency(site: str) -> None:
    fig = make_figures(3, "2021", agency="青川县交通运输局", year=2024)
    got = parse_document(_anonymous(fig, f"2024年政府信息公开工作年度报告_{site}"), None, "report.html")
    assert got["agency"] is None
