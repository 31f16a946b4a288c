"""Laws and regulations in the LawRefBook layout: `# 标题`, the promulgation history, `<!-- INFO END -->`,
then `## 第一章 …` headings (编/章/节) and `第一条 …` articles; the version date in the file name
`标题(YYYY-MM-DD).md`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Document, Passage, Section, Source
from ..normalize import normalize_inline
from .common import kind_of, parse_date

INFO_END = "<!-- INFO END -->"
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零〇\d]+条(?:之[一二三四五六七八九十]+)?(?=\s|$)")
_DATED = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_NAME_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
# Joint issuers printed apart in a heading (最高人民法院 最高人民检察院关于…): a title joins them with 、.
_ORGAN = re.compile(r"[\u4e00-\u9fff]{2,30}(?:院|厅|部|委|局|办|会|室|府|署|行|组|社|团|中心|政府|党委)$")
# A case file's name (## 张某诉某公司买卖合同纠纷案), below the headline of its 裁判要点.
_CASE_NAME = re.compile(r"^\S{2,80}?(?:诉|与|申请|执行|裁定|赔偿|纠纷)\S*?案$")
# A history line that only says when it takes effect is not a version of the text.
_IN_FORCE_ONLY = re.compile(r"施行|实施")
_VERSION_EVENT = re.compile(r"通过|公布|发布|修正|修订|修改|批准|废止")


@dataclass(frozen=True)
class LawHead:
    """The part above INFO END: title (with a subtitle for a split law) and dated events."""

    title: str
    history: tuple[str, ...]


def is_lawrefbook(text: str) -> bool:
    """A LawRefBook file: a `# ` title above an INFO END marker."""
    head, sep, _ = text.partition(INFO_END)
    return bool(sep) and re.search(r"^#\s+\S", head, re.M) is not None


def _head(text: str) -> LawHead:
    titles, history = [], []
    for raw in _COMMENT.sub("", text).splitlines():
        line = normalize_inline(raw)
        if not line or line == "---" or re.fullmatch(r"\w+:\s*\S*", line):
            continue  # empty, or front matter (bookHidden: true)
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1:
            titles.append(joint_issuers(match.group(2)))
        elif not match:
            history.append(line)
    return LawHead(" ".join(titles), tuple(history))


def joint_issuers(title: str) -> str:
    """最高人民法院 最高人民检察院关于… → 最高人民法院、最高人民检察院关于…"""
    prefix, sep, rest = title.partition("关于")
    organs = prefix.split()
    if sep and len(organs) > 1 and all(_ORGAN.search(o) for o in organs):
        return "、".join(organs) + sep + rest
    return title


def case_name(body: str) -> str | None:
    """A case file's name: its first heading when that names a case (the # title above is the
    headline of its 裁判要点, not what the case is cited by)."""
    for raw in _COMMENT.sub("", body).splitlines():
        line = normalize_inline(raw)
        if not line:
            continue
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 2 and _CASE_NAME.match(match.group(2)):
            return match.group(2)
        return None
    return None


def version_date(path: Path, history: tuple[str, ...]) -> dt.date | None:
    """The version: the date LawRefBook puts in the file name, else the latest dated event."""
    named = _NAME_DATE.search(path.stem)
    if named:
        try:
            return dt.date.fromisoformat(named.group(1))
        except ValueError:
            pass
    dates = [parse_date(line) for line in history
             if _DATED.search(line) and (_VERSION_EVENT.search(line)
                                         or not _IN_FORCE_ONLY.search(line))]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def _sections(body: str) -> tuple[Section, ...]:
    """编/章/节 headings (by their # depth) as sections; each 第X条 with its paragraphs a passage."""
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    heading, level, passages = "", 0, []
    counter = 0

    def close() -> None:
        if passages or heading:
            sections.append(Section(heading, level, tuple(passages)))

    article: list[str] = []

    def flush_article() -> None:
        nonlocal counter
        if article:
            counter += 1
            passages.append(Passage(f"p{counter}", "\n".join(article),
                                    section_path=tuple(h for _, h in path)))
            article.clear()

    for raw in _COMMENT.sub("", body).splitlines():
        line = normalize_inline(raw)
        if not line:
            continue
        match = _HEADING.match(line)
        if match:
            flush_article()
            close()
            depth = len(match.group(1)) - 1
            path = [(d, h) for d, h in path if d < depth] + [(depth, match.group(2))]
            heading, level, passages = match.group(2), depth, []
            continue
        if _ARTICLE.match(line):
            flush_article()
        article.append(line)
        if not _ARTICLE.match(article[0]):
            flush_article()  # text outside any article (a preamble): one passage per paragraph
    flush_article()
    close()
    return tuple(sections)


def law_document(doc_id: str, path: Path, text: str, source: Source | None = None) -> Document:
    """A LawRefBook Markdown file → a Document: title, history, version date, articles."""
    head_text, _, body = text.partition(INFO_END)
    head = _head(head_text)
    date = version_date(path, head.history)
    extra = {"law_history": "\n".join(head.history)}
    if date is not None:
        extra["version_date"] = date.isoformat()
    title = head.title
    case = case_name(body)
    if case is not None:  # a case: cited by its name; the headline is its 裁判要点's
        extra["headline"], title = head.title, case
    return Document(doc_id=doc_id, title=title or doc_id, doc_type="other",
                    sections=_sections(body), date=date, kind=kind_of(title),
                    source=source, extra=extra)
