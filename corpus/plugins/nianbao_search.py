"""Datasette plugin hooks of nianbao: table searches and counts that stay fast on a big corpus.

Loaded by ``corpus.serve.make_datasette`` (``plugins_dir``) with ``nianbao_datasette.py``.

Datasette's own ``?_search=`` puts ``id IN (SELECT rowid FROM fts WHERE fts MATCH …)`` into the
page query, the count and every facet. For a word every report contains (政府信息公开, 年度报告)
each of those seven queries then reads and sorts every report: seconds on a large corpus. Here the
search of a table listed in :data:`SEARCHES` is built by :func:`filters_from_request` instead
(Datasette leaves these tables alone because their FTS indexes are declared
``content='reports'`` / ``content='agencies'``, see migration 008 in ``corpus/schema.py``):

1. Words of three characters or more are phrases of the trigram FTS index (reports: title,
   agency and full text; agencies: name); shorter words, which a trigram index cannot find,
   match the agency's name (``北京``, ``东区``).
2. The index's matches are first counted up to :data:`EXACT_UP_TO` (cheap: the index stops
   there). Up to that many, the page, its count and its facets are exact.
3. Beyond it the search is *broad*: the page still shows the matching reports in its order
   (reading the sort index and keeping matches, so it stops after one page), but
   :func:`asgi_wrapper` asks Datasette not to count them or facet them, and the page says
   "more than 20,000". Filters (year, province …) and the search_texts query still narrow it.
   When most rows of the page's order match (a word in every report), the first page asks the
   index row by row instead of collecting every match first (:func:`_dense_in_page_order`).

:func:`asgi_wrapper` also skips the row count of the tables in :data:`NO_UNFILTERED_COUNT`
when no filter narrows them (full scans of millions of rows; the default facets of a whole
table come from ``facet_counts``, the nianbao_facets plugin), and counts the views of :data:`COUNT_ONLY_FILTERED_BY` only when a filter
on one of their cheap columns narrows them (``cells?report_id=…``: a report's ~200 cells; a
count of ``cells?key=…`` reads that key's column in every report).

    >>> search_terms('依申请公开 北京 "年度 报告"')
    ['依申请公开', '北京', '年度 报告']
    >>> fts_phrase('a"b')
    '"a""b"'
"""


import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import urlsafe_components
from datasette.utils.asgi import BadRequest

from parsers.hanzi import fold

DB_NAME = "corpus"
EXACT_UP_TO = 20_000  # matches counted and faceted exactly; more is "broad"
SAMPLE = 200  # rows where a broad search's page starts, asked one by one (~20 ms)
TRIGRAM = 3  # a trigram index finds words of at least this many characters


@dataclass(frozen=True)
class Search:
    """How ``?_search=`` works on one table.

    :param fts_table: FTS5 index whose rowid is the table's ``pk``
    :param columns: its columns (``?_search_<column>=`` searches one)
    :param short_word_column: a word too short for the index matches rows whose
        ``short_word_column`` is IN ``short_word_values`` (SQL; ``:word`` is the word)
    :param short_word_label: how the page describes that condition
    """
    fts_table: str
    columns: tuple[str, ...]
    pk: str = "id"
    short_word_column: str | None = None
    short_word_values: str = ""
    short_word_label: str = ""


SEARCHES: dict[str, Search] = {
    "reports": Search(
        fts_table="reports_fts", columns=("title", "agency", "full_text"),
        short_word_column="agency_id",
        short_word_values="SELECT id FROM agencies WHERE instr(name, :word) > 0",
        short_word_label="agency name contains"),
    "agencies": Search(
        fts_table="agencies_fts", columns=("name",), short_word_column="id",
        short_word_values="SELECT id FROM agencies WHERE instr(name, :word) > 0",
        short_word_label="name contains"),
}
NO_UNFILTERED_COUNT = {"cell_values", "cell_notes", "reports_wide"}
COUNT_ONLY_FILTERED_BY = {"cells": ("report_id",)}

_TERMS = re.compile(r'"([^"]*)"|(\S+)')
_TABLE_PATH = re.compile(r"^/(?P<db>[^/]+)/(?P<table>[^/.]+)(?:\.(?:json|csv))?$")


