"""Issue 14: `gongwen search` asks a `gongwen serve` running on the same index, and prints
exactly what the local search prints; without such a server it searches locally, silently.

A real `gongwen serve` process and real `gongwen search` processes, all with one cache folder
(XDG_CACHE_HOME in tmp_path), where the server leaves its record. Whether a search was answered
by the server shows in the modules its process imported: the local path imports whoosh.
"""
from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from render import REPO

SEARCH_AND_REPORT = """
import json, sys
from search_app.cli import cli
try:
    cli(sys.argv[1:], prog_name="gongwen")
except SystemExit as e:
    code = e.code
sys.stdout.flush()
print("\\n" + json.dumps({"code": code, "local": "whoosh" in sys.modules,
                          "heavy": sorted(m for m in ("whoosh", "jieba", "numpy")
                                          if m in sys.modules)}))
"""


def environ(cache: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(cache)}


def gongwen(cache: Path, command: str, *args: str) -> tuple[str, str, dict]:
    """(stdout, stderr, report) of one `gongwen COMMAND ...` process."""
    done = subprocess.run([sys.executable, "-c", SEARCH_AND_REPORT, command, *args],
                          cwd=REPO, env=environ(cache), capture_output=True, text=True,
                          timeout=300)
    printed, _, report = done.stdout.rpartition("\n\n")
    return printed, done.stderr, json.loads(report)


def search(cache: Path, *args: str) -> tuple[str, str, dict]:
    """(stdout, stderr, report) of one `gongwen search` process."""
    return gongwen(cache, "search", *args)


def records(cache: Path) -> list[Path]:
    return sorted((cache / "gongwen-search" / "servers").glob("*.json"))


