"""The table pre-forked workers share to spread connections (search_app/balance.py)."""
from __future__ import annotations

import os
import time

import pytest

from search_app.balance import Balance


def test_the_worker_holding_fewest_listens_and_ties_all_listen() -> None:
    table = Balance(2)
    a, b = table.free_slot(set()), table.free_slot({0})
    assert (a, b) == (0, 1)
    assert table.listen(a, 0) and table.listen(b, 0)
    assert not table.listen(a, 1)  # a holds more than b: b takes the next
    assert table.listen(b, 1) and table.listen(a, 1)
    assert table.free_slot({0, 1}) is None


def test_a_worker_gone_silent_or_exited_is_left_out() -> None:
    table = Balance(3, stale_seconds=0.2)
    table.listen(0, 5)
    table.listen(1, 0)
    assert not table.listen(0, 5)
    table.clear(1)  # the master saw it exit
    assert table.listen(0, 5)
    table.listen(2, 0)
    assert not table.listen(0, 5)
    time.sleep(0.3)
    assert table.listen(0, 5)  # slot 2 has not written for longer than a worker's loop


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_writes_where_the_master_reads() -> None:
    table = Balance(2)
    pid = os.fork()
    if pid == 0:  # the worker: holds three connections
        table.listen(1, 3)
        os._exit(0)
    os.waitpid(pid, 0)
    assert table.listen(0, 2) and not table.listen(0, 4)
