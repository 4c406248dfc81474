"""The ``nianbao`` command: one entry point, a sub-command per job.

Each sub-command only parses its arguments and hands over to the package that does the work,
so this file stays a table of contents::

    nianbao parse report.pdf --json
    nianbao crawl --sites data/sites.csv --db data/corpus.db
    nianbao export --db data/corpus.db --format csv --output reports.csv
    nianbao serve --db data/corpus.db
    nianbao nightly --sites data/sites.csv --db data/corpus.db
    nianbao merge --db data/corpus.db worker1.db worker2.db
    nianbao demo

Exit status (docs/contract.md): 0 success, 1 failure with one line on stderr, 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

DEFAULT_DB = "data/corpus.db"


class CommandError(Exception):
    """A failure the user should read as one line (no traceback)."""


def _parse(args: argparse.Namespace) -> int:
    from parsers.cli import run_parse

    return run_parse(args.path, as_json=args.json)


@contextlib.contextmanager
def _sites_file(sites: str) -> Iterator[str]:
    """``--sites <(grep 四川 sites.csv)``, ``--sites /dev/stdin``: a pipe is read once, but the
    command checks the list and the spider reads it again — which found it empty (``Crawler.stats
    is not set yet …``, exit 1). Such a list is copied to a temporary file first (bounded as
    the sites file is: crawler.seeds)."""
    path = Path(sites)
    if not path.exists() or path.is_file() or path.is_dir():
        yield sites
        return
    import tempfile

    from crawler.seeds import MAX_SITES_BYTES, read_sites_bounded

    try:
        data = read_sites_bounded(path)
    except OSError:
        yield sites  # (load_sites says why, in one line)
        return
    if len(data) > MAX_SITES_BYTES:
        yield sites
        return
    with tempfile.TemporaryDirectory(prefix="nianbao-sites-") as folder:
        copy = Path(folder) / (path.name if path.suffix else "sites.csv")
        copy.write_bytes(data)
        yield str(copy)


def _crawl(args: argparse.Namespace) -> int:
    from crawler.run import run_crawl

    with _sites_file(args.sites) as sites:
        return run_crawl(
            sites=sites,
            db=args.db,
            allow_private=args.allow_private,
            raw_dir=args.raw_dir,
            max_pages_per_site=args.max_pages_per_site,
            log_level=args.log_level,
        )


def _export(args: argparse.Namespace) -> int:
    from corpus.export import run_export

    return run_export(db=args.db, fmt=args.format, output=args.output)


def _serve(args: argparse.Namespace) -> int:
    from corpus.serve import run_serve

    return run_serve(db=args.db, host=args.host, port=args.port, immutable=args.immutable)


def _nightly(args: argparse.Namespace) -> int:
    from crawler.nightly import run_nightly

    with _sites_file(args.sites) as sites:
        return run_nightly(
            sites=sites,
            db=args.db,
            allow_private=args.allow_private,
            redis_url=args.redis,
            raw_dir=args.raw_dir,
            log_level=args.log_level,
        )


def _reparse(args: argparse.Namespace) -> int:
    from corpus.preflight import check_corpus_file
    from corpus.reparse import run_reparse

    # As the other writers check --db (a directory said "no corpus database at …", a damaged
    # file was met by the first write)
    check_corpus_file(args.db, must_exist=True, thorough=True)
    return run_reparse(db=args.db)


def _merge(args: argparse.Namespace) -> int:
    from corpus.preflight import check_corpus_file
    from crawler.distributed import main as merge_main

    # Each file checked as the other commands check --db, each named: a worker that was not
    # SQLite said only "merge: error: file is not a database"; a damaged or foreign one,
    # whatever SQLite met first.
    check_corpus_file(args.db, must_exist=False, thorough=True)
    for worker in args.workers:
        if os.path.exists(worker):
            check_corpus_file(worker)
    return merge_main(["merge", args.db, *args.workers])


def _demo(args: argparse.Namespace) -> int:
    from corpus.demo import run_demo

    return run_demo(port=args.port, db=args.db)


def _sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _sighup(signum: int, frame: object) -> None:
    os.kill(os.getpid(), signal.SIGTERM)


def interrupt_on_sigterm() -> None:
    """SIGTERM (``kill``, systemd's stop, cron's timeout) stops a command as Ctrl-C does: exit
    130 with one line, not a silent death by signal. Scrapy installs its own graceful handler
    for both while a crawl runs. SIGHUP (the ssh session of a night started by hand drops)
    killed the command outright, its run left ``running``: it is sent on as a SIGTERM, to
    whichever handler is in place."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _sigterm)
    if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:  # (nohup: left ignored)
        signal.signal(signal.SIGHUP, _sighup)


