"""The index on disk: create/open, replace and delete by doc_id, failed batches, versions."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from docs import ExplodingDocument, make_doc, small_corpus
from index import (Index, IndexError_, IndexVersionError, SearchRequest, create_index, open_index,
                   setup_analysis)
from ingest.model import Source

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def ix(tmp_path: Path) -> Index:
    setup_analysis()
    index = create_index(tmp_path / "ix")
    index.add_documents(small_corpus())
    yield index
    index.close()


def found(index: Index, q: str, **kw: object) -> set[str]:
    return {h.doc_id for h in index.search(SearchRequest(q=q, per_page=100, **kw)).hits}


def test_counts_and_ids(ix: Index) -> None:
    assert ix.doc_count() == 6
    assert ix.all_doc_ids() == ["bul-a", "bul-b", "oth-x", "pol-a", "pol-b", "pol-c"]


def test_get_document_round_trips_the_whole_document(ix: Index) -> None:
    for doc in small_corpus():
        assert ix.get_document(doc.doc_id) == doc
    assert ix.get_document("nope") is None


def test_persists_across_close_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    with create_index(path) as index:
        index.add_documents(small_corpus())
    with open_index(path) as index:
        assert index.doc_count() == 6
        assert found(index, "集体协商") == {"pol-b"}
        assert index.get_document("bul-a") == small_corpus()[2]


def test_create_refuses_an_existing_index(ix: Index) -> None:
    with pytest.raises(IndexError_) as caught:
        create_index(ix.path)
    assert str(caught.value) == f"{ix.path} 已有索引；请打开它，或先删除"


def test_open_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(IndexError_) as caught:
        open_index(tmp_path / "missing")
    assert str(caught.value) == f"{tmp_path / 'missing'} 没有索引；请先运行 gongwen ingest PATH 建立索引"


def test_replace_by_doc_id(ix: Index) -> None:
    new = make_doc("pol-b", "关于推进职工书屋建设的意见", ["推动建设职工书屋。"], kind="意见")
    assert ix.add_documents([new]) == 1
    assert ix.doc_count() == 6
    assert found(ix, "集体协商") == set()  # neither the old doc record nor old passages remain
    assert found(ix, "职工书屋") == {"pol-b", "bul-b"}
    assert ix.get_document("pol-b") == new


def test_replace_single_passage_document_by_multi_passage_one(ix: Index) -> None:
    new = make_doc("bul-a", "白州工匠评选结果", ["评选出十名白州工匠。", "表彰大会将于五月举行。"],
                   doc_type="bulletin")
    ix.add_documents([new])
    assert found(ix, "两微一端") == {"pol-c"}
    assert found(ix, "表彰大会") == {"bul-a"}
    assert ix.doc_count() == 6


def test_last_copy_wins_within_one_batch(ix: Index) -> None:
    first = make_doc("dup", "第一稿", ["农业庄园第一稿。"])
    second = make_doc("dup", "第二稿", ["农业庄园第二稿。"])
    assert ix.add_documents([first, second]) == 1
    assert ix.get_document("dup") == second
    assert len(ix.search(SearchRequest(q="农业庄园")).hits) == 1


def test_delete_documents(ix: Index) -> None:
    assert ix.delete_documents(["pol-b", "nope"]) == 1
    assert ix.doc_count() == 5
    assert found(ix, "集体协商") == set()
    assert ix.get_document("pol-b") is None
    assert "pol-b" not in ix.all_doc_ids()


def test_a_failed_batch_leaves_the_index_as_it_was(ix: Index) -> None:
    good = make_doc("new-1", "农业庄园通知", ["建设农业庄园。"])
    broken = ExplodingDocument(doc_id="broken", title="坏文件", doc_type="other")
    changed = make_doc("pol-a", "改过的标题", ["完全不同的正文。"])
    with pytest.raises(IndexError_, match="broken") as caught:
        ix.add_documents([good, changed, broken])
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert ix.doc_count() == 6
    assert found(ix, "农业庄园") == set()
    assert found(ix, "厂务公开") == {"pol-a"}
    assert ix.get_document("pol-a") == small_corpus()[0]
    # … and the index still takes the next batch.
    assert ix.add_documents([good]) == 1
    assert found(ix, "农业庄园") == {"new-1"}


def test_search_sees_commits_made_through_another_handle(ix: Index) -> None:
    assert found(ix, "农业庄园") == set()
    with open_index(ix.path) as other:  # another writer, as a CLI process would be
        other.add_documents([make_doc("new-2", "农业庄园", ["发展农业庄园。"])])
    assert found(ix, "农业庄园") == {"new-2"}
    assert ix.doc_count() == 7


def test_several_commits_make_one_result_list(tmp_path: Path) -> None:
    corpus = small_corpus()
    with create_index(tmp_path / "ix") as index:
        for batch in (corpus[:2], corpus[2:4], corpus[4:]):  # one segment per commit
            index.add_documents(batch)
        res = index.search(SearchRequest(q="总工会", per_page=2, page=2))
        assert res.total == 4 and len(res.hits) == 2
        assert res.facets == {"doc_type": {"bulletin": 2, "policy": 2},
                              "year": {"2021": 2, "2020": 1, "2022": 1},
                              "kind": {"简报": 2, "意见": 1, "通知": 1},
                              "issuer": {"云南省总工会": 2, "大理州总工会": 2},
                              "journal": {"工作简报": 1, "改革快报": 1}, "topic": {}}
        assert index.all_doc_ids() == sorted(d.doc_id for d in corpus)
        assert [index.get_document(d.doc_id) for d in corpus] == corpus


def test_threads_share_one_index(ix: Index) -> None:
    queries = ["集体协商", "两微一端", "劳动竞赛", "产业工人", "\"产业工人队伍建设\""]
    expected = {q: found(ix, q) for q in queries}
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                for q in queries:
                    assert found(ix, q) == expected[q]
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_closed_index_refuses_work(tmp_path: Path) -> None:
    index = create_index(tmp_path / "ix")
    index.close()
    with pytest.raises(IndexError_, match="closed"):
        index.search(SearchRequest(q="改革"))


def test_sources_for_sync(tmp_path: Path) -> None:
    doc = replace(make_doc("src-1", "有来源", ["正文。"]),
                  source=Source(path="/data/a.pdf", format="pdf", sha256="abc123"))
    with create_index(tmp_path / "ix") as index:
        index.add_documents([doc, make_doc("src-2", "无来源", ["正文。"])])
        assert index.sources() == {"src-1": ("/data/a.pdf", "abc123")}


def test_schema_version_mismatch_asks_for_a_rebuild(ix: Index) -> None:
    meta = ix.path / "gongwen-index.json"
    data = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**data, "schema_version": 0}), encoding="utf-8")
    with pytest.raises(IndexVersionError, match=r"索引结构 0.*请重建：gongwen ingest --rebuild"):
        open_index(ix.path)


def test_dictionary_mismatch_asks_for_a_rebuild(ix: Index, tmp_path: Path) -> None:
    # Another process whose jieba dictionary differs must refuse this index.
    other = tmp_path / "other.txt"
    other.write_text("白州工匠 1000 n\n", encoding="utf-8")
    script = ("import sys; from pathlib import Path; from index import *\n"
              "setup_analysis(Path(sys.argv[2]))\n"
              "try:\n    open_index(Path(sys.argv[1]))\n"
              "except IndexVersionError as e:\n    print(e); sys.exit(3)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", script, str(ix.path), str(other)],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert f"索引 {ix.path} 建立时用的是索引结构" in proc.stdout
    assert "请重建：gongwen ingest --rebuild" in proc.stdout


def test_an_index_without_documents_answers_no_hits(tmp_path: Path) -> None:
    # A first batch in which every file failed leaves an index with no segment at all.
    setup_analysis()
    index = create_index(tmp_path / "ix")
    try:
        results = index.search(SearchRequest(q="改革"))
        assert (results.total, results.hits) == (0, ())
        assert results.facets == {"doc_type": {}, "year": {}, "kind": {}, "issuer": {},
                                  "journal": {}, "topic": {}}
        assert index.search(SearchRequest(q="", doc_type="bulletin")).total == 0
    finally:
        index.close()
