"""Small extractors shared by bulletins and 公文: dates, 发文字号, references, recipients, 文种."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..model import Reference

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇○零O一二三四五六七八九十"
DATE_RE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
CN_DATE_RE = re.compile(rf"([{_CN_NUM}]{{4}})年([{_CN_NUM}]{{1,3}})月([{_CN_NUM}]{{1,3}})日")
_DATE_LINE = re.compile(rf"^(?:\d{{4}}年\d{{1,2}}月\d{{1,2}}日|[{_CN_NUM}]{{4}}年[{_CN_NUM}]{{1,3}}月[{_CN_NUM}]{{1,3}}日)$")

_DOC_NUMBER = re.compile(
    r"^(?P<org>[\u4e00-\u9fff]{1,15}?)\s*[〔［\[（(【{｛]\s*(?P<year>\d{4})\s*[〕］\]）)】}｝]"
    r"\s*第?\s*(?P<num>\d{1,5})\s*号$")
# (2012)厦大教10号: the year before the organ's code, as some offices print it.
_YEAR_FIRST = re.compile(
    r"^[〔［\[（(【]\s*(?P<year>\d{4})\s*[〕］\]）)】]\s*(?P<org>[\u4e00-\u9fff]{1,15}?)"
    r"\s*第?\s*(?P<num>\d{1,5})\s*号$")
_DOC_NUMBER_SEARCH = re.compile(
    r"[\u4e00-\u9fff]{1,15}\s*[〔［\[（(【]\s*\d{4}\s*[〕］\]）)】]\s*第?\s*\d{1,5}\s*号|"
    r"[〔［\[（(【]\s*\d{4}\s*[〕］\]）)】]\s*[\u4e00-\u9fff]{1,15}?\s*第?\s*\d{1,5}\s*号")
_REFERENCE = re.compile(r"《([^《》\n]{1,120})》")
_NUMBER_AFTER = re.compile(r"\s*[（(]([^（）()]{4,40}?)[）)]")
_ABBREVIATION = re.compile(r"(?:以下)?简称[“\"]?$")

# 文种 as the last word of a title; longer forms first so that 复函 wins over 函.
KINDS: tuple[tuple[str, str], ...] = tuple((w, k) for w, k in (
    ("实施意见", "意见"), ("指导意见", "意见"), ("意见", "意见"), ("通知", "通知"), ("通报", "通报"),
    ("通告", "通告"), ("公告", "公告"), ("公报", "公报"), ("决定", "决定"), ("决议", "决议"),
    ("命令", "命令"), ("批复", "批复"), ("复函", "函"), ("函", "函"), ("报告", "报告"),
    ("请示", "请示"), ("纪要", "纪要"), ("议案", "议案"), ("答复", "答复"), ("办法", "办法"),
    ("规定", "规定"), ("细则", "细则"), ("条例", "条例"), ("方案", "方案"), ("规划", "规划"),
    ("纲要", "纲要"), ("规则", "规则"), ("守则", "守则"), ("章程", "章程"), ("计划", "计划"),
    ("要点", "要点"), ("指南", "指南"), ("标准", "标准"), ("清单", "清单"), ("目录", "目录"),
))


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十九 → 29, 二〇〇六 (digit by digit) → 2006."""
    if not text:
        return None
    if "十" not in text:
        if any(c not in _CN_DIGITS for c in text):
            return None
        value = 0
        for c in text:
            value = value * 10 + _CN_DIGITS[c]
        return value
    tens, _, units = text.partition("十")
    t = _CN_DIGITS.get(tens, None) if tens else 1
    u = _CN_DIGITS.get(units, None) if units else 0
    return None if t is None or u is None else t * 10 + u


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """The first date in the text: 2019-01-27, 2019年1月27日, 二〇一九年一月二十七日."""
    match = DATE_RE.search(text)
    if match:
        return _safe_date(*(int(g) for g in match.groups()))
    match = CN_DATE_RE.search(text)
    if match:
        parts = [cn_number(g) for g in match.groups()]
        if None not in parts:
            return _safe_date(*parts)  # type: ignore[arg-type]
    return None


