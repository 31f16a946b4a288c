"""Every kind of broken file gets a clear reason, the batch goes on, and the exit status says so.

The files are real: PDFs rendered with the CJK font (one encrypted, one of drawings only),
a PDF cut short, random bytes named .pdf, an empty file, a JSON Lines file whose second line
is broken.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from batch_support import all_ids, cli, found, summary_counts, write_doc, write_jsonl
from render import Para, render_pdf, render_policy_pdf, render_shapes_pdf

GOOD_PDF_TITLE = "示例州总工会关于加强企业民主管理工作的意见"


def make(kind: str, folder: Path) -> Path:
    """One broken file of the given kind."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "corrupt":
        whole = render_policy_pdf(folder / "whole.pdf").path.read_bytes()
        (folder / "whole.pdf").unlink()
        path = folder / "corrupt.pdf"
        path.write_bytes(whole[: len(whole) // 3])  # a download cut short
    elif kind == "encrypted":
        path = render_pdf(folder / "encrypted.pdf", [Para("加密的文件。")], encrypt="secret").path
    elif kind == "empty":
        path = folder / "empty.txt"
        path.write_bytes(b"")
    elif kind == "scanned":
        path = render_shapes_pdf(folder / "scanned.pdf")
    elif kind == "garbage":
        path = folder / "garbage.pdf"
        path.write_bytes(b"GIF89a" + os.urandom(2000))
    elif kind == "unsupported":
        path = folder / "table.xyz"
        path.write_text("不是支持的格式", encoding="utf-8")
    elif kind == "bad-jsonl":
        path = write_jsonl(folder / "articles.jsonl", [
            {"id": "ok-1", "title": "第一条", "text": "职工书屋定期开放。"}])
        with path.open("a", encoding="utf-8") as f:
            f.write('{"id": "ok-2", "title": "第二条", "text": \n')
    else:
        raise ValueError(kind)
    return path


CASES = {
    "corrupt": "PDF 已损坏或不完整",
    "encrypted": "PDF 已加密",
    "empty": "空文件",
    "scanned": "PDF 没有文字层，OCR 也未识别出文字（图像不清？）",
    "garbage": "不是 PDF 文件",
    "unsupported": "不支持的文件类型 .xyz",
    "bad-jsonl": "第 2 行：JSON 格式错误（第 1 列，缺少值）",
}


@pytest.mark.parametrize("kind", CASES)
def test_a_broken_file_is_reported_and_the_batch_goes_on(kind, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = render_policy_pdf(inbox / "good.pdf").path
    write_doc(inbox, "notice.txt", "关于厉行节约的通知", "各单位要厉行节约，反对浪费。")
    broken = make(kind, inbox)
    index, report = tmp_path / "idx", tmp_path / "report.json"
    # Named explicitly, so that an unsupported type is a failure, not a skip.
    proc = cli("ingest", good, inbox / "notice.txt", broken, "--index", index,
               "--report", report)
    assert proc.returncode == 1
    counts = summary_counts(proc.stdout)
    assert counts["added"] == 2 and counts["failed"] == 1
    assert proc.stderr == f"失败: {broken.resolve()}: {CASES[kind]}\n"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["ok"] is False
    assert data["failed"] == [{"path": str(broken.resolve()), "reason": CASES[kind]}]
    assert all_ids(index) == ["good", "notice"]  # nothing of the broken file
    assert found(index, "厂务公开") == ["good"]
    assert found(index, "职工书屋") == []  # not even the good first line of a broken JSON Lines


def test_all_kinds_in_one_folder(tmp_path):
    inbox = tmp_path / "inbox"
    write_doc(inbox, "notice.txt", "关于厉行节约的通知", "各单位要厉行节约，反对浪费。")
    broken = {kind: make(kind, inbox / kind) for kind in CASES}
    report = tmp_path / "report.json"
    proc = cli("ingest", inbox, "--index", tmp_path / "idx", "--report", report)
    assert proc.returncode == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    failed = {f["path"]: f["reason"] for f in data["failed"]}
    expected = {str(p.resolve()): CASES[k] for k, p in broken.items() if k != "unsupported"}
    assert failed == expected
    # Inside a folder an unsupported file is skipped and listed, not failed.
    assert data["skipped"] == [{"path": str(broken["unsupported"].resolve()),
                                "reason": CASES["unsupported"]}]
    assert data["summary"] == {"added": 1, "updated": 0, "unchanged": 0, "removed": 0,
                               "failed": len(expected)}
    assert f"跳过: {broken['unsupported'].resolve()}: 不支持的文件类型 .xyz" in proc.stderr


def test_a_folder_with_only_an_unsupported_file_exits_0(tmp_path):
    inbox = tmp_path / "inbox"
    write_doc(inbox, "notice.txt", "关于厉行节约的通知")
    make("unsupported", inbox)
    proc = cli("ingest", inbox, "--index", tmp_path / "idx")
    assert proc.returncode == 0, proc.stderr
    assert summary_counts(proc.stdout)["failed"] == 0


def test_a_corrected_file_that_now_fails_keeps_its_previous_version(tmp_path):
    inbox = tmp_path / "inbox"
    path = write_doc(inbox, "notice.txt", "关于厉行节约的通知", "各单位要厉行节约，反对浪费。")
    index = tmp_path / "idx"
    assert cli("ingest", inbox, "--index", index).returncode == 0
    path.write_bytes(b"")  # the re-sent file arrived empty
    proc = cli("ingest", inbox, "--index", index)
    assert proc.returncode == 1
    assert proc.stderr == f"失败: {path.resolve()}: 空文件\n"
    assert found(index, "反对浪费") == ["notice"]


def test_a_file_that_takes_too_long_to_parse_fails_and_the_batch_goes_on(tmp_path):
    inbox = tmp_path / "inbox"
    write_doc(inbox, "notice.txt", "关于厉行节约的通知", "各单位要厉行节约，反对浪费。")
    # About forty pages of text: seconds of pdfplumber, far over the limit given below.
    slow = render_pdf(inbox / "long.pdf", [Para("各单位要加强企业民主管理，推进厂务公开。" * 40)] * 30).path
    report = tmp_path / "report.json"
    proc = cli("ingest", inbox, "--index", tmp_path / "idx", "--report", report,
               "--parse-seconds", "0.3")
    assert proc.returncode == 1
    reason = "解析超过 0.3 秒（文件损坏或异常？）；可用 --parse-seconds 延长时限"
    assert proc.stderr == f"失败: {slow.resolve()}: {reason}\n"
    assert json.loads(report.read_text(encoding="utf-8"))["failed"] == [
        {"path": str(slow.resolve()), "reason": reason}]
    assert all_ids(tmp_path / "idx") == ["notice"]
    assert found(tmp_path / "idx", "反对浪费") == ["notice"]
