"""The posting format of our text fields: positions as packed 32-bit integers.

whoosh's own ``Positions`` format pickles a list of deltas for every posting; with tens of
millions of postings, that pickling is a large share of an indexing run. Packed positions
are a byte slice of one array, so the bulk writer (:mod:`index.write.bulk`) makes a posting's
value without a Python call, and whoosh's writers, readers and phrase queries use the format
through its ``encode``/``decode_*`` methods like any other.
"""
from __future__ import annotations

from array import array
from typing import Iterable

from whoosh import formats

ITEM = "I"  # unsigned 32-bit, native byte order (as numpy writes them in index.write.bulk)
assert array(ITEM).itemsize == 4


class PackedPositions(formats.Positions):
    """Positions stored as a packed array of unsigned 32-bit integers (absolute, ascending)."""

    def encode(self, poslist: Iterable[int]) -> bytes:
        return array(ITEM, poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return array(ITEM, valuestring).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4
