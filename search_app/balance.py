"""Connections spread over pre-forked workers: the worker holding the fewest accepts the next.

All workers poll one listening socket and the kernel wakes them all; whichever runs first
accepts. On an idle machine that is mostly the same one, so 8 keep-alive clients landed 7 and
1 (then 6 and 2) on two workers and one core idled while the other queued requests. Each
worker publishes how many connections it holds in a table the master maps before forking, and
listens only while it holds no more than any other live worker: the least-loaded one always
listens, so a connection never waits for a worker that stopped listening.
"""
from __future__ import annotations

import math
import mmap
import struct
import time

_SLOT = struct.Struct("dd")  # connections held, and when that was last written (monotonic)
# A worker publishes at least once a loop (a second at most); one silent for longer is gone
# or hung and is left out, so that the others do not wait on it.
STALE_SECONDS = 3.0


class Balance:
    """The shared table of the master's workers: one slot each, assigned by the master."""

    def __init__(self, slots: int, stale_seconds: float = STALE_SECONDS) -> None:
        self.slots = slots
        self.stale_seconds = stale_seconds
        # MAP_SHARED and anonymous: the forked workers write into the same pages
        self._table = mmap.mmap(-1, _SLOT.size * slots)

    def free_slot(self, taken: set[int]) -> int | None:
        """A slot no live worker holds (the master, before a fork); None: all are held."""
        slot = next((i for i in range(self.slots) if i not in taken), None)
        if slot is not None:
            self.clear(slot)
        return slot

    def clear(self, slot: int) -> None:
        """Leave a slot out until its worker writes it (the master, when a worker exits)."""
        _SLOT.pack_into(self._table, slot * _SLOT.size, 0.0, -math.inf)  # older than any

    def listen(self, slot: int, held: int) -> bool:
        """Publish that slot's worker holds `held` connections; whether it should accept more."""
        now = time.monotonic()
        _SLOT.pack_into(self._table, slot * _SLOT.size, float(held), now)
        for other in range(self.slots):
            if other != slot:
                count, stamp = _SLOT.unpack_from(self._table, other * _SLOT.size)
                if now - stamp < self.stale_seconds and count < held:
                    return False
        return True
