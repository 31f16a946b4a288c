"""The index schema, its version, and how a Document becomes index records.

One record per Document: title, the whole body (headings, passages and a line of
metadata, one per line), the filter and ranking fields, and the Document as stored JSON —
the only stored field, read for the page of hits being shown. Passages are not indexed on
their own: the best passages of the documents shown are chosen at query time
(:mod:`index.search.run`), which halves the postings a build writes.

Text fields store positions packed (:mod:`index.positions`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.analysis import CompositeAnalyzer
from whoosh.fields import BOOLEAN, COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.query import Term
from whoosh.searching import Searcher

from index.analysis import segmenter
from index.analysis import (ANALYZER_VERSION, analysis_fingerprint, bigram_analyzer, jieba_analyzer,
                            normalize_doc_number)
from index.analysis.facets import facet_fields, facet_values
from index.analysis.terms import citation_fields, ranking_fields
from index.cards import document_card
from index.columns import SharedBytesColumn
from index.positions import PackedPositions
from index.records import pack_document
from index.types import IndexVersionError
from ingest.model import Document

# Bump when fields or what goes into them change; open_index refuses other versions.
SCHEMA_VERSION = 10  # 2: generation layout, absolute source paths (sync); 3: issue, cites, work;
# 4: no passage records, packed positions; 5: card (the archive's series and catalogue);
# 6: originals (the kept files each document names); 7: titles, cites_no (citations as links);
# 8: facet and sort fields (index.analysis.facets)
# 9: stored records packed (index.records), varint positions, int weights, compact cards,
# shared columns (index.columns)
# 10: text postings in blocks of 512 holding id and weight arrays, positions as one blob

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
        doc_type=ID(sortable=SharedBytesColumn()),
        kind=ID,
        issuer=_text(bigrams),
        doc_number=ID,
        # One term per value (shift_step=0): filters read the columns (index.search.run), so
        # whoosh's extra range terms (eight per value) would only slow indexing down.
        year=NUMERIC(int, bits=32, sortable=True, shift_step=0),
        date=NUMERIC(int, bits=32, sortable=True, shift_step=0),  # yyyymmdd, 0 when undated
        sample=BOOLEAN,
        source_path=ID(sortable=SharedBytesColumn()),  # shared: records of one file (index.columns)
        source_sha256=ID(sortable=SharedBytesColumn()),
        issue=KEYWORD,  # ranking (issue 3): 2021年第12期 第12期 总第38期
        cites=KEYWORD,  # ranking (issue 3): titles cited in 《》 (index.analysis.terms)
        work=ID(sortable=SharedBytesColumn()),  # ranking (issue 3): the work's title
        originals=KEYWORD,  # the sha256 of every original file: which kept files are still named
        titles=KEYWORD,  # issue 12: title keys a citation resolves to (index.analysis.terms)
        cites_no=KEYWORD,  # issue 12: 发文字号 the document cites
        doc=STORED,
        card=COLUMN(),  # issue 12: series, issues and the catalogue read this (index.cards)
        **facet_fields(),  # issue 13: facets, exact issuer, 刊名, 期号 order, 发布日期
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
        "doc": pack_document(doc),  # index.records: compact, deflated
        "card": document_card(doc),
    }
    record.update(ranking_fields(doc))  # issue 3: index.analysis.terms
    record.update(citation_fields(doc))  # issue 12: citations as links
    record.update(facet_values(doc))  # issue 13: index.analysis.facets
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
    kept = " ".join(s.sha256 for s in doc.originals if s.sha256)
    if kept:
        record["originals"] = kept
    return record


def doc_numbers(searcher: Searcher, doc_id: str | None = None) -> list[int]:
    """Record numbers of the documents (all, or the one with doc_id) a searcher sees."""
    if doc_id is None:
        return list(searcher.docs_for_query(Term("role", "doc")))
    # The doc_id term alone: intersecting it with role=doc would walk every document.
    return [n for n in searcher.docs_for_query(Term("doc_id", doc_id))
            if "doc" in searcher.stored_fields(n)]


def rebuild_hint(path: Path) -> str:
    """The command that rebuilds the index at path."""
    return f"请重建：gongwen ingest --rebuild --index {path} PATH..."


def current_version() -> dict[str, Any]:
    """What this program writes into an index it builds: schema and analysis identity."""
    from index.analysis import _STATE  # the dictionaries this process loaded

    return {"schema_version": SCHEMA_VERSION, "analysis": analysis_fingerprint(),
            "analyzer_version": ANALYZER_VERSION, "segmenter": f"rjieba {segmenter.version()}",
            "dictionaries": sorted(p.name for p, _ in _STATE.loaded)}


def _describe(v: dict[str, Any]) -> str:
    dicts = ", ".join(v.get("dictionaries") or []) or "?"
    return (f"索引结构 {v.get('schema_version', '未知')}、分析指纹 {v.get('analysis', '未知')}"
            f"（分词器 {v.get('analyzer_version', '?')}，{v.get('segmenter') or 'jieba ' + v.get('jieba', '?')}，"
            f"词典 {dicts}）")


def check_version(root: Path, pointer: dict[str, Any]) -> None:
    """IndexVersionError, naming the fix, unless the index was built the way we would build it."""
    wanted = current_version()
    if pointer.get("schema_version") != wanted["schema_version"] or \
            pointer.get("analysis") != wanted["analysis"]:
        raise IndexVersionError(
            f"索引 {root} 建立时用的是{_describe(pointer)}；本程序用的是"
            f"{_describe(wanted)}；{rebuild_hint(root)}")
