"""Highlights: the character ranges the query matched, as escaped HTML with <mark>.

Ranges come from the analyzers' own token offsets (jieba words with their search-mode
sub-words, and character bigrams), matched against the query's words and phrases the
same way the index matched them; overlapping and touching ranges are merged. Every piece
of text is html-escaped and only our own <mark> tags are added, so the result is safe to
insert as HTML.
"""
from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass

from whoosh.fields import Schema

from index.analysis import is_cjk_char
from index.query import ParsedQuery, tokens

LONG_PASSAGE = 300  # longer passages are shown as a fragment around their matches
FRAGMENT_CHARS = 240
FRAGMENT_LEAD = 40  # characters of context before the first match in a fragment


@dataclass(frozen=True)
class Pattern:
    """A token sequence to find at consecutive positions in one analyzer's stream."""

    bigrams: bool  # False: the jieba word field's analyzer
    seq: tuple[str, ...]
    prefix: bool = False  # a lone CJK character: matches the first half of a bigram


def patterns(schema: Schema, parsed: ParsedQuery, words_field: str) -> list[Pattern]:
    """What to look for, mirroring how query.py searched each clause.

    A unit is highlighted where its jieba words occur, or where its text occurs as
    consecutive bigrams; a phrase where its bigrams are consecutive.
    """
    out: list[Pattern] = []

    def bigram(text: str, prefix_ok: bool) -> None:
        seq = tuple(tokens(schema, "body_bg", text))
        if seq:
            out.append(Pattern(True, seq, prefix_ok and len(seq) == 1 and is_cjk_char(seq[0])))

    for c in parsed.positive:
        if c.phrase:
            bigram(c.text, True)
            continue
        for unit in c.units:
            for w in unit.words:
                seq = tuple(tokens(schema, words_field, w))
                if seq:
                    out.append(Pattern(False, seq))
            bigram(unit.text, len(c.units) == 1)
    return out


def _find(stream: list[tuple[str, int, int, int]], pats: list[Pattern]) -> list[tuple[int, int]]:
    by_pos: dict[int, list[tuple[str, int, int, int]]] = defaultdict(list)
    for tok in stream:
        by_pos[tok[1]].append(tok)
    ranges = []
    for pat in pats:
        first = pat.seq[0]
        for text, pos, start, end in stream:
            if pat.prefix:
                if text.startswith(first):
                    ranges.append((start, start + len(first)))
                continue
            if text != first:
                continue
            for k, want in enumerate(pat.seq[1:], 1):
                nxt = next((t for t in by_pos[pos + k] if t[0] == want), None)
                if nxt is None:
                    break
                end = nxt[3]
            else:
                ranges.append((start, end))
    return ranges


def match_ranges(schema: Schema, text: str, words_field: str,
                 pats: tuple[list[Pattern], list[Pattern]]) -> list[tuple[int, int]]:
    """Merged (start, end) character ranges of text that the patterns match."""
    word_pats, bigram_pats = pats
    ranges = []
    for field, group in ((words_field, word_pats), ("body_bg", bigram_pats)):
        if group:
            stream = [(t.text, t.pos, t.startchar, t.endchar) for t in schema[field].analyzer(
                text, positions=True, chars=True, mode="index")]
            ranges += _find(stream, group)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def split_patterns(pats: list[Pattern]) -> tuple[list[Pattern], list[Pattern]]:
    """(jieba-word patterns, bigram patterns)."""
    return [p for p in pats if not p.bigrams], [p for p in pats if p.bigrams]


def _window(n: int, ranges: list[tuple[int, int]]) -> tuple[int, int]:
    """The fragment [a, b) that holds the most whole matches (and all of the first of them)."""
    best = (-1, 0, min(n, FRAGMENT_CHARS))
    for s0, e0 in ranges:
        a = max(0, s0 - FRAGMENT_LEAD)
        b = max(min(n, a + FRAGMENT_CHARS), e0)
        a = max(0, min(a, b - FRAGMENT_CHARS))  # near the end: use the room on the left
        covered = sum(1 for s, e in ranges if a <= s and e <= b)
        if covered > best[0]:
            best = (covered, a, b)
    return best[1], best[2]


def render(text: str, ranges: list[tuple[int, int]], fragment: bool = False) -> str:
    """Escaped text with <mark> around the ranges; a fragment with … if long and asked for."""
    a, b = (0, len(text))
    if fragment and len(text) > LONG_PASSAGE:
        a, b = _window(len(text), ranges)
    out = ["…"] if a > 0 else []
    cur = a
    for s, e in ranges:
        s, e = max(s, a), min(e, b)
        if s >= e:
            continue
        out += [html.escape(text[cur:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        cur = e
    out.append(html.escape(text[cur:b]))
    if b < len(text):
        out.append("…")
    return "".join(out)


class Highlighter:
    """Marks what one parsed query matched, in passages and in titles."""

    def __init__(self, schema: Schema, parsed: ParsedQuery) -> None:
        self.schema = schema
        self._passage = split_patterns(patterns(schema, parsed, "body"))
        self._title = split_patterns(patterns(schema, parsed, "title"))

    def passage(self, text: str, fragment: bool = False) -> str:
        """A passage as escaped HTML with <mark>; a fragment around the matches if asked."""
        return render(text, match_ranges(self.schema, text, "body", self._passage), fragment)

    def title(self, text: str) -> str:
        """A title as escaped HTML with <mark>."""
        return render(text, match_ranges(self.schema, text, "title", self._title))
