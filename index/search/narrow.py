"""What narrows a search beyond its words (issue 13): the query's branches (OR, NOT), the
scope (title or body only), facet choices, and the sorts by date ascending and by 期号.

Every mask here is over all records; run_search ANDs them with what the words match.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.fields import Schema
from whoosh.query import NumericRange, Query, Term

from index.search.query import (TITLE_PAIRS, Clause, ParsedQuery, clause_query, filter_query,
                                parse_query)
from index.search.ranking import query_records
from index.search.scoring import Corpus
from index.search.syntax import Branch, branches

BODY_PAIRS = (("body", "body_bg", 1.0),)


def records(corpus: Corpus, q: Query) -> np.ndarray:
    """Records of a filter query: postings and columns where we can, whoosh otherwise."""
    if isinstance(q, Term) and q.fieldname in ("doc_type", "kind", "doc_number", "role", "issuers",
                                               "journal", "kind_key", "topic", "issue"):
        return corpus.postings(q.fieldname, q.text)[0]
    if isinstance(q, NumericRange) and q.fieldname in ("year", "date", "pub_date"):
        col = corpus.column(q.fieldname).astype(np.int64)
        low = q.start if q.start is not None else col.min(initial=0)
        high = q.end if q.end is not None else col.max(initial=0)
        return np.flatnonzero((col >= low) & (col <= high))
    return query_records(corpus, q)


def parse_branches(q: str, schema: Schema, expander: Any) -> list[tuple[Branch, ParsedQuery]]:
    """The query's branches (index.search.syntax), each parsed by the plain parser."""
    return [(b, parse_query(b.q, schema, expander)) for b in branches(q)]


def merged(parsed: list[ParsedQuery]) -> ParsedQuery:
    """One query of every branch's clauses: what is scored and highlighted."""
    if len(parsed) == 1:
        return parsed[0]
    clauses = tuple(dict.fromkeys(c for p in parsed for c in p.clauses))
    return ParsedQuery(clauses, tuple(dict.fromkeys(f for p in parsed for f in p.filters)),
                       any(p.question for p in parsed))


def scope_mask(corpus: Corpus, schema: Schema, parsed: ParsedQuery, scope: str) -> np.ndarray:
    """Records whose title (scope title) or body (scope body) holds every positive clause."""
    mask = np.ones(corpus.size, dtype=bool)
    if scope == "all":
        return mask
    pairs = TITLE_PAIRS if scope == "title" else BODY_PAIRS
    for c in parsed.positive:
        q = clause_query(schema, c if c.units or c.phrase else Clause(c.text, phrase=True), pairs)
        if q is not None:
            keep = np.zeros(corpus.size, dtype=bool)
            keep[query_records(corpus, q)] = True
            mask &= keep
    return mask


def choice_mask(corpus: Corpus, schema: Schema, name: str, values: tuple[str, ...],
                 issuer_sub: bool) -> np.ndarray:
    """Records with any of the chosen values of one facet."""
    mask = np.zeros(corpus.size, dtype=bool)
    for value in values:
        if name == "issuer":
            q = filter_query(schema, "issuer" if issuer_sub else "issuer_exact", value)
        else:
            q = filter_query(schema, {"kind": "kind_key"}.get(name, name), value)
        if q is not None:
            mask[records(corpus, q)] = True
    return mask


def by_date_asc(corpus: Corpus, matches: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Oldest first; undated documents last here too; ties by relevance, then record."""
    dates = corpus.column("date")[matches].astype(np.int64)
    dates[dates == 0] = 99999999
    return matches[np.lexsort((matches, -scores[matches], dates))]


def by_issue(corpus: Corpus, matches: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Each series (刊名) in the order of its issues; documents of no series last, newest first."""
    codes, labels = corpus.codes("journal")
    series = codes[matches].astype(np.int64)
    none = np.asarray([str(label) in ("", "None") for label in labels], dtype=bool)
    if len(labels):
        series[none[series]] = len(labels)  # no series: after every series
    order = corpus.column("issue_order")[matches].astype(np.int64)
    dates = corpus.column("date")[matches].astype(np.int64)
    return matches[np.lexsort((matches, -dates, order, series))]


SORTERS = {"date_asc": by_date_asc, "issue": by_issue}