def _reader_gone() -> int:
    """stdout's reader closed the pipe (``nianbao export … | head``): it had what it wanted.
    Not a failure — stop quietly, exit 0, as ``rg`` does; nothing more goes to the dead pipe
    (Python would otherwise complain about it again while exiting)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return 0


def _port(text: str) -> int:
    """A TCP port for ``--port``: 0 (any free port) to 65535; else a usage error (exit 2)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0 for any free port, up to 65535)")
    return port


def _positive(text: str) -> int:
    """A count for ``--max-pages-per-site``: 1 or more; else a usage error (exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: give 1 or more")
    return value


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(text: str) -> str:
    """A logging level name, any case; else a usage error (it used to be WARNING, silently)."""
    if text.upper() not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(LOG_LEVELS)}")
    return text.upper()


# What every --help ends with (docs/contract.md, "Exit status"); a command adds its own cases.
EXIT_STATUS = (("0", "success"), ("1", "failure: one line on stderr saying what failed"),
               ("2", "usage error (a missing or unknown option, a bad value)"),
               ("130", "interrupted (Ctrl-C, SIGTERM)"))


def _exit_status(ok: str = "", failure: str = "", interrupted: str = "") -> str:
    """The ``exit status:`` block of a ``--help``, with the command's own cases."""
    import textwrap

    more = {"0": ok, "1": failure, "130": interrupted}
    lines = ["exit status:"]
    for code, text in EXIT_STATUS:
        text = f"{text}; {more[code]}" if more.get(code) else text
        lines += textwrap.wrap(text, 72, initial_indent=f"  {code:<5}", subsequent_indent=" " * 7)
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description="The open national corpus of 政府信息公开工作年度报告: "
        "crawl, parse, store and publish government information disclosure annual reports.",
        epilog=_exit_status() + "\n\n`nianbao COMMAND --help` shows a command's options; the "
        "fixed interface is docs/contract.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    raw = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("parse", help="parse one local report document",
                       description="Parse one local document (HTML, PDF, DOCX, DOC, WPS, XLS/XLSX, "
                       "TXT, images) into the figures of its annual report.",
                       formatter_class=raw, epilog=_exit_status(
                           ok="the file was read, whether or not it is an annual report",
                           failure="corrupt, encrypted, unsupported, over the size or time bound"))
    p.add_argument("path", help="the document to parse")
    p.add_argument("--json", action="store_true", help="print the parsed report as one JSON object")
    p.set_defaults(func=_parse)

    def crawl_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--sites", required=True, help="CSV of sites: name,url[,annual_report_url,region_code,level]")
        p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite corpus (default {DEFAULT_DB})")
        p.add_argument("--allow-private", action="store_true",
                       help="allow hosts that resolve to loopback or private addresses")
        p.add_argument("--raw-dir", default=None,
                       help="where raw documents are kept (default: beside the database, in raw/)")
        p.add_argument("--log-level", default="WARNING", type=_log_level,
                       help="Scrapy log level: DEBUG, INFO, WARNING (default), ERROR")

    p = sub.add_parser("crawl", help="crawl sites and store their annual reports",
                       description="Crawl the sites of a CSV, find their annual reports, "
                       "parse and store them in the corpus.",
                       formatter_class=raw, epilog=_exit_status(
                           ok="sites that failed are errors rows; the summary line counts them",
                           failure="no site answered at all, a bad sites file or --db",
                           interrupted="what was stored stays; run it again"))
    crawl_options(p)
    p.add_argument("--max-pages-per-site", type=_positive, default=None,
                   help="page budget per site (default from crawler settings)")
    p.set_defaults(func=_crawl)

    p = sub.add_parser("export", help="export every stored report",
                       description="Export every stored report: jsonl (one parsed report per line) "
                       "or csv/parquet (one row per report, one column per cell; the codebook "
                       "beside it as FILE.codebook.csv).",
                       formatter_class=raw, epilog=_exit_status())
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite corpus (default {DEFAULT_DB})")
    p.add_argument("--format", required=True, choices=["jsonl", "csv", "parquet"],
                   help="jsonl, csv or parquet (parquet needs pyarrow and --output)")
    p.add_argument("--output", default=None, help="output file (default: stdout for jsonl/csv)")
    p.set_defaults(func=_export)

    p = sub.add_parser("serve", help="serve the corpus with Datasette (read-only)",
                       description="Serve the corpus with Datasette, read-only, with the project's "
                       "metadata, canned queries and charts, until interrupted.",
                       formatter_class=raw, epilog=_exit_status(
                           failure="no corpus at --db, the port in use, the host unknown"))
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite corpus (default {DEFAULT_DB})")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8001, help="TCP port (default 8001; 0: any free port)")
    p.add_argument("--immutable", action="store_true",
                   help="the file is a published copy no process writes to: open it immutable "
                   "(faster reads, counts cached); not while a nightly job writes to it")
    p.set_defaults(func=_serve)

    p = sub.add_parser("nightly", help="the scheduled incremental crawl",
                       description="Incremental crawl plus database refresh; safe to run every night "
                       "and to interrupt. Prints one summary line on stdout.",
                       formatter_class=raw, epilog=_exit_status(
                           ok="a partial night adds one warning line per site that did not answer",
                           failure="another run holds the lock, no site answered, the disk is "
                           "full, the corpus is damaged",
                           interrupted="the next start resumes the run"))
    crawl_options(p)
    p.add_argument("--redis", default=None, metavar="URL",
                   help="share the crawl frontier through Redis (scrapy-redis), e.g. redis://host:6379/0")
    p.set_defaults(func=_nightly)

    p = sub.add_parser("reparse", help="re-parse every stored raw document",
                       description="Re-parse every stored raw document with the current parser, "
                       "without fetching, and record which figures changed.",
                       formatter_class=raw, epilog=_exit_status())
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite corpus (default {DEFAULT_DB})")
    p.set_defaults(func=_reparse)

    p = sub.add_parser("merge", help="fold per-worker databases into one corpus",
                       description="Fold the databases written by nightly workers on several "
                       "machines into one corpus (idempotent: a report found twice is one report).",
                       formatter_class=raw, epilog=_exit_status())
    p.add_argument("--db", default=DEFAULT_DB, help=f"the corpus to merge into (default {DEFAULT_DB})")
    p.add_argument("workers", nargs="+", help="worker databases (each with its raw/ folder beside it)")
    p.set_defaults(func=_merge)

    p = sub.add_parser("demo", help="crawl the bundled sample web and serve the corpus",
                       description="Start the bundled sample government web on loopback, crawl it "
                       "with the real spider, build the corpus and serve it with Datasette, "
                       "printing its URL; runs until interrupted.",
                       formatter_class=raw, epilog=_exit_status())
    p.add_argument("--port", type=_port, default=8001, help="TCP port (default 8001; 0: any free port)")
    p.add_argument("--db", default=None, help="where to build the demo corpus (default: a temporary directory)")
    p.set_defaults(func=_demo)
    return parser


