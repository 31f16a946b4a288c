"""From the user's query string and a SearchRequest to whoosh queries.

Syntax: words are ANDed; ``"…"`` (or balanced ``“…”``) is an exact phrase; ``-word``
excludes; ``title:`` ``issuer:`` ``year:`` ``type:`` ``kind:`` ``number:`` (or 标题 发文机关 年份
类型 文种 文号) add a filter.

Every term is searched in a jieba field OR its character-bigram twin, so a word that jieba
cuts differently in the text, or does not know, is still found. A bare term is cut into
"units": jieba's precise-mode words, a single character joined to the word beside it
(州 工匠 → 州工匠); a unit matches its jieba word(s) or all of its bigrams (bag of bigrams:
cheap, and found whatever jieba did to the text). A quoted phrase is its bigrams at consecutive
positions, which is exact whatever jieba does, and cheap (its rarest bigram drives it). A
phrase on the jieba field would add nothing exact and costs seconds on common words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh.fields import Schema
from whoosh.query import (And, AndNot, ConstantScoreQuery, NumericRange, Or, Phrase, Prefix,
                          Query, Term)

from index.analysis import is_cjk_char, normalize_doc_number, normalize_text
from index.types import SORTS, QueryError, SearchRequest
from ingest.model import DOC_TYPES

__all__ = ["normalize_doc_number", "Unit", "Clause", "ParsedQuery", "parse_query",
           "validate_request", "doc_query", "passage_query"]

MAX_QUERY_CHARS = 500
MAX_PER_PAGE = 100
TITLE_BOOST = 2.0

# (jieba field, bigram field, boost) searched for every word and phrase.
DOC_PAIRS = (("title", "title_bg", TITLE_BOOST), ("body", "body_bg", 1.0))
# Passage records keep their text in text/text_bg; a one-passage document in body/body_bg.
PASSAGE_PAIRS = (("text", "text_bg", 1.0), ("body", "body_bg", 1.0))
TITLE_PAIRS = (("title", "title_bg", 1.0),)

FILTER_NAMES = {
    "title": "title", "标题": "title", "issuer": "issuer", "发文机关": "issuer",
    "year": "year", "年份": "year", "type": "doc_type", "doc_type": "doc_type", "类型": "doc_type",
    "kind": "kind", "文种": "kind", "number": "doc_number", "doc_number": "doc_number",
    "文号": "doc_number", "发文字号": "doc_number",
}
_FIELD_RE = re.compile(r"(\w+):")
_CLOSE = {'"': '"', "“": "”"}


@dataclass(frozen=True)
class Unit:
    """A piece of a bare term matched as a whole: jieba's word(s) for it, and its text."""

    text: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Clause:
    """One thing the user asked for: a bare chunk (its units, all required) or a phrase."""

    text: str
    units: tuple[Unit, ...] = ()
    phrase: bool = False
    negated: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for u in self.units for w in u.words)


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()  # (filter name, value) written in the query

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)


def _scan(q: str) -> list[tuple[bool, str | None, str, bool]]:
    """Split into (negated, filter name, text, quoted) items.

    An unpaired ASCII quote is an error; unpaired curly quotes are only punctuation (they
    are common in pasted text).
    """
    items, i, n = [], 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        negated = q[i] == "-" and i + 1 < n and not q[i + 1].isspace()
        i += negated
        name, m = None, _FIELD_RE.match(q, i)
        if m and m.group(1) in FILTER_NAMES:
            name, i = FILTER_NAMES[m.group(1)], m.end()
        j = q.find(_CLOSE[q[i]], i + 1) if i < n and q[i] in _CLOSE else -1
        if i < n and q[i] == '"' and j < 0:
            raise QueryError('unbalanced quote in query: close the phrase with a second "')
        if j >= 0:
            items.append((negated, name, q[i + 1:j], True))
            i = j + 1
            continue
        j = i + 1 if i < n and q[i] in "“”" else i
        while j < n and not q[j].isspace() and q[j] not in '"“':
            j += 1
        if name is not None and not q[i:j].strip("“”"):
            raise QueryError(f"nothing after {m.group(0)} in query")
        items.append((negated, name, q[i:j], False))
        i = j
    return items


