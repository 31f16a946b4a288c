"""Issue 14, the CLI: `gongwen search` imports only what a search needs and reads jieba's
dictionary from the cache on demand, with the words, tokens and results of the full one.

Every check runs a fresh Python process (the dictionary and the imports are per process), each
with its own cache folder (XDG_CACHE_HOME in tmp_path).
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from render import REPO

SHARED_REPORTS = (REPO.parent / "shared" / "data" / "work_reports" / "national_wikisource"
                  / "government_work_reports.jsonl")
# Modules a search has no use for: the web stack and the parsers of input formats.
NOT_ON_THE_SEARCH_PATH = ("flask", "werkzeug", "jinja2", "waitress", "pdfplumber", "pdfminer",
                          "docx", "openpyxl", "ingest.pipeline", "ingest.formats",
                          "jieba.analyse", "pkg_resources")  # issue 14: 0.9 s and 0.09 s CPU

SEARCH_AND_REPORT = """
import json, sys
from search_app.cli import cli
try:
    cli(sys.argv[1:], prog_name="gongwen")
except SystemExit as e:
    code = e.code
sys.stdout.flush()
import jieba  # after the search: as the search imported it
print("\\n" + json.dumps({"code": code, "modules": sorted(sys.modules),
                          "freq": type(jieba.dt.FREQ).__name__}))
"""

TOKENS = """
import json, sys
from pathlib import Path
import jieba
from index import setup_analysis
from index.analysis import jieba_analyzer, token_spans
setup_analysis(Path(sys.argv[1]) if sys.argv[1] else None, lazy=sys.argv[2] == "lazy")
texts = json.loads(sys.stdin.read())
print(json.dumps({"freq": type(jieba.dt.FREQ).__name__,
                  "cut": [jieba.lcut(t) for t in texts],
                  "index": [token_spans(jieba_analyzer(), t) for t in texts]},
                 ensure_ascii=False))
"""


def python(code: str, *args: str, cache: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, env=env, input=stdin,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def search(index: Path, cache: Path, *args: str) -> tuple[str, dict]:
    """What `gongwen search` printed, and the process's exit code, modules and jieba table."""
    done = python(SEARCH_AND_REPORT, "search", *args, "--index", str(index), cache=cache)
    printed, _, report = done.stdout.rpartition("\n\n")
    assert done.stderr == ""
    return printed, json.loads(report)


def tables(cache: Path) -> list[str]:
    return sorted(p.name for p in (cache / "gongwen-search").glob("dict-*.sqlite3"))


def test_search_imports_neither_the_web_stack_nor_the_parsers(index_dir, runner, tmp_path):
    cache = tmp_path / "cache"
    first, report = search(index_dir, cache, "产业工人")
    assert report["code"] == 0 and report["freq"] == "dict"  # the first run writes the table
    assert [m for m in NOT_ON_THE_SEARCH_PATH if m in report["modules"]] == []
    assert len(tables(cache)) == 1
    again, report = search(index_dir, cache, "产业工人")
    assert report["freq"] == "FrequencyTable"  # read on demand from the table
    assert [m for m in NOT_ON_THE_SEARCH_PATH if m in report["modules"]] == []
    from search_app.cli import cli
    in_process = runner.invoke(cli, ["search", "产业工人", "--index", str(index_dir)])
    assert in_process.exit_code == 0
    assert first == again == in_process.stdout.rstrip("\n")
    assert "【产业工人】" in again


def test_show_and_json_search_give_the_same_answers_from_the_table(index_dir, runner, tmp_path,
                                                                   bulletin_id):
    from search_app.cli import cli

    cache = tmp_path / "cache"
    search(index_dir, cache, "产业工人")  # writes the table
    for args in (["search", "技能竞赛 职工", "--json"], ["show", bulletin_id, "--json"]):
        done = python(SEARCH_AND_REPORT, *args, "--index", str(index_dir), cache=cache)
        printed, _, report = done.stdout.rpartition("\n\n")
        assert json.loads(report)["freq"] == "FrequencyTable"
        expected = runner.invoke(cli, [*args, "--index", str(index_dir)]).stdout
        assert json.loads(printed) == json.loads(expected)


