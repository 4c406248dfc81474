"""Read the seed list (``data/sites.csv``: name,url[,annual_report_url,region_code,level]).

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "s.csv")
    >>> _ = open(path, "w", encoding="utf-8").write("name,url\\n某县人民政府,www.x.gov.cn\\n")
    >>> load_sites(path)[0].url
    'http://www.x.gov.cn/'
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class SeedError(ValueError):
    """The sites file cannot be used (one line, shown by the CLI)."""


@dataclass(frozen=True)
class Site:
    """One seed: where to start and, when known, the 年报 column or a report page."""

    name: str
    url: str
    annual_report_url: str | None = None
    region_code: str | None = None
    level: str | None = None

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


def _fix_url(url: str) -> str | None:
    url = (url or "").strip()
    if not url:
        return None
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url if parts.path else url + "/"


def load_sites(path: str | Path) -> list[Site]:
    """Parse the sites CSV; rows without a usable URL are skipped.

    :raises SeedError: unreadable file, no ``url`` column, or no usable row
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SeedError(f"cannot read sites file {path}: {exc.strerror or exc}") from None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SeedError(f"sites file {path} is neither UTF-8 nor GB18030 text")
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise SeedError(f"sites file {path} is not valid CSV: {exc}") from None
    if not rows or "url" not in (rows[0].keys() if rows else []):
        raise SeedError(f"sites file {path} needs a header with at least name,url and one row")
    sites: list[Site] = []
    seen: set[str] = set()
    for row in rows:
        url = _fix_url(row.get("url") or "")
        if not url or url in seen:
            continue
        seen.add(url)
        sites.append(Site(name=(row.get("name") or "").strip() or url, url=url,
                          annual_report_url=_fix_url(row.get("annual_report_url") or ""),
                          region_code=(row.get("region_code") or "").strip() or None,
                          level=(row.get("level") or "").strip() or None))
    if not sites:
        raise SeedError(f"sites file {path} has no row with a usable http(s) url")
    return sites
