"""A notice and its attachments (附件), read together as one folder's files.

An attachment is known by its file name or first line (`附件1`, `附件 2`, `附件一`, `附件：`) or
by its title in a notice's list under `附件：` (numbered `1.` `2.`, possibly wrapped over lines).
It is linked to its notice (attachment_of), takes the notice's issuer, 发文字号 and date where it
has none of its own, and the notice lists every attachment, with doc_id None for the files not
in the collection (未收录) and the notice's own doc_id for those printed after it. A notice
whose later pages are its attachments stays one document: each 附件N line opens a section.

An attachment whose notice is not in the folder and that names no issuer takes the issuer
every other document of the folder names, when at least two do and all agree (an office's
own folder); ``extra["issuer_from"] = "folder"`` says so, and the page shows it as inferred.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Sequence

from .model import AttachmentLink, Document, Passage, Section

_CN_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九", start=1)}
_NUMBER = r"([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})"
# 附件1 / 附件 2 / 附件一 / 附件：, at the start of a file name or a first line.
_HEAD = re.compile(r"^\s*附\s*件\s*" + _NUMBER + r"?(?![0-9０-９])\s*[:：]?")
# A notice's list: 附件：1. 《A》 2. B (the text after 附件： may be empty: items follow).
_LIST = re.compile(r"^\s*附\s*件\s*[:：]\s*(.*)$", re.S)
_ITEM = re.compile(r"(?:^|(?<=[\s》。；;，,]))" + r"([0-9０-９]{1,2})\s*[.．、]\s*")
_ITEM_START = re.compile(r"^\s*[0-9０-９]{1,2}\s*[.．、]")
_DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年")
# A standalone 附件N line inside a document: where an attachment printed with its notice starts.
_INLINE = re.compile(r"^\s*附\s*件\s*" + _NUMBER + r"\s*[:：]?\s*$")
_NOT_TEXT = re.compile(r"[\s\W_]+")
_LIST_LINES = 12  # passages a 附件 list may run over
_TITLE_CHARS = 80  # longer is prose that mentions 附件：, not a list of titles


def number_of(raw: str) -> str:
    """"2", "２" or "二" → "2" ("" stays "")."""
    raw = raw.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if raw.isdigit():
        return str(int(raw))
    if not raw:
        return ""
    if "十" not in raw:
        return str(_CN_DIGITS.get(raw, 0) or raw)
    tens, _, ones = raw.partition("十")  # 十 10, 十二 12, 二十 20, 二十三 23
    return str(_CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0))


def _key(title: str) -> str:
    return _NOT_TEXT.sub("", title.replace("《", "").replace("》", ""))


def own_number(doc: Document) -> str | None:
    """The attachment number its file name or first line gives ("" for a bare 附件), else None."""
    names = [Path(s.path).stem for s in doc.originals]
    first = next((line for line in _lines(doc) if line), "")
    # extra["attachment"]: the 附件N line ingest.structure took off before the title.
    for text in (*names, doc.extra.get("attachment", ""), first, doc.title):
        match = _HEAD.match(text)
        if match and (match.group(1) or _bare(text, match)):
            return number_of(match.group(1) or "")
    return None


def _bare(text: str, match: re.Match[str]) -> bool:
    """附件 or 附件： alone, or followed by a title: not 附件表 or a notice's 附件：1. … list."""
    rest = text[match.end():].strip()
    return (match.group(0).rstrip().endswith(("：", ":")) or not rest) and \
        not _ITEM_START.match(rest)


def _lines(doc: Document) -> list[str]:
    """Headings and passages in reading order (a list's `2. 《…》` may be read as a heading)."""
    lines = []
    for section in doc.sections:
        if section.heading:
            lines.append(section.heading.strip())
        lines.extend(p.text.strip() for p in section.passages)
    return lines


def listed(doc: Document) -> tuple[AttachmentLink, ...]:
    """The notice's 附件 list: number and title of each entry, in order (doc_id None)."""
    passages = _lines(doc)
    for n, text in enumerate(passages[1:], start=1):  # a first line 附件： is an attachment's
        match = _LIST.match(text)
        if match is None:
            continue
        parts = [match.group(1).strip()]
        for more in passages[n + 1:n + 1 + _LIST_LINES]:
            if _DATE_LINE.search(more) or _INLINE.match(more) or \
                    (doc.issuer and _key(more) == _key(doc.issuer)):
                break
            # A further item, or the wrapped rest of one whose 《 is still open.
            if _ITEM_START.match(more) or parts[-1].count("《") > parts[-1].count("》"):
                parts.append(more)
            else:
                break
        entries = _entries(" ".join(p for p in parts if p))
        if entries and all(len(e.title) <= _TITLE_CHARS for e in entries):
            return entries
    return ()


def _entries(text: str) -> tuple[AttachmentLink, ...]:
    marks = list(_ITEM.finditer(text))
    if not marks:  # one attachment: 附件：《A》
        title = _title(text)
        return (AttachmentLink("", title),) if title else ()
    entries = []
    for n, mark in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        title = _title(text[mark.end():end])
        if title:
            entries.append(AttachmentLink(number_of(mark.group(1)), title))
    return tuple(entries)


