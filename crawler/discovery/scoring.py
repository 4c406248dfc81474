"""Which links lead towards annual reports: keyword scores, report-title tests, URL hygiene.

The spider is focused, not breadth-first: every link gets a :class:`Score` from its anchor text,
title attribute, surrounding text and URL, and only links that lead towards reports are followed
(their score becomes the Scrapy request priority).

    >>> score_link("样例县2023年政府信息公开工作年度报告", "http://x.gov.cn/a/1.html").tier
    'report'
    >>> score_link("关于做好2023年政府信息公开工作年度报告编制工作的通知", "http://x.gov.cn/a/2.html").tier
    'drop'
    >>> score_link("政府信息公开年报", "http://x.gov.cn/zfxxgk/nb/").tier
    'column'
    >>> score_link("政务公开", "http://x.gov.cn/zwgk/").tier
    'platform'
    >>> canonical_url("http://x.gov.cn/a/;jsessionid=AB12?sid=9&page=2#top")
    'http://x.gov.cn/a/?page=2'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

# A report title: a disclosure phrase next to a report phrase (after removing whitespace).
REPORT_TITLE = re.compile(
    r"(政府信息公开|政务信息公开|政务公开|信息公开)(工作)?(的)?(年度报告|年报|工作报告|报告)"
    r"|(年度|年)(政府信息公开|政务公开|信息公开)(工作)?(年度)?报告"
    # the year inside the phrase: 政府信息公开工作2021年度报告, 政务公开二〇二三年度工作报告
    r"|(政府信息公开|政务信息公开|政务公开|信息公开)(工作)?((19|20)\d{2}|[〇零一二三四五六七八九○]{4})年度?(工作)?报告"
)
YEAR = re.compile(r"(19|20)\d{2}\s*年|[〇零一二三四五六七八九○]{4}\s*年|(19|20)\d{2}")
# Lookalikes that name the report but are not one (docs/format.md; issue text).
LOOKALIKE = re.compile(
    r"通知|编制|报送|模板|格式|样本|样式|样表|参考|要点|政府工作报告|统计公报|预算|决算|解读|图解|一图|图读|"
    r"问答|培训|会议|召开|部署|评估|考核|督查|督导|第三方|发布会|征求意见|正式发布|已发布|发布了|印发|目录|"
    r"填报|说明会|工作方案|实施方案|指南|制度|申请表|统计表模板|汇编说明|情况通报|整改|"
    r"我(县|市|区|局|委|镇|乡|省|办|厅|院)|的公告|的公示|更正说明|的说明|情况说明|新闻(?!办|出版)|报道|专题|亮点|成效"
)
COLUMN = re.compile(
    r"年报|年度报告|信息公开工作报告|公开报告|gknb|ndbg|xxgknb|zfxxgknb|nianbao|ndgzbg|gzndbg|"
    r"annual.?report|nbzl|xxgkndbg|zwgknb|ndgkbg", re.IGNORECASE)
# Another annual report a 年报 column (or the site) carries beside the disclosure reports — 法治政府建设
# 年度报告, 企业年度报告公示 (the market regulator's column of companies' reports), 统计年报, 社会责任报告 —
# named without the disclosure phrase: neither a report nor the 年报 column
OTHER_ANNUAL = re.compile(r"法治政府|法治建设|依法行政|企业(年度报告|年报)|(年度报告|年报)公示|统计年报|社会责任|"
                          r"环境信息|慈善")
DISCLOSURE = re.compile(r"(政府|政务)(信息)?公开|信息公开")
# a year's report named without the disclosure phrase, as 年报 lists shorten it (not 统计年报 …)
TRUNCATED = re.compile(r"(?:\.{2,}|…+|。。+)$")
NOTICE_START = re.compile(r"关于|转发|印发|《")
SHORT_REPORT = re.compile(r"(?<!统计)(?<!财务)(?<!审计)(?<!企业)(?<!决算)(?<!工作)(年度报告|年报)$|"
                          r"(年度报告|年报)[(（]?(19|20)\d{2}年?度?[)）]?$")
PLATFORM = re.compile(
    r"政府信息公开|政务公开|信息公开|公开目录|主动公开|法定主动|公开平台|政府公开|部门公开|部门信息|乡镇信息|"
    r"街道信息|xxgk|zfxxgk|zwgk|gkml|xxgkml|govinfo|govpublic|zfgk|gkzl|zdgk|fdzdgk|opengov", re.IGNORECASE)
# Navigation that names the platform's other columns: never the way to annual reports.
NAV_NEGATIVE = re.compile(
    r"要点|政府工作报告|统计公报|统计信息|统计数据|预决算|预算|决算|政策文件|政策解读|规范性文件|"
    # 人事 alone would drop 退役军人事务局 (军人+事务): only the personnel columns
    r"人事(?!务)|招聘|采购|招标|"
    r"新闻中心|新闻动态|新闻发布|图片|视频|领导|机构职能|指南|制度|依申请|申请公开|意见征集|征求意见|互动交流|"
    r"网上办事|办事服务|办事指南|便民服务|规划计划|重点领域|通知公告|公示公告|首页|网站地图|无障碍|English")
PAGINATION_TEXT = re.compile(r"^(下一?页|下页|尾页|末页|最后一?页|后页|next|>>?|»|›|\d{1,3})$", re.IGNORECASE)
PAGINATION_URL = re.compile(
    r"(index|list|default|more|page)_\d+\.s?html?$|[?&](page|pageno|pageindex|pagenum|p|pn|curpage|"
    r"currentpage|current|pageNo|pageIndex|pageNum)=\d+", re.IGNORECASE)
GENERIC_TEXT = re.compile(
    r"^(查看|详情|详细|下载|点击查看|点击下载|附件下载|全文|阅读全文|查看详情|查看全文|更多|more|>>|》》|"
    r"\.\.\.|…+|附件|原文|打开|浏览|在线浏览|详细信息|\[?更多\]?|更多>>|\+|"
    # a row's versions of one report: PDF版 | Word版 | [PDF] | 下载PDF | 电子版 (the title is in another cell)
    r"[\[【(（]?(?:点击)?(?:下载)?(?:pdf|word|wps|ofd|docx?|xlsx?|html|网页|电子|文字|图片|文本)"
    r"(?:版|格式|文件|文档|全文)?(?:下载)?[\]】)）]?)$", re.IGNORECASE)
YEAR_TAB = re.compile(r"((?:19|20)\d{2})(年度?)?")
SITEMAP_TEXT = re.compile(r"网站地图|站点地图|网站导航|sitemap|site\s*map", re.IGNORECASE)
SITEMAP_PATH = re.compile(r"/(wzdt|zddt|sitemap|site_?map)(/|\.\w+$|\.xml\.gz$|$)|sitemap[\w-]*\.xml(\.gz)?$",
                          re.IGNORECASE)
DATE_TEXT = re.compile(r"[\[(（【]?\d{2,4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?[\])）】]?")


def needs_context(text: str) -> bool:
    """A link text that says nothing (查看, 详情, a date): read the row around it."""
    t = normalize(text)
    return not t or bool(GENERIC_TEXT.match(t)) or bool(DATE_TEXT.fullmatch(t))


TRAP_QUERY = re.compile(r"(^|&)(month|date|day|week|calendar|rili|keyword|keywords|searchword|q|wd|"
                        r"callback|random|rnd|_)=", re.IGNORECASE)
DOWNLOAD_URL = re.compile(r"download|downfile|downloadfile|getfile|attach|fujian|/file[s]?/|[?&](file|fileid|"
                          r"attachid|attachmentid|fid)=", re.IGNORECASE)
TRAP_PATH = re.compile(r"calendar|rili|/search|search\.|login|logout|register|\.css$|\.js$|"
                       r"\.(mp4|mp3|avi|flv|zip|rar|exe|apk|ico|svg|woff2?)$", re.IGNORECASE)
# A report page's archive attachment: a ZIP is unpacked (reports.unpacked); a RAR or 7z is
# fetched all the same, so that it is recorded ("unsupported file type: RAR archive"), not dropped.
ARCHIVE = re.compile(r"\.(zip|rar|7z)$", re.IGNORECASE)
SESSION_PARAMS = {"jsessionid", "sid", "sessionid", "phpsessid", "aspsessionid", "session_id", "token",
                  "_t", "timestamp", "ts", "rnd", "random", "cachebuster"}
# a report page's link that says it is the attachment, whatever its URL
ATTACHMENT_TEXT = re.compile(r"^[\[【(（]?(附件\d{0,2}|附件下载|下载附件|点击下载|下载|原文下载|全文下载|附件[:：]?\d{0,2})"
                             r"[\]】)）]?[:：]?$")
PAGE_PATH = re.compile(r"(\.s?html?|/)$", re.IGNORECASE)
DOC_EXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|txt|rtf|ofd|jpe?g|png|gif|bmp|tiff?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Score:
    """What to do with one link: its tier, the request priority, and whether it is a document."""

    tier: str          # report | column | platform | pagination | sitemap | other | drop
    priority: int
    document: bool = False


def normalize(text: str) -> str:
    """NFKC, no whitespace: how titles are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def is_report_title(text: str) -> bool:
    """A title that names an annual report and is not a lookalike (cheap filter before fetching).

    >>> is_report_title("二〇二三年政务公开工作年度报告")
    True
    >>> is_report_title("2024年政务公开工作要点")
    False
    """
    t = normalize(text)
    # A year is required: "政府信息公开年报" without one names the column, not a report.
    return bool(REPORT_TITLE.search(t)) and not LOOKALIKE.search(t) and bool(YEAR.search(t))


