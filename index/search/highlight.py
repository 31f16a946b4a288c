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
FRAGMENT_MARGIN = 12  # characters analyzed beyond a fragment, so words at its edge are whole


@dataclass(frozen=True)
class Pattern:
    """A token sequence to find at consecutive positions in one analyzer's stream."""

    bigrams: bool  # False: the jieba word field's analyzer
    seq: tuple[str, ...]
    prefix: bool = False  # a lone CJK character: matches the first half of a bigram
    surface: str = ""  # the text it usually matches, to place a long passage's fragment
    group: int = -1  # -1: a word or phrase of the query; else a piece of word `group`
    piece: int = 0  # which piece of it (pieces are marked where another is near)


def patterns(schema: Schema, parsed: ParsedQuery, words_field: str,
             memo: dict[tuple[str, str], tuple[str, ...]] | None = None) -> list[Pattern]:
    """What to look for, mirroring how query.py searched each clause.

    A unit (and each of its alternatives) is highlighted where its jieba words occur, or
    where its text occurs as consecutive bigrams; a phrase or an identifier where its bigrams
    are consecutive. What the user typed as one word (改革工作) is marked whole; its pieces
    (改革, 工作: jieba's words of it) only where they stand close together, since each alone
    is a common word (see :func:`meaningful`).
    """
    out: list[Pattern] = []
    memo = {} if memo is None else memo  # (field, text) → tokens: shared by title and body

    def toks(field: str, text: str) -> tuple[str, ...]:
        got = memo.get((field, text))
        if got is None:
            got = memo[(field, text)] = tuple(tokens(schema, field, text))
        return got

    def bigram(text: str, prefix_ok: bool, group: int = -1, piece: int = 0) -> None:
        seq = toks("body_bg", text)
        if seq:
            out.append(Pattern(True, seq, prefix_ok and len(seq) == 1 and is_cjk_char(seq[0]),
                               "".join(normalize_text(text).split()), group, piece))

    for c in parsed.positive:
        if c.phrase or c.ident is not None:
            bigram(c.text, True)
            if c.ident is not None and c.ident.canonical != c.text:
                bigram(c.ident.canonical, False)  # as documents print it
            continue
        # a question's words are each the user's own; a typed word cut in pieces is one
        whole = parsed.question or len(c.units) == 1
        clause = -1 if whole else len(out)  # a number no other clause has
        if not whole:
            bigram(c.text, False)
        for k, unit in enumerate(c.units):
            for u in (unit,) + unit.alternatives:
                # A one-word unit's bigrams mark all its word would; an alternative is
                # matched (and marked) by its bigrams only.
                if u is unit and u.words != (u.text,):
                    # several words in one unit (产业工人队伍建设改革, merged for its
                    # abbreviation): pieces of it; one word and a lone character: that word
                    several = sum(len(w) > 1 for w in u.words) > 1
                    group = len(out) if whole and several else clause
                    for i, w in enumerate(u.words):
                        seq = toks(words_field, w)
                        if seq:
                            out.append(Pattern(False, seq, surface="".join(seq), group=group,
                                               piece=i if whole else k))
                bigram(u.text, len(c.units) == 1 and u is unit, clause, k)
    return out


Found = tuple[int, int, Pattern]


def _find(stream: list[tuple[str, int, int, int]], pats: list[Pattern]) -> list[Found]:
    by_text: dict[str, list[tuple[str, int, int, int]]] = defaultdict(list)
    at: dict[tuple[int, str], tuple[str, int, int, int]] = {}
    for tok in stream:
        by_text[tok[0]].append(tok)
        at.setdefault((tok[1], tok[0]), tok)
    ranges = []
    for pat in pats:
        first = pat.seq[0]
        if pat.prefix:
            ranges += [(start, start + len(first), pat) for text, _, start, _ in stream
                       if text.startswith(first)]
            continue
        for _, pos, start, end in by_text.get(first, ()):
            for k, want in enumerate(pat.seq[1:], 1):
                nxt = at.get((pos + k, want))
                if nxt is None:
                    break
                end = nxt[3]
            else:
                ranges.append((start, end, pat))
    return ranges


PIECE_GAP = 4  # pieces of one typed word this close (in characters) are marked together


def meaningful(found: list[Found]) -> list[tuple[int, int]]:
    """The ranges worth marking: the query's words and phrases wherever they occur; a piece
    of a typed word only beside another piece of it, or where nothing better is in the text.
    """
    whole = _merge([(s, e) for s, e, p in found if p.group < 0])
    starts = [s for s, _ in whole]

    def covered(s: int, e: int) -> bool:
        i = bisect.bisect_right(starts, s) - 1
        return i >= 0 and whole[i][1] >= e

    pieces = sorted((s, e, p.group, p.piece) for s, e, p in found
                    if p.group >= 0 and not covered(s, e))
    near = []
    for i, (s, e, group, piece) in enumerate(pieces):
        j = i + 1
        while j < len(pieces) and pieces[j][0] <= e + PIECE_GAP:
            if pieces[j][2] == group and pieces[j][3] != piece:
                near += [(s, e), pieces[j][:2]]
            j += 1
    if not whole and not near:  # the words are spread out here: show where they are
        near = [(s, e) for s, e, _, _ in pieces]
    return _merge(whole + near)


