"""Text clean-up shared by every format: widths, CJK spacing, Markdown emphasis, page-break repair."""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from .model import Document

# Han ideographs (with 〇), kana and radicals: scripts that are written without spaces.
CJK = "\u2e80-\u2fff\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK punctuation, full-width forms, curly quotes, dashes, ellipsis, middle dot.
CJK_PUNCT = "\u3001-\u3004\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2014\u2026\u00b7\u2013"

_WIDTH = {**{0xFF10 + i: 0x30 + i for i in range(10)},
          **{0xFF21 + i: 0x41 + i for i in range(26)},
          **{0xFF41 + i: 0x61 + i for i in range(26)},
          0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: None,
          0xFEFF: None, 0x09: 0x20}

# Look-alikes of Han ideographs that PDF text layers and web pages carry (⾰⽂⽤ for 革文用): Kangxi
# radicals U+2F00–2FDF, CJK radicals supplement U+2E80–2EFF, compatibility ideographs U+F900–FAFF
# and U+2F800–2FA1F. NFKC maps the Kangxi radicals and the compatibility ideographs but only 2 of
# the 115 supplement radicals, so those come from Unicode's EquivalentUnifiedIdeograph.txt (UCD
# 15.0; Debian unicode-data), pairs of (radical, unified ideograph).
_RADICALS_SUPPLEMENT = (
    "\u2e81\u5382\u2e82\u4e5b\u2e83\u4e5a\u2e84\u4e59\u2e85\u4ebb\u2e86\u5182"
    "\u2e87\U00020628\u2e88\u5200\u2e89\u5202\u2e8a\u535c\u2e8b\u353e\u2e8c\u5c0f"
    "\u2e8d\u5c0f\u2e8e\u5140\u2e8f\u5c23\u2e90\u5c22\u2e91\U00021bc2\u2e92\u5df3"
    "\u2e93\u5e7a\u2e94\u5f51\u2e95\U0002b739\u2e96\u5fc4\u2e97\u5fc3\u2e98\u624c"
    "\u2e99\u6535\u2e9b\u65e1\u2e9c\u65e5\u2e9d\u6708\u2e9e\u6b7a\u2e9f\u6bcd\u2ea0\u6c11"
    "\u2ea1\u6c35\u2ea2\u6c3a\u2ea3\u706c\u2ea4\u722b\u2ea5\u722b\u2ea6\u4e2c\u2ea7\u725b"
    "\u2ea8\u72ad\u2ea9\u738b\u2eaa\U00024d14\u2eab\u76ee\u2eac\u793a\u2ead\u793b"
    "\u2eae\U00025ad7\u2eaf\u7cf9\u2eb0\u7e9f\u2eb1\u7f53\u2eb2\u7f52\u2eb3\u34c1"
    "\u2eb4\u5197\u2eb5\U0002626b\u2eb6\u7f8a\u2eb7\U0002634c\u2eb8\U0002634b\u2eb9\u8002"
    "\u2eba\u8080\u2ebb\u807f\u2ebc\u8089\u2ebd\U00026951\u2ebe\u8279\u2ebf\u8279"
    "\u2ec0\u8279\u2ec1\u864e\u2ec2\u8864\u2ec3\u8980\u2ec4\u897f\u2ec5\u89c1\u2ec6\u89d2"
    "\u2ec7\U000278b2\u2ec8\u8ba0\u2ec9\u8d1d\u2eca\U00027fb7\u2ecb\u8f66\u2ecc\u8fb6"
    "\u2ecd\u8fb6\u2ece\u8fb6\u2ecf\u9091\u2ed0\u9485\u2ed1\u9577\u2ed2\u9578\u2ed3\u957f"
    "\u2ed4\u95e8\u2ed5\U00028e0f\u2ed6\u961d\u2ed7\u96e8\u2ed8\u9752\u2ed9\u97e6"
    "\u2eda\u9875\u2edb\u98ce\u2edc\u98de\u2edd\u98df\u2ede\U0002967f\u2edf\u98e0"
    "\u2ee0\u9963\u2ee1\U00029810\u2ee2\u9a6c\u2ee3\u9aa8\u2ee4\u9b3c\u2ee5\u9c7c"
    "\u2ee6\u9e1f\u2ee7\u5364\u2ee8\u9ea6\u2ee9\u9ec4\u2eea\u9efe\u2eeb\u6589\u2eec\u9f50"
    "\u2eed\u6b6f\u2eee\u9f7f\u2eef\u7adc\u2ef0\u9f99\u2ef1\u9f9c\u2ef2\u4e80\u2ef3\u9f9f"
)
_NEEDS_FOLD = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


