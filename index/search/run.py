"""Ranking documents, choosing their best passages, highlights and facets.

A search parses the query (expanding abbreviations unless asked not to), finds the matching
document records and scores them in numpy (:mod:`index.search.ranking`, :mod:`index.search.scoring`),
re-ranks the best few on their text, and reads stored JSON for the documents shown only.
Their passages are scored against the query's words and bigrams, the best
``passages_per_doc`` kept and highlighted. The total and the facets count every match.
"""
from __future__ import annotations

import bisect
import json
import numpy as np
from whoosh.fields import Schema
from whoosh.query import NumericRange, Query, Term
from whoosh.searching import Searcher

from index.analysis import normalize_text
from index.search.expand import load_expander
from index.search.highlight import Highlighter
from index.search.offers import with_offers
from index.search.query import (DOC_PAIRS, ParsedQuery, clause_query, filter_queries, has_text,
                                is_empty, parse_query, validate_request)
from index.search.ranking import (RankParams, TextFeatures, bm25_scores, make_plan,
                                  match_mask, query_records)
from index.search.scoring import Corpus, corpus_for
from index.search.similar import Shingles, same_as, shingles
from index.types import DocumentHit, PassageHit, QueryError, SearchRequest, SearchResults
from ingest.model import Document, Passage

FACETS = {"doc_type": "doc_type", "year": "year"}
DEFAULT_PARAMS = RankParams()
PASSAGE_K1 = 1.2


def run_search(searcher: Searcher, req: SearchRequest,
               params: RankParams = DEFAULT_PARAMS, offers: bool = True) -> SearchResults:
    """Search with one searcher; QueryError for a request that cannot be searched.

    ``offers``: on an empty or thin page, say which identifiers no document is and offer a
    respelled and an any-of-the-words search (:mod:`index.search.offers`).
    """
    validate_request(req)
    schema = searcher.schema
    parsed = parse_query(req.q, schema, load_expander() if req.expand else None)
    if is_empty(parsed, req):
        raise QueryError("检索式为空：请输入检索词或选择筛选条件")
    if searcher.reader().doc_count_all() == 0:  # no segment yet: whoosh's empty reader has no columns
        return SearchResults(query=req.q, total=0, page=req.page, per_page=req.per_page,
                             expansions=parsed.expansions,
                             facets={name: {} for name in FACETS})
    corpus = corpus_for(searcher)
    plan = make_plan(schema, parsed, params)
    plan.any_units = req.any_words
    boosts = np.zeros(corpus.size, dtype=np.float32)
    mask = match_mask(corpus, schema, plan, params, boosts)
    mask &= _filter_mask(corpus, schema, req, parsed)
    scores = bm25_scores(corpus, plan, params) if has_text(parsed) else \
        np.zeros(corpus.size, dtype=np.float32)
    if plan.question:
        mask &= (scores > 0) | (boosts > 0)
    matches = np.flatnonzero(mask)
    limit = req.page * req.per_page
    stored = _StoredDocs(searcher, corpus)
    features = TextFeatures(corpus, plan, params)
    base = scores + boosts
    # The text bonus goes to the best rerank_depth documents by BM25, whatever the sort.
    head = _top(base, matches, params.rerank_depth) if has_text(parsed) else matches[:0]
    best = float(scores[head].max()) if len(head) else 0.0
    final = base.copy()
    for n in head.tolist():
        final[n] += best * features.score(stored.text(n)) if best > 0 else 0.0
    if req.sort == "date" or not has_text(parsed):
        order = _by_date(corpus, matches, base)
    else:
        rest = _top(base, matches, max(limit, len(head)))[len(head):]
        order = np.concatenate([head[np.argsort(-final[head], kind="stable")], rest])
    start = (req.page - 1) * req.per_page
    shown = [int(n) for n in order[start:start + req.per_page]]
    docs = [stored.get(n) for n in shown]
    marker = Highlighter(schema, parsed)
    repeats = same_as([d.doc_id for d in docs], lambda i: stored.shingles(shown[i]))
    hits = tuple(_document_hit(d, stored.text(n) if req.passages_per_doc else "",
                               float(final[n]), features, req, marker, repeat)
                 for d, n, repeat in zip(docs, shown, repeats))
    results = SearchResults(query=req.q, total=len(matches), page=req.page,
                            per_page=req.per_page, hits=hits, expansions=parsed.expansions,
                            facets=_facets(corpus, matches))
    if offers:  # issue 13: unknown identifiers, did you mean, any of the words
        results = with_offers(results, corpus, parsed, plan, req,
                              lambda r: run_search(searcher, r, params, offers=False).total)
    return results


