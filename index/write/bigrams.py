"""The bigram fields' tokens for a whole segment at once, in numpy: no Python per token.

A bigram field's tokens are a function of its text's characters alone (BigramTokenizer):
each run of Han characters gives its first character, its overlapping bigrams and its last
character; each run of other letters or digits is one token; a line break advances the
position by one more. So the writer keeps each record's normalized text, and at flush the
texts of many records become code points, runs, tokens and positions in a few array
operations. A term is a number while tokens are made: a Han unigram or bigram is its code
points (first << 21 | second + 1), a run of other characters the negative of its number in a
small table of strings; one sort by keys that order terms as their UTF-8 bytes do then gives
the tokens in the order the writer wants them.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from index.analysis import has_runs, run_class
from index.write.tokens import Tokens

_SHIFT = 21  # bits of a code point (U+10FFFF < 2**21)
_LOW = (1 << _SHIFT) - 1
_RANK = (1 << 2 * _SHIFT) - 1
_NEWLINE = 10
_CHUNK_CHARS = 1 << 20  # characters turned into token arrays at once (bounds the flush's memory)
_UNKNOWN = 255


class _Classes:
    """Each code point's kind of run (0 none, 1 Han, 2 other letters and digits), as the
    tokenizer's pattern says, looked up once per process for the characters met."""

    def __init__(self) -> None:
        self.table = np.full(0x110000, _UNKNOWN, np.uint8)

    def of(self, points: np.ndarray) -> np.ndarray:
        classes = self.table[points]
        unknown = classes == _UNKNOWN
        if unknown.any():
            for point in np.unique(points[unknown]).tolist():
                self.table[point] = run_class(chr(point))
            classes = self.table[points]
        return classes


_CLASSES = _Classes()


class _Runs(NamedTuple):
    """The runs of some records' texts joined by newlines (offsets into the joined text)."""

    text: str
    points: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    kinds: np.ndarray  # _Classes' class of the run's characters
    bigrams: np.ndarray  # a Han run of two characters or more (its characters and bigrams)
    records: np.ndarray  # run → index of its record among the texts
    positions: np.ndarray  # run → position of its first token in its record
    tokens: np.ndarray  # run → its number of tokens


def _runs(texts: list[str]) -> _Runs:
    joined = "\n".join(texts)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
    classes = _CLASSES.of(points)
    edge = np.zeros(len(points) + 2, np.uint8)
    edge[1:-1] = classes
    change = np.flatnonzero(edge[1:] != edge[:-1])  # i: class of i-1 differs from class of i
    starts = change[edge[change + 1] > 0]
    ends = change[edge[change] > 0]
    sizes = ends - starts
    kinds = edge[starts + 1]
    bigrams = (kinds == 1) & (sizes > 1)
    tokens = np.where(bigrams, sizes + 1, 1)
    advance = np.where(bigrams, sizes - 1, 1)
    # Where each text starts in the joined text, and which text each run is in.
    text_starts = np.zeros(len(texts), np.int64)
    np.cumsum([len(t) + 1 for t in texts[:-1]], out=text_starts[1:])
    records = np.searchsorted(text_starts, starts, side="right") - 1
    # A run's position: the advances of the runs before it in its text, plus one per line
    # break before it in its text (each line ends one position further on).
    advanced = np.zeros(len(starts) + 1, np.int64)
    np.cumsum(advance, out=advanced[1:])
    breaks = np.zeros(len(points) + 1, np.int64)
    np.cumsum(points == _NEWLINE, out=breaks[1:])
    first_run = np.searchsorted(starts, text_starts)
    positions = advanced[:-1] - advanced[first_run[records]] \
        + breaks[starts] - breaks[text_starts[records]]
    return _Runs(joined, points, starts, sizes, kinds, bigrams, records, positions, tokens)


def _name(key: int, others: list[str]) -> bytes:
    """The bytes of the term of a sort key (BigramTokens._keys)."""
    first = key >> 2 * _SHIFT
    if _CLASSES.table[first] != 1:
        return others[key & _RANK].encode("utf-8")
    second = (key >> _SHIFT & _LOW) - 1
    return (chr(first) + (chr(second) if second >= 0 else "")).encode("utf-8")


