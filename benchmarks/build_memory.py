"""A full build as `gongwen ingest` runs it: wall time and the peak resident memory of the whole
process tree (the command and its worker processes, sampled from /proc every 50 ms: the sum
of their resident sets, which counts pages a worker shares with its parent after fork in
both, and the sum of their proportional set sizes, which counts them once), for this
checkout and, interleaved in the same run, for a baseline checkout.

    python benchmarks/build_memory.py --against /work/old/main            # STARD, 1 round each
    python benchmarks/build_memory.py --against /work/old/main --rounds 2 --limit 20000

On a busy machine compare the CPU seconds (the tree's user + system time), which other
work slows far less than the wall time. Each checkout runs its own ``.venv/bin/gongwen`` (or ``python -m search_app.cli``) from its own
folder, so each builds with its own code. Linux only (/proc).
"""
from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "stard_statutes" / "corpus.jsonl.gz"
PAGE = os.sysconf("SC_PAGE_SIZE")


def _pss(pid: int) -> int:
    """Proportional set size: pages shared after fork counted once over the sharers."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _tree_rss(root: int) -> tuple[int, int, int, int, int]:
    """Bytes resident now: (the tree of root, root alone, its largest descendant, processes,
    the tree's proportional set size)."""
    parent: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                parent[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, pp in parent.items() if pp in tree and pid not in tree}
        tree |= more
        grew = bool(more)
    total = own = largest = pss = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                rss = int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        total += rss
        pss += _pss(pid)
        if pid == root:
            own = rss
        else:
            largest = max(largest, rss)
    return total, own, largest, len(tree), pss


def build(checkout: Path, source: Path, index: Path,
          jobs: int | None) -> tuple[float, float, list[float], int]:
    """(wall seconds, CPU seconds of the tree, peak MB of [the tree, the command, one worker,
    the tree's PSS], most processes at once)."""
    gongwen = checkout / ".venv" / "bin" / "python"
    cmd = [str(gongwen if gongwen.exists() else sys.executable), "-m", "search_app.cli",
           "ingest", str(source), "--index", str(index), "--quiet"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    peak, stop = [0, 0, 0, 0, 0], threading.Event()
    start = time.perf_counter()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=checkout, stdout=subprocess.DEVNULL, stderr=err)

    def sample() -> None:
        while not stop.is_set():
            peak[:] = map(max, peak, _tree_rss(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # wait4: the command's CPU time, its workers' included (it waits for them)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        err.seek(0)
        raise SystemExit(f"{checkout}: gongwen ingest failed: {err.read().decode()[-500:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, [b / 2**20 for b in (*peak[:3], peak[4])], peak[3]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", type=Path, help="a baseline checkout (with its own .venv)")
    ap.add_argument("--rounds", type=int, default=1, help="builds of each checkout, interleaved")
    ap.add_argument("--limit", type=int, help="the first N articles only")
    ap.add_argument("--jobs", type=int, help="worker processes (default: gongwen's)")
    args = ap.parse_args()
    if not DATA.is_file():
        raise SystemExit(f"找不到数据文件 {DATA}")
    work = Path(tempfile.mkdtemp(prefix="gongwen-build-"))
    try:
        source = DATA
        if args.limit:
            source = work / "corpus.jsonl"
            with gzip.open(DATA, "rt", encoding="utf-8") as f, source.open("w") as out:
                for n, line in zip(range(args.limit), f):
                    out.write(line)
        runs = [("this", REPO)] + ([("baseline", args.against.resolve())] if args.against else [])
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _ in runs}
        print(f"load average at start {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
        for r in range(args.rounds):
            for name, checkout in (runs if r % 2 == 0 else runs[::-1]):
                index = work / f"index-{name}-{r}"
                seconds, cpu, (peak, own, worker, pss), procs = build(checkout, source, index,
                                                                      args.jobs)
                size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 2**20
                results[name].append((seconds, cpu, peak))
                print(f"round {r + 1} {name:<8} {checkout}: {seconds:7.1f} s wall, {cpu:7.1f} s CPU, "
                      f"process tree peak {peak:6.0f} MB resident ({pss:.0f} MB PSS; command "
                      f"{own:.0f}, largest worker {worker:.0f}, {procs} processes), "
                      f"index {size:5.0f} MB", flush=True)
                shutil.rmtree(index, ignore_errors=True)
        if args.against:
            this, base = results["this"], results["baseline"]
            t = sum(r[0] for r in this) / sum(r[0] for r in base)
            c = sum(r[1] for r in this) / sum(r[1] for r in base)
            m = max(r[2] for r in this) / max(r[2] for r in base)
            print(f"this / baseline: wall {t:.2f}×, CPU {c:.2f}×, peak memory {m:.2f}×")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
