"""Matching, ranking, grouping by document, highlights — and the reference bulletin."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from docs import BULLETIN_ID, SEED, build_index, make_doc, reference_bulletin, small_corpus
from index import DocumentHit, Index, SearchRequest, create_index
from index.analysis import bigram_analyzer, jieba_analyzer


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Index:
    index = build_index(tmp_path_factory.mktemp("search") / "ix", small_corpus())
    yield index
    index.close()


@pytest.fixture(scope="module")
def bulletin_ix(tmp_path_factory: pytest.TempPathFactory) -> Index:
    if not SEED.exists():
        pytest.skip(f"reference bulletin not found at {SEED} (../shared/seed is absent)")
    index = build_index(tmp_path_factory.mktemp("bulletin") / "ix", small_corpus() + [reference_bulletin()])
    yield index
    index.close()


def search(index: Index, q: str, **kw: object) -> list[DocumentHit]:
    return list(index.search(SearchRequest(q=q, per_page=100, **kw)).hits)


def ids(index: Index, q: str, **kw: object) -> set[str]:
    return {h.doc_id for h in search(index, q, **kw)}


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


# -- matching --------------------------------------------------------------------------

def test_words_are_anded_within_a_document(ix: Index) -> None:
    assert ids(ix, "产业工人") == {"pol-a", "pol-b", "oth-x"}
    assert ids(ix, "产业工人 集体协商") == {"pol-b"}
    # The words may sit in different passages, or one in the title.
    assert ids(ix, "厂务公开 年底") == {"pol-a"}
    assert ids(ix, "通知 职代会") == {"pol-a"}
    assert ids(ix, "集体协商 白州工匠") == set()


def test_phrase_is_exact_and_never_spans_a_gap(ix: Index) -> None:
    # pol-b has 产业工人 … 职工队伍建设, apart; pol-a has the phrase.
    assert ids(ix, "产业工人队伍建设") == {"pol-a", "pol-b"}
    assert ids(ix, '"产业工人队伍建设"') == {"pol-a"}
    assert ids(ix, '"工人队伍"') == {"pol-a"}
    assert ids(ix, '"协商集体"') == set()
    # Not across the end of one passage and the start of the next.
    assert ids(ix, '"通知如下各地"') == set()


def test_phrase_needs_its_bigrams_in_a_row(tmp_path) -> None:
    # 工人 人队 队伍 all occur in "scattered", but never one after the other.
    docs = [make_doc("scattered", "甲", ["党员工人积极带队，个人队友壮大职工队伍。"]),
            make_doc("together", "乙", ["壮大产业工人队伍。"])]
    with create_index(tmp_path / "ix") as index:
        index.add_documents(docs)
        assert ids(index, "工人队伍") == {"scattered", "together"}
        assert ids(index, '"工人队伍"') == {"together"}
        assert ids(index, '"队伍"') == {"scattered", "together"}


def test_bigrams_find_words_jieba_cuts_differently(ix: Index) -> None:
    # jieba does not know 白州工匠; parts of it, or of 两微一端, are not jieba tokens of the text.
    words = {t.text for t in jieba_analyzer()(small_corpus()[2].passages().__next__().text,
                                              mode="index")}
    assert "州工" not in words and "微一" not in words
    assert ids(ix, "白州工匠") == {"bul-a"}
    assert ids(ix, "州工匠") == {"bul-a"}
    assert ids(ix, "微一端") == {"bul-a", "pol-c"}
    assert ids(ix, '"微一端"') == {"bul-a", "pol-c"}
    assert ids(ix, "工匠评") == {"bul-a"}


def test_single_character_query(ix: Index) -> None:
    # 州 starts the bigrams 州总 and 州开, and ends a run in 全州，; pol-a has none.
    assert ids(ix, "州") == {"pol-b", "bul-a", "bul-b"}
    # 益 only ever ends a run (保障职工权益。): found through the run's last character.
    (hit,) = search(ix, "益")
    assert hit.doc_id == "pol-b"
    assert marked(hit.passages[0].html) == ["益"]


def test_title_and_metadata_count_for_the_document(ix: Index) -> None:
    assert ids(ix, "管理办法") == {"pol-c"}
    assert ids(ix, "国务院办公厅") == {"pol-c"}
    assert ids(ix, "国办发〔2019〕3号") == {"pol-c"}
    hit = search(ix, "管理办法")[0]
    assert marked(hit.title_html) == ["管理办法"]
    # No passage matched: the lead passage is shown, unmarked.
    assert [(p.id, p.score, marked(p.html)) for p in hit.passages] == [("p1", 0.0, [])]


def test_mixed_latin_and_digits(ix: Index) -> None:
    assert ids(ix, "SCRIPT") == {"oth-x"}
    assert ids(ix, "alert(1)") == {"oth-x"}


# -- ranking, grouping and paging -----------------------------------------------------------

def test_hits_are_grouped_by_document_with_best_passages(ix: Index) -> None:
    res = ix.search(SearchRequest(q="劳动竞赛", passages_per_doc=2))
    assert res.total == 1
    (hit,) = res.hits
    assert hit.doc_id == "bul-b"
    assert [p.id for p in hit.passages][0] == "p3"  # three mentions beat one
    assert len(hit.passages) == 2
    assert {p.id for p in hit.passages} <= {"p1", "p3", "p5"}
    assert hit.passages[0].score >= hit.passages[1].score
    assert marked(hit.passages[0].html) == ["劳动竞赛"] * 3
    assert hit.issue == "《改革快报》2021年第5期（总第31期）"


def test_paging_over_documents(ix: Index) -> None:
    everything = [h.doc_id for h in ix.search(SearchRequest(q="总工会", per_page=10)).hits]
    assert len(everything) == 4
    pages = [ix.search(SearchRequest(q="总工会", per_page=3, page=n)) for n in (1, 2, 3)]
    assert [[h.doc_id for h in p.hits] for p in pages] == [everything[:3], everything[3:], []]
    assert {p.total for p in pages} == {4}


def test_sort_by_date_newest_first_undated_last(ix: Index) -> None:
    by_date = search(ix, "产业工人", sort="date")
    assert [h.doc_id for h in by_date] == ["pol-a", "pol-b", "oth-x"]
    by_relevance = {h.doc_id: h.score for h in search(ix, "产业工人")}
    assert {h.doc_id: h.score for h in by_date} == by_relevance
    assert all(isinstance(h.to_dict()["score"], float) for h in by_date)
    browse = [h.doc_id for h in search(ix, "", doc_type="policy", sort="date")]
    assert browse == ["pol-a", "pol-b", "pol-c"]
    assert [h.date for h in search(ix, "", doc_type="bulletin")] == [dt.date(2022, 4, 1),
                                                                     dt.date(2021, 8, 9)]


def test_title_match_ranks_first(ix: Index) -> None:
    assert [h.doc_id for h in search(ix, "集体协商")][0] == "pol-b"
    assert [h.doc_id for h in search(ix, "白州工匠")][0] == "bul-a"


# -- highlights --------------------------------------------------------------------------

def test_markup_in_documents_is_escaped(ix: Index) -> None:
    (hit,) = search(ix, "script")
    html = hit.passages[0].html
    assert "<script>" not in html and "&lt;<mark>script</mark>&gt;alert(1)&lt;/" in html
    assert "&amp; 工会" in html
    assert hit.passages[0].text.startswith("<script>")
    pages = ix.highlight_passages(ix.get_document("oth-x"), "alert")
    assert pages == {"p1": "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; 网页里的产业工人 &amp; 工会"}


def test_bigram_matches_are_highlighted(ix: Index) -> None:
    (hit,) = search(ix, "州工匠")
    assert marked(hit.passages[0].html) == ["州工匠"]
    assert marked(hit.title_html) == ["州工匠"]


def test_question_highlights_its_words_not_lone_characters(tmp_path) -> None:
    # 北京市到 and 人员应 are units (a lone character joins its neighbour): 北京市 and 人员 are
    # marked where they stand, the lone 到 and 应 are not marked on their own.
    doc = make_doc("canteen", "单位食堂防控指引",
                   ["北京市单位食堂就餐人员要做好防护。员工到岗后应登记。"])
    with create_index(tmp_path / "ix") as index:
        index.add_documents([doc])
        (hit,) = search(index, "北京市到单位食堂就餐人员应如何做好自我防护？")
        assert marked(hit.passages[0].html.replace("</mark><mark>", "")) == \
            ["北京市单位食堂就餐人员", "做好防护"]


def test_highlight_passages_marks_every_passage(ix: Index) -> None:
    doc = ix.get_document("bul-b")
    pages = ix.highlight_passages(doc, '"劳动竞赛" 职工')
    assert list(pages) == ["p1", "p2", "p3", "p4", "p5"]
    assert marked(pages["p1"]) == ["劳动竞赛"]
    assert marked(pages["p2"]) == []
    assert marked(pages["p4"]) == ["职工"]
    assert ix.highlight_passages(doc, '"unbalanced')["p1"] == "全州开展劳动竞赛。"


# -- the reference bulletin -----------------------------------------------------------------

@pytest.mark.parametrize("phrase, passage", [
    ("产业工人队伍建设改革", "p1"),
    ("着力完善", "p1"),  # joined across a page break
    ("大理州新时期产业工人队伍建设改革责任书", "p2"),  # also across a page break
])
def test_reference_phrases_find_the_bulletin(bulletin_ix: Index, phrase: str, passage: str) -> None:
    hits = search(bulletin_ix, f'"{phrase}"')
    assert [h.doc_id for h in hits] == [BULLETIN_ID]
    best = hits[0].passages
    assert passage in [p.id for p in best]
    html = next(p.html for p in best if p.id == passage)
    assert f"<mark>{phrase}</mark>" in html
    assert hits[0].issue == "《改革快报》2021年第12期（总第38期）"


def test_reference_bulletin_hit_details(bulletin_ix: Index) -> None:
    (hit,) = search(bulletin_ix, '"五险一金"')
    assert (hit.title, hit.doc_type, hit.date) == ("大理州高位推动，系统谋划 以典型引领全面推进改革",
                                                   "bulletin", dt.date(2021, 6, 22))
    (passage,) = hit.passages
    # The text has no pages (the PDF tests check them); id and section come from the parser.
    assert (passage.id, passage.section) == ("p8", "二、在推进改革上做到“五个聚焦”")
    assert len(passage.text) > 300 and passage.html.startswith("…")
    assert marked(passage.html) == ["五险一金"]


def test_reference_bulletin_words_across_passages_and_title(bulletin_ix: Index) -> None:
    assert ids(bulletin_ix, "大理州 五险一金") == {BULLETIN_ID}
    assert ids(bulletin_ix, "五险一金 挂包帮") == {BULLETIN_ID}
    assert ids(bulletin_ix, "白州工匠") == {BULLETIN_ID, "bul-a"}
    assert ids(bulletin_ix, '"两微一端"') == {BULLETIN_ID, "bul-a", "pol-c"}
    assert ids(bulletin_ix, "改革快报 year:2021 type:bulletin") == {BULLETIN_ID, "bul-b"}


def test_bigram_analyzer_is_applied_to_every_term() -> None:
    # Regression guard for the paperless-ngx bug: a query's bigram tokens are non-empty for
    # every kind of term, so each term has a bigram clause to fall back on.
    for term in ("白州工匠", "两微一端", "5g", "党", "covid-19"):
        assert [t.text for t in bigram_analyzer()(term)]
