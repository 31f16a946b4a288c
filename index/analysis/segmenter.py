"""jieba's words from rjieba (jieba-rs, compiled): the same dictionary, the same cut, ~10× faster.

rjieba ships jieba's own dictionary (the same 349,045 words, tests/test_tokens.py checks it
against jieba's) and its precise mode with the HMM for unknown runs; the user words are added
as jieba.add_word adds them. Where the two still differ on real text is measured by
benchmarks/tokens.py and described in the README.

The dictionary is process-wide (rjieba's module-level tokenizer, loaded when rjieba is
imported, in about 0.2 s): the analyzers pickled into an index hold no tokenizer.
"""
from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable

import rjieba

Entry = tuple[str, int, "str | None"]  # word, frequency, part-of-speech tag

# jieba's HMM keeps Latin letters and digits together, a decimal and a percent sign with them
# (3.5%), and every other run of characters apart (finalseg.re_skip); jieba-rs also keeps
# letters and digits joined by . - _ together (t-shirt, 2019-00007, 1.2.3, source_url).
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_JOINERS = re.compile(r"[a-zA-Z0-9][._-]+[a-zA-Z0-9]")  # a line jieba-rs may cut otherwise

# Han characters jieba does not take for Han (its re_han stops at U+9FD5 and leaves out
# Extension A and the astral planes) and cuts one by one; jieba-rs cuts them with the rest.
_NOT_HAN_TO_JIEBA = re.compile("[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")

_LOCK = threading.Lock()
_ADDED: dict[str, int] = {}  # user word → frequency, every word added in this process


def add_words(entries: Iterable[Entry]) -> None:
    """Add user words, as jieba.add_word does (a later frequency replaces an earlier one).

    A frequency of 0 (jieba's "never a word") cannot be expressed: read_userdict refuses it.
    """
    with _LOCK:
        for word, freq, tag in entries:
            rjieba.add_word(word, freq, tag)
            _ADDED[word] = freq


def tokenize(line: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of jieba's precise mode with the HMM, offsets in characters."""
    if _NOT_HAN_TO_JIEBA.search(line):
        return _around_rare(line)
    words = rjieba.tokenize(line, "default", True)
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
    words = rjieba.cut(line, True)
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
    if len(word) < 3 or not _JOINERS.search(word) or rjieba.has_word(word):
        return None
    pieces = [p for p in _JIEBA_SKIP.split(word) if p]
    return pieces if len(pieces) > 1 else None


def is_word(text: str) -> bool:
    """True for a dictionary word (jieba: a nonzero frequency; its 0-frequency prefixes are not)."""
    return rjieba.has_word(text)


@functools.lru_cache(maxsize=1)  # opening an index asked twice: 2 ms each, scanning sys.path
def version() -> str:
    """rjieba's version, for the index's fingerprint (another segmenter, another index)."""
    from importlib.metadata import PackageNotFoundError, version as dist_version
    try:
        return dist_version("rjieba")
    except PackageNotFoundError:
        return "?"
