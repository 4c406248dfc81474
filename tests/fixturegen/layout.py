"""The logical document: headings, prose and the three official tables as span grids.

Every renderer prints this one model, so all renderings of a :class:`Figures` say the same.
A table is a :class:`Grid`: rows holding the cells that *start* in them (the HTML model), each
with rowspan/colspan exactly as docs/format.md §3 draws the official template.

    >>> from tests.fixturegen.figures import make_figures
    >>> blocks = document_blocks(make_figures(5, "2021"))
    >>> [b.kind for b in blocks if b.kind == "table"]
    ['table', 'table', 'table']
    >>> grid = [b for b in blocks if b.kind == "table"][1].grid
    >>> grid.width, len(grid.rows)
    (10, 28)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.fixturegen import prose
from tests.fixturegen.figures import LOST, Figures, Key
from tests.fixturegen.schema import (
    NOT_PROCESSED,
    OTHER_SUBROWS,
    REQUEST_COLS,
    REVIEW_COLS,
    REVIEW_ROWS,
    UNAVAILABLE,
    WITHHELD,
)


@dataclass
class Cell:
    """One printed cell. ``key`` is set on value cells (the fields.csv key it prints)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    role: str = "label"  # heading | header | label | value | extra (a number with no key)
    key: Key | None = None
    lost: bool = False  # text extraction dropped this cell entirely (quirk ``lost_value``)


@dataclass
class Grid:
    """A table: ``rows[i]`` are the cells starting in row i, left to right."""

    width: int
    rows: list[list[Cell]]
    section: str = ""  # "active" | "requests" | "review_litigation"

    def placed(self) -> list[list[tuple[int, Cell, bool]]]:
        """Per row: ``(column, cell, is_origin)`` for every cell *present* in the row the way
        Word stores it: the origin, or a vertical-merge continuation (``is_origin`` False) of a
        cell spanning down from above. Horizontal spans are one entry."""
        covering: dict[tuple[int, int], Cell] = {}
        out: list[list[tuple[int, Cell, bool]]] = []
        for r, row in enumerate(self.rows):
            placed: list[tuple[int, Cell, bool]] = []
            col = 0
            cells = iter(row)
            while col < self.width:
                if (r, col) in covering:
                    cell = covering[(r, col)]
                    placed.append((col, cell, False))
                    col += cell.colspan
                    continue
                cell = next(cells, None)
                if cell is None:
                    break
                placed.append((col, cell, True))
                for dr in range(1, cell.rowspan):
                    covering[(r + dr, col)] = cell
                col += cell.colspan
            out.append(placed)
        return out

    def transposed(self) -> Grid:
        """The grid turned over its diagonal: row r, column c → row c, column r, spans swapped
        (table 三 with the applicants as rows and the outcomes as columns)."""
        origins: dict[int, list[tuple[int, Cell]]] = {}
        for r, row in enumerate(self.placed()):
            for col, cell, origin in row:
                if origin:
                    turned = Cell(cell.text, rowspan=cell.colspan, colspan=cell.rowspan,
                                  role=cell.role, key=cell.key, lost=cell.lost)
                    origins.setdefault(col, []).append((r, turned))
        rows = [[cell for _, cell in sorted(origins.get(c, []), key=lambda rc: rc[0])]
                for c in range(self.width)]
        return Grid(len(self.rows), rows, self.section)

    def outcomes_reordered(self, rng) -> Grid:
        """Table 三 with its outcome rows in an order of the office's own: the four blocks
        一…四 shuffled, and inside 三、本年度办理结果 its seven items (一)…(七) (a group moves
        with its items, which keep their order). Turned by :meth:`transposed`, the outcome
        columns are in that order. Another table is returned unchanged."""
        if self.section != "requests":
            return self
        head = next(r for r, row in enumerate(self.rows) if any(c.role == "value" for c in row))
        top: list[list[list[Cell]]] = []
        r = head
        while r < len(self.rows):
            span = self.rows[r][0].rowspan if self.rows[r][0].text.startswith("三、") else 1
            top.append([list(row) for row in self.rows[r:r + span]])
            r += span
        for k, block in enumerate(top):
            if len(block) == 1:
                continue
            group = block[0].pop(0)  # 三、本年度办理结果, spanning the block
            items: list[list[list[Cell]]] = []
            n = 0
            while n < len(block):
                span = block[n][0].rowspan if block[n][0].role != "value" and \
                    block[n][0].text.startswith("（") else 1
                items.append(block[n:n + span])
                n += span
            rng.shuffle(items)
            block = [row for item in items for row in item]
            block[0].insert(0, group)
            top[k] = block
        rng.shuffle(top)
        return Grid(self.width, self.rows[:head] + [row for block in top for row in block],
                    self.section)


def turned(grid: Grid, fig: Figures) -> Grid:
    """``grid`` transposed as the ``transposed`` styles print it: table 三's outcome columns in
    an order of the office's own in half the reports (:meth:`Grid.outcomes_reordered`)."""
    order = fig.rng("transposed:order")
    if grid.section == "requests" and order.random() < 0.5:
        grid = grid.outcomes_reordered(order)
    return grid.transposed()


