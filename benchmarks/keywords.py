"""Keyword and question latency, in process: gongwen against an SQLite FTS5 peer in the same run.

* 200 two-word keyword queries (``a b``: both words must match), chosen reproducibly (seeded)
  from pairs of words that occur together in one STARD article;
* the 737 STARD dev questions (``--questions``).

Every query is run by each system in turn (interleaved, so a busy machine slows all alike);
wall and CPU time (of the searching thread: it moves far less with the machine's load):

* gongwen (in a child process, timed there) as the CLI and the API search
  (``Index.search(SearchRequest(q))``: the first page of 10, three highlighted passages per
  hit), and lean (``passages_per_doc=0``: ranked top 10, titles marked, no passages);
* with ``--baseline REPO``: the same two forms from another checkout (its own ``.venv``), in a
  child process fed one query at a time; the top-10 ids of both are compared;
* FTS5 over jieba ``cut_for_search`` tokens joined by spaces (unicode61 splits on them),
  ``MATCH '"a" AND "b"'`` (a question: its tokens OR'ed), ``ORDER BY bm25 LIMIT 10``, without
  and with ``snippet()``.

    python benchmarks/keywords.py --work /tmp/kw                 # 200 keyword queries
    python benchmarks/keywords.py --work /tmp/kw --questions --baseline /work/old/main
    python benchmarks/keywords.py --work /tmp/kw --limit 40       # 40 queries, all articles
    python benchmarks/keywords.py --work /tmp/kw --docs 300 --limit 12   # what the tests run

The STARD index (and the FTS5 file) is built once into ``--work`` and reused (the folder
``stard-all/index`` is the one ``benchmarks/relevance.py --work`` builds too).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PAIRS = 200
SEED = 14
FTS_WEIGHTS = (2.0, 1.0)  # title, body: gongwen weighs the title double too
_WORD = re.compile(r"[\u3400-\u9fff]{2,}")
_TOKEN = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")
# Function words jieba keeps as words; a keyword search would not type them.
STOP = set("我们 他们 可以 应当 或者 以及 其他 有关 没有 不得 以上 以下 之一 并且 但是 "
           "如果 因为 所以 这些 那些 之间 进行 按照 依照 根据 由于 对于 关于".split())


# -- the queries ----------------------------------------------------------------------------

def keyword_pairs(records: list, n: int, seed: int = SEED) -> list[str]:
    """n distinct ``a b`` queries: two jieba words (2+ Han characters) of one random article."""
    import jieba

    rng = random.Random(seed)
    out: dict[str, None] = {}
    order = list(range(len(records)))
    rng.shuffle(order)
    for i in order:
        words = list(dict.fromkeys(w for w in jieba.lcut(records[i].text)
                                   if _WORD.fullmatch(w) and w not in STOP))
        if len(words) < 2:
            continue
        a, b = rng.sample(words, 2)
        out[f"{a} {b}"] = None
        if len(out) >= n:
            break
    return list(out)


# -- the FTS5 peer --------------------------------------------------------------------------

def fts_tokens(text: str) -> str:
    """jieba's cut_for_search tokens (words, and the shorter words inside long ones), spaced."""
    import jieba

    return " ".join(t for t in jieba.cut_for_search(text) if _TOKEN.fullmatch(t))


