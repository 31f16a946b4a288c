"""What goes into a search and what comes out: plain data, no whoosh."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

SORTS = ("relevance", "date", "date_asc", "issue")  # date: newest first; issue: 期号 in a series
FACET_FILTERS = ("doc_type", "kind", "year", "issuer", "journal", "topic")  # issue 13
SCOPES = ("all", "title", "body")

PARSE_SECONDS = 600.0  # a file whose parsing takes longer is reported as failed


class IndexError_(Exception):
    """Any failure of the index layer; str() is one line a user can act on."""


class QueryError(IndexError_):
    """The user's query (or a filter) cannot be searched: unbalanced quote, bad range …"""


class IndexVersionError(IndexError_):
    """The index on disk was built by another schema, analyzer or dictionary."""


@dataclass(frozen=True)
class SearchRequest:
    q: str
    page: int = 1
    per_page: int = 10
    doc_type: str | None = None  # bulletin | policy | other
    kind: str | None = None  # 意见, 通知 …
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    title: str | None = None  # words that must occur in the title
    issuer: str | None = None
    doc_number: str | None = None
    sort: str = "relevance"  # or "date" (newest first)
    passages_per_doc: int = 3
    expand: bool = True  # apply the abbreviation/synonym table (issue 3)
    # issue 13: facet choices (name, values): one value of each; names in FACET_FILTERS
    any_of: tuple[tuple[str, tuple[str, ...]], ...] = ()
    issuer_sub: bool = False  # an any_of 发文机关 matches its sub-bodies too (国务院 → 国务院办公厅)
    scope: str = "all"  # where the words must occur: all | title | body
    within: tuple[str, ...] = ()  # earlier queries the results must also match (结果中检索)
    pub_from: dt.date | None = None  # 发布日期 range
    pub_to: dt.date | None = None
    issue: str | None = None  # 期号: 第12期, 2021年第12期, 总第38期
    any_words: bool = False  # a document needs any one of the words, not all (issue 13)
    facets: bool = True  # count the facets (issue 14: a terminal's list shows none)


@dataclass(frozen=True)
class MissingIdentifier:
    """A 发文字号 or issue number the query gives that no document is (issue 13)."""

    kind: str  # doc_number | issue
    text: str  # as documents print it: 国办发〔2019〕99号
    message: str  # 没有发文字号为 国办发〔2019〕99号 的文件
    nearest: tuple[str, ...] = ()  # numbers that exist: same 机关代字 or series, nearest first

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "message": self.message,
                "nearest": list(self.nearest)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MissingIdentifier:
        return cls(d["kind"], d["text"], d["message"], tuple(d["nearest"]))


@dataclass(frozen=True)
class Offer:
    """Another search worth offering on an empty or thin page, and what it finds (issue 13)."""

    q: str
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"q": self.q, "total": self.total}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Offer | None:
        return None if d is None else cls(d["q"], d["total"])


@dataclass(frozen=True)
class PassageHit:
    id: str
    html: str  # escaped text with <mark>…</mark> around matches; safe to insert as HTML
    text: str
    page: int | None
    section: str  # innermost heading, "" for the preamble
    score: float
    ocr: bool = False  # read by OCR from a page image: to be checked against the original

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "html": self.html, "text": self.text, "page": self.page,
                "section": self.section, "score": round(self.score, 4), "ocr": self.ocr}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PassageHit:
        return cls(d["id"], d["html"], d["text"], d["page"], d["section"], d["score"], d["ocr"])


