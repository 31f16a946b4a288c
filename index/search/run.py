"""Ranking documents, choosing their best passages, highlights and facets.

A search parses the query (expanding abbreviations unless asked not to), finds the matching
document records and scores them in numpy (:mod:`index.search.ranking`, :mod:`index.search.scoring`),
re-ranks the best few on their text, and reads stored JSON for the documents shown only.
Their passages are scored against the query's words and bigrams, the best
``passages_per_doc`` kept and highlighted. The total and the facets count every match.
"""
from __future__ import annotations

import bisect
import heapq
import numpy as np
from whoosh.fields import Schema
from whoosh.searching import Searcher

from index.analysis import normalize_text
from index.records import unpack_dict
from index.search.expand import load_expander
from index.search.highlight import Highlighter
from index.search.narrow import (SORTERS, choice_mask, merged, parse_branches, records,
                                 scope_mask)
from index.search.offers import with_offers
from index.search.query import (DOC_PAIRS, ParsedQuery, clause_query, filter_queries, filter_query,
                                has_text, is_empty, validate_request)
from index.search.ranking import (IDENT_BOOST, RankParams, TextFeatures, bm25_scores, make_plan,
                                  match_mask, query_records)
from index.search.scoring import Corpus, corpus_for
from index.search.similar import Shingles, same_as, shingles
from index.search.syntax import Branch
from index.search.titles import title_records
from index.types import DocumentHit, PassageHit, QueryError, SearchRequest, SearchResults
from ingest.model import Document, Passage

# facet → its column; a facet's counts leave out its own choices (several may be chosen)
FACETS = {"doc_type": "doc_type", "year": "year", "kind": "kind_key", "issuer": "issuer_key",
          "journal": "journal", "topic": "topic"}
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
    expander = load_expander() if req.expand else None
    branches = parse_branches(req.q, schema, expander)
    parsed = merged([p for _, p in branches])
    if is_empty(parsed, req):
        raise QueryError("检索式为空：请输入检索词或选择筛选条件")
    within = [parse_branches(w, schema, expander) for w in req.within]
    if searcher.reader().doc_count_all() == 0:  # no segment yet: whoosh's empty reader has no columns
        return SearchResults(query=req.q, total=0, page=req.page, per_page=req.per_page,
                             expansions=parsed.expansions,
                             facets={name: {} for name in FACETS})
    corpus = corpus_for(searcher)
    plan = make_plan(schema, parsed, params)
    plan.any_units = req.any_words
    boosts = np.zeros(corpus.size, dtype=np.float32)
    if len(branches) == 1 and not branches[0][0].excluded:  # a plain query: as it always was
        mask = match_mask(corpus, schema, plan, params, boosts)
        exact = title_records(corpus, req.q)  # issue 12: a whole title ranks its document first
        mask[exact] = True
        boosts[exact] += IDENT_BOOST
        mask &= _filter_mask(corpus, schema, req, parsed)
        mask &= scope_mask(corpus, schema, parsed, req.scope)
    else:
        mask = _branches_mask(corpus, schema, req, params, branches, boosts)
    for w in within:  # 结果中检索: the earlier queries' words and fields, not their boosts
        mask &= _branches_mask(corpus, schema, SearchRequest(q=""), params, w,
                               np.zeros(corpus.size, dtype=np.float32))
    chosen = {name: choice_mask(corpus, schema, name, values, req.issuer_sub)
              for name, values in req.any_of}
    unfaceted = mask.copy()
    for keep in chosen.values():
        mask &= keep
    scores = bm25_scores(corpus, plan, params, unfaceted) if has_text(parsed) else \
        np.zeros(corpus.size, dtype=np.float32)
    if plan.question:
        mask &= (scores > 0) | (boosts > 0)
        unfaceted &= (scores > 0) | (boosts > 0)
    matches = np.flatnonzero(mask)
    limit = req.page * req.per_page
    stored = _StoredDocs(searcher, corpus)
    features = TextFeatures(corpus, plan, params)
    base = scores + boosts
    # The text bonus goes to the best rerank_depth documents by BM25, whatever the sort.
    head = _top(base, matches, params.rerank_depth) if has_text(parsed) else matches[:0]
    best = float(scores[head].max()) if len(head) else 0.0
    final = base.copy()
    by_score = has_text(parsed) and req.sort not in ("date_asc", "issue", "date")
    _add_text_bonus(final, head, best, features, stored, limit if by_score else 0)
    if req.sort in ("date_asc", "issue"):
        order = SORTERS[req.sort](corpus, matches, base)
    elif req.sort == "date" or not has_text(parsed):
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
                            facets=_facets(corpus, unfaceted, chosen) if req.facets else {})
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
        self.records: dict[int, dict] = {}

    def record(self, docnum: int) -> dict:
        """The stored Document as a dict (Document.to_dict's form)."""
        rec = self.records.get(docnum)
        if rec is None:
            rec = unpack_dict(self.searcher.stored_fields(docnum)["doc"])
            self.records[docnum] = rec
        return rec

    def get(self, docnum: int) -> Document:
        doc = self.docs.get(docnum)
        if doc is None:
            doc = Document.from_dict(self.record(docnum))
            self.docs[docnum] = doc
        return doc

    def text(self, docnum: int) -> str:
        """Title and passages, normalized like the query (cached per searcher).

        Read from the dict: re-ranking reads rerank_depth documents and shows a few, and
        building Document objects was a third of a keyword query's time.
        """
        return self.corpus.cached(("text", docnum), lambda: record_text(self.record(docnum)))

    def shingles(self, docnum: int) -> Shingles:
        """The normalized text's character bigrams (cached per searcher)."""
        return self.corpus.cached(("shingles", docnum), lambda: shingles(self.text(docnum)))


