"""jieba's words from rjieba (jieba-rs, compiled): the same dictionary, the same cut, ~10× faster.

rjieba ships jieba's own dictionary (the same 349,045 words, tests/test_tokens.py checks it
against jieba's) and its precise mode with the HMM for unknown runs; the user words are added
as jieba.add_word adds them. Where the two still differ on real text is measured by
benchmarks/tokens.py and described in the README.

The dictionary is process-wide (rjieba's module-level tokenizer, loaded when rjieba is
first needed, in about 0.1 s): the analyzers pickled into an index hold no tokenizer. A
process that cuts only a few short lines (one `gongwen search` from the shell) may instead
call :func:`use_word_lookup`: each line is then cut by an empty rjieba tokenizer given just
the dictionary words that occur in it, read from a table in the cache folder, with the same
frequencies and the same total, so the same words (index/analysis/word_lookup.py).
"""
from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Entry = tuple[str, int, "str | None"]  # word, frequency, part-of-speech tag

# jieba's HMM keeps Latin letters and digits together, a decimal and a percent sign with them
# (3.5%), and every other run of characters apart (finalseg.re_skip); jieba-rs also keeps
# letters and digits joined by . - _ together (t-shirt, 2019-00007, 1.2.3, source_url).
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_JOINERS = re.compile(r"[a-zA-Z0-9][._-]+[a-zA-Z0-9]")  # a line jieba-rs may cut otherwise

# Han characters jieba does not take for Han (its re_han stops at U+9FD5 and leaves out
# Extension A and the astral planes) and cuts one by one; jieba-rs cuts them with the rest.
# Lone surrogates (half of an escaped pair, \ud800 in a JSON record) too: jieba cuts them
# alone, and jieba-rs cannot take them at all (it wants UTF-8).
_NOT_HAN_TO_JIEBA = re.compile(
    "[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003ffff\ud800-\udfff]")

_LOCK = threading.Lock()
_ADDED: dict[str, tuple[int, "str | None"]] = {}  # user word → (frequency, tag), every one added
_FULL: Any = None  # rjieba, once imported (its whole dictionary) with the user words added
_LOOKUP: Any = None  # the word lookup, in a process that asked for it (use_word_lookup)


def _rjieba() -> Any:
    """rjieba with its whole dictionary and every user word added so far."""
    global _FULL
    if _FULL is None:
        with _LOCK:
            if _FULL is None:
                import rjieba  # builds its dictionary: 0.1 s

                for word, (freq, tag) in _ADDED.items():
                    rjieba.add_word(word, freq, tag)
                _FULL = rjieba
    return _FULL


def _cutter(text: str) -> Any:
    """What cuts text: the word lookup, given the words of text, or rjieba itself."""
    if _LOOKUP is not None and _FULL is None:
        with _LOCK:
            small = _LOOKUP.ready(text, _ADDED) if _LOOKUP is not None else None
        if small is not None:
            return small
    return _rjieba()


def use_word_lookup(cache_dir: Path | None = None) -> bool:
    """Cut this process's lines by looking their words up, not by loading the whole dictionary.

    For a process that cuts a few short lines and exits; False (and rjieba as usual) when
    the table cannot be read or written in cache_dir, or rjieba is already loaded.
    """
    global _LOOKUP
    if _FULL is not None:
        return False
    try:
        from index.analysis.word_lookup import WordLookup
    except ImportError:  # a Python built without sqlite3: the whole dictionary, as before
        return False
    lookup = WordLookup.open(cache_dir)
    with _LOCK:
        _LOOKUP = lookup
    return lookup is not None


def add_words(entries: Iterable[Entry]) -> None:
    """Add user words, as jieba.add_word does (a later frequency replaces an earlier one).

    A frequency of 0 (jieba's "never a word") cannot be expressed: read_userdict refuses it.
    """
    entries = list(entries)
    with _LOCK:
        for word, freq, tag in entries:
            _ADDED[word] = (freq, tag)
        if _LOOKUP is not None:
            _LOOKUP.forget()  # words already looked up may have another frequency now
    if _FULL is not None:
        with _LOCK:
            for word, freq, tag in entries:
                _FULL.add_word(word, freq, tag)
    elif _LOOKUP is None:
        _rjieba()  # loaded now, as before, with every user word (a server forks after this)


def tokenize(line: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of jieba's precise mode with the HMM, offsets in characters."""
    if _NOT_HAN_TO_JIEBA.search(line):
        return _around_rare(line)
    words = _cutter(line).tokenize(line, "default", True)
    if not _JOINERS.search(line):
        return words
    out = []
    for word, start, end in words:
        pieces = _jieba_pieces(word)
        if pieces is None:
            out.append((word, start, end))
            continue
        for piece in pieces:
            out.append((piece, start, start + len(piece)))
            start += len(piece)
    return out


def cut(line: str) -> list[str]:
    """The words of jieba's precise mode with the HMM."""
    if _NOT_HAN_TO_JIEBA.search(line):
        return [word for word, _, _ in _around_rare(line)]
    words = _cutter(line).cut(line, True)
    if not _JOINERS.search(line):
        return words
    out = []
    for word in words:
        pieces = _jieba_pieces(word)
        if pieces is None:
            out.append(word)
        else:
            out += pieces
    return out


def _around_rare(line: str) -> list[tuple[str, int, int]]:
    """tokenize() of a line with characters jieba cuts alone: the text between them, and them."""
    out: list[tuple[str, int, int]] = []
    at = 0
    for m in _NOT_HAN_TO_JIEBA.finditer(line):
        if m.start() > at:
            out += [(w, at + s, at + e) for w, s, e in tokenize(line[at:m.start()])]
        out.append((m.group(), m.start(), m.end()))
        at = m.end()
    if at < len(line):
        out += [(w, at + s, at + e) for w, s, e in tokenize(line[at:])]
    return out


def _jieba_pieces(word: str) -> list[str] | None:
    """jieba's pieces of a word jieba-rs kept whole (2019-00007 → 2019 - 00007), else None."""
    if len(word) < 3 or not _JOINERS.search(word) or _cutter(word).has_word(word):
        return None
    pieces = [p for p in _JIEBA_SKIP.split(word) if p]
    return pieces if len(pieces) > 1 else None


def is_word(text: str) -> bool:
    """True for a dictionary word (jieba: a nonzero frequency; its 0-frequency prefixes are not)."""
    # U+FFFF: the word lookup's placeholder (word_lookup.PLACEHOLDER), a word to it alone
    return text != "\uffff" and _cutter(text).has_word(text)


@functools.lru_cache(maxsize=1)  # opening an index asked twice: 2 ms each, scanning sys.path
def version() -> str:
    """rjieba's version, for the index's fingerprint (another segmenter, another index)."""
    from importlib.metadata import PackageNotFoundError, version as dist_version
    try:
        return dist_version("rjieba")
    except PackageNotFoundError:
        return "?"
