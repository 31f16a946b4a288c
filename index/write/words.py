"""The word fields' tokens: jieba's words numbered as lines are cut, terms and positions made
for a whole segment at once at flush.

What one of jieba's words gives when indexing depends on the word alone
(:meth:`JiebaTokenizer.word_terms`: nothing, a stop word's place, or its dictionary sub-words
and itself), so it is looked up once per process, in tables indexed by the word's number.
A record keeps only its words' numbers, line by line; at flush the positions (one per word
that is kept, a line ending one further on) and the terms come from those tables in a few
array operations, in the order the tokenizer gives them.
"""
from __future__ import annotations

from array import array

import numpy as np

from index.analysis import JiebaTokenizer, segmenter
from index.write.tokens import Tokens

LINE_CACHE_SIZE = 50_000
# Only short lines are kept: titles, headings and boilerplate repeat, body text rarely does,
# and a long line's entry would cost a kilobyte or more for nothing.
LINE_CACHE_CHARS = 64
_STOP, _WORD = 1, 2  # JiebaTokenizer.word_terms' kinds (0: left out)


class WordTable:
    """A word tokenizer's words and terms as numbers (per process), and a cache of cut lines."""

    def __init__(self, tokenizer: JiebaTokenizer) -> None:
        self.tokenizer = tokenizer
        self.ids: dict[str, int] = {}
        self.names: list[str] = []
        self.kinds = array("b")  # word number → its kind
        self.starts = array("i")  # word number → where its terms start in self.terms
        self.counts = array("i")  # word number → how many terms it gives
        self.terms = array("i")  # the terms of every word, as numbers
        self.lines: dict[str, tuple[array, int]] = {}

    def number(self, word: str) -> int:
        """The word's number (a new word's terms looked up)."""
        n = self.ids.get(word)
        if n is not None:
            return n
        n = self.ids[word] = len(self.names)
        self.names.append(word)
        for column in (self.kinds, self.starts, self.counts):
            column.append(0)  # its sub-words get numbers after it
        kind, terms = self.tokenizer.word_terms(word)
        numbers = [n if term == word else self.number(term) for term in terms]
        self.kinds[n], self.starts[n], self.counts[n] = kind, len(self.terms), len(numbers)
        self.terms.extend(numbers)
        return n

    def line(self, line: str) -> tuple[array, int]:
        """(word numbers, tokens) of a normalized line."""
        hit = self.lines.get(line)
        if hit is not None:
            return hit
        words = segmenter.cut(line)
        try:  # a C loop straight into an array; new words are the exception
            numbers = array("i", map(self.ids.__getitem__, words))
        except KeyError:
            for word in words:
                if word not in self.ids:
                    self.number(word)
            numbers = array("i", map(self.ids.__getitem__, words))
        hit = (numbers, sum(map(self.counts.__getitem__, numbers)))
        if len(line) <= LINE_CACHE_CHARS:
            if len(self.lines) >= LINE_CACHE_SIZE:
                self.lines.clear()
            self.lines[line] = hit
        return hit


class WordTokens:
    """One word field's records in a segment: their words' numbers, line by line."""

    def __init__(self, table: WordTable) -> None:
        self.table = table
        self.words = array("i")
        self.lines = array("i")  # words in each line
        self.records: list[int] = []  # document numbers of the records with any token
        self.line_counts: list[int] = []  # lines in each such record
        self.lengths: list[int] = []  # tokens in each such record

    def add(self, docnum: int, norm: str) -> int:
        """Take a record's normalized value; its field length (tokens, stop words left out)."""
        words, lines, line = self.words, self.lines, self.table.line
        mark = (len(words), len(lines))
        tokens = 0
        try:
            for text in norm.split("\n") if "\n" in norm else (norm,):
                numbers, n = line(text)
                words.extend(numbers)
                lines.append(len(numbers))
                tokens += n
        except BaseException:  # a record is taken whole or not at all
            del words[mark[0]:], lines[mark[1]:]
            raise
        if not tokens:  # no position of it matters
            del words[mark[0]:], lines[mark[1]:]
            return 0
        self.records.append(docnum)
        self.line_counts.append(len(lines) - mark[1])
        self.lengths.append(tokens)
        return tokens

    def drop(self, docnum: int) -> None:
        """Forget a record's words (it failed before it was complete)."""
        if self.records and self.records[-1] == docnum:
            self.records.pop()
            lines = self.line_counts.pop()
            self.lengths.pop()
            words = sum(self.lines[len(self.lines) - lines:])
            del self.lines[len(self.lines) - lines:], self.words[len(self.words) - words:]

    def tokens(self) -> Tokens | None:
        """The field's tokens (None if no record has any), its buffers let go."""
        if not self.records:
            return None
        table = self.table
        words = np.array(self.words, np.int32)
        per_line = np.array(self.lines, np.int64)
        self.words, self.lines = array("i"), array("i")
        kinds = np.array(table.kinds, np.int8)[words]
        line_of_word = np.repeat(np.arange(len(per_line)), per_line)
        first_word = _starts(per_line)
        # A kept word's position in its line: the kept words before it there.
        kept = np.zeros(len(words) + 1, np.int64)
        np.cumsum(kinds == _WORD, out=kept[1:])
        in_line = kept[:-1] - kept[first_word][line_of_word]
        # A line's last position: its last word's, or one more if a stop word comes after it.
        last = kept[first_word + per_line] - kept[first_word] - 1
        last += _last_index(line_of_word, kinds == _STOP, len(per_line)) > \
            _last_index(line_of_word, kinds == _WORD, len(per_line))
        # Lines start one position after the last one ended, from 0 in each record.
        line_counts = np.asarray(self.line_counts, np.int64)
        record_of_line = np.repeat(np.arange(len(line_counts)), line_counts)
        ends = np.zeros(len(per_line) + 1, np.int64)
        np.cumsum(last + 2, out=ends[1:])
        base = ends[:-1] - ends[_starts(line_counts)][record_of_line]
        position = base[line_of_word] + in_line
        # Each word's terms, all at its position.
        counts = np.array(table.counts, np.int64)[words]
        at = np.repeat(np.array(table.starts, np.int64)[words] - _starts(counts), counts) \
            + np.arange(int(counts.sum()))
        numbers = np.array(table.terms, np.int32)[at]
        docnums = np.asarray(self.records, np.int32)
        records = np.repeat(docnums[record_of_line][line_of_word], counts)
        lengths = np.zeros(self.records[-1] + 1, np.int32)
        lengths[docnums] = self.lengths
        self.records, self.line_counts, self.lengths = [], [], []
        used = np.flatnonzero(np.bincount(numbers, minlength=len(table.names)))
        names = [table.names[n].encode("utf-8") for n in used.tolist()]
        return Tokens(names, used, numbers, records,
                      np.repeat(position, counts).astype(np.int32), lengths)


def _starts(counts: np.ndarray) -> np.ndarray:
    """Where each of some runs of the given lengths starts (exclusive running sum)."""
    out = np.zeros(len(counts), np.int64)
    np.cumsum(counts[:-1], out=out[1:])
    return out


def _last_index(line_of_word: np.ndarray, which: np.ndarray, lines: int) -> np.ndarray:
    """Per line, the index of its last word where `which` holds (-1: none)."""
    out = np.full(lines, -1, np.int64)
    index = np.flatnonzero(which)
    line = line_of_word[index]  # ascending: a line's last is where the next is another line
    last = np.flatnonzero(np.append(line[1:] != line[:-1], True)) if len(index) else index
    out[line[last]] = index[last]
    return out
