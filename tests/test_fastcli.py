"""Issue 14, the CLI: `gongwen search` imports only what a search needs and never loads jieba's
own dictionary (words come from rjieba, loaded in a fifth of a second), with the words, tokens
and results of a process that has jieba loaded.

Every check runs a fresh Python process (the dictionary and the imports are per process), each
with its own cache folder (XDG_CACHE_HOME in tmp_path).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from render import REPO

SHARED_REPORTS = (REPO.parent / "shared" / "data" / "work_reports" / "national_wikisource"
                  / "government_work_reports.jsonl")
# Modules a search has no use for: the web stack and the parsers of input formats.
NOT_ON_THE_SEARCH_PATH = ("flask", "werkzeug", "jinja2", "waitress", "pdfplumber", "pdfminer",
                          "docx", "openpyxl", "ingest.pipeline", "ingest.formats",
                          "jieba.analyse", "pkg_resources",  # issue 14: 0.9 s and 0.09 s CPU
                          "rjieba", "numpy.ma")  # issue 14: its whole dictionary (0.1 s); 0.02 s

SEARCH_AND_REPORT = """
import json, sys
from search_app.cli import cli
try:
    cli(sys.argv[1:], prog_name="gongwen")
except SystemExit as e:
    code = e.code
sys.stdout.flush()
jieba = sys.modules.get("jieba")  # a search does not import it; show (related documents) does
print("\\n" + json.dumps({"code": code, "modules": sorted(sys.modules),
                          "jieba": bool(jieba and jieba.dt.initialized)}))
"""

TOKENS = """
import json, sys
from pathlib import Path
import jieba
from index import setup_analysis
from index.analysis import jieba_analyzer, token_spans
from index.analysis import ensure_jieba, segmenter
setup_analysis(Path(sys.argv[1]) if sys.argv[1] else None)
if sys.argv[2] == "jieba":
    ensure_jieba()
texts = json.loads(sys.stdin.read())
print(json.dumps({"jieba": jieba.dt.initialized,
                  "cut": [segmenter.cut(t) for t in texts],
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
    """What `gongwen search` printed, and the process's exit code, modules and jieba's state."""
    done = python(SEARCH_AND_REPORT, "search", *args, "--index", str(index), cache=cache)
    printed, _, report = done.stdout.rpartition("\n\n")
    assert done.stderr == ""
    return printed, json.loads(report)


def test_search_imports_neither_the_web_stack_nor_the_parsers(index_dir, runner, tmp_path):
    cache = tmp_path / "cache"
    first, report = search(index_dir, cache, "产业工人")
    assert report["code"] == 0 and report["jieba"] is False  # jieba's dictionary never loaded
    assert [m for m in NOT_ON_THE_SEARCH_PATH if m in report["modules"]] == []
    again, report = search(index_dir, cache, "产业工人")
    assert report["code"] == 0 and report["jieba"] is False
    from search_app.cli import cli
    in_process = runner.invoke(cli, ["search", "产业工人", "--index", str(index_dir)])
    assert in_process.exit_code == 0
    assert first == again == in_process.stdout.rstrip("\n")
    assert "【产业工人】" in again


def test_show_and_json_search_give_the_same_answers_in_a_fresh_process(index_dir, runner,
                                                                      tmp_path, bulletin_id):
    from search_app.cli import cli

    cache = tmp_path / "cache"
    for args in (["search", "技能竞赛 职工", "--json"], ["show", bulletin_id, "--json"]):
        done = python(SEARCH_AND_REPORT, *args, "--index", str(index_dir), cache=cache)
        printed, _, report = done.stdout.rpartition("\n\n")
        assert json.loads(report)["jieba"] is (args[0] == "show")  # related: jieba's tagger
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


def test_tokens_without_jieba_equal_those_with_jieba_loaded(tmp_path):
    cache, texts = tmp_path / "cache", json.dumps(real_texts(), ensure_ascii=False)
    loaded = json.loads(python(TOKENS, "", "jieba", cache=cache, stdin=texts).stdout)
    alone = json.loads(python(TOKENS, "", "alone", cache=cache, stdin=texts).stdout)
    assert (loaded["jieba"], alone["jieba"]) == (True, False)
    assert sum(len(words) for words in loaded["cut"]) > 5000
    assert alone["cut"] == loaded["cut"]
    assert alone["index"] == loaded["index"]


def test_a_changed_user_dictionary_changes_the_words(tmp_path):
    cache, userdict = tmp_path / "cache", tmp_path / "userdict.txt"
    text = json.dumps(["各单位开展岗位练兵技能周活动"], ensure_ascii=False)
    userdict.write_text("产业工人 2000 n\n", encoding="utf-8")
    before = json.loads(python(TOKENS, str(userdict), "alone", cache=cache, stdin=text).stdout)
    assert "练兵技能周" not in before["cut"][0]
    userdict.write_text("产业工人 2000 n\n练兵技能周 50000 n\n", encoding="utf-8")
    after = json.loads(python(TOKENS, str(userdict), "alone", cache=cache, stdin=text).stdout)
    assert "练兵技能周" in after["cut"][0]
    assert ["练兵技能周", 4, 7, 12] in after["index"][0]


def test_a_cache_folder_that_cannot_be_written_costs_nothing(index_dir, tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    printed, report = search(index_dir, blocked, "产业工人")  # stderr is asserted empty
    assert report["code"] == 0 and report["jieba"] is False
    assert "【产业工人】" in printed


def test_a_search_without_facets_finds_and_orders_the_same(index_dir):
    """The terminal's list shows no facets, so `gongwen search` does not count them."""
    from index import SearchRequest, open_index

    with open_index(index_dir) as ix:
        counted = ix.search(SearchRequest("产业工人"))
        uncounted = ix.search(SearchRequest("产业工人", facets=False))
    assert counted.facets and uncounted.facets == {}
    assert [(h.doc_id, h.score, h.passages) for h in uncounted.hits] == \
        [(h.doc_id, h.score, h.passages) for h in counted.hits]
    assert uncounted.total == counted.total > 0