@dataclass
class Block:
    """One block of the document in reading order."""

    kind: str  # title | agency_line | basis | heading | para | table | signature | date
    text: str = ""
    grid: Grid | None = None
    section: str | None = None  # heading/para: which section it belongs to
    extra: dict = field(default_factory=dict)


# ---- labels ---------------------------------------------------------------------------------

CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ORG_LABELS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
REQUEST_ROW_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld_state_secret": "1.属于国家秘密",
    "withheld_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld_security_stability": "3.危及“三安全一稳定”",
    "withheld_third_party_rights": "4.保护第三方合法权益",
    "withheld_internal_affairs": "5.属于三类内部事务信息",
    "withheld_process_information": "6.属于四类过程性信息",
    "withheld_enforcement_files": "7.属于行政执法案卷",
    "withheld_administrative_query": "8.属于行政查询事项",
    "unavailable_not_held": "1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_unclear_after_correction": "3.补正后申请内容仍不明确",
    "not_processed_complaint": "1.信访举报投诉类申请",
    "not_processed_duplicate": "2.重复申请",
    "not_processed_publication": "3.要求提供公开出版物",
    "not_processed_excessive": "4.无正当理由大量反复申请",
    "not_processed_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_handling": "（六）其他处理",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "3.其他",
    "results_total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
REVIEW_COL_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


# Notes offices append to labels (武汉市生态环境局 2020; 汉阳 2022); parsers match by prefix.
LABEL_NOTES = {
    "规章": "规章（设区的市、自治州人民政府应提供相关数据）",
    "现行有效件数": "现行有效件数（历史累计）",
    "本年增/减": "本年增/减（减少用负值表示，如-8）",
    "上一年项目数量": "上一年项目数量（指上年事项数）",
}


def _label(fig: Figures, text: str) -> str:
    return LABEL_NOTES.get(text, text) if "label_notes" in fig.quirks else text


def _value(fig: Figures, table: str, row: str, col: str, colspan: int = 1) -> Cell:
    text = fig.text(table, row, col)
    if text == LOST:
        return Cell("", colspan=colspan, role="value", key=(table, row, col), lost=True)
    return Cell(text, colspan=colspan, role="value", key=(table, row, col))


def _heading(text: str, width: int) -> list[Cell]:
    return [Cell(text, colspan=width, role="heading")]


