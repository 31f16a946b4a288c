"""Issue 14 "lean and fast at scale": every row of its table, gongwen against the SQLite FTS5
peer (benchmarks/fts5_peer.py), in the same run, with ratios and each floor met or not.

On the STARD statutes (../shared/data/stard_statutes, 64,430 articles; --limit N takes the
first N, and keeps the questions with a judged article among them):

* tokenize: jieba search mode (the peer's tokens), precise mode and rjieba (when installed),
  with the user dictionary, in a process of their own;
* build: `gongwen ingest` and the peer's build as child processes, each with its whole process
  tree sampled every 50 ms (wall, processes at once, peak of the summed RSS);
* size: bytes of the index folder and of the peer's database, and their ratio to the text;
* questions: the dev questions, 1 client, over HTTP against a fresh `gongwen serve` (GET
  /api/search, first page with highlights, a fresh connection per request, one warm-up request
  first), and in process: Index.search (first page, passages) and the peer (bm25(), snippet());
* keywords: 200 two-word AND queries (seeded) from word pairs of one article, each word one
  token for both engines; ranked top 10, no passages or snippets on either side, no expansion;
* load: 8 and 32 client threads, one request at a time each, fresh connections, for --seconds,
  asking the questions, for each configuration `gongwen serve --help` offers;
* memory: the server's whole tree (RSS and PSS summed) at start, after the questions, after
  the 8- and 32-client loads;
* cli: `gongwen search QUESTION --index DIR`, median wall of --cli-runs runs (after one not
  counted), without and with a `gongwen serve` running on the index (and with `--local` when
  the option exists).

    python -m benchmarks.lean          # everything: 21 minutes on the shared 2-core machine (load 14-20)
    python -m benchmarks.lean --limit 300 --questions 20 --seconds 2   # the slice the test runs
    python -m benchmarks.lean --only build,size --json figures.json
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import datasets, fts5_peer, lean_probes, lean_report, metrics  # noqa: E402
from benchmarks.serving import Server, load  # noqa: E402

ROWS = ("tokenize", "build", "size", "questions", "keywords", "load", "memory", "cli")
KEYWORD_QUERIES = 200
SEED = 14


def gongwen_cmd() -> list[str]:
    """This interpreter's `gongwen` script (what a user runs), else the module."""
    script = Path(sys.executable).with_name("gongwen")
    return [str(script)] if script.exists() else [sys.executable, "-m", "search_app.cli"]


def write_source(records: list[datasets.Record], path: Path) -> Path:
    """The articles as one JSON Lines file (id, title, text) that both builds read."""
    if not path.exists():
        with path.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps({"id": r.id, "title": r.title, "text": r.text},
                                   ensure_ascii=False) + "\n")
    return path


def build_both(source: Path, work: Path) -> dict:
    """Both builds as child processes, trees sampled; reused when --work already holds them."""
    index, db = work / "index", work / "peer.sqlite3"
    if index.is_dir() and db.is_file():
        return {"reused": True}
    shutil.rmtree(index, ignore_errors=True)
    figures = {}
    for name, command in (
            ("gongwen", [*gongwen_cmd(), "ingest", str(source), "--index", str(index), "-q"]),
            ("peer", [sys.executable, "-m", "benchmarks.fts5_peer", "build", str(source),
                      str(db)])):
        run = lean_probes.run_tree(command, REPO)
        if run.returncode != 0:
            raise SystemExit(f"{name} 建索引失败：{run.output.strip()[-500:]}")
        figures[name] = {"seconds": run.wall, "processes": run.processes,
                         "peak_rss": run.peak_rss}
    return figures


def keyword_pairs(records: list[datasets.Record], n: int) -> list[tuple[str, str]]:
    """N pairs of words from one article each (seeded), each word a single token for jieba's
    precise and search modes alike, so that both engines look for the same two words."""
    import jieba

    rng = random.Random(SEED)
    pairs: list[tuple[str, str]] = []
    seen = set()
    for _ in range(n * 50):
        if len(pairs) == n:
            break
        words = [w for w in dict.fromkeys(jieba.cut(rng.choice(records).text))
                 if len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w)
                 and list(jieba.cut_for_search(w)) == [w]]
        if len(words) >= 2:
            pair = tuple(rng.sample(words, 2))
            if pair not in seen:
                seen.add(pair)
                pairs.append(pair)
    return pairs


