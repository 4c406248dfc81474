"""Decode Chinese government pages whose charset is wrong, missing or contradictory.

Headers say ``utf-8`` over GBK bytes, ``<meta>`` says ``gb2312`` while the page uses characters only
GB18030 has, or nobody says anything. Strict decoding decides: UTF-8 first (GBK bytes almost
never pass it), then what the header and ``<meta>`` declare, then GB18030, then a guess.

    >>> choose_encoding("政府".encode("gbk"), "utf-8")
    'gb18030'
    >>> choose_encoding("政府".encode("utf-8"), "gbk")
    'utf-8'
"""

from __future__ import annotations

import codecs
import re

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*['"]?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn", "hz-gb-2312", "csgb2312"}


def _norm(name: str | None) -> str | None:
    """A codec name Python knows; every GB charset widens to GB18030 (its superset)."""
    if not name:
        return None
    name = name.strip().lower()
    if name in GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_meta(body: bytes) -> str | None:
    """The charset a page declares in its first ``<meta>`` (first 4 KB)."""
    m = META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


# Single-byte charsets decode any bytes, so they prove nothing: servers (Tomcat) announce
# ISO-8859-1 by default over GBK pages. They are tried last.
SINGLE_BYTE = {"latin-1", "iso8859-1", "ascii", "cp1252", "iso8859-15"}


def choose_encoding(body: bytes, header_charset: str | None) -> str:
    """The encoding that decodes ``body`` strictly, trying the likely ones in a sensible order."""
    tried: list[str] = []
    declared = [_norm(declared_meta(body)), _norm(header_charset)]
    strong = [d for d in declared if d and d not in SINGLE_BYTE]
    weak = [d for d in declared if d and d in SINGLE_BYTE]
    for name in ("utf-8", *strong, "gb18030", *weak):
        if not name or name in tried:
            continue
        tried.append(name)
        try:
            body.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        return name
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body).best()
        if best is not None:
            return _norm(best.encoding) or best.encoding
    except (ImportError, LookupError, ValueError, RuntimeError):  # a guess is only a guess
        return "gb18030"
    return "gb18030"
