"""The index records how it was built; a mismatch is refused with the command that fixes it,
on the command line, in a running server and in the API, never answered with wrong results."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import importlib.metadata
import pytest

from batch_support import REPO, Server, cli, write_doc
from index.analysis import ANALYZER_VERSION, analysis_fingerprint
from index.layout import write_json_atomic
from index.schema import SCHEMA_VERSION


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Path]:
    inbox = tmp_path / "inbox"
    write_doc(inbox, "jieyue.txt", "关于厉行节约的通知", "各单位要厉行节约，反对浪费。")
    index = tmp_path / "idx"
    assert cli("ingest", inbox, "--index", index, "--quiet").returncode == 0
    return inbox, index


def pointer(index: Path) -> dict:
    return json.loads((index / "gongwen-index.json").read_text(encoding="utf-8"))


def test_the_index_records_schema_analyzer_and_dictionary(built):
    _, index = built
    from index import setup_analysis

    setup_analysis()
    data = pointer(index)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["analysis"] == analysis_fingerprint()
    assert data["analyzer_version"] == ANALYZER_VERSION
    assert data["segmenter"] == f"rjieba {importlib.metadata.version('rjieba')}"
    assert data["dictionaries"] == ["userdict.txt"]
    assert (index / data["generation"]).is_dir()


def mismatch_message(index: Path, found: str) -> str:
    return f"索引 {index} 建立时用的是索引结构 {found}"


def test_an_outdated_index_is_refused_with_the_fix(built):
    inbox, index = built
    write_json_atomic(index / "gongwen-index.json", {**pointer(index), "schema_version": 1})
    fix = f"请重建：gongwen ingest --rebuild --index {index} PATH..."

    proc = cli("search", "厉行节约", "--index", index)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith(f"错误：{mismatch_message(index, '1')}、分析指纹 ")
    assert proc.stderr.rstrip().endswith(fix)

    proc = cli("ingest", inbox, "--index", index)  # an incremental batch would mix versions
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"错误：{mismatch_message(index, '1')}")
    assert pointer(index)["schema_version"] == 1

    proc = cli("ingest", "--rebuild", inbox, "--index", index, "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert pointer(index)["schema_version"] == SCHEMA_VERSION
    proc = cli("search", "厉行节约", "--index", index, "--json")
    assert [h["doc_id"] for h in json.loads(proc.stdout)["results"]] == ["jieyue"]


def test_an_index_built_with_another_dictionary_is_refused_by_the_web_app(built, tmp_path):
    _, index = built
    other = tmp_path / "other-dict.txt"
    other.write_text("厉行节约 1000 n\n", encoding="utf-8")
    script = ("import sys, json; from search_app import create_app\n"
              "app = create_app({'INDEX_PATH': sys.argv[1], 'USERDICT': sys.argv[2]})\n"
              "r = app.test_client().get('/api/search?q=节约')\n"
              "print(r.status_code); print(r.get_json()['error']['message'])\n")
    proc = subprocess.run([sys.executable, "-c", script, str(index), str(other)], cwd=REPO,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    status, message = proc.stdout.splitlines()[:2]
    assert status == "503"
    assert f"索引 {index} 建立时用的是索引结构 {SCHEMA_VERSION}" in message
    assert "词典 userdict.txt）；本程序用的是" in message
    assert "词典 other-dict.txt）" in message
    assert message.endswith(f"请重建：gongwen ingest --rebuild --index {index} PATH...）")


def test_a_running_server_refuses_an_index_switched_to_another_version(built):
    _, index = built
    good = pointer(index)
    with Server(index) as server:
        assert server.search("厉行节约")[0] == 200
        write_json_atomic(index / "gongwen-index.json", {**good, "schema_version": 99})
        status, body = server.search("厉行节约")
        assert status == 503
        assert mismatch_message(index, "99") in body["error"]["message"]
        assert "gongwen ingest --rebuild" in body["error"]["message"]
        write_json_atomic(index / "gongwen-index.json", good)
        status, body = server.search("厉行节约")
        assert status == 200 and [h["doc_id"] for h in body["results"]] == ["jieyue"]
