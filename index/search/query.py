"""Parsing the user's query; the whoosh queries for phrases, negations and filters.

Syntax: words are ANDed; ``"…"`` (or balanced ``“…”``) is an exact phrase; ``-word``
excludes; ``title:`` ``issuer:`` ``year:`` ``type:`` ``kind:`` ``number:`` (or 标题 发文机关 年份
类型 文种 文号) add a filter. A 发文字号 or an issue number (国办发〔2019〕6号, 第12期) in any bracket
or width form becomes an identifier clause (:mod:`index.search.identifiers`).

A question (a question word, a ？ at the end) or a sentence of more than
:data:`LONG_QUERY_WORDS` words is not ANDed word by word: its question words are dropped, its
function words left out of its units, and its units weighed by ranking (:mod:`index.search.ranking`).

Every term is searched in a jieba field OR its character-bigram twin, so a word that jieba
cuts differently in the text, or does not know, is still found. A bare term is cut into
"units": jieba's precise-mode words, a single character joined to the word beside it
(州 工匠 → 州工匠); a unit matches its jieba word(s) or all of its bigrams (bag of bigrams:
cheap, and found whatever jieba did to the text). A quoted phrase is its bigrams at consecutive
positions, which is exact whatever jieba does, and cheap (its rarest bigram drives it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from whoosh.fields import Schema
from whoosh.query import And, NumericRange, Or, Phrase, Prefix, Query, Term

from index.analysis import STOPWORDS, is_cjk_char, normalize_doc_number, normalize_text
from index.analysis.facets import facet_key
from index.search.identifiers import SPACE_HOLDER, Identifier, find_identifiers, join_identifiers
from index.search.units import Unit
from index.types import FACET_FILTERS, SCOPES, SORTS, QueryError, SearchRequest
from ingest.model import DOC_TYPES

if TYPE_CHECKING:
    from index.search.expand import Expander

__all__ = ["normalize_doc_number", "Unit", "Clause", "ParsedQuery", "parse_query",
           "validate_request", "clause_query", "filter_queries", "QUESTION_WORDS"]

MAX_QUERY_CHARS = 500
LONG_QUERY_WORDS = 5  # more content words than this: weigh them, do not AND them all

# Asking words: never searched for in a question, and no bigram crosses them.
QUESTION_WORDS = frozenset("""
什么 什么样 什么时候 啥 怎么 怎么样 怎样 怎么办 如何 为何 为什么 何 何种 何时 何地 哪 哪些 哪个 哪里
哪儿 哪种 哪类 哪家 谁 多少 多久 多长 几 是否 能否 可否 有无 有没有 是不是 能不能 可不可以 会不会
要不要 算不算 吗 呢 吧 啊 呀 嘛 么 请问
""".split())
# Pronouns, modal verbs, particles and prepositions: left out of a question's units and
# scored words (a bigram they form with a neighbour still counts).
FUNCTION_WORDS = frozenset("""
请 问 一下 我 我们 你 你们 他 她 他们 自己 可以 应该 应当 需要 要 能 会 该 想 有 是 还是 那么 这样 那样
这个 那个 这些 那些 对 把 被 给 跟 向 从 在 于 就 都 也 又 还 才 再 让 使 将 所 其 此 之 以 由 因 因为
所以 如果 但 但是 而 并 且 或 或者 及 和 与 同 等 了 着 过 的 地 得 上 下 中 内 后 前 时 里 已 已经
""".split())
MAX_PER_PAGE = 100
MAX_WITHIN = 10  # 结果中检索 layers: each is one more query to run
TITLE_BOOST = 2.0

# (jieba field, bigram field, boost) searched for every word and phrase.
DOC_PAIRS = (("title", "title_bg", TITLE_BOOST), ("body", "body_bg", 1.0))
TITLE_PAIRS = (("title", "title_bg", 1.0),)

FILTER_NAMES = {
    "title": "title", "标题": "title", "issuer": "issuer", "发文机关": "issuer",
    "year": "year", "年份": "year", "type": "doc_type", "doc_type": "doc_type", "类型": "doc_type",
    "kind": "kind", "文种": "kind", "number": "doc_number", "doc_number": "doc_number",
    "文号": "doc_number", "发文字号": "doc_number",
    "journal": "journal", "刊名": "journal", "issue": "issue", "期号": "issue",  # issue 13
}
_FIELD_RE = re.compile(r"(\w+):")
_CLOSE = {'"': '"', "“": "”"}


def _closing(q: str, i: int) -> int:
    """Where the quote opened at q[i] closes, or -1 (“ may be closed by ” or by a typed ")."""
    if q[i] == '"':
        return q.find('"', i + 1)
    ends = [j for j in (q.find("”", i + 1), q.find('"', i + 1)) if j >= 0]
    return min(ends) if ends else -1


@dataclass(frozen=True)
class Clause:
    """One thing the user asked for: a bare chunk (its units, all required) or a phrase."""

    text: str
    units: tuple[Unit, ...] = ()
    phrase: bool = False
    negated: bool = False
    ident: Identifier | None = None  # a 发文字号 or an issue number (searched as a phrase too)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for u in self.units for w in u.words)


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()  # (filter name, value) written in the query
    question: bool = False  # a question or a long sentence: units are weighed, not all required

    @property
    def expansions(self) -> tuple[str, ...]:
        """Every alternative the abbreviation table added, in query order (for "also searched")."""
        return tuple(dict.fromkeys(a.text for c in self.positive for u in c.units
                                   for a in u.alternatives))

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
        j = _closing(q, i) if i < n and q[i] in _CLOSE else -1
        if i < n and q[i] == '"' and j < 0:
            raise QueryError('引号不成对：短语要用一对引号括起，例如 "产业工人队伍"')
        if j >= 0:
            items.append((negated, name, q[i + 1:j], True))
            i = j + 1
            continue
        j = i + 1 if i < n and q[i] in "“”" else i
        while j < n and not q[j].isspace() and q[j] not in '"“':
            j += 1
        if name is not None and not q[i:j].strip("“”"):
            raise QueryError(f"“{m.group(0)}”后面没有内容，例如 {m.group(0)}改革")
        items.append((negated, name, q[i:j], False))
        i = j
    return items


def _units(schema: Schema, text: str, drop: frozenset[str] = frozenset()) -> tuple[Unit, ...]:
    """jieba's precise-mode words as units; a lone character joins its neighbour.

    Single characters are what jieba leaves of a word it does not know (白州工匠 may come out
    as 白州 工匠, or 州工匠 as 州 工匠), so a character is searched together with the word
    next to it: its bigrams with that word are then in the text. Words in ``drop`` (question
    words, for a question) are left out, and nothing joins across them.
    """
    analyzed = [(t.text, t.startchar, t.endchar)
                for t in schema["body"].analyzer(text, mode="query", chars=True)
                if t.text not in drop]
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


def _word_tokens(schema: Schema, text: str) -> list[str]:
    return [t.text for t in schema["title"].analyzer(text, mode="query")]


def is_question(schema: Schema, q: str, bare: list[str]) -> bool:
    """A question (a question word, or ？ at the end) or a sentence too long to AND word by word."""
    if q.rstrip().endswith(("?", "？")):
        return True
    words = [w for text in bare for w in _word_tokens(schema, text)]
    if any(w in QUESTION_WORDS for w in words):
        return True
    content = [w for w in words if w not in STOPWORDS and len(w) > 1]
    return len(content) > LONG_QUERY_WORDS


def content_text(schema: Schema, text: str) -> str:
    """The text with its question words blanked out (they are not searched for)."""
    chars = list(text)
    for t in schema["title"].analyzer(text, mode="query", chars=True):
        if t.text in QUESTION_WORDS:
            chars[t.startchar:t.endchar] = " " * (t.endchar - t.startchar)
    return "".join(chars)


def parse_query(q: str, schema: Schema, expand: Expander | None = None) -> ParsedQuery:
    """Parse the user's query; QueryError (one line) for what cannot be searched.

    ``expand`` (the abbreviation table) adds alternatives to the units it knows.
    """
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"检索式过长：{len(q)} 个字符，最多 {MAX_QUERY_CHARS} 个")
    items, filters = [], []
    for negated, name, text, quoted in _scan(join_identifiers(normalize_text(q))):
        text = text.replace(SPACE_HOLDER, " ").strip()
        if name is not None:
            filters.append((name, text))
        elif not any(c.isalnum() for c in text):
            continue
        elif quoted or negated:
            items.append((negated, text, quoted, None))
        else:
            idents, rest = find_identifiers(text)
            items += [(False, i.text, False, i) for i in idents]
            items += [(False, part, False, None) for part in rest.split()
                      if any(c.isalnum() for c in part)]
    bare = [text for negated, text, quoted, ident in items if not (quoted or negated or ident)]
    question = is_question(schema, q, bare)
    drop = QUESTION_WORDS | FUNCTION_WORDS if question else frozenset()
    clauses = []
    for negated, text, quoted, ident in items:
        if ident is not None:
            clauses.append(Clause(text, ident=ident))
        elif quoted:
            clauses.append(Clause(text, phrase=True, negated=negated))
        else:
            units = _units(schema, text, frozenset() if negated else drop)
            if expand is not None and not negated:
                units = expand.units(schema, text, units)
            clauses.append(Clause(text, units, negated=negated))
    return ParsedQuery(tuple(clauses), tuple(filters), question)


