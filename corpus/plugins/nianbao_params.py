"""Datasette plugin hook of nianbao: what a reader types into a canned query's boxes (and the
dashboard's agency box) is tidied before the SQL sees it.

Loaded by ``corpus.serve.make_datasette`` (``plugins_dir``) with the other nianbao plugins.

A journalist copies an agency's name from a report (``某县住房和城乡建设局（某县人民防空办公室）``,
with full-width brackets and a trailing space) or types ``四川`` for a province and ``2023年``
for a year. The corpus stores names as the parser writes them (NFKC: ASCII brackets and
digits), provinces by their full names (``四川省``) and years as numbers, so each of those found
nothing. :func:`tidy` rewrites the parameters of the canned queries of
``corpus/publish.py``, by name, in the request's query string — the form then shows what was
searched for:

- every parameter: surrounding whitespace (also the ideographic space) dropped, so a box
  holding only spaces means "any";
- ``agency``: NFKC and no whitespace inside (as the parser stores names);
- ``province``: NFKC, and a short name (四川, 内蒙古, 广西) becomes the full one (四川省 …);
- ``year``, ``report_id``: NFKC (full-width digits) without a trailing 年 / 年度;
- ``level``: lower case, and a Chinese level (县, 县级, 乡镇, 部门 …) as stored (county …).

- ``agency``, ``province`` and ``q``: traditional characters in simplified ones (申請 → 申请),
  as reports in traditional characters are stored (``parsers.hanzi``).

``q`` (全文搜索) is otherwise only trimmed: the texts keep the document's own widths (（一）).

    >>> tidy("agency", " 某县住房和城乡建设局（某县人民防空办公室） ")
    '某县住房和城乡建设局(某县人民防空办公室)'
    >>> tidy("province", "四川"), tidy("province", "广西"), tidy("year", "２０２３年")
    ('四川省', '广西壮族自治区', '2023')
    >>> tidy("agency", "廣州市敎育局"), tidy("province", "廣東"), tidy("q", "依申請公開")
    ('广州市教育局', '广东省', '依申请公开')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from corpus.regions import province_spellings
from parsers.hanzi import fold

DB_NAME = "corpus"
DASHBOARD_PATH = re.compile(r"^/-/dashboards/[^/]+(?:/[^/]+)?/?$")
_QUERY_PATH = re.compile(r"^/(?P<db>[^/]+)/(?P<name>[^/.]+)(?:\.(?:json|csv))?$")
# reports.level as a reader may write it in Chinese (corpus/regions.py LEVELS).
LEVEL_NAMES = {
    "中央": "central", "国家": "central", "国务院": "central",
    "省": "province", "省级": "province",
    "市": "prefecture", "市级": "prefecture", "地市": "prefecture", "地级": "prefecture",
    "县": "county", "县级": "county", "区县": "county", "县区": "county",
    "乡": "township", "镇": "township", "乡镇": "township", "乡级": "township",
    "街道": "township",
    "部门": "department", "局": "department", "委办局": "department",
}
def _strip(text: str) -> str:
    return text.strip().strip("\u3000").strip()


def tidy(name: str, value: str) -> str:
    """The value of canned-query parameter ``name`` as the corpus stores it (module doc)."""
    value = _strip(value)
    if not value:
        return ""
    if name in ("agency", "province", "q"):
        value = fold(value)
    if name in ("agency", "province", "year", "report_id"):
        value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if name == "province":
        return province_spellings().get(value, value)
    if name in ("year", "report_id"):
        return re.sub(r"年度?$", "", value)
    if name == "level":
        value = unicodedata.normalize("NFKC", value).lower()
        return LEVEL_NAMES.get(value, value)
    return value


@lru_cache(maxsize=1)
def _canned_queries() -> frozenset[str]:
    from corpus.publish import QUERIES

    return frozenset(QUERIES)


def tidied_args(path: str, args: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """``args`` with canned-query parameters tidied, or None when the request is not one of
    the corpus's canned queries or dashboards (or nothing changes)."""
    match = _QUERY_PATH.match(path)
    if match:
        if match["db"] != DB_NAME or match["name"] not in _canned_queries():
            return None
    elif not DASHBOARD_PATH.match(path):
        return None
    new = [(k, v if k.startswith("_") else tidy(k, v)) for k, v in args]
    return new if new != args else None


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    def wrap(app: Any) -> Any:
        async def tidied(scope: dict, receive: Any, send: Any) -> None:
            if scope.get("type") == "http" and scope.get("method") in ("GET", "HEAD"):
                raw = scope.get("query_string", b"").decode("utf-8", "replace")
                new = tidied_args(scope.get("path", ""), parse_qsl(raw, keep_blank_values=True)) \
                    if raw else None
                if new is not None:
                    scope = {**scope, "query_string": urlencode(new).encode("ascii")}
            await app(scope, receive, send)
        return tidied
    return wrap
