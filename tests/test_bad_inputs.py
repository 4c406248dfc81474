"""Bad input through ``nianbao parse`` as a subprocess: exit 1 with exactly one stderr line and
no traceback (or exit 0 with a clean non-report), within 30 s, memory bounded; plus the time
and memory bounds of ``parse_bounded`` themselves."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parsers import api
from parsers.document import ParseError
from parsers.limits import parse_bounded
from tests.test_readers_pdf import many_pages_pdf

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).parent / "bad_inputs"
EXTENSIONS = [".pdf", ".docx", ".doc", ".wps", ".xls", ".xlsx", ".html", ".txt", ".png", ".jpg"]


def parse(path: Path, *extra: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "nianbao_cli", "parse", str(path), *extra],
                            capture_output=True, text=True, timeout=60, cwd=ROOT, check=False)
    return result, time.monotonic() - started


def assert_clean_failure(result: subprocess.CompletedProcess, elapsed: float,
                         reason: str | None = None) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("nianbao parse: cannot parse ")
    if reason:
        assert reason in lines[0]
    assert elapsed < 30


def assert_clean_outcome(result: subprocess.CompletedProcess, elapsed: float) -> None:
    """Either a one-line failure, or success with a parsed non-report."""
    if result.returncode == 0:
        report = json.loads(result.stdout)
        assert report["is_annual_report"] is False or report.get("warnings") is not None
        assert "Traceback" not in result.stderr
        assert elapsed < 30
    else:
        assert_clean_failure(result, elapsed)


@pytest.mark.parametrize("name, reason", [
    ("empty.pdf", "empty file"),
    ("encrypted.pdf", "encrypted PDF"),
    ("truncated.docx", "corrupt or truncated DOCX"),
    ("bomb.docx", "zip bomb"),
    ("laughs.docx", "DTD"),
])
def test_committed_bad_files_fail_with_one_line(name, reason):
    assert_clean_failure(*parse(BAD / name), reason=reason)


def test_truncated_pdf_is_read_or_refused_cleanly():
    assert_clean_outcome(*parse(BAD / "truncated.pdf", "--json"))


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_random_bytes_under_each_extension(tmp_path, extension):
    path = tmp_path / f"random{extension}"
    path.write_bytes((BAD / "random.bin").read_bytes())
    assert_clean_outcome(*parse(path, "--json"))


def test_empty_file_under_each_extension(tmp_path):
    for extension in (".docx", ".html"):
        path = tmp_path / f"empty{extension}"
        path.write_bytes(b"")
        assert_clean_failure(*parse(path), reason="empty file")


def test_hundred_megabyte_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    result, elapsed = parse(path)
    assert_clean_failure(result, elapsed, reason="too large")
    assert elapsed < 10


def test_html_nested_100000_deep(tmp_path):
    path = tmp_path / "deep.html"
    path.write_bytes(b"<html><body>" + b"<div>" * 100_000 + "文字".encode() + b"</div>" * 100_000
                     + b"</body></html>")
    result, elapsed = parse(path, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["is_annual_report"] is False
    assert elapsed < 30


def test_three_thousand_page_pdf_is_bounded(tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(many_pages_pdf(3000))
    result, elapsed = parse(path, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert any("only the first" in w for w in report["warnings"])
    assert elapsed < 30


def test_pdf_named_docx_still_parses():
    result, _ = parse(BAD / "pdf-named.docx", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["document_type"] == "pdf"


def test_directory_is_not_a_file(tmp_path):
    assert_clean_failure(*parse(tmp_path), reason="not a regular file")


def test_human_summary_without_json(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("一、总体情况\n规章\t0\t0\t0\n", encoding="gbk")
    result, _ = parse(path)
    assert result.returncode == 0
    assert result.stdout.startswith("annual report: ")
    assert "document: txt" in result.stdout


def test_a_reader_bug_is_one_line_not_a_traceback(monkeypatch, capsys, tmp_path):
    from parsers import cli

    def broken(*args, **kwargs):
        raise KeyError("a bug\nspanning lines")

    monkeypatch.setattr(cli, "parse_bounded", broken)
    path = tmp_path / "a.txt"
    path.write_text("x")
    assert cli.run_parse(str(path)) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "internal error: KeyError" in err


def test_bug_inside_the_child_becomes_a_parse_error(monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(api, "parse_document", broken)  # the forked child sees the patch
    with pytest.raises(ParseError, match="internal error: ZeroDivisionError: boom"):
        parse_bounded(b"x", timeout=10)


def test_timeout_kills_the_child(monkeypatch):
    def slow(*args, **kwargs):
        time.sleep(60)

    monkeypatch.setattr(api, "parse_document", slow)
    started = time.monotonic()
    with pytest.raises(ParseError, match="parse timed out after 1 s"):
        parse_bounded(b"x", timeout=1)
    assert time.monotonic() - started < 5


def test_memory_bound(monkeypatch):
    def greedy(*args, **kwargs):
        hog = [bytearray(64 << 20) for _ in range(64)]  # 4 GB
        return {"size": len(hog)}

    monkeypatch.setattr(api, "parse_document", greedy)
    with pytest.raises(ParseError, match=r"out of memory \(> 256 MB\)"):
        parse_bounded(b"x", timeout=20, memory_mb=256)


def test_bounded_parse_returns_the_report():
    report = parse_bounded("一、总体情况\n".encode(), "text/plain", "a.txt", timeout=20)
    assert report["document_type"] == "txt"
    assert report["parser_version"] == api.PARSER_VERSION


@pytest.mark.skipif(not shutil.which("antiword") and not shutil.which("soffice"),
                    reason="no DOC converter installed")
def test_random_bytes_inside_an_ole_doc_container(tmp_path):
    rng = random.Random(7)
    data = bytearray((Path(__file__).parent / "reader_inputs" / "report.doc").read_bytes())
    for k in range(2048, len(data), 37):
        data[k] = rng.getrandbits(8)
    path = tmp_path / "mangled.doc"
    path.write_bytes(bytes(data))
    assert_clean_outcome(*parse(path, "--json"))


def test_parallel_bounded_parses_do_not_wait_for_each_other(monkeypatch):
    """The crawler parses from a thread pool: parses run side by side (the fork lock covers
    only pipe creation and fork), so a fast parse returns while a slow one still runs."""
    import threading

    def parse(data, *args, **kwargs):
        if data == b"slow":
            time.sleep(6)
        return {"data": data.decode()}

    monkeypatch.setattr(api, "parse_document", parse)
    finished: dict[str, float] = {}
    started = time.monotonic()

    def run(data: bytes) -> None:
        parse_bounded(data, timeout=20)
        finished[data.decode()] = time.monotonic() - started

    slow = threading.Thread(target=run, args=(b"slow",))
    slow.start()
    time.sleep(0.3)  # the slow child exists before the fast one forks
    fast = threading.Thread(target=run, args=(b"fast",))
    fast.start()
    fast.join()
    slow.join()
    assert finished["fast"] < 3 < finished["slow"]


def test_noise_printed_while_parsing_stays_out_of_the_output(monkeypatch, capfd):
    import warnings

    def noisy(*args, **kwargs):
        print("a library talking on stdout")
        print("and on stderr", file=sys.stderr)
        warnings.warn("a UserWarning", UserWarning, stacklevel=1)
        return {"is_annual_report": False}

    monkeypatch.setattr(api, "parse_document", noisy)
    assert parse_bounded(b"x", timeout=10) == {"is_annual_report": False}
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_a_child_logging_does_not_wait_for_a_lock_a_parent_thread_held(monkeypatch):
    """A parent thread writing a log line at the moment of the fork leaves that handler's
    lock held for ever in the child; a library that logs while parsing (pdfminer) must not
    touch it. (It did: the nightly's Ctrl-C test hung in CI.)"""
    import logging
    import threading

    held = threading.Lock()

    class SlowStream:
        def write(self, text: str) -> None:
            with held:
                pass

        def flush(self) -> None:
            pass

    def logs(*args, **kwargs):
        logging.getLogger("pdfminer.test").warning("CropBox missing from /Page")
        return {"is_annual_report": False}

    monkeypatch.setattr(api, "parse_document", logs)
    handler = logging.StreamHandler(SlowStream())
    logging.getLogger().addHandler(handler)
    held.acquire()  # "another thread" is inside a write when the child forks
    try:
        assert parse_bounded(b"x", timeout=5) == {"is_annual_report": False}
    finally:
        held.release()
        logging.getLogger().removeHandler(handler)


def test_ctrl_c_to_the_process_group_leaves_the_parse_to_finish(monkeypatch, tmp_path):
    """Ctrl-C reaches the children too: a child neither dies of it (its document would be
    recorded as crashed) nor runs the parent's handler; the parent decides."""
    import os
    import signal

    ran_in = tmp_path / "handler-ran-in"

    def handler(signum, frame):
        with ran_in.open("a") as out:
            out.write(f"{os.getpid()}\n")

    def interrupted(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.3)
        return {"finished": True}

    monkeypatch.setattr(api, "parse_document", interrupted)
    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        assert parse_bounded(b"x", timeout=10) == {"finished": True}
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
    assert not ran_in.exists(), ran_in.read_text()


def test_a_preloaded_parent_forks_children_that_need_no_imports(monkeypatch):
    """The crawler, re-parse and merge call ``preload`` once: every child then starts with the
    readers and their libraries instead of importing them (seconds per document)."""
    from parsers.limits import _PRELOAD, preload

    def imported(*args, **kwargs):
        return {"missing": [m for m in _PRELOAD if m not in sys.modules]}

    preload()
    monkeypatch.setattr(api, "parse_document", imported)
    assert parse_bounded(b"x", timeout=10) == {"missing": []}
    assert {"trafilatura", "pdfplumber.table", "openpyxl"} <= set(_PRELOAD)


def test_a_child_stuck_without_working_is_replaced_once(monkeypatch, tmp_path):
    """A child that times out while idle (stuck on a lock inherited from a busy parent: a small
    page once "timed out after 60 s" under load) gets one successor; one that works does not."""
    first = tmp_path / "first-child-ran"

    def stuck_once(*args, **kwargs):
        if not first.exists():
            first.touch()
            time.sleep(60)  # asleep: no CPU used
        return {"parsed": True}

    monkeypatch.setattr(api, "parse_document", stuck_once)
    assert parse_bounded(b"x", timeout=1) == {"parsed": True}

    runs = tmp_path / "busy-runs"

    def busy(*args, **kwargs):
        with runs.open("a") as out:
            out.write("run\n")
        while True:  # working: its time is the document's
            pass

    monkeypatch.setattr(api, "parse_document", busy)
    with pytest.raises(ParseError, match="parse timed out after 2 s"):
        parse_bounded(b"x", timeout=2)
    assert runs.read_text().count("run") == 1


def test_a_fork_while_the_crawler_reads_a_page_leaves_the_child_free(monkeypatch):
    """The crawler's thread runs ``text_content()`` (an lxml XPath object that locks while it
    evaluates) all the time; a child forked meanwhile used to wait for that lock for ever."""
    import threading

    import lxml.html

    big = lxml.html.fromstring("<div>" + "<p>段落文字</p>" * 200_000 + "</div>")
    stop = threading.Event()

    def crawler_thread():
        while not stop.is_set():
            big.text_content()

    def reads_a_page(*args, **kwargs):
        return {"text": lxml.html.fromstring("<p>年度报告</p>").text_content()}

    monkeypatch.setattr(api, "parse_document", reads_a_page)
    reader = threading.Thread(target=crawler_thread, daemon=True)
    reader.start()
    try:
        for _ in range(3):
            assert parse_bounded(b"x", timeout=3) == {"text": "年度报告"}
    finally:
        stop.set()
        reader.join()
