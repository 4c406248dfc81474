"""Datasette plugin hook of nianbao: a sorted table pages without losing or repeating rows.

Loaded by ``corpus.serve.make_datasette`` (``plugins_dir``) with the other nianbao plugins.

Datasette 0.65 orders the first page of ``?_sort=col`` (``?_sort_desc=col``) by the column
alone and every next page by (column, primary key), resuming after the last row's pair. Rows
that tie on the column come out of the first page in whatever order SQLite's plan reads them —
``idx_reports_year_desc`` read backwards gives ids descending — so the next page repeats some
and skips others: on the sample web's 21 reports, ``?_sort=province`` paged 4 at a time showed
9 of them, ``?_sort_desc=checks_passed`` 5.

:func:`asgi_wrapper` gives such a first page a cursor from before the first row, so that
Datasette runs it as it runs the next pages — ordered by (column, primary key), which every row
passes: ``$null`` then the smallest key for an ascending sort (NULLs come first), a text above
any stored value then the smallest key for a descending one. Views page by offset and are left
alone; so is the default order of a table (its own index keeps ties in key order).

    >>> first_page_cursor(desc=False, keys=1)
    '$null,-9223372036854775808'
"""

from __future__ import annotations

import re
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode

DB_NAME = "corpus"
_TABLE_PATH = re.compile(r"^/(?P<db>[^/]+)/(?P<table>[^/.]+)(?:\.(?:json|csv))?$")
SMALLEST_KEY = str(-2 ** 63)  # every integer key is above it
ABOVE_ANY_VALUE = "\U0010ffff" * 8  # text sorts above numbers, and this above any stored text


def first_page_cursor(desc: bool, keys: int) -> str:
    """The ``_next`` of a sorted first page: before every row in (column, key) order.

    :param desc: a descending sort
    :param keys: how many primary-key columns (1 for a rowid table)
    """
    start = tilde_encode(ABOVE_ANY_VALUE) if desc else "$null"
    return ",".join([start] + [SMALLEST_KEY] * max(keys, 1))


async def _key_count(datasette: Any, table: str) -> int | None:
    """Primary-key columns of a table of the corpus (0: rowid), None for a view or unknown."""
    db = datasette.get_database(DB_NAME)
    if table not in await db.table_names():
        return None
    return len(await db.primary_keys(table))


async def cursor_args(datasette: Any, path: str, args: list[tuple[str, str]]
                      ) -> list[tuple[str, str]] | None:
    """``args`` with a first-page cursor added, or None when the request needs none."""
    match = _TABLE_PATH.match(path)
    if not match or match["db"] != DB_NAME:
        return None
    given = dict(args)
    if given.get("_next") or not (given.get("_sort") or given.get("_sort_desc")):
        return None
    if given.get("_sort") and given.get("_sort_desc"):
        return None  # Datasette's own error
    keys = await _key_count(datasette, match["table"])
    if keys is None:
        return None
    cursor = first_page_cursor(desc=bool(given.get("_sort_desc")), keys=keys)
    return [(k, v) for k, v in args if k != "_next"] + [("_next", cursor)]


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    def wrap(app: Any) -> Any:
        async def paged(scope: dict, receive: Any, send: Any) -> None:
            if scope.get("type") == "http" and scope.get("method") in ("GET", "HEAD"):
                raw = scope.get("query_string", b"").decode("utf-8", "replace")
                new = await cursor_args(datasette, scope.get("path", ""),
                                        parse_qsl(raw, keep_blank_values=True)) \
                    if "_sort" in raw else None
                if new is not None:
                    scope = {**scope, "query_string": urlencode(new).encode("ascii")}
            await app(scope, receive, send)
        return paged
    return wrap
