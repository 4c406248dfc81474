"""Images (scanned reports, screenshots of tables) → an empty :class:`Document` flagged for OCR.

    >>> read_image(b"\\x89PNG\\r\\n\\x1a\\n...").needs_ocr
    True

No OCR engine ships with nianbao, so an image yields no text: the interpreter reports
``is_annual_report: false`` (or null cells) and ``needs_ocr: true`` instead of guessing.
"""

from __future__ import annotations

from parsers.document import Document


def read_image(data: bytes) -> Document:
    """Return an image document with no blocks, ``needs_ocr=True`` and a warning."""
    return Document(kind="image", needs_ocr=True,
                    warnings=["image document: no text layer and no OCR engine; figures not read"])