def _units(schema: Schema, text: str) -> tuple[Unit, ...]:
    """jieba's precise-mode words as units; a lone character joins its neighbour.

    Single characters are what jieba leaves of a word it does not know (白州工匠 may come out
    as 白州 工匠, or 州工匠 as 州 工匠), so a character is searched together with the word
    next to it: its bigrams with that word are then in the text.
    """
    analyzed = [(t.text, t.startchar, t.endchar)
                for t in schema["body"].analyzer(text, mode="query", chars=True)]
    if not analyzed:  # only stop words: search them anyway
        analyzed = [(t.text, t.startchar, t.endchar)
                    for t in schema["title"].analyzer(text, mode="query", chars=True)]
    spans = [(start, end, (word,)) for word, start, end in analyzed]

    def single(span: tuple[int, int, tuple[str, ...]]) -> bool:
        return span[1] - span[0] == 1 and is_cjk_char(text[span[0]])

    i = 0
    while i + 1 < len(spans):
        a, b = spans[i], spans[i + 1]
        if a[1] == b[0] and (single(a) or single(b)):
            spans[i:i + 2] = [(a[0], b[1], a[2] + b[2])]
        else:
            i += 1
    return tuple(Unit(text[start:end], words) for start, end, words in spans)


def parse_query(q: str, schema: Schema) -> ParsedQuery:
    """Parse the user's query; QueryError (one line) for what cannot be searched."""
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(q)} characters, at most {MAX_QUERY_CHARS}")
    clauses, filters = [], []
    for negated, name, text, quoted in _scan(normalize_text(q)):
        text = text.strip()
        if name is not None:
            filters.append((name, text))
        elif not any(c.isalnum() for c in text):
            continue
        elif quoted:
            clauses.append(Clause(text, phrase=True, negated=negated))
        else:
            clauses.append(Clause(text, _units(schema, text), negated=negated))
    return ParsedQuery(tuple(clauses), tuple(filters))


def _blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def validate_request(req: SearchRequest) -> None:
    """Raise QueryError for a request that cannot be searched as given."""
    if req.page < 1:
        raise QueryError(f"page must be 1 or more, not {req.page}")
    if not 1 <= req.per_page <= MAX_PER_PAGE:
        raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}, not {req.per_page}")
    if req.passages_per_doc < 0:
        raise QueryError("passages_per_doc must be 0 or more")
    if req.sort not in SORTS:
        raise QueryError(f"unknown sort {req.sort!r}: use one of {', '.join(SORTS)}")
    if req.date_from and req.date_to and req.date_from > req.date_to:
        raise QueryError(f"date_from {req.date_from} is after date_to {req.date_to}")
    if _blank(req.doc_type) and req.doc_type.strip() not in DOC_TYPES:
        raise QueryError(f"unknown doc_type {req.doc_type!r}: use one of {', '.join(DOC_TYPES)}")


# -- whoosh query building -------------------------------------------------------------

def tokens(schema: Schema, field: str, text: str, removestops: bool = True) -> list[str]:
    """The query-mode tokens of text in a field."""
    return [t.text for t in schema[field].analyzer(text, mode="query", removestops=removestops)]


def _seq(field: str, toks: list[str], boost: float) -> Query | None:
    if not toks:
        return None
    if len(toks) == 1:
        return Term(field, toks[0], boost=boost)
    return Phrase(field, toks, boost=boost)


def _or(parts: list[Query | None]) -> Query | None:
    parts = [p for p in parts if p is not None]
    return None if not parts else parts[0] if len(parts) == 1 else Or(parts)


def _and(parts: list[Query | None]) -> Query | None:
    parts = [p for p in parts if p is not None]
    return None if not parts else parts[0] if len(parts) == 1 else And(parts)


def _bigram_q(schema: Schema, field: str, text: str, boost: float, prefix_ok: bool,
              phrase: bool) -> Query | None:
    toks = tokens(schema, field, text)
    if prefix_ok and len(toks) == 1 and is_cjk_char(toks[0]):
        # A lone character: the first half of a bigram, or the last character of a run.
        return Prefix(field, toks[0], boost=boost)
    if phrase:
        return _seq(field, toks, boost)
    return _and([Term(field, t, boost=boost) for t in dict.fromkeys(toks)])


def unit_query(schema: Schema, unit: Unit, pairs: tuple, prefix_ok: bool) -> Query | None:
    """One unit: its jieba word(s) in each jieba field, OR all its bigrams in the twin."""
    return _or([q for jf, bf, boost in pairs
                for q in (_and([_seq(jf, tokens(schema, jf, w), boost) for w in unit.words]),
                          _bigram_q(schema, bf, unit.text, boost, prefix_ok, phrase=False))])


def phrase_query(schema: Schema, text: str, pairs: tuple) -> Query | None:
    """An exact phrase: its bigrams at consecutive positions."""
    return _or([_bigram_q(schema, bf, text, boost, True, phrase=True) for _, bf, boost in pairs])