@dataclass(frozen=True)
class DocumentHit:
    doc_id: str
    title: str
    title_html: str
    doc_type: str
    kind: str | None
    date: dt.date | None
    issuer: str | None
    doc_number: str | None
    issue: str | None  # 《改革快报》2021年第12期（总第38期） for bulletins
    sample: bool
    score: float
    passages: tuple[PassageHit, ...] = ()
    same_as: str | None = None  # doc_id of a hit above it on the page with the same text
    attachment_label: str | None = None  # 《notice》的附件N for an attachment

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "title_html": self.title_html,
                "doc_type": self.doc_type, "kind": self.kind,
                "date": self.date.isoformat() if self.date else None,
                "issuer": self.issuer, "doc_number": self.doc_number, "issue": self.issue,
                "sample": self.sample, "score": round(self.score, 4),
                "passages": [p.to_dict() for p in self.passages], "same_as": self.same_as,
                "attachment_label": self.attachment_label}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentHit:
        return cls(d["doc_id"], d["title"], d["title_html"], d["doc_type"], d["kind"],
                   dt.date.fromisoformat(d["date"]) if d["date"] else None, d["issuer"],
                   d["doc_number"], d["issue"], d["sample"], d["score"],
                   tuple(PassageHit.from_dict(p) for p in d["passages"]), d["same_as"],
                   d["attachment_label"])


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int  # matching documents
    page: int
    per_page: int
    hits: tuple[DocumentHit, ...] = ()
    expansions: tuple[str, ...] = ()  # "also searched" terms (issue 3)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # doc_type / year counts
    missing: tuple[MissingIdentifier, ...] = ()  # identifiers no document is (issue 13)
    suggestion: Offer | None = None  # did you mean (issue 13)
    any_words: Offer | None = None  # the same words, any of them (issue 13)

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "page": self.page,
                "per_page": self.per_page, "expansions": list(self.expansions),
                "facets": self.facets, "results": [h.to_dict() for h in self.hits],
                "missing": [m.to_dict() for m in self.missing],
                "suggestion": self.suggestion.to_dict() if self.suggestion else None,
                "any_words": self.any_words.to_dict() if self.any_words else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SearchResults:
        """The results to_dict() gave (a running server's answer, issue 14)."""
        return cls(d["query"], d["total"], d["page"], d["per_page"],
                   tuple(DocumentHit.from_dict(h) for h in d["results"]), tuple(d["expansions"]),
                   d["facets"], tuple(MissingIdentifier.from_dict(m) for m in d["missing"]),
                   Offer.from_dict(d["suggestion"]), Offer.from_dict(d["any_words"]))


# -- the archive: series of issues and the measures catalogue (issue 12) ---------------------

@dataclass(frozen=True)
class IssueEntry:
    """One issue of a bulletin series, as its list shows it."""

    doc_id: str
    year: int | None
    number: int | None  # 第12期
    total_number: int | None  # 总第38期
    date: dt.date | None
    title: str  # the lead article's title
    sample: bool = False
    supplement: bool = False  # 增刊

    @property
    def label(self) -> str:
        """增刊 2021年第1期（总第38期）, as printed."""
        parts = "增刊" if self.supplement else ""
        if self.number is not None:
            parts += f"{self.year}年第{self.number}期" if self.year else f"第{self.number}期"
        if self.total_number is not None:
            parts += f"（总第{self.total_number}期）"
        return parts or "期号不详"

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "year": self.year, "number": self.number,
                "total_number": self.total_number,
                "date": self.date.isoformat() if self.date else None, "title": self.title,
                "label": self.label, "sample": self.sample, "supplement": self.supplement}


@dataclass(frozen=True)
class SeriesSummary:
    """A bulletin series: 刊名 + 编印单位, how many issues and the latest."""

    series_id: str
    name: str
    office: str | None
    issues: int
    latest: IssueEntry

    def to_dict(self) -> dict[str, Any]:
        return {"series_id": self.series_id, "name": self.name, "office": self.office,
                "issues": self.issues, "latest": self.latest.to_dict()}


@dataclass(frozen=True)
class SeriesYear:
    """The regular issues of one year, oldest first, and the numbers missing among them."""

    year: int | None
    issues: tuple[IssueEntry, ...]
    missing: tuple[int, ...] = ()  # 期号 absent between 1 and the highest held

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "issues": [i.to_dict() for i in self.issues],
                "missing": list(self.missing)}


