"""HTML renderings, the way government sites publish these reports.

Styles (``render_html(fig, style)``):

- ``official``: one bordered table per section with rowspan/colspan as the template draws them.
- ``word``: Word "save as HTML": every cell a ``<p class=MsoNormal><span style=…>``, blanks as
  ``&nbsp;``, ``<o:p>`` debris, 仿宋 prose paragraphs.
- ``split``: table 二 split in two at 第二十条第（六）项 and table 三 split mid-way, the second
  part losing its leading indent cells (seed 002).
- ``broken``: header text broken by ``<br/>`` and stray spaces (``商业<br/>企业``,
  ``三、本 年度办 理结果``), table 四's review header split over two rows (文登 2022).
- ``flat``: no ``<table>``: one ``<p>`` per table row, cells separated by spaces/tabs/nbsp.
- ``images``: every table replaced by an ``<img>`` of it (沈阳浑南区国资局 2022): the text is
  readable, the figures are not (expected: ``needs_ocr``, cells null).
- ``trs``: a TRS CMS article page (nav, header, footer, ``<meta name="ArticleTitle">``,
  ``<meta name="PubDate">``, 发布机构/发布日期 line) around an ``official`` or ``word`` body; the
  closing date is left out so the page metadata is the only source of the publication date.

``encoding`` is ``utf-8``, ``gbk`` or ``gb18030``; ``declare_charset=False`` leaves the charset
out of the page entirely (the reader must sniff it).

    >>> from tests.fixturegen.figures import make_figures
    >>> page = render_html(make_figures(4, "2021"), "official")
    >>> b'rowspan="22"' in page or b'rowspan="20"' in page
    True
"""

from __future__ import annotations

import html
import random

from tests.fixturegen.figures import Figures
from tests.fixturegen.layout import Block, Cell, Grid, document_blocks
from tests.fixturegen.layout import turned as turned_grid
from tests.fixturegen.noise import space_label, split_grid, split_review_header

STYLES = ("official", "word", "split", "broken", "flat", "trs", "images", "divs", "halves",
          "transposed")

_CHARSET_NAMES = {"utf-8": "utf-8", "gbk": "gb2312", "gb18030": "gb18030"}


def render_html(fig: Figures, style: str = "official", encoding: str = "utf-8",
                declare_charset: bool = True) -> bytes:
    """The report as an HTML page in one of :data:`STYLES`."""
    if style not in STYLES:
        raise ValueError(f"unknown HTML style {style!r}; choose from {STYLES}")
    rng = fig.rng(f"html:{style}")
    blocks = document_blocks(fig)
    if style == "trs":
        blocks = [b for b in blocks if b.kind != "date"]  # date only in the page metadata
        inner = rng.choice(["official", "word"])
        body = _body(blocks, inner, rng, fig)
        page = _trs_page(fig, body, rng)
    else:
        body = _body(blocks, style, rng, fig)
        page = (f"<html>\n<head>\n{{charset}}<title>{html.escape(fig.title)}</title>\n</head>\n"
                f"<body>\n{body}\n</body>\n</html>\n")
    charset = _CHARSET_NAMES[encoding]
    meta = (f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            if declare_charset else "")
    # Characters outside GBK (e.g. U+2212 minus) become character references, as CMSs do.
    return page.replace("{charset}", meta).encode(encoding, errors="xmlcharrefreplace")


# ---- body -----------------------------------------------------------------------------------

def _body(blocks: list[Block], style: str, rng: random.Random, fig: Figures) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind == "table" and block.grid is not None and style == "images":
            out.append(f'<p style="text-align:center"><img src="../images/{block.grid.section}.png" '
                       f'width="640" border="0" alt=""></p>')
        elif block.kind == "table" and block.grid is not None:
            out.append(_table(block.grid, style, rng, fig))
        elif block.kind == "title":
            out.append(_para(block.text, style, align="center", bold=True))
        elif block.kind == "heading":
            out.append(_para(block.text, style, bold=True))
        elif block.kind in ("signature", "date"):
            out.append(_para(block.text, style, align="right"))
        else:
            out.append(_para(block.text, style, indent=True))
    return "\n".join(out)


def _para(text: str, style: str, *, align: str | None = None, bold: bool = False,
          indent: bool = False) -> str:
    t = html.escape(text)
    if style == "word":
        span_style = "font-size:16.0pt;font-family:仿宋_GB2312"
        inner = f"<span style='{span_style}'>{t}<span lang=EN-US><o:p></o:p></span></span>"
        if bold:
            inner = f"<b>{inner}</b>"
        attrs = " class=MsoNormal" + (f" align={align}" if align else "")
        attrs += " style='text-indent:32.0pt;line-height:28.0pt'" if indent else ""
        return f"<p{attrs}>{inner}</p>"
    attrs = f' style="text-align:{align}"' if align else ""
    inner = f"<strong>{t}</strong>" if bold else t
    return f"<p{attrs}>{inner}</p>"


