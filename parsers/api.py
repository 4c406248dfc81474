"""The parsers' public entry points: bytes in, report dict out (the JSON of docs/contract.md).

    >>> from parsers.api import parse_document
    >>> parse_document(b"<html><body>hello</body></html>", "text/html")["is_annual_report"]
    False

Stages: ``readers.read_document`` (file type → :class:`~parsers.document.Document`), then
``report.interpret`` (Document → figures, metadata, checks). Bounds on size, time and memory
are enforced here so every caller (CLI, crawler, re-parse) gets them.
"""

from __future__ import annotations

from pathlib import Path

from parsers.document import ParseError

PARSER_VERSION = "0.1.0"


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

    doc = read_document(data, content_type=content_type, url=url)
    report = interpret(doc, page_metadata=page_metadata)
    report.setdefault("document_type", doc.kind)
    report["parser_version"] = PARSER_VERSION
    return report


def parse_file(path: str | Path) -> dict:
    """Parse a local file (``nianbao parse``), guessing the type from its bytes and extension."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_document(data, content_type=None, url=path.name)
