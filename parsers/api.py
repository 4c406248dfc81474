"""The parsers' public entry points: bytes in, report dict out (the JSON of docs/contract.md).

    >>> from parsers.api import parse_document
    >>> parse_document(b"<html><body>hello</body></html>", "text/html")["is_annual_report"]
    False

Stages: ``readers.read_document`` (file type → :class:`~parsers.document.Document`), then
``report.interpret`` (Document → figures, metadata, checks). The input size cap is enforced
here so every caller gets it; time and memory bounds need a child process and live in
:func:`parsers.limits.parse_bounded` (used by the CLI and the crawler).
"""

from __future__ import annotations

from pathlib import Path

from parsers.document import ParseError
from parsers.limits import check_size, read_file

PARSER_VERSION = "0.1.0"

__all__ = ["PARSER_VERSION", "ParseError", "parse_document", "parse_file"]


def parse_document(data: bytes, content_type: str | None = None, url: str | None = None,
                   *, page_metadata: dict[str, str] | None = None) -> dict:
    """Parse one document.

    :param data: the raw bytes as fetched or read from disk
    :param content_type: the HTTP Content-Type (may carry a charset), or None
    :param url: the URL or file name; its extension is a hint when the content type is vague
    :param page_metadata: facts from the page that linked an attachment (``title``,
        ``publisher``, ``published_date``) used when the document itself lacks them
    :raises ParseError: when the bytes cannot be read as any supported document
    """
    from parsers.readers import read_document
    from parsers.report import interpret

    check_size(len(data))
    doc = read_document(data, content_type=content_type, url=url)
    report = interpret(doc, page_metadata=_with_name_title(page_metadata, url))
    report.setdefault("document_type", doc.kind)
    if doc.needs_ocr:
        report["needs_ocr"] = True
    # The document's whole text (tables as tab-separated lines): the corpus indexes it for
    # full-text search, and a researcher can check a figure stated in prose against it.
    report.setdefault("text", doc.text())
    report["parser_version"] = PARSER_VERSION
    return report


def _with_name_title(page_metadata: dict[str, str] | None, url: str | None) -> dict | None:
    """Add the file name as a last-resort title when it reads as a report title.

    Workbooks and DOCX files often carry no title inside; their name
    (``某某局2023年政府信息公开工作年度报告.xlsx``) is then the only one. A name that does not
    match a report title (``P020240129.pdf``, ``附件1.docx``) is never used.
    """
    from urllib.parse import unquote, urlsplit

    from parsers.metadata import match_title

    if not url or (page_metadata or {}).get("title"):
        return page_metadata
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1] if "://" in url else Path(url).name)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if not stem or not match_title(stem):
        return page_metadata
    return {**(page_metadata or {}), "title": stem}


def parse_file(path: str | Path) -> dict:
    """Parse a local file, guessing the type from its bytes and extension (in this process).

    The size cap is checked with ``stat`` before the file is read. For time and memory bounds
    use ``parsers.limits.parse_bounded(read_file(path), url=path.name)`` as ``nianbao parse``
    does.
    """
    path = Path(path)
    data = read_file(path)
    return parse_document(data, content_type=None, url=path.name)
