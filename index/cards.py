"""A document's card: the metadata the archive pages list (series, issues, catalogue), kept
in a column so that listing them never reads the stored documents.

Written by :mod:`index.schema` (one per record), read by :mod:`index.search.archive`.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from ingest.model import Document

_SNIPPET = 90  # characters of the sentence around a citation
ENCODING = "gb18030"  # encodes every Unicode scalar value, as index.records' records
_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one, not one a call
_SENTENCE_END = re.compile(r"[。！？；]")


@dataclass(frozen=True)
class CardRef:
    """A 《title》 the document cites, the passage that cites it and the sentence around it."""

    title: str
    doc_number: str | None
    passage_id: str | None
    snippet: str


@dataclass(frozen=True)
class Card:
    """What the archive pages need of one document."""

    doc_id: str
    title: str
    doc_type: str
    kind: str | None
    date: dt.date | None
    issuer: str | None
    doc_number: str | None
    sample: bool
    bulletin: dict[str, Any] | None  # BulletinInfo.to_dict()
    supplement: bool
    extra: dict[str, str]  # the stated counts only
    refs: tuple[CardRef, ...]


def _sentence(text: str, at: int, length: int) -> str:
    """The sentence of text around [at, at + length), clipped to about _SNIPPET characters."""
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, at)]
    start = starts[-1] if starts else 0
    end_match = _SENTENCE_END.search(text, at + length)
    end = end_match.end() if end_match else len(text)
    start = max(start, at - _SNIPPET // 2)
    end = min(end, max(at + length + _SNIPPET // 2, start + _SNIPPET))
    return ("…" if start > 0 and text[start - 1] not in "。！？；" else "") + \
        text[start:end] + ("…" if end < len(text) and text[end - 1] not in "。！？；" else "")


def _refs(doc: Document) -> list[list[Any]]:
    out = []
    for ref in doc.references:
        cited = f"《{ref.title}》"
        where = next(((p, p.text.find(cited)) for p in doc.passages() if cited in p.text), None)
        if where is None:  # cited across a line break the text kept: the title alone
            where = next(((p, p.text.find(ref.title)) for p in doc.passages()
                          if ref.title in p.text), None)
        passage, at = where if where else (None, -1)
        snippet = _sentence(passage.text, at, len(cited)) if passage is not None else cited
        out.append([ref.title, ref.doc_number, passage.id if passage else None, snippet])
    return out


def document_card(doc: Document) -> bytes:
    """The card of doc, as the column stores it (compact JSON)."""
    counts = {k: v for k, v in doc.extra.items() if k.startswith("policy_measures")}
    card = {"t": doc.title, "y": doc.doc_type, "k": doc.kind,
            "d": doc.date.isoformat() if doc.date else None, "i": doc.issuer,
            "n": doc.doc_number, "s": doc.sample,
            "b": doc.bulletin.to_dict() if doc.bulletin else None,
            "sup": doc.extra.get("supplement") == "增刊", "x": counts, "r": _refs(doc)}
    # Only what a document has: read_card defaults the rest (a column is not compressed).
    card = {k: v for k, v in card.items() if k in ("t", "y") or v}
    try:  # GB18030: two bytes a common Han character where UTF-8 takes three
        return _COMPACT_JSON.encode(card).encode(ENCODING)
    except UnicodeEncodeError:  # a lone surrogate: JSON's escapes keep it, in ASCII
        return json.dumps(card, separators=(",", ":")).encode(ENCODING)


def read_card(doc_id: str, raw: bytes) -> Card | None:
    """The card stored for doc_id, or None for a record without one."""
    if not raw:
        return None
    c = json.loads(raw.decode(ENCODING))
    return Card(doc_id=doc_id, title=c["t"], doc_type=c["y"], kind=c.get("k"),
                date=dt.date.fromisoformat(c["d"]) if c.get("d") else None,
                issuer=c.get("i"), doc_number=c.get("n"), sample=bool(c.get("s")),
                bulletin=c.get("b"), supplement=bool(c.get("sup")), extra=c.get("x") or {},
                refs=tuple(CardRef(*r) for r in c.get("r") or ()))
