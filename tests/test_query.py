"""Query syntax, malformed input, and every filter of SearchRequest."""
from __future__ import annotations

import datetime as dt

import pytest

from docs import build_index, small_corpus
from index import Index, QueryError, SearchRequest, setup_analysis
from index.search.query import Clause, Unit, parse_query
from index.schema import build_schema


@pytest.fixture(scope="module")
def schema():
    setup_analysis()
    return build_schema()


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Index:
    index = build_index(tmp_path_factory.mktemp("query") / "ix", small_corpus())
    yield index
    index.close()


def found(index: Index, q: str = "", **kw: object) -> set[str]:
    return {h.doc_id for h in index.search(SearchRequest(q=q, per_page=100, **kw)).hits}


# -- parsing ---------------------------------------------------------------------------

def bare(text: str, *words: str, negated: bool = False) -> Clause:
    return Clause(text, tuple(Unit(w, (w,)) for w in words), negated=negated)


def test_bare_words_are_cut_into_precise_mode_words(schema) -> None:
    parsed = parse_query("产业工人队伍建设  集体协商", schema)
    assert parsed.clauses == (bare("产业工人队伍建设", "产业工人", "队伍建设"),
                              bare("集体协商", "集体协商"))


def test_single_characters_join_their_neighbour(schema) -> None:
    # jieba leaves 邕 滇 黔 alone; they are searched with the word next to them.
    (clause,) = parse_query("邕滇黔造纸", schema).clauses
    assert clause.words == ("邕", "滇", "黔", "造纸")
    assert clause.units == (Unit("邕滇黔", ("邕", "滇", "黔")), Unit("造纸", ("造纸",)))
    (clause,) = parse_query("州工匠 怒江州匠", schema).clauses[:1]
    assert clause.units == (Unit("州工匠", ("州", "工匠")),)
    assert parse_query("怒江州匠", schema).clauses[0].units == (Unit("怒江州匠", ("怒江州", "匠")),)
    # … but not across a stop word that was dropped between them.
    (clause,) = parse_query("邕的滇", schema).clauses
    assert clause.units == (Unit("邕", ("邕",)), Unit("滇", ("滇",)))
    assert parse_query("党", schema).clauses[0].units == (Unit("党", ("党",)),)


def test_phrases_in_ascii_and_chinese_quotes(schema) -> None:
    parsed = parse_query('"着力完善" “两微一端”平台', schema)
    assert parsed.clauses == (Clause("着力完善", phrase=True), Clause("两微一端", phrase=True),
                              bare("平台", "平台"))


def test_negation_and_inline_filters(schema) -> None:
    parsed = parse_query("劳动竞赛 -技能大赛 year:2021 文种：简报 title:\"工作简报\"", schema)
    assert parsed.clauses == (bare("劳动竞赛", "劳动竞赛"), bare("技能大赛", "技能大赛", negated=True))
    assert parsed.filters == (("year", "2021"), ("kind", "简报"), ("title", "工作简报"))


def test_unknown_prefix_is_plain_text(schema) -> None:
    assert parse_query("http://x", schema).filters == ()


@pytest.mark.parametrize("q", ['"产业工人', '产业工人"', '"a" "b', '“a” "b'])
def test_unbalanced_ascii_quotes(schema, q: str) -> None:
    with pytest.raises(QueryError, match="引号不成对"):
        parse_query(q, schema)


@pytest.mark.parametrize("q", ["“产业工人", "产业工人”", "承包地“买卖”的效力，概不负责”的规定"])
def test_unpaired_curly_quotes_are_punctuation(schema, q: str) -> None:
    parsed = parse_query(q, schema)
    assert "产业工人" in parsed.clauses[0].words or "买卖" in [
        c.text for c in parsed.clauses if c.phrase]


def test_query_too_long(schema) -> None:
    with pytest.raises(QueryError, match="检索式过长"):
        parse_query("改革" * 251, schema)


def test_stop_words_alone_are_still_searched(schema) -> None:
    assert parse_query("的", schema).clauses == (bare("的", "的"),)


# -- malformed requests ------------------------------------------------------------------

