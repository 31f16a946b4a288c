"""What an empty or thin page offers instead (issue 13): the identifiers no document is, with
the nearest that exist; a respelled query (did you mean); the same words, any of them.

Each offer is counted by running it (``count``), so a link never promises results it
does not have; none of this runs when a search finds enough.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from index.search.nearest import missing
from index.search.query import ParsedQuery
from index.search.ranking import Plan
from index.search.scoring import Corpus
from index.search.suggest import THIN_RESULTS, did_you_mean
from index.types import Offer, SearchRequest, SearchResults


def with_offers(results: SearchResults, corpus: Corpus, parsed: ParsedQuery, plan: Plan,
                req: SearchRequest, count: Callable[[SearchRequest], int]) -> SearchResults:
    """results with ``missing``, ``suggestion`` and ``any_words`` filled where they apply."""
    idents = [c.ident for c in plan.idents]
    gone = missing(corpus, idents, plan.names) if idents else ()
    suggestion = any_words = None
    if results.total < THIN_RESULTS and not plan.question:
        respelled = did_you_mean(corpus, corpus.searcher.schema, req.q, parsed)
        if respelled is not None:
            total = count(replace(req, q=respelled, page=1))
            if total > results.total:
                suggestion = Offer(respelled, total)
    if results.total == 0 and not req.any_words and len(plan.units) > 1:
        total = count(replace(req, any_words=True, page=1))
        if total:
            any_words = Offer(req.q, total)
    if not (gone or suggestion or any_words):
        return results
    return replace(results, missing=gone, suggestion=suggestion, any_words=any_words)
