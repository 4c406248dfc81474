"""Datasette plugin hooks of nianbao: the archived raw copies and links to sources.

Loaded by ``corpus.serve.make_datasette`` (``plugins_dir``), never installed globally:

- ``/-/raw/<sha256>`` serves the stored bytes of a document with their content type. The
  response is sandboxed (``Content-Security-Policy: sandbox``; not a PDF, which Chrome then
  will not show) because the bytes are somebody else's HTML and must not run scripts on this
  origin. A generic type the server sent (``application/octet-stream``) becomes the
  document's; a text type carries the charset the bytes are really in; the browser saves it
  under the report's title with its extension.
- URL columns (``source_url``, ``page_url``, ``url``, ``raw_url``) render as links, so every
  figure can be followed to where it came from; in the results of a query, ``report_id`` and
  ``agency_id`` link to the report's and the agency's page, and so do ``year`` and ``agency``
  beside them (what a reader clicks first); an agency's name in the agencies table links to
  its page.
- ``/-/nianbao.css`` (on every page): nothing wider than a phone's screen pushes the page
  sideways — a canned query's SQL scrolls inside its own box, the SQL editor and long
  addresses fit the width.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from corpus.rawstore import read_raw  # the nianbao package is installed with its plugins
from corpus.schema import VIEWS

DB_NAME = "corpus"
_SHA = re.compile(r"^[0-9a-f]{64}$")
LINK_COLUMNS = {"source_url", "page_url", "url", "annual_report_url"}
ID_LINKS = {"report_id": "reports", "agency_id": "agencies"}  # in query results and views
VIEW_NAMES = {*VIEWS, "reports_wide"}


def _raw_dir(datasette: Any) -> Path | None:
    config = datasette.plugin_config("nianbao") or {}
    return Path(config["raw_dir"]) if config.get("raw_dir") else None


# A document's type (documents.document_type) → (extension, content type when the server sent
# none or a generic one). Servers often send application/octet-stream for DOC, WPS and XLS.
_TYPES = {
    "pdf": ("pdf", "application/pdf"), "doc": ("doc", "application/msword"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "wps": ("wps", "application/vnd.ms-works"), "et": ("et", "application/vnd.ms-excel"),
    "xls": ("xls", "application/vnd.ms-excel"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": ("html", "text/html"), "txt": ("txt", "text/plain"), "rtf": ("rtf", "application/rtf"),
    "image": ("", ""),
}
_GENERIC = {"", "application/octet-stream", "binary/octet-stream", "application/x-download",
            "application/force-download", "application/download", "application/unknown",
            "application/x-msdownload"}
# Python codec names → the labels browsers know (WHATWG Encoding).
_BROWSER_CHARSET = {"utf-16-le": "utf-16le", "utf-16-be": "utf-16be"}
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def content_type_for(stored: str | None, document_type: str | None, data: bytes) -> str:
    """The Content-Type a browser needs for an archived copy.

    The stored type is the server's: generic ones (``application/octet-stream``), and a text
    label on what the parser read as a PDF, DOC, XLS …, are replaced by the document's type;
    a text type gets the charset its bytes are really in (a GBK page sent without one, or as
    ISO-8859-1 by a default Tomcat, is otherwise garbled), found as the parsers find it
    (``parsers.encoding.decode_bytes``).
    """
    from parsers.encoding import charset_from_content_type, charset_from_meta, decode_bytes

    mime = (stored or "").split(";", 1)[0].strip().lower()
    expected = _TYPES.get(document_type or "", ("", ""))[1]
    # A download script (downfile.jsp …) often labels a PDF or DOC text/html: the parser read
    # the bytes as that document, so its type wins over a text label.
    if mime in _GENERIC or (mime.startswith("text/") and expected
                            and not expected.startswith("text/")):
        mime = expected or "application/octet-stream"
    if not mime.startswith("text/"):
        return mime
    declared = [charset_from_content_type(stored)]
    if mime == "text/html":
        declared.append(charset_from_meta(data))
    codec = decode_bytes(data, declared)[1]
    return f"{mime}; charset={_BROWSER_CHARSET.get(codec, codec)}"


def download_name(title: str | None, sha: str, document_type: str | None,
                  content_type: str) -> tuple[str, str]:
    """(ASCII file name, UTF-8 file name) a browser saves an archived copy under: the report's
    title with the document's extension (``样例市人民政府2023年政府信息公开年报.pdf``)."""
    ext = _TYPES.get(document_type or "", (document_type or "", ""))[0]
    if not re.fullmatch(r"[a-z0-9]{1,5}", ext or ""):
        guessed = mimetypes.guess_extension(content_type.split(";", 1)[0]) or ""
        ext = guessed.lstrip(".")
    suffix = f".{ext}" if ext else ""
    stem = _UNSAFE_NAME.sub(" ", title or "").strip(" .")[:80] or sha
    return f"nianbao-{sha[:16]}{suffix}", stem + suffix


