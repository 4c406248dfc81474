"""Decode Chinese government pages whose charset is wrong, missing or contradictory.

Headers say ``utf-8`` over GBK bytes, ``<meta>`` says ``gb2312`` while the page uses characters only
GB18030 has, or nobody says anything. The crawler decides exactly as the parsers do
(:func:`parsers.encoding.decode_bytes`: BOM, strict UTF-8, the declared charsets validated
against the bytes, GB18030, then a guess), so links and figures come from the same text.

    >>> choose_encoding("政府".encode("gbk"), "utf-8")
    'gb18030'
    >>> choose_encoding("政府".encode("utf-8"), "gbk")
    'utf-8'
"""

from __future__ import annotations

from parsers.encoding import charset_from_meta, decode_bytes


def choose_encoding(body: bytes, header_charset: str | None) -> str:
    """The encoding that decodes ``body`` strictly: the header's and ``<meta>``'s claims are
    validated against the bytes, never trusted."""
    _text, codec = decode_bytes(body, [header_charset, charset_from_meta(body)])
    return codec
