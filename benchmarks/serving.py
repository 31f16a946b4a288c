"""Serving under load: `gongwen serve` with its limits against waitress's own defaults.

For each server configuration, on a copy of the same index: start a real `gongwen serve` on a
loopback port; run CLIENTS concurrent clients (one request at a time each, a fresh connection
per request) for SECONDS while `gongwen ingest` commits batches of new documents into the index
alongside; count failed requests (anything but 200, a reset, a timeout), print throughput and
latency; count the queue-depth lines in the server's log; then hold IDLE connections open
(half of them with a request begun and never finished) and time a normal client's search.

    python benchmarks/serving.py                        # ncp_policies, 50 clients x 60 s, 200 idle
    python benchmarks/serving.py --set corpus --clients 10 --seconds 5 --idle 120
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# `gongwen serve` as it starts by default (issue 14: one worker process per core); the baseline
# is one waitress process as it comes.
CONFIGS = {"gongwen serve": [], "waitress defaults": ["--waitress-defaults", "--workers", "1"]}
CORPUS_QUERIES = ("产改", "产业工人", "职工 技能", "民主管理", "大理州", "技能大赛", "改革快报",
                  "劳模", "职代会", "\"产业工人队伍\"")
QUEUE_LINE = "Task queue depth"


@dataclass(frozen=True)
class Row:
    """One document as `gongwen ingest` reads it from JSON Lines."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class LoadResult:
    requests: int
    failed: int
    seconds: float
    latencies: tuple[float, ...]
    errors: tuple[str, ...]  # the first few failures, for the reader

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


@dataclass(frozen=True)
class RunResult:
    config: str
    load: LoadResult
    commits: int
    ingest_failures: int
    queue_lines: int
    idle_answer: float | None  # seconds a normal client waited with IDLE connections open
    peak_mb: float  # the server's peak resident memory


def gongwen(*args: str) -> list[str]:
    """The `gongwen` command of this interpreter (so the code under test is what runs)."""
    return [sys.executable, "-m", "search_app.cli", *args]


def dataset(name: str) -> tuple[list[Row], list[str]]:
    """The documents and the questions of a set: 'ncp' (../shared/data) or 'corpus' (bundled)."""
    if name == "corpus":
        rows = []
        for path in sorted((REPO / "corpus").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            rows.append(Row(path.stem, text.strip().splitlines()[0], text))
        return rows, list(CORPUS_QUERIES)
    from benchmarks import datasets

    qs = datasets.load(name)
    rows = [Row(r.id, r.title or r.text[:40], r.text) for r in qs.records]
    return rows, [q[:100] for q in qs.queries.values()]


def write_jsonl(rows: list[Row], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"id": r.id, "title": r.title, "text": r.text},
                               ensure_ascii=False) + "\n")
    return path


def build_index(rows: list[Row], work: Path) -> Path:
    """The base index, built once through `gongwen ingest`."""
    index = work / "base-index"
    if not index.exists():
        source = work / "source"
        source.mkdir(parents=True, exist_ok=True)
        write_jsonl(rows, source / "documents.jsonl")
        subprocess.run(gongwen("ingest", str(source), "--index", str(index), "-q"), cwd=REPO,
                       check=True, stdout=subprocess.DEVNULL)
    return index


class Server:
    """A `gongwen serve` process on 127.0.0.1 and a free port; its stderr kept in a file."""

    def __init__(self, index: Path, extra: list[str], log: Path) -> None:
        self.log = log
        self._err = log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(gongwen("serve", "--index", str(index), "--port", "0",
                                             *extra),
                                     cwd=REPO, stdout=subprocess.PIPE, stderr=self._err,
                                     text=True)
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if found:
                self.port = int(found.group(1))
                self.url = found.group(0)
                return
        self.stop()
        raise RuntimeError(f"gongwen serve did not start: {log.read_text(encoding='utf-8')}")

    def peak_mb(self) -> float:
        """The server's peak resident set size so far (VmHWM), in MB, summed over its processes."""
        total = 0
        for pid in [self.proc.pid, *children(self.proc.pid)]:
            status = Path(f"/proc/{pid}/status")
            found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text()) if status.exists() else None
            total += int(found.group(1)) if found else 0
        return total / 1024 if total else float("nan")

    def stop(self) -> str:
        """SIGTERM, wait, and return the server's stderr."""
        terminate(self.proc)
        self._err.close()
        return self.log.read_text(encoding="utf-8")