def _blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def validate_request(req: SearchRequest) -> None:
    """Raise QueryError for a request that cannot be searched as given."""
    if req.page < 1:
        raise QueryError(f"page 应为 1 或更大，而不是 {req.page}")
    if not 1 <= req.per_page <= MAX_PER_PAGE:
        raise QueryError(f"per_page 应在 1 到 {MAX_PER_PAGE} 之间，而不是 {req.per_page}")
    if req.passages_per_doc < 0:
        raise QueryError(f"passages_per_doc 应为 0 或更大，而不是 {req.passages_per_doc}")
    if req.sort not in SORTS:
        raise QueryError(f"未知的排序“{req.sort}”：应为 {' / '.join(SORTS)} 之一")
    if req.date_from and req.date_to and req.date_from > req.date_to:
        raise QueryError(f"起始日期 {req.date_from} 晚于截止日期 {req.date_to}")
    if len(req.within) > MAX_WITHIN:
        raise QueryError(f"结果中检索最多 {MAX_WITHIN} 层，而不是 {len(req.within)} 层")
    if req.scope not in SCOPES:
        raise QueryError(f"未知的检索范围“{req.scope}”：应为 {' / '.join(SCOPES)} 之一")
    if req.pub_from and req.pub_to and req.pub_from > req.pub_to:
        raise QueryError(f"发布日期起 {req.pub_from} 晚于发布日期止 {req.pub_to}")
    unknown = [name for name, _ in req.any_of if name not in FACET_FILTERS]
    if unknown:
        raise QueryError(f"未知的筛选项“{unknown[0]}”：应为 {' / '.join(FACET_FILTERS)} 之一")
    if _blank(req.doc_type) and req.doc_type.strip() not in DOC_TYPES:
        raise QueryError(f"未知的文档类型“{req.doc_type}”：应为 {' / '.join(DOC_TYPES)} 之一")


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
        raise QueryError(f"年份应为四位数字，而不是“{text}”")
    return int(text)


