"""The posting format of our text fields: positions as delta-coded varints.

whoosh's own ``Positions`` format pickles a list of deltas for every posting; with tens of
millions of postings, that pickling is a large share of an indexing run. Here a posting's value
is bytes: each position's distance from the previous one (the first from 0) in LEB128 (seven
bits a byte, the high bit set on every byte but a number's last). Most distances in a body are
under 128 and most positions under 16,384, so a posting takes one or two bytes a position where
packed 32-bit integers took four. The bulk writer (:mod:`index.write.bulk`) makes every
posting's bytes at once in numpy (:func:`pack_postings`); whoosh's writers, readers and phrase
queries use the format through its ``encode``/``decode_*`` methods like any other.
"""
from __future__ import annotations

from array import array
from itertools import accumulate
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from whoosh import formats

if TYPE_CHECKING:
    import numpy as np

_HIGH = bytes(range(128, 256))  # continuation bytes: a varint ends at a byte under 128
_MAX_BYTES = 5  # a 32-bit position takes at most five varint bytes


class PackedPositions(formats.Positions):
    """Positions (ascending, from 0) stored as delta-coded LEB128 varints."""

    def encode(self, poslist: Iterable[int]) -> bytes:
        out = bytearray()
        prev = 0
        for pos in poslist:
            delta, prev = pos - prev, pos
            while delta >= 128:
                out.append(delta & 127 | 128)
                delta >>= 7
            out.append(delta)
        return bytes(out)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if valuestring.isascii():  # every distance under 128: one byte each (the usual case)
            return list(accumulate(valuestring))
        out: list[int] = []
        pos = delta = shift = 0
        for byte in valuestring:
            delta |= (byte & 127) << shift
            if byte & 128:
                shift += 7
            else:
                pos += delta
                out.append(pos)
                delta = shift = 0
        return out

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring.translate(None, _HIGH))


def pack_postings(positions: np.ndarray, starts: np.ndarray
                  ) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Every posting's value in one buffer, and where each starts and ends in it: positions
    holds postings one after another, starts their first (the bulk writer slices the buffer a
    chunk at a time, not millions of bytes objects at once)."""
    import numpy as np

    pos = positions.astype(np.int64)
    deltas = pos.copy()
    deltas[1:] -= pos[:-1]
    deltas[starts] = pos[starts]  # a posting's first position counts from 0
    sizes = np.ones(len(deltas), np.int64)
    for k in range(1, _MAX_BYTES):
        sizes += deltas >= (1 << (7 * k))
    ends = np.cumsum(sizes)
    begins = ends - sizes
    out = np.empty(int(ends[-1]) if len(ends) else 0, np.uint8)
    for k in range(_MAX_BYTES):
        has = sizes > k
        if not has.any():
            break
        more = (sizes[has] > k + 1).astype(np.int64) << 7
        out[begins[has] + k] = ((deltas[has] >> (7 * k)) & 127) | more
    first = begins[starts]
    ends = np.append(first[1:], len(out)) if len(first) else first
    return out.tobytes(), first, ends


class BlockValues:
    """A postings block's values (PackedPositions' bytes, one per posting) as one blob, split
    only when a value is asked for.

    The bulk writer pickles a block as ``(ids array, weights, BlockValues)``, so that ranking
    (index.search.postings) unpickles two arrays and one bytes object, not a tuple of hundreds
    of bytes, and takes the ids and weights straight into numpy; whoosh's matcher (phrases,
    merges) reads the values through ``__getitem__`` as it reads a tuple of bytes.
    """

    __slots__ = ("_blob", "_count", "_items")

    def __init__(self, blob: bytes, count: int) -> None:
        self._blob, self._count = blob, count
        self._items: list[bytes] | None = None

    @classmethod
    def pack(cls, values: Sequence[bytes]) -> BlockValues:
        """values as one blob: their sizes (one byte each when all are under 256), then their
        bytes (the block they are in is deflated whole)."""
        sizes = [len(v) for v in values]
        code = "B" if max(sizes, default=0) < 256 else "I"
        return cls(code.encode() + array(code, sizes).tobytes() + b"".join(values), len(values))

    def __reduce__(self) -> tuple:
        return (BlockValues, (self._blob, self._count))

    def _unpack(self) -> list[bytes]:
        raw = self._blob
        sizes = array(chr(raw[0]))
        head = 1 + sizes.itemsize * self._count
        sizes.frombytes(raw[1:head])
        items, pos = [], head
        for size in sizes:
            items.append(raw[pos:pos + size])
            pos += size
        return items

    def __getitem__(self, i: int) -> bytes:
        if self._items is None:
            self._items = self._unpack()
        return self._items[i]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[bytes]:
        return (self[i] for i in range(self._count))