@pytest.fixture(scope="module")
def served(index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real `gongwen serve` on index_dir; yields the cache folder holding its record."""
    cache = tmp_path_factory.mktemp("cache")
    proc = subprocess.Popen([sys.executable, "-m", "search_app.cli", "serve", "--index",
                             str(index_dir), "--port", "0"], cwd=REPO, env=environ(cache),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if re.search(r"http://[\d.]+:\d+/", line):
            break
    else:
        raise AssertionError(f"serve did not start: {proc.stderr.read() if proc.stderr else ''}")
    try:
        yield cache
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert records(cache) == []  # the record goes with the server


@pytest.mark.parametrize("args, shows", [
    (("产业工人",), "【产业工人】"), (("技能竞赛 职工", "--json"), "<mark>职工</mark>"),
    (("产业工人", "--sort", "date", "--type", "bulletin", "--body-only", "--within", "改革",
      "--within", "职工"), "【产业工人】"),
    (("没有这样的词语组合", "--json"), '"total": 0,')])
def test_the_server_answers_as_the_local_search_does(served, index_dir, args, shows):
    [record] = records(served)
    asked, err, report = search(served, *args, "--index", str(index_dir))
    assert (report["code"], report["heavy"], err) == (0, [], "")  # no whoosh, jieba, numpy
    local, err, report = search(served, *args, "--index", str(index_dir), "--local")
    assert (report["code"], report["local"], err) == (0, True, "")
    assert asked == local and shows in asked
    assert records(served) == [record]


def show(cache: Path, *args: str) -> tuple[str, str, dict]:
    """(stdout, stderr, report) of one `gongwen show` process."""
    return gongwen(cache, "show", *args)


@pytest.mark.parametrize("args", [(), ("--json",), ("--json", "--base-url", "https://x.cn/gw/")])
def test_show_through_the_server_prints_what_the_local_show_does(served, index_dir, bulletin_id,
                                                                 args):
    asked, err, report = show(served, bulletin_id, *args, "--index", str(index_dir))
    assert (report["code"], report["heavy"], err) == (0, [], "")
    local, err, report = show(served, bulletin_id, *args, "--index", str(index_dir), "--local")
    assert (report["code"], report["local"], err) == (0, True, "")
    assert asked == local and bulletin_id in asked
    if args:  # the links the server found, the citations made with this command's address
        assert {"related", "cited_by", "citation"} <= json.loads(asked).keys()
        assert args[-1] != "https://x.cn/gw/" or "https://x.cn/gw/" in asked


def test_show_of_an_unknown_document_is_the_local_error(served, index_dir):
    asked = show(served, "no-such-doc/../x", "--index", str(index_dir))
    assert asked[:2] == ("", "错误：索引中没有文档：no-such-doc/../x\n")
    assert asked[2]["code"] == 1 and asked[2]["local"]


def test_a_query_the_server_refuses_gets_the_local_error(served, index_dir):
    asked = search(served, "\"产业工人", "--index", str(index_dir))
    local = search(served, "\"产业工人", "--index", str(index_dir), "--local")
    assert asked[:2] == local[:2] and asked[2]["code"] == local[2]["code"] == 1
    assert asked[1].startswith("错误：检索式有误：")


def test_a_server_on_another_index_is_not_asked(served, index_dir, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    printed, err, report = search(served, "产业工人", "--index", str(copy))
    assert (report["code"], report["local"], err) == (0, True, "")
    assert printed == search(served, "产业工人", "--index", str(index_dir))[0]


def write_record(cache: Path, index: Path, pid: int, port: int, token: str = "t") -> Path:
    """A record as `serve` writes it, under the name serve gives it."""
    from search_app.config import default_config
    from search_app.running import _index_key, records_dir, settings_key

    folder = records_dir()
    assert folder == cache / "gongwen-search" / "servers"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_index_key(index)}-{pid}.json"
    path.write_text(json.dumps({"host": "127.0.0.1", "port": port, "pid": pid,
                                "index": str(index.resolve()), "token": token,
                                "settings": settings_key(default_config())}), encoding="utf-8")
    return path


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_stale_records_fall_back_silently(index_dir, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = write_record(cache, index_dir, dead.pid, closed_port())  # a server killed -9
    closed = write_record(cache, index_dir, os.getpid(), closed_port())  # alive, port closed
    printed, err, report = search(cache, "产业工人", "--index", str(index_dir))
    assert (report["code"], report["local"], err) == (0, True, "")
    assert "【产业工人】" in printed
    assert records(cache) == [closed]  # the dead server's record is removed, not the other
    assert not gone.exists()


class StandIn(http.server.BaseHTTPRequestHandler):
    """An HTTP server that answers every GET with 200, JSON of 999 results and a token."""

    token = "not-the-token"

    def do_GET(self) -> None:
        body = json.dumps({"query": "x", "total": 999, "page": 1, "per_page": 10,
                           "expansions": [], "facets": {}, "results": [], "missing": [],
                           "suggestion": None, "any_words": None}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Gongwen-Server", self.token)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def search_with_stand_in(cache: Path, index: Path, token: str, settings: str | None) -> dict:
    """The --json search's answer while a stand-in answers with token at a record's port."""
    handler = type("Handler", (StandIn,), {"token": token})
    with http.server.HTTPServer(("127.0.0.1", 0), handler) as stand_in:
        thread = threading.Thread(target=stand_in.serve_forever, daemon=True)
        thread.start()
        try:
            path = write_record(cache, index, os.getpid(), stand_in.server_address[1], "the-token")
            if settings is not None:
                record = json.loads(path.read_text(encoding="utf-8"))
                path.write_text(json.dumps({**record, "settings": settings}), encoding="utf-8")
            printed, err, report = search(cache, "产业工人", "--json", "--index", str(index))
        finally:
            stand_in.shutdown()
    assert (report["code"], err) == (0, "")
    return json.loads(printed)


def test_only_a_server_with_the_token_and_the_settings_is_believed(index_dir, tmp_path,
                                                                   monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    local = search(cache, "产业工人", "--json", "--local", "--index", str(index_dir))[0]
    assert json.loads(local)["total"] != 999
    # a program that took the port over: answers, without the server's token
    assert search_with_stand_in(cache, index_dir, "not-the-token", None) == json.loads(local)
    # a server started with other settings (another PER_PAGE): its answer would differ
    other = json.dumps({"PER_PAGE": "20"})
    assert search_with_stand_in(cache, index_dir, "the-token", other) == json.loads(local)
    # the control: the token and the settings match, so the stand-in is asked and believed
    assert search_with_stand_in(cache, index_dir, "the-token", None)["total"] == 999