def _add_text_bonus(final: np.ndarray, head: np.ndarray, best: float, features: TextFeatures,
                    stored: _StoredDocs, limit: int) -> None:
    """Add each head record's text bonus to final, head in order (best BM25 first).

    ``limit`` (the page is ordered by final score): stop at the first record that even the
    largest bonus cannot lift into the best ``limit`` so far; the records after it score
    lower still. The page and its scores are the same; fewer records are read and normalized
    (most of a keyword query's first ask). Records not reached keep their BM25 score, as
    records past rerank_depth always do.
    """
    if best <= 0:
        return
    reach = best * features.ceiling()
    page: list[float] = []  # the `limit` best final scores so far, a min-heap
    for n in head.tolist():
        if len(page) == limit > 0:
            bound = float(final[n]) + reach
            if bound + 1e-5 * abs(bound) < page[0]:  # margin: final is float32, rounded
                return
        final[n] += best * features.score(stored.text(n))
        if limit:
            (heapq.heappush if len(page) < limit else heapq.heappushpop)(page, float(final[n]))


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


def record_text(rec: dict) -> str:
    """A stored Document's title and passages (its dict, as Document.passages() orders them),
    normalized, one line each."""
    # _passage_norms cuts the passages back out of this text: keep the two in step.
    lines = [rec.get("title", "")] + [p["text"] for s in rec.get("sections") or ()
                                      for p in s.get("passages", ())]
    return normalize_text("\n".join(lines))


# -- filters -----------------------------------------------------------------------------

def _filter_mask(corpus: Corpus, schema: Schema, req: SearchRequest,
                 parsed: ParsedQuery) -> np.ndarray:
    """Records passing every filter and matching no negated clause."""
    mask = np.ones(corpus.size, dtype=bool)
    for q in filter_queries(schema, req, parsed):
        keep = np.zeros(corpus.size, dtype=bool)
        keep[records(corpus, q)] = True
        mask &= keep
    for c in parsed.negative:
        q = clause_query(schema, c, DOC_PAIRS)
        if q is not None:
            mask[query_records(corpus, q)] = False
    return mask


