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
    any_words: bool = False  # a document needs any one of the words, not all (issue 13)


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


@dataclass(frozen=True)
class Offer:
    """Another search worth offering on an empty or thin page, and what it finds (issue 13)."""

    q: str
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"q": self.q, "total": self.total}


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
