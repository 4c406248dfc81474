"""The six sections of a report (docs/format.md §2, legacy headings §8).

A heading is a short line that starts with a section number and names the section's subject,
in increasing order: ``一、总体情况`` … ``六、其他需要报告的事项``. ``5、存在的主要问题…`` (Arabic)
counts when the number is the section's own; a sub-item ``(三)其他需要报告的事项`` counts as the
sixth section only inside 五 (seed 004). Lines without a number (the intro sentence listing all
six parts) never open a section.

    >>> heads = find_headings(["本报告由总体情况、主动公开等六部分组成。", "一、总体情况", "正文",
    ...                        "五、存在的主要问题及改进情况", "(三)其他需要报告的事项", "无。"])
    >>> [(h.block, h.kind) for h in heads]
    [(1, 'overview'), (3, 'problems'), (4, 'other')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.document import Block, Table
from parsers.labels import norm, split_prefix, strip_debris

# kind, rank (order in the report), official number (for Arabic numbering), subject pattern.
# Legacy reports (§8) add fees and consultation sections between the official ones.
SECTION_KINDS: tuple[tuple[str, float, int, re.Pattern[str]], ...] = (
    ("overview", 1, 1, re.compile(r"总体情况|概述|概况|基本情况|基本工作|总体")),
    ("active", 2, 2, re.compile(r"主动公开")),
    ("requests", 3, 3, re.compile(r"收到和处理|依申请|申请情况|申请公开|申请的情况")),
    ("consult", 3.5, 0, re.compile(r"咨询")),
    ("fees", 3.7, 0, re.compile(r"收费|减免")),
    ("review", 4, 4, re.compile(r"复议|诉讼")),
    ("problems", 5, 5, re.compile(r"问题|改进")),
    ("other", 6, 6, re.compile(r"其他需要报告|其他需报告|需要说明的事项|其他事项|其它需要报告")),
)
_PART = re.compile(r"^第([一二三四五六七八九十])(?:部分|章|项)[、:.]?")
_RANK = {kind: rank for kind, rank, _, _ in SECTION_KINDS}
_MAX_HEADING = 40    # characters after the number: a heading is a short line
_KEYWORD_WITHIN = 22  # the subject must come early in the line


@dataclass(frozen=True)
class Heading:
    """A recognised section heading: the block it is in and the section it opens."""

    block: int
    kind: str
    rest: str  # text on the heading line after the heading itself (usually empty)


def heading_kind(text: str, current: str | None = None) -> tuple[str, str] | None:
    """Which section ``text`` opens, given the section currently open, or None.

    :returns: (kind, remainder of the line after the heading) or None
    """
    t = _PART.sub(r"\1、", norm(text))  # 第一部分 总体情况 → 一、总体情况
    level, number, rest = split_prefix(t)
    if level is None or not rest:
        return None
    arabic = bool(re.match(r"^\d", t))
    # A heading may carry text after a full stop or colon on the same line.
    m = re.search(r"[。:]", rest)
    body, tail = (rest[:m.start()], rest[m.end():]) if m else (rest, "")
    if len(body) > _MAX_HEADING:
        return None
    cur_rank = _RANK.get(current, 0) if current else 0
    for kind, rank, official, pattern in SECTION_KINDS:
        m = pattern.search(body)
        if not m or m.start() > _KEYWORD_WITHIN:
            continue
        if kind == "problems" and "问题" not in body:
            continue
        if level == 2:
            # Only seed 004's case: the sixth section printed as a sub-item of 五.
            if not (kind == "other" and current == "problems"):
                continue
        elif (level == 3 or arabic) and number != official:
            continue
        if rank <= cur_rank:
            continue
        return kind, tail.strip()
    return None


def find_headings(blocks: list[Block]) -> list[Heading]:
    """The section headings among the paragraph blocks, in order.

    A page may hold more than the report: a 解读 (interpretation) with headings of its own
    above it, or last year's report below it, or a table of contents above the body. Each
    ``一、总体情况`` after a later section starts a new run of headings; the longest run is the
    report's (a table of contents loses to the body, otherwise the first among equals).

    >>> heads = find_headings(["一、总体情况 解读", "三、收到和处理政府信息公开申请情况 解读",
    ...                        "一、总体情况", "正文", "二、主动公开政府信息情况", "六、其他需要报告的事项"])
    >>> [(h.block, h.kind) for h in heads]
    [(2, 'overview'), (4, 'active'), (5, 'other')]
    """
    return pick_run(heading_runs(blocks))


def heading_runs(blocks: list[Block]) -> list[list[Heading]]:
    """Every run of increasing section headings (see :func:`find_headings`)."""
    runs: list[list[Heading]] = [[]]
    current: str | None = None
    for i, block in enumerate(blocks):
        if isinstance(block, Table) or not block.strip():
            continue
        hit = heading_kind(block, current)
        if hit is None and current is not None:
            again = heading_kind(block, None)
            if again is not None and again[0] == "overview":
                runs.append([])
                hit = again
        if hit:
            runs[-1].append(Heading(i, hit[0], hit[1]))
            current = hit[0]
    return runs


def pick_run(runs: list[list[Heading]]) -> list[Heading]:
    """The report's run: the longest; a table of contents (the headings on consecutive lines,
    nothing under them) loses to the body that repeats them; else the first among equals."""
    return max(runs, key=lambda run: (len(run), not is_contents(run)))


def is_contents(run: list[Heading]) -> bool:
    return len(run) >= 3 and run[-1].block - run[0].block < len(run) + 2


def section_texts(blocks: list[Block], heads: list[Heading], stop: int | None = None
                  ) -> dict[str, str | None]:
    """``{"overview", "problems", "other"}`` → the prose of each section (None when absent).

    :param stop: block index where the report body ends (the closing signature), if known
    """
    out: dict[str, str | None] = {"overview": None, "problems": None, "other": None}
    end_of_body = len(blocks) if stop is None else stop
    for n, head in enumerate(heads):
        if head.kind not in out:
            continue
        end = heads[n + 1].block if n + 1 < len(heads) else end_of_body
        end = min(end, end_of_body) if head.block < end_of_body else end
        lines = [head.rest] if head.rest else []
        for block in blocks[head.block + 1:end]:
            if isinstance(block, Table):
                continue
            text = strip_debris(block).strip()
            if text:
                lines.append(text)
        out[head.kind] = "\n".join(lines) if lines else ""
    return out
