"""Which documents match a parsed query, and how they rank.

Matching. A *unit* (a word, or a word jieba cut into pieces, or an abbreviation with its
full forms) matches a document that has all of its jieba words, or all of its character
bigrams, in the title or the body. Two or three keywords must all match; a question or a long
sentence needs only some of its units (:attr:`RankParams.min_match`), because it is full of
words the answer does not repeat. Phrases and identifiers must always match.

Ranking. BM25F over the title and body of each tokenization (jieba words; character bigrams),
the two added with weights; question words are not scored, function words only inside the
bigrams they form with their neighbours. The top documents are then re-ranked on their text:
how much of the query's weight they cover, how much a short window of them covers, and how
many of the query's character trigrams they contain (the same words in the same order).
Documents that *are* a 发文字号 or issue the query names come first.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from whoosh.fields import Schema
from whoosh.query import Query

from index.analysis import _RUN_RE, normalize_text
from index.analysis.terms import title_key
from index.search.authority import citation_counts
from index.search.query import (DOC_PAIRS, FUNCTION_WORDS, QUESTION_WORDS, Clause, ParsedQuery,
                                Unit, content_text, phrase_query, tokens)
from index.search.scoring import Corpus, FieldWeight, bm25f, idf

IDENT_BOOST = 1000.0  # a document that is the identifier asked for outranks everything else
SCORE_ALL = 0.25  # a query matching more than this share of the records scores them all


@dataclass(frozen=True)
class RankParams:
    """Ranking parameters (tuned on the dev halves of ../shared/data, see README)."""

    k1_words: float = 1.6
    k1_bigrams: float = 1.6
    b_body: float = 0.75
    b_title: float = 0.5
    title_weight: float = 2.0
    words_weight: float = 0.55
    bigrams_weight: float = 0.45
    alternative_weight: float = 0.6  # an expansion's terms, relative to the form typed
    min_match: float = 0.0  # share of a question's units a match needs (at least one)
    rerank_depth: int = 30
    coverage_weight: float = 0.25
    window_weight: float = 0.6  # a short window holding most of the query: the answer's sentence
    window_chars: int = 50
    trigram_weight: float = 0.1
    citation_weight: float = 0.15  # the citation prior (index.search.authority)


@dataclass
class Plan:
    """What to look up: scored terms per tokenization, units to match, phrases, identifiers."""

    words: dict[str, float] = field(default_factory=dict)
    bigrams: dict[str, float] = field(default_factory=dict)
    units: list[tuple[Unit, bool]] = field(default_factory=list)  # (unit, prefix allowed)
    phrases: list[Clause] = field(default_factory=list)
    idents: list[Clause] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)  # query text for the text features
    names: list[str] = field(default_factory=list)  # bare words, as a bulletin's name might be
    question: bool = False
    any_units: bool = False  # the any-of-the-words search: see match_mask
    groups: list[int] = field(default_factory=list)  # per unit: which bare clause it is of


def _add(terms: dict[str, float], toks: list[str], weight: float) -> None:
    for t in toks:
        terms[t] = terms.get(t, 0.0) + weight


def make_plan(schema: Schema, parsed: ParsedQuery, params: RankParams) -> Plan:
    """The terms and units of the positive clauses of a parsed query."""
    plan = Plan(question=parsed.question)
    for c in parsed.positive:
        if c.ident is not None or c.phrase:
            (plan.idents if c.ident is not None else plan.phrases).append(c)
            _add(plan.bigrams, tokens(schema, "body_bg", c.text), 1.0)
            _add(plan.words, tokens(schema, "body", c.text), 1.0)
            plan.segments.append(c.text)
            continue
        lone = len(c.units) == 1
        plan.groups += [len(plan.names)] * len(c.units)
        plan.units += [(u, lone) for u in c.units]
        plan.names.append(title_key(c.text))
        text = content_text(schema, c.text) if parsed.question else c.text
        plan.segments += text.split()
        _add(plan.bigrams, tokens(schema, "body_bg", text), 1.0)
        skip = QUESTION_WORDS | FUNCTION_WORDS if parsed.question else frozenset()
        _add(plan.words, [w for u in c.units for w in u.words if w not in skip], 1.0)
        for u in c.units:
            own = tokens(schema, "body_bg", u.text)
            for alt in u.alternatives:
                alt_bigrams = tokens(schema, "body_bg", alt.text)
                w = params.alternative_weight * min(1.0, len(own) / max(1, len(alt_bigrams)))
                _add(plan.bigrams, alt_bigrams, w)
    return plan


# -- matching ------------------------------------------------------------------------------

def parts_empty() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


def _present(corpus: Corpus, fields: tuple[str, ...], term: str) -> np.ndarray:
    """A mask of the records with the term in any of the fields."""
    mask = np.zeros(corpus.size, dtype=bool)
    for f in fields:
        mask[corpus.postings(f, term)[0]] = True
    return mask


def _all_of(corpus: Corpus, fields: tuple[str, ...], terms: list[str]) -> np.ndarray:
    """A mask of the records with every term (each in any of the fields)."""
    out = None
    for t in dict.fromkeys(terms):
        got = _present(corpus, fields, t)
        out = got if out is None else out & got
        if not out.any():
            break
    return np.zeros(corpus.size, dtype=bool) if out is None else out


def unit_mask(corpus: Corpus, schema: Schema, unit: Unit, prefix_ok: bool) -> np.ndarray:
    """Records a unit matches: all its words, or all its bigrams, or an alternative's bigrams."""
    found = np.zeros(corpus.size, dtype=bool)
    for u in (unit,) + unit.alternatives:
        if u is unit and u.words:  # an alternative is a fixed form: its bigrams only
            found |= _all_of(corpus, ("title", "body"), list(u.words))
        bigrams = tokens(schema, "body_bg", u.text)
        if prefix_ok and len(bigrams) == 1 and len(bigrams[0]) == 1 and not bigrams[0].isascii():
            for f in ("title_bg", "body_bg"):
                found[corpus.prefix_postings(f, bigrams[0])] = True
        elif bigrams:
            found |= _all_of(corpus, ("title_bg", "body_bg"), bigrams)
    return found


