"""Datasette plugin hooks of nianbao: the archived raw copies and links to sources.

Loaded by ``corpus.serve.make_datasette`` (``plugins_dir``), never installed globally:

- ``/-/raw/<sha256>`` serves the stored bytes of a document with their content type. The
  response is sandboxed (``Content-Security-Policy: sandbox``) because the bytes are somebody
  else's HTML and must not run scripts on this origin.
- URL columns (``source_url``, ``page_url``, ``url``, ``raw_url``) render as links, so every
  figure can be followed to where it came from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from corpus.rawstore import read_raw  # the nianbao package is installed with its plugins

DB_NAME = "corpus"
_SHA = re.compile(r"^[0-9a-f]{64}$")
LINK_COLUMNS = {"source_url", "page_url", "url", "annual_report_url"}


def _raw_dir(datasette: Any) -> Path | None:
    config = datasette.plugin_config("nianbao") or {}
    return Path(config["raw_dir"]) if config.get("raw_dir") else None


async def serve_raw(datasette: Any, request: Any) -> Response:
    """The archived bytes of one document, by SHA-256."""
    sha = request.url_vars["sha256"]
    if not _SHA.match(sha):
        return Response.text("not a sha256", status=404)
    db = datasette.get_database(DB_NAME)
    row = (await db.execute("SELECT raw_path, content_type FROM documents WHERE sha256 = ?",
                            [sha])).first()
    if row is None:
        return Response.text("no such document", status=404)
    raw_dir = _raw_dir(datasette)
    # A loose file or a slice of a pack (corpus.rawstore), checked against the hash.
    data = read_raw(Path(db.path).parent, row["raw_path"], sha,
                    raw_dirs=[raw_dir] if raw_dir is not None else [])
    if data is None:
        return Response.text("raw copy not kept on this server", status=404)
    return Response(data, status=200, content_type=row["content_type"]
                    or "application/octet-stream",
                    headers={"Content-Security-Policy": "sandbox",
                             "X-Content-Type-Options": "nosniff",
                             "Content-Disposition": f'inline; filename="{sha}"'})


async def to_corpus(request: Any) -> Response:
    """``/<file name>/…`` → ``/corpus/…``: the corpus is always published as ``corpus``, while
    plain Datasette names a database after its file (``nianbao.db`` → ``/nianbao``)."""
    query = request.query_string
    return Response.redirect(f"/{DB_NAME}{request.url_vars['rest']}" + (f"?{query}" if query else ""))


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    routes = [(r"^/-/raw/(?P<sha256>[0-9a-f]{64})$", serve_raw)]
    stem = (datasette.plugin_config("nianbao") or {}).get("file_stem")
    if stem and stem != DB_NAME and re.fullmatch(r"[\w.-]+", stem) and not stem.startswith("-"):
        routes.append((rf"^/{re.escape(stem)}(?P<rest>(?:\.json|/.*)?)$", to_corpus))
    return routes


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Markup | None:
    if not isinstance(value, str) or not value:
        return None
    if column in LINK_COLUMNS and value.startswith(("http://", "https://")):
        return Markup(f'<a href="{escape(value)}" rel="nofollow noopener" '
                      f'target="_blank">{escape(value)}</a>')
    if column == "raw_url" and value.startswith("/-/raw/"):
        return Markup(f'<a href="{escape(datasette.urls.path(value))}">存档原文 archived copy</a>')
    return None
