"""The index's own vocabulary of character bigrams and identifiers, looked up, never scanned.

Spelling suggestions (:mod:`index.search.suggest`) ask which characters can stand next to a
given one; the unknown-identifier notice (:mod:`index.search.nearest`) asks which 发文字号 and
issue numbers exist. Both come from the term lists of the segments: what a lexicon range gives
directly (bigrams starting with 白) is read from it; the reverse map (bigrams ending with 工)
and the identifier lists are built once per segment (segments never change) and kept.
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


def _before_map(terms: list[str]) -> dict[str, str]:
    """char → the characters that precede it in some Han bigram."""
    out: dict[str, list[str]] = {}
    for t in terms:
        if len(t) == 2 and is_cjk_char(t[0]) and is_cjk_char(t[1]):
            out.setdefault(t[1], []).append(t[0])
    return {k: "".join(v) for k, v in out.items()}


def chars_before(corpus: Corpus, char: str) -> set[str]:
    """Han characters c such that c+char is a bigram of some document."""
    out: set[str] = set()
    for leaf in corpus.leaves:
        for field in BIGRAM_FIELDS:
            got = corpus.per_segment(leaf, ("before", field),
                                     lambda leaf=leaf, field=field:
                                     _before_map(_terms(leaf, field)))
            out.update(got.get(char, ""))
    return out


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
    """Records with the bigram in the body or the title (deleted ones included: a guide only)."""
    return sum(leaf.reader.doc_frequency(field, bigram)
               for leaf in corpus.leaves for field in BIGRAM_FIELDS)


def field_values(corpus: Corpus, field: str) -> list[str]:
    """Every term of a small keyword field (doc_number, issue), sorted, once per segment."""
    values: set[str] = set()
    for leaf in corpus.leaves:
        values.update(corpus.per_segment(leaf, ("terms", field),
                                         lambda leaf=leaf: tuple(_terms(leaf, field))))
    return sorted(values)
