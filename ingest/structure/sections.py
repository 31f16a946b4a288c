"""Body paragraphs → sections (by 公文 heading numbers), passages with ids and pages, items (一是…)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ..model import Item, Passage, Section
from ..normalize import Block, heading_level
from .common import cn_number

_MAX_HEADING = 40  # longer numbered paragraphs are numbered text, not headings
_MAX_RUN_IN = 30  # 一、总体要求。正文…: the lead sentence is a heading only when short
_ITEM = re.compile(r"(?:^|(?<=[。；！？：:;]))([一二三四五六七八九十]+)是")
_ITEM_TITLE_MAX = 80
_END = -1  # "no next block" for _split_heading


@dataclass
class _Builder:
    heading: str
    level: int
    passages: list[Passage] = field(default_factory=list)


def _split_heading(text: str, next_level: int | None, level: int) -> tuple[str, bool] | None:
    """(heading, has_body) for a numbered paragraph, or None if it is a list item or running text.

    （一）管制； is a list item; （三）营造良好环境。 is a heading unless a sibling follows it
    (or nothing does).
    """
    core = text.rstrip("。")
    if len(text) <= _MAX_HEADING and "。" not in core:
        if text.endswith(("；", "，", "、", ";", ",")):
            return None
        if text.endswith("。") and next_level in (_END, level):
            return None
        return core, False
    lead, sep, rest = text.partition("。")
    if sep and len(lead) <= _MAX_RUN_IN and rest.strip():
        return lead, True
    return None


def _items(passages: Sequence[Passage]) -> tuple[Item, ...]:
    """一是…二是…三是… in order; a new 一是 starts a new enumeration."""
    items: list[Item] = []
    expected = 1
    for passage in passages:
        text = passage.text
        if "是" not in text or passage.rows:
            continue
        for match in _ITEM.finditer(text):
            number = cn_number(match.group(1))
            if number == 1:
                expected = 1
            if number != expected:
                continue
            expected += 1
            rest = text[match.end():]
            end = rest.find("。")
            if end < 0 or end > _ITEM_TITLE_MAX:
                end = min((i for i in (rest.find("，"), rest.find("；"), len(rest)) if i >= 0))
            items.append(Item(label=match.group(0), title=rest[:end].strip(), passage_id=passage.id))
    return tuple(items)


def _level(block: Block) -> int | None:
    if block.rows:
        return None  # a table row that reads 一、… is data, not a heading
    level = heading_level(block.text)
    if level is None and block.heading_hint and 1 <= block.heading_hint <= 4:
        return block.heading_hint
    return level


def build_sections(blocks: Sequence[Block]) -> tuple[Section, ...]:
    """Sections in reading order; passages numbered p1, p2, … across the whole document."""
    builders: list[_Builder] = []
    stack: list[tuple[int, str]] = []
    path: tuple[str, ...] = ()  # the stack's headings, made when it changes (not per passage)
    count = 0
    levels = [_level(b) for b in blocks]
    for i, block in enumerate(blocks):
        text = block.text
        level = levels[i]
        following = levels[i + 1] if i + 1 < len(blocks) else _END
        split = _split_heading(text, following, level) if level is not None else None
        if split is not None:
            heading, has_body = split
            while stack and stack[-1][0] >= level:  # type: ignore[operator]
                stack.pop()
            stack.append((level, heading))  # type: ignore[arg-type]
            path = tuple(h for _, h in stack)
            builders.append(_Builder(heading, level))  # type: ignore[arg-type]
            if not has_body:
                continue
        elif not builders:
            builders.append(_Builder("", 0))
        count += 1
        builders[-1].passages.append(Passage(id=f"p{count}", text=text, page=block.page,
                                             section_path=path,
                                             rows=block.rows))
    return tuple(Section(b.heading, b.level, tuple(b.passages), _items(b.passages))
                 for b in builders)
