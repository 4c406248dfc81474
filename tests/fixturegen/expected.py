"""The expected ``nianbao parse --json`` result of a rendered fixture.

    >>> from tests.fixturegen.figures import make_figures
    >>> exp = expected_json(make_figures(3, "2021"))
    >>> sorted(exp["requests"]["results_total"]) == sorted(
    ...     ["natural_person", "commercial_enterprise", "research_institution",
    ...      "social_welfare_org", "legal_service_org", "other_org", "total"])
    True

Only keys present in the expected object are asserted by the round-trip test, so an image-only
PDF's expectation names ``needs_ocr`` and null cells but no title, and a lookalike's names only
``is_annual_report: false``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from tests.fixturegen.checks import expected_checks
from tests.fixturegen.figures import Figures
from tests.fixturegen.schema import TABLES, cell_keys

# Renderings whose page carries the publication date in metadata (TRS article pages).
_PAGE_DATED = {("html", "trs")}
# Renderings whose tables are pictures (沈阳浑南区国资局 2022): headings and prose are text, every
# cell is null, every check "not assessable" (passed null), needs_ocr true (format.md §1, §6).
_TABLES_AS_PICTURES = {("html", "images"), ("docx", "images")}


def expected_json(fig: Figures, kind: str | None = None, style: str | None = None,
                  page_metadata: dict[str, str] | None = None) -> dict:
    """What the parser must return for ``fig`` rendered as ``kind``/``style``.

    :param fig: the figures the document was rendered from
    :param kind: the rendering kind (see :func:`tests.fixturegen.render`); ``("pdf", "image")``
        expects an image-only document: ``needs_ocr`` and every cell null
    :param page_metadata: what the linking page told the parser (``title``, ``publisher``,
        ``published_date``); it fills in what the document itself leaves out
    """
    image_only = (kind, style) == ("pdf", "image")
    pictured = (kind, style) in _TABLES_AS_PICTURES  # text readable, tables are pictures
    tables: dict[str, dict[str, dict[str, int | float | None]]] = {t: {} for t in TABLES}
    for table, row, col in cell_keys(fig.fmt):
        value = None if image_only or pictured else fig.value(table, row, col)
        tables[table].setdefault(row, {})[col] = value
    if image_only:
        return {"needs_ocr": True, **tables, "_generator": _provenance(fig)}
    if pictured:
        # Which rows a pictured table prints is invisible, so the format's standard rows count
        # (a one-row （六） variant cannot be seen): every check present, none assessable.
        checks = {n: None for n in expected_checks(dataclasses.replace(fig, variant="official"))}
    else:
        checks = expected_checks(fig)
    page = page_metadata or {}
    dated = (fig.signed and fig.sign_date) or (kind, style) in _PAGE_DATED or \
        page.get("published_date") == fig.published_date
    return {
        "is_annual_report": True,
        "title": fig.title,
        "agency": fig.agency,
        "year": fig.year,
        "format": fig.fmt,
        "published_date": fig.published_date if dated else None,
        **({"needs_ocr": True} if pictured else {}),
        **tables,
        "checks": [{"name": n, "passed": p} for n, p in checks.items()],
        "sections_contain": {key: _snippet(text) for key, text in fig.sections.items()},
        "_generator": _provenance(fig),
    }


def _provenance(fig: Figures) -> dict:
    """How the fixture was made, with a fingerprint of everything the document prints (so an
    office-made fixture is rebuilt exactly when what it shows changed)."""
    printed = json.dumps([fig.title, fig.agency, fig.year, fig.published_date, fig.basis,
                          fig.sections, sorted(fig.quirks), fig.date_style, fig.sign_date,
                          sorted(("|".join(k), v) for k, v in fig.printed.items())]
                         # Non-default only, so existing fingerprints stay valid.
                         + ([] if fig.title_in_body else ["no title in body"])
                         + ([] if fig.signed else ["unsigned"]),
                         ensure_ascii=False, sort_keys=True)
    return {"seed": fig.seed, "variant": fig.variant, "inconsistencies": fig.inconsistencies,
            "notes": fig.notes, "quirks": sorted(fig.quirks),
            "printed_sha256": hashlib.sha256(printed.encode("utf-8")).hexdigest()}


def _snippet(text: str) -> str:
    """A distinctive piece of a section's prose (whitespace-free) the parser's section must hold."""
    body = text.split("。", 1)[1] if "（一）" in text[:6] else text
    return "".join(body.split())[:16]
