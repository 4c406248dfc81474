"""Conversions through LibreOffice (``soffice --headless --convert-to``): PDF, DOC, XLS; and
a browser-printed PDF through headless Chromium.

Offices produce most PDFs and DOCs of these reports from Word files, so the fixtures do the
same: DOCX → PDF / DOC, XLSX → XLS. LibreOffice is needed only to *regenerate* these fixtures
(CI uses the committed files). It cannot write real WPS files; many sites serve a Word-97 .doc
under a ``.wps`` name, which is what the ``wps`` kind is.

    >>> soffice_available() in (True, False)
    True
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class OfficeUnavailable(RuntimeError):
    """LibreOffice is not installed (needed only to regenerate office-converted fixtures)."""


def soffice_available() -> bool:
    """Whether ``soffice`` is on the PATH."""
    return shutil.which("soffice") is not None


def convert(data: bytes, src_ext: str, target: str, timeout: int = 180) -> bytes:
    """Convert ``data`` (a ``.src_ext`` file) with LibreOffice to ``target`` (pdf, doc, xls).

    A private user profile per call keeps concurrent conversions (other processes, other
    helpers) from fighting over LibreOffice's lock file.
    """
    exe = shutil.which("soffice")
    if exe is None:
        raise OfficeUnavailable("soffice (LibreOffice) is not installed; cannot render "
                                f"{target} fixtures — use the committed files")
    with tempfile.TemporaryDirectory(prefix="fixturegen-lo-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / f"in.{src_ext}"
        src.write_bytes(data)
        profile = (tmpdir / "profile").as_uri()
        filter_name = {"doc": "doc:MS Word 97", "xls": "xls:MS Excel 97"}.get(target, target)
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", filter_name, "--outdir", str(tmpdir / "out"), str(src)]
        result = subprocess.run(cmd, check=False, capture_output=True, timeout=timeout)
        out = tmpdir / "out" / f"in.{target}"
        if not out.exists():
            raise RuntimeError(f"soffice failed to convert {src_ext} → {target}: "
                               f"{result.stderr.decode(errors='replace').strip()[:300]}")
        return out.read_bytes()


def chromium_pdf(html_bytes: bytes, timeout: int = 120) -> bytes:
    """Print an HTML page to PDF with headless Chromium (a browser's "打印 → 另存为 PDF"):
    Skia output, Type 3 fonts, borders drawn as filled shapes rather than lines."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise OfficeUnavailable("chromium is not installed; cannot render the chromium PDF "
                                "fixture — use the committed file")
    with tempfile.TemporaryDirectory(prefix="fixturegen-chromium-") as tmp:
        page, out = Path(tmp) / "page.html", Path(tmp) / "out.pdf"
        page.write_bytes(html_bytes)
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}",
               page.as_uri()]
        subprocess.run(cmd, check=False, capture_output=True, timeout=timeout)
        if not out.exists():
            raise RuntimeError("chromium did not print the page to PDF")
        return out.read_bytes()
