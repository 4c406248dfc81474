"""MHTML (Word's "single file web page", ``.mht``/``.mhtml``, sometimes served as ``.doc``) →
the HTML reader, on the first ``text/html`` part.

    >>> mht = (b"MIME-Version: 1.0\\nContent-Type: multipart/related; boundary=\\"b\\"\\n\\n--b\\n"
    ...        b"Content-Type: text/html; charset=\\"gb2312\\"\\n"
    ...        b"Content-Transfer-Encoding: quoted-printable\\n\\n<p>=D2=BB=A1=A2</p>\\n--b--\\n")
    >>> read_mhtml(mht).blocks
    ['一、']
"""

from __future__ import annotations

import email
import email.policy

from parsers.document import Document, ParseError


def read_mhtml(data: bytes, url: str | None = None) -> Document:
    """Read the HTML part of an MHTML archive.

    :raises ParseError: when the archive holds no HTML part
    """
    from parsers.readers.html import read_html

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if payload:
                charset = part.get_content_charset()
                content_type = f"text/html; charset={charset}" if charset else "text/html"
                doc = read_html(payload, content_type=content_type, url=url)
                doc.kind = "html"
                return doc
    raise ParseError("MHTML archive without an HTML part")
