"""Queries asked the first time, this checkout against a baseline checkout, each on its own index.

lean.py's keyword pairs (``Index.search``, top 10, no passages, expansion or facet counts),
then the same pairs again, and with ``--questions`` the STARD dev questions (first page with
passages). Each checkout answers in a child process of its own (its ``.venv``), opened on its
own index (an index of another schema version cannot be shared), warmed with one query; the
two are asked in turn, alternating who goes first. Printed: wall and CPU time of the
searching thread (p50 / p95; CPU barely moves with a busy machine's load), the ratio, and on
how many queries the two top-10 lists differ.

    python -m benchmarks.first_ask --index DIR --baseline /work/bench/main --baseline-index DIR2
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def child(repo: Path, index_path: Path) -> None:
    """Answer {"q", "keyword"} lines with {"s", "cpu", "ids"} lines."""
    sys.path.insert(0, str(repo))
    from index import QueryError, SearchRequest, open_index
    from search_app.store import prepare_analysis

    prepare_analysis()
    with open_index(index_path) as ix:
        def ask(req: SearchRequest) -> list[str]:
            try:
                return [h.doc_id for h in ix.search(req).hits]
            except QueryError:
                return []

        ask(SearchRequest(q="合同"))
        print("ready", flush=True)
        for line in sys.stdin:
            got = json.loads(line)
            req = SearchRequest(q=got["q"], per_page=10, passages_per_doc=0, expand=False,
                                facets=False) if got["keyword"] else SearchRequest(q=got["q"])
            wall, cpu = time.perf_counter(), time.thread_time()
            ids = ask(req)
            print(json.dumps({"s": time.perf_counter() - wall, "cpu": time.thread_time() - cpu,
                              "ids": ids}), flush=True)


class Engine:
    def __init__(self, repo: Path, index_path: Path) -> None:
        python = repo / ".venv" / "bin" / "python"
        self.proc = subprocess.Popen(
            [str(python if python.is_file() else sys.executable), str(Path(__file__).resolve()),
             "--child", str(repo), "--index", str(index_path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", cwd=repo)
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit(f"错误：{repo} 的 gongwen 未能打开索引 {index_path}")

    def ask(self, q: str, keyword: bool) -> dict:
        self.proc.stdin.write(json.dumps({"q": q, "keyword": keyword}, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def run(label: str, queries: list[str], keyword: bool, engines: dict[str, Engine]) -> None:
    from benchmarks import metrics

    wall: dict[str, list[float]] = {n: [] for n in engines}
    cpu: dict[str, list[float]] = {n: [] for n in engines}
    differ = 0
    for i, q in enumerate(queries):
        names = list(engines) if i % 2 == 0 else list(engines)[::-1]
        got = {n: engines[n].ask(q, keyword) for n in names}
        for n in engines:
            wall[n].append(got[n]["s"] * 1000)
            cpu[n].append(got[n]["cpu"] * 1000)
        differ += got["this"]["ids"] != got["baseline"]["ids"]

    def pct(values: list[float], p: float) -> float:
        return metrics.percentile(values, p)

    for n in engines:
        print(f"{label:<22} {n:<9} wall p50/p95 {pct(wall[n], 50):6.2f} / "
              f"{pct(wall[n], 95):6.2f} ms   CPU p50/p95 {pct(cpu[n], 50):6.2f} / "
              f"{pct(cpu[n], 95):6.2f} ms")
    print(f"{label:<22} ratio     CPU p50 {pct(cpu['this'], 50) / pct(cpu['baseline'], 50):.2f}×"
          f"  p95 {pct(cpu['this'], 95) / pct(cpu['baseline'], 95):.2f}×;"
          f"  top 10 differ on {differ} of {len(queries)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="this checkout's index")
    parser.add_argument("--baseline", type=Path, help="the other checkout (required)")
    parser.add_argument("--baseline-index", type=Path, help="its index (default: --index)")
    parser.add_argument("--questions", action="store_true", help="also the dev questions")
    parser.add_argument("--limit", type=int, help="only the first N pairs (and N questions)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.index)
        return 0
    if args.baseline is None:
        parser.error("--baseline：请给出作为基准的另一份检出（含 .venv）")
    sys.path.insert(0, str(REPO))
    from benchmarks import datasets, lean

    qs = datasets.load("stard")
    pairs = [f"{a} {b}" for a, b in lean.keyword_pairs(list(qs.records), lean.KEYWORD_QUERIES)]
    questions = list(qs.queries.values())[:args.limit]
    pairs = pairs[:args.limit]
    engines = {"this": Engine(REPO, args.index),
               "baseline": Engine(args.baseline, args.baseline_index or args.index)}
    try:
        run("keywords, first ask", pairs, True, engines)
        run("keywords, again", pairs, True, engines)
        if args.questions:
            run("questions, first ask", questions, False, engines)
    finally:
        for engine in engines.values():
            engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
