"""Red-team round 8: table 三 printing the organisations as one column.

Some county and township offices cut table 三 down to 自然人 | 法人或其他组织 | 总计: no 商业企业 …
其他 under the group head, so each row prints three figures. They were read as the last three of
the seven official columns (自然人's figure in 法律服务机构, the organisations' in 其他, every
natural-person figure lost: 67 cells of a report wrong). Now the three heads, each printed once
with none of the organisations' own, make the rows three wide: 自然人 and 总计 are read, the five
organisation columns are null (the report does not give them; their sum has no key), in the
heads' printed order (``tables._organisations_as_one``).

    .venv/bin/python -m pytest -q tests/test_redteam_parse10_columns.py
"""

from __future__ import annotations

import copy
import re
import unicodedata

from parsers import parse_document
from tests.fixturegen import expected_json, make_figures, render
from tests.fixturegen.compare import compare_cells, compare_checks

ORGANISATIONS = ("commercial_enterprise", "research_institution", "social_welfare_org",
                 "legal_service_org", "other_org")
_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _count(text: str) -> int:
    digits = unicodedata.normalize("NFKC", re.sub(r"<[^>]+>", "", text))
    return int(digits) if digits.isdigit() else 0


def _expected(exp: dict) -> dict:
    """The five organisation columns null; the checks that need them not assessable (a row
    total, a rule of one of those columns): a column left out is no blank."""
    out = copy.deepcopy(exp)
    for cols in out["requests"].values():
        for col in ORGANISATIONS:
            cols[col] = None
    for check in out.get("checks", []):
        rule, _, scope = check["name"].partition(":")
        if rule == "requests_row_total" or scope in ORGANISATIONS:
            check["passed"] = None
    return out


def organisations_as_one(fig, total_first: bool = False) -> tuple[bytes, dict]:
    """``fig``'s ``html/official`` page with table 三's seven applicant columns cut to three:
    自然人, 法人或其他组织 (the sum of the five) and 总计 (or 总计 first); its expected JSON."""
    page = render(fig, "html", "official").decode("utf-8")
    start = page.index("三、收到和处理")
    end = page.index("</table>", start)
    rows = page[start:end].split("<tr>")
    heads = ["自然人", "法人或其他组织", "总计"]
    order = [2, 0, 1] if total_first else [0, 1, 2]
    out = [rows[0],
           f'<td colspan="3" rowspan="2">{_NOTE}</td><td colspan="3">申请人情况</td></tr>\n',
           "".join(f"<td>{heads[k]}</td>" for k in order) + "</tr>\n"]
    for row in rows[4:]:
        cells = re.findall(r"<td[^>]*>.*?</td>", row)
        figures = cells[-7:]
        three = [figures[0], f"<td>{sum(_count(c) for c in figures[1:6])}</td>", figures[6]]
        out.append("".join(cells[:-7]) + "".join(three[k] for k in order) + "</tr>\n")
    page = page[:start] + "<tr>".join(out) + page[end:]
    return page.encode("utf-8"), _expected(expected_json(fig, "html", "official"))


def organisations_as_one_text(fig) -> tuple[bytes, dict]:
    """The same cut in ``txt/tabs``: one tab-separated line per row (a row's figures are its
    last seven cells)."""
    text = render(fig, "txt", "tabs").decode("utf-8")
    start = text.index("（本列数据")
    end = re.compile(r"\n四、(?!结转)").search(text, start).start()
    lines = text[start:end].split("\n")
    first = next(n for n, line in enumerate(lines) if line.startswith("一、"))
    out = [f"{_NOTE}\t\t\t申请人情况\t\t", "\t\t\t自然人\t法人或其他组织\t总计"]
    for line in lines[first:]:
        cells = line.split("\t")
        if len(cells) < 8:  # a label's wrapped line, a row printed with no figure
            out.append(line)
            continue
        figures = cells[-7:]
        out.append("\t".join(cells[:-7] + [figures[0], str(sum(_count(c) for c in figures[1:6])),
                                           figures[6]]))
    text = text[:start] + "\n".join(out) + text[end:]
    return text.encode("utf-8"), _expected(expected_json(fig, "txt", "tabs"))


def test_organisations_printed_as_one_column() -> None:
    misses = []
    for seed, fmt in ((31, "2021"), (32, "2019"), (33, "2021")):
        fig = make_figures(seed, fmt, blanks="some")
        for name, (data, exp) in (("html", organisations_as_one(fig)),
                                  ("html total first", organisations_as_one(fig, total_first=True)),
                                  ("txt", organisations_as_one_text(fig))):
            got = parse_document(data, None, "report.txt" if name == "txt" else "report.html")
            diffs = compare_cells(exp, got) + compare_checks(exp, got)
            misses += [f"{seed} {fmt} {name}: {d}" for d in diffs]
    # Heads 自然人 | 法人或其他组织 | 总计 over rows of seven figures (the organisations' own
    # heads lost) are not the cut table: the seven figures are read as before.
    fig = make_figures(34, "2021", blanks="none")
    page = re.sub(r"<tr><td>商业企业</td>.*?</tr>", "<tr></tr>", render(fig, "html", "official").decode())
    got = parse_document(page.encode("utf-8"), None, "report.html")
    misses += compare_cells(expected_json(fig, "html", "official"), got)
    assert misses == []