def in_process(index_path: Path, db: Path, qs: datasets.QuestionSet,
               records: list[datasets.Record], rows: set[str]) -> dict:
    """Questions and keyword queries in this process, gongwen and the peer interleaved."""
    from index import QueryError, SearchRequest, open_index

    peer = fts5_peer.Peer(db)
    out: dict = {}
    with open_index(index_path) as ix:
        def ours(req: SearchRequest) -> list[str]:
            try:
                return [h.doc_id for h in ix.search(req).hits]
            except QueryError:
                return []

        ours(SearchRequest(q="合同"))  # warm up both
        peer.question("合同")
        if "questions" in rows:
            times: dict[str, list[float]] = {"gongwen": [], "peer": []}
            runs: dict[str, dict[str, list[str]]] = {"gongwen": {}, "peer": {}}
            for qid, q in qs.queries.items():
                for name, ask in (("gongwen", lambda: ours(SearchRequest(q=q))),
                                  ("peer", lambda: [h.id for h in peer.question(q)])):
                    start = time.perf_counter()
                    runs[name][qid] = ask()
                    times[name].append(time.perf_counter() - start)
            out["questions"] = {name: {"p50": metrics.percentile(t, 50),
                                       "p95": metrics.percentile(t, 95),
                                       **metrics.evaluate(runs[name], qs.qrels)}
                                for name, t in times.items()}
        if "keywords" in rows:
            out["keywords"] = keywords(ours, peer, keyword_pairs(records, KEYWORD_QUERIES))
    peer.close()
    return out


def keywords(ours: Callable[..., list[str]], peer: fts5_peer.Peer,
             pairs: list[tuple[str, str]]) -> dict:
    """The AND queries, interleaved: latencies the first time each is asked and again (its
    words' postings then cached: ours decoded in its byte-bounded cache, the peer's pages in
    SQLite's), and how often the two agree."""
    from index import SearchRequest

    times: dict[str, list[float]] = {"gongwen": [], "peer": []}
    again: dict[str, list[float]] = {"gongwen": [], "peer": []}
    found = {"gongwen": 0, "peer": 0}
    overlap = 0.0
    for (a, b), first in [(pair, True) for pair in pairs] + [(pair, False) for pair in pairs]:
        got = {}
        for name, ask in (
                ("gongwen", lambda: ours(SearchRequest(q=f"{a} {b}", per_page=10,
                                                       passages_per_doc=0, expand=False,
                                                       facets=False))),
                ("peer", lambda: [h.id for h in peer.keywords((a, b))])):
            start = time.perf_counter()
            got[name] = ask()
            (times if first else again)[name].append(time.perf_counter() - start)
        if not first:
            continue
        found = {name: found[name] + bool(got[name]) for name in found}
        union = set(got["gongwen"]) | set(got["peer"])
        overlap += len(set(got["gongwen"]) & set(got["peer"])) / len(union) if union else 1.0
    return {"queries": len(pairs), "pairs": pairs[:5], "top10_jaccard": overlap / len(pairs),
            **{name: {"p50": metrics.percentile(t, 50), "p95": metrics.percentile(t, 95),
                      "again_p50": metrics.percentile(again[name], 50),
                      "again_p95": metrics.percentile(again[name], 95),
                      "answered": found[name]} for name, t in times.items()}}


def serve_configs() -> dict[str, list[str]]:
    """The server configurations `gongwen serve --help` offers: its defaults and, where
    `--workers` exists (pre-fork processes), one worker as the single-process baseline."""
    help_text = subprocess.run([*gongwen_cmd(), "serve", "--help"], capture_output=True,
                               text=True, cwd=REPO).stdout
    configs = {"gongwen serve (defaults)": []}
    if "--workers" in help_text:  # the pre-fork mode: also one process, as before it
        configs["gongwen serve --workers 1"] = ["--workers", "1"]
    return configs


def one_client(url: str, questions: list[str]) -> list[float]:
    """Seconds per question, one at a time, over HTTP (a 4xx answer still counts)."""
    import urllib.error
    import urllib.parse
    import urllib.request

    def get(q: str) -> None:
        try:
            with urllib.request.urlopen(f"{url}api/search?{urllib.parse.urlencode({'q': q})}",
                                        timeout=60) as resp:
                resp.read()
        except urllib.error.HTTPError as e:
            e.read()

    get("法律")  # warm-up: the first request's one-time costs are not a question's
    times = []
    for q in questions:
        start = time.perf_counter()
        get(q)
        times.append(time.perf_counter() - start)
    return times


def served(index_path: Path, questions: list[str], args: argparse.Namespace,
           work: Path) -> dict:
    """For each server configuration, a fresh server: memory, 1 client, 8 and 32 clients."""
    out = {}
    for name, extra in serve_configs().items():
        server = Server(index_path, extra, work / f"serve-{len(out)}.log")
        try:
            lean_probes.settle(server.proc.pid)
            fig: dict = {"memory": {"start": _mem(server)}}
            times = one_client(server.url, questions)
            fig["one_client"] = {"p50": metrics.percentile(times, 50),
                                 "p95": metrics.percentile(times, 95)}
            fig["memory"]["after questions"] = _mem(server)
            for clients in (8, 32):
                r = load(server.url, questions, clients, args.seconds)
                fig[f"{clients} clients"] = {"rate": r.rate, "p95": r.percentile(95),
                                             "failed": r.failed, "requests": r.requests}
                fig["memory"][f"after {clients} clients"] = _mem(server)
        finally:
            server.stop()
        out[name] = fig
    return out


