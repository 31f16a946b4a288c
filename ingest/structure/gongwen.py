"""公文 (GB/T 9704-2012): 发文字号, title, 主送, 发文机关, 成文日期, 抄送, and the body between."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Sequence

from ..normalize import Block, is_distribution_line, remove_cjk_spaces, starts_paragraph
from .common import is_date_line, kind_of, normalize_doc_number, parse_date, split_recipients

_SCAN = 15
_NUMBER_IN_LINE = re.compile(
    r"[\u4e00-\u9fff]{1,15}\s*[〔［\[（(【]\s*[0-9０-９]{4}\s*[〕］\]）)】]\s*第?\s*[0-9０-９]{1,5}\s*号|"
    r"[〔［\[（(【]\s*[0-9０-９]{4}\s*[〕］\]）)】]\s*[\u4e00-\u9fff]{1,15}?\s*第?\s*[0-9０-９]{1,5}\s*号")
# 版头 lines that are neither title nor body: 份号, 密级, 紧急程度, 发文机关标志, 签发人.
_JUNK = re.compile(r"^(\d{6}|[★*].*|(绝密|机密|秘密|特急|加急|平急|特提)[★*\s\d年]*|"
                   r"(?:(?!关于).){2,30}文件|签发人[:：].*)$")
_NOTE = re.compile(r"^[（(](此件|本文|此文|本件)[^（）()]{0,24}[）)]$")
# 版记: 印发机关 and 印发日期, on their own line or glued to the 抄送 line above by extraction.
_PRINTED = re.compile(r"(?:^|(?<=[。；;\s]))(?P<by>[^。；;：:\s]{2,30}?)\s*"
                      r"(?P<date>\d{4}年\d{1,2}月\d{1,2}日)印发$")
_ISSUER_TITLE = re.compile(r"^(.{2,60}?)(?:关于|转发|印发|批转|对)")
# 转发示例州总工会关于…的通知: the organ named is the one forwarded, not the sender.
_VERB_FIRST = re.compile(r"^(关于)?(转发|印发|批转)")
_ORG_END = re.compile(r"(院|厅|部|委|局|办|会|室|府|署|行|处|组|所|社|团|军|中心|公司|政府|委员会|党委)$")
_ORG_LINE = re.compile(r"^[\u4e00-\u9fff（）() 、]{2,60}$")


@dataclass(frozen=True)
class GongwenParts:
    """The elements of a 公文 outside its body, and the body blocks."""

    title: str | None
    doc_number: str | None
    issuer: str | None
    date: dt.date | None
    kind: str | None
    recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)
    body: tuple[Block, ...] = ()
    printed: dict[str, str] = field(default_factory=dict)  # 版记: printed_by, printed_date


def _is_body(text: str) -> bool:
    """Running text (as opposed to a title line, even a long one)."""
    return "。" in text or text.count("，") >= 2 or len(text) > 80


def _number_line(text: str) -> bool:
    """A line that is the 发文字号 (perhaps with 签发人), not a sentence that cites one."""
    if len(text) > 60 or "号" not in text:
        return False
    match = _NUMBER_IN_LINE.search(text)
    if not match:
        return False
    rest = re.sub(r"签发人[:：].*$", "", text[:match.start()] + text[match.end():])
    return len(rest.strip()) <= 4


def _is_main_recipient(text: str) -> bool:
    return (text.endswith(("：", ":")) and len(text) <= 300 and "。" not in text
            and not starts_paragraph(text))


def _front(blocks: Sequence[Block]) -> tuple[list[str], str | None, str | None, int] | None:
    """Title lines, 发文字号, 主送 line and the index where the body starts."""
    number_at = main_at = None
    limit = min(len(blocks), _SCAN)
    for i in range(limit):
        text = blocks[i].text
        if number_at is None and _number_line(text):
            number_at = i
        elif _is_main_recipient(text):
            main_at = i
            break
        elif _is_body(text):
            limit = i
            break
    end = main_at if main_at is not None else limit
    if number_at is not None and number_at < end:
        before = [b.text for b in blocks[:number_at] if not _JUNK.match(b.text)]
        after = [b.text for b in blocks[number_at + 1:end] if not _JUNK.match(b.text)]
        title_lines = after or before
        number = normalize_doc_number(_NUMBER_IN_LINE.search(blocks[number_at].text).group(0))
    else:
        title_lines = [b.text for b in blocks[:end] if not _JUNK.match(b.text)]
        number = None
    if number is None and main_at is None:
        return None
    main = blocks[main_at].text if main_at is not None else None
    return title_lines, number, main, end + (1 if main_at is not None else 0)


def issuer_from_title(title: str) -> str | None:
    """国务院办公厅关于… → 国务院办公厅; 国务院、中央军委关于… → 国务院、中央军委."""
    match = _ISSUER_TITLE.match(title)
    if not match or not _ORG_END.search(match.group(1)) or _VERB_FIRST.match(title):
        return None
    return re.sub(r"\s+", "、", match.group(1).strip())  # 中共中央办公厅 国务院办公厅


def _org(text: str) -> str | None:
    """A signature line: one or more 发文机关 separated by spaces or 、."""
    if not _ORG_LINE.match(text) or not _ORG_END.search(text.strip()):
        return None
    parts = [p for p in re.split(r"[ 、]+", text.strip()) if p]
    if all(len(p) == 1 for p in parts):
        return "".join(parts)  # 财 政 部: one name spaced out to fill the line
    return "、".join(parts)


def _signature(body: Sequence[Block]) -> tuple[str | None, dt.date | None, set[int]]:
    """发文机关署名 and 成文日期: the first date line, preferably right after an organ's name."""
    dates = [i for i, b in enumerate(body) if is_date_line(b.text)]
    signed = [i for i in dates if i > 0 and _org(body[i - 1].text)]
    if signed:
        i = signed[0]
        return _org(body[i - 1].text), parse_date(body[i].text), {i - 1, i}
    if dates:
        return None, parse_date(body[dates[0]].text), {dates[0]}
    return None, None, set()


