"""Relevance on small Chinese corpora: questions, unknown words, phrases, titles, the citation prior."""
from __future__ import annotations

import pytest

from docs import build_index, make_doc
from index import DocumentHit, Index, SearchRequest, create_index, setup_analysis
from index.analysis import jieba_analyzer
from index.search.query import parse_query
from index.schema import build_schema
from ingest.model import Reference


def corpus():
    return [
        make_doc("answer", "中华人民共和国民法典 第五十四条",
                 ["自然人从事工商业经营，经依法登记，为个体工商户。个体工商户可以起字号。"]),
        make_doc("asks", "常见问题", ["谁可以报名？可以在哪里报名？报名需要什么材料？"]),
        make_doc("partial", "个人独资企业法 第二条",
                 ["个人独资企业是指依照本法在中国境内设立，由一个自然人投资的经营实体。"]),
        make_doc("craftsmen", "首届白州工匠评选",
                 ["首届“白州工匠”评选等活动在全州展开，充分发挥“两微一端”平台作用。"]),
        make_doc("platform", "政务新媒体管理办法", ["政务新媒体包括网站和“两微一端”等平台。"]),
        make_doc("apart", "队伍与工人", ["产业发展迅速，工人队伍不断壮大，建设成效明显。"]),
        make_doc("together", "产业工人队伍建设", ["加强产业工人队伍建设，提高产业工人素质。"]),
        make_doc("title-hit", "集体协商工作意见", ["做好相关工作。"]),
        make_doc("body-hit", "工作意见", ["做好相关工作，推进集体协商。"]),
    ]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Index:
    index = build_index(tmp_path_factory.mktemp("relevance") / "ix", corpus())
    yield index
    index.close()


def hits(index: Index, q: str, **kw: object) -> list[DocumentHit]:
    return list(index.search(SearchRequest(q=q, per_page=50, **kw)).hits)


def ranked(index: Index, q: str) -> list[str]:
    return [h.doc_id for h in hits(index, q)]


# -- questions ---------------------------------------------------------------------------

def test_question_words_are_not_searched_for() -> None:
    setup_analysis()
    parsed = parse_query("谁可以成为个体工商户？", build_schema())
    assert parsed.question
    units = [u.text for c in parsed.clauses for u in c.units]
    assert "".join(units) == "成为个体工商户"  # jieba's 成为 个体 工商户; 谁 and 可以 are gone
    keywords = parse_query("个体工商户 登记", build_schema())
    assert not keywords.question


def test_question_finds_a_document_with_its_content_words_but_not_its_question_words(
        ix: Index) -> None:
    # answer has 个体工商户 but neither 谁, 可以 nor 成为; asks has 谁 and 可以 and nothing else.
    found = ranked(ix, "谁可以成为个体工商户？")
    assert found[0] == "answer"
    assert found.index("answer") < found.index("asks") if "asks" in found else True
    # The same words as keywords are all required: no document has 成为 and 个体工商户.
    assert ranked(ix, "成为 个体工商户") == []


def test_long_sentence_is_weighed_not_anded(ix: Index) -> None:
    q = "自然人依法登记从事工商业经营成为个体工商户并且起字号的规定"
    assert parse_query(q, build_schema()).question
    assert ranked(ix, q)[:2] == ["answer", "partial"]


def test_two_or_three_keywords_keep_their_and(ix: Index) -> None:
    assert ranked(ix, "个体工商户 字号") == ["answer"]
    assert ranked(ix, "自然人 经营") == ["answer", "partial"] or \
        set(ranked(ix, "自然人 经营")) == {"answer", "partial"}
    assert ranked(ix, "个体工商户 两微一端") == []


# -- unknown words and phrases ---------------------------------------------------------------

# (The domain dictionary knows 两微一端 as a word; its pieces are still only bigrams.)
@pytest.mark.parametrize("term, expected", [("白州工匠", {"craftsmen"}), ("州工匠", {"craftsmen"}),
                                            ("工匠评", {"craftsmen"}),
                                            ("微一端", {"craftsmen", "platform"}),
                                            ("两微一", {"craftsmen", "platform"})])
def test_terms_jieba_does_not_know_are_found_through_bigrams(ix: Index, term: str,
                                                              expected: set[str]) -> None:
    words = {t.text for d in corpus() for p in d.passages()
             for t in jieba_analyzer()(p.text, mode="index")}
    assert term not in words  # not a jieba token of any text: only the bigram field has it
    assert set(ranked(ix, term)) == expected
    assert set(ranked(ix, f"{term}是什么？")) >= expected


def test_a_phrase_never_matches_words_that_are_apart(ix: Index) -> None:
    assert set(ranked(ix, "产业 工人 队伍 建设")) == {"apart", "together"}
    assert ranked(ix, '"产业工人队伍建设"') == ["together"]
    assert ranked(ix, "“队伍建设”") == ["together"]  # apart: 队伍不断壮大，建设
    assert set(ranked(ix, "“工人队伍”")) == {"apart", "together"}
    assert ranked(ix, '"队伍工人"') == []
    # In a question, a quoted phrase is still exact.
    assert ranked(ix, "“产业工人队伍”指的是什么？") == ["together"]


# -- fields ------------------------------------------------------------------------------------

def test_title_counts_more_than_the_body(ix: Index) -> None:
    assert ranked(ix, "集体协商") == ["title-hit", "body-hit"]


# -- the citation prior -------------------------------------------------------------------------

def test_the_work_the_corpus_cites_ranks_first_among_equal_matches(tmp_path) -> None:
    setup_analysis()
    laws = [make_doc("cited 第三条", "合同法 第三条", ["当事人应当遵循诚信原则。"]),
            make_doc("uncited 第三条", "章程 第三条", ["当事人应当遵循诚信原则。"])]
    citing = [make_doc(f"note-{i}", f"说明{i}", [f"根据《合同法》的规定，做好第{i}项工作。"],
                       references=(Reference("合同法"),)) for i in range(3)]
    with create_index(tmp_path / "ix") as index:
        index.add_documents(laws + citing)
        found = [h.doc_id for h in index.search(SearchRequest(q="诚信原则")).hits]
        assert found == ["cited 第三条", "uncited 第三条"]
        scores = [h.score for h in index.search(SearchRequest(q="诚信原则")).hits]
        assert scores[0] > scores[1]
        # The prior never makes a document match.
        assert {h.doc_id for h in index.search(SearchRequest(q="合同法 诚信")).hits} == \
            {"cited 第三条"}
