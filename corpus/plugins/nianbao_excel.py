"""Datasette plugin hooks of nianbao: a CSV that Excel opens right, one click from every table
and query page.

Loaded by ``corpus.serve.make_datasette`` (``plugins_dir``) with the other nianbao plugins.

Datasette's CSV is UTF-8 without a byte-order mark: pandas, R and Python's ``csv`` read it as
is, but a double-click in Excel (Chinese Windows: GBK) shows every Chinese character garbled.
This plugin adds an ``excel`` link beside ``json`` and ``CSV`` on table and query pages
("This data as json, excel, CSV"):

    /corpus/reports.excel?province=四川省        → the same rows as the CSV link, downloaded
                                                   as reports.csv with a UTF-8 BOM
    /corpus/agency_reports.excel?agency=教育局    → the canned query's rows, likewise

``asgi_wrapper`` answers ``.excel`` with Datasette's own CSV of the same page and arguments
(``_size=max`` as its CSV link; ``_stream=on`` passes through for every row), saved as a
download, with ``\\ufeff`` (EF BB BF) before the first byte. The plain ``.csv`` is unchanged.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from typing import Any, Callable
from urllib.parse import parse_qsl, quote, urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response

EXTENSION = "excel"
_PATH = re.compile(r"^(?P<stem>/[^?]*?)\.excel$")
BOM = codecs.BOM_UTF8


def csv_request(path: str, query_string: str) -> tuple[str, str, str] | None:
    """(CSV path, its query string, the file name to save) for an ``.excel`` request."""
    match = _PATH.match(path)
    if match is None:
        return None
    stem = match.group("stem")
    args = [(k, v) for k, v in parse_qsl(query_string, keep_blank_values=True)
            if k != "_dl"]
    if not any(k == "_size" for k, _ in args) and not any(k == "_stream" for k, _ in args):
        args.append(("_size", "max"))  # as Datasette's own CSV link: every row it may return
    args.append(("_dl", "1"))
    name = stem.rstrip("/").rsplit("/", 1)[-1] or "data"
    return f"{stem}.csv", urlencode(args), f"{name}.csv"


def _disposition(name: str) -> bytes:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return (f'attachment; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(name, safe='')}").encode("latin-1")


@hookimpl(trylast=True)  # the outermost wrapper: the others see the CSV request it becomes
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    def wrap(app: Any) -> Any:
        async def excel(scope: dict, receive: Any, send: Any) -> None:
            target = None
            if scope.get("type") == "http":
                target = csv_request(scope.get("path", ""),
                                     scope.get("query_string", b"").decode("latin-1"))
            if target is None:
                await app(scope, receive, send)
                return
            path, query, name = target
            raw_path = scope.get("raw_path") or b""  # percent-encoded as the client sent it
            raw_path = raw_path[:-len(".excel")] + b".csv" if raw_path.endswith(b".excel") \
                else path.encode("utf-8")
            scope = {**scope, "path": path, "raw_path": raw_path,
                     "query_string": query.encode("latin-1")}
            state = {"ok": False, "bom_sent": False}

            async def bom_send(message: dict) -> None:
                if message["type"] == "http.response.start":
                    state["ok"] = message["status"] == 200
                    if state["ok"]:
                        headers = [(k, v) for k, v in message.get("headers", [])
                                   if k.lower() not in (b"content-disposition",
                                                        b"content-length")]
                        headers.append((b"content-disposition", _disposition(name)))
                        message = {**message, "headers": headers}
                elif message["type"] == "http.response.body" and state["ok"] \
                        and not state["bom_sent"]:
                    state["bom_sent"] = True
                    message = {**message, "body": BOM + message.get("body", b"")}
                await send(message)

            await app(scope, receive, bom_send)

        return excel

    return wrap


def _render(columns: list[str], rows: list[Any]) -> Response:
    """The rows Datasette hands a renderer, as a BOM CSV (only reached without the wrapper)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([list(row) for row in rows])
    return Response(BOM + out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"content-disposition": "attachment"})


def _can_render(view_name: str) -> bool:
    # Tables and queries (Datasette 0.65's QueryView has no name); not a row (no CSV there).
    return view_name in ("table", "database", "")


@hookimpl
def register_output_renderer(datasette: Any) -> dict[str, Any]:
    return {"extension": EXTENSION, "render": _render, "can_render": _can_render}
