"""Specs of simulated webs: the bundled sample and random variants for robustness tests.

    >>> spec = sample_spec()
    >>> sorted(s["family"] for s in spec["sites"])
    ['hanweb', 'json', 'plain', 'plain_query', 'trs']
    >>> len(random_spec(3)["sites"]) >= 3
    True
"""

from __future__ import annotations

import random

FAMILIES = ["plain", "plain_query", "trs", "hanweb", "json"]
KINDS = ["html", "html", "pdf", "docx", "xlsx", "txt", "split_pdf", "split_docx", "doc", "wps", "xls"]
NEEDS_OFFICE = ("doc", "wps", "xls")     # made by LibreOffice
LINKS = ["text", "title_attr", "view", "onclick", "script"]
DECOYS = ["notice", "template", "interpretation", "news"]


def sample_spec(with_doc: bool = True) -> dict:
    """The bundled sample web: one site per CMS family, every file type, GBK pages, decoys, traps.

    :param with_doc: include .doc/.wps/.xls attachments (LibreOffice converts them once, then cached)
    """
    doc, wps, xls = ("doc", "wps", "xls") if with_doc else ("docx", "pdf", "xlsx")
    return {"sites": [
        {"name": "样例县人民政府", "host": "www.sample-county.gov.cn", "family": "plain",
         "region_code": "510402", "level": "county", "per_page": 3, "noise": 45,
         "reports": [
             {"year": 2023, "kind": "html", "link": "text", "title_style": 0, "seed": 11},
             {"year": 2022, "kind": "split_pdf", "link": "title_attr", "title_style": 1, "seed": 12},
             {"year": 2021, "kind": "docx", "link": "text", "title_style": 2, "seed": 13,
              "filename": "chinese"},
             {"year": 2024, "kind": "html", "link": "text", "private": True, "seed": 14},
         ],
         "decoys": ["notice", "template", "interpretation", "news"], "traps": ["calendar"],
         "robots": ["/private/", "/search"], "quirks": ["flaky_list", "offsite_redirect"],
         "departments": [{"name": "样例县卫生健康局", "slug": "wjj",
                          "reports": [{"year": 2023, "kind": "html", "seed": 15},
                                      {"year": 2022, "kind": "pdf", "seed": 16}]}]},
        {"name": "样例市人民政府", "host": "www.sample-trs.gov.cn", "family": "trs", "encoding": "gbk",
         "charset_header": "missing", "region_code": "510400", "level": "prefecture", "per_page": 2,
         "noise": 60,
         "reports": [
             # A misprinted 上年结转: the corpus's carryover check has something to show.
             {"year": 2023, "kind": "html", "link": "text", "title_style": 3, "seed": 21,
              "misprint": "carryover"},
             {"year": 2022, "kind": "split_docx", "link": "text", "title_style": 4, "seed": 22,
              "attachment_text": "generic"},
             {"year": 2021, "kind": "xlsx", "link": "onclick", "title_style": 5, "seed": 23,
              "filename": "percent"},
             {"year": 2024, "kind": "html", "link": "text", "copy": True, "seed": 24},
         ],
         "decoys": ["notice", "interpretation"], "traps": ["session"], "robots": [],
         "quirks": ["hidden_platform"], "annual_report_url": True},
        {"name": "样例区人民政府", "host": "www.sample-hanweb.gov.cn", "family": "hanweb",
         "region_code": "510411", "level": "county", "per_page": 2, "noise": 40,
         "reports": [
             {"year": 2024, "kind": "html", "link": "view", "seed": 31},
             {"year": 2023, "kind": "pdf", "link": "text", "seed": 32, "slow": True},
             {"year": 2022, "kind": doc, "link": "title_attr", "seed": 33},
             {"year": 2021, "kind": wps, "link": "text", "seed": 34},
             {"agency": "样例区教育局", "year": 2023, "kind": "html", "link": "script", "seed": 35},
         ],
         "decoys": ["notice", "template"], "robots": ["/search/"]},
        {"name": "样例市教育局", "host": "www.sample-json.gov.cn", "family": "json",
         "region_code": "510400", "level": "department", "per_page": 2, "noise": 35,
         "reports": [
             {"year": 2024, "kind": "html", "seed": 41, "redirect": True},
             {"year": 2023, "kind": "txt", "seed": 42},
             {"year": 2022, "kind": "split_pdf", "seed": 43, "flaky": True},
             {"year": 2021, "kind": xls, "seed": 44, "link": "view"},
         ],
         "decoys": ["notice"], "quirks": ["redirect_column"]},
        {"name": "样例市人民政府办公室", "host": "www.sample-city.gov.cn", "family": "plain_query",
         "encoding": "gbk", "charset_header": "utf-8", "region_code": "510400", "level": "department",
         "per_page": 3, "noise": 40, "column_label": "政府信息公开工作年度报告",
         "reports": [
             {"year": 2023, "kind": "html", "seed": 51},
             {"agency": "样例市卫生健康委员会", "year": 2023, "kind": "html", "link": "view",
              "host": "wjw.sample-city.gov.cn", "seed": 52},
             {"agency": "样例市交通运输局", "year": 2023, "kind": "split_pdf", "link": "view",
              "host": "jtj.sample-city.gov.cn", "seed": 53},
         ],
         "decoys": ["notice"], "robots": []},
    ]}


