"""Readers: one module per file type, each ``bytes -> Document``.

``read_document`` sniffs the type from the bytes first (magic numbers), then the content type,
then the extension, because government servers often send the wrong Content-Type.
"""

from __future__ import annotations

from parsers.document import Document, ParseError


def read_document(data: bytes, content_type: str | None = None, url: str | None = None) -> Document:
    """Read ``data`` into a :class:`Document` (placeholder until the readers land)."""
    if not data:
        raise ParseError("empty file")
    text = data.decode("utf-8", errors="replace")
    return Document(kind="txt", blocks=text.splitlines())