class Fts5:
    """The peer: one FTS5 table (title, body) in an SQLite file built once and reused."""

    def __init__(self, path: Path, records: list) -> None:
        fresh = not path.exists()
        if fresh:
            tmp = path.with_suffix(".tmp")
            tmp.unlink(missing_ok=True)
            db = sqlite3.connect(tmp)
            db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                       "tokenize='unicode61 remove_diacritics 0')")
            db.executemany("INSERT INTO docs VALUES (?, ?, ?)",
                           ((r.id, fts_tokens(r.title), fts_tokens(r.text)) for r in records))
            db.commit()
            db.close()
            tmp.rename(path)
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.rank = f"bm25(docs, 0.0, {FTS_WEIGHTS[0]}, {FTS_WEIGHTS[1]})"

    def match(self, q: str, question: bool) -> str:
        if not question:  # every word, each as one token (cut_for_search keeps the whole word)
            return " AND ".join(f'"{w}"' for w in q.split())
        toks = dict.fromkeys(fts_tokens(q).split())
        return " OR ".join(f'"{t}"' for t in toks) or '""'

    def search(self, q: str, question: bool, snippet: bool) -> list[str]:
        shown = "id, snippet(docs, 2, '<mark>', '</mark>', '…', 24)" if snippet else "id"
        rows = self.db.execute(f"SELECT {shown} FROM docs WHERE docs MATCH ? "
                               f"ORDER BY {self.rank} LIMIT 10", (self.match(q, question),))
        return [r[0] for r in rows]


# -- gongwen, here or in another checkout ---------------------------------------------------

def gongwen_search(index, q: str, lean: bool) -> list[str]:
    from index import QueryError, SearchRequest

    try:
        res = index.search(SearchRequest(q=q, passages_per_doc=0) if lean else SearchRequest(q=q))
    except QueryError:
        return []
    return [h.doc_id for h in res.hits]


def child(index_path: Path) -> None:
    """Serve timed searches on stdin/stdout: {"q", "lean"} → {"s", "cpu", "ids"} (JSON lines)."""
    from index import open_index
    from search_app.store import prepare_analysis

    prepare_analysis()
    with open_index(index_path) as index:
        print("ready", flush=True)
        for line in sys.stdin:
            ask = json.loads(line)
            wall, cpu, ids = timed(gongwen_search, index, ask["q"], ask["lean"])
            print(json.dumps({"s": wall, "cpu": cpu, "ids": ids}), flush=True)