def names_report(text: str) -> bool:
    """Names an annual report, with or without a year, and is no lookalike."""
    t = normalize(text)
    return bool(REPORT_TITLE.search(t)) and not LOOKALIKE.search(t)


def is_lookalike(text: str) -> bool:
    """Names the report but is about it (notice, template, interpretation, news …)."""
    t = normalize(text)
    return bool(REPORT_TITLE.search(t)) and bool(LOOKALIKE.search(t))


def url_filename(url: str) -> str:
    """The decoded last path segment, or a ``filename=`` query value (download scripts)."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in ("filename", "file", "fn", "name", "fileName") and "." in value:
            return unquote(value)
    return unquote(parts.path.rsplit("/", 1)[-1])


def is_document_url(url: str) -> bool:
    """Points at a file (PDF, Word, WPS, Excel, text, image), not an HTML page."""
    return bool(DOC_EXT.search(url_filename(url)))


def same_list(url: str, page_url: str | None) -> bool:
    """``url`` looks like another page of the list at ``page_url``: the same path once numbers are
    ignored and a trailing ``index``/``list`` file is dropped (``/nb/`` ~ ``/nb/index_2.html`` ~ ``/nb/?page=3``)."""
    if not page_url:
        return True
    def shape(u: str) -> tuple[str, str]:
        parts = urlsplit(u)
        path = re.sub(r"/(index|list|default|more|page)?(_\d+)?(\.s?html?)?$", "/", parts.path, flags=re.IGNORECASE)
        return parts.netloc.lower(), re.sub(r"\d+", "#", path)
    return shape(url) == shape(page_url)


def is_trap_url(url: str) -> bool:
    """A URL from an endless space: a path segment repeated (relative links that keep nesting,
    ``/rili/2024-01-02/2024-01-03/…``) or a path deeper than any real site's."""
    segs = [s for s in urlsplit(url).path.split("/") if s]
    if len(segs) > 14:
        return True
    shapes = [re.sub(r"\d+", "#", s) for s in segs]
    return any(shapes.count(sh) >= 2 and re.search(r"[^#]", sh) and re.search(r"#", sh)
               and any(a == b for a, b in zip(shapes, shapes[1:]) if a == sh) for sh in set(shapes)) \
        or any(shapes.count(sh) >= 3 and re.search(r"[^#]", sh) for sh in set(shapes))


