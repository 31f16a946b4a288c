"""Exact titles (issue 12): a query that is a whole title, in 《》 or typed bare, finds the
document of that title (or the notice issuing it) first.

The query is keyed like the titles were when written (:func:`index.analysis.terms.match_key`:
full and half width alike, spaces, quotes and 《》〈〉 dropped) and looked up in the ``titles``
field: one term, whatever the size of the index.
"""
from __future__ import annotations

import numpy as np

from index.analysis.terms import match_key
from index.search.scoring import Corpus

MIN_KEY = 4  # shorter queries (通知, 意见) are words, not titles


def title_records(corpus: Corpus, q: str) -> np.ndarray:
    """Live document records whose title (or issued work) is the whole query."""
    if "titles" not in corpus.searcher.schema:
        return np.zeros(0, dtype=np.int64)
    key = match_key(q)
    if len(key) < MIN_KEY:
        return np.zeros(0, dtype=np.int64)
    ids = corpus.postings("titles", key)[0]
    return ids[corpus.docs[ids]] if len(ids) else ids
