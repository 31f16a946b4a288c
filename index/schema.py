"""The index schema, its version, and how a Document becomes index records.

Two kinds of record, told apart by ``role``:

* one document record per Document (role ``doc``): title, the whole body (headings,
  passages and a line of metadata, one per line), the filter fields, and the Document
  as stored JSON — the only stored field, read for the page of hits being shown;
* one passage record per passage (role ``psg``): doc_id, passage id and text.

A Document with a single passage is one record with both roles, so a corpus of short
articles is indexed once, not twice. Body and passage text sit in separate fields, so
passage statistics never mix with whole-document statistics.
"""
from __future__ import annotations

import json
from typing import Any

from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from index.analysis import bigram_analyzer, jieba_analyzer, normalize_doc_number
from index.authority import ranking_fields
from ingest.model import Document

# Bump when fields or what goes into them change; open_index refuses other versions.
SCHEMA_VERSION = 3  # 2: generation layout, absolute source paths (sync); 3: issue, cites, work

# jieba field → its bigram twin; every word and phrase query searches both.
DOC_FIELDS = (("title", "title_bg"), ("body", "body_bg"))
PASSAGE_FIELDS = (("text", "text_bg"),)


def build_schema() -> Schema:
    """The whoosh schema (pure: no index is touched)."""
    words, title_words, bigrams = jieba_analyzer(), jieba_analyzer(frozenset()), bigram_analyzer()
    return Schema(
        doc_id=ID(sortable=True),
        role=KEYWORD,
        pid=ID(sortable=True),
        title=TEXT(analyzer=title_words, phrase=True),
        title_bg=TEXT(analyzer=bigrams, phrase=True),
        body=TEXT(analyzer=words, phrase=True),
        body_bg=TEXT(analyzer=bigrams, phrase=True),
        text=TEXT(analyzer=words, phrase=True),
        text_bg=TEXT(analyzer=bigrams, phrase=True),
        doc_type=ID(sortable=True),
        kind=ID,
        issuer=TEXT(analyzer=bigrams, phrase=True),
        doc_number=ID,
        year=NUMERIC(int, bits=32, sortable=True),
        date=NUMERIC(int, bits=32, sortable=True),  # yyyymmdd, 0 when undated
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


def document_records(doc: Document) -> list[dict[str, Any]]:
    """The records (field name → value) that index one Document."""
    passages = list(doc.passages())
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
    if len(passages) == 1:
        return [{**record, "role": "doc psg", "pid": passages[0].id}]
    return [record] + [
        {"doc_id": doc.doc_id, "role": "psg", "pid": p.id, "text": p.text, "text_bg": p.text}
        for p in passages
    ]
