"""Name the kind of a failed request, for ``corpus.record_error`` and the crawl summary.

Kinds: ``http`` (4xx/5xx after retries), ``robots`` (forbidden by robots.txt), ``private``
(refused private address), ``scope`` (a redirect leaving the crawl's scope), ``dns``, ``timeout``, ``connection``, ``size`` (over
DOWNLOAD_MAXSIZE), ``ignored``, or the exception's class name.
"""

from __future__ import annotations

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

from crawler.middlewares import OutOfScope, PrivateAddressRefused


def classify_failure(failure: Failure) -> tuple[str, int | None, str]:
    """(kind, HTTP status or None, one-line reason) of a request's failure."""
    exc = failure.value
    reason = " ".join(str(exc).split())[:300] or type(exc).__name__
    if isinstance(exc, HttpError):
        status = exc.response.status
        return "http", status, f"HTTP {status}"
    if isinstance(exc, PrivateAddressRefused):
        return "private", None, reason
    if isinstance(exc, OutOfScope):
        return "scope", None, reason
    if isinstance(exc, IgnoreRequest):
        return ("robots" if "robots" in reason.lower() else "ignored"), None, reason
    if isinstance(exc, DNSLookupError):
        return "dns", None, reason
    if isinstance(exc, (TimeoutError, TCPTimedOutError, defer.TimeoutError)):
        return "timeout", None, reason
    if "maxsize" in reason.lower() or "max size" in reason.lower() or "larger than" in reason.lower():
        return "size", None, reason
    if isinstance(exc, defer.CancelledError):
        return "size", None, reason or "download cancelled (size limit)"
    if isinstance(exc, (ConnectionRefusedError, ConnectError, ConnectionLost, ResponseFailed,
                        ResponseNeverReceived)):
        return "connection", None, reason
    return type(exc).__name__.lower(), None, reason
