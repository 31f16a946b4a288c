"""The `gongwen` command line: through click's CliRunner and as a real subprocess."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from search_app.cli import cli
from render import REPO
from web_support import BULLETIN_ISSUE, BULLETIN_TITLE, copy_seed

BROKEN_PDF = b"%PDF-1.4\nthis is not really a PDF, the file was cut short\n"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    """`python -m search_app.cli ARGS` as a separate process."""
    return subprocess.run([sys.executable, "-m", "search_app.cli", *args], cwd=cwd or REPO,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=300)


def good_and_broken(folder: Path) -> tuple[Path, Path]:
    good = copy_seed(folder) / "gaigekuaibao-2021-12.txt"
    broken = folder / "broken.pdf"
    broken.write_bytes(BROKEN_PDF)
    return good, broken


def test_ingest_reports_a_broken_file_and_indexes_the_good_one(runner, tmp_path):
    good, broken = good_and_broken(tmp_path / "in")
    index = tmp_path / "idx"
    result = runner.invoke(cli, ["ingest", str(good), str(broken), "--index", str(index)])
    assert result.exit_code == 1
    assert result.stdout.strip() == "新增 1，更新 0，未变 0，删除 0，失败 1（写入 1 篇文档）"
    failures = result.stderr.strip().splitlines()
    assert len(failures) == 1 and failures[0].startswith(f"失败: {broken}: ")
    assert "Traceback" not in result.output
    found = runner.invoke(cli, ["search", "产业工人", "--index", str(index), "--json"])
    assert found.exit_code == 0
    assert [h["title"] for h in json.loads(found.stdout)["results"]] == [BULLETIN_TITLE]


def test_ingest_of_good_files_exits_0_and_creates_the_index(runner, tmp_path):
    folder = copy_seed(tmp_path / "in")
    index = tmp_path / "new" / "idx"
    result = runner.invoke(cli, ["ingest", str(folder), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "新增 1，更新 0，未变 0，删除 0，失败 0（写入 1 篇文档）"
    assert result.stderr == ""
    assert index.is_dir()


def test_index_location_from_env_then_default(runner, tmp_path):
    folder = copy_seed(tmp_path / "in")
    env_index = tmp_path / "from-env"
    result = runner.invoke(cli, ["ingest", str(folder)], env={"GONGWEN_INDEX": str(env_index)})
    assert result.exit_code == 0 and env_index.is_dir()
    with runner.isolated_filesystem(temp_dir=tmp_path) as cwd:
        result = runner.invoke(cli, ["ingest", str(folder)], env={"GONGWEN_INDEX": None})
        assert result.exit_code == 0
        assert (Path(cwd) / "instance" / "index").is_dir()


def test_help_documents_the_index_location(runner):
    text = runner.invoke(cli, ["search", "--help"]).output
    assert "GONGWEN_INDEX" in text and "./instance/index" in text
    assert "GONGWEN_INDEX" in runner.invoke(cli, ["--help"]).output


def test_search_json_is_the_api_object(runner, client, index_dir):
    result = runner.invoke(cli, ["search", "产业工人", "--index", str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == client.get("/api/search?q=产业工人").get_json()
    assert "\\u" not in result.stdout


def test_search_json_with_options_is_the_api_object(runner, client, index_dir):
    args = ["search", "技能大赛", "--index", str(index_dir), "--json", "--type", "policy",
            "--year", "2021", "--sort", "date", "--page", "1"]
    result = runner.invoke(cli, args)
    api = client.get("/api/search?q=技能大赛&type=policy&year=2021&sort=date&page=1")
    assert json.loads(result.stdout) == api.get_json()


def test_search_prints_passages_with_brackets(runner, index_dir, bulletin_id):
    result = runner.invoke(cli, ["search", "产业工人", "--index", str(index_dir)])
    assert result.exit_code == 0
    assert re.match(r"共找到 \d+ 篇文档", result.stdout)
    assert BULLETIN_TITLE in result.stdout and BULLETIN_ISSUE in result.stdout
    assert "2021年6月22日" in result.stdout
    assert "【产业工人】" in result.stdout.replace("】【", "")
    assert "<mark>" not in result.stdout
    assert f"doc_id: {bulletin_id}" in result.stdout


def test_show_json_is_the_document_api_object(runner, client, index_dir, bulletin_id):
    result = runner.invoke(cli, ["show", bulletin_id, "--index", str(index_dir), "--json",
                                 "--base-url", "http://localhost/"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == client.get(f"/api/documents/{bulletin_id}").get_json()


def test_show_prints_metadata_and_sections(runner, index_dir, bulletin_id):
    result = runner.invoke(cli, ["show", bulletin_id, "--index", str(index_dir)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == BULLETIN_TITLE
    assert f"期号：{BULLETIN_ISSUE}" in lines
    assert "报：李小三同志，王树芬同志，崔茂虎同志，全国推进产业工人队伍建设改革协调小组办公室，全国总工会办公厅，省委改革办" in lines
    assert "一、在组织领导上做到“六个强化”" in lines


def test_show_unknown_document_is_one_error_line(runner, index_dir):
    result = runner.invoke(cli, ["show", "no-such-doc", "--index", str(index_dir)])
    assert result.exit_code == 1
    assert result.stderr == "错误：索引中没有文档：no-such-doc\n"


def test_missing_index_is_one_error_line(runner, tmp_path):
    result = runner.invoke(cli, ["search", "产业工人", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("错误：找不到索引：")


def test_bad_option_value_is_one_error_line(runner, index_dir):
    result = runner.invoke(cli, ["search", "产业工人", "--index", str(index_dir),
                                      "--page", "0"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "错误：参数 page 无效：应在 1 到 1000 之间，而不是 0"


def test_unbalanced_quote_is_one_error_line(runner, index_dir):
    result = runner.invoke(cli, ["search", '"产业工人', "--index", str(index_dir)])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("错误：检索式有误：")


def test_serve_on_a_busy_port_is_one_error_line(runner, index_dir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--index", str(index_dir), "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"错误：无法在 127.0.0.1:{port} 上启动服务：")
    assert len(result.stderr.splitlines()) == 1


# --- the same commands as real processes ------------------------------------------------


def test_subprocess_ingest_with_a_broken_file(tmp_path):
    good, broken = good_and_broken(tmp_path / "in")
    index = tmp_path / "idx"
    proc = run("ingest", str(good), str(broken), "--index", str(index))
    assert proc.returncode == 1
    assert proc.stdout.strip() == "新增 1，更新 0，未变 0，删除 0，失败 1（写入 1 篇文档）"
    assert proc.stderr.strip().startswith(f"失败: {broken}: ")
    assert len(proc.stderr.strip().splitlines()) == 1, "no traceback, no jieba chatter"


def test_subprocess_search_and_show_json_equal_the_api(client, index_dir, bulletin_id):
    proc = run("search", "产业工人", "--json", env={"GONGWEN_INDEX": str(index_dir)})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == client.get("/api/search?q=产业工人").get_json()
    assert proc.stderr == ""
    proc = run("show", bulletin_id, "--json", "--index", str(index_dir),
               "--base-url", "http://localhost/")
    assert json.loads(proc.stdout) == client.get(f"/api/documents/{bulletin_id}").get_json()


def test_console_script_missing_index(tmp_path):
    gongwen = shutil.which("gongwen")
    if gongwen is None:
        pytest.skip("the gongwen console script is not installed (pip install -e .)")
    proc = subprocess.run([gongwen, "search", "产业工人"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "GONGWEN_INDEX": ""})
    assert proc.returncode == 1
    assert proc.stderr == (f"错误：找不到索引：{Path('instance') / 'index'}"
                           "（请先运行 gongwen ingest PATH，或用 --index 指定目录）\n")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_builds_the_index_then_serves_until_stopped(tmp_path, stop):
    corpus = copy_seed(tmp_path / "corpus")
    index = tmp_path / "idx"
    proc = subprocess.Popen(
        [sys.executable, "-m", "search_app.cli", "serve", "--index", str(index),
         "--corpus", str(corpus), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        # A background job's children start with SIGINT ignored; Ctrl-C must reach this one.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("正在服务"):
                break
        assert any(line.startswith("新增 1，更新 0，未变 0，删除 0，失败 0（写入 1 篇文档）") for line in lines), lines
        served = re.search(r"http://127\.0\.0\.1:\d+/", lines[-1] if lines else "")
        assert served, f"serve did not start: {lines}"
        url = served.group(0)
        with urllib.request.urlopen(url + "api/search?q=" + urllib.parse.quote("产业工人")) as r:
            assert r.status == 200
            assert json.load(r)["results"][0]["title"] == BULLETIN_TITLE
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "已停止" in out
    assert "Traceback" not in err and "Building prefix dict" not in err
