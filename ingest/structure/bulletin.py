"""Work bulletins (简报/快报/通报/动态/信息): masthead, issue, 编印单位, date, title."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Sequence

from ..normalize import Block, normalize_inline, starts_paragraph
from .common import DATE_RE, is_date_line, parse_date

_SCAN = 12  # the masthead sits in the first dozen blocks
_ISSUE = re.compile(r"(?:(\d{4})年)?第(\d{1,4})期(?:[（(]总第(\d{1,5})期[）)])?|[（(]?总第(\d{1,5})期[）)]?")
_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{0,14}?(简报|快报|通报|动态|信息|专报|要情|情况反映|专刊|增刊)$")
_OFFICE_AFFIX = re.compile(r"^(编印单位|编印|主办|编)[：:]?|(编印|主办|编)$")
_MAX_TITLE_LINE = 40


@dataclass(frozen=True)
class Masthead:
    """What the top of a bulletin says, and where its body begins."""

    name: str
    kind: str
    year: int | None
    number: int | None
    total_number: int | None
    office: str | None
    date: dt.date | None
    title: str | None
    body_start: int
    supplement: bool = False  # 增刊: numbered apart from the regular issues of its series


def _issue(text: str) -> tuple[int | None, int | None, int | None] | None:
    if "期" not in text:
        return None
    match = _ISSUE.search(text.replace(" ", ""))
    if not match:
        return None
    year, number, total, total_only = match.groups()
    to_int = (lambda v: int(v) if v else None)
    return to_int(year), to_int(number), to_int(total or total_only)


def _name(text: str) -> tuple[str, str, str] | None:
    """(name, kind, text before the name) when a masthead line carries a bulletin name."""
    tokens = text.split(" ")
    for i in range(len(tokens) - 1, -1, -1):
        match = _NAME.match(tokens[i])
        if match:
            return tokens[i], match.group(1), "".join(tokens[:i])
    return None


def _office(lines: Sequence[str]) -> str | None:
    office = "".join(line.replace(" ", "") for line in lines)
    office = _OFFICE_AFFIX.sub("", office)
    return office or None


def _title(blocks: Sequence[Block], start: int) -> tuple[str | None, int]:
    """Up to three short lines after the masthead, kept apart by a space (main and sub line)."""
    lines: list[str] = []
    i = start
    while i < len(blocks) and len(lines) < 3:
        text = blocks[i].text
        if len(text) > _MAX_TITLE_LINE or text.endswith("。") or starts_paragraph(text):
            break
        lines.append(text)
        i += 1
    return (normalize_inline(" ".join(lines)) or None), i


def parse_masthead(blocks: Sequence[Block]) -> Masthead | None:
    """The bulletin masthead in the first blocks, or None when this is not a bulletin."""
    head = [b.text for b in blocks[:_SCAN]]
    issue_at = next((i for i, t in enumerate(head) if len(t) <= 60 and _issue(t)), None)
    if issue_at is None:
        return None
    named = [(i, _name(t)) for i, t in enumerate(head[:issue_at + 2])]
    named = [(i, n) for i, n in named if n]
    if not named:
        return None
    name_at, (name, kind, before_name) = named[0]
    year, number, total = _issue(head[issue_at])  # type: ignore[misc]
    date_at = next((i for i in range(issue_at + 1, min(len(head), issue_at + 6))
                    if DATE_RE.search(head[i]) and len(head[i]) <= 60), None)
    office_lines: list[str] = []
    date = None
    if date_at is not None:
        date = parse_date(head[date_at])
        office_lines = [t for i, t in enumerate(head[issue_at + 1:date_at], issue_at + 1)
                        if i != name_at]
        if not is_date_line(head[date_at]):  # 编印单位 and date on one line
            office_lines.append(DATE_RE.split(head[date_at])[0])
    office = _office(office_lines) or _office([before_name])
    start = (date_at if date_at is not None else max(issue_at, name_at)) + 1
    title, body_start = _title(blocks, start)
    supplement = any("增刊" in t for t in head[:start])
    if name.endswith("增刊") and len(name) > 2:  # 改革快报增刊 is an issue of 改革快报
        name = name[:-2]
        kind = _name(name)[1] if _name(name) else kind  # type: ignore[index]
    return Masthead(name, kind, year, number, total, office, date, title, body_start,
                    supplement)