def _filter_query(schema: Schema, name: str, value: str) -> Query | None:
    if name == "doc_type":
        if value not in DOC_TYPES:
            raise QueryError(f"未知的文档类型“{value}”：应为 {' / '.join(DOC_TYPES)} 之一")
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
    if name in ("journal", "issuer_exact", "kind_key", "topic"):  # issue 13: exact keys
        field_name = {"issuer_exact": "issuers"}.get(name, name)
        return Term(field_name, facet_key(value))
    if name == "issue":
        key = facet_key(value)
        return Term("issue", f"第{int(key)}期" if key.isdigit() else key)
    if name == "title":
        parsed = parse_query(value, schema)
        return _and([clause_query(schema, c, TITLE_PAIRS) for c in parsed.positive])
    raise AssertionError(name)


filter_query = _filter_query  # one named filter (index.search.run: facet choices, exclusions)


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
    for field_name, low, high in (("date", req.date_from, req.date_to),
                                  ("pub_date", req.pub_from, req.pub_to)):
        if low or high:
            start = int(low.strftime("%Y%m%d")) if low else 10000101
            end = int(high.strftime("%Y%m%d")) if high else 99991231
            out.append(NumericRange(field_name, start, end))
    if _blank(req.issue):
        out.append(_filter_query(schema, "issue", req.issue))
    return out


def has_text(parsed: ParsedQuery) -> bool:
    """Whether the query has words to rank by (else it only browses with filters)."""
    return bool(parsed.positive)


def is_empty(parsed: ParsedQuery, req: SearchRequest) -> bool:
    """No words and no filter at all."""
    return not parsed.clauses and not parsed.filters and not any(
        (_blank(req.doc_type), _blank(req.kind), _blank(req.title), _blank(req.issuer),
         _blank(req.doc_number), req.year is not None, req.date_from, req.date_to,
         req.any_of, req.pub_from, req.pub_to, _blank(req.issue)))
