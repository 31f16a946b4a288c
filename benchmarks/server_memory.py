"""A real `gongwen serve`'s resident memory on the STARD index, against a baseline, same run.

Issue 14: "server resident memory ≤ 600 MB after 737 questions and after 8-client load". Two
servers on the same index (read only), side by side: this checkout's and the baseline's (the
`gongwen serve` of another checkout, --baseline DIR, by default a pristine main at
/work/old/main; or this checkout with --threads 1 when there is none). Each gets, in turn:

1. nothing: its resident memory at start (after one search, which loads the dictionary);
2. the 737 STARD questions, one client: memory, p50/p95 latency;
3. an 8-client load: the questions again, 8 at a time (2 and 3 in three rounds, the servers
   alternating, so the machine's load falls on both alike: latency and requests/s compared);
4. N distinct random queries (pairs of words of the questions), with memory every N/5: it
   must level off, not grow with the number of distinct queries.

Resident memory is VmRSS of the server process tree (its anonymous part, RssAnon, is what the
process itself holds; RssFile are pages of the index's memory maps, shared with the page cache
and every other process serving the index). Memory is read after each phase, with no request
running.

    python -m benchmarks.server_memory --index DIR        # an index of the STARD articles
    python -m benchmarks.server_memory --work DIR          # builds it there first (gongwen ingest)
    python -m benchmarks.server_memory --index DIR --questions 100 --random 500   # shorter
    python -m benchmarks.server_memory --index DIR --one-thread   # 8 threads against 1
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.concurrency import process_tree  # noqa: E402
from benchmarks.serving import terminate  # noqa: E402

STARD = REPO.parent / "shared" / "data" / "stard_statutes"
OLD_MAIN = Path("/work/old/main")
FLOOR_MB = 600


@dataclass(frozen=True)
class Memory:
    rss: float  # MB, the process tree
    anon: float
    file: float


def _status(pid: int) -> dict[str, int]:
    out = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return out
    for key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
        found = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
        out[key] = int(found.group(1)) if found else 0
    return out


def memory(pid: int) -> Memory:
    total = {"VmRSS": 0, "RssAnon": 0, "RssFile": 0}
    for p in process_tree(pid):
        st = _status(p)
        for k in total:
            total[k] += st.get(k, 0)
    return Memory(total["VmRSS"] / 1024, total["RssAnon"] / 1024, total["RssFile"] / 1024)


class Server:
    """`gongwen serve` of a checkout (its own venv) on a free port."""

    def __init__(self, name: str, checkout: Path, index: Path, extra: list[str],
                 log: Path) -> None:
        self.name = name
        python = checkout / ".venv" / "bin" / "python"
        self._err = log.open("w", encoding="utf-8")
        self.log = log
        self.proc = subprocess.Popen([str(python), "-m", "search_app.cli", "serve", "--index",
                                      str(index), "--port", "0", *extra], cwd=checkout,
                                     stdout=subprocess.PIPE, stderr=self._err, text=True)
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if found:
                self.url = found.group(0)
                return
        self.stop()
        raise SystemExit(f"{name}: gongwen serve did not start: {log.read_text()}")

    def ask(self, q: str) -> float:
        start = time.perf_counter()
        target = f"{self.url}api/search?q={urllib.parse.quote(q)}"
        with urllib.request.urlopen(target, timeout=120) as response:
            json.loads(response.read())
        return time.perf_counter() - start

    def memory(self) -> Memory:
        return memory(self.proc.pid)

    def stop(self) -> None:
        terminate(self.proc)
        self._err.close()


def _questions(limit: int | None) -> list[str]:
    lines = (STARD / "queries.dev.tsv").read_text(encoding="utf-8").splitlines()
    qs = [line.split("\t")[1] for line in lines if "\t" in line]
    return qs[:limit] if limit else qs


def _random_queries(questions: list[str], n: int, seed: int = 14) -> list[str]:
    """n distinct two-word queries from the questions' words (jieba)."""
    import jieba
    words = sorted({w for q in questions for w in jieba.cut(q) if len(w) >= 2})
    rng, out, seen = random.Random(seed), [], set()
    while len(out) < n and len(seen) < len(words) ** 2:
        q = " ".join(rng.sample(words, 2))
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


def _fmt(m: Memory) -> str:
    return f"{m.rss:8.0f} {m.anon:8.0f} {m.file:8.0f}"


def _pct(xs: list[float], p: float) -> float:
    return sorted(xs)[min(len(xs) - 1, int(p * len(xs)))] * 1000 if xs else float("nan")


