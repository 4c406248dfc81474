"""Name the kind of a failed request, for ``corpus.record_error`` and the crawl summary.

Kinds: ``http`` (4xx/5xx after retries), ``robots`` (forbidden by robots.txt), ``unreachable``
(not fetched: the host's robots.txt failed with a server or network fault), ``private``
(refused private address), ``scope`` (a redirect leaving the crawl's scope), ``dns``, ``timeout``, ``connection``, ``size`` (over
DOWNLOAD_MAXSIZE), ``maintenance`` / ``login`` (a 200 answer that is a maintenance notice or a
login form), ``challenge`` (an anti-bot interstitial), ``spider`` (reading a fetched page
raised: a bug met on an odd page, ``middlewares.CallbackErrorMiddleware``), ``ignored``, or the
exception's class name.
"""

from __future__ import annotations

import errno
import sqlite3

import scrapy.exceptions as scrapy_exc
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.middlewares import OutOfScope, PrivateAddressRefused, RobotsUnreachable, SoftErrorPage

# Errors that say a request never reached a web server (or was not allowed to try): a crawl
# that met only these, and no answer at all, reached nothing (network, proxy or DNS down).
NO_ANSWER_KINDS = frozenset({"connection", "dns", "timeout", "unreachable", "private"})


def storage_full(exc: BaseException) -> bool:
    """The disk (or quota) holding the corpus, its raw copies or the crawl state is full — or
    cannot be written at all: a file size limit (``ulimit -f``: ``EFBIG``, which SQLite reports
    as "disk I/O error") or a failing disk. Every further write would fail the same way."""
    if isinstance(exc, sqlite3.OperationalError):
        # SQLITE_FULL: "database or disk is full"; SQLITE_IOERR: "disk I/O error"
        return "full" in str(exc) or "disk I/O error" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG,
                                                      errno.EIO)


def _scrapy(*names: str) -> tuple[type[BaseException], ...]:
    """Scrapy's own download exceptions (2.13+ wraps Twisted's); absent names are skipped."""
    return tuple(getattr(scrapy_exc, n) for n in names if hasattr(scrapy_exc, n))


DNS = (DNSLookupError, *_scrapy("CannotResolveHostError"))
TIMEOUT = (TimeoutError, TCPTimedOutError, defer.TimeoutError, *_scrapy("DownloadTimeoutError"))
CANCELLED = (defer.CancelledError, *_scrapy("DownloadCancelledError"))
CONNECTION = (ConnectionRefusedError, ConnectError, ConnectionLost, ResponseFailed, ResponseNeverReceived,
              *_scrapy("DownloadConnectionRefusedError", "DownloadFailedError", "ResponseDataLossError"))


def classify_failure(failure: Failure) -> tuple[str, int | None, str]:
    """(kind, HTTP status or None, one-line reason) of a request's failure."""
    exc = failure.value
    reason = " ".join(str(exc).split())[:300] or type(exc).__name__
    if isinstance(exc, HttpError):
        status = exc.response.status
        return "http", status, f"HTTP {status}"
    if isinstance(exc, SoftErrorPage):
        return exc.kind, 200, reason
    if isinstance(exc, PrivateAddressRefused):
        return "private", None, reason
    if isinstance(exc, OutOfScope):
        return "scope", None, reason
    if isinstance(exc, RobotsUnreachable):
        return "unreachable", None, reason
    if isinstance(exc, IgnoreRequest):
        return ("robots" if "robots" in reason.lower() else "ignored"), None, reason
    if isinstance(exc, DNS):
        return "dns", None, reason
    if isinstance(exc, TIMEOUT):
        return "timeout", None, reason
    if "maxsize" in reason.lower() or "max size" in reason.lower() or "larger than" in reason.lower():
        return "size", None, reason
    if isinstance(exc, CANCELLED):
        return "cancelled", None, reason
    if isinstance(exc, CONNECTION):
        return "connection", None, reason
    return type(exc).__name__.lower(), None, reason
