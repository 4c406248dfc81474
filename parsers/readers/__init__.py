"""Readers: one module per file type, each ``bytes -> Document``.

    >>> from parsers.readers import read_document
    >>> doc = read_document("规章\\t0\\t0\\t0\\n".encode(), content_type="text/plain", url="a.txt")
    >>> doc.kind, doc.blocks[0].rows
    ('txt', [['规章', '0', '0', '0']])

``read_document`` sniffs the type from the bytes first (magic numbers), then the content type,
then the extension, because government servers often send the wrong Content-Type and files
carry the wrong extension (:mod:`parsers.readers.sniff`). Each reader raises
:class:`~parsers.document.ParseError` with a one-line reason when the bytes are unreadable.
"""

from __future__ import annotations

from parsers.document import Document, ParseError
from parsers.readers.sniff import extension_kind, sniff_kind

__all__ = ["read_document", "sniff_kind"]


def read_document(data: bytes, content_type: str | None = None, url: str | None = None) -> Document:
    """Read ``data`` into a :class:`Document`.

    :param data: the raw bytes of the file or HTTP response body
    :param content_type: the HTTP Content-Type (its ``charset`` helps HTML and text), or None
    :param url: the URL or file name; its extension is a hint for formats without magic bytes
    :raises ParseError: empty, corrupt, encrypted or unsupported input
    """
    if not data or not data.strip():
        raise ParseError("empty file")
    kind = sniff_kind(data, content_type=content_type, url=url)
    try:
        return _read(kind, data, content_type, url)
    except (ParseError, MemoryError):
        raise
    except RecursionError:
        raise ParseError("document nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - a library choking on broken input: one line
        message = " ".join(str(exc).split())[:200]
        raise ParseError(f"unreadable {kind.upper()} ({type(exc).__name__}: {message})") from None


def _read(kind: str, data: bytes, content_type: str | None, url: str | None) -> Document:
    """Dispatch to the reader of ``kind``."""
    if kind == "html":
        from parsers.readers.html import read_html

        return read_html(data, content_type=content_type, url=url)
    if kind == "mhtml":
        from parsers.readers.mhtml import read_mhtml

        return read_mhtml(data, url=url)
    if kind == "pdf":
        from parsers.readers.pdf import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from parsers.readers.docx import read_docx

        return read_docx(data)
    if kind in {"doc", "wps", "rtf", "odt"}:
        from parsers.readers.doc import read_doc

        return read_doc(data, kind=kind)
    if kind in {"xls", "xlsx"}:
        from parsers.readers.sheet import read_sheet

        return read_sheet(data, kind=kind)
    if kind == "image":
        from parsers.readers.image import read_image

        return read_image(data)
    from parsers.readers.text import read_text

    claimed = extension_kind(url)
    try:
        return read_text(data, content_type=content_type)
    except ParseError:
        if claimed and claimed not in {"txt", "html"}:
            raise ParseError(f"not a valid {claimed.upper()} file (unrecognised contents)") from None
        raise
