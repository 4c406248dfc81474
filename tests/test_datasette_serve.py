"""``nianbao serve`` refuses what it cannot serve with one line and exit 1."""

from __future__ import annotations

import subprocess
import sys

from tests.corpus_env import ROOT


def serve(*args):
    return subprocess.run([sys.executable, "-m", "nianbao_cli", "serve", *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_missing_database(tmp_path):
    result = serve("--db", str(tmp_path / "none.db"), "--port", "0")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"nianbao serve: error: no corpus database at {tmp_path / 'none.db'} "
        "(build one with `nianbao crawl` or run `nianbao demo`)"]


def test_immutable_serving_of_a_published_copy_is_an_option(tmp_path):
    result = serve("--db", str(tmp_path / "none.db"), "--port", "0", "--immutable")
    assert result.returncode == 1 and "no corpus database" in result.stderr  # parsed, then refused
    assert "--immutable" in serve("--help").stdout


def test_not_a_corpus(tmp_path):
    other = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    result = serve("--db", str(other), "--port", "0")
    assert result.returncode == 1 and "not a nianbao corpus" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_the_corpus_answers_under_its_file_name_too(tmp_path):
    """Plain Datasette names a database after its file; ours is always /corpus: the file's
    name redirects there, path, format and query kept."""
    import asyncio

    from corpus.serve import make_datasette
    from corpus.store import Corpus
    from tests.corpus_env import store_synthetic

    path = tmp_path / "nianbao-2024.db"
    corpus = Corpus(path)
    store_synthetic(corpus, "攀枝花市东区科学技术局", [2022, 2023], "http://www.scdongqu.gov.cn/")
    corpus.close()
    ds = make_datasette(path)

    async def get(url):
        return await ds.client.get(url)

    moved = asyncio.run(get("/nianbao-2024/reports.json?_size=1&_shape=objects"))
    assert moved.status_code == 302
    assert moved.headers["location"] == "/corpus/reports.json?_size=1&_shape=objects"
    rows = asyncio.run(get(moved.headers["location"])).json()["rows"]
    assert [r["agency"] for r in rows] == ["攀枝花市东区科学技术局"]
    assert asyncio.run(get("/nianbao-2024")).headers["location"] == "/corpus"
    assert asyncio.run(get("/nianbao-2024.json")).headers["location"] == "/corpus.json"
    assert asyncio.run(get("/nianbao-2024x/reports")).status_code == 404  # another name: no
