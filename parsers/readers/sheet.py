"""Spreadsheets (XLSX with openpyxl, XLS with xlrd) → :class:`Document`.

    >>> import io, openpyxl
    >>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "表三"
    >>> ws.append(["规章", 0, 1.0]); ws.merge_cells("A2:C2"); ws["A2"] = "合计"
    >>> buf = io.BytesIO(); wb.save(buf)
    >>> read_sheet(buf.getvalue(), "xlsx").blocks
    ['表三', Table(rows=[['规章', '0', '1'], ['合计']], page=None)]

Each non-empty sheet becomes its name as a paragraph, then one Table. Cells covered by a merged
range are omitted (the range's text appears once, in its top-left cell). A row ends at its last
cell holding a value *or a border*: a blank figure at the end of a printed row (a bordered
empty 总计 cell) stays ``""``, while the unused columns to the right of a narrow table drop out.
Empty rows are dropped. Numbers print as written: ``1.0`` → ``"1"``, ``25.1`` → ``"25.1"``.

What the workbook does not print is not read: hidden sheets (an office's last-year copy or
template kept beside the report; read only when no sheet is visible), hidden rows and hidden
columns (a helper 校验 column, a stale row).
"""

from __future__ import annotations

import datetime as dt
import io
import re

from parsers.document import Block, Document, ParseError, Table
from parsers.readers.common import clean_text
from parsers.readers.ooxml import open_zip, read_member, transitional_zip
from parsers.values import value_kind

MAX_CELLS = 2_000_000  # a report sheet has a few hundred cells; beyond this is an attack


def read_sheet(data: bytes, kind: str) -> Document:
    """Read an ``xlsx`` or ``xls`` workbook.

    :raises ParseError: corrupt, encrypted, bomb-like or oversized workbooks
    """
    warnings: list[str] = []
    blocks = _xlsx_blocks(data, warnings) if kind == "xlsx" else _xls_blocks(data)
    return Document(kind=kind, blocks=blocks, warnings=warnings)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # A computed cell keeps binary noise (=B2/10000 → 496.94000000000005) that its
        # number format hides on paper: nine decimals are more than any figure prints.
        value = round(value, 9)
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) or \
            value.time() == dt.time() else value.isoformat(sep=" ")
    return clean_text(str(value))


_RawRow = tuple[list[str], list[bool], set[int]]  # values, bordered, columns not printed


def _printed_rows(raw: list[_RawRow]) -> list[list[str]]:
    """The printed cells of every row; tables set side by side on one sheet (表二 | 表三 | 表四,
    an empty column between) are read one after the other, each whole."""
    bands, block = _side_by_side(raw)
    if not bands:
        return [_row_cells(*row) for row in raw]
    lo, hi = block
    out = [_row_cells(*row) for row in raw[:lo]]
    for c0, c1 in bands:
        for values, bordered, skip in raw[lo:hi]:
            out.append(_row_cells(values[c0:c1], bordered[c0:c1],
                                  {c - c0 for c in skip if c0 <= c < c1}))
    return out + [_row_cells(*row) for row in raw[hi:]]


def _side_by_side(raw: list[_RawRow]) -> tuple[list[tuple[int, int]], tuple[int, int]]:
    """Column bands of tables set side by side, and the rows they share ([], (0, 0) if none).

    A band is a run of columns that rows of several cells use, apart from the next by a
    column no such row uses; it must hold text (labels, heads) in two rows or more — a column
    of figures beyond an empty spacer column is the same table's."""
    occupied = [{c for c, (v, b) in enumerate(zip(values, bordered)) if (v or b) and c not in skip}
                for values, bordered, skip in raw]
    used = set().union(*(occ for occ in occupied if len(occ) >= 2)) if occupied else set()
    if not used:
        return [], (0, 0)
    bands: list[list[int]] = []
    for c in range(min(used), max(used) + 1):
        if c not in used:
            continue
        if bands and bands[-1][1] == c:
            bands[-1][1] = c + 1
        else:
            bands.append([c, c + 1])
    if len(bands) < 2:
        return [], (0, 0)

    def texts(band: list[int]) -> int:
        return sum(1 for values, _, _ in raw
                   if any(values[c] and value_kind(values[c]) is None
                          for c in range(band[0], min(band[1], len(values)))))

    kept: list[list[int]] = []
    for band in bands:
        if kept and (band[1] - band[0] < 2 or texts(band) < 2):
            kept[-1][1] = band[1]  # figures beyond a spacer column: the same table
        else:
            kept.append(band)
    if len(kept) >= 2 and (kept[0][1] - kept[0][0] < 2 or texts(kept[0]) < 2):
        kept[1][0] = kept[0][0]
        kept.pop(0)
    if len(kept) < 2:
        return [], (0, 0)
    beside = [r for r, occ in enumerate(occupied) if any(c >= kept[1][0] for c in occ)]
    kept[0][0] = 0
    kept[-1][1] = max(len(values) for values, _, _ in raw)
    return [(a, b) for a, b in kept], (beside[0], beside[-1] + 1)