class Engine:
    """A checkout's gongwen in a child process (that checkout's .venv, else this interpreter).

    Ours runs in a child too, so that both engines are scheduled alike on a busy machine.
    """

    def __init__(self, repo: Path, index_path: Path) -> None:
        python = repo / ".venv" / "bin" / "python"
        python = python if python.is_file() else Path(sys.executable)
        self.proc = subprocess.Popen(
            [str(python), str(Path(__file__).resolve()), "--child", str(repo),
             "--work", str(index_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8", cwd=repo)
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit(f"{repo}: gongwen did not start")

    def search(self, q: str, lean: bool) -> tuple[float, float, list[str]]:
        self.proc.stdin.write(json.dumps({"q": q, "lean": lean}, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        got = json.loads(self.proc.stdout.readline())
        return got["s"], got["cpu"], got["ids"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


# -- the run --------------------------------------------------------------------------------

def timed(fn, *args) -> tuple[float, float, list[str]]:
    """(wall seconds, CPU seconds of this thread, result): CPU time barely moves with load."""
    start, cpu = time.perf_counter(), time.thread_time()
    ids = fn(*args)
    return time.perf_counter() - start, time.thread_time() - cpu, ids


API, LEAN = "(API: 10 hits, passages)", "lean (no passages)"


def run_set(name: str, queries: list[str], question: bool, ours: Engine, fts: Fts5,
            base: Engine | None) -> None:
    """Each query by every system in turn: a warm-up pass, then the timed pass; print a table."""
    from benchmarks.metrics import percentile

    systems = {f"gongwen {API}": lambda q: ours.search(q, False),
               f"gongwen {LEAN}": lambda q: ours.search(q, True)}
    if base is not None:
        systems[f"baseline {API}"] = lambda q: base.search(q, False)
        systems[f"baseline {LEAN}"] = lambda q: base.search(q, True)
    systems["fts5 (bm25, top 10)"] = lambda q: timed(fts.search, q, question, False)
    systems["fts5 + snippet()"] = lambda q: timed(fts.search, q, question, True)
    wall: dict[str, list[float]] = {s: [] for s in systems}
    cpu: dict[str, list[float]] = {s: [] for s in systems}
    ids: dict[str, list[list[str]]] = {s: [] for s in systems}
    for timed_pass in (False, True):
        for q in queries:
            for s, fn in systems.items():
                seconds, cpu_seconds, got = fn(q)
                if timed_pass:
                    wall[s].append(seconds)
                    cpu[s].append(cpu_seconds)
                    ids[s].append(got)

    def ms(values: list[float], p: float) -> float:
        return percentile(values, p) * 1000

    fts = "fts5 (bm25, top 10)"
    print(f"\n## {name}: {len(queries)} queries, in process, warm (second pass), "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'system':<36}{'p50 ms':>8}{'p95 ms':>8}{'CPU p50':>8}{'CPU p95':>8}"
          f"{'p95/fts5':>9}{'CPU p95/fts5':>13}{'no hit':>7}")
    for s in systems:
        print(f"{s:<36}{ms(wall[s], 50):>8.2f}{ms(wall[s], 95):>8.2f}{ms(cpu[s], 50):>8.2f}"
              f"{ms(cpu[s], 95):>8.2f}{ms(wall[s], 95) / ms(wall[fts], 95):>9.2f}"
              f"{ms(cpu[s], 95) / ms(cpu[fts], 95):>13.2f}{sum(not g for g in ids[s]):>7}")
    if base is not None:
        for form in (API, LEAN):
            a, b = f"gongwen {form}", f"baseline {form}"
            same = sum(x == y for x, y in zip(ids[a], ids[b]))
            print(f"gongwen vs baseline {form}: p50 {ms(wall[a], 50) / ms(wall[b], 50):.2f}x, "
                  f"p95 {ms(wall[a], 95) / ms(wall[b], 95):.2f}x, CPU p50 "
                  f"{ms(cpu[a], 50) / ms(cpu[b], 50):.2f}x, CPU p95 "
                  f"{ms(cpu[a], 95) / ms(cpu[b], 95):.2f}x; "
                  f"same top-10 list for {same}/{len(queries)} queries")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True,
                        help="folder for the STARD index and the FTS5 file (reused)")
    parser.add_argument("--limit", type=int, help="only N keyword queries (and N questions)")
    parser.add_argument("--docs", type=int, help="only N articles (a slice, for tests)")
    parser.add_argument("--questions", action="store_true", help="also the 737 dev questions")
    parser.add_argument("--baseline", type=Path, metavar="REPO",
                        help="also time this checkout's gongwen (REPO/.venv/bin/python)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.child or REPO))
    if args.child is not None:
        child(args.work)
        return 0
    from benchmarks import datasets, relevance
    from search_app.store import prepare_analysis

    prepare_analysis()
    # A slice keeps the documents judged for its questions (datasets.load).
    qs = datasets.load("stard", args.limit if args.docs else None, args.docs)
    records = list(qs.records)
    tag = f"{args.docs}-q{args.limit}" if args.docs else "all"  # relevance.py's name for all
    folder = args.work / f"stard-{tag}"
    index_path = folder / "index"
    if not index_path.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        relevance.build_index(qs, folder)
    fts_path = args.work / f"stard-{tag}-fts5.sqlite"
    fts = Fts5(fts_path, records)
    pairs = keyword_pairs(records, args.limit or PAIRS)
    questions = list(qs.queries.values())[:args.limit]
    print(f"stard_statutes: {len(records):,} articles; FTS5 file "
          f"{fts_path.stat().st_size / 1e6:.1f} MB; {os.cpu_count()} cores")
    ours = Engine(REPO, index_path)
    base = Engine(args.baseline.resolve(), index_path) if args.baseline else None
    if base is not None:
        print(f"baseline: {args.baseline.resolve()} (its own interpreter, one query at a time)")
    try:
        run_set("two-word keyword queries (AND)", pairs, False, ours, fts, base)
        if args.questions:
            run_set("STARD dev questions", questions, True, ours, fts, base)
    finally:
        for engine in (ours, base):
            if engine is not None:
                engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
