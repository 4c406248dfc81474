"""Property tests: any generated report, in any text layout or HTML style, parses back exactly.

Hypothesis draws the figures' seed, format, variant, blank habit, a deliberate inconsistency
(or none) and the rendering; the document is rendered in process, parsed with
``parsers.parse_document``, and every cell and check outcome must equal the generator's.
``max_examples`` stays small to keep the suite fast, and the examples are the same on every
run (see ``_settings``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from parsers import parse_document
from tests.fixturegen import INCONSISTENCIES, expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks, compare_meta
from tests.fixturegen.figures import ambiguous
from tests.fixturegen.prose import TITLE_FORMS

# Deterministic by default (``derandomize``): the suite draws the same examples on every run,
# so CI never flakes on a newly found case. Set NIANBAO_PROPERTY_EXAMPLES=500 to explore new,
# random examples locally. No shrinking phase: the drawn seed already names a reproducible
# report, and shrinking a failing parse through hundreds of renders would blow the time budget.
_EXPLORE = int(os.environ.get("NIANBAO_PROPERTY_EXAMPLES", "0"))
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]


def _settings(examples: int) -> settings:
    return settings(max_examples=_EXPLORE or examples, derandomize=not _EXPLORE, deadline=None,
                    phases=PHASES, report_multiple_bugs=False, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


SETTINGS = _settings(15)


@st.composite
def figures(draw):
    fmt = draw(st.sampled_from(["2021", "2019"]))
    variant = draw(st.sampled_from(["official", "single_other", "mixed"])) \
        if fmt == "2021" else "official"
    fig = make_figures(
        draw(st.integers(min_value=0, max_value=10**9)), fmt, variant=variant,
        inconsistency=draw(st.one_of(st.none(), st.sampled_from(INCONSISTENCIES))),
        blanks=draw(st.sampled_from(["none", "zeros", "some"])),
        scale=draw(st.sampled_from(["small", "medium", "large"])),
        title_form=draw(st.one_of(st.none(), st.sampled_from(TITLE_FORMS))))
    assume(not ambiguous(fig))
    return fig


def _assert_round_trip(fig, kind: str, style: str, data: bytes, content_type: str,
                       page_metadata: dict[str, str] | None = None) -> None:
    got = parse_document(data, content_type=content_type, url=f"http://127.0.0.1/report.{kind}",
                         page_metadata=page_metadata)
    expected = expected_json(fig, kind, style, page_metadata)
    diffs = (compare_cells(expected, got) + compare_checks(expected, got) +
             compare_meta({k: expected[k] for k in ("is_annual_report", "year", "format",
                                                    "title", "agency", "published_date")}, got))
    assert not diffs, (f"{kind}/{style} seed={fig.seed} fmt={fig.fmt} variant={fig.variant} "
                       f"inconsistency={fig.inconsistencies}:\n  " + "\n  ".join(diffs[:30]))


@SETTINGS
@given(fig=figures(), style=st.sampled_from(["tabs", "pipe", "lines"]),
       encoding=st.sampled_from(["utf-8", "gbk"]))
def test_text_layouts_round_trip(fig, style, encoding):
    data = render(fig, "txt", style, encoding=encoding)
    _assert_round_trip(fig, "txt", style, data, "text/plain")


@SETTINGS
@given(fig=figures(),
       style=st.sampled_from(["official", "word", "split", "broken", "flat", "trs"]),
       encoding=st.sampled_from(["utf-8", "gbk", "gb18030"]), declare=st.booleans())
def test_html_styles_round_trip(fig, style, encoding, declare):
    if style == "trs":
        fig.sign_date = False
    data = render(fig, "html", style, encoding=encoding, declare_charset=declare)
    _assert_round_trip(fig, "html", style, data, "text/html")


@_settings(6)
@given(fig=figures())
def test_docx_and_xlsx_round_trip(fig):
    for kind, ctype in (("docx", ("application/vnd.openxmlformats-officedocument."
                                 "wordprocessingml.document")),
                        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        _assert_round_trip(fig, kind, "official", render(fig, kind, "official"), ctype)


@_settings(10)
@given(fig=figures())
def test_no_ruling_lines_pdf_round_trip(fig):
    """A PDF with no table lines: columns exist only as text positions, blanks as gaps."""
    _assert_round_trip(fig, "pdf", "nolines", render(fig, "pdf", "nolines"), "application/pdf")


@_settings(8)
@given(fig=figures(), kind=st.sampled_from(["docx", "txt"]))
def test_attachment_without_title_takes_page_metadata(fig, kind):
    """An attachment with no title, signature or date of its own: the linking page's facts
    (``page_metadata``) give title, agency and publication date; the figures come from the file."""
    fig.title_in_body = False
    fig.signed = False
    meta = {"title": fig.title, "publisher": fig.agency, "published_date": fig.published_date}
    ctype = "text/plain" if kind == "txt" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    _assert_round_trip(fig, kind, "official" if kind == "docx" else "tabs",
                       render(fig, kind, "official" if kind == "docx" else "tabs"), ctype, meta)
