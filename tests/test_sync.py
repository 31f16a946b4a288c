"""Incremental sync: unchanged files skipped, changed ones replaced, new ones added, gone ones
kept or pruned, files named alike kept apart, --rebuild switching generations, one writer."""
from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from batch_support import all_ids, found, summary_counts, write_doc, write_jsonl
from batch_support import ingest_in_process as ingest
from index.layout import WriteLock, read_pointer
from search_app.cli import cli


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    write_doc(folder, "jieyue.txt", "关于厉行节约的通知", "各单位要厉行节约，反对浪费。")
    write_doc(folder, "anquan.txt", "关于安全生产的通知", "各单位开展安全生产大检查。")
    write_doc(folder / "2021", "peixun.txt", "关于职工培训的意见", "加强职工技能培训。")
    return folder


def test_first_run_adds_every_file_and_a_second_run_changes_nothing(inbox, tmp_path):
    index = tmp_path / "idx"
    code, counts, _, report = ingest(inbox, "--index", index)
    assert code == 0
    assert counts == {"added": 3, "updated": 0, "unchanged": 0, "removed": 0, "failed": 0,
                      "documents": 3}
    assert sorted(report["added"]) == sorted(str(p.resolve()) for p in inbox.rglob("*.txt"))
    assert all_ids(index) == ["anquan", "jieyue", "peixun"]
    toc = sorted(p.name for p in index.glob("g*/_MAIN_*.toc"))

    code, counts, _, report = ingest(inbox, "--index", index)
    assert code == 0
    assert counts == {"added": 0, "updated": 0, "unchanged": 3, "removed": 0, "failed": 0,
                      "documents": 0}
    assert report["unchanged"] == 3 and report["added"] == [] and report["updated"] == []
    assert sorted(p.name for p in index.glob("g*/_MAIN_*.toc")) == toc, "nothing was committed"


def test_a_copy_with_a_new_modification_time_is_unchanged(inbox, tmp_path):
    index = tmp_path / "idx"
    ingest(inbox, "--index", index)
    path = inbox / "jieyue.txt"
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)  # a fresh copy: same bytes, new inode and times
    os.utime(path, (time.time() + 3600, time.time() + 3600))
    _, counts, _, _ = ingest(inbox, "--index", index)
    assert counts["unchanged"] == 3 and counts["updated"] == 0


def test_a_changed_file_replaces_its_old_passages(inbox, tmp_path):
    index = tmp_path / "idx"
    ingest(inbox, "--index", index)
    assert found(index, "反对浪费") == ["jieyue"]
    write_doc(inbox, "jieyue.txt", "关于厉行节约的补充通知", "公务接待一律从简。")
    code, counts, _, report = ingest(inbox, "--index", index)
    assert code == 0
    assert counts == {"added": 0, "updated": 1, "unchanged": 2, "removed": 0, "failed": 0,
                      "documents": 1}
    assert report["updated"] == [str((inbox / "jieyue.txt").resolve())]
    assert report["documents"] == {"added": 1, "removed": 1}
    assert found(index, "反对浪费") == []  # the old passage is gone
    assert found(index, "公务接待") == ["jieyue"]
    assert all_ids(index) == ["anquan", "jieyue", "peixun"]


def test_a_new_file_is_added_beside_the_others(inbox, tmp_path):
    index = tmp_path / "idx"
    ingest(inbox, "--index", index)
    write_doc(inbox, "fangxun.txt", "关于做好防汛工作的通知", "汛期值班要到岗到位。")
    _, counts, _, report = ingest(inbox, "--index", index)
    assert counts == {"added": 1, "updated": 0, "unchanged": 3, "removed": 0, "failed": 0,
                      "documents": 1}
    assert report["added"] == [str((inbox / "fangxun.txt").resolve())]
    assert found(index, "防汛") == ["fangxun"]