@functools.lru_cache(maxsize=1)
def cjk_fold_table() -> dict[int, str]:
    """Radical or compatibility code point → its unified ideograph (for str.translate)."""
    table: dict[int, str] = {}
    for lo, hi in ((0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
        for cp in range(lo, hi + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1 and folded != chr(cp):
                table[cp] = folded
    pairs = _RADICALS_SUPPLEMENT
    table.update((ord(pairs[i]), pairs[i + 1]) for i in range(0, len(pairs), 2))
    return table


def fold_document(doc: Document) -> Document:
    """The document with every string folded (title, issuer, headings, passages, extra …)."""
    data = json.dumps(doc.to_dict(), ensure_ascii=False)
    if not _NEEDS_FOLD.search(data):
        return doc
    return Document.from_dict(json.loads(fold_cjk(data)))


def fold_cjk(text: str) -> str:
    """Kangxi/supplement radicals and compatibility ideographs → unified ideographs (⾰⽂ → 革文)."""
    if _NEEDS_FOLD.search(text):  # rare: skip translate() for the common case
        text = text.translate(cjk_fold_table())
    return text


_NEEDS_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\t]")
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*")
_SPACES = re.compile(r"[ \f\v\r]+")
_SPACE_CJK_ALNUM = re.compile(rf"(?<=[{CJK}]) +(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%]) +(?=[{CJK}])")
_SPACE_PUNCT = re.compile(rf"(?<=[{CJK_PUNCT}]) +(?=\S)|(?<=\S) +(?=[{CJK_PUNCT}])")

# Sentence-final marks; closing quotes/brackets count when a final mark precedes them.
_FINAL = set("。！？；：…!?;:")
_CLOSERS = "”’」』）)】〕》\"'"

_HEADING_PATTERNS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^[一二三四五六七八九十百零〇]+、"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十百零〇]+[）)]"), 2),
    (re.compile(r"^\d{1,3}[.．、](?!\d)"), 3),
    (re.compile(r"^[（(]\d{1,3}[）)]"), 4),
)
_CHAPTER = re.compile(r"^第[一二三四五六七八九十百零〇\d]+([编章节])(?:\s|$)")
_ATTACHMENT = re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*\s*[：:.．]?")
_DISTRIBUTION = re.compile(r"^(抄送|抄报|分送|主送|报送|报|送|发)\s*[:：]")
_ITEM_START = re.compile(r"^[一二三四五六七八九十]+是")


def normalize_inline(text: str) -> str:
    """One line or paragraph: half-width data, no Markdown emphasis, no spaces PDF put around CJK."""
    text = fold_cjk(text)
    if _NEEDS_WIDTH.search(text):  # translate() is slow; most lines need nothing
        text = text.translate(_WIDTH)
    if "**" in text:
        text = _EMPHASIS.sub(r"\1", text).replace("**", "")
    text = _SPACES.sub(" ", text).strip()
    if " " in text:
        text = _SPACE_CJK_ALNUM.sub("", text)
        text = _SPACE_PUNCT.sub("", text)
    return text


def remove_cjk_spaces(text: str) -> str:
    """Drop every space that touches a CJK character (a title wrapped over lines, 土 地 使 用)."""
    return re.sub(rf"(?<=[{CJK}{CJK_PUNCT}]) +| +(?=[{CJK}{CJK_PUNCT}])", "", text)


def join_lines(left: str, right: str) -> str:
    """Concatenate two pieces of one paragraph; a space only between two Latin words.

    Digits are not words: a number wrapped at the line end (16|00) is one number.
    """
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() \
            and right[0].isalpha():
        return f"{left} {right}"
    return left + right


def is_sentence_end(text: str) -> bool:
    """True when the text ends a sentence (。！？；：… possibly inside closing quotes)."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in _CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in _FINAL


def heading_level(text: str) -> int | None:
    """公文 heading level of a paragraph by its number: 一、→1, （一）→2, 1.→3, （1）→4."""
    for pattern, level in _HEADING_PATTERNS:
        if pattern.match(text):
            return level
    match = _CHAPTER.match(text)
    if match:
        return 1 if match.group(1) in "编章" else 2
    return None


def is_distribution_line(text: str) -> bool:
    """报：/送：/抄送： lines at the foot of a bulletin or 公文."""
    return bool(_DISTRIBUTION.match(text))


def starts_paragraph(text: str) -> bool:
    """A block that can never continue the previous one: a heading, item, attachment or 报：line."""
    return (heading_level(text) is not None or is_distribution_line(text)
            or bool(_ITEM_START.match(text)) or bool(_ATTACHMENT.match(text)))


def is_prose(text: str) -> bool:
    """Running text rather than a masthead, title, date or table line."""
    return len(text) >= 36 or sum(text.count(c) for c in "，。；、") >= 2


@dataclass(frozen=True)
class Block:
    """A paragraph as a format parser found it, before structure is known."""

    text: str
    page: int | None = None
    heading_hint: int | None = None  # from a Word heading style: 0 title, 1..4 heading level


@dataclass(frozen=True)
class Join:
    """Where a page break cut a sentence: the text before the cut and the text after it."""

    tail: str
    head: str


def continues(tail: str, head: str) -> bool:
    """Whether `head` is the rest of a sentence that `tail` left unfinished."""
    if not tail or not head or is_sentence_end(tail) or is_distribution_line(tail):
        return False
    if not is_prose(tail) or starts_paragraph(head):
        return False
    return is_prose(head) or is_sentence_end(head)


def repair_page_breaks(blocks: Sequence[Block],
                       candidate: Callable[[Block, Block], bool] | None = None,
                       ) -> tuple[list[Block], list[Join]]:
    """Rejoin blocks a page break cut mid-sentence; return the blocks and the joins made.

    `candidate(prev, block)` limits which boundaries may be page breaks (all by default).
    """
    out: list[Block] = []
    joins: list[Join] = []
    for block in blocks:
        if out and (candidate is None or candidate(out[-1], block)) \
                and continues(out[-1].text, block.text):
            prev = out[-1]
            joins.append(Join(prev.text, block.text))
            out[-1] = replace(prev, text=normalize_inline(join_lines(prev.text, block.text)))
        else:
            out.append(block)
    return out, joins


def page_break_joins(text: str) -> list[Join]:
    """The sentence cuts that repair_page_breaks would mend in a text, one paragraph per line."""
    blocks = [Block(line) for line in map(normalize_inline, text.splitlines()) if line]
    return repair_page_breaks(blocks)[1]
