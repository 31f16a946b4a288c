"""What goes into a search and what comes out: plain data, no whoosh."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

SORTS = ("relevance", "date")


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

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "title_html": self.title_html,
                "doc_type": self.doc_type, "kind": self.kind,
                "date": self.date.isoformat() if self.date else None,
                "issuer": self.issuer, "doc_number": self.doc_number, "issue": self.issue,
                "sample": self.sample, "score": round(self.score, 4),
                "passages": [p.to_dict() for p in self.passages], "same_as": self.same_as}


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int  # matching documents
    page: int
    per_page: int
    hits: tuple[DocumentHit, ...] = ()
    expansions: tuple[str, ...] = ()  # "also searched" terms (issue 3)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # doc_type / year counts

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "page": self.page,
                "per_page": self.per_page, "expansions": list(self.expansions),
                "facets": self.facets, "results": [h.to_dict() for h in self.hits]}


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
