"""The search path's caches, bounded in bytes: a least-recently-used map and its budget.

A server answers many distinct queries; a cache keyed by query terms or records must stop
growing. Each cache here counts an estimate of its entries' bytes (numpy's nbytes, the size
of strings and small containers) and drops the least recently used entries past its budget.
The budget is one number of megabytes (``--cache-mb`` of `gongwen serve`, the environment
variable GONGWEN_CACHE_MB, Flask's CACHE_MB): :class:`CacheBudget`.
"""
from __future__ import annotations

import dataclasses
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Hashable

import numpy as np

from index.types import DEFAULT_CACHE_MB

MB = 1 << 20


@dataclass(frozen=True)
class CacheBudget:
    """Bytes an index's cache may hold, all threads together: term postings (per segment and
    joined across segments) and documents' normalized text and shingles, in one LRU, so
    whichever a corpus needs more of (postings for many short articles, texts for long
    bulletins: a fixed split made either thrash) gets the room."""

    bytes: int

    @classmethod
    def of_megabytes(cls, mb: int) -> CacheBudget:
        return cls(mb * MB)


DEFAULT_BUDGET = CacheBudget.of_megabytes(DEFAULT_CACHE_MB)


def estimate_bytes(value: Any) -> int:
    """Roughly what value holds in memory: arrays by nbytes, containers and dataclasses by
    their items (a large container from a sample of them)."""
    if isinstance(value, np.ndarray):
        return value.nbytes + 112
    if type(value) is tuple and len(value) == 2 and isinstance(value[0], np.ndarray) \
            and isinstance(value[1], np.ndarray):  # postings: asked on every cache miss
        return value[0].nbytes + value[1].nbytes + 280
    if isinstance(value, (str, bytes, int, float)) or value is None:
        return sys.getsizeof(value)
    if isinstance(value, (tuple, list, set, frozenset)):
        return sys.getsizeof(value) + _sampled(value, estimate_bytes)
    if isinstance(value, dict):
        return sys.getsizeof(value) + _sampled(value.items(),
                                               lambda kv: estimate_bytes(kv[0]) +
                                               estimate_bytes(kv[1]))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(estimate_bytes(getattr(value, f.name))
                                          for f in dataclasses.fields(value))
    return sys.getsizeof(value)


def _sampled(items: Any, size: Callable[[Any], int], sample: int = 16) -> int:
    """The items' total size, from the first `sample` of them for a large container."""
    n, total = len(items), 0
    for i, item in enumerate(items):
        if i == sample:
            return total * n // sample
        total += size(item)
    return total


class ByteLRU:
    """A thread-safe map that keeps at most ``limit`` estimated bytes, least recently used out.

    An entry larger than the whole budget is not kept (the caller still gets its value).
    """

    def __init__(self, limit: int, size: Callable[[Any], int] = estimate_bytes) -> None:
        self.limit = limit
        self.bytes = 0
        self._size = size
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return hit[0]

    def put(self, key: Hashable, value: Any) -> None:
        cost = self._size(value) + sys.getsizeof(key)
        with self._lock:
            if key in self._items or cost > self.limit:
                return
            self._items[key] = (value, cost)
            self.bytes += cost
            while self.bytes > self.limit:
                _, (_, old) = self._items.popitem(last=False)
                self.bytes -= old

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The cached value, or make() (outside the lock) kept for next time."""
        got = self.get(key)
        if got is None:
            got = make()
            self.put(key, got)
        return got

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0