def signed(blocks: Sequence[Block]) -> tuple[str, dt.date, int] | None:
    """An organ's name followed by a date line (a 落款), with the index of the name."""
    for i in range(1, len(blocks)):
        if is_date_line(blocks[i].text) and _org(blocks[i - 1].text):
            date = parse_date(blocks[i].text)
            if date is not None:
                return _org(blocks[i - 1].text) or "", date, i - 1
    return None


def parse_gongwen(blocks: Sequence[Block], force: bool = False) -> GongwenParts | None:
    """Split a 公文 into its elements; None when it does not look like one (unless forced)."""
    front = _front(blocks)
    if front is None:
        if not force:
            return None
        front = ([], None, None, 0)
    title_lines, number, main, body_start = front
    title = remove_cjk_spaces(" ".join(title_lines)) or None
    if not force and number is None and (not title or kind_of(title) is None):
        return None  # a 主送-like line alone (主刑的种类如下：) does not make a 公文
    signer, date, drop = _signature(blocks[body_start:])
    recipients: dict[str, tuple[str, ...]] = {}
    if main:
        recipients["主送"] = split_recipients(main.rstrip("：:"), "，,；;")
    body: list[Block] = []
    printed: dict[str, str] = {}
    for i, block in enumerate(blocks[body_start:]):
        text = block.text
        stamp = _PRINTED.search(text)
        if stamp:
            day = parse_date(stamp["date"])
            printed = printed or {"printed_by": stamp["by"], **(
                {"printed_date": day.isoformat()} if day else {})}
            text = text[:stamp.start()].strip()
            block = Block(text, block.page, block.heading_hint)
        if i in drop or not text or _NOTE.match(text):
            continue
        if is_distribution_line(text):
            key, value = re.split(r"\s*[:：]\s*", text, maxsplit=1)
            recipients[key] = recipients.get(key, ()) + split_recipients(value, "，,；;")
            continue
        body.append(block)
    issuer = (issuer_from_title(title) if title else None) or signer
    return GongwenParts(title, number, issuer, date, kind_of(title) if title else None,
                        recipients, tuple(body), printed)


# 省文化和旅游厅关于…: a title may name its own province's or city's organ without the place.
_PLACE_LEFT_OUT = re.compile(r"^[省市县区州][\u4e00-\u9fff]{2,}$")
# 本办法由财政部负责解释: the organ that answers for a rule is the one that made it.
_INTERPRETS = re.compile(r"本[\u4e00-\u9fff]{1,8}?由([\u4e00-\u9fff、]{2,30}?)负责解释")


def complete_issuer(issuer: str | None, texts: Sequence[str]) -> str | None:
    """省文化和旅游厅 → 湖北省文化和旅游厅 where a line of the text (落款, cover) names it in full."""
    if not issuer or not _PLACE_LEFT_OUT.match(issuer):
        return issuer
    full = re.compile(rf"[\u4e00-\u9fff]{{2,4}}{re.escape(issuer)}")
    return next((t.replace(" ", "") for t in texts if full.fullmatch(t.replace(" ", ""))), issuer)


def interpreting_organ(texts: Sequence[str]) -> str | None:
    """The organ a rule says interprets it (本目录由环境保护部负责解释), for a text that names
    no issuer otherwise (an attachment sent without its notice)."""
    for text in texts:
        match = _INTERPRETS.search(text)
        if match and _ORG_END.search(match.group(1)):
            return match.group(1)
    return None

