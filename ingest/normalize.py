"""Text clean-up shared by every format: widths, CJK spacing, Markdown emphasis, page-break repair."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from .model import Document, cjk_fold_table, table_text

# Han ideographs (with 〇), kana and radicals: scripts that are written without spaces.
CJK = "\u2e80-\u2fff\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK punctuation, full-width forms, curly quotes, dashes, ellipsis, middle dot.
CJK_PUNCT = "\u3001-\u3004\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2014\u2026\u00b7\u2013"

_WIDTH = {**{0xFF10 + i: 0x30 + i for i in range(10)},
          **{0xFF21 + i: 0x41 + i for i in range(26)},
          **{0xFF41 + i: 0x61 + i for i in range(26)},
          0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: None,
          0xFEFF: None, 0x09: 0x20}

_NEEDS_FOLD = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def fold_document(doc: Document) -> Document:
    """The document with every string folded (title, issuer, headings, passages, extra …)."""
    data = json.dumps(doc.to_dict(), ensure_ascii=False)
    if not _NEEDS_FOLD.search(data):
        return doc
    return Document.from_dict(json.loads(fold_cjk(data)))


def has_lookalikes(text: str) -> bool:
    """Whether fold_cjk would change the text (it holds a radical or compatibility ideograph)."""
    return _NEEDS_FOLD.search(text) is not None


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


_SPACE_BY_CJK = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}]) +| +(?=[{CJK}{CJK_PUNCT}])")


def remove_cjk_spaces(text: str) -> str:
    """Drop every space that touches a CJK character (a title wrapped over lines, 土 地 使 用)."""
    return _SPACE_BY_CJK.sub("", text) if " " in text else text


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
    rows: tuple[tuple[str, ...], ...] = ()  # a table (text is its table_text): never a heading


def table_block(rows: Sequence[Sequence[str]], page: int | None = None) -> Block:
    """A table as one block; its cells already normalized."""
    kept = tuple(tuple(row) for row in rows)
    return Block(table_text(kept), page, rows=kept)


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
                and not out[-1].rows and not block.rows and continues(out[-1].text, block.text):
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
