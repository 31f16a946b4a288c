"""Ranking documents, choosing their best passages, highlights and facets.

A search runs in two steps. The document-level query (every clause must match the title or
the body of a document record; filters on the same record) is collected once, with facet
counts over all matches and the top page*per_page documents. Then, for the page shown only,
one query finds the passages of those documents that match any word or phrase; each
document keeps its best ``passages_per_doc``. Stored JSON is read for the shown documents
only, and only their passages are highlighted.
"""
from __future__ import annotations

import json
import threading
import weakref
from collections import Counter, defaultdict

from whoosh import collectors, sorting
from whoosh.fields import Schema
from whoosh.searching import Searcher

from index.highlight import Highlighter
from index.query import (ParsedQuery, doc_query, has_text, is_empty, parse_query, passage_query,
                         validate_request)
from index.types import DocumentHit, PassageHit, QueryError, SearchRequest, SearchResults
from ingest.model import Document, Passage

FACETS = {"doc_type": "doc_type", "year": "year"}


def run_search(searcher: Searcher, req: SearchRequest) -> SearchResults:
    """Search with one searcher; QueryError for a request that cannot be searched."""
    validate_request(req)
    schema = searcher.schema
    parsed = parse_query(req.q, schema)
    if is_empty(parsed, req):
        raise QueryError("empty query: type some words or choose a filter")
    limit = req.page * req.per_page
    if req.sort == "date" or not has_text(parsed):
        # Newest first; undated documents (date 0) last; ties by relevance.
        order = sorting.MultiFacet([sorting.FieldFacet("date", reverse=True),
                                    sorting.ScoreFacet()])
        inner = collectors.SortingCollector(order, limit=limit)
    else:
        inner = collectors.TopCollector(limit=limit, usequality=False)  # exact count, all facets
    collector = _RecordingCollector(inner)
    searcher.search_with_collector(doc_query(schema, parsed, req), collector)
    results = collector.results()
    start = (req.page - 1) * req.per_page
    shown = [(results.docnum(i), _score(results.score(i)))
             for i in range(start, min(results.scored_length(), start + req.per_page))]
    docs = [Document.from_dict(json.loads(searcher.stored_fields(n)["doc"])) for n, _ in shown]
    best = best_passages(searcher, parsed, [d.doc_id for d in docs], req.passages_per_doc)
    marker = Highlighter(schema, parsed)
    hits = tuple(_document_hit(d, score, best.get(d.doc_id, []), req, marker)
                 for d, (_, score) in zip(docs, shown))
    return SearchResults(query=req.q, total=len(collector.docnums), page=req.page,
                         per_page=req.per_page, hits=hits,
                         facets=_facets(searcher, collector.docnums))


def _score(key: object) -> float:
    """The relevance score; a date-sorted result's key is (date key, -score)."""
    if isinstance(key, tuple):
        key = -key[-1]
    return float(key or 0.0)


class _RecordingCollector(collectors.WrappingCollector):
    """Keeps every matching document number (for the total and the facets)."""

    def __init__(self, child: collectors.Collector) -> None:
        super().__init__(child)
        self.docnums: list[int] = []

    def collect(self, sub_docnum: int) -> object:
        self.docnums.append(self.offset + sub_docnum)
        return self.child.collect(sub_docnum)


_FACET_VALUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_FACET_LOCK = threading.Lock()


def _facet_values(searcher: Searcher) -> dict[str, list]:
    """Every document's facet values, read once per searcher (a searcher sees one commit)."""
    with _FACET_LOCK:
        values = _FACET_VALUES.get(searcher)
    if values is None:
        reader = searcher.reader()
        values = {name: list(reader.column_reader(field)) for name, field in FACETS.items()}
        with _FACET_LOCK:
            _FACET_VALUES[searcher] = values
    return values


def _facets(searcher: Searcher, docnums: list[int]) -> dict[str, dict[str, int]]:
    out = {}
    for name, column in _facet_values(searcher).items():
        counts = Counter(column[n] for n in docnums)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        out[name] = {str(k): v for k, v in ranked if k not in (None, "", 0)}
    return out


def best_passages(searcher: Searcher, parsed: ParsedQuery, doc_ids: list[str],
                  per_doc: int) -> dict[str, list[tuple[str, float]]]:
    """doc_id → [(passage id, score)] best first, for the given documents only."""
    q = passage_query(searcher.schema, parsed, doc_ids) if per_doc else None
    if q is None:
        return {}
    reader = searcher.reader()
    doc_col, pid_col = reader.column_reader("doc_id"), reader.column_reader("pid")
    found: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for hit in searcher.search(q, limit=None):
        found[doc_col[hit.docnum]].append((pid_col[hit.docnum], hit.score))
    return {d: sorted(ps, key=lambda p: -p[1])[:per_doc] for d, ps in found.items()}


def _section_of(doc: Document) -> dict[str, str]:
    """passage id → innermost heading ("" for the preamble)."""
    out = {}
    for section in doc.sections:
        for p in section.passages:
            out[p.id] = p.section_path[-1] if p.section_path else (
                section.heading if section.level > 0 else "")
    return out


def _document_hit(doc: Document, score: float, best: list[tuple[str, float]],
                  req: SearchRequest, marker: Highlighter) -> DocumentHit:
    by_id: dict[str, Passage] = {p.id: p for p in doc.passages()}
    sections = _section_of(doc)
    chosen = [(by_id[pid], s) for pid, s in best if pid in by_id]
    if not chosen and req.passages_per_doc and by_id:
        chosen = [(next(iter(by_id.values())), 0.0)]  # matched on title/metadata: show the lead
    passages = tuple(PassageHit(id=p.id, html=marker.passage(p.text, fragment=True), text=p.text,
                                page=p.page, section=sections.get(p.id, ""), score=s)
                     for p, s in chosen)
    issue = f"《{doc.bulletin.name}》{doc.bulletin.issue_label}" if doc.bulletin else None
    return DocumentHit(doc_id=doc.doc_id, title=doc.title, title_html=marker.title(doc.title),
                       doc_type=doc.doc_type, kind=doc.kind, date=doc.date, issuer=doc.issuer,
                       doc_number=doc.doc_number, issue=issue, sample=doc.sample, score=score,
                       passages=passages)


def highlight_document(schema: Schema, doc: Document, q: str) -> dict[str, str]:
    """passage id → the whole passage as escaped HTML, <mark> around what q matches."""
    try:
        parsed = parse_query(q or "", schema)
    except QueryError:
        parsed = ParsedQuery()  # the document page still shows, unhighlighted
    marker = Highlighter(schema, parsed)
    return {p.id: marker.passage(p.text) for p in doc.passages()}