@dataclass(frozen=True)
class Series:
    """One series in full: its years (newest first) and its 增刊 apart."""

    summary: SeriesSummary
    years: tuple[SeriesYear, ...]
    supplements: tuple[IssueEntry, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary.to_dict(), "years": [y.to_dict() for y in self.years],
                "supplements": [s.to_dict() for s in self.supplements]}


@dataclass(frozen=True)
class IssueNeighbours:
    """The issues before and after one bulletin in its series."""

    series_id: str
    name: str
    previous: IssueEntry | None
    next: IssueEntry | None

    def to_dict(self) -> dict[str, Any]:
        return {"series_id": self.series_id, "name": self.name,
                "previous": self.previous.to_dict() if self.previous else None,
                "next": self.next.to_dict() if self.next else None}


@dataclass(frozen=True)
class Mention:
    """A passage of a document that cites a title in 《…》."""

    doc_id: str
    title: str  # of the citing document
    issue: str | None  # 《改革快报》2021年第12期 when a bulletin cites
    passage_id: str | None
    snippet: str  # the sentence around the citation
    sample: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "issue": self.issue,
                "passage_id": self.passage_id, "snippet": self.snippet, "sample": self.sample}


@dataclass(frozen=True)
class PolicyEntry:
    """A policy document of the collection in the catalogue, with who cites it."""

    doc_id: str
    title: str
    doc_number: str | None
    issuer: str | None
    date: dt.date | None
    kind: str | None
    sample: bool
    mentions: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "doc_number": self.doc_number,
                "issuer": self.issuer, "date": self.date.isoformat() if self.date else None,
                "kind": self.kind, "sample": self.sample,
                "mentions": [m.to_dict() for m in self.mentions]}


@dataclass(frozen=True)
class IssuerGroup:
    """The policy documents of one issuer, under its level (省级, 州（市）级 …)."""

    level: str
    issuer: str
    entries: tuple[PolicyEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "issuer": self.issuer,
                "entries": [e.to_dict() for e in self.entries]}


@dataclass(frozen=True)
class DeclaredMeasure:
    """One row of an office's own list of measures (序号, 文件名称, 发文字号, 出台单位, 出台时间)."""

    number: str
    title: str
    doc_number: str | None = None
    issuer: str | None = None
    date: str | None = None  # as the office wrote it
    sample: bool = False  # a row written for the demo

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "doc_number": self.doc_number,
                "issuer": self.issuer, "date": self.date, "sample": self.sample}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DeclaredMeasure:
        return cls(str(d["number"]), d["title"], d.get("doc_number"), d.get("issuer"),
                   d.get("date"), bool(d.get("sample")))


@dataclass(frozen=True)
class DeclaredMatch:
    """A declared measure and its document in the index (None: 未收录), and who cites it."""

    measure: DeclaredMeasure
    doc_id: str | None
    matched_by: str | None  # 发文字号 | 标题
    mentions: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**self.measure.to_dict(), "doc_id": self.doc_id, "matched_by": self.matched_by,
                "status": "已收录" if self.doc_id else "未收录",
                "mentions": [m.to_dict() for m in self.mentions]}


@dataclass(frozen=True)
class CitedTitle:
    """A title cited in 《…》 that no document of the index carries: 未收录."""

    title: str
    doc_number: str | None
    mentions: tuple[Mention, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "doc_number": self.doc_number, "status": "未收录",
                "mentions": [m.to_dict() for m in self.mentions]}


@dataclass(frozen=True)
class StatedCount:
    """A count of measures a bulletin states, with its breakdown: 24 = 6 + 2 + 16."""

    doc_id: str
    title: str
    issue: str | None
    total: int
    parts: tuple[tuple[str, int], ...]
    sample: bool = False

    @property
    def adds_up(self) -> bool:
        return bool(self.parts) and sum(n for _, n in self.parts) == self.total

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "issue": self.issue,
                "total": self.total, "parts": [{"issuer": w, "count": n} for w, n in self.parts],
                "adds_up": self.adds_up, "sample": self.sample}