def real_texts() -> list[str]:
    """The bundled corpus, and government work reports from ../shared when it is there."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").iterdir())
             if p.suffix in {".txt", ".md", ".html"}]
    if SHARED_REPORTS.is_file():
        with SHARED_REPORTS.open(encoding="utf-8") as f:
            for line, _ in zip(f, range(3)):
                texts += [v for v in json.loads(line).values()
                          if isinstance(v, str) and len(v) > 200]
    return texts


def test_tokens_from_the_table_equal_those_of_the_whole_dictionary(tmp_path):
    cache, texts = tmp_path / "cache", json.dumps(real_texts(), ensure_ascii=False)
    full = json.loads(python(TOKENS, "", "full", cache=cache, stdin=texts).stdout)
    python(TOKENS, "", "lazy", cache=cache, stdin="[]")  # writes the table
    lazy = json.loads(python(TOKENS, "", "lazy", cache=cache, stdin=texts).stdout)
    assert (full["freq"], lazy["freq"]) == ("dict", "FrequencyTable")
    assert sum(len(words) for words in full["cut"]) > 5000
    assert lazy["cut"] == full["cut"]
    assert lazy["index"] == full["index"]


def test_a_changed_user_dictionary_gets_a_new_table(tmp_path):
    cache, userdict = tmp_path / "cache", tmp_path / "userdict.txt"
    text = json.dumps(["各单位开展岗位练兵技能周活动"], ensure_ascii=False)
    userdict.write_text("产业工人 2000 n\n", encoding="utf-8")
    python(TOKENS, str(userdict), "lazy", cache=cache, stdin="[]")
    before = json.loads(python(TOKENS, str(userdict), "lazy", cache=cache, stdin=text).stdout)
    assert before["freq"] == "FrequencyTable" and "练兵技能周" not in before["cut"][0]
    assert len(tables(cache)) == 1
    userdict.write_text("产业工人 2000 n\n练兵技能周 50000 n\n", encoding="utf-8")
    python(TOKENS, str(userdict), "lazy", cache=cache, stdin="[]")  # a new key: a new table
    after = json.loads(python(TOKENS, str(userdict), "lazy", cache=cache, stdin=text).stdout)
    assert after["freq"] == "FrequencyTable" and "练兵技能周" in after["cut"][0]
    assert len(tables(cache)) == 2


def test_a_cache_folder_that_cannot_be_written_costs_time_not_answers(index_dir, tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    printed, report = search(index_dir, blocked, "产业工人")  # stderr is asserted empty
    assert report["code"] == 0 and report["freq"] == "dict"
    assert "【产业工人】" in printed


def test_a_full_load_after_a_lazy_one_replaces_the_table(tmp_path):
    code = """
import jieba
from index import setup_analysis
from index.analysis import jieba_analyzer, token_spans
setup_analysis(lazy=True)
lazy = type(jieba.dt.FREQ).__name__, token_spans(jieba_analyzer(), "加强产业工人队伍建设")
setup_analysis()
full = type(jieba.dt.FREQ).__name__, token_spans(jieba_analyzer(), "加强产业工人队伍建设")
print(lazy[0], full[0], lazy[1] == full[1], len(jieba.dt.FREQ) > 300000)
"""
    cache = tmp_path / "cache"
    python("from index import setup_analysis; setup_analysis(lazy=True)", cache=cache)
    assert python(code, cache=cache).stdout.split() == ["FrequencyTable", "dict", "True", "True"]



def test_a_damaged_table_is_written_again(index_dir, tmp_path):
    cache = tmp_path / "cache"
    search(index_dir, cache, "产业工人")
    [name] = tables(cache)
    (cache / "gongwen-search" / name).write_bytes(b"not a database " * 100)
    printed, report = search(index_dir, cache, "产业工人")  # stderr is asserted empty
    assert report["freq"] == "dict" and "【产业工人】" in printed
    _, report = search(index_dir, cache, "产业工人")
    assert report["freq"] == "FrequencyTable" and tables(cache) == [name]


def test_a_table_damaged_inside_is_one_clear_line(index_dir, tmp_path):
    cache = tmp_path / "cache"
    search(index_dir, cache, "产业工人")
    [name] = tables(cache)
    path = cache / "gongwen-search" / name
    with sqlite3.connect(path) as con:  # keep the pages up to the roots of both tables
        keep = con.execute("PRAGMA page_size").fetchone()[0] * max(
            page for (page,) in con.execute("SELECT rootpage FROM sqlite_master"))
    con.close()
    data = path.read_bytes()
    path.write_bytes(data[:keep] + b"\xff" * (len(data) - keep))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-m", "search_app.cli", "search", "产业工人",
                           "--index", str(index_dir)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr == (f"错误：词典缓存 {path} 无法读取（database disk image is malformed），"
                           "请删除该文件后重试\n")
