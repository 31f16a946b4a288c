"""Issue 14, the CLI: `gongwen search` cuts its query with the dictionary words looked up in a
table (index/analysis/word_lookup.py), not with rjieba's whole dictionary, and so must get
the very words, the very results and the very output the whole dictionary gives."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.analysis import normalize_text, segmenter, setup_analysis
from index.analysis.word_lookup import WordLookup
from render import DATA, REPO

STARD = DATA / "stard_statutes"
CORPUS = REPO / "corpus"


def corpus_lines() -> list[str]:
    """Every normalized line of the bundled corpus."""
    lines = []
    for path in sorted(CORPUS.iterdir()):
        lines += [line for line in normalize_text(path.read_text(encoding="utf-8")).split("\n")
                  if line.strip()]
    return lines


def shared_lines(limit: int) -> list[str]:
    """The STARD questions, then lines of its articles, from ../shared/data when it is there."""
    lines: list[str] = []
    questions = STARD / "queries.dev.tsv"
    if questions.is_file():
        for row in questions.read_text(encoding="utf-8").splitlines():
            if "\t" in row:
                lines.append(normalize_text(row.split("\t")[1]))
    if (STARD / "corpus.jsonl.gz").is_file():
        with gzip.open(STARD / "corpus.jsonl.gz", "rt", encoding="utf-8") as f:
            for raw in f:
                if len(lines) >= limit:
                    break
                lines += [line for line in normalize_text(json.loads(raw)["text"]).split("\n")
                          if line.strip()]
    return lines[:limit]


# Queries a user types: words, phrases, a misspelling, Latin and digits, identifiers, mixed
# widths, characters jieba cuts alone, punctuation only.
QUERIES = ["产业工人", "产业工人队伍建设改革", "职工技能形成体系", "民主管理", "企业民主管理工作意见",
           "示工发〔2020〕15号", "改革快报 第12期", "技能竞赛", "劳动模范和工匠人才", "白洲工匠",
           "产业业工人", "工会 职工代表大会", "谁可以成为个体工商户？", "2021年第13期",
           "ＡＢＣ１２３ 工会", "t-shirt 2019-00007", "职代会 OR 厂务公开", "\"民主管理\"",
           "㐀㐁工会", "?!", "总工会关于印发", "各县市总工会，州级各产业工会",
           "深入推进新时期产业工人队伍建设改革", "保障产业工人的民主管理权益", "厂务公开",
           "集体协商", "劳动竞赛 技术创新", "示例州", "安全生产", "乡村振兴"]


def test_looked_up_words_cut_every_line_as_the_whole_dictionary(tmp_path: Path):
    setup_analysis()
    full = segmenter._rjieba()
    added = segmenter._ADDED
    lookup = WordLookup.open(tmp_path)
    assert lookup is not None
    lines = corpus_lines() + [normalize_text(q) for q in QUERIES]
    lines.append("a\uffffb 中华人民共和国\uffff")  # the placeholder typed: still no word
    fresh = 0
    for line in lines:
        if fresh < 300:  # as one search does: from an empty tokenizer
            lookup.forget()
            fresh += 1
        small = lookup.ready(line, added)
        assert small.tokenize(line, "default", True) == full.tokenize(line, "default", True), line
        assert small.cut(line, True) == full.cut(line, True), line
    # every user word is a word to both, with the user's frequency deciding the cut
    lookup.forget()
    for word in added:
        assert lookup.ready(word, added).has_word(word) and full.has_word(word)
    assert lookup.ready("中华人", added).has_word("中华人") is False
    assert segmenter.is_word("\uffff") is False


def search_process(index: Path, cache: Path, queries: list[str], json_too: bool) -> list[str]:
    """What `gongwen search` printed for each query, each one cut from an empty lookup, in a
    fresh process (which reports whether rjieba's package was imported)."""
    code = """
import json, sys
from click.testing import CliRunner
from index.analysis import segmenter, _line_tokens
from search_app.cli import cli
out = []
for q in json.loads(sys.stdin.read()):
    for extra in ([], ["--json"]) if sys.argv[2] == "1" else ([],):
        if segmenter._LOOKUP is not None:
            segmenter._LOOKUP.forget()
        _line_tokens.cache_clear()
        r = CliRunner().invoke(cli, ["search", q, "--index", sys.argv[1], "--local", *extra])
        out.append(f"{r.exit_code}\\n{r.output}")
print(json.dumps({"out": out, "rjieba": "rjieba" in sys.modules,
                  "lookup": segmenter._LOOKUP is not None}))
"""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-c", code, str(index), "1" if json_too else "0"],
                          input=json.dumps(queries), cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["lookup"] and not report["rjieba"]  # the whole dictionary never built
    return report["out"]


def test_search_prints_what_the_whole_dictionary_prints(index_dir: Path, tmp_path: Path):
    setup_analysis()
    segmenter._rjieba()  # this process: the whole dictionary
    from search_app.cli import cli

    expected = []
    for q in QUERIES:
        for extra in ([], ["--json"]):
            r = CliRunner().invoke(cli, ["search", q, "--index", str(index_dir), "--local",
                                         *extra])
            expected.append(f"{r.exit_code}\n{r.output}")
    assert sum("【" in e for e in expected) >= 10  # most queries find and highlight something
    got = search_process(index_dir, tmp_path / "cache", QUERIES, json_too=True)
    assert got == expected


def test_the_shell_command_writes_the_table_once_and_finds_the_same(index_dir: Path,
                                                                    tmp_path: Path):
    cache = tmp_path / "cache"
    first = _shell_search(index_dir, cache)
    tables = list((cache / "gongwen-search").glob("words-*.sqlite3"))
    again = _shell_search(index_dir, cache)
    assert (first.returncode, first.stderr, again.returncode, again.stderr) == (0, "", 0, "")
    assert len(tables) == 1 and first.stdout == again.stdout and "【产业工人】" in first.stdout
    assert list((cache / "gongwen-search").glob(".words-*")) == []  # no half-written table


def test_an_unwritable_cache_folder_falls_back_to_the_whole_dictionary(index_dir: Path,
                                                                       tmp_path: Path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    done = _shell_search(index_dir, blocked)
    assert (done.returncode, done.stderr) == (0, "")
    assert "【产业工人】" in done.stdout


@pytest.mark.skipif(not STARD.is_dir(), reason="../shared/data/stard_statutes is not here")
def test_real_questions_cut_alike(tmp_path: Path):
    setup_analysis()
    full = segmenter._rjieba()
    lookup = WordLookup.open(tmp_path)
    assert lookup is not None
    questions = shared_lines(1500)  # the 737 questions and lines of the first articles
    assert len(questions) == 1500
    for line in questions:
        lookup.forget()
        assert lookup.ready(line, segmenter._ADDED).tokenize(line, "default", True) == \
            full.tokenize(line, "default", True), line


def test_a_damaged_table_falls_back_to_the_whole_dictionary(index_dir: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    first = _shell_search(index_dir, cache)
    [table] = (cache / "gongwen-search").glob("words-*.sqlite3")
    with table.open("r+b") as f:  # keep the header page, overwrite the rest
        f.seek(4096)
        f.write(b"\xff" * (table.stat().st_size - 4096))
    again = _shell_search(index_dir, cache)
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout == first.stdout and "【产业工人】" in again.stdout


def _shell_search(index_dir: Path, cache: Path) -> subprocess.CompletedProcess:
    """`gongwen search 产业工人 --local` in its own process, with cache as XDG_CACHE_HOME."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run([sys.executable, "-m", "search_app.cli", "search", "产业工人",
                           "--index", str(index_dir), "--local"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
