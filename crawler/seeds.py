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
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)
_said: set[str] = set()  # the CLI and the spider both read the file: say each problem once


def _warn(level: int, message: str, *args: object) -> None:
    text = message % args
    if text not in _said:
        _said.add(text)
        logger.log(level, text)


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


QUOTES = "\"'“”‘’「」『』"

# A host name: labels of letters (any script: 中文域名 too), digits and hyphens, with a dot —
# or an IPv4 address. "not a url" or "www.x.gov.cn/a b" as a host would only fail later, as a
# confusing fetch error.
_HOST = re.compile(r"^(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_][\w-]*\.?$|^\d{1,3}(?:\.\d{1,3}){3}$")


def _fix_url(url: str) -> str | None:
    """A usable http(s) URL (``http://`` added when missing), or None.

        >>> _fix_url("www.x.gov.cn"), _fix_url("not a url"), _fix_url("ftp://x.gov.cn/")
        ('http://www.x.gov.cn/', None, None)
    """
    # Typed with a Chinese input method: full-width ``：／／``, ``。`` for dots, an ideographic
    # space, quotes around the cell ("…", “…”) that CSV does not take off after a space.
    url = unicodedata.normalize("NFKC", url or "").replace("。", ".").strip()
    url = url.strip(QUOTES).strip()
    if not url:
        return None
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a bad port, an unclosed [
        return None
    named = bool(host) and (_HOST.match(host) or host == "localhost" or ":" in host)  # ::1
    if parts.scheme not in ("http", "https") or not named or any(c.isspace() for c in url):
        return None
    return url if parts.path else url + "/"


# Column names as a list made in a Chinese spreadsheet may have them (any case, spaces).
COLUMN_ALIASES = {
    "name": ("名称", "机关", "机关名称", "单位", "单位名称", "网站名称", "站点名称"),
    "url": ("网址", "网站", "网站地址", "链接", "主页", "首页"),  # not 地址: a street address
    "annual_report_url": ("年报栏目", "年报地址", "年报网址", "年报链接", "年报"),
    "region_code": ("区划代码", "行政区划代码", "区划"),
    "level": ("层级", "级别", "行政级别"),
}
_ALIASES = {alias: column for column, names in COLUMN_ALIASES.items() for alias in names}


def _column(name: str | None) -> str:
    """A header cell as the column it names (``" URL "`` → ``url``, ``网址`` → ``url``)."""
    key = unicodedata.normalize("NFKC", name or "").strip().strip(QUOTES).strip().lower()
    key = key.replace(" ", "_")
    return _ALIASES.get(key, key)


# A list of every government site of China is a few MB; more is not a sites file.
MAX_SITES_BYTES = 64 * 1024 * 1024


def read_sites_bounded(path: Path) -> bytes:
    """At most ``MAX_SITES_BYTES + 1`` bytes of ``path``. ``--sites /dev/zero`` read without
    end until the kernel killed the process (exit 137); a named pipe nobody writes to hung the
    command (opened without waiting for a writer: it reads as empty). A pipe that is written
    (``--sites <(grep 四川 sites.csv)``) is read as before."""
    import fcntl

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(MAX_SITES_BYTES + 1)
    finally:
        os.close(fd)


def load_sites(path: str | Path) -> list[Site]:
    """Parse the sites CSV; rows without a usable URL are skipped.

    :raises SeedError: unreadable file, no ``url`` column, or no usable row
    """
    path = Path(path)
    try:
        data = read_sites_bounded(path)
    except OSError as exc:
        raise SeedError(f"cannot read sites file {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_SITES_BYTES:
        raise SeedError(f"sites file {path} is over {MAX_SITES_BYTES >> 20} MB: not a list of "
                        "sites (a device, an endless stream?)")
    # Excel's "Unicode text" export is UTF-16 with a byte-order mark (and tabs).
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    for enc in encodings:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SeedError(f"sites file {path} is neither UTF-8, GB18030 nor UTF-16 text")
    text = text.lstrip("\r\n")  # blank lines above the header
    first = text.split("\n", 1)[0]
    # A spreadsheet saved as tab- or semicolon-separated text is the same list; so is one
    # typed with full-width separators (，；), as a Chinese input method gives them.
    delimiter = max(",\t;，；", key=first.count) if first else ","
    try:
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        reader.fieldnames = [_column(name) for name in reader.fieldnames or []]
        rows = list(reader)
    except csv.Error as exc:
        raise SeedError(f"sites file {path} is not valid CSV: {exc}") from None
    if not rows or "url" not in (rows[0].keys() if rows else []):
        raise SeedError(f"sites file {path} needs a header with at least name,url (or 名称,网址) "
                        "and one row")
    sites: list[Site] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):  # line numbers as an editor shows them
        url = _fix_url(row.get("url") or "")
        if not url:
            _warn(logging.WARNING, "sites file %s line %d skipped: %r is not an http(s) URL", path.name,
                           number, (row.get("url") or "").strip())
            continue
        if url in seen:
            _warn(logging.INFO, "sites file %s line %d skipped: %s is listed above", path.name, number,
                        url)
            continue
        seen.add(url)
        hint = (row.get("annual_report_url") or "").strip()
        if hint and not _fix_url(hint):
            _warn(logging.WARNING, "sites file %s line %d: annual_report_url %r is not an http(s) URL; "
                           "the site is crawled from its home page", path.name, number, hint)
        sites.append(Site(name=(row.get("name") or "").strip() or url, url=url,
                          annual_report_url=_fix_url(hint),
                          region_code=(row.get("region_code") or "").strip() or None,
                          level=(row.get("level") or "").strip() or None))
    if not sites:
        raise SeedError(f"sites file {path} has no row with a usable http(s) url")
    return sites
