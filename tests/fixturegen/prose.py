"""Agency names, titles, dates and section prose for a generated report.

Names are invented combinations of place and office words (no real agency is imitated), at
every level reports are published: ministries, provinces, cities, districts, counties, towns.

    >>> import random
    >>> name = make_agency(random.Random(3))
    >>> name.endswith(("局", "委员会", "办公室", "人民政府", "部", "中心", "厅", "委"))
    True
    >>> chinese_date("2025-01-09")
    '二〇二五年一月九日'
"""

from __future__ import annotations

import random

PROVINCES = ["江南省", "河西省", "岭北省", "云中省", "海东省"]
CITIES = ["青州市", "临江市", "安平市", "长宁市", "白水市", "东阳市", "南岭市", "金川市"]
DISTRICTS = ["清河区", "鼓楼区", "新华区", "城东区", "高新区", "西湖区"]
COUNTIES = ["平安县", "永和县", "石门县", "丰宁县", "桃源县", "太平县"]
TOWNS = ["柳溪镇", "石桥镇", "新安乡", "河口镇"]
DEPARTMENTS = ["财政局", "科学技术局", "卫生健康委员会", "自然资源和规划局", "生态环境局",
               "市场监督管理局", "人力资源和社会保障局", "住房和城乡建设局", "审计局", "统计局",
               "交通运输局", "教育局", "民政局", "司法局", "水利局", "农业农村局", "应急管理局",
               "医疗保障局", "退役军人事务局", "文化和旅游局", "发展和改革委员会"]
PROVINCIAL = ["财政厅", "教育厅", "自然资源厅", "人力资源和社会保障厅", "交通运输厅"]
MINISTRIES = ["自然资源部", "生态环境部", "交通运输部", "水利部", "国家统计局", "国家林业和草原局"]


def make_agency(rng: random.Random) -> str:
    """An agency name at a random level."""
    level = rng.choice(["district_office", "district_dept", "county_dept", "city_dept",
                        "city_gov", "county_gov", "town", "province_dept", "ministry",
                        "county_dept"])
    city, district, county = rng.choice(CITIES), rng.choice(DISTRICTS), rng.choice(COUNTIES)
    if level == "district_office":
        return f"{city}{district}人民政府办公室"
    if level == "district_dept":
        return f"{city}{district}{rng.choice(DEPARTMENTS)}"
    if level == "county_dept":
        return f"{county}{rng.choice(DEPARTMENTS)}"
    if level == "city_dept":
        return f"{city}{rng.choice(DEPARTMENTS)}"
    if level == "city_gov":
        return f"{city}人民政府"
    if level == "county_gov":
        return f"{rng.choice(CITIES)}{county}人民政府"
    if level == "town":
        return f"{county}{rng.choice(TOWNS)}人民政府"
    if level == "province_dept":
        return f"{rng.choice(PROVINCES)}{rng.choice(PROVINCIAL)}"
    return rng.choice(MINISTRIES)


_DIGITS = "〇一二三四五六七八九"

TITLE_FORMS = ("common", "nian_du", "year_first", "suffix_year", "spaced", "short",
               "cn_year")


def make_title(agency: str, year: int, rng: random.Random, form: str | None = None) -> str:
    """A title in one of the patterns of docs/format.md §7 (``form``: one of
    :data:`TITLE_FORMS`; default a random one of the forms met on real sites)."""
    choice = rng.choice(["common", "common", "common", "nian_du", "year_first", "suffix_year",
                         "spaced"])
    form = form or choice
    if form == "short":
        return f"{agency}{year}年政府信息公开年度报告"
    if form == "cn_year":
        return f"{agency}{''.join(_DIGITS[int(c)] for c in str(year))}年政府信息公开工作年度报告"
    if form == "nian_du":
        return f"{agency}{year}年度政府信息公开工作年度报告"
    if form == "year_first":
        return f"{year}年{agency}政府信息公开工作年度报告"
    if form == "suffix_year":
        return f"{agency}政府信息公开工作{year}年度报告"
    if form == "spaced":
        return f"{agency}{year} 年政府信息公开工作年度报告"
    return f"{agency}{year}年政府信息公开工作年度报告"


def make_published_date(year: int, rng: random.Random) -> str:
    """An ISO publication date in January–March of the year after the report year."""
    month = rng.choice([1, 1, 1, 2, 3])
    day = rng.randint(5, 28)
    return f"{year + 1}-{month:02d}-{day:02d}"


