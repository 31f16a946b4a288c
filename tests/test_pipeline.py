"""Folders in, documents and failures out: a bad file never stops the batch."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from ingest import IngestReport, ParseError, ingest_paths, iter_source_files, parse_file
from render import (Para, reference_text, render_docx, render_pdf, render_policy_pdf,
                    render_shapes_pdf)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A realistic drop folder: good files of every format, broken ones, hidden and stray files."""
    root = tmp_path / "inbox"
    (root / "2021" / "pdf").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "2021" / "gaigekuaibao-2021-12.txt").write_bytes(reference_text().encode("gb18030"))
    render_policy_pdf(root / "2021" / "pdf" / "policy.pdf")
    render_docx(root / "2021" / "notice.docx", [("关于开展职工技能大赛的通知", None),
                                                 ("各县市总工会：", None),
                                                 ("决定举办全州职工技能大赛。", None)])
    records = [{"id": "a1", "title": "第一条", "text": "为了规范管理，制定本办法。"},
               {"id": "a2", "title": "第二条", "text": "本办法适用于全州各级工会。", "sample": True}]
    (root / "articles.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    render_pdf(root / "2021" / "pdf" / "locked.pdf", [Para("加密。")], encrypt="secret")
    (root / "2021" / "pdf" / "fake.pdf").write_bytes(b"GIF89a" + os.urandom(500))
    render_shapes_pdf(root / "2021" / "pdf" / "scan.pdf")
    (root / "empty.md").write_bytes(b"")
    (root / "bad.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    (root / "broken.jsonl").write_text('{"id": "x", "title": "甲", "text": "正文。"}\n{"id": 1}\n',
                                       encoding="utf-8")
    (root / "readme.xyz").write_text("not a document", encoding="utf-8")
    (root / ".hidden.txt").write_text("隐藏文件。", encoding="utf-8")
    (root / ".cache" / "old.txt").write_text("缓存。", encoding="utf-8")
    return root


def test_iter_source_files_walks_sorted_and_skips_hidden_and_unsupported(folder: Path) -> None:
    found = [p.relative_to(folder).as_posix() for p in iter_source_files([folder])]
    assert found == ["articles.jsonl", "bad.txt", "broken.jsonl", "empty.md",
                     "2021/gaigekuaibao-2021-12.txt", "2021/notice.docx",
                     "2021/pdf/fake.pdf", "2021/pdf/locked.pdf", "2021/pdf/policy.pdf",
                     "2021/pdf/scan.pdf"]


def test_files_named_explicitly_are_always_tried(folder: Path) -> None:
    explicit = [folder / "readme.xyz", folder / ".hidden.txt"]
    assert list(iter_source_files(explicit)) == explicit
    report = ingest_paths(explicit)
    assert report.files == 2
    assert [d.text for d in report.documents] == ["隐藏文件。"]
    assert [f.reason for f in report.failures] == ["不支持的文件类型 .xyz"]


def test_ingest_keeps_going_and_reports_every_failure(folder: Path) -> None:
    report = ingest_paths([folder])
    assert isinstance(report, IngestReport)
    assert report.files == 10
    reasons = {Path(f.path).name: f.reason for f in report.failures}
    assert reasons == {
        "bad.txt": "无法识别文字编码（已尝试 UTF-8、GB18030）",
        "broken.jsonl": '第 2 行：缺少 "text" 字段（或为空）',
        "empty.md": "空文件",
        "fake.pdf": "不是 PDF 文件",
        "locked.pdf": "PDF 已加密",
        "scan.pdf": "PDF 没有文字层，OCR 也未识别出文字（图像不清？）",
    }
    by_id = {d.doc_id: d for d in report.documents}
    assert sorted(by_id) == ["a1", "a2", "gaigekuaibao-2021-12", "notice", "policy"]
    assert by_id["gaigekuaibao-2021-12"].bulletin.total_number == 38  # type: ignore[union-attr]
    assert by_id["policy"].doc_number == "示工发〔2020〕15号"
    assert by_id["notice"].recipients == {"主送": ("各县市总工会",)}
    assert [by_id["a1"].sample, by_id["a2"].sample] == [False, True]


def test_source_records_path_format_and_hash(folder: Path) -> None:
    report = ingest_paths([folder])
    for doc in report.documents:
        assert doc.source is not None
        path = Path(doc.source.path)
        assert doc.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    formats = {Path(d.source.path).name: d.source.format for d in report.documents}  # type: ignore[union-attr]
    assert formats == {"articles.jsonl": "jsonl", "gaigekuaibao-2021-12.txt": "text",
                       "notice.docx": "docx", "policy.pdf": "pdf"}


def test_parse_file_only_ever_raises_parse_error(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "nowhere.pdf"):
        with pytest.raises(ParseError):
            parse_file(path)
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(ParseError) as caught:
        parse_file(tmp_path / "dir.txt")
    assert caught.value.reason == "是目录，不是文件"


def test_missing_paths_are_reported_not_raised(tmp_path: Path) -> None:
    report = ingest_paths([tmp_path / "gone.txt"])
    assert (report.files, report.documents) == (1, ())
    assert [f.reason for f in report.failures] == ["文件不存在"]