def test_a_vanished_file_is_kept_without_prune_and_removed_with_it(inbox, tmp_path):
    index = tmp_path / "idx"
    ingest(inbox, "--index", index)
    gone = (inbox / "anquan.txt").resolve()
    gone.unlink()

    code, counts, err, report = ingest(inbox, "--index", index)
    assert code == 0
    assert counts["removed"] == 0 and counts["unchanged"] == 2
    assert report["missing"] == [str(gone)]
    assert "加 --prune 可将其删除" in err
    assert found(index, "安全生产") == ["anquan"]  # still searchable

    code, counts, err, report = ingest(inbox, "--index", index, "--prune")
    assert code == 0
    assert counts == {"added": 0, "updated": 0, "unchanged": 2, "removed": 1, "failed": 0,
                      "documents": 0}
    assert report["removed"] == [str(gone)] and report["missing"] == []
    assert report["documents"]["removed"] == 1
    assert found(index, "安全生产") == []
    assert all_ids(index) == ["jieyue", "peixun"]


def test_prune_only_touches_sources_under_the_given_paths(inbox, tmp_path):
    index = tmp_path / "idx"
    other = tmp_path / "other"
    write_doc(other, "qita.txt", "其他单位的通知", "其他单位的正文。")
    ingest(inbox, other, "--index", index)
    shutil.rmtree(other)
    _, counts, _, report = ingest(inbox, "--index", index, "--prune")
    assert counts["removed"] == 0 and report["removed"] == []
    assert "qita" in all_ids(index)


def test_all_documents_of_a_jsonl_file_are_replaced_together(tmp_path):
    index = tmp_path / "idx"
    path = write_jsonl(tmp_path / "in" / "articles.jsonl", [
        {"id": "art-1", "title": "第一条", "text": "为了规范职工书屋管理，制定本办法。"},
        {"id": "art-2", "title": "第二条", "text": "本办法适用于各级工会。"},
        {"id": "art-3", "title": "第三条", "text": "职工书屋应当定期开放。"}])
    _, counts, _, _ = ingest(path, "--index", index)
    assert counts["documents"] == 3
    write_jsonl(path, [{"id": "art-1", "title": "第一条", "text": "为了规范职工书屋管理，制定本规定。"},
                       {"id": "art-4", "title": "第四条", "text": "本规定自发布之日起施行。"}])
    _, counts, _, report = ingest(path, "--index", index)
    assert counts["updated"] == 1 and counts["documents"] == 2
    assert report["documents"] == {"added": 2, "removed": 3}
    assert all_ids(index) == ["art-1", "art-4"]
    assert found(index, "定期开放") == []


def test_two_documents_named_alike_in_two_folders_get_distinct_stable_ids(tmp_path):
    index = tmp_path / "idx"
    write_doc(tmp_path / "a", "report.txt", "甲单位工作报告", "甲单位推进改革。")
    b = write_doc(tmp_path / "b", "report.txt", "乙单位工作报告", "乙单位推进改革。")
    code, counts, _, report = ingest(tmp_path / "a", tmp_path / "b", "--index", index)
    assert code == 0 and report["failed"] == []
    assert counts["added"] == 2 and counts["documents"] == 2
    ids = all_ids(index)
    assert ids[0] == "report" and ids[1].startswith("report-") and len(ids) == 2
    assert found(index, "甲单位") == ["report"]
    assert found(index, "乙单位") == [ids[1]]
    # The same files again: nothing changes; the second file changed: it keeps its id.
    code, counts, _, _ = ingest(tmp_path / "a", tmp_path / "b", "--index", index)
    assert code == 0 and counts["unchanged"] == 2 and counts["documents"] == 0
    write_doc(tmp_path / "b", "report.txt", "乙单位工作报告", "乙单位深化改革。")
    code, counts, _, _ = ingest(tmp_path / "b", "--index", index)
    assert code == 0 and counts["updated"] == 1
    assert all_ids(index) == ids
    assert found(index, "深化改革") == [ids[1]] and found(index, "甲单位") == ["report"]
    assert b.exists()


def test_a_duplicate_id_inside_one_file_fails_the_file(tmp_path):
    index = tmp_path / "idx"
    path = write_jsonl(tmp_path / "dup.jsonl", [
        {"id": "x", "title": "甲", "text": "第一份。"}, {"id": "x", "title": "乙", "text": "第二份。"}])
    code, counts, _, report = ingest(path, "--index", index)
    assert code == 1 and counts["failed"] == 1 and counts["documents"] == 0
    assert report["failed"][0]["reason"] == "文档编号 x 在本文件中出现不止一次"
    assert all_ids(index) == []


