"""What the simulated web serves: routes, their behaviours, and how links name other hosts.

A page's HTML refers to another host as ``{{origin:HOST}}/path``; the server replaces the
placeholder per request with ``http://HOST`` (through the proxy) or ``http://127.0.0.N:PORT``
(direct), so one built site serves both ways.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

ORIGIN = re.compile(r"\{\{origin:([A-Za-z0-9.\-]+)\}\}")


def origin(host: str) -> str:
    """The placeholder for ``http://HOST`` inside a page (see module docstring)."""
    return "{{origin:" + host + "}}"


@dataclass
class Request:
    """One request as a route handler sees it."""

    host: str
    path: str
    query: dict[str, list[str]]
    method: str
    form: dict[str, list[str]]
    user_agent: str


@dataclass
class Reply:
    """What a dynamic handler returns."""

    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    """One served path.

    ``text`` pages are encoded with ``encoding`` at serve time (after host placeholders are
    filled); ``charset_header`` says what the Content-Type announces: ``"declared"`` (the
    truth), ``"missing"`` (no charset) or a wrong charset name such as ``"utf-8"`` for a GBK page.
    """

    text: str | None = None
    body: bytes | None = None
    content_type: str = "text/html"
    encoding: str = "utf-8"
    charset_header: str = "declared"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    redirect: str | None = None          # Location (may hold a placeholder); status 301/302
    delay: float = 0.0                   # seconds before answering (the slow page)
    fail_first: int = 0                  # answer 500 this many times, then normally
    handler: Callable[[Request], Reply] | None = None
    any_query: bool = True               # False: the query string selects a dynamic handler