def terminate(proc: subprocess.Popen) -> None:
    """SIGTERM a server and wait for it (30 s, then SIGKILL)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def children(pid: int) -> list[int]:
    """The worker processes of a `gongwen serve --workers N` master."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def load(url: str, queries: list[str], clients: int, seconds: float,
         timeout: float = 30.0) -> LoadResult:
    """CLIENTS threads, each searching in a loop until SECONDS are up; every failure counted."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    counts = {"requests": 0, "failed": 0}

    def client(n: int) -> None:
        i = n
        while time.monotonic() < deadline:
            query = queries[i % len(queries)]
            i += clients
            target = f"{url}api/search?q={urllib.parse.quote(query)}"
            start = time.perf_counter()
            error = None
            try:
                with urllib.request.urlopen(target, timeout=timeout) as response:
                    response.read()
                    if response.status != 200:
                        error = f"HTTP {response.status}"
            except urllib.error.HTTPError as e:
                error = f"HTTP {e.code}: {e.read()[:200]!r}"
            except OSError as e:
                error = f"{type(e).__name__}: {e}"
            took = time.perf_counter() - start
            with lock:
                counts["requests"] += 1
                if error is None:
                    latencies.append(took)
                else:
                    counts["failed"] += 1
                    if len(errors) < 5:
                        errors.append(f"{query}: {error}")

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return LoadResult(counts["requests"], counts["failed"], time.monotonic() - started,
                      tuple(latencies), tuple(errors))


class Batches:
    """`gongwen ingest` committing a new batch of documents, again and again, in a thread."""

    def __init__(self, rows: list[Row], index: Path, folder: Path, size: int) -> None:
        self.rows, self.index, self.folder, self.size = rows, index, folder, size
        self.commits = 0
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)
        shutil.rmtree(folder, ignore_errors=True)  # a reused --work folder: start clean
        folder.mkdir(parents=True)

    def __enter__(self) -> Batches:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            start = (n * self.size) % len(self.rows)
            batch = [Row(f"{row.id}-batch{n}-{k}", row.title, row.text)
                     for k, row in ((k, self.rows[(start + k) % len(self.rows)])
                                    for k in range(self.size))]
            write_jsonl(batch, self.folder / f"batch-{n:03d}.jsonl")
            proc = subprocess.run(gongwen("ingest", str(self.folder), "--index", str(self.index),
                                          "--wait", "-q"),
                                  cwd=REPO, capture_output=True, text=True)
            if proc.returncode == 0 and f"写入 {self.size} 篇文档" in proc.stdout:
                self.commits += 1
            else:
                self.failures += 1


def idle_probe(port: int, url: str, idle: int, timeout: float) -> float | None:
    """Hold IDLE connections open, half with a request begun; time a normal client's search."""
    held: list[socket.socket] = []
    try:
        for k in range(idle):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            if k % 2:
                s.sendall(b"GET /api/search?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            held.append(s)
        time.sleep(0.5)  # let the server accept what it will
        start = time.perf_counter()
        try:
            target = f"{url}api/search?q={urllib.parse.quote('产改')}"
            with urllib.request.urlopen(target, timeout=timeout) as response:
                response.read()
                ok = response.status == 200
        except OSError:
            ok = False
        return time.perf_counter() - start if ok else None
    finally:
        for s in held:
            s.close()


def run_config(config: str, extra: list[str], rows: list[Row], queries: list[str], base: Path,
               work: Path, args: argparse.Namespace) -> RunResult:
    """One server configuration on its own copy of the base index."""
    slug = re.sub(r"\W+", "-", config)
    index = work / f"index-{slug}"
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(base, index)
    server = Server(index, extra, work / f"serve-{slug}.log")
    try:
        with Batches(rows, index, work / f"batches-{slug}", args.batch) as batches:
            result = load(server.url, queries, args.clients, args.seconds)
        idle = idle_probe(server.port, server.url, args.idle, args.probe_timeout)
        peak = server.peak_mb()
    finally:
        log = server.stop()
    return RunResult(config, result, batches.commits, batches.failures,
                     log.count(QUEUE_LINE), idle, peak)


def report(results: list[RunResult], args: argparse.Namespace, docs: int) -> None:
    print(f"## serving: {args.set}, {docs} documents; {args.clients} clients x {args.seconds:g} s "
          f"while `gongwen ingest` commits batches of {args.batch}; then {args.idle} idle "
          f"connections (probe timeout {args.probe_timeout:g} s)")
    print(f"{'config':<28}{'requests':>9}{'failed':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'commits':>9}{'queue log lines':>17}{'peak MB':>9}  "
          "answered with idle connections open")
    for r in results:
        answered = (f"yes, in {r.idle_answer * 1000:.0f} ms" if r.idle_answer is not None
                    else f"no (nothing within {args.probe_timeout:g} s)")
        print(f"{r.config:<28}{r.load.requests:>9}{r.load.failed:>8}{r.load.rate:>8.1f}"
              f"{r.load.percentile(50) * 1000:>9.1f}{r.load.percentile(95) * 1000:>9.1f}"
              f"{r.commits:>9}{r.queue_lines:>17}{r.peak_mb:>9.0f}  {answered}")
        for error in r.load.errors:
            print(f"  failed request ({r.config}): {error}")
        if r.ingest_failures:
            print(f"  {r.ingest_failures} ingest runs did not commit ({r.config})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("ncp", "corpus"), default="ncp",
                        help="ncp: ../shared/data/ncp_policies; corpus: the bundled demo corpus")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--idle", type=int, default=200)
    parser.add_argument("--batch", type=int, default=20, help="documents per ingest batch")
    parser.add_argument("--probe-timeout", type=float, default=30.0)
    parser.add_argument("--only", choices=tuple(CONFIGS), help="run one configuration")
    parser.add_argument("--also-threads", type=int, action="append", default=[], metavar="N",
                        help="also run `gongwen serve --threads N` (repeatable)")
    parser.add_argument("--also-workers", type=int, action="append", default=[], metavar="N",
                        help="also run `gongwen serve --workers N` (repeatable)")
    parser.add_argument("--work", type=Path, help="folder to keep the base index in (reused)")
    args = parser.parse_args(argv)
    rows, queries = dataset(args.set)
    work = args.work or Path(tempfile.mkdtemp(prefix="gongwen-serving-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        base = build_index(rows, work)
        configs = {args.only: CONFIGS[args.only]} if args.only else dict(CONFIGS)
        for n in args.also_threads:
            configs[f"gongwen serve, {n} threads"] = ["--threads", str(n)]
        for n in args.also_workers:
            configs[f"gongwen serve, {n} workers"] = ["--workers", str(n)]
        results = [run_config(name, extra, rows, queries, base, work, args)
                   for name, extra in configs.items()]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    report(results, args, len(rows))
    return 0 if all(r.load.failed == 0 for r in results if r.config == "gongwen serve") else 1


if __name__ == "__main__":
    raise SystemExit(main())
