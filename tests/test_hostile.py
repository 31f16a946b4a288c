"""Hostile folders and files: a real `gongwen ingest` process survives each with one reason.

Every bad input is built in tmp_path (the compressed ones streaming, so the test stays small);
caps are lowered by option where that still proves the mechanism, and the child's peak
memory is read from the kernel (RUSAGE_CHILDREN).
"""
from __future__ import annotations

import gzip
import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ingest.formats.text import decode_text
from ingest.libwarnings import captured_warnings

REPO = Path(__file__).resolve().parents[1]
GOOD = "关于加强企业民主管理的通知\n各单位要推进厂务公开，落实职工代表大会制度。\n"


def gongwen(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "search_app.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)


def docx_bomb(path: Path, inflated_mb: int) -> None:
    """A DOCX whose word/document.xml inflates to inflated_mb of empty paragraphs."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(buf)
    xml = src.read("word/document.xml")
    head, tail = xml.split(b"</w:body>")
    chunk = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 30000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info.filename))
                continue
            with out.open("word/document.xml", "w") as w:
                w.write(head)
                for _ in range(inflated_mb * 1024 * 1024 // len(chunk) + 1):
                    w.write(chunk)
                w.write(b"</w:body>" + tail)


def test_a_hostile_folder_is_reported_file_by_file(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(GOOD, encoding="utf-8")
    (inbox / "good.jsonl").write_text(json.dumps(
        {"id": "law/2020/第一条", "title": "某法 第一条", "text": "为了规范职工培训，制定本法。"},
        ensure_ascii=False) + "\n", encoding="utf-8")
    os.mkfifo(inbox / "pipe.txt")
    os.symlink("loop-b.txt", inbox / "loop-a.txt")
    os.symlink("loop-a.txt", inbox / "loop-b.txt")
    with gzip.open(inbox / "bomb.jsonl.gz", "wb") as f:  # 12 MB of blank lines, ~12 KB on disk
        for _ in range(12 * 1024):
            f.write(b" " * 1023 + b"\n")
    docx_bomb(inbox / "bomb.docx", 8)
    with open(inbox / "record.jsonl", "w", encoding="utf-8") as f:
        f.write('{"id": "x", "title": "长", "text": "' + "长" * 2_000_000 + '"}\n')
    (inbox / "huge.txt").write_text("正文。" * 1_500_000, encoding="utf-8")
    report = tmp_path / "report.json"

    proc = gongwen("ingest", inbox, "--index", tmp_path / "idx", "--report", report, "--quiet",
                   "--max-text-mb", "2", "--max-inflate-mb", "4")

    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stdout == "新增 2，更新 0，未变 0，删除 0，失败 4（写入 2 篇文档）\n"
    r = inbox.resolve()
    assert proc.stderr.splitlines() == [
        f"失败: {r}/bomb.docx: DOCX 解压后超过上限 4 MB（压缩炸弹？）；"
        "上限为 --max-text-mb 的两倍（且不超过 --max-inflate-mb），可调高 --max-text-mb",
        f"失败: {r}/bomb.jsonl.gz: 解压后超过上限 4 MB（压缩炸弹？）；可用 --max-inflate-mb 调高上限",
        f"失败: {r}/huge.txt: 文本超过上限 2 MB（约 12.9 MB）；可用 --max-text-mb 调高上限",
        f"失败: {r}/record.jsonl: 第 1 行：一条记录超过上限 2 MB；可用 --max-text-mb 调高上限",
        f"跳过: {r}/loop-a.txt: 符号链接循环，不读取",
        f"跳过: {r}/loop-b.txt: 符号链接循环，不读取",
        f"跳过: {r}/pipe.txt: 不是普通文件（命名管道），不读取",
    ]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert sorted(data["added"]) == [f"{r}/good.jsonl", f"{r}/good.txt"]
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024  # KB: 1 GB
    found = gongwen("search", "职工培训", "--index", tmp_path / "idx", "--json")
    assert [h["doc_id"] for h in json.loads(found.stdout)["results"]] == ["law/2020/第一条"]


def test_default_caps_on_a_50_mb_text_and_a_52_mb_record(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(GOOD, encoding="utf-8")
    with open(inbox / "big.txt", "w", encoding="utf-8") as f:
        for _ in range(50):
            f.write("各单位要推进厂务公开。\n" * 31_776)  # about 1 MB a round
    with open(inbox / "record.jsonl", "w", encoding="utf-8") as f:
        f.write('{"id": "x", "title": "长", "text": "')
        for _ in range(52):
            f.write("长" * 349_525)
        f.write('"}\n')

    proc = gongwen("ingest", inbox, "--index", tmp_path / "idx", "--quiet")

    assert proc.returncode == 1
    r = inbox.resolve()
    assert proc.stderr.splitlines() == [
        f"失败: {r}/big.txt: 文本超过上限 10 MB（约 51.5 MB）；可用 --max-text-mb 调高上限",
        f"失败: {r}/record.jsonl: 第 1 行：一条记录超过上限 10 MB；可用 --max-text-mb 调高上限",
    ]
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024


def test_gb18030_with_extension_b_characters_decodes(tmp_path: Path) -> None:
    text = "关于𠀀𪚥字的说明。"
    assert decode_text(tmp_path / "x.txt", text.encode("gb18030")) == text


def test_library_warnings_are_captured_not_printed(capsys) -> None:
    import logging

    with captured_warnings() as notes:
        for _ in range(3):
            logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox from font descriptor")
    assert notes == ["pdfminer.pdffont: Could not get FontBBox from font descriptor（共 3 次）"]
    assert capsys.readouterr().err == ""


OFFICE = REPO.parent / "shared" / "data" / "office_files"


@pytest.mark.skipif(not OFFICE.is_dir(), reason="../shared/data is not here")
def test_pdfminer_warnings_of_a_real_office_pdf_go_to_the_report(tmp_path: Path) -> None:
    pdf = next(OFFICE.glob("**/南宁市发展和改革委员会关于*.pdf"))
    report = tmp_path / "report.json"
    proc = gongwen("ingest", pdf, "--index", tmp_path / "idx", "--report", report, "--quiet")
    assert proc.returncode == 0
    assert "FontBBox" not in proc.stderr
    assert proc.stderr == "提示：1 个文件解析时有程序库警告，未在此显示；见 --report 的 warnings\n"
    warned = json.loads(report.read_text(encoding="utf-8"))["warnings"]
    assert warned == [{"path": str(pdf.resolve()), "warnings": [
        "pdfminer.pdffont: Could not get FontBBox from font descriptor because None cannot be "
        "parsed as 4 floats（共 156 次）"]}]


def test_a_record_with_half_a_surrogate_pair_is_indexed_with_the_others(tmp_path: Path) -> None:
    """A broken exporter's escaped half of a pair (\\ud800 alone) is no character and has no
    UTF-8: it becomes U+FFFD, the report names its line, and the record is indexed with the
    rest of its file."""
    lines = [{"id": "a1", "title": "职工培训通知", "text": "各单位要推进厂务公开。"},
             {"id": "a2", "title": "坏的\ud800标题", "text": "落实职工代表大会\udfff制度。"}]
    source = tmp_path / "records.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="ascii")
    report = tmp_path / "report.json"

    proc = gongwen("ingest", source, "--index", tmp_path / "idx", "--quiet", "--report", report)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "新增 1，更新 0，未变 0，删除 0，失败 0（写入 2 篇文档）\n"
    assert json.loads(report.read_text(encoding="utf-8"))["warnings"] == [
        {"path": str(source), "warnings": ["第 2 行：含不成对的代理字符（\\uD800–\\uDFFF），已替换为 \ufffd"]}]
    for query, expected in (("代表大会", [("a2", "坏的\ufffd标题")]),
                            ("厂务公开", [("a1", "职工培训通知")])):
        found = gongwen("search", query, "--index", tmp_path / "idx", "--json")
        assert [(h["doc_id"], h["title"]) for h in json.loads(found.stdout)["results"]] == \
            expected, query
