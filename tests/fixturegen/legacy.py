"""Legacy (pre-2019 format) annual reports: prose under the 2008 条例 headings, no standard tables.

docs/format.md §8: such a report is an annual report with ``format: "legacy"``; its figures are
stated in sentences (主动公开政府信息N条, 受理政府信息公开申请N件 …), never table cells.

    >>> data, expected = render_legacy(1, "html")
    >>> expected["format"], expected["is_annual_report"]
    ('legacy', True)
"""

from __future__ import annotations

import html
import random

from tests.fixturegen import prose

HEADINGS = ["一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况",
            "四、政府信息公开的收费及减免情况", "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
            "六、存在的主要问题和改进措施"]


def render_legacy(seed: int, kind: str = "html", year: int | None = None) -> tuple[bytes, dict]:
    """A legacy report as ``html`` or ``txt`` bytes, and its expected JSON."""
    rng = random.Random(f"legacy:{seed}")
    year = year or rng.randint(2010, 2018)
    agency = prose.make_agency(rng)
    title = f"{agency}{year}年政府信息公开工作年度报告"
    published = f"{year + 1}-03-{rng.randint(10, 31):02d}"
    n_active, n_req = rng.randint(50, 3000), rng.randint(0, 40)
    granted = rng.randint(0, n_req)
    bodies = [
        (f"本报告根据《中华人民共和国政府信息公开条例》要求，由{agency}编制。本报告中所列数据的统计期限自"
        f"{year}年1月1日起至{year}年12月31日止。{year}年，我单位认真贯彻落实《条例》，"
        "政府信息公开工作有序推进。"),
        (f"全年主动公开政府信息{n_active}条，其中规范性文件{rng.randint(0, 30)}件，"
        "主要通过政府网站、政务微博、公开栏等途径公开。"),
        (f"全年共受理政府信息公开申请{n_req}件，其中同意公开{granted}件，"
        f"“信息不存在”{n_req - granted}件，均在法定期限内答复。"),
        "全年未收取检索、复制、邮寄等任何费用。",
        "全年未发生因政府信息公开申请提起行政复议、行政诉讼的情况。",
        "主要问题是公开内容不够全面、更新不够及时。下一步将加强培训，完善制度，提高公开质量。",
    ]
    lines = [title] + [x for pair in zip(HEADINGS, bodies, strict=True) for x in pair] + \
        [agency, prose.arabic_date(published)]
    if kind == "txt":
        data = ("\n\n".join(lines) + "\n").encode("utf-8")
    elif kind == "html":
        paras = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
        data = (f"<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
                f"<body><h1>{html.escape(title)}</h1>\n{paras}\n</body></html>\n").encode()
    else:
        raise ValueError(f"legacy reports render as html or txt, not {kind!r}")
    expected = {"is_annual_report": True, "title": title, "agency": agency, "year": year,
                "format": "legacy", "published_date": published}
    return data, expected
