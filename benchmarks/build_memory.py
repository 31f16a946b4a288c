"""A full build as `gongwen ingest` runs it: wall time and the peak resident memory of the whole
process tree (the command and its worker processes, sampled from /proc every 50 ms), for this
checkout and, interleaved in the same run, for a baseline checkout.

    python benchmarks/build_memory.py --against /work/old/main            # STARD, 1 round each
    python benchmarks/build_memory.py --against /work/old/main --rounds 2 --limit 20000

Each checkout runs its own ``.venv/bin/gongwen`` (or ``python -m search_app.cli``) from its own
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


def _tree_rss(root: int) -> int:
    """Bytes resident in root and every process descending from it, now."""
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
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def build(checkout: Path, source: Path, index: Path, jobs: int | None) -> tuple[float, float, int]:
    """(seconds, peak MB of the process tree, most processes at once) of one build."""
    gongwen = checkout / ".venv" / "bin" / "python"
    cmd = [str(gongwen if gongwen.exists() else sys.executable), "-m", "search_app.cli",
           "ingest", str(source), "--index", str(index), "--quiet"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    peak, stop = [0], threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{checkout}: gongwen ingest failed: {err.decode()[-500:]}")
    return seconds, peak[0] / 2**20, 0


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
        results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in runs}
        print(f"load average at start {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
        for r in range(args.rounds):
            for name, checkout in (runs if r % 2 == 0 else runs[::-1]):
                index = work / f"index-{name}-{r}"
                seconds, peak, _ = build(checkout, source, index, args.jobs)
                size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 2**20
                results[name].append((seconds, peak))
                print(f"round {r + 1} {name:<8} {checkout}: {seconds:7.1f} s wall, "
                      f"process tree peak {peak:6.0f} MB, index {size:5.0f} MB", flush=True)
                shutil.rmtree(index, ignore_errors=True)
        if args.against:
            t = sum(s for s, _ in results["this"]) / sum(s for s, _ in results["baseline"])
            m = max(p for _, p in results["this"]) / max(p for _, p in results["baseline"])
            print(f"this / baseline: time {t:.2f}×, peak memory {m:.2f}×")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
