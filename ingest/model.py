"""The Document contract: the only thing that crosses from ingest/ to index/."""
from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

DOC_TYPES = ("bulletin", "policy", "other")



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


@dataclass(frozen=True)
class Passage:
    """One paragraph of body text, the unit that is searched, highlighted and cited."""

    id: str  # stable within its document: "p1", "p2", … in reading order
    text: str
    page: int | None = None  # 1-based page of the passage's first character (PDF only)
    section_path: tuple[str, ...] = ()  # headings from the outermost down
    ocr: bool = False  # read by OCR from a page image: check against the original before citing
    rows: tuple[tuple[str, ...], ...] = ()  # a table's rows of cells; then text is table_text(rows)

    @property
    def is_table(self) -> bool:
        return bool(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "page": self.page,
                "section_path": list(self.section_path), "ocr": self.ocr,
                "rows": [list(row) for row in self.rows]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Passage:
        return cls(id=d["id"], text=d["text"], page=d.get("page"),
                   section_path=tuple(d.get("section_path") or ()), ocr=bool(d.get("ocr")),
                   rows=tuple(tuple(row) for row in d.get("rows") or ()))


# Between a table's cells in its searchable text (rows are lines). Full-width, so that normalizing
# keeps it and no space is needed around it; the tokenizers drop it as punctuation.
CELL_SEPARATOR = "｜"


def table_text(rows: Sequence[Sequence[str]]) -> str:
    """A table as text: one row a line, cells parted by ｜ (empty cells kept, so cells line up)."""
    return "\n".join(CELL_SEPARATOR.join(row) for row in rows)


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
class AttachmentLink:
    """附件N of a notice: its number ("" when the notice has one only), title and doc_id.

    On an attachment (Document.attachment_of) the title and doc_id are its notice's; in a
    notice's list (Document.attachments) they are the attachment's, doc_id None when its file
    is not in the collection (未收录), the notice's own when it is printed after the notice."""

    number: str
    title: str
    doc_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "doc_id": self.doc_id}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AttachmentLink:
        return cls(number=d.get("number") or "", title=d["title"], doc_id=d.get("doc_id"))


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
    ocr_pages: tuple[int, ...] = ()  # PDF pages without a text layer, read by OCR
    attachment_of: AttachmentLink | None = None  # the notice this document is 附件N of
    attachments: tuple[AttachmentLink, ...] = ()  # a notice's 附件 list, in its order

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
    def attachment_label(self) -> str | None:
        """《notice title》的附件N, how an attachment is shown; None for other documents."""
        if self.attachment_of is None:
            return None
        return f"{_book_title(self.attachment_of.title)}的附件{self.attachment_of.number}"

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.passages())

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
            "sample": self.sample,
            "source": ({"path": self.source.path, "format": self.source.format,
                        "sha256": self.source.sha256} if self.source else None),
            "sources": [{"path": s.path, "format": s.format, "sha256": s.sha256}
                        for s in self.originals],
            "extra": dict(self.extra),
            "ocr_pages": list(self.ocr_pages),
            "attachment_of": self.attachment_of.to_dict() if self.attachment_of else None,
            "attachment_label": self.attachment_label,
            "attachments": [a.to_dict() for a in self.attachments],
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
            ocr_pages=tuple(d.get("ocr_pages") or ()),
            attachment_of=(AttachmentLink.from_dict(d["attachment_of"])
                           if d.get("attachment_of") else None),
            attachments=tuple(AttachmentLink.from_dict(a) for a in d.get("attachments") or ()),
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
