"""Bounds on what one parse may cost: input size, wall-clock time, memory.

    >>> from parsers.limits import parse_bounded
    >>> parse_bounded(b"<html><body><p>hello</p></body></html>", "text/html")["is_annual_report"]
    False

Why a child process: a hostile or broken document (a decompression bomb, a PDF with a
million objects, a reader bug that loops) must cost the caller one ``ParseError``, not its
memory or its night. ``parse_bounded`` forks, caps the child's address space with
``RLIMIT_AS``, waits at most ``timeout`` seconds, and kills it when over. The crawler, the CLI
and the re-parse job all go through it.

The size cap is checked before the bytes are read (``read_file`` stats first), so a 100 MB
file is refused in milliseconds.
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import resource
import select
import signal
import stat
import sys
import threading
import time
from pathlib import Path

from parsers.document import ParseError

# Threads (the crawler parses in a thread pool) must not fork while another thread holds a
# pipe end the new child would inherit: pipe creation, fork and the parent's bookkeeping are
# serialised, and every child closes the read ends of the other parses.
_FORK_LOCK = threading.Lock()
_PIPES: set[int] = set()
# Ctrl-C or a service stop signals the whole process group, parse children included. A child
# must neither die of it (its document would be recorded as crashed) nor run the parent's
# handler (Scrapy's logs, and the log stream's lock may be held by a parent thread that does
# not exist in the child: the child hangs). It ignores them and finishes; the parent decides.
_PARENT_SIGNALS = {signal.SIGINT, signal.SIGTERM}

# What a parse imports, imported once in the parent rather than in every forked child: the
# children start with them (an HTML parse spent ~0.9 s importing trafilatura, a PDF ~0.3 s on
# pdfplumber, each time), and a child can never need a module that another parent thread was
# importing at the fork (that module's import lock would stay held in the child).
_PRELOAD = ("parsers.api", "parsers.report", "parsers.metadata", "parsers.readers",
            "parsers.readers.pdf", "parsers.readers.docx", "parsers.readers.doc",
            "parsers.readers.html", "parsers.readers.mhtml", "parsers.readers.sheet",
            "parsers.readers.image", "parsers.readers.text", "pdfplumber.table", "pypdfium2",
            "pypdfium2.raw", "openpyxl", "xlrd", "trafilatura", "lxml.cssselect",
            "charset_normalizer", "psutil")
_preloaded = False

MAX_FILE_BYTES = 64 * 1024 * 1024  # real reports are < 20 MB; scanned ones rarely above 50 MB
DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_MB = 1024


def check_size(size: int, limit: int = MAX_FILE_BYTES) -> None:
    """Raise :class:`ParseError` when ``size`` bytes is over the input cap."""
    if size > limit:
        raise ParseError(f"file too large ({size / 1048576:.1f} MB > {limit // 1048576} MB limit)")


def read_file(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a regular file after checking its size (stat first, never read an oversized file).

    :raises ParseError: missing, unreadable, not a regular file, empty handled by readers, or
        over ``limit`` bytes
    """
    path = Path(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ParseError(f"not a regular file: {path}")
    check_size(info.st_size, limit)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror or exc}") from None
    check_size(len(data), limit)
    return data


def _silence_output() -> None:
    """Send the child's stdout/stderr to /dev/null and ignore warnings: libraries that print
    (xlrd, openpyxl's UserWarnings, converters) must not add lines to the caller's output —
    the result travels through the pipe, and the CLI promises exactly one line on error."""
    import warnings

    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        try:
            os.dup2(devnull, fd)
        except OSError:
            pass
    os.close(devnull)
    # Python-level streams too: they may sit on other descriptors (a test harness's capture)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives until os._exit


def _own_lxml_xpaths() -> None:
    """Give the child its own copies of lxml.html's module-level XPath objects.

    An XPath object locks while it evaluates, and ``HtmlElement.text_content()`` runs one of
    them (``_collect_string_content``): the crawler's thread calls it all the time, and a fork
    in the middle left that lock held for ever in the child — small HTML reports "timed out".
    """
    html = sys.modules.get("lxml.html")
    if html is None:
        return
    from lxml import etree

    for name, value in list(vars(html).items()):
        if isinstance(value, etree.XPath):
            setattr(html, name, etree.XPath(value.path, smart_strings=False,
                                            namespaces={"x": html.XHTML_NAMESPACE}))


def _close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _address_space_limit(memory_mb: int) -> int:
    """Bytes of address space to allow the child.

    RLIMIT_AS counts *virtual* memory, which a long-running parent (a crawler with threads and
    mapped libraries) may already hold a lot of; the child inherits it. So the child gets
    ``memory_mb`` in total when the parent is small (the CLI), else what it already has plus
    ``memory_mb``: either way the parse itself can allocate at most about ``memory_mb``.
    """
    budget = memory_mb * 1024 * 1024
    try:
        import psutil

        current = psutil.Process().memory_info().vms
    except Exception:  # noqa: BLE001 - psutil is a dependency, but a bound must not depend on it
        current = 0
    return budget if current < budget // 2 else current + budget


