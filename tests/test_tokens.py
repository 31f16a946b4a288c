"""rjieba (the segmenter of the index and the queries) gives jieba's own words, offsets and
search-mode sub-words, with our user dictionary: on text written here for the kinds of trouble
(user words, stop words, Latin and digits joined by . - _, 0-frequency prefixes) and on real
text from ../shared/data."""
from __future__ import annotations

import gzip
import itertools
import json
import logging

import jieba
import pytest

from index import IndexError_, setup_analysis
from index.analysis import (DEFAULT_USERDICT, ensure_jieba, jieba_analyzer, normalize_text,
                            read_userdict, segmenter, token_spans)
from render import DATA, REPO

WRITTEN = [
    "",
    "a",
    "推进产业工人队伍建设改革，健全职工技能形成体系",  # user words of index/data/userdict.txt
    "中华人民共和国劳动合同法第十条的规定和与及等",  # stop words; 中华人 is a 0-frequency prefix
    "国办发〔2019〕3号文件，2019-00007号，0791-88330120热线",
    "t-shirt、e-mail地址、source_url、x__y、ab--cd、1.2.3版、v2.0.1",
    "增长3.5%，50%以上，c++和c#语言，AT&T与a&b公司，A股市场B超",
    "龘靐齉爩 𠀀𠀁 㐀㐁 〇 鿰鿱",  # rare, astral and Extension A Han characters
    "ｗｗｗ．ｇｏｖ．ｃｎ 全角字符",
    "中英文mixed混排text，数字123与汉字",
    "  空格  与\t制表符  ",
]


@pytest.fixture(scope="module", autouse=True)
def jieba_loaded() -> None:
    setup_analysis()
    ensure_jieba()  # jieba itself, with the same user words, is the reference
    jieba.setLogLevel(logging.WARNING)


def lines_of(texts: list[str]) -> list[str]:
    return [line for text in texts for line in normalize_text(text).split("\n")]


def assert_same_words(lines: list[str]) -> None:
    for line in lines:
        assert segmenter.tokenize(line) == list(jieba.tokenize(line)), line
        assert segmenter.cut(line) == jieba.lcut(line), line


def test_the_dictionary_is_jiebas_word_for_word() -> None:
    # jieba's FREQ also holds every prefix of a word with frequency 0: not words.
    freq = jieba.dt.FREQ
    assert len(freq) > 400_000 and sum(1 for v in freq.values() if not v) > 100_000
    wrong = [w for w, n in freq.items() if bool(n) != segmenter.is_word(w)]
    assert wrong == []
    assert all(segmenter.is_word(w) for w, _, _ in read_userdict(DEFAULT_USERDICT))
    assert not segmenter.is_word("中华人") and segmenter.is_word("中华人民共和国")


def test_written_lines_give_jiebas_words_and_offsets() -> None:
    assert_same_words(lines_of(WRITTEN))
    assert segmenter.cut("2019-00007号") == ["2019", "-", "00007", "号"]
    assert "产业工人" in segmenter.cut("产业工人队伍")  # a user word


def test_index_mode_gives_jiebas_search_mode_words_and_offsets() -> None:
    analyzer = jieba_analyzer(frozenset())  # every word, no stop list
    for line in lines_of(WRITTEN):
        expected = [(w, s, e) for w, s, e in jieba.tokenize(line, mode="search")
                    if any(c.isalnum() for c in w)]
        got = [(w, s, e) for w, _, s, e in token_spans(analyzer, line)]
        assert sorted(got) == sorted(expected), line


def test_positions_count_the_precise_words_and_skip_stop_words() -> None:
    # A sub-word takes the position of the precise word covering it; stop words take none.
    line = "中华人民共和国劳动合同法的规定与其他法律"
    words = [(s, e) for w, s, e in jieba.tokenize(line) if w not in ("的", "与")]
    spans = token_spans(jieba_analyzer(), line)
    assert len(words) >= 5 and len(spans) > len(words)
    for w, p, s, e in spans:
        assert words[p][0] <= s and e <= words[p][1], (w, p)
    assert {("中华", 0, 0, 2), ("规定", 3, 13, 15), ("其他", 4, 16, 18)} <= set(spans)


def test_a_zero_frequency_user_word_is_refused_with_its_line(tmp_path) -> None:
    path = tmp_path / "userdict.txt"
    path.write_text("流程再造 100 n\n一网通办 0 n\n", encoding="utf-8")
    with pytest.raises(IndexError_) as e:
        read_userdict(path)
    assert str(e.value) == f"{path}:2：词频应为正整数，实际是 '一网通办 0 n'"


def shared_texts() -> list[str]:
    """Real text of every kind in ../shared/data, a slice of each (the benchmark reads all)."""
    texts = []
    with gzip.open(DATA / "stard_statutes" / "corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        texts += [json.loads(line)["text"] for line in itertools.islice(f, 0, 60000, 20)]
    for name in ("ncp_policies/corpus.jsonl", "govcn_2019/documents.jsonl"):
        with (DATA / name).open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in itertools.islice(f, 0, None, 6)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((DATA / "laws").rglob("*.md"))[::60]]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").iterdir())
              if p.suffix in {".txt", ".md", ".html"}]
    return texts


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")
def test_real_text_gives_jiebas_words() -> None:
    lines = sorted(set(lines_of(shared_texts())))
    assert len(lines) > 10_000
    assert_same_words(lines)