def _table(grid: Grid, style: str, rng: random.Random, fig: Figures) -> str:
    if style == "split":
        if grid.section == "active":
            cut = next(i for i, row in enumerate(grid.rows) if "（六）" in row[0].text)
        elif grid.section == "requests":
            cut = rng.randint(7, 20)
        else:
            return _html_table(grid, "official", rng)
        first, second = split_grid(grid, cut)
        return (_html_table(first, "official", rng) + "\n<p>&nbsp;</p>\n" +
                _html_table(second, "official", rng))
    if style == "broken":
        if grid.section == "review_litigation":
            grid = split_review_header(grid)
        return _html_table(grid, "broken", rng)
    if style == "flat":
        return _flat_table(grid, rng)
    if style == "divs":
        return _div_table(grid, rng)
    if style == "halves" and grid.section == "requests":
        return _halves(grid)
    if style == "halves":
        return _html_table(grid, "official", rng)
    if style == "transposed":
        # Table 三 turned: the applicants as rows, the outcomes as columns under three rows
        # of merged heads (一、… | 三、本年度办理结果 over (一)… over 1.…); table 四 turned in
        # half the reports: a row per figure (行政复议 | 结果维持 | 3); table 三's outcome
        # columns in an order of the office's own in half the reports.
        return _html_table(turned_grid(grid, fig) if turned(grid, rng) else grid, "official", rng)
    return _html_table(grid, style, rng)


def turned(grid: Grid, rng: random.Random) -> bool:
    """Whether the ``transposed`` style turns this table: table 三 always, 四 by a coin."""
    return grid.section == "requests" or grid.section == "review_litigation" and rng.random() < 0.5


def _halves(grid: Grid) -> str:
    """Table 三 too wide for the page, printed in two halves one under the other: the label
    columns with 自然人 and the first three 法人 columns, then (after 续表) the label columns
    again with the last two and 总计; every cell its own (a head spanning columns repeated in
    each, a label spanning rows in its first)."""
    texts: dict[tuple[int, int], str] = {}
    for r, row in enumerate(grid.placed()):
        for col, cell, origin in row:
            for dc in range(cell.colspan):
                texts[(r, col + dc)] = cell.text if origin or cell.role == "header" else ""
    labels = grid.width - 7

    def part(columns: list[int]) -> str:
        rows = ["<tr>" + "".join(f"<td>{html.escape(texts.get((r, c), ''))}</td>" for c in columns)
                + "</tr>" for r in range(len(grid.rows))]
        return '<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"

    first = part(list(range(labels + 4)))
    second = part(list(range(labels)) + list(range(labels + 4, grid.width)))
    return first + "\n<p>续表</p>\n" + second


def _div_table(grid: Grid, rng: random.Random) -> str:
    """A table built of ``<div>``s laid out by a stylesheet (no ``<table>``): a box of row
    boxes, each holding a box per grid column — a cell spanning columns or rows printed in its
    first, the positions it covers empty boxes, as such grids cannot span — each cell's text
    bare or in a ``<p>``."""
    wrap = rng.choice([False, True])
    texts: dict[tuple[int, int], str] = {}
    for r, row in enumerate(grid.placed()):
        for col, cell, origin in row:
            texts[(r, col)] = html.escape(cell.text) if origin else ""
    rows = []
    for r in range(len(grid.rows)):
        cells = "".join(f'<div class="td">{f"<p>{t}</p>" if wrap and t else t}</div>'
                        for t in (texts.get((r, c), "") for c in range(grid.width)))
        rows.append(f'<div class="tr">{cells}</div>')
    return '<div class="table">\n' + "\n".join(rows) + "\n</div>"


def _cell_text(cell: Cell, style: str, rng: random.Random) -> str:
    text = cell.text
    if style == "broken" and cell.role in ("label", "header") and rng.random() < 0.4:
        if len(text) >= 4 and rng.random() < 0.5:
            mid = len(text) // 2
            return html.escape(text[:mid]) + "<br/>" + html.escape(text[mid:])
        return html.escape(space_label(text, rng, breaks=2))
    return html.escape(text)


