"""The figures model: one random annual report, consistent by construction.

    >>> from tests.fixturegen.figures import make_figures
    >>> f = make_figures(7, "2021")
    >>> f.fmt, f.value("requests", "results_total", "total") is not None or True
    ('2021', True)

A :class:`Figures` holds the *true* value of every cell of fields.csv for its format (``None`` =
printed blank) and the exact text each cell is printed with; renderers only print, they never
decide numbers. Consistency rules (docs/format.md §5) hold unless an inconsistency was injected
on purpose (``Figures.inconsistencies`` says which); blanks only ever replace zeros, except in
the ``blank_totals`` inconsistency, which blanks non-zero totals as 上海 2019 did.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tests.fixturegen import cells, prose
from tests.fixturegen.schema import (
    NOT_PROCESSED,
    ORG_COLS,
    OTHER_SUBROWS,
    REVIEW_COLS,
    REVIEW_ROWS,
    UNAVAILABLE,
    WITHHELD,
    cell_keys,
)

Key = tuple[str, str, str]
Value = int | float | None

VARIANTS = ("official", "single_other", "mixed")
# Layout habits that change no figure (docs/format.md §6): notes appended to labels
# (规章(设区的市…), 本年增/减(…如-8)), a non-official 其他主动公开文件 row in table 二 (Hubei),
# a summary paragraph between heading 三 and its table (汉阳 2022).
# ``lost_value``: the first value of 四、结转下年度继续办理 vanishes in extraction (seed 000: six
# numbers for seven columns); in text layouts the cell is gone, elsewhere it prints blank, and
# either way the expected value is null (the parser must not fill it).
QUIRKS = ("label_notes", "extra_active_row", "lead_in", "lost_value")
LOST = "\x00lost"  # printed text of a cell that extraction lost entirely
INCONSISTENCIES = ("bad_results_total", "bad_row_total", "bad_review_total", "blank_totals",
                   "bad_balance")


@dataclass
class Figures:
    """Everything one generated report says. Build with :func:`make_figures`."""

    seed: int
    fmt: str                      # "2021" | "2019"
    variant: str                  # official | single_other (one （六） row) | mixed (2019 labels)
    year: int
    agency: str
    title: str
    published_date: str | None    # ISO; printed after the closing signature when sign_date
    date_style: str               # "arabic" | "chinese"
    sign_date: bool               # the closing date is printed in the body
    values: dict[Key, Value]
    printed: dict[Key, str]
    sections: dict[str, str]
    basis: str
    inconsistencies: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quirks: frozenset[str] = frozenset()  # layout habits of this office, see QUIRKS
    # An attachment may lack its own title and signature (seed 003 starts with the basis
    # sentence): the page that links it then supplies them (parse_document's page_metadata).
    title_in_body: bool = True
    signed: bool = True

    def value(self, table: str, row: str, col: str) -> Value:
        """The true value of one cell (None = blank)."""
        return self.values[(table, row, col)]

    def text(self, table: str, row: str, col: str) -> str:
        """The printed text of one cell."""
        return self.printed[(table, row, col)]

    @property
    def has_other_subrows(self) -> bool:
        """Whether table 三 prints the three （六） sub-rows (2021 official only)."""
        return self.fmt == "2021" and self.variant == "official"

    def rng(self, purpose: str) -> random.Random:
        """A random stream for one renderer/purpose, reproducible from the seed."""
        return random.Random(f"{self.seed}:{purpose}")


def make_figures(seed: int, fmt: str, *, variant: str | None = None,
                 inconsistency: str | None = None, blanks: str | None = None,
                 scale: str | None = None, year: int | None = None,
                 agency: str | None = None, title_form: str | None = None) -> Figures:
    """Random figures for one report of format ``fmt`` ("2021" or "2019").

    :param seed: reproducibility seed; the same arguments always give the same figures
    :param variant: ``official``, ``single_other`` (2021 with one undivided （六）其他处理 row) or
        ``mixed`` (2021 report with 2019 wordings 规范性文件 / 法律法规 / one （六） row);
        default ``official``
    :param inconsistency: one of :data:`INCONSISTENCIES` to break a rule on purpose, or None
    :param blanks: ``none``, ``zeros`` (every zero printed as one null marker), ``some`` (some
        zeros printed blank with mixed markers); default random
    :param scale: ``small`` / ``medium`` / ``large`` agency (how big the numbers are)
    :param year: the report year; default random (2021–2024, or 2019/2020 for "2019")
    :param agency: the agency's full name; default an invented one at a random level
    :param title_form: one of :data:`tests.fixturegen.prose.TITLE_FORMS` (``cn_year``:
        二〇二三年…, ``short``: …年政府信息公开年度报告); default a random common form
    """
    if fmt not in ("2021", "2019"):
        raise ValueError(f"unknown format {fmt!r}")
    variant = variant or "official"
    if variant not in VARIANTS or (fmt == "2019" and variant != "official"):
        raise ValueError(f"variant {variant!r} does not exist for format {fmt}")
    rng = random.Random(f"figures:{seed}:{fmt}")
    scale = scale or rng.choice(["small", "medium", "medium", "large"])
    blanks = blanks or rng.choice(["none", "none", "zeros", "some"])
    year = year or (rng.randint(2021, 2024) if fmt == "2021" else rng.choice([2019, 2020]))
    agency = agency or prose.make_agency(rng)

    values: dict[Key, Value] = {k: None for k in cell_keys(fmt)}
    _fill_active(values, fmt, scale, rng)
    _fill_requests(values, fmt, variant, scale, rng)
    _fill_review(values, scale, rng)

    notes: list[str] = []
    if inconsistency:
        notes.append(_break_rule(values, fmt, variant, inconsistency, rng))

    style = _PrintStyle.random(rng, blanks)
    _blank_zeros(values, blanks, rng)
    printed = {k: style.print(k, v, rng) for k, v in values.items()}
    if inconsistency == "blank_totals":
        # 上海 2019: the 总计 column of the result rows left blank while the parts are not.
        for key in [k for k in values if k[0] == "requests" and k[2] == "total"
                    and k[1] not in ("new_received", "carried_over", "carried_forward",
                                     "results_total")]:
            if values[key] is not None:
                values[key] = None
                printed[key] = style.null_marker(rng)
    # Rows a report does not print stay None in values and "" in printed.
    for key in values:
        if not _printed_row(fmt, variant, key[1]) and key[0] == "requests":
            values[key] = None
            printed[key] = ""

    published = prose.make_published_date(year, rng)
    requests_total = values.get(("requests", "new_received", "total"))
    fig = Figures(
        seed=seed, fmt=fmt, variant=variant, year=year, agency=agency,
        title=prose.make_title(agency, year, rng, title_form), published_date=published,
        date_style=rng.choice(["arabic", "arabic", "chinese"]), sign_date=True,
        values=values, printed=printed,
        sections=prose.make_sections(year, requests_total if isinstance(requests_total, int) else 0,
                                     rng),
        basis=prose.basis_sentence(agency, year, fmt, rng),
        inconsistencies=[inconsistency] if inconsistency else [], notes=notes,
        quirks=frozenset(q for q in QUIRKS if rng.random() < 0.2))
    if "lost_value" in fig.quirks:
        lost = ("requests", "carried_forward", "natural_person")
        fig.values[lost] = None
        fig.printed[lost] = LOST
    return fig


def _printed_row(fmt: str, variant: str, row: str) -> bool:
    """Whether table 三 prints ``row`` at all for this format/variant."""
    if row == "other_handling":
        return not (fmt == "2021" and variant == "official")
    if row in OTHER_SUBROWS:
        return fmt == "2021" and variant == "official"
    return True


def _small(rng: random.Random, scale: str, p_nonzero: float) -> int:
    """A count that is mostly zero for small agencies, tens to thousands for large ones."""
    p = {"small": p_nonzero * 0.4, "medium": p_nonzero, "large": min(0.95, p_nonzero * 1.6)}[scale]
    if rng.random() >= p:
        return 0
    hi = {"small": 3, "medium": 25, "large": 600}[scale]
    return rng.randint(1, hi)


def _fill_active(values: dict[Key, Value], fmt: str, scale: str, rng: random.Random) -> None:
    big = {"small": 20, "medium": 400, "large": 6000}[scale]
    if fmt == "2021":
        for row in ("rules", "normative_documents"):
            has = row == "normative_documents" or rng.random() < 0.3
            issued = rng.randint(0, 12) if has else 0
            repealed = rng.randint(0, 5) if has else 0
            values[("active", row, "issued")] = issued
            values[("active", row, "repealed")] = repealed
            values[("active", row, "in_force")] = issued + (rng.randint(0, 80) if has else 0)
        for row in ("administrative_licensing", "administrative_penalty",
                    "administrative_coercion"):
            values[("active", row, "decisions")] = rng.randint(0, big) if rng.random() < 0.7 else 0
        values[("active", "administrative_fees", "amount_10k_yuan")] = _amount(rng, scale)
        return
    for row in ("rules", "normative_documents"):
        made = rng.randint(0, 10) if rng.random() < 0.6 else 0
        values[("active", row, "new_made")] = made
        values[("active", row, "new_published")] = made - rng.randint(0, min(made, 1))
        values[("active", row, "total_published")] = made + rng.randint(0, big // 4 + 3)
    for row in ("administrative_licensing", "other_external_services", "administrative_penalty",
                "administrative_coercion"):
        prev = rng.randint(0, 60) if rng.random() < 0.7 else 0
        values[("active", row, "prev_year_items")] = prev
        values[("active", row, "change")] = rng.randint(-min(prev, 9), 9) if prev else 0
        values[("active", row, "decisions")] = rng.randint(0, big) if rng.random() < 0.7 else 0
    prev = rng.randint(0, 15)
    values[("active", "administrative_fees", "prev_year_items")] = prev
    values[("active", "administrative_fees", "change")] = rng.randint(-min(prev, 5), 3)
    values[("active", "centralized_procurement", "items")] = rng.randint(0, 40)
    values[("active", "centralized_procurement", "amount_10k_yuan")] = _amount(rng, "large")


def _amount(rng: random.Random, scale: str) -> float:
    """An amount in 万元 built from whole hundreds of 元, so 元 and 万元 prints are exact."""
    if rng.random() < 0.35:
        return 0
    yuan_hundreds = rng.randint(1, {"small": 500, "medium": 50_000, "large": 5_000_000}[scale])
    wan = yuan_hundreds / 100  # hundreds of 元 / 100 = 万元 with ≤ 2 decimals
    return int(wan) if wan == int(wan) else round(wan, 2)


def _result_rows(fmt: str, variant: str) -> list[str]:
    rows = ["granted", "partially_granted", *WITHHELD, *UNAVAILABLE, *NOT_PROCESSED]
    rows += list(OTHER_SUBROWS) if (fmt == "2021" and variant == "official") else ["other_handling"]
    return rows


def _fill_requests(values: dict[Key, Value], fmt: str, variant: str, scale: str,
                   rng: random.Random) -> None:
    weights = {"granted": 0.8, "partially_granted": 0.4, "unavailable_not_held": 0.6,
               "not_processed_complaint": 0.3, "not_processed_duplicate": 0.3}
    col_weight = {"natural_person": 1.0, "commercial_enterprise": 0.5,
                  "research_institution": 0.1, "social_welfare_org": 0.1,
                  "legal_service_org": 0.3, "other_org": 0.2}
    for col in ORG_COLS:
        parts = {row: _small(rng, scale, weights.get(row, 0.08) * col_weight[col])
                 for row in _result_rows(fmt, variant)}
        for row, v in parts.items():
            values[("requests", row, col)] = v
        results = sum(parts.values())
        forward = _small(rng, scale, 0.3 * col_weight[col])
        over = rng.randint(0, min(results + forward, 5 if scale != "large" else 60))
        values[("requests", "results_total", col)] = results
        values[("requests", "carried_forward", col)] = forward
        values[("requests", "carried_over", col)] = over
        values[("requests", "new_received", col)] = results + forward - over
    for t, row, col in list(values):
        if t == "requests" and col == "total":
            parts_v = [values[("requests", row, c)] for c in ORG_COLS]
            if all(isinstance(v, int) for v in parts_v):
                values[(t, row, col)] = sum(parts_v)  # type: ignore[arg-type]


def _fill_review(values: dict[Key, Value], scale: str, rng: random.Random) -> None:
    for row in REVIEW_ROWS:
        # Even large governments count review/litigation cases in tens, not thousands.
        parts = [_small(rng, "medium" if scale == "large" else scale, 0.25)
                 for _ in REVIEW_COLS[:4]]
        for col, v in zip(REVIEW_COLS[:4], parts, strict=True):
            values[("review_litigation", row, col)] = v
        values[("review_litigation", row, "total")] = sum(parts)


def _break_rule(values: dict[Key, Value], fmt: str, variant: str, kind: str,
                rng: random.Random) -> str:
    """Inject one deliberate inconsistency; return a note saying what was changed."""
    def bump(key: Key, delta: int) -> str:
        old = int(values[key] or 0)
        values[key] = old + delta if old + delta >= 0 else old + abs(delta)
        return f"{'.'.join(key)} printed as {values[key]} instead of {old}"

    if kind == "bad_results_total":
        return bump(("requests", "results_total", rng.choice(ORG_COLS)), rng.choice([1, 2, -1]))
    if kind == "bad_row_total":
        row = rng.choice(["granted", "new_received", "unavailable_not_held"])
        return bump(("requests", row, "total"), rng.choice([1, 3]))
    if kind == "bad_review_total":
        return bump(("review_litigation", rng.choice(REVIEW_ROWS), "total"), 1)
    if kind == "bad_balance":
        return bump(("requests", "carried_forward", "natural_person"), 1)
    if kind == "blank_totals":
        # Make sure at least one result part is non-zero so the blank total really fails.
        values[("requests", "granted", "natural_person")] = int(
            values[("requests", "granted", "natural_person")] or 0) + 1
        for key in (("requests", "granted", "total"), ("requests", "results_total", "natural_person"),
                    ("requests", "results_total", "total"),
                    ("requests", "new_received", "natural_person"),
                    ("requests", "new_received", "total")):
            values[key] = int(values[key] or 0) + 1
        return "requests totals of the result rows printed blank"
    raise ValueError(f"unknown inconsistency {kind!r}")


@dataclass
class _PrintStyle:
    """Document-wide printing habits (one office, one template, one typist)."""

    blanks: str
    null_set: tuple[str, ...]
    fullwidth: float          # share of numbers printed with full-width digits
    thousands: bool
    count_unit: str
    change_style: str
    amount_style: str

    @classmethod
    def random(cls, rng: random.Random, blanks: str) -> _PrintStyle:
        one = cells.pick_null(rng)
        null_set = (one,) if blanks == "zeros" else tuple(rng.sample(cells.NULL_MARKERS, 3))
        return cls(blanks=blanks, null_set=null_set,
                   fullwidth=rng.choice([0, 0, 0, 0.3, 1.0]),
                   thousands=rng.random() < 0.5,
                   count_unit=rng.choice(["", "", "", "", "", "件"]),
                   change_style=rng.choice(["ascii", "ascii", "chinese"]),
                   amount_style=rng.choice(["10k", "10k", "10k_2dp", "yuan", "10k_unit"]))

    def null_marker(self, rng: random.Random) -> str:
        return rng.choice(self.null_set)

    def print(self, key: Key, value: Value, rng: random.Random) -> str:
        """Print one cell; may turn a zero into a blank (the value then becomes None)."""
        if value is None:
            return self.null_marker(rng)
        fw = rng.random() < self.fullwidth
        table, _row, col = key
        if col == "amount_10k_yuan":
            return cells.print_amount(float(value), rng, style=self.amount_style, fullwidth=fw)
        if col == "change":
            return cells.print_change(int(value), rng, style=self.change_style, fullwidth=fw)
        unit = self.count_unit if table == "active" else ""
        return cells.print_count(int(value), rng, thousands=self.thousands, fullwidth=fw,
                                 unit=unit)


def _blank_zeros(values: dict[Key, Value], blanks: str, rng: random.Random) -> None:
    """Print zeros as blanks, as many offices do (the value becomes None: never silently 0)."""
    if blanks == "none":
        return
    share = 1.0 if blanks == "zeros" else 0.3
    for key, value in values.items():
        if value == 0 and rng.random() < share:
            values[key] = None


def ambiguous(fig: Figures) -> bool:
    """A document whose layout has two equally good readings, so no parser can be held to one.

    ``lost_value`` prints the first figure of 四、结转下年度继续办理 not at all (the row is a cell
    short); ``blank_totals`` prints the totals of other result rows blank, which teaches the
    parser that this table's rows pad at the start. When the row's other figures are all zero or
    blank, where the missing cell was cannot be told: zeros agree with any placement and the row
    total, without the lost figure, proves nothing. (Found by the property test in CI, seed 1000,
    with a zero total; by the explorer's html/trs sample with a total of 73.)
    """
    row = [fig.values.get(("requests", "carried_forward", c)) for c in (
        "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org")]
    return "lost_value" in fig.quirks and "blank_totals" in fig.inconsistencies \
        and not any(row)
