"""Where the raw bytes of documents are kept: one file each, or packs for bulk loads.

    raw/ab/ab12…ef                      one file per document (the crawler, as it fetches)
    raw/packs/20250201T080000-4242-1.pack  documents appended one after another (a bulk load)

``documents.raw_path`` says which, relative to the database's folder when the raw folder is
beside it: ``raw/ab/ab12…ef``, or ``raw/packs/….pack#<offset>+<length>``. Creating a file costs
~100 µs of system time per document here — more than parsing its JSON and inserting its ~200
cells — while appending to a pack costs ~2 µs; packs are only ever appended to, so a crash leaves
at most unreferenced bytes at their end, as it leaves at most an unreferenced loose file.

    >>> import hashlib, tempfile
    >>> base = Path(tempfile.mkdtemp())                 # the database's folder
    >>> pack = PackWriter(base / "raw", "raw")
    >>> data = b"%PDF-1.7 ..."
    >>> where = pack.append(data); pack.close()
    >>> where.split("#")[1]                             # offset + length in the pack
    '0+12'
    >>> read_raw(base, where, hashlib.sha256(data).hexdigest())
    b'%PDF-1.7 ...'
    >>> read_raw(base, where, "0" * 64) is None          # checked against the hash
    True
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

PACK_LIMIT = 1 << 30  # a new pack after 1 GiB: files stay easy to copy


def _resolve(base: Path, path: str) -> Path:
    p = Path(path)
    return p if p.is_absolute() else base / p


def read_location(base: Path, raw_path: str) -> bytes | None:
    """The bytes at one ``raw_path`` (a file, or a pack slice), or None when not there."""
    path, _, where = raw_path.partition("#")
    target = _resolve(base, path)
    try:
        if not where:
            return target.read_bytes()
        offset, _, length = where.partition("+")
        with open(target, "rb") as f:
            f.seek(int(offset))
            data = f.read(int(length))
        return data if len(data) == int(length) else None
    except (OSError, ValueError):
        return None


def read_raw(base: Path, raw_path: str | None, sha: str,
             raw_dirs: Iterable[Path] = ()) -> bytes | None:
    """A document's raw bytes, checked against its SHA-256, or None when no copy is kept.

    :param base: the database's folder (``raw_path`` is relative to it)
    :param raw_path: ``documents.raw_path``
    :param sha: ``documents.sha256``
    :param raw_dirs: other raw folders to look in for ``<dir>/<sha[:2]>/<sha>`` (a moved archive)
    """
    candidates = [str(Path(d) / sha[:2] / sha) for d in raw_dirs]
    if raw_path:
        candidates.append(raw_path)
    candidates.append(str(Path("raw") / sha[:2] / sha))  # the default layout beside the database
    for location in candidates:
        data = read_location(base, location)
        if data is not None and hashlib.sha256(data).hexdigest() == sha:
            return data
    return None


class PackWriter:
    """Append documents to pack files under ``<raw_dir>/packs`` (one writer per bulk load).

    :param raw_dir: the corpus's raw folder
    :param prefix: how ``documents.raw_path`` names ``raw_dir`` (relative to the database)
    """

    def __init__(self, raw_dir: Path, prefix: str):
        self.dir = Path(raw_dir) / "packs"
        self.prefix = prefix
        self._file = None
        self._name = ""
        self._count = 0
        self._offset = 0  # kept here: BufferedWriter.tell() asks the OS each time

    def append(self, data: bytes) -> str:
        """Write ``data`` at the end of the current pack; returns its ``raw_path``."""
        if self._file is None or self._offset + len(data) > PACK_LIMIT:
            self._open()
        assert self._file is not None
        offset = self._offset
        self._file.write(data)
        self._offset += len(data)
        return f"{self.prefix}/packs/{self._name}#{offset}+{len(data)}"

    def flush(self) -> None:
        """Hand what was appended to the operating system (before its rows are committed)."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _open(self) -> None:
        self.close()
        self.dir.mkdir(parents=True, exist_ok=True)
        self._count += 1
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        self._name = f"{stamp}-{os.getpid()}-{id(self) % 10_000}-{self._count}.pack"
        # "xb": never append to another writer's pack.
        self._file = open(self.dir / self._name, "xb")
        self._offset = 0