def _open_closed_streams() -> None:
    """A command started with fd 0, 1 or 2 closed (``2>&-``, ``>&-``, a careless spawner):
    Python sets ``sys.stderr`` (or stdout) to None — the one error line itself failed
    (``'NoneType' object has no attribute 'write'``), export said ``argument 1 must have a
    "write" method`` — and the next file opened takes the free descriptor: the corpus as fd 2,
    where a child's complaints (antiword, LibreOffice) would be written into the database.
    Each closed one is opened on /dev/null first."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            new = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
            if new != fd:
                os.dup2(new, fd)
                os.close(new)
            if getattr(sys, name) is None:
                setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8",
                                        errors="backslashreplace", closefd=False))


def main(argv: list[str] | None = None) -> int:
    _open_closed_streams()
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else argv):
        # `nianbao` alone: what it can do (argparse said only "arguments are required: COMMAND")
        parser.print_help(sys.stderr)
        return 2
    args = parser.parse_args(argv)  # exits 2 on a usage error
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    interrupt_on_sigterm()
    _utf8_stdout()
    streams = sys.stdout, sys.stderr
    if args.command not in ("parse", "export"):  # (theirs is the output: stop when unread)
        sys.stdout, sys.stderr = _ReaderMayGo(sys.stdout), _ReaderMayGo(sys.stderr)
    if argv is None and args.command != "parse":  # the real command (parse needs no corpus)
        _sqlite_utils_without_pandas()
    try:
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # here, not at exit: a reader gone (`| head`) is handled below
        return status
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt:
        print(f"nianbao {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the contract: one clear line, never a traceback
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if isinstance(exc, OSError) and exc.strerror and not exc.filename:
            message = exc.strerror  # (stdout on a full disk: "[Errno 28] No space left …")
        print(f"nianbao {args.command}: error: {message}", file=sys.stderr)
        return 1
    finally:
        sys.stdout, sys.stderr = streams
        if argv is None:  # the real command, not a test calling main()
            _status_decided()


class _ReaderMayGo:
    """stdout/stderr of a command whose work is not its output (crawl, nightly, reparse,
    merge, demo, serve): a reader gone (``nianbao nightly | head -1``, a log pipe that died)
    made the summary line's ``print`` raise mid-run — the crawl's row was closed ``failed``
    after a good crawl, the night's bookkeeping after it skipped, exit 0 and not a word. Now
    what cannot be written is dropped and the work goes on to its end."""

    def __init__(self, stream: object) -> None:
        self._stream = stream
        self._gone = False

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return self._stream.write(text)  # type: ignore[attr-defined]
            except OSError as exc:
                self._went(exc)
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()  # type: ignore[attr-defined]
            except OSError as exc:
                self._went(exc)

    def _went(self, exc: OSError) -> None:
        """The reader is gone (``EPIPE``) or the terminal hung up (``EIO``, after a SIGHUP);
        anything else (a full disk) is the command's to report."""
        import errno

        if exc.errno not in (errno.EPIPE, errno.EIO):
            raise exc
        self._gone = True
        for real in (sys.__stdout__, sys.__stderr__):
            if self._stream is real:  # nor at exit, when Python flushes it again
                try:
                    devnull = os.open(os.devnull, os.O_WRONLY)
                    os.dup2(devnull, real.fileno())
                    os.close(devnull)
                except (OSError, ValueError):
                    pass

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _utf8_stdout() -> None:
    """What goes to stdout is data — ``parse --json``, ``export`` to a pipe, the summary lines
    a cron job logs — and is UTF-8 whatever the locale: under an ISO-8859-1 or ASCII locale (an
    old server's cron, ``PYTHONIOENCODING=ascii``) ``parse --json`` of any Chinese report failed
    (``'latin-1' codec can't encode characters``, exit 1), and under GB18030 it wrote JSON that
    is not UTF-8. (Under C/POSIX Python itself switches to UTF-8.) stderr keeps the locale's
    encoding, with ``\\u`` escapes for what it cannot show: its lines are for a person."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if encoding and encoding != "utf8" and hasattr(sys.stdout, "reconfigure"):
        try:
            sys.stdout.reconfigure(encoding="utf-8")
        except (ValueError, OSError):  # already written to: keep it as it is
            pass


def _sqlite_utils_without_pandas() -> None:
    """Import sqlite-utils with pandas out of sight: it imports pandas (and pyarrow with it) at
    its own import only to map ``pandas.Timestamp`` to TEXT, ≈ 0.7 CPU-seconds of every command's
    start (nothing here stores a Timestamp). pandas stays importable afterwards."""
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # `import pandas` → ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]


def _status_decided() -> None:
    """The command's work is done and its status decided: a Ctrl-C or SIGTERM arriving now,
    while Python shuts down (threads joined, handlers already gone), killed it by signal
    (-15, -2) — the operator read a night that finished as one killed."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(sig, signal.SIG_IGN)
        except ValueError:  # not the main thread
            pass


if __name__ == "__main__":
    sys.exit(main())