def is_date_line(text: str) -> bool:
    """A paragraph that is nothing but a date (the 成文日期 line of a 公文 or a masthead)."""
    return bool(_DATE_LINE.match(text.replace(" ", "")))


def normalize_doc_number(text: str) -> str | None:
    """发文字号 in canonical form: 国办发[2019]6号, 国办发（2019）6号 → 国办发〔2019〕6号."""
    text = text.translate({0xFF10 + i: 0x30 + i for i in range(10)}).strip()
    text = text.replace("\u3000", " ")
    match = _DOC_NUMBER.match(text) or _YEAR_FIRST.match(text)
    if not match:
        return None
    return f"{match['org']}〔{match['year']}〕{int(match['num'])}号"


def find_doc_numbers(text: str) -> list[str]:
    """Every 发文字号 in running text, normalized, in order of appearance."""
    found = (normalize_doc_number(m.group(0)) for m in _DOC_NUMBER_SEARCH.finditer(text))
    return [n for n in found if n]


def find_references(texts: list[str], exclude: set[str] = frozenset()) -> tuple[Reference, ...]:
    """Documents cited in 《…》, in order, de-duplicated, with a 发文字号 that follows them."""
    numbers: dict[str, str | None] = {}
    for text in texts:
        for match in _REFERENCE.finditer(text):
            title = match.group(1).strip()
            if not title or title in exclude or _ABBREVIATION.search(text[:match.start()]):
                continue
            after = _NUMBER_AFTER.match(text, match.end())
            number = normalize_doc_number(after.group(1)) if after else None
            if title not in numbers or (numbers[title] is None and number):
                numbers[title] = number
    return tuple(Reference(title, number) for title, number in numbers.items())


def split_recipients(text: str, separators: str = "，、,；;") -> tuple[str, ...]:
    """报：甲，乙、丙。 → (甲, 乙, 丙)."""
    parts = re.split(f"[{separators}]", text.strip().rstrip("。.；;"))
    return tuple(p.strip() for p in parts if p.strip())


_KIND_WORDS = tuple(w for w, _ in KINDS)
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


def kind_of(title: str) -> str | None:
    """文种 from the end of a title: …的指导意见 → 意见, …的复函 → 函."""
    title = title.strip().rstrip("》”")
    if title.endswith(("）", ")")):
        title = _TRAILING_NOTE.sub("", title)
    if not title.endswith(_KIND_WORDS):  # most titles (a law's article, a report): one C call
        return None
    for word, kind in KINDS:
        if title.endswith(word):
            return kind
    return None


# Kangxi radicals (U+2F00–U+2FDF) and compatibility ideographs that PDF text layers use for
# the ideographs they look like (⽂ for 文): metadata is compared and shown in unified form.
_LOOKALIKE = re.compile("[\u2f00-\u2fdf\uf900-\ufaff\u2e80-\u2eff]")


# NFKC leaves the radicals supplement alone: the simplified forms printers substitute.
_SUPPLEMENT = {p[0]: p[1] for p in "⺠民 ⻅见 ⻔门 ⻓长 ⻛风 ⻘青 ⻝食 ⻜飞 ⻢马 ⻋车 ⻉贝 ⻚页 ⻄西 ⻆角 ⻙韦 ⻥鱼 ⻦鸟 ⻨麦 ⻩黄 ⻬齐 ⻮齿 ⻳龟 ⻰龙 ⺟母 ⻤鬼 ⻣骨".split()}


def fold_radicals(text: str) -> str:
    """⾰⽂⽤⺠ → 革文用民: radical look-alikes to the unified ideographs they stand for."""
    if not _LOOKALIKE.search(text):
        return text
    return _LOOKALIKE.sub(lambda m: _SUPPLEMENT.get(m.group(0))
                          or unicodedata.normalize("NFKC", m.group(0)), text)


_IN_FORCE = re.compile(r"自\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起(?:施行|执行|实施|生效)")


def effective_date(texts: list[str]) -> dt.date | None:
    """施行日期 as the text states it (本通知自2025年11月1日起执行), kept apart from 成文日期."""
    for text in texts:
        match = _IN_FORCE.search(text)
        if match:
            return parse_date(match.group(1))
    return None