def test_a_moved_file_takes_its_doc_id_along(inbox, tmp_path):
    index = tmp_path / "idx"
    ingest(inbox, "--index", index)
    (inbox / "archive").mkdir()
    (inbox / "jieyue.txt").rename(inbox / "archive" / "jieyue.txt")
    code, counts, _, report = ingest(inbox, "--index", index, "--prune")
    assert code == 0
    assert counts == {"added": 1, "updated": 0, "unchanged": 2, "removed": 1, "failed": 0,
                      "documents": 1}
    assert all_ids(index) == ["anquan", "jieyue", "peixun"]
    assert found(index, "反对浪费") == ["jieyue"]


def test_rebuild_switches_to_a_new_generation(inbox, tmp_path):
    index = tmp_path / "idx"
    extra = write_doc(tmp_path / "extra", "linshi.txt", "临时通知", "临时通知的正文。")
    ingest(inbox, extra, "--index", index)
    before = read_pointer(index)["generation"]
    code, counts, _, report = ingest(inbox, "--index", index, "--rebuild")
    assert code == 0
    assert counts["added"] == 3 and counts["documents"] == 3
    assert report["rebuild"] is True
    assert report["removed"] == [str(extra.resolve())]  # not among the PATHs: not rebuilt
    after = read_pointer(index)["generation"]
    assert after != before
    assert sorted(p.name for p in index.iterdir() if p.is_dir() and p.name.startswith("g")) \
        == [after]
    assert all_ids(index) == ["anquan", "jieyue", "peixun"]


def test_a_second_writer_gets_a_clear_message_or_waits(inbox, tmp_path):
    index = tmp_path / "idx"
    ingest(inbox, "--index", index)
    write_doc(inbox, "xin.txt", "新通知", "新通知的正文。")
    runner = CliRunner()
    lock = WriteLock(index).acquire()  # as a running `gongwen ingest` holds it
    try:
        result = runner.invoke(cli, ["ingest", str(inbox), "--index", str(index)])
        assert result.exit_code == 1
        assert result.stderr == (f"错误：索引 {index} 正由另一个 gongwen ingest 写入"
                                 f"（进程号 {os.getpid()}）；请等它结束，或加 --wait 重新运行\n")
        timer = threading.Timer(1.0, lock.release)
        timer.start()
        result = runner.invoke(cli, ["ingest", str(inbox), "--index", str(index), "--wait"])
        timer.join()
    finally:
        lock.release()
    assert result.exit_code == 0, result.output
    assert summary_counts(result.stdout)["added"] == 1
    assert "xin" in all_ids(index)


def test_ingest_refuses_a_folder_that_is_not_an_index(inbox, tmp_path):
    stray = tmp_path / "stray"
    stray.mkdir()
    (stray / "notes.txt").write_text("不是索引", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(inbox), "--index", str(stray)])
    assert result.exit_code == 1
    assert result.stderr == f"错误：{stray} 不是索引目录（而且不是空目录）；请用 --index 另选目录\n"


def test_a_big_jsonl_file_is_cut_into_as_many_parts_as_the_workers_share_evenly(
        tmp_path, monkeypatch):
    """Five parts on two workers took three rounds, the last with one worker idle: the batch
    reads six smaller parts instead, each its own segment, every record indexed once."""
    from index.layout import generation_dir, open_whoosh
    from ingest import batch as ingest_batch

    records = [{"id": f"art-{n:04d}", "title": f"第{n}条", "text": f"职工书屋第{n}号管理规定。"}
               for n in range(6 * 256)]  # six blocks of lines (ingest.formats.jsonl.BLOCK_LINES)
    path = write_jsonl(tmp_path / "in" / "articles.jsonl", records)
    monkeypatch.setattr(ingest_batch, "PART_BYTES", path.stat().st_size // 5)
    assert ingest_batch.part_count(path) == 5
    index = tmp_path / "idx"
    code, counts, _, _ = ingest(path, "--index", index, "--jobs", "2")
    assert code == 0 and counts["documents"] == len(records)
    assert all_ids(index) == [r["id"] for r in records]
    ix = open_whoosh(generation_dir(index, read_pointer(index)), mapped=False)
    assert [s.doc_count_all() for s in ix._segments()] == [256] * 6
    assert found(index, "第1000号") == ["art-1000"]
