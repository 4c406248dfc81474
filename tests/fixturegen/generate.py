"""Build fixtures from :mod:`tests.fixturegen.catalog` specs and write them to a folder.

    >>> from tests.fixturegen.catalog import SPECS
    >>> data, expected = build(SPECS[0])
    >>> expected["is_annual_report"], data[:6]
    (True, b'<html>')
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.fixturegen import (
    NEEDS_OFFICE,
    Figures,
    expected_json,
    make_figures,
    render,
    render_lookalike,
)
from tests.fixturegen.catalog import SPECS, Spec
from tests.fixturegen.legacy import render_legacy

GENERATED = Path(__file__).resolve().parents[1] / "fixtures" / "generated"


def needs_office(spec: Spec) -> bool:
    """Whether building ``spec`` needs LibreOffice/poppler (so CI uses the committed file)."""
    return spec.lookalike is None and not spec.legacy and (spec.kind, spec.style) in NEEDS_OFFICE


def figures_for(spec: Spec) -> Figures:
    """The figures a (non-lookalike) spec renders."""
    fig = make_figures(spec.seed, spec.fmt, variant=spec.variant,
                       inconsistency=spec.inconsistency, blanks=spec.blanks, scale=spec.scale,
                       title_form=spec.title_form, year=spec.year)
    if spec.kind == "html" and spec.style == "trs":
        fig.sign_date = False  # the TRS page's metadata is the only publication date
    return fig


def build(spec: Spec) -> tuple[bytes, dict]:
    """The document bytes and the expected JSON of one spec."""
    if spec.lookalike:
        return render_lookalike(spec.lookalike, spec.seed), {"is_annual_report": False}
    if spec.legacy:
        return render_legacy(spec.seed, spec.kind)
    fig = figures_for(spec)
    data = render(fig, spec.kind, spec.style, encoding=spec.encoding,
                  declare_charset=spec.declare_charset)
    return data, expected_json(fig, spec.kind, spec.style)


def dump_expected(expected: dict) -> bytes:
    """The expected JSON as committed (stable formatting, UTF-8, one trailing newline)."""
    return (json.dumps(expected, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_all(out: Path = GENERATED, only: set[str] | None = None, skip_office: bool = False,
              force: bool = False, log=print) -> int:
    """Write every (selected) fixture and its ``.expected.json`` into ``out``; return the count.

    LibreOffice stamps each PDF/DOC/XLS with a fresh date and ID, so an office-made fixture is
    rebuilt only when its expectation changed (or it is missing, or ``force``): the committed
    binaries do not churn on every run.
    """
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for spec in SPECS:
        if only and spec.name not in only:
            continue
        if skip_office and needs_office(spec):
            continue
        expected_path = out / f"{spec.name}.expected.json"
        if needs_office(spec) and not force and (out / spec.filename).exists() and \
                expected_path.exists() and expected_path.read_bytes() == dump_expected(
                    expected_json(figures_for(spec), spec.kind, spec.style)):
            log(f"{spec.filename:45s} unchanged (office-made; --force rebuilds)")
            continue
        data, expected = build(spec)
        (out / spec.filename).write_bytes(data)
        (out / f"{spec.name}.expected.json").write_bytes(dump_expected(expected))
        log(f"{spec.filename:45s} {len(data):>8,d} bytes")
        count += 1
    return count
