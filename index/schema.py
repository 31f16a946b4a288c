"""The index schema, its version, and how a Document becomes index records.

One record per Document: title, the whole body (headings, passages and a line of
metadata, one per line), the filter and ranking fields, and the Document as stored JSON —
the only stored field, read for the page of hits being shown. Passages are not indexed on
their own: the best passages of the documents shown are chosen at query time
(:mod:`index.search`), which halves the postings a build writes.

Text fields store positions packed (:mod:`index.positions`).
"""
from __future__ import annotations

import json
from typing import Any

from whoosh.analysis import CompositeAnalyzer
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from index.analysis import bigram_analyzer, jieba_analyzer, normalize_doc_number
from index.authority import ranking_fields
from index.positions import PackedPositions
from ingest.model import Document

# Bump when fields or what goes into them change; open_index refuses other versions.
SCHEMA_VERSION = 4  # 2: generation layout, absolute source paths (sync); 3: issue, cites, work;
# 4: no passage records, packed positions

# jieba field → its bigram twin; every word and phrase query searches both.
DOC_FIELDS = (("title", "title_bg"), ("body", "body_bg"))


def _text(analyzer: CompositeAnalyzer) -> TEXT:
    field = TEXT(analyzer=analyzer, phrase=True)
    field.format = PackedPositions()
    return field


def build_schema() -> Schema:
    """The whoosh schema (pure: no index is touched)."""
    words, title_words, bigrams = jieba_analyzer(), jieba_analyzer(frozenset()), bigram_analyzer()
    return Schema(
        doc_id=ID(sortable=True),
        role=KEYWORD,
        title=_text(title_words),
        title_bg=_text(bigrams),
        body=_text(words),
        body_bg=_text(bigrams),
        doc_type=ID(sortable=True),
        kind=ID,
        issuer=_text(bigrams),
        doc_number=ID,
        # One term per value (shift_step=0): filters read the columns (index.search), so
        # whoosh's extra range terms (eight per value) would only slow indexing down.
        year=NUMERIC(int, bits=32, sortable=True, shift_step=0),
        date=NUMERIC(int, bits=32, sortable=True, shift_step=0),  # yyyymmdd, 0 when undated
        sample=BOOLEAN,
        source_path=ID(sortable=True),
        source_sha256=ID(sortable=True),
        issue=KEYWORD,  # ranking (issue 3): 2021年第12期 第12期 总第38期
        cites=KEYWORD,  # ranking (issue 3): titles cited in 《》 (index.authority)
        work=ID(sortable=True),  # ranking (issue 3): the title of the work (index.authority)
        doc=STORED,
    )


def doc_year(doc: Document) -> int | None:
    """The year a document is filed under: its date's, else its bulletin issue's."""
    if doc.date is not None:
        return doc.date.year
    if doc.bulletin is not None and doc.bulletin.year is not None:
        return doc.bulletin.year
    return None


def _body(doc: Document) -> str:
    """Metadata line, then each heading followed by its passages, one per line."""
    meta = [doc.issuer or "", doc.doc_number or ""]
    if doc.bulletin is not None:
        meta += [doc.bulletin.name, doc.bulletin.issue_label, doc.bulletin.office or ""]
    lines = [" ".join(m for m in meta if m)]
    for section in doc.sections:
        if section.heading:
            lines.append(section.heading)
        lines.extend(p.text for p in section.passages)
    return "\n".join(lines)


def document_record(doc: Document) -> dict[str, Any]:
    """The record (field name → value) that indexes one Document."""
    body = _body(doc)
    year = doc_year(doc)
    record: dict[str, Any] = {
        "doc_id": doc.doc_id, "role": "doc",
        "title": doc.title, "title_bg": doc.title, "body": body, "body_bg": body,
        "doc_type": doc.doc_type, "year": year or 0,
        "date": int(doc.date.strftime("%Y%m%d")) if doc.date else 0,
        "sample": doc.sample,
        "doc": json.dumps(doc.to_dict(), ensure_ascii=False),
    }
    record.update(ranking_fields(doc))  # issue 3: index.authority
    if doc.kind:
        record["kind"] = doc.kind
    if doc.issuer:
        record["issuer"] = doc.issuer
    if doc.doc_number:
        record["doc_number"] = normalize_doc_number(doc.doc_number)
    if doc.source is not None:
        record["source_path"] = doc.source.path
        if doc.source.sha256:
            record["source_sha256"] = doc.source.sha256
    return record
