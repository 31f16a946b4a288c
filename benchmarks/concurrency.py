"""Concurrency: `gongwen serve --workers 1` (one waitress process) against 2 and 4 processes.

On the STARD index (64,430 articles; built once through `gongwen ingest`, or --index DIR), for
each configuration in turn (and again per --rounds, so that A and B share the machine's
weather): start a fresh `gongwen serve --workers N` on a loopback port; one client asks the 737
questions once through the JSON API (p50 and p95, the fresh server's first requests included);
then, after an unmeasured --warm load (every worker thread opens its searcher), 8 and 32
clients, each on its own keep-alive connection, ask the questions in turn for --seconds
(requests/s, p95, failed requests); then the server's memory summed over its
processes: resident (RSS, pages shared by the workers counted in each) and proportional (PSS,
/proc/PID/smaps_rollup: a page shared by k processes counts 1/k in each).

    python benchmarks/concurrency.py                          # --workers 1 2 4, 20 s per load
    python benchmarks/concurrency.py --index DIR --workers 1 --workers 2 --seconds 10 --rounds 2
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.serving import Server, gongwen  # noqa: E402

STARD = REPO.parent / "shared" / "data" / "stard_statutes"
SETTLE_SECONDS = 2.0  # after the URL is printed, for the workers to open the index


@dataclass(frozen=True)
class Load:
    clients: int
    requests: int
    failed: int
    seconds: float
    latencies: tuple[float, ...]
    errors: tuple[str, ...]
    server_cpu: float = 0.0  # CPU seconds the server's processes spent during the load

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request: what the cores must supply, whatever else the machine runs."""
        return self.server_cpu / self.requests * 1000 if self.requests else float("nan")

    @property
    def cores(self) -> float:
        """Cores the server kept busy on average (its CPU seconds per second)."""
        return self.server_cpu / self.seconds if self.seconds else 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def ms(self, p: int) -> float:
        if len(self.latencies) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


@dataclass(frozen=True)
class Memory:
    processes: int
    rss_mb: float
    pss_mb: float
    peak_rss_mb: float  # VmHWM summed: each process's own peak
    master_rss_mb: float  # what one worker would hold alone had it built the app itself
    worker_private_mb: tuple[float, ...]  # pages each worker does not share (fork, page cache)


@dataclass(frozen=True)
class Row:
    config: str
    single: Load
    loads: tuple[Load, ...]
    memory: Memory
    memory_after_single: Memory
    boot: Memory