def score_link(text: str, url: str, context: str = "", page_tier: str = "other",
               page_url: str | None = None) -> Score:
    """Score one link found on a page whose own tier is ``page_tier``.

    :param text: anchor text plus title attribute (and image alt text)
    :param url: the absolute URL
    :param context: text around a link whose own text is generic (查看, 详情, 更多 …)
    :param page_tier: tier of the page the link is on (pagination only counts on list pages)
    :param page_url: URL of that page: a link whose text is only a number is another page of the
        list only if its URL has the list's shape (not a calendar day, not an article number)
    """
    t = normalize(text)
    if needs_context(text):
        t = normalize(context)[:120] + t
    doc = is_document_url(url)
    fname = normalize(url_filename(url))
    parts = urlsplit(url)
    path_q = parts.path + ("?" + parts.query if parts.query else "")
    if is_report_title(t) or (doc and is_report_title(fname)):
        return Score("report", 100, doc)
    if is_lookalike(t) or (doc and is_lookalike(fname)):
        return Score("drop", 0, doc)
    if doc and (names_report(t) or names_report(fname)):
        return Score("report", 95, True)          # a file named like a report, year left out
    if OTHER_ANNUAL.search(t) and not DISCLOSURE.search(t):
        return Score("drop", 0, doc)              # 法治政府建设年度报告, 企业年度报告公示, 统计年报 …
    last = last_segment(url)
    if page_tier in ("column", "report") and TRUNCATED.search(t) and YEAR.search(t) and not LOOKALIKE.search(t) \
            and not NOTICE_START.match(t) and (page_tier == "column" or re.search(r"(政府|政务)(信息)?公开", t)):
        # "某县人民政府2023年政府信息公开工..." — a 年报 list cuts long titles: the page tells (the
        # parser decides)
        return Score("report", 95, doc)
    if page_tier in ("column", "report") and SHORT_REPORT.search(t) and YEAR.search(t) and not LOOKALIKE.search(t):
        # On a 年报 list an item may say only "教育局2023年度报告": a report (the parser decides)
        return Score("report", 95, doc)
    if COLUMN.search(t) and not doc:
        return Score("column", 80)
    if page_tier == "report" and ARCHIVE.search(parts.path) and not LOOKALIKE.search(t):
        # a report page's ZIP attachment (附件1.zip): it may hold the report (the spider unpacks
        # it); a RAR or 7z one is fetched to be recorded as unsupported
        return Score("document", 60, True)
    if TRAP_PATH.search(parts.path) or (parts.query and TRAP_QUERY.search(parts.query)) or is_trap_url(url):
        return Score("drop", 0, doc)
    year_tab = YEAR_TAB.fullmatch(t)
    if page_tier == "column" and year_tab and (doc or DOWNLOAD_URL.search(path_q)):
        # a 年报 column listing each year's report as a file that says only "2023年度": a report
        return Score("report", 95, True)
    if page_tier in ("column", "report") and year_tab and not doc and (year_tab.group(1) in path_q or not parts.query):
        # 2019 | 2020 | 2021 tabs of a 年报 column (?year=2021, /nb/2021/, or a sub-column of its
        # own, col_3021.html, whose list a script may draw; not ?d=15, a calendar's): each year a sub-column (a year's
        # report page reached so is still read as a report: its title says so). (A 年报 list
        # titled 政府信息公开年报 is read as a candidate too: its links are scored as a report page's.)
        return Score("column", 80)
    if page_tier != "column" and year_tab and COLUMN.search(normalize(context)) and not LOOKALIKE.search(
            normalize(context)):
        # "2023年" under a heading 政府信息公开年报 (a home page's box): that year's report — or its
        # sub-column; as a column, the page is a candidate anyway when its title names a report
        return Score("report", 95, True) if doc else Score("column", 80)
    if page_tier in ("column", "report") and (PAGINATION_URL.search(path_q) or (
            PAGINATION_TEXT.match(normalize(text))
            and (not normalize(text).isdigit() or same_list(url, page_url)))):
        return Score("pagination", 90, doc)
    if page_tier == "report" and ATTACHMENT_TEXT.match(normalize(text)) and not PAGE_PATH.search(parts.path):
        # "附件1" → /uploadfiles/2024/0120/8f3a9c2e: a storage path that says nothing, but the
        # report page's link says it is the attachment (its name only in Content-Disposition)
        return Score("document", 60, True)
    if doc or (page_tier == "report" and DOWNLOAD_URL.search(path_q)):
        # An attachment with an unhelpful name on a report page may still be the report.
        return Score("document" if page_tier == "report" else "drop", 60 if page_tier == "report" else 0, True)
    if COLUMN.search(last):
        return Score("column", 80)
    if SITEMAP_TEXT.fullmatch(t) or (not t and SITEMAP_PATH.search(parts.path)):
        # the site map (网站地图, sitemap.xml): a last way to a 年报 column no menu links
        return Score("sitemap", 20)
    if NAV_NEGATIVE.search(t):
        return Score("drop", 0)                   # the platform's other columns, site navigation
    if PLATFORM.search(t) or PLATFORM.search(last):
        return Score("platform", 50)
    return Score("other", 10)


