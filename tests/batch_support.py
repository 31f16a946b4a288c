"""Helpers for the batch re-indexing tests: small source files, the CLI as a process, a server."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def write_doc(folder: Path, name: str, title: str, *paragraphs: str) -> Path:
    """A plain-text 公文 with a front-matter title; its doc_id is the file's stem."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    body = "\n\n".join(paragraphs or (f"{title}的正文。",))
    path.write_text(f"---\ntitle: {title}\ndoc_type: policy\n---\n{body}\n", encoding="utf-8")
    return path


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    """A JSON Lines file, one document per record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def cli(*args: str, timeout: float = 300, **kw: Any) -> subprocess.CompletedProcess:
    """`python -m search_app.cli ARGS` as a separate process (the repository's code)."""
    return subprocess.run([sys.executable, "-m", "search_app.cli", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout, **kw)


def summary_counts(line: str) -> dict[str, int]:
    """新增 1，更新 0，未变 2，删除 0，失败 0（写入 3 篇文档） → the six numbers by name."""
    m = re.fullmatch(r"(?:重建索引：)?新增 (\d+)，更新 (\d+)，未变 (\d+)，删除 (\d+)，失败 (\d+)"
                     r"（写入 (\d+) 篇文档）", line.strip())
    assert m, f"not a summary line: {line!r}"
    keys = ("added", "updated", "unchanged", "removed", "failed", "documents")
    return dict(zip(keys, map(int, m.groups())))


def ingest_in_process(*args: object) -> tuple[int, dict[str, int], str, dict]:
    """Run `gongwen ingest ARGS --report R` in process: (exit, summary counts, stderr, report)."""
    from click.testing import CliRunner

    from search_app.cli import cli as gongwen

    runner = CliRunner()
    with runner.isolated_filesystem():
        result = runner.invoke(gongwen, ["ingest", *map(str, args), "--report", "report.json"])
        data = json.loads(Path("report.json").read_text(encoding="utf-8")) \
            if Path("report.json").exists() else {}
    assert "Traceback" not in result.output, result.output
    return result.exit_code, summary_counts(result.stdout), result.stderr, data


def found(index: Path, query: str) -> list[str]:
    """doc_ids the index returns for query (library call, a fresh Index each time)."""
    from index import SearchRequest, open_index

    with open_index(index) as ix:
        return sorted(h.doc_id for h in ix.search(SearchRequest(q=query, per_page=100)).hits)


def all_ids(index: Path) -> list[str]:
    from index import open_index

    with open_index(index) as ix:
        return ix.all_doc_ids()


def get_json(url: str, timeout: float = 30) -> tuple[int, Any]:
    """(status, JSON body) of a GET, also for 4xx/5xx answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode("utf-8"))


class Server:
    """`gongwen serve` on a free port as a real process, stopped on exit."""

    def __init__(self, index: Path) -> None:
        self.index = index
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "search_app.cli", "serve", "--index", str(self.index),
             "--port", "0"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            m = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if m:
                self.url = m.group(0)
                return self
        raise AssertionError(f"serve did not start: {self.proc.stderr.read() if self.proc.stderr else ''}")

    def search(self, q: str) -> tuple[int, Any]:
        return get_json(self.url + "api/search?per_page=50&q=" + urllib.parse.quote(q))

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wait_until(predicate: Any, timeout: float = 60.0, step: float = 0.1) -> bool:
    """Poll predicate until it is true or timeout seconds have passed."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())



def read_generation(index: Path) -> str:
    """The generation the index's pointer names."""
    return json.loads((index / "gongwen-index.json").read_text(encoding="utf-8"))["generation"]
