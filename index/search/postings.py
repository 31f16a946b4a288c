"""A term's postings read straight from a segment's mapped postings file into numpy.

whoosh's matcher reads a block header with ``pickle.load`` on a file object (a call into
Python for every few bytes), wraps the term in a matcher, and looks the term up twice (``in``,
then ``postings``): about a third of a first-time keyword query. Here the term is looked up
once, each block's header and data are unpickled from slices of the mapped file, and only the
record numbers and weights are kept (positions are never decoded). The blocks are whoosh's
own (``index.write.bulk`` writes them as ``W3PostingsWriter`` does), so whoosh's matcher
still reads them, for phrases and anything else; ``tests/test_postings.py`` checks that both
give the same records and weights.
"""
from __future__ import annotations

import io
import pickle
import struct
import zlib

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo

EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
_INT = struct.Struct("!i")
_HEADER_MAX = 64  # bytes: a block's pickled header (six small numbers) is far shorter


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
    """Every block of one posting list: ids (delta-coded in each block) and weights, turned
    into arrays once for the whole list, not per block."""
    if bytes(buf[offset:offset + 4]) != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"postings at {offset}: not a whoosh block list")
    pos, end = offset + 4, offset + length
    deltas: list[int] = []
    weights: list[float] = []
    prev_max = 0
    while pos < end:
        size = _INT.unpack_from(buf, pos)[0]
        nextpos = pos + 4 + abs(size)
        head = io.BytesIO(buf[pos + 4:min(nextpos, pos + 4 + _HEADER_MAX)])
        count, maxid, _, compression, _, _ = pickle.load(head)
        data = buf[pos + 4 + head.tell():nextpos]
        block_ids, w, _ = pickle.loads(zlib.decompress(data) if compression else data)
        first = len(deltas)
        deltas += block_ids
        deltas[first] -= prev_max  # a block's first id is absolute: one cumsum for all
        prev_max = maxid
        weights += [1.0] * count if w is None else [w] * count if isinstance(w, float) else w
        if size < 0:  # the last block
            break
        pos = nextpos
    if not deltas:
        return EMPTY
    return np.cumsum(np.array(deltas, dtype=np.int64)), np.array(weights, dtype=np.float32)
