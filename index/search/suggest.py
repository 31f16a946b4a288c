"""Did you mean, from the index's own character bigrams (no spelling dictionary needed).

A run of Han characters in the query that no document contains as a phrase (白洲工匠) is
respelled one edit away: a character after the first changed, two neighbours swapped, or
(failing those) an inner character dropped. Only
spellings whose every bigram is in the index's vocabulary are kept (白州 and 州工 exist;
:mod:`index.search.vocabulary`), ranked by how many documents hold all their bigrams
(postings already cached), and the best few are counted as phrases: the spelling that most
documents contain wins. Only an empty or thin result pays for this.
"""
from __future__ import annotations

import re

import numpy as np
from whoosh.fields import Schema

from index.analysis import normalize_text
from index.search.query import DOC_PAIRS, ParsedQuery, phrase_query
from index.search.ranking import query_records
from index.search.scoring import Corpus
from index.search.vocabulary import BIGRAM_FIELDS, bigram_df, chars_after, has_bigram

THIN_RESULTS = 3  # fewer matching documents than this: look for a better spelling
MAX_RUNS = 4  # runs of a query respelled
MAX_SPELLINGS = 40  # spellings of one run whose postings are read (the most common first)
MAX_PHRASES = 8  # spellings of one run counted as phrases
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")


def _bigrams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)]


def _bag_count(corpus: Corpus, text: str) -> int:
    """Live documents with every bigram of text, anywhere (a cheap upper bound of the phrase)."""
    mask = corpus.docs.copy()
    for bg in dict.fromkeys(_bigrams(text)):
        has = np.zeros(corpus.size, dtype=bool)
        for field in BIGRAM_FIELDS:
            has[corpus.postings(field, bg)[0]] = True
        mask &= has
        if not mask.any():
            return 0
    return int(mask.sum())


def phrase_count(corpus: Corpus, schema: Schema, text: str) -> int:
    """Live documents that contain text as a phrase (title or body)."""
    q = phrase_query(schema, text, DOC_PAIRS)
    if q is None:
        return 0
    found = query_records(corpus, q)
    return int(corpus.docs[found].sum()) if len(found) else 0


def phrase_found(corpus: Corpus, schema: Schema, text: str) -> bool:
    """Whether any live document contains text as a phrase: stops at the first one.

    Counting every document of a common word (人民法院) through whoosh's phrase matcher took
    tens of milliseconds; a word typed right is mostly found at once.
    """
    q = phrase_query(schema, text, DOC_PAIRS)
    docs = corpus.docs
    return q is not None and any(docs[n] for n in corpus.searcher.docs_for_query(q))


def _edits(corpus: Corpus, run: str) -> dict[str, int]:
    """Spellings one change or swap from run whose changed bigrams all exist: spelling → their
    rarest df."""
    out: dict[str, int] = {}
    n = len(run)
    for i in range(1, n):  # the first character is taken as typed (see vocabulary.py)
        left, right = run[i - 1], (run[i + 1] if i + 1 < n else "")
        for c in chars_after(corpus, left) - {run[i]}:
            if right and not has_bigram(corpus, c + right):
                continue
            df = bigram_df(corpus, left + c)
            out[run[:i] + c + run[i + 1:]] = min(df, bigram_df(corpus, c + right)) if right else df
    for i in range(n - 1):  # two neighbours swapped
        _keep(corpus, out, run[:i] + run[i + 1] + run[i] + run[i + 2:], run)
    return out


def _drops(corpus: Corpus, run: str) -> dict[str, int]:
    """Spellings with one inner character dropped (产业业工人): tried only when no change or
    swap is found, since a shorter text is always found at least as often."""
    out: dict[str, int] = {}
    for i in range(1, len(run) - 1):
        _keep(corpus, out, run[:i] + run[i + 1:], run)
    return out


def _keep(corpus: Corpus, out: dict[str, int], spelling: str, run: str) -> None:
    if spelling != run and spelling not in out:
        dfs = [bigram_df(corpus, bg) for bg in _bigrams(spelling)]
        if dfs and min(dfs) > 0:
            out[spelling] = min(dfs)


def respell(corpus: Corpus, schema: Schema, run: str) -> str | None:
    """The spelling one edit from run that most documents contain as a phrase, or None."""
    for edits in (_edits, _drops):
        best = _most_found(corpus, schema, edits(corpus, run))
        if best is not None:
            return best
    return None


def _most_found(corpus: Corpus, schema: Schema, edits: dict[str, int]) -> str | None:
    ranked = sorted(edits.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SPELLINGS]
    bags = sorted(((_bag_count(corpus, s), s) for s, _ in ranked), key=lambda cs: (-cs[0], cs[1]))
    best, best_count = None, 0
    for bag, spelling in bags[:MAX_PHRASES]:
        if bag <= best_count:
            break
        count = phrase_count(corpus, schema, spelling)
        if count > best_count:
            best, best_count = spelling, count
    return best


def runs(parsed: ParsedQuery) -> list[str]:
    """The Han runs of the query's words and phrases (not of its identifiers)."""
    out = []
    for c in parsed.positive:
        if c.ident is None:
            out += _HAN_RUN.findall(normalize_text(c.text))
    return list(dict.fromkeys(out))[:MAX_RUNS]


def did_you_mean(corpus: Corpus, schema: Schema, q: str, parsed: ParsedQuery) -> str | None:
    """The query with its misspelled runs respelled, or None when none is found.

    A run is misspelled when no document contains it as a phrase.
    """
    text, changed = normalize_text(q), False
    for run in runs(parsed):
        if phrase_found(corpus, schema, run):
            continue
        better = respell(corpus, schema, run)
        if better is not None:
            text, changed = text.replace(run, better), True
    return text if changed else None
