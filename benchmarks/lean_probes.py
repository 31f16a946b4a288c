"""What lean.py measures from outside a process: a command's process tree (wall, processes,
peak resident memory), a server's memory, folder sizes, a command's median wall time."""
from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class TreeRun:
    """One command run to its end, sampled every SAMPLE_SECONDS."""

    wall: float  # seconds from start to exit
    processes: int  # most processes alive at once: the command and all its descendants
    peak_rss: int  # bytes: the largest sum of RSS over the tree at one sample
    returncode: int
    output: str  # stdout and stderr, for a failure's message


@dataclass(frozen=True)
class TreeMemory:
    processes: int
    rss: int  # bytes, summed over the tree (shared pages counted once per process)
    pss: int  # bytes, summed proportional set size (shared pages split between processes)

    @property
    def charged(self) -> int:
        """What the floor is judged on: PSS when processes share pages, else RSS."""
        return self.pss if self.processes > 1 else self.rss


def _tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def run_tree(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> TreeRun:
    """Run COMMAND and sample its whole process tree until it exits."""
    peak = [0, 0]  # rss, processes
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    root = psutil.Process(proc.pid)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, alive = 0, 0
            for p in _tree(root):
                try:
                    rss += p.memory_info().rss
                    alive += 1
                except psutil.Error:  # exited between listing and reading
                    pass
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], alive)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.communicate()[0]
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    return TreeRun(wall, peak[1], peak[0], proc.returncode, output)


def settle(pid: int, seconds: float = 10.0) -> int:
    """Wait until PID's tree keeps the same processes for half a second (a pre-fork server
    prints its address before its workers are up); return how many there are."""
    deadline = time.monotonic() + seconds
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = len(_tree(psutil.Process(pid)))
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= 0.5:
            break
        time.sleep(0.1)
    return last


def tree_memory(pid: int) -> TreeMemory:
    """A running process tree's resident memory now (RSS and PSS, summed)."""
    rss = pss = alive = 0
    for p in _tree(psutil.Process(pid)):
        try:
            full = p.memory_full_info()  # PSS from /proc/PID/smaps_rollup
        except psutil.Error:
            continue
        rss, pss, alive = rss + full.rss, pss + full.pss, alive + 1
    return TreeMemory(alive, rss, pss)


def folder_bytes(path: Path) -> int:
    """Bytes in the files under PATH (du --apparent-size --bytes), or of the file PATH."""
    if path.is_file():
        return path.stat().st_size
    return sum((Path(d) / f).stat().st_size for d, _, files in os.walk(path) for f in files)


def median_wall(command: list[str], cwd: Path, runs: int) -> tuple[float, list[float], str]:
    """Median wall seconds of COMMAND over RUNS runs (after one run not counted), all runs,
    and the last run's output."""
    walls: list[float] = []
    output = ""
    for k in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        took = time.perf_counter() - start
        output = done.stdout + done.stderr
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} 失败：{output.strip()[:300]}")
        if k:  # the first run may write caches (jieba's dictionary table)
            walls.append(took)
    return statistics.median(walls), walls, output