def active_grid(fig: Figures) -> Grid:
    """Table 二 of the format (4 columns wide, blocks of heading/header/data rows)."""
    w = 4
    rows: list[list[Cell]] = []

    def block(item: str, headers: list[tuple[str, int]], data: list[tuple[str, str, list[tuple[str, int]]]]):
        rows.append(_heading(f"第二十条第（{item}）项", w))
        rows.append([Cell("信息内容", role="header")] +
                    [Cell(_label(fig, h), colspan=span, role="header") for h, span in headers])
        for label, row, cols in data:
            rows.append([Cell(_label(fig, label))] +
                        [_value(fig, "active", row, c, span) for c, span in cols])
            if row == "normative_documents" and "extra_active_row" in fig.quirks:
                # Hubei practice: an extra, non-official row; it maps to no key.
                extra = fig.rng("extra_active_row")
                rows.append([Cell("其他主动公开文件")] +
                            [Cell(str(extra.randint(5, 300)), colspan=span, role="extra")
                             for _, span in cols])

    if fig.fmt == "2021":
        normative = "规范性文件" if fig.variant == "mixed" else "行政规范性文件"
        three = [("issued", 1), ("repealed", 1), ("in_force", 1)]
        block("一", [("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)],
              [("规章", "rules", three), (normative, "normative_documents", three)])
        block("五", [("本年处理决定数量", 3)],
              [("行政许可", "administrative_licensing", [("decisions", 3)])])
        block("六", [("本年处理决定数量", 3)],
              [("行政处罚", "administrative_penalty", [("decisions", 3)]),
               ("行政强制", "administrative_coercion", [("decisions", 3)])])
        block("八", [("本年收费金额（单位：万元）", 3)],
              [("行政事业性收费", "administrative_fees", [("amount_10k_yuan", 3)])])
    else:
        three = [("new_made", 1), ("new_published", 1), ("total_published", 1)]
        items = [("prev_year_items", 1), ("change", 1), ("decisions", 1)]
        item_hdr = [("上一年项目数量", 1), ("本年增/减", 1), ("处理决定数量", 1)]
        block("一", [("本年新制作数量", 1), ("本年新公开数量", 1), ("对外公开总数量", 1)],
              [("规章", "rules", three), ("规范性文件", "normative_documents", three)])
        block("五", item_hdr, [("行政许可", "administrative_licensing", items),
                              ("其他对外管理服务事项", "other_external_services", items)])
        block("六", item_hdr, [("行政处罚", "administrative_penalty", items),
                              ("行政强制", "administrative_coercion", items)])
        block("八", [("上一年项目数量", 1), ("本年增/减", 2)],
              [("行政事业性收费", "administrative_fees", [("prev_year_items", 1), ("change", 2)])])
        block("九", [("采购项目数量", 1), ("采购总金额", 2)],
              [("政府集中采购", "centralized_procurement", [("items", 1), ("amount_10k_yuan", 2)])])
    return Grid(w, rows, "active")


def requests_grid(fig: Figures) -> Grid:
    """Table 三: 3 label columns + 7 value columns, the header block of §3.3."""
    rows: list[list[Cell]] = [
        [Cell(CORNER, rowspan=3, colspan=3, role="header"),
         Cell("申请人情况", colspan=7, role="header")],
        [Cell("自然人", rowspan=2, role="header"), Cell("法人或其他组织", colspan=5, role="header"),
         Cell("总计", rowspan=2, role="header")],
        [Cell(t, role="header") for t in ORG_LABELS],
    ]
    labels = dict(REQUEST_ROW_LABELS)
    if fig.variant == "mixed":
        labels["withheld_prohibited_by_law"] = "2.其他法律法规禁止公开"

    def values(row: str) -> list[Cell]:
        return [_value(fig, "requests", row, c) for c in REQUEST_COLS]

    for row in ("new_received", "carried_over"):
        rows.append([Cell(labels[row], colspan=3)] + values(row))
    subrows = fig.has_other_subrows
    span3 = 22 if subrows else 20
    groups: list[tuple[str | None, list[str]]] = [
        (None, ["granted"]), (None, ["partially_granted"]),
        ("（三）不予公开", list(WITHHELD)), ("（四）无法提供", list(UNAVAILABLE)),
        ("（五）不予处理", list(NOT_PROCESSED)),
        ("（六）其他处理", list(OTHER_SUBROWS)) if subrows else (None, ["other_handling"]),
        (None, ["results_total"]),
    ]
    first = True
    for group, members in groups:
        for i, row in enumerate(members):
            cells: list[Cell] = []
            if first:
                cells.append(Cell("三、本年度办理结果", rowspan=span3))
                first = False
            if group is None:
                cells.append(Cell(labels[row], colspan=2))
            else:
                if i == 0:
                    cells.append(Cell(group, rowspan=len(members)))
                cells.append(Cell(labels[row]))
            rows.append(cells + values(row))
    rows.append([Cell(labels["carried_forward"], colspan=3)] + values("carried_forward"))
    return Grid(10, rows, "requests")


def review_grid(fig: Figures) -> Grid:
    """Table 四: 15 columns, three header rows and one data row."""
    hdr = [Cell(t, rowspan=2, role="header") for t in REVIEW_COL_LABELS]
    rows = [
        [Cell("行政复议", colspan=5, role="header"), Cell("行政诉讼", colspan=10, role="header")],
        hdr + [Cell("未经复议直接起诉", colspan=5, role="header"),
               Cell("复议后起诉", colspan=5, role="header")],
        [Cell(t, role="header") for t in REVIEW_COL_LABELS * 2],
        [_value(fig, "review_litigation", r, c) for r in REVIEW_ROWS for c in REVIEW_COLS],
    ]
    return Grid(15, rows, "review_litigation")


SECTION_HEADINGS = {
    "overview": ["一、总体情况"],
    "active": ["二、主动公开政府信息情况"],
    "requests": ["三、收到和处理政府信息公开申请情况"],
    "review_litigation": ["四、政府信息公开行政复议、行政诉讼情况",
                          "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"],
    "problems": ["五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况",
                 "五、存在主要问题及改进情况"],
    "other": ["六、其他需要报告的事项"],
}


def document_blocks(fig: Figures) -> list[Block]:
    """The whole report in reading order (title, basis, six sections, signature, date)."""
    rng = fig.rng("layout")
    blocks: list[Block] = [Block("title", fig.title)] if fig.title_in_body else []
    blocks.append(Block("basis", fig.basis))
    grids = {"active": active_grid(fig), "requests": requests_grid(fig),
             "review_litigation": review_grid(fig)}
    for key in ("overview", "active", "requests", "review_litigation", "problems", "other"):
        heading = rng.choice(SECTION_HEADINGS[key])
        blocks.append(Block("heading", heading, section=key))
        if key == "requests" and "lead_in" in fig.quirks:
            total = fig.value("requests", "new_received", "total")
            blocks.append(Block("para", f"{fig.year}年，本机关共收到政府信息公开申请"
                                f"{total or 0}件，均已按时办结或依法延期答复。具体情况如下：",
                                section=key))
        if key in grids:
            blocks.append(Block("table", grid=grids[key], section=key))
        else:
            for para in fig.sections[key].split("\n"):
                blocks.append(Block("para", para, section=key))
    if not fig.signed:
        return blocks
    blocks.append(Block("signature", fig.agency))
    if fig.sign_date and fig.published_date:
        date = (prose.chinese_date(fig.published_date) if fig.date_style == "chinese"
                else prose.arabic_date(fig.published_date))
        blocks.append(Block("date", date))
    return blocks
