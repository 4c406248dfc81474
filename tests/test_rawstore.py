"""Raw copies: loose files and packs, read back only when the bytes match their hash."""

from __future__ import annotations

import hashlib

import corpus.rawstore as rawstore
from corpus.rawstore import PackWriter, read_raw


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_packs_give_back_each_document_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setattr(rawstore, "PACK_LIMIT", 100)  # a new pack every few documents
    writer = PackWriter(tmp_path / "raw", "raw")
    docs = [f"文档{i}".encode() * (i + 1) for i in range(12)]
    paths = [writer.append(d) for d in docs]
    writer.close()
    assert len({p.split("#")[0] for p in paths}) > 1  # rotated
    for data, path in zip(docs, paths):
        assert read_raw(tmp_path, path, sha(data)) == data
    # A slice that is not the document (wrong hash, cut short, missing pack) gives nothing.
    assert read_raw(tmp_path, paths[0], sha(docs[1])) is None
    name, _, where = paths[3].partition("#")
    offset, _, length = where.partition("+")
    assert read_raw(tmp_path, f"{name}#{offset}+{int(length) + 10_000}", sha(docs[3])) is None
    assert read_raw(tmp_path, "raw/packs/gone.pack#0+3", sha(b"abc")) is None
    assert read_raw(tmp_path, "raw/packs/x.pack#zz", sha(b"abc")) is None


def test_loose_files_and_moved_archives_are_found(tmp_path):
    data = b"%PDF-1.7 report"
    h = sha(data)
    (tmp_path / "raw" / h[:2]).mkdir(parents=True)
    (tmp_path / "raw" / h[:2] / h).write_bytes(data)
    assert read_raw(tmp_path, f"raw/{h[:2]}/{h}", h) == data
    assert read_raw(tmp_path, None, h) == data  # the default layout beside the database
    moved = tmp_path / "elsewhere"
    (moved / h[:2]).mkdir(parents=True)
    (moved / h[:2] / h).write_bytes(data)
    (tmp_path / "raw" / h[:2] / h).unlink()
    assert read_raw(tmp_path, f"raw/{h[:2]}/{h}", h) is None
    assert read_raw(tmp_path, f"raw/{h[:2]}/{h}", h, raw_dirs=[moved]) == data
