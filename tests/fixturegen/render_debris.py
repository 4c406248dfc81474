"""A PDF whose text layer is ASCII debris: simple fonts, codes that are printable ASCII.

Old Chinese typesetting systems (and some print drivers) wrote each page's characters through
one-byte fonts of 94 glyphs each: the codes are the printable ASCII characters ``!``…``~``, the
font's ``/Encoding`` a ``/Differences`` array naming its glyphs ``/g21``, ``/g22`` … (names no
Unicode table knows) and no ``/ToUnicode`` map. The page prints the report; its text layer reads
``#$%&'()*`` — ASCII debris in which digits appear. :func:`render_debris_pdf` writes such a file
byte by byte (nothing installed writes one) from a generated report's blocks:

* ``style="all"``: every character, figures too, through the debris fonts (a figure's ``1`` may
  be code ``7``): the text layer's digits are no figures;
* ``style="digits"``: figures and other ASCII through a standard font (real digits), every
  Chinese character through the debris fonts — figures readable, labels not.

The parser must say the pages need OCR (or that it cannot read them), never read figures.

    >>> from tests.fixturegen import make_figures
    >>> data = render_debris_pdf(make_figures(1, "2021"))
    >>> data[:8], b"/Differences" in data, b"/ToUnicode" in data
    (b'%PDF-1.4', True, False)
"""

from __future__ import annotations

import zlib

from tests.fixturegen.figures import Figures
from tests.fixturegen.render_pdf import _Writer, draw_blocks

_FIRST, _LAST = 33, 126  # the printable ASCII codes a debris font uses
_PER_FONT = _LAST - _FIRST + 1


class _Recorder:
    """The few reportlab canvas calls :func:`draw_blocks` makes, recorded per page."""

    def __init__(self) -> None:
        self.pages: list[list[tuple[float, float, float, str]]] = [[]]
        self.size = 10.0

    def setFont(self, _name: str, size: float) -> None:  # noqa: N802 - reportlab's names
        self.size = size

    def _width(self, text: str) -> float:
        return sum(self.size * (0.5 if ord(ch) < 128 else 1.0) for ch in text)

    def drawString(self, x: float, y: float, text: str) -> None:  # noqa: N802
        self.pages[-1].append((x, y, self.size, text))

    def drawCentredString(self, x: float, y: float, text: str) -> None:  # noqa: N802
        self.drawString(x - self._width(text) / 2, y, text)

    def drawRightString(self, x: float, y: float, text: str) -> None:  # noqa: N802
        self.drawString(x - self._width(text), y, text)

    def showPage(self) -> None:  # noqa: N802
        self.pages.append([])

    def setTitle(self, _title: str) -> None:  # noqa: N802
        pass

    def setAuthor(self, _author: str) -> None:  # noqa: N802
        pass


def render_debris_pdf(fig: Figures, style: str = "all") -> bytes:
    """The report ``fig`` as a PDF whose text layer is ASCII debris (see the module doc).

    :param style: ``all`` (figures through the debris fonts too) or ``digits`` (figures real)
    """
    if style not in ("all", "digits"):
        raise ValueError(f"unknown style {style!r}")
    writer = _Writer(fig.title, fig.agency)
    recorder = _Recorder()
    writer.c = recorder  # type: ignore[assignment]
    draw_blocks(writer, fig)
    pages = [ops for ops in recorder.pages if ops]
    codes: dict[str, tuple[int, int]] = {}  # character → (debris font, code)

    def code_of(ch: str) -> tuple[int, int]:
        if ch not in codes:
            n = len(codes)
            codes[ch] = (1 + n // _PER_FONT, _FIRST + n % _PER_FONT)
        return codes[ch]

    streams = []
    for ops in pages:
        out = []
        for x, y, size, text in ops:
            runs: list[tuple[int, bytes]] = []
            for ch in text:
                font, code = (0, ord(ch)) if style == "digits" and ch.isascii() and \
                    ch.isprintable() else code_of(ch)
                if runs and runs[-1][0] == font:
                    runs[-1] = (font, runs[-1][1] + bytes([code]))
                else:
                    runs.append((font, bytes([code])))
            out.append(f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm".encode())
            for font, raw in runs:
                escaped = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                width = sum(size * (0.5 if font == 0 else 1.0) for _ in raw)
                out.append(b"/F%d %.1f Tf (" % (font, size) + escaped + b") Tj")
                out.append(b"%.2f 0 Td" % width)
            out.append(b"ET")
        streams.append(b"\n".join(out))
    fonts = 1 + max((f for f, _ in codes.values()), default=0)
    return _serialise(streams, fonts)


def _serialise(streams: list[bytes], fonts: int) -> bytes:
    """Objects, cross-reference table and trailer of a PDF 1.4 file."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled below
    pages_id = add(b"")
    widths_all = b"[" + b" ".join([b"1000"] * _PER_FONT) + b"]"
    names = b" ".join(b"/g%02x" % c for c in range(_FIRST, _LAST + 1))
    font_ids = [add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                    b"/Encoding /WinAnsiEncoding >>")]
    for n in range(1, fonts):
        font_ids.append(add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /FZSSK%d /FirstChar %d /LastChar %d "
            b"/Widths %s /Encoding << /Type /Encoding /Differences [%d %s] >> >>"
            % (n, _FIRST, _LAST, widths_all, _FIRST, names)))
    resources = b"<< /Font << " + b" ".join(b"/F%d %d 0 R" % (n, i) for n, i in
                                            enumerate(font_ids)) + b" >> >>"
    kids = []
    for stream in streams:
        packed = zlib.compress(stream)
        content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed +
                      b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595.28 841.89] "
                        b"/Resources %s /Contents %d 0 R >>" % (pages_id, resources, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = (b"<< /Type /Pages /Count %d /Kids [" % len(kids) +
                             b" ".join(b"%d 0 R" % k for k in kids) + b"] >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, xref)
    return bytes(out)
