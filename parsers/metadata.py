"""Title, agency, year and published date of a report (docs/format.md §7).

Pure functions over paragraph lines; the Document's container metadata and the linking page's
metadata are fallbacks, in the order §7 gives.

    >>> m = match_title("攀枝花市东区科学技术局2024 年政府信息公开工作年度报告")
    >>> m.agency, m.year
    ('攀枝花市东区科学技术局', 2024)
    >>> match_title("关于做好2021年政府信息公开工作年度报告编制发布工作的通知") is None
    True
    >>> parse_date("二〇二五年一月九日")
    '2025-01-09'
    >>> is_full_agency("区科技局"), is_full_agency("红寺堡区科学技术局")
    (False, True)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parsers.labels import CN_DIGITS, clean, cn_number, norm

_CN_YEAR = "[〇○零O一二三四五六七八九]{4}"
_YEAR = rf"(?P<year>\d{{4}}|{_CN_YEAR})"
_KIND = r"(?:政府信息公开|政务信息公开|政务公开|信息公开|政府信息主动公开)"
_TAIL = r"(?:工作)?(?:年度报告|年度工作报告|年报|工作报告|报告)"
# Title patterns, matched against the whole normalised title (a title that merely *contains*
# one of them — a notice about compiling reports — is not a report title).
_TITLE_PATTERNS = (
    re.compile(rf"^(?P<agency>.*?){_YEAR}年度?{_KIND}{_TAIL}$"),
    re.compile(rf"^{_YEAR}年度?(?P<agency>.+?){_KIND}{_TAIL}$"),
    re.compile(rf"^(?P<agency>.*?){_KIND}工作{_YEAR}年度?报告$"),
    re.compile(rf"^(?P<agency>.*?)关于{_YEAR}年度?{_KIND}(?:工作)?(?:情况)?的报告$"),
    re.compile(rf"^{_YEAR}年(?:度年)?报(?:[_\-](?P<agency>.+))?$"),
    re.compile(rf"^(?P<agency>.*?){_KIND}(?:工作)?年(?:度报告|报)\({_YEAR}年度?\)$"),
    re.compile(rf"^(?P<agency>.*?){_KIND}(?:工作)?年(?:度报告|报)$"),
)
# Page chrome printed in the body: 发布日期：2024-01-15 / 发布机构：某某局.
_FIELD_DATE = re.compile(r"(?:发布日期|发布时间|成文日期|印发日期)[:：]\s*(\d{4}[-./年]\d{1,2}[-./月]\d{1,2})")
_FIELD_PUBLISHER = re.compile(r"(?:发布机构|发文机关|信息来源|来源)[:：]\s*([^\s:：]{3,40})")
# Words that make a title something else (notices, plans, statistics, budgets, rules).
_LOOKALIKE = re.compile(r"通知|通告|公告|工作要点|政府工作报告|统计公报|预算|决算|上半年|季度|"
                        r"制度|办法|格式|(?<!机构)编制|报送|转发|印发|部署|考核|方案|意见")
# A "title" whose agency part ends in a verb of announcing or starts with 图解/解读 is a news item
# or an explainer about a report (我局发布2022年…年度报告; 图解：…), not the report itself.
_NEWS = re.compile(r"(发布|公布|晒出|亮出|出炉|推出)了?[:：]?$|^(图解|解读|一图读懂|政策解读|新闻)")
_BAD_AGENCY = re.compile(r"关于|《|》|通知|印发|做好|(?<!机构)编制|格式|制度|要点|上半年|季度|\d|"
                         r"彩票|博彩|娱乐|棋牌|赌|casino|下载|首页|网站")
# A file extension, or a trailing edition note: (全文) (更正版) (文字版) (2023年1月修订) — any short
# parenthesised note except the report year itself, which pattern 6 reads: 年度报告(2022年度).
_TITLE_JUNK = re.compile(rf"(\.(pdf|docx?|wps|xlsx?|html?))$|\((?!{_CN_YEAR}年度?\)|\d{{4}}年度?\))[^()]{{1,20}}\)$",
                         re.IGNORECASE)
# An agency after the title: …年度报告（青川县民政局）, …年度报告——青川县民政局, …年度报告（青川县民政局
# 2024年度）.
_AFTER_AGENCY = re.compile(rf"(?:\((?P<agency>[^()]{{3,40}}?)(?:{_YEAR}年度?)?\)|(?:—+|-{{1,2}}|──)"
                           r"(?P<dashed>[^()—\-]{3,40}))$")
_SITE_ONLY = re.compile(r"网站?$|门户|平台$")
_EXTENSION = re.compile(r"\.(pdf|docx?|wps|xlsx?|html?)$", re.IGNORECASE)
# A notice that publishes the report (关于公布某局2024年政府信息公开工作年度报告的公告) often
# carries the whole report below it: with its headings and filled tables it is the report.
_ANNOUNCES = re.compile(r"(公布|发布|公开)[^,。]{0,40}?(年度报告|年报)(的)?(公告|通知|通告)$")
_NOT_ANNOUNCING = re.compile(r"格式|编制|做好|报送|印发")
# Footer and tool lines of a web page that a reader may leave after the report.
_CHROME = re.compile(r"主办单位|承办单位|版权所有|ICP备|网站标识码|公网安备|技术支持|联系我们|网站地图|"
                     r"打印本页|关闭窗口|【打印】|【关闭】|扫一扫|分享到|上一篇|下一篇|相关链接|浏览次数")
# Breadcrumbs and site chrome that happen to end like a title.
_NAVIGATION = re.compile(r"当前位置|您的位置|首页|>|»|→")
_EDITOR_TITLE = re.compile(r"^\s*(Microsoft\s*Word|WPS|Untitled|无标题|文档\d*)", re.IGNORECASE)
# Leading debris: 附件1： / (1) / 1. / a column tag such as 【年度报告】 (NFKC makes it (…)).
_TITLE_LEAD = re.compile(r"^(附件\d*[:.、]?|\(\d+\)|\d+[.、]|\([^()\d]{2,8}\))")
# A bare place name (no organ): 长沙市岳麓区, 湖北省, 某某县.
_PLACE_ONLY = re.compile(r"(省|市|区|县|旗|州|盟)$")
_AREA = re.compile(r"省|市|区|县|州|旗|盟|镇|乡|村|街道|自治")
_NATIONAL = re.compile(r"^(国家|国务院|中华人民共和国|中国|中共|全国)")
_ORG_SUFFIX = re.compile(r"(局|委员会|委|办公室|办|政府|院|中心|室|会|所|处|厅|部|站|队|署|馆|社|"
                         r"公司|集团|街道|办事处|镇|乡|管委会|园|监狱|学校|大学|医院|银行|分局|总队|支队|"
                         r"大队|中队|科|组|团)$")
# Central ministries and commissions carry no place name: 自然资源部, 教育部, 审计署.
_MINISTRY = re.compile(r"^[^我本该市区县省镇乡]{2,12}(部|署|委员会|总局)$")
_SHORT_FORM = re.compile(r"^(我|本|该|贵|各|全|上级|市|区|县|省|镇|乡)")
_STAT_PERIOD = re.compile(rf"{_YEAR}年(?:度)?(?:1|一)月(?:1|一)日(?:起|零时)?(?:至|到|-|—|~|－)"
                          rf"(?:(?:\d{{4}}|{_CN_YEAR})年)?(?:12|十二)月(?:31|三十一)日")
_YEAR_MENTION = re.compile(r"(?<![\d〔(\[])(\d{4})年(?:度)?")
_DATE = re.compile(rf"^(?P<y>\d{{4}}|{_CN_YEAR})年(?P<m>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}|元)月"
                   r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})[日号]?$")
_DATE_WRAP = re.compile(r"^\((.+)\)$|^(.+?)(?:印发|发布|公布)$")
_ISO_DATE = re.compile(r"^(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})$")
_INTRO = re.compile(rf"(?:现(?:将|予以?)?(?:公布|发布|公开)|特(?:此)?(?:发布|公布)|现将)《?"
                    rf"(?P<agency>[^《》,。;:]{{4,40}}?){_YEAR}年度?{_KIND}")


@dataclass(frozen=True)
class TitleMatch:
    """A title that has the shape of an annual report title."""

    title: str
    agency: str | None
    year: int | None


def parse_year(text: str) -> int | None:
    """``2024`` or ``二〇二四`` → 2024 (None outside 1990–2100)."""
    if not text:
        return None
    if not text.isdigit():
        digits = [CN_DIGITS.get(ch) for ch in text]
        if any(d is None for d in digits):
            return None
        text = "".join(str(d) for d in digits)
    year = int(text)
    return year if 1990 <= year <= 2100 else None


def parse_date(text: str, leading: bool = False) -> str | None:
    """A whole-line date (``2025年1月9日``, ``二〇二五年一月九日``, ``2025-01-09``) → ISO, else None.

    :param leading: accept a date at the start of a longer value (``2020-01-31 10:00``), as
        metadata fields carry
    """
    if leading:
        m = re.match(r"^\s*(?P<y>\d{4})[-./年](?P<m>\d{1,2})[-./月](?P<d>\d{1,2})", text)
        if m:
            text = m.group(0)
    # A closing date in brackets, or with the act it dates: （2025年1月9日）, 2025年1月9日印发.
    t = _DATE_WRAP.sub(lambda m: m.group(1) or m.group(2), norm(text))
    m = _DATE.match(t) or _ISO_DATE.match(t)
    if not m:
        return None
    year = parse_year(m.group("y"))
    # 元月 is January in signed dates (二〇二三年元月十八日).
    month = 1 if m.group("m") == "元" else cn_number(m.group("m"))
    day = cn_number(m.group("d"))
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def is_full_agency(name: str | None) -> bool:
    """A full agency name, not a short form (我局, 区科技局) and not debris."""
    if not name:
        return False
    n = norm(name)
    if not 3 <= len(n) <= 50 or _BAD_AGENCY.search(n):
        return False
    if n.endswith("网"):
        return False  # a site, not an agency: 来源：长沙市人民政府网
    if _NATIONAL.match(n) or _MINISTRY.match(n):
        # 中国上海 / 中国南京 name city portals; national organs end in an organ word.
        return bool(_ORG_SUFFIX.search(n))
    if _is_short_form(n):
        return False
    return bool(_AREA.search(n, 1))


def _is_short_form(n: str) -> bool:
    """我局, 本机关, 该局, 全区, 市科技局, 区教育局 — but not place names that begin with the same
    characters: 本溪市, 贵阳市, 全椒县, 镇江市, 乡宁县, 市中区 (a place name is followed by its own
    area word: 市/区/县…)."""
    m = _SHORT_FORM.match(n)
    if not m:
        return False
    if m.group(1) in ("我", "该", "各", "上级"):
        return True
    rest = n[m.end():]
    if m.group(1) in ("本", "贵", "全"):
        # 本局/全区 (an area or org word right after) stay short; 本溪市/贵阳市/全椒县 are places.
        return not rest or rest[0] in "市区县省镇乡" or _ORG_SUFFIX.match(rest[:1]) is not None \
            or _AREA.search(rest) is None
    return _AREA.search(rest) is None  # 市科技局 short; 镇江市… / 市中区… name a place


# A site's name after a page title, not an agency: 某某市人民政府门户网站, 某某县政府网; a bare
# 某某县人民政府 is how the county's portal (which carries every department's report) titles
# its pages, so it names no agency there either.
_SITE = re.compile(r"网站?$|门户|平台$|频道$|专栏$|人民政府$")
# The general office that signs for a government: 青川县人民政府办公室 → 青川县人民政府.
_GOVERNMENT_OFFICE = re.compile(r"(?<=人民政府)办公(室|厅)$")
# Places run by a 管委会 rather than a 人民政府: development and pilot zones, and the national new
# areas other than 浦东 and 滨海 (which have governments).
_ZONE = re.compile(r"(开发|高新|园|试验|示范|合作|保税|经济|管理|度假|综合)区$|"
                   r"(雄安|两江|天府|西咸|贵安|兰州|滇中|湘江|赣江|福州|南沙|金普|西海岸|舟山群岛)新区$")
_SECOND_NAME = re.compile(r"\(([^()]{3,30})\)$")


def government_of(place: str) -> str:
    """The government of a place that titles a report and signs none (§7: a region-wide report
    is its government's): a 盟 or 地区 is run by its 行政公署, a special zone (开发区, 高新区,
    园区 …) by a 管委会 whose name varies, so it keeps the bare place.

    >>> government_of("青川县"), government_of("锡林郭勒盟"), government_of("成都高新区")
    ('青川县人民政府', '锡林郭勒盟行政公署', '成都高新区')
    """
    if _ZONE.search(place):
        return place
    if place.endswith(("盟", "地区")):
        return place + "行政公署"
    return place + "人民政府"


def is_page_chrome(text: str) -> bool:
    """A footer or tool line of the web page around the report (not report text)."""
    n = norm(text)
    return len(n) <= 60 and bool(_CHROME.search(n))


def looks_like_agency_line(text: str) -> bool:
    """A line that names only an agency (above a title, or as the closing signature); an
    office with two names prints the second in brackets: 某县住房和城乡建设局（某县人民防空办公室）.

    >>> looks_like_agency_line("青川县农业农村局（青川县乡村振兴局）")
    True
    """
    n = norm(text)
    second = _SECOND_NAME.search(n)
    if second and _ORG_SUFFIX.search(second.group(1)):
        n = n[:second.start()]
    return is_full_agency(n) and bool(_ORG_SUFFIX.search(n)) and len(n) <= 40


def match_title(text: str | None) -> TitleMatch | None:
    """The title, agency and year of a report-shaped title, or None.

    An agency may follow the title in brackets or after a dash (a county portal's department
    pages): the title keeps it, and it is the title's agency when the title names none.

    >>> m = match_title("2024年政府信息公开工作年度报告（青川县民政局）")
    >>> m.title, m.agency, m.year
    ('2024年政府信息公开工作年度报告(青川县民政局)', '青川县民政局', 2024)
    """
    if not text:
        return None
    after = _AFTER_AGENCY.search(_EXTENSION.sub("", norm(text)))
    agency = after and (after.group("agency") or after.group("dashed"))
    # A page title's site after a hyphen (…年度报告-某某县人民政府) names no agency.
    site = _SITE if after and after.group(0).startswith("-") else _SITE_ONLY
    if agency and looks_like_agency_line(agency) and not site.search(agency):
        m = _match_title_part(after.string[:after.start()])
        if m and m.agency is None:
            year = m.year or (parse_year(after.group("year")) if after.group("year") else None)
            return TitleMatch(after.string, agency, year)
    return _match_title_part(text)


def _match_title_part(text: str) -> TitleMatch | None:
    full = _TITLE_JUNK.sub("", _TITLE_JUNK.sub("", norm(text)))
    full = _TITLE_LEAD.sub("", full).strip("《》“”\"")
    # Page titles append the site: "…年度报告_某某市人民政府门户网站" / "… | 某某网".
    # Flipbooks prefix the page: "Page 9 - 2020年报_审计局".
    parts = [p for p in re.split(r"[|]|--?", full) if p]
    for t in dict.fromkeys([full] + parts + [p.split("_")[0] for p in parts]):
        m = _match_title(t)
        if m:
            return m
    return None


def title_suffix_agency(text: str | None) -> str | None:
    """The agency a page title names after the report's title, or None; a site's name
    (…门户网站, …政府网) names no agency.

    >>> title_suffix_agency("2024年政府信息公开工作年度报告_青川县交通运输局")
    '青川县交通运输局'
    >>> title_suffix_agency("2024年政府信息公开工作年度报告_青川县人民政府门户网站") is None
    True
    >>> title_suffix_agency("2024年政府信息公开工作年度报告_青川县人民政府") is None
    True
    """
    if not text:
        return None
    parts = [p for p in re.split(r"[_|]|\s-+\s|--", clean(text)) if p.strip()]
    if len(parts) < 2 or not match_title(parts[0]):
        return None
    suffix = norm(parts[-1])
    if _SITE.search(suffix) or not looks_like_agency_line(suffix):
        return None
    return suffix


def _match_title(t: str) -> TitleMatch | None:
    if len(t) > 80 or _NAVIGATION.search(t):
        return None
    for pattern in _TITLE_PATTERNS:
        m = pattern.match(t)
        if not m:
            continue
        agency = (m.groupdict().get("agency") or "").strip("_-:") or None
        if agency and _NEWS.search(agency):
            return None
        if agency and _BAD_AGENCY.search(agency.replace("2", "")) and not is_full_agency(agency):
            if _LOOKALIKE.search(agency):
                return None
            agency = None
        year = parse_year(m.group("year")) if m.groupdict().get("year") else None
        return TitleMatch(t, agency if is_full_agency(agency) else None, year)
    return None


def is_lookalike_title(text: str | None) -> bool:
    """A title that names another kind of document (notice, plan, statistics, budget …).

    Column names (``通知公告``) are not document titles: a lookalike names a year or is long.
    """
    t = norm(text or "")
    if _NEWS.search(re.split(rf"{_YEAR}年", t)[0]) and re.search(_KIND, t):
        return True
    return bool(_LOOKALIKE.search(t)) and (len(t) >= 10 or bool(re.search(r"\d{4}", t)))


def statistics_year(text: str) -> int | None:
    """The year of a statistics-period sentence (``统计期限为2024年1月1日至12月31日``)."""
    m = _STAT_PERIOD.search(norm(text))
    return parse_year(m.group("year")) if m else None


def first_year(text: str) -> int | None:
    """The first plausible ``Y年`` in running text, skipping document numbers (〔2021〕30号),
    cited titles (《…》) and budget mentions (2023年部门决算)."""
    t = norm(text)
    t = re.sub(r"《[^》]*》", "", t)
    t = re.sub(r"[〔(\[]\d{4}[〕)\]]\d*号?", "", t)
    for m in _YEAR_MENTION.finditer(t):
        after = t[m.end():m.end() + 6]
        if re.match(r"(部门)?(预算|决算)", after):
            continue
        year = parse_year(m.group(1))
        if year:
            return year
    return None


def intro_agency(text: str) -> str | None:
    """The agency of the intro formula ``现公布{机关}Y年政府信息公开工作年度报告``."""
    m = _INTRO.search(norm(text))
    if m and is_full_agency(m.group("agency")):
        return m.group("agency")
    return None


def closing(lines: list[str]) -> tuple[int | None, str | None, str | None]:
    """Find the closing signature and date among the last lines.

    :param lines: the document's last non-empty paragraph lines, in order
    :returns: (index into ``lines`` where the closing starts, agency, ISO date), Nones if absent
    """
    for back in range(1, min(4, len(lines)) + 1):
        idx = len(lines) - back
        line = norm(lines[idx])
        date = parse_date(line)
        agency = None
        if date is None:
            # Signature and date on one line: 攀枝花市东区科学技术局2025年1月9日
            m = re.match(rf"^(?P<a>.+?)(?P<d>(?:\d{{4}}|{_CN_YEAR})年.+日)$", line)
            if m and looks_like_agency_line(m.group("a")):
                date, agency = parse_date(m.group("d")), m.group("a")
            if date is None:
                continue
            return idx, agency, date
        start = idx
        if idx > 0 and looks_like_agency_line(lines[idx - 1]):
            agency, start = norm(lines[idx - 1]), idx - 1
        return start, agency, date
    return None, None, None


def may_close(line: str) -> bool:
    """A line that may end a report: a whole-line date, or a signature ending in a date."""
    n = norm(line)
    return bool(len(n) <= 60 and n.endswith("日") or _ISO_DATE.match(n)) and \
        closing([line]) != (None, None, None)


# Prose that reports this year's disclosure work in figures (format.md §8's phrases).
_PROSE_FIGURES = re.compile(
    r"(受理|收到|办理|答复)[^。；\n]{0,20}(政府信息公开|依申请公开)[^。；\n]{0,8}申请[^。；\n]{0,6}\d+"
    r"|未(收到|受理)[^。；\n]{0,20}(政府信息公开|依申请公开)[^。；\n]{0,6}申请"
    r"|主动公开[^。；\n]{0,20}(政府)?信息\d+(余)?条")


@dataclass
class Metadata:
    """What §7 asks of a document besides its tables."""

    title: str | None = None
    title_match: TitleMatch | None = None
    lookalike: bool = False
    announces_report: bool = False  # the lookalike title is a notice publishing the report
    agency: str | None = None
    year: int | None = None
    published_date: str | None = None
    stat_period: bool = False
    prose_figures: bool = False   # disclosure figures stated in prose (legacy reports)
    closing_block: int | None = None  # where the closing signature/date starts
    warnings: list[str] | None = None


def read_metadata(blocks: list, first_heading: int | None, overview: str | None,
                  container_title: str | None, container: dict[str, str],
                  page: dict[str, str], last_heading: int | None) -> Metadata:
    """Title, agency, year and published date, body first, then container and page metadata.

    :param blocks: the Document's blocks (paragraph strings are read, tables skipped)
    :param first_heading: block index of the first section heading (the body starts there)
    :param overview: the text of section 一, for the year when title and period are silent
    :param container_title: ``Document.title``
    :param container: ``Document.metadata`` (``page_title``, ``publisher``, ``published_date``)
    :param page: the linking page's metadata (``title``, ``publisher``, ``published_date``)
    :param last_heading: block index of the last section heading (the closing comes after it)
    """
    meta = Metadata(warnings=[])
    paras = [(i, b) for i, b in enumerate(blocks) if isinstance(b, str) and b.strip()]
    before = [(i, b) for i, b in paras if first_heading is None or i < first_heading]
    head = before[:8]
    # The title is sought further: a CMS page printed to PDF puts its whole navigation (site
    # name, search box, menu, breadcrumb) above it, and a file re-saved by a stamping tool
    # loses the PDF's own title.
    titled = before[:20]

    # Title: a report-shaped line before section 一 (agency line above it joins), then the
    # container's and the linking page's titles.
    found: list[TitleMatch] = []
    agency_lines: list[str] = []  # a line naming only the agency, right above a body title
    for n, (_, line) in enumerate(titled):
        m = match_title(line)
        if not m:
            continue
        if n > 0 and looks_like_agency_line(titled[n - 1][1]):
            agency_lines.append(norm(titled[n - 1][1]))
        if m.agency is None and n > 0 and looks_like_agency_line(titled[n - 1][1]) \
                and re.match(r"^(\d{4}|关于)", m.title):
            agency = norm(titled[n - 1][1])
            m = TitleMatch(agency + m.title, agency, m.year)
        below = norm(titled[n + 1][1]) if n + 1 < len(titled) else ""
        if m.agency is None and re.fullmatch(r"\([^()]{3,40}\)", below) \
                and looks_like_agency_line(below[1:-1]) and not _SITE_ONLY.search(below[1:-1]):
            m = TitleMatch(m.title + below, below[1:-1], m.year)  # the title's line break
        found.append(m)
    others = [container_title, container.get("page_title"), page.get("title")]
    found += [m for m in map(match_title, others) if m]
    if found:
        # The most complete title wins (agency and year), the body's first among equals.
        meta.title_match = max(found, key=lambda m: (m.agency is not None) + (m.year is not None))
    if meta.title_match:
        meta.title = meta.title_match.title
    else:
        first_line = head[0][1].strip() if head else None
        short_first = first_line if first_line and len(norm(first_line)) <= 60 \
            and not norm(first_line).endswith("。") else None
        candidates = [t for t in others + [short_first] if t and t.strip()]
        meta.lookalike = any(is_lookalike_title(t) for t in candidates)
        meta.announces_report = any(_ANNOUNCES.search(norm(t)) and not _NOT_ANNOUNCING.search(norm(t))
                                    for t in candidates)
        # For display: the linking page's title before the file's own (PDF info titles are
        # often "Microsoft Word - 文档1.docx").
        shown = [t for t in [page.get("title"), container.get("page_title"), container_title,
                             short_first] if t and t.strip() and not _EDITOR_TITLE.match(t)]
        meta.title = norm(shown[0]) if shown else None

    # Closing signature and date (after the last heading): the first date line there ends the
    # report; what follows it (a 解读 article, the previous year's report on the same page) is
    # not the report's.
    after = [(i, b) for i, b in paras if last_heading is None or i > last_heading]
    chrome = next((i for i, b in after if is_page_chrome(b)), None)
    body = [(i, b) for i, b in after if chrome is None or i < chrome]
    first_date = next((n for n, (_, b) in enumerate(body) if may_close(b)), None)
    tail = body[max(0, first_date - 4):first_date + 1] if first_date is not None else body[-5:]
    start, sign_agency, date = closing([b for _, b in tail])
    if start is not None:
        meta.closing_block = tail[start][0]
    elif chrome is not None and last_heading is not None:
        meta.closing_block = chrome  # the page footer is not part of the last section

    # Agency: title, agency line, intro formula, signature, publisher metadata.
    intro_text = "\n".join(b for _, b in head)
    candidates = [meta.title_match.agency if meta.title_match else None]
    if not found and head and looks_like_agency_line(head[0][1]):
        agency_lines.append(norm(head[0][1]))  # 浑南区国资局 2022 starts with its name
    candidates += agency_lines
    field_publisher = _FIELD_PUBLISHER.search(intro_text)
    candidates += [intro_agency(intro_text), sign_agency,
                   container.get("publisher"), page.get("publisher"),
                   field_publisher.group(1) if field_publisher else None]
    names = [norm(a) for a in candidates if a and is_full_agency(a)]
    meta.agency = names[0] if names else None
    if meta.agency and _PLACE_ONLY.search(meta.agency):
        # A region-wide report titled by its place (长沙市岳麓区2022年…) and signed or published
        # by the government of that place: the full name is the signature's. The government's
        # 办公室/办公厅 signs and publishes for it: the report is still the government's (§7).
        place = meta.agency
        fuller = [_GOVERNMENT_OFFICE.sub("", a) if a.startswith(place) else a for a in names[1:]]
        meta.agency = next((a for a in fuller if a.startswith(place) and a != place), None) \
            or government_of(place)
    if meta.agency is None:
        # A page title naming the agency only after the report's title (…年度报告_某某局).
        meta.agency = next((a for a in map(title_suffix_agency, others) if a), None)

    # Year: title, statistics period, section 一's opening, the intro; publication − 1.
    full_text = "\n".join(b for _, b in paras)
    period = statistics_year(full_text)
    meta.stat_period = period is not None
    meta.prose_figures = _PROSE_FIGURES.search(full_text) is not None
    meta.year = (meta.title_match.year if meta.title_match else None) or period
    if meta.year is None and overview:
        meta.year = first_year(overview[:400])
    if meta.year is None:
        meta.year = first_year("\n".join(b for _, b in head if not match_title(b)))

    # Published date: the closing date, then container and page metadata.
    # The page's 发布日期 field may stand below a site's whole navigation (a CMS page printed to
    # PDF by a browser: 门户网站 | 首页 | 政务公开 … | 当前位置): look before section 一, not only
    # in its first lines.
    field_date = _FIELD_DATE.search(intro_text) or _FIELD_DATE.search("\n".join(
        b for i, b in paras[:40] if first_heading is None or i < first_heading))
    for candidate in (date, container.get("published_date"), page.get("published_date"),
                      field_date.group(1) if field_date else None):
        iso = parse_date(candidate, leading=candidate is not date) if candidate else None
        if iso:
            meta.published_date = iso
            break
    if meta.year is None and meta.published_date:
        pub = dt.date.fromisoformat(meta.published_date)
        if pub.month <= 6:
            meta.year = pub.year - 1
            meta.warnings.append(f"year: taken as publication year − 1 ({meta.published_date})")
    return meta
