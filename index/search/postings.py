"""A term's postings read straight from a segment's mapped postings file into numpy.

whoosh's matcher reads a block header with ``pickle.load`` on a file object (a call into
Python for every few bytes), wraps the term in a matcher, and looks the term up twice (``in``,
then ``postings``), and unpickles every posting's id, weight and positions: most of a
first-time keyword query. Here the term is looked up once, each block's header and data are
unpickled from slices of the mapped file, and only the record numbers and weights are kept.
The bulk writer's blocks (:mod:`index.write.bulk`, 512 postings) hold them as arrays, taken
in place, and their positions as one blob (:class:`index.positions.BlockValues`, never split
here); whoosh's own blocks (merged segments, small commits) hold tuples, converted. whoosh's matcher
still reads both (phrases, merges); ``tests/test_postings.py`` checks that both readers give
the same records and weights.
"""
from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo

EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
_INT = struct.Struct("!i")
_HEADER_MAX = 64  # bytes: a block's pickled header (six small numbers) is far shorter
_DTYPE = {"B": np.uint8, "H": np.uint16, "I": np.uint32, "L": np.uint64, "f": np.float32,
          "d": np.float64}


def read_postings(reader: object, field: str,
                  term: str | bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """(record numbers, weights) of a term in one segment reader, deleted records included;
    EMPTY when the segment lacks the term, None when the segment is not one this reads
    (the caller then asks whoosh's matcher)."""
    terms = getattr(reader, "_terms", None)
    postfile = getattr(terms, "_postfile", None)
    buf = getattr(postfile, "_buf", None)
    schema = getattr(reader, "schema", None)
    if buf is None or schema is None or not hasattr(terms, "_tindex"):
        return None
    if field not in schema:
        return EMPTY
    tbytes = schema[field].to_bytes(term) if isinstance(term, str) else term
    try:
        raw = terms._tindex[terms._keycoder(field, tbytes)]
    except KeyError:
        return EMPTY
    info = W3TermInfo.from_bytes(raw)
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh's from_bytes leaves the unpacked tuple
        length = length[0]
    return _blocks(buf, offset, length)


def _blocks(buf: memoryview, offset: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Every block of one posting list: ids (delta-coded in each block) and weights.

    Our bulk writer's blocks hold arrays, taken in place; whoosh's own (merged segments,
    small commits) hold tuples, converted."""
    if bytes(buf[offset:offset + 4]) != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"postings at {offset}: not a whoosh block list")
    pos, end = offset + 4, offset + length
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    starts: list[int] = []  # where each block begins in the joined list
    maxes: list[int] = []  # each block's last id
    total = 0
    while pos < end:
        size = _INT.unpack_from(buf, pos)[0]
        nextpos = pos + 4 + abs(size)
        head = io.BytesIO(buf[pos + 4:min(nextpos, pos + 4 + _HEADER_MAX)])
        count, maxid, _, compression, _, _ = pickle.load(head)
        data = buf[pos + 4 + head.tell():nextpos]
        block_ids, w, _ = pickle.loads(zlib.decompress(data) if compression else data)
        ids.append(np.frombuffer(block_ids, _DTYPE[block_ids.typecode])
                   if isinstance(block_ids, array) else np.asarray(block_ids, np.int64))
        weights.append(np.ones(count, np.float32) if w is None else
                       np.full(count, w, np.float32) if isinstance(w, float) else
                       np.frombuffer(w, _DTYPE[w.typecode]) if isinstance(w, array) else
                       np.asarray(w, dtype=np.float32))
        starts.append(total)
        maxes.append(maxid)
        total += count
        if size < 0:  # the last block
            break
        pos = nextpos
    if not ids:
        return EMPTY
    deltas = np.concatenate(ids).astype(np.int64) if len(ids) > 1 else \
        ids[0].astype(np.int64)
    if len(starts) > 1:  # a block's first id is absolute: make it a delta, one cumsum for all
        deltas[starts[1:]] -= np.asarray(maxes[:-1], dtype=np.int64)
    w_all = np.concatenate(weights) if len(weights) > 1 else weights[0]
    return np.cumsum(deltas), w_all.astype(np.float32, copy=False)
