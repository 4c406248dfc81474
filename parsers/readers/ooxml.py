"""Safe access to Office Open XML zips (DOCX, XLSX): bomb checks before reading, no DTDs.

    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("word/document.xml", "<w:document xmlns:w='urn:x'/>")
    >>> archive = open_zip(buf.getvalue(), "DOCX")
    >>> parse_member(archive, "word/document.xml", "DOCX").tag
    '{urn:x}document'

Why: a DOCX is attacker-controlled input. A zip bomb (a few KB declaring gigabytes) and XML
entity expansion ("billion laughs") are refused *before* any decompression or parsing; member
reads are capped even when the zip directory lies about sizes.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from lxml import etree

from parsers.document import ParseError

MAX_MEMBERS = 5000
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # declared uncompressed size of the whole archive
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # any one part
MAX_RATIO = 200  # uncompressed/compressed: text XML rarely exceeds ~30, bombs reach 1000+
RATIO_FLOOR = 5 * 1024 * 1024  # small members may compress extremely well; only judge big ones

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking member count, declared sizes and ratios.

    :param what: the format name for messages (``"DOCX"``, ``"XLSX"``)
    :raises ParseError: truncated/corrupt zip, or one that looks like a decompression bomb
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError) as exc:
        raise ParseError(f"corrupt or truncated {what} ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise ParseError(f"{what} has {len(infos)} parts (> {MAX_MEMBERS}): refused as a zip bomb")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise ParseError(f"{what} part {info.filename} expands to {info.file_size >> 20} MB: "
                             "refused as a zip bomb")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ParseError(f"{what} part {info.filename} compresses {info.file_size // max(info.compress_size, 1)}:1: "
                             "refused as a zip bomb")
    if total > MAX_TOTAL_BYTES:
        raise ParseError(f"{what} expands to {total >> 20} MB (> {MAX_TOTAL_BYTES >> 20} MB): "
                         "refused as a zip bomb")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes | None:
    """The bytes of one part (None if absent), read with a hard cap whatever the zip claims."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError) as exc:
        raise ParseError(f"corrupt or truncated {what} ({name}: {exc})") from None
    except RuntimeError as exc:  # zipfile's "encrypted, password required"
        raise ParseError(f"encrypted {what} ({exc})") from None
    if len(data) > MAX_MEMBER_BYTES:
        raise ParseError(f"{what} part {name} is over {MAX_MEMBER_BYTES >> 20} MB: refused")
    return data


def parse_xml(data: bytes, name: str, what: str) -> etree._Element:
    """Parse one XML part; a DTD or entity declaration is refused (entity expansion attacks)."""
    prolog = data[:4096]
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog or b"<!doctype" in prolog:
        raise ParseError(f"{what} part {name} declares a DTD/entities: refused (entity expansion)")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"corrupt {what} ({name}: {exc})") from None


def parse_member(archive: zipfile.ZipFile, name: str, what: str) -> etree._Element | None:
    """Read and parse one XML part, or None when the archive does not have it."""
    data = read_member(archive, name, what)
    return None if data is None else parse_xml(transitional(data), name, what)


# ISO/IEC 29500 Strict (Word's and Excel's "Strict Open XML" save option): the same elements
# under other namespace names. Read as the transitional names they stand for, a strict file is
# read as any other; unread, its body had no element the readers know (every cell missing).
_STRICT = re.compile(rb"http://purl\.oclc\.org/ooxml/(wordprocessingml|spreadsheetml|"
                     rb"presentationml|drawingml|officeDocument)/([A-Za-z]+)")
_STRICT_NAMES = {b"extendedProperties": b"extended-properties",
                 b"customProperties": b"custom-properties"}


def transitional(data: bytes) -> bytes:
    """``data`` (an XML part) with strict namespace names turned into transitional ones.

        >>> transitional(b'<w:p xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"/>')
        b'<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    """
    if b"purl.oclc.org/ooxml/" not in data:
        return data

    def name(m: re.Match) -> bytes:
        family, part = m.group(1), m.group(2)
        return b"http://schemas.openxmlformats.org/%s/2006/%s" % (
            family, _STRICT_NAMES.get(part, part))

    return _STRICT.sub(name, data)


def transitional_zip(archive: zipfile.ZipFile, data: bytes, what: str,
                     parts: dict[str, bytes]) -> bytes:
    """The package ``data`` (opened as ``archive``) with its XML parts made transitional, for
    readers that open the zip themselves (openpyxl); ``data`` itself when nothing is strict.

    :param parts: its ``.xml`` and ``.rels`` parts by name, as the caller read them
    """
    if not any(b"purl.oclc.org/ooxml/" in body for body in parts.values()):
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            body = parts.get(info.filename)
            target.writestr(info.filename, transitional(body) if body is not None else
                            read_member(archive, info.filename, what) or b"")
    return out.getvalue()


_OFFICE_DOCUMENT = re.compile(r"/relationships/officeDocument$")


def main_part(archive: zipfile.ZipFile, default: str, what: str) -> str:
    """The name of the package's main part: the target of its ``officeDocument`` relationship
    (Word Online names it ``word/document2.xml``), else ``default``."""
    rels = parse_member(archive, "_rels/.rels", what)
    if rels is None:
        return default
    for rel in rels:
        target = rel.get("Target") or ""
        if _OFFICE_DOCUMENT.search(rel.get("Type") or "") and target and \
                not target.startswith(("http:", "https:", "file:")):
            name = target.lstrip("/")
            if name in archive.namelist():
                return name
    return default