def query_records(corpus: Corpus, q: Query) -> np.ndarray:
    """Records a whoosh query matches (phrases, negations, filters whoosh must check)."""
    return np.fromiter(corpus.searcher.docs_for_query(q), dtype=np.int64)


def ident_records(corpus: Corpus, schema: Schema, c: Clause,
                  names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(records that are the identifier, those that are it under a name the query gives,
    records that match it at all)."""
    field_name = "doc_number" if c.ident.kind == "doc_number" else "issue"
    exact = named = parts_empty()
    if field_name in schema:
        for term in c.ident.terms:
            exact = corpus.postings(field_name, term)[0]
            if len(exact):
                named = np.unique(np.concatenate(
                    [corpus.postings(field_name, name + term)[0] for name in names] + [named]))
                break
    mentioned = exact
    seqs = {tuple(tokens(schema, "body_bg", text)): text  # as printed, and as typed if apart
            for text in (c.text, c.ident.canonical or c.text)}
    for text in seqs.values():
        q = phrase_query(schema, text, DOC_PAIRS)
        if q is not None:
            mentioned = np.union1d(mentioned, query_records(corpus, q))
    return exact, named, mentioned


def match_mask(corpus: Corpus, schema: Schema, plan: Plan, params: RankParams,
               boosts: np.ndarray) -> np.ndarray:
    """Live document records that match the plan; identifier boosts are added into boosts."""
    mask = corpus.docs.copy()
    if plan.units and plan.any_units and len(set(plan.groups)) > 1:
        # any of the words as typed (space-separated), each whole: 白州工匠 宇宙飞船
        whole: dict[int, np.ndarray] = {}
        for (unit, prefix_ok), group in zip(plan.units, plan.groups):
            got = unit_mask(corpus, schema, unit, prefix_ok)
            whole[group] = got if group not in whole else whole[group] & got
        mask &= np.logical_or.reduce(list(whole.values()))
    elif plan.units:
        need = len(plan.units)
        if plan.question:  # some units, and (see run_search) any scored term
            need = math.ceil(params.min_match * len(plan.units))
        if plan.any_units:
            need = 1
        if need:  # (a question needing none skips a pass per word and bigram of it)
            counts = np.zeros(corpus.size, dtype=np.int32)
            for unit, prefix_ok in plan.units:
                counts += unit_mask(corpus, schema, unit, prefix_ok)
            mask &= counts >= need
    for c in plan.phrases:
        q = phrase_query(schema, c.text, DOC_PAIRS)
        hit = np.zeros(corpus.size, dtype=bool)
        if q is not None:
            hit[query_records(corpus, q)] = True
        mask &= hit
    for c in plan.idents:
        exact, named, any_match = ident_records(corpus, schema, c, plan.names)
        hit = np.zeros(corpus.size, dtype=bool)
        hit[any_match] = True
        mask &= hit
        boosts[exact] += IDENT_BOOST
        boosts[named] += IDENT_BOOST  # 改革快报 第12期: that bulletin's issue, not another's
    return mask


# -- scoring -------------------------------------------------------------------------------

def bm25_scores(corpus: Corpus, plan: Plan, params: RankParams,
                within: np.ndarray | None = None) -> np.ndarray:
    """BM25F of the jieba words plus BM25F of the bigrams, for every record (``within``: for
    the records of that mask only, 0 elsewhere)."""
    if within is not None and np.count_nonzero(within) > SCORE_ALL * corpus.size:
        within = None  # most records: filtering the postings would cost more than it saves
    out = np.zeros(corpus.size, dtype=np.float32)
    for weight, terms, k1, (title, body) in (
            (params.words_weight, plan.words, params.k1_words, ("title", "body")),
            (params.bigrams_weight, plan.bigrams, params.k1_bigrams, ("title_bg", "body_bg"))):
        if not terms or not weight:
            continue
        part = np.zeros(corpus.size, dtype=np.float32)
        bm25f(corpus, (FieldWeight(title, params.title_weight, params.b_title),
                       FieldWeight(body, 1.0, params.b_body)), terms, k1, part, within)
        out += weight * part
    if params.citation_weight:
        out *= _prior(corpus, params.citation_weight)
    return out


def _prior(corpus: Corpus, weight: float) -> np.ndarray:
    """The citation prior's factor per record (per searcher, not per query)."""
    return corpus.cached(("\x00prior", weight),
                         lambda: 1.0 + weight * np.log1p(citation_counts(corpus)), keep=True)


class TextFeatures:
    """Re-ranking features of a document's text against the query's bigrams and trigrams."""

    def __init__(self, corpus: Corpus, plan: Plan, params: RankParams) -> None:
        self.params = params
        n = corpus.n_docs

        def weight(bigram: str) -> float:
            df = max(len(corpus.postings("body_bg", bigram)[0]),
                     len(corpus.postings("title_bg", bigram)[0]), 1)
            return idf(n, df)

        # The query's bigram tokens (and lone characters, Latin words) with their idf.
        # (an expansion's terms count as much as the query weighs them)
        self.terms: dict[str, float] = {b: weight(b) * min(1.0, q) for b, q in plan.bigrams.items()}
        self.trigrams: dict[str, float] = {}
        for seg in plan.segments:
            for run in _cjk_runs(normalize_text(seg)):
                for i in range(len(run) - 2):
                    g = run[i:i + 3]
                    if g not in self.trigrams:
                        self.trigrams[g] = min(self.terms.get(g[:2], 0.0),
                                               self.terms.get(g[1:], 0.0))
        self.total = sum(self.terms.values()) or 1.0
        self.tri_total = sum(self.trigrams.values()) or 1.0

    def ceiling(self) -> float:
        """The most :meth:`score` can give any text (inf when a weight is negative: no bound)."""
        p = self.params
        parts = (p.coverage_weight, p.window_weight, p.trigram_weight if self.trigrams else 0.0)
        if min(parts) < 0 or any(w < 0 for w in self.terms.values()) or \
                any(w < 0 for w in self.trigrams.values()):
            return math.inf
        return sum(parts)  # each share is at most 1: a part of its own total

    def score(self, text: str) -> float:
        """Coverage, best-window coverage and trigram share, weighted (0 … about 1)."""
        p = self.params
        cover = sum(w for b, w in self.terms.items() if b in text) / self.total
        tri = sum(w for g, w in self.trigrams.items() if g in text) / self.tri_total
        return p.coverage_weight * cover + p.window_weight * self._window(text) + \
            p.trigram_weight * tri

    def _window(self, text: str) -> float:
        if not self.params.window_weight:
            return 0.0
        terms, width = self.terms, self.params.window_chars  # locals: this loop is hot
        hits = []
        for b in terms:
            i = text.find(b)
            while i >= 0:
                hits.append((i, b))
                i = text.find(b, i + 1)
        hits.sort()
        seen: dict[str, int] = dict.fromkeys(terms, 0)
        best = cur = 0.0
        lo = 0
        for pos, b in hits:
            seen[b] += 1
            cur += terms[b] if seen[b] == 1 else 0.0
            while hits[lo][0] < pos - width:
                old = hits[lo][1]
                seen[old] -= 1
                cur -= terms[old] if seen[old] == 0 else 0.0
                lo += 1
            if cur > best:
                best = cur
        return best / self.total


def _cjk_runs(text: str) -> list[str]:
    return [m.group(0) for m in _RUN_RE.finditer(text) if m.lastgroup == "cjk"]
