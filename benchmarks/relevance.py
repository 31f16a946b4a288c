"""Relevance benchmark: gongwen-search against plain BM25 on real Chinese questions.

Builds an index of ../shared/data/ncp_policies and ../shared/data/stard_statutes through the
project's own path (a JSON Lines file → `ingest` → `index`), runs the dev questions, and prints
nDCG@10, Recall@10, Recall@100 and MRR@10, query latency p50/p95 (in process, 100 hits per
question; and through the HTTP API, first page with highlights), and the same figures for the
plain-BM25 baselines (bm25s over jieba tokens, over character bigrams, and over both) computed
in the same run.

    python benchmarks/relevance.py                 # both sets in full (about 15 minutes)
    python benchmarks/relevance.py --set ncp
    python benchmarks/relevance.py --ablations     # also: no expansion, no prior, no re-ranking
    python benchmarks/relevance.py --queries 40 --docs 300 --no-http   # the slice CI runs
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import baseline, datasets, metrics  # noqa: E402

FIGURES = ("nDCG@10", "Recall@10", "Recall@100", "MRR@10")
HTTP_TIMEOUT = 60  # seconds: a request that gets no answer fails the run instead of hanging it
# Engine variants for --ablations: (row name, SearchRequest changes, RankParams changes).
ABLATIONS = (
    ("gongwen, no expansion", {"expand": False}, {}),
    ("gongwen, no citation prior", {}, {"citation_weight": 0.0}),
    ("gongwen, no re-ranking", {}, {"rerank_depth": 0}),
    ("gongwen, words AND", {}, {"min_match": 1.0}),
)


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


Search = Callable[[str], list[str]]


def _engine(index, request_changes: dict, param_changes: dict) -> Search:
    """A function question → ranked doc ids (top 100), for the engine or one of its variants."""
    from index import QueryError, RankParams, SearchRequest

    params = RankParams(**param_changes)

    def search(question: str) -> list[str]:
        req = SearchRequest(q=question, per_page=100, passages_per_doc=1, **request_changes)
        try:
            res = index.search(req, params)  # ranking parameters are not part of the request
        except QueryError:
            return []
        return [h.doc_id for h in res.hits]

    return search


def run_engine(search: Search, queries: dict[str, str]) -> tuple[dict[str, list[str]], list[float]]:
    """Rank per question in process; return runs and per-query seconds."""
    runs: dict[str, list[str]] = {}
    times: list[float] = []
    for qid, question in queries.items():
        start = time.perf_counter()
        runs[qid] = search(question)
        times.append(time.perf_counter() - start)
    return runs, times


def http_latency(index_path: Path, queries: dict[str, str]) -> list[float]:
    """Seconds per GET /api/search (first page, highlights) against a real `gongwen serve`.

    The server is its own process, as users run it: a server thread inside this process
    shares its state (open-file limit, descriptors, threads left by earlier callers).
    """
    proc = subprocess.Popen([sys.executable, "-m", "search_app.cli", "serve", "--index",
                             str(index_path), "--port", "0", "--threads", "4"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, encoding="utf-8",
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})  # its first line: the URL
    times = []
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        served = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if served is None:
            raise RuntimeError(f"gongwen serve did not start: {line!r}")
        base = served.group(0) + "api/search?"
        urllib.request.urlopen(base + urllib.parse.urlencode({"q": "法律"}),
                               timeout=HTTP_TIMEOUT).read()  # warm up
        for question in queries.values():
            url = base + urllib.parse.urlencode({"q": question})
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT) as resp:
                    resp.read()
            except urllib.error.HTTPError as e:  # a 400 for a malformed question still counts
                e.read()
            times.append(time.perf_counter() - start)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
    return times


def ms(times: list[float], p: float) -> float:
    return metrics.percentile(times, p) * 1000


def row(name: str, scores: dict[str, float], times: list[float]) -> str:
    cells = " ".join(f"{scores[k]:>10.3f}" for k in FIGURES)
    return f"{name:<28}{cells} {ms(times, 50):>8.1f} {ms(times, 95):>8.1f}"


def index_for(qs: datasets.QuestionSet, args: argparse.Namespace,
               tmp: Path) -> tuple[Path, float | None]:
    """An index of the set: reused from --work when it is there, else built now."""
    if args.work is None:
        return build_index(qs, tmp)
    folder = args.work / f"{qs.name}-{args.docs or 'all'}"
    if (folder / "index").is_dir():
        return folder / "index", None
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return build_index(qs, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def bench_set(name: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Run the engine and the baselines on one question set; print and return the scores."""
    from index import open_index

    qs = datasets.load(name, args.queries, args.docs)
    print(f"\n## {name}: {len(qs.records)} documents, {len(qs.queries)} questions (dev)")
    print(f"{'system':<28}" + " ".join(f"{k:>10}" for k in FIGURES) +
          f" {'p50 ms':>8} {'p95 ms':>8}")
    results: dict[str, dict[str, float]] = {}
    ids = [r.id for r in qs.records]
    texts = [r.full_text for r in qs.records]
    for bname, tokenize in baseline.TOKENIZERS.items():
        runs, times = baseline.run(tokenize, ids, texts, qs.queries)
        results[bname] = metrics.evaluate(runs, qs.qrels)
        print(row(bname, results[bname], times), flush=True)
    with tempfile.TemporaryDirectory(prefix=f"gongwen-bench-{name}-") as tmp:
        index_path, build_s = index_for(qs, args, Path(tmp))
        variants = [("gongwen", {}, {})] + (list(ABLATIONS) if args.ablations else [])
        with open_index(index_path) as index:
            for label, request_changes, param_changes in variants:
                runs, times = run_engine(_engine(index, request_changes, param_changes),
                                         qs.queries)
                results[label] = metrics.evaluate(runs, qs.qrels)
                print(row(label, results[label], times), flush=True)
        if not args.no_http:
            http = http_latency(index_path, qs.queries)
            results["http"] = {"p50": ms(http, 50), "p95": ms(http, 95)}
            print(f"gongwen via HTTP API (GET /api/search, first page of 10, highlights): "
                  f"p50 {ms(http, 50):.1f} ms, p95 {ms(http, 95):.1f} ms")
        if build_s is not None:
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
    parser.add_argument("--ablations", action="store_true",
                        help="also run the engine without expansion, prior, re-ranking, OR")
    parser.add_argument("--work", type=Path, metavar="DIR",
                        help="keep the indexes in DIR and reuse them on the next run")
    args = parser.parse_args(argv)
    from search_app.store import prepare_analysis

    prepare_analysis()
    names = ("ncp", "stard") if args.set == "all" else (args.set,)
    for name in names:
        bench_set(name, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