def questions() -> list[str]:
    lines = (STARD / "queries.dev.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[1] for line in lines if "\t" in line]


def build_index(work: Path) -> Path:
    index = work / "stard-index"
    if not index.exists():
        print(f"building the STARD index in {index} (gongwen ingest) …", file=sys.stderr)
        subprocess.run(gongwen("ingest", str(STARD / "corpus.jsonl.gz"), "--index", str(index),
                               "-q"), cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return index


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of pid and its descendants (live ones)."""
    ticks = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measured(pid: int, port: int, asked: list[str], clients: int,
             seconds: float | None) -> Load:
    """run_clients, with the CPU the server (pid and its workers) spent meanwhile."""
    before = tree_cpu(pid)
    load = run_clients(port, asked, clients, seconds)
    return replace(load, server_cpu=tree_cpu(pid) - before)


def run_clients(port: int, asked: list[str], clients: int, seconds: float | None) -> Load:
    """CLIENTS threads on keep-alive connections; each asks in turn until SECONDS (or once)."""
    deadline = None if seconds is None else time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    counts = {"requests": 0, "failed": 0}
    paths = [f"/api/search?q={urllib.parse.quote(q)}" for q in asked]

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = n
        while (i < len(paths)) if deadline is None else (time.monotonic() < deadline):
            path = paths[i % len(paths)]
            i += clients
            error = None
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    error = f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as e:
                error = f"{type(e).__name__}: {e}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            took = time.perf_counter() - start
            with lock:
                counts["requests"] += 1
                if error is None:
                    latencies.append(took)
                else:
                    counts["failed"] += 1
                    if len(errors) < 3:
                        errors.append(error)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Load(clients, counts["requests"], counts["failed"], time.monotonic() - started,
                tuple(latencies), tuple(errors))


def process_tree(pid: int) -> list[int]:
    """pid and its descendants (the master and its workers)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(parents.get(p, []))
    return tree


def _kb(text: str, key: str) -> int:
    found = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else 0


def memory(pid: int) -> Memory:
    rss = pss = hwm = master = 0
    private = []
    tree = process_tree(pid)
    for p in tree:
        try:
            status = Path(f"/proc/{p}/status").read_text()
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        rss += _kb(status, "VmRSS")
        hwm += _kb(status, "VmHWM")
        pss += _kb(rollup, "Pss")
        if p == pid:
            master = _kb(status, "VmRSS")
        else:
            private.append((_kb(rollup, "Private_Clean") + _kb(rollup, "Private_Dirty")) / 1024)
    return Memory(len(tree), rss / 1024, pss / 1024, hwm / 1024, master / 1024, tuple(private))


def run_config(workers: int, threads: int | None, index: Path, asked: list[str],
               args: argparse.Namespace, work: Path) -> Row:
    extra = ["--workers", str(workers)] + (["--threads", str(threads)] if threads else [])
    name = f"--workers {workers}" + (f" --threads {threads}" if threads else "")
    server = Server(index, extra, work / f"serve-{workers}-{threads}.log")
    try:
        time.sleep(SETTLE_SECONDS)
        boot = memory(server.proc.pid)
        single = measured(server.proc.pid, server.port, asked, 1, None)
        after_single = memory(server.proc.pid)
        if args.warm:  # every worker thread's searcher opened before the measured loads
            run_clients(server.port, asked, max(args.clients), args.warm)
        loads = tuple(measured(server.proc.pid, server.port, asked, n, args.seconds)
                      for n in args.clients)
        mem = memory(server.proc.pid)
    finally:
        server.stop()
    return Row(name, single, loads, mem, after_single, boot)


def report(rows: list[Row], args: argparse.Namespace, asked: int) -> None:
    print(f"## concurrency: STARD, {asked} questions through /api/search; "
          f"{os.cpu_count()} cores; loads of {args.seconds:g} s after {args.warm:g} s warm; "
          f"load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    head = f"{'config':<26}{'1 client p50':>13}{'p95 ms':>8}"
    for n in args.clients:
        head += f"{f'{n} clients req/s':>18}{'p95 ms':>8}{'failed':>7}"
    print(head + f"{'RSS MB':>8}{'PSS MB':>8}{'peak MB':>8}{'procs':>6}")
    for r in rows:
        line = f"{r.config:<26}{r.single.ms(50):>13.1f}{r.single.ms(95):>8.1f}"
        for load in r.loads:
            line += f"{load.rate:>18.1f}{load.ms(95):>8.1f}{load.failed:>7}"
        m = r.memory
        print(line + f"{m.rss_mb:>8.0f}{m.pss_mb:>8.0f}{m.peak_rss_mb:>8.0f}{m.processes:>6}")
        for load in (r.single, *r.loads):
            for error in load.errors:
                print(f"  failed ({r.config}, {load.clients} clients): {error}")
    print("server CPU ms per request / cores kept busy: " + "; ".join(
        f"{r.config}: " + ", ".join(f"{load.clients} clients {load.cpu_ms:.1f} / {load.cores:.2f}"
                                    for load in (r.single, *r.loads)) for r in rows))
    base = rows[0]
    for r in rows[1:]:
        ratios = ", ".join(f"{n} clients {load.rate / b.rate:.2f}x req/s"
                           for n, load, b in zip(args.clients, r.loads, base.loads) if b.rate)
        print(f"{r.config} against {base.config}: {ratios}; 1 client p95 "
              f"{r.single.ms(95) / base.single.ms(95):.2f}x")
    print("memory after the 1-client pass (RSS / PSS MB): " + "; ".join(
        f"{r.config} {r.memory_after_single.rss_mb:.0f} / {r.memory_after_single.pss_mb:.0f}"
        for r in rows))
    for r in rows:
        if r.memory.worker_private_mb:
            print(f"{r.config}: master {r.memory.master_rss_mb:.0f} MB resident; each worker's "
                  "private MB at start, after 1 client, after the loads: " + ", ".join(
                      f"{a:.0f} / {b:.0f} / {c:.0f}" for a, b, c in zip(
                          r.boot.worker_private_mb, r.memory_after_single.worker_private_mb,
                          r.memory.worker_private_mb)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="an existing STARD index (else built)")
    parser.add_argument("--work", type=Path, help="folder for the built index and logs (kept)")
    parser.add_argument("--workers", type=int, action="append", metavar="N",
                        help="a configuration to run (repeatable; default 1, 2 and 4)")
    parser.add_argument("--threads", type=int, help="--threads for every configuration")
    parser.add_argument("--clients", type=int, action="append", metavar="N",
                        help="concurrent clients of a load (repeatable; default 8 and 32)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each load")
    parser.add_argument("--warm", type=float, default=10.0, metavar="SECONDS",
                        help="an unmeasured load with the most clients before the measured "
                             "ones (0: none, the loads then include opening every searcher)")
    parser.add_argument("--questions", type=int, help="ask only the first N questions once")
    parser.add_argument("--rounds", type=int, default=1, help="run every configuration N times")
    args = parser.parse_args(argv)
    args.workers = args.workers or [1, 2, 4]
    args.clients = args.clients or [8, 32]
    work = args.work or Path(tempfile.mkdtemp(prefix="gongwen-concurrency-"))
    work.mkdir(parents=True, exist_ok=True)
    index = args.index or build_index(work)
    asked = questions()[:args.questions] if args.questions else questions()
    rows = [run_config(n, args.threads, index, asked, args, work)
            for _ in range(args.rounds) for n in args.workers]
    report(rows, args, len(asked))
    return 0 if all(load.failed == 0 for r in rows for load in (r.single, *r.loads)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
