"""Which reader a file needs: magic bytes first, then Content-Type, then the file extension.

    >>> sniff_kind(b"%PDF-1.7 ...", content_type="text/html", url="report.docx")
    'pdf'
    >>> sniff_kind(b"<html><body>hi</body></html>", url="a.txt")
    'html'
    >>> sniff_kind("年度报告".encode("gbk"), content_type="application/octet-stream", url="x.txt")
    'txt'

Why bytes come first: government servers send ``application/octet-stream`` or ``text/html``
for everything, and attachments are renamed (a PDF saved as ``.doc``). The declared type only
decides between formats that have no magic number (HTML vs plain text).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from io import BytesIO
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from parsers.document import ParseError

KINDS = ("html", "pdf", "docx", "doc", "wps", "xls", "xlsx", "txt", "image", "rtf", "odt", "mhtml")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
]

_EXTENSIONS = {
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".jsp": "html",
    ".asp": "html", ".aspx": "html", ".php": "html",
    ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "wps", ".xls": "xls", ".xlsx": "xlsx",
    ".et": "xls", ".txt": "txt", ".text": "txt", ".md": "txt", ".csv": "txt", ".rtf": "rtf",
    ".odt": "odt", ".mht": "mhtml", ".mhtml": "mhtml",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".gif": "image", ".tif": "image",
    ".tiff": "image", ".bmp": "image", ".webp": "image",
}

_CONTENT_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html", "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc", "application/vnd.ms-works": "wps", "application/kswps": "wps",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/plain": "txt", "application/rtf": "rtf", "text/rtf": "rtf",
    "application/vnd.oasis.opendocument.text": "odt",
}

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|"
    rb"table|p|span|center|font|form|style|script|link|base|h[1-6])\b", re.IGNORECASE | re.DOTALL)
_HTML_ANYWHERE = re.compile(rb"<(?:html|body|table|div|p)[\s>]", re.IGNORECASE)


def extension_kind(url: str | None) -> str | None:
    """The kind a URL's or file name's extension suggests, or None."""
    if not url:
        return None
    path = urlsplit(url).path if "://" in url else url
    return _EXTENSIONS.get(PurePosixPath(path.replace("\\", "/")).suffix.lower())


def content_type_kind(content_type: str | None) -> str | None:
    """The kind a Content-Type names (parameters ignored), or None for vague types."""
    if not content_type:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime.startswith("image/"):
        return "image"
    return _CONTENT_TYPES.get(mime)


def _zip_kind(data: bytes, claimed: str | None) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            types = _content_types(archive) if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError) as exc:
        what = claimed.upper() if claimed in {"docx", "xlsx", "odt"} else "zip container"
        raise ParseError(f"corrupt or truncated {what} ({exc})") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "odt"
    if any(n.endswith("document.xml") and n.startswith("word") for n in names):
        return "docx"
    # the main part under another name (Word Online's word/document2.xml): its content type
    if b"wordprocessingml.document.main+xml" in types:
        return "docx"
    if b"spreadsheetml.sheet.main+xml" in types:
        return "xlsx"
    raise ParseError("unsupported zip archive (neither a DOCX nor an XLSX document)")


def _content_types(archive: zipfile.ZipFile) -> bytes:
    """The first 64 KB of the package's ``[Content_Types].xml`` (b"" when unreadable)."""
    try:
        with archive.open("[Content_Types].xml") as handle:
            return handle.read(65536)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError,
            NotImplementedError):
        return b""


def ole_has_entry(data: bytes, name: str) -> bool:
    """True when an OLE compound file has a directory entry (stream or storage) named ``name``.

    Directory entries are 128-byte records in 512/4096-byte sectors: the UTF-16LE name, zero
    padded to 64 bytes, then its byte length (with the terminator). Checking alignment and
    length finds real entries without an OLE library and without matching body text.
    """
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    length = len(encoded).to_bytes(2, "little")
    start = data.find(encoded)
    while start != -1:
        if (start - 512) % 128 == 0 and data[start + 64:start + 66] == length:
            return True
        start = data.find(encoded, start + 1)
    return False


def _ole_kind(data: bytes, hinted: str | None) -> str:
    def has(name: str) -> bool:
        return ole_has_entry(data, name)

    if has("EncryptedPackage") or has("EncryptionInfo"):
        raise ParseError("encrypted Office document (password protected)")
    if has("Workbook") or has("Book"):
        return "xls"
    if has("WordDocument"):
        return "wps" if hinted == "wps" else "doc"
    if hinted in {"doc", "wps", "xls"}:
        return hinted
    raise ParseError("unsupported OLE compound file (not a Word, WPS or Excel document)")


def magic_kind(data: bytes, hinted: str | None = None) -> str | None:
    """The kind the bytes prove, or None when they have no magic number (HTML or text).

    :param hinted: the kind the extension/content type suggests, used only to tell .doc and
        .wps apart (both are Word-binary OLE files) and to name a broken zip in messages
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data, hinted)
    if data.startswith(_OLE_MAGIC):
        return _ole_kind(data, hinted)
    for magic, kind in _IMAGE_MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"BM") and len(data) > 26 and data[6:10] == b"\x00\x00\x00\x00":
        return "image"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image"
    if data.lstrip()[:5].lower() == b"{\\rtf":
        return "rtf"
    head_lower = head.lower()
    if (head_lower.lstrip().startswith((b"mime-version:", b"from:", b"content-type:"))
            and b"multipart/related" in data[:4096].lower()):
        return "mhtml"  # Word's single-file web page
    return None


def looks_like_html(data: bytes) -> bool:
    """True when text bytes are HTML markup (a tag at the start, or page tags early on)."""
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if b"\x00" in head[:200]:  # UTF-16 text: decode before looking
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return False
    if _HTML_START.match(head):
        return True
    return len(_HTML_ANYWHERE.findall(head)) >= 2


def sniff_kind(data: bytes, content_type: str | None = None, url: str | None = None) -> str:
    """Decide the reader for ``data``; raise :class:`ParseError` for containers we cannot read."""
    hinted = content_type_kind(content_type)
    by_ext = extension_kind(url)
    if hinted in {None, "txt", "html"} and by_ext in {"doc", "wps", "xls"}:
        hinted = by_ext
    kind = magic_kind(data, hinted=by_ext if by_ext in {"doc", "wps", "docx", "xlsx"} else hinted)
    if kind:
        return kind
    # No magic number: markup decides between HTML and text, whatever the name says.
    # A file claiming a binary format without its signature goes to the text reader too: it may
    # be a text export saved under that name; the text reader refuses real binary garbage.
    if looks_like_html(data):
        return "html"
    return "txt"
