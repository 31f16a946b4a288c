"""The citation prior: how many records cite a record's work, read from the index.

Official documents cite the documents they rest on by title, in 《…》: a
notice cites the opinion it implements, a judicial interpretation the law it interprets. How
many documents in the index cite a work is a measure of its authority that comes from the
corpus itself (as links do on the web). A document's BM25 score is multiplied by
``1 + weight · ln(1 + citations of its work)``, so that among documents that match a question
about as well, the one the corpus leans on comes first; the prior never makes a document match.

What a record cites and which work it belongs to are computed when it is written
(:func:`index.analysis.terms.ranking_fields`).
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np


def citation_counts(corpus: Any) -> np.ndarray:
    """For every record, how many records cite its work (0 where unknown)."""
    def build() -> np.ndarray:
        if "work" not in corpus.searcher.schema or "cites" not in corpus.searcher.schema:
            return np.zeros(corpus.size, dtype=np.float32)
        cited: Counter[str] = Counter()
        for leaf in corpus.leaves:  # per segment: a new commit reads only its own segment
            cited.update(corpus.per_segment(leaf, ("cites",), lambda leaf=leaf: _cites(leaf)))
        codes, works = corpus.codes("work")
        counts = np.array([cited.get(w, 0) if w else 0 for w in works], dtype=np.float32)
        return counts[codes]

    return corpus.cached(("citations",), build, keep=True)


def _cites(leaf: Any) -> dict[str, int]:
    """How many records of one segment cite each title."""
    reader = leaf.reader
    if "cites" not in reader.indexed_field_names():
        return {}
    return {term.decode("utf-8"): info.doc_frequency()  # whoosh yields the terms as bytes
            for term, info in reader.iter_field("cites")}