def _branches_mask(corpus: Corpus, schema: Schema, req: SearchRequest, params: RankParams,
                   branches: list[tuple[Branch, ParsedQuery]], boosts: np.ndarray) -> np.ndarray:
    """Records matching any branch (each with the request's filters); identifier boosts kept."""
    mask = np.zeros(corpus.size, dtype=bool)
    for branch, parsed in branches:
        own = np.zeros(corpus.size, dtype=np.float32)
        plan = make_plan(schema, parsed, params)
        hit = match_mask(corpus, schema, plan, params, own)
        if plan.question:  # a question needs only some units, but some (as run_search asks)
            hit &= (bm25_scores(corpus, plan, params, hit) > 0) | (own > 0)
        hit &= _filter_mask(corpus, schema, req, parsed)
        hit &= scope_mask(corpus, schema, parsed, req.scope)
        for name, value in branch.excluded:
            q = filter_query(schema, name, normalize_text(value))
            if q is not None:
                hit[records(corpus, q)] = False
        mask |= hit
        np.maximum(boosts, own, out=boosts)
    return mask


def _facets(corpus: Corpus, unfaceted: np.ndarray,
            chosen: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
    """Counts per value of each facet, under every filter but that facet's own choices."""
    out = {}
    everywhere = np.flatnonzero(unfaceted)  # the records of a facet no other choice narrows
    for name, field_name in FACETS.items():
        if field_name not in corpus.searcher.schema:
            continue
        rows = everywhere
        if any(other != name for other in chosen):
            mask = unfaceted.copy()
            for other, keep in chosen.items():
                if other != name:
                    mask &= keep
            rows = np.flatnonzero(mask)
        codes, labels = corpus.codes(field_name)
        if len(labels) == 1:  # one value (or none) in the whole index: no pass over the codes
            counts = np.array([len(rows)])
        else:
            counts = np.bincount(codes[rows], minlength=len(labels))
        ranked = sorted(((labels[i], int(counts[i])) for i in np.flatnonzero(counts)),
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
    chosen: list[tuple[Passage, float]] = []
    sections: dict[str, str] = {}
    norms: dict[str, str] = {}
    if req.passages_per_doc:  # a list of titles (0) looks at no passage
        by_id: dict[str, Passage] = {p.id: p for p in doc.passages()}
        sections = _section_of(doc)
        norms = _passage_norms(doc, doc_text)
        candidates = _candidates(list(by_id), norms, features) if len(by_id) > MANY_PASSAGES \
            else list(by_id)
        best = passage_scores(features, [by_id[pid] for pid in candidates],
                              [norms[pid] for pid in candidates])[:req.passages_per_doc]
        chosen = [(by_id[pid], s) for pid, s in best]
        if not chosen and by_id:
            chosen = [(next(iter(by_id.values())), 0.0)]  # matched on title/metadata: the lead
    passages = tuple(PassageHit(id=p.id, html=marker.passage(p.text, True, norms.get(p.id)),
                                text=p.text, page=p.page, section=sections.get(p.id, ""), score=s,
                                ocr=p.ocr)
                     for p, s in chosen)
    issue = f"《{doc.bulletin.name}》{doc.bulletin.issue_label}" if doc.bulletin else None
    return DocumentHit(doc_id=doc.doc_id, title=doc.title, title_html=marker.title(doc.title),
                       doc_type=doc.doc_type, kind=doc.kind, date=doc.date, issuer=doc.issuer,
                       doc_number=doc.doc_number, issue=issue, sample=doc.sample, score=score,
                       passages=passages, same_as=repeat,
                       attachment_label=doc.attachment_label)


def highlight_document(schema: Schema, doc: Document, q: str, expand: bool = True,
                       only: frozenset[str] | None = None) -> dict[str, str]:
    """passage id → the whole passage as escaped HTML, <mark> around what q matches.

    ``only``: the passages shown (a long document's page shows a slice of them).
    """
    try:
        parsed = merged([p for _, p in parse_branches(  # A OR B: both marked, not "or"
            q or "", schema, load_expander() if expand else None)])
    except QueryError:
        parsed = ParsedQuery()  # the document page still shows, unhighlighted
    marker = Highlighter(schema, parsed)
    return {p.id: marker.passage(p.text) for p in doc.passages()
            if only is None or p.id in only}
