"""A live `gongwen serve` against a fresh process, after each of many mixed commits.

Builds an index of --docs plain-text documents (paragraphs of ../shared/data/ncp_policies when
present, else of the bundled corpus), starts a real `gongwen serve`, then runs --commits
commits through the real CLI: adds, replacements, prunes, single adds that make the tiered
policy merge, a `gongwen optimize` and one `--rebuild`. After each, --queries queries (one or
two words drawn, with a fixed seed, from the words of every text ever written, so deleted and
replaced versions are asked for too) go to the server from 4 threads and to a freshly opened
index; every difference in the answer (total, facets, hits, scores, passages) is printed.

    python -m benchmarks.live_consistency [--commits 30] [--queries 1000] [--docs 120]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NCP = REPO.parent / "shared" / "data" / "ncp_policies" / "corpus.jsonl"


def texts() -> list[str]:
    if NCP.is_file():
        return [json.loads(line)["text"] for line in NCP.open(encoding="utf-8") if line.strip()]
    return [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").rglob("*.txt"))]


def write(inbox: Path, name: str, text: str) -> None:
    title = re.sub(r"\s+", "", text)[:24] or name
    (inbox / name).write_text(f"---\ntitle: {title}\ndoc_type: policy\n---\n{text}\n",
                              encoding="utf-8")


def cli(*args: object) -> None:
    done = subprocess.run([sys.executable, "-m", "search_app.cli", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"gongwen {args[0]} failed: {done.stderr}")


def serve(index: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "search_app.cli", "serve", "--index",
                             str(index), "--port", "0"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:  # type: ignore[union-attr]
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if m:
            return proc, m.group(0)
    raise SystemExit("gongwen serve did not start")


def served(url: str, q: str) -> dict:
    with urllib.request.urlopen(url + "api/search?per_page=20&q=" + urllib.parse.quote(q),
                                timeout=60) as r:
        return json.loads(r.read().decode("utf-8"))


def compare(url: str, index: Path, queries: list[str]) -> list[str]:
    """One line per query whose answer differs between the server and a fresh index."""
    from index import open_index
    from search_app.config import default_config
    from search_app.params import parse_search_args

    with ThreadPoolExecutor(4) as pool:
        live = list(pool.map(lambda q: served(url, q), queries))
    out = []
    with open_index(index) as ix:
        for q, body in zip(queries, live):
            req = parse_search_args({"q": q, "per_page": "20"}, default_config())
            want = json.loads(json.dumps(ix.search(req).to_dict(), ensure_ascii=False))
            if body != want:
                out.append(f"  {q}: server {body['total']} {[h['doc_id'] for h in body['results']][:5]}"
                           f" fresh {want['total']} {[h['doc_id'] for h in want['results']][:5]}"
                           f"; first difference at {first_difference(body, want)}")
    return out


def first_difference(a: object, b: object, path: str = "") -> str:
    """Where two JSON answers first part: a key path and both values, cut short."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return first_difference(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path or '.'}: server {str(a)[:160]!r} fresh {str(b)[:160]!r}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commits", type=int, default=30)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--docs", type=int, default=120)
    ap.add_argument("--seed", type=int, default=9)
    args = ap.parse_args()
    import jieba

    from index import segment_sizes
    from search_app.store import prepare_analysis

    prepare_analysis()
    rng = random.Random(args.seed)
    pool = texts()
    rng.shuffle(pool)
    work = Path(tempfile.mkdtemp(prefix="live-consistency-"))
    inbox, index = work / "inbox", work / "idx"
    inbox.mkdir()
    words: set[str] = set()
    names: list[str] = []
    serial = 0

    def add(n: int) -> None:
        nonlocal serial
        for _ in range(n):
            text = pool[serial % len(pool)]
            names.append(f"d{serial:05d}.txt")
            write(inbox, names[-1], text)
            words.update(w for w in jieba.cut(text) if len(w) >= 2 and re.match(r"[\u4e00-\u9fff]+$", w))
            serial += 1

    add(args.docs)
    cli("ingest", inbox, "--index", index, "-q")
    proc, url = serve(index)
    total = 0
    try:
        vocab = sorted(words)
        compare(url, index, vocab)  # warms every document's terms in the server
        plan = ["add", "replace", "prune", "add1", "add1", "add1", "add1", "add1", "add1",
                "add1", "add1", "replace", "prune", "optimize"]
        for c in range(1, args.commits + 1):
            kind = "rebuild" if c == (2 * args.commits) // 3 else plan[(c - 1) % len(plan)]
            flags: list[str] = []
            if kind == "add":
                add(rng.randint(2, 6))
            elif kind == "add1":
                add(1)
            elif kind == "replace":
                for name in rng.sample(names, min(3, len(names))):
                    text = pool[rng.randrange(len(pool))]
                    words.update(w for w in jieba.cut(text) if len(w) >= 2)
                    write(inbox, name, text)
            elif kind == "prune":
                for name in rng.sample(names, min(3, len(names))):
                    (inbox / name).unlink()
                    names.remove(name)
                flags = ["--prune"]
            elif kind == "rebuild":
                flags = ["--rebuild"]
            before = len(segment_sizes(index))
            t = time.monotonic()
            if kind == "optimize":
                cli("optimize", "--index", index)
            else:
                cli("ingest", inbox, "--index", index, "-q", *flags)
            took = time.monotonic() - t
            vocab = sorted(w for w in words if re.match(r"[\u4e00-\u9fff]+$", w))
            queries = [" ".join(rng.sample(vocab, rng.choice((1, 1, 2))))
                       for _ in range(args.queries)]
            diffs = compare(url, index, queries)
            total += len(diffs)
            print(f"commit {c:>2} {kind:<8} {took:5.1f} s  segments {before:>2} -> "
                  f"{len(segment_sizes(index)):>2}  differences {len(diffs)}", flush=True)
            for line in diffs[:5]:
                print(line)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"differences in total: {total} ({args.commits} commits x {args.queries} queries)")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