def _row_cells(values: list[str], bordered: list[bool], covered: set[int]) -> list[str]:
    """The printed cells of one row: up to the last value or border, covered cells omitted."""
    end = 0
    for k, (value, border) in enumerate(zip(values, bordered)):
        if value or border:
            end = k + 1
    return [values[k] for k in range(end) if k not in covered]


# Names a spreadsheet program gives new sheets: they say nothing (and must not become a title).
_DEFAULT_SHEET = re.compile(r"^(sheet|工作表|页)\s*\d*$", re.IGNORECASE)


def _sheet_blocks(name: str, rows: list[list[str]]) -> list[Block]:
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    name = clean_text(name)
    return [name, Table(rows=rows)] if name and not _DEFAULT_SHEET.match(name) else [Table(rows=rows)]


def _xlsx_blocks(data: bytes, warnings: list[str] | None = None) -> list[Block]:
    import openpyxl

    archive = open_zip(data, "XLSX")
    parts = {}
    for info in archive.infolist():  # openpyxl parses these itself: refuse DTDs first
        if info.filename.endswith((".xml", ".rels")):
            parts[info.filename] = body = read_member(archive, info.filename, "XLSX") or b""
            if b"<!DOCTYPE" in body[:4096] or b"<!ENTITY" in body[:4096]:
                raise ParseError(f"XLSX part {info.filename} declares a DTD/entities: refused")
    data = transitional_zip(archive, data, "XLSX", parts)  # Excel's "Strict Open XML" option
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise ParseError(f"corrupt XLSX ({type(exc).__name__}: {exc})") from None
    formulas = _uncached_formulas(data, archive)
    blank = sum(1 for cells in formulas.values() for shown in cells.values() if not shown)
    if blank and warnings is not None:
        warnings.append(f"{blank} formula cells have no value a spreadsheet computed and are no "
                        "plain sum: left blank")
    blocks: list[Block] = []
    sheets = [s for s in workbook.worksheets if s.sheet_state == "visible"] or workbook.worksheets
    for sheet in sheets:
        if (sheet.max_row or 0) * (sheet.max_column or 0) > MAX_CELLS:
            raise ParseError(f"XLSX sheet {sheet.title} is too large ({sheet.max_row} rows)")
        uncached = formulas.get(sheet.title, {})
        covered: dict[int, set[int]] = {}
        for merged in sheet.merged_cells.ranges:
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        covered.setdefault(r, set()).add(c - 1)
        hidden_rows = {r for r, dim in sheet.row_dimensions.items() if dim.hidden}
        hidden_cols = _hidden_columns_xlsx(sheet)
        rows = []
        for r, row in enumerate(sheet.iter_rows(), start=1):
            if r in hidden_rows:
                continue
            values = [_text(cell.value) for cell in row]
            # A formula whose value was never computed (a workbook written by a program, not
            # saved by Excel) is still a printed cell: keep its place, with the value a
            # spreadsheet shows for a plain sum, else blank.
            for k in range(len(values)):
                if (r, k + 1) in uncached:
                    values[k] = uncached[(r, k + 1)]
            bordered = [_has_border_xlsx(cell) or (r, k + 1) in uncached for k, cell in enumerate(row)]
            rows.append((values, bordered, covered.get(r, set()) | hidden_cols))
        blocks.extend(_sheet_blocks(sheet.title, _printed_rows(rows)))
    workbook.close()
    return blocks


def _hidden_columns_xlsx(sheet) -> set[int]:
    """0-based indexes of hidden columns (a dimension may cover a range min..max)."""
    from openpyxl.utils import column_index_from_string

    hidden: set[int] = set()
    for key, dim in sheet.column_dimensions.items():
        if not dim.hidden:
            continue
        low = dim.min or column_index_from_string(key)
        high = dim.max or low
        hidden.update(range(low - 1, high))
    return hidden