def build(work: Path) -> Path:
    index = work / "stard-index"
    if not (index / "gongwen-index.json").exists():
        subprocess.run([sys.executable, "-m", "search_app.cli", "ingest",
                        str(STARD / "corpus.jsonl.gz"), "--index", str(index), "-q"],
                       cwd=REPO, check=True)
    return index


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="an index of the STARD articles")
    ap.add_argument("--work", type=Path, help="where to build one when --index is not given")
    ap.add_argument("--baseline", type=Path, default=OLD_MAIN if OLD_MAIN.is_dir() else None,
                    help="another checkout (with .venv) whose server is the baseline "
                         "(default /work/old/main; none: this checkout with --threads 1)")
    ap.add_argument("--one-thread", action="store_true",
                    help="baseline: this checkout's serve with --threads 1 (what threads cost)")
    ap.add_argument("--questions", type=int, help="only the first N questions")
    ap.add_argument("--random", type=int, default=2000, help="distinct random queries")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--serve-args", default="", help="extra arguments for this checkout's serve")
    args = ap.parse_args()
    if not (STARD / "queries.dev.tsv").is_file():
        raise SystemExit(f"没有找到 {STARD}：本基准需要 ../shared/data/stard_statutes")
    work = args.work or Path(tempfile.mkdtemp(prefix="server-memory-"))
    index = args.index or build(work)
    questions = _questions(args.questions)
    randoms = _random_queries(questions, args.random)
    if args.baseline is not None and not args.one_thread:
        configs = [(f"baseline {args.baseline}", args.baseline, []),
                   ("this branch", REPO, args.serve_args.split())]
    else:
        configs = [("baseline --threads 1", REPO, ["--threads", "1"]),
                   ("this branch", REPO, args.serve_args.split())]
    work.mkdir(parents=True, exist_ok=True)
    servers = [Server(name, checkout, index, extra, work / f"server-{i}.log")
               for i, (name, checkout, extra) in enumerate(configs)]
    results: dict[str, list[tuple[str, Memory]]] = {s.name: [] for s in servers}
    lat: dict[str, str] = {}
    try:
        for s in servers:
            s.ask(questions[0])
            results[s.name].append(("start", s.memory()))
        # The questions in rounds, the servers alternating, so the machine's load falls alike.
        rounds = [questions[i::3] for i in range(3)]
        took1: dict[str, list[float]] = {s.name: [] for s in servers}
        for chunk in rounds:
            for s in servers:  # one client
                took1[s.name] += [s.ask(q) for q in chunk]
        for s in servers:
            results[s.name].append((f"{len(questions)} questions, 1 client", s.memory()))
            t = took1[s.name]
            lat[s.name] = f"1 client: p50 {_pct(t, 0.5):.1f} ms, p95 {_pct(t, 0.95):.1f} ms"
        tookn: dict[str, list[float]] = {s.name: [] for s in servers}
        wall = {s.name: 0.0 for s in servers}
        for chunk in rounds:
            for s in servers:
                with ThreadPoolExecutor(args.clients) as pool:
                    started = time.perf_counter()
                    tookn[s.name] += list(pool.map(s.ask, chunk))
                    wall[s.name] += time.perf_counter() - started
        for s in servers:
            results[s.name].append((f"{args.clients}-client load", s.memory()))
            t = tookn[s.name]
            lat[s.name] += (f"; {args.clients} clients: {len(t) / wall[s.name]:.1f} requests/s, "
                            f"p95 {_pct(t, 0.95):.0f} ms")
        step = max(1, len(randoms) // 5)
        for s in servers:
            for start in range(0, len(randoms), step):
                for q in randoms[start:start + step]:
                    s.ask(q)
                results[s.name].append((f"+{min(start + step, len(randoms))} random queries",
                                        s.memory()))
    finally:
        for s in servers:
            s.stop()
    size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 2**20
    print(f"index {index} ({size:.0f} MB on disk), load average {os.getloadavg()[0]:.1f}")
    print(f"{'server':<34} {'after':<30} {'RSS MB':>8} {'anon':>8} {'file':>8}")
    for name, rows in results.items():
        for phase, m in rows:
            print(f"{name:<34} {phase:<30} {_fmt(m)}")
    for name, text in lat.items():
        print(f"{name}: {text}")
    base, ours = (results[s.name] for s in servers)
    for (phase, b), (_, o) in zip(base, ours):
        print(f"{phase:<30} RSS {o.rss / b.rss:5.2f}x baseline"
              f"{'' if o.rss <= FLOOR_MB else f'  (over the {FLOOR_MB} MB floor)'}")


if __name__ == "__main__":
    main()