def _child(write_fd: int, data: bytes, content_type: str | None, url: str | None,
           page_metadata: dict[str, str] | None, memory_mb: int, timeout: float) -> None:
    """Runs in the forked child: parse, send ``(status, payload)`` through the pipe, exit."""
    status: str
    payload: object
    try:
        # Libraries log (pdfminer's warnings): the inherited handlers write to the parent's
        # streams, whose locks another parent thread may have held at the fork, for ever here.
        logging.disable(logging.CRITICAL)
        _own_lxml_xpaths()
        _silence_output()
        limit = _address_space_limit(memory_mb)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(int(timeout) + 2)  # a backstop should the parent die first
        from parsers.api import parse_document

        status, payload = "ok", parse_document(data, content_type, url,
                                               page_metadata=page_metadata)
    except ParseError as exc:
        status, payload = "error", str(exc)
    except MemoryError:
        status, payload = "oom", ""
    except RecursionError:
        status, payload = "error", "document nested too deeply"
    except BaseException as exc:  # noqa: BLE001 - a reader bug must still end as one line
        status, payload = "error", f"internal error: {type(exc).__name__}: {exc}"
    try:
        blob = pickle.dumps((status, payload))
    except Exception as exc:  # noqa: BLE001
        blob = pickle.dumps(("error", f"internal error: unpicklable result ({exc})"))
    view = memoryview(blob)
    while view:
        written = os.write(write_fd, view)
        view = view[written:]


def preload() -> None:
    """Import what parses use, once, in a process that will parse many documents (the crawler,
    re-parse, merge) and before it starts threads that parse: a single parse (``nianbao parse``)
    is faster without, its child importing only the reader it needs.

        >>> from parsers.limits import preload
        >>> preload()
    """
    global _preloaded
    if _preloaded:
        return
    for name in _PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - an optional library missing: the child says so
            pass
    _preloaded = True


def parse_bounded(data: bytes, content_type: str | None = None, url: str | None = None,
                  page_metadata: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT,
                  memory_mb: int = DEFAULT_MEMORY_MB) -> dict:
    """``parse_document`` in a forked child with time and memory bounds.

    A child that ran out of time *without working* (it used under a fifth of the time on the
    CPU: stuck on a lock it inherited from a busy parent, never the document's fault) is
    replaced by a second one, once.

    :param data: the document's bytes
    :param content_type: HTTP Content-Type or None
    :param url: URL or file name (extension hint)
    :param page_metadata: facts from the linking page (see ``parse_document``)
    :param timeout: wall-clock seconds before the child is killed
    :param memory_mb: address-space budget of the child, in MiB
    :raises ParseError: unreadable input, or ``parse timed out after N s`` /
        ``out of memory (> N MB)`` / ``parser crashed (signal N)``
    """
    check_size(len(data))
    try:
        return _parse_in_child(data, content_type, url, page_metadata, timeout, memory_mb)
    except _Stalled:
        try:
            return _parse_in_child(data, content_type, url, page_metadata, timeout, memory_mb)
        except _Stalled as again:
            raise ParseError(str(again)) from None


class _Stalled(ParseError):
    """The child timed out while hardly using the CPU."""


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a live process has used; None when unknown."""
    try:
        import psutil

        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    except Exception:  # noqa: BLE001 - unknown: the timeout stands as the document's
        return None


def _parse_in_child(data: bytes, content_type: str | None, url: str | None,
                    page_metadata: dict[str, str] | None, timeout: float,
                    memory_mb: int) -> dict:
    """One forked child's parse (see ``parse_bounded``)."""
    with _FORK_LOCK:
        read_fd, write_fd = os.pipe()
        # Blocked in this thread across the fork, so that the child inherits them blocked
        # and can ignore them before one is delivered (the other threads still take them).
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _PARENT_SIGNALS)
        pid = -1
        try:
            pid = os.fork()
        finally:
            if pid != 0:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if pid == 0:  # child
            code = 0
            try:
                for signum in _PARENT_SIGNALS:
                    signal.signal(signum, signal.SIG_IGN)
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                # Pipes of parses running in other threads were inherited: close them, or
                # their parents would wait for this child to end before seeing end-of-file.
                for fd in _PIPES:
                    _close_quietly(fd)
                os.close(read_fd)
                _child(write_fd, data, content_type, url, page_metadata, memory_mb, timeout)
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        _PIPES.add(read_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                timed_out = True
                break
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        with _FORK_LOCK:
            _PIPES.discard(read_fd)
            os.close(read_fd)
        worked = None
        if timed_out:
            worked = _cpu_seconds(pid)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, wait_status = os.waitpid(pid, 0)
    shown = f"{timeout:g}"
    if timed_out:
        stalled = worked is not None and worked < timeout / 5
        raise (_Stalled if stalled else ParseError)(f"parse timed out after {shown} s")
    if not chunks:
        if os.WIFSIGNALED(wait_status):
            sig = os.WTERMSIG(wait_status)
            if sig == signal.SIGALRM:
                raise ParseError(f"parse timed out after {shown} s")
            if sig in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS):
                # a C library that cannot allocate aborts or crashes instead of raising
                raise ParseError(f"parser crashed (signal {sig}); out of memory (> {memory_mb} MB)?")
            raise ParseError(f"parser crashed (signal {sig})")
        raise ParseError("parser exited without a result")
    try:
        status, payload = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001
        raise ParseError("parser sent an unreadable result") from None
    if status == "ok":
        return payload
    if status == "oom":
        raise ParseError(f"out of memory (> {memory_mb} MB)")
    raise ParseError(str(payload))
