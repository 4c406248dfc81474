"""Red team round 9: the command line and the night operator (docs/redteam-hostile.md).

What round 8 left: a run killed by ``kill -9`` kept its ``crawl_runs`` row ``running`` forever
(now closed as ``aborted`` by the next run, a live one left alone); a sites file typed with a
Chinese input method (``，`` ``；`` separators, ``http：／／``, quotes, ideographic spaces).
The runs stopped by a signal are in tests/test_redteam_cli.py (its slow test), and so is, since
round 10, a signal in the instant before Scrapy's handlers (with the other light commands).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from corpus.store import Corpus
from tests.nightly_support import ROOT

# A process that claims run N of a corpus, says so, and waits to be killed.
_CLAIMANT = ("import sys, time; from corpus.runclaim import claim_run; "
             "c = claim_run(sys.argv[1], int(sys.argv[2])); print('claimed', flush=True); "
             "time.sleep(120)")


def _claimant(db: Path, run_id: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", _CLAIMANT, str(db), str(run_id)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "claimed"
    return proc


def test_a_killed_runs_row_is_closed_by_the_next_run_and_a_live_one_is_not(tmp_path: Path
                                                                           ) -> None:
    """Three rows ``running``: one whose process lives (another crawl on the same corpus, or a
    night: allowed), one whose process was killed with SIGKILL, one from before runs were
    claimed. The next crawl closes only the killed one, as ``aborted`` with the time it
    noticed (it stayed ``running`` forever)."""
    from crawler.run import open_corpus_check

    db = tmp_path / "c.db"
    with Corpus(db) as corpus:
        live, killed, unclaimed = (corpus.start_run(kind=k) for k in ("nightly", "crawl", "crawl"))
    alive = _claimant(db, live)
    dead = _claimant(db, killed)
    dead.send_signal(signal.SIGKILL)
    dead.wait(timeout=10)
    try:
        before = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
        run_id, claim = open_corpus_check(str(db), run_kind="crawl", sites="s.csv")
        claim.release()
    finally:
        alive.kill()
        alive.wait(timeout=10)
    with Corpus(db) as corpus:
        rows = {r["id"]: r for r in corpus.db.query("SELECT * FROM crawl_runs")}
    assert [rows[i]["status"] for i in (live, killed, unclaimed, run_id)] == \
        ["running", "aborted", "running", "running"]
    assert rows[killed]["finished_at"] >= before and "pid" in rows[killed]["stats"]
    assert rows[live]["finished_at"] is None


def test_a_sites_file_typed_with_a_chinese_input_method(tmp_path: Path) -> None:
    """Full-width ``，`` / ``；`` as separators (refused: "needs a header"), a url typed as
    ``http：／／…／`` or ``www。x。gov。cn``, wrapped in quotes or ideographic spaces (skipped
    as "not an http(s) URL")."""
    from crawler.seeds import load_sites

    expected = [("甲县人民政府", "http://www.jia.gov.cn/"), ("乙县人民政府", "http://www.yi.gov.cn/")]
    files = {
        "fullwidth_comma.csv": "名称，网址\n甲县人民政府，http：／／www.jia.gov.cn／\n"
                               "乙县人民政府，www。yi。gov。cn\n",
        "fullwidth_semicolon.csv": "name；url\n甲县人民政府；http://www.jia.gov.cn/\n"
                                   "乙县人民政府；ｗｗｗ.yi.gov.cn\n",
        "quotes_and_spaces.csv": "name,url\n甲县人民政府, \"http://www.jia.gov.cn/\" \n"
                                 "乙县人民政府,“www.yi.gov.cn”\n",
        "ideographic_spaces.tsv": "name\t url \n甲县人民政府\t\u3000http://www.jia.gov.cn/\u3000\n"
                                  "乙县人民政府\t'http://www.yi.gov.cn/'\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert [(s.name, s.url) for s in load_sites(tmp_path / name)] == expected, name


def test_corpus_opened_from_python_refuses_another_programs_database(tmp_path: Path) -> None:
    """``Corpus(path)`` on another program's SQLite file switched it to WAL and added the corpus
    tables to it; the commands refused it (corpus.preflight), the class did not."""
    import hashlib
    import sqlite3

    import pytest

    from corpus.preflight import CorpusUnusable

    other = tmp_path / "accounts.db"
    conn = sqlite3.connect(other)
    with conn:
        conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)")
    conn.close()
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    with pytest.raises(CorpusUnusable, match="not a nianbao corpus"):
        Corpus(other)
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before
    Corpus(tmp_path / "new.db").close()  # a new file is still created


def test_every_help_says_the_contracts_defaults_and_exit_statuses(capsys) -> None:
    """``--help`` named no exit status at all, nor serve's default host; ``nianbao`` alone said
    only "the following arguments are required: COMMAND"."""
    import nianbao_cli

    parser = nianbao_cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices  # the sub-command parsers
    assert set(commands) >= {"parse", "crawl", "export", "serve", "nightly", "demo"}
    for name, sub in commands.items():
        text = " ".join(sub.format_help().split())
        assert "exit status: 0 success" in text and "130 interrupted" in text, name
        assert "2 usage error" in text and "1 failure: one line on stderr" in text, name
    helps = {name: " ".join(sub.format_help().split()) for name, sub in commands.items()}
    for name in ("crawl", "nightly", "export", "serve"):
        assert "(default data/corpus.db)" in helps[name], name
    assert "(default 127.0.0.1)" in helps["serve"] and "(default 8001" in helps["serve"]
    assert "(default 8001" in helps["demo"] and "until interrupted" in helps["demo"]
    assert "resumes" in helps["nightly"] and "one warning line per site" in helps["nightly"]
    assert "parquet needs pyarrow" in helps["export"]
    assert nianbao_cli.main([]) == 2
    err = capsys.readouterr().err
    assert all(f"    {name} " in err for name in ("parse", "crawl", "serve", "nightly")), err