def _uncached_formulas(data: bytes, archive) -> dict[str, dict[tuple[int, int], str]]:
    """``{sheet title: {(row, col): value shown}}`` of formula cells with no cached value
    (1-based): the value a spreadsheet opening the workbook would show for a plain sum, else
    ``""`` (see :func:`_evaluate`). A workbook that asks to be recalculated when opened
    (``<calcPr fullCalcOnLoad="1"/>``: XlsxWriter, PhpSpreadsheet and others write ``0`` or a
    stale figure as every formula's cached value and leave the sums to the spreadsheet) has no
    cached value worth reading: all its formulas are evaluated so."""
    import openpyxl

    if not any(info.filename.startswith("xl/worksheets/") and b"<f" in (
            read_member(archive, info.filename, "XLSX") or b"") for info in archive.infolist()):
        return {}
    try:
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False)
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception:  # noqa: BLE001 - the caller already opened it; be quiet here
        return {}
    recalculated = _recalculated_on_load(archive)
    out: dict[str, dict[tuple[int, int], str]] = {}
    for sheet in formulas.worksheets:
        cached = values[sheet.title]
        pending = {(cell.row, cell.column): cell.value[1:]
                   for row in sheet.iter_rows() for cell in row
                   if isinstance(cell.value, str) and cell.value.startswith("=")
                   and (recalculated or cached.cell(row=cell.row, column=cell.column).value is None)}
        if pending:
            shown = _Evaluator(sheet.title, pending, cached)
            out[sheet.title] = {at: _text(shown.value(at)) for at in pending}
    return out


_FULL_CALC = re.compile(rb"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad\s*=\s*[\"'](?:1|true)[\"']")


def _recalculated_on_load(archive) -> bool:
    """Whether the workbook tells a spreadsheet to recalculate every formula when opened."""
    return bool(_FULL_CALC.search(read_member(archive, "xl/workbook.xml", "XLSX") or b""))


# A workbook written by a program (never opened in a spreadsheet) holds its formulas with no
# value computed; a spreadsheet opening it shows the values, and so does the printed report.
# Only what a typist's totals are made of is evaluated: SUM over cells and ranges, and cells
# added and subtracted, all on the same sheet. Anything else (other functions, other sheets or
# files, constants, products) stays blank: guessing a formula language is not reading a report.
_REF = r"\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})"
_SPAN = re.compile(rf"(?:(?:'(?P<quoted>[^']+)'|(?P<bare>[^\s!'+\-(),:]+))!)?{_REF}(?::{_REF})?$",
                   re.IGNORECASE)
_TERM = re.compile(r"\s*([+-]?)\s*(SUM\(([^()]*)\)|[^+\-]+?)\s*(?=[+-]|$)", re.IGNORECASE)


class _Evaluator:
    """The values a spreadsheet shows for uncached plain-sum formulas of one sheet."""

    def __init__(self, title: str, formulas: dict[tuple[int, int], str], cached) -> None:
        self.title = title
        self.formulas = formulas
        self.cached = cached
        self.done: dict[tuple[int, int], float | None] = {}
        self.open: set[tuple[int, int]] = set()

    def value(self, at: tuple[int, int]) -> float | None:
        """The number shown at ``at`` (None: not a plain sum, or an error such as a cycle)."""
        if at not in self.done:
            if at in self.open:  # a circular reference: a spreadsheet shows an error
                return None
            self.open.add(at)
            self.done[at] = _evaluate(self.formulas[at], self)
            self.open.discard(at)
        return self.done[at]

    def cells(self, ref: str) -> list[object] | None:
        """The values of the cells a reference names (a formula's shown value, a number, a
        text or None for blank); None when it names another sheet or is no reference."""
        m = _SPAN.match(ref.strip())
        if not m:
            return None
        sheet = m.group("quoted") or m.group("bare")
        if sheet is not None and sheet.lower() != self.title.lower():
            return None
        from openpyxl.utils import column_index_from_string

        c0, r0 = column_index_from_string(m.group(3).upper()), int(m.group(4))
        c1, r1 = (column_index_from_string(m.group(5).upper()), int(m.group(6))) if m.group(5) \
            else (c0, r0)
        (r0, r1), (c0, c1) = sorted((r0, r1)), sorted((c0, c1))
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 10_000:  # a report's sums name a row or a column
            return None
        out: list[object] = []
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) in self.formulas:
                    shown = self.value((r, c))
                    out.append(_ERROR if shown is None else shown)
                else:
                    out.append(self.cached.cell(row=r, column=c).value)
        return out


_ERROR = object()  # a referenced formula that shows an error (or no plain sum)