def search_terms(text: str) -> list[str]:
    """Words and "quoted phrases" of a search box, in order (empty ones dropped)."""
    return [m.group(1) if m.group(1) is not None else m.group(2)
            for m in _TERMS.finditer(text) if (m.group(1) or m.group(2) or "").strip()]


def fts_phrase(term: str) -> str:
    """``term`` as one FTS5 phrase (double quotes doubled): no FTS syntax gets through."""
    return '"' + term.replace('"', '""') + '"'


_WIDE = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}  # ASCII → full width (！ … ～)


def width_variants(term: str) -> list[str]:
    """``term`` as typed, with ASCII letters, digits and signs (NFKC), and with them full width;
    then the same in simplified characters when the term is written in traditional ones.

    Texts keep the document's characters: a report prints ＰＤＦ or ２０２２件 or (一) where the
    reader types PDF, 2022件 or （一）. A reader in Hong Kong or Taiwan types 申請 where the
    corpus holds 申请 (reports in traditional characters are stored folded to simplified,
    ``parsers.hanzi``; a simplified report may still quote 臺灣). Each spelling is searched.

    >>> width_variants("PDF"), width_variants("（一）")
    (['PDF', 'ＰＤＦ'], ['（一）', '(一)'])
    >>> width_variants("依申請公開")
    ['依申請公開', '依申请公开']
    """
    out: list[str] = []
    for spelling in dict.fromkeys((term, fold(term))):
        narrow = unicodedata.normalize("NFKC", spelling)
        for variant in (spelling, narrow, narrow.translate(_WIDE)):
            if variant not in out:
                out.append(variant)
    return out


def fts_term(term: str) -> str:
    """One search word as FTS5: its :func:`width_variants` as phrases, ORed."""
    phrases = [fts_phrase(v) for v in width_variants(term)]
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


@dataclass
class PlannedSearch:
    """What a search request becomes: its FTS expression (None when it has only short words),
    its words too short for the index, and how the page describes it."""
    fts_expr: str | None
    short_words: list[str]
    description: str


def plan_search(spec: Search, args: dict[str, str], raw: bool) -> PlannedSearch | None:
    """The search of ``?_search=`` / ``?_search_<column>=`` arguments, or None without one.

    :param raw: ``_searchmode=raw``: ``_search`` is FTS5 syntax, passed on as it is
    """
    parts, short, said = [], [], []
    for key, text in args.items():
        if not text.strip():
            continue
        column = key[len("_search_"):] if key.startswith("_search_") else None
        if column is not None and column not in spec.columns:
            raise BadRequest(f"Cannot search by that column: {column}")
        if raw and column is None:
            parts.append(f"({text})")
            said.append(f'search matches "{text}"')
            continue
        for term in search_terms(text):
            if len(term.strip()) >= TRIGRAM:
                parts.append(f"{column} : {fts_term(term)}" if column else fts_term(term))
            elif spec.short_word_column and column is None:
                # names are stored NFKC, in simplified characters
                short.append(fold(unicodedata.normalize("NFKC", term.strip())))
            # a short word in one FTS column cannot be found by a trigram index: it is dropped
        said.append(f'search {"column " + repr(column) + " " if column else ""}matches "{text}"')
    if not parts and not short:
        return None
    return PlannedSearch(" AND ".join(parts) or None, short, "; ".join(said))


async def count_up_to(db: Any, sql: str, params: dict[str, Any], limit: int) -> int:
    """How many rows ``sql`` returns, counting no further than ``limit``."""
    try:
        return (await db.execute(f"SELECT count(*) FROM ({sql} LIMIT :nianbao_limit)",
                                 {**params, "nianbao_limit": limit})).single_value()
    except Exception as exc:  # a raw FTS5 expression with a syntax error
        raise BadRequest(f"Search expression not understood: {exc}") from None


def _search_args(args: Any) -> dict[str, str]:
    return {k: args.get(k) for k in args if k.startswith("_search") and k != "_searchmode"}


def _raw_mode(args: Any) -> bool:
    return args.get("_searchmode") == "raw"


def exact_up_to(datasette: Any) -> int:
    """:data:`EXACT_UP_TO`, or the ``search_exact_up_to`` of the ``nianbao`` plugin config."""
    config = datasette.plugin_config("nianbao") or {}
    return int(config.get("search_exact_up_to") or EXACT_UP_TO)


