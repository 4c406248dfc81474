"""A workbook as a program writes it: the totals as formulas with no value computed.

Offices export their figures from a statistics system or fill a template whose totals are
formulas; a workbook written by a program (openpyxl, a Java or PHP library) holds the formula
text only, and the value appears when a spreadsheet opens it. :func:`with_formulas` takes a
rendered ``xlsx`` report (``official`` or ``sheets``), stores every figure printed as a plain
number (``1，217``, ``1,234``, ``３０``) as a number, and replaces the totals by formulas:

* table 三's 总计 column: ``=SUM(D30:I30)`` (style ``sum``), ``=D30+E30+…+I30`` (``plus``) or
  ``=D30+SUM(E30:I30)`` (``mixed``);
* table 三's （七）总计 row: a column sum over the outcome rows, and 四、结转下年度继续办理 as
  ``=D30+D31-D53`` (both only in ``nested`` — their 总计 then refers to formulas);
* table 四's three 总计: ``=SUM(A60:D60)`` or ``=A60+B60+C60+D60``.

A cell becomes a formula only when what a spreadsheet shows for it is the figure printed (a
sum over text markers such as ``—`` counts them 0; added with ``+`` they are an error, so such a
cell keeps its figure): the expected JSON is the same as the rendering's.

    >>> from tests.fixturegen import make_figures, render
    >>> data = with_formulas(render(make_figures(5, "2021", blanks="none"), "xlsx"), "sum")
    >>> import io, openpyxl
    >>> ws = openpyxl.load_workbook(io.BytesIO(data)).active
    >>> sorted({c.value.split("(")[0] for r in ws.iter_rows() for c in r
    ...         if isinstance(c.value, str) and c.value.startswith("=")})
    ['=SUM']
"""

from __future__ import annotations

import io
import re
import unicodedata

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.fixturegen.render_docx import normalise_zip

STYLES = ("sum", "plus", "mixed", "nested")
_NUMBER = re.compile(r"^[0-9][0-9,]*(\.[0-9]+)?$")
_REVIEW_HEADS = ("结果维持", "结果纠正", "其他结果", "尚未审结")


def _number(value: object) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _NUMBER.match(unicodedata.normalize("NFKC", value).strip()):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        return float(text) if "." in text else int(text)
    return None


def _shown(ws, cells: list[str], plus: bool) -> float | None:
    """What a spreadsheet shows for the sum of ``cells`` (None: an error)."""
    total = 0.0
    for ref in cells:
        value = ws[ref].value
        if isinstance(value, str) and value.startswith("="):
            return None  # the caller evaluates in order; a formula here is not expected
        number = _number(value)
        if number is None and value not in (None, "") and plus:
            return None  # text added with + is #VALUE!
        total += number or 0
    return total


def _put(ws, ref: str, formula: str, parts: list[str], direct: int, shown: dict[str, float]) -> None:
    """Write ``formula`` at ``ref`` when it shows the printed figure (the first ``direct``
    parts are added with ``+``/``-``, the others inside SUM)."""
    figure = _number(ws[ref].value)
    if figure is None:
        return
    total = 0.0
    for k, part in enumerate(parts):
        sign, name = (-1, part[1:]) if part.startswith("-") else (1, part)
        if name in shown:
            total += sign * shown[name]
            continue
        value = _shown(ws, [name], k < direct)
        if value is None:
            return
        total += sign * value
    if abs(total - figure) > 1e-9:
        return
    ws[ref] = formula
    shown[ref] = figure


def _row_sum(cols: list[int], row: int, style: str) -> tuple[str, list[str], int]:
    """The formula, the cells it names and how many of them it adds directly."""
    refs = [f"{get_column_letter(c)}{row}" for c in cols]
    span = f"{refs[0]}:{refs[-1]}"
    if style == "plus":
        return "=" + "+".join(refs), refs, len(refs)
    if style == "mixed":
        return f"={refs[0]}+SUM({refs[1]}:{refs[-1]})", refs, 1
    return f"=SUM({span})", refs, 0


def with_formulas(data: bytes, style: str = "sum") -> bytes:
    """``data`` (an xlsx report) with its totals as uncached formulas of ``style``."""
    if style not in STYLES:
        raise ValueError(f"unknown formula style {style!r}; choose from {STYLES}")
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                number = _number(cell.value)
                if number is not None and isinstance(cell.value, str):
                    cell.value = number
        shown: dict[str, float] = {}
        _requests(ws, style, shown)
        _review(ws, "plus" if style == "plus" else "sum", shown)
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue())


def _find(ws, text: str, *, below: int = 0, before: int | None = None) -> tuple[int, int] | None:
    for row in ws.iter_rows(min_row=below + 1):
        for cell in row:
            if before is not None and cell.column >= before:
                break
            if isinstance(cell.value, str) and text in cell.value:
                return cell.row, cell.column
    return None


def _requests(ws, style: str, shown: dict[str, float]) -> None:
    head = next(((r, c) for r, c in [_find(ws, "自然人") or (0, 0)] if r), None)
    if head is None:
        return
    total_at = None
    for r in (head[0], head[0] + 1):
        for cell in ws[r]:
            if cell.value == "总计" and cell.column > head[1]:
                total_at = cell.column
                break
        if total_at:
            break
    if total_at is None or total_at - head[1] != 6:
        return
    cols = list(range(head[1], total_at))
    labels = {key: _find(ws, key, below=head[0], before=head[1])
              for key in ("本年新收", "上年结转", "予以公开", "（七）总计", "结转下年")}
    if any(at is None for at in labels.values()):
        return
    first, outcome_end = labels["予以公开"][0], labels["（七）总计"][0]
    new, carried, total_row, carry = (labels["本年新收"][0], labels["上年结转"][0],
                                      outcome_end, labels["结转下年"][0])
    if style == "nested":  # the column sums first: the 总计 column then sums formulas
        for c in cols + [total_at]:
            letter = get_column_letter(c)
            refs = [f"{letter}{r}" for r in range(first, outcome_end)]
            _put(ws, f"{letter}{total_row}", f"=SUM({refs[0]}:{refs[-1]})", refs, 0, shown)
            _put(ws, f"{letter}{carry}", f"={letter}{new}+{letter}{carried}-{letter}{total_row}",
                 [f"{letter}{new}", f"{letter}{carried}", f"-{letter}{total_row}"], 3, shown)
    for r in range(head[0] + 1, carry + 1):
        ref = f"{get_column_letter(total_at)}{r}"
        if ref in shown:
            continue
        formula, refs, direct = _row_sum(cols, r, "sum" if style == "nested" else style)
        _put(ws, ref, formula, refs, direct, shown)


def _review(ws, style: str, shown: dict[str, float]) -> None:
    at = _find(ws, "结果维持")
    if at is None:
        return
    totals = []
    for r in (at[0], at[0] + 1):
        for cell in ws[r]:
            if cell.value == "总计" and cell.column > 4 and all(
                    ws.cell(row=r, column=cell.column - 4 + k).value == head
                    for k, head in enumerate(_REVIEW_HEADS)):
                totals.append(cell.column)
    if len(totals) != 3:
        return
    for r in range(at[0] + 1, at[0] + 4):
        if all(_number(ws.cell(row=r, column=c).value) is not None for c in totals):
            for c in totals:
                formula, refs, direct = _row_sum(list(range(c - 4, c)), r, style)
                _put(ws, f"{get_column_letter(c)}{r}", formula, refs, direct, shown)
            return