class BigramTokens:
    """One bigram field's texts in a segment, made into tokens at flush (see module docstring)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.docnums: list[int] = []
        self.others: dict[str, int] = {}  # a run of other characters → its number
        self.other_names: list[str] = []

    def add(self, docnum: int, norm: str) -> int:
        """Take a record's normalized value: -1 if it has tokens (counted at flush), else 0."""
        found = has_runs(norm)
        self.texts.append(norm)
        self.docnums.append(docnum)
        return -1 if found else 0

    def drop(self, docnum: int) -> None:
        """Forget a record's value (it failed before it was complete)."""
        if self.docnums and self.docnums[-1] == docnum:
            self.docnums.pop()
            self.texts.pop()

    def _chunks(self) -> list[tuple[int, int]]:
        """[a, b) ranges of texts of about _CHUNK_CHARS characters each."""
        out, a, size = [], 0, 0
        for i, text in enumerate(self.texts):
            size += len(text) + 1
            if size >= _CHUNK_CHARS:
                out.append((a, i + 1))
                a, size = i + 1, 0
        if a < len(self.texts):
            out.append((a, len(self.texts)))
        return out

    def lengths(self) -> tuple[list[int], list[int]]:
        """(document numbers, their field lengths) of the records with any token."""
        docnums, counts = [], []
        for a, b in self._chunks():
            runs = _runs(self.texts[a:b])
            per_text = np.bincount(runs.records, weights=runs.tokens, minlength=b - a)
            for docnum, n in zip(self.docnums[a:b], per_text.astype(np.int64).tolist()):
                if n:
                    docnums.append(docnum)
                    counts.append(n)
        return docnums, counts

    def tokens(self) -> Tokens | None:
        """The field's tokens (None if no record has any), its texts let go; ordered by term
        (its bytes), record and position, so that the writer's sort has nothing to do."""
        parts = [self._chunk_tokens(a, b) for a, b in self._chunks()]
        docnums = self.docnums
        self.texts, self.docnums = [], []
        parts = [p for p in parts if len(p[0])]
        if not parts:
            return None
        codes, records, positions = (np.concatenate(x) for x in zip(*parts))
        keys, ranked = self._keys(codes)
        del codes
        order = np.argsort(keys, kind="stable")  # tokens came in record and position order
        keys, records, positions = keys[order], records[order], positions[order]
        del order
        new = np.ones(len(keys), bool)
        new[1:] = keys[1:] != keys[:-1]
        numbers = (np.cumsum(new) - 1).astype(np.int32)
        names = [_name(key, ranked) for key in keys[new].tolist()]
        counts = np.bincount(records)
        lengths = np.zeros(docnums[-1] + 1, np.int32)
        used = np.flatnonzero(counts)
        lengths[used] = counts[used]
        self.others, self.other_names = {}, []
        return Tokens(names, np.arange(len(names)), numbers, records, positions, lengths)

    def _keys(self, codes: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Sort keys of the tokens' terms, in the order of the terms' bytes, and the runs of
        other characters in that order. A Han term's key is its code points (code << 21); a
        run of other characters starts with a character no Han term starts with, so its key
        is that character and the run's rank among the others (first << 42 | rank)."""
        keys = codes << _SHIFT
        names = self.other_names
        ranked = sorted(range(len(names)), key=names.__getitem__)
        if ranked:
            rank = np.empty(len(names), np.int64)
            rank[ranked] = np.arange(len(names))
            first = np.array([ord(name[0]) for name in names], np.int64)
            others = codes < 0
            number = -codes[others] - 1
            keys[others] = first[number] << 2 * _SHIFT | rank[number]
        return keys, [names[i] for i in ranked]

    def _chunk_tokens(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(term code, document number, position) of each token of texts [a, b)."""
        runs = _runs(self.texts[a:b])
        n = int(runs.tokens.sum())
        run = np.repeat(np.arange(len(runs.starts)), runs.tokens)
        first = np.zeros(len(runs.starts), np.int64)
        np.cumsum(runs.tokens[:-1], out=first[1:])
        j = np.arange(n) - first[run]  # token's place in its run
        size = runs.sizes[run]
        last = runs.bigrams[run] & (j == size)  # a Han run's last character, alone
        offset = np.where(last, size - 1, np.maximum(j - 1, 0))  # its (first) character's
        at = runs.starts[run] + offset
        codes = runs.points[at].astype(np.int64) << _SHIFT
        pair = runs.bigrams[run] & (j >= 1) & ~last
        codes[pair] |= runs.points[at[pair] + 1].astype(np.int64) + 1
        positions = runs.positions[run] + np.where(last, size - 2, np.maximum(j - 1, 0))
        others = np.flatnonzero(runs.kinds == 2)
        if len(others):
            codes[first[others]] = self._other_codes(runs, others)
        records = np.asarray(self.docnums[a:b], np.int32)[runs.records][run]
        return codes, records, positions.astype(np.int32)

    def _other_codes(self, runs: _Runs, others: np.ndarray) -> np.ndarray:
        """The codes of runs of other letters and digits (strings, numbered per writer)."""
        joined = runs.text
        ids, names = self.others, self.other_names
        out = []
        for s, e in zip(runs.starts[others].tolist(),
                        (runs.starts[others] + runs.sizes[others]).tolist()):
            text = joined[s:e]
            number = ids.get(text)
            if number is None:
                number = ids[text] = len(names)
                names.append(text)
            out.append(-number - 1)
        return np.asarray(out, np.int64)