@dataclass
class SearchClauses:
    """The WHERE clauses of a search, their parameters, what the page says, and whether it is
    broad (every part matches more than :func:`exact_up_to` rows)."""
    clauses: list[str]
    params: dict[str, Any]
    said: list[str]
    broad: bool


async def search_clauses(datasette: Any, table: str, args: Any,
                         for_page: bool = True) -> SearchClauses | None:
    """The clauses of the table search in ``args`` (None without a search).

    :param for_page: choose the clauses the page will run (else only ``broad`` is wanted)

    Each part (the FTS expression, each short word) is counted up to :func:`exact_up_to`. A
    part with few matches is written so that SQLite looks its rows up by key; a part with many
    gets a ``+`` so that SQLite does not (it would look up and sort every match) and instead
    walks the page's sort index, keeping matching rows: one page costs about a page.
    """
    spec = SEARCHES.get(table)
    planned = plan_search(spec, _search_args(args), _raw_mode(args)) if spec else None
    if planned is None:
        return None
    db, limit = datasette.get_database(DB_NAME), exact_up_to(datasette)
    parts: list[tuple[str, str, dict[str, Any]]] = []  # (column, values SQL, params)
    if planned.fts_expr is not None:
        parts.append((spec.pk, f"SELECT rowid FROM {spec.fts_table} WHERE {spec.fts_table} "
                               "MATCH :nianbao_search", {"nianbao_search": planned.fts_expr}))
    for i, word in enumerate(planned.short_words):
        parts.append((spec.short_word_column,
                      spec.short_word_values.replace(":word", f":nianbao_word{i}"),
                      {f"nianbao_word{i}": word}))
    clauses, params, broad_parts = [], {}, []
    for column, values, part_params in parts:
        # The FTS index alone is counted (it stops at the limit); a short word through the table.
        probe = values if column == spec.pk else \
            f"SELECT 1 FROM {table} WHERE {column} IN ({values})"
        broad = await count_up_to(db, probe, part_params, limit + 1) > limit
        broad_parts.append(broad)
        clauses.append(f"{'+' if broad else ''}{column} IN ({values})")
        params.update(part_params)
    broad = all(broad_parts)
    said = [planned.description] + [f'{spec.short_word_label} "{w}"' for w in planned.short_words]
    if broad:
        said[-1] += (f" (more than {limit:,} matches — not counted, no facets; add a filter to "
                     "narrow them)")
        if for_page and not planned.short_words and \
                await _dense_in_page_order(datasette, table, args):
            clauses = [_probe_clause(spec, table)]
    return SearchClauses(clauses, params, said, broad)


def _probe_clause(spec: Search, table: str) -> str:
    """The FTS match of one row, asked row by row (about 0.1 ms each)."""
    return (f"EXISTS (SELECT 1 FROM {spec.fts_table} WHERE {spec.fts_table} MATCH "
            f":nianbao_search AND rowid = {table}.{spec.pk})")


