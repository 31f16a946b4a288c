"""whoosh's term index (an OrderedHashWriter: key/value records, then 256 hash tables) written
a chunk of keys at a time: the same bytes as adding each key and closing, with the keys' MD5
hashes taken in one pass and the hash tables filled and written as arrays.

whoosh spends about a microsecond of Python per key in ``add`` and two per key and slot in
``_write_hashes`` (a tuple and a write of 12 bytes each); a segment has 100,000s of terms.
"""
from __future__ import annotations

from array import array
from functools import partial
from hashlib import md5

import numpy as np
from whoosh.filedb.filetables import OrderedHashWriter, md5_hash

from index.write.termbytes import gather

_LENGTHS = np.dtype([("key", ">i4"), ("value", ">i4")])  # a record's head (filetables "!ii")
# A hash table slot (filetables._pointer "!Iq"): the key's hash and its record's position.
_SLOT = np.dtype([("hash", ">u4"), ("pos", ">i8")])
try:  # CPython's own MD5: twice as fast as OpenSSL's for short keys (no EVP context each)
    from _md5 import md5 as _MD5
except ImportError:  # pragma: no cover - another Python
    _MD5 = partial(md5, usedforsecurity=False)
_DIGEST = type(_MD5()).digest


def key_hashes(keys: list[bytes]) -> np.ndarray:
    """filetables.md5_hash of every key: the low 32 bits of the digest read as one big number,
    i.e. its last four bytes, big-endian."""
    digests = b"".join(map(_DIGEST, map(_MD5, keys)))
    return np.frombuffer(digests, ">u4")[3::4].astype(np.int64)


class TermIndexWriter(OrderedHashWriter):
    """An OrderedHashWriter that takes ascending keys a chunk at a time (:meth:`add_many`)
    and keeps their hashes and positions in arrays until it writes the hash tables."""

    @classmethod
    def adopt(cls, writer: OrderedHashWriter) -> TermIndexWriter:
        """writer itself, turned into this class before any key was added (whoosh's field
        writer makes its own and keeps a reference to it)."""
        if type(writer) is not OrderedHashWriter or len(writer.index) or \
                any(writer.buckets):
            raise ValueError("only a fresh OrderedHashWriter can be adopted")
        writer.__class__ = cls
        assert isinstance(writer, cls)
        writer._hashes = []
        writer._positions = []
        writer._keys = []
        writer._values = []
        return writer

    _hashes: list[np.ndarray]
    _positions: list[np.ndarray]
    _keys: list[bytes]  # keys added one at a time (whoosh's own writer path), not yet written
    _values: list[bytes]

    def add(self, key: bytes, value: bytes) -> None:
        # Kept until the next chunk or the end: a chunk's arrays cost microseconds to set up.
        last = self._keys[-1] if self._keys else self.lastkey
        if key <= last:
            raise ValueError(f"Keys must increase: {last!r}..{key!r}")
        self._keys.append(key)
        self._values.append(value)

    def tell(self) -> int:
        self._write_added()
        return super().tell()

    def _write_added(self) -> None:
        """Write the keys add kept."""
        if self._keys:
            keys, values = self._keys, self._values
            self._keys, self._values = [], []
            self.add_many(keys, values)

    def add_many(self, keys: list[bytes], values: list[bytes]) -> None:
        """What add does for each (key, value), keys ascending: one write of the records."""
        self.add_packed(keys, np.frombuffer(b"".join(values), np.uint8),
                        np.fromiter(map(len, values), np.int64, len(values)))

    def add_packed(self, keys: list[bytes], values: np.ndarray, lengths: np.ndarray) -> None:
        """add_many with the values one after another in one array, and their lengths."""
        if not keys:
            return
        self._write_added()
        if keys[0] <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{keys[0]!r}")
        dbfile = self.dbfile
        start = dbfile.tell()
        n = len(keys)
        heads = np.empty(n, _LENGTHS)
        heads["key"] = klens = np.fromiter(map(len, keys), np.int64, n)
        heads["value"] = vlens = np.asarray(lengths, np.int64)
        sizes = klens + vlens + _LENGTHS.itemsize
        positions = np.cumsum(sizes)
        positions -= sizes
        positions += start
        # The records (lengths, key, value), each piece copied from one buffer at once.
        src = np.concatenate([heads.view(np.uint8), np.frombuffer(b"".join(keys), np.uint8),
                              values])
        koffs = np.cumsum(klens) - klens + heads.nbytes
        voffs = np.cumsum(vlens) - vlens + heads.nbytes + int(klens.sum())
        pieces = np.stack([_LENGTHS.itemsize * np.arange(n), koffs, voffs], 1).reshape(-1)
        sizes = np.stack([np.full(n, _LENGTHS.itemsize), klens, vlens], 1).reshape(-1)
        dbfile.write(gather(src, pieces, sizes).tobytes())
        self._index_positions(positions)
        self._hashes.append(key_hashes(keys) if self.hashfn is md5_hash else
                            np.fromiter(map(self.hashfn, keys), np.int64, len(keys)))
        self._positions.append(positions)
        self.lastkey = keys[-1]

    def _index_positions(self, positions: np.ndarray) -> None:
        """GrowableArray.extend(positions): in place when they fit its type, else as it does."""
        index = self.index
        if isinstance(index.array, array):
            try:
                index.array.extend(array(index.array.typecode, positions.tolist()))
                return
            except OverflowError:
                pass
        index.extend(positions.tolist())

    def _write_hashes(self) -> None:
        """filetables.HashWriter._write_hashes: per bucket (a hash's low 8 bits) a table of
        twice its entries' slots, each entry linearly probed from (hash >> 8) % slots in the
        order the keys came."""
        self._write_added()
        dbfile = self.dbfile
        hashes = np.concatenate(self._hashes) if self._hashes else np.zeros(0, np.int64)
        positions = np.concatenate(self._positions) if self._positions else hashes
        buckets = hashes & 255
        order = np.argsort(buckets, kind="stable")  # by bucket, then in the order added
        counts = np.bincount(buckets, minlength=256)
        slots = 2 * counts
        bases = np.cumsum(slots) - slots  # each bucket's first slot
        start = dbfile.tell()
        self.directory.extend(zip((start + bases * _SLOT.itemsize).tolist(), slots.tolist()))
        b = buckets[order]
        homes = bases[b] + (hashes[order] >> 8) % slots[b]
        table = [-1] * int(slots.sum())  # entry in each slot (-1: empty)
        for entry, home, base, size in zip(order.tolist(), homes.tolist(), bases[b].tolist(),
                                           slots[b].tolist()):
            slot = home
            while table[slot] >= 0:
                slot = base + (slot - base + 1) % size
            table[slot] = entry
        filled = np.asarray(table, np.int64)
        out = np.zeros(len(filled), _SLOT)
        used = filled >= 0
        out["hash"][used] = hashes[filled[used]]
        out["pos"][used] = positions[filled[used]]
        dbfile.write(out.tobytes())
