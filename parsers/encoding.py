"""Bytes → text for Chinese government documents, whatever the server or file claims.

    >>> decode_bytes("政府信息公开".encode("gbk"), declared="utf-8")
    ('政府信息公开', 'gb18030')
    >>> decode_bytes("年度报告".encode("utf-8"), declared="gb2312")
    ('年度报告', 'utf-8')

Order of trust (why: declarations on government sites are often wrong):

1. a byte-order mark (it cannot be there by accident);
2. strict UTF-8 (valid multi-byte UTF-8 is practically never an accident, so it beats a GBK
   declaration);
3. the declared charset, if the bytes decode strictly with it; GB2312/GBK are read as GB18030,
   their superset, because pages labelled GB2312 routinely use GBK-only characters; western
   single-byte declarations (ISO-8859-1, windows-1252, ASCII) are not trusted, since they decode
   any bytes;
4. strict GB18030 (the national standard: what a non-UTF-8 Chinese file almost always is),
   unless strict Big5 reads as a report and GB18030 does not (a 繁體 copy saved as Big5);
5. charset-normalizer's guess on a sample (UTF-16 without BOM, Big5, …);
6. GB18030 with replacement characters, plus a note, as the last resort.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence

# Declarations that name a subset of GB18030.
_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "gb_2312", "x-gbk", "cp936", "ms936", "windows-936",
              "euc-cn", "csgb2312", "gb18030", "chinese", "iso-ir-58", "x-euc-cn"}
# Single-byte western declarations decode any byte string, so a strict decode proves nothing.
_WEAK = {"iso-8859-1", "latin-1", "latin1", "l1", "iso8859-1", "windows-1252", "cp1252",
         "us-ascii", "ascii", "iso-8859-15", "iso8859-15", "cp819"}

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

_SAMPLE = 64 * 1024  # bytes charset-normalizer looks at: detection cost must not grow with size


def normalize_charset(name: str | None) -> str | None:
    """Canonical Python codec name for a declared charset, GB2312/GBK → ``gb18030``; None if unknown.

    >>> normalize_charset("GB2312"), normalize_charset("UTF8"), normalize_charset("nonsense")
    ('gb18030', 'utf-8', None)
    """
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec in {"gbk", "gb2312", "gb18030"}:
        return "gb18030"
    return codec


def sniff_bom(data: bytes) -> tuple[str, int] | None:
    """The encoding a BOM announces and the BOM's length, or None."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: text files never hold NUL bytes, UTF-16 text nearly always does
    (ASCII, and CJK characters such as 一 U+4E00, have a zero byte). The parity with more NULs
    tells the byte order; a strict decode without control characters confirms it."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    if even_nul == odd_nul:
        return None
    codec = "utf-16-le" if odd_nul > even_nul else "utf-16-be"
    try:  # a cut surrogate pair at the sample's end is not an error
        text = (sample if len(data) == len(sample) else sample[:-2]).decode(codec)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return codec if controls <= len(text) * 0.02 else None


def decode_bytes(data: bytes, declared: str | Sequence[str | None] | None = None
                 ) -> tuple[str, str]:
    """Decode ``data`` to text; return ``(text, codec_used)``.

    :param data: the raw bytes
    :param declared: the charset(s) the container claims, most authoritative first (HTTP
        header, then ``<meta>``), or None
    """
    bom = sniff_bom(data)
    if bom:
        codec, skip = bom
        return data[skip:].decode(codec, errors="replace"), codec

    names = [declared] if isinstance(declared, str) or declared is None else list(declared)
    codecs_declared = [c for c in (normalize_charset(n) for n in names) if c]
    for declared_codec in codecs_declared:
        if declared_codec.startswith("utf-16"):
            text = _strict(data, declared_codec)
            if text is not None:
                return text, declared_codec

    utf16 = _looks_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16

    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"

    for declared_codec in codecs_declared:
        if declared_codec not in _WEAK and declared_codec != "utf-8":
            text = _strict(data, declared_codec)
            if text is not None:
                return text, declared_codec

    text = _strict(data, "gb18030")
    if text is not None:
        return _big5_instead(data, text)

    guess = _guess(data)
    if guess:
        return data.decode(guess, errors="replace"), guess
    return data.decode("gb18030", errors="replace"), "gb18030"


# Words every report prints many times, in either script: Big5 bytes decode as valid but
# meaningless GB18030 text, which holds none of them.
_REPORT_WORDS = re.compile("公开|公開|信息|資訊|申请|申請|年度|报告|報告|政府|办理|辦理|情况|情況")


def _big5_instead(data: bytes, gb_text: str) -> tuple[str, str]:
    """A report in traditional characters saved as Big5 without a declaration (a 繁體 copy):
    its bytes decode strictly as GB18030 too, into nonsense. Big5 (Windows' cp950) is read
    when it decodes strictly and its text holds the report's words where GB18030's does not.

    >>> _big5_instead("政府資訊公開工作年度報告".encode("cp950"), "")[1]
    'cp950'
    """
    big5 = _strict(data, "cp950")
    if big5 is None:
        return gb_text, "gb18030"
    ours = len(_REPORT_WORDS.findall(big5[:_SAMPLE]))
    if ours >= 3 and ours > 2 * len(_REPORT_WORDS.findall(gb_text[:_SAMPLE])):
        return big5, "cp950"
    return gb_text, "gb18030"


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best guess on a bounded sample, GB family folded into GB18030."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(data[:_SAMPLE]).best()
    if best is None:
        return None
    return normalize_charset(best.encoding)


_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, or None.

    >>> charset_from_content_type('text/html; charset="GBK"')
    'GBK'
    """
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def charset_from_meta(data: bytes) -> str | None:
    """The charset an HTML page declares in ``<meta charset>`` or ``http-equiv``, or None."""
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii", "replace") if match else None