@dataclass(frozen=True)
class MeasuresCatalogue:
    """The policy documents by level and issuer, the office's list matched, cited titles
    the index lacks, and the counts bulletins state."""

    groups: tuple[IssuerGroup, ...]
    declared: tuple[DeclaredMatch, ...] = ()
    unindexed: tuple[CitedTitle, ...] = ()
    stated: tuple[StatedCount, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"groups": [g.to_dict() for g in self.groups],
                "declared": [d.to_dict() for d in self.declared],
                "unindexed": [c.to_dict() for c in self.unindexed],
                "stated": [s.to_dict() for s in self.stated]}
# -- issue 12: citations as links, 被引用, related documents -------------------------------

@dataclass(frozen=True)
class DocRef:
    """Another document of the index, as a page links it."""

    doc_id: str
    title: str
    doc_type: str
    date: dt.date | None = None
    issue: str | None = None  # 《改革快报》2021年第12期（总第38期） for bulletins
    sample: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "doc_type": self.doc_type,
                "date": self.date.isoformat() if self.date else None, "issue": self.issue,
                "sample": self.sample}


@dataclass(frozen=True)
class Citation:
    """A 《title》 a document cites, and the indexed document it names (None: 未收录)."""

    title: str
    doc_number: str | None
    target: DocRef | None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "doc_number": self.doc_number,
                "doc_id": self.target.doc_id if self.target else None,
                "target": self.target.to_dict() if self.target else None}


@dataclass(frozen=True)
class CitedBy:
    """A document citing another, with the passage that cites it."""

    source: DocRef
    passage_id: str | None  # None when only the title or metadata cites it
    text: str  # the citing passage (or the citing document's title)
    cited_as: str  # the title as the citing document writes it

    def to_dict(self) -> dict[str, Any]:
        return {**self.source.to_dict(), "passage_id": self.passage_id, "text": self.text,
                "cited_as": self.cited_as}


@dataclass(frozen=True)
class Related:
    """A document on the same matter, and why: 同一刊物上一期, 引用本文件, 主题相近：…"""

    doc: DocRef
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {**self.doc.to_dict(), "reason": self.reason, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class DocumentLinks:
    """Everything a document page links to: its citations, who cites it, related documents."""

    citations: tuple[Citation, ...] = ()
    cited_by: tuple[CitedBy, ...] = ()
    cited_by_total: int = 0  # cited_by holds the newest MAX_CITED_BY of them
    related: tuple[Related, ...] = ()

    def target(self, title: str) -> Citation | None:
        """The citation of a 《title》 as the text writes it, or None."""
        return next((c for c in self.citations if c.title == title), None)

    def to_dict(self) -> dict[str, Any]:
        return {"citations": [c.to_dict() for c in self.citations],
                "cited_by": [c.to_dict() for c in self.cited_by],
                "cited_by_total": self.cited_by_total,
                "related": [r.to_dict() for r in self.related]}


# -- issue 14: the search caches' byte budget, a setting of the server and of open_index ---

DEFAULT_CACHE_MB = 96
MIN_CACHE_MB, MAX_CACHE_MB = 1, 1 << 20
CACHE_ENV = "GONGWEN_CACHE_MB"


def parse_cache_mb(value: object, name: str = CACHE_ENV) -> int:
    """A cache size in megabytes from a setting; IndexError_ with a one-line reason if invalid."""
    text = str(value).strip()
    try:
        mb = int(text)
    except ValueError:
        mb = None
    if isinstance(value, bool) or mb is None or not MIN_CACHE_MB <= mb <= MAX_CACHE_MB:
        raise IndexError_(f"缓存上限 {name} 应为 {MIN_CACHE_MB} 到 {MAX_CACHE_MB} 之间的整数"
                          f"（单位 MB），而不是 {text[:40]!r}")
    return mb


@dataclass(frozen=True)
class Warmth:
    """What IndexReader.warm built before the first request (issue 14)."""

    arrays: int  # numpy arrays over every record: live records, lengths, norms, columns …
    bytes: int  # their size: what a pre-fork server's workers share instead of each building
    seconds: float
