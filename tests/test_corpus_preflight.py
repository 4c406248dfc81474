"""corpus.preflight on the state a second command meets while a first one creates the corpus."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from corpus.preflight import CorpusUnusable, check_corpus_file
from corpus.schema import migrations
from corpus.store import Corpus


def test_a_corpus_being_created_by_another_process_is_not_a_stranger(tmp_path):
    """sqlite-utils commits its migrations table before the first migration: a crawl started
    at that moment beside another (two crawls at once on a new corpus) must go on, not call
    the file another program's database (CI met this race once)."""
    db = tmp_path / "corpus.db"
    migrations.ensure_migrations_table(sqlite_utils.Database(db))
    assert check_corpus_file(db, must_exist=False) == db
    Corpus(db).close()   # and the command then builds it
    assert check_corpus_file(db) == db


def test_another_programs_database_is_still_refused(tmp_path):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    with pytest.raises(CorpusUnusable, match="not a nianbao corpus"):
        check_corpus_file(db, must_exist=False)