# The disclosure platform's guide (政府信息公开指南): navigation, but some portals hang the 年报
# column only as a tab of the guide's page (公开指南 | 公开制度 | 公开年报)
GUIDE = re.compile(r"^(政府|政务|行政)?(信息)?公开指南$|^(政府|政务)信息公开(工作)?指南$")


def is_guide(text: str) -> bool:
    """The link to the 政府信息公开指南 (not 办事指南, not a guide's revision notice)."""
    return bool(GUIDE.match(normalize(text)))


def last_segment(url: str) -> str:
    """The last meaningful path segment (``/zwgk/ndbg/index.html`` → ``ndbg``) plus the query.

    Only this part of a URL names what the page is: everything under ``/zwgk/`` is not the
    platform itself, and an article under ``/ndbg/2024/`` is not the column.
    """
    parts = urlsplit(url)
    segs = [s for s in parts.path.split("/") if s]
    while segs and re.fullmatch(r"(index|default|list|main)(_\d+)?\.\w+", segs[-1], re.IGNORECASE):
        segs.pop()
    return (segs[-1] if segs else "") + ("?" + parts.query if parts.query else "")


def column_prefix(url: str) -> str | None:
    """The 年报 column directory an article's URL sits under, when a directory of its path names one
    (``/zwgk/zfxxgkndbg/202501/t20250120_9.html`` → ``/zwgk/zfxxgkndbg/``): a site map's bare
    ``<loc>`` says no more about a page than that. None otherwise.

    >>> column_prefix("http://a.gov.cn/zwgk/gknb/202401/t20240115_1.html"), column_prefix("http://a.gov.cn/art/2024/1.html")
    ('http://a.gov.cn/zwgk/gknb/', None)
    """
    parts = urlsplit(url)
    dirs = [s for s in parts.path.split("/")[:-1] if s]
    for i in range(len(dirs) - 1, -1, -1):
        if COLUMN.search(dirs[i]):
            return urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(dirs[:i + 1]) + "/", "", ""))
    return None


def canonical_url(url: str) -> str:
    """Drop fragments, session ids and cache busters, so one page has one URL.

    Session ids in the path (``;jsessionid=…``) and in the query make endless URL spaces.
    """
    parts = urlsplit(url)
    path = re.sub(r";(jsessionid|sid|sessionid|phpsessid)=[^/?#]*", "", parts.path, flags=re.IGNORECASE)
    path = re.sub(r"/\((?:[A-Z]\([\w-]{8,}\))+\)(?=/)", "", path)   # ASP.NET cookieless: /(S(x1y2…))/
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(k.lower() in SESSION_PARAMS for k, _ in pairs):
        # Rebuild only when something is dropped: re-encoding could alter a GBK-encoded value.
        query = "&".join(p for p in query.split("&") if p.split("=", 1)[0].lower() not in SESSION_PARAMS)
    host = (parts.hostname or "").lower()
    netloc = host + (f":{parts.port}" if parts.port and parts.port not in (80, 443) else "")
    return urlunsplit((parts.scheme.lower(), netloc, path or "/", query, ""))
