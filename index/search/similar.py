"""Which hits on a page repeat another hit: the same notice re-posted, one article in two versions.

Re-posts differ in a header line or a site's boilerplate, so the test is the share of
character bigrams two texts have in common (Jaccard), not equality: the re-posts seen among
ncp_policies' hits share 0.93 and more; a news story that quotes a notice, far less.
"""
from __future__ import annotations

import functools
import heapq
from dataclasses import dataclass
from typing import Callable, Sequence

SAME_TEXT = 0.9  # bigram Jaccard from which two texts count as the same document
SKETCH = 64  # smallest bigram hashes kept per text (Broder's bottom-k sample)
# Two texts at Jaccard 0.9 share about 58 of their 64 smallest hashes (± 2.4): fewer than
# half shared rules the pair out before the exact count, which costs ~100 µs on long texts.
CLEARLY_APART = 0.5


@dataclass(frozen=True)
class Shingles:
    grams: frozenset[str]

    @functools.cached_property
    def sketch(self) -> frozenset[int]:
        """The SKETCH smallest hashes of grams (all of them for a short text).

        Made on first use: most pairs on a page are told apart by their sizes alone.
        """
        return frozenset(heapq.nsmallest(SKETCH, map(hash, self.grams)))


def shingles(text: str) -> Shingles:
    """The text's character bigrams, spaces left out (texts are normalized by the caller)."""
    chars = "".join(text.split())
    return Shingles(frozenset(chars[i:i + 2] for i in range(len(chars) - 1)))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
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
    if len(a.sketch & b.sketch) < CLEARLY_APART * min(len(a.sketch), len(b.sketch)):
        return False
    return jaccard(a.grams, b.grams) >= threshold
