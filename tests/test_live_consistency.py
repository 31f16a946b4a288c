"""A running `gongwen serve` answers exactly like a fresh process after every kind of commit:
replacements, prunes and commits that merge segments (issue 9, finding 2)."""
from __future__ import annotations

import json
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from batch_support import Server, cli, get_json, write_doc

QUERIES = ["值班制度", "防汛", "安全生产", "职工技能培训", "旧版条款", "新版条款", "第3号", "第12号"]


def fresh(index: Path, q: str) -> dict:
    """The answer of a freshly opened index, as the API would serialize it."""
    from index import open_index
    from search_app.config import default_config
    from search_app.params import parse_search_args

    with open_index(index) as ix:
        req = parse_search_args({"q": q, "per_page": "50"}, default_config())
        return json.loads(json.dumps(ix.search(req).to_dict(), ensure_ascii=False))


def served(server: Server, q: str) -> dict:
    status, body = get_json(server.url + "api/search?per_page=50&q=" + urllib.parse.quote(q))
    assert status == 200, body
    return body


def differences(server: Server, index: Path, queries: list[str] = QUERIES) -> list[str]:
    """Queries whose answer differs between the server (from 4 threads at once) and fresh."""
    with ThreadPoolExecutor(4) as pool:  # several server threads, each with its own searcher
        live = list(pool.map(lambda q: served(server, q), queries * 4))
    out = []
    for i, body in enumerate(live):
        q = queries[i % len(queries)]
        want = fresh(index, q)
        if body != want:
            out.append(f"{q}: server {body['total']} {[h['doc_id'] for h in body['results']]} "
                       f"fresh {want['total']} {[h['doc_id'] for h in want['results']]}")
    return out


def ingest(inbox: Path, index: Path, *flags: str) -> None:
    done = cli("ingest", inbox, "--index", index, "--quiet", *flags)
    assert done.returncode == 0, done.stderr


def test_server_matches_a_fresh_process_after_replace_prune_and_merge(tmp_path):
    inbox, index = tmp_path / "inbox", tmp_path / "idx"
    for i in range(12):
        write_doc(inbox, f"doc-{i:03d}.txt", f"关于安全生产工作的第{i}号通知",
                  "各单位要做好值班制度落实。", f"旧版条款第{i}条：加强职工技能培训。")
    ingest(inbox, index)
    with Server(index) as server:
        assert differences(server, index) == []  # warms every searcher and cache
        # A replaced document is found in its new version only, once.
        write_doc(inbox, "doc-003.txt", "关于防汛工作的第3号通知", "新版条款：防汛值班制度。")
        ingest(inbox, index)
        assert served(server, "旧版条款")["total"] == 11
        assert [h["doc_id"] for h in served(server, "新版条款")["results"]] == ["doc-003"]
        assert differences(server, index) == []
        # A pruned document is gone.
        (inbox / "doc-005.txt").unlink()
        ingest(inbox, index, "--prune")
        assert served(server, "旧版条款")["total"] == 10
        assert differences(server, index) == []
        # One file per commit until the tier of small segments merges, then optimize.
        for i in range(12, 22):
            write_doc(inbox, f"doc-{i:03d}.txt", f"关于安全生产工作的第{i}号通知",
                      "各单位要做好值班制度落实。", f"旧版条款第{i}条。")
            ingest(inbox, index)
            assert differences(server, index) == [], f"after adding doc-{i:03d}"
        assert served(server, "旧版条款")["total"] == 20
        done = cli("optimize", "--index", index)
        assert done.returncode == 0, done.stderr
        assert "段 → 1 段" in done.stdout
        assert differences(server, index) == []
        assert served(server, "旧版条款")["total"] == 20


def test_a_term_whose_records_in_a_segment_are_all_pruned_weighs_the_same_live_and_fresh(tmp_path):
    """A term's weight counts its records, deleted ones too (as Lucene's docFreq does) until a
    merge drops them. whoosh's reader skips deleted records at the head of a posting list, so
    where all of a segment's records of a term were pruned, a fresh process read none and a
    warm server kept its cached count: the same hit with another passage score."""
    inbox, index = tmp_path / "inbox", tmp_path / "idx"
    for i in range(12):  # 2 of 12 pruned: below the share of deletions that rewrites a segment
        extra = "本次抽查螺栓扭矩合格。" if i < 2 else "本次抽查焊缝质量合格。"
        write_doc(inbox, f"doc-{i:03d}.txt", f"关于钢结构检查的第{i}号通知", extra)
    ingest(inbox, index)
    write_doc(inbox, "doc-100.txt", "关于复查的通知", "复查螺栓扭矩，全部合格。")
    ingest(inbox, index)  # a second segment also holds the term
    queries = ["螺栓扭矩", "扭矩合格", "焊缝质量"]
    with Server(index) as server:
        assert differences(server, index, queries) == []  # warms the server's postings
        for i in range(2):
            (inbox / f"doc-{i:03d}.txt").unlink()
        ingest(inbox, index, "--prune")
        body = served(server, "螺栓扭矩")
        assert [h["doc_id"] for h in body["results"]] == ["doc-100"]
        assert differences(server, index, queries) == []


def test_the_live_consistency_benchmark_runs_and_finds_no_difference():
    import subprocess
    import sys

    from batch_support import REPO

    done = subprocess.run([sys.executable, "-m", "benchmarks.live_consistency", "--commits", "3",
                           "--queries", "20", "--docs", "10"], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "differences in total: 0 (3 commits x 20 queries)" in done.stdout
    assert done.stdout.count("differences 0") == 3


def test_a_searcher_a_commit_left_behind_is_freed(tmp_path):
    """After a commit the thread's next search opens a new searcher; the old one, with its
    copies of the segment files, must go (a cache that held every searcher kept ~70 MB per
    commit alive in a server: benchmarks/searcher_memory.py)."""
    import gc
    import weakref

    from docs import build_index, make_doc, small_corpus
    from index import SearchRequest

    ix = build_index(tmp_path / "ix", small_corpus())
    try:
        assert ix.search(SearchRequest(q="职工")).total > 0
        old = weakref.ref(ix._searcher())
        ix.add_documents([make_doc("added", "关于职工培训的通知", ["组织职工参加技能培训。"])])
        assert ix.search(SearchRequest(q="职工培训")).hits[0].doc_id == "added"
        gc.collect()
        assert old() is None
    finally:
        ix.close()