async def serve_raw(datasette: Any, request: Any) -> Response:
    """The archived bytes of one document, by SHA-256."""
    sha = request.url_vars["sha256"]
    if not _SHA.match(sha):
        return Response.text("not a sha256", status=404)
    db = datasette.get_database(DB_NAME)
    row = (await db.execute(
        "SELECT d.raw_path, d.content_type, d.document_type, d.url, "
        "(SELECT r.title FROM reports r WHERE r.document_sha256 = d.sha256 LIMIT 1) AS title "
        "FROM documents d WHERE d.sha256 = ?", [sha])).first()
    if row is None:
        return Response.text("no such document 无此文档", status=404)
    raw_dir = _raw_dir(datasette)
    # A loose file or a slice of a pack (corpus.rawstore), checked against the hash.
    data = read_raw(Path(db.path).parent, row["raw_path"], sha,
                    raw_dirs=[raw_dir] if raw_dir is not None else [])
    if data is None:
        return Response.text("存档原文不在本服务器 the archived copy is not kept on this server; "
                             f"original 原文: {row['url']}", status=404)
    content_type = content_type_for(row["content_type"], row["document_type"], data)
    ascii_name, name = download_name(row["title"], sha, row["document_type"], content_type)
    headers = {"X-Content-Type-Options": "nosniff",
               "Content-Disposition": f'inline; filename="{ascii_name}"; '
                                      f"filename*=UTF-8''{quote(name, safe='')}"}
    if not content_type.startswith("application/pdf"):
        # Chrome's PDF viewer is blocked in a sandboxed document (a grey page; Chromium
        # issue 413851), and a PDF runs no script of this origin: only other types are boxed.
        headers["Content-Security-Policy"] = "sandbox"
    return Response(data, status=200, content_type=content_type, headers=headers)


async def to_corpus(request: Any) -> Response:
    """``/<file name>/…`` → ``/corpus/…``: the corpus is always published as ``corpus``, while
    plain Datasette names a database after its file (``nianbao.db`` → ``/nianbao``)."""
    query = request.query_string
    return Response.redirect(f"/{DB_NAME}{request.url_vars['rest']}" + (f"?{query}" if query else ""))


# Datasette's own CSS lets a canned query's SQL (<pre>, lines of 100 characters) and the SQL
# editor set the page's width: on a 390-pixel phone the whole page then scrolls sideways. And it
# lists every column's description above the rows: the reports table's 47 put its rows three
# screens down, so the list scrolls in its own box of a few lines.
CSS = """
pre { overflow-x: auto; max-width: 100%; }
dl.column-descriptions { max-height: 9.5em; overflow-y: auto; border: 1px solid #ddd;
  padding: 0.2em 0.6em; }
textarea, .CodeMirror { max-width: 100%; box-sizing: border-box; }
.metadata-description, .nianbao-report, .nianbao-agency { overflow-wrap: anywhere; }
@media only screen and (max-width: 576px) {
  td, dd, p, li { overflow-wrap: anywhere; }  /* URLs, hashes, long column lists */
  label { overflow-wrap: normal; }
  form.sql pre { max-height: 12em; overflow-y: auto; }
}
"""


async def serve_css(request: Any) -> Response:
    return Response(CSS, content_type="text/css; charset=utf-8",
                    headers={"Cache-Control": "max-age=300"})


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path("/-/nianbao.css")]


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    routes = [(r"^/-/raw/(?P<sha256>[0-9a-f]{64})$", serve_raw),
              (r"^/-/nianbao\.css$", serve_css)]
    stem = (datasette.plugin_config("nianbao") or {}).get("file_stem")
    if stem and stem != DB_NAME and re.fullmatch(r"[\w.-]+", stem) and not stem.startswith("-"):
        routes.append((rf"^/{re.escape(stem)}(?P<rest>(?:\.json|/.*)?)$", to_corpus))
    return routes


def _int_of(row: Any, column: str) -> int | None:
    """``row[column]`` when the row has that column and it holds an integer id."""
    try:
        value = row[column] if column in row.keys() else None
    except (AttributeError, IndexError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Markup | None:
    if (table is None or table in VIEW_NAMES) and database == DB_NAME and column in ID_LINKS \
            and isinstance(value, int) and not isinstance(value, bool):
        # A query's or view's report_id / agency_id (a table's are foreign keys Datasette
        # links itself, with the label): to the report's (agency's) own page.
        path = datasette.urls.row(DB_NAME, ID_LINKS[column], str(value))
        return Markup(f'<a href="{escape(path)}">{value}</a>')
    if database == DB_NAME and value is not None and value != "":
        # What a reader clicks first: an agency's name (agencies table), and in a query's
        # results a report's year (to the report) or an agency's name (to the agency).
        target = None
        if table == "agencies" and column == "name":
            target = ("agencies", _int_of(row, "id"))
        elif table is None and column == "year":
            target = ("reports", _int_of(row, "report_id"))
        elif table is None and column == "agency":
            target = ("agencies", _int_of(row, "agency_id"))
        if target is not None and target[1] is not None:
            path = datasette.urls.row(DB_NAME, target[0], str(target[1]))
            return Markup(f'<a href="{escape(path)}">{escape(value)}</a>')
    if not isinstance(value, str) or not value:
        return None
    if column in LINK_COLUMNS and value.startswith(("http://", "https://")):
        return Markup(f'<a href="{escape(value)}" rel="nofollow noopener" '
                      f'target="_blank">{escape(value)}</a>')
    if column == "raw_url" and value.startswith("/-/raw/"):
        return Markup(f'<a href="{escape(datasette.urls.path(value))}">存档原文 archived copy</a>')
    return None
