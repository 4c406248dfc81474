"""Datasette plugin hooks of nianbao: a malformed request is the reader's mistake (400), not a
server error (500).

Loaded by ``corpus.serve.make_datasette`` (``plugins_dir``) with the other nianbao plugins.
Datasette 0.65 answers several hand-edited URLs with a 500 page (and a traceback in the
operator's log), which tells a reader the server broke and hides which argument was wrong::

    /corpus/reports?_sort=nosuchcolumn      Datasette: 500 "Cannot sort table by nosuchcolumn"
    /corpus/reports?_facet=%00              500 "the query contains a null character"
    /corpus/reports?_timelimit=abc          500 "invalid literal for int() …"
    /corpus/reports?_through=[1]            500 "'int' object is not subscriptable"
    /corpus/reports?_through={"table": "agencies", …}    500 "Invalid _through - could not find …"
    /corpus/cells?_next=abc                 500 "invalid literal for int() …"
    /corpus/reports?year__gt=1e30-as-digits 500 "Python int too large to convert to SQLite INTEGER"

Here each is a 400 whose message names the argument, in the page's own form (HTML, or JSON for
``.json``). Arguments that can be judged without the database (a NUL character, ``_timelimit``,
``_through``) are refused before Datasette runs (``asgi_wrapper``); the others are recognised
from the error they raise (``handle_exception``), and only when the request carries the argument
that causes it, so a genuine server error stays a 500.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Callable
from urllib.parse import parse_qsl

from datasette import hookimpl
from datasette.handle_exception import handle_exception as default_handle_exception
from datasette.utils.asgi import BadRequest, Request
from datasette.views.base import DatasetteError


def bad_argument(args: list[tuple[str, str]]) -> str | None:
    """Why these query arguments are malformed whatever the table (None: they are not).

    >>> bad_argument([("_timelimit", "abc")])
    '参数 _timelimit 应为整数（毫秒） — _timelimit must be a whole number of milliseconds'
    >>> bad_argument([("province", "四川省"), ("_through", '{"table": "t"}')]) is None
    False
    >>> bad_argument([("_size", "max")]) is None
    True
    """
    for key, value in args:
        if "\x00" in key or "\x00" in value:
            return f"参数 {key.replace(chr(0), '')} 含有空字符 — argument {key!r} contains a NUL character"
        if key == "_timelimit" and not value.strip().isdigit():
            return "参数 _timelimit 应为整数（毫秒） — _timelimit must be a whole number of milliseconds"
        if key == "_through" and not _through_ok(value):
            return ('参数 _through 应为 {"table": …, "column": …, "value": …} — _through must be a '
                    "JSON object with table, column and value")
    return None


def _through_ok(value: str) -> bool:
    try:
        through = json.loads(value)
    except ValueError:
        return False
    return isinstance(through, dict) and all(
        isinstance(through.get(k), (str, int, float)) for k in ("table", "column", "value"))


def bad_request_message(exception: BaseException, args: dict[str, str]) -> str | None:
    """The reader's mistake behind an error Datasette raised, or None for a server error."""
    said = str(getattr(exception, "message", ""))
    if isinstance(exception, DatasetteError) and said.startswith("Cannot sort table by"):
        column = args.get("_sort") or args.get("_sort_desc") or ""
        return f"没有可排序的列 {column!r} — cannot sort by {column!r}: no such sortable column"
    if isinstance(exception, DatasetteError) and said.startswith("Invalid _through"):
        return f"参数 _through 无效 — {said}"
    if isinstance(exception, OverflowError) and "SQLite INTEGER" in str(exception):
        return "数字过大 — a number in the query is too large (SQLite integers stop at 2⁶³−1)"
    if "_next" in args and isinstance(exception, (ValueError, TypeError, sqlite3.Error)):
        return ("参数 _next 不是本表的翻页位置 — _next is not a page cursor of this table "
                "(follow the page's own next link)")
    return None


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: BaseException) -> Any:
    message = bad_request_message(exception, {k: request.args.get(k) for k in request.args})
    if message is None:
        return None
    return default_handle_exception(datasette, request, BadRequest(message))


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    def wrap(app: Any) -> Any:
        async def checked(scope: dict, receive: Any, send: Any) -> None:
            if scope.get("type") == "http" and scope.get("query_string"):
                raw = scope["query_string"].decode("utf-8", "replace")
                message = bad_argument(parse_qsl(raw, keep_blank_values=True))
                if message is not None:
                    request = Request(scope, receive)
                    respond = default_handle_exception(datasette, request, BadRequest(message))
                    await (await respond()).asgi_send(send)
                    return
            await app(scope, receive, send)
        return checked
    return wrap
