"""Reports in traditional characters read as simplified (docs/format.md §6).

Government sites offer a 繁體 copy of every page (a converter run over the simplified text,
character by character, some with Taiwan's words: 資訊 for 信息, 專案 for 项目). The report is
the same report on the same template: its labels map to the same keys, its agency is the same
agency. A document is *traditional* when characters only traditional texts use are common in
it; it is then folded to simplified — every character of the Unihan table, a few variant forms
the table leaves out, and the converter's words — before it is interpreted, so headings,
labels, title, agency and prose read as the simplified original. Simplified documents are never
touched: a 臺 in a quoted name is not enough.

    >>> fold("二〇二三年政府資訊公開工作年度報告")
    '二〇二三年政府信息公开工作年度报告'
    >>> is_traditional("三、收到和處理政府資訊公開申請情況 本年新收政府資訊公開申請數量")
    True
    >>> is_traditional("台湾的臺字：某某局2023年政府信息公开工作年度报告")
    False
"""

from __future__ import annotations

import re
from dataclasses import replace

from parsers.document import Block, Document, Table
from parsers.hanzi_table import SIMPLIFIED, TRADITIONAL

# Variant forms converters write that Unihan lists as variants, not as traditional forms
# (OpenCC's s2t writes 祕密, 發佈, 委託, 審覈, 爲, 臺賬, 羣衆); and characters that are also
# simplified ones (復, 裡), folded only inside a traditional document. Unihan's 託 → 讬 is
# the rarer reading: 委託 is 委托.
EXTRA = {"祕": "秘", "佈": "布", "託": "托", "覈": "核", "爲": "为", "羣": "群", "衆": "众",
         "衞": "卫", "裏": "里", "裡": "里", "復": "复", "綫": "线", "啓": "启", "峯": "峰",
         "敎": "教", "眞": "真", "卽": "即", "旣": "既", "槪": "概", "姊": "姐", "蔘": "参"}
# Words: 复 written 覆 in 答覆/覆議/覆核/覆查 (s2t), and Taiwan's words (s2twp) in the template's
# labels (规范性文件 is 規範性檔案 there; 檔案 alone may be 档案). Each word keeps its length, so positions in the folded text are the printed ones.
WORDS = {"覆議": "复议", "答覆": "答复", "覆核": "复核", "覆查": "复查", "資訊": "信息",
         "專案": "项目", "性檔案": "性文件"}

_TABLE = str.maketrans(TRADITIONAL + "".join(EXTRA), SIMPLIFIED + "".join(EXTRA.values()))
_ONLY_TRADITIONAL = frozenset(TRADITIONAL)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORDS = re.compile("|".join(map(re.escape, sorted(WORDS, key=len, reverse=True))))
# Characters only simplified texts use (开, 报, 请); 台, 里, 后 are written in traditional texts
# too and count for neither.
_ONLY_SIMPLIFIED = frozenset(SIMPLIFIED) - frozenset(TRADITIONAL) - frozenset("台里后余干只面")
_MIN_COUNT = 12


def is_traditional(text: str, sample: int = 20000) -> bool:
    """Whether ``text`` (its first ``sample`` characters) is written in traditional characters:
    characters only traditional texts use (申請, 開, 報, 辦, 處, 數 — about one in four of the
    template's) are common and outnumber those only simplified texts use twice over. A
    simplified report quoting 臺灣 or 香港特別行政區 has a handful against hundreds."""
    text = text[:sample]
    traditional = simplified = 0
    for ch in text:
        if ch in _ONLY_TRADITIONAL:
            traditional += 1
        elif ch in _ONLY_SIMPLIFIED:
            simplified += 1
    cjk = len(_CJK.findall(text))
    return traditional >= min(_MIN_COUNT, max(3, cjk // 4)) and traditional > 2 * simplified


def fold(text: str) -> str:
    """``text`` in simplified characters: words first (覆議 → 复议), then characters."""
    if not text or text.isascii():
        return text
    return _WORDS.sub(lambda m: WORDS[m.group(0)], text).translate(_TABLE)


def fold_document(doc: Document, page_metadata: dict[str, str] | None = None
                  ) -> tuple[Document, dict[str, str] | None]:
    """``doc`` (and the linking page's facts) folded to simplified when the document is
    traditional, else both as they are. The document is copied, never changed."""
    if not is_traditional(doc.text()):
        return doc, page_metadata
    blocks: list[Block] = [Table([[fold(c) for c in row] for row in b.rows], b.page)
                           if isinstance(b, Table) else fold(b) for b in doc.blocks]
    folded = replace(doc, blocks=blocks, title=fold(doc.title) if doc.title else doc.title,
                     metadata={k: fold(v) for k, v in doc.metadata.items()})
    pages = {k: fold(v) if isinstance(v, str) else v for k, v in page_metadata.items()} \
        if page_metadata else page_metadata
    return folded, pages
