"""From paragraphs to a Document: recognise a bulletin or a 公文, else keep plain sections."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

from ..model import BulletinInfo, Document, Source
from ..normalize import (Block, heading_level, is_distribution_line, normalize_inline,
                         remove_cjk_spaces, starts_paragraph)
from .bulletin import Masthead, parse_masthead
from .counts import stated_breakdown
from .common import (effective_date, find_doc_numbers, find_references, fold_radicals, kind_of,
                     normalize_doc_number, parse_date, split_recipients)
from .gongwen import (GongwenParts, complete_issuer, interpreting_organ, issuer_from_title,
                      parse_gongwen, signed)
from .infotable import info_table
from .sections import build_sections

__all__ = ["Hints", "build_document", "normalize_doc_number", "parse_date", "find_doc_numbers",
           "issuer_from_title", "kind_of", "parse_masthead", "parse_gongwen", "build_sections"]

_MEASURES = re.compile(r"(?:制定|出台|印发)[^。]{0,12}?(\d+)项[^。]{0,12}?(?:政策|措施|制度|文件)")
_NOT_TITLE_END = ("。", "：", ":", "；", ";", "，", ",", "、")
_PAGE_TITLE = re.compile(r"^(.{4,150}?)_[^_]{2,20}(?:_[^_]{2,30})?(?:网|网站|门户)\s*(?:\(www[^)]*\))?$")
_SIGNATURE_SCAN = 30  # a 落款 further down belongs to something the text quotes or attaches
_NUMBERED_KINDS = {"公告", "命令", "通告"}
# (十四届第3号), 第12号: a 公告's or 令's own number, on the line under its title.
_ANNOUNCEMENT_NUMBER = re.compile(r"^[（(]?((?:[\u4e00-\u9fff]{1,8})?第\d{1,5}号)[）)]?$")
_PRINT_COUNT = re.compile(r"^[（(]?共印\d+份[）)]?$")
# 附件 / 附件2 / 附件：on a line of its own above an attachment's title.
ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*([0-9一二三四五六七八九十]*)\s*[：:.．]?$")


@dataclass(frozen=True)
class Hints:
    """Metadata a format already knows (front matter, JSON fields, an HTML info table)."""

    title: str | None = None
    doc_type: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    doc_number: str | None = None
    kind: str | None = None
    sample: bool = False
    fallback_title: str | None = None  # used only when the text itself has no title
    layout_title: str | None = None  # the centred, larger lines of a printed first page
    extra: Mapping[str, str] = field(default_factory=dict)


def _facts(texts: Sequence[str]) -> dict[str, str]:
    """Figures worth a filter: 制定出台了24项改革配套政策措施 → policy_measures=24."""
    for text in texts:
        match = _MEASURES.search(text)
        if match:
            facts = {"policy_measures": match.group(1)}
            parts = stated_breakdown(text[match.start():])
            if parts:
                facts["policy_measures_breakdown"] = parts
            return facts
    return {}


def _bulletin(blocks: Sequence[Block], head: Masthead) -> dict[str, Any]:
    recipients: dict[str, tuple[str, ...]] = {}
    body: list[Block] = []
    for block in blocks[head.body_start:]:
        if is_distribution_line(block.text):
            key, value = re.split(r"\s*[:：]\s*", block.text, maxsplit=1)
            recipients[key] = recipients.get(key, ()) + split_recipients(value)
        elif not _PRINT_COUNT.match(block.text):
            body.append(block)
    info = BulletinInfo(head.name, head.year, head.number, head.total_number, head.office)
    return dict(title=head.title or "", doc_type="bulletin", sections=build_sections(body),
                date=head.date, kind=head.kind, issuer=head.office, recipients=recipients,
                bulletin=info, extra={"supplement": "增刊"} if head.supplement else {})


def _policy(parts: GongwenParts) -> dict[str, Any]:
    return dict(title=parts.title or "", doc_type="policy", sections=build_sections(parts.body),
                date=parts.date, kind=parts.kind, issuer=parts.issuer,
                doc_number=parts.doc_number, recipients=dict(parts.recipients),
                extra=dict(parts.printed))


def _other(blocks: Sequence[Block], doc_type: str, take_title: bool) -> dict[str, Any]:
    lines: list[str] = []
    if take_title:
        for block in blocks[:3]:
            if block.heading_hint not in (None, 0) or heading_level(block.text):
                break  # 一、… is the first heading, not a title line
            text = block.text
            if len(text) > 40 or text.endswith(_NOT_TITLE_END) or starts_paragraph(text):
                break
            lines.append(text)
        if len(lines) == len(blocks):  # a text that is all short lines has no title line
            lines = []
    return dict(title=remove_cjk_spaces(normalize_inline(" ".join(lines))), doc_type=doc_type,
                sections=build_sections(blocks[len(lines):]))


def build_document(doc_id: str, blocks: Sequence[Block], hints: Hints = Hints(),
                   source: Source | None = None) -> Document:
    """The Document for one text: structure from the paragraphs, then the hints on top."""
    blocks = [b for b in blocks if b.text]
    hints, blocks = _table_hints(*_browser_title(hints, blocks))
    attachment = None
    if blocks and ATTACHMENT_LABEL.match(blocks[0].text):
        attachment = re.sub(r"[\s：:.．]", "", blocks[0].text)
        blocks = blocks[1:]
    wanted = hints.doc_type
    fields = None
    if wanted in (None, "bulletin"):
        head = parse_masthead(blocks)
        fields = _bulletin(blocks, head) if head else None
    if fields is None and wanted in (None, "policy"):
        parts = parse_gongwen(blocks, force=wanted == "policy")
        fields = _policy(parts) if parts else None
    if fields is None:
        fields = _other(blocks, wanted or "other", take_title=hints.title is None)
    for name in ("title", "date", "issuer", "doc_number", "kind"):
        value = getattr(hints, name)
        if value is not None:
            fields[name] = value
    if hints.layout_title and hints.title is None and fields["doc_type"] != "bulletin" \
            and hints.layout_title != fields["title"] \
            and not _completes(fields["title"], hints.layout_title):
        fields["title"] = hints.layout_title
        fields["kind"] = kind_of(hints.layout_title) or fields.get("kind")
        fields["issuer"] = issuer_from_title(hints.layout_title) or fields.get("issuer")
    extra: dict[str, str] = fields.pop("extra", {})
    if not fields["title"]:
        fields["title"] = hints.fallback_title or doc_id
        extra["title_from"] = "format" if hints.fallback_title else "file name"
    if attachment:
        extra["attachment"] = attachment
    if fields["doc_type"] == "other" and wanted is None and kind_of(fields["title"]):
        _as_gongwen(fields, blocks)
    if fields["doc_type"] == "policy" or "title_from" not in extra:
        fields["kind"] = fields.get("kind") or kind_of(fields["title"])
    if fields["doc_type"] == "policy":
        fields["issuer"] = fields.get("issuer") or issuer_from_title(fields["title"])
    texts = [p.text for section in fields["sections"] for p in section.passages]
    if fields["doc_type"] in ("policy", "other"):
        fields["issuer"] = complete_issuer(fields.get("issuer"), [b.text for b in blocks]) \
            or interpreting_organ(texts)
    bulletin = fields.get("bulletin")
    in_force = effective_date(texts) if fields["doc_type"] == "policy" else None
    if in_force is not None:
        extra["effective_date"] = in_force.isoformat()
    return Document(doc_id=doc_id, **fields, source=source, sample=hints.sample,
                    references=find_references(texts, {bulletin.name} if bulletin else set()),
                    extra={**_facts(texts), **extra, **dict(hints.extra)})


def _completes(title: str, layout: str) -> bool:
    """The 公文's title is the layout's first lines and the rest (a scan's lines in sizes that
    differ by a few points are not grouped): keep the whole title."""
    title, layout = (re.sub(r"\s", "", t) for t in (title, layout))
    return len(title) > len(layout) and title.startswith(layout) and kind_of(title) is not None \
        and kind_of(layout) is None


def _as_gongwen(fields: dict[str, Any], blocks: Sequence[Block]) -> None:
    """A titled text without 版头 or 主送 (a 公告, a page's notice) is a 公文 when an organ issued it:
    by its title (XX关于…) or by a 落款 on its first page; a 公告's number goes with its title."""
    title = fields["title"]
    signature = signed(blocks[:_SIGNATURE_SCAN])
    issuer = issuer_from_title(title) or (signature[0] if signature else None)
    if issuer is None:
        return
    fields.update(doc_type="policy", issuer=fields.get("issuer") or issuer)
    if signature and not fields.get("date"):
        fields["date"] = signature[1]
    if kind_of(title) in _NUMBERED_KINDS and not fields.get("doc_number"):
        for block in blocks[:4]:
            match = _ANNOUNCEMENT_NUMBER.match(block.text.replace(" ", ""))
            if match:
                fields["doc_number"] = match.group(1)
                if match.group(1) not in title:
                    fields["title"] = f"{title}（{match.group(1)}）"
                break


def _browser_title(hints: Hints, blocks: list[Block]) -> tuple[Hints, list[Block]]:
    """A browser print's page title on top (`标题_栏目_XX网 (www…)`): the title, not text."""
    # The pattern needs a "_": most texts are spared its backtracking over a long first line.
    match = _PAGE_TITLE.match(fold_radicals(blocks[0].text)) \
        if blocks and "_" in blocks[0].text else None
    if not match:
        return hints, blocks
    title = match.group(1).strip()  # a space there parts joint issuers: keep it
    rest = blocks[1:]
    if rest and fold_radicals(remove_cjk_spaces(rest[0].text)) == remove_cjk_spaces(title):
        rest = rest[1:]  # the page's own heading repeats it
    if hints.title is None:
        hints = replace(hints, title=title)
    return hints, rest


def _table_hints(hints: Hints, blocks: list[Block]) -> tuple[Hints, list[Block]]:
    """A site's metadata table in the text → hints (the format's own win), and the rest of the text.

    What stands above the table is the site's banner and menus, not the document.
    """
    info, used = info_table(blocks)
    if not info:
        return hints, blocks
    number = info.get("doc_number")
    if number:  # a label the table does not know may follow on the same line: 3号信息类别：…
        number = (find_doc_numbers(number) or [number])[0]
    found = {"title": info.get("title"), "issuer": info.get("issuer"), "doc_number": number,
             "date": parse_date(info.get("date_written", "")),
             "doc_type": "policy" if number or info.get("issuer") else None}
    extra = {k: info[k] for k in ("index_number", "topic", "validity") if info.get(k)}
    for key in ("publish_date", "effective_date"):
        day = parse_date(info.get(key, ""))
        if day:
            extra[key] = day.isoformat()
    changes = {k: v for k, v in found.items() if v is not None and getattr(hints, k) is None}
    hints = replace(hints, **changes, extra={**extra, **dict(hints.extra)})
    first = min(used)
    return hints, [b for i, b in enumerate(blocks) if i >= first and i not in used]
