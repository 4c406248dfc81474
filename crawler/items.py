"""What the spider hands to the pipelines (dataclasses, as Scrapy's itemadapter supports).

    ReportCandidate   documents that may hold one or more annual reports: a report page and its
                      attachments, or one attachment found in a list; the pipeline parses each,
                      keeps what ``is_annual_report`` accepts, and stores the one with the tables.
    CrawlError        a failed request, recorded in the corpus (``corpus.record_error``).
    SeenDocument      a known document answered 304 Not Modified (``corpus.mark_seen``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FetchedDocument:
    """One fetched document with its provenance."""

    url: str
    body: bytes
    content_type: str | None
    status: int
    headers: dict[str, str]
    fetched_at: str                   # ISO 8601 UTC
    page_url: str | None = None       # the page that linked it (or contained it)
    part_urls: tuple[str, ...] = ()   # further pages of an article joined into this one (body)

    def __repr__(self) -> str:  # what a log line shows of an item: never the bytes
        return f"FetchedDocument({self.url!r}, {len(self.body)} bytes, {self.content_type!r})"


@dataclass
class ReportCandidate:
    """Documents of one report candidate (page first, then its attachments)."""

    site_url: str
    documents: list[FetchedDocument] = field(default_factory=list)
    page_metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class CrawlError:
    """A request that failed for good (after retries)."""

    url: str
    site_url: str
    kind: str                         # http | dns | timeout | robots | private | size | connection | parse
    reason: str
    status: int | None = None


@dataclass
class SeenDocument:
    """A known document that is still served unchanged (conditional GET answered 304)."""

    url: str
    site_url: str
