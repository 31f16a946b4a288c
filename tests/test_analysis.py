"""The tokenizer contract: positions, offsets, modes, pickling, normalization, dictionary."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from index import IndexError_, setup_analysis
from index.analysis import (DEFAULT_USERDICT, BigramTokenizer, JiebaTokenizer, bigram_analyzer,
                            jieba_analyzer, normalize_doc_number, normalize_text, read_userdict)


@pytest.fixture(scope="module", autouse=True)
def _analysis() -> None:
    setup_analysis()


def toks(analyzer, text: str, mode: str = "query", **kw) -> list[tuple[str, int, int, int]]:
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True, mode=mode, **kw)]


def test_query_mode_is_precise_with_ordinal_positions() -> None:
    got = toks(jieba_analyzer(), "新时期产业工人队伍建设改革")
    assert [t[0] for t in got] == ["新", "时期", "产业工人", "队伍建设", "改革"]
    assert [t[1] for t in got] == [0, 1, 2, 3, 4]


def test_index_mode_adds_subwords_at_the_position_of_their_word() -> None:
    got = toks(jieba_analyzer(), "新时期产业工人队伍建设改革", mode="index")
    by_text = {t[0]: t[1] for t in got}
    assert by_text["产业"] == by_text["工人"] == by_text["产业工人"] == 2
    assert by_text["队伍"] == by_text["建设"] == by_text["队伍建设"] == 3
    assert by_text["改革"] == 4
    # Precise words alone keep ordinal positions 0, 1, 2 …
    precise = [t for t in got if t[0] in {"新", "时期", "产业工人", "队伍建设", "改革"}]
    assert [t[1] for t in precise] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("phrase", ["工人队伍建设", "产业工人队伍", "产业工人队伍建设改革", "队伍建设改革"])
def test_precise_query_words_line_up_with_indexed_positions(phrase: str) -> None:
    # The jieba-field positions a whoosh Phrase would need: query words at p, p+1, p+2 …
    indexed = toks(jieba_analyzer(), "新时期产业工人队伍建设改革", mode="index")
    query = [t[0] for t in toks(jieba_analyzer(), phrase)]
    starts = {pos for text, pos, _, _ in indexed if text == query[0]}
    assert any(all((w, p + k) in {(t[0], t[1]) for t in indexed} for k, w in enumerate(query))
               for p in starts), (query, indexed)


def test_offsets_are_the_text_slice_even_for_repeated_words() -> None:
    text = "改革是改革，深化改革。Ａｂｃ改革"
    got = toks(jieba_analyzer(), text, mode="index")
    for word, _, start, end in got:
        assert normalize_text(text[start:end]) == word
    assert [s for w, _, s, _ in got if w == "改革"] == [0, 3, 8, 14]
    for word, _, start, end in toks(bigram_analyzer(), text):
        assert normalize_text(text[start:end]) == word


def test_single_digits_and_single_character_words_are_kept() -> None:
    assert [t[0] for t in toks(jieba_analyzer(), "6次召开会议，3所学校")] == \
        ["6", "次", "召开", "会议", "3", "所", "学校"]


def test_stop_words_dropped_from_main_field_only() -> None:
    assert [t[:2] for t in toks(jieba_analyzer(), "产业工人的队伍")] == [("产业工人", 0), ("队伍", 1)]
    assert [t[:2] for t in toks(jieba_analyzer(frozenset()), "产业工人的队伍")] == \
        [("产业工人", 0), ("的", 1), ("队伍", 2)]
    kept = [(t.text, t.stopped)
            for t in jieba_analyzer()("产业工人的队伍", removestops=False, mode="query")]
    assert kept == [("产业工人", False), ("的", True), ("队伍", False)]


def test_punctuation_dropped_latin_lowercased_full_width_folded() -> None:
    got = toks(jieba_analyzer(), "ＣＯＶＩＤ－１９，“互联网”！ＡＰＰ")
    assert [t[0] for t in got] == ["covid", "19", "互联网", "app"]
    assert [t[1] for t in got] == [0, 1, 2, 3]
    assert normalize_text("ＡＢＣ１２３　") == "abc123 "


def test_a_line_break_keeps_phrases_from_spanning_lines() -> None:
    got = toks(jieba_analyzer(), "完善机制\n加强领导")
    assert [t[:2] for t in got] == [("完善", 0), ("机制", 1), ("加强", 3), ("领导", 4)]
    assert [t[2] for t in got] == [0, 2, 5, 7]


def test_bigrams_overlap_with_ordinal_positions() -> None:
    text = "产业工人 A1b 党，是"
    got = toks(bigram_analyzer(), text)
    assert got == [("产业", 0, 0, 2), ("业工", 1, 1, 3), ("工人", 2, 2, 4), ("a1b", 3, 5, 8),
                   ("党", 4, 9, 10), ("是", 5, 11, 12)]


def test_bigram_index_mode_adds_each_runs_first_and_last_character() -> None:
    # At the position of the run's first and last bigram, so phrases still line up.
    text = "大理州，全州"
    assert toks(bigram_analyzer(), text) == [("大理", 0, 0, 2), ("理州", 1, 1, 3), ("全州", 2, 4, 6)]
    assert toks(bigram_analyzer(), text, mode="index") == [
        ("大", 0, 0, 1), ("大理", 0, 0, 2), ("理州", 1, 1, 3), ("州", 1, 2, 3),
        ("全", 2, 4, 5), ("全州", 2, 4, 6), ("州", 2, 5, 6)]


def test_tokenize_false_yields_the_whole_value() -> None:
    assert [t.text for t in jieba_analyzer()("产业 工人", tokenize=False)] == ["产业 工人"]


def test_analyzers_pickle_without_jieba_state() -> None:
    for analyzer in (jieba_analyzer(), bigram_analyzer()):
        data = pickle.dumps(analyzer)
        assert b"jieba" not in data
        clone = pickle.loads(data)
        assert toks(clone, "产业工人队伍", mode="index") == toks(analyzer, "产业工人队伍", mode="index")
    assert isinstance(jieba_analyzer()[0], JiebaTokenizer)
    assert isinstance(bigram_analyzer()[0], BigramTokenizer)


@pytest.mark.parametrize("word", ["两微一端", "五险一金", "党建带工建", "职代会", "厂务公开", "挂包帮",
                                  "产改", "放管服", "集体协商", "技能大赛"])
def test_domain_words_are_single_tokens(word: str) -> None:
    assert [t[0] for t in toks(jieba_analyzer(), f"推进{word}工作")] == ["推进", word, "工作"]


def test_bundled_dictionary_size_and_format() -> None:
    entries = read_userdict(DEFAULT_USERDICT)
    assert 40 <= len(entries) <= 150
    assert all(freq > 0 for _, freq, _ in entries)
    assert len({w for w, _, _ in entries}) == len(entries)


def test_bad_dictionary_line_is_an_index_error(tmp_path: Path) -> None:
    bad = tmp_path / "dict.txt"
    bad.write_text("产业工人 很多 n\n", encoding="utf-8")
    with pytest.raises(IndexError_, match="dict.txt:1"):
        read_userdict(bad)


@pytest.mark.parametrize("raw", ["国办发〔2019〕3号", "国办发[2019]3号", "国办发（２０１９）３号",
                                 "国办发 ［2019］ 3 号", "国办发【2019】3号"])
def test_normalize_doc_number(raw: str) -> None:
    assert normalize_doc_number(raw) == "国办发〔2019〕3号"
