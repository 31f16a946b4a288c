"""`gongwen serve --workers N`: gunicorn's master forks N processes, each one a waitress server.

gunicorn brings what one process cannot: several interpreters (and so several cores) on one
listening socket, a worker that dies replaced, SIGTERM and Ctrl-C handled for the whole tree.
Inside each worker, waitress keeps answering as before (README, Serving): it reads a request
whole before a thread takes it, so idle or half-sent connections hold no thread. gunicorn's own
gthread worker blocks a thread on a half-sent request until the client goes (8 such
connections left 2 workers x 4 threads answering nothing for 15 s), which is why the worker
class is ours.
"""
from __future__ import annotations

import gc
import os
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.sock import TCP6Socket, TCPSocket
from gunicorn.workers.base import Worker
from waitress import create_server, wasyncore

from search_app.balance import Balance
from search_app.serving import ServerLimits, raise_file_limit, release_free_memory

# How long a stopping worker lets requests in progress finish (gunicorn's graceful_timeout).
GRACEFUL_SECONDS = 10
# A worker that has not reported for this long is killed and replaced (gunicorn's timeout).
# Reporting is done by waitress's socket loop, which never waits on a search, so a busy worker
# still reports: only a hung interpreter misses it.
HEARTBEAT_SECONDS = 30
# A worker that has answered and has nothing to do gives malloc's free pages back at most this
# often: after the 737 STARD questions its arenas held ~8 MB freed by the searches' arrays.
TRIM_SECONDS = 1.0


@dataclass(frozen=True)
class PreforkSettings:
    """What `gongwen serve` hands gunicorn's master."""

    listener: socket.socket  # bound by the CLI, so that a taken port is its one-line error
    workers: int
    limits: ServerLimits
    waitress_defaults: bool = False  # the baseline of benchmarks/serving.py


class WaitressWorker(Worker):
    """A gunicorn worker that serves its app with waitress on the inherited listening socket."""

    settings: PreforkSettings  # set on the class by PreforkServer (gunicorn builds the worker)
    balance: Balance  # likewise
    slot: int | None = None  # this worker's slot in balance, set by the master before the fork

    def run(self) -> None:
        limits = self.settings.limits
        kwargs: dict[str, Any] = {}
        if not self.settings.waitress_defaults:
            raise_file_limit(limits.connection_limit)
            kwargs = limits.waitress_kwargs()
        use_poll = bool(kwargs.get("asyncore_use_poll", False))
        socket_map: dict[int, Any] = {}  # the listener and its connections, for waitress's loop
        counted = _Counted(self.wsgi)
        server = create_server(counted, map=socket_map, sockets=[s.sock for s in self.sockets],
                               **kwargs)
        trimmed, trimmed_at = 0, time.monotonic()
        slot = self.slot
        while self.alive:
            self.notify()
            listening = True
            if slot is not None:
                server.accepting = listening = self.balance.listen(
                    slot, len(server.active_channels))
            # not listening: look again soon, as the others' connections come and go
            wasyncore.loop(timeout=1.0 if listening else 0.05, map=socket_map,
                           use_poll=use_poll, count=1)
            if self.ppid != os.getppid():  # the master is gone: do not serve orphaned
                break
            dispatcher = server.task_dispatcher
            if counted.calls != trimmed and time.monotonic() - trimmed_at >= TRIM_SECONDS \
                    and not dispatcher.active_count and not dispatcher.queue:
                release_free_memory()
                trimmed, trimmed_at = counted.calls, time.monotonic()
        # SIGTERM: stop accepting, let the requests in progress be answered, then close.
        server.accepting = False
        deadline = time.monotonic() + GRACEFUL_SECONDS
        while time.monotonic() < deadline and any(
                channel.requests or channel.total_outbufs_len
                for channel in server.active_channels.values()):
            self.notify()
            wasyncore.loop(timeout=0.1, map=socket_map, use_poll=use_poll, count=1)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        wasyncore.close_all(socket_map)