@pytest.mark.parametrize("req, message", [
    (SearchRequest(q=""), "检索式为空"),
    (SearchRequest(q="   "), "检索式为空"),
    (SearchRequest(q="改革", page=0), "page 应为 1 或更大，而不是 0"),
    (SearchRequest(q="改革", per_page=0), "per_page 应在 1 到 100 之间"),
    (SearchRequest(q="改革", sort="title"), "未知的排序“title”：应为 relevance / date / date_asc / issue 之一"),
    (SearchRequest(q="改革", doc_type="memo"), "未知的文档类型“memo”"),
    (SearchRequest(q="改革", date_from=dt.date(2021, 2, 1), date_to=dt.date(2021, 1, 1)),
     "起始日期 2021-02-01 晚于截止日期 2021-01-01"),
    (SearchRequest(q="改革 year:21"), "年份应为四位数字，而不是“21”"),
    (SearchRequest(q="改革 type:memo"), "未知的文档类型“memo”"),
    (SearchRequest(q="title: 改革"), "“title:”后面没有内容"),
])
def test_malformed_requests_raise_query_error(ix: Index, req: SearchRequest, message: str) -> None:
    with pytest.raises(QueryError, match=message) as caught:
        ix.search(req)
    assert "\n" not in str(caught.value)


# -- filters -----------------------------------------------------------------------------

def test_filters_alone_browse(ix: Index) -> None:
    assert found(ix, doc_type="policy") == {"pol-a", "pol-b", "pol-c"}
    assert found(ix, doc_type="bulletin") == {"bul-a", "bul-b"}


def test_each_filter_narrows_a_query(ix: Index) -> None:
    q = "总工会"  # in the issuer line of pol-a, pol-b, bul-a and bul-b
    assert found(ix, q) == {"pol-a", "pol-b", "bul-a", "bul-b"}
    assert found(ix, q, doc_type="bulletin") == {"bul-a", "bul-b"}
    assert found(ix, q, kind="意见") == {"pol-b"}
    assert found(ix, q, year=2021) == {"pol-a", "bul-b"}
    assert found(ix, q, date_from=dt.date(2021, 1, 1)) == {"pol-a", "bul-a", "bul-b"}
    assert found(ix, q, date_to=dt.date(2021, 3, 5)) == {"pol-a", "pol-b"}
    assert found(ix, q, date_from=dt.date(2021, 3, 6), date_to=dt.date(2022, 1, 1)) == {"bul-b"}
    assert found(ix, q, title="集体协商") == {"pol-b"}
    assert found(ix, q, issuer="大理州总工会") == {"pol-b", "bul-a"}
    assert found(ix, q, issuer="大理州") == {"pol-b", "bul-a"}


def test_undated_documents_fall_outside_date_ranges(ix: Index) -> None:
    assert "oth-x" in found(ix, "产业工人")
    assert "oth-x" not in found(ix, "产业工人", date_to=dt.date(2030, 1, 1))


@pytest.mark.parametrize("number", ["大工发〔2020〕3号", "大工发[2020]3号", "大工发（２０２０）３号",
                                    "大工发［2020］3号"])
def test_doc_number_filter_normalizes_brackets_and_widths(ix: Index, number: str) -> None:
    assert found(ix, doc_number=number) == {"pol-b"}


def test_doc_number_prefix_and_exactness(ix: Index) -> None:
    assert found(ix, doc_number="国办发〔2019〕") == {"pol-c"}
    assert found(ix, doc_number="国办发〔2019〕31号") == set()


def test_inline_filters(ix: Index) -> None:
    assert found(ix, "总工会 type:bulletin") == {"bul-a", "bul-b"}
    assert found(ix, "总工会 year:2020") == {"pol-b"}
    assert found(ix, "文种:通知") == {"pol-a"}
    assert found(ix, "title:简报") == {"bul-b"}
    assert found(ix, "发文机关:国务院") == {"pol-c"}
    assert found(ix, "文号:国办发[2019]3号") == {"pol-c"}


def test_negation_excludes_documents(ix: Index) -> None:
    assert found(ix, "两微一端") == {"bul-a", "pol-c"}
    assert found(ix, "两微一端 -白州工匠") == {"pol-c"}


def test_facets_count_all_matching_documents(ix: Index) -> None:
    res = ix.search(SearchRequest(q="总工会", per_page=1))
    assert res.total == 4 and len(res.hits) == 1
    assert {k: res.facets[k] for k in ("doc_type", "year")} == {
        "doc_type": {"bulletin": 2, "policy": 2}, "year": {"2021": 2, "2020": 1, "2022": 1}}
