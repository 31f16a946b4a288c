"""Indexing benchmark: a full build of the STARD statutes through `gongwen ingest`'s own path,
against the naive baseline in the same run, and the time to add one bulletin to the result.

* ours: ``search_app.indexing.ingest_into_index`` on ``corpus.jsonl.gz`` (64,430 articles,
  26 MB of text): hashing, parsing in worker processes, title and body as jieba words and as
  character bigrams, stored Documents, columns, staged segments, commits;
* naive: whoosh with ``jieba.analyse.ChineseAnalyzer`` on one field, one process, one writer,
  the same documents (id, and law + article title + text);
* add one bulletin: a new bulletin file ingested into the built index, timed until a search
  through an Index opened beforehand (as a running server holds one) finds it; also the same
  as a separate `gongwen ingest` process, interpreter start and jieba loading included.

    python benchmarks/indexing.py                 # the full corpus (several minutes)
    python benchmarks/indexing.py --limit 2000    # a slice (what the test suite runs)
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DATA = REPO.parent / "shared" / "data" / "stard_statutes" / "corpus.jsonl.gz"
SEED = REPO / "corpus" / "gaigekuaibao-2021-12.txt"
MARKER = "基准测试新增简报"


def load(limit: int | None) -> list[dict]:
    """The corpus records (the first `limit` of them)."""
    rows = []
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(rows) >= limit:
                break
            rows.append(json.loads(line))
    return rows


def naive(rows: list[dict], folder: Path) -> float:
    """Seconds for whoosh + jieba's ChineseAnalyzer, one process, one commit."""
    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    start = time.perf_counter()
    ix = index.create_in(str(folder), Schema(id=ID(stored=True),
                                             content=TEXT(analyzer=ChineseAnalyzer())))
    writer = ix.writer()
    for r in rows:
        writer.add_document(id=r["id"], content=f"{r['law']} {r['article']}\n{r['text']}")
    writer.commit()
    seconds = time.perf_counter() - start
    assert ix.doc_count() == len(rows)
    return seconds


def ours(source: Path, folder: Path, jobs: int | None) -> float:
    """Seconds for `gongwen ingest SOURCE` through the library."""
    from search_app.indexing import ingest_into_index

    start = time.perf_counter()
    summary = ingest_into_index([source], folder, jobs=jobs)
    seconds = time.perf_counter() - start
    if summary.failures:
        raise SystemExit("; ".join(summary.failure_lines()))
    return seconds


def bulletin(folder: Path, number: int) -> Path:
    """A new bulletin issue: the reference bulletin's text under a new issue number."""
    text = SEED.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"gaigekuaibao-2021-{number}.txt"
    path.write_text(text.replace("第12期", f"第{number}期").replace("总第38期", f"总第{number + 26}期")
                    + f"\n\n{MARKER}。\n", encoding="utf-8")
    return path


def add_one(index_path: Path, folder: Path) -> tuple[float, float, float]:
    """Seconds to add one bulletin: (committed, found by search, as a `gongwen ingest` process)."""
    from index import SearchRequest, open_index
    from search_app.indexing import ingest_into_index

    with open_index(index_path) as index:  # like a running server
        index.search(SearchRequest(q="合同"))
        path = bulletin(folder / "new", 13)
        start = time.perf_counter()
        ingest_into_index([path], index_path)
        committed = time.perf_counter() - start
        hits = index.search(SearchRequest(q=MARKER)).hits
        found = time.perf_counter() - start
        assert [h.title for h in hits][:1], "the new bulletin was not found"
        second = bulletin(folder / "new", 14)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "search_app.cli", "ingest", str(second),
                               "--index", str(index_path), "--quiet"], cwd=REPO,
                              capture_output=True, text=True)
        process = time.perf_counter() - start
        assert proc.returncode == 0 and index.search(SearchRequest(q=MARKER)).total == 2, \
            proc.stderr
    return committed, found, process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="index only the first N articles")
    parser.add_argument("--jobs", type=int, help="worker processes for ours (default: cores)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    if not DATA.is_file():
        raise SystemExit(f"{DATA} is missing (../shared/data must sit beside the repository)")
    from search_app.store import prepare_analysis

    prepare_analysis()
    load_at_start = os.getloadavg()[0]  # figures are only comparable on a quiet machine
    rows = load(args.limit)
    mb = sum(len(r["text"].encode("utf-8")) for r in rows) / 1e6
    work = args.keep or Path(tempfile.mkdtemp(prefix="gongwen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        source = DATA
        if args.limit is not None:
            source = work / "corpus.jsonl"
            source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                              encoding="utf-8")
        (work / "naive").mkdir()
        t_naive = naive(rows, work / "naive")
        t_ours = ours(source, work / "index", args.jobs)
        from index import open_index

        with open_index(work / "index") as index:
            assert index.doc_count() == len(rows)
        committed, found, process = add_one(work / "index", work)
        n = len(rows)
        print(f"stard_statutes: {n:,} articles, {mb:.1f} MB of text, {os.cpu_count()} cores, "
              f"load average {load_at_start:.2f} at start")
        print(f"naive  whoosh + jieba ChineseAnalyzer, 1 process: {t_naive:7.1f} s  "
              f"{n / t_naive:6.0f} docs/s  {mb / t_naive:5.2f} MB/s")
        print(f"ours   gongwen ingest ({args.jobs or os.cpu_count()} processes):       "
              f"{t_ours:7.1f} s  {n / t_ours:6.0f} docs/s  {mb / t_ours:5.2f} MB/s  "
              f"({t_naive / t_ours:.2f}x naive)")
        print(f"add one bulletin to the {n:,}-article index and find it: {found:.2f} s "
              f"(committed after {committed:.2f} s, then the first search on the new commit; "
              f"library, index open); {process:.2f} s to commit as a `gongwen ingest` process")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
