"""Issue 14's benchmark (benchmarks/lean.py) on a slice of STARD: every row of the table is
printed with its floor, and the FTS5 peer answers the same questions as gongwen."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from render import DATA, REPO

needs_stard = pytest.mark.skipif(not (DATA / "stard_statutes" / "corpus.jsonl.gz").is_file(),
                                 reason="../shared/data/stard_statutes is not beside the repository")

MURDER = "中华人民共和国刑法||第二百三十二条"  # 故意杀人的，处死刑…: article 256 of the file


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict, Path]:
    work = tmp_path_factory.mktemp("lean")
    proc = subprocess.run([sys.executable, "-m", "benchmarks.lean", "--limit", "300",
                           "--questions", "12", "--seconds", "1.5", "--cli-runs", "1",
                           "--work", str(work), "--json", str(work / "figures.json")],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, json.loads((work / "figures.json").read_text(encoding="utf-8")), work


@needs_stard
def test_every_row_is_printed_with_its_floor(run: tuple[str, dict, Path]) -> None:
    out, figures, _ = run
    lines = out.splitlines()
    assert lines[0].startswith("## issue 14: gongwen vs SQLite FTS5 peer — STARD 300 articles")
    assert "12 questions" in lines[0]
    rows = {line.split()[0] for line in lines[2:]}
    assert rows == {"tokenize", "build", "size", "questions", "keywords", "load", "memory", "cli"}
    floors = {"wall": "≤ peer", "peak RSS, whole tree": "≤ 1000 MB", "on disk": "≤ 2× peer",
              "HTTP p50/p95": "p95 ≤ 20 ms", "AND pairs": "p95 ≤ peer",
              "8 clients": "≥ 250 req/s", "after questions": "≤ 600 MB",
              "after 8 clients": "≤ 600 MB", "no server": "≤ 0.5 s"}
    for measure, floor in floors.items():
        line = next(line for line in lines if measure in line)
        assert re.search(re.escape(floor) + r" +(met|NOT met)$", line), line
    # the figures behind the lines: measured, not blank
    assert figures["build"]["gongwen"]["peak_rss"] > 50e6
    assert figures["build"]["peer"]["processes"] == 1
    assert figures["size"]["gongwen"] > 0 and figures["size"]["peer"] > 0
    assert figures["tokenize"]["engines"]["jieba cut_for_search (the peer)"]["tokens"] > 10_000
    config = figures["served"]["gongwen serve (defaults)"]
    assert config["8 clients"]["failed"] == 0 and config["8 clients"]["requests"] > 0
    assert set(config["memory"]) == {"start", "after questions", "after 8 clients",
                                     "after 32 clients"}
    assert figures["keywords"]["queries"] == 200


@needs_stard
def test_the_peer_answers_what_gongwen_answers(run: tuple[str, dict, Path]) -> None:
    _, figures, work = run
    keywords = figures["keywords"]
    # every pair comes from one article, so both engines find at least that article
    assert keywords["gongwen"]["answered"] == keywords["peer"]["answered"] == 200
    questions = figures["questions"]
    assert questions["peer"]["Recall@10"] > 0.3 and questions["gongwen"]["Recall@10"] > 0.3

    from benchmarks import fts5_peer
    from index import SearchRequest, open_index

    fts5_peer.setup()
    peer = fts5_peer.Peer(work / "peer.sqlite3")
    try:
        assert MURDER in [h.id for h in peer.keywords(["故意", "杀人"])]
        hit = next(h for h in peer.question("故意杀人罪怎么判") if h.id == MURDER)
        assert "<mark>故意</mark><mark>杀人</mark>" in hit.snippet
        # unicode61 keeps a jieba word whole: the word is a term, a piece of it is not
        count = "SELECT count(*) FROM fts WHERE fts MATCH ?"
        assert peer.con.execute(count, ('"中华人民共和国"',)).fetchone()[0] > 0
        assert peer.con.execute(count, ('"人民共和"',)).fetchone()[0] == 0
    finally:
        peer.close()
    with open_index(work / "index") as ix:
        found = ix.search(SearchRequest(q="故意 杀人", passages_per_doc=0, expand=False))
        assert MURDER in [h.doc_id for h in found.hits]


def test_a_build_is_measured_over_its_whole_process_tree(tmp_path: Path) -> None:
    from benchmarks import lean_probes

    # the parent holds little; its child holds 300 MB: the peak is the tree's, not the parent's
    child = "import time; b = bytearray(300_000_000); time.sleep(1)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    run = lean_probes.run_tree([sys.executable, "-c", parent], tmp_path)
    assert run.returncode == 0 and run.processes == 2
    assert 300e6 < run.peak_rss < 400e6
    assert run.wall >= 1.0
