"""A serving process's memory across commits: peak RSS after each commit, 1 thread against 8.

Builds (or reuses, with --work DIR) an index of ../shared/data/ncp_policies, then for each
thread count runs a fresh process that opens the index as `gongwen serve` does, and --commits
times: commits one small new file through the CLI, asks --questions of the set's questions from
that many threads, and prints its peak resident memory (ru_maxrss). After a commit every
thread opens a new searcher; whoosh's own storage copied each segment file it opened out of
the memory map, so the peak grew with threads × commits. Since issue 14 every searcher reads
views of one shared map per file (index/mapped.py): the peak barely grows.

    python -m benchmarks.searcher_memory [--work DIR] [--commits 8] [--questions 40]
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NCP = REPO.parent / "shared" / "data" / "ncp_policies"


def cli(*args: object) -> None:
    done = subprocess.run([sys.executable, "-m", "search_app.cli", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"gongwen {args[0]} 失败：{done.stderr.strip()}")


def child(index: Path, inbox: Path, threads: int, commits: int, questions: int) -> None:
    """One configuration, in this process (the parent runs it as a subprocess)."""
    from index import open_index
    from search_app.config import default_config
    from search_app.params import parse_search_args
    from search_app.store import prepare_analysis

    prepare_analysis()
    lines = (NCP / "queries.dev.tsv").read_text(encoding="utf-8").splitlines()[1:]
    asked = [line.split("\t")[-1] for line in lines]
    config = default_config()
    with open_index(index) as ix, ThreadPoolExecutor(threads) as pool:
        def ask(q: str) -> None:
            ix.search(parse_search_args({"q": q}, config))

        for c in range(commits):
            (inbox / f"add-{c:02d}.txt").write_text(
                f"关于第{c}批复工复产的通知\n\n各单位要做好疫情防控和复工复产工作。\n",
                encoding="utf-8")
            cli("ingest", inbox, "--index", index, "-q")
            start = (c * questions) % max(1, len(asked) - questions)
            list(pool.map(ask, asked[start:start + questions]))
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(f"{threads:>7} {c + 1:>7} {peak:>8}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path)
    ap.add_argument("--commits", type=int, default=8)
    ap.add_argument("--questions", type=int, default=40)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        work = Path(args.child[0])
        child(work / "index", work / "inbox", int(args.child[1]), args.commits, args.questions)
        return
    if not (NCP / "corpus.jsonl").is_file():
        raise SystemExit(f"没有找到 {NCP}：本基准需要 ../shared/data/ncp_policies")
    work = args.work or Path(tempfile.mkdtemp(prefix="searcher-memory-"))
    base = work / "base"
    if not (base / "index").exists():
        (base / "source").mkdir(parents=True, exist_ok=True)
        shutil.copy(NCP / "corpus.jsonl", base / "source")
        cli("ingest", base / "source", "--index", base / "index", "-q")
    print("threads  commit  peak MB")
    for threads in (1, 8):
        run = work / f"threads-{threads}"
        shutil.rmtree(run, ignore_errors=True)
        shutil.copytree(base / "index", run / "index")
        (run / "inbox").mkdir(parents=True)
        subprocess.run([sys.executable, "-m", "benchmarks.searcher_memory", "--child", str(run),
                        str(threads), "--commits", str(args.commits), "--questions",
                        str(args.questions)], cwd=REPO, check=True)


if __name__ == "__main__":
    main()
