"""Legacy Word binary (DOC), Kingsoft WPS, RTF and ODT → :class:`Document`, via converters.

    >>> antiword_rows(["|规章            |0   |",
    ...                "|行政规范性文件（|1   |",
    ...                "|区分处理的）    |    |"])
    [['规章', '0'], ['行政规范性文件（区分处理的）', '1']]

No Python library reads these formats well, so two Debian programs do, best first:

1. LibreOffice (``soffice --headless --convert-to docx``; 1–3 s, a private profile per call so
   parallel parses cannot collide): exact tables, merged cells included, through the DOCX
   reader. The only reader of WPS, RTF and ODT.
2. ``antiword`` (DOC only; about 2 ms), when LibreOffice is missing or fails: its text output
   draws tables as ``|cell |cell |`` lines with cells wrapped at the column width; wrapped
   lines are re-joined by checking that the cell above was filled to its full display width.
   It is fast but loses complex tables (rows spanning many merged cells come out as debris),
   which is why it is the fallback and not the default.

When neither program is installed the error names what to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from parsers.document import Block, Document, ParseError, Table
from parsers.readers.common import clean_text, refuse_binary
from parsers.readers.text import split_blocks

ANTIWORD_TIMEOUT = 10.0
SOFFICE_TIMEOUT = 20.0  # inside the CLI's 25 s parse budget


def read_doc(data: bytes, kind: str = "doc") -> Document:
    """Read a DOC/WPS/RTF/ODT file through antiword or LibreOffice.

    :param kind: ``doc``, ``wps``, ``rtf`` or ``odt`` (from sniffing); becomes ``Document.kind``
    :raises ParseError: when no converter is installed or the converters cannot read the file
    """
    antiword = shutil.which("antiword")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    reasons: list[str] = []
    if soffice:
        try:
            return _via_soffice(soffice, data, kind)
        except ParseError as exc:
            reasons.append(str(exc))
    if kind == "doc" and antiword:
        try:
            return _via_antiword(antiword, data, kind)
        except ParseError as exc:
            reasons.append(str(exc))
    if not antiword and not soffice:
        raise ParseError(f"cannot read .{kind}: install antiword or LibreOffice (soffice)")
    if not soffice and kind != "doc":
        raise ParseError(f"cannot read .{kind}: install LibreOffice (soffice)")
    raise ParseError(f"cannot read .{kind}: " + "; ".join(reasons))


def _run(cmd: list[str], timeout: float, cwd: str | None = None) -> subprocess.CompletedProcess:
    """Run a converter in its own process group, killing the whole group on timeout."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        raise ParseError(f"{Path(cmd[0]).name} timed out after {timeout:g} s") from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _via_antiword(antiword: str, data: bytes, kind: str) -> Document:
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        source = Path(tmp) / "input.doc"
        source.write_bytes(data)
        result = _run([antiword, "-w", "0", "-m", "UTF-8.txt", str(source)], ANTIWORD_TIMEOUT)
    if result.returncode != 0:
        message = clean_text(result.stderr.decode("utf-8", "replace")) or f"exit {result.returncode}"
        raise ParseError(f"antiword: {message[:200]}")
    text = result.stdout.decode("utf-8", "replace")
    if not text.strip():
        raise ParseError("antiword: no text")
    refuse_binary(text, "DOC file")
    return Document(kind=kind, blocks=_antiword_blocks(text))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _segments(line: str) -> list[str]:
    return line.strip()[1:-1].split("|")


def antiword_rows(lines: list[str]) -> list[list[str]]:
    """Table rows from antiword's ``|cell |cell |`` lines, re-joining cells wrapped onto the
    next line (a line continues the row above when every cell it fills was full above)."""
    rows: list[list[str]] = []
    previous: list[str] | None = None
    for line in lines:
        segments = _segments(line)
        continues = (
            previous is not None and len(segments) == len(previous)
            and any(s.strip() for s in segments)
            and all(_display_width(seg) == _display_width(above) for seg, above in zip(segments, previous))
            and all(not seg.strip() or _display_width(above.rstrip()) >= _display_width(above) - 1
                    for seg, above in zip(segments, previous))
        )
        if continues and rows:
            for k, seg in enumerate(segments):
                if seg.strip():
                    rows[-1][k] = rows[-1][k] + clean_text(seg)
        else:
            rows.append([clean_text(seg) for seg in segments])
        previous = segments
    return rows


def _antiword_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    plain: list[str] = []
    table_lines: list[str] = []

    def is_row(line: str) -> bool:
        stripped = line.strip()
        return len(stripped) >= 2 and stripped.startswith("|") and stripped.endswith("|")

    def flush_plain() -> None:
        blocks.extend(split_blocks(plain))
        plain.clear()

    def flush_table() -> None:
        rows = antiword_rows(table_lines)
        if rows:
            blocks.append(Table(rows=rows))
        table_lines.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        if is_row(line):
            if plain:
                flush_plain()
            table_lines.append(line)
        else:
            if table_lines:
                flush_table()
            plain.append(line)
    if table_lines:
        flush_table()
    if plain:
        flush_plain()
    return blocks


def _via_soffice(soffice: str, data: bytes, kind: str) -> Document:
    from parsers.readers.docx import read_docx

    suffix = {"doc": ".doc", "wps": ".wps", "rtf": ".rtf", "odt": ".odt"}.get(kind, ".doc")
    with tempfile.TemporaryDirectory(prefix="nianbao-soffice-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        outdir = Path(tmp) / "out"
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--nodefault", "--convert-to", "docx:MS Word 2007 XML",
               "--outdir", str(outdir), str(source)]
        result = _run(cmd, SOFFICE_TIMEOUT, cwd=tmp)
        converted = outdir / "input.docx"
        if not converted.exists():
            message = clean_text(result.stderr.decode("utf-8", "replace"))[:200]
            raise ParseError(f"LibreOffice could not convert it ({message or 'no output'})")
        doc = read_docx(converted.read_bytes())
    doc.kind = kind
    return doc