def random_spec(seed: int, n_sites: int | None = None, with_doc: bool = False) -> dict:
    """A random web of ``n_sites`` sites (3–6 when not given) mixing families, kinds and quirks."""
    rng = random.Random(seed)
    n_sites = n_sites or rng.randint(3, 6)
    sites = []
    kinds = KINDS if with_doc else [k for k in KINDS if k not in NEEDS_OFFICE]
    for i in range(n_sites):
        family = FAMILIES[(seed + i) % len(FAMILIES)]
        slug = f"r{seed}s{i}"
        host = f"www.{slug}.gov.cn"
        name = "甲乙丙丁戊己庚辛壬癸"[(seed + i) % 10] + "山河城林江湖"[i % 6] + \
            rng.choice(["县人民政府", "市人民政府", "区人民政府", "市财政局", "县教育局"])
        years = rng.sample([2020, 2021, 2022, 2023, 2024], rng.randint(2, 5))
        reports = []
        for j, year in enumerate(sorted(years)):
            r = {"year": year, "kind": rng.choice(kinds), "link": rng.choice(LINKS),
                 "title_style": rng.randint(0, 11), "seed": seed * 100 + i * 10 + j,
                 "filename": rng.choice(["plain", "chinese", "percent"])}
            if rng.random() < 0.1:
                r["copy"] = True
            if rng.random() < 0.1:
                r["slow"] = True
            if rng.random() < 0.15:
                r["yearless"] = True
            if r["kind"].startswith("split_") and rng.random() < 0.5:
                r["filename"], r["attachment_text"] = "download_id", "generic"
            reports.append(r)
        if rng.random() < 0.5:
            reports.append({"agency": name[:-4] + "发展和改革局" if name.endswith("人民政府") else name + "办公室",
                            "year": 2023, "kind": rng.choice(kinds), "link": rng.choice(LINKS),
                            "seed": seed * 100 + i * 10 + 9,
                            **({"host": f"fgw.{slug}.gov.cn"} if rng.random() < 0.5 else {})})
        if rng.random() < 0.4:
            reports.append({"year": 2019, "kind": "html", "private": True, "seed": seed + i})
        departments = []
        if rng.random() < 0.4:
            dname = name[:3] + rng.choice(["农业农村局", "住房和城乡建设局", "市场监督管理局"])
            departments.append({"name": dname, "slug": f"d{i}", "reports": [
                {"year": y, "kind": rng.choice(kinds), "seed": seed * 100 + i * 10 + 5 + k,
                 "link": rng.choice(LINKS)} for k, y in enumerate(rng.sample([2021, 2022, 2023], 2))]})
        enc = rng.choice(["utf-8", "utf-8", "gbk"])
        sites.append({
            "departments": departments,
            "name": name, "host": host, "family": family, "encoding": enc,
            "charset_header": rng.choice(["declared", "missing", "utf-8", "iso-8859-1"]) if enc == "gbk"
            else "declared",
            "per_page": rng.randint(2, 4), "noise": rng.randint(10, 30), "reports": reports,
            "decoys": rng.sample(DECOYS, rng.randint(1, len(DECOYS))),
            "traps": rng.sample(["calendar", "session"], rng.randint(0, 2)),
            "robots": ["/private/"] if any(r.get("private") for r in reports) else rng.choice([[], None]),
            "quirks": rng.sample(["flaky_list", "redirect_column", "frameset_home", "js_redirect_home",
                                  "menu_script", "ajax_post"], rng.randint(0, 3)),
            "column_label": rng.choice(["政府信息公开年报", "政府信息公开工作年度报告", "年度报告", "信息公开年报"]),
        })
    return {"sites": sites}