def _title(raw: str) -> str:
    raw = re.sub(r"\s+", "", raw).strip("；;。，,")
    inner = re.fullmatch(r"《(.+)》", raw)
    return inner.group(1) if inner else raw


def _matches(entry: AttachmentLink, doc: Document) -> bool:
    """The document is the list entry: its title is the entry's, or its first lines start
    with it (a title over two lines, after a 附件N line); a title that only mentions the
    entry (关于调整实施方案的通知) is another document."""
    want = _key(entry.title)
    if len(want) < 4:
        return False
    if _key(_HEAD.sub("", doc.title, count=1)) == want:
        return True
    lead = _key(_HEAD.sub("", "".join(_lines(doc)[:3]), count=1))
    return lead.startswith(want)


def link_attachments(docs: Sequence[Document]) -> list[Document]:
    """The documents of one folder with attachments linked to their notice (see the module)."""
    docs = list(docs)
    numbers = {n: own_number(d) for n, d in enumerate(docs)}
    lists = {n: listed(d) for n, d in enumerate(docs) if numbers[n] is None}
    lists = {n: entries for n, entries in lists.items() if entries}
    notices = [n for n in range(len(docs)) if numbers[n] is None]
    parent_of: dict[int, tuple[int, str]] = {}  # attachment → (notice, number)
    for n, doc in enumerate(docs):
        if n in lists:
            continue
        by_title = [(m, e.number) for m, entries in lists.items() if m != n
                    for e in entries if _matches(e, doc)]
        if len(by_title) == 1:
            parent_of[n] = by_title[0]
        elif numbers[n] is not None:  # by its number: the folder's one notice
            candidates = list(lists) or notices
            if len(candidates) == 1:
                parent_of[n] = (candidates[0], numbers[n] or "")
    linked = list(docs)
    for n, (m, number) in parent_of.items():
        linked[n] = _attach(docs[n], docs[m], number)
    for m in set(lists) | {m for m, _ in parent_of.values()}:
        mine = sorted(((number, docs[n]) for n, (p, number) in parent_of.items() if p == m),
                      key=lambda x: (len(x[0]), x[0]))
        entries = []
        printed = _printed_in(docs[m])
        for e in lists.get(m, ()):
            doc_id = next((d.doc_id for number, d in mine if number == e.number), None)
            if doc_id is None and _key(e.title) in printed:  # printed after the notice
                doc_id = docs[m].doc_id
            entries.append(dataclasses.replace(e, doc_id=doc_id))
        known = {e.number for e in entries}
        entries += [AttachmentLink(number, d.title, d.doc_id)  # linked by name, not listed
                    for number, d in mine if number not in known]
        linked[m] = dataclasses.replace(linked[m], attachments=tuple(entries))
    orphans = [n for n in range(len(docs))
               if numbers[n] is not None and n not in parent_of and not docs[n].issuer]
    return _folder_issuer(linked, orphans)


MIN_AGREEING = 2  # documents of the folder that must name the one issuer an orphan takes


def _folder_issuer(docs: list[Document], orphans: Sequence[int]) -> list[Document]:
    """Orphan attachments given the issuer all the folder's other documents agree on."""
    named = [d.issuer for n, d in enumerate(docs) if n not in orphans and d.issuer]
    if not orphans or len(named) < MIN_AGREEING or len(set(named)) != 1:
        return docs
    out = list(docs)
    for n in orphans:
        out[n] = dataclasses.replace(docs[n], issuer=named[0],
                                     extra={**docs[n].extra, "issuer_from": "folder"})
    return out


def _printed_in(doc: Document) -> set[str]:
    """The lines of the document that could be an attachment's title (keys, as _key makes)."""
    return {_key(line) for line in _lines(doc)[1:] if 4 <= len(line) <= _TITLE_CHARS}


def _attach(doc: Document, notice: Document, number: str) -> Document:
    return dataclasses.replace(
        doc, attachment_of=AttachmentLink(number, notice.title, notice.doc_id),
        issuer=doc.issuer or notice.issuer, doc_number=doc.doc_number or notice.doc_number,
        date=doc.date or notice.date)


def mark_inline_attachments(doc: Document) -> Document:
    """A document whose later pages are its attachments: each 附件N line opens a section."""
    out: list[Section] = []
    current: str | None = None  # the heading of the attachment being read
    first = True
    for section in doc.sections:
        head, passages = section, []
        for passage in section.passages:
            match = _INLINE.match(passage.text)
            if match and not first:  # the line becomes the new section's heading
                if passages or head.heading:
                    out.append(dataclasses.replace(head, passages=tuple(passages)))
                current = f"附件{number_of(match.group(1))}"
                head, passages = Section(heading=current, level=1), []
                continue
            first = False
            if current is not None:
                passage = dataclasses.replace(
                    passage, section_path=(current, *passage.section_path))
            passages.append(passage)
        if passages or head.heading:
            out.append(dataclasses.replace(head, passages=tuple(passages)))
    return doc if current is None else dataclasses.replace(doc, sections=tuple(out))