def clause_query(schema: Schema, clause: Clause, pairs: tuple) -> Query | None:
    """A clause that must match: a phrase, or every one of its units."""
    if clause.phrase:
        return phrase_query(schema, clause.text, pairs)
    lone = len(clause.units) == 1
    parts = [unit_query(schema, u, pairs, prefix_ok=lone) for u in clause.units]
    return None if not parts or None in parts else _and(parts)


def _parse_year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise QueryError(f"year must be four digits, not {text!r}")
    return int(text)


def _filter_query(schema: Schema, name: str, value: str) -> Query | None:
    if name == "doc_type":
        if value not in DOC_TYPES:
            raise QueryError(f"unknown doc_type {value!r}: use one of {', '.join(DOC_TYPES)}")
        return Term("doc_type", value)
    if name == "kind":
        return Term("kind", value)
    if name == "year":
        year = _parse_year(value)
        return NumericRange("year", year, year)
    if name == "doc_number":
        number = normalize_doc_number(value)
        exact = Term("doc_number", number)
        return exact if number.endswith("号") else Or([exact, Prefix("doc_number", number)])
    if name == "issuer":
        return _and([_bigram_q(schema, "issuer", part, 1.0, True, phrase=True)
                     for part in value.split()])
    if name == "title":
        parsed = parse_query(value, schema)
        return _and([clause_query(schema, c, TITLE_PAIRS) for c in parsed.positive])
    raise AssertionError(name)


def filter_queries(schema: Schema, req: SearchRequest, parsed: ParsedQuery) -> list[Query]:
    """The request's filters and the query's inline ones, each a query on document records."""
    named = [(n, _blank(v)) for n, v in (("doc_type", req.doc_type), ("kind", req.kind),
                                         ("title", req.title), ("issuer", req.issuer),
                                         ("doc_number", req.doc_number))]
    named += [("year", str(req.year))] if req.year is not None else []
    out = []
    for name, value in named + [(n, normalize_text(v)) for n, v in parsed.filters]:
        if value:
            q = _filter_query(schema, name, value)
            # A filter that analyzes to nothing (only punctuation) matches nothing.
            out.append(q if q is not None else Term("role", "\x00none"))
    if req.date_from or req.date_to:
        start = int(req.date_from.strftime("%Y%m%d")) if req.date_from else 10000101
        end = int(req.date_to.strftime("%Y%m%d")) if req.date_to else 99991231
        out.append(NumericRange("date", start, end))
    return out


def doc_query(schema: Schema, parsed: ParsedQuery, req: SearchRequest) -> Query:
    """The document-level query: every positive clause, the filters, minus negated clauses."""
    parts = [clause_query(schema, c, DOC_PAIRS) for c in parsed.positive]
    if any(p is None for p in parts):
        return Term("role", "\x00none")  # a clause that analyzes to nothing matches nothing
    if not parts:
        parts = [ConstantScoreQuery(Term("role", "doc"), 0.0)]
    parts += [ConstantScoreQuery(f, 0.0) for f in filter_queries(schema, req, parsed)]
    q = _and(parts)
    negatives = _or([clause_query(schema, c, DOC_PAIRS) for c in parsed.negative])
    return AndNot(q, negatives) if negatives is not None else q


def passage_query(schema: Schema, parsed: ParsedQuery, doc_ids: list[str]) -> Query | None:
    """Passages of the given documents matching any unit or phrase (more matches score more)."""
    atoms = []
    for c in parsed.positive:
        if c.phrase:
            atoms.append(phrase_query(schema, c.text, PASSAGE_PAIRS))
        else:
            lone = len(c.units) == 1
            atoms += [unit_query(schema, u, PASSAGE_PAIRS, lone) for u in c.units]
    match = _or(atoms)
    if match is None or not doc_ids:
        return None
    return And([_or([Term("doc_id", d) for d in doc_ids]), Term("role", "psg"), match])


def has_text(parsed: ParsedQuery) -> bool:
    """Whether the query has words to rank by (else it only browses with filters)."""
    return bool(parsed.positive)


def is_empty(parsed: ParsedQuery, req: SearchRequest) -> bool:
    """No words and no filter at all."""
    return not parsed.clauses and not parsed.filters and not any(
        (_blank(req.doc_type), _blank(req.kind), _blank(req.title), _blank(req.issuer),
         _blank(req.doc_number), req.year is not None, req.date_from, req.date_to))
