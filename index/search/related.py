"""Related documents ("相关文件", issue 12): documents on the same matter, each with why.

In this order: the documents this one cites and those citing it, the previous and next issue
of the same bulletin, documents citing the same 《title》 (the same measure), then the
documents most alike in their distinctive words (more-like-this: the opening's words weighed
by tf·idf, searched with BM25F). Bounded per page: the words come from the first TEXT_CHARS
characters, at most KEY_TERMS of them, and few documents are read.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from index.analysis import ensure_jieba, normalize_text
from index.analysis.terms import match_key, title_key, title_keys
from index.search.links import Documents, doc_ref
from index.search.scoring import Corpus, FieldWeight, bm25f, corpus_for, idf
from index.types import Citation, CitedBy, DocRef, Related
from ingest.model import Document

MAX_RELATED = 8
KEY_TERMS = 10
TEXT_CHARS = 2500  # a long document's distinctive words are those of its opening
SHARED_TERMS = 2  # a document alike in topic shares at least this many of the key terms
SAME_MEASURE = 3  # documents shown per 《title》 cited in common
SAME_MEASURE_TITLES = 5  # the first titles cited are looked up for it (a law cites dozens)
SERIES_READS = 20  # issues read looking for the previous (or next) one of the same series
# jieba's part-of-speech tags of nouns, noun-verbs, names and fixed phrases: the topic words.
NOUNS = ("n", "nz", "vn", "nt", "nr", "ns", "nrt", "l", "j")
COMMON = 0.05  # a word in more than this share of the documents says nothing of the topic


class _Found:
    def __init__(self, own: str) -> None:
        self.own = own
        self.refs: dict[str, DocRef] = {}
        self.reasons: dict[str, list[str]] = {}

    def add(self, ref: DocRef, reason: str) -> None:
        if ref.doc_id == self.own:
            return
        self.refs.setdefault(ref.doc_id, ref)
        reasons = self.reasons.setdefault(ref.doc_id, [])
        if reason not in reasons:
            reasons.append(reason)

    def result(self, limit: int) -> tuple[Related, ...]:
        return tuple(Related(self.refs[d], tuple(r)) for d, r in self.reasons.items())[:limit]


def related(docs: Documents, doc: Document, citations: tuple[Citation, ...],
            citing: tuple[CitedBy, ...], limit: int = MAX_RELATED) -> tuple[Related, ...]:
    """Documents related to doc, most related first, each with one line of reasons."""
    found = _Found(doc.doc_id)
    for c in citations:
        if c.target is not None:
            found.add(c.target, "被本文件引用")
    for c in citing:
        found.add(c.source, "引用本文件")
    for ref, reason in _series(docs, doc):
        found.add(ref, reason)
    for c in citations[:SAME_MEASURE_TITLES]:
        if c.target is not None and c.target.doc_id == doc.doc_id:
            continue  # the work this notice issues: who cites it cites this notice
        cited = match_key(c.title)
        for n in docs.newest_first(set(docs.find("cites", title_key(c.title))))[:SAME_MEASURE + 1]:
            other = docs.get(n)
            if cited not in title_keys(other):  # not the cited document itself (印发《X》的通知)
                found.add(doc_ref(other), f"同样引用《{c.title}》")
    if len(found.reasons) < limit:
        for ref, words in _alike(docs, doc, limit):
            found.add(ref, "主题相近：" + "、".join(words))
    return found.result(limit)


def _series(docs: Documents, doc: Document) -> list[tuple[DocRef, str]]:
    """The previous and next issue of the same bulletin (name and office), by date."""
    b = doc.bulletin
    if b is None or doc.date is None:
        return []
    mine = int(doc.date.strftime("%Y%m%d"))
    dates = docs.searcher.reader().column_reader("date")
    issues = [n for n in docs.find("work", title_key(b.name)) if dates[n]]
    out = []
    for reason, side in (("同一刊物上一期", [n for n in issues if dates[n] < mine]),
                         ("同一刊物下一期", [n for n in issues if dates[n] > mine])):
        side.sort(key=lambda n: abs(dates[n] - mine))
        for n in side[:SERIES_READS]:
            other = docs.get(n).bulletin
            if other is not None and other.name == b.name and \
                    (other.office or "") == (b.office or ""):
                out.append((doc_ref(docs.get(n)), reason))
                break
    return out


def _alike(docs: Documents, doc: Document, limit: int) -> list[tuple[DocRef, list[str]]]:
    """The documents sharing most of this one's distinctive words, with the words shared."""
    searcher = docs.searcher
    if searcher.reader().doc_count_all() == 0:
        return []
    corpus = corpus_for(searcher)
    terms = key_terms(searcher, corpus, (doc.title + "\n" + doc.text)[:TEXT_CHARS])
    if not terms:
        return []
    scores = np.zeros(corpus.size, dtype=np.float32)
    bm25f(corpus, (FieldWeight("title", 2.0, 0.5), FieldWeight("body", 1.0, 0.75)),
          {t: 1.0 for t in terms}, 1.2, scores)
    shared = np.zeros(corpus.size, dtype=np.int32)
    for t in terms:
        has = np.zeros(corpus.size, dtype=bool)
        for f in ("body", "title"):
            has[corpus.postings(f, t)[0]] = True
        shared += has
    scores[shared < SHARED_TERMS] = 0.0
    out = []
    for n in np.argsort(-scores, kind="stable")[:limit + 1].tolist():
        if scores[n] <= 0:
            break
        other = docs.get(n)
        if other.doc_id == doc.doc_id:
            continue
        # Said of the text itself: the body field also holds a masthead's or issuer's name.
        text = normalize_text(other.title + "\n" + other.text)
        words = [t for t in terms if t in text]
        if len(words) >= SHARED_TERMS:
            out.append((doc_ref(other), words[:3]))
    return out[:limit]


def key_terms(searcher: object, corpus: Corpus, text: str) -> list[str]:
    """The text's distinctive nouns: TF-IDF with jieba's general idf table, times the index's
    own idf, among words found in other documents but not in most of them.

    jieba.analyse.extract_tags does the same with the tagger's HMM on, which costs most of a
    page's time for words the HMM guesses; the dictionaries already hold the domain's words.
    """
    # Imported here: jieba's tagger and idf tables hold ~100 MB that a server answering only
    # searches never needs (issue 14, bounded server memory).
    import jieba.analyse
    import jieba.posseg

    ensure_jieba()  # the tagger's dictionary, with the user words
    table = jieba.analyse.default_tfidf
    counts = Counter(w for w, flag in jieba.posseg.cut(text, HMM=False)
                     if flag in NOUNS and len(w) >= 2 and w.lower() not in table.stop_words)
    weighed = {}
    for word, tf in counts.most_common(6 * KEY_TERMS):
        term = normalize_text(word)
        df = searcher.doc_frequency("body", term)
        if 1 < df <= max(COMMON * corpus.n_docs, min(corpus.n_docs - 1, 10)):
            weighed[term] = tf * table.idf_freq.get(word, table.median_idf) * \
                idf(corpus.n_docs, df)
    return sorted(weighed, key=lambda t: -weighed[t])[:KEY_TERMS]