class _StoredDocs:
    """Documents read from stored JSON, once per search; their normalized text, once per searcher."""

    def __init__(self, searcher: Searcher, corpus: Corpus) -> None:
        self.searcher = searcher
        self.corpus = corpus
        self.docs: dict[int, Document] = {}

    def get(self, docnum: int) -> Document:
        doc = self.docs.get(docnum)
        if doc is None:
            doc = Document.from_dict(json.loads(self.searcher.stored_fields(docnum)["doc"]))
            self.docs[docnum] = doc
        return doc

    def text(self, docnum: int) -> str:
        """Title and passages, normalized like the query (cached per searcher)."""
        return self.corpus.cached(("text", docnum), lambda: _doc_text(self.get(docnum)))

    def shingles(self, docnum: int) -> Shingles:
        """The normalized text's character bigrams (cached per searcher)."""
        return self.corpus.cached(("shingles", docnum), lambda: shingles(self.text(docnum)))


def _top(values: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
    """The k candidates with the highest values, best first (ties: lower record first)."""
    if len(candidates) > k:
        part = np.argpartition(-values[candidates], k - 1)[:k]
        candidates = np.sort(candidates[part])
    return candidates[np.argsort(-values[candidates], kind="stable")]


def _by_date(corpus: Corpus, matches: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Newest first; undated documents (date 0) last; ties by relevance, then record."""
    dates = corpus.column("date")[matches].astype(np.int64)
    return matches[np.lexsort((matches, -scores[matches], -dates))]


def _doc_text(doc: Document) -> str:
    # _passage_norms cuts the passages back out of this text: keep the two in step.
    return normalize_text("\n".join([doc.title] + [p.text for p in doc.passages()]))


# -- filters -----------------------------------------------------------------------------

def _records(corpus: Corpus, q: Query) -> np.ndarray:
    """Records of a filter query: postings and columns where we can, whoosh otherwise."""
    if isinstance(q, Term) and q.fieldname in ("doc_type", "kind", "doc_number", "role"):
        return corpus.postings(q.fieldname, q.text)[0]
    if isinstance(q, NumericRange) and q.fieldname in ("year", "date"):
        col = corpus.column(q.fieldname).astype(np.int64)
        low = q.start if q.start is not None else col.min(initial=0)
        high = q.end if q.end is not None else col.max(initial=0)
        return np.flatnonzero((col >= low) & (col <= high))
    return query_records(corpus, q)


def _filter_mask(corpus: Corpus, schema: Schema, req: SearchRequest,
                 parsed: ParsedQuery) -> np.ndarray:
    """Records passing every filter and matching no negated clause."""
    mask = np.ones(corpus.size, dtype=bool)
    for q in filter_queries(schema, req, parsed):
        keep = np.zeros(corpus.size, dtype=bool)
        keep[_records(corpus, q)] = True
        mask &= keep
    for c in parsed.negative:
        q = clause_query(schema, c, DOC_PAIRS)
        if q is not None:
            mask[query_records(corpus, q)] = False
    return mask


def _facets(corpus: Corpus, matches: np.ndarray) -> dict[str, dict[str, int]]:
    out = {}
    for name, field_name in FACETS.items():
        codes, labels = corpus.codes(field_name)
        counts = np.bincount(codes[matches], minlength=len(labels))
        ranked = sorted(((labels[i], int(c)) for i, c in enumerate(counts) if c),
                        key=lambda kv: (-kv[1], kv[0]))
        out[name] = {k: v for k, v in ranked if k not in ("", "None", "0")}
    return out


# -- passages and hits ---------------------------------------------------------------------

def passage_scores(features: TextFeatures, passages: list[Passage],
                   norms: list[str] | None = None) -> list[tuple[str, float]]:
    """(passage id, score) of the passages that contain any query bigram, best first.

    ``norms``: the passages' normalized texts, when the caller has them.
    """
    out = []
    for i, p in enumerate(passages):
        text = normalize_text(p.text) if norms is None else norms[i]
        score = 0.0
        for term, weight in features.terms.items():
            tf = text.count(term)
            if tf:
                score += weight * tf * (PASSAGE_K1 + 1) / (tf + PASSAGE_K1)
        if score > 0:
            out.append((p.id, score))
    return sorted(out, key=lambda ps: -ps[1])


def _section_of(doc: Document) -> dict[str, str]:
    """passage id → innermost heading ("" for the preamble)."""
    out = {}
    for section in doc.sections:
        for p in section.passages:
            out[p.id] = p.section_path[-1] if p.section_path else (
                section.heading if section.level > 0 else "")
    return out


def _passage_norms(doc: Document, doc_text: str) -> dict[str, str]:
    """passage id → its normalized text, cut out of the document's (normalizing is per char)."""
    out, at = {}, len(doc.title) + 1
    for p in doc.passages():
        out[p.id] = doc_text[at:at + len(p.text)]
        at += len(p.text) + 1
    return out


MANY_PASSAGES = 2000  # past this, only passages where the query's terms occur are scored
TERM_OCCURRENCES = 200  # occurrences of one term looked at in such a document


def _candidates(ids: list[str], norms: dict[str, str], features: TextFeatures) -> list[str]:
    """The passages of a very long document that hold one of the first occurrences of a term.

    str.find runs in C; scoring every one of tens of thousands of passages in Python took
    seconds per query on a multi-MB document.
    """
    starts, at = [], 0
    for pid in ids:
        starts.append(at)
        at += len(norms[pid]) + 1
    text = "\n".join(norms[pid] for pid in ids)
    hit: set[int] = set()
    for term in features.terms:
        i, n = text.find(term), 0
        while i >= 0 and n < TERM_OCCURRENCES:
            hit.add(bisect.bisect_right(starts, i) - 1)
            i, n = text.find(term, i + 1), n + 1
    return [ids[k] for k in sorted(hit)]


def _document_hit(doc: Document, doc_text: str, score: float, features: TextFeatures,
                  req: SearchRequest, marker: Highlighter, repeat: str | None) -> DocumentHit:
    by_id: dict[str, Passage] = {p.id: p for p in doc.passages()}
    sections = _section_of(doc)
    norms = _passage_norms(doc, doc_text) if req.passages_per_doc else {}
    candidates = _candidates(list(by_id), norms, features) if len(by_id) > MANY_PASSAGES \
        else list(by_id)
    best = passage_scores(features, [by_id[pid] for pid in candidates],
                          [norms[pid] for pid in candidates])[
        :req.passages_per_doc] if req.passages_per_doc else []
    chosen = [(by_id[pid], s) for pid, s in best]
    if not chosen and req.passages_per_doc and by_id:
        chosen = [(next(iter(by_id.values())), 0.0)]  # matched on title/metadata: show the lead
    passages = tuple(PassageHit(id=p.id, html=marker.passage(p.text, True, norms.get(p.id)),
                                text=p.text, page=p.page, section=sections.get(p.id, ""), score=s,
                                ocr=p.ocr)
                     for p, s in chosen)
    issue = f"《{doc.bulletin.name}》{doc.bulletin.issue_label}" if doc.bulletin else None
    return DocumentHit(doc_id=doc.doc_id, title=doc.title, title_html=marker.title(doc.title),
                       doc_type=doc.doc_type, kind=doc.kind, date=doc.date, issuer=doc.issuer,
                       doc_number=doc.doc_number, issue=issue, sample=doc.sample, score=score,
                       passages=passages, same_as=repeat)


def highlight_document(schema: Schema, doc: Document, q: str, expand: bool = True,
                       only: frozenset[str] | None = None) -> dict[str, str]:
    """passage id → the whole passage as escaped HTML, <mark> around what q matches.

    ``only``: the passages shown (a long document's page shows a slice of them).
    """
    try:
        parsed = parse_query(q or "", schema, load_expander() if expand else None)
    except QueryError:
        parsed = ParsedQuery()  # the document page still shows, unhighlighted
    marker = Highlighter(schema, parsed)
    return {p.id: marker.passage(p.text) for p in doc.passages()
            if only is None or p.id in only}
