"""Query syntax benchmark (issue 13): what OR, NOT, groups and 结果中检索 cost against the plain
query of the same words, on the real ncp set, in one run.

For each dev question its two longest words w1 w2 (and a third, w3) make four queries:

    plain     w1 w2                 the baseline: one branch, read by the plain parser
    or        w1 OR w2              two branches
    grouped   (w1 OR w2) -w3        two branches, each excluding w3
    within    w1, within w2         the plain query and one earlier query

and the benchmark prints per-query latency p50/p95 (in process, first page, highlights on)
and the mean number of matches, then each variant's p95 against the plain query's.

    python benchmarks/syntax.py --queries 200
    python benchmarks/syntax.py --queries 12 --docs 150     # the slice the tests run
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import datasets, metrics  # noqa: E402
from benchmarks.relevance import build_index  # noqa: E402


def words(question: str) -> list[str]:
    """The question's three longest words (jieba), longest first."""
    import jieba

    found = sorted({w for w in jieba.lcut(question) if len(w) >= 2 and w.isalnum()},
                   key=lambda w: (-len(w), w))
    return found[:3]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=200, help="dev questions used")
    parser.add_argument("--docs", type=int, help="only N documents (every judged one kept)")
    args = parser.parse_args(argv)

    from index import SearchRequest, open_index

    qs = datasets.load("ncp", limit_queries=args.queries, limit_docs=args.docs)
    triples = [w for q in qs.queries.values() if len(w := words(q)) == 3]
    variants = {
        "plain (baseline)": lambda a, b, c: SearchRequest(q=f"{a} {b}"),
        "or": lambda a, b, c: SearchRequest(q=f"{a} OR {b}"),
        "grouped": lambda a, b, c: SearchRequest(q=f"({a} OR {b}) -{c}"),
        "within": lambda a, b, c: SearchRequest(q=a, within=(b,)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        index_path, seconds = build_index(qs, Path(tmp))
        print(f"ncp: {len(qs.records)} documents, {len(triples)} word triples; "
              f"index built in {seconds:.1f} s")
        with open_index(index_path) as index:
            for a, b, c in triples[:20]:  # warm the caches alike for every variant
                for make in variants.values():
                    index.search(make(a, b, c))
            rows = {}
            for name, make in variants.items():
                times, totals = [], []
                for a, b, c in triples:
                    start = time.perf_counter()
                    totals.append(index.search(make(a, b, c)).total)
                    times.append(time.perf_counter() - start)
                rows[name] = (metrics.percentile(times, 50) * 1000,
                              metrics.percentile(times, 95) * 1000, sum(totals) / len(totals))
    print(f"{'query':<18}{'p50 ms':>9}{'p95 ms':>9}{'matches':>10}{'p95 vs plain':>14}")
    base = rows["plain (baseline)"][1]
    for name, (p50, p95, mean) in rows.items():
        print(f"{name:<18}{p50:>9.1f}{p95:>9.1f}{mean:>10.1f}{p95 / base:>13.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
