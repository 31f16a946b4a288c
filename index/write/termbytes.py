"""A text field's term infos and postings blocks as bytes, for a chunk of terms at once.

The bulk writer pickles, per term, either its postings inline in the term info (few postings)
or, per block, ``(ids array, weights, BlockValues)`` and the block's info tuple. Pickled one by
one (protocol 3, no memo), that is a tuple, an array object and a pickler call per block and
per term: over half a second of Python for a sixth of STARD. Every one of these pickles is a fixed sequence of
opcodes around numbers and bytes, so here they are laid out for all terms or blocks at once:
each pickle is a run of *pieces* (a constant, an encoded number, a slice of raw bytes), and one
gather copies every piece into place. The constants are cut from real pickles at import, and
tests compare the results with the pickler's, so the bytes are the pickler's own.
"""
from __future__ import annotations

import io
import pickle
from array import array
from typing import Any

import numpy as np

from index.positions import BlockValues

# whoosh writes protocol 2 and reads any; 2 pickles bytes ten times slower than 3 and 4, and
# 4 adds a 9-byte frame to every pickle.
PICKLE_PROTOCOL = 3
_U8 = np.uint8


def dumps(obj: Any) -> bytes:
    """obj pickled as the bulk writer pickles it, small: protocol 3 (bytes as bytes, no frame)
    and no memo (its tuples are flat: nothing repeats but bytes values, which the memo cannot
    share)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, PICKLE_PROTOCOL)
    pickler.fast = True
    pickler.dump(obj)
    return out.getvalue()


def _between(obj: Any, tail: bytes) -> bytes:
    """obj's pickle without the protocol header and the given tail."""
    body = dumps(obj)
    if not (body.startswith(b"\x80\x03") and body.endswith(tail)):
        raise AssertionError(f"unexpected pickle of {obj!r}: {body!r}")
    return body[2:len(body) - len(tail)]


# Constants: each an opcode run of the pickler's output. The order is the source's layout.
_CONSTS = {
    "": b"",
    "proto": b"\x80\x03",
    "mark": b"(",  # a tuple of four or more items starts with a mark...
    "tuple": b"t",  # ...and ends with TUPLE
    "tuple1": b"\x85",
    "tuple2": b"\x86",
    "tuple3": b"\x87",
    "none": b"N",
    "reduce": b"tR",  # an array's reconstructor arguments end, then REDUCE
    "tuple3stop": b"\x87.",
    "tuplestop": b"t.",
    "bv_end": b"\x86R\x87.",  # BlockValues' (blob, count), REDUCE, the block's 3-tuple, STOP
    "proto_mark": b"\x80\x03(",
    "bv_head": _between(BlockValues(b"", 0), b"C\x00K\x00\x86R."),
    **{"array_" + code: _between(array(code), b"C\x00tR.") for code in "BHI"},
    **{"code_" + code: code.encode() for code in "BI"},
}
_CONST_BYTES = b"".join(_CONSTS.values())
_C = {name: k for k, name in enumerate(_CONSTS)}  # a constant's number
_CLEN = np.array([len(v) for v in _CONSTS.values()], np.int64)
_CSTART = np.cumsum(_CLEN) - _CLEN
_ARRAY_CODES = "BHI"  # array typecodes by ints' size: under 2**8, 2**16, 2**32 (_int_array)


class _Layout:
    """Sources of bytes (one buffer) and pieces of them, placed at given piece numbers."""

    def __init__(self, pieces: int) -> None:
        self.sources: list[np.ndarray] = [np.frombuffer(_CONST_BYTES, _U8)]
        self.size = len(_CONST_BYTES)
        self.starts = np.zeros(pieces, np.int64)
        self.lengths = np.zeros(pieces, np.int64)

    def source(self, data: np.ndarray | bytes) -> int:
        """Adds bytes; where they start in the buffer."""
        at = self.size
        arr = np.frombuffer(data, _U8) if isinstance(data, bytes) else \
            np.ascontiguousarray(data).reshape(-1).view(_U8)
        self.sources.append(arr)
        self.size += len(arr)
        return at

    def const(self, where: np.ndarray | int, const: str | np.ndarray) -> None:
        """The constant of that name at pieces where (or an array of constants' numbers)."""
        k = _C[const] if isinstance(const, str) else const
        self.starts[where], self.lengths[where] = _CSTART[k], _CLEN[k]

    def put(self, where: np.ndarray, starts: np.ndarray, lengths: np.ndarray | int) -> None:
        self.starts[where] = starts
        self.lengths[where] = lengths

    def gather(self) -> np.ndarray:
        """Every piece's bytes, one after another."""
        return gather(np.concatenate(self.sources), self.starts, self.lengths)


