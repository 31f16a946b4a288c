"""A faster jieba for bulk indexing, word for word the same as jieba's own.

jieba cuts a sentence into blocks of Han characters and cuts each block on its own
(``Tokenizer.__cut_DAG``: a dictionary DAG, the best route through it, an HMM for runs of
unknown single characters). :func:`accelerate` replaces that one method on the default
tokenizer, in this process, with a version that

* computes the best route in one backward pass with the log-probabilities precomputed
  (the same floating-point operations, in the same order, as ``Tokenizer.calc``);
* remembers the words of every block it has cut (official documents repeat their phrases).

Tokens are unchanged: a test compares the two on real text. The cache is dropped whenever the
dictionary changes (``jieba.add_word`` changes its total frequency).
"""
from __future__ import annotations

from math import log
from typing import Any, Iterator

import jieba
from jieba import finalseg

CACHE_SIZE = 500_000


class _FastCut:
    """The replacement for jieba.dt.__cut_DAG (see the module docstring)."""

    def __init__(self, tokenizer: Any) -> None:
        self.tok = tokenizer
        self._snapshot: tuple[int, int] | None = None
        self.cache: dict[str, list[str]] = {}
        self.logp: dict[str, float] = {}
        self.logtotal = 0.0
        self.unknown = 0.0

    def _refresh(self) -> None:
        freq, total = self.tok.FREQ, self.tok.total
        snapshot = (id(freq), total)
        if snapshot != self._snapshot:
            self.logtotal = log(total)
            self.logp = {}  # filled as words are met
            self.unknown = log(1) - self.logtotal
            self.cache = {}
            self._snapshot = snapshot

    def route(self, sentence: str) -> list[int]:
        """end[x]: where the best word starting at x ends (jieba's route[x][1] + 1)."""
        freq, logp, unknown = self.tok.FREQ, self.logp, self.unknown
        n = len(sentence)
        best = [0.0] * (n + 1)
        end = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            top_p, top_x = 0.0, -1
            i = k
            frag = sentence[k]
            while i < n and frag in freq:
                f = freq[frag]
                if f:
                    lp = logp.get(frag)
                    if lp is None:
                        lp = logp[frag] = log(f) - self.logtotal
                    p = lp + best[i + 1]
                    if top_x < 0 or p >= top_p:  # max() over (p, x): ties go to the larger x
                        top_p, top_x = p, i
                i += 1
                frag = sentence[k:i + 1]
            if top_x < 0:
                top_p, top_x = unknown + best[k + 1], k
            best[k], end[k] = top_p, top_x + 1
        return end

    def words(self, sentence: str) -> list[str]:
        out: list[str] = []
        freq = self.tok.FREQ
        end = self.route(sentence)
        x, n, buf = 0, len(sentence), ""
        while x < n:
            y = end[x]
            word = sentence[x:y]
            if y - x == 1:
                buf += word
            else:
                if buf:
                    out.extend(self._buffered(buf, freq))
                    buf = ""
                out.append(word)
            x = y
        if buf:
            out.extend(self._buffered(buf, freq))
        return out

    @staticmethod
    def _buffered(buf: str, freq: dict[str, int]) -> list[str]:
        if len(buf) == 1:
            return [buf]
        if not freq.get(buf):
            return list(finalseg.cut(buf))
        return list(buf)

    def __call__(self, sentence: str) -> Iterator[str]:
        self._refresh()
        hit = self.cache.get(sentence)
        if hit is None:
            hit = self.words(sentence)
            if len(self.cache) >= CACHE_SIZE:
                self.cache = {}
            self.cache[sentence] = hit
        return iter(hit)


def accelerate() -> None:
    """Install the faster cut on jieba's default tokenizer in this process (idempotent)."""
    tok = jieba.dt
    tok.check_initialized()
    if not isinstance(tok.__dict__.get("_Tokenizer__cut_DAG"), _FastCut):
        tok._Tokenizer__cut_DAG = _FastCut(tok)


def restore() -> None:
    """Put jieba's own method back."""
    jieba.dt.__dict__.pop("_Tokenizer__cut_DAG", None)
