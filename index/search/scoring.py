"""Ranking in numpy over whoosh's postings: BM25F over the jieba fields and the bigram fields.

whoosh keeps the postings on disk; scoring them one posting at a time through its matchers
costs about 10 µs per matching record, which a long question over a large corpus cannot
afford. Here a term's postings are read once, whole blocks at a time, into numpy arrays
(record numbers and term frequencies), cached per segment (segments never change, only
their deletions do), and every query term is scored for every record at once.

A :class:`Corpus` is the view of one searcher: the segments' offsets, which records are live
document records, each field's lengths, and the cached postings.
"""
from __future__ import annotations

import dataclasses
import math
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from index.columns import shared_codes
from index.search.caches import DEFAULT_BUDGET, ByteLRU, CacheBudget
from index.search.postings import read_postings
from index.search.similar import distinct

PREFIX_TERMS = 2000  # a one-character query looks at this many bigrams that start with it
_LENGTH_OF_BYTE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)
_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


@dataclass(frozen=True)
class _Caches:
    """An index's caches, shared by every searcher and thread: postings (per segment, and
    joined across a searcher's segments), and documents' texts and shingles."""

    postings: ByteLRU
    texts: ByteLRU


# One set of caches per whoosh index object, and the budget it was given (use_budget).
_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_BUDGETS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _new_caches(budget: CacheBudget) -> _Caches:
    shared = ByteLRU(budget.bytes)  # one budget: see CacheBudget
    return _Caches(shared, shared)


def use_budget(ix: object, budget: CacheBudget) -> None:
    """Bound the caches of whoosh index ix (all its searchers) to budget."""
    with _CACHES_LOCK:
        _BUDGETS[ix] = budget
        caches = _CACHES.get(ix)
        if caches is not None:
            caches.postings.limit = caches.texts.limit = budget.bytes


def _per_index(table: weakref.WeakKeyDictionary, ix: object, make: Callable[[], object]) -> object:
    """table[ix], made on first use (call with _CACHES_LOCK held)."""
    got = table.get(ix)
    if got is None:
        got = table[ix] = make()
    return got


def _caches_for(ix: object) -> _Caches:
    with _CACHES_LOCK:
        return _per_index(_CACHES, ix, lambda: _new_caches(_BUDGETS.get(ix, DEFAULT_BUDGET)))


def _read_matcher(m: object) -> tuple[np.ndarray, np.ndarray]:
    """All (ids, weights) of a leaf matcher, whole blocks at a time where we can."""
    if isinstance(m, FilterMatcher):  # deletions: we filter with the live mask instead
        m = m.child
        # FilterMatcher's constructor already stepped the child past the deleted records at
        # the head of the list: read from the start, so a segment's postings never depend
        # on its deletions (they are cached by segment id, and deletions come later).
        m.reset()
    if isinstance(m, W3LeafMatcher):
        ids, weights = [], []
        while m.is_active():
            if m._data is None:
                m._read_data()
            raw, w = m._data[0], m._data[1]
            block = np.asarray(raw, dtype=np.int64)
            ids.append(block if m._byteids else np.cumsum(block))  # ids are delta-coded
            n = len(block)
            weights.append(np.ones(n, np.float32) if w is None else
                           np.full(n, w, np.float32) if isinstance(w, float) else
                           np.asarray(w, dtype=np.float32))
            m._next_block()
        if not ids:
            return _EMPTY
        return np.concatenate(ids), np.concatenate(weights)
    if isinstance(m, ListMatcher):
        ids = np.asarray(m._ids, dtype=np.int64)
        w = m._weights
        weights = np.ones(len(ids), np.float32) if w is None else np.asarray(w, np.float32)
        return ids, weights
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)


def _length_bytes(col: object, n: int) -> np.ndarray:
    """A segment's one-byte field lengths, read in one go (records past the data: 0)."""
    raw = np.zeros(n, dtype=np.uint8)
    if hasattr(col, "_dbfile") and hasattr(col, "_basepos") and getattr(col, "_fixedlen", 1) == 1:
        count = min(getattr(col, "_count", n), n)
        raw[:count] = np.frombuffer(col._dbfile.get(col._basepos, count), dtype=np.uint8)
        return raw
    for i, value in enumerate(col):
        raw[i] = value or 0
    return raw


@dataclass
class _Leaf:
    reader: object
    offset: int
    key: str  # segment id: postings of a segment never change