async def _dense_in_page_order(datasette: Any, table: str, args: Any) -> bool:
    """Whether a page of a broad search is cheaper to find row by row.

    "+id IN (…)" still collects every match of the FTS index once per page: on long texts and
    a million reports that is seconds for a word in every report. Asking each row in the page's
    order instead costs ~0.1 ms a row, so it wins when most rows match. That is measured, not
    assumed: the :data:`SAMPLE` rows the page would start from are asked, and at least half
    must match. Not with another filter (the sample would not be the page's rows), nor for a
    next page whose cursor is not a plain (sort value, id) pair.
    """
    keys = set(args)
    if any(not k.startswith("_") or k in ("_where", "_through") for k in keys):
        return False
    spec = SEARCHES[table]
    db = datasette.get_database(DB_NAME)
    meta = datasette.table_metadata(DB_NAME, table)
    sort, sort_desc = args.get("_sort"), args.get("_sort_desc")
    if not sort and not sort_desc:
        sort, sort_desc = meta.get("sort"), meta.get("sort_desc")
    column = sort_desc or sort or spec.pk
    # The sample must be as cheap as the page: read in an index's order, not sorted.
    indexed = column == spec.pk or (await db.execute(
        "SELECT 1 FROM pragma_index_list(:t) l, pragma_index_info(l.name) i "
        "WHERE i.seqno = 0 AND i.name = :c LIMIT 1", {"t": table, "c": column})).first()
    if not indexed:
        return False
    order = f'"{column}"{" DESC" if sort_desc else ""}, "{spec.pk}"'
    params = {"nianbao_search": plan_search(spec, _search_args(args), _raw_mode(args)).fts_expr}
    after = ""
    if "_next" in keys:  # Datasette's cursor: "<sort value>,<id>" (or "<id>" unsorted)
        parts = urlsafe_components(args.get("_next") or "")
        if column == spec.pk and len(parts) == 1:
            after, params["nianbao_after"] = f'WHERE "{spec.pk}" > :nianbao_after', parts[0]
        elif column != spec.pk and len(parts) == 2 and parts[0] != "$null":
            op = "<" if sort_desc else ">"
            after = (f'WHERE ("{column}" {op} :nianbao_value OR ("{column}" = :nianbao_value '
                     f'AND "{spec.pk}" > :nianbao_after))')
            params.update(nianbao_value=parts[0], nianbao_after=parts[1])
        else:
            return False
    sample = f'SELECT {spec.pk} FROM "{table}" {after} ORDER BY {order} LIMIT {SAMPLE}'
    matching = await count_up_to(
        db, f"SELECT 1 FROM ({sample}) AS {table} WHERE {_probe_clause(spec, table)}",
        params, SAMPLE)
    return matching * 2 >= SAMPLE


@hookimpl(trylast=True)  # after Datasette's own hook, so "supports_search" is ours
def filters_from_request(request: Any, database: str, table: str,
                         datasette: Any) -> Callable[[], Awaitable[FilterArguments]] | None:
    if database != DB_NAME or table not in SEARCHES:
        return None

    async def inner() -> FilterArguments:
        context: dict[str, Any] = {"supports_search": True}
        search = await search_clauses(datasette, table, request.args)
        if search is None:
            return FilterArguments([], extra_context=context)
        context["search"] = request.args.get("_search") or next(
            iter(_search_args(request.args).values()), "")
        return FilterArguments(search.clauses, search.params, search.said, context)

    return inner


def _has_filters(args: list[tuple[str, str]]) -> bool:
    """Whether a table request narrows the rows (a column filter, a search, a where)."""
    return any(not k.startswith("_") or k.startswith(("_search", "_where", "_through"))
               for k, v in args if v != "")


async def limits_for(datasette: Any, path: str, args: list[tuple[str, str]]) -> dict[str, str]:
    """Arguments to add to a table request so that it stays bounded (see the module doc)."""
    match = _TABLE_PATH.match(path)
    if not match or match["db"] != DB_NAME:
        return {}
    table, names = match["table"], {k for k, _ in args}
    add: dict[str, str] = {}
    if table in SEARCHES and any(k.startswith("_search") for k in names):
        try:
            search = await search_clauses(datasette, table, dict(args), for_page=False)
        except BadRequest:
            return {}  # the table view reports the bad expression itself
        if search is not None and search.broad:
            add = {"_nocount": "1", "_nofacet": "1"}
    elif table in COUNT_ONLY_FILTERED_BY:
        cheap = COUNT_ONLY_FILTERED_BY[table]
        if not any(k.split("__", 1)[0] in cheap for k, v in args if v != ""):
            add["_nocount"] = "1"
    elif not _has_filters(args):
        if table in NO_UNFILTERED_COUNT:
            add["_nocount"] = "1"
    return {k: v for k, v in add.items() if k not in names}


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    def wrap(app: Any) -> Any:
        async def bounded(scope: dict, receive: Any, send: Any) -> None:
            if scope.get("type") == "http" and scope.get("method") in ("GET", "HEAD"):
                args = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"),
                                 keep_blank_values=True)
                extra = await limits_for(datasette, scope.get("path", ""), args)
                if extra:
                    query = urlencode(args + list(extra.items()))
                    scope = {**scope, "query_string": query.encode("ascii")}
            await app(scope, receive, send)
        return bounded
    return wrap