@dataclass(frozen=True)
class PatternSet:
    """One analyzer's patterns, sorted once per query for every passage and title it marks."""

    plain: tuple[Pattern, ...]  # found as substrings of the normalized text
    words: tuple[Pattern, ...]  # the rest of the jieba word patterns: in the token stream
    bigrams: tuple[Pattern, ...]  # the rest of the bigram patterns: in the bigram stream
    surfaced: tuple[Pattern, ...]  # words, then bigrams, with a surface (to place fragments)


def match_ranges(schema: Schema, text: str, words_field: str, pats: PatternSet,
                 norm: str | None = None) -> list[tuple[int, int]]:
    """Merged (start, end) character ranges of text worth marking for the patterns.

    ``norm`` is normalize_text(text) when the caller has it already.
    """
    found: list[Found] = []
    if pats.plain:
        norm = normalize_text(text) if norm is None else norm
        found += [(i, i + len(p.surface), p) for p in pats.plain
                  for i in _occurrences(norm, p.surface)]
    for field, group in ((words_field, pats.words), ("body_bg", pats.bigrams)):
        if group:
            stream = token_spans(schema[field].analyzer, text)
            found += _find(stream, list(group))
    return meaningful(found)


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


def split_patterns(pats: list[Pattern]) -> PatternSet:
    """The patterns sorted by how match_ranges looks for them."""
    word_pats, bigram_pats = [p for p in pats if not p.bigrams], [p for p in pats if p.bigrams]
    # Consecutive bigrams of Han characters are that text as a substring, and so, near
    # enough, is a word of two or more Han characters: no tokenizing (jieba costs about a
    # millisecond a passage). A lone character of a longer unit (州 of 州工匠) is marked
    # only where the whole unit occurs (its bigram pattern): alone it is mostly noise.
    plain = [p for p in bigram_pats + word_pats if _han(p) and (p.bigrams or len(p.surface) > 1)]
    return PatternSet(tuple(plain), tuple(p for p in word_pats if not _han(p)),
                      tuple(p for p in bigram_pats if not _han(p)),
                      tuple(p for p in word_pats + bigram_pats if p.surface))


def _window(n: int, ranges: list[tuple[int, int]]) -> tuple[int, int]:
    """The fragment [a, b) centred on the densest run of matches (the most that fit in it).

    ranges are merged (sorted, disjoint), so their ends are sorted too: the matches that fit
    after each start are counted by bisection, not by a scan per candidate (a long passage
    has hundreds).
    """
    if not ranges:
        return 0, min(n, FRAGMENT_CHARS)
    ends = [e for _, e in ranges]
    best = (-1, 0, 0)
    for k, (s0, _) in enumerate(ranges):
        j = max(k + 1, bisect.bisect_right(ends, s0 + FRAGMENT_CHARS))
        if j - k > best[0]:
            best = (j - k, s0, ends[j - 1])
    _, lo, hi = best
    a = max(0, min((lo + hi - FRAGMENT_CHARS) // 2, n - FRAGMENT_CHARS, lo))
    return a, min(n, max(a + FRAGMENT_CHARS, hi))


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
        memo: dict[tuple[str, str], tuple[str, ...]] = {}
        self._passage = split_patterns(patterns(schema, parsed, "body", memo))
        self._title = split_patterns(patterns(schema, parsed, "title", memo))

    def passage(self, text: str, fragment: bool = False, norm: str | None = None) -> str:
        """A passage as escaped HTML with <mark>; a fragment around the matches if asked.

        A long passage's fragment is placed where the query's words occur as plain text, and
        only that stretch (and a margin) is analyzed: a passage may be thousands of characters.
        ``norm`` is normalize_text(text) when the caller has it already.
        """
        if not fragment or len(text) <= LONG_PASSAGE:
            return render(text, match_ranges(self.schema, text, "body", self._passage, norm),
                          fragment)
        norm = normalize_text(text) if norm is None else norm
        rough = [(i, i + len(p.surface), p) for p in self._passage.surfaced
                 for i in _occurrences(norm, p.surface)]
        a, b = _window(len(text), meaningful(rough))
        lo, hi = max(0, a - FRAGMENT_MARGIN), min(len(text), b + FRAGMENT_MARGIN)
        exact = [(s + lo, e + lo) for s, e in
                 match_ranges(self.schema, text[lo:hi], "body", self._passage)]
        return render(text, exact, window=(a, b))

    def title(self, text: str) -> str:
        """A title as escaped HTML with <mark>."""
        return render(text, match_ranges(self.schema, text, "title", self._title))
