"""The progress bar of the corpus's long steps (export, re-parse, merge): on stderr, shown only
on a terminal — nothing in a pipe, a cron mail or a log.

    >>> from corpus.progress import progress_bar
    >>> bar = progress_bar(3, "export", " reports")
    >>> for _ in range(3):
    ...     bar.update()
    >>> bar.close()
"""

from __future__ import annotations

import sys
from typing import Any


def progress_bar(total: int, desc: str, unit: str) -> Any:
    """A tqdm bar of ``total`` steps (``disable=None``: off when stderr is not a terminal)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=None, mininterval=1,
                leave=False)
