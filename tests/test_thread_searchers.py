"""Issue 14, less CPU per question: a server thread's first search reuses what other threads'
searchers computed from the same segments (length norms, the citation prior, facet codes),
and a commit gets arrays of its own."""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from batch_support import ingest_in_process, write_jsonl
from index import SearchRequest, open_index
from index.search.scoring import Corpus, corpus_for

KEPT = ("\x00norm", "citations", "\x00codes")  # what every question asks a Corpus for


def _records(start: int, n: int) -> list[dict]:
    return [{"id": f"art-{i:03d}", "title": f"第{i}条 安全生产责任",
             "text": f"生产经营单位应当落实安全生产责任制度，依照《安全生产法》第{i}条执行。"}
            for i in range(start, start + n)]


@pytest.fixture()
def index_path(tmp_path: Path) -> Path:
    write_jsonl(tmp_path / "a" / "corpus.jsonl", _records(0, 40))
    code, counts, err, _ = ingest_in_process(tmp_path / "a", "--index", tmp_path / "index", "-q")
    assert code == 0 and counts["documents"] == 40, err
    return tmp_path / "index"


def _thread_corpus(ix: object, q: str) -> tuple[Corpus, int]:
    """The Corpus a fresh thread searches with, and its total for q."""
    got: list = []

    def run() -> None:
        total = ix.search(SearchRequest(q=q)).total
        got.append((corpus_for(ix._searcher()), total))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return got[0]


def _kept(corpus: Corpus) -> dict[tuple, object]:
    return {k: v for k, v in corpus._columns.items() if k[0] in KEPT}


def test_a_second_threads_searcher_reuses_the_first_ones_arrays(index_path: Path) -> None:
    ix = open_index(index_path)
    first, total = _thread_corpus(ix, "安全生产责任")
    second, again = _thread_corpus(ix, "安全生产责任")
    assert first is not second and first.searcher is not second.searcher
    assert total == again == 40
    kept = _kept(first)
    assert {k[0] for k in kept} == set(KEPT)
    for key, value in _kept(second).items():
        assert value is kept[key], key  # the same array, not a recomputed copy


def test_a_commit_gets_its_own_arrays(index_path: Path, tmp_path: Path) -> None:
    ix = open_index(index_path)
    before, total = _thread_corpus(ix, "安全生产责任")
    assert total == 40
    write_jsonl(tmp_path / "b" / "corpus.jsonl", _records(40, 5))
    code, counts, err, _ = ingest_in_process(tmp_path / "b", "--index", index_path, "-q")
    assert code == 0 and counts["documents"] == 5, err
    after, total = _thread_corpus(ix, "安全生产责任")
    assert total == 45  # the new articles are found, and scored with norms of the right size
    assert after.size > before.size
    for key, value in _kept(after).items():
        if isinstance(value, np.ndarray):
            assert len(value) == after.size, key
            assert value is not _kept(before).get(key), key