def _evaluate(formula: str, book: _Evaluator) -> float | None:
    """``SUM(…)`` and ``+``/``-`` of cell references and ranges, as a spreadsheet computes
    them: in SUM, blanks and texts count nothing; added directly, a blank is 0, a numeric text
    its number and any other text an error (None). An error referenced is an error.

        >>> class Sheet:
        ...     def cell(self, row, column):
        ...         return type("C", (), {"value": {(1, 1): 3, (1, 2): 4, (1, 3): "无"}.get((row, column))})
        >>> book = _Evaluator("表三", {(1, 4): "SUM(A1:C1)", (1, 5): "D1-A1+B1", (1, 6): "A1*2"}, Sheet())
        >>> [book.value((1, c)) for c in (4, 5, 6)]
        [7.0, 8.0, None]
        >>> _evaluate("A1+C1", book), _evaluate("SUM(A1,C1,B1)", book), _evaluate("Sheet2!A1", book)
        (None, 7.0, None)
    """
    text = formula.strip()
    total, pos = 0.0, 0
    while pos < len(text):
        m = _TERM.match(text, pos)
        if not m or m.end() == pos:
            return None
        sign = -1.0 if m.group(1) == "-" else 1.0
        if pos and not m.group(1):  # terms after the first are joined by + or -
            return None
        if m.group(3) is not None:  # SUM(ref, range, …)
            part = 0.0
            for arg in m.group(3).split(","):
                values = book.cells(arg)
                if values is None:
                    return None
                for value in values:
                    if value is _ERROR:
                        return None
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        part += value
        else:
            values = book.cells(m.group(2))
            if values is None or len(values) != 1:
                return None
            value = values[0]
            if value is _ERROR:
                return None
            if value is None:
                part = 0.0
            elif isinstance(value, bool):
                part = float(value)
            elif isinstance(value, (int, float)):
                part = float(value)
            else:
                try:
                    part = float(str(value).strip())
                except ValueError:
                    return None
        total += sign * part
        pos = m.end()
    return total if text else None


def _has_border_xls(book, cell) -> bool:
    try:
        border = book.xf_list[cell.xf_index].border
    except (AttributeError, IndexError, TypeError):
        return False
    return any((border.left_line_style, border.right_line_style, border.top_line_style,
                border.bottom_line_style))


def _has_border_xlsx(cell) -> bool:
    border = getattr(cell, "border", None)
    if border is None:
        return False
    return any(getattr(getattr(border, side, None), "style", None)
               for side in ("left", "right", "top", "bottom"))


def _xls_blocks(data: bytes) -> list[Block]:
    import xlrd

    try:
        # xlrd writes its warnings to stdout unless given a log file: keep --json output clean
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=io.StringIO(), verbosity=0)
    except xlrd.biffh.XLRDError as exc:
        message = str(exc)
        if "encrypt" in message.lower():
            raise ParseError("encrypted XLS (password protected)") from None
        raise ParseError(f"corrupt XLS ({message})") from None
    except Exception as exc:  # noqa: BLE001 - xlrd's compound-document errors and struct errors
        raise ParseError(f"corrupt XLS ({type(exc).__name__}: {exc})") from None
    blocks: list[Block] = []
    try:
        visible = []
        for index in range(book.nsheets):
            if not book.sheet_by_index(index).visibility:  # 0 visible, 1 hidden, 2 very hidden
                visible.append(index)
            book.unload_sheet(index)
        for index in visible or range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.nrows * sheet.ncols > MAX_CELLS:
                raise ParseError(f"XLS sheet {sheet.name} is too large ({sheet.nrows} rows)")
            covered: dict[int, set[int]] = {}
            for rlo, rhi, clo, chi in sheet.merged_cells:
                for r in range(rlo, rhi):
                    for c in range(clo, chi):
                        if (r, c) != (rlo, clo):
                            covered.setdefault(r, set()).add(c)
            hidden_cols = {c for c, info in sheet.colinfo_map.items() if info.hidden}
            rows: list[_RawRow] = []
            for r in range(sheet.nrows):
                info = sheet.rowinfo_map.get(r)
                if info is not None and info.hidden:
                    continue
                row: list[str] = []
                bordered: list[bool] = []
                for c in range(sheet.ncols):
                    cell = sheet.cell(r, c)
                    bordered.append(_has_border_xls(book, cell))
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            row.append(_text(xlrd.xldate.xldate_as_datetime(cell.value,
                                                                            book.datemode)))
                        except Exception:  # noqa: BLE001
                            row.append(_text(cell.value))
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        row.append("")
                    else:
                        row.append(_text(cell.value))
                rows.append((row, bordered, covered.get(r, set()) | hidden_cols))
            blocks.extend(_sheet_blocks(sheet.name, _printed_rows(rows)))
            book.unload_sheet(index)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ParseError(f"corrupt XLS ({type(exc).__name__}: {exc})") from None
    return blocks
