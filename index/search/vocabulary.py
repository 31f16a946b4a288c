"""The index's own vocabulary of character bigrams and identifiers, looked up, never scanned.

Spelling suggestions (:mod:`index.search.suggest`) ask which characters can follow a given
one (a lexicon range: the bigrams that start with 白) and whether a bigram exists; the
unknown-identifier notice (:mod:`index.search.nearest`) asks which 发文字号 and issue numbers
exist (small keyword fields, listed once per segment and kept: segments never change). No
reverse map (the bigrams that end with 工) is kept: listing a large index's half-million
bigrams to build one takes seconds.
"""
from __future__ import annotations

from index.analysis import is_cjk_char
from index.search.scoring import Corpus

BIGRAM_FIELDS = ("body_bg", "title_bg")


def _terms(leaf: object, field: str) -> list[str]:
    try:
        return list(leaf.reader.field_terms(field))
    except KeyError:  # the field has no terms in this segment
        return []


def has_bigram(corpus: Corpus, bigram: str) -> bool:
    """Whether some document has the bigram in its body or title (a lexicon lookup)."""
    return any((field, bigram) in leaf.reader for leaf in corpus.leaves for field in BIGRAM_FIELDS)


def chars_after(corpus: Corpus, char: str) -> set[str]:
    """Han characters c such that char+c is a bigram of some document (a lexicon range)."""
    out: set[str] = set()
    for leaf in corpus.leaves:
        for field in BIGRAM_FIELDS:
            try:
                terms = leaf.reader.expand_prefix(field, char)
            except KeyError:
                continue
            for t in terms:  # whoosh gives the raw (UTF-8) terms here
                t = t.decode("utf-8") if isinstance(t, bytes) else t
                if len(t) == 2 and is_cjk_char(t[1]):
                    out.add(t[1])
    return out


def bigram_df(corpus: Corpus, bigram: str) -> int:
    """Records with the bigram, title or body (deleted ones included: a guide only).

    The body's count unless the body lacks it: one lookup per segment for most bigrams."""
    body = sum(leaf.reader.doc_frequency("body_bg", bigram) for leaf in corpus.leaves)
    return body or sum(leaf.reader.doc_frequency("title_bg", bigram) for leaf in corpus.leaves)


def field_values(corpus: Corpus, field: str) -> list[str]:
    """Every term of a small keyword field (doc_number, issue), sorted, once per segment."""
    values: set[str] = set()
    for leaf in corpus.leaves:
        values.update(corpus.per_segment(leaf, ("terms", field),
                                         lambda leaf=leaf: tuple(_terms(leaf, field))))
    return sorted(values)
