"""The Document contract: the only thing that crosses from ingest/ to index/."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterator

DOC_TYPES = ("bulletin", "policy", "other")


@dataclass(frozen=True)
class Passage:
    """One paragraph of body text, the unit that is searched, highlighted and cited."""

    id: str  # stable within its document: "p1", "p2", … in reading order
    text: str
    page: int | None = None  # 1-based page of the passage's first character (PDF only)
    section_path: tuple[str, ...] = ()  # headings from the outermost down

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "page": self.page,
                "section_path": list(self.section_path)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Passage:
        return cls(id=d["id"], text=d["text"], page=d.get("page"),
                   section_path=tuple(d.get("section_path") or ()))


@dataclass(frozen=True)
class Item:
    """An enumerated point inside a section: 一是强化党的领导。 → label 一是, title 强化党的领导."""

    label: str
    title: str
    passage_id: str

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "title": self.title, "passage_id": self.passage_id}


@dataclass(frozen=True)
class Section:
    """A heading and the passages under it; level 0 is the text before the first heading."""

    heading: str
    level: int  # 0 preamble, 1 一、, 2 （一）, 3 1., 4 （1）
    passages: tuple[Passage, ...] = ()
    items: tuple[Item, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "level": self.level,
                "passages": [p.to_dict() for p in self.passages],
                "items": [i.to_dict() for i in self.items]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Section:
        return cls(heading=d["heading"], level=d["level"],
                   passages=tuple(Passage.from_dict(p) for p in d.get("passages", ())),
                   items=tuple(Item(**i) for i in d.get("items", ())))


@dataclass(frozen=True)
class Reference:
    """Another document cited by title in 《…》, with its 发文字号 when the text gives one."""

    title: str
    doc_number: str | None = None


@dataclass(frozen=True)
class BulletinInfo:
    """The masthead of a work bulletin (简报/快报)."""

    name: str  # 改革快报
    year: int | None = None
    number: int | None = None  # 第12期
    total_number: int | None = None  # 总第38期
    office: str | None = None  # 编印单位

    @property
    def issue_label(self) -> str:
        """2021年第12期（总第38期）, as printed on the masthead."""
        parts = ""
        if self.year is not None and self.number is not None:
            parts = f"{self.year}年第{self.number}期"
        elif self.number is not None:
            parts = f"第{self.number}期"
        if self.total_number is not None:
            parts += f"（总第{self.total_number}期）"
        return parts

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "year": self.year, "number": self.number,
                "total_number": self.total_number, "office": self.office}


@dataclass(frozen=True)
class Source:
    """Where a document came from, so that re-indexing can tell new from changed."""

    path: str
    format: str  # "pdf", "text", "docx", "html", "jsonl"
    sha256: str | None = None


@dataclass(frozen=True)
class Document:
    """A parsed bulletin, policy document or other text, ready to be indexed."""

    doc_id: str
    title: str
    doc_type: str  # one of DOC_TYPES
    sections: tuple[Section, ...] = ()
    date: dt.date | None = None  # bulletin: date of issue; policy: 成文日期
    kind: str | None = None  # 文种 from the title: 意见, 通知, 办法 …; 简报/快报 for bulletins
    issuer: str | None = None  # 发文机关, or the bulletin's 编印单位
    doc_number: str | None = None  # 发文字号, normalized to 〔〕
    recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 主送/报/送/发/抄送
    bulletin: BulletinInfo | None = None
    references: tuple[Reference, ...] = ()
    source: Source | None = None  # the file the text comes from
    sources: tuple[Source, ...] = ()  # every original of a document sent in several files
    sample: bool = False  # written for the demo: shown as such, never to be cited
    extra: dict[str, str] = field(default_factory=dict)  # further metadata (topic, publish_date …)

    def __post_init__(self) -> None:
        if self.doc_type not in DOC_TYPES:
            raise ValueError(f"doc_type must be one of {DOC_TYPES}, not {self.doc_type!r}")

    def passages(self) -> Iterator[Passage]:
        """Every passage in reading order."""
        for section in self.sections:
            yield from section.passages

    @property
    def originals(self) -> tuple[Source, ...]:
        """Every file the document was read from, the one its text comes from first."""
        return self.sources or ((self.source,) if self.source is not None else ())

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.passages())

    def citation(self, passage: Passage | None = None) -> str:
        """A citation a member of staff can paste: source, issue, date and page."""
        parts = []
        if self.bulletin is not None:
            parts.append(f"《{self.bulletin.name}》{self.bulletin.issue_label}")
            parts.append(_book_title(self.title))
            if self.bulletin.office:
                parts.append(self.bulletin.office)
        else:
            parts.append(_book_title(self.title))
            for value in (self.doc_number, self.issuer):
                if value:
                    parts.append(value)
        if self.date is not None:
            parts.append(f"{self.date.year}年{self.date.month}月{self.date.day}日")
        if passage is not None and passage.page is not None:
            parts.append(f"第{passage.page}页")
        return "，".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of GET /api/documents/<doc_id> and `gongwen show --json`."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "doc_type": self.doc_type,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "bulletin": self.bulletin.to_dict() if self.bulletin else None,
            "recipients": {k: list(v) for k, v in self.recipients.items()},
            "references": [r.title for r in self.references],
            "citations": [{"title": r.title, "doc_number": r.doc_number} for r in self.references],
            "sections": [s.to_dict() for s in self.sections],
            "citation": self.citation(),
            "sample": self.sample,
            "source": ({"path": self.source.path, "format": self.source.format,
                        "sha256": self.source.sha256} if self.source else None),
            "sources": [{"path": s.path, "format": s.format, "sha256": s.sha256}
                        for s in self.originals],
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        """Inverse of to_dict (the index stores documents this way)."""
        bulletin = d.get("bulletin")
        source = d.get("source")
        originals = tuple(Source(**s) for s in d.get("sources") or ())
        return cls(
            doc_id=d["doc_id"],
            title=d["title"],
            doc_type=d["doc_type"],
            kind=d.get("kind"),
            date=dt.date.fromisoformat(d["date"]) if d.get("date") else None,
            issuer=d.get("issuer"),
            doc_number=d.get("doc_number"),
            bulletin=BulletinInfo(**bulletin) if bulletin else None,
            recipients={k: tuple(v) for k, v in (d.get("recipients") or {}).items()},
            references=tuple(Reference(c["title"], c.get("doc_number"))
                             for c in d.get("citations") or ()),
            sections=tuple(Section.from_dict(s) for s in d.get("sections") or ()),
            source=Source(**source) if source else None,
            sources=originals if len(originals) > 1 else (),  # one: it is `source`
            sample=bool(d.get("sample")),
            extra=dict(d.get("extra") or {}),
        )


def _book_title(title: str) -> str:
    """《title》, with title marks inside it turned into 〈〉 as Chinese usage requires."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


class ParseError(Exception):
    """A file that cannot be turned into a Document; str() is one line naming the file."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
