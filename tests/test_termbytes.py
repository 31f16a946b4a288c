"""Term infos and postings blocks laid out at once are the pickler's bytes, for every kind of
number, tuple size, weight and value size."""
from __future__ import annotations

import random
from array import array

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3TermInfo

from index.positions import BlockValues
from index.write.termbytes import block_infos, block_pickles, dumps, inline_infos


def _int_array(values: list[int]) -> array:
    top = max(values)
    return array("B" if top < 1 << 8 else "H" if top < 1 << 16 else "I", values)


def _postings(rng: random.Random, n: int) -> tuple[np.ndarray, np.ndarray, bytes, np.ndarray,
                                                     np.ndarray]:
    """n postings: ids and weights across BININT1/2/4, values of 0 to 300 bytes in one buffer."""
    ids = np.array([rng.choice([rng.randrange(256), rng.randrange(256, 65536),
                                rng.randrange(65536, 1 << 31)]) for _ in range(n)], np.int64)
    weights = np.array([rng.choice([1, 1, 2, rng.randrange(300), rng.randrange(70000)])
                        for _ in range(n)], np.int64)
    values = [bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 5, 255, 256, 300])))
              for _ in range(n)]
    pad = b"xyz"  # the buffer need not start at the first value
    ends = np.cumsum([len(v) for v in values]) + len(pad)
    return ids, weights, pad + b"".join(values), ends - [len(v) for v in values], ends


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("no_values", [False, True])
def test_inline_infos_are_pickles(seed: int, no_values: bool) -> None:
    rng = random.Random(seed)
    counts = np.array([rng.choice([1, 1, 2, 3, 4, 5, 8]) for _ in range(300)])
    ids, weights, buf, starts, ends = _postings(rng, int(counts.sum()))
    heads = np.frombuffer(bytes(rng.randrange(256) for _ in range(23 * len(counts))),
                          np.uint8).reshape(-1, 23)
    got = inline_infos(heads, counts, ids, weights, None if no_values else buf, starts, ends)
    want, a = [], 0
    for k, c in enumerate(counts.tolist()):
        vals = (None,) * c if no_values else \
            tuple(buf[s:e] for s, e in zip(starts[a:a + c].tolist(), ends[a:a + c].tolist()))
        want.append(heads[k].tobytes() + dumps((tuple(ids[a:a + c].tolist()),
                                                tuple(weights[a:a + c].tolist()), vals)))
        a += c
    assert got == want
    assert W3TermInfo.from_bytes(got[0]).inlined_postings()[0] == tuple(ids[:counts[0]])


@pytest.mark.parametrize("seed", range(3))
def test_blocks_are_pickles(seed: int) -> None:
    rng = random.Random(seed)
    counts = np.array([rng.choice([1, 2, 7, 100, 512]) for _ in range(40)])
    bstarts = np.cumsum(counts) - counts
    ids, weights, buf, starts, ends = _postings(rng, int(counts.sum()))
    for k in range(0, len(counts), 3):  # some blocks all weight 1, some one weight
        weights[bstarts[k]:bstarts[k] + counts[k]] = 1 if k % 2 else 7
    tops = np.maximum.reduceat(weights, bstarts).astype(np.float64)
    lows = np.minimum.reduceat(weights, bstarts).astype(np.float64)
    got = block_pickles(bstarts, counts, ids, weights, tops, lows, buf, starts, ends)
    want = []
    for s, c, top, low in zip(bstarts.tolist(), counts.tolist(), tops.tolist(), lows.tolist()):
        w = None if top == low == 1.0 else top if top == low else \
            _int_array(weights[s:s + c].tolist())
        vals = [buf[a:b] for a, b in zip(starts[s:s + c].tolist(), ends[s:s + c].tolist())]
        want.append(dumps((_int_array(ids[s:s + c].tolist()), w, BlockValues.pack(vals))))
    assert got == want
    pre, post = block_infos(counts, ids[bstarts], tops, lows.astype(np.int64) % 256,
                            np.full(len(counts), 255))
    for k, comp in ((0, 0), (len(counts) - 1, 1)):
        assert pre[k] + (b"K\x01" if comp else b"K\x00") + post[k] == dumps(
            (int(counts[k]), int(ids[bstarts[k]]), float(tops[k]), comp,
             int(lows[k]) % 256, 255))