def gather(src: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """src[starts[0]:starts[0] + lengths[0]], then the next piece, ..., as one array."""
    index = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    index += np.arange(len(index))
    return src[index]


def _ints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each int's pickle opcode and argument (5 bytes a row) and its length: BININT1 under 2**8,
    BININT2 under 2**16, else BININT (a 32-bit signed int, which every value must fit)."""
    values = np.asarray(values, np.int64)
    if len(values) and (values.min() < -(1 << 31) or values.max() >= 1 << 31):
        raise OverflowError("a number beyond BININT")
    out = np.empty((len(values), 5), _U8)
    small = (values >= 0) & (values < 1 << 8)
    mid = (values >= 1 << 8) & (values < 1 << 16)
    out[:, 0] = np.where(small, ord("K"), np.where(mid, ord("M"), ord("J")))
    out[:, 1:] = values.astype("<i4").view(_U8).reshape(-1, 4)
    return out, np.where(small, 2, np.where(mid, 3, 5))


def _byte_heads(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The opcode before bytes of each size: SHORT_BINBYTES under 256, else BINBYTES."""
    sizes = np.asarray(sizes, np.int64)
    out = np.empty((len(sizes), 5), _U8)
    short = sizes < 256
    out[:, 0] = np.where(short, ord("C"), ord("B"))
    out[:, 1:] = sizes.astype("<u4").view(_U8).reshape(-1, 4)
    return out, np.where(short, 2, 5)


def _floats(values: np.ndarray) -> np.ndarray:
    """BINFLOAT and the big-endian double: 9 bytes a row."""
    out = np.empty((len(values), 9), _U8)
    out[:, 0] = ord("G")
    out[:, 1:] = np.asarray(values, np.float64).astype(">f8").view(_U8).reshape(-1, 8)
    return out


def _tuple_ends(n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The constants (numbers) before and after the items of tuples of n items (n > 0)."""
    opens = np.where(n >= 4, _C["mark"], _C[""])
    closes = np.array([_C[""], _C["tuple1"], _C["tuple2"], _C["tuple3"]])[np.minimum(n, 3)]
    closes[n >= 4] = _C["tuple"]
    return opens, closes


def _split(buf: np.ndarray, lengths: np.ndarray) -> list[bytes]:
    """buf cut into consecutive bytes objects of these lengths."""
    data = buf.tobytes()
    ends = np.cumsum(lengths).tolist()
    return [data[a:b] for a, b in zip([0] + ends[:-1], ends)]


def inline_infos(heads: np.ndarray, counts: np.ndarray, ids: np.ndarray, weights: np.ndarray,
                 vbuf: bytes | None, vstarts: np.ndarray | None, vends: np.ndarray | None
                 ) -> list[bytes]:
    """Each term's info with its postings inline: its head, then the pickle of
    (ids tuple, weights tuple, values tuple). heads: one row of bytes per term; counts: the
    term's postings; ids, weights (ints), vstarts/vends (into vbuf): the postings in order
    (vbuf None: every value is None, a format without values)."""
    return _split(*inline_info_bytes(heads, counts, ids, weights, vbuf, vstarts, vends))


def inline_info_bytes(heads: np.ndarray, counts: np.ndarray, ids: np.ndarray,
                      weights: np.ndarray, vbuf: bytes | None, vstarts: np.ndarray | None,
                      vends: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """inline_infos one after another in one array, and their lengths."""
    nterms = len(counts)
    if not nterms:
        return np.zeros(0, _U8), np.zeros(0, np.int64)
    n = np.asarray(counts, np.int64)
    per = 4 * n + 9
    base = np.cumsum(per) - per
    lay = _Layout(int(per.sum()))
    firsts = np.cumsum(n) - n
    term_of = np.repeat(np.arange(nterms), n)
    i = np.arange(len(ids)) - firsts[term_of]
    nb = n[term_of]
    pb = base[term_of]

    hw = heads.shape[1]
    lay.put(base, lay.source(heads) + hw * np.arange(nterms), hw)
    lay.const(base + 1, "proto")
    opens, closes = _tuple_ends(n)
    for at in (2, 4 + n, 6 + 2 * n):  # the three tuples' opening marks
        lay.const(base + at, opens)
    for at in (3 + n, 5 + 2 * n, 7 + 4 * n):
        lay.const(base + at, closes)
    lay.const(base + 8 + 4 * n, "tuple3stop")  # the info's 3-tuple; STOP
    ops, lens = _ints(ids)
    lay.put(pb + 3 + i, lay.source(ops) + 5 * np.arange(len(ids)), lens)
    ops, lens = _ints(weights)
    lay.put(pb + 5 + nb + i, lay.source(ops) + 5 * np.arange(len(ids)), lens)
    if vbuf is None:
        lay.const(pb + 7 + 2 * nb + 2 * i, "none")
    else:
        sizes = vends - vstarts
        ops, lens = _byte_heads(sizes)
        lay.put(pb + 7 + 2 * nb + 2 * i, lay.source(ops) + 5 * np.arange(len(ids)), lens)
        lo, hi = int(vstarts[0]), int(vends[-1])
        lay.put(pb + 8 + 2 * nb + 2 * i, lay.source(np.frombuffer(vbuf, _U8, hi - lo, lo))
                + vstarts - lo, sizes)
    return lay.gather(), np.add.reduceat(lay.lengths, base)


def _array_pieces(lay: _Layout, where: np.ndarray, values: np.ndarray, bstarts: np.ndarray,
                  counts: np.ndarray, tops: np.ndarray) -> None:
    """The pickle of array(code, block) for each block of values (4 pieces from where on),
    code the smallest of B, H, I for its top value (_int_array)."""
    codes = np.where(tops < 1 << 8, 0, np.where(tops < 1 << 16, 1, 2))
    itemsize = np.array([1, 2, 4])[codes]
    lay.const(where, np.array([_C["array_" + c] for c in _ARRAY_CODES])[codes])
    ops, lens = _byte_heads(counts * itemsize)
    lay.put(where + 1, lay.source(ops) + 5 * np.arange(len(counts)), lens)
    # array's own bytes: native order (its pickle's header says which)
    raws = [lay.source(values.astype(dtype)) for dtype in (np.uint8, np.uint16, np.uint32)]
    lay.put(where + 2, np.array(raws)[codes] + bstarts * itemsize, counts * itemsize)
    lay.const(where + 3, "reduce")


def block_pickles(bstarts: np.ndarray, counts: np.ndarray, mini_ids: np.ndarray,
                  weights: np.ndarray, wtops: np.ndarray, wlows: np.ndarray,
                  vbuf: bytes, vstarts: np.ndarray, vends: np.ndarray) -> list[bytes]:
    """Each block's pickle of (ids array, weights, BlockValues): mini_ids, weights (ints),
    vstarts/vends per posting; blocks start at bstarts with counts postings; wtops/wlows their
    top and lowest weight (weights are None when all 1, one float when all equal)."""
    nb = len(counts)
    if not nb:
        return []
    per = 16
    base = per * np.arange(nb)
    lay = _Layout(per * nb)
    counts = np.asarray(counts, np.int64)
    lay.const(base, "proto")
    _array_pieces(lay, base + 1, mini_ids, bstarts, counts,
                  np.maximum.reduceat(mini_ids, bstarts))
    # weights: None, a float, or an array (pieces 5-8; a piece not set is empty)
    ones = (wtops == 1.0) & (wlows == 1.0)
    same = ~ones & (wtops == wlows)
    many = ~ones & ~same
    lay.const(base[ones] + 5, "none")
    lay.put(base[same] + 5, lay.source(_floats(wtops[same])) + 9 * np.arange(int(same.sum())),
            9)
    if many.any():
        _array_pieces(lay, base[many] + 5, weights, bstarts[many], counts[many],
                      wtops[many].astype(np.int64))
    # BlockValues(code + sizes + values, count)
    lay.const(base + 9, "bv_head")
    sizes = vends - vstarts
    big = np.maximum.reduceat(sizes, bstarts) >= 256
    itemsize = np.where(big, 4, 1)
    lo, hi = int(vstarts[0]), int(vends[-1])
    vspan = vends[bstarts + counts - 1] - vstarts[bstarts]
    ops, lens = _byte_heads(1 + counts * itemsize + vspan)
    lay.put(base + 10, lay.source(ops) + 5 * np.arange(nb), lens)
    lay.const(base + 11, np.where(big, _C["code_I"], _C["code_B"]))
    raws = [lay.source(sizes.astype(dtype)) for dtype in (np.uint8, np.uint32)]  # as array
    lay.put(base + 12, np.where(big, raws[1] + 4 * bstarts, raws[0] + bstarts),
            counts * itemsize)
    lay.put(base + 13, lay.source(np.frombuffer(vbuf, _U8, hi - lo, lo)) + vstarts[bstarts] - lo,
            vspan)
    ops, lens = _ints(counts)
    lay.put(base + 14, lay.source(ops) + 5 * np.arange(nb), lens)
    lay.const(base + 15, "bv_end")
    return _split(lay.gather(), np.add.reduceat(lay.lengths, base))


def block_infos(counts: np.ndarray, last_ids: np.ndarray, tops: np.ndarray,
                minlens: np.ndarray, maxlens: np.ndarray) -> tuple[list[bytes], list[bytes]]:
    """Each block's info, the pickle of (count, last id, top weight, compression, min length,
    max length), as the bytes before and after the compression (known once compressed)."""
    nb = len(counts)
    if not nb:
        return [], []
    lay = _Layout(4 * nb)
    base = 4 * np.arange(nb)
    lay.const(base, "proto_mark")
    rows = 5 * np.arange(nb)
    for k, values in ((1, counts), (2, last_ids)):
        ops, lens = _ints(values)
        lay.put(base + k, lay.source(ops) + rows, lens)
    lay.put(base + 3, lay.source(_floats(tops)) + 9 * np.arange(nb), 9)
    pre = _split(lay.gather(), np.add.reduceat(lay.lengths, base))
    lay = _Layout(3 * nb)
    base = 3 * np.arange(nb)
    for k, values in ((0, minlens), (1, maxlens)):
        ops, lens = _ints(values)
        lay.put(base + k, lay.source(ops) + rows, lens)
    lay.const(base + 2, "tuplestop")
    return pre, _split(lay.gather(), np.add.reduceat(lay.lengths, base))