def _html_table(grid: Grid, style: str, rng: random.Random) -> str:
    rows: list[str] = []
    header_tag = "th" if style == "official" and rng.random() < 0.5 else "td"
    for row in grid.rows:
        tds: list[str] = []
        for cell in row:
            span = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + \
                   (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            text = _cell_text(cell, style, rng)
            if style == "word":
                if cell.role == "value" and text.isdigit() and len(text) > 1 and rng.random() < 0.3:
                    # Word splits one number over two runs (a typo fixed, a language switch).
                    text = f"<span lang=EN-US>{text[:1]}</span><span lang=EN-US>{text[1:]}</span>"
                content = text or "&nbsp;"
                width = 60 * cell.colspan
                tds.append(f"<td width={width} valign=center{span.replace(chr(34), '')} "
                           f"style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>"
                           f"<p class=MsoNormal align=center style='text-align:center'>"
                           f"<span style='font-size:10.5pt;font-family:宋体'>{content}"
                           f"<span lang=EN-US><o:p></o:p></span></span></p></td>")
            else:
                tag = header_tag if cell.role in ("header", "heading") else "td"
                tds.append(f"<{tag}{span}>{text}</{tag}>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    if style == "word" and rng.random() < 0.7:
        # Word's hidden row that fixes column widths in old browsers: empty cells, no text.
        rows.append("<![if !supportMisalignedColumns]><tr height=0>" +
                    "<td width=60 style='border:none'></td>" * grid.width + "</tr><![endif]>")
    if style == "word":
        return ("<div align=center><table class=MsoNormalTable border=1 cellspacing=0 "
                "cellpadding=0 style='border-collapse:collapse;border:none'>\n" +
                "\n".join(rows) + "\n</table></div>")
    return ('<table border="1" cellspacing="0" cellpadding="2" style="border-collapse:collapse">\n'
            "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>")


def _flat_table(grid: Grid, rng: random.Random) -> str:
    """A table flattened to paragraphs: one <p> per row, cells joined by a separator."""
    sep = rng.choice(["&nbsp;&nbsp;", "\t", "　", "  "])
    paras = []
    for row in grid.rows:
        texts = [html.escape(c.text) if c.text else ("-" if c.role == "value" else "")
                 for c in row]
        paras.append("<p>" + sep.join(t for t in texts if t) + "</p>")
    return "<div class=\"flat-table\">\n" + "\n".join(paras) + "\n</div>"


# ---- TRS article page -----------------------------------------------------------------------

def _trs_page(fig: Figures, body: str, rng: random.Random) -> str:
    site = rng.choice(["人民政府门户网站", "政府信息公开平台", "人民政府"])
    site_name = (fig.agency.split("市")[0] + "市" if "市" in fig.agency else fig.agency) + site
    date = fig.published_date or ""
    title = html.escape(fig.title)
    source = html.escape(fig.agency)
    # Older TRS templates lay the page out with tables: the report's tables end up nested
    # inside a one-cell layout table, and the nav is a table of links.
    layout = rng.random() < 0.5
    layout_open = ('<table width="100%" border="0" cellspacing="0" cellpadding="0" class="main">'
                   '<tr><td valign="top" class="content">\n') if layout else ""
    layout_close = "\n</td></tr></table>" if layout else ""
    nav = "".join(f'<li><a href="/{p}/">{n}</a></li>' for p, n in
                  [("index", "首页"), ("zwgk", "政务公开"), ("zwfw", "政务服务"),
                   ("hdjl", "互动交流"), ("zjxx", "走进本地")])
    return f"""<!DOCTYPE html>
<html>
<head>
{{charset}}<title>{title}_{html.escape(site_name)}</title>
<meta name="SiteName" content="{html.escape(site_name)}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{date} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}">
<meta name="ContentSource" content="{source}">
<link rel="stylesheet" href="/css/style.css">
</head>
<body>
<div class="header"><div class="logo">{html.escape(site_name)}</div>
<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="article">
<h1 class="title">{title}</h1>
<div class="info"><span>发布机构：{source}</span> <span>发布日期：{date}</span> <span>浏览次数：{rng.randint(10, 999)}</span> <span>字号：<a>大</a> <a>中</a> <a>小</a></span></div>
{layout_open}<div class="TRS_Editor" id="zoom">
{body}
</div>{layout_close}
<div class="share">分享到：<a>微信</a> <a>微博</a> | <a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="../t{fig.year}0130_1.html">{fig.year - 1}年政府信息公开工作年度报告</a></li></ul></div>
<div class="footer"><p>主办单位：{html.escape(site_name)}办公室　网站标识码：{rng.randint(1000000000, 9999999999)}</p>
<p>ICP备案号：某ICP备{rng.randint(10000000, 99999999)}号　公网安备 {rng.randint(10**13, 10**14 - 1)}号</p></div>
</body>
</html>
"""