class Corpus:
    """Statistics and postings of one searcher, as numpy arrays over global record numbers."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        self.size = reader.doc_count_all()
        caches = _caches_for(searcher._ix) if getattr(searcher, "_ix", None) else \
            _new_caches(DEFAULT_BUDGET)
        self._cache, self._texts = caches.postings, caches.texts
        self.leaves = []
        for leaf, offset in reader.leaf_readers():
            seg = getattr(leaf, "_segment", None)
            key = seg.segment_id() if seg is not None else f"{id(leaf)}"
            self.leaves.append(_Leaf(leaf, offset, key))
        # Record numbers depend on the segments and their order: the key of what is joined.
        self._signature = tuple((leaf.key, leaf.offset) for leaf in self.leaves)
        self._segments = _segment_data_for(searcher._ix, {leaf.key for leaf in self.leaves}) \
            if getattr(searcher, "_ix", None) else {}
        # A segment's deletions only grow: its count of live records names its deletions, so
        # what depends on the live records (document frequencies) is keyed by this too.
        self.live_signature = self._signature + tuple(
            leaf.reader.doc_count() for leaf in self.leaves)
        shared = _shared_for(getattr(searcher, "_ix", None), self.live_signature)
        self._lengths, self._avg, self._columns = shared.lengths, shared.avg, shared.kept
        self._lock = shared.lock
        if shared.docs is None:
            live = np.ones(self.size, dtype=bool)
            for leaf in self.leaves:
                if leaf.reader.has_deletions():
                    dels = np.fromiter(leaf.reader.deleted_docs_set, dtype=np.int64)
                    live[dels + leaf.offset] = False
            docs = np.zeros(self.size, dtype=bool)
            docs[self.postings("role", "doc")[0]] = True
            shared.live, shared.docs = live, docs & live  # live document records
        self.live, self.docs = shared.live, shared.docs
        self.n_docs = int(self.docs.sum())

    # -- postings --------------------------------------------------------------------

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(global record numbers, term frequencies) of a term, deleted records included."""
        if len(self.leaves) == 1:
            return self._leaf_postings(self.leaves[0], field, term)
        return self._cache.get_or_make(("\x00joined", self._signature, field, term),
                                       lambda: self._join(field, term))

    def _leaf_postings(self, leaf: _Leaf, field: str,
                       term: str) -> tuple[np.ndarray, np.ndarray]:
        key = (leaf.key, field, term)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._read(leaf, field, term)
            self._cache.put(key, hit)
        return (hit[0] + leaf.offset, hit[1]) if leaf.offset and len(hit[0]) else hit

    def _join(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """A term's postings in every segment, as one pair of arrays."""
        parts = []
        for leaf in self.leaves:
            # Not kept per segment as well: the joined arrays are what is cached (one copy).
            hit = self._cache.get((leaf.key, field, term)) or self._read(leaf, field, term)
            if len(hit[0]):
                parts.append((hit[0] + leaf.offset if leaf.offset else hit[0], hit[1]))
        if not parts:
            return _EMPTY
        if len(parts) == 1:
            return parts[0]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def prefix_postings(self, field: str, prefix: str) -> np.ndarray:
        """Sorted live records with any term that starts with prefix (at most PREFIX_TERMS)."""
        parts = []
        for leaf in self.leaves:
            key = (leaf.key, field, "\x00prefix", prefix)
            hit = self._cache.get(key)
            if hit is None:
                ids = []
                try:
                    terms = leaf.reader.expand_prefix(field, prefix)
                    for n, term in enumerate(terms):
                        if n >= PREFIX_TERMS:
                            break
                        ids.append(self._read(leaf, field, term)[0])
                except KeyError:
                    pass
                found = np.unique(np.concatenate(ids)) if ids else _EMPTY[0]
                hit = (found, np.ones(len(found), dtype=np.float32))
                self._cache.put(key, hit)
            parts.append(hit[0] + leaf.offset)
        found = np.concatenate(parts) if parts else _EMPTY[0]
        return found[self.docs[found]]

    @staticmethod
    def _read(leaf: _Leaf, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        reader = leaf.reader
        fast = read_postings(reader, field, term)  # one lookup, no matcher, no positions
        if fast is not None:
            return fast
        try:
            if (field, term) not in reader:
                return _EMPTY
            return _read_matcher(reader.postings(field, term))
        except KeyError:
            return _EMPTY

    # -- lengths and columns ---------------------------------------------------------

    def lengths(self, field: str) -> np.ndarray:
        """Each record's length in the field (whoosh's one-byte approximation), 0 if absent."""
        with self._lock:
            got = self._lengths.get(field)
        if got is not None:
            return got
        parts = []
        for leaf in self.leaves:
            perdoc = leaf.reader._perdoc
            n = leaf.reader.doc_count_all()
            col = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
            if col is None:
                parts.append(np.zeros(n, dtype=np.float32))
                continue
            parts.append(_LENGTH_OF_BYTE[_length_bytes(col, n)])
        out = np.concatenate(parts) if parts else np.zeros(0, np.float32)
        with self._lock:
            self._lengths[field] = out
        return out

    def avg_length(self, field: str) -> float:
        """Mean length of the field over live document records that have it."""
        with self._lock:
            got = self._avg.get(field)
        if got is not None:
            return got
        lens = self.lengths(field)[self.docs]
        nz = lens[lens > 0]
        avg = float(nz.mean()) if len(nz) else 1.0
        with self._lock:
            self._avg[field] = avg
        return avg

    def cached(self, key: tuple, make: Callable[[], object], keep: bool = False) -> object:
        """Kept while the segments and deletions stay (keep=True: one per field, for every
        searcher that sees them), or in the index's texts cache, bounded in bytes and shared by
        all threads (texts, shingles …: one per document)."""
        if not keep:
            return self._texts.get_or_make((self._signature,) + key, make)
        store = self._columns
        with self._lock:
            if key in store:
                return store[key]
        value = make()
        with self._lock:
            store[key] = value
        return value

    def per_segment(self, leaf: _Leaf, key: tuple, make: Callable[[], object]) -> object:
        """A value computed from one segment alone, kept while the segment lives.

        Segments never change, so a commit that adds one bulletin recomputes only the new
        segment's columns, not the whole index's.
        """
        store = self._segments
        with self._lock:
            got = store.get((leaf.key,) + key)
        if got is None:
            got = make()
            with self._lock:
                store[(leaf.key,) + key] = got
        return got

    def codes(self, field: str) -> tuple[np.ndarray, list]:
        """A sortable field as integer codes per record, and the value of each code."""
        def make() -> tuple[np.ndarray, list]:
            per = [self.per_segment(leaf, ("codes", field),
                                    lambda leaf=leaf: _leaf_codes(leaf, field))
                   for leaf in self.leaves]
            if not per:
                return np.zeros(0, np.int32), []
            labels = distinct(np.concatenate([labels for labels, _ in per]))
            codes = [np.searchsorted(labels, part)[c] for part, c in per]
            return np.concatenate(codes).astype(np.int32), list(labels)

        return self.cached(("\x00codes", field), make, keep=True)

    def column(self, field: str) -> np.ndarray:
        """A sortable field's values for every record, as a numpy array."""
        def make() -> np.ndarray:
            parts = [self.per_segment(leaf, ("column", field),
                                      lambda leaf=leaf: _leaf_column(leaf, field))
                     for leaf in self.leaves]
            return np.concatenate(parts) if parts else np.zeros(0)

        return self.cached(("\x00column", field), make, keep=True)


def _leaf_column(leaf: _Leaf, field: str) -> np.ndarray:
    values = list(leaf.reader.column_reader(field))
    if values and not isinstance(values[0], str):
        return np.asarray(values)
    return np.asarray(values, dtype=object)


def _leaf_codes(leaf: _Leaf, field: str) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values as str, each record's index into them) of one segment."""
    shared = shared_codes(leaf.reader, field)  # issue 14: one read, not a value per record
    if shared is not None:
        return shared
    values = _leaf_column(leaf, field)
    text = np.asarray([("" if v is None else v) for v in values], dtype=object).astype(str)
    labels, codes = np.unique(text, return_inverse=True)
    return labels, codes


@dataclass
class _Shared:
    """What a Corpus computes over every record of one commit (live records, lengths, norms,
    columns, priors: a few MB), shared by the searchers of all threads, and built in the
    pre-fork master (search_app/prefork.py) for all its workers: kept per searcher, each of
    a server's threads held its own copy."""

    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    live: np.ndarray | None = None
    docs: np.ndarray | None = None
    lengths: dict = dataclasses.field(default_factory=dict)
    avg: dict = dataclasses.field(default_factory=dict)
    kept: dict = dataclasses.field(default_factory=dict)


# Per whoosh index object: the _Shared of its latest commits (live signature → _Shared).
_SHARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# A searcher opened just before a commit may still be asking while the next one is read.
SHARED_COMMITS = 2


def _shared_for(ix: object, live_signature: tuple) -> _Shared:
    """The _Shared of ix's commit with these segments and deletions (ix None: a new one)."""
    if ix is None:
        return _Shared()
    with _CACHES_LOCK:
        table = _per_index(_SHARED, ix, OrderedDict)
        got = table.get(live_signature)
        if got is None:
            got = table[live_signature] = _Shared()
            while len(table) > SHARED_COMMITS:
                table.popitem(last=False)
        else:
            table.move_to_end(live_signature)
        return got


def shared_arrays(ix: object) -> list[np.ndarray]:
    """The numpy arrays the searchers of ix's latest commit share (see _Shared)."""
    with _CACHES_LOCK:
        table = _SHARED.get(ix)
        shared = next(reversed(table.values())) if table else None
    if shared is None:
        return []
    with shared.lock:
        values = [shared.live, shared.docs, *shared.lengths.values(), *shared.kept.values()]
    out: list[np.ndarray] = []
    for v in values:  # an array, or a tuple holding some (codes and their labels)
        out.extend(x for x in (v if isinstance(v, tuple) else (v,)) if isinstance(x, np.ndarray))
    return out


# Per whoosh index object: values computed from one segment (see Corpus.per_segment).
_SEGMENT_DATA: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _segment_data_for(ix: object, live: set[str]) -> dict[tuple, object]:
    """The index's per-segment store, without entries of segments no longer in it."""
    with _CACHES_LOCK:
        store = _per_index(_SEGMENT_DATA, ix, dict)
        for key in [k for k in store if k[0] not in live]:
            del store[key]
        return store


_CORPORA_LOCK = threading.Lock()


def corpus_for(searcher: Searcher) -> Corpus:
    """The Corpus of a searcher, built once per searcher (a searcher sees one commit).

    Kept on the searcher itself, so it goes when the searcher does: in a WeakKeyDictionary
    keyed by the searcher, the Corpus (which holds its searcher) kept every searcher a server
    ever opened alive, with its copies of the segment files (about 70 MB a commit on ncp).
    """
    got = getattr(searcher, "_gongwen_corpus", None)
    if got is None:
        made = Corpus(searcher)  # outside the lock: other threads' searchers need not wait
        with _CORPORA_LOCK:
            got = getattr(searcher, "_gongwen_corpus", None)
            if got is None:
                got = searcher._gongwen_corpus = made  # type: ignore[attr-defined]
    return got


# -- BM25F -------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldWeight:
    field: str
    weight: float
    b: float


def idf(n_docs: int, df: int) -> float:
    """BM25's idf, floored at a small positive value."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def bm25f(corpus: Corpus, fields: Iterable[FieldWeight], terms: dict[str, float],
          k1: float, out: np.ndarray, within: np.ndarray | None = None) -> None:
    """Add the BM25F score of each term (weighed by the query's weight of it) into out.

    ``within``: a mask of the records that need a score (others keep theirs): an AND query
    scores its few matches, not every record holding one of its common words. A record's
    score is the same either way (each is computed alone; idf counts every document).
    """
    fields = tuple(fields)
    docs = corpus.docs
    norms = [_norm(corpus, fw) for fw in fields]
    every_record_a_doc = corpus.n_docs == corpus.size  # nothing deleted, no other records
    acc = np.zeros(corpus.size, dtype=np.float32)  # pseudo-frequency, reset after each term
    seen = np.zeros(corpus.size, dtype=bool)
    for term, qweight in terms.items():
        parts = []
        for fw, norm in zip(fields, norms):
            ids, tf = corpus.postings(fw.field, term)
            if within is not None and len(ids):
                keep = within[ids]
                ids, tf = ids[keep], tf[keep]
            if len(ids):
                parts.append((ids, tf, norm))
        if not parts:
            continue
        if len(parts) == 1:  # in one field only: nothing to add up across fields
            ids, tf, norm = parts[0]
            tfn = tf * norm[ids]
        else:
            union = []
            for ids, tf, norm in parts:
                acc[ids] += tf * norm[ids]  # ids are unique within a field
                new = ids[~seen[ids]]
                seen[new] = True
                union.append(new)
            ids = np.concatenate(union)
            tfn = acc[ids]
            acc[ids] = 0.0
            seen[ids] = False
        if not every_record_a_doc:
            keep = docs[ids]
            ids, tfn = ids[keep], tfn[keep]
        if len(ids):
            df = len(ids) if within is None else doc_frequency(corpus, fields, term)
            w = qweight * idf(corpus.n_docs, df)
            out[ids] += w * tfn * (k1 + 1.0) / (k1 + tfn)


def _norm(corpus: Corpus, fw: FieldWeight) -> np.ndarray:
    """weight / BM25's length normalization of every record (per searcher, not per query)."""
    def make() -> np.ndarray:
        lens = corpus.lengths(fw.field)
        return fw.weight / (1.0 - fw.b + fw.b * lens / corpus.avg_length(fw.field))

    return corpus.cached(("\x00norm", fw), make, keep=True)


def doc_frequency(corpus: Corpus, fields: tuple[FieldWeight, ...], term: str) -> int:
    """Live documents with the term in any of the fields."""
    def count() -> int:
        has = np.zeros(corpus.size, dtype=bool)
        for fw in fields:
            has[corpus.postings(fw.field, term)[0]] = True
        return int(np.count_nonzero(has & corpus.docs))

    return corpus.cached(("\x00df", corpus.live_signature, tuple(fw.field for fw in fields),
                          term), count)