class _Counted:
    """A WSGI app that counts the requests it was called for."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.calls = 0  # read by the worker's loop (a lost increment only delays a trim)

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Any:
        self.calls += 1
        return self.app(environ, start_response)


class _Arbiter(Arbiter):
    """gunicorn's master, which says once (in the master) that its first workers are forked."""

    def __init__(self, app: Any, on_spawned: Callable[[], None]) -> None:
        self._on_spawned: Callable[[], None] | None = on_spawned
        super().__init__(app)

    def spawn_workers(self) -> None:
        super().spawn_workers()  # a forked worker never returns from this (it exits in it)
        if self._on_spawned is not None:
            done, self._on_spawned = self._on_spawned, None
            done()


class PreforkServer(BaseApplication):
    """gunicorn's master with our settings and no configuration file, started by the CLI."""

    def __init__(self, app: Any, settings: PreforkSettings,
                 on_ready: Callable[[str, int], None], on_worker: Callable[[Any], None],
                 on_spawned: Callable[[], None] = lambda: None) -> None:
        self.application = app
        self.settings = settings
        self._on_ready = on_ready
        self._on_worker = on_worker
        self._on_spawned = on_spawned
        # room for replacements forked while a stopping worker still holds its slot
        self._balance = Balance(2 * settings.workers)
        super().__init__()

    def load_config(self) -> None:
        worker_class = type("GongwenWaitressWorker", (WaitressWorker,),
                            {"settings": self.settings, "balance": self._balance})
        s = self.settings
        config = {
            "bind": [_address(s.listener)],
            "workers": s.workers,
            "worker_class": worker_class,
            "backlog": s.limits.backlog,
            "timeout": HEARTBEAT_SECONDS,
            "graceful_timeout": GRACEFUL_SECONDS,
            "preload_app": True,  # the app is built once, in the master (see load)
            "control_socket_disable": True,  # no control socket file next to the index
            "loglevel": "warning",  # a replaced worker is logged; the start is ours to print
            "accesslog": None,
            "proc_name": "gongwen-serve",
            "when_ready": self._when_ready,
            "post_fork": self._post_fork,
            "pre_fork": self._pre_fork,
            "child_exit": self._child_exit,
        }
        for key, value in config.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application

    def run(self) -> None:
        arbiter = _Arbiter(self, self._on_spawned)
        listener = self.settings.listener
        kind = TCP6Socket if listener.family == socket.AF_INET6 else TCPSocket
        # gunicorn adopts the socket (and closes our descriptor) instead of binding its own
        arbiter.LISTENERS = [kind(_address(listener), self.cfg, arbiter.log,
                                  fd=listener.detach())]
        arbiter.run()

    def _when_ready(self, arbiter: Any) -> None:
        host, port = arbiter.LISTENERS[0].sock.getsockname()[:2]
        # What the master built before forking is shared by the workers' pages; freezing it
        # keeps the collector from writing to (and so copying) those pages in every worker.
        gc.freeze()
        self._on_ready(host, port)

    def _post_fork(self, arbiter: Any, worker: Any) -> None:
        self._on_worker(self.application)

    def _pre_fork(self, arbiter: Any, worker: Any) -> None:
        if not self.settings.waitress_defaults:  # the baseline accepts as waitress does
            taken = {w.slot for w in arbiter.WORKERS.values() if w.slot is not None}
            worker.slot = self._balance.free_slot(taken)

    def _child_exit(self, arbiter: Any, worker: Any) -> None:
        if worker.slot is not None:
            self._balance.clear(worker.slot)


def _address(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def run_prefork(app: Any, settings: PreforkSettings, on_ready: Callable[[str, int], None],
                on_worker: Callable[[Any], None],
                on_spawned: Callable[[], None] = lambda: None) -> int:
    """Run the master until SIGTERM or Ctrl-C; return its exit status.

    on_worker runs in each worker after its fork; on_spawned in the master, once, after the
    first workers are forked."""
    master = os.getpid()
    server = PreforkServer(app, settings, on_ready, on_worker, on_spawned)
    try:
        server.run()
    except SystemExit as e:  # gunicorn's master ends by sys.exit, also on a clean stop
        if os.getpid() != master:
            raise  # a worker's exit: it must not run the rest of the command
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.stdout.flush()
    return 0
