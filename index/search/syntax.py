"""The query syntax for those who type it: OR, NOT, parentheses, over the plain query language.

    A B          both (as before)          A OR B, A | B   either
    -A, NOT A    not A                     (A OR B) C      grouping
    "A B"        the exact phrase          标题:A  发文机关:A  文号:A  文种:A  刊名:A  fields

A query is parsed into a small tree (:class:`Leaf`, :class:`Not`, :class:`All`, :class:`Any`)
and then spread into *branches*: each an AND of leaves in the plain language that
:func:`index.search.query.parse_query` reads, one of which a document must match. A query
without OR, NOT or parentheses is one branch, the query itself, so it is searched exactly as
before (parentheses alone included). Errors name the character where the query goes wrong,
counted from 1.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.search.query import FILTER_NAMES
from index.types import QueryError

MAX_BRANCHES = 32  # (A|B)(C|D)… multiplies out; past this the query is refused, not run slowly
_OPEN_QUOTES = {'"': '"', "“": "”"}
_OPERATOR = re.compile(r"\||\b(?:OR|AND|NOT)\b")


class QuerySyntaxError(QueryError):
    """A query that cannot be parsed; ``position`` is the offending character (0-based)."""

    def __init__(self, q: str, position: int, reason: str) -> None:
        char = q[position] if position < len(q) else ""
        where = f"第 {position + 1} 个字符“{char}”处" if char else "检索式末尾"
        super().__init__(f"{where}{reason}")
        self.position = position


@dataclass(frozen=True)
class Leaf:
    """A word, a quoted phrase or a field prefix with its value, as typed."""

    raw: str
    position: int
    field: str | None = None  # the filter name (FILTER_NAMES value) of a 标题: … prefix
    value: str = ""  # a field's value, without its prefix


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class All:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Any:
    nodes: tuple[Node, ...]


Node = Leaf | Not | All | Any


@dataclass(frozen=True)
class Branch:
    """One way to match: a plain query, and field filters it excludes."""

    q: str
    excluded: tuple[tuple[str, str], ...] = ()  # (filter name, value) a document must not have


def _fold(q: str) -> str:
    """Full-width operators typed in a Chinese IME (（ ） ｜ ： ＯＲ) as ASCII, char for char."""
    return "".join(n if len(n := unicodedata.normalize("NFKC", c)) == 1 else c for c in q)


# Tokens: (kind, value, position); kind is one of ( ) OR AND NOT LEAF (value: the Leaf).
def _tokens(q: str) -> list[tuple[str, object, int]]:
    out: list[tuple[str, object, int]] = []
    i, n, depth = 0, len(q), 0
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c == "(":
            out.append(("(", c, i))
            depth, i = depth + 1, i + 1
        elif c == ")":
            if depth == 0:
                raise QuerySyntaxError(q, i, "多余的右括号：没有与之配对的左括号")
            out.append((")", c, i))
            depth, i = depth - 1, i + 1
        elif c == "|":
            out.append(("OR", c, i))
            i += 1
        elif c == "-" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] not in ")|":
            out.append(("NOT", c, i))
            i += 1
        else:
            leaf, i = _leaf(q, i)
            word = leaf.raw
            kind = word if word in ("OR", "AND", "NOT") and leaf.field is None else "LEAF"
            out.append((kind, leaf if kind == "LEAF" else word, leaf.position))
    return out


def _quoted_end(q: str, i: int) -> int:
    """Index just past the quote opened at q[i], or -1 when an ASCII quote is not closed."""
    if q[i] == '"':
        j = q.find('"', i + 1)
        return -1 if j < 0 else j + 1
    ends = [j for j in (q.find("”", i + 1), q.find('"', i + 1)) if j >= 0]
    return min(ends) + 1 if ends else -2  # an unpaired “ is punctuation (pasted text)


def _leaf(q: str, start: int) -> tuple[Leaf, int]:
    """The word, phrase or field starting at q[start], and where it ends."""
    i, field = start, None
    colon = q.find(":", start)
    if colon > start and q[start:colon] in FILTER_NAMES and \
            not any(ch.isspace() for ch in q[start:colon]):
        field, i = FILTER_NAMES[q[start:colon]], colon + 1
        if i >= len(q) or q[i].isspace() or q[i] in ")|":
            raise QuerySyntaxError(q, colon, f"“{q[start:colon + 1]}”后面缺少检索词，例如 "
                                             f"{q[start:colon + 1]}改革")
        if q[i] == "(":
            raise QuerySyntaxError(q, i, "字段后不能接括号：请写成 (标题:甲 OR 标题:乙)")
    if i < len(q) and q[i] in _OPEN_QUOTES:
        end = _quoted_end(q, i)
        if end == -1:
            raise QuerySyntaxError(q, i, '引号不成对：短语要用一对引号括起，例如 "产业工人队伍"')
        if end > 0:
            return Leaf(q[start:end], start, field, q[i + 1:end - 1]), end
    j, inner = i, 0
    while j < len(q) and not q[j].isspace() and q[j] not in '|"':
        if q[j] == "(":
            inner += 1  # 国办发(2019)6号: brackets inside a word belong to it
        elif q[j] == ")":
            if inner == 0:
                break
            inner -= 1
        j += 1
    if j == i:  # “ alone
        j = i + 1
    return Leaf(q[start:j], start, field, q[i:j]), j


class _Parser:
    def __init__(self, q: str) -> None:
        self.q = q
        self.toks = _tokens(q)
        self.at = 0

    def peek(self) -> str | None:
        return self.toks[self.at][0] if self.at < len(self.toks) else None

    def pos(self) -> int:
        return self.toks[self.at][2] if self.at < len(self.toks) else len(self.q)

    def expr(self) -> Node:
        parts = [self.conjunction()]
        while self.peek() == "OR":
            self.at += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Any(tuple(parts))

    def conjunction(self) -> Node:
        parts: list[Node] = []
        while self.peek() not in (None, "OR", ")"):
            if self.peek() == "AND":  # the default between words
                self.at += 1
                continue
            parts.append(self.unary())
        if not parts:
            if self.peek() == "OR" or self.at > 0 and self.toks[self.at - 1][0] == "OR":
                where = self.pos() if self.peek() is not None else self.toks[self.at - 1][2]
                raise QuerySyntaxError(self.q, where, "“OR”（或 |）的两边都要有检索词，例如 改革 OR 发展")
            raise QuerySyntaxError(self.q, self.pos(), "括号里没有检索词")
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def unary(self) -> Node:
        kind, value, where = self.toks[self.at]
        if kind == "NOT":
            self.at += 1
            if self.peek() in (None, "OR", ")"):
                raise QuerySyntaxError(self.q, where, f"“{value}”后面缺少要排除的检索词，例如 NOT 试点")
            return Not(self.unary())
        if kind == "(":
            self.at += 1
            node = self.expr()
            if self.peek() != ")":
                raise QuerySyntaxError(self.q, where, "左括号没有对应的右括号")
            self.at += 1
            return node
        self.at += 1
        assert isinstance(value, Leaf)
        return value


def parse(q: str) -> Node | None:
    """The query as a tree (None for a blank query); QuerySyntaxError when it cannot be read."""
    parser = _Parser(_fold(q))
    if not parser.toks:
        return None
    node = parser.expr()
    if parser.peek() is not None:  # only an unbalanced ")" can stop expr early; _tokens caught it
        raise QuerySyntaxError(parser.q, parser.pos(), "无法识别")
    return node


def has_operators(q: str) -> bool:
    """Whether the query uses OR, |, NOT or AND (else the plain parser reads it as is).

    Parentheses alone group nothing (words are ANDed anyway), and a query pasted from a text
    holds them often (（一）总体要求): without an operator they stay plain text, as before.
    """
    try:
        toks = _tokens(_fold(q))
    except QuerySyntaxError:  # with an operator, the parser says what is wrong; else the
        return bool(_OPERATOR.search(_fold(q)))  # plain parser reads it as it always did
    return any(kind in ("OR", "AND") or kind == "NOT" and value == "NOT"
               for kind, value, _ in toks)


Literal = tuple[Leaf, bool]  # (leaf, negated)


def _dnf(node: Node, negated: bool, q: str) -> list[list[Literal]]:
    """The tree as an OR of ANDs of literals (De Morgan for NOT over a group)."""
    if isinstance(node, Leaf):
        return [[(node, negated)]]
    if isinstance(node, Not):
        return _dnf(node.node, not negated, q)
    conjunctive = isinstance(node, All) != negated
    parts = [_dnf(n, negated, q) for n in node.nodes]
    out: list[list[Literal]] = [[]]
    if not conjunctive:
        out = [c for p in parts for c in p]
    for p in parts if conjunctive else ():
        out = [a + b for a in out for b in p]
        _limit(out, q)
    return _limit(out, q)


def _limit(conjunctions: list[list[Literal]], q: str) -> list[list[Literal]]:
    if len(conjunctions) > MAX_BRANCHES:
        raise QuerySyntaxError(q, 0, f"检索式展开后超过 {MAX_BRANCHES} 种组合：请减少“OR”或括号")
    return conjunctions


def branches(q: str) -> tuple[Branch, ...]:
    """The plain queries one of which a document must match (the query itself when plain)."""
    if not has_operators(q):
        return (Branch(q),)
    node = parse(q)
    if node is None:
        return (Branch(q),)
    out: dict[Branch, None] = {}
    for conj in _dnf(node, False, q):
        words, excluded = [], []
        for leaf, negated in conj:
            if negated and leaf.field is not None:
                excluded.append((leaf.field, leaf.value.strip('"“”')))
            else:
                words.append(("-" if negated else "") + leaf.raw)
        out[Branch(" ".join(words), tuple(excluded))] = None
    return tuple(out)
