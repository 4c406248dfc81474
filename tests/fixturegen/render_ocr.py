"""A scanned report with an OCR text layer: the page's picture, the recognised text laid over it
invisibly (text render mode 3), as scanners and OCR tools (ABBYY, Acrobat, ocrmypdf) write them.

The text is the ``pdf/nolines`` layout's, each run at its place give or take ``jitter`` points
(OCR boxes are approximate), and a share ``confuse`` of the figures misread the way OCR
misreads them: a 0 as the letter ``O``, a 1 as ``l`` (``lO``, ``l``, ``ll``, ``2O3``). The
picture is a plain page (what is under the text does not matter to a text reader; it marks the
page as a scan).

    >>> from tests.fixturegen.figures import make_figures
    >>> ocr_layer_pdf(make_figures(4, "2021"))[:5]
    b'%PDF-'
"""

from __future__ import annotations

import io
import random

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics

from tests.fixturegen import render_pdf
from tests.fixturegen.figures import Figures

_MISREAD = {"0": "O", "1": "l"}


class _OcrCanvas:
    """A reportlab canvas whose strings are drawn invisibly, jittered and misread, over a
    page-sized picture on every page."""

    def __init__(self, canvas, rng: random.Random, confuse: float, jitter: float,
                 misread: dict[str, str]) -> None:
        self._c, self._rng, self._confuse, self._jitter = canvas, rng, confuse, jitter
        self._misread = misread
        picture = io.BytesIO()
        Image.new("L", (210, 297), 248).save(picture, "PNG")
        self._picture = ImageReader(io.BytesIO(picture.getvalue()))
        self._page_picture()

    def __getattr__(self, name: str):
        return getattr(self._c, name)

    def _page_picture(self) -> None:
        self._c.drawImage(self._picture, 0, 0, width=A4[0], height=A4[1])

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._c.showPage()
        self._page_picture()

    def _draw(self, x: float, y: float, text: str) -> None:
        if text.isdigit() and self._rng.random() < self._confuse:
            text = "".join(self._misread.get(ch, ch) if self._rng.random() < 0.5 else ch
                           for ch in text)
        obj = self._c.beginText(x + self._rng.uniform(-self._jitter, self._jitter),
                                y + self._rng.uniform(-self._jitter, self._jitter))
        obj.setTextRenderMode(3)  # invisible: the picture shows the page
        obj.setFont(self._c._fontname, self._c._fontsize)
        obj.textOut(text)
        self._c.drawText(obj)

    def _width(self, text: str) -> float:
        return pdfmetrics.stringWidth(text, self._c._fontname, self._c._fontsize)

    def drawString(self, x: float, y: float, text: str) -> None:  # noqa: N802
        self._draw(x, y, text)

    def drawCentredString(self, x: float, y: float, text: str) -> None:  # noqa: N802
        self._draw(x - self._width(text) / 2, y, text)

    def drawRightString(self, x: float, y: float, text: str) -> None:  # noqa: N802
        self._draw(x - self._width(text), y, text)


def ocr_layer_pdf(fig: Figures, seed: int = 0, confuse: float = 0.4, jitter: float = 1.5,
                  misread: dict[str, str] | None = None) -> bytes:
    """The report as a scan with an invisible OCR text layer (see the module doc).

    :param misread: digit → what OCR reads for it (default 0 → ``O``, 1 → ``l``)
    """
    writer = render_pdf._Writer(fig.title, fig.agency)
    writer.c = _OcrCanvas(writer.c, random.Random(f"ocr:{seed}"), confuse, jitter,
                          _MISREAD if misread is None else misread)
    render_pdf.draw_blocks(writer, fig)
    return writer.finish()