def chinese_date(iso: str) -> str:
    """``2025-01-09`` → ``二〇二五年一月九日`` (as signed paper reports print dates)."""
    y, m, d = (int(p) for p in iso.split("-"))
    return "".join(_DIGITS[int(c)] for c in str(y)) + "年" + _cn_number(m) + "月" + _cn_number(d) + "日"


def _cn_number(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def arabic_date(iso: str) -> str:
    """``2025-01-09`` → ``2025年1月9日``."""
    y, m, d = (int(p) for p in iso.split("-"))
    return f"{y}年{m}月{d}日"


def basis_sentence(agency: str, year: int, fmt: str, rng: random.Random) -> str:
    """The text before section 一: legal basis and statistics period."""
    notice = "国办公开办函〔2021〕30号" if fmt == "2021" else "国办公开办函〔2019〕60号"
    period = rng.choice([f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
                         f"本报告统计数据从{year}年1月1日至12月31日。", ""])
    return (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息"
            f"与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
            f"（{notice}）要求编制。{period}如对本报告有疑问，请与{agency}办公室联系。")


_OVERVIEW_PARTS = [
    ("（一）主动公开", ("{year}年，我单位围绕中心工作，通过门户网站、政务新媒体等渠道主动公开政府信息{n}条，"
                   "涵盖机构职能、政策文件、财政预决算、重点领域信息等内容。")),
    ("（二）依申请公开", "本年度共收到政府信息公开申请{req}件，均在法定期限内予以答复，未发生逾期答复情况。"),
    ("（三）政府信息管理", ("严格落实信息发布“三审三校”制度和保密审查机制，对拟公开信息逐条审核，"
                     "动态更新政府信息公开目录。")),
    ("（四）平台建设", "依托政府网站集约化平台，优化政府信息公开专栏设置，及时调整栏目，确保信息发布规范有序。"),
    ("（五）监督保障", "将政务公开工作纳入年度目标考核，组织业务培训{k}次，主动接受社会监督。"),
]

_PROBLEMS = [
    ("一是信息公开的主动性和及时性有待提高；二是政策解读形式较为单一，群众参与度不高；"
    "三是工作人员业务能力还需加强。"),
    ("存在的问题：部分栏目更新不够及时，公开内容的规范性有待提升。改进情况：建立栏目更新台账，"
    "定期开展自查，加强业务培训。"),
    "一是公开内容不够全面；二是依申请公开办理流程仍需规范。下一步将完善制度，加强监督检查。",
]

_OTHER = [
    ("按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）规定的按件、按量收费标准，"
    "本年度未收取信息处理费。"),
    "本年度无其他需要报告的事项。",
    "本年度共收取信息处理费0元。我单位将持续做好政务公开工作。",
]


def make_sections(year: int, requests_total: int | None, rng: random.Random) -> dict[str, str]:
    """Prose of the sections ``overview``, ``problems`` and ``other`` (keys of contract.md)."""
    fill = {"year": year, "n": rng.randint(20, 900), "req": requests_total or 0,
            "k": rng.randint(1, 6)}
    overview = "\n".join(f"{head}。{body.format(**fill)}" for head, body in _OVERVIEW_PARTS)
    return {"overview": overview, "problems": rng.choice(_PROBLEMS), "other": rng.choice(_OTHER)}


def filler_paragraphs(rng: random.Random, count: int) -> list[str]:
    """Extra prose paragraphs (to make a multi-page PDF look like a real, wordy report)."""
    pool = [("坚持以人民为中心的发展思想，紧扣重点领域信息公开要求，持续深化政务公开标准化规范化建设，"
            "聚焦群众关切，及时回应社会热点，推动政策文件解读与发布同步部署、同步推进。"),
            ("围绕优化营商环境，集中公开涉企政策、惠企措施和办事指南，推动政策直达快享，"
            "进一步提升政务服务便利度和群众满意度。"),
            "加强政务新媒体管理，规范信息发布审核流程，建立常态化巡查机制，确保发布内容准确、权威、及时。",
            ("做好重大行政决策预公开工作，通过座谈会、网上征求意见等方式广泛听取公众意见，"
            "并及时反馈意见采纳情况。"),
            "推进基层政务公开标准化规范化，梳理完善公开事项目录，推动公开内容覆盖权力运行全流程。"]
    return [rng.choice(pool) for _ in range(count)]
