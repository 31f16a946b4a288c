"""Which hits on a page repeat another hit: the same notice re-posted, one article in two versions.

Re-posts differ in a header line or a site's boilerplate, so the test is the share of
character bigrams two texts have in common (Jaccard), not equality: the re-posts seen among
ncp_policies' hits share 0.93 and more; a news story that quotes a notice, far less.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

SAME_TEXT = 0.9  # bigram Jaccard from which two texts count as the same document
SKETCH = 64  # smallest bigram hashes kept per text (Broder's bottom-k sample)
# Two texts at Jaccard 0.9 share about 58 of their 64 smallest hashes (± 2.4): fewer than
# half shared rules the pair out before the exact count, which costs ~100 µs on long texts.
CLEARLY_APART = 0.5
# A bigram is one integer: its two code points (21 bits each) side by side. A frozenset of
# bigram strings took ~130 bytes a bigram, half the server's search cache; this takes 8.
_CODE_BITS = np.uint64(21)
_MIX, _MIX_SHIFT = np.uint64(0x9E3779B97F4A7C15), np.uint64(29)  # a bijective 64-bit mix
_NO_GRAMS = np.zeros(0, dtype=np.uint64)


@dataclass(frozen=True)
class Shingles:
    grams: np.ndarray  # sorted distinct bigram codes (uint64)

    @functools.cached_property
    def sketch(self) -> np.ndarray:
        """The SKETCH smallest hashes of grams (all of them for a short text), sorted.

        Made on first use: most pairs on a page are told apart by their sizes alone.
        """
        hashed = self.grams * _MIX  # wraps modulo 2**64: odd multiplier, so no collisions
        hashed ^= hashed >> _MIX_SHIFT
        if len(hashed) > SKETCH:
            hashed = np.partition(hashed, SKETCH - 1)[:SKETCH]
        return np.sort(hashed)


def shingles(text: str) -> Shingles:
    """The text's character bigrams, spaces left out (texts are normalized by the caller)."""
    chars = "".join(text.split())
    if len(chars) < 2:
        return Shingles(_NO_GRAMS)
    points = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return Shingles(distinct((points[:-1] << _CODE_BITS) | points[1:]))


def distinct(values: np.ndarray) -> np.ndarray:
    """np.unique(values), without np.unique's import of numpy.ma (0.02 s of a CLI search)."""
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def _common(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted arrays of distinct values share."""
    if not len(a) or not len(b):
        return 0
    if len(a) > len(b):
        a, b = b, a
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    return int(np.count_nonzero(b[at] == a))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard of two Shingles' grams."""
    if not len(a) or not len(b):
        return 0.0
    common = _common(a, b)
    return common / (len(a) + len(b) - common)


def same_as(keys: Sequence[str], shingles_of: Callable[[int], Shingles],
            threshold: float = SAME_TEXT) -> list[str | None]:
    """For each item, the key of the first earlier item with the same text, or None.

    ``shingles_of(i)`` gives item i's shingles; an item that repeats another points at the
    first of them, so a notice posted three times shows as one original and two repeats.
    """
    out: list[str | None] = []
    originals: list[Shingles] = []
    first: list[int] = []
    for i in range(len(keys)):
        mine = shingles_of(i)
        match = next((n for n, other in zip(first, originals)
                      if _same(mine, other, threshold)), None)
        out.append(None if match is None else keys[match])
        if match is None:
            originals.append(mine)
            first.append(i)
    return out


def _same(a: Shingles, b: Shingles, threshold: float) -> bool:
    small, big = sorted((len(a.grams), len(b.grams)))
    if small < threshold * big:  # sizes too far apart to reach the threshold
        return False
    if _common(a.sketch, b.sketch) < CLEARLY_APART * min(len(a.sketch), len(b.sketch)):
        return False
    return jaccard(a.grams, b.grams) >= threshold
