"""How `gongwen serve` runs waitress: its limits, chosen on purpose, and its log made readable."""
from __future__ import annotations

import logging
import os
import resource
import threading
import time
from dataclasses import asdict, dataclass, fields
from typing import Any

QUEUE_LOGGER = "waitress.queue"


@dataclass(frozen=True)
class ServerLimits:
    """The waitress settings `gongwen serve` passes on purpose (README, section Serving)."""

    # Worker threads answering requests. Searching is CPU work under the GIL, so more threads
    # do not add throughput on 2 cores; 8 keep a request waiting on disk from holding up others.
    threads: int = 8
    # Open connections (idle keep-alives included) before waitress stops accepting: waitress's
    # 100 let a hundred idle clients lock everyone out. Each costs one file descriptor.
    connection_limit: int = 1000
    # Seconds an idle connection (no request in progress) is kept; waitress's 120 keeps
    # half-open sockets holding slots for two minutes.
    channel_timeout: int = 30
    # How often (seconds) idle connections are looked for and closed.
    cleanup_interval: int = 10
    # Connections the kernel queues before waitress accepts them (capped by net.core.somaxconn).
    backlog: int = 1024
    # poll() instead of select(): select() cannot watch file descriptors above 1023.
    asyncore_use_poll: bool = True

    def waitress_kwargs(self) -> dict[str, Any]:
        """The keyword arguments for waitress.create_server."""
        return asdict(self)


# What waitress does without them (README, the table in Serving; a test checks both).
WAITRESS_DEFAULTS = {"threads": 4, "connection_limit": 100, "channel_timeout": 120,
                     "cleanup_interval": 30, "backlog": 1024, "asyncore_use_poll": False}


# `gongwen serve --workers`: at most this many processes (each holds its own searchers).
MAX_WORKERS = 64


def can_fork() -> bool:
    """gunicorn runs where os.fork does (not on Windows)."""
    return hasattr(os, "fork")


def default_workers() -> int:
    """The cores this process may run on (Linux), else the machine's count."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


# glibc's malloc arenas a server process may use (mallopt M_ARENA_MAX). Its default, 8 per
# core, gives each of a worker's threads its own heap, each holding freed memory apart: 8
# threads kept ~20 MB more resident with no gain, as threads take turns under the GIL anyway.
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # from glibc's malloc.h


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process and the workers it forks; False where the
    C library is not glibc, or MALLOC_ARENA_MAX is set (the administrator's value stands)."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    import ctypes  # only `gongwen serve` needs it

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return False
    return bool(mallopt(_M_ARENA_MAX, arenas))


def release_free_memory() -> bool:
    """Give the pages malloc holds free back to the system (glibc's malloc_trim); False where
    the C library has no such call. Freed memory otherwise stays resident in the arenas."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True


def limit_names() -> tuple[str, ...]:
    """The names of the settings, in declaration order."""
    return tuple(f.name for f in fields(ServerLimits))


def raise_file_limit(connections: int) -> int:
    """Raise this process's open-file limit so that `connections` sockets fit; return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 64  # the index's segment files, the listening socket, logs
    if soft == resource.RLIM_INFINITY:
        return wanted
    if soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        soft = new
    return soft


class EveryInterval(logging.Filter):
    """Let one record through per interval; it says how many were held back and the worst value.

    waitress warns "Task queue depth is N" for every request that finds all threads busy:
    thousands of lines a minute under load, which bury every other line of the log.
    """

    def __init__(self, interval: float = 60.0, clock: Any = time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._next = 0.0
        self._held = 0
        self._worst: Any = None

    def filter(self, record: logging.LogRecord) -> bool:
        value = record.args[0] if isinstance(record.args, tuple) and record.args else None
        with self._lock:
            if isinstance(value, (int, float)):
                self._worst = value if self._worst is None else max(self._worst, value)
            now = self._clock()
            if now < self._next:
                self._held += 1
                return False
            held, worst = self._held, self._worst
            self._next, self._held, self._worst = now + self.interval, 0, None
        if held:
            record.msg = (f"{record.getMessage()} ({held} more such warnings in the last "
                          f"{self.interval:g} s, largest {worst})")
            record.args = ()
        return True


def quiet_queue_warnings(interval: float = 60.0) -> EveryInterval:
    """Log waitress's queue-depth warning at most once per interval (idempotent)."""
    logger = logging.getLogger(QUEUE_LOGGER)
    for existing in logger.filters:
        if isinstance(existing, EveryInterval):
            existing.interval = interval
            return existing
    throttle = EveryInterval(interval)
    logger.addFilter(throttle)
    return throttle


def setup_server_logging() -> None:
    """waitress's warnings on stderr with the time, once per process."""
    logger = logging.getLogger("waitress")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
