"""What `gongwen` prints from documents and file names reaches the terminal without escapes."""
from __future__ import annotations

import json
import re

import pytest

from search_app.cli import cli
from search_app.terminal import terminal_json, terminal_line, terminal_text

RED = "\x1b[31m"
TITLE = f"示例县应急管理局{RED}关于开展安全检查的通知\x1b[0m"
CLEAN_TITLE = "示例县应急管理局关于开展安全检查的通知"
# An OSC sequence retitles the terminal; 0x9b is the one-byte CSI of C1 (here: clear screen).
TEXT = "各乡镇：\n\n安全检查期间请注意\x1b]0;pwned\x07防火\x9b2J。\n\n示例县应急管理局\n\n2021年7月1日"
FORGED_NAME = "a\n失败: x.txt"
ANY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    """An index of a crawled record whose title and text carry escape sequences."""
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "in"
    source.mkdir()
    record = {"id": "esc-1", "title": TITLE, "text": TEXT}
    (source / "crawl.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["ingest", str(source), "--index", str(folder / "idx"),
                                      "-q"])
    assert result.exit_code == 0, result.output
    return folder / "idx"


def test_search_prints_the_title_and_passage_without_escapes(runner, hostile_index):
    result = runner.invoke(cli, ["search", "防火", "--index", str(hostile_index)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2] == f"1. {CLEAN_TITLE}"
    assert "   [p2] 安全检查期间请注意【防火】。" in lines
    assert not ANY_CONTROL.search(result.stdout)


def test_show_prints_the_document_without_escapes(runner, hostile_index):
    result = runner.invoke(cli, ["show", "esc-1", "--index", str(hostile_index)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == CLEAN_TITLE
    assert "  [p2] 安全检查期间请注意防火。" in result.stdout.splitlines()
    assert not ANY_CONTROL.search(result.stdout)


def test_json_output_escapes_every_control_and_keeps_the_data(runner, hostile_index):
    result = runner.invoke(cli, ["search", "防火", "--json", "--index", str(hostile_index)])
    assert result.exit_code == 0, result.output
    assert not ANY_CONTROL.search(result.stdout)
    hit = json.loads(result.stdout)["results"][0]
    assert hit["title"] == TITLE  # the data is kept exactly; only its printing is escaped
    assert hit["passages"][0]["text"] == "安全检查期间请注意\x1b]0;pwned\x07防火\x9b2J。"


def test_a_file_name_with_a_newline_cannot_forge_a_failure_line(runner, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / FORGED_NAME).write_bytes(b"")
    result = runner.invoke(cli, ["ingest", str(source), "--index", str(tmp_path / "idx"), "-q"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"失败: {source}/a\\n失败: x.txt: ")
    assert result.stdout.splitlines()[-1].startswith("新增 0，更新 0，未变 0，删除 0，失败 1")


def test_an_error_naming_a_document_id_is_one_line(runner, hostile_index):
    result = runner.invoke(cli, ["show", f"x\n失败: {RED}y", "--index", str(hostile_index)])
    assert result.exit_code == 1
    assert result.stderr == "错误：索引中没有文档：x\\n失败: \\x1b[31my\n"


@pytest.mark.parametrize("raw, text, line", [
    ("标题\x1b[1;31m红\x1b[0m", "标题红", "标题\\x1b[1;31m红\\x1b[0m"),
    ("a\x1b]8;;http://x\x1b\\链接\x1b]8;;\x1b\\b", "a链接b",
     "a\\x1b]8;;http://x\\x1b\\链接\\x1b]8;;\\x1b\\b"),
    ("退格\x08\x08覆盖", "退格覆盖", "退格\\x08\\x08覆盖"),
    ("回车\r伪造", "回车伪造", "回车\\r伪造"),
    ("两行\n\t缩进", "两行\n\t缩进", "两行\\n\\t缩进"),
    ("C1\x9b2J\x85下一行", "C1下一行", "C1\\x9b2J\\x85下一行"),
    ("全角　空格与中文标点，。", "全角　空格与中文标点，。", "全角　空格与中文标点，。"),
])
def test_terminal_text_strips_and_terminal_line_escapes(raw, text, line):
    assert terminal_text(raw) == text
    assert terminal_line(raw) == line


def test_terminal_json_is_json_with_c1_escaped():
    obj = {"title": "标\x9b题\x1b[31m", "n": 1}
    out = terminal_json(obj)
    assert json.loads(out) == obj
    assert not ANY_CONTROL.search(out)
