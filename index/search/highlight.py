"""Highlights: the character ranges the query matched, as escaped HTML with <mark>.

Ranges come from the analyzers' own token offsets (jieba words with their search-mode
sub-words, and character bigrams), matched against the query's words and phrases the
same way the index matched them; overlapping and touching ranges are merged. Every piece
of text is html-escaped and only our own <mark> tags are added, so the result is safe to
insert as HTML.
"""
from __future__ import annotations

import bisect
import functools
import html
from collections import defaultdict
from dataclasses import dataclass

from whoosh.fields import Schema

from index.analysis import is_cjk_char, normalize_text, token_spans
from index.search.query import ParsedQuery, tokens

LONG_PASSAGE = 300  # longer passages are shown as a fragment around their matches
FRAGMENT_CHARS = 240
FRAGMENT_LEAD = 40  # characters of context before the first match in a fragment
FRAGMENT_MARGIN = 12  # characters analyzed beyond a fragment, so words at its edge are whole


@dataclass(frozen=True)
class Pattern:
    """A token sequence to find at consecutive positions in one analyzer's stream."""

    bigrams: bool  # False: the jieba word field's analyzer
    seq: tuple[str, ...]
    prefix: bool = False  # a lone CJK character: matches the first half of a bigram
    surface: str = ""  # the text it usually matches, to place a long passage's fragment


def patterns(schema: Schema, parsed: ParsedQuery, words_field: str) -> list[Pattern]:
    """What to look for, mirroring how query.py searched each clause.

    A unit (and each of its alternatives) is highlighted where its jieba words occur, or
    where its text occurs as consecutive bigrams; a phrase or an identifier where its bigrams
    are consecutive.
    """
    out: list[Pattern] = []

    def bigram(text: str, prefix_ok: bool) -> None:
        seq = tuple(tokens(schema, "body_bg", text))
        if seq:
            out.append(Pattern(True, seq, prefix_ok and len(seq) == 1 and is_cjk_char(seq[0]),
                               "".join(normalize_text(text).split())))

    for c in parsed.positive:
        if c.phrase or c.ident is not None:
            bigram(c.text, True)
            continue
        for unit in c.units:
            for u in (unit,) + unit.alternatives:
                # A one-word unit's bigrams mark all its word would; an alternative is
                # matched (and marked) by its bigrams only.
                if u is unit and u.words != (u.text,):
                    for w in u.words:
                        seq = tuple(tokens(schema, words_field, w))
                        if seq:
                            out.append(Pattern(False, seq, surface="".join(seq)))
                bigram(u.text, len(c.units) == 1 and u is unit)
    return out


def _find(stream: list[tuple[str, int, int, int]], pats: list[Pattern]) -> list[tuple[int, int]]:
    by_text: dict[str, list[tuple[str, int, int, int]]] = defaultdict(list)
    at: dict[tuple[int, str], tuple[str, int, int, int]] = {}
    for tok in stream:
        by_text[tok[0]].append(tok)
        at.setdefault((tok[1], tok[0]), tok)
    ranges = []
    for pat in pats:
        first = pat.seq[0]
        if pat.prefix:
            ranges += [(start, start + len(first)) for text, _, start, _ in stream
                       if text.startswith(first)]
            continue
        for _, pos, start, end in by_text.get(first, ()):
            for k, want in enumerate(pat.seq[1:], 1):
                nxt = at.get((pos + k, want))
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
    # Consecutive bigrams of Han characters are that text as a substring, and so, near
    # enough, is a word of two or more Han characters: no tokenizing (jieba costs about a
    # millisecond a passage). A lone character of a longer unit (州 of 州工匠) is marked
    # only where the whole unit occurs (its bigram pattern): alone it is mostly noise.
    plain = [p for p in bigram_pats + word_pats if _han(p) and (p.bigrams or len(p.surface) > 1)]
    ranges = []
    if plain:
        norm = normalize_text(text)
        ranges += [(i, i + len(p.surface)) for p in plain for i in _occurrences(norm, p.surface)]
    for field, group in ((words_field, [p for p in word_pats if not _han(p)]),
                         ("body_bg", [p for p in bigram_pats if not _han(p)])):
        if group:
            stream = token_spans(schema[field].analyzer, text)
            ranges += _find(stream, group)
    return _merge(ranges)


@functools.lru_cache(maxsize=4096)
def _han(p: Pattern) -> bool:
    """Whether a pattern's surface is all Han characters (found as a plain substring)."""
    return bool(p.surface) and all(map(is_cjk_char, p.surface))


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges, overlapping and touching ones merged."""
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
    """The fragment [a, b) that holds the most whole matches (and all of the first of them).

    ranges are merged (sorted, disjoint), so their ends are sorted too: the matches inside
    [a, b) are counted by bisection, not by a scan per candidate (a long passage has hundreds).
    """
    best = (-1, 0, min(n, FRAGMENT_CHARS))
    starts = [s for s, _ in ranges]
    ends = [e for _, e in ranges]
    for s0, e0 in ranges:
        a = max(0, s0 - FRAGMENT_LEAD)
        b = max(min(n, a + FRAGMENT_CHARS), e0)
        a = max(0, min(a, b - FRAGMENT_CHARS))  # near the end: use the room on the left
        covered = bisect.bisect_right(ends, b) - bisect.bisect_left(starts, a)
        if covered > best[0]:
            best = (covered, a, b)
    return best[1], best[2]


def _occurrences(text: str, needle: str, limit: int = 1000) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0 and len(out) < limit:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def render(text: str, ranges: list[tuple[int, int]], fragment: bool = False,
           window: tuple[int, int] | None = None) -> str:
    """Escaped text with <mark> around the ranges; a fragment with … if long and asked for."""
    a, b = (0, len(text))
    if window is not None:
        a, b = window
    elif fragment and len(text) > LONG_PASSAGE:
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

    def passage(self, text: str, fragment: bool = False, norm: str | None = None) -> str:
        """A passage as escaped HTML with <mark>; a fragment around the matches if asked.

        A long passage's fragment is placed where the query's words occur as plain text, and
        only that stretch (and a margin) is analyzed: a passage may be thousands of characters.
        ``norm`` is normalize_text(text) when the caller has it already.
        """
        if not fragment or len(text) <= LONG_PASSAGE:
            return render(text, match_ranges(self.schema, text, "body", self._passage), fragment)
        norm = normalize_text(text) if norm is None else norm
        rough = [(i, i + len(p.surface)) for p in self._passage[0] + self._passage[1]
                 if p.surface for i in _occurrences(norm, p.surface)]
        a, b = _window(len(text), _merge(rough))
        lo, hi = max(0, a - FRAGMENT_MARGIN), min(len(text), b + FRAGMENT_MARGIN)
        exact = [(s + lo, e + lo) for s, e in
                 match_ranges(self.schema, text[lo:hi], "body", self._passage)]
        return render(text, exact, window=(a, b))

    def title(self, text: str) -> str:
        """A title as escaped HTML with <mark>."""
        return render(text, match_ranges(self.schema, text, "title", self._title))