def _mem(server: Server) -> dict:
    m = lean_probes.tree_memory(server.proc.pid)
    return {"processes": m.processes, "rss": m.rss, "pss": m.pss, "charged": m.charged}


def cli_times(index_path: Path, question: str, runs: int, work: Path) -> dict:
    """`gongwen search` from the shell, median wall, without and with a server running."""
    command = [*gongwen_cmd(), "search", question, "--index", str(index_path)]
    help_text = subprocess.run([*gongwen_cmd(), "search", "--help"], capture_output=True,
                               text=True, cwd=REPO).stdout
    local = "--local" in help_text  # forces the local path when a server is running
    # The project's bytecode as an installed package has it (pip compiles at install): one
    # run that may write it, where the shell sets PYTHONDONTWRITEBYTECODE (issue 14, cli)
    subprocess.run(command, cwd=REPO, capture_output=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    out: dict = {}
    median, walls, _ = lean_probes.median_wall(command, REPO, runs)
    out["no server"] = {"median": median, "walls": walls}
    server = Server(index_path, [], work / "serve-cli.log")
    try:
        median, walls, _ = lean_probes.median_wall(command, REPO, runs)
        out["server running"] = {"median": median, "walls": walls}
        if local:
            median, walls, _ = lean_probes.median_wall([*command, "--local"], REPO, runs)
            out["server running, --local"] = {"median": median, "walls": walls}
    finally:
        server.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--questions", type=int, help="only the first N questions kept")
    parser.add_argument("--only", default=",".join(ROWS),
                        help=f"comma-separated rows to run, of: {','.join(ROWS)}")
    parser.add_argument("--seconds", type=float, default=20.0, help="each concurrent load")
    parser.add_argument("--cli-runs", type=int, default=5)
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures here")
    parser.add_argument("--work", type=Path, metavar="DIR",
                        help="keep the index and the peer's database in DIR (reused)")
    args = parser.parse_args(argv)
    rows = set(args.only.split(","))
    if rows - set(ROWS):
        parser.error(f"--only：未知的行 {','.join(sorted(rows - set(ROWS)))}（可选：{','.join(ROWS)}）")
    try:
        qs = datasets.load("stard")
    except FileNotFoundError as e:
        raise SystemExit(f"错误：{e}") from e
    records = list(qs.records[:args.limit] if args.limit else qs.records)
    ids = {r.id for r in records}
    kept = [q for q in qs.queries if qs.qrels.get(q, set()) & ids][:args.questions]
    qs = datasets.QuestionSet("stard", tuple(records), {q: qs.queries[q] for q in kept},
                              {q: qs.qrels[q] for q in kept})
    work = args.work or Path(tempfile.mkdtemp(prefix="gongwen-lean-"))
    work.mkdir(parents=True, exist_ok=True)
    figures: dict = {"articles": len(records), "question_count": len(qs.queries),
                     "text_bytes": sum(len(r.text.encode("utf-8")) for r in records),
                     "cores": os.cpu_count(), "load_average": os.getloadavg()[0],
                     "seconds": args.seconds, "rows": sorted(rows)}
    try:
        source = write_source(records, work / "stard.jsonl")
        if "tokenize" in rows:
            done = subprocess.run([sys.executable, "-m", "benchmarks.lean_tokens", str(source)],
                                  cwd=REPO, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"分词计时失败：{done.stderr.strip().splitlines()[-1:]}")
            figures["tokenize"] = json.loads(done.stdout)
        figures["build"] = build_both(source, work)
        figures["size"] = {"gongwen": lean_probes.folder_bytes(work / "index"),
                           "peer": lean_probes.folder_bytes(work / "peer.sqlite3")}
        from search_app.store import prepare_analysis  # jieba as gongwen sets it up

        prepare_analysis()
        # the servers first: once this process has mapped the index's files, a server's PSS
        # would count only half of the pages it shares with us
        if rows & {"questions", "load", "memory"}:
            figures["served"] = served(work / "index", list(qs.queries.values()), args, work)
        figures.update(in_process(work / "index", work / "peer.sqlite3", qs, records, rows))
        if "cli" in rows:
            figures["cli"] = cli_times(work / "index", next(iter(qs.queries.values())),
                                       args.cli_runs, work)
        figures["load_average_end"] = os.getloadavg()[0]
    except (RuntimeError, OSError) as e:  # a server that did not start, a failed command
        raise SystemExit(f"错误：{e}") from e
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    lean_report.print_table(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
