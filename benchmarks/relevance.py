"""Relevance benchmark: gongwen-search against plain BM25 on real Chinese questions.

Builds an index of ../shared/data/ncp_policies and ../shared/data/stard_statutes through the
project's own path (a JSON Lines file → `ingest` → `index`), runs the dev questions, and prints
nDCG@10, Recall@10, Recall@100 and MRR@10, query latency p50/p95 (in process, and through the
HTTP API with highlights), and the same figures for the plain-BM25 baselines (bm25s over jieba
tokens, over character bigrams, and over both) computed in the same run.

    python benchmarks/relevance.py                 # both sets in full (about 10 minutes)
    python benchmarks/relevance.py --set ncp
    python benchmarks/relevance.py --queries 40 --docs 3000   # the quick slice CI runs
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import baseline, datasets, metrics  # noqa: E402

FIGURES = ("nDCG@10", "Recall@10", "Recall@100", "MRR@10")


def write_jsonl(qs: datasets.QuestionSet, folder: Path) -> Path:
    """The question set's documents as a JSON Lines file that `gongwen ingest` reads."""
    path = folder / f"{qs.name}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for r in qs.records:
            row = {"id": r.id, "title": r.title or r.text[:40], "text": r.text}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def build_index(qs: datasets.QuestionSet, folder: Path) -> tuple[Path, float]:
    """Index the set through the real ingest path; return the index path and seconds taken."""
    from search_app.indexing import ingest_into_index

    source = write_jsonl(qs, folder)
    index_path = folder / "index"
    start = time.perf_counter()
    summary = ingest_into_index([source], index_path)
    if summary.failures:
        raise SystemExit("; ".join(summary.failure_lines()))
    return index_path, time.perf_counter() - start


def run_engine(index_path: Path, queries: dict[str, str], expand: bool = True):
    """Rank the top 100 documents per question in process; return runs and per-query seconds."""
    from index import QueryError, SearchRequest, open_index

    runs: dict[str, list[str]] = {}
    times: list[float] = []
    with open_index(index_path) as index:
        for qid, question in queries.items():
            start = time.perf_counter()
            try:
                res = index.search(SearchRequest(q=question, per_page=100, passages_per_doc=1,
                                                 expand=expand))
                runs[qid] = [h.doc_id for h in res.hits]
            except QueryError:
                runs[qid] = []
            times.append(time.perf_counter() - start)
    return runs, times


def http_latency(index_path: Path, queries: dict[str, str]) -> list[float]:
    """Seconds per GET /api/search (first page, highlights) against a real waitress server."""
    from waitress.server import create_server

    from search_app import create_app

    app = create_app({"INDEX_PATH": str(index_path), "TESTING": False})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    times = []
    try:
        base = f"http://127.0.0.1:{port}/api/search?"
        urllib.request.urlopen(base + urllib.parse.urlencode({"q": "法律"})).read()  # warm up
        for question in queries.values():
            url = base + urllib.parse.urlencode({"q": question})
            start = time.perf_counter()
            with urllib.request.urlopen(url) as resp:
                resp.read()
            times.append(time.perf_counter() - start)
    finally:
        server.close()
    return times


def row(name: str, scores: dict[str, float], times: list[float]) -> str:
    cells = " ".join(f"{scores[k]:>10.3f}" for k in FIGURES)
    ms = f"{metrics.percentile(times, 50) * 1000:>8.1f} {metrics.percentile(times, 95) * 1000:>8.1f}"
    return f"{name:<22}{cells} {ms}"


def bench_set(name: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Run the engine and the baselines on one question set; print and return the scores."""
    qs = datasets.load(name, args.queries, args.docs)
    print(f"\n## {name}: {len(qs.records)} documents, {len(qs.queries)} questions (dev)")
    print(f"{'system':<22}" + " ".join(f"{k:>10}" for k in FIGURES) + f" {'p50 ms':>8} {'p95 ms':>8}")
    results: dict[str, dict[str, float]] = {}
    ids = [r.id for r in qs.records]
    texts = [f"{r.title} {r.text}".strip() for r in qs.records]
    for bname, tokenize in baseline.TOKENIZERS.items():
        runs, times = baseline.run(tokenize, ids, texts, qs.queries)
        results[bname] = metrics.evaluate(runs, qs.qrels)
        print(row(bname, results[bname], times), flush=True)
    with tempfile.TemporaryDirectory(prefix=f"gongwen-bench-{name}-") as tmp:
        index_path, build_s = build_index(qs, Path(tmp))
        runs, times = run_engine(index_path, qs.queries)
        results["gongwen"] = metrics.evaluate(runs, qs.qrels)
        print(row("gongwen", results["gongwen"], times), flush=True)
        if args.no_expand:
            runs, times = run_engine(index_path, qs.queries, expand=False)
            results["gongwen-noexpand"] = metrics.evaluate(runs, qs.qrels)
            print(row("gongwen (no expand)", results["gongwen-noexpand"], times), flush=True)
        if not args.no_http:
            http = http_latency(index_path, qs.queries)
            print(f"gongwen via HTTP API, first page with highlights: p50 "
                  f"{metrics.percentile(http, 50) * 1000:.1f} ms, p95 "
                  f"{metrics.percentile(http, 95) * 1000:.1f} ms")
        print(f"index build: {build_s:.1f} s")
    best = max((b for b in results if b.startswith("bm25")), key=lambda b: results[b]["nDCG@10"])
    gain = results["gongwen"]["nDCG@10"] - results[best]["nDCG@10"]
    print(f"gongwen vs best baseline ({best}): nDCG@10 {gain:+.3f}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("ncp", "stard", "all"), default="all")
    parser.add_argument("--queries", type=int, help="only the first N questions")
    parser.add_argument("--docs", type=int, help="only N documents (every judged one kept)")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP latency run")
    parser.add_argument("--no-expand", action="store_true",
                        help="also run without abbreviation expansion")
    args = parser.parse_args(argv)
    from search_app.store import prepare_analysis

    prepare_analysis()
    names = ("ncp", "stard") if args.set == "all" else (args.set,)
    for name in names:
        bench_set(name, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
